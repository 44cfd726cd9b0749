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
pub fn queue_saved(cfg: &LrsConfig, path: &Path, loaded: &Loaded) -> Result<(), String> {
    let text = crate::fsread::read_text(path, crate::fsread::Kind::Record).map_err(|e| format!("{}: {e}", path.display()))?;
    let rec = AttemptRecord::from_ron(path, &text).map_err(|e| e.to_string())?;
    let scorer = Scorer::new(loaded.scenario.clone());
    let item = item_for(&rec, &text, loaded, &scorer, cfg).map_err(|e| format!("{}: {e}", path.display()))?;
    Outbox::new(&cfg.outbox).put(&item).map_err(|e| format!("{}: {e}", cfg.outbox.display()))
}

/// Send what waits in the configured outbox on a background thread (the app after filing an
/// attempt, and when it starts). Returns at once; errors stay in the outbox for `kefu lrs status`.
pub fn send_in_background(cfg: LrsConfig) {
    let _ = std::thread::Builder::new().name("lrs".into()).spawn(move || {
        let _ = Outbox::new(&cfg.outbox).send(&Client::new(&cfg), false);
    });
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
