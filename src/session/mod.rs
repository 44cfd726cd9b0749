//! The session runner: plays an immutable scenario, one answer at a time.
//!
//! Pull-based: ask [`Session::view`] what to present, send the student's [`Action`] with the
//! milliseconds since the node was shown. Time is always passed in, never read from a clock,
//! so timed events replay exactly. Answers out of turn get a typed [`SessionError`].

mod activity;
pub mod autoplay;
pub mod group;
mod mood;
mod say;
pub mod table;

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::scenario::{Branch, IdentMap, Lang, Node, PlayedBy, Scenario, Text, Value};

pub use activity::compose_text;
pub use crate::scenario::rules::rule_holds;

pub use crate::scenario::text::normalize;

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
    /// Say: what the student typed.
    Say(String),
    /// Table: the cells the student wrote, row by row (columns in the table's order; given
    /// columns' cells are ignored).
    Table(Vec<Vec<String>>),
    /// Answer the ringing phone.
    Pickup,
    /// Dial a number (as typed or keyed in; read as the phone reads it: full-width digits,
    /// spaces and dashes allowed).
    Dial(String),
    /// The countdown ran out (or the caller hung up).
    Timeout,
    /// Asked for the next hint at this node.
    Hint,
    /// Practice mode: the activity just answered, tried again with this answer. The first try
    /// keeps the score and the path; a retry is recorded (and marked) but earns nothing, takes no
    /// time from the task's limit and moves nowhere. Logged at the node tried again.
    Retry(Box<Action>),
}

impl Action {
    /// The answer a retry carries, or the action itself.
    pub fn inner(&self) -> &Action {
        match self {
            Action::Retry(a) => a.inner(),
            a => a,
        }
    }
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
    #[error("nothing to try again at node `{node}`: only an activity just answered, not fully right, can be tried again")]
    NoRetry { node: String },
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
            SessionError::NoRetry { node } => format!("节点 `{node}` 没有可以再试一次的练习（只有刚做完、没有全对的活动可以再试）"),
            SessionError::Broken(m) => format!("场景文件有错误：{m}（请运行 kefu check）"),
        }
    }
}

/// A speaker as shown to the student.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Speaker {
    pub id: String,
    pub name: String,
    /// The student is the one speaking (false for the student's role in a replay).
    pub is_student: bool,
    /// A replayed line (its text starts with 【回放】 or [Replay]): someone else's past words,
    /// even when the role is the one the student plays.
    pub replay: bool,
    pub portrait: Option<String>,
    /// How the speaker looks now (portraits follow the conversation; see [`Session::mood`]).
    pub mood: crate::scenario::Mood,
}

/// Whether a line is a replay: its text starts with 【回放】 (or `[Replay]` in English). The
/// student's role in a replay is not the student speaking.
pub fn is_replay(text: &Text) -> bool {
    let zh = text.zh.trim_start();
    zh.starts_with("【回放】") || zh.starts_with("[回放]") || text.en.as_deref().is_some_and(|e| e.trim_start().to_lowercase().starts_with("[replay]"))
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
    /// Dial a number of at most `max_digits` digits; `directory` is the list beside the phone
    /// (empty when the student has to know the number). `tries` made so far of `max_tries`.
    Dial { node: String, speaker: Option<Speaker>, prompt: String, directory: Vec<Listed>, max_digits: u32, tries: u32, max_tries: u32 },
    /// Type a reply of at most `max_chars` characters (longer replies are read only that far).
    Say { node: String, speaker: Option<Speaker>, prompt: String, max_chars: u32, time_limit_ms: Option<u64> },
    /// Fill a table: a row per place (`places`: ranks 1…n when the student sorts the rows, else
    /// the rows' names), a cell per column the student fills; `keys` and `data` are the task's
    /// figures (the data card). [`Session::table_preview`] gives the given cells and the chart.
    Table {
        node: String,
        speaker: Option<Speaker>,
        prompt: String,
        columns: Vec<table::TableColumn>,
        places: Vec<String>,
        keys: Vec<String>,
        data: Vec<table::TableData>,
        chart: bool,
    },
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
            | View::Dial { node, .. }
            | View::Say { node, .. }
            | View::Table { node, .. }
            | View::Ended { node, .. } => node,
        }
    }
}

/// One line of a dialling directory as shown: the number and whom it reaches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Listed {
    pub number: String,
    pub label: String,
}

/// One row of an activity, marked: a matching item, an ordering step, a form field or a compose
/// rule, with what the student gave and the right answer (texts with placeholders still in;
/// render with [`Session::render`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mark {
    /// The item, step or field id; for a compose rule `rule1`, `rule2`… (rules have no ids).
    pub id: String,
    /// What the row is: the item's or step's text, the field's label, the rule (its feedback).
    pub label: Text,
    /// What the student gave: the category, the place in the order, the text written, the
    /// phrases that broke the rule.
    pub given: Text,
    pub right: bool,
    /// The right answer: the category, the right place, the expected text, what the rule wants.
    pub expected: Text,
    /// What more the scenario or the runner says about a wrong row (the item's or field's own
    /// feedback; why a text did not count: pasted, too long, a wrong answer in it). Also in the
    /// step's feedback, in the same words; the plain "should be …" lines are not repeated here.
    pub notes: Vec<Text>,
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
    /// Each row of an activity (Match, Order, Form, Compose, Say), marked right or wrong, in the
    /// order the student saw them. Empty for other kinds.
    pub marks: Vec<Mark>,
    /// What an activity's feedback says beside its rows: the scenario's general feedback for
    /// the node and, for an ordering, the right order. (`feedback` holds everything, rows too.)
    pub summary: Vec<Text>,
    /// A practice retry ([`Action::Retry`]): shown and recorded, never scored.
    pub retry: bool,
    /// A table activity's cells marked, as a grid, with the chart of the student's table.
    pub table: Option<Box<table::TableMarked>>,
}

impl Step {
    /// A step at `node` with nothing earned yet.
    pub(crate) fn new(node: String, kind: &'static str, action: Action, elapsed_ms: u64) -> Step {
        Step {
            node,
            kind,
            action,
            elapsed_ms,
            effects: BTreeMap::new(),
            credit: None,
            expert: false,
            timed_out: false,
            feedback: Vec::new(),
            answer: Vec::new(),
            critical: Vec::new(),
            lost: BTreeMap::new(),
            marks: Vec::new(),
            summary: Vec::new(),
            retry: false,
            table: None,
        }
    }

    /// Lines are not decisions; everything else is.
    pub fn is_decision(&self) -> bool {
        self.kind != "Line"
    }

    /// Whether this step counts for the score (everything but a practice retry).
    pub fn counts(&self) -> bool {
        !self.retry
    }

    /// Marked rows that are right, and all of them.
    pub fn marked(&self) -> (usize, usize) {
        (self.marks.iter().filter(|m| m.right).count(), self.marks.len())
    }
}

/// The node kinds a student may try again in practice mode.
pub fn is_activity(kind: &str) -> bool {
    matches!(kind, "Match" | "Order" | "Form" | "Compose" | "Say" | "Table")
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
    /// Every accepted form of each drawn value, the shown one first.
    forms: BTreeMap<String, Vec<Text>>,
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
        let mut forms = BTreeMap::new();
        for group in &scenario.variants {
            if group.rows.is_empty() {
                continue;
            }
            let row = &group.rows[rng.random_range(0..group.rows.len())];
            for (k, v) in row.iter() {
                values.insert(k.to_string(), v.shown());
                forms.insert(k.to_string(), v.all().to_vec());
            }
        }
        let mut vars: BTreeMap<String, i64> = scenario.variables.iter().map(|(k, v)| (k.to_string(), v.0)).collect();
        // Draws come after the variants, so files without draws draw the same variants as before.
        for d in &scenario.draws {
            let mut order: Vec<&String> = d.vars.iter().collect();
            order.shuffle(&mut rng);
            let pick = usize::try_from(d.pick).unwrap_or(usize::MAX);
            for (i, v) in order.into_iter().enumerate() {
                vars.insert(v.clone(), i64::from(i < pick));
            }
        }
        Ok(Session {
            scenario,
            seed,
            values,
            forms,
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

    /// Every accepted form of this attempt's variant values, the shown one first.
    pub fn forms(&self) -> &BTreeMap<String, Vec<Text>> {
        &self.forms
    }

    /// Every way `pattern` may be written with this attempt's values: each combination of the
    /// values' accepted forms (at most 64), in Chinese and in English.
    pub fn renderings(&self, pattern: &str) -> Vec<String> {
        let mut out = crate::scenario::text::substitute_each(pattern, |k| self.forms.get(k).map(|f| f.iter().map(|t| t.zh.clone()).collect()), 64);
        for r in crate::scenario::text::substitute_each(pattern, |k| self.forms.get(k).map(|f| f.iter().map(|t| t.get(Lang::En).to_string()).collect()), 64) {
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
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

    fn speaker(&self, id: Option<&str>, replay: bool, lang: Lang) -> Option<Speaker> {
        let role = self.scenario.role(id?)?;
        Some(Speaker {
            id: role.id.clone(),
            name: self.render(&role.name, lang),
            is_student: role.played_by == PlayedBy::Student && !replay,
            replay,
            portrait: role.portrait.clone(),
            mood: self.mood(),
        })
    }

    /// Whether the student is the one speaking a line (the student's role, not in a replay).
    pub fn is_students_line(&self, line: &crate::scenario::Line) -> bool {
        line.speaker.as_deref().and_then(|id| self.scenario.role(id)).is_some_and(|r| r.played_by == PlayedBy::Student) && !is_replay(&line.text)
    }

    /// This attempt's random stream for a node: the same every time the node is shown.
    fn rng_for(&self, node: &str) -> ChaCha8Rng {
        let key = blake3::Hasher::new().update(&self.seed.to_le_bytes()).update(node.as_bytes()).finalize();
        ChaCha8Rng::from_seed(*key.as_bytes())
    }

    fn shuffled<T>(&self, items: &mut [T]) {
        self.shuffled_at(self.node_id(), items);
    }

    fn shuffled_at<T>(&self, node: &str, items: &mut [T]) {
        items.shuffle(&mut self.rng_for(node));
    }

    /// The order a matching node shows its items in: shuffled with this attempt's seed, never
    /// with the items grouped by their answer (all of one category, then the next…), which
    /// would give the answers away. Indices into `m.items`.
    pub(crate) fn match_order(&self, m: &crate::scenario::Match) -> Vec<usize> {
        let mut order: Vec<usize> = (0..m.items.len()).collect();
        let keys: Vec<&[String]> = m.items.iter().map(|i| i.answer.as_slice()).collect();
        let mut rng = self.rng_for(&m.id);
        order.shuffle(&mut rng);
        if can_ungroup(&keys) {
            for _ in 0..64 {
                if !is_grouped(&order, &keys) {
                    break;
                }
                order.shuffle(&mut rng);
            }
            if is_grouped(&order, &keys) {
                // Unlikely after 64 draws; take the nearest ungrouped order by moving one item.
                ungroup(&mut order, &keys);
            }
        }
        order
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
            Node::Line(l) => View::Line { node, speaker: self.speaker(l.speaker.as_deref(), is_replay(&l.text), lang), text: r(&l.text) },
            Node::Choice(c) => View::Choice {
                node,
                speaker: self.speaker(c.speaker.as_deref(), false, lang),
                prompt: r(&c.prompt),
                options: self.available_options().into_iter().map(|o| shown(&o.id, &o.text)).collect(),
                time_limit_ms: c.timeout.as_ref().map(|t| u64::from(t.seconds) * 1000),
            },
            n @ (Node::Match(_) | Node::Order(_) | Node::Form(_) | Node::Compose(_) | Node::Say(_) | Node::Table(_)) => self.activity_view(n, lang),
            Node::Phone(p) => View::Phone { node, prompt: r(&p.prompt), ring_ms: ring_ms(p.ring_seconds), max_rings: p.max_rings },
            Node::Dial(d) => View::Dial {
                node,
                speaker: self.speaker(d.speaker.as_deref(), false, lang),
                prompt: r(&d.prompt),
                directory: d.directory.iter().map(|l| Listed { number: l.number.0.clone(), label: r(&l.label) }).collect(),
                max_digits: d.max_digits(),
                tries: u32::try_from(self.vars.get(&d.tries_var()).copied().unwrap_or(0).max(0)).unwrap_or(u32::MAX),
                max_tries: d.max_tries,
            },
            Node::Ending(e) => View::Ended { node, outcome: r(&e.outcome), success: e.success },
        }
    }

    /// The view of an activity node (matching, ordering, form, compose) as this attempt shows it,
    /// wherever the attempt is now: the same order every time (a retry sees what the first try saw).
    fn activity_view(&self, node: &Node, lang: Lang) -> View {
        let r = |t: &Text| self.render(t, lang);
        let shown = |id: &str, t: &Text| Shown { id: id.to_string(), text: r(t) };
        let id = node.id().to_string();
        match node {
            Node::Match(m) => View::Match {
                node: id,
                prompt: r(&m.prompt),
                items: self.match_order(m).into_iter().map(|i| shown(&m.items[i].id, &m.items[i].text)).collect(),
                categories: m.categories.iter().map(|c| shown(&c.id, &c.text)).collect(),
            },
            Node::Order(o) => {
                let mut steps: Vec<Shown> = o.steps.iter().map(|s| shown(&s.id, &s.text)).collect();
                self.shuffled_at(&o.id, &mut steps);
                // Never present the steps already in the right order.
                if steps.len() > 1 && steps.iter().zip(&o.steps).all(|(a, b)| a.id == b.id) {
                    steps.rotate_left(1);
                }
                View::Order { node: id, prompt: r(&o.prompt), steps }
            }
            Node::Form(f) => View::Form { node: id, prompt: r(&f.prompt), fields: f.fields.iter().map(|x| shown(&x.id, &x.label)).collect() },
            Node::Compose(c) => {
                let mut phrases: Vec<Shown> = c.phrases.iter().map(|p| shown(&p.id, &p.text)).collect();
                self.shuffled_at(&c.id, &mut phrases);
                View::Compose { node: id, prompt: r(&c.prompt), phrases, min: c.min_phrases, max: c.max_phrases }
            }
            Node::Say(x) => View::Say {
                node: id,
                speaker: self.speaker(x.speaker.as_deref(), false, lang),
                prompt: r(&x.prompt),
                max_chars: x.max_chars(),
                time_limit_ms: x.timeout.as_ref().map(|t| u64::from(t.seconds) * 1000),
            },
            Node::Table(t) => {
                let (columns, places, keys, data) = table::view_parts(t, lang);
                View::Table { node: id, speaker: self.speaker(t.speaker.as_deref(), false, lang), prompt: r(&t.prompt), columns, places, keys, data, chart: t.chart.is_some() }
            }
            // Not an activity (only `view` and `retry_view` call this, for activities).
            other => View::Ended { node: other.id().to_string(), outcome: String::new(), success: false },
        }
    }

    /// The activity the student may try again now (practice mode), by node id: the last answer
    /// was an activity (or a retry of it) that was not fully right, nothing came after it, and
    /// the attempt has not ended. The app offers a retry only outside exam mode.
    pub fn retry_target(&self) -> Option<&str> {
        if self.is_ended() || self.log.last().is_none_or(|e| matches!(e.action, Action::Hint)) {
            return None;
        }
        let last = self.steps.last()?;
        (is_activity(last.kind) && last.credit.is_none_or(|c| c < 1.0 - 1e-9)).then_some(last.node.as_str())
    }

    /// What to present for a retry: the activity as the first try showed it.
    pub fn retry_view(&self, lang: Lang) -> Option<View> {
        let node = self.scenario.node(self.retry_target()?)?;
        is_activity(node.kind()).then(|| self.activity_view(node, lang))
    }

    /// Try the activity again (practice mode): marked and recorded, never scored; the attempt
    /// stays where the first try led.
    pub fn retry(&mut self, action: Action, elapsed_ms: u64) -> Result<&Step, SessionError> {
        let node = self.retry_target().map(str::to_string).ok_or_else(|| SessionError::NoRetry { node: self.node_id().to_string() })?;
        let event = Event { node, elapsed_ms, action: Action::Retry(Box::new(action)) };
        self.apply(&event)?;
        self.steps.last().ok_or(SessionError::Ended)
    }

    /// The fields of a form answer left empty (nothing but spaces or punctuation), in the form's
    /// order: the app asks "N fields are empty: submit anyway?" before sending it.
    pub fn blank_fields(&self, node: &str, values: &[(String, String)]) -> Vec<String> {
        let Some(Node::Form(f)) = self.scenario.node(node) else { return Vec::new() };
        f.fields
            .iter()
            .filter(|x| values.iter().find(|(k, _)| *k == x.id).is_none_or(|(_, v)| normalize(v).is_empty()))
            .map(|x| x.id.clone())
            .collect()
    }

    /// What a table being filled shows besides the student's cells: the given cells (from the
    /// rows the student put in each place) and the chart drawn from the student's own cells.
    /// Nothing in it says whether a cell is right. `None` when `node` is not a table.
    pub fn table_preview(&self, node: &str, cells: &[Vec<String>], lang: Lang) -> Option<table::Preview> {
        let Some(Node::Table(t)) = self.scenario.node(node) else { return None };
        Some(table::preview(t, cells, lang))
    }

    /// The countdown of the current node in ms, if it has one (a timed choice or a phone).
    pub fn time_limit_ms(&self) -> Option<u64> {
        match self.node() {
            Node::Choice(c) => c.timeout.as_ref().map(|t| u64::from(t.seconds) * 1000),
            Node::Say(x) => x.timeout.as_ref().map(|t| u64::from(t.seconds) * 1000),
            Node::Phone(p) => Some(ring_ms(p.ring_seconds).saturating_mul(u64::from(p.max_rings))),
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
        if let Action::Retry(inner) = action {
            return self.retry(*inner, elapsed_ms);
        }
        let event = Event { node: self.node_id().to_string(), elapsed_ms, action };
        self.apply(&event)?;
        self.steps.last().ok_or(SessionError::Ended)
    }

    /// Apply one log entry (answer or hint).
    pub fn apply(&mut self, event: &Event) -> Result<(), SessionError> {
        if self.is_ended() {
            return Err(SessionError::Ended);
        }
        if let Action::Retry(inner) = &event.action {
            return self.apply_retry(event, inner);
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

    /// A practice retry: the activity is answered again from the state the first try saw; the
    /// step is kept (marked `retry`), the variables and the place are left as the first try left them.
    fn apply_retry(&mut self, event: &Event, inner: &Action) -> Result<(), SessionError> {
        let Some(target) = self.retry_target().map(str::to_string) else {
            return Err(SessionError::NoRetry { node: self.node_id().to_string() });
        };
        if !event.node.is_empty() && event.node != target {
            return Err(SessionError::WrongNode { current: target, expected: event.node.clone() });
        }
        let scenario = Arc::clone(&self.scenario);
        let node = scenario.node(&target).ok_or_else(|| SessionError::Broken(format!("no node `{target}`")))?;
        let vars = self.vars.clone();
        let result = activity::answer(self, node, inner, event.elapsed_ms);
        self.vars = vars;
        let (mut step, _) = result?;
        step.retry = true;
        self.log.push(Event { node: target, elapsed_ms: event.elapsed_ms, action: event.action.clone() });
        self.steps.push(step);
        Ok(())
    }

    pub(super) fn set_vars(&mut self, set: &IdentMap<Value>, add: &IdentMap<i64>) {
        for (k, v) in set.iter() {
            self.vars.insert(k.to_string(), v.0);
        }
        for (k, v) in add.iter() {
            // Saturating, as the analysis counts (`analyze::Explorer::set`): past i64::MAX a
            // counter stays at i64::MAX rather than wrapping to a negative number.
            let x = self.vars.entry(k.to_string()).or_insert(0);
            *x = x.saturating_add(*v);
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

/// Whether every category's items sit together in `order` (so the order gives the answers away).
fn is_grouped(order: &[usize], keys: &[&[String]]) -> bool {
    let mut seen: Vec<&[String]> = Vec::new();
    let mut last: Option<&[String]> = None;
    for &i in order {
        let k = keys[i];
        if last != Some(k) {
            if seen.contains(&k) {
                return false;
            }
            seen.push(k);
            last = Some(k);
        }
    }
    true
}

/// An order with the items not grouped by answer exists: two answers or more, one of them shared.
fn can_ungroup(keys: &[&[String]]) -> bool {
    let mut distinct: Vec<&[String]> = keys.to_vec();
    distinct.sort();
    distinct.dedup();
    distinct.len() >= 2 && distinct.len() < keys.len()
}

/// Break a grouped order: move the second item of the first run of two or more to the end.
fn ungroup(order: &mut Vec<usize>, keys: &[&[String]]) {
    if let Some(p) = (1..order.len()).find(|&p| keys[order[p]] == keys[order[p - 1]]) {
        let x = order.remove(p);
        order.push(x);
    }
    if is_grouped(order, keys)
        && let Some(p) = (1..order.len()).find(|&p| keys[order[p]] == keys[order[p - 1]])
    {
        // The run was the last one: move its second item to the front instead.
        let x = order.remove(p);
        order.insert(0, x);
    }
}

/// A ring interval in ms (at least 100 ms, whatever the file says).
pub fn ring_ms(seconds: f64) -> u64 {
    let ms = (seconds * 1000.0).round();
    if ms.is_finite() && ms >= 100.0 { ms as u64 } else { 100 }
}
