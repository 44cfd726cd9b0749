//! P2 T2 · managing customer files as a role play: named student paths through
//! scenarios/p2t2-managing-customer-files.ron with exact totals, grades, endings and critical
//! errors, and the held replies of its typed node (Liu explains to a colleague why the
//! confidential credit report cannot be lent).
//!
//! Maxima (file header): smile 3, speed 4, sincerity 4, skill 9, research 9 (29);
//! attitude 3, listening 5, presentation 9. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths.

use std::sync::Arc;

use kefu::analysis::analyze;
use kefu::scenario::{Cap, Dim, Scenario};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event};

use crate::common::Kind::*;
use crate::common::*;

const T: &str = "scenarios/p2t2-managing-customer-files.ron";

const LENT: &str = "机密资料私自外借";
const CHANGE: &str = "客户重大变动未记入档案";

const VOLUMES_RIGHT: [(&str, &str); 7] = [
    ("basic", "v1"), ("contacts", "v1"), ("credit", "v1"), ("contract", "v2"), ("minutes", "v2"), ("visit1", "v3"), ("visit2", "v3"),
];
const STEPS_RIGHT: [&str; 7] = ["collect", "arrange", "number", "contents", "covers", "bind", "review"];

const MODEL: &str = "伟伟，资信调查报告是机密资料，单独锁在保密柜里。你要看的话，先请汪雷审批，办好借阅登记，在档案室里查阅。拜访要用的联系人和地址，我把一般客户资料卡给你看。";

fn volumes(placed: &[(&str, &str)]) -> Event {
    at("volumes", 40_000, Action::Match(pairs(placed)))
}

fn steps(order: &[&str]) -> Event {
    at("steps", 40_000, Action::Order(ids(order)))
}

/// The filing form and the archive index, every field right, written the way students write.
fn filing_right(sc: &Arc<Scenario>, seed: u64) -> Event {
    let v = |k: &str| value(sc, seed, k);
    form("filing", 60_000, &[
        ("box", "K-3".into()),
        ("volumes", "3卷".into()),
        ("pages1", format!("{}页", v("p1"))),
        ("pages2", v("p2")),
        ("pages3", format!("{}页", v("p3"))),
        ("place", v("cab_short")),
        ("secret_place", "保密柜".into()),
    ])
}

/// Every decision the expert's.
fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    vec![
        cont("intro"),
        choose("cards", "three_forms"),
        cont("papers"),
        volumes(&VOLUMES_RIGHT),
        choose("secret", "separate"),
        steps(&STEPS_RIGHT),
        cont("bound"),
        choose("shelve", "in_place"),
        filing_right(sc, seed),
        cont("lai_asks"),
        choose("borrow", "explain"),
        say("explain_say", MODEL),
        cont("lai_ok"),
        cont("call"),
        choose("change", "record"),
        cont("month_later"),
        cont("review_line"),
    ]
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn p2t2_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(T);
    let sc = scenario(T);
    assert_eq!((sc.course.project, sc.course.task), (2, 2));
    assert_eq!(maxima(&sc), vec![3.0, 4.0, 4.0, 9.0, 9.0, 3.0, 5.0, 9.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn p2t2_has_success_and_failure_endings() {
    let sc = scenario(T);
    let endings: Vec<(&str, bool)> = endings(&sc).into_iter().map(|(id, success, _)| (id, success)).collect();
    assert_eq!(endings, vec![("done", true), ("complaint", false), ("leak", false), ("taken_over", false)]);
}

/// Naive strategies stay far below the targets (first/longest/shortest < 70, random < 65):
/// always the longest or the shortest option piles up the seniors' strikes and 汪雷 takes the
/// file over.
#[test]
fn p2t2_audit_bots_stay_low() {
    let sc = scenario(T);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
        assert!(b.mean < 55.0, "{:?} averages {} (margin)", b.bot, b.mean);
    }
    for bot in [Bot::Longest, Bot::Shortest] {
        let row = a.bots.iter().find(|b| b.bot == bot).expect("row");
        assert_eq!(row.endings.get("taken_over"), Some(&50), "{bot:?}: {:?}", row.endings);
    }
    // One critical error on the expert path: 一客一档 holds it to 中等, every other to 及格.
    let on_path: Vec<(String, u32)> = a.critical.iter().filter_map(|c| c.projected.map(|p| (c.node.clone(), p))).collect();
    assert_eq!(on_path.len(), 9, "{on_path:?}");
    for (node, p) in &on_path {
        let held = match node.as_str() {
            "cards" => 79,
            _ => 69,
        };
        assert!(*p == held || (node == "borrow" && *p == 59), "{node}: {p}");
    }
    let lend = a.critical.iter().find(|c| c.deviation.contains("lend")).expect("lend");
    assert_eq!(lend.projected, Some(59), "lending the report ends in the leak");
    assert_eq!((a.endings, a.failure_endings), (4, 3));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

// ---------------------------------------------------------------------------------------------
// Named students

#[test]
fn p2t2_expert_path_scores_100() {
    let sc = scenario(T);
    let mut contacts = Vec::new();
    for seed in [0, 1, 2, 3, 4, 5] {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![3.0, 4.0, 4.0, 9.0, 9.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert!(r.critical.is_empty() && r.within_time && r.hints_used == 0);
        assert!(r.decisions.iter().all(|d| d.expert), "seed {seed}: every decision is the expert's");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        assert_eq!(auto.vars().get("addr_ok"), Some(&1));
        let a = Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new());
        assert_eq!((a.total, a.projected, a.ending.as_deref()), (90, 100, Some("done")));
        contacts.push(value(&sc, seed, "contact"));
    }
    contacts.sort();
    contacts.dedup();
    assert_eq!(contacts.len(), 3, "the seeds meet all three contacts: {contacts:?}");
}

/// The expert's filing, one hint taken at the volumes: band 2 allows one hint.
#[test]
fn p2t2_student_who_uses_a_hint() {
    let sc = scenario(T);
    let seed = 1;
    let mut events = expert(&sc, seed);
    swap(&mut events, "volumes", vec![at("volumes", 5000, Action::Hint), volumes(&VOLUMES_RIGHT)]);
    let r = score(&sc, seed, &events);
    assert_eq!((r.hints_used, r.hint_cost, r.band.points), (1, 1, 59));
    assert_eq!(points(&r), vec![3.0, 4.0, 4.0, 9.0, 9.0]);
    // 20 + 59 − 1 = 78 → 87
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 2));
    assert!(r.critical.is_empty());
}

/// Everything filed right, but the colleague gets a photocopy "to shred afterwards": 汪雷 stops
/// it at the copier. The Say node is skipped (Liu never explains), and the copy is a critical
/// error that holds the attempt to 及格.
#[test]
fn p2t2_student_who_copies_the_credit_report() {
    let sc = scenario(T);
    let seed = 2;
    let mut events = expert(&sc, seed);
    swap(&mut events, "borrow", vec![choose("borrow", "copy"), cont("copy_line")]);
    events.retain(|e| e.node != "explain_say" && e.node != "lai_ok");
    let r = score(&sc, seed, &events);
    // copy: sincerity −2, skill −1, instead of the expert's smile 1, sincerity 1, attitude 1;
    // the explanation never typed: smile, sincerity, skill, research and presentation 1 each lost.
    assert_eq!(points(&r), vec![1.0, 4.0, 0.0, 7.0, 8.0]);
    // share 20 / 29 = 0.69 → band 2: 50 + round(9 × 0.19 / 0.3) = 56
    assert!((r.share - 20.0 / 29.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 56);
    // attitude 2/3 → 3, listening 5/5, presentation 8/9 → 9
    assert_eq!(auto_points(&r), (Some(3), Some(5), Some(9)));
    // 17 + 56 = 73 → 81, held to 69
    assert_eq!(summary(&r), ("done", true, 69, 69, "及格", 2));
    assert_eq!(criticals(&r), vec![("borrow", LENT)]);
    assert_eq!(r.critical[0].principle, Dim::Sincerity);
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(69), Some(73)));
}

/// A helpful colleague, a leaky one: the report goes home with 赖伟伟, is left on the customer's
/// meeting table, and the attempt ends there.
#[test]
fn p2t2_student_who_lends_the_report() {
    let sc = scenario(T);
    let seed = 0;
    let events = upto(expert(&sc, seed), "borrow", vec![choose("borrow", "lend"), cont("leak_line")]);
    let r = score(&sc, seed, &events);
    // lend: sincerity −3, skill −1; the explanation and the address change never happen.
    assert_eq!(points(&r), vec![0.0, 2.0, -1.0, 7.0, 6.0]);
    // share (0 + 2 + 0 + 7 + 6) / 29 (sincerity kept at 0) = 0.517; a failure ending → band 3,
    // 40 + 9 × min(1, 0.517 / 0.5) = 49
    assert!((r.share - 15.0 / 29.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 49);
    assert_eq!(auto_points(&r), (Some(3), Some(4), Some(7)));
    // 14 + 49 = 63 → 70, held to 59 by the leak
    assert_eq!(summary(&r), ("leak", false, 59, 59, "不及格", 3));
    assert_eq!(criticals(&r), vec![("borrow", LENT), ("leak", "客户机密资料泄露")]);
    assert_eq!(r.critical[1].cap, Cap::Grade("不及格".into()));
    assert_eq!((r.cap_limit, r.uncapped_total), (Some(59), Some(63)));
}

/// The filing is perfect, but the customer's move only reaches the drivers: a month later the
/// invoice goes to the old address and the customer complains.
#[test]
fn p2t2_student_who_never_records_the_move() {
    let sc = scenario(T);
    let seed = 3;
    let mut events = expert(&sc, seed);
    swap(&mut events, "change", vec![choose("change", "dispatch_only")]);
    swap(&mut events, "review_line", vec![cont("complaint_line")]);
    let r = score(&sc, seed, &events);
    // dispatch_only: smile 1, research −2 instead of smile 1, speed 2, research 2, listening 1,
    // presentation 2
    assert_eq!(points(&r), vec![3.0, 2.0, 4.0, 9.0, 5.0]);
    assert!((r.share - 23.0 / 29.0).abs() < 1e-9, "share {}", r.share);
    // the complaint is a failure ending: band 3 at its top, 49
    assert_eq!(r.band.points, 49);
    assert_eq!(auto_points(&r), (Some(5), Some(4), Some(8)));
    // 17 + 49 = 66 → 73, held to 69
    assert_eq!(summary(&r), ("complaint", false, 66, 69, "及格", 3));
    assert_eq!(criticals(&r), vec![("change", CHANGE)]);
    assert_eq!(r.cap_limit, Some(69));
}

/// Careless with forms, then sorry: a home-made spreadsheet (张军 frowns) before the three
/// forms; two papers in the wrong volume; the secret report first left on the desk (汪雷: "do it
/// again"), then stored right; covers before the contents; the box in any free slot; the pages
/// of volume 2 misread; a polite explanation to 赖伟伟 that forgets where to read the report;
/// the move recorded. Three strikes by the shelf: 张军 moves the box, 汪雷 takes the file over.
#[test]
fn p2t2_careless_student_loses_the_file() {
    let sc = scenario(T);
    let seed = 4;
    let events = vec![
        cont("intro"),
        choose("cards", "own_sheet"),
        cont("zhang_forms"),
        choose("cards", "three_forms"),
        cont("papers"),
        volumes(&[("basic", "v1"), ("contacts", "v1"), ("credit", "v1"), ("contract", "v2"), ("minutes", "v3"), ("visit1", "v3"), ("visit2", "v2")]),
        choose("secret", "separate"),
        steps(&["collect", "arrange", "number", "covers", "contents", "bind", "review"]),
        cont("bound"),
        choose("shelve", "any_gap"),
        cont("zhang_shelve"),
        form("filing", 60_000, &[
            ("box", "K-3".into()),
            ("volumes", "3".into()),
            ("pages1", value(&sc, seed, "p1")),
            ("pages2", "13".into()),
            ("pages3", value(&sc, seed, "p3")),
            ("place", value(&sc, seed, "cabinet")),
            ("secret_place", "K-3盒内".into()),
        ]),
        cont("lai_asks"),
        choose("borrow", "push"),
        cont("lai_hurt"),
        cont("taken_over_line"),
    ];
    let r = score(&sc, seed, &events);
    // skill −2 + 2 + 2 × 5/7 + 1 + 2 × 6/7 − 2 = 2.14; research 1 + 2 × 5/7 + 1 + 1 = 4.43;
    // sincerity 2 − 2 = 0; speed 1; no smile anywhere on this path
    let p = points(&r);
    assert_eq!((p[0], p[1], p[2]), (0.0, 1.0, 0.0));
    assert!((p[3] - 15.0 / 7.0).abs() < 0.05 && (p[4] - 31.0 / 7.0).abs() < 0.05, "{p:?}");
    assert_eq!(r.decisions.iter().find(|d| d.node == "volumes").and_then(|d| d.credit), Some(5.0 / 7.0));
    assert_eq!(r.decisions.iter().find(|d| d.node == "steps").and_then(|d| d.credit), Some(6.0 / 7.0));
    // share 7.57 / 29 = 0.26 → band 3: 40 + round(9 × 0.26 / 0.5) = 45
    assert_eq!(r.band.points, 45);
    // attitude 1/3 → 2, listening 3/5, presentation 4.14/9 → 5
    assert_eq!(auto_points(&r), (Some(2), Some(3), Some(5)));
    // 10 + 45 = 55 → 61: no critical error, but the file taken away (band 3)
    assert_eq!(summary(&r), ("taken_over", false, 55, 61, "及格", 3));
    assert!(r.critical.is_empty());
    assert_eq!(r.ending.as_deref(), Some("taken_over"));
}

/// Slow but right: the one slip is a harsh first answer to 赖伟伟 ("不归我管"), repaired by
/// a full explanation; 5 of 7 fields in the filing form (pages of volumes 1 and 3 swapped).
#[test]
fn p2t2_student_who_snaps_at_a_colleague() {
    let sc = scenario(T);
    let seed = 5;
    let v = |k: &str| value(&sc, seed, k);
    let mut events = expert(&sc, seed);
    swap(&mut events, "filing", vec![form("filing", 90_000, &[
        ("box", "K3".into()),
        ("volumes", "三卷".into()),
        ("pages1", v("p3")),
        ("pages2", v("p2")),
        ("pages3", v("p1")),
        ("place", v("cabinet")),
        ("secret_place", "保密档案柜".into()),
    ])]);
    swap(&mut events, "borrow", vec![choose("borrow", "push"), cont("lai_hurt")]);
    let r = score(&sc, seed, &events);
    // push: sincerity −2, attitude −1 instead of the expert's smile 1, sincerity 1, attitude 1
    assert_eq!(points(&r), vec![2.0, 4.0, 1.0, 9.0, 9.0]);
    assert_eq!(r.decisions.iter().find(|d| d.node == "filing").and_then(|d| d.credit), Some(5.0 / 7.0));
    // share 25 / 29 = 0.862 → band 1: 60 + round(10 × 0.062 / 0.2) = 63
    assert!((r.share - 25.0 / 29.0).abs() < 1e-9, "share {}", r.share);
    assert_eq!(r.band.points, 63);
    // attitude 1/3 → 2; listening 3/5 (two page counts swapped); presentation 9/9
    assert_eq!(auto_points(&r), (Some(2), Some(3), Some(10)));
    // 15 + 63 = 78 → 87
    assert_eq!(summary(&r), ("done", true, 78, 87, "良好", 1));
    assert!(r.critical.is_empty());
}

// ---------------------------------------------------------------------------------------------
// The typed explanation to 赖伟伟: held replies, written the way students type them.

/// Confidential sincerity 1, approval skill 1, register / read on site research 1, something
/// she can use smile 1 + presentation 1: 5 points. Good replies reach 4 (80 %), a lending or
/// negative one stays at 1 (20 %) or below.
#[test]
fn p2t2_explanation_replies() {
    check_table(T, 0, "explain_say", &[
        held(Good, MODEL, 5.0, &[]),
        held(Good, "伟伟这个报告是机密的 要汪雷审批 登记以后在档案室看 联系人地址你看一般客户资料卡就行", 5.0, &[]),
        // Traditional characters, 審批 and 登記 too (common ones are simplified before matching).
        held(Good, "資信報告是機密資料，要主管審批，登記後在檔案室查閱，拜訪用的資料卡我給你找", 5.0, &[]),
        held(Good, "不好意思哈，这份属于保密资料，得领导批准才能看，而且只能在档案室现场查阅，我帮你把基本资料整理一份", 5.0, &[]),
        // Reason and procedure, nothing offered for the visit.
        held(Partial, "这是机密件，你找汪雷签字，办个借阅手续就可以在这里看", 3.0, &[]),
        // The reason and the procedure, nothing offered instead.
        held(Partial, "报告是机密的，需要审批，借阅要登记", 3.0, &[]),
        // Only the reason.
        held(Partial, "这个是保密的哦，不好意思", 1.0, &[]),
        // Offers help but gives no reason.
        held(Partial, "你别急，我帮你看看有没有别的资料能用", 2.0, &[]),
        // Keyword stuffing: each element half.
        held(Partial, "机密审批登记资料卡", 2.5, &[]),
        // Negative language, but the reason given.
        held(Bad, "不行，这是机密资料，不归我管", 0.0, &[]),
        held(Bad, "我不知道能不能借，没办法", -1.0, &[]),
        // Says it is confidential, then lets her take it anyway.
        held(Bad, "这是机密资料，按说要审批，不过你先拿去吧，明早还我", -1.0, &[LENT]),
        held(Bad, "机密的，原件不能动，我复印一份给你", -2.0, &[LENT]),
    ]);
}
