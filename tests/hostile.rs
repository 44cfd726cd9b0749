//! Hostile input (issue "Nothing crashes, nothing hangs"): nesting deep enough to overflow a
//! recursive parser, and numbers at the edges (i64::MAX, u64::MAX, NaN, infinities). Each is
//! a diagnostic with its code, line and column, or a defined result; never an abort.

use std::path::Path;
use std::sync::Arc;

use kefu::analysis::analyze;
use kefu::scenario::{Diagnostic, Severity, load_str, validate};
use kefu::session::{Action, Session};
use kefu::Lang;

use crate::common::{at, choose, cont, repo, score};

const BASE: &str = r#"Scenario(
    id: "hostile",
    title: "小测试",
    course: (project: 1, task: 1),
    time_limit_minutes: 10,
    situation: "客户来电咨询。",
    roles: [
        (id: "agent", name: "刘铭丽", played_by: Student),
        (id: "customer", name: "王先生"),
    ],
    variables: (asked: false),
    nodes: [
        Line(id: "hello", speaker: "customer", text: "你好。", next: "pick"),
        Choice(
            id: "pick",
            prompt: "你说：",
            options: [
                (id: "good", text: "您好，长海物流。", effects: (smile: 2, attitude: 1, listening: 1, presentation: 1), feedback: "礼貌。", expert: true, next: "end", set: (asked: true)),
                (id: "bad", text: "喂，你找谁啊？", effects: (smile: -1), feedback: "不礼貌。", next: "end"),
            ],
        ),
        Ending(id: "end", outcome: "结束。"),
    ],
)"#;

fn diags(src: &str) -> Vec<Diagnostic> {
    match load_str(Path::new("t.ron"), src) {
        Ok(l) => validate(&l),
        Err(d) => vec![d],
    }
}

/// Line and column (characters, 1-based) where `marker` first starts in `src`.
fn pos_of(src: &str, marker: &str) -> (usize, usize) {
    let i = src.find(marker).unwrap_or_else(|| panic!("marker {:?} not in source", &marker[..marker.len().min(40)]));
    let before = &src[..i];
    (1 + before.matches('\n').count(), 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count()))
}

/// The diagnostics with `code`, each as (severity, line, col).
fn found(ds: &[Diagnostic], code: &str) -> Vec<(Severity, usize, usize)> {
    ds.iter().filter(|d| d.code == code).map(|d| (d.severity, d.line, d.col)).collect()
}

/// BASE with `when: cond` on the "bad" option.
fn with_when(cond: &str) -> String {
    BASE.replacen(r#"feedback: "不礼貌。", next: "end""#, &format!(r#"feedback: "不礼貌。", next: "end", when: "{cond}""#), 1)
}

// ---- Deep conditions ----

const PARENS: usize = 20_000;
const NOTS: usize = 50_000;
const TERMS: usize = 150_000;

fn deep_parens(inner: &str) -> String {
    format!("{}{inner}{}", "(".repeat(PARENS), ")".repeat(PARENS))
}

fn deep_nots(inner: &str) -> String {
    format!("{}{inner}", "!".repeat(NOTS)) // an even number: the same as `inner`
}

fn many_terms(last: &str) -> String {
    let mut terms = vec!["!asked"; TERMS - 1];
    terms.push(last);
    terms.join(" && ")
}

#[test]
fn deep_conditions_that_hold_are_clean() {
    assert_eq!(PARENS * 2 + 6, deep_parens("!asked").len()); // a 40 KB condition
    for cond in [deep_parens("!asked"), deep_nots("!asked"), many_terms("!asked")] {
        let ds = diags(&with_when(&cond));
        assert!(ds.is_empty(), "{:#?}", ds.iter().map(|d| d.render(Lang::En)).collect::<Vec<_>>());
    }
}

#[test]
fn deep_conditions_report_an_unknown_variable_at_the_condition() {
    for cond in [deep_parens("nope"), deep_nots("nope"), many_terms("nope")] {
        let src = with_when(&cond);
        let (line, col) = pos_of(&src, &format!("\"{}", &cond[..20]));
        assert_eq!((line, col), (19, 105));
        let ds = diags(&src);
        assert_eq!(found(&ds, "unknown-variable"), vec![(Severity::Error, line, col)]);
        assert_eq!(ds.len(), 1, "{ds:#?}");
    }
}

#[test]
fn deep_broken_conditions_are_a_bad_condition() {
    // 20,000 `(` never closed; 50,000 `!` with nothing after; 150,000 terms ending in `&&`.
    let unclosed = format!("{}asked", "(".repeat(PARENS));
    let dangling = "!".repeat(NOTS);
    let trailing = format!("{} &&", many_terms("asked"));
    for (cond, reason) in [(unclosed, "a `)` is missing"), (dangling, "a value is missing at the end"), (trailing, "a value is missing at the end")] {
        let src = with_when(&cond);
        let ds = diags(&src);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(found(&ds, "bad-condition"), vec![(Severity::Error, 19, 106)]);
        assert!(ds[0].message.en.as_deref().is_some_and(|m| m.contains(reason)), "{:?}", &ds[0].message.en.as_deref().map(|m| &m[m.len() - 80..]));
    }
}

// ---- Deep RON ----

#[test]
fn deep_ron_nesting_is_a_diagnostic_not_a_crash() {
    // No type of the format nests into itself, so a scenario stops at the first bracket its
    // field does not take; 100,000 of them, closed or not, are one diagnostic there.
    for (open, close, code) in [("(", ")", "wrong-type"), ("[", "]", "wrong-type"), ("{", "}", "syntax"), ("Some(", ")", "wrong-type")] {
        for deep in [format!("{}1{}", open.repeat(100_000), close.repeat(100_000)), open.repeat(100_000)] {
            let src = BASE.replacen(r#""客户来电咨询。""#, &deep, 1);
            let ds = diags(&src);
            assert_eq!(ds.len(), 1, "{open}");
            // `{` is read as a map (at its first key), `Some(` as an option (at what it holds).
            let col = match open { "{" => 17, "Some(" => 21, _ => 16 };
            assert_eq!(found(&ds, code), vec![(Severity::Error, 6, col)], "{open}: {}", ds[0].render(Lang::En));
        }
    }
}

#[test]
fn ron_past_its_recursion_limit_is_too_deep() {
    // RON's recursion limit (128) is what keeps any value that does nest from overflowing the
    // stack; reading past it is `too-deep` with its line and column.
    // Where it stops: a `ron::Value` counts each level twice (the value, then the list in it).
    for (open, close, at) in [("(", ")", 3 + 64), ("[", "]", 3 + 64)] {
        let src = format!("\n  {}1{}", open.repeat(100_000), close.repeat(100_000));
        let err = kefu::scenario::load::ron_options().from_str::<ron::Value>(&src).expect_err("too deep");
        let d = kefu::scenario::diag::from_ron(Path::new("t.ron"), &src, &err);
        assert_eq!((d.code, d.severity, d.line), ("too-deep", Severity::Error, 2), "{open}: {}", d.render(Lang::En));
        assert_eq!(d.col, at, "{open}");
        assert_eq!(d.message.en.as_deref(), Some("nesting deeper than 128 levels: no scenario needs that, a bracket is probably repeated"));
    }
}

// ---- Numbers at the edges ----

#[test]
fn an_add_past_i64_max_saturates_in_play_and_in_the_analysis() {
    let src = BASE
        .replacen("variables: (asked: false)", "variables: (asked: false, n: 9223372036854775806)", 1)
        .replacen(r#"text: "你好。", next: "pick""#, r#"text: "你好。", next: "pick", add: (n: 5)"#, 1)
        .replacen(r#"expert: true, next: "end""#, r#"expert: true, next: "end", when: "n == 9223372036854775807""#, 1)
        .replacen(r#"feedback: "不礼貌。", next: "end""#, r#"feedback: "不礼貌。", next: "wrapped", when: "n < 0""#, 1)
        .replacen(r#"Ending(id: "end", outcome: "结束。"),"#, r#"Ending(id: "end", outcome: "结束。"),
        Ending(id: "wrapped", outcome: "绕回负数。"),"#, 1);
    let loaded = load_str(Path::new("t.ron"), &src).expect("loads");
    let ds = validate(&loaded);
    // The analysis: with the counter at i64::MAX, `n < 0` never holds.
    assert_eq!(found(&ds, "unreachable"), vec![(Severity::Warning, pos_of(&src, r#"Ending(id: "wrapped""#).0, 9)]);
    let sc = Arc::clone(&loaded.scenario);
    assert_eq!(analyze(&sc).unreached, vec!["wrapped".to_string()]);
    // Play: the same.
    let mut s = Session::new(Arc::clone(&sc), 1).expect("starts");
    s.answer(Action::Continue, 500).expect("continues");
    assert_eq!(s.vars().get("n"), Some(&i64::MAX));
    assert_eq!(s.available_options().iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), vec!["good"]);
    s.answer(Action::Choose("good".into()), 1000).expect("chooses");
    assert_eq!(s.node_id(), "end");
}

#[test]
fn elapsed_ms_that_would_wrap_is_not_within_time() {
    let sc = Arc::clone(&load_str(Path::new("t.ron"), BASE).expect("loads").scenario);
    let quick = score(&sc, 1, &[cont("hello"), choose("pick", "good")]);
    assert_eq!((quick.elapsed_ms, quick.within_time), (1500, true));
    // 1000 + (u64::MAX - 999) wrapped to 0 in a release build; it saturates.
    let huge = score(&sc, 1, &[at("hello", 1000, Action::Continue), at("pick", u64::MAX - 999, Action::Choose("good".into()))]);
    assert_eq!((huge.elapsed_ms, huge.within_time), (u64::MAX, false));
    let max = score(&sc, 1, &[at("hello", 1000, Action::Continue), at("pick", u64::MAX, Action::Choose("good".into()))]);
    assert_eq!((max.elapsed_ms, max.within_time), (u64::MAX, false));
    assert!(quick.band.points > huge.band.points, "a better band within time: {} vs {}", quick.band.points, huge.band.points);
}

/// Read a repository scenario, replace `from` by `to` (once), and expect one `bad-number` at
/// `at` (a marker in the edited text) whose English message contains `says`.
fn bad_number(file: &str, from: &str, to: &str, at: &str, says: &str) {
    let text = std::fs::read_to_string(repo(file)).expect("reads");
    assert!(text.contains(from), "{file} lacks {from:?}");
    let src = text.replacen(from, to, 1);
    let (line, col) = pos_of(&src, at);
    let ds = diags(&src);
    assert_eq!(found(&ds, "bad-number"), vec![(Severity::Error, line, col)], "{to}: {:#?}", ds.iter().map(|d| d.render(Lang::En)).collect::<Vec<_>>());
    let d = ds.iter().find(|d| d.code == "bad-number").expect("found");
    assert!(d.message.en.as_deref().is_some_and(|m| m.contains(says)), "{to}: {:?}", d.message.en);
}

#[test]
fn nan_and_infinities_are_a_bad_number_where_a_teacher_writes_a_number() {
    const TABLE: &str = "scenarios/p3t1-abc-classification.ron";
    const PHONE: &str = "scenarios/p1t1-detour-notice.ron";
    const FORM: &str = "scenarios/p2t2-managing-customer-files.ron";
    for x in ["NaN", "inf", "-inf"] {
        bad_number(TABLE, "values: (revenue: 590)", &format!("values: (revenue: {x}/*v*/)"), &format!("{x}/*v*/"), "the value of `revenue` is not a number");
        bad_number(TABLE, "decimals: 1,", &format!("decimals: 1, tolerance: {x}/*t*/,"), &format!("{x}/*t*/"), "tolerance must be a finite number");
        bad_number(TABLE, "decimals: 1,", &format!("decimals: 1, weight: {x}/*w*/,"), &format!("{x}/*w*/"), "weight must be a finite number");
        bad_number(TABLE, "(upto: 90,", &format!("(upto: {x}/*u*/,"), &format!("{x}/*u*/"), "`upto` must be a finite number");
        bad_number(TABLE, "min_share: 0.8,", &format!("min_share: {x}/*s*/,"), &format!("{x}/*s*/"), "min_share must be a finite number");
        bad_number(PHONE, "ring_seconds: 3.0,", &format!("ring_seconds: {x}/*r*/,"), &format!("{x}/*r*/"), "ring_seconds must be a finite number");
        bad_number(FORM, "expected: Number(value: 3)", &format!("expected: Number(value: 3, tolerance: {x}/*n*/)"), &format!("{x}/*n*/"), "tolerance must be a finite number");
    }
    // Finite but out of range keeps its own words.
    bad_number(PHONE, "ring_seconds: 3.0,", "ring_seconds: -1.0/*r*/,", "-1.0/*r*/", "ring_seconds must be more than 0");
    bad_number(FORM, "expected: Number(value: 3)", "expected: Number(value: 3, tolerance: -1/*n*/)", "-1/*n*/", "tolerance must be a finite number, not negative");
}

// ---- Folders ----

#[cfg(unix)]
#[test]
fn a_folder_linked_into_itself_is_walked_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inner = dir.path().join("a");
    std::fs::create_dir(&inner).expect("mkdir");
    std::fs::write(inner.join("x.ron"), BASE).expect("write");
    std::os::unix::fs::symlink(dir.path(), inner.join("loop")).expect("symlink");
    let found = kefu::scenario::find_scenario_files(&[dir.path().to_path_buf()]).expect("walks");
    assert_eq!(found, vec![inner.join("x.ron")]);
}

#[test]
fn a_huge_but_finite_ring_is_played_without_overflow() {
    // 1e300 s a ring is finite and above 0, so it is allowed; the time to hang up saturates
    // (ring × max_rings overflowed u64: a panic in a debug build, a wrong time in release).
    let text = std::fs::read_to_string(repo("scenarios/p1t1-detour-notice.ron")).expect("reads");
    let src = text.replacen("ring_seconds: 3.0,", "ring_seconds: 1e300,", 1);
    let loaded = load_str(Path::new("t.ron"), &src).expect("loads");
    assert_eq!(found(&validate(&loaded), "bad-number"), vec![]);
    let sc = Arc::clone(&loaded.scenario);
    for policy in [kefu::session::autoplay::Policy::Expert, kefu::session::autoplay::Policy::Worst] {
        assert!(kefu::session::autoplay::play(&sc, 1, policy).expect("plays").is_ended());
    }
    // At the phone: hanging up comes at u64::MAX ms, not after a wrapped product.
    let mut s = crate::common::at_node(&sc, 1, "ring");
    assert!(s.clone().answer(Action::Timeout, u64::MAX - 1).is_err(), "too early");
    s.answer(Action::Timeout, u64::MAX).expect("the caller hangs up");
    assert_ne!(s.node_id(), "ring");
    let a = analyze(&sc);
    assert!(a.expert.is_ok() && a.worst.is_ok());
}

/// Found by `fuzz::numeric_extremes_never_panic`: a phone ringing 1e300 s a ring, with a critical
/// error on hanging up, made the audit multiply past u64::MAX (a panic in debug builds, a wrong
/// time in release). The audit plays it, the hang-up at u64::MAX ms.
#[test]
fn an_endless_ring_is_audited() {
    let src = std::fs::read_to_string(repo("scenarios/p1t3-botched-phone-call.ron")).expect("reads");
    assert!(src.contains("ring_seconds: 3.0"));
    let src = src.replacen("ring_seconds: 3.0", "ring_seconds: 1e300", 1);
    let l = load_str(Path::new("t.ron"), &src).expect("loads");
    let sc = Arc::new(l.scenario.clone());
    let a = kefu::scoring::audit::audit(&sc, 2);
    let timeout = a.critical.iter().find(|c| c.deviation == "timeout" && c.node == "ring").expect("the hang-up is audited");
    assert!(timeout.projected.is_some_and(|p| p < 70), "{timeout:?}");
}
