//! Play: the speaker and the line, options as large buttons (keys 1-9, Tab and Enter), a widget
//! for every activity kind, the ringing phone, the countdown bar, hints, feedback after each
//! decision with every row of an activity marked, and a practice "try again".
//!
//! This file: the frame (the bars, the layout, the keys). `node`: the widget for each kind of
//! node. `feedback`: the transcript and the feedback card.

mod feedback;
mod node;

pub(super) use feedback::{mark_rows, marked_line};
use feedback::{feedback_card, transcript};
use node::{NodeCtx, node_ui};

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
