//! Staying idle when nothing moves, animating only while something does, and the start-up
//! measurement. Shared with `examples/bare_egui.rs` so both are measured the same way.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bevy::diagnostic::FrameCount;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{EventLoopProxyWrapper, UpdateMode, WinitSettings, WinitUserEvent};
use bevy_egui::{EguiContext, EguiInput, EguiPreUpdateSet, egui};

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
        app.insert_resource(idle())
            .init_resource::<Animate>()
            .init_resource::<RepaintAfter>()
            .add_systems(PreUpdate, drop_unchanged_modifiers.after(EguiPreUpdateSet::ProcessInput).before(EguiPreUpdateSet::BeginPass))
            .add_systems(First, reset_animate)
            .add_systems(Last, (hook_repaint_requests, pace_animation, report_first_frame, log_fps).chain());
    }
}

/// Idle: a frame only on input, a wake-up from another thread, or a repaint egui asked for.
///
/// Not `WinitSettings::desktop_app()`: that also wakes every 5 s (every 60 s unfocused), which
/// under software rendering cost a ~100 ms frame each time (2 % CPU on an idle start screen,
/// issue 10). Nothing in the app waits for such a tick: countdowns and the ringing phone set
/// [`Animate`], the authoring watcher wakes the loop itself, and egui's delayed repaints (a
/// tooltip's delay) are honoured through [`RepaintAfter`].
pub fn idle() -> WinitSettings {
    WinitSettings { focused_mode: UpdateMode::reactive(Duration::MAX), unfocused_mode: UpdateMode::reactive_low_power(Duration::MAX) }
}

/// The earliest repaint egui asked for with a delay (bevy_egui 0.42 only wakes the loop for
/// immediate repaints).
#[derive(Resource, Clone, Default)]
pub struct RepaintAfter(Arc<Mutex<Option<Instant>>>);

impl RepaintAfter {
    /// Remember a repaint wanted `delay` from now (the earliest wins).
    pub fn request(&self, delay: Duration) {
        let Some(at) = Instant::now().checked_add(delay) else { return };
        if let Ok(mut next) = self.0.lock() {
            *next = Some(next.map_or(at, |n| n.min(at)));
        }
    }

    /// How long until the wanted repaint; `None` when none is wanted. A repaint that is due now
    /// is forgotten (this frame is it).
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        let mut next = self.0.lock().ok()?;
        match *next {
            Some(at) if at > now => Some(at - now),
            _ => {
                *next = None;
                None
            }
        }
    }
}

/// Replace bevy_egui's repaint callback (it wakes the loop for immediate repaints only) with one
/// that also remembers delayed ones. Runs after bevy_egui set its own on the new context.
fn hook_repaint_requests(mut contexts: Query<&mut EguiContext, Added<EguiContext>>, proxy: Option<Res<EventLoopProxyWrapper>>, after: Res<RepaintAfter>) {
    let Some(proxy) = proxy else { return };
    for mut ctx in &mut contexts {
        let (proxy, after) = ((**proxy).clone(), after.clone());
        ctx.get_mut().set_request_repaint_callback(move |info| {
            if info.delay.is_zero() {
                let _ = proxy.send_event(WinitUserEvent::WakeUp);
            } else {
                after.request(info.delay);
            }
        });
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

/// While something moves, wake up every [`ANIMATION_FRAME`]; when egui wants a repaint later,
/// then; otherwise only on input.
fn pace_animation(animate: Res<Animate>, after: Res<RepaintAfter>, mut winit: ResMut<WinitSettings>) {
    let wait = if animate.0 { Some(ANIMATION_FRAME) } else { after.wait(Instant::now()).map(|w| w.max(Duration::from_millis(1))) };
    let wanted = match wait {
        Some(w) => WinitSettings { focused_mode: UpdateMode::reactive(w), unfocused_mode: UpdateMode::reactive(w) },
        None => idle(),
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

/// `KEFU_LOG_FPS=1`: print the frames drawn in each second (to check idling and pacing), and
/// the size of egui's font atlas (to watch memory: every glyph at every size lands there).
fn log_fps(time: Res<Time<Real>>, mut contexts: Query<&mut EguiContext>, mut last: Local<(f64, u32)>) {
    if std::env::var_os("KEFU_LOG_FPS").is_none() {
        return;
    }
    let now = time.elapsed_secs_f64();
    last.1 += 1;
    if now - last.0 >= 1.0 {
        let atlas = contexts.iter_mut().next().map(|mut c| c.get_mut().fonts(|f| (f.font_image_size(), f.font_atlas_fill_ratio(), f.num_galleys_in_cache())));
        match atlas {
            Some(([w, h], fill, galleys)) => println!("fps {} at {now:.1}s; font atlas {w}×{h} ({:.0} % full), {galleys} text layouts cached", last.1, fill * 100.0),
            None => println!("fps {} at {now:.1}s", last.1),
        }
        *last = (now, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 10: idle means no timer at all (desktop_app() woke every 5 s).
    #[test]
    fn idle_never_wakes_by_itself() {
        let s = idle();
        for mode in [s.focused_mode, s.unfocused_mode] {
            match mode {
                UpdateMode::Reactive { wait, .. } => assert_eq!(wait, Duration::MAX),
                UpdateMode::Continuous => panic!("idle must not run continuously"),
            }
        }
    }

    #[test]
    fn a_delayed_repaint_is_waited_for_once() {
        let after = RepaintAfter::default();
        let now = Instant::now();
        assert_eq!(after.wait(now), None);
        after.request(Duration::from_millis(500));
        after.request(Duration::from_secs(3));
        let w = after.wait(now).expect("a repaint is wanted");
        assert!(w > Duration::from_millis(400) && w < Duration::from_secs(1), "the earliest wins: {w:?}");
        // Once due it is forgotten: no more wake-ups after it.
        assert_eq!(after.wait(now + Duration::from_secs(1)), None);
        assert_eq!(after.wait(now + Duration::from_secs(5)), None);
    }
}
