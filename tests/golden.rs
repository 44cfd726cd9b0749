//! Golden tests: real paths through real scenario files with exact expected scores.
//!
//! Most paths are data: each `tests/plans/*.ron` names a scenario, a seed, an answers file (what
//! `kefu play --answers` reads) and the report it must give, and [`every_golden_plan_gives_its_report`]
//! plays them all (CONTRIBUTING.md, "adding a scenario with its golden plan"). The tests in Rust
//! here are what a plan cannot say: edited scenarios, hint previews, records, autoplay.
//!
//! The sample's maxima (checked below): smile 4, speed 4, sincerity 5, skill 9, research 4,
//! attitude 5, listening 6, presentation 10. Seed 2 draws 王先生 / 服装 / 威海 / 3 days / 015.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use kefu::scenario::Dim;
use kefu::scoring::{Ratings, Report, Scorer, Source};
use kefu::session::autoplay::{Policy, play};
use kefu::session::{Action, Event, Session};

use crate::common::*;

const SAMPLE: &str = "tests/data/sample.ron";
const SEED: u64 = 2;

/// The sample's text with the first `pattern` replaced by `with`; the test fails when the sample
/// no longer holds `pattern` (an edit that silently did nothing would test the unedited file).
fn sample_with(pattern: &str, with: &str) -> String {
    let text = std::fs::read_to_string(repo(SAMPLE)).expect("read the sample");
    assert!(text.contains(pattern), "{SAMPLE} no longer holds {pattern:?}: update this test's edit");
    text.replacen(pattern, with, 1)
}

#[test]
#[should_panic(expected = "no longer holds")]
fn an_edit_whose_pattern_is_gone_fails() {
    let _ = sample_with("a pattern the sample never held", "");
}

fn score(events: &[Event]) -> Report {
    let sc = scenario(SAMPLE);
    Scorer::new(sc).score(SEED, events, &Ratings::new()).expect("replays")
}

pub(crate) fn expert_events() -> Vec<Event> {
    read_answers(Path::new("tests/plans/answers/sample-expert.ron")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_seed_draws_the_documented_variant() {
    let s = Session::new(scenario(SAMPLE), SEED).expect("start");
    let v = |k: &str| s.values().get(k).map(|t| t.zh.clone()).unwrap_or_default();
    assert_eq!((v("customer"), v("goods"), v("city"), v("days"), v("staff")), ("王先生".into(), "服装".into(), "威海".into(), "3".into(), "015".into()));
}

#[test]
fn maxima_are_what_the_file_allows() {
    let scorer = Scorer::new(scenario(SAMPLE));
    let max = |k: &str| scorer.max_of(k);
    assert_eq!(
        [max("smile"), max("speed"), max("sincerity"), max("skill"), max("research"), max("attitude"), max("listening"), max("presentation")],
        [4.0, 4.0, 5.0, 9.0, 4.0, 5.0, 6.0, 10.0]
    );
}

/// The expert autoplay scores as the expert plan's answers file.
#[test]
fn expert_autoplay_agrees_with_the_hand_written_path() {
    let sc = scenario(SAMPLE);
    let s = play(&sc, SEED, Policy::Expert).expect("plays");
    let auto = Scorer::new(sc).score_session(&s, &Ratings::new());
    let hand = score(&expert_events());
    assert_eq!((auto.total, auto.projected, auto.band.points), (hand.total, hand.projected, hand.band.points));
}

/// The mixed path of `tests/plans/sample-mixed.ron` (the answers file says what each earns).
fn mixed_events() -> Vec<Event> {
    read_answers(Path::new("tests/plans/answers/sample-mixed.ron")).unwrap_or_else(|e| panic!("{e}"))
}

/// What `tests/plans/sample-mixed.ron` cannot say: the advice's words and the order's feedback.
#[test]
fn the_mixed_path_explains_itself() {
    let r = score(&mixed_events());
    assert!(r.advice.text.zh.starts_with("失分最多的是 5S·诚恳"), "{}", r.advice.text.zh);
    let order = r.decisions.iter().find(|d| d.node == "steps").expect("order decision");
    assert!(order.feedback.iter().any(|f| f.zh.starts_with("正确顺序")));
}

#[test]
fn the_hint_preview_tells_the_true_cost() {
    let sc = scenario(SAMPLE);
    let scorer = Scorer::new(Arc::clone(&sc));
    let mut s = Session::new(Arc::clone(&sc), SEED).expect("starts");
    s.apply(&expert_events()[0]).expect("pickup");
    let p = scorer.hint_preview(&s).expect("greet has a hint");
    // 100 now; after a hint of cost 2: band 2 at most (59): 30 + 59 - 2 = 87.
    assert_eq!((p.cost, p.ceiling_now, p.ceiling_after, p.band_now, p.band_after), (2, 100, 87, 1, 2));
    assert_eq!(p.drop(), 13);
    assert!(p.text().zh.contains("100 → 87"), "{}", p.text().zh);
    // Taken, it costs what it said: the expert path with the hint ends 13 below 100 projected on the 100 scale.
    let _ = s.hint(4000).expect("hint");
    let rest: Vec<Event> = expert_events()[1..].to_vec();
    for e in &rest {
        s.apply(e).expect("plays");
    }
    let mut ratings = Ratings::new();
    ratings.insert("cooperation".into(), 10);
    let r = scorer.score_session(&s, &ratings);
    assert_eq!(r.total, 87);
}

/// `tests/plans/sample-late-answer.ron` holds the score; here, what the log keeps.
#[test]
fn a_late_answer_becomes_the_timeout() {
    let events = read_answers(Path::new("tests/plans/answers/sample-late-answer.ron")).unwrap_or_else(|e| panic!("{e}"));
    let s = Session::replay(scenario(SAMPLE), SEED, &events).expect("replays");
    assert_eq!(s.log()[3].action, Action::Timeout);
}

#[test]
fn the_score_is_recomputed_from_the_log_not_stored() {
    let sc = scenario(SAMPLE);
    let s = Session::replay(sc.clone(), SEED, &mixed_events()).expect("replays");
    let mut rec = kefu::records::AttemptRecord::start(&s, "hash", kefu::records::Player { id: "1".into(), name: "张喆".into(), group: None });
    rec.sync(&s);
    let text = rec.to_ron();
    assert!(!text.contains("total") && !text.contains("score"), "a record holds no score");
    let back = kefu::records::AttemptRecord::from_ron(std::path::Path::new("x.ron"), &text).expect("reads back");
    assert_eq!(back, rec);
    let r = Scorer::new(sc).score(back.seed, &back.log, &Ratings::new()).expect("replays");
    assert_eq!(r.total, 56);
}

#[test]
fn a_person_can_override_an_auto_criterion() {
    let sc = scenario(SAMPLE);
    let mut ratings = Ratings::new();
    ratings.insert("listening".into(), 2);
    ratings.insert("cooperation".into(), 99); // capped at the criterion's maximum
    let r = Scorer::new(sc).score(SEED, &expert_events(), &ratings).expect("replays");
    let c = r.criterion("listening").expect("listening");
    assert_eq!((c.points, c.source), (Some(2), Source::Rated));
    assert_eq!(r.criterion("cooperation").and_then(|c| c.points), Some(10));
    assert_eq!(r.total, 70 + 5 + 2 + 10 + 10);
}

#[test]
fn a_scenario_can_bring_its_own_grades_and_bands() {
    let src = sample_with(
        "    variables:",
        "    rubric: (\n        bands: [(band: 1, min: 60, max: 70, min_share: 0.9), (band: 2, min: 40, max: 59)],\n        grades: [(name: (zh: \"通过\", en: \"Pass\"), min: 60), (name: (zh: \"未通过\", en: \"Fail\"), min: 0)],\n    ),\n    variables:",
    );
    let loaded = kefu::scenario::load_str(std::path::Path::new("custom.ron"), &src).expect("parses");
    assert!(kefu::scenario::validate(&loaded).is_empty(), "{:?}", kefu::scenario::validate(&loaded));
    let scorer = Scorer::new(loaded.scenario.clone());
    let r = scorer.score(SEED, &mixed_events(), &Ratings::new()).expect("replays");
    // share 0.308 < 0.9 → band 2 (40-59), placed 0.308/0.9 of the way: 40 + round(19 × 0.342) = 46.
    assert_eq!((r.band.band, r.band.points), (2, 46));
    assert_eq!(r.grade.zh, "通过");
    assert_eq!(scorer.score(SEED, &expert_events(), &Ratings::new()).expect("replays").band.points, 70);
}

/// A record written by schema version 1, frozen in the repository: it must keep loading and
/// scoring the same as long as the sample scenario is unchanged.
#[test]
fn a_version_1_record_file_still_loads_and_scores() {
    let path = repo("tests/data/records-v1/sample-mixed.ron");
    let rec = kefu::records::AttemptRecord::read(&path).expect("reads");
    assert_eq!((rec.schema_version, rec.seed, rec.player.name.as_str()), (1, 2, "张喆"));
    let loaded = load(SAMPLE);
    assert_eq!(rec.scenario_hash, loaded.hash, "the sample scenario changed: re-freeze this record on purpose");
    let r = Scorer::new(loaded.scenario).score(rec.seed, &rec.log, &Ratings::new()).expect("replays");
    assert_eq!((r.total, r.projected, r.band.points), (56, 62, 46));
}

/// A failed ending (the customer lost) rules out band 1 however well the rest went
/// (found while authoring P1 T3, issue 3).
#[test]
fn an_unsuccessful_ending_rules_out_bands_1_and_2() {
    let src = sample_with(
        r#"outcome: (zh: "客户满意地挂了电话。", en: "The customer hangs up satisfied.")"#,
        r#"outcome: (zh: "客户后来投诉了。", en: "The customer complained later."), success: false"#,
    );
    let loaded = kefu::scenario::load_str(std::path::Path::new("s.ron"), &src).expect("parses");
    let r = Scorer::new(loaded.scenario).score(SEED, &expert_events(), &Ratings::new()).expect("replays");
    assert!(r.finished && !r.success);
    // A lost customer is band 3 in a role play: band 2 needs a success too.
    assert_eq!((r.band.band, r.band.points), (3, 49));
    assert!(r.band.reasons.iter().any(|t| t.zh.contains("结局未成功")));
}

/// Rings 1-3 can all be marked as the expert's answer (issue 3: "by the third ring at the latest").
#[test]
fn a_ring_can_be_marked_expert() {
    let src = sample_with(
        r#"(effects: (speed: 2, attitude: 1), feedback:"#,
        r#"(effects: (speed: 2, attitude: 1), expert: true, feedback:"#,
    );
    let loaded = kefu::scenario::load_str(std::path::Path::new("s.ron"), &src).expect("parses");
    let mut s = Session::new(loaded.scenario, SEED).expect("start");
    let step = s.answer(Action::Pickup, 7000).expect("ring 3");
    assert!(step.expert);
    assert_eq!(step.credit, Some(1.0));
    let mut plain = Session::new(scenario(SAMPLE), SEED).expect("start");
    assert!(!plain.answer(Action::Pickup, 7000).expect("ring 3").expert, "by default only ring 1 is the expert's");
}

// ---- Golden plans: tests/plans/*.ron (CONTRIBUTING.md, "adding a scenario with its golden plan") ----

/// The folder of plan files; every `*.ron` directly in it is a plan (answers files live in
/// `tests/plans/answers/`).
const PLANS: &str = "tests/plans";

/// A golden plan: a scenario played from a seed with an answers file (the list `kefu play PATH
/// --answers FILE` reads), optional teacher ratings, and the report it must give. Paths are
/// relative to the repository root.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Plan {
    scenario: String,
    seed: u64,
    answers: String,
    /// Teacher ratings by criterion key (`cooperation`, or an override of an automatic one).
    #[serde(default)]
    ratings: BTreeMap<String, u32>,
    expect: Expect,
}

/// The 5S principles, one field each: percents (`five_s`) or raw points (`five_s_points`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FiveS {
    smile: f64,
    speed: f64,
    sincerity: f64,
    skill: f64,
    research: f64,
}

impl FiveS {
    fn of(r: &Report, f: impl Fn(&kefu::scoring::DimScore) -> f64) -> FiveS {
        FiveS { smile: f(r.dim(Dim::Smile)), speed: f(r.dim(Dim::Speed)), sincerity: f(r.dim(Dim::Sincerity)), skill: f(r.dim(Dim::Skill)), research: f(r.dim(Dim::Research)) }
    }
    fn fields(&self) -> [(&'static str, f64); 5] {
        [("smile", self.smile), ("speed", self.speed), ("sincerity", self.sincerity), ("skill", self.skill), ("research", self.research)]
    }
}

/// The advice a report gives: the principle it is about (`smile` … `research`) and the
/// decisions it cites, costliest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdviceOf {
    principle: String,
    cites: Vec<String>,
    praise: bool,
}

/// What the report must hold. The fields up to `provisional` are required (every plan states
/// the score); the rest are checked only when the plan gives them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    finished: bool,
    success: bool,
    ending: Option<String>,
    /// Each 5S principle's percent of its reachable maximum (as the report rounds it, to 0.1).
    five_s: FiveS,
    /// Every rubric criterion of the report by key: its points, or `None` while a person has
    /// still to rate it.
    criteria: BTreeMap<String, Option<u32>>,
    band: u8,
    band_points: u32,
    total: u32,
    projected: u32,
    /// The grade's Chinese name (优秀, 良好, 中等, 及格, 不及格, or the scenario's own).
    grade: String,
    provisional: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    five_s_points: Option<FiveS>,
    /// Share of the 5S maximum reached (to 4 decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    share: Option<f64>,
    /// Why no higher band was reached (Chinese), in the report's order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    band_reasons: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member_points: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending_max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    within_time: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    elapsed_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hints_used: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hint_cost: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hint_effect: Option<u32>,
    /// The critical errors made, in order: (node, Chinese name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    critical: Option<Vec<(String, String)>>,
    /// The highest total the critical errors allow, and the total before that cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cap_limit: Option<Option<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uncapped_total: Option<Option<u32>>,
    /// The decisions in order, by node id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decisions: Option<Vec<String>>,
    /// An activity's credit (0-1) by node id, for the nodes listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    credit: Option<BTreeMap<String, Option<f64>>>,
    /// The nodes whose answer came too late (the timeout applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timed_out: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    advice: Option<AdviceOf>,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Expect {
    /// Everything a report says, in a plan's terms (every optional field given).
    fn of(r: &Report) -> Expect {
        Expect {
            finished: r.finished,
            success: r.success,
            ending: r.ending.clone(),
            five_s: FiveS::of(r, |d| d.percent),
            criteria: r.criteria.iter().map(|c| (c.key.clone(), c.points)).collect(),
            band: r.band.band,
            band_points: r.band.points,
            total: r.total,
            projected: r.projected,
            grade: r.grade.zh.clone(),
            provisional: r.provisional,
            five_s_points: Some(FiveS::of(r, |d| d.points)),
            share: Some(round4(r.share)),
            band_reasons: Some(r.band.reasons.iter().map(|t| t.zh.clone()).collect()),
            member_points: Some(r.member_points),
            pending_max: Some(r.pending_max),
            within_time: Some(r.within_time),
            elapsed_ms: Some(r.elapsed_ms),
            hints_used: Some(r.hints_used),
            hint_cost: Some(r.hint_cost),
            hint_effect: Some(r.hint_effect),
            critical: Some(r.critical.iter().map(|c| (c.node.clone(), c.name.zh.clone())).collect()),
            cap_limit: Some(r.cap_limit),
            uncapped_total: Some(r.uncapped_total),
            decisions: Some(r.decisions.iter().map(|d| d.node.clone()).collect()),
            credit: Some(r.decisions.iter().map(|d| (d.node.clone(), d.credit)).collect()),
            timed_out: Some(r.decisions.iter().filter(|d| d.timed_out).map(|d| d.node.clone()).collect()),
            advice: Some(AdviceOf { principle: r.advice.dim.key().to_string(), cites: r.advice.cites.clone(), praise: r.advice.praise }),
        }
    }

    /// Each field the plan gives that the report does not hold, as `field: expected E, got G`.
    fn differences(&self, got: &Expect) -> Vec<String> {
        let mut out = Vec::new();
        fn same(out: &mut Vec<String>, field: &str, e: String, g: String) {
            if e != g {
                out.push(format!("{field}: expected {e}, got {g}"));
            }
        }
        macro_rules! exact {
            ($($f:ident),*) => { $( same(&mut out, stringify!($f), format!("{:?}", self.$f), format!("{:?}", got.$f)); )* };
        }
        macro_rules! given {
            ($($f:ident),*) => { $(
                if let Some(e) = &self.$f {
                    let g = got.$f.as_ref().map_or_else(|| "nothing".to_string(), |g| format!("{g:?}"));
                    same(&mut out, stringify!($f), format!("{e:?}"), g);
                }
            )* };
        }
        exact!(finished, success, ending, band, band_points, total, projected, grade, provisional);
        // Floats: the plan's value to the precision it is written in (0.1 for percents).
        let near = |e: f64, g: f64, tol: f64| (e - g).abs() <= tol;
        for ((k, e), (_, g)) in self.five_s.fields().into_iter().zip(got.five_s.fields()) {
            if !near(e, g, 1e-9) {
                out.push(format!("five_s.{k}: expected {e}, got {g}"));
            }
        }
        if let (Some(ep), Some(gp)) = (&self.five_s_points, &got.five_s_points) {
            for ((k, e), (_, g)) in ep.fields().into_iter().zip(gp.fields()) {
                if !near(e, g, 1e-6) {
                    out.push(format!("five_s_points.{k}: expected {e}, got {g}"));
                }
            }
        }
        for k in self.criteria.keys().chain(got.criteria.keys()).collect::<std::collections::BTreeSet<_>>() {
            let (e, g) = (self.criteria.get(k), got.criteria.get(k));
            if e != g {
                let show = |x: Option<&Option<u32>>| x.map_or("(not listed)".to_string(), |p| format!("{p:?}"));
                out.push(format!("criteria.{k}: expected {}, got {}", show(e), show(g)));
            }
        }
        if let (Some(e), Some(g)) = (self.share, got.share)
            && !near(e, g, 5e-5)
        {
            out.push(format!("share: expected {e}, got {g}"));
        }
        if let (Some(e), Some(g)) = (&self.credit, &got.credit) {
            for (node, ec) in e {
                match g.get(node) {
                    None => out.push(format!("credit.{node}: expected {ec:?}, got no decision at {node}")),
                    Some(gc) if !matches!((ec, gc), (Some(a), Some(b)) if near(*a, *b, 5e-5)) && ec != gc => {
                        out.push(format!("credit.{node}: expected {ec:?}, got {gc:?}"));
                    }
                    Some(_) => {}
                }
            }
        }
        given!(band_reasons, member_points, pending_max, within_time, elapsed_ms, hints_used, hint_cost, hint_effect, critical, cap_limit, uncapped_total, decisions, timed_out, advice);
        out
    }
}

/// `path:line:col: message` for a RON error in `path`.
fn ron_error(path: &Path, e: &ron::error::SpannedError) -> String {
    format!("{}:{}:{}: {}", path.display(), e.span.start.line, e.span.start.col, e.code)
}

fn parse_plan(path: &Path, text: &str) -> Result<Plan, String> {
    ron::from_str(&kefu::fsread::normalize(text)).map_err(|e| ron_error(path, &e))
}

/// The answers file as `kefu play --answers` reads it (byte-order mark and CR line ends
/// accepted, a RON list of events).
fn read_answers(path: &Path) -> Result<Vec<Event>, String> {
    let text = std::fs::read_to_string(repo(&path.to_string_lossy())).map_err(|e| format!("{}: {e}", path.display()))?;
    ron::from_str(&kefu::fsread::normalize(&text)).map_err(|e| ron_error(path, &e))
}

/// Play a plan as `kefu play --answers` does: a session from the seed, each answer applied in
/// turn (a refused one is named by its number), then scored with the plan's ratings.
fn play_plan(plan: &Plan) -> Result<Report, String> {
    let loaded = kefu::scenario::load_file(&repo(&plan.scenario)).map_err(|d| d.render(kefu::Lang::En))?;
    let events = read_answers(Path::new(&plan.answers))?;
    let mut s = Session::new(Arc::clone(&loaded.scenario), plan.seed).map_err(|e| format!("{}: {e}", plan.scenario))?;
    for (i, e) in events.iter().enumerate() {
        s.apply(e).map_err(|err| format!("{}: answer {}: {err}", plan.answers, i + 1))?;
    }
    let ratings: Ratings = plan.ratings.clone().into_iter().collect();
    Ok(Scorer::new(loaded.scenario).score_session(&s, &ratings))
}

/// Run one plan file: every problem as `file: field: expected E, got G` (or `file:line:col:`
/// when it does not read).
fn run_plan(path: &Path) -> Vec<String> {
    let name = path.strip_prefix(repo("")).unwrap_or(path).to_path_buf();
    match std::fs::read_to_string(path) {
        Ok(text) => check_plan_text(&name, &text),
        Err(e) => vec![format!("{}: {e}", name.display())],
    }
}

/// [`run_plan`] for a plan's text; `name` names it in messages.
fn check_plan_text(name: &Path, text: &str) -> Vec<String> {
    let plan = match parse_plan(name, text) {
        Ok(p) => p,
        Err(e) => return vec![e],
    };
    match play_plan(&plan) {
        Ok(report) => {
            let got = Expect::of(&report);
            if std::env::var_os("KEFU_PLAN_SHOW").is_some() {
                let shown = ron::ser::to_string_pretty(&got, ron::ser::PrettyConfig::default()).unwrap_or_default();
                eprintln!("{}: the report in a plan's terms (check every number before copying any):\n{shown}", name.display());
            }
            plan.expect.differences(&got).into_iter().map(|d| format!("{}: {d}", name.display())).collect()
        }
        Err(e) => vec![format!("{}: {e}", name.display())],
    }
}

fn plan_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo(PLANS))
        .expect("tests/plans/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

/// The plan CONTRIBUTING.md shows (its ```ron plan block) is a plan that passes.
#[test]
fn the_plan_in_contributing_passes() {
    let md = std::fs::read_to_string(repo("CONTRIBUTING.md")).expect("CONTRIBUTING.md");
    let start = md.find("```ron plan\n").expect("CONTRIBUTING.md shows a plan in a ```ron plan block") + "```ron plan\n".len();
    let len = md[start..].find("```").expect("the block is closed");
    let line = md[..start].lines().count() + 1;
    let problems = check_plan_text(Path::new("CONTRIBUTING.md"), &md[start..start + len]);
    assert!(problems.is_empty(), "CONTRIBUTING.md:{line}: the example plan:\n{}", problems.join("\n"));
}

#[test]
fn every_golden_plan_gives_its_report() {
    let files = plan_files();
    let problems: Vec<String> = files.iter().flat_map(|p| run_plan(p)).collect();
    assert!(problems.is_empty(), "{} problem(s) in {} plans:\n{}", problems.len(), files.len(), problems.join("\n"));
    assert!(files.len() >= 10, "tests/plans/ holds only {} plans", files.len());
}

/// A plan can fail: a wrong expected value is named with its file and field.
#[test]
fn a_wrong_expected_value_is_reported() {
    let path = Path::new("tests/plans/sample-expert.ron");
    let text = std::fs::read_to_string(repo(&path.to_string_lossy())).expect("the sample's expert plan");
    let mut plan = parse_plan(path, &text).expect("reads");
    let got = Expect::of(&play_plan(&plan).expect("plays"));
    assert!(plan.expect.differences(&got).is_empty());
    // Through the plan's text, as the plan test reads it: the file and the field are named.
    let wrong = text.replacen("total: 90,", "total: 91,", 1);
    assert_ne!(wrong, text, "the expert plan holds `total: 90,`");
    assert_eq!(check_plan_text(path, &wrong), vec!["tests/plans/sample-expert.ron: total: expected 91, got 90".to_string()]);
    plan.expect.total += 1;
    plan.expect.five_s.smile = 50.0;
    plan.expect.criteria.insert("listening".into(), Some(4));
    plan.expect.criteria.remove("cooperation");
    plan.expect.advice = Some(AdviceOf { principle: "speed".into(), cites: vec![], praise: true });
    let diffs = plan.expect.differences(&got);
    assert_eq!(
        diffs,
        vec![
            "total: expected 91, got 90".to_string(),
            "five_s.smile: expected 50, got 100".to_string(),
            "criteria.cooperation: expected (not listed), got None".to_string(),
            "criteria.listening: expected Some(4), got Some(5)".to_string(),
            "advice: expected AdviceOf { principle: \"speed\", cites: [], praise: true }, got AdviceOf { principle: \"smile\", cites: [], praise: true }".to_string(),
        ]
    );
}

/// A plan that does not read is named by file:line:col; so is an answers file.
#[test]
fn a_plan_that_does_not_read_names_its_position() {
    let e = parse_plan(Path::new("tests/plans/x.ron"), "Plan(\n    scenario: \"a.ron\",\n    sed: 2,\n)").expect_err("unknown field");
    assert!(e.starts_with("tests/plans/x.ron:3:"), "{e}");
    assert!(e.contains("sed"), "{e}");
    let e = parse_plan(Path::new("p.ron"), "Plan(scenario: \"a.ron\", seed: 2, answers: \"b.ron\", expect: (total: 1))").expect_err("missing fields");
    assert!(e.starts_with("p.ron:1:"), "{e}");
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("answers.ron");
    std::fs::write(&bad, "[\n    (action: Pickup),\n    (action: Chose(\"x\")),\n]\n").expect("write");
    let e = read_answers(&bad).expect_err("no such action");
    assert!(e.starts_with(&format!("{}:3:", bad.display())), "{e}");
}

/// The worst plan's answers are what the worst-case autoplay does (seed 2): the phone nobody
/// answered. On a difference the autoplay's log is printed as an answers file.
#[test]
fn the_worst_plan_is_the_worst_autoplay() {
    let sc = scenario(SAMPLE);
    let s = play(&sc, SEED, Policy::Worst).expect("plays");
    let planned = read_answers(Path::new("tests/plans/answers/sample-worst.ron")).unwrap_or_default();
    let shown = ron::ser::to_string_pretty(s.log(), ron::ser::PrettyConfig::default()).unwrap_or_default();
    assert_eq!(s.log(), planned.as_slice(), "Policy::Worst plays:\n{shown}");
}
