//! Hostile files and folders (issue "Nothing crashes, nothing hangs"): symlink loops, FIFOs,
//! devices, huge files, unreadable folders, a BOM in an answers file, old-Mac line ends, a
//! 100,000-character word. Each case is built in a temporary folder at test time; the CLI runs
//! under a time guard (`common::GUARD`) so a hang fails the test instead of stalling the run.

use std::io::Write;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use kefu::fsread::{self, Kind};
use kefu::records::AttemptRecord;
use kefu::scenario::{check_file, scan_scenario_files};

use crate::common::{repo, run_guarded};

/// Run `kefu --lang en ARGS` in `cwd`, killed and failed after `common::GUARD` (20 s optimised, 60 s debug).
fn kefu(args: &[&str], cwd: &Path) -> Output {
    run_guarded(
        Command::new(env!("CARGO_BIN_EXE_kefu"))
            .arg("--lang")
            .arg("en")
            .args(args)
            .current_dir(cwd)
            .env_remove("KEFU_LANG")
            .env_remove("KEFU_RECORDS")
            .env_remove("KEFU_CLASS_KEY"),
    )
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn sample_text() -> String {
    std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read sample")
}

/// A FIFO at `path`, or `false` (with a note) where `mkfifo` is missing.
fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        _ => {
            println!("note: mkfifo not available; FIFO case skipped");
            false
        }
    }
}

/// A file of `len` bytes of `a`.
fn big_file(path: &Path, len: u64) {
    let mut f = std::fs::File::create(path).expect("create");
    let chunk = vec![b'a'; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len() as u64);
        f.write_all(&chunk[..n as usize]).expect("write");
        left -= n;
    }
}

#[test]
fn symlink_loops_end_and_each_real_file_is_checked_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("ok.ron"), sample_text()).expect("write");
    symlink(".", d.join("a")).expect("link a");
    symlink(".", d.join("b")).expect("link b");
    std::fs::create_dir(d.join("sub")).expect("mkdir");
    symlink("..", d.join("sub/up")).expect("link up");
    // A second name for the same file, and the folder given twice.
    symlink("ok.ron", d.join("same.ron")).expect("link file");

    let found = scan_scenario_files(&[d.to_path_buf(), d.join("a")]);
    assert_eq!(found.files, vec![d.join("ok.ron")]);
    assert!(found.problems.is_empty(), "{:?}", found.problems);

    let o = kefu(&["check", "."], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(text(&o), "checked 1 file(s): 0 error(s), 0 warning(s)\n");

    // The same walk behind `records verify` and `export --scenarios`.
    std::fs::create_dir(d.join("records")).expect("mkdir");
    let o = kefu(&["records", "verify", "records", "--scenarios", "."], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_fifo_is_refused_by_name_without_waiting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("ok.ron"), sample_text()).expect("write");
    if !mkfifo(&d.join("x.ron")) {
        return;
    }
    let fifo_msg = "not a regular file (it is a named pipe (FIFO)); not read";

    let o = kefu(&["check", "."], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(text(&o), format!("./x.ron:1:1: error: cannot read the file: {fifo_msg} [io]\nchecked 2 file(s): 1 error(s), 0 warning(s)\n"));

    // Library: the diagnostic in both languages.
    let (_, ds) = check_file(&d.join("x.ron"));
    assert_eq!(ds.len(), 1);
    assert_eq!((ds[0].code, ds[0].line, ds[0].col), ("io", 1, 1));
    assert_eq!(ds[0].message.zh, "无法读取文件：不是普通文件（这是命名管道（FIFO）），不读取");

    // A FIFO as a record: set aside, the rest read.
    std::fs::create_dir(d.join("records")).expect("mkdir");
    assert!(mkfifo(&d.join("records/r.ron")));
    let o = kefu(&["records", "verify", "records", "--scenarios", "none"], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains(&format!("  records/r.ron: cannot read: {fifo_msg}\n")), "{}", text(&o));

    // As the answers file.
    let o = kefu(&["play", "ok.ron", "--seed", "2", "--answers", "x.ron"], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains(&format!("x.ron: {fifo_msg}")), "{}", text(&o));

    // As the class file of an export, and as a scenario under --scenarios.
    let o = kefu(&["export", "--class", "x.ron", "--records", "records", "--out", "g.csv", "--scenarios", "."], d);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains(&format!("x.ron: cannot read: {fifo_msg}")), "{}", text(&o));
}

#[test]
fn files_over_the_limit_and_devices_are_refused_with_the_limit_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    big_file(&d.join("big.ron"), fsread::SCENARIO_LIMIT + 1);
    symlink("/dev/zero", d.join("zero.ron")).expect("link");

    let o = kefu(&["check", "big.ron", "zero.ron"], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        text(&o),
        "big.ron:1:1: error: cannot read the file: the file is larger than the 64 MiB limit for scenario files; not read [io]\n\
         zero.ron:1:1: error: cannot read the file: not a regular file (it is a device); not read [io]\n\
         checked 2 file(s): 2 error(s), 0 warning(s)\n"
    );
    let (_, ds) = check_file(&d.join("big.ron"));
    assert_eq!(ds[0].message.zh, "无法读取文件：文件超过场景文件的大小上限 64 MiB，不读取");

    // Exactly at the limit is read; one byte more is not (answers: 1 MiB).
    big_file(&d.join("a.ron"), fsread::ANSWERS_LIMIT);
    assert_eq!(fsread::read_limited(&d.join("a.ron"), Kind::Answers).expect("at the limit").len() as u64, fsread::ANSWERS_LIMIT);
    big_file(&d.join("a.ron"), fsread::ANSWERS_LIMIT + 1);
    let e = fsread::read_limited(&d.join("a.ron"), Kind::Answers).expect_err("over the limit");
    assert_eq!(e.to_string(), "the file is larger than the 1 MiB limit for answers files; not read");
    std::fs::write(d.join("s.ron"), sample_text()).expect("write");
    let o = kefu(&["play", "s.ron", "--seed", "2", "--answers", "a.ron"], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("a.ron: the file is larger than the 1 MiB limit for answers files; not read"), "{}", text(&o));

    // A record over its 2 MiB, and one that is /dev/zero.
    big_file(&d.join("r.ron"), fsread::RECORD_LIMIT + 1);
    let e = AttemptRecord::read(&d.join("r.ron")).expect_err("too big");
    assert_eq!(e.to_string(), format!("{}: cannot read: the file is larger than the 2 MiB limit for attempt records; not read", d.join("r.ron").display()));
    let e = AttemptRecord::read(&d.join("zero.ron")).expect_err("device");
    assert_eq!(e.to_string(), format!("{}: cannot read: not a regular file (it is a device); not read", d.join("zero.ron").display()));

    // A class file through /dev/zero, in Chinese.
    let e = kefu::roster::load_any(&d.join("zero.ron")).expect_err("device");
    assert_eq!(e.render(kefu::Lang::Zh), format!("{}: 无法读取：不是普通文件（这是设备文件），不读取", d.join("zero.ron").display()));
}

/// `kefu --lang en check .` in `d` as user `nobody` (through `setpriv`, from a copy of the
/// binary that user can run), for when the tests run as root; `None` without `setpriv`.
fn check_as_nobody(d: &Path) -> Option<Output> {
    let bin = d.join("kefu-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_kefu"), &bin).ok()?;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).ok()?;
    let o = Command::new("setpriv")
        .args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(&bin)
        .args(["--lang", "en", "check", "."])
        .current_dir(d)
        .env_remove("KEFU_LANG")
        .stdin(Stdio::null())
        .output()
        .ok();
    let _ = std::fs::remove_file(&bin);
    o.filter(|o| o.status.code().is_some_and(|c| c < 100))
}

#[test]
fn an_unreadable_folder_is_named_and_the_rest_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::write(d.join("ok.ron"), sample_text()).expect("write");
    let locked = d.join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::write(locked.join("hidden.ron"), sample_text()).expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let root = std::fs::read_dir(&locked).is_ok();
    let result = std::panic::catch_unwind(|| {
        let o = if root {
            // Root reads a chmod 000 folder: run the binary as `nobody` where that is possible.
            match check_as_nobody(d) {
                Some(o) => o,
                None => {
                    println!("note: running as root without setpriv; unreadable-folder case skipped");
                    return;
                }
            }
        } else {
            kefu(&["check", "."], d)
        };
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert_eq!(
            text(&o),
            "./locked:1:1: warning: cannot read this folder; the scenario files in it were not checked: Permission denied (os error 13) [unreadable-folder]\n\
             checked 1 file(s): 0 error(s), 1 warning(s)\n"
        );
        if !root {
            let found = scan_scenario_files(&[d.to_path_buf()]);
            assert_eq!(found.files, vec![d.join("ok.ron")]);
            assert_eq!(found.problems.len(), 1);
            assert_eq!((found.problems[0].code, &found.problems[0].file), ("unreadable-folder", &locked));
        }
    });
    // Readable again, so the temporary folder can be removed.
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

#[test]
fn an_answers_file_with_a_bom_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let answers = "\u{feff}[\r\n(action: Pickup, elapsed_ms: 7000),\r\n(node: \"greet\", action: Choose(\"hello\")),\r\n]\r\n";
    std::fs::write(d.join("a.ron"), answers).expect("write");
    let o = kefu(&["play", &repo("tests/data/sample.ron").display().to_string(), "--seed", "2", "--answers", "a.ron", "--json"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(v["total"].is_u64(), "{v}");
}

/// (code, line, col) of every diagnostic of the file.
fn positions(path: &Path) -> Vec<(&'static str, usize, usize)> {
    check_file(path).1.iter().map(|d| (d.code, d.line, d.col)).collect()
}

#[test]
fn old_mac_and_windows_line_ends_keep_line_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let broken = sample_text().replacen("next: \"greet\"", "next: \"gret\"", 1);
    let line = 1 + broken[..broken.find("\"gret\"").expect("gret")].matches('\n').count();
    let write = |name: &str, s: &str| -> PathBuf {
        let p = d.join(name);
        std::fs::write(&p, s).expect("write");
        p
    };
    let lf = positions(&write("lf.ron", &broken));
    assert_eq!(lf.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(), vec![("unknown-target", line)]);
    assert!(line > 1);
    assert_eq!(positions(&write("cr.ron", &broken.replace('\n', "\r"))), lf);
    assert_eq!(positions(&write("crlf.ron", &broken.replace('\n', "\r\n"))), lf);

    // A syntax error (a missing comma) after old-Mac line ends: the right line too.
    let syntax = "Scenario(\r    id: \"x\"\r    title: \"t\",\r)";
    assert_eq!(positions(&write("syn.ron", syntax)), vec![("syntax", 2, 12)]);
    // The scenario's hash is still of the bytes as written (records compare it).
    let cr = kefu::scenario::load_file(&d.join("cr.ron")).expect("loads");
    assert_eq!(cr.hash, kefu::scenario::content_hash(broken.replace('\n', "\r").as_bytes()));
}

#[test]
fn a_huge_word_is_quoted_short() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("word.ron");
    std::fs::write(&p, "a".repeat(100_000)).expect("write");
    let (_, ds) = check_file(&p);
    assert_eq!(ds.len(), 1);
    let found = format!("Expected struct `Scenario` but found `{}", "a".repeat(100_000));
    let clipped: String = found.chars().take(fsread::QUOTE_LIMIT).collect();
    assert_eq!(ds[0].message.en.as_deref(), Some(format!("syntax error: {clipped}…").as_str()));
    assert!(ds[0].message.zh.chars().count() < 100, "{}", ds[0].message.zh);
}
