//! What the runner and validation both need to know about a node's rules: whether a composed
//! text keeps a rule, the expert's (or worst) phrases for a composition, and which table row a
//! student's text names. Pure functions of the model: the runner (`session`) plays them,
//! validation checks the scenario with them, neither calls the other.

use std::collections::BTreeSet;

use super::text::normalize;
use super::{Compose, Rule, Table};

/// How an autoplay (and validation's check of a composition) picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Expert options, everything right, the phone on the first ring.
    Expert,
    /// The lowest-scoring options, activities all wrong, the phone on the last ring, the
    /// costliest number dialled.
    Worst,
}

/// Whether a composed text keeps a rule.
pub fn rule_holds(rule: &Rule, chosen: &[&crate::scenario::Phrase], text: &str) -> bool {
    let has = |p: &crate::scenario::Phrase, tags: &[String]| p.tags.iter().any(|t| tags.contains(t));
    match rule {
        Rule::Require { tags, .. } => chosen.iter().any(|p| has(p, tags)),
        Rule::Forbid { tags, .. } => !chosen.iter().any(|p| has(p, tags)),
        // Broken when a `then` phrase comes before a (different) `first` phrase.
        Rule::Before { first, then, .. } => !chosen
            .iter()
            .enumerate()
            .any(|(i, p)| has(p, then) && chosen.iter().skip(i + 1).any(|q| q.id != p.id && has(q, first))),
        Rule::Avoid { words, .. } => {
            let got = normalize(text);
            if words.is_empty() {
                !crate::scenario::NEGATIVE_LANGUAGE.iter().any(|w| got.contains(&normalize(w)))
            } else {
                !words.iter().any(|w| w.all().any(|a| {
                    let n = normalize(a);
                    !n.is_empty() && got.contains(&n)
                }))
            }
        }
    }
}

/// Whether a phrase on its own breaks an `Avoid` rule (its own words; variant values aside).
pub fn phrase_avoided(c: &Compose, p: &crate::scenario::Phrase) -> bool {
    let text = format!("{}\n{}", p.text.zh, p.text.en.as_deref().unwrap_or(""));
    c.rules.iter().any(|r| matches!(r, Rule::Avoid { .. }) && !rule_holds(r, &[p], &text))
}

/// Put phrases in an order that keeps the `Before` rules where it can: a phrase's rank is one
/// more than the rank of any phrase that must come before it (at most `n` rounds, no recursion).
pub fn order_for_rules(c: &Compose, ids: &mut [String]) {
    let phrase = |id: &str| c.phrases.iter().find(|p| p.id == id);
    let has = |id: &str, tags: &[String]| phrase(id).is_some_and(|p| p.tags.iter().any(|t| tags.contains(t)));
    let mut rank = vec![0usize; ids.len()];
    for _ in 0..ids.len() {
        let mut changed = false;
        for r in &c.rules {
            let Rule::Before { first, then, .. } = r else { continue };
            let top = ids.iter().zip(&rank).filter(|(id, _)| has(id, first)).map(|(_, k)| *k).max();
            if let Some(top) = top {
                for (i, id) in ids.iter().enumerate() {
                    if has(id, then) && !has(id, first) && rank[i] <= top {
                        rank[i] = top + 1;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut keyed: Vec<(usize, String)> = rank.into_iter().zip(ids.iter().cloned()).collect();
    keyed.sort_by_key(|(k, _)| *k);
    for (slot, (_, id)) in ids.iter_mut().zip(keyed) {
        *slot = id;
    }
}

/// Phrases that keep every rule (expert) or break as many as possible (worst).
pub fn compose_pick(c: &Compose, policy: Policy) -> Vec<String> {
    let forbidden: BTreeSet<&str> = c
        .rules
        .iter()
        .filter_map(|r| match r {
            Rule::Forbid { tags, .. } => Some(tags.iter().map(String::as_str)),
            _ => None,
        })
        .flatten()
        .collect();
    let required: Vec<&[String]> = c
        .rules
        .iter()
        .filter_map(|r| match r {
            Rule::Require { tags, .. } => Some(tags.as_slice()),
            _ => None,
        })
        .collect();
    let clean = |p: &&crate::scenario::Phrase| !p.tags.iter().any(|t| forbidden.contains(t.as_str())) && !phrase_avoided(c, p);
    let mut out: Vec<String> = Vec::new();
    match policy {
        Policy::Expert => {
            for tags in required {
                if let Some(p) = c.phrases.iter().filter(clean).find(|p| p.tags.iter().any(|t| tags.contains(t)))
                    && !out.contains(&p.id)
                {
                    out.push(p.id.clone());
                }
            }
            for p in c.phrases.iter().filter(clean) {
                if out.len() >= c.min_phrases as usize {
                    break;
                }
                if !out.contains(&p.id) {
                    out.push(p.id.clone());
                }
            }
            if let Some(m) = c.max_phrases {
                out.truncate(m as usize);
            }
            order_for_rules(c, &mut out);
        }
        Policy::Worst => {
            let bad = |p: &&crate::scenario::Phrase| {
                p.tags.iter().any(|t| forbidden.contains(t.as_str())) || phrase_avoided(c, p) || p.tags.iter().all(|t| !required.iter().any(|r| r.contains(t)))
            };
            for p in c.phrases.iter().filter(bad) {
                if c.max_phrases.is_some_and(|m| out.len() >= m as usize) {
                    break;
                }
                if !p.tags.iter().any(|t| required.iter().any(|r| r.contains(t))) {
                    out.push(p.id.clone());
                }
            }
            for p in &c.phrases {
                if out.len() >= c.min_phrases as usize {
                    break;
                }
                if !out.contains(&p.id) {
                    out.push(p.id.clone());
                }
            }
            if let Some(m) = c.max_phrases {
                out.truncate(m as usize);
            }
            order_for_rules(c, &mut out);
            out.reverse();
        }
    }
    out
}

/// The digits of a text, width-folded (`客户４` → `4`).
pub fn digits(s: &str) -> String {
    normalize(s).chars().filter(char::is_ascii_digit).collect()
}

/// The row a student's text names: its id, its name (either language), or the number in its
/// name ("4" for 客户4, never 客户14).
pub fn resolve_row(t: &Table, text: &str) -> Option<usize> {
    let n = normalize(text);
    if n.is_empty() {
        return None;
    }
    if let Some(i) = t.rows.iter().position(|r| normalize(&r.id) == n || normalize(&r.name.zh) == n || r.name.en.as_deref().is_some_and(|e| normalize(e) == n)) {
        return Some(i);
    }
    let d = digits(text);
    if d.is_empty() {
        return None;
    }
    let mut hits = t.rows.iter().enumerate().filter(|(_, r)| digits(&r.name.zh) == d || digits(&r.id) == d).map(|(i, _)| i);
    let first = hits.next();
    if hits.next().is_some() { None } else { first }
}

