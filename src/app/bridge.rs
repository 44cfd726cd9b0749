//! The bridge between Bevy and the core: the resources that hold the Session and what the
//! student picked, the [`Intent`] messages the screens send, and the small systems that apply
//! them. No egui here: tests run these systems headless.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bevy::prelude::*;
use bevy_state::prelude::*;

use super::library::{self, Library};
use super::screens::Screen;
use super::settings::{AppPaths, Settings};
use crate::records::store::{save_record, save_text, write_atomic};
use super::teacher::{TeacherPrefs, prefs_file};
use crate::records::{AttemptRecord, Player};
use crate::roster::{Class, load_any};
use crate::scenario::{Lang, Loaded, Scenario, Text};
use crate::scoring::{HintPreview, Ratings, Report, Scorer};
use crate::session::autoplay::{self, Policy};
use crate::session::{Action, Session, Step};

/// What a screen asks for. The egui screens only draw and send these; tests send the same.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum Intent {
    /// Start screen: who is playing; `group` when picked from the class list (else the class
    /// list's group of that 学号, if any).
    SignIn { id: String, name: String, group: Option<String> },
    SetLang(Lang),
    /// Projector mode on or off (large text for a class watching one screen).
    SetProjector(bool),
    OpenSettings,
    /// Keep these settings and go back.
    SaveSettings(Settings),
    CloseSettings,
    /// Write the `[lrs]` table of kefu.toml (an empty endpoint turns sending off).
    SaveLrs(crate::lrs::config::LrsSection),
    /// Send what waits in the LRS outbox now (on a background thread).
    SendLrsNow,
    /// Start screen: a group signs in to play together (members in turn order).
    SignInGroup { name: String, members: Vec<crate::session::group::Member> },
    /// Play, group mode: the member whose turn it is hands the decision to member `n` (0-based).
    PassTo(usize),
    /// Look for scenario files again.
    Rescan,
    /// Library: open the briefing of this scenario (by id).
    Pick(String),
    /// Briefing: start the attempt (`seed: None`: the one drawn when the scenario was picked).
    Begin { seed: Option<u64> },
    /// Play: answer the current node.
    Answer(Action),
    /// Play: take the next hint at this node.
    Hint,
    /// Play: the feedback card was read.
    DismissFeedback,
    /// Play, practice mode: try the activity just answered again (the first try keeps the
    /// score; the retry is recorded). Refused in exam mode and when the core has nothing to retry.
    TryAgain,
    /// Play: back to the library; the autosave stays and can be resumed.
    LeavePlay,
    /// Resume the autosaved attempt.
    Resume,
    /// Drop the autosaved attempt (it is filed as unfinished).
    DiscardResume,
    ShowResults,
    ShowReview,
    ToLibrary,
    SignOut,
}

/// Feedback waiting to be read after an answer.
#[derive(Clone, Debug)]
pub struct Feedback {
    pub step: Step,
    /// The attempt ended with this answer.
    pub ended: bool,
}

/// The attempt being played: the core Session plus what the app needs around it.
#[derive(Clone, Debug)]
pub struct Active {
    pub loaded: Loaded,
    pub session: Session,
    pub record: AttemptRecord,
    pub scorer: Scorer,
    /// `Time<Real>` elapsed when the current node was shown (answers measure from here).
    pub shown_at: Duration,
    /// Shown after an answer unless in exam mode; the clock of the next node waits for it.
    pub feedback: Option<Feedback>,
    /// Hints taken at the current node.
    pub hints: Vec<Text>,
    pub exam_mode: bool,
    /// Whether the autosave could be written (shown as a warning when not).
    pub autosave_error: Option<String>,
    /// An authoring-mode trial run: never autosaved, filed or offered for resuming, so a
    /// teacher's test plays stay out of the records and the student's autosave.
    pub trial: bool,
    /// What the next hint at this node would do to the best reachable total (the core's
    /// [`Scorer::hint_preview`]); `None` when no hint is left. Kept current by
    /// [`Active::refresh_hint_preview`] whenever the session changes, so the play screen only
    /// reads it.
    pub hint_preview: Option<HintPreview>,
    /// The class key the autosave and the filed record are signed with, read once when the
    /// attempt starts (a broken key file: unsigned, the message shown when the app started).
    pub key: Option<crate::records::seal::ClassKey>,
}

impl Active {
    /// Group play: whose turn it is at the current node (the core's rule); `None` alone.
    pub fn turn(&self) -> Option<crate::session::group::Turn> {
        self.record.group.as_ref().map(|g| g.whose_turn(&self.session))
    }

    /// Group play: credit what the session logged since to member `who` (the answerer asked
    /// before the answer was given).
    fn credit(&mut self, who: Option<usize>) {
        if let (Some(g), Some(who)) = (self.record.group.as_mut(), who) {
            g.credit(&self.session, who);
        }
    }

    /// Ask the core again what the next hint would cost (after an answer, a hint, a resume…).
    pub fn refresh_hint_preview(&mut self) {
        self.hint_preview = self.scorer.hint_preview(&self.session);
    }

    /// Milliseconds since the current node was shown.
    pub fn elapsed_ms(&self, now: Duration) -> u64 {
        u64::try_from(now.saturating_sub(self.shown_at).as_millis()).unwrap_or(u64::MAX)
    }
}

/// The attempt in progress, if any.
#[derive(Resource, Default)]
pub struct Attempt(pub Option<Active>);

/// A practice retry under way: the play screen shows the activity again instead of the feedback
/// card. The card's feedback stays pending meanwhile, so the next node's clock, countdown and
/// sounds wait as they do while a card is read.
#[derive(Resource, Default, Clone, Debug)]
pub struct Retrying(pub Option<Retry>);

#[derive(Clone, Debug, PartialEq)]
pub struct Retry {
    /// The activity tried again.
    pub node: String,
    /// The session's step count when the retry began (a retry of an older state is stale).
    pub steps: usize,
    /// `Time<Real>` elapsed when the retry began (its answer measures from here).
    pub started: Duration,
}

impl Retrying {
    /// The retry under way for this attempt, if it still applies (the core still offers it).
    pub fn current(&self, active: &Active) -> Option<&Retry> {
        self.0.as_ref().filter(|r| active.feedback.is_some() && r.steps == active.session.steps().len() && active.session.retry_target() == Some(r.node.as_str()))
    }
}

impl Active {
    /// Whether the feedback card may offer "try again": practice mode and the core has an
    /// activity to retry.
    pub fn can_retry(&self) -> bool {
        !self.exam_mode && self.feedback.is_some() && self.session.retry_target().is_some()
    }
}

/// The scenario the student picked (briefing), with the seed the attempt will use so the
/// briefing shows the same customer, goods and city as the play.
#[derive(Clone, Debug)]
pub struct Picked {
    pub loaded: Loaded,
    pub seed: u64,
    /// A session at the start node, for rendering the briefing's placeholders.
    pub preview: Session,
}

#[derive(Resource, Default)]
pub struct Selected(pub Option<Picked>);

/// The last finished attempt: what the Results and Review screens show.
#[derive(Clone, Debug)]
pub struct Finished {
    pub loaded: Loaded,
    pub session: Session,
    pub report: Report,
    /// The expert path with the same seed, scored.
    pub expert: Option<Report>,
    /// Where the record was filed, or why it could not be.
    pub saved: Result<PathBuf, String>,
    pub exam_mode: bool,
    /// Group play: each member's part, as the core scores it (empty alone).
    pub members: Vec<MemberResult>,
}

/// One member's part of a group attempt, for the results screen.
#[derive(Clone, Debug)]
pub struct MemberResult {
    pub member: crate::session::group::Member,
    /// The student role played (by-role sharing).
    pub role: Option<Text>,
    pub report: Report,
    /// Decisions handed to a teammate, and taken over from one.
    pub passed: usize,
    pub took: usize,
}

#[derive(Resource, Default)]
pub struct Outcome(pub Option<Finished>);

/// An autosaved attempt found at start-up (or left by "leave"), offered for resuming.
#[derive(Resource, Default)]
pub struct Resumable(pub Option<AttemptRecord>);

/// Messages for the student (a file that could not be written, a resume that failed…).
#[derive(Resource, Default)]
pub struct Notice(pub Option<String>);

/// The class the Start screen offers to pick from: the teacher view's last class file, read
/// again each time the Start screen opens. `None` when there is none or it does not load (that
/// is logged, not shown to students).
#[derive(Resource, Default)]
pub struct ClassList(pub Option<Class>);

/// Where Settings goes back to.
#[derive(Resource, Default)]
pub struct SettingsReturn(pub Screen);

pub(super) fn plugin(app: &mut App) {
    // Logic systems may ask for a redraw; headless (no WindowPlugin) nobody listens, but the
    // message must exist for their MessageWriter to be valid.
    app.add_message::<bevy::window::RequestRedraw>();
    app.add_message::<Intent>()
        .init_resource::<Attempt>()
        .init_resource::<Retrying>()
        .init_resource::<Selected>()
        .init_resource::<Outcome>()
        .init_resource::<Resumable>()
        .init_resource::<Notice>()
        .init_resource::<SettingsReturn>()
        .init_resource::<Library>()
        .init_resource::<ClassList>()
        .add_systems(OnEnter(Screen::Start), load_class_list)
        .add_systems(Startup, (load_settings, check_autosave, send_waiting).chain())
        .add_systems(OnEnter(Screen::Library), rescan_library)
        .add_systems(
            Update,
            (
                apply_sign_in,
                apply_lang,
                apply_settings,
                apply_rescan,
                apply_pick,
                apply_resume,
                apply_discard,
                apply_begin,
                apply_hint,
                apply_pass,
                apply_try_again,
                apply_answer,
                tick_countdown.run_if(in_state(Screen::Play)),
                apply_dismiss,
                apply_navigation,
            )
                .chain(),
        );
}

fn load_settings(mut commands: Commands, paths: Res<AppPaths>, existing: Option<Res<Settings>>, mut notice: ResMut<Notice>) {
    if existing.is_some() {
        return;
    }
    let (settings, problem) = Settings::load(&paths.settings_file);
    notice.0 = problem;
    commands.insert_resource(settings);
}

/// Statements left in the LRS outbox last time (the LRS was away) go out now, in the background.
fn send_waiting(paths: Res<AppPaths>) {
    match paths.lrs() {
        Ok(Some(cfg)) => crate::lrs::send_in_background(cfg, true),
        Ok(None) => {}
        Err(e) => warn!("LRS: {}", e.en),
    }
}

fn check_autosave(paths: Res<AppPaths>, settings: Option<Res<Settings>>, mut resumable: ResMut<Resumable>, mut notice: ResMut<Notice>) {
    if !paths.autosave.exists() {
        return;
    }
    let key = paths.class_key().unwrap_or_else(|e| {
        notice.0 = Some(e);
        None
    });
    let settings = settings.map(|s| s.clone()).unwrap_or_default();
    match AttemptRecord::read_checked(&paths.autosave, key.as_ref(), std::time::SystemTime::now()) {
        // Changed outside Kefu since it was saved (its seal is broken): not resumed, but filed
        // as it is, so the teacher sees it flagged and nothing is lost.
        Ok(rec) if key.is_some() && rec.trust.seal != crate::records::seal::Seal::Intact => {
            let (dir, _) = paths.records_dir(&settings);
            let filed = crate::fsread::read_text(&paths.autosave, crate::fsread::Kind::Record).and_then(|text| save_text(&dir, &rec, &text));
            match filed {
                Ok(_) => {
                    let _ = std::fs::remove_file(&paths.autosave);
                    notice.0 = Some(
                        settings
                            .lang
                            .pick("保存的作答在 Kefu 之外被改动过，不能继续；它已原样交给老师查看。", "The saved attempt was changed outside Kefu and cannot be continued; it was filed as it is for the teacher to look at.")
                            .to_string(),
                    );
                }
                Err(e) => notice.0 = Some(format!("{}: {e}", dir.display())),
            }
        }
        Ok(rec) if !rec.finished => resumable.0 = Some(rec),
        // Finished, but filing it failed last time (e.g. the network folder was away): file it now.
        Ok(rec) => {
            let (dir, _) = paths.records_dir(&settings);
            match save_record(&dir, &rec, key.as_ref()) {
                Ok(path) => {
                    let _ = std::fs::remove_file(&paths.autosave);
                    to_lrs_later(&path, &paths, &settings);
                }
                Err(e) => notice.0 = Some(format!("{}: {e}", dir.display())),
            }
        }
        Err(e) => notice.0 = Some(e.to_string()),
    }
}

fn load_class_list(paths: Res<AppPaths>, mut list: ResMut<ClassList>) {
    list.0 = None;
    let (prefs, problem) = TeacherPrefs::load(&prefs_file(&paths));
    if let Some(p) = problem {
        warn!("class list: {p}");
    }
    let Some(file) = prefs.class_file.filter(|p| !p.as_os_str().is_empty()) else { return };
    match load_any(&file) {
        Ok(class) if class.student_count() > 0 => list.0 = Some(class),
        Ok(_) => warn!("class list {}: no students", file.display()),
        Err(e) => warn!("class list: {e}"),
    }
}

fn save_settings(settings: &Settings, paths: &AppPaths, notice: &mut Notice) {
    if let Err(e) = settings.save(&paths.settings_file) {
        notice.0 = Some(format!("{}: {e}", paths.settings_file.display()));
    }
}

fn apply_sign_in(
    mut intents: MessageReader<Intent>,
    mut settings: ResMut<Settings>,
    list: Res<ClassList>,
    paths: Res<AppPaths>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
) {
    for intent in intents.read() {
        match intent {
            Intent::SignIn { id, name, group } => {
                let (id, name) = (id.trim(), name.trim());
                if id.is_empty() || name.is_empty() {
                    continue;
                }
                let group = group.clone().or_else(|| list.0.as_ref().and_then(|c| c.find(id)).map(|(g, _)| g.name.clone()));
                settings.student_id = id.to_string();
                settings.student_name = name.to_string();
                settings.student_group = group;
                settings.team = None;
                save_settings(&settings, &paths, &mut notice);
                next.set(Screen::Library);
            }
            Intent::SignInGroup { name, members } => {
                let members: Vec<_> = members.iter().filter(|m| !m.id.trim().is_empty()).cloned().collect();
                let Some(first) = members.first() else { continue };
                settings.student_id = first.id.trim().to_string();
                settings.student_name = first.name.trim().to_string();
                settings.student_group = Some(name.trim().to_string()).filter(|n| !n.is_empty());
                settings.team = Some(crate::app::settings::Team { name: name.trim().to_string(), members });
                save_settings(&settings, &paths, &mut notice);
                next.set(Screen::Library);
            }
            Intent::SignOut => {
                // Forgotten on disk too: the next student finds empty fields, also after a restart.
                if !settings.student_id.is_empty() || !settings.student_name.is_empty() || settings.student_group.is_some() || settings.team.is_some() {
                    settings.student_id.clear();
                    settings.student_name.clear();
                    settings.student_group = None;
                    settings.team = None;
                    save_settings(&settings, &paths, &mut notice);
                }
                next.set(Screen::Start);
            }
            _ => {}
        }
    }
}

fn apply_lang(mut intents: MessageReader<Intent>, mut settings: ResMut<Settings>, paths: Res<AppPaths>, mut notice: ResMut<Notice>) {
    for intent in intents.read() {
        if let Intent::SetLang(lang) = intent
            && settings.lang != *lang
        {
            settings.lang = *lang;
            save_settings(&settings, &paths, &mut notice);
        }
        if let Intent::SetProjector(on) = intent
            && settings.projector != *on
        {
            settings.projector = *on;
            save_settings(&settings, &paths, &mut notice);
        }
    }
}

fn apply_settings(
    mut intents: MessageReader<Intent>,
    mut settings: ResMut<Settings>,
    paths: Res<AppPaths>,
    mut notice: ResMut<Notice>,
    state: Res<State<Screen>>,
    mut back: ResMut<SettingsReturn>,
    mut next: ResMut<NextState<Screen>>,
) {
    for intent in intents.read() {
        match intent {
            Intent::OpenSettings => {
                if *state.get() != Screen::Settings {
                    back.0 = *state.get();
                }
                next.set(Screen::Settings);
            }
            Intent::SaveSettings(s) => {
                *settings = s.clone();
                save_settings(&settings, &paths, &mut notice);
                next.set(back.0);
            }
            Intent::CloseSettings => next.set(back.0),
            Intent::SaveLrs(section) => {
                let lang = settings.lang;
                let checked = crate::lrs::config::resolve(section.clone(), &paths.lrs_file.display().to_string(), |_| None);
                notice.0 = Some(match checked {
                    Err(e) => e.message(lang).to_string(),
                    Ok(_) => match crate::lrs::config::save_section(&paths.lrs_file, section) {
                        Ok(()) => match paths.lrs() {
                            Ok(Some(cfg)) => {
                                crate::lrs::send_in_background(cfg, true);
                                format!("{}{}", lang.pick("学习记录存储（LRS）设置已保存：", "LRS settings saved: "), paths.lrs_file.display())
                            }
                            Ok(None) => {
                                crate::lrs::stop_background();
                                format!("{}{}", lang.pick("已关闭发送到 LRS：", "Sending to an LRS is off: "), paths.lrs_file.display())
                            }
                            Err(e) => e.message(lang).to_string(),
                        },
                        Err(e) => e.message(lang).to_string(),
                    },
                });
            }
            Intent::SendLrsNow => {
                if let Ok(Some(cfg)) = paths.lrs() {
                    crate::lrs::send_in_background(cfg, true);
                }
            }
            _ => {}
        }
    }
}

fn rescan_library(mut library: ResMut<Library>, paths: Res<AppPaths>, settings: Res<Settings>) {
    let (records, _) = paths.records_dir(&settings);
    *library = library::scan(&paths.scenario_search(&settings), &records, &settings.student_id);
}

fn apply_rescan(mut intents: MessageReader<Intent>, library: ResMut<Library>, paths: Res<AppPaths>, settings: Res<Settings>) {
    if intents.read().any(|i| *i == Intent::Rescan) {
        rescan_library(library, paths, settings);
    }
}

fn apply_pick(
    mut intents: MessageReader<Intent>,
    library: Res<Library>,
    mut selected: ResMut<Selected>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
) {
    for intent in intents.read() {
        if let Intent::Pick(id) = intent {
            let Some(e) = library.find(id) else {
                notice.0 = Some(format!("no scenario `{id}`"));
                continue;
            };
            let seed = rand::random();
            match Session::new(Arc::clone(&e.loaded.scenario), seed) {
                Ok(preview) => {
                    selected.0 = Some(Picked { loaded: e.loaded.clone(), seed, preview });
                    next.set(Screen::Briefing);
                }
                Err(err) => notice.0 = Some(format!("{}: {err}", e.loaded.path.display())),
            }
        }
    }
}

/// Write the attempt to the autosave file (after every answer and hint).
fn autosave(active: &mut Active, paths: &AppPaths) {
    active.record.sync(&active.session);
    if active.trial {
        return;
    }
    active.autosave_error = write_atomic(&paths.autosave, active.record.to_file_text(active.key.as_ref()).as_bytes())
        .err()
        .map(|e| format!("{}: {e}", paths.autosave.display()));
}

/// File an autosaved attempt that will not be continued as an unfinished record.
fn file_abandoned(rec: &AttemptRecord, paths: &AppPaths, settings: &Settings, notice: &mut Notice) {
    if !rec.log.is_empty() {
        let (dir, _) = paths.records_dir(settings);
        match save_record(&dir, rec, paths.class_key().ok().flatten().as_ref()) {
            Ok(path) => to_lrs_later(&path, paths, settings),
            Err(e) => {
                notice.0 = Some(format!("{}: {e}", dir.display()));
                return;
            }
        }
    }
    let _ = std::fs::remove_file(&paths.autosave);
}

/// A record filed away from its attempt (unfinished, or at the next start): to the LRS too, when
/// one is set up, its scenario found by id.
fn to_lrs_later(path: &Path, paths: &AppPaths, settings: &Settings) {
    if let Ok(Some(cfg)) = paths.lrs() {
        match crate::lrs::queue_saved_in(&cfg, path, &paths.scenario_search(settings)) {
            Ok(()) => crate::lrs::send_in_background(cfg, false),
            Err(e) => warn!("LRS: {e}"),
        }
    }
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn apply_begin(
    mut intents: MessageReader<Intent>,
    selected: Res<Selected>,
    settings: Res<Settings>,
    paths: Res<AppPaths>,
    time: Res<Time<Real>>,
    mut attempt: ResMut<Attempt>,
    mut retrying: ResMut<Retrying>,
    mut resumable: ResMut<Resumable>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
) {
    for intent in intents.read() {
        let Intent::Begin { seed } = intent else { continue };
        let Some(picked) = selected.0.as_ref() else { continue };
        let loaded = picked.loaded.clone();
        let seed = seed.unwrap_or(picked.seed);
        // Starting anew replaces the autosave: file the old attempt first so nothing is lost.
        if let Some(old) = resumable.0.take() {
            file_abandoned(&old, &paths, &settings, &mut notice);
        }
        let session = match Session::new(Arc::clone(&loaded.scenario), seed) {
            Ok(s) => s,
            Err(e) => {
                notice.0 = Some(e.to_string());
                continue;
            }
        };
        let player = Player { id: settings.student_id.clone(), name: settings.student_name.clone(), group: settings.student_group.clone() };
        let mut record = AttemptRecord::start(&session, &loaded.hash, player);
        record.exam_mode = settings.exam_mode;
        // A group plays together: the record keeps who gives each answer (a group of one is a
        // solo attempt).
        if let Some(team) = settings.team.as_ref().filter(|t| t.members.len() > 1) {
            record.group = Some(crate::session::group::GroupPlay::new(team.name.clone(), team.members.clone()));
        }
        let mut active = Active {
            scorer: Scorer::new(Arc::clone(&loaded.scenario)),
            loaded,
            session,
            record,
            shown_at: time.elapsed(),
            feedback: None,
            hints: Vec::new(),
            exam_mode: settings.exam_mode,
            autosave_error: None,
            trial: false,
            hint_preview: None,
            key: paths.class_key().ok().flatten(),
        };
        active.refresh_hint_preview();
        autosave(&mut active, &paths);
        attempt.0 = Some(active);
        retrying.0 = None;
        next.set(Screen::Play);
    }
}

fn apply_hint(mut intents: MessageReader<Intent>, time: Res<Time<Real>>, paths: Res<AppPaths>, mut attempt: ResMut<Attempt>, mut notice: ResMut<Notice>) {
    for intent in intents.read() {
        if *intent != Intent::Hint {
            continue;
        }
        let Some(active) = attempt.0.as_mut() else { continue };
        if active.feedback.is_some() {
            continue;
        }
        let now = active.elapsed_ms(time.elapsed());
        let who = active.turn().map(|t| t.member);
        match active.session.hint(now) {
            Ok(text) => {
                active.credit(who);
                active.hints.push(text);
                active.refresh_hint_preview();
                autosave(active, &paths);
            }
            Err(e) => notice.0 = Some(e.to_string()),
        }
    }
}

/// Group play: the member whose turn it is hands the decision to a teammate (recorded).
fn apply_pass(mut intents: MessageReader<Intent>, paths: Res<AppPaths>, mut attempt: ResMut<Attempt>) {
    for intent in intents.read() {
        let Intent::PassTo(to) = intent else { continue };
        let Some(active) = attempt.0.as_mut() else { continue };
        if active.feedback.is_some() || active.session.is_ended() {
            continue;
        }
        let passed = match active.record.group.as_mut() {
            Some(g) => g.pass(&active.session, *to),
            None => false,
        };
        if passed {
            autosave(active, &paths);
        }
    }
}

/// After an answer or a timeout: autosave, then feedback, the next node, or the end.
fn after_step(
    step: Step,
    active: &mut Active,
    paths: &AppPaths,
    settings: &Settings,
    now: Duration,
    outcome: &mut Outcome,
    next: &mut NextState<Screen>,
) -> bool {
    autosave(active, paths);
    active.hints.clear();
    active.refresh_hint_preview();
    let ended = active.session.is_ended();
    if ended {
        outcome.0 = Some(finish(active, paths, settings));
    }
    if !active.exam_mode && step.is_decision() {
        active.feedback = Some(Feedback { step, ended });
    } else {
        active.shown_at = now;
        if ended {
            next.set(Screen::Results);
        }
    }
    ended
}

/// File the finished record, drop the autosave, score it and the expert path.
fn finish(active: &mut Active, paths: &AppPaths, settings: &Settings) -> Finished {
    active.record.sync(&active.session);
    let (dir, _) = paths.records_dir(settings);
    let saved = if active.trial {
        Err(settings.lang.pick("编写模式试玩，不记成绩", "authoring-mode trial run: not filed").to_string())
    } else {
        // A broken key file never costs a student their work: filed unsigned (the message
        // about the key was shown when the app started).
        save_record(&dir, &active.record, active.key.as_ref()).map_err(|e| format!("{}: {e}", dir.display()))
    };
    if let Ok(path) = &saved {
        let _ = std::fs::remove_file(&paths.autosave);
        // The school's LRS, when one is set up: queued next to the record (nothing is lost while
        // the LRS is away), sent on a background thread.
        if let Ok(Some(cfg)) = paths.lrs() {
            match crate::lrs::queue_saved(&cfg, path, &active.loaded, &active.scorer) {
                Ok(()) => crate::lrs::send_in_background(cfg, false),
                Err(e) => warn!("LRS: {e}"),
            }
        }
    }
    let report = active.scorer.score_session(&active.session, &Ratings::new());
    let expert = autoplay::play(&active.loaded.scenario, active.session.seed(), Policy::Expert)
        .ok()
        .map(|s| active.scorer.score_session(&s, &Ratings::new()));
    let members = match &active.record.group {
        Some(g) => g
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| MemberResult {
                member: m.clone(),
                role: crate::session::group::member_role(&active.loaded.scenario, i).and_then(|r| active.loaded.scenario.roles.iter().find(|x| x.id == r)).map(|r| r.name.clone()),
                report: active.scorer.score_member(&active.session, g, i, &Ratings::new()),
                passed: g.passes.iter().filter(|p| p.from == m.id).count(),
                took: g.passes.iter().filter(|p| p.to == m.id).count(),
            })
            .collect(),
        None => Vec::new(),
    };
    Finished { loaded: active.loaded.clone(), session: active.session.clone(), report, expert, saved, exam_mode: active.exam_mode, members }
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn apply_answer(
    mut intents: MessageReader<Intent>,
    time: Res<Time<Real>>,
    paths: Res<AppPaths>,
    settings: Res<Settings>,
    mut attempt: ResMut<Attempt>,
    mut retrying: ResMut<Retrying>,
    mut outcome: ResMut<Outcome>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
) {
    for intent in intents.read() {
        let Intent::Answer(action) = intent else { continue };
        let Some(active) = attempt.0.as_mut() else { continue };
        if let Some(retry) = retrying.current(active).cloned() {
            // The answer of a practice retry: marked and recorded, never scored; its card
            // replaces the first try's.
            retrying.0 = None;
            let elapsed = u64::try_from(time.elapsed().saturating_sub(retry.started).as_millis()).unwrap_or(u64::MAX);
            let who = active.record.group.as_ref().map(|g| g.answerer(&active.session, &Action::Retry(Box::new(action.clone()))));
            match active.session.retry(action.clone(), elapsed) {
                Ok(step) => {
                    let step = step.clone();
                    active.credit(who);
                    autosave(active, &paths);
                    active.feedback = Some(Feedback { step, ended: false });
                }
                Err(e) => notice.0 = Some(e.message(settings.lang)),
            }
            continue;
        }
        if active.feedback.is_some() || active.session.is_ended() {
            continue;
        }
        let now = time.elapsed();
        let elapsed = active.elapsed_ms(now);
        let who = active.record.group.as_ref().map(|g| g.answerer(&active.session, action));
        let step = match active.session.answer(action.clone(), elapsed) {
            Ok(step) => step.clone(),
            Err(e) => {
                notice.0 = Some(e.to_string());
                continue;
            }
        };
        active.credit(who);
        after_step(step, active, &paths, &settings, now, &mut outcome, &mut next);
    }
}

/// A countdown or a ringing phone that ran out: the core's timeout happens now.
fn tick_countdown(
    time: Res<Time<Real>>,
    paths: Res<AppPaths>,
    settings: Res<Settings>,
    mut attempt: ResMut<Attempt>,
    mut outcome: ResMut<Outcome>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(active) = attempt.0.as_mut() else { return };
    if active.feedback.is_some() || active.session.is_ended() {
        return;
    }
    let now = time.elapsed();
    let elapsed = active.elapsed_ms(now);
    let who = active.turn().map(|t| t.member);
    let Some(step) = active.session.tick(elapsed).cloned() else { return };
    active.credit(who);
    after_step(step, active, &paths, &settings, now, &mut outcome, &mut next);
}

/// "Try again" on the feedback card (practice mode): show the activity again.
fn apply_try_again(mut intents: MessageReader<Intent>, time: Res<Time<Real>>, attempt: Res<Attempt>, mut retrying: ResMut<Retrying>) {
    for intent in intents.read() {
        if *intent != Intent::TryAgain {
            continue;
        }
        let Some(active) = attempt.0.as_ref() else { continue };
        if !active.can_retry() {
            continue;
        }
        if let Some(node) = active.session.retry_target() {
            retrying.0 = Some(Retry { node: node.to_string(), steps: active.session.steps().len(), started: time.elapsed() });
        }
    }
}

fn apply_dismiss(
    mut intents: MessageReader<Intent>,
    time: Res<Time<Real>>,
    mut attempt: ResMut<Attempt>,
    mut retrying: ResMut<Retrying>,
    mut next: ResMut<NextState<Screen>>,
) {
    for intent in intents.read() {
        if *intent != Intent::DismissFeedback {
            continue;
        }
        retrying.0 = None;
        let Some(active) = attempt.0.as_mut() else { continue };
        if let Some(fb) = active.feedback.take() {
            active.shown_at = time.elapsed();
            if fb.ended {
                next.set(Screen::Results);
            }
        }
    }
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn apply_resume(
    mut intents: MessageReader<Intent>,
    library: Res<Library>,
    time: Res<Time<Real>>,
    paths: Res<AppPaths>,
    mut resumable: ResMut<Resumable>,
    mut attempt: ResMut<Attempt>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
) {
    for intent in intents.read() {
        if *intent != Intent::Resume {
            continue;
        }
        let Some(rec) = resumable.0.clone() else { continue };
        let Some(entry) = library.find(&rec.scenario_id) else {
            notice.0 = Some(format!("scenario `{}` not found", rec.scenario_id));
            continue;
        };
        let loaded = entry.loaded.clone();
        match Session::replay(Arc::clone(&loaded.scenario), rec.seed, &rec.log) {
            Ok(session) => {
                let mut active = Active {
                    scorer: Scorer::new(Arc::clone(&loaded.scenario)),
                    exam_mode: rec.exam_mode,
                    loaded,
                    session,
                    record: rec,
                    shown_at: time.elapsed(),
                    feedback: None,
                    hints: Vec::new(),
                    autosave_error: None,
                    trial: false,
                    hint_preview: None,
                    key: paths.class_key().ok().flatten(),
                };
                active.refresh_hint_preview();
                if active.record.scenario_hash != active.loaded.hash {
                    notice.0 = Some(format!("{}: the scenario file changed since this attempt started", active.loaded.path.display()));
                }
                autosave(&mut active, &paths);
                resumable.0 = None;
                attempt.0 = Some(active);
                next.set(Screen::Play);
            }
            Err((i, e)) => notice.0 = Some(format!("{}: {} {}: {e}", paths.autosave.display(), "log entry", i + 1)),
        }
    }
}

fn apply_discard(mut intents: MessageReader<Intent>, paths: Res<AppPaths>, settings: Res<Settings>, mut resumable: ResMut<Resumable>, mut notice: ResMut<Notice>) {
    for intent in intents.read() {
        if *intent == Intent::DiscardResume
            && let Some(rec) = resumable.0.take()
        {
            file_abandoned(&rec, &paths, &settings, &mut notice);
        }
    }
}

fn apply_navigation(
    mut intents: MessageReader<Intent>,
    mut attempt: ResMut<Attempt>,
    mut retrying: ResMut<Retrying>,
    mut resumable: ResMut<Resumable>,
    outcome: Res<Outcome>,
    mut next: ResMut<NextState<Screen>>,
) {
    for intent in intents.read() {
        match intent {
            Intent::LeavePlay => {
                retrying.0 = None;
                if let Some(active) = attempt.0.take()
                    && !active.session.is_ended()
                    && !active.trial
                {
                    resumable.0 = Some(active.record);
                }
                next.set(Screen::Library);
            }
            Intent::ToLibrary => {
                if attempt.0.as_ref().is_some_and(|a| a.session.is_ended()) {
                    attempt.0 = None;
                }
                next.set(Screen::Library);
            }
            Intent::ShowResults if outcome.0.is_some() => next.set(Screen::Results),
            Intent::ShowReview if outcome.0.is_some() => next.set(Screen::Review),
            _ => {}
        }
    }
}

/// Feedback lines of a step in `lang`.
pub fn render_all(session: &Session, texts: &[Text], lang: Lang) -> Vec<String> {
    texts.iter().map(|t| session.render(t, lang)).collect()
}

/// The 5S and criterion points of a step, for the feedback card ("迅速 +4").
pub fn effects_line(effects: &BTreeMap<String, f64>, sc: &Scenario, lang: Lang) -> String {
    effects
        .iter()
        .filter(|(_, v)| **v != 0.0)
        .map(|(k, v)| {
            let name = crate::scenario::Dim::from_key(k)
                .map(|d| d.name(lang).to_string())
                .or_else(|| sc.rubric.criteria.iter().find(|c| &c.key == k).map(|c| c.name.get(lang).to_string()))
                .unwrap_or_else(|| k.clone());
            let v = (v * 10.0).round() / 10.0;
            if v > 0.0 { format!("{name} +{v}") } else { format!("{name} {v}") }
        })
        .collect::<Vec<_>>()
        .join("  ")
}
