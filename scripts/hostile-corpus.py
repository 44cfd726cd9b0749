#!/usr/bin/env python3
"""Write the hostile-input corpus in tests/data/hostile/ (issue 13): small files committed as
they are. Large and special files (1 GB, FIFOs, /dev/zero links, symlink loops, unreadable
folders, 150,000-term conditions) are made by the tests themselves in temporary folders.

Run from the repository root: python3 scripts/hostile-corpus.py
Every file is listed with what it tries and what Kefu must say in tests/data/hostile/README.md;
tests/hostile_corpus.rs runs `kefu` on each under a time limit (20 s optimised, 60 s for the debug build of `cargo test`).
"""
import os

OUT = "tests/data/hostile"

BASE = '''Scenario(
    id: "hostile",
    title: "小测试",
    course: (project: 1, task: 1),
    time_limit_minutes: 10,
    situation: "客户来电咨询。",
    roles: [
        (id: "agent", name: "刘铭丽", played_by: Student),
        (id: "customer", name: "王先生"),
    ],
    variables: (asked: false),
    nodes: [
        Line(id: "hello", speaker: "customer", text: "你好。", next: "pick"),
        Choice(
            id: "pick",
            prompt: "你说：",
            options: [
                (id: "good", text: "您好，长海物流。", effects: (smile: 2, attitude: 1, listening: 1, presentation: 1), feedback: "礼貌。", expert: true, next: "end", set: (asked: true)),
                (id: "bad", text: "喂，你找谁啊？", effects: (smile: -1), feedback: "不礼貌。", next: "end"),
            ],
        ),
        Ending(id: "end", outcome: "结束。"),
    ],
)
'''

BAD_NEXT = 'feedback: "不礼貌。", next: "end"'


def when(cond):
    return BASE.replace(BAD_NEXT, BAD_NEXT + ', when: "%s"' % cond, 1)


def write(name, text, binary=False):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text if binary else text.encode("utf-8"))


def main():
    s = "scenarios/"
    write(s + "deep-parens.ron", when("(" * 20000 + "asked" + ")" * 20000))
    write(s + "deep-nots.ron", when("!" * 50000 + "asked"))
    write(s + "deep-parens-unclosed.ron", when("(" * 20000 + "asked"))
    write(s + "deep-ron-brackets.ron", BASE.replace('"客户来电咨询。"', "[" * 100000, 1))
    write(s + "deep-ron-some.ron", BASE.replace('"客户来电咨询。"', "Some(" * 20000 + "1" + ")" * 20000, 1))
    write(s + "add-past-i64-max.ron", BASE.replace("variables: (asked: false)", "variables: (asked: false, n: 9223372036854775807)", 1)
          .replace('text: "你好。", next: "pick"', 'text: "你好。", next: "pick", add: (n: 9223372036854775807)', 1))
    write(s + "number-too-big.ron", BASE.replace("time_limit_minutes: 10", "time_limit_minutes: 99999999999999999999999", 1))
    phone = open("scenarios/p1t1-detour-notice.ron", encoding="utf-8").read()
    write(s + "ring-inf.ron", phone.replace("ring_seconds: 3.0,", "ring_seconds: inf,", 1))
    table = open("scenarios/p3t1-abc-classification.ron", encoding="utf-8").read()
    write(s + "tolerance-nan.ron", table.replace("decimals: 1,", "decimals: 1, tolerance: NaN,", 1))
    write(s + "cr-only-line-ends.ron", BASE.replace("\n", "\r").replace('next: "end"),', 'nxt: "end"),', 1))
    write(s + "bom-and-crlf.ron", "\ufeff" + BASE.replace("\n", "\r\n"))
    write(s + "not-utf8.ron", BASE.encode("gbk"), binary=True)
    write(s + "empty.ron", "")
    write(s + "one-long-word.ron", "a" * 200000)
    write(s + "unclosed-at-end.ron", BASE.rstrip().rstrip(")"))
    write(s + "nul-bytes.ron", b"Scenario(\x00\x00\x00", binary=True)
    write(s + "huge-id-list.ron", BASE.replace("variables: (asked: false)", "variables: (asked: false, " + ", ".join("v%d: 0" % i for i in range(20000)) + ")", 1))

    a = "answers/"
    write(a + "bom.ron", '\ufeff[(action: Continue), (action: Choose("good"))]\n')
    write(a + "elapsed-u64-max.ron", '[(action: Continue, elapsed_ms: 18446744073709551615), (action: Choose("good"), elapsed_ms: 18446744073709551615)]\n')
    write(a + "elapsed-too-big.ron", '[(action: Continue, elapsed_ms: 18446744073709551616)]\n')
    write(a + "deep.ron", "[" * 100000)
    write(a + "unknown-option.ron", '[(action: Continue), (action: Choose("nope"))]\n')
    write(a + "wrong-node.ron", '[(node: "pick", action: Continue)]\n')

    r = "rosters/"
    write(r + "unclosed-quote.csv", '学号,姓名,组别,组长\n0024001,张喆,第一组,是\n0024002,"李堃,第一组,\n0024003,王玥,第一组,\n')
    write(r + "long-name.csv", "学号,姓名,组别,组长\n0024001," + "张" * 40000 + ",第一组,是\n")
    write(r + "formula-injection.csv", '学号,姓名,组别,组长\n0024001,=HYPERLINK("http://x"),第一组,是\n0024002,@SUM(1),第一组,\n')
    write(r + "not-utf8-not-gbk.csv", b"\xff\xfe\x00\xd8\x00\xd8", binary=True)

    e = "entries/"
    write(e + "points-u32-max.ron", 'Entries(class: "物流2401班", tasks: {"hostile": (groups: {"第一组": (points: Some(4294967295), reason: "typo")})})\n')
    write(e + "points-too-big.ron", 'Entries(class: "物流2401班", tasks: {"hostile": (groups: {"第一组": (points: Some(99999999999), reason: "typo")})})\n')


if __name__ == "__main__":
    main()
