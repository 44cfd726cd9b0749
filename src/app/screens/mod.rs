//! The screens: a [`Screen`] state, one plugin per screen file. Each file's `plugin` adds only
//! drawing (egui) systems; the logic they trigger lives in `bridge` and runs headless too.

mod authoring;
mod briefing;
mod library;
pub mod play;
mod results;
mod review;
mod settings;
mod start;
mod teacher;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_egui::egui::{self, LayerId, RichText, Ui, UiBuilder};
use bevy_state::prelude::*;

use super::bridge::{Intent, Notice};
use super::settings::Settings;
use super::theme::palette;
use super::theme::widgets::t;
use crate::scenario::Lang;

#[derive(States, Default, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// Who is playing, and the language.
    #[default]
    Start,
    /// Scenarios grouped by course project and task.
    Library,
    /// 任务情境, objectives, the student's role.
    Briefing,
    Play,
    Results,
    /// The student's path beside the expert's.
    Review,
    /// Teacher settings.
    Settings,
    /// Teacher view: grades, class overview, grade-sheet export.
    Teacher,
    /// Authoring mode: a folder's scenario files, their diagnostics and analysis, trial runs.
    Authoring,
}

/// Logic side: the state itself (used headless).
pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>();
}

/// Drawing side: every screen's egui system.
pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins((start::plugin, library::plugin, briefing::plugin, play::plugin, results::plugin, review::plugin, settings::plugin, teacher::plugin, authoring::plugin))
        .add_systems(Last, (redraw_on_pending_transition, redraw_on_intent));
}

/// Sends intents; [`redraw_on_intent`] wakes the reactive loop so they are applied at once.
/// (It holds no `RequestRedraw` writer, so a drawing system may have its own beside it.)
#[derive(SystemParam)]
pub struct Send<'w> {
    intents: MessageWriter<'w, Intent>,
}

impl Send<'_> {
    pub fn send(&mut self, intent: Intent) {
        self.intents.write(intent);
    }

    pub fn send_all(&mut self, intents: Vec<Intent>) {
        for i in intents {
            self.send(i);
        }
    }
}

/// Fill the start screen's fields (the scripted walk-through types this way).
pub fn start_form_fill(world: &mut World, id: &str, name: &str) {
    let mut f = world.resource_mut::<start::StartForm>();
    f.id = id.to_string();
    f.name = name.to_string();
}

/// An intent sent while drawing is applied in the next frame: ask for it.
fn redraw_on_intent(mut intents: MessageReader<Intent>, mut redraw: MessageWriter<RequestRedraw>) {
    if intents.read().count() > 0 {
        redraw.write(RequestRedraw);
    }
}

/// A state change waits for the next frame: ask for it.
fn redraw_on_pending_transition(next: Res<NextState<Screen>>, mut redraw: MessageWriter<RequestRedraw>) {
    if !matches!(*next, NextState::Unchanged) {
        redraw.write(RequestRedraw);
    }
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
    let mut out = Vec::new();
    let mut ui = root(ctx);
    top_bar(&mut ui, settings, &mut out, |_, _| {});
    notice_bar(&mut ui, notice, settings.lang);
    central(&mut ui, |ui| body(ui, &mut out));
    out
}

/// The top bar: app name, the student, language switch, settings; `extra` adds screen buttons.
pub fn top_bar(root: &mut Ui, settings: &Settings, out: &mut Vec<Intent>, extra: impl FnOnce(&mut Ui, &mut Vec<Intent>)) {
    let lang = settings.lang;
    egui::Panel::top("top-bar")
        .frame(egui::Frame::new().fill(palette::PANEL).inner_margin(egui::Margin::symmetric(20, 10)).stroke(egui::Stroke::new(1.0, palette::LINE)))
        .show(root, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(t(lang, "客服实训", "Kefu")).size(26.0).strong().color(palette::PRIMARY));
                ui.label(RichText::new(t(lang, "《物流客户服务》", "Logistics Customer Service")).color(palette::MUTED));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let other = match lang {
                        Lang::Zh => (Lang::En, "English"),
                        Lang::En => (Lang::Zh, "中文"),
                    };
                    if ui.button(other.1).clicked() {
                        out.push(Intent::SetLang(other.0));
                    }
                    if !settings.student_name.is_empty() {
                        ui.label(RichText::new(format!("{}（{}）", settings.student_name, settings.student_id)).strong());
                    }
                    extra(ui, out);
                });
            });
        });
}

/// The notice bar (a file that could not be written…), dismissable.
pub fn notice_bar(root: &mut Ui, notice: &mut Notice, lang: Lang) {
    let Some(text) = notice.0.clone() else { return };
    egui::Panel::bottom("notice")
        .frame(egui::Frame::new().fill(palette::WARN_SOFT).inner_margin(egui::Margin::symmetric(20, 8)))
        .show(root, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("⚠ {text}")).color(palette::WARN));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(t(lang, "知道了", "OK")).clicked() {
                        notice.0 = None;
                    }
                });
            });
        });
}
