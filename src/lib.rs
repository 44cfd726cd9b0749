//! Kefu 客服实训: a role-play trainer and grading tool for the course 《物流客户服务》.
//!
//! Every top-level module (all but `app` build without Bevy). The core's layers only point
//! down: `analysis` → `scoring` → `session` → `scenario` → `fsread` → `lang`, with records,
//! roster, grades, export, lrs and sheet above them (`scripts/imports.py` checks it).
//!
//! - [`lang`]: the display language.
//! - [`scenario`]: the scenario format (model), the fast reader and loading with positioned
//!   diagnostics, validation, reachable point ranges, the rules validation and the runner share,
//!   the rubric; typed replies to `Say` nodes ([`scenario::reply`], also at [`reply`]).
//! - [`analysis`]: expert and worst paths played through the runner and scored, the map view.
//! - [`session`]: the runner: presents a node, takes an answer, refuses answers out of turn;
//!   autoplay, group turns, tables.
//! - [`scoring`]: 5S, rubric criteria, group band, total and grade, advice: a pure function of
//!   the log; the audit bots.
//! - [`records`]: attempt records (never holding a score), their durable storage, the class key
//!   and seal.
//! - [`roster`]: class files (RON) and roster CSV import: groups, leaders, members.
//! - [`grades`]: per-class grades recomputed from the records, with the teacher's entries file
//!   (ratings, overrides, which attempt counts) and the group band (the median).
//! - [`export`]: grade sheets as XLSX, CSV and Moodle CSV.
//! - [`sheet`]: a scenario as an XLSX workbook and back (`kefu sheet`).
//! - [`lrs`]: attempts as xAPI statements for a learning record store: settings, statements,
//!   outbox, HTTP client.
//! - [`fsread`]: every file the core reads goes through it: regular files only, size limits,
//!   BOM and line ends.
//! - [`cli`]: the `kefu` command.
//! - `app`: the Bevy + egui student app (feature `gui`).

pub mod lang;
pub mod scenario;
/// Typed replies are part of the scenario layer (`scenario::reply`); the old path stays.
pub use scenario::reply;
pub mod scoring;
pub mod analysis;
pub mod records;
pub mod session;
pub mod roster;
pub mod grades;
pub mod export;
pub mod sheet;
pub mod lrs;
pub mod fsread;

pub mod cli;

#[cfg(feature = "gui")]
pub mod app;

pub use scenario::{Lang, Loaded, Scenario, Text};
pub use scoring::{Report, Scorer};
pub use session::{Action, Event, Session, View};
