//! The XLSX grade workbook: a summary sheet (one row per student, a column per task, the
//! average), then a sheet per task laid out like the course's evaluation forms — group name and
//! leader merged over the group's rows, 学号 as text, the member criteria with their subtotal,
//! the group points (merged), hint deduction, total, five-level grade, 5S percentages, notes.
//! Subtotals, totals and averages are formulas carrying their computed results, so Excel, WPS
//! and LibreOffice all show numbers even before recalculating.

use std::collections::HashSet;
use std::io::Write;

use rust_xlsxwriter::utility::{row_col_to_cell, row_col_to_cell_absolute};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};

use super::{ExportError, SheetOptions, Words, round1};
use crate::grades::{ClassGrades, TaskGrades};
use crate::scenario::Lang;

struct Styles {
    title: Format,
    info: Format,
    head: Format,
    text: Format,
    id: Format,
    center: Format,
    int: Format,
    pct: Format,
    avg: Format,
    notes: Format,
    plain: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Styles {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            info: Format::new().set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter),
            head: cell.clone().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_background_color(Color::RGB(0xDDEBF7)),
            text: cell.clone(),
            // "@" = Text: 学号 keep their leading zeros and are never turned into numbers.
            id: cell.clone().set_num_format("@"),
            center: cell.clone().set_align(FormatAlign::Center),
            int: cell.clone().set_align(FormatAlign::Center).set_num_format("0"),
            pct: cell.clone().set_align(FormatAlign::Center).set_num_format("0.0"),
            avg: cell.clone().set_align(FormatAlign::Center).set_num_format("0.0"),
            notes: cell.set_text_wrap(),
            plain: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// Display width of text in Excel's character units: CJK and full-width characters count two.
pub fn text_width(s: &str) -> f64 {
    s.lines()
        .map(|l| {
            l.chars()
                .map(|c| {
                    let u = c as u32;
                    let wide = (0x1100..=0x115F).contains(&u)
                        || (0x2E80..=0xA4CF).contains(&u)
                        || (0xAC00..=0xD7A3).contains(&u)
                        || (0xF900..=0xFAFF).contains(&u)
                        || (0xFE30..=0xFE4F).contains(&u)
                        || (0xFF00..=0xFF60).contains(&u)
                        || (0xFFE0..=0xFFE6).contains(&u)
                        || (0x20000..=0x3FFFD).contains(&u);
                    if wide { 2.0 } else { 1.0 }
                })
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

/// Column widths grown to fit what is written, within bounds.
struct Widths(Vec<f64>);

impl Widths {
    fn fit(&mut self, col: u16, s: &str) {
        let i = usize::from(col);
        if self.0.len() <= i {
            self.0.resize(i + 1, 0.0);
        }
        self.0[i] = self.0[i].max(text_width(s) + 2.0);
    }

    fn apply(&self, ws: &mut Worksheet, min: f64, max: &[(u16, f64)], default_max: f64) -> Result<(), ExportError> {
        for (i, w) in self.0.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(u16::MAX);
            let cap = max.iter().find(|(c, _)| *c == col).map_or(default_max, |(_, m)| *m);
            ws.set_column_width(col, w.clamp(min, cap))?;
        }
        Ok(())
    }
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique in the workbook.
fn sheet_name(wanted: &str, used: &mut HashSet<String>) -> String {
    let clean: String = wanted.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = if clean.is_empty() { "Sheet".into() } else { clean.chars().take(31).collect() };
    let mut name = base.clone();
    let mut n = 2;
    while used.contains(&name.to_lowercase()) {
        let suffix = format!("~{n}");
        name = base.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    used.insert(name.to_lowercase());
    name
}

/// Write the workbook to `out`.
pub fn write_xlsx(grades: &ClassGrades, opts: &SheetOptions, out: &mut impl Write) -> Result<(), ExportError> {
    out.write_all(&xlsx_bytes(grades, opts)?)?;
    Ok(())
}

/// The workbook as bytes.
pub fn xlsx_bytes(grades: &ClassGrades, opts: &SheetOptions) -> Result<Vec<u8>, ExportError> {
    let w = Words { lang: opts.lang };
    let st = Styles::new();
    let mut wb = Workbook::new();
    let mut used = HashSet::new();
    summary_sheet(wb.add_worksheet(), grades, opts, &w, &st, &mut used)?;
    for t in &grades.tasks {
        task_sheet(wb.add_worksheet(), grades, t, opts, &w, &st, &mut used)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn summary_sheet(ws: &mut Worksheet, grades: &ClassGrades, opts: &SheetOptions, w: &Words, st: &Styles, used: &mut HashSet<String>) -> Result<(), ExportError> {
    ws.set_name(sheet_name(w.t("汇总", "Summary"), used))?;
    let n_tasks = u16::try_from(grades.tasks.len()).unwrap_or(1000).min(1000);
    let last_col = 3 + n_tasks;
    let mut widths = Widths(Vec::new());
    let title = format!("{} {}", grades.class, w.t("成绩汇总", "grade summary"));
    ws.merge_range(0, 0, 0, last_col, &title, &st.title)?;
    let info = match opts.lang {
        Lang::Zh => format!("班级：{}　任务数：{}　日期：{}", grades.class, grades.tasks.len(), opts.date),
        Lang::En => format!("Class: {}   Tasks: {}   Date: {}", grades.class, grades.tasks.len(), opts.date),
    };
    ws.merge_range(1, 0, 1, last_col, &info, &st.info)?;
    ws.set_row_height(0, 24)?;

    let head_row = 2;
    let mut heads: Vec<String> = vec![w.t("组别", "Group").into(), w.t("学号", "Student id").into(), w.t("姓名", "Name").into()];
    heads.extend(grades.tasks.iter().take(usize::from(n_tasks)).map(|t| format!("{}\n{}", t.label(w.lang), t.title.get(w.lang))));
    heads.push(w.t("平均分", "Average").into());
    for (c, h) in heads.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        ws.write_string_with_format(head_row, c, fit(h), &st.head)?;
        if c >= 3 && c < last_col {
            widths.fit(c, h.lines().next().unwrap_or(""));
        } else {
            widths.fit(c, h);
        }
    }
    ws.set_row_height(head_row, 36)?;
    ws.set_freeze_panes(head_row + 1, 3)?;

    let rows = grades.summary();
    let first = head_row + 1;
    let mut r = first;
    let mut i = 0;
    while i < rows.len() {
        // Merge the group column over the group's consecutive rows.
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1].group == rows[i].group {
            j += 1;
        }
        let span = u32::try_from(j - i).unwrap_or(0);
        if span > 0 {
            ws.merge_range(r, 0, r + span, 0, &rows[i].group, &st.center)?;
        } else {
            ws.write_string_with_format(r, 0, fit(&rows[i].group), &st.center)?;
        }
        widths.fit(0, &rows[i].group);
        for row in &rows[i..=j] {
            ws.write_string_with_format(r, 1, fit(&row.student.id), &st.id)?;
            ws.write_string_with_format(r, 2, fit(&row.student.name), &st.text)?;
            widths.fit(1, &row.student.id);
            widths.fit(2, &row.student.name);
            for (k, t) in row.totals.iter().take(usize::from(n_tasks)).enumerate() {
                let c = 3 + u16::try_from(k).unwrap_or(0);
                match t {
                    Some(v) => ws.write_number_with_format(r, c, f64::from(*v), &st.int)?,
                    None => ws.write_blank(r, c, &st.int)?,
                };
            }
            match row.average {
                Some(avg) if n_tasks > 0 => {
                    let range = format!("{}:{}", row_col_to_cell(r, 3), row_col_to_cell(r, last_col - 1));
                    let f = Formula::new(format!("=AVERAGE({range})")).set_result(avg.to_string());
                    ws.write_formula_with_format(r, last_col, f, &st.avg)?
                }
                _ => ws.write_blank(r, last_col, &st.avg)?,
            };
            r += 1;
        }
        i = j + 1;
    }

    // Below the table: what the teacher should know about the data.
    let mut r = r + 1;
    for (id, n) in &grades.missing_scenarios {
        let msg = match opts.lang {
            Lang::Zh => format!("注意：{n} 份记录属于任务“{id}”，但找不到它的场景文件，未计分"),
            Lang::En => format!("Note: {n} record(s) belong to task “{id}”, whose scenario file is missing; not graded"),
        };
        ws.merge_range(r, 0, r, last_col, &msg, &st.plain)?;
        r += 1;
    }
    for warn in &grades.warnings {
        ws.merge_range(r, 0, r, last_col, &format!("{}{}", w.t("注意：", "Note: "), warn.get(opts.lang)), &st.plain)?;
        r += 1;
    }
    widths.fit(last_col, w.t("平均分", "Average"));
    widths.apply(ws, 8.0, &[(0, 16.0), (1, 16.0)], 24.0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, head_row)?;
    Ok(())
}

#[expect(clippy::too_many_lines, reason = "one sheet, written top to bottom")]
fn task_sheet(ws: &mut Worksheet, grades: &ClassGrades, t: &TaskGrades, opts: &SheetOptions, w: &Words, st: &Styles, used: &mut HashSet<String>) -> Result<(), ExportError> {
    ws.set_name(sheet_name(&w.task(t), used))?;
    let mut widths = Widths(Vec::new());
    let n = u16::try_from(t.criteria.len()).unwrap_or(0).min(200);
    let c_crit = 4u16;
    let c_sub = c_crit + n;
    let c_group = c_sub + 1;
    let c_ded = c_sub + 2;
    let c_total = c_sub + 3;
    let c_grade = c_sub + 4;
    let c_dims = c_sub + 5;
    let c_notes = c_dims + 5;

    let title = format!("{} {} {}", grades.class, w.task(t), w.t("成绩表", "grade sheet"));
    ws.merge_range(0, 0, 0, c_notes, &title, &st.title)?;
    ws.set_row_height(0, 24)?;
    ws.merge_range(1, 0, 1, c_notes, &w.heading(grades, t, &opts.date), &st.info)?;

    // Two heading rows: groups of columns above, single columns below.
    let (h1, h2) = (2u32, 3u32);
    let tall = |ws: &mut Worksheet, c: u16, s: &str, widths: &mut Widths| -> Result<(), ExportError> {
        ws.merge_range(h1, c, h2, c, s, &st.head)?;
        widths.fit(c, s);
        Ok(())
    };
    tall(ws, 0, w.t("组别", "Group"), &mut widths)?;
    tall(ws, 1, w.t("组长", "Leader"), &mut widths)?;
    tall(ws, 2, w.t("学号", "Student id"), &mut widths)?;
    tall(ws, 3, w.t("姓名", "Name"), &mut widths)?;
    let member_head = match w.lang {
        Lang::Zh => format!("小组成员评价（{}分）", t.member_max),
        Lang::En => format!("Member evaluation ({})", t.member_max),
    };
    ws.merge_range(h1, c_crit, h1, c_sub, &member_head, &st.head)?;
    for (i, c) in t.criteria.iter().take(usize::from(n)).enumerate() {
        let col = c_crit + u16::try_from(i).unwrap_or(0);
        let s = format!("{}\n（{}）", c.name.get(w.lang), c.max);
        ws.write_string_with_format(h2, col, fit(&s), &st.head)?;
        widths.fit(col, c.name.get(w.lang));
    }
    let sub = format!("{}\n（{}）", w.t("小计", "Subtotal"), t.member_max);
    ws.write_string_with_format(h2, c_sub, fit(&sub), &st.head)?;
    widths.fit(c_sub, w.t("小计", "Subtotal"));
    tall(ws, c_group, &format!("{}\n（{}）", w.t("小组评价", "Group"), t.group_max), &mut widths)?;
    tall(ws, c_ded, w.t("提示\n扣分", "Hint\ndeduction"), &mut widths)?;
    tall(ws, c_total, &format!("{}\n（{}）", w.t("总分", "Total"), t.total_max), &mut widths)?;
    tall(ws, c_grade, w.t("等级", "Grade"), &mut widths)?;
    ws.merge_range(h1, c_dims, h1, c_dims + 4, w.t("5S服务得分率（%）", "5S service (%)"), &st.head)?;
    for (i, d) in w.dims().iter().enumerate() {
        let col = c_dims + u16::try_from(i).unwrap_or(0);
        ws.write_string_with_format(h2, col, fit(d), &st.head)?;
        widths.fit(col, d);
    }
    tall(ws, c_notes, w.t("备注", "Notes"), &mut widths)?;
    ws.set_row_height(h2, 32)?;
    ws.set_freeze_panes(h2 + 1, 4)?;

    let mut r = h2 + 1;
    for g in &t.groups {
        if g.members.is_empty() {
            continue;
        }
        let first = r;
        let last = r + u32::try_from(g.members.len() - 1).unwrap_or(0);
        let leader = g.leader.as_ref().map(|s| s.name.as_str()).unwrap_or_default();
        let group_cell = row_col_to_cell_absolute(first, c_group);
        if last > first {
            ws.merge_range(first, 0, last, 0, &g.name, &st.center)?;
            ws.merge_range(first, 1, last, 1, leader, &st.center)?;
            ws.merge_range(first, c_group, last, c_group, "", &st.int)?;
        } else {
            ws.write_string_with_format(first, 0, fit(&g.name), &st.center)?;
            ws.write_string_with_format(first, 1, fit(leader), &st.center)?;
        }
        widths.fit(0, &g.name);
        widths.fit(1, leader);
        match &g.band {
            Some(b) => ws.write_number_with_format(first, c_group, f64::from(b.points), &st.int)?,
            None => ws.write_blank(first, c_group, &st.int)?,
        };
        for (i, m) in g.members.iter().enumerate() {
            ws.write_string_with_format(r, 2, fit(&m.student.id), &st.id)?;
            ws.write_string_with_format(r, 3, fit(&m.student.name), &st.text)?;
            widths.fit(2, &m.student.id);
            widths.fit(3, &m.student.name);
            for (k, p) in m.criteria.iter().take(usize::from(n)).enumerate() {
                let col = c_crit + u16::try_from(k).unwrap_or(0);
                match p {
                    Some(v) => ws.write_number_with_format(r, col, f64::from(*v), &st.int)?,
                    None => ws.write_blank(r, col, &st.int)?,
                };
            }
            match m.subtotal {
                Some(s) if n > 0 => {
                    let range = format!("{}:{}", row_col_to_cell(r, c_crit), row_col_to_cell(r, c_sub - 1));
                    ws.write_formula_with_format(r, c_sub, Formula::new(format!("=SUM({range})")).set_result(s.to_string()), &st.int)?
                }
                Some(s) => ws.write_number_with_format(r, c_sub, f64::from(s), &st.int)?,
                None => ws.write_blank(r, c_sub, &st.int)?,
            };
            if m.counted.is_some() {
                ws.write_number_with_format(r, c_ded, f64::from(m.deduction), &st.int)?;
            } else {
                ws.write_blank(r, c_ded, &st.int)?;
            }
            match m.total {
                Some(total) => {
                    // The same rule as the core's: a band cap holds the group points, a grade
                    // cap the total (critical errors, noted in the row).
                    let group = match m.band_limit {
                        Some(l) => format!("MIN({l},{group_cell})"),
                        None => group_cell.to_string(),
                    };
                    let f = format!(
                        "=MIN({},MAX(0,{}+{}-{}))",
                        m.cap_limit.map_or(t.total_max, |l| l.min(t.total_max)),
                        row_col_to_cell(r, c_sub),
                        group,
                        row_col_to_cell(r, c_ded)
                    );
                    ws.write_formula_with_format(r, c_total, Formula::new(f).set_result(total.to_string()), &st.int)?
                }
                None => ws.write_blank(r, c_total, &st.int)?,
            };
            ws.write_string_with_format(r, c_grade, fit(&w.grade(m)), &st.center)?;
            widths.fit(c_grade, &w.grade(m));
            for k in 0..5u16 {
                match m.dimensions.get(usize::from(k)) {
                    Some(d) => ws.write_number_with_format(r, c_dims + k, round1(*d), &st.pct)?,
                    None => ws.write_blank(r, c_dims + k, &st.pct)?,
                };
            }
            let extra: &[crate::scenario::Text] = if i == 0 { &g.notes } else { &[] };
            let notes = w.notes(m, extra);
            ws.write_string_with_format(r, c_notes, fit(&notes), &st.notes)?;
            widths.fit(c_notes, &notes);
            r += 1;
        }
    }
    widths.apply(ws, 6.0, &[(0, 14.0), (1, 12.0), (2, 16.0), (3, 12.0), (c_notes, 60.0)], 12.0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, h2)?;
    Ok(())
}

/// A cell's text within Excel's limit of 32,767 characters (a 40,000-character name or a long
/// list of notes once failed the whole workbook): clipped, with a mark that it was.
fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    const LIMIT: usize = 32_000;
    match s.char_indices().nth(LIMIT) {
        None => std::borrow::Cow::Borrowed(s),
        Some((i, _)) => std::borrow::Cow::Owned(format!("{}…（截断 clipped）", &s[..i])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert!((text_width("王玥") - 4.0).abs() < f64::EPSILON);
        assert!((text_width("ab") - 2.0).abs() < f64::EPSILON);
        assert!((text_width("𠀀") - 2.0).abs() < f64::EPSILON);
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        let a = sheet_name("项目1任务3 样例：接听/咨询电话[长]", &mut used);
        assert!(!a.contains('/') && !a.contains('['));
        let long = "x".repeat(40);
        let b = sheet_name(&long, &mut used);
        let c = sheet_name(&long, &mut used);
        assert_eq!(b.chars().count(), 31);
        assert_ne!(b, c);
        assert!(c.ends_with("~2"));
    }
}
