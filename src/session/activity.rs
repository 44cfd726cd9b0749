//! How each kind of node takes an answer: what it earns and where it leads.

use std::collections::BTreeMap;

use super::{Action, Mark, Session, SessionError, Step, ring_ms};
use crate::scenario::rules::rule_holds;
use crate::scenario::text::{fold_width, normalize};
use crate::scenario::{Effects, Expected, Lang, Node, Rule, Text};

pub(super) fn add_effects(into: &mut BTreeMap<String, f64>, effects: &Effects, scale: f64) {
    for (k, v) in effects.iter() {
        *into.entry(k.to_string()).or_insert(0.0) += f64::from(*v) * scale;
    }
}

fn action_name(a: &Action) -> &'static str {
    match a {
        Action::Continue => "Continue",
        Action::Choose(_) => "Choose",
        Action::Match(_) => "Match",
        Action::Order(_) => "Order",
        Action::Form(_) => "Form",
        Action::Compose(_) => "Compose",
        Action::Say(_) => "Say",
        Action::Table(_) => "Table",
        Action::Pickup => "Pickup",
        Action::Dial(_) => "Dial",
        Action::Timeout => "Timeout",
        Action::Hint => "Hint",
        Action::Retry(_) => "Retry",
    }
}

/// Answer `node` with `action`: the step it earned and the id of the next node.
pub(super) fn answer(s: &mut Session, node: &Node, action: &Action, elapsed_ms: u64) -> Result<(Step, String), SessionError> {
    let id = node.id().to_string();
    let wrong = || SessionError::WrongKind { node: id.clone(), kind: node.kind(), action: action_name(action) };
    let invalid = |reason: String| SessionError::InvalidAnswer { node: id.clone(), reason };
    let mut step = Step::new(id.clone(), node.kind(), action.clone(), elapsed_ms);
    let next = match (node, action) {
        (Node::Line(l), Action::Continue) => {
            s.set_vars(&l.set, &l.add);
            s.follow(l.next.as_deref(), &l.branches)?
        }
        (Node::Choice(c), Action::Choose(opt)) => {
            let Some(o) = c.options.iter().find(|o| &o.id == opt) else {
                return Err(SessionError::UnknownOption { node: id, option: opt.clone() });
            };
            if o.when.as_ref().is_some_and(|w| !s.cond_holds(w)) {
                return Err(SessionError::OptionNotAvailable { node: id, option: opt.clone() });
            }
            add_effects(&mut step.effects, &o.effects, 1.0);
            step.expert = o.expert;
            step.credit = Some(if o.expert { 1.0 } else { 0.0 });
            step.feedback.extend(o.feedback.clone());
            step.answer.push(o.text.clone());
            step.critical.extend(o.critical.clone());
            step.lost = shortfall(best_option(c).map(|b| &b.effects), &step.effects);
            s.set_vars(&o.set, &o.add);
            o.next.clone()
        }
        (Node::Choice(c), Action::Timeout) => {
            let t = timed_out(s, &mut step, c.timeout.as_ref(), elapsed_ms, Text::new("（超时未作答）", "(time ran out)"))?;
            step.lost = shortfall(best_option(c).map(|b| &b.effects), &step.effects);
            t.next.clone()
        }
        (Node::Match(m), Action::Match(pairs)) => {
            let mut placed: BTreeMap<&str, &str> = BTreeMap::new();
            for (item, cat) in pairs {
                if !m.items.iter().any(|i| &i.id == item) {
                    return Err(invalid(format!("no item `{item}`")));
                }
                if !m.categories.iter().any(|c| &c.id == cat) {
                    return Err(invalid(format!("no category `{cat}`")));
                }
                if placed.insert(item, cat).is_some() {
                    return Err(invalid(format!("item `{item}` is placed twice")));
                }
            }
            let mut right = 0usize;
            let cat_text = |cid: &str| m.categories.iter().find(|c| c.id == cid).map(|c| c.text.clone());
            // Rows in the order the student saw the items.
            for item in s.match_order(m).into_iter().map(|i| &m.items[i]) {
                let got = placed.get(item.id.as_str()).copied();
                let ok = got.is_some_and(|g| item.answer.iter().any(|a| a == g));
                let mut notes = Vec::new();
                if ok {
                    right += 1;
                } else {
                    let should = item.answer.first().and_then(|a| cat_text(a)).unwrap_or_default();
                    // The scenario's own explanation goes under the row; the plain "belongs under"
                    // line only into the feedback (the row says it already).
                    notes.extend(item.feedback.clone());
                    step.feedback.push(item.feedback.clone().unwrap_or_else(|| {
                        Text::new(format!("「{}」应归入「{}」。", item.text.zh, should.zh), format!("“{}” belongs under “{}”.", item.text.get(Lang::En), should.get(Lang::En)))
                    }));
                }
                if let Some(g) = got.and_then(cat_text) {
                    step.answer.push(Text {
                        zh: format!("{} → {}", item.text.zh, g.zh),
                        en: Some(format!("{} → {}", item.text.get(Lang::En), g.get(Lang::En))),
                    });
                }
                let answers: Vec<Text> = item.answer.iter().filter_map(|a| cat_text(a)).collect();
                step.marks.push(Mark {
                    id: item.id.clone(),
                    label: item.text.clone(),
                    given: got.and_then(cat_text).unwrap_or_else(|| Text::new("（没有归类）", "(not placed)")),
                    right: ok,
                    expected: join_texts(&answers, "／", " / "),
                    notes,
                });
            }
            let credit = ratio(right, m.items.len());
            finish_activity(&mut step, &m.effects, credit, m.feedback.as_ref());
            s.follow(m.next.as_deref(), &m.branches)?
        }
        (Node::Order(o), Action::Order(ids)) => {
            let mut positions = Vec::with_capacity(ids.len());
            for id in ids {
                let Some(p) = o.steps.iter().position(|st| &st.id == id) else {
                    return Err(invalid(format!("no step `{id}`")));
                };
                if positions.contains(&p) {
                    return Err(invalid(format!("step `{id}` is listed twice")));
                }
                positions.push(p);
            }
            if positions.len() != o.steps.len() {
                return Err(invalid(format!("{} of {} steps ordered", positions.len(), o.steps.len())));
            }
            let credit = ratio(longest_increasing(&positions), o.steps.len());
            // The steps off the longest run in the right relative order are the ones to move:
            // as many as the credit lost.
            let kept = increasing_members(&positions);
            for (at, &p) in positions.iter().enumerate() {
                step.answer.push(o.steps[p].text.clone());
                step.marks.push(Mark {
                    id: o.steps[p].id.clone(),
                    label: o.steps[p].text.clone(),
                    given: place(at),
                    right: kept[at],
                    expected: place(p),
                    notes: Vec::new(),
                });
            }
            if credit < 1.0 {
                let zh: Vec<&str> = o.steps.iter().map(|st| st.text.zh.as_str()).collect();
                let en: Vec<&str> = o.steps.iter().map(|st| st.text.get(crate::scenario::Lang::En)).collect();
                let right_order = Text::new(format!("正确顺序：{}", zh.join(" → ")), format!("The right order: {}", en.join(" → ")));
                step.feedback.push(right_order.clone());
                step.summary.push(right_order);
            }
            finish_activity(&mut step, &o.effects, credit, o.feedback.as_ref());
            s.follow(o.next.as_deref(), &o.branches)?
        }
        (Node::Form(f), Action::Form(values)) => {
            for (fid, _) in values {
                if !f.fields.iter().any(|x| &x.id == fid) {
                    return Err(invalid(format!("no field `{fid}`")));
                }
            }
            let written_of = |fid: &str| values.iter().find(|(k, _)| k == fid).map_or("", |(_, v)| v.as_str());
            // The same text pasted into several fields earns nothing (unless it is exactly what
            // that field expects).
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for field in &f.fields {
                let n = normalize(written_of(&field.id));
                if !n.is_empty() {
                    *seen.entry(n).or_insert(0) += 1;
                }
            }
            let mut right = 0usize;
            for field in &f.fields {
                let written = written_of(&field.id);
                let verdict = field_verdict(s, field, written, &seen);
                step.answer.push(Text::new(format!("{}：{}", field.label.zh, written), format!("{}: {}", field.label.get(crate::scenario::Lang::En), written)));
                let mut mark = Mark {
                    id: field.id.clone(),
                    label: field.label.clone(),
                    given: if normalize(written).is_empty() { Text::new("（没填）", "(left empty)") } else { Text::zh(written.trim()) },
                    right: verdict == FieldVerdict::Right,
                    expected: expected_text(s, &field.expected),
                    notes: Vec::new(),
                };
                if verdict == FieldVerdict::Right {
                    right += 1;
                    add_effects(&mut step.effects, &field.effects, 1.0);
                    if let Some(var) = &field.sets {
                        s.vars.insert(var.clone(), 1);
                    }
                } else {
                    add_effects(&mut step.lost, &field.effects, 1.0);
                    step.critical.extend(field.critical.clone());
                    let label = (&field.label.zh, field.label.get(crate::scenario::Lang::En));
                    let why = match verdict {
                        FieldVerdict::Pasted => Some(Text::new(
                            format!("「{}」和别的栏目填了同样的文字，不算记录：每一栏要写它自己的内容。", label.0),
                            format!("“{}” holds the same text as another field, which does not count: each field needs its own fact.", label.1),
                        )),
                        FieldVerdict::TooLong => Some(Text::new(
                            format!("「{}」写得太长（最多 {} 个字），记关键信息即可。", label.0, field.max_chars()),
                            format!("“{}” is too long (at most {} characters): note the key fact.", label.1, field.max_chars()),
                        )),
                        FieldVerdict::Contradicts => Some(Text::new(
                            format!("「{}」里写了错误的内容，即使也写了对的，也不能算记对。", label.0),
                            format!("“{}” contains a wrong answer; writing the right one beside it does not make it right.", label.1),
                        )),
                        _ => None,
                    };
                    mark.notes.extend(why.clone());
                    mark.notes.extend(field.feedback.clone());
                    step.feedback.extend(why);
                    step.feedback.push(field.feedback.clone().unwrap_or_else(|| {
                        let exp = expected_text(s, &field.expected);
                        Text::new(
                            format!("「{}」没有记对，应为：{}", field.label.zh, exp.zh),
                            format!("“{}” was not noted right; it should be: {}", field.label.get(crate::scenario::Lang::En), exp.get(crate::scenario::Lang::En)),
                        )
                    }));
                }
                step.marks.push(mark);
            }
            step.credit = Some(ratio(right, f.fields.len()));
            step.expert = right == f.fields.len();
            step.feedback.extend(f.feedback.clone());
            step.summary.extend(f.feedback.clone());
            s.follow(f.next.as_deref(), &f.branches)?
        }
        (Node::Compose(c), Action::Compose(ids)) => {
            let mut chosen = Vec::with_capacity(ids.len());
            for pid in ids {
                let Some(p) = c.phrases.iter().find(|p| &p.id == pid) else {
                    return Err(invalid(format!("no phrase `{pid}`")));
                };
                if chosen.iter().any(|q: &&crate::scenario::Phrase| q.id == p.id) {
                    return Err(invalid(format!("phrase `{pid}` is used twice")));
                }
                chosen.push(p);
            }
            let n = u32::try_from(chosen.len()).unwrap_or(u32::MAX);
            if n < c.min_phrases || c.max_phrases.is_some_and(|m| n > m) {
                return Err(invalid(format!("{n} phrases chosen; allowed {}-{}", c.min_phrases, c.max_phrases.map_or("∞".into(), |m| m.to_string()))));
            }
            let text = compose_text(s, &chosen);
            let mut kept = 0usize;
            for (i, rule) in c.rules.iter().enumerate() {
                let holds = rule_holds(rule, &chosen, &text);
                if holds {
                    kept += 1;
                } else {
                    step.feedback.push(rule.feedback().clone());
                    step.critical.extend(rule.critical().cloned());
                }
                let (given, expected) = rule_mark(rule, c, &chosen, &text, holds);
                step.marks.push(Mark {
                    id: format!("rule{}", i + 1),
                    label: rule.feedback().clone(),
                    given,
                    right: holds,
                    expected,
                    notes: Vec::new(),
                });
            }
            step.answer.push(Text {
                zh: chosen.iter().map(|p| p.text.zh.as_str()).collect::<Vec<_>>().join(""),
                en: Some(chosen.iter().map(|p| p.text.get(crate::scenario::Lang::En)).collect::<Vec<_>>().join(" ")),
            });
            let credit = ratio(kept, c.rules.len());
            finish_activity(&mut step, &c.effects, credit, c.feedback.as_ref());
            s.follow(c.next.as_deref(), &c.branches)?
        }
        (Node::Say(x), Action::Timeout) => {
            let t = timed_out(s, &mut step, x.timeout.as_ref(), elapsed_ms, Text::new("（超时没有说话）", "(time ran out; nothing said)"))?;
            for e in &x.elements {
                add_effects(&mut step.lost, &e.effects, 1.0);
            }
            t.next.clone()
        }
        (Node::Say(x), Action::Say(reply)) => {
            super::say::answer(s, x, reply, &mut step);
            s.follow(x.next.as_deref(), &x.branches)?
        }
        (Node::Table(t), Action::Table(cells)) => {
            let credit = super::table::answer(t, cells, &mut step).map_err(invalid)?;
            finish_activity(&mut step, &t.effects, credit, t.feedback.as_ref());
            if step.expert
                && let Some(var) = &t.sets
            {
                s.vars.insert(var.clone(), 1);
            }
            s.follow(t.next.as_deref(), &t.branches)?
        }
        (Node::Phone(p), Action::Pickup | Action::Timeout) => {
            let ring = u32::try_from(elapsed_ms / ring_ms(p.ring_seconds)).unwrap_or(u32::MAX).saturating_add(1);
            if *action == Action::Timeout || ring > p.max_rings {
                let limit = ring_ms(p.ring_seconds).saturating_mul(u64::from(p.max_rings));
                if elapsed_ms < limit {
                    return Err(SessionError::TooEarly { node: id, elapsed_ms, limit_ms: limit });
                }
                let t = &p.on_timeout;
                add_effects(&mut step.effects, &t.effects, 1.0);
                step.timed_out = true;
                step.credit = Some(0.0);
                step.feedback.extend(t.feedback.clone());
                step.answer.push(Text::new("（电话无人接听，对方挂断）", "(nobody answered; the caller hung up)"));
                step.critical.extend(t.critical.clone());
                step.lost = shortfall(best_ring(p), &step.effects);
                s.set_vars(&t.set, &t.add);
                t.next.clone()
            } else {
                let idx = (ring as usize - 1).min(p.by_ring.len().saturating_sub(1));
                let mut expert = idx == 0;
                if let Some(score) = p.by_ring.get(idx) {
                    add_effects(&mut step.effects, &score.effects, 1.0);
                    step.feedback.extend(score.feedback.clone());
                    step.critical.extend(score.critical.clone());
                    expert = score.expert.unwrap_or(idx == 0);
                }
                step.lost = shortfall(best_ring(p), &step.effects);
                step.expert = expert;
                step.credit = Some(if expert { 1.0 } else { 0.0 });
                step.answer.push(Text::new(format!("第 {ring} 声铃响时接起"), format!("answered on ring {ring}")));
                p.next.clone()
            }
        }
        (Node::Dial(d), Action::Dial(typed)) => dial(s, d, typed, &mut step)?,
        (Node::Ending(_), _) => return Err(SessionError::Ended),
        _ => return Err(wrong()),
    };
    Ok((step, next))
}

/// A number dialled at a `Dial` node: the try counted, then the number's route (or the busy
/// route, or `otherwise`), and `on_fail` on the last try that got through to no expert number.
fn dial(s: &mut Session, d: &crate::scenario::Dial, typed: &str, step: &mut Step) -> Result<String, SessionError> {
    let invalid = |reason: String| SessionError::InvalidAnswer { node: d.id.clone(), reason };
    let Some(number) = crate::scenario::normalize_number(typed) else {
        return Err(invalid(if typed.trim().is_empty() { "no number dialled".into() } else { format!("`{typed}` is not a phone number (digits only)") }));
    };
    let digits = u32::try_from(number.chars().count()).unwrap_or(u32::MAX);
    if digits > d.max_digits() {
        return Err(invalid(format!("`{number}` is longer than {} digits", d.max_digits())));
    }
    // Tries before this one that dialled anything but an expert number (an engaged expert
    // number is no mistake).
    let wrong_before = s
        .log
        .iter()
        .filter(|e| e.node == d.id)
        .filter_map(|e| match e.action.inner() {
            Action::Dial(t) if !matches!(e.action, Action::Retry(_)) => Some(t),
            _ => None,
        })
        .any(|t| crate::scenario::normalize_number(t).and_then(|n| d.number(&n)).is_none_or(|n| !n.expert));
    let var = d.tries_var();
    let tries = s.vars.get(&var).copied().unwrap_or(0).saturating_add(1);
    s.vars.insert(var, tries);
    let best = d.numbers.iter().find(|n| n.expert).map(|n| &n.effects);
    let listed = d.number(&number);
    let label = |n: &str| d.directory.iter().find(|l| crate::scenario::normalize_number(&l.number.0).as_deref() == Some(n)).map(|l| l.label.clone());
    let said = |what: Text| {
        let who = label(&number).map(|l| Text::new(format!("（{}）", l.zh), format!(" ({})", l.get(Lang::En)))).unwrap_or_default();
        Text::new(format!("拨 {number}{}：{}", who.zh, what.zh), format!("dialled {number}{}: {}", who.en.as_deref().unwrap_or(""), what.get(Lang::En)))
    };
    let take = |s: &mut Session, step: &mut Step, r: &crate::scenario::Route| {
        add_effects(&mut step.effects, &r.effects, 1.0);
        step.feedback.extend(r.feedback.clone());
        step.critical.extend(r.critical.clone());
        s.set_vars(&r.set, &r.add);
    };
    let busy = listed.filter(|n| n.busy.as_ref().is_some_and(|c| s.cond_holds(c)));
    let (mut next, through) = match (listed, busy, &d.busy) {
        (Some(n), Some(_), Some(route)) => {
            take(s, step, route);
            step.expert = n.expert;
            step.answer.push(said(Text::new("占线", "engaged")));
            (route.next.clone(), false)
        }
        (Some(n), _, _) => {
            add_effects(&mut step.effects, &n.effects, 1.0);
            step.feedback.extend(n.feedback.clone());
            step.critical.extend(n.critical.clone());
            s.set_vars(&n.set, &n.add);
            step.expert = n.expert && !wrong_before;
            step.answer.push(said(if n.expert { Text::new("接通", "through") } else { Text::new("接通（打错了人）", "through (the wrong person)") }));
            (n.next.clone(), n.expert)
        }
        (None, _, _) => {
            take(s, step, &d.otherwise);
            step.answer.push(said(Text::new("空号", "no such number")));
            (d.otherwise.next.clone(), false)
        }
    };
    step.credit = Some(if step.expert { 1.0 } else { 0.0 });
    // An engaged expert number loses nothing: the right call, at the wrong moment.
    if !(busy.is_some() && listed.is_some_and(|n| n.expert)) {
        step.lost = shortfall(best, &step.effects);
    }
    if !through && tries >= i64::from(d.max_tries) {
        take(s, step, &d.on_fail);
        step.answer.push(Text::new(format!("第 {tries} 次仍没有打通"), format!("try {tries}, still not through")));
        next = d.on_fail.next.clone();
        step.lost = shortfall(best, &step.effects);
    }
    Ok(next)
}

/// A countdown ran out at a node: the timeout's points, feedback, critical error and variables
/// on the step (`None`: the node has no countdown; too early: refused).
fn timed_out<'a>(s: &mut Session, step: &mut Step, timeout: Option<&'a crate::scenario::Timeout>, elapsed_ms: u64, said: Text) -> Result<&'a crate::scenario::Timeout, SessionError> {
    let t = timeout.ok_or_else(|| SessionError::NoTimeout { node: step.node.clone() })?;
    let limit = u64::from(t.seconds) * 1000;
    if elapsed_ms < limit {
        return Err(SessionError::TooEarly { node: step.node.clone(), elapsed_ms, limit_ms: limit });
    }
    add_effects(&mut step.effects, &t.effects, 1.0);
    step.timed_out = true;
    step.credit = Some(0.0);
    step.feedback.extend(t.feedback.clone());
    step.answer.push(said);
    step.critical.extend(t.critical.clone());
    s.set_vars(&t.set, &t.add);
    Ok(t)
}

fn finish_activity(step: &mut Step, effects: &Effects, credit: f64, general: Option<&Text>) {
    add_effects(&mut step.effects, effects, credit);
    add_effects(&mut step.lost, effects, 1.0 - credit);
    step.credit = Some(credit);
    step.expert = credit >= 1.0;
    step.feedback.extend(general.cloned());
    step.summary.extend(general.cloned());
}

/// "第3步" / "step 3" for the 0-based place `i`.
fn place(i: usize) -> Text {
    Text::new(format!("第{}步", i + 1), format!("step {}", i + 1))
}

/// Texts joined, each language with its own separator.
fn join_texts(texts: &[Text], zh: &str, en: &str) -> Text {
    Text {
        zh: texts.iter().map(|t| t.zh.as_str()).collect::<Vec<_>>().join(zh),
        en: Some(texts.iter().map(|t| t.get(Lang::En)).collect::<Vec<_>>().join(en)),
    }
}

/// Phrases in quotes, joined: 「A」「B」 / “A” “B”.
fn quoted(phrases: &[&crate::scenario::Phrase]) -> Text {
    Text {
        zh: phrases.iter().map(|p| format!("「{}」", p.text.zh)).collect(),
        en: Some(phrases.iter().map(|p| format!("“{}”", p.text.get(Lang::En))).collect::<Vec<_>>().join(" ")),
    }
}

/// Phrases as alternatives: 「A」或「B」 / “A” or “B”.
fn or_texts(phrases: &[&crate::scenario::Phrase]) -> Text {
    Text {
        zh: phrases.iter().map(|p| format!("「{}」", p.text.zh)).collect::<Vec<_>>().join("或"),
        en: Some(phrases.iter().map(|p| format!("“{}”", p.text.get(Lang::En))).collect::<Vec<_>>().join(" or ")),
    }
}

/// The phrases of `ps` with one of `tags`.
fn tagged<'a>(ps: &[&'a crate::scenario::Phrase], tags: &[String]) -> Vec<&'a crate::scenario::Phrase> {
    ps.iter().copied().filter(|p| p.tags.iter().any(|t| tags.contains(t))).collect()
}

/// What a compose rule's row shows: what the student's phrases did about it, and what it wants.
fn rule_mark(rule: &Rule, c: &crate::scenario::Compose, chosen: &[&crate::scenario::Phrase], text: &str, holds: bool) -> (Text, Text) {
    let all: Vec<&crate::scenario::Phrase> = c.phrases.iter().collect();
    let none = || Text::new("（没有）", "(none)");
    let or_none = |ps: Vec<&crate::scenario::Phrase>| if ps.is_empty() { none() } else { quoted(&ps) };
    match rule {
        Rule::Require { tags, .. } => {
            let want = or_texts(&tagged(&all, tags));
            (or_none(tagged(chosen, tags)), Text::new(format!("用上{}", want.zh), format!("use {}", want.get(Lang::En))))
        }
        Rule::Forbid { tags, .. } => {
            let bad = quoted(&tagged(&all, tags));
            (or_none(tagged(chosen, tags)), Text::new(format!("不用{}", bad.zh), format!("leave out {}", bad.get(Lang::En))))
        }
        Rule::Before { first, then, .. } => {
            let (f, t) = (tagged(chosen, first), tagged(chosen, then));
            let given = if holds {
                let mut both: Vec<&crate::scenario::Phrase> = f.clone();
                both.extend(t.iter().copied().filter(|p| !f.iter().any(|q| q.id == p.id)));
                or_none(both)
            } else {
                // The phrases in the order the student put them.
                quoted(&chosen.iter().copied().filter(|p| f.iter().chain(&t).any(|q| q.id == p.id)).collect::<Vec<_>>())
            };
            let (fa, ta) = (or_texts(&tagged(&all, first)), or_texts(&tagged(&all, then)));
            (given, Text::new(format!("先{}，再{}", fa.zh, ta.zh), format!("first {}, then {}", fa.get(Lang::En), ta.get(Lang::En))))
        }
        Rule::Avoid { words, .. } => {
            let got = normalize(text);
            let list: Vec<String> = if words.is_empty() {
                crate::scenario::NEGATIVE_LANGUAGE.iter().map(|w| w.to_string()).collect()
            } else {
                words.iter().flat_map(|w| w.all().map(str::to_string).collect::<Vec<_>>()).collect()
            };
            let found: Vec<&String> = list.iter().filter(|w| {
                let n = normalize(w);
                !n.is_empty() && got.contains(&n)
            }).collect();
            let given = if found.is_empty() { none() } else { Text::zh(found.iter().map(|w| format!("「{w}」")).collect::<String>()) };
            let shown: Vec<String> = words.iter().map(|w| w.zh.clone()).collect();
            let expected = if words.is_empty() {
                Text::new("不说负面语言（我不能、不归我管、没办法……）", "no negative language (“I can't”, “not my department”…)")
            } else {
                Text::new(
                    format!("不说{}", shown.iter().map(|w| format!("「{w}」")).collect::<String>()),
                    format!("never say {}", words.iter().map(|w| format!("“{}”", w.get(Lang::En))).collect::<Vec<_>>().join(" or ")),
                )
            };
            (given, expected)
        }
    }
}

/// The expert option of a choice, else the one giving the most points.
fn best_option(c: &crate::scenario::Choice) -> Option<&crate::scenario::ChoiceOption> {
    c.options.iter().find(|o| o.expert).or_else(|| c.options.iter().max_by_key(|o| o.effects.iter().map(|(_, v)| i64::from(*v)).sum::<i64>()))
}

/// The effects of the expert ring of a phone (the first marked expert, else ring 1).
fn best_ring(p: &crate::scenario::Phone) -> Option<&Effects> {
    p.by_ring
        .iter()
        .enumerate()
        .find(|(i, r)| r.expert.unwrap_or(*i == 0))
        .or_else(|| p.by_ring.first().map(|r| (0, r)))
        .map(|(_, r)| &r.effects)
}

/// Per key, how far `got` falls short of `best` (never negative; a penalty counts as lost).
fn shortfall(best: Option<&Effects>, got: &BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    let mut want: BTreeMap<String, f64> = BTreeMap::new();
    if let Some(b) = best {
        add_effects(&mut want, b, 1.0);
    }
    let mut out = BTreeMap::new();
    for k in want.keys().chain(got.keys()) {
        let d = want.get(k).copied().unwrap_or(0.0).max(0.0) - got.get(k).copied().unwrap_or(0.0);
        if d > 1e-9 {
            out.insert(k.clone(), d);
        }
    }
    out
}

/// The text a list of phrases makes, in both languages, for `Avoid` rules.
pub fn compose_text(s: &Session, chosen: &[&crate::scenario::Phrase]) -> String {
    let zh: String = chosen.iter().map(|p| s.render(&p.text, crate::scenario::Lang::Zh)).collect();
    let en: Vec<String> = chosen.iter().filter(|p| p.text.en.is_some()).map(|p| s.render(&p.text, crate::scenario::Lang::En)).collect();
    format!("{zh}\n{}", en.join(" "))
}

pub(super) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Length of the longest increasing subsequence: steps already in the right relative order.
fn longest_increasing(xs: &[usize]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &x in xs {
        match tails.binary_search(&x) {
            Ok(_) => {}
            Err(i) if i == tails.len() => tails.push(x),
            Err(i) => tails[i] = x,
        }
    }
    tails.len()
}

/// Which entries of `xs` lie on one longest increasing run (the steps already in the right
/// relative order). Among runs of that length, the one with the most steps in their exact place
/// (so the steps already where they belong are never the ones marked), then the earliest.
fn increasing_members(xs: &[usize]) -> Vec<bool> {
    let n = xs.len();
    // best[i] = (length, exact places) of the best run ending at i; prev[i] its previous entry.
    let mut best: Vec<(usize, usize)> = vec![(0, 0); n];
    let mut prev: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let exact = usize::from(xs[i] == i);
        best[i] = (1, exact);
        for j in 0..i {
            if xs[j] < xs[i] {
                let cand = (best[j].0 + 1, best[j].1 + exact);
                if cand > best[i] {
                    best[i] = cand;
                    prev[i] = Some(j);
                }
            }
        }
    }
    let mut on = vec![false; n];
    let mut at = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i)));
    while let Some(i) = at {
        on[i] = true;
        at = prev[i];
    }
    on
}

/// The number a student wrote: the first Arabic number (with a minus sign right before it), or,
/// when there is none, the first Chinese numeral (三天, 两百, 十五, 二十一).
fn first_number(s: &str) -> Option<f64> {
    let s = fold_width(s).replace([' ', ','], "");
    if let Some(start) = s.find(|c: char| c.is_ascii_digit()) {
        let num: String = s[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let value: f64 = num.trim_end_matches('.').parse().ok()?;
        let negative = s[..start].ends_with(['-', '−', '负']);
        return Some(if negative { -value } else { value });
    }
    chinese_number(&s)
}

/// The number a student's answer gives: with working shown ("71-6+4=69") the part after the last
/// `=`; an arithmetic expression ("71-6+4", "2000×40%") worked out; otherwise the first number.
pub(crate) fn answer_number(written: &str) -> Option<f64> {
    let folded = fold_width(written).replace(['×', '＊'], "*").replace(['÷', '／'], "/").replace(['（'], "(").replace(['）'], ")").replace([',', ' '], "");
    let tail = folded.rsplit('=').next().unwrap_or(&folded);
    let expr: String = tail
        .trim_start_matches(|c: char| !(c.is_ascii_digit() || c == '(' || c == '-'))
        .chars()
        .take_while(|c| c.is_ascii_digit() || "+-*/().%".contains(*c))
        .collect();
    let has_operator = expr.char_indices().any(|(i, c)| i > 0 && "+-*/".contains(c));
    if has_operator && let Some(v) = evaluate(&expr) {
        return Some(v);
    }
    first_number(tail)
}

/// An arithmetic expression of numbers, + - * / %, and parentheses, by the shunting-yard
/// algorithm (no recursion); `None` when it is not one.
fn evaluate(expr: &str) -> Option<f64> {
    let chars: Vec<char> = expr.chars().collect();
    let mut values: Vec<f64> = Vec::new();
    let mut ops: Vec<char> = Vec::new();
    let prec = |op: char| if op == '+' || op == '-' { 1 } else { 2 };
    let apply = |values: &mut Vec<f64>, op: char| -> Option<()> {
        let b = values.pop()?;
        let a = values.pop()?;
        values.push(crate::scenario::formula::arith(a, op, b)?);
        Some(())
    };
    let mut i = 0;
    let mut expect_value = true;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || (c == '-' && expect_value && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let mut v: f64 = chars[start..i].iter().collect::<String>().parse().ok()?;
            if chars.get(i) == Some(&'%') {
                v /= 100.0;
                i += 1;
            }
            values.push(v);
            expect_value = false;
            continue;
        }
        match c {
            '(' if expect_value => ops.push('('),
            ')' if !expect_value => {
                while let Some(op) = ops.pop() {
                    if op == '(' {
                        break;
                    }
                    apply(&mut values, op)?;
                }
            }
            '+' | '-' | '*' | '/' if !expect_value => {
                while let Some(&top) = ops.last() {
                    if top != '(' && prec(top) >= prec(c) {
                        ops.pop();
                        apply(&mut values, top)?;
                    } else {
                        break;
                    }
                }
                ops.push(c);
                expect_value = true;
            }
            _ => return None,
        }
        i += 1;
    }
    while let Some(op) = ops.pop() {
        if op == '(' {
            return None;
        }
        apply(&mut values, op)?;
    }
    (values.len() == 1 && !expect_value).then(|| values[0]).filter(|v| v.is_finite())
}

fn chinese_digit(c: char) -> Option<u64> {
    "零一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u64).or(if c == '两' { Some(2) } else { None })
}

/// The first run of Chinese numerals up to the thousands: 三 → 3, 十五 → 15, 两百零五 → 205.
fn chinese_number(s: &str) -> Option<f64> {
    let is_num = |c: char| chinese_digit(c).is_some() || "十百千".contains(c);
    let start = s.find(is_num)?;
    let run: Vec<char> = s[start..].chars().take_while(|&c| is_num(c)).collect();
    let (mut total, mut digit) = (0u64, None::<u64>);
    for c in run {
        if let Some(d) = chinese_digit(c) {
            digit = Some(d);
        } else {
            let unit = match c {
                '十' => 10,
                '百' => 100,
                _ => 1000,
            };
            total = total.saturating_add(digit.unwrap_or(1) * unit);
            digit = None;
        }
    }
    Some(total.saturating_add(digit.unwrap_or(0)) as f64)
}

/// `got` contains `want`, and not only right after a negation: “不易碎” does not say “易碎”, and
/// “不是1号门” does not say “1号门” (a negation among the two characters before).
fn contains_unnegated(got: &str, want: &str) -> bool {
    !want.is_empty()
        && got.match_indices(want).any(|(i, _)| !got[..i].chars().rev().take(2).any(|c| matches!(c, '不' | '没' | '无' | '非' | '未' | '别')))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldVerdict {
    Right,
    Wrong,
    /// Contains one of the field's `wrong` answers.
    Contradicts,
    TooLong,
    /// The same text is in another field too.
    Pasted,
}

fn field_verdict(s: &Session, field: &crate::scenario::Field, written: &str, seen: &BTreeMap<String, usize>) -> FieldVerdict {
    let got = normalize(written);
    if got.is_empty() {
        return FieldVerdict::Wrong;
    }
    if u32::try_from(written.trim().chars().count()).unwrap_or(u32::MAX) > field.max_chars() {
        return FieldVerdict::TooLong;
    }
    // Every accepted form of the values (a time written "9:30" or "9点半").
    let render = |a: &str| s.renderings(a).iter().map(|r| normalize(r)).collect::<Vec<_>>();
    if field.wrong.iter().any(|t| t.all().any(|a| render(a).iter().any(|w| contains_unnegated(&got, w)))) {
        return FieldVerdict::Contradicts;
    }
    if seen.get(&got).copied().unwrap_or(0) > 1 {
        let exact = match &field.expected {
            Expected::Text(alts) => alts.iter().any(|t| t.all().any(|a| render(a).contains(&got))),
            // A bare number with at most a short unit (“3”, “3天”, “3件”) is no pasted sentence.
            Expected::Number { .. } => got.chars().filter(|c| !c.is_ascii_digit() && *c != '.').count() <= 2 && field_matches(s, &field.expected, written),
            Expected::Filled => false,
        };
        if !exact {
            return FieldVerdict::Pasted;
        }
    }
    if field_matches(s, &field.expected, written) { FieldVerdict::Right } else { FieldVerdict::Wrong }
}

fn field_matches(s: &Session, expected: &Expected, written: &str) -> bool {
    let got = normalize(written);
    match expected {
        Expected::Filled => !got.is_empty(),
        Expected::Text(alts) => {
            !got.is_empty()
                && alts.iter().any(|alt| {
                    alt.all().any(|a| s.renderings(a).iter().any(|w| text_matches(written, w)))
                })
        }
        Expected::Number { value, tolerance, also, compare } => {
            let Some(got) = answer_number(written) else { return false };
            let tol = tolerance.abs() + 1e-9;
            std::iter::once(value).chain(also).flat_map(|v| s.renderings(&v.0)).any(|want| {
                first_number(&want).is_some_and(|w| match compare {
                    crate::scenario::Compare::Equal => (w - got).abs() <= tol,
                    crate::scenario::Compare::AtMost => got <= w + tol,
                    crate::scenario::Compare::AtLeast => got >= w - tol,
                })
            })
        }
    }
}

/// A written answer says an expected text (placeholders filled in): it contains it, not right
/// after a negation; or it names the same numbers with at most the expected text's own words
/// around them ("1 and 2", "1、2号", "一和二" for “1号门和2号门”); or it is the leading part of a
/// longer expected text without digits, at least 4 characters and two thirds of it, ending at a
/// word ("医疗设备" for “医疗设备配件”, "medical equipment" for “medical equipment parts”).
/// Never more than the expected text: a sentence with the answer and something else in it
/// counts only by containing it, and the field's `wrong` answers are checked before.
pub(super) fn text_matches(written: &str, want: &str) -> bool {
    let (got, w) = (normalize(written), normalize(want));
    if got.is_empty() || w.is_empty() {
        return false;
    }
    contains_unnegated(&got, &w) || same_numbers(written, want) || is_head(written, want) || same_time(written, want)
}

/// The expected text names a time of day and the answer says it in another way: 9:30, 09:30,
/// 9点30, 9点半 and 九点半 are one time (the typed replies' canonical form, [`crate::scenario::reply::canon`]:
/// hours on a 12-hour dial, so 21:30 is 9点30 too).
fn same_time(written: &str, want: &str) -> bool {
    let w = crate::scenario::reply::canon_text(want);
    let chars: Vec<char> = w.chars().collect();
    let has_time = chars.windows(2).any(|p| p[0].is_ascii_digit() && p[1] == '点');
    has_time && contains_unnegated(&crate::scenario::reply::canon_text(written), &w)
}

/// One piece of a short answer: a number, a word (a Latin word or one CJK character).
#[derive(Debug, PartialEq)]
enum Token {
    Number(u64),
    Word(String),
}

/// Split an answer into numbers and words; joining words (and, 和, 与, 及, 、, commas…) and
/// punctuation are left out. Chinese numerals count as numbers (一号门 → 1, 号, 门).
fn tokens(s: &str) -> Vec<Token> {
    let s: String = fold_width(s).chars().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let is_cn_num = |c: char| chinese_digit(c).is_some() || "十百千".contains(c);
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            out.push(Token::Number(digits.parse().unwrap_or(u64::MAX)));
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if !matches!(word.as_str(), "and" | "or") {
                // “gates” and “gate” are the same word here.
                let word = if word.len() > 3 && word.ends_with('s') { word[..word.len() - 1].to_string() } else { word };
                out.push(Token::Word(word));
            }
        } else if is_cn_num(c) {
            let start = i;
            while i < chars.len() && is_cn_num(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            if run.chars().count() > 1 && run.chars().all(|c| chinese_digit(c).is_some()) {
                // 一二号门: gates one and two, not twelve.
                out.extend(run.chars().filter_map(chinese_digit).map(Token::Number));
            } else {
                out.push(Token::Number(chinese_number(&run).map_or(u64::MAX, |v| v as u64)));
            }
        } else {
            i += 1;
            if !(c.is_whitespace() || c.is_ascii_punctuation() || "和与及跟同、，。；：！？“”‘’（）【】《》·～—".contains(c)) {
                out.push(Token::Word(c.to_string()));
            }
        }
    }
    out
}

/// `written` names exactly the numbers `want` names, in the same order, and every other word of
/// it is a word of `want`: "1 and 2" and "1、2号" say “1号门和2号门”, "7.10" says “7月10日”;
/// "1和2和3", "不是1和2" and "10月7日" do not.
fn same_numbers(written: &str, want: &str) -> bool {
    let numbers = |ts: &[Token]| -> Vec<u64> { ts.iter().filter_map(|t| if let Token::Number(n) = t { Some(*n) } else { None }).collect() };
    let (got, exp) = (tokens(written), tokens(want));
    let want_numbers = numbers(&exp);
    !want_numbers.is_empty()
        && numbers(&got) == want_numbers
        && got.iter().all(|t| match t {
            Token::Number(_) => true,
            Token::Word(w) => exp.iter().any(|e| matches!(e, Token::Word(x) if x == w)),
        })
}

/// `written` is the leading part of a longer `want` with no digits in it: at least 4 characters
/// and two thirds of `want`, ending where a word ends ("医疗设备" of “医疗设备配件”).
fn is_head(written: &str, want: &str) -> bool {
    let spaced = |s: &str| -> String {
        let t: String = fold_width(s)
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let (got, w) = (spaced(written), spaced(want));
    let count = |s: &str| s.chars().filter(|c| *c != ' ').count();
    if got.is_empty() || got.len() >= w.len() || w.chars().any(|c| c.is_numeric()) || !w.starts_with(&got) {
        return false;
    }
    let (n, total) = (count(&got), count(&w));
    // Where the head stops: at a space, or after a CJK character (no spaces between words).
    let next = w[got.len()..].chars().next();
    let at_word_end = next == Some(' ') || got.chars().last().is_some_and(|c| !c.is_ascii());
    n >= 4 && n * 3 >= total * 2 && at_word_end
}

/// The expected answer of a field as text (feedback, and the expert's answer).
pub(super) fn expected_text(s: &Session, expected: &Expected) -> Text {
    match expected {
        Expected::Filled => Text::new("（任意内容）", "(anything)"),
        Expected::Text(alts) => alts.first().map(|t| Text {
            zh: s.render(t, crate::scenario::Lang::Zh),
            en: Some(s.render(t, crate::scenario::Lang::En)),
        }).unwrap_or_default(),
        Expected::Number { value, also, compare, .. } => {
            let all: Vec<String> = std::iter::once(value).chain(also).map(|v| crate::scenario::text::substitute(&v.0, |k| s.values.get(k).map(|v| v.zh.clone()))).collect();
            let (zh_sep, en_sep) = ("或", " or ");
            let (zh, en) = (all.join(zh_sep), all.join(en_sep));
            match compare {
                crate::scenario::Compare::Equal => Text::new(zh, en),
                crate::scenario::Compare::AtMost => Text::new(format!("≤ {zh}"), format!("≤ {en}")),
                crate::scenario::Compare::AtLeast => Text::new(format!("≥ {zh}"), format!("≥ {en}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lis_counts_steps_in_relative_order() {
        assert_eq!(longest_increasing(&[0, 1, 2, 3]), 4);
        assert_eq!(longest_increasing(&[3, 2, 1, 0]), 1);
        assert_eq!(longest_increasing(&[1, 0, 2, 3]), 3);
        assert_eq!(longest_increasing(&[]), 0);
    }

    #[test]
    fn normalize_folds_width_case_and_punctuation() {
        assert_eq!(normalize(" ＡＢｃ１２３，威海 乳山。"), "abc123威海乳山");
        assert_eq!(first_number("约４８.5公斤"), Some(48.5));
        assert_eq!(first_number("无"), None);
    }

    /// Courseware report (issue 3): “不易碎” was taken for “易碎”.
    #[test]
    fn a_negated_answer_does_not_match() {
        assert!(contains_unnegated("易碎物品", "易碎"));
        assert!(!contains_unnegated("不易碎", "易碎"));
        assert!(!contains_unnegated("没有易碎", "易碎"), "two characters before are looked at");
        assert!(!contains_unnegated("不是1号门是3号门", "1号门"));
        assert!(contains_unnegated("1号门不能走", "1号门"), "what follows is not looked at (a known limit)");
        assert!(contains_unnegated("不是服装，是易碎的瓷器", "易碎"), "another, unnegated mention counts");
        assert!(!contains_unnegated("无", ""));
    }

    /// Issue 10: "1 and 2" for the closed gates and "医疗设备" for “医疗设备配件” were marked
    /// wrong; what is accepted now, and what still is not.
    #[test]
    fn reasonable_forms_of_an_answer_match() {
        for (written, want) in [
            ("1 and 2", "1号门和2号门"),
            ("1、2", "1号门和2号门"),
            ("1，2号门", "1号门和2号门"),
            ("1与2号", "1号门和2号门"),
            ("一和二", "1号门和2号门"),
            ("一二号门", "1号门和2号门"),
            ("gate 1 & 2", "gate 1 and gate 2"),
            ("Gates 1 and 2", "gates 1 and 2"),
            ("7.10", "7月10日"),
            ("20号前", "本月20号下午以前"),
            ("医疗设备", "医疗设备配件"),
            ("medical equipment", "medical equipment parts"),
            ("这周六中午", "这周六中午以前"),
            ("服装", "服装"),
        ] {
            assert!(text_matches(written, want), "{written:?} should say {want:?}");
        }
        for (written, want) in [
            ("1和2和3", "1号门和2号门"),
            ("1号门", "1号门和2号门"),
            ("2和1", "1号门和2号门"),
            ("不是1和2", "1号门和2号门"),
            ("1和2号仓库", "1号门和2号门"),
            ("一二三", "3号门"),
            ("10月7日", "7月10日"),
            ("医疗设", "医疗设备配件"),
            ("医疗", "医疗设备配件"),
            ("设备配件", "医疗设备配件"),
            ("medical equip", "medical equipment parts"),
            ("1592765432", "15927654321"),
            ("展会样", "展会样品"),
            ("", "服装"),
        ] {
            assert!(!text_matches(written, want), "{written:?} should not say {want:?}");
        }
    }

    #[test]
    fn order_marks_the_steps_off_the_longest_run() {
        // Two neighbours swapped: one of them is marked (the one the right order puts first),
        // never the steps in their places.
        assert_eq!(increasing_members(&[1, 0, 2, 3]), vec![true, false, true, true]);
        assert_eq!(increasing_members(&[0, 2, 1, 3]), vec![true, true, false, true]);
        // Rotated: the one step out of place.
        assert_eq!(increasing_members(&[1, 2, 3, 0]), vec![true, true, true, false]);
        assert_eq!(increasing_members(&[0, 1, 2]), vec![true; 3]);
        for xs in [vec![3, 1, 0, 2], vec![2, 3, 0, 1], vec![3, 2, 1, 0]] {
            let on = increasing_members(&xs).iter().filter(|b| **b).count();
            assert_eq!(on, longest_increasing(&xs), "{xs:?}");
        }
    }

    /// Issue 12: working shown, and expressions, in number answers.
    #[test]
    fn number_answers_with_working() {
        for (text, want) in [("71-6+4=69", 69.0), ("71-6+4", 69.0), ("69", 69.0), ("8300-4900=3400", 3400.0), ("2000×40%", 800.0), ("(600+400)/2000", 0.5), ("约48.5公斤", 48.5), ("-5", -5.0), ("三天", 3.0), ("71-6+4=70", 70.0), ("共 69 分", 69.0)] {
            assert_eq!(answer_number(text), Some(want), "{text}");
        }
        assert_eq!(answer_number("无"), None);
        assert_eq!(evaluate("1/0"), None);
        assert_eq!(evaluate("(1+2"), None);
        assert_eq!(evaluate("2*(3+4)"), Some(14.0));
    }

    /// Teachers' report (issue 6): "三天" and "-5" were read wrongly.
    #[test]
    fn numbers_in_chinese_and_with_a_sign() {
        let cases = [("三天", 3.0), ("两天内", 2.0), ("十五件", 15.0), ("二十一", 21.0), ("两百零五元", 205.0), ("一千", 1000.0), ("-5", -5.0), ("零下−3度", -3.0), ("一共3天", 3.0), ("3。", 3.0)];
        for (text, want) in cases {
            assert_eq!(first_number(text), Some(want), "{text}");
        }
    }
}
