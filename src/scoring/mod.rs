//! Scoring: a pure function of (scenario, seed, attempt log). No clock, no I/O.
//!
//! 5S points are summed over the log and compared with the most the scenario lets a student
//! reach; auto rubric criteria likewise; the group band follows the rubric's rules; the total
//! is member criteria + band − hint costs, and the five-level grade follows the total.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

pub mod audit;

use crate::scenario::ranges::Ranges;
use crate::scenario::rubric::{Dim, Mode, Rubric};
use crate::scenario::{Cap, Lang, Node, Scenario, Text};
use crate::session::{Action, Event, Mark, Session, SessionError, Step};

/// Points given by people for `Rated` criteria (or to override an auto one), by criterion key.
pub type Ratings = BTreeMap<String, u32>;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ScoreError {
    #[error("log entry {index} cannot be replayed: {error}")]
    Replay { index: usize, error: SessionError },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DimScore {
    pub dim: Dim,
    pub name: Text,
    /// Points earned (may be negative before clamping).
    pub points: f64,
    /// The most points reachable in this scenario.
    pub max: f64,
    /// Clamped share of the maximum, 0-100, one decimal.
    pub percent: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Computed from play.
    Auto,
    /// Given by a person.
    Rated,
    /// Waiting for a person (a rated criterion, or an auto one this scenario never scores).
    Pending,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionScore {
    pub key: String,
    pub name: Text,
    pub max: u32,
    pub points: Option<u32>,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BandScore {
    pub band: u8,
    pub points: u32,
    pub min: u32,
    pub max: u32,
    pub descriptor: Text,
    /// Why a higher band was not reached.
    pub reasons: Vec<Text>,
}

/// One decision with what the student did and the feedback, rendered in both languages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    pub node: String,
    pub kind: &'static str,
    pub prompt: Text,
    pub answer: Vec<Text>,
    pub feedback: Vec<Text>,
    pub effects: BTreeMap<String, f64>,
    pub credit: Option<f64>,
    pub expert: bool,
    pub timed_out: bool,
    pub elapsed_ms: u64,
    /// Points short of the expert's answer here, per key.
    pub lost: BTreeMap<String, f64>,
    /// Cardinal errors made here.
    pub critical: Vec<CriticalError>,
    /// Each row of an activity marked right or wrong, with the right answer (empty for choices,
    /// lines and the phone).
    pub marks: Vec<Mark>,
    /// An activity's feedback beside its rows (the node's general feedback, the right order).
    pub summary: Vec<Text>,
    /// Practice retries of this activity, in order: shown, never scored (their `effects` are
    /// what they would have earned).
    pub retries: Vec<Decision>,
    /// A table activity's cells marked (the grid and the chart).
    pub table: Option<Box<crate::session::table::TableMarked>>,
}

impl Decision {
    /// Marked rows that are right, and all of them.
    pub fn marked(&self) -> (usize, usize) {
        (self.marks.iter().filter(|m| m.right).count(), self.marks.len())
    }
}

/// A cardinal error the attempt made, with what it costs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriticalError {
    pub node: String,
    pub name: Text,
    pub principle: Dim,
    pub cap: Cap,
    /// The cap in words ("最高及格").
    pub cap_text: Text,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    /// The principle the advice is about: the one broken by a critical error, else the one
    /// the student's decisions lost most points on.
    pub dim: Dim,
    pub text: Text,
    /// The decisions cited (node ids), costliest first.
    pub cites: Vec<String>,
    /// The attempt deserves praise (nothing lost, no critical error, no help, a success).
    pub praise: bool,
}

/// What taking the next hint does to the best total the attempt can still reach.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HintPreview {
    /// Points taken off the total (the hint's own cost).
    pub cost: u32,
    /// The best total still reachable now, and after the hint.
    pub ceiling_now: u32,
    pub ceiling_after: u32,
    /// The best band still reachable now, and after the hint.
    pub band_now: u8,
    pub band_after: u8,
}

impl HintPreview {
    /// How much the best reachable total drops.
    pub fn drop(&self) -> u32 {
        self.ceiling_now.saturating_sub(self.ceiling_after)
    }
    /// "提示：最高总分 100 → 88（−12，第1档 → 第2档）".
    pub fn text(&self) -> Text {
        let band = if self.band_now == self.band_after {
            (String::new(), String::new())
        } else {
            (format!("，小组评价最高第{}档 → 第{}档", self.band_now, self.band_after), format!("; best group band {} → {}", self.band_now, self.band_after))
        };
        Text::new(
            format!("使用提示：最高可得总分 {} → {}（−{}{}）", self.ceiling_now, self.ceiling_after, self.drop(), band.0),
            format!("Taking a hint: best reachable total {} → {} (−{}{})", self.ceiling_now, self.ceiling_after, self.drop(), band.1),
        )
    }
}

/// Everything a result screen, a grade sheet or `kefu play --json` shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub scenario_id: String,
    pub finished: bool,
    pub success: bool,
    pub ending: Option<String>,
    pub outcome: Option<Text>,
    pub dimensions: Vec<DimScore>,
    /// Share of the 5S maximum reached, 0-1 (drives the band).
    pub share: f64,
    pub criteria: Vec<CriterionScore>,
    pub band: BandScore,
    pub hints_used: usize,
    pub hint_cost: u32,
    /// What the hints cost this attempt in all: the total without them minus the total (their
    /// own cost plus any band they ruled out).
    pub hint_effect: u32,
    /// The cardinal errors made, in order: the report lists them first.
    pub critical: Vec<CriticalError>,
    /// The total before a critical error's cap lowered it.
    pub uncapped_total: Option<u32>,
    /// The projected total before a cap lowered it (also when only the projection was lowered).
    pub uncapped_projected: Option<u32>,
    /// The highest total the critical errors allow.
    pub cap_limit: Option<u32>,
    pub elapsed_ms: u64,
    pub within_time: bool,
    /// Sum of the criteria that have points.
    pub member_points: u32,
    /// member_points + band − hint costs.
    pub total: u32,
    pub total_max: u32,
    /// Points still to be given by people.
    pub pending_max: u32,
    /// The total scaled to 100 while some points are pending (= total otherwise).
    pub projected: u32,
    pub grade: Text,
    /// 0 = the best grade level (colours).
    pub grade_level: usize,
    /// The grade rests on `projected` because people have not rated everything yet.
    pub provisional: bool,
    pub decisions: Vec<Decision>,
    pub advice: Advice,
}

impl Report {
    /// Take the total, its grade and its caps from the rubric's [`Rubric::totals`].
    fn set_totals(&mut self, t: crate::scenario::rubric::Totals) {
        self.uncapped_total = t.uncapped;
        self.uncapped_projected = t.uncapped_projected;
        self.cap_limit = t.limit;
        self.total = t.total;
        self.projected = t.projected;
        self.grade = t.grade;
        self.grade_level = t.grade_level;
        self.provisional = t.provisional;
    }

    pub fn dim(&self, d: Dim) -> &DimScore {
        &self.dimensions[Dim::ALL.iter().position(|x| *x == d).unwrap_or(0)]
    }
    pub fn criterion(&self, key: &str) -> Option<&CriterionScore> {
        self.criteria.iter().find(|c| c.key == key)
    }
}

/// Scores attempts of one scenario; holds the scenario's reachable maxima.
#[derive(Clone, Debug)]
pub struct Scorer {
    scenario: Arc<Scenario>,
    ranges: Arc<Ranges>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl Scorer {
    /// A scorer of `scenario`, with its reachable ranges (explored once per scenario and kept
    /// with it: `Scenario::ranges`; validation has usually done it already).
    pub fn new(scenario: Arc<Scenario>) -> Scorer {
        let ranges = scenario.ranges();
        Scorer { scenario, ranges }
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    pub fn ranges(&self) -> &Ranges {
        &self.ranges
    }

    /// The most points reachable for a key (0 when unknown or unbounded).
    pub fn max_of(&self, key: &str) -> f64 {
        self.ranges.max(key).unwrap_or(0.0).max(0.0)
    }

    /// Replay `events` from `seed` and score them.
    pub fn score(&self, seed: u64, events: &[Event], ratings: &Ratings) -> Result<Report, ScoreError> {
        let session = Session::replay(Arc::clone(&self.scenario), seed, events)
            .map_err(|(index, error)| ScoreError::Replay { index, error })?;
        Ok(self.score_session(&session, ratings))
    }

    /// Score a session as it stands (finished or not).
    pub fn score_session(&self, session: &Session, ratings: &Ratings) -> Report {
        let sc = &self.scenario;
        let rubric = &sc.rubric;
        let mut sums: BTreeMap<String, f64> = BTreeMap::new();
        // Practice retries never count: the first try keeps the score.
        let counted = || session.steps().iter().filter(|s| s.counts());
        for step in counted() {
            for (k, v) in &step.effects {
                // The key is copied once per scenario key, not once per step.
                match sums.get_mut(k) {
                    Some(sum) => *sum += v,
                    None => {
                        sums.insert(k.clone(), *v);
                    }
                }
            }
        }
        let get = |k: &str| sums.get(k).copied().unwrap_or(0.0);

        let dimensions: Vec<DimScore> = Dim::ALL
            .iter()
            .map(|&d| {
                let max = self.max_of(d.key());
                let points = get(d.key());
                let percent = if max > 0.0 { round1((points / max).clamp(0.0, 1.0) * 100.0) } else { 100.0 };
                DimScore { dim: d, name: Text::new(d.name(Lang::Zh), d.name(Lang::En)), points: round1(points), max, percent }
            })
            .collect();
        // The share uses the raw points (the displayed points are rounded to one decimal).
        let (got, max): (f64, f64) = dimensions.iter().map(|d| (get(d.dim.key()).clamp(0.0, d.max), d.max)).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        let share = if max > 0.0 { got / max } else { 1.0 };

        let criteria: Vec<CriterionScore> = rubric
            .criteria
            .iter()
            .map(|c| {
                let (points, source) = if let Some(p) = ratings.get(&c.key) {
                    (Some((*p).min(c.max)), Source::Rated)
                } else {
                    match c.mode {
                        Mode::Rated => (None, Source::Pending),
                        Mode::Auto => {
                            let m = self.max_of(&c.key);
                            if m > 0.0 {
                                let frac = (get(&c.key) / m).clamp(0.0, 1.0);
                                (Some((f64::from(c.max) * frac).round() as u32), Source::Auto)
                            } else {
                                (None, Source::Pending)
                            }
                        }
                    }
                };
                CriterionScore { key: c.key.clone(), name: c.name.clone(), max: c.max, points, source }
            })
            .collect();

        let ending = match session.node() {
            Node::Ending(e) => Some(e),
            _ => None,
        };
        let finished = ending.is_some();
        // Hints take no time of their own; practice retries are not the task's time.
        let elapsed_ms: u64 = session.log().iter().filter(|e| !matches!(e.action, Action::Hint | Action::Retry(_))).fold(0u64, |t, e| t.saturating_add(e.elapsed_ms));
        let within_time = sc.time_limit_minutes.is_none_or(|m| elapsed_ms <= u64::from(m) * 60_000);
        let hints_used = session.hints_used().len();
        let hint_cost: u32 = session.hints_used().iter().fold(0u32, |t, h| t.saturating_add(h.cost));
        let success = ending.is_some_and(|e| e.success);

        let mut critical: Vec<CriticalError> = Vec::new();
        for step in counted() {
            critical.extend(step.critical.iter().map(|c| self.critical_error(&step.node, c)));
        }
        if let Some(e) = ending
            && let Some(c) = &e.critical
        {
            critical.push(self.critical_error(&e.id, c));
        }
        let caps: Vec<&Cap> = critical.iter().map(|c| &c.cap).collect();
        let band_cap = Rubric::band_cap(&caps);
        let band = self.band(share, hints_used, within_time, finished, success, band_cap);

        let member_points: u32 = criteria.iter().filter_map(|c| c.points).fold(0u32, u32::saturating_add);
        let pending_max: u32 = criteria.iter().filter(|c| c.points.is_none()).map(|c| c.max).fold(0u32, u32::saturating_add);
        let totals = rubric.totals(member_points, pending_max, band.points, hint_cost, &caps);
        let hint_effect = if hints_used > 0 {
            let free = self.band(share, 0, within_time, finished, success, band_cap);
            rubric.totals(member_points, pending_max, free.points, 0, &caps).total.saturating_sub(totals.total)
        } else {
            0
        };

        let mut decisions: Vec<Decision> = Vec::new();
        for step in session.steps().iter().filter(|s| s.is_decision()) {
            let d = self.decision(session, step);
            match decisions.last_mut() {
                // A retry follows the try it repeats (the runner allows nothing in between).
                Some(first) if step.retry && first.node == step.node => first.retries.push(d),
                _ if step.retry => {}
                _ => decisions.push(d),
            }
        }
        let praise = critical.is_empty()
            && success
            && hints_used == 0
            && within_time
            && dimensions.iter().all(|d| d.percent >= 100.0)
            && decisions.iter().all(|d| d.lost.values().all(|v| *v <= 1e-9))
            && totals.grade_level == 0;
        let advice = self.advice(&dimensions, &decisions, &critical, praise, hints_used, within_time, finished, success);

        Report {
            scenario_id: sc.id.clone(),
            finished,
            success,
            ending: ending.map(|e| e.id.clone()),
            outcome: ending.map(|e| both(session, &e.outcome)),
            dimensions,
            share,
            criteria,
            band,
            hints_used,
            hint_cost,
            hint_effect,
            critical,
            uncapped_total: totals.uncapped,
            uncapped_projected: totals.uncapped_projected,
            cap_limit: totals.limit,
            elapsed_ms,
            within_time,
            member_points,
            total: totals.total,
            total_max: rubric.total_max(),
            pending_max,
            projected: totals.projected,
            grade: totals.grade,
            grade_level: totals.grade_level,
            provisional: totals.provisional,
            decisions,
            advice,
        }
    }

    /// One member's report of a group attempt: the automatic criteria whose scope is `Member`
    /// (态度, 倾听) and the 5S from the member's own decisions, the rest (展示与效果, the band,
    /// the time, the ending) from the whole attempt; the member's own hints cost them, and the
    /// caps of their own critical errors (and the ending's) bound their total. `decisions` are
    /// theirs alone. A member's own points are set against the share of the reachable maximum
    /// that their decisions carried (the expert's points at their nodes, over the expert's points
    /// at every node of the path), so a group of one scores exactly as a solo attempt.
    pub fn score_member(&self, session: &Session, group: &crate::session::group::GroupPlay, member: usize, ratings: &Ratings) -> Report {
        let whole = self.score_session(session, ratings);
        let Some(me) = group.members.get(member) else { return whole };
        if group.members.len() <= 1 {
            return whole;
        }
        let rubric = &self.scenario.rubric;
        let mine = |entry: usize| group.by.get(entry).is_some_and(|id| *id == me.id);
        let mut own: BTreeMap<String, f64> = BTreeMap::new();
        let mut own_expert: BTreeMap<String, f64> = BTreeMap::new();
        let mut all_expert: BTreeMap<String, f64> = BTreeMap::new();
        let (mut hints, mut hint_cost) = (0usize, 0u32);
        let mut own_critical: Vec<CriticalError> = Vec::new();
        // Who gave each decision of `whole.decisions` (decision steps, retries folded in).
        let mut decision_owner: Vec<bool> = Vec::new();
        let (mut step_i, mut hint_i) = (0usize, 0usize);
        for (entry, ev) in session.log().iter().enumerate() {
            if matches!(ev.action, Action::Hint) {
                if let Some(h) = session.hints_used().get(hint_i)
                    && mine(entry)
                {
                    hints += 1;
                    hint_cost = hint_cost.saturating_add(h.cost);
                }
                hint_i += 1;
                continue;
            }
            let Some(step) = session.steps().get(step_i) else { break };
            step_i += 1;
            if step.is_decision() && !step.retry {
                decision_owner.push(mine(entry));
            }
            if !step.counts() {
                continue;
            }
            let keys: BTreeSet<&String> = step.effects.keys().chain(step.lost.keys()).collect();
            for k in keys {
                let expert = step.effects.get(k).copied().unwrap_or(0.0) + step.lost.get(k).copied().unwrap_or(0.0);
                *all_expert.entry(k.clone()).or_insert(0.0) += expert;
                if mine(entry) {
                    *own_expert.entry(k.clone()).or_insert(0.0) += expert;
                    *own.entry(k.clone()).or_insert(0.0) += step.effects.get(k).copied().unwrap_or(0.0);
                }
            }
            if mine(entry) {
                own_critical.extend(step.critical.iter().map(|c| self.critical_error(&step.node, c)));
            }
        }
        // The ending's critical error is the whole group's.
        if let Some(last) = whole.critical.last()
            && session.is_ended()
            && last.node == session.node_id()
        {
            own_critical.push(last.clone());
        }
        // The member's fraction of a key: own points over their share of the reachable maximum;
        // the whole attempt's when none of their decisions bore on it.
        let whole_sum = |k: &str| -> f64 { session.steps().iter().filter(|s| s.counts()).filter_map(|s| s.effects.get(k)).sum() };
        let frac = |k: &str, max: f64| -> f64 {
            let (oe, ae) = (own_expert.get(k).copied().unwrap_or(0.0), all_expert.get(k).copied().unwrap_or(0.0));
            if max <= 0.0 {
                return 0.0;
            }
            if oe > 1e-9 && ae > 1e-9 {
                (own.get(k).copied().unwrap_or(0.0) / (max * oe / ae)).clamp(0.0, 1.0)
            } else {
                (whole_sum(k) / max).clamp(0.0, 1.0)
            }
        };
        let dimensions: Vec<DimScore> = whole
            .dimensions
            .iter()
            .map(|d| {
                let f = frac(d.dim.key(), d.max);
                DimScore { points: round1(f * d.max), percent: if d.max > 0.0 { round1(f * 100.0) } else { 100.0 }, ..d.clone() }
            })
            .collect();
        let criteria: Vec<CriterionScore> = whole
            .criteria
            .iter()
            .map(|c| {
                let def = rubric.criterion(&c.key);
                match def {
                    Some(d) if c.source == Source::Auto && d.scope == crate::scenario::rubric::Scope::Member => {
                        let m = self.max_of(&c.key);
                        CriterionScore { points: Some((f64::from(c.max) * frac(&c.key, m)).round() as u32), ..c.clone() }
                    }
                    _ => c.clone(),
                }
            })
            .collect();
        let caps: Vec<&Cap> = own_critical.iter().map(|c| &c.cap).collect();
        let member_points: u32 = criteria.iter().filter_map(|c| c.points).fold(0u32, u32::saturating_add);
        let pending_max: u32 = criteria.iter().filter(|c| c.points.is_none()).map(|c| c.max).fold(0u32, u32::saturating_add);
        let totals = rubric.totals(member_points, pending_max, whole.band.points, hint_cost, &caps);
        let hint_effect = if hints > 0 { rubric.totals(member_points, pending_max, whole.band.points, 0, &caps).total.saturating_sub(totals.total) } else { 0 };
        let decisions: Vec<Decision> = whole.decisions.iter().zip(decision_owner.iter().chain(std::iter::repeat(&false))).filter(|(_, m)| **m).map(|(d, _)| d.clone()).collect();
        let mut member = Report { dimensions, criteria, hints_used: hints, hint_cost, hint_effect, critical: own_critical, member_points, pending_max, decisions, ..whole };
        member.set_totals(totals);
        member
    }

    fn critical_error(&self, node: &str, c: &crate::scenario::Critical) -> CriticalError {
        CriticalError {
            node: node.to_string(),
            name: c.name.clone(),
            principle: c.principle,
            cap: c.cap.clone(),
            cap_text: self.scenario.rubric.cap_text(&c.cap),
        }
    }

    /// The best total the attempt can still reach with `hints` hints costing `hint_cost`, after
    /// the critical errors made so far, if everything else goes perfectly.
    fn ceiling(&self, hints: usize, hint_cost: u32, caps: &[&Cap]) -> (u32, u8) {
        let rubric = &self.scenario.rubric;
        let band = self.band(1.0, hints, true, true, true, Rubric::band_cap(caps));
        let members: u32 = rubric.criteria.iter().map(|c| c.max).fold(0u32, u32::saturating_add);
        (rubric.totals(members, 0, band.max, hint_cost, caps).total, band.band)
    }

    /// What taking the next hint at the session's node would do (None: no hint left).
    pub fn hint_preview(&self, session: &Session) -> Option<HintPreview> {
        let (_, cost) = session.next_hint()?;
        let mut crit: Vec<crate::scenario::Critical> = session.steps().iter().filter(|s| s.counts()).flat_map(|s| s.critical.iter().cloned()).collect();
        if let Node::Ending(e) = session.node() {
            crit.extend(e.critical.clone());
        }
        let caps: Vec<&Cap> = crit.iter().map(|c| &c.cap).collect();
        let used = session.hints_used().len();
        let spent: u32 = session.hints_used().iter().fold(0u32, |t, h| t.saturating_add(h.cost));
        let (ceiling_now, band_now) = self.ceiling(used, spent, &caps);
        let (ceiling_after, band_after) = self.ceiling(used + 1, spent + cost, &caps);
        Some(HintPreview { cost, ceiling_now, ceiling_after, band_now, band_after })
    }

    #[allow(clippy::too_many_arguments)]
    fn advice(&self, dims: &[DimScore], decisions: &[Decision], critical: &[CriticalError], praise: bool, hints: usize, within_time: bool, finished: bool, success: bool) -> Advice {
        let sc = &self.scenario;
        let dim_text = |d: Dim| sc.advice.get(d.key()).cloned().unwrap_or_else(|| d.advice());
        let cite = |d: &Decision| {
            let ans_zh = d.answer.iter().map(|t| t.zh.as_str()).collect::<Vec<_>>().join("；");
            let ans_en = d.answer.iter().map(|t| t.get(Lang::En)).collect::<Vec<_>>().join("; ");
            let short = |s: &str, n: usize| {
                let t: String = s.chars().take(n).collect();
                if s.chars().count() > n { format!("{t}…") } else { t }
            };
            (short(&d.prompt.zh, 24), short(&ans_zh, 30), short(d.prompt.get(Lang::En), 60), short(&ans_en, 60))
        };
        if praise {
            return Advice {
                dim: Dim::Smile,
                text: Text::new(
                    "每一个决定都和专家一样，没有严重错误，也没有求助：5S 五个方面都做到了。继续保持，并把这些做法用到每一位客户身上。",
                    "Every decision matched the expert's, with no critical error and no help: all five 5S principles kept. Keep it up with every customer.",
                ),
                cites: Vec::new(),
                praise: true,
            };
        }
        if let Some(first) = critical.first() {
            let d = first.principle;
            let nodes: Vec<String> = critical.iter().map(|c| c.node.clone()).collect();
            let names_zh: Vec<&str> = critical.iter().map(|c| c.name.zh.as_str()).collect();
            let names_en: Vec<&str> = critical.iter().map(|c| c.name.get(Lang::En)).collect();
            let base = dim_text(d);
            let where_ = decisions.iter().find(|x| x.node == first.node).map(cite);
            let (wz, we) = where_.map_or((String::new(), String::new()), |(pz, az, pe, ae)| (format!("（「{pz}」：{az}）"), format!(" (“{pe}”: {ae})")));
            return Advice {
                dim: d,
                text: Text::new(
                    format!("严重错误：{}{wz}。它违反了 5S·{}，这次成绩因此{}。{}", names_zh.join("、"), d.name(Lang::Zh), first.cap_text.zh, base.zh),
                    format!("Critical error: {}{we}. It breaks 5S {}, so this attempt is held to {}. {}", names_en.join(", "), d.name(Lang::En), first.cap_text.get(Lang::En).trim_start_matches("at most "), base.get(Lang::En)),
                ),
                cites: nodes,
                praise: false,
            };
        }
        // The principle the decisions lost most on, citing the costliest of them.
        let lost_in = |d: &Decision, k: &str| d.lost.get(k).copied().unwrap_or(0.0);
        let mut by_dim: Vec<(Dim, f64)> = Dim::ALL.iter().map(|&k| (k, decisions.iter().map(|d| lost_in(d, k.key())).sum())).collect();
        by_dim.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        if let Some(&(d, lost)) = by_dim.first()
            && lost > 1e-9
        {
            let mut worst: Vec<&Decision> = decisions.iter().filter(|x| lost_in(x, d.key()) > 1e-9).collect();
            worst.sort_by(|a, b| lost_in(b, d.key()).partial_cmp(&lost_in(a, d.key())).unwrap_or(std::cmp::Ordering::Equal));
            worst.truncate(2);
            let cites: Vec<(String, String, String, String)> = worst.iter().map(|x| cite(x)).collect();
            let zh: Vec<String> = cites.iter().map(|(p, a, _, _)| format!("「{p}」你的回答是「{a}」")).collect();
            let en: Vec<String> = cites.iter().map(|(_, _, p, a)| format!("at “{p}” you answered “{a}”")).collect();
            let base = dim_text(d);
            let pct = dims.iter().find(|x| x.dim == d).map_or(0.0, |x| x.percent);
            return Advice {
                dim: d,
                text: Text::new(
                    format!("失分最多的是 5S·{}（{pct:.0}%）：{}。{}", d.name(Lang::Zh), zh.join("；"), base.zh),
                    format!("Most points were lost on 5S {} ({pct:.0}%): {}. {}", d.name(Lang::En), en.join("; "), base.get(Lang::En)),
                ),
                cites: worst.iter().map(|x| x.node.clone()).collect(),
                praise: false,
            };
        }
        // Nothing lost on the decisions: what kept the grade down is help, time or the ending.
        let (zh, en, d) = if !finished {
            ("这次练习没有做完：从头再练一次，把流程走完。", "This attempt was not finished: play it again and see it through.", Dim::Skill)
        } else if !success {
            ("这次没有让客户得到满意的服务：从头再练一次，看看客户在哪一步开始不满意。", "The customer was not served this time: play it again and notice where the customer became unhappy.", Dim::Skill)
        } else if hints > 0 {
            ("决定都做对了，但用了提示：课程把“在帮助下完成”的小组评价往下降（第1档要求独立完成）。下次先独立思考，再求助。", "Every decision was right, but hints were used: the course lowers the group band for work “completed with help” (band 1 needs none). Think it through on your own first.", Dim::Research)
        } else if !within_time {
            ("决定都做对了，但超出了规定时间。5S·迅速：迅速决策，减少客户等待。", "Every decision was right, but over the time limit. 5S Speed: decide quickly so the customer waits less.", Dim::Speed)
        } else {
            ("继续练习，注意每一步的服务原则。", "Keep practising and mind the service principle at every step.", Dim::Skill)
        };
        Advice { dim: d, text: Text::new(zh, en), cites: Vec::new(), praise: false }
    }

    fn band(&self, share: f64, hints: usize, within_time: bool, finished: bool, success: bool, cap: Option<u8>) -> BandScore {
        let mut bands: Vec<&crate::scenario::rubric::Band> = self.scenario.rubric.bands.iter().collect();
        bands.sort_by_key(|b| b.band);
        let mut reasons = Vec::new();
        for (i, b) in bands.iter().enumerate() {
            let mut ok = true;
            if share + 1e-9 < b.min_share {
                ok = false;
                reasons.push(Text::new(
                    format!("第{}档需要5S得分率至少{:.0}%，本次为{:.0}%", b.band, b.min_share * 100.0, share * 100.0),
                    format!("band {} needs at least {:.0}% of the 5S maximum; this attempt reached {:.0}%", b.band, b.min_share * 100.0, share * 100.0),
                ));
            }
            if b.max_hints.is_some_and(|m| hints > m as usize) {
                ok = false;
                reasons.push(Text::new(
                    format!("使用了{hints}次提示（求助），不能进入第{}档", b.band),
                    format!("{hints} hint(s) used (help asked), which rules out band {}", b.band),
                ));
            }
            if b.within_time && !within_time {
                ok = false;
                reasons.push(Text::new(format!("超出规定时间，不能进入第{}档", b.band), format!("over the time limit, which rules out band {}", b.band)));
            }
            if b.finished && !finished {
                ok = false;
                reasons.push(Text::new(format!("任务未完成，不能进入第{}档", b.band), format!("not finished, which rules out band {}", b.band)));
            }
            if cap.is_some_and(|c| b.band < c) {
                ok = false;
                reasons.push(Text::new(format!("犯了严重错误，不能进入第{}档", b.band), format!("a critical error rules out band {}", b.band)));
            }
            if b.success && !success {
                ok = false;
                reasons.push(Text::new(
                    format!("客户没有得到满意的服务（结局未成功），不能进入第{}档", b.band),
                    format!("the customer was not served well (the ending is not a success), which rules out band {}", b.band),
                ));
            }
            if ok || i + 1 == bands.len() {
                // Place the attempt inside the band by its share, between this band's threshold
                // and the one above.
                let upper = if i == 0 { 1.0 } else { bands[i - 1].min_share };
                let span = upper - b.min_share;
                let t = if span > 0.0 { ((share - b.min_share) / span).clamp(0.0, 1.0) } else { 1.0 };
                let points = b.min + (f64::from(b.max.saturating_sub(b.min)) * t).round() as u32;
                return BandScore { band: b.band, points, min: b.min, max: b.max, descriptor: b.descriptor.clone(), reasons };
            }
        }
        BandScore { band: 0, points: 0, min: 0, max: 0, descriptor: Text::default(), reasons }
    }

    fn decision(&self, session: &Session, step: &Step) -> Decision {
        let prompt = match self.scenario.node(&step.node) {
            Some(Node::Choice(c)) => both(session, &c.prompt),
            Some(Node::Match(m)) => both(session, &m.prompt),
            Some(Node::Order(o)) => both(session, &o.prompt),
            Some(Node::Form(f)) => both(session, &f.prompt),
            Some(Node::Compose(c)) => both(session, &c.prompt),
            Some(Node::Phone(p)) => both(session, &p.prompt),
            Some(Node::Say(x)) => both(session, &x.prompt),
            Some(Node::Table(t)) => both(session, &t.prompt),
            Some(Node::Dial(d)) => both(session, &d.prompt),
            _ => Text::default(),
        };
        Decision {
            node: step.node.clone(),
            kind: step.kind,
            prompt,
            answer: step.answer.iter().map(|t| both(session, t)).collect(),
            feedback: step.feedback.iter().map(|t| both(session, t)).collect(),
            effects: step.effects.iter().map(|(k, v)| (k.clone(), round1(*v))).collect(),
            credit: step.credit,
            expert: step.expert,
            timed_out: step.timed_out,
            elapsed_ms: step.elapsed_ms,
            lost: step.lost.iter().map(|(k, v)| (k.clone(), round1(*v))).collect(),
            critical: step.critical.iter().map(|c| self.critical_error(&step.node, c)).collect(),
            marks: step
                .marks
                .iter()
                .map(|m| Mark {
                    label: both(session, &m.label),
                    given: both(session, &m.given),
                    expected: both(session, &m.expected),
                    notes: m.notes.iter().map(|t| both(session, t)).collect(),
                    ..m.clone()
                })
                .collect(),
            summary: step.summary.iter().map(|t| both(session, t)).collect(),
            retries: Vec::new(),
            table: step.table.clone(),
        }
    }
}

/// A text rendered with the attempt's values in both languages.
fn both(session: &Session, t: &Text) -> Text {
    Text { zh: session.render(t, Lang::Zh), en: t.en.as_ref().map(|_| session.render(t, Lang::En)) }
}
