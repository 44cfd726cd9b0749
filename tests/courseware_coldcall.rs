//! Supplementary task (seed 003) · freight-forwarder cold calls as a role play: named student
//! paths through scenarios/s3-forwarder-cold-call.ron with exact totals, grades, endings and
//! critical errors, the typed opening's replies, and full marks for every draw of objections.
//!
//! Maxima (file header, the same for every draw): smile 4, speed 1, sincerity 4, skill 8,
//! research 6 (23); attitude 5, listening 5, presentation 6. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths.

use std::collections::BTreeSet;
use std::sync::Arc;

use kefu::analysis::analyze;
use kefu::scenario::{Scenario};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Event, Session};

use crate::common::Kind::*;
use crate::common::*;

const S3: &str = "scenarios/s3-forwarder-cold-call.ron";

const OBJECTIONS: [&str; 9] = ["busy", "hurry", "unfriendly", "fixed", "nominated", "everywhere", "stiff", "justquote", "nodecider"];

const ARGUE: &str = "与客户争辩";
const DISS: &str = "贬低同行";
const LIE: &str = "在价格上说假话";
const NEGATIVE: &str = "对客户说负面语言";
const LOST: &str = "潜在客户挂断电话，开发失败";

const MODEL: &str = "您好！我是长海物流的刘铭丽，想为贵司出口的货物提供海运报价，能耽误您一分钟吗？";

/// The objections `seed` draws, in the order the call meets them.
fn drawn(sc: &Arc<Scenario>, seed: u64) -> Vec<&'static str> {
    let s = Session::new(Arc::clone(sc), seed).expect("starts");
    OBJECTIONS.iter().copied().filter(|v| s.vars().get(*v) == Some(&1)).collect()
}

/// One objection met: its line, the answer, the other side's reaction.
fn meet(q: &str, option: &str, reaction: &str) -> Vec<Event> {
    vec![cont(&format!("{q}_line")), choose(q, option), cont(&format!("{q}_{reaction}"))]
}

/// The call up to the contact's "hello", without the busy switchboard.
fn opening(text: &str) -> Vec<Event> {
    vec![cont("dial"), cont("pickup"), say("open", text), cont("transfer"), cont("hello")]
}

/// The expert's close: the quote with a small trial, and the log filled in right.
fn close_right(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let v = |k: &str| value(sc, seed, k);
    vec![
        cont("ready"),
        choose("close", "trial"),
        cont("agreed"),
        form("log", 30_000, &[("contact", v("contact")), ("ext", v("ext")), ("port", v("port"))]),
    ]
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn s3_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(S3);
    let sc = scenario(S3);
    assert_eq!((sc.course.project, sc.course.task), (5, 3));
    assert_eq!(maxima(&sc), vec![4.0, 1.0, 4.0, 8.0, 6.0, 5.0, 5.0, 6.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn s3_has_success_and_failure_endings() {
    let sc = scenario(S3);
    assert_eq!(endings(&sc), vec![("quote", true, false), ("callback", true, false), ("hung_up", false, true)]);
}

/// Every attempt meets exactly three of the nine objections, and the seeds meet all 84 draws.
#[test]
fn s3_every_attempt_draws_three_objections() {
    let sc = scenario(S3);
    let mut seen = BTreeSet::new();
    for seed in 0..600 {
        let d = drawn(&sc, seed);
        assert_eq!(d.len(), 3, "seed {seed}: {d:?}");
        seen.insert(d);
    }
    assert_eq!(seen.len(), 84, "C(9,3) draws");
    assert_eq!(drawn(&sc, 0), vec!["busy", "hurry", "nominated"]);
    assert_eq!(drawn(&sc, 5), vec!["hurry", "fixed", "everywhere"]);
}

/// The expert reaches full marks whatever is drawn: one seed for each of the 84 draws, and the
/// call passes exactly the three drawn objections' choices.
#[test]
fn s3_expert_scores_100_for_every_draw() {
    let sc = scenario(S3);
    let mut done = BTreeSet::new();
    for seed in 0..600 {
        let d = drawn(&sc, seed);
        if !done.insert(d.clone()) {
            continue;
        }
        let s = play(&sc, seed, Policy::Expert).expect("plays");
        let r = Scorer::new(Arc::clone(&sc)).score_session(&s, &Ratings::new());
        assert_eq!(summary(&r), ("quote", true, 90, 100, "优秀", 1), "seed {seed}: {d:?}");
        assert_eq!(points(&r), vec![4.0, 1.0, 4.0, 8.0, 6.0], "seed {seed}");
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)), "seed {seed}");
        let met: Vec<&str> = r.decisions.iter().map(|x| x.node.as_str()).filter(|n| n.starts_with('q')).collect();
        assert_eq!(met.len(), 3, "seed {seed}: {met:?}");
    }
    assert_eq!(done.len(), 84);
}

/// Naive strategies stay far below the targets (first/longest/shortest < 70, random < 65).
#[test]
fn s3_audit_bots_stay_low() {
    let sc = scenario(S3);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        assert!(b.mean < 60.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    assert!(a.critical.iter().any(|c| c.projected.is_some_and(|p| p <= 69)), "a single critical error ends at 及格 or below");
    assert_eq!((a.endings, a.failure_endings), (3, 1));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

#[test]
fn s3_worst_path() {
    let sc = scenario(S3);
    let s = play(&sc, 0, Policy::Worst).expect("plays");
    let r = Scorer::new(Arc::clone(&sc)).score_session(&s, &Ratings::new());
    // Seed 0 (busy, hurry, nominated): 喂 at the start (strike 1), negative language at the
    // switchboard (3), arguing with the contact (5): the contact hangs up at the second objection.
    assert_eq!(points(&r), vec![-1.0, 0.0, -4.0, 0.0, 0.0]);
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(0)));
    assert_eq!(summary(&r), ("hung_up", false, 40, 44, "不及格", 3));
    assert_eq!(criticals(&r), vec![("q1", NEGATIVE), ("q9", ARGUE), ("hung_up", LOST)]);
}

// ---------------------------------------------------------------------------------------------
// Named students

/// Seed 5 (陈小姐, 大阪, extension 8205) meets "in a hurry", "a regular forwarder" and "we ship
/// everywhere"; the model call scores 100.
#[test]
fn s3_expert_call_seed_5() {
    let sc = scenario(S3);
    let seed = 5;
    let mut e = opening(MODEL);
    e.extend(meet("q9", "askbusy", "ok"));
    e.extend(meet("q8", "surely", "ok"));
    e.extend(meet("q2", "lanes", "ok"));
    e.extend(close_right(&sc, seed));
    let r = score(&sc, seed, &e);
    assert_eq!(summary(&r), ("quote", true, 90, 100, "优秀", 1));
    assert!(r.decisions.iter().all(|d| d.expert));
}

/// Seed 8 (busy switchboard, nominated cargo, an unfriendly contact): a polite student who never
/// pushes: "I'll call again tomorrow" at the switchboard, the company script read out, and giving
/// up at "nominated". Three slips: the contact hangs up.
#[test]
fn s3_polite_student_who_gives_up() {
    let sc = scenario(S3);
    let seed = 8;
    let mut e = vec![cont("dial"), cont("pickup"), say("open", MODEL)];
    e.extend(meet("q1", "later", "meh"));
    e.push(cont("hello"));
    e.extend(meet("q7", "script", "meh"));
    e.extend([cont("q4_line"), choose("q4", "giveup"), cont("q4_meh"), cont("hangup")]);
    let r = score(&sc, seed, &e);
    // The opening earns its 5; then skill −1 research −1, smile −1 research −1, skill −1 research −1.
    assert_eq!(points(&r), vec![0.0, 0.0, 1.0, -1.0, -2.0]);
    // share 1/23 → band 3: 40 + round(9 × 0.087) = 41; attitude 1/5 → 1
    assert!((r.share - 1.0 / 23.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 41);
    assert_eq!(auto_points(&r), (Some(1), Some(0), Some(0)));
    // 1 + 41 = 42 → 47; no cardinal error, but losing the prospect holds it under 不及格 (59)
    assert_eq!(summary(&r), ("hung_up", false, 42, 47, "不及格", 3));
    assert_eq!(criticals(&r), vec![("hung_up", LOST)]);
    assert_eq!(r.cap_limit, Some(59));
}

/// Seed 5: the model opening, then arguing with a prospect in a hurry ("can't you spare two
/// minutes?"); the rest by the book. Two strikes by the close: only a call-back next week.
#[test]
fn s3_student_who_argues() {
    let sc = scenario(S3);
    let seed = 5;
    let mut e = opening(MODEL);
    e.extend(meet("q9", "insist", "sour"));
    e.extend(meet("q8", "surely", "ok"));
    e.extend(meet("q2", "lanes", "ok"));
    e.extend([cont("ready"), cont("cool")]);
    let r = score(&sc, seed, &e);
    // insist: smile −1, sincerity −2, two strikes; the close never comes (no speed, no log).
    assert_eq!(points(&r), vec![2.0, 0.0, 1.0, 5.0, 3.0]);
    // share 11/23 = 0.478 < 0.5 → band 3 although the ending is a success: 40 + round(9 × 0.957) = 49
    assert!((r.share - 11.0 / 23.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 49);
    // attitude 3/5, listening 2/5, presentation 2/6 → 3
    assert_eq!(auto_points(&r), (Some(3), Some(2), Some(3)));
    // 8 + 49 = 57 → 63; the 及格 cap (69) does not bite
    assert_eq!(summary(&r), ("callback", true, 57, 63, "及格", 3));
    assert_eq!(criticals(&r), vec![("q9", ARGUE)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), None));
}

/// Seed 11 (unfriendly, a regular forwarder, "just email a price list"): boasts "最便宜" in the
/// opening, answers the unfriendly contact well, then runs down the regular forwarder: 3 strikes.
#[test]
fn s3_boaster_who_disparages_the_competitor() {
    let sc = scenario(S3);
    let seed = 11;
    let mut e = opening("您好，我是长海物流的小刘，我们的海运运价是全市最便宜的，耽误您一分钟好吗？");
    e.insert(3, cont("open_frown"));
    e.extend(meet("q7", "warm", "ok"));
    e.extend([cont("q8_line"), choose("q8", "smear"), cont("q8_sour"), cont("hangup")]);
    let r = score(&sc, seed, &e);
    // Every opening element said (5), less sincerity 2 for the boast; warm: E; smear: sincerity −2, skill −1.
    assert_eq!(points(&r), vec![2.0, 0.0, -2.0, 2.0, 2.0]);
    // share (2 + 0 + 0 + 2 + 2) / 23 → band 3: 40 + round(9 × 0.52) = 45
    assert!((r.share - 6.0 / 23.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 45);
    assert_eq!(auto_points(&r), (Some(2), Some(1), Some(2)));
    // 5 + 45 = 50 → 56
    assert_eq!(summary(&r), ("hung_up", false, 50, 56, "不及格", 3));
    assert_eq!(criticals(&r), vec![("open", LIE), ("q8", DISS), ("hung_up", LOST)]);
    assert_eq!(r.cap_limit, Some(59));
}

/// Seed 2 (in a hurry, just a price list, nominated cargo): a casual opening (你好, no name, no
/// minute asked), every objection handled right, but the quote put off to next week.
#[test]
fn s3_casual_student_who_settles_for_a_call_back() {
    let sc = scenario(S3);
    let seed = 2;
    let mut e = opening("你好 我是长海物流的 想给你们报个运价");
    e.extend(meet("q9", "askbusy", "ok"));
    e.extend(meet("q4", "info", "ok"));
    e.extend(meet("q5", "edge", "ok"));
    e.extend([cont("ready"), choose("close", "nextweek"), cont("later")]);
    let r = score(&sc, seed, &e);
    // 你好 half a smile, company and purpose said, no name (attitude), no minute (sincerity);
    // nextweek: speed −1, and no log.
    assert_eq!(points(&r), vec![3.5, -1.0, 3.0, 7.0, 4.0]);
    // share (3.5 + 0 + 3 + 7 + 4) / 23 = 0.76 → band 2: 50 + round(9 × 0.87) = 58
    assert!((r.share - 17.5 / 23.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 58);
    // attitude 3/5, listening 3/5, presentation 3/6 → 5
    assert_eq!(auto_points(&r), (Some(3), Some(3), Some(5)));
    // 11 + 58 = 69 → 77
    assert_eq!(summary(&r), ("callback", true, 69, 77, "中等", 2));
    assert!(r.critical.is_empty());
}

/// Seed 4 (stiff, nominated, price list; 林小姐, 新加坡, 3317): the expert call, but the log has
/// the wrong extension and no port.
#[test]
fn s3_expert_call_with_a_sloppy_log() {
    let sc = scenario(S3);
    let seed = 4;
    let mut e = opening(MODEL);
    e.extend(meet("q4", "info", "ok"));
    e.extend(meet("q6", "lighten", "ok"));
    e.extend(meet("q5", "edge", "ok"));
    e.extend([cont("ready"), choose("close", "trial"), cont("agreed"), form("log", 30_000, &[("contact", "林小姐"), ("ext", "3371"), ("port", "")])]);
    let r = score(&sc, seed, &e);
    // 林小姐 holds the surname; the extension wrong (listening −1), the port empty (research −1,
    // presentation −1).
    assert_eq!(points(&r), vec![4.0, 1.0, 4.0, 8.0, 5.0]);
    // share 22/23 → band 1: 60 + round(10 × 0.78) = 68
    assert_eq!(r.band.points, 68);
    assert_eq!(auto_points(&r), (Some(5), Some(4), Some(8)));
    // 17 + 68 = 85 → 94
    assert_eq!(summary(&r), ("quote", true, 85, 94, "优秀", 1));
    assert!(r.critical.is_empty());
}

/// Seed 0 (busy switchboard, hurry, nominated): the expert call with "没办法，我不能天天打" at the
/// switchboard (negative language, two strikes), the rest by the book: a call-back, 及格.
#[test]
fn s3_negative_language_at_the_switchboard() {
    let sc = scenario(S3);
    let seed = 0;
    let mut e = vec![cont("dial"), cont("pickup"), say("open", MODEL)];
    e.extend(meet("q1", "cant", "sour"));
    e.push(cont("hello"));
    e.extend(meet("q9", "askbusy", "ok"));
    e.extend(meet("q4", "info", "ok"));
    e.extend([cont("ready"), cont("cool")]);
    let r = score(&sc, seed, &e);
    // cant: sincerity −2, attitude −1; no close (speed 0, no log).
    assert_eq!(points(&r), vec![3.0, 0.0, 1.0, 5.0, 3.0]);
    // share 12/23 = 0.52 → band 2: 50 + round(9 × 0.072) = 51
    assert!((r.share - 12.0 / 23.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 51);
    assert_eq!(auto_points(&r), (Some(2), Some(2), Some(3)));
    // 7 + 51 = 58 → 64
    assert_eq!(summary(&r), ("callback", true, 58, 64, "及格", 2));
    assert_eq!(criticals(&r), vec![("q1", NEGATIVE)]);
    assert_eq!(r.cap_limit, Some(69));
}

// ---------------------------------------------------------------------------------------------
// The typed opening

/// Seed 5 (no busy switchboard). Greeting smile 1 (你好 half), company skill 1, own name
/// attitude 1, purpose research 1, a minute asked sincerity 1: 5 in all.
#[test]
fn s3_opening_replies() {
    check_table(S3, 5, "open", &[
        held(Good, MODEL, 5.0, &[]).leads_to("transfer"),
        held(Good, "您好，我是长海物流的小刘，想给贵公司报一下海运运价，能占用您两分钟吗", 5.0, &[]),
        held(Good, "您好！長海物流劉銘麗，想跟貴司聊聊出口運價，耽誤您一分鐘可以嗎？", 5.0, &[]),
        held(Good, "下午好 我是长海物流刘铭丽 打扰您一下 想问问贵司出口货有没有需要报价的", 5.0, &[]),
        held(Good, "你好，我是长海物流的刘铭丽，想给你们报个运费，耽误您一分钟", 4.5, &[]),
        held(Partial, "你好 我是长海物流的 想给你们报个运价", 2.5, &[]),
        held(Partial, "您好，请问负责出口的是哪位？", 1.0, &[]),
        held(Partial, "您好长海物流刘铭丽报价一分钟", 2.5, &[]),
        held(Bad, "喂，找一下你们管出货的", -1.0, &[]).leads_to("open_frown"),
        held(Partial, "您好，我是长海物流的刘铭丽，我们的运价全市最低，耽误您一分钟", 3.0, &[LIE]),
        held(Bad, "您好，长海物流，我不知道找谁，没办法只好打总机", 0.0, &[NEGATIVE]),
    ]);
}
