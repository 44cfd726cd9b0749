//! Kefu 客服实训: a role-play trainer and grading tool for the course 《物流客户服务》.
//!
//! The core has no Bevy in it: [`scenario`] (model, load, validate, analyse), [`session`]
//! (the runner), [`scoring`], [`records`]. The student app lives in `app` behind the `gui`
//! feature; the `kefu` command-line tool in `cli`.

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
