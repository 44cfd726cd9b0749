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
    /// Stable short name, listed in `docs/authoring.md` (e.g. `unknown-target`).
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
pub fn from_ron(file: &Path, src: &str, err: &ron::error::SpannedError) -> Diagnostic {
    use ron::error::Error as E;
    let pos = skip_blanks(src, Pos { line: err.span.start.line.max(1), col: err.span.start.col.max(1) });
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
        E::NoSuchStructField { expected, found, outer } => (
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
        ),
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
        E::DuplicateStructField { field, .. } => (
            "duplicate-field",
            format!("字段 `{field}` 写了两次，请删除一个"),
            format!("the field `{field}` is written twice: remove one"),
        ),
        E::NoSuchEnumVariant { expected, found, .. } => (
            "unknown-kind",
            format!("不认识 `{found}`；这里可以写：{}", list(expected)),
            format!("`{found}` is not known here; you can write: {}", list(expected)),
        ),
        E::InvalidValueForType { expected, found } => (
            "wrong-type",
            format!("这里应该是{expected}，但写的是 {found}"),
            format!("expected {expected} here, but found {found}"),
        ),
        E::Message(m) => translate_message(m),
        other => ("syntax", format!("格式错误：{other}"), format!("syntax error: {other}")),
    };
    Diagnostic::new(Severity::Error, code, file, pos, zh, en)
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
    if let Some(rest) = m.strip_prefix("duplicate field ") {
        return (
            "duplicate-field",
            format!("字段 {rest} 写了两次，请删除一个"),
            format!("the field {rest} is written twice: remove one"),
        );
    }
    if let Some(rest) = m.strip_prefix("unknown field ") {
        return ("unknown-field", format!("不认识的字段 {rest}"), format!("unknown field {rest}"));
    }
    if let Some(rest) = m.strip_prefix("missing field ") {
        return ("missing-field", format!("缺少必填字段 {rest}"), format!("missing required field {rest}"));
    }
    if m.starts_with("condition ") {
        return ("bad-condition", format!("条件写法有误：{m}"), format!("invalid {m}"));
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        return ("wrong-type", format!("类型不对：{rest}"), format!("wrong kind of value: {rest}"));
    }
    ("syntax", format!("格式错误：{m}"), m.to_string())
}
