//! Where the LRS is and how to reach it: `[lrs]` in `kefu.toml`, each field overridable by an
//! environment variable. Never stored in a record.
//!
//! ```toml
//! [lrs]
//! endpoint = "https://lrs.myschool.edu.cn/xAPI/"
//! key = "kefu-lab"
//! secret = "…"
//! home_page = "https://www.myschool.edu.cn"   # the school's site: students are accounts there
//! class = "物流2301"                          # optional: written into each statement's context
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::scenario::Lang;

/// A `kefu.toml` to read instead of the usual places.
pub const CONFIG_ENV: &str = "KEFU_CONFIG";
pub const ENDPOINT_ENV: &str = "KEFU_LRS_ENDPOINT";
pub const KEY_ENV: &str = "KEFU_LRS_KEY";
pub const SECRET_ENV: &str = "KEFU_LRS_SECRET";
pub const HOME_PAGE_ENV: &str = "KEFU_LRS_HOME_PAGE";
pub const CLASS_ENV: &str = "KEFU_LRS_CLASS";
/// Where statements wait until the LRS takes them.
pub const OUTBOX_ENV: &str = "KEFU_LRS_OUTBOX";

/// Largest `kefu.toml` read (a settings file is a few lines).
const CONFIG_LIMIT: u64 = 256 * 1024;

/// The `[lrs]` table as written in `kefu.toml` (every field may also come from the environment).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LrsSection {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub home_page: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<PathBuf>,
    /// Seconds one request may take before the LRS counts as unreachable (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
}

/// The whole `kefu.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lrs: Option<LrsSection>,
}

/// The LRS settings in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LrsConfig {
    /// The xAPI endpoint without a trailing `/` (statements are at `{endpoint}/statements`).
    pub endpoint: String,
    pub key: String,
    pub secret: String,
    /// The school's home page without a trailing `/`: actors are accounts there, activities
    /// are named under it.
    pub home_page: String,
    pub class: Option<String>,
    pub outbox: PathBuf,
    pub timeout: Duration,
    /// Where the settings came from, for `kefu lrs status` ("kefu.toml", "environment").
    pub source: String,
}

/// A problem with the settings, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub zh: String,
    pub en: String,
}

impl ConfigError {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> ConfigError {
        ConfigError { zh: zh.into(), en: en.into() }
    }
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// The per-user `kefu.toml` (`~/.config/kefu/kefu.toml` on Linux, `%APPDATA%\kefu\config\kefu.toml`
/// on Windows); the app's settings screen writes it.
pub fn user_config_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kefu").map(|d| d.config_dir().join("kefu.toml"))
}

/// The default outbox: `<data folder>/lrs-outbox`.
pub fn default_outbox() -> PathBuf {
    directories::ProjectDirs::from("", "", "kefu").map(|d| d.data_dir().join("lrs-outbox")).unwrap_or_else(|| PathBuf::from("lrs-outbox"))
}

/// The `kefu.toml` in force: `$KEFU_CONFIG`, else `kefu.toml` in the current folder, else the
/// per-user one (whether or not it exists).
pub fn config_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let here = PathBuf::from("kefu.toml");
    if here.is_file() {
        return Some(here);
    }
    user_config_file()
}

/// Read a `kefu.toml`; a missing file is an empty one.
pub fn read_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = match read_small(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(e) => return Err(ConfigError::new(format!("{}：无法读取：{e}", path.display()), format!("{}: cannot read: {e}", path.display()))),
    };
    parse(path, &text)
}

fn read_small(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let f = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    f.take(CONFIG_LIMIT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > CONFIG_LIMIT {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, format!("larger than {} KiB: not a settings file", CONFIG_LIMIT / 1024)));
    }
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Parse `kefu.toml` text; errors name `path:line:col`.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    let text = crate::fsread::normalize(text);
    toml::from_str::<ConfigFile>(&text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((1, 1));
        let msg = crate::fsread::clip(e.message());
        ConfigError::new(format!("{}:{line}:{col}：设置文件有误：{msg}", path.display()), format!("{}:{line}:{col}: settings file: {msg}", path.display()))
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The settings in force: `kefu.toml` ([`config_file`]) with the environment over it. `Ok(None)`
/// when no endpoint is set anywhere (the LRS is not used).
pub fn load() -> Result<Option<LrsConfig>, ConfigError> {
    let (section, source) = match config_file() {
        Some(path) => (read_file(&path)?.lrs.unwrap_or_default(), path.display().to_string()),
        None => (LrsSection::default(), String::new()),
    };
    resolve(section, &source, |k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// The settings of one `kefu.toml` (missing = empty) with the environment over it: what the app
/// uses, with the file its settings screen writes.
pub fn load_from(path: &Path) -> Result<Option<LrsConfig>, ConfigError> {
    let section = read_file(path)?.lrs.unwrap_or_default();
    resolve(section, &path.display().to_string(), |k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// [`load`] with the file's section and the environment passed in.
pub fn resolve(mut s: LrsSection, file: &str, env: impl Fn(&str) -> Option<String>) -> Result<Option<LrsConfig>, ConfigError> {
    let mut from_env = false;
    for (var, field) in [(ENDPOINT_ENV, &mut s.endpoint), (KEY_ENV, &mut s.key), (SECRET_ENV, &mut s.secret), (HOME_PAGE_ENV, &mut s.home_page)] {
        if let Some(v) = env(var) {
            *field = v;
            from_env = true;
        }
    }
    if let Some(c) = env(CLASS_ENV) {
        s.class = Some(c);
    }
    if let Some(o) = env(OUTBOX_ENV) {
        s.outbox = Some(PathBuf::from(o));
    }
    let source = match (file.is_empty(), from_env) {
        (true, _) => "environment".to_string(),
        (false, true) => format!("{file} + environment"),
        (false, false) => file.to_string(),
    };
    let endpoint = s.endpoint.trim().trim_end_matches('/').to_string();
    if endpoint.is_empty() {
        return Ok(None);
    }
    let at = if file.is_empty() { "KEFU_LRS_*".to_string() } else { format!("{file} [lrs]") };
    if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) || endpoint.contains(char::is_whitespace) {
        return Err(ConfigError::new(
            format!("{at}：endpoint 必须是 http:// 或 https:// 开头的网址，例如 endpoint = \"https://lrs.myschool.edu.cn/xAPI/\"（现在是“{}”）", crate::fsread::clip(&endpoint)),
            format!("{at}: endpoint must be an http:// or https:// address, e.g. endpoint = \"https://lrs.myschool.edu.cn/xAPI/\" (it is “{}”)", crate::fsread::clip(&endpoint)),
        ));
    }
    let home_page = s.home_page.trim().trim_end_matches('/').to_string();
    if !(home_page.starts_with("http://") || home_page.starts_with("https://")) {
        return Err(ConfigError::new(
            format!("{at}：缺少学校主页 home_page（学生以“学校主页 + 学号”的账号出现在学习记录里），例如 home_page = \"https://www.myschool.edu.cn\""),
            format!("{at}: home_page is missing (students appear in the LRS as accounts: the school's home page + 学号), e.g. home_page = \"https://www.myschool.edu.cn\""),
        ));
    }
    if s.key.is_empty() || s.secret.is_empty() {
        return Err(ConfigError::new(
            format!("{at}：缺少 LRS 的账号 key 和密码 secret（由 LRS 管理员提供）"),
            format!("{at}: key and secret are missing (the LRS's Basic-auth credentials, from whoever runs the LRS)"),
        ));
    }
    let timeout = Duration::from_secs(s.timeout_seconds.unwrap_or(20).clamp(1, 600));
    Ok(Some(LrsConfig {
        endpoint,
        key: s.key,
        secret: s.secret,
        home_page,
        class: s.class.filter(|c| !c.trim().is_empty()),
        outbox: s.outbox.unwrap_or_else(default_outbox),
        timeout,
        source,
    }))
}

/// Write `section` as the `[lrs]` table of `path` (the rest of the file kept), atomically.
pub fn save_section(path: &Path, section: &LrsSection) -> Result<(), ConfigError> {
    // A file that does not read is kept as `kefu.toml.bak` and replaced: the settings screen is
    // how a teacher mends it.
    let mut file = match read_file(path) {
        Ok(f) => f,
        Err(_) if path.is_file() => {
            let _ = std::fs::copy(path, path.with_extension("toml.bak"));
            ConfigFile::default()
        }
        Err(e) => return Err(e),
    };
    file.lrs = if section.endpoint.trim().is_empty() { None } else { Some(section.clone()) };
    let text = toml::to_string(&file).map_err(|e| ConfigError::new(format!("{}：无法写入：{e}", path.display()), format!("{}: cannot write: {e}", path.display())))?;
    let text = format!("# Kefu 客服实训: settings (docs: README, \"LRS\")\n{text}");
    crate::records::store::write_atomic(path, text.as_bytes()).map_err(|e| ConfigError::new(format!("{}：无法写入：{e}", path.display()), format!("{}: cannot write: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> LrsSection {
        LrsSection { endpoint: "http://127.0.0.1:8100/xAPI/".into(), key: "k".into(), secret: "s".into(), home_page: "https://school.example/".into(), ..Default::default() }
    }

    #[test]
    fn nothing_set_means_no_lrs() {
        assert_eq!(resolve(LrsSection::default(), "", |_| None), Ok(None));
    }

    #[test]
    fn trailing_slashes_go_and_env_wins() {
        let c = resolve(section(), "kefu.toml", |k| (k == KEY_ENV).then(|| "from-env".to_string())).ok().flatten();
        let c = c.expect("configured");
        assert_eq!(c.endpoint, "http://127.0.0.1:8100/xAPI");
        assert_eq!(c.home_page, "https://school.example");
        assert_eq!(c.key, "from-env");
        assert_eq!(c.source, "kefu.toml + environment");
    }

    #[test]
    fn bad_settings_say_what_to_write() {
        let e = resolve(LrsSection { endpoint: "lrs.school".into(), ..section() }, "kefu.toml", |_| None).err().map(|e| e.en);
        assert!(e.is_some_and(|m| m.contains("kefu.toml [lrs]: endpoint must be an http://")));
        let e = resolve(LrsSection { home_page: String::new(), ..section() }, "kefu.toml", |_| None).err().map(|e| e.en);
        assert!(e.is_some_and(|m| m.contains("home_page is missing")));
        let e = resolve(LrsSection { secret: String::new(), ..section() }, "", |_| None).err().map(|e| e.en);
        assert!(e.is_some_and(|m| m.starts_with("KEFU_LRS_*: key and secret are missing")));
    }

    #[test]
    fn toml_errors_have_line_and_column() {
        let e = parse(Path::new("kefu.toml"), "[lrs]\nendpoint = \"http://x\"\nsecrt = \"s\"\n").err().map(|e| e.en);
        assert!(e.as_deref().is_some_and(|m| m.starts_with("kefu.toml:3:1: settings file: unknown field `secrt`")), "{e:?}");
        let e = parse(Path::new("kefu.toml"), "[lrs]\nendpoint = \"http://x\n").err().map(|e| e.en);
        assert!(e.as_deref().is_some_and(|m| m.starts_with("kefu.toml:2:")), "{e:?}");
    }

    #[test]
    fn saved_section_reads_back() {
        let dir = std::env::temp_dir().join(format!("kefu-cfg-{}", std::process::id()));
        let path = dir.join("kefu.toml");
        let s = LrsSection { class: Some("物流2301".into()), ..section() };
        assert_eq!(save_section(&path, &s), Ok(()));
        assert_eq!(read_file(&path).map(|f| f.lrs), Ok(Some(s.clone())));
        // A broken file is mended by saving (kept as .bak).
        let _ = std::fs::write(&path, "[lrs\nendpoint = ");
        assert_eq!(save_section(&path, &s), Ok(()));
        assert_eq!(read_file(&path).map(|f| f.lrs), Ok(Some(s)));
        assert!(path.with_extension("toml.bak").is_file());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
