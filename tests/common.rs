//! Helpers shared by the integration tests.

#![allow(dead_code, reason = "each test module uses a different subset")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kefu::scenario::{Loaded, load_file};
use kefu::session::{Action, Event};

/// A path under the repository root.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Load a scenario file or fail the test with its diagnostic.
pub fn load(rel: &str) -> Loaded {
    load_file(&repo(rel)).unwrap_or_else(|d| panic!("{}", d.render(kefu::Lang::En)))
}

pub fn scenario(rel: &str) -> Arc<kefu::Scenario> {
    load(rel).scenario
}

/// An event at `node` after `ms` milliseconds.
pub fn at(node: &str, ms: u64, action: Action) -> Event {
    Event { node: node.to_string(), elapsed_ms: ms, action }
}

pub fn choose(node: &str, option: &str) -> Event {
    at(node, 1000, Action::Choose(option.to_string()))
}

pub fn cont(node: &str) -> Event {
    at(node, 500, Action::Continue)
}

pub fn pairs(xs: &[(&str, &str)]) -> Vec<(String, String)> {
    xs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

pub fn ids(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

// ---- Reports: the pieces golden tests compare ----

use kefu::scenario::Dim;
use kefu::scoring::{Report, Scorer};

/// The eight score keys, 5S first, in the order tests list maxima.
pub const KEYS: [&str; 8] = ["smile", "speed", "sincerity", "skill", "research", "attitude", "listening", "presentation"];

/// Score `events` from `seed` or fail the test.
pub fn score(sc: &Arc<kefu::Scenario>, seed: u64, events: &[Event]) -> Report {
    let r = Scorer::new(Arc::clone(sc)).score(seed, events, &kefu::scoring::Ratings::new()).unwrap_or_else(|e| panic!("{e}"));
    if std::env::var_os("KEFU_TEST_DUMP").is_some() {
        eprintln!(
            "DUMP {:?} points={:?} share={} band={} auto={:?} summary={:?} crit={:?} cap={:?} uncapped={:?} elapsed={}",
            std::thread::current().name(), points(&r), r.share, r.band.points, auto_points(&r), summary(&r), criticals(&r), r.cap_limit, r.uncapped_total, r.elapsed_ms
        );
    }
    r
}

/// The most each of [`KEYS`] can reach.
pub fn maxima(sc: &Arc<kefu::Scenario>) -> Vec<f64> {
    let scorer = Scorer::new(Arc::clone(sc));
    KEYS.iter().map(|k| scorer.max_of(k)).collect()
}

/// The critical errors as (node, Chinese name), in the order made.
pub fn criticals(r: &Report) -> Vec<(&str, &str)> {
    r.critical.iter().map(|c| (c.node.as_str(), c.name.zh.as_str())).collect()
}

pub fn percents(r: &Report) -> Vec<f64> {
    Dim::ALL.iter().map(|d| r.dim(*d).percent).collect()
}

pub fn points(r: &Report) -> Vec<f64> {
    Dim::ALL.iter().map(|d| r.dim(*d).points).collect()
}

/// (attitude, listening, presentation).
pub fn auto_points(r: &Report) -> (Option<u32>, Option<u32>, Option<u32>) {
    let p = |k: &str| r.criterion(k).and_then(|c| c.points);
    (p("attitude"), p("listening"), p("presentation"))
}

/// (ending, success, total, projected, grade, band)
pub fn summary(r: &Report) -> (&str, bool, u32, u32, &str, u8) {
    (r.ending.as_deref().unwrap_or("-"), r.success, r.total, r.projected, r.grade.zh.as_str(), r.band.band)
}

/// `kefu check` finds nothing in the file.
pub fn assert_checks_clean(rel: &str) {
    let (loaded, diags) = kefu::scenario::check_file(&repo(rel));
    assert!(loaded.is_some(), "{rel} loads");
    let shown: Vec<String> = diags.iter().map(|d| d.render(kefu::Lang::En)).collect();
    assert!(diags.is_empty(), "{rel}:\n{}", shown.join("\n"));
}
