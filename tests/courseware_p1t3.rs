//! P1 T3 · the botched phone call as a role play: named student paths through
//! scenarios/p1t3-botched-phone-call.ron with exact totals, grades, endings and critical errors.
//!
//! Maxima (file header): smile 4, speed 5, sincerity 4, skill 8, research 9 (30);
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

const T3: &str = "scenarios/p1t3-botched-phone-call.ron";

/// Seed 1 draws 周女士 (展会样品 to 长沙, 这周六中午以前), seed 4 吴先生 (医疗设备配件 to 南昌),
/// seed 5 孙先生 (汽车配件 to 郑州, 下周一上午九点前).
const SEEDS: [u64; 3] = [1, 4, 5];

const REPLAY: [&str; 6] = ["replay1", "replay2", "replay3", "replay4", "replay5", "replay6"];

const FAULTS_RIGHT: [(&str, &str); 8] = [
    ("not_here", "principle"), ("own_work", "principle"), ("ring4", "etiquette"), ("no_name", "etiquette"),
    ("reluctant", "etiquette"), ("reading", "etiquette"), ("fragments", "quality"), ("no_time", "quality"),
];

const PUSHED: &str = "违反首问负责制：推诿客户";
const NO_TIME: &str = "没有记下客户要求的到货时间";
const NO_CONFIRM: &str = "没有复述确认客户最关心的到货时间";
const HUNG_UP_FIRST: &str = "抢在客户之前挂断电话";
const OTHER_WORK: &str = "通话时做别的事";
const LOST: &str = "客户流失：客户挂断电话，另找别家";

fn faults(ms: u64, placed: &[(&str, &str)]) -> Event {
    at("faults", ms, Action::Match(pairs(placed)))
}

fn replay() -> Vec<Event> {
    REPLAY.iter().map(|n| cont(n)).collect()
}

/// The four facts of the request, each in its own field, right.
fn notes_right(sc: &Arc<Scenario>, seed: u64, ms: u64) -> Event {
    let v = |k: &str| value(sc, seed, k);
    form("notes", ms, &[("dest", v("city")), ("goods", v("goods")), ("weight", format!("约{}公斤", v("weight"))), ("arrive", v("arrive_by"))])
}

/// The model opening with this attempt's staff number.
fn open_model(sc: &Arc<Scenario>, seed: u64) -> Event {
    say("open", &format!("您好，长海物流客服部，工号{}，我是刘铭丽，请问有什么可以帮您？", value(sc, seed, "staff")))
}

/// The model read-back of this attempt's request.
fn confirm_model(sc: &Arc<Scenario>, seed: u64) -> Event {
    let v = |k: &str| value(sc, seed, k);
    say("confirm", &format!("跟您核对一下：{}约{}公斤，发往{}，{}必须送到，对吗？", v("goods"), v("weight"), v("city"), v("arrive_by")))
}

/// A read-back without the arrival time.
fn confirm_partial(sc: &Arc<Scenario>, seed: u64) -> Event {
    let v = |k: &str| value(sc, seed, k);
    say("confirm", &format!("跟您核对一下：{}约{}公斤，发往{}，对吧？", v("goods"), v("weight"), v("city")))
}

const HELLO: &str = "喂，您好！这边是客服部，请问您找哪位？";
const NOT_HERE: &str = "您好，负责接单的服务人员现在都不在，麻烦您过半个小时再打过来吧。";
const NO_READ_BACK: &str = "好的好的，您说的这些我都记下来了，您就放心吧。";
const SAY_AGAIN: &str = "不好意思，麻烦您把要求从头再完整地说一遍，我好核对一下。";

fn phone_right(sc: &Arc<Scenario>, seed: u64, ms: u64) -> Event {
    form("contact", ms, &[("phone", value(sc, seed, "phone"))])
}

/// The correct call, every decision the expert's.
fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let mut e = replay();
    e.extend([
        faults(60_000, &FAULTS_RIGHT),
        cont("again"),
        at("ring", 1500, Action::Pickup), // ring 1
        open_model(sc, seed),
        cont("request_intro"),
        choose("focus", "notebook"),
        cont("request"),
        notes_right(sc, seed, 30_000),
        confirm_model(sc, seed),
        choose("answer", "accurate"),
        choose("book", "ask_book"),
        cont("phone_line"),
        phone_right(sc, seed, 30_000),
        choose("rep", "rep_call"),
        choose("close", "thank_wait"),
        cont("after_call"),
        cont("arrived"),
    ]);
    e
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn t3_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(T3);
    let sc = scenario(T3);
    assert_eq!(maxima(&sc), vec![4.0, 5.0, 4.0, 8.0, 9.0, 5.0, 5.0, 10.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn t3_has_success_and_failure_endings() {
    let sc = scenario(T3);
    assert_eq!(
        endings(&sc),
        vec![("done", true, false), ("complaint_end", false, false), ("lost", false, true), ("hung_up", false, false)]
    );
}

/// Naive strategies stay far below the targets (first/longest/shortest < 70, random < 65).
#[test]
fn t3_audit_bots_stay_low() {
    let sc = scenario(T3);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        // A margin below the targets (a one-word typed reply earns a point or two).
        assert!(b.mean < 62.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    // Always-longest (with every phrase, or every keyword, typed at the Say nodes) is the same
    // attempt on every seed: it loses the customer.
    for bot in [Bot::Longest, Bot::Keywords] {
        let row = a.bots.iter().find(|b| b.bot == bot).expect("row");
        assert_eq!(row.endings.get("lost"), Some(&50), "{bot:?}: {:?}", row.endings);
    }
    assert!(a.critical.iter().any(|c| c.projected.is_some_and(|p| p <= 69)), "a single critical error ends at 及格 or below");
    assert_eq!((a.endings, a.failure_endings), (4, 3));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named students

#[test]
fn t3_expert_path_scores_100() {
    let sc = scenario(T3);
    let mut customers = Vec::new();
    for seed in SEEDS {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![4.0, 5.0, 4.0, 8.0, 9.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert_eq!((r.band.points, r.member_points), (70, 20));
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        assert_eq!(auto.vars().get("noted_time"), Some(&1));
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("done")));
        customers.push(value(&sc, seed, "customer"));
    }
    customers.dedup();
    assert_eq!(customers.len(), 3, "the seeds meet all three callers: {customers:?}");
}

/// Quick on the phone, careless with everything else: part (a) 6 of 8; "喂，您好！这边是客服部"
/// typed without company or staff number (the caller asks who this is), a curt reply, a sticky
/// note, the goods noted as just "配件", no read-back (the caller has to remind her of the
/// arrival time, and she brushes it off), a rash "tomorrow for sure", "leave a number, we'll
/// talk later", "call us again", and a thank-you while hanging up first.
#[test]
fn t3_careless_student() {
    let sc = scenario(T3);
    let seed = 5;
    let v = |k: &str| value(&sc, seed, k);
    let mut events = replay();
    events.extend([
        // own_work and no_time misplaced: 6/8 → skill 1.5, research 1.5, presentation 1.5
        faults(20_000, &[
            ("not_here", "principle"), ("own_work", "etiquette"), ("ring4", "etiquette"), ("no_name", "etiquette"),
            ("reluctant", "etiquette"), ("reading", "etiquette"), ("fragments", "quality"), ("no_time", "etiquette"),
        ]),
        cont("again"),
        at("ring", 800, Action::Pickup),  // ring 1: speed +3, attitude +1
        say("open", HELLO),          // smile −1, skill −1, strike 1
        cont("who"),
        choose("reintro", "curt"),        // smile −1
        cont("request_intro"),
        choose("focus", "sticky"),        // research −1
        cont("request"),
        // goods wrong; dest listening +1, weight research +1, arrive listening +1 research +1 presentation +2
        form("notes", 15_000, &[("dest", v("city")), ("goods", "配件".into()), ("weight", v("weight")), ("arrive", v("arrive_key"))]),
        say("confirm", NO_READ_BACK),  // nothing said back: critical (中等)
        cont("missing_time"),             // the caller: "还有到货时间呢！"
        choose("retime", "brush_off"),
        choose("answer", "overpromise"),  // sincerity −2, skill −1
        choose("book", "just_phone"),     // skill −1
        cont("phone_line"),
        phone_right(&sc, seed, 10_000),   // research +1
        choose("rep", "self_call"),       // speed −1, skill −1
        choose("close", "quick_bye"),     // smile +1, sincerity −1, critical (中等)
        cont("after_call"),
        cont("arrived"),
    ]);
    let r = score(&sc, seed, &events);
    assert_eq!(points(&r), vec![0.0, 2.0, -4.0, -2.5, 3.5]);
    // share (0 + 2 + 0 + 0 + 2.5) / 30 = 0.15 → band 3: 40 + round(9 × 0.15 / 0.5) = 43
    assert!((r.share - 5.5 / 30.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 43);
    assert_eq!(auto_points(&r), (Some(1), Some(2), Some(4)));
    // 7 + 43 = 50 → 56; the 中等 caps (79) do not bite
    assert_eq!(summary(&r), ("done", true, 50, 56, "不及格", 3));
    assert_eq!(criticals(&r), vec![("confirm", NO_CONFIRM), ("close", HUNG_UP_FIRST)]);
    assert_eq!(r.critical[0].cap, Cap::Grade("中等".into()));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(79), None));
}

/// Polite and right, but slow: the phone on ring 3, 32 s to type the opening, and silent past
/// the 90 s countdown when asked about time, procedure and fees. Everything said is the expert's.
#[test]
fn t3_polite_but_slow_student() {
    let sc = scenario(T3);
    let seed = 1;
    let mut events = replay();
    events.extend([
        faults(240_000, &FAULTS_RIGHT),
        cont("again"),
        at("ring", 7000, Action::Pickup),            // ring 3: speed +1, attitude +1
        Event { elapsed_ms: 32_000, ..open_model(&sc, seed) }, // 32 s to type the opening
        cont("request_intro"),
        at("focus", 20_000, Action::Choose("notebook".into())),
        cont("request"),
        form("notes", 120_000, &[("dest", value(&sc, seed, "city")), ("goods", value(&sc, seed, "goods")), ("weight", value(&sc, seed, "weight")), ("arrive", value(&sc, seed, "arrive_by"))]),
        Event { elapsed_ms: 30_000, ..confirm_model(&sc, seed) },
        at("answer", 90_000, Action::Timeout),       // speed −2, attitude −1
        cont("still_there"),
        at("answer", 60_000, Action::Choose("accurate".into())),
        at("book", 30_000, Action::Choose("ask_book".into())),
        cont("phone_line"),
        phone_right(&sc, seed, 60_000),
        at("rep", 30_000, Action::Choose("rep_call".into())),
        at("close", 30_000, Action::Choose("thank_wait".into())),
        cont("after_call"),
        cont("arrived"),
    ]);
    let r = score(&sc, seed, &events);
    let timed_out: Vec<&str> = r.decisions.iter().filter(|d| d.timed_out).map(|d| d.node.as_str()).collect();
    assert_eq!(timed_out, vec!["answer"]);
    // speed 1 − 2 + 1 + 1 = 1 → 20% (typing the opening has no countdown)
    assert_eq!(points(&r), vec![4.0, 1.0, 4.0, 8.0, 9.0]);
    assert!((r.share - 26.0 / 30.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!((r.elapsed_ms, r.within_time), (755_500, true));
    // band 1: 60 + round(10 × 0.0667 / 0.2) = 63; attitude 4/5
    assert_eq!(r.band.points, 63);
    assert_eq!(auto_points(&r), (Some(4), Some(5), Some(10)));
    // 19 + 63 = 82 → 91
    assert_eq!(summary(&r), ("done", true, 82, 91, "优秀", 1));
    assert!(r.critical.is_empty());
}

/// The expert's call with nothing written down: the notepad and the phone number left empty.
/// The read-back then lacks the arrival time, the caller catches it ("你到底有没有在听？"),
/// the student apologises and notes it, so the goods arrive; the empty notepad stays a
/// critical error.
#[test]
fn t3_student_who_records_nothing() {
    let sc = scenario(T3);
    let seed = 4;
    let mut events = expert(&sc, seed);
    swap(&mut events, "notes", vec![form::<&str>("notes", 30_000, &[])]);
    swap(&mut events, "confirm", vec![confirm_partial(&sc, seed), cont("missing_time"), choose("retime", "sorry_note")]);
    swap(&mut events, "contact", vec![form::<&str>("contact", 30_000, &[])]);
    let r = score(&sc, seed, &events);
    let notes = r.decisions.iter().find(|d| d.node == "notes").expect("notes");
    assert_eq!(notes.credit, Some(0.0));
    // research 9 − 3 (notepad) − 1 (read-back) − 1 (phone) = 4
    assert_eq!(points(&r), vec![4.0, 5.0, 4.0, 8.0, 4.0]);
    assert!((r.share - 25.0 / 30.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 62);
    // listening 3/5 (notebook, goods and city read back), presentation 8/10
    assert_eq!(auto_points(&r), (Some(5), Some(3), Some(8)));
    // 16 + 62 = 78, held to 69 by the critical errors
    assert_eq!(summary(&r), ("done", true, 69, 69, "及格", 1));
    assert_eq!(criticals(&r), vec![("notes", NO_TIME), ("confirm", NO_CONFIRM)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(78)));
}

/// The expert's call, with one hint taken in part (a): band 2 allows one hint.
#[test]
fn t3_student_who_uses_a_hint() {
    let sc = scenario(T3);
    let seed = 5;
    let mut events = expert(&sc, seed);
    swap(&mut events, "faults", vec![at("faults", 8000, Action::Hint), faults(60_000, &FAULTS_RIGHT)]);
    let r = score(&sc, seed, &events);
    assert_eq!((r.hints_used, r.hint_cost, r.band.points), (1, 1, 59));
    assert_eq!(points(&r), vec![4.0, 5.0, 4.0, 8.0, 9.0]);
    // 20 + 59 − 1 = 78 → 87
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 2));
    assert!(r.critical.is_empty());
}

/// "服务人员都不在，您过半个小时再打过来" — the replay's mistake — then an apology and the
/// expert's call from there on: 首问负责制 broken holds the attempt to 及格.
#[test]
fn t3_student_who_breaks_first_contact_responsibility() {
    let sc = scenario(T3);
    let seed = 1;
    let mut events = expert(&sc, seed);
    swap(&mut events, "open", vec![say("open", NOT_HERE), cont("pushed"), choose("recover", "sorry_help")]);
    events.retain(|e| e.node != "request_intro");
    let r = score(&sc, seed, &events);
    // "不在…再打过来": sincerity −3, attitude −2; sorry_help: sincerity +1; of the opening only
    // the greeting (smile 1) said
    assert_eq!(points(&r), vec![3.0, 5.0, 2.0, 7.0, 9.0]);
    assert!((r.share - 26.0 / 30.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 63);
    assert_eq!(auto_points(&r), (Some(2), Some(5), Some(10)));
    // 17 + 63 = 80, held to 69
    assert_eq!(summary(&r), ("done", true, 69, 69, "及格", 1));
    assert_eq!(criticals(&r), vec![("open", PUSHED)]);
    assert_eq!(r.critical[0].principle, Dim::Sincerity);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(80)));
}

/// The courseware's call, re-enacted: the 4th ring, "the service staff isn't here", a
/// reluctant "then go ahead", reading files while talking (and still after the caller asks
/// whether she is listening), fragments noted with no arrival time, no read-back, and hanging
/// up to get back to the files. Part (a) gets 5 of 8. The customer complains.
#[test]
fn t3_the_courseware_botched_call_ends_in_the_complaint() {
    let sc = scenario(T3);
    let seed = 5;
    let mut events = replay();
    events.extend([
        // own_work, reluctant and no_time misplaced: 5/8 → skill 1.25, research 1.25, presentation 1.25
        faults(60_000, &[
            ("not_here", "principle"), ("own_work", "etiquette"), ("ring4", "etiquette"), ("no_name", "etiquette"),
            ("reluctant", "quality"), ("reading", "etiquette"), ("fragments", "quality"), ("no_time", "etiquette"),
        ]),
        cont("again"),
        at("ring", 10_500, Action::Pickup),  // ring 4: speed −2, attitude −1, critical (中等)
        say("open", NOT_HERE),          // sincerity −3, attitude −2, critical (及格), strike 1
        cont("pushed"),
        choose("recover", "reluctant"),      // smile −1, attitude −1
        choose("focus", "multitask"),        // research −2, listening −1, critical (中等), strike 2
        cont("distracted"),
        choose("refocus", "keep_reading"),   // research −1, listening −1, critical (及格)
        cont("request"),
        // only the destination: listening +1; the arrival time missing: critical (及格)
        form("notes", 30_000, &[("dest", value(&sc, seed, "city")), ("goods", "货".into()), ("weight", String::new()), ("arrive", String::new())]),
        say("confirm", NO_READ_BACK),     // nothing said back: critical (中等)
        cont("missing_time"),
        choose("retime", "brush_off"),
        choose("answer", "general"),         // skill +1, presentation +1
        choose("book", "just_phone"),        // skill −1
        cont("phone_line"),
        phone_right(&sc, seed, 30_000),      // research +1
        choose("rep", "rep_plain"),          // speed +1
        choose("close", "quick_bye"),        // smile +1, sincerity −1, critical (中等)
        cont("after_call"),
        cont("complaint"),
    ]);
    let r = score(&sc, seed, &events);
    assert_eq!(r.decisions.iter().find(|d| d.node == "ring").expect("ring").answer[0].zh, "第 4 声铃响时接起");
    assert_eq!(points(&r), vec![1.0, -1.0, -5.0, 0.3, -0.8]);
    // share 1.25 / 30 → band 3: 40 + round(9 × 0.083) = 41
    assert!((r.share - 1.25 / 30.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 41);
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(2)));
    // 2 + 41 = 43 → 48
    assert_eq!(summary(&r), ("complaint_end", false, 43, 48, "不及格", 3));
    assert_eq!(
        criticals(&r),
        vec![
            ("ring", "铃响超过三声才接听"),
            ("open", PUSHED),
            ("focus", OTHER_WORK),
            ("refocus", "客户提醒后仍边做别的事边通话"),
            ("notes", NO_TIME),
            ("confirm", NO_CONFIRM),
            ("close", HUNG_UP_FIRST),
        ]
    );
    assert_eq!(r.cap_limit, Some(69));
}

/// Never reading the facts back used to cost almost nothing (93, 优秀); now it is a critical
/// error that holds a perfect call to 中等.
#[test]
fn t3_no_read_back_now_bites() {
    let sc = scenario(T3);
    let seed = 5;
    let mut events = expert(&sc, seed);
    swap(&mut events, "confirm", vec![say("confirm", NO_READ_BACK), cont("missing_time"), choose("retime", "sorry_note")]);
    let r = score(&sc, seed, &events);
    assert_eq!(points(&r), vec![4.0, 5.0, 4.0, 8.0, 8.0]);
    assert_eq!(r.band.points, 68);
    assert_eq!(auto_points(&r), (Some(4), Some(3), Some(10)));
    // 17 + 68 = 85, held to 79
    assert_eq!(summary(&r), ("done", true, 79, 79, "中等", 1));
    assert_eq!(criticals(&r), vec![("confirm", NO_CONFIRM)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(79), Some(85)));
}

/// Three slips the caller notices (no company name, files still being sorted, "please say it
/// all again") and he hangs up, even though the first two were repaired.
#[test]
fn t3_three_slips_and_the_caller_hangs_up() {
    let sc = scenario(T3);
    let seed = 4;
    let mut events = replay();
    events.extend([
        faults(60_000, &FAULTS_RIGHT),
        cont("again"),
        at("ring", 1500, Action::Pickup),
        say("open", HELLO),           // strike 1
        cont("who"),
        choose("reintro", "proper"),
        cont("request_intro"),
        choose("focus", "multitask"),      // strike 2
        cont("distracted"),
        choose("refocus", "sorry_focus"),
        cont("request"),
        notes_right(&sc, seed, 30_000),
        say("confirm", SAY_AGAIN),    // strike 3
        cont("repeat_line"),
        cont("hangup"),
    ]);
    let r = score(&sc, seed, &events);
    assert_eq!(points(&r), vec![0.0, 2.0, 1.0, 3.0, 2.0]);
    assert_eq!(r.band.points, 45);
    assert_eq!(auto_points(&r), (Some(1), Some(1), Some(4)));
    assert_eq!(summary(&r), ("lost", false, 51, 57, "不及格", 3));
    assert_eq!(criticals(&r), vec![("focus", OTHER_WORK), ("confirm", NO_CONFIRM), ("lost", LOST)]);
    assert_eq!(r.cap_limit, Some(59));
}

/// Nobody answers within six rings: the caller hangs up.
#[test]
fn t3_an_unanswered_phone_loses_the_customer() {
    let sc = scenario(T3);
    let seed = 1;
    let mut events = replay();
    events.extend([faults(60_000, &FAULTS_RIGHT), cont("again"), at("ring", 18_000, Action::Timeout)]);
    let r = score(&sc, seed, &events);
    assert!(r.decisions.iter().any(|d| d.node == "ring" && d.timed_out));
    assert_eq!(points(&r), vec![0.0, -3.0, 0.0, 2.0, 2.0]);
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(2)));
    // share 4/30 → band 3: 40 + round(9 × 0.267) = 42; 2 + 42 = 44 → 49
    assert_eq!(summary(&r), ("hung_up", false, 44, 49, "不及格", 3));
    assert_eq!(criticals(&r), vec![("ring", "电话无人接听")]);
}

/// The notepad cannot be gamed: one line with every fact pasted into every field earns nothing
/// (too long, and the same text everywhere), and a wrong day beside the right one does not count.
#[test]
fn t3_notepad_rejects_pasting_and_wrong_answers() {
    let sc = scenario(T3);
    let seed = 5;
    let v = |k: &str| value(&sc, seed, k);
    let upto_notes = |notes: Event| upto(expert(&sc, seed), "notes", vec![notes]);

    let all = format!("{}{}公斤{}{}", v("goods"), v("weight"), v("city"), v("arrive_by"));
    let fields: Vec<(&str, String)> = ["dest", "goods", "weight", "arrive"].iter().map(|f| (*f, all.clone())).collect();
    let r = score(&sc, seed, &upto_notes(form("notes", 30_000, &fields)));
    let notes = r.decisions.iter().find(|d| d.node == "notes").expect("notes");
    assert_eq!(notes.credit, Some(0.0));
    assert!(notes.effects.is_empty(), "{:?}", notes.effects);
    assert_eq!(criticals(&r), vec![("notes", NO_TIME)]);

    // A short fact pasted everywhere counts only where it is exactly the answer.
    let key = v("arrive_key");
    let fields: Vec<(&str, String)> = ["dest", "goods", "weight", "arrive"].iter().map(|f| (*f, key.clone())).collect();
    let r = score(&sc, seed, &upto_notes(form("notes", 30_000, &fields)));
    let notes = r.decisions.iter().find(|d| d.node == "notes").expect("notes");
    assert_eq!(notes.credit, Some(0.25));
    assert!(r.critical.is_empty());

    // Hedging between two days, the wrong city beside the right one, tons for kilograms.
    let r = score(&sc, seed, &upto_notes(form("notes", 30_000, &[
        ("dest", format!("{}或{}", v("city"), v("near_city"))),
        ("goods", v("goods")),
        ("weight", format!("{}吨", v("weight"))),
        ("arrive", format!("{}或{}", v("arrive_key"), v("late"))),
    ])));
    let notes = r.decisions.iter().find(|d| d.node == "notes").expect("notes");
    assert_eq!(notes.credit, Some(0.25), "only the goods count");
    assert_eq!(criticals(&r), vec![("notes", NO_TIME)]);
}
