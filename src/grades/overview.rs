//! The class overview a teacher reads after a lesson: per task, how many students have played,
//! how the totals spread (by grade level and in 10-point bins), each group's weakest 5S
//! dimension, and for every decision (Choice node) how often each option was chosen in the
//! counted attempts, the expert's option marked. Pure functions over [`ClassGrades`], the
//! records and the scenarios; the app only draws what they return.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Serialize;

use super::{ClassGrades, TaskGrades};
use crate::records::AttemptRecord;
use crate::scenario::{CourseRef, Dim, Loaded, Node, Scenario, Text};
use crate::session::Action;

/// Students whose total falls in one level of the five-level grade.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradeCount {
    pub name: Text,
    /// The level's lowest total.
    pub min: u32,
    pub count: usize,
}

/// A group's 5S means over its members' counted attempts, and the weakest dimension.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupDims {
    pub group: String,
    /// Members with a counted attempt (the means are over these).
    pub counted: usize,
    /// Mean percentage per dimension in [`Dim::ALL`] order; empty when nobody counted.
    pub means: Vec<f64>,
    /// The lowest mean (the first in [`Dim::ALL`] order on a tie); `None` when nobody counted.
    pub weakest: Option<(Dim, f64)>,
}

/// How often one option of a decision was chosen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptionCount {
    pub id: String,
    pub text: Text,
    pub expert: bool,
    pub count: usize,
}

/// One decision (Choice node) across the counted attempts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionStats {
    pub node: String,
    pub prompt: Text,
    /// In the order the scenario file lists them.
    pub options: Vec<OptionCount>,
    /// The countdown ran out before anything was chosen.
    pub timeouts: usize,
    /// Counted attempts that reached this decision at least once.
    pub attempts: usize,
}

impl DecisionStats {
    /// Every answer given here (a decision visited twice in one attempt counts twice).
    pub fn answers(&self) -> usize {
        self.options.iter().map(|o| o.count).sum::<usize>() + self.timeouts
    }

    /// Share (0-1) of the answers that were an expert option; `None` without answers.
    pub fn expert_share(&self) -> Option<f64> {
        let n = self.answers();
        (n > 0).then(|| self.options.iter().filter(|o| o.expert).map(|o| o.count).sum::<usize>() as f64 / n as f64)
    }
}

/// The overview of one task for one class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskOverview {
    pub scenario_id: String,
    pub title: Text,
    pub course: CourseRef,
    /// Students on the roster.
    pub students: usize,
    /// Students with at least one record of this task.
    pub played: usize,
    /// Students with a total (a counted attempt and a group band).
    pub graded: usize,
    /// Students whose total is provisional (a criterion not rated yet).
    pub provisional: usize,
    /// From the highest level down, as the scenario's rubric lists them.
    pub by_grade: Vec<GradeCount>,
    /// Totals in 10-point bins: 0-9, 10-19, …, 80-89, 90-100 (100 goes with the nineties).
    pub bins: [usize; 10],
    /// Mean and median of the totals present.
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub groups: Vec<GroupDims>,
    /// Choice nodes in the order of the scenario file.
    pub decisions: Vec<DecisionStats>,
}

/// Overviews of every task graded, in the order of [`ClassGrades::tasks`]. Tasks whose
/// scenario is not among `scenarios` are left out.
pub fn overview(grades: &ClassGrades, scenarios: &[Loaded], records: &[(PathBuf, AttemptRecord)]) -> Vec<TaskOverview> {
    grades
        .tasks
        .iter()
        .filter_map(|t| {
            let sc = scenarios.iter().find(|l| l.scenario.id == t.scenario_id)?;
            Some(task_overview(t, &sc.scenario, records))
        })
        .collect()
}

/// The overview of one task. `records` may hold any records: only the counted attempts (by
/// path, from [`TaskGrades`]) are read for the decisions.
pub fn task_overview(task: &TaskGrades, scenario: &Scenario, records: &[(PathBuf, AttemptRecord)]) -> TaskOverview {
    let members: Vec<_> = task.members().map(|(_, m)| m).collect();
    let totals: Vec<u32> = members.iter().filter_map(|m| m.total).collect();

    let mut levels: Vec<&crate::scenario::rubric::GradeLevel> = scenario.rubric.grades.iter().collect();
    levels.sort_by_key(|g| std::cmp::Reverse(g.min));
    let mut by_grade: Vec<GradeCount> = levels.iter().map(|g| GradeCount { name: g.name.clone(), min: g.min, count: 0 }).collect();
    // Counted by the grade each member was given (the same as on their sheet), not re-derived.
    for level in members.iter().filter_map(|m| m.grade_level) {
        if let Some(g) = by_grade.get_mut(level) {
            g.count += 1;
        }
    }

    let mut bins = [0usize; 10];
    for t in &totals {
        bins[(*t as usize / 10).min(9)] += 1;
    }

    let mean = (!totals.is_empty()).then(|| f64::from(totals.iter().sum::<u32>()) / totals.len() as f64);
    let median = median(&totals);

    let groups = task.groups.iter().map(|g| group_dims(&g.name, g.members.iter().map(|m| m.dimensions.as_slice()))).collect();

    TaskOverview {
        scenario_id: task.scenario_id.clone(),
        title: task.title.clone(),
        course: task.course,
        students: members.len(),
        played: members.iter().filter(|m| m.attempts > 0).count(),
        graded: totals.len(),
        provisional: members.iter().filter(|m| m.total.is_some() && m.provisional).count(),
        by_grade,
        bins,
        mean,
        median,
        groups,
        decisions: decisions(task, scenario, records),
    }
}

fn median(xs: &[u32]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { f64::from(v[n / 2]) } else { (f64::from(v[n / 2 - 1]) + f64::from(v[n / 2])) / 2.0 })
}

/// Means of the members that have 5S percentages (members without an attempt have none).
fn group_dims<'a>(name: &str, members: impl Iterator<Item = &'a [f64]>) -> GroupDims {
    let counted: Vec<&[f64]> = members.filter(|d| d.len() == Dim::ALL.len()).collect();
    if counted.is_empty() {
        return GroupDims { group: name.to_string(), counted: 0, means: Vec::new(), weakest: None };
    }
    let means: Vec<f64> = (0..Dim::ALL.len()).map(|i| counted.iter().map(|d| d[i]).sum::<f64>() / counted.len() as f64).collect();
    let mut weakest = (Dim::ALL[0], means[0]);
    for (d, m) in Dim::ALL.iter().zip(&means).skip(1) {
        if *m < weakest.1 {
            weakest = (*d, *m);
        }
    }
    GroupDims { group: name.to_string(), counted: counted.len(), means, weakest: Some(weakest) }
}

/// Choices made at each Choice node in the counted attempts' logs.
fn decisions(task: &TaskGrades, scenario: &Scenario, records: &[(PathBuf, AttemptRecord)]) -> Vec<DecisionStats> {
    let by_path: HashMap<&PathBuf, &AttemptRecord> = records.iter().map(|(p, r)| (p, r)).collect();
    let mut stats: Vec<DecisionStats> = scenario
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Choice(c) => Some(DecisionStats {
                node: c.id.clone(),
                prompt: c.prompt.clone(),
                options: c.options.iter().map(|o| OptionCount { id: o.id.clone(), text: o.text.clone(), expert: o.expert, count: 0 }).collect(),
                timeouts: 0,
                attempts: 0,
            }),
            _ => None,
        })
        .collect();
    let index: BTreeMap<String, usize> = stats.iter().enumerate().map(|(i, s)| (s.node.clone(), i)).collect();
    for (_, m) in task.members() {
        let Some(rec) = m.counted.as_ref().and_then(|c| by_path.get(&c.path)) else { continue };
        if rec.scenario_id != scenario.id {
            continue;
        }
        let mut reached = vec![false; stats.len()];
        for e in &rec.log {
            let Some(&i) = index.get(&e.node) else { continue };
            let s = &mut stats[i];
            match &e.action {
                Action::Choose(id) => {
                    // An option the file no longer has (the scenario changed): not counted.
                    let Some(o) = s.options.iter_mut().find(|o| o.id == *id) else { continue };
                    o.count += 1;
                }
                Action::Timeout => s.timeouts += 1,
                _ => continue,
            }
            reached[i] = true;
        }
        for (s, r) in stats.iter_mut().zip(reached) {
            s.attempts += usize::from(r);
        }
    }
    stats
}

/// A scenario text without its `{placeholders}` (they differ per attempt): `工号{staff}` → `工号…`.
pub fn without_placeholders(s: &str) -> String {
    crate::scenario::text::substitute(s, |_| Some("…".to_string()))
}
