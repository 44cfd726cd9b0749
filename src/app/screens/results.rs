//! Results: the core's Report as it is: total out of what can be scored now (互助与合作 is rated
//! by the teacher), projected score and grade, a 5S radar, the rubric table, the weakest
//! dimension's advice and every decision with its feedback. Nothing is computed here.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText, Ui};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use super::{Screen, Send, page};
use crate::app::bridge::{Intent, Notice, Outcome, effects_line};
use crate::app::settings::Settings;
use crate::app::theme::widgets::{big_button, card, chip, plain_button, radar, t, tinted};
use crate::app::theme::{ThemeSet, palette};
use crate::scenario::{Lang, Scenario};
use crate::scoring::{Decision, Report, Source};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Results)));
}

fn draw(mut contexts: EguiContexts, settings: Res<Settings>, outcome: Res<Outcome>, mut notice: ResMut<Notice>, mut send: Send) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let out = page(&ctx, &settings, &mut notice, |ui, out| {
        let Some(fin) = &outcome.0 else {
            if ui.button(t(lang, "返回题库", "Back to the library")).clicked() {
                out.push(Intent::ToLibrary);
            }
            return;
        };
        let r = &fin.report;
        let sc = &fin.loaded.scenario;
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{} · {}", t(lang, "练习结果", "Results"), sc.title.get(lang))).size(30.0).strong());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if plain_button(ui, t(lang, "返回题库", "Back to the library")).clicked() {
                    out.push(Intent::ToLibrary);
                }
                if big_button(ui, t(lang, "对照专家路径", "Compare with the expert"), 260.0).clicked() {
                    out.push(Intent::ShowReview);
                }
            });
        });
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.columns(2, |cols| {
                // Columns lay out justified; plain left-aligned text reads better.
                let top = egui::Layout::top_down(egui::Align::Min);
                let (left, right) = cols.split_at_mut(1);
                left[0].with_layout(top, |ui| {
                    totals(ui, r, lang);
                    rubric_table(ui, r, lang);
                });
                right[0].with_layout(top, |ui| {
                    card(ui, |ui| {
                        ui.label(RichText::new(t(lang, "5S 服务要素", "The 5S of service")).size(24.0).strong().color(palette::PRIMARY));
                        let values: Vec<(String, f64)> = r.dimensions.iter().map(|d| (d.name.get(lang).to_string(), d.percent)).collect();
                        ui.vertical_centered(|ui| radar(ui, &values, 320.0));
                    });
                    let weakest = r.dim(r.advice.dim);
                    tinted(ui, palette::WARN_SOFT, palette::WARN, |ui| {
                        ui.label(
                            RichText::new(format!("{}{}（{:.0}%）", t(lang, "最需加强：", "Work on: "), weakest.name.get(lang), weakest.percent))
                                .size(24.0)
                                .strong()
                                .color(palette::WARN),
                        );
                        ui.label(RichText::new(r.advice.text.get(lang)).size(21.0));
                    });
                });
            });
            if let Ok(p) = &fin.saved {
                ui.label(RichText::new(format!("{} {}", t(lang, "记录已保存：", "Record saved:"), p.display())).color(palette::MUTED).size(16.0));
            }
            if let Err(e) = &fin.saved {
                ui.label(RichText::new(format!("{} {e}", t(lang, "⚠ 记录没有保存：", "⚠ The record was not saved:"))).color(palette::BAD));
            }
            ui.add_space(10.0);
            ui.label(RichText::new(t(lang, "每一步的决定与反馈", "Every decision and its feedback")).size(26.0).strong());
            for (i, d) in r.decisions.iter().enumerate() {
                decision_card(ui, i + 1, d, sc, lang);
            }
        });
    });
    send.send_all(out);
    Ok(())
}

fn totals(ui: &mut Ui, r: &Report, lang: Lang) {
    let scorable = r.total_max.saturating_sub(r.pending_max);
    card(ui, |ui| {
        if let Some(o) = &r.outcome {
            let color = if r.success { palette::GOOD } else { palette::BAD };
            ui.label(RichText::new(o.get(lang)).size(22.0).color(color));
        }
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{}", r.total)).size(64.0).strong().color(palette::PRIMARY));
            ui.label(RichText::new(format!("/ {scorable}")).size(34.0).color(palette::MUTED));
            ui.add_space(16.0);
            ui.vertical(|ui| {
                ui.label(RichText::new(r.grade.get(lang)).size(34.0).strong());
                if r.provisional {
                    ui.label(RichText::new(t(lang, "（暂定）", "(provisional)")).color(palette::MUTED));
                }
            });
        });
        if r.pending_max > 0 {
            let pending: Vec<String> = r.criteria.iter().filter(|c| c.points.is_none()).map(|c| format!("{}（{}）", c.name.get(lang), c.max)).collect();
            let text = match lang {
                Lang::Zh => format!("另有 {} 分待老师评定：{}。按百分制折算：{} 分", r.pending_max, pending.join("、"), r.projected),
                Lang::En => format!("{} more points are rated by the teacher: {}. Projected to 100: {}", r.pending_max, pending.join(", "), r.projected),
            };
            ui.label(RichText::new(text).size(20.0));
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
                let s = match lang {
                    Lang::Zh => format!("用了 {} 次提示，扣 {} 分", r.hints_used, r.hint_cost),
                    Lang::En => format!("{} hint(s), −{}", r.hints_used, r.hint_cost),
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
                ui.label(t(lang, "提示扣分", "Hints"));
                ui.label(format!("−{}", r.hint_cost));
                ui.label("");
                ui.end_row();
            }
            ui.label(RichText::new(t(lang, "合计", "Total")).strong());
            ui.label(RichText::new(format!("{} / {}", r.total, r.total_max.saturating_sub(r.pending_max))).strong());
            ui.label("");
            ui.end_row();
        });
        ui.label(RichText::new(r.band.descriptor.get(lang)).size(18.0).color(palette::MUTED));
        for reason in &r.band.reasons {
            ui.label(RichText::new(format!("· {}", reason.get(lang))).size(18.0).color(palette::WARN));
        }
    });
}

/// One decision: the prompt, what the student did, the feedback, the points.
pub fn decision_card(ui: &mut Ui, n: usize, d: &Decision, sc: &Scenario, lang: Lang) {
    let (mark, color) = if d.timed_out {
        ("⏱", palette::BAD)
    } else if d.expert {
        ("✓", palette::GOOD)
    } else if d.credit.is_some_and(|c| c > 0.0) {
        ("△", palette::WARN)
    } else {
        ("×", palette::BAD)
    };
    card(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{mark} {n}.")).size(24.0).strong().color(color));
            ui.label(RichText::new(d.prompt.get(lang)).size(22.0).strong());
        });
        for a in &d.answer {
            ui.label(RichText::new(format!("{}{}", t(lang, "你：", "You: "), a.get(lang))).size(20.0));
        }
        for f in &d.feedback {
            ui.label(RichText::new(f.get(lang)).size(20.0).color(palette::MUTED));
        }
        let eff = effects_line(&d.effects, sc, lang);
        if !eff.is_empty() {
            ui.label(RichText::new(eff).size(17.0).color(palette::PRIMARY));
        }
    });
}
