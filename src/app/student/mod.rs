//! The student's side: sign in, the library, the briefing, play, results and the review. Its
//! logic (the [`apply::apply_intents`] system, start-up checks) runs headless; each screen file
//! adds its drawing. Depends on the shared modules only (`attempt`, `intent`, `screen`, `page`,
//! `settings`, `library`, `prefs`, `theme`), never on the teacher or authoring features.

pub mod apply;
pub mod briefing;
pub mod library_screen;
pub mod play;
pub mod results;
pub mod review;
pub mod start;
pub mod table;

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_state::prelude::*;

pub use library_screen::SignOutConfirm;
pub use start::{ResumeTitle, StartForm, digits_only};

use super::attempt::{Attempt, Outcome, Retrying};
use super::intent::{Note, Notice};
use super::library::Library;
use super::prefs::{TeacherPrefs, prefs_file};
use super::screen::Screen;
use super::settings::{AppPaths, Settings};
use crate::records::AttemptRecord;
use crate::records::store::{save_record, save_text};
use crate::roster::{Class, load_any};
use crate::scenario::{Lang, Loaded, Scenario, Text};
use crate::session::Session;

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

/// An autosaved attempt found at start-up (or left by "leave"), offered for resuming.
#[derive(Resource, Default)]
pub struct Resumable(pub Option<AttemptRecord>);

/// The class the Start screen offers to pick from: the teacher view's last class file, read
/// again each time the Start screen opens. `None` when there is none or it does not load (that
/// is logged, not shown to students).
#[derive(Resource, Default)]
pub struct ClassList(pub Option<Class>);


/// Logic side: the student's resources, the start-up checks and the one intent system.
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Attempt>()
        .init_resource::<Retrying>()
        .init_resource::<Selected>()
        .init_resource::<Outcome>()
        .init_resource::<Resumable>()
        .init_resource::<Library>()
        .init_resource::<ClassList>()
        .add_plugins(start::form_plugin)
        .add_systems(OnEnter(Screen::Start), load_class_list)
        .add_systems(Startup, (load_settings, check_autosave, send_waiting).chain())
        .add_systems(OnEnter(Screen::Library), rescan_library)
        .add_systems(Update, (apply::apply_intents, apply::tick_countdown.run_if(in_state(Screen::Play))).chain());
}

/// Drawing side: every student screen's egui system.
pub(super) fn ui_plugin(app: &mut App) {
    app.add_plugins((start::plugin, library_screen::plugin, briefing::plugin, play::plugin, results::plugin, review::plugin));
}

fn rescan_library(mut library: ResMut<Library>, paths: Res<AppPaths>, settings: Res<Settings>) {
    apply::rescan(&mut library, &paths, &settings);
}

fn load_settings(mut commands: Commands, paths: Res<AppPaths>, existing: Option<Res<Settings>>, mut notice: ResMut<Notice>) {
    if existing.is_some() {
        return;
    }
    let (settings, problem) = Settings::load(&paths.settings_file);
    notice.0 = problem.as_deref().map(Note::settings_unread);
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
        notice.set(Note::new(format!("班级密钥文件无法读取，作答记录不加签名：{e}"), format!("The class key file cannot be read; attempts are filed unsigned: {e}")));
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
                    notice.set(Note::new("保存的作答在 Kefu 之外被改动过，不能继续；它已原样交给老师查看。", "The saved attempt was changed outside Kefu and cannot be continued; it was filed as it is for the teacher to look at."));
                }
                Err(e) => notice.set(Note::about(&dir, "作答记录无法保存到记录文件夹", "the attempt could not be filed in the records folder", e)),
            }
        }
        Ok(rec) if !rec.finished => resumable.0 = Some(rec),
        // Finished, but filing it failed last time (e.g. the network folder was away): file it now.
        Ok(rec) => {
            let (dir, _) = paths.records_dir(&settings);
            match save_record(&dir, &rec, key.as_ref()) {
                Ok(path) => {
                    let _ = std::fs::remove_file(&paths.autosave);
                    apply::to_lrs_later(&path, &paths, &settings);
                }
                Err(e) => notice.set(Note::about(&dir, "作答记录无法保存到记录文件夹", "the attempt could not be filed in the records folder", e)),
            }
        }
        Err(e) => notice.set(Note::about(&paths.autosave, "保存的作答无法读取", "the saved attempt cannot be read", e)),
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

/// Fill the start screen's fields (the scripted walk-through types this way).
pub fn start_form_fill(world: &mut World, id: &str, name: &str) {
    let mut f = world.resource_mut::<start::StartForm>();
    f.id = id.to_string();
    f.name = name.to_string();
}

/// What the start screen's 学号 and 姓名 fields hold.
pub fn start_form(world: &World) -> (String, String) {
    let f = world.resource::<start::StartForm>();
    (f.id.clone(), f.name.clone())
}

/// Type `text` into the start screen's 学号 field as a keyboard would (letters are refused).
pub fn start_form_type_id(world: &mut World, text: &str) {
    world.resource_mut::<start::StartForm>().type_id(text);
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
