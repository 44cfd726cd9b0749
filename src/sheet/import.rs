//! Workbook → scenario, and the scenario written as RON.
//!
//! Each row is turned into the RON a teacher would write for it and read with the scenario
//! loader's own options, so a mistake gets the loader's words; the part of the row the reader
//! stopped at names the cell.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};

use super::export::{NO, YES, rubric_text};
use super::ron_text::{pretty_at, split_fields, to_compact};
use super::{Col, KINDS, LISTS, ListSpec, NODES, Problem, ROLES, SCENARIO, VARIABLES, VARIANTS, list_cols, list_sheets, node_cols, node_text_field};
use crate::scenario::load::ron_options;
use crate::scenario::model::*;
use crate::scenario::{Dim, Scenario};

/// A string literal for RON.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn text_ron(zh: &str, en: &str) -> String {
    if en.is_empty() { quote(zh) } else { format!("(zh: {}, en: {})", quote(zh), quote(en)) }
}

/// One sheet's cells.
struct Grid {
    name: &'static str,
    range: Range<Data>,
}

impl Grid {
    /// Rows (0-based, absolute) in use.
    fn rows(&self) -> u32 {
        self.range.end().map_or(0, |(r, _)| r + 1)
    }
    fn cols(&self) -> u16 {
        self.range.end().map_or(0, |(_, c)| u16::try_from(c + 1).unwrap_or(u16::MAX))
    }
    /// A cell as text: numbers without a trailing `.0`.
    fn get(&self, r: u32, c: u16) -> String {
        match self.range.get_value((r, u32::from(c))) {
            None | Some(Data::Empty) => String::new(),
            Some(Data::String(s)) => s.clone(),
            Some(Data::Float(f)) => {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{f:.0}")
                } else {
                    f.to_string()
                }
            }
            Some(Data::Int(i)) => i.to_string(),
            Some(Data::Bool(b)) => b.to_string(),
            Some(Data::DateTime(d)) => d.to_string(),
            Some(Data::DateTimeIso(s) | Data::DurationIso(s)) => s.clone(),
            Some(Data::Error(e)) => format!("#{e:?}"),
        }
    }
    fn blank_row(&self, r: u32) -> bool {
        (0..self.cols()).all(|c| self.get(r, c).trim().is_empty())
    }
}

/// Problems found so far, in the order they were found.
#[derive(Default)]
struct Found(Vec<Problem>);

impl Found {
    fn at(&mut self, g: &Grid, r: u32, c: Option<u16>, zh: impl Into<String>, en: impl Into<String>) {
        self.0.push(Problem::new(g.name, r + 1, c, zh, en));
    }
}

/// RON being put together from a row, remembering which cell each part came from.
#[derive(Default)]
struct Composer {
    text: String,
    /// (first char, last char + 1, column)
    segs: Vec<(usize, usize, Option<u16>)>,
    chars: usize,
}

impl Composer {
    fn part(&mut self, col: Option<u16>, s: &str) {
        if !self.text.is_empty() && !self.text.ends_with('(') {
            self.text.push_str(", ");
            self.chars += 2;
        }
        let n = s.chars().count();
        self.segs.push((self.chars, self.chars + n, col));
        self.text.push_str(s);
        self.chars += n;
    }
    fn raw(&mut self, s: &str) {
        self.text.push_str(s);
        self.chars += s.chars().count();
    }
    /// The column of the part at a line and column of the text.
    fn col_at(&self, line: usize, col: usize) -> Option<u16> {
        let mut off = 0;
        for (i, l) in self.text.split('\n').enumerate() {
            if i + 1 == line {
                off += col.saturating_sub(1);
                break;
            }
            off += l.chars().count() + 1;
        }
        self.segs.iter().find(|(a, b, _)| off >= *a && off < *b).and_then(|s| s.2)
    }
}

/// Read a RON row as `T`; a mistake is reported at the cell it is in.
fn read_as<T: serde::de::DeserializeOwned>(c: &Composer, g: &Grid, r: u32, found: &mut Found) -> bool {
    match ron_options().from_str::<T>(&c.text) {
        Ok(_) => true,
        Err(e) => {
            let d = crate::scenario::diag::from_ron(Path::new(""), &c.text, &e);
            let col = c.col_at(e.span.start.line, e.span.start.col);
            found.at(g, r, col, d.message.zh, d.message.en.unwrap_or_default());
            false
        }
    }
}

fn check_item(field: &str, c: &Composer, g: &Grid, r: u32, found: &mut Found) -> bool {
    match field {
        "options" => read_as::<ChoiceOption>(c, g, r, found),
        "categories" => read_as::<Category>(c, g, r, found),
        "items" => read_as::<MatchItem>(c, g, r, found),
        "steps" => read_as::<Step>(c, g, r, found),
        "fields" => read_as::<Field>(c, g, r, found),
        "phrases" => read_as::<Phrase>(c, g, r, found),
        "elements" => read_as::<Element>(c, g, r, found),
        "keys" => read_as::<TableKey>(c, g, r, found),
        "rows" => read_as::<TableRow>(c, g, r, found),
        "columns" => read_as::<Column>(c, g, r, found),
        "directory" => read_as::<Listing>(c, g, r, found),
        "numbers" => read_as::<DialNumber>(c, g, r, found),
        "by_ring" => read_as::<RingScore>(c, g, r, found),
        _ => false,
    }
}

/// The header row: which column is which.
fn header(g: &Grid, fixed: &[Col], needed: &[Col], found: &mut Found) -> HashMap<Col, u16> {
    let mut cols = HashMap::new();
    for c in 0..g.cols() {
        let h = g.get(0, c);
        if h.trim().is_empty() {
            continue;
        }
        match Col::parse(&h, fixed) {
            Some(col) => {
                if cols.insert(col.clone(), c).is_some() {
                    found.at(g, 0, Some(c), format!("列标题“{h}”出现了两次"), format!("the column “{h}” appears twice"));
                }
            }
            None => found.at(
                g,
                0,
                Some(c),
                format!("不认识的列标题“{h}”：请用导出时的列标题（得分列写评分项目的英文名，例如“倾听 listening”）"),
                format!("unknown column “{h}”: keep the titles the export wrote (a points column ends with its key, e.g. “倾听 listening”)"),
            ),
        }
    }
    for n in needed {
        if !cols.contains_key(n) {
            found.at(g, 0, None, format!("缺少“{}”列", n.title()), format!("the column “{}” is missing", n.title()));
        }
    }
    cols
}

fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "对" | "√" | "✓" | "y" | "yes" | "true" | "1" => Some(true),
        "否" | "不" | "×" | "n" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

fn dim_of(s: &str) -> Option<Dim> {
    let s = s.trim();
    Dim::ALL.into_iter().find(|d| d.key().eq_ignore_ascii_case(s) || d.name(crate::scenario::Lang::Zh) == s)
}

/// The cells shared by node rows and activity rows, as RON parts.
struct RowCtx<'a> {
    g: &'a Grid,
    cols: &'a HashMap<Col, u16>,
    r: u32,
    ids: &'a HashSet<String>,
}

impl RowCtx<'_> {
    fn cell(&self, c: &Col) -> (String, Option<u16>) {
        match self.cols.get(c) {
            Some(&i) => (self.g.get(self.r, i), Some(i)),
            None => (String::new(), None),
        }
    }

    /// Text, points, feedback, next, expert, critical and the RON cell.
    fn common(&self, comp: &mut Composer, text_field: Option<&str>, text_what: (&str, &str), needs_next: bool, found: &mut Found) {
        let (g, r) = (self.g, self.r);
        let (zh, zc) = self.cell(&Col::Zh);
        let (en, ec) = self.cell(&Col::En);
        match text_field {
            Some(f) => {
                if zh.trim().is_empty() {
                    found.at(g, r, zc, format!("缺少{}：这一格必须填写中文", text_what.0), format!("the {} is missing: this cell must hold the Chinese text", text_what.1));
                } else {
                    comp.part(zc, &format!("{f}: {}", text_ron(&zh, &en)));
                }
            }
            None => {
                if let Some((_, c)) = [(&zh, zc), (&en, ec)].into_iter().find(|(s, _)| !s.trim().is_empty()) {
                    found.at(g, r, c, "这一行没有文字，这一格请留空", "this row has no text: leave this cell empty");
                }
            }
        }
        // Points: the 5S columns first, then the others in their column order.
        let mut pcols: Vec<(&Col, u16)> = self.cols.iter().filter(|(c, _)| matches!(c, Col::Dim(_) | Col::Extra(_))).map(|(c, i)| (c, *i)).collect();
        pcols.sort_by_key(|(c, i)| (!matches!(c, Col::Dim(_)), *i));
        let mut pts = Vec::new();
        let mut first = None;
        for (c, i) in pcols {
            let v = g.get(r, i);
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let key = match c {
                Col::Dim(d) => d.key().to_string(),
                Col::Extra(k) => k.clone(),
                _ => continue,
            };
            match v.strip_prefix('+').unwrap_or(v).parse::<i32>() {
                Ok(n) => {
                    first.get_or_insert(i);
                    pts.push(format!("{key}: {n}"));
                }
                Err(_) => found.at(
                    g,
                    r,
                    Some(i),
                    format!("得分“{v}”不是整数：这里写整数，例如 2 或 -1，不给分就留空"),
                    format!("the points “{v}” are not a whole number: write one, e.g. 2 or -1, or leave the cell empty"),
                ),
            }
        }
        if !pts.is_empty() {
            comp.part(first, &format!("effects: ({})", pts.join(", ")));
        }
        let (fz, fzc) = self.cell(&Col::FeedbackZh);
        let (fe, fec) = self.cell(&Col::FeedbackEn);
        if !fz.trim().is_empty() {
            comp.part(fzc, &format!("feedback: {}", text_ron(&fz, &fe)));
        } else if !fe.trim().is_empty() {
            found.at(g, r, fzc.or(fec), "有英文反馈却没有中文反馈：请先写中文", "English feedback without Chinese: write the Chinese first");
        }
        let (next, nc) = self.cell(&Col::Next);
        let next = next.trim();
        if next.is_empty() {
            if needs_next {
                found.at(g, r, nc, "缺少下一步（next）：请从下拉列表选择要跳转的节点", "next is missing: pick the node to go to from the list");
            }
        } else if !self.ids.contains(next) {
            found.at(g, r, nc, format!("要跳转的节点 `{next}` 不存在（节点表里没有这个编号）"), format!("the node `{next}` to go to does not exist (no such id on the node sheet)"));
        } else {
            comp.part(nc, &format!("next: {}", quote(next)));
        }
        let (ex, exc) = self.cell(&Col::Expert);
        if !ex.trim().is_empty() {
            match yes_no(&ex) {
                Some(b) => comp.part(exc, &format!("expert: {b}")),
                None => found.at(g, r, exc, format!("“{ex}”：专家选择只能填“{YES}”或“{NO}”"), format!("“{ex}”: expert takes “{YES}” or “{NO}”")),
            }
        }
        let (cn, cnc) = self.cell(&Col::CritName);
        let (cp, cpc) = self.cell(&Col::CritPrinciple);
        match (cn.trim().is_empty(), cp.trim().is_empty()) {
            (true, true) => {}
            (false, false) => match dim_of(&cp) {
                Some(d) => comp.part(cnc, &format!("critical: (name: {}, principle: {})", quote(&cn), d.key())),
                None => found.at(
                    g,
                    r,
                    cpc,
                    format!("“{cp}”不是 5S 原则：请从下拉列表选择 smile、speed、sincerity、skill 或 research"),
                    format!("“{cp}” is not a 5S principle: pick smile, speed, sincerity, skill or research"),
                ),
            },
            (false, true) => found.at(g, r, cpc, "写了严重错误，还要写它违反的 5S 原则", "a critical error needs the 5S principle it breaks"),
            (true, false) => found.at(g, r, cnc, "写了违反原则，还要写严重错误的名称", "a principle needs the critical error's name"),
        }
        let (rest, rc) = self.cell(&Col::Rest);
        let rest = rest.trim().trim_end_matches(',');
        if !rest.is_empty() {
            comp.part(rc, rest);
        }
    }
}

fn open(bytes: &[u8]) -> Result<Xlsx<Cursor<&[u8]>>, Problem> {
    Xlsx::new(Cursor::new(bytes)).map_err(|e| Problem::new("", 0, None, format!("无法读取工作簿（不是 XLSX 文件，或文件已损坏）：{e}"), format!("cannot read the workbook (not an XLSX file, or damaged): {e}")))
}

fn grid(wb: &mut Xlsx<Cursor<&[u8]>>, name: &'static str, required: bool, found: &mut Found) -> Option<Grid> {
    if !wb.sheet_names().iter().any(|n| n == name) {
        if required {
            found.0.push(Problem::new(name, 0, None, format!("工作簿里没有“{name}”表"), format!("the workbook has no sheet “{name}”")));
        }
        return None;
    }
    match wb.worksheet_range(name) {
        Ok(range) => Some(Grid { name, range }),
        Err(e) => {
            found.0.push(Problem::new(name, 0, None, format!("无法读取这张表：{e}"), format!("cannot read this sheet: {e}")));
            None
        }
    }
}

/// The 场景 sheet: top-level fields as RON parts, in the model's order.
fn scenario_fields(g: &Grid, found: &mut Found) -> Vec<String> {
    let mut by: Vec<(String, String, String, u32)> = Vec::new();
    for r in 1..g.rows() {
        let k = g.get(r, 0).trim().to_string();
        if k.is_empty() {
            if !g.blank_row(r) {
                found.at(g, r, Some(0), "这一行缺少字段名", "this row has no field name");
            }
            continue;
        }
        by.push((k, g.get(r, 1), g.get(r, 2), r));
    }
    let known = ["id", "title", "project", "task", "minutes", "time_limit_minutes", "situation", "teaser", "objectives", "start", "rubric", "draws"];
    for (k, _, _, r) in &by {
        if !known.contains(&k.as_str()) && k.strip_prefix("advice.").is_none_or(|d| Dim::from_key(d).is_none()) {
            found.at(g, *r, Some(0), format!("不认识的字段“{k}”；可以写：{}，以及 advice.smile 等", known.join(", ")), format!("unknown field “{k}”; the fields are: {}, and advice.smile etc.", known.join(", ")));
        } else if k != "objectives" && by.iter().filter(|b| b.0 == *k).count() > 1 && by.iter().find(|b| b.0 == *k).is_some_and(|b| b.3 != *r) {
            found.at(g, *r, Some(0), format!("字段“{k}”写了两次，请删除一个"), format!("the field “{k}” is written twice: remove one"));
        }
    }
    let one = |k: &str| by.iter().find(|b| b.0 == k);
    let mut parts = Vec::new();
    let missing = |k: &str, found: &mut Found| found.0.push(Problem::new(g.name, 0, None, format!("缺少必填字段 `{k}`：请加一行"), format!("the required field `{k}` is missing: add a row")));
    let text = |k: &str, found: &mut Found, required: bool| -> Option<String> {
        match one(k) {
            Some((_, zh, en, r)) if zh.trim().is_empty() => {
                found.at(g, *r, Some(1), format!("`{k}` 缺少中文"), format!("`{k}` has no Chinese text"));
                let _ = en;
                None
            }
            Some((_, zh, en, _)) => Some(format!("{k}: {}", text_ron(zh, en))),
            None => {
                if required {
                    found.0.push(Problem::new(g.name, 0, None, format!("缺少必填字段 `{k}`：请加一行"), format!("the required field `{k}` is missing: add a row")));
                }
                None
            }
        }
    };
    let number = |k: &str, found: &mut Found| -> Option<String> {
        let (_, v, _, r) = one(k)?;
        match v.trim().parse::<u32>() {
            Ok(n) => Some(n.to_string()),
            Err(_) => {
                found.at(g, *r, Some(1), format!("`{k}` 应该是一个不小于 0 的整数，但写的是“{v}”"), format!("`{k}` should be a whole number, 0 or more, but is “{v}”"));
                None
            }
        }
    };
    match one("id") {
        Some((_, v, _, _)) => parts.push(format!("id: {}", quote(v.trim()))),
        None => missing("id", found),
    }
    parts.extend(text("title", found, true));
    match (number("project", found), number("task", found)) {
        (Some(p), Some(t)) => parts.push(format!("course: (project: {p}, task: {t})")),
        (p, t) => {
            for (k, v) in [("project", p), ("task", t)] {
                if v.is_none() && one(k).is_none() {
                    missing(k, found);
                }
            }
        }
    }
    for k in ["minutes", "time_limit_minutes"] {
        if let Some(n) = number(k, found) {
            parts.push(format!("{k}: {n}"));
        }
    }
    parts.extend(text("situation", found, true));
    parts.extend(text("teaser", found, false));
    let objectives: Vec<String> = by
        .iter()
        .filter(|b| b.0 == "objectives")
        .filter_map(|(_, zh, en, r)| {
            if zh.trim().is_empty() {
                found.at(g, *r, Some(1), "学习目标缺少中文", "an objective has no Chinese text");
                None
            } else {
                Some(text_ron(zh, en))
            }
        })
        .collect();
    if !objectives.is_empty() {
        parts.push(format!("objectives: [{}]", objectives.join(", ")));
    }
    if let Some((_, v, _, r)) = one("rubric")
        && !v.trim().is_empty()
    {
        let mut c = Composer::default();
        c.part(Some(1), v.trim());
        if read_as::<crate::scenario::Rubric>(&c, g, *r, found) {
            parts.push(format!("rubric: {}", v.trim()));
        }
    }
    let advice: Vec<String> = by.iter().filter_map(|(k, zh, en, _)| k.strip_prefix("advice.").map(|d| format!("{d}: {}", text_ron(zh, en)))).collect();
    if !advice.is_empty() {
        parts.push(format!("advice: ({})", advice.join(", ")));
    }
    if let Some((_, v, _, r)) = one("draws")
        && !v.trim().is_empty()
    {
        let mut c = Composer::default();
        c.part(Some(1), v.trim());
        if read_as::<Vec<Draw>>(&c, g, *r, found) {
            parts.push(format!("draws: {}", v.trim()));
        }
    }
    if let Some((_, v, _, _)) = one("start")
        && !v.trim().is_empty()
    {
        parts.push(format!("start: {}", quote(v.trim())));
    }
    parts
}

fn roles(g: &Grid, found: &mut Found) -> (String, HashSet<String>) {
    let mut out = Vec::new();
    let mut ids = HashSet::new();
    for r in 1..g.rows() {
        if g.blank_row(r) {
            continue;
        }
        let (id, zh, en, by, portrait) = (g.get(r, 0).trim().to_string(), g.get(r, 1), g.get(r, 2), g.get(r, 3), g.get(r, 4));
        if id.is_empty() {
            found.at(g, r, Some(0), "角色缺少编号（id）", "the role has no id");
            continue;
        }
        if zh.trim().is_empty() {
            found.at(g, r, Some(1), "角色缺少名字", "the role has no name");
            continue;
        }
        let mut p = vec![format!("id: {}", quote(&id)), format!("name: {}", text_ron(&zh, &en))];
        match by.trim() {
            "" => {}
            "Student" | "student" | "学生" => p.push("played_by: Student".into()),
            "Computer" | "computer" | "电脑" | "计算机" => p.push("played_by: Computer".into()),
            other => found.at(g, r, Some(3), format!("“{other}”：扮演只能填 Student（学生）或 Computer（电脑）"), format!("“{other}”: played_by takes Student or Computer")),
        }
        if !portrait.trim().is_empty() {
            p.push(format!("portrait: {}", quote(portrait.trim())));
        }
        ids.insert(id);
        out.push(format!("({})", p.join(", ")));
    }
    (format!("roles: [{}]", out.join(", ")), ids)
}

fn variables(g: &Grid, found: &mut Found) -> Option<String> {
    let mut out = Vec::new();
    for r in 1..g.rows() {
        if g.blank_row(r) {
            continue;
        }
        let (k, v) = (g.get(r, 0).trim().to_string(), g.get(r, 1).trim().to_string());
        if !super::is_key(&k) {
            found.at(g, r, Some(0), format!("变量名“{k}”只能用英文字母、数字和下划线，且不以数字开头"), format!("the variable name “{k}” takes latin letters, digits and _ only, not starting with a digit"));
            continue;
        }
        let value = match v.to_lowercase().as_str() {
            "" | "false" => "0".to_string(),
            "true" => "1".to_string(),
            v => match v.parse::<i64>() {
                Ok(n) => n.to_string(),
                Err(_) => {
                    found.at(g, r, Some(1), format!("初始值“{v}”应该是整数或 true/false"), format!("the start value “{v}” should be a whole number or true/false"));
                    continue;
                }
            },
        };
        out.push(format!("{k}: {value}"));
    }
    (!out.is_empty()).then(|| format!("variables: ({})", out.join(", ")))
}

fn variants(g: &Grid, found: &mut Found) -> Option<String> {
    // Columns: key, or key (English).
    let mut cols: Vec<(u16, String, bool)> = Vec::new();
    for c in 1..g.cols() {
        let h = g.get(0, c);
        let h = h.trim();
        if h.is_empty() {
            continue;
        }
        let (k, en) = match h.strip_suffix("(English)") {
            Some(k) => (k.trim(), true),
            None => (h, false),
        };
        if super::is_key(k) {
            cols.push((c, k.to_string(), en));
        } else {
            found.at(g, 0, Some(c), format!("列标题“{h}”应该是随机值的名称（英文字母、数字、下划线），或“名称 (English)”"), format!("the column “{h}” should be a name (latin letters, digits, _) or “name (English)”"));
        }
    }
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for r in 1..g.rows() {
        if g.blank_row(r) {
            continue;
        }
        let grp = g.get(r, 0).trim().to_string();
        if grp.parse::<u32>().is_err() {
            found.at(g, r, Some(0), format!("组“{grp}”应该是一个整数：同一组的行写同一个数"), format!("the group “{grp}” should be a whole number: rows of one group share it"));
            continue;
        }
        let mut vals = Vec::new();
        for (c, k, en) in &cols {
            if *en {
                continue;
            }
            let zh = g.get(r, *c);
            let en_c = cols.iter().find(|(_, k2, e)| k2 == k && *e).map(|(c, _, _)| g.get(r, *c)).unwrap_or_default();
            if zh.is_empty() {
                if !en_c.is_empty() {
                    found.at(g, r, Some(*c), format!("`{k}` 有英文却没有中文"), format!("`{k}` has English but no Chinese"));
                }
                continue;
            }
            // Several forms of one value are split by "|": the first is shown, all are accepted.
            let zs: Vec<&str> = zh.split('|').map(str::trim).collect();
            let es: Vec<&str> = en_c.split('|').map(str::trim).collect();
            if zs.len() == 1 {
                vals.push(format!("{k}: {}", text_ron(&zh, &en_c)));
            } else {
                let forms: Vec<String> = zs.iter().enumerate().map(|(i, z)| text_ron(z, es.get(i).copied().unwrap_or_default())).collect();
                vals.push(format!("{k}: [{}]", forms.join(", ")));
            }
        }
        let row = format!("({})", vals.join(", "));
        match groups.iter_mut().find(|(n, _)| *n == grp) {
            Some(gr) => gr.1.push(row),
            None => groups.push((grp, vec![row])),
        }
    }
    (!groups.is_empty()).then(|| format!("variants: [{}]", groups.iter().map(|(_, rows)| format!("(rows: [{}])", rows.join(", "))).collect::<Vec<_>>().join(", ")))
}

/// Read a workbook written by `kefu sheet export` (and edited): the scenario, or every mistake
/// found, each at its sheet, row and column.
pub fn import(bytes: &[u8]) -> Result<Scenario, Vec<Problem>> {
    let mut wb = open(bytes).map_err(|p| vec![p])?;
    let mut found = Found::default();
    let sg = grid(&mut wb, SCENARIO, true, &mut found);
    let rg = grid(&mut wb, ROLES, true, &mut found);
    let vg = grid(&mut wb, VARIABLES, false, &mut found);
    let xg = grid(&mut wb, VARIANTS, false, &mut found);
    let ng = grid(&mut wb, NODES, true, &mut found);
    let lgs: Vec<Grid> = list_sheets().into_iter().filter_map(|s| grid(&mut wb, s, false, &mut found)).collect();
    let (Some(sg), Some(rg), Some(ng)) = (sg, rg, ng) else { return Err(found.0) };

    let mut top = scenario_fields(&sg, &mut found);
    let (roles_part, role_ids) = roles(&rg, &mut found);
    top.push(roles_part);
    if let Some(v) = vg.as_ref().and_then(|g| variables(g, &mut found)) {
        top.push(v);
    }
    if let Some(v) = xg.as_ref().and_then(|g| variants(g, &mut found)) {
        top.push(v);
    }

    // Nodes: ids and kinds first, so that rows anywhere can point at any node.
    let fixed = node_cols(&[]);
    let ncols = header(&ng, &fixed, &[Col::Id, Col::Kind], &mut found);
    let mut ids = HashSet::new();
    let mut nodes: Vec<(u32, String, &'static str)> = Vec::new();
    for r in 1..ng.rows() {
        if ng.blank_row(r) {
            continue;
        }
        let id = ncols.get(&Col::Id).map(|&c| ng.get(r, c).trim().to_string()).unwrap_or_default();
        let kc = ncols.get(&Col::Kind).copied();
        let kind = kc.map(|c| ng.get(r, c).trim().to_string()).unwrap_or_default();
        if id.is_empty() {
            found.at(&ng, r, ncols.get(&Col::Id).copied(), "节点缺少编号（id）", "the node has no id");
            continue;
        }
        if !ids.insert(id.clone()) {
            found.at(&ng, r, ncols.get(&Col::Id).copied(), format!("节点编号 `{id}` 重复：每个节点的编号必须不同"), format!("the node id `{id}` is used twice: every node needs its own id"));
            continue;
        }
        match KINDS.iter().find(|k| k.eq_ignore_ascii_case(&kind)) {
            Some(k) => nodes.push((r, id, k)),
            None => found.at(
                &ng,
                r,
                kc,
                format!("不认识节点类型 `{kind}`；这里可以写：{}", KINDS.join(", ")),
                format!("`{kind}` is not a node kind; you can write: {}", KINDS.join(", ")),
            ),
        }
    }

    // Activity rows, by node and list.
    let mut lists: HashMap<(String, &'static str), Vec<String>> = HashMap::new();
    let lfixed = list_cols(&[]);
    for g in &lgs {
        let cols = header(g, &lfixed, &[Col::Node, Col::List], &mut found);
        let specs: Vec<&ListSpec> = LISTS.iter().filter(|l| l.sheet == g.name).collect();
        for r in 1..g.rows() {
            if g.blank_row(r) {
                continue;
            }
            let ctx = RowCtx { g, cols: &cols, r, ids: &ids };
            let (node, nc) = ctx.cell(&Col::Node);
            let node = node.trim().to_string();
            let (label, lc) = ctx.cell(&Col::List);
            let label = label.trim();
            let Some(spec) = specs.iter().find(|s| s.label == label || s.field == label) else {
                let names: Vec<&str> = specs.iter().map(|s| s.label).collect();
                found.at(g, r, lc, format!("列表“{label}”：这张表里只能写 {}", names.join("、")), format!("list “{label}”: this sheet takes {}", names.join(", ")));
                continue;
            };
            match nodes.iter().find(|n| n.1 == node) {
                None => {
                    found.at(g, r, nc, format!("节点 `{node}` 不存在（节点表里没有这个编号）"), format!("the node `{node}` does not exist (no such id on the node sheet)"));
                    continue;
                }
                Some(n) if n.2 != spec.kind => {
                    found.at(g, r, nc, format!("节点 `{node}` 是 {}，不是 {}：它没有“{}”", n.2, spec.kind, spec.label), format!("the node `{node}` is a {}, not a {}: it has no {}", n.2, spec.kind, spec.field));
                    continue;
                }
                Some(_) => {}
            }
            let mut comp = Composer::default();
            comp.raw("(");
            let (id, ic) = ctx.cell(&Col::Id);
            match spec.id {
                Some(_) if id.trim().is_empty() => found.at(g, r, ic, "缺少编号：这一格必须填写", "the id is missing: this cell must be filled"),
                Some(f) => comp.part(ic, &format!("{f}: {}", quote(id.trim()))),
                None if !id.trim().is_empty() => found.at(g, r, ic, "这一列表没有编号，这一格请留空", "this list has no ids: leave this cell empty"),
                None => {}
            }
            let before = found.0.len();
            ctx.common(&mut comp, spec.text, ("文字", "text"), spec.needs_next, &mut found);
            comp.raw(")");
            if found.0.len() == before && check_item(spec.field, &comp, g, r, &mut found) {
                lists.entry((node, spec.field)).or_default().push(comp.text);
            }
        }
    }

    // Node rows.
    let mut node_texts = Vec::new();
    for (r, id, kind) in &nodes {
        let ctx = RowCtx { g: &ng, cols: &ncols, r: *r, ids: &ids };
        let mut comp = Composer::default();
        comp.raw(&format!("{kind}("));
        comp.part(ncols.get(&Col::Id).copied(), &format!("id: {}", quote(id)));
        let (sp, sc) = ctx.cell(&Col::Speaker);
        let sp = sp.trim();
        if !sp.is_empty() {
            if role_ids.contains(sp) {
                comp.part(sc, &format!("speaker: {}", quote(sp)));
            } else {
                found.at(&ng, *r, sc, format!("说话人 `{sp}` 不是角色表里的角色"), format!("the speaker `{sp}` is not on the role sheet"));
            }
        }
        let before = found.0.len();
        ctx.common(&mut comp, Some(node_text_field(kind)), ("文字", "text"), *kind == "Phone", &mut found);
        for spec in LISTS.iter().filter(|l| l.kind == *kind) {
            let items = lists.remove(&(id.clone(), spec.field)).unwrap_or_default();
            comp.part(None, &format!("{}: [{}]", spec.field, items.join(", ")));
        }
        comp.raw(")");
        if found.0.len() == before && read_as::<Node>(&comp, &ng, *r, &mut found) {
            node_texts.push(comp.text);
        }
    }
    top.push(format!("nodes: [{}]", node_texts.join(", ")));
    if !found.0.is_empty() {
        return Err(found.0);
    }
    let text = format!("Scenario({})", top.join(", "));
    match crate::scenario::load_str(Path::new("workbook"), &text) {
        Ok(l) => Ok((*l.scenario).clone()),
        Err(d) => Err(vec![Problem::new(SCENARIO, 0, None, d.message.zh, d.message.en.unwrap_or_default())]),
    }
}

/// The scenario as a RON file a teacher reads: the fields in the model's order, defaults left
/// out, a group on one line when it fits. Checked by reading it back; should that ever differ,
/// the plain serialiser's output is written instead.
pub fn write_ron(sc: &Scenario) -> String {
    let Ok(compact) = to_compact(sc) else { return String::new() };
    let fields = split_fields(&compact).unwrap_or_default();
    let mut out = String::from("Scenario(\n");
    for (name, value) in fields {
        let value = if name == "rubric" { rubric_text(&sc.rubric).unwrap_or_default() } else { value };
        if value.is_empty() || super::ron_text::is_default(&name, &value, &[]) {
            continue;
        }
        let start = 4 + name.len() + 2;
        out.push_str(&format!("    {name}: {},\n", pretty_at(&value, 4, start, 120)));
    }
    out.push_str(")\n");
    let same = crate::scenario::load_str(Path::new("out.ron"), &out).ok().and_then(|l| to_compact(&*l.scenario).ok()).is_some_and(|c| c == compact);
    if same {
        return out;
    }
    let config = ron::ser::PrettyConfig::new().extensions(ron::extensions::Extensions::IMPLICIT_SOME | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES);
    match ron::ser::to_string_pretty(sc, config) {
        Ok(mut s) => {
            // After the `#![enable(…)]` line: `(` → `Scenario(`.
            match s.find("\n(") {
                Some(i) => s.insert_str(i + 1, "Scenario"),
                None if s.starts_with('(') => s.insert_str(0, "Scenario"),
                None => {}
            }
            s
        }
        Err(_) => out,
    }
}
