//! Scenario → workbook.

use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, FormatAlign, Formula, Workbook, Worksheet};

use super::ron_text::{fields_text, is_default, split_fields, split_list, to_compact};
use super::{Col, FORMS_SEP, KINDS, LISTS, NODES, README, ROLES, SCENARIO, SheetError, VARIABLES, VARIANTS, list_cols, list_sheets, node_cols, node_text_field};
use crate::scenario::load::ron_options;
use crate::scenario::model::{Cap, Critical};
use crate::scenario::{Dim, Effects, Lang, Rubric, Scenario, Text};

#[derive(Clone, Debug)]
enum Cell {
    Str(String),
    Num(f64),
}

type Row = Vec<(Col, Cell)>;

/// What the 是/否 columns say.
pub const YES: &str = "是";
pub const NO: &str = "否";

/// Rows past the last one that still get the drop-down lists (for rows a teacher adds).
const SPARE_ROWS: u32 = 300;

fn err(zh: String, en: String) -> SheetError {
    SheetError::Msg(Text::new(zh, en))
}

fn parse<T: serde::de::DeserializeOwned>(v: &str) -> Option<T> {
    ron_options().from_str(v).ok()
}

/// A text fits the two text columns when its Chinese is written and its English, if any, too
/// (an empty cell reads as "not written").
fn fits(t: &Text) -> bool {
    !t.zh.is_empty() && t.en.as_ref().is_none_or(|e| !e.is_empty())
}

/// Fill a row's columns from a struct's fields; what has no column is returned for the RON cell.
fn fill(fields: Vec<(String, String)>, id: Option<&str>, text: Option<&str>, skip: &[&str], row: &mut Row, extras: &mut Vec<String>) -> Vec<(String, String)> {
    let mut rest = Vec::new();
    let names: Vec<String> = fields.iter().map(|(k, _)| k.clone()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    for (name, val) in fields {
        if skip.contains(&name.as_str()) {
            continue;
        }
        let n = name.as_str();
        let taken = if Some(n) == id || n == "speaker" || n == "next" {
            match parse::<String>(&val) {
                Some(s) if !s.is_empty() && !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace) => {
                    let col = if Some(n) == id { Col::Id } else if n == "speaker" { Col::Speaker } else { Col::Next };
                    row.push((col, Cell::Str(s)));
                    true
                }
                _ => false,
            }
        } else if Some(n) == text || n == "feedback" {
            match parse::<Text>(&val) {
                Some(t) if fits(&t) => {
                    let (zc, ec) = if n == "feedback" { (Col::FeedbackZh, Col::FeedbackEn) } else { (Col::Zh, Col::En) };
                    row.push((zc, Cell::Str(t.zh)));
                    if let Some(en) = t.en {
                        row.push((ec, Cell::Str(en)));
                    }
                    true
                }
                _ => false,
            }
        } else if n == "effects" {
            match parse::<Effects>(&val) {
                Some(e) => {
                    for (k, v) in e.iter() {
                        let col = match Dim::from_key(k) {
                            Some(d) => Col::Dim(d),
                            None => {
                                if !extras.iter().any(|x| x == k) {
                                    extras.push(k.to_string());
                                }
                                Col::Extra(k.to_string())
                            }
                        };
                        row.push((col, Cell::Num(f64::from(*v))));
                    }
                    true
                }
                None => false,
            }
        } else if n == "expert" {
            match parse::<bool>(&val) {
                Some(b) => {
                    row.push((Col::Expert, Cell::Str(if b { YES } else { NO }.into())));
                    true
                }
                None => false,
            }
        } else if n == "critical" {
            match parse::<Critical>(&val) {
                Some(c) if c.name.en.is_none() && !c.name.zh.is_empty() && c.cap == Cap::default() => {
                    row.push((Col::CritName, Cell::Str(c.name.zh)));
                    row.push((Col::CritPrinciple, Cell::Str(c.principle.key().into())));
                    true
                }
                _ => false,
            }
        } else {
            false
        };
        if !taken && !is_default(n, &val, &names) {
            rest.push((name, val));
        }
    }
    if !rest.is_empty() {
        row.push((Col::Rest, Cell::Str(fields_text(&rest))));
    }
    rest
}

fn fields_of(compact: &str, what: &str) -> Result<Vec<(String, String)>, SheetError> {
    split_fields(compact).ok_or_else(|| err(format!("无法拆分 {what} 的字段"), format!("cannot split the fields of {what}")))
}

struct Sheets {
    nodes: Vec<Row>,
    lists: Vec<(&'static str, Row)>,
    extras: Vec<String>,
}

fn node_rows(sc: &Scenario) -> Result<Sheets, SheetError> {
    let mut out = Sheets { nodes: Vec::new(), lists: Vec::new(), extras: Vec::new() };
    for node in &sc.nodes {
        let kind = node.kind();
        let fields = fields_of(&to_compact(node)?, node.id())?;
        let specs: Vec<_> = LISTS.iter().filter(|l| l.kind == kind).collect();
        let skip: Vec<&str> = specs.iter().map(|l| l.field).collect();
        let mut row = vec![(Col::Kind, Cell::Str(kind.into()))];
        fill(fields.clone(), Some("id"), Some(node_text_field(kind)), &skip, &mut row, &mut out.extras);
        out.nodes.push(row);
        for spec in specs {
            let Some((_, list)) = fields.iter().find(|(k, _)| k == spec.field) else { continue };
            let items = split_list(list).ok_or_else(|| err(format!("无法拆分节点 {} 的 {}", node.id(), spec.field), format!("cannot split {} of node {}", spec.field, node.id())))?;
            for item in items {
                let f = fields_of(&item, node.id())?;
                let mut row = vec![(Col::Node, Cell::Str(node.id().into())), (Col::List, Cell::Str(spec.label.into()))];
                fill(f, spec.id, spec.text, &[], &mut row, &mut out.extras);
                out.lists.push((spec.sheet, row));
            }
        }
    }
    Ok(out)
}

/// The rubric as a RON fragment: only the parts that differ from the course's own.
pub fn rubric_text(r: &Rubric) -> Result<String, ron::Error> {
    let course = Rubric::course();
    let mut parts = Vec::new();
    if r.criteria != course.criteria {
        parts.push(format!("criteria: {}", to_compact(&r.criteria)?));
    }
    if r.bands != course.bands {
        parts.push(format!("bands: {}", to_compact(&r.bands)?));
    }
    if r.grades != course.grades {
        parts.push(format!("grades: {}", to_compact(&r.grades)?));
    }
    if parts.is_empty() {
        return Ok(String::new());
    }
    Ok(super::ron_text::pretty(&format!("({})", parts.join(",")), 0, usize::MAX))
}

struct Styles {
    head: Format,
    wrap: Format,
    text: Format,
}

fn check_len(s: &str, sheet: &str) -> Result<(), SheetError> {
    if s.chars().count() > 32_767 {
        return Err(err(
            format!("“{sheet}”表中有一段文字超过 32767 个字符，Excel 的单元格放不下"),
            format!("a text on sheet “{sheet}” is longer than 32,767 characters, more than an Excel cell holds"),
        ));
    }
    Ok(())
}

fn put(ws: &mut Worksheet, r: u32, c: u16, cell: &Cell, st: &Styles, sheet: &str) -> Result<(), SheetError> {
    match cell {
        Cell::Str(s) => {
            check_len(s, sheet)?;
            ws.write_string_with_format(r, c, s, &st.text)?;
        }
        Cell::Num(n) => {
            ws.write_number(r, c, *n)?;
        }
    }
    Ok(())
}

fn width(c: &Col) -> f64 {
    match c {
        Col::Zh | Col::FeedbackZh => 48.0,
        Col::En | Col::FeedbackEn | Col::Rest => 36.0,
        Col::CritName => 24.0,
        Col::Dim(_) | Col::Extra(_) => 9.0,
        _ => 14.0,
    }
}

fn list_of(items: &[&str]) -> Result<DataValidation, SheetError> {
    Ok(DataValidation::new().allow_list_strings(items)?)
}

/// A drop-down list of the values in `sheet!A2:A{last}`.
fn list_ref(sheet: &str, last: u32) -> DataValidation {
    DataValidation::new().allow_list_formula(Formula::new(format!("='{sheet}'!$A$2:$A${last}")))
}

/// How many nodes and roles the drop-down lists of ids reach over.
#[derive(Clone, Copy)]
struct Counts {
    nodes: u32,
    roles: u32,
}

fn table(ws: &mut Worksheet, name: &str, cols: &[Col], rows: &[Row], st: &Styles, n: Counts, list_labels: &[&str]) -> Result<(), SheetError> {
    let (n_nodes, n_roles) = (n.nodes, n.roles);
    ws.set_name(name)?;
    for (i, c) in cols.iter().enumerate() {
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, i, c.title(), &st.head)?;
        ws.set_column_width(i, width(c))?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (col, cell) in row {
            if let Some(i) = cols.iter().position(|c| c == col) {
                put(ws, r, u16::try_from(i).unwrap_or(u16::MAX), cell, st, name)?;
            }
        }
    }
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX).saturating_add(SPARE_ROWS);
    let nodes_ref = list_ref(NODES, n_nodes.saturating_add(SPARE_ROWS + 1));
    let points = DataValidation::new().allow_whole_number(DataValidationRule::Between(-1000, 1000));
    let dims: Vec<&str> = Dim::ALL.iter().map(|d| d.key()).collect();
    for (i, c) in cols.iter().enumerate() {
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        let dv = match c {
            Col::Kind => list_of(&KINDS)?,
            Col::Speaker => list_ref(ROLES, n_roles.saturating_add(51)),
            Col::Next | Col::Node => nodes_ref.clone(),
            Col::List => list_of(list_labels)?,
            Col::Expert => list_of(&[YES, NO])?,
            Col::CritPrinciple => list_of(&dims)?,
            Col::Dim(_) | Col::Extra(_) => points.clone(),
            _ => continue,
        };
        ws.add_data_validation(1, i, last, i, &dv)?;
    }
    Ok(())
}

const HOWTO: &[&str] = &[
    "这是一个场景文件（.ron）的表格版本。用 Excel 或 WPS 修改，然后用 kefu sheet import 这个文件.xlsx 场景.ron 转回场景文件，再用 kefu check 检查。",
    "This workbook is a scenario file (.ron) as sheets. Edit it in Excel or WPS, then turn it back with kefu sheet import THIS.xlsx SCENARIO.ron and check it with kefu check.",
    "",
    "场景：标题、情境等，一行一项；objectives（学习目标）每条一行。角色：每个角色一行。变量：每个变量一行（名称、初始值）。",
    "随机值（variants）：每行是一组随机值中的一行，“组”相同的行属于同一组；每个名称一列，英文在“名称 (English)”列。",
    "节点：每个节点一行，按播放顺序；类型从下拉列表选择。文字列是台词（Line）、提问（Choice 等）或结局（Ending）。",
    "选项、配对、排序、表单、拼写、说话、表格、拨号、电话：活动的选项、条目、字段……每个一行，“节点”列写它属于哪个节点，顺序就是出现的顺序。",
    "微笑 迅速 诚恳 技巧 研究 是 5S 得分（整数，可为负）；后面的“得分 key”列是评分表的其他项目（如 listening 倾听）。空格表示不给分。",
    "下一步（next）、节点、说话人列有下拉列表（节点编号、角色编号）；违反原则列的下拉列表是 5S 的名称。",
    "“其他（RON）”列保存不常用的设置（提示 hints、分支 branches、set/add 等），照场景文件的写法；不清楚时请保持原样。",
    "导入时的错误会写明表名、行号和列，例如“节点!C7”。",
    "",
    "Sheets: 场景 scenario fields (one per row), 角色 roles, 变量 variables, 随机值 variants (rows with the same group number form a group), 节点 nodes (one per row, in order),",
    "and one sheet per activity (options, match items, steps, form fields, phrases, say elements, table data, dial numbers, phone rings), one row each, its node in the first column.",
    "The 5S columns hold points (whole numbers); the columns after them are other rubric keys. The next, node and speaker columns have drop-down lists of ids.",
    "The “其他（RON）” column keeps rarely used settings as RON, written as in a scenario file. Import names every mistake by sheet, row and column (节点!C7).",
];

/// The workbook for a scenario, as bytes.
pub fn export(sc: &Scenario) -> Result<Vec<u8>, SheetError> {
    let mut wb = Workbook::new();
    let base = Format::new().set_align(FormatAlign::Top);
    let st = Styles { head: Format::new().set_bold().set_text_wrap().set_background_color(rust_xlsxwriter::Color::RGB(0xDDEBF7)), wrap: base.clone().set_text_wrap(), text: base.set_text_wrap() };

    // 说明
    {
        let ws = wb.add_worksheet();
        ws.set_name(README)?;
        ws.set_column_width(0, 160)?;
        for (i, line) in HOWTO.iter().enumerate() {
            ws.write_string_with_format(u32::try_from(i).unwrap_or(0), 0, *line, &st.wrap)?;
        }
    }

    // 场景: field | 中文/值 | English
    {
        let ws = wb.add_worksheet();
        ws.set_name(SCENARIO)?;
        for (i, (h, w)) in [("字段 field", 22.0), ("中文 / 值 value", 70.0), ("英文 English", 60.0)].iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(0);
            ws.write_string_with_format(0, i, *h, &st.head)?;
            ws.set_column_width(i, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        let mut rows: Vec<(String, String, Option<String>)> = Vec::new();
        let text = |rows: &mut Vec<(String, String, Option<String>)>, k: &str, t: &Text| rows.push((k.into(), t.zh.clone(), t.en.clone()));
        rows.push(("id".into(), sc.id.clone(), None));
        text(&mut rows, "title", &sc.title);
        rows.push(("project".into(), sc.course.project.to_string(), None));
        rows.push(("task".into(), sc.course.task.to_string(), None));
        if let Some(m) = sc.minutes {
            rows.push(("minutes".into(), m.to_string(), None));
        }
        if let Some(m) = sc.time_limit_minutes {
            rows.push(("time_limit_minutes".into(), m.to_string(), None));
        }
        text(&mut rows, "situation", &sc.situation);
        if let Some(t) = &sc.teaser {
            text(&mut rows, "teaser", t);
        }
        for o in &sc.objectives {
            text(&mut rows, "objectives", o);
        }
        if let Some(s) = &sc.start {
            rows.push(("start".into(), s.clone(), None));
        }
        for (k, t) in sc.advice.iter() {
            text(&mut rows, &format!("advice.{k}"), t);
        }
        let rubric = rubric_text(&sc.rubric)?;
        if !rubric.is_empty() {
            rows.push(("rubric".into(), rubric, None));
        }
        if !sc.draws.is_empty() {
            rows.push(("draws".into(), super::ron_text::pretty(&to_compact(&sc.draws)?, 0, usize::MAX), None));
        }
        for (i, (k, zh, en)) in rows.iter().enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
            ws.write_string_with_format(r, 0, k, &st.text)?;
            check_len(zh, SCENARIO)?;
            ws.write_string_with_format(r, 1, zh, &st.text)?;
            if let Some(en) = en {
                check_len(en, SCENARIO)?;
                ws.write_string_with_format(r, 2, en, &st.text)?;
            }
        }
    }

    // 角色
    {
        let ws = wb.add_worksheet();
        ws.set_name(ROLES)?;
        for (i, (h, w)) in [("编号 id", 14.0), ("名字 name", 20.0), ("英文 English", 20.0), ("扮演 played_by", 14.0), ("头像 portrait", 24.0)].iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(0);
            ws.write_string_with_format(0, i, *h, &st.head)?;
            ws.set_column_width(i, *w)?;
        }
        for (i, r) in sc.roles.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            ws.write_string(row, 0, &r.id)?;
            ws.write_string(row, 1, &r.name.zh)?;
            if let Some(en) = &r.name.en {
                ws.write_string(row, 2, en)?;
            }
            ws.write_string(row, 3, format!("{:?}", r.played_by))?;
            if let Some(p) = &r.portrait {
                ws.write_string(row, 4, p)?;
            }
        }
        let last = u32::try_from(sc.roles.len()).unwrap_or(0).saturating_add(50);
        ws.add_data_validation(1, 3, last, 3, &list_of(&["Student", "Computer"])?)?;
    }

    // 变量
    {
        let ws = wb.add_worksheet();
        ws.set_name(VARIABLES)?;
        for (i, h) in ["名称 name", "初始值 start"].iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(0);
            ws.write_string_with_format(0, i, *h, &st.head)?;
            ws.set_column_width(i, 18)?;
        }
        for (i, (k, v)) in sc.variables.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            ws.write_string(row, 0, k)?;
            // Whole numbers up to 2^53 are exact in a spreadsheet; larger ones are kept as text.
            if v.0.unsigned_abs() < (1 << 53) {
                #[allow(clippy::cast_precision_loss)]
                ws.write_number(row, 1, v.0 as f64)?;
            } else {
                ws.write_string(row, 1, v.0.to_string())?;
            }
        }
    }

    // 随机值: 组 | key | key (English) …
    {
        let ws = wb.add_worksheet();
        ws.set_name(VARIANTS)?;
        let mut keys: Vec<(String, bool)> = Vec::new();
        for g in &sc.variants {
            for row in &g.rows {
                for (k, t) in row.iter() {
                    match keys.iter_mut().find(|(have, _)| have == k) {
                        Some(e) => e.1 |= t.all().iter().any(|f| f.en.is_some()),
                        None => keys.push((k.to_string(), t.all().iter().any(|f| f.en.is_some()))),
                    }
                }
            }
        }
        let mut cols: Vec<(String, bool)> = Vec::new();
        for (k, en) in &keys {
            cols.push((k.clone(), false));
            if *en {
                cols.push((k.clone(), true));
            }
        }
        ws.write_string_with_format(0, 0, "组 group", &st.head)?;
        for (i, (k, en)) in cols.iter().enumerate() {
            let c = u16::try_from(i + 1).unwrap_or(u16::MAX);
            ws.write_string_with_format(0, c, if *en { format!("{k} (English)") } else { k.clone() }, &st.head)?;
            ws.set_column_width(c, 18)?;
        }
        let mut r = 1u32;
        for (gi, g) in sc.variants.iter().enumerate() {
            for row in &g.rows {
                ws.write_number(r, 0, f64::from(u32::try_from(gi + 1).unwrap_or(u32::MAX)))?;
                for (i, (k, en)) in cols.iter().enumerate() {
                    let c = u16::try_from(i + 1).unwrap_or(u16::MAX);
                    if let Some(t) = row.get(k) {
                        // A value written several ways: its forms in one cell, split by " | ".
                        let s = if *en { t.all().iter().any(|f| f.en.is_some()).then(|| t.all().iter().map(|f| f.en.clone().unwrap_or_default()).collect::<Vec<_>>().join(FORMS_SEP)) } else { Some(t.all().iter().map(|f| f.zh.clone()).collect::<Vec<_>>().join(FORMS_SEP)) };
                        if let Some(s) = s {
                            check_len(&s, VARIANTS)?;
                            ws.write_string_with_format(r, c, s, &st.text)?;
                        }
                    }
                }
                r += 1;
            }
        }
    }

    // 节点 and the activity sheets.
    let sheets = node_rows(sc)?;
    let n = Counts { nodes: u32::try_from(sc.nodes.len()).unwrap_or(u32::MAX), roles: u32::try_from(sc.roles.len()).unwrap_or(u32::MAX) };
    {
        let ws = wb.add_worksheet();
        table(ws, NODES, &node_cols(&sheets.extras), &sheets.nodes, &st, n, &[])?;
    }
    for name in list_sheets() {
        let rows: Vec<Row> = sheets.lists.iter().filter(|(s, _)| *s == name).map(|(_, r)| r.clone()).collect();
        let labels: Vec<&str> = LISTS.iter().filter(|l| l.sheet == name).map(|l| l.label).collect();
        let ws = wb.add_worksheet();
        table(ws, name, &list_cols(&sheets.extras), &rows, &st, n, &labels)?;
    }
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_title(sc.title.get(Lang::Zh)));
    Ok(wb.save_to_buffer()?)
}
