//! What the teacher adds to the computed grades: points for rated criteria (互助与合作),
//! overrides of any criterion or of a group's band (each with a reason), and which attempt
//! counts. One RON file per class, saved atomically.
//!
//! ```ron
//! Entries(
//!     class: "物流2401班",
//!     counting: Best,
//!     tasks: {
//!         "p1t3-phone": (
//!             students: {
//!                 "2024001": (rated: {"cooperation": 8}, overrides: {"attitude": (points: 4, reason: "课堂上主动帮助组员")}),
//!             },
//!             groups: {"第一组": (band: 2, points: 55, reason: "展示超时")},
//!         ),
//!     },
//! )
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::records::store::write_atomic;
use crate::roster::Class;
use crate::scenario::{Mode, Scenario, Text};
use crate::scoring::Ratings;

/// Which of a student's attempts at a task counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Counting {
    /// The highest total (ties: the earlier attempt).
    #[default]
    Best,
    /// The most recent attempt.
    Latest,
    /// The first attempt.
    First,
}

impl Counting {
    pub fn name(self) -> Text {
        match self {
            Counting::Best => Text::new("取最高一次", "best attempt"),
            Counting::Latest => Text::new("取最近一次", "latest attempt"),
            Counting::First => Text::new("取第一次", "first attempt"),
        }
    }

    pub fn parse(s: &str) -> Option<Counting> {
        match s.trim().to_ascii_lowercase().as_str() {
            "best" | "最高" | "最好" => Some(Counting::Best),
            "latest" | "last" | "最近" | "最后" => Some(Counting::Latest),
            "first" | "第一次" | "首次" => Some(Counting::First),
            _ => None,
        }
    }
}

/// A criterion set by the teacher over what play gave, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub points: u32,
    pub reason: String,
}

/// A group's band set by the teacher. Give the band, the points, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BandOverride {
    /// 1, 2 or 3. Without points, the computed points are moved into this band's range.
    pub band: Option<u8>,
    /// Group points (e.g. 55). Without a band, the band whose range holds them.
    pub points: Option<u32>,
    pub reason: String,
}

/// Why a teacher's entry for one criterion cannot be taken as it is. The one rule for it: the
/// teacher view refuses an entry with any of these (the first one), and [`Entries::problems`]
/// lists them for a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryProblem {
    /// Rated points for a criterion scored from play (change it with an override and a reason).
    RatedAuto,
    /// An override without a reason (a reason of spaces is none).
    NoReason,
    /// More points than the criterion's maximum.
    AboveMax { points: u32, max: u32 },
}

/// What is wrong with an entry for criterion `c`, in this order: `points` rated by people
/// (`reason: None`) or set over play by an override with its `reason`.
pub fn entry_problems(c: &crate::scenario::rubric::Criterion, points: u32, reason: Option<&str>) -> Vec<EntryProblem> {
    let mut out = Vec::new();
    if reason.is_none() && c.mode == Mode::Auto {
        out.push(EntryProblem::RatedAuto);
    }
    if reason.is_some_and(|r| r.trim().is_empty()) {
        out.push(EntryProblem::NoReason);
    }
    if points > c.max {
        out.push(EntryProblem::AboveMax { points, max: c.max });
    }
    out
}

/// Why a group's band override cannot be taken as it is. The one rule for it: the teacher view
/// refuses a change with any of these (the first one), and [`Entries::problems`] lists them for
/// a file, which is lenient (points outside a band are counted at its nearest end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BandProblem {
    /// No reason written (a reason of spaces is none).
    NoReason,
    /// Neither a band nor points: nothing to apply.
    Nothing,
    /// The rubric has no such band.
    NoSuchBand(u8),
    /// Points outside the chosen band's range.
    OutsideBand { band: u8, min: u32, max: u32, points: u32 },
    /// Points without a band, in no band's range (`lowest`-`highest`: the range of all bands).
    InNoBand { points: u32, lowest: u32, highest: u32 },
}

impl BandOverride {
    /// What is wrong with this override, in this order; the rubric's checks only when it is
    /// known (`None`: the task's scenario file is missing).
    pub fn problems(&self, rubric: Option<&crate::scenario::Rubric>) -> Vec<BandProblem> {
        let mut out = Vec::new();
        if self.reason.trim().is_empty() {
            out.push(BandProblem::NoReason);
        }
        if self.band.is_none() && self.points.is_none() {
            out.push(BandProblem::Nothing);
        }
        let Some(rubric) = rubric else { return out };
        match (self.band, self.points) {
            (Some(b), points) => match rubric.bands.iter().find(|x| x.band == b) {
                None => out.push(BandProblem::NoSuchBand(b)),
                Some(band) => {
                    if let Some(p) = points.filter(|p| *p < band.min || *p > band.max) {
                        out.push(BandProblem::OutsideBand { band: b, min: band.min, max: band.max, points: p });
                    }
                }
            },
            (None, Some(p)) => {
                if !rubric.bands.iter().any(|b| p >= b.min && p <= b.max) {
                    let lowest = rubric.bands.iter().map(|b| b.min).min().unwrap_or(0);
                    let highest = rubric.bands.iter().map(|b| b.max).max().unwrap_or(0);
                    out.push(BandProblem::InNoBand { points: p, lowest, highest });
                }
            }
            (None, None) => {}
        }
        out
    }
}

/// A student's entries for one task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StudentEntries {
    /// Points for criteria people rate, by key: `cooperation` (互助与合作).
    pub rated: BTreeMap<String, u32>,
    /// Any criterion set to other points than play gave, with a reason.
    pub overrides: BTreeMap<String, Override>,
}

impl StudentEntries {
    pub fn is_empty(&self) -> bool {
        self.rated.is_empty() && self.overrides.is_empty()
    }
}

/// Which attempts of a task count: played together as a group, alone, or either.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttemptKind {
    #[default]
    Any,
    Group,
    Solo,
}

impl AttemptKind {
    pub fn name(self) -> Text {
        match self {
            AttemptKind::Any => Text::new("小组和个人都算", "group or solo"),
            AttemptKind::Group => Text::new("只算小组作答", "group attempts only"),
            AttemptKind::Solo => Text::new("只算个人作答", "solo attempts only"),
        }
    }

    /// Whether an attempt (a group one or not) may count.
    pub fn admits(self, group: bool) -> bool {
        match self {
            AttemptKind::Any => true,
            AttemptKind::Group => group,
            AttemptKind::Solo => !group,
        }
    }
}

/// Entries for one task (scenario).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TaskEntries {
    /// Which attempt counts for this task; omitted = the class setting.
    pub counting: Option<Counting>,
    /// Which kind of attempt counts (issue 16): `Group` attempts only, `Solo` only, or `Any`
    /// (omitted: both, the counting setting picks among them).
    pub attempts: Option<AttemptKind>,
    /// By 学号.
    pub students: BTreeMap<String, StudentEntries>,
    /// Band overrides by group name.
    pub groups: BTreeMap<String, BandOverride>,
}

impl TaskEntries {
    pub fn is_empty(&self) -> bool {
        self.counting.is_none() && self.attempts.is_none() && self.students.is_empty() && self.groups.is_empty()
    }
}

/// Everything a teacher entered for one class.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Entries {
    pub class: String,
    /// Which attempt counts, unless a task says otherwise.
    pub counting: Counting,
    /// By scenario id.
    pub tasks: BTreeMap<String, TaskEntries>,
}

#[derive(Debug, thiserror::Error)]
pub enum EntriesError {
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}:{col}: not a valid entries file: {message}")]
    Parse { path: PathBuf, line: usize, col: usize, message: String },
}

impl Entries {
    pub fn new(class: &str) -> Entries {
        Entries { class: class.to_string(), ..Entries::default() }
    }

    /// Parse an entries file's text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Entries, EntriesError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        crate::scenario::load::ron_options().from_str(text).map_err(|e| EntriesError::Parse {
            path: path.to_path_buf(),
            line: e.span.start.line.max(1),
            col: e.span.start.col.max(1),
            message: crate::fsread::clip(&e.code.to_string()),
        })
    }

    pub fn load(path: &Path) -> Result<Entries, EntriesError> {
        let text = crate::fsread::read_text(path, crate::fsread::Kind::Entries).map_err(|source| EntriesError::Io { path: path.to_path_buf(), source })?;
        Entries::parse(path, &text)
    }

    /// Load the file, or start empty entries for `class` when there is no file yet.
    pub fn load_or_new(path: &Path, class: &str) -> Result<Entries, EntriesError> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Entries::new(class)),
            _ => Entries::load(path),
        }
    }

    pub fn to_ron(&self) -> String {
        let cfg = ron::ser::PrettyConfig::new()
            .struct_names(true)
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        ron::ser::to_string_pretty(self, cfg).unwrap_or_else(|e| format!("// could not write: {e}"))
    }

    /// Save atomically: a crash or a second teacher PC never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        write_atomic(path, self.to_ron().as_bytes())
    }

    pub fn task(&self, scenario_id: &str) -> Option<&TaskEntries> {
        self.tasks.get(scenario_id)
    }

    fn task_mut(&mut self, scenario_id: &str) -> &mut TaskEntries {
        self.tasks.entry(scenario_id.to_string()).or_default()
    }

    pub fn student(&self, scenario_id: &str, student: &str) -> Option<&StudentEntries> {
        self.task(scenario_id).and_then(|t| t.students.get(student))
    }

    /// The attempt that counts for a task.
    /// Which kind of attempt counts for a task (both, unless the task says).
    pub fn attempts(&self, scenario_id: &str) -> AttemptKind {
        self.task(scenario_id).and_then(|t| t.attempts).unwrap_or_default()
    }

    pub fn counting(&self, scenario_id: &str) -> Counting {
        self.task(scenario_id).and_then(|t| t.counting).unwrap_or(self.counting)
    }

    /// What to pass to the scorer for this student: rated points, then overrides on top.
    pub fn ratings(&self, scenario_id: &str, student: &str) -> Ratings {
        let mut r = Ratings::new();
        if let Some(s) = self.student(scenario_id, student) {
            r.extend(s.rated.iter().map(|(k, v)| (k.clone(), *v)));
            r.extend(s.overrides.iter().map(|(k, o)| (k.clone(), o.points)));
        }
        r
    }

    /// Give (Some) or clear (None) points for a rated criterion.
    pub fn set_rating(&mut self, scenario_id: &str, student: &str, key: &str, points: Option<u32>) {
        let t = self.task_mut(scenario_id);
        let s = t.students.entry(student.to_string()).or_default();
        match points {
            Some(p) => {
                s.rated.insert(key.to_string(), p);
            }
            None => {
                s.rated.remove(key);
            }
        }
        self.tidy(scenario_id, Some(student));
    }

    /// Override (Some) or restore (None) a criterion for a student.
    pub fn set_override(&mut self, scenario_id: &str, student: &str, key: &str, over: Option<Override>) {
        let t = self.task_mut(scenario_id);
        let s = t.students.entry(student.to_string()).or_default();
        match over {
            Some(o) => {
                s.overrides.insert(key.to_string(), o);
            }
            None => {
                s.overrides.remove(key);
            }
        }
        self.tidy(scenario_id, Some(student));
    }

    /// Override (Some) or restore (None) a group's band for a task.
    pub fn set_band(&mut self, scenario_id: &str, group: &str, over: Option<BandOverride>) {
        let t = self.task_mut(scenario_id);
        match over {
            Some(o) => {
                t.groups.insert(group.to_string(), o);
            }
            None => {
                t.groups.remove(group);
            }
        }
        self.tidy(scenario_id, None);
    }

    /// Set which attempt counts for one task (Some) or for the class (None).
    /// Which kind of attempt counts for a task (`Any` is the default and is not written).
    pub fn set_attempts(&mut self, scenario_id: &str, kind: AttemptKind) {
        self.task_mut(scenario_id).attempts = (kind != AttemptKind::Any).then_some(kind);
        if self.tasks.get(scenario_id).is_some_and(TaskEntries::is_empty) {
            self.tasks.remove(scenario_id);
        }
    }

    pub fn set_counting(&mut self, scenario_id: Option<&str>, counting: Counting) {
        match scenario_id {
            Some(id) => self.task_mut(id).counting = Some(counting),
            None => self.counting = counting,
        }
    }

    fn tidy(&mut self, scenario_id: &str, student: Option<&str>) {
        if let Some(t) = self.tasks.get_mut(scenario_id) {
            if let Some(s) = student
                && t.students.get(s).is_some_and(StudentEntries::is_empty)
            {
                t.students.remove(s);
            }
            if t.is_empty() {
                self.tasks.remove(scenario_id);
            }
        }
    }

    /// Entries that do not fit the class or the scenarios: unknown students, groups or
    /// criteria, points above a criterion's maximum, rated points for an auto criterion,
    /// overrides without a reason. They are shown to the teacher, never fatal.
    pub fn problems(&self, class: &Class, scenarios: &[&Scenario]) -> Vec<Text> {
        let mut out = Vec::new();
        for (task, t) in &self.tasks {
            let sc = scenarios.iter().find(|s| s.id == *task);
            if sc.is_none() {
                out.push(Text::new(format!("评分记录中的任务“{task}”找不到场景文件"), format!("entries name task “{task}”, which has no scenario file")));
            }
            for (sid, s) in &t.students {
                if class.find(sid).is_none() {
                    out.push(Text::new(format!("任务“{task}”：学号 {sid} 不在班级名单中"), format!("task “{task}”: student {sid} is not on the class roster")));
                }
                let Some(sc) = sc else { continue };
                let all = s.rated.iter().map(|(k, p)| (k, *p, true)).chain(s.overrides.iter().map(|(k, o)| (k, o.points, false)));
                for (key, points, rated) in all {
                    match sc.rubric.criterion(key) {
                        None => out.push(Text::new(
                            format!("任务“{task}”，学号 {sid}：没有评分项“{key}”"),
                            format!("task “{task}”, student {sid}: there is no criterion “{key}”"),
                        )),
                        Some(c) => {
                            // The one entry rule; an override's missing reason is listed below.
                            let problems = entry_problems(c, points, if rated { None } else { Some("-") });
                            if problems.iter().any(|p| matches!(p, EntryProblem::AboveMax { .. })) {
                                out.push(Text::new(
                                    format!("任务“{task}”，学号 {sid}：{}给了{points}分，最多{}分（按{}分计）", c.name.zh, c.max, c.max),
                                    format!("task “{task}”, student {sid}: {} given {points}, at most {} (counted as {})", c.name.get(crate::Lang::En), c.max, c.max),
                                ));
                            }
                            if problems.contains(&EntryProblem::RatedAuto) {
                                out.push(Text::new(
                                    format!("任务“{task}”，学号 {sid}：{}由作答自动计分，要改分请写在 overrides 里并注明理由", c.name.zh),
                                    format!("task “{task}”, student {sid}: {} is scored from play; change it under overrides with a reason", c.name.get(crate::Lang::En)),
                                ));
                            }
                        }
                    }
                }
                for (key, o) in &s.overrides {
                    if o.reason.trim().is_empty() {
                        // (= EntryProblem::NoReason; listed even for a criterion the file does not know)
                        out.push(Text::new(format!("任务“{task}”，学号 {sid}：改动“{key}”没有写理由"), format!("task “{task}”, student {sid}: the override of “{key}” has no reason")));
                    }
                }
            }
            for (g, o) in &t.groups {
                if class.group(g).is_none() {
                    out.push(Text::new(format!("任务“{task}”：班级中没有小组“{g}”"), format!("task “{task}”: the class has no group “{g}”")));
                }
                // The one band rule (the teacher view refuses what it lists), said for a file.
                for p in o.problems(sc.map(|s| &s.rubric)) {
                    out.push(match p {
                        BandProblem::Nothing => Text::new(format!("任务“{task}”，小组“{g}”：档次调整既没有档次也没有分数，已忽略"), format!("task “{task}”, group “{g}”: the band override gives neither band nor points; ignored")),
                        BandProblem::NoReason => Text::new(format!("任务“{task}”，小组“{g}”：档次调整没有写理由"), format!("task “{task}”, group “{g}”: the band override has no reason")),
                        BandProblem::InNoBand { points: p, lowest, highest } => {
                            let counted = p.clamp(lowest, highest);
                            Text::new(
                                format!("任务“{task}”，小组“{g}”：{p}分不在任何档次内（{lowest}-{highest}分），按{counted}分计"),
                                format!("task “{task}”, group “{g}”: {p} points is outside every band ({lowest}-{highest}); counted as {counted}"),
                            )
                        }
                        BandProblem::NoSuchBand(b) => Text::new(format!("任务“{task}”，小组“{g}”：没有第{b}档"), format!("task “{task}”, group “{g}”: there is no band {b}")),
                        BandProblem::OutsideBand { band: b, min, max, points: p } => Text::new(
                            format!("任务“{task}”，小组“{g}”：{p}分不在第{b}档（{min}-{max}分）内，按{}分计", p.clamp(min, max)),
                            format!("task “{task}”, group “{g}”: {p} points is outside band {b} ({min}-{max}); counted as {}", p.clamp(min, max)),
                        ),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reads_the_documented_form() {
        let text = r#"Entries(
            class: "物流2401班",
            counting: Best,
            tasks: {
                "p1t3": (
                    counting: Latest,
                    students: {"2024001": (rated: {"cooperation": 8}, overrides: {"attitude": (points: 4, reason: "主动帮助组员")})},
                    groups: {"第一组": (band: 2, points: 55, reason: "展示超时")},
                ),
            },
        )"#;
        let e = Entries::parse(Path::new("e.ron"), text).expect("parse");
        assert_eq!(e.counting("p1t3"), Counting::Latest);
        assert_eq!(e.counting("other"), Counting::Best);
        let r = e.ratings("p1t3", "2024001");
        assert_eq!(r.get("cooperation"), Some(&8));
        assert_eq!(r.get("attitude"), Some(&4));
        assert_eq!(e.task("p1t3").and_then(|t| t.groups.get("第一组")).and_then(|g| g.points), Some(55));
        let again = Entries::parse(Path::new("e.ron"), &e.to_ron()).expect("round trip");
        assert_eq!(again, e);
    }

    #[test]
    fn errors_have_a_position() {
        let e = Entries::parse(Path::new("e.ron"), "Entries(\n  clas: \"x\",\n)").expect_err("typo");
        assert!(e.to_string().starts_with("e.ron:2:"), "{e}");
    }

    #[test]
    fn setters_add_and_tidy() {
        let mut e = Entries::new("c");
        e.set_rating("t", "1", "cooperation", Some(9));
        e.set_override("t", "1", "attitude", Some(Override { points: 3, reason: "r".into() }));
        assert_eq!(e.ratings("t", "1").len(), 2);
        e.set_rating("t", "1", "cooperation", None);
        e.set_override("t", "1", "attitude", None);
        assert!(e.tasks.is_empty(), "{e:?}");
    }

    #[test]
    fn saves_atomically_and_loads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("entries.ron");
        let fresh = Entries::load_or_new(&p, "c").expect("new");
        assert_eq!(fresh.class, "c");
        let mut e = fresh;
        e.set_band("t", "一组", Some(BandOverride { band: Some(3), points: None, reason: "老师帮助".into() }));
        e.save(&p).expect("save");
        assert_eq!(Entries::load(&p).expect("load"), e);
    }
}
