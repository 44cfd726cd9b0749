//! Play: the speaker and the line, options as large buttons (keys 1-9), a widget for every
//! activity kind, the ringing phone, the countdown bar, hints, and feedback after each decision.

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::egui::{self, Key, RichText, Ui};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use super::{Screen, Send, central, notice_bar, root};
use crate::app::bridge::{Active, Attempt, Feedback, Intent, Notice, effects_line, render_all};
use crate::app::perf::Animate;
use crate::app::settings::{AppPaths, Settings};
use crate::app::theme::portraits::Portraits;
use crate::app::theme::widgets::{big_button, card, chip, option_button, phone, portrait, t, tinted};
use crate::app::theme::{ThemeSet, line_style, palette};
use crate::scenario::{Lang, Node, PlayedBy};
use crate::session::{Action, Session, Shown, View};

/// What the student has put together at the current activity but not yet submitted.
#[derive(Resource, Default, Debug)]
pub struct Draft {
    pub node: String,
    /// Matching: item id → category id.
    pub placed: BTreeMap<String, String>,
    /// Ordering: step ids in the student's current order.
    pub order: Vec<String>,
    /// Form: field id → text.
    pub form: BTreeMap<String, String>,
    /// Compose: phrase ids in order.
    pub compose: Vec<String>,
}

impl Draft {
    /// Start afresh when the node changes.
    pub fn sync(&mut self, view: &View) {
        if self.node == view.node() {
            return;
        }
        *self = Draft { node: view.node().to_string(), ..Default::default() };
        if let View::Order { steps, .. } = view {
            self.order = steps.iter().map(|s| s.id.clone()).collect();
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Draft>()
        .add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Play)));
}

const NUM_KEYS: [Key; 9] = [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    attempt: Res<Attempt>,
    mut draft: ResMut<Draft>,
    time: Res<Time<Real>>,
    mut animate: ResMut<Animate>,
    mut notice: ResMut<Notice>,
    mut portraits: ResMut<Portraits>,
    paths: Res<AppPaths>,
    mut send: Send,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let mut out = Vec::new();
    let mut ui = root(&ctx);
    let Some(active) = attempt.0.as_ref() else {
        central(&mut ui, |ui| {
            if ui.button(t(lang, "返回题库", "Back to the library")).clicked() {
                out.push(Intent::ToLibrary);
            }
        });
        send.send_all(out);
        return Ok(());
    };
    let s = &active.session;
    let view = s.view(lang);
    draft.sync(&view);
    let elapsed = active.elapsed_ms(time.elapsed());
    let speaker = match &view {
        View::Line { speaker, .. } | View::Choice { speaker, .. } => speaker.as_ref(),
        _ => None,
    };
    let face = speaker.and_then(|sp| sp.portrait.as_deref()).and_then(|p| portraits.get(&ctx, p, &paths.portrait_dirs, &active.loaded.path));

    play_bar(&mut ui, active, lang, &mut out);
    notice_bar(&mut ui, &mut notice, lang);
    transcript(&mut ui, s, lang);
    central(&mut ui, |ui| {
        if let Some(err) = &active.autosave_error {
            ui.label(RichText::new(format!("{} {err}", t(lang, "⚠ 自动保存失败：", "⚠ Autosave failed:"))).color(palette::BAD));
        }
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            if let Some(fb) = &active.feedback {
                feedback_card(ui, s, fb, lang, &mut out);
                return;
            }
            for h in &active.hints {
                tinted(ui, palette::WARN_SOFT, palette::WARN, |ui| {
                    ui.label(RichText::new(format!("{}{}", t(lang, "提示：", "Hint: "), s.render(h, lang))).size(22.0));
                });
            }
            node_ui(ui, s, &view, face.as_ref(), &mut draft, elapsed, lang, &mut animate, &mut out);
        });
    });
    send.send_all(out);
    Ok(())
}

/// Title, hint button with what it does to the best reachable total (the core's preview), leave.
fn play_bar(root: &mut Ui, active: &Active, lang: Lang, out: &mut Vec<Intent>) {
    let sc = &active.loaded.scenario;
    egui::Panel::top("play-bar")
        .frame(egui::Frame::new().fill(palette::PANEL).inner_margin(egui::Margin::symmetric(20, 10)).stroke(egui::Stroke::new(1.0, palette::LINE)))
        .show(root, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(sc.title.get(lang)).size(24.0).strong());
                if active.exam_mode {
                    chip(ui, t(lang, "考试模式", "Exam mode"), palette::BAD_SOFT, palette::BAD);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(t(lang, "暂停，回题库", "Pause: library")).clicked() {
                        out.push(Intent::LeavePlay);
                    }
                    let can = active.feedback.is_none() && !active.session.is_ended();
                    match active.hint_preview.as_ref().filter(|_| can) {
                        Some(p) => {
                            // Short enough for a 1024-px window; the core's full sentence is
                            // the hover text.
                            let label = match (lang, p.ceiling_now == p.ceiling_after) {
                                (Lang::Zh, false) => format!("求助提示（最高分 {}→{}）", p.ceiling_now, p.ceiling_after),
                                (Lang::Zh, true) => "求助提示（不影响最高分）".to_string(),
                                (Lang::En, false) => format!("Hint (best {}→{})", p.ceiling_now, p.ceiling_after),
                                (Lang::En, true) => "Hint (best total unchanged)".to_string(),
                            };
                            let left = active.session.next_hint().map_or(0, |(left, _)| left);
                            let more = match lang {
                                Lang::Zh => format!("这里还有 {left} 条提示。"),
                                Lang::En => format!("{left} hint(s) left here."),
                            };
                            let button = egui::Button::new(RichText::new(label).color(palette::WARN)).stroke(egui::Stroke::new(2.0, palette::WARN));
                            if ui.add(button).on_hover_text(format!("{}\n{more}", p.text().get(lang))).clicked() {
                                out.push(Intent::Hint);
                            }
                        }
                        None => {
                            ui.add_enabled(false, egui::Button::new(t(lang, "此处没有提示", "No hint here")));
                        }
                    }
                });
            });
        });
}

/// What has been said so far, on the right.
fn transcript(root: &mut Ui, s: &Session, lang: Lang) {
    let sc = s.scenario();
    let student = sc.student_role().map(|r| s.render(&r.name, lang)).unwrap_or_else(|| t(lang, "你", "You").to_string());
    let mut lines: Vec<(String, String, bool)> = Vec::new();
    for step in s.steps() {
        match sc.node(&step.node) {
            Some(Node::Line(l)) => {
                let (who, is_student) = match l.speaker.as_deref().and_then(|id| sc.role(id)) {
                    Some(r) => (s.render(&r.name, lang), r.played_by == PlayedBy::Student),
                    None => (String::new(), false),
                };
                lines.push((who, s.render(&l.text, lang), is_student));
            }
            Some(Node::Choice(c)) => {
                if let Some(r) = c.speaker.as_deref().and_then(|id| sc.role(id)).filter(|r| r.played_by != PlayedBy::Student) {
                    lines.push((s.render(&r.name, lang), s.render(&c.prompt, lang), false));
                }
                for a in &step.answer {
                    lines.push((student.clone(), s.render(a, lang), true));
                }
            }
            Some(Node::Phone(_)) => {
                for a in &step.answer {
                    lines.push((String::new(), format!("☎ {}", s.render(a, lang)), false));
                }
            }
            Some(n) if step.is_decision() => {
                lines.push((String::new(), format!("✓ {}", t(lang, "完成：", "Done: ")) + &prompt_of(n, s, lang), false));
            }
            _ => {}
        }
    }
    egui::Panel::right("transcript")
        .resizable(false)
        .exact_size(330.0)
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
                        ui.label(RichText::new(text).size(18.0).color(palette::MUTED));
                    } else {
                        ui.label(RichText::new(format!("{who}：")).size(18.0).strong().color(color));
                        ui.label(RichText::new(text).size(18.0));
                    }
                    ui.add_space(4.0);
                }
            });
        });
}

fn prompt_of(n: &Node, s: &Session, lang: Lang) -> String {
    match n {
        Node::Match(m) => s.render(&m.prompt, lang),
        Node::Order(o) => s.render(&o.prompt, lang),
        Node::Form(f) => s.render(&f.prompt, lang),
        Node::Compose(c) => s.render(&c.prompt, lang),
        _ => String::new(),
    }
}

fn speaker_row(ui: &mut Ui, speaker: Option<&crate::session::Speaker>, face: Option<&egui::TextureHandle>, lang: Lang) {
    let Some(sp) = speaker else { return };
    ui.horizontal(|ui| {
        portrait(ui, &sp.name, &sp.id, 84.0, face);
        ui.vertical(|ui| {
            ui.add_space(12.0);
            ui.label(RichText::new(&sp.name).size(26.0).strong());
            if sp.is_student {
                ui.label(RichText::new(t(lang, "（你）", "(you)")).color(palette::GOOD));
            }
        });
    });
}

fn prompt(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).text_style(line_style()).strong());
    ui.add_space(6.0);
}

fn submit(ui: &mut Ui, lang: Lang, ready: bool, why_not: &str) -> bool {
    ui.add_space(10.0);
    let clicked = ui.add_enabled_ui(ready, |ui| big_button(ui, t(lang, "提交", "Submit"), 220.0)).inner.clicked();
    if !ready && !why_not.is_empty() {
        ui.label(RichText::new(why_not).color(palette::MUTED));
    }
    clicked
}

#[allow(clippy::too_many_arguments, reason = "the node widgets share the frame's state")]
fn node_ui(ui: &mut Ui, s: &Session, view: &View, face: Option<&egui::TextureHandle>, draft: &mut Draft, elapsed: u64, lang: Lang, animate: &mut Animate, out: &mut Vec<Intent>) {
    let w = ui.available_width().min(820.0);
    let enter = ui.input(|i| i.key_pressed(Key::Enter));
    match view {
        View::Line { speaker, text, .. } => {
            speaker_row(ui, speaker.as_ref(), face, lang);
            card(ui, |ui| {
                let rt = RichText::new(text).text_style(line_style());
                ui.label(if speaker.is_none() { rt.italics().color(palette::MUTED) } else { rt });
            });
            ui.add_space(8.0);
            if big_button(ui, t(lang, "继续（回车）", "Continue (Enter)"), 260.0).clicked() || enter {
                out.push(Intent::Answer(Action::Continue));
            }
        }
        View::Choice { speaker, prompt: p, options, time_limit_ms, .. } => {
            speaker_row(ui, speaker.as_ref(), face, lang);
            prompt(ui, p);
            if let Some(limit) = time_limit_ms {
                animate.0 = true;
                let left_ms = limit.saturating_sub(elapsed);
                let label = match lang {
                    Lang::Zh => format!("剩余 {} 秒", left_ms.div_ceil(1000)),
                    Lang::En => format!("{} s left", left_ms.div_ceil(1000)),
                };
                crate::app::theme::widgets::countdown(ui, left_ms as f32 / *limit as f32, &label);
                ui.add_space(6.0);
            }
            let keys: Vec<bool> = ui.input(|i| NUM_KEYS.iter().map(|k| i.key_pressed(*k)).collect());
            for (i, o) in options.iter().enumerate() {
                let pressed = keys.get(i).copied().unwrap_or(false);
                if option_button(ui, i + 1, &o.text, w).clicked() || pressed {
                    out.push(Intent::Answer(Action::Choose(o.id.clone())));
                }
            }
            ui.label(RichText::new(t(lang, "可按数字键 1-9 选择", "Keys 1-9 pick an option")).color(palette::MUTED).size(17.0));
        }
        View::Match { prompt: p, items, categories, .. } => {
            prompt(ui, p);
            for item in items {
                card(ui, |ui| {
                    ui.label(RichText::new(&item.text).size(24.0).strong());
                    ui.horizontal_wrapped(|ui| {
                        for c in categories {
                            let on = draft.placed.get(&item.id) == Some(&c.id);
                            if ui.add(egui::Button::selectable(on, RichText::new(&c.text).size(21.0)).min_size(egui::vec2(0.0, 44.0))).clicked() {
                                draft.placed.insert(item.id.clone(), c.id.clone());
                            }
                        }
                    });
                });
            }
            let missing = items.iter().filter(|i| !draft.placed.contains_key(&i.id)).count();
            let why = match lang {
                Lang::Zh => format!("还有 {missing} 项没有归类"),
                Lang::En => format!("{missing} item(s) still to place"),
            };
            if submit(ui, lang, missing == 0, &why) {
                let pairs = items.iter().filter_map(|i| draft.placed.get(&i.id).map(|c| (i.id.clone(), c.clone()))).collect();
                out.push(Intent::Answer(Action::Match(pairs)));
            }
        }
        View::Order { prompt: p, steps, .. } => {
            prompt(ui, p);
            ui.label(RichText::new(t(lang, "用 ↑ ↓ 调整顺序，第一步在最上面", "Use ↑ ↓ to reorder; the first step is at the top")).color(palette::MUTED));
            let text_of = |id: &str| steps.iter().find(|s| s.id == id).map_or(id.to_string(), |s| s.text.clone());
            let n = draft.order.len();
            let mut swap: Option<(usize, usize)> = None;
            for (i, id) in draft.order.iter().enumerate() {
                card(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(format!("{}.", i + 1)).size(26.0).strong().color(palette::PRIMARY));
                        ui.label(RichText::new(text_of(id)).size(24.0));
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui.add_enabled(i + 1 < n, egui::Button::new(RichText::new("↓").size(24.0)).min_size(egui::vec2(52.0, 44.0))).clicked() {
                                swap = Some((i, i + 1));
                            }
                            if ui.add_enabled(i > 0, egui::Button::new(RichText::new("↑").size(24.0)).min_size(egui::vec2(52.0, 44.0))).clicked() {
                                swap = Some((i - 1, i));
                            }
                        });
                    });
                });
            }
            if let Some((a, b)) = swap {
                draft.order.swap(a, b);
            }
            if submit(ui, lang, n == steps.len(), "") {
                out.push(Intent::Answer(Action::Order(draft.order.clone())));
            }
        }
        View::Form { prompt: p, fields, .. } => {
            prompt(ui, p);
            card(ui, |ui| {
                ui.label(RichText::new(t(lang, "记事本", "Notepad")).color(palette::MUTED));
                egui::Grid::new(("form", &draft.node)).num_columns(2).spacing([18.0, 14.0]).show(ui, |ui| {
                    for f in fields {
                        ui.label(RichText::new(&f.text).size(24.0));
                        let value = draft.form.entry(f.id.clone()).or_default();
                        ui.add(egui::TextEdit::singleline(value).desired_width(420.0).font(egui::FontId::proportional(24.0)));
                        ui.end_row();
                    }
                });
            });
            if submit(ui, lang, true, "") {
                let values = fields.iter().map(|f| (f.id.clone(), draft.form.get(&f.id).cloned().unwrap_or_default())).collect();
                out.push(Intent::Answer(Action::Form(values)));
            }
        }
        View::Compose { prompt: p, phrases, min, max, .. } => {
            compose_ui(ui, p, phrases, *min, *max, draft, lang, out);
        }
        View::Phone { prompt: p, max_rings, .. } => {
            animate.0 = true;
            prompt(ui, p);
            let ring = s.ring_at(elapsed).min(*max_rings);
            let secs = elapsed as f32 / 1000.0;
            ui.horizontal(|ui| {
                phone(ui, secs, true, 150.0);
                ui.vertical(|ui| {
                    ui.add_space(30.0);
                    let label = match lang {
                        Lang::Zh => format!("铃声第 {ring} 声（响 {max_rings} 声没人接，对方就会挂断）"),
                        Lang::En => format!("Ring {ring} (the caller hangs up after {max_rings} rings)"),
                    };
                    ui.label(RichText::new(label).size(24.0).strong().color(palette::BAD));
                    ui.add_space(10.0);
                    if big_button(ui, t(lang, "接听（空格）", "Answer (Space)"), 260.0).clicked() || ui.input(|i| i.key_pressed(Key::Space) || i.key_pressed(Key::Enter)) {
                        out.push(Intent::Answer(Action::Pickup));
                    }
                });
            });
        }
        View::Ended { outcome, success, .. } => {
            tinted(ui, if *success { palette::GOOD_SOFT } else { palette::BAD_SOFT }, if *success { palette::GOOD } else { palette::BAD }, |ui| {
                ui.label(RichText::new(outcome).text_style(line_style()));
            });
            if big_button(ui, t(lang, "查看结果", "See the results"), 260.0).clicked() || enter {
                out.push(Intent::ShowResults);
            }
        }
    }
}

#[allow(clippy::too_many_arguments, reason = "the compose widget's parts")]
fn compose_ui(ui: &mut Ui, p: &str, phrases: &[Shown], min: u32, max: Option<u32>, draft: &mut Draft, lang: Lang, out: &mut Vec<Intent>) {
    prompt(ui, p);
    let text_of = |id: &str| phrases.iter().find(|s| s.id == id).map_or(String::new(), |s| s.text.clone());
    let full = max.is_some_and(|m| draft.compose.len() >= m as usize);
    ui.label(RichText::new(t(lang, "点击短语，按顺序加入你的回复：", "Click phrases to add them to your reply, in order:")).color(palette::MUTED));
    ui.horizontal_wrapped(|ui| {
        for ph in phrases {
            let used = draft.compose.contains(&ph.id);
            if ui.add_enabled(!used && !full, egui::Button::new(RichText::new(format!("＋ {}", ph.text)).size(21.0)).min_size(egui::vec2(0.0, 44.0))).clicked() {
                draft.compose.push(ph.id.clone());
            }
        }
    });
    ui.add_space(6.0);
    let mut remove = None;
    let mut up = None;
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "你的回复", "Your reply")).color(palette::MUTED));
        if draft.compose.is_empty() {
            ui.label(RichText::new(t(lang, "（还没有选择短语）", "(no phrase chosen yet)")).color(palette::MUTED));
        }
        for (i, id) in draft.compose.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{}. {}", i + 1, text_of(id))).size(22.0));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(t(lang, "× 移除", "× Remove")).clicked() {
                        remove = Some(i);
                    }
                    if ui.add_enabled(i > 0, egui::Button::new("↑")).clicked() {
                        up = Some(i);
                    }
                });
            });
        }
        ui.separator();
        let sep = if lang == Lang::Zh { "" } else { " " };
        let preview: Vec<String> = draft.compose.iter().map(|id| text_of(id)).collect();
        ui.label(RichText::new(t(lang, "预览：", "Preview:")).color(palette::MUTED));
        ui.label(RichText::new(preview.join(sep)).text_style(line_style()));
    });
    if let Some(i) = remove {
        draft.compose.remove(i);
    }
    if let Some(i) = up {
        draft.compose.swap(i - 1, i);
    }
    let n = draft.compose.len() as u32;
    let ok = n >= min && max.is_none_or(|m| n <= m);
    let why = match (lang, max) {
        (Lang::Zh, Some(m)) => format!("请选择 {min}–{m} 个短语"),
        (Lang::Zh, None) => format!("请至少选择 {min} 个短语"),
        (Lang::En, Some(m)) => format!("Choose {min}–{m} phrases"),
        (Lang::En, None) => format!("Choose at least {min} phrase(s)"),
    };
    if submit(ui, lang, ok, &why) {
        out.push(Intent::Answer(Action::Compose(draft.compose.clone())));
    }
}

fn feedback_card(ui: &mut Ui, s: &Session, fb: &Feedback, lang: Lang, out: &mut Vec<Intent>) {
    let step = &fb.step;
    let (title, fill, edge) = if !step.critical.is_empty() {
        (t(lang, "× 严重错误", "× Critical error").to_string(), palette::BAD_SOFT, palette::BAD)
    } else if step.timed_out {
        (t(lang, "时间到了", "Time ran out").to_string(), palette::BAD_SOFT, palette::BAD)
    } else if step.expert {
        (t(lang, "✓ 做得好：这是专家的做法", "✓ Well done: the expert's answer").to_string(), palette::GOOD_SOFT, palette::GOOD)
    } else if let Some(c) = step.credit.filter(|c| *c > 0.0) {
        let pct = (c * 100.0).round();
        (match lang { Lang::Zh => format!("部分正确（{pct}%）"), Lang::En => format!("Partly right ({pct}%)") }, palette::WARN_SOFT, palette::WARN)
    } else {
        (t(lang, "还可以做得更好", "This could be better").to_string(), palette::BAD_SOFT, palette::BAD)
    };
    tinted(ui, fill, edge, |ui| {
        ui.label(RichText::new(title).size(30.0).strong().color(edge));
        for c in &step.critical {
            let cap = s.scenario().rubric.cap_text(&c.cap);
            let line = match lang {
                Lang::Zh => format!("{}（违反 5S·{}，这次成绩{}）", c.name.get(lang), c.principle.name(lang), cap.get(lang)),
                Lang::En => format!("{} (breaks 5S {}; this attempt: {})", c.name.get(lang), c.principle.name(lang), cap.get(lang)),
            };
            ui.label(RichText::new(line).size(22.0).strong().color(palette::BAD));
        }
        ui.add_space(6.0);
        let answer = render_all(s, &step.answer, lang);
        if !answer.is_empty() {
            ui.label(RichText::new(t(lang, "你的回答：", "Your answer:")).color(palette::MUTED));
            for a in answer {
                ui.label(RichText::new(a).size(22.0));
            }
            ui.add_space(6.0);
        }
        for f in render_all(s, &step.feedback, lang) {
            ui.label(RichText::new(f).text_style(line_style()));
        }
        let eff = effects_line(&step.effects, s.scenario(), lang);
        if !eff.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new(eff).color(palette::MUTED).size(20.0));
        }
    });
    ui.add_space(10.0);
    let label = if fb.ended { t(lang, "查看结果（回车）", "See the results (Enter)") } else { t(lang, "继续（回车）", "Continue (Enter)") };
    if big_button(ui, label, 300.0).clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
        out.push(Intent::DismissFeedback);
    }
}
