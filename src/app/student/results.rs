//! Results: the core's Report as it is: the critical errors first (what each broke and what it
//! caps), the total out of what can be scored now (互助与合作 is rated by the teacher), projected
//! score and grade coloured by the core's grade level, what the hints cost in all, a 5S radar,
//! the rubric table, the core's advice and every decision with its feedback, critical errors and
//! the advice's citations marked. Nothing is computed here.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText, Ui};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::page;
use crate::app::intent::{Intent, Notice};
use crate::app::attempt::Outcome;
use crate::app::student::effects_line;
use crate::app::settings::{AppPaths, RecordsFrom, Settings};
use crate::app::theme::palette::grade_color;
use crate::app::theme::widgets::{big_button, card, chip, para, plain_button, radar, t, tinted};
use crate::app::theme::{ThemeSet, palette};
use crate::scenario::{Lang, Scenario};
use crate::scoring::{Decision, Report, Source};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Results)));
}

/// Below this width the results stack in one column (a 1024 px screen at a large text size).
const TWO_COLUMNS: f32 = 760.0;

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(mut contexts: EguiContexts, settings: Res<Settings>, paths: Res<AppPaths>, outcome: Res<Outcome>, mut notice: ResMut<Notice>, mut send: Send) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let records = paths.records_dir(&settings);
    let out = page(&ctx, &settings, &mut notice, |ui, out| {
        let Some(fin) = &outcome.0 else {
            if ui.button(t(lang, "返回题库", "Back to the library")).clicked() {
                out.push(Intent::ToLibrary);
            }
            return;
        };
        let r = &fin.report;
        let sc = &fin.loaded.scenario;
        let title = RichText::new(format!("{} · {}", t(lang, "练习结果", "Results"), sc.title.get(lang))).size(30.0).strong();
        // The expert comparison first in reading order, the way back after it.
        let buttons = |ui: &mut Ui, out: &mut Vec<Intent>, right_to_left: bool| {
            let mut review = |ui: &mut Ui| {
                if big_button(ui, t(lang, "对照专家路径", "Compare with the expert"), 260.0).clicked() {
                    out.push(Intent::ShowReview);
                }
            };
            let back = |ui: &mut Ui| plain_button(ui, t(lang, "返回题库", "Back to the library")).clicked();
            let went_back = if right_to_left {
                let b = back(ui);
                review(ui);
                b
            } else {
                review(ui);
                back(ui)
            };
            if went_back {
                out.push(Intent::ToLibrary);
            }
        };
        let title_w = ui.fonts_mut(|f| f.layout_no_wrap(title.text().to_string(), egui::FontId::proportional(30.0), palette::TEXT).size().x);
        if title_w + 560.0 <= ui.available_width() {
            ui.horizontal(|ui| {
                ui.label(title);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| buttons(ui, out, true));
            });
        } else {
            para(ui, title);
            ui.horizontal_wrapped(|ui| buttons(ui, out, false));
        }
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            members_card(ui, &fin.members, lang);
            critical_card(ui, r, lang);
            let radar_card = |ui: &mut Ui| {
                card(ui, |ui| {
                    ui.label(RichText::new(t(lang, "5S 服务要素", "The 5S of service")).size(24.0).strong().color(palette::PRIMARY));
                    let values: Vec<(String, f64)> = r.dimensions.iter().map(|d| (d.name.get(lang).to_string(), d.percent)).collect();
                    // The chart is 1.7 × its size wide: keep it inside the column on small screens.
                    let size = (ui.available_width() / 1.75).min(320.0);
                    ui.vertical_centered(|ui| radar(ui, &values, size));
                });
            };
            if ui.available_width() >= TWO_COLUMNS {
                ui.columns(2, |cols| {
                    // Columns lay out justified; plain left-aligned text reads better.
                    let top = egui::Layout::top_down(egui::Align::Min);
                    let (left, right) = cols.split_at_mut(1);
                    left[0].with_layout(top, |ui| {
                        totals(ui, r, lang);
                        rubric_table(ui, r, lang);
                    });
                    right[0].with_layout(top, |ui| {
                        radar_card(ui);
                        advice_card(ui, r, lang);
                    });
                });
            } else {
                totals(ui, r, lang);
                advice_card(ui, r, lang);
                radar_card(ui);
                rubric_table(ui, r, lang);
            }
            match &fin.saved {
                Ok(p) => {
                    ui.label(RichText::new(saved_place(lang, p, &records)).color(palette::MUTED).size(17.0)).on_hover_text(p.display().to_string());
                }
                Err(e) => {
                    para(ui, RichText::new(format!("{} {e}", t(lang, "⚠ 记录没有保存：", "⚠ The record was not saved:"))).color(palette::BAD));
                }
            }
            ui.add_space(10.0);
            ui.label(RichText::new(t(lang, "每一步的决定与反馈", "Every decision and its feedback")).size(26.0).strong());
            for (i, d) in r.decisions.iter().enumerate() {
                decision_card(ui, i + 1, d, cited(r, d), sc, lang);
            }
            // Room for a notice floating over the bottom.
            ui.add_space(56.0);
        });
    });
    send.send_all(out);
    Ok(())
}

/// Where the record went, in words a student reads (the path is in the tooltip): the folder the
/// teacher set, the lab's (`KEFU_RECORDS`), or this computer's own.
pub fn saved_place(lang: Lang, file: &Path, (dir, from): &(PathBuf, RecordsFrom)) -> String {
    let name = |p: &Path| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
    let inside = file.parent() == Some(dir.as_path());
    match (lang, from, inside) {
        (Lang::Zh, RecordsFrom::Default, true) => "记录已保存在这台电脑上".into(),
        (Lang::En, RecordsFrom::Default, true) => "Record saved on this computer".into(),
        (Lang::Zh, RecordsFrom::Settings, true) => format!("记录已保存到老师设置的记录文件夹（{}）", name(dir)),
        (Lang::En, RecordsFrom::Settings, true) => format!("Record saved in the records folder the teacher set ({})", name(dir)),
        (Lang::Zh, RecordsFrom::Env, true) => format!("记录已保存到机房的记录文件夹（{}）", name(dir)),
        (Lang::En, RecordsFrom::Env, true) => format!("Record saved in the lab's records folder ({})", name(dir)),
        (Lang::Zh, _, false) => format!("记录已保存（{}）", file.parent().map(name).unwrap_or_default()),
        (Lang::En, _, false) => format!("Record saved ({})", file.parent().map(name).unwrap_or_default()),
    }
}

fn totals(ui: &mut Ui, r: &Report, lang: Lang) {
    let scorable = r.total_max.saturating_sub(r.pending_max);
    card(ui, |ui| {
        if let Some(o) = &r.outcome {
            let color = if r.success { palette::GOOD } else { palette::BAD };
            ui.label(RichText::new(o.get(lang)).size(22.0).color(color));
        }
        ui.horizontal(|ui| {
            let color = grade_color(Some(r.grade_level));
            ui.label(RichText::new(format!("{}", r.total)).size(64.0).strong().color(color));
            ui.label(RichText::new(format!("/ {scorable}")).size(34.0).color(palette::MUTED));
            ui.add_space(16.0);
            ui.vertical(|ui| {
                ui.label(RichText::new(r.grade.get(lang)).size(34.0).strong().color(color));
                if r.provisional {
                    ui.label(RichText::new(t(lang, "（暂定）", "(provisional)")).color(palette::MUTED));
                }
            });
        });
        if r.pending_max > 0 {
            let pending: Vec<String> = r
                .criteria
                .iter()
                .filter(|c| c.points.is_none())
                .map(|c| match lang {
                    Lang::Zh => format!("{}（{}）", c.name.get(lang), c.max),
                    Lang::En => format!("{} ({})", c.name.get(lang), c.max),
                })
                .collect();
            let text = match lang {
                Lang::Zh => format!("另有 {} 分待老师评定：{}。按百分制折算：{} 分", r.pending_max, pending.join("、"), r.projected),
                Lang::En => format!("{} more points are rated by the teacher: {}. Projected to 100: {}", r.pending_max, pending.join(", "), r.projected),
            };
            para(ui, RichText::new(text).size(20.0));
        } else {
            ui.label(RichText::new(format!("{} {}", t(lang, "百分制：", "Out of 100:"), r.projected)).size(20.0));
        }
        ui.horizontal_wrapped(|ui| {
            let secs = r.elapsed_ms / 1000;
            chip(ui, &format!("{} {}:{:02}", t(lang, "用时", "Time"), secs / 60, secs % 60), palette::PRIMARY_SOFT, palette::PRIMARY);
            if !r.within_time {
                chip(ui, t(lang, "超出规定时间", "over the time limit"), palette::BAD_SOFT, palette::BAD);
            }
            if r.hints_used > 0 {
                // What the hints cost in all (their own cost and any band they ruled out).
                let s = match lang {
                    Lang::Zh => format!("使用提示 {} 次：共少得 {} 分", r.hints_used, r.hint_effect),
                    Lang::En => format!(
                        "{} {} used: {} {} fewer in all",
                        r.hints_used,
                        if r.hints_used == 1 { "hint" } else { "hints" },
                        r.hint_effect,
                        if r.hint_effect == 1 { "point" } else { "points" }
                    ),
                };
                chip(ui, &s, palette::WARN_SOFT, palette::WARN);
            }
        });
    });
}

fn rubric_table(ui: &mut Ui, r: &Report, lang: Lang) {
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "评分表", "Rubric")).size(24.0).strong().color(palette::PRIMARY));
        egui::Grid::new("rubric").num_columns(3).striped(true).spacing([24.0, 8.0]).show(ui, |ui| {
            ui.label(RichText::new(t(lang, "小组成员评价", "Member criteria")).strong());
            ui.label(RichText::new(t(lang, "得分", "Points")).strong());
            ui.label(RichText::new(t(lang, "来源", "Source")).strong());
            ui.end_row();
            for c in &r.criteria {
                ui.label(c.name.get(lang));
                ui.label(match c.points {
                    Some(p) => format!("{p} / {}", c.max),
                    None => format!("— / {}", c.max),
                });
                let (src, color) = match c.source {
                    Source::Auto => (t(lang, "系统评分", "scored from play"), palette::MUTED),
                    Source::Rated => (t(lang, "老师已评", "rated"), palette::GOOD),
                    Source::Pending => (t(lang, "待老师评定", "rated by the teacher"), palette::WARN),
                };
                ui.label(RichText::new(src).color(color));
                ui.end_row();
            }
            ui.label(RichText::new(match lang {
                Lang::Zh => format!("小组评价：第 {} 档", r.band.band),
                Lang::En => format!("Group band {}", r.band.band),
            }).strong());
            ui.label(format!("{} ({}–{})", r.band.points, r.band.min, r.band.max));
            ui.label(RichText::new(t(lang, "系统评分", "scored from play")).color(palette::MUTED));
            ui.end_row();
            if r.hint_cost > 0 {
                ui.label(t(lang, "提示本身扣分", "Hints (own cost)"));
                ui.label(format!("−{}", r.hint_cost));
                ui.label("");
                ui.end_row();
            }
            // The parts above add up to the total before the cap; say where the rest went.
            if let (true, Some(limit)) = (r.uncapped_total.is_some() || r.uncapped_projected.is_some(), r.cap_limit) {
                ui.label(RichText::new(t(lang, "严重错误封顶", "Critical error cap")).color(palette::BAD));
                ui.label(RichText::new(match lang {
                    Lang::Zh => format!("最高 {limit}"),
                    Lang::En => format!("at most {limit}"),
                }).color(palette::BAD));
                ui.label("");
                ui.end_row();
            }
            ui.label(RichText::new(t(lang, "合计", "Total")).strong());
            ui.label(RichText::new(format!("{} / {}", r.total, r.total_max.saturating_sub(r.pending_max))).strong());
            ui.label("");
            ui.end_row();
        });
        para(ui, RichText::new(r.band.descriptor.get(lang)).size(18.0).color(palette::MUTED));
        for reason in &r.band.reasons {
            para(ui, RichText::new(format!("· {}", reason.get(lang))).size(18.0).color(palette::WARN));
        }
    });
}

/// Whether the advice cites this decision (its node, answered otherwise than the expert).
fn cited(r: &Report, d: &Decision) -> bool {
    !d.expert && r.advice.cites.contains(&d.node)
}

/// The critical errors, above the score: each error's name, the 5S principle it breaks, its cap
/// and the decision it was made at; and the total before the cap when the cap lowered it.
/// Group play: each member's part as the core scored it — decisions, passes, the criteria from
/// their own decisions, their total (the band and 展示与效果 are the group's).
fn members_card(ui: &mut Ui, members: &[crate::app::attempt::MemberResult], lang: Lang) {
    if members.is_empty() {
        return;
    }
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "组员各自的表现", "Each member's part")).size(24.0).strong().color(palette::PRIMARY));
        egui::Grid::new("members").num_columns(5).spacing([18.0, 8.0]).striped(true).show(ui, |ui| {
            for h in [t(lang, "组员", "Member"), t(lang, "决定", "Decisions"), t(lang, "让出 / 接过", "Passed / took"), t(lang, "个人评分", "Own criteria"), t(lang, "总分", "Total")] {
                ui.label(RichText::new(h).strong().color(palette::MUTED));
            }
            ui.end_row();
            for (i, m) in members.iter().enumerate() {
                let role = m.role.as_ref().map(|r| format!(" · {}", r.get(lang))).unwrap_or_default();
                let name = if m.member.name.is_empty() { m.member.id.clone() } else { m.member.name.clone() };
                ui.label(RichText::new(format!("{} {name}{role}", super::play::circled(i + 1))).size(20.0).strong().color(palette::for_key(&m.member.id)));
                ui.label(RichText::new(m.report.decisions.len().to_string()).size(20.0));
                ui.label(RichText::new(format!("{} / {}", m.passed, m.took)).size(20.0));
                let own: Vec<String> = m
                    .report
                    .criteria
                    .iter()
                    .filter(|c| c.source == crate::scoring::Source::Auto)
                    .map(|c| format!("{} {}/{}", c.name.get(lang), c.points.unwrap_or(0), c.max))
                    .collect();
                ui.label(RichText::new(own.join("  ")).size(18.0));
                let total = if m.report.provisional { format!("{}（{}）", m.report.total, m.report.projected) } else { m.report.total.to_string() };
                ui.label(RichText::new(total).size(20.0).strong());
                ui.end_row();
            }
        });
    });
}

fn critical_card(ui: &mut Ui, r: &Report, lang: Lang) {
    if r.critical.is_empty() {
        return;
    }
    tinted(ui, palette::BAD_SOFT, palette::BAD, |ui| {
        let title = match lang {
            Lang::Zh => format!("严重错误（{} 个）", r.critical.len()),
            Lang::En => format!("Critical error{} ({})", if r.critical.len() == 1 { "" } else { "s" }, r.critical.len()),
        };
        ui.label(RichText::new(title).size(26.0).strong().color(palette::BAD));
        for c in &r.critical {
            para(ui, RichText::new(format!("× {}", c.name.get(lang))).size(23.0).strong().color(palette::TEXT));
            let line = match lang {
                Lang::Zh => format!("违反 5S·{}，这次成绩{}", c.principle.name(lang), c.cap_text.get(lang)),
                Lang::En => format!("Breaks 5S {}; this attempt: {}", c.principle.name(lang), c.cap_text.get(lang)),
            };
            para(ui, RichText::new(line).size(20.0).color(palette::BAD));
            let at = match r.decisions.iter().position(|d| d.node == c.node && d.critical.contains(c)) {
                Some(i) => {
                    let d = &r.decisions[i];
                    let answer: Vec<&str> = d.answer.iter().map(|a| a.get(lang)).collect();
                    match lang {
                        Lang::Zh => format!("第 {} 步「{}」你：{}", i + 1, d.prompt.get(lang), answer.join("；")),
                        Lang::En => format!("Decision {} \"{}\" You: {}", i + 1, d.prompt.get(lang), answer.join("; ")),
                    }
                }
                // Made by reaching an ending, not at a decision.
                None => match (lang, &r.outcome) {
                    (Lang::Zh, Some(o)) => format!("结局：{}", o.get(lang)),
                    (Lang::En, Some(o)) => format!("Ending: {}", o.get(lang)),
                    _ => c.node.clone(),
                },
            };
            para(ui, RichText::new(at).size(18.0).color(palette::MUTED));
        }
        let before = match (r.uncapped_total, r.uncapped_projected) {
            (Some(total), _) => Some((total, false)),
            (None, Some(projected)) => Some((projected, true)),
            _ => None,
        };
        if let (Some((before, scaled)), Some(limit)) = (before, r.cap_limit) {
            ui.add_space(4.0);
            let s = match (lang, scaled) {
                (Lang::Zh, false) => format!("本来 {before} 分，因严重错误最高 {limit} 分"),
                (Lang::Zh, true) => format!("按百分制本来折算 {before} 分，因严重错误最高 {limit} 分"),
                (Lang::En, false) => format!("{before} points before the cap; a critical error holds the total to {limit}"),
                (Lang::En, true) => format!("{before} on the 100 scale before the cap; a critical error holds it to {limit}"),
            };
            para(ui, RichText::new(s).size(22.0).strong().color(palette::BAD));
        }
    });
}

/// The core's advice: praise in green, else what to work on most (red after a critical error).
fn advice_card(ui: &mut Ui, r: &Report, lang: Lang) {
    let a = &r.advice;
    if a.praise {
        tinted(ui, palette::GOOD_SOFT, palette::GOOD, |ui| {
            ui.label(RichText::new(t(lang, "做得好", "Well done")).size(24.0).strong().color(palette::GOOD));
            para(ui, RichText::new(a.text.get(lang)).size(21.0));
        });
        return;
    }
    let (fill, edge) = if r.critical.is_empty() { (palette::WARN_SOFT, palette::WARN) } else { (palette::BAD_SOFT, palette::BAD) };
    let dim = r.dim(a.dim);
    tinted(ui, fill, edge, |ui| {
        ui.label(
            RichText::new(match lang {
                Lang::Zh => format!("最需加强：{}（{:.0}%）", dim.name.get(lang), dim.percent),
                Lang::En => format!("Work on: {} ({:.0}%)", dim.name.get(lang), dim.percent),
            })
                .size(24.0)
                .strong()
                .color(edge),
        );
        para(ui, RichText::new(a.text.get(lang)).size(21.0));
        let steps: Vec<String> = r.decisions.iter().enumerate().filter(|(_, d)| cited(r, d)).map(|(i, _)| (i + 1).to_string()).collect();
        if !steps.is_empty() {
            let s = match lang {
                Lang::Zh => format!("见下面标“建议”的第 {} 步", steps.join("、")),
                Lang::En => format!("See decision{} {} below, marked \"advice\"", if steps.len() == 1 { "" } else { "s" }, steps.join(", ")),
            };
            para(ui, RichText::new(s).size(18.0).color(palette::MUTED));
        }
    });
}

/// One decision: the prompt, what the student did, the feedback, the points; a red tag for each
/// critical error made here, and a tag when the advice cites it.
pub fn decision_card(ui: &mut Ui, n: usize, d: &Decision, cited: bool, sc: &Scenario, lang: Lang) {
    let (mark, color) = if d.timed_out {
        ("⏱", palette::BAD)
    } else if d.expert {
        ("✓", palette::GOOD)
    } else if d.credit.is_some_and(|c| c > 0.0) {
        ("△", palette::WARN)
    } else {
        ("×", palette::BAD)
    };
    let (fill, edge) = if !d.critical.is_empty() { (palette::PANEL, palette::BAD) } else if cited { (palette::PANEL, palette::WARN) } else { (palette::PANEL, palette::LINE) };
    tinted(ui, fill, edge, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{mark} {n}.")).size(24.0).strong().color(color));
            for c in &d.critical {
                let s = match lang {
                    Lang::Zh => format!("严重错误：{}", c.name.get(lang)),
                    Lang::En => format!("Critical: {}", c.name.get(lang)),
                };
                tag(ui, &s, palette::BAD, egui::Color32::WHITE);
            }
            if cited {
                tag(ui, t(lang, "建议", "advice"), palette::WARN_SOFT, palette::WARN);
            }
            ui.label(RichText::new(d.prompt.get(lang)).size(22.0).strong());
        });
        for a in &d.answer {
            para(ui, RichText::new(format!("{}{}", t(lang, "你：", "You: "), a.get(lang))).size(20.0));
        }
        for f in &d.feedback {
            para(ui, RichText::new(f.get(lang)).size(20.0).color(palette::MUTED));
        }
        let eff = effects_line(&d.effects, sc, lang);
        if !eff.is_empty() {
            para(ui, RichText::new(eff).size(17.0).color(palette::PRIMARY));
        }
        let lost: std::collections::BTreeMap<String, f64> = d.lost.iter().map(|(k, v)| (k.clone(), -v)).collect();
        let lost = effects_line(&lost, sc, lang);
        if !lost.is_empty() {
            para(ui, RichText::new(format!("{}{lost}", t(lang, "比专家的回答少：", "Short of the expert's answer: "))).size(17.0).color(palette::WARN));
        }
    });
}

/// A small filled tag ("严重错误：…", "建议").
fn tag(ui: &mut Ui, text: &str, fill: egui::Color32, color: egui::Color32) {
    egui::Frame::new()
        .fill(fill)
        .corner_radius(6)
        .inner_margin(egui::Margin::symmetric(8, 3))
        .show(ui, |ui| ui.label(RichText::new(text).color(color).size(18.0).strong()));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 10: the student reads where the record went, not its path.
    #[test]
    fn the_saved_record_is_named_by_its_place() {
        let dir = PathBuf::from("/home/wy/.local/share/kefu/records");
        let file = dir.join("sample_2024001_20261202_abcd.ron");
        assert_eq!(saved_place(Lang::Zh, &file, &(dir.clone(), RecordsFrom::Default)), "记录已保存在这台电脑上");
        assert_eq!(saved_place(Lang::En, &file, &(dir.clone(), RecordsFrom::Default)), "Record saved on this computer");
        let share = PathBuf::from("/mnt/lab/kefu-records");
        let file = share.join("x.ron");
        assert_eq!(saved_place(Lang::Zh, &file, &(share.clone(), RecordsFrom::Settings)), "记录已保存到老师设置的记录文件夹（kefu-records）");
        assert_eq!(saved_place(Lang::En, &file, &(share.clone(), RecordsFrom::Env)), "Record saved in the lab's records folder (kefu-records)");
        assert_eq!(saved_place(Lang::En, &file, &(dir, RecordsFrom::Default)), "Record saved (kefu-records)");
    }
}
