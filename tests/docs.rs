//! The teachers' documents cannot rot: every example scenario in `docs/examples/` checks clean
//! (no errors, no warnings), and every ```ron snippet of `docs/quickstart.md` parses and appears,
//! word for word, in one of those examples, which together hold a node of every kind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kefu::scenario::{Severity, check_file, load_str};

use crate::common::*;

/// Every node kind the format has (the `unknown-kind` message lists the same).
const KINDS: [&str; 11] = ["Line", "Choice", "Phone", "Dial", "Form", "Match", "Order", "Compose", "Say", "Table", "Ending"];

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("docs/examples"))
        .expect("docs/examples/ is readable")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "docs/examples/ holds no .ron file");
    files
}

/// The ```ron blocks of a Markdown text, with the line each starts on.
fn ron_blocks(md: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (n, line) in md.lines().enumerate() {
        let t = line.trim_start();
        match &mut open {
            None if t.starts_with("```ron") => open = Some((n + 1, String::new())),
            Some(_) if t.starts_with("```") => blocks.push(open.take().expect("an open block")),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    assert!(open.is_none(), "a ```ron block is never closed");
    blocks
}

/// RON without its `//` comments and without any whitespace: layout and indentation may differ
/// between a snippet and its example, the text may not.
fn squeeze(ron: &str) -> String {
    let mut out = String::new();
    for line in ron.lines() {
        let mut in_str = false;
        let mut prev = '\0';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            }
            if !in_str && c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if !c.is_whitespace() {
                out.push(c);
            }
            prev = c;
        }
    }
    out
}

/// The node kind a snippet starts with (`Line(` → Line), if it starts with one.
fn kind_of(snippet: &str) -> Option<&'static str> {
    let head = snippet.trim_start();
    KINDS.into_iter().find(|k| head.starts_with(&format!("{k}(")))
}

#[test]
fn every_docs_example_checks_clean() {
    for path in examples() {
        let (loaded, diags) = check_file(&path);
        let shown: Vec<String> = diags.iter().map(|d| d.render(kefu::Lang::En)).collect();
        assert!(loaded.is_some(), "{} does not load:\n{}", path.display(), shown.join("\n"));
        assert!(
            diags.is_empty(),
            "{}: {} error(s), {} warning(s):\n{}",
            path.display(),
            diags.iter().filter(|d| d.severity == Severity::Error).count(),
            diags.iter().filter(|d| d.severity == Severity::Warning).count(),
            shown.join("\n")
        );
    }
}

#[test]
fn the_examples_hold_every_node_kind() {
    let mut found = BTreeSet::new();
    for path in examples() {
        let loaded = kefu::scenario::load_file(&path).unwrap_or_else(|d| panic!("{}", d.render(kefu::Lang::En)));
        found.extend(loaded.scenario.nodes.iter().map(|n| n.kind()));
    }
    let missing: Vec<&str> = KINDS.into_iter().filter(|k| !found.contains(k)).collect();
    assert!(missing.is_empty(), "no node of these kinds in docs/examples/: {missing:?}");
}

#[test]
fn every_quickstart_snippet_parses_and_is_in_an_example() {
    let md = std::fs::read_to_string(repo("docs/quickstart.md")).expect("docs/quickstart.md");
    let examples: Vec<(PathBuf, String)> =
        examples().into_iter().map(|p| { let s = std::fs::read_to_string(&p).expect("an example"); (p, squeeze(&s)) }).collect();
    let blocks = ron_blocks(&md);
    assert!(!blocks.is_empty(), "docs/quickstart.md has no ```ron block");
    let mut shown = BTreeSet::new();
    for (line, snippet) in &blocks {
        // Word for word in an example (which `every_docs_example_checks_clean` checks).
        let s = squeeze(snippet);
        assert!(
            examples.iter().any(|(_, e)| e.contains(&s)),
            "docs/quickstart.md:{line}: this ```ron block is not in any of docs/examples/*.ron (keep the two the same):\n{snippet}"
        );
        // A node snippet also parses on its own, as the nodes of a scenario.
        if let Some(kind) = kind_of(snippet) {
            shown.insert(kind);
            let src = format!(
                "Scenario(id: \"snippet\", title: \"t\", course: (project: 1, task: 1), situation: \"s\",\n\
                 roles: [(id: \"agent\", name: \"a\", played_by: Student)],\n\
                 variants: [(rows: [(customer: \"c\", tracking: \"t\")])],\n\
                 nodes: [\n{snippet}\n])\n"
            );
            if let Err(d) = load_str(Path::new("docs/quickstart.md"), &src) {
                panic!("docs/quickstart.md:{line}: the {kind} snippet does not parse: {}\n{snippet}", d.render(kefu::Lang::En));
            }
        }
    }
    let missing: Vec<&str> = KINDS.into_iter().filter(|k| !shown.contains(k)).collect();
    assert!(missing.is_empty(), "docs/quickstart.md shows no example of: {missing:?}");
}


/// The ```ron blocks of a Markdown text that name what they hold (```ron record), with the line
/// each starts on: (line, what, text).
fn tagged_blocks(md: &str) -> Vec<(usize, String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for (n, line) in md.lines().enumerate() {
        let t = line.trim_start();
        match &mut open {
            None if t.starts_with("```ron") => open = Some((n + 1, t["```ron".len()..].trim().to_string(), String::new())),
            Some(_) if t.starts_with("```") => blocks.push(open.take().expect("an open block")),
            Some((_, _, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    assert!(open.is_none(), "a ```ron block is never closed");
    blocks
}

/// Every example of docs/formats.md is read by the loader it documents: the record (its seal
/// intact under the example key, and it replays against the sample scenario), the class key,
/// the entries file and the class file; each kind has one.
#[test]
fn every_formats_example_reads() {
    use kefu::records::AttemptRecord;
    use kefu::records::seal::{ClassKey, Seal};
    let doc = "docs/formats.md";
    let md = std::fs::read_to_string(repo(doc)).expect("docs/formats.md");
    let blocks = tagged_blocks(&md);
    let find = |what: &str| {
        let found: Vec<&(usize, String, String)> = blocks.iter().filter(|(_, w, _)| w == what).collect();
        assert_eq!(found.len(), 1, "{doc}: one ```ron {what} block");
        (found[0].0, found[0].2.clone())
    };
    for (line, what, _) in &blocks {
        assert!(["record", "key", "entries", "class"].contains(&what.as_str()), "{doc}:{line}: a ```ron block says what it holds (record, key, entries, class), not {what:?}");
    }
    let (line, text) = find("key");
    let key = ClassKey::parse(Path::new(doc), &text).unwrap_or_else(|e| panic!("{doc}:{line}: {e}"));
    // The file ends right after its closing parenthesis, as Kefu writes it: the block's last
    // newline is Markdown's.
    let (line, text) = find("record");
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let now = std::time::SystemTime::now();
    let rec = AttemptRecord::from_text_checked(Path::new(doc), text, Some(&key), now).unwrap_or_else(|e| panic!("{doc}:{line}: {e}"));
    assert_eq!(rec.trust.seal, Seal::Intact, "{doc}:{line}: the example record's seal under the example key");
    assert!(rec.trust.contradictions.is_empty(), "{doc}:{line}: {:?}", rec.trust.contradictions);
    let loaded = load("tests/data/sample.ron");
    assert_eq!((rec.scenario_id.as_str(), rec.scenario_hash.as_str()), (loaded.scenario.id.as_str(), loaded.hash.as_str()), "{doc}:{line}: the sample scenario as it is");
    let r = kefu::Scorer::new(loaded.scenario).score(rec.seed, &rec.log, &kefu::scoring::Ratings::new()).unwrap_or_else(|e| panic!("{doc}:{line}: {e}"));
    assert_eq!((r.finished, r.ending.as_deref()), (rec.finished, Some("lost")), "{doc}:{line}: the record replays to its ending");
    let (line, text) = find("entries");
    let entries = kefu::grades::Entries::parse(Path::new(doc), &text).unwrap_or_else(|e| panic!("{doc}:{line}: {e}"));
    let (cline, ctext) = find("class");
    let class = kefu::roster::parse_class(Path::new(doc), &ctext).unwrap_or_else(|e| panic!("{doc}:{cline}: {}", e.render(kefu::Lang::En)));
    assert_eq!(entries.class, class.name, "{doc}:{line}: the entries are for the example class");
    assert_eq!(entries.counting("p1t3-botched-phone-call"), kefu::grades::Counting::Latest);
    let ratings = entries.ratings("p1t3-botched-phone-call", "2024001");
    assert_eq!((ratings.get("cooperation"), ratings.get("attitude")), (Some(&8), Some(&4)));
    assert_eq!(class.student_count(), 4);
    let scenarios: Vec<std::sync::Arc<kefu::Scenario>> = ["scenarios/p1t3-botched-phone-call.ron", "scenarios/p4t2-taking-an-order.ron"].iter().map(|f| scenario(f)).collect();
    let refs: Vec<&kefu::Scenario> = scenarios.iter().map(|s| s.as_ref()).collect();
    let problems: Vec<String> = entries.problems(&class, &refs).iter().map(|t| t.zh.clone()).collect();
    assert!(problems.is_empty(), "{doc}:{line}: the example entries fit the example class: {problems:?}");
}

/// Every relative link and heading anchor of README.md, CONTRIBUTING.md and docs/ resolves
/// (`scripts/check-doc-links.py`; skipped, and said so, where there is no python3).
#[test]
fn the_docs_links_resolve() {
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(repo("scripts/check-doc-links.py")).current_dir(repo(""));
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("the_docs_links_resolve: skipped, python3 does not run here ({e})");
            return;
        }
    };
    assert!(out.status.success(), "broken links:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
