//! `KEFU_SCRIPTED=<folder>`: walk through every screen for the screenshot script (stub).

use bevy::prelude::*;

pub(super) fn plugin(_app: &mut App) {}
