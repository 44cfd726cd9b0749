//! The one path an [`Intent`] takes: [`apply_intents`] reads each intent in the order it was
//! sent and `match`es it to the change it asks for (sign-in, settings, the library, the attempt,
//! navigation). No egui here: the headless tests send the same intents and run this system.
//! Authoring mode's and the teacher's own intents (`AuthorIntent`, `TeacherIntent`) have their
//! own appliers in their features; `Intent::OpenGrading`/`OpenAuthoring` are theirs to apply.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_state::prelude::*;

use super::{ClassList, Picked, Resumable, Selected};
use crate::app::attempt::{Active, Attempt, Feedback, Finished, MemberResult, Outcome, Retry, Retrying};
use crate::app::intent::{Intent, Note, Notice};
use crate::app::library::{self, Library};
use crate::app::screen::{Screen, SettingsReturn};
use crate::app::settings::{AppPaths, Settings};
use crate::records::store::{save_record, write_atomic};
use crate::records::{AttemptRecord, Player};
use crate::scenario::Lang;
use crate::scoring::{Ratings, Scorer};
use crate::session::autoplay::{self, Policy};
use crate::session::{Action, Session, Step};

/// Everything an intent may change, as one system parameter.
#[derive(SystemParam)]
pub(super) struct Apply<'w> {
    settings: ResMut<'w, Settings>,
    paths: Res<'w, AppPaths>,
    notice: ResMut<'w, Notice>,
    state: Res<'w, State<Screen>>,
    next: ResMut<'w, NextState<Screen>>,
    back: ResMut<'w, SettingsReturn>,
    time: Res<'w, Time<Real>>,
    library: ResMut<'w, Library>,
    list: Res<'w, ClassList>,
    selected: ResMut<'w, Selected>,
    attempt: ResMut<'w, Attempt>,
    retrying: ResMut<'w, Retrying>,
    resumable: ResMut<'w, Resumable>,
    outcome: ResMut<'w, Outcome>,
}

/// Apply every intent sent since the last frame, in the order they were sent.
pub(super) fn apply_intents(mut intents: MessageReader<Intent>, mut w: Apply) {
    for intent in intents.read() {
        w.apply(intent);
    }
}

impl Apply<'_> {
    fn apply(&mut self, intent: &Intent) {
        match intent {
            Intent::SignIn { id, name, group } => self.sign_in(id, name, group.clone()),
            Intent::SignInGroup { name, members } => self.sign_in_group(name, members),
            Intent::SignOut => self.sign_out(),
            Intent::SetLang(lang) => {
                if self.settings.lang != *lang {
                    self.settings.lang = *lang;
                    self.save_settings();
                }
            }
            Intent::SetProjector(on) => {
                if self.settings.projector != *on {
                    self.settings.projector = *on;
                    self.save_settings();
                }
            }
            Intent::OpenSettings => {
                if *self.state.get() != Screen::Settings {
                    self.back.0 = *self.state.get();
                }
                self.next.set(Screen::Settings);
            }
            Intent::SaveSettings(s) => {
                *self.settings = s.clone();
                self.save_settings();
                self.next.set(self.back.0);
            }
            Intent::CloseSettings => self.next.set(self.back.0),
            Intent::SaveLrs(section) => self.save_lrs(section),
            Intent::SendLrsNow => {
                if let Ok(Some(cfg)) = self.paths.lrs() {
                    crate::lrs::send_in_background(cfg, true);
                }
            }
            Intent::Rescan => rescan(&mut self.library, &self.paths, &self.settings),
            Intent::Pick(id) => self.pick(id),
            Intent::Resume => self.resume(),
            Intent::DiscardResume => {
                if let Some(rec) = self.resumable.0.take() {
                    file_abandoned(&rec, &self.paths, &self.settings, &mut self.notice);
                }
            }
            Intent::Begin { seed } => self.begin(*seed),
            Intent::Hint => self.hint(),
            Intent::PassTo(to) => self.pass(*to),
            Intent::TryAgain => self.try_again(),
            Intent::Answer(action) => self.answer(action),
            Intent::DismissFeedback => self.dismiss(),
            Intent::LeavePlay => {
                self.retrying.0 = None;
                if let Some(active) = self.attempt.0.take()
                    && !active.session.is_ended()
                    && !active.trial
                {
                    self.resumable.0 = Some(active.record);
                }
                self.next.set(Screen::Library);
            }
            Intent::ToLibrary => {
                if self.attempt.0.as_ref().is_some_and(|a| a.session.is_ended()) {
                    self.attempt.0 = None;
                }
                self.next.set(Screen::Library);
            }
            Intent::ShowResults if self.outcome.0.is_some() => self.next.set(Screen::Results),
            Intent::ShowReview if self.outcome.0.is_some() => self.next.set(Screen::Review),
            Intent::ShowResults | Intent::ShowReview => {}
            // Applied by the teacher and authoring features.
            Intent::OpenGrading | Intent::OpenAuthoring => {}
        }
    }

    fn save_settings(&mut self) {
        save_settings(&self.settings, &self.paths, &mut self.notice);
    }

    fn sign_in(&mut self, id: &str, name: &str, group: Option<String>) {
        let (id, name) = (id.trim(), name.trim());
        if id.is_empty() || name.is_empty() {
            return;
        }
        let group = group.or_else(|| self.list.0.as_ref().and_then(|c| c.find(id)).map(|(g, _)| g.name.clone()));
        self.settings.student_id = id.to_string();
        self.settings.student_name = name.to_string();
        self.settings.student_group = group;
        self.settings.team = None;
        self.save_settings();
        self.next.set(Screen::Library);
    }

    fn sign_in_group(&mut self, name: &str, members: &[crate::session::group::Member]) {
        let members: Vec<_> = members.iter().filter(|m| !m.id.trim().is_empty()).cloned().collect();
        let Some(first) = members.first() else { return };
        self.settings.student_id = first.id.trim().to_string();
        self.settings.student_name = first.name.trim().to_string();
        self.settings.student_group = Some(name.trim().to_string()).filter(|n| !n.is_empty());
        self.settings.team = Some(crate::app::settings::Team { name: name.trim().to_string(), members });
        self.save_settings();
        self.next.set(Screen::Library);
    }

    fn sign_out(&mut self) {
        // Forgotten on disk too: the next student finds empty fields, also after a restart.
        let s = &self.settings;
        if !s.student_id.is_empty() || !s.student_name.is_empty() || s.student_group.is_some() || s.team.is_some() {
            self.settings.student_id.clear();
            self.settings.student_name.clear();
            self.settings.student_group = None;
            self.settings.team = None;
            self.save_settings();
        }
        self.next.set(Screen::Start);
    }

    fn save_lrs(&mut self, section: &crate::lrs::config::LrsSection) {
        let paths = &self.paths;
        let file = paths.lrs_file.display().to_string();
        let checked = crate::lrs::config::resolve(section.clone(), &file, |_| None);
        let note = match checked {
            Err(e) => Note::from_message(|l| e.message(l).to_string()),
            Ok(_) => match crate::lrs::config::save_section(&paths.lrs_file, section) {
                Ok(()) => match paths.lrs() {
                    Ok(Some(cfg)) => {
                        crate::lrs::send_in_background(cfg, true);
                        Note::new(format!("学习记录存储（LRS）设置已保存：{file}"), format!("LRS settings saved: {file}"))
                    }
                    Ok(None) => {
                        crate::lrs::stop_background();
                        Note::new(format!("已关闭发送到 LRS：{file}"), format!("Sending to an LRS is off: {file}"))
                    }
                    Err(e) => Note::from_message(|l| e.message(l).to_string()),
                },
                Err(e) => Note::from_message(|l| e.message(l).to_string()),
            },
        };
        self.notice.set(note);
    }

    fn pick(&mut self, id: &str) {
        let Some(e) = self.library.find(id) else {
            self.notice.set(Note::new(format!("找不到场景“{id}”"), format!("no scenario `{id}`")));
            return;
        };
        let seed = rand::random();
        match Session::new(Arc::clone(&e.loaded.scenario), seed) {
            Ok(preview) => {
                self.selected.0 = Some(Picked { loaded: e.loaded.clone(), seed, preview });
                self.next.set(Screen::Briefing);
            }
            Err(err) => {
                let p = e.loaded.path.display().to_string();
                self.notice.set(Note::from_message(|l| format!("{p}: {}", err.message(l))));
            }
        }
    }

    fn begin(&mut self, seed: Option<u64>) {
        let Some(picked) = self.selected.0.as_ref() else { return };
        let loaded = picked.loaded.clone();
        let seed = seed.unwrap_or(picked.seed);
        // Starting anew replaces the autosave: file the old attempt first so nothing is lost.
        if let Some(old) = self.resumable.0.take() {
            file_abandoned(&old, &self.paths, &self.settings, &mut self.notice);
        }
        let session = match Session::new(Arc::clone(&loaded.scenario), seed) {
            Ok(s) => s,
            Err(e) => {
                self.notice.set(Note::from_message(|l| e.message(l)));
                return;
            }
        };
        let settings = &self.settings;
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
            shown_at: self.time.elapsed(),
            feedback: None,
            hints: Vec::new(),
            exam_mode: settings.exam_mode,
            autosave_error: None,
            trial: false,
            hint_preview: None,
            key: self.paths.class_key().ok().flatten(),
        };
        active.refresh_hint_preview();
        autosave(&mut active, &self.paths);
        self.attempt.0 = Some(active);
        self.retrying.0 = None;
        self.next.set(Screen::Play);
    }

    fn hint(&mut self) {
        let Some(active) = self.attempt.0.as_mut() else { return };
        if active.feedback.is_some() {
            return;
        }
        let now = active.elapsed_ms(self.time.elapsed());
        let who = active.turn().map(|t| t.member);
        match active.session.hint(now) {
            Ok(text) => {
                active.credit(who);
                active.hints.push(text);
                active.refresh_hint_preview();
                autosave(active, &self.paths);
            }
            Err(e) => self.notice.set(Note::from_message(|l| e.message(l))),
        }
    }

    /// Group play: the member whose turn it is hands the decision to a teammate (recorded).
    fn pass(&mut self, to: usize) {
        let Some(active) = self.attempt.0.as_mut() else { return };
        if active.feedback.is_some() || active.session.is_ended() {
            return;
        }
        let passed = match active.record.group.as_mut() {
            Some(g) => g.pass(&active.session, to),
            None => false,
        };
        if passed {
            autosave(active, &self.paths);
        }
    }

    /// "Try again" on the feedback card (practice mode): show the activity again.
    fn try_again(&mut self) {
        let Some(active) = self.attempt.0.as_ref() else { return };
        if !active.can_retry() {
            return;
        }
        if let Some(node) = active.session.retry_target() {
            self.retrying.0 = Some(Retry { node: node.to_string(), steps: active.session.steps().len(), started: self.time.elapsed() });
        }
    }

    fn answer(&mut self, action: &Action) {
        let Some(active) = self.attempt.0.as_mut() else { return };
        if let Some(retry) = self.retrying.current(active).cloned() {
            // The answer of a practice retry: marked and recorded, never scored; its card
            // replaces the first try's.
            self.retrying.0 = None;
            let elapsed = u64::try_from(self.time.elapsed().saturating_sub(retry.started).as_millis()).unwrap_or(u64::MAX);
            let who = active.record.group.as_ref().map(|g| g.answerer(&active.session, &Action::Retry(Box::new(action.clone()))));
            match active.session.retry(action.clone(), elapsed) {
                Ok(step) => {
                    let step = step.clone();
                    active.credit(who);
                    autosave(active, &self.paths);
                    active.feedback = Some(Feedback { step, ended: false });
                }
                Err(e) => self.notice.set(Note::from_message(|l| e.message(l))),
            }
            return;
        }
        if active.feedback.is_some() || active.session.is_ended() {
            return;
        }
        let now = self.time.elapsed();
        let elapsed = active.elapsed_ms(now);
        let who = active.record.group.as_ref().map(|g| g.answerer(&active.session, action));
        let step = match active.session.answer(action.clone(), elapsed) {
            Ok(step) => step.clone(),
            Err(e) => {
                self.notice.set(Note::from_message(|l| e.message(l)));
                return;
            }
        };
        active.credit(who);
        after_step(step, active, &self.paths, &self.settings, now, &mut self.outcome, &mut self.next);
    }

    fn dismiss(&mut self) {
        self.retrying.0 = None;
        let Some(active) = self.attempt.0.as_mut() else { return };
        if let Some(fb) = active.feedback.take() {
            active.shown_at = self.time.elapsed();
            if fb.ended {
                self.next.set(Screen::Results);
            }
        }
    }

    fn resume(&mut self) {
        let Some(rec) = self.resumable.0.clone() else { return };
        let Some(entry) = self.library.find(&rec.scenario_id) else {
            let id = &rec.scenario_id;
            self.notice.set(Note::new(format!("找不到场景“{id}”，无法继续"), format!("scenario `{id}` not found")));
            return;
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
                    shown_at: self.time.elapsed(),
                    feedback: None,
                    hints: Vec::new(),
                    autosave_error: None,
                    trial: false,
                    hint_preview: None,
                    key: self.paths.class_key().ok().flatten(),
                };
                active.refresh_hint_preview();
                if active.record.scenario_hash != active.loaded.hash {
                    let p = active.loaded.path.display();
                    self.notice.set(Note::new(format!("{p}：这次作答开始后，场景文件改过了"), format!("{p}: the scenario file changed since this attempt started")));
                }
                autosave(&mut active, &self.paths);
                self.resumable.0 = None;
                self.attempt.0 = Some(active);
                self.next.set(Screen::Play);
            }
            Err((i, e)) => {
                let (p, n) = (self.paths.autosave.display(), i + 1);
                self.notice.set(Note::new(format!("{p}：第 {n} 条记录：{}", e.message(Lang::Zh)), format!("{p}: log entry {n}: {}", e.message(Lang::En))));
            }
        }
    }
}

pub(super) fn save_settings(settings: &Settings, paths: &AppPaths, notice: &mut Notice) {
    if let Err(e) = settings.save(&paths.settings_file) {
        notice.set(Note::about(&paths.settings_file, "设置无法保存", "the settings could not be saved", e));
    }
}

/// Look for scenario files again (entering the library, or its 刷新 button).
pub(super) fn rescan(library: &mut Library, paths: &AppPaths, settings: &Settings) {
    let (records, _) = paths.records_dir(settings);
    *library = library::scan(&paths.scenario_search(settings), &records, &settings.student_id);
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
pub(super) fn file_abandoned(rec: &AttemptRecord, paths: &AppPaths, settings: &Settings, notice: &mut Notice) {
    if !rec.log.is_empty() {
        let (dir, _) = paths.records_dir(settings);
        match save_record(&dir, rec, paths.class_key().ok().flatten().as_ref()) {
            Ok(path) => to_lrs_later(&path, paths, settings),
            Err(e) => {
                notice.set(Note::about(&dir, "作答记录无法保存到记录文件夹", "the attempt could not be filed in the records folder", e));
                return;
            }
        }
    }
    let _ = std::fs::remove_file(&paths.autosave);
}

/// A record filed away from its attempt (unfinished, or at the next start): to the LRS too, when
/// one is set up, its scenario found by id.
pub(super) fn to_lrs_later(path: &Path, paths: &AppPaths, settings: &Settings) {
    if let Ok(Some(cfg)) = paths.lrs() {
        match crate::lrs::queue_saved_in(&cfg, path, &paths.scenario_search(settings)) {
            Ok(()) => crate::lrs::send_in_background(cfg, false),
            Err(e) => warn!("LRS: {e}"),
        }
    }
}

/// After an answer or a timeout: autosave, then feedback, the next node, or the end.
fn after_step(step: Step, active: &mut Active, paths: &AppPaths, settings: &Settings, now: Duration, outcome: &mut Outcome, next: &mut NextState<Screen>) -> bool {
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

/// A countdown or a ringing phone that ran out: the core's timeout happens now.
pub(super) fn tick_countdown(
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
