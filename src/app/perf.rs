//! Staying idle when nothing moves, animating only while something does, and the start-up
//! measurement. Shared with `examples/bare_egui.rs` so both are measured the same way.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bevy::diagnostic::FrameCount;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiInput, EguiPreUpdateSet, egui};

/// Set to true by a screen, every frame something moves (a ringing phone, a countdown).
#[derive(Resource, Default)]
pub struct Animate(pub bool);

/// Frame interval while animating (20 fps: smooth enough for a ringing phone and a countdown
/// bar, and cheap on lab PCs that render in software).
pub const ANIMATION_FRAME: Duration = Duration::from_millis(50);

/// Reactive updates (no frames while idle), the modifier-event fix, animation on demand.
pub struct IdlePlugin;

impl Plugin for IdlePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(WinitSettings::desktop_app())
            .init_resource::<Animate>()
            .add_systems(PreUpdate, drop_unchanged_modifiers.after(EguiPreUpdateSet::ProcessInput).before(EguiPreUpdateSet::BeginPass))
            .add_systems(First, reset_animate)
            .add_systems(Last, (pace_animation, report_first_frame, log_fps));
    }
}

/// bevy_egui pushes `ModifiersChanged` into egui's input every frame; egui takes any event as a
/// reason to repaint, so a reactive app never idles. Drop the event when nothing changed (egui
/// keeps the last modifiers between passes).
pub fn drop_unchanged_modifiers(mut inputs: Query<&mut EguiInput>, mut last: Local<Option<egui::Modifiers>>) {
    for mut input in &mut inputs {
        input.events.retain(|e| match e {
            egui::Event::ModifiersChanged(m) => {
                let changed = last.as_ref() != Some(m);
                *last = Some(*m);
                changed
            }
            _ => true,
        });
    }
}

fn reset_animate(mut animate: ResMut<Animate>) {
    animate.0 = false;
}

/// While something moves, wake up every [`ANIMATION_FRAME`]; otherwise only on input.
fn pace_animation(animate: Res<Animate>, mut winit: ResMut<WinitSettings>) {
    let wanted = if animate.0 {
        WinitSettings { focused_mode: UpdateMode::reactive(ANIMATION_FRAME), unfocused_mode: UpdateMode::reactive(ANIMATION_FRAME) }
    } else {
        WinitSettings::desktop_app()
    };
    if winit.focused_mode != wanted.focused_mode || winit.unfocused_mode != wanted.unfocused_mode {
        *winit = wanted;
    }
}

/// `KEFU_FIRST_FRAME=1`: print the wall-clock time (ns since the Unix epoch) when the third
/// frame has been presented (the first with the UI fonts in place), then exit. Scripts compare
/// it with the time they started the program.
pub fn report_first_frame(frames: Res<FrameCount>, mut exit: MessageWriter<AppExit>, mut redraw: MessageWriter<RequestRedraw>, mut done: Local<bool>) {
    if *done || std::env::var_os("KEFU_FIRST_FRAME").is_none() {
        return;
    }
    // FrameCount is bumped in Last after this system; 3 means three frames were rendered.
    if frames.0 >= 3 {
        let ns = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        println!("first-frame-ns {ns}");
        *done = true;
        exit.write(AppExit::Success);
    } else {
        redraw.write(RequestRedraw);
    }
}

/// `KEFU_LOG_FPS=1`: print the frames drawn in each second (to check idling and pacing).
fn log_fps(time: Res<Time<Real>>, mut last: Local<(f64, u32)>) {
    if std::env::var_os("KEFU_LOG_FPS").is_none() {
        return;
    }
    let now = time.elapsed_secs_f64();
    last.1 += 1;
    if now - last.0 >= 1.0 {
        println!("fps {} at {now:.1}s", last.1);
        *last = (now, 0);
    }
}
