//! The scenario model: what a teacher writes in a `.ron` file, as Rust types.
//!
//! Every field is documented for teachers in `docs/authoring/{zh,en}/reference.md`; keep the two in step.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::cond::Cond;
use super::ident::{IdentMap, NumberText, Value};
use super::rubric::{Dim, Rubric};
use super::text::{Forms, Text};

/// Points a decision gives: 5S dimensions and auto-scored rubric criteria, e.g. `(smile: 2, listening: 1)`.
pub type Effects = IdentMap<i32>;

/// One scenario file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable id, letters/digits/`-`/`_`; records refer to it.
    pub id: String,
    pub title: Text,
    pub course: CourseRef,
    /// Estimated minutes to play, shown in the library.
    #[serde(default)]
    pub minutes: Option<u32>,
    /// Time limit for the group band (band 1 and 2 need the attempt to finish within it).
    #[serde(default)]
    pub time_limit_minutes: Option<u32>,
    /// 任务情境.
    pub situation: Text,
    /// One line for the library list; defaults to the start of the situation.
    #[serde(default)]
    pub teaser: Option<Text>,
    #[serde(default)]
    pub objectives: Vec<Text>,
    pub roles: Vec<Role>,
    /// Which rubric applies; omitted means the course's role-play rubric.
    #[serde(default)]
    pub rubric: Rubric,
    /// Variables and their starting values: `(noted_time: false, tries: 0)`.
    #[serde(default)]
    pub variables: IdentMap<Value>,
    /// Values drawn at random per attempt; each group picks one of its rows.
    #[serde(default)]
    pub variants: Vec<VariantGroup>,
    /// Variables drawn at random per attempt (the customer's personality; which objections come
    /// up): each draw sets `pick` of its variables to 1 and the others to 0.
    #[serde(default)]
    pub draws: Vec<Draw>,
    /// Advice text per 5S dimension, replacing the built-in advice.
    #[serde(default)]
    pub advice: IdentMap<Text>,
    /// The first node; defaults to the first node in the list.
    #[serde(default)]
    pub start: Option<String>,
    pub nodes: Vec<Node>,
    #[serde(skip)]
    index: HashMap<String, usize>,
    /// The reachable point ranges (`Scenario::ranges`), computed on first use; not in the file.
    #[serde(skip)]
    ranges: Cached<Ranges>,
}

/// Which course project and task the scenario belongs to.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(deny_unknown_fields)]
pub struct CourseRef {
    pub project: u32,
    pub task: u32,
}

/// The course's projects and how many tasks each has (项目一 任务1–3 …); project 5 is the
/// supplementary material, with as many tasks as it needs.
pub const COURSE_TASKS: &[(u32, u32)] = &[(1, 3), (2, 2), (3, 2), (4, 2)];
/// The supplementary project (complaint handling, service standards, cold calls…).
pub const SUPPLEMENTARY_PROJECT: u32 = 5;
/// The title `kefu new` writes when it was not given one (the checker warns about it).
pub const TITLE_PLACEHOLDER: &str = "（请填写场景标题）";

impl CourseRef {
    /// `project: 0, task: 0`: what `kefu new` writes when it was not told (the checker warns).
    pub fn is_placeholder(&self) -> bool {
        self.project == 0 && self.task == 0
    }

    /// The course has this project and task.
    pub fn in_course(&self) -> bool {
        self.task >= 1 && (self.project == SUPPLEMENTARY_PROJECT || COURSE_TASKS.iter().any(|&(p, n)| p == self.project && self.task <= n))
    }

    /// The course's projects and tasks, for messages: "项目1 任务1–3；项目2 任务1–2；…".
    pub fn outline(lang: crate::scenario::Lang) -> String {
        let mut parts: Vec<String> = COURSE_TASKS
            .iter()
            .map(|&(p, n)| match lang {
                crate::scenario::Lang::Zh => format!("项目{p} 任务1–{n}"),
                crate::scenario::Lang::En => format!("project {p}: tasks 1–{n}"),
            })
            .collect();
        parts.push(match lang {
            crate::scenario::Lang::Zh => format!("项目{SUPPLEMENTARY_PROJECT}（补充材料）任务1 起"),
            crate::scenario::Lang::En => format!("project {SUPPLEMENTARY_PROJECT} (supplementary): tasks from 1"),
        });
        parts.join(lang.pick("；", "; "))
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub name: Text,
    #[serde(default)]
    pub played_by: PlayedBy,
    /// An image under `assets/portraits/`; without one the app draws initials in a circle.
    #[serde(default)]
    pub portrait: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub enum PlayedBy {
    Student,
    #[default]
    Computer,
}

/// A group of related random values; one row is drawn per attempt.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VariantGroup {
    /// Each row: a value per name, one text or a list of accepted forms (the first is shown).
    pub rows: Vec<IdentMap<Forms>>,
}

/// A random draw among variables, from the attempt's seed (so a replay draws the same).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Draw {
    /// The variables drawn among (declared in `variables`).
    pub vars: Vec<String>,
    /// How many of them are set to 1 (default 1).
    #[serde(default = "one")]
    pub pick: u32,
}

/// A hint the student may ask for at a node. Using one is recorded and costs points.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    pub text: Text,
    #[serde(default = "one")]
    pub cost: u32,
}

/// A course's cardinal error (首问负责制 broken, a prohibited item accepted, negative language,
/// key facts never confirmed…): named, tied to the 5S principle it breaks, and capping what the
/// attempt can reach.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Critical {
    pub name: Text,
    pub principle: Dim,
    /// The most the attempt can reach after this error (default: at most 及格).
    #[serde(default)]
    pub cap: Cap,
}

pub use super::rubric::Cap;


fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}

/// A conditional jump: the first branch whose `when` holds is taken, otherwise `next`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub when: Cond,
    pub next: String,
}

/// One step of the scenario.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub enum Node {
    /// A line spoken by a role, or narration when `speaker` is omitted.
    Line(Line),
    /// A decision between options.
    Choice(Choice),
    /// Assign items to categories, scored per pair.
    Match(Match),
    /// Put steps in the right order, with partial credit.
    Order(Order),
    /// A notepad form filled from what the customer said, scored per field.
    Form(Form),
    /// Build a short text from a bank of phrases, checked against rules.
    Compose(Compose),
    /// A phone that rings until answered, scored by the ring it was answered on.
    Phone(Phone),
    /// An outgoing call: the student dials a number; each number reaches its own node.
    /// (Boxed: its three routes make it by far the largest node.)
    Dial(Box<Dial>),
    /// The student types what they would say; scored by the elements it contains and the
    /// language it avoids.
    Say(Say),
    /// A calculation table: rows of data, columns the student fills, checked cell by cell
    /// against formulas (errors carried forward).
    Table(Table),
    /// The end, with its outcome.
    Ending(Ending),
}

/// How a speaker looks on their portrait.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mood {
    #[default]
    Neutral,
    Pleased,
    Annoyed,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub id: String,
    #[serde(default)]
    pub speaker: Option<String>,
    pub text: Text,
    /// How the speaker looks while saying it (`neutral`, `pleased`, `annoyed`); omitted, the
    /// student's last decision decides.
    #[serde(default)]
    pub mood: Option<Mood>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub set: IdentMap<Value>,
    /// Variables added to when the line is shown (`(strikes: 1)`: the customer noticed).
    #[serde(default)]
    pub add: IdentMap<i64>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    /// Who is speaking or asking (shown with the prompt).
    #[serde(default)]
    pub speaker: Option<String>,
    pub prompt: Text,
    pub options: Vec<ChoiceOption>,
    /// Shuffle the options per attempt (default yes).
    #[serde(default = "yes")]
    pub shuffle: bool,
    /// A countdown on this decision.
    #[serde(default)]
    pub timeout: Option<Timeout>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub effects: Effects,
    /// Why this option is good or bad, naming the course principle.
    #[serde(default)]
    pub feedback: Option<Text>,
    pub next: String,
    /// The expert's choice.
    #[serde(default)]
    pub expert: bool,
    /// Only offered when this condition holds.
    #[serde(default)]
    pub when: Option<Cond>,
    #[serde(default)]
    pub set: IdentMap<Value>,
    #[serde(default)]
    pub add: IdentMap<i64>,
    /// Choosing this option is a cardinal error of the course.
    #[serde(default)]
    pub critical: Option<Critical>,
}

/// What happens when a timed decision runs out.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Timeout {
    /// Length of a choice's countdown (not used by a phone, whose rings set its time).
    #[serde(default)]
    pub seconds: u32,
    pub next: String,
    #[serde(default)]
    pub effects: Effects,
    #[serde(default)]
    pub feedback: Option<Text>,
    /// Letting the time run out is a cardinal error.
    #[serde(default)]
    pub critical: Option<Critical>,
    /// Variables set or added to when time runs out (a silence can count as a strike).
    #[serde(default)]
    pub set: IdentMap<Value>,
    #[serde(default)]
    pub add: IdentMap<i64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Match {
    pub id: String,
    pub prompt: Text,
    pub items: Vec<MatchItem>,
    pub categories: Vec<Category>,
    /// Points at full marks; scaled by the share of items placed right.
    #[serde(default)]
    pub effects: Effects,
    #[serde(default)]
    pub feedback: Option<Text>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatchItem {
    pub id: String,
    pub text: Text,
    /// The category (or categories) this item belongs to.
    pub answer: Vec<String>,
    /// Said when this item is placed wrongly.
    #[serde(default)]
    pub feedback: Option<Text>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub text: Text,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub id: String,
    pub prompt: Text,
    /// The steps in the right order; the student sees them shuffled.
    pub steps: Vec<Step>,
    #[serde(default)]
    pub effects: Effects,
    #[serde(default)]
    pub feedback: Option<Text>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub text: Text,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub id: String,
    pub prompt: Text,
    pub fields: Vec<Field>,
    #[serde(default)]
    pub feedback: Option<Text>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub label: Text,
    pub expected: Expected,
    /// Points when this field is right.
    #[serde(default)]
    pub effects: Effects,
    /// Variable set to 1 when the field is right (e.g. `noted_time`).
    #[serde(default)]
    pub sets: Option<String>,
    /// Said when the field is wrong or empty.
    #[serde(default)]
    pub feedback: Option<Text>,
    /// Answers that are wrong (the closed gate for "which gate is open"): an answer containing
    /// one of them earns nothing, even if it also contains the right one.
    #[serde(default)]
    pub wrong: Vec<Text>,
    /// Longest answer that counts, in characters (default 40; 200 for `Filled`).
    #[serde(default)]
    pub max_chars: Option<u32>,
    /// Not getting this field right is a cardinal error (e.g. the arrival time never noted).
    #[serde(default)]
    pub critical: Option<Critical>,
}

impl Field {
    /// The longest answer that counts.
    pub fn max_chars(&self) -> u32 {
        self.max_chars.unwrap_or(match self.expected {
            Expected::Filled => 200,
            _ => 40,
        })
    }
}

/// The right answer of a form field.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub enum Expected {
    /// Any of these texts (placeholders allowed); compared ignoring spaces, case and full-width forms.
    Text(Vec<Text>),
    /// A number within `tolerance`. The student may write the working ("71-6+4=69": the part
    /// after the last `=` counts; "71-6+4" is worked out).
    Number {
        value: NumberText,
        #[serde(default)]
        tolerance: f64,
        /// Other values that are right too (8 or 80 for "八分满").
        #[serde(default)]
        also: Vec<NumberText>,
        /// How the answer compares with `value` (`AtMost`: a standard of ≤ 24 h takes 24 or 12).
        #[serde(default)]
        compare: Compare,
    },
    /// Anything not empty counts (e.g. free notes).
    Filled,
}

/// A calculation table (the ABC analysis: sort the customers, each one's share, the cumulative
/// revenue and share, the class). The task's data are `rows` (one per customer, with `values`
/// for the `keys`); the student fills the `columns` cell by cell. Each cell is checked against
/// its column's formula worked out from the student's own cells to its left and above (errors
/// carried forward: one early slip costs one cell, not the column), or from the right table.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub id: String,
    #[serde(default)]
    pub speaker: Option<String>,
    pub prompt: Text,
    /// The data each row carries (`revenue`), with the label the data card shows.
    pub keys: Vec<TableKey>,
    /// The task's data, one entry per row.
    pub rows: Vec<TableRow>,
    /// The student puts the rows in this order (`Descending("revenue")`); equal values may come
    /// in either order. Omitted: the rows stay in the order given.
    #[serde(default)]
    pub sort: Option<Sort>,
    pub columns: Vec<Column>,
    /// Points at full marks; scaled by the share of cells right (each weighted by its column's
    /// `weight`).
    #[serde(default)]
    pub effects: Effects,
    /// A chart drawn from the student's table (the Pareto curve), in the activity and the review.
    #[serde(default)]
    pub chart: Option<Chart>,
    /// Variable set to 1 when every cell is right.
    #[serde(default)]
    pub sets: Option<String>,
    #[serde(default)]
    pub feedback: Option<Text>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableKey {
    pub id: String,
    pub label: Text,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableRow {
    pub id: String,
    /// How the row is named (客户4); the student may write it, its number (4) or its id.
    pub name: Text,
    pub values: IdentMap<f64>,
}

/// The order the student puts the rows in, by one of the `keys`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum Sort {
    Descending(String),
    Ascending(String),
}

impl Sort {
    pub fn key(&self) -> &str {
        match self {
            Sort::Descending(k) | Sort::Ascending(k) => k,
        }
    }
}

/// One column of a table.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub id: String,
    pub label: Text,
    /// What the cell holds: `Row` (which row goes in this place), `Formula("…")` (a number) or
    /// `Bands(…)` (a class by where a number falls).
    pub value: CellValue,
    /// Shown, not filled: worked out from the student's row (the revenue of the customer they
    /// put in this place).
    #[serde(default)]
    pub given: bool,
    /// Decimal places the answer is expected to (default 0): a cell is right when it is within
    /// half a unit of the last place (37.0 or 37.04 for 37.04…), or within `tolerance`.
    #[serde(default)]
    pub decimals: u8,
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// Other formulas that are right too (a cumulative share summed from the rounded shares).
    #[serde(default)]
    pub also: Vec<String>,
    /// What the column's cells count for in the table's credit, each (default 1).
    #[serde(default = "weight_one")]
    pub weight: f64,
    /// Written after the cells (`%`).
    #[serde(default)]
    pub unit: Option<Text>,
    /// Said when cells of this column are wrong.
    #[serde(default)]
    pub feedback: Option<Text>,
}

fn weight_one() -> f64 {
    1.0
}

impl Column {
    /// How far from the expected value a number may be.
    pub fn tolerance(&self) -> f64 {
        self.tolerance.unwrap_or(0.5 * 10f64.powi(-i32::from(self.decimals.min(9)))) + 1e-9
    }
}

/// What a table cell holds.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub enum CellValue {
    /// Which row goes in this place (needs the table's `sort`).
    Row,
    /// A number worked out by a formula: `"revenue / sum(revenue) * 100"`, `"above(cum) + revenue"`.
    Formula(String),
    /// A class by where a number falls: `Bands(of: "cum_share", bands: [(upto: 80, class: "A"),
    /// (upto: 90, class: "B")], otherwise: "C")`. `upto` counts itself in.
    Bands { of: String, bands: Vec<Band>, otherwise: Text },
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub upto: f64,
    pub class: Text,
}

/// The chart drawn from a table: bars for one column, a line for another (the cumulative share),
/// and the classes' cut-offs from a `Bands` column.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    pub title: Text,
    #[serde(default)]
    pub bars: Option<String>,
    #[serde(default)]
    pub line: Option<String>,
    /// The `Bands` column whose classes are written under the axis, with its cut-offs drawn.
    #[serde(default)]
    pub classes: Option<String>,
}

/// How a number answer compares with the expected value.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub enum Compare {
    /// Equal, within the tolerance.
    #[default]
    Equal,
    /// At most the value (a time limit: 24 or less).
    AtMost,
    /// At least the value (a rate: 100 or more is not possible, 95 or more…).
    AtLeast,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Compose {
    pub id: String,
    pub prompt: Text,
    pub phrases: Vec<Phrase>,
    pub rules: Vec<Rule>,
    #[serde(default = "one")]
    pub min_phrases: u32,
    #[serde(default)]
    pub max_phrases: Option<u32>,
    /// Points when every rule holds; scaled by the share of rules kept.
    #[serde(default)]
    pub effects: Effects,
    #[serde(default)]
    pub feedback: Option<Text>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phrase {
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A rule a composed text must keep.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub enum Rule {
    /// At least one chosen phrase has one of these tags.
    Require {
        tags: Vec<String>,
        feedback: Text,
        #[serde(default)]
        critical: Option<Critical>,
    },
    /// No chosen phrase has any of these tags.
    Forbid {
        tags: Vec<String>,
        feedback: Text,
        #[serde(default)]
        critical: Option<Critical>,
    },
    /// Every chosen phrase tagged `first` comes before every chosen phrase tagged `then`
    /// (the situation before the apology). Holds when either is absent.
    Before {
        first: Vec<String>,
        then: Vec<String>,
        feedback: Text,
        #[serde(default)]
        critical: Option<Critical>,
    },
    /// The composed text contains none of these words; omitted = the course's negative language
    /// ([`NEGATIVE_LANGUAGE`]).
    Avoid {
        #[serde(default)]
        words: Vec<Text>,
        feedback: Text,
        #[serde(default)]
        critical: Option<Critical>,
    },
}

/// The course's negative language (seed 003, 操作层面·客户服务技巧, and the courseware's examples):
/// what a customer must never hear. `Avoid` rules without `words` use this list.
pub const NEGATIVE_LANGUAGE: &[&str] = &[
    "我不能",
    "我不会",
    "我不愿意",
    "我不可以",
    "不行",
    "我做不了",
    "我想我做不了",
    "这不是我应该做的",
    "这不是我的事",
    "不归我管",
    "不关我的事",
    "不是我负责",
    "我不知道",
    "没办法",
    "后果自负",
    "你自己看着办",
    "不是我们的责任",
    "与我们无关",
    "跟我们没关系",
    "这不是我的工作",
    "你应该",
];

impl Rule {
    /// Every tag the rule names.
    pub fn tags(&self) -> Vec<&String> {
        match self {
            Rule::Require { tags, .. } | Rule::Forbid { tags, .. } => tags.iter().collect(),
            Rule::Before { first, then, .. } => first.iter().chain(then).collect(),
            Rule::Avoid { .. } => Vec::new(),
        }
    }
    pub fn feedback(&self) -> &Text {
        match self {
            Rule::Require { feedback, .. } | Rule::Forbid { feedback, .. } | Rule::Before { feedback, .. } | Rule::Avoid { feedback, .. } => feedback,
        }
    }
    pub fn critical(&self) -> Option<&Critical> {
        match self {
            Rule::Require { critical, .. } | Rule::Forbid { critical, .. } | Rule::Before { critical, .. } | Rule::Avoid { critical, .. } => critical.as_ref(),
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Require { .. } => "Require",
            Rule::Forbid { .. } => "Forbid",
            Rule::Before { .. } => "Before",
            Rule::Avoid { .. } => "Avoid",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    pub id: String,
    pub prompt: Text,
    #[serde(default = "default_ring")]
    pub ring_seconds: f64,
    /// After this many rings unanswered the caller hangs up (`on_timeout`).
    pub max_rings: u32,
    /// Points and feedback by the ring answered on: first entry = ring 1; the last entry
    /// applies to every later ring.
    pub by_ring: Vec<RingScore>,
    pub next: String,
    pub on_timeout: Timeout,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

fn default_ring() -> f64 {
    3.0
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RingScore {
    #[serde(default)]
    pub effects: Effects,
    /// Whether answering on this ring is the expert's answer (default: only ring 1).
    #[serde(default)]
    pub expert: Option<bool>,
    #[serde(default)]
    pub feedback: Option<Text>,
    /// Answering on this ring is a cardinal error.
    #[serde(default)]
    pub critical: Option<Critical>,
}

/// An outgoing call (the internal line to a colleague): the student types or keys in a number.
/// Each number listed reaches its own node (the right person, or a wrong one who says whom to
/// call); a number not listed is `otherwise` (空号). Every try is counted in a variable, and the
/// try that reaches `max_tries` without getting through to an expert number goes to `on_fail`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dial {
    pub id: String,
    /// Who is calling (the student's role), shown with the prompt.
    #[serde(default)]
    pub speaker: Option<String>,
    pub prompt: Text,
    /// The extension list taped beside the phone, shown beside the keypad. Leave it out and the
    /// student has to know the number, or find it in what was said earlier.
    #[serde(default)]
    pub directory: Vec<Listing>,
    /// What each number reaches.
    pub numbers: Vec<DialNumber>,
    /// A number that is not listed in `numbers` (空号: 您拨打的号码不存在).
    pub otherwise: Route,
    /// The route when a number's `busy` condition holds (the line is engaged).
    #[serde(default)]
    pub busy: Option<Route>,
    /// The variable counting the tries (default `<id>_tries`, `-` read as `_`); it starts at 0,
    /// or at its value in `variables`, and counts this try when the conditions are read.
    #[serde(default)]
    pub tries: Option<String>,
    /// Tries allowed: the try that reaches this count without getting through to an expert
    /// number goes on to `on_fail` (after its own points and feedback).
    pub max_tries: u32,
    pub on_fail: Route,
    /// The longest number the keypad takes (default: the longest number listed or shown, at least 4).
    #[serde(default)]
    pub max_digits: Option<u32>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

/// One line of a directory: a number and whom it reaches, as the list beside the phone says.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    pub number: NumberText,
    pub label: Text,
}

/// What dialling one number does.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DialNumber {
    /// Digits only (`"8206"`, or `8206`); what the student dials is read the same way
    /// (full-width digits, spaces and dashes allowed).
    pub number: NumberText,
    /// The node of whoever answers.
    pub next: String,
    #[serde(default)]
    pub effects: Effects,
    #[serde(default)]
    pub feedback: Option<Text>,
    /// The right call.
    #[serde(default)]
    pub expert: bool,
    /// The callee is engaged while this holds (read with this try counted): the busy tone, the
    /// try counted, the Dial's `busy` route taken.
    #[serde(default)]
    pub busy: Option<Cond>,
    #[serde(default)]
    pub set: IdentMap<Value>,
    #[serde(default)]
    pub add: IdentMap<i64>,
    /// Dialling this number is a cardinal error.
    #[serde(default)]
    pub critical: Option<Critical>,
}

/// Where a dial goes when it reaches no one listed (unknown number, engaged line, no tries left).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub next: String,
    #[serde(default)]
    pub effects: Effects,
    #[serde(default)]
    pub feedback: Option<Text>,
    #[serde(default)]
    pub set: IdentMap<Value>,
    #[serde(default)]
    pub add: IdentMap<i64>,
    #[serde(default)]
    pub critical: Option<Critical>,
}

impl Dial {
    /// The variable that counts this node's tries.
    pub fn tries_var(&self) -> String {
        self.tries.clone().unwrap_or_else(|| format!("{}_tries", self.id.replace('-', "_")))
    }

    /// The number listed for what the student dialled (already normalised).
    pub fn number(&self, dialled: &str) -> Option<&DialNumber> {
        self.numbers.iter().find(|n| normalize_number(&n.number.0).as_deref() == Some(dialled))
    }

    /// The longest number the keypad takes.
    pub fn max_digits(&self) -> u32 {
        self.max_digits.unwrap_or_else(|| {
            let listed = self.numbers.iter().map(|n| &n.number).chain(self.directory.iter().map(|d| &d.number));
            let longest = listed.filter_map(|n| normalize_number(&n.0)).map(|n| n.chars().count()).max().unwrap_or(0);
            u32::try_from(longest).unwrap_or(u32::MAX).max(4)
        })
    }

    /// The routes, with their source-map paths.
    pub fn routes(&self) -> Vec<(&Route, &'static str)> {
        let mut out = vec![(&self.otherwise, "otherwise"), (&self.on_fail, "on_fail")];
        if let Some(b) = &self.busy {
            out.push((b, "busy"));
        }
        out
    }
}

/// A dialled number as the phone reads it: full-width digits folded, spaces, dashes, dots and
/// brackets dropped (`"８２０６"`, `"82-06"` → `8206`); `*` and `#` kept. `None` when anything
/// else is in it, or nothing is.
pub fn normalize_number(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '＊' => '*',
            '＃' => '#',
            c => c,
        };
        match c {
            '0'..='9' | '*' | '#' => out.push(c),
            c if c.is_whitespace() => {}
            '-' | '－' | '—' | '–' | '‐' | '.' | '．' | '·' | '(' | ')' | '（' | '）' | '/' => {}
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub id: String,
    pub outcome: Text,
    /// Whether the task was accomplished (the customer served). A failure ending (the customer
    /// lost, a complaint) rules out the bands that need `success`.
    #[serde(default = "yes")]
    pub success: bool,
    /// Ending here is a cardinal error (e.g. the customer complains).
    #[serde(default)]
    pub critical: Option<Critical>,
}

/// The student types what they would say to the customer (one to three sentences). The reply
/// earns each element it contains (in any of the ways listed), loses what its forbidden
/// language costs, and is shown beside the model answers.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Say {
    pub id: String,
    /// Who the student is speaking to (shown with the prompt).
    #[serde(default)]
    pub speaker: Option<String>,
    pub prompt: Text,
    /// What a good reply contains, each worth its own points.
    pub elements: Vec<Element>,
    /// Language the reply must not contain: the course's lists and the scenario's own words.
    #[serde(default)]
    pub avoid: Vec<Avoid>,
    /// Replies that earn every point, shown in the feedback and in the review.
    #[serde(default)]
    pub models: Vec<Text>,
    /// Extra words for the word splitter (names, places: "长海", "乳山"), so that they are read
    /// as one word.
    #[serde(default)]
    pub words: Vec<String>,
    /// The longest reply that is read whole, in characters (default 100): elements said after
    /// it do not count.
    #[serde(default)]
    pub max_chars: Option<u32>,
    /// A countdown: the customer will not wait for ever (its `seconds`, then `next`).
    #[serde(default)]
    pub timeout: Option<Timeout>,
    #[serde(default)]
    pub feedback: Option<Text>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

impl Say {
    /// The longest reply read whole.
    pub fn max_chars(&self) -> u32 {
        self.max_chars.unwrap_or(100)
    }
}

/// One thing a typed reply should contain (a greeting, the company's name, the staff number…).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    pub id: String,
    /// What the element is, as the checklist shows it ("问候", "报工号").
    pub name: Text,
    /// Ways to say it: words and phrases (`"您好"`), patterns with the attempt's values
    /// (`"工号{staff}"`, `"{surname}先生"`), and `…` for a few words in between (`"工号…{staff}"`).
    pub say: Vec<Text>,
    /// Less fitting ways that earn half (`"你好"` where `"您好"` is wanted).
    #[serde(default)]
    pub half: Vec<Text>,
    /// Points when the reply contains it.
    #[serde(default)]
    pub effects: Effects,
    /// Said when the reply leaves it out.
    #[serde(default)]
    pub feedback: Option<Text>,
    /// Variable set to 1 when the reply contains it (the customer can react).
    #[serde(default)]
    pub sets: Option<String>,
    /// Leaving it out is a cardinal error (the key facts never confirmed).
    #[serde(default)]
    pub critical: Option<Critical>,
}

/// Language a typed reply must not contain.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Avoid {
    /// The scenario's own words and phrases (`…` for a few words in between).
    #[serde(default)]
    pub words: Vec<Text>,
    /// One of the course's lists ([`CourseList`]), besides or instead of `words`.
    #[serde(default)]
    pub list: Option<CourseList>,
    /// Only at the very start of the reply ("喂" answering the phone).
    #[serde(default)]
    pub at_start: bool,
    /// What saying it costs (negative points: `(sincerity: -3)`).
    #[serde(default)]
    pub effects: Effects,
    pub feedback: Text,
    /// Saying it is a cardinal error.
    #[serde(default)]
    pub critical: Option<Critical>,
    /// Saying it voids the reply: its elements earn nothing and set nothing (asking the customer
    /// to say everything again is no confirmation, whatever else the reply says).
    #[serde(default)]
    pub voids: bool,
    /// Variables set when the reply contains it (`(pushed: true)`: the customer reacts).
    #[serde(default)]
    pub set: IdentMap<Value>,
    /// Variables added to when the reply contains it (`(strikes: 1)`).
    #[serde(default)]
    pub add: IdentMap<i64>,
}

/// Word lists the course defines, shared by every scenario.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum CourseList {
    /// The course's negative language ([`NEGATIVE_LANGUAGE`] and "but" after praise).
    Negative,
    /// Rude openings of a call ([`RUDE_OPENINGS`]): counted only at the start of a reply.
    Rude,
}

/// Rude ways to open a call or a reply (seed 003): counted only at the start.
pub const RUDE_OPENINGS: &[&str] = &["喂", "什么事", "啥事", "干什么", "干嘛", "谁啊", "说吧", "有事吗", "有事快说"];

/// "But" after praise (seed 003: praise followed by 但是 takes the praise back): patterns with
/// a gap, part of the course's negative language for typed replies.
pub const PRAISE_BUT: &[&str] = &["很好…但是", "不错…但是", "说得对…但是", "没错…但是", "有道理…但是", "理解…但是", "很好…可是", "说得对…可是"];

impl CourseList {
    /// The list's words and patterns.
    pub fn words(self) -> Vec<&'static str> {
        match self {
            CourseList::Negative => NEGATIVE_LANGUAGE.iter().chain(PRAISE_BUT).copied().collect(),
            CourseList::Rude => RUDE_OPENINGS.to_vec(),
        }
    }
}

impl Node {
    pub fn id(&self) -> &str {
        match self {
            Node::Line(n) => &n.id,
            Node::Choice(n) => &n.id,
            Node::Match(n) => &n.id,
            Node::Order(n) => &n.id,
            Node::Form(n) => &n.id,
            Node::Compose(n) => &n.id,
            Node::Phone(n) => &n.id,
            Node::Dial(n) => &n.id,
            Node::Say(n) => &n.id,
            Node::Table(n) => &n.id,
            Node::Ending(n) => &n.id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Node::Line(_) => "Line",
            Node::Choice(_) => "Choice",
            Node::Match(_) => "Match",
            Node::Order(_) => "Order",
            Node::Form(_) => "Form",
            Node::Compose(_) => "Compose",
            Node::Phone(_) => "Phone",
            Node::Dial(_) => "Dial",
            Node::Say(_) => "Say",
            Node::Table(_) => "Table",
            Node::Ending(_) => "Ending",
        }
    }

    pub fn hints(&self) -> &[Hint] {
        match self {
            Node::Line(n) => &n.hints,
            Node::Choice(n) => &n.hints,
            Node::Match(n) => &n.hints,
            Node::Order(n) => &n.hints,
            Node::Form(n) => &n.hints,
            Node::Compose(n) => &n.hints,
            Node::Phone(n) => &n.hints,
            Node::Dial(n) => &n.hints,
            Node::Say(n) => &n.hints,
            Node::Table(n) => &n.hints,
            Node::Ending(_) => &[],
        }
    }

    /// `(next, branches)` for nodes that move on by themselves after an answer.
    pub fn flow(&self) -> Option<(Option<&str>, &[Branch])> {
        match self {
            Node::Line(n) => Some((n.next.as_deref(), &n.branches)),
            Node::Match(n) => Some((n.next.as_deref(), &n.branches)),
            Node::Order(n) => Some((n.next.as_deref(), &n.branches)),
            Node::Form(n) => Some((n.next.as_deref(), &n.branches)),
            Node::Compose(n) => Some((n.next.as_deref(), &n.branches)),
            Node::Say(n) => Some((n.next.as_deref(), &n.branches)),
            Node::Table(n) => Some((n.next.as_deref(), &n.branches)),
            Node::Choice(_) | Node::Phone(_) | Node::Dial(_) | Node::Ending(_) => None,
        }
    }

    /// Every node id this node can lead to, with the source-map path of the reference.
    pub fn targets(&self) -> Vec<(&str, String)> {
        let mut out = Vec::new();
        self.each_target(&mut |t, rel| out.push((t, rel())));
        out
    }

    /// [`Node::targets`] without building a list: `f` gets each id in the same order, and the
    /// reference's path only when it asks for it (validation writes it only for a finding).
    pub fn each_target<'s>(&'s self, f: &mut dyn FnMut(&'s str, &dyn Fn() -> String)) {
        if let Some((next, branches)) = self.flow() {
            if let Some(n) = next {
                f(n, &|| "next".to_string());
            }
            for (i, b) in branches.iter().enumerate() {
                f(b.next.as_str(), &|| format!("branches[{i}].next"));
            }
        }
        match self {
            Node::Choice(c) => {
                for (i, o) in c.options.iter().enumerate() {
                    f(o.next.as_str(), &|| format!("options[{i}].next"));
                }
                if let Some(t) = &c.timeout {
                    f(t.next.as_str(), &|| "timeout.next".to_string());
                }
            }
            Node::Say(x) => {
                if let Some(t) = &x.timeout {
                    f(t.next.as_str(), &|| "timeout.next".to_string());
                }
            }
            Node::Phone(p) => {
                f(p.next.as_str(), &|| "next".to_string());
                f(p.on_timeout.next.as_str(), &|| "on_timeout.next".to_string());
            }
            Node::Dial(d) => {
                for (i, n) in d.numbers.iter().enumerate() {
                    f(n.next.as_str(), &|| format!("numbers[{i}].next"));
                }
                for (r, name) in d.routes() {
                    f(r.next.as_str(), &|| format!("{name}.next"));
                }
            }
            _ => {}
        }
    }
}

impl Scenario {
    /// Build the id index; called by the loader (and by tests that build scenarios in code).
    /// Where [`Scenario::ranges`] keeps them.
    pub(crate) fn ranges_cell(&self) -> &Cached<Ranges> {
        &self.ranges
    }

    pub fn reindex(&mut self) {
        self.ranges = Cached::default();
        self.index.clear();
        for (i, n) in self.nodes.iter().enumerate() {
            self.index.entry(n.id().to_string()).or_insert(i);
        }
    }

    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.node_index(id).map(|i| &self.nodes[i])
    }

    pub fn start_id(&self) -> Option<&str> {
        self.start.as_deref().or_else(|| self.nodes.first().map(Node::id))
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The student's role (the first role played by the student).
    pub fn student_role(&self) -> Option<&Role> {
        self.roles.iter().find(|r| r.played_by == PlayedBy::Student)
    }

    /// Teaser for the library list.
    pub fn teaser(&self) -> Text {
        self.teaser.clone().unwrap_or_else(|| {
            let cut = |s: &str| {
                let t: String = s.chars().take(60).collect();
                if s.chars().count() > 60 { format!("{t}…") } else { t }
            };
            Text { zh: cut(&self.situation.zh), en: self.situation.en.as_deref().map(cut) }
        })
    }
}

/// Reachable point ranges, per effect key (explored by `scenario::ranges`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Ranges {
    pub keys: Vec<String>,
    /// Most points reachable at an ending; `None` when a loop can raise it without limit.
    pub max: Vec<Option<f64>>,
    /// Fewest points reachable at an ending; `None` when a loop can lower it without limit.
    pub min: Vec<Option<f64>>,
    pub states: usize,
    /// True when the state space was too big and conditions were ignored.
    pub approximate: bool,
    /// Per node (by index): reached by some path.
    pub reached: Vec<bool>,
    /// Nodes where some path gets stuck (no option offered, no branch applies).
    pub stuck: Vec<String>,
    /// Keys a loop can raise without limit, with a node on that loop.
    pub unbounded: Vec<(String, String)>,
    pub ending_reachable: bool,
}

/// Data derived from a scenario on first use and shared by everything holding it. A clone starts
/// empty (a clone may be changed), and it prints as nothing.
pub struct Cached<T>(std::sync::OnceLock<Arc<T>>);

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Cached(std::sync::OnceLock::new())
    }
}

impl<T> Clone for Cached<T> {
    fn clone(&self) -> Self {
        Cached::default()
    }
}

impl<T> std::fmt::Debug for Cached<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cached")
    }
}

impl<T> Cached<T> {
    /// The value, computed by `f` the first time (other threads asking meanwhile wait for it).
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> Arc<T> {
        self.0.get_or_init(|| Arc::new(f())).clone()
    }
}
