//! A bare bevy_egui window built with the same features as the app (placeholder).
fn main() {}
