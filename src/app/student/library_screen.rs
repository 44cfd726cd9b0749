//! Library: scenarios grouped by course project and task, with the student's best result.
//! Files that do not load stay in the list with their error (file:line:col message).

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText, Ui};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use super::start::ResumeTitle;
use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::{Bar, framed, student_label};
use crate::app::intent::{Intent, Notice};
use crate::app::student::Resumable;
use crate::app::library::{Entry, Library};
use crate::app::settings::Settings;
use crate::app::theme::widgets::{big_button, card, chip, course_label, para, plain_button, t, tinted};
use crate::app::theme::{ThemeSet, palette};
use crate::scenario::Lang;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SignOutConfirm>().add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Library)));
}

/// 换人 was pressed: ask before signing out (a stray click would end the student's session).
#[derive(Resource, Default)]
pub struct SignOutConfirm(pub bool);

/// Below this width a card's 进入 button goes under its text instead of beside it.
const SIDE_BY_SIDE: f32 = 560.0;

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    library: Res<Library>,
    resumable: Res<Resumable>,
    resume_title: Res<ResumeTitle>,
    mut notice: ResMut<Notice>,
    mut confirm_sign_out: ResMut<SignOutConfirm>,
    mut send: Send,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let bar = Bar::With(Box::new(|ui: &mut Ui, out: &mut Vec<Intent>| {
        if ui.button(t(lang, "换人", "Sign out")).clicked() {
            confirm_sign_out.0 = true;
        }
        if ui.button(t(lang, "设置", "Settings")).clicked() {
            out.push(Intent::OpenSettings);
        }
        if ui.button(t(lang, "刷新", "Refresh")).clicked() {
            out.push(Intent::Rescan);
        }
    }));
    let mut out = framed(&ctx, &settings, &mut notice, bar, |ui, out| {
        ui.label(RichText::new(t(lang, "实训题库", "Scenario library")).size(32.0).strong());
        if let Some(rec) = resumable.0.as_ref().filter(|r| r.player.id == settings.student_id) {
            let title = resume_title.get(&rec.scenario_id, lang);
            tinted(ui, palette::WARN_SOFT, palette::WARN, |ui| {
                let text = match lang {
                    Lang::Zh => format!("上次的练习没有做完：《{title}》"),
                    Lang::En => format!("Your last attempt is unfinished: {title}"),
                };
                let buttons = |ui: &mut Ui, out: &mut Vec<Intent>| {
                    if plain_button(ui, t(lang, "放弃", "Discard")).clicked() {
                        out.push(Intent::DiscardResume);
                    }
                    if big_button(ui, t(lang, "继续做", "Resume"), 160.0).clicked() {
                        out.push(Intent::Resume);
                    }
                };
                if ui.available_width() >= SIDE_BY_SIDE {
                    ui.horizontal(|ui| {
                        ui.vertical(|ui| {
                            ui.set_max_width(ui.available_width() - 300.0);
                            para(ui, RichText::new(&text).size(22.0));
                        });
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| buttons(ui, out));
                    });
                } else {
                    para(ui, RichText::new(&text).size(22.0));
                    ui.horizontal(|ui| buttons(ui, out));
                }
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
                    card(ui, |ui| {
                        if ui.available_width() >= SIDE_BY_SIDE {
                            ui.horizontal(|ui| {
                                ui.vertical(|ui| {
                                    ui.set_max_width(ui.available_width() - 200.0);
                                    entry_text(ui, e, lang);
                                });
                                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| open_button(ui, e, lang, out));
                            });
                        } else {
                            entry_text(ui, e, lang);
                            open_button(ui, e, lang, out);
                        }
                    });
                }
            }
            if !library.broken.is_empty() {
                ui.add_space(12.0);
                para(ui, RichText::new(t(lang, "无法打开的文件（请老师用 kefu check 修改）", "Files that could not be opened (teachers: fix with kefu check)")).size(24.0).strong().color(palette::BAD));
                for b in &library.broken {
                    tinted(ui, palette::BAD_SOFT, palette::BAD, |ui| {
                        ui.label(RichText::new(b.path.display().to_string()).strong());
                        for d in b.errors.iter().take(5) {
                            para(ui, RichText::new(d.render(lang)).size(18.0).color(palette::BAD));
                        }
                        if b.errors.len() > 5 {
                            ui.label(match lang {
                                Lang::Zh => format!("… 另有 {} 条错误", b.errors.len() - 5),
                                Lang::En => format!("… {} more {}", b.errors.len() - 5, plural(b.errors.len() - 5, "error", "errors")),
                            });
                        }
                    });
                }
            }
            if let Some(p) = &library.records_problem {
                para(ui, RichText::new(p).color(palette::WARN));
            }
            // Room for a notice floating over the bottom of the list.
            ui.add_space(56.0);
        });
    });
    if confirm_sign_out.0 {
        let modal = egui::Modal::new(egui::Id::new("confirm-sign-out")).show(&ctx, |ui| {
            ui.set_max_width(460.0);
            ui.label(RichText::new(t(lang, "换人", "Sign out")).size(26.0).strong());
            let who = student_label(&settings);
            para(
                ui,
                RichText::new(match lang {
                    Lang::Zh => format!("{who} 退出，请下一位同学填写学号和姓名。"),
                    Lang::En => format!("{who} signs out; the next student enters their own ID and name."),
                })
                .size(21.0),
            );
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                let yes = big_button(ui, t(lang, "换人", "Sign out"), 160.0);
                let no = plain_button(ui, t(lang, "取消", "Cancel"));
                (yes.clicked(), no.clicked())
            })
            .inner
        });
        let (yes, no) = modal.inner;
        if yes {
            out.push(Intent::SignOut);
        }
        if yes || no || modal.should_close() {
            confirm_sign_out.0 = false;
        }
    }
    send.send_all(out);
    Ok(())
}

/// "1 attempt", "2 attempts".
pub fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// A scenario's title, teaser and chips (time, best result, warnings).
fn entry_text(ui: &mut Ui, e: &Entry, lang: Lang) {
    let sc = &e.loaded.scenario;
    para(ui, RichText::new(sc.title.get(lang)).size(26.0).strong());
    para(ui, RichText::new(e.teaser.get(lang)).color(palette::MUTED));
    ui.horizontal_wrapped(|ui| {
        if let Some(m) = sc.minutes {
            chip(ui, &format!("{} {m} {}", t(lang, "约", "about"), t(lang, "分钟", "min")), palette::PRIMARY_SOFT, palette::PRIMARY);
        }
        match &e.best {
            Some(b) => {
                let text = match lang {
                    Lang::Zh => format!("最好成绩 {} / {} · {} · 共 {} 次", b.total, b.total_max.saturating_sub(b.pending_max), b.grade.get(lang), b.attempts),
                    Lang::En => format!(
                        "Best {} / {} · {} · {} {}",
                        b.total,
                        b.total_max.saturating_sub(b.pending_max),
                        b.grade.get(lang),
                        b.attempts,
                        plural(b.attempts, "attempt", "attempts")
                    ),
                };
                chip(ui, &text, palette::GOOD_SOFT, palette::GOOD);
            }
            None => chip(ui, t(lang, "还没做过", "Not tried yet"), palette::BG, palette::MUTED),
        }
        if !e.warnings.is_empty() {
            let n = e.warnings.len();
            let text = match lang {
                Lang::Zh => format!("{n} 条警告"),
                Lang::En => format!("{n} {}", plural(n, "warning", "warnings")),
            };
            chip(ui, &text, palette::WARN_SOFT, palette::WARN);
        }
    });
}

fn open_button(ui: &mut Ui, e: &Entry, lang: Lang, out: &mut Vec<Intent>) {
    if big_button(ui, t(lang, "进入", "Open"), 180.0).clicked() {
        out.push(Intent::Pick(e.loaded.scenario.id.clone()));
    }
}
