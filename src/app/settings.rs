//! Where the app keeps things, and the settings a student or teacher changes.
//!
//! Settings live in `settings.ron` in the per-user config folder; the in-progress attempt in
//! `current.ron` in the per-user data folder; finished attempts in the records folder
//! (the settings' choice, else `KEFU_RECORDS`, else `<data folder>/records`).

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use crate::records::store::{RECORDS_ENV, write_atomic};
use crate::scenario::Lang;

/// A file to keep the hash in instead of `teacher.ron` (e.g. on a share students cannot write).
pub const LOCK_ENV: &str = "KEFU_TEACHER_LOCK";

/// The folders and files the app reads and writes. Tests point every one into a temp folder.
#[derive(Resource, Clone, Debug)]
pub struct AppPaths {
    /// `settings.ron`.
    pub settings_file: PathBuf,
    /// The autosave of the attempt in progress (`current.ron`).
    pub autosave: PathBuf,
    /// Records folder when neither the settings nor the environment name one.
    pub default_records: PathBuf,
    /// `KEFU_RECORDS` as it was when the app started (empty = unset).
    pub records_env: Option<PathBuf>,
    /// Scenario folders searched besides the one chosen in the settings.
    pub scenario_dirs: Vec<PathBuf>,
    /// Portrait image folders (`assets/portraits/`), first match wins.
    pub portrait_dirs: Vec<PathBuf>,
    /// `KEFU_TEACHER_LOCK` as it was when the app started: a file to keep the teacher password's
    /// hash in instead of `teacher.ron` (see `app::lock`).
    pub teacher_lock_env: Option<PathBuf>,
    /// The class key that signs records (`KEFU_CLASS_KEY`, else `class.key` in the config
    /// folder); none set up when the file is not there.
    pub key_file: Option<PathBuf>,
    /// `kefu.toml`, whose `[lrs]` table the settings screen writes (`KEFU_CONFIG`, else
    /// `kefu.toml` in the working folder, else the config folder's).
    pub lrs_file: PathBuf,
}

impl AppPaths {
    /// The per-user folders of this computer (`directories`), `scenarios/` in the working folder
    /// and beside the program.
    pub fn for_user() -> AppPaths {
        let dirs = directories::ProjectDirs::from("", "", "kefu");
        let (config, data) = match &dirs {
            Some(d) => (d.config_dir().to_path_buf(), d.data_dir().to_path_buf()),
            None => (PathBuf::from("kefu-data"), PathBuf::from("kefu-data")),
        };
        let mut scenario_dirs = vec![PathBuf::from("scenarios")];
        let mut portrait_dirs = vec![PathBuf::from("assets/portraits")];
        if let Some(exe_dir) = std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf)) {
            scenario_dirs.push(exe_dir.join("scenarios"));
            portrait_dirs.push(exe_dir.join("assets/portraits"));
        }
        AppPaths {
            settings_file: config.join("settings.ron"),
            autosave: data.join("current.ron"),
            default_records: crate::records::config::default_records_dir().unwrap_or_else(|| data.join("records")),
            records_env: std::env::var_os(RECORDS_ENV).filter(|v| !v.is_empty()).map(PathBuf::from),
            scenario_dirs,
            portrait_dirs,
            teacher_lock_env: std::env::var_os(LOCK_ENV).filter(|v| !v.is_empty()).map(PathBuf::from),
            key_file: crate::records::seal::default_key_path(),
            lrs_file: crate::lrs::config::config_file().unwrap_or_else(|| config.join("kefu.toml")),
        }
    }

    /// Everything under one folder (tests, portable installs).
    pub fn in_dir(dir: &Path, scenario_dirs: Vec<PathBuf>) -> AppPaths {
        AppPaths {
            settings_file: dir.join("config/settings.ron"),
            autosave: dir.join("data/current.ron"),
            default_records: dir.join("data/records"),
            records_env: None,
            scenario_dirs,
            portrait_dirs: Vec::new(),
            teacher_lock_env: None,
            key_file: Some(dir.join("config/class.key")),
            lrs_file: dir.join("config/kefu.toml"),
        }
    }

    /// The records folder in force, and where that choice came from: the folder chosen in the
    /// settings, else `KEFU_RECORDS`, else the per-user default (the core's
    /// `records::config::resolve`, the settings' folder in the place of `--records`).
    pub fn records_dir(&self, settings: &Settings) -> (PathBuf, RecordsFrom) {
        let chosen = settings.records_dir.as_deref().filter(|d| !d.as_os_str().is_empty());
        let env = self.records_env.clone().map(PathBuf::into_os_string);
        let dir = crate::records::config::resolve(chosen, env, || Some(self.default_records.clone()));
        let from = if chosen.is_some() {
            RecordsFrom::Settings
        } else if self.records_env.is_some() {
            RecordsFrom::Env
        } else {
            RecordsFrom::Default
        };
        (dir, from)
    }

    /// The class key, if this PC has one. A key file that cannot be read is an error (records
    /// are then still saved, unsigned, and the message says why).
    pub fn class_key(&self) -> Result<Option<crate::records::seal::ClassKey>, String> {
        match &self.key_file {
            Some(p) if p.exists() => crate::records::seal::ClassKey::read(p).map(Some).map_err(|e| e.to_string()),
            _ => Ok(None),
        }
    }

    /// The LRS settings in force (`None`: no LRS set up; `Err`: set up wrongly, with why).
    pub fn lrs(&self) -> Result<Option<crate::lrs::LrsConfig>, crate::lrs::config::ConfigError> {
        crate::lrs::config::load_from(&self.lrs_file)
    }

    /// Every folder searched for scenarios, the settings' own folder last.
    pub fn scenario_search(&self, settings: &Settings) -> Vec<PathBuf> {
        let mut out = self.scenario_dirs.clone();
        if let Some(d) = settings.scenario_dir.as_ref().filter(|d| !d.as_os_str().is_empty()) {
            out.push(d.clone());
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordsFrom {
    Settings,
    Env,
    Default,
}

/// The UI scale of projector mode (at least).
pub const PROJECTOR_SCALE: f32 = 1.35;

/// A group playing together: 组别 and its members in turn order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    pub members: Vec<crate::session::group::Member>,
}

/// What the app remembers between runs.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// 学号 of the student signed in (kept until they sign out, so a restart keeps them).
    pub student_id: String,
    /// 姓名 of the student signed in.
    pub student_name: String,
    /// 组别 of that student, when picked from the class list (records carry it).
    pub student_group: Option<String>,
    /// A group signed in to play together (issue 16): its name and members in turn order; the
    /// student fields then hold the first member. Kept until 换人 like the student.
    pub team: Option<Team>,
    /// Projector mode (issue 16): the whole class watches one group play; text at least 28 px
    /// on a 1024×768 projector, the conversation panel folded away, the review one decision at
    /// a time.
    pub projector: bool,
    pub lang: Lang,
    /// Feedback only at the end (set by the teacher).
    pub exam_mode: bool,
    /// A teacher-chosen scenario folder, searched besides `scenarios/`.
    pub scenario_dir: Option<PathBuf>,
    /// A teacher-chosen records folder (e.g. a network share).
    pub records_dir: Option<PathBuf>,
    /// Text size factor for projectors (1.0 = normal).
    pub ui_scale: f32,
    /// Sounds on (the ringing phone, countdown ticks, feedback chimes).
    pub sound: bool,
    /// Silence during exam mode (set by the teacher).
    pub exam_silent: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            student_id: String::new(),
            student_name: String::new(),
            student_group: None,
            team: None,
            projector: false,
            lang: Lang::Zh,
            exam_mode: false,
            scenario_dir: None,
            records_dir: None,
            ui_scale: 1.0,
            sound: true,
            exam_silent: false,
        }
    }
}

/// Read a small RON file of the app's (settings, teacher and authoring preferences): a missing
/// file gives the defaults; a damaged one the defaults and why (`file:line:col: message`).
pub fn load_ron<T: serde::de::DeserializeOwned + Default>(path: &Path) -> (T, Option<String>) {
    match std::fs::read_to_string(path) {
        Ok(text) => match ron::from_str::<T>(&text) {
            Ok(v) => (v, None),
            Err(e) => (T::default(), Some(format!("{}:{}: {}", path.display(), e.span.start, e.code))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (T::default(), None),
        Err(e) => (T::default(), Some(format!("{}: {e}", path.display()))),
    }
}

/// Write a small RON file of the app's atomically.
pub fn save_ron<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let text = ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::new()).map_err(std::io::Error::other)?;
    write_atomic(path, text.as_bytes())
}

impl Settings {
    /// Read the settings file; a missing or damaged file gives the defaults (and says why).
    pub fn load(path: &Path) -> (Settings, Option<String>) {
        load_ron(path)
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        save_ron(path, self)
    }

    /// The UI scale clamped to what still fits a 1280×800 screen.
    pub fn scale(&self) -> f32 {
        let chosen = if self.ui_scale.is_finite() { self.ui_scale.clamp(0.7, 1.6) } else { 1.0 };
        // Body text is 21-24 points: 1.35 makes it 28-32 px, readable from the back of a room.
        if self.projector { chosen.max(PROJECTOR_SCALE) } else { chosen }
    }
}
