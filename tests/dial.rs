//! The outgoing call (`Dial`): numbers read as the phone reads them, tries counted, the busy and
//! unknown-number routes, `max_tries` → `on_fail`, validation with line and column, the
//! `--stdio` view. Scenario: tests/data/dial.ron (the warehouse from a directory, then the
//! driver, whose number is only said on the line and who is engaged on the first try).

use std::path::Path;

use kefu::scenario::{Severity, load_str, validate};
use kefu::session::{Action, Session, SessionError, View};
use kefu::Lang;

use crate::common::*;

const DIAL: &str = "tests/data/dial.ron";

fn dial(node: &str, number: &str) -> kefu::session::Event {
    at(node, 4000, Action::Dial(number.to_string()))
}

fn session() -> Session {
    Session::new(scenario(DIAL), 0).expect("starts")
}

/// The step's points as (key, points) pairs, sorted by key.
fn effects(step: &kefu::session::Step) -> Vec<(&str, f64)> {
    step.effects.iter().map(|(k, v)| (k.as_str(), *v)).collect()
}

#[test]
fn the_dial_file_checks_clean() {
    assert_checks_clean(DIAL);
}

#[test]
fn dialling_the_right_number_first_time() {
    let mut s = session();
    let View::Dial { node, speaker, directory, max_digits, tries, max_tries, .. } = s.view(Lang::Zh) else { panic!("a dial first") };
    assert_eq!((node.as_str(), speaker.map(|s| s.name), max_digits, tries, max_tries), ("call", Some("李维".to_string()), 4, 0, 3));
    let dir: Vec<(&str, &str)> = directory.iter().map(|l| (l.number.as_str(), l.label.as_str())).collect();
    assert_eq!(dir, vec![("8301", "仓库 张师傅"), ("8302", "财务室")]);
    let step = s.answer(Action::Dial("8301".into()), 4000).expect("dials").clone();
    assert_eq!(step.kind, "Dial");
    assert_eq!(effects(&step), vec![("skill", 2.0), ("speed", 1.0)]);
    assert_eq!((step.credit, step.expert, step.lost.is_empty()), (Some(1.0), true, true));
    assert_eq!(step.answer[0].zh, "拨 8301（仓库 张师傅）：接通");
    assert_eq!(step.feedback[0].zh, "货物入库归仓库管：直接找仓库。");
    assert_eq!((s.node_id(), s.vars().get("call_tries").copied()), ("zhang", Some(1)));
}

#[test]
fn a_wrong_number_then_the_right_one() {
    let mut s = session();
    let wrong = s.answer(Action::Dial("8302".into()), 3000).expect("dials").clone();
    assert_eq!(effects(&wrong), vec![("skill", -1.0)]);
    // Short of the expert's call by its 2 skill (and 1 below: the −1) and 1 speed.
    assert_eq!(wrong.lost.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), vec![("skill", 3.0), ("speed", 1.0)]);
    assert_eq!((wrong.credit, wrong.expert), (Some(0.0), false));
    assert_eq!(wrong.answer[0].zh, "拨 8302（财务室）：接通（打错了人）");
    assert_eq!((s.node_id(), s.vars().get("wrong").copied()), ("accounts", Some(1)));
    s.answer(Action::Continue, 500).expect("back to the phone");
    let View::Dial { tries, .. } = s.view(Lang::Zh) else { panic!("the dial again") };
    assert_eq!(tries, 1);
    let right = s.answer(Action::Dial("8301".into()), 3000).expect("dials").clone();
    // The right call still earns its points, but not the credit of a first-time call.
    assert_eq!(effects(&right), vec![("skill", 2.0), ("speed", 1.0)]);
    assert_eq!((right.credit, right.expert), (Some(0.0), false));
    assert_eq!(s.vars().get("call_tries"), Some(&2));
    let events = vec![dial("call", "8302"), cont("accounts"), dial("call", "8301"), cont("zhang"), dial("driver", "13800001234"), cont("engaged"), dial("driver", "13800001234")];
    let r = score(&scenario(DIAL), 0, &events);
    // skill −1 + 2 = 1 of 2; speed 1 of 1
    assert_eq!(points(&r), vec![0.0, 1.0, 0.0, 1.0, 0.0]);
    assert_eq!(summary(&r).0, "end");
}

#[test]
fn redialling_the_same_wrong_number_costs_every_time() {
    let sc = scenario(DIAL);
    let events = vec![dial("call", "8302"), cont("accounts"), dial("call", "8302"), cont("accounts"), dial("call", "8301")];
    let r = score(&sc, 0, &events);
    assert_eq!(points(&r)[3], 0.0, "skill −1 −1 +2");
    let calls: Vec<f64> = r.decisions.iter().filter(|d| d.node == "call").map(|d| d.effects.get("skill").copied().unwrap_or(0.0)).collect();
    assert_eq!(calls, vec![-1.0, -1.0, 2.0]);
}

#[test]
fn an_unknown_number_takes_the_otherwise_route() {
    let mut s = session();
    let step = s.answer(Action::Dial("8888".into()), 3000).expect("dials").clone();
    assert_eq!(effects(&step), vec![("skill", -1.0)]);
    assert_eq!(step.answer[0].zh, "拨 8888：空号");
    assert_eq!(step.feedback[0].zh, "看清号码表再拨。");
    assert_eq!((s.node_id(), s.vars().get("wrong").copied(), s.vars().get("call_tries").copied()), ("no_such", Some(1), Some(1)));
}

#[test]
fn an_engaged_line_counts_the_try_and_the_retry_gets_through() {
    let mut s = session();
    for e in [dial("call", "8301"), cont("zhang")] {
        s.apply(&e).expect("applies");
    }
    let View::Dial { node, directory, max_digits, .. } = s.view(Lang::Zh) else { panic!("the driver's dial") };
    // No directory: the number was only said on the line. 11 digits, the longest listed.
    assert_eq!((node.as_str(), directory.len(), max_digits), ("driver", 0, 11));
    let busy = s.answer(Action::Dial("138-0000-1234".into()), 5000).expect("dials").clone();
    assert!(busy.effects.is_empty() && busy.lost.is_empty(), "the right call at the wrong moment costs nothing: {busy:?}");
    assert_eq!((busy.expert, busy.answer[0].zh.as_str()), (true, "拨 13800001234：占线"));
    assert_eq!((s.node_id(), s.vars().get("driver_tries").copied()), ("engaged", Some(1)));
    s.answer(Action::Continue, 500).expect("back");
    let through = s.answer(Action::Dial("13800001234".into()), 5000).expect("dials").clone();
    assert_eq!(effects(&through), vec![("attitude", 1.0), ("listening", 1.0), ("presentation", 1.0)]);
    // The engaged try was no mistake: this is still a first-time right call.
    assert_eq!((through.credit, through.expert), (Some(1.0), true));
    assert_eq!((s.node_id(), s.vars().get("driver_tries").copied()), ("end", Some(2)));
}

#[test]
fn max_tries_ends_on_the_fail_route() {
    let sc = scenario(DIAL);
    let mut s = session();
    for e in [dial("call", "8302"), cont("accounts"), dial("call", "1234"), cont("no_such")] {
        s.apply(&e).expect("applies");
    }
    let last = s.answer(Action::Dial("8302".into()), 3000).expect("dials").clone();
    // The third wrong try: its own −1 skill, then on_fail's −1 speed and feedback.
    assert_eq!(effects(&last), vec![("skill", -1.0), ("speed", -1.0)]);
    assert_eq!(last.feedback.iter().map(|f| f.zh.as_str()).collect::<Vec<_>>(), vec!["财务室不管入库。", "三次都没打通仓库，客户还在等。"]);
    assert_eq!(last.answer[1].zh, "第 3 次仍没有打通");
    assert_eq!((s.node_id(), s.vars().get("call_tries").copied(), s.vars().get("wrong").copied()), ("gave_up", Some(3), Some(3)));
    let events = vec![dial("call", "8302"), cont("accounts"), dial("call", "1234"), cont("no_such"), dial("call", "8302"), cont("gave_up")];
    let r = score(&sc, 0, &events);
    assert_eq!(points(&r), vec![0.0, -1.0, 0.0, -3.0, 0.0]);
    assert_eq!((summary(&r).0, summary(&r).1), ("end_late", false));
    // The right number on the last try still gets through.
    let mut s = session();
    for e in [dial("call", "8302"), cont("accounts"), dial("call", "1234"), cont("no_such"), dial("call", "8301")] {
        s.apply(&e).expect("applies");
    }
    assert_eq!(s.node_id(), "zhang");
}

#[test]
fn full_width_digits_spaces_and_dashes_are_read_as_digits() {
    for typed in ["８３０１", "83-01", " 83 01 ", "８３－０１", "(8301)"] {
        let mut s = session();
        let step = s.answer(Action::Dial(typed.into()), 3000).expect("dials").clone();
        assert_eq!((s.node_id(), step.expert), ("zhang", true), "{typed}");
    }
    assert_eq!(kefu::scenario::normalize_number("８２０６"), Some("8206".to_string()));
    assert_eq!(kefu::scenario::normalize_number("82-06"), Some("8206".to_string()));
    assert_eq!(kefu::scenario::normalize_number("82a6"), None);
    assert_eq!(kefu::scenario::normalize_number(" - "), None);
    // Not a number, nothing, too long: refused, and no try is counted.
    let mut s = session();
    for (typed, reason) in [("八三零一", "`八三零一` is not a phone number (digits only)"), ("", "no number dialled"), ("83011", "`83011` is longer than 4 digits")] {
        let e = s.answer(Action::Dial(typed.into()), 3000).expect_err("refused");
        assert_eq!(e, SessionError::InvalidAnswer { node: "call".into(), reason: reason.into() });
    }
    assert_eq!((s.node_id(), s.vars().get("call_tries")), ("call", None));
    assert!(matches!(s.answer(Action::Choose("x".into()), 0), Err(SessionError::WrongKind { kind: "Dial", action: "Choose", .. })));
}

#[test]
fn expert_and_worst_autoplay_and_the_ranges() {
    let sc = scenario(DIAL);
    let a = kefu::analysis::analyze(&sc);
    let expert = a.expert.as_ref().expect("expert");
    assert_eq!(expert.nodes, ids(&["call", "zhang", "driver", "engaged", "driver", "end"]));
    assert_eq!(expert.report.projected, 100);
    let worst = a.worst.as_ref().expect("worst");
    assert_eq!(worst.nodes, ids(&["call", "accounts", "call", "accounts", "call", "gave_up", "end_late"]));
    let range = |k: &str| a.ranges.iter().find(|r| r.key == k).map(|r| (r.min, r.max)).expect("key");
    // Three wrong tries at most (−3), the right call +2; the driver: three unknown numbers −3.
    assert_eq!(range("skill"), (Some(-3.0), Some(2.0)));
    assert_eq!(range("speed"), (Some(-1.0), Some(1.0)));
    assert_eq!(range("listening"), (Some(-3.0), Some(1.0)));
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn the_audit_bots_play_the_dial() {
    let sc = scenario(DIAL);
    let a = kefu::scoring::audit::audit(&sc, 20);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    let row = |b: kefu::scoring::audit::Bot| a.bots.iter().find(|r| r.bot == b).expect("bot");
    use kefu::scoring::audit::Bot;
    // The longest label is the warehouse's: the longest bot calls right, and knows the driver's
    // number as activity bots know every answer.
    assert_eq!(row(Bot::Longest).endings.get("end"), Some(&20), "{:?}", a.bots);
    assert_eq!(row(Bot::First).endings.get("end"), Some(&20), "the warehouse is listed first");
    // The shortest label is the accounts office: three tries there, then on_fail.
    assert_eq!(row(Bot::Shortest).endings.get("end_late"), Some(&20));
    assert_eq!((row(Bot::Shortest).min, row(Bot::Shortest).max), (44, 44));
    let random = row(Bot::Random);
    assert_eq!(random.endings.values().sum::<usize>(), 20);
    assert!(random.endings.len() == 2, "random dialling reaches both endings: {:?}", random.endings);
}

/// One broken Dial per diagnostic, each at its line and column.
#[test]
fn a_broken_dial_is_reported_with_line_and_column() {
    let src = std::fs::read_to_string(repo(DIAL)).expect("reads");
    let check = |from: &str, to: &str, code: &str, at: &str, en: &str| {
        assert!(src.contains(from), "no {from:?}");
        let broken = src.replacen(from, to, 1);
        let i = broken.find(at).unwrap_or_else(|| panic!("no {at:?}"));
        let before = &broken[..i];
        let (line, col) = (1 + before.matches('\n').count(), 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count()));
        let l = load_str(Path::new("dial.ron"), &broken).unwrap_or_else(|d| panic!("{}", d.render(Lang::En)));
        let ds = validate(&l);
        let d = ds.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no `{code}` in {ds:#?}"));
        assert_eq!((d.severity, d.line, d.col), (Severity::Error, line, col), "{}", d.render(Lang::En));
        assert!(d.render(Lang::En).contains(en), "{}", d.render(Lang::En));
    };
    check(r#"(number: "8302", effects"#, r#"(number: "8301", effects"#, "duplicate-number", r#""8301", effects"#, "the number 8301 is listed twice (already numbers[0])");
    check(r#"(number: "8302", effects"#, r#"(number: "83O2", effects"#, "bad-number", r#""83O2""#, "`83O2` is not a phone number");
    check(r#"(number: "8302", label"#, r#"(number: "财务", label"#, "bad-number", r#""财务""#, "`财务` is not a phone number");
    check(r#"(number: "8301", expert: true, "#, r#"(number: "8301", "#, "no-expert", "[\n                (number: \"8301\", effects", "the dial `call` has no expert number");
    check(r#"next: "accounts","#, r#"next: "acounts","#, "unknown-target", r#""acounts""#, "the node `acounts` to go to does not exist (did you mean `accounts`?)");
    check(r#"busy: "driver_tries == 1""#, r#"busy: "driver_try == 1""#, "unknown-variable", r#""driver_try == 1""#, "the variable `driver_try` is not declared");
    check("            busy: (next: \"engaged\"),\n", "", "no-busy-route", r#""driver_tries == 1""#, "has no `busy` route");
    check("max_tries: 3,\n            on_fail: (next: \"gave_up\"", "max_tries: 0,\n            on_fail: (next: \"gave_up\"", "bad-number", "0,\n            on_fail: (next: \"gave_up\"", "max_tries must be more than 0");
    check(r#"tries: "call_tries","#, r#"tries: "call-tries","#, "bad-id", r#""call-tries""#, "the try counter `call-tries`");
}

#[test]
fn the_stdio_view_of_a_dial() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = "{\"action\": {\"Dial\": \"８３-０２\"}, \"elapsed_ms\": 2000}\n{\"action\": \"Continue\"}\n";
    let o = crate::cli::kefu(&["play", &repo(DIAL).display().to_string(), "--seed", "0", "--stdio"], dir.path(), input);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(
        lines[1],
        serde_json::json!({
            "type": "view", "kind": "Dial", "node": "call",
            "speaker": {"id": "agent", "name": "李维", "is_student": true, "replay": false, "portrait": null, "mood": "neutral"},
            "prompt": "拿起内线电话，打给仓库：",
            "directory": [{"number": "8301", "label": "仓库 张师傅"}, {"number": "8302", "label": "财务室"}],
            "max_digits": 4, "tries": 0, "max_tries": 3,
            "feedback": [], "critical": [], "marks": [], "ended": false, "hints_left": 0, "hint": null,
        })
    );
    assert_eq!((lines[2]["kind"].as_str(), lines[2]["node"].as_str()), (Some("Line"), Some("accounts")));
    assert_eq!(lines[2]["feedback"], serde_json::json!(["财务室不管入库。"]));
    assert_eq!((lines[3]["kind"].as_str(), lines[3]["tries"].as_u64()), (Some("Dial"), Some(1)));
}
