//! The teacher's view: open a class (typed, pasted, chosen in a file dialog or dropped on the
//! window), grade a task group by group (互助与合作, overrides with a reason, the group band),
//! the class overview, and the grade-sheet export. Only drawing: every change is a
//! [`TeacherIntent`] applied by `app::teacher`, which also computes everything shown.

use std::collections::HashMap;
use std::path::PathBuf;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_egui::egui::{self, Align2, Color32, FontId, RichText, Sense, Stroke, Ui, vec2};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use super::{Screen, Send, central, notice_bar, root, top_bar};
use crate::app::bridge::Notice;
use crate::app::dialog::{self, Browse, Chosen, Dialogs, Field, Kind};
use crate::app::settings::{AppPaths, Settings};
use crate::app::teacher::{Opened, Tab, Teacher, TeacherIntent, clean_path, default_entries_file, is_class_file};
use crate::app::theme::palette::grade_color;
use crate::app::theme::widgets::{big_button, card, chip, course_label, en_count, para, plain_button, t, tinted};
use crate::app::theme::{ThemeSet, palette};
use crate::grades::overview::{DecisionStats, TaskOverview, without_placeholders};
use crate::grades::{BandOverride, Counting, MemberGrades, Override, TaskGrades};
use crate::scenario::{Dim, Lang, Mode, Scenario};

/// What is being typed in the teacher view (kept apart until sent).
#[derive(Resource, Default)]
pub struct TeacherForm {
    pub class_file: String,
    pub entries_file: String,
    pub records_dir: String,
    /// The open-a-class fields are shown (always when no class is open).
    pub show_open: bool,
    pub export_path: String,
    /// The suggestion `export_path` was filled from.
    export_from: PathBuf,
    /// The class file the fields were last filled from (a class opened by a drop or a dialog
    /// fills them again and folds them away).
    opened_from: Option<PathBuf>,
    pub moodle: bool,
    /// Rating fields while they have the focus: (task, student, key) → text.
    drafts: HashMap<(String, String, String), String>,
    /// A rating field whose text was not a valid number.
    bad_draft: Option<(String, String, String)>,
    editor: Option<Editor>,
    /// Histogram in 10-point bins instead of grade levels.
    bins: bool,
    /// What was typed and not accepted.
    error: Option<String>,
    /// Enter in a rating field moves on to the next student's (this frame's previous field, and
    /// the field to focus after it).
    last_rating: Option<(String, String, String)>,
    focus_after: Option<(String, String, String)>,
}

/// The override dialog being edited.
#[derive(Clone, Debug)]
enum Editor {
    Criterion { task: String, student: String, name: String, key: String, points: u32, reason: String },
    Band { task: String, group: String, band: u8, points: u32, reason: String },
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TeacherForm>()
        .add_systems(OnEnter(Screen::Teacher), fill_form)
        .add_systems(EguiPrimaryContextPass, (forward_open_request.after(ThemeSet), draw.after(ThemeSet).run_if(in_state(Screen::Teacher))));
}

/// Sends teacher intents and wakes the reactive loop.
#[derive(SystemParam)]
pub struct TeacherSend<'w> {
    intents: MessageWriter<'w, TeacherIntent>,
    redraw: MessageWriter<'w, RequestRedraw>,
}

impl TeacherSend<'_> {
    fn send_all(&mut self, intents: Vec<TeacherIntent>) {
        for i in intents {
            self.intents.write(i);
            self.redraw.write(RequestRedraw);
        }
    }
}

const OPEN_REQUEST: &str = "kefu-open-teacher";

/// The card that opens the teacher view from the teacher settings (no student sign-in needed).
pub fn open_card(ui: &mut Ui, lang: Lang) {
    card(ui, |ui| {
        ui.horizontal(|ui| {
            ui.vertical(|ui| {
                ui.set_max_width(ui.available_width() - 240.0);
                ui.label(RichText::new(t(lang, "教师评分", "Grading")).size(22.0).strong());
                ui.label(
                    RichText::new(t(lang, "打开班级名单：为各组评分（互助与合作、小组档次）、查看班级概况、导出成绩表。", "Open a class roster: grade the groups (cooperation, group band), see the class overview, export the grade sheet."))
                        .color(palette::MUTED)
                        .size(18.0),
                );
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if big_button(ui, t(lang, "打开教师评分", "Open grading"), 220.0).clicked() {
                    ui.ctx().data_mut(|d| d.insert_temp(egui::Id::new(OPEN_REQUEST), true));
                    ui.ctx().request_repaint();
                }
            });
        });
    });
}

fn forward_open_request(mut contexts: EguiContexts, mut send: TeacherSend) -> Result {
    let ctx = contexts.ctx_mut()?;
    let asked = ctx.data_mut(|d| d.remove_temp::<bool>(egui::Id::new(OPEN_REQUEST))).unwrap_or(false);
    if asked {
        send.send_all(vec![TeacherIntent::Open]);
    }
    Ok(())
}

fn fill_form(teacher: Res<Teacher>, mut form: ResMut<TeacherForm>) {
    let show = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    form.class_file = teacher.opened.as_ref().map_or_else(|| show(&teacher.prefs.class_file), |o| o.class_path.display().to_string());
    form.entries_file = show(&teacher.prefs.entries_file);
    form.records_dir = show(&teacher.prefs.records_dir);
    form.moodle = teacher.prefs.moodle;
    form.show_open = teacher.opened.is_none();
}

/// The file dialogs of the teacher view: which is open, and the ones asked for this frame.
#[derive(SystemParam)]
pub struct TeacherDialogs<'w, 's> {
    dialogs: Res<'w, Dialogs>,
    browse: MessageWriter<'w, Browse>,
    chosen: MessageReader<'w, 's, Chosen>,
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    paths: Res<AppPaths>,
    teacher: Res<Teacher>,
    mut form: ResMut<TeacherForm>,
    mut notice: ResMut<Notice>,
    mut send: Send,
    mut tsend: TeacherSend,
    mut dlg: TeacherDialogs,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let mut out = Vec::new();
    let mut tout = Vec::new();
    let mut asks: Vec<Browse> = Vec::new();
    for c in dlg.chosen.read() {
        let shown = c.path.display().to_string();
        match c.field {
            Field::ClassFile => {
                form.class_file = shown;
                tout.push(TeacherIntent::OpenClass { class: c.path.clone(), entries: clean_path(&form.entries_file), records: clean_path(&form.records_dir) });
                form.show_open = false;
            }
            Field::EntriesFile => form.entries_file = shown,
            Field::TeacherRecords => form.records_dir = shown,
            Field::ExportFile => {
                // A save dialog may hand back a name without the extension that picks the format.
                let mut path = c.path.clone();
                if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("csv")) {
                    let ext = if form.moodle { "csv" } else { "xlsx" };
                    path = PathBuf::from(format!("{}.{ext}", path.display()));
                }
                form.export_path = path.display().to_string();
                tout.push(TeacherIntent::Export { path, moodle: form.moodle });
            }
            _ => {}
        }
    }
    let mut close = false;
    let mut ui = root(&ctx);
    top_bar(&mut ui, &settings, &mut out, |ui, _| {
        if ui.button(t(lang, "返回", "Back")).clicked() {
            close = true;
        }
    });
    if close {
        tout.push(TeacherIntent::Close);
    }
    notice_bar(&mut ui, &mut notice, lang);
    let opened = teacher.opened.as_ref().map(|o| o.class_path.clone());
    if opened.is_some() && opened != form.opened_from {
        form.class_file = opened.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        form.show_open = false;
    }
    form.opened_from = opened;
    // Export suggestions follow the class that is open.
    if form.export_from != teacher.export_file {
        form.export_from = teacher.export_file.clone();
        let mut p = teacher.export_file.clone();
        if form.moodle {
            p.set_extension("csv");
        }
        form.export_path = p.display().to_string();
    }
    form.last_rating = None;
    let dialogs = &*dlg.dialogs;
    central(&mut ui, |ui| {
        header(ui, &teacher, &mut form, lang, &mut tout);
        class_bar(ui, &teacher, &paths, &settings, &mut form, lang, &mut tout, dialogs, &mut asks);
        let Some(o) = teacher.opened.as_ref() else { return };
        // Everything below the title scrolls, so the table gets the room on a projector.
        let page = ("teacher-page", teacher.tab, teacher.task.clone());
        egui::ScrollArea::vertical().id_salt(page).auto_shrink([false, false]).show(ui, |ui| {
            messages(ui, o, lang, &mut tout);
            if o.grades.tasks.is_empty() {
                card(ui, |ui| {
                    ui.label(RichText::new(t(lang, "这个班级还没有任何作答记录。", "This class has no records yet.")).size(24.0));
                    ui.label(RichText::new(format!("{} {}", t(lang, "记录文件夹：", "Records folder:"), o.records_dir.display())).color(palette::MUTED));
                });
                if teacher.tab != Tab::Export {
                    return;
                }
            } else if teacher.tab != Tab::Export {
                task_picker(ui, o, teacher.task.as_deref(), lang, &mut tout);
            }
            let task = teacher.task.as_deref().and_then(|id| o.task(id));
            match teacher.tab {
                Tab::Grades => {
                    if let Some(task) = task {
                        grades_tab(ui, o, task, &mut form, lang, &mut tout);
                    }
                }
                Tab::Overview => {
                    if let Some(ov) = task.and_then(|t| o.task_overview(&t.scenario_id)) {
                        overview_tab(ui, ov, &mut form, lang);
                    }
                }
                Tab::Export => export_tab(ui, &teacher, o, &mut form, lang, &mut tout, dialogs, &mut asks),
            }
            // Room at the foot, always, so the floating status never hides the last row.
            ui.add_space(64.0);
        });
    });
    if let Some(o) = teacher.opened.as_ref() {
        editor_modal(&ctx, o, &mut form, lang, &mut tout);
    }
    status_toast(&ctx, &teacher, lang, &mut tout);
    if let Some(p) = &teacher.hover {
        drop_overlay(&ctx, p, lang);
    }
    send.send_all(out);
    tsend.send_all(tout);
    if !asks.is_empty() {
        for a in asks {
            dlg.browse.write(a);
        }
        ctx.request_repaint();
    }
    Ok(())
}

/// While a file is dragged over the window: what letting go will do.
fn drop_overlay(ctx: &egui::Context, path: &std::path::Path, lang: Lang) {
    let rect = ctx.content_rect();
    let ok = is_class_file(path);
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let (fill, edge) = if ok { (Color32::from_rgba_unmultiplied(219, 234, 254, 235), palette::PRIMARY) } else { (Color32::from_rgba_unmultiplied(254, 226, 226, 235), palette::BAD) };
    egui::Area::new(egui::Id::new("teacher-drop")).order(egui::Order::Foreground).fixed_pos(rect.min).interactable(false).show(ctx, |ui| {
        let inner = rect.shrink(24.0);
        let painter = ui.painter();
        painter.rect_filled(rect, 0.0, fill);
        // A dashed frame, the usual sign of a drop zone.
        let corners = [inner.left_top(), inner.right_top(), inner.right_bottom(), inner.left_bottom(), inner.left_top()];
        for w in corners.windows(2) {
            painter.extend(egui::Shape::dashed_line(&[w[0], w[1]], Stroke::new(4.0, edge), 18.0, 10.0));
        }
        let (title, sub) = if ok {
            (t(lang, "松开鼠标，打开这个班级", "Let go to open this class"), t(lang, "与“打开”按钮相同：评分记录放在班级文件旁边，作答记录文件夹不变。", "As the Open button does: the entries beside the class file, the same records folder."))
        } else {
            (t(lang, "这不是班级文件", "This is not a class file"), t(lang, "请拖入名单 .csv（学号、姓名、组别、组长）或 kefu 班级文件 .ron。", "Drop a roster .csv (student id, name, group, leader) or a Kefu class .ron."))
        };
        let c = inner.center();
        let card = egui::Rect::from_center_size(c, vec2((inner.width() - 80.0).min(820.0), 210.0));
        painter.rect(card, 16.0, palette::PANEL, Stroke::new(2.0, edge), egui::StrokeKind::Inside);
        painter.text(c - vec2(0.0, 56.0), Align2::CENTER_CENTER, title, FontId::proportional(40.0), edge);
        painter.text(c, Align2::CENTER_CENTER, name, FontId::proportional(30.0), palette::TEXT);
        painter.text(c + vec2(0.0, 50.0), Align2::CENTER_CENTER, sub, FontId::proportional(19.0), palette::MUTED);
    });
}

/// Title, tabs, and the class that is open with its buttons (on a row of their own when the
/// window is narrow or the text is large).
fn header(ui: &mut Ui, teacher: &Teacher, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let o = teacher.opened.as_ref();
    let line = o.map(|o| match lang {
        Lang::Zh => format!("{} 组 · {} 人 · {} 份记录", o.class.groups.len(), o.class.student_count(), o.records.len()),
        Lang::En => format!(
            "{} · {} · {}",
            en_count(o.class.groups.len(), "group", "groups"),
            en_count(o.class.student_count(), "student", "students"),
            en_count(o.records.len(), "record", "records")
        ),
    });
    let wide = ui
        .horizontal(|ui| {
            ui.label(RichText::new(t(lang, "教师评分", "Grading")).size(32.0).strong());
            let (Some(o), Some(line)) = (o, line.as_ref()) else { return true };
            ui.add_space(16.0);
            for (tab, zh, en) in [(Tab::Grades, "评分表", "Grades"), (Tab::Overview, "班级概况", "Class overview"), (Tab::Export, "导出成绩", "Export")] {
                let on = teacher.tab == tab;
                let text = RichText::new(t(lang, zh, en)).size(22.0).color(if on { Color32::WHITE } else { palette::TEXT });
                let b = egui::Button::new(text).fill(if on { palette::PRIMARY } else { palette::PANEL }).stroke(Stroke::new(1.0, palette::LINE)).min_size(vec2(0.0, 42.0)).corner_radius(8);
                if ui.add(b).clicked() && !on {
                    out.push(TeacherIntent::Tab(tab));
                }
            }
            let measure = |s: &str, size: f32| ui.painter().layout_no_wrap(s.to_string(), FontId::proportional(size), palette::TEXT).size().x;
            let needed = 12.0 + measure(&o.class.name, 24.0) + measure(line, 18.0) + measure(t(lang, "刷新换班级", "ReloadOther class"), 22.0) + 110.0;
            let wide = ui.available_width() >= needed;
            if wide {
                ui.add_space(12.0);
                class_line(ui, o, line, form, lang, out);
            }
            wide
        })
        .inner;
    if !wide && let (Some(o), Some(line)) = (o, line.as_ref()) {
        ui.horizontal(|ui| class_line(ui, o, line, form, lang, out));
    }
}

fn class_line(ui: &mut Ui, o: &Opened, line: &str, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    ui.label(RichText::new(&o.class.name).size(24.0).strong().color(palette::PRIMARY))
        .on_hover_text(format!("{}\n{}", o.class_path.display(), o.entries_path.display()));
    ui.label(RichText::new(line).size(18.0).color(palette::MUTED)).on_hover_text(o.records_dir.display().to_string());
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if ui.button(t(lang, "换班级", "Other class")).clicked() {
            form.show_open = !form.show_open;
        }
        if ui.button(t(lang, "刷新", "Reload")).on_hover_text(t(lang, "重新读取作答记录和场景文件", "Read the records and scenario files again")).clicked() {
            out.push(TeacherIntent::Reload);
        }
    });
}

/// The filters of the class-file dialog.
fn class_filters(lang: Lang) -> Vec<(String, Vec<String>)> {
    vec![
        (t(lang, "班级文件（名单 CSV 或 kefu 班级文件）", "Class files (roster CSV or Kefu class)").into(), vec!["csv".into(), "ron".into()]),
        (t(lang, "所有文件", "All files").into(), vec!["*".into()]),
    ]
}

/// The class that is open (one line), or the fields to open one.
#[allow(clippy::too_many_arguments, reason = "everything the bar shows")]
fn class_bar(ui: &mut Ui, teacher: &Teacher, paths: &AppPaths, settings: &Settings, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>, dialogs: &Dialogs, asks: &mut Vec<Browse>) {
    if teacher.opened.is_some() && !form.show_open {
        return;
    }
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "打开班级", "Open a class")).size(24.0).strong().color(palette::PRIMARY));
        // The label column narrows on a small window so the path keeps its room.
        let label_w = if ui.available_width() < 900.0 { 180.0 } else { 230.0 };
        // Label, path, "Browse…"; the note under it when no dialog can open.
        let mut field = |ui: &mut Ui, label: &str, text: &mut String, hint: String, which: Field| {
            let (r, browse) = ui
                .horizontal(|ui| {
                    ui.add_sized([label_w, 36.0], egui::Label::new(RichText::new(label).size(20.0)).wrap());
                    let r = ui.add(egui::TextEdit::singleline(text).desired_width(ui.available_width() - 112.0).hint_text(hint).font(egui::TextStyle::Body));
                    (r, dialog::button(ui, dialogs, which, lang))
                })
                .inner;
            dialog::note(ui, dialogs, which, lang);
            let start = clean_path(text);
            let (kind, title) = match which {
                Field::ClassFile => (Kind::Open(class_filters(lang)), t(lang, "打开班级文件", "Open a class file")),
                Field::EntriesFile => (
                    Kind::Open(vec![(t(lang, "评分记录（.ron）", "Entries (.ron)").into(), vec!["ron".into()]), (t(lang, "所有文件", "All files").into(), vec!["*".into()])]),
                    t(lang, "选择评分记录文件", "Choose the entries file"),
                ),
                _ => (Kind::Folder, t(lang, "选择作答记录文件夹", "Choose the records folder")),
            };
            if browse {
                asks.push(Browse { field: which, kind, title: title.into(), start });
            }
            r
        };
        let r = field(ui, t(lang, "班级文件（.ron 或 .csv）", "Class file (.ron or .csv)"), &mut form.class_file, "D:\\教学\\物流2401班.csv".into(), Field::ClassFile);
        let entries_hint = match clean_path(&form.class_file) {
            Some(p) => format!("{}{}", t(lang, "默认：", "default: "), default_entries_file(&p).display()),
            None => t(lang, "默认：与班级文件放在一起", "default: beside the class file").into(),
        };
        field(ui, t(lang, "评分记录（老师的评分）", "Entries (your ratings)"), &mut form.entries_file, entries_hint, Field::EntriesFile);
        let records_hint = format!("{}{}", t(lang, "默认：", "default: "), paths.records_dir(settings).0.display());
        field(ui, t(lang, "作答记录文件夹", "Records folder"), &mut form.records_dir, records_hint, Field::TeacherRecords);
        para(
            ui,
            RichText::new(t(
                lang,
                "班级文件可以是 kefu 的班级文件（.ron），也可以是 Excel 另存的名单（.csv：学号、姓名、组别、组长）。可以点“浏览…”选择，粘贴路径（Ctrl+V，“复制为路径”的引号会去掉），或把文件拖到这个窗口里。",
                "The class file is a Kefu class file (.ron) or a roster saved from Excel (.csv: student id, name, group, leader). Choose it with \"Browse…\", paste its path (Ctrl+V; the quotes of \"Copy as path\" are dropped), or drop the file on this window.",
            ))
            .size(17.0)
            .color(palette::MUTED),
        );
        ui.horizontal(|ui| {
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if big_button(ui, t(lang, "打开", "Open"), 160.0).clicked() || enter {
                match clean_path(&form.class_file) {
                    Some(class) => {
                        out.push(TeacherIntent::OpenClass { class, entries: clean_path(&form.entries_file), records: clean_path(&form.records_dir) });
                        form.show_open = false;
                    }
                    None => out.push(TeacherIntent::DismissStatus),
                }
            }
            if teacher.opened.is_some() && plain_button(ui, t(lang, "取消", "Cancel")).clicked() {
                form.show_open = false;
            }
        });
        if !teacher.problems.is_empty() {
            tinted(ui, palette::BAD_SOFT, palette::BAD, |ui| {
                for p in &teacher.problems {
                    ui.label(RichText::new(p.get(lang)).size(19.0).color(palette::BAD));
                }
            });
        }
    });
}

/// The answer to the teacher's last action, floating at the foot of the window: it never pushes
/// the page down, so the next click lands where the teacher aimed (issue 10: an Export click
/// missed when a status line appeared above the button).
fn status_toast(ctx: &egui::Context, teacher: &Teacher, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let Some(s) = &teacher.status else { return };
    let (fill, color, mark) = if s.ok { (palette::GOOD_SOFT, palette::GOOD, "✓") } else { (palette::BAD_SOFT, palette::BAD, "⚠") };
    let width = (ctx.content_rect().width() - 56.0).min(1000.0);
    let shadow = egui::Shadow { offset: [0, 2], blur: 10, spread: 0, color: Color32::from_black_alpha(40) };
    let frame = egui::Frame::new().fill(fill).stroke(Stroke::new(1.0, color)).corner_radius(10).inner_margin(egui::Margin::symmetric(14, 8)).shadow(shadow);
    egui::Area::new(egui::Id::new("teacher-status")).order(egui::Order::Foreground).anchor(Align2::CENTER_BOTTOM, vec2(0.0, -14.0)).show(ctx, |ui| {
        frame.show(ui, |ui| {
            ui.set_width(width);
            ui.horizontal(|ui| {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button("×").clicked() {
                        out.push(TeacherIntent::DismissStatus);
                    }
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        ui.add(egui::Label::new(RichText::new(format!("{mark} {}", s.text.get(lang))).size(18.0).color(color)).wrap());
                    });
                });
            });
        });
    });
}

/// What the teacher must know about the files: entries unreadable or unsaved, records set
/// aside, scenarios missing, warnings about the entries.
fn messages(ui: &mut Ui, o: &Opened, lang: Lang, out: &mut Vec<TeacherIntent>) {
    if let Some(e) = &o.unsaved {
        tinted(ui, palette::BAD_SOFT, palette::BAD, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{}{e}", t(lang, "评分没有保存：", "Not saved: "))).color(palette::BAD));
                if ui.button(t(lang, "重试保存", "Retry")).clicked() {
                    out.push(TeacherIntent::RetrySave);
                }
            });
        });
    }
    let mut lines: Vec<(String, Color32)> = Vec::new();
    if let Some(p) = &o.entries_problem {
        lines.push((format!("{}{p}", t(lang, "评分记录文件无法读取（不会被覆盖，请修好后刷新）：", "The entries file cannot be read (it is not overwritten; fix it and reload): ")), palette::BAD));
    }
    if let Some(p) = &o.records_problem {
        lines.push((p.get(lang).to_string(), palette::WARN));
    }
    for (id, n) in &o.grades.missing_scenarios {
        lines.push((
            match lang {
                Lang::Zh => format!("{n} 份记录属于任务“{id}”，但题库里没有它的场景文件，未计分"),
                Lang::En => format!("{} to task \"{id}\", which is not in the library; not graded", en_count(*n, "record belongs", "records belong")),
            },
            palette::WARN,
        ));
    }
    for w in &o.grades.warnings {
        lines.push((w.get(lang).to_string(), palette::WARN));
    }
    if lines.is_empty() && o.set_aside.is_empty() {
        return;
    }
    let title = match lang {
        Lang::Zh => format!("⚠ {} 条需要注意", lines.len() + usize::from(!o.set_aside.is_empty())),
        Lang::En => format!("⚠ To check: {}", lines.len() + usize::from(!o.set_aside.is_empty())),
    };
    egui::CollapsingHeader::new(RichText::new(title).color(palette::WARN).size(19.0)).id_salt("teacher-messages").default_open(o.entries_problem.is_some() || !o.set_aside.is_empty() || o.records.iter().any(|(_, r)| !r.trust.counts())).show(ui, |ui| {
        for (l, c) in &lines {
            ui.add(egui::Label::new(RichText::new(l).size(18.0).color(*c)).wrap());
        }
        if !o.set_aside.is_empty() {
            let head = match lang {
                Lang::Zh => format!("{} 个文件没有计入（无法读取、改了名或放错位置）：", o.set_aside.len()),
                Lang::En => format!("{} not counted (unreadable, renamed or misplaced):", en_count(o.set_aside.len(), "file", "files")),
            };
            ui.label(RichText::new(head).size(18.0).color(palette::WARN));
            for (_, e) in o.set_aside.iter().take(8) {
                ui.add(egui::Label::new(RichText::new(format!("· {e}")).size(16.0).color(palette::MUTED)).wrap());
            }
            if o.set_aside.len() > 8 {
                ui.label(RichText::new(format!("… {}", o.set_aside.len() - 8)).size(16.0).color(palette::MUTED));
            }
        }
    });
}

fn task_picker(ui: &mut Ui, o: &Opened, current: Option<&str>, lang: Lang, out: &mut Vec<TeacherIntent>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t(lang, "任务：", "Task:")).size(20.0));
        for tg in &o.grades.tasks {
            let on = current == Some(tg.scenario_id.as_str());
            let played = o.task_overview(&tg.scenario_id).map_or(0, |v| v.played);
            let (open, close) = if lang == Lang::Zh { ("（", "）") } else { (" (", ")") };
            let text = format!("{} {}{open}{played}/{}{close}", course_label(lang, tg.course.project, tg.course.task), tg.title.get(lang), o.class.student_count());
            let b = egui::Button::new(RichText::new(text).size(19.0).color(if on { palette::PRIMARY } else { palette::TEXT }).strong())
                .fill(if on { palette::PRIMARY_SOFT } else { palette::PANEL })
                .stroke(Stroke::new(if on { 2.0 } else { 1.0 }, if on { palette::PRIMARY } else { palette::LINE }))
                .corner_radius(8);
            if ui.add(b).on_hover_text(&tg.scenario_id).clicked() && !on {
                out.push(TeacherIntent::PickTask(tg.scenario_id.clone()));
            }
        }
    });
}

// ---- grades ----

/// Column widths of the grade table (at the body font size used in it).
struct Cols {
    id: f32,
    name: f32,
    crit: Vec<f32>,
    num: f32,
    grade: f32,
    /// Too little room beside the scores (large text, narrow window): notes go under each row.
    notes_below: bool,
    /// Space between cells (less when the room is short).
    gap: f32,
}

const ROW_H: f32 = 40.0;
/// Space between the cells of a row (the cells centre their content, so little is needed).
const CELL_GAP: f32 = 6.0;
const TABLE_TEXT: f32 = 19.0;

fn cell<R>(ui: &mut Ui, w: f32, align: egui::Align, add: impl FnOnce(&mut Ui) -> R) -> R {
    let layout = match align {
        egui::Align::Min => egui::Layout::left_to_right(egui::Align::Center),
        _ => egui::Layout::centered_and_justified(egui::Direction::LeftToRight),
    };
    ui.allocate_ui_with_layout(vec2(w, ROW_H), layout, |ui| {
        ui.set_min_size(vec2(w, ROW_H));
        ui.set_max_width(w);
        add(ui)
    })
    .inner
}

fn txt(s: impl Into<String>) -> RichText {
    RichText::new(s).size(TABLE_TEXT)
}

fn grades_tab(ui: &mut Ui, o: &Opened, task: &TaskGrades, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let Some(sc) = o.scenario(&task.scenario_id) else { return };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t(lang, "计哪一次作答：", "Attempt that counts:")).size(20.0));
        for c in [Counting::Best, Counting::Latest, Counting::First] {
            if ui.radio(task.counting == c, RichText::new(c.name().get(lang)).size(20.0)).clicked() && task.counting != c {
                out.push(TeacherIntent::SetCounting { task: task.scenario_id.clone(), counting: c });
            }
        }
        ui.add_space(12.0);
        use crate::grades::entries::AttemptKind;
        for k in [AttemptKind::Any, AttemptKind::Group, AttemptKind::Solo] {
            if ui.radio(task.attempts == k, RichText::new(k.name().get(lang)).size(20.0)).clicked() && task.attempts != k {
                out.push(TeacherIntent::SetAttempts { task: task.scenario_id.clone(), kind: k });
            }
        }
        ui.add_space(16.0);
        if let Some(e) = &form.error {
            ui.label(RichText::new(format!("⚠ {e}")).size(18.0).color(palette::BAD));
        }
        ui.label(
            RichText::new(t(lang, "点分数可改分（须写理由）；互助与合作填 0-10，回车到下一人。", "Click a score to override it (with a reason); type cooperation 0-10, Enter goes on."))
                .size(17.0)
                .color(palette::MUTED),
        );
    });
    // Each criterion column as wide as its heading (at least a score button, at most two lines'
    // worth: "Presentation & effect" wraps), so headings never run into the next column.
    let width = |text: &str, size: f32| ui.painter().layout_no_wrap(text.to_string(), FontId::proportional(size), palette::TEXT).size().x;
    let crit: Vec<f32> = task.criteria.iter().map(|c| (width(c.name.get(lang), 16.0) + 14.0).clamp(64.0, 112.0)).collect();
    let grade = sc.rubric.grades.iter().map(|g| width(g.name.get(lang), TABLE_TEXT)).fold(width(t(lang, "等级", "Grade"), 16.0), f32::max) + 14.0;
    let mut cols = Cols { id: 84.0, name: 86.0, crit, num: 58.0, grade: grade.max(60.0), notes_below: false, gap: CELL_GAP };
    let cells = 2 + cols.crit.len() + 5;
    let fixed = cols.id + cols.name + cols.crit.iter().sum::<f32>() + 4.0 * cols.num + cols.grade + CELL_GAP * cells as f32;
    // Card margins and the scroll bar.
    cols.notes_below = ui.available_width() - fixed - 48.0 < 200.0;
    if cols.notes_below {
        cols.gap = 4.0;
    }
    // Wider than the window only with very large text: then the table scrolls sideways.
    egui::ScrollArea::horizontal().id_salt(("teacher-grades", &task.scenario_id)).auto_shrink([false, true]).show(ui, |ui| {
        for g in &task.groups {
            group_card(ui, o, sc, task, g, &cols, form, lang, out);
        }
        ui.add_space(8.0);
    });
}

#[allow(clippy::too_many_arguments, reason = "a group card needs the task, the scenario and the form")]
fn group_card(ui: &mut Ui, o: &Opened, sc: &Scenario, task: &TaskGrades, g: &crate::grades::GroupGrades, cols: &Cols, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    egui::Frame::new()
        .fill(palette::PANEL)
        .stroke(Stroke::new(1.0, palette::LINE))
        .corner_radius(12)
        .inner_margin(egui::Margin::symmetric(14, 10))
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(&g.name).size(24.0).strong().color(palette::PRIMARY));
                if let Some(l) = &g.leader {
                    ui.label(RichText::new(format!("{}{}", t(lang, "组长：", "Leader: "), l.name)).size(20.0));
                }
                ui.add_space(12.0);
                let band_text = match &g.band {
                    Some(b) => match lang {
                        Lang::Zh => format!("小组评价：第{}档 {} / {}", b.band, b.points, task.group_max),
                        Lang::En => format!("Group: band {}, {} / {}", b.band, b.points, task.group_max),
                    },
                    None => t(lang, "小组评价：还没有成员作答", "Group: no member has played yet").to_string(),
                };
                let overridden = g.band.as_ref().is_some_and(|b| b.overridden.is_some());
                ui.label(RichText::new(band_text).size(20.0).strong().color(if overridden { palette::WARN } else { palette::TEXT }));
                if overridden {
                    chip(ui, t(lang, "老师调整", "set by teacher"), palette::WARN_SOFT, palette::WARN);
                }
                if ui.button(RichText::new(t(lang, "调整档次", "Set band")).size(18.0)).clicked() {
                    let cur = o.band_override(&task.scenario_id, &g.name);
                    let (band, points) = g.band.as_ref().map_or_else(
                        || sc.rubric.bands.first().map_or((1, 60), |b| (b.band, b.min)),
                        |b| (b.band, b.points),
                    );
                    form.editor = Some(Editor::Band {
                        task: task.scenario_id.clone(),
                        group: g.name.clone(),
                        band,
                        points,
                        reason: cur.map(|c| c.reason.clone()).unwrap_or_default(),
                    });
                }
            });
            for n in &g.notes {
                ui.add(egui::Label::new(RichText::new(n.get(lang)).size(17.0).color(palette::WARN)).wrap());
            }
            table_head(ui, task, cols, lang);
            for (i, m) in g.members.iter().enumerate() {
                let fill = if i % 2 == 0 { palette::BG } else { palette::PANEL };
                let points = g.band.as_ref().map(|b| b.points);
                egui::Frame::new().fill(fill).corner_radius(6).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.spacing_mut().item_spacing.x = cols.gap;
                        member_row(ui, o, sc, task, m, points, cols, form, lang, out);
                    });
                    let extra = not_counted_note(o, &task.scenario_id, m, lang);
                    if cols.notes_below && (!m.notes.is_empty() || extra.is_some()) {
                        let notes: Vec<&str> = m.notes.iter().map(|n| n.get(lang)).collect();
                        ui.horizontal(|ui| {
                            ui.add_space(cols.id);
                            ui.vertical(|ui| {
                                ui.add(egui::Label::new(RichText::new(notes.join(t(lang, "；", "; "))).size(16.0).color(palette::MUTED)).wrap());
                                if let Some(n) = extra {
                                    ui.add(egui::Label::new(RichText::new(n).size(16.0).color(palette::WARN)).wrap());
                                }
                            });
                        });
                    }
                });
            }
        });
    ui.add_space(6.0);
}

fn table_head(ui: &mut Ui, task: &TaskGrades, cols: &Cols, lang: Lang) {
    let head = |s: String| RichText::new(s).size(16.0).strong().color(palette::MUTED);
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = cols.gap;
        cell(ui, cols.id, egui::Align::Min, |ui| ui.label(head(t(lang, "学号", "ID").into())));
        cell(ui, cols.name, egui::Align::Min, |ui| ui.label(head(t(lang, "姓名", "Name").into())));
        for (c, w) in task.criteria.iter().zip(&cols.crit) {
            cell(ui, *w, egui::Align::Center, |ui| ui.add(egui::Label::new(head(format!("{}\n/{}", c.name.get(lang), c.max))).wrap()));
        }
        cell(ui, cols.num, egui::Align::Center, |ui| ui.label(head(format!("{}\n/{}", t(lang, "小计", "Sub"), task.member_max))));
        cell(ui, cols.num, egui::Align::Center, |ui| ui.label(head(format!("{}\n/{}", t(lang, "小组", "Group"), task.group_max))));
        cell(ui, cols.num, egui::Align::Center, |ui| ui.label(head(t(lang, "扣分", "Hints").into())));
        cell(ui, cols.num, egui::Align::Center, |ui| ui.label(head(format!("{}\n/{}", t(lang, "总分", "Total"), task.total_max))));
        cell(ui, cols.grade, egui::Align::Center, |ui| ui.label(head(t(lang, "等级", "Grade").into())));
        if !cols.notes_below {
            ui.label(head(t(lang, "备注", "Notes").into()));
        }
    });
}

#[allow(clippy::too_many_arguments, reason = "a row needs the task, the scenario and the form")]
fn member_row(ui: &mut Ui, o: &Opened, sc: &Scenario, task: &TaskGrades, m: &MemberGrades, group_points: Option<u32>, cols: &Cols, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let tid = &task.scenario_id;
    let sid = &m.student.id;
    let has_attempt = m.counted.is_some();
    let open_editor = |form: &mut TeacherForm, key: &str, points: u32| {
        let cur = o.overridden(tid, sid, key);
        form.editor = Some(Editor::Criterion {
            task: tid.clone(),
            student: sid.clone(),
            name: m.student.name.clone(),
            key: key.to_string(),
            points: cur.map_or(points, |c| c.points),
            reason: cur.map(|c| c.reason.clone()).unwrap_or_default(),
        });
    };
    cell(ui, cols.id, egui::Align::Min, |ui| ui.label(txt(sid).color(palette::MUTED)));
    cell(ui, cols.name, egui::Align::Min, |ui| {
        let mut name = txt(&m.student.name).strong();
        if m.leader {
            name = name.color(palette::PRIMARY);
        }
        let r = ui.add(egui::Label::new(name).sense(Sense::click())).on_hover_text(t(lang, "点击可修改任一评分项", "Click to override any criterion"));
        if r.clicked() && has_attempt {
            let (key, p) = task.criteria.iter().zip(&m.criteria).find(|(c, _)| sc.rubric.criterion(&c.key).is_some_and(|x| x.mode == Mode::Auto)).map_or_else(
                || (task.criteria.first().map(|c| c.key.clone()).unwrap_or_default(), 0),
                |(c, p)| (c.key.clone(), p.unwrap_or(0)),
            );
            open_editor(form, &key, p);
        }
    });
    for ((c, w), p) in task.criteria.iter().zip(&cols.crit).zip(&m.criteria) {
        let rated = sc.rubric.criterion(&c.key).is_some_and(|x| x.mode == Mode::Rated);
        let over = o.overridden(tid, sid, &c.key);
        cell(ui, *w, egui::Align::Center, |ui| {
            if rated && over.is_none() {
                rating_field(ui, o, tid, sid, &c.key, c.max, has_attempt, form, lang, out);
            } else if !has_attempt {
                ui.label(txt("—").color(palette::MUTED));
            } else {
                let shown = p.map_or_else(|| "—".to_string(), |p| p.to_string());
                let (text, fill) = match over {
                    Some(_) => (txt(format!("{shown} {}", t(lang, "改", "set"))).color(palette::WARN).strong(), palette::WARN_SOFT),
                    None => (txt(shown), Color32::TRANSPARENT),
                };
                let b = egui::Button::new(text).fill(fill).stroke(Stroke::new(1.0, palette::LINE)).min_size(vec2(54.0, 34.0));
                let hover = match over {
                    Some(ov) => format!("{}{}{}{}", t(lang, "老师改为 ", "Set by the teacher to "), ov.points, t(lang, "：", ": "), ov.reason),
                    None => t(lang, "系统按作答评分；点击可改分", "Scored from play; click to override").to_string(),
                };
                if ui.add(b).on_hover_text(hover).clicked() {
                    open_editor(form, &c.key, p.unwrap_or(0));
                }
            }
        });
    }
    let num = |ui: &mut Ui, v: Option<String>, strong: bool| {
        cell(ui, cols.num, egui::Align::Center, |ui| {
            let s = v.unwrap_or_else(|| "—".into());
            ui.label(if strong { txt(s).strong().size(22.0) } else { txt(s) })
        });
    };
    num(ui, m.subtotal.map(|s| s.to_string()), false);
    num(ui, group_points.filter(|_| has_attempt).map(|p| p.to_string()), false);
    num(ui, (m.deduction > 0).then(|| format!("−{}", m.deduction)), false);
    num(ui, m.total.map(|s| if m.provisional { format!("{s}*") } else { s.to_string() }), true);
    cell(ui, cols.grade, egui::Align::Center, |ui| {
        let g = m.grade.as_ref().map_or("—".to_string(), |g| g.get(lang).to_string());
        let color = grade_color(m.grade_level);
        ui.label(txt(g).color(color).strong())
    });
    if cols.notes_below {
        return;
    }
    let notes: Vec<String> = m.notes.iter().map(|n| n.get(lang).to_string()).collect();
    let w = ui.available_width().max(120.0);
    ui.vertical(|ui| {
        ui.set_width(w);
        ui.add_space(4.0);
        ui.add(egui::Label::new(RichText::new(notes.join(t(lang, "；", "; "))).size(16.0).color(palette::MUTED)).wrap());
        if let Some(n) = not_counted_note(o, tid, m, lang) {
            ui.add(egui::Label::new(RichText::new(n).size(16.0).color(palette::WARN)).wrap());
        }
        ui.add_space(4.0);
    });
}

/// "互助与合作 8 分已保存，但无作答记录，暂不计入成绩表" for a rating a student without an attempt has.
fn not_counted_note(o: &Opened, task: &str, m: &MemberGrades, lang: Lang) -> Option<String> {
    let kept = o.rated_without_attempt(task, &m.student.id);
    (!kept.is_empty()).then(|| {
        let list: Vec<String> = kept.iter().map(|(name, p)| format!("{} {p}", name.get(lang))).collect();
        match lang {
            Lang::Zh => format!("{} 分已保存，但无作答记录，暂不计入成绩表", list.join("、")),
            Lang::En => format!("{} kept, but with no attempt not counted in the grade sheet yet", list.join(", ")),
        }
    })
}

/// The 互助与合作 field: typed digits are sent when the field loses focus (Enter, Tab, a click).
///
/// For a student with no attempt the field stays open (a teacher rates cooperation from what
/// happened in class, often while the group is still handing in; the rating counts the moment
/// the attempt is filed) but is greyed instead of asking for a rating, and says on hover — and,
/// once a rating is kept, in the row's notes — that it does not count yet: the grade sheet has
/// no total for that student ("无作答记录").
#[allow(clippy::too_many_arguments, reason = "the field's task, student, criterion and form")]
fn rating_field(ui: &mut Ui, o: &Opened, task: &str, student: &str, key: &str, max: u32, has_attempt: bool, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let k = (task.to_string(), student.to_string(), key.to_string());
    let stored = o.rated(task, student, key);
    let id = egui::Id::new(("rating", task, student, key));
    // A draft lives while the field is edited. `lost_focus` stays true for two frames (and egui
    // may run a frame in two passes), so only the frame that still has the draft commits it.
    let focused = ui.memory(|m| m.has_focus(id));
    let editing = form.drafts.contains_key(&k);
    let text = form.drafts.entry(k.clone()).or_insert_with(|| stored.map(|p| p.to_string()).unwrap_or_default());
    let bad = form.bad_draft.as_ref() == Some(&k);
    let edit = egui::TextEdit::singleline(text)
        .id(id)
        .desired_width(58.0)
        .min_size(vec2(58.0, 34.0))
        .horizontal_align(egui::Align::Center)
        .vertical_align(egui::Align::Center)
        .font(FontId::proportional(21.0))
        .hint_text("—")
        .text_color(if has_attempt { palette::TEXT } else { palette::MUTED })
        .background_color(if bad {
            palette::BAD_SOFT
        } else if !has_attempt {
            palette::BG
        } else if stored.is_none() {
            palette::WARN_SOFT
        } else {
            palette::PANEL
        });
    let hover = match (has_attempt, lang) {
        (true, Lang::Zh) => format!("0-{max} 分；清空表示未评；回车到下一人"),
        (true, Lang::En) => format!("0-{max}; empty = not rated; Enter goes to the next student"),
        (false, Lang::Zh) => format!("无作答记录：评分会保存，但交来作答之前不计入成绩表（0-{max} 分）"),
        (false, Lang::En) => format!("No attempt: a rating is kept but not counted in the grade sheet until the attempt is handed in (0-{max})"),
    };
    let r = ui.add(edit).on_hover_text(hover);
    if form.focus_after.is_some() && form.focus_after == form.last_rating {
        r.request_focus();
        r.scroll_to_me(None);
        form.focus_after = None;
    }
    form.last_rating = Some(k.clone());
    if r.lost_focus() && editing {
        let s = form.drafts.remove(&k).unwrap_or_default().trim().to_string();
        if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            form.focus_after = Some(k.clone());
            ui.ctx().request_repaint();
        }
        let parsed: Option<Option<u32>> = if s.is_empty() { Some(None) } else { s.parse::<u32>().ok().filter(|p| *p <= max).map(Some) };
        match parsed {
            Some(points) => {
                if form.bad_draft.as_ref() == Some(&k) {
                    form.bad_draft = None;
                    form.error = None;
                }
                if points != stored {
                    out.push(TeacherIntent::Rate { task: k.0, student: k.1, key: k.2, points });
                }
            }
            None => {
                form.bad_draft = Some(k.clone());
                form.error = Some(match lang {
                    Lang::Zh => format!("“{s}”不是 0-{max} 的整数，没有保存"),
                    Lang::En => format!("\"{s}\" is not a whole number from 0 to {max}; not saved"),
                });
            }
        }
    } else if !focused && !r.has_focus() {
        form.drafts.remove(&k);
    }
}

// ---- override dialogs ----

fn editor_modal(ctx: &egui::Context, o: &Opened, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>) {
    let Some(mut ed) = form.editor.clone() else { return };
    let mut close = false;
    let frame = egui::Frame::new().fill(palette::PANEL).stroke(Stroke::new(1.0, palette::LINE)).inner_margin(egui::Margin::same(24)).corner_radius(12);
    let resp = egui::Modal::new(egui::Id::new("teacher-editor")).frame(frame).show(ctx, |ui| {
        ui.set_width(620.0);
        match &mut ed {
            Editor::Criterion { task, student, name, key, points, reason } => {
                let Some(sc) = o.scenario(task) else {
                    close = true;
                    return;
                };
                ui.label(RichText::new(format!("{}{name}{}{student}{}", t(lang, "修改评分：", "Override: "), t(lang, "（", " ("), t(lang, "）", ")"))).size(26.0).strong());
                egui::ComboBox::from_id_salt("crit-pick")
                    .width(300.0)
                    .selected_text(sc.rubric.criterion(key).map_or(key.clone(), |c| format!("{}{}{}{}", c.name.get(lang), t(lang, "（", " ("), c.max, t(lang, "）", ")"))))
                    .show_ui(ui, |ui| {
                        for c in &sc.rubric.criteria {
                            if ui.selectable_label(*key == c.key, format!("{}{}{}{}", c.name.get(lang), t(lang, "（", " ("), c.max, t(lang, "）", ")"))).clicked() && *key != c.key {
                                *key = c.key.clone();
                                let cur = o.overridden(task, student, key);
                                let now = o.task(task).and_then(|tg| tg.member(student)).and_then(|m| {
                                    tg_index(o, task, key).and_then(|i| m.criteria.get(i).copied().flatten())
                                });
                                *points = cur.map_or(now.unwrap_or(0), |c| c.points);
                                *reason = cur.map(|c| c.reason.clone()).unwrap_or_default();
                            }
                        }
                    });
                let max = sc.rubric.criterion(key).map_or(0, |c| c.max);
                let current = o.overridden(task, student, key);
                let now = o.task(task).and_then(|tg| tg.member(student)).and_then(|m| tg_index(o, task, key).and_then(|i| m.criteria.get(i).copied().flatten()));
                let was = match (current, now) {
                    (Some(c), _) => format!("{}{}{}{}", t(lang, "现在由老师定为 ", "Now set by the teacher to "), c.points, t(lang, "：", ": "), c.reason),
                    (None, Some(p)) => format!("{}{p} / {max}", t(lang, "现在：", "Now: ")),
                    (None, None) => t(lang, "现在：未评分", "Now: not scored").to_string(),
                };
                ui.label(RichText::new(was).color(palette::MUTED));
                ui.horizontal(|ui| {
                    ui.label(t(lang, "改为", "Set to"));
                    ui.add(egui::Slider::new(points, 0..=max).step_by(1.0).integer());
                    ui.label(format!("/ {max}"));
                });
                ui.label(t(lang, "理由（必填，会写进成绩表备注）", "Reason (required; shown in the sheet's notes)"));
                ui.add(egui::TextEdit::multiline(reason).desired_rows(2).desired_width(f32::INFINITY).hint_text(t(lang, "例：课堂展示时主动帮助组员", "e.g. helped the group during the presentation")));
                ui.horizontal(|ui| {
                    let ok = !reason.trim().is_empty();
                    if ui.add_enabled(ok, egui::Button::new(RichText::new(t(lang, "保存", "Save")).size(22.0).color(Color32::WHITE)).fill(palette::PRIMARY).min_size(vec2(120.0, 44.0))).clicked() {
                        out.push(TeacherIntent::Override {
                            task: task.clone(),
                            student: student.clone(),
                            key: key.clone(),
                            over: Some(Override { points: *points, reason: reason.trim().to_string() }),
                        });
                        close = true;
                    }
                    if current.is_some() && ui.button(t(lang, "恢复系统评分", "Restore")).clicked() {
                        out.push(TeacherIntent::Override { task: task.clone(), student: student.clone(), key: key.clone(), over: None });
                        close = true;
                    }
                    if ui.button(t(lang, "取消", "Cancel")).clicked() {
                        close = true;
                    }
                });
            }
            Editor::Band { task, group, band, points, reason } => {
                let Some(sc) = o.scenario(task) else {
                    close = true;
                    return;
                };
                ui.label(RichText::new(format!("{}{group}", t(lang, "调整小组评价：", "Group band: "))).size(26.0).strong());
                let g = o.task(task).and_then(|tg| tg.groups.iter().find(|x| x.name == *group));
                let computed = g.and_then(|g| g.band.as_ref()).and_then(|b| b.computed);
                ui.label(
                    RichText::new(match (computed, lang) {
                        (Some((b, p)), Lang::Zh) => format!("按成员作答计算：第{b}档 {p} 分"),
                        (Some((b, p)), Lang::En) => format!("From the members' attempts: band {b}, {p} points"),
                        (None, _) => t(lang, "还没有成员作答，无法计算", "No member has played; nothing computed").to_string(),
                    })
                    .color(palette::MUTED),
                );
                for b in &sc.rubric.bands {
                    let label = match lang {
                        Lang::Zh => format!("第{}档（{}-{} 分）", b.band, b.min, b.max),
                        Lang::En => format!("Band {} ({}-{})", b.band, b.min, b.max),
                    };
                    if ui.radio(*band == b.band, RichText::new(label).size(21.0)).clicked() {
                        *band = b.band;
                        *points = (*points).clamp(b.min, b.max);
                    }
                    ui.add(egui::Label::new(RichText::new(b.descriptor.get(lang)).size(16.0).color(palette::MUTED)).wrap());
                }
                if let Some(b) = sc.rubric.bands.iter().find(|x| x.band == *band) {
                    *points = (*points).clamp(b.min, b.max);
                    ui.horizontal(|ui| {
                        ui.label(t(lang, "分数", "Points"));
                        ui.add(egui::Slider::new(points, b.min..=b.max).step_by(1.0).integer());
                    });
                }
                ui.label(t(lang, "理由（必填）", "Reason (required)"));
                ui.add(egui::TextEdit::multiline(reason).desired_rows(2).desired_width(f32::INFINITY).hint_text(t(lang, "例：展示超时，在老师帮助下完成", "e.g. over time, finished with the teacher's help")));
                let current = o.band_override(task, group);
                ui.horizontal(|ui| {
                    let ok = !reason.trim().is_empty();
                    if ui.add_enabled(ok, egui::Button::new(RichText::new(t(lang, "保存", "Save")).size(22.0).color(Color32::WHITE)).fill(palette::PRIMARY).min_size(vec2(120.0, 44.0))).clicked() {
                        out.push(TeacherIntent::Band {
                            task: task.clone(),
                            group: group.clone(),
                            over: Some(BandOverride { band: Some(*band), points: Some(*points), reason: reason.trim().to_string() }),
                        });
                        close = true;
                    }
                    if current.is_some() && ui.button(t(lang, "恢复计算结果", "Restore computed")).clicked() {
                        out.push(TeacherIntent::Band { task: task.clone(), group: group.clone(), over: None });
                        close = true;
                    }
                    if ui.button(t(lang, "取消", "Cancel")).clicked() {
                        close = true;
                    }
                });
            }
        }
    });
    if resp.should_close() {
        close = true;
    }
    form.editor = if close { None } else { Some(ed) };
}

fn tg_index(o: &Opened, task: &str, key: &str) -> Option<usize> {
    o.task(task).and_then(|tg| tg.criteria.iter().position(|c| c.key == key))
}

// ---- overview ----

fn overview_tab(ui: &mut Ui, ov: &TaskOverview, form: &mut TeacherForm, lang: Lang) {
    ui.vertical(|ui| {
        ui.horizontal_wrapped(|ui| {
            let s = |zh: String, en: String| if lang == Lang::Zh { zh } else { en };
            chip(ui, &s(format!("已作答 {} / {} 人", ov.played, ov.students), format!("played: {} of {}", ov.played, ov.students)), palette::PRIMARY_SOFT, palette::PRIMARY);
            chip(ui, &s(format!("有总分 {} 人", ov.graded), format!("with a total: {}", ov.graded)), palette::PRIMARY_SOFT, palette::PRIMARY);
            if let Some(m) = ov.mean {
                chip(ui, &s(format!("平均分 {m:.1}"), format!("mean {m:.1}")), palette::GOOD_SOFT, palette::GOOD);
            }
            if let Some(m) = ov.median {
                chip(ui, &s(format!("中位数 {m:.1}"), format!("median {m:.1}")), palette::GOOD_SOFT, palette::GOOD);
            }
            if ov.provisional > 0 {
                chip(ui, &s(format!("{} 人互助与合作未评，总分暂定", ov.provisional), format!("{} provisional (not rated yet)", ov.provisional)), palette::WARN_SOFT, palette::WARN);
            }
        });
        ui.columns(2, |cols| {
            let top = egui::Layout::top_down(egui::Align::Min);
            let (left, right) = cols.split_at_mut(1);
            left[0].with_layout(top, |ui| {
                card(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(t(lang, "成绩分布", "Distribution of totals")).size(22.0).strong().color(palette::PRIMARY));
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.selectable_value(&mut form.bins, true, RichText::new(t(lang, "按分数段", "10-point bins")).size(17.0));
                            ui.selectable_value(&mut form.bins, false, RichText::new(t(lang, "按等级", "By grade")).size(17.0));
                        });
                    });
                    let bars: Vec<(String, usize, Color32)> = if form.bins {
                        ov.bins
                            .iter()
                            .enumerate()
                            .map(|(i, n)| {
                                // The bin's colour is the grade level its lowest total falls in (from the rubric).
                                let level = ov.by_grade.iter().position(|g| i as u32 * 10 >= g.min);
                                (if i == 9 { "90+".to_string() } else { format!("{}", i * 10) }, *n, grade_color(level))
                            })
                            .collect()
                    } else {
                        ov.by_grade.iter().enumerate().map(|(level, g)| (g.name.get(lang).to_string(), g.count, grade_color(Some(level)))).collect()
                    };
                    histogram(ui, &bars, 210.0, lang);
                });
            });
            right[0].with_layout(top, |ui| {
                card(ui, |ui| {
                    ui.label(RichText::new(t(lang, "各组最弱的 5S 要素", "Each group's weakest 5S")).size(22.0).strong().color(palette::PRIMARY));
                    weakest_table(ui, ov, lang);
                });
            });
        });
        ui.add_space(6.0);
        ui.label(RichText::new(t(lang, "每个决定的选择情况（计分的那次作答）", "How each decision was answered (counted attempts)")).size(24.0).strong());
        if ov.decisions.is_empty() {
            ui.label(RichText::new(t(lang, "这个场景没有选择题。", "This scenario has no choices.")).color(palette::MUTED));
        }
        for (i, d) in ov.decisions.iter().enumerate() {
            decision_card(ui, i + 1, d, lang);
        }
    });
}

/// Bars with their count above and label below.
fn histogram(ui: &mut Ui, bars: &[(String, usize, Color32)], height: f32, lang: Lang) {
    let width = ui.available_width();
    let (resp, painter) = ui.allocate_painter(vec2(width, height), Sense::hover());
    let r = resp.rect;
    let label_h = 26.0;
    let top_pad = 26.0;
    let base = r.bottom() - label_h;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let n = bars.len().max(1) as f32;
    let slot = r.width() / n;
    let bar_w = (slot * 0.62).min(70.0);
    painter.line_segment([egui::pos2(r.left(), base), egui::pos2(r.right(), base)], Stroke::new(1.5, palette::LINE));
    for (i, (label, count, color)) in bars.iter().enumerate() {
        let cx = r.left() + slot * (i as f32 + 0.5);
        let h = (base - r.top() - top_pad) * (*count as f32 / max as f32);
        if *count > 0 {
            let rect = egui::Rect::from_min_max(egui::pos2(cx - bar_w / 2.0, base - h), egui::pos2(cx + bar_w / 2.0, base));
            painter.rect_filled(rect, 4.0, *color);
        }
        painter.text(egui::pos2(cx, base - h - 3.0), Align2::CENTER_BOTTOM, count.to_string(), FontId::proportional(19.0), palette::TEXT);
        let size = if slot < 60.0 { 15.0 } else { 17.0 };
        painter.text(egui::pos2(cx, base + 4.0), Align2::CENTER_TOP, label, FontId::proportional(size), palette::MUTED);
    }
    if bars.iter().all(|b| b.1 == 0) {
        painter.text(r.center() - vec2(0.0, label_h / 2.0), Align2::CENTER_CENTER, t(lang, "还没有总分", "no totals yet"), FontId::proportional(20.0), palette::MUTED);
    }
}

fn weakest_table(ui: &mut Ui, ov: &TaskOverview, lang: Lang) {
    egui::Grid::new("weakest").num_columns(Dim::ALL.len() + 2).striped(true).spacing([14.0, 6.0]).show(ui, |ui| {
        let head = |s: &str| RichText::new(s).size(16.0).strong().color(palette::MUTED);
        ui.label(head(t(lang, "小组", "Group")));
        ui.label(head(t(lang, "最弱", "Weakest")));
        for d in Dim::ALL {
            ui.label(head(d.name(lang)));
        }
        ui.end_row();
        for g in &ov.groups {
            ui.label(RichText::new(&g.group).size(18.0));
            // All five alike (a group at 100% everywhere): no dimension stands out as weak.
            let flat = g.weakest.is_some_and(|(_, low)| g.means.iter().all(|m| m - low < 0.5));
            match g.weakest {
                Some(_) if flat => ui.label(RichText::new(t(lang, "无明显短板", "none stands out")).size(17.0).color(palette::GOOD)),
                Some((d, p)) => ui.label(RichText::new(format!("{} {p:.0}%", d.name(lang))).size(18.0).strong().color(palette::WARN)),
                None => ui.label(RichText::new(t(lang, "无作答", "no attempt")).size(17.0).color(palette::MUTED)),
            };
            for (i, d) in Dim::ALL.iter().enumerate() {
                match g.means.get(i) {
                    Some(m) => {
                        let weak = !flat && g.weakest.is_some_and(|(w, _)| w == *d);
                        ui.label(RichText::new(format!("{m:.0}")).size(17.0).color(if weak { palette::WARN } else { palette::TEXT }));
                    }
                    None => {
                        ui.label(RichText::new("—").size(17.0).color(palette::MUTED));
                    }
                }
            }
            ui.end_row();
        }
    });
    ui.label(RichText::new(t(lang, "各要素为组员得分率（%）的平均。", "Mean of the members' percentages per dimension.")).size(15.0).color(palette::MUTED));
}

fn decision_card(ui: &mut Ui, n: usize, d: &DecisionStats, lang: Lang) {
    card(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{n}.")).size(21.0).strong().color(palette::PRIMARY));
            ui.label(RichText::new(without_placeholders(d.prompt.get(lang))).size(21.0).strong());
            let reached = match lang {
                Lang::Zh => format!("{} 人次作答经过这里", d.attempts),
                Lang::En => format!("reached in {}", en_count(d.attempts, "attempt", "attempts")),
            };
            ui.label(RichText::new(reached).size(16.0).color(palette::MUTED));
            if let Some(s) = d.expert_share() {
                let txt = match lang {
                    Lang::Zh => format!("选对 {:.0}%", s * 100.0),
                    Lang::En => format!("expert {:.0}%", s * 100.0),
                };
                chip(ui, &txt, if s >= 0.6 { palette::GOOD_SOFT } else { palette::WARN_SOFT }, if s >= 0.6 { palette::GOOD } else { palette::WARN });
            }
        });
        let total = d.answers().max(1);
        let text_w = (ui.available_width() * 0.58).max(200.0);
        let mut rows: Vec<(String, usize, bool)> = d.options.iter().map(|o| (without_placeholders(o.text.get(lang)), o.count, o.expert)).collect();
        if d.timeouts > 0 {
            rows.push((t(lang, "（超时，没有作答）", "(timed out, no answer)").to_string(), d.timeouts, false));
        }
        for (text, count, expert) in rows {
            ui.horizontal(|ui| {
                ui.allocate_ui_with_layout(vec2(30.0, 28.0), egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.set_min_size(vec2(30.0, 28.0));
                    if expert {
                        ui.label(RichText::new("✓").size(20.0).strong().color(palette::GOOD)).on_hover_text(t(lang, "专家选项", "expert option"));
                    }
                });
                ui.allocate_ui_with_layout(vec2(text_w, 28.0), egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.set_width(text_w);
                    let rt = RichText::new(text).size(18.0);
                    ui.add(egui::Label::new(if expert { rt.color(palette::GOOD).strong() } else { rt }).wrap());
                });
                let bar_w = (ui.available_width() - 110.0).max(60.0);
                let (resp, painter) = ui.allocate_painter(vec2(bar_w, 22.0), Sense::hover());
                let rr = resp.rect;
                painter.rect_filled(rr, 4.0, palette::BG);
                let share = count as f32 / total as f32;
                if count > 0 {
                    let fill = egui::Rect::from_min_size(rr.min, vec2(rr.width() * share, rr.height()));
                    painter.rect_filled(fill, 4.0, if expert { palette::GOOD } else { Color32::from_rgb(148, 163, 184) });
                }
                ui.label(RichText::new(format!("{count}{}{:.0}%{}", t(lang, "（", " ("), share * 100.0, t(lang, "）", ")"))).size(17.0));
            });
        }
    });
}

// ---- export ----

#[allow(clippy::too_many_arguments, reason = "the tab, its form and the file dialogs")]
fn export_tab(ui: &mut Ui, teacher: &Teacher, o: &Opened, form: &mut TeacherForm, lang: Lang, out: &mut Vec<TeacherIntent>, dialogs: &Dialogs, asks: &mut Vec<Browse>) {
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "导出成绩表", "Export the grade sheet")).size(24.0).strong().color(palette::PRIMARY));
        ui.label(
            RichText::new(t(
                lang,
                "与 kefu export 相同：每个任务一张表（组别、学号、姓名、四项成员评价 /30、小组 /70、总分 /100、等级、5S、备注），另有一张汇总表。格式按文件扩展名：.xlsx 或 .csv。",
                "The same sheets as kefu export: one per task (group, id, name, the four member criteria /30, group /70, total /100, grade, 5S, notes) and a summary. The format follows the extension: .xlsx or .csv.",
            ))
            .size(18.0)
            .color(palette::MUTED),
        );
        ui.add_space(6.0);
        ui.label(RichText::new(t(lang, "保存到：", "Save as:")).size(20.0));
        let save_as = ui
            .horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut form.export_path).desired_width(ui.available_width() - 132.0).font(egui::TextStyle::Body));
                let text = if dialogs.open == Some(Field::ExportFile) { t(lang, "选择中…", "Choosing…") } else { t(lang, "另存为…", "Save as…") };
                ui.add_enabled(dialogs.open.is_none(), egui::Button::new(RichText::new(text).size(19.0)).min_size(vec2(116.0, 36.0)))
                    .on_hover_text(t(lang, "在文件选择窗口中选好位置和文件名，随即导出", "Choose the folder and name in a file dialog; the sheet is written at once"))
                    .clicked()
            })
            .inner;
        dialog::note(ui, dialogs, Field::ExportFile, lang);
        if save_as {
            let (label, ext) = if form.moodle { (t(lang, "Moodle 导入文件（CSV）", "Moodle import (CSV)"), "csv") } else { (t(lang, "成绩表（Excel 或 CSV）", "Grade sheet (Excel or CSV)"), "xlsx") };
            let mut exts = vec![ext.to_string()];
            if !form.moodle {
                exts.push("csv".into());
            }
            let start = clean_path(&form.export_path);
            let file_name = start.as_deref().and_then(|p| p.file_name()).map_or_else(|| format!("grades.{ext}"), |n| n.to_string_lossy().into_owned());
            asks.push(Browse { field: Field::ExportFile, kind: Kind::Save { file_name, filters: vec![(label.into(), exts)] }, title: t(lang, "导出成绩表", "Export the grade sheet").into(), start });
        }
        let before = form.moodle;
        ui.checkbox(&mut form.moodle, RichText::new(t(lang, "Moodle 成绩导入文件（CSV：学号 + 各任务总分）", "Moodle grade import (CSV: ID number + a total per task)")).size(20.0));
        if form.moodle != before
            && let Some(mut p) = clean_path(&form.export_path)
        {
            p.set_extension(if form.moodle { "csv" } else { "xlsx" });
            form.export_path = p.display().to_string();
        }
        let tasks: Vec<String> = o.grades.tasks.iter().map(|tg| format!("{} {}", course_label(lang, tg.course.project, tg.course.task), tg.title.get(lang))).collect();
        let what = match lang {
            Lang::Zh => format!("{}：{} 名学生，{} 个任务（{}）", o.class.name, o.class.student_count(), tasks.len(), tasks.join("、")),
            Lang::En => format!("{}: {}, {} ({})", o.class.name, en_count(o.class.student_count(), "student", "students"), en_count(tasks.len(), "task", "tasks"), tasks.join(", ")),
        };
        ui.add(egui::Label::new(RichText::new(what).size(18.0)).wrap());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if big_button(ui, t(lang, "导出", "Export"), 200.0).clicked() {
                let path = clean_path(&form.export_path).unwrap_or_default();
                out.push(TeacherIntent::Export { path, moodle: form.moodle });
            }
        });
    });
    if let Some(p) = &teacher.exported {
        tinted(ui, palette::GOOD_SOFT, palette::GOOD, |ui| {
            ui.label(RichText::new(t(lang, "上次导出的文件：", "Last sheet written:")).size(20.0).color(palette::GOOD));
            ui.add(egui::Label::new(RichText::new(p.display().to_string()).size(20.0).strong()).wrap());
        });
    }
}
