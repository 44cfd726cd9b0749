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
    let pos = skip_blanks(src, Pos { line: err.span.start.line.max(1), col: err.span.start.col.max(1) });
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
