//! Reading scenario files: bytes → `Scenario`, with syntax errors as diagnostics.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::diag::{self, Diagnostic, Severity};
use super::model::Scenario;
use super::source_map::{Pos, SourceMap};

/// A scenario read from a file, with what is needed to point into it.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub scenario: Arc<Scenario>,
    pub path: PathBuf,
    /// blake3 of the file's bytes, hex; records keep it to notice edited scenarios.
    pub hash: String,
    /// The text, kept to place diagnostics; the position map is built on first use only
    /// (a clean file never pays for it).
    source: Arc<str>,
    map: Arc<OnceLock<SourceMap>>,
}

impl Loaded {
    /// Where each value sits in the file.
    pub fn map(&self) -> &SourceMap {
        self.map.get_or_init(|| SourceMap::new(self.source.clone()))
    }
}

/// The blake3 content hash used in records.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// RON as teachers write it: `Line(id: …)` without double brackets, and `speaker: "x"`
/// without `Some(…)` (both spellings are accepted).
pub fn ron_options() -> ron::Options {
    use ron::extensions::Extensions;
    // The recursion limit is what keeps 100,000 nested `(` from overflowing the stack: past it
    // RON stops with `ExceededRecursionLimit`, reported as `too-deep` with its line and column.
    ron::Options::default()
        .with_default_extension(Extensions::UNWRAP_VARIANT_NEWTYPES | Extensions::IMPLICIT_SOME)
        .with_recursion_limit(diag::RON_DEPTH)
}

/// Parse scenario text. `path` is only used in messages.
pub fn load_str(path: &Path, src: &str) -> Result<Loaded, Diagnostic> {
    // BOM dropped, CR LF and old-Mac CR-only line ends made LF: RON, the diagnostics and the
    // source map then all count lines the way editors show them.
    let text = crate::fsread::normalize(src);
    let text: &str = &text;
    // A large file's hash is computed on a thread of its own while the file is scanned for its
    // split point and parsed (the scan runs alone otherwise).
    let (hash, parsed) = std::thread::scope(|s| {
        let ahead = if src.len() >= SPLIT_MIN_BYTES { std::thread::Builder::new().name("hash".into()).spawn_scoped(s, || content_hash(src.as_bytes())).ok() } else { None };
        // The fast reader first (it takes the plain RON teachers write and gives up on
        // anything else); `ron` for the rest, and for every mistake's message.
        let parsed: Result<Scenario, Diagnostic> = match parse_fast(text).or_else(|| parse_split(text)) {
            Some(sc) => Ok(sc),
            None => ron_options().from_str(text).map_err(|e| diag::from_ron(path, text, &e)),
        };
        let hash = ahead.and_then(|h| h.join().ok()).unwrap_or_else(|| content_hash(src.as_bytes()));
        (hash, parsed)
    });
    let mut scenario = parsed?;
    scenario.reindex();
    Ok(Loaded {
        scenario: Arc::new(scenario),
        path: path.to_path_buf(),
        hash,
        source: Arc::from(text),
        map: Arc::new(OnceLock::new()),
    })
}

/// Below this size a file is parsed in one piece (two threads cost more than they save).
const SPLIT_MIN_BYTES: usize = 1 << 20;

/// The scenario read by the fast reader ([`super::fastron`]); a large file's `nodes` in two
/// halves, one on a second thread. `None` when the reader gives up (then `ron` reads the file).
fn parse_fast(text: &str) -> Option<Scenario> {
    use super::fastron::from_str;
    if text.len() < SPLIT_MIN_BYTES {
        return from_str(text).ok();
    }
    match split_point(text) {
        Some(cut) => in_halves(text, cut, |first| from_str(first).ok(), |second| from_str(second).ok()),
        None => from_str(text).ok(),
    }
}

/// The scenario read in two halves cut at `(comma, close)` ([`split_point`]): the file with its
/// `nodes` list closed after the comma's element by `head`, the rest of the nodes as a list of
/// their own by `tail` on a second thread (with a big stack, as the main thread's, for RON's
/// recursion). `None` when either half does not read.
fn in_halves(text: &str, (comma, close): (usize, usize), head: impl FnOnce(&str) -> Option<Scenario>, tail: impl FnOnce(&str) -> Option<Vec<super::model::Node>> + Send) -> Option<Scenario> {
    let (first, second) = halves(text, comma, close);
    let (head, tail) = std::thread::scope(|s| {
        let h = std::thread::Builder::new().name("parse".into()).stack_size(16 << 20).spawn_scoped(s, || tail(&second)).ok();
        let head = head(&first);
        (head, h.and_then(|h| h.join().ok()).flatten())
    });
    let mut sc = head?;
    sc.nodes.extend(tail?);
    Some(sc)
}

/// The file with its `nodes` list cut after the element ending at `comma`, and the rest of
/// the nodes as a list of their own.
fn halves(text: &str, comma: usize, close: usize) -> (String, String) {
    let mut first = String::with_capacity(comma + text.len() - close);
    first.push_str(&text[..comma]);
    first.push_str(&text[close..]);
    let mut second = String::with_capacity(close - comma + 1);
    second.push('[');
    second.push_str(&text[comma + 1..close]);
    second.push(']');
    (first, second)
}

/// A large scenario's `nodes` list parsed in two halves, one on a second thread (RON's parse is
/// most of the time a large file takes). `None` when the file is small, its shape is not the
/// plain `Scenario(…, nodes: […], …)` this looks for, or either half fails to parse: the caller
/// then parses the whole text in one piece, so errors and their positions are RON's own, exactly
/// as before. On success the scenario is the one a whole parse gives (the same nodes in order).
fn parse_split(text: &str) -> Option<Scenario> {
    if text.len() < SPLIT_MIN_BYTES {
        return None;
    }
    // In the whole file the nodes sit one level deeper (inside `Scenario(…)`), hence the lower
    // limit for the second half: it parses here only if it would there.
    in_halves(text, split_point(text)?, |first| ron_options().from_str(first).ok(), |second| ron_options().with_recursion_limit(diag::RON_DEPTH - 1).from_str(second).ok())
}

/// Where to cut the top-level `nodes: [ … ]` list: the byte index of a comma between two of its
/// elements near the middle, and of the list's closing `]`. A small scanner that knows RON's
/// strings, raw strings and (nested) comments; anything it is unsure of (attributes, character
/// literals, an unbalanced bracket) gives `None`, and the file is parsed whole.
fn split_point(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut depth = 0usize;
    // Depth-1 identifier last seen (a field name), and the list's `[` once found.
    let mut last_ident: Option<(usize, usize)> = None;
    let mut open: Option<usize> = None;
    let mut commas: Vec<usize> = Vec::new();
    let mut after_comma_value = false;
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    while i < n {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => i = text[i..].find('\n').map_or(n, |k| i + k),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut nest = 0usize;
                loop {
                    if i + 1 >= n {
                        return None;
                    }
                    if b[i] == b'/' && b[i + 1] == b'*' {
                        nest += 1;
                        i += 2;
                    } else if b[i] == b'*' && b[i + 1] == b'/' {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => {
                // The closing quote: the next `"` after an even run of backslashes (`\\` is one
                // escaped backslash, `\"` an escaped quote).
                let mut j = i + 1;
                loop {
                    let q = j + text[j..].find('"')?;
                    let run = b[i + 1..q].iter().rev().take_while(|&&c| c == b'\\').count();
                    j = q + 1;
                    if run % 2 == 0 {
                        break;
                    }
                }
                i = j;
                after_comma_value |= open.is_some() && depth == 2;
            }
            b'\'' | b'#' => return None,
            b'(' | b'[' | b'{' => {
                if depth == 1 && c == b'[' && open.is_none() {
                    // `nodes: [` — the field name, then `:`, right before.
                    let before = text[..i].trim_end();
                    if let Some((s, e)) = last_ident
                        && before.ends_with(':')
                        && text[e..before.len() - 1].trim().is_empty()
                        && &text[s..e] == "nodes"
                    {
                        open = Some(i);
                    }
                }
                after_comma_value |= open.is_some() && depth == 2;
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 1
                    && let Some(o) = open
                {
                    if c != b']' {
                        return None;
                    }
                    // The last comma followed by an element (not a trailing comma), nearest the middle.
                    if !after_comma_value {
                        commas.pop();
                    }
                    let mid = o + (i - o) / 2;
                    let k = commas.partition_point(|&x| x < mid);
                    let pick = commas.get(k).or_else(|| commas.last()).copied()?;
                    return Some((pick, i));
                }
                i += 1;
            }
            b',' => {
                if open.is_some() && depth == 2 {
                    // An empty element (`[, x]`, `x,,y`) is RON's to report.
                    if !after_comma_value {
                        return None;
                    }
                    commas.push(i);
                    after_comma_value = false;
                }
                i += 1;
            }
            _ if is_ident(c) => {
                let s = i;
                while i < n && is_ident(b[i]) {
                    i += 1;
                }
                // Raw strings (`r"…"`, `r#"…"#`, `br"…"`) and raw identifiers: leave them to RON.
                if matches!(&text[s..i], "r" | "br") && matches!(b.get(i), Some(b'"' | b'#')) {
                    return None;
                }
                if depth == 1 {
                    last_ident = Some((s, i));
                }
                after_comma_value |= open.is_some() && depth == 2;
            }
            _ => {
                after_comma_value |= open.is_some() && depth == 2;
                i += 1;
            }
        }
    }
    None
}

/// Read and parse a scenario file.
pub fn load_file(path: &Path) -> Result<Loaded, Diagnostic> {
    let bytes = crate::fsread::read_limited(path, crate::fsread::Kind::Scenario).map_err(|e| {
        Diagnostic::new(
            Severity::Error,
            "io",
            path,
            Pos { line: 1, col: 1 },
            format!("无法读取文件：{}", crate::fsread::describe(&e, crate::scenario::Lang::Zh)),
            format!("cannot read the file: {}", crate::fsread::describe(&e, crate::scenario::Lang::En)),
        )
    })?;
    let src = String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(before);
        let line = 1 + text.matches('\n').count();
        let col = 1 + text.rsplit('\n').next().map_or(0, |l| l.chars().count());
        Diagnostic::new(
            Severity::Error,
            "not-utf8",
            path,
            Pos { line, col },
            "文件不是 UTF-8 编码：请在编辑器中“另存为”并选择 UTF-8 编码".into(),
            "the file is not UTF-8: use “Save as” in your editor and choose UTF-8".into(),
        )
    })?;
    load_str(path, &src)
}

/// What a search for scenario files found.
#[derive(Debug, Default)]
pub struct Found {
    /// Every `.ron` file, sorted; each real file once (symlinks and repeated arguments resolved).
    pub files: Vec<PathBuf>,
    /// Folders that could not be read (a warning each, naming the folder); the rest was searched.
    pub problems: Vec<Diagnostic>,
}

/// Every `.ron` file under the given files and folders, sorted, recursively; unreadable
/// sub-folders are skipped (see [`scan_scenario_files`] to hear about them). Symlinks are
/// followed, but no folder is entered twice, so a link to `.` cannot loop.
pub fn find_scenario_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    for p in paths {
        if p.is_dir() {
            // The folder asked for must be readable; unreadable folders inside it are skipped.
            std::fs::read_dir(p)?;
        }
    }
    Ok(scan_scenario_files(paths).files)
}

/// Every `.ron` file under the given files and folders, sorted, each real file once, and a
/// warning for each folder that could not be read.
pub fn scan_scenario_files(paths: &[PathBuf]) -> Found {
    let mut found = Found::default();
    let mut seen_dirs = HashSet::new();
    let mut candidates = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut seen_dirs, &mut candidates, &mut found.problems);
        } else {
            // A missing file is reported by the loader with its name.
            candidates.push(p.clone());
        }
    }
    candidates.sort();
    candidates.dedup();
    // One real file through two names (a symlink, a folder given twice) is checked once, under
    // the first name in sort order.
    let mut seen_files = HashSet::new();
    for c in candidates {
        let again = std::fs::canonicalize(&c).is_ok_and(|real| !seen_files.insert(real));
        if !again {
            found.files.push(c);
        }
    }
    found
}

fn unreadable(dir: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Severity::Warning,
        "unreadable-folder",
        dir,
        Pos { line: 1, col: 1 },
        format!("无法读取这个文件夹，其中的场景文件没有检查：{e}"),
        format!("cannot read this folder; the scenario files in it were not checked: {e}"),
    )
}

fn walk(dir: &Path, seen: &mut HashSet<PathBuf>, out: &mut Vec<PathBuf>, problems: &mut Vec<Diagnostic>) {
    // An explicit stack (no recursion on folder depth); a folder reached again (a symlink to `.`
    // or to a parent) is not entered twice.
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        match std::fs::canonicalize(&d) {
            Ok(real) => {
                if !seen.insert(real) {
                    continue;
                }
            }
            Err(e) => {
                problems.push(unreadable(&d, &e));
                continue;
            }
        }
        let entries = match std::fs::read_dir(&d) {
            Ok(rd) => rd,
            Err(e) => {
                problems.push(unreadable(&d, &e));
                continue;
            }
        };
        let mut paths = Vec::new();
        let mut broken = None;
        for entry in entries {
            match entry {
                Ok(e) => paths.push(e.path()),
                Err(e) => {
                    broken = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = broken {
            problems.push(unreadable(&d, &e));
            continue;
        }
        paths.sort();
        // Sub-folders in reverse so that they are taken in sorted order.
        for path in paths.iter().rev() {
            if path.is_dir() {
                todo.push(path.clone());
            }
        }
        out.extend(paths.into_iter().filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e == "ron")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario over the split size, with strings, escapes and comments that hold brackets,
    /// commas and quotes.
    fn big(extra: &str) -> String {
        let mut s = String::from("// head, [ ( \"\nScenario(id: \"big\", title: \"t, [x]\", course: (project: 1, task: 1), situation: \"s\",\nroles: [(id: \"agent\", name: \"a\", played_by: Student)],\nnodes: [\n");
        let mut i = 0;
        while s.len() < SPLIT_MIN_BYTES + 4096 {
            s.push_str(&format!("Line(id: \"n{i}\", text: \"说 \\\"]),\\\\\", next: \"n{}\"), /* ], ( /* nested \" */ */\n", i + 1));
            i += 1;
        }
        s.push_str(extra);
        s.push_str(&format!("Ending(id: \"n{i}\", outcome: \"完成\"),\n],\nstart: \"n0\")\n"));
        s
    }

    #[test]
    fn a_large_file_parses_in_halves_as_in_one_piece() {
        let text = big("");
        assert!(split_point(&text).is_some());
        let whole: Scenario = ron_options().from_str(&text).expect("parses");
        let split = parse_split(&text).expect("splits");
        assert_eq!(serde_json::to_string(&whole).ok(), serde_json::to_string(&split).ok());
        assert_eq!(split.nodes.len(), whole.nodes.len());
    }

    #[test]
    fn an_error_in_a_large_file_is_placed_as_in_one_piece() {
        for extra in ["Line(id: \"bad\", text: 5, next: \"x\"),\n", ",\n", "Line(id: \"q\", text: \"unclosed),\n"] {
            let text = big(extra);
            let e = ron_options().from_str::<Scenario>(&text).expect_err("fails");
            let want = diag::from_ron(Path::new("t.ron"), &text, &e);
            assert!(parse_split(&text).is_none());
            let got = load_str(Path::new("t.ron"), &text).expect_err("fails");
            assert_eq!(format!("{got:?}"), format!("{want:?}"));
        }
    }
}
