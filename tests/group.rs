//! Group role play (issue 16), core and grade sheet: a group plays real course scenarios
//! together — P1 T3 in turns, P1 T2 by role (front desk and follow-up caller) — each answer is
//! credited to the member who gave it, passes and hints land on the right member, each member's
//! criteria come from their own decisions and the band from the whole attempt, and a mixed
//! class (a group that played together, students who played alone) grades as the course means.

use std::collections::HashMap;
use std::sync::Arc;

use kefu::grades::{Entries, Selection, compute};
use kefu::records::{AttemptRecord, Player};
use kefu::roster::load_any;
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, next_event};
use kefu::session::group::{GroupPlay, Member, by_role};
use kefu::session::{Action, Session};

use crate::common::*;

const P1T2: &str = "scenarios/p1t2-front-desk-visitor.ron";
const P1T3: &str = "scenarios/p1t3-botched-phone-call.ron";
const CLASS: &str = "tests/data/roster/class.ron";

fn members(ids: &[(&str, &str)]) -> Vec<Member> {
    ids.iter().map(|(id, name)| Member { id: id.to_string(), name: name.to_string() }).collect()
}

fn trio() -> GroupPlay {
    GroupPlay::new("第一组", members(&[("0024001", "张喆"), ("0024002", "李堃"), ("0024003", "王玥")]))
}

/// Play to the end with each member answering by their own policy, as a front-end does:
/// the answerer is asked first, the session answers, the group credits the entries. `before`
/// may act at the start of each round (pass, take a hint) and says whether to go on at once.
fn play_group(sc: &Arc<kefu::Scenario>, seed: u64, group: &mut GroupPlay, policy: impl Fn(usize) -> Policy, mut before: impl FnMut(&mut Session, &mut GroupPlay) -> bool) -> Session {
    let mut s = Session::new(Arc::clone(sc), seed).expect("session");
    let mut tried: HashMap<usize, kefu::session::autoplay::Tried> = HashMap::new();
    for _ in 0..10_000 {
        if s.is_ended() {
            break;
        }
        if before(&mut s, group) {
            continue;
        }
        let turn = group.whose_turn(&s);
        let p = policy(turn.member);
        let ev = next_event(&s, p, tried.entry(turn.member).or_default()).expect("a next answer");
        let who = group.answerer(&s, &ev.action);
        s.apply(&ev).expect("the answer is taken");
        group.credit(&s, who);
    }
    assert!(s.is_ended(), "the group reaches an ending");
    s
}

/// The member (index) credited with each decision node, in order.
fn decision_owners(s: &Session, g: &GroupPlay) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut step = 0;
    for (i, ev) in s.log().iter().enumerate() {
        if matches!(ev.action, Action::Hint) {
            continue;
        }
        let st = &s.steps()[step];
        step += 1;
        if st.is_decision() {
            out.push((st.node.clone(), g.index_of(&g.by[i]).expect("a member")));
        }
    }
    out
}

#[test]
fn a_group_of_one_scores_exactly_as_a_solo_attempt() {
    let sc = scenario(P1T3);
    let mut one = GroupPlay::new("独自", members(&[("0024006", "孙三")]));
    let s = play_group(&sc, 5, &mut one, |_| Policy::Worst, |_, _| false);
    let scorer = Scorer::new(Arc::clone(&sc));
    assert_eq!(scorer.score_member(&s, &one, 0, &Ratings::new()), scorer.score_session(&s, &Ratings::new()));
}

#[test]
fn p1t3_in_turns_credits_each_member_with_their_own_decisions() {
    let sc = scenario(P1T3);
    assert!(!by_role(&sc), "P1 T3 has one student role: turns");
    let mut g = trio();
    let s = play_group(&sc, 3, &mut g, |_| Policy::Expert, |_, _| false);
    assert_eq!(g.by.len(), s.log().len());
    let owners = decision_owners(&s, &g);
    assert!(owners.len() >= 6, "{owners:?}");
    for (k, (_, m)) in owners.iter().enumerate() {
        assert_eq!(*m, k % 3, "decision {k} goes to member {}: {owners:?}", k % 3);
    }
    let scorer = Scorer::new(Arc::clone(&sc));
    let whole = scorer.score_session(&s, &Ratings::new());
    let reports: Vec<_> = (0..3).map(|i| scorer.score_member(&s, &g, i, &Ratings::new())).collect();
    assert_eq!(reports.iter().map(|r| r.decisions.len()).sum::<usize>(), whole.decisions.len());
    for (i, r) in reports.iter().enumerate() {
        // Everyone played the expert's way: each member's share is full, as the whole attempt's.
        assert_eq!(r.criteria, whole.criteria, "member {i}");
        assert_eq!((r.band.clone(), r.total, r.elapsed_ms), (whole.band.clone(), whole.total, whole.elapsed_ms), "member {i}");
        assert!(r.decisions.iter().all(|d| owners.iter().any(|(n, m)| *n == d.node && *m == i)));
    }
}

#[test]
fn p1t2_by_role_gives_the_follow_up_call_to_the_caller() {
    let sc = scenario(P1T2);
    assert!(by_role(&sc), "P1 T2 has two student roles: the front desk and the follow-up caller");
    let mut g = trio();
    let s = play_group(&sc, 2, &mut g, |_| Policy::Expert, |_, _| false);
    let owners = decision_owners(&s, &g);
    let caller: Vec<&str> = owners.iter().filter(|(_, m)| *m == 1).map(|(n, _)| n.as_str()).collect();
    assert_eq!(caller, vec!["followup", "reply"], "member 2 plays the caller: {owners:?}");
    // Members 1 and 3 share the front desk, taking its decisions in turn.
    let desk: Vec<usize> = owners.iter().filter(|(_, m)| *m != 1).map(|(_, m)| *m).collect();
    assert!(desk.len() >= 4);
    for (k, m) in desk.iter().enumerate() {
        assert_eq!(*m, if k % 2 == 0 { 0 } else { 2 }, "{owners:?}");
    }
    let scorer = Scorer::new(Arc::clone(&sc));
    let whole = scorer.score_session(&s, &Ratings::new());
    for i in 0..3 {
        let r = scorer.score_member(&s, &g, i, &Ratings::new());
        assert_eq!(r.total, whole.total, "everyone played the expert's way: the same total as alone");
        assert_eq!(r.criteria, whole.criteria);
    }

    // The caller slips (the worst follow-up call): only the caller's own criteria drop; the
    // front desk keeps theirs, and the band and 展示与效果 are the group's.
    let mut g = trio();
    let s = play_group(&sc, 2, &mut g, |m| if m == 1 { Policy::Worst } else { Policy::Expert }, |_, _| false);
    let whole = scorer.score_session(&s, &Ratings::new());
    let crit = |r: &kefu::Report, k: &str| r.criterion(k).and_then(|c| c.points);
    let reports: Vec<_> = (0..3).map(|i| scorer.score_member(&s, &g, i, &Ratings::new())).collect();
    let parts: Vec<_> = reports.iter().map(|r| (crit(r, "attitude"), crit(r, "listening"), crit(r, "presentation"), r.band.points, r.total)).collect();
    assert_eq!(parts, vec![(Some(5), Some(5), Some(8), 62, 80), (Some(0), Some(5), Some(8), 62, 75), (Some(5), Some(5), Some(8), 62, 80)], "whole attempt: {:?}", whole.criteria);
    assert_eq!(crit(&reports[1], "presentation"), crit(&whole, "presentation"));
}

#[test]
fn a_pass_holds_through_a_hint_taken_after_it() {
    let sc = scenario(P1T3);
    let mut g = trio();
    let (mut passed, mut hinted) = (false, false);
    let mut who: Option<(usize, usize)> = None;
    let s = play_group(&sc, 3, &mut g, |_| Policy::Expert, |s, g| {
        if s.node().kind() == "Line" || hinted {
            return false;
        }
        if !passed && s.next_hint().is_some() {
            let from = g.whose_turn(s).member;
            let to = (from + 1) % 3;
            assert!(g.pass(s, to));
            who = Some((from, to));
            passed = true;
            return true;
        }
        if passed {
            let turn = g.whose_turn(s).member;
            s.hint(500).expect("a hint");
            g.credit(s, turn);
            hinted = true;
            let after = g.whose_turn(s);
            assert_eq!((after.member, after.passed_from), (who.expect("passed").1, Some(who.expect("passed").0)), "the hint does not undo the pass");
            return true;
        }
        false
    });
    assert!(passed && hinted);
    let (_, to) = who.expect("passed");
    let pass = &g.passes[0];
    // The hint and the answer after it are both the teammate's.
    assert_eq!(g.by[pass.entry], g.members[to].id);
    assert_eq!(g.by[pass.entry + 1], g.members[to].id);
    let scorer = Scorer::new(Arc::clone(&sc));
    let whole = scorer.score_session(&s, &Ratings::new());
    assert_eq!(scorer.score_member(&s, &g, to, &Ratings::new()).hint_cost, whole.hint_cost);
}

#[test]
fn a_line_cannot_be_passed() {
    let sc = scenario(P1T3);
    let mut g = trio();
    let s = Session::new(Arc::clone(&sc), 3).expect("session");
    assert_eq!(s.node().kind(), "Line", "P1 T3 opens with a line");
    assert!(!g.pass(&s, 1));
    assert!(g.passes.is_empty());
}

#[test]
fn a_pass_and_a_hint_land_on_the_member_who_made_them() {
    let sc = scenario(P1T3);
    let mut g = trio();
    let (mut passed, mut hinted) = (false, false);
    let mut taker: Option<usize> = None;
    // At the first decision with a hint, whoever has it takes the hint and then passes the
    // decision to the next member.
    let s = play_group(&sc, 3, &mut g, |_| Policy::Expert, |s, g| {
        if s.node().kind() == "Line" || passed {
            return false;
        }
        let turn = g.whose_turn(s).member;
        if !hinted && s.next_hint().is_some() {
            s.hint(1000).expect("a hint");
            g.credit(s, turn);
            taker = Some(turn);
            hinted = true;
            return true;
        }
        if hinted {
            let to = (turn + 1) % 3;
            assert!(g.pass(s, to));
            assert!(!g.pass(s, to), "the teammate has it already");
            passed = true;
            return true;
        }
        false
    });
    assert!(passed && hinted);
    let taker = taker.expect("someone took the hint");
    let receiver = (taker + 1) % 3;
    assert_eq!(g.passes.len(), 1);
    let pass = &g.passes[0];
    assert_eq!((pass.from.as_str(), pass.to.as_str()), (g.members[taker].id.as_str(), g.members[receiver].id.as_str()));
    assert_eq!(g.by[pass.entry - 1], g.members[taker].id, "the hint before the pass is the taker's");
    assert_eq!(g.by[pass.entry], g.members[receiver].id, "the passed decision is the teammate's");
    let owners = decision_owners(&s, &g);
    let k = owners.iter().position(|(n, _)| *n == pass.node).expect("the passed node");
    assert_eq!(owners[k].1, receiver, "{owners:?}");
    if let Some(next) = owners.get(k + 1) {
        assert_eq!(next.1, (k + 1) % 3, "the turns go on from the count of decisions: {owners:?}");
    }
    let scorer = Scorer::new(Arc::clone(&sc));
    let costs: Vec<u32> = (0..3).map(|i| scorer.score_member(&s, &g, i, &Ratings::new()).hint_cost).collect();
    let whole = scorer.score_session(&s, &Ratings::new());
    assert!(whole.hint_cost > 0);
    let mut expected = vec![0, 0, 0];
    expected[taker] = whole.hint_cost;
    assert_eq!(costs, expected, "the hint costs whoever took it");
}

/// A group record as the app files it.
fn group_record(sc: &Arc<kefu::Scenario>, hash: &str, seed: u64, g: &GroupPlay, s: &Session, started: &str) -> AttemptRecord {
    let mut rec = AttemptRecord::start(s, hash, Player { id: g.members[0].id.clone(), name: g.members[0].name.clone(), group: Some(g.name.clone()) });
    rec.group = Some(g.clone());
    rec.sync(s);
    rec.started_at = started.into();
    rec.ended_at = Some(started.replace("T09:00", "T09:20"));
    assert_eq!(rec.seed, seed);
    assert_eq!(rec.scenario_id, sc.id);
    rec
}

#[test]
fn a_mixed_class_grades_group_and_solo_attempts() {
    let loaded = load(P1T3);
    let sc = Arc::clone(&loaded.scenario);
    let class = load_any(&repo(CLASS)).expect("class");
    // 第一组 plays together; 第二组's members and 第三组's 孙三 alone.
    let mut g = trio();
    let s = play_group(&sc, 3, &mut g, |m| if m == 1 { Policy::Worst } else { Policy::Expert }, |_, _| false);
    let group_rec = group_record(&sc, &loaded.hash, 3, &g, &s, "2026-11-20T09:00:00Z");
    assert_eq!(group_rec.schema_version, 3);
    let text = group_rec.to_ron();
    let back = AttemptRecord::from_ron(std::path::Path::new("g.ron"), &text).expect("reads back");
    assert_eq!(back.group, group_rec.group);
    let solo = |id: &str, name: &str, policy| {
        let s = kefu::session::autoplay::play(&sc, 4, policy).expect("autoplay");
        let mut r = AttemptRecord::start(&s, &loaded.hash, Player { id: id.into(), name: name.into(), group: None });
        r.sync(&s);
        r.started_at = "2026-11-20T10:00:00Z".into();
        r.ended_at = Some("2026-11-20T10:20:00Z".into());
        r
    };
    let records = vec![
        ("g.ron".into(), back),
        ("a.ron".into(), solo("0024004", "赵一", Policy::Expert)),
        ("b.ron".into(), solo("0024005", "钱二", Policy::Worst)),
        ("c.ron".into(), solo("0024006", "孙三", Policy::Expert)),
    ];
    let scorer = Scorer::new(Arc::clone(&sc));
    let grades = compute(&class, std::slice::from_ref(&loaded), &records, &Entries::new(&class.name), &Selection::default());
    let task = &grades.tasks[0];
    for (i, m) in g.members.iter().enumerate() {
        let line = task.member(&m.id).expect("member");
        let expected = scorer.score_member(&s, &g, i, &Ratings::new());
        let counted = line.counted.as_ref().expect("the group attempt counts");
        assert_eq!(counted.report, expected, "{}'s line is the core's member report", m.name);
        assert_eq!(line.criteria, expected.criteria.iter().map(|c| c.points).collect::<Vec<_>>());
    }
    let note = task.member("0024002").expect("李堃").notes.iter().map(|n| n.zh.clone()).find(|n| n.starts_with("小组作答"));
    let own = scorer.score_member(&s, &g, 1, &Ratings::new()).decisions.len();
    assert_eq!(note, Some(format!("小组作答（第一组，3 人）：本人 {own} 个决定，让给组员 0 次，接过 0 次")));
    let band_of = |name: &str| task.groups.iter().find(|gr| gr.name == name).and_then(|gr| gr.band.as_ref()).map(|b| b.points);
    assert_eq!(band_of("第一组"), Some(scorer.score_session(&s, &Ratings::new()).band.points), "the group's band is its attempt's");
    let solo_line = task.member("0024004").expect("赵一");
    assert_eq!(solo_line.counted.as_ref().map(|c| c.report.total), Some(scorer.score(4, &records[1].1.log, &Ratings::new()).expect("score").total));

    // The task may count only solo attempts: the group's members then have none.
    let mut entries = Entries::new(&class.name);
    entries.tasks.entry(sc.id.clone()).or_default().attempts = Some(kefu::grades::entries::AttemptKind::Solo);
    let grades = compute(&class, std::slice::from_ref(&loaded), &records, &entries, &Selection::default());
    assert!(grades.tasks[0].member("0024001").expect("张喆").counted.is_none());
    assert!(grades.tasks[0].member("0024004").expect("赵一").counted.is_some());
    entries.tasks.entry(sc.id.clone()).or_default().attempts = Some(kefu::grades::entries::AttemptKind::Group);
    let grades = compute(&class, std::slice::from_ref(&loaded), &records, &entries, &Selection::default());
    assert!(grades.tasks[0].member("0024001").expect("张喆").counted.is_some());
    assert!(grades.tasks[0].member("0024004").expect("赵一").counted.is_none());
}

#[test]
fn a_group_record_edited_to_credit_a_stranger_is_not_counted() {
    let loaded = load(P1T3);
    let sc = Arc::clone(&loaded.scenario);
    let mut g = trio();
    let s = play_group(&sc, 3, &mut g, |_| Policy::Expert, |_, _| false);
    let rec = group_record(&sc, &loaded.hash, 3, &g, &s, "2026-11-20T09:00:00Z");
    let text = rec.to_ron().replacen("\"0024002\"", "\"0099999\"", 2);
    assert_ne!(text, rec.to_ron());
    let back = AttemptRecord::from_text_checked(std::path::Path::new("g.ron"), &text, None, std::time::SystemTime::now()).expect("reads");
    let problems: Vec<String> = back.trust.problems().iter().map(|p| p.en.clone().unwrap_or_default()).collect();
    assert!(!back.trust.counts(), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("not a member of the group")), "{problems:?}");
    let mut twice = rec.clone();
    if let Some(gp) = twice.group.as_mut() {
        gp.members[2].id = gp.members[0].id.clone();
        gp.by.iter_mut().filter(|b| **b == "0024003").for_each(|b| *b = "0024001".into());
    }
    let back = AttemptRecord::from_text_checked(std::path::Path::new("g.ron"), &twice.to_ron(), None, std::time::SystemTime::now()).expect("reads");
    assert!(back.trust.problems().iter().any(|p| p.en.as_deref().is_some_and(|e| e.contains("listed twice"))), "one student cannot hold two places");
    let mut short = rec.clone();
    if let Some(gp) = short.group.as_mut() {
        gp.by.pop();
    }
    let back = AttemptRecord::from_text_checked(std::path::Path::new("g.ron"), &short.to_ron(), None, std::time::SystemTime::now()).expect("reads");
    assert!(back.trust.problems().iter().any(|p| p.en.as_deref().is_some_and(|e| e.contains("names who gave"))));
}


/// `kefu play --group` through the real binary: `--stdio` (a pass, each view's turn, the members'
/// reports) and `--answers --record --json` (a group record filed, each member's report).
#[test]
fn the_terminal_plays_as_a_group() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let sc = scenario(P1T3);
    let expert = kefu::session::autoplay::play(&sc, 3, Policy::Expert).expect("autoplay");
    let group = "第一组=0024001:张喆,0024002:李堃,0024003:王玥";
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(["--lang", "en", "play", P1T3, "--seed", "3", "--stdio", "--group", group])
        .current_dir(repo(""))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("kefu runs");
    // The pass comes at the first decision (a line cannot be passed).
    let mut lines: Vec<String> = expert.log().iter().map(|e| serde_json::to_string(e).expect("json")).collect();
    let first = expert.log().iter().position(|e| e.action != Action::Continue).expect("a decision");
    lines.insert(first, r#"{"pass": 2}"#.to_string());
    let mut stdin = child.stdin.take().expect("stdin");
    let feed = std::thread::spawn(move || {
        for l in lines {
            let _ = writeln!(stdin, "{l}");
        }
    });
    let out = child.wait_with_output().expect("ends");
    feed.join().expect("fed");
    let text = String::from_utf8_lossy(&out.stdout);
    let json: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(json[0]["group"]["members"].as_array().map(Vec::len), Some(3));
    // The first decision is member 1's; after the pass, member 2's (from 1).
    let first_decision = json.iter().position(|j| j["type"] == "view" && j["turn"]["member"] == 2).expect("a view after the pass");
    assert_eq!(json[first_decision]["turn"]["passed_from"], 1);
    let report = json.last().expect("a report");
    assert_eq!(report["type"], "report");
    let g = &report["group"];
    let played: GroupPlay = GroupPlay {
        name: g["name"].as_str().unwrap_or_default().into(),
        members: serde_json::from_value(json[0]["group"]["members"].clone()).expect("members"),
        by: serde_json::from_value(g["by"].clone()).expect("by"),
        passes: serde_json::from_value(g["passes"].clone()).expect("passes"),
    };
    let log: Vec<kefu::Event> = serde_json::from_value(report["answers"].clone()).expect("answers");
    let s = Session::replay(Arc::clone(&sc), 3, &log).expect("replays");
    let scorer = Scorer::new(Arc::clone(&sc));
    for i in 0..3 {
        let theirs = serde_json::to_value(scorer.score_member(&s, &played, i, &Ratings::new())).expect("json");
        assert_eq!(g["members"][i]["report"], theirs, "member {i}");
    }
    assert_eq!(played.passes.len(), 1);

    // Scripted, filed and as JSON.
    let dir = tempfile::tempdir().expect("tmp");
    let answers = dir.path().join("a.ron");
    std::fs::write(&answers, ron::to_string(&expert.log().to_vec()).expect("ron")).expect("write");
    let records = dir.path().join("records");
    let o = run_guarded(
        Command::new(env!("CARGO_BIN_EXE_kefu"))
            .args(["--lang", "en", "play", P1T3, "--seed", "3", "--json", "--group", group, "--answers"])
            .arg(&answers)
            .arg("--record")
            .arg(&records)
            .env_remove("KEFU_CLASS_KEY")
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("KEFU_CONFIG", dir.path().join("none.toml"))
            .current_dir(repo("")),
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(j["members"].as_array().map(Vec::len), Some(3));
    let folder = kefu::records::store::read_folder(&records, None).expect("records");
    let rec = &folder.records[0].1;
    let g = rec.group.as_ref().expect("a group record");
    assert_eq!((g.name.as_str(), g.by.len(), rec.player.id.as_str()), ("第一组", rec.log.len(), "0024001"));
    assert!(rec.trust.counts());
}
