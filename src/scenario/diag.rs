//! Diagnostics: a message for the teacher, in Chinese and English, with file, line and column.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::source_map::Pos;
use super::text::{Lang, Text};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Zh) => "警告",
            (Severity::Warning, Lang::En) => "warning",
        }
    }
}

/// One finding about a scenario file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable short name, listed in `docs/authoring/{zh,en}/diagnostics.md` (e.g. `unknown-target`).
    pub code: &'static str,
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: Text,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, file: &Path, pos: Pos, zh: String, en: String) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.to_path_buf(),
            line: pos.line,
            col: pos.col,
            message: Text::new(zh, en),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col: error: message [code]`, in the given language.
    pub fn render(&self, lang: Lang) -> String {
        format!(
            "{}:{}:{}: {}: {} [{}]",
            self.file.display(),
            self.line,
            self.col,
            self.severity.label(lang),
            self.message.get(lang),
            self.code
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Turn a RON parse error into words a teacher understands.
/// How deep RON reads nested brackets (its default recursion limit, kept in `load::ron_options`).
pub const RON_DEPTH: usize = 128;

pub fn from_ron(file: &Path, src: &str, err: &ron::error::SpannedError) -> Diagnostic {
    use ron::error::Error as E;
    let pos: Pos = skip_blanks(src, Pos { line: err.span.start.line.max(1), col: err.span.start.col.max(1) });
    // The file's own words are quoted short: a 50 MB one-word file is not echoed whole.
    let q = |s: &str| crate::fsread::clip(s);
    let list = |xs: &[&str]| xs.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
    let (code, zh, en): (&'static str, String, String) = match &err.code {
        E::Eof => (
            "syntax",
            "文件意外结束：可能少了右括号 `)` 或 `]`，或引号没有闭合".into(),
            "the file ends too early: a closing `)` or `]` or a closing quote is probably missing".into(),
        ),
        E::ExpectedComma => (
            "syntax",
            "这里缺少逗号 `,`：每一项后面都要加逗号".into(),
            "a comma `,` is missing here: put a comma after each item".into(),
        ),
        E::ExpectedArrayEnd => (
            "syntax",
            "这里应该是 `]`：列表没有正确结束（检查逗号和括号）".into(),
            "expected `]` here: the list is not closed properly (check commas and brackets)".into(),
        ),
        E::ExpectedArray => ("syntax", "这里应该是一个列表 `[ … ]`".into(), "expected a list `[ … ]` here".into()),
        E::ExpectedStructLikeEnd => (
            "syntax",
            "这里应该是 `)`：括号没有正确结束，或前一项后少了逗号".into(),
            "expected `)` here: a bracket is not closed, or a comma is missing after the previous item".into(),
        ),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => (
            "syntax",
            "这里应该是 `( … )` 括起来的一组字段".into(),
            "expected a group of fields in `( … )` here".into(),
        ),
        E::ExpectedString | E::ExpectedStringEnd => (
            "syntax",
            "这里应该是用英文双引号括起的文字，例如 \"你好\"（注意不要用中文引号“ ”）".into(),
            "expected a text in straight double quotes, e.g. \"hello\" (not curly quotes)".into(),
        ),
        E::ExpectedMapColon => ("syntax", "这里缺少冒号 `:`".into(), "a colon `:` is missing here".into()),
        E::ExpectedInteger | E::ExpectedFloat => ("wrong-type", "这里应该是一个数字".into(), "expected a number here".into()),
        E::ExpectedBoolean => ("wrong-type", "这里应该是 true 或 false".into(), "expected true or false here".into()),
        E::ExpectedIdentifier => (
            "syntax",
            "这里应该是一个字段名（英文字母），例如 id:（如果写了 Some((…))，请去掉 Some 和外层括号，直接写 (…)）".into(),
            "expected a field name (latin letters) here, e.g. id: (if you wrote Some((…)), drop the Some and the outer brackets: write (…))".into(),
        ),
        E::TrailingCharacters => (
            "syntax",
            "场景已经结束，后面还有多余的内容：一个文件只写一个场景".into(),
            "the scenario has ended but more text follows: write one scenario per file".into(),
        ),
        E::UnexpectedChar(c) => (
            "syntax",
            format!("这里不应出现字符 `{c}`{}", if "“”‘’，：（）".contains(*c) { "（请改用英文标点）" } else { "" }),
            format!("unexpected character `{c}`{}", if "“”‘’，：（）".contains(*c) { " (use latin punctuation)" } else { "" }),
        ),
        E::UnclosedBlockComment | E::UnclosedLineComment => (
            "syntax",
            "注释没有结束：`/*` 需要对应的 `*/`".into(),
            "a comment is not closed: `/*` needs a matching `*/`".into(),
        ),
        E::NoSuchStructField { expected, found, outer } => {
            let found = q(found);
            (
            "unknown-field",
            format!(
                "{}没有字段 `{found}`；可用的字段有：{}",
                outer.as_deref().map(|o| format!("`{o}` ")).unwrap_or_default(),
                list(expected)
            ),
            format!(
                "{}has no field `{found}`; the fields are: {}",
                outer.as_deref().map(|o| format!("`{o}` ")).unwrap_or_else(|| "this part ".into()),
                list(expected)
            ),
        )
        }
        E::MissingStructField { field, outer } => (
            "missing-field",
            format!(
                "{}缺少必填字段 `{field}`，请补上",
                outer.as_deref().map(|o| format!("`{o}` ")).unwrap_or_default()
            ),
            format!(
                "{}is missing the required field `{field}`: add it",
                outer.as_deref().map(|o| format!("`{o}` ")).unwrap_or_else(|| "this part ".into())
            ),
        ),
        E::DuplicateStructField { field, .. } => {
            let field = q(field);
            (
            "duplicate-field",
            format!("字段 `{field}` 写了两次，请删除一个"),
            format!("the field `{field}` is written twice: remove one"),
        )
        }
        E::NoSuchEnumVariant { expected, found, .. } => {
            let found = q(found);
            (
            "unknown-kind",
            format!("不认识 `{found}`；这里可以写：{}", list(expected)),
            format!("`{found}` is not known here; you can write: {}", list(expected)),
        )
        }
        E::InvalidValueForType { expected, found } => {
            let (expected, found) = (q(expected), q(found));
            let (expected, found) = (expected.as_str(), found.as_str());
            (
            "wrong-type",
            format!("这里应该是{}，但写的是 {}", zh_value(expected), zh_value(found)),
            format!("expected {expected} here, but found {found}"),
        )
        }
        E::Message(m) => translate_message(m),
        E::IntegerOutOfBounds => (
            "wrong-type",
            "数字超出范围：这里不能是负数，也不能太大".into(),
            "the number is out of range here: it cannot be negative or that large".into(),
        ),
        E::ExpectedChar => (
            "syntax",
            "单引号 ' 只能括一个字符：文字请用英文双引号，例如 \"接电话\"".into(),
            "single quotes ' hold one character only: write texts in double quotes, e.g. \"answer\"".into(),
        ),
        E::ExceededRecursionLimit => (
            "too-deep",
            format!("括号嵌套超过 {RON_DEPTH} 层：场景文件不需要这么深，可能是多写了括号"),
            format!("nesting deeper than {RON_DEPTH} levels: no scenario needs that, a bracket is probably repeated"),
        ),
        other => {
            let other = q(&other.to_string());
            ("syntax", format!("格式错误：{other}"), format!("syntax error: {other}"))
        }
    };
    let (mut zh, mut en) = (zh, en);
    if (err.code == E::Eof || err.code == E::ExpectedStringEnd || rest_is_blank(src, pos))
        && let Some((zh2, en2, at, quote)) = unclosed_at_end(src)
        && (quote || err.code != E::ExpectedStringEnd)
    {
        // The file ended inside brackets (or a quote): name the one left open, where it opens.
        return Diagnostic::new(Severity::Error, "syntax", file, at, zh2, en2);
    }
    let at_pos = src.lines().nth(pos.line.saturating_sub(1)).and_then(|l| l.chars().nth(pos.col.saturating_sub(1)));
    if err.code == E::ExpectedComma
        && at_pos.is_some_and(|c| c.is_alphanumeric() || "_\"([{".contains(c))
        && let Some(end) = end_of_previous_value(src, pos)
    {
        // RON notices the missing comma at the next field; the comma belongs right after the
        // value before it.
        let next = word_at(src, pos);
        let (nz, ne) = match next.as_deref() {
            Some(w) => (format!("下一项 `{w}` "), format!("the next item, `{w}`,")),
            None => ("下一项".to_string(), "the next item".to_string()),
        };
        return Diagnostic::new(
            Severity::Error,
            "syntax",
            file,
            end,
            format!("这里少了一个逗号：请在这个值的后面加上 `,`（{nz}在第 {} 行第 {} 列）", pos.line, pos.col),
            format!("a comma is missing here: put `,` right after this value ({ne} starts at line {}, column {})", pos.line, pos.col),
        );
    }
    // What is really at the spot often explains the error better than the parser can.
    let line = src.lines().nth(pos.line.saturating_sub(1)).unwrap_or("");
    let at: Option<char> = line.chars().nth(pos.col.saturating_sub(1));
    if let Some(c) = at.filter(|c| "“”‘’，：（）；【】".contains(*c)) {
        if !zh.contains("英文标点") {
            zh = format!("这里用了中文标点 `{c}`：字段之间的标点请改用英文的 , : ( ) \" 。({zh})");
            en = format!("a Chinese punctuation mark `{c}` is used here: use latin , : ( ) \" between fields. ({en})");
        }
    } else if line.contains("Some((") && !zh.contains("Some") {
        zh = format!("{zh}（这一行写了 Some((…))：请去掉 Some 和外层括号，直接写 (…)）");
        en = format!("{en} (this line has Some((…)): drop the Some and the outer brackets, write (…))");
    } else if let Some(field) = field_before(line, pos.col).filter(|f| matches!(*f, "critical" | "cap")) {
        // The new issue-9 fields have a shape teachers get wrong in two ways (`critical: true`,
        // `cap: "及格"`): say how to write them.
        let (hz, he) = if field == "cap" {
            ("cap 要写成 Grade(\"及格\")（最高到这个等级）或 Band(3)（小组评价最高第3档）", "write cap as Grade(\"及格\") (at most this grade) or Band(3) (group band 3 at best)")
        } else {
            (
                "critical 要写成一组字段：critical: (name: \"违反首问负责制\", principle: sincerity, cap: Grade(\"及格\"))",
                "write critical as a group of fields: critical: (name: \"…\", principle: sincerity, cap: Grade(\"及格\"))",
            )
        };
        zh = hz.to_string();
        en = he.to_string();
    } else if code == "syntax" && err.code == E::ExpectedComma {
        zh = format!("{zh}（如果前面已有逗号，请检查前一个值：小数、未闭合的引号、中文标点都会造成这个错误）");
        en = format!("{en} (if there is a comma, check the value before it: a decimal point, an unclosed quote or Chinese punctuation cause this too)");
    }
    Diagnostic::new(Severity::Error, code, file, pos, zh, en)
}

/// The field name written just before column `col` of `line` (`cap: "及格"` → `cap`).
fn field_before(line: &str, col: usize) -> Option<&str> {
    let before: String = line.chars().take(col.saturating_sub(1)).collect();
    let trimmed = before.trim_end().strip_suffix(':')?.trim_end();
    let start = trimmed.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    let name = &trimmed[start..];
    // Map back into `line` so the borrow outlives `before`.
    line.find(&format!("{name}:")).or_else(|| line.find(name)).map(|i| &line[i..i + name.len()]).filter(|n| !n.is_empty())
}

/// serde's English descriptions of values, in Chinese.
fn zh_value(s: &str) -> String {
    let mut out = s.to_string();
    for (en, zh) in [
        ("a whole number or true/false", "整数或 true/false"),
        ("a text: \"…\" or (zh: \"…\", en: \"…\")", "文字：\"…\" 或 (zh: \"…\", en: \"…\")"),
        ("a number, or a text like \"{weight}\"", "数字，或像 \"{weight}\" 这样的文字"),
        ("a list of names and values: (name: value, …)", "名称和值的列表：(名称: 值, …)"),
        ("the string ", "文字 "),
        ("a string", "文字"),
        ("integer ", "整数 "),
        ("floating point ", "小数 "),
        ("a boolean", "true 或 false"),
        ("boolean ", "布尔值 "),
        ("a sequence", "列表 [ … ]"),
        ("u32", "非负整数"),
        ("u64", "非负整数"),
        ("i32", "整数"),
        ("i64", "整数"),
        ("f64", "数字"),
    ] {
        out = out.replace(en, zh);
    }
    out
}

/// RON's span starts before the blanks that precede the bad token; point at the token.
fn skip_blanks(src: &str, pos: Pos) -> Pos {
    let Some(line_text) = src.lines().nth(pos.line - 1) else { return pos };
    let mut p = pos;
    let mut rest = src.lines().skip(pos.line - 1).map(|l| l.chars().collect::<Vec<_>>());
    let mut chars = rest.next().unwrap_or_else(|| line_text.chars().collect());
    loop {
        match chars.get(p.col - 1) {
            Some(c) if c.is_whitespace() => p.col += 1,
            Some(_) => return p,
            None => match rest.next() {
                // Only move to the next line when the rest of this one is blank.
                Some(next) => {
                    p = Pos { line: p.line + 1, col: 1 };
                    chars = next;
                }
                None => return p,
            },
        }
    }
}

/// serde's own messages (from custom types) in both languages.
fn translate_message(m: &str) -> (&'static str, String, String) {
    use crate::fsread::{clip, clip_to};
    if let Some(rest) = m.strip_prefix("duplicate field ") {
        let rest = clip(rest);
        return (
            "duplicate-field",
            format!("字段 {rest} 写了两次，请删除一个"),
            format!("the field {rest} is written twice: remove one"),
        );
    }
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let rest = clip(rest);
        return ("unknown-field", format!("不认识的字段 {rest}"), format!("unknown field {rest}"));
    }
    if let Some(rest) = m.strip_prefix("missing field ") {
        let rest = clip(rest);
        return ("missing-field", format!("缺少必填字段 {rest}"), format!("missing required field {rest}"));
    }
    // Our own types put both languages in the message: "English ||| 中文".
    if let Some((en, zh)) = m.split_once(" ||| ") {
        let code = if en.starts_with("condition ") { "bad-condition" } else if en.starts_with("a text") { "bad-text" } else { "syntax" };
        // Our messages are short; what they quote from the file may not be.
        return (code, clip_to(zh, 4 * crate::fsread::QUOTE_LIMIT), clip_to(en, 4 * crate::fsread::QUOTE_LIMIT));
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        let rest = clip(rest);
        return ("wrong-type", format!("类型不对：{}", zh_value(&rest)), format!("wrong kind of value: {rest}"));
    }
    let m = clip(m);
    ("syntax", format!("格式错误：{m}"), m)
}

/// Nothing but blanks and `//` comments from `pos` to the end of the file (RON stopped at the end).
fn rest_is_blank(src: &str, pos: Pos) -> bool {
    src.lines().skip(pos.line.saturating_sub(1)).enumerate().all(|(k, l)| {
        let chars: Vec<char> = l.chars().skip(if k == 0 { pos.col.saturating_sub(1) } else { 0 }).collect();
        strip_line_comment(&chars).iter().all(|c| c.is_whitespace())
    })
}

/// Where the value before `pos` ends: just after its last character, blanks and `//` comments
/// between them skipped. `None` when that character is a comma or an opening bracket (then no
/// comma is missing there: something else is wrong with what follows) or nothing comes before.
fn end_of_previous_value(src: &str, pos: Pos) -> Option<Pos> {
    let lines: Vec<&str> = src.lines().collect();
    let mut line = pos.line;
    let mut upto = pos.col.saturating_sub(1);
    while line >= 1 {
        let text = lines.get(line - 1).copied().unwrap_or("");
        let chars: Vec<char> = text.chars().take(upto).collect();
        let code = strip_line_comment(&chars);
        if let Some(last) = code.iter().rposition(|c| !c.is_whitespace()) {
            return (!matches!(code[last], ',' | '(' | '[' | '{' | ':')).then_some(Pos { line, col: last + 2 });
        }
        line -= 1;
        upto = usize::MAX;
    }
    None
}

/// The characters of a line before a `//` comment that is not inside a quoted text.
fn strip_line_comment(chars: &[char]) -> &[char] {
    let mut in_str = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if in_str => i += 1,
            '"' => in_str = !in_str,
            '/' if !in_str && chars.get(i + 1) == Some(&'/') => return &chars[..i],
            _ => {}
        }
        i += 1;
    }
    chars
}

/// The name written at `pos` (`course` of `course: …`), if a name starts there.
fn word_at(src: &str, pos: Pos) -> Option<String> {
    let line = src.lines().nth(pos.line.checked_sub(1)?)?;
    let w: String = line.chars().skip(pos.col.saturating_sub(1)).take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (!w.is_empty()).then_some(w)
}

/// The node kinds, as written before their `(`.
const NODE_KINDS: &[&str] = &["Line", "Choice", "Match", "Order", "Form", "Compose", "Phone", "Dial", "Say", "Table", "Ending"];

/// When the file ends inside brackets or a quote: what to say, the position of the opener left
/// open (the innermost), and whether it is a quote. A scan with a stack, no recursion; quoted texts (with `\` escapes
/// and raw `r#"…"#` texts), characters and comments are skipped.
fn unclosed_at_end(src: &str) -> Option<(String, String, Pos, bool)> {
    let chars: Vec<char> = src.chars().collect();
    let mut stack: Vec<(char, usize, Pos)> = Vec::new();
    let (mut line, mut col) = (1usize, 1usize);
    let mut i = 0;
    let mut open_quote: Option<Pos> = None;
    // Advance one character, keeping line and column.
    let step = |i: &mut usize, line: &mut usize, col: &mut usize| {
        if chars.get(*i) == Some(&'\n') {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        let here = Pos { line, col };
        match c {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    step(&mut i, &mut line, &mut col);
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                // Block comments nest in RON.
                let mut depth = 0usize;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        step(&mut i, &mut line, &mut col);
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        step(&mut i, &mut line, &mut col);
                        if depth == 0 {
                            step(&mut i, &mut line, &mut col);
                            break;
                        }
                    }
                    step(&mut i, &mut line, &mut col);
                }
                continue;
            }
            'r' if matches!(chars.get(i + 1), Some('"' | '#')) && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')) => {
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                if chars.get(i + 1 + hashes) != Some(&'"') {
                    step(&mut i, &mut line, &mut col);
                    continue;
                }
                for _ in 0..hashes + 2 {
                    step(&mut i, &mut line, &mut col);
                }
                let mut closed = false;
                while i < chars.len() {
                    if chars[i] == '"' && chars[i + 1..].iter().take(hashes).filter(|c| **c == '#').count() == hashes {
                        for _ in 0..hashes + 1 {
                            step(&mut i, &mut line, &mut col);
                        }
                        closed = true;
                        break;
                    }
                    step(&mut i, &mut line, &mut col);
                }
                if !closed {
                    open_quote = Some(here);
                }
                continue;
            }
            '"' => {
                step(&mut i, &mut line, &mut col);
                let mut closed = false;
                while i < chars.len() {
                    match chars[i] {
                        '\\' => {
                            step(&mut i, &mut line, &mut col);
                        }
                        '"' => {
                            step(&mut i, &mut line, &mut col);
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                    if i < chars.len() {
                        step(&mut i, &mut line, &mut col);
                    }
                }
                if !closed {
                    open_quote = Some(here);
                }
                continue;
            }
            '\'' if chars.get(i + 2) == Some(&'\'') => {
                for _ in 0..3 {
                    step(&mut i, &mut line, &mut col);
                }
                continue;
            }
            '(' | '[' | '{' => stack.push((c, i, here)),
            ')' | ']' | '}' => {
                stack.pop();
            }
            _ => {}
        }
        step(&mut i, &mut line, &mut col);
    }
    if let Some(q) = open_quote {
        return Some((
            format!("文件意外结束：第 {} 行第 {} 列的引号 \" 没有闭合", q.line, q.col),
            format!("the file ends too early: the quote \" at line {}, column {} is not closed", q.line, q.col),
            q,
            true,
        ));
    }
    let &(open, at, p) = stack.last()?;
    let close = match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    };
    // What the bracket opens: the name written before it (`Choice(`, `options: [`).
    let before: String = chars[..at].iter().rev().copied().skip_while(|c| c.is_whitespace()).take(200).take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':' || c.is_whitespace()).collect::<Vec<_>>().into_iter().rev().collect();
    let before = before.trim();
    let (zh_what, en_what) = if let Some(field) = before.strip_suffix(':').map(str::trim).filter(|f| !f.is_empty()) {
        let field = field.rsplit(|c: char| c.is_whitespace()).next().unwrap_or(field);
        (format!("字段 `{field}` 的值开始于此"), format!("the value of `{field}` starts here"))
    } else {
        let name = before.rsplit(|c: char| c.is_whitespace() || c == ':').next().unwrap_or("");
        if NODE_KINDS.contains(&name) {
            // The node's id, when it is the first thing written in it.
            let after: String = chars[at + 1..].iter().take(400).collect();
            let id = after.trim_start().strip_prefix("id").map(str::trim_start).and_then(|r| r.strip_prefix(':')).map(str::trim_start).and_then(|r| r.strip_prefix('"')).and_then(|r| r.split('"').next()).map(crate::fsread::clip);
            match id {
                Some(id) => (format!("{name} 节点 `{id}` 开始于此"), format!("the {name} node `{id}` starts here")),
                None => (format!("一个 {name} 节点开始于此"), format!("a {name} node starts here")),
            }
        } else if name == "Scenario" {
            ("整个场景 Scenario 开始于此".to_string(), "the whole Scenario starts here".to_string())
        } else if name.is_empty() {
            (String::new(), String::new())
        } else {
            let name = crate::fsread::clip(name);
            (format!("`{name}` 开始于此"), format!("`{name}` starts here"))
        }
    };
    let (zh_note, en_note) = if zh_what.is_empty() { (String::new(), String::new()) } else { (format!("（{zh_what}）"), format!(" ({en_what})")) };
    Some((
        format!("文件意外结束：第 {} 行第 {} 列的 {open} 没有闭合{zh_note}：请在它的内容结束处补上 `{close}`", p.line, p.col),
        format!("the file ends too early: the {open} at line {}, column {} is never closed{en_note}: add `{close}` where its content ends", p.line, p.col),
        p,
        false,
    ))
}
