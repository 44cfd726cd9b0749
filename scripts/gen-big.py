#!/usr/bin/env python3
"""Generate a valid scenario of N nodes for scale measurements (issue 13).

Usage: scripts/gen-big.py N OUT.ron

The same shape as generate() in benches/analyze.rs: Choices in a chain with side branches,
"ask again" loops and a variable-guarded option, an Order activity every 50 nodes, a Line
every 10 nodes, and two Endings. Check the output with `kefu check OUT.ron`.
No dependencies beyond Python 3.
"""

import sys


def generate(n: int, out) -> None:
    if n < 3:
        raise SystemExit("N must be at least 3")
    w = out.write
    w(
        'Scenario(id: "big", title: "大场景", course: (project: 5, task: 1), situation: "生成的场景。",\n'
        'roles: [(id: "agent", name: "刘铭丽", played_by: Student)],\n'
        "variables: (asked: false),\n nodes: [\n"
    )
    for i in range(n - 2):
        nxt = i + 1
        skip = min(i + 2, n - 2)
        if i % 50 == 49:
            w(
                f'Order(id: "n{i}", prompt: "排序", steps: [(id: "a", text: "一"), (id: "b", text: "二"), '
                f'(id: "c", text: "三")], effects: (skill: 2, presentation: 1), next: "n{nxt}"),\n'
            )
        elif i % 10 == 5:
            w(f'Line(id: "n{i}", text: "客户说了一句话。", next: "n{nxt}"),\n')
        else:
            back = i  # "ask again" returns to the same question
            w(
                f'Choice(id: "n{i}", prompt: "第{i}步", options: [\n'
                f'(id: "good", text: "好", effects: (smile: 1, skill: 1, attitude: 1, listening: 1), feedback: "好", expert: true, next: "n{nxt}", set: (asked: true)),\n'
                f'(id: "skip", text: "跳过", effects: (speed: 1, research: -1), feedback: "快但粗心", next: "n{skip}"),\n'
                f'(id: "again", text: "再说一遍", effects: (sincerity: -1), feedback: "没听清", next: "n{back}"),\n'
                f'(id: "once", text: "确认", effects: (research: 1), feedback: "确认", next: "n{nxt}", when: "!asked"),\n'
                f'(id: "quit", text: "挂断", effects: (smile: -2), feedback: "挂断", next: "bad"),\n'
                "]),\n"
            )
    w(f'Ending(id: "n{n - 2}", outcome: "完成"),\nEnding(id: "bad", outcome: "失败", success: false),\n])\n')


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit("usage: scripts/gen-big.py N OUT.ron")
    n = int(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
        generate(n, f)


if __name__ == "__main__":
    main()
