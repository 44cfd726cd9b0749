//! The page frame every screen draws in: the top bar (title, language, projector, the student,
//! a screen's own buttons), the floating notice bar and the central panel. Shared by the
//! features' views; it only draws and hands back intents.

use bevy::prelude::*;
use bevy_egui::egui::{self, LayerId, RichText, Ui, UiBuilder};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use super::intent::{Intent, Notice, redraw_on_intent};
use super::screen::{Screen, redraw_on_pending_transition};
use super::settings::Settings;
use super::theme::widgets::t;
use super::theme::{ThemeSet, palette};
use crate::scenario::Lang;

/// Drawing side shared by every screen: scroll to the top on a new screen, wake the loop when
/// an intent or a state change waits.
pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, scroll_to_top_on_new_screen.before(ThemeSet))
        .add_systems(Last, (redraw_on_pending_transition, redraw_on_intent));
}

/// Every screen opens at its top: the scroll areas of all screens sit at the same place in the
/// Ui tree, so without this the review opened where the results had been scrolled to (issue 10),
/// and a screen opened again where it was left.
fn scroll_to_top_on_new_screen(mut contexts: EguiContexts, state: Res<State<Screen>>) -> Result {
    if state.is_changed() {
        contexts.ctx_mut()?.data_mut(|d| d.remove_by_type::<egui::scroll_area::State>());
    }
    Ok(())
}

/// The full-window Ui that panels are laid out in.
pub fn root(ctx: &egui::Context) -> Ui {
    Ui::new(ctx.clone(), "kefu-root".into(), UiBuilder::new().layer_id(LayerId::background()).max_rect(ctx.viewport_rect()))
}

/// The central panel every screen draws into, with the page margins.
pub fn central(root: &mut Ui, add: impl FnOnce(&mut Ui)) {
    egui::CentralPanel::default()
        .frame(egui::Frame::new().fill(palette::BG).inner_margin(egui::Margin::symmetric(28, 18)))
        .show(root, add);
}

/// A standard page: the top bar, the notice bar and the central panel with `body` in it.
/// Returns the intents the page produced (to send).
pub fn page(ctx: &egui::Context, settings: &Settings, notice: &mut Notice, body: impl FnOnce(&mut Ui, &mut Vec<Intent>)) -> Vec<Intent> {
    framed(ctx, settings, notice, Bar::Plain, body)
}

/// A screen's own top-bar buttons: drawn into the bar, sending intents.
pub type Extra<'a> = Box<dyn FnOnce(&mut Ui, &mut Vec<Intent>) + 'a>;

/// What a page's top bar holds.
pub enum Bar<'a> {
    /// None (the start screen: nobody is signed in yet, it has its own title card).
    None,
    /// The standard bar.
    Plain,
    /// The standard bar with a screen's own buttons (drawn right to left).
    With(Extra<'a>),
}

/// A page with the chosen top bar: every screen draws through this (or [`page`]).
pub fn framed(ctx: &egui::Context, settings: &Settings, notice: &mut Notice, bar: Bar<'_>, body: impl FnOnce(&mut Ui, &mut Vec<Intent>)) -> Vec<Intent> {
    let top = |ui: &mut Ui, _: &mut (), out: &mut Vec<Intent>| match bar {
        Bar::None => {}
        Bar::Plain => top_bar(ui, settings, out, |_, _| {}),
        Bar::With(extra) => top_bar(ui, settings, out, extra),
    };
    framed_own(ctx, settings, notice, &mut (), top, |ui, _, out| body(ui, out))
}

/// A page whose top is the screen's own panels (the play screen: its bar, the group's turn bar,
/// the conversation panel): `top` draws them, then come the notice bar and the central panel
/// with `body`. Both get `state`, the screen's own between-frames state.
pub fn framed_own<S>(
    ctx: &egui::Context,
    settings: &Settings,
    notice: &mut Notice,
    state: &mut S,
    top: impl FnOnce(&mut Ui, &mut S, &mut Vec<Intent>),
    body: impl FnOnce(&mut Ui, &mut S, &mut Vec<Intent>),
) -> Vec<Intent> {
    let mut out = Vec::new();
    let mut ui = root(ctx);
    top(&mut ui, state, &mut out);
    notice_bar(&mut ui, notice, settings.lang);
    central(&mut ui, |ui| body(ui, state, &mut out));
    out
}

/// The top bar: app name, the student, language switch, settings; `extra` adds screen buttons.
/// When the buttons do not fit beside the title (a 1024 px screen at a large text size), they
/// go to a second row, right-aligned, instead of drawing over the subtitle.
pub fn top_bar(root: &mut Ui, settings: &Settings, out: &mut Vec<Intent>, extra: impl FnOnce(&mut Ui, &mut Vec<Intent>)) {
    let lang = settings.lang;
    egui::Panel::top("top-bar")
        .frame(egui::Frame::new().fill(palette::PANEL).inner_margin(egui::Margin::symmetric(20, 10)).stroke(egui::Stroke::new(1.0, palette::LINE)))
        .show(root, |ui| {
            let right_id = ui.id().with("right-width");
            let right_w: f32 = ui.ctx().data(|d| d.get_temp(right_id)).unwrap_or(0.0);
            let title = RichText::new(t(lang, "客服实训", "Kefu")).size(26.0).strong().color(palette::PRIMARY);
            let sub = RichText::new(t(lang, "《物流客户服务》", "Logistics Customer Service")).color(palette::MUTED);
            let left_w = text_width(ui, &title) + ui.spacing().item_spacing.x + text_width(ui, &sub);
            let one_row = left_w + right_w + 2.0 * ui.spacing().item_spacing.x <= ui.available_width();
            let buttons = |ui: &mut Ui, out: &mut Vec<Intent>| {
                let other = match lang {
                    Lang::Zh => (Lang::En, "English"),
                    Lang::En => (Lang::Zh, "中文"),
                };
                if ui.button(other.1).clicked() {
                    out.push(Intent::SetLang(other.0));
                }
                projector_toggle(ui, settings, out);
                if !settings.student_name.is_empty() {
                    ui.label(RichText::new(student_label(settings)).strong());
                }
                extra(ui, out);
            };
            let right = if one_row {
                ui.horizontal(|ui| {
                    ui.label(title);
                    ui.label(sub);
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| buttons(ui, out)).response.rect.width()
                })
                .inner
            } else {
                ui.horizontal(|ui| {
                    ui.label(title);
                    ui.add(egui::Label::new(sub).truncate());
                });
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center).with_main_wrap(true), |ui| buttons(ui, out)).response.rect.width()
            };
            // Laid out on one row, the buttons' own width; on two, at most the row: remember it
            // for the next frame's choice (and lay out again at once if this one was wrong).
            let measured = if one_row { right } else { right.min(right_w) };
            if (measured - right_w).abs() > 0.5 {
                ui.ctx().data_mut(|d| d.insert_temp(right_id, measured));
                ui.ctx().request_discard("top bar buttons measured");
            }
        });
}

/// "王玥（2024001）", in English "王玥 (2024001)".
pub fn student_label(settings: &Settings) -> String {
    // A group: its name and size.
    if let Some(team) = settings.team.as_ref().filter(|t| t.members.len() > 1) {
        let name = if team.name.is_empty() { t(settings.lang, "小组", "Group") } else { team.name.as_str() };
        return match settings.lang {
            Lang::Zh => format!("{name}（{} 人）", team.members.len()),
            Lang::En => format!("{name} ({} members)", team.members.len()),
        };
    }
    match settings.lang {
        Lang::Zh => format!("{}（{}）", settings.student_name, settings.student_id),
        Lang::En => format!("{} ({})", settings.student_name, settings.student_id),
    }
}

/// 投影 on and off (large text for a class watching one screen).
pub fn projector_toggle(ui: &mut Ui, settings: &Settings, out: &mut Vec<Intent>) {
    let on = settings.projector;
    let b = egui::Button::selectable(on, t(settings.lang, "投影模式", "Projector"));
    let hint = t(settings.lang, "全班看一块屏幕：字放大（1024×768 上正文至少 28 像素），对照专家路径时一步一步看", "The class watches one screen: larger text (body text at least 28 px at 1024×768), the review one decision at a time");
    if ui.add(b).on_hover_text(hint).clicked() {
        out.push(Intent::SetProjector(!on));
    }
}

/// The width `text` takes on one line.
fn text_width(ui: &Ui, text: &RichText) -> f32 {
    let job = egui::WidgetText::from(text.clone()).into_layout_job(ui.style(), egui::FontSelection::Default, egui::Align::Center);
    ui.fonts_mut(|f| f.layout_job(std::sync::Arc::unwrap_or_clone(job))).size().x
}

/// The notice (a file that could not be written…), dismissable. It floats over the bottom of the
/// window instead of taking a panel: when it appears nothing moves, so a click meant for a
/// control lands on that control or on the notice, never on another control.
pub fn notice_bar(root: &mut Ui, notice: &mut Notice, lang: Lang) {
    let Some(text) = notice.text(lang).map(str::to_string) else { return };
    let ctx = root.ctx().clone();
    let width = (ctx.content_rect().width() - 40.0).max(200.0);
    egui::Area::new(egui::Id::new("notice"))
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -12.0))
        .show(&ctx, |ui| {
            egui::Frame::new()
                .fill(palette::WARN_SOFT)
                .stroke(egui::Stroke::new(2.0, palette::WARN))
                .corner_radius(10)
                .inner_margin(egui::Margin::symmetric(18, 8))
                .shadow(egui::epaint::Shadow { offset: [0, 2], blur: 10, spread: 0, color: egui::Color32::from_black_alpha(40) })
                .show(ui, |ui| {
                    ui.set_width(width - 36.0);
                    ui.horizontal(|ui| {
                        let ok = t(lang, "知道了", "OK");
                        let button_w = text_width(ui, &RichText::new(ok)) + 2.0 * ui.spacing().button_padding.x + ui.spacing().item_spacing.x;
                        ui.vertical(|ui| {
                            ui.set_max_width(ui.available_width() - button_w);
                            super::theme::widgets::para(ui, RichText::new(format!("⚠ {text}")).color(palette::WARN));
                        });
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui.button(ok).clicked() {
                                notice.0 = None;
                            }
                        });
                    });
                });
        });
}
