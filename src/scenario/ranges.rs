//! Reachable score ranges per 5S dimension and criterion, unreached nodes and points per node:
//! what validation checks, the scorer normalises with and the analysis reports. Pure functions
//! of the model (no runner, no scorer), computed once per scenario (`Scenario::ranges`).
//!
//! The scenario is explored as a graph of states (node + variable values), so conditions and
//! "ask again" loops are taken into account. Score ranges are longest/shortest paths over that
//! graph, computed component by component (Tarjan SCCs in topological order, Bellman-Ford inside
//! a loop). A loop whose points can grow without limit is reported, not followed forever.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::cond::Cond;
use super::model::{Branch, Effects, Expected, Node, Scenario};
use super::rubric::{Dim, Mode};
use super::text::{Lang, Text};

/// States explored before falling back to a condition-blind analysis.
pub const STATE_CAP: usize = 200_000;

pub use super::model::Ranges;

impl Scenario {
    /// The reachable point ranges, computed on first use and kept with this scenario: its
    /// validation, every `Scorer` of it and its analysis share one exploration.
    pub fn ranges(&self) -> Arc<Ranges> {
        self.ranges_cell().get_or_init(|| ranges(self))
    }
}

impl Ranges {
    pub fn max(&self, key: &str) -> Option<f64> {
        self.keys.iter().position(|k| k == key).and_then(|i| self.max[i])
    }
    pub fn min(&self, key: &str) -> Option<f64> {
        self.keys.iter().position(|k| k == key).and_then(|i| self.min[i])
    }
}

/// One way out of a state: best and worst points, the next node, the variables after.
/// (The points are borrowed when precomputed: a choice's options, the most common way out.)
type Move<'a> = (Cow<'a, [f64]>, Cow<'a, [f64]>, &'a str, Vec<i64>);

/// A way from one state to another; its best and worst points are `Explorer::weights[w..w + k]`
/// and `[w + k..w + 2k]` (one flat array: two small vectors per edge cost more than the graph).
struct Edge {
    to: usize,
    w: usize,
}

/// FxHash (as in rustc): the state table hashes a node index and a few small integers, for
/// which SipHash's protection against crafted keys buys nothing and costs most of the lookup.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.write_u64(u64::from_le_bytes(w.try_into().unwrap_or([0; 8])));
        }
        for &b in words.remainder() {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_i64(&mut self, x: i64) {
        self.write_u64(x as u64);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// A vector of points per effect key (`mode` 1: the gains only, -1: the losses only).
fn effect_vec(keys: &[String], effects: &Effects, mode: i8) -> Vec<f64> {
    let mut v = vec![0.0; keys.len()];
    for (k, x) in effects.iter() {
        if let Some(i) = keys.iter().position(|kk| kk == k) {
            let x = f64::from(*x);
            v[i] += match mode {
                1 => x.max(0.0),
                -1 => x.min(0.0),
                _ => x,
            };
        }
    }
    v
}

/// Every choice option's points, computed once (not once per state the choice is reached in):
/// one flat array, and per node the start of its options' vectors (`None` for other nodes).
/// Each option's vector is there twice, as best then worst points (the layout of
/// `Explorer::weights`, which starts as a copy of this array: an option's edges point into it
/// instead of copying its points once per state).
fn option_points(sc: &Scenario, keys: &[String]) -> (Vec<f64>, Vec<Option<usize>>) {
    let mut w = Vec::new();
    let at = sc
        .nodes
        .iter()
        .map(|n| match n {
            Node::Choice(c) => {
                let start = w.len();
                for o in &c.options {
                    let e = effect_vec(keys, &o.effects, 0);
                    w.extend_from_slice(&e);
                    w.extend(e);
                }
                Some(start)
            }
            _ => None,
        })
        .collect();
    (w, at)
}

struct Explorer<'a> {
    sc: &'a Scenario,
    option_w: &'a [f64],
    option_at: &'a [Option<usize>],
    /// Node index by id (the first node with an id, as `Scenario::node_index`), with a cheap hash.
    index: &'a FxMap<&'a str, usize>,
    keys: Vec<String>,
    vars: Vec<String>,
    exact: bool,
    states: Vec<(usize, Vec<i64>)>,
    ids: FxMap<(usize, Vec<i64>), usize>,
    /// Every state's ways out, one flat list: state `s`'s are `edges[spans[s].0..spans[s].1]`
    /// (a state's edges are all added when it is explored, so they are contiguous).
    edges: Vec<Edge>,
    spans: Vec<(usize, usize)>,
    weights: Vec<f64>,
    stuck: BTreeSet<String>,
}

impl<'a> Explorer<'a> {
    /// State `s`'s ways out.
    fn out(&self, s: usize) -> &[Edge] {
        let (a, b) = self.spans[s];
        &self.edges[a..b]
    }

    fn vec(&self, effects: &Effects, mode: i8) -> Vec<f64> {
        effect_vec(&self.keys, effects, mode)
    }

    fn holds(&self, c: &Cond, vars: &[i64]) -> bool {
        c.eval(&|name| self.vars.iter().position(|v| v == name).map_or(0, |i| vars[i]))
    }

    fn set(&self, vars: &mut [i64], set: &super::ident::IdentMap<super::ident::Value>, add: &super::ident::IdentMap<i64>) {
        if !self.exact {
            return;
        }
        for (k, v) in set.iter() {
            if let Some(i) = self.vars.iter().position(|x| x == k) {
                vars[i] = v.0;
            }
        }
        for (k, v) in add.iter() {
            if let Some(i) = self.vars.iter().position(|x| x == k) {
                vars[i] = vars[i].saturating_add(*v);
            }
        }
    }

    fn flow(&self, next: Option<&'a str>, branches: &'a [Branch], vars: &[i64]) -> Vec<&'a str> {
        if !self.exact {
            return next.into_iter().chain(branches.iter().map(|b| b.next.as_str())).collect();
        }
        for b in branches {
            if self.holds(&b.when, vars) {
                return vec![b.next.as_str()];
            }
        }
        next.map(|n| vec![n]).unwrap_or_default()
    }

    /// (hi, lo, next node id, vars after) for each way out of a state, into `out` (emptied
    /// first). A choice option's points are borrowed from `option_w` (see `explore`).
    fn moves(&self, node_idx: usize, vars: &[i64], out: &mut Vec<Move<'a>>) {
        out.clear();
        let node: &'a Node = &self.sc.nodes[node_idx];
        let zero = vec![0.0; self.keys.len()];
        let flow_out = |ex: &Self, hi: Vec<f64>, lo: Vec<f64>, v: Vec<i64>, next: Option<&'a str>, br: &'a [Branch], out: &mut Vec<Move<'a>>| {
            for n in ex.flow(next, br, &v) {
                out.push((hi.clone().into(), lo.clone().into(), n, v.clone()));
            }
        };
        match node {
            Node::Line(l) => {
                let mut v = vars.to_vec();
                self.set(&mut v, &l.set, &l.add);
                flow_out(self, zero.clone(), zero, v, l.next.as_deref(), &l.branches, out);
            }
            Node::Choice(c) => {
                for (oi, o) in c.options.iter().enumerate() {
                    if self.exact && o.when.as_ref().is_some_and(|w| !self.holds(w, vars)) {
                        continue;
                    }
                    let mut v = vars.to_vec();
                    self.set(&mut v, &o.set, &o.add);
                    // Precomputed per option (see `option_points`).
                    let k = self.keys.len();
                    match self.option_at.get(node_idx).copied().flatten() {
                        Some(at) => {
                            let w = at + oi * 2 * k;
                            out.push((Cow::Borrowed(&self.option_w[w..w + k]), Cow::Borrowed(&self.option_w[w + k..w + 2 * k]), o.next.as_str(), v));
                        }
                        None => {
                            let e = self.vec(&o.effects, 0);
                            out.push((e.clone().into(), e.into(), o.next.as_str(), v));
                        }
                    }
                }
                if let Some(t) = &c.timeout {
                    let e = self.vec(&t.effects, 0);
                    let mut v = vars.to_vec();
                    self.set(&mut v, &t.set, &t.add);
                    out.push((e.clone().into(), e.into(), t.next.as_str(), v));
                }
            }
            Node::Match(m) => {
                let (hi, lo) = (self.vec(&m.effects, 1), self.vec(&m.effects, -1));
                flow_out(self, hi, lo, vars.to_vec(), m.next.as_deref(), &m.branches, out);
            }
            Node::Order(o) => {
                let (hi, lo) = (self.vec(&o.effects, 1), self.vec(&o.effects, -1));
                flow_out(self, hi, lo, vars.to_vec(), o.next.as_deref(), &o.branches, out);
            }
            Node::Compose(c) => {
                let (hi, lo) = (self.vec(&c.effects, 1), self.vec(&c.effects, -1));
                flow_out(self, hi, lo, vars.to_vec(), c.next.as_deref(), &c.branches, out);
            }
            Node::Table(t) => {
                let (hi, lo) = (self.vec(&t.effects, 1), self.vec(&t.effects, -1));
                // A table every cell of which is right sets its variable: both ways out.
                if self.exact
                    && let Some(var) = &t.sets
                    && let Some(vi) = self.vars.iter().position(|x| x == var)
                {
                    let mut v = vars.to_vec();
                    v[vi] = 1;
                    let full = self.vec(&t.effects, 0);
                    flow_out(self, full.clone(), full, v, t.next.as_deref(), &t.branches, out);
                }
                flow_out(self, hi, lo, vars.to_vec(), t.next.as_deref(), &t.branches, out);
            }
            Node::Form(f) => {
                let setters: Vec<usize> = if self.exact {
                    f.fields.iter().enumerate().filter(|(_, x)| x.sets.is_some()).map(|(i, _)| i).take(8).collect()
                } else {
                    Vec::new()
                };
                for mask in 0u32..(1 << setters.len()) {
                    let (mut hi, mut lo) = (zero.clone(), zero.clone());
                    let mut v = vars.to_vec();
                    for (i, field) in f.fields.iter().enumerate() {
                        let e = self.vec(&field.effects, 0);
                        match setters.iter().position(|&s| s == i) {
                            Some(bit) if mask & (1 << bit) != 0 => {
                                for k in 0..e.len() {
                                    hi[k] += e[k];
                                    lo[k] += e[k];
                                }
                                if let Some(var) = &field.sets
                                    && let Some(vi) = self.vars.iter().position(|x| x == var)
                                {
                                    v[vi] = 1;
                                }
                            }
                            Some(_) => {}
                            None => {
                                for k in 0..e.len() {
                                    hi[k] += e[k].max(0.0);
                                    lo[k] += e[k].min(0.0);
                                }
                            }
                        }
                    }
                    flow_out(self, hi, lo, v, f.next.as_deref(), &f.branches, out);
                }
            }
            Node::Say(x) => {
                if let Some(t) = &x.timeout {
                    let e = self.vec(&t.effects, 0);
                    let mut v = vars.to_vec();
                    self.set(&mut v, &t.set, &t.add);
                    out.push((e.clone().into(), e.into(), t.next.as_str(), v));
                }
                // Elements and forbidden phrases that change variables change the path: each of
                // them on and off (up to 8); the others add their points to the range. A forbidden
                // phrase that voids the reply takes every element's points away.
                type Setter<'a> = (&'a Effects, Option<&'a String>, Option<(&'a super::ident::IdentMap<super::ident::Value>, &'a super::ident::IdentMap<i64>)>, bool);
                let mut setters: Vec<Setter> = Vec::new();
                let (mut elem_hi, mut elem_lo) = (zero.clone(), zero.clone());
                let (mut hi, mut lo) = (zero.clone(), zero.clone());
                let add_range = |hi: &mut Vec<f64>, lo: &mut Vec<f64>, v: Vec<f64>| {
                    for k in 0..v.len() {
                        hi[k] += v[k].max(0.0);
                        lo[k] += v[k].min(0.0);
                    }
                };
                for e in &x.elements {
                    if self.exact && e.sets.is_some() && setters.len() < 8 {
                        setters.push((&e.effects, e.sets.as_ref(), None, false));
                    } else {
                        add_range(&mut elem_hi, &mut elem_lo, self.vec(&e.effects, 0));
                    }
                }
                let mut any_voids = false;
                for a in &x.avoid {
                    if self.exact && (!a.set.is_empty() || !a.add.is_empty() || a.voids) && setters.len() < 8 {
                        setters.push((&a.effects, None, Some((&a.set, &a.add)), a.voids));
                    } else {
                        any_voids |= a.voids;
                        add_range(&mut hi, &mut lo, self.vec(&a.effects, 0));
                    }
                }
                for mask in 0u32..(1 << setters.len()) {
                    let on = |bit: usize| mask & (1 << bit) != 0;
                    let voided = setters.iter().enumerate().any(|(bit, st)| st.3 && on(bit));
                    // A voided reply finds no element.
                    if voided && setters.iter().enumerate().any(|(bit, st)| st.2.is_none() && on(bit)) {
                        continue;
                    }
                    let (mut h, mut l) = (hi.clone(), lo.clone());
                    if !voided {
                        for k in 0..h.len() {
                            h[k] += elem_hi[k];
                            l[k] += if any_voids { elem_lo[k].min(0.0) } else { elem_lo[k] };
                        }
                    }
                    let mut v = vars.to_vec();
                    for (bit, (effects, var, add, _)) in setters.iter().enumerate() {
                        if !on(bit) {
                            continue;
                        }
                        let e = self.vec(effects, 0);
                        for k in 0..e.len() {
                            h[k] += e[k];
                            l[k] += e[k];
                        }
                        if let Some(var) = var
                            && let Some(vi) = self.vars.iter().position(|x| x == *var)
                        {
                            v[vi] = 1;
                        }
                        if let Some((set, add)) = add {
                            self.set(&mut v, set, add);
                        }
                    }
                    flow_out(self, h, l, v, x.next.as_deref(), &x.branches, out);
                }
            }
            Node::Phone(p) => {
                let rings = (p.max_rings as usize).min(p.by_ring.len()).max(1);
                for r in p.by_ring.iter().take(rings) {
                    let e = self.vec(&r.effects, 0);
                    out.push((e.clone().into(), e.into(), p.next.as_str(), vars.to_vec()));
                }
                let e = self.vec(&p.on_timeout.effects, 0);
                let mut v = vars.to_vec();
                self.set(&mut v, &p.on_timeout.set, &p.on_timeout.add);
                out.push((e.clone().into(), e.into(), p.on_timeout.next.as_str(), v));
            }
            Node::Dial(d) => {
                let ti = self.vars.iter().position(|x| *x == d.tries_var());
                let mut base = vars.to_vec();
                if self.exact
                    && let Some(i) = ti
                {
                    base[i] = base[i].saturating_add(1);
                }
                let last_try = ti.is_some_and(|i| base[i] >= i64::from(d.max_tries));
                // One way out per outcome of the try; a try that does not get through is on
                // `on_fail` instead when it was the last one (either way when conditions are blind).
                let outcome = |ex: &Self, e: Vec<f64>, v: Vec<i64>, next: &'a str, through: bool, out: &mut Vec<Move<'a>>| {
                    if through || !ex.exact || !last_try {
                        out.push((e.clone().into(), e.clone().into(), next, v.clone()));
                    }
                    if !through && (!ex.exact || last_try) {
                        let mut v = v;
                        ex.set(&mut v, &d.on_fail.set, &d.on_fail.add);
                        let f = ex.vec(&d.on_fail.effects, 0);
                        let e: Vec<f64> = e.iter().zip(&f).map(|(a, b)| a + b).collect();
                        out.push((e.clone().into(), e.into(), d.on_fail.next.as_str(), v));
                    }
                };
                for n in &d.numbers {
                    let busy = n.busy.as_ref().filter(|_| d.busy.is_some());
                    let engaged = busy.is_some_and(|c| !self.exact || self.holds(c, &base));
                    let free = busy.is_none_or(|c| !self.exact || !self.holds(c, &base));
                    if let (true, Some(route)) = (engaged, &d.busy) {
                        let mut v = base.clone();
                        self.set(&mut v, &route.set, &route.add);
                        outcome(self, self.vec(&route.effects, 0), v, &route.next, false, out);
                    }
                    if free {
                        let mut v = base.clone();
                        self.set(&mut v, &n.set, &n.add);
                        outcome(self, self.vec(&n.effects, 0), v, &n.next, n.expert, out);
                    }
                }
                let mut v = base.clone();
                self.set(&mut v, &d.otherwise.set, &d.otherwise.add);
                outcome(self, self.vec(&d.otherwise.effects, 0), v, &d.otherwise.next, false, out);
            }
            Node::Ending(_) => {}
        }
    }

    fn intern(&mut self, node: usize, vars: Vec<i64>, queue: &mut Vec<usize>) -> usize {
        let key = (node, if self.exact { vars } else { Vec::new() });
        let id = self.states.len();
        match self.ids.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => *e.get(),
            std::collections::hash_map::Entry::Vacant(e) => {
                self.states.push(e.key().clone());
                e.insert(id);
                self.spans.push((0, 0));
                queue.push(id);
                id
            }
        }
    }

    /// Explore from the start; false when the state cap was hit.
    fn explore(&mut self, start: usize, init: Vec<i64>) -> bool {
        let mut queue = Vec::new();
        let mut moves: Vec<Move<'a>> = Vec::new();
        self.intern(start, init, &mut queue);
        while let Some(s) = queue.pop() {
            if self.states.len() > STATE_CAP {
                return false;
            }
            let node: &'a Node = &self.sc.nodes[self.states[s].0];
            self.moves(self.states[s].0, &self.states[s].1, &mut moves);
            if moves.is_empty() && !matches!(node, Node::Ending(_)) {
                self.stuck.insert(node.id().to_string());
            }
            let first = self.edges.len();
            let option_w = self.option_w.as_ptr().addr();
            for (hi, lo, next, v) in moves.drain(..) {
                if let Some(&ni) = self.index.get(next) {
                    let to = self.intern(ni, v, &mut queue);
                    let w = match hi {
                        // Borrowed only from `option_w`, where best and worst points follow each
                        // other: the edge points there (`weights` starts as a copy of it).
                        Cow::Borrowed(h) => (h.as_ptr().addr() - option_w) / std::mem::size_of::<f64>(),
                        Cow::Owned(h) => {
                            let w = self.weights.len();
                            self.weights.extend_from_slice(&h);
                            self.weights.extend_from_slice(&lo);
                            w
                        }
                    };
                    self.edges.push(Edge { to, w });
                }
            }
            self.spans[s] = (first, self.edges.len());
        }
        true
    }
}

/// The effect keys of a scenario: the 5S dimensions, then its auto criteria.
pub fn effect_keys(sc: &Scenario) -> Vec<String> {
    Dim::ALL
        .iter()
        .map(|d| d.key().to_string())
        .chain(sc.rubric.criteria.iter().filter(|c| c.mode == Mode::Auto).map(|c| c.key.clone()))
        .collect()
}

/// Every variable the scenario declares or uses, sorted.
fn all_vars(sc: &Scenario) -> Vec<String> {
    let mut vars: BTreeSet<String> = sc.variables.keys().map(str::to_string).collect();
    vars.extend(sc.draws.iter().flat_map(|d| d.vars.iter().cloned()));
    let mut conds: Vec<&Cond> = Vec::new();
    for n in &sc.nodes {
        if let Some((_, br)) = n.flow() {
            conds.extend(br.iter().map(|b| &b.when));
        }
        match n {
            Node::Choice(c) => {
                for o in &c.options {
                    conds.extend(o.when.iter());
                    vars.extend(o.set.keys().map(str::to_string));
                    vars.extend(o.add.keys().map(str::to_string));
                }
            }
            Node::Line(l) => vars.extend(l.set.keys().chain(l.add.keys()).map(str::to_string)),
            Node::Dial(d) => {
                vars.insert(d.tries_var());
                for n in &d.numbers {
                    conds.extend(n.busy.iter());
                    vars.extend(n.set.keys().chain(n.add.keys()).map(str::to_string));
                }
                for (r, _) in d.routes() {
                    vars.extend(r.set.keys().chain(r.add.keys()).map(str::to_string));
                }
            }
            Node::Form(f) => vars.extend(f.fields.iter().filter_map(|x| x.sets.clone())),
            Node::Table(t) => vars.extend(t.sets.clone()),
            Node::Say(x) => {
                vars.extend(x.elements.iter().filter_map(|e| e.sets.clone()));
                vars.extend(x.avoid.iter().flat_map(|a| a.set.keys().map(str::to_string)));
                vars.extend(x.avoid.iter().flat_map(|a| a.add.keys().map(str::to_string)));
            }
            _ => {}
        }
    }
    for c in conds {
        vars.extend(c.vars().into_iter().map(str::to_string));
    }
    vars.into_iter().collect()
}

/// Most combinations of random draws the analysis starts from.
const DRAW_CAP: usize = 256;

/// The starting variable values: one per outcome of the scenario's draws (all of them, up to
/// [`DRAW_CAP`]; `true` when there were more).
fn draw_starts(sc: &Scenario, vars: &[String], init: Vec<i64>) -> (Vec<Vec<i64>>, bool) {
    let mut starts = vec![init];
    let mut capped = false;
    for d in &sc.draws {
        let idx: Vec<Option<usize>> = d.vars.iter().map(|v| vars.iter().position(|x| x == v)).collect();
        let n = idx.len();
        let pick = usize::try_from(d.pick).unwrap_or(usize::MAX).min(n);
        // Every subset of `pick` of the n variables, as bit masks (n is small for a draw).
        let masks: Vec<u64> = if n <= 16 { (0u64..(1 << n)).filter(|m| m.count_ones() as usize == pick).collect() } else { vec![(1u64 << pick) - 1] };
        capped |= n > 16;
        let mut next = Vec::new();
        for s in &starts {
            for m in &masks {
                if next.len() >= DRAW_CAP {
                    capped = true;
                    break;
                }
                let mut v = s.clone();
                for (bit, i) in idx.iter().enumerate() {
                    if let Some(i) = i {
                        v[*i] = i64::from(m & (1 << bit) != 0);
                    }
                }
                next.push(v);
            }
        }
        starts = next;
    }
    (starts, capped)
}

/// The state graph with the points reachable on arrival at each state (`hi`/`lo`, flat
/// `states × keys`), for [`ranges`] and [`node_ranges`].
struct Solved<'a> {
    ex: Explorer<'a>,
    keys: Vec<String>,
    approximate: bool,
    comps: Vec<Vec<usize>>,
    comp_of: Vec<usize>,
    hi: Vec<f64>,
    lo: Vec<f64>,
    seen: Vec<bool>,
    unbounded: Vec<(String, String)>,
}

/// Explore the states and compute the points on arrival (`None` without a start node).
/// What the explorer looks up on every state, built once per scenario: node index by id (the
/// first node with an id, as `Scenario::node_index`, with a cheap hash) and every choice
/// option's points (see [`option_points`]).
struct Lookup<'a> {
    index: FxMap<&'a str, usize>,
    option_w: Vec<f64>,
    option_at: Vec<Option<usize>>,
}

impl<'a> Lookup<'a> {
    fn new(sc: &'a Scenario) -> Lookup<'a> {
        let mut index: FxMap<&str, usize> = FxMap::default();
        index.reserve(sc.nodes.len());
        for (i, n) in sc.nodes.iter().enumerate() {
            index.entry(n.id()).or_insert(i);
        }
        let (option_w, option_at) = option_points(sc, &effect_keys(sc));
        Lookup { index, option_w, option_at }
    }
}

fn solve<'a>(sc: &'a Scenario, lookup: &'a Lookup<'a>) -> Option<Solved<'a>> {
    let keys = effect_keys(sc);
    let start = sc.start_id().and_then(|s| sc.node_index(s))?;
    let vars = all_vars(sc);
    let init: Vec<i64> = vars.iter().map(|v| sc.variables.get(v).map_or(0, |x| x.0)).collect();
    // Every outcome of the random draws is a start of its own (at most DRAW_CAP of them).
    let (inits, draws_capped) = draw_starts(sc, &vars, init);
    let index = &lookup.index;
    let (option_w, option_at) = (&lookup.option_w[..], &lookup.option_at[..]);
    let mut ex = Explorer { sc, option_w, option_at, index, keys: keys.clone(), vars, exact: true, states: Vec::new(), ids: FxMap::default(), edges: Vec::new(), spans: Vec::new(), weights: option_w.to_vec(), stuck: BTreeSet::new() };
    let mut approximate = draws_capped;
    if !inits.iter().all(|i| ex.explore(start, i.clone())) {
        approximate = true;
        ex = Explorer { sc, option_w, option_at, index, keys: keys.clone(), vars: ex.vars, exact: false, states: Vec::new(), ids: FxMap::default(), edges: Vec::new(), spans: Vec::new(), weights: option_w.to_vec(), stuck: BTreeSet::new() };
        ex.explore(start, inits[0].clone());
    }
    let sources: Vec<usize> = if ex.exact { inits.iter().filter_map(|i| ex.ids.get(&(start, i.clone())).copied()).collect() } else { vec![0] };
    let n = ex.states.len();
    let k = keys.len();
    let mut reached = vec![false; sc.nodes.len()];
    for (node, _) in &ex.states {
        reached[*node] = true;
    }

    let comps = tarjan(n, &ex);
    let mut comp_of = vec![0usize; n];
    for (ci, c) in comps.iter().enumerate() {
        for &s in c {
            comp_of[s] = ci;
        }
    }
    let mut hi = vec![f64::NEG_INFINITY; n * k];
    let mut lo = vec![f64::INFINITY; n * k];
    let mut seen = vec![false; n];
    for &src in &sources {
        seen[src] = true;
        for x in 0..k {
            hi[src * k + x] = 0.0;
            lo[src * k + x] = 0.0;
        }
    }
    let mut unbounded: Vec<(String, String)> = Vec::new();
    let weights = &ex.weights;
    // Which of the 2k values improved are recorded only when asked (the last Bellman-Ford round).
    let relax = |u: usize, e: &Edge, hi: &mut [f64], lo: &mut [f64], seen: &mut [bool], mut changed: Option<&mut BTreeSet<usize>>| -> bool {
        let mut any = false;
        seen[e.to] = true;
        let (eh, el) = (&weights[e.w..e.w + k], &weights[e.w + k..e.w + 2 * k]);
        for x in 0..k {
            let h = hi[u * k + x] + eh[x];
            if h > hi[e.to * k + x] + 1e-9 {
                hi[e.to * k + x] = h;
                any = true;
                if let Some(c) = changed.as_deref_mut() {
                    c.insert(x);
                }
            }
            let l = lo[u * k + x] + el[x];
            if l < lo[e.to * k + x] - 1e-9 {
                lo[e.to * k + x] = l;
                any = true;
                if let Some(c) = changed.as_deref_mut() {
                    c.insert(k + x);
                }
            }
        }
        any
    };
    // Tarjan yields components sinks-first; walk them from the start.
    for ci in (0..comps.len()).rev() {
        let comp = &comps[ci];
        let looped = comp.len() > 1 || ex.out(comp[0]).iter().any(|e| e.to == comp[0]);
        if looped {
            let mut runaway: BTreeSet<usize> = BTreeSet::new();
            for round in 0..=comp.len() {
                let mut any = false;
                for &u in comp {
                    if !seen[u] {
                        continue;
                    }
                    for e in ex.out(u).iter().filter(|e| comp_of[e.to] == ci) {
                        let last = round == comp.len();
                        if relax(u, e, &mut hi, &mut lo, &mut seen, if last { Some(&mut runaway) } else { None }) {
                            any = true;
                        }
                    }
                }
                if !any {
                    break;
                }
            }
            for w in runaway {
                for &u in comp {
                    if !seen[u] {
                        continue;
                    }
                    if w < k {
                        hi[u * k + w] = f64::INFINITY;
                    } else {
                        lo[u * k + w - k] = f64::NEG_INFINITY;
                    }
                }
                if w < k {
                    let node = sc.nodes[ex.states[comp[0]].0].id().to_string();
                    unbounded.push((keys[w].clone(), node));
                }
            }
        }
        for &u in comp {
            if !seen[u] {
                continue;
            }
            for e in ex.out(u).iter().filter(|e| comp_of[e.to] != ci) {
                relax(u, e, &mut hi, &mut lo, &mut seen, None);
            }
        }
    }

    Some(Solved { ex, keys, approximate, comps, comp_of, hi, lo, seen, unbounded })
}

/// Reachable score ranges. Cheap enough to run on every load.
pub fn ranges(sc: &Scenario) -> Ranges {
    let lookup = Lookup::new(sc);
    summarise(sc, solve(sc, &lookup).as_ref())
}

/// [`Scenario::ranges`] and [`node_ranges`] from one exploration of the states (authoring mode
/// wants both); the ranges are kept with the scenario as `Scenario::ranges` keeps them.
pub fn ranges_and_node_ranges(sc: &Scenario) -> (Arc<Ranges>, NodeRanges) {
    let lookup = Lookup::new(sc);
    let solved = solve(sc, &lookup);
    let ranges = sc.ranges_cell().get_or_init(|| summarise(sc, solved.as_ref()));
    (ranges, per_node(sc, solved.as_ref()))
}

/// A key's name: the 5S principle's, or the rubric criterion's.
pub fn key_name(sc: &Scenario, key: &str) -> Text {
    Dim::from_key(key)
        .map(|d| Text::new(d.name(Lang::Zh), d.name(Lang::En)))
        .or_else(|| sc.rubric.criterion(key).map(|c| c.name.clone()))
        .unwrap_or_else(|| Text::zh(key))
}

fn summarise(sc: &Scenario, solved: Option<&Solved>) -> Ranges {
    let Some(Solved { ex, keys, approximate, hi, lo, seen, unbounded, .. }) = solved else {
        let keys = effect_keys(sc);
        return Ranges { keys: keys.clone(), max: vec![None; keys.len()], min: vec![None; keys.len()], reached: vec![false; sc.nodes.len()], ..Default::default() };
    };
    let (n, k) = (ex.states.len(), keys.len());
    let mut reached = vec![false; sc.nodes.len()];
    for (node, _) in &ex.states {
        reached[*node] = true;
    }
    let endings: Vec<usize> = (0..n).filter(|&s| seen[s] && matches!(sc.nodes[ex.states[s].0], Node::Ending(_))).collect();
    let pick = |arr: &[f64], x: usize, better: fn(f64, f64) -> f64| {
        endings.iter().map(|&s| arr[s * k + x]).reduce(better).and_then(|v| if v.is_finite() { Some(v) } else { None })
    };
    Ranges {
        max: (0..k).map(|x| pick(hi, x, f64::max)).collect(),
        min: (0..k).map(|x| pick(lo, x, f64::min)).collect(),
        keys: keys.clone(),
        states: n,
        approximate: *approximate,
        reached,
        stuck: ex.stuck.iter().cloned().collect(),
        unbounded: unbounded.clone(),
        ending_reachable: !endings.is_empty(),
    }
}

/// The points reachable at every node, per key: earned on arrival (over every state of the node)
/// and still to earn from there to an ending (the same longest and shortest paths, backwards from
/// the endings). For the map's hover; computed only when a map is drawn.
pub fn node_ranges(sc: &Scenario) -> NodeRanges {
    let lookup = Lookup::new(sc);
    per_node(sc, solve(sc, &lookup).as_ref())
}

fn per_node(sc: &Scenario, solved: Option<&Solved>) -> NodeRanges {
    let keys = effect_keys(sc);
    let names: Vec<Text> = keys.iter().map(|key| key_name(sc, key)).collect();
    let (nn, k) = (sc.nodes.len(), keys.len());
    let mut out = NodeRanges { keys, names, so_far_lo: vec![f64::NAN; nn * k], so_far_hi: vec![f64::NAN; nn * k], to_come_lo: vec![f64::NAN; nn * k], to_come_hi: vec![f64::NAN; nn * k] };
    let Some(Solved { ex, comps, comp_of, hi, lo, seen, .. }) = solved else { return out };
    let n = ex.states.len();
    // Backwards: 0 at the endings, then the best and worst of (arrow + what follows).
    let mut up = vec![f64::NEG_INFINITY; n * k];
    let mut down = vec![f64::INFINITY; n * k];
    for s in 0..n {
        if matches!(sc.nodes[ex.states[s].0], Node::Ending(_)) {
            for x in 0..k {
                up[s * k + x] = 0.0;
                down[s * k + x] = 0.0;
            }
        }
    }
    let weights = &ex.weights;
    // Which of the 2k values improved is recorded only when asked (the last round of a loop).
    let pull = |u: usize, e: &Edge, up: &mut [f64], down: &mut [f64], mut changed: Option<&mut BTreeSet<usize>>| -> bool {
        let mut any = false;
        let (eh, el) = (&weights[e.w..e.w + k], &weights[e.w + k..e.w + 2 * k]);
        for x in 0..k {
            let h = up[e.to * k + x] + eh[x];
            if h > up[u * k + x] + 1e-9 {
                up[u * k + x] = h;
                any = true;
                if let Some(c) = changed.as_deref_mut() {
                    c.insert(x);
                }
            }
            let l = down[e.to * k + x] + el[x];
            if l < down[u * k + x] - 1e-9 {
                down[u * k + x] = l;
                any = true;
                if let Some(c) = changed.as_deref_mut() {
                    c.insert(k + x);
                }
            }
        }
        any
    };
    // Sinks first: what follows a component is known before it.
    for (ci, comp) in comps.iter().enumerate() {
        for &u in comp {
            for e in ex.out(u).iter().filter(|e| comp_of[e.to] != ci) {
                pull(u, e, &mut up, &mut down, None);
            }
        }
        let looped = comp.len() > 1 || ex.out(comp[0]).iter().any(|e| e.to == comp[0]);
        if !looped {
            continue;
        }
        // Bellman-Ford inside the loop; what still changes after |comp| rounds has no bound.
        let mut runaway: BTreeSet<usize> = BTreeSet::new();
        for round in 0..=comp.len() {
            let last = round == comp.len();
            let mut any = false;
            for &u in comp {
                for e in ex.out(u).iter().filter(|e| comp_of[e.to] == ci) {
                    any |= pull(u, e, &mut up, &mut down, if last { Some(&mut runaway) } else { None });
                }
            }
            if !any {
                break;
            }
        }
        for w in runaway {
            for &u in comp {
                if w < k {
                    up[u * k + w] = f64::INFINITY;
                } else {
                    down[u * k + w - k] = f64::NEG_INFINITY;
                }
            }
        }
    }
    for (s, (node, _)) in ex.states.iter().enumerate().filter(|(s, _)| seen[*s]) {
        let node = *node;
        for x in 0..k {
            let (i, j) = (node * k + x, s * k + x);
            let merge = |cur: f64, v: f64, better: fn(f64, f64) -> f64| if cur.is_nan() { v } else { better(cur, v) };
            out.so_far_hi[i] = merge(out.so_far_hi[i], hi[j], f64::max);
            out.so_far_lo[i] = merge(out.so_far_lo[i], lo[j], f64::min);
            out.to_come_hi[i] = merge(out.to_come_hi[i], up[j], f64::max);
            out.to_come_lo[i] = merge(out.to_come_lo[i], down[j], f64::min);
        }
    }
    out
}

/// Strongly connected components, iteratively (no recursion limit on big files); sinks first.
fn tarjan(n: usize, ex: &Explorer) -> Vec<Vec<usize>> {
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comps = Vec::new();
    let mut next = 0usize;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if let Some(e) = ex.out(v).get(*ei) {
                let w = e.to;
                *ei += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(p, _)) = call.last() {
                    low[p] = low[p].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comps.push(comp);
                }
            }
        }
    }
    comps
}

/// Whether a form field's expected value can be written (used by validation).
pub fn expected_is_empty(e: &Expected) -> bool {
    match e {
        Expected::Text(alts) => alts.is_empty() || alts.iter().all(|t| t.zh.trim().is_empty()),
        Expected::Number { value, .. } => value.0.trim().is_empty(),
        Expected::Filled => false,
    }
}

/// The reachable points of one key at a node: already earned on arrival, and still to earn
/// from here to an ending (`None` where a loop makes it unbounded or nothing is reachable).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeRange {
    pub key: String,
    pub name: Text,
    pub so_far: (Option<f64>, Option<f64>),
    pub to_come: (Option<f64>, Option<f64>),
}

/// Reachable points at every node, per key: `lo`/`hi` on arrival and still to come, flat
/// arrays of `nodes × keys` (see [`node_ranges`]). Infinite where a loop has no bound;
/// NaN where the node is never reached.
#[derive(Clone, Debug, Default)]
pub struct NodeRanges {
    pub keys: Vec<String>,
    pub names: Vec<Text>,
    pub so_far_lo: Vec<f64>,
    pub so_far_hi: Vec<f64>,
    pub to_come_lo: Vec<f64>,
    pub to_come_hi: Vec<f64>,
}

impl NodeRanges {
    /// The ranges at node `i` (empty when `i` is out of range).
    pub fn at(&self, i: usize) -> Vec<NodeRange> {
        let k = self.keys.len();
        let fin = |v: f64| if v.is_finite() { Some(v) } else { None };
        (0..k)
            .filter_map(|x| {
                let j = i.checked_mul(k)?.checked_add(x)?;
                Some(NodeRange {
                    key: self.keys[x].clone(),
                    name: self.names.get(x).cloned().unwrap_or_else(|| Text::zh(self.keys[x].clone())),
                    so_far: (fin(*self.so_far_lo.get(j)?), fin(*self.so_far_hi.get(j)?)),
                    to_come: (fin(*self.to_come_lo.get(j)?), fin(*self.to_come_hi.get(j)?)),
                })
            })
            .collect()
    }
}
