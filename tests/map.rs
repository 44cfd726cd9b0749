//! The scenario map (authoring mode's graph and `kefu analyze --dot`): its nodes, arrows,
//! statuses and colours agree with the analysis, for every course scenario and for broken files.

use std::collections::BTreeSet;
use std::path::Path;

use kefu::analysis::map::{self, EdgeKind, Map, Status};
use kefu::analysis::analyze;
use kefu::scenario::{Node, check_file, load_str, validate};

use crate::common::repo;

fn map_of(path: &Path) -> (kefu::scenario::Loaded, kefu::analysis::Analysis, Map) {
    let (loaded, diags) = check_file(path);
    let loaded = loaded.unwrap_or_else(|| panic!("{} does not load", path.display()));
    assert!(!diags.iter().any(|d| d.is_error()), "{}: {diags:?}", path.display());
    let a = analyze(&loaded.scenario);
    let ranges = kefu::scenario::ranges::node_ranges(&loaded.scenario);
    let m = map::build(&loaded, Some(&a), Some(&ranges), &diags);
    (loaded, a, m)
}

fn course_files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(repo("scenarios"))
        .expect("scenarios/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    v.sort();
    assert!(v.len() >= 12, "the course scenarios are there");
    v
}

#[test]
fn every_course_map_matches_its_analysis() {
    for path in course_files() {
        let (loaded, a, m) = map_of(&path);
        let sc = &loaded.scenario;
        let name = path.display();
        // One box per node, in file order, and one arrow per reference to an existing node.
        assert_eq!(m.nodes.len(), sc.nodes.len(), "{name}");
        let targets: usize = sc.nodes.iter().map(|n| n.targets().iter().filter(|(t, _)| sc.node_index(t).is_some()).count()).sum();
        assert_eq!(m.edges.len(), targets, "{name}: arrows");
        assert!(m.missing.is_empty(), "{name}");
        for (i, n) in sc.nodes.iter().enumerate() {
            let mn = &m.nodes[i];
            assert_eq!(mn.id, n.id());
            assert_eq!(mn.kind, n.kind());
            // Status and colour from the analysis.
            let expected = if a.unreached.iter().any(|u| u == n.id()) {
                Status::Unreachable
            } else if let Node::Ending(e) = n {
                if e.success { Status::Success } else { Status::Failure }
            } else if a.stuck.iter().any(|s| s == n.id()) {
                Status::DeadEnd
            } else {
                Status::Normal
            };
            assert_eq!(mn.status, expected, "{name}: {}", n.id());
            let fill = match expected {
                Status::Unreachable | Status::DeadEnd => map::FILL_PROBLEM,
                Status::Success => map::FILL_SUCCESS,
                Status::Failure => map::FILL_FAILURE,
                Status::Normal => mn.fill(),
            };
            assert_eq!(mn.fill(), fill, "{name}: {}", n.id());
            if expected == Status::Normal {
                assert!([map::FILL_TALK, map::FILL_DECIDE, map::FILL_ACTIVITY].contains(&mn.fill()));
            }
            // Its line in the file is where the node starts.
            let line = loaded_line(&loaded, n.id());
            assert_eq!(mn.line, line, "{name}: {} line", n.id());
        }
        // The expert path: exactly its nodes, and one marked arrow per step.
        let expert = a.expert.as_ref().expect("expert path");
        let on: BTreeSet<&str> = expert.nodes.iter().map(String::as_str).collect();
        let marked: BTreeSet<&str> = m.nodes.iter().filter(|n| n.expert).map(|n| n.id.as_str()).collect();
        assert_eq!(marked, on, "{name}: expert nodes");
        let steps: BTreeSet<(&str, &str)> = expert.nodes.windows(2).map(|w| (w[0].as_str(), w[1].as_str())).collect();
        let arrows: BTreeSet<(&str, &str)> = m.edges.iter().filter(|e| e.expert).map(|e| (m.nodes[e.from].id.as_str(), m.nodes[e.to].id.as_str())).collect();
        assert_eq!(arrows, steps, "{name}: expert arrows");
        assert_eq!(m.edges.iter().filter(|e| e.expert).count(), steps.len(), "{name}: one arrow per step");
        // At a choice, the marked arrow is the option the expert chose.
        for e in m.edges.iter().filter(|e| e.expert && e.kind == EdgeKind::Option) {
            let chose = a.expert_answers.iter().any(|ev| ev.node == m.nodes[e.from].id && matches!(&ev.action, kefu::session::Action::Choose(o) if Some(o) == e.option.as_ref()));
            assert!(chose, "{name}: {:?} at {}", e.option, m.nodes[e.from].id);
        }
        // Layout: boxes in a layer do not overlap; arrows that are not loops go down a layer or more.
        for a_ in &m.nodes {
            for b in &m.nodes {
                if a_.id != b.id && a_.layer == b.layer {
                    assert!((a_.x - b.x).abs() >= map::NODE_W - 0.5, "{name}: {} and {} overlap", a_.id, b.id);
                }
            }
        }
        for e in m.edges.iter().filter(|e| !e.back) {
            let (from, to) = (&m.nodes[e.from], &m.nodes[e.to]);
            assert!(to.layer > from.layer, "{name}: {} -> {}", from.id, to.id);
            // An arrow crossing layers passes beside every box of the layers between.
            assert_eq!(e.via.len(), to.layer - from.layer - 1, "{name}: {} -> {}", from.id, to.id);
            for &(x, y) in &e.via {
                for n in m.nodes.iter().filter(|n| (n.y - y).abs() < 0.5) {
                    assert!((n.x - x).abs() >= (map::NODE_W + map::WAY_W) / 2.0 - 0.5, "{name}: {} -> {} runs through {}", from.id, to.id, n.id);
                }
            }
        }
        assert!(m.nodes.iter().all(|n| n.x >= map::NODE_W / 2.0 - 0.01 && n.x <= m.width && n.y <= m.height));
        // Reachable points: nothing earned at the start; nothing more to earn at an ending; the
        // best arrival at an ending is the analysis's best for each key.
        let start = m.nodes.iter().find(|n| n.start).expect("a start");
        for r in &start.ranges {
            assert_eq!(r.so_far, (Some(0.0), Some(0.0)), "{name}: {}", r.key);
        }
        for kr in &a.ranges {
            let best = m
                .nodes
                .iter()
                .filter(|n| n.kind == "Ending" && n.status != Status::Unreachable)
                .filter_map(|n| n.ranges.iter().find(|r| r.key == kr.key).and_then(|r| r.so_far.1))
                .fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(Some(best), kr.max, "{name}: {}", kr.key);
            let to_come_at_start = start.ranges.iter().find(|r| r.key == kr.key).and_then(|r| r.to_come.1);
            assert_eq!(to_come_at_start, kr.max, "{name}: {} to come at the start", kr.key);
        }
        for n in m.nodes.iter().filter(|n| n.kind == "Ending" && n.status != Status::Unreachable) {
            assert!(n.ranges.iter().all(|r| r.to_come == (Some(0.0), Some(0.0))), "{name}: {}", n.id);
        }
    }
}

fn loaded_line(loaded: &kefu::scenario::Loaded, id: &str) -> usize {
    let i = loaded.scenario.node_index(id).expect("node");
    loaded.map().pos(&format!("nodes[{i}]")).line
}

const BROKEN: &str = r#"Scenario(
    id: "broken-map",
    title: (zh: "坏地图"),
    course: (project: 1, task: 2),
    situation: (zh: "测试"),
    roles: [
        Role(id: "me", name: (zh: "我"), played_by: Student),
        Role(id: "guest", name: (zh: "客人")),
    ],
    nodes: [
        Choice(
            id: "greet",
            prompt: (zh: "客人来了。"),
            options: [
                (id: "warm", text: (zh: "您好！"), effects: (smile: 2), next: "ask", expert: true),
                (id: "gone", text: (zh: "不理他"), effects: (smile: -2), next: "left"),
            ],
        ),
        Line(id: "ask", speaker: "guest", text: (zh: "我想寄件。"), next: "done"),
        Line(id: "loop", speaker: "guest", text: (zh: "没人来过这里。"), next: "loop"),
        Ending(id: "done", outcome: (zh: "办好了")),
    ],
)
"#;

#[test]
fn a_broken_file_still_has_a_map_with_its_problems_on_their_nodes() {
    let path = Path::new("broken-map.ron");
    let loaded = load_str(path, BROKEN).expect("parses");
    let diags = validate(&loaded);
    assert!(diags.iter().any(|d| d.code == "unknown-target"), "{diags:?}");
    let m = map::build(&loaded, None, None, &diags);
    // The arrow to the missing `left` is listed, not drawn; the error sits on `greet`.
    assert_eq!(m.missing, vec![("greet".to_string(), "left".to_string())]);
    let greet = m.node("greet").expect("greet");
    assert!(greet.diagnostics.iter().any(|d| d.code == "unknown-target"));
    assert_eq!(greet.stroke(), map::STROKE_PROBLEM);
    // `loop` is reached by nothing and leads nowhere but itself.
    let lp = m.node("loop").expect("loop");
    assert_eq!(lp.status, Status::Unreachable);
    assert_eq!(lp.fill(), map::FILL_PROBLEM);
    assert!(m.edges.iter().any(|e| e.back && m.nodes[e.from].id == "loop"));
    assert_eq!(m.node("done").map(|n| n.status), Some(Status::Success));
    assert_eq!(m.node("ask").map(|n| n.status), Some(Status::Normal));
    assert_eq!(m.node("ask").and_then(|n| n.speaker.as_ref()).map(|s| s.zh.as_str()), Some("客人"), "the role's name, not its id");
    // No analysis: no expert path is claimed.
    assert!(m.nodes.iter().all(|n| !n.expert) && m.edges.iter().all(|e| !e.expert));
    // The option arrow carries the option's text.
    let e = m.edges.iter().find(|e| e.option.as_deref() == Some("warm")).expect("warm arrow");
    assert_eq!(e.label.zh, "您好！");
    assert_eq!(m.nodes[e.to].id, "ask");
}

#[test]
fn a_node_no_ending_follows_is_a_dead_end() {
    let src = BROKEN.replace(r#"next: "left""#, r#"next: "ask""#).replace(r#"Line(id: "ask", speaker: "guest", text: (zh: "我想寄件。"), next: "done"),"#, r#"Line(id: "ask", speaker: "guest", text: (zh: "我想寄件。"), next: "ask2"),
        Line(id: "ask2", speaker: "guest", text: (zh: "再说一遍。"), next: "ask"),"#);
    assert!(src.contains("ask2"), "the replacement applied");
    let loaded = load_str(Path::new("dead.ron"), &src).expect("parses");
    let diags = validate(&loaded);
    let m = map::build(&loaded, None, None, &diags);
    assert_eq!(m.node("ask").map(|n| n.status), Some(Status::DeadEnd));
    assert_eq!(m.node("ask2").map(|n| n.status), Some(Status::DeadEnd));
    assert_eq!(m.node("greet").map(|n| n.status), Some(Status::DeadEnd), "no ending can follow greet either");
    assert_eq!(m.node("done").map(|n| n.status), Some(Status::Unreachable));
}

#[test]
fn dot_output_has_every_node_and_arrow_and_the_expert_path() {
    let (_, _, m) = map_of(&repo("scenarios/p1t2-front-desk-visitor.ron"));
    let dot = map::to_dot(&m, kefu::Lang::Zh);
    assert!(dot.contains("digraph \"p1t2-front-desk-visitor\" {"));
    assert_eq!(dot.matches(" [label=").count(), m.nodes.len() + m.edges.len());
    let orange = format!("color=\"#{:02x}{:02x}{:02x}\"", map::STROKE_EXPERT[0], map::STROKE_EXPERT[1], map::STROKE_EXPERT[2]);
    let expert_arrows = dot.lines().filter(|l| l.contains(" -> ") && l.contains(&orange)).count();
    assert_eq!(expert_arrows, m.edges.iter().filter(|e| e.expert).count());
    assert!(expert_arrows > 3);
    assert!(dot.trim_end().ends_with('}'));
}

#[test]
fn dot_labels_are_escaped() {
    let src = BROKEN.replace("您好！", "说 \\\"您好\\\" \\\\ 再见");
    let loaded = load_str(Path::new("q.ron"), &src).expect("parses");
    let m = map::build(&loaded, None, None, &[]);
    let dot = map::to_dot(&m, kefu::Lang::Zh);
    assert!(dot.contains(r#"label="说 \"您好\" \\ 再见""#), "{dot}");
}
