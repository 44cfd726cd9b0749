//! `kefu audit`: can a scenario's grade be gamed? Strategy bots play the real runner over many
//! seeds and are scored by the real scorer; the expert path is played with each single critical
//! error. A teacher sees which naive strategy still gets a good grade.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

use super::{Ratings, Report, Scorer};
use crate::scenario::{Lang, Node, Rule, Scenario, Text};
use crate::session::autoplay::{self, Policy, Tried, compose_pick};
use crate::session::{Action, Event, Session, ring_ms};

/// The most answers a bot gives before its attempt is scored as it stands (a strategy that
/// loops for ever is a student who never finishes).
const BOT_STEPS: usize = 400;

/// A naive way of playing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bot {
    /// Always the option with the longest (Chinese) text; every activity done right.
    Longest,
    /// Always the shortest option; every activity done right.
    Shortest,
    /// Always the option listed first (in the attempt's shuffled order); activities right.
    First,
    /// Random options, random activity answers, a random ring.
    Random,
    /// The longest option; at a typed reply, the first phrase of every element pasted with no
    /// sentence around them (keyword stuffing).
    Keywords,
}

impl Bot {
    pub const ALL: [Bot; 5] = [Bot::Longest, Bot::Shortest, Bot::First, Bot::Random, Bot::Keywords];

    pub fn name(self) -> Text {
        match self {
            Bot::Longest => Text::new("总选最长的选项", "always the longest option"),
            Bot::Shortest => Text::new("总选最短的选项", "always the shortest option"),
            Bot::First => Text::new("总选第一个选项", "always the first option"),
            Bot::Random => Text::new("随机作答", "random answers"),
            Bot::Keywords => Text::new("堆砌关键词", "keyword stuffing"),
        }
    }
}

/// How one strategy did over the seeds.
#[derive(Clone, Debug, Serialize)]
pub struct BotRow {
    pub bot: Bot,
    pub name: Text,
    /// Mean of the projected totals (out of 100).
    pub mean: f64,
    pub min: u32,
    pub max: u32,
    /// The grade of the mean, and its level (0 = the best).
    pub grade: Text,
    pub grade_level: usize,
    /// How often each ending was reached.
    pub endings: BTreeMap<String, usize>,
}

/// The expert path with one critical error.
#[derive(Clone, Debug, Serialize)]
pub struct CriticalRow {
    pub node: String,
    /// What was done wrong: `option x`, `field y`, `rule 2`, `ring 4`, `timeout`.
    pub deviation: String,
    pub name: Text,
    /// When the expert path does not pass the node: the one non-critical wrong option
    /// (`node.option`) taken first to get there.
    pub via: Option<String>,
    /// The seed the row was played with: 0, or, when the node lies on a branch a random draw
    /// opens (a customer's personality, an objection), the first seed whose expert path gets there.
    pub seed: u64,
    /// None when no such path reaches the node.
    pub projected: Option<u32>,
    pub total: Option<u32>,
    pub grade: Option<Text>,
    /// The grade's level (0 = the best).
    pub grade_level: Option<usize>,
    pub ending: Option<String>,
}

/// Everything `kefu audit` shows.
#[derive(Clone, Debug, Serialize)]
pub struct Audit {
    pub id: String,
    pub seeds: u64,
    pub expert_mean: f64,
    pub expert_min: u32,
    pub bots: Vec<BotRow>,
    pub critical: Vec<CriticalRow>,
    pub endings: usize,
    pub failure_endings: usize,
    /// Calculation tables: what one early slip, carried on, keeps of each table's credit.
    pub tables: Vec<TableSlip>,
    pub warnings: Vec<Text>,
}

/// A table with the right answers but one early slip carried on (every later cell worked out
/// from it): the share of the table's credit it keeps.
#[derive(Clone, Debug, Serialize)]
pub struct TableSlip {
    pub node: String,
    /// The slipped cell (`1.cum`: row 1, column `cum`).
    pub cell: String,
    /// Cells the student fills.
    pub cells: usize,
    /// The credit kept, 0-1.
    pub one_slip: f64,
}

fn table_slips(sc: &Scenario) -> Vec<TableSlip> {
    use crate::session::table;
    sc.nodes
        .iter()
        .filter_map(|n| match n {
            Node::Table(t) => {
                let (cells, cell) = table::with_slip(t, Lang::Zh)?;
                Some(TableSlip { node: t.id.clone(), cell, cells: table::all_cells(t), one_slip: table::credit_of(t, &cells).ok()? })
            }
            _ => None,
        })
        .collect()
}

/// Audit a scenario over seeds `0..seeds`.
pub fn audit(sc: &Arc<Scenario>, seeds: u64) -> Audit {
    let scorer = Scorer::new(Arc::clone(sc));
    let rubric = &sc.rubric;
    let seeds = seeds.max(1);
    let mut bots = Vec::new();
    for bot in Bot::ALL {
        let mut totals = Vec::new();
        let mut endings: BTreeMap<String, usize> = BTreeMap::new();
        for seed in 0..seeds {
            let r = play_bot(&scorer, seed, bot);
            *endings.entry(r.as_ref().and_then(|r| r.ending.clone()).unwrap_or_else(|| "-".into())).or_insert(0) += 1;
            totals.push(r.map_or(0, |r| r.projected));
        }
        let mean = mean(&totals);
        bots.push(BotRow {
            bot,
            name: bot.name(),
            mean,
            min: totals.iter().copied().min().unwrap_or(0),
            max: totals.iter().copied().max().unwrap_or(0),
            grade: rubric.grade(mean.round() as u32).map(|g| g.name.clone()).unwrap_or_default(),
            grade_level: rubric.grade_index(mean.round() as u32),
            endings,
        });
    }
    let expert: Vec<u32> = (0..seeds)
        .map(|seed| autoplay::play(sc, seed, Policy::Expert).map_or(0, |s| scorer.score_session(&s, &Ratings::new()).projected))
        .collect();
    let critical = critical_rows(&scorer);
    let endings: Vec<&crate::scenario::Ending> = sc.nodes.iter().filter_map(|n| if let Node::Ending(e) = n { Some(e) } else { None }).collect();

    let mut warnings = Vec::new();
    let good = rubric.grades.iter().find(|g| g.name.zh == "良好").map_or(80, |g| g.min);
    for b in &bots {
        if b.mean + 1e-9 >= f64::from(good) {
            warnings.push(Text::new(
                format!("「{}」平均就能得 {:.0} 分（{}）：成绩可以被投机取巧。请把错误选项写得同样具体可信，并把课程的严重错误标为 critical", b.name.zh, b.mean, b.grade.zh),
                format!("“{}” averages {:.0} ({}): the grade can be gamed. Make wrong options as specific and plausible, and mark the course's cardinal errors `critical`", b.name.get(Lang::En), b.mean, b.grade.get(Lang::En)),
            ));
        }
    }
    let fair = rubric.grades.iter().find(|g| g.name.zh == "中等").map_or(70, |g| g.min);
    if !critical.iter().any(|c| c.projected.is_some_and(|p| p < fair)) {
        warnings.push(Text::new(
            "专家路径上没有任何一个单独的错误能让成绩低于中等：请把课程的严重错误（首问负责制、违禁品、负面语言、没有确认关键信息……）标为 critical",
            "no single deviation from the expert path drops the grade below Fair: mark the course's cardinal errors (first-contact responsibility, prohibited items, negative language, key facts unconfirmed…) `critical`",
        ));
    }
    let expert_min = expert.iter().copied().min().unwrap_or(0);
    if expert_min < rubric.total_max() {
        warnings.push(Text::new(
            format!("专家路径最低只得 {expert_min} 分：专家路径应能拿满分。用 kefu analyze 看哪个评分项没有拿满"),
            format!("the expert path scores as low as {expert_min}: it should reach full marks. `kefu analyze` shows which key falls short"),
        ));
    }
    if !endings.iter().any(|e| !e.success) {
        warnings.push(Text::new(
            "没有失败的结局：客户对错误毫无反应。请加一个 success: false 的结局（投诉、客户流失）",
            "no failure ending: the customer never reacts to mistakes. Add an ending with `success: false` (a complaint, a lost customer)",
        ));
    }
    Audit {
        id: sc.id.clone(),
        seeds,
        expert_mean: mean(&expert),
        expert_min: expert.iter().copied().min().unwrap_or(0),
        bots,
        critical,
        endings: endings.len(),
        failure_endings: endings.iter().filter(|e| !e.success).count(),
        tables: table_slips(sc),
        warnings,
    }
}

fn mean(xs: &[u32]) -> f64 {
    if xs.is_empty() { 0.0 } else { xs.iter().map(|x| f64::from(*x)).sum::<f64>() / xs.len() as f64 }
}

/// The length of an option as this attempt shows it (placeholders filled in).
fn chars(s: &Session, t: &Text) -> usize {
    s.render(t, Lang::Zh).chars().filter(|c| !c.is_whitespace()).count()
}

/// Play one bot from `seed`; the attempt is scored however far it got.
pub fn play_bot(scorer: &Scorer, seed: u64, bot: Bot) -> Option<Report> {
    let sc = scorer.scenario();
    let mut s = Session::new(Arc::clone(sc), seed).ok()?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6b65_6675_6175_6469);
    let mut tried = Tried::new();
    for _ in 0..BOT_STEPS {
        if s.is_ended() {
            break;
        }
        let Some(event) = bot_event(&s, bot, &mut rng, &mut tried) else { break };
        if s.apply(&event).is_err() {
            break;
        }
    }
    Some(scorer.score_session(&s, &Ratings::new()))
}

fn bot_event(s: &Session, bot: Bot, rng: &mut ChaCha8Rng, tried: &mut Tried) -> Option<Event> {
    let node = s.node().clone();
    let ev = |action| Event { node: node.id().to_string(), elapsed_ms: 0, action };
    if let Node::Choice(c) = &node {
        let opts = s.available_options();
        if opts.is_empty() {
            return c.timeout.as_ref().map(|t| Event { elapsed_ms: u64::from(t.seconds) * 1000, ..ev(Action::Timeout) });
        }
        let pick = match bot {
            Bot::Longest | Bot::Keywords => opts.iter().copied().rev().max_by_key(|o| chars(s, &o.text)),
            Bot::Shortest => opts.iter().copied().min_by_key(|o| chars(s, &o.text)),
            Bot::First => opts.first().copied(),
            Bot::Random => opts.get(rng.random_range(0..opts.len())).copied(),
        }?;
        return Some(ev(Action::Choose(pick.id.clone())));
    }
    if let Node::Say(x) = &node {
        let text = match bot {
            Bot::Keywords => autoplay::say_keywords(s, x, ""),
            // Every way of saying every element, one after another.
            Bot::Longest => x.elements.iter().flat_map(|e| e.say.iter()).map(|t| autoplay::say_phrase(s, t)).collect::<Vec<_>>().join("，"),
            Bot::Shortest => "好的。".to_string(),
            Bot::First => x.elements.first().and_then(|e| e.say.first()).map(|t| autoplay::say_phrase(s, t)).unwrap_or_default(),
            Bot::Random => x
                .elements
                .iter()
                .filter(|_| rng.random_range(0..2) == 0)
                .filter_map(|e| e.say.first())
                .map(|t| autoplay::say_phrase(s, t))
                .collect::<Vec<_>>()
                .join("，"),
        };
        return Some(ev(Action::Say(text)));
    }
    if let Node::Dial(d) = &node {
        return Some(ev(Action::Dial(bot_dial(s, d, bot, rng))));
    }
    if bot != Bot::Random {
        return autoplay::next_event(s, Policy::Expert, tried).ok();
    }
    Some(match &node {
        Node::Line(_) => ev(Action::Continue),
        Node::Match(m) => ev(Action::Match(
            m.items.iter().filter_map(|i| m.categories.get(rng.random_range(0..m.categories.len().max(1))).map(|c| (i.id.clone(), c.id.clone()))).collect(),
        )),
        Node::Order(o) => {
            let mut ids: Vec<String> = o.steps.iter().map(|st| st.id.clone()).collect();
            ids.shuffle(rng);
            ev(Action::Order(ids))
        }
        Node::Form(_) => {
            // Half the fields right, half left empty, at random.
            let Ok(expert) = autoplay::next_event(s, Policy::Expert, tried) else { return None };
            let Action::Form(values) = expert.action else { return None };
            ev(Action::Form(values.into_iter().filter(|_| rng.random_range(0..2) == 0).collect()))
        }
        Node::Table(t) => {
            // Half the cells right, half left empty, at random.
            let mut cells = crate::session::table::solution(t, Lang::Zh);
            for cell in cells.iter_mut().flatten() {
                if rng.random_range(0..2) == 0 {
                    cell.clear();
                }
            }
            ev(Action::Table(cells))
        }
        Node::Compose(c) => {
            let lo = (c.min_phrases as usize).min(c.phrases.len());
            let hi = c.max_phrases.map_or(c.phrases.len(), |m| m as usize).clamp(lo, c.phrases.len());
            let n = rng.random_range(lo..=hi);
            let mut ids: Vec<String> = c.phrases.iter().map(|p| p.id.clone()).collect();
            ids.shuffle(rng);
            ids.truncate(n);
            ev(Action::Compose(ids))
        }
        Node::Phone(p) => {
            let ring = rng.random_range(0..=p.max_rings);
            let ms = ring_ms(p.ring_seconds).saturating_mul(u64::from(ring));
            Event { elapsed_ms: ms, ..ev(if ring == p.max_rings { Action::Timeout } else { Action::Pickup }) }
        }
        Node::Choice(_) | Node::Say(_) | Node::Dial(_) | Node::Ending(_) => return None,
    })
}

/// What a bot dials. With a directory beside the phone it is a list of options: the longest,
/// shortest or first label, or a random line (the random bot also mistypes now and then: a
/// number no one answers). Without one, the naive bots know the number as the activity bots
/// know every answer, and the random bot dials a random listed number or a wrong one.
fn bot_dial(s: &Session, d: &crate::scenario::Dial, bot: Bot, rng: &mut ChaCha8Rng) -> String {
    let number = |n: &crate::scenario::ident::NumberText| crate::scenario::normalize_number(&n.0).unwrap_or_default();
    if bot == Bot::Random {
        let pool: Vec<String> = if d.directory.is_empty() { d.numbers.iter().map(|n| number(&n.number)).collect() } else { d.directory.iter().map(|l| number(&l.number)).collect() };
        if pool.is_empty() || rng.random_range(0..5) == 0 {
            return autoplay::unknown_number(d);
        }
        return pool[rng.random_range(0..pool.len())].clone();
    }
    let pick = match bot {
        Bot::Longest | Bot::Keywords => d.directory.iter().rev().max_by_key(|l| chars(s, &l.label)),
        Bot::Shortest => d.directory.iter().min_by_key(|l| chars(s, &l.label)),
        Bot::First | Bot::Random => d.directory.first(),
    };
    pick.map_or_else(|| autoplay::dial_pick(d, Policy::Expert), |l| number(&l.number))
}

/// Builds a deviant answer from the session at the deviation's node.
type MakeEvent = Box<dyn Fn(&Session) -> Option<Event>>;

/// A deviation from the expert path that commits one critical error.
struct Deviation {
    node: String,
    label: String,
    name: Text,
    /// Builds the deviant action from the session at that node.
    action: MakeEvent,
}

fn deviations(sc: &Scenario) -> Vec<Deviation> {
    let mut out: Vec<Deviation> = Vec::new();
    for n in &sc.nodes {
        let id = n.id().to_string();
        let at = |action: Action, ms: u64| {
            let id = id.clone();
            Box::new(move |_: &Session| Some(Event { node: id.clone(), elapsed_ms: ms, action: action.clone() })) as MakeEvent
        };
        match n {
            Node::Choice(c) => {
                for o in &c.options {
                    if let Some(cr) = &o.critical {
                        out.push(Deviation { node: id.clone(), label: format!("option {}", o.id), name: cr.name.clone(), action: at(Action::Choose(o.id.clone()), 0) });
                    }
                }
                if let Some(t) = &c.timeout
                    && let Some(cr) = &t.critical
                {
                    out.push(Deviation { node: id.clone(), label: "timeout".into(), name: cr.name.clone(), action: at(Action::Timeout, u64::from(t.seconds) * 1000) });
                }
            }
            Node::Phone(p) => {
                let ring = ring_ms(p.ring_seconds);
                for (j, r) in p.by_ring.iter().enumerate() {
                    if let Some(cr) = &r.critical
                        && (j as u32) < p.max_rings
                    {
                        out.push(Deviation { node: id.clone(), label: format!("ring {}", j + 1), name: cr.name.clone(), action: at(Action::Pickup, ring.saturating_mul(j as u64)) });
                    }
                }
                if let Some(cr) = &p.on_timeout.critical {
                    out.push(Deviation { node: id.clone(), label: "timeout".into(), name: cr.name.clone(), action: at(Action::Timeout, ring.saturating_mul(u64::from(p.max_rings))) });
                }
            }
            Node::Dial(d) => {
                for n in &d.numbers {
                    if let Some(cr) = &n.critical {
                        let number = crate::scenario::normalize_number(&n.number.0).unwrap_or_default();
                        out.push(Deviation { node: id.clone(), label: format!("number {number}"), name: cr.name.clone(), action: at(Action::Dial(number), 0) });
                    }
                }
                if let Some(cr) = &d.otherwise.critical {
                    out.push(Deviation { node: id.clone(), label: "unknown number".into(), name: cr.name.clone(), action: at(Action::Dial(autoplay::unknown_number(d)), 0) });
                }
            }
            Node::Form(f) => {
                for field in &f.fields {
                    if let Some(cr) = &field.critical {
                        let (nid, fid) = (id.clone(), field.id.clone());
                        out.push(Deviation {
                            node: id.clone(),
                            label: format!("field {}", field.id),
                            name: cr.name.clone(),
                            action: Box::new(move |s: &Session| {
                                let e = autoplay::next_event(s, Policy::Expert, &mut Tried::new()).ok()?;
                                let Action::Form(values) = e.action else { return None };
                                Some(Event { node: nid.clone(), elapsed_ms: 0, action: Action::Form(values.into_iter().filter(|(k, _)| k != &fid).collect()) })
                            }),
                        });
                    }
                }
            }
            Node::Say(x) => {
                if let Some(t) = &x.timeout
                    && let Some(cr) = &t.critical
                {
                    out.push(Deviation { node: id.clone(), label: "timeout".into(), name: cr.name.clone(), action: at(Action::Timeout, u64::from(t.seconds) * 1000) });
                }
                for (i, e) in x.elements.iter().enumerate() {
                    let Some(cr) = &e.critical else { continue };
                    let nid = id.clone();
                    out.push(Deviation {
                        node: id.clone(),
                        label: format!("element {}", e.id),
                        name: cr.name.clone(),
                        // Every other element's first phrase, in a sentence.
                        action: Box::new(move |s: &Session| {
                            let Some(Node::Say(x)) = s.scenario().node(&nid) else { return None };
                            let said: Vec<String> = x.elements.iter().enumerate().filter(|(j, _)| *j != i).filter_map(|(_, e)| e.say.first()).map(|t| autoplay::say_phrase(s, t)).collect();
                            Some(Event { node: nid.clone(), elapsed_ms: 0, action: Action::Say(format!("好的，{}。", said.join("，"))) })
                        }),
                    });
                }
                for (i, a) in x.avoid.iter().enumerate() {
                    let Some(cr) = &a.critical else { continue };
                    let word = a.words.first().map(|w| w.zh.clone()).or_else(|| a.list.and_then(|l| l.words().first().map(|w| w.to_string()))).unwrap_or_default();
                    let start = a.at_start || a.list == Some(crate::scenario::CourseList::Rude);
                    let nid = id.clone();
                    out.push(Deviation {
                        node: id.clone(),
                        label: format!("avoid {}", i + 1),
                        name: cr.name.clone(),
                        action: Box::new(move |s: &Session| {
                            let Some(Node::Say(x)) = s.scenario().node(&nid) else { return None };
                            let model = autoplay::say_model(s, x);
                            let w = word.replace('…', "，");
                            let text = if start { format!("{w}，{model}") } else { format!("{model}{w}。") };
                            Some(Event { node: nid.clone(), elapsed_ms: 0, action: Action::Say(text) })
                        }),
                    });
                }
            }
            Node::Compose(c) => {
                for (r, rule) in c.rules.iter().enumerate() {
                    let Some(cr) = rule.critical() else { continue };
                    if let Some(ids) = break_rule(c, rule) {
                        out.push(Deviation { node: id.clone(), label: format!("rule {} ({})", r + 1, rule.kind()), name: cr.name.clone(), action: at(Action::Compose(ids), 0) });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The expert's phrases changed just enough to break `rule`.
fn break_rule(c: &crate::scenario::Compose, rule: &Rule) -> Option<Vec<String>> {
    let mut ids = compose_pick(c, Policy::Expert);
    let tagged = |p: &crate::scenario::Phrase, tags: &[String]| p.tags.iter().any(|t| tags.contains(t));
    let max = c.max_phrases.map_or(usize::MAX, |m| m as usize);
    let add = |ids: &mut Vec<String>, pid: &str| {
        if ids.len() >= max {
            ids.pop();
        }
        ids.push(pid.to_string());
    };
    match rule {
        Rule::Require { tags, .. } => {
            ids.retain(|id| c.phrases.iter().find(|p| &p.id == id).is_none_or(|p| !tagged(p, tags)));
            for p in &c.phrases {
                if ids.len() >= c.min_phrases as usize {
                    break;
                }
                if !tagged(p, tags) && !ids.contains(&p.id) {
                    ids.push(p.id.clone());
                }
            }
        }
        Rule::Forbid { tags, .. } => {
            let p = c.phrases.iter().find(|p| tagged(p, tags))?;
            add(&mut ids, &p.id);
        }
        Rule::Before { .. } => ids.reverse(),
        Rule::Avoid { .. } => {
            let p = c.phrases.iter().find(|p| autoplay::phrase_avoided(c, p))?;
            add(&mut ids, &p.id);
        }
    }
    Some(ids)
}

/// Seeds tried for a critical error on a branch only some random draws open.
const DRAW_SEEDS: u64 = 64;

/// The expert path (seed 0) with each single critical error, scored.
pub fn critical_rows(scorer: &Scorer) -> Vec<CriticalRow> {
    let sc = scorer.scenario();
    // Wrong but not critical answers on the expert path: options of its choices, and typed
    // replies with a slip the customer reacts to (a phrase to avoid that sets a variable) —
    // detours to nodes the expert never visits (a recovery question, the visitor's second try…).
    // Played only when some critical error needs a detour (most need none, and on a large
    // scenario the expert path is the costly part).
    let detours_of = || -> Vec<(String, String, Action)> { autoplay::play(sc, 0, Policy::Expert)
        .map(|s| {
            let mut seen = std::collections::BTreeSet::new();
            s.log()
                .iter()
                .filter(|e| seen.insert(e.node.clone()))
                .filter_map(|e| match sc.node(&e.node) {
                    Some(Node::Choice(c)) => Some(c.options.iter().filter(|o| !o.expert && o.critical.is_none()).map(|o| (c.id.clone(), o.id.clone(), Action::Choose(o.id.clone()))).collect::<Vec<_>>()),
                    Some(Node::Dial(d)) => Some(
                        d.numbers
                            .iter()
                            .filter(|n| !n.expert && n.critical.is_none())
                            .filter_map(|n| crate::scenario::normalize_number(&n.number.0))
                            .map(|n| (d.id.clone(), n.clone(), Action::Dial(n)))
                            .collect::<Vec<_>>(),
                    ),
                    Some(Node::Say(x)) => {
                        let model = autoplay::say_model(&s, x);
                        Some(
                            x.avoid
                                .iter()
                                .enumerate()
                                .filter(|(_, a)| a.critical.is_none() && (!a.set.is_empty() || !a.add.is_empty()))
                                .filter_map(|(i, a)| {
                                    let word = a.words.first().map(|w| w.zh.clone()).or_else(|| a.list.and_then(|l| l.words().first().map(|w| w.to_string())))?.replace('…', "，");
                                    let start = a.at_start || a.list == Some(crate::scenario::CourseList::Rude);
                                    let text = if start { format!("{word}，{model}") } else { format!("{model}{word}。") };
                                    Some((x.id.clone(), format!("avoid{}", i + 1), Action::Say(text)))
                                })
                                .collect::<Vec<_>>(),
                        )
                    }
                    _ => None,
                })
                .flatten()
                .collect()
        })
        .unwrap_or_default() };
    let detours = std::cell::OnceCell::new();
    deviations(sc)
        .into_iter()
        .map(|d| {
            let mut via = None;
            let mut seed = 0;
            let mut report = play_with_deviation(sc, 0, &d, None).map(|s| scorer.score_session(&s, &Ratings::new()));
            if report.is_none() {
                // The best total reachable with this error: the detour that costs least.
                for (node, label, action) in detours.get_or_init(detours_of) {
                    let Some(s) = play_with_deviation(sc, 0, &d, Some((node, action))) else { continue };
                    let r = scorer.score_session(&s, &Ratings::new());
                    if report.as_ref().is_none_or(|b: &Report| r.projected > b.projected) {
                        via = Some(format!("{node}.{label}"));
                        report = Some(r);
                    }
                }
            }
            if report.is_none() && !sc.draws.is_empty() {
                // A branch that only some draws open: the first seed whose expert path gets there.
                if let Some((k, s)) = (1..DRAW_SEEDS).find_map(|k| play_with_deviation(sc, k, &d, None).map(|s| (k, s))) {
                    seed = k;
                    report = Some(scorer.score_session(&s, &Ratings::new()));
                }
            }
            CriticalRow {
                seed,
                node: d.node,
                deviation: d.label,
                name: d.name,
                via,
                projected: report.as_ref().map(|r| r.projected),
                total: report.as_ref().map(|r| r.total),
                grade: report.as_ref().map(|r| r.grade.clone()),
                grade_level: report.as_ref().map(|r| r.grade_level),
                ending: report.and_then(|r| r.ending),
            }
        })
        .collect()
}

/// The expert path (seed 0) with the deviation at the first visit of its node, after the
/// detour option (if any) at the first visit of the detour's node; None when it never gets there.
fn play_with_deviation(sc: &Arc<Scenario>, seed: u64, d: &Deviation, detour: Option<(&String, &Action)>) -> Option<Session> {
    let mut s = Session::new(Arc::clone(sc), seed).ok()?;
    let mut tried = Tried::new();
    let mut done = false;
    let mut detoured = detour.is_none();
    for _ in 0..BOT_STEPS {
        if s.is_ended() {
            break;
        }
        let event = if !done && detoured && s.node_id() == d.node {
            done = true;
            (d.action)(&s)?
        } else if let Some((node, action)) = detour.filter(|(n, _)| !detoured && s.node_id() == n.as_str()) {
            detoured = true;
            Event { node: node.clone(), elapsed_ms: 0, action: action.clone() }
        } else {
            autoplay::next_event(&s, Policy::Expert, &mut tried).ok()?
        };
        s.apply(&event).ok()?;
    }
    done.then_some(s)
}

/// `s` padded to `width` terminal columns (a Chinese character takes two).
fn pad(s: &str, width: usize) -> String {
    let w: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The audit as a table in `lang`.
pub fn render(a: &Audit, lang: Lang) -> String {
    use std::fmt::Write as _;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut o = String::new();
    let plural = |n: usize, zh: &'static str, one: &'static str, many: &'static str| format!("{n} {}", t(zh, if n == 1 { one } else { many }));
    let _ = writeln!(
        o,
        "{}  ({}, {} / {})",
        a.id,
        plural(a.seeds as usize, "个种子", "seed", "seeds"),
        plural(a.endings, "个结局", "ending", "endings"),
        plural(a.failure_endings, "个失败", "failure", "failures")
    );
    let _ = writeln!(o, "  {} {} {} {}  {}", pad(t("策略", "strategy"), 26), pad(t("  平均", "  mean"), 6), pad(t(" 最低", "  min"), 5), pad(t(" 最高", "  max"), 5), t("等级", "grade"));
    let _ = writeln!(o, "  {} {:>6.1} {:>5}", pad(t("专家路径", "expert path"), 26), a.expert_mean, a.expert_min);
    for b in &a.bots {
        let _ = writeln!(o, "  {} {:>6.1} {:>5} {:>5}  {}", pad(b.name.get(lang), 26), b.mean, b.min, b.max, b.grade.get(lang));
    }
    if a.critical.is_empty() {
        let _ = writeln!(o, "{}", t("没有标为 critical 的严重错误。", "No critical errors are marked."));
    } else {
        let _ = writeln!(o, "{}", t("专家路径上只犯一个严重错误（种子 0；只在部分随机抽取下才会出现的分支，用第一个走到那里的种子）：", "The expert path with one critical error (seed 0; on a branch only some random draws open, the first seed that gets there):"));
        for c in &a.critical {
            let result = match (c.projected, &c.grade) {
                (Some(p), Some(g)) => format!("{p} {}  → {}", g.get(lang), c.ending.as_deref().unwrap_or("-")),
                _ => t("到不了这里", "never reached").to_string(),
            };
            let mut via = c.via.as_ref().map_or(String::new(), |v| format!("{}{v}{}", t("（先经过 ", " (via "), t("）", ")")));
            if c.seed != 0 {
                via += &format!("{}{}{}", t("（种子 ", " (seed "), c.seed, t("）", ")"));
            }
            let _ = writeln!(o, "  {} {}{via} — {}: {}", c.node, c.deviation, c.name.get(lang), result);
        }
    }
    for s in &a.tables {
        let kept = s.one_slip * 100.0;
        let _ = match lang {
            Lang::Zh => writeln!(o, "表格 {}：{} 格里 `{}` 算错一格、后面按错数接着算，仍得 {kept:.1}% 的分", s.node, s.cells, s.cell),
            Lang::En => writeln!(o, "table {}: one early slip in {} of {} cells, carried on, still earns {kept:.1}% of its credit", s.node, s.cell, s.cells),
        };
    }
    for w in &a.warnings {
        let _ = writeln!(o, "{}: {}", t("警告", "warning"), w.get(lang));
    }
    o
}
