//! Integration tests: records — durable under killed writers and many writers at once, never
//! trusted for a score, the records folder setting, and `kefu records verify`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kefu::Loaded;
use kefu::records::store::{RECORDS_ENV, read_folder, save_record};
use kefu::records::{AttemptRecord, Player, RecordError};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{Policy, play};

use crate::common::*;

pub const SAMPLE: &str = "tests/data/sample.ron";

/// A finished attempt at `loaded` by a policy, as the app would save it.
pub fn attempt(loaded: &Loaded, policy: Policy, seed: u64, id: &str, name: &str, started_at: &str) -> AttemptRecord {
    let session = play(&loaded.scenario, seed, policy).expect("autoplay reaches an ending");
    let mut r = AttemptRecord::start(&session, &loaded.hash, Player { id: id.into(), name: name.into(), group: None });
    r.sync(&session);
    r.started_at = started_at.into();
    r
}

fn kefu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kefu"));
    c.env_remove(RECORDS_ENV).env("KEFU_LANG", "en").current_dir(repo(""));
    c
}

/// Set when this test binary runs as the child writer of `a_killed_writer_leaves_no_damaged_record`.
const WRITER_ENV: &str = "KEFU_TEST_WRITER_DIR";

/// The child half of the kill test: with [`WRITER_ENV`] set (the parent sets it), save records
/// into that folder in a loop until killed. Run as an ordinary test it writes a few records
/// the same way into a folder of its own and checks that each one reads back whole.
#[test]
fn writer_child() {
    match std::env::var_os(WRITER_ENV) {
        Some(dir) => write_records(Path::new(&dir), Instant::now() + Duration::from_secs(60), u64::MAX),
        None => {
            let dir = tempfile::tempdir().expect("tempdir");
            write_records(dir.path(), Instant::now() + Duration::from_secs(60), 3);
            let folder = read_folder(dir.path(), None).expect("read");
            assert_eq!(folder.records.len(), 3, "three records written, three read back");
            assert!(folder.set_aside.is_empty(), "no damaged record: {:?}", folder.set_aside);
            let one = attempt(&load(SAMPLE), Policy::Expert, 1, "0024001", "张喆", "2026-11-23T09:00:00Z").log.len();
            for (p, r) in &folder.records {
                assert!(r.finished && r.log.len() == 41 * one, "{}: the whole log, {} of {} answers", p.display(), r.log.len(), 41 * one);
            }
            let autosave = fs::read_to_string(dir.path().join(".autosave.ron")).expect("the autosave is there");
            AttemptRecord::from_ron(Path::new(".autosave.ron"), &autosave).expect("the autosave reads back");
        }
    }
}

/// Save up to `count` records into `dir` (one long attempt, a new seed each) until `deadline`,
/// replacing the in-progress autosave after each.
fn write_records(dir: &Path, deadline: Instant, count: u64) {
    let loaded = load(SAMPLE);
    let mut rec = attempt(&loaded, Policy::Expert, 1, "0024001", "张喆", "2026-11-23T09:00:00Z");
    // A long log makes every write take a while, so the kill lands mid-write.
    let one = rec.log.clone();
    for _ in 0..40 {
        rec.log.extend(one.iter().cloned());
    }
    // Bounded, in case the parent test dies before it kills this writer.
    for i in 0..count {
        if Instant::now() > deadline {
            break;
        }
        rec.seed = i;
        save_record(dir, &rec, None).expect("save");
        // Also leave the in-progress autosave replaced over and over.
        kefu::records::store::write_atomic(&dir.join(".autosave.ron"), rec.to_ron().as_bytes()).expect("autosave");
    }
}

#[test]
fn a_killed_writer_leaves_no_damaged_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exe = std::env::current_exe().expect("test binary");
    for round in 0..3 {
        let mut child = Command::new(&exe)
            .args(["records::writer_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the writer");
        // Wait until it has written something, then kill it (SIGKILL: no clean-up runs).
        let start = Instant::now();
        let before = read_folder(dir.path(), None).expect("read").records.len();
        while read_folder(dir.path(), None).expect("read").records.len() < before + 3 && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(37 * (round + 1)));
        child.kill().expect("kill");
        child.wait().expect("reap");
    }
    let folder = read_folder(dir.path(), None).expect("read");
    assert!(folder.records.len() >= 9, "the writer wrote records before it was killed: {}", folder.records.len());
    assert!(folder.set_aside.is_empty(), "no damaged record: {:?}", folder.set_aside);
    let scorer = Scorer::new(scenario(SAMPLE));
    for (p, r) in &folder.records {
        assert!(r.finished, "{}", p.display());
        scorer.score(r.seed, &r.log[..r.log.len() / 41], &Ratings::new()).expect("each record replays");
    }
}

#[test]
fn half_written_temp_files_and_truncated_files_never_spoil_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = load(SAMPLE);
    let rec = attempt(&loaded, Policy::Expert, 3, "0024001", "张喆", "2026-11-23T09:00:00Z");
    let good = save_record(dir.path(), &rec, None).expect("save");
    let text = rec.to_ron();
    // What a writer killed mid-write leaves: its temp file, half written.
    fs::write(dir.path().join(".0123456789abcdef.tmp"), &text[..text.len() / 2]).expect("tmp");
    fs::write(dir.path().join(".x.ron.0123456789abcdef.tmp"), &text[..text.len() / 3]).expect("tmp2");
    // A file cut short by a copy to a USB stick.
    fs::write(dir.path().join("p1t3_0024002_cut.ron"), &text[..text.len() / 2]).expect("cut");
    let folder = read_folder(dir.path(), None).expect("read");
    assert_eq!(folder.records.len(), 1);
    assert_eq!(folder.records[0].0, good);
    assert_eq!(folder.set_aside.len(), 1, "only the truncated record is set aside; temp files are skipped");
    assert!(matches!(folder.set_aside[0].1, RecordError::Parse { .. }));
}

#[test]
fn a_thousand_records_from_many_writers_all_arrive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = load(SAMPLE);
    // The same player and start time everywhere: names can only differ by their random part.
    let base = attempt(&loaded, Policy::Expert, 0, "0024001", "王玥", "2026-11-23T09:00:00Z");
    let threads: Vec<_> = (0..20u64)
        .map(|t| {
            let dir = dir.path().to_path_buf();
            let mut rec = base.clone();
            std::thread::spawn(move || {
                (0..50u64)
                    .map(|i| {
                        rec.seed = t * 50 + i;
                        save_record(&dir, &rec, None).expect("save")
                    })
                    .collect::<Vec<PathBuf>>()
            })
        })
        .collect();
    let mut paths: Vec<PathBuf> = threads.into_iter().flat_map(|h| h.join().expect("writer thread")).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 1000, "a thousand distinct files");
    let folder = read_folder(dir.path(), None).expect("read");
    assert!(folder.set_aside.is_empty());
    assert_eq!(folder.records.len(), 1000);
    let mut seeds: Vec<u64> = folder.records.iter().map(|(_, r)| r.seed).collect();
    seeds.sort_unstable();
    assert_eq!(seeds, (0..1000).collect::<Vec<_>>(), "every record is there once: none overwritten");
    assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1000, "no temp files left");
}

#[test]
fn a_score_edited_into_a_record_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = load(SAMPLE);
    let rec = attempt(&loaded, Policy::Worst, 2, "0024001", "张喆", "2026-11-23T09:00:00Z");
    let scorer = Scorer::new(Arc::clone(&loaded.scenario));
    let real = scorer.score(rec.seed, &rec.log, &Ratings::new()).expect("score");
    assert_eq!(real.total, 40);

    // A student opens the file and writes in a score: records have no score field, so it is
    // ignored, and the grade is recomputed from the answers.
    let path = save_record(dir.path(), &rec, None).expect("save");
    let text = fs::read_to_string(&path).expect("read");
    assert!(!text.contains("score") && !text.contains("total"), "a record holds no score");
    let edited = text.replacen("seed:", "score: 100, total: 100, grade: \"优秀\", seed:", 1);
    fs::write(&path, edited).expect("write");
    let folder = read_folder(dir.path(), None).expect("read");
    let (_, back) = folder.records.first().expect("still readable");
    assert_eq!(back, &rec, "the added fields are dropped");
    let again = scorer.score(back.seed, &back.log, &Ratings::new()).expect("score");
    assert_eq!((again.total, again.grade.zh.as_str()), (40, real.grade.zh.as_str()));

    // Through the grade computation too: the export shows the recomputed total.
    let class = kefu::roster::load_class(&repo("tests/data/roster/class.ron")).expect("class");
    let grades = kefu::grades::compute(&class, &[loaded], &folder.records, &kefu::grades::Entries::new(&class.name), &Default::default());
    let m = grades.tasks[0].member("0024001").expect("member");
    assert_eq!(m.total, Some(40));
}

#[test]
fn the_records_folder_comes_from_the_flag_then_the_environment() {
    use kefu::records::config::{default_records_dir, records_dir};
    assert_eq!(records_dir(Some(Path::new("/srv/kefu"))), PathBuf::from("/srv/kefu"));
    if std::env::var_os(RECORDS_ENV).is_none() {
        assert_eq!(Some(records_dir(None)), default_records_dir().or(Some(PathBuf::from("records"))));
    }
    // The environment variable through the real program.
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = load(SAMPLE);
    save_record(dir.path(), &attempt(&loaded, Policy::Expert, 1, "1", "甲", "2026-11-23T09:00:00Z"), None).expect("save");
    let out = kefu().args(["records", "verify", "--scenarios", "tests/data"]).env(RECORDS_ENV, dir.path()).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
    assert!(text.contains("1 record(s): 1 finished, 0 unfinished"), "{text}");
}

#[test]
fn verify_counts_and_flags_problems() {
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = load(SAMPLE);
    let d = dir.path();
    save_record(d, &attempt(&loaded, Policy::Expert, 1, "1", "甲", "2026-11-23T09:00:00Z"), None).expect("save");
    let mut unfinished = attempt(&loaded, Policy::Expert, 2, "2", "乙", "2026-11-23T09:01:00Z");
    unfinished.log.truncate(2);
    unfinished.finished = false;
    save_record(d, &unfinished, None).expect("save");
    let mut changed = attempt(&loaded, Policy::Worst, 3, "3", "丙", "2026-11-23T09:02:00Z");
    changed.scenario_hash = "0".repeat(64);
    let changed_path = save_record(d, &changed, None).expect("save");
    let mut gone = attempt(&loaded, Policy::Expert, 4, "4", "丁", "2026-11-23T09:03:00Z");
    gone.scenario_id = "p9t9-retired".into();
    save_record(d, &gone, None).expect("save");

    let out = kefu().args(["records", "verify"]).arg(d).args(["--scenarios", "tests/data"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "nothing set aside: {text}");
    assert!(text.contains("4 record(s): 3 finished, 1 unfinished"), "{text}");
    assert!(text.contains("sample-every-kind Sample: an enquiry call: 3 (2 finished, 1 unfinished)"), "{text}");
    assert!(text.contains("1 record(s) have no scenario file"), "{text}");
    assert!(text.contains("p9t9-retired: 1"), "{text}");
    assert!(text.contains("1 record(s) were played with another version of the scenario file"), "{text}");
    assert!(text.contains(&changed_path.display().to_string()), "{text}");

    fs::write(d.join("damaged.ron"), "AttemptRecord(schema_version: 1, scenario_id: ").expect("write");
    let out = kefu().args(["records", "verify"]).arg(d).args(["--scenarios", "tests/data"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "a file was set aside: {text}");
    assert!(text.contains("1 file(s) set aside"), "{text}");
    assert!(text.contains("damaged.ron:1:"), "with where it broke: {text}");

    let out = kefu().args(["--lang", "zh", "records", "verify"]).arg(d).args(["--scenarios", "tests/data"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("已搁置 1 个无法读取的文件"), "{text}");
}
