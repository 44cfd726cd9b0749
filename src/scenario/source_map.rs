//! Where each value sits in a RON file, by path (`nodes[3].options[1].next`), so validation
//! messages can give a line and column. RON's own parser keeps no positions after parsing.
//!
//! Built in two steps so that a large file with one warning costs one quick pass, not a map of
//! every value (a 100,000-node file has millions): the first pass records the values down to
//! [`TOP_DEPTH`] levels (the file's fields, the items of its lists) with the byte span of each
//! deepest one; a path below one of those is looked up by mapping that one value's text, once,
//! on first use. Positions are kept as byte offsets and turned into line and column on lookup.
//! Nothing recurses deeper than [`MAX_DEPTH`], whatever the text.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Levels of values the first pass records: the root (0), its fields (1), their items (2).
const TOP_DEPTH: usize = 2;

/// Deeper than any scenario RON reads (its recursion limit is 128).
const MAX_DEPTH: usize = 256;

/// Every this many bytes the count of characters before is kept, so a column on a very long
/// line is counted from the nearest mark, not from the line's start.
const CHUNK: usize = 4096;

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Byte offset of the value's first token.
    at: usize,
    /// Where the value ends, for a value whose inside the pass did not walk.
    end: Option<usize>,
}

type Paths = HashMap<String, Entry>;

pub struct SourceMap {
    src: Arc<str>,
    /// Byte offset where each line starts.
    lines: Vec<usize>,
    /// Characters in `src[..k * CHUNK]`, for each `k`.
    chars_before: Vec<usize>,
    top: Paths,
    /// The values below `top`'s deepest ones, mapped on first use, by the path of that value.
    inner: Mutex<HashMap<String, Arc<Paths>>>,
}

impl std::fmt::Debug for SourceMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceMap").field("bytes", &self.src.len()).field("top", &self.top.len()).finish_non_exhaustive()
    }
}

impl SourceMap {
    /// Map a RON text. Best effort: on text that does not parse, what was seen is kept.
    pub fn build(src: &str) -> SourceMap {
        SourceMap::new(Arc::from(src))
    }

    /// Map a RON text held in an `Arc` (no copy).
    pub fn new(src: Arc<str>) -> SourceMap {
        let bytes = src.as_bytes();
        let mut lines = vec![0];
        lines.extend(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1));
        let mut chars_before = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut n = 0;
        for chunk in bytes.chunks(CHUNK) {
            chars_before.push(n);
            n += char_starts(chunk);
        }
        chars_before.push(n);
        let top = Builder::new(&src, 0, src.len(), TOP_DEPTH).run("");
        SourceMap { lines, chars_before, top, inner: Mutex::new(HashMap::new()), src }
    }

    /// Position of `path`, or of its nearest recorded parent.
    pub fn pos(&self, path: &str) -> Pos {
        match self.find(path, false).or_else(|| self.top.get("").map(|e| e.at)) {
            Some(at) => self.pos_at(at),
            None => Pos { line: 1, col: 1 },
        }
    }

    /// Exact position of `path` if it was written in the file.
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.find(path, true).map(|at| self.pos_at(at))
    }

    /// Byte offset of `path` (or, unless `exact`, of its nearest recorded parent).
    fn find(&self, path: &str, exact: bool) -> Option<usize> {
        if let Some(e) = self.top.get(path) {
            return Some(e.at);
        }
        let mut p = path;
        loop {
            p = &p[..p.rfind(['.', '['])?];
            let Some(e) = self.top.get(p) else { continue };
            let Some(end) = e.end else { return if exact { None } else { Some(e.at) } };
            let sub = self.inner(p, e.at, end);
            if let Some(x) = sub.get(path) {
                return Some(x.at);
            }
            if exact {
                return None;
            }
            let mut q = path;
            while let Some(i) = q.rfind(['.', '[']) {
                q = &q[..i];
                if q.len() <= p.len() {
                    break;
                }
                if let Some(x) = sub.get(q) {
                    return Some(x.at);
                }
            }
            return Some(e.at);
        }
    }

    /// The paths inside the value at `path` (spanning `at..end`), mapped once.
    fn inner(&self, path: &str, at: usize, end: usize) -> Arc<Paths> {
        let mut cache = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = cache.get(path) {
            return m.clone();
        }
        let m = Arc::new(Builder::new(&self.src, at, end, usize::MAX).run(path));
        cache.insert(path.to_string(), m.clone());
        m
    }

    fn pos_at(&self, at: usize) -> Pos {
        let at = at.min(self.src.len());
        let line = self.lines.partition_point(|&s| s <= at).max(1);
        let start = self.lines[line - 1];
        Pos { line, col: self.chars_to(at) - self.chars_to(start) + 1 }
    }

    /// Characters in `src[..at]`.
    fn chars_to(&self, at: usize) -> usize {
        let k = at / CHUNK;
        self.chars_before.get(k).copied().unwrap_or(0) + char_starts(self.src.as_bytes().get(k * CHUNK..at).unwrap_or(&[]))
    }
}

/// Characters starting in `bytes` (UTF-8 continuation bytes do not start one).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Str,
    Ident,
    Other,
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

/// RON tokens of `src[i..end]`, as much as the map needs: strings, identifiers, brackets and
/// separators, and anything else as one opaque token. Never fails.
struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    end: usize,
}

fn is_punct(c: u8) -> bool {
    b"()[]{}:,#!".contains(&c)
}

impl<'a> Lexer<'a> {
    fn byte(&self, k: usize) -> Option<u8> {
        let j = self.i + k;
        if j < self.end { Some(self.b[j]) } else { None }
    }

    /// The character at `i` (the lexer only stops on character boundaries outside strings).
    fn ch(&self) -> Option<char> {
        self.src.get(self.i..self.end).and_then(|s| s.chars().next())
    }

    fn skip_char(&mut self) {
        let n = self.ch().map_or(1, char::len_utf8);
        self.i = (self.i + n).min(self.end);
    }

    fn next(&mut self) -> Option<Tok> {
        loop {
            let c = self.byte(0)?;
            let start = self.i;
            let kind = if c == b'/' && self.byte(1) == Some(b'/') {
                while self.byte(0).is_some_and(|c| c != b'\n') {
                    self.i += 1;
                }
                continue;
            } else if c == b'/' && self.byte(1) == Some(b'*') {
                let mut depth = 0usize;
                while self.byte(0).is_some() {
                    if self.byte(0) == Some(b'/') && self.byte(1) == Some(b'*') {
                        depth += 1;
                        self.i += 1;
                    } else if self.byte(0) == Some(b'*') && self.byte(1) == Some(b'/') {
                        depth -= 1;
                        self.i += 1;
                        if depth == 0 {
                            self.i += 1;
                            break;
                        }
                    }
                    self.i += 1;
                }
                self.i = self.i.min(self.end);
                continue;
            } else if c == b'"' {
                self.i += 1;
                while let Some(c) = self.byte(0) {
                    if c == b'"' {
                        self.i += 1;
                        break;
                    }
                    self.i += if c == b'\\' && self.byte(1).is_some() { 2 } else { 1 };
                }
                Kind::Str
            } else if c == b'r' && matches!(self.byte(1), Some(b'"' | b'#')) {
                self.i += 1;
                let mut hashes = 0;
                while self.byte(0) == Some(b'#') {
                    hashes += 1;
                    self.i += 1;
                }
                if self.byte(0).is_some() {
                    self.i += 1;
                }
                while self.byte(0).is_some() {
                    if self.byte(0) == Some(b'"') && (1..=hashes).all(|k| self.byte(k) == Some(b'#')) {
                        self.i += hashes + 1;
                        break;
                    }
                    self.i += 1;
                }
                Kind::Str
            } else if is_punct(c) {
                self.i += 1;
                Kind::Punct(c)
            } else {
                let Some(ch) = self.ch() else {
                    // Not on a character boundary (cannot happen on a `str`): step over the byte.
                    self.i += 1;
                    continue;
                };
                if ch.is_whitespace() {
                    self.skip_char();
                    continue;
                }
                if ch.is_alphabetic() || ch == '_' {
                    while self.ch().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        self.skip_char();
                    }
                    Kind::Ident
                } else {
                    while self.ch().is_some_and(|c| !c.is_whitespace() && !"()[]{}:,\"".contains(c)) {
                        self.skip_char();
                    }
                    Kind::Other
                }
            };
            return Some(Tok { kind, start, end: self.i });
        }
    }
}

/// Walks the tokens and records each value's path.
struct Builder<'a> {
    lex: Lexer<'a>,
    ahead: VecDeque<Tok>,
    /// End of the last token taken.
    last_end: usize,
    /// Tokens taken so far.
    taken: usize,
    map: Paths,
    /// Keys in the order they were first recorded (to revisit only what a value added).
    order: Vec<String>,
    /// How many values deep the walk is: past `MAX_DEPTH` a value is skipped without recursing
    /// (RON itself refuses such files; this keeps the map safe on any text).
    depth: usize,
    /// Values this many levels down are recorded with their span and not entered.
    limit: usize,
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() { field.to_string() } else { format!("{path}.{field}") }
}

impl<'a> Builder<'a> {
    fn new(src: &'a str, from: usize, to: usize, limit: usize) -> Builder<'a> {
        let to = to.min(src.len());
        let lex = Lexer { src, b: src.as_bytes(), i: from.min(to), end: to };
        Builder { lex, ahead: VecDeque::new(), last_end: from, taken: 0, map: HashMap::new(), order: Vec::new(), depth: 0, limit }
    }

    fn run(mut self, path: &str) -> Paths {
        self.value(path.to_string(), 0);
        self.map
    }

    fn record(&mut self, path: String, entry: Entry) -> bool {
        match self.map.entry(path) {
            std::collections::hash_map::Entry::Vacant(e) => {
                self.order.push(e.key().clone());
                e.insert(entry);
                true
            }
            std::collections::hash_map::Entry::Occupied(_) => false,
        }
    }

    fn peek_tok(&mut self, k: usize) -> Option<Tok> {
        while self.ahead.len() <= k {
            let t = self.lex.next()?;
            self.ahead.push_back(t);
        }
        self.ahead.get(k).copied()
    }

    fn peek(&mut self, k: usize) -> Option<Kind> {
        self.peek_tok(k).map(|t| t.kind)
    }

    fn punct(&mut self, k: usize, c: u8) -> bool {
        self.peek(k) == Some(Kind::Punct(c))
    }

    fn text(&self, t: Tok) -> &'a str {
        self.lex.src.get(t.start..t.end).unwrap_or("")
    }

    /// Takes one token (none at the end).
    fn bump(&mut self) {
        if self.peek_tok(0).is_some()
            && let Some(t) = self.ahead.pop_front()
        {
            self.last_end = t.end;
            self.taken += 1;
        }
    }

    fn at_end(&mut self) -> bool {
        self.peek_tok(0).is_none()
    }

    /// The value at the current token, `d` levels down.
    fn value(&mut self, path: String, d: usize) {
        // Skip inner attributes like #![enable(implicit_some)].
        while self.punct(0, b'#') {
            while !self.at_end() && !self.punct(0, b']') {
                self.bump();
            }
            self.bump();
        }
        let Some(tok) = self.peek_tok(0) else { return };
        if d >= self.limit {
            let fresh = self.record(path.clone(), Entry { at: tok.start, end: None });
            self.skip_value();
            if fresh && let Some(e) = self.map.get_mut(&path) {
                e.end = Some(self.last_end);
            }
            return;
        }
        self.record(path.clone(), Entry { at: tok.start, end: None });
        if self.depth >= MAX_DEPTH {
            self.skip_value();
            return;
        }
        self.depth += 1;
        self.value_inner(path, d);
        self.depth -= 1;
    }

    /// Past the value at the current token by counting brackets, without recursion.
    fn skip_value(&mut self) {
        if self.peek(0) == Some(Kind::Ident) && self.punct(1, b'(') {
            self.bump();
        }
        let mut open = 0usize;
        while let Some(kind) = self.peek(0) {
            self.bump();
            match kind {
                Kind::Punct(b'(' | b'[' | b'{') => open += 1,
                Kind::Punct(b')' | b']' | b'}') => open = open.saturating_sub(1),
                _ => {}
            }
            if open == 0 {
                break;
            }
        }
    }

    fn value_inner(&mut self, path: String, d: usize) {
        let Some(tok) = self.peek_tok(0) else { return };
        match tok.kind {
            Kind::Ident if self.text(tok) == "Some" && self.punct(1, b'(') => {
                self.bump();
                self.bump();
                self.value(path, d);
                if self.punct(0, b')') {
                    self.bump();
                }
            }
            Kind::Ident if self.punct(1, b'(') => {
                self.bump();
                self.paren(path, d);
            }
            Kind::Punct(b'(') => self.paren(path, d),
            Kind::Punct(b'[') => {
                self.bump();
                let mut n = 0;
                while !self.at_end() && !self.punct(0, b']') {
                    let before = self.taken;
                    self.value(format!("{path}[{n}]"), d + 1);
                    n += 1;
                    if self.punct(0, b',') || self.taken == before {
                        self.bump();
                    }
                }
                self.bump();
            }
            Kind::Punct(b'{') => {
                self.bump();
                while !self.at_end() && !self.punct(0, b'}') {
                    let key = match self.peek_tok(0) {
                        Some(t) if t.kind == Kind::Str => str_text(self.text(t)),
                        Some(t) if t.kind == Kind::Ident => self.text(t).to_string(),
                        _ => String::new(),
                    };
                    self.bump();
                    if self.punct(0, b':') {
                        self.bump();
                    }
                    let before = self.taken;
                    self.value(join(&path, &key), d + 1);
                    if self.punct(0, b',') || self.taken == before {
                        self.bump();
                    }
                }
                self.bump();
            }
            _ => self.bump(),
        }
    }

    /// At `(`: a struct `(a: 1, …)` or a tuple `(1, 2)`. A tuple's items stay at the tuple's
    /// level (a newtype variant like `Text([...])` is transparent).
    fn paren(&mut self, path: String, d: usize) {
        self.bump(); // (
        let first_new = self.order.len();
        let is_struct = self.peek(0) == Some(Kind::Ident) && self.punct(1, b':');
        let mut n = 0;
        while !self.at_end() && !self.punct(0, b')') {
            let before = self.taken;
            if is_struct {
                match self.peek_tok(0) {
                    Some(t) if t.kind == Kind::Ident => {
                        let field_path = join(&path, self.text(t));
                        self.bump();
                        if self.punct(0, b':') {
                            self.bump();
                        }
                        self.record(format!("{field_path}#key"), Entry { at: t.start, end: None });
                        self.value(field_path, d + 1);
                    }
                    _ => self.bump(),
                }
            } else {
                self.value(format!("{path}.{n}"), d);
                n += 1;
            }
            if self.punct(0, b',') || self.taken == before {
                self.bump();
            }
        }
        self.bump(); // )
        if !is_struct && n == 1 {
            let prefix = format!("{path}.0");
            let inner: Vec<(String, Entry)> = self.order[first_new..]
                .iter()
                .filter(|k| k.strip_prefix(&prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[', '#'])))
                .filter_map(|k| self.map.get(k).map(|v| (format!("{path}{}", &k[prefix.len()..]), *v)))
                .collect();
            for (k, v) in inner {
                self.record(k, v);
            }
        }
    }
}

/// The text of a string token (`"a\"b"` → `a"b`, `r#"x"#` → `x`), for map keys.
fn str_text(tok: &str) -> String {
    if let Some(raw) = tok.strip_prefix('r') {
        let raw = raw.trim_matches('#');
        return raw.strip_prefix('"').unwrap_or(raw).strip_suffix('"').unwrap_or(raw.strip_prefix('"').unwrap_or(raw)).to_string();
    }
    let body = tok.strip_prefix('"').unwrap_or(tok);
    let body = body.strip_suffix('"').unwrap_or(body);
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"// comment
Scenario(
    id: "x", /* block
    comment */
    nodes: [
        Line(id: "a", text: "你好 \"quoted\"", next: "b"),
        Choice(
            id: "b",
            options: [
                (id: "o1", effects: (smile: 1), next: "end"),
            ],
        ),
    ],
    expected: Text(["a", "b"]),
    start: Some("a"),
)"#;

    #[test]
    fn records_paths_with_lines_and_columns() {
        let m = SourceMap::build(SRC);
        assert_eq!(m.get("id"), Some(Pos { line: 3, col: 9 }));
        assert_eq!(m.get("nodes[0]"), Some(Pos { line: 6, col: 9 }));
        assert_eq!(m.get("nodes[0].next"), Some(Pos { line: 6, col: 52 }));
        assert_eq!(m.get("nodes[1].options[0].effects.smile"), Some(Pos { line: 10, col: 45 }));
        assert_eq!(m.get("nodes[1].options[0].next"), Some(Pos { line: 10, col: 55 }));
        assert_eq!(m.get("expected[1]"), Some(Pos { line: 14, col: 26 }));
        assert_eq!(m.get("start"), Some(Pos { line: 15, col: 12 }));
    }

    #[test]
    fn falls_back_to_the_nearest_parent() {
        let m = SourceMap::build(SRC);
        assert_eq!(m.pos("nodes[1].options[0].when"), Pos { line: 10, col: 17 });
        assert_eq!(m.pos("nowhere"), Pos { line: 2, col: 1 });
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let n = 100_000;
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}"), ("Some(", ")")] {
            let src = format!("Scenario(id: \"x\", deep: {}1{}, after: 2)", open.repeat(n), close.repeat(n));
            let m = SourceMap::build(&src);
            assert_eq!(m.get("after"), Some(Pos { line: 1, col: 35 + (open.len() + close.len()) * n }), "{open}");
        }
        let m = SourceMap::build(&"[".repeat(n));
        assert_eq!(m.get(""), Some(Pos { line: 1, col: 1 }));
    }

    #[test]
    fn survives_garbage() {
        for s in ["", "(", "[[[", "\"unterminated", "r#\"x", "/* open", "(a: (b: [1, {", ")))]]]", "(a: 1\u{0}\u{ffff}é"] {
            let m = SourceMap::build(s);
            let p = m.pos("a.b[0].c");
            assert!(p.line >= 1 && p.line <= s.lines().count().max(1) && p.col >= 1, "{s:?}: {p:?}");
        }
        let m = SourceMap::build("(a: (b: [1, {");
        assert_eq!(m.get("a.b[0]"), Some(Pos { line: 1, col: 10 }));
        assert_eq!(m.get("a.b[5]"), None);
    }

    /// Every path a full walk records is found at the same place through the two-step map.
    fn same_as_full_walk(src: &str) {
        let m = SourceMap::build(src);
        let full = Builder::new(src, 0, src.len(), usize::MAX).run("");
        assert!(!full.is_empty());
        for (path, e) in &full {
            assert_eq!(m.get(path), Some(m.pos_at(e.at)), "{path}");
        }
    }

    #[test]
    fn two_step_lookup_matches_a_full_walk() {
        same_as_full_walk(SRC);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut n = 0;
        for f in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if f.path().extension().is_some_and(|e| e == "ron") {
                let text = std::fs::read_to_string(f.path()).unwrap_or_default();
                same_as_full_walk(&text);
                n += 1;
            }
        }
        assert!(n >= 3, "the course scenarios were not found");
    }

    #[test]
    fn columns_on_a_very_long_line_count_characters() {
        let filler = "说".repeat(3 * CHUNK);
        let src = format!("Scenario(a: \"{filler}\", b: [1, 2, (c: 3)])");
        let m = SourceMap::build(&src);
        let col = 1 + "Scenario(a: \"".chars().count() + filler.chars().count() + "\", b: [1, 2, (c: ".chars().count();
        assert_eq!(m.get("b[2].c"), Some(Pos { line: 1, col }));
        assert_eq!(m.get("b[2].c#key"), Some(Pos { line: 1, col: col - 3 }));
    }
}
