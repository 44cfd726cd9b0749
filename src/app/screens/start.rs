//! Start: who is playing (学号, 姓名; remembered between runs, or picked from the class list
//! when the teacher view has a class) and the language.

use bevy::prelude::*;
use bevy_egui::egui::{self, Align, Layout, RichText};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use super::{Screen, Send, central, notice_bar, root};
use crate::app::bridge::{ClassList, Intent, Notice, Resumable};
use crate::app::settings::Settings;
use crate::app::theme::widgets::{big_button, card, t};
use crate::app::theme::{ThemeSet, palette, title_style};
use crate::scenario::Lang;

/// What is typed in the two fields (filled from the settings when the screen opens).
#[derive(Resource, Default)]
pub struct StartForm {
    pub id: String,
    pub name: String,
    /// (学号, 组别) of the student picked from the class list; the group is sent only while
    /// the 学号 field still holds that student.
    pub picked: Option<(String, String)>,
}

impl StartForm {
    fn group(&self) -> Option<String> {
        self.picked.as_ref().filter(|(id, _)| *id == self.id.trim()).map(|(_, g)| g.clone())
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<StartForm>()
        .add_systems(OnEnter(Screen::Start), fill_form)
        .add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Start)));
}

fn fill_form(settings: Res<Settings>, mut form: ResMut<StartForm>) {
    form.id = settings.student_id.clone();
    form.name = settings.student_name.clone();
    form.picked = settings.student_group.clone().map(|g| (settings.student_id.clone(), g));
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut form: ResMut<StartForm>,
    list: Res<ClassList>,
    resumable: Res<Resumable>,
    mut notice: ResMut<Notice>,
    mut send: Send,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let mut out = Vec::new();
    let mut ui = root(&ctx);
    notice_bar(&mut ui, &mut notice, lang);
    central(&mut ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.label(RichText::new("客服实训").text_style(title_style()).strong().color(palette::PRIMARY));
            ui.label(RichText::new(t(lang, "《物流客户服务》角色扮演实训", "Role-play training for Logistics Customer Service")).size(24.0).color(palette::MUTED));
            ui.add_space(30.0);
            ui.allocate_ui_with_layout(egui::vec2(560.0, 0.0), Layout::top_down(Align::Min), |ui| {
                card(ui, |ui| {
                    egui::Grid::new("signin").num_columns(2).spacing([16.0, 18.0]).show(ui, |ui| {
                        if let Some(class) = &list.0 {
                            ui.label(RichText::new(t(lang, "名单", "Class")).size(24.0));
                            class_picker(ui, class, &mut form, lang);
                            ui.end_row();
                        }
                        ui.label(RichText::new(t(lang, "学号", "Student ID")).size(24.0));
                        ui.add(egui::TextEdit::singleline(&mut form.id).desired_width(360.0).font(egui::FontId::proportional(24.0)).hint_text("2024001"));
                        ui.end_row();
                        ui.label(RichText::new(t(lang, "姓名", "Name")).size(24.0));
                        ui.add(egui::TextEdit::singleline(&mut form.name).desired_width(360.0).font(egui::FontId::proportional(24.0)).hint_text(t(lang, "王玥", "Wang Yue")));
                        ui.end_row();
                        ui.label(RichText::new(t(lang, "语言", "Language")).size(24.0));
                        ui.horizontal(|ui| {
                            for (l, name) in [(Lang::Zh, "中文"), (Lang::En, "English")] {
                                if ui.add(egui::Button::selectable(lang == l, RichText::new(name).size(22.0)).min_size(egui::vec2(120.0, 44.0))).clicked() {
                                    out.push(Intent::SetLang(l));
                                }
                            }
                        });
                        ui.end_row();
                    });
                    ui.add_space(14.0);
                    let ready = !form.id.trim().is_empty() && !form.name.trim().is_empty();
                    ui.vertical_centered(|ui| {
                        let go = ui.add_enabled_ui(ready, |ui| big_button(ui, t(lang, "开始实训", "Start"), 300.0)).inner;
                        let enter = ready && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        if go.clicked() || enter {
                            out.push(Intent::SignIn { id: form.id.trim().to_string(), name: form.name.trim().to_string(), group: form.group() });
                        }
                        if !ready {
                            ui.label(RichText::new(t(lang, "请填写学号和姓名", "Enter your student ID and name")).color(palette::MUTED));
                        }
                    });
                });
                if let Some(rec) = &resumable.0 {
                    ui.add_space(12.0);
                    ui.label(
                        RichText::new(format!(
                            "{} {}（{}） · {}",
                            t(lang, "有一次未完成的练习：", "An unfinished attempt is waiting:"),
                            rec.player.name,
                            rec.player.id,
                            rec.scenario_id
                        ))
                        .color(palette::WARN),
                    );
                }
            });
            ui.add_space(24.0);
            if ui.button(t(lang, "教师设置", "Teacher settings")).clicked() {
                out.push(Intent::OpenSettings);
            }
        });
    });
    send.send_all(out);
    Ok(())
}

/// "Pick from the class list": a combo box of the class's students under their 组别; picking
/// one fills 学号 and 姓名 (typing by hand still works).
fn class_picker(ui: &mut egui::Ui, class: &crate::roster::Class, form: &mut StartForm, lang: Lang) {
    let current = class.find(&form.id).filter(|(g, s)| s.name == form.name.trim() && form.group().is_none_or(|pg| pg == g.name));
    let shown = match current {
        Some((g, s)) => format!("{} · {} {}", g.name, s.id, s.name),
        None => t(lang, "从班级名单中选择", "Pick from the class list").to_string(),
    };
    egui::ComboBox::from_id_salt("class-list")
        .width(360.0)
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
                    }
                }
            }
        });
}
