//! The table activity: working out every cell, marking the student's table with errors carried
//! forward, the right table (for the expert) and the chart drawn from the student's own cells.
//!
//! A cell is right when it matches its column's formula worked out from the student's own cells
//! (to its left, and above for `above(…)`), from the right table, or from an `also` formula.
//! So a slip in row 1's cumulative revenue costs that one cell: every later cumulative value
//! built on it in the student's own way is still right.

use serde::Serialize;

use super::activity::answer_number;
use crate::scenario::text::normalize;
use super::{Mark, Step};
use crate::scenario::formula::{Formula, Name};
use crate::scenario::{CellValue, Lang, Sort, Table, Text};

/// A column as the student sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableColumn {
    pub id: String,
    pub label: String,
    pub unit: Option<String>,
    /// Shown, not filled.
    pub given: bool,
    /// `row` (which row goes here), `number` or `class`.
    pub kind: &'static str,
}

/// One row of the data card (the task's figures, in the order given).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableData {
    pub id: String,
    pub name: String,
    pub values: Vec<String>,
}

/// What the table shows as the student fills it: the given cells (worked out from the rows the
/// student put in each place) and the chart from the student's own cells. Nothing in it says
/// whether a cell is right.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Preview {
    /// Per place, per column: the given cell's text (`None` for cells the student fills).
    pub shown: Vec<Vec<Option<String>>>,
    /// Per place: the row the student's first column names, if it names one.
    pub named: Vec<Option<String>>,
    pub chart: Option<ChartData>,
}

/// A chart drawn from the student's table: bars and a line per place (percent scale), the class
/// written under each place, and the cut-offs between classes.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChartData {
    pub title: Text,
    pub bar_label: Option<Text>,
    pub line_label: Option<Text>,
    /// Per place: the row's code (the number in its name, or its name).
    pub labels: Vec<String>,
    pub bars: Vec<Option<f64>>,
    pub line: Vec<Option<f64>>,
    pub classes: Vec<Option<String>>,
    /// (value, the class up to it).
    pub cuts: Vec<(f64, Text)>,
    /// The top of the value axis (100 for percentages, or the largest value).
    pub top: f64,
}

/// Every cell worked out, for the student's table or the right one.
struct Worked {
    /// The data row used in each place.
    row_of: Vec<usize>,
    /// The row the student named in each place (sorted tables).
    picked: Vec<Option<usize>>,
    /// Per place: the student's row cell is right.
    row_right: Vec<bool>,
    /// Per place, per column: the value later cells use (the student's own when written).
    used: Vec<Vec<Option<f64>>>,
    /// Per place, per column: the values that are right (errors carried forward first).
    accept: Vec<Vec<Vec<f64>>>,
    /// Per place, per column: the classes that are right (normalised) and the one to show.
    classes: Vec<Vec<(Vec<String>, Option<Text>)>>,
}

fn key_value(t: &Table, row: usize, key: &str) -> Option<f64> {
    t.rows.get(row)?.values.get(key).copied()
}

fn column_index(t: &Table, id: &str) -> Option<usize> {
    t.columns.iter().position(|c| c.id == id)
}

/// The right order of the rows (ties keep the order given).
pub fn true_order(t: &Table) -> Vec<usize> {
    let mut order: Vec<usize> = (0..t.rows.len()).collect();
    if let Some(sort) = &t.sort {
        let k = |r: usize| key_value(t, r, sort.key()).unwrap_or(0.0);
        order.sort_by(|&a, &b| {
            let o = k(a).total_cmp(&k(b));
            if matches!(sort, Sort::Descending(_)) { o.reverse() } else { o }
        });
    }
    order
}

pub use crate::scenario::rules::{digits, resolve_row};

/// A class as written, for comparing: "A类客户", "a 类", "Class A" → "a".
fn class_key(s: &str) -> String {
    let n = normalize(s);
    let n = n.strip_prefix("class").unwrap_or(&n);
    let n = n.strip_suffix("客户").unwrap_or(n);
    let n = n.strip_suffix("类").unwrap_or(n);
    let n = n.strip_suffix("customers").or_else(|| n.strip_suffix("customer")).unwrap_or(n);
    n.to_string()
}

/// The class of `x` by the bands, and the classes next to a cut-off it is within `tol` of.
fn classes_of(bands: &[crate::scenario::Band], otherwise: &Text, x: f64, tol: f64) -> (Vec<Text>, Text) {
    let class_at = |x: f64| bands.iter().find(|b| x <= b.upto + 1e-9).map_or_else(|| otherwise.clone(), |b| b.class.clone());
    let main = class_at(x);
    let mut all = vec![main.clone()];
    for b in bands {
        if (x - b.upto).abs() <= tol {
            for c in [class_at(b.upto - 2.0 * tol), class_at(b.upto + 2.0 * tol)] {
                if !all.iter().any(|a| a.zh == c.zh) {
                    all.push(c);
                }
            }
        }
    }
    (all, main)
}

fn longest_run(keys: &[(usize, f64)], descending: bool) -> Vec<usize> {
    // Longest subsequence in order (ties allowed), O(n²): tables are small.
    let n = keys.len();
    let fits = |a: f64, b: f64| if descending { a >= b - 1e-9 } else { a <= b + 1e-9 };
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if fits(keys[j].1, keys[i].1) && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let Some(mut at) = (0..n).max_by_key(|&i| (len[i], usize::MAX - i)) else { return Vec::new() };
    let mut out = Vec::new();
    loop {
        out.push(keys[at].0);
        if prev[at] == usize::MAX {
            break;
        }
        at = prev[at];
    }
    out
}

fn parsed_formulas(col: &crate::scenario::Column) -> Vec<Formula> {
    let main = match &col.value {
        CellValue::Formula(f) => Some(f.as_str()),
        _ => None,
    };
    main.into_iter().chain(col.also.iter().map(String::as_str)).filter_map(|f| Formula::parse(f).ok()).collect()
}

/// Work every cell out: from the student's `cells` (errors carried forward), or the right table
/// when `cells` is `None`. `truth` is the right table, for accepting its values too.
fn work(t: &Table, cells: Option<&[Vec<String>]>, truth: Option<&Worked>) -> Worked {
    let n = t.rows.len();
    let ncol = t.columns.len();
    let order = true_order(t);
    let cell = |p: usize, c: usize| -> &str { cells.and_then(|cs| cs.get(p)).and_then(|r| r.get(c)).map_or("", String::as_str) };
    let row_col = t.columns.iter().position(|c| matches!(c.value, CellValue::Row));
    let formulas: Vec<Vec<Formula>> = t.columns.iter().map(parsed_formulas).collect();

    // Which row each place holds.
    let mut picked = vec![None; n];
    let mut row_right = vec![false; n];
    let mut row_of = order.clone();
    if let (Some(rc), Some(_)) = (row_col, cells) {
        let mut seen = vec![false; n];
        let mut firsts: Vec<(usize, f64)> = Vec::new();
        for p in 0..n {
            picked[p] = resolve_row(t, cell(p, rc));
            if let Some(r) = picked[p] {
                row_of[p] = r;
                if !seen[r] {
                    seen[r] = true;
                    firsts.push((p, t.sort.as_ref().and_then(|s| key_value(t, r, s.key())).unwrap_or(0.0)));
                }
            }
        }
        let descending = matches!(t.sort, Some(Sort::Descending(_)));
        for p in longest_run(&firsts, descending) {
            row_right[p] = true;
        }
    } else if cells.is_none() {
        picked = order.iter().map(|&r| Some(r)).collect();
        row_right = vec![true; n];
    }

    let sum_of = |key: &str| -> Option<f64> { t.rows.iter().map(|r| r.values.get(key).copied()).sum() };
    let mut used = vec![vec![None::<f64>; ncol]; n];
    let mut accept = vec![vec![Vec::new(); ncol]; n];
    let mut classes = vec![vec![(Vec::new(), None); ncol]; n];
    for p in 0..n {
        let r = row_of[p];
        for (c, col) in t.columns.iter().enumerate() {
            match &col.value {
                CellValue::Row => {}
                CellValue::Formula(_) => {
                    let mut values: Vec<f64> = Vec::new();
                    for f in &formulas[c] {
                        let v = f.eval(|name| match name {
                            Name::Here(x) => key_value(t, r, x).or_else(|| column_index(t, x).filter(|&j| j < c).and_then(|j| used[p][j])),
                            Name::Above(x) => {
                                if p == 0 {
                                    Some(0.0)
                                } else {
                                    key_value(t, row_of[p - 1], x).or_else(|| column_index(t, x).and_then(|j| used[p - 1][j]))
                                }
                            }
                            Name::Sum(x) => sum_of(x),
                        });
                        values.extend(v);
                    }
                    if let Some(tr) = truth {
                        values.extend(tr.accept[p][c].first().copied());
                    }
                    let own = values.first().copied();
                    let written = if col.given || cells.is_none() { None } else { answer_number(cell(p, c)) };
                    used[p][c] = written.or(own);
                    accept[p][c] = values;
                }
                CellValue::Bands { of, bands, otherwise } => {
                    let (x, tol) = match column_index(t, of) {
                        Some(j) => (used[p][j], t.columns[j].tolerance()),
                        None => (key_value(t, r, of), 1e-9),
                    };
                    let mut keys = Vec::new();
                    let mut main = None;
                    if let Some(x) = x {
                        let (all, m) = classes_of(bands, otherwise, x, tol);
                        for a in &all {
                            keys.push(class_key(&a.zh));
                            keys.extend(a.en.as_deref().map(class_key));
                        }
                        main = Some(m);
                    }
                    if let Some(tr) = truth {
                        keys.extend(tr.classes[p][c].0.iter().cloned());
                        if main.is_none() {
                            main = tr.classes[p][c].1.clone();
                        }
                    }
                    classes[p][c] = (keys, main);
                }
            }
        }
    }
    Worked { row_of, picked, row_right, used, accept, classes }
}

fn fmt_number(v: f64, decimals: u8) -> String {
    format!("{:.*}", usize::from(decimals.min(9)), v)
}

/// The right table, as a student would write it (the expert's answer).
pub fn solution(t: &Table, lang: Lang) -> Vec<Vec<String>> {
    let w = work(t, None, None);
    (0..t.rows.len())
        .map(|p| {
            t.columns
                .iter()
                .enumerate()
                .map(|(c, col)| {
                    if col.given {
                        return String::new();
                    }
                    match &col.value {
                        CellValue::Row => t.rows[w.row_of[p]].name.get(lang).to_string(),
                        CellValue::Formula(_) => w.used[p][c].map(|v| fmt_number(v, col.decimals)).unwrap_or_default(),
                        CellValue::Bands { .. } => w.classes[p][c].1.as_ref().map(|m| m.get(lang).to_string()).unwrap_or_default(),
                    }
                })
                .collect()
        })
        .collect()
}

/// The given cells and the chart for a table being filled.
pub fn preview(t: &Table, cells: &[Vec<String>], lang: Lang) -> Preview {
    let w = work(t, Some(cells), None);
    let n = t.rows.len();
    let shown = (0..n)
        .map(|p| {
            t.columns
                .iter()
                .enumerate()
                .map(|(c, col)| {
                    col.given.then(|| match &col.value {
                        CellValue::Formula(_) if t.sort.is_none() || w.picked[p].is_some() => w.used[p][c].map(|v| fmt_number(v, col.decimals)).unwrap_or_default(),
                        CellValue::Bands { .. } if t.sort.is_none() || w.picked[p].is_some() => w.classes[p][c].1.as_ref().map(|m| m.get(lang).to_string()).unwrap_or_default(),
                        _ => String::new(),
                    })
                })
                .collect()
        })
        .collect();
    let named = w.picked.iter().map(|r| r.map(|r| t.rows[r].name.get(lang).to_string())).collect();
    Preview { shown, named, chart: chart(t, cells, &w, lang) }
}

/// A student's table marked cell by cell, for drawing it as a grid (the review, the feedback).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableMarked {
    pub columns: Vec<Text>,
    /// The places' labels (ranks, or the rows' names).
    pub places: Vec<Text>,
    /// Per place, per column.
    pub cells: Vec<Vec<CellMarked>>,
    pub chart: Option<ChartData>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CellMarked {
    /// What the student wrote (a given cell: what it showed).
    pub text: String,
    /// `None` for a given cell.
    pub right: Option<bool>,
    /// The right value (errors carried forward) when wrong.
    pub expected: String,
    /// Right from the student's own earlier cells, not from the right table.
    pub carried: bool,
}

fn chart(t: &Table, cells: &[Vec<String>], w: &Worked, lang: Lang) -> Option<ChartData> {
    let spec = t.chart.as_ref()?;
    let n = t.rows.len();
    let cell = |p: usize, c: usize| cells.get(p).and_then(|r| r.get(c)).map_or("", String::as_str);
    let series = |id: Option<&String>| -> Vec<Option<f64>> {
        let Some(c) = id.and_then(|id| column_index(t, id)) else { return Vec::new() };
        (0..n).map(|p| if t.columns[c].given { w.used[p][c] } else { answer_number(cell(p, c)) }).collect()
    };
    let label = |id: Option<&String>| id.and_then(|id| column_index(t, id)).map(|c| t.columns[c].label.clone());
    let bars = series(spec.bars.as_ref());
    let line = series(spec.line.as_ref());
    let class_col = spec.classes.as_ref().and_then(|id| column_index(t, id));
    let classes = (0..n)
        .map(|p| {
            let c = class_col?;
            let text = if t.columns[c].given { w.classes[p][c].1.as_ref().map(|m| m.get(lang).to_string()) } else { Some(cell(p, c).trim().to_string()) };
            text.filter(|s| !s.is_empty())
        })
        .collect();
    let cuts = class_col
        .and_then(|c| match &t.columns[c].value {
            CellValue::Bands { bands, .. } => Some(bands.iter().map(|b| (b.upto, b.class.clone())).collect()),
            _ => None,
        })
        .unwrap_or_default();
    let labels = (0..n)
        .map(|p| match w.picked[p].or(t.sort.is_none().then_some(p)) {
            Some(r) => {
                let d = digits(&t.rows[r].name.zh);
                if d.is_empty() { t.rows[r].name.get(lang).to_string() } else { d }
            }
            None => "?".to_string(),
        })
        .collect();
    let largest = bars.iter().chain(&line).flatten().fold(0.0f64, |a, &b| a.max(b));
    let top = if largest <= 100.0 + 1e-9 { 100.0 } else { largest };
    Some(ChartData { title: spec.title.clone(), bar_label: label(spec.bars.as_ref()), line_label: label(spec.line.as_ref()), labels, bars, line, classes, cuts, top })
}

/// Mark the student's table: a mark per cell the student fills, the credit (weighted share of
/// cells right) and, per column, what went wrong.
pub(super) fn answer(t: &Table, cells: &[Vec<String>], step: &mut Step) -> Result<f64, String> {
    let n = t.rows.len();
    if cells.len() > n {
        return Err(format!("{} rows given; the table has {n}", cells.len()));
    }
    if let Some((p, r)) = cells.iter().enumerate().find(|(_, r)| r.len() > t.columns.len()) {
        return Err(format!("row {} has {} cells; the table has {} columns", p + 1, r.len(), t.columns.len()));
    }
    let truth = work(t, None, None);
    let w = work(t, Some(cells), Some(&truth));
    let cell = |p: usize, c: usize| cells.get(p).and_then(|r| r.get(c)).map_or("", |s| s.trim());
    let (mut got, mut all) = (0.0, 0.0);
    let mut grid: Vec<Vec<CellMarked>> = Vec::with_capacity(n);
    let mut wrong_by_col: Vec<Vec<usize>> = vec![Vec::new(); t.columns.len()];
    for p in 0..n {
        let mut line = Vec::with_capacity(t.columns.len());
        for (c, col) in t.columns.iter().enumerate() {
            if col.given {
                let text = if t.sort.is_none() || w.picked[p].is_some() {
                    match &col.value {
                        CellValue::Formula(_) => w.used[p][c].map(|v| fmt_number(v, col.decimals)).unwrap_or_default(),
                        CellValue::Bands { .. } => w.classes[p][c].1.as_ref().map(|m| m.zh.clone()).unwrap_or_default(),
                        CellValue::Row => String::new(),
                    }
                } else {
                    String::new()
                };
                line.push(CellMarked { text, right: None, expected: String::new(), carried: false });
                continue;
            }
            let written = cell(p, c);
            let (right, expected, carried) = match &col.value {
                CellValue::Row => {
                    let should = &t.rows[truth.row_of[p]].name;
                    let right = w.row_right[p];
                    // Equal values may come in either order: name every row that fits the place.
                    let key = t.sort.as_ref().and_then(|s| key_value(t, truth.row_of[p], s.key()));
                    let fits: Vec<&Text> = t.rows.iter().filter(|r| key.is_some() && t.sort.as_ref().and_then(|s| r.values.get(s.key()).copied()) == key).map(|r| &r.name).collect();
                    let exp = if fits.len() > 1 { Text { zh: fits.iter().map(|x| x.zh.as_str()).collect::<Vec<_>>().join("或"), en: Some(fits.iter().map(|x| x.get(Lang::En)).collect::<Vec<_>>().join(" or ")) } } else { should.clone() };
                    (right, exp, false)
                }
                CellValue::Formula(_) => {
                    let tol = col.tolerance();
                    let v = answer_number(written);
                    let hit = v.and_then(|v| w.accept[p][c].iter().position(|a| (a - v).abs() <= tol));
                    let own = w.accept[p][c].first().copied();
                    let carried = hit.is_some() && truth.accept[p][c].first().is_some_and(|tv| v.is_some_and(|v| (tv - v).abs() > tol));
                    (hit.is_some(), Text::zh(own.map(|v| fmt_number(v, col.decimals)).unwrap_or_default()), carried)
                }
                CellValue::Bands { .. } => {
                    let (keys, main) = &w.classes[p][c];
                    let k = class_key(written);
                    let right = !k.is_empty() && keys.contains(&k);
                    (right, main.clone().unwrap_or_default(), false)
                }
            };
            all += col.weight;
            if right {
                got += col.weight;
            } else {
                wrong_by_col[c].push(p);
            }
            line.push(CellMarked { text: written.to_string(), right: Some(right), expected: if right { String::new() } else { expected.zh.clone() }, carried });
            let mut notes = Vec::new();
            if carried {
                notes.push(Text::new("按你前面填的数算，这一格是对的（错误不重复扣分）。", "Right from your own earlier cells (an error is not counted twice)."));
            }
            if !right {
                notes.extend(col.feedback.clone());
            }
            step.marks.push(Mark {
                id: format!("{}.{}", p + 1, col.id),
                label: Text::new(format!("第{}行 · {}", p + 1, col.label.zh), format!("Row {} · {}", p + 1, col.label.get(Lang::En))),
                given: if written.is_empty() { Text::new("（没填）", "(left empty)") } else { Text::zh(written) },
                right,
                expected,
                notes,
            });
        }
        grid.push(line);
    }
    let places = places_text(t);
    step.table = Some(Box::new(TableMarked { columns: t.columns.iter().map(|c| c.label.clone()).collect(), places, cells: grid, chart: chart(t, cells, &w, Lang::Zh) }));
    for (c, rows) in wrong_by_col.iter().enumerate() {
        if rows.is_empty() {
            continue;
        }
        let col = &t.columns[c];
        let list = rows.iter().map(|p| (p + 1).to_string()).collect::<Vec<_>>();
        step.feedback.push(Text::new(
            format!("「{}」有 {} 格不对（第 {} 行）。{}", col.label.zh, rows.len(), list.join("、"), col.feedback.as_ref().map_or("", |f| f.zh.as_str())),
            format!(
                "“{}”: {} cell{} wrong (row {}). {}",
                col.label.get(Lang::En),
                rows.len(),
                if rows.len() == 1 { "" } else { "s" },
                list.join(", "),
                col.feedback.as_ref().map_or("", |f| f.get(Lang::En))
            )
            .trim_end()
            .to_string(),
        ));
    }
    step.answer.push(Text::new(
        format!("填表：{} 格中对了 {} 格", all_cells(t), step.marks.iter().filter(|m| m.right).count()),
        format!("the table: {} of {} cells right", step.marks.iter().filter(|m| m.right).count(), all_cells(t)),
    ));
    Ok(if all > 0.0 { got / all } else { 1.0 })
}

/// The share of `cells` right (errors carried forward), or why they are refused.
pub fn credit_of(t: &Table, cells: &[Vec<String>]) -> Result<f64, String> {
    let mut step = Step::new(t.id.clone(), "Table", super::Action::Table(Vec::new()), 0);
    answer(t, cells, &mut step)
}

/// The right table with one early slip carried on, as a careful student who made one mistake
/// writes it: the first cell of the first running column (a formula using `above` of itself,
/// else the first number column) is off, and every later number and class is worked out from
/// it. With the id of the slipped cell; `None` when the table has no number column to fill.
pub fn with_slip(t: &Table, lang: Lang) -> Option<(Vec<Vec<String>>, String)> {
    let runs_on = |c: &crate::scenario::Column| matches!(&c.value, CellValue::Formula(f) if Formula::parse(f).is_ok_and(|f| f.names().any(|n| matches!(n, Name::Above(x) if *x == c.id))));
    let number = |c: &crate::scenario::Column| !c.given && matches!(c.value, CellValue::Formula(_));
    let c = t.columns.iter().position(|c| number(c) && runs_on(c)).or_else(|| t.columns.iter().position(number))?;
    let mut cells = solution(t, lang);
    let col = &t.columns[c];
    let right = answer_number(cells.first()?.get(c)?)?;
    let step = 10f64.powi(-i32::from(col.decimals.min(9)));
    let off = right + (right.abs() * 0.05).max(step * 3.0).max(col.tolerance() * 3.0);
    // Later cells of every worked-out column left empty: the marking fills them from the
    // student's own earlier cells (errors carried forward), which is what is written back.
    for row in cells.iter_mut() {
        for (j, cj) in t.columns.iter().enumerate() {
            if !cj.given && !matches!(cj.value, CellValue::Row) {
                row[j].clear();
            }
        }
    }
    // The slip itself stays; everything else is worked out from it.
    cells[0][c] = fmt_number(off, col.decimals);
    let w = work(t, Some(&cells), None);
    for (p, row) in cells.iter_mut().enumerate() {
        for (j, cj) in t.columns.iter().enumerate() {
            if cj.given || (p == 0 && j == c) {
                continue;
            }
            match &cj.value {
                CellValue::Formula(_) => row[j] = w.used[p][j].map(|v| fmt_number(v, cj.decimals)).unwrap_or_default(),
                CellValue::Bands { .. } => row[j] = w.classes[p][j].1.as_ref().map(|m| m.get(lang).to_string()).unwrap_or_default(),
                CellValue::Row => {}
            }
        }
    }
    Some((cells, format!("1.{}", col.id)))
}

/// How many cells the student fills.
pub fn all_cells(t: &Table) -> usize {
    t.rows.len() * t.columns.iter().filter(|c| !c.given).count()
}

/// The places' labels: ranks 1…n when the student sorts the rows, else the rows' names.
fn places_text(t: &Table) -> Vec<Text> {
    if t.sort.is_some() { (1..=t.rows.len()).map(|i| Text::zh(i.to_string())).collect() } else { t.rows.iter().map(|r| r.name.clone()).collect() }
}

/// The columns as the student sees them, the places' labels and the data card.
pub fn view_parts(t: &Table, lang: Lang) -> (Vec<TableColumn>, Vec<String>, Vec<String>, Vec<TableData>) {
    let columns = t
        .columns
        .iter()
        .map(|c| TableColumn {
            id: c.id.clone(),
            label: c.label.get(lang).to_string(),
            unit: c.unit.as_ref().map(|u| u.get(lang).to_string()),
            given: c.given,
            kind: match c.value {
                CellValue::Row => "row",
                CellValue::Formula(_) => "number",
                CellValue::Bands { .. } => "class",
            },
        })
        .collect();
    let places = places_text(t).iter().map(|p| p.get(lang).to_string()).collect();
    let keys = t.keys.iter().map(|k| k.label.get(lang).to_string()).collect();
    let data = t
        .rows
        .iter()
        .map(|r| TableData {
            id: r.id.clone(),
            name: r.name.get(lang).to_string(),
            values: t.keys.iter().map(|k| r.values.get(&k.id).map(|v| if v.fract() == 0.0 { format!("{v:.0}") } else { v.to_string() }).unwrap_or_default()).collect(),
        })
        .collect();
    (columns, places, keys, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_read_loosely() {
        for s in ["A", "a", "A类", "Ａ类客户", "class A", "A customers"] {
            assert_eq!(class_key(s), "a", "{s}");
        }
        assert_eq!(class_key("B 类"), "b");
    }

    #[test]
    fn the_longest_run_allows_ties() {
        let keys = [(0, 50.0), (1, 60.0), (2, 50.0), (3, 40.0), (4, 40.0)];
        assert_eq!(longest_run(&keys, true).len(), 4);
        assert_eq!(longest_run(&[], true).len(), 0);
    }
}
