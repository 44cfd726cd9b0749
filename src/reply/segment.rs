//! Word boundaries of a canonical reply, from jieba (its dictionary embedded) with the
//! scenario's own words added: the names and places of `words`, every element phrase and every
//! forbidden phrase (with each variant value filled in), so that they are read as one word
//! wherever they occur and a phrase matches words, not an accident of characters ("好" is not
//! in "好的").
//!
//! A segmenter costs about 0.3 s to build and 35 MB; one is kept per word list (a scenario),
//! the last [`KEEP`] of them.

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
