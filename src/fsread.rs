//! Reading the files people hand to Kefu, defensively: only regular files (after following a
//! symlink), never more than a size limit per kind of file, and short quotes of the input in
//! error messages. Every reader in the core (scenarios, records, answers, class files and
//! rosters, teacher entries) goes through [`read_limited`], so a FIFO named `x.ron` cannot hang
//! a command, a symlink to `/dev/zero` cannot fill the memory, and a 1 GB file costs at most
//! its limit.
//!
//! The refusals travel as an [`std::io::Error`] wrapping a [`Refused`] (so the callers' error
//! types stay as they are); [`describe`] gives the message in either language.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::lang::Lang;

const MIB: u64 = 1024 * 1024;

/// The kinds of file Kefu reads, each with its size limit.
///
/// | kind | limit | why |
/// |---|---|---|
/// | scenario | 64 MiB | the largest course scenario is ~90 KB; a generated 100,000-node scenario (issue 13's scale target) is ~33 MB |
/// | record | 2 MiB | one attempt's log; a long attempt is a few KB |
/// | answers | 1 MiB | a scripted list of answers for `kefu play --answers` |
/// | class / roster | 2 MiB | a class file or roster CSV: hundreds of students take a few KB |
/// | entries | 8 MiB | the teacher's ratings for a class, every task: grows with class × tasks |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Scenario,
    Record,
    Answers,
    Roster,
    Entries,
}

/// Size limits, in bytes (see [`Kind`]).
pub const SCENARIO_LIMIT: u64 = 64 * MIB;
pub const RECORD_LIMIT: u64 = 2 * MIB;
pub const ANSWERS_LIMIT: u64 = MIB;
pub const ROSTER_LIMIT: u64 = 2 * MIB;
pub const ENTRIES_LIMIT: u64 = 8 * MIB;

/// How many characters of the reader's own input an error message may quote.
pub const QUOTE_LIMIT: usize = 80;

impl Kind {
    pub fn limit(self) -> u64 {
        match self {
            Kind::Scenario => SCENARIO_LIMIT,
            Kind::Record => RECORD_LIMIT,
            Kind::Answers => ANSWERS_LIMIT,
            Kind::Roster => ROSTER_LIMIT,
            Kind::Entries => ENTRIES_LIMIT,
        }
    }

    fn name(self) -> (&'static str, &'static str) {
        match self {
            Kind::Scenario => ("场景文件", "scenario files"),
            Kind::Record => ("作答记录", "attempt records"),
            Kind::Answers => ("答案文件", "answers files"),
            Kind::Roster => ("班级文件", "class files and rosters"),
            Kind::Entries => ("评分文件", "entries files"),
        }
    }
}

/// `4 MiB`, `512 KiB`, `100 B`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

/// Why a file was not read (not an I/O failure: the file is not something Kefu reads).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub zh: String,
    pub en: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Refused {}

impl Refused {
    fn into_io(self, kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, self)
    }
}

/// The message for an error from [`read_limited`] (or any I/O error) in the given language.
pub fn describe(e: &io::Error, lang: Lang) -> String {
    match e.get_ref().and_then(|r| r.downcast_ref::<Refused>()) {
        Some(r) => lang.pick(&r.zh, &r.en).to_string(),
        None => e.to_string(),
    }
}

fn file_type_words(ft: &std::fs::FileType) -> (&'static str, &'static str) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return ("命名管道（FIFO）", "a named pipe (FIFO)");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return ("设备文件", "a device");
        }
        if ft.is_socket() {
            return ("套接字", "a socket");
        }
    }
    if ft.is_dir() { ("文件夹", "a folder") } else { ("特殊文件", "a special file") }
}

fn not_regular(ft: &std::fs::FileType) -> io::Error {
    let (zh, en) = file_type_words(ft);
    Refused { zh: format!("不是普通文件（这是{zh}），不读取"), en: format!("not a regular file (it is {en}); not read") }
        .into_io(io::ErrorKind::InvalidInput)
}

fn too_large(kind: Kind) -> io::Error {
    let (zh, en) = kind.name();
    let limit = human_size(kind.limit());
    Refused { zh: format!("文件超过{zh}的大小上限 {limit}，不读取"), en: format!("the file is larger than the {limit} limit for {en}; not read") }
        .into_io(io::ErrorKind::InvalidData)
}

/// Read a regular file (symlinks followed) of at most `kind.limit()` bytes.
///
/// A folder, FIFO, device or socket is refused before it is opened (opening a FIFO for reading
/// would wait for a writer); a file that is or grows larger than the limit is refused after
/// reading `limit + 1` bytes at most.
pub fn read_limited(path: &Path, kind: Kind) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.file_type().is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    let limit = kind.limit();
    if meta.len() > limit {
        return Err(too_large(kind));
    }
    let file = File::open(path)?;
    // The path may have been swapped between the check and the open: check the open file too.
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(kind));
    }
    Ok(bytes)
}

/// [`read_limited`] as UTF-8 text (an invalid file is an `InvalidData` error).
pub fn read_text(path: &Path, kind: Kind) -> io::Result<String> {
    String::from_utf8(read_limited(path, kind)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Text as parsers want it: a UTF-8 byte-order mark dropped, and `\r\n` and a lone `\r` (old
/// Mac files) turned into `\n`, so line and column numbers count lines as editors show them.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') { std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")) } else { std::borrow::Cow::Borrowed(text) }
}

/// At most [`QUOTE_LIMIT`] characters of `s`, with `…` when cut (for quoting input in messages).
pub fn clip(s: &str) -> String {
    clip_to(s, QUOTE_LIMIT)
}

/// At most `n` characters of `s`, with `…` when cut.
pub fn clip_to(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_long_input() {
        assert_eq!(clip_to("abcdef", 3), "abc…");
        assert_eq!(clip_to("abc", 3), "abc");
        assert_eq!(clip_to("客服实训", 2), "客服…");
    }

    #[test]
    fn normalizes_line_endings() {
        assert_eq!(normalize("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
        assert!(matches!(normalize("a\nb"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(4 * MIB), "4 MiB");
        assert_eq!(human_size(512 * 1024), "512 KiB");
        assert_eq!(human_size(10), "10 B");
    }
}
