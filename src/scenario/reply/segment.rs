//! Word boundaries of a canonical reply, from jieba (its dictionary embedded) with the
//! scenario's own words added: the names and places of `words`, every element phrase and every
//! forbidden phrase (with each variant value filled in), so that they are read as one word
//! wherever they occur and a phrase matches words, not an accident of characters ("好" is not
//! in "好的").
//!
//! A segmenter costs about 0.3 s to build and 35 MB; one is kept per word list (a scenario),
//! the last [`KEEP`] of them.
//!
//! jieba keeps some longer words whole (客服热线); a phrase of two characters or more also matches
//! a dictionary word inside such a token ([`inner_bounds`]), but never inside one of the
//! scenario's own `words`.

use std::sync::{Arc, Mutex, OnceLock};

use jieba_rs::Jieba;

use super::canon::Canon;

/// The frequency the added words get: above any common word of the dictionary around them.
const WORD_FREQ: usize = 1_000_000;

/// How many segmenters (scenarios) are kept built.
const KEEP: usize = 3;

type Cache = Mutex<Vec<(blake3::Hash, Arc<Jieba>)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Vec::new()))
}

/// The segmenter with these extra words (canonical, deduplicated), built once.
pub fn segmenter(words: &[String]) -> Arc<Jieba> {
    let mut h = blake3::Hasher::new();
    for w in words {
        h.update(w.as_bytes()).update(b"\n");
    }
    let key = h.finalize();
    if let Ok(c) = cache().lock()
        && let Some((_, j)) = c.iter().find(|(k, _)| *k == key)
    {
        return Arc::clone(j);
    }
    let mut j = Jieba::new();
    for w in words {
        if !w.is_empty() {
            // Frequent enough to be cut out wherever it occurs (周一 in 下周一, not 下周|一).
            j.add_word(w, Some(WORD_FREQ), None);
        }
    }
    let j = Arc::new(j);
    if let Ok(mut c) = cache().lock() {
        if c.len() >= KEEP {
            c.remove(0);
        }
        c.push((key, Arc::clone(&j)));
    }
    j
}

/// The word tokens of a canonical text, as canonical ranges, clause by clause.
pub fn words(jieba: &Jieba, c: &Canon) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (a, b) in c.clauses() {
        let clause: String = c.chars[a..b].iter().map(|x| x.c).collect();
        for t in jieba.cut(&clause, true) {
            out.push((a + t.start, a + t.end));
        }
    }
    out
}

/// Where words inside the longer tokens start and end (热线 inside 客服热线): the dictionary words
/// of two or three characters within each token of four characters or more, as search engines
/// split them, except inside the scenario's own `words` (which a teacher added to keep whole).
pub fn inner_bounds(jieba: &Jieba, c: &Canon, tokens: &[(usize, usize)], keep: &[String]) -> Vec<usize> {
    let mut out = Vec::new();
    for &(a, b) in tokens {
        if b - a < 3 {
            continue;
        }
        let token: String = c.chars[a..b].iter().map(|x| x.c).collect();
        if keep.contains(&token) {
            continue;
        }
        for len in [2, 3] {
            for i in a..b.saturating_sub(len - 1) {
                if i + len >= b && i == a {
                    continue;
                }
                let w: String = c.chars[i..i + len].iter().map(|x| x.c).collect();
                if jieba.has_word(&w) {
                    out.push(i);
                    out.push(i + len);
                }
            }
        }
    }
    out
}
