//! The teacher's view, logic side: open a class (class file or roster CSV), read the records
//! and the library's scenarios, grade with the core ([`crate::grades::compute`]), take the
//! teacher's entries (互助与合作, overrides with reasons, group bands, which attempt counts) —
//! each saved at once, atomically, and graded again — the class overview
//! ([`crate::grades::overview`]) and the grade-sheet export (the same sheets as `kefu export`).
//!
//! No egui here: the views (`view.rs`, `grades_tab.rs`, `overview_tab.rs`) draw [`Teacher`] and sends
//! [`TeacherIntent`]s; `tests/app_teacher.rs` sends the same intents headless.
//!
//! What the teacher view remembers (class file, entries file, records folder, export folder,
//! Moodle) lives in `teacher.ron` beside the app's `settings.ron`, with the teacher password's
//! hash (`app::lock`). The entries of a class are
//! kept beside its class file, `<class>.entries.ron`, unless another file is named; that is the
//! file `kefu export --entries` reads.
//!
//! A class file dropped on the teacher view (Bevy's [`FileDragAndDrop`]) opens as the open
//! button opens it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy::prelude::*;
use bevy::window::{FileDragAndDrop, RequestRedraw};
use bevy_state::prelude::*;

use super::intent::Intent;
use super::library;
use super::screen::Screen;
use super::settings::{AppPaths, Settings};
use crate::export::{Format, SheetOptions, today_china};
use crate::grades::overview::{TaskOverview, overview};
use crate::grades::{BandOverride, BandProblem, ClassGrades, EntryProblem, entry_problems, Counting, Entries, Override, Selection, TaskGrades, compute};
use crate::records::AttemptRecord;
use crate::records::store::{read_folder, write_atomic};
use crate::roster::{Class, load_any};
use crate::scenario::{Lang, Loaded, Scenario, Text};

pub use super::prefs::{PREFS_FILE, TeacherPrefs, prefs_file};

pub mod view;

/// The entries kept for a class file: `物流2401班.ron` → `物流2401班.entries.ron` beside it.
pub fn default_entries_file(class_file: &Path) -> PathBuf {
    let stem = class_file.file_stem().map_or_else(|| "class".into(), |s| s.to_string_lossy().into_owned());
    class_file.with_file_name(format!("{stem}.entries.ron"))
}

/// A name that is safe as a file name on Windows too (class names can hold `/` or `:`).
pub fn file_safe(s: &str) -> String {
    let out: String = s.trim().chars().map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() { '_' } else { c }).collect();
    if out.is_empty() { "_".into() } else { out }
}

/// Documents, else home, else the working folder.
pub fn documents_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(Path::to_path_buf).or_else(|| Some(u.home_dir().to_path_buf())))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `<dir>/成绩表-<class>-<date>.xlsx` (`grades-…` in English).
pub fn default_export_file(dir: &Path, class: &str, date: &str, lang: Lang) -> PathBuf {
    dir.join(format!("{}-{}-{date}.xlsx", lang.pick("成绩表", "grades"), file_safe(class)))
}

pub use crate::app::dialog::clean_path;

/// The full path, for messages the teacher must find the file by.
pub fn full_path(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Which part of the teacher view is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tab {
    /// Groups, members, criteria, band, totals of one task.
    #[default]
    Grades,
    /// The class overview of one task.
    Overview,
    /// The grade sheet.
    Export,
}

/// What the teacher view asks for. The screen sends these; tests send the same.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum TeacherIntent {
    /// Show the teacher view (opens the last class if none is open yet).
    Open,
    /// Back to the screen the view was opened from.
    Close,
    /// Open a class: its class file or roster CSV, the entries file (`None` = beside the class
    /// file) and the records folder (`None` = the app's).
    OpenClass { class: PathBuf, entries: Option<PathBuf>, records: Option<PathBuf> },
    /// Read the records and scenarios again (students are still handing in).
    Reload,
    Tab(Tab),
    /// Show this task (scenario id).
    PickTask(String),
    /// Which attempt counts for a task.
    SetCounting { task: String, counting: Counting },
    /// Which kind of attempt counts for a task: group, solo or either (issue 16).
    SetAttempts { task: String, kind: crate::grades::entries::AttemptKind },
    /// Points for a rated criterion (互助与合作); `None` clears them.
    Rate { task: String, student: String, key: String, points: Option<u32> },
    /// Set a criterion over what play gave (a reason is required); `None` restores it.
    Override { task: String, student: String, key: String, over: Option<Override> },
    /// Set a group's band or points (a reason is required); `None` restores the computed band.
    Band { task: String, group: String, over: Option<BandOverride> },
    /// Try again to save entries that could not be saved.
    RetrySave,
    /// Write the grade sheet: format by extension (.xlsx, .csv); `moodle` for Moodle's CSV.
    Export { path: PathBuf, moodle: bool },
    DismissStatus,
}

/// The answer to the teacher's last action.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: Text,
    pub ok: bool,
}

impl Status {
    fn ok(zh: impl Into<String>, en: impl Into<String>) -> Status {
        Status { text: Text::new(zh, en), ok: true }
    }

    fn err(zh: impl Into<String>, en: impl Into<String>) -> Status {
        Status { text: Text::new(zh, en), ok: false }
    }
}

/// A class that is open, with everything graded from it.
#[derive(Clone, Debug)]
pub struct Opened {
    pub class_path: PathBuf,
    pub class: Class,
    pub entries_path: PathBuf,
    pub entries: Entries,
    /// The entries file exists but cannot be read: shown, and nothing is changed or exported
    /// (saving would overwrite the teacher's file).
    pub entries_problem: Option<String>,
    /// The last save failed (the change is kept here and saved with the next one).
    pub unsaved: Option<String>,
    pub records_dir: PathBuf,
    pub records: Vec<(PathBuf, AttemptRecord)>,
    /// Record files that could not be read, with why.
    pub set_aside: Vec<(PathBuf, String)>,
    /// The records folder is missing or unreadable.
    pub records_problem: Option<Text>,
    /// The library's scenarios (the ones that load without errors).
    pub scenarios: Vec<Loaded>,
    /// Scenario files that could not be loaded.
    pub broken_scenarios: Vec<PathBuf>,
    pub grades: ClassGrades,
    /// Per task, in the order of `grades.tasks`.
    pub overview: Vec<TaskOverview>,
}

impl Opened {
    pub fn task(&self, id: &str) -> Option<&TaskGrades> {
        self.grades.tasks.iter().find(|t| t.scenario_id == id)
    }

    pub fn task_overview(&self, id: &str) -> Option<&TaskOverview> {
        self.overview.iter().find(|t| t.scenario_id == id)
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|l| l.scenario.id == id).map(|l| l.scenario.as_ref())
    }

    /// Whether a criterion of a student was set by the teacher over play.
    pub fn overridden(&self, task: &str, student: &str, key: &str) -> Option<&Override> {
        self.entries.student(task, student).and_then(|s| s.overrides.get(key))
    }

    /// The rated points a teacher gave (as entered, before any override).
    pub fn rated(&self, task: &str, student: &str, key: &str) -> Option<u32> {
        self.entries.student(task, student).and_then(|s| s.rated.get(key).copied())
    }

    /// The ratings kept for a student who has no attempt of the task (name and points): saved,
    /// but not in any total until an attempt is filed (the grade sheet says "无作答记录").
    pub fn rated_without_attempt(&self, task: &str, student: &str) -> Vec<(Text, u32)> {
        let Some(tg) = self.task(task) else { return Vec::new() };
        if tg.member(student).is_none_or(|m| m.counted.is_some()) {
            return Vec::new();
        }
        let Some(sc) = self.scenario(task) else { return Vec::new() };
        let rated = self.entries.student(task, student).map(|s| &s.rated);
        sc.rubric.criteria.iter().filter_map(|c| rated.and_then(|r| r.get(&c.key)).map(|p| (c.name.clone(), *p))).collect()
    }

    pub fn band_override(&self, task: &str, group: &str) -> Option<&BandOverride> {
        self.entries.task(task).and_then(|t| t.groups.get(group))
    }

    fn regrade(&mut self) {
        self.grades = compute(&self.class, &self.scenarios, &self.records, &self.entries, &Selection::default());
        self.overview = overview(&self.grades, &self.scenarios, &self.records);
    }
}

/// Everything the teacher view shows.
#[derive(Resource, Default)]
pub struct Teacher {
    pub prefs: TeacherPrefs,
    pub opened: Option<Opened>,
    /// Why the class could not be opened (every roster problem, one a line).
    pub problems: Vec<Text>,
    pub status: Option<Status>,
    /// The task shown (scenario id).
    pub task: Option<String>,
    pub tab: Tab,
    /// Where Close goes back to.
    pub back: Option<Screen>,
    /// The suggested grade-sheet path for the open class.
    pub export_file: PathBuf,
    /// The last sheet written.
    pub exported: Option<PathBuf>,
    /// A file dragged over the window, not dropped yet.
    pub hover: Option<PathBuf>,
}

pub(super) fn plugin(app: &mut App) {
    // Sent by the window (winit); registered here too so headless tests can send it.
    app.add_message::<FileDragAndDrop>()
        .add_message::<TeacherIntent>()
        .init_resource::<Teacher>()
        .add_systems(Startup, load_prefs)
        .add_systems(OnEnter(Screen::Teacher), open_last_class)
        .add_systems(Update, (apply_intents, drop_class_file));
}

/// The teacher view opens on the class opened last (once, while none is open).
fn open_last_class(mut teacher: ResMut<Teacher>, paths: Res<AppPaths>, settings: Option<Res<Settings>>) {
    if teacher.opened.is_some() || !teacher.problems.is_empty() {
        return;
    }
    let Some(class) = teacher.prefs.class_file.clone().filter(|p| p.is_file()) else { return };
    let settings = settings.map(|s| s.clone()).unwrap_or_default();
    let (entries, records) = (teacher.prefs.entries_file.clone(), teacher.prefs.records_dir.clone());
    open_class(&mut teacher, &paths, &settings, class, entries, records);
}

/// Whether a dropped file can be a class: a class file (.ron) or a roster CSV.
pub fn is_class_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("ron"))
}

/// A file dropped on the teacher view opens like the open button (its entries beside it, the
/// records folder as chosen before); anything else is refused with why.
fn drop_class_file(
    mut drops: MessageReader<FileDragAndDrop>,
    state: Res<State<Screen>>,
    mut teacher: ResMut<Teacher>,
    paths: Res<AppPaths>,
    settings: Option<Res<Settings>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let on_view = *state.get() == Screen::Teacher;
    for d in drops.read() {
        redraw.write(RequestRedraw);
        match d {
            FileDragAndDrop::HoveredFile { path_buf, .. } => teacher.hover = on_view.then(|| path_buf.clone()),
            FileDragAndDrop::HoveredFileCanceled { .. } => teacher.hover = None,
            FileDragAndDrop::DroppedFile { path_buf, .. } => {
                teacher.hover = None;
                if !on_view {
                    continue;
                }
                let name = path_buf.file_name().map_or_else(|| path_buf.display().to_string(), |n| n.to_string_lossy().into_owned());
                let ext = path_buf.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                if is_class_file(path_buf) {
                    let settings = settings.as_deref().cloned().unwrap_or_default();
                    let records = teacher.prefs.records_dir.clone();
                    open_class(&mut teacher, &paths, &settings, path_buf.clone(), None, records);
                } else if ext == "xlsx" || ext == "xls" {
                    teacher.status = Some(Status::err(
                        format!("{name} 是 Excel 工作簿：请在 Excel 中“另存为” CSV（逗号分隔）文件，再把 CSV 拖进来。"),
                        format!("{name} is an Excel workbook: save it as CSV (comma delimited) in Excel and drop the CSV."),
                    ));
                } else {
                    teacher.status = Some(Status::err(
                        format!("{name} 不是班级文件：请拖入名单 .csv（学号、姓名、组别、组长）或 kefu 班级文件 .ron。"),
                        format!("{name} is not a class file: drop a roster .csv (student id, name, group, leader) or a Kefu class .ron."),
                    ));
                }
            }
        }
    }
}

fn load_prefs(paths: Res<AppPaths>, mut teacher: ResMut<Teacher>) {
    let (prefs, problem) = TeacherPrefs::load(&prefs_file(&paths));
    teacher.prefs = prefs;
    if let Some(p) = problem {
        teacher.status = Some(Status::err(format!("教师视图设置无法读取，已用默认值：{p}"), format!("the teacher view's settings could not be read; defaults are used: {p}")));
    }
}

fn save_prefs(teacher: &mut Teacher, paths: &AppPaths) {
    let file = prefs_file(paths);
    // The password hash is the lock's: keep what is on disk now (set or reset since start-up).
    let (on_disk, problem) = TeacherPrefs::load(&file);
    if problem.is_none() {
        teacher.prefs.password = on_disk.password;
    }
    if let Err(e) = teacher.prefs.save(&file) {
        teacher.status = Some(Status::err(format!("无法保存教师视图设置 {}：{e}", file.display()), format!("cannot save the teacher view's settings {}: {e}", file.display())));
    }
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn apply_intents(
    mut intents: MessageReader<TeacherIntent>,
    mut asked: MessageReader<Intent>,
    mut teacher: ResMut<Teacher>,
    paths: Res<AppPaths>,
    settings: Option<Res<Settings>>,
    state: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let settings = settings.map(|s| s.clone()).unwrap_or_default();
    let mut any = false;
    // The settings screen's "open grading" is a shared intent (that screen knows no feature).
    let opened = asked.read().filter(|i| **i == Intent::OpenGrading).map(|_| TeacherIntent::Open).collect::<Vec<_>>();
    for intent in opened.iter().chain(intents.read()) {
        any = true;
        apply(intent.clone(), &mut teacher, &paths, &settings, *state.get(), &mut next);
    }
    if any {
        redraw.write(RequestRedraw);
    }
}

/// Apply one intent (the whole teacher view's logic).
pub fn apply(intent: TeacherIntent, teacher: &mut Teacher, paths: &AppPaths, settings: &Settings, state: Screen, next: &mut NextState<Screen>) {
    let lang = settings.lang;
    match intent {
        TeacherIntent::Open => {
            // The last class opens on entering the view (`open_last_class`), so nothing is read
            // while the teacher lock still asks for the password.
            if state != Screen::Teacher {
                teacher.back = Some(state);
            }
            next.set(Screen::Teacher);
        }
        TeacherIntent::Close => next.set(teacher.back.filter(|s| *s != Screen::Teacher).unwrap_or(Screen::Library)),
        TeacherIntent::OpenClass { class, entries, records } => open_class(teacher, paths, settings, class, entries, records),
        TeacherIntent::Reload => {
            let Some(o) = teacher.opened.as_ref() else { return };
            let class = o.class_path.clone();
            let (entries, records) = (teacher.prefs.entries_file.clone(), teacher.prefs.records_dir.clone());
            open_class(teacher, paths, settings, class, entries, records);
            if teacher.opened.is_some() && teacher.problems.is_empty() {
                teacher.status = Some(Status::ok("已重新读取记录和场景", "records and scenarios read again"));
            }
        }
        TeacherIntent::Tab(t) => {
            teacher.tab = t;
            clear_ok_status(teacher);
        }
        TeacherIntent::PickTask(id) => {
            if teacher.opened.as_ref().is_some_and(|o| o.task(&id).is_some()) {
                teacher.task = Some(id);
                clear_ok_status(teacher);
            }
        }
        TeacherIntent::DismissStatus => teacher.status = None,
        TeacherIntent::SetCounting { task, counting } => {
            let result = with_opened(teacher, |o| {
                known_task(o, &task)?;
                change(o, |e| e.set_counting(Some(&task), counting))
            });
            teacher.status = Some(result.unwrap_or_else(|s| s));
        }
        TeacherIntent::SetAttempts { task, kind } => {
            let result = with_opened(teacher, |o| {
                known_task(o, &task)?;
                change(o, |e| e.set_attempts(&task, kind))
            });
            teacher.status = Some(result.unwrap_or_else(|s| s));
        }
        TeacherIntent::Rate { task, student, key, points } => {
            let result = with_opened(teacher, |o| {
                let sc = known_task(o, &task)?;
                known_student(o, &student)?;
                let c = sc.rubric.criterion(&key).ok_or_else(|| Status::err(format!("没有评分项“{key}”"), format!("there is no criterion \"{key}\"")))?;
                // The core's one entry rule (a rating cleared is 0 points: never too many).
                if let Some(p) = entry_problems(c, points.unwrap_or(0), None).first() {
                    return Err(entry_status(c, p));
                }
                change(o, |e| e.set_rating(&task, &student, &key, points))
            });
            teacher.status = Some(result.unwrap_or_else(|s| s));
        }
        TeacherIntent::Override { task, student, key, over } => {
            let result = with_opened(teacher, |o| {
                let sc = known_task(o, &task)?;
                known_student(o, &student)?;
                let c = sc.rubric.criterion(&key).ok_or_else(|| Status::err(format!("没有评分项“{key}”"), format!("there is no criterion \"{key}\"")))?;
                let over = match over {
                    Some(mut ov) => {
                        ov.reason = ov.reason.trim().to_string();
                        if let Some(p) = entry_problems(c, ov.points, Some(&ov.reason)).first() {
                            return Err(entry_status(c, p));
                        }
                        Some(ov)
                    }
                    None => None,
                };
                change(o, |e| e.set_override(&task, &student, &key, over))
            });
            teacher.status = Some(result.unwrap_or_else(|s| s));
        }
        TeacherIntent::Band { task, group, over } => {
            let result = with_opened(teacher, |o| {
                let sc = known_task(o, &task)?;
                if o.class.group(&group).is_none() {
                    return Err(Status::err(format!("班级中没有小组“{group}”"), format!("the class has no group \"{group}\"")));
                }
                let over = match over {
                    Some(mut ov) => {
                        ov.reason = ov.reason.trim().to_string();
                        check_band(&sc.rubric, &ov)?;
                        Some(ov)
                    }
                    None => None,
                };
                change(o, |e| e.set_band(&task, &group, over))
            });
            teacher.status = Some(result.unwrap_or_else(|s| s));
        }
        TeacherIntent::RetrySave => {
            let result = with_opened(teacher, |o| {
                if o.unsaved.is_none() {
                    return Ok(Status::ok("已保存", "saved"));
                }
                save(o)
            });
            teacher.status = Some(result.unwrap_or_else(|s| s));
        }
        TeacherIntent::Export { path, moodle } => {
            let result = export(teacher, &path, moodle, lang);
            if result.ok {
                teacher.prefs.export_dir = full_path(&path).parent().map(Path::to_path_buf);
                teacher.prefs.moodle = moodle;
                teacher.exported = Some(full_path(&path));
                teacher.status = Some(result);
                save_prefs(teacher, paths);
            } else {
                teacher.status = Some(result);
            }
        }
    }
}

/// "Saved" and similar messages go when the teacher moves on; problems stay until dismissed.
fn clear_ok_status(teacher: &mut Teacher) {
    if teacher.status.as_ref().is_some_and(|s| s.ok) {
        teacher.status = None;
    }
}

fn with_opened(teacher: &mut Teacher, f: impl FnOnce(&mut Opened) -> Result<Status, Status>) -> Result<Status, Status> {
    match teacher.opened.as_mut() {
        Some(o) => f(o),
        None => Err(Status::err("请先打开一个班级", "open a class first")),
    }
}

fn known_task(o: &Opened, task: &str) -> Result<Arc<Scenario>, Status> {
    o.scenarios.iter().find(|l| l.scenario.id == task).map(|l| Arc::clone(&l.scenario)).ok_or_else(|| Status::err(format!("找不到任务“{task}”的场景文件"), format!("no scenario file for task \"{task}\"")))
}

fn known_student(o: &Opened, student: &str) -> Result<(), Status> {
    match o.class.find(student) {
        Some(_) => Ok(()),
        None => Err(Status::err(format!("学号 {student} 不在班级名单中"), format!("student {student} is not on the class roster"))),
    }
}

/// What the teacher view says for the core's entry rule ([`entry_problems`]).
fn entry_status(c: &crate::scenario::rubric::Criterion, p: &EntryProblem) -> Status {
    match p {
        EntryProblem::RatedAuto => Status::err(
            format!("{}由作答自动计分：要改分请用“改分”并写明理由", c.name.zh),
            format!("{} is scored from play: change it with \"Override\" and a reason", c.name.get(Lang::En)),
        ),
        EntryProblem::NoReason => Status::err("改分必须写明理由", "an override needs a reason"),
        EntryProblem::AboveMax { points, max } => Status::err(format!("{}最多{max}分，不能给{points}分", c.name.zh), format!("{} is at most {max}, not {points}", c.name.get(Lang::En))),
    }
}

/// The core's band rule ([`BandOverride::problems`]): the first problem refuses the change.
fn check_band(rubric: &crate::scenario::Rubric, o: &BandOverride) -> Result<(), Status> {
    let Some(p) = o.problems(Some(rubric)).into_iter().next() else { return Ok(()) };
    Err(match p {
        BandProblem::NoReason => Status::err("调整小组档次必须写明理由", "a band override needs a reason"),
        BandProblem::Nothing => Status::err("请选择档次或填写分数", "choose a band or give points"),
        BandProblem::NoSuchBand(b) => Status::err(format!("没有第{b}档"), format!("there is no band {b}")),
        BandProblem::OutsideBand { band: b, min, max, points: p } => Status::err(format!("第{b}档是{min}-{max}分，{p}分不在其中"), format!("band {b} is {min}-{max} points; {p} is outside it")),
        BandProblem::InNoBand { points: p, .. } => Status::err(format!("{p}分不在任何档次内"), format!("{p} points is in no band")),
    })
}

/// Apply a change to the entries as they are on disk now (another teacher PC may have saved
/// meanwhile), save atomically, grade again.
fn change(o: &mut Opened, f: impl FnOnce(&mut Entries)) -> Result<Status, Status> {
    if let Some(p) = &o.entries_problem {
        return Err(Status::err(
            format!("评分记录文件无法读取，为免覆盖，不能修改：{p}"),
            format!("the entries file cannot be read; nothing is changed so it is not overwritten: {p}"),
        ));
    }
    if o.unsaved.is_none() {
        match Entries::load_or_new(&o.entries_path, &o.class.name) {
            Ok(e) => o.entries = e,
            Err(e) => {
                o.entries_problem = Some(e.to_string());
                o.regrade();
                return Err(Status::err(format!("评分记录文件无法读取：{e}"), format!("the entries file cannot be read: {e}")));
            }
        }
    }
    if o.entries.class.trim().is_empty() {
        o.entries.class = o.class.name.clone();
    }
    f(&mut o.entries);
    o.regrade();
    save(o)
}

fn save(o: &mut Opened) -> Result<Status, Status> {
    match o.entries.save(&o.entries_path) {
        Ok(()) => {
            o.unsaved = None;
            let p = full_path(&o.entries_path);
            Ok(Status::ok(format!("已保存：{}", p.display()), format!("saved: {}", p.display())))
        }
        Err(e) => {
            let p = full_path(&o.entries_path);
            o.unsaved = Some(format!("{}: {e}", p.display()));
            Err(Status::err(format!("未能保存 {}：{e}（改动保留在本窗口中，可重试）", p.display()), format!("could not save {}: {e} (the change is kept here; retry)", p.display())))
        }
    }
}

fn open_class(teacher: &mut Teacher, paths: &AppPaths, settings: &Settings, class_path: PathBuf, entries: Option<PathBuf>, records: Option<PathBuf>) {
    let lang = settings.lang;
    teacher.problems.clear();
    let class = match load_any(&class_path) {
        Ok(c) => c,
        Err(e) => {
            let (zh, en) = (e.render(Lang::Zh), e.render(Lang::En));
            let zh: Vec<&str> = zh.lines().collect();
            let en: Vec<&str> = en.lines().collect();
            teacher.problems = zh.iter().enumerate().map(|(i, z)| Text::new(*z, en.get(i).copied().unwrap_or(z))).collect();
            teacher.opened = None;
            teacher.status = Some(Status::err("班级文件无法打开：请按列出的问题修改名单后再打开", "the class file cannot be opened: fix the problems listed and open it again"));
            teacher.prefs.class_file = Some(class_path);
            save_prefs(teacher, paths);
            return;
        }
    };
    let entries_path = entries.clone().unwrap_or_else(|| default_entries_file(&class_path));
    let (entries_data, entries_problem) = match Entries::load_or_new(&entries_path, &class.name) {
        Ok(e) => (e, None),
        Err(e) => (Entries::new(&class.name), Some(e.to_string())),
    };
    let records_dir = records.clone().unwrap_or_else(|| paths.records_dir(settings).0);
    // The class key checks every record's signature: edited or forged ones are named and not
    // counted (grades), misplaced ones listed with the unreadable ones.
    let (key, key_problem) = match paths.class_key() {
        Ok(k) => (k, None),
        Err(e) => (None, Some(e)),
    };
    let (recs, set_aside, records_problem) = match read_folder(&records_dir, key.as_ref()) {
        Ok(f) => {
            let mut aside: Vec<(PathBuf, String)> = f.set_aside.into_iter().map(|(p, e)| (p, e.to_string())).collect();
            let lang = settings.lang;
            for p in f.strays {
                let why = lang.pick("像是作答记录，但改了名或在子文件夹里，未计入", "looks like a record but was renamed or is in a sub-folder; not counted");
                aside.push((p.clone(), format!("{}: {why}", p.display())));
            }
            for p in f.exposed_keys {
                let why = lang.pick("班级密钥放在记录文件夹里，学生都能读到：请移走并换一个新密钥", "a class key in the records folder, where every student can read it: move it away and make a new one");
                aside.push((p.clone(), format!("{}: {why}", p.display())));
            }
            if let Some(k) = key_problem {
                aside.push((paths.key_file.clone().unwrap_or_default(), k));
            }
            (f.records, aside, None)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let d = full_path(&records_dir);
            (Vec::new(), Vec::new(), Some(Text::new(format!("记录文件夹还不存在：{}（还没有学生交过作答？）", d.display()), format!("the records folder does not exist yet: {} (nobody has handed in?)", d.display()))))
        }
        Err(e) => {
            let d = full_path(&records_dir);
            (Vec::new(), Vec::new(), Some(Text::new(format!("记录文件夹无法读取：{}：{e}", d.display()), format!("the records folder cannot be read: {}: {e}", d.display()))))
        }
    };
    let lib = library::scan(&paths.scenario_search(settings), &records_dir, "");
    let scenarios: Vec<Loaded> = lib.entries.into_iter().map(|e| e.loaded).collect();
    let broken_scenarios = lib.broken.into_iter().map(|b| b.path).collect();
    let grades = compute(&class, &scenarios, &recs, &entries_data, &Selection::default());
    let overview = overview(&grades, &scenarios, &recs);
    let o = Opened {
        class_path: class_path.clone(),
        class,
        entries_path,
        entries: entries_data,
        entries_problem,
        unsaved: None,
        records_dir,
        records: recs,
        set_aside,
        records_problem,
        scenarios,
        broken_scenarios,
        grades,
        overview,
    };
    // Keep the task shown when it is still there (reload), else the first.
    let keep = teacher.task.clone().filter(|t| o.task(t).is_some());
    teacher.task = keep.or_else(|| o.grades.tasks.first().map(|t| t.scenario_id.clone()));
    let dir = teacher.prefs.export_dir.clone().unwrap_or_else(documents_dir);
    teacher.export_file = default_export_file(&dir, &o.class.name, &today_china(), lang);
    teacher.status = o.entries_problem.as_ref().map(|p| {
        Status::err(format!("评分记录文件无法读取，成绩按没有老师评分计算，且不能修改：{p}"), format!("the entries file cannot be read: grades are shown without the teacher's entries and cannot be changed: {p}"))
    });
    if teacher.opened.as_ref().is_none_or(|old| old.class_path != o.class_path) {
        teacher.exported = None;
    }
    teacher.opened = Some(o);
    teacher.prefs.class_file = Some(class_path);
    teacher.prefs.entries_file = entries;
    teacher.prefs.records_dir = records;
    save_prefs(teacher, paths);
}

fn export(teacher: &Teacher, path: &Path, moodle: bool, lang: Lang) -> Status {
    let Some(o) = teacher.opened.as_ref() else { return Status::err("请先打开一个班级", "open a class first") };
    let Some(format) = Format::from_path(path) else {
        return Status::err("文件名必须以 .xlsx 或 .csv 结尾", "the file name must end in .xlsx or .csv");
    };
    if moodle && format != Format::Csv {
        return Status::err("Moodle 导入文件必须是 .csv", "the Moodle import file must be a .csv");
    }
    if let Some(p) = &o.entries_problem {
        return Status::err(format!("评分记录文件无法读取，不能导出（成绩会缺少老师的评分）：{p}"), format!("the entries file cannot be read, so no sheet is written (the teacher's entries would be missing): {p}"));
    }
    // The same guards as `kefu export`: never over the class or entries file, never a sheet
    // built from no scenario files over a good one.
    if crate::export::same_file(&o.class_path, path) || crate::export::same_file(&o.entries_path, path) {
        return Status::err("成绩表不能写在班级名单或评分记录文件上：请换一个文件名", "the sheet cannot be written over the class file or the entries file: choose another name");
    }
    if o.scenarios.is_empty() {
        return Status::err(
            "找不到场景文件，无法计分，没有导出（原来的成绩表保持不变）：请在设置里选择场景文件夹",
            "no scenario files were found, so nothing can be graded and no sheet was written (an existing one is left as it was): choose the scenarios folder in the settings",
        );
    }
    crate::export::clean_stale_temps(path);
    let opts = SheetOptions { date: today_china(), lang };
    let mut bytes = Vec::new();
    if let Err(e) = crate::export::write(&o.grades, format, moodle, &opts, &mut bytes) {
        return Status::err(format!("无法生成成绩表：{e}"), format!("cannot make the grade sheet: {e}"));
    }
    let full = full_path(path);
    match write_atomic(path, &bytes) {
        Ok(()) => {
            let n = o.grades.tasks.len();
            Status::ok(format!("已导出 {n} 个任务的成绩表：{}", full.display()), format!("grade sheet with {} written: {}", crate::app::theme::widgets::en_count(n, "task", "tasks"), full.display()))
        }
        Err(e) => Status::err(format!("无法写入 {}：{e}", full.display()), format!("cannot write {}: {e}", full.display())),
    }
}
