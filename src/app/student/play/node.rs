//! The widget for each kind of node: a line, options, every activity kind, the dial and the
//! composer.

use super::*;

/// An activity's prompt, without the colon it ends with (it is quoted in the transcript).
pub(super) fn prompt_of(n: &Node, s: &Session, lang: Lang) -> String {
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
pub(super) struct NodeCtx<'a> {
    pub(super) s: &'a Session,
    pub(super) face: Option<&'a egui::TextureHandle>,
    pub(super) elapsed: u64,
    pub(super) lang: Lang,
    pub(super) keys: Keys,
    /// Rows marked wrong on the last try (shown × on a retry).
    pub(super) wrong_before: &'a BTreeSet<String>,
}

/// A red × beside a row the last try got wrong.
fn was_wrong(ui: &mut Ui, c: &NodeCtx, id: &str) {
    if c.wrong_before.contains(id) {
        ui.label(RichText::new("×").size(26.0).strong().color(palette::BAD)).on_hover_text(t(c.lang, "上次这里错了", "Wrong last time"));
    }
}

#[allow(clippy::too_many_arguments, reason = "the node widgets share the frame's state")]
pub(super) fn node_ui(ui: &mut Ui, c: &mut NodeCtx, view: &View, draft: &mut Draft, state: &mut PlayUi, animate: &mut Animate, out: &mut Vec<Intent>) {
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
            let tv = crate::app::student::table::TableView { node, columns, places, keys, data };
            let focus_first = !std::mem::replace(&mut draft.table_focused, true);
            let ctrl_enter = crate::app::student::table::grid(ui, s, &tv, &mut draft.table, focus_first, c.wrong_before, lang);
            if submit(ui, lang, true, "") || ctrl_enter {
                crate::app::student::table::submit_or_ask(&tv, &draft.table, lang, &mut state.confirm_blank, out);
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

