//! The session runner: plays an immutable scenario, one answer at a time.
//!
//! Pull-based: ask [`Session::view`] what to present, send the student's [`Action`] with the
//! milliseconds since the node was shown. Time is always passed in, never read from a clock,
//! so timed events replay exactly. Answers out of turn get a typed [`SessionError`].

mod activity;
pub mod autoplay;

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::scenario::{Branch, IdentMap, Lang, Node, PlayedBy, Scenario, Text, Value};

pub use activity::{compose_text, rule_holds};

pub use activity::normalize;

/// What the student did at a node. Records store these, never positions or scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// Go on after a line.
    Continue,
    /// Pick an option by id.
    Choose(String),
    /// Matching: (item id, category id) pairs.
    Match(Vec<(String, String)>),
    /// Ordering: step ids in the student's order.
    Order(Vec<String>),
    /// Form: (field id, what the student wrote).
    Form(Vec<(String, String)>),
    /// Compose: phrase ids in the student's order.
    Compose(Vec<String>),
    /// Answer the ringing phone.
    Pickup,
    /// The countdown ran out (or the caller hung up).
    Timeout,
    /// Asked for the next hint at this node.
    Hint,
}

/// One entry of an attempt's log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The node the action was taken at. Empty in hand-written answer scripts = "the current node".
    #[serde(default)]
    pub node: String,
    /// Milliseconds since the node was shown.
    #[serde(default)]
    pub elapsed_ms: u64,
    pub action: Action,
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SessionError {
    #[error("the attempt has already ended")]
    Ended,
    #[error("the action was meant for node `{expected}`, but the current node is `{current}`")]
    WrongNode { current: String, expected: String },
    #[error("node `{node}` is a {kind}; `{action}` does not apply to it")]
    WrongKind { node: String, kind: &'static str, action: &'static str },
    #[error("node `{node}` has no option `{option}`")]
    UnknownOption { node: String, option: String },
    #[error("option `{option}` is not offered at node `{node}` right now")]
    OptionNotAvailable { node: String, option: String },
    #[error("invalid answer at node `{node}`: {reason}")]
    InvalidAnswer { node: String, reason: String },
    #[error("node `{node}` has no countdown")]
    NoTimeout { node: String },
    #[error("the countdown at node `{node}` has not run out yet ({elapsed_ms} of {limit_ms} ms)")]
    TooEarly { node: String, elapsed_ms: u64, limit_ms: u64 },
    #[error("no hint left at node `{node}`")]
    NoHint { node: String },
    #[error("the scenario is broken: {0} (run `kefu check`)")]
    Broken(String),
}

impl SessionError {
    /// The message in the teacher's language (`Display` gives English).
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            SessionError::Ended => "这次练习已经结束".into(),
            SessionError::WrongNode { current, expected } => format!("这条答案是给节点 `{expected}` 的，但现在在节点 `{current}`"),
            SessionError::WrongKind { node, kind, action } => format!("节点 `{node}` 是 {kind}，不能用 `{action}` 回答"),
            SessionError::UnknownOption { node, option } => format!("节点 `{node}` 没有选项 `{option}`"),
            SessionError::OptionNotAvailable { node, option } => format!("节点 `{node}` 现在不提供选项 `{option}`（when 条件不成立）"),
            SessionError::InvalidAnswer { node, reason } => format!("节点 `{node}` 的答案无效：{reason}"),
            SessionError::NoTimeout { node } => format!("节点 `{node}` 没有倒计时"),
            SessionError::TooEarly { node, elapsed_ms, limit_ms } => format!("节点 `{node}` 的倒计时还没到（{elapsed_ms} / {limit_ms} 毫秒）"),
            SessionError::NoHint { node } => format!("节点 `{node}` 没有更多提示"),
            SessionError::Broken(m) => format!("场景文件有错误：{m}（请运行 kefu check）"),
        }
    }
}

/// A speaker as shown to the student.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Speaker {
    pub id: String,
    pub name: String,
    pub is_student: bool,
    pub portrait: Option<String>,
}

/// Something with an id and display text (an option, item, step, phrase…).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Shown {
    pub id: String,
    pub text: String,
}

/// What to present now (as JSON, `kind` names the variant: `kefu play --stdio`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind")]
pub enum View {
    Line { node: String, speaker: Option<Speaker>, text: String },
    Choice { node: String, speaker: Option<Speaker>, prompt: String, options: Vec<Shown>, time_limit_ms: Option<u64> },
    Match { node: String, prompt: String, items: Vec<Shown>, categories: Vec<Shown> },
    Order { node: String, prompt: String, steps: Vec<Shown> },
    Form { node: String, prompt: String, fields: Vec<Shown> },
    Compose { node: String, prompt: String, phrases: Vec<Shown>, min: u32, max: Option<u32> },
    Phone { node: String, prompt: String, ring_ms: u64, max_rings: u32 },
    Ended { node: String, outcome: String, success: bool },
}

impl View {
    pub fn node(&self) -> &str {
        match self {
            View::Line { node, .. }
            | View::Choice { node, .. }
            | View::Match { node, .. }
            | View::Order { node, .. }
            | View::Form { node, .. }
            | View::Compose { node, .. }
            | View::Phone { node, .. }
            | View::Ended { node, .. } => node,
        }
    }
}

/// What one answer earned: kept per step, aggregated by scoring.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub node: String,
    pub kind: &'static str,
    /// The action as logged (a late choice becomes `Timeout`).
    pub action: Action,
    pub elapsed_ms: u64,
    /// Points per key (5S dimension or criterion); activity points are scaled by credit.
    pub effects: BTreeMap<String, f64>,
    /// Share of the activity done right, 0-1 (for choices: 1 for the expert option).
    pub credit: Option<f64>,
    /// Whether this was the expert's answer.
    pub expert: bool,
    pub timed_out: bool,
    /// Feedback texts, placeholders still in; render with [`Session::render`].
    pub feedback: Vec<Text>,
    /// What the student did, for the decision list.
    pub answer: Vec<Text>,
    /// Cardinal errors made at this step.
    pub critical: Vec<crate::scenario::Critical>,
    /// Points per key this answer fell short of the expert's answer at the same node (≥ 0):
    /// what advice cites.
    pub lost: BTreeMap<String, f64>,
}

impl Step {
    /// Lines are not decisions; everything else is.
    pub fn is_decision(&self) -> bool {
        self.kind != "Line"
    }
}

/// A hint the student took.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HintUse {
    pub node: String,
    pub index: usize,
    pub cost: u32,
}

/// The mutable state of one attempt over an immutable scenario.
#[derive(Clone, Debug)]
pub struct Session {
    scenario: Arc<Scenario>,
    seed: u64,
    values: BTreeMap<String, Text>,
    vars: BTreeMap<String, i64>,
    current: usize,
    log: Vec<Event>,
    steps: Vec<Step>,
    hints: Vec<HintUse>,
    hints_at_node: usize,
}

impl Session {
    /// Start an attempt. Variants are drawn from `seed`; the same seed gives the same attempt.
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Result<Session, SessionError> {
        let start = scenario
            .start_id()
            .and_then(|id| scenario.node_index(id))
            .ok_or_else(|| SessionError::Broken("the start node does not exist".into()))?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut values = BTreeMap::new();
        for group in &scenario.variants {
            if group.rows.is_empty() {
                continue;
            }
            let row = &group.rows[rng.random_range(0..group.rows.len())];
            for (k, v) in row.iter() {
                values.insert(k.to_string(), v.clone());
            }
        }
        let vars = scenario.variables.iter().map(|(k, v)| (k.to_string(), v.0)).collect();
        Ok(Session {
            scenario,
            seed,
            values,
            vars,
            current: start,
            log: Vec::new(),
            steps: Vec::new(),
            hints: Vec::new(),
            hints_at_node: 0,
        })
    }

    /// Play a log from the start; the error says which entry was refused.
    pub fn replay(scenario: Arc<Scenario>, seed: u64, events: &[Event]) -> Result<Session, (usize, SessionError)> {
        let mut s = Session::new(scenario, seed).map_err(|e| (0, e))?;
        for (i, e) in events.iter().enumerate() {
            s.apply(e).map_err(|err| (i, err))?;
        }
        Ok(s)
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn log(&self) -> &[Event] {
        &self.log
    }
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
    pub fn hints_used(&self) -> &[HintUse] {
        &self.hints
    }
    pub fn vars(&self) -> &BTreeMap<String, i64> {
        &self.vars
    }
    /// The variant values drawn for this attempt.
    pub fn values(&self) -> &BTreeMap<String, Text> {
        &self.values
    }
    pub fn node(&self) -> &Node {
        &self.scenario.nodes[self.current]
    }
    pub fn node_id(&self) -> &str {
        self.node().id()
    }
    pub fn is_ended(&self) -> bool {
        matches!(self.node(), Node::Ending(_))
    }

    /// A text in `lang` with this attempt's variant values filled in.
    pub fn render(&self, text: &Text, lang: Lang) -> String {
        text.render(lang, &self.values)
    }

    /// Move to another node without answering (authoring: "play from this node", hot reload).
    pub fn jump_to(&mut self, node: &str) -> Result<(), SessionError> {
        let idx = self
            .scenario
            .node_index(node)
            .ok_or_else(|| SessionError::Broken(format!("no node `{node}`")))?;
        self.current = idx;
        self.hints_at_node = 0;
        Ok(())
    }

    /// Carry this attempt over to a re-loaded scenario, keeping the place if the node still exists.
    pub fn rebase(&self, scenario: Arc<Scenario>) -> Result<Session, (usize, SessionError)> {
        Session::replay(scenario, self.seed, &self.log)
    }

    fn speaker(&self, id: Option<&str>, lang: Lang) -> Option<Speaker> {
        let role = self.scenario.role(id?)?;
        Some(Speaker {
            id: role.id.clone(),
            name: self.render(&role.name, lang),
            is_student: role.played_by == PlayedBy::Student,
            portrait: role.portrait.clone(),
        })
    }

    fn shuffled<T>(&self, items: &mut [T]) {
        let key = blake3::Hasher::new()
            .update(&self.seed.to_le_bytes())
            .update(self.node_id().as_bytes())
            .finalize();
        let mut rng = ChaCha8Rng::from_seed(*key.as_bytes());
        items.shuffle(&mut rng);
    }

    fn cond_holds(&self, cond: &crate::scenario::cond::Cond) -> bool {
        cond.eval(&|v| self.vars.get(v).copied().unwrap_or(0))
    }

    /// Options offered now, in this attempt's order.
    pub fn available_options(&self) -> Vec<&crate::scenario::ChoiceOption> {
        let Node::Choice(c) = self.node() else { return Vec::new() };
        let mut opts: Vec<_> = c.options.iter().filter(|o| o.when.as_ref().is_none_or(|w| self.cond_holds(w))).collect();
        if c.shuffle {
            self.shuffled(&mut opts);
        }
        opts
    }

    /// What to present now.
    pub fn view(&self, lang: Lang) -> View {
        let r = |t: &Text| self.render(t, lang);
        let shown = |id: &str, t: &Text| Shown { id: id.to_string(), text: r(t) };
        let node = self.node_id().to_string();
        match self.node() {
            Node::Line(l) => View::Line { node, speaker: self.speaker(l.speaker.as_deref(), lang), text: r(&l.text) },
            Node::Choice(c) => View::Choice {
                node,
                speaker: self.speaker(c.speaker.as_deref(), lang),
                prompt: r(&c.prompt),
                options: self.available_options().into_iter().map(|o| shown(&o.id, &o.text)).collect(),
                time_limit_ms: c.timeout.as_ref().map(|t| u64::from(t.seconds) * 1000),
            },
            Node::Match(m) => View::Match {
                node,
                prompt: r(&m.prompt),
                items: m.items.iter().map(|i| shown(&i.id, &i.text)).collect(),
                categories: m.categories.iter().map(|c| shown(&c.id, &c.text)).collect(),
            },
            Node::Order(o) => {
                let mut steps: Vec<Shown> = o.steps.iter().map(|s| shown(&s.id, &s.text)).collect();
                self.shuffled(&mut steps);
                // Never present the steps already in the right order.
                if steps.len() > 1 && steps.iter().zip(&o.steps).all(|(a, b)| a.id == b.id) {
                    steps.rotate_left(1);
                }
                View::Order { node, prompt: r(&o.prompt), steps }
            }
            Node::Form(f) => View::Form {
                node,
                prompt: r(&f.prompt),
                fields: f.fields.iter().map(|x| shown(&x.id, &x.label)).collect(),
            },
            Node::Compose(c) => {
                let mut phrases: Vec<Shown> = c.phrases.iter().map(|p| shown(&p.id, &p.text)).collect();
                self.shuffled(&mut phrases);
                View::Compose { node, prompt: r(&c.prompt), phrases, min: c.min_phrases, max: c.max_phrases }
            }
            Node::Phone(p) => View::Phone { node, prompt: r(&p.prompt), ring_ms: ring_ms(p.ring_seconds), max_rings: p.max_rings },
            Node::Ending(e) => View::Ended { node, outcome: r(&e.outcome), success: e.success },
        }
    }

    /// The countdown of the current node in ms, if it has one (a timed choice or a phone).
    pub fn time_limit_ms(&self) -> Option<u64> {
        match self.node() {
            Node::Choice(c) => c.timeout.as_ref().map(|t| u64::from(t.seconds) * 1000),
            Node::Phone(p) => Some(ring_ms(p.ring_seconds) * u64::from(p.max_rings)),
            _ => None,
        }
    }

    /// The ring a phone is on after `elapsed_ms` (1 = first ring).
    pub fn ring_at(&self, elapsed_ms: u64) -> u32 {
        match self.node() {
            Node::Phone(p) => u32::try_from(elapsed_ms / ring_ms(p.ring_seconds)).unwrap_or(u32::MAX).saturating_add(1),
            _ => 0,
        }
    }

    /// Hints not yet taken at this node, and the cost of the next one.
    pub fn next_hint(&self) -> Option<(usize, u32)> {
        let hints = self.node().hints();
        hints.get(self.hints_at_node).map(|h| (hints.len() - self.hints_at_node, h.cost))
    }

    /// Take the next hint at this node (recorded; it costs points and affects the band).
    pub fn hint(&mut self, elapsed_ms: u64) -> Result<Text, SessionError> {
        let event = Event { node: self.node_id().to_string(), elapsed_ms, action: Action::Hint };
        self.apply(&event)?;
        let idx = self.hints_at_node - 1;
        Ok(self.node().hints()[idx].text.clone())
    }

    /// Let time pass: if the current countdown has run out, the timeout happens now.
    pub fn tick(&mut self, elapsed_ms: u64) -> Option<&Step> {
        let limit = self.time_limit_ms()?;
        if elapsed_ms < limit {
            return None;
        }
        let event = Event { node: self.node_id().to_string(), elapsed_ms, action: Action::Timeout };
        self.apply(&event).ok()?;
        self.steps.last()
    }

    /// Answer the current node.
    pub fn answer(&mut self, action: Action, elapsed_ms: u64) -> Result<&Step, SessionError> {
        let event = Event { node: self.node_id().to_string(), elapsed_ms, action };
        self.apply(&event)?;
        self.steps.last().ok_or(SessionError::Ended)
    }

    /// Apply one log entry (answer or hint).
    pub fn apply(&mut self, event: &Event) -> Result<(), SessionError> {
        if self.is_ended() {
            return Err(SessionError::Ended);
        }
        let node_id = self.node_id().to_string();
        if !event.node.is_empty() && event.node != node_id {
            return Err(SessionError::WrongNode { current: node_id, expected: event.node.clone() });
        }
        if event.action == Action::Hint {
            let Some(h) = self.node().hints().get(self.hints_at_node) else {
                return Err(SessionError::NoHint { node: node_id });
            };
            self.hints.push(HintUse { node: node_id.clone(), index: self.hints_at_node, cost: h.cost });
            self.hints_at_node += 1;
            self.log.push(Event { node: node_id, ..event.clone() });
            return Ok(());
        }
        // A choice made after its countdown ran out is the timeout.
        let mut action = event.action.clone();
        if let Some(limit) = self.time_limit_ms()
            && event.elapsed_ms >= limit
            && action != Action::Timeout
        {
            action = Action::Timeout;
        }
        let scenario = Arc::clone(&self.scenario);
        let node = &scenario.nodes[self.current];
        let (step, next) = activity::answer(self, node, &action, event.elapsed_ms)?;
        let idx = scenario
            .node_index(&next)
            .ok_or_else(|| SessionError::Broken(format!("node `{node_id}` leads to `{next}`, which does not exist")))?;
        self.log.push(Event { node: node_id, elapsed_ms: event.elapsed_ms, action });
        self.steps.push(step);
        self.current = idx;
        self.hints_at_node = 0;
        Ok(())
    }

    fn set_vars(&mut self, set: &IdentMap<Value>, add: &IdentMap<i64>) {
        for (k, v) in set.iter() {
            self.vars.insert(k.to_string(), v.0);
        }
        for (k, v) in add.iter() {
            *self.vars.entry(k.to_string()).or_insert(0) += v;
        }
    }

    fn follow(&self, next: Option<&str>, branches: &[Branch]) -> Result<String, SessionError> {
        for b in branches {
            if self.cond_holds(&b.when) {
                return Ok(b.next.clone());
            }
        }
        next.map(str::to_string)
            .ok_or_else(|| SessionError::Broken(format!("node `{}` has no `next` and no branch applies", self.node_id())))
    }
}

/// A ring interval in ms (at least 100 ms, whatever the file says).
pub fn ring_ms(seconds: f64) -> u64 {
    let ms = (seconds * 1000.0).round();
    if ms.is_finite() && ms >= 100.0 { ms as u64 } else { 100 }
}
