//! Attempt records: who played what, with which seed, and every answer. Never the score:
//! scores are recomputed from the log with the current scenario file.

pub mod config;
pub mod seal;
pub mod store;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::session::{Event, Session};

/// The newest record format: this program reads every version up to it.
///
/// - 1: the log of answers and hints.
/// - 2: the log may hold practice retries (`Retry(…)`, issue 10).
///
/// A record is written with the lowest version that holds its log ([`schema_for`]): an attempt
/// without retries stays version 1, so older Kefu on other lab PCs sharing the records folder
/// still read it.
pub const SCHEMA_VERSION: u32 = 3;

/// The lowest record format that holds `log` (and a group, when there is one).
///
/// - 3: a group attempt (`group`, issue 16).
pub fn schema_for(log: &[Event]) -> u32 {
    if log.iter().any(|e| matches!(e.action, crate::session::Action::Retry(_))) { 2 } else { 1 }
}

/// Who played.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Player {
    /// 学号.
    pub id: String,
    /// 姓名.
    pub name: String,
    #[serde(default)]
    pub group: Option<String>,
}

/// One attempt at one scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptRecord {
    pub schema_version: u32,
    pub scenario_id: String,
    /// blake3 of the scenario file when the attempt was played.
    pub scenario_hash: String,
    pub seed: u64,
    pub player: Player,
    /// RFC 3339, UTC.
    pub started_at: String,
    #[serde(default)]
    pub ended_at: Option<String>,
    #[serde(default)]
    pub finished: bool,
    /// Feedback was held back until the end (exam mode).
    #[serde(default)]
    pub exam_mode: bool,
    pub log: Vec<Event>,
    /// A group attempt (issue 16): the group, its members in turn order, who gave each entry
    /// and the decisions passed to a teammate. `player` is then the member who signed the group
    /// in. None for a solo attempt (every older record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<crate::session::group::GroupPlay>,
    /// Which program wrote it.
    #[serde(default)]
    pub app: String,
    /// What its seal and its own times said when it was read (not written to the file).
    #[serde(skip)]
    pub trust: seal::Trust,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}:{line}:{col}: not a valid attempt record: {message}")]
    Parse { path: String, line: usize, col: usize, message: String },
    #[error("{path}: written by a newer Kefu (record format {found}, this program reads up to {SCHEMA_VERSION})")]
    TooNew { path: String, found: u32 },
}

/// The current time as RFC 3339 (UTC, seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

impl AttemptRecord {
    /// A new record for a session that is starting now.
    pub fn start(session: &Session, scenario_hash: &str, player: Player) -> AttemptRecord {
        AttemptRecord {
            schema_version: schema_for(session.log()),
            scenario_id: session.scenario().id.clone(),
            scenario_hash: scenario_hash.to_string(),
            seed: session.seed(),
            player,
            started_at: now_rfc3339(),
            ended_at: None,
            finished: false,
            exam_mode: false,
            log: Vec::new(),
            group: None,
            app: format!("kefu {}", env!("CARGO_PKG_VERSION")),
            trust: seal::Trust::default(),
        }
    }

    /// Bring the log up to date with the session (after every answer).
    pub fn sync(&mut self, session: &Session) {
        self.log = session.log().to_vec();
        self.schema_version = self.schema_version.max(schema_for(&self.log)).max(if self.group.is_some() { 3 } else { 1 });
        if session.is_ended() && !self.finished {
            self.finished = true;
            self.ended_at = Some(now_rfc3339());
        }
    }

    pub fn to_ron(&self) -> String {
        let cfg = ron::ser::PrettyConfig::new().depth_limit(2).struct_names(true);
        ron::ser::to_string_pretty(self, cfg).unwrap_or_else(|e| format!("// could not write: {e}"))
    }

    /// The file's text: sealed with `key` when the class has one (see [`seal`]).
    pub fn to_file_text(&self, key: Option<&seal::ClassKey>) -> String {
        let body = self.to_ron();
        match key {
            Some(k) => k.seal(&body),
            None => body,
        }
    }

    pub fn from_ron(path: &Path, text: &str) -> Result<AttemptRecord, RecordError> {
        let rec: AttemptRecord = ron::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|e| RecordError::Parse {
            path: path.display().to_string(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: crate::fsread::clip(&e.code.to_string()),
        })?;
        if rec.schema_version > SCHEMA_VERSION {
            return Err(RecordError::TooNew { path: path.display().to_string(), found: rec.schema_version });
        }
        Ok(rec)
    }

    pub fn read(path: &Path) -> Result<AttemptRecord, RecordError> {
        AttemptRecord::read_checked(path, None, std::time::SystemTime::now())
    }

    /// Read a record and check its seal against `key` and its times against `now`
    /// ([`AttemptRecord::trust`]).
    pub fn read_checked(path: &Path, key: Option<&seal::ClassKey>, now: std::time::SystemTime) -> Result<AttemptRecord, RecordError> {
        let text = crate::fsread::read_text(path, crate::fsread::Kind::Record).map_err(|source| RecordError::Io { path: path.display().to_string(), source })?;
        AttemptRecord::from_text_checked(path, &text, key, now)
    }

    /// [`AttemptRecord::read_checked`] for a record file's text that came from elsewhere (a
    /// learning record store keeps the whole text, seal and all): `path` only names it.
    pub fn from_text_checked(path: &Path, text: &str, key: Option<&seal::ClassKey>, now: std::time::SystemTime) -> Result<AttemptRecord, RecordError> {
        let mut rec = AttemptRecord::from_ron(path, text)?;
        let raw = text.strip_prefix('\u{feff}').unwrap_or(text);
        rec.trust = seal::Trust { seal: seal::check(raw, key, &rec.started_at), contradictions: seal::contradictions(&rec, now) };
        Ok(rec)
    }
}
