//! Where records live: the `--records` flag, else the `KEFU_RECORDS` environment variable (a
//! network folder on lab PCs with restore cards), else the user's data folder.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::store::RECORDS_ENV;

/// The per-user default: `<data dir>/records`, e.g. `~/.local/share/kefu/records` on Linux,
/// `%APPDATA%\kefu\data\records` on Windows. `None` when the system names no home folder.
pub fn default_records_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kefu").map(|d| d.data_dir().join("records"))
}

/// The records folder: `flag` if given, else `$KEFU_RECORDS` if set and not empty, else the
/// per-user default, else `records` in the current folder.
pub fn records_dir(flag: Option<&Path>) -> PathBuf {
    resolve(flag, std::env::var_os(RECORDS_ENV), default_records_dir)
}

/// [`records_dir`] with its inputs passed in (for tests and callers with their own settings).
pub fn resolve(flag: Option<&Path>, env: Option<OsString>, default: impl FnOnce() -> Option<PathBuf>) -> PathBuf {
    if let Some(f) = flag.filter(|f| !f.as_os_str().is_empty()) {
        return f.to_path_buf();
    }
    if let Some(e) = env.filter(|e| !e.is_empty()) {
        return PathBuf::from(e);
    }
    default().unwrap_or_else(|| PathBuf::from("records"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_then_env_then_default() {
        let d = || Some(PathBuf::from("/home/x/.local/share/kefu/records"));
        assert_eq!(resolve(Some(Path::new("/flag")), Some("/env".into()), d), PathBuf::from("/flag"));
        assert_eq!(resolve(None, Some("/env".into()), d), PathBuf::from("/env"));
        assert_eq!(resolve(None, Some("".into()), d), PathBuf::from("/home/x/.local/share/kefu/records"));
        assert_eq!(resolve(None, None, || None), PathBuf::from("records"));
    }

    #[test]
    fn default_ends_in_records() {
        if let Some(d) = default_records_dir() {
            assert!(d.ends_with("records"));
        }
    }
}
