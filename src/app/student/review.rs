//! Review: the student's path beside the expert's (autoplay with the same seed), decision by
//! decision. Decisions at the same node face each other; steps only one path took stand alone.
//! An activity shows each row marked (✓, or ✗ with the right answer) and the practice retries.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText, Ui};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use super::play::{mark_rows, marked_line};
use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::page;
use crate::app::intent::{Intent, Notice};
use crate::app::attempt::Outcome;
use crate::app::settings::Settings;
use crate::app::theme::widgets::{big_button, card, para, plain_button, t};
use crate::app::theme::{ThemeSet, palette};
use crate::scenario::Lang;
use crate::scoring::Decision;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ReviewAt>()
        .add_systems(OnEnter(Screen::Review), |mut at: ResMut<ReviewAt>| at.0 = 0)
        .add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Review)));
}

/// Projector mode: the decision the review shows (one at a time).
#[derive(Resource, Default)]
pub struct ReviewAt(pub usize);

/// Rows of (student's decision, expert's decision at the same node).
pub fn pair_up<'a>(student: &'a [Decision], expert: &'a [Decision]) -> Vec<(Option<&'a Decision>, Option<&'a Decision>)> {
    let mut used = vec![false; expert.len()];
    let mut rows = Vec::new();
    for d in student {
        let m = expert.iter().enumerate().position(|(i, e)| !used[i] && e.node == d.node);
        if let Some(i) = m {
            used[i] = true;
        }
        rows.push((Some(d), m.map(|i| &expert[i])));
    }
    for (i, e) in expert.iter().enumerate() {
        if !used[i] {
            rows.push((None, Some(e)));
        }
    }
    rows
}

fn side(ui: &mut Ui, d: Option<&Decision>, lang: Lang, expert: bool, other: Option<&Decision>) {
    let Some(d) = d else {
        let text = if expert { t(lang, "（专家没有走到这一步）", "(the expert never got here)") } else { t(lang, "（你没有走到这一步）", "(you never got here)") };
        para(ui, RichText::new(text).color(palette::MUTED).size(19.0));
        return;
    };
    let text = |x: &crate::scenario::Text| x.get(lang).to_string();
    if !d.marks.is_empty() {
        // An activity: every row marked, not the whole answer coloured.
        let (right, all) = d.marked();
        let color = if right == all { palette::GOOD } else if right > 0 { palette::WARN } else { palette::BAD };
        para(ui, RichText::new(marked_line(d.kind, right, all, lang)).size(18.0).strong().color(color));
        match &d.table {
            Some(table) => super::table::marked(ui, table, lang, 16.0),
            None => mark_rows(ui, &d.marks, d.kind, lang, 18.0, &text),
        }
        for f in &d.summary {
            para(ui, RichText::new(f.get(lang)).size(16.0).color(palette::MUTED));
        }
        for (i, r) in d.retries.iter().enumerate() {
            let (right, all) = r.marked();
            ui.add_space(4.0);
            let head = match lang {
                Lang::Zh => format!("↻ 第 {} 次再试（练习，不计分）：{}", i + 1, marked_line(r.kind, right, all, lang)),
                Lang::En => format!("↻ Retry {} (practice, not scored): {}", i + 1, marked_line(r.kind, right, all, lang)),
            };
            para(ui, RichText::new(head).size(17.0).strong().color(palette::PRIMARY));
            // Only what was still wrong: the rest is as above or right.
            let wrong: Vec<crate::session::Mark> = r.marks.iter().filter(|m| !m.right).cloned().collect();
            mark_rows(ui, &wrong, r.kind, lang, 16.0, &text);
        }
        return;
    }
    let same = other.is_some_and(|o| o.answer == d.answer);
    let color = if expert || d.expert || same { palette::GOOD } else if d.credit.is_some_and(|c| c > 0.0) { palette::WARN } else { palette::BAD };
    for a in &d.answer {
        para(ui, RichText::new(a.get(lang)).size(20.0).color(color));
    }
    if d.answer.is_empty() {
        ui.label(RichText::new("—").color(palette::MUTED));
    }
    for f in &d.feedback {
        para(ui, RichText::new(f.get(lang)).size(17.0).color(palette::MUTED));
    }
}

fn draw(mut contexts: EguiContexts, settings: Res<Settings>, outcome: Res<Outcome>, mut notice: ResMut<Notice>, mut at: ResMut<ReviewAt>, mut send: Send) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let out = page(&ctx, &settings, &mut notice, |ui, out| {
        let Some(fin) = &outcome.0 else { return };
        // The buttons first, from the right; the title takes what is left (cut short on a narrow
        // window rather than drawn under the buttons).
        ui.allocate_ui_with_layout(egui::vec2(ui.available_width(), 56.0), egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if plain_button(ui, t(lang, "返回题库", "Back to the library")).clicked() {
                out.push(Intent::ToLibrary);
            }
            if big_button(ui, t(lang, "返回结果", "Back to the results"), 200.0).clicked() {
                out.push(Intent::ShowResults);
            }
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                let title = format!("{} · {}", t(lang, "对照专家路径", "You and the expert"), fin.loaded.scenario.title.get(lang));
                ui.add(egui::Label::new(RichText::new(title).size(30.0).strong()).truncate());
            });
        });
        let Some(expert) = &fin.expert else {
            ui.label(t(lang, "这个场景算不出专家路径。", "No expert path could be played for this scenario."));
            return;
        };
        ui.label(
            RichText::new(match lang {
                Lang::Zh => format!("你的成绩 {} 分，专家路径 {} 分（同样的客户和任务）", fin.report.total, expert.total),
                Lang::En => format!("You scored {}; the expert path scores {} (the same customer and task)", fin.report.total, expert.total),
            })
            .size(21.0),
        );
        let rows = pair_up(&fin.report.decisions, &expert.decisions);
        if settings.projector && !rows.is_empty() {
            one_at_a_time(ui, &rows, &mut at.0, lang);
            return;
        }
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            let full = ui.available_width();
            let first = (full * 0.22).clamp(150.0, 250.0);
            let half = ((full - first - 60.0) / 2.0).max(180.0);
            let column = |ui: &mut Ui, w: f32, add: &mut dyn FnMut(&mut Ui)| {
                ui.allocate_ui_with_layout(egui::vec2(w, 0.0), egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.set_width(w);
                    add(ui);
                });
            };
            ui.horizontal(|ui| {
                column(ui, first, &mut |ui| {
                    ui.label(RichText::new(t(lang, "这一步", "Step")).strong().color(palette::MUTED));
                });
                column(ui, half, &mut |ui| {
                    ui.label(RichText::new(t(lang, "你的做法", "What you did")).strong().color(palette::MUTED));
                });
                column(ui, half, &mut |ui| {
                    ui.label(RichText::new(t(lang, "专家的做法", "What the expert did")).strong().color(palette::MUTED));
                });
            });
            for (i, (mine, theirs)) in rows.iter().enumerate() {
                let prompt = mine.or(*theirs).map(|d| d.prompt.get(lang).to_string()).unwrap_or_default();
                card(ui, |ui| {
                    ui.horizontal_top(|ui| {
                        column(ui, first - 18.0, &mut |ui| {
                            para(ui, RichText::new(format!("{}. {prompt}", i + 1)).size(20.0).strong());
                        });
                        column(ui, half, &mut |ui| side(ui, *mine, lang, false, *theirs));
                        column(ui, half, &mut |ui| side(ui, *theirs, lang, true, *mine));
                    });
                });
            }
        });
    });
    send.send_all(out);
    Ok(())
}

/// Projector mode: one decision at a time, the class's answer beside the expert's, with buttons
/// (and the arrow keys) to walk through them.
fn one_at_a_time(ui: &mut Ui, rows: &[(Option<&Decision>, Option<&Decision>)], at: &mut usize, lang: Lang) {
    let n = rows.len();
    *at = (*at).min(n - 1);
    let (left, right) = ui.input(|i| (i.key_pressed(egui::Key::ArrowLeft), i.key_pressed(egui::Key::ArrowRight)));
    ui.horizontal(|ui| {
        let back = ui.add_enabled(*at > 0, egui::Button::new(RichText::new(t(lang, "← 上一步", "← Previous")).size(22.0)).min_size(egui::vec2(140.0, 48.0)));
        ui.label(RichText::new(match lang {
            Lang::Zh => format!("第 {} / {n} 步", *at + 1),
            Lang::En => format!("Decision {} of {n}", *at + 1),
        }).size(24.0).strong());
        let fwd = ui.add_enabled(*at + 1 < n, egui::Button::new(RichText::new(t(lang, "下一步 →", "Next →")).size(22.0)).min_size(egui::vec2(140.0, 48.0)));
        if (back.clicked() || left) && *at > 0 {
            *at -= 1;
        }
        if (fwd.clicked() || right) && *at + 1 < n {
            *at += 1;
        }
    });
    let (mine, theirs) = rows[*at];
    let prompt = mine.or(theirs).map(|d| d.prompt.get(lang).to_string()).unwrap_or_default();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        card(ui, |ui| {
            para(ui, RichText::new(prompt).size(24.0).strong());
            ui.add_space(8.0);
            ui.columns(2, |cols| {
                cols[0].label(RichText::new(t(lang, "你们的做法", "What you did")).size(20.0).strong().color(palette::MUTED));
                side(&mut cols[0], mine, lang, false, theirs);
                cols[1].label(RichText::new(t(lang, "专家的做法", "What the expert did")).size(20.0).strong().color(palette::GOOD));
                side(&mut cols[1], theirs, lang, true, mine);
            });
        });
    });
}
