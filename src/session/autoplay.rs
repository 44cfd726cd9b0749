//! Play a scenario by a policy: the expert's answers, or the worst ones. Used by analysis,
//! by the review screen (the expert path beside the student's) and by tests.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::activity::expected_text;
use super::{Action, Event, Session, SessionError};
use crate::scenario::{Lang, Node, Scenario};

pub use crate::scenario::rules::{Policy, compose_pick, order_for_rules, phrase_avoided};

/// Options already tried per (choice node, variable values), so loops are left.
pub type Tried = HashMap<(String, Vec<(String, i64)>), BTreeSet<String>>;

/// The most steps an autoplay takes before it reports a loop.
pub const STEP_CAP: usize = 100_000;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AutoplayError {
    #[error("the {0:?} path did not reach an ending within {STEP_CAP} steps (a loop?)")]
    NoEnding(Policy),
    #[error("the {0:?} path is stuck at node `{1}`: no option is offered")]
    Stuck(Policy, String),
    #[error(transparent)]
    Session(#[from] SessionError),
}

/// Play from the start with `seed` until an ending; the session holds the log and steps.
pub fn play(scenario: &Arc<Scenario>, seed: u64, policy: Policy) -> Result<Session, AutoplayError> {
    let mut s = Session::new(Arc::clone(scenario), seed)?;
    let mut tried: Tried = HashMap::new();
    for _ in 0..STEP_CAP {
        if s.is_ended() {
            return Ok(s);
        }
        let event = next_event(&s, policy, &mut tried)?;
        s.apply(&event)?;
    }
    Err(AutoplayError::NoEnding(policy))
}

fn total(effects: &crate::scenario::Effects) -> i64 {
    effects.iter().map(|(_, v)| i64::from(*v)).sum()
}

pub fn next_event(
    s: &Session,
    policy: Policy,
    tried: &mut Tried,
) -> Result<Event, AutoplayError> {
    let node = s.node();
    let ev = |action| Event { node: node.id().to_string(), elapsed_ms: 0, action };
    Ok(match node {
        Node::Line(_) => ev(Action::Continue),
        Node::Choice(c) => {
            let opts = s.available_options();
            if opts.is_empty() {
                return match &c.timeout {
                    Some(t) => Ok(Event { elapsed_ms: u64::from(t.seconds) * 1000, ..ev(Action::Timeout) }),
                    None => Err(AutoplayError::Stuck(policy, c.id.clone())),
                };
            }
            // Prefer options not yet tried in this exact state, so loops are left.
            let key = (c.id.clone(), s.vars().iter().map(|(k, v)| (k.clone(), *v)).collect());
            let seen = tried.entry(key).or_default();
            let fresh: Vec<_> = opts.iter().filter(|o| !seen.contains(&o.id)).copied().collect();
            let pool = if fresh.is_empty() { opts.clone() } else { fresh };
            let pick = match policy {
                Policy::Expert => pool
                    .iter()
                    .find(|o| o.expert)
                    .or_else(|| pool.iter().max_by_key(|o| total(&o.effects)))
                    .copied(),
                Policy::Worst => pool.iter().min_by_key(|o| (total(&o.effects), o.expert)).copied(),
            };
            let Some(pick) = pick else { return Err(AutoplayError::Stuck(policy, c.id.clone())) };
            seen.insert(pick.id.clone());
            ev(Action::Choose(pick.id.clone()))
        }
        Node::Match(m) => ev(Action::Match(
            m.items
                .iter()
                .filter_map(|i| {
                    let cat = match policy {
                        Policy::Expert => i.answer.first().cloned(),
                        Policy::Worst => m.categories.iter().find(|c| !i.answer.contains(&c.id)).map(|c| c.id.clone()),
                    };
                    cat.map(|c| (i.id.clone(), c))
                })
                .collect(),
        )),
        Node::Order(o) => {
            let mut ids: Vec<String> = o.steps.iter().map(|st| st.id.clone()).collect();
            if policy == Policy::Worst {
                ids.reverse();
            }
            ev(Action::Order(ids))
        }
        Node::Form(f) => ev(Action::Form(match policy {
            Policy::Expert => f.fields.iter().map(|x| (x.id.clone(), expected_text(s, &x.expected).get(Lang::Zh).to_string())).collect(),
            Policy::Worst => Vec::new(),
        })),
        Node::Compose(c) => ev(Action::Compose(compose_pick(c, policy))),
        Node::Say(x) => ev(Action::Say(match policy {
            Policy::Expert => say_model(s, x),
            Policy::Worst => String::new(),
        })),
        Node::Table(t) => ev(Action::Table(match policy {
            Policy::Expert => super::table::solution(t, Lang::Zh),
            Policy::Worst => Vec::new(),
        })),
        Node::Phone(p) => {
            let ring = super::ring_ms(p.ring_seconds);
            match policy {
                Policy::Expert => ev(Action::Pickup),
                Policy::Worst => Event { elapsed_ms: ring.saturating_mul(u64::from(p.max_rings)), ..ev(Action::Timeout) },
            }
        }
        Node::Dial(d) => ev(Action::Dial(dial_pick(d, policy))),
        Node::Ending(e) => return Err(AutoplayError::Session(SessionError::Broken(format!("ended at {}", e.id)))),
    })
}

/// The number a policy dials: the expert's number, or the one costing most (an unknown
/// number when `otherwise` costs more than any listed number).
pub fn dial_pick(d: &crate::scenario::Dial, policy: Policy) -> String {
    let listed = |n: &crate::scenario::DialNumber| crate::scenario::normalize_number(&n.number.0).unwrap_or_default();
    match policy {
        Policy::Expert => d.numbers.iter().find(|n| n.expert).or_else(|| d.numbers.iter().max_by_key(|n| total(&n.effects))).map(listed).unwrap_or_default(),
        Policy::Worst => {
            let worst = d.numbers.iter().min_by_key(|n| (total(&n.effects), n.expert));
            match worst {
                Some(n) if total(&n.effects) <= total(&d.otherwise.effects) => listed(n),
                _ => unknown_number(d),
            }
        }
    }
}

/// A number no one listed at a `Dial` answers: as many digits as the longest listed, all 0
/// (or 9, … when that one is listed).
pub fn unknown_number(d: &crate::scenario::Dial) -> String {
    let longest = d.numbers.iter().filter_map(|n| crate::scenario::normalize_number(&n.number.0)).map(|n| n.len()).max().unwrap_or(4);
    let len = longest.clamp(1, d.max_digits().max(1) as usize);
    ('0'..='9').map(|c| c.to_string().repeat(len)).find(|n| d.number(n).is_none()).unwrap_or_else(|| "*".repeat(len))
}

/// The expert's reply at a `Say` node: its first model answer (values filled in), else the
/// first phrase of every element joined into one sentence.
pub fn say_model(s: &Session, x: &crate::scenario::Say) -> String {
    match x.models.first() {
        Some(m) => s.render(m, Lang::Zh),
        None => say_keywords(s, x, "，"),
    }
}

/// The first phrase of every element (values filled in, `…` dropped), joined with `sep`: what a
/// student pasting keywords types.
pub fn say_keywords(s: &Session, x: &crate::scenario::Say, sep: &str) -> String {
    x.elements.iter().filter_map(|e| e.say.first()).map(|t| say_phrase(s, t)).collect::<Vec<_>>().join(sep)
}

/// A way of saying an element as a student would type it: values filled in, `…` gaps dropped.
pub fn say_phrase(s: &Session, t: &crate::scenario::Text) -> String {
    s.render(t, Lang::Zh).replace("...", "").replace('…', "")
}

