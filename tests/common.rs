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

// ---- Scenario paths: values drawn, events built, paths edited ----

use kefu::Scenario;
use kefu::scenario::Node;
use kefu::session::autoplay::{self, Policy, Tried};
use kefu::session::{Session, Step};

/// The variant value `key` (Chinese) drawn by `seed`.
pub fn value(sc: &Arc<Scenario>, seed: u64, key: &str) -> String {
    let s = Session::new(Arc::clone(sc), seed).expect("starts");
    s.values().get(key).map(|t| t.zh.clone()).unwrap_or_else(|| panic!("no variant value `{key}`"))
}

/// A form filled in at `node` after `ms` milliseconds, one (field, text) pair a field.
pub fn form<V: AsRef<str>>(node: &str, ms: u64, fields: &[(&str, V)]) -> Event {
    at(node, ms, Action::Form(fields.iter().map(|(k, v)| (k.to_string(), v.as_ref().to_string())).collect()))
}

/// A typed reply (1 s, like a choice).
pub fn say(node: &str, text: &str) -> Event {
    at(node, 1000, Action::Say(text.to_string()))
}

/// Replace the event at `node` (the first one) by `with`.
pub fn swap(events: &mut Vec<Event>, node: &str, with: Vec<Event>) {
    let i = events.iter().position(|e| e.node == node).unwrap_or_else(|| panic!("no event at `{node}`"));
    events.splice(i..=i, with);
}

/// Cut the path just before the (first) event at `node`, and carry on with `rest`.
pub fn upto(mut events: Vec<Event>, node: &str, rest: Vec<Event>) -> Vec<Event> {
    let i = events.iter().position(|e| e.node == node).unwrap_or_else(|| panic!("no event at `{node}`"));
    events.truncate(i);
    events.extend(rest);
    events
}

/// The scenario's endings in file order: (id, success, whether reaching it is a critical error).
pub fn endings(sc: &Scenario) -> Vec<(&str, bool, bool)> {
    sc.nodes
        .iter()
        .filter_map(|n| if let Node::Ending(e) = n { Some((e.id.as_str(), e.success, e.critical.is_some())) } else { None })
        .collect()
}

// ---- Typed replies: tables of held replies at a `Say` node ----

/// A session of `sc` (seed `seed`) brought along the expert path to the node `node`.
pub fn at_node(sc: &Arc<Scenario>, seed: u64, node: &str) -> Session {
    let mut s = Session::new(Arc::clone(sc), seed).expect("session");
    let mut tried = Tried::new();
    for _ in 0..500 {
        if s.node_id() == node {
            return s;
        }
        let e = autoplay::next_event(&s, Policy::Expert, &mut tried).expect("expert move");
        s.apply(&e).expect("expert move applies");
    }
    panic!("the expert path never reaches {node}");
}

/// The step `text` earns when typed at `node` (reached along the expert path), and the session
/// after it.
pub fn reply(sc: &Arc<Scenario>, seed: u64, node: &str, text: &str) -> (Step, Session) {
    let mut s = at_node(sc, seed, node);
    let step = s.answer(Action::Say(text.to_string()), 3000).expect("reply taken").clone();
    (step, s)
}

/// Points the step earned (all keys).
pub fn step_points(step: &Step) -> f64 {
    step.effects.values().sum()
}

/// The `Say` node's full points (what the expert's reply earns), all keys.
pub fn full(sc: &Arc<Scenario>, seed: u64, node: &str) -> f64 {
    let s = at_node(sc, seed, node);
    let Node::Say(x) = s.node() else { panic!("{node} is no Say node") };
    x.elements.iter().flat_map(|e| e.effects.iter().map(|(_, v)| f64::from((*v).max(0)))).sum()
}

/// What a reply is, for the bounds of typed replies: a good one earns at least 80 % of the
/// node's points, a rude or negative one at most 20 %.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Kind {
    Good,
    Bad,
    Partial,
}

/// A held reply: its kind, the text, the exact points it earns (all keys), the critical errors
/// it makes (Chinese names, in order) and, when given, the node the session moves on to.
pub struct Held {
    pub kind: Kind,
    pub reply: &'static str,
    pub points: f64,
    pub critical: &'static [&'static str],
    pub next: Option<&'static str>,
}

/// A held reply whose next node is not checked.
pub const fn held(kind: Kind, reply: &'static str, points: f64, critical: &'static [&'static str]) -> Held {
    Held { kind, reply, points, critical, next: None }
}

impl Held {
    /// The same reply, also held to move the session on to `node`.
    pub const fn leads_to(self, node: &'static str) -> Held {
        Held { next: Some(node), ..self }
    }
}

/// Every reply of `table`, typed at `node` of `file` (seed `seed`), earns exactly its held points
/// (to the hundredth), makes exactly its critical errors and, where held, leads to its next
/// node; good replies are held at 80 % of the node's full points or more, bad ones at 20 % or
/// less. A table has ten replies at least.
pub fn check_table(file: &str, seed: u64, node: &str, table: &[Held]) {
    assert!(table.len() >= 10, "at least ten held replies per node");
    let sc = scenario(file);
    let max = full(&sc, seed, node);
    let mut wrong = Vec::new();
    for h in table {
        let (step, s) = reply(&sc, seed, node, h.reply);
        let got = (step_points(&step) * 100.0).round() / 100.0;
        let crit: Vec<String> = step.critical.iter().map(|c| c.name.zh.clone()).collect();
        let moved_on = h.next.is_none_or(|n| s.node_id() == n);
        if (got - h.points).abs() > 1e-9 || crit != h.critical || !moved_on {
            let marks: Vec<String> = step.marks.iter().map(|m| format!("{}{}:{}", if m.right { "+" } else { "-" }, m.id, m.given.zh)).collect();
            let (to, held_to) = match h.next {
                Some(n) => (format!(" → {}", s.node_id()), format!(" → {n}")),
                None => (String::new(), String::new()),
            };
            wrong.push(format!("{:?}: got {got} {crit:?}{to}, held {} {:?}{held_to}; {marks:?}", h.reply, h.points, h.critical));
        }
        match h.kind {
            Kind::Good => assert!(h.points >= 0.8 * max, "{:?}: a good reply must reach 80 % of {max}", h.reply),
            Kind::Bad => assert!(h.points <= 0.2 * max, "{:?}: a rude or negative reply must stay at 20 % of {max}", h.reply),
            Kind::Partial => {}
        }
    }
    assert!(wrong.is_empty(), "{} of {} replies at {node} differ:\n{}", wrong.len(), table.len(), wrong.join("\n"));
}

/// How long [`run_guarded`] lets a command run: 20 s for an optimised `kefu` (the issue's
/// limit, `cargo test --release`), 60 s for the unoptimised one `cargo test` builds, which is
/// several times slower and shares the cores with the other tests. A hang fails either way.
pub const GUARD: std::time::Duration = std::time::Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 20 });

/// Run `cmd` (stdin closed, output captured on reader threads so a full pipe never stalls it),
/// killed and failed after [`GUARD`] so a hang fails the test instead of stalling the run.
pub fn run_guarded(cmd: &mut std::process::Command) -> std::process::Output {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the command runs");
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {} s", GUARD.as_secs());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::process::Output { status, stdout: out.join().unwrap_or_default(), stderr: err.join().unwrap_or_default() }
}
