//! `kefu sheet`: a scenario as a workbook a teacher edits in Excel or WPS, and back.
//!
//! Export writes one sheet per part of the scenario (说明, 场景, 角色, 变量, 随机值, 节点, and a
//! sheet per activity: 选项, 配对, 排序, 表单, 拼写, 说话, 表格, 拨号, 电话), with drop-down
//! lists where the format has a closed set. Import reads the sheets back into the model and
//! writes RON as the course's files are written; every mistake is reported by sheet, row and
//! column (`节点!C7`), in the words `kefu check` uses.
//!
//! The common things are real columns (id, kind, speaker, text, 5S and rubric points, feedback,
//! next, expert, critical); whatever is rare stays a RON fragment in the row's "其他（RON）"
//! cell, serialised from the model and parsed back, so the round trip loses nothing.

pub mod export;
pub mod import;
pub mod ron_text;

use crate::scenario::{Dim, Lang, Text};

pub use export::export;
pub use import::{import, write_ron};

/// The sheets, by name.
pub const README: &str = "说明";
pub const SCENARIO: &str = "场景";
pub const ROLES: &str = "角色";
pub const VARIABLES: &str = "变量";
pub const VARIANTS: &str = "随机值";
pub const NODES: &str = "节点";
/// Between the forms of a variant value written several ways (`9:30 | 9点半`), in one cell.
pub const FORMS_SEP: &str = " | ";

/// The node kinds, as the `类型` column and RON write them.
pub const KINDS: [&str; 11] = ["Line", "Choice", "Match", "Order", "Form", "Compose", "Phone", "Dial", "Say", "Table", "Ending"];

/// A list of a node that has its own sheet: one row per element.
#[derive(Clone, Copy, Debug)]
pub struct ListSpec {
    pub sheet: &'static str,
    pub kind: &'static str,
    /// The field in the model (`options`).
    pub field: &'static str,
    /// What the `列表` column says (`选项`).
    pub label: &'static str,
    /// The field the `编号` column holds (`id`, or `number` for a phone number).
    pub id: Option<&'static str>,
    /// The field the `文字` columns hold.
    pub text: Option<&'static str>,
    /// `next` must be given.
    pub needs_next: bool,
}

const fn spec(sheet: &'static str, kind: &'static str, field: &'static str, label: &'static str, id: Option<&'static str>, text: Option<&'static str>, needs_next: bool) -> ListSpec {
    ListSpec { sheet, kind, field, label, id, text, needs_next }
}

pub const LISTS: &[ListSpec] = &[
    spec("选项", "Choice", "options", "选项", Some("id"), Some("text"), true),
    spec("配对", "Match", "categories", "分类", Some("id"), Some("text"), false),
    spec("配对", "Match", "items", "条目", Some("id"), Some("text"), false),
    spec("排序", "Order", "steps", "步骤", Some("id"), Some("text"), false),
    spec("表单", "Form", "fields", "字段", Some("id"), Some("label"), false),
    spec("拼写", "Compose", "phrases", "短语", Some("id"), Some("text"), false),
    spec("说话", "Say", "elements", "要点", Some("id"), Some("name"), false),
    spec("表格", "Table", "keys", "数据项", Some("id"), Some("label"), false),
    spec("表格", "Table", "rows", "数据行", Some("id"), Some("name"), false),
    spec("表格", "Table", "columns", "填写列", Some("id"), Some("label"), false),
    spec("拨号", "Dial", "directory", "号码簿", Some("number"), Some("label"), false),
    spec("拨号", "Dial", "numbers", "号码", Some("number"), None, true),
    spec("电话", "Phone", "by_ring", "响铃", None, None, false),
];

/// The activity sheets, in workbook order.
pub fn list_sheets() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for l in LISTS {
        if !out.contains(&l.sheet) {
            out.push(l.sheet);
        }
    }
    out
}

/// The field the node sheet's `文字` column holds for a kind.
pub fn node_text_field(kind: &str) -> &'static str {
    match kind {
        "Line" => "text",
        "Ending" => "outcome",
        _ => "prompt",
    }
}

/// A column of the node and activity sheets.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Col {
    Node,
    Id,
    Kind,
    List,
    Speaker,
    Zh,
    En,
    Dim(Dim),
    /// Points for a rubric criterion (or any other key), by its key.
    Extra(String),
    FeedbackZh,
    FeedbackEn,
    Next,
    Expert,
    CritName,
    CritPrinciple,
    Rest,
}

impl Col {
    /// `(中文, English)` of the header.
    pub fn header(&self) -> (String, String) {
        let (zh, en) = match self {
            Col::Node => ("节点", "node"),
            Col::Id => ("编号", "id"),
            Col::Kind => ("类型", "kind"),
            Col::List => ("列表", "list"),
            Col::Speaker => ("说话人", "speaker"),
            Col::Zh => ("文字", "text"),
            Col::En => ("英文", "English"),
            Col::Dim(d) => (d.name(Lang::Zh), d.key()),
            Col::Extra(k) => return ("得分".into(), k.clone()),
            Col::FeedbackZh => ("反馈", "feedback"),
            Col::FeedbackEn => ("反馈英文", "feedback-en"),
            Col::Next => ("下一步", "next"),
            Col::Expert => ("专家选择", "expert"),
            Col::CritName => ("严重错误", "critical"),
            Col::CritPrinciple => ("违反原则", "principle"),
            Col::Rest => ("其他（RON）", "other-RON"),
        };
        (zh.into(), en.into())
    }

    /// The header cell's text: `微笑 smile`.
    pub fn title(&self) -> String {
        let (zh, en) = self.header();
        format!("{zh} {en}")
    }

    /// Read a header cell: the whole title, or its Chinese or its English word; any other
    /// `… key` (a latin name last) is a points column for that key.
    pub fn parse(h: &str, fixed: &[Col]) -> Option<Col> {
        let h = h.trim();
        for c in fixed {
            let (zh, en) = c.header();
            if h == c.title() || h == zh || h.eq_ignore_ascii_case(&en) {
                return Some(c.clone());
            }
        }
        for d in Dim::ALL {
            let c = Col::Dim(d);
            let (zh, en) = c.header();
            if h == c.title() || h == zh || h == en {
                return Some(c);
            }
        }
        let key = h.rsplit(char::is_whitespace).next().unwrap_or(h);
        is_key(key).then(|| Col::Extra(key.to_string()))
    }
}

/// The columns of the node sheet.
pub fn node_cols(extras: &[String]) -> Vec<Col> {
    let mut c = vec![Col::Id, Col::Kind, Col::Speaker, Col::Zh, Col::En];
    c.extend(Dim::ALL.map(Col::Dim));
    c.extend(extras.iter().cloned().map(Col::Extra));
    c.extend([Col::FeedbackZh, Col::FeedbackEn, Col::Next, Col::CritName, Col::CritPrinciple, Col::Rest]);
    c
}

/// The columns of an activity sheet.
pub fn list_cols(extras: &[String]) -> Vec<Col> {
    let mut c = vec![Col::Node, Col::List, Col::Id, Col::Zh, Col::En];
    c.extend(Dim::ALL.map(Col::Dim));
    c.extend(extras.iter().cloned().map(Col::Extra));
    c.extend([Col::FeedbackZh, Col::FeedbackEn, Col::Next, Col::Expert, Col::CritName, Col::CritPrinciple, Col::Rest]);
    c
}

/// A name as RON writes it bare: latin letters, digits and `_`, not starting with a digit.
pub fn is_key(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The column letters of a 0-based column (`0` → `A`, `27` → `AB`).
pub fn col_letters(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(r).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A mistake found in a workbook, at a sheet, row and (usually) column.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Problem {
    pub sheet: String,
    /// The row as the spreadsheet numbers it (1 = the header row); 0 when the whole sheet is meant.
    pub row: u32,
    /// 0-based column, when one cell is meant.
    pub col: Option<u16>,
    pub message: Text,
}

impl Problem {
    pub fn new(sheet: &str, row: u32, col: Option<u16>, zh: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem { sheet: sheet.to_string(), row, col, message: Text::new(zh, en) }
    }

    /// Where, as a spreadsheet names it: `节点!C7`, `节点!7` (a row), `节点` (a sheet).
    pub fn place(&self) -> String {
        match (self.row, self.col) {
            (0, _) => self.sheet.clone(),
            (r, Some(c)) => format!("{}!{}{r}", self.sheet, col_letters(c)),
            (r, None) => format!("{}!{r}", self.sheet),
        }
    }

    /// `节点!C7: 错误: …`
    pub fn render(&self, lang: Lang) -> String {
        format!("{}: {}: {}", self.place(), lang.pick("错误", "error"), self.message.get(lang))
    }
}

/// What can go wrong writing a workbook.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("{0}")]
    Ron(#[from] ron::Error),
    #[error("{}", .0.get(Lang::En))]
    Msg(Text),
}

impl SheetError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SheetError::Xlsx(e) => format!("{}{e}", lang.pick("无法写出工作簿：", "cannot write the workbook: ")),
            SheetError::Ron(e) => format!("{}{e}", lang.pick("无法转换场景：", "cannot convert the scenario: ")),
            SheetError::Msg(t) => t.get(lang).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(27), "AB");
    }

    #[test]
    fn headers_read_back() {
        let fixed = node_cols(&[]);
        for c in &fixed {
            assert_eq!(Col::parse(&c.title(), &fixed).as_ref(), Some(c));
        }
        assert_eq!(Col::parse("倾听 listening", &fixed), Some(Col::Extra("listening".into())));
        assert_eq!(Col::parse("微笑", &fixed), Some(Col::Dim(Dim::Smile)));
        assert_eq!(Col::parse("随便", &fixed), None);
    }
}
