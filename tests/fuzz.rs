//! `kefu check` and the app never crash on any input: random and mutated scenario files get
//! diagnostics, not panics (issue 6). Mutations start from real scenario files.

use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;

use kefu::scenario::{analyze, load_str, validate};
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
