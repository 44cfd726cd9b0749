//! Attempts as xAPI statements in a Learning Record Store (LRS), the store LMSs read.
//!
//! - [`config`]: where the LRS is (`kefu.toml` `[lrs]`, `KEFU_LRS_*`), never in a record.
//! - [`statement`]: the statements of one attempt, with ids fixed by the attempt and the answer
//!   index, so a resend never duplicates.
//! - [`outbox`]: statements wait in a folder until the LRS takes them, with backoff; a rejected
//!   batch is kept with the LRS's reason.
//! - [`client`]: one blocking HTTP request at a time.
//!
//! The records folder stays the source of truth: everything here can be rebuilt from it.

pub mod client;
pub mod config;
pub mod outbox;
pub mod statement;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::records::seal::ClassKey;
use crate::records::store::Folder;
use crate::records::AttemptRecord;
use crate::scenario::Loaded;
use crate::scoring::Scorer;

pub use client::Client;
pub use config::LrsConfig;
pub use outbox::{Item, Outbox, Round};

/// The outbox item for one attempt: its statements built from the record file's text as filed.
pub fn item_for(rec: &AttemptRecord, record_text: &str, loaded: &Loaded, scorer: &Scorer, cfg: &LrsConfig) -> Result<Item, statement::BuildError> {
    let ctx = statement::Context { home_page: &cfg.home_page, class: cfg.class.as_deref() };
    let statements = statement::build(rec, record_text, &loaded.hash, scorer, &ctx)?;
    Ok(Item {
        registration: statement::registration(rec).to_string(),
        label: format!("{} {} {}", rec.scenario_id, rec.player.id, rec.started_at),
        statements,
        tries: 0,
        next_try: 0,
        last_error: None,
        rejected: None,
    })
}

/// Queue a record just filed at `path` (the app and `kefu play --record` call this after
/// saving): read back exactly as filed, so the statements carry the file's own text.
pub fn queue_saved(cfg: &LrsConfig, path: &Path, loaded: &Loaded, scorer: &Scorer) -> Result<(), String> {
    let text = crate::fsread::read_text(path, crate::fsread::Kind::Record).map_err(|e| format!("{}: {e}", path.display()))?;
    let rec = AttemptRecord::from_ron(path, &text).map_err(|e| e.to_string())?;
    let item = item_for(&rec, &text, loaded, scorer, cfg).map_err(|e| format!("{}: {e}", path.display()))?;
    Outbox::new(&cfg.outbox).put(&item).map_err(|e| format!("{}: {e}", cfg.outbox.display()))
}

/// [`queue_saved`] for a record filed where its scenario is not at hand (an unfinished attempt
/// filed when another starts, one filed at the next start): its scenario is looked up by id in
/// `dirs`.
pub fn queue_saved_in(cfg: &LrsConfig, path: &Path, dirs: &[PathBuf]) -> Result<(), String> {
    let text = crate::fsread::read_text(path, crate::fsread::Kind::Record).map_err(|e| format!("{}: {e}", path.display()))?;
    let rec = AttemptRecord::from_ron(path, &text).map_err(|e| e.to_string())?;
    let scan = crate::scenario::scan_scenario_files(dirs);
    let loaded = scan
        .files
        .iter()
        .filter_map(|f| crate::scenario::load_file(f).ok())
        .find(|l| l.scenario.id == rec.scenario_id)
        .ok_or_else(|| format!("{}: no scenario file for `{}`", path.display(), rec.scenario_id))?;
    queue_saved(cfg, path, &loaded, &Scorer::new(loaded.scenario.clone()))
}

/// The app's one sending thread: whether it runs, and a bell to wake it early (a new attempt
/// was queued, or the settings changed).
static SENDER: (std::sync::Mutex<Sender>, std::sync::Condvar) = (std::sync::Mutex::new(Sender { running: false, rung: Vec::new(), force: false, stop: false }), std::sync::Condvar::new());

struct Sender {
    running: bool,
    /// Settings handed over since the thread last looked (each outbox keeps its newest).
    rung: Vec<LrsConfig>,
    /// The next round sends everything now, backoff or not (a teacher asked, or fixed the settings).
    force: bool,
    /// Forget every outbox and end (sending to an LRS was turned off).
    stop: bool,
}

/// Send what waits in the configured outbox on a background thread (the app after filing an
/// attempt, when it starts, and when the teacher saves the settings). Returns at once. The thread
/// keeps going while anything waits: it sleeps until the earliest item's next try (10 s doubling to
/// an hour), so an LRS that comes back gets its statements without a new attempt or a restart;
/// a sleeping thread costs no CPU and never wakes the app. One thread at most: a later call
/// wakes it instead (with these settings for their outbox). Errors stay in the outbox for
/// `kefu lrs status`.
pub fn send_in_background(cfg: LrsConfig, force: bool) {
    let (lock, bell) = &SENDER;
    let Ok(mut state) = lock.lock() else { return };
    state.force |= force;
    state.stop = false;
    if state.running {
        state.rung.push(cfg);
        bell.notify_all();
        return;
    }
    state.running = true;
    drop(state);
    let spawned = std::thread::Builder::new().name("lrs".into()).spawn(move || sending(vec![cfg]));
    if spawned.is_err()
        && let Ok(mut state) = lock.lock()
    {
        state.running = false;
    }
}

/// Sending to an LRS was turned off: the background thread forgets its outboxes and ends (what
/// waits stays in them, for `kefu lrs status` and a later `kefu lrs send`).
pub fn stop_background() {
    let (lock, bell) = &SENDER;
    if let Ok(mut state) = lock.lock() {
        state.stop = true;
        state.rung.clear();
        bell.notify_all();
    }
}

/// Newer settings replace older ones for the same outbox.
fn merge(configs: &mut Vec<LrsConfig>, newer: Vec<LrsConfig>) {
    for c in newer {
        configs.retain(|o| o.outbox != c.outbox);
        configs.push(c);
    }
}

fn sending(mut configs: Vec<LrsConfig>) {
    let (lock, bell) = &SENDER;
    loop {
        let force = match lock.lock() {
            Ok(mut state) if state.stop => {
                state.stop = false;
                state.running = false;
                return;
            }
            Ok(mut state) => std::mem::take(&mut state.force),
            Err(_) => return,
        };
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let mut next: Option<u64> = None;
        configs.retain(|cfg| {
            let outbox = Outbox::new(&cfg.outbox);
            let _ = outbox.send(&Client::new(cfg), force);
            let (waiting, _) = outbox.waiting();
            // The earliest retry of what failed; items not tried yet (the round stopped before
            // them) go with it.
            let at = waiting.iter().filter(|(_, i)| i.tries > 0).map(|(_, i)| i.next_try).min().or_else(|| (!waiting.is_empty()).then_some(now + outbox::backoff(1)));
            next = match (next, at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            at.is_some()
        });
        let Ok(mut state) = lock.lock() else { return };
        if state.stop {
            state.stop = false;
            state.running = false;
            return;
        }
        if !state.rung.is_empty() {
            // Rung meanwhile: go again at once.
            let rung = std::mem::take(&mut state.rung);
            merge(&mut configs, rung);
            continue;
        }
        let Some(at) = next else {
            state.running = false;
            return;
        };
        // A retry time already past means the outbox could not be written: wait the first
        // backoff rather than spin.
        let wait = std::time::Duration::from_secs(if at <= now { outbox::backoff(1) } else { (at - now).min(3600) });
        let Ok((mut state, _)) = bell.wait_timeout(state, wait) else { return };
        let rung = std::mem::take(&mut state.rung);
        merge(&mut configs, rung);
        // A stop is seen at the top of the loop.
    }
}

/// Attempt records read back from attempt statements (what `kefu export --lrs` grades), one per
/// registration, each named `lrs:<registration>` and checked against the class key like a file.
pub fn records_from_statements(statements: &[Value], key: Option<&ClassKey>) -> Folder {
    let mut folder = Folder::default();
    let mut seen = std::collections::BTreeSet::new();
    let now = std::time::SystemTime::now();
    for s in statements {
        let Some(text) = statement::record_text(s) else { continue };
        let reg = s.get("context").and_then(|c| c.get("registration")).and_then(Value::as_str).unwrap_or("?");
        if !seen.insert(reg.to_string()) {
            continue;
        }
        let name = PathBuf::from(format!("lrs:{reg}"));
        match AttemptRecord::from_text_checked(&name, text, key, now) {
            Ok(rec) => folder.records.push((name, rec)),
            Err(e) => folder.set_aside.push((name, e)),
        }
    }
    folder.records.sort_by(|a, b| a.0.cmp(&b.0));
    folder
}

/// The attempt statements of these students (学号), one query per student: the `agent`
/// filter is the one every LRS indexes (Ralph's file backend ignores `verb` and `activity`
/// filters: they match nothing), and it keeps each answer to one student's statements however
/// big the school's LRS grows. The attempt verbs are picked out here.
pub fn fetch_attempts(client: &Client, home_page: &str, students: &[&str]) -> Result<Vec<Value>, String> {
    let mut all = Vec::new();
    for id in students {
        let agent = serde_json::json!({ "objectType": "Agent", "account": { "homePage": home_page, "name": id } }).to_string();
        let got = client.get_all(&[("agent", &agent)])?;
        all.extend(got.into_iter().filter(|s| s.get("verb").and_then(|v| v.get("id")).and_then(Value::as_str).is_some_and(|v| statement::ATTEMPT_VERBS.contains(&v))));
    }
    Ok(all)
}
