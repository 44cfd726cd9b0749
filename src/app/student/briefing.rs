//! Briefing: 任务情境 (the situation), the objectives and the student's role.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::page;
use crate::app::intent::{Intent, Notice};
use crate::app::student::Selected;
use crate::app::settings::{AppPaths, Settings};
use crate::app::theme::portraits::Portraits;
use crate::app::theme::widgets::{big_button, card, chip, course_label, para, plain_button, portrait, t};
use crate::app::theme::{ThemeSet, palette};
use crate::scenario::PlayedBy;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Briefing)));
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    selected: Res<Selected>,
    mut notice: ResMut<Notice>,
    mut portraits: ResMut<Portraits>,
    paths: Res<AppPaths>,
    mut send: Send,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let out = page(&ctx, &settings, &mut notice, |ui, out| {
        let Some(picked) = &selected.0 else {
            if ui.button(t(lang, "返回题库", "Back to the library")).clicked() {
                out.push(Intent::ToLibrary);
            }
            return;
        };
        let sc = &picked.loaded.scenario;
        let s = &picked.preview;
        ui.label(RichText::new(course_label(lang, sc.course.project, sc.course.task)).color(palette::PRIMARY).size(20.0));
        para(ui, RichText::new(sc.title.get(lang)).size(34.0).strong());
        ui.horizontal_wrapped(|ui| {
            if let Some(m) = sc.minutes {
                chip(ui, &format!("{} {m} {}", t(lang, "约", "about"), t(lang, "分钟", "min")), palette::PRIMARY_SOFT, palette::PRIMARY);
            }
            if let Some(m) = sc.time_limit_minutes {
                chip(ui, &format!("{} {m} {}", t(lang, "限时", "time limit"), t(lang, "分钟", "min")), palette::WARN_SOFT, palette::WARN);
            }
            if settings.exam_mode {
                chip(ui, t(lang, "考试模式：结束后才显示反馈", "Exam mode: feedback at the end"), palette::BAD_SOFT, palette::BAD);
            }
        });
        ui.add_space(6.0);
        // The buttons stay in sight below the text however short the window.
        egui::ScrollArea::vertical().auto_shrink([false, true]).max_height((ui.available_height() - 80.0).max(120.0)).show(ui, |ui| {
            card(ui, |ui| {
                ui.label(RichText::new(t(lang, "任务情境", "The situation")).size(24.0).strong().color(palette::PRIMARY));
                para(ui, RichText::new(s.render(&sc.situation, lang)).size(24.0));
            });
            if !sc.objectives.is_empty() {
                card(ui, |ui| {
                    ui.label(RichText::new(t(lang, "任务目标", "Objectives")).size(24.0).strong().color(palette::PRIMARY));
                    for (i, o) in sc.objectives.iter().enumerate() {
                        para(ui, RichText::new(format!("{}. {}", i + 1, s.render(o, lang))).size(22.0));
                    }
                });
            }
            card(ui, |ui| {
                ui.label(RichText::new(t(lang, "角色", "Roles")).size(24.0).strong().color(palette::PRIMARY));
                ui.horizontal_wrapped(|ui| {
                    for r in &sc.roles {
                        let name = s.render(&r.name, lang);
                        ui.horizontal(|ui| {
                            let face = r.portrait.as_deref().and_then(|p| portraits.get(&ctx, p, &paths.portrait_dirs, &picked.loaded.path));
                            portrait(ui, &name, &r.id, 56.0, face.as_ref());
                            ui.vertical(|ui| {
                                ui.label(RichText::new(&name).size(22.0).strong());
                                let who = if r.played_by == PlayedBy::Student { t(lang, "由你扮演", "played by you") } else { t(lang, "电脑扮演", "played by the computer") };
                                let color = if r.played_by == PlayedBy::Student { palette::GOOD } else { palette::MUTED };
                                ui.label(RichText::new(who).color(color));
                            });
                            ui.add_space(24.0);
                        });
                    }
                });
            });
        });
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            if big_button(ui, t(lang, "开始练习", "Begin"), 260.0).clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                out.push(Intent::Begin { seed: None });
            }
            if plain_button(ui, t(lang, "返回题库", "Back to the library")).clicked() {
                out.push(Intent::ToLibrary);
            }
        });
    });
    send.send_all(out);
    Ok(())
}
