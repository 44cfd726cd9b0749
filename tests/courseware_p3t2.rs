//! P3 T2 · credit review as a role play: named student paths through
//! scenarios/p3t2-credit-review.ron with exact totals, grades, bands, endings and critical
//! errors, the number answers of its forms (the working "71-6+4=69" accepted, the typical slips
//! refused), and the held replies of its typed node (Zhang Jun tells Jincheng's finance contact
//! about the downgrade).
//!
//! Maxima (file header): smile 3, speed 5, sincerity 7, skill 13, research 8 (36);
//! attitude 4, listening 4, presentation 9. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths.

use std::sync::Arc;

use kefu::analysis::analyze;
use kefu::scenario::{Cap, Dim, Scenario};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event, Session};

use crate::common::Kind::*;
use crate::common::*;

const T: &str = "scenarios/p3t2-credit-review.ron";

const KEPT_A: &str = "营业额下滑后仍维持A级信用";
const BLACK: &str = "首次轻微失信就挂黑牌";
const THREAT: &str = "对只逾期一周的客户施压威胁";
const NEGATIVE: &str = "对客户使用负面语言";
const THREAT_JC: &str = "威胁按时付款的客户";
const COMPLAINT: &str = "客户投诉：通知降级时得罪了客户";
const BAD_DEBT: &str = "呆账：降级后仍按A级赊账";

const RISK_RIGHT: [(&str, &str); 6] =
    [("gov", "none"), ("few", "none"), ("good", "low"), ("fair", "average"), ("arrears", "high"), ("share", "high")];
const PUBLISH_RIGHT: [(&str, &str); 5] =
    [("always", "honour"), ("jincheng", "honour"), ("once", "blue"), ("often", "yellow"), ("evade", "black")];
const COLLECT_RIGHT: [&str; 5] = ["before", "week", "month", "quarter", "half"];

/// Whether `seed` draws the touchy contact (else the calm one).
fn touchy(sc: &Arc<Scenario>, seed: u64) -> bool {
    let s = Session::new(Arc::clone(sc), seed).expect("starts");
    assert_eq!(s.vars().get("touchy").copied().unwrap_or(0) + s.vars().get("calm").copied().unwrap_or(0), 1, "one contact drawn");
    s.vars().get("touchy") == Some(&1)
}

fn change_right(ms: u64) -> Event {
    form("change_form", ms, &[("rev_old", "8300"), ("rev_new", "4900"), ("pts_old", "6"), ("pts_new", "4"), ("summary", "年营业额大幅下降")])
}

fn request_right(ms: u64) -> Event {
    form("request_form", ms, &[("old_score", "71"), ("new_score", "71-6+4=69"), ("new_grade", "B级")])
}

fn limit_right(sc: &Arc<Scenario>, seed: u64, ms: u64) -> Event {
    form("limit_form", ms, &[("client", "锦城皮具厂".to_string()), ("old_policy", "A级".into()), ("new_policy", "B级".into()), ("date", value(sc, seed, "date"))])
}

/// The model notice with this attempt's contact.
fn tell_model(sc: &Arc<Scenario>, seed: u64) -> Event {
    say("tell", &format!(
        "{}您好！我是长海物流的张军。因为贵厂上年的年营业额由8300万元降到4900万元，按评定标准，贵厂的信用等级由A级调整为B级，新的核定表今天发给您。感谢您一直以来的支持！",
        value(sc, seed, "contact")
    ))
}

/// The call's end along the expert's answers: the touchy contact objects, the calm one asks.
fn call_end(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    if touchy(sc, seed) {
        vec![cont("jc_touchy"), choose("objection", "fair"), cont("jc_accepts")]
    } else {
        vec![cont("jc_calm"), choose("question", "limit_form"), cont("jc_accepts")]
    }
}

fn hello(sc: &Arc<Scenario>, seed: u64) -> Event {
    cont(if touchy(sc, seed) { "jc_hello_touchy" } else { "jc_hello_calm" })
}

/// Every decision the expert's.
fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let mut e = vec![
        cont("intro"),
        choose("spot", "report"),
        cont("wang_ok"),
        change_right(90_000),
        request_right(60_000),
        cont("wang_review"),
        limit_right(sc, seed, 60_000),
        cont("liu_asks"),
        at("risk", 60_000, Action::Match(pairs(&RISK_RIGHT))),
        at("publish", 60_000, Action::Match(pairs(&PUBLISH_RIGHT))),
        choose("first_slip", "blue"),
        cont("collect_intro"),
        at("collect", 40_000, Action::Order(ids(&COLLECT_RIGHT))),
        choose("late_week", "call"),
        cont("other_ok"),
        cont("call_jc"),
        hello(sc, seed),
        tell_model(sc, seed),
    ];
    e.extend(call_end(sc, seed));
    e
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn p3t2_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(T);
    let sc = scenario(T);
    assert_eq!(maxima(&sc), vec![3.0, 5.0, 7.0, 13.0, 8.0, 4.0, 4.0, 9.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn p3t2_has_success_and_failure_endings() {
    let sc = scenario(T);
    assert_eq!(
        endings(&sc),
        vec![("done", true, false), ("done_cool", true, false), ("complaint", false, true), ("bad_debt", false, true), ("taken_over", false, false)]
    );
}

/// Naive strategies stay below the targets (first/longest/shortest < 70, random < 65).
#[test]
fn p3t2_audit_bots_stay_low() {
    let sc = scenario(T);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
    }
    assert!(a.critical.iter().any(|c| c.projected.is_some_and(|p| p <= 69)), "a single critical error ends at 及格 or below");
    // Every critical error the expert path can reach holds it to 及格 or below.
    for c in a.critical.iter().filter(|c| c.projected.is_some()) {
        assert!(c.projected.is_some_and(|p| p <= 69), "{} {} reaches {:?}", c.node, c.deviation, c.projected);
    }
    assert_eq!((a.endings, a.failure_endings), (5, 3));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named students

#[test]
fn p3t2_expert_path_scores_100() {
    let sc = scenario(T);
    let mut drawn = Vec::new();
    for seed in 0..8 {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![3.0, 5.0, 7.0, 13.0, 8.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert_eq!((r.band.points, r.member_points), (70, 20));
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("done")));
        drawn.push(touchy(&sc, seed));
    }
    assert!(drawn.contains(&true) && drawn.contains(&false), "the seeds meet both contacts: {drawn:?}");
}

/// Loyal to an old customer: "Jincheng always pays, no need to report" (汪雷 frowns), the forms
/// right but the request still asks for A; 汪雷 points at 69 and B, and the student corrects it.
/// The rest is the expert's.
#[test]
fn p3t2_student_who_keeps_the_a_rating() {
    let sc = scenario(T);
    let seed = 0;
    let mut events = expert(&sc, seed);
    swap(&mut events, "spot", vec![choose("spot", "keep_quiet")]);
    swap(&mut events, "wang_ok", vec![cont("wang_keep")]);
    swap(&mut events, "request_form", vec![
        form("request_form", 60_000, &[("old_score", "71"), ("new_score", "69"), ("new_grade", "A级")]),
        cont("wang_still_a"),
        choose("regrade", "fix_b"),
    ]);
    let r = score(&sc, seed, &events);
    // keep_quiet: skill −2, research −1, and the report's speed 2, research 1, attitude 1 not
    // earned; the grade field (skill 1, research 1) wrong
    assert_eq!(points(&r), vec![3.0, 3.0, 7.0, 10.0, 5.0]);
    // share 28/36 = 0.778 < 0.8 → band 2: 50 + round(9 × 0.278 / 0.3) = 58
    assert!((r.share - 28.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 58);
    // attitude 3/4 → 4
    assert_eq!(auto_points(&r), (Some(4), Some(5), Some(10)));
    // 19 + 58 = 77, held to 69 by keeping A (twice)
    assert_eq!(summary(&r), ("done", true, 69, 69, "及格", 2));
    assert_eq!(criticals(&r), vec![("spot", KEPT_A), ("request_form", KEPT_A)]);
    assert_eq!(r.critical[0].cap, Cap::Grade("及格".into()));
    assert_eq!(r.critical[0].principle, Dim::Research);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(77)));
}

/// Scores 49 million as 5 points (the 50-80 million band) and so 71 − 6 + 5 = 70, still grade
/// B: one slip in the analysis, one in the request; the rest is the expert's.
#[test]
fn p3t2_student_who_misreads_the_band() {
    let sc = scenario(T);
    let seed = 1;
    let mut events = expert(&sc, seed);
    swap(&mut events, "change_form", vec![form("change_form", 90_000, &[("rev_old", "8300"), ("rev_new", "4900"), ("pts_old", "6"), ("pts_new", "5"), ("summary", "营业额下降")])]);
    swap(&mut events, "request_form", vec![form("request_form", 60_000, &[("old_score", "71"), ("new_score", "71-6+5=70"), ("new_grade", "B")]), cont("wang_recount")]);
    let r = score(&sc, seed, &events);
    // the band field (skill 2, research 1) and the new score (skill 3, research 1,
    // presentation 1) wrong; 汪雷 strikes the score through
    assert_eq!(points(&r), vec![3.0, 5.0, 7.0, 8.0, 6.0]);
    // share 29/36 = 0.806 → band 1: 60 + round(10 × 0.006 / 0.2) = 60
    assert!((r.share - 29.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 60);
    // presentation 8/9 → 9
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(9)));
    // 19 + 60 = 79 → 88: the calculation is the task, two slips in it cost 优秀
    assert_eq!(summary(&r), ("done", true, 79, 88, "良好", 1));
    assert!(r.critical.is_empty());
}

/// Hard on customers: a black card for a first 5-day slip (汪雷 objects), a threat to the
/// customer one week late (who bristles), and the downgrade told as "经营不善": the third slip,
/// and Jincheng complains to 汪雷.
#[test]
fn p3t2_harsh_student_ends_in_the_complaint() {
    let sc = scenario(T);
    let seed = 2;
    let events = upto(expert(&sc, seed), "first_slip", vec![
        choose("first_slip", "black"),
        cont("wang_card"),
        cont("collect_intro"),
        at("collect", 40_000, Action::Order(ids(&COLLECT_RIGHT))),
        choose("late_week", "threat"),
        cont("other_angry"),
        cont("call_jc"),
        hello(&sc, seed),
        say("tell", "您好，因为贵厂经营不善，营业额下降，信用等级降为B级，核定表发给您"),
        cont("jc_offended"),
        cont("complaint_line"),
    ]);
    let r = score(&sc, seed, &events);
    // smile: threat −1, the notice's greeting +1 and "经营不善" −1; sincerity: publish +1, black
    // card −2, threat −2, the notice's reason +2 and "经营不善" −3; skill: black card −1, the
    // contact's question never reached (−1); speed: the late customer not phoned (−1)
    assert_eq!(points(&r), vec![-1.0, 4.0, -4.0, 11.0, 8.0]);
    // share (0 + 4 + 0 + 11 + 8) / 36 = 0.639; a failure ending → band 3, 49 at the top
    assert!((r.share - 23.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 49);
    // attitude 1/4 (the report only), presentation 7/9
    assert_eq!(auto_points(&r), (Some(1), Some(5), Some(8)));
    // 14 + 49 = 63, held to 59 by the complaint
    assert_eq!(summary(&r), ("complaint", false, 59, 59, "不及格", 3));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(59), Some(63)));
    assert_eq!(criticals(&r), vec![("first_slip", BLACK), ("late_week", THREAT), ("tell", NEGATIVE), ("complaint", COMPLAINT)]);
}

/// The touchy contact asks to stay at A "for an old customer" and the student gives in: two
/// quarters later the debt has gone bad.
#[test]
fn p3t2_student_who_gives_in_to_the_old_customer() {
    let sc = scenario(T);
    let seed = (0..20).find(|s| touchy(&sc, *s)).expect("a touchy seed");
    let mut events = expert(&sc, seed);
    let i = events.iter().position(|e| e.node == "objection").expect("objection");
    events.truncate(i);
    events.extend([choose("objection", "keep_a"), cont("bad_debt_line")]);
    let r = score(&sc, seed, &events);
    assert_eq!(seed, 1);
    // keep_a: skill −2, and the expert answer's smile 1, sincerity 1, skill 1, presentation 2 lost
    assert_eq!(points(&r), vec![2.0, 5.0, 6.0, 10.0, 8.0]);
    assert!((r.share - 31.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    // a failure ending: band 3 whatever the share, 49 at the top
    assert_eq!(r.band.points, 49);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(8)));
    // 18 + 49 = 67, held to 59 by the bad debt
    assert_eq!(summary(&r), ("bad_debt", false, 59, 59, "不及格", 3));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(59), Some(67)));
    assert_eq!(criticals(&r), vec![("objection", KEPT_A), ("bad_debt", BAD_DEBT)]);
}

/// Insists on A after 汪雷's correction: 汪雷 takes the evaluation over.
#[test]
fn p3t2_student_who_insists_is_taken_off_the_job() {
    let sc = scenario(T);
    let seed = 3;
    let events = upto(expert(&sc, seed), "request_form", vec![
        form("request_form", 60_000, &[("old_score", "71"), ("new_score", "70"), ("new_grade", "A")]),
        cont("wang_still_a"),
        choose("regrade", "insist_a"),
        cont("wang_takes"),
    ]);
    let r = score(&sc, seed, &events);
    // report speed 2, research 1; the analysis form skill 2, research 3; insist_a skill −2;
    // nothing after the request form
    assert_eq!(points(&r), vec![0.0, 2.0, 0.0, 0.0, 4.0]);
    // share 6/36 = 0.167 → band 3: 40 + round(9 × 0.167 / 0.5) = 43
    assert!((r.share - 6.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 43);
    // attitude 1/4, listening 3/4 (old and new revenue, old score), presentation 0
    assert_eq!(auto_points(&r), (Some(1), Some(4), Some(0)));
    // 5 + 43 = 48 → 53: below the 及格 cap anyway
    assert_eq!(summary(&r), ("taken_over", false, 48, 53, "不及格", 3));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), None));
    assert_eq!(criticals(&r), vec![("request_form", KEPT_A), ("regrade", KEPT_A)]);
}

/// The expert's work with one hint taken at the analysis form: band 2 allows one hint.
#[test]
fn p3t2_student_who_uses_a_hint() {
    let sc = scenario(T);
    let seed = 4;
    let mut events = expert(&sc, seed);
    swap(&mut events, "change_form", vec![at("change_form", 8000, Action::Hint), change_right(90_000)]);
    let r = score(&sc, seed, &events);
    assert_eq!((r.hints_used, r.hint_cost, r.band.points), (1, 1, 59));
    assert_eq!(points(&r), vec![3.0, 5.0, 7.0, 13.0, 8.0]);
    // 20 + 59 − 1 = 78 → 87
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 2));
    assert!(r.critical.is_empty());
}

// ---------------------------------------------------------------------------------------------
// The forms: number answers with the working, and the typical slips

/// The request form's new score and grade, each typed several ways: (new_score, new_grade,
/// whether the score counts, whether the grade counts).
#[test]
fn p3t2_request_form_takes_the_working_and_refuses_the_slips() {
    let sc = scenario(T);
    let seed = 0;
    let cases: [(&str, &str, bool, bool); 10] = [
        ("69", "B", true, true),
        ("71-6+4=69", "B级", true, true),
        ("71－6＋4＝69分", "b", true, true),
        ("71-6+4", "B级（60~70分）", true, true),
        ("六十九", "B类", true, true),
        ("71-6+5=70", "B", false, true),
        ("70", "A", false, false),
        ("71-6+4=70", "A级", false, false),
        ("71", "A或B", false, false),
        ("", "", false, false),
    ];
    for (score_text, grade_text, score_ok, grade_ok) in cases {
        let events = upto(expert(&sc, seed), "request_form", vec![form("request_form", 60_000, &[("old_score", "71"), ("new_score", score_text), ("new_grade", grade_text)])]);
        let r = score(&sc, seed, &events);
        let d = r.decisions.iter().find(|d| d.node == "request_form").expect("request_form");
        let right: Vec<bool> = d.marks.iter().map(|m| m.right).collect();
        assert_eq!(right, vec![true, score_ok, grade_ok], "{score_text:?} / {grade_text:?}");
        assert_eq!(r.critical.is_empty(), grade_ok, "{grade_text:?}");
    }
}

/// The analysis form: 5 points for 49 million is the typical slip; amounts typed with units or
/// in 亿 do or do not count.
#[test]
fn p3t2_change_form_marks() {
    let sc = scenario(T);
    let seed = 0;
    let cases: [([&str; 5], [bool; 5]); 4] = [
        (["8300万元", "4900万", "6分", "4分", "下降了3400万元"], [true, true, true, true, true]),
        (["8,300", "4,900", "6", "5", "减少"], [true, true, true, false, true]),
        (["0.83亿", "0.49亿", "六", "四", "没有变化"], [false, false, true, true, false]),
        (["8300", "4900", "5", "4", "营业额不变"], [true, true, false, true, false]),
    ];
    for (typed, want) in cases {
        let fields: Vec<(&str, &str)> = ["rev_old", "rev_new", "pts_old", "pts_new", "summary"].into_iter().zip(typed).collect();
        let events = upto(expert(&sc, seed), "change_form", vec![form("change_form", 60_000, &fields)]);
        let r = score(&sc, seed, &events);
        let d = r.decisions.iter().find(|d| d.node == "change_form").expect("change_form");
        let right: Vec<bool> = d.marks.iter().map(|m| m.right).collect();
        assert_eq!(right, want.to_vec(), "{typed:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The typed notice

/// Seed 0: 陈科长 (calm). Points: greeting smile 1 (你好 half), the reason (revenue fell)
/// sincerity 2, the new grade skill 1, the limit form presentation 1, thanks attitude 1.
#[test]
fn p3t2_downgrade_notice_replies() {
    check_table(T, 0, "tell", &[
        held(Good, "陈科长您好！我是长海物流的张军。因为贵厂上年的年营业额由8300万元降到4900万元，按评定标准，贵厂的信用等级由A级调整为B级，新的核定表今天发给您。感谢您一直以来的支持！", 6.0, &[]).leads_to("jc_calm"),
        held(Good, "您好，因为贵厂去年营业额从8300万降到4900万，信用等级调为B级，核定表稍后发给您，谢谢理解", 6.0, &[]),
        held(Good, "你好 因为你们厂营业额下降了 所以信用等级从A级降成B级了 核定表等下发给你 谢谢", 5.5, &[]),
        held(Good, "您好陈科长，由於貴廠上年營業額下降，信用等級調整為B級，核定表今天發給您，感謝您的支持！", 6.0, &[]),
        held(Good, "陈科长，您好，我是张军，因为贵厂去年的销售额下降了，按照公司标准，贵厂的信用等级调整为B级，信用限度核定表马上发给您，谢谢您一直的支持", 6.0, &[]),
        held(Good, "陈科长好，跟您说一下，贵厂营业额少了，这次评分69分是B级，新的信用额度表发你们，多谢支持哈", 6.0, &[]),
        held(Good, "您好 贵厂年营业额降到4900万元 信用评分71-6+4=69分 调为B级 稍后把核定表传给您 谢谢", 6.0, &[]),
        held(Good, "您好，由于贵厂年营业额由原来的8300万元下降到了4900万元，信用等级由A级调为B级，B级客户的额度写在核定表上，谢谢您的理解与支持", 6.0, &[]),
        // Chinese numerals; the limit form not mentioned.
        held(Good, "您好，贵厂营业额由八千三百万降到四千九百万，信用等级调为B级，感谢支持", 5.0, &[]),
        // No reason: the contact asks why.
        held(Partial, "您好，根据评定标准，贵厂信用等级由A级调整为B级，核定表今天发给您，谢谢！", 4.0, &[]).leads_to("jc_why"),
        held(Partial, "您好，贵厂的信用等级调整了", 1.0, &[]).leads_to("jc_why"),
        // Keyword stuffing: run together, or every synonym pasted.
        held(Partial, "您好营业额下降B级核定表感谢", 3.0, &[]),
        held(Partial, "您好，营业额下降，营业额减少，4900万，B级，B类，核定表，信用额度，谢谢，感谢", 3.0, &[]),
        held(Bad, "喂，你们厂信用等级降到B级了", 0.0, &[]),
        // Pushing the customer's questions onto the manager.
        held(Bad, "您好，我们这边重新评了一下，贵厂现在是B级客户了，有问题找汪经理", 0.0, &[]),
        held(Bad, "您好，因为贵厂经营不善，营业额下降，信用等级降为B级", 0.0, &[NEGATIVE]).leads_to("jc_offended"),
        held(Bad, "您好，营业额下降了，B级，我也没办法，你应该理解", 0.0, &[NEGATIVE]),
        held(Bad, "你们营业额掉了那么多，B级是正常的，没办法", -1.0, &[NEGATIVE]),
        held(Bad, "您好，因为营业额下降，贵厂降为B级，如果逾期我们会走法律程序", 0.0, &[THREAT_JC]),
        // Praise followed by 但是 is on the course's negative list.
        held(Bad, "您好，贵厂信用很好，但是营业额下降，所以调成B级，谢谢理解", 1.0, &[NEGATIVE]),
    ]);
}

/// The touchy contact objects and hears "规定就是规定……我没办法": negative language. The
/// contact grumbles but signs; the relationship cools (`done_cool`, a success).
#[test]
fn p3t2_rules_are_rules_cools_the_customer() {
    let sc = scenario(T);
    let seed = 1;
    assert!(touchy(&sc, seed));
    let mut events = expert(&sc, seed);
    let i = events.iter().position(|e| e.node == "objection").expect("objection");
    events.truncate(i);
    events.extend([choose("objection", "rules"), cont("jc_upset")]);
    let r = score(&sc, seed, &events);
    // rules: sincerity −2, and the expert answer's smile 1, sincerity 1, skill 1, presentation 2 lost
    assert_eq!(points(&r), vec![2.0, 5.0, 4.0, 12.0, 8.0]);
    // share 31/36 = 0.861 → band 1 (a success ending): 60 + round(10 × 0.061 / 0.2) = 63
    assert!((r.share - 31.0 / 36.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 63);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(8)));
    // 18 + 63 = 81, held to 69 by the negative language
    assert_eq!(summary(&r), ("done_cool", true, 69, 69, "及格", 1));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(81)));
    assert_eq!(criticals(&r), vec![("objection", NEGATIVE)]);
}
