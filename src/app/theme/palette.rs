//! Colours: a light, high-contrast scheme that stays readable on classroom projectors.

use bevy::prelude::Color;
use bevy_egui::egui::Color32;

pub const BG_BEVY: Color = Color::srgb(0.957, 0.965, 0.980);
pub const BG: Color32 = Color32::from_rgb(244, 246, 250);
pub const PANEL: Color32 = Color32::WHITE;
pub const TEXT: Color32 = Color32::from_rgb(17, 24, 39);
pub const MUTED: Color32 = Color32::from_rgb(75, 85, 99);
pub const LINE: Color32 = Color32::from_rgb(209, 213, 219);
pub const PRIMARY: Color32 = Color32::from_rgb(29, 78, 216);
pub const PRIMARY_SOFT: Color32 = Color32::from_rgb(219, 234, 254);
pub const GOOD: Color32 = Color32::from_rgb(21, 128, 61);
pub const GOOD_SOFT: Color32 = Color32::from_rgb(220, 252, 231);
pub const WARN: Color32 = Color32::from_rgb(180, 83, 9);
pub const WARN_SOFT: Color32 = Color32::from_rgb(254, 243, 199);
pub const BAD: Color32 = Color32::from_rgb(185, 28, 28);
pub const BAD_SOFT: Color32 = Color32::from_rgb(254, 226, 226);
/// The keyboard focus ring (near black: 17:1 on white, with a white inner edge on blue).
pub const FOCUS: Color32 = Color32::from_rgb(17, 24, 39);

/// A stable colour per speaker (portrait circles).
pub fn for_key(key: &str) -> Color32 {
    const CHOICES: [Color32; 6] = [
        Color32::from_rgb(37, 99, 235),
        Color32::from_rgb(5, 150, 105),
        Color32::from_rgb(217, 119, 6),
        Color32::from_rgb(147, 51, 234),
        Color32::from_rgb(219, 39, 119),
        Color32::from_rgb(8, 145, 178),
    ];
    let h = key.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    CHOICES[(h as usize) % CHOICES.len()]
}

/// A grade level's colour, 0 = the best level as the core numbers them from the rubric (the
/// Report's and the grade sheet's `grade_level`); `None` (no grade yet) is muted.
pub fn grade_color(level: Option<usize>) -> Color32 {
    match level {
        Some(0) => GOOD,
        Some(1) => Color32::from_rgb(22, 101, 52),
        Some(2) => PRIMARY,
        Some(3) => WARN,
        Some(_) => BAD,
        None => MUTED,
    }
}
