//! What the teacher view remembers between runs (`teacher.ron`): its class, entries and
//! records, export folder and the teacher password's hash. Shared: the teacher view edits it,
//! the lock keeps the password in it, the start screen reads its class for the class list.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::settings::AppPaths;

/// The teacher view's own settings file, in the app's config folder.
pub const PREFS_FILE: &str = "teacher.ron";

/// What the teacher view remembers between runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeacherPrefs {
    /// The class last opened (class .ron or roster .csv).
    pub class_file: Option<PathBuf>,
    /// An entries file named by the teacher; `None` = beside the class file.
    pub entries_file: Option<PathBuf>,
    /// A records folder named by the teacher; `None` = the app's records folder.
    pub records_dir: Option<PathBuf>,
    /// Where the last grade sheet was written.
    pub export_dir: Option<PathBuf>,
    /// The Moodle CSV box.
    pub moodle: bool,
    /// The teacher password as an Argon2id PHC string (`app::lock`); `None` until one is set.
    /// Deleting this line resets the password (the next use asks for a new one).
    pub password: Option<String>,
}

impl TeacherPrefs {
    /// Read the file; a missing one gives the defaults, a damaged one the defaults and why.
    pub fn load(path: &Path) -> (TeacherPrefs, Option<String>) {
        super::settings::load_ron(path)
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        super::settings::save_ron(path, self)
    }
}

/// `teacher.ron` in the folder of the app's settings file.
pub fn prefs_file(paths: &AppPaths) -> PathBuf {
    paths.settings_file.with_file_name(PREFS_FILE)
}

