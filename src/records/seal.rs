//! Tamper-evident records: a keyed MAC (blake3 keyed hash) over each record file's bytes,
//! under a class key the teacher generates once and gives each lab PC, kept out of the records
//! folder. The threat model is in `docs/architecture.md` ("Records a student cannot quietly
//! change").
//!
//! A sealed record file starts with one comment line, which RON ignores:
//!
//! ```text
//! // kefu-seal v1 3fa9c2d1 6b0e…(64 hex digits)
//! AttemptRecord(
//!     …
//! ```
//!
//! The MAC covers every byte after that line, so any edit (an answer, the seed, the 学号, a
//! time, even a space) breaks it. The key id (the first 8 hex digits of a hash of the key)
//! tells a record sealed on another class's PCs from one edited here.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::AttemptRecord;
use crate::scenario::Text;

/// Environment variable naming the class key file (lab PCs whose data folder is wiped at
/// restart keep it on a network drive or a read-only system folder).
pub const KEY_ENV: &str = "KEFU_CLASS_KEY";

/// The first line of a sealed record, before the key id and the MAC.
const SEAL_PREFIX: &str = "// kefu-seal v1 ";
/// Domain separation: the MAC of a record, not of anything else made with the same key.
const CONTEXT: &[u8] = b"kefu attempt record v1\n";

/// A class key: 32 random bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct ClassKey {
    bytes: [u8; 32],
    /// The first 8 hex digits of a hash of the key (names the key without giving it away).
    pub id: String,
    /// When it was made (RFC 3339). Unsigned records started after this were written without it.
    pub created: String,
}

impl std::fmt::Debug for ClassKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClassKey").field("id", &self.id).field("created", &self.created).finish_non_exhaustive()
    }
}

/// The key file: `ClassKey(created: "…", key: "64 hex digits")`.
#[derive(Serialize, Deserialize)]
#[serde(rename = "ClassKey")]
struct KeyFile {
    created: String,
    key: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: cannot read the class key: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: not a Kefu class key file ({why}); make one with `kefu key new`")]
    Bad { path: String, why: String },
}

impl KeyError {
    pub fn message(&self, lang: crate::scenario::Lang) -> String {
        match (self, lang) {
            (KeyError::Io { path, source }, crate::scenario::Lang::Zh) => format!("{path}：无法读取班级密钥：{source}"),
            (KeyError::Bad { path, why }, crate::scenario::Lang::Zh) => format!("{path}：不是 Kefu 班级密钥文件（{why}）；用 kefu key new 生成"),
            (e, _) => e.to_string(),
        }
    }
}

fn key_id(bytes: &[u8; 32]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(b"kefu class key id\n");
    h.update(bytes);
    h.finalize().to_hex()[..8].to_string()
}

impl ClassKey {
    /// A new random key, made now.
    pub fn generate() -> ClassKey {
        ClassKey::from_bytes(rand::random::<[u8; 32]>(), super::now_rfc3339())
    }

    pub fn from_bytes(bytes: [u8; 32], created: String) -> ClassKey {
        ClassKey { id: key_id(&bytes), bytes, created }
    }

    /// The key file's text.
    pub fn to_file_text(&self) -> String {
        let hex: String = self.bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "// Kefu class key {}: lab PCs sign attempt records with it. Keep it out of the records folder\n\
             // and away from students; see docs/architecture.md.\n{}\n",
            self.id,
            ron::ser::to_string_pretty(&KeyFile { created: self.created.clone(), key: hex }, ron::ser::PrettyConfig::new().struct_names(true)).unwrap_or_default()
        )
    }

    pub fn parse(path: &Path, text: &str) -> Result<ClassKey, KeyError> {
        let bad = |why: &str| KeyError::Bad { path: path.display().to_string(), why: why.to_string() };
        let text = crate::fsread::normalize(text);
        let file: KeyFile = ron::from_str(&text).map_err(|e| bad(&crate::fsread::clip(&e.to_string())))?;
        let hex = file.key.trim();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("the key must be 64 hex digits"));
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad("the key must be 64 hex digits"))?;
        }
        Ok(ClassKey::from_bytes(bytes, file.created))
    }

    pub fn read(path: &Path) -> Result<ClassKey, KeyError> {
        let text = crate::fsread::read_text(path, crate::fsread::Kind::Entries).map_err(|source| KeyError::Io { path: path.display().to_string(), source })?;
        ClassKey::parse(path, &text)
    }

    fn mac(&self, body: &str) -> String {
        let mut h = blake3::Hasher::new_keyed(&self.bytes);
        h.update(CONTEXT);
        h.update(body.as_bytes());
        h.finalize().to_hex().to_string()
    }

    /// `body` with its seal line in front.
    pub fn seal(&self, body: &str) -> String {
        format!("{SEAL_PREFIX}{} {}\n{body}", self.id, self.mac(body))
    }
}

/// Where the class key is looked for when no `--key` is given: `$KEFU_CLASS_KEY`, else
/// `class.key` in the user's config folder (`~/.config/kefu/class.key`,
/// `%APPDATA%\kefu\config\class.key`).
pub fn default_key_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(KEY_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "kefu").map(|d| d.config_dir().join("class.key"))
}

/// The class key: from `flag` (which must exist), else `$KEFU_CLASS_KEY` (which must exist),
/// else the config folder's `class.key` if there is one. `Ok(None)`: no key set up here.
pub fn load_key(flag: Option<&Path>) -> Result<Option<ClassKey>, KeyError> {
    if let Some(p) = flag {
        return ClassKey::read(p).map(Some);
    }
    if let Some(p) = std::env::var_os(KEY_ENV).filter(|p| !p.is_empty()) {
        return ClassKey::read(Path::new(&p)).map(Some);
    }
    match default_key_path() {
        Some(p) if p.exists() => ClassKey::read(&p).map(Some),
        _ => Ok(None),
    }
}

/// What a record's seal says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Seal {
    /// Not checked: no class key where it was read.
    #[default]
    Unchecked,
    /// Sealed with the class key and unchanged since.
    Intact,
    /// No seal, and started before the class key was made (or by an older Kefu): counted, marked.
    Unsigned,
    /// No seal, though started after the class key was made: the seal line was removed or the
    /// record was written by hand. Not counted.
    Missing,
    /// Sealed with the class key, but changed since. Not counted.
    Edited,
    /// Sealed with another key (another class's PCs, or made up). Not counted.
    OtherKey(String),
}

impl Seal {
    /// The record may count towards a grade.
    pub fn counts(&self) -> bool {
        matches!(self, Seal::Unchecked | Seal::Intact | Seal::Unsigned)
    }

    /// Why it does not count (or why it is marked), for notes and `records verify`.
    pub fn describe(&self) -> Option<Text> {
        match self {
            Seal::Unchecked | Seal::Intact => None,
            Seal::Unsigned => Some(Text::new("没有签名（在设置班级密钥之前或由旧版 Kefu 写入）", "not signed (written before the class key was set up, or by an older Kefu)")),
            Seal::Missing => Some(Text::new("签名被删除：设置班级密钥之后的记录却没有签名", "signature removed: written after the class key was set up, yet not signed")),
            Seal::Edited => Some(Text::new("签名后被改动过", "changed after it was signed")),
            Seal::OtherKey(id) => Some(Text::new(format!("用别的密钥（{id}）签名：来自别的班级或是伪造的"), format!("signed with another key ({id}): from another class, or forged"))),
        }
    }
}

/// The seal line split off a record file's text (after a byte-order mark): the key id, the
/// MAC and the body it covers. `None` when the text has no seal line.
fn split_seal(text: &str) -> Option<(&str, &str, &str)> {
    let rest = text.strip_prefix(SEAL_PREFIX)?;
    let (line, body) = rest.split_once('\n')?;
    let mut words = line.split_whitespace();
    let (id, mac) = (words.next()?, words.next()?);
    Some((id, mac, body))
}

/// Check the seal of a record file's text (as read, byte-order mark removed) against `key`.
/// `started_at` decides between [`Seal::Unsigned`] and [`Seal::Missing`] for a record without one.
pub fn check(text: &str, key: Option<&ClassKey>, started_at: &str) -> Seal {
    let Some(key) = key else { return Seal::Unchecked };
    match split_seal(text) {
        Some((id, mac, body)) if id == key.id => {
            if constant_time_eq(mac.as_bytes(), key.mac(body).as_bytes()) {
                Seal::Intact
            } else {
                Seal::Edited
            }
        }
        Some((id, _, _)) => Seal::OtherKey(crate::fsread::clip(id)),
        None => match (parse_time(started_at), parse_time(&key.created)) {
            (Some(s), Some(k)) if s < k => Seal::Unsigned,
            _ => Seal::Missing,
        },
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn parse_time(s: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(s.trim()).ok()
}

/// How much later than now a record may say it started (PC clocks drift; restore cards reset them).
const CLOCK_SLACK: Duration = Duration::from_secs(24 * 3600);
/// How much more thinking time a log may claim than the wall clock between start and end.
const TIME_SLACK: Duration = Duration::from_secs(600);

/// What in a record contradicts itself, as read (replaying it against its scenario adds the
/// `finished` check, in the grades and in `records verify`).
pub fn contradictions(rec: &AttemptRecord, now: SystemTime) -> Vec<Text> {
    let mut out = Vec::new();
    let Some(start) = parse_time(&rec.started_at) else {
        out.push(Text::new(format!("开始时间“{}”无法识别", crate::fsread::clip(&rec.started_at)), format!("the start time “{}” is not a time", crate::fsread::clip(&rec.started_at))));
        return out;
    };
    if start > now + CLOCK_SLACK {
        out.push(Text::new(format!("开始时间 {} 在将来", rec.started_at), format!("it says it started in the future ({})", rec.started_at)));
    }
    let end = match &rec.ended_at {
        Some(e) => match parse_time(e) {
            Some(t) => Some(t),
            None => {
                out.push(Text::new(format!("结束时间“{}”无法识别", crate::fsread::clip(e)), format!("the end time “{}” is not a time", crate::fsread::clip(e))));
                return out;
            }
        },
        None => None,
    };
    if let Some(end) = end
        && end < start
    {
        out.push(Text::new("结束时间早于开始时间", "it ends before it starts"));
    }
    if rec.finished && rec.ended_at.is_none() {
        out.push(Text::new("标为已完成，却没有结束时间", "marked finished, but has no end time"));
    }
    if let Some(g) = &rec.group {
        out.extend(g.problems(rec.log.len()));
    }
    let thought: u64 = rec.log.iter().fold(0u64, |a, e| a.saturating_add(e.elapsed_ms));
    let wall = end.unwrap_or(now).duration_since(start).unwrap_or_default();
    if Duration::from_millis(thought) > wall + TIME_SLACK {
        out.push(Text::new(
            format!("各步用时之和（{} 秒）超过开始到结束的时间（{} 秒）", thought / 1000, wall.as_secs()),
            format!("its steps take longer ({} s) than the time from start to end ({} s)", thought / 1000, wall.as_secs()),
        ));
    }
    out
}

/// A record whose `finished` flag says something else than replaying its log.
pub fn finished_contradiction(flag: bool, replayed: bool) -> Option<Text> {
    match (flag, replayed) {
        (true, false) => Some(Text::new("标为已完成，重放却没有走到结局", "marked finished, but its answers do not reach an ending")),
        (false, true) => Some(Text::new("标为未完成，重放却已走到结局", "marked unfinished, but its answers reach an ending")),
        _ => None,
    }
}

/// A record's own seal and contradictions, checked when it was read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trust {
    pub seal: Seal,
    pub contradictions: Vec<Text>,
}

impl Trust {
    /// The record may count towards a grade.
    pub fn counts(&self) -> bool {
        self.seal.counts() && self.contradictions.is_empty()
    }

    /// Everything a teacher should know about it, in one line per problem.
    pub fn problems(&self) -> Vec<Text> {
        self.seal.describe().into_iter().chain(self.contradictions.iter().cloned()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ClassKey {
        ClassKey::from_bytes([7; 32], "2026-09-01T00:00:00Z".into())
    }

    #[test]
    fn seal_round_trip_and_every_edit_breaks_it() {
        let k = key();
        let body = "AttemptRecord(seed: 1)\n";
        let sealed = k.seal(body);
        assert_eq!(check(&sealed, Some(&k), "2026-12-01T00:00:00Z"), Seal::Intact);
        assert_eq!(check(&sealed.replace("seed: 1", "seed: 2"), Some(&k), "2026-12-01T00:00:00Z"), Seal::Edited);
        assert_eq!(check(&sealed.replace("1)", "1) "), Some(&k), "x"), Seal::Edited);
        let other = ClassKey::from_bytes([8; 32], "2026-09-01T00:00:00Z".into());
        assert_eq!(check(&other.seal(body), Some(&k), "x"), Seal::OtherKey(other.id.clone()));
        assert_eq!(check(body, Some(&k), "2026-12-01T00:00:00Z"), Seal::Missing);
        assert_eq!(check(body, Some(&k), "2026-08-01T00:00:00Z"), Seal::Unsigned);
        assert_eq!(check(body, None, "x"), Seal::Unchecked);
    }

    #[test]
    fn key_file_round_trip_and_bad_keys() {
        let k = key();
        let p = Path::new("class.key");
        let back = ClassKey::parse(p, &k.to_file_text()).expect("parses");
        assert_eq!(back, k);
        assert!(ClassKey::parse(p, "ClassKey(created: \"x\", key: \"abc\")").is_err());
        assert!(ClassKey::parse(p, "hello").is_err());
        assert_ne!(ClassKey::generate().id, ClassKey::generate().id);
    }
}
