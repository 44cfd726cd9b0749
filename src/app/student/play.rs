//! Play: the speaker and the line, options as large buttons (keys 1-9, Tab and Enter), a widget
//! for every activity kind, the ringing phone, the countdown bar, hints, feedback after each
//! decision with every row of an activity marked, and a practice "try again".

use std::collections::BTreeSet;

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_egui::egui::{self, Key, RichText, Ui};
use bevy_egui::{EguiContexts, EguiInput, EguiPreUpdateSet, EguiPrimaryContextPass, PrimaryEguiContext};
use bevy_state::prelude::*;

use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::{Bar, framed, framed_own};
use crate::app::attempt::{Active, Attempt, Draft, Feedback, Retrying};
use crate::app::intent::{Intent, Notice};
use crate::app::student::{effects_line, render_all};
use crate::app::perf::Animate;
use crate::app::settings::{AppPaths, Settings};
use crate::app::theme::portraits::Portraits;
use crate::app::theme::widgets::{big_button, card, chip, option_button, para, para_leaving, phone, plain_button, portrait, t, tinted};
use crate::app::theme::{ThemeSet, line_style, palette};
use crate::scenario::{Lang, Node, Text};
use crate::session::{Action, Mark, Session, Shown, View};

/// What the play screen keeps between frames besides the draft.
#[derive(Resource, Default, Debug)]
pub struct PlayUi {
    /// Asking "pause and go back to the library?" (a Space that landed on 暂停 no longer leaves).
    pub confirm_pause: bool,
    /// A form answer held back by "N fields are empty: submit anyway?": the empty fields' labels
    /// and the answer to send.
    pub confirm_blank: Option<(Vec<String>, Action)>,
    /// The conversation panel shown or hidden by the student; `None`: shown when the window is
    /// wide enough for it and the activity side by side.
    pub transcript: Option<bool>,
    /// What the screen showed last frame (node, card, retry): the keyboard focus is dropped when
    /// it changes, so an Enter meant for one screen never commits what took its place.
    shown: String,
}

/// Keyboard input held back to the next frame (see [`split_after_tab`]).
#[derive(Resource, Default)]
struct HeldInput(Vec<egui::Event>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Draft>()
        .init_resource::<PlayUi>()
        .init_resource::<HeldInput>()
        .add_systems(PreUpdate, hold_input_after_tab.after(EguiPreUpdateSet::ProcessInput).before(EguiPreUpdateSet::BeginPass))
        .add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Play)));
}

/// Split a frame's input at its first Tab when keys or text follow it: egui moves the focus at
/// the start of a frame and gives all of the frame's text to the field focused then, so "abc⇥def"
/// typed faster than a frame put "abcdef" in the first field (issue 10: characters went missing
/// from the next field). Everything after the Tab waits for the next frame, when the focus has moved.
pub fn split_after_tab(mut events: Vec<egui::Event>) -> (Vec<egui::Event>, Vec<egui::Event>) {
    let tab = events.iter().position(|e| matches!(e, egui::Event::Key { key: Key::Tab, pressed: true, .. }));
    let Some(tab) = tab else { return (events, Vec::new()) };
    let typed_after = events[tab + 1..].iter().any(|e| matches!(e, egui::Event::Text(_) | egui::Event::Paste(_) | egui::Event::Key { pressed: true, .. }));
    if !typed_after {
        return (events, Vec::new());
    }
    let later = events.split_off(tab + 1);
    (events, later)
}

/// Feed the held-back input first, then hold back whatever follows a Tab (a redraw is asked
/// for, so the rest arrives in the very next frame).
fn hold_input_after_tab(mut held: ResMut<HeldInput>, mut inputs: Query<&mut EguiInput, With<PrimaryEguiContext>>, mut redraw: MessageWriter<RequestRedraw>) {
    let Ok(mut input) = inputs.single_mut() else { return };
    if held.0.is_empty() && !input.events.iter().any(|e| matches!(e, egui::Event::Key { key: Key::Tab, pressed: true, .. })) {
        return;
    }
    let mut all = std::mem::take(&mut held.0);
    all.append(&mut input.events);
    let (now, later) = split_after_tab(all);
    input.events = now;
    if !later.is_empty() {
        redraw.write(RequestRedraw);
    }
    held.0 = later;
}

/// Which keys the screen may act on this frame.
#[derive(Clone, Copy)]
struct Keys {
    /// Enter and Space: nothing has the keyboard focus (a focused button takes them itself, a
    /// text field types them) and no question is open.
    free: bool,
    /// Number keys: no text field has the focus and no question is open.
    numbers: bool,
}

impl Keys {
    fn enter(self, ui: &Ui) -> bool {
        self.free && ui.input(|i| i.key_pressed(Key::Enter))
    }
}

const NUM_KEYS: [Key; 9] = [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    attempt: Res<Attempt>,
    retrying: Res<Retrying>,
    mut draft: ResMut<Draft>,
    mut state: ResMut<PlayUi>,
    time: Res<Time<Real>>,
    mut animate: ResMut<Animate>,
    mut notice: ResMut<Notice>,
    mut portraits: ResMut<Portraits>,
    paths: Res<AppPaths>,
    mut send: Send,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let Some(active) = attempt.0.as_ref() else {
        let out = framed(&ctx, &settings, &mut notice, Bar::None, |ui, out| {
            if ui.button(t(lang, "返回题库", "Back to the library")).clicked() {
                out.push(Intent::ToLibrary);
            }
        });
        send.send_all(out);
        return Ok(());
    };
    let s = &active.session;
    let retry = retrying.current(active).is_some();
    // A practice retry shows the activity as the first try saw it; the draft still holds the
    // first try's answer (kept while its card was read), to be corrected.
    let view = if retry { s.retry_view(lang).unwrap_or_else(|| s.view(lang)) } else { s.view(lang) };
    let card_shown = active.feedback.is_some() && !retry;
    if !card_shown {
        draft.sync(&view);
    }
    let shown = format!("{}|{card_shown}|{retry}|{}", view.node(), s.steps().len());
    if state.shown != shown {
        if let Some(id) = ctx.memory(|m| m.focused()) {
            ctx.memory_mut(|m| m.surrender_focus(id));
        }
        state.shown = shown;
    }
    let question = state.confirm_pause || state.confirm_blank.is_some();
    let keys = Keys {
        free: !question && !ctx.egui_wants_keyboard_input() && ctx.memory(|m| m.focused().is_none()),
        numbers: !question && !ctx.egui_wants_keyboard_input(),
    };
    let elapsed = active.elapsed_ms(time.elapsed());
    let speaker = match &view {
        View::Line { speaker, .. } | View::Choice { speaker, .. } => speaker.as_ref(),
        _ => None,
    };
    let face = speaker.and_then(|sp| sp.portrait.as_deref()).and_then(|p| portraits.get(&ctx, p, &paths.portrait_dirs, &active.loaded.path));

    // The conversation panel beside the activity only where both fit (1024 px at a large text
    // size leaves ~760 points: the panel would take 44 % of it).
    // A table needs about 720 points of its own.
    let width = ctx.content_rect().width();
    let wide = width >= if matches!(view, View::Table { .. }) { 1300.0 } else { 1000.0 };
    // Projector mode: the dialogue and choices take the screen; the panel opens on request.
    let show_transcript = state.transcript.unwrap_or(wide && !settings.projector);
    // The page frame with the play screen's own top: its bar, the turn bar, the conversation.
    let top = |ui: &mut Ui, state: &mut PlayUi, out: &mut Vec<Intent>| {
        play_bar(ui, active, retry, show_transcript, &settings, state, out);
        turn_bar(ui, active, card_shown, lang, out);
        if show_transcript {
            transcript(ui, s, lang, (width * 0.3).clamp(220.0, 330.0));
        }
    };
    let mut out = framed_own(&ctx, &settings, &mut notice, &mut *state, top, |ui, state, out| {
        if let Some(err) = &active.autosave_error {
            ui.label(RichText::new(format!("{} {err}", t(lang, "⚠ 自动保存失败：", "⚠ Autosave failed:"))).color(palette::BAD));
        }
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            if let Some(fb) = active.feedback.as_ref().filter(|_| card_shown) {
                feedback_card(ui, s, fb, active.can_retry(), keys, lang, out);
                return;
            }
            // Rows the last try got wrong, marked on the retry.
            let mut wrong_before = BTreeSet::new();
            if retry && let Some(fb) = &active.feedback {
                tinted(ui, palette::PRIMARY_SOFT, palette::PRIMARY, |ui| {
                    para(ui, RichText::new(t(lang, "↻ 再试一次（练习，不计分）", "↻ Try again (practice, not scored)")).size(24.0).strong().color(palette::PRIMARY));
                    para(ui, RichText::new(t(
                        lang,
                        "成绩按第一次作答计算，这次的作答也会记录下来。上次做错的地方标了 ×，改好再提交。",
                        "The first try is what counts; this one is recorded too. What was wrong last time is marked ×: fix it and submit.",
                    )).size(19.0));
                });
                ui.add_space(6.0);
                wrong_before = fb.step.marks.iter().filter(|m| !m.right).map(|m| m.id.clone()).collect();
            } else {
                for h in &active.hints {
                    tinted(ui, palette::WARN_SOFT, palette::WARN, |ui| {
                        para(ui, RichText::new(format!("{}{}", t(lang, "提示：", "Hint: "), s.render(h, lang))).size(22.0));
                    });
                }
            }
            let mut ctx_ui = NodeCtx { s, face: face.as_ref(), elapsed, lang, keys, wrong_before: &wrong_before };
            node_ui(ui, &mut ctx_ui, &view, &mut draft, state, &mut animate, out);
        });
    });
    questions(&ctx, &mut state, lang, &mut out);
    send.send_all(out);
    Ok(())
}

/// A question's box: the popup frame with room around the text.
fn question_frame(ctx: &egui::Context) -> egui::Frame {
    egui::Frame::popup(&ctx.global_style()).inner_margin(egui::Margin::same(24)).corner_radius(12)
}

/// The open question, if any: pausing, or a form with empty fields.
fn questions(ctx: &egui::Context, state: &mut PlayUi, lang: Lang, out: &mut Vec<Intent>) {
    if state.confirm_pause {
        let r = egui::Modal::new(egui::Id::new("confirm-pause")).frame(question_frame(ctx)).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.label(RichText::new(t(lang, "暂停练习，回到题库？", "Pause and go back to the library?")).size(26.0).strong());
            para(ui, RichText::new(t(lang, "已经作答的都自动保存了；回到题库后可以接着做。", "Everything answered so far is saved; you can carry on from the library.")).size(20.0));
            ui.add_space(8.0);
            let mut close = false;
            ui.horizontal(|ui| {
                let stay = big_button(ui, t(lang, "继续练习", "Keep playing"), 200.0);
                if !ui.memory(|m| m.focused().is_some()) {
                    stay.request_focus();
                }
                if stay.clicked() {
                    close = true;
                }
                if plain_button(ui, t(lang, "暂停，回题库", "Pause: library")).clicked() {
                    out.push(Intent::LeavePlay);
                    close = true;
                }
            });
            close
        });
        if r.inner || r.should_close() {
            state.confirm_pause = false;
        }
    }
    if let Some((empty, action)) = state.confirm_blank.clone() {
        let r = egui::Modal::new(egui::Id::new("confirm-blank")).frame(question_frame(ctx)).show(ctx, |ui| {
            ui.set_max_width(560.0);
            let table = matches!(action, Action::Table(_));
            let title = match (lang, table) {
                (Lang::Zh, false) => format!("有 {} 栏没填，确定提交？", empty.len()),
                (Lang::Zh, true) => format!("有 {} 格没填，确定提交？", empty.len()),
                (Lang::En, false) => format!("{} field{} left empty: submit anyway?", empty.len(), if empty.len() == 1 { "" } else { "s" }),
                (Lang::En, true) => format!("{} cell{} left empty: submit anyway?", empty.len(), if empty.len() == 1 { "" } else { "s" }),
            };
            ui.label(RichText::new(title).size(26.0).strong());
            // A table can leave many cells empty: the first few are named.
            let shown: Vec<String> = empty.iter().take(8).cloned().chain((empty.len() > 8).then(|| "…".to_string())).collect();
            para(ui, RichText::new(shown.join(t(lang, "、", ", "))).size(20.0).color(palette::WARN));
            let why = if table { t(lang, "没填的格算错。", "An empty cell counts as wrong.") } else { t(lang, "没填的栏算没有记对。", "An empty field counts as not noted.") };
            para(ui, RichText::new(why).size(19.0).color(palette::MUTED));
            ui.add_space(8.0);
            let mut close = false;
            ui.horizontal(|ui| {
                let back = big_button(ui, t(lang, "返回填写", "Go back and fill in"), 220.0);
                if !ui.memory(|m| m.focused().is_some()) {
                    back.request_focus();
                }
                if back.clicked() {
                    close = true;
                }
                if plain_button(ui, t(lang, "确定提交", "Submit anyway")).clicked() {
                    out.push(Intent::Answer(action.clone()));
                    close = true;
                }
            });
            close
        });
        if r.inner || r.should_close() {
            state.confirm_blank = None;
        }
    }
}

/// Title, the conversation toggle, the hint button with what it does to the best reachable
/// total (the core's preview), pause.
fn play_bar(root: &mut Ui, active: &Active, retry: bool, transcript_shown: bool, settings: &Settings, state: &mut PlayUi, out: &mut Vec<Intent>) {
    let sc = &active.loaded.scenario;
    let lang = settings.lang;
    egui::Panel::top("play-bar")
        .frame(egui::Frame::new().fill(palette::PANEL).inner_margin(egui::Margin::symmetric(20, 10)).stroke(egui::Stroke::new(1.0, palette::LINE)))
        .show(root, |ui| {
            // Buttons first, from the right; the title takes what is left and is cut short.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(t(lang, "暂停", "Pause")).on_hover_text(t(lang, "暂停，回到题库（进度已保存）", "Pause and go back to the library (progress is saved)")).clicked() {
                    state.confirm_pause = true;
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
                        let more = match (lang, left) {
                            (Lang::Zh, _) => format!("这里还有 {left} 条提示。"),
                            (Lang::En, 1) => "One hint left here.".to_string(),
                            (Lang::En, _) => format!("{left} hints left here."),
                        };
                        let button = egui::Button::new(RichText::new(label).color(palette::WARN)).stroke(egui::Stroke::new(2.0, palette::WARN));
                        if ui.add(button).on_hover_text(format!("{}\n{more}", p.text().get(lang))).clicked() {
                            out.push(Intent::Hint);
                        }
                    }
                    None => {
                        let (label, why) = if retry || active.feedback.is_some() {
                            (t(lang, "求助提示", "Hint"), t(lang, "先看完反馈。", "Read the feedback first."))
                        } else if !active.hints.is_empty() {
                            // Taken: it stays on the screen until the answer.
                            (t(lang, "提示已用", "Hint used"), t(lang, "提示就在题目上方。", "The hint is above the question."))
                        } else {
                            (t(lang, "此处没有提示", "No hint here"), "")
                        };
                        let r = ui.add_enabled(false, egui::Button::new(label));
                        if !why.is_empty() {
                            r.on_disabled_hover_text(why);
                        }
                    }
                }
                crate::app::page::projector_toggle(ui, settings, out);
                let toggle = if transcript_shown { t(lang, "收起对话记录 →", "Hide conversation →") } else { t(lang, "← 对话记录", "← Conversation") };
                if ui.button(toggle).clicked() {
                    state.transcript = Some(!transcript_shown);
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(egui::Label::new(RichText::new(sc.title.get(lang)).size(24.0).strong()).truncate());
                    if active.exam_mode {
                        chip(ui, t(lang, "考试模式", "Exam mode"), palette::BAD_SOFT, palette::BAD);
                    }
                });
            });
        });
}

/// Group play: whose turn it is (number, name, role, their colour), large enough for a
/// projector, and the buttons to hand the decision to a teammate.
fn turn_bar(root: &mut Ui, active: &Active, card_shown: bool, lang: Lang, out: &mut Vec<Intent>) {
    let (Some(group), Some(mut turn)) = (active.record.group.as_ref(), active.turn()) else { return };
    // The feedback card is about the answer just given (the session has moved on): its member.
    // A practice retry is the one who gave the answer it repeats.
    if card_shown && let Some(last) = group.last_answerer(&active.session) {
        turn = crate::session::group::Turn { member: last, role: None, passed_from: None };
    } else if active.feedback.is_some() {
        turn = crate::session::group::Turn { member: group.answerer(&active.session, &Action::Retry(Box::new(Action::Continue))), role: None, passed_from: None };
    }
    if active.session.is_ended() && !card_shown {
        return;
    }
    let sc = &active.loaded.scenario;
    let label = |i: usize| -> String {
        let m = &group.members[i];
        let name = if m.name.is_empty() { m.id.as_str() } else { m.name.as_str() };
        format!("{} {name}", circled(i + 1))
    };
    let Some(me) = group.members.get(turn.member) else { return };
    let colour = palette::for_key(&me.id);
    let role = turn.role.as_deref().and_then(|r| sc.roles.iter().find(|x| x.id == r)).map(|r| format!(" · {}", active.session.render(&r.name, lang))).unwrap_or_default();
    egui::Panel::top("turn-bar")
        .frame(egui::Frame::new().fill(colour.gamma_multiply(0.14)).inner_margin(egui::Margin::symmetric(20, 8)).stroke(egui::Stroke::new(3.0, colour)))
        .show(root, |ui| {
            ui.horizontal_wrapped(|ui| {
                let lead = if card_shown { t(lang, "刚才作答：", "Just answered: ") } else { t(lang, "轮到：", "Your turn: ") };
                ui.label(RichText::new(lead).size(28.0).color(palette::MUTED));
                ui.label(RichText::new(format!("{}{role}", label(turn.member))).size(32.0).strong().color(colour));
                if let Some(from) = turn.passed_from {
                    let by = match lang {
                        Lang::Zh => format!("（{} 让给的）", label(from)),
                        Lang::En => format!("(passed on by {})", label(from)),
                    };
                    ui.label(RichText::new(by).size(22.0).color(palette::MUTED));
                }
                // Only a decision can be passed (a line is read, not answered).
                if card_shown || active.feedback.is_some() || active.session.node().kind() == "Line" {
                    return;
                }
                ui.add_space(16.0);
                ui.label(RichText::new(t(lang, "让给：", "Pass to:")).size(20.0).color(palette::MUTED));
                for i in (0..group.members.len()).filter(|i| *i != turn.member) {
                    let b = egui::Button::new(RichText::new(label(i)).size(20.0)).stroke(egui::Stroke::new(2.0, palette::for_key(&group.members[i].id)));
                    if ui.add(b).on_hover_text(t(lang, "把这一步交给这位组员（记录下来，老师评“互助与合作”时能看到）", "Hand this decision to this teammate (recorded: the teacher sees it when rating cooperation)")).clicked() {
                        out.push(Intent::PassTo(i));
                    }
                }
            });
        });
}

/// A member's number as shown ("2.").
pub fn circled(n: usize) -> String {
    format!("{n}.")
}

/// What has been said so far, on the right.
fn transcript(root: &mut Ui, s: &Session, lang: Lang, width: f32) {
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

/// An activity's prompt, without the colon it ends with (it is quoted in the transcript).
fn prompt_of(n: &Node, s: &Session, lang: Lang) -> String {
    let p = match n {
        Node::Match(m) => s.render(&m.prompt, lang),
        Node::Order(o) => s.render(&o.prompt, lang),
        Node::Form(f) => s.render(&f.prompt, lang),
        Node::Compose(c) => s.render(&c.prompt, lang),
        Node::Say(x) => s.render(&x.prompt, lang),
        Node::Table(x) => s.render(&x.prompt, lang),
        _ => String::new(),
    };
    p.trim_end_matches(['：', ':', '，', ',', ' ']).to_string()
}

fn speaker_row(ui: &mut Ui, speaker: Option<&crate::session::Speaker>, face: Option<&egui::TextureHandle>, lang: Lang) {
    let Some(sp) = speaker else { return };
    ui.horizontal(|ui| {
        match face {
            // A teacher's picture wins; otherwise the person, looking as the talk goes.
            Some(_) => {
                portrait(ui, &sp.name, &sp.id, 84.0, face);
            }
            None => {
                let expression = if sp.is_student { crate::app::theme::faces::Expression::Pleased } else { sp.mood.into() };
                crate::app::theme::faces::person(ui, &sp.id, &sp.name, 84.0, expression, lang);
            }
        }
        ui.vertical(|ui| {
            ui.add_space(12.0);
            ui.label(RichText::new(&sp.name).size(26.0).strong());
            if sp.is_student {
                ui.label(RichText::new(t(lang, "（你）", "(you)")).color(palette::GOOD));
            } else if sp.replay {
                // Someone else's past words, even in the student's role (P1 T3's replayed call).
                ui.label(RichText::new(t(lang, "（回放）", "(replay)")).color(palette::MUTED));
            }
        });
    });
}

fn prompt(ui: &mut Ui, text: &str) {
    para(ui, RichText::new(text).text_style(line_style()).strong());
    ui.add_space(6.0);
}

/// The submit button and, below it, why it is not ready yet. The line below keeps its height
/// when it empties, so nothing moves under the pointer when the last item is placed.
fn submit(ui: &mut Ui, lang: Lang, ready: bool, why_not: &str) -> bool {
    ui.add_space(10.0);
    let clicked = ui.horizontal(|ui| ui.add_enabled_ui(ready, |ui| big_button(ui, t(lang, "提交", "Submit"), 220.0)).inner).inner.clicked();
    let why = RichText::new(if why_not.is_empty() { " " } else { why_not }).color(palette::MUTED);
    ui.add_visible(!ready && !why_not.is_empty(), egui::Label::new(why));
    clicked
}

/// A node's countdown: the bar and the seconds left (the frames keep coming while it runs).
fn countdown_row(ui: &mut Ui, lang: Lang, limit: u64, elapsed: u64, animate: &mut Animate) {
    animate.0 = true;
    let left_ms = limit.saturating_sub(elapsed);
    let label = match lang {
        Lang::Zh => format!("剩余 {} 秒", left_ms.div_ceil(1000)),
        Lang::En => format!("{} s left", left_ms.div_ceil(1000)),
    };
    crate::app::theme::widgets::countdown(ui, left_ms as f32 / limit as f32, &label);
    ui.add_space(6.0);
}

/// What every node widget needs besides the draft.
struct NodeCtx<'a> {
    s: &'a Session,
    face: Option<&'a egui::TextureHandle>,
    elapsed: u64,
    lang: Lang,
    keys: Keys,
    /// Rows marked wrong on the last try (shown × on a retry).
    wrong_before: &'a BTreeSet<String>,
}

/// A red × beside a row the last try got wrong.
fn was_wrong(ui: &mut Ui, c: &NodeCtx, id: &str) {
    if c.wrong_before.contains(id) {
        ui.label(RichText::new("×").size(26.0).strong().color(palette::BAD)).on_hover_text(t(c.lang, "上次这里错了", "Wrong last time"));
    }
}

#[allow(clippy::too_many_arguments, reason = "the node widgets share the frame's state")]
fn node_ui(ui: &mut Ui, c: &mut NodeCtx, view: &View, draft: &mut Draft, state: &mut PlayUi, animate: &mut Animate, out: &mut Vec<Intent>) {
    let (s, lang) = (c.s, c.lang);
    let w = ui.available_width().min(820.0);
    let enter = c.keys.enter(ui);
    match view {
        View::Line { speaker, text, .. } => {
            speaker_row(ui, speaker.as_ref(), c.face, lang);
            if speaker.is_none() {
                // Narration: plain upright text in its own colour on a tinted card (CJK fonts
                // have no italics; egui slanted the glyphs).
                tinted(ui, palette::BG, palette::LINE, |ui| {
                    para(ui, RichText::new(text).text_style(line_style()).color(palette::MUTED));
                });
            } else {
                card(ui, |ui| {
                    para(ui, RichText::new(text).text_style(line_style()));
                });
            }
            ui.add_space(8.0);
            if ui.horizontal(|ui| big_button(ui, t(lang, "继续（回车）", "Continue (Enter)"), 260.0)).inner.clicked() || enter {
                out.push(Intent::Answer(Action::Continue));
            }
        }
        View::Choice { speaker, prompt: p, options, time_limit_ms, .. } => {
            speaker_row(ui, speaker.as_ref(), c.face, lang);
            prompt(ui, p);
            if let Some(limit) = time_limit_ms {
                countdown_row(ui, lang, *limit, c.elapsed, animate);
            }
            let keys: Vec<bool> = if c.keys.numbers { ui.input(|i| NUM_KEYS.iter().map(|k| i.key_pressed(*k)).collect()) } else { Vec::new() };
            // The first Tab goes to the first option (not to the buttons of the bar above).
            let first_tab = c.keys.free && ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Key { key: Key::Tab, pressed: true, modifiers, .. } if !modifiers.any())));
            for (i, o) in options.iter().enumerate() {
                let pressed = keys.get(i).copied().unwrap_or(false);
                // Tab and ↑ ↓ move between the cards, Enter or Space takes the focused one
                // (egui's keyboard click); the theme draws the focus ring around it.
                let r = option_button(ui, i + 1, &o.text, w);
                if i == 0 && first_tab {
                    r.request_focus();
                }
                if r.clicked() || pressed {
                    out.push(Intent::Answer(Action::Choose(o.id.clone())));
                }
            }
            para(
                ui,
                RichText::new(t(lang, "按数字键 1-9 选择；或按 Tab 移到选项上（有黑框），再按回车", "Keys 1-9 pick an option; or Tab to one (it gets a dark frame) and press Enter"))
                    .color(palette::MUTED)
                    .size(17.0),
            );
        }
        View::Match { prompt: p, items, categories, .. } => {
            prompt(ui, p);
            for item in items {
                card(ui, |ui| {
                    ui.horizontal(|ui| {
                        was_wrong(ui, c, &item.id);
                        para(ui, RichText::new(&item.text).size(24.0).strong());
                    });
                    ui.horizontal_wrapped(|ui| {
                        for cat in categories {
                            let on = draft.placed.get(&item.id) == Some(&cat.id);
                            if ui.add(egui::Button::selectable(on, RichText::new(&cat.text).size(21.0)).min_size(egui::vec2(0.0, 44.0))).clicked() {
                                draft.placed.insert(item.id.clone(), cat.id.clone());
                            }
                        }
                    });
                });
            }
            let missing = items.iter().filter(|i| !draft.placed.contains_key(&i.id)).count();
            let why = match (lang, missing) {
                (Lang::Zh, _) => format!("还有 {missing} 项没有归类"),
                (Lang::En, 1) => "1 item still to place".to_string(),
                (Lang::En, _) => format!("{missing} items still to place"),
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
                        was_wrong(ui, c, id);
                        para_leaving(ui, RichText::new(text_of(id)).size(24.0), 130.0);
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
        View::Form { node, prompt: p, fields, .. } => {
            prompt(ui, p);
            let mut entered = false;
            card(ui, |ui| {
                ui.label(RichText::new(t(lang, "记事本（回车提交）", "Notepad (Enter submits)")).color(palette::MUTED));
                // The fields take what the labels leave (narrow windows, large text).
                let label_w = fields.iter().map(|f| f.text.chars().count()).max().unwrap_or(4) as f32 * 24.0;
                let field_w = (ui.available_width() - label_w - 80.0).clamp(160.0, 420.0);
                egui::Grid::new(("form", &draft.node)).num_columns(2).spacing([18.0, 14.0]).show(ui, |ui| {
                    for f in fields {
                        ui.horizontal(|ui| {
                            was_wrong(ui, c, &f.id);
                            ui.label(RichText::new(&f.text).size(24.0));
                        });
                        let value = draft.form.entry(f.id.clone()).or_default();
                        let r = ui.add(egui::TextEdit::singleline(value).desired_width(field_w).font(egui::FontId::proportional(24.0)));
                        // A single-line field gives up the focus on Enter: that Enter submits.
                        if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                            entered = true;
                        }
                        ui.end_row();
                    }
                });
            });
            let values: Vec<(String, String)> = fields.iter().map(|f| (f.id.clone(), draft.form.get(&f.id).cloned().unwrap_or_default())).collect();
            if submit(ui, lang, true, "") || entered {
                // The core says which fields are empty (spaces and punctuation only): ask first.
                let empty = s.blank_fields(node, &values);
                let action = Action::Form(values);
                if empty.is_empty() {
                    out.push(Intent::Answer(action));
                } else {
                    let labels = empty.iter().filter_map(|id| fields.iter().find(|f| &f.id == id)).map(|f| f.text.clone()).collect();
                    state.confirm_blank = Some((labels, action));
                }
            }
        }
        View::Compose { prompt: p, phrases, min, max, .. } => {
            compose_ui(ui, p, phrases, *min, *max, draft, lang, out);
        }
        View::Say { prompt: p, speaker, max_chars, time_limit_ms, .. } => {
            speaker_row(ui, speaker.as_ref(), c.face, lang);
            prompt(ui, p);
            if let Some(limit) = time_limit_ms {
                countdown_row(ui, lang, *limit, c.elapsed, animate);
            }
            let max = *max_chars as usize;
            let mut send = false;
            card(ui, |ui| {
                ui.label(RichText::new(t(lang, "你说（打字，可用中文输入法；Ctrl+回车说出）：", "You say (type; a Chinese input method works; Ctrl+Enter to say it):")).color(palette::MUTED));
                let r = ui.add(
                    egui::TextEdit::multiline(&mut draft.say)
                        .desired_width(w.min(ui.available_width()))
                        .desired_rows(3)
                        .char_limit(max)
                        .font(egui::FontId::proportional(24.0))
                        .hint_text(t(lang, "例如：您好，……", "e.g. 您好，……")),
                );
                if !draft.say_focused {
                    r.request_focus();
                    draft.say_focused = true;
                }
                // Enter confirms a word in a Chinese input method: only Ctrl+Enter says it.
                if r.has_focus() && ui.input(|i| i.key_pressed(Key::Enter) && i.modifiers.command) {
                    send = true;
                }
                let n = draft.say.chars().count();
                let counter = match lang {
                    Lang::Zh => format!("{n} / {max} 字"),
                    Lang::En => format!("{n} / {max} characters"),
                };
                ui.label(RichText::new(counter).color(if n >= max { palette::BAD } else { palette::MUTED }));
            });
            let ready = !draft.say.trim().is_empty();
            if (submit(ui, lang, ready, t(lang, "先写下你要对客户说的话", "Write what you would say first")) || send) && ready {
                out.push(Intent::Answer(Action::Say(draft.say.clone())));
            }
        }
        View::Table { node, speaker, prompt: p, columns, places, keys, data, .. } => {
            speaker_row(ui, speaker.as_ref(), c.face, lang);
            prompt(ui, p);
            let tv = super::table::TableView { node, columns, places, keys, data };
            let focus_first = !std::mem::replace(&mut draft.table_focused, true);
            let ctrl_enter = super::table::grid(ui, s, &tv, &mut draft.table, focus_first, c.wrong_before, lang);
            if submit(ui, lang, true, "") || ctrl_enter {
                super::table::submit_or_ask(&tv, &draft.table, lang, &mut state.confirm_blank, out);
            }
        }
        View::Phone { prompt: p, max_rings, .. } => {
            animate.0 = true;
            prompt(ui, p);
            let ring = s.ring_at(c.elapsed).min(*max_rings);
            let secs = c.elapsed as f32 / 1000.0;
            let pickup_key = c.keys.free && ui.input(|i| i.key_pressed(Key::Space) || i.key_pressed(Key::Enter));
            ui.horizontal(|ui| {
                phone(ui, secs, true, 150.0);
                ui.vertical(|ui| {
                    ui.add_space(30.0);
                    let label = match lang {
                        Lang::Zh => format!("铃声第 {ring} 声（响 {max_rings} 声没人接，对方就会挂断）"),
                        Lang::En => format!("Ring {ring} (the caller hangs up after {max_rings} rings)"),
                    };
                    para(ui, RichText::new(label).size(24.0).strong().color(palette::BAD));
                    ui.add_space(10.0);
                    if big_button(ui, t(lang, "接听（空格）", "Answer (Space)"), 260.0).clicked() || pickup_key {
                        out.push(Intent::Answer(Action::Pickup));
                    }
                });
            });
        }
        View::Dial { prompt: p, directory, max_digits, tries, max_tries, .. } => {
            prompt(ui, p);
            dial_ui(ui, c, directory, *max_digits, *tries, *max_tries, draft, animate, out);
        }
        View::Ended { outcome, success, .. } => {
            tinted(ui, if *success { palette::GOOD_SOFT } else { palette::BAD_SOFT }, if *success { palette::GOOD } else { palette::BAD }, |ui| {
                para(ui, RichText::new(outcome).text_style(line_style()));
            });
            if ui.horizontal(|ui| big_button(ui, t(lang, "查看结果", "See the results"), 260.0)).inner.clicked() || enter {
                out.push(Intent::ShowResults);
            }
        }
    }
}

/// How long the number rings out (嘟……嘟……) before whoever answers appears.
pub const RING_OUT_MS: u64 = 1200;

/// The keys of a phone's keypad, row by row.
const KEYPAD: [[char; 3]; 4] = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['*', '0', '#']];

/// A digit or key a phone takes, from what the keyboard typed (full-width digits too).
fn phone_key(c: char) -> Option<char> {
    let c = match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32)?,
        '＊' => '*',
        '＃' => '#',
        c => c,
    };
    (c.is_ascii_digit() || c == '*' || c == '#').then_some(c)
}

/// An outgoing call: the handset (the number keyed in shown large, a 12-key keypad, delete and
/// dial) and the directory card beside it when the scenario gives one. Keyboard digits,
/// Backspace and Enter work as well; the number rings out for [`RING_OUT_MS`] before the answer
/// goes to the core (frames are asked for only while it rings).
#[allow(clippy::too_many_arguments, reason = "the dial widget's parts")]
fn dial_ui(ui: &mut Ui, c: &NodeCtx, directory: &[crate::session::Listed], max_digits: u32, tries: u32, max_tries: u32, draft: &mut Draft, animate: &mut Animate, out: &mut Vec<Intent>) {
    let lang = c.lang;
    let max = max_digits as usize;
    if let Some(since) = draft.ringing_since {
        animate.0 = true;
        let ms = c.elapsed.saturating_sub(since);
        if ms >= RING_OUT_MS {
            out.push(Intent::Answer(Action::Dial(std::mem::take(&mut draft.dial))));
            draft.ringing_since = None;
        }
    } else if c.keys.numbers {
        let (typed, back, enter) = ui.input(|i| {
            let typed: String = i.events.iter().filter_map(|e| if let egui::Event::Text(t) = e { Some(t.as_str()) } else { None }).collect();
            (typed, i.key_pressed(Key::Backspace), i.key_pressed(Key::Enter))
        });
        for k in typed.chars().filter_map(phone_key) {
            if draft.dial.chars().count() < max {
                draft.dial.push(k);
            }
        }
        if back {
            draft.dial.pop();
        }
        if enter && !draft.dial.is_empty() {
            draft.ringing_since = Some(c.elapsed);
        }
    }
    let ringing = draft.ringing_since.is_some();
    let wide = ui.available_width() >= 620.0;
    // The keypad's width: three keys of 88 and two gaps of 8.
    const PAD_W: f32 = 3.0 * 88.0 + 2.0 * 8.0;
    // Keys as tall as the window allows, so the dial button stays in view on a 768-px screen
    // at a large text size (the rest of the screen takes about 420 points).
    let key_h = ((ui.ctx().content_rect().height() - 420.0) / 5.0).clamp(34.0, 52.0);
    // A button is as tall as its text: smaller keys need smaller digits.
    let key_font = (key_h * 0.55).clamp(20.0, 28.0);
    let handset = |ui: &mut Ui, draft: &mut Draft| {
        // A card inside a row lays out in a row too: the handset is a column.
        card(ui, |ui| ui.vertical(|ui| {
            ui.set_width(PAD_W);
            // The number keyed in, large, on the phone's display.
            egui::Frame::new().fill(palette::TEXT).corner_radius(8).inner_margin(egui::Margin::symmetric(14, 8)).show(ui, |ui| {
                ui.set_width(PAD_W - 28.0);
                let shown = if draft.dial.is_empty() { "_ ".repeat(max.min(8)).trim_end().to_string() } else { draft.dial.clone() };
                let color = if draft.dial.is_empty() { palette::MUTED } else { egui::Color32::WHITE };
                ui.label(RichText::new(shown).monospace().size(key_font + 10.0).color(color));
            });
            ui.add_space(4.0);
            if ringing {
                let dots = ((c.elapsed.saturating_sub(draft.ringing_since.unwrap_or(0)) / 300) % 4) as usize;
                let label = format!("{}{}", t(lang, "嘟……嘟……正在呼叫", "Ringing"), "·".repeat(dots));
                ui.label(RichText::new(label).size(19.0).strong().color(palette::GOOD));
            } else {
                let label = match lang {
                    Lang::Zh => format!("已拨 {tries} 次，最多 {max_tries} 次"),
                    Lang::En => format!("{tries} of {max_tries} tries made"),
                };
                ui.label(RichText::new(label).size(19.0).color(palette::MUTED));
            }
            ui.add_space(4.0);
            ui.add_enabled_ui(!ringing, |ui| {
                egui::Grid::new("keypad").spacing([8.0, 8.0]).show(ui, |ui| {
                    for row in KEYPAD {
                        for k in row {
                            let r = ui.add(egui::Button::new(RichText::new(k.to_string()).size(key_font).strong()).min_size(egui::vec2(88.0, key_h)));
                            if r.clicked() {
                                if draft.dial.chars().count() < max {
                                    draft.dial.push(k);
                                }
                                // The key keeps no focus: Enter dials, it does not press the key again.
                                r.surrender_focus();
                            }
                        }
                        ui.end_row();
                    }
                });
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let del = ui.add_enabled(!draft.dial.is_empty(), egui::Button::new(RichText::new(t(lang, "← 删除", "← Delete")).size((key_font - 8.0).max(18.0))).min_size(egui::vec2(88.0, key_h)));
                    if del.clicked() {
                        draft.dial.pop();
                        del.surrender_focus();
                    }
                    let call = ui.add_enabled(
                        !draft.dial.is_empty(),
                        egui::Button::new(RichText::new(t(lang, "☎ 拨出（回车）", "☎ Dial (Enter)")).size((key_font - 6.0).max(20.0)).strong().color(egui::Color32::WHITE)).fill(palette::GOOD).min_size(egui::vec2(184.0, key_h)),
                    );
                    if call.clicked() {
                        draft.ringing_since = Some(c.elapsed);
                        call.surrender_focus();
                    }
                });
            });
        }));
    };
    let directory_card = |ui: &mut Ui| {
        card(ui, |ui| ui.vertical(|ui| {
            if directory.is_empty() {
                ui.label(RichText::new(t(lang, "电话旁没有号码表", "No number list by the phone")).size(21.0).strong().color(palette::MUTED));
                para(ui, RichText::new(t(lang, "号码要靠你记住，或者从前面的对话里找。", "Remember the number, or find it in what was said earlier.")).size(18.0).color(palette::MUTED));
                return;
            }
            ui.label(RichText::new(t(lang, "号码表", "Number list")).size(21.0).strong().color(palette::MUTED));
            ui.add_space(4.0);
            egui::Grid::new("directory").num_columns(2).spacing([16.0, 10.0]).show(ui, |ui| {
                for l in directory {
                    ui.label(RichText::new(&l.number).monospace().size(24.0).strong());
                    para(ui, RichText::new(&l.label).size(21.0));
                    ui.end_row();
                }
            });
        }));
    };
    if wide {
        // A card takes all the width it is given: give each its own column.
        let column = |ui: &mut Ui, w: f32, add: &mut dyn FnMut(&mut Ui)| {
            ui.allocate_ui_with_layout(egui::vec2(w, 0.0), egui::Layout::top_down(egui::Align::Min), |ui| add(ui));
        };
        ui.horizontal_top(|ui| {
            column(ui, PAD_W + 38.0, &mut |ui| handset(ui, draft));
            ui.add_space(12.0);
            let rest = ui.available_width().min(420.0);
            column(ui, rest, &mut |ui| directory_card(ui));
        });
    } else {
        directory_card(ui);
        ui.add_space(6.0);
        handset(ui, draft);
    }
    para(ui, RichText::new(t(lang, "用键盘的数字键也能拨号：退格键删除，回车拨出", "Keyboard digits dial too: Backspace deletes, Enter dials")).color(palette::MUTED).size(17.0));
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
                para_leaving(ui, RichText::new(format!("{}. {}", i + 1, text_of(id))).size(22.0), 150.0);
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
        para(ui, RichText::new(preview.join(sep)).text_style(line_style()));
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
        (Lang::En, None) if min == 1 => "Choose at least one phrase".to_string(),
        (Lang::En, None) => format!("Choose at least {min} phrases"),
    };
    if submit(ui, lang, ok, &why) {
        out.push(Intent::Answer(Action::Compose(draft.compose.clone())));
    }
}

/// "step 1" → "Step 1" (a row starts with it).
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// "3 项中对了 2 项" / "2 of 3 items right": the rows right, by the activity's kind.
pub(super) fn marked_line(kind: &str, right: usize, all: usize, lang: Lang) -> String {
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
pub(super) fn mark_rows(ui: &mut Ui, marks: &[Mark], kind: &str, lang: Lang, size: f32, text: &dyn Fn(&Text) -> String) {
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

fn feedback_card(ui: &mut Ui, s: &Session, fb: &Feedback, can_retry: bool, keys: Keys, lang: Lang, out: &mut Vec<Intent>) {
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
            super::table::marked(ui, table, lang, 19.0);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: Key, pressed: bool) -> egui::Event {
        egui::Event::Key { key, physical_key: None, pressed, repeat: false, modifiers: egui::Modifiers::NONE }
    }

    /// Issue 10: "abc⇥def" typed within one frame went all into the first field.
    #[test]
    fn input_after_a_tab_waits_for_the_next_frame() {
        let text = |t: &str| egui::Event::Text(t.into());
        let (now, later) = split_after_tab(vec![text("abc"), key(Key::Tab, true), key(Key::Tab, false), text("def")]);
        assert_eq!(now, vec![text("abc"), key(Key::Tab, true)]);
        assert_eq!(later, vec![key(Key::Tab, false), text("def")]);
        // Two Tabs in one frame: one at a time.
        let (now, later) = split_after_tab(later.into_iter().chain([key(Key::Tab, true), text("g")]).collect());
        assert_eq!(now, vec![key(Key::Tab, false), text("def"), key(Key::Tab, true)]);
        assert_eq!(later, vec![text("g")]);
        // Nothing typed after the Tab, or no Tab: the frame is left alone.
        for events in [vec![text("a"), key(Key::Tab, true), key(Key::Tab, false)], vec![text("a b"), key(Key::Space, true)]] {
            assert_eq!(split_after_tab(events.clone()), (events, Vec::new()));
        }
    }
}
