//! The teacher's view: open a class (typed, pasted, chosen in a file dialog or dropped on the
//! window), grade a task group by group (互助与合作, overrides with a reason, the group band),
//! the class overview, and the grade-sheet export. Only drawing: every change is a
//! [`TeacherIntent`] applied by `teacher/mod.rs`, which also computes everything shown. The
//! grades table is drawn in [`grades`], the overview and the export in [`overview`].

use std::collections::HashMap;
use std::path::PathBuf;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_egui::egui::{self, Align2, Color32, FontId, RichText, Sense, Stroke, Ui, vec2};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::{Bar, framed};
use crate::app::intent::{Intent, Notice};
use crate::app::dialog::{self, Browse, Chosen, Dialogs, Field, Kind};
use crate::app::settings::{AppPaths, Settings};
use crate::app::teacher::{Opened, Tab, Teacher, TeacherIntent, clean_path, default_entries_file, is_class_file};
use crate::app::theme::palette::grade_color;
use crate::app::theme::widgets::{big_button, card, chip, course_label, en_count, para, plain_button, t, tinted};
use crate::app::theme::{ThemeSet, palette};
use crate::grades::overview::{DecisionStats, TaskOverview, without_placeholders};
use crate::grades::{BandOverride, Counting, MemberGrades, Override, TaskGrades};
use crate::scenario::{Dim, Lang, Mode, Scenario};

mod grades;
mod overview;

use grades::{editor_modal, grades_tab};
use overview::{export_tab, overview_tab};

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

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<TeacherForm>()
        .add_systems(OnEnter(Screen::Teacher), fill_form)
        .add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Teacher)));
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
    let bar = Bar::With(Box::new(|ui: &mut Ui, _: &mut Vec<Intent>| {
        if ui.button(t(lang, "返回", "Back")).clicked() {
            close = true;
        }
    }));
    out.extend(framed(&ctx, &settings, &mut notice, bar, |ui, _| {
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
    }));
    if close {
        tout.push(TeacherIntent::Close);
    }
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

