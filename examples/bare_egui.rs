//! A bare bevy_egui window built with the app's features (same bevy, same bevy_egui, same
//! reactive update mode and idle fix), for comparison measurements of the student app:
//! time to first frame, idle CPU and memory.
//!
//! `cargo run --release --example bare_egui` shows one label in egui's own fonts.
//! `KEFU_FIRST_FRAME=1` prints `first-frame-ns <wall clock>` after three frames and exits,
//! exactly as `kefu` does (see `kefu::app::perf`). `BARE_EGUI_NO_FIX=1` leaves out the
//! modifier-event fix, to show what it saves.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

fn main() {
    let mut app = App::new();
    // The app's renderer start-up (kefu::app::render: the display handed to wgpu, so OpenGL works).
    app.add_plugins(kefu::app::render::default_plugins(DefaultPlugins.build()).set(WindowPlugin {
        primary_window: Some(Window { title: "bare bevy_egui".into(), resolution: (1280, 800).into(), ..default() }),
        ..default()
    }))
    .add_plugins(EguiPlugin::default())
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    })
    .add_systems(EguiPrimaryContextPass, ui);
    if std::env::var_os("BARE_EGUI_NO_FIX").is_some() {
        app.insert_resource(bevy::winit::WinitSettings::desktop_app());
        app.add_plugins(FirstFrameOnly);
    } else {
        app.add_plugins(kefu::app::perf::IdlePlugin);
    }
    app.run();
}

/// Only the first-frame report of `IdlePlugin`, without its idle fix.
struct FirstFrameOnly;

impl Plugin for FirstFrameOnly {
    fn build(&self, app: &mut App) {
        app.init_resource::<kefu::app::perf::Animate>().add_systems(Last, kefu::app::perf::report_first_frame);
    }
}

fn ui(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let builder = egui::UiBuilder::new().layer_id(egui::LayerId::background()).max_rect(ctx.viewport_rect());
    egui::CentralPanel::default().show(&mut egui::Ui::new(ctx, "root".into(), builder), |ui| {
        ui.heading("bare bevy_egui");
        ui.label("One label, egui's default fonts.");
    });
    Ok(())
}
