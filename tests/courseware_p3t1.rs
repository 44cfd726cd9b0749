//! P3 T1 · ABC classification: the table activity checked against the courseware's data (14
//! customers, total 2000), its marking cell by cell with errors carried forward, ties and the
//! class cut-offs, validation of broken tables with line and column, and named student paths
//! through scenarios/p3t1-abc-classification.ron with exact totals.
//!
//! Maxima (file header): smile 2, speed 1, sincerity 5, skill 14, research 13 (35);
//! attitude 3, listening 3, presentation 7. Cooperation (10) stays pending, so
//! projected = total × 100 / 90. The numbers were computed by running the paths.

use std::path::Path;
use std::sync::Arc;

use kefu::Lang;
use kefu::analysis::analyze;
use kefu::scenario::{Node, Scenario, load_str, validate};
use kefu::scoring::audit::{Bot, audit};
use kefu::session::autoplay::{Policy, play};
use kefu::session::table::solution;
use kefu::session::{Action, Event, Step};

use crate::common::*;

const T: &str = "scenarios/p3t1-abc-classification.ron";

const RUDE: &str = "粗暴拒绝C类客户";
const NEGATIVE: &str = "对客户说负面语言";
const COMPLAINT: &str = "客户投诉：粗暴拒绝C类客户";

/// The courseware's table 3-8, worked out by hand from table 3-7: customer, share %, cumulative
/// revenue, cumulative share %, class.
const TABLE_3_8: [(&str, &str, &str, &str, &str); 14] = [
    ("客户4", "37.0", "740", "37.0", "A"),
    ("客户1", "29.5", "1330", "66.5", "A"),
    ("客户2", "7.0", "1470", "73.5", "A"),
    ("客户5", "6.0", "1590", "79.5", "A"),
    ("客户3", "5.0", "1690", "84.5", "B"),
    ("客户6", "3.4", "1758", "87.9", "B"),
    ("客户7", "2.5", "1808", "90.4", "C"),
    ("客户8", "2.5", "1858", "92.9", "C"),
    ("客户10", "2.0", "1898", "94.9", "C"),
    ("客户12", "2.0", "1938", "96.9", "C"),
    ("客户9", "1.0", "1958", "97.9", "C"),
    ("客户14", "1.0", "1978", "98.9", "C"),
    ("客户11", "0.6", "1990", "99.5", "C"),
    ("客户13", "0.5", "2000", "100.0", "C"),
];

/// The student's table: columns customer, (revenue given), share, cum, cum share, class.
fn rows(table: &[(&str, &str, &str, &str, &str)]) -> Vec<Vec<String>> {
    table.iter().map(|(c, s, cum, cs, k)| vec![c.to_string(), String::new(), s.to_string(), cum.to_string(), cs.to_string(), k.to_string()]).collect()
}

fn right() -> Vec<Vec<String>> {
    rows(&TABLE_3_8)
}

fn table_node(sc: &Scenario) -> &kefu::scenario::Table {
    sc.nodes.iter().find_map(|n| if let Node::Table(t) = n { Some(t) } else { None }).expect("a table")
}

/// Mark `cells` at the table node (the expert path up to there).
fn mark(cells: Vec<Vec<String>>) -> Step {
    let sc = scenario(T);
    let mut s = at_node(&sc, 0, "abc_table");
    s.answer(Action::Table(cells), 300_000).expect("the table is taken").clone()
}

fn wrong_cells(step: &Step) -> Vec<&str> {
    step.marks.iter().filter(|m| !m.right).map(|m| m.id.as_str()).collect()
}

fn table(cells: Vec<Vec<String>>) -> Event {
    at("abc_table", 300_000, Action::Table(cells))
}

const MEASURES: [(&str, &str); 8] =
    [("staff", "a"), ("channel", "a"), ("visit", "a"), ("complaint", "a"), ("grow", "b"), ("keep", "b"), ("judge", "c"), ("reduce", "c")];
const STEPS: [&str; 5] = ["pick", "collect", "compute", "classes", "chart"];

fn polite(sc: &Arc<Scenario>, seed: u64) -> Event {
    say("c_reply", &format!("{}您好，感谢您一直以来的支持。从下个月起，小件货物的上门取货和仓储要按标准收费。您可以集中发货，这样更划算。欢迎继续合作！", value(sc, seed, "caller")))
}

fn expert(sc: &Arc<Scenario>, seed: u64) -> Vec<Event> {
    vec![
        cont("brief"),
        choose("indicator", "revenue"),
        at("steps", 30_000, Action::Order(ids(&STEPS))),
        cont("data"),
        table(right()),
        cont("check_table"),
        choose("read_chart", "pareto"),
        at("measures", 60_000, Action::Match(pairs(&MEASURES))),
        choose("c_policy", "upgrade"),
        cont("call"),
        polite(sc, seed),
        cont("caller_reacts"),
        choose("present", "full"),
    ]
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn p3t1_checks_clean_with_the_documented_maxima() {
    assert_checks_clean(T);
    let sc = scenario(T);
    assert_eq!(maxima(&sc), vec![2.0, 1.0, 5.0, 14.0, 13.0, 3.0, 3.0, 7.0]);
    let a = analyze(&sc);
    assert!(!a.approximate && a.unreached.is_empty() && a.stuck.is_empty());
}

#[test]
fn p3t1_has_success_and_failure_endings() {
    let sc = scenario(T);
    assert_eq!(endings(&sc), vec![("done", true, false), ("complaint", false, true), ("taken_over", false, false)]);
}

/// The table's expected numbers are the courseware's: table 3-7's 14 revenues (total 2000)
/// sorted, each share, the cumulative revenue and share, and the classes by the prompt's rule.
#[test]
fn p3t1_expected_table_is_the_courseware_table() {
    let sc = scenario(T);
    let t = table_node(&sc);
    let total: f64 = t.rows.iter().map(|r| r.values.get("revenue").copied().unwrap_or(0.0)).sum();
    assert_eq!(total, 2000.0);
    let revenues: Vec<f64> = t.rows.iter().map(|r| r.values.get("revenue").copied().unwrap_or(0.0)).collect();
    assert_eq!(revenues, vec![590.0, 140.0, 100.0, 740.0, 120.0, 68.0, 50.0, 50.0, 20.0, 40.0, 12.0, 40.0, 10.0, 20.0]);
    let sol = solution(t, Lang::Zh);
    assert_eq!(sol, right());
    // The expert's table earns every cell.
    let step = mark(right());
    assert_eq!((step.credit, step.marked()), (Some(1.0), (70, 70)));
    assert!(step.expert);
}

// ---------------------------------------------------------------------------------------------
// Marking

/// Equal revenues in either order: 8 before 7, 12 before 10, 14 before 9.
#[test]
fn p3t1_ties_may_come_in_either_order() {
    let mut cells = right();
    // Only the names move: the running figures of a place stay the same.
    for (a, b) in [(6, 7), (8, 9), (10, 11)] {
        let name = cells[a][0].clone();
        cells[a][0] = std::mem::replace(&mut cells[b][0], name);
    }
    assert_eq!(cells[6][0], "客户8");
    let step = mark(cells);
    assert_eq!(step.credit, Some(1.0), "{:?}", wrong_cells(&step));
}

/// One early slip: row 1's cumulative revenue written 704, and every later cumulative value
/// carried on from it (1294, 1434…) and its shares from those. Only the first cell is lost.
#[test]
fn p3t1_an_early_slip_carried_forward_costs_one_cell() {
    let mut cells = right();
    let mut cum = 704.0;
    cells[0][3] = "704".into();
    cells[0][4] = "35.2".into();
    let revenue = [740.0, 590.0, 140.0, 120.0, 100.0, 68.0, 50.0, 50.0, 40.0, 40.0, 20.0, 20.0, 12.0, 10.0];
    for p in 1..14 {
        cum += revenue[p];
        cells[p][3] = format!("{cum}");
        cells[p][4] = format!("{:.1}", cum / 2000.0 * 100.0);
    }
    let step = mark(cells.clone());
    assert_eq!(wrong_cells(&step), vec!["1.cum"]);
    assert!((step.credit.unwrap_or(0.0) - 69.0 / 70.0).abs() < 1e-9);
    let carried = step.marks.iter().find(|m| m.id == "2.cum").expect("row 2");
    assert!(carried.right && carried.notes.iter().any(|n| n.zh.contains("不重复扣分")), "{carried:?}");
    // The table's grid says the same, with the right value beside the slip.
    let grid = step.table.as_ref().expect("a marked grid");
    assert_eq!((grid.cells[0][3].right, grid.cells[0][3].expected.as_str()), (Some(false), "740"));
    assert!(grid.cells[1][3].carried);
    // The slip moved the student's row 4 to 77.7 %: still A, and the chart is drawn from it.
    let chart = grid.chart.as_ref().expect("a chart");
    assert_eq!(chart.line[3], Some(77.7));
    assert_eq!(chart.labels[..4], ["4".to_string(), "1".into(), "2".into(), "5".into()]);
    // Without the slip carried on (the later rows right from the true figures): the same.
    let mut cells = right();
    cells[0][3] = "704".into();
    assert_eq!(wrong_cells(&mark(cells)), vec!["1.cum"]);
}

/// Two customers swapped (1 before 4): one place in the order is lost; the shares and sums of
/// the student's own order are right.
#[test]
fn p3t1_a_swap_in_the_order_costs_one_place() {
    let mut cells = right();
    cells.swap(0, 1);
    cells[0][3] = "590".into();
    cells[0][4] = "29.5".into();
    cells[1][3] = "1330".into();
    cells[1][4] = "66.5".into();
    let step = mark(cells);
    assert_eq!(wrong_cells(&step).len(), 1, "{:?}", wrong_cells(&step));
    assert!(wrong_cells(&step)[0].ends_with(".customer"));
}

/// Reasonable ways to write a cell: "4", "c4", "客户4"; "37%", working "740/2000*100=37";
/// "A类". A fraction where a percentage is asked, a customer named twice, a cell left empty:
/// wrong.
#[test]
fn p3t1_cells_are_read_as_students_write_them() {
    let mut cells = right();
    cells[0][0] = "4".into();
    cells[1][0] = "c1".into();
    cells[0][2] = "37%".into();
    cells[1][2] = "590/2000*100=29.5".into();
    cells[2][2] = "１４０÷２０００×１００".into();
    cells[0][5] = "A类".into();
    cells[1][5] = "a".into();
    assert_eq!(mark(cells).credit, Some(1.0));
    let mut cells = right();
    cells[0][2] = "0.37".into();
    cells[3][0] = "客户1".into();
    cells[5][5] = String::new();
    assert_eq!(wrong_cells(&mark(cells)), vec!["1.share", "4.customer", "6.class"]);
}

/// At a cut-off the class is taken either way: a cumulative share written as exactly 80.0 may
/// be A or B. Away from it, only the class of the student's own figure.
#[test]
fn p3t1_classes_at_a_cut_off() {
    for class in ["A", "B"] {
        let mut cells = right();
        cells[3][4] = "80.0".into();
        cells[3][5] = class.into();
        assert_eq!(wrong_cells(&mark(cells)), vec!["4.cum_share"], "{class}");
    }
    let mut cells = right();
    cells[4][5] = "A".into();
    assert_eq!(wrong_cells(&mark(cells)), vec!["5.class"]);
}

/// An empty table earns nothing; a table with rows missing is taken (the rest empty).
#[test]
fn p3t1_empty_and_short_tables() {
    assert_eq!(mark(Vec::new()).credit, Some(0.0));
    let mut cells = right();
    cells.truncate(7);
    assert!((mark(cells).credit.unwrap_or(0.0) - 35.0 / 70.0).abs() < 1e-9);
    // More rows or cells than the table has: refused with a reason, nothing scored.
    let sc = scenario(T);
    let mut s = at_node(&sc, 0, "abc_table");
    let mut long = right();
    long.push(vec!["客户1".into()]);
    assert!(s.answer(Action::Table(long), 1000).is_err());
    assert_eq!(s.node_id(), "abc_table");
}

/// The app's live preview: the given revenue of the customer the student names, and the chart
/// from the student's own cells; nothing says what is right.
#[test]
fn p3t1_preview_shows_given_cells_and_the_chart() {
    let sc = scenario(T);
    let s = at_node(&sc, 0, "abc_table");
    let mut cells = vec![vec![String::new(); 6]; 14];
    cells[0][0] = "4".into();
    cells[0][4] = "37".into();
    cells[0][5] = "A".into();
    cells[1][0] = "客户99".into();
    let p = s.table_preview("abc_table", &cells, Lang::Zh).expect("a table");
    assert_eq!(p.shown[0][1].as_deref(), Some("740"));
    assert_eq!(p.shown[1][1].as_deref(), Some(""), "an unknown customer shows no revenue");
    assert_eq!(p.named[0].as_deref(), Some("客户4"));
    let chart = p.chart.expect("a chart");
    assert_eq!((chart.line[0], chart.line[1]), (Some(37.0), None));
    assert_eq!(chart.classes[0].as_deref(), Some("A"));
    assert_eq!(chart.cuts.iter().map(|(v, c)| (*v, c.zh.as_str())).collect::<Vec<_>>(), vec![(80.0, "A"), (90.0, "B")]);
    assert_eq!(chart.top, 100.0);
}

// ---------------------------------------------------------------------------------------------
// Validation

fn table_diags(from: &str, to: &str) -> Vec<kefu::scenario::Diagnostic> {
    let src = std::fs::read_to_string(repo(T)).expect("reads");
    assert!(src.contains(from), "the file lacks {from:?}");
    let src = src.replacen(from, to, 1);
    match load_str(Path::new("t.ron"), &src) {
        Ok(l) => validate(&l),
        Err(d) => vec![d],
    }
}

fn line_of(from: &str) -> usize {
    let src = std::fs::read_to_string(repo(T)).expect("reads");
    1 + src[..src.find(from).expect("found")].matches('\n').count()
}

#[test]
fn p3t1_broken_tables_say_where_and_what() {
    let cases = [
        (r#"Formula("revenue / sum(revenue) * 100")"#, r#"Formula("revenue / sum(revenue) *")"#, "bad-formula", "incomplete"),
        (r#"Formula("revenue / sum(revenue) * 100")"#, r#"Formula("revenu / sum(revenue) * 100")"#, "unknown-name", "did you mean `revenue`"),
        (r#"Formula("cum / sum(revenue) * 100")"#, r#"Formula("class / sum(revenue) * 100")"#, "unknown-name", "neither a data key"),
        (r#"Formula("above(cum) + revenue")"#, r#"Formula("cum_share + revenue")"#, "unknown-name", "to its right"),
        (r#"sort: Descending("revenue"),"#, "", "row-needs-sort", "needs the table's `sort`"),
        (r#"(id: "c13", name: (zh: "客户13", en: "Customer 13"), values: (revenue: 10)),"#, r#"(id: "c13", name: (zh: "客户13", en: "Customer 13"), values: (revenu: 10)),"#, "unknown-key", "not one of the table's keys"),
        (r#"bands: [(upto: 80, class: "A"), (upto: 90, class: "B")]"#, r#"bands: [(upto: 90, class: "A"), (upto: 80, class: "B")]"#, "bands-order", "must go up"),
        (r#"line: "cum_share""#, r#"line: "class""#, "unknown-name", "must name a number"),
    ];
    for (from, to, code, words) in cases {
        let ds = table_diags(from, to);
        let d = ds.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no `{code}` for {to:?}: {ds:#?}"));
        assert!(d.message.get(Lang::En).contains(words), "{}", d.render(Lang::En));
        assert!(!d.message.zh.is_empty());
        // Each points into the table (below its first line), never at the top of the file.
        assert!(d.line >= line_of("Table(") && d.col > 0, "{}", d.render(Lang::En));
    }
    // The formula's own position is named: "character 27".
    let ds = table_diags(r#"Formula("revenue / sum(revenue) * 100")"#, r#"Formula("revenue / sum(revenue) * 100)")"#);
    let d = ds.iter().find(|d| d.code == "bad-formula").expect("bad-formula");
    assert!(d.message.get(Lang::En).contains("character 29"), "{}", d.render(Lang::En));
    assert_eq!(d.line, line_of(r#"Formula("revenue / sum(revenue) * 100")"#));
}

// ---------------------------------------------------------------------------------------------
// Audit

#[test]
fn p3t1_audit_bots_stay_low() {
    let sc = scenario(T);
    let a = audit(&sc, 50);
    assert_eq!((a.expert_mean, a.expert_min), (100.0, 100));
    for b in &a.bots {
        let limit = if b.bot == Bot::Random { 65.0 } else { 70.0 };
        assert!(b.mean < limit, "{:?} averages {}", b.bot, b.mean);
    }
    for c in a.critical.iter().filter(|c| c.projected.is_some()) {
        assert!(c.projected.is_some_and(|p| p <= 69), "{} {} reaches {:?}", c.node, c.deviation, c.projected);
    }
    assert_eq!(a.critical.len(), 3);
    assert_eq!((a.endings, a.failure_endings), (3, 2));
    // The calculation task's audit: one early slip keeps most of the table's credit.
    let slip = a.tables.iter().find(|t| t.node == "abc_table").expect("the table is audited");
    assert!(slip.one_slip > 0.95, "{slip:?}");
}

// ---------------------------------------------------------------------------------------------
// Named students

#[test]
fn p3t1_expert_path_scores_100() {
    let sc = scenario(T);
    for seed in 0..4 {
        let r = score(&sc, seed, &expert(&sc, seed));
        assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1), "seed {seed}");
        assert_eq!(points(&r), vec![2.0, 1.0, 5.0, 14.0, 13.0]);
        assert_eq!(auto_points(&r), (Some(5), Some(5), Some(10)));
        assert!(r.critical.is_empty() && r.decisions.iter().all(|d| d.expert), "seed {seed}");
        let auto = play(&sc, seed, Policy::Expert).expect("plays");
        assert_eq!(auto.log().len(), expert(&sc, seed).len(), "the autoplayed expert takes the same steps");
    }
}

#[test]
fn p3t1_worst_path() {
    let sc = scenario(T);
    let s = play(&sc, 0, Policy::Worst).expect("plays");
    let r = kefu::scoring::Scorer::new(Arc::clone(&sc)).score_session(&s, &kefu::scoring::Ratings::new());
    assert_eq!(r.ending.as_deref(), Some("taken_over"));
    assert!(!summary(&r).1);
    assert!(r.projected < 50, "{}", r.projected);
}

/// A careful student with one slip in the table (row 1's cumulative revenue 704, carried on):
/// the rest is the expert's.
#[test]
fn p3t1_student_with_one_slip() {
    let sc = scenario(T);
    let mut cells = right();
    cells[0][3] = "704".into();
    let mut events = expert(&sc, 0);
    swap(&mut events, "abc_table", vec![table(cells), cont("wang_checks")]);
    let r = score(&sc, 0, &events);
    // 1 of 70 cells: research 7, skill 6, presentation 2 each × 69/70 (12.9, 5.9, 1.97), the
    // rest the expert's: 89.8 of 90 rounds to 90 → 100. 汪雷 circles the cell (a strike, no
    // points), and the analysis goes on.
    assert_eq!(points(&r), vec![2.0, 1.0, 5.0, 13.9, 12.9]);
    assert_eq!(summary(&r), ("done", true, 90, 100, "优秀", 1));
    let d = r.decisions.iter().find(|d| d.node == "abc_table").expect("the table decision");
    assert!(!d.expert && d.prompt.zh.starts_with("填写表3-8"), "{:?}", d.prompt);
    assert_eq!(d.marked(), (69, 70));
    assert!(d.table.as_ref().is_some_and(|t| t.chart.is_some()), "the review draws the grid and the chart");
}

/// Sends the C customer packing: "you're a small customer, go elsewhere" (rude), and the
/// customer complains.
#[test]
fn p3t1_student_who_rejects_a_c_customer() {
    let sc = scenario(T);
    let mut events = expert(&sc, 0);
    swap(&mut events, "c_reply", vec![say("c_reply", "你们是小客户，免费服务没有了，不满意可以找别家。")]);
    swap(&mut events, "caller_reacts", vec![cont("caller_angry")]);
    events.truncate(events.len() - 1);
    let r = score(&sc, 0, &events);
    // The reply earns nothing (no greeting, no reason, no way out, no welcome: smile 2,
    // sincerity 5, skill 2, attitude 2, listening 1 short) and costs sincerity 3; the rest is the
    // expert's: 5S 33 − 12 = 21 of 35 → band 3 (share 0.71 < 0.8 and the ending no success),
    // 49; members attitude 0 (1 of 3), listening 0, presentation 6 → 6 + 49 = 55 → 61,
    // held to 59 by the complaint (不及格).
    assert_eq!(points(&r), vec![0.0, 0.0, -2.0, 12.0, 13.0]);
    assert_eq!(summary(&r), ("complaint", false, 55, 59, "不及格", 3));
    assert_eq!(criticals(&r), vec![("c_reply", RUDE), ("complaint", COMPLAINT)]);
    assert_eq!(r.cap_limit, Some(59));
    // Negative language from the course's list is a critical error of its own.
    let (step, _) = reply(&sc, 0, "c_reply", "您好，免费服务没办法再给您了。");
    assert_eq!(step.critical.iter().map(|c| c.name.zh.as_str()).collect::<Vec<_>>(), vec![NEGATIVE]);
}

/// A sloppy student: classifies by headcount, spreads the effort evenly, and hands in a table
/// with the order right but no cumulative column: 汪雷 takes the analysis over.
#[test]
fn p3t1_sloppy_student_is_taken_over() {
    let sc = scenario(T);
    let mut cells = right();
    for row in &mut cells {
        row[3].clear();
        row[4].clear();
    }
    let events = vec![
        cont("brief"),
        choose("indicator", "count"),
        cont("indicator_again"),
        at("steps", 30_000, Action::Order(ids(&["pick", "compute", "collect", "classes", "chart"]))),
        cont("data"),
        table(cells),
        cont("wang_checks"),
        cont("check_table"),
        choose("read_chart", "even"),
        cont("wang_even"),
    ];
    let r = score(&sc, 0, &events);
    // order: 4 of 5 steps in place (skill 1.6, research 0.8); the table: 42 of 70 cells (no
    // running columns: research 4.2, skill 3.6, presentation 1.2); the indicator (research −1)
    // and the chart (research −2) wrong. 5S 7.2 of 35 → band 3, 44; presentation 1.2 of 7 → 2:
    // 46 → 51. Three strikes: 汪雷 takes over.
    assert_eq!(points(&r), vec![0.0, 0.0, 0.0, 5.2, 2.0]);
    assert_eq!(summary(&r), ("taken_over", false, 46, 51, "不及格", 3));
}
