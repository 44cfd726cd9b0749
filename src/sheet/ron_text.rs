//! RON as text: the model serialised compactly, split into its fields (for the sheet's columns
//! and its "其他（RON）" cells), and laid out the way the course's scenario files are written
//! (wide lines, a group on one line when it fits, defaults left out).
//!
//! Everything here reads RON that the serialiser itself wrote, never a teacher's file; it still
//! runs without recursion (an explicit stack), so nesting depth costs nothing.

use serde::Serialize;

/// RON written the way teachers write it: `Line(id: …)` and `speaker: "x"` (no `Some`).
pub fn to_compact<T: Serialize + ?Sized>(v: &T) -> Result<String, ron::Error> {
    crate::scenario::load::ron_options().to_string(v)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A string literal exactly as written, quotes and escapes included.
    Str(String),
    /// Identifiers, numbers, `true`, `None`…
    Word(String),
    Open(char),
    Close(char),
    Comma,
    Colon,
}

impl Tok {
    fn text(&self) -> &str {
        match self {
            Tok::Str(s) | Tok::Word(s) => s,
            Tok::Open('(') => "(",
            Tok::Open('[') => "[",
            Tok::Open(_) => "{",
            Tok::Close(')') => ")",
            Tok::Close(']') => "]",
            Tok::Close(_) => "}",
            Tok::Comma => ",",
            Tok::Colon => ":",
        }
    }
}

fn tokenize(s: &str) -> Vec<Tok> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '"' => {
                let start = i;
                i += 1;
                while i < cs.len() && cs[i] != '"' {
                    if cs[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i = (i + 1).min(cs.len());
                // `'` needs no escape in a RON string: `women's`, not `women\'s`.
                let mut lit = String::new();
                let mut k = start;
                while k < i {
                    if cs[k] == '\\' && k + 1 < i {
                        if cs[k + 1] != '\'' {
                            lit.push('\\');
                        }
                        lit.push(cs[k + 1]);
                        k += 2;
                    } else {
                        lit.push(cs[k]);
                        k += 1;
                    }
                }
                out.push(Tok::Str(lit));
            }
            '(' | '[' | '{' => {
                out.push(Tok::Open(c));
                i += 1;
            }
            ')' | ']' | '}' => {
                out.push(Tok::Close(c));
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            ':' => {
                out.push(Tok::Colon);
                i += 1;
            }
            _ => {
                let start = i;
                while i < cs.len() && !cs[i].is_whitespace() && !"()[]{},:\"".contains(cs[i]) {
                    i += 1;
                }
                out.push(Tok::Word(cs[start..i].iter().collect()));
            }
        }
    }
    out
}

/// For each open bracket, the index of its closing bracket (and the other way round).
fn matching(toks: &[Tok]) -> Vec<usize> {
    let mut m: Vec<usize> = (0..toks.len()).collect();
    let mut stack = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Open(_) => stack.push(i),
            Tok::Close(_) => {
                if let Some(o) = stack.pop() {
                    m[o] = i;
                    m[i] = o;
                }
            }
            _ => {}
        }
    }
    m
}

/// Where the value starting at `i` ends (inclusive): a bracketed group, `Word(…)`, or one token.
fn value_end(toks: &[Tok], m: &[usize], i: usize) -> usize {
    match toks.get(i) {
        Some(Tok::Open(_)) => m[i],
        Some(Tok::Word(_)) if matches!(toks.get(i + 1), Some(Tok::Open('('))) => m[i + 1],
        _ => i,
    }
}

fn flat(toks: &[Tok]) -> String {
    let mut out = String::new();
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Comma => {
                // No trailing comma inside a one-line group.
                if !matches!(toks.get(i + 1), Some(Tok::Close(_)) | None) {
                    out.push_str(", ");
                }
            }
            Tok::Colon => out.push_str(": "),
            t => out.push_str(t.text()),
        }
    }
    out
}

fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The fields of a serialised struct `(a: 1, b: "x")` as `(name, value)` texts, or `None` when
/// the text is not a struct.
pub fn split_fields(s: &str) -> Option<Vec<(String, String)>> {
    let toks = tokenize(s);
    let m = matching(&toks);
    // `Name(…)` or `(…)`.
    let open = match toks.first() {
        Some(Tok::Word(_)) => 1,
        _ => 0,
    };
    if !matches!(toks.get(open), Some(Tok::Open('('))) || m[open] != toks.len() - 1 {
        return None;
    }
    let mut out = Vec::new();
    let mut i = open + 1;
    let end = toks.len() - 1;
    while i < end {
        let (Some(Tok::Word(name)), Some(Tok::Colon)) = (toks.get(i), toks.get(i + 1)) else { return None };
        let ve = value_end(&toks, &m, i + 2);
        out.push((name.clone(), flat(&toks[i + 2..=ve])));
        i = ve + 1;
        if matches!(toks.get(i), Some(Tok::Comma)) {
            i += 1;
        }
    }
    Some(out)
}

/// Fields that may be left out when they hold these values (their defaults in the model), and a
/// field the struct must also have for that default to be its (`success` defaults to true in an
/// `Ending`, which has an `outcome`, but to false in a rubric band).
const DEFAULTS: &[(&str, &str, &str)] = &[
    ("expert", "false", "next"),
    ("at_start", "false", "feedback"),
    ("voids", "false", "feedback"),
    ("given", "false", "value"),
    ("shuffle", "true", "options"),
    ("success", "true", "outcome"),
    ("pick", "1", "vars"),
    ("cost", "1", "text"),
    ("min_phrases", "1", "phrases"),
    ("weight", "1.0", "value"),
    ("ring_seconds", "3.0", "by_ring"),
    ("decimals", "0", "value"),
    ("tolerance", "0.0", "value"),
    ("compare", "Equal", "value"),
    ("cap", "Grade(\"及格\")", "principle"),
];

/// Fields that must be written even when empty (required lists and maps).
const REQUIRED: &[&str] = &["answer", "say", "rules", "values", "vars", "rows", "keys", "columns", "options", "items", "categories", "steps", "fields", "phrases", "elements", "numbers", "by_ring", "nodes", "roles", "bands"];

/// Whether a field's value is its default and can be left out; `siblings` are the names of the
/// struct's other fields.
pub fn is_default(name: &str, value: &str, siblings: &[&str]) -> bool {
    if REQUIRED.contains(&name) {
        return false;
    }
    matches!(value, "None" | "[]" | "{}" | "()") || DEFAULTS.iter().any(|(n, v, with)| *n == name && *v == value && siblings.contains(with))
}

/// The field names of the struct group opening at `i`.
fn names_in(toks: &[Tok], m: &[usize], i: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut j = i + 1;
    while j < m[i] {
        let (Some(Tok::Word(name)), Some(Tok::Colon)) = (toks.get(j), toks.get(j + 1)) else { break };
        out.push(name.clone());
        j = value_end(toks, m, j + 2) + 1;
        if matches!(toks.get(j), Some(Tok::Comma)) {
            j += 1;
        }
    }
    out
}

/// Rewrites for readability: `{"smile": 2}` → `(smile: 2)`, `(zh: "x")` → `"x"`, and fields
/// holding their default dropped.
fn tidy(toks: Vec<Tok>) -> Vec<Tok> {
    // Maps with name keys are written like structs.
    let mut toks = toks;
    let m = matching(&toks);
    // Groups that were maps: their keys are names a teacher chose, never left out.
    let mut from_map = vec![false; toks.len()];
    for i in 0..toks.len() {
        if toks[i] != Tok::Open('{') {
            continue;
        }
        let close = m[i];
        let mut j = i + 1;
        let mut keys = Vec::new();
        let mut ok = true;
        while j < close {
            match (&toks[j], toks.get(j + 1)) {
                (Tok::Str(k), Some(Tok::Colon)) if k.len() >= 2 && is_ident(&k[1..k.len() - 1]) => keys.push(j),
                _ => {
                    ok = false;
                    break;
                }
            }
            j = value_end(&toks, &m, j + 2) + 1;
            if matches!(toks.get(j), Some(Tok::Comma)) {
                j += 1;
            }
        }
        if ok {
            for k in keys {
                if let Tok::Str(s) = &toks[k] {
                    toks[k] = Tok::Word(s[1..s.len() - 1].to_string());
                }
            }
            toks[i] = Tok::Open('(');
            toks[close] = Tok::Close(')');
            from_map[i] = true;
        }
    }
    // Drop default fields and shorten Chinese-only texts.
    let m = matching(&toks);
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    // For each open group: `Some(field names)` when it is a struct.
    let mut in_struct: Vec<Option<Vec<String>>> = Vec::new();
    while i < toks.len() {
        let t = &toks[i];
        let siblings = in_struct.last().and_then(|s| s.as_ref());
        if let Some(siblings) = siblings
            && matches!(out.last(), Some(Tok::Open('(') | Tok::Comma))
            && let (Tok::Word(name), Some(Tok::Colon)) = (t, toks.get(i + 1))
        {
            let ve = value_end(&toks, &m, i + 2);
            let sib: Vec<&str> = siblings.iter().map(String::as_str).collect();
            if is_default(name, &flat(&toks[i + 2..=ve]), &sib) {
                i = ve + 1;
                if matches!(toks.get(i), Some(Tok::Comma)) {
                    i += 1;
                }
                continue;
            }
        }
        if let Tok::Open('(') = t
            && m[i] == i + 4
            && toks[i + 1] == Tok::Word("zh".into())
            && toks[i + 2] == Tok::Colon
            && matches!(toks[i + 3], Tok::Str(_))
        {
            out.push(toks[i + 3].clone());
            i += 5;
            continue;
        }
        match t {
            Tok::Open(c) => {
                // A `( name: …` group is a struct; `Grade("…")` and lists are not.
                let is_struct = *c == '(' && !from_map[i] && matches!((toks.get(i + 1), toks.get(i + 2)), (Some(Tok::Word(_)), Some(Tok::Colon)));
                in_struct.push(is_struct.then(|| names_in(&toks, &m, i)));
            }
            Tok::Close(_) => {
                in_struct.pop();
            }
            _ => {}
        }
        out.push(t.clone());
        i += 1;
    }
    out
}

/// Lay out tokens: a group stays on one line when it fits in `width`, else one entry a line.
fn layout(toks: &[Tok], indent: usize, start_col: usize, width: usize) -> String {
    let m = matching(toks);
    let mut out = String::new();
    let mut col = start_col;
    let mut depth = indent;
    // Broken groups open: the indent to return to, and whether short entries share lines.
    let mut broken: Vec<(usize, bool)> = Vec::new();
    let newline = |out: &mut String, d: usize| {
        out.push('\n');
        out.push_str(&" ".repeat(d));
        d
    };
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Open(_) => {
                let text = flat(&toks[i..=m[i]]);
                if m[i] == i + 1 || col + text.chars().count() < width {
                    col += text.chars().count();
                    out.push_str(&text);
                    i = m[i] + 1;
                    continue;
                }
                out.push_str(toks[i].text());
                // A group of plain values (`(strikes: 0, rude: 0, …)`, `["长海", …]`) fills its lines.
                let fill = !toks[i + 1..m[i]].iter().any(|t| matches!(t, Tok::Open(_)));
                broken.push((depth, fill));
                depth += 4;
                col = newline(&mut out, depth);
            }
            Tok::Close(_) => {
                if !matches!(i.checked_sub(1).and_then(|p| toks.get(p)), Some(Tok::Comma)) {
                    out.push(',');
                }
                depth = broken.pop().map_or(0, |b| b.0);
                newline(&mut out, depth);
                out.push_str(toks[i].text());
                col = depth + 1;
            }
            Tok::Comma => {
                out.push(',');
                if matches!(toks.get(i + 1), Some(Tok::Close(_))) {
                    // The close bracket starts its own line.
                } else if broken.last().is_some_and(|b| b.1) {
                    let end = toks[i + 1..].iter().position(|t| matches!(t, Tok::Comma | Tok::Close(_))).map_or(toks.len(), |p| i + 1 + p);
                    let w = flat(&toks[i + 1..end]).chars().count();
                    if col + 2 + w < width {
                        out.push(' ');
                        col += 2;
                    } else {
                        col = newline(&mut out, depth);
                    }
                } else {
                    col = newline(&mut out, depth);
                }
            }
            Tok::Colon => {
                out.push_str(": ");
                col += 2;
            }
            t => {
                out.push_str(t.text());
                col += t.text().chars().count();
            }
        }
        i += 1;
    }
    out
}

/// Pretty RON of a value for a file or a cell: defaults dropped, groups on one line when they
/// fit `width` characters.
pub fn pretty(compact: &str, indent: usize, width: usize) -> String {
    layout(&tidy(tokenize(compact)), indent, indent, width)
}

/// [`pretty`] for a value that starts at column `start_col` of a line indented by `indent`.
pub fn pretty_at(compact: &str, indent: usize, start_col: usize, width: usize) -> String {
    layout(&tidy(tokenize(compact)), indent, start_col, width)
}

/// The body of a struct's fields for a "其他（RON）" cell: `hints: [(text: "…")], set: (x: 1)`.
pub fn fields_text(fields: &[(String, String)]) -> String {
    let body = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
    // Tidy it as a struct, then take the brackets off again.
    let t = pretty(&format!("({body})"), 0, usize::MAX);
    t.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(&t).to_string()
}

/// The elements of a serialised list `[a, (b: 1), "c"]` as texts, or `None` when it is not a list.
pub fn split_list(s: &str) -> Option<Vec<String>> {
    let toks = tokenize(s);
    let m = matching(&toks);
    if !matches!(toks.first(), Some(Tok::Open('['))) || m[0] != toks.len() - 1 {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 1;
    while i < toks.len() - 1 {
        let ve = value_end(&toks, &m, i);
        out.push(flat(&toks[i..=ve]));
        i = ve + 1;
        if matches!(toks.get(i), Some(Tok::Comma)) {
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_tidies() {
        let f = split_fields(r#"(id:"a",text:(zh:"你好"),effects:{"smile":2},hints:[],next:"b")"#).unwrap_or_default();
        assert_eq!(f.len(), 5);
        assert_eq!(f[2], ("effects".to_string(), r#"{"smile": 2}"#.to_string()));
        assert_eq!(pretty(r#"(id:"a",text:(zh:"你好"),effects:{"smile":2},hints:[],expert:false,next:"b")"#, 0, 100), r#"(id: "a", text: "你好", effects: (smile: 2), next: "b")"#);
        // `success` is left out only where it defaults to true (an Ending, with its outcome).
        assert_eq!(pretty(r#"(band:1,success:true)"#, 0, 100), "(band: 1, success: true)");
        assert_eq!(pretty(r#"(outcome:"x",success:true,s:"it\'s \\\'")"#, 0, 100), r#"(outcome: "x", s: "it's \\'")"#);
        assert_eq!(fields_text(&[("a".into(), "1".into()), ("b".into(), "[]".into())]), "a: 1");
    }

    #[test]
    fn breaks_long_groups() {
        let s = pretty(r#"(a:"0123456789",b:["0123456789","0123456789"])"#, 0, 40);
        assert_eq!(s, "(\n    a: \"0123456789\",\n    b: [\"0123456789\", \"0123456789\"],\n)");
        let s = pretty(r#"(a:1,b:2,c:3,d:4,e:5,f:6)"#, 0, 20);
        assert_eq!(s, "(\n    a: 1, b: 2,\n    c: 3, d: 4,\n    e: 5, f: 6,\n)");
    }
}
