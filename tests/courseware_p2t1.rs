//! P2 T1 · collecting customer information as a role play: named student paths through
//! scenarios/p2t1-collecting-customer-information.ron with exact totals, grades, endings and
//! critical errors, and the typed opening of the survey call with held replies.
//!
//! Maxima (file header): smile 3, speed 3, sincerity 3, skill 5, research 10 (24);
//! attitude 3, listening 6, presentation 9. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths, then checked
//! against the rules in the comments.

use std::sync::Arc;

use kefu::Scenario;
use kefu::analysis::analyze;
use kefu::scenario::{Cap, Dim};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event, Session};

use crate::common::Kind::*;
use crate::common::*;

const P2T1: &str = "scenarios/p2t1-collecting-customer-information.ron";

/// Seed 0 draws 钱女士 (童装), seed 2 赵经理 (女装), seed 4 孙经理 (职业装).
const SEEDS: [u64; 3] = [0, 2, 4];

const KINDS_RIGHT: [(&str, &str); 10] = [
    ("name_addr", "basic"), ("phone_fax", "basic"), ("scope", "basic"), ("rep", "basic"),
    ("needs", "needs"), ("ops", "needs"), ("partners", "needs"), ("history", "needs"),
    ("credit", "credit"), ("payments", "credit"),
];

const SOURCES_RIGHT: [(&str, &str); 11] = [
    ("phone_survey", "survey"), ("visit", "survey"), ("stats", "other"), ("assoc", "other"), ("rating", "other"),
    ("fair", "other"), ("yellow", "other"), ("market", "internal"), ("sales", "internal"), ("calls", "internal"),
    ("finance", "internal"),
];

const PRY: &str = "电话调查时打探客户的资信隐私";
const NEGATIVE: &str = "对客户说负面语言";
const WAITED: &str = "坐等客户上门，不主动收集客户信息";
const NO_FOLLOW: &str = "没有记对客户希望的回访方式";
const HUNG_UP: &str = "客户挂断电话，调查失败";

const MODEL_OPEN: &str = "您好，我是对面长海物流的客服刘铭丽，恭喜贵公司开业！想占用您三分钟，了解一下贵公司的物流需求，可以吗？";

fn matched(node: &str, ms: u64, placed: &[(&str, &str)]) -> Event {
    at(node, ms, Action::Match(pairs(placed)))
}

/// The survey form as a careful student writes it, in her own words, for the manager drawn.
fn survey_right(sc: &Arc<Scenario>, seed: u64) -> Event {
    let fields: [(&str, &str); 5] = match value(sc, seed, "mgr").as_str() {
        "赵经理" => [
            ("services", "上门取货，直接送到门店"),
            ("inconvenience", "要自己拉货去货站排队交接"),
            ("follow_up", "电话"),
            ("info", "电子邮件"),
            ("other", "仓库在三楼没货梯，取货要帮忙搬"),
        ],
        "钱女士" => [
            ("services", "仓储，按订单分拣配送"),
            ("inconvenience", "交接时没人清点件数，常少件"),
            ("follow_up", "上门回访"),
            ("info", "邮寄纸质资料"),
            ("other", "下午5点以后取货"),
        ],
        "孙经理" => [
            ("services", "代收货款"),
            ("inconvenience", "运单全要手写"),
            ("follow_up", "发邮件"),
            ("info", "派人上门讲解"),
            ("other", "发票按月统一开"),
        ],
        other => panic!("unknown manager {other}"),
    };
    form("survey", 90_000, &fields)
}

/// Everything up to the call: both matches right, the phone survey chosen.
fn preparation() -> Vec<Event> {
    vec![
        cont("intro"),
        matched("kinds", 60_000, &KINDS_RIGHT),
        cont("where"),
        matched("sources", 60_000, &SOURCES_RIGHT),
        cont("plan"),
        choose("method", "phone"),
        cont("dial"),
        cont("answered"),
    ]
}

/// The survey done the expert's way from start to finish.
fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let mut e = preparation();
    e.extend([
        say("open", MODEL_OPEN),
        cont("go_ahead"),
        choose("questions", "deep"),
        cont("answers"),
        survey_right(sc, seed),
        choose("confirm", "read_back"),
        cont("confirmed"),
        choose("close", "thank"),
        cont("after_call"),
        cont("won"),
    ]);
    e
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn p2t1_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(P2T1);
    let sc = scenario(P2T1);
    assert_eq!((sc.course.project, sc.course.task), (2, 1));
    assert_eq!(maxima(&sc), vec![3.0, 3.0, 3.0, 5.0, 10.0, 3.0, 6.0, 9.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn p2t1_has_success_and_failure_endings() {
    let sc = scenario(P2T1);
    assert_eq!(endings(&sc), vec![("done", true, false), ("cold_end", false, false), ("lost", false, true), ("missed", false, false)]);
}

/// The seeds meet all three managers, each with a business and answers of their own.
#[test]
fn p2t1_seeds_meet_three_managers() {
    let sc = scenario(P2T1);
    let drawn: Vec<(String, String, String)> = SEEDS.iter().map(|s| (value(&sc, *s, "mgr"), value(&sc, *s, "goods"), value(&sc, *s, "follow_key"))).collect();
    assert_eq!(
        drawn,
        vec![
            ("钱女士".into(), "童装".into(), "上门".into()),
            ("赵经理".into(), "女装".into(), "电话".into()),
            ("孙经理".into(), "职业装".into(), "邮件".into()),
        ]
    );
}

/// Naive strategies stay far below the targets (first/longest/shortest < 70, random < 65).
#[test]
fn p2t1_audit_bots_stay_low() {
    let sc = scenario(P2T1);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        assert!(b.mean < 60.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    // Always-longest reads out the 25-item form, then pries into the accounts: the manager
    // hangs up on every seed. Always-shortest waits for Sanghong to come by itself.
    for (bot, ending) in [(Bot::Longest, "lost"), (Bot::Keywords, "lost"), (Bot::Shortest, "missed")] {
        let row = a.bots.iter().find(|b| b.bot == bot).expect("row");
        assert_eq!(row.endings.get(ending), Some(&50), "{bot:?}: {:?}", row.endings);
    }
    assert!(a.critical.iter().any(|c| c.projected.is_some_and(|p| p <= 69)), "a single critical error ends at 及格 or below");
    assert_eq!((a.endings, a.failure_endings), (4, 3));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named students

#[test]
fn p2t1_expert_path_scores_100() {
    let sc = scenario(P2T1);
    for seed in SEEDS {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![3.0, 3.0, 3.0, 5.0, 10.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert_eq!((r.band.points, r.member_points), (70, 20));
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        assert_eq!(auto.vars().get("noted_follow"), Some(&1));
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("done")));
    }
}

/// The worst path the analysis finds: wait for Sanghong to come by itself.
#[test]
fn p2t1_worst_path_waits_and_misses_the_customer() {
    let sc = scenario(P2T1);
    let a = analyze(&sc);
    let worst = a.worst.as_ref().expect("a worst path");
    assert_eq!(worst.nodes.last().map(String::as_str), Some("missed"));
    assert_eq!((worst.report.total, worst.report.projected), (40, 44));
    let seed = 2;
    let events = vec![
        cont("intro"),
        matched("kinds", 60_000, &KINDS_RIGHT),
        cont("where"),
        matched("sources", 60_000, &SOURCES_RIGHT),
        cont("plan"),
        choose("method", "wait"), // speed −2, research −2, critical (及格)
        cont("missed_line"),
    ];
    let r = score(&sc, seed, &events);
    // skill 2 and research 2 from the matches, less the wait: speed −2, research 0
    assert_eq!(points(&r), vec![0.0, -2.0, 0.0, 2.0, 0.0]);
    // share (0 + 0 + 0 + 2 + 0) / 24 → band 3: 40 + round(9 × 0.083 / 0.5) = 40 + round(1.5) = 42
    assert!((r.share - 2.0 / 24.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 42);
    // presentation 4/9 → 4; attitude and listening 0
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(4)));
    // 4 + 42 = 46 → 51; the 及格 cap (69) does not bite
    assert_eq!(summary(&r), ("missed", false, 46, 51, "不及格", 3));
    assert_eq!(criticals(&r), vec![("method", WAITED)]);
}

/// A salesperson at heart: "喂" and "the lowest price, let's sign a contract" in the opening,
/// then a pitch instead of questions. Third strike: the manager hangs up.
#[test]
fn p2t1_salesy_student_is_hung_up_on() {
    let sc = scenario(P2T1);
    let seed = 2;
    let mut events = preparation();
    events.extend([
        // rude (smile −1, strike 1), 你好 half (smile 0.5), company (skill 1), self (attitude 1),
        // the pitch (sincerity −1, strike 2)
        say("open", "喂，你好，我是长海物流的小刘，我们价格全市最低，想跟您签个合同"),
        cont("pitch_line"),
        choose("questions", "pitch"), // sincerity −1, research −1, strike 3
        cont("pitch_line"),
        cont("hangup"),
    ]);
    let r = score(&sc, seed, &events);
    // research 2 (matches) + 1 (method) − 1 (pitch); skill 2 + 1 + 1 (company)
    assert_eq!(points(&r), vec![-0.5, 1.0, -2.0, 4.0, 2.0]);
    // share (0 + 1 + 0 + 4 + 2) / 24 = 0.29 → band 3: 40 + round(9 × 0.29 / 0.5) = 45
    assert!((r.share - 7.0 / 24.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 45);
    // attitude 1/3 → 2; presentation 4/9 → 4
    assert_eq!(auto_points(&r), (Some(2), Some(0), Some(4)));
    // 6 + 45 = 51 → 57, under the 不及格 cap of the lost customer (59)
    assert_eq!(summary(&r), ("lost", false, 51, 57, "不及格", 3));
    assert_eq!(criticals(&r), vec![("lost", HUNG_UP)]);
    assert_eq!(r.cap_limit, Some(59));
}

/// A perfect opening, then straight to the accounts: registered capital, turnover, loans.
#[test]
fn p2t1_prying_student_loses_the_call() {
    let sc = scenario(P2T1);
    let seed = 1;
    let events = upto(expert(&sc, seed), "questions", vec![choose("questions", "credit"), cont("snooped")]);
    let r = score(&sc, seed, &events);
    // research 1 + 1 + 1 + 1 (matches, method, purpose) − 2; sincerity 1 (congratulations) − 2
    assert_eq!(points(&r), vec![1.0, 2.0, -1.0, 4.0, 2.0]);
    assert!((r.share - 9.0 / 24.0).abs() < 1e-9, "share {}", r.share);
    // band 3: 40 + round(9 × 0.375 / 0.5) = 47
    assert_eq!(r.band.points, 47);
    assert_eq!(auto_points(&r), (Some(2), Some(0), Some(4)));
    // 6 + 47 = 53 → 59
    assert_eq!(summary(&r), ("lost", false, 53, 59, "不及格", 3));
    assert_eq!(criticals(&r), vec![("questions", PRY), ("lost", HUNG_UP)]);
    assert_eq!(r.critical[0].principle, Dim::Research);
    assert_eq!(r.critical[0].cap, Cap::Grade("及格".into()));
}

/// The call goes well, but the notes don't: the refused channel written as the follow-up
/// channel, the follow-up channel as the information channel, nothing under "other requests";
/// no read-back, and a hang-up before the manager. The company calls back the wrong way and
/// Sanghong goes elsewhere.
#[test]
fn p2t1_careless_notes_lose_the_customer_later() {
    let sc = scenario(P2T1);
    let seed = 2; // 赵经理: phone, never in person; information by e-mail
    let mut events = expert(&sc, seed);
    swap(&mut events, "survey", vec![form("survey", 60_000, &[
        ("services", "上门取货"),
        ("inconvenience", "排队时间长"),
        ("follow_up", "上门拜访"), // the refused channel: wrong, critical (中等)
        ("info", "打电话"),         // the follow-up channel: wrong
        ("other", ""),
    ])]);
    swap(&mut events, "confirm", vec![choose("confirm", "skip")]); // research −1
    events.retain(|e| e.node != "confirmed");
    swap(&mut events, "close", vec![choose("close", "quick")]); // sincerity −1
    swap(&mut events, "won", vec![cont("cold")]);
    let r = score(&sc, seed, &events);
    let survey = r.decisions.iter().find(|d| d.node == "survey").expect("survey");
    assert_eq!(survey.credit, Some(0.4));
    // research 10 − 1 (other requests) − 1 (no read-back's +1) − 1 (skip's −1) = 7;
    // sincerity 3 − 2 (no thanks option) − 1 (hung up first) = 0; smile 3 − 2 = 1
    assert_eq!(points(&r), vec![1.0, 3.0, 0.0, 5.0, 7.0]);
    assert!((r.share - 16.0 / 24.0).abs() < 1e-9, "share {}", r.share);
    // a failure ending: band 3 whatever the share, 40 + round(9 × 0.667 / 0.5) held to 49
    assert_eq!(r.band.points, 49);
    // attitude 1/3 → 2, listening 3/6 → 3 (questions, services, inconvenience),
    // presentation 4/9 → 4
    assert_eq!(auto_points(&r), (Some(2), Some(3), Some(4)));
    // 9 + 49 = 58 → 64
    assert_eq!(summary(&r), ("cold_end", false, 58, 64, "及格", 3));
    assert_eq!(criticals(&r), vec![("survey", NO_FOLLOW)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(79), None));
}

/// Gets there in the end: drops in without an appointment, then posts a long questionnaire,
/// only then phones; the opening has no "only a few minutes" (the manager asks how long), a
/// vague first question, a swapped read-back corrected by the manager. Two strikes, no more:
/// the call succeeds.
#[test]
fn p2t1_slow_starter_gets_there() {
    let sc = scenario(P2T1);
    let seed = 0;
    let events = vec![
        cont("intro"),
        matched("kinds", 60_000, &KINDS_RIGHT),
        cont("where"),
        matched("sources", 60_000, &SOURCES_RIGHT),
        cont("plan"),
        choose("method", "drop_in"), // research −1, sincerity −1
        cont("desk_line"),
        choose("method", "mail"), // speed −2, research −1
        cont("mail_line"),
        choose("method", "phone"),
        cont("dial"),
        cont("answered"),
        // greeting, company, self, purpose: no congratulations, no "few minutes"
        say("open", "您好，我是长海物流的刘铭丽，想了解一下贵公司的物流需求"),
        cont("how_long"),
        choose("questions", "vague"), // research −1, speed −1, strike 1
        cont("vague_line"),
        choose("questions", "deep"),
        cont("answers"),
        survey_right(&sc, seed),
        choose("confirm", "swapped"), // research −1, listening −1, strike 2
        cont("swap_line"),
        choose("confirm", "read_back"),
        cont("confirmed"),
        choose("close", "thank"),
        cont("after_call"),
        cont("won"),
    ];
    let r = score(&sc, seed, &events);
    // speed: mail −2, phone +1, vague −1, deep +1, no "few minutes" 0 = −1 (counts as 0);
    // sincerity 3 − 1 (drop-in) − 1 (no congratulations) = 1; research 10 − 1 (drop-in)
    // − 1 (mail) − 1 (vague) − 1 (swapped read-back) = 6
    assert_eq!(points(&r), vec![3.0, -1.0, 1.0, 5.0, 6.0]);
    // share (3 + 0 + 1 + 5 + 6) / 24 = 0.625 → band 2: 50 + round(9 × 0.125 / 0.3) = 54
    assert!((r.share - 15.0 / 24.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 54);
    // listening 5/6 → 4
    assert_eq!(auto_points(&r), (Some(5), Some(4), Some(10)));
    // 19 + 54 = 73 → 81
    assert_eq!(summary(&r), ("done", true, 73, 81, "良好", 2));
    assert!(r.critical.is_empty());
    assert_eq!(s_strikes(&sc, seed, &events), 2);
}

/// The expert's survey with one hint taken on the first match: band 2 allows one hint.
#[test]
fn p2t1_student_who_uses_a_hint() {
    let sc = scenario(P2T1);
    let seed = 1;
    let mut events = expert(&sc, seed);
    swap(&mut events, "kinds", vec![at("kinds", 8000, Action::Hint), matched("kinds", 60_000, &KINDS_RIGHT)]);
    let r = score(&sc, seed, &events);
    assert_eq!((r.hints_used, r.hint_cost, r.band.points), (1, 1, 59));
    assert_eq!(points(&r), vec![3.0, 3.0, 3.0, 5.0, 10.0]);
    // 20 + 59 − 1 = 78 → 87
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 2));
}

/// Negative language in an otherwise complete opening holds a perfect survey to 及格.
#[test]
fn p2t1_negative_language_caps_the_grade() {
    let sc = scenario(P2T1);
    let seed = 2;
    let mut events = expert(&sc, seed);
    swap(&mut events, "open", vec![say("open", "您好，我是对面长海物流的刘铭丽，恭喜开业！我不知道您现在方不方便，想占用您三分钟了解一下物流需求")]);
    let r = score(&sc, seed, &events);
    // all six elements said, the negative phrase costs sincerity 2
    assert_eq!(points(&r), vec![3.0, 3.0, 1.0, 5.0, 10.0]);
    // share 22/24 → band 1: 60 + round(10 × 0.117 / 0.2) = 66
    assert_eq!(r.band.points, 66);
    // 20 + 66 = 86, held to 69
    assert_eq!(summary(&r), ("done", true, 69, 69, "及格", 1));
    assert_eq!(criticals(&r), vec![("open", NEGATIVE)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(86)));
}

/// The strikes the manager counted at the end of `events`.
fn s_strikes(sc: &Arc<Scenario>, seed: u64, events: &[Event]) -> i64 {
    let mut s = Session::new(Arc::clone(sc), seed).expect("starts");
    for e in events {
        s.apply(e).expect("applies");
    }
    s.vars().get("strikes").copied().unwrap_or(0)
}

/// The survey form cannot be gamed: the refused channel beside the right one does not count,
/// nor does one line pasted into every field; a negated refusal ("不要打电话") is no refusal.
#[test]
fn p2t1_survey_form_rejects_wrong_channels_and_pasting() {
    let sc = scenario(P2T1);
    let seed = 2; // 赵经理
    let upto_survey = |survey: Event| upto(expert(&sc, seed), "survey", vec![survey]);
    let credit = |events: &[Event]| {
        let r = score(&sc, seed, events);
        let d = r.decisions.iter().find(|d| d.node == "survey").expect("survey").credit;
        (d, criticals(&r).into_iter().map(|(n, c)| format!("{n}:{c}")).collect::<Vec<_>>())
    };
    // Hedging between phone and a visit.
    let (c, crit) = credit(&upto_survey(form("survey", 60_000, &[
        ("services", "上门取货"), ("inconvenience", "排队"), ("follow_up", "电话或上门"), ("info", "邮件"), ("other", "帮忙搬货"),
    ])));
    assert_eq!((c, crit), (Some(0.8), vec![format!("survey:{NO_FOLLOW}")]));
    // "不要上门，打电话": the refusal is negated, the answer is right.
    let (c, crit) = credit(&upto_survey(form("survey", 60_000, &[
        ("services", "上门取货"), ("inconvenience", "排队"), ("follow_up", "不上门，打电话"), ("info", "邮件"), ("other", "帮忙搬货"),
    ])));
    assert_eq!((c, crit), (Some(1.0), vec![]));
    // Everything pasted into every field.
    let all = "上门取货 排队 电话 邮件 搬";
    let (c, crit) = credit(&upto_survey(form("survey", 60_000, &[
        ("services", all), ("inconvenience", all), ("follow_up", all), ("info", all), ("other", all),
    ])));
    assert_eq!((c, crit), (Some(0.0), vec![format!("survey:{NO_FOLLOW}")]));
}

// ---------------------------------------------------------------------------------------------
// The typed opening: held replies, written the way students type them

/// Each reply's points (all keys), critical errors and where the manager takes the call next.
const fn held_to(kind: Kind, reply: &'static str, points: f64, critical: &'static [&'static str], next: &'static str) -> Held {
    held(kind, reply, points, critical).leads_to(next)
}

/// Seed 2 (赵经理). Greeting smile 1 (你好 half), company skill 1, self attitude 1,
/// congratulations / neighbour sincerity 1, purpose research 1, "a few minutes" speed 1
/// (打扰 half): 6 in all.
#[test]
fn p2t1_opening_replies() {
    check_table(P2T1, 2, "open", &[
        held_to(Good, MODEL_OPEN, 6.0, &[], "go_ahead"),
        held_to(Good, "您好，我是长海物流客服刘铭丽，恭喜开业！想占用您两分钟了解下贵公司的物流需求", 6.0, &[], "go_ahead"),
        held_to(Good, "您好！我是對面長海物流的客服小劉，恭喜貴公司開業，想耽誤您幾分鐘做個物流需求調查", 6.0, &[], "go_ahead"),
        held_to(Good, "下午好长海物流刘铭丽恭喜开业想占用您五分钟了解一下贵司物流需求", 6.0, &[], "go_ahead"),
        held_to(Good, "您好，我是长海物流的小刘，祝贺贵公司开业大吉！耽误您一分钟，想做个简单的调查", 6.0, &[], "go_ahead"),
        // 你 for 您: the greeting earns half.
        held_to(Good, "你好 我是长海物流的刘铭丽 就在你们对面 想问你几个问题 了解下你们的物流需求 大概三分钟", 5.5, &[], "go_ahead"),
        // "不是推销" is no pitch.
        held_to(Good, "您好，我是长海物流的刘铭丽，不是推销，想占用您三分钟了解贵公司的物流需求", 5.0, &[], "go_ahead"),
        // No word for the neighbour and no "few minutes": the manager asks how long.
        held_to(Partial, "您好，我是长海物流的刘铭丽，想了解一下贵公司的物流需求", 4.0, &[], "how_long"),
        // 你好 and 打扰 earn half; 打扰 counts as asking for the manager's time.
        held_to(Partial, "你好，打扰了，我是长海的，想了解一下你们公司的情况", 3.0, &[], "go_ahead"),
        held_to(Partial, "您好，我是长海物流的刘铭丽，就是想问问，你们以后发货能不能找我们？", 3.0, &[], "how_long"),
        // Without the company the manager asks who is calling.
        held_to(Partial, "您好，请问是桑弘服饰吗？", 1.0, &[], "who"),
        // Keywords run together: half of each.
        held_to(Partial, "您好长海物流刘铭丽恭喜需求三分钟", 3.0, &[], "go_ahead"),
        held_to(Partial, "您好，我是长海物流的刘铭丽，我不知道您现在方不方便，想占用您三分钟了解一下物流需求", 3.0, &[NEGATIVE], "go_ahead"),
        held_to(Bad, "喂，你好，我是长海物流的，我们价格全市最低，想跟你们签合同", -0.5, &[], "pitch_line"),
        held_to(Bad, "您好，长海物流刘铭丽，想了解一下贵公司去年的营业额和贷款情况", -1.0, &[PRY], "snooped"),
        held_to(Bad, "你好，长海物流的，我也不知道你们需要什么，没办法，领导让我打的", -0.5, &[NEGATIVE], "how_long"),
        held_to(Bad, "喂，哪位是负责人？", -1.0, &[], "who"),
    ]);
}

