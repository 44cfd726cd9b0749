//! P1 T1 · the detour notice as a role play: named student paths through
//! scenarios/p1t1-detour-notice.ron with exact totals, grades, endings and critical errors.
//!
//! Maxima (file header): smile 3, speed 5, sincerity 6, skill 8, research 6 (28);
//! attitude 5, listening 5, presentation 10. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths.

use std::sync::Arc;

use kefu::scenario::{Cap, Dim, Scenario};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event, Session};

use crate::common::*;

const T1: &str = "scenarios/p1t1-detour-notice.ron";

fn months(sc: &Arc<Scenario>, seed: u64) -> String {
    let s = Session::new(Arc::clone(sc), seed).expect("starts");
    s.values().get("months").map(|t| t.zh.clone()).expect("a `months` variant")
}

fn notes(fields: &[(&str, &str)], ms: u64) -> Event {
    at("notes", ms, Action::Form(pairs(fields)))
}

fn right_notes(sc: &Arc<Scenario>, seed: u64) -> Event {
    let m = months(sc, seed);
    notes(&[("closed", "1号门和2号门"), ("open_gate", "3号门"), ("reason", "修建地铁"), ("months", m.as_str())], 30_000)
}

fn who(ms: u64) -> Event {
    at("who", ms, Action::Match(pairs(&[
        ("big", "notify"), ("occasional", "notify"), ("suppliers", "notify"), ("visitors", "notify"), ("couriers", "notify"),
        ("staff", "notify"), ("residents", "notify"), ("consignees", "unaffected"), ("builder", "unaffected"),
    ])))
}

fn channels(ms: u64) -> Event {
    at("channels", ms, Action::Match(pairs(&[("web", "all"), ("email", "big"), ("call", "big"), ("reminder", "callers"), ("signs", "visitors")])))
}

const GOOD_SIGN: [&str; 7] = ["why", "what", "where", "map", "howlong", "sorry", "thanks"];

fn sign(phrases: &[&str], ms: u64) -> Event {
    at("sign", ms, Action::Compose(ids(phrases)))
}

fn pickup(ms: u64) -> Event {
    at("ring", ms, Action::Pickup)
}

fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    vec![
        cont("brief"),
        choose("accept", "on_it"),
        right_notes(sc, seed),
        who(40_000),
        cont("colleague"),
        choose("if_silent", "stats"),
        channels(30_000),
        choose("big_client", "call_big"),
        pickup(1500),
        cont("call_in"),
        choose("remind", "remind"),
        sign(&GOOD_SIGN, 60_000),
        cont("admin_asks"),
        choose("warning", "polite_no"),
        choose("timing", "before"),
        cont("day_one"),
    ]
}

// ---------------------------------------------------------------------------------------------
// The file and its audit

#[test]
fn t1_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(T1);
    assert_eq!(maxima(&scenario(T1)), vec![3.0, 5.0, 6.0, 8.0, 6.0, 5.0, 5.0, 10.0]);
}

#[test]
fn t1_has_success_and_failure_endings() {
    let sc = scenario(T1);
    let endings: Vec<(&str, bool)> = endings(&sc).into_iter().map(|(id, success, _)| (id, success)).collect();
    assert_eq!(endings, vec![("done", true), ("done_bumpy", true), ("complaints", false), ("big_lost", false), ("taken_off", false)]);
}

/// The grade cannot be gamed: naive strategies stay well below 中等, the expert gets 100 on
/// every seed, and every single critical error on the expert path ends at 及格 or below.
#[test]
fn t1_audit_bots_stay_low() {
    let sc = scenario(T1);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        assert!(b.mean < 60.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    let on_path: Vec<u32> = a.critical.iter().filter(|c| c.via.is_none()).filter_map(|c| c.projected).collect();
    assert_eq!(on_path.len(), 10, "every critical except the recovery one is on the expert path");
    assert!(on_path.iter().all(|p| *p <= 69), "{on_path:?}");
    // The recovery choice is reached through one non-critical slip first.
    let soothe = a.critical.iter().find(|c| c.node == "soothe").expect("soothe");
    assert_eq!((soothe.via.as_deref(), soothe.projected, soothe.ending.as_deref()), (Some("remind.see_web"), Some(64), Some("complaints")));
    assert!(on_path.contains(&59), "leaving customers uninformed fails");
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named paths

#[test]
fn t1_expert_path_scores_100() {
    let sc = scenario(T1);
    for seed in [1, 5, 42] {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1));
        assert_eq!(percents(&r), vec![100.0; 5]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert_eq!(r.band.points, 70);
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("done")));
    }
}

/// Quick and careless: sticky note, one gate missing, the builder counted as affected, "one
/// notice for all", e-mail aimed at everyone, the big client left to the website (critical;
/// Wang Lei objects, she then phones), the caller not reminded (called back after Wang Lei
/// asks), a sign without duration, the sign left to admin.
#[test]
fn t1_careless_student() {
    let sc = scenario(T1);
    let seed = 5;
    let m = months(&sc, seed);
    let events = vec![
        cont("brief"),
        choose("accept", "sticky"),
        notes(&[("closed", "1号门"), ("open_gate", "3号门"), ("reason", "地铁施工"), ("months", m.as_str())], 30_000),
        at("who", 40_000, Action::Match(pairs(&[
            ("big", "notify"), ("occasional", "notify"), ("suppliers", "notify"), ("visitors", "notify"), ("couriers", "notify"),
            ("staff", "notify"), ("residents", "notify"), ("consignees", "unaffected"), ("builder", "notify"),
        ]))),
        cont("colleague"),
        choose("if_silent", "same_all"),
        at("channels", 30_000, Action::Match(pairs(&[("web", "all"), ("email", "all"), ("call", "big"), ("reminder", "callers"), ("signs", "visitors")]))),
        choose("big_client", "web_only"),
        cont("wang_big_web"),
        choose("big_retry", "call_now"),
        pickup(4000),
        cont("call_in"),
        choose("remind", "answer_only"),
        cont("wang_overheard"),
        choose("call_back", "ring_back"),
        sign(&["why", "what", "where", "sorry"], 60_000),
        cont("admin_asks"),
        choose("warning", "up_to_you"),
        choose("timing", "before"),
        cont("day_one"),
    ];
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("done_bumpy", true, 52, 58, "不及格", 3));
    assert_eq!(r.band.points, 44);
    assert_eq!(auto_points(&r), (Some(0), Some(3), Some(5)));
    assert_eq!(criticals(&r), vec![("big_client", "没有亲自告知大客户、老客户")]);
    assert_eq!(r.critical[0].cap, Cap::Grade("及格".into()));
}

/// Polite, every answer the expert's, but slow: the phone picked up on the third ring, the
/// caller left waiting once, Wang Lei's question about timing left unanswered, and the whole
/// attempt over the 25-minute limit (band 3).
#[test]
fn t1_polite_but_slow_student() {
    let sc = scenario(T1);
    let seed = 42;
    let m = months(&sc, seed);
    let events = vec![
        at("brief", 20_000, Action::Continue),
        at("accept", 25_000, Action::Choose("on_it".into())),
        notes(&[("closed", "1号门和2号门"), ("open_gate", "3号门"), ("reason", "修建地铁"), ("months", m.as_str())], 360_000),
        who(300_000),
        at("colleague", 20_000, Action::Continue),
        at("if_silent", 60_000, Action::Choose("stats".into())),
        channels(300_000),
        at("big_client", 60_000, Action::Choose("call_big".into())),
        pickup(8000),
        at("call_in", 10_000, Action::Continue),
        at("remind", 30_000, Action::Timeout),
        at("remind", 20_000, Action::Choose("remind".into())),
        sign(&GOOD_SIGN, 420_000),
        at("admin_asks", 20_000, Action::Continue),
        at("warning", 60_000, Action::Choose("polite_no".into())),
        at("timing", 40_000, Action::Timeout),
        at("day_one", 10_000, Action::Continue),
    ];
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("done", true, 67, 74, "中等", 3));
    assert_eq!(r.band.points, 49);
    assert!(!r.within_time);
    assert_eq!(r.elapsed_ms, 1_763_000);
    // speed: 2 (accept) − 1 (ring 3) − 1 (caller kept waiting) − 2 (timing timed out) = −2
    assert_eq!(r.dim(Dim::Speed).points, -2.0);
    assert_eq!(percents(&r), vec![100.0, 0.0, 100.0, 100.0, 100.0]);
    assert_eq!(auto_points(&r), (Some(4), Some(5), Some(9)));
    let timed: Vec<&str> = r.decisions.iter().filter(|d| d.timed_out).map(|d| d.node.as_str()).collect();
    assert_eq!(timed, vec!["remind", "timing"]);
    assert!(r.critical.is_empty());
}

/// Writes nothing in the notebook and tells Wang Lei it is all in her head (a strike); the
/// rest is the expert's.
#[test]
fn t1_student_who_records_nothing() {
    let sc = scenario(T1);
    let seed = 1;
    let mut events = expert(&sc, seed);
    let _removed: Vec<Event> = events.splice(2..3, [
        notes(&[("closed", ""), ("open_gate", ""), ("reason", ""), ("months", "")], 5000),
        cont("wang_check"),
        choose("recheck", "in_head"),
        cont("wang_notebook"),
    ]).collect();
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("done_bumpy", true, 80, 89, "良好", 1));
    assert_eq!(r.band.points, 65);
    assert_eq!(auto_points(&r), (Some(4), Some(1), Some(10)));
    assert_eq!(r.dim(Dim::Research).percent, 50.0);
    assert!(r.critical.is_empty());

    // Owning up and asking again keeps the success ending clean, but the notes are still empty.
    let _removed: Vec<Event> = events.splice(3..6, [cont("wang_check"), choose("recheck", "ask_again")]).collect();
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("done", true, 82, 91, "优秀", 1));
    assert_eq!(auto_points(&r), (Some(5), Some(1), Some(10)));
}

/// The expert's answers with one hint taken at the channels: band 2 (one hint allowed), −1.
#[test]
fn t1_student_who_uses_a_hint() {
    let sc = scenario(T1);
    let seed = 1;
    let mut events = expert(&sc, seed);
    events.insert(6, at("channels", 8000, Action::Hint));
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 2));
    assert_eq!((r.band.points, r.hints_used, r.hint_cost), (59, 1, 1));
    assert_eq!(percents(&r), vec![100.0; 5]);
    assert!(r.critical.is_empty());
}

/// A cardinal error on the sign: blame (不是我们的责任) and 后果自负, no apology or thanks; then
/// she agrees to admin's warning line. Three critical errors cap the total at 69.
#[test]
fn t1_student_who_writes_a_negative_sign() {
    let sc = scenario(T1);
    let seed = 1;
    let mut events = expert(&sc, seed);
    events[11] = sign(&["why", "what", "where", "howlong", "blame", "warn"], 60_000);
    let _removed: Vec<Event> = events.splice(13..14, [choose("warning", "accept_warn"), cont("wang_sign")]).collect();
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("done_bumpy", true, 69, 69, "及格", 1));
    assert_eq!((r.uncapped_total, r.cap_limit), (Some(78), Some(69)));
    assert_eq!(criticals(&r), vec![
        ("sign", "通知没有致歉或致谢"),
        ("sign", "通知使用负面语言"),
        ("warning", "指示牌使用负面语言（警告、推卸）"),
    ]);
    let sign = r.decisions.iter().find(|d| d.node == "sign").expect("sign decision");
    // Require situation/why/what/where/howlong and Before kept; apology missing, negative words used: 6/8
    assert!((sign.credit.expect("credit") - 6.0 / 8.0).abs() < 1e-9);
}

/// Refuses the caller twice (transfers them to sales, then hides behind procedure): the caller
/// complains and the attempt ends in complaints.
#[test]
fn t1_student_who_refuses_the_caller() {
    let sc = scenario(T1);
    let seed = 1;
    let mut events = expert(&sc, seed);
    events.truncate(10);
    events.extend([choose("remind", "transfer"), cont("caller_upset_transfer"), choose("soothe", "justify"), cont("caller_complains")]);
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("complaints", false, 58, 64, "及格", 3));
    assert_eq!(r.band.points, 49);
    assert_eq!(criticals(&r), vec![("remind", "违反首问负责制（推开来电客户）"), ("soothe", "违反首问负责制（推开来电客户）")]);
}

/// Leaves the big client to the website and, when Wang Lei objects, still won't call: the
/// client's trucks are stuck at gate 2 and the client is lost.
#[test]
fn t1_student_who_loses_the_big_client() {
    let sc = scenario(T1);
    let seed = 1;
    let mut events = expert(&sc, seed);
    events.truncate(7);
    events.extend([choose("big_client", "web_only"), cont("wang_big_web"), choose("big_retry", "insist"), cont("big_day_one")]);
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("big_lost", false, 54, 59, "不及格", 3));
    assert_eq!(criticals(&r), vec![("big_client", "没有亲自告知大客户、老客户"), ("big_lost", "失去大客户")]);
    assert_eq!(r.critical[1].cap, Cap::Grade("不及格".into()));
}

/// "Not our department", then "no need to tell anyone": Wang Lei takes the task away.
#[test]
fn t1_student_who_pushes_the_task_away() {
    let sc = scenario(T1);
    let seed = 1;
    let events = vec![
        cont("brief"),
        choose("accept", "not_mine"),
        cont("wang_push"),
        right_notes(&sc, seed),
        who(40_000),
        cont("colleague"),
        choose("if_silent", "agree"),
        cont("wang_silent"),
    ];
    let r = score(&sc, seed, &events);
    assert_eq!(summary(&r), ("taken_off", false, 47, 52, "不及格", 3));
    assert_eq!(criticals(&r), vec![("accept", "违反首问负责制（把告知客户的事推给别的部门）"), ("if_silent", "不告知受影响的客户（把麻烦留给客户）")]);
}
