//! Supplementary task (seed 004, the slides' 模块五 任务二) · service standards for an express
//! company as a role play: named student paths through
//! scenarios/s4-express-service-standards.ron with exact totals, grades, endings and critical
//! errors, and the typed presentation of two standards to the customer.
//!
//! Maxima (file header): smile 2, speed 5, sincerity 6, skill 10, research 12 (35);
//! attitude 2, listening 7, presentation 9. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths, then checked
//! by hand against the rules (comments).

use std::sync::Arc;

use kefu::analysis::analyze;
use kefu::scenario::{Cap, Dim};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{self, Policy, Tried, play};
use kefu::session::{Action, Event, Session};

use crate::common::Kind::*;
use crate::common::*;

const S4: &str = "scenarios/s4-express-service-standards.ron";

const VAGUE: &str = "服务标准含糊、无法衡量";
const AGAINST: &str = "服务标准违背客户需求";
const NEGATIVE: &str = "对客户说负面语言";
const HEDGED: &str = "向客户讲标准时说法含糊";
const REFUSED: &str = "拒绝根据客户意见重新评估标准";
const SENT_BACK: &str = "标准草案被经理退回";
const LOST: &str = "客户流失：王先生转投别家";

const METHOD: [&str; 5] = ["break", "needs", "factors", "convert", "review"];
const STAGES: [&str; 6] = ["collect", "accept", "sort", "seal", "haul", "deliver"];
const FACTORS: [(&str, &str); 9] = [
    ("slow_city", "time"), ("late_far", "time"), ("no_update", "easy"), ("wrong_door", "exact"), ("lost", "safe"),
    ("broken", "safe"), ("no_badge", "safe"), ("pickup_wait", "easy"), ("closed", "easy"),
];
/// The numbers as a careful student writes them, units and all.
const NUMBERS: [(&str, &str); 7] = [
    ("city", "24小时"), ("intercity", "72小时"), ("collect", "2小时"), ("ontime", "100%"), ("online", "100%"),
    ("accuracy", "100%"), ("loss", "0"),
];
const MODEL: &str = "王先生您好，我们的标准是：同城快件从收寄起24小时内送到，下单后2小时内上门取件，超时按规定赔偿。您看这样合适吗？";

fn order(node: &str, ms: u64, steps: &[&str]) -> Event {
    at(node, ms, Action::Order(ids(steps)))
}

fn matched(ms: u64, placed: &[(&str, &str)]) -> Event {
    at("factors", ms, Action::Match(pairs(placed)))
}

fn numbers(ms: u64, fields: &[(&str, &str)]) -> Event {
    form("numbers", ms, fields)
}

/// Every decision the expert's.
fn expert() -> Vec<Event> {
    vec![
        cont("brief"),
        choose("scope", "focus"),
        order("method", 20_000, &METHOD),
        cont("plan_ok"),
        order("stages", 20_000, &STAGES),
        choose("needs", "ask"),
        cont("survey"),
        matched(60_000, &FACTORS),
        choose("vague", "measure"),
        choose("pickup", "customers"),
        numbers(60_000, &NUMBERS),
        choose("dress", "uniform"),
        cont("review"),
        cont("panel"),
        say("present", MODEL),
        cont("request"),
        choose("revise", "take_back"),
        cont("thanks"),
        cont("thanks_clear"),
    ]
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn s4_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(S4);
    let sc = scenario(S4);
    assert_eq!((sc.course.project, sc.course.task), (5, 2));
    assert_eq!(maxima(&sc), vec![2.0, 5.0, 6.0, 10.0, 12.0, 2.0, 7.0, 9.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn s4_has_success_and_failure_endings() {
    let sc = scenario(S4);
    assert_eq!(endings(&sc), vec![("adopted", true, false), ("sent_back", false, true), ("lost", false, true)]);
}

/// Naive strategies stay far below the targets (first/longest/shortest < 70, random < 65).
#[test]
fn s4_audit_bots_stay_low() {
    let sc = scenario(S4);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        assert!(b.mean < 62.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    // Always the longest option: everything at once, guessing, "next-day nationwide": three
    // slips, and the manager sends the draft back on every seed.
    for bot in [Bot::Longest, Bot::Keywords] {
        let row = a.bots.iter().find(|b| b.bot == bot).expect("row");
        assert_eq!(row.endings.get("sent_back"), Some(&50), "{bot:?}: {:?}", row.endings);
    }
    assert!(a.critical.iter().any(|c| c.projected.is_some_and(|p| p <= 69)), "a single critical error ends at 及格 or below");
    assert_eq!((a.endings, a.failure_endings), (3, 2));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named students

#[test]
fn s4_expert_path_scores_100() {
    let sc = scenario(S4);
    for seed in [0, 1, 2, 7] {
        let r = score(&sc, seed, &expert());
        assert_eq!(summary(&r), ("adopted", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![2.0, 5.0, 6.0, 10.0, 12.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("adopted")));
    }
}

/// The worst the analyser finds: a copied standard, "we know what customers want", "next-day
/// nationwide": the third slip, and the manager sends the draft back.
#[test]
fn s4_three_slips_and_the_draft_is_sent_back() {
    let sc = scenario(S4);
    let events = vec![
        cont("brief"),
        choose("scope", "copy"),             // research −2, sincerity −1, strike 1
        cont("copied"),
        order("method", 20_000, &METHOD),    // skill 2, research 1, presentation 2
        cont("plan_ok"),
        order("stages", 20_000, &STAGES),    // skill 1, research 1
        choose("needs", "guess"),            // research −2, listening −1, strike 2
        cont("guessed"),
        cont("survey"),
        matched(60_000, &FACTORS),           // research 2, listening 2, presentation 2
        choose("vague", "boast"),            // sincerity −2, skill −1, strike 3
        cont("boast_line"),
        cont("sent_back_line"),
    ];
    let r = score(&sc, 0, &events);
    assert_eq!(points(&r), vec![0.0, 0.0, -3.0, 2.0, 0.0]);
    // share (0 + 0 + 0 + 2 + 0) / 35 → band 3: 40 + round(9 × 0.057 / 0.5) = 41
    assert!((r.share - 2.0 / 35.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 41);
    // attitude 0/2, listening 1/7 → 1, presentation 4/9 → 4
    assert_eq!(auto_points(&r), (Some(0), Some(1), Some(4)));
    // 5 + 41 = 46 → 51; the ending's cap (59) does not bite
    assert_eq!(summary(&r), ("sent_back", false, 46, 51, "不及格", 3));
    assert_eq!(criticals(&r), vec![("sent_back", SENT_BACK)]);
    assert_eq!(r.critical[0].cap, Cap::Grade("不及格".into()));
}

/// Everything right but one: Lai Weiwei's "尽快送达" accepted. The manager frowns and the
/// standard is rewritten, yet the accepted vague standard holds the grade to 及格.
#[test]
fn s4_student_who_accepts_a_vague_standard() {
    let sc = scenario(S4);
    let mut events = expert();
    swap(&mut events, "vague", vec![choose("vague", "soft"), cont("soft_line")]);
    let r = score(&sc, 1, &events);
    // skill 10 − 2 (measure) − 2 (soft) = 6; sincerity 6 − 1 = 5; research 12 − 1 = 11
    assert_eq!(points(&r), vec![2.0, 5.0, 5.0, 6.0, 11.0]);
    assert!((r.share - 29.0 / 35.0).abs() < 1e-9, "share {}", r.share);
    // band 1: 60 + round(10 × (0.829 − 0.8) / 0.2) = 61
    assert_eq!(r.band.points, 61);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
    // 20 + 61 = 81, held to 69
    assert_eq!(summary(&r), ("adopted", true, 69, 69, "及格", 1));
    assert_eq!(criticals(&r), vec![("vague", VAGUE)]);
    assert_eq!(r.critical[0].principle, Dim::Skill);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(81)));
}

/// The cost-cutter: "pickup the next day" to save money, and at the meeting "the standards are
/// settled, opening hours can't change": the customer walks out.
#[test]
fn s4_cost_cutter_loses_the_customer() {
    let sc = scenario(S4);
    let mut events = expert();
    swap(&mut events, "pickup", vec![choose("pickup", "cheap"), cont("cheap_line")]);
    swap(&mut events, "revise", vec![choose("revise", "fixed"), cont("fixed_line"), cont("walkout_line")]);
    events.retain(|e| e.node != "thanks" && e.node != "thanks_clear");
    let r = score(&sc, 2, &events);
    // sincerity 6 − 1 − 1 (cheap) − 1 − 2 (fixed) = 1; research 12 − 1 − 2 − 1 − 2 = 6
    assert_eq!(points(&r), vec![2.0, 5.0, 1.0, 10.0, 6.0]);
    assert!((r.share - 24.0 / 35.0).abs() < 1e-9, "share {}", r.share);
    // a failure ending: band 3, 40 + round(9 × 0.686 …) held at 49
    assert_eq!(r.band.points, 49);
    // attitude 2 − 1 − 1 = 0; listening 6/7 → 4; presentation 7/9 → 8
    assert_eq!(auto_points(&r), (Some(0), Some(4), Some(8)));
    // 12 + 49 = 61, held to 59 by the lost customer
    assert_eq!(summary(&r), ("lost", false, 59, 59, "不及格", 3));
    assert_eq!(criticals(&r), vec![("pickup", AGAINST), ("revise", REFUSED), ("lost", LOST)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(59), Some(61)));
}

/// Right judgement, sloppy numbers: the inter-city limit written "3天", the pickup "当天",
/// accuracy "99%", loss "0.1%". Three common slips refused, one wrong on its face.
#[test]
fn s4_student_with_sloppy_numbers() {
    let sc = scenario(S4);
    let mut events = expert();
    swap(&mut events, "numbers", vec![numbers(60_000, &[
        ("city", "24小时"), ("intercity", "3天"), ("collect", "当天"), ("ontime", "100%"), ("online", "100%"),
        ("accuracy", "99%"), ("loss", "0.1%"),
    ]), cont("limits_line")]);
    let r = score(&sc, 0, &events);
    let form = r.decisions.iter().find(|d| d.node == "numbers").expect("numbers");
    assert_eq!(form.credit, Some(3.0 / 7.0));
    // lost: speed 2 (intercity, collect), research 1, skill 1, sincerity 1
    assert_eq!(points(&r), vec![2.0, 3.0, 5.0, 9.0, 11.0]);
    assert!((r.share - 30.0 / 35.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 63);
    // listening 6/7 → 4, presentation 7/9 → 8
    assert_eq!(auto_points(&r), (Some(5), Some(4), Some(8)));
    // 17 + 63 = 80 → 89
    assert_eq!(summary(&r), ("adopted", true, 80, 89, "良好", 1));
    assert!(r.critical.is_empty());
}

/// Measurable on paper, vague in the room: "我们会尽快送到，尽量两个小时内上门" — the customer
/// hears the old hedging, the meeting goes on, the rest is the expert's.
#[test]
fn s4_student_who_hedges_in_front_of_the_customer() {
    let sc = scenario(S4);
    let mut events = expert();
    swap(&mut events, "present", vec![say("present", "王先生您好，同城件我们会尽快送到，取件尽量两个小时内上门，您看可以吗？"), cont("hedge_line")]);
    swap(&mut events, "thanks_clear", vec![cont("thanks_hedged")]);
    let r = score(&sc, 0, &events);
    // said: address, collect, opinion; missed: city (skill 1, listening 1), compensation
    // (sincerity 1); avoid: skill −2
    assert_eq!(points(&r), vec![2.0, 5.0, 5.0, 7.0, 12.0]);
    assert!((r.share - 31.0 / 35.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 64);
    assert_eq!(auto_points(&r), (Some(5), Some(4), Some(10)));
    // 19 + 64 = 83 (92 projected), held to 79: hedging in front of the customer is 中等 at best
    assert_eq!(summary(&r), ("adopted", true, 79, 79, "中等", 1));
    assert_eq!(criticals(&r), vec![("present", HEDGED)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(79), Some(83)));
    assert!(!r.advice.praise);
}

/// The expert's work with one hint at the key factors: band 2 allows one hint.
#[test]
fn s4_student_who_uses_a_hint() {
    let sc = scenario(S4);
    let mut events = expert();
    swap(&mut events, "factors", vec![at("factors", 8000, Action::Hint), matched(60_000, &FACTORS)]);
    let r = score(&sc, 0, &events);
    assert_eq!((r.hints_used, r.hint_cost, r.band.points), (1, 1, 59));
    // 20 + 59 − 1 = 78 → 87
    assert_eq!(summary(&r), ("adopted", true, 78, 87, "良好", 2));
    assert!(r.critical.is_empty());
}

/// The draft form cannot be gamed: "24" pasted everywhere counts only where it is the answer,
/// and a hedge ("24或48") holds a wrong answer.
#[test]
fn s4_numbers_reject_pasting_and_hedging() {
    let sc = scenario(S4);
    let with_numbers = |form: Event| upto(expert(), "numbers", vec![form]);
    let all: Vec<(&str, &str)> = NUMBERS.iter().map(|(k, _)| (*k, "24小时")).collect();
    let r = score(&sc, 0, &with_numbers(numbers(30_000, &all)));
    let form = r.decisions.iter().find(|d| d.node == "numbers").expect("numbers");
    assert_eq!(form.credit, Some(1.0 / 7.0));

    let r = score(&sc, 0, &with_numbers(numbers(30_000, &[
        ("city", "24或48小时"), ("intercity", "72小时（3天）"), ("collect", "2小时"), ("ontime", "100%"), ("online", "100%"),
        ("accuracy", "100%"), ("loss", "0"),
    ])));
    let form = r.decisions.iter().find(|d| d.node == "numbers").expect("numbers");
    assert_eq!(form.credit, Some(5.0 / 7.0), "city and intercity hold a wrong answer");
}

// ---------------------------------------------------------------------------------------------
// The typed presentation (held replies, as students type them)

/// Full marks of `present`: address smile 1, 24 hours skill 1 + listening 1, 2 hours speed 1 +
/// research 1, compensation sincerity 1, the customer's view research 1 + presentation 1.
const FULL: f64 = 8.0;

#[test]
fn s4_presentation_replies() {
    assert_eq!(full(&scenario(S4), 0, "present"), FULL);
    check_table(S4, 0, "present", &[
        held(Good, MODEL, 8.0, &[]),
        held(Good, "王先生，同城件24小时内送到，下单后两个小时内上门取件，超时我们赔偿，您看行吗", 8.0, &[]),
        held(Good, "您好王先生 同城24小时到 约取件2小时内有人上门 超时有赔付 您有什么意见", 8.0, &[]),
        held(Good, "王先生您好！同城快件二十四小時內送達，下單後兩小時內上門取件，超時按規定賠償，您看合適嗎？", 8.0, &[]),
        held(Good, "您好，同城件收寄后24个小时以内送到，预约取件2个小时之内上门，超时给您补偿，这样可以吗", 8.0, &[]),
        // 你 for 您: the address earns half; no compensation said.
        held(Partial, "你好，同城24小时送到，取件2小时上门，你看怎么样", 6.5, &[]),
        // "一天之内" for 24 hours earns half (1 of 2); no question to the customer.
        held(Partial, "王先生您好，同城件一天之内送到，下单后2小时内上门取件，超时赔偿。", 5.0, &[]),
        held(Partial, "24小时，2小时", 4.0, &[]),
        // Keyword stuffing: the first way of each element run together.
        held(Partial, "王先生24小时2小时赔偿您看", 4.0, &[]),
        // Hedging words cost 2 (and a strike) however many are said.
        held(Bad, "王先生，我们会尽快送到，尽量早点上门取件", -1.0, &[HEDGED]),
        held(Bad, "喂，同城件差不多一天吧，取件看情况", -3.0, &[HEDGED]),
        held(Bad, "这个我不知道，时间没办法保证，您自己看着办吧", -2.0, &[NEGATIVE]),
    ]);
}

/// The customer reacts to hedging ("尽快" → "I want an exact figure"), and a third slip at the
/// meeting loses him.
#[test]
fn s4_the_customer_reacts_to_hedging() {
    let sc = scenario(S4);
    let (_, s) = reply(&sc, 0, "present", "王先生，我们会尽快送到，尽量早点上门取件");
    assert_eq!(s.vars().get("hedged"), Some(&1));
    assert_eq!(s.node_id(), "hedge_line");

    // Two slips before the meeting (everything at once; the couriers decide), then hedging.
    let mut s = Session::new(Arc::clone(&sc), 0).expect("session");
    let mut tried = Tried::new();
    while s.node_id() != "present" {
        let e = match s.node_id() {
            "scope" => choose("scope", "everything"),
            "needs" => choose("needs", "couriers"),
            _ => autoplay::next_event(&s, Policy::Expert, &mut tried).expect("expert move"),
        };
        s.apply(&e).expect("applies");
    }
    s.answer(Action::Say("我们尽量尽快".into()), 3000).expect("reply taken");
    assert_eq!(s.node_id(), "walkout_line");
}
