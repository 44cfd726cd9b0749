//! P4 T1 · receiving a visitor as a role play: named student paths through
//! scenarios/p4t1-receiving-a-visitor.ron with exact totals, grades, endings and critical errors.
//!
//! Maxima (file header): smile 5, speed 4, sincerity 4, skill 12, research 5 (30);
//! attitude 5, listening 4, presentation 7. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths, then checked
//! against the rules in the comments.

use std::sync::Arc;

use kefu::analysis::analyze;
use kefu::scenario::{Cap, Dim, Scenario};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event};

use crate::common::Kind::{Bad, Good, Partial};
use crate::common::*;

const P4T1: &str = "scenarios/p4t1-receiving-a-visitor.ron";

/// Seed 0 draws 王志强 of 四季鲜果品批发商行 (经理, 9:25-10:50), seed 4 王海涛 of 丰园果品批发商行
/// (总经理, 9:25-10:50), seed 5 王建国 of 鑫源果品批发商行 (总经理, 9:40-11:05).
const SEEDS: [u64; 3] = [0, 4, 5];

const PUSHED: &str = "违反首问负责制：没有引荐就把客人打发走";
const SILENT: &str = "让客人久等，不闻不问";
const BARGED: &str = "不敲门直接闯入房间";
const NEGATIVE: &str = "对客户说负面语言";
const WALKED: &str = "来访客户被怠慢后离开";

const MIRROR_RIGHT: [(&str, &str); 9] = [
    ("uniform", "ok"), ("makeup", "ok"), ("perfume", "not"), ("suit", "ok"), ("earrings", "not"),
    ("nails", "not"), ("breath", "not"), ("hair", "ok"), ("slippers", "not"),
];

const DUTIES_RIGHT: [(&str, &str); 8] = [
    ("register", "desk"), ("notify", "desk"), ("receive", "specialist"), ("explain", "specialist"),
    ("arrange", "supervisor"), ("incident", "supervisor"), ("standards", "manager"), ("supervise", "manager"),
];

fn mirror(ms: u64, placed: &[(&str, &str)]) -> Event {
    at("mirror", ms, Action::Match(pairs(placed)))
}

/// A number dialled on the internal line (1 s, like the choice it replaced).
fn dial(number: &str) -> Event {
    at("directory", 1000, Action::Dial(number.to_string()))
}

fn duties(ms: u64, placed: &[(&str, &str)]) -> Event {
    at("duties", ms, Action::Match(pairs(placed)))
}

/// The register filled in from the card, each field right.
fn register_right(sc: &Arc<Scenario>, seed: u64) -> Event {
    let v = |k: &str| value(sc, seed, k);
    form("register", 60_000, &[("name", v("full_name")), ("org", v("shop")), ("title", v("title")), ("contact", v("phone")), ("arrived", v("arrive"))])
}

fn register_out_right(sc: &Arc<Scenario>, seed: u64) -> Event {
    form("register_out", 20_000, &[("left", value(sc, seed, "leave")), ("remarks", "客户关系专员赖伟伟接待".to_string())])
}

/// The model internal call with this attempt's business name.
fn intercom_model(sc: &Arc<Scenario>, seed: u64) -> Event {
    say("intercom", &format!("赖专员您好，我是前台李维。{}的王先生来访，想了解公司的资质和业务运作，麻烦您过来接待一下。", value(sc, seed, "shop")))
}

const TELL_WAIT: &str = "王先生，不好意思，赖专员正在开会，大约十分钟后过来，请您稍坐，先喝杯茶。";

/// The reception done right, every decision the expert's.
fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    vec![
        mirror(40_000, &MIRROR_RIGHT),
        cont("arrive"),
        choose("greet", "stand"),
        cont("wang_asks"),
        choose("refer", "specialist"),
        choose("seat", "sofa"),
        form("tea", 20_000, &[("fill", "八分满"), ("wipe", "用手巾擦干杯底")]),
        cont("card"),
        register_right(sc, seed),
        dial("8206"),
        cont("lai_pickup"),
        intercom_model(sc, seed),
        cont("lai_busy"),
        say("tell_wait", TELL_WAIT),
        cont("waiting"),
        choose("soothe", "refill"),
        cont("lai_ready"),
        choose("door", "knock_wait"),
        choose("introduce", "host_first"),
        cont("handover"),
        register_out_right(sc, seed),
        duties(40_000, &DUTIES_RIGHT),
    ]
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn p4t1_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(P4T1);
    let sc = scenario(P4T1);
    assert_eq!(maxima(&sc), vec![5.0, 4.0, 4.0, 12.0, 5.0, 5.0, 4.0, 7.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn p4t1_has_success_and_failure_endings() {
    let sc = scenario(P4T1);
    assert_eq!(
        endings(&sc),
        vec![("done", true, false), ("done_cool", true, false), ("walked_out", false, true), ("pushed_away", false, false)]
    );
}

/// Naive strategies stay far below the targets (first/longest/shortest < 70, random < 65), and
/// every single critical error on the expert path ends at 及格.
#[test]
fn p4t1_audit_bots_stay_low() {
    let sc = scenario(P4T1);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        assert!(b.mean < 62.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    assert_eq!(a.critical.len(), 6);
    assert!(a.critical.iter().all(|c| c.projected.is_some_and(|p| p <= 69)), "every single critical error ends at 及格 or below");
    assert_eq!((a.endings, a.failure_endings), (4, 2));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named students

#[test]
fn p4t1_expert_path_scores_100() {
    let sc = scenario(P4T1);
    let mut visitors = Vec::new();
    for seed in SEEDS {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![5.0, 4.0, 4.0, 12.0, 5.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert_eq!((r.band.points, r.member_points), (70, 20));
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("done")));
        visitors.push(value(&sc, seed, "full_name"));
    }
    visitors.dedup();
    assert_eq!(visitors.len(), 3, "the seeds meet all three visitors: {visitors:?}");
}

/// The worst path: made to wait at the counter, sent to the website, then sent away with a
/// brochure: Mr. Wang leaves for another company.
#[test]
fn p4t1_worst_path_sends_the_visitor_away() {
    let sc = scenario(P4T1);
    let a = analyze(&sc);
    let worst = a.worst.as_ref().expect("worst path");
    assert_eq!(
        worst.nodes,
        ids(&["mirror", "arrive", "greet", "greet_wait_react", "wang_asks", "refer", "website_react", "refer_fix", "pushed_leaves", "pushed_away"])
    );
    let r = &worst.report;
    assert_eq!(points(r), vec![-1.0, -2.0, -4.0, 0.0, 0.0]);
    assert_eq!(summary(r), ("pushed_away", false, 40, 44, "不及格", 3));
    assert_eq!(criticals(r), vec![("refer", PUSHED)]);
}

/// Seated at the greeting, boasting instead of referring, then "help yourself to water": three
/// slips Mr. Wang notices, and he walks out before meeting anyone.
#[test]
fn p4t1_three_slips_and_the_visitor_walks_out() {
    let sc = scenario(P4T1);
    let seed = 4;
    let events = vec![
        mirror(40_000, &MIRROR_RIGHT),       // skill 2, presentation 2
        cont("arrive"),
        choose("greet", "seated"),           // smile −1, attitude −1, strike 1
        cont("greet_seated_react"),
        cont("wang_asks"),
        choose("refer", "self"),             // skill −1, sincerity −1, strike 2
        cont("self_react"),
        choose("refer_fix", "sorry_refer"),
        choose("seat", "help_yourself"),     // smile −1, sincerity −1, strike 3
        cont("help_yourself_react"),
        cont("leaves"),
    ];
    let r = score(&sc, seed, &events);
    assert_eq!(points(&r), vec![-2.0, 0.0, -2.0, 1.0, 0.0]);
    // share 1/30 → band 3: 40 + round(9 × 0.033 / 0.5) = 41
    assert_eq!(r.band.points, 41);
    // attitude −1 → 0, listening 0, presentation 10 × 2/7 = 2.9 → 3
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(3)));
    // 3 + 41 = 44 → 49
    assert_eq!(summary(&r), ("walked_out", false, 44, 49, "不及格", 3));
    assert_eq!(criticals(&r), vec![("walked_out", WALKED)]);
}

/// The reception done right, but when the wait runs long she says nothing until the 40 s
/// countdown runs out: Mr. Wang comes to the desk, she then refills his tea. Leaving the guest
/// waiting without a word holds the attempt to 及格.
#[test]
fn p4t1_student_who_leaves_the_visitor_waiting_in_silence() {
    let sc = scenario(P4T1);
    let seed = 0;
    let mut events = expert(&sc, seed);
    swap(&mut events, "soothe", vec![at("soothe", 40_000, Action::Timeout), cont("silent_react"), choose("soothe", "refill")]);
    let r = score(&sc, seed, &events);
    assert!(r.decisions.iter().any(|d| d.node == "soothe" && d.timed_out));
    // the timeout: smile −1, speed −1; the refill afterwards still earns its points
    assert_eq!(points(&r), vec![4.0, 3.0, 4.0, 12.0, 5.0]);
    // share 28/30 → band 1: 60 + round(10 × 0.133 / 0.2) = 67
    assert_eq!(r.band.points, 67);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
    // 20 + 67 = 87, held to 69; a strike, so the cool ending
    assert_eq!(summary(&r), ("done_cool", true, 69, 69, "及格", 1));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(87)));
    assert_eq!(criticals(&r), vec![("soothe", SILENT)]);
    assert_eq!(r.critical[0].principle, Dim::Sincerity);
    assert_eq!(r.critical[0].cap, Cap::Grade("及格".into()));
}

/// Everything right except the meeting-room door: she pushes it open without knocking.
#[test]
fn p4t1_student_who_barges_in() {
    let sc = scenario(P4T1);
    let seed = 5;
    let mut events = expert(&sc, seed);
    swap(&mut events, "door", vec![choose("door", "barge"), cont("barge_react")]);
    let r = score(&sc, seed, &events);
    // smile −1; skill −2 instead of +2
    assert_eq!(points(&r), vec![4.0, 4.0, 4.0, 8.0, 5.0]);
    // share 25/30 → band 1: 60 + round(10 × 0.033 / 0.2) = 62
    assert_eq!(r.band.points, 62);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
    // 20 + 62 = 82, held to 69
    assert_eq!(summary(&r), ("done_cool", true, 69, 69, "及格", 1));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(82)));
    assert_eq!(criticals(&r), vec![("door", BARGED)]);
}

/// "资质官网上都有" and then "take a brochure home": first-contact responsibility broken twice.
#[test]
fn p4t1_student_who_sends_the_visitor_to_the_website() {
    let sc = scenario(P4T1);
    let seed = 4;
    let mut events = upto(expert(&sc, seed), "refer", vec![choose("refer", "website"), cont("website_react"), choose("refer_fix", "brochure_only"), cont("pushed_leaves")]);
    events.retain(|e| !e.node.is_empty());
    let r = score(&sc, seed, &events);
    // smile 2 (greeting), sincerity −2 −2, skill 2 (the mirror)
    assert_eq!(points(&r), vec![2.0, 0.0, -4.0, 2.0, 0.0]);
    // share 4/30 → band 3: 40 + round(9 × 0.133 / 0.5) = 42
    assert_eq!(r.band.points, 42);
    // attitude +1 −1 = 0; presentation 2/7 → 3; 3 + 42 = 45 → 50
    assert_eq!(auto_points(&r), (Some(0), Some(0), Some(3)));
    assert_eq!(summary(&r), ("pushed_away", false, 45, 50, "不及格", 3));
    assert_eq!(criticals(&r), vec![("refer", PUSHED)]);
}

/// A careful but unsure new receptionist: the tea filled to the brim (Mr. Wang spills it), the
/// supervisor and dispatch dialled before Lai Weiwei (he notices), the guest introduced first,
/// a wrong duty or two; no cardinal error.
#[test]
fn p4t1_unsure_student_who_misdials() {
    let sc = scenario(P4T1);
    let seed = 5;
    let mut events = expert(&sc, seed);
    swap(&mut events, "tea", vec![form("tea", 20_000, &[("fill", "倒满"), ("wipe", "擦干杯底")]), cont("tea_spill")]);
    swap(&mut events, "directory", vec![
        dial("8201"), cont("sup_line"),
        dial("8310"), cont("ops_line"), cont("misdial_react"),
        dial("8206"),
    ]);
    swap(&mut events, "introduce", vec![choose("introduce", "guest_first")]);
    swap(&mut events, "duties", vec![duties(40_000, &[
        ("register", "desk"), ("notify", "desk"), ("receive", "specialist"), ("explain", "specialist"),
        ("arrange", "manager"), ("incident", "supervisor"), ("standards", "supervisor"), ("supervise", "manager"),
    ])]);
    let r = score(&sc, seed, &events);
    // skill 12 − 1 (tea) − 2 (−1 instead of +1 at the directory) − 2 (introduce) − 0.5 (duties 6/8);
    // research 5 − 0.25 (duties), shown to a tenth
    assert_eq!(points(&r), vec![5.0, 4.0, 4.0, 6.5, 4.8]);
    // share 24.25/30 = 0.808 → band 1: 60 + round(10 × 0.008 / 0.2) = 60
    assert_eq!(r.band.points, 60);
    // presentation 5.5/7 (introduce, duties 6/8) → 8
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(8)));
    // 18 + 60 = 78 → 87; a strike (the misdials), so the cool ending
    assert_eq!(summary(&r), ("done_cool", true, 78, 87, "良好", 1));
    assert!(r.critical.is_empty());
}

/// Lost at the internal phone: the supervisor twice (the second time Mr. Wang notices), a
/// mistyped extension (空号), then the service manager on the fourth and last try: on_fail, Mr.
/// Wang comes to the desk (a second strike) and the supervisor dials Lai Weiwei. The rest is the
/// expert's.
#[test]
fn p4t1_student_who_cannot_find_the_extension() {
    let sc = scenario(P4T1);
    let seed = 0;
    let mut events = expert(&sc, seed);
    swap(&mut events, "directory", vec![
        dial("8201"), cont("sup_line"),
        dial("82-01"), cont("sup_line"), cont("misdial_react"),
        dial("８２６０"), cont("no_such_number"),
        dial("8101"), cont("dial_fail"), cont("dial_rescued"),
    ]);
    let r = score(&sc, seed, &events);
    let dials: Vec<(f64, f64)> = r.decisions.iter().filter(|d| d.node == "directory").map(|d| (d.effects.get("skill").copied().unwrap_or(0.0), d.effects.get("speed").copied().unwrap_or(0.0))).collect();
    // Four wrong tries at −1 skill each, the last one −1 more for on_fail; Lai Weiwei's +1 skill
    // and +1 speed never earned.
    assert_eq!(dials, vec![(-1.0, 0.0), (-1.0, 0.0), (-1.0, 0.0), (-2.0, 0.0)]);
    // speed 4 − 1 (Lai Weiwei's call never made); skill 12 − 1 − 5 (+1 at the phone became −5)
    assert_eq!(points(&r), vec![5.0, 3.0, 4.0, 6.0, 5.0]);
    // share 23/30 = 0.767 → band 2: 50 + round(9 × 0.267 / 0.3) = 58
    assert_eq!(r.band.points, 58);
    assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
    // 20 + 58 = 78 → 87; two strikes (the second misdial, then on_fail), so the cool ending
    assert_eq!(summary(&r), ("done_cool", true, 78, 87, "良好", 2));
    assert!(r.critical.is_empty());
}

/// Typed at `tell_wait`: "要不您先回去，改天再来" — Mr. Wang frowns and stays; the rest is the
/// expert's.
#[test]
fn p4t1_student_who_says_come_back_another_day() {
    let sc = scenario(P4T1);
    let seed = 0;
    let mut events = expert(&sc, seed);
    swap(&mut events, "tell_wait", vec![say("tell_wait", "王先生，赖专员在开会，要不您先回去，改天再来吧。"), cont("come_back_react")]);
    let r = score(&sc, seed, &events);
    // said: the reason (skill 1); not said: apology, how long, please wait (sincerity, speed,
    // smile 1 each lost); 改天/先回去: sincerity −2
    assert_eq!(points(&r), vec![4.0, 3.0, 1.0, 12.0, 5.0]);
    // share 25/30 → 62; 20 + 62 = 82, held to 69
    assert_eq!(r.band.points, 62);
    assert_eq!(summary(&r), ("done_cool", true, 69, 69, "及格", 1));
    assert_eq!(criticals(&r), vec![("tell_wait", PUSHED)]);
}

/// The expert's reception with one hint taken at the tea: band 2.
#[test]
fn p4t1_student_who_uses_a_hint() {
    let sc = scenario(P4T1);
    let seed = 4;
    let mut events = expert(&sc, seed);
    let tea = events.iter().position(|e| e.node == "tea").expect("tea");
    events.insert(tea, at("tea", 8000, Action::Hint));
    let r = score(&sc, seed, &events);
    assert_eq!((r.hints_used, r.hint_cost, r.band.points), (1, 1, 59));
    // 20 + 59 − 1 = 78 → 87
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 2));
}

/// The tea field takes 8, 80, 八分满 or "8分满"; 10, 100 or 满杯 do not count. "百分之八十" is not
/// read as 80 by the number reader (a limitation of the engine, not of the answer).
#[test]
fn p4t1_tea_fill_accepts_eight_or_eighty() {
    let sc = scenario(P4T1);
    let seed = 0;
    for (fill, right) in [("8", true), ("80", true), ("八分满", true), ("8分满", true), ("80%", true), ("百分之八十", false), ("10", false), ("满杯", false), ("100%", false), ("七", false)] {
        let events = upto(expert(&sc, seed), "tea", vec![form("tea", 20_000, &[("fill", fill), ("wipe", "擦杯底")])]);
        let r = score(&sc, seed, &events);
        let tea = r.decisions.iter().find(|d| d.node == "tea").expect("tea");
        assert_eq!(tea.credit == Some(1.0), right, "{fill}: {:?}", tea.credit);
    }
}

// ---------------------------------------------------------------------------------------------
// Typed replies

/// Seed 5: 鑫源果品批发商行. Points: who is calling attitude 1, who has come listening 1, what he
/// wants research 1, "please come" speed 1.
#[test]
fn p4t1_internal_call_replies() {
    check_table(P4T1, 5, "intercom", &[
        held(Good, "赖专员您好，我是前台李维。鑫源果品批发商行的王先生来访，想了解公司的资质和业务运作，麻烦您过来接待一下。", 4.0, &[]).leads_to("lai_busy"),
        held(Good, "伟伟，我前台小李，鑫源果品的王总来了想了解下我们公司资质，你下来接待一下吧", 4.0, &[]),
        held(Good, "賴專員您好，前台李維，有位王先生想了解公司資質和業務，麻煩您過來一下", 4.0, &[]),
        held(Good, "您好我是前台李维 王先生想了解我们的业务运作 请您来大厅接待", 4.0, &[]),
        held(Partial, "赖专员，有位客户来了，你过来一下", 1.0, &[]).leads_to("lai_asks"),
        held(Partial, "我是前台，王先生来了，请您过来", 3.0, &[]).leads_to("lai_asks"),
        held(Partial, "前台李维，有客户想了解公司资质，请来接待", 3.0, &[]).leads_to("lai_asks"),
        held(Partial, "喂，前台，王先生找你问业务情况，过来一下", 3.0, &[]),
        held(Bad, "喂，伟伟，有个卖水果的来了，你随便应付一下", -3.0, &[]),
        held(Bad, "有人找你", 0.0, &[]),
    ]);
}

/// Seed 0. Points: the apology sincerity 1, the reason skill 1, how long speed 1 (half for "一会儿"),
/// please wait smile 1.
#[test]
fn p4t1_tell_the_visitor_to_wait_replies() {
    check_table(P4T1, 0, "tell_wait", &[
        held(Good, TELL_WAIT, 4.0, &[]).leads_to("waiting"),
        held(Good, "不好意思王先生，赖专员在开会，10分钟左右就过来，您先喝杯茶", 4.0, &[]),
        held(Good, "對不起，賴專員正在開會，大概十分鐘，請您稍等", 4.0, &[]),
        held(Good, "抱歉让您等 专员手头有个会 很快就来 请稍坐", 4.0, &[]),
        held(Partial, "不好意思，赖专员开会呢，您稍等一会儿", 3.5, &[]),
        held(Partial, "王先生请稍等，赖专员马上就来", 2.0, &[]),
        held(Partial, "你好，她在开会，你等一下", 2.0, &[]),
        held(Partial, "请坐", 1.0, &[]),
        held(Bad, "赖专员在开会，您改天再来吧", -1.0, &[PUSHED]).leads_to("come_back_react"),
        held(Bad, "我不知道她什么时候来，你自己等着吧", -2.0, &[NEGATIVE]),
        held(Bad, "喂，她在开会，没办法", -2.0, &[NEGATIVE]),
    ]);
}
