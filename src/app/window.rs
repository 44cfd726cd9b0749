//! The window fits the screen it opens on: maximised (the window manager then gives it the work
//! area, above the taskbar), and never larger than the monitor where there is no window manager
//! to maximise it (a 1024×768 lab screen, Xvfb).

use bevy::prelude::*;
use bevy::window::{Monitor, OnMonitor, PrimaryMonitor, PrimaryWindow, WindowResizeConstraints};

/// The size asked for before the monitor is known (and when the window is restored).
pub const PREFERRED: (u32, u32) = (1280, 800);

/// Below this the layouts stop being usable; 800×600 still leaves room for a taskbar on the
/// smallest lab screens (1024×768 is what the layouts are made for).
pub const MIN: (f32, f32) = (800.0, 600.0);

/// The primary window as it is created.
pub fn primary() -> Window {
    Window {
        title: "客服实训 Kefu — 物流客户服务".into(),
        resolution: PREFERRED.into(),
        position: WindowPosition::Centered(MonitorSelection::Primary),
        resize_constraints: WindowResizeConstraints { min_width: MIN.0, min_height: MIN.1, ..default() },
        ..default()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, fit_to_monitor);
}

/// The logical size to give a window of logical size `window` on a monitor of `physical` pixels
/// at `scale` (pixels per logical pixel): `None` when it fits already, else the whole monitor.
/// The whole monitor, not just the side that overflows: on a 1366×768 screen a 1280×768 window
/// left a strip beside it where no window manager maximised it (issue 10).
pub fn fit(window: Vec2, physical: UVec2, scale: f64) -> Option<Vec2> {
    let scale = if scale.is_finite() && scale > 0.0 { scale as f32 } else { 1.0 };
    let screen = physical.as_vec2() / scale;
    (window.x > screen.x || window.y > screen.y).then_some(screen)
}

/// Once the window and its monitor are known: shrink it to the monitor if it is larger, then ask
/// for it maximised.
fn fit_to_monitor(
    mut windows: Query<(&mut Window, Option<&OnMonitor>), With<PrimaryWindow>>,
    monitors: Query<&Monitor>,
    primary: Query<&Monitor, With<PrimaryMonitor>>,
    mut done: Local<bool>,
) {
    if *done {
        return;
    }
    let Ok((mut window, on)) = windows.single_mut() else { return };
    let Some(monitor) = on.and_then(|m| monitors.get(m.0).ok()).or_else(|| primary.single().ok()) else { return };
    let size = Vec2::new(window.resolution.width(), window.resolution.height());
    if let Some(to) = fit(size, monitor.physical_size(), monitor.scale_factor) {
        info!("window {size} does not fit the {}×{} monitor: {to}", monitor.physical_width, monitor.physical_height);
        window.resolution.set(to.x, to.y);
        window.position = WindowPosition::At(monitor.physical_position);
    }
    window.set_maximized(true);
    *done = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_larger_than_the_screen_is_fitted_to_it() {
        let preferred = Vec2::new(1280.0, 800.0);
        assert_eq!(fit(preferred, UVec2::new(1024, 768), 1.0), Some(Vec2::new(1024.0, 768.0)));
        assert_eq!(fit(preferred, UVec2::new(1366, 768), 1.0), Some(Vec2::new(1366.0, 768.0)));
        assert_eq!(fit(preferred, UVec2::new(1920, 1080), 1.0), None);
        // A 2560×1600 laptop at 200 %: 1280×800 logical, fits exactly.
        assert_eq!(fit(preferred, UVec2::new(2560, 1600), 2.0), None);
        assert_eq!(fit(preferred, UVec2::new(2560, 1440), 2.0), Some(Vec2::new(1280.0, 720.0)));
    }
}
