//! The scenario as a map: nodes by kind, arrows labelled by option, endings marked success or
//! failure, the expert path, unreachable nodes and dead ends, laid out in layers from the start.
//! Built from a loaded scenario and its analysis; the app draws it (authoring mode) and
//! `kefu analyze --dot` writes it for Graphviz. No Bevy, no egui: positions are plain numbers.
//!
//! Layout: layers by the longest path from the start over the graph with its loops broken
//! (a depth-first walk marks the arrows that go back), then the order within each layer by the
//! mean position of the neighbours (a few sweeps down and up), then x positions pulled towards
//! the parents and pushed apart. Everything is iterative: a 100,000-node file lays out in
//! linear time and no recursion.

use std::collections::VecDeque;
use std::fmt::Write as _;

use serde::Serialize;

use super::Analysis;
use crate::scenario::diag::Diagnostic;
use crate::scenario::load::Loaded;
use crate::scenario::model::{Node, Scenario};
use crate::scenario::ranges::{NodeRange, NodeRanges};
use crate::scenario::text::{Lang, Text};

/// Box size and gaps, in map units (points at zoom 1).
pub const NODE_W: f32 = 168.0;
pub const NODE_H: f32 = 48.0;
pub const GAP_X: f32 = 28.0;
pub const GAP_Y: f32 = 30.0;
/// The width a waypoint of a long arrow takes in its layer.
pub const WAY_W: f32 = 14.0;

/// What a node is on the map; decides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// An ordinary node some path reaches and from which an ending can be reached.
    Normal,
    /// An ending where the task is accomplished.
    Success,
    /// An ending where it is not (the customer lost, a complaint).
    Failure,
    /// No path from the start reaches it.
    Unreachable,
    /// Reached, but some path gets stuck here or no ending can be reached from it.
    DeadEnd,
}

/// What the student does at a node, for its fill colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Somebody speaks (Line).
    Talk,
    /// The student decides (Choice, Phone, Dial).
    Decide,
    /// An activity (Form, Match, Order, Compose, Say, Table).
    Activity,
    Ending,
}

/// An RGB colour (the app and the DOT file use the same ones).
pub type Rgb = [u8; 3];

pub const FILL_TALK: Rgb = [0xee, 0xf0, 0xf3];
pub const FILL_DECIDE: Rgb = [0xdc, 0xea, 0xfb];
pub const FILL_ACTIVITY: Rgb = [0xfb, 0xf1, 0xd6];
pub const FILL_SUCCESS: Rgb = [0xcf, 0xee, 0xd4];
pub const FILL_FAILURE: Rgb = [0xe4, 0xd8, 0xf0];
pub const FILL_PROBLEM: Rgb = [0xfb, 0xd5, 0xd5];
pub const STROKE_PLAIN: Rgb = [0x6b, 0x72, 0x80];
pub const STROKE_PROBLEM: Rgb = [0xc6, 0x28, 0x28];
pub const STROKE_EXPERT: Rgb = [0xd9, 0x8e, 0x04];


#[derive(Clone, Debug, Serialize)]
pub struct MapNode {
    pub id: String,
    pub kind: &'static str,
    pub family: Family,
    pub status: Status,
    /// The first node played.
    pub start: bool,
    /// On the expert path (seed 0).
    pub expert: bool,
    /// Who speaks (the role's name), when the node names a role.
    pub speaker: Option<Text>,
    /// The node's words (line, prompt or outcome).
    pub text: Text,
    /// Where the node starts in the file (1-based).
    pub line: usize,
    pub col: usize,
    /// Layer (0 = the start's) and place within it.
    pub layer: usize,
    pub order: usize,
    /// Centre of the box, in map units.
    pub x: f32,
    pub y: f32,
    /// The checker's findings inside this node.
    pub diagnostics: Vec<Diagnostic>,
    /// Reachable points per key (5S dimensions and automatic criteria).
    pub ranges: Vec<NodeRange>,
}

/// How an arrow leaves its node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    Next,
    Option,
    Branch,
    Timeout,
    Dial,
}

#[derive(Clone, Debug, Serialize)]
pub struct MapEdge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The option's text, the number dialled, "条件" for a branch, "超时" for a timeout.
    pub label: Text,
    /// Taken by the expert path.
    pub expert: bool,
    /// Goes up or sideways (a loop back, "ask again").
    pub back: bool,
    /// The option is a critical error.
    pub critical: bool,
    /// The option's id, for a choice's arrow.
    pub option: Option<String>,
    /// Where an arrow that crosses layers passes in each layer between (map units), top down.
    pub via: Vec<(f32, f32)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Map {
    pub id: String,
    pub title: Text,
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
    /// Arrows to ids that do not exist (drawn nowhere; listed with the node's diagnostics).
    pub missing: Vec<(String, String)>,
    pub width: f32,
    pub height: f32,
}

impl Map {
    pub fn node(&self, id: &str) -> Option<&MapNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The node whose box holds the point (map units).
    pub fn hit(&self, x: f32, y: f32) -> Option<usize> {
        self.nodes.iter().position(|n| (x - n.x).abs() <= NODE_W / 2.0 && (y - n.y).abs() <= NODE_H / 2.0)
    }
}

impl MapNode {
    pub fn fill(&self) -> Rgb {
        match self.status {
            Status::Unreachable | Status::DeadEnd => FILL_PROBLEM,
            Status::Success => FILL_SUCCESS,
            Status::Failure => FILL_FAILURE,
            Status::Normal => match self.family {
                Family::Talk => FILL_TALK,
                Family::Decide => FILL_DECIDE,
                Family::Activity | Family::Ending => FILL_ACTIVITY,
            },
        }
    }

    pub fn stroke(&self) -> Rgb {
        if matches!(self.status, Status::Unreachable | Status::DeadEnd) || self.diagnostics.iter().any(Diagnostic::is_error) {
            STROKE_PROBLEM
        } else if self.expert {
            STROKE_EXPERT
        } else {
            STROKE_PLAIN
        }
    }

    /// One line under the id: the status when it is a problem or an ending, else the kind.
    pub fn badge(&self, lang: Lang) -> &'static str {
        match self.status {
            Status::Unreachable => lang.pick("到达不了", "unreachable"),
            Status::DeadEnd => lang.pick("走不到结局", "dead end"),
            Status::Success => lang.pick("结局 · 成功", "ending · success"),
            Status::Failure => lang.pick("结局 · 失败", "ending · failure"),
            Status::Normal => kind_name(self.kind, lang),
        }
    }
}

/// A node kind in the teacher's words.
pub fn kind_name(kind: &str, lang: Lang) -> &'static str {
    let (zh, en) = match kind {
        "Line" => ("台词", "line"),
        "Choice" => ("选择", "choice"),
        "Match" => ("配对", "match"),
        "Order" => ("排序", "order"),
        "Form" => ("表单", "form"),
        "Compose" => ("拼写", "compose"),
        "Phone" => ("电话", "phone"),
        "Dial" => ("拨号", "dial"),
        "Say" => ("说话", "say"),
        "Table" => ("表格", "table"),
        "Ending" => ("结局", "ending"),
        _ => ("节点", "node"),
    };
    lang.pick(zh, en)
}

fn family(n: &Node) -> Family {
    match n {
        Node::Line(_) => Family::Talk,
        Node::Choice(_) | Node::Phone(_) | Node::Dial(_) => Family::Decide,
        Node::Ending(_) => Family::Ending,
        _ => Family::Activity,
    }
}

fn words(n: &Node) -> (Option<String>, Text) {
    match n {
        Node::Line(x) => (x.speaker.clone(), x.text.clone()),
        Node::Choice(x) => (x.speaker.clone(), x.prompt.clone()),
        Node::Match(x) => (None, x.prompt.clone()),
        Node::Order(x) => (None, x.prompt.clone()),
        Node::Form(x) => (None, x.prompt.clone()),
        Node::Compose(x) => (None, x.prompt.clone()),
        Node::Phone(x) => (None, x.prompt.clone()),
        Node::Dial(x) => (x.speaker.clone(), x.prompt.clone()),
        Node::Say(x) => (x.speaker.clone(), x.prompt.clone()),
        Node::Table(x) => (x.speaker.clone(), x.prompt.clone()),
        Node::Ending(x) => (None, x.outcome.clone()),
    }
}

/// Cut a text to `n` characters, with "…" when cut.
pub fn short(s: &str, n: usize) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= n {
        one_line
    } else {
        let mut t: String = one_line.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The arrows out of a node: (target id, kind, label, critical).
type Arrow<'a> = (&'a str, EdgeKind, Text, bool, Option<String>);

fn arrows(n: &Node) -> Vec<Arrow<'_>> {
    let mut out = Vec::new();
    let branch = || Text::new("条件", "condition");
    let timeout = || Text::new("超时", "timeout");
    if let Some((next, branches)) = n.flow() {
        for b in branches {
            out.push((b.next.as_str(), EdgeKind::Branch, branch(), false, None));
        }
        if let Some(t) = next {
            out.push((t, EdgeKind::Next, Text::new(String::new(), String::new()), false, None));
        }
    }
    match n {
        Node::Choice(c) => {
            for o in &c.options {
                out.push((o.next.as_str(), EdgeKind::Option, o.text.clone(), o.critical.is_some(), Some(o.id.clone())));
            }
            if let Some(t) = &c.timeout {
                out.push((t.next.as_str(), EdgeKind::Timeout, timeout(), false, None));
            }
        }
        Node::Say(x) => {
            if let Some(t) = &x.timeout {
                out.push((t.next.as_str(), EdgeKind::Timeout, timeout(), false, None));
            }
        }
        Node::Phone(p) => {
            out.push((p.next.as_str(), EdgeKind::Next, Text::new("接听", "answered"), false, None));
            out.push((p.on_timeout.next.as_str(), EdgeKind::Timeout, Text::new("没接", "not answered"), false, None));
        }
        Node::Dial(d) => {
            for num in &d.numbers {
                out.push((num.next.as_str(), EdgeKind::Dial, Text::zh(num.number.0.clone()), false, None));
            }
            for (r, name) in d.routes() {
                let (zh, en) = match name {
                    "busy" => ("占线", "busy"),
                    "on_fail" => ("拨不通", "cannot get through"),
                    _ => ("别的号码", "any other number"),
                };
                out.push((r.next.as_str(), EdgeKind::Dial, Text::new(zh, en), false, None));
            }
        }
        _ => {}
    }
    out
}

/// Build the map of a loaded scenario from its analysis, per-node ranges and diagnostics. A file
/// with errors has no analysis: then what is reachable is read from the arrows alone (conditions
/// ignored), and the errors sit on their nodes.
pub fn build(loaded: &Loaded, analysis: Option<&Analysis>, ranges: Option<&NodeRanges>, diagnostics: &[Diagnostic]) -> Map {
    let sc: &Scenario = &loaded.scenario;
    let n = sc.nodes.len();
    let start = sc.start_id().and_then(|s| sc.node_index(s));

    // Arrows between existing nodes; the rest are missing targets.
    let mut edges: Vec<MapEdge> = Vec::new();
    let mut missing = Vec::new();
    for (i, node) in sc.nodes.iter().enumerate() {
        for (to, kind, label, critical, option) in arrows(node) {
            match sc.node_index(to) {
                Some(j) => edges.push(MapEdge { from: i, to: j, kind, label, expert: false, back: false, critical, option, via: Vec::new() }),
                None => missing.push((node.id().to_string(), to.to_string())),
            }
        }
    }
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut in_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, ed) in edges.iter().enumerate() {
        out_edges[ed.from].push(e);
        in_edges[ed.to].push(e);
    }

    // Back arrows: an iterative depth-first walk from the start, then from every node not yet
    // seen (unreachable parts), in file order.
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut roots: Vec<usize> = start.into_iter().collect();
    roots.extend(0..n);
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&e) = out_edges[v].get(*k) {
                *k += 1;
                let w = edges[e].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => edges[e].back = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }

    // Layers: the longest path over forward arrows (Kahn's order).
    let mut indeg: Vec<usize> = vec![0; n];
    for ed in edges.iter().filter(|e| !e.back) {
        indeg[ed.to] += 1;
    }
    let mut layer = vec![0usize; n];
    let mut queue: VecDeque<usize> = VecDeque::new();
    if let Some(s) = start.filter(|&s| indeg[s] == 0) {
        queue.push_back(s);
    }
    queue.extend((0..n).filter(|&i| indeg[i] == 0 && Some(i) != start));
    let mut topo = Vec::with_capacity(n);
    while let Some(v) = queue.pop_front() {
        topo.push(v);
        for &e in &out_edges[v] {
            let ed = &edges[e];
            if ed.back {
                continue;
            }
            layer[ed.to] = layer[ed.to].max(layer[v] + 1);
            indeg[ed.to] -= 1;
            if indeg[ed.to] == 0 {
                queue.push_back(ed.to);
            }
        }
    }
    // Unreachable parts start at layer 0 of their own; they sit beside the rest.

    // Arrows that cross layers pass through a waypoint in each layer between (items n.. after
    // the nodes), which takes a narrow place in its layer, so the arrow goes round the boxes
    // instead of behind them.
    let mut items_layer: Vec<usize> = layer.clone();
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
    let mut ups: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut downs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (ei, ed) in edges.iter().enumerate() {
        if ed.back {
            continue;
        }
        let mut prev = ed.from;
        for l in layer[ed.from] + 1..layer[ed.to] {
            let id = items_layer.len();
            items_layer.push(l);
            ups.push(vec![prev]);
            downs.push(Vec::new());
            downs[prev].push(id);
            chains[ei].push(id);
            prev = id;
        }
        downs[prev].push(ed.to);
        ups[ed.to].push(prev);
    }
    let total = items_layer.len();
    let half = |i: usize| if i < n { NODE_W / 2.0 } else { WAY_W / 2.0 };

    // Order within layers: first seen in topological order, then barycentre sweeps.
    let layers = layer.iter().copied().max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for &v in &topo {
        rows[layer[v]].push(v);
    }
    for w in n..total {
        rows[items_layer[w]].push(w);
    }
    let mut pos = vec![0f32; total];
    for row in &rows {
        for (k, &v) in row.iter().enumerate() {
            pos[v] = k as f32;
        }
    }
    for sweep in 0..6 {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down { (1..layers).collect() } else { (0..layers.saturating_sub(1)).rev().collect() };
        for l in order {
            let mut keyed: Vec<(f32, usize)> = rows[l]
                .iter()
                .map(|&v| {
                    let nbrs = if down { &ups[v] } else { &downs[v] };
                    let key = if nbrs.is_empty() { pos[v] } else { nbrs.iter().map(|&u| pos[u]).sum::<f32>() / nbrs.len() as f32 };
                    (key, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            rows[l] = keyed.into_iter().map(|(_, v)| v).collect();
            for (k, &v) in rows[l].iter().enumerate() {
                pos[v] = k as f32;
            }
        }
    }

    // x: pulled towards the parents, then pushed apart; the whole picture starts at x = 0.
    let gap = |a: usize, b: usize| half(a) + half(b) + if a < n && b < n { GAP_X } else { GAP_X / 2.0 };
    let mut x = vec![0f32; total];
    for row in &rows {
        let mut at = 0.0;
        for (k, &v) in row.iter().enumerate() {
            if k > 0 {
                at += gap(row[k - 1], v);
            }
            x[v] = at;
        }
    }
    for _ in 0..3 {
        for row in rows.iter().skip(1) {
            let want: Vec<f32> = row.iter().map(|&v| if ups[v].is_empty() { x[v] } else { ups[v].iter().map(|&u| x[u]).sum::<f32>() / ups[v].len() as f32 }).collect();
            let mut placed: Vec<f32> = Vec::with_capacity(row.len());
            for (k, w) in want.iter().enumerate() {
                let min = placed.last().map_or(f32::NEG_INFINITY, |p| p + gap(row[k - 1], row[k]));
                placed.push(w.max(min));
            }
            // Centre the run on what it wanted, so a push to the right is shared both ways.
            if !placed.is_empty() {
                let shift = (want.iter().sum::<f32>() - placed.iter().sum::<f32>()) / placed.len() as f32;
                for (k, &v) in row.iter().enumerate() {
                    x[v] = placed[k] + shift;
                }
            }
        }
    }
    let min_x = (0..total).map(|i| x[i] - half(i)).fold(f32::INFINITY, f32::min);
    let min_x = if min_x.is_finite() { min_x } else { 0.0 };
    for v in x.iter_mut() {
        *v -= min_x;
    }
    let width = (0..total).map(|i| x[i] + half(i)).fold(0.0, f32::max);
    let height = layers as f32 * (NODE_H + GAP_Y) - GAP_Y;
    let y_of = |l: usize| l as f32 * (NODE_H + GAP_Y) + NODE_H / 2.0;
    for (ei, chain) in chains.iter().enumerate() {
        edges[ei].via = chain.iter().map(|&w| (x[w], y_of(items_layer[w]))).collect();
    }

    // Status from the analysis: unreachable, stuck, or no ending reachable (reverse walk).
    let unreached: std::collections::HashSet<&str> = match analysis {
        Some(a) => a.unreached.iter().map(String::as_str).collect(),
        // No analysis (a file with errors): what the arrows from the start reach.
        None => {
            let mut from_start = vec![false; n];
            if let Some(s) = start {
                from_start[s] = true;
                let mut q = VecDeque::from([s]);
                while let Some(v) = q.pop_front() {
                    for &e in &out_edges[v] {
                        let w = edges[e].to;
                        if !from_start[w] {
                            from_start[w] = true;
                            q.push_back(w);
                        }
                    }
                }
            }
            (0..n).filter(|&i| !from_start[i]).map(|i| sc.nodes[i].id()).collect()
        }
    };
    let stuck: std::collections::HashSet<&str> = analysis.map(|a| a.stuck.iter().map(String::as_str).collect()).unwrap_or_default();
    let mut to_end = vec![false; n];
    let mut q: VecDeque<usize> = (0..n).filter(|&i| matches!(sc.nodes[i], Node::Ending(_))).collect();
    for &i in &q {
        to_end[i] = true;
    }
    while let Some(v) = q.pop_front() {
        for &e in &in_edges[v] {
            let u = edges[e].from;
            if !to_end[u] {
                to_end[u] = true;
                q.push_back(u);
            }
        }
    }

    // The expert path: its nodes and the arrows between consecutive ones.
    let expert_ids: Vec<&str> = analysis.and_then(|a| a.expert.as_ref().ok()).map(|p| p.nodes.iter().map(String::as_str).collect()).unwrap_or_default();
    let mut on_expert = vec![false; n];
    for id in &expert_ids {
        if let Some(i) = sc.node_index(id) {
            on_expert[i] = true;
        }
    }
    // The k-th step of the path is the k-th answer that is not a hint: its option picks the arrow
    // where several join the same two nodes.
    let steps: Vec<&crate::session::Action> = analysis.map(|a| a.expert_answers.as_slice()).unwrap_or_default().iter().filter(|e| e.action != crate::session::Action::Hint).map(|e| e.action.inner()).collect();
    for (k, w) in expert_ids.windows(2).enumerate() {
        let (Some(a), Some(b)) = (sc.node_index(w[0]), sc.node_index(w[1])) else { continue };
        let chosen = match steps.get(k) {
            Some(crate::session::Action::Choose(o)) => Some(o.as_str()),
            _ => None,
        };
        let found = out_edges[a].iter().copied().find(|&e| edges[e].to == b && (chosen.is_none() || edges[e].option.as_deref() == chosen));
        if let Some(e) = found.or_else(|| out_edges[a].iter().copied().find(|&e| edges[e].to == b)) {
            edges[e].expert = true;
        }
    }

    // Each diagnostic goes to the node whose text holds its line.
    let map = loaded.map();
    let starts: Vec<crate::scenario::source_map::Pos> = (0..n).map(|i| map.pos(&format!("nodes[{i}]"))).collect();
    let mut diags: Vec<Vec<Diagnostic>> = vec![Vec::new(); n];
    for d in diagnostics {
        if d.file != loaded.path && !d.file.as_os_str().is_empty() {
            continue;
        }
        // The last node starting at or before the diagnostic's line.
        let at = starts.partition_point(|p| (p.line, p.col) <= (d.line, d.col));
        if let Some(i) = at.checked_sub(1) {
            diags[i].push(d.clone());
        }
    }

    let nodes = sc
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let (speaker, text) = words(node);
            let speaker = speaker.map(|id| sc.role(&id).map_or_else(|| Text::zh(id.clone()), |r| r.name.clone()));
            let status = if unreached.contains(node.id()) {
                Status::Unreachable
            } else if let Node::Ending(e) = node {
                if e.success { Status::Success } else { Status::Failure }
            } else if stuck.contains(node.id()) || !to_end[i] {
                Status::DeadEnd
            } else {
                Status::Normal
            };
            MapNode {
                id: node.id().to_string(),
                kind: node.kind(),
                family: family(node),
                status,
                start: Some(i) == start,
                expert: on_expert[i],
                speaker,
                text,
                line: starts[i].line,
                col: starts[i].col,
                layer: layer[i],
                order: pos[i] as usize,
                x: x[i],
                y: y_of(layer[i]),
                diagnostics: std::mem::take(&mut diags[i]),
                ranges: ranges.map(|r| r.at(i)).unwrap_or_default(),
            }
        })
        .collect();
    Map { id: sc.id.clone(), title: sc.title.clone(), nodes, edges, missing, width, height }
}

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// A DOT string literal.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The map as a Graphviz DOT graph (`dot -Tsvg map.dot > map.svg`): the same colours, the expert
/// path thick and orange, problems red. Graphviz lays it out itself.
pub fn to_dot(map: &Map, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "// {} {} — kefu analyze --dot", map.id, map.title.get(lang));
    let _ = writeln!(s, "digraph {} {{", quote(&map.id));
    let _ = writeln!(s, "  graph [rankdir=TB, fontname=\"WenQuanYi Micro Hei\", label={}, labelloc=t];", quote(map.title.get(lang)));
    let _ = writeln!(s, "  node [shape=box, style=\"rounded,filled\", fontname=\"WenQuanYi Micro Hei\", fontsize=11];");
    let _ = writeln!(s, "  edge [fontname=\"WenQuanYi Micro Hei\", fontsize=9];");
    for (i, nd) in map.nodes.iter().enumerate() {
        let label = format!("{}\n{}\n{}", nd.id, nd.badge(lang), short(nd.text.get(lang), 18));
        let shape = if nd.family == Family::Ending { ", shape=doubleoctagon" } else if nd.family == Family::Decide { ", shape=box" } else { "" };
        let pen = if nd.expert || nd.stroke() == STROKE_PROBLEM { 2.5 } else { 1.0 };
        let _ = writeln!(
            s,
            "  n{i} [label={}, fillcolor={}, color={}, penwidth={pen}{shape}{}];",
            quote(&label),
            quote(&hex(nd.fill())),
            quote(&hex(nd.stroke())),
            if nd.start { ", peripheries=2" } else { "" }
        );
    }
    for e in &map.edges {
        let color = if e.expert {
            STROKE_EXPERT
        } else if e.critical {
            STROKE_PROBLEM
        } else {
            STROKE_PLAIN
        };
        let label = short(e.label.get(lang), 12);
        let _ = writeln!(
            s,
            "  n{} -> n{} [label={}, color={}, penwidth={}{}{}];",
            e.from,
            e.to,
            quote(&label),
            quote(&hex(color)),
            if e.expert { 2.5 } else { 1.0 },
            if e.back { ", constraint=false" } else { "" },
            if e.back || e.kind == EdgeKind::Branch || e.kind == EdgeKind::Timeout { ", style=dashed" } else { "" },
        );
    }
    let _ = writeln!(s, "}}");
    s
}
