//! Import a class roster from the CSV a teacher keeps in Excel: columns 学号, 姓名, 组别, 组长
//! (or id, name, group, leader), UTF-8 with or without BOM, GBK as Excel on Chinese Windows
//! saves it, or UTF-16 "Unicode text". Every problem is reported with its row at once, and
//! nothing is imported unless the whole file is right.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{At, Class, Group, Problem, RosterError, Student};
use crate::scenario::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Field {
    Id,
    Name,
    Group,
    Leader,
}

impl Field {
    const ALL: [Field; 4] = [Field::Id, Field::Name, Field::Group, Field::Leader];

    fn from_header(h: &str) -> Option<Field> {
        let h: String = h.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').collect::<String>().to_lowercase();
        Some(match h.as_str() {
            "学号" | "id" | "studentid" | "idnumber" | "学生学号" | "编号" => Field::Id,
            "姓名" | "name" | "studentname" | "学生姓名" | "名字" => Field::Name,
            "组别" | "group" | "小组" | "组" | "组名" | "分组" | "groupname" => Field::Group,
            "组长" | "leader" | "isleader" | "是否组长" | "grouplead" | "groupleader" => Field::Leader,
            _ => return None,
        })
    }

    fn label(self) -> (&'static str, &'static str) {
        match self {
            Field::Id => ("学号", "id"),
            Field::Name => ("姓名", "name"),
            Field::Group => ("组别", "group"),
            Field::Leader => ("组长", "leader"),
        }
    }
}

/// Read a leader mark: 是/Y/1/✓ mean leader, empty/否/N/0 mean member.
fn leader_mark(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "1" | "✓" | "√" | "✔" | "☑" | "true" | "t" | "x" | "组长" | "leader" | "是组长" | "对" => Some(true),
        "" | "否" | "n" | "no" | "0" | "✗" | "✘" | "×" | "false" | "f" | "-" | "组员" | "member" | "不是" => Some(false),
        _ => None,
    }
}

/// Bytes to text: UTF-8 (BOM optional), UTF-16 with a BOM, else GBK (GB18030).
pub fn decode(bytes: &[u8]) -> Result<String, Text> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(str::to_string).map_err(|_| Text::new("文件以 UTF-8 标记开头，但内容不是 UTF-8", "the file starts with a UTF-8 mark but is not UTF-8"));
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(Text::new("文件不是有效的 UTF-16 文本", "the file is not valid UTF-16 text"));
        }
        return Ok(text.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
        .ok_or_else(|| Text::new("无法识别文件编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”", "unknown text encoding: save it from Excel as “CSV UTF-8 (comma delimited)”"))
}

/// One record of a delimited file: its cells and the row number Excel would show.
struct Row {
    number: usize,
    cells: Vec<String>,
}

/// Split delimited text into rows (RFC 4180 quoting; CRLF, LF or CR line ends). `Err(row)`:
/// a quote opened in that row is never closed (everything after it would be one cell).
fn split_rows(text: &str, delim: char) -> Result<Vec<Row>, usize> {
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut opened_at = 0;
    let mut number = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cell.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if cell.trim().is_empty() => {
                cell.clear();
                quoted = true;
                opened_at = number;
            }
            c if c == delim => cells.push(std::mem::take(&mut cell)),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                cells.push(std::mem::take(&mut cell));
                rows.push(Row { number, cells: std::mem::take(&mut cells) });
                number += 1;
            }
            c => cell.push(c),
        }
    }
    if quoted {
        return Err(opened_at);
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(cell);
        rows.push(Row { number, cells });
    }
    Ok(rows)
}

/// Comma unless the header line is clearly tab- or semicolon-separated.
fn delimiter(text: &str) -> char {
    let first = text.lines().next().unwrap_or("");
    if first.contains('\t') && !first.contains(',') {
        '\t'
    } else if first.contains(';') && !first.contains(',') {
        ';'
    } else {
        ','
    }
}

fn clean(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{3000}').to_string()
}

/// Excel turned a long number into `2.02401E+09`: the digits are lost.
fn looks_mangled(id: &str) -> bool {
    let u = id.to_ascii_uppercase();
    u.contains("E+") && u.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'E' | '+'))
}

/// Import a roster from CSV text already decoded. `path` is only used in messages.
pub fn import_csv_text(path: &Path, text: &str, class_name: &str) -> Result<Class, RosterError> {
    let invalid = |problems| RosterError::Invalid { path: path.to_path_buf(), problems };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rows = split_rows(text, delimiter(text)).map_err(|row| {
        invalid(vec![Problem {
            at: At::Rows(vec![row]),
            message: Text::new("这一行有一个引号 \" 没有配对（后面的内容都成了一个单元格）：删掉它，或在单元格末尾补上 \"", "a quote \" opened in this row is never closed (everything after it would be one cell): remove it, or close it at the end of the cell"),
        }])
    })?;
    let rows: Vec<Row> = rows.into_iter().filter(|r| r.cells.iter().any(|c| !clean(c).is_empty())).collect();
    let mut problems: Vec<Problem> = Vec::new();
    let mut problem = |rows: Vec<usize>, zh: String, en: String| problems.push(Problem { at: At::Rows(rows), message: Text::new(zh, en) });

    let Some(header) = rows.first() else {
        return Err(invalid(vec![Problem { at: At::Nowhere, message: Text::new("文件是空的", "the file is empty") }]));
    };
    let mut seen: HashMap<Field, usize> = HashMap::new();
    for (i, h) in header.cells.iter().enumerate() {
        let h = clean(h);
        let f = Field::from_header(&h);
        match f {
            Some(f) => {
                if seen.insert(f, i).is_some() {
                    problem(vec![header.number], format!("“{h}”列出现了两次"), format!("column “{h}” appears twice"));
                }
            }
            None if h.is_empty() => {}
            None => problem(
                vec![header.number],
                format!("不认识的列“{h}”：只能有 学号、姓名、组别、组长 四列"),
                format!("unknown column “{h}”: the columns are 学号/id, 姓名/name, 组别/group, 组长/leader"),
            ),
        }
    }
    for f in Field::ALL {
        if !seen.contains_key(&f) {
            let (zh, en) = f.label();
            problem(vec![header.number], format!("缺少“{zh}”列"), format!("the column “{zh}” ({en}) is missing"));
        }
    }
    if Field::ALL.iter().any(|f| !seen.contains_key(f)) {
        return Err(invalid(problems));
    }

    struct Entry {
        row: usize,
        id: String,
        name: String,
        group: String,
        leader: bool,
    }
    let mut entries: Vec<Entry> = Vec::new();
    for row in &rows[1..] {
        let get = |f: Field| -> String { clean(row.cells.get(seen[&f]).map_or("", String::as_str)) };
        let (id, name, group, mark) = (get(Field::Id), get(Field::Name), get(Field::Group), get(Field::Leader));
        for (i, c) in row.cells.iter().enumerate() {
            let headed = header.cells.get(i).is_some_and(|h| !clean(h).is_empty());
            if !headed && !clean(c).is_empty() {
                problem(vec![row.number], format!("第{}列有内容，但没有列名", i + 1), format!("cell {} has a value but no column header", i + 1));
            }
        }
        if id.is_empty() {
            problem(vec![row.number], "学号为空".into(), "the student id is empty".into());
        } else if looks_mangled(&id) {
            problem(
                vec![row.number],
                format!("学号“{id}”被 Excel 改成了科学计数法：请把学号列设为“文本”后重新输入"),
                format!("the id “{id}” was turned into scientific notation by Excel: format the column as Text and enter the ids again"),
            );
        }
        if name.is_empty() {
            problem(vec![row.number], "姓名为空".into(), "the name is empty".into());
        }
        if group.is_empty() {
            problem(vec![row.number], "组别为空".into(), "the group is empty".into());
        }
        let leader = match leader_mark(&mark) {
            Some(b) => b,
            None => {
                problem(
                    vec![row.number],
                    format!("组长一栏“{mark}”看不懂：组长填 是/Y/1/✓，组员留空或填 否"),
                    format!("cannot read “{mark}” in the leader column: mark leaders with 是/Y/1/✓, leave members empty or 否/N"),
                );
                false
            }
        };
        entries.push(Entry { row: row.number, id, name, group, leader });
    }

    // Ids across rows.
    let mut by_id: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in entries.iter().filter(|e| !e.id.is_empty()) {
        by_id.entry(e.id.as_str()).or_default().push(e);
    }
    let mut repeated: Vec<(usize, Vec<usize>, String, String)> = Vec::new();
    for (id, es) in &by_id {
        if es.len() < 2 {
            continue;
        }
        let rows: Vec<usize> = es.iter().map(|e| e.row).collect();
        let mut groups: Vec<&str> = es.iter().map(|e| e.group.as_str()).filter(|g| !g.is_empty()).collect();
        groups.dedup();
        let mut distinct = groups.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > 1 {
            let list = groups.iter().map(|g| format!("“{g}”")).collect::<Vec<_>>();
            repeated.push((rows[0], rows, format!("学号 {id} 同时在{}中", list.join("和")), format!("student {id} is in two groups: {}", list.join(" and "))));
        } else {
            repeated.push((rows[0], rows, format!("学号 {id} 重复"), format!("duplicate student id {id}")));
        }
    }
    repeated.sort_by_key(|r| r.0);
    for (_, rows, zh, en) in repeated {
        problem(rows, zh, en);
    }

    // Leaders per group, groups in order of first appearance.
    let mut order: Vec<&str> = Vec::new();
    let mut members: HashMap<&str, Vec<&Entry>> = HashMap::new();
    for e in entries.iter().filter(|e| !e.group.is_empty()) {
        if !members.contains_key(e.group.as_str()) {
            order.push(&e.group);
        }
        members.entry(&e.group).or_default().push(e);
    }
    for g in &order {
        let es = &members[g];
        let leaders: Vec<&&Entry> = es.iter().filter(|e| e.leader).collect();
        match leaders.len() {
            0 => problem(
                es.iter().map(|e| e.row).collect(),
                format!("小组“{g}”没有组长：请在组长一栏填“是”"),
                format!("group “{g}” has no leader: mark one with 是/Y in the leader column"),
            ),
            1 => {}
            _ => problem(
                leaders.iter().map(|e| e.row).collect(),
                format!("小组“{g}”有{}个组长：{}", leaders.len(), leaders.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join("、")),
                format!("group “{g}” has {} leaders: {}", leaders.len(), leaders.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ")),
            ),
        }
    }
    if rows.len() < 2 {
        problem(vec![header.number], "只有表头，没有学生".into(), "there is a header but no students".into());
    }

    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let groups = order
        .iter()
        .map(|g| {
            let es = &members[g];
            Group {
                name: g.to_string(),
                leader: es.iter().find(|e| e.leader).map(|e| e.id.clone()).unwrap_or_default(),
                members: es.iter().map(|e| Student { id: e.id.clone(), name: e.name.clone() }).collect(),
            }
        })
        .collect();
    let class = Class { name: class_name.trim().to_string(), groups };
    // Nothing above lets an invalid class through; check once more so the guarantee is local.
    let left = class.problems();
    if left.is_empty() { Ok(class) } else { Err(invalid(left)) }
}

/// Import a roster from CSV bytes in any of the accepted encodings.
pub fn import_csv_bytes(path: &Path, bytes: &[u8], class_name: &str) -> Result<Class, RosterError> {
    let text = decode(bytes).map_err(|message| RosterError::Invalid { path: path.to_path_buf(), problems: vec![Problem { at: At::Nowhere, message }] })?;
    import_csv_text(path, &text, class_name)
}

/// Import a roster CSV file.
pub fn import_csv(path: &Path, class_name: &str) -> Result<Class, RosterError> {
    let bytes = crate::fsread::read_limited(path, crate::fsread::Kind::Roster).map_err(|source| RosterError::Io { path: path.to_path_buf(), source })?;
    import_csv_bytes(path, &bytes, class_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Lang;

    fn import(s: &str) -> Result<Class, RosterError> {
        import_csv_text(Path::new("r.csv"), s, "物流2401班")
    }

    #[test]
    fn reads_quoted_cells_and_crlf() {
        let c = import("学号,姓名,组别,组长\r\n\"007\",\"张,喆\",一组,是\r\n008,李堃,一组,\r\n").expect("import");
        assert_eq!(c.groups[0].members[0], Student { id: "007".into(), name: "张,喆".into() });
        assert_eq!(c.groups[0].leader, "007");
    }

    #[test]
    fn english_headers_and_tabs() {
        let c = import("ID\tName\tGroup\tLeader\n1\tA\tg\tY\n").expect("import");
        assert_eq!(c.groups[0].name, "g");
    }

    #[test]
    fn every_problem_at_once_with_rows() {
        let e = import("学号,姓名,组别,组长\n1,甲,一组,是\n1,乙,二组,是\n,丙,一组,\n2,丁,三组,\n3,戊,二组,是\n").expect_err("problems");
        let text = e.render(Lang::Zh);
        assert!(text.contains("第4行: 学号为空"), "{text}");
        assert!(text.contains("第2、3行: 学号 1 同时在“一组”和“二组”中"), "{text}");
        assert!(text.contains("第5行: 小组“三组”没有组长"), "{text}");
        assert!(text.contains("第3、6行: 小组“二组”有2个组长"), "{text}");
    }

    #[test]
    fn unknown_and_missing_columns() {
        let e = import("学号,姓名,性别\n1,甲,男\n").expect_err("columns");
        let text = e.render(Lang::En);
        assert!(text.contains("row 1: unknown column “性别”"), "{text}");
        assert!(text.contains("the column “组别” (group) is missing"), "{text}");
        assert!(text.contains("the column “组长” (leader) is missing"), "{text}");
    }

    #[test]
    fn decodes_gbk_and_utf16() {
        let src = "学号,姓名,组别,组长\n001,王玥,一组,是\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(src);
        assert_eq!(decode(&gbk).expect("gbk"), src);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in src.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).expect("utf16"), src);
    }

    #[test]
    fn scientific_notation_ids_are_refused() {
        let e = import("学号,姓名,组别,组长\n2.02401E+09,甲,一组,是\n").expect_err("mangled");
        assert!(e.render(Lang::En).contains("scientific notation"));
    }
}
