//! Start: who is playing (学号, 姓名; remembered between runs, or picked from the class list
//! when the teacher view has a class) and the language.

use bevy::prelude::*;
use bevy_egui::egui::{self, Align, Layout, RichText};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::{Bar, framed};
use crate::Text;
use crate::app::student::{ClassList, Resumable};
use crate::app::intent::{Intent, Notice};
use crate::app::library::{Library, title_of};
use crate::app::settings::{AppPaths, Settings};
use crate::app::theme::widgets::{big_button, card, para, t};
use crate::app::theme::{ThemeSet, palette, title_style};
use crate::scenario::Lang;

/// What is typed in the two fields (filled from the settings when the screen opens, emptied
/// after 换人).
#[derive(Resource, Default)]
pub struct StartForm {
    pub id: String,
    pub name: String,
    /// (学号, 组别) of the student picked from the class list; the group is sent only while
    /// the 学号 field still holds that student.
    pub picked: Option<(String, String)>,
    /// Something other than a digit was typed into 学号 (and left out): say so.
    pub id_refused: bool,
    /// 换人 was pressed: the next student starts with empty fields.
    signed_out: bool,
    /// Group play without a class list: the group's name and its members, one per line
    /// ("学号 姓名").
    pub team_name: String,
    pub team_text: String,
}

/// The members typed one per line as "学号 姓名" (or "学号,姓名"); the first line that is not
/// one names its line number.
pub fn parse_members(text: &str) -> Result<Vec<crate::session::group::Member>, usize> {
    let mut out: Vec<crate::session::group::Member> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (id, name) = line.split_once(|c: char| c.is_whitespace() || c == ',' || c == '，').unwrap_or((line, ""));
        let (id, refused) = digits_only(id);
        if id.is_empty() || refused || out.iter().any(|m| m.id == id) {
            return Err(i + 1);
        }
        out.push(crate::session::group::Member { id, name: name.trim().to_string() });
    }
    Ok(out)
}

impl StartForm {
    fn group(&self) -> Option<String> {
        self.picked.as_ref().filter(|(id, _)| *id == self.id.trim()).map(|(_, g)| g.clone())
    }

    /// Keep only the digits of what was typed into 学号 (full-width ０-９ become 0-9; spaces go
    /// silently); anything else is refused and `id_refused` says so.
    pub fn accept_id(&mut self, typed: &str) {
        let (id, refused) = digits_only(typed);
        self.id = id;
        self.id_refused = refused;
    }

    /// Type `text` after what the 学号 field holds.
    pub fn type_id(&mut self, text: &str) {
        let typed = format!("{}{text}", self.id);
        self.accept_id(&typed);
    }
}

/// The digits of `typed` (full-width digits as ASCII), and whether anything but digits and
/// spaces was in it.
pub fn digits_only(typed: &str) -> (String, bool) {
    let mut refused = false;
    let mut out = String::new();
    for c in typed.chars() {
        match c {
            '0'..='9' => out.push(c),
            '０'..='９' => out.push(char::from(b'0' + (u32::from(c) - u32::from('０')) as u8)),
            c if c.is_whitespace() => {}
            _ => refused = true,
        }
    }
    (out, refused)
}

/// The title of the scenario an unfinished attempt belongs to (named on the start screen and
/// the library instead of its file id).
#[derive(Resource, Default)]
pub struct ResumeTitle(pub Option<(String, Text)>);

impl ResumeTitle {
    /// The title of `scenario_id` in `lang`, else the id itself.
    pub fn get(&self, scenario_id: &str, lang: Lang) -> String {
        match &self.0 {
            Some((id, title)) if id == scenario_id => title.get(lang).to_string(),
            _ => scenario_id.to_string(),
        }
    }
}

/// Logic side (headless too): the form, emptied after 换人; the unfinished attempt's title.
pub(super) fn form_plugin(app: &mut App) {
    app.init_resource::<StartForm>()
        .init_resource::<ResumeTitle>()
        .add_systems(OnEnter(Screen::Start), fill_form)
        .add_systems(Update, (note_sign_out, name_resumable));
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Start)));
}

fn note_sign_out(mut intents: MessageReader<Intent>, mut form: ResMut<StartForm>) {
    if intents.read().any(|i| *i == Intent::SignOut) {
        form.signed_out = true;
    }
}

fn fill_form(settings: Option<Res<Settings>>, mut form: ResMut<StartForm>) {
    if std::mem::take(&mut form.signed_out) {
        *form = StartForm::default();
        return;
    }
    let Some(settings) = settings else { return };
    form.id = settings.student_id.clone();
    form.name = settings.student_name.clone();
    form.picked = settings.student_group.clone().map(|g| (settings.student_id.clone(), g));
    form.id_refused = false;
}

/// Find the title of the unfinished attempt's scenario: in the library when it has been
/// scanned, else in the scenario folders.
fn name_resumable(resumable: Res<Resumable>, library: Res<Library>, paths: Res<AppPaths>, settings: Option<Res<Settings>>, mut title: ResMut<ResumeTitle>) {
    let Some(rec) = &resumable.0 else { return };
    let known = title.0.as_ref().is_some_and(|(id, _)| *id == rec.scenario_id);
    if known && !library.is_changed() {
        return;
    }
    let found = match library.find(&rec.scenario_id) {
        Some(e) => e.loaded.scenario.title.clone(),
        None if known => return,
        None => {
            let dirs = settings.map_or_else(|| paths.scenario_dirs.clone(), |s| paths.scenario_search(&s));
            title_of(&dirs, &rec.scenario_id).unwrap_or_else(|| Text { zh: rec.scenario_id.clone(), en: None })
        }
    };
    title.0 = Some((rec.scenario_id.clone(), found));
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut form: ResMut<StartForm>,
    list: Res<ClassList>,
    resumable: Res<Resumable>,
    resume_title: Res<ResumeTitle>,
    mut notice: ResMut<Notice>,
    mut send: Send,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    // No top bar: nobody is signed in yet, and the title card says what this is.
    let out = framed(&ctx, &settings, &mut notice, Bar::None, |ui, out| {
        // Short screens (1024×768 at a large text size): less air above the title, and the
        // whole form scrolls rather than losing its button below the window.
        let air = (ui.available_height() - 560.0).clamp(0.0, 40.0);
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(air);
                ui.label(RichText::new("客服实训").text_style(title_style()).strong().color(palette::PRIMARY));
                ui.label(RichText::new(t(lang, "《物流客户服务》角色扮演实训", "Role-play training for Logistics Customer Service")).size(24.0).color(palette::MUTED));
                ui.add_space(air * 0.75);
                let width = ui.available_width().min(560.0);
                ui.allocate_ui_with_layout(egui::vec2(width, 0.0), Layout::top_down(Align::Min), |ui| {
                    card(ui, |ui| sign_in_form(ui, &mut form, &list, lang, out));
                    ui.add_space(12.0);
                    card(ui, |ui| group_form(ui, &mut form, &list, lang, out));
                    if let Some(rec) = &resumable.0 {
                        ui.add_space(12.0);
                        let who = match lang {
                            Lang::Zh => format!("{}（{}）", rec.player.name, rec.player.id),
                            Lang::En => format!("{} ({})", rec.player.name, rec.player.id),
                        };
                        let title = resume_title.get(&rec.scenario_id, lang);
                        let text = match lang {
                            Lang::Zh => format!("有一次未完成的练习：{who}《{title}》"),
                            Lang::En => format!("An unfinished attempt is waiting: {who}, {title}"),
                        };
                        para(ui, RichText::new(text).color(palette::WARN));
                    }
                });
                ui.add_space(air * 0.6);
                if ui.button(t(lang, "教师设置", "Teacher settings")).clicked() {
                    out.push(Intent::OpenSettings);
                }
            });
        });
    });
    send.send_all(out);
    Ok(())
}

/// 名单, 学号, 姓名, language, and the start button. The fields narrow with the card; labels
/// and fields stack when the card is too narrow for both side by side.
fn sign_in_form(ui: &mut egui::Ui, form: &mut StartForm, list: &ClassList, lang: Lang, out: &mut Vec<Intent>) {
    let field_w = (ui.available_width() - 140.0).clamp(180.0, 360.0);
    egui::Grid::new("signin").num_columns(2).spacing([16.0, 18.0]).show(ui, |ui| {
        if let Some(class) = &list.0 {
            ui.label(RichText::new(t(lang, "名单", "Class")).size(24.0));
            class_picker(ui, class, form, lang, field_w);
            ui.end_row();
        }
        ui.label(RichText::new(t(lang, "学号", "Student ID")).size(24.0));
        // The line under the field is always there (muted, red when a letter was refused), so
        // nothing below moves while typing.
        ui.vertical(|ui| {
            ui.spacing_mut().item_spacing.y = 2.0;
            let mut typed = form.id.clone();
            let id = ui.add(egui::TextEdit::singleline(&mut typed).desired_width(field_w).font(egui::FontId::proportional(24.0)).hint_text("2024001"));
            if id.changed() {
                form.accept_id(&typed);
            }
            let (note, color) = if form.id_refused {
                (t(lang, "学号只能填数字，字母和符号没有填进去", "Digits only: letters and signs were left out"), palette::BAD)
            } else {
                (t(lang, "只填数字", "Digits only"), palette::MUTED)
            };
            ui.label(RichText::new(note).color(color).size(17.0));
        });
        ui.end_row();
        ui.label(RichText::new(t(lang, "姓名", "Name")).size(24.0));
        ui.add(egui::TextEdit::singleline(&mut form.name).desired_width(field_w).font(egui::FontId::proportional(24.0)).hint_text(t(lang, "王玥", "Wang Yue")));
        ui.end_row();
        ui.label(RichText::new(t(lang, "语言", "Language")).size(24.0));
        ui.horizontal_wrapped(|ui| {
            for (l, name) in [(Lang::Zh, "中文"), (Lang::En, "English")] {
                if ui.add(egui::Button::selectable(lang == l, RichText::new(name).size(22.0)).min_size(egui::vec2(110.0, 44.0))).clicked() {
                    out.push(Intent::SetLang(l));
                }
            }
        });
        ui.end_row();
    });
    ui.add_space(14.0);
    let ready = !form.id.trim().is_empty() && !form.name.trim().is_empty();
    ui.vertical_centered(|ui| {
        let go = ui.add_enabled_ui(ready, |ui| big_button(ui, t(lang, "开始实训", "Start"), ui.available_width().min(300.0))).inner;
        let enter = ready && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if go.clicked() || enter {
            out.push(Intent::SignIn { id: form.id.trim().to_string(), name: form.name.trim().to_string(), group: form.group() });
        }
        if !ready {
            ui.label(RichText::new(t(lang, "请填写学号和姓名", "Enter your student ID and name")).color(palette::MUTED));
        }
    });
}

/// "Pick from the class list": a combo box of the class's students under their 组别; picking
/// one fills 学号 and 姓名 (typing by hand still works).
fn class_picker(ui: &mut egui::Ui, class: &crate::roster::Class, form: &mut StartForm, lang: Lang, width: f32) {
    let current = class.find(&form.id).filter(|(g, s)| s.name == form.name.trim() && form.group().is_none_or(|pg| pg == g.name));
    let shown = match current {
        Some((g, s)) => format!("{} · {} {}", g.name, s.id, s.name),
        None => t(lang, "从班级名单中选择", "Pick from the class list").to_string(),
    };
    egui::ComboBox::from_id_salt("class-list")
        .width(width)
        .height(480.0)
        .selected_text(RichText::new(shown).size(22.0))
        .show_ui(ui, |ui| {
            ui.label(RichText::new(&class.name).strong().color(palette::PRIMARY));
            for group in &class.groups {
                ui.add_space(6.0);
                ui.label(RichText::new(&group.name).strong().color(palette::MUTED));
                for s in &group.members {
                    let selected = current.is_some_and(|(_, c)| c.id == s.id);
                    let text = RichText::new(format!("   {}  {}", s.id, s.name)).size(20.0);
                    if ui.add(egui::Button::selectable(selected, text)).clicked() {
                        form.id = s.id.clone();
                        form.name = s.name.clone();
                        form.picked = Some((s.id.clone(), group.name.clone()));
                        form.id_refused = false;
                    }
                }
            }
        });
}

/// 小组一起作答: a group of the class list in one click, or the members typed one per line.
fn group_form(ui: &mut egui::Ui, form: &mut StartForm, list: &ClassList, lang: Lang, out: &mut Vec<Intent>) {
    ui.label(RichText::new(t(lang, "小组一起作答", "Play as a group")).size(24.0).strong());
    para(ui, RichText::new(t(lang, "全组用一台电脑：屏幕上方写着轮到谁，每一步记在作答的组员名下，也可以让给组员。", "One computer for the whole group: the top of the screen says whose turn it is; every decision is credited to the member who makes it, and can be passed to a teammate.")).color(palette::MUTED).size(18.0));
    ui.add_space(6.0);
    match &list.0 {
        Some(class) => {
            ui.horizontal_wrapped(|ui| {
                for g in class.groups.iter().filter(|g| g.members.len() > 1) {
                    let names: Vec<&str> = g.members.iter().map(|m| m.name.as_str()).collect();
                    let text = format!("{}：{}", g.name, names.join("、"));
                    if ui.add(egui::Button::new(RichText::new(text).size(20.0)).min_size(egui::vec2(0.0, 44.0))).clicked() {
                        // The leader first: they start.
                        let mut members: Vec<crate::session::group::Member> = g.members.iter().map(|m| crate::session::group::Member { id: m.id.clone(), name: m.name.clone() }).collect();
                        if let Some(i) = members.iter().position(|m| m.id == g.leader) {
                            let leader = members.remove(i);
                            members.insert(0, leader);
                        }
                        out.push(Intent::SignInGroup { name: g.name.clone(), members });
                    }
                }
            });
        }
        None => {
            let w = ui.available_width();
            ui.add(egui::TextEdit::singleline(&mut form.team_name).desired_width(w).font(egui::FontId::proportional(22.0)).hint_text(t(lang, "组名，例如 第一组", "Group name, e.g. Group 1")));
            ui.add(egui::TextEdit::multiline(&mut form.team_text).desired_width(w).desired_rows(3).font(egui::FontId::proportional(22.0)).hint_text(t(lang, "每行一位组员：学号 姓名", "One member per line: ID name")));
            let parsed = parse_members(&form.team_text);
            ui.horizontal(|ui| {
                let ready = matches!(&parsed, Ok(m) if m.len() > 1);
                if ui.add_enabled(ready, egui::Button::new(RichText::new(t(lang, "小组开始", "Start as a group")).size(22.0)).min_size(egui::vec2(160.0, 44.0))).clicked()
                    && let Ok(members) = parsed.clone()
                {
                    out.push(Intent::SignInGroup { name: form.team_name.trim().to_string(), members });
                }
                let note = match (&parsed, lang) {
                    (Err(line), Lang::Zh) => format!("第 {line} 行：要写“学号 姓名”，学号只填数字，每人一行"),
                    (Err(line), Lang::En) => format!("line {line}: write \"ID name\", digits only in the ID, one member per line"),
                    (Ok(m), _) if m.len() < 2 => t(lang, "至少两位组员", "At least two members").to_string(),
                    (Ok(m), Lang::Zh) => format!("{} 位组员", m.len()),
                    (Ok(m), Lang::En) => format!("{} members", m.len()),
                };
                ui.label(RichText::new(note).color(if parsed.is_err() { palette::BAD } else { palette::MUTED }));
            });
        }
    }
}
