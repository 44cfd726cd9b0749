//! Where each value sits in a RON file, by path (`nodes[3].options[1].next`), so validation
//! messages can give a line and column. RON's own parser keeps no positions after parsing.

use std::collections::HashMap;

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    positions: HashMap<String, Pos>,
}

impl SourceMap {
    /// Map a RON text. Best effort: on text that does not parse, what was seen is kept.
    pub fn build(src: &str) -> SourceMap {
        let tokens = tokenize(src);
        let mut b = Builder { tokens: &tokens, i: 0, map: HashMap::new(), order: Vec::new(), depth: 0 };
        b.value(String::new());
        SourceMap { positions: b.map }
    }

    /// Position of `path`, or of its nearest recorded parent.
    pub fn pos(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return self.positions.get("").copied().unwrap_or(Pos { line: 1, col: 1 }),
            }
        }
    }

    /// Exact position of `path` if it was written in the file.
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.positions.get(path).copied()
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Str(String),
    Ident(String),
    Other,
    Punct(char),
}

fn tokenize(src: &str) -> Vec<(Tok, Pos)> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    let adv = |i: &mut usize, line: &mut usize, col: &mut usize, chars: &[char]| {
        if chars[*i] == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, col };
        if c.is_whitespace() {
            adv(&mut i, &mut line, &mut col, &chars);
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                adv(&mut i, &mut line, &mut col, &chars);
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    adv(&mut i, &mut line, &mut col, &chars);
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    adv(&mut i, &mut line, &mut col, &chars);
                    if depth == 0 {
                        adv(&mut i, &mut line, &mut col, &chars);
                        break;
                    }
                }
                adv(&mut i, &mut line, &mut col, &chars);
            }
        } else if c == '"' {
            let mut s = String::new();
            adv(&mut i, &mut line, &mut col, &chars);
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    adv(&mut i, &mut line, &mut col, &chars);
                }
                s.push(chars[i]);
                adv(&mut i, &mut line, &mut col, &chars);
            }
            if i < chars.len() {
                adv(&mut i, &mut line, &mut col, &chars);
            }
            out.push((Tok::Str(s), pos));
        } else if c == 'r' && matches!(chars.get(i + 1), Some('"') | Some('#')) {
            // raw string r#"…"#
            adv(&mut i, &mut line, &mut col, &chars);
            let mut hashes = 0;
            while i < chars.len() && chars[i] == '#' {
                hashes += 1;
                adv(&mut i, &mut line, &mut col, &chars);
            }
            if i < chars.len() {
                adv(&mut i, &mut line, &mut col, &chars);
            }
            let mut s = String::new();
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    for _ in 0..=hashes {
                        adv(&mut i, &mut line, &mut col, &chars);
                    }
                    break;
                }
                s.push(chars[i]);
                adv(&mut i, &mut line, &mut col, &chars);
            }
            out.push((Tok::Str(s), pos));
        } else if c.is_alphabetic() || c == '_' {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                s.push(chars[i]);
                adv(&mut i, &mut line, &mut col, &chars);
            }
            out.push((Tok::Ident(s), pos));
        } else if "()[]{}:,#!".contains(c) {
            out.push((Tok::Punct(c), pos));
            adv(&mut i, &mut line, &mut col, &chars);
        } else {
            while i < chars.len() && !chars[i].is_whitespace() && !"()[]{}:,\"".contains(chars[i]) {
                adv(&mut i, &mut line, &mut col, &chars);
            }
            out.push((Tok::Other, pos));
        }
    }
    out
}

struct Builder<'a> {
    tokens: &'a [(Tok, Pos)],
    i: usize,
    map: HashMap<String, Pos>,
    /// Keys in the order they were first recorded (to revisit only what a value added).
    order: Vec<String>,
    /// How many values deep the walk is: past `MAX_DEPTH` a value is skipped without recursing
    /// (RON itself refuses such files; this keeps the map safe on any text).
    depth: usize,
}

/// Deeper than any scenario RON reads (its recursion limit is 128).
const MAX_DEPTH: usize = 256;

fn join(path: &str, field: &str) -> String {
    if path.is_empty() { field.to_string() } else { format!("{path}.{field}") }
}

impl Builder<'_> {
    fn record(&mut self, path: String, pos: Pos) {
        if let std::collections::hash_map::Entry::Vacant(e) = self.map.entry(path) {
            self.order.push(e.key().clone());
            e.insert(pos);
        }
    }

    fn peek(&self, k: usize) -> Option<&Tok> {
        self.tokens.get(self.i + k).map(|t| &t.0)
    }

    fn punct(&self, k: usize, c: char) -> bool {
        self.peek(k) == Some(&Tok::Punct(c))
    }

    fn value(&mut self, path: String) {
        // Skip inner attributes like #![enable(implicit_some)].
        while self.punct(0, '#') {
            while self.i < self.tokens.len() && !self.punct(0, ']') {
                self.i += 1;
            }
            self.i += 1;
        }
        let Some(&(_, pos)) = self.tokens.get(self.i) else { return };
        self.record(path.clone(), pos);
        if self.depth >= MAX_DEPTH {
            self.skip_value();
            return;
        }
        self.depth += 1;
        self.value_inner(path);
        self.depth -= 1;
    }

    /// Past the value at `i` by counting brackets, without recursion.
    fn skip_value(&mut self) {
        if matches!(self.peek(0), Some(Tok::Ident(_))) && self.punct(1, '(') {
            self.i += 1;
        }
        let tokens = self.tokens;
        let mut open = 0usize;
        while let Some((tok, _)) = tokens.get(self.i) {
            self.i += 1;
            match tok {
                Tok::Punct('(' | '[' | '{') => open += 1,
                Tok::Punct(')' | ']' | '}') => open = open.saturating_sub(1),
                _ => {}
            }
            if open == 0 {
                break;
            }
        }
    }

    fn value_inner(&mut self, path: String) {
        let Some((tok, _)) = self.tokens.get(self.i) else { return };
        match tok {
            Tok::Ident(name) if name == "Some" && self.punct(1, '(') => {
                self.i += 2;
                self.value(path);
                self.skip_to_close(')');
            }
            Tok::Ident(_) if self.punct(1, '(') => {
                self.i += 1;
                self.paren(path);
            }
            Tok::Punct('(') => self.paren(path),
            Tok::Punct('[') => {
                self.i += 1;
                let mut n = 0;
                while self.i < self.tokens.len() && !self.punct(0, ']') {
                    let before = self.i;
                    self.value(format!("{path}[{n}]"));
                    n += 1;
                    if self.punct(0, ',') || self.i == before {
                        self.i += 1;
                    }
                }
                self.i += 1;
            }
            Tok::Punct('{') => {
                self.i += 1;
                while self.i < self.tokens.len() && !self.punct(0, '}') {
                    let key = match self.peek(0) {
                        Some(Tok::Str(s)) | Some(Tok::Ident(s)) => s.clone(),
                        _ => String::new(),
                    };
                    self.i += 1;
                    if self.punct(0, ':') {
                        self.i += 1;
                    }
                    let before = self.i;
                    self.value(join(&path, &key));
                    if self.punct(0, ',') || self.i == before {
                        self.i += 1;
                    }
                }
                self.i += 1;
            }
            _ => self.i += 1,
        }
    }

    /// At `(`: a struct `(a: 1, …)` or a tuple `(1, 2)`.
    fn paren(&mut self, path: String) {
        self.i += 1; // (
        let first_new = self.order.len();
        let is_struct = matches!(self.peek(0), Some(Tok::Ident(_))) && self.punct(1, ':');
        let mut n = 0;
        let mut elems = Vec::new();
        while self.i < self.tokens.len() && !self.punct(0, ')') {
            let before = self.i;
            if is_struct {
                if let Some(Tok::Ident(name)) = self.peek(0) {
                    let name = name.clone();
                    let field_pos = self.tokens[self.i].1;
                    let field_path = join(&path, &name);
                    self.i += 1;
                    if self.punct(0, ':') {
                        self.i += 1;
                    }
                    self.record(format!("{field_path}#key"), field_pos);
                    self.value(field_path);
                } else {
                    self.i += 1;
                }
            } else {
                let start = self.i;
                self.value(format!("{path}.{n}"));
                elems.push(start);
                n += 1;
            }
            if self.punct(0, ',') || self.i == before {
                self.i += 1;
            }
        }
        self.i += 1; // )
        // A one-element tuple (a newtype variant like `Text([...])`) is transparent.
        if !is_struct && n == 1 {
            let prefix = format!("{path}.0");
            let inner: Vec<(String, Pos)> = self.order[first_new..]
                .iter()
                .filter(|k| k.starts_with(&prefix))
                .filter_map(|k| self.map.get(k).map(|v| (format!("{path}{}", &k[prefix.len()..]), *v)))
                .collect();
            for (k, v) in inner {
                self.record(k, v);
            }
        }
    }

    fn skip_to_close(&mut self, c: char) {
        if self.punct(0, c) {
            self.i += 1;
        }
    }
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
        for s in ["", "(", "[[[", "\"unterminated", "r#\"x", "/* open", "(a: (b: [1, {", ")))]]]"] {
            let _ = SourceMap::build(s);
        }
    }
}
