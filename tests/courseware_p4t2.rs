//! P4 T2 · taking an order as a role play: named student paths through
//! scenarios/p4t2-taking-an-order.ron with exact totals, grades, endings and critical errors,
//! and the held replies of its two typed nodes (the inquiry call's greeting and the words that
//! soothe the caller while the order is looked up).
//!
//! Maxima (file header): smile 4, speed 5, sincerity 4, skill 12, research 10 (35);
//! attitude 4, listening 7, presentation 10. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths.

use std::sync::Arc;

use kefu::Scenario;
use kefu::analysis::analyze;
use kefu::scenario::{Cap};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event};

use crate::common::Kind::*;
use crate::common::*;

const P4T2: &str = "scenarios/p4t2-taking-an-order.ron";

/// Seed 1, 4 and 5 draw the three loads (see `p4t2_expert_path_scores_100`).
const SEEDS: [u64; 3] = [1, 4, 5];

const TYPES_RIGHT: [(&str, &str); 12] = [
    ("storage", "content"), ("transport", "content"), ("mixed", "content"), ("urgent", "urgency"),
    ("phone", "channel"), ("fax", "channel"), ("web", "channel"), ("walkin", "channel"),
    ("cash", "handling"), ("consign", "handling"), ("indirect", "handling"), ("contract", "handling"),
];
const PHONE_FLOW: [&str; 4] = ["take", "settle", "pass", "execute"];
const WEB_FLOW: [&str; 3] = ["enter", "review", "pass"];

const REFERRED: &str = "违反首问负责制：把客户推给别的部门";
const NO_TIME: &str = "没有记下生鲜货物的到货时间要求";
const NOT_CONFIRMED: &str = "没有向客户复述确认到货时间";
const FILED_NORMAL: &str = "把有时限的生鲜订单当作一般订单处理";
const PUSHED_BACK: &str = "把查询推回给客户自己办";
const NEGATIVE: &str = "对客户说负面语言";
const WALKOUT: &str = "客户流失：王先生没有下单就走了";
const HUNG_UP: &str = "客户流失：王先生挂断电话，另找别家";

/// Every element of the order, each in its own field, written as a student would.
fn order_fields(sc: &Arc<Scenario>, seed: u64) -> Vec<(&'static str, String)> {
    let v = |k: &str| value(sc, seed, k);
    vec![
        ("goods", v("fruit")),
        ("value", "30万元".into()),
        ("boxes", format!("{}箱", v("boxes"))),
        ("weight", format!("约{}吨", v("weight"))),
        ("route", "武汉—襄樊".into()),
        ("pickup", v("pickup")),
        ("centre", format!("襄樊{}", v("centre"))),
        ("time", v("arrive_by")),
        ("temp", "冷藏".into()),
        ("phone", v("phone")),
        ("pay", v("pay1")),
    ]
}

/// The order form with the fields in `blank` left empty.
fn order_form_without(sc: &Arc<Scenario>, seed: u64, blank: &[&str]) -> Event {
    let fields: Vec<(&str, String)> = order_fields(sc, seed).into_iter().filter(|(k, _)| !blank.contains(k)).collect();
    form("order_form", 60_000, &fields)
}

fn greet_model(sc: &Arc<Scenario>, seed: u64) -> Event {
    say("greet", &format!("您好，长海物流，客户关系专员赖伟伟，工号{}，请问有什么可以帮您？", value(sc, seed, "staff")))
}

fn soothe_model(sc: &Arc<Scenario>, seed: u64) -> Event {
    say("soothe", &format!("好的，订单号{}，请您稍等，我马上为您查询，很快就好。", value(sc, seed, "order_no")))
}

/// The meeting up to the read-back (order taken on, deadline asked, form right).
fn meeting(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    vec![
        cont("intro"),
        cont("wang_need"),
        choose("take_on", "table"),
        cont("wang_goods"),
        choose("probe", "time_temp"),
        cont("wang_time"),
        cont("wang_pay"),
        order_form_without(sc, seed, &[]),
    ]
}

/// Classification, the two flows and on to the next day's call, all right.
fn explain() -> Vec<Event> {
    vec![
        at("order_types", 40_000, Action::Match(pairs(&TYPES_RIGHT))),
        at("phone_flow", 20_000, Action::Order(ids(&PHONE_FLOW))),
        at("web_flow", 20_000, Action::Order(ids(&WEB_FLOW))),
        cont("next_day"),
    ]
}

/// The correct order and call, every decision the expert's.
fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    let mut e = meeting(sc, seed);
    e.extend([choose("confirm", "read_all"), cont("wang_ok"), choose("classify", "urgent"), cont("wang_reorder")]);
    e.extend(explain());
    e.extend([
        at("ring", 1500, Action::Pickup), // ring 1
        greet_model(sc, seed),
        cont("wang_asks"),
        choose("ask_no", "number"),
        cont("wang_number"),
        soothe_model(sc, seed),
        cont("lookup"),
        choose("result", "clear"),
        choose("close", "thank_wait"),
        cont("wang_happy"),
    ]);
    e
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn p4t2_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(P4T2);
    let sc = scenario(P4T2);
    assert_eq!((sc.course.project, sc.course.task), (4, 2));
    assert_eq!(maxima(&sc), vec![4.0, 5.0, 4.0, 12.0, 10.0, 4.0, 7.0, 10.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn p4t2_has_success_and_failure_endings() {
    let sc = scenario(P4T2);
    assert_eq!(
        endings(&sc),
        vec![
            ("done", true, false),
            ("complaint_end", false, false),
            ("walkout", false, true),
            ("hung_up", false, true),
            ("no_answer", false, false),
        ]
    );
}

/// Naive strategies stay far below the targets (first/longest/shortest < 70, random < 65).
#[test]
fn p4t2_audit_bots_stay_low() {
    let sc = scenario(P4T2);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
    }
    // Always the longest option sends Mr. Wang to the business department, then promises a
    // truck before asking anything: three strikes, and he walks out, on every seed.
    for bot in [Bot::Longest, Bot::Keywords] {
        let row = a.bots.iter().find(|b| b.bot == bot).expect("row");
        assert_eq!(row.endings.get("walkout"), Some(&50), "{bot:?}: {:?}", row.endings);
    }
    // Always the shortest sends him home to fax the form, asks no order number and says only
    // “好的。” while looking it up: he hangs up.
    let row = a.bots.iter().find(|b| b.bot == Bot::Shortest).expect("row");
    assert_eq!(row.endings.get("hung_up"), Some(&50), "{:?}", row.endings);
    assert!(a.critical.iter().any(|c| c.projected.is_some_and(|p| p <= 69)), "a single critical error ends at 及格 or below");
    assert_eq!((a.endings, a.failure_endings), (5, 4));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named students

#[test]
fn p4t2_expert_path_scores_100() {
    let sc = scenario(P4T2);
    let mut fruits = Vec::new();
    for seed in SEEDS {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![4.0, 5.0, 4.0, 12.0, 10.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert_eq!((r.band.points, r.member_points), (70, 20));
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        assert_eq!((auto.vars().get("noted_time"), auto.vars().get("urgent")), (Some(&1), Some(&1)));
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("done")));
        fruits.push(value(&sc, seed, "fruit"));
    }
    fruits.sort();
    fruits.dedup();
    assert_eq!(fruits.len(), 3, "the seeds meet all three loads: {fruits:?}");
}

/// The worst path: sent to the business department, then a rash promise: Mr. Wang walks out.
#[test]
fn p4t2_worst_path_loses_the_customer_in_the_meeting() {
    let sc = scenario(P4T2);
    let a = analyze(&sc);
    let worst = a.worst.as_ref().expect("worst path");
    assert_eq!(
        worst.nodes,
        ids(&["intro", "wang_need", "take_on", "wang_cold", "take_on", "wang_doubt", "walkout_line", "walkout"])
    );
    let r = &worst.report;
    assert_eq!(points(r), vec![0.0, 0.0, -3.0, 0.0, -1.0]);
    assert_eq!(summary(r), ("walkout", false, 40, 44, "不及格", 3));
    assert_eq!(criticals(r), vec![("take_on", REFERRED), ("walkout", WALKOUT)]);
    let s = play(&sc, 0, Policy::Worst).expect("plays");
    assert_eq!(Scorer::new(Arc::clone(&sc)).score_session(&s, &Ratings::new()).projected, 44);
}

/// The expert's order and call with one hint taken at the notepad: band 2 allows one hint.
#[test]
fn p4t2_student_who_uses_a_hint() {
    let sc = scenario(P4T2);
    let seed = 1;
    let mut events = expert(&sc, seed);
    let form = events.iter().position(|e| e.node == "order_form").expect("order_form");
    events.insert(form, at("order_form", 8000, Action::Hint));
    let r = score(&sc, seed, &events);
    assert_eq!((r.hints_used, r.hint_cost, r.band.points), (1, 1, 59));
    assert_eq!(points(&r), vec![4.0, 5.0, 4.0, 12.0, 10.0]);
    // 20 + 59 − 1 = 78 → 87
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 2));
}

/// Never asks the deadline: goods and addresses, then straight to the freight. The time field
/// stays empty (a critical error); the read-back makes her ask after all, Mr. Wang answers
/// sharply, and the fruit still goes out urgent and arrives in time.
#[test]
fn p4t2_student_who_forgets_the_deadline() {
    let sc = scenario(P4T2);
    let seed = 4;
    let mut events = expert(&sc, seed);
    swap(&mut events, "probe", vec![choose("probe", "skip")]); // research −2
    events.retain(|e| e.node != "wang_time");
    swap(&mut events, "order_form", vec![order_form_without(&sc, seed, &["time", "temp"])]);
    swap(&mut events, "confirm", vec![choose("confirm", "read_ask"), cont("wang_late_ask")]);
    events.retain(|e| e.node != "wang_ok");
    let r = score(&sc, seed, &events);
    // research 10 − 4 (no deadline question) − 1 (time field) = 5; skill −1 (temperature);
    // sincerity and listening −1 each for the late question instead of the full read-back.
    assert_eq!(points(&r), vec![4.0, 5.0, 3.0, 11.0, 5.0]);
    // share 28/35 = 0.8: band 1 at its very threshold, 60
    assert!((r.share - 0.8).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 60);
    // listening 4/7 → 3, presentation 8/10 (the time field's 2)
    assert_eq!(auto_points(&r), (Some(5), Some(3), Some(8)));
    // 16 + 60 = 76, held to 69 by the empty time field; the fruit still arrives
    assert_eq!(summary(&r), ("done", true, 69, 69, "及格", 1));
    assert_eq!(criticals(&r), vec![("order_form", NO_TIME)]);
    assert_eq!(r.critical[0].cap, Cap::Grade("及格".into()));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(76)));
}

/// Takes the order well but files it as a normal order: the regular run, no cold chain, and
/// the inquiry call finds the fruit late. Mr. Wang complains.
#[test]
fn p4t2_student_who_files_it_as_normal() {
    let sc = scenario(P4T2);
    let seed = 5;
    let mut events = upto(expert(&sc, seed), "classify", vec![choose("classify", "normal"), cont("wang_reorder")]);
    events.extend(explain());
    events.extend([
        at("ring", 4000, Action::Pickup), // ring 2
        greet_model(&sc, seed),
        cont("wang_asks"),
        choose("ask_no", "number"),
        cont("wang_number"),
        soothe_model(&sc, seed),
        cont("lookup"),
        cont("late_found"),
        cont("wang_furious"),
    ]);
    let r = score(&sc, seed, &events);
    // classify: speed −2 and skill −1 instead of +1 and +2; the result and the goodbye are
    // never reached (skill, sincerity, presentation 2, smile 2, attitude 1 lost)
    assert_eq!(points(&r), vec![2.0, 2.0, 3.0, 8.0, 10.0]);
    assert!((r.share - 25.0 / 35.0).abs() < 1e-9, "share {}", r.share);
    // a failure ending: band 3, the share above 50 % gives its top, 49
    assert_eq!(r.band.points, 49);
    assert_eq!(auto_points(&r), (Some(4), Some(5), Some(8)));
    // 17 + 49 = 66 → 73, held to 69
    assert_eq!(summary(&r), ("complaint_end", false, 66, 69, "及格", 3));
    assert_eq!(criticals(&r), vec![("classify", FILED_NORMAL)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), None));
}

/// Promises a truck before asking anything, then sends him to the business department: three
/// strikes, and Mr. Wang walks out before the order is taken.
#[test]
fn p4t2_student_who_loses_the_customer_in_the_meeting() {
    let sc = scenario(P4T2);
    let seed = 1;
    let events = vec![
        cont("intro"),
        cont("wang_need"),
        choose("take_on", "promise"), // strike 1
        cont("wang_doubt"),
        choose("take_on", "refer"), // strikes 3, critical
        cont("wang_cold"),
        cont("walkout_line"),
    ];
    let r = score(&sc, seed, &events);
    // sincerity −1 (promise) −2 (refer), research −1, attitude −1 → 0
    assert_eq!(points(&r), vec![0.0, 0.0, -3.0, 0.0, -1.0]);
    assert_eq!((r.share, r.band.points), (0.0, 40));
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(0)));
    // 0 + 40 = 40 → 44; the caps (59) do not bite
    assert_eq!(summary(&r), ("walkout", false, 40, 44, "不及格", 3));
    assert_eq!(criticals(&r), vec![("take_on", REFERRED), ("walkout", WALKOUT)]);
    assert_eq!(r.cap_limit, Some(59));
}

/// A good meeting, a poor call: "喂" to open, the caller sent to the website, then silence
/// while looking it up. Mr. Wang hangs up.
#[test]
fn p4t2_student_who_goes_quiet_on_the_phone() {
    let sc = scenario(P4T2);
    let seed = 4;
    let events = upto(expert(&sc, seed), "greet", vec![
        say("greet", "喂，长海物流，哪位？"),
        cont("wang_taken_aback"),
        choose("ask_no", "website"),
        cont("wang_pushed"),
        say("soothe", "好"),
        cont("silence"),
        cont("wang_hangs_up"),
    ]);
    let r = score(&sc, seed, &events);
    // greet: 喂 (smile −1), company (skill +1); website: sincerity −2; the soothing reply says
    // nothing that counts; the result and the goodbye never come.
    assert_eq!(points(&r), vec![-1.0, 3.0, 0.0, 10.0, 9.0]);
    assert!((r.share - 22.0 / 35.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 49);
    // attitude 2/4 → 3 (2.5 rounds up), listening 6/7 → 4, presentation 8
    assert_eq!(auto_points(&r), (Some(3), Some(4), Some(8)));
    // 15 + 49 = 64 → 71, held to 59 by the lost customer
    assert_eq!(summary(&r), ("hung_up", false, 59, 59, "不及格", 3));
    assert_eq!(criticals(&r), vec![("ask_no", PUSHED_BACK), ("hung_up", HUNG_UP)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(59), Some(64)));
}

/// Careless all through but never rude: the fax-it-later slip, the regular service assumed,
/// a read-back without the deadline, the combined order, "call you back", a vague result and
/// hanging up first. The fruit still arrives (the deadline was heard and the order urgent).
#[test]
fn p4t2_careless_student() {
    let sc = scenario(P4T2);
    let seed = 5;
    let v = |k: &str| value(&sc, seed, k);
    let events = vec![
        cont("intro"),
        cont("wang_need"),
        choose("take_on", "fax_later"),
        cont("wang_fax"),
        choose("take_on", "table"),
        cont("wang_goods"),
        choose("probe", "assume"),
        cont("wang_objects"),
        cont("wang_pay"),
        // goods, boxes, pickup, centre, time, phone right; value in the wrong unit, weight in kg,
        // route and temperature empty, payment wrong.
        form("order_form", 90_000, &[
            ("goods", v("fruit")),
            ("value", "30元".into()),
            ("boxes", v("boxes")),
            ("weight", format!("{}公斤", v("weight"))),
            ("pickup", v("pickup_key")),
            ("centre", v("centre_key")),
            ("time", v("arrive_key")),
            ("phone", v("phone")),
            ("pay", "现金".into()),
        ]),
        choose("confirm", "no_read"),
        choose("classify", "combined"),
        cont("wang_reorder"),
        at("order_types", 40_000, Action::Match(pairs(&[
            ("storage", "content"), ("transport", "content"), ("mixed", "handling"), ("urgent", "urgency"),
            ("phone", "channel"), ("fax", "channel"), ("web", "channel"), ("walkin", "handling"),
            ("cash", "handling"), ("consign", "content"), ("indirect", "handling"), ("contract", "handling"),
        ]))),
        at("phone_flow", 20_000, Action::Order(ids(&["take", "pass", "settle", "execute"]))),
        at("web_flow", 20_000, Action::Order(ids(&WEB_FLOW))),
        cont("next_day"),
        at("ring", 7000, Action::Pickup), // ring 3
        say("greet", "你好，长海物流，有什么需要"),
        cont("wang_asks"),
        choose("ask_no", "call_back"),
        cont("wang_no_number"),
        say("soothe", "好的请稍等"),
        cont("lookup"),
        choose("result", "vague"),
        choose("close", "hang_first"),
        cont("wang_happy"),
    ];
    let r = score(&sc, seed, &events);
    // research −1 −2 +1+1+1+1 (goods, centre, time, phone) −1 (no read-back) −1 (call back) = 0;
    // speed −1 −1 +1 (ring 3) −1 +1 (稍等) = −1; smile 0.5 (你好) +1 (offer) −1 = 0.5;
    // skill 1.5 + 0.75 + 1 (matching 9/12, phone flow 3/4, web flow) +1 (company) −2 −1 = 1.25
    assert_eq!(points(&r), vec![0.5, -1.0, 0.0, 1.3, 0.0]);
    // share (0.5 + 1.25) / 35 = 0.05 → band 3 although the fruit arrives: 40 + round(9 × 0.1) = 41
    assert!((r.share - 1.75 / 35.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 41);
    // attitude 2/4 → 3, listening 3/7 → 2, presentation 2 + 1.5 + 1.5 + 2 = 7
    assert_eq!(auto_points(&r), (Some(3), Some(2), Some(7)));
    // 12 + 41 = 53 → 59; the 中等 cap does not bite
    assert_eq!(summary(&r), ("done", true, 53, 59, "不及格", 3));
    assert_eq!(criticals(&r), vec![("confirm", NOT_CONFIRMED)]);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(79), None));
}


// ---------------------------------------------------------------------------------------------
// Typed replies: held tables

/// Seed 4: 苹果, staff number 038. Points: greeting smile 1 (你好 half), company skill 1,
/// name or staff number attitude 1, asking the need smile 1.
#[test]
fn p4t2_greeting_replies() {
    check_table(P4T2, 4, "greet", &[
        held(Good, "您好，长海物流，客户关系专员赖伟伟，工号038，请问有什么可以帮您？", 4.0, &[]),
        held(Good, "您好长海物流赖伟伟请问有什么可以帮您", 4.0, &[]),
        held(Good, "您好！長海物流，我是賴偉偉，請問有什麼可以幫您？", 4.0, &[]),
        held(Good, "下午好，长海物流038号为您服务", 4.0, &[]),
        held(Good, "您好，长海物流赖伟伟，很高兴为您服务", 4.0, &[]),
        held(Partial, "你好，长海物流，我是小赖，有什么可以帮你的吗", 2.5, &[]),
        held(Partial, "您好，这里是长海物流公司，工号零三八", 3.0, &[]),
        held(Partial, "您好 请讲", 2.0, &[]),
        held(Partial, "您好长海物流赖伟伟有什么可以帮您", 2.0, &[]),
        held(Bad, "喂，哪位？", -1.0, &[]),
        held(Bad, "喂，你好，长海物流", 0.5, &[]),
        held(Bad, "您好，长海物流，这事不归我管，我不知道", 0.0, &[NEGATIVE]),
    ]);
}

/// Seed 4: order number 8046502. Points: the number read back listening 1, "hold on" speed 1,
/// "looking it up" skill 1, reassurance sincerity 1.
#[test]
fn p4t2_soothing_replies() {
    check_table(P4T2, 4, "soothe", &[
        held(Good, "好的，订单号8046502，请您稍等，我马上为您查询，很快就好。", 4.0, &[]),
        held(Good, "8046502是吧，请稍等我马上帮您查，您放心", 4.0, &[]),
        held(Good, "订单号八零四六五零二，稍等一下，我这就帮您查，很快", 4.0, &[]),
        held(Good, "稍等，8046502马上为您查询，请放心", 4.0, &[]),
        held(Partial, "好的王先生，請您稍等，正在為您查詢，不要着急", 3.0, &[]),
        held(Partial, "请您别挂电话，我帮您查一下", 2.0, &[]),
        held(Partial, "好的请稍等", 1.0, &[]),
        held(Partial, "好的，马上为您查询", 1.0, &[]),
        held(Partial, "8046502稍等马上查请放心", 2.0, &[]),
        held(Partial, "稍等", 1.0, &[]),
        held(Bad, "急什么，等着吧", -2.0, &[]),
        held(Bad, "我不知道在哪，你自己上网查吧", -4.0, &[NEGATIVE]),
    ]);
}
