//! The teacher lock's prompt, the drawing: a modal over the screen the teacher came from (set a
//! password typed twice, or enter it; a wrong password said plainly; the wait after three wrong
//! tries counted down). It only draws and sends [`LockIntent`]s; `app::lock` decides.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use bevy_egui::egui::{self, RichText, Stroke};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{Ask, Goal, Lock, LockIntent, MIN_LEN};
use crate::app::settings::Settings;
use crate::app::theme::widgets::{big_button, para, plain_button, t};
use crate::app::theme::{ThemeSet, palette};
use crate::scenario::Lang;

/// What is typed (cleared whenever the prompt closes or a try fails).
#[derive(Resource, Default)]
struct LockForm {
    password: String,
    repeat: String,
    /// The prompt the fields were last focused for (focus goes to the first field once).
    focused_for: Option<(Goal, u8)>,
    /// The error shown last (a new one clears the fields).
    last_error: Option<String>,
}

/// While a wait runs: a thread that wakes the idle window once a second to count it down.
#[derive(Resource, Default)]
struct Ticker(Option<Arc<AtomicBool>>);

pub(crate) fn plugin(app: &mut App) {
    // Before the screens draw: Enter belongs to the prompt (the start screen signs in on Enter).
    app.init_resource::<LockForm>()
        .init_resource::<Ticker>()
        .add_systems(EguiPrimaryContextPass, draw.before(ThemeSet).run_if(|lock: Res<Lock>| lock.prompt.is_some()))
        .add_systems(Last, (clear_when_closed, tick_while_waiting));
}

fn ask_code(a: &Ask) -> u8 {
    match a {
        Ask::Set => 0,
        Ask::Enter => 1,
        Ask::Damaged(_) => 2,
    }
}

fn clear_when_closed(lock: Res<Lock>, mut form: ResMut<LockForm>) {
    if lock.prompt.is_none() && (form.focused_for.is_some() || !form.password.is_empty() || !form.repeat.is_empty()) {
        *form = LockForm::default();
    }
}

fn tick_while_waiting(lock: Res<Lock>, time: Res<Time<Real>>, proxy: Option<Res<EventLoopProxyWrapper>>, mut ticker: ResMut<Ticker>) {
    let waiting = lock.prompt.is_some() && lock.wait_left(time.elapsed()).is_some();
    match (&ticker.0, waiting) {
        (Some(stop), false) => {
            stop.store(true, Ordering::Relaxed);
            ticker.0 = None;
        }
        (None, true) => {
            let Some(proxy) = proxy.as_deref().map(|p| (**p).clone()) else { return };
            let stop = Arc::new(AtomicBool::new(false));
            let stop2 = Arc::clone(&stop);
            let spawned = std::thread::Builder::new().name("kefu-lock-wait".into()).spawn(move || {
                while !stop2.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(500));
                    let _ = proxy.send_event(WinitUserEvent::WakeUp);
                }
            });
            if spawned.is_ok() {
                ticker.0 = Some(stop);
            }
        }
        _ => {}
    }
}

fn password_field(ui: &mut egui::Ui, text: &mut String, id: &str, hint: &str) -> egui::Response {
    ui.add(egui::TextEdit::singleline(text).id(egui::Id::new(id)).password(true).desired_width(f32::INFINITY).font(egui::FontId::proportional(24.0)).hint_text(hint))
}

fn draw(mut contexts: EguiContexts, lock: Res<Lock>, settings: Res<Settings>, time: Res<Time<Real>>, mut form: ResMut<LockForm>, mut out: MessageWriter<LockIntent>, mut redraw: MessageWriter<RequestRedraw>) -> Result {
    let Some(p) = lock.prompt.clone() else { return Ok(()) };
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let enter = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
    let error = p.error.as_ref().map(|e| e.get(lang).to_string());
    if error.is_some() && error != form.last_error {
        // A failed try: type again from empty fields.
        form.password.clear();
        form.repeat.clear();
        form.focused_for = None;
    }
    form.last_error = error.clone();
    let first_focus = form.focused_for != Some((p.goal, ask_code(&p.ask)));
    form.focused_for = Some((p.goal, ask_code(&p.ask)));
    let what = p.goal.name(lang);
    let wait = lock.wait_left(time.elapsed());
    let mut send = None;
    let frame = egui::Frame::new().fill(palette::PANEL).stroke(Stroke::new(1.0, palette::LINE)).inner_margin(egui::Margin::same(26)).corner_radius(14);
    let resp = egui::Modal::new(egui::Id::new("teacher-lock")).frame(frame).show(&ctx, |ui| {
        ui.set_width((ctx.content_rect().width() - 120.0).clamp(320.0, 600.0));
        ui.spacing_mut().item_spacing.y = 10.0;
        let body = |ui: &mut egui::Ui, s: String| {
            para(ui, RichText::new(s).size(19.0));
        };
        match &p.ask {
            Ask::Set => {
                ui.label(RichText::new(t(lang, "设置教师密码", "Set the teacher password")).size(28.0).strong().color(palette::PRIMARY));
                body(
                    ui,
                    match lang {
                        Lang::Zh => format!("还没有教师密码。请设置一个（至少 {MIN_LEN} 个字符，数字或字母都可以），输入两次。以后打开教师设置、教师评分、编写模式，或关闭考试模式，都要输入这个密码。"),
                        Lang::En => format!("No teacher password is set yet. Choose one (at least {MIN_LEN} characters; digits or letters) and type it twice. It will be asked before teacher settings, grading, authoring mode, and turning exam mode off."),
                    },
                );
                ui.label(RichText::new(t(lang, "新密码", "New password")).size(19.0).strong());
                let r1 = password_field(ui, &mut form.password, "lock-new", t(lang, "至少 4 个字符", "at least 4 characters"));
                ui.label(RichText::new(t(lang, "再输入一次", "Type it again")).size(19.0).strong());
                let r2 = password_field(ui, &mut form.repeat, "lock-repeat", t(lang, "与上面相同", "the same again"));
                if first_focus {
                    r1.request_focus();
                }
                // Enter in the first field goes on to the second.
                if enter && r1.has_focus() {
                    r2.request_focus();
                } else if enter {
                    send = Some(LockIntent::Set { password: form.password.clone(), repeat: form.repeat.clone() });
                }
            }
            Ask::Enter => {
                ui.label(RichText::new(t(lang, "请输入教师密码", "Teacher password")).size(28.0).strong().color(palette::PRIMARY));
                body(
                    ui,
                    match lang {
                        Lang::Zh => format!("“{what}”只有老师可以使用。"),
                        Lang::En => format!("Only a teacher may use {what}."),
                    },
                );
                let r = password_field(ui, &mut form.password, "lock-enter", t(lang, "教师密码", "teacher password"));
                if first_focus {
                    r.request_focus();
                }
                if enter {
                    send = Some(LockIntent::Enter(form.password.clone()));
                }
            }
            Ask::Damaged(why) => {
                ui.label(RichText::new(t(lang, "教师密码文件无法使用", "The teacher password file cannot be used")).size(28.0).strong().color(palette::BAD));
                body(
                    ui,
                    match lang {
                        Lang::Zh => format!("为了安全，“{what}”现在打不开。请老师修好或重置这个文件（见使用说明“教师密码”一节）："),
                        Lang::En => format!("To be safe, {what} cannot be opened now. A teacher needs to repair or reset this file (see the guide, \"Teacher password\"):"),
                    },
                );
                para(ui, RichText::new(why).size(17.0).color(palette::BAD));
            }
        }
        // The answer to the last try, in room kept for it: the buttons never move under the
        // pointer when a message appears.
        let fill = if error.is_some() { palette::BAD_SOFT } else { egui::Color32::TRANSPARENT };
        egui::Frame::new().fill(fill).corner_radius(8).inner_margin(egui::Margin::symmetric(12, 8)).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.set_min_height(26.0);
            if let Some(e) = &error {
                para(ui, RichText::new(format!("⚠ {e}")).size(19.0).color(palette::BAD).strong());
            }
        });
        ui.horizontal(|ui| {
            match &p.ask {
                Ask::Set => {
                    if big_button(ui, t(lang, "设置并打开", "Set and open"), 200.0).clicked() {
                        send = Some(LockIntent::Set { password: form.password.clone(), repeat: form.repeat.clone() });
                    }
                }
                Ask::Enter => {
                    // The wait counts down on the button itself.
                    let label = match (wait, lang) {
                        (Some(w), Lang::Zh) => format!("请等 {:.0} 秒", w.as_secs_f32().ceil()),
                        (Some(w), Lang::En) => format!("Wait {:.0} s", w.as_secs_f32().ceil()),
                        (None, _) => t(lang, "确定", "OK").to_string(),
                    };
                    let ok = ui.add_enabled_ui(wait.is_none(), |ui| big_button(ui, &label, 200.0)).inner;
                    if ok.clicked() {
                        send = Some(LockIntent::Enter(form.password.clone()));
                    }
                }
                Ask::Damaged(_) => {}
            }
            let close = if matches!(p.ask, Ask::Damaged(_)) { t(lang, "关闭", "Close") } else { t(lang, "取消", "Cancel") };
            if plain_button(ui, close).clicked() {
                send = Some(LockIntent::Cancel);
            }
        });
        ui.add_space(2.0);
        let foot = match p.ask {
            Ask::Set => t(
                lang,
                "密码只以加盐哈希（Argon2id）保存在老师的配置文件里，不保存原文。忘记密码时的重置方法见使用说明“教师密码”一节。",
                "Only a salted hash (Argon2id) is kept, in the teacher's config file; never the password itself. How to reset a forgotten one: the guide, \"Teacher password\".",
            ),
            _ => t(lang, "忘记密码：见使用说明“教师密码”一节（重置需要老师的配置文件）。", "Forgot it? See the guide, \"Teacher password\" (a reset needs the teacher's config file)."),
        };
        para(ui, RichText::new(foot).size(15.0).color(palette::MUTED));
    });
    if resp.should_close() && send.is_none() {
        send = Some(LockIntent::Cancel);
    }
    if let Some(s) = send {
        // Wait-time tries are refused by the lock too; the button only spares a pointless click.
        out.write(s);
        redraw.write(RequestRedraw);
    }
    Ok(())
}
