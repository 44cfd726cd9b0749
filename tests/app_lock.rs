//! Integration tests: the teacher lock (issue 10), headless (MinimalPlugins + the app's
//! CorePlugin, no window, no egui). The teacher screens refuse to open without the password,
//! open with it, a wrong password is refused, exam mode goes off only with it, and the file
//! holds a salted Argon2 hash that verifies — never the password. 换人 forgets the student in the
//! settings file too.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use bevy::prelude::*;
use kefu::app::authoring::{AuthorIntent, Authoring};
use kefu::app::lock::{self, Ask, Goal, Lock, LockIntent, Place, Stored};
use kefu::app::teacher::{TeacherIntent, TeacherPrefs, prefs_file};
use kefu::app::{AppPaths, CorePlugin, Intent, Screen, Settings};

use crate::app_harness::AppExt;
use crate::common::repo;
use crate::records::SAMPLE;

/// The password the tests set on first use, as a teacher would.
pub const PIN: &str = "2468";

struct Lab {
    dir: tempfile::TempDir,
}

impl Lab {
    fn new() -> Lab {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("scenarios")).expect("mkdir");
        std::fs::copy(repo(SAMPLE), dir.path().join("scenarios/sample.ron")).expect("copy sample");
        Lab { dir }
    }

    fn paths(&self) -> AppPaths {
        AppPaths::in_dir(self.dir.path(), vec![self.dir.path().join("scenarios")])
    }

    fn app(&self, settings: Settings) -> App {
        crate::app_harness::headless(self.paths(), Some(settings), |_| {})
    }

    fn prefs(&self) -> PathBuf {
        prefs_file(&self.paths())
    }
}

fn write<M: Message>(app: &mut App, m: M) {
    app.send(m);
}

fn lock(app: &App) -> &Lock {
    app.world().resource::<Lock>()
}

fn asked(app: &App) -> Option<(Goal, Ask)> {
    lock(app).prompt.as_ref().map(|p| (p.goal, p.ask.clone()))
}

fn error(app: &App) -> String {
    lock(app).prompt.as_ref().and_then(|p| p.error.as_ref()).map(|e| e.zh.clone()).unwrap_or_default()
}

/// Answer the prompt as a teacher: set [`PIN`] on first use, else enter it. (Used by the other
/// app tests to reach the teacher screens.)
pub fn give_password(app: &mut App) {
    match asked(app).map(|(_, a)| a) {
        Some(Ask::Set) => write(app, LockIntent::Set { password: PIN.into(), repeat: PIN.into() }),
        Some(Ask::Enter) => write(app, LockIntent::Enter(PIN.into())),
        other => panic!("no password asked: {other:?}"),
    }
}

#[test]
fn teacher_screens_refuse_to_open_without_the_password_issue_10() {
    let lab = Lab::new();
    let mut app = lab.app(Settings::default());
    assert_eq!(app.screen(), Screen::Start);
    assert!(!lock(&app).is_unlocked());

    // Every way in asks first, and nothing opens: 教师设置, 教师评分, 编写模式.
    write(&mut app, Intent::OpenSettings);
    assert_eq!(app.screen(), Screen::Start);
    assert_eq!(asked(&app), Some((Goal::Screen(Screen::Settings), Ask::Set)), "no password yet: set one");
    write(&mut app, LockIntent::Cancel);
    assert_eq!((app.screen(), asked(&app)), (Screen::Start, None));
    write(&mut app, TeacherIntent::Open);
    assert_eq!(app.screen(), Screen::Start);
    assert_eq!(asked(&app).map(|a| a.0), Some(Goal::Screen(Screen::Teacher)));
    write(&mut app, LockIntent::Cancel);
    write(&mut app, AuthorIntent::Enter);
    assert_eq!(app.screen(), Screen::Start);
    assert_eq!(asked(&app).map(|a| a.0), Some(Goal::Screen(Screen::Authoring)));
    assert!(app.world().resource::<Authoring>().files.is_empty(), "no folder is read while locked");
    // A wrong way of asking cannot get round it either.
    write(&mut app, LockIntent::Enter(PIN.into()));
    assert_eq!(app.screen(), Screen::Start);
    assert!(!lab.prefs().exists(), "nothing is written before a password is set");

    // Setting it: typed twice, at least four characters.
    write(&mut app, LockIntent::Set { password: "24".into(), repeat: "24".into() });
    assert!(error(&app).contains("至少要 4 个字符"), "{}", error(&app));
    write(&mut app, LockIntent::Set { password: PIN.into(), repeat: "2486".into() });
    assert!(error(&app).contains("两次输入的密码不一样"), "{}", error(&app));
    assert_eq!(app.screen(), Screen::Start);
    write(&mut app, LockIntent::Set { password: PIN.into(), repeat: PIN.into() });
    assert_eq!(app.screen(), Screen::Authoring, "the screen asked for opens");
    assert!(lock(&app).is_unlocked() && lock(&app).prompt.is_none());
    assert!(!app.world().resource::<Authoring>().files.is_empty(), "its folder is read on entering");

    // In the teacher's config file: a salted Argon2id hash that verifies, never the password.
    let text = std::fs::read_to_string(lab.prefs()).expect("teacher.ron");
    assert!(!text.contains(PIN), "{text}");
    let (prefs, problem) = TeacherPrefs::load(&lab.prefs());
    assert!(problem.is_none());
    let phc = prefs.password.expect("a hash in teacher.ron");
    assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
    assert!(lock::verify(PIN, &phc));
    assert!(!lock::verify("2469", &phc) && !lock::verify("", &phc));
    assert_eq!(lock::read(&Place::of(&lab.paths())), Stored::Hash(phc));
}

#[test]
fn a_wrong_password_is_refused_and_the_right_one_opens() {
    let lab = Lab::new();
    lock::write(&Place::of(&lab.paths()), &lock::hash(PIN).expect("hash")).expect("write");
    let mut app = lab.app(Settings::default());

    write(&mut app, Intent::OpenSettings);
    assert_eq!(asked(&app), Some((Goal::Screen(Screen::Settings), Ask::Enter)));
    write(&mut app, LockIntent::Enter("1357".into()));
    assert_eq!(app.screen(), Screen::Start);
    assert!(error(&app).contains("密码不对"), "{}", error(&app));
    assert_eq!(lock(&app).wrong_tries(), 1);
    write(&mut app, LockIntent::Enter(String::new()));
    assert_eq!((app.screen(), lock(&app).wrong_tries()), (Screen::Start, 2));
    write(&mut app, LockIntent::Enter(PIN.into()));
    assert_eq!(app.screen(), Screen::Settings);
    assert_eq!(lock(&app).wrong_tries(), 0);

    // Three wrong tries in a row: even the right one waits (a delay, not a lock-out; the end
    // of the wait is in `app::lock`'s unit tests).
    write(&mut app, Intent::CloseSettings);
    assert_eq!(app.screen(), Screen::Start);
    write(&mut app, Intent::OpenSettings);
    for _ in 0..3 {
        write(&mut app, LockIntent::Enter("0000".into()));
    }
    assert!(error(&app).contains("请等 10 秒再试"), "{}", error(&app));
    write(&mut app, LockIntent::Enter(PIN.into()));
    assert_eq!(app.screen(), Screen::Start);
    assert!(error(&app).contains("请等"), "{}", error(&app));
}

#[test]
fn the_unlock_lasts_on_the_teacher_screens_and_ends_on_a_student_screen() {
    let lab = Lab::new();
    let mut app = lab.app(Settings { student_id: "2024001".into(), student_name: "王玥".into(), ..Settings::default() });
    write(&mut app, Intent::OpenSettings);
    give_password(&mut app);
    assert_eq!(app.screen(), Screen::Settings);

    // Settings → grading → back → authoring → back: asked once.
    write(&mut app, TeacherIntent::Open);
    assert_eq!((app.screen(), asked(&app)), (Screen::Teacher, None));
    write(&mut app, TeacherIntent::Close);
    assert_eq!(app.screen(), Screen::Settings);
    write(&mut app, AuthorIntent::Enter);
    assert_eq!((app.screen(), asked(&app)), (Screen::Authoring, None));
    write(&mut app, AuthorIntent::Leave);
    assert_eq!(app.screen(), Screen::Settings);

    // Back on a student screen: locked again.
    write(&mut app, Intent::CloseSettings);
    assert_eq!(app.screen(), Screen::Start);
    assert!(!lock(&app).is_unlocked());
    write(&mut app, Intent::OpenSettings);
    assert_eq!(asked(&app).map(|a| a.1), Some(Ask::Enter), "asked again");
    give_password(&mut app);
    assert_eq!(app.screen(), Screen::Settings);

    // A student signing in ends it too.
    write(&mut app, Intent::SignIn { id: "2024002".into(), name: "李堃".into(), group: None });
    assert_eq!(app.screen(), Screen::Library);
    assert!(!lock(&app).is_unlocked());
    write(&mut app, Intent::OpenSettings);
    assert_eq!(app.screen(), Screen::Library);
    assert!(asked(&app).is_some());
}

#[test]
fn exam_mode_goes_off_only_with_the_password() {
    let lab = Lab::new();
    let exam = Settings { exam_mode: true, ..Settings::default() };
    let mut app = lab.app(exam.clone());

    // Turned off while locked (by any screen): undone, saved as on, and the password asked.
    write(&mut app, Intent::SaveSettings(Settings { exam_mode: false, ..exam.clone() }));
    assert!(app.world().resource::<Settings>().exam_mode, "still on");
    assert!(Settings::load(&lab.paths().settings_file).0.exam_mode, "on in the file too");
    assert_eq!(asked(&app).map(|a| a.0), Some(Goal::ExamOff));
    give_password(&mut app);
    assert!(!app.world().resource::<Settings>().exam_mode, "the password turns it off");
    assert!(!Settings::load(&lab.paths().settings_file).0.exam_mode);
    assert!(!lock(&app).is_unlocked(), "only that: still on the start screen, locked");

    // In the unlocked settings screen it is simply saved.
    write(&mut app, Intent::SaveSettings(exam.clone()));
    assert!(app.world().resource::<Settings>().exam_mode, "turning it on needs nothing");
    write(&mut app, Intent::OpenSettings);
    give_password(&mut app);
    write(&mut app, Intent::SaveSettings(Settings { exam_mode: false, ..exam }));
    assert!(!app.world().resource::<Settings>().exam_mode);
    assert_eq!(asked(&app), None);
}

#[test]
fn the_lock_file_can_be_kept_apart_and_reset_by_deleting_the_hash() {
    let lab = Lab::new();
    let own = lab.dir.path().join("share/teacher-lock.ron");
    let mut paths = lab.paths();
    paths.teacher_lock_env = Some(own.clone());
    let mut app = App::new();
    app.add_plugins(MinimalPlugins).add_plugins(CorePlugin { paths: paths.clone(), settings: Some(Settings::default()) });
    app.update();
    write(&mut app, Intent::OpenSettings);
    give_password(&mut app);
    assert_eq!(app.screen(), Screen::Settings);
    let text = std::fs::read_to_string(&own).expect("the KEFU_TEACHER_LOCK file");
    assert!(text.contains("$argon2id$") && !text.contains(PIN), "{text}");
    assert!(!lab.prefs().exists(), "teacher.ron is not used for it");

    // The documented reset: the file (or its line) deleted; the next use sets a new one.
    write(&mut app, Intent::CloseSettings);
    std::fs::remove_file(&own).expect("rm");
    write(&mut app, Intent::OpenSettings);
    assert_eq!(asked(&app).map(|a| a.1), Some(Ask::Set));
    // A damaged file opens nothing.
    std::fs::write(&own, "(password: Some(\"2468\"))").expect("write");
    write(&mut app, LockIntent::Cancel);
    write(&mut app, Intent::OpenSettings);
    assert!(matches!(asked(&app).map(|a| a.1), Some(Ask::Damaged(_))));
    write(&mut app, LockIntent::Set { password: "1111".into(), repeat: "1111".into() });
    write(&mut app, LockIntent::Enter("2468".into()));
    assert_eq!(app.screen(), Screen::Start);
}

#[test]
fn sign_out_forgets_the_student_in_the_settings_file_issue_10() {
    let lab = Lab::new();
    let mut app = lab.app(Settings::default());
    write(&mut app, Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: Some("第一组".into()) });
    assert_eq!(app.screen(), Screen::Library);
    let file = lab.paths().settings_file;
    let (saved, _) = Settings::load(&file);
    assert_eq!((saved.student_id.as_str(), saved.student_name.as_str()), ("2024001", "王玥"), "remembered while signed in");

    // 换人: gone from memory and from the file, so a restart shows empty fields too.
    write(&mut app, Intent::SignOut);
    assert_eq!(app.screen(), Screen::Start);
    let s = app.world().resource::<Settings>();
    assert!(s.student_id.is_empty() && s.student_name.is_empty() && s.student_group.is_none(), "{s:?}");
    let (saved, problem) = Settings::load(&file);
    assert!(problem.is_none(), "{problem:?}");
    assert!(saved.student_id.is_empty() && saved.student_name.is_empty() && saved.student_group.is_none(), "{saved:?}");
    let text = std::fs::read_to_string(&file).expect("settings.ron");
    assert!(!text.contains("2024001") && !text.contains("王玥"), "{text}");
}
