//! `kefu check` and the app never crash on any input: random and mutated scenario files get
//! diagnostics, not panics (issue 6). Mutations start from real scenario files.

use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;

use kefu::analysis::analyze;
use kefu::scenario::{load_str, validate};
use kefu::session::autoplay::{Policy, play};

use crate::common::repo;

fn seeds() -> Vec<String> {
    let mut files = vec![repo("tests/data/sample.ron")];
    if let Ok(found) = kefu::scenario::find_scenario_files(&[repo("scenarios")]) {
        files.extend(found);
    }
    files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect()
}

/// Load, validate and — when there are no errors — analyse and autoplay; none may panic.
fn exercise(src: &str) {
    match load_str(Path::new("fuzz.ron"), src) {
        Err(d) => {
            assert!(d.line >= 1 && d.col >= 1);
            assert!(!d.message.zh.is_empty());
        }
        Ok(l) => {
            let diags = validate(&l);
            if !diags.iter().any(|d| d.is_error()) {
                let sc = Arc::clone(&l.scenario);
                let _ = analyze(&sc);
                let _ = play(&sc, 1, Policy::Expert);
                let _ = play(&sc, 1, Policy::Worst);
            }
        }
    }
}

const TOKENS: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ",", ":", "\"", "Some(", "//", "/*", "\n", "next: \"x\"", "id: \"a\"",
    "when: \"!\"", "{who}", "effects: (smile: 99999999999)", "-", "r#\"", "Choice(", "Ending(", "“", "，", "\u{feff}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), 1usize..200).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn boundary(s: &str, at: usize) -> usize {
    let mut i = at % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(mut s: String, m: &Mutation) -> String {
    match *m {
        Mutation::Delete(a, n) => {
            let i = boundary(&s, a);
            let j = boundary(&s, i + n);
            s.replace_range(i..j.max(i), "");
        }
        Mutation::Insert(a, t) => {
            let i = boundary(&s, a);
            s.insert_str(i, TOKENS[t]);
        }
        Mutation::Duplicate(a, n) => {
            let i = boundary(&s, a);
            let j = boundary(&s, i + n).max(i);
            let piece = s[i..j].to_string();
            s.insert_str(j, &piece);
        }
        Mutation::Truncate(a) => {
            let i = boundary(&s, a);
            s.truncate(i);
        }
    }
    s
}

proptest! {
    // KEFU_FUZZ_CASES=20000 for a long local run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("KEFU_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(300),
        .. ProptestConfig::default()
    })]

    #[test]
    fn mutated_scenarios_never_panic(which in any::<usize>(), muts in proptest::collection::vec(mutation(), 1..6)) {
        let files = seeds();
        let mut src = files[which % files.len()].clone();
        for m in &muts {
            src = apply(src, m);
        }
        exercise(&src);
    }

    #[test]
    fn random_text_never_panics(s in "\\PC{0,300}") {
        exercise(&s);
    }

    #[test]
    fn random_ron_like_text_never_panics(parts in proptest::collection::vec(0..TOKENS.len(), 0..80)) {
        let s: String = parts.iter().map(|&i| TOKENS[i]).collect();
        exercise(&format!("Scenario({s})"));
    }
}

// ---- Nesting depth and numbers at the edges (issue "Nothing crashes, nothing hangs") ----

const OPENERS: &[(&str, &str)] = &[("(", ")"), ("[", "]"), ("{", "}"), ("Some(", ")"), ("Line(", ")")];

/// Numbers a hostile or careless file may hold where a number is read.
const EXTREMES: &[&str] = &[
    "9223372036854775807", "-9223372036854775808", "18446744073709551615", "99999999999999999999999",
    "NaN", "inf", "-inf", "1e999", "-1e999", "-0.0", "1e-320", "0",
];

/// The byte ranges of the digit runs in `s` (numbers in the file, ids like `c12` included).
fn digit_runs(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// A random condition over `a` and `b`, tokens joined by spaces (often broken, sometimes not).
fn cond_text() -> impl Strategy<Value = String> {
    const T: &[&str] = &["a", "b", "0", "1", "9223372036854775807", "!", "(", ")", "&&", "||", "==", "!=", "<", "<=", ">", ">=", "true"];
    proptest::collection::vec(0..T.len(), 1..40).prop_map(|v| v.iter().map(|&i| T[i]).collect::<Vec<_>>().join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("KEFU_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        .. ProptestConfig::default()
    })]

    /// A run of up to 20,000 brackets, closed or not, anywhere in a real file.
    #[test]
    fn deep_nesting_anywhere_never_panics(which in any::<usize>(), at in any::<usize>(), kind in 0..OPENERS.len(), depth in 1usize..20_000, closed in any::<bool>()) {
        let files = seeds();
        let mut src = files[which % files.len()].clone();
        let (open, close) = OPENERS[kind];
        let i = boundary(&src, at);
        let run = if closed { format!("{}1{}", open.repeat(depth), close.repeat(depth)) } else { open.repeat(depth) };
        src.insert_str(i, &run);
        exercise(&src);
    }

    /// Any number in a real file replaced by an extreme one (i64/u64 limits, NaN, infinities).
    #[test]
    fn numeric_extremes_never_panic(which in any::<usize>(), picks in proptest::collection::vec((any::<usize>(), 0..EXTREMES.len()), 1..4)) {
        let files = seeds();
        let mut src = files[which % files.len()].clone();
        for (k, x) in picks {
            let runs = digit_runs(&src);
            if runs.is_empty() {
                break;
            }
            let (i, j) = runs[k % runs.len()];
            src.replace_range(i..j, EXTREMES[x]);
        }
        exercise(&src);
    }

    /// A condition means the same wrapped in up to 5,000 brackets or an even run of `!`, and
    /// neither parsing nor evaluating ever panics.
    #[test]
    fn deep_conditions_mean_what_their_core_means(src in cond_text(), depth in 0usize..5_000, a in prop_oneof![Just(i64::MIN), Just(-1i64), Just(0i64), Just(1i64), Just(i64::MAX)], b in -2i64..3) {
        use kefu::scenario::cond::Cond;
        let lookup = |v: &str| match v { "a" => a, "b" => b, _ => 0 };
        let Ok(c) = Cond::parse(&src) else { return Ok(()) };
        let want = c.eval(&lookup);
        let parens = Cond::parse(&format!("{}{src}{}", "(".repeat(depth), ")".repeat(depth))).expect("bracketed parses");
        prop_assert_eq!(parens.eval(&lookup), want);
        let nots = Cond::parse(&format!("{}({src})", "!".repeat(2 * depth))).expect("negated parses");
        prop_assert_eq!(nots.eval(&lookup), want);
        prop_assert_eq!(parens.vars(), c.vars());
    }
}
