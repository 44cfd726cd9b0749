//! Courseware: the scenarios of project 1 (tasks 1-3), checked, played and scored exactly.
//!
//! Each scenario's maxima are written in its file header; the expected numbers below are worked
//! out by hand from the effects in the files (see the comments at each path).

use std::sync::Arc;

use kefu::scenario::{Dim, Scenario, Severity, analyze, check_file};
use kefu::scoring::{Ratings, Report, ScoreError, Scorer, Source};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event, Session, SessionError};

use crate::common::*;

const T1: &str = "scenarios/p1t1-detour-notice.ron";
const T2: &str = "scenarios/p1t2-front-desk-visitor.ron";
const T3: &str = "scenarios/p1t3-botched-phone-call.ron";
const ALL: [&str; 3] = [T1, T2, T3];

/// Seeds used for the paths; form answers are taken from the variants each seed draws.
const SEEDS: [u64; 3] = [1, 5, 42];

/// The variant value `key` (Chinese) drawn by `seed`.
fn value(sc: &Arc<Scenario>, seed: u64, key: &str) -> String {
    let s = Session::new(Arc::clone(sc), seed).expect("starts");
    s.values().get(key).map(|t| t.zh.clone()).unwrap_or_else(|| panic!("no variant value `{key}`"))
}

fn form(node: &str, fields: &[(&str, String)]) -> Event {
    at(node, 30_000, Action::Form(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()))
}

fn score(sc: &Arc<Scenario>, seed: u64, events: &[Event]) -> Report {
    Scorer::new(Arc::clone(sc)).score(seed, events, &Ratings::new()).unwrap_or_else(|e| panic!("{e}"))
}

fn percents(r: &Report) -> Vec<f64> {
    Dim::ALL.iter().map(|d| r.dim(*d).percent).collect()
}

fn auto_points(r: &Report) -> (Option<u32>, Option<u32>, Option<u32>) {
    let p = |k: &str| r.criterion(k).and_then(|c| c.points);
    (p("attitude"), p("listening"), p("presentation"))
}

/// Full marks everywhere the scenario can give them; cooperation left to people.
fn assert_full_marks(r: &Report, ending: &str) {
    assert!(r.finished && r.success, "finished and successful");
    assert_eq!(r.ending.as_deref(), Some(ending));
    assert_eq!(percents(r), vec![100.0; 5], "every 5S dimension at 100%");
    assert_eq!(auto_points(r), (Some(5), Some(5), Some(10)));
    assert_eq!(r.criterion("cooperation").map(|c| c.source), Some(Source::Pending));
    assert_eq!((r.band.band, r.band.points), (1, 70));
    assert_eq!((r.member_points, r.total, r.projected), (20, 90, 100));
    assert_eq!(r.grade.zh, "优秀");
    assert!(r.within_time);
    assert_eq!(r.hints_used, 0);
}

/// The maxima per key as the analysis computes them, in the order
/// smile, speed, sincerity, skill, research, attitude, listening, presentation.
fn maxima(sc: &Arc<Scenario>) -> Vec<f64> {
    let scorer = Scorer::new(Arc::clone(sc));
    ["smile", "speed", "sincerity", "skill", "research", "attitude", "listening", "presentation"].iter().map(|k| scorer.max_of(k)).collect()
}

// ---------------------------------------------------------------------------------------------
// Every file

#[test]
fn every_courseware_file_checks_clean() {
    for rel in ALL {
        let (loaded, diags) = check_file(&repo(rel));
        assert!(loaded.is_some(), "{rel} loads");
        let shown: Vec<String> = diags.iter().map(|d| d.render(kefu::Lang::En)).collect();
        assert!(diags.is_empty(), "{rel}: {} error(s), {} warning(s):\n{}", diags.iter().filter(|d| d.severity == Severity::Error).count(), diags.iter().filter(|d| d.severity == Severity::Warning).count(), shown.join("\n"));
    }
}

#[test]
fn every_courseware_file_belongs_to_its_task_and_casts_liu_mingli() {
    for (i, rel) in ALL.iter().enumerate() {
        let sc = scenario(rel);
        assert_eq!((sc.course.project, sc.course.task), (1, i as u32 + 1), "{rel}");
        let student = sc.student_role().expect("a student role");
        assert_eq!((student.name.zh.as_str(), student.name.en.as_deref()), ("刘铭丽", Some("Liu Mingli")));
        assert!(sc.minutes.is_some() && sc.time_limit_minutes.is_some(), "{rel}: minutes and time limit");
    }
}

/// Every shown text that contains Chinese has an English version (the app has an English
/// switch). Accepted answers of form fields are not shown, so they are exempt.
#[test]
fn every_courseware_text_is_bilingual() {
    fn walk(v: &serde_json::Value, path: &str, missing: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(zh)) = m.get("zh") {
                    let cjk = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                    let english = m.get("en").and_then(serde_json::Value::as_str).unwrap_or("");
                    if cjk && english.is_empty() {
                        missing.push(format!("{path}: {zh}"));
                    }
                }
                for (k, x) in m {
                    if k != "expected" {
                        walk(x, &format!("{path}.{k}"), missing);
                    }
                }
            }
            serde_json::Value::Array(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    walk(x, &format!("{path}[{i}]"), missing);
                }
            }
            _ => {}
        }
    }
    for rel in ALL {
        let sc = scenario(rel);
        let json = serde_json::to_value(&*sc).expect("serialises");
        let mut missing = Vec::new();
        walk(&json, "", &mut missing);
        assert!(missing.is_empty(), "{rel}: texts without English:\n{}", missing.join("\n"));
    }
}

/// Every choice has an expert option and every option explains itself.
#[test]
fn every_choice_has_an_expert_and_feedback_on_every_option() {
    for rel in ALL {
        let sc = scenario(rel);
        for n in &sc.nodes {
            if let kefu::scenario::Node::Choice(c) = n {
                assert!(c.options.iter().any(|o| o.expert), "{rel}: `{}` has no expert option", c.id);
                for o in &c.options {
                    assert!(o.feedback.as_ref().is_some_and(|f| f.en.is_some()), "{rel}: `{}.{}` lacks bilingual feedback", c.id, o.id);
                }
            }
        }
    }
}

/// Autoplayed expert paths score full marks whatever variant a seed draws.
#[test]
fn expert_autoplay_scores_full_marks_for_every_seed() {
    for rel in ALL {
        let sc = scenario(rel);
        for seed in 0..12 {
            let s = play(&sc, seed, Policy::Expert).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let r = Scorer::new(Arc::clone(&sc)).score_session(&s, &Ratings::new());
            assert_full_marks(&r, "done");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// P1 T1 · the detour notice. Maxima: smile 3, speed 4, sincerity 6, skill 8, research 6 (27);
// attitude 5, listening 5, presentation 10.

fn t1_expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    vec![
        cont("brief"),
        choose("accept", "on_it"),
        form("notes", &[("closed", "1号、2号门".into()), ("open_gate", "３号门".into()), ("reason", "修建地铁".into()), ("months", format!("{}个月", value(sc, seed, "months")))]),
        at("who", 40_000, Action::Match(pairs(&[
            ("big", "notify"), ("occasional", "notify"), ("suppliers", "notify"), ("visitors", "notify"), ("couriers", "notify"),
            ("staff", "notify"), ("residents", "notify"), ("consignees", "unaffected"), ("builder", "unaffected"),
        ]))),
        choose("if_silent", "stats"),
        at("channels", 30_000, Action::Match(pairs(&[("web", "all"), ("email", "big"), ("call", "big"), ("reminder", "callers"), ("signs", "visitors")]))),
        choose("big_client", "call_big"),
        cont("call_in"),
        choose("remind", "remind"),
        at("sign", 60_000, Action::Compose(ids(&["why", "what", "where", "map", "howlong", "sorry", "thanks"]))),
        choose("timing", "before"),
    ]
}

#[test]
fn t1_maxima_are_the_documented_ones() {
    assert_eq!(maxima(&scenario(T1)), vec![3.0, 4.0, 6.0, 8.0, 6.0, 5.0, 5.0, 10.0]);
}

#[test]
fn t1_expert_path_scores_full_marks() {
    let sc = scenario(T1);
    let seed = SEEDS[0];
    let r = score(&sc, seed, &t1_expert(&sc, seed));
    assert_full_marks(&r, "done");
    assert!(r.decisions.iter().all(|d| d.expert), "every decision is the expert's");
    let auto = play(&sc, seed, Policy::Expert).expect("plays");
    let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
    assert_eq!((a.total, a.projected, a.band.points, percents(&a)), (r.total, r.projected, r.band.points, percents(&r)));
}

/// Quick start, but: one gate missing from the notes, the builder counted as affected, "wait for
/// complaints", e-mail aimed at everyone, the caller not reminded, a sign with no duration and a
/// line of blame.
#[test]
fn t1_mixed_path_scores_exactly() {
    let sc = scenario(T1);
    let seed = SEEDS[1];
    let events = vec![
        cont("brief"),
        choose("accept", "on_it"), // smile +1, speed +2, attitude +1
        // closed wrong; open_gate, reason, months right: listening +3, research +1
        form("notes", &[("closed", "1号门".into()), ("open_gate", "3号门".into()), ("reason", "地铁施工".into()), ("months", value(&sc, seed, "months"))]),
        // 8 of 9: research 3 × 8/9 = 2.67
        at("who", 40_000, Action::Match(pairs(&[
            ("big", "notify"), ("occasional", "notify"), ("suppliers", "notify"), ("visitors", "notify"), ("couriers", "notify"),
            ("staff", "notify"), ("residents", "notify"), ("consignees", "unaffected"), ("builder", "notify"),
        ]))),
        choose("if_silent", "wait_complaints"), // speed -1, sincerity -1
        // 4 of 5: skill 3.2, presentation 1.6
        at("channels", 30_000, Action::Match(pairs(&[("web", "all"), ("email", "all"), ("call", "big"), ("reminder", "callers"), ("signs", "visitors")]))),
        choose("big_client", "call_big"), // skill +2, sincerity +1, smile +1, attitude +1
        cont("call_in"),
        choose("remind", "answer_only"), // skill -1
        // why, what, where, apology kept; howlong missing, negative used: 4/6 → presentation 4, sincerity 2
        at("sign", 60_000, Action::Compose(ids(&["why", "what", "where", "sorry", "blame"]))),
        choose("timing", "before"), // speed +2, attitude +1, presentation +1
    ];
    let r = score(&sc, seed, &events);
    assert!(r.finished && r.success);
    // smile 2/3, speed 3/4, sincerity 2/6, skill 4.2/8, research 3.67/6
    assert_eq!(percents(&r), vec![66.7, 75.0, 33.3, 52.5, 61.1]);
    assert_eq!((r.dim(Dim::Skill).points, r.dim(Dim::Research).points), (4.2, 3.7));
    // attitude 3/5 → 3; listening 3/5 → 3; presentation 6.6/10 → 7
    assert_eq!(auto_points(&r), (Some(3), Some(3), Some(7)));
    // share (2 + 3 + 2 + 4.2 + 11/3) / 27 = 0.550 (raw points, not the rounded 3.7) → band 2: 50 + round(9 × 0.167) = 52
    assert!((r.share - (2.0 + 3.0 + 2.0 + 4.2 + 11.0 / 3.0) / 27.0).abs() < 1e-9);
    assert_eq!((r.band.band, r.band.points), (2, 52));
    // 13 + 52 = 65 of 90 → 72 projected
    assert_eq!((r.member_points, r.total, r.projected), (13, 65, 72));
    assert_eq!(r.grade.zh, "中等");
    assert_eq!(r.advice.dim, Dim::Sincerity);
    let sign = r.decisions.iter().find(|d| d.node == "sign").expect("sign decision");
    assert!((sign.credit.expect("credit") - 4.0 / 6.0).abs() < 1e-9);
    assert_eq!(sign.feedback.len(), 3, "two broken rules and the general note");
}

/// The expert's answers with one hint taken: help used rules out bands 1 and 2.
#[test]
fn t1_a_hint_moves_the_group_to_band_3() {
    let sc = scenario(T1);
    let seed = SEEDS[0];
    let mut events = t1_expert(&sc, seed);
    events.insert(5, at("channels", 8000, Action::Hint));
    let r = score(&sc, seed, &events);
    assert_eq!(percents(&r), vec![100.0; 5]);
    assert_eq!((r.hints_used, r.hint_cost), (1, 1));
    // band 3 at its top (49); 20 + 49 − 1 = 68 → 76 projected
    assert_eq!((r.band.band, r.band.points), (3, 49));
    assert_eq!((r.total, r.projected), (68, 76));
    assert_eq!(r.grade.zh, "中等");
}

#[test]
fn t1_analysis_separates_expert_and_worst() {
    let a = analyze(&scenario(T1));
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
    let expert = a.expert.expect("expert path");
    let worst = a.worst.expect("worst path");
    assert_eq!((expert.report.total, expert.report.projected), (90, 100));
    assert_eq!((worst.report.band.band, worst.report.total, worst.report.projected), (3, 40, 44));
    assert_eq!(percents(&worst.report), vec![0.0; 5]);
}

// ---------------------------------------------------------------------------------------------
// P1 T2 · the front-desk visitor. Maxima: smile 5, speed 3, sincerity 5, skill 8, research 9 (30);
// attitude 5, listening 5, presentation 10.

const PROCESS: [&str; 9] = ["book", "inspect", "repack", "label", "weigh", "waybill", "pay", "notify", "release"];

fn t2_expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let v = |k: &str| value(sc, seed, k);
    vec![
        cont("arrive"),
        choose("greet", "stand_greet"),
        cont("visitor_asks"),
        choose("seat", "lounge"),
        choose("ask", "ask_all"),
        cont("needs1"),
        cont("needs2"),
        form("needs_form", &[
            ("goods", v("goods")),
            ("banned", format!("{}（请客户取出）", v("banned"))),
            ("fragile", "易碎品，需加固包装".into()),
            ("dest", "山东威海乳山市银滩度假村".into()),
            ("pickup", format!("武汉{}，上门取货", v("pickup_place"))),
            ("deadline", format!("{}前", v("deadline"))),
        ]),
        choose("confirm", "repeat"),
        choose("route", "check"),
        choose("fees", "rate_card"),
        at("process", 45_000, Action::Order(ids(&PROCESS))),
        choose("farewell", "see_off"),
        cont("delivered"),
        at("followup", 20_000, Action::Order(ids(&["receipt", "feel", "suggest", "thank"]))),
        cont("suggestion"),
        choose("reply", "note_it"),
    ]
}

#[test]
fn t2_maxima_are_the_documented_ones() {
    assert_eq!(maxima(&scenario(T2)), vec![5.0, 3.0, 5.0, 8.0, 9.0, 5.0, 5.0, 10.0]);
}

#[test]
fn t2_expert_path_scores_full_marks_for_every_visitor() {
    let sc = scenario(T2);
    let mut visitors = std::collections::BTreeSet::new();
    for seed in SEEDS {
        visitors.insert(value(&sc, seed, "visitor"));
        let r = score(&sc, seed, &t2_expert(&sc, seed));
        assert_full_marks(&r, "done");
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, percents(&a)), (r.total, r.projected, percents(&r)));
    }
    assert!(visitors.len() >= 2, "the seeds meet different visitors: {visitors:?}");
}

/// Finishing paperwork first, asking only for the weight, the prohibited item and the deadline
/// missed, a vague price, the process two-thirds in order, no hotline at the door.
#[test]
fn t2_mixed_path_scores_exactly() {
    let sc = scenario(T2);
    let seed = SEEDS[2];
    let v = |k: &str| value(&sc, seed, k);
    let events = vec![
        cont("arrive"),
        choose("greet", "finish_first"), // speed -2, sincerity -1
        cont("visitor_asks"),
        choose("seat", "lounge"),      // smile +1, sincerity +1, research +1, attitude +1
        choose("ask", "price_only"),   // research -1
        cont("needs1"),
        cont("needs2"),
        // goods, fragile, dest, pickup right (listening +3, research +1); banned empty, deadline wrong
        form("needs_form", &[
            ("goods", v("goods")),
            ("banned", String::new()),
            ("fragile", "易碎".into()),
            ("dest", "威海乳山银滩".into()),
            ("pickup", v("pickup_place")),
            ("deadline", "月底".into()),
        ]),
        choose("confirm", "repeat"),  // listening +1, research +1, attitude +1
        choose("route", "check"),     // skill +2, sincerity +1, speed +1
        choose("fees", "vague"),      // skill -2, sincerity -1
        // longest run in order: book inspect repack label notify release = 6 of 9 → skill 2, presentation 2.67
        at("process", 45_000, Action::Order(ids(&["weigh", "waybill", "pay", "book", "inspect", "repack", "label", "notify", "release"]))),
        choose("farewell", "thanks_only"), // smile +1
        cont("delivered"),
        at("followup", 20_000, Action::Order(ids(&["receipt", "feel", "suggest", "thank"]))), // research +2, presentation +3
        cont("suggestion"),
        choose("reply", "note_it"), // research +1, sincerity +1, attitude +1, presentation +1
    ];
    let r = score(&sc, seed, &events);
    assert!(r.finished && r.success);
    // smile 2/5, speed −1/3 → 0, sincerity 1/5, skill 2/8, research 5/9
    assert_eq!(percents(&r), vec![40.0, 0.0, 20.0, 25.0, 55.6]);
    assert_eq!(r.dim(Dim::Speed).points, -1.0);
    // attitude 3/5 → 3; listening 4/5 → 4; presentation 6.67/10 → 7
    assert_eq!(auto_points(&r), (Some(3), Some(4), Some(7)));
    // share 10/30 → band 3: 40 + round(9 × 0.667) = 46
    assert!((r.share - 10.0 / 30.0).abs() < 1e-9);
    assert_eq!((r.band.band, r.band.points), (3, 46));
    // 14 + 46 = 60 → 67 projected
    assert_eq!((r.member_points, r.total, r.projected), (14, 60, 67));
    assert_eq!(r.grade.zh, "及格");
    let process = r.decisions.iter().find(|d| d.node == "process").expect("process decision");
    assert!((process.credit.expect("credit") - 6.0 / 9.0).abs() < 1e-9);
    let notes = r.decisions.iter().find(|d| d.node == "needs_form").expect("form decision");
    assert_eq!(notes.credit, Some(4.0 / 6.0));
    assert!(notes.feedback.iter().any(|f| f.zh.contains(&v("banned"))), "the missed prohibited item is named");
}

/// Standing at the desk until the visitor gives up waiting: the greeting's countdown runs out.
#[test]
fn t2_a_silent_front_desk_times_out() {
    let sc = scenario(T2);
    let seed = SEEDS[0];
    let mut events = t2_expert(&sc, seed);
    events[1] = at("greet", 16_000, Action::Choose("stand_greet".into()));
    let r = score(&sc, seed, &events);
    let greet = r.decisions.iter().find(|d| d.node == "greet").expect("greet decision");
    assert!(greet.timed_out);
    // smile 5 − 2 − 1 = 2 of 5; speed 3 − 2 − 1 = 0 of 3; attitude 4 of 5
    assert_eq!(percents(&r), vec![40.0, 0.0, 100.0, 100.0, 100.0]);
    assert_eq!(auto_points(&r), (Some(4), Some(5), Some(10)));
    // share (2 + 0 + 5 + 8 + 9)/30 = 0.8 → band 1 at its floor: 60
    assert_eq!((r.band.band, r.band.points, r.total, r.projected), (1, 60, 79, 88));
}

#[test]
fn t2_analysis_separates_expert_and_worst() {
    let a = analyze(&scenario(T2));
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
    let expert = a.expert.expect("expert path");
    let worst = a.worst.expect("worst path");
    assert_eq!((expert.report.total, expert.report.projected), (90, 100));
    // Worst: every choice the lowest, forms empty, orders reversed (1 of 9 and 1 of 4 in order):
    // presentation 4/9 + 3/4 = 1.19 → 1; band 3 at 40.
    assert_eq!(auto_points(&worst.report), (Some(0), Some(0), Some(1)));
    assert_eq!((worst.report.band.band, worst.report.total, worst.report.projected), (3, 41, 46));
}

// ---------------------------------------------------------------------------------------------
// P1 T3 · the botched phone call. Ring interval 3 s. Maxima: smile 4, speed 5, sincerity 4,
// skill 8, research 8 (29); attitude 5, listening 5, presentation 10.

const REPLAY: [&str; 6] = ["replay1", "replay2", "replay3", "replay4", "replay5", "replay6"];

fn faults(right: &[(&str, &str)]) -> Event {
    at("faults", 60_000, Action::Match(pairs(right)))
}

const FAULTS_RIGHT: [(&str, &str); 8] = [
    ("not_here", "principle"), ("own_work", "principle"), ("ring4", "etiquette"), ("no_name", "etiquette"),
    ("reluctant", "etiquette"), ("reading", "etiquette"), ("fragments", "quality"), ("no_time", "quality"),
];

fn t3_expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let v = |k: &str| value(sc, seed, k);
    let mut e: Vec<Event> = REPLAY.iter().map(|n| cont(n)).collect();
    e.extend([
        faults(&FAULTS_RIGHT),
        cont("again"),
        at("ring", 1500, Action::Pickup),
        choose("open", "company_id"),
        cont("request_intro"),
        choose("focus", "notebook"),
        cont("request"),
        form("notes", &[("dest", v("city")), ("goods", v("goods")), ("weight", format!("约{}公斤", v("weight"))), ("arrive", v("arrive_by"))]),
        choose("confirm", "repeat_all"),
        choose("answer", "accurate"),
        choose("book", "ask_book"),
        cont("phone_line"),
        form("contact", &[("phone", v("phone"))]),
        choose("rep", "rep_call"),
        choose("close", "thank_wait"),
        cont("after_call"),
        cont("arrived"),
    ]);
    e
}

#[test]
fn t3_maxima_are_the_documented_ones() {
    assert_eq!(maxima(&scenario(T3)), vec![4.0, 5.0, 4.0, 8.0, 8.0, 5.0, 5.0, 10.0]);
}

#[test]
fn t3_expert_path_scores_full_marks() {
    let sc = scenario(T3);
    for seed in SEEDS {
        let r = score(&sc, seed, &t3_expert(&sc, seed));
        assert_full_marks(&r, "done");
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!(auto.vars().get("noted_time"), Some(&1));
        assert_eq!((a.total, a.projected, percents(&a)), (r.total, r.projected, percents(&r)));
    }
}

/// The courseware's call, re-enacted: the phone answered on the 4th ring, "the service staff
/// isn't here", a reluctant "then go ahead", reading files while talking, fragments noted and no
/// arrival time, no confirmation, the customer left to ask a sales rep and to call again, hung up
/// on. The analysis in part (a) gets 5 of 8 faults right.
#[test]
fn t3_the_courseware_botched_call_ends_in_the_complaint() {
    let sc = scenario(T3);
    let seed = SEEDS[0];
    let v = |k: &str| value(&sc, seed, k);
    let mut events: Vec<Event> = REPLAY.iter().map(|n| cont(n)).collect();
    events.extend([
        // own_work, reluctant and no_time misplaced: 5/8 → skill 1.25, research 1.25, presentation 1.875
        faults(&[
            ("not_here", "principle"), ("own_work", "etiquette"), ("ring4", "etiquette"), ("no_name", "etiquette"),
            ("reluctant", "quality"), ("reading", "etiquette"), ("fragments", "quality"), ("no_time", "etiquette"),
        ]),
        cont("again"),
        at("ring", 10_500, Action::Pickup),   // 3.5 ring intervals: ring 4 → speed -2, attitude -1
        choose("open", "not_here"),           // sincerity -3, attitude -2
        cont("pushed"),
        choose("recover", "reluctant"),       // smile -1, attitude -1
        choose("focus", "multitask"),         // research -2, listening -1
        cont("request"),
        // only the destination: listening +1; noted_time stays 0
        form("notes", &[("dest", v("city")), ("goods", "货".into()), ("weight", String::new()), ("arrive", String::new())]),
        choose("confirm", "no_confirm"),      // listening -1, research -1
        choose("answer", "vague"),            // skill -2, sincerity -1
        choose("book", "just_phone"),         // skill -1
        cont("phone_line"),
        form("contact", &[("phone", v("phone"))]), // research +1
        choose("rep", "self_call"),           // speed -1, skill -1
        choose("close", "hang_first"),        // sincerity -2, attitude -1
        cont("after_call"),
        cont("complaint"),
    ]);
    let r = score(&sc, seed, &events);
    assert!(r.finished && !r.success);
    assert_eq!(r.ending.as_deref(), Some("complaint_end"));
    let ring = r.decisions.iter().find(|d| d.node == "ring").expect("ring decision");
    assert_eq!(ring.answer[0].zh, "第 4 声铃响时接起");
    // smile −1, speed −3, sincerity −6, skill −2.75, research −0.75: all 0%
    assert_eq!(percents(&r), vec![0.0; 5]);
    assert_eq!(
        [Dim::Smile, Dim::Speed, Dim::Sincerity, Dim::Skill, Dim::Research].map(|d| r.dim(d).points),
        [-1.0, -3.0, -6.0, -2.8, -0.8]
    );
    // 迅速 and 倾听 at nothing; presentation 1.875/10 → 2
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(2)));
    assert_eq!(r.share, 0.0);
    assert_eq!((r.band.band, r.band.points), (3, 40));
    assert_eq!((r.member_points, r.total, r.projected), (2, 42, 47));
    assert_eq!(r.grade.zh, "不及格");
}

/// A good call except: answered on the 3rd ring, a sticky note, a rash "tomorrow for sure",
/// hanging up before the customer; part (a) 6 of 8.
#[test]
fn t3_mixed_path_scores_exactly() {
    let sc = scenario(T3);
    let seed = SEEDS[1];
    let v = |k: &str| value(&sc, seed, k);
    let mut events: Vec<Event> = REPLAY.iter().map(|n| cont(n)).collect();
    events.extend([
        // own_work and no_time misplaced: 6/8 → skill 1.5, research 1.5, presentation 2.25
        faults(&[
            ("not_here", "principle"), ("own_work", "etiquette"), ("ring4", "etiquette"), ("no_name", "etiquette"),
            ("reluctant", "etiquette"), ("reading", "etiquette"), ("fragments", "quality"), ("no_time", "etiquette"),
        ]),
        cont("again"),
        at("ring", 7000, Action::Pickup),     // ring 3: speed +2, attitude +1
        choose("open", "company_id"),         // smile +2, skill +1, attitude +1
        cont("request_intro"),
        choose("focus", "sticky"),            // research -1
        cont("request"),
        // all right: listening +4, research +2, presentation +3, noted_time = 1
        form("notes", &[("dest", v("city")), ("goods", v("goods")), ("weight", v("weight")), ("arrive", v("arrive_key"))]),
        choose("confirm", "repeat_all"),      // listening +1, research +1, attitude +1
        choose("answer", "overpromise"),      // sincerity -2, skill -1
        choose("book", "ask_book"),           // research +1, skill +1, speed +1
        cont("phone_line"),
        form("contact", &[("phone", v("phone"))]), // research +1
        choose("rep", "rep_call"),            // skill +1, speed +1, sincerity +1
        choose("close", "quick_bye"),         // smile +1, sincerity -1
        cont("after_call"),
        cont("arrived"),
    ]);
    let r = score(&sc, seed, &events);
    assert!(r.finished && r.success);
    assert_eq!(r.ending.as_deref(), Some("done"));
    // smile 3/4, speed 4/5, sincerity −2/4 → 0, skill 3.5/8, research 5.5/8
    assert_eq!(percents(&r), vec![75.0, 80.0, 0.0, 43.8, 68.8]);
    // attitude 3/5; listening 5/5; presentation 5.25/10 → 5
    assert_eq!(auto_points(&r), (Some(3), Some(5), Some(5)));
    // share 16/29 = 0.552 → band 2: 50 + round(9 × 0.172) = 52
    assert!((r.share - 16.0 / 29.0).abs() < 1e-9);
    assert_eq!((r.band.band, r.band.points), (2, 52));
    assert_eq!((r.member_points, r.total, r.projected), (13, 65, 72));
    assert_eq!(r.grade.zh, "中等");
    assert_eq!(r.advice.dim, Dim::Sincerity);
}

/// Everything right except the arrival time: the confirmation, the answer and the hand-over
/// cannot cover the deadline, and the customer complains.
#[test]
fn t3_not_noting_the_arrival_time_ends_in_the_complaint() {
    let sc = scenario(T3);
    let seed = SEEDS[2];
    let v = |k: &str| value(&sc, seed, k);
    let mut events = t3_expert(&sc, seed);
    let notes = events.iter().position(|e| e.node == "notes").expect("notes");
    events[notes] = form("notes", &[("dest", v("city")), ("goods", v("goods")), ("weight", v("weight")), ("arrive", String::new())]);

    // Without the time in the notes, the full confirmation is not offered.
    let refused = Scorer::new(Arc::clone(&sc)).score(seed, &events, &Ratings::new());
    assert!(matches!(refused, Err(ScoreError::Replay { error: SessionError::OptionNotAvailable { .. }, .. })), "{refused:?}");

    let swap = |events: &mut Vec<Event>, node: &str, option: &str| {
        let i = events.iter().position(|e| e.node == node).expect("node");
        events[i] = choose(node, option);
    };
    swap(&mut events, "confirm", "repeat_part"); // listening +1
    swap(&mut events, "answer", "general");      // skill +1, presentation +1
    swap(&mut events, "rep", "rep_plain");       // speed +1
    let last = events.len() - 1;
    events[last] = cont("complaint");
    let r = score(&sc, seed, &events);
    assert!(r.finished && !r.success);
    assert_eq!(r.ending.as_deref(), Some("complaint_end"));
    // smile 4/4, speed 5/5, sincerity 2/4, skill 5/8, research 6/8
    assert_eq!(percents(&r), vec![100.0, 100.0, 50.0, 62.5, 75.0]);
    // attitude 4/5, listening 3/5, presentation 6/10
    assert_eq!(auto_points(&r), (Some(4), Some(3), Some(6)));
    // share 22/29 = 0.759 → band 2: 50 + round(9 × 0.862) = 58
    assert_eq!((r.band.band, r.band.points), (2, 58));
    assert_eq!((r.member_points, r.total, r.projected), (13, 71, 79));
    assert_eq!(r.grade.zh, "中等");
}

/// Nobody answers within six rings: the customer hangs up.
#[test]
fn t3_an_unanswered_phone_loses_the_customer() {
    let sc = scenario(T3);
    let seed = SEEDS[0];
    let mut events: Vec<Event> = REPLAY.iter().map(|n| cont(n)).collect();
    events.extend([faults(&FAULTS_RIGHT), cont("again"), at("ring", 18_000, Action::Pickup)]);
    let r = score(&sc, seed, &events);
    assert_eq!(r.ending.as_deref(), Some("hung_up"));
    assert!(r.finished && !r.success);
    assert!(r.decisions.iter().any(|d| d.node == "ring" && d.timed_out), "a pickup after six rings is the timeout");
    assert_eq!(r.dim(Dim::Speed).points, -3.0);
    // part (a) right: skill 2/8, research 2/8; presentation 3/10
    assert_eq!(percents(&r), vec![0.0, 0.0, 0.0, 25.0, 25.0]);
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(3)));
    // share 4/29 → band 3: 40 + round(9 × 0.276) = 42; 3 + 42 = 45 → 50
    assert_eq!((r.band.band, r.band.points, r.total, r.projected), (3, 42, 45, 50));
}

#[test]
fn t3_analysis_separates_expert_and_worst() {
    let a = analyze(&scenario(T3));
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
    assert_eq!(a.endings, 4);
    let expert = a.expert.expect("expert path");
    let worst = a.worst.expect("worst path");
    assert_eq!((expert.report.total, expert.report.projected), (90, 100));
    assert_eq!(expert.nodes.last().map(String::as_str), Some("done"));
    // Worst: part (a) all wrong, then the phone rings out.
    assert_eq!(worst.nodes.last().map(String::as_str), Some("hung_up"));
    assert_eq!((worst.report.band.band, worst.report.total, worst.report.projected), (3, 40, 44));
}
