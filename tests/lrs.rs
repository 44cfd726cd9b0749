//! Attempts to a real learning record store (issue "School scale"): Ralph (PyPI `ralph-malph`,
//! MIT) started on loopback with its file backend. Real attempts through real scenario files are
//! pushed with `kefu lrs push`; the LRS is killed mid-push and started again; a second push and
//! `kefu lrs send` finish the job; every statement is there once, and the grade sheet built from
//! the LRS (`kefu export --lrs`) is the same file as the one built from the records folder.
//! Ralph validates each statement against xAPI 1.0.3 and refuses a malformed one, which
//! `kefu lrs send` keeps with Ralph's reason.
//!
//! Ralph is installed by `scripts/ralph-venv.sh` (`.ci/run` runs it first; this test runs it
//! when the venv is missing). Where Python is missing the test says so and skips.

use std::collections::BTreeMap;
use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use kefu::lrs::statement::{ATTEMPT_VERBS, VERB_ANSWERED};
use kefu::lrs::{Client, LrsConfig};
use kefu::records::seal::ClassKey;
use kefu::records::store::save_record;
use kefu::records::{AttemptRecord, Player};
use kefu::scoring::Scorer;
use kefu::session::autoplay::{Policy, play};

use crate::common::*;

const CLASS: &str = "tests/data/roster/class.ron";
const HOME_PAGE: &str = "https://www.school.example";
const SCENARIOS: [&str; 5] = ["scenarios/p1t1-detour-notice.ron", "scenarios/p1t3-botched-phone-call.ron", "scenarios/p2t1-collecting-customer-information.ron", "scenarios/p4t2-taking-an-order.ron", "scenarios/p1t2-front-desk-visitor.ron"];

/// The Ralph executable: `$KEFU_RALPH`, else the venv `scripts/ralph-venv.sh` makes under
/// `target/` (made now if missing). `None` (the test skips) only where Python is missing.
fn ralph_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KEFU_RALPH") {
        return Some(PathBuf::from(p));
    }
    let venv = repo("target/ralph-venv");
    let bin = venv.join("bin/ralph");
    if bin.is_file() {
        return Some(bin);
    }
    if Command::new("python3").arg("--version").output().map(|o| !o.status.success()).unwrap_or(true) {
        eprintln!("SKIPPED: the LRS end-to-end test needs Python 3 (python3) to run Ralph; it is not installed here");
        return None;
    }
    let o = Command::new("bash").arg(repo("scripts/ralph-venv.sh")).arg(&venv).output().expect("bash runs");
    assert!(o.status.success(), "scripts/ralph-venv.sh could not install Ralph (PyPI ralph-malph):\n{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    Some(bin)
}

/// A Ralph LRS on loopback, killed when dropped.
struct Ralph {
    child: Child,
}

impl Ralph {
    fn env(cmd: &mut Command, dir: &Path) {
        cmd.env("RALPH_APP_DIR", dir.join("app")).env("RALPH_AUTH_FILE", dir.join("auth.json")).env("RALPH_RUNSERVER_BACKEND", "fs").current_dir(dir);
    }

    /// Credentials `kefu` / `secret`, written once.
    fn auth(bin: &Path, dir: &Path) {
        let mut cmd = Command::new(bin);
        cmd.args(["auth", "-u", "kefu", "-p", "secret", "-s", "all", "-w", "-A", "kefu-lab", HOME_PAGE]);
        Ralph::env(&mut cmd, dir);
        let o = cmd.output().expect("ralph auth runs");
        assert!(o.status.success(), "ralph auth: {}", String::from_utf8_lossy(&o.stderr));
    }

    fn start(bin: &Path, dir: &Path, port: u16) -> Ralph {
        // Ralph's own `runserver -b fs` fails every POST after the first (its file backend
        // "creates" the file each time) and forks a reloader: scripts/ralph-lrs.py runs the same
        // app with the file appended to, in one process.
        let python = bin.with_file_name("python");
        let mut cmd = Command::new(if python.exists() { python } else { PathBuf::from("python3") });
        cmd.arg(repo("scripts/ralph-lrs.py")).arg("--data").arg(dir.join("data")).args(["--host", "127.0.0.1", "--port", &port.to_string()]);
        Ralph::env(&mut cmd, dir);
        let log = fs::File::create(dir.join(format!("ralph-{}.log", Instant::now().elapsed().as_nanos()))).expect("log");
        let child = cmd.stdin(Stdio::null()).stdout(log.try_clone().expect("log")).stderr(log).spawn().expect("ralph runserver starts");
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(60), "Ralph did not start listening on port {port} within 60 s (log in {})", dir.display());
            std::thread::sleep(Duration::from_millis(100));
        }
        // Listening is not ready: wait until Ralph answers its heartbeat (its backend checked),
        // so the test's first request does not meet a server still starting on a loaded machine.
        while !heartbeat(port) {
            assert!(start.elapsed() < Duration::from_secs(60), "Ralph did not answer its heartbeat within 60 s (log in {})", dir.display());
            std::thread::sleep(Duration::from_millis(100));
        }
        Ralph { child }
    }

    /// A fresh Ralph in `dir/ralph` with the test's credentials.
    fn fresh(bin: &Path, dir: &Path, port: u16) -> Ralph {
        let ralph_dir = dir.join("ralph");
        fs::create_dir_all(&ralph_dir).expect("mkdir");
        Ralph::auth(bin, &ralph_dir);
        Ralph::start(bin, &ralph_dir, port)
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether Ralph on `port` answers `GET /__heartbeat__` with 200.
fn heartbeat(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut c) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
    if c.write_all(format!("GET /__heartbeat__ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    c.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// The end of each Ralph log in `dir`, for a failure message (why the LRS answered as it did).
fn ralph_logs(dir: &Path) -> String {
    let mut out = String::new();
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_name().to_string_lossy().starts_with("ralph-") {
            let text = fs::read_to_string(e.path()).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            out += &format!("--- {}\n{}\n", e.path().display(), lines[lines.len().saturating_sub(60)..].join("\n"));
        }
    }
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// `kefu --lang en ARGS` with the LRS settings of `dir/kefu.toml` and nothing from this machine.
fn kefu_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kefu"));
    c.arg("--lang").arg("en").args(args).current_dir(repo(""));
    for v in ["KEFU_LANG", "KEFU_RECORDS", "KEFU_CLASS_KEY", "KEFU_LRS_ENDPOINT", "KEFU_LRS_KEY", "KEFU_LRS_SECRET", "KEFU_LRS_HOME_PAGE", "KEFU_LRS_CLASS"] {
        c.env_remove(v);
    }
    c.env("KEFU_CONFIG", dir.join("kefu.toml")).env("KEFU_LRS_OUTBOX", dir.join("outbox")).env("HOME", dir).env("XDG_CONFIG_HOME", dir.join("config")).env("XDG_DATA_HOME", dir.join("xdg-data"));
    c
}

fn kefu(dir: &Path, args: &[&str]) -> Output {
    run_guarded(&mut kefu_cmd(dir, args))
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Real attempts, signed: every student of the class plays each scenario twice (expert and
/// worst paths, two seeds), and one attempt is left unfinished.
fn file_attempts(records: &Path, key: &ClassKey) -> usize {
    let class = kefu::roster::load_any(&repo(CLASS)).expect("class");
    let mut n = 0;
    for (s, rel) in SCENARIOS.iter().take(4).enumerate() {
        let loaded = load(rel);
        for (g, group) in class.groups.iter().enumerate() {
            for (m, member) in group.members.iter().enumerate() {
                for (k, policy) in [Policy::Expert, Policy::Worst].into_iter().enumerate() {
                    let seed = (s * 100 + g * 10 + m * 2 + k) as u64;
                    let session = play(&loaded.scenario, seed, policy).expect("autoplay reaches an ending");
                    let mut rec = AttemptRecord::start(&session, &loaded.hash, Player { id: member.id.clone(), name: member.name.clone(), group: Some(group.name.clone()) });
                    rec.sync(&session);
                    rec.started_at = format!("2026-11-{:02}T0{}:{:02}:00Z", 10 + s, k + 1, g * 10 + m);
                    rec.ended_at = Some(format!("2026-11-{:02}T0{}:{:02}:59Z", 10 + s, k + 1, g * 10 + m));
                    if s == 1 && g == 0 && m == 0 && k == 1 {
                        // Left half-way: a `terminated` attempt.
                        rec.log.truncate(rec.log.len() / 2);
                        rec.finished = false;
                        rec.ended_at = None;
                    }
                    save_record(records, &rec, Some(key)).expect("record filed");
                    n += 1;
                }
            }
        }
    }
    // And 第一组 playing P1 T2 together (by role): each answer's actor is its member.
    let loaded = load("scenarios/p1t2-front-desk-visitor.ron");
    let first = &class.groups[0];
    let members: Vec<kefu::session::group::Member> = first.members.iter().map(|m| kefu::session::group::Member { id: m.id.clone(), name: m.name.clone() }).collect();
    let mut g = kefu::session::group::GroupPlay::new(first.name.clone(), members);
    let mut s = kefu::session::Session::new(loaded.scenario.clone(), 9).expect("session");
    let mut tried = kefu::session::autoplay::Tried::new();
    while !s.is_ended() {
        let ev = kefu::session::autoplay::next_event(&s, Policy::Expert, &mut tried).expect("an answer");
        let who = g.answerer(&s, &ev.action);
        s.apply(&ev).expect("taken");
        g.credit(&s, who);
    }
    let mut rec = AttemptRecord::start(&s, &loaded.hash, Player { id: g.members[0].id.clone(), name: g.members[0].name.clone(), group: Some(g.name.clone()) });
    rec.group = Some(g);
    rec.sync(&s);
    rec.started_at = "2026-11-20T09:00:00Z".into();
    rec.ended_at = Some("2026-11-20T09:30:00Z".into());
    save_record(records, &rec, Some(key)).expect("group record filed");
    n + 1
}

fn config(dir: &Path, port: u16) -> LrsConfig {
    let toml = format!("[lrs]\nendpoint = \"http://127.0.0.1:{port}/xAPI/\"\nkey = \"kefu\"\nsecret = \"secret\"\nhome_page = \"{HOME_PAGE}\"\nclass = \"物流2401班\"\ntimeout_seconds = 10\n");
    fs::write(dir.join("kefu.toml"), toml).expect("kefu.toml");
    let section = kefu::lrs::config::read_file(&dir.join("kefu.toml")).expect("reads").lrs.expect("[lrs]");
    let mut cfg = kefu::lrs::config::resolve(section, "kefu.toml", |_| None).expect("valid").expect("set");
    cfg.outbox = dir.join("outbox");
    cfg
}

/// Every statement in the LRS, by id, with how many times it is there.
fn read_back(cfg: &LrsConfig) -> BTreeMap<String, usize> {
    let client = Client::new(cfg);
    let mut ids = BTreeMap::new();
    for s in client.get_all(&[]).expect("the LRS answers") {
        assert!(s["verb"]["id"].as_str().is_some_and(|v| v == VERB_ANSWERED || ATTEMPT_VERBS.contains(&v)), "{s}");
        *ids.entry(s["id"].as_str().expect("an id").to_string()).or_insert(0) += 1;
    }
    ids
}

/// The ids `kefu` builds for the folder's attempts (what must be in the LRS, each once).
fn expected_ids(records: &Path, key: &ClassKey, cfg: &LrsConfig) -> Vec<String> {
    let folder = kefu::records::store::read_folder(records, Some(key)).expect("folder");
    let mut ids = Vec::new();
    for (path, rec) in &folder.records {
        let loaded = SCENARIOS.iter().map(|r| load(r)).find(|l| l.scenario.id == rec.scenario_id).expect("scenario");
        let scorer = Scorer::new(loaded.scenario.clone());
        let text = fs::read_to_string(path).expect("record");
        let item = kefu::lrs::item_for(rec, &text, &loaded, &scorer, cfg).expect("statements");
        ids.extend(item.statements.iter().map(|s| s["id"].as_str().expect("id").to_string()));
    }
    ids.sort();
    ids
}

#[test]
fn attempts_reach_ralph_once_through_a_crash_and_grade_the_same() {
    let Some(bin) = ralph_bin() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let records = dir.join("records");
    let key_path = dir.join("class.key");
    let o = kefu(dir, &["key", "new", "--out", key_path.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let key = ClassKey::read(&key_path).expect("key");
    let attempts = file_attempts(&records, &key);
    assert_eq!(attempts, 4 * 6 * 2 + 1);

    let port = free_port();
    let cfg = config(dir, port);
    let ralph_dir = dir.join("ralph");
    fs::create_dir_all(&ralph_dir).expect("mkdir");
    Ralph::auth(&bin, &ralph_dir);
    let mut ralph = Ralph::start(&bin, &ralph_dir, port);

    // Push, and kill the LRS as soon as its first statements are on disk.
    let key_arg = key_path.to_str().expect("utf-8");
    let records_arg = records.to_str().expect("utf-8");
    let push = kefu_cmd(dir, &["lrs", "push", records_arg, "--key", key_arg]).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("push starts");
    let store = ralph_dir.join("data/fs_lrs.jsonl");
    let start = Instant::now();
    while fs::metadata(&store).map(|m| m.len()).unwrap_or(0) == 0 {
        assert!(start.elapsed() < GUARD, "no statement reached Ralph");
        std::thread::sleep(Duration::from_millis(2));
    }
    ralph.kill();
    // Ralph's file backend appends a line per statement; a kill in the middle of a line leaves
    // half a line, which it cannot read back (HTTP 500 ever after). A real store recovers to its
    // last whole write: so does this one.
    let stored = fs::read(&store).expect("the store");
    let whole = stored.iter().rposition(|b| *b == b'\n').map_or(0, |end| end + 1);
    fs::write(&store, &stored[..whole]).expect("whole lines");
    // Ralph also rewrites a history of its reads and writes (app/history.json, bookkeeping, no
    // statements) on every request: a kill while it writes leaves half a JSON document, which
    // it cannot read back either (HTTP 500 on every request). A recovered store starts it afresh.
    let history = ralph_dir.join("app/history.json");
    if fs::read(&history).is_ok_and(|b| serde_json::from_slice::<serde_json::Value>(&b).is_err()) {
        fs::remove_file(&history).expect("a broken history removed");
    }
    let first = push.wait_with_output().expect("push ends");
    let said = text(&first);
    assert_eq!(first.status.code(), Some(1), "{said}");
    assert!(said.contains(&format!("{attempts} attempt(s) queued")), "{said}");
    assert!(said.contains("the LRS cannot be reached: ") && said.contains("wait in the outbox and will be sent later"), "{said}");

    // What waits, and why.
    let o = kefu(dir, &["lrs", "status"]);
    let status = text(&o);
    assert_eq!(o.status.code(), Some(1), "{status}");
    let waiting: usize = status.lines().find_map(|l| l.strip_prefix("waiting: ")).and_then(|l| l.split(' ').next()).and_then(|n| n.parse().ok()).expect("a waiting line");
    // Killed after its first batch was on disk: at least that one may have been stored without
    // kefu hearing back, so it waits too, and is found there when sent again.
    assert!(waiting > 0 && waiting <= attempts, "{waiting} of {attempts} waiting\n{status}");
    assert!(status.contains("tried 1 time(s), next in"), "{status}");

    // Back up: a plain send finishes the job, and a second push finds everything there.
    let ralph = Ralph::start(&bin, &ralph_dir, port);
    let o = kefu(dir, &["lrs", "send"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o), ralph_logs(&ralph_dir));
    let numbers: Vec<usize> = text(&o).split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    assert!(numbers.len() >= 3 && numbers[0] + numbers[2] == waiting, "sent + already there = waiting ({waiting}): {}", text(&o));
    let o = kefu(dir, &["lrs", "push", records_arg, "--key", key_arg]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o), ralph_logs(&ralph_dir));
    assert!(text(&o).contains(&format!("sent 0 attempt(s) (0 statements); {attempts} already in the LRS")), "{}", text(&o));
    let o = kefu(dir, &["lrs", "status"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("waiting: 0 attempt(s)"), "{}", text(&o));

    // Every statement there once: the ids the LRS holds are exactly the ones kefu makes.
    let held = read_back(&cfg);
    let twice: Vec<_> = held.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "statements stored more than once: {twice:?}");
    let expected = expected_ids(&records, &key, &cfg);
    assert_eq!(held.len(), expected.len(), "statements in the LRS, and made by kefu");
    assert!(held.keys().eq(expected.iter()), "the LRS holds exactly the statements kefu made");
    assert!(expected.len() > attempts * 3, "answers and attempts: {}", expected.len());

    // The group attempt: its answers' actors are the members who gave them, its context names
    // the team.
    let group_statements: Vec<serde_json::Value> = Client::new(&cfg).get_all(&[]).expect("all").into_iter().filter(|s| s["context"]["team"]["objectType"] == "Group").collect();
    let actors: std::collections::BTreeSet<String> = group_statements.iter().filter(|s| s["verb"]["id"] == VERB_ANSWERED).filter_map(|s| s["actor"]["account"]["name"].as_str().map(str::to_string)).collect();
    assert_eq!(actors.into_iter().collect::<Vec<_>>(), vec!["0024001", "0024002", "0024003"], "three members answered");
    assert_eq!(group_statements.iter().filter(|s| s["verb"]["id"] != VERB_ANSWERED).count(), 1);

    // The grade sheet from the LRS is the one from the folder.
    let sheet = |out: &Path, from: &[&str]| {
        let mut args = vec!["export", "--class", CLASS, "--out", out.to_str().expect("utf-8"), "--date", "2026-12-03", "--key", key_arg];
        args.extend_from_slice(from);
        let o = kefu(dir, &args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        fs::read(out).expect("sheet")
    };
    let from_folder = sheet(&dir.join("folder.csv"), &["--records", records_arg]);
    let from_lrs = sheet(&dir.join("lrs.csv"), &["--lrs"]);
    assert!(String::from_utf8_lossy(&from_folder).contains("张喆"));
    assert_eq!(String::from_utf8_lossy(&from_lrs), String::from_utf8_lossy(&from_folder));
    drop(ralph);
}

#[test]
fn ralph_refuses_a_malformed_statement_and_the_reason_is_kept() {
    let Some(bin) = ralph_bin() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let port = free_port();
    let cfg = config(dir, port);
    let ralph = Ralph::fresh(&bin, dir, port);

    // A statement with no actor, and a verb that is no IRI.
    let bad = kefu::lrs::Item {
        registration: "00000000-0000-8000-8000-000000000001".into(),
        label: "p1t1 0024001 broken".into(),
        statements: vec![serde_json::json!({ "id": "00000000-0000-8000-8000-000000000002", "verb": { "id": "answered" }, "object": { "id": "https://www.school.example/x" } })],
        tries: 0,
        next_try: 0,
        last_error: None,
        rejected: None,
    };
    kefu::lrs::Outbox::new(&cfg.outbox).put(&bad).expect("queued");
    let o = kefu(dir, &["lrs", "send"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("refused by the LRS: p1t1 0024001 broken: HTTP 4"), "{}", text(&o));
    let o = kefu(dir, &["lrs", "status"]);
    assert!(text(&o).contains("waiting: 0 attempt(s)") && text(&o).contains("refused by the LRS: 1 attempt(s)"), "{}", text(&o));
    assert!(text(&o).contains("actor"), "Ralph's reason names what is missing: {}", text(&o));
    assert!(read_back(&cfg).is_empty());
    drop(ralph);
}

/// The app's background sender keeps trying: an attempt queued while the LRS is down reaches it
/// once it is up, with no new attempt and no restart (the thread sleeps until the next try).
#[test]
fn queued_attempts_go_out_when_the_lrs_comes_back() {
    let Some(bin) = ralph_bin() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let port = free_port();
    let cfg = config(dir, port);
    let loaded = load(SCENARIOS[0]);
    let s = play(&loaded.scenario, 1, Policy::Expert).expect("autoplay");
    let mut rec = AttemptRecord::start(&s, &loaded.hash, Player { id: "0024001".into(), name: "张喆".into(), group: None });
    rec.sync(&s);
    let records = dir.join("records");
    let path = save_record(&records, &rec, None).expect("filed");
    kefu::lrs::queue_saved(&cfg, &path, &loaded, &Scorer::new(loaded.scenario.clone())).expect("queued");
    let outbox = kefu::lrs::Outbox::new(&cfg.outbox);
    let made: Vec<String> = outbox.waiting().0[0].1.statements.iter().map(|s| s["id"].as_str().expect("id").to_string()).collect();
    kefu::lrs::send_in_background(cfg.clone(), false);
    let start = Instant::now();
    while outbox.waiting().0.first().is_none_or(|(_, i)| i.tries == 0) {
        assert!(start.elapsed() < Duration::from_secs(20), "the first try fails while nothing listens");
        std::thread::sleep(Duration::from_millis(50));
    }
    let ralph = Ralph::fresh(&bin, dir, port);
    // The next try is 10 s after the failure.
    let start = Instant::now();
    while !outbox.waiting().0.is_empty() {
        assert!(start.elapsed() < Duration::from_secs(40), "sent within the backoff once the LRS answers");
        std::thread::sleep(Duration::from_millis(200));
    }
    let held = read_back(&cfg);
    let mut made = made;
    made.sort();
    assert!(held.keys().eq(made.iter()), "every statement there once");
    drop(ralph);
}
