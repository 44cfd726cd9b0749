//! What has been said (the transcript) and the feedback card after each decision.

use super::*;
use super::node::prompt_of;

/// What has been said so far, on the right.
pub(super) fn transcript(root: &mut Ui, s: &Session, lang: Lang, width: f32) {
    let sc = s.scenario();
    let student = sc.student_role().map(|r| s.render(&r.name, lang)).unwrap_or_else(|| t(lang, "你", "You").to_string());
    // (who, what, the student speaking)
    let mut lines: Vec<(String, String, bool)> = Vec::new();
    for step in s.steps() {
        match sc.node(&step.node) {
            Some(Node::Line(l)) => {
                // A replayed line of the student's role is not the student speaking.
                let who = l.speaker.as_deref().and_then(|id| sc.role(id)).map(|r| s.render(&r.name, lang)).unwrap_or_default();
                lines.push((who, s.render(&l.text, lang), s.is_students_line(l)));
            }
            Some(Node::Choice(c)) => {
                if let Some(r) = c.speaker.as_deref().and_then(|id| sc.role(id)).filter(|r| r.played_by != crate::scenario::PlayedBy::Student) {
                    lines.push((s.render(&r.name, lang), s.render(&c.prompt, lang), false));
                }
                for a in &step.answer {
                    lines.push((student.clone(), s.render(a, lang), true));
                }
            }
            Some(Node::Phone(_) | Node::Dial(_)) => {
                for a in &step.answer {
                    lines.push((String::new(), format!("☎ {}", s.render(a, lang)), false));
                }
            }
            // A typed reply is what the student said, in their own words.
            Some(Node::Say(_)) if !step.retry => {
                for a in &step.answer {
                    lines.push((student.clone(), s.render(a, lang), true));
                }
            }
            Some(n) if step.is_decision() => {
                let (right, all) = step.marked();
                let head = match (step.retry, lang) {
                    (false, Lang::Zh) => format!("✓ 完成：{}（{right}/{all}）", prompt_of(n, s, lang)),
                    (false, Lang::En) => format!("✓ Done: {} ({right}/{all})", prompt_of(n, s, lang)),
                    (true, Lang::Zh) => format!("↻ 再试一次（不计分）：{right}/{all}"),
                    (true, Lang::En) => format!("↻ Tried again (not scored): {right}/{all}"),
                };
                lines.push((String::new(), head, false));
            }
            _ => {}
        }
    }
    egui::Panel::right("transcript")
        .resizable(false)
        .exact_size(width)
        .frame(egui::Frame::new().fill(palette::PANEL).inner_margin(egui::Margin::same(14)).stroke(egui::Stroke::new(1.0, palette::LINE)))
        .show(root, |ui| {
            ui.label(RichText::new(t(lang, "对话记录", "Conversation so far")).size(20.0).strong().color(palette::MUTED));
            egui::ScrollArea::vertical().stick_to_bottom(true).auto_shrink([false, false]).show(ui, |ui| {
                if lines.is_empty() {
                    ui.label(RichText::new(t(lang, "（还没有对话）", "(nothing yet)")).color(palette::MUTED).size(18.0));
                }
                for (who, text, is_student) in lines {
                    let color = if is_student { palette::GOOD } else { palette::PRIMARY };
                    if who.is_empty() {
                        para(ui, RichText::new(text).size(18.0).color(palette::MUTED));
                    } else {
                        let colon = if lang == Lang::Zh { "：" } else { ":" };
                        ui.label(RichText::new(format!("{who}{colon}")).size(18.0).strong().color(color));
                        para(ui, RichText::new(text).size(18.0));
                    }
                    ui.add_space(4.0);
                }
            });
        });
}


/// "step 1" → "Step 1" (a row starts with it).
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// "3 项中对了 2 项" / "2 of 3 items right": the rows right, by the activity's kind.
pub(in crate::app::student) fn marked_line(kind: &str, right: usize, all: usize, lang: Lang) -> String {
    if right == all {
        let unit = match kind {
            "Order" => "步",
            "Form" => "栏",
            "Compose" => "条要求",
            "Table" => "格",
            _ => "项",
        };
        return match lang {
            Lang::Zh => format!("全对（{all} {unit}）"),
            Lang::En => format!("all {all} right"),
        };
    }
    match lang {
        Lang::Zh => match kind {
            "Order" => format!("{all} 步中 {right} 步的顺序对"),
            "Form" => format!("{all} 栏中记对了 {right} 栏"),
            "Compose" => format!("{all} 条要求中做到了 {right} 条"),
            "Table" => format!("{all} 格中对了 {right} 格"),
            _ => format!("{all} 项中对了 {right} 项"),
        },
        Lang::En => {
            let noun = match kind {
                "Order" => "steps in place",
                "Form" => "fields right",
                "Compose" => "rules kept",
                "Table" => "cells right",
                _ => "items right",
            };
            format!("{right} of {all} {noun}")
        }
    }
}

/// Each row of an activity marked: ✓ or × (the font has no ✗), the row, what the student gave and, when wrong, the
/// right answer and what the scenario says about it. `text` renders a core text (placeholders
/// filled in, in the screen's language).
pub(in crate::app::student) fn mark_rows(ui: &mut Ui, marks: &[Mark], kind: &str, lang: Lang, size: f32, text: &dyn Fn(&Text) -> String) {
    for m in marks {
        ui.horizontal_top(|ui| {
            let (sign, color) = if m.right { ("✓", palette::GOOD) } else { ("×", palette::BAD) };
            ui.label(RichText::new(sign).size(if m.right { size + 2.0 } else { size + 6.0 }).strong().color(color));
            ui.vertical(|ui| {
                let (label, given, expected) = (text(&m.label), text(&m.given), text(&m.expected));
                let row = match (kind, m.right, lang) {
                    ("Order", true, Lang::Zh) => format!("{given}：{label}"),
                    ("Order", true, Lang::En) => format!("{}: {label}", capitalized(&given)),
                    ("Order", false, Lang::Zh) => format!("{label}：你放在{given}，应在{expected}"),
                    ("Order", false, Lang::En) => format!("{label}: you put it at {given}; it belongs at {expected}"),
                    ("Compose", _, _) => label,
                    (_, true, Lang::Zh) => format!("{label}：{given}"),
                    (_, true, Lang::En) => format!("{label}: {given}"),
                    (_, false, Lang::Zh) => format!("{label}：{given}"),
                    (_, false, Lang::En) => format!("{label}: {given}"),
                };
                para(ui, RichText::new(row).size(size).color(if m.right { palette::TEXT } else { palette::BAD }));
                if !m.right {
                    let fix = match (kind, lang) {
                        ("Order", _) => String::new(),
                        ("Compose", Lang::Zh) => format!("你的回复：{given}；应当：{expected}"),
                        ("Compose", Lang::En) => format!("Your reply: {given}; instead: {expected}"),
                        (_, Lang::Zh) => format!("正确：{expected}"),
                        (_, Lang::En) => format!("Right: {expected}"),
                    };
                    if !fix.is_empty() {
                        para(ui, RichText::new(fix).size(size - 1.0).strong().color(palette::GOOD));
                    }
                    for n in &m.notes {
                        para(ui, RichText::new(text(n)).size(size - 3.0).color(palette::MUTED));
                    }
                }
            });
        });
    }
}

pub(super) fn feedback_card(ui: &mut Ui, s: &Session, fb: &Feedback, can_retry: bool, keys: Keys, lang: Lang, out: &mut Vec<Intent>) {
    let step = &fb.step;
    let (right, all) = step.marked();
    let marked = all > 0;
    let (title, fill, edge) = if !step.critical.is_empty() {
        (t(lang, "× 严重错误", "× Critical error").to_string(), palette::BAD_SOFT, palette::BAD)
    } else if step.timed_out {
        (t(lang, "时间到了", "Time ran out").to_string(), palette::BAD_SOFT, palette::BAD)
    } else if step.expert && step.retry {
        (t(lang, "✓ 这次全对了", "✓ All right this time").to_string(), palette::GOOD_SOFT, palette::GOOD)
    } else if step.expert {
        (t(lang, "✓ 做得好：这是专家的做法", "✓ Well done: the expert's answer").to_string(), palette::GOOD_SOFT, palette::GOOD)
    } else if marked && right > 0 {
        (format!("{}{}", t(lang, "部分正确：", "Partly right: "), marked_line(step.kind, right, all, lang)), palette::WARN_SOFT, palette::WARN)
    } else if let Some(c) = step.credit.filter(|c| *c > 0.0) {
        let pct = (c * 100.0).round();
        (match lang { Lang::Zh => format!("部分正确（{pct}%）"), Lang::En => format!("Partly right ({pct}%)") }, palette::WARN_SOFT, palette::WARN)
    } else {
        (t(lang, "还可以做得更好", "This could be better").to_string(), palette::BAD_SOFT, palette::BAD)
    };
    tinted(ui, fill, edge, |ui| {
        if step.retry {
            para(ui, RichText::new(t(lang, "↻ 再试一次（练习，不计分）", "↻ Tried again (practice, not scored)")).size(20.0).strong().color(palette::PRIMARY));
        }
        para(ui, RichText::new(title).size(30.0).strong().color(edge));
        for c in &step.critical {
            let cap = s.scenario().rubric.cap_text(&c.cap);
            let line = match (lang, step.retry) {
                (Lang::Zh, false) => format!("{}（违反 5S·{}，这次成绩{}）", c.name.get(lang), c.principle.name(lang), cap.get(lang)),
                (Lang::En, false) => format!("{} (breaks 5S {}; this attempt: {})", c.name.get(lang), c.principle.name(lang), cap.get(lang)),
                (Lang::Zh, true) => format!("{}（违反 5S·{}；练习不计分，但正式作答时会{}）", c.name.get(lang), c.principle.name(lang), cap.get(lang)),
                (Lang::En, true) => format!("{} (breaks 5S {}; not scored in practice, but in an attempt: {})", c.name.get(lang), c.principle.name(lang), cap.get(lang)),
            };
            para(ui, RichText::new(line).size(22.0).strong().color(palette::BAD));
        }
        ui.add_space(6.0);
        if let Some(table) = &step.table {
            crate::app::student::table::marked(ui, table, lang, 19.0);
            for f in &step.summary {
                ui.add_space(4.0);
                para(ui, RichText::new(s.render(f, lang)).size(22.0));
            }
        } else if marked {
            mark_rows(ui, &step.marks, step.kind, lang, 22.0, &|x| s.render(x, lang));
            for f in &step.summary {
                ui.add_space(4.0);
                para(ui, RichText::new(s.render(f, lang)).size(22.0));
            }
        } else {
            let answer = render_all(s, &step.answer, lang);
            if !answer.is_empty() {
                ui.label(RichText::new(t(lang, "你的回答：", "Your answer:")).color(palette::MUTED));
                for a in answer {
                    para(ui, RichText::new(a).size(22.0));
                }
                ui.add_space(6.0);
            }
            for f in render_all(s, &step.feedback, lang) {
                para(ui, RichText::new(f).text_style(line_style()));
            }
        }
        ui.add_space(6.0);
        if step.retry {
            para(ui, RichText::new(t(lang, "再试不计分：成绩按第一次作答计算。", "A retry is not scored: the first try counts.")).color(palette::MUTED).size(20.0));
        } else {
            let eff = effects_line(&step.effects, s.scenario(), lang);
            if !eff.is_empty() {
                para(ui, RichText::new(eff).color(palette::MUTED).size(20.0));
            }
        }
    });
    ui.add_space(10.0);
    let label = if fb.ended { t(lang, "查看结果（回车）", "See the results (Enter)") } else { t(lang, "继续（回车）", "Continue (Enter)") };
    ui.horizontal_wrapped(|ui| {
        if big_button(ui, label, 300.0).clicked() || keys.enter(ui) {
            out.push(Intent::DismissFeedback);
        }
        if can_retry {
            let r = plain_button(ui, t(lang, "↻ 再试一次（练习）", "↻ Try again (practice)"))
                .on_hover_text(t(lang, "把这一题再做一次：成绩仍按第一次计算，再试也会记录。", "Do this activity once more: the first try still counts; the retry is recorded."));
            if r.clicked() {
                out.push(Intent::TryAgain);
            }
        }
    });
}

