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

/// The thread that watches the folder for the window (see the module docs).
struct Watcher {
    folder: PathBuf,
    stop: Arc<AtomicBool>,
    /// Set by the thread when a file changed; the next frame polls whatever its timer says.
    changed: Arc<AtomicBool>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[derive(Resource, Default)]
struct Watch(Option<Watcher>);

/// Every scenario file below `folder` with its size and modification time.
fn fingerprint(folder: &Path) -> Vec<(PathBuf, Option<Stamp>)> {
    let files = find_scenario_files(&[folder.to_path_buf()]).unwrap_or_default();
    files.into_iter().map(|p| (stamp(&p), p)).map(|(s, p)| (p, s)).collect()
}

fn spawn_watcher(folder: PathBuf, wake: impl Fn() + Send + 'static) -> Option<Watcher> {
    let stop = Arc::new(AtomicBool::new(false));
    let changed = Arc::new(AtomicBool::new(false));
    let (stop2, changed2, dir) = (Arc::clone(&stop), Arc::clone(&changed), folder.clone());
    let spawned = std::thread::Builder::new().name("kefu-authoring-watch".into()).spawn(move || {
        // Starts from nothing: the first look wakes the window once, so a save made while the
        // thread was starting is not missed.
        let mut last = Vec::new();
        while !stop2.load(Ordering::Relaxed) {
            let now = fingerprint(&dir);
            if now != last {
                last = now;
                changed2.store(true, Ordering::Relaxed);
                wake();
            }
            std::thread::sleep(POLL);
        }
    });
    match spawned {
        Ok(_) => Some(Watcher { folder, stop, changed }),
        Err(e) => {
            bevy::log::warn!("authoring: cannot start the file watcher: {e}");
            None
        }
    }
}

/// A watcher on the folder shown while polling (and only with a window to wake); none otherwise.
fn manage_watcher(state: Res<State<Screen>>, authoring: Res<Authoring>, proxy: Option<Res<EventLoopProxyWrapper>>, mut watch: ResMut<Watch>) {
    let wanted = polling(state, Res::clone(&authoring)) && !authoring.folder.as_os_str().is_empty();
    let Some(proxy) = proxy.filter(|_| wanted) else {
        watch.0 = None;
        return;
    };
    if watch.0.as_ref().is_some_and(|w| w.folder == authoring.folder) {
        return;
    }
    let proxy = proxy.deref().deref().clone();
    watch.0 = spawn_watcher(authoring.folder.clone(), move || {
        let _ = proxy.send_event(WinitUserEvent::WakeUp);
    });
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

/// The command that opens `file` at `line`: `KEFU_EDITOR` when set (a command line where
/// `{file}` and `{line}` are replaced; without `{file}` the file is added at the end), else the
/// first editor found on the PATH that can jump to a line, else the system's opener (the
/// editor then opens at the top). Returns the program, its arguments, and whether it goes to
/// the line.
pub fn editor_command(file: &Path, line: usize, kefu_editor: Option<&str>, on_path: impl Fn(&str) -> bool) -> (String, Vec<String>, bool) {
    let f = file.display().to_string();
    if let Some(tpl) = kefu_editor.map(str::trim).filter(|t| !t.is_empty()) {
        let mut words: Vec<String> = tpl.split_whitespace().map(|w| w.replace("{file}", &f).replace("{line}", &line.to_string())).collect();
        if !tpl.contains("{file}") {
            words.push(f);
        }
        let prog = words.remove(0);
        return (prog, words, tpl.contains("{line}"));
    }
    // (program, arguments with {file}/{line}) in order of preference.
    let known: &[(&str, &[&str])] = &[
        ("code", &["-g", "{file}:{line}"]),
        ("notepad++", &["-n{line}", "{file}"]),
        ("gnome-text-editor", &["+{line}", "{file}"]),
        ("gedit", &["+{line}", "{file}"]),
        ("kate", &["--line", "{line}", "{file}"]),
        ("pluma", &["+{line}", "{file}"]),
        ("xed", &["+{line}", "{file}"]),
        ("mousepad", &["--line", "{line}", "{file}"]),
    ];
    for (prog, args) in known {
        if on_path(prog) {
            let args = args.iter().map(|a| a.replace("{file}", &f).replace("{line}", &line.to_string())).collect();
            return (prog.to_string(), args, true);
        }
    }
    if cfg!(windows) {
        ("notepad".to_string(), vec![f], false)
    } else if cfg!(target_os = "macos") {
        ("open".to_string(), vec!["-t".to_string(), f], false)
    } else {
        ("xdg-open".to_string(), vec![f], false)
    }
}

fn on_path(prog: &str) -> bool {
    let Some(paths) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&paths).any(|dir| {
        let p = dir.join(prog);
        p.is_file() || (cfg!(windows) && (p.with_extension("exe").is_file() || p.with_extension("cmd").is_file()))
    })
}

/// Start the editor (never waits for it); what happened, for the screen.
fn open_in_editor(file: &Path, line: usize) -> Note {
    let env = std::env::var("KEFU_EDITOR").ok();
    let (prog, args, at_line) = editor_command(file, line, env.as_deref(), on_path);
    match std::process::Command::new(&prog).args(&args).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn() {
        Ok(_) if at_line => Note::ok(format!("已用 {prog} 打开，第 {line} 行。"), format!("Opened in {prog} at line {line}.")),
        Ok(_) => Note::ok(
            format!("已用 {prog} 打开；请跳到第 {line} 行。想直接跳到这一行：设置环境变量 KEFU_EDITOR，例如 \"code -g {{file}}:{{line}}\"。"),
            format!("Opened with {prog}; go to line {line}. To land on the line, set KEFU_EDITOR, e.g. \"code -g {{file}}:{{line}}\"."),
        ),
        Err(e) => Note::warn(
            format!("打不开编辑器 {prog}：{e}。请自己打开 {}，第 {line} 行；或设置环境变量 KEFU_EDITOR。", file.display()),
            format!("Could not start the editor {prog}: {e}. Open {} yourself at line {line}, or set KEFU_EDITOR.", file.display()),
        ),
    }
}

/// A trial session on `sc` with `seed`, started at `from` (the scenario's start when `None`).
fn trial_session(sc: &Arc<Scenario>, seed: u64, from: Option<&str>) -> Result<Session, SessionError> {
    let mut s = Session::new(Arc::clone(sc), seed)?;
    if let Some(node) = from {
        s.jump_to(node)?;
    }
    Ok(s)
}

fn trial_active(loaded: &Loaded, session: Session, shown_at: Duration) -> Active {
    let player = Player { id: "authoring".into(), name: "编写模式 Authoring".into(), group: None };
    let mut record = AttemptRecord::start(&session, &loaded.hash, player);
    record.sync(&session);
    let mut active = Active {
        scorer: Scorer::new(Arc::clone(&loaded.scenario)),
        loaded: loaded.clone(),
        session,
        record,
        shown_at,
        feedback: None,
        hints: Vec::new(),
        exam_mode: false,
        autosave_error: None,
        trial: true,
        hint_preview: None,
        key: None,
    };
    active.refresh_hint_preview();
    active
}

/// Start a trial of the selected file; the attempt and results already there are kept aside.
fn start_trial(authoring: &mut Authoring, from: Option<String>, now: Duration, attempt: &mut Attempt, outcome: &mut Outcome) -> Option<Active> {
    let loaded = authoring.selected_file()?.playable()?.clone();
    let seed = rand::random();
    let session = match trial_session(&loaded.scenario, seed, from.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            bevy::log::warn!("trial of {}: {e}", loaded.path.display());
            return None;
        }
    };
    // A trial started from another trial replaces it; the stash stays the original one.
    let stash = match authoring.trial.take() {
        Some(t) => t.stash,
        None => Box::new((attempt.0.take(), outcome.0.take())),
    };
    outcome.0 = None;
    authoring.trial = Some(Trial { path: loaded.path.clone(), from, seed, note: None, reloads: 0, stash });
    Some(trial_active(&loaded, session, now))
}

/// Drop the trial run and put back what was there before it.
fn end_trial(authoring: &mut Authoring, attempt: &mut Attempt, outcome: &mut Outcome) {
    if let Some(t) = authoring.trial.take() {
        let (a, o) = *t.stash;
        attempt.0 = a;
        outcome.0 = o;
    }
}

/// "Pause: library" or "Back to the library" during a trial leads back to authoring mode.
fn trial_left_to_library(mut authoring: ResMut<Authoring>, mut attempt: ResMut<Attempt>, mut outcome: ResMut<Outcome>, mut next: ResMut<NextState<Screen>>) {
    if authoring.trial.is_some() {
        end_trial(&mut authoring, &mut attempt, &mut outcome);
        next.set(Screen::Authoring);
    }
}

/// Every [`POLL`]: re-read the files whose size or modification time changed; re-analyse the
/// selected file and carry the trial run over if theirs changed.
fn poll(mut authoring: ResMut<Authoring>, time: Res<Time<Real>>, watch: Res<Watch>, mut attempt: ResMut<Attempt>, mut draft: Option<ResMut<Draft>>) {
    let now = time.elapsed();
    let woken = watch.0.as_ref().is_some_and(|w| w.changed.swap(false, Ordering::Relaxed));
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

/// Carry a trial run over to the file as it is now; says what happened, in both languages.
fn carry_over(trial: &Trial, active: &mut Active, file: Option<&FileState>, now: Duration) -> Note {
    let Some(file) = file else {
        return Note::warn("文件已被删除或改名：继续使用上次的版本。", "The file was deleted or renamed: still playing the last version.");
    };
    let Some(loaded) = file.playable() else {
        let first = file.diagnostics.iter().find(|d| d.is_error());
        let (zh, en) = match first {
            Some(d) => (format!("第 {} 行第 {} 列：{}", d.line, d.col, d.message.get(Lang::Zh)), format!("line {}, col {}: {}", d.line, d.col, d.message.get(Lang::En))),
            None => (String::new(), String::new()),
        };
        return Note::warn(format!("文件有错误，继续使用上次的版本。{zh}"), format!("The file has errors; still playing the last good version. {en}"));
    };
    let sc = &loaded.scenario;
    let old = &active.session;
    let at = old.node_id().to_string();
    let replayed = match trial.from.as_deref() {
        None => old.rebase(Arc::clone(sc)),
        Some(from) => trial_session(sc, trial.seed, Some(from)).map_err(|e| (0, e)).and_then(|mut s| {
            for (i, e) in old.log().iter().enumerate() {
                s.apply(e).map_err(|err| (i, err))?;
            }
            Ok(s)
        }),
    };
    let had_feedback = active.feedback.is_some();
    let kept = replayed.is_ok();
    let (session, note) = match replayed {
        Ok(s) => {
            let note = if s.node_id() == at {
                Note::ok(format!("已重新加载，仍在节点 {at}。"), format!("Reloaded; still at node {at}."))
            } else {
                Note::warn(
                    format!("已重新加载：同样的回答现在走到节点 {}（之前在 {at}）。", s.node_id()),
                    format!("Reloaded: the same answers now lead to node {} (was {at}).", s.node_id()),
                )
            };
            (s, note)
        }
        Err((i, err)) => {
            let fresh = trial_session(sc, trial.seed, trial.from.as_deref().filter(|f| sc.node_index(f).is_some()));
            let Ok(mut fresh) = fresh else {
                return Note::warn("重新加载后无法开始试玩：继续使用上次的版本。", "The reloaded file cannot be played: still playing the last version.");
            };
            let why_zh = format!("第 {} 个回答无法重放（{}）", i + 1, err.message(Lang::Zh));
            let why_en = format!("answer {} no longer replays ({err})", i + 1);
            if sc.node_index(&at).is_some() && fresh.jump_to(&at).is_ok() {
                (fresh, Note::warn(format!("已重新加载：{why_zh}，之前的回答已清空，从节点 {at} 继续。"), format!("Reloaded: {why_en}; the answers so far were dropped, continuing at node {at}.")))
            } else {
                let start = fresh.node_id().to_string();
                (fresh, Note::warn(format!("节点 {at} 已不存在：从节点 {start} 重新开始。"), format!("Node {at} no longer exists: play restarted at node {start}.")))
            }
        }
    };
    if session.node_id() != at || !kept {
        // A new place, or a fresh attempt (no hints taken, no answer to give feedback on).
        if session.node_id() != at {
            active.shown_at = now;
        }
        active.hints.clear();
        active.feedback = None;
    } else if had_feedback {
        // The card being read shows the feedback as the file now has it.
        active.feedback = session.steps().last().cloned().map(|step| Feedback { step, ended: session.is_ended() });
    }
    let mut fresh = trial_active(loaded, session, active.shown_at);
    fresh.feedback = active.feedback.take();
    fresh.hints = std::mem::take(&mut active.hints);
    *active = fresh;
    note
}

#[cfg(test)]
mod tests {
    use super::editor_command;
    use std::path::Path;

    #[test]
    fn the_editor_is_kefu_editor_then_one_that_jumps_to_a_line_then_the_system_opener() {
        let f = Path::new("/s/p1.ron");
        let (p, a, at) = editor_command(f, 42, Some("code -g {file}:{line}"), |_| false);
        assert_eq!((p.as_str(), a, at), ("code", vec!["-g".to_string(), "/s/p1.ron:42".to_string()], true));
        // Without {file} the file goes last; without {line} it does not jump.
        let (p, a, at) = editor_command(f, 7, Some("mousepad"), |_| true);
        assert_eq!((p.as_str(), a, at), ("mousepad", vec!["/s/p1.ron".to_string()], false));
        // The first known editor found on the PATH.
        let (p, a, at) = editor_command(f, 9, None, |prog| prog == "gedit" || prog == "kate");
        assert_eq!((p.as_str(), a, at), ("gedit", vec!["+9".to_string(), "/s/p1.ron".to_string()], true));
        let (p, a, _) = editor_command(f, 9, Some("  "), |prog| prog == "notepad++");
        assert_eq!((p.as_str(), a), ("notepad++", vec!["-n9".to_string(), "/s/p1.ron".to_string()]));
        // None: the system's opener, which cannot jump.
        let (_, a, at) = editor_command(f, 9, None, |_| false);
        assert_eq!((a.last().map(String::as_str), at), (Some("/s/p1.ron"), false));
    }
}
