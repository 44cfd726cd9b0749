//! Scoring: a pure function of (scenario, seed, attempt log). No clock, no I/O.
//!
//! 5S points are summed over the log and compared with the most the scenario lets a student
//! reach; auto rubric criteria likewise; the group band follows the rubric's rules; the total
//! is member criteria + band − hint costs, and the five-level grade follows the total.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::scenario::analyze::{Ranges, ranges};
use crate::scenario::rubric::{Dim, Mode};
use crate::scenario::{Lang, Node, Scenario, Text};
use crate::session::{Event, Session, SessionError, Step};

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
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    pub dim: Dim,
    pub text: Text,
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
    /// The grade rests on `projected` because people have not rated everything yet.
    pub provisional: bool,
    pub decisions: Vec<Decision>,
    pub advice: Advice,
}

impl Report {
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
    ranges: Ranges,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl Scorer {
    pub fn new(scenario: Arc<Scenario>) -> Scorer {
        let ranges = ranges(&scenario);
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
        for step in session.steps() {
            for (k, v) in &step.effects {
                *sums.entry(k.clone()).or_insert(0.0) += v;
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
        let elapsed_ms: u64 = session.log().iter().filter(|e| e.action != crate::session::Action::Hint).map(|e| e.elapsed_ms).sum();
        let within_time = sc.time_limit_minutes.is_none_or(|m| elapsed_ms <= u64::from(m) * 60_000);
        let hints_used = session.hints_used().len();
        let hint_cost: u32 = session.hints_used().iter().map(|h| h.cost).sum();
        let success = ending.is_some_and(|e| e.success);
        let band = self.band(share, hints_used, within_time, finished, success);

        let member_points: u32 = criteria.iter().filter_map(|c| c.points).sum();
        let pending_max: u32 = criteria.iter().filter(|c| c.points.is_none()).map(|c| c.max).sum();
        let total = (member_points + band.points).saturating_sub(hint_cost);
        let total_max = rubric.total_max();
        let projected = if pending_max > 0 && total_max > pending_max {
            (f64::from(total) * f64::from(total_max) / f64::from(total_max - pending_max)).round() as u32
        } else {
            total
        }
        .min(total_max);
        let grade = rubric.grade(projected).map(|g| g.name.clone()).unwrap_or_default();

        let decisions = session.steps().iter().filter(|s| s.is_decision()).map(|s| self.decision(session, s)).collect();
        let weakest = dimensions
            .iter()
            .min_by(|a, b| a.percent.partial_cmp(&b.percent).unwrap_or(std::cmp::Ordering::Equal))
            .map_or(Dim::Smile, |d| d.dim);
        let all_full = dimensions.iter().all(|d| d.percent >= 100.0);
        let advice_text = if all_full {
            Text::new(
                "5S 五个方面都做到了满分：微笑、迅速、诚恳、技巧、研究。继续保持，并把这些做法用到每一位客户身上。",
                "Full marks on all five 5S dimensions: smile, speed, sincerity, skill and research. Keep it up with every customer.",
            )
        } else {
            sc.advice.get(weakest.key()).cloned().unwrap_or_else(|| weakest.advice())
        };

        Report {
            scenario_id: sc.id.clone(),
            finished,
            success: ending.is_some_and(|e| e.success),
            ending: ending.map(|e| e.id.clone()),
            outcome: ending.map(|e| both(session, &e.outcome)),
            dimensions,
            share,
            criteria,
            band,
            hints_used,
            hint_cost,
            elapsed_ms,
            within_time,
            member_points,
            total,
            total_max,
            pending_max,
            projected,
            grade,
            provisional: pending_max > 0,
            decisions,
            advice: Advice { dim: weakest, text: advice_text },
        }
    }

    fn band(&self, share: f64, hints: usize, within_time: bool, finished: bool, success: bool) -> BandScore {
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
        }
    }
}

/// A text rendered with the attempt's values in both languages.
fn both(session: &Session, t: &Text) -> Text {
    Text { zh: session.render(t, Lang::Zh), en: t.en.as_ref().map(|_| session.render(t, Lang::En)) }
}
