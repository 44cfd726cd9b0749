//! Supplementary task (seeds 002 and 003; project 5, task 1) · handling a customer complaint as a
//! role play: named student paths through scenarios/s2-complaint-handling.ron with exact totals,
//! grades, endings and critical errors, the customer's drawn personality, and the typed soothing
//! reply.
//!
//! Maxima (file header): smile 4, speed 5, sincerity 8, skill 11, research 8 (36);
//! attitude 3, listening 3, presentation 9. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths, then checked
//! by hand against the rules (comments).

use std::collections::BTreeSet;
use std::sync::Arc;

use kefu::Scenario;
use kefu::analysis::analyze;
use kefu::scenario::{Cap};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event, Session};

use crate::common::Kind::*;
use crate::common::*;

const S2: &str = "scenarios/s2-complaint-handling.ron";

/// Seed 0 draws an analytical 陈经理 (桑弘服饰, crushed and soaked cartons), seed 1 a dictatorial
/// 陈经理, seed 4 a friendly 周厂长 (锦城皮具, samples late for the fair), seed 5 a self-centred
/// 王先生 (mangoes a day late): every personality and every customer.
const SEEDS: [u64; 4] = [0, 1, 4, 5];

const NEGATIVE: &str = "对客户使用负面语言";
const BLAME: &str = "与客户争辩、指责客户";
const OVER: &str = "承诺无法兑现的赔偿";
const NO_RECORD: &str = "没有记录客户的投诉内容";
const ESCALATED: &str = "投诉升级：客户越级投诉";
const LOST: &str = "客户流失：客户愤而离去";

const MODEL: &str = "非常抱歉，让您受了这么大的损失，换作是我也会着急。我们能为您做的是马上调出这票货的运输记录，因为要和中转站逐个环节核实，半小时内我一定给您准确答复。";

const NATURE: [(&str, &str); 4] = [("goods", "quality"), ("hotline", "service"), ("driver", "service"), ("fee", "price")];
const STEPS: [&str; 10] = ["apologise", "record", "nature", "duty", "cause", "solution", "notify", "penalty", "improve", "follow"];

/// The drawn personality, as the suffix of its nodes (`read_a`, `solve_a`…).
fn personality(sc: &Arc<Scenario>, seed: u64) -> &'static str {
    let s = Session::new(Arc::clone(sc), seed).expect("session");
    let on = |k: &str| s.vars().get(k) == Some(&1);
    if on("friendly") {
        "f"
    } else if on("dictatorial") {
        "d"
    } else if on("analytical") {
        "a"
    } else {
        "s"
    }
}

/// The strategy that fits each personality at the first reading.
fn strategy(p: &str) -> &'static str {
    match p {
        "f" => "best",
        "d" => "respect",
        "a" => "reason",
        _ => "restrain",
    }
}

fn node(base: &str, p: &str) -> String {
    format!("{base}_{p}")
}

/// The complaint register filled in right.
fn register_right(sc: &Arc<Scenario>, seed: u64) -> Event {
    let v = |k: &str| value(sc, seed, k);
    form("register", 40_000, &[("customer", v("customer")), ("waybill", v("waybill")), ("problem", v("problem_item")), ("want", "要求赔偿".to_string())])
}

/// Every decision the expert's, for whatever personality `seed` draws.
fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let p = personality(sc, seed);
    vec![
        cont("storm"),
        choose("calm", "seat"),
        cont("seated"),
        cont(&node("vent", p)),
        choose(&node("read", p), strategy(p)),
        cont("listen"),
        register_right(sc, seed),
        at("nature", 20_000, Action::Match(pairs(&NATURE))),
        say("soothe", MODEL),
        cont("wait_line"),
        cont("check"),
        choose("fault", "admit"),
        cont("turn"),
        cont(&node("mood", p)),
        choose(&node("solve", p), "best"),
        choose("close", "thank"),
        cont("register_back"),
        at("steps", 30_000, Action::Order(ids(&STEPS))),
        choose("improve", "both"),
        cont("later"),
        choose("follow", "call"),
        cont("outcome"),
        cont("satisfied"),
    ]
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn s2_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(S2);
    let sc = scenario(S2);
    assert_eq!(maxima(&sc), vec![4.0, 5.0, 8.0, 11.0, 8.0, 3.0, 3.0, 9.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
    assert_eq!((sc.course.project, sc.course.task), (5, 1));
}

#[test]
fn s2_has_success_and_failure_endings() {
    let sc = scenario(S2);
    assert_eq!(endings(&sc), vec![("resolved", true, false), ("escalated", false, true), ("lost", false, true)]);
}

/// Naive strategies stay far below the targets (first/longest/shortest < 70, random < 65): at
/// the first reading the longest option disclaims responsibility, the shortest sends the customer
/// upstairs, and three slips lose him.
#[test]
fn s2_audit_bots_stay_low() {
    let sc = scenario(S2);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        assert!(b.mean < 60.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    for bot in [Bot::Longest, Bot::Shortest, Bot::Keywords] {
        let row = a.bots.iter().find(|b| b.bot == bot).expect("row");
        assert_eq!(row.endings.get("lost"), Some(&50), "{bot:?}: {:?}", row.endings);
    }
    assert!(a.critical.iter().any(|c| c.projected.is_some_and(|p| p <= 69)), "a single critical error ends at 及格 or below");
    assert!(a.critical.iter().all(|c| c.projected.is_none_or(|p| p <= 69)), "every critical error holds the grade to 及格");
    assert_eq!((a.endings, a.failure_endings), (3, 2));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// The drawn personality

/// Every personality comes up, and the expert reaches full marks whichever is drawn: by hand,
/// and autoplayed.
#[test]
fn s2_expert_path_scores_100_for_every_personality() {
    let sc = scenario(S2);
    let mut seen = BTreeSet::new();
    let mut customers = BTreeSet::new();
    for seed in SEEDS {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("resolved", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![4.0, 5.0, 8.0, 11.0, 8.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        seen.insert(personality(&sc, seed));
        customers.insert(value(&sc, seed, "customer"));
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_eq!(customers.len(), 3, "{customers:?}");
    let mut auto_seen = BTreeSet::new();
    for seed in 0..16 {
        let s = play(&sc, seed, Policy::Expert).expect("plays");
        let r = Scorer::new(Arc::clone(&sc)).score_session(&s, &Ratings::new());
        assert_eq!((r.total, r.projected, r.ending.as_deref()), (90, 100, Some("resolved")), "seed {seed}");
        auto_seen.insert(personality(&sc, seed));
    }
    assert_eq!(auto_seen.len(), 4);
}

/// The same words do not fit every customer: the analytical strategy ("一条一条给您讲清楚")
/// is the expert's for 陈经理 of seed 0 and earns only sincerity 1 for the friendly 周厂长 of
/// seed 4 (skill 2 and attitude 1 short), with no strike.
#[test]
fn s2_the_strategy_must_fit_the_drawn_personality() {
    let sc = scenario(S2);
    let mut events = expert(&sc, 4);
    swap(&mut events, "read_f", vec![choose("read_f", "reason")]);
    let r = score(&sc, 4, &events);
    let d = r.decisions.iter().find(|d| d.node == "read_f").expect("read_f");
    assert!(!d.expert);
    assert_eq!(points(&r), vec![4.0, 5.0, 8.0, 9.0, 8.0]);
    // share 34/36 → band 1: 60 + round(10 × (0.944 − 0.8) / 0.2) = 67; attitude 2/3 → 3
    assert_eq!(r.band.points, 67);
    assert_eq!(auto_points(&r), (Some(3), Some(5), Some(10)));
    // 18 + 67 = 85 → 94
    assert_eq!(summary(&r), ("resolved", true, 85, 94, "优秀", 1));
    assert!(r.critical.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Named students

/// The friendly 周厂长 says he won't make a fuss, and the student takes him at his word: the
/// claim is dropped ("就算两清了") and he leaves without a thank-you for the feedback.
#[test]
fn s2_student_who_relaxes_with_a_friendly_customer() {
    let sc = scenario(S2);
    let seed = 4;
    let mut events = expert(&sc, seed);
    swap(&mut events, "solve_f", vec![choose("solve_f", "skip")]);
    swap(&mut events, "close", vec![choose("close", "bye")]);
    let r = score(&sc, seed, &events);
    // skip instead of best: sincerity −3, skill −3, speed −1, presentation −2; bye instead of
    // thank: smile −2, sincerity −1, attitude −1, presentation −1
    assert_eq!(points(&r), vec![2.0, 4.0, 4.0, 8.0, 8.0]);
    // share 26/36 = 0.72 → band 2: 50 + round(9 × (0.72 − 0.5) / 0.3) = 57
    assert!((r.share - 26.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 57);
    // attitude 2/3 → 3, presentation 6/9 → 7
    assert_eq!(auto_points(&r), (Some(3), Some(5), Some(7)));
    // 15 + 57 = 72 → 80: the friendly customer stays, but the grade drops two bands' worth
    assert_eq!(summary(&r), ("resolved", true, 72, 80, "良好", 2));
    assert!(r.critical.is_empty());
}

/// To please the dictatorial 陈经理 the student promises full compensation and more; three days
/// later the claim pays the declared value only, and he goes to the general manager.
#[test]
fn s2_student_who_promises_too_much() {
    let sc = scenario(S2);
    let seed = 1;
    let mut events = expert(&sc, seed);
    swap(&mut events, "solve_d", vec![choose("solve_d", "over")]);
    swap(&mut events, "satisfied", vec![cont("broken")]);
    let r = score(&sc, seed, &events);
    // over instead of best: sincerity −3, skill −3, speed −1, presentation −2
    assert_eq!(points(&r), vec![4.0, 4.0, 5.0, 8.0, 8.0]);
    // share 29/36 = 0.81, but a failure ending: band 3, at its top 49
    assert!((r.share - 29.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 49);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(8)));
    // 18 + 49 = 67 → 74, held to 69
    assert_eq!(summary(&r), ("escalated", false, 67, 69, "及格", 3));
    assert_eq!(criticals(&r), vec![("solve_d", OVER), ("escalated", ESCALATED)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), None));
}

/// The self-centred 王先生 provokes, and the student rises to it: a defensive first answer
/// (strike 1), then "请您说话放尊重一点！" (2 strikes at once): he walks out.
#[test]
fn s2_student_who_argues_with_a_self_centred_customer() {
    let sc = scenario(S2);
    let seed = 5;
    let mut events = upto(expert(&sc, seed), "solve_s", vec![choose("solve_s", "hit_back"), cont("fight_line"), cont("walkout")]);
    swap(&mut events, "read_s", vec![choose("read_s", "defend"), cont("defended")]);
    let r = score(&sc, seed, &events);
    // smile 2 (calm) + 1 (reply) − 1 (hit_back); speed 1 + 1; sincerity −2 (defend) + 2 (reply)
    // + 2 (admit) − 3 (hit_back); skill 2 (match) + 1 (reply) + 1 (admit); research 4 + 1 + 1
    assert_eq!(points(&r), vec![2.0, 2.0, -1.0, 4.0, 6.0]);
    // share (2 + 2 + 0 + 4 + 6) / 36 = 0.39 → band 3: 40 + round(9 × 0.39 / 0.5) = 47
    assert!((r.share - 14.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 47);
    // attitude 1/3 → 2, listening 3/3, presentation 2/9 → 2
    assert_eq!(auto_points(&r), (Some(2), Some(5), Some(2)));
    // 9 + 47 = 56 → 62, held to 59 by the lost customer
    assert_eq!(summary(&r), ("lost", false, 56, 59, "不及格", 3));
    assert_eq!(criticals(&r), vec![("solve_s", BLAME), ("lost", LOST)]);
    assert_eq!(r.cap_limit, Some(59));
}

/// The analytical 陈经理's complaint is handled perfectly, except that nothing goes into the
/// register: three days later the claims department has no record of it.
#[test]
fn s2_student_who_records_nothing() {
    let sc = scenario(S2);
    let seed = 0;
    let mut events = expert(&sc, seed);
    swap(&mut events, "register", vec![form::<&str>("register", 40_000, &[])]);
    swap(&mut events, "satisfied", vec![cont("no_record")]);
    let r = score(&sc, seed, &events);
    let reg = r.decisions.iter().find(|d| d.node == "register").expect("register");
    assert_eq!(reg.credit, Some(0.0));
    // research 8 − 4 (the register)
    assert_eq!(points(&r), vec![4.0, 5.0, 8.0, 11.0, 4.0]);
    // share 32/36 = 0.89, but a failure ending: band 3 at 49; listening 1/3 → 2
    assert_eq!(r.band.points, 49);
    assert_eq!(auto_points(&r), (Some(5), Some(2), Some(10)));
    // 17 + 49 = 66 → 73, held to 69
    assert_eq!(summary(&r), ("escalated", false, 66, 69, "及格", 3));
    assert_eq!(criticals(&r), vec![("register", NO_RECORD), ("escalated", ESCALATED)]);
}

/// "我理解您的心情，但是……": the "but" after understanding takes it back (seed 003), and
/// "我不能" is negative language; the rest of the handling is the expert's.
#[test]
fn s2_student_who_says_but() {
    let sc = scenario(S2);
    let seed = 10;
    let mut events = expert(&sc, seed);
    swap(&mut events, "soothe", vec![say("soothe", "我理解您的心情，但是现在我不能马上答复您，因为要先查运输记录。")]);
    swap(&mut events, "wait_line", vec![cont("negative_line")]);
    let r = score(&sc, seed, &events);
    // the reply: understanding (smile 1, listening 1) and the reason (research 1), negative
    // language −3: sincerity 8 − 2 − 3, skill − 1, speed − 1, presentation − 1
    assert_eq!(points(&r), vec![4.0, 4.0, 3.0, 10.0, 8.0]);
    // share 29/36 = 0.806 → band 1: 60 + round(10 × 0.006 / 0.2) = 60
    assert_eq!(r.band.points, 60);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(9)));
    // 19 + 60 = 79 → 88, held to 69
    assert_eq!(summary(&r), ("resolved", true, 69, 69, "及格", 1));
    assert_eq!(criticals(&r), vec![("soothe", NEGATIVE)]);
    assert_eq!(r.critical[0].cap, Cap::Grade("及格".into()));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(79)));
}

/// Business before feelings: the student asks for the waybill first, is told "连句道歉都没听到",
/// then soothes; otherwise the expert's handling.
#[test]
fn s2_student_who_starts_with_the_waybill() {
    let sc = scenario(S2);
    let seed = 3;
    let mut events = expert(&sc, seed);
    swap(&mut events, "calm", vec![choose("calm", "waybill"), cont("not_yet"), choose("calm", "seat")]);
    let r = score(&sc, seed, &events);
    // waybill: smile −1, skill −1 (no strike: the customer only asks for his apology)
    assert_eq!(points(&r), vec![3.0, 5.0, 8.0, 10.0, 8.0]);
    // share 34/36 → band 1: 60 + round(10 × 0.144 / 0.2) = 67
    assert_eq!(r.band.points, 67);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
    // 20 + 67 = 87 → 97
    assert_eq!(summary(&r), ("resolved", true, 87, 97, "优秀", 1));
    assert_eq!(r.decisions.iter().filter(|d| !d.expert).count(), 1);
}

/// The worst path the analysis finds: sent upstairs three times, and the customer walks out.
#[test]
fn s2_worst_path_loses_the_customer_at_the_counter() {
    let sc = scenario(S2);
    let a = analyze(&sc);
    let worst = a.worst.as_ref().expect("a worst path");
    assert_eq!(worst.nodes, ["storm", "calm", "pushed", "calm", "pushed", "calm", "pushed", "walkout", "lost"]);
    let r = &worst.report;
    // three times sincerity −2, attitude −1: everything at 0, band 3 at 40
    assert_eq!((r.total, r.projected, r.grade.zh.as_str()), (40, 44, "不及格"));
    assert_eq!(criticals(r), vec![("lost", LOST)]);
}

// ---------------------------------------------------------------------------------------------
// The soothing reply, as students type it

#[test]
fn s2_soothing_replies_as_students_type_them() {
    check_table(S2, 0, "soothe", &[
        held(Good, MODEL, 8.0, &[]).leads_to("wait_line"),
        held(Good, "对不起，给您添麻烦了，您的心情我完全理解。我现在就去查这票货的记录，因为要跟中转站核对清楚，请您稍坐，20分钟内我回来给您答复。", 8.0, &[]),
        held(Good, "陈经理，真对不起，您着急我能理解。我马上去调运输记录，因为要跟中转站核实，一小时内给您答复", 8.0, &[]),
        held(Good, "对不起 让你受损失了 我理解你的心情 我现在就去查 因为要核对记录 半个小时之内给你回复", 8.0, &[]),
        held(Good, "非常抱歉，您的心情我理解。我們能為您做的是馬上查明原因，因為要和中轉站核實，半小時內給您答覆。", 8.0, &[]),
        held(Good, "很抱歉给您添麻烦了，换作是我也会着急。我可以马上帮您查，因为要联系中转站，二十分钟内给您结果。", 8.0, &[]),
        held(Partial, "对不起，我理解您的心情，我马上帮您查一下。", 5.0, &[]).leads_to("when_line"),
        held(Partial, "不好意思啊，我这就去查，你稍等", 2.0, &[]),
        held(Partial, "抱歉理解我们可以因为小时内", 4.0, &[]),
        held(Bad, "我理解您的心情，但是现在我不能马上答复您，因为要先查运输记录。", 0.0, &[NEGATIVE]).leads_to("negative_line"),
        held(Bad, "这个是您自己包装不结实，您也有责任", -3.0, &[BLAME]).leads_to("blamed_line"),
        held(Bad, "对不起！您放心，损失我们全额赔偿，今天之内给您打钱", 1.0, &[OVER]).leads_to("promise_line"),
        held(Bad, "喂，你先别激动，我去查查", -2.0, &[]),
    ]);
}
