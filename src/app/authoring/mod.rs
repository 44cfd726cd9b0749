//! Authoring mode (issue 6), the logic: a folder of scenario files with their diagnostics, hot
//! reload by polling the files' modification times, the analysis and the audit (`kefu audit`) of
//! the selected file, and trial runs ("play from this node") in the app's normal play screen.
//!
//! No egui here: `tests/app_authoring.rs` drives it headless with [`AuthorIntent`]s, the same
//! messages the authoring screen (`view.rs`, `map_view.rs`) sends.
//!
//! Polling happens only while the authoring screen or a trial run is on screen. The app keeps its
//! idle settings (no frames without input) even then: a small thread looks at the files' sizes
//! and modification times every [`POLL`] and wakes the window only when one changed; the frame
//! that follows reloads. Headless (no window to wake) the frames themselves poll every [`POLL`].

pub mod map_view;
pub mod view;
mod editor;
mod trial;
mod watch;

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use bevy::ecs::message::Messages;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use bevy_state::prelude::*;
use serde::{Deserialize, Serialize};

use crate::app::attempt::{Active, Attempt, Draft, Feedback, Finished, Outcome, TrialRun};
use crate::app::intent::Intent;
use crate::app::lock::Lock;
use crate::app::screen::Screen;
use crate::app::settings::{AppPaths, Settings};
use crate::records::{AttemptRecord, Player};
use crate::analysis::map::{self, Map};
use crate::analysis::{self, Analysis};
use crate::scenario::ranges::NodeRanges;
use crate::scenario::{Diagnostic, Lang, Loaded, Node, Scenario, Text, check_file, find_scenario_files};
use crate::scoring::Scorer;
use crate::scoring::audit::{Audit, audit};
use crate::session::{Session, SessionError};

use editor::open_in_editor;
use trial::{carry_over, end_trial, start_trial, trial_left_to_library};
use watch::{Watch, manage_watcher};

/// How often the files are looked at while authoring mode is on screen (and how often the
/// window wakes up for it). A save in an editor shows within this plus the reload itself.
pub const POLL: Duration = Duration::from_millis(400);

/// What the authoring screen asks for (tests send the same).
#[derive(Message, Clone, Debug, PartialEq)]
pub enum AuthorIntent {
    /// Open authoring mode (the settings screen's button): the remembered folder, else the
    /// teacher's scenario folder from the settings, else the app's `scenarios/` folder.
    Enter,
    /// Show this folder's scenario files, and remember it.
    Open(PathBuf),
    /// Check every file again now.
    Reload,
    /// Show this file's analysis and nodes.
    Select(PathBuf),
    /// Play the selected file in the play screen, from this node (`None`: from its start).
    PlayFrom(Option<String>),
    /// End the trial run, back to the authoring screen.
    BackToAuthoring,
    /// Show the selected file's overview (analysis, audit) or its map.
    Show(View),
    /// Select a node on the map (its diagnostics, source line and "play from here"), or none.
    MapSelect(Option<String>),
    /// Open the selected file in the system's text editor at this line.
    OpenInEditor(usize),
    /// Leave authoring mode (back to the settings).
    Leave,
}

/// What the selected file's side shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Overview,
    Map,
}

/// Size and modification time: a save in any editor changes at least one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp { modified: m.modified().ok(), len: m.len() })
}

/// One scenario file of the folder, as last read.
#[derive(Clone, Debug)]
pub struct FileState {
    pub path: PathBuf,
    /// The path below the folder, for display.
    pub name: String,
    /// `None` when the file could not be read or parsed.
    pub loaded: Option<Loaded>,
    pub diagnostics: Vec<Diagnostic>,
    stamp: Option<Stamp>,
}

impl FileState {
    fn read(folder: &Path, path: &Path) -> FileState {
        let stamp = stamp(path);
        let (loaded, diagnostics) = check_file(path);
        let name = path.strip_prefix(folder).unwrap_or(path).display().to_string();
        FileState { path: path.to_path_buf(), name, loaded, diagnostics, stamp }
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Loaded without errors: can be analysed and played.
    pub fn playable(&self) -> Option<&Loaded> {
        self.loaded.as_ref().filter(|_| self.errors() == 0)
    }
}

/// An ending node, for the analysis.
#[derive(Clone, Debug)]
pub struct EndingInfo {
    pub id: String,
    pub success: bool,
    pub outcome: Text,
}

/// The selected file, analysed.
#[derive(Clone, Debug)]
pub struct Study {
    pub path: PathBuf,
    pub hash: String,
    pub title: Text,
    pub id: String,
    pub start: String,
    pub analysis: Analysis,
    /// Every node: id and kind (`Choice`, `Line`…), in file order.
    pub nodes: Vec<(String, &'static str)>,
    pub endings: Vec<EndingInfo>,
    /// `kefu audit` for this file: strategy bots over [`AUDIT_SEEDS`] seeds, the expert path
    /// with each single critical error, and the warnings (issue 9).
    pub audit: Audit,
    /// How long the analysis and the audit took (big files: shown so a slow reload has a reason).
    pub took: Duration,
    /// Points reachable at each node (the map's hover).
    pub node_ranges: NodeRanges,
}

/// Seeds per strategy bot in the authoring screen's audit (`kefu audit`'s default).
pub const AUDIT_SEEDS: u64 = 50;

impl Study {
    fn of(loaded: &Loaded) -> Study {
        let t0 = std::time::Instant::now();
        let sc = &loaded.scenario;
        // One exploration of the states for the analysis and the map's per-node points (the
        // ranges are kept with the scenario; the analysis and the audit's scorer use them).
        let (_, node_ranges) = crate::scenario::ranges::ranges_and_node_ranges(sc);
        let analysis = analysis::analyze(sc);
        // Once per load or reload of the file, never per frame (50 seeds: well under a second).
        let audit = audit(sc, AUDIT_SEEDS);
        Study {
            node_ranges,
            path: loaded.path.clone(),
            hash: loaded.hash.clone(),
            title: sc.title.clone(),
            id: sc.id.clone(),
            start: sc.start_id().unwrap_or_default().to_string(),
            analysis,
            nodes: sc.nodes.iter().map(|n| (n.id().to_string(), n.kind())).collect(),
            endings: sc
                .nodes
                .iter()
                .filter_map(|n| match n {
                    Node::Ending(e) => Some(EndingInfo { id: e.id.clone(), success: e.success, outcome: e.outcome.clone() }),
                    _ => None,
                })
                .collect(),
            audit,
            took: t0.elapsed(),
        }
    }
}

/// What a reload did to a trial run, in both languages.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub text: Text,
    /// Something the author should look at (an error, answers dropped, a restart).
    pub warn: bool,
}

impl Note {
    fn ok(zh: String, en: String) -> Note {
        Note { text: Text::new(zh, en), warn: false }
    }

    fn warn(zh: impl Into<String>, en: impl Into<String>) -> Note {
        Note { text: Text::new(zh, en), warn: true }
    }
}

/// A teacher's trial run of one file, played in the normal play screen.
#[derive(Debug)]
pub struct Trial {
    pub path: PathBuf,
    /// The node the run started at (`None`: the scenario's start).
    pub from: Option<String>,
    pub seed: u64,
    /// What the last reload of the file did to the run (shown over the play screen).
    pub note: Option<Note>,
    /// Reloads applied to the run.
    pub reloads: u32,
    /// The attempt and results that were there before the trial, put back afterwards.
    stash: Box<(Option<Active>, Option<Finished>)>,
}

/// Authoring mode's state.
#[derive(Resource, Default)]
pub struct Authoring {
    /// The folder shown (empty until authoring mode is first opened).
    pub folder: PathBuf,
    /// Why the folder cannot be listed (missing, not a folder…).
    pub folder_problem: Option<String>,
    /// Every `.ron` file below the folder, sorted.
    pub files: Vec<FileState>,
    pub selected: Option<PathBuf>,
    pub study: Option<Study>,
    /// The selected file as a map (also when it has errors, if it could be read): the file's
    /// hash it was built from, and the map.
    pub map: Option<(PathBuf, String, Map)>,
    pub view: View,
    /// The node selected on the map.
    pub map_node: Option<String>,
    /// What the last "open in editor" did.
    pub editor_note: Option<Note>,
    pub trial: Option<Trial>,
    /// Reloads that found a changed file (tests and the screen's "reloaded at" line).
    pub reloads: u64,
    /// Files changed at the last reload, and when (`Time<Real>` elapsed).
    pub last_reload: Option<(Duration, Vec<String>)>,
    /// How long the last poll and the last reload took.
    pub poll_cost: Duration,
    pub reload_cost: Duration,
    last_poll: Option<Duration>,
    /// Frames still to draw after a reload (new text needs new glyphs, shown a frame later).
    redraws: u8,
}

impl Authoring {
    pub fn file(&self, path: &Path) -> Option<&FileState> {
        self.files.iter().find(|f| f.path == path)
    }

    pub fn selected_file(&self) -> Option<&FileState> {
        self.selected.as_deref().and_then(|p| self.file(p))
    }

    /// Look at the folder: read new and changed files, drop removed ones. Returns the paths
    /// that changed (new, changed or removed).
    fn refresh(&mut self) -> Vec<PathBuf> {
        let folder = self.folder.clone();
        if !folder.is_dir() {
            let problem = if folder.exists() { "not a folder" } else { "not found" };
            self.folder_problem = Some(format!("{}: {problem}", folder.display()));
            let gone = self.files.drain(..).map(|f| f.path).collect();
            return gone;
        }
        self.folder_problem = None;
        let paths = match find_scenario_files(std::slice::from_ref(&folder)) {
            Ok(p) => p,
            Err(e) => {
                self.folder_problem = Some(format!("{}: {e}", folder.display()));
                return Vec::new();
            }
        };
        let mut changed = Vec::new();
        let mut files = Vec::with_capacity(paths.len());
        let mut old: Vec<FileState> = std::mem::take(&mut self.files);
        for p in paths {
            let now = stamp(&p);
            match old.iter().position(|f| f.path == p) {
                Some(i) if old[i].stamp == now && now.is_some() => files.push(old.swap_remove(i)),
                Some(i) => {
                    old.swap_remove(i);
                    files.push(FileState::read(&folder, &p));
                    changed.push(p);
                }
                None => {
                    files.push(FileState::read(&folder, &p));
                    changed.push(p);
                }
            }
        }
        changed.extend(old.into_iter().map(|f| f.path));
        self.files = files;
        changed
    }

    /// Analyse the selected file again (or drop the analysis when it no longer loads cleanly).
    fn restudy(&mut self) {
        let loaded = self.selected_file().and_then(FileState::playable).cloned();
        self.study = match loaded {
            Some(l) if self.study.as_ref().is_some_and(|s| s.path == l.path && s.hash == l.hash) => self.study.take(),
            Some(l) => Some(Study::of(&l)),
            None => None,
        };
        self.remap();
    }

    /// Build the selected file's map again when the file changed (from the study's analysis
    /// when it has one; from the arrows alone when the file has errors).
    fn remap(&mut self) {
        let Some(f) = self.selected_file() else {
            self.map = None;
            return;
        };
        let Some(loaded) = f.loaded.as_ref() else {
            self.map = None;
            return;
        };
        if self.map.as_ref().is_some_and(|(p, h, _)| *p == f.path && *h == loaded.hash) {
            return;
        }
        let study = self.study.as_ref().filter(|s| s.path == f.path && s.hash == loaded.hash);
        let map = map::build(loaded, study.map(|s| &s.analysis), study.map(|s| &s.node_ranges), &f.diagnostics);
        let key = (f.path.clone(), loaded.hash.clone());
        if self.map_node.as_ref().is_some_and(|id| map.node(id).is_none()) {
            self.map_node = None;
        }
        self.map = Some((key.0, key.1, map));
    }

    /// The selected file's map, when it is the one shown.
    pub fn shown_map(&self) -> Option<&Map> {
        let sel = self.selected.as_deref()?;
        self.map.as_ref().filter(|(p, _, _)| p == sel).map(|(_, _, m)| m)
    }
}

/// The folder authoring mode remembers (`authoring.ron` beside `settings.ron`).
#[derive(Serialize, Deserialize, Default)]
struct Remembered {
    folder: Option<PathBuf>,
}

fn remembered_file(paths: &AppPaths) -> PathBuf {
    paths.settings_file.with_file_name("authoring.ron")
}

fn remembered_folder(paths: &AppPaths) -> Option<PathBuf> {
    let (r, _) = crate::app::settings::load_ron::<Remembered>(&remembered_file(paths));
    r.folder.filter(|f| !f.as_os_str().is_empty())
}

fn remember(paths: &AppPaths, folder: &Path) -> std::io::Result<()> {
    crate::app::settings::save_ron(&remembered_file(paths), &Remembered { folder: Some(folder.to_path_buf()) })
}

/// The folder authoring mode opens with.
pub fn default_folder(paths: &AppPaths, settings: &Settings) -> PathBuf {
    if let Some(f) = remembered_folder(paths) {
        return f;
    }
    if let Some(d) = settings.scenario_dir.as_ref().filter(|d| !d.as_os_str().is_empty()) {
        return d.clone();
    }
    paths
        .scenario_dirs
        .iter()
        .find(|d| d.is_dir())
        .or(paths.scenario_dirs.first())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("scenarios"))
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<AuthorIntent>()
        .init_resource::<Authoring>()
        .init_resource::<Watch>()
        .init_resource::<TrialRun>()
        .add_systems(Update, (apply_intents, poll.run_if(polling), mirror_trial).chain())
        .add_systems(OnEnter(Screen::Authoring), open_default_folder)
        .add_systems(OnEnter(Screen::Library), trial_left_to_library)
        .add_systems(Last, (manage_watcher, redraw_after_reload));
}

/// Tell the shared [`TrialRun`] whether a trial run is under way (the teacher lock reads it).
fn mirror_trial(authoring: Res<Authoring>, mut trial: ResMut<TrialRun>) {
    let on = authoring.trial.is_some();
    if trial.0 != on {
        trial.0 = on;
    }
}

/// A reload changes what is shown without any input: draw a few frames (the reactive loop
/// would otherwise wait for the mouse, and glyphs new to the font atlas appear a frame late).
fn redraw_after_reload(mut authoring: ResMut<Authoring>, redraw: Option<ResMut<Messages<RequestRedraw>>>) {
    if authoring.redraws == 0 {
        return;
    }
    authoring.redraws -= 1;
    if let Some(mut r) = redraw {
        r.write(RequestRedraw);
    }
}

/// The authoring screen is shown, or a trial run is being played.
pub fn polling(state: Res<State<Screen>>, authoring: Res<Authoring>) -> bool {
    match state.get() {
        Screen::Authoring => true,
        Screen::Play => authoring.trial.is_some(),
        _ => false,
    }
}

/// Open `folder`: list and check its files, select the first (or keep the selection).
fn open(authoring: &mut Authoring, folder: PathBuf) {
    // Shown in full: a relative `scenarios` says little about where it is.
    let folder = std::path::absolute(&folder).unwrap_or(folder);
    if authoring.folder != folder {
        authoring.files.clear();
        authoring.study = None;
        authoring.folder = folder;
    }
    authoring.refresh();
    let keep = authoring.selected.as_deref().is_some_and(|p| authoring.file(p).is_some());
    if !keep {
        authoring.selected = authoring.files.first().map(|f| f.path.clone());
    }
    authoring.restudy();
}

/// Entered before any folder was shown (after the teacher lock asked first): the default one.
fn open_default_folder(mut authoring: ResMut<Authoring>, settings: Res<Settings>, paths: Res<AppPaths>) {
    if authoring.folder.as_os_str().is_empty() {
        open(&mut authoring, default_folder(&paths, &settings));
    }
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn apply_intents(
    mut intents: MessageReader<AuthorIntent>,
    mut asked: MessageReader<Intent>,
    mut authoring: ResMut<Authoring>,
    settings: Res<Settings>,
    paths: Res<AppPaths>,
    lock: Option<Res<Lock>>,
    time: Res<Time<Real>>,
    mut attempt: ResMut<Attempt>,
    mut outcome: ResMut<Outcome>,
    mut draft: Option<ResMut<Draft>>,
    mut next: ResMut<NextState<Screen>>,
) {
    // The settings screen's "open authoring" is a shared intent (that screen knows no feature).
    let entered = asked.read().filter(|i| **i == Intent::OpenAuthoring).map(|_| AuthorIntent::Enter).collect::<Vec<_>>();
    for intent in entered.iter().chain(intents.read()) {
        match intent {
            AuthorIntent::Enter => {
                // While the teacher lock still asks, nothing is read: the folder opens on
                // entering the screen (`open_default_folder`).
                if lock.as_ref().is_none_or(|l| l.is_unlocked()) {
                    let folder = if authoring.folder.as_os_str().is_empty() { default_folder(&paths, &settings) } else { authoring.folder.clone() };
                    open(&mut authoring, folder);
                }
                next.set(Screen::Authoring);
            }
            AuthorIntent::Open(folder) => {
                open(&mut authoring, folder.clone());
                if let Err(e) = remember(&paths, folder) {
                    bevy::log::warn!("{}: {e}", remembered_file(&paths).display());
                }
            }
            AuthorIntent::Reload => {
                let folder = authoring.folder.clone();
                open(&mut authoring, folder);
            }
            AuthorIntent::Select(path) => {
                if authoring.file(path).is_some() {
                    if authoring.selected.as_ref() != Some(path) {
                        authoring.map_node = None;
                        authoring.editor_note = None;
                    }
                    authoring.selected = Some(path.clone());
                    authoring.restudy();
                }
            }
            AuthorIntent::Show(view) => authoring.view = *view,
            AuthorIntent::MapSelect(node) => {
                authoring.map_node = node.clone().filter(|id| authoring.shown_map().is_some_and(|m| m.node(id).is_some()));
                authoring.editor_note = None;
            }
            AuthorIntent::OpenInEditor(line) => {
                if let Some(path) = authoring.selected.clone() {
                    authoring.editor_note = Some(open_in_editor(&path, *line));
                }
            }
            AuthorIntent::PlayFrom(node) => {
                if let Some(active) = start_trial(&mut authoring, node.clone(), time.elapsed(), &mut attempt, &mut outcome) {
                    attempt.0 = Some(active);
                    if let Some(d) = draft.as_mut() {
                        **d = Draft::default();
                    }
                    next.set(Screen::Play);
                }
            }
            AuthorIntent::BackToAuthoring => {
                end_trial(&mut authoring, &mut attempt, &mut outcome);
                next.set(Screen::Authoring);
            }
            AuthorIntent::Leave => {
                end_trial(&mut authoring, &mut attempt, &mut outcome);
                next.set(Screen::Settings);
            }
        }
    }
}

/// Every [`POLL`]: re-read the files whose size or modification time changed; re-analyse the
/// selected file and carry the trial run over if theirs changed.
fn poll(mut authoring: ResMut<Authoring>, time: Res<Time<Real>>, watch: Res<Watch>, mut attempt: ResMut<Attempt>, mut draft: Option<ResMut<Draft>>) {
    let now = time.elapsed();
    let woken = watch.take_change();
    // A little early is fine: frames drift.
    if !woken && authoring.last_poll.is_some_and(|t| now.saturating_sub(t) < POLL.mul_f32(0.75)) {
        return;
    }
    authoring.last_poll = Some(now);
    let t0 = std::time::Instant::now();
    let changed = authoring.refresh();
    authoring.poll_cost = t0.elapsed();
    if changed.is_empty() {
        return;
    }
    let names = changed.iter().map(|p| p.strip_prefix(&authoring.folder).unwrap_or(p).display().to_string()).collect();
    authoring.reloads += 1;
    authoring.last_reload = Some((now, names));
    authoring.redraws = 3;
    if authoring.selected.as_deref().is_none_or(|p| authoring.file(p).is_none()) {
        authoring.selected = authoring.files.first().map(|f| f.path.clone());
    }
    if authoring.selected.as_ref().is_some_and(|p| changed.contains(p)) {
        authoring.restudy();
    }
    if let Some(trial_path) = authoring.trial.as_ref().map(|t| t.path.clone())
        && changed.contains(&trial_path)
        && let Some(active) = attempt.0.as_mut().filter(|a| a.trial)
    {
        let file = authoring.file(&trial_path).cloned();
        if let Some(trial) = authoring.trial.as_mut() {
            trial.note = Some(carry_over(trial, active, file.as_ref(), now));
            trial.reloads += 1;
            // The node's options, steps or fields may have changed: start its draft afresh.
            if let Some(d) = draft.as_mut() {
                **d = Draft::default();
            }
        }
    }
    authoring.reload_cost = t0.elapsed();
    bevy::log::info!("authoring: reloaded {} in {} ms", changed.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "), authoring.reload_cost.as_millis());
}
