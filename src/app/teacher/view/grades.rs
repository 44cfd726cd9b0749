//! The teacher view's grades tab: a card per group with its members' rows, the rating fields
//! (Enter moves on to the next student), the override and band dialog.

use super::*;

/// Column widths of the grade table (at the body font size used in it).
struct Cols {
    id: f32,
    name: f32,
    crit: Vec<f32>,
    num: f32,
    grade: f32,
    /// Too little room beside the scores (large text, narrow window): notes go under each row.
    notes_below: bool,
    /// Space between cells (less when the room is short).
    gap: f32,
}

const ROW_H: f32 = 40.0;
/// Space between the cells of a row (the cells centre their content, so little is needed).
const CELL_GAP: f32 = 6.0;
const TABLE_TEXT: f32 = 19.0;

fn cell<R>(ui: &mut Ui, w: f32, align: egui::Align, add: impl FnOnce(&mut Ui) -> R) -> R {
    let layout = match align {
        egui::Align::Min => egui::Layout::left_to_right(egui::Align::Center),
        _ => egui::Layout::centered_and_justified(egui::Direction::LeftToRight),
    };
    ui.allocate_ui_with_layout(vec2(w, ROW_H), layout, |ui| {
        ui.set_min_size(vec2(w, ROW_H));
        ui.set_max_width(w);
        add(ui)
    })
    .inner
}

fn txt(s: impl Into<String>) -> RichText {
    RichText::new(s).size(TABLE_TEXT)
}

pub(super) fn grades_tab(ui: &mut Ui, o: &Opened, task: &TaskGrades, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let Some(sc) = o.scenario(&task.scenario_id) else { return };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t(lang, "计哪一次作答：", "Attempt that counts:")).size(20.0));
        for c in [Counting::Best, Counting::Latest, Counting::First] {
            if ui.radio(task.counting == c, RichText::new(c.name().get(lang)).size(20.0)).clicked() && task.counting != c {
                out.push(TeacherIntent::SetCounting { task: task.scenario_id.clone(), counting: c });
            }
        }
        ui.add_space(12.0);
        use crate::grades::entries::AttemptKind;
        for k in [AttemptKind::Any, AttemptKind::Group, AttemptKind::Solo] {
            if ui.radio(task.attempts == k, RichText::new(k.name().get(lang)).size(20.0)).clicked() && task.attempts != k {
                out.push(TeacherIntent::SetAttempts { task: task.scenario_id.clone(), kind: k });
            }
        }
        ui.add_space(16.0);
        if let Some(e) = &form.error {
            ui.label(RichText::new(format!("⚠ {e}")).size(18.0).color(palette::BAD));
        }
        ui.label(
            RichText::new(t(lang, "点分数可改分（须写理由）；互助与合作填 0-10，回车到下一人。", "Click a score to override it (with a reason); type cooperation 0-10, Enter goes on."))
                .size(17.0)
                .color(palette::MUTED),
        );
    });
    // Each criterion column as wide as its heading (at least a score button, at most two lines'
    // worth: "Presentation & effect" wraps), so headings never run into the next column.
    let width = |text: &str, size: f32| ui.painter().layout_no_wrap(text.to_string(), FontId::proportional(size), palette::TEXT).size().x;
    let crit: Vec<f32> = task.criteria.iter().map(|c| (width(c.name.get(lang), 16.0) + 14.0).clamp(64.0, 112.0)).collect();
    let grade = sc.rubric.grades.iter().map(|g| width(g.name.get(lang), TABLE_TEXT)).fold(width(t(lang, "等级", "Grade"), 16.0), f32::max) + 14.0;
    let mut cols = Cols { id: 84.0, name: 86.0, crit, num: 58.0, grade: grade.max(60.0), notes_below: false, gap: CELL_GAP };
    let cells = 2 + cols.crit.len() + 5;
    let fixed = cols.id + cols.name + cols.crit.iter().sum::<f32>() + 4.0 * cols.num + cols.grade + CELL_GAP * cells as f32;
    // Card margins and the scroll bar.
    cols.notes_below = ui.available_width() - fixed - 48.0 < 200.0;
    if cols.notes_below {
        cols.gap = 4.0;
    }
    // Wider than the window only with very large text: then the table scrolls sideways.
    egui::ScrollArea::horizontal().id_salt(("teacher-grades", &task.scenario_id)).auto_shrink([false, true]).show(ui, |ui| {
        for g in &task.groups {
            group_card(ui, o, sc, task, g, &cols, form, lang, out);
        }
        ui.add_space(8.0);
    });
}

#[allow(clippy::too_many_arguments, reason = "a group card needs the task, the scenario and the form")]
fn group_card(ui: &mut Ui, o: &Opened, sc: &Scenario, task: &TaskGrades, g: &crate::grades::GroupGrades, cols: &Cols, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    egui::Frame::new()
        .fill(palette::PANEL)
        .stroke(Stroke::new(1.0, palette::LINE))
        .corner_radius(12)
        .inner_margin(egui::Margin::symmetric(14, 10))
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(&g.name).size(24.0).strong().color(palette::PRIMARY));
                if let Some(l) = &g.leader {
                    ui.label(RichText::new(format!("{}{}", t(lang, "组长：", "Leader: "), l.name)).size(20.0));
                }
                ui.add_space(12.0);
                let band_text = match &g.band {
                    Some(b) => match lang {
                        Lang::Zh => format!("小组评价：第{}档 {} / {}", b.band, b.points, task.group_max),
                        Lang::En => format!("Group: band {}, {} / {}", b.band, b.points, task.group_max),
                    },
                    None => t(lang, "小组评价：还没有成员作答", "Group: no member has played yet").to_string(),
                };
                let overridden = g.band.as_ref().is_some_and(|b| b.overridden.is_some());
                ui.label(RichText::new(band_text).size(20.0).strong().color(if overridden { palette::WARN } else { palette::TEXT }));
                if overridden {
                    chip(ui, t(lang, "老师调整", "set by teacher"), palette::WARN_SOFT, palette::WARN);
                }
                if ui.button(RichText::new(t(lang, "调整档次", "Set band")).size(18.0)).clicked() {
                    let cur = o.band_override(&task.scenario_id, &g.name);
                    let (band, points) = g.band.as_ref().map_or_else(
                        || sc.rubric.bands.first().map_or((1, 60), |b| (b.band, b.min)),
                        |b| (b.band, b.points),
                    );
                    form.editor = Some(Editor::Band {
                        task: task.scenario_id.clone(),
                        group: g.name.clone(),
                        band,
                        points,
                        reason: cur.map(|c| c.reason.clone()).unwrap_or_default(),
                    });
                }
            });
            for n in &g.notes {
                ui.add(egui::Label::new(RichText::new(n.get(lang)).size(17.0).color(palette::WARN)).wrap());
            }
            table_head(ui, task, cols, lang);
            for (i, m) in g.members.iter().enumerate() {
                let fill = if i % 2 == 0 { palette::BG } else { palette::PANEL };
                let points = g.band.as_ref().map(|b| b.points);
                egui::Frame::new().fill(fill).corner_radius(6).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.spacing_mut().item_spacing.x = cols.gap;
                        member_row(ui, o, sc, task, m, points, cols, form, lang, out);
                    });
                    let extra = not_counted_note(o, &task.scenario_id, m, lang);
                    if cols.notes_below && (!m.notes.is_empty() || extra.is_some()) {
                        let notes: Vec<&str> = m.notes.iter().map(|n| n.get(lang)).collect();
                        ui.horizontal(|ui| {
                            ui.add_space(cols.id);
                            ui.vertical(|ui| {
                                ui.add(egui::Label::new(RichText::new(notes.join(t(lang, "；", "; "))).size(16.0).color(palette::MUTED)).wrap());
                                if let Some(n) = extra {
                                    ui.add(egui::Label::new(RichText::new(n).size(16.0).color(palette::WARN)).wrap());
                                }
                            });
                        });
                    }
                });
            }
        });
    ui.add_space(6.0);
}

fn table_head(ui: &mut Ui, task: &TaskGrades, cols: &Cols, lang: Lang) {
    let head = |s: String| RichText::new(s).size(16.0).strong().color(palette::MUTED);
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = cols.gap;
        cell(ui, cols.id, egui::Align::Min, |ui| ui.label(head(t(lang, "学号", "ID").into())));
        cell(ui, cols.name, egui::Align::Min, |ui| ui.label(head(t(lang, "姓名", "Name").into())));
        for (c, w) in task.criteria.iter().zip(&cols.crit) {
            cell(ui, *w, egui::Align::Center, |ui| ui.add(egui::Label::new(head(format!("{}\n/{}", c.name.get(lang), c.max))).wrap()));
        }
        cell(ui, cols.num, egui::Align::Center, |ui| ui.label(head(format!("{}\n/{}", t(lang, "小计", "Sub"), task.member_max))));
        cell(ui, cols.num, egui::Align::Center, |ui| ui.label(head(format!("{}\n/{}", t(lang, "小组", "Group"), task.group_max))));
        cell(ui, cols.num, egui::Align::Center, |ui| ui.label(head(t(lang, "扣分", "Hints").into())));
        cell(ui, cols.num, egui::Align::Center, |ui| ui.label(head(format!("{}\n/{}", t(lang, "总分", "Total"), task.total_max))));
        cell(ui, cols.grade, egui::Align::Center, |ui| ui.label(head(t(lang, "等级", "Grade").into())));
        if !cols.notes_below {
            ui.label(head(t(lang, "备注", "Notes").into()));
        }
    });
}

#[allow(clippy::too_many_arguments, reason = "a row needs the task, the scenario and the form")]
fn member_row(ui: &mut Ui, o: &Opened, sc: &Scenario, task: &TaskGrades, m: &MemberGrades, group_points: Option<u32>, cols: &Cols, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let tid = &task.scenario_id;
    let sid = &m.student.id;
    let has_attempt = m.counted.is_some();
    let open_editor = |form: &mut TeacherForm, key: &str, points: u32| {
        let cur = o.overridden(tid, sid, key);
        form.editor = Some(Editor::Criterion {
            task: tid.clone(),
            student: sid.clone(),
            name: m.student.name.clone(),
            key: key.to_string(),
            points: cur.map_or(points, |c| c.points),
            reason: cur.map(|c| c.reason.clone()).unwrap_or_default(),
        });
    };
    cell(ui, cols.id, egui::Align::Min, |ui| ui.label(txt(sid).color(palette::MUTED)));
    cell(ui, cols.name, egui::Align::Min, |ui| {
        let mut name = txt(&m.student.name).strong();
        if m.leader {
            name = name.color(palette::PRIMARY);
        }
        let r = ui.add(egui::Label::new(name).sense(Sense::click())).on_hover_text(t(lang, "点击可修改任一评分项", "Click to override any criterion"));
        if r.clicked() && has_attempt {
            let (key, p) = task.criteria.iter().zip(&m.criteria).find(|(c, _)| sc.rubric.criterion(&c.key).is_some_and(|x| x.mode == Mode::Auto)).map_or_else(
                || (task.criteria.first().map(|c| c.key.clone()).unwrap_or_default(), 0),
                |(c, p)| (c.key.clone(), p.unwrap_or(0)),
            );
            open_editor(form, &key, p);
        }
    });
    for ((c, w), p) in task.criteria.iter().zip(&cols.crit).zip(&m.criteria) {
        let rated = sc.rubric.criterion(&c.key).is_some_and(|x| x.mode == Mode::Rated);
        let over = o.overridden(tid, sid, &c.key);
        cell(ui, *w, egui::Align::Center, |ui| {
            if rated && over.is_none() {
                rating_field(ui, o, tid, sid, &c.key, c.max, has_attempt, form, lang, out);
            } else if !has_attempt {
                ui.label(txt("—").color(palette::MUTED));
            } else {
                let shown = p.map_or_else(|| "—".to_string(), |p| p.to_string());
                let (text, fill) = match over {
                    Some(_) => (txt(format!("{shown} {}", t(lang, "改", "set"))).color(palette::WARN).strong(), palette::WARN_SOFT),
                    None => (txt(shown), Color32::TRANSPARENT),
                };
                let b = egui::Button::new(text).fill(fill).stroke(Stroke::new(1.0, palette::LINE)).min_size(vec2(54.0, 34.0));
                let hover = match over {
                    Some(ov) => format!("{}{}{}{}", t(lang, "老师改为 ", "Set by the teacher to "), ov.points, t(lang, "：", ": "), ov.reason),
                    None => t(lang, "系统按作答评分；点击可改分", "Scored from play; click to override").to_string(),
                };
                if ui.add(b).on_hover_text(hover).clicked() {
                    open_editor(form, &c.key, p.unwrap_or(0));
                }
            }
        });
    }
    let num = |ui: &mut Ui, v: Option<String>, strong: bool| {
        cell(ui, cols.num, egui::Align::Center, |ui| {
            let s = v.unwrap_or_else(|| "—".into());
            ui.label(if strong { txt(s).strong().size(22.0) } else { txt(s) })
        });
    };
    num(ui, m.subtotal.map(|s| s.to_string()), false);
    num(ui, group_points.filter(|_| has_attempt).map(|p| p.to_string()), false);
    num(ui, (m.deduction > 0).then(|| format!("−{}", m.deduction)), false);
    num(ui, m.total.map(|s| if m.provisional { format!("{s}*") } else { s.to_string() }), true);
    cell(ui, cols.grade, egui::Align::Center, |ui| {
        let g = m.grade.as_ref().map_or("—".to_string(), |g| g.get(lang).to_string());
        let color = grade_color(m.grade_level);
        ui.label(txt(g).color(color).strong())
    });
    if cols.notes_below {
        return;
    }
    let notes: Vec<String> = m.notes.iter().map(|n| n.get(lang).to_string()).collect();
    let w = ui.available_width().max(120.0);
    ui.vertical(|ui| {
        ui.set_width(w);
        ui.add_space(4.0);
        ui.add(egui::Label::new(RichText::new(notes.join(t(lang, "；", "; "))).size(16.0).color(palette::MUTED)).wrap());
        if let Some(n) = not_counted_note(o, tid, m, lang) {
            ui.add(egui::Label::new(RichText::new(n).size(16.0).color(palette::WARN)).wrap());
        }
        ui.add_space(4.0);
    });
}

/// "互助与合作 8 分已保存，但无作答记录，暂不计入成绩表" for a rating a student without an attempt has.
fn not_counted_note(o: &Opened, task: &str, m: &MemberGrades, lang: Lang) -> Option<String> {
    let kept = o.rated_without_attempt(task, &m.student.id);
    (!kept.is_empty()).then(|| {
        let list: Vec<String> = kept.iter().map(|(name, p)| format!("{} {p}", name.get(lang))).collect();
        match lang {
            Lang::Zh => format!("{} 分已保存，但无作答记录，暂不计入成绩表", list.join("、")),
            Lang::En => format!("{} kept, but with no attempt not counted in the grade sheet yet", list.join(", ")),
        }
    })
}

/// The 互助与合作 field: typed digits are sent when the field loses focus (Enter, Tab, a click).
///
/// For a student with no attempt the field stays open (a teacher rates cooperation from what
/// happened in class, often while the group is still handing in; the rating counts the moment
/// the attempt is filed) but is greyed instead of asking for a rating, and says on hover — and,
/// once a rating is kept, in the row's notes — that it does not count yet: the grade sheet has
/// no total for that student ("无作答记录").
#[allow(clippy::too_many_arguments, reason = "the field's task, student, criterion and form")]
fn rating_field(ui: &mut Ui, o: &Opened, task: &str, student: &str, key: &str, max: u32, has_attempt: bool, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let k = (task.to_string(), student.to_string(), key.to_string());
    let stored = o.rated(task, student, key);
    let id = egui::Id::new(("rating", task, student, key));
    // A draft lives while the field is edited. `lost_focus` stays true for two frames (and egui
    // may run a frame in two passes), so only the frame that still has the draft commits it.
    let focused = ui.memory(|m| m.has_focus(id));
    let editing = form.drafts.contains_key(&k);
    let text = form.drafts.entry(k.clone()).or_insert_with(|| stored.map(|p| p.to_string()).unwrap_or_default());
    let bad = form.bad_draft.as_ref() == Some(&k);
    let edit = egui::TextEdit::singleline(text)
        .id(id)
        .desired_width(58.0)
        .min_size(vec2(58.0, 34.0))
        .horizontal_align(egui::Align::Center)
        .vertical_align(egui::Align::Center)
        .font(FontId::proportional(21.0))
        .hint_text("—")
        .text_color(if has_attempt { palette::TEXT } else { palette::MUTED })
        .background_color(if bad {
            palette::BAD_SOFT
        } else if !has_attempt {
            palette::BG
        } else if stored.is_none() {
            palette::WARN_SOFT
        } else {
            palette::PANEL
        });
    let hover = match (has_attempt, lang) {
        (true, Lang::Zh) => format!("0-{max} 分；清空表示未评；回车到下一人"),
        (true, Lang::En) => format!("0-{max}; empty = not rated; Enter goes to the next student"),
        (false, Lang::Zh) => format!("无作答记录：评分会保存，但交来作答之前不计入成绩表（0-{max} 分）"),
        (false, Lang::En) => format!("No attempt: a rating is kept but not counted in the grade sheet until the attempt is handed in (0-{max})"),
    };
    let r = ui.add(edit).on_hover_text(hover);
    if form.focus_after.is_some() && form.focus_after == form.last_rating {
        r.request_focus();
        r.scroll_to_me(None);
        form.focus_after = None;
    }
    form.last_rating = Some(k.clone());
    if r.lost_focus() && editing {
        let s = form.drafts.remove(&k).unwrap_or_default().trim().to_string();
        if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            form.focus_after = Some(k.clone());
            ui.ctx().request_repaint();
        }
        let parsed: Option<Option<u32>> = if s.is_empty() { Some(None) } else { s.parse::<u32>().ok().filter(|p| *p <= max).map(Some) };
        match parsed {
            Some(points) => {
                if form.bad_draft.as_ref() == Some(&k) {
                    form.bad_draft = None;
                    form.error = None;
                }
                if points != stored {
                    out.push(TeacherIntent::Rate { task: k.0, student: k.1, key: k.2, points });
                }
            }
            None => {
                form.bad_draft = Some(k.clone());
                form.error = Some(match lang {
                    Lang::Zh => format!("“{s}”不是 0-{max} 的整数，没有保存"),
                    Lang::En => format!("\"{s}\" is not a whole number from 0 to {max}; not saved"),
                });
            }
        }
    } else if !focused && !r.has_focus() {
        form.drafts.remove(&k);
    }
}

// ---- override dialogs ----

pub(super) fn editor_modal(ctx: &egui::Context, o: &Opened, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let Some(mut ed) = form.editor.clone() else { return };
    let mut close = false;
    let frame = egui::Frame::new().fill(palette::PANEL).stroke(Stroke::new(1.0, palette::LINE)).inner_margin(egui::Margin::same(24)).corner_radius(12);
    let resp = egui::Modal::new(egui::Id::new("teacher-editor")).frame(frame).show(ctx, |ui| {
        ui.set_width(620.0);
        match &mut ed {
            Editor::Criterion { task, student, name, key, points, reason } => {
                let Some(sc) = o.scenario(task) else {
                    close = true;
                    return;
                };
                ui.label(RichText::new(format!("{}{name}{}{student}{}", t(lang, "修改评分：", "Override: "), t(lang, "（", " ("), t(lang, "）", ")"))).size(26.0).strong());
                egui::ComboBox::from_id_salt("crit-pick")
                    .width(300.0)
                    .selected_text(sc.rubric.criterion(key).map_or(key.clone(), |c| format!("{}{}{}{}", c.name.get(lang), t(lang, "（", " ("), c.max, t(lang, "）", ")"))))
                    .show_ui(ui, |ui| {
                        for c in &sc.rubric.criteria {
                            if ui.selectable_label(*key == c.key, format!("{}{}{}{}", c.name.get(lang), t(lang, "（", " ("), c.max, t(lang, "）", ")"))).clicked() && *key != c.key {
                                *key = c.key.clone();
                                let cur = o.overridden(task, student, key);
                                let now = o.task(task).and_then(|tg| tg.member(student)).and_then(|m| {
                                    tg_index(o, task, key).and_then(|i| m.criteria.get(i).copied().flatten())
                                });
                                *points = cur.map_or(now.unwrap_or(0), |c| c.points);
                                *reason = cur.map(|c| c.reason.clone()).unwrap_or_default();
                            }
                        }
                    });
                let max = sc.rubric.criterion(key).map_or(0, |c| c.max);
                let current = o.overridden(task, student, key);
                let now = o.task(task).and_then(|tg| tg.member(student)).and_then(|m| tg_index(o, task, key).and_then(|i| m.criteria.get(i).copied().flatten()));
                let was = match (current, now) {
                    (Some(c), _) => format!("{}{}{}{}", t(lang, "现在由老师定为 ", "Now set by the teacher to "), c.points, t(lang, "：", ": "), c.reason),
                    (None, Some(p)) => format!("{}{p} / {max}", t(lang, "现在：", "Now: ")),
                    (None, None) => t(lang, "现在：未评分", "Now: not scored").to_string(),
                };
                ui.label(RichText::new(was).color(palette::MUTED));
                ui.horizontal(|ui| {
                    ui.label(t(lang, "改为", "Set to"));
                    ui.add(egui::Slider::new(points, 0..=max).step_by(1.0).integer());
                    ui.label(format!("/ {max}"));
                });
                ui.label(t(lang, "理由（必填，会写进成绩表备注）", "Reason (required; shown in the sheet's notes)"));
                ui.add(egui::TextEdit::multiline(reason).desired_rows(2).desired_width(f32::INFINITY).hint_text(t(lang, "例：课堂展示时主动帮助组员", "e.g. helped the group during the presentation")));
                ui.horizontal(|ui| {
                    let ok = !reason.trim().is_empty();
                    if ui.add_enabled(ok, egui::Button::new(RichText::new(t(lang, "保存", "Save")).size(22.0).color(Color32::WHITE)).fill(palette::PRIMARY).min_size(vec2(120.0, 44.0))).clicked() {
                        out.push(TeacherIntent::Override {
                            task: task.clone(),
                            student: student.clone(),
                            key: key.clone(),
                            over: Some(Override { points: *points, reason: reason.trim().to_string() }),
                        });
                        close = true;
                    }
                    if current.is_some() && ui.button(t(lang, "恢复系统评分", "Restore")).clicked() {
                        out.push(TeacherIntent::Override { task: task.clone(), student: student.clone(), key: key.clone(), over: None });
                        close = true;
                    }
                    if ui.button(t(lang, "取消", "Cancel")).clicked() {
                        close = true;
                    }
                });
            }
            Editor::Band { task, group, band, points, reason } => {
                let Some(sc) = o.scenario(task) else {
                    close = true;
                    return;
                };
                ui.label(RichText::new(format!("{}{group}", t(lang, "调整小组评价：", "Group band: "))).size(26.0).strong());
                let g = o.task(task).and_then(|tg| tg.groups.iter().find(|x| x.name == *group));
                let computed = g.and_then(|g| g.band.as_ref()).and_then(|b| b.computed);
                ui.label(
                    RichText::new(match (computed, lang) {
                        (Some((b, p)), Lang::Zh) => format!("按成员作答计算：第{b}档 {p} 分"),
                        (Some((b, p)), Lang::En) => format!("From the members' attempts: band {b}, {p} points"),
                        (None, _) => t(lang, "还没有成员作答，无法计算", "No member has played; nothing computed").to_string(),
                    })
                    .color(palette::MUTED),
                );
                for b in &sc.rubric.bands {
                    let label = match lang {
                        Lang::Zh => format!("第{}档（{}-{} 分）", b.band, b.min, b.max),
                        Lang::En => format!("Band {} ({}-{})", b.band, b.min, b.max),
                    };
                    if ui.radio(*band == b.band, RichText::new(label).size(21.0)).clicked() {
                        *band = b.band;
                        *points = (*points).clamp(b.min, b.max);
                    }
                    ui.add(egui::Label::new(RichText::new(b.descriptor.get(lang)).size(16.0).color(palette::MUTED)).wrap());
                }
                if let Some(b) = sc.rubric.bands.iter().find(|x| x.band == *band) {
                    *points = (*points).clamp(b.min, b.max);
                    ui.horizontal(|ui| {
                        ui.label(t(lang, "分数", "Points"));
                        ui.add(egui::Slider::new(points, b.min..=b.max).step_by(1.0).integer());
                    });
                }
                ui.label(t(lang, "理由（必填）", "Reason (required)"));
                ui.add(egui::TextEdit::multiline(reason).desired_rows(2).desired_width(f32::INFINITY).hint_text(t(lang, "例：展示超时，在老师帮助下完成", "e.g. over time, finished with the teacher's help")));
                let current = o.band_override(task, group);
                ui.horizontal(|ui| {
                    let ok = !reason.trim().is_empty();
                    if ui.add_enabled(ok, egui::Button::new(RichText::new(t(lang, "保存", "Save")).size(22.0).color(Color32::WHITE)).fill(palette::PRIMARY).min_size(vec2(120.0, 44.0))).clicked() {
                        out.push(TeacherIntent::Band {
                            task: task.clone(),
                            group: group.clone(),
                            over: Some(BandOverride { band: Some(*band), points: Some(*points), reason: reason.trim().to_string() }),
                        });
                        close = true;
                    }
                    if current.is_some() && ui.button(t(lang, "恢复计算结果", "Restore computed")).clicked() {
                        out.push(TeacherIntent::Band { task: task.clone(), group: group.clone(), over: None });
                        close = true;
                    }
                    if ui.button(t(lang, "取消", "Cancel")).clicked() {
                        close = true;
                    }
                });
            }
        }
    });
    if resp.should_close() {
        close = true;
    }
    form.editor = if close { None } else { Some(ed) };
}

fn tg_index(o: &Opened, task: &str, key: &str) -> Option<usize> {
    o.task(task).and_then(|tg| tg.criteria.iter().position(|c| c.key == key))
}

// ---- overview ----

