//! The hostile-input corpus in `tests/data/hostile/` (written by `scripts/hostile-corpus.py`;
//! what each file tries is in its README): every file through the command that reads it, under
//! a time limit (20 s optimised, 60 s in a debug build: `common::GUARD`). No abort, no panic, no hang; every message names the file and, where the
//! problem has a place, its line and column (or the row, for a roster, or the answer's number).

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{repo, run_guarded};

const DIR: &str = "tests/data/hostile";
/// The base scenario of the corpus, valid, with a byte-order mark and CRLF line ends.
const VALID: &str = "tests/data/hostile/scenarios/bom-and-crlf.ron";

/// `kefu --lang en ARGS` in the repository, killed and failed after `common::GUARD` (20 s optimised, 60 s debug).
fn kefu(args: &[&str]) -> Output {
    run_guarded(
        Command::new(env!("CARGO_BIN_EXE_kefu"))
            .arg("--lang")
            .arg("en")
            .args(args)
            .current_dir(repo(""))
            .env_remove("KEFU_LANG")
            .env_remove("KEFU_RECORDS")
            .env_remove("KEFU_CLASS_KEY"),
    )
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Ran to an answer: exit 0 or 1 (never 101 for a panic, nor a signal for an abort).
fn answered(o: &Output, what: &str) -> i32 {
    let code = o.status.code().unwrap_or_else(|| panic!("{what}: killed by a signal (an abort?)\n{}", text(o)));
    assert!(code == 0 || code == 1, "{what}: exit {code}\n{}", text(o));
    assert!(!text(o).contains("panicked"), "{what}: {}", text(o));
    code
}

#[test]
fn every_hostile_scenario_is_checked_with_a_located_message() {
    // (file, exit, what the message says; `None`: the file is fine)
    let cases: &[(&str, i32, Option<&str>)] = &[
        ("add-past-i64-max.ron", 0, None),
        ("bom-and-crlf.ron", 0, None),
        ("cr-only-line-ends.ron", 1, Some(":19:86: error: `ChoiceOption` has no field `nxt`")),
        ("deep-nots.ron", 0, None),
        ("deep-parens.ron", 0, None),
        ("deep-parens-unclosed.ron", 1, Some(":19:106: error: condition \"((((")),
        ("deep-ron-brackets.ron", 1, Some(":6:16: error: expected a text")),
        ("deep-ron-some.ron", 1, Some(":6:21: error: expected a text")),
        ("empty.ron", 1, Some(":1:1: error:")),
        ("huge-id-list.ron", 0, None),
        ("not-utf8.ron", 1, Some(":3:14: error: the file is not UTF-8")),
        ("nul-bytes.ron", 1, Some(":1:10: error:")),
        ("number-too-big.ron", 1, Some(":5:25: error: the number is out of range")),
        ("one-long-word.ron", 1, Some(":1:1: error:")),
        ("ring-inf.ron", 1, Some(":481:27: error: ring_seconds must be a finite number (not inf)")),
        ("tolerance-nan.ron", 1, Some(": error: tolerance must be a finite number")),
        ("unclosed-at-end.ron", 1, Some(": error: the file ends too early")),
    ];
    let on_disk = std::fs::read_dir(repo(&format!("{DIR}/scenarios"))).expect("corpus").count();
    assert_eq!(on_disk, cases.len(), "every corpus file has a case here");
    for (file, exit, says) in cases {
        let path = format!("{DIR}/scenarios/{file}");
        let o = kefu(&["check", &path]);
        assert_eq!(answered(&o, file), *exit, "{file}: {}", text(&o));
        if let Some(says) = says {
            let out = text(&o);
            assert!(out.lines().any(|l| l.starts_with(&path) && l.contains(says)), "{file}: wanted {says:?}\n{}", &out[..out.len().min(2000)]);
            assert!(out.len() < 4000, "{file}: the message quotes the file short ({} bytes)", out.len());
        }
    }
    // The whole folder at once: every file named, as JSON too.
    let o = kefu(&["check", &format!("{DIR}/scenarios"), "--json"]);
    assert_eq!(answered(&o, "folder"), 1);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let s = json.to_string();
    for (file, _, says) in cases {
        if says.is_some() {
            assert!(s.contains(file), "{file} missing from the folder's JSON");
        }
    }
    // Analysis of the deep and huge files that check clean.
    for file in ["add-past-i64-max.ron", "deep-nots.ron", "deep-parens.ron", "huge-id-list.ron"] {
        let o = kefu(&["analyze", &format!("{DIR}/scenarios/{file}")]);
        assert_eq!(answered(&o, file), 0, "{file}: {}", text(&o));
    }
}

#[test]
fn every_hostile_answers_file_is_played_or_refused_by_name() {
    let cases: &[(&str, i32, &str)] = &[
        ("bom.ron", 0, "Total 90"),
        // u64::MAX thinking time: saturated, never "within time" (69 rather than 90).
        ("elapsed-u64-max.ron", 0, "Total 69"),
        ("elapsed-too-big.ron", 1, "elapsed-too-big.ron:1:33: Integer is out of bounds"),
        ("deep.ron", 1, "deep.ron:1:2: "),
        ("unknown-option.ron", 1, "unknown-option.ron: answer 2: node `pick` has no option `nope`"),
        ("wrong-node.ron", 1, "wrong-node.ron: answer 1: the action was meant for node `pick`"),
    ];
    assert_eq!(std::fs::read_dir(repo(&format!("{DIR}/answers"))).expect("corpus").count(), cases.len());
    for (file, exit, says) in cases {
        let o = kefu(&["play", VALID, "--seed", "1", "--answers", &format!("{DIR}/answers/{file}")]);
        assert_eq!(answered(&o, file), *exit, "{file}: {}", text(&o));
        assert!(text(&o).contains(says), "{file}: wanted {says:?}\n{}", text(&o));
    }
}

#[test]
fn every_hostile_roster_and_entries_file_is_read_or_refused_by_row() {
    let scen = tempfile::tempdir().expect("tempdir");
    std::fs::copy(repo(VALID), scen.path().join("hostile.ron")).expect("copy");
    let records = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    let sheet = out.path().join("grades.xlsx");
    let export = |class: &str, entries: Option<&str>| {
        let mut args = vec!["export", "--class", class, "--scenarios", scen.path().to_str().expect("utf-8"), "--records", records.path().to_str().expect("utf-8")];
        args.extend(["--out", sheet.to_str().expect("utf-8"), "--date", "2026-12-02"]);
        if let Some(e) = entries {
            args.extend(["--entries", e]);
        }
        kefu(&args)
    };
    let rosters: &[(&str, i32, &str)] = &[
        ("formula-injection.csv", 0, "2 student(s)"),
        // 40,000 characters: more than an XLSX cell holds; clipped, the sheet written.
        ("long-name.csv", 0, "1 student(s)"),
        ("not-utf8-not-gbk.csv", 1, "not-utf8-not-gbk.csv: the file is not valid UTF-16 text"),
        ("unclosed-quote.csv", 1, "unclosed-quote.csv: row 3: a quote \" opened in this row is never closed"),
    ];
    assert_eq!(std::fs::read_dir(repo(&format!("{DIR}/rosters"))).expect("corpus").count(), rosters.len());
    for (file, exit, says) in rosters {
        let o = export(&format!("{DIR}/rosters/{file}"), None);
        assert_eq!(answered(&o, file), *exit, "{file}: {}", text(&o));
        assert!(text(&o).contains(says), "{file}: wanted {says:?}\n{}", text(&o));
    }
    let entries: &[(&str, i32, &str)] = &[
        ("points-u32-max.ron", 0, "4294967295 points is outside every band (40-70); counted as 70"),
        ("points-too-big.ron", 1, "points-too-big.ron:1:77: not a valid entries file"),
    ];
    assert_eq!(std::fs::read_dir(repo(&format!("{DIR}/entries"))).expect("corpus").count(), entries.len());
    for (file, exit, says) in entries {
        let o = export("tests/data/roster/class.ron", Some(&format!("{DIR}/entries/{file}")));
        assert_eq!(answered(&o, file), *exit, "{file}: {}", text(&o));
        assert!(text(&o).contains(says), "{file}: wanted {says:?}\n{}", text(&o));
    }
    assert!(Path::new(&sheet).exists());
}
