//! Typed replies scored offline: what a reply to a [`Say`] node contains and which forbidden
//! language it uses, read the way Chinese is written.
//!
//! 1. The reply and every phrase go through the same canonical form ([`canon`]: width, case,
//!    traditional characters, numbers and times, punctuation).
//! 2. The reply is split into words by jieba ([`segment`]), with the scenario's words and
//!    phrases added to its dictionary.
//! 3. An element is found when one of its phrases occurs on word boundaries (a phrase matches
//!    words, not characters inside another word; a phrase of two characters or more may also be
//!    a dictionary word inside a longer token, 热线 in 客服热线, but not inside the scenario's
//!    own `words`), within the first `max_chars` characters, and
//!    not right after a negation in the same clause (不是王先生, 没有确认; the question forms
//!    是不是, 有没有 are no negation). Pieces of a pattern joined by `…` may have up to [`GAP`]
//!    characters between them.
//! 4. Forbidden language is found anywhere in the reply, word boundaries or not; `at_start`
//!    words and the course's rude openings only at its very start.
//! 5. Keyword stuffing is not a reply: when three elements or more are found, and either the
//!    reply is nothing but element phrases run together (no other word, no punctuation or space
//!    between them), or it says an element a third time in other words (several ways of saying
//!    it pasted one after another; two are natural: "热线和网站"), the elements earn half their
//!    points ([`LIST_FACTOR`]). Keywords separated by commas, as people say them on the
//!    phone ("您好，长海物流，工号026"), are a reply.
//!
//! Deterministic: the same reply, values and scenario give the same verdict.

pub mod canon;
pub mod segment;

use std::collections::BTreeMap;

use crate::scenario::{Avoid, CourseList, Say, Scenario, Text};

pub use canon::{Canon, canon, canon_text};

/// Most characters between two pieces of a `…` pattern.
pub const GAP: usize = 8;
/// The factor an element's points get in a keyword list.
pub const LIST_FACTOR: f64 = 0.5;
/// The factor a `half` form earns.
pub const HALF_FACTOR: f64 = 0.5;

/// How an element of the reply was judged.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Said, in one of its full forms: the student's words.
    Said(String),
    /// Said in a `half` form.
    Half(String),
    /// Said only after a negation (不是…): the student's words.
    Negated(String),
    /// Said only after the first `max_chars` characters.
    Late(String),
    Missing,
}

impl Verdict {
    /// The share of the element's points this verdict earns (before the list rule).
    pub fn factor(&self) -> f64 {
        match self {
            Verdict::Said(_) => 1.0,
            Verdict::Half(_) => HALF_FACTOR,
            _ => 0.0,
        }
    }
}

/// A forbidden word or phrase the reply contains.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Index into the node's `avoid`.
    pub avoid: usize,
    /// The student's words.
    pub quote: String,
}

/// The whole judgement of one reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// One per element, in the node's order.
    pub elements: Vec<Verdict>,
    /// One per `avoid` entry the reply breaks (its first occurrence), in the node's order.
    pub hits: Vec<Hit>,
    /// The reply is keyword stuffing (rule 5).
    pub list_like: bool,
    /// The reply is longer than `max_chars`.
    pub too_long: bool,
    /// Words in the reply, and those belonging to no element phrase.
    pub words: usize,
    pub glue: usize,
    /// Element phrases found beyond the second of each element (pasted synonyms).
    pub extra: usize,
}

impl Judgement {
    /// The factor each element earns: its verdict's, halved in a keyword list.
    pub fn factors(&self) -> Vec<f64> {
        let list = if self.list_like { LIST_FACTOR } else { 1.0 };
        self.elements.iter().map(|v| v.factor() * list).collect()
    }
}

/// Every way a text of the node may be written, placeholders filled in with each of the
/// forms `value` gives (every combination, at most 64 per text).
fn alternatives(t: &Text, value: &dyn Fn(&str) -> Option<Vec<String>>) -> Vec<String> {
    t.all().flat_map(|a| crate::scenario::text::substitute_each(a, value, 64)).collect()
}

/// A pattern's pieces in canonical form (split at `…`/`...`), empty pieces left out.
pub fn pieces(pattern: &str) -> Vec<Vec<char>> {
    pattern.replace("...", "…").split('…').map(canon_text).filter(|p| !p.is_empty()).map(|p| p.chars().collect()).collect()
}

/// The words a scenario adds to the segmenter: its `words`, and every phrase of every `Say`
/// node with each variant value filled in, canonical, sorted, deduplicated.
pub fn dictionary(sc: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let says: Vec<&Say> = sc.nodes.iter().filter_map(|n| if let crate::scenario::Node::Say(s) = n { Some(s) } else { None }).collect();
    if says.is_empty() {
        return out;
    }
    // Each placeholder's values over every variant row (the segmenter serves every attempt).
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for g in &sc.variants {
        for row in &g.rows {
            for (k, v) in row.iter() {
                values.entry(k.to_string()).or_default().extend(v.all().iter().flat_map(Text::all).map(str::to_string));
            }
        }
    }
    let mut add = |pattern: &str| {
        // Every combination of values, up to 64 renderings per pattern.
        let mut renderings = vec![pattern.to_string()];
        for (k, vs) in &values {
            let key = format!("{{{k}}}");
            if renderings.iter().any(|r| r.contains(&key)) {
                renderings = renderings.iter().flat_map(|r| vs.iter().map(|v| r.replace(&key, v))).take(64).collect();
            }
        }
        for r in renderings {
            for p in pieces(&r) {
                out.push(p.into_iter().collect());
            }
        }
    };
    for s in &says {
        for w in &s.words {
            add(w);
        }
        for e in &s.elements {
            for t in e.say.iter().chain(&e.half) {
                t.all().for_each(&mut add);
            }
        }
        for a in &s.avoid {
            for t in &a.words {
                t.all().for_each(&mut add);
            }
            if let Some(l) = a.list {
                l.words().into_iter().for_each(&mut add);
            }
        }
    }
    out.retain(|w| w.chars().count() >= 2);
    out.sort();
    out.dedup();
    out
}

/// The reply as the matcher sees it.
struct Reading {
    canon: Canon,
    chars: Vec<char>,
    original: Vec<char>,
    /// `bound[i]`: a word starts or ends at canonical index `i`.
    bound: Vec<bool>,
    words: Vec<(usize, usize)>,
    /// Canonical index where the read part ends (`max_chars`).
    limit: usize,
}

impl Reading {
    fn quote(&self, from: usize, to: usize) -> String {
        let (a, b) = self.canon.original_span(from, to);
        self.original[a..b].iter().collect::<String>().trim().to_string()
    }

    /// The clause start at or before canonical index `i`.
    fn clause_start(&self, i: usize) -> usize {
        self.canon.breaks.iter().copied().filter(|&b| b <= i).max().unwrap_or(0)
    }

    /// A negation (不, 没, 未, 别, 无, 非) among the two characters before `i` in its clause,
    /// unless it is the middle of a question form (是不是, 有没有, 可不可以).
    fn negated(&self, i: usize) -> bool {
        let start = self.clause_start(i);
        (i.saturating_sub(2).max(start)..i).any(|p| {
            matches!(self.chars[p], '不' | '没' | '未' | '别' | '无' | '非')
                && !(p > start && p + 1 < self.chars.len() && self.chars[p - 1] == self.chars[p + 1])
        })
    }

    /// Occurrences of a pattern: (start, end) canonical, the pieces in order with at most
    /// [`GAP`] characters between them; `bounded`: every piece on word boundaries.
    fn find(&self, pattern: &[Vec<char>], bounded: bool) -> Vec<(usize, usize)> {
        let Some(first) = pattern.first() else { return Vec::new() };
        let at = |piece: &[char], i: usize| {
            i + piece.len() <= self.chars.len()
                && self.chars[i..i + piece.len()] == *piece
                && (!bounded || (self.bound[i] && self.bound[i + piece.len()]))
        };
        let mut out = Vec::new();
        for start in 0..self.chars.len() {
            if !at(first, start) {
                continue;
            }
            let mut end = start + first.len();
            let mut ok = true;
            for piece in &pattern[1..] {
                match (end..=(end + GAP).min(self.chars.len())).find(|&j| at(piece, j)) {
                    Some(j) => end = j + piece.len(),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                out.push((start, end));
            }
        }
        out
    }
}

/// Judge a typed reply to `say` (this attempt's `values`; `sc` gives the segmenter's words).
pub fn judge(sc: &Scenario, say: &Say, values: &BTreeMap<String, Vec<Text>>, reply: &str) -> Judgement {
    let jieba = segment::segmenter(&dictionary(sc));
    let canon = canon(reply);
    let words = segment::words(&jieba, &canon);
    let mut bound = vec![false; canon.len() + 1];
    for &(a, b) in &words {
        bound[a] = true;
        bound[b] = true;
    }
    let keep: Vec<String> = say.words.iter().map(|w| canon_text(w)).collect();
    for i in segment::inner_bounds(&jieba, &canon, &words, &keep) {
        bound[i] = true;
    }
    let original: Vec<char> = reply.chars().collect();
    let lead = original.iter().take_while(|c| c.is_whitespace()).count();
    let max = usize::try_from(say.max_chars()).unwrap_or(usize::MAX);
    let limit_orig = lead.saturating_add(max);
    let limit = canon.chars.iter().take_while(|c| c.to <= limit_orig).count();
    let too_long = reply.trim().chars().count() > max;
    let r = Reading { chars: canon.chars.iter().map(|c| c.c).collect(), canon, original, bound, words, limit };
    // Each value's accepted forms (a time written "9:30" or "9点半"), in each language.
    let value = |k: &str| values.get(k).map(|f| f.iter().map(|v| v.zh.clone()).collect());
    let value_en = |k: &str| values.get(k).map(|f| f.iter().map(|v| v.get(crate::scenario::Lang::En).to_string()).collect());
    let patterns = |ts: &[Text]| -> Vec<Vec<Vec<char>>> {
        let mut out: Vec<Vec<Vec<char>>> = Vec::new();
        for t in ts {
            for a in alternatives(t, &value).into_iter().chain(alternatives(t, &value_en)) {
                let p = pieces(&a);
                if !p.is_empty() && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    };
    let mut covered = vec![false; r.chars.len()];
    let mut extra = 0usize;
    let mut elements = Vec::with_capacity(say.elements.len());
    for e in &say.elements {
        let mut verdict = Verdict::Missing;
        let mut occurrences = 0usize;
        for (forms, half) in [(&e.say, false), (&e.half, true)] {
            for p in patterns(forms) {
                for (a, b) in r.find(&p, true) {
                    if !covered[a..b].iter().all(|c| *c) {
                        occurrences += 1;
                    }
                    covered[a..b].iter_mut().for_each(|c| *c = true);
                    let quote = r.quote(a, b);
                    let candidate = if r.negated(a) {
                        Verdict::Negated(quote)
                    } else if b > r.limit {
                        Verdict::Late(quote)
                    } else if half {
                        Verdict::Half(quote)
                    } else {
                        Verdict::Said(quote)
                    };
                    if rank(&candidate) > rank(&verdict) {
                        verdict = candidate;
                    }
                }
            }
        }
        // Two ways of saying an element are natural (热线和网站); a third is pasting.
        extra += occurrences.saturating_sub(2);
        elements.push(verdict);
    }
    let mut hits = Vec::new();
    for (i, a) in say.avoid.iter().enumerate() {
        if let Some(quote) = avoid_hit(&r, a, &patterns) {
            hits.push(Hit { avoid: i, quote });
        }
    }
    let found = elements.iter().filter(|v| v.factor() > 0.0).count();
    let glue = r.words.iter().filter(|&&(a, b)| !covered[a..b].iter().all(|c| *c)).count();
    let run_together = glue == 0 && r.canon.clauses().len() <= 1;
    let list_like = found >= 3 && (run_together || extra >= 1);
    Judgement { elements, hits, list_like, too_long, words: r.words.len(), glue, extra }
}

/// Which verdict wins when a phrase occurs several times.
fn rank(v: &Verdict) -> u8 {
    match v {
        Verdict::Missing => 0,
        Verdict::Negated(_) => 1,
        Verdict::Late(_) => 2,
        Verdict::Half(_) => 3,
        Verdict::Said(_) => 4,
    }
}

/// A pattern: its pieces in canonical characters.
type Pattern = Vec<Vec<char>>;

fn avoid_hit(r: &Reading, a: &Avoid, patterns: &dyn Fn(&[Text]) -> Vec<Pattern>) -> Option<String> {
    let mut candidates: Vec<(Pattern, bool)> = patterns(&a.words).into_iter().map(|p| (p, a.at_start)).collect();
    if let Some(list) = a.list {
        let start_only = a.at_start || list == CourseList::Rude;
        candidates.extend(list.words().into_iter().map(|w| (pieces(w), start_only)).filter(|(p, _)| !p.is_empty()));
    }
    candidates
        .iter()
        .flat_map(|(p, start_only)| r.find(p, false).into_iter().filter(move |(s, _)| !start_only || *s == 0))
        .min_by_key(|(s, _)| *s)
        .map(|(s, e)| r.quote(s, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(reply: &str) -> Reading {
        let canon = canon(reply);
        let jieba = segment::segmenter(&[]);
        let words = segment::words(&jieba, &canon);
        let mut bound = vec![false; canon.len() + 1];
        for &(a, b) in &words {
            bound[a] = true;
            bound[b] = true;
        }
        let limit = canon.len();
        Reading { chars: canon.chars.iter().map(|c| c.c).collect(), canon, original: reply.chars().collect(), bound, words, limit }
    }

    #[test]
    fn phrases_match_words_not_characters() {
        let r = reading("我专门来的");
        assert!(r.find(&pieces("门"), true).is_empty(), "门 is inside 专门");
        assert_eq!(r.find(&pieces("专门"), true), vec![(1, 3)]);
        assert_eq!(r.find(&pieces("门"), false), vec![(2, 3)], "as characters it is there");
    }

    #[test]
    fn negation_and_question_forms() {
        let r = reading("不是九点半");
        assert!(r.negated(2));
        let r = reading("是不是九点半到");
        assert!(!r.negated(3), "是不是 asks, it does not deny");
        let r = reading("不是，九点半");
        assert!(!r.negated(2), "the negation is in another clause");
    }

    #[test]
    fn gaps_join_pieces() {
        let r = reading("我的工号是1024");
        assert_eq!(r.find(&pieces("工号…1024"), true).len(), 1);
        assert!(r.find(&pieces("工号1024"), true).is_empty());
        assert_eq!(r.quote(2, 9), "工号是1024");
    }
}
