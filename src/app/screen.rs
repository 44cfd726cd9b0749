//! The [`Screen`] state: which page is shown. Shared: every feature moves between screens by
//! setting it; nothing here knows what a screen draws.

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_state::prelude::*;

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

/// Where Settings goes back to.
#[derive(Resource, Default)]
pub struct SettingsReturn(pub Screen);

/// Logic side: the state itself.
pub(super) fn plugin(app: &mut App) {
    if !app.is_plugin_added::<bevy_state::app::StatesPlugin>() {
        app.add_plugins(bevy_state::app::StatesPlugin);
    }
    app.init_state::<Screen>().init_resource::<SettingsReturn>();
}

/// A state change waits for the next frame: ask for it.
pub(super) fn redraw_on_pending_transition(next: Res<NextState<Screen>>, mut redraw: MessageWriter<RequestRedraw>) {
    if !matches!(*next, NextState::Unchanged) {
        redraw.write(RequestRedraw);
    }
}
