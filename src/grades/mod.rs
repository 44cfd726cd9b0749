//! Grades per class and task: every student's counting attempt re-scored from its log with the
//! current scenario file and the teacher's entries, the group band, member and total points,
//! the five-level grade and notes a teacher needs (no attempt, not rated yet, scenario changed).
//!
//! **The group band.** The course gives one band (小组学习评价, 40-70) per group, while each
//! student plays on their own. The group's points are the *median* of the band points of its
//! members' counted attempts (for an even count, the mean of the two middle ones, rounded half
//! up), and its band is the band whose range holds those points. The median stands for how the
//! group as a whole did: one bad (or brilliant) attempt does not decide everyone's 70 points,
//! and, unlike the lowest, it does not pull a two-member group down to its weaker member.
//! Members without an attempt do not count towards it. The teacher can set the band or the
//! points for any group, with a reason, in the entries file.

pub mod entries;
pub mod overview;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

pub use entries::{BandOverride, BandProblem, Counting, EntryProblem, entry_problems, Entries, EntriesError, Override, StudentEntries, TaskEntries};

use crate::records::seal::{self, Seal};
use crate::records::{AttemptRecord, Player};
use crate::roster::{Class, Student};
use crate::scenario::{CourseRef, Dim, Lang, Loaded, Text};
use crate::scoring::{Report, Scorer, Source};

/// A column of member criteria (from the scenario's rubric).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionHead {
    pub key: String,
    pub name: Text,
    pub max: u32,
}

/// The attempt that counts for a student, scored.
#[derive(Clone, Debug, Serialize)]
pub struct Counted {
    pub path: PathBuf,
    pub started_at: String,
    pub finished: bool,
    /// The scenario file is not the one the attempt was played with (scored with the current one).
    pub scenario_changed: bool,
    /// What its seal said (an unsigned record counts, marked).
    pub seal: Seal,
    pub report: Report,
}

/// One student's line on a task's grade sheet.
#[derive(Clone, Debug, Serialize)]
pub struct MemberGrades {
    pub student: Student,
    pub leader: bool,
    /// Records found for this student and task (including ones that could not be scored).
    pub attempts: usize,
    pub counted: Option<Counted>,
    /// Points per criterion, in the order of [`TaskGrades::criteria`]; `None` = not scored yet.
    pub criteria: Vec<Option<u32>>,
    /// Member points (小组成员评价), out of [`TaskGrades::member_max`]; `None` without an attempt.
    pub subtotal: Option<u32>,
    /// Hint costs of the counted attempt.
    pub deduction: u32,
    /// subtotal + group points − deduction, out of [`TaskGrades::total_max`].
    pub total: Option<u32>,
    /// The total scaled to the whole while criteria wait for people (= total otherwise); the
    /// grade rests on it, exactly as on the student's result screen.
    pub projected: Option<u32>,
    /// Five-level grade (五级制) of the projected total.
    pub grade: Option<Text>,
    /// 0 = the best grade level (colours).
    pub grade_level: Option<usize>,
    /// The highest total the counted attempt's critical errors allow.
    pub cap_limit: Option<u32>,
    /// The most group points a band cap leaves this member.
    pub band_limit: Option<u32>,
    /// Some criteria still wait for people, so the total may rise.
    pub provisional: bool,
    /// 5S percentages in [`Dim::ALL`] order; empty without an attempt.
    pub dimensions: Vec<f64>,
    pub notes: Vec<Text>,
}

/// A group's band for a task.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupBand {
    pub band: u8,
    pub points: u32,
    /// What the attempts gave (band, points), before any override.
    pub computed: Option<(u8, u32)>,
    /// Set by the teacher, with this reason.
    pub overridden: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupGrades {
    pub name: String,
    pub leader: Option<Student>,
    pub band: Option<GroupBand>,
    pub notes: Vec<Text>,
    pub members: Vec<MemberGrades>,
}

/// One task (scenario) for one class.
#[derive(Clone, Debug, Serialize)]
pub struct TaskGrades {
    pub scenario_id: String,
    pub title: Text,
    pub course: CourseRef,
    pub counting: Counting,
    /// Which kind of attempt counts (group, solo or either).
    pub attempts: entries::AttemptKind,
    pub criteria: Vec<CriterionHead>,
    pub member_max: u32,
    pub group_max: u32,
    pub total_max: u32,
    pub groups: Vec<GroupGrades>,
}

impl TaskGrades {
    /// `项目1 任务3` / `P1 T3`.
    pub fn label(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("项目{}任务{}", self.course.project, self.course.task),
            Lang::En => format!("P{} T{}", self.course.project, self.course.task),
        }
    }

    pub fn members(&self) -> impl Iterator<Item = (&GroupGrades, &MemberGrades)> {
        self.groups.iter().flat_map(|g| g.members.iter().map(move |m| (g, m)))
    }

    pub fn member(&self, id: &str) -> Option<&MemberGrades> {
        self.members().map(|(_, m)| m).find(|m| m.student.id == id)
    }
}

/// A class's grades for every task graded.
#[derive(Clone, Debug, Serialize)]
pub struct ClassGrades {
    pub class: String,
    /// The roster graded (the summary lists every student on it).
    pub roster: Class,
    pub tasks: Vec<TaskGrades>,
    /// Records of this class's students whose scenario file is missing, by scenario id.
    pub missing_scenarios: BTreeMap<String, usize>,
    /// Problems with the entries (unknown students, reasons missing…).
    pub warnings: Vec<Text>,
}

/// One student across tasks (the summary sheet, the Moodle file).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SummaryRow {
    pub group: String,
    pub student: Student,
    /// Per task, in the order of [`ClassGrades::tasks`].
    pub totals: Vec<Option<u32>>,
    /// Mean of the totals present.
    pub average: Option<f64>,
}

impl ClassGrades {
    /// One row per student on the roster, with a total per task and their average.
    pub fn summary(&self) -> Vec<SummaryRow> {
        self.roster
            .students()
            .map(|(g, s)| {
                let totals: Vec<Option<u32>> = self.tasks.iter().map(|t| t.member(&s.id).and_then(|m| m.total)).collect();
                let present: Vec<u32> = totals.iter().flatten().copied().collect();
                let average = (!present.is_empty()).then(|| f64::from(present.iter().sum::<u32>()) / present.len() as f64);
                SummaryRow { group: g.name.clone(), student: s.clone(), totals, average }
            })
            .collect()
    }
}

/// Which scenarios to grade and how.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only these scenario ids (in this order); empty = every scenario with a record from the
    /// class or an entry, ordered by project, task and id.
    pub tasks: Vec<String>,
}

/// Grade a class: every selected task with its records.
pub fn compute(class: &Class, scenarios: &[Loaded], records: &[(PathBuf, AttemptRecord)], entries: &Entries, selection: &Selection) -> ClassGrades {
    let mut by_scenario: HashMap<&str, Vec<&(PathBuf, AttemptRecord)>> = HashMap::new();
    for r in records {
        by_scenario.entry(r.1.scenario_id.as_str()).or_default().push(r);
    }
    let mut known: HashMap<&str, &Loaded> = HashMap::new();
    for l in scenarios {
        known.entry(l.scenario.id.as_str()).or_insert(l);
    }
    let roster: std::collections::HashSet<&str> = class.students().map(|(_, s)| s.id.as_str()).collect();
    let ours = |r: &(PathBuf, AttemptRecord)| roster.contains(r.1.player.id.trim());

    let mut missing_scenarios = BTreeMap::new();
    for (id, rs) in &by_scenario {
        let n = rs.iter().filter(|r| ours(r)).count();
        if n > 0 && !known.contains_key(id) {
            missing_scenarios.insert((*id).to_string(), n);
        }
    }

    let ids: Vec<&str> = if selection.tasks.is_empty() {
        let mut ids: BTreeSet<&str> = by_scenario.iter().filter(|(_, rs)| rs.iter().any(|r| ours(r))).map(|(id, _)| *id).collect();
        ids.extend(entries.tasks.keys().map(String::as_str));
        let mut ids: Vec<&Loaded> = ids.into_iter().filter_map(|id| known.get(id).copied()).collect();
        ids.sort_by(|a, b| (a.scenario.course, &a.scenario.id).cmp(&(b.scenario.course, &b.scenario.id)));
        ids.into_iter().map(|l| l.scenario.id.as_str()).collect()
    } else {
        selection.tasks.iter().map(String::as_str).filter(|id| known.contains_key(id)).collect()
    };

    let tasks = ids
        .into_iter()
        .filter_map(|id| {
            let l = known.get(id)?;
            let rs = by_scenario.get(id).map_or(&[][..], Vec::as_slice);
            Some(compute_task(class, l, rs, entries))
        })
        .collect();
    let scs: Vec<&crate::Scenario> = scenarios.iter().map(|l| l.scenario.as_ref()).collect();
    let mut warnings = Vec::new();
    if !entries.class.trim().is_empty() && entries.class.trim() != class.name.trim() {
        warnings.push(Text::new(
            format!("评分记录属于班级“{}”，而名单是“{}”：是否选错了文件？", entries.class, class.name),
            format!("the entries are for class “{}” but the roster is “{}”: the wrong file?", entries.class, class.name),
        ));
    }
    warnings.extend(entries.problems(class, &scs));
    let distrusted = records.iter().filter(|r| ours(r) && !r.1.trust.counts()).count();
    if distrusted > 0 {
        warnings.push(Text::new(
            format!("{distrusted} 份记录签名不符或自相矛盾（被改动或伪造），未计入成绩；学生备注里有文件名，kefu records verify 查看详情"),
            format!("{distrusted} record(s) fail their signature or contradict themselves (edited or forged) and are not counted; the students' notes name the files, see kefu records verify"),
        ));
    }
    ClassGrades { class: class.name.clone(), roster: class.clone(), tasks, missing_scenarios, warnings }
}

/// A record a student played in, with their place in its group (None: played alone).
type Played<'a> = (&'a (PathBuf, AttemptRecord), Option<usize>);

/// One scored attempt of a student.
struct Scored<'a> {
    rec: &'a (PathBuf, AttemptRecord),
    report: Report,
}

/// Grade one task. `records` may hold other scenarios' and other classes' records; only this
/// scenario's records of this class's students are used.
pub fn compute_task(class: &Class, loaded: &Loaded, records: &[&(PathBuf, AttemptRecord)], entries: &Entries) -> TaskGrades {
    let sc = &loaded.scenario;
    let rubric = &sc.rubric;
    let scorer = Scorer::new(Arc::clone(sc));
    let counting = entries.counting(&sc.id);
    let criteria: Vec<CriterionHead> = rubric.criteria.iter().map(|c| CriterionHead { key: c.key.clone(), name: c.name.clone(), max: c.max }).collect();
    let member_max: u32 = criteria.iter().map(|c| c.max).fold(0u32, u32::saturating_add);
    let group_max = rubric.bands.iter().map(|b| b.max).max().unwrap_or(0);
    let total_max = rubric.total_max();
    let task_entries = entries.task(&sc.id);

    // Each student's attempts: their own, and the group attempts they played a part in (with
    // their place in the group).
    let kind = entries.attempts(&sc.id);
    let mut by_player: HashMap<&str, Vec<Played>> = HashMap::new();
    for r in records.iter().filter(|r| r.1.scenario_id == sc.id) {
        match &r.1.group {
            Some(g) if kind.admits(true) => {
                for (i, m) in g.members.iter().enumerate() {
                    by_player.entry(m.id.trim()).or_default().push((r, Some(i)));
                }
            }
            None if kind.admits(false) => by_player.entry(r.1.player.id.trim()).or_default().push((r, None)),
            _ => {}
        }
    }

    let groups = class
        .groups
        .iter()
        .map(|g| {
            let mut members: Vec<MemberGrades> = g
                .members
                .iter()
                .map(|s| {
                    let ratings = entries.ratings(&sc.id, &s.id);
                    let own = by_player.get(s.id.as_str()).map_or(&[][..], Vec::as_slice);
                    let mut scored: Vec<Scored> = Vec::new();
                    let mut failed = 0usize;
                    // Records whose seal or own times say they were changed: named, never counted.
                    let mut distrusted: Vec<Text> = Vec::new();
                    for (rec, place) in own {
                        let mut problems = rec.1.trust.problems();
                        if !rec.1.trust.counts() {
                            distrusted.push(distrust_note(&rec.0, &problems));
                            continue;
                        }
                        let scored_now = match (place, &rec.1.group) {
                            (Some(i), Some(g)) => crate::session::Session::replay(Arc::clone(sc), rec.1.seed, &rec.1.log)
                                .map(|session| scorer.score_member(&session, g, *i, &ratings))
                                .map_err(|(index, error)| crate::scoring::ScoreError::Replay { index, error }),
                            _ => scorer.score(rec.1.seed, &rec.1.log, &ratings),
                        };
                        match scored_now {
                            Ok(report) => match seal::finished_contradiction(rec.1.finished, report.finished) {
                                Some(p) => {
                                    problems.push(p);
                                    distrusted.push(distrust_note(&rec.0, &problems));
                                }
                                None => scored.push(Scored { rec, report }),
                            },
                            Err(_) => failed += 1,
                        }
                    }
                    let mut m = member(s, g.leader == s.id, own.len(), choose(scored, counting), &criteria, counting, &loaded.hash);
                    m.notes.extend(distrusted);
                    if failed > 0 {
                        m.notes.push(Text::new(
                            format!("{failed}次作答无法按当前场景文件重放，未计入"),
                            format!("{failed} attempt(s) cannot be replayed with the current scenario file and were left out"),
                        ));
                    }
                    if own.is_empty() {
                        // A mistyped 学号 is the usual reason: point at records under the same name.
                        let same_name: BTreeSet<&str> = records
                            .iter()
                            .filter(|r| r.1.scenario_id == sc.id && r.1.player.name.trim() == s.name.trim() && r.1.player.id.trim() != s.id)
                            .map(|r| r.1.player.id.as_str())
                            .collect();
                        if !same_name.is_empty() {
                            let ids = same_name.into_iter().collect::<Vec<_>>().join(", ");
                            m.notes.push(Text::new(format!("有同名学生的记录，学号为 {ids}：请核对学号"), format!("records under the same name have id {ids}: check the student id")));
                        }
                    }
                    if let Some(se) = task_entries.and_then(|t| t.students.get(&s.id)) {
                        for (key, o) in &se.overrides {
                            let name = rubric.criterion(key).map_or_else(|| Text::zh(key.clone()), |c| c.name.clone());
                            m.notes.push(Text::new(
                                format!("{}由老师改为{}分：{}", name.zh, o.points, o.reason),
                                format!("{} set to {} by the teacher: {}", name.get(Lang::En), o.points, o.reason),
                            ));
                        }
                    }
                    m
                })
                .collect();

            let computed = median_band(&members, rubric);
            let over = task_entries.and_then(|t| t.groups.get(&g.name)).filter(|o| o.band.is_some() || o.points.is_some());
            let band = match over {
                Some(o) => {
                    let (band, points) = override_band(rubric, o, computed);
                    Some(GroupBand { band, points, computed, overridden: Some(o.reason.clone()) })
                }
                None => computed.map(|(band, points)| GroupBand { band, points, computed, overridden: None }),
            };
            let mut notes = Vec::new();
            if let Some(b) = &band
                && let Some(reason) = &b.overridden
            {
                let was = b.computed.map(|(cb, cp)| (format!("（计算为第{cb}档{cp}分）"), format!(" (computed: band {cb}, {cp})"))).unwrap_or_default();
                notes.push(Text::new(
                    format!("小组评价由老师定为第{}档{}分{}：{reason}", b.band, b.points, was.0),
                    format!("group band set by the teacher to band {}, {} points{}: {reason}", b.band, b.points, was.1),
                ));
            }
            for m in &mut members {
                finish(m, band.as_ref(), rubric);
            }
            GroupGrades { name: g.name.clone(), leader: g.leader_student().cloned(), band, notes, members }
        })
        .collect();

    TaskGrades {
        scenario_id: sc.id.clone(),
        title: sc.title.clone(),
        course: sc.course,
        counting,
        attempts: kind,
        criteria,
        member_max,
        group_max,
        total_max,
        groups,
    }
}

/// The one rule for "the best attempt" at a task, used by the grades (`Counting::Best`) and by
/// the student's library ("best result"): the higher total wins; between equal totals, the
/// attempt started earlier. Each side is (the report's total, the record's `started_at`, an
/// RFC 3339 time, which sorts as text); `Greater` when `a` is the better.
pub fn better_attempt(a: (u32, &str), b: (u32, &str)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1))
}

/// Pick the counting attempt: finished attempts first (an abandoned try never beats a
/// finished one), then by the setting.
fn choose(mut scored: Vec<Scored>, counting: Counting) -> Option<(Scored, usize)> {
    let n = scored.len();
    if scored.iter().any(|s| s.rec.1.finished) {
        scored.retain(|s| s.rec.1.finished);
    }
    let key = |s: &Scored| (s.rec.1.started_at.clone(), s.rec.0.clone());
    let pick = match counting {
        Counting::Best => scored.into_iter().max_by(|a, b| better_attempt((a.report.total, &a.rec.1.started_at), (b.report.total, &b.rec.1.started_at)).then_with(|| b.rec.0.cmp(&a.rec.0))),
        Counting::Latest => scored.into_iter().max_by_key(key),
        Counting::First => scored.into_iter().min_by_key(key),
    };
    pick.map(|p| (p, n))
}

/// A member's line before the group band is known.
fn member(s: &Student, leader: bool, attempts: usize, chosen: Option<(Scored, usize)>, criteria: &[CriterionHead], counting: Counting, hash: &str) -> MemberGrades {
    let mut m = MemberGrades {
        student: s.clone(),
        leader,
        attempts,
        counted: None,
        criteria: vec![None; criteria.len()],
        subtotal: None,
        deduction: 0,
        total: None,
        projected: None,
        grade: None,
        grade_level: None,
        cap_limit: None,
        band_limit: None,
        provisional: false,
        dimensions: Vec::new(),
        notes: Vec::new(),
    };
    let Some((pick, scored)) = chosen else {
        if attempts == 0 {
            m.notes.push(Text::new("无作答记录", "no attempt"));
        }
        return m;
    };
    let r = &pick.report;
    // A group attempt: say so, with this member's part (互助与合作 is the teacher's to rate).
    if let Some(g) = &pick.rec.1.group {
        let passed = g.passes.iter().filter(|p| p.from == s.id).count();
        let took = g.passes.iter().filter(|p| p.to == s.id).count();
        let n = r.decisions.len();
        m.notes.push(Text::new(
            format!("小组作答（{}，{} 人）：本人 {n} 个决定，让给组员 {passed} 次，接过 {took} 次", g.name, g.members.len()),
            format!("group attempt ({}, {} members): {n} decision(s) of their own, passed {passed} to a teammate, took over {took}", g.name, g.members.len()),
        ));
    }
    m.criteria = criteria.iter().map(|h| r.criterion(&h.key).and_then(|c| c.points)).collect();
    m.subtotal = Some(m.criteria.iter().flatten().sum());
    m.deduction = r.hint_cost;
    m.dimensions = Dim::ALL.iter().map(|d| r.dim(*d).percent).collect();
    let pending: Vec<&Text> = r.criteria.iter().filter(|c| c.source == Source::Pending).map(|c| &c.name).collect();
    m.provisional = !pending.is_empty();
    for c in &r.critical {
        m.notes.push(Text::new(
            format!("严重错误：{}（5S·{}，{}）", c.name.zh, c.principle.name(Lang::Zh), c.cap_text.zh),
            format!("critical error: {} (5S {}, {})", c.name.get(Lang::En), c.principle.name(Lang::En), c.cap_text.get(Lang::En)),
        ));
    }
    if !pick.rec.1.finished {
        m.notes.push(Text::new("作答未完成", "attempt not finished"));
    }
    if !pending.is_empty() {
        let zh = pending.iter().map(|t| t.zh.as_str()).collect::<Vec<_>>().join("、");
        let en = pending.iter().map(|t| t.get(Lang::En)).collect::<Vec<_>>().join(", ");
        m.notes.push(Text::new(format!("{zh}未评分，总分暂定"), format!("{en} not rated yet; the total is provisional")));
    }
    if r.hints_used > 0 {
        m.notes.push(Text::new(
            format!("使用提示{}次，扣{}分", r.hints_used, r.hint_cost),
            format!("{} hint(s) used, {} point(s) off", r.hints_used, r.hint_cost),
        ));
    }
    if scored > 1 {
        let how = counting.name();
        m.notes.push(Text::new(format!("共{attempts}次作答，{}", how.zh), format!("{attempts} attempts, {} counted", how.get(Lang::En))));
    }
    let scenario_changed = pick.rec.1.scenario_hash != hash;
    if scenario_changed {
        m.notes.insert(0, Text::new("作答后场景文件已修改，按当前文件计分", "the scenario file changed since the attempt; scored with the current file"));
    }
    let seal = pick.rec.1.trust.seal.clone();
    if let Some(why) = seal.describe() {
        m.notes.insert(0, Text::new(format!("计入的记录{}", why.zh), format!("the counted record is {}", why.get(Lang::En))));
    }
    m.counted = Some(Counted {
        path: pick.rec.0.clone(),
        started_at: pick.rec.1.started_at.clone(),
        finished: pick.rec.1.finished,
        scenario_changed,
        seal,
        report: pick.report,
    });
    m
}

/// The median of the members' counted band points, with the band that holds it.
fn median_band(members: &[MemberGrades], rubric: &crate::scenario::Rubric) -> Option<(u8, u32)> {
    let mut bands: Vec<(u32, u8)> = members.iter().filter_map(|m| m.counted.as_ref()).map(|c| (c.report.band.points, c.report.band.band)).collect();
    if bands.is_empty() {
        return None;
    }
    bands.sort_unstable();
    let lower = bands[(bands.len() - 1) / 2];
    let upper = bands[bands.len() / 2];
    let points = (lower.0 + upper.0).div_ceil(2);
    let band = rubric.bands.iter().find(|b| points >= b.min && points <= b.max).map_or(lower.1, |b| b.band);
    Some((band, points))
}

/// The band and points a teacher's override gives.
fn override_band(rubric: &crate::scenario::Rubric, o: &BandOverride, computed: Option<(u8, u32)>) -> (u8, u32) {
    // Points a teacher typed outside the band's range (or outside every band: 1000, a typo of
    // 4294967295) are held to the range, never counted as they are (the entries' check warns).
    let lowest = rubric.bands.iter().map(|b| b.min).min().unwrap_or(0);
    let highest = rubric.bands.iter().map(|b| b.max).max().unwrap_or(0);
    match (o.band, o.points) {
        (Some(b), Some(p)) => match rubric.bands.iter().find(|x| x.band == b) {
            Some(band) => (b, p.clamp(band.min, band.max)),
            None => (b, p.clamp(lowest, highest)),
        },
        (None, Some(p)) => {
            let p = p.clamp(lowest, highest);
            let b = rubric.bands.iter().find(|b| p >= b.min && p <= b.max).map_or_else(|| computed.map_or(0, |c| c.0), |b| b.band);
            (b, p)
        }
        (Some(b), None) => match rubric.bands.iter().find(|x| x.band == b) {
            Some(band) => {
                let p = computed.map_or((band.min + band.max) / 2, |(_, cp)| cp.clamp(band.min, band.max));
                (b, p)
            }
            None => computed.unwrap_or((b, 0)),
        },
        (None, None) => computed.unwrap_or((0, 0)),
    }
}

/// Fill in group points, total and grade once the band is known.
fn finish(m: &mut MemberGrades, band: Option<&GroupBand>, rubric: &crate::scenario::Rubric) {
    let (Some(sub), Some(b)) = (m.subtotal, band) else { return };
    let Some(c) = &m.counted else { return };
    // The same rule as the student's report: caps from critical errors, projection while
    // criteria are pending.
    let caps: Vec<&crate::scenario::Cap> = c.report.critical.iter().map(|e| &e.cap).collect();
    let pending = c.report.pending_max;
    // A band cap holds the member below the group's band too.
    m.band_limit = crate::scenario::Rubric::band_cap(&caps).and_then(|cb| rubric.bands.iter().find(|x| x.band == cb)).map(|x| x.max);
    let band_points = m.band_limit.map_or(b.points, |l| b.points.min(l));
    let t = rubric.totals(sub, pending, band_points, m.deduction, &caps);
    m.cap_limit = t.limit;
    m.total = Some(t.total);
    m.projected = Some(t.projected);
    m.grade = Some(t.grade);
    m.grade_level = Some(t.grade_level);
}

/// A member's note for a record that was not counted because it was changed.
fn distrust_note(path: &std::path::Path, problems: &[Text]) -> Text {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let zh = problems.iter().map(|t| t.zh.as_str()).collect::<Vec<_>>().join("；");
    let en = problems.iter().map(|t| t.get(Lang::En)).collect::<Vec<_>>().join("; ");
    Text::new(format!("⚠ 记录 {file} 未计入：{zh}（kefu records verify 查看）"), format!("⚠ record {file} not counted: {en} (see kefu records verify)"))
}

/// Who played, as the roster knows them (for messages about records).
pub fn player_label(p: &Player) -> String {
    if p.name.is_empty() { p.id.clone() } else { format!("{} {}", p.id, p.name) }
}
