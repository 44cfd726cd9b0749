//! Integration tests: the teacher view's logic, headless (MinimalPlugins + the app's CorePlugin,
//! no window, no egui). A class is opened, rated and exported with the same TeacherIntent
//! messages the screen sends; the totals are compared with the core's and with the entries file
//! on disk.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use kefu::app::teacher::{Tab, Teacher, TeacherIntent, TeacherPrefs, default_entries_file, prefs_file};
use kefu::app::{AppPaths, Screen, Settings};
use kefu::grades::{BandOverride, Counting, Entries, MemberGrades, Override, Selection, compute};
use kefu::records::store::{read_folder, save_record};
use kefu::roster::load_class;
use kefu::session::autoplay::Policy;

use crate::app_lock::give_password;
use crate::app_harness::AppExt;
use crate::common::{load, repo};
use crate::records::{SAMPLE, attempt};

const TASK: &str = "sample-every-kind";

struct Lab {
    dir: tempfile::TempDir,
}

impl Lab {
    /// The sample scenario in the library, the class file in its own folder, records of five
    /// of the six students (孙三 never played).
    fn new() -> Lab {
        let dir = tempfile::tempdir().expect("tempdir");
        let lab = Lab { dir };
        std::fs::create_dir_all(lab.scenarios()).expect("mkdir");
        std::fs::copy(repo(SAMPLE), lab.scenarios().join("sample.ron")).expect("copy sample");
        std::fs::create_dir_all(lab.path("classes")).expect("mkdir");
        std::fs::copy(repo("tests/data/roster/class.ron"), lab.class_file()).expect("copy class");
        let loaded = load(SAMPLE);
        let records = lab.records();
        let plays = [
            ("0024001", "张喆", Policy::Expert, 1),
            ("0024002", "李堃", Policy::Worst, 2),
            ("0024003", "王玥", Policy::Expert, 3),
            ("0024004", "赵一", Policy::Worst, 4),
            ("0024005", "钱二", Policy::Expert, 5),
        ];
        for (id, name, policy, seed) in plays {
            save_record(&records, &attempt(&loaded, policy, seed, id, name, "2026-11-23T09:00:00Z"), None).expect("save record");
        }
        lab
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn scenarios(&self) -> PathBuf {
        self.path("scenarios")
    }

    fn class_file(&self) -> PathBuf {
        self.path("classes/物流2401班.ron")
    }

    fn entries_file(&self) -> PathBuf {
        default_entries_file(&self.class_file())
    }

    fn paths(&self) -> AppPaths {
        AppPaths::in_dir(self.dir.path(), vec![self.scenarios()])
    }

    /// The app's default records folder under `AppPaths::in_dir`.
    fn records(&self) -> PathBuf {
        self.path("data/records")
    }

    fn app(&self) -> App {
        crate::app_harness::headless(self.paths(), Some(Settings::default()), |_| {})
    }
}

fn send(app: &mut App, intent: TeacherIntent) {
    app.send(intent);
}

fn teacher(app: &App) -> &Teacher {
    app.world().resource::<Teacher>()
}

fn member<'a>(app: &'a App, id: &str) -> &'a MemberGrades {
    let o = teacher(app).opened.as_ref().expect("a class is open");
    o.task(TASK).and_then(|t| t.member(id)).expect("member")
}

fn status(app: &App) -> (bool, String) {
    let s = teacher(app).status.clone().expect("a status message");
    (s.ok, s.text.zh)
}

/// Open the teacher view: the teacher lock asks first (issue 10).
fn open_view(app: &mut App) {
    send(app, TeacherIntent::Open);
    assert_eq!(app.screen(), Screen::Start, "not without the teacher password");
    give_password(app);
    assert_eq!(app.screen(), Screen::Teacher);
}

fn open(app: &mut App, lab: &Lab) {
    open_view(app);
    send(app, TeacherIntent::OpenClass { class: lab.class_file(), entries: None, records: None });
    let t = teacher(app);
    assert!(t.problems.is_empty(), "{:?}", t.problems);
    assert!(t.opened.is_some());
}

fn rate(app: &mut App, id: &str, points: Option<u32>) {
    send(app, TeacherIntent::Rate { task: TASK.into(), student: id.into(), key: "cooperation".into(), points });
}

#[test]
fn rating_and_a_band_override_through_the_intents_give_the_core_totals_and_are_on_disk() {
    let lab = Lab::new();
    let mut app = lab.app();
    assert_eq!(app.screen(), Screen::Start);
    open(&mut app, &lab);
    {
        let t = teacher(&app);
        let o = t.opened.as_ref().expect("open");
        assert_eq!(o.class.name, "物流2401班");
        assert_eq!(o.records.len(), 5);
        assert_eq!(t.task.as_deref(), Some(TASK), "the task with records is shown");
        assert!(o.set_aside.is_empty() && o.records_problem.is_none() && o.entries_problem.is_none());
        let m = member(&app, "0024001");
        assert!(m.provisional, "互助与合作 not rated yet");
        assert!(member(&app, "0024006").counted.is_none(), "孙三 never played");
        assert_eq!(o.task_overview(TASK).map(|v| (v.played, v.students)), Some((5, 6)));
    }
    assert!(!lab.entries_file().exists(), "nothing written before the first entry");

    rate(&mut app, "0024001", Some(8));
    assert!(status(&app).0, "{:?}", status(&app));
    let band = BandOverride { band: Some(2), points: Some(55), reason: "展示超时".into() };
    send(&mut app, TeacherIntent::Band { task: TASK.into(), group: "第一组".into(), over: Some(band.clone()) });
    assert!(status(&app).0, "{:?}", status(&app));

    // On screen: 互助与合作 8, the group's 55, total = /30 + /70 − hints.
    let o = teacher(&app).opened.as_ref().expect("open");
    let task = o.task(TASK).expect("task");
    assert_eq!((task.member_max, task.group_max, task.total_max), (30, 70, 100));
    let coop = task.criteria.iter().position(|c| c.key == "cooperation").expect("cooperation column");
    let m = member(&app, "0024001");
    assert_eq!(m.criteria[coop], Some(8));
    assert!(!m.provisional);
    let sub = m.subtotal.expect("subtotal");
    assert_eq!(sub, m.criteria.iter().flatten().sum::<u32>());
    let g1 = &task.groups[0];
    assert_eq!(g1.band.as_ref().map(|b| (b.band, b.points, b.overridden.clone())), Some((2, 55, Some("展示超时".into()))));
    assert_eq!(m.total, Some(sub + 55 - m.deduction));
    assert!(m.grade.is_some());
    for x in &g1.members {
        if x.counted.is_some() {
            assert_eq!(x.total, Some((x.subtotal.expect("sub") + 55).saturating_sub(x.deduction)), "{}", x.student.name);
        }
    }

    // On disk, atomically saved: exactly these entries.
    let disk = Entries::load(&lab.entries_file()).expect("entries file");
    assert_eq!(disk.class, "物流2401班");
    assert_eq!(disk.ratings(TASK, "0024001").get("cooperation"), Some(&8));
    assert_eq!(disk.task(TASK).and_then(|t| t.groups.get("第一组")), Some(&band));
    assert_eq!(disk, o.entries);

    // The same grades as the core gives from the files (what `kefu export --entries` reads).
    let class = load_class(&lab.class_file()).expect("class");
    let folder = read_folder(&lab.records(), None).expect("records");
    let core = compute(&class, std::slice::from_ref(&load(SAMPLE)), &folder.records, &disk, &Selection::default());
    let want: Vec<(String, Option<u32>)> = core.tasks[0].members().map(|(_, m)| (m.student.id.clone(), m.total)).collect();
    let got: Vec<(String, Option<u32>)> = task.members().map(|(_, m)| (m.student.id.clone(), m.total)).collect();
    assert_eq!(got, want);

    // Clearing the rating and restoring the band: gone from the file too.
    rate(&mut app, "0024001", None);
    send(&mut app, TeacherIntent::Band { task: TASK.into(), group: "第一组".into(), over: None });
    assert!(member(&app, "0024001").provisional);
    let disk = Entries::load(&lab.entries_file()).expect("entries file");
    assert!(disk.tasks.is_empty(), "{disk:?}");
}

#[test]
fn overrides_need_a_reason_and_points_in_range() {
    let lab = Lab::new();
    let mut app = lab.app();
    open(&mut app, &lab);
    let before = member(&app, "0024002").clone();
    let att = teacher(&app).opened.as_ref().and_then(|o| o.task(TASK)).and_then(|t| t.criteria.iter().position(|c| c.key == "attitude")).expect("attitude");

    // No reason: refused, nothing written.
    send(&mut app, TeacherIntent::Override { task: TASK.into(), student: "0024002".into(), key: "attitude".into(), over: Some(Override { points: 5, reason: "  ".into() }) });
    let (ok, msg) = status(&app);
    assert!(!ok && msg.contains("理由"), "{msg}");
    assert!(!lab.entries_file().exists());
    // Above the maximum, a rating of an auto criterion, an unknown student: refused.
    rate(&mut app, "0024002", Some(11));
    assert!(!status(&app).0 && status(&app).1.contains("最多10分"), "{:?}", status(&app));
    send(&mut app, TeacherIntent::Rate { task: TASK.into(), student: "0024002".into(), key: "attitude".into(), points: Some(3) });
    assert!(!status(&app).0 && status(&app).1.contains("自动计分"), "{:?}", status(&app));
    rate(&mut app, "7777777", Some(5));
    assert!(!status(&app).0 && status(&app).1.contains("不在班级名单"), "{:?}", status(&app));
    let off = BandOverride { band: Some(1), points: Some(45), reason: "x".into() };
    send(&mut app, TeacherIntent::Band { task: TASK.into(), group: "第二组".into(), over: Some(off) });
    assert!(!status(&app).0 && status(&app).1.contains("60-70"), "{:?}", status(&app));
    assert!(!lab.entries_file().exists(), "nothing refused was saved");

    // With a reason: applied, noted, saved.
    send(&mut app, TeacherIntent::Override { task: TASK.into(), student: "0024002".into(), key: "attitude".into(), over: Some(Override { points: 5, reason: "课堂上主动帮助组员".into() }) });
    assert!(status(&app).0, "{:?}", status(&app));
    let after = member(&app, "0024002");
    assert_eq!(after.criteria[att], Some(5));
    assert_eq!(after.subtotal, before.subtotal.map(|s| s - before.criteria[att].unwrap_or(0) + 5));
    assert!(after.notes.iter().any(|n| n.zh.contains("课堂上主动帮助组员")), "{:?}", after.notes);
    let disk = Entries::load(&lab.entries_file()).expect("entries");
    assert_eq!(disk.student(TASK, "0024002").and_then(|s| s.overrides.get("attitude")).map(|o| o.points), Some(5));

    // Which attempt counts is stored per task.
    send(&mut app, TeacherIntent::SetCounting { task: TASK.into(), counting: Counting::Latest });
    assert_eq!(Entries::load(&lab.entries_file()).expect("entries").counting(TASK), Counting::Latest);
    assert_eq!(teacher(&app).opened.as_ref().and_then(|o| o.task(TASK)).map(|t| t.counting), Some(Counting::Latest));
}

#[test]
fn export_writes_the_sheets_atomically_and_names_the_full_path() {
    let lab = Lab::new();
    let mut app = lab.app();
    open(&mut app, &lab);
    let suggested = teacher(&app).export_file.clone();
    let name = suggested.file_name().and_then(|n| n.to_str()).expect("name").to_string();
    assert!(name.starts_with("成绩表-物流2401班-") && name.ends_with(".xlsx"), "{name}");
    rate(&mut app, "0024001", Some(9));

    let out = lab.path("out/成绩表.xlsx");
    send(&mut app, TeacherIntent::Tab(Tab::Export));
    send(&mut app, TeacherIntent::Export { path: out.clone(), moodle: false });
    let (ok, msg) = status(&app);
    assert!(ok, "{msg}");
    assert!(msg.contains(&out.display().to_string()), "the message names the full path: {msg}");
    assert!(std::fs::metadata(&out).expect("written").len() > 0);
    assert_eq!(&std::fs::read(&out).expect("read")[..2], b"PK", "an XLSX is a zip");
    assert_eq!(teacher(&app).exported.as_deref(), Some(out.as_path()));

    // Moodle needs .csv; other extensions are refused; nothing is written for them.
    send(&mut app, TeacherIntent::Export { path: lab.path("out/moodle.xlsx"), moodle: true });
    assert!(!status(&app).0);
    send(&mut app, TeacherIntent::Export { path: lab.path("out/grades.txt"), moodle: false });
    assert!(!status(&app).0);
    assert!(!lab.path("out/moodle.xlsx").exists() && !lab.path("out/grades.txt").exists());
    let moodle = lab.path("out/moodle.csv");
    send(&mut app, TeacherIntent::Export { path: moodle.clone(), moodle: true });
    assert!(status(&app).0, "{:?}", status(&app));
    let text = String::from_utf8(std::fs::read(&moodle).expect("moodle csv")).expect("utf-8");
    assert!(text.contains("0024001"), "{text}");
    let csv = lab.path("out/grades.csv");
    send(&mut app, TeacherIntent::Export { path: csv.clone(), moodle: false });
    assert!(std::fs::metadata(&csv).expect("csv").len() > 0);

    // The export folder and Moodle box are remembered with the class.
    let (prefs, problem) = TeacherPrefs::load(&prefs_file(&lab.paths()));
    assert!(problem.is_none());
    assert_eq!(prefs.export_dir.as_deref(), Some(lab.path("out").as_path()));
    assert_eq!(prefs.class_file.as_deref(), Some(lab.class_file().as_path()));
}

#[test]
fn the_last_class_is_opened_again_and_close_goes_back() {
    let lab = Lab::new();
    {
        let mut app = lab.app();
        open(&mut app, &lab);
        rate(&mut app, "0024003", Some(7));
    }
    let mut app = lab.app();
    open_view(&mut app);
    let o = teacher(&app).opened.as_ref().expect("the remembered class is opened");
    assert_eq!(o.class_path, lab.class_file());
    assert_eq!(member(&app, "0024003").criteria.iter().flatten().count(), 4, "the rating was kept");
    send(&mut app, TeacherIntent::Close);
    assert_eq!(app.screen(), Screen::Start, "back where the view was opened from");
}

#[test]
fn roster_problems_damaged_records_and_entries_are_shown_never_a_panic() {
    let lab = Lab::new();
    // A roster CSV with problems: every one, with its rows.
    let mut app = lab.app();
    send(&mut app, TeacherIntent::OpenClass { class: repo("tests/data/roster/errors.csv"), entries: None, records: None });
    let t = teacher(&app);
    assert!(t.opened.is_none());
    assert!(t.problems.len() >= 5, "{:?}", t.problems);
    assert!(t.problems.iter().any(|p| p.zh.contains("第4行") && p.zh.contains("学号为空")), "{:?}", t.problems);
    assert!(t.problems.iter().any(|p| p.get(kefu::Lang::En).contains("row 4")), "{:?}", t.problems);
    assert!(!status(&app).0);
    // A file that does not exist.
    send(&mut app, TeacherIntent::OpenClass { class: lab.path("nope.csv"), entries: None, records: None });
    assert!(!teacher(&app).problems.is_empty() && teacher(&app).opened.is_none());

    // A damaged record is set aside; the others still count.
    std::fs::write(lab.records().join("broken.ron"), "AttemptRecord(schema_version: ").expect("write");
    // Damaged entries: shown, nothing changed, nothing exported.
    std::fs::write(lab.entries_file(), "Entries(\n  clas: \"x\",\n)").expect("write");
    send(&mut app, TeacherIntent::OpenClass { class: lab.class_file(), entries: None, records: None });
    let o = teacher(&app).opened.as_ref().expect("open");
    assert_eq!(o.records.len(), 5);
    assert_eq!(o.set_aside.len(), 1);
    assert!(o.set_aside[0].1.contains("broken.ron"), "{:?}", o.set_aside);
    let problem = o.entries_problem.clone().expect("entries problem");
    assert!(problem.contains(":2:"), "file:line:col: {problem}");
    rate(&mut app, "0024001", Some(8));
    assert!(!status(&app).0);
    assert_eq!(std::fs::read_to_string(lab.entries_file()).expect("read"), "Entries(\n  clas: \"x\",\n)", "never overwritten");
    send(&mut app, TeacherIntent::Export { path: lab.path("x.xlsx"), moodle: false });
    assert!(!status(&app).0 && !lab.path("x.xlsx").exists());

    // A records folder that does not exist: an empty class, a message.
    send(&mut app, TeacherIntent::OpenClass { class: lab.class_file(), entries: Some(lab.path("other.entries.ron")), records: Some(lab.path("nowhere")) });
    let o = teacher(&app).opened.as_ref().expect("open");
    assert!(o.records.is_empty() && o.grades.tasks.is_empty());
    assert!(o.records_problem.as_ref().is_some_and(|p| p.zh.contains("nowhere")));
    assert!(!Path::new(&lab.path("nowhere")).exists(), "reading does not create the folder");
}

#[test]
fn a_class_file_dropped_on_the_teacher_view_opens_like_the_open_button() {
    use bevy::window::FileDragAndDrop;
    let lab = Lab::new();
    let csv = lab.path("classes/名单.csv");
    std::fs::copy(repo("tests/data/roster/roster.csv"), &csv).expect("copy roster");
    let window = Entity::PLACEHOLDER;
    let mut app = lab.app();

    // Dropped on the start screen (the teacher view is not open): nothing happens.
    send_drop(&mut app, FileDragAndDrop::DroppedFile { window, path_buf: csv.clone() });
    assert!(teacher(&app).opened.is_none() && teacher(&app).status.is_none());

    open_view(&mut app);
    assert!(teacher(&app).opened.is_none(), "no class yet");
    send_drop(&mut app, FileDragAndDrop::HoveredFile { window, path_buf: csv.clone() });
    assert_eq!(teacher(&app).hover.as_deref(), Some(csv.as_path()), "shown while dragged over");
    send_drop(&mut app, FileDragAndDrop::DroppedFile { window, path_buf: csv.clone() });
    let t = teacher(&app);
    assert!(t.hover.is_none());
    assert!(t.problems.is_empty(), "{:?}", t.problems);
    let o = t.opened.as_ref().expect("the dropped roster is open");
    assert_eq!(o.class_path, csv);
    assert_eq!(o.entries_path, default_entries_file(&csv), "entries beside it, as the open button does");
    assert_eq!(o.records.len(), 5, "the app's records folder");
    assert_eq!(t.prefs.class_file.as_deref(), Some(csv.as_path()), "remembered");

    // An Excel workbook or anything else: refused, saying what to drop; the class stays open.
    for (name, says) in [("名单.xlsx", "另存为"), ("notes.txt", "不是班级文件")] {
        send_drop(&mut app, FileDragAndDrop::DroppedFile { window, path_buf: lab.path(name) });
        let (ok, msg) = status(&app);
        assert!(!ok && msg.contains(says), "{msg}");
        assert_eq!(teacher(&app).opened.as_ref().map(|o| o.class_path.clone()), Some(csv.clone()));
    }
    send_drop(&mut app, FileDragAndDrop::HoveredFile { window, path_buf: lab.path("x.csv") });
    send_drop(&mut app, FileDragAndDrop::HoveredFileCanceled { window });
    assert!(teacher(&app).hover.is_none());
}

fn send_drop(app: &mut App, d: bevy::window::FileDragAndDrop) {
    app.send(d);
}

#[test]
fn cooperation_for_a_student_with_no_attempt_is_kept_and_said_to_be_not_counted() {
    let lab = Lab::new();
    let mut app = lab.app();
    open(&mut app, &lab);
    // 孙三 (0024006) never played: the rating is saved, and the view can say it is not counted.
    rate(&mut app, "0024006", Some(6));
    assert!(status(&app).0, "{:?}", status(&app));
    let m = member(&app, "0024006");
    assert!(m.counted.is_none() && m.total.is_none(), "no total without an attempt");
    assert!(m.notes.iter().any(|n| n.zh == "无作答记录"), "{:?}", m.notes);
    let o = teacher(&app).opened.as_ref().expect("open");
    let kept: Vec<(String, u32)> = o.rated_without_attempt(TASK, "0024006").into_iter().map(|(n, p)| (n.zh, p)).collect();
    assert_eq!(kept, [("互助与合作".to_string(), 6)]);
    assert_eq!(Entries::load(&lab.entries_file()).expect("entries").ratings(TASK, "0024006").get("cooperation"), Some(&6));
    // A student with an attempt: nothing to say.
    rate(&mut app, "0024001", Some(8));
    assert!(teacher(&app).opened.as_ref().expect("open").rated_without_attempt(TASK, "0024001").is_empty());

    // Once the attempt is handed in, the kept rating counts.
    let loaded = load(SAMPLE);
    save_record(&lab.records(), &attempt(&loaded, Policy::Expert, 6, "0024006", "孙三", "2026-11-23T10:00:00Z"), None).expect("save record");
    send(&mut app, TeacherIntent::Reload);
    let o = teacher(&app).opened.as_ref().expect("open");
    let coop = o.task(TASK).and_then(|t| t.criteria.iter().position(|c| c.key == "cooperation")).expect("cooperation");
    assert_eq!(member(&app, "0024006").criteria[coop], Some(6));
    assert!(o.rated_without_attempt(TASK, "0024006").is_empty());
}
