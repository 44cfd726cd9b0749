//! The table activity: the task's data card, a grid of cells moved through with the keyboard
//! (Tab and Shift+Tab along a row, Enter and ↑ ↓ between rows, ← → past a cell's edge), the
//! chart drawn live from the student's own cells, and the marked grid of the feedback and the
//! review (right cells green, wrong ones struck through beside the right value, cells right from
//! the student's own earlier figures starred). Every number shown comes from the core (`Session::table_preview`, `Step::table`).

use bevy_egui::egui::{self, Align2, Color32, FontId, Key, RichText, Stroke, Ui, pos2, vec2};

use crate::app::intent::Intent;
use crate::app::theme::palette;
use crate::app::theme::widgets::{card, para, t};
use crate::scenario::{Lang, Text};
use crate::session::table::{ChartData, TableColumn, TableData, TableMarked};
use crate::session::{Action, Session};

/// What the table screen gets from the view.
pub struct TableView<'a> {
    pub node: &'a str,
    pub columns: &'a [TableColumn],
    pub places: &'a [String],
    pub keys: &'a [String],
    pub data: &'a [TableData],
}

fn cell_width(kind: &str) -> f32 {
    match kind {
        "row" => 84.0,
        "class" => 56.0,
        _ => 88.0,
    }
}

fn header(c: &TableColumn) -> String {
    match &c.unit {
        Some(u) => format!("{}（{u}）", c.label),
        None => c.label.clone(),
    }
}

/// The data card: the task's figures in the order given (table 3-7), seven rows to a block:
/// the names above, the figures below.
fn data_card(ui: &mut Ui, v: &TableView, lang: Lang) {
    card(ui, |ui| {
        let title = match lang {
            Lang::Zh => format!("资料：{}", v.keys.join("、")),
            Lang::En => format!("Data: {}", v.keys.join(", ")),
        };
        ui.label(RichText::new(title).size(18.0).color(palette::MUTED));
        egui::ScrollArea::horizontal().id_salt(("table-data", v.node)).show(ui, |ui| {
            egui::Grid::new(("table-data-grid", v.node)).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                for block in v.data.chunks(7) {
                    for d in block {
                        ui.label(RichText::new(&d.name).size(18.0).color(palette::MUTED));
                    }
                    ui.end_row();
                    for d in block {
                        ui.label(RichText::new(d.values.join(" / ")).size(20.0).strong());
                    }
                    ui.end_row();
                }
            });
        });
    });
}

/// The grid the student fills. Returns true when Ctrl+Enter asks to submit.
pub fn grid(ui: &mut Ui, s: &Session, v: &TableView, cells: &mut Vec<Vec<String>>, focus_first: bool, wrong_before: &std::collections::BTreeSet<String>, lang: Lang) -> bool {
    let n = v.places.len();
    let ncol = v.columns.len();
    cells.resize(n, Vec::new());
    for row in cells.iter_mut() {
        row.resize(ncol, String::new());
    }
    let preview = s.table_preview(v.node, cells, lang).unwrap_or_default();
    data_card(ui, v, lang);
    let id_of = |p: usize, c: usize| egui::Id::new(("table-cell", v.node, p, c));
    let fill: Vec<usize> = (0..ncol).filter(|&c| !v.columns[c].given).collect();
    // The first cell to fill takes the keyboard when the table appears.
    let mut move_to: Option<(usize, usize)> = fill.first().filter(|_| focus_first && n > 0).map(|&c| (0, c));
    let mut submit = false;
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "Tab 向右、回车或 ↓ 到下一行、↑ 到上一行；Ctrl+回车提交", "Tab moves right, Enter or ↓ to the next row, ↑ up; Ctrl+Enter submits")).size(17.0).color(palette::MUTED));
        egui::ScrollArea::horizontal().id_salt(("table-scroll", v.node)).show(ui, |ui| {
            egui::Grid::new(("table", v.node)).striped(true).spacing([10.0, 6.0]).show(ui, |ui| {
                ui.label(RichText::new(t(lang, "名次", "#")).size(18.0).strong());
                for c in v.columns {
                    ui.label(RichText::new(header(c)).size(18.0).strong());
                }
                ui.end_row();
                for (p, place) in v.places.iter().enumerate() {
                    ui.label(RichText::new(place).size(19.0).color(palette::MUTED));
                    for (c, col) in v.columns.iter().enumerate() {
                        if col.given {
                            let text = preview.shown.get(p).and_then(|r| r.get(c)).cloned().flatten().unwrap_or_default();
                            ui.add_sized([cell_width(col.kind), 30.0], egui::Label::new(RichText::new(if text.is_empty() { "—".into() } else { text }).size(20.0).color(palette::MUTED)));
                            continue;
                        }
                        let wrong = wrong_before.contains(&format!("{}.{}", p + 1, col.id));
                        let out = egui::TextEdit::singleline(&mut cells[p][c])
                            .id(id_of(p, c))
                            .desired_width(cell_width(col.kind))
                            .min_size(vec2(cell_width(col.kind), 0.0))
                            .font(FontId::proportional(20.0))
                            .text_color(if wrong { palette::BAD } else { palette::TEXT })
                            .show(ui);
                        let r = &out.response.response;
                        if wrong {
                            r.clone().on_hover_text(t(lang, "上次这里错了", "Wrong last time"));
                        }
                        let at = fill.iter().position(|&x| x == c).unwrap_or(0);
                        let len = cells[p][c].chars().count();
                        // ← → leave a cell only from its edge as it was before this frame's keys
                        // (the cursor after them has already moved: "1" with the cursor before the
                        // 1 would otherwise jump on the first →).
                        let cursor_id = egui::Id::new(("table-cursor", v.node, p, c));
                        // A cell that has just taken the focus has its cursor at the end.
                        let cursor = Some(ui.data(|d| d.get_temp::<usize>(cursor_id)).unwrap_or(len));
                        match out.cursor_range.map(|cr| cr.primary.index.0).filter(|_| r.has_focus()) {
                            Some(now) => ui.data_mut(|d| {
                                d.insert_temp(cursor_id, now);
                            }),
                            None => ui.data_mut(|d| d.remove::<usize>(cursor_id)),
                        }
                        if r.has_focus() {
                            let (down, up, left, right, ctrl_enter) = ui.input(|i| {
                                (i.key_pressed(Key::ArrowDown), i.key_pressed(Key::ArrowUp), i.key_pressed(Key::ArrowLeft), i.key_pressed(Key::ArrowRight), i.key_pressed(Key::Enter) && i.modifiers.command)
                            });
                            if ctrl_enter {
                                submit = true;
                            } else if down && p + 1 < n {
                                move_to = Some((p + 1, c));
                            } else if up && p > 0 {
                                move_to = Some((p - 1, c));
                            } else if left && cursor == Some(0) && at > 0 {
                                move_to = Some((p, fill[at - 1]));
                            } else if right && cursor == Some(len) && at + 1 < fill.len() {
                                move_to = Some((p, fill[at + 1]));
                            }
                        } else if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                            if ui.input(|i| i.modifiers.command) {
                                submit = true;
                            } else if p + 1 < n {
                                move_to = Some((p + 1, c));
                            }
                        }
                    }
                    if let Some(name) = preview.named.get(p).cloned().flatten() {
                        ui.label(RichText::new(name).size(16.0).color(palette::MUTED));
                    }
                    ui.end_row();
                }
            });
        });
    });
    // egui may run a frame's pass twice (a layout change asks for another pass) with the same
    // keys: move the focus once per frame, or one ← → ↑ ↓ would move it two cells.
    let frame = ui.ctx().cumulative_frame_nr();
    let moved_id = egui::Id::new(("table-moved", v.node));
    if let Some((p, c)) = move_to
        && ui.data(|d| d.get_temp::<u64>(moved_id)) != Some(frame)
    {
        ui.data_mut(|d| d.insert_temp(moved_id, frame));
        ui.memory_mut(|m| m.request_focus(id_of(p, c)));
    }
    if let Some(chart_data) = &preview.chart {
        card(ui, |ui| {
            let w = ui.available_width().min(760.0);
            chart(ui, chart_data, lang, w, 300.0);
        });
    }
    submit
}

/// The cells left empty, as "row · column" labels (the app asks before submitting them).
pub fn empty_cells(v: &TableView, cells: &[Vec<String>], lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for (p, place) in v.places.iter().enumerate() {
        for (c, col) in v.columns.iter().enumerate() {
            if !col.given && cells.get(p).and_then(|r| r.get(c)).is_none_or(|x| x.trim().is_empty()) {
                out.push(match lang {
                    Lang::Zh => format!("第{place}行·{}", col.label),
                    Lang::En => format!("row {place} · {}", col.label),
                });
            }
        }
    }
    out
}

/// The answer to send: the cells as typed.
pub fn action(cells: &[Vec<String>]) -> Action {
    Action::Table(cells.to_vec())
}

/// The chart: bars and a line per place on a 0…top scale, the classes' cut-offs as dashed lines,
/// each place's code under its bar and the class the student wrote under that.
pub fn chart(ui: &mut Ui, d: &ChartData, lang: Lang, width: f32, height: f32) {
    let (rect, _) = ui.allocate_exact_size(vec2(width, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let n = d.labels.len().max(1);
    let (left, right, top, bottom) = (46.0, 70.0, 34.0, 52.0);
    let plot = egui::Rect::from_min_max(pos2(rect.left() + left, rect.top() + top), pos2(rect.right() - right, rect.bottom() - bottom));
    let font = |s: f32| FontId::proportional(s);
    painter.text(pos2(rect.left() + 4.0, rect.top() + 2.0), Align2::LEFT_TOP, d.title.get(lang), font(18.0), palette::TEXT);
    let y_of = |v: f64| plot.bottom() - (v / d.top.max(1e-9)).clamp(0.0, 1.05) as f32 * plot.height();
    // Grid lines every fifth of the scale.
    for k in 0..=5 {
        let v = d.top * f64::from(k) / 5.0;
        let y = y_of(v);
        painter.line_segment([pos2(plot.left(), y), pos2(plot.right(), y)], Stroke::new(1.0, palette::LINE));
        let label = if (d.top - 100.0).abs() < 1e-9 { format!("{v:.0}%") } else { format!("{v:.0}") };
        painter.text(pos2(plot.left() - 4.0, y), Align2::RIGHT_CENTER, label, font(14.0), palette::MUTED);
    }
    let slot = plot.width() / n as f32;
    let x_of = |i: usize| plot.left() + slot * (i as f32 + 0.5);
    for (i, b) in d.bars.iter().enumerate() {
        if let Some(b) = b {
            let r = egui::Rect::from_min_max(pos2(x_of(i) - slot * 0.32, y_of(*b)), pos2(x_of(i) + slot * 0.32, plot.bottom()));
            painter.rect_filled(r, 2.0, palette::PRIMARY_SOFT);
            painter.rect_stroke(r, 2.0, Stroke::new(1.0, Color32::from_rgb(147, 197, 253)), egui::StrokeKind::Inside);
        }
    }
    for (v, class) in &d.cuts {
        let y = y_of(*v);
        painter.extend(egui::Shape::dashed_line(&[pos2(plot.left(), y), pos2(plot.right(), y)], Stroke::new(1.5, palette::WARN), 6.0, 4.0));
        painter.text(pos2(plot.right() + 4.0, y), Align2::LEFT_CENTER, format!("{} ≤ {v:.0}%", class.get(lang)), font(14.0), palette::WARN);
    }
    // The cumulative line from the origin through each place the student worked out.
    let mut points = vec![pos2(plot.left(), plot.bottom())];
    for (i, v) in d.line.iter().enumerate() {
        if let Some(v) = v {
            points.push(pos2(x_of(i), y_of(*v)));
        }
    }
    if points.len() > 1 {
        painter.add(egui::Shape::line(points.clone(), Stroke::new(2.5, palette::PRIMARY)));
        for p in &points[1..] {
            painter.circle_filled(*p, 3.5, palette::PRIMARY);
        }
    }
    painter.line_segment([pos2(plot.left(), plot.bottom()), pos2(plot.right(), plot.bottom())], Stroke::new(1.5, palette::TEXT));
    painter.line_segment([pos2(plot.left(), plot.top()), pos2(plot.left(), plot.bottom())], Stroke::new(1.5, palette::TEXT));
    // Codes under the axis; the student's classes under them, with a mark where the class changes.
    let code_size = if slot < 22.0 { 12.0 } else { 15.0 };
    let mut last: Option<&str> = None;
    for i in 0..d.labels.len() {
        painter.text(pos2(x_of(i), plot.bottom() + 4.0), Align2::CENTER_TOP, &d.labels[i], font(code_size), palette::TEXT);
        let class = d.classes.get(i).and_then(|c| c.as_deref());
        if let Some(c) = class {
            painter.text(pos2(x_of(i), plot.bottom() + 26.0), Align2::CENTER_TOP, c, font(16.0), palette::PRIMARY);
        }
        if i > 0 && class.is_some() && last.is_some() && class != last {
            let x = plot.left() + slot * i as f32;
            painter.extend(egui::Shape::dashed_line(&[pos2(x, plot.top()), pos2(x, plot.bottom() + 44.0)], Stroke::new(1.0, palette::MUTED), 4.0, 4.0));
        }
        if class.is_some() {
            last = class;
        }
    }
    // Legend, on the title's line from the right edge leftwards.
    let mut x = rect.right() - 4.0;
    for (label, color) in [(d.line_label.as_ref(), palette::PRIMARY), (d.bar_label.as_ref(), palette::PRIMARY_SOFT)] {
        if let Some(l) = label {
            let r = painter.text(pos2(x, rect.top() + 4.0), Align2::RIGHT_TOP, l.get(lang), font(14.0), palette::MUTED);
            painter.rect_filled(egui::Rect::from_min_size(pos2(r.left() - 20.0, rect.top() + 7.0), vec2(14.0, 10.0)), 2.0, color);
            x = r.left() - 32.0;
        }
    }
}

/// The student's table marked: right cells green, wrong ones red with the right value after
/// them, cells right from the student's own earlier cells marked ↳; the chart below.
pub fn marked(ui: &mut Ui, m: &TableMarked, lang: Lang, size: f32) {
    let text = |x: &Text| x.get(lang).to_string();
    egui::ScrollArea::horizontal().id_salt(ui.next_auto_id()).show(ui, |ui| {
        egui::Grid::new(ui.next_auto_id()).striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
            ui.label(RichText::new(t(lang, "名次", "#")).size(size).strong());
            for c in &m.columns {
                ui.label(RichText::new(text(c)).size(size).strong());
            }
            ui.end_row();
            for (p, row) in m.cells.iter().enumerate() {
                ui.label(RichText::new(m.places.get(p).map(text).unwrap_or_default()).size(size).color(palette::MUTED));
                for cell in row {
                    let shown = if cell.text.is_empty() { "—".to_string() } else { cell.text.clone() };
                    match cell.right {
                        None => {
                            ui.label(RichText::new(shown).size(size).color(palette::MUTED));
                        }
                        Some(true) => {
                            let r = ui.label(RichText::new(if cell.carried { format!("{shown}*") } else { shown }).size(size).color(palette::GOOD));
                            if cell.carried {
                                r.on_hover_text(t(lang, "按你前面填的数算是对的", "Right from your own earlier cells"));
                            }
                        }
                        Some(false) => {
                            ui.horizontal(|ui| {
                                ui.spacing_mut().item_spacing.x = 3.0;
                                ui.label(RichText::new(shown).size(size).color(palette::BAD).strikethrough());
                                ui.label(RichText::new(&cell.expected).size(size).strong().color(palette::GOOD));
                            });
                        }
                    }
                }
                ui.end_row();
            }
        });
    });
    if m.cells.iter().flatten().any(|c| c.carried) {
        para(ui, RichText::new(t(lang, "* 按你前面填的数算是对的：一处算错不重复扣分。", "* Right from your own earlier figures: one slip is not counted twice.")).size(size - 2.0).color(palette::MUTED));
    }
    if let Some(d) = &m.chart {
        ui.add_space(6.0);
        let w = ui.available_width().min(720.0);
        chart(ui, d, lang, w, 270.0);
        para(ui, RichText::new(t(lang, "图是按你自己填的数画的。", "The chart is drawn from your own figures.")).size(size - 2.0).color(palette::MUTED));
    }
}

/// Send the answer, asking first when cells are empty.
pub fn submit_or_ask(v: &TableView, cells: &[Vec<String>], lang: Lang, confirm: &mut Option<(Vec<String>, Action)>, out: &mut Vec<Intent>) {
    let empty = empty_cells(v, cells, lang);
    if empty.is_empty() {
        out.push(Intent::Answer(action(cells)));
    } else {
        *confirm = Some((empty, action(cells)));
    }
}
