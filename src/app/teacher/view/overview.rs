//! The teacher view's class overview (grade histogram, the weakest decisions) and the
//! grade-sheet export tab.

use super::*;

pub(super) fn overview_tab(ui: &mut Ui, ov: &TaskOverview, form: &mut TeacherForm, lang: Lang) {
    ui.vertical(|ui| {
        ui.horizontal_wrapped(|ui| {
            let s = |zh: String, en: String| if lang == Lang::Zh { zh } else { en };
            chip(ui, &s(format!("已作答 {} / {} 人", ov.played, ov.students), format!("played: {} of {}", ov.played, ov.students)), palette::PRIMARY_SOFT, palette::PRIMARY);
            chip(ui, &s(format!("有总分 {} 人", ov.graded), format!("with a total: {}", ov.graded)), palette::PRIMARY_SOFT, palette::PRIMARY);
            if let Some(m) = ov.mean {
                chip(ui, &s(format!("平均分 {m:.1}"), format!("mean {m:.1}")), palette::GOOD_SOFT, palette::GOOD);
            }
            if let Some(m) = ov.median {
                chip(ui, &s(format!("中位数 {m:.1}"), format!("median {m:.1}")), palette::GOOD_SOFT, palette::GOOD);
            }
            if ov.provisional > 0 {
                chip(ui, &s(format!("{} 人互助与合作未评，总分暂定", ov.provisional), format!("{} provisional (not rated yet)", ov.provisional)), palette::WARN_SOFT, palette::WARN);
            }
        });
        ui.columns(2, |cols| {
            let top = egui::Layout::top_down(egui::Align::Min);
            let (left, right) = cols.split_at_mut(1);
            left[0].with_layout(top, |ui| {
                card(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(t(lang, "成绩分布", "Distribution of totals")).size(22.0).strong().color(palette::PRIMARY));
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.selectable_value(&mut form.bins, true, RichText::new(t(lang, "按分数段", "10-point bins")).size(17.0));
                            ui.selectable_value(&mut form.bins, false, RichText::new(t(lang, "按等级", "By grade")).size(17.0));
                        });
                    });
                    let bars: Vec<(String, usize, Color32)> = if form.bins {
                        ov.bins
                            .iter()
                            .enumerate()
                            .map(|(i, n)| {
                                // The bin's colour is the grade level its lowest total falls in (from the rubric).
                                let level = ov.by_grade.iter().position(|g| i as u32 * 10 >= g.min);
                                (if i == 9 { "90+".to_string() } else { format!("{}", i * 10) }, *n, grade_color(level))
                            })
                            .collect()
                    } else {
                        ov.by_grade.iter().enumerate().map(|(level, g)| (g.name.get(lang).to_string(), g.count, grade_color(Some(level)))).collect()
                    };
                    histogram(ui, &bars, 210.0, lang);
                });
            });
            right[0].with_layout(top, |ui| {
                card(ui, |ui| {
                    ui.label(RichText::new(t(lang, "各组最弱的 5S 要素", "Each group's weakest 5S")).size(22.0).strong().color(palette::PRIMARY));
                    weakest_table(ui, ov, lang);
                });
            });
        });
        ui.add_space(6.0);
        ui.label(RichText::new(t(lang, "每个决定的选择情况（计分的那次作答）", "How each decision was answered (counted attempts)")).size(24.0).strong());
        if ov.decisions.is_empty() {
            ui.label(RichText::new(t(lang, "这个场景没有选择题。", "This scenario has no choices.")).color(palette::MUTED));
        }
        for (i, d) in ov.decisions.iter().enumerate() {
            decision_card(ui, i + 1, d, lang);
        }
    });
}

/// Bars with their count above and label below.
fn histogram(ui: &mut Ui, bars: &[(String, usize, Color32)], height: f32, lang: Lang) {
    let width = ui.available_width();
    let (resp, painter) = ui.allocate_painter(vec2(width, height), Sense::hover());
    let r = resp.rect;
    let label_h = 26.0;
    let top_pad = 26.0;
    let base = r.bottom() - label_h;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let n = bars.len().max(1) as f32;
    let slot = r.width() / n;
    let bar_w = (slot * 0.62).min(70.0);
    painter.line_segment([egui::pos2(r.left(), base), egui::pos2(r.right(), base)], Stroke::new(1.5, palette::LINE));
    for (i, (label, count, color)) in bars.iter().enumerate() {
        let cx = r.left() + slot * (i as f32 + 0.5);
        let h = (base - r.top() - top_pad) * (*count as f32 / max as f32);
        if *count > 0 {
            let rect = egui::Rect::from_min_max(egui::pos2(cx - bar_w / 2.0, base - h), egui::pos2(cx + bar_w / 2.0, base));
            painter.rect_filled(rect, 4.0, *color);
        }
        painter.text(egui::pos2(cx, base - h - 3.0), Align2::CENTER_BOTTOM, count.to_string(), FontId::proportional(19.0), palette::TEXT);
        let size = if slot < 60.0 { 15.0 } else { 17.0 };
        painter.text(egui::pos2(cx, base + 4.0), Align2::CENTER_TOP, label, FontId::proportional(size), palette::MUTED);
    }
    if bars.iter().all(|b| b.1 == 0) {
        painter.text(r.center() - vec2(0.0, label_h / 2.0), Align2::CENTER_CENTER, t(lang, "还没有总分", "no totals yet"), FontId::proportional(20.0), palette::MUTED);
    }
}

fn weakest_table(ui: &mut Ui, ov: &TaskOverview, lang: Lang) {
    egui::Grid::new("weakest").num_columns(Dim::ALL.len() + 2).striped(true).spacing([14.0, 6.0]).show(ui, |ui| {
        let head = |s: &str| RichText::new(s).size(16.0).strong().color(palette::MUTED);
        ui.label(head(t(lang, "小组", "Group")));
        ui.label(head(t(lang, "最弱", "Weakest")));
        for d in Dim::ALL {
            ui.label(head(d.name(lang)));
        }
        ui.end_row();
        for g in &ov.groups {
            ui.label(RichText::new(&g.group).size(18.0));
            // All five alike (a group at 100% everywhere): no dimension stands out as weak.
            let flat = g.weakest.is_some_and(|(_, low)| g.means.iter().all(|m| m - low < 0.5));
            match g.weakest {
                Some(_) if flat => ui.label(RichText::new(t(lang, "无明显短板", "none stands out")).size(17.0).color(palette::GOOD)),
                Some((d, p)) => ui.label(RichText::new(format!("{} {p:.0}%", d.name(lang))).size(18.0).strong().color(palette::WARN)),
                None => ui.label(RichText::new(t(lang, "无作答", "no attempt")).size(17.0).color(palette::MUTED)),
            };
            for (i, d) in Dim::ALL.iter().enumerate() {
                match g.means.get(i) {
                    Some(m) => {
                        let weak = !flat && g.weakest.is_some_and(|(w, _)| w == *d);
                        ui.label(RichText::new(format!("{m:.0}")).size(17.0).color(if weak { palette::WARN } else { palette::TEXT }));
                    }
                    None => {
                        ui.label(RichText::new("—").size(17.0).color(palette::MUTED));
                    }
                }
            }
            ui.end_row();
        }
    });
    ui.label(RichText::new(t(lang, "各要素为组员得分率（%）的平均。", "Mean of the members' percentages per dimension.")).size(15.0).color(palette::MUTED));
}

fn decision_card(ui: &mut Ui, n: usize, d: &DecisionStats, lang: Lang) {
    card(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{n}.")).size(21.0).strong().color(palette::PRIMARY));
            ui.label(RichText::new(without_placeholders(d.prompt.get(lang))).size(21.0).strong());
            let reached = match lang {
                Lang::Zh => format!("{} 人次作答经过这里", d.attempts),
                Lang::En => format!("reached in {}", en_count(d.attempts, "attempt", "attempts")),
            };
            ui.label(RichText::new(reached).size(16.0).color(palette::MUTED));
            if let Some(s) = d.expert_share() {
                let txt = match lang {
                    Lang::Zh => format!("选对 {:.0}%", s * 100.0),
                    Lang::En => format!("expert {:.0}%", s * 100.0),
                };
                chip(ui, &txt, if s >= 0.6 { palette::GOOD_SOFT } else { palette::WARN_SOFT }, if s >= 0.6 { palette::GOOD } else { palette::WARN });
            }
        });
        let total = d.answers().max(1);
        let text_w = (ui.available_width() * 0.58).max(200.0);
        let mut rows: Vec<(String, usize, bool)> = d.options.iter().map(|o| (without_placeholders(o.text.get(lang)), o.count, o.expert)).collect();
        if d.timeouts > 0 {
            rows.push((t(lang, "（超时，没有作答）", "(timed out, no answer)").to_string(), d.timeouts, false));
        }
        for (text, count, expert) in rows {
            ui.horizontal(|ui| {
                ui.allocate_ui_with_layout(vec2(30.0, 28.0), egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.set_min_size(vec2(30.0, 28.0));
                    if expert {
                        ui.label(RichText::new("✓").size(20.0).strong().color(palette::GOOD)).on_hover_text(t(lang, "专家选项", "expert option"));
                    }
                });
                ui.allocate_ui_with_layout(vec2(text_w, 28.0), egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.set_width(text_w);
                    let rt = RichText::new(text).size(18.0);
                    ui.add(egui::Label::new(if expert { rt.color(palette::GOOD).strong() } else { rt }).wrap());
                });
                let bar_w = (ui.available_width() - 110.0).max(60.0);
                let (resp, painter) = ui.allocate_painter(vec2(bar_w, 22.0), Sense::hover());
                let rr = resp.rect;
                painter.rect_filled(rr, 4.0, palette::BG);
                let share = count as f32 / total as f32;
                if count > 0 {
                    let fill = egui::Rect::from_min_size(rr.min, vec2(rr.width() * share, rr.height()));
                    painter.rect_filled(fill, 4.0, if expert { palette::GOOD } else { Color32::from_rgb(148, 163, 184) });
                }
                ui.label(RichText::new(format!("{count}{}{:.0}%{}", t(lang, "（", " ("), share * 100.0, t(lang, "）", ")"))).size(17.0));
            });
        }
    });
}

// ---- export ----

#[allow(clippy::too_many_arguments, reason = "the tab, its form and the file dialogs")]
pub(super) fn export_tab(ui: &mut Ui, teacher: &Teacher, o: &Opened, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>, dialogs: &Dialogs, asks: &mut Vec<Browse>) {
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "导出成绩表", "Export the grade sheet")).size(24.0).strong().color(palette::PRIMARY));
        ui.label(
            RichText::new(t(
                lang,
                "与 kefu export 相同：每个任务一张表（组别、学号、姓名、四项成员评价 /30、小组 /70、总分 /100、等级、5S、备注），另有一张汇总表。格式按文件扩展名：.xlsx 或 .csv。",
                "The same sheets as kefu export: one per task (group, id, name, the four member criteria /30, group /70, total /100, grade, 5S, notes) and a summary. The format follows the extension: .xlsx or .csv.",
            ))
            .size(18.0)
            .color(palette::MUTED),
        );
        ui.add_space(6.0);
        ui.label(RichText::new(t(lang, "保存到：", "Save as:")).size(20.0));
        let save_as = ui
            .horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut form.export_path).desired_width(ui.available_width() - 132.0).font(egui::TextStyle::Body));
                let text = if dialogs.open == Some(Field::ExportFile) { t(lang, "选择中…", "Choosing…") } else { t(lang, "另存为…", "Save as…") };
                ui.add_enabled(dialogs.open.is_none(), egui::Button::new(RichText::new(text).size(19.0)).min_size(vec2(116.0, 36.0)))
                    .on_hover_text(t(lang, "在文件选择窗口中选好位置和文件名，随即导出", "Choose the folder and name in a file dialog; the sheet is written at once"))
                    .clicked()
            })
            .inner;
        dialog::note(ui, dialogs, Field::ExportFile, lang);
        if save_as {
            let (label, ext) = if form.moodle { (t(lang, "Moodle 导入文件（CSV）", "Moodle import (CSV)"), "csv") } else { (t(lang, "成绩表（Excel 或 CSV）", "Grade sheet (Excel or CSV)"), "xlsx") };
            let mut exts = vec![ext.to_string()];
            if !form.moodle {
                exts.push("csv".into());
            }
            let start = clean_path(&form.export_path);
            let file_name = start.as_deref().and_then(|p| p.file_name()).map_or_else(|| format!("grades.{ext}"), |n| n.to_string_lossy().into_owned());
            asks.push(Browse { field: Field::ExportFile, kind: Kind::Save { file_name, filters: vec![(label.into(), exts)] }, title: t(lang, "导出成绩表", "Export the grade sheet").into(), start });
        }
        let before = form.moodle;
        ui.checkbox(&mut form.moodle, RichText::new(t(lang, "Moodle 成绩导入文件（CSV：学号 + 各任务总分）", "Moodle grade import (CSV: ID number + a total per task)")).size(20.0));
        if form.moodle != before
            && let Some(mut p) = clean_path(&form.export_path)
        {
            p.set_extension(if form.moodle { "csv" } else { "xlsx" });
            form.export_path = p.display().to_string();
        }
        let tasks: Vec<String> = o.grades.tasks.iter().map(|tg| format!("{} {}", course_label(lang, tg.course.project, tg.course.task), tg.title.get(lang))).collect();
        let what = match lang {
            Lang::Zh => format!("{}：{} 名学生，{} 个任务（{}）", o.class.name, o.class.student_count(), tasks.len(), tasks.join("、")),
            Lang::En => format!("{}: {}, {} ({})", o.class.name, en_count(o.class.student_count(), "student", "students"), en_count(tasks.len(), "task", "tasks"), tasks.join(", ")),
        };
        ui.add(egui::Label::new(RichText::new(what).size(18.0)).wrap());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if big_button(ui, t(lang, "导出", "Export"), 200.0).clicked() {
                let path = clean_path(&form.export_path).unwrap_or_default();
                out.push(TeacherIntent::Export { path, moodle: form.moodle });
            }
        });
    });
    if let Some(p) = &teacher.exported {
        tinted(ui, palette::GOOD_SOFT, palette::GOOD, |ui| {
            ui.label(RichText::new(t(lang, "上次导出的文件：", "Last sheet written:")).size(20.0).color(palette::GOOD));
            ui.add(egui::Label::new(RichText::new(p.display().to_string()).size(20.0).strong()).wrap());
        });
    }
}
