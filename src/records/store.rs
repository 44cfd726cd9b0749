//! Durable record files: atomic writes (temp file in the same folder, synced, renamed without
//! overwriting), unique names so many lab PCs can share one network folder, and folder reading
//! that sets damaged files aside instead of failing.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::seal::ClassKey;
use super::{AttemptRecord, RecordError};

/// Environment variable naming the records folder (school PCs with restore cards need a
/// network folder).
pub const RECORDS_ENV: &str = "KEFU_RECORDS";

/// Letters, digits, `-` and `_` only; anything else becomes `_` (student ids can hold anything).
pub fn safe_name(s: &str) -> String {
    let out: String = s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).take(40).collect();
    if out.is_empty() { "_".into() } else { out }
}

fn random_suffix() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Write `bytes` to `path` atomically: a reader sees the old file or the new one, never half.
/// Replaces an existing file (used for the in-progress autosave).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("kefu"), random_suffix()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Write `bytes` as a new file at `path`, failing with `AlreadyExists` rather than replacing.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp", random_suffix()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        // A hard link never replaces an existing file; where the file system has no links
        // (some network shares), check and rename instead.
        match fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            Err(_) if path.exists() => Err(io::Error::new(io::ErrorKind::AlreadyExists, "file exists")),
            Err(_) => fs::rename(&tmp, path),
        }
    })();
    let _ = fs::remove_file(&tmp);
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    result
}

/// Save a finished (or abandoned) attempt as a new file with a unique name, sealed with the
/// class key when there is one; returns its path.
pub fn save_record(dir: &Path, record: &AttemptRecord, key: Option<&ClassKey>) -> io::Result<PathBuf> {
    save_text(dir, record, &record.to_file_text(key))
}

/// Save `text` (a record file's whole text, as [`save_record`] makes it or as it was found) as
/// a new file named after `record`.
pub fn save_text(dir: &Path, record: &AttemptRecord, text: &str) -> io::Result<PathBuf> {
    let stamp: String = record.started_at.chars().filter(char::is_ascii_digit).take(14).collect();
    for _ in 0..8 {
        let name = format!("{}_{}_{}_{}.ron", safe_name(&record.scenario_id), safe_name(&record.player.id), stamp, &random_suffix()[..8]);
        let path = dir.join(name);
        match write_new_file(&path, text.as_bytes()) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "could not find a free file name"))
}

/// What reading a records folder found.
#[derive(Debug, Default)]
pub struct Folder {
    /// Every record, each with its [`AttemptRecord::trust`] filled in (whether it may count is
    /// for the grades to decide; nothing is dropped here).
    pub records: Vec<(PathBuf, AttemptRecord)>,
    /// Files that could not be read or parsed, with why; they never block the rest.
    pub set_aside: Vec<(PathBuf, RecordError)>,
    /// Files that look like records but are not where records count: renamed (`.RON`, `.bak`,
    /// a dot-file) or in a sub-folder. Listed for the teacher, never counted.
    pub strays: Vec<PathBuf>,
    /// A class key file found in the records folder, where every student can read it.
    pub exposed_keys: Vec<PathBuf>,
}

impl Folder {
    /// Records whose seal or times say they must not count.
    pub fn distrusted(&self) -> impl Iterator<Item = &(PathBuf, AttemptRecord)> {
        self.records.iter().filter(|(_, r)| !r.trust.counts())
    }

    /// Anything here a teacher should look at (what `kefu records verify` exits 1 for, apart
    /// from replaying the records).
    pub fn needs_a_look(&self) -> bool {
        !self.set_aside.is_empty() || !self.strays.is_empty() || !self.exposed_keys.is_empty() || self.distrusted().next().is_some()
    }
}

/// How deep [`read_folder`] looks into sub-folders for misplaced records.
const STRAY_DEPTH: usize = 3;
/// How many entries it looks at in all, so a huge tree cannot stall it.
const STRAY_ENTRIES: usize = 20_000;

/// A counted record file: `*.ron` at the top of the folder, not a dot-file.
fn is_record_name(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "ron") && !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// Our own temporary files (`.<hex>.tmp`, `.<name>.<hex>.tmp`): in flight, not misplaced.
fn is_temp_name(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') && n.ends_with(".tmp"))
}

/// What the first bytes of a file say it is.
fn sniff(p: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = [0u8; 512];
    let n = File::open(p).and_then(|f| f.take(512).read(&mut head)).ok()?;
    let head = String::from_utf8_lossy(&head[..n]);
    if head.contains("AttemptRecord(") || head.contains("kefu-seal") {
        Some("record")
    } else if head.contains("ClassKey(") || head.contains("Kefu class key") {
        Some("key")
    } else {
        None
    }
}

/// Read every `*.ron` record in `dir` (temp files skipped), sorted by file name, checking each
/// one's seal against `key` (see [`super::seal`]). Files elsewhere in the folder and up to
/// three sub-folders deep that look like records are listed in [`Folder::strays`]; symbolic
/// links are not followed there.
pub fn read_folder(dir: &Path, key: Option<&ClassKey>) -> io::Result<Folder> {
    let now = std::time::SystemTime::now();
    let mut folder = Folder::default();
    let mut paths = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    let mut seen = 0usize;
    while let Some((d, depth)) = stack.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if depth == 0 => return Err(e),
            Err(_) => continue,
        };
        for e in entries.flatten() {
            seen += 1;
            if seen > STRAY_ENTRIES {
                break;
            }
            let p = e.path();
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() {
                if depth < STRAY_DEPTH {
                    stack.push((p, depth + 1));
                }
                continue;
            }
            if depth == 0 && is_record_name(&p) {
                paths.push(p);
                continue;
            }
            if !t.is_file() || is_temp_name(&p) {
                continue;
            }
            match sniff(&p) {
                Some("record") => folder.strays.push(p),
                Some("key") => folder.exposed_keys.push(p),
                _ => {}
            }
        }
    }
    paths.sort();
    folder.strays.sort();
    folder.exposed_keys.sort();
    for p in paths {
        match AttemptRecord::read_checked(&p, key, now) {
            Ok(r) => folder.records.push((p, r)),
            Err(e) => folder.set_aside.push((p, e)),
        }
    }
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{Player, SCHEMA_VERSION};

    fn record(id: &str) -> AttemptRecord {
        AttemptRecord {
            schema_version: SCHEMA_VERSION,
            scenario_id: "p1t3".into(),
            scenario_hash: "abc".into(),
            seed: 7,
            player: Player { id: id.into(), name: "王玥".into(), group: None },
            started_at: "2026-11-23T09:00:00Z".into(),
            ended_at: None,
            finished: false,
            exam_mode: false,
            log: Vec::new(),
            group: None,
            app: "test".into(),
            trust: Default::default(),
        }
    }

    #[test]
    fn saves_unique_files_and_reads_them_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = save_record(dir.path(), &record("2024001"), None).expect("save a");
        let b = save_record(dir.path(), &record("2024001"), None).expect("save b");
        assert_ne!(a, b, "same player and start time still get two files");
        fs::write(dir.path().join("broken.ron"), "AttemptRecord(schema_version: ").expect("write");
        let f = read_folder(dir.path(), None).expect("read");
        assert_eq!(f.records.len(), 2);
        assert_eq!(f.set_aside.len(), 1);
        assert_eq!(f.records[0].1.player.name, "王玥");
    }

    #[test]
    fn write_new_file_never_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("x.ron");
        write_new_file(&p, b"first").expect("first");
        let e = write_new_file(&p, b"second").expect_err("must not overwrite");
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&p).expect("read"), b"first");
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1, "no temp file left behind");
    }

    #[test]
    fn write_atomic_replaces_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("current.ron");
        write_atomic(&p, b"one").expect("one");
        write_atomic(&p, b"two").expect("two");
        assert_eq!(fs::read(&p).expect("read"), b"two");
    }

    #[test]
    fn newer_records_are_set_aside_with_a_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut r = record("1");
        r.schema_version = SCHEMA_VERSION + 1;
        fs::write(dir.path().join("new.ron"), r.to_ron()).expect("write");
        let f = read_folder(dir.path(), None).expect("read");
        assert!(matches!(f.set_aside[0].1, RecordError::TooNew { .. }));
    }

    #[test]
    fn safe_names_drop_path_tricks() {
        assert_eq!(safe_name("../a b/王"), "___a_b__");
    }
}
