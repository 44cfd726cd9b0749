//! Analysis: reachable score ranges, endings, unreached nodes, and the expert and worst paths
//! played through the runner and scored — what `kefu analyze` prints and authoring mode shows.
//! It sits above the runner (`session`) and the scorer (`scoring`), which it plays and scores
//! with; the ranges themselves are the model's (`scenario::ranges`).

use std::sync::Arc;

use serde::Serialize;

use crate::scenario::ranges::key_name;
use crate::scenario::{Node, Scenario, Text};
use crate::scoring::{Ratings, Report, Scorer};
use crate::session::autoplay::{self, Policy};

pub mod map;

/// A key's reachable range, for display.
#[derive(Clone, Debug, Serialize)]
pub struct KeyRange {
    pub key: String,
    pub name: Text,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A path played by a policy, with its score.
#[derive(Clone, Debug, Serialize)]
pub struct PathSummary {
    pub nodes: Vec<String>,
    pub report: Report,
}

/// Everything `kefu analyze` shows.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub id: String,
    pub nodes: usize,
    pub endings: usize,
    pub states: usize,
    pub approximate: bool,
    pub ranges: Vec<KeyRange>,
    pub unreached: Vec<String>,
    pub stuck: Vec<String>,
    pub expert: Result<PathSummary, String>,
    pub worst: Result<PathSummary, String>,
    /// The expert path (seed 0) as a replayable answers list (`kefu play --answers`, `--stdio`).
    pub expert_answers: Vec<crate::session::Event>,
    /// The best total reachable after each critical error: the expert path with that one error.
    pub critical: Vec<crate::scoring::audit::CriticalRow>,
    /// For a scenario with random `draws`: the expert and worst paths of each outcome drawn (the
    /// first seed of 0-63 that draws it, at most 16 outcomes).
    pub draws: Vec<DrawPaths>,
}

/// The expert and worst paths under one outcome of the random draws.
#[derive(Clone, Debug, Serialize)]
pub struct DrawPaths {
    /// The drawn variables and their values (`touchy = 1`).
    pub drawn: Vec<(String, i64)>,
    pub seed: u64,
    pub expert: Result<PathSummary, String>,
    pub worst: Result<PathSummary, String>,
}

/// Analyse a scenario (seed 0 draws the variants for the sample paths).
pub fn analyze(sc: &Arc<Scenario>) -> Analysis {
    analyze_with(Scorer::new(Arc::clone(sc)), None)
}

/// The seed-0 expert and worst plays the analysis shows, as [`plays`] gives them.
pub type Plays = (Result<crate::session::Session, autoplay::AutoplayError>, Result<crate::session::Session, autoplay::AutoplayError>);

/// The seed-0 expert and worst paths, played (they need no ranges: `kefu analyze` plays them on a
/// second thread while the scenario is validated).
pub fn plays(sc: &Arc<Scenario>) -> Plays {
    (autoplay::play(sc, 0, Policy::Expert), autoplay::play(sc, 0, Policy::Worst))
}

/// [`analyze`] with the seed-0 paths already played by [`plays`] (on a second thread while the
/// scenario was validated).
pub fn analyze_with_plays(sc: &Arc<Scenario>, plays: Plays) -> Analysis {
    analyze_with(Scorer::new(Arc::clone(sc)), Some(plays))
}

fn analyze_with(scorer: Scorer, plays: Option<Plays>) -> Analysis {
    let sc = &Arc::clone(scorer.scenario());
    let r = scorer.ranges();
    let name = |key: &str| key_name(sc, key);
    let summary = |s: &crate::session::Session| -> PathSummary {
        let mut nodes: Vec<String> = s.log().iter().filter(|e| e.action != crate::session::Action::Hint).map(|e| e.node.clone()).collect();
        nodes.push(s.node_id().to_string());
        PathSummary { nodes, report: scorer.score_session(s, &Ratings::new()) }
    };
    let path = |seed, policy| -> Result<PathSummary, String> { autoplay::play(sc, seed, policy).map(|s| summary(&s)).map_err(|e| e.to_string()) };
    // The expert path of seed 0 is played once: its summary and its answers list.
    let (expert0, worst0) = plays.unwrap_or_else(|| self::plays(sc));
    // Scoring two long paths and the critical-error audit are independent: on a large scenario
    // the expert path is scored on a second thread.
    let score = |p: &Result<crate::session::Session, autoplay::AutoplayError>| p.as_ref().map(summary).map_err(|e| e.to_string());
    let (expert, worst, critical) = std::thread::scope(|s| {
        let ahead = (sc.nodes.len() >= PARALLEL_SUMMARY).then(|| s.spawn(|| score(&expert0)));
        let worst = score(&worst0);
        let critical = crate::scoring::audit::critical_rows(&scorer);
        (ahead.and_then(|h| h.join().ok()), worst, critical)
    });
    let expert = expert.unwrap_or_else(|| score(&expert0));
    Analysis {
        id: sc.id.clone(),
        nodes: sc.nodes.len(),
        endings: sc.nodes.iter().filter(|n| matches!(n, Node::Ending(_))).count(),
        states: r.states,
        approximate: r.approximate,
        ranges: r.keys.iter().enumerate().map(|(i, key)| KeyRange { key: key.clone(), name: name(key), min: r.min[i], max: r.max[i] }).collect(),
        unreached: sc.nodes.iter().enumerate().filter(|(i, _)| !r.reached.get(*i).copied().unwrap_or(false)).map(|(_, n)| n.id().to_string()).collect(),
        stuck: r.stuck.clone(),
        expert,
        worst,
        expert_answers: expert0.as_ref().map(|s| s.log().to_vec()).unwrap_or_default(),
        critical,
        draws: draw_outcomes(sc).into_iter().map(|(drawn, seed)| DrawPaths { drawn, seed, expert: path(seed, Policy::Expert), worst: path(seed, Policy::Worst) }).collect(),
    }
}

/// From this many nodes on, the expert path is scored on a second thread.
const PARALLEL_SUMMARY: usize = 2_000;

/// Each outcome of the scenario's random draws met by seeds 0-63, with the first seed drawing it
/// (at most 16).
fn draw_outcomes(sc: &Arc<Scenario>) -> Vec<(Vec<(String, i64)>, u64)> {
    let vars: Vec<&String> = sc.draws.iter().flat_map(|d| d.vars.iter()).collect();
    if vars.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<(Vec<(String, i64)>, u64)> = Vec::new();
    for seed in 0..64 {
        let Ok(s) = crate::session::Session::new(Arc::clone(sc), seed) else { continue };
        let drawn: Vec<(String, i64)> = vars.iter().map(|v| ((*v).clone(), s.vars().get(*v).copied().unwrap_or(0))).filter(|(_, x)| *x != 0).collect();
        if !out.iter().any(|(d, _)| *d == drawn) {
            out.push((drawn, seed));
            if out.len() >= 16 {
                break;
            }
        }
    }
    out
}
