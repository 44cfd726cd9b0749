//! Teacher settings: exam mode, the scenario and records folders (typed, pasted or chosen in a
//! file dialog), the text size, the LRS, and the ways into grading and authoring mode (shared
//! intents the teacher and authoring features apply). Only reached through the teacher lock
//! (`app::lock`).

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::page;
use crate::app::intent::{Intent, Notice};
use crate::app::dialog::{self, Browse, Chosen, Dialogs, Field, Kind};
use crate::app::settings::{AppPaths, RecordsFrom, Settings};
use crate::app::theme::widgets::{big_button, card, plain_button, t};
use crate::app::theme::{ThemeSet, palette};

/// The settings being edited (kept apart until saved).
#[derive(Resource, Default)]
pub struct SettingsForm {
    pub settings: Settings,
    pub scenario_dir: String,
    pub records_dir: String,
    /// The `[lrs]` table of kefu.toml as being edited.
    pub lrs: crate::lrs::config::LrsSection,
    /// What waits in the outbox and what the LRS refused, read when the screen opens.
    pub lrs_status: String,
    /// kefu.toml could not be read (shown; saving writes a fresh `[lrs]` table).
    pub lrs_problem: Option<String>,
}

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<SettingsForm>()
        .add_systems(OnEnter(Screen::Settings), fill_form)
        .add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Settings)));
}

fn fill_form(settings: Res<Settings>, paths: Res<AppPaths>, mut form: ResMut<SettingsForm>) {
    let lang = settings.lang;
    match crate::lrs::config::read_file(&paths.lrs_file) {
        Ok(f) => {
            form.lrs = f.lrs.unwrap_or_default();
            form.lrs_problem = None;
        }
        Err(e) => {
            form.lrs = Default::default();
            form.lrs_problem = Some(e.message(lang).to_string());
        }
    }
    form.lrs_status = match paths.lrs() {
        Ok(Some(cfg)) => {
            let ob = crate::lrs::Outbox::new(&cfg.outbox);
            let (waiting, _) = ob.waiting();
            let refused = ob.rejected().len();
            let last = waiting.iter().find_map(|(_, i)| i.last_error.as_ref()).map(|e| crate::fsread::clip(&e.message(lang)));
            let mut status = match lang {
                crate::scenario::Lang::Zh => format!("正在使用：{}（设置来自 {}）。等待发送 {} 次作答，LRS 拒收 {} 次（kefu lrs status 查看详情）。", cfg.endpoint, cfg.source, waiting.len(), refused),
                crate::scenario::Lang::En => format!("In use: {} (settings from {}). {} attempt(s) waiting, {} refused by the LRS (kefu lrs status gives the details).", cfg.endpoint, cfg.source, waiting.len(), refused),
            };
            if let Some(e) = last {
                status.push_str(&format!("\n{}{e}", t(lang, "上次发送失败：", "Last try failed: ")));
            }
            status
        }
        Ok(None) => t(lang, "没有设置：作答只保存在成绩记录文件夹里。", "Not set up: attempts are kept in the records folder only.").to_string(),
        Err(e) => e.message(lang).to_string(),
    };
    form.settings = settings.clone();
    form.scenario_dir = settings.scenario_dir.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    form.records_dir = settings.records_dir.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
}

/// A folder as typed or pasted (the quotes of Windows' "Copy as path" dropped), or none.
fn path_or_none(s: &str) -> Option<PathBuf> {
    crate::app::dialog::clean_path(s)
}

/// A folder field with its "Browse…" button, and the note when no dialog can open.
fn folder_field(ui: &mut egui::Ui, text: &mut String, hint: &str, field: Field, dialogs: &Dialogs, lang: crate::scenario::Lang) -> bool {
    let mut browse = false;
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(text).desired_width(ui.available_width() - 112.0).hint_text(hint));
        browse = dialog::button(ui, dialogs, field, lang);
    });
    dialog::note(ui, dialogs, field, lang);
    browse
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    paths: Res<AppPaths>,
    mut form: ResMut<SettingsForm>,
    mut notice: ResMut<Notice>,
    mut send: Send,
    dialogs: Res<Dialogs>,
    mut browse: MessageWriter<Browse>,
    mut chosen: MessageReader<Chosen>,
    sound: Option<Res<crate::app::sound::Sound>>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    for c in chosen.read() {
        match c.field {
            Field::ScenarioDir => form.scenario_dir = c.path.display().to_string(),
            Field::RecordsDir => form.records_dir = c.path.display().to_string(),
            _ => {}
        }
    }
    let mut ask: Option<(Field, String, Option<PathBuf>)> = None;
    let mut out_lrs: Vec<Intent> = Vec::new();
    let out = page(&ctx, &settings, &mut notice, |ui, out| {
        ui.label(RichText::new(t(lang, "教师设置", "Teacher settings")).size(32.0).strong());
        egui::ScrollArea::vertical().auto_shrink([false, true]).max_height(ui.available_height() - 80.0).show(ui, |ui| {
            card(ui, |ui| {
                ui.checkbox(&mut form.settings.exam_mode, RichText::new(t(lang, "考试模式：练习结束后才显示反馈", "Exam mode: feedback only at the end")).size(24.0));
                ui.label(RichText::new(t(lang, "打开后，学生在练习中看不到每一步的对错和反馈；结果页照常显示全部内容。", "Students then see no right/wrong or feedback while playing; the results screen shows everything as usual.")).color(palette::MUTED));
            });
            card(ui, |ui| {
                ui.checkbox(&mut form.settings.sound, RichText::new(t(lang, "声音：电话铃声、倒计时提示音、答题提示音", "Sound: the phone ringing, countdown ticks, answer chimes")).size(24.0));
                ui.add_enabled(
                    form.settings.sound,
                    egui::Checkbox::new(&mut form.settings.exam_silent, RichText::new(t(lang, "考试模式下静音", "Silent in exam mode")).size(22.0)),
                );
                let player = sound.as_ref().and_then(|s| s.sink.name());
                let how = match (&player, lang) {
                    (Some(p), crate::scenario::Lang::Zh) => format!("用本机的 {p} 播放。"),
                    (Some(p), crate::scenario::Lang::En) => format!("Played with this computer's {p}."),
                    (None, crate::scenario::Lang::Zh) => "本机没有找到播放声音的程序（Linux 上是 pw-play、paplay 或 aplay），练习时没有声音。".to_string(),
                    (None, crate::scenario::Lang::En) => "No sound player was found on this computer (pw-play, paplay or aplay on Linux): practice is silent.".to_string(),
                };
                ui.label(RichText::new(how).color(palette::MUTED));
            });
            card(ui, |ui| {
                ui.label(RichText::new(t(lang, "场景文件夹（另外查找的位置）", "Scenario folder (searched as well)")).size(22.0).strong());
                if folder_field(ui, &mut form.scenario_dir, "D:\\kefu\\scenarios", Field::ScenarioDir, &dialogs, lang) {
                    ask = Some((Field::ScenarioDir, t(lang, "选择场景文件夹", "Choose the scenario folder").into(), path_or_none(&form.scenario_dir)));
                }
                let always: Vec<String> = paths.scenario_dirs.iter().map(|p| p.display().to_string()).collect();
                ui.label(RichText::new(format!("{} {}", t(lang, "总会查找：", "Always searched:"), always.join("  ·  "))).color(palette::MUTED).size(17.0));
            });
            card(ui, |ui| {
                ui.label(RichText::new(t(lang, "成绩记录文件夹（可以是网络共享文件夹）", "Records folder (may be a network share)")).size(22.0).strong());
                if folder_field(ui, &mut form.records_dir, "\\\\server\\kefu\\records", Field::RecordsDir, &dialogs, lang) {
                    ask = Some((Field::RecordsDir, t(lang, "选择成绩记录文件夹", "Choose the records folder").into(), path_or_none(&form.records_dir)));
                }
                let mut preview = form.settings.clone();
                preview.records_dir = path_or_none(&form.records_dir);
                let (dir, from) = paths.records_dir(&preview);
                let why = match from {
                    RecordsFrom::Settings => t(lang, "（本设置）", "(this setting)"),
                    RecordsFrom::Env => t(lang, "（环境变量 KEFU_RECORDS）", "(environment variable KEFU_RECORDS)"),
                    RecordsFrom::Default => t(lang, "（默认位置）", "(default)"),
                };
                ui.label(RichText::new(format!("{} {} {why}", t(lang, "实际使用：", "In use:"), dir.display())).color(palette::MUTED).size(17.0));
            });
            card(ui, |ui| {
                ui.label(RichText::new(t(lang, "文字大小（投影时可调大）", "Text size (larger for projectors)")).size(22.0).strong());
                ui.add(egui::Slider::new(&mut form.settings.ui_scale, 0.8..=1.5).step_by(0.05).fixed_decimals(2));
            });
            lrs_card(ui, &mut form, &mut out_lrs, lang);
            open_card(ui, lang, OPEN_GRADING, &mut out_lrs);
            open_card(ui, lang, OPEN_AUTHORING, &mut out_lrs);
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if big_button(ui, t(lang, "保存", "Save"), 200.0).clicked() {
                let mut s = form.settings.clone();
                s.scenario_dir = path_or_none(&form.scenario_dir);
                s.records_dir = path_or_none(&form.records_dir);
                // The student and language may have changed meanwhile; keep them.
                s.student_id = settings.student_id.clone();
                s.student_name = settings.student_name.clone();
                s.student_group = settings.student_group.clone();
                s.team = settings.team.clone();
                s.projector = settings.projector;
                s.lang = settings.lang;
                out.push(Intent::SaveSettings(s));
            }
            if plain_button(ui, t(lang, "取消", "Cancel")).clicked() {
                out.push(Intent::CloseSettings);
            }
        });
    });
    send.send_all(out);
    send.send_all(out_lrs);
    if let Some((field, title, start)) = ask {
        browse.write(Browse { field, kind: Kind::Folder, title, start });
        ctx.request_repaint();
    }
    Ok(())
}

/// The school's learning record store: where attempts are sent as xAPI statements besides the
/// records folder (written to kefu.toml, never into a record).
fn lrs_card(ui: &mut egui::Ui, form: &mut SettingsForm, out: &mut Vec<Intent>, lang: crate::scenario::Lang) {
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "学习记录存储（LRS，xAPI）：把作答同时发送到学校的服务器", "Learning record store (LRS, xAPI): attempts also go to the school's server")).size(22.0).strong());
        let field = |ui: &mut egui::Ui, label: &str, text: &mut String, hint: &str, secret: bool| {
            ui.horizontal(|ui| {
                ui.add_sized([150.0, 28.0], egui::Label::new(RichText::new(label).size(18.0)));
                ui.add(egui::TextEdit::singleline(text).password(secret).desired_width(ui.available_width()).hint_text(hint));
            });
        };
        field(ui, t(lang, "地址 endpoint", "Endpoint"), &mut form.lrs.endpoint, "https://lrs.myschool.edu.cn/xAPI/", false);
        field(ui, t(lang, "账号 key", "Key"), &mut form.lrs.key, "kefu-lab", false);
        field(ui, t(lang, "密码 secret", "Secret"), &mut form.lrs.secret, "", true);
        field(ui, t(lang, "学校主页", "School home page"), &mut form.lrs.home_page, "https://www.myschool.edu.cn", false);
        let mut class = form.lrs.class.clone().unwrap_or_default();
        field(ui, t(lang, "班级（可不填）", "Class (optional)"), &mut class, "物流2301", false);
        form.lrs.class = Some(class).filter(|c| !c.trim().is_empty());
        if let Some(p) = &form.lrs_problem {
            ui.label(RichText::new(p).color(palette::BAD));
        }
        ui.label(RichText::new(&form.lrs_status).color(palette::MUTED).size(17.0));
        ui.horizontal(|ui| {
            if plain_button(ui, t(lang, "保存 LRS 设置", "Save LRS settings")).clicked() {
                out.push(Intent::SaveLrs(form.lrs.clone()));
            }
            if plain_button(ui, t(lang, "立即发送等待的作答", "Send what waits now")).clicked() {
                out.push(Intent::SendLrsNow);
            }
        });
        ui.label(
            RichText::new(t(lang, "地址留空即关闭。没有网络时作答照常保存在成绩记录文件夹里，等 LRS 能连上时再发送。", "Leave the endpoint empty to turn this off. Without a network attempts are kept in the records folder as usual and sent when the LRS can be reached."))
                .color(palette::MUTED)
                .size(16.0),
        );
    });
}

/// A card that opens another part of the app: its title, what it does, its button, the intent.
struct OpenCard {
    title: (&'static str, &'static str),
    about: (&'static str, &'static str),
    button: (&'static str, &'static str),
    intent: Intent,
}

const OPEN_GRADING: OpenCard = OpenCard {
    title: ("教师评分", "Grading"),
    about: ("打开班级名单：为各组评分（互助与合作、小组档次）、查看班级概况、导出成绩表。", "Open a class roster: grade the groups (cooperation, group band), see the class overview, export the grade sheet."),
    button: ("打开教师评分", "Open grading"),
    intent: Intent::OpenGrading,
};

const OPEN_AUTHORING: OpenCard = OpenCard {
    title: ("编写模式", "Authoring mode"),
    about: (
        "检查一个文件夹里的场景文件（保存后自动重新检查）、查看分数分析、从任意节点试玩。试玩不记成绩。",
        "Check a folder of scenario files (checked again whenever one is saved), see the score analysis, play from any node. Trial runs are not filed.",
    ),
    button: ("打开编写模式", "Open authoring"),
    intent: Intent::OpenAuthoring,
};

/// The grading or authoring card: its button sends the card's intent.
fn open_card(ui: &mut egui::Ui, lang: crate::scenario::Lang, c: OpenCard, out: &mut Vec<Intent>) {
    card(ui, |ui| {
        ui.horizontal(|ui| {
            ui.vertical(|ui| {
                ui.set_max_width(ui.available_width() - 240.0);
                ui.label(RichText::new(t(lang, c.title.0, c.title.1)).size(22.0).strong());
                ui.label(RichText::new(t(lang, c.about.0, c.about.1)).color(palette::MUTED).size(18.0));
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if big_button(ui, t(lang, c.button.0, c.button.1), 220.0).clicked() {
                    out.push(c.intent.clone());
                }
            });
        });
    });
}
