//! Library: scenarios grouped by course project and task, with the student's best result.
//! Files that do not load stay in the list with their error (file:line:col message).

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use super::{Screen, Send, central, notice_bar, root, top_bar};
use crate::app::bridge::{Intent, Notice, Resumable};
use crate::app::library::Library;
use crate::app::settings::Settings;
use crate::app::theme::widgets::{big_button, card, chip, course_label, plain_button, t, tinted};
use crate::app::theme::{ThemeSet, palette};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Library)));
}

fn draw(mut contexts: EguiContexts, settings: Res<Settings>, library: Res<Library>, resumable: Res<Resumable>, mut notice: ResMut<Notice>, mut send: Send) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let mut out = Vec::new();
    let mut ui = root(&ctx);
    top_bar(&mut ui, &settings, &mut out, |ui, out| {
        if ui.button(t(lang, "换人", "Sign out")).clicked() {
            out.push(Intent::SignOut);
        }
        if ui.button(t(lang, "设置", "Settings")).clicked() {
            out.push(Intent::OpenSettings);
        }
        if ui.button(t(lang, "刷新", "Refresh")).clicked() {
            out.push(Intent::Rescan);
        }
    });
    notice_bar(&mut ui, &mut notice, lang);
    central(&mut ui, |ui| {
        ui.label(RichText::new(t(lang, "实训题库", "Scenario library")).size(32.0).strong());
        if let Some(rec) = resumable.0.as_ref().filter(|r| r.player.id == settings.student_id) {
            let title = library.find(&rec.scenario_id).map_or(rec.scenario_id.clone(), |e| e.loaded.scenario.title.get(lang).to_string());
            tinted(ui, palette::WARN_SOFT, palette::WARN, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("{}《{title}》", t(lang, "上次的练习没有做完：", "Your last attempt is unfinished: "))).size(22.0));
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if plain_button(ui, t(lang, "放弃", "Discard")).clicked() {
                            out.push(Intent::DiscardResume);
                        }
                        if big_button(ui, t(lang, "继续做", "Resume"), 160.0).clicked() {
                            out.push(Intent::Resume);
                        }
                    });
                });
            });
        }
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            if library.entries.is_empty() && library.broken.is_empty() {
                card(ui, |ui| {
                    ui.label(RichText::new(t(lang, "没有找到场景文件。", "No scenario files were found.")).size(24.0));
                    ui.label(t(lang, "查找过的文件夹：", "Folders searched:"));
                    for d in &library.searched {
                        ui.label(RichText::new(d.display().to_string()).monospace());
                    }
                });
            }
            for (course, idx) in library.groups() {
                ui.add_space(8.0);
                ui.label(RichText::new(course_label(lang, course.project, course.task)).size(24.0).strong().color(palette::PRIMARY));
                for i in idx {
                    let e = &library.entries[i];
                    let sc = &e.loaded.scenario;
                    card(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.vertical(|ui| {
                                ui.set_max_width(ui.available_width() - 230.0);
                                ui.label(RichText::new(sc.title.get(lang)).size(26.0).strong());
                                ui.label(RichText::new(e.teaser.get(lang)).color(palette::MUTED));
                                ui.horizontal_wrapped(|ui| {
                                    if let Some(m) = sc.minutes {
                                        chip(ui, &format!("{} {m} {}", t(lang, "约", "about"), t(lang, "分钟", "min")), palette::PRIMARY_SOFT, palette::PRIMARY);
                                    }
                                    match &e.best {
                                        Some(b) => chip(
                                            ui,
                                            &format!(
                                                "{} {} / {} · {} · {}{}",
                                                t(lang, "最好成绩", "Best"),
                                                b.total,
                                                b.total_max.saturating_sub(b.pending_max),
                                                b.grade.get(lang),
                                                b.attempts,
                                                t(lang, " 次", " tries")
                                            ),
                                            palette::GOOD_SOFT,
                                            palette::GOOD,
                                        ),
                                        None => chip(ui, t(lang, "还没做过", "Not tried yet"), palette::BG, palette::MUTED),
                                    }
                                    if !e.warnings.is_empty() {
                                        chip(ui, &format!("{} {}", e.warnings.len(), t(lang, "条警告", "warnings")), palette::WARN_SOFT, palette::WARN);
                                    }
                                });
                            });
                            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                if big_button(ui, t(lang, "进入", "Open"), 180.0).clicked() {
                                    out.push(Intent::Pick(sc.id.clone()));
                                }
                            });
                        });
                    });
                }
            }
            if !library.broken.is_empty() {
                ui.add_space(12.0);
                ui.label(RichText::new(t(lang, "无法打开的文件（请老师用 kefu check 修改）", "Files that could not be opened (teachers: fix with kefu check)")).size(24.0).strong().color(palette::BAD));
                for b in &library.broken {
                    tinted(ui, palette::BAD_SOFT, palette::BAD, |ui| {
                        ui.label(RichText::new(b.path.display().to_string()).strong());
                        for d in b.errors.iter().take(5) {
                            ui.label(RichText::new(d.render(lang)).size(18.0).color(palette::BAD));
                        }
                        if b.errors.len() > 5 {
                            ui.label(format!("… {} {}", b.errors.len() - 5, t(lang, "条更多错误", "more errors")));
                        }
                    });
                }
            }
            if let Some(p) = &library.records_problem {
                ui.label(RichText::new(p).color(palette::WARN));
            }
        });
    });
    send.send_all(out);
    Ok(())
}
