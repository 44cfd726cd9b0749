//! The real `kefu` binary, run in a temporary folder: output and exit codes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use kefu::Lang;

use crate::common::repo;

pub fn kefu(args: &[&str], cwd: &Path, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(args)
        .current_dir(cwd)
        .env_remove("KEFU_LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu runs");
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("kefu finishes")
}

pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn sample() -> String {
    repo("tests/data/sample.ron").display().to_string()
}

#[test]
fn check_passes_a_good_file_and_fails_a_broken_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = kefu(&["check", &sample()], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("检查了 1 个文件：0 个错误，0 个警告"), "{}", text(&o));

    std::fs::create_dir(dir.path().join("scenarios")).expect("mkdir");
    let broken = std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read").replacen("next: \"greet\"", "next: \"gret\"", 1);
    std::fs::write(dir.path().join("scenarios/broken.ron"), broken).expect("write");
    // No path: scenarios/ in the working folder.
    let o = kefu(&["--lang", "en", "check"], dir.path(), "");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("scenarios/broken.ron:") && out.contains(": error: the node `gret` to go to does not exist (did you mean `greet`?) [unknown-target]"), "{out}");
    assert!(out.contains("checked 1 file(s): 1 error(s), 0 warning(s)"), "{out}");
}

#[test]
fn check_json_lists_diagnostics() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("x.ron"), "Scenario(id: \"x\",").expect("write");
    let o = kefu(&["check", "--json", "x.ron"], dir.path(), "");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v[0]["code"], "syntax");
    assert_eq!(v[0]["severity"], "error");
    assert_eq!(v[0]["line"], 1);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(kefu(&["check", "--frobnicate"], dir.path(), "").status.code(), Some(2));
    assert_eq!(kefu(&["check", "nowhere"], dir.path(), "").status.code(), Some(2));
    assert_eq!(kefu(&["--lang", "fr", "check"], dir.path(), "").status.code(), Some(2));
    assert_eq!(kefu(&["--help"], dir.path(), "").status.code(), Some(0));
}

#[test]
fn analyze_reports_ranges_and_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = kefu(&["analyze", &sample(), "--json"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["nodes"], 11);
    assert_eq!(v["endings"], 2);
    assert_eq!(v["expert"]["Ok"]["report"]["projected"], 100);
    assert_eq!(v["worst"]["Ok"]["report"]["total"], 40);
    let skill = v["ranges"].as_array().and_then(|r| r.iter().find(|x| x["key"] == "skill")).expect("skill range");
    assert_eq!((skill["min"].as_f64(), skill["max"].as_f64()), (Some(-1.0), Some(9.0)));
    let o = kefu(&["--lang", "en", "analyze", &sample()], dir.path(), "");
    let out = text(&o);
    assert!(out.contains("expert path: total 90 / 90 (+10 rated by people) → 100, grade Excellent, band 1 (70)"), "{out}");
    assert!(out.contains("speed") && out.contains("-∞"), "a looping timeout can cost speed without end: {out}");
}

#[test]
fn play_scripted_answers_as_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answers = r#"[
        (action: Pickup, elapsed_ms: 7000),
        (node: "greet", action: Choose("hello")),
        (action: Continue),
        (action: Choose("again")),
        (action: Choose("when")),
        (action: Form([("dest", "威海"), ("goods", "食品"), ("days", "３")])),
        (action: Match([("web", "all"), ("mail", "visitors"), ("sign", "big")])),
        (action: Order(["book", "waybill", "weigh", "pay"])),
        (action: Compose(["sit", "cant"])),
        (action: Choose("hang")),
    ]"#;
    std::fs::write(dir.path().join("a.ron"), answers).expect("write");
    let o = kefu(&["play", &sample(), "--seed", "2", "--answers", "a.ron", "--json"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!((v["total"].as_u64(), v["projected"].as_u64()), (Some(56), Some(62)));
    assert_eq!(v["band"]["band"], 3);
    assert_eq!(v["grade"]["zh"], "及格");
    assert_eq!(v["dimensions"][1]["percent"], 50.0);

    std::fs::write(dir.path().join("bad.ron"), "[(action: Choose(\"nope\"))]").expect("write");
    let o = kefu(&["--lang", "en", "play", &sample(), "--seed", "2", "--answers", "bad.ron"], dir.path(), "");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("bad.ron: answer 1: node `ring` is a Phone; `Choose` does not apply to it"), "{}", text(&o));
}

#[test]
fn play_interactively_in_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Enter answers the phone; "1" picks first options; the form gets three lines; more "1"s
    // than needed are fine: the game ends before they are read.
    let input = "\n1\n\n1\n1\n1\n威海\n服装\n3\n1\n1\n1\n1 2 3 4\n1 2\n1\n1\n1\n1\n";
    let o = kefu(&["play", &sample(), "--seed", "2"], dir.path(), input);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("王先生"), "variants are rendered: {out}");
    assert!(out.contains("== 结果 =="), "{out}");
    assert!(out.contains("总分"), "{out}");
}

#[test]
fn analyze_refuses_a_broken_file_with_its_diagnostics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read").replacen("next: \"greet\"", "next: \"gret\"", 1);
    std::fs::write(dir.path().join("b.ron"), broken).expect("write");
    let o = kefu(&["analyze", "b.ron"], dir.path(), "");
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o);
    assert!(out.contains("b.ron:") && out.contains("[unknown-target]") && out.contains("请先改正上面的错误"), "{out}");
}

#[test]
fn scripted_play_errors_speak_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.ron"), "[(action: Pickup), (action: Choose(\"nope\"))]").expect("write");
    let o = kefu(&["play", &sample(), "--seed", "2", "--answers", "a.ron"], dir.path(), "");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("a.ron：第 2 条答案：节点 `greet` 没有选项 `nope`"), "{}", text(&o));
}

#[test]
fn new_writes_a_starter_that_checks_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = kefu(&["new", "p2t1-survey", "--title", "客户满意度调查", "--project", "2", "--task", "1"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let path = dir.path().join("scenarios/p2t1-survey.ron");
    let written = std::fs::read_to_string(&path).expect("written");
    assert!(written.contains("id: \"p2t1-survey\""));
    assert!(written.contains("title: \"客户满意度调查\",") && written.contains("course: (project: 2, task: 1),"), "{written}");
    let o = kefu(&["check", "scenarios/p2t1-survey.ron"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("0 个错误，0 个警告"), "{}", text(&o));
    std::fs::write(&path, "mine").expect("teacher's edit");
    let o = kefu(&["new", "p2t1-survey"], dir.path(), "");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("已经存在"));
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "mine", "an existing file is never replaced");
    assert_eq!(kefu(&["new", "bad id"], dir.path(), "").status.code(), Some(2));
}

/// `kefu play --stdio`: one JSON object per line; bad lines get error objects and play goes on.
#[test]
fn stdio_plays_a_whole_attempt_over_json_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut input = String::new();
    input.push_str("this is not json\n");
    input.push_str("{\"action\": {\"Choose\": \"company\"}}\n"); // out of turn: the phone rings first
    for e in crate::golden::expert_events() {
        input.push_str(&serde_json::to_string(&e).expect("json"));
        input.push('\n');
    }
    let o = kefu(&["play", &sample(), "--seed", "2", "--stdio"], dir.path(), &input);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout).lines().map(|l| serde_json::from_str(l).expect("every line is JSON")).collect();
    let kind = |v: &serde_json::Value| v["type"].as_str().unwrap_or("").to_string();
    assert_eq!(kind(&lines[0]), "start");
    assert_eq!((lines[0]["protocol"].as_u64(), lines[0]["seed"].as_u64()), (Some(1), Some(2)));
    // The first view: the ringing phone.
    assert_eq!((kind(&lines[1]), lines[1]["kind"].as_str(), lines[1]["node"].as_str()), ("view".into(), Some("Phone"), Some("ring")));
    assert_eq!((kind(&lines[2]), lines[2]["code"].as_str(), lines[2]["line"].as_u64()), ("error".into(), Some("malformed"), Some(1)));
    assert_eq!((kind(&lines[3]), lines[3]["code"].as_str()), ("error".into(), Some("refused")));
    // After the pickup: the greeting choice with its options in the attempt's order.
    let greet = &lines[4];
    assert_eq!((greet["kind"].as_str(), greet["node"].as_str()), (Some("Choice"), Some("greet")));
    let opts: Vec<&str> = greet["options"].as_array().expect("options").iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(opts.len(), 2);
    assert!(greet["hint"].as_str().is_some_and(|h| h.contains("100 → 87")), "{}", greet["hint"]);
    // The last view ends, then the report.
    let last = &lines[lines.len() - 2];
    assert_eq!((last["ended"].as_bool(), last["kind"].as_str()), (Some(true), Some("Ended")));
    let report = &lines[lines.len() - 1];
    assert_eq!(kind(report), "report");
    assert_eq!((report["report"]["total"].as_u64(), report["report"]["projected"].as_u64()), (Some(90), Some(100)));
    assert_eq!(report["answers"].as_array().map(Vec::len), Some(9));
}

/// `kefu analyze --json` carries the expert path as answers any front-end can replay.
#[test]
fn analyze_json_has_a_replayable_expert_path_and_audit_prints_its_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = kefu(&["analyze", &sample(), "--json"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let events: Vec<kefu::session::Event> = serde_json::from_value(v["expert_answers"].clone()).expect("answers");
    assert!(!events.is_empty());
    let sc = crate::common::scenario("tests/data/sample.ron");
    let r = kefu::scoring::Scorer::new(sc).score(0, &events, &kefu::scoring::Ratings::new()).expect("replays");
    assert_eq!((r.projected, r.ending.as_deref()), (100, Some("done")));

    let o = kefu(&["audit", &sample(), "--seeds", "5"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    for row in ["专家路径", "总选最长的选项", "总选最短的选项", "总选第一个选项", "随机作答", "堆砌关键词"] {
        assert!(out.contains(row), "{out}");
    }
    let o = kefu(&["audit", &sample(), "--seeds", "5", "--json", "--lang", "en"], dir.path(), "");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!((v[0]["seeds"].as_u64(), v[0]["bots"].as_array().map(Vec::len)), (Some(5), Some(5)));
}

/// A typed reply over `--stdio` (issue 11): the reply as text, the checklist back as marks.
#[test]
fn stdio_takes_a_typed_reply() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = repo("scenarios/p1t3-botched-phone-call.ron").display().to_string();
    let sc = crate::common::scenario("scenarios/p1t3-botched-phone-call.ron");
    // The expert's answers up to the opening line.
    let mut s = kefu::Session::new(std::sync::Arc::clone(&sc), 5).expect("session");
    let mut tried = kefu::session::autoplay::Tried::new();
    let mut lines = Vec::new();
    while s.node_id() != "open" {
        let e = kefu::session::autoplay::next_event(&s, kefu::session::autoplay::Policy::Expert, &mut tried).expect("move");
        lines.push(serde_json::to_string(&e).expect("json"));
        s.apply(&e).expect("applies");
    }
    lines.push(r#"{"node":"open","action":{"Say":"喂，長海物流，我的工號是026"}}"#.to_string());
    let o = kefu(&["play", &file, "--seed", "5", "--stdio"], dir.path(), &(lines.join("\n") + "\n"));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    let views: Vec<serde_json::Value> = out.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let at_open = views.iter().find(|v| v["node"] == "open").expect("the Say view");
    assert_eq!((at_open["kind"].as_str(), at_open["max_chars"].as_u64()), (Some("Say"), Some(60)));
    // The last line is the unfinished attempt's answers (input ended); the view before it follows the reply.
    let last = views.iter().rev().find(|v| v["type"] == "view").expect("a view after the reply");
    assert_eq!(last["node"], "rude_line", "the caller reacts to 喂: {out}");
    let marks: Vec<(String, bool, String)> = last["marks"]
        .as_array()
        .expect("marks")
        .iter()
        .map(|m| (m["id"].as_str().unwrap_or("").to_string(), m["right"].as_bool().unwrap_or(true), m["given"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        marks,
        vec![
            ("greet".into(), false, "（没有说到）".into()),
            ("company".into(), true, "「長海物流」".into()),
            ("staff".into(), true, "「工號是026」".into()),
            ("offer".into(), false, "（没有说到）".into()),
            ("avoid1".into(), false, "「喂」".into()),
        ]
    );
}

fn kefu_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kefu"));
    c.args(args).current_dir(cwd).env_remove("KEFU_LANG").stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("kefu runs")
}

/// Teacher report: `--help` was English only. Chinese by default (clap's own words too),
/// English with --lang en or KEFU_LANG=en.
#[test]
fn help_is_chinese_by_default_and_english_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [&["--help"][..], &["check", "--help"], &["help", "play"], &["records", "verify", "-h"], &["new", "--help"]] {
        let o = kefu(args, dir.path(), "");
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let out = text(&o);
        assert!(out.contains("用法：kefu") && out.contains("显示帮助"), "{args:?}: {out}");
        for english in ["Usage", "Options:", "Commands:", "Arguments:", "Print help", "[default:", "[env:"] {
            assert!(!out.contains(english), "{args:?} says {english}: {out}");
        }
    }
    let out = text(&kefu(&["--help"], dir.path(), ""));
    assert!(out.contains("检查场景文件") && out.contains("命令:") && out.contains("选项:"), "{out}");
    let out = text(&kefu(&["new", "--help"], dir.path(), ""));
    assert!(out.contains("写到哪个文件夹（默认：scenarios）"), "{out}");
    for o in [kefu(&["--lang", "en", "check", "--help"], dir.path(), ""), kefu(&["check", "--help", "--lang=en"], dir.path(), ""), kefu_env(&["check", "--help"], dir.path(), &[("KEFU_LANG", "en")])] {
        let out = text(&o);
        assert!(out.contains("Usage: kefu check") && out.contains("Print diagnostics as JSON") && out.contains("Print help"), "{out}");
        assert!(!out.contains("用法") && !out.contains("检查场景文件"), "{out}");
    }
    // --lang on the command line wins over KEFU_LANG.
    let out = text(&kefu_env(&["--lang", "zh", "--help"], dir.path(), &[("KEFU_LANG", "en")]));
    assert!(out.contains("用法：kefu"), "{out}");
}

/// Every command and every argument has its Chinese description (a new option added in English
/// only fails here).
#[test]
fn every_command_and_argument_is_described_in_chinese() {
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut todo = vec![(String::new(), kefu::cli::help::command(Lang::Zh))];
    let mut seen = 0;
    while let Some((path, cmd)) = todo.pop() {
        seen += 1;
        assert!(cmd.get_about().is_some_and(|a| cjk(&a.to_string())), "`kefu {path}` has no Chinese description");
        for a in cmd.get_arguments() {
            assert!(a.get_help().is_some_and(|h| cjk(&h.to_string())), "`kefu {path}` --{} has no Chinese description", a.get_id());
        }
        for s in cmd.get_subcommands() {
            todo.push((format!("{path} {}", s.get_name()).trim().to_string(), s.clone()));
        }
    }
    assert!(seen >= 12, "{seen} commands");
}

/// Teacher report: `kefu check` outside the project said "找不到：scenarios" and exit 2. Now it
/// says plainly what to do, and checks the .ron files of the folder when there are some.
#[test]
fn check_outside_the_project_says_what_to_do_or_checks_the_files_here() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = kefu(&["check"], dir.path(), "");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("这里没有 scenarios 文件夹：请在场景文件所在的文件夹运行，或写出文件名：kefu check 我的场景.ron"), "{}", text(&o));
    let o = kefu(&["--lang", "en", "check"], dir.path(), "");
    assert!(text(&o).contains("there is no scenarios folder here"), "{}", text(&o));

    std::fs::copy(repo("tests/data/sample.ron"), dir.path().join("mine.ron")).expect("copy");
    let o = kefu(&["check"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("检查当前文件夹里的 1 个 .ron 文件") && text(&o).contains("检查了 1 个文件：0 个错误"), "{}", text(&o));
    let broken = std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read").replacen("next: \"greet\"", "next: \"gret\"", 1);
    std::fs::write(dir.path().join("b.ron"), broken).expect("write");
    let o = kefu(&["check"], dir.path(), "");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("[unknown-target]") && text(&o).contains("先改上面的 unknown-target"), "{}", text(&o));

    // The other commands reading scenarios/ by default say the same.
    std::fs::create_dir(dir.path().join("records")).expect("mkdir");
    std::fs::write(dir.path().join("class.csv"), "学号,姓名\n1,王\n").expect("roster");
    let o = kefu(&["export", "--class", "class.csv", "--records", "records", "--out", "g.csv"], dir.path(), "");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("这里没有 scenarios 文件夹：请在场景文件所在的文件夹运行，或写出场景文件夹：kefu export --scenarios"), "{}", text(&o));
    let o = kefu(&["records", "verify", "records"], dir.path(), "");
    assert!(text(&o).contains("这里没有 scenarios 文件夹"), "{}", text(&o));
}

/// Teacher report: `kefu new` kept the template's course (project 1, task 2) and title, unsaid.
/// Without flags and without a terminal the file gets placeholders: said at once, and warned
/// about by `kefu check` until changed. A project or task the course lacks is refused.
#[test]
fn new_without_a_title_or_course_leaves_placeholders_that_check_warns_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = kefu(&["new", "mine"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("注意：标题（title，或用 --title \"…\"）、课程项目和任务（course，或用 --project N --task N）还没有填写"), "{}", text(&o));
    let written = std::fs::read_to_string(dir.path().join("scenarios/mine.ron")).expect("written");
    assert!(!written.contains("project: 1, task: 2") && !written.contains("模板：前台接待来访客户"), "{written}");
    let o = kefu(&["check", "scenarios/mine.ron"], dir.path(), "");
    assert_eq!(o.status.code(), Some(0), "warnings only: {}", text(&o));
    let out = text(&o);
    assert!(out.contains("警告: 课程项目和任务还是模板里的值：请改成你的") && out.contains("警告: 标题还是模板里的值") && out.contains("[template-values]"), "{out}");
    assert!(out.contains("0 个错误，2 个警告"), "{out}");

    for args in [&["new", "x", "--project", "3", "--task", "7"][..], &["new", "x", "--project", "2"]] {
        let o = kefu(args, dir.path(), "");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(!dir.path().join("scenarios/x.ron").exists());
    }
    assert!(text(&kefu(&["new", "x", "--project", "3", "--task", "7"], dir.path(), "")).contains("课程里没有项目3 任务7：课程有 项目1 任务1–3"));
    // A scenario with a course the outline lacks is warned about too.
    std::fs::write(dir.path().join("odd.ron"), std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read").replacen("course: (project: 1, task: 3)", "course: (project: 7, task: 1)", 1)).expect("write");
    let out = text(&kefu(&["check", "odd.ron"], dir.path(), ""));
    assert!(out.contains("[course-unknown]") && out.contains("课程里没有项目7 任务1"), "{out}");
}

/// Teacher report: the terminal play hid countdowns, hint costs and the ending reached. It says
/// the time limit with the prompt, what a hint costs, that a late answer is the timeout (as in
/// the app), and which ending was reached (id, success or failure) before the score.
#[test]
fn terminal_play_shows_time_limits_hint_costs_and_the_ending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = r#"Scenario(
    id: "timed",
    title: "限时",
    course: (project: 1, task: 1),
    situation: "客户在等。",
    roles: [(id: "agent", name: "客服", played_by: Student), (id: "customer", name: "客户")],
    nodes: [
        Choice(
            id: "pick",
            speaker: "customer",
            prompt: "您能马上处理吗？",
            options: [
                (id: "yes", text: "马上为您处理。", effects: (speed: 2), feedback: "好。", expert: true, next: "end_ok"),
                (id: "no", text: "等一下。", effects: (speed: -1), feedback: "慢。", next: "end_ok"),
            ],
            timeout: (seconds: 1, next: "end_lost", feedback: "客户等不及了。"),
            hints: [(text: "快一点。", cost: 2)],
        ),
        Ending(id: "end_ok", outcome: "客户满意。"),
        Ending(id: "end_lost", outcome: "客户走了。", success: false),
    ],
)"#;
    std::fs::write(dir.path().join("t.ron"), src).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(["play", "t.ron", "--seed", "1"])
        .current_dir(dir.path())
        .env_remove("KEFU_LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"h\n").expect("hint");
    stdin.flush().expect("flush");
    // Well past the 1 s limit, even when the machine is slow to start kefu.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    stdin.write_all(b"1\n").expect("answer");
    drop(stdin);
    let o = child.wait_with_output().expect("kefu finishes");
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("您能马上处理吗？（限时 1 秒）"), "{out}");
    assert!(out.contains("（输入 h 看提示：扣 2 分，还有 1 条）") && out.contains("💡 提示（扣 2 分）：快一点。"), "{out}");
    assert!(out.contains("⏱ 超过了限时（用了 ") && out.contains(" 秒，限时 1 秒）：按超时处理") && out.contains("客户等不及了。"), "{out}");
    let ending = out.find("【结局】`end_lost`（失败）：客户走了。").unwrap_or_else(|| panic!("{out}"));
    assert!(ending < out.find("== 结果 ==").expect("the score"), "the ending before the score: {out}");
    assert!(out.contains("使用提示"), "{out}");

    // Scripted play says the ending too.
    std::fs::write(dir.path().join("a.ron"), "[(action: Choose(\"yes\"), elapsed_ms: 300)]").expect("write");
    let o = kefu(&["--lang", "en", "play", "t.ron", "--seed", "1", "--answers", "a.ron"], dir.path(), "");
    assert!(text(&o).contains("[Ending] `end_ok` (success): 客户满意。"), "{}", text(&o));
}

#[test]
fn terminal_play_brackets_narration_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = r#"Scenario(
    id: "narr",
    title: "旁白",
    course: (project: 1, task: 2),
    situation: "测试",
    roles: [Role(id: "me", name: "我", played_by: Student)],
    nodes: [
        Line(id: "a", text: "（系统显示：运单已更改）", next: "b"),
        Line(id: "b", text: "客户挂了电话", next: "end"),
        Ending(id: "end", outcome: "办好了"),
    ],
)
"#;
    std::fs::write(dir.path().join("n.ron"), src).expect("write");
    let o = kefu(&["play", "n.ron", "--seed", "1"], dir.path(), "\n\n\n");
    let out = text(&o);
    assert!(out.contains("（系统显示：运单已更改）") && !out.contains("（（"), "written brackets are not doubled: {out}");
    assert!(out.contains("（客户挂了电话）"), "plain narration is bracketed: {out}");
}
