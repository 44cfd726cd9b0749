//! Grade sheets from [`ClassGrades`]: an XLSX workbook (a sheet per task and a summary), a CSV
//! table (one row per student and task) and a CSV for Moodle's grade import. Every exporter
//! writes to any `impl Write`; nothing here touches the file system.

pub mod csv;
pub mod xlsx;

use std::path::{Path, PathBuf};

pub use csv::{write_csv, write_moodle_csv};
pub use xlsx::{write_xlsx, xlsx_bytes};

use crate::grades::{ClassGrades, MemberGrades, TaskGrades};
use crate::scenario::{Dim, Lang};

/// What a grade sheet is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// From the file name's extension (`.xlsx`, `.csv`), any case.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Settings shared by the exporters.
#[derive(Clone, Debug)]
pub struct SheetOptions {
    /// The date printed on the sheets, e.g. `2026-11-23`.
    pub date: String,
    /// Language of headings and notes (names and ids are written as they are).
    pub lang: Lang,
}

impl Default for SheetOptions {
    fn default() -> Self {
        SheetOptions { date: today_china(), lang: Lang::Zh }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the workbook: {0}")]
    Xlsx(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<rust_xlsxwriter::XlsxError> for ExportError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        ExportError::Xlsx(e.to_string())
    }
}

/// Write grades in `format`; `moodle` picks the Moodle CSV.
pub fn write(grades: &ClassGrades, format: Format, moodle: bool, opts: &SheetOptions, out: &mut impl std::io::Write) -> Result<(), ExportError> {
    match (format, moodle) {
        (Format::Xlsx, _) => write_xlsx(grades, opts, out),
        (Format::Csv, false) => write_csv(grades, opts, out),
        (Format::Csv, true) => write_moodle_csv(grades, opts, out),
    }
}

/// Today's date in China Standard Time (UTC+8, no daylight saving), where the course is
/// taught: a sheet exported at 07:00 in Beijing carries that day, not yesterday's UTC date.
pub fn today_china() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    date_of(secs + 8 * 3600)
}

/// `YYYY-MM-DD` of a Unix time in seconds.
pub fn date_of(unix_secs: u64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix_secs);
    humantime::format_rfc3339_seconds(t).to_string().chars().take(10).collect()
}

/// Column headings and labels in one language.
pub(crate) struct Words {
    pub lang: Lang,
}

impl Words {
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// `项目1任务3 样例：接听咨询电话`.
    pub fn task(&self, t: &TaskGrades) -> String {
        format!("{} {}", t.label(self.lang), t.title.get(self.lang))
    }

    pub fn dims(&self) -> Vec<String> {
        Dim::ALL.iter().map(|d| format!("{}%", d.name(self.lang))).collect()
    }

    pub fn notes(&self, m: &MemberGrades, extra: &[crate::scenario::Text]) -> String {
        extra.iter().chain(&m.notes).map(|n| n.get(self.lang).to_string()).collect::<Vec<_>>().join(self.t("；", "; "))
    }

    pub fn grade(&self, m: &MemberGrades) -> String {
        m.grade.as_ref().map(|g| g.get(self.lang).to_string()).unwrap_or_default()
    }

    pub fn heading(&self, grades: &ClassGrades, t: &TaskGrades, date: &str) -> String {
        match self.lang {
            Lang::Zh => format!(
                "班级：{}　任务：{}「{}」（{}）　日期：{}　计分：{}",
                grades.class,
                t.label(Lang::Zh),
                t.title.zh,
                t.scenario_id,
                date,
                t.counting.name().zh
            ),
            Lang::En => format!(
                "Class: {}   Task: {} “{}” ({})   Date: {}   Counting: {}",
                grades.class,
                t.label(Lang::En),
                t.title.get(Lang::En),
                t.scenario_id,
                date,
                t.counting.name().get(Lang::En)
            ),
        }
    }
}

/// Round to one decimal (5S percentages, averages in CSV).
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Whether `a` and `b` are the same file (by their real paths; `b` may not exist yet).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (real(a), real(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The real path of `p`, or of its folder joined with its name when `p` does not exist yet.
fn real(p: &Path) -> Option<PathBuf> {
    if let Ok(r) = std::fs::canonicalize(p) {
        return Some(r);
    }
    let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(dir).ok()?.join(p.file_name()?))
}

/// Temporary files an interrupted export of the same sheet left beside it
/// (`.name.xlsx.<hex>.tmp`), older than ten minutes (a newer one may be another export's).
pub fn clean_stale_temps(out: &Path) {
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Some(name) = out.file_name().and_then(|n| n.to_str()) else { return };
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(f) = file.to_str() else { continue };
        let old = e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok()).is_some_and(|age| age.as_secs() > 600);
        if f.starts_with(&prefix) && f.ends_with(".tmp") && old && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::from_path(Path::new("a/成绩.XLSX")), Some(Format::Xlsx));
        assert_eq!(Format::from_path(Path::new("b.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("c.xls")), None);
    }

    #[test]
    fn dates() {
        assert_eq!(date_of(0), "1970-01-01");
        // 2026-11-22T23:30Z is the 23rd in Beijing.
        assert_eq!(date_of(1_795_390_200 + 8 * 3600), "2026-11-23");
    }
}
