//! Tamper-evident records (issue "Nothing crashes, nothing hangs, no grade changes unseen"):
//! every way a student was seen changing a grade — editing their own answers, forging a record,
//! another student's 学号 with a far-future start, a `finished` flag against the log, a changed
//! seed, records renamed or moved into a sub-folder — is flagged by `kefu records verify`
//! (exit 1, naming the file) and left out of the grades with a note, while honest signed
//! records and old unsigned ones keep counting. Records are made the real way: the CLI's
//! `kefu play --answers --record --player` and the store's `save_record` with the class key.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kefu::grades::{Entries, Selection, compute};
use kefu::records::seal::{ClassKey, Seal};
use kefu::records::store::{read_folder, save_record};
use kefu::records::{AttemptRecord, Player};
use kefu::roster::load_any;
use kefu::session::autoplay::{Policy, play};

use crate::common::*;
use crate::records::{SAMPLE, attempt};

const CLASS: &str = "tests/data/roster/class.ron";

/// `kefu --lang en ARGS` in the repository, with no key or records folder from the environment
/// and a config folder of its own (so no real class key on this machine is picked up).
fn kefu(args: &[&str], home: &Path) -> Output {
    run_guarded(
        Command::new(env!("CARGO_BIN_EXE_kefu"))
            .arg("--lang")
            .arg("en")
            .args(args)
            .current_dir(repo(""))
            .env_remove("KEFU_LANG")
            .env_remove("KEFU_RECORDS")
            .env_remove("KEFU_CLASS_KEY")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data")),
    )
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A class key made by `kefu key new`, read back.
fn new_key(home: &Path) -> (PathBuf, ClassKey) {
    let path = home.join("teacher/class.key");
    let o = kefu(&["key", "new", "--out", path.to_str().expect("utf-8")], home);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("made class key"), "{}", text(&o));
    let key = ClassKey::read(&path).expect("the key reads back");
    (path, key)
}

/// The answers of a policy's path through the sample, as an answers file.
fn answers_file(dir: &Path, policy: Policy, seed: u64) -> PathBuf {
    let loaded = load(SAMPLE);
    let s = play(&loaded.scenario, seed, policy).expect("autoplay");
    let p = dir.join(format!("{policy:?}-{seed}.ron"));
    fs::write(&p, ron::to_string(&s.log().to_vec()).expect("ron")).expect("write answers");
    p
}

/// The one record file of `player` in `dir`.
fn record_of(dir: &Path, player: &str) -> PathBuf {
    let found: Vec<PathBuf> = fs::read_dir(dir).expect("ls").flatten().map(|e| e.path()).filter(|p| p.to_string_lossy().contains(player)).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().expect("one")
}

fn member_total(dir: &Path, key: &ClassKey, id: &str) -> (Option<u32>, Vec<String>) {
    let class = load_any(&repo(CLASS)).expect("class");
    let folder = read_folder(dir, Some(key)).expect("folder");
    let g = compute(&class, &[load(SAMPLE)], &folder.records, &Entries::new(&class.name), &Selection::default());
    let m = g.tasks[0].member(id).expect("member");
    (m.counted.as_ref().map(|c| c.report.total), m.notes.iter().map(|n| n.get(kefu::scenario::Lang::En).to_string()).collect())
}

#[test]
fn signed_records_count_and_every_tampering_is_flagged() {
    let home = tempfile::tempdir().expect("tempdir");
    let home = home.path();
    let (key_path, key) = new_key(home);
    let key_arg = key_path.to_str().expect("utf-8");
    let records = home.join("records");
    let rec_arg = records.to_str().expect("utf-8");
    let scen = home.join("scenarios");
    fs::create_dir_all(&scen).expect("mkdir");
    fs::copy(repo(SAMPLE), scen.join("sample.ron")).expect("copy sample");
    let scen_arg = scen.to_str().expect("utf-8");

    // Two students play from the terminal, filed and signed as the app does.
    let worst = answers_file(home, Policy::Worst, 3);
    for (who, answers) in [("0024001,张喆", &worst), ("0024002,李堃", &worst)] {
        let o = kefu(&["play", SAMPLE, "--seed", "3", "--answers", answers.to_str().expect("utf-8"), "--record", rec_arg, "--player", who, "--key", key_arg], home);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(text(&o).contains("attempt filed") && text(&o).contains("(signed)"), "{}", text(&o));
    }
    let file = record_of(&records, "0024001");
    let body = fs::read_to_string(&file).expect("read");
    assert!(body.starts_with(&format!("// kefu-seal v1 {} ", key.id)), "{body}");
    let rec = AttemptRecord::read_checked(&file, Some(&key), std::time::SystemTime::now()).expect("reads");
    assert_eq!(rec.trust.seal, Seal::Intact);
    assert!(rec.finished && rec.player.name == "张喆");
    let (honest, _) = member_total(&records, &key, "0024001");
    let honest = honest.expect("counted");

    let o = kefu(&["records", "verify", rec_arg, "--scenarios", scen_arg, "--key", key_arg], home);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("no damaged, edited or misplaced record files"), "{}", text(&o));

    // 1. A student puts the expert path's answers into their own record.
    let loaded = load(SAMPLE);
    let expert = play(&loaded.scenario, 3, Policy::Expert).expect("expert");
    let mut edited = AttemptRecord::from_ron(&file, &body).expect("parses");
    edited.log = expert.log().to_vec();
    let seal_line = body.lines().next().expect("seal line");
    fs::write(&file, format!("{seal_line}\n{}", edited.to_ron())).expect("edit");
    let (after, notes) = member_total(&records, &key, "0024001");
    assert_eq!(after, None, "the edited record is not counted (it was {honest})");
    assert!(notes.iter().any(|n| n.contains("not counted") && n.contains("changed after it was signed")), "{notes:?}");

    // 2. A forged record with no seal, for a student who never played.
    let forged = attempt(&loaded, Policy::Expert, 3, "0024003", "王玥", &kefu::records::now_rfc3339());
    fs::write(records.join("p_0024003_forged.ron"), forged.to_ron()).expect("forge");
    // 3. Another student's 学号 with a far-future start ("latest attempt counts"), sealed with a made-up key.
    let mut future = attempt(&loaded, Policy::Worst, 3, "0024002", "李堃", "9999-01-01T00:00:00Z");
    future.ended_at = Some("9999-01-01T00:10:00Z".into());
    fs::write(records.join("p_0024002_future.ron"), format!("// kefu-seal v1 deadbeef {}\n{}", "0".repeat(64), future.to_ron())).expect("forge");
    // 4. A record signed with the class key (an insider, or a bug) whose `finished` flag
    // contradicts its log.
    let mut half = attempt(&loaded, Policy::Expert, 3, "0024004", "赵一", "2026-11-23T09:00:00Z");
    half.log.truncate(2);
    save_record(&records, &half, Some(&key)).expect("save");
    // 5. A changed seed.
    let seeded = record_of(&records, "0024002_2");
    let t = fs::read_to_string(&seeded).expect("read");
    fs::write(&seeded, t.replace("seed: 3,", "seed: 4,")).expect("edit seed");
    // 6. Records renamed or moved: `.RON`, a dot-file, `.bak`, a sub-folder.
    let moved = attempt(&loaded, Policy::Expert, 3, "0024005", "钱二", "2026-11-23T09:00:00Z");
    let text_moved = moved.to_file_text(Some(&key));
    fs::write(records.join("a.RON"), &text_moved).expect("write");
    fs::write(records.join(".hidden.ron"), &text_moved).expect("write");
    fs::write(records.join("b.ron.bak"), &text_moved).expect("write");
    fs::create_dir_all(records.join("old/2025")).expect("mkdir");
    fs::write(records.join("old/2025/c.ron"), &text_moved).expect("write");
    // 7. An old unsigned record from before the key: counted, marked.
    let old = attempt(&loaded, Policy::Expert, 3, "0024006", "孙三", "2020-01-01T09:00:00Z");
    fs::write(records.join("p_0024006_old.ron"), old.to_ron()).expect("write");
    // 8. The class key copied into the records folder.
    fs::copy(&key_path, records.join("class.key")).expect("copy key");

    let o = kefu(&["records", "verify", rec_arg, "--scenarios", scen_arg, "--key", key_arg], home);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("5 record(s) were edited, forged or contradict themselves"), "{out}");
    for (file, why) in [
        (file.file_name().expect("name").to_string_lossy().into_owned(), "changed after it was signed"),
        ("p_0024003_forged.ron".into(), "signature removed"),
        ("p_0024002_future.ron".into(), "signed with another key (deadbeef)"),
        ("p_0024002_future.ron".into(), "started in the future"),
        (seeded.file_name().expect("name").to_string_lossy().into_owned(), "changed after it was signed"),
    ] {
        assert!(out.lines().any(|l| l.contains(&file) && l.contains(why)), "{file}: {why}\n{out}");
    }
    assert!(out.lines().any(|l| l.contains("0024004") && l.contains("marked finished, but its answers do not reach an ending")), "{out}");
    assert!(out.contains("4 file(s) look like records but were renamed or are in a sub-folder"), "{out}");
    for f in ["a.RON", ".hidden.ron", "b.ron.bak", "c.ron"] {
        assert!(out.lines().any(|l| l.trim_end().ends_with(f)), "{f}\n{out}");
    }
    assert!(out.contains("1 record(s) are unsigned, from before the class key"), "{out}");
    assert!(out.contains("a class key is in the records folder"), "{out}");

    // The grades: nobody gains from any of it; the old unsigned record counts, marked.
    let (t3, n3) = member_total(&records, &key, "0024003");
    assert_eq!(t3, None, "a forged record never counts: {n3:?}");
    assert!(n3.iter().any(|n| n.contains("p_0024003_forged.ron") && n.contains("signature removed")), "{n3:?}");
    let (t2, n2) = member_total(&records, &key, "0024002");
    assert_eq!(t2, None, "the victim's own record was re-seeded, the forged future one flagged: {n2:?}");
    let (t4, n4) = member_total(&records, &key, "0024004");
    assert_eq!(t4, None, "{n4:?}");
    let (t5, _) = member_total(&records, &key, "0024005");
    assert_eq!(t5, None, "renamed and moved records are not counted");
    let (t6, n6) = member_total(&records, &key, "0024006");
    assert!(t6.is_some(), "an old unsigned record still counts");
    assert!(n6.iter().any(|n| n.contains("the counted record is not signed")), "{n6:?}");

    // The exported sheet says so too.
    let out_csv = home.join("grades.csv");
    let o = kefu(
        &["export", "--class", CLASS, "--scenarios", scen_arg, "--records", rec_arg, "--key", key_arg, "--date", "2026-12-02", "--out", out_csv.to_str().expect("utf-8")],
        home,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("fail their signature or contradict themselves"), "{}", text(&o));
    assert!(text(&o).contains("4 file(s) look like records"), "{}", text(&o));
    let csv = fs::read_to_string(&out_csv).expect("csv");
    assert!(csv.contains("p_0024003_forged.ron not counted"), "{csv}");
}

#[test]
fn without_a_key_nothing_is_flagged_and_verify_says_why() {
    let home = tempfile::tempdir().expect("tempdir");
    let records = home.path().join("records");
    let loaded = load(SAMPLE);
    save_record(&records, &attempt(&loaded, Policy::Expert, 1, "0024001", "张喆", "2026-11-23T09:00:00Z"), None).expect("save");
    let o = kefu(&["records", "verify", records.to_str().expect("utf-8"), "--scenarios", "tests/data"], home.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("no class key: edited records cannot be told apart"), "{}", text(&o));
    let folder = read_folder(&records, None).expect("folder");
    assert_eq!(folder.records[0].1.trust.seal, Seal::Unchecked);
}

#[test]
fn key_new_never_replaces_a_key_nor_goes_into_the_records_folder() {
    let home = tempfile::tempdir().expect("tempdir");
    let (path, key) = new_key(home.path());
    let o = kefu(&["key", "new", "--out", path.to_str().expect("utf-8")], home.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("already holds a class key and was not replaced"), "{}", text(&o));
    assert_eq!(ClassKey::read(&path).expect("still there").id, key.id);
    let o = kefu(&["key", "show", "--key", path.to_str().expect("utf-8")], home.path());
    assert!(text(&o).contains(&format!("class key {}", key.id)), "{}", text(&o));

    let records = home.path().join("records");
    fs::create_dir_all(&records).expect("mkdir");
    let o = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(["--lang", "en", "key", "new", "--out"])
        .arg(records.join("class.key"))
        .env("KEFU_RECORDS", &records)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("cannot go in the records folder"), "{}", text(&o));
    assert!(!records.join("class.key").exists());
}

#[test]
fn play_record_needs_a_player_and_refuses_a_bad_key() {
    let home = tempfile::tempdir().expect("tempdir");
    let answers = answers_file(home.path(), Policy::Expert, 1);
    let rec = home.path().join("records");
    let o = kefu(&["play", SAMPLE, "--answers", answers.to_str().expect("utf-8"), "--record", rec.to_str().expect("utf-8")], home.path());
    assert_eq!(o.status.code(), Some(2), "--record without --player is a usage error: {}", text(&o));
    let bad = home.path().join("bad.key");
    fs::write(&bad, "ClassKey(created: \"x\", key: \"12\")").expect("write");
    let o = kefu(
        &["play", SAMPLE, "--answers", answers.to_str().expect("utf-8"), "--record", rec.to_str().expect("utf-8"), "--player", "0024001", "--key", bad.to_str().expect("utf-8")],
        home.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("bad.key") && text(&o).contains("64 hex digits"), "{}", text(&o));
    assert!(!rec.exists(), "nothing filed with a broken key");
    // Without a key the attempt is filed unsigned, and the player's record holds the answers.
    let o = kefu(&["play", SAMPLE, "--seed", "1", "--answers", answers.to_str().expect("utf-8"), "--record", rec.to_str().expect("utf-8"), "--player", "0024001，张喆"], home.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("no class key: not signed"), "{}", text(&o));
    let folder = read_folder(&rec, None).expect("folder");
    let r = &folder.records[0].1;
    assert_eq!(r.player, Player { id: "0024001".into(), name: "张喆".into(), group: None });
    assert!(r.finished && r.trust.contradictions.is_empty(), "{:?}", r.trust);
    let loaded = load(SAMPLE);
    let expert = play(&loaded.scenario, 1, Policy::Expert).expect("expert");
    assert_eq!(r.log, expert.log().to_vec());
}

#[test]
fn every_single_byte_edit_of_a_sealed_record_is_caught() {
    let key = ClassKey::from_bytes([42; 32], "2026-09-01T00:00:00Z".into());
    let loaded = load(SAMPLE);
    let rec = attempt(&loaded, Policy::Expert, 5, "0024001", "张喆", "2026-11-23T09:00:00Z");
    let sealed = rec.to_file_text(Some(&key));
    assert_eq!(kefu::records::seal::check(&sealed, Some(&key), &rec.started_at), Seal::Intact);
    let bytes = sealed.as_bytes();
    let body_start = sealed.find('\n').expect("seal line") + 1;
    let mut checked = 0;
    for i in body_start..bytes.len() {
        let mut b = bytes.to_vec();
        b[i] = if b[i] == b'1' { b'2' } else { b'1' };
        let Ok(t) = String::from_utf8(b) else { continue };
        assert_ne!(kefu::records::seal::check(&t, Some(&key), &rec.started_at), Seal::Intact, "byte {i} changed unseen");
        checked += 1;
    }
    assert!(checked > 500, "{checked}");
}
