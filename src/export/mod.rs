//! Grade sheets from [`ClassGrades`]: an XLSX workbook (a sheet per task and a summary), a CSV
//! table (one row per student and task) and a CSV for Moodle's grade import. Every exporter
//! writes to any `impl Write`; nothing here touches the file system.

pub mod csv;
pub mod xlsx;

use std::path::Path;

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
