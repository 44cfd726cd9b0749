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
