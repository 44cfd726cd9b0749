//! CSV grade tables: UTF-8 with a BOM (Excel on Chinese Windows then reads it as UTF-8), CRLF
//! line ends, text quoted, numbers bare. Text that a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` (OWASP CSV injection).

use std::io::Write;

use super::{ExportError, SheetOptions, Words, round1};
use crate::grades::ClassGrades;

/// One CSV cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(u32),
    Num(f64),
    Empty,
}

impl Cell {
    fn opt(v: Option<u32>) -> Cell {
        v.map_or(Cell::Empty, Cell::Int)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// Text made safe to open in a spreadsheet: a leading `'` where it could start a formula.
pub fn defuse(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}").into() } else { s.into() }
}

fn write_row(out: &mut impl Write, cells: &[Cell]) -> std::io::Result<()> {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        match c {
            Cell::Text(s) => {
                line.push('"');
                line.push_str(&defuse(s).replace('"', "\"\""));
                line.push('"');
            }
            Cell::Int(n) => line.push_str(&n.to_string()),
            Cell::Num(x) if x.is_finite() => line.push_str(&round1(*x).to_string()),
            Cell::Num(_) | Cell::Empty => {}
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One row per student and task: class, task, group, leader, 学号, 姓名, member criteria
/// (the union of the tasks' rubrics), member subtotal, group points, hint deduction, total,
/// grade, 5S percentages and notes.
pub fn write_csv(grades: &ClassGrades, opts: &SheetOptions, out: &mut impl Write) -> Result<(), ExportError> {
    let w = Words { lang: opts.lang };
    let mut crit: Vec<(String, String)> = Vec::new();
    for t in &grades.tasks {
        for c in &t.criteria {
            if !crit.iter().any(|(k, _)| *k == c.key) {
                crit.push((c.key.clone(), c.name.get(opts.lang).to_string()));
            }
        }
    }
    out.write_all(BOM)?;
    let mut head: Vec<Cell> = [
        w.t("班级", "Class"),
        w.t("任务编号", "Task id"),
        w.t("任务", "Task"),
        w.t("日期", "Date"),
        w.t("组别", "Group"),
        w.t("组长", "Leader"),
        w.t("学号", "Student id"),
        w.t("姓名", "Name"),
    ]
    .into_iter()
    .map(Cell::from)
    .collect();
    head.extend(crit.iter().map(|(_, n)| Cell::from(n.as_str())));
    head.extend(
        [
            w.t("小组成员评价", "Member points"),
            w.t("小组评价", "Group points"),
            w.t("提示扣分", "Hint deduction"),
            w.t("总分", "Total"),
            w.t("满分", "Out of"),
            w.t("等级", "Grade"),
        ]
        .into_iter()
        .map(Cell::from),
    );
    head.extend(w.dims().into_iter().map(Cell::from));
    head.push(w.t("备注", "Notes").into());
    write_row(out, &head)?;

    for t in &grades.tasks {
        for g in &t.groups {
            let leader = g.leader.as_ref().map(|s| s.name.clone()).unwrap_or_default();
            let group_points = g.band.as_ref().map(|b| b.points);
            for (i, m) in g.members.iter().enumerate() {
                let mut row: Vec<Cell> = vec![
                    grades.class.clone().into(),
                    t.scenario_id.clone().into(),
                    w.task(t).into(),
                    opts.date.clone().into(),
                    g.name.clone().into(),
                    leader.clone().into(),
                    m.student.id.clone().into(),
                    m.student.name.clone().into(),
                ];
                for (key, _) in &crit {
                    row.push(t.criteria.iter().position(|c| c.key == *key).map_or(Cell::Empty, |i| Cell::opt(m.criteria[i])));
                }
                let has = m.counted.is_some();
                row.push(Cell::opt(m.subtotal));
                row.push(if has { Cell::opt(group_points) } else { Cell::Empty });
                row.push(if has { Cell::Int(m.deduction) } else { Cell::Empty });
                row.push(Cell::opt(m.total));
                row.push(Cell::Int(t.total_max));
                row.push(w.grade(m).into());
                if m.dimensions.is_empty() {
                    row.extend(std::iter::repeat_n(Cell::Empty, 5));
                } else {
                    row.extend(m.dimensions.iter().map(|d| Cell::Num(*d)));
                }
                let extra: &[crate::scenario::Text] = if i == 0 { &g.notes } else { &[] };
                row.push(w.notes(m, extra).into());
                write_row(out, &row)?;
            }
        }
    }
    Ok(())
}

/// For Moodle's grade import: `ID number` (= 学号) and one column of totals per task. Map the
/// columns to grade items on Moodle's import page; empty cells leave a grade untouched.
pub fn write_moodle_csv(grades: &ClassGrades, opts: &SheetOptions, out: &mut impl Write) -> Result<(), ExportError> {
    let w = Words { lang: opts.lang };
    out.write_all(BOM)?;
    let mut head: Vec<Cell> = vec!["ID number".into()];
    head.extend(grades.tasks.iter().map(|t| Cell::from(w.task(t))));
    write_row(out, &head)?;
    for r in grades.summary() {
        let mut row: Vec<Cell> = vec![r.student.id.clone().into()];
        row.extend(r.totals.iter().map(|t| Cell::opt(*t)));
        write_row(out, &row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[Cell]) -> String {
        let mut v = Vec::new();
        write_row(&mut v, cells).expect("write");
        String::from_utf8(v).expect("utf8")
    }

    #[test]
    fn quotes_text_and_leaves_numbers_bare() {
        assert_eq!(row(&["王玥".into(), Cell::Int(85), Cell::Num(87.54), Cell::Empty, "a\"b".into()]), "\"王玥\",85,87.5,,\"a\"\"b\"\r\n");
    }

    #[test]
    fn defuses_formula_starts() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse(s), format!("'{s}"));
        }
        assert_eq!(defuse("张喆"), "张喆");
        assert_eq!(row(&["=cmd|' /C calc'!A0".into()]), "\"'=cmd|' /C calc'!A0\"\r\n");
    }
}
