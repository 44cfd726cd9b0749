//! A typed reply answered: each element earns its points (half for a `half` form, half again in
//! a keyword list), each forbidden phrase costs its points, and every row of the checklist
//! quotes the student's words.

use super::activity::{add_effects, ratio};
use super::{Mark, Session, Step};
use crate::scenario::reply::{self, Verdict};
use crate::scenario::{Lang, Say, Text};

/// The weight of an element in the credit: its positive points (1 when it has none).
fn weight(e: &crate::scenario::Element) -> f64 {
    // In i64: a few elements worth i32::MAX each would overflow an i32 sum.
    let w: i64 = e.effects.iter().map(|(_, v)| i64::from((*v).max(0))).sum();
    if w > 0 { w as f64 } else { 1.0 }
}

/// A text in quotes, both languages: 「…」 / “…”.
fn quoted(s: &str) -> Text {
    Text::new(format!("「{s}」"), format!("“{s}”"))
}

pub(super) fn answer(s: &mut Session, x: &Say, reply: &str, step: &mut Step) {
    let j = reply::judge(s.scenario(), x, s.forms(), reply);
    let values = s.values().clone();
    let voided = j.hits.iter().any(|h| x.avoid.get(h.avoid).is_some_and(|a| a.voids));
    let factors: Vec<f64> = if voided { vec![0.0; j.elements.len()] } else { j.factors() };
    let (mut got, mut total) = (0.0, 0.0);
    let shown = |t: &Text| Text { zh: t.render(Lang::Zh, &values), en: Some(t.render(Lang::En, &values)) };
    for ((e, verdict), factor) in x.elements.iter().zip(&j.elements).zip(&factors) {
        let w = weight(e);
        total += w;
        got += w * factor;
        add_effects(&mut step.effects, &e.effects, *factor);
        add_effects(&mut step.lost, &e.effects, 1.0 - factor);
        if *factor > 0.0
            && let Some(var) = &e.sets
        {
            s.vars.insert(var.clone(), 1);
        }
        let example = e.say.first().map(&shown).unwrap_or_default();
        let name = &e.name;
        let mut notes = Vec::new();
        let given = match verdict {
            Verdict::Said(q) => quoted(q),
            Verdict::Half(q) => {
                notes.push(Text::new(
                    format!("「{q}」只得一半分，更得体的说法：「{}」。", example.zh),
                    format!("“{q}” earns half; a better way to say it: “{}”.", example.get(Lang::En)),
                ));
                quoted(q)
            }
            Verdict::Negated(q) => {
                notes.push(Text::new(format!("「{q}」前面是否定，不算说到。"), format!("“{q}” comes after a negation, so it does not count.")));
                quoted(q)
            }
            Verdict::Late(q) => {
                notes.push(Text::new(
                    format!("「{q}」在第 {} 个字之后，不计分。", x.max_chars()),
                    format!("“{q}” comes after the first {} characters and does not count.", x.max_chars()),
                ));
                quoted(q)
            }
            Verdict::Missing => Text::new("（没有说到）", "(not said)"),
        };
        if voided && verdict.factor() > 0.0 {
            notes.push(Text::new("这句话里有要避免的说法，整句不计分。", "The reply contains language to avoid, so none of it counts."));
        }
        if *factor <= 0.0 {
            step.critical.extend(e.critical.clone());
            let missing = e.feedback.clone().unwrap_or_else(|| {
                Text::new(
                    format!("没有说到「{}」，例如：「{}」。", name.zh, example.zh),
                    format!("“{}” was not said; for example: “{}”.", name.get(Lang::En), example.get(Lang::En)),
                )
            });
            step.feedback.extend(notes.iter().cloned());
            step.feedback.push(missing.clone());
            notes.push(missing);
        } else if matches!(verdict, Verdict::Half(_)) {
            step.feedback.extend(notes.iter().cloned());
        }
        step.marks.push(Mark { id: e.id.clone(), label: name.clone(), given, right: matches!(verdict, Verdict::Said(_)) && !j.list_like && !voided, expected: example, notes });
    }
    for hit in &j.hits {
        let Some(a) = x.avoid.get(hit.avoid) else { continue };
        add_effects(&mut step.effects, &a.effects, 1.0);
        for (k, v) in a.effects.iter() {
            if *v < 0 {
                *step.lost.entry(k.to_string()).or_insert(0.0) += f64::from(-*v);
            }
        }
        step.critical.extend(a.critical.clone());
        s.set_vars(&a.set, &a.add);
        step.feedback.push(a.feedback.clone());
        let expected = match (a.list, a.words.first()) {
            (Some(crate::scenario::CourseList::Rude), None) => Text::new("开口不说「喂」「什么事」", "no “hey” or “what is it” at the start"),
            (Some(_), None) => Text::new("不说负面语言（我不知道、不归我管、没办法……）", "no negative language (“I don't know”, “not my department”…)"),
            (_, Some(w)) => Text::new(format!("不说「{}」", w.zh), format!("never say “{}”", w.get(Lang::En))),
            (None, None) => Text::default(),
        };
        step.marks.push(Mark {
            id: format!("avoid{}", hit.avoid + 1),
            label: Text::new("要避免的说法", "Language to avoid"),
            given: quoted(&hit.quote),
            right: false,
            expected,
            notes: vec![a.feedback.clone()],
        });
    }
    if j.list_like {
        let t = Text::new(
            "这样像是一串关键词，不像对客户说的话：每个要点只得一半分。请用完整、自然的句子说。",
            "This reads as a list of keywords, not as something said to a customer: each point earns half. Say it in whole, natural sentences.",
        );
        step.feedback.push(t.clone());
        step.summary.push(t);
    }
    if j.too_long {
        let t = Text::new(
            format!("回答超过 {} 个字，后面的内容不计分：对客户说话要简洁。", x.max_chars()),
            format!("The reply is longer than {} characters; what follows does not count. Keep it short for the customer.", x.max_chars()),
        );
        step.feedback.push(t.clone());
        step.summary.push(t);
    }
    let credit = if total > 0.0 { got / total } else { ratio(0, 0) };
    step.credit = Some(credit);
    step.expert = credit >= 1.0 - 1e-9 && j.hits.is_empty();
    step.answer.push(Text::zh(reply.trim()));
    step.feedback.extend(x.feedback.clone());
    step.summary.extend(x.feedback.clone());
    if !step.expert {
        for m in &x.models {
            let t = shown(m);
            let model = Text::new(format!("参考说法：{}", t.zh), format!("A model reply: {}", t.get(Lang::En)));
            step.feedback.push(model.clone());
            step.summary.push(model);
        }
    }
}
