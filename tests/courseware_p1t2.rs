//! P1 T2 · the front-desk visitor as a role play: named student paths through
//! scenarios/p1t2-front-desk-visitor.ron with exact totals, grades, endings and critical errors.
//!
//! Maxima (file header): smile 5, speed 3, sincerity 8, skill 11, research 9 (36);
//! attitude 5, listening 5, presentation 10. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths.

use std::sync::Arc;

use kefu::analysis::analyze;
use kefu::scenario::{Cap, Dim, Scenario};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event};

use crate::common::*;

const T2: &str = "scenarios/p1t2-front-desk-visitor.ron";

/// Seed 1 draws 陈女士 with 玻璃工艺品 (and 喷漆), pickup in 汉口, due 7月15日.
const SEED: u64 = 1;

const PROCESS: [&str; 9] = ["book", "inspect", "repack", "label", "weigh", "waybill", "pay", "notify", "release"];
const FOLLOWUP: [&str; 4] = ["receipt", "feel", "suggest", "thank"];
const GOOD_WORDS: [&str; 4] = ["sorry", "why", "offer", "local"];

const PUSHED: &str = "违反首问负责制：把客户推给别人";

fn needs(fields: &[(&str, String)], ms: u64) -> Event {
    form("needs_form", ms, fields)
}

/// Every need written down right.
fn right_needs(sc: &Arc<Scenario>, seed: u64, ms: u64) -> Event {
    let v = |k: &str| value(sc, seed, k);
    needs(
        &[
            ("goods", v("goods")),
            ("banned", format!("{}（请客户取出）", v("banned"))),
            ("fragile", "易碎品，需加固包装".into()),
            ("dest", "山东威海乳山市银滩度假村".into()),
            ("pickup", format!("武汉{}，上门取货", v("pickup_place"))),
            ("deadline", format!("{}前", v("deadline"))),
        ],
        ms,
    )
}

fn words(phrases: &[&str], ms: u64) -> Event {
    at("ban_words", ms, Action::Compose(ids(phrases)))
}

fn process(steps: &[&str], ms: u64) -> Event {
    at("process", ms, Action::Order(ids(steps)))
}

fn followup(ms: u64) -> Event {
    at("followup", ms, Action::Order(ids(&FOLLOWUP)))
}

/// The model welcome and see-off of the file.
const GREET: &str = "您好，欢迎光临长海物流！我是客服刘铭丽，请问有什么可以帮您？";
const FAREWELL: &str = "这是我们的客服热线和公司网站，凭运单号就能查询货物。感谢您选择长海物流，您慢走！";
/// A cold, seated opening.
const WHAT_IS_IT: &str = "有事吗？";
const FINISH_FIRST: &str = "您好，麻烦您稍等一下，我先把手上这张单子录完。";
const UPSTAIRS: &str = "您好，办业务请上二楼业务部，前台这边只负责来访登记。";
const THANKS_ONLY: &str = "谢谢您！明天取件师傅会先给您打电话，您路上慢点！";

/// From the decision to ship to the end of the follow-up call, all the expert's.
fn expert_tail() -> Vec<Event> {
    vec![
        cont("decide"),
        process(&PROCESS, 45_000),
        say("farewell", FAREWELL),
        cont("pickup_day"),
        cont("in_transit"),
        cont("delivered"),
        followup(20_000),
        cont("suggestion"),
        choose("reply", "note_it"),
    ]
}

fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let mut events = vec![
        cont("arrive"),
        say("greet", GREET),
        cont("visitor_asks"),
        choose("seat", "lounge"),
        choose("ask", "ask_all"),
        cont("needs1"),
        choose("banned_q", "explain_ban"),
        cont("ban_react"),
        words(&GOOD_WORDS, 20_000),
        cont("ban_ok"),
        cont("needs2"),
        right_needs(sc, seed, 30_000),
        choose("confirm", "repeat"),
        choose("route", "check"),
        choose("time_q", "state_time"),
        choose("fees", "rate_card"),
    ];
    events.extend(expert_tail());
    events
}

// ---------------------------------------------------------------------------------------------
// The file and its audit

#[test]
fn t2_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(T2);
    assert_eq!(maxima(&scenario(T2)), vec![5.0, 3.0, 8.0, 11.0, 9.0, 5.0, 5.0, 10.0]);
    let a = analyze(&scenario(T2));
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn t2_has_success_and_failure_endings() {
    let sc = scenario(T2);
    let endings: Vec<(&str, bool)> = endings(&sc).into_iter().map(|(id, success, _)| (id, success)).collect();
    assert_eq!(
        endings,
        vec![("done", true), ("done_cool", true), ("left", false), ("pushed_away", false), ("rejected", false), ("late", false)]
    );
}

/// The grade cannot be gamed: naive strategies stay well below 及格's upper half, the expert
/// gets 100 on every seed, and every single critical error on the expert path ends at 及格 or
/// below (accepting the prohibited item at 不及格).
#[test]
fn t2_audit_bots_stay_low() {
    let sc = scenario(T2);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        assert!(b.mean < 60.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    let on_path: Vec<(&str, u32)> = a.critical.iter().filter(|c| c.via.is_none()).filter_map(|c| c.projected.map(|p| (c.node.as_str(), p))).collect();
    assert_eq!(
        on_path,
        vec![("greet", 69), ("greet", 69), ("banned_q", 59), ("banned_q", 69), ("ban_words", 69), ("needs_form", 69), ("needs_form", 69), ("route", 69), ("fees", 69), ("farewell", 69)],
        "the critical errors of the recovery choices are off the expert path"
    );
    // Those are reached through one non-critical slip first, and still end at 及格.
    let recovery: Vec<(&str, Option<&str>, Option<u32>)> = a.critical.iter().filter(|c| c.via.is_some()).map(|c| (c.node.as_str(), c.via.as_deref(), c.projected)).collect();
    assert_eq!(
        recovery,
        vec![
            ("greet_fix", Some("greet.avoid1"), Some(69)),
            ("time_again", Some("time_q.dodge_time"), Some(69)),
            ("time_again", Some("time_q.dodge_time"), Some(69)),
            ("fees_again", Some("fees.vague"), Some(69)),
            ("fees_again", Some("fees.vague"), Some(69)),
        ]
    );
    assert_eq!((a.endings, a.failure_endings), (6, 4));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named paths

#[test]
fn t2_expert_path_scores_100() {
    let sc = scenario(T2);
    let mut visitors = std::collections::BTreeSet::new();
    for seed in [1, 5, 42] {
        visitors.insert(value(&sc, seed, "visitor"));
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1));
        assert_eq!(points(&r), vec![5.0, 3.0, 8.0, 11.0, 9.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert_eq!(r.band.points, 70);
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("done")));
    }
    assert!(visitors.len() >= 2, "the seeds meet different visitors: {visitors:?}");
}

/// Quick and careless: a cold seated "what is it?" (the visitor frowns; she apologises), the talk
/// at the counter, "no means no" in front of the reason (negative language, critical), the
/// fragile note forgotten, no read-back, a guess about the route (the visitor gets impatient and
/// picks up the bag; she checks after all), a guarantee instead of a transit time, the process
/// explained with the fee first, thanks without hotline, and a rash promise on the follow-up call.
#[test]
fn t2_careless_student() {
    let sc = scenario(T2);
    let v = |k: &str| value(&sc, SEED, k);
    let events = vec![
        cont("arrive"),
        say("greet", WHAT_IS_IT), // smile -1, attitude -1; strike 1
        cont("greet_cold_react"),
        choose("greet_fix", "sorry_help"),
        cont("visitor_asks"),
        choose("seat", "counter"), // smile -1, research -1
        choose("ask", "ask_all"),  // research +2
        cont("needs1"),
        choose("banned_q", "explain_ban"), // skill +2, sincerity +1
        cont("ban_react"),
        words(&["flat_no", "why", "offer"], 20_000), // 3 of 4 rules: sincerity 1.5, presentation 1.5, attitude 0.75
        cont("ban_ok"),
        cont("needs2"),
        // fragile left out: listening 4, skill 1, research 1
        needs(&[("goods", v("goods")), ("banned", v("banned")), ("dest", "威海乳山".into()), ("pickup", v("pickup_place")), ("deadline", v("deadline"))], 20_000),
        choose("confirm", "all_noted"), // listening -1
        choose("route", "guess"),       // skill -2; strike 2
        cont("route_react"),
        cont("edge"),
        choose("route", "check"),         // skill +2, speed +1
        choose("time_q", "promise_time"), // skill -1, sincerity -1
        choose("fees", "rate_card"),      // skill +2, sincerity +1, presentation +1
        cont("decide"),
        // book … label, notify, release in order: 6 of 9 → skill 2, presentation 2
        process(&["weigh", "waybill", "pay", "book", "inspect", "repack", "label", "notify", "release"], 30_000),
        say("farewell", THANKS_ONLY), // smile +1
        cont("pickup_day"),
        cont("in_transit"),
        cont("delivered"),
        followup(10_000), // research +2, presentation +2
        cont("suggestion"),
        choose("reply", "promise_all"), // sincerity -1
    ];
    let r = score(&sc, SEED, &events);
    assert_eq!(summary(&r), ("done", true, 56, 62, "及格", 3));
    // smile: "有事吗？" −1, thanks and goodbye at the door +2
    assert_eq!(points(&r), vec![0.0, 1.0, 1.5, 6.0, 4.0]);
    assert!((r.share - 12.5 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 46);
    assert_eq!(auto_points(&r), (Some(0), Some(3), Some(7)));
    assert_eq!(criticals(&r), vec![("ban_words", "使用负面语言")]);
    assert_eq!(r.critical[0].cap, Cap::Grade("及格".into()));
    assert_eq!(r.cap_limit, Some(69));
}

/// Polite, every answer the expert's, but slow: 15 s to type the welcome, silence after the
/// route question and after the price question, and long minutes on the notebook and the
/// process. Inside the 25 minutes it is 优秀 on the strength of the answers (speed 1 of 3); with a
/// quarter of an hour on the notebook it runs over the limit and drops to band 3.
#[test]
fn t2_polite_but_slow_student() {
    let sc = scenario(T2);
    let slow = |node: &str, option: &str| at(node, 12_000, Action::Choose(option.into()));
    let wait = |node: &str| at(node, 3000, Action::Continue);
    let path = |notebook_ms: u64| {
        let events = vec![
            wait("arrive"),
            at("greet", 15_000, Action::Say(GREET.into())), // 15 s to type the welcome
            wait("visitor_asks"),
            slow("seat", "lounge"),
            slow("ask", "ask_all"),
            wait("needs1"),
            slow("banned_q", "explain_ban"),
            wait("ban_react"),
            words(&GOOD_WORDS, 120_000),
            wait("ban_ok"),
            wait("needs2"),
            right_needs(&sc, SEED, notebook_ms),
            slow("confirm", "repeat"),
            at("route", 20_000, Action::Timeout), // speed -1
            wait("route_wait"),
            slow("route", "check"),
            slow("time_q", "state_time"),
            at("fees", 20_000, Action::Timeout), // speed -1
            wait("fees_wait"),
            slow("fees", "rate_card"),
            wait("decide"),
            process(&PROCESS, 240_000),
            at("farewell", 12_000, Action::Say(FAREWELL.into())),
            wait("pickup_day"),
            wait("in_transit"),
            wait("delivered"),
            followup(120_000),
            wait("suggestion"),
            slow("reply", "note_it"),
        ];
        events
    };

    let r = score(&sc, SEED, &path(300_000));
    let timed_out: Vec<&str> = r.decisions.iter().filter(|d| d.timed_out).map(|d| d.node.as_str()).collect();
    // The welcome is typed (no countdown), so only the route and fee questions time out.
    assert_eq!(timed_out, vec!["route", "fees"]);
    assert_eq!(points(&r), vec![5.0, 1.0, 8.0, 11.0, 9.0]);
    assert!((r.share - 34.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!((r.elapsed_ms, r.within_time), (982_000, true));
    assert_eq!(summary(&r), ("done", true, 87, 97, "优秀", 1));
    assert_eq!(r.band.points, 67);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
    assert!(r.critical.is_empty());

    let over = score(&sc, SEED, &path(900_000));
    assert_eq!((over.elapsed_ms, over.within_time), (1_582_000, false));
    assert_eq!(summary(&over), ("done", true, 69, 77, "中等", 3));
    assert_eq!(over.band.points, 49);
}

/// Every answer the expert's, but nothing written in the notebook: the destination and the
/// prohibited item are critical, and with no deadline on the order the goods arrive late and the
/// visitor complains.
#[test]
fn t2_student_who_records_nothing() {
    let sc = scenario(T2);
    let events = vec![
        cont("arrive"),
        say("greet", GREET),
        cont("visitor_asks"),
        choose("seat", "lounge"),
        choose("ask", "ask_all"),
        cont("needs1"),
        choose("banned_q", "explain_ban"),
        cont("ban_react"),
        words(&GOOD_WORDS, 20_000),
        cont("ban_ok"),
        cont("needs2"),
        needs(&[], 30_000),
        choose("confirm", "repeat"),
        choose("route", "check"),
        choose("time_q", "state_time"),
        choose("fees", "rate_card"),
        cont("decide"),
        process(&PROCESS, 45_000),
        say("farewell", FAREWELL),
        cont("pickup_day"),
        cont("in_transit"),
        cont("late_line"),
    ];
    let r = score(&sc, SEED, &events);
    assert_eq!(summary(&r), ("late", false, 61, 68, "及格", 3));
    assert_eq!(points(&r), vec![5.0, 3.0, 7.0, 10.0, 4.0]);
    assert_eq!(r.band.points, 49);
    assert_eq!(auto_points(&r), (Some(4), Some(1), Some(7)));
    assert_eq!(criticals(&r), vec![("needs_form", "没有记下违禁品"), ("needs_form", "没有记下目的地")]);
    assert_eq!(r.cap_limit, Some(69));
    let notes = r.decisions.iter().find(|d| d.node == "needs_form").expect("the notebook");
    assert_eq!(notes.credit, Some(0.0));
}

/// The expert path with one hint on the nine-step process: band 2 (one hint allowed there) and
/// the hint's cost.
#[test]
fn t2_student_who_uses_a_hint() {
    let sc = scenario(T2);
    let mut events = expert(&sc, SEED);
    let i = events.iter().position(|e| e.node == "process").expect("process");
    events.insert(i, at("process", 0, Action::Hint));
    let r = score(&sc, SEED, &events);
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 2));
    assert_eq!((r.hints_used, r.hint_cost, r.band.points), (1, 1, 59));
    assert!(r.critical.is_empty());
}

/// The expert path, except that the price question is sent to the finance office (首问负责制
/// broken once): the visitor protests, she gives the rate card after all, the visit ends well,
/// but the grade is held at 及格.
#[test]
fn t2_student_who_pushes_the_visitor_away_once() {
    let sc = scenario(T2);
    let mut events = vec![
        cont("arrive"),
        say("greet", GREET),
        cont("visitor_asks"),
        choose("seat", "lounge"),
        choose("ask", "ask_all"),
        cont("needs1"),
        choose("banned_q", "explain_ban"),
        cont("ban_react"),
        words(&GOOD_WORDS, 20_000),
        cont("ban_ok"),
        cont("needs2"),
        right_needs(&sc, SEED, 30_000),
        choose("confirm", "repeat"),
        choose("route", "check"),
        choose("time_q", "state_time"),
        choose("fees", "ask_finance"), // sincerity -2, attitude -1; pushed 1, strike 1
        cont("pushed_react"),
        choose("fees", "rate_card"),
    ];
    events.extend(expert_tail());
    let r = score(&sc, SEED, &events);
    assert_eq!(summary(&r), ("done", true, 69, 69, "及格", 1));
    assert_eq!(points(&r), vec![5.0, 3.0, 6.0, 11.0, 9.0]);
    assert_eq!(r.band.points, 67);
    assert_eq!((r.uncapped_total, r.cap_limit), (Some(86), Some(69)));
    assert_eq!(criticals(&r), vec![("fees", PUSHED)]);
    assert_eq!(r.critical[0].principle, Dim::Sincerity);
}

/// "Business is upstairs", then "shipping isn't my job": sent away twice, the visitor leaves.
#[test]
fn t2_student_who_pushes_the_visitor_away_twice() {
    let sc = scenario(T2);
    let events = vec![
        cont("arrive"),
        say("greet", UPSTAIRS), // sincerity -2, attitude -1
        cont("pushed_react"),
        choose("greet_fix", "not_mine"), // sincerity -2, attitude -1
        cont("pushed_react"),
        cont("pushed_leaves"),
    ];
    let r = score(&sc, SEED, &events);
    assert_eq!(summary(&r), ("pushed_away", false, 41, 46, "不及格", 3));
    // smile +1: the 您好 before "business is upstairs"
    assert_eq!(points(&r), vec![1.0, 0.0, -4.0, 0.0, 0.0]);
    assert_eq!(r.band.points, 41);
    assert_eq!(criticals(&r), vec![("greet", PUSHED), ("greet_fix", PUSHED)]);
}

/// Three irritations in a row: the visitor waits for her paperwork, hears about her busy day
/// (and picks up the bag), then is asked for the weight before anything else, and walks out.
#[test]
fn t2_impatient_visitor_leaves_after_three_strikes() {
    let sc = scenario(T2);
    let events = vec![
        cont("arrive"),
        say("greet", FINISH_FIRST), // speed -2, sincerity -1; strike 1
        cont("greet_wait_react"),
        choose("greet_fix", "explain_busy"), // sincerity -1, attitude -1; strike 2
        cont("busy_react"),
        cont("edge"),
        cont("visitor_asks"),
        choose("seat", "lounge"),       // smile +1, sincerity +1, research +1, attitude +1
        choose("ask", "weight_first"),  // research -1; strike 3
        cont("ask_react"),
        cont("leaves"),
    ];
    let r = score(&sc, SEED, &events);
    assert_eq!(summary(&r), ("left", false, 41, 46, "不及格", 3));
    // smile: the 您好 before "please wait" +1, the lounge +1
    assert_eq!(points(&r), vec![2.0, -2.0, -1.0, 0.0, 0.0]);
    assert!(r.critical.is_empty());
}

/// The prohibited item accepted "if it's only a little": everything else goes well, until the
/// courier finds it at the pickup inspection and the visitor complains.
#[test]
fn t2_student_who_accepts_the_prohibited_item() {
    let sc = scenario(T2);
    let v = |k: &str| value(&sc, SEED, k);
    let events = vec![
        cont("arrive"),
        say("greet", GREET),
        cont("visitor_asks"),
        choose("seat", "lounge"),
        choose("ask", "ask_all"),
        cont("needs1"),
        choose("banned_q", "accept_banned"), // skill -2
        cont("needs2"),
        needs(
            &[
                ("goods", v("goods")),
                ("fragile", "易碎品，需加固包装".into()),
                ("dest", "山东威海乳山市银滩度假村".into()),
                ("pickup", format!("武汉{}，上门取货", v("pickup_place"))),
                ("deadline", format!("{}前", v("deadline"))),
            ],
            30_000,
        ),
        choose("confirm", "repeat"),
        choose("route", "check"),
        choose("time_q", "state_time"),
        choose("fees", "rate_card"),
        cont("decide"),
        process(&PROCESS, 45_000),
        say("farewell", FAREWELL),
        cont("pickup_day"),
        cont("found_banned"),
    ];
    let r = score(&sc, SEED, &events);
    assert_eq!(summary(&r), ("rejected", false, 59, 59, "不及格", 3));
    assert_eq!((r.uncapped_total, r.cap_limit), (Some(62), Some(59)));
    assert_eq!(criticals(&r), vec![("banned_q", "收寄违禁品"), ("needs_form", "没有记下违禁品")]);
    assert_eq!(r.critical[0].cap, Cap::Grade("不及格".into()));
}
