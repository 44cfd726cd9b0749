//! Statements waiting for the LRS: one JSON file per attempt in the outbox folder, removed once
//! the LRS has them; rejected batches moved to `rejected/` with the LRS's reason. The records
//! folder stays the source of truth: an outbox lost with a wiped lab PC is rebuilt by
//! `kefu lrs push DIR`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::client::{Client, Posted};
use crate::records::store::write_atomic;

/// One attempt's statements waiting to be sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The attempt's registration (the file's name).
    pub registration: String,
    /// Who and what, for `kefu lrs status` ("p1t1-… 2024001 2026-12-03T05:00:00Z").
    pub label: String,
    pub statements: Vec<Value>,
    /// Failed tries so far.
    #[serde(default)]
    pub tries: u32,
    /// Not tried again before this time (seconds since 1970).
    #[serde(default)]
    pub next_try: u64,
    #[serde(default)]
    pub last_error: Option<Stop>,
    /// Why the LRS refused it (only in `rejected/`).
    #[serde(default)]
    pub rejected: Option<String>,
}

/// Why sending stopped: the LRS is away (it will come back), or the settings are wrong (they
/// will not fix themselves).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stop {
    Unreachable(String),
    KeyRefused { status: u16, reason: String },
    Redirected { status: u16, to: String },
    NotAnLrs(String),
}

impl Stop {
    /// The settings are wrong (not something that passes).
    pub fn is_settings(&self) -> bool {
        !matches!(self, Stop::Unreachable(_))
    }

    pub fn message(&self, lang: crate::scenario::Lang) -> String {
        use crate::scenario::Lang;
        match (self, lang) {
            (Stop::Unreachable(why), Lang::Zh) => format!("LRS 暂时连不上：{why}"),
            (Stop::Unreachable(why), Lang::En) => format!("the LRS cannot be reached: {why}"),
            (Stop::KeyRefused { status, reason }, Lang::Zh) => format!("LRS 不接受这个账号或密码（HTTP {status}：{reason}）：请核对 key 和 secret"),
            (Stop::KeyRefused { status, reason }, Lang::En) => format!("the LRS refused the key (HTTP {status}: {reason}): check key and secret"),
            (Stop::Redirected { status, to }, Lang::Zh) => format!("LRS 地址把请求转到了别处（HTTP {status} → {to}）：请把 endpoint 改成最终的地址"),
            (Stop::Redirected { status, to }, Lang::En) => format!("the LRS address redirects (HTTP {status} → {to}): set endpoint to the final address"),
            (Stop::NotAnLrs(what), Lang::Zh) => format!("这个地址的回答不是 LRS 的（{what}，也许是校园网登录页）：作答没有存进去"),
            (Stop::NotAnLrs(what), Lang::En) => format!("the answer at that address is not an LRS's ({what}; a network login page?): nothing was stored"),
        }
    }
}

/// What one round of sending did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Attempts the LRS stored now.
    pub sent: usize,
    pub statements: usize,
    /// Attempts it had already.
    pub already: usize,
    /// Attempts it has with other contents (scored before a scenario changed).
    pub differs: Vec<String>,
    /// Attempts it refused now, with why (kept in `rejected/`).
    pub rejected: Vec<(String, String)>,
    /// Attempts still waiting, and why the round stopped early (LRS down, key refused).
    pub waiting: usize,
    pub stopped: Option<Stop>,
    /// Outbox files that could not be read (left where they are).
    pub unreadable: Vec<String>,
}

pub struct Outbox {
    dir: PathBuf,
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Seconds to wait after `tries` failed tries: 10 s doubling to an hour at most.
pub fn backoff(tries: u32) -> u64 {
    10u64.saturating_mul(1u64 << tries.saturating_sub(1).min(20)).min(3600)
}

impl Outbox {
    pub fn new(dir: impl Into<PathBuf>) -> Outbox {
        Outbox { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn rejected_dir(&self) -> PathBuf {
        self.dir.join("rejected")
    }

    fn file(&self, registration: &str) -> PathBuf {
        self.dir.join(format!("{}.json", crate::records::store::safe_name(registration)))
    }

    /// Put an attempt's statements in the outbox (replacing what waits for the same attempt:
    /// a resumed attempt's newer log wins).
    pub fn put(&self, item: &Item) -> io::Result<()> {
        let bytes = serde_json::to_vec(item).map_err(io::Error::other)?;
        write_atomic(&self.file(&item.registration), &bytes)
    }

    fn read_dir(dir: &Path) -> (Vec<(PathBuf, Item)>, Vec<String>) {
        let mut items = Vec::new();
        let mut bad = Vec::new();
        let Ok(entries) = fs::read_dir(dir) else { return (items, bad) };
        let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file()).collect();
        paths.sort();
        for p in paths {
            match crate::fsread::read_text(&p, crate::fsread::Kind::Entries).map_err(|e| e.to_string()).and_then(|t| serde_json::from_str::<Item>(&t).map_err(|e| e.to_string())) {
                Ok(item) => items.push((p, item)),
                Err(e) => bad.push(format!("{}: {e}", p.display())),
            }
        }
        (items, bad)
    }

    /// What waits, oldest file name first, and files that could not be read.
    pub fn waiting(&self) -> (Vec<(PathBuf, Item)>, Vec<String>) {
        Outbox::read_dir(&self.dir)
    }

    /// What the LRS refused, with its reasons.
    pub fn rejected(&self) -> Vec<(PathBuf, Item)> {
        Outbox::read_dir(&self.rejected_dir()).0
    }

    /// Move a waiting item to `rejected/` with the LRS's answer (left waiting if that cannot be
    /// written: nothing is lost).
    fn set_aside(&self, path: &Path, mut item: Item, why: String) {
        item.rejected = Some(why);
        let target = self.rejected_dir().join(path.file_name().unwrap_or_default());
        if serde_json::to_vec(&item).map_err(io::Error::other).and_then(|b| write_atomic(&target, &b)).is_ok() {
            remove(path);
        }
    }

    /// Send what waits. `force` sends everything now (a command the teacher ran); otherwise only
    /// items whose backoff is over (the app's background sending). Stops at the first sign the
    /// LRS is down or refuses the key: the rest would fail the same way.
    pub fn send(&self, client: &Client, force: bool) -> Round {
        let (items, unreadable) = self.waiting();
        let mut round = Round { unreadable, ..Round::default() };
        let now = now_secs();
        let mut left = items.len();
        for (path, mut item) in items {
            if round.stopped.is_some() || (!force && item.next_try > now) {
                continue;
            }
            let posted = client.post(&item.statements);
            match posted {
                Posted::Stored => {
                    round.sent += 1;
                    round.statements += item.statements.len();
                    remove(&path);
                }
                Posted::AlreadyThere => {
                    round.already += 1;
                    remove(&path);
                }
                Posted::Differs(reason) => {
                    // The LRS has this attempt already, with other contents: kept beside the
                    // refused ones, so `kefu lrs status` and the settings card show it.
                    self.set_aside(&path, item.clone(), format!("HTTP 409: {reason}"));
                    round.differs.push(item.label.clone());
                }
                Posted::Rejected { status, reason } => {
                    let why = format!("HTTP {status}: {reason}");
                    self.set_aside(&path, item.clone(), why.clone());
                    round.rejected.push((item.label.clone(), why));
                }
                Posted::AuthRefused { .. } | Posted::Redirected { .. } | Posted::NotAnLrs(_) | Posted::Unreachable(_) => {
                    let stop = match posted {
                        Posted::AuthRefused { status, reason } => Stop::KeyRefused { status, reason },
                        Posted::Redirected { status, to } => Stop::Redirected { status, to },
                        Posted::NotAnLrs(what) => Stop::NotAnLrs(what),
                        Posted::Unreachable(why) => Stop::Unreachable(why),
                        _ => continue,
                    };
                    // Not again at once: an LRS that is down needs time, and wrong settings will
                    // not change by themselves.
                    item.tries = item.tries.saturating_add(1);
                    item.next_try = now.saturating_add(backoff(item.tries));
                    item.last_error = Some(stop.clone());
                    let _ = self.put(&item);
                    round.stopped = Some(stop);
                    continue;
                }
            }
            left -= 1;
        }
        round.waiting = left;
        round
    }
}

fn remove(path: &Path) {
    // Another sender (the app and a teacher's command at once) may have removed it first.
    let _ = fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_an_hour() {
        assert_eq!((backoff(1), backoff(2), backoff(3)), (10, 20, 40));
        assert_eq!(backoff(30), 3600);
        assert_eq!(backoff(u32::MAX), 3600);
    }

    #[test]
    fn items_wait_and_unreachable_keeps_them_with_a_later_try() {
        let dir = std::env::temp_dir().join(format!("kefu-outbox-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let ob = Outbox::new(&dir);
        let item = Item { registration: "r1".into(), label: "t 1".into(), statements: vec![serde_json::json!({"id": "x"})], tries: 0, next_try: 0, last_error: None, rejected: None };
        assert!(ob.put(&item).is_ok());
        let cfg = super::super::config::LrsConfig {
            endpoint: "http://127.0.0.1:9/xAPI".into(),
            key: "k".into(),
            secret: "s".into(),
            home_page: "https://s.example".into(),
            class: None,
            outbox: dir.clone(),
            timeout: std::time::Duration::from_secs(2),
            source: String::new(),
        };
        let round = ob.send(&Client::new(&cfg), true);
        assert_eq!(round.waiting, 1);
        assert!(round.stopped.is_some());
        let (waiting, bad) = ob.waiting();
        assert!(bad.is_empty());
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].1.tries, 1);
        assert!(waiting[0].1.next_try > 0 && matches!(waiting[0].1.last_error, Some(Stop::Unreachable(_))));
        // Not due yet: an unforced round leaves it alone.
        let round = ob.send(&Client::new(&cfg), false);
        assert_eq!((round.waiting, round.stopped), (1, None));
        let _ = fs::remove_dir_all(&dir);
    }
}
