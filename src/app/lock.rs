//! The teacher lock (issue 10), the logic: a teacher password (or PIN) asked before 教师设置,
//! 教师评分, 编写模式 and before exam mode is turned off. No egui here: the prompt is drawn by
//! [`prompt`], and `tests/app_lock.rs` drives the same [`LockIntent`]s headless.
//!
//! - **Stored** only as an Argon2id hash with a random salt, as a PHC string
//!   (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), in the teacher's config file
//!   `teacher.ron` (field `password`) — or, when `KEFU_TEACHER_LOCK` names a file, there (a lab
//!   can keep it where students cannot write). Never the password itself.
//! - **Set on first use**: while no hash exists, the first attempt to open a guarded screen asks
//!   for a new password, typed twice.
//! - **How long**: the unlock lasts while the app stays on the teacher's screens (settings,
//!   grading, authoring and its trial runs); it ends when the app goes back to a student screen
//!   (the start screen, the library…) or a student signs in.
//! - **Wrong password**: said plainly; from the third wrong try in a row each further try waits
//!   [`WAIT`] (a delay, never a lock-out).
//! - **Reset**: delete the `password` line of `teacher.ron` (or the `KEFU_TEACHER_LOCK` file);
//!   the next use asks for a new one. This needs the teacher's files, which is the point.
//!
//! How it guards: screens and intents stay as they are; [`gate`] runs after every `Update`
//! and turns a pending change of [`Screen`] to a guarded screen into the prompt while locked, so
//! no way into those screens is missed. A change of the settings that turns exam mode off while
//! locked is undone the same way and asks first.

pub mod prompt;

use std::path::{Path, PathBuf};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_state::prelude::*;
use serde::{Deserialize, Serialize};

use crate::app::intent::{Intent, Note, Notice};
use crate::app::screen::Screen;
use super::settings::{AppPaths, Settings, load_ron, save_ron};
use super::prefs::{TeacherPrefs, prefs_file};
use super::attempt::TrialRun;
use crate::scenario::{Lang, Text};

/// The environment variable naming a teacher-lock file (kept in `settings`, which reads it).
pub use super::settings::LOCK_ENV;
/// The shortest password accepted (a 4-digit PIN is fine).
pub const MIN_LEN: usize = 4;
/// Wrong tries in a row before each further try has to wait.
pub const FREE_TRIES: u32 = 3;
/// The wait after the third wrong try in a row, and after each further one.
pub const WAIT: Duration = Duration::from_secs(10);

/// What the teacher asked for when the password was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Open this screen (a guarded one).
    Screen(Screen),
    /// Turn exam mode off.
    ExamOff,
}

impl Goal {
    /// What the prompt says the password is for.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Goal::Screen(Screen::Teacher) => lang.pick("教师评分", "grading"),
            Goal::Screen(Screen::Authoring) => lang.pick("编写模式", "authoring mode"),
            Goal::Screen(_) => lang.pick("教师设置", "teacher settings"),
            Goal::ExamOff => lang.pick("关闭考试模式", "turning exam mode off"),
        }
    }
}

/// The screens only a teacher may open.
pub fn guarded(s: Screen) -> bool {
    matches!(s, Screen::Settings | Screen::Teacher | Screen::Authoring)
}

/// Where the hash is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The teacher's config file, `teacher.ron` (field `password`).
    Prefs(PathBuf),
    /// A file of its own, named by `KEFU_TEACHER_LOCK`.
    Own(PathBuf),
}

impl Place {
    /// `KEFU_TEACHER_LOCK` as the app started, else `teacher.ron` in the app's config folder.
    pub fn of(paths: &AppPaths) -> Place {
        match &paths.teacher_lock_env {
            Some(p) => Place::Own(p.clone()),
            None => Place::Prefs(prefs_file(paths)),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Place::Prefs(p) | Place::Own(p) => p,
        }
    }
}

/// The `KEFU_TEACHER_LOCK` file: `(password: Some("$argon2id$…"))`, the same field as in
/// `teacher.ron`, so the line can be copied from one to the other.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct OwnFile {
    password: Option<String>,
}

/// What the file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// No password yet: the next use sets one.
    Unset,
    /// A PHC string.
    Hash(String),
    /// The file cannot be read, or its `password` is not an Argon2 hash. Nothing opens (a
    /// damaged file must not count as "no password"), and the message says which file.
    Damaged(String),
}

/// Read the hash from its place (afresh each time: a reset takes effect without a restart).
pub fn read(place: &Place) -> Stored {
    let (password, problem) = match place {
        Place::Prefs(p) => {
            let (prefs, problem) = TeacherPrefs::load(p);
            (prefs.password, problem)
        }
        Place::Own(p) => {
            let (f, problem) = load_ron::<OwnFile>(p);
            (f.password, problem)
        }
    };
    if let Some(p) = problem {
        return Stored::Damaged(p);
    }
    match password.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        None => Stored::Unset,
        Some(h) if PasswordHash::new(&h).is_ok_and(|p| p.algorithm.as_str().starts_with("argon2")) => Stored::Hash(h),
        Some(_) => Stored::Damaged(format!("{}: password is not an Argon2 hash", place.path().display())),
    }
}

/// Write a hash to its place. In `teacher.ron` only the `password` field changes.
pub fn write(place: &Place, phc: &str) -> std::io::Result<()> {
    match place {
        Place::Prefs(p) => {
            let (mut prefs, problem) = TeacherPrefs::load(p);
            if let Some(e) = problem {
                return Err(std::io::Error::other(e));
            }
            prefs.password = Some(phc.to_string());
            prefs.save(p)
        }
        Place::Own(p) => save_ron(p, &OwnFile { password: Some(phc.to_string()) }),
    }
}

/// Hash a password with Argon2id (default parameters) and a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` is the one hashed in `phc` (the parameters and salt come from `phc`).
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// What the prompt asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    /// No password yet: a new one, typed twice.
    Set,
    /// The password.
    Enter,
    /// The file cannot be used; the prompt says why and where.
    Damaged(String),
}

/// The prompt on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Prompt {
    pub goal: Goal,
    pub ask: Ask,
    /// The answer to the last try (wrong password, too short, not the same twice…).
    pub error: Option<Text>,
    /// Where the hash is kept (shown when it cannot be written or read).
    pub file: PathBuf,
}

/// The lock's state.
#[derive(Resource, Debug, Default)]
pub struct Lock {
    unlocked: bool,
    /// The prompt, while one is shown.
    pub prompt: Option<Prompt>,
    /// Wrong tries in a row.
    wrong: u32,
    /// No try is taken before this (`Time<Real>` elapsed).
    wait_until: Option<Duration>,
}

/// What the prompt sends. (Debug never prints the password.)
#[derive(Message, Clone, PartialEq, Eq)]
pub enum LockIntent {
    /// The password, to unlock.
    Enter(String),
    /// A new password and the same again (only while none is set).
    Set { password: String, repeat: String },
    /// Close the prompt; nothing opens.
    Cancel,
    /// Lock again now.
    Relock,
}

impl std::fmt::Debug for LockIntent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockIntent::Enter(_) => write!(f, "Enter(***)"),
            LockIntent::Set { .. } => write!(f, "Set(***)"),
            LockIntent::Cancel => write!(f, "Cancel"),
            LockIntent::Relock => write!(f, "Relock"),
        }
    }
}

impl Lock {
    pub fn is_unlocked(&self) -> bool {
        self.unlocked
    }

    /// Wrong tries in a row.
    pub fn wrong_tries(&self) -> u32 {
        self.wrong
    }

    /// How long until the next try is taken (after too many wrong ones).
    pub fn wait_left(&self, now: Duration) -> Option<Duration> {
        self.wait_until.filter(|u| *u > now).map(|u| u - now)
    }

    /// Show the prompt for `goal`, reading the file afresh.
    pub fn ask(&mut self, goal: Goal, place: &Place) {
        let ask = match read(place) {
            Stored::Unset => Ask::Set,
            Stored::Hash(_) => Ask::Enter,
            Stored::Damaged(why) => Ask::Damaged(why),
        };
        self.prompt = Some(Prompt { goal, ask, error: None, file: place.path().to_path_buf() });
    }

    /// Lock again (the prompt goes too).
    pub fn relock(&mut self) {
        self.unlocked = false;
        self.prompt = None;
    }

    fn fail(&mut self, zh: impl Into<String>, en: impl Into<String>) -> Option<Goal> {
        if let Some(p) = self.prompt.as_mut() {
            p.error = Some(Text::new(zh, en));
        }
        None
    }

    fn open(&mut self) -> Option<Goal> {
        self.unlocked = true;
        self.wrong = 0;
        self.wait_until = None;
        self.prompt.take().map(|p| p.goal)
    }

    /// Try a password. Returns the goal it unlocked, or `None` (the prompt says why).
    pub fn enter(&mut self, password: &str, place: &Place, now: Duration) -> Option<Goal> {
        self.prompt.as_ref()?;
        if let Some(left) = self.wait_left(now) {
            let s = left.as_secs_f32().ceil();
            return self.fail(format!("密码已连续输错 {} 次，请等 {s:.0} 秒再试。", self.wrong), format!("{} wrong tries in a row: wait {s:.0} s and try again.", self.wrong));
        }
        match read(place) {
            Stored::Hash(h) if verify(password, &h) => self.open(),
            Stored::Hash(_) => {
                self.wrong += 1;
                if self.wrong >= FREE_TRIES {
                    self.wait_until = Some(now + WAIT);
                    let s = WAIT.as_secs();
                    self.fail(format!("密码不对。已连续输错 {} 次，请等 {s} 秒再试。", self.wrong), format!("Wrong password. {} wrong tries in a row: wait {s} s before the next.", self.wrong))
                } else {
                    self.fail(format!("密码不对，请再试一次（已输错 {} 次）。", self.wrong), format!("Wrong password; try again ({} wrong so far).", self.wrong))
                }
            }
            // Reset (or damaged) since the prompt opened: ask again in the right way.
            other => {
                if let Some(p) = self.prompt.as_mut() {
                    p.ask = match other {
                        Stored::Damaged(why) => Ask::Damaged(why),
                        _ => Ask::Set,
                    };
                }
                self.fail("教师密码已被重置，请设置新密码。", "The teacher password was reset: set a new one.")
            }
        }
    }

    /// Set the first password. Returns the goal it unlocked, or `None` (the prompt says why).
    pub fn set(&mut self, password: &str, repeat: &str, place: &Place) -> Option<Goal> {
        self.prompt.as_ref()?;
        match read(place) {
            Stored::Unset => {}
            // Set meanwhile (another window, a copied file): only the password opens now.
            Stored::Hash(_) => {
                if let Some(p) = self.prompt.as_mut() {
                    p.ask = Ask::Enter;
                }
                return self.fail("已经设置过教师密码，请输入它。", "A teacher password is already set: enter it.");
            }
            Stored::Damaged(why) => {
                if let Some(p) = self.prompt.as_mut() {
                    p.ask = Ask::Damaged(why);
                }
                return None;
            }
        }
        if password.chars().count() < MIN_LEN {
            return self.fail(format!("密码至少要 {MIN_LEN} 个字符。"), format!("The password needs at least {MIN_LEN} characters."));
        }
        if password.trim() != password {
            return self.fail("密码的开头和结尾不能是空格。", "The password cannot start or end with a space.");
        }
        if password != repeat {
            return self.fail("两次输入的密码不一样，请重新输入。", "The two entries differ; type them again.");
        }
        let phc = match hash(password) {
            Ok(h) => h,
            Err(e) => return self.fail(format!("无法生成密码哈希：{e}"), format!("cannot hash the password: {e}")),
        };
        if let Err(e) = write(place, &phc) {
            let f = place.path().display();
            return self.fail(format!("无法保存教师密码到 {f}：{e}"), format!("cannot save the teacher password to {f}: {e}"));
        }
        self.open()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<LockIntent>()
        .init_resource::<Lock>()
        .add_systems(Update, (relock_on_sign_in, apply_intents).chain())
        // The exam-mode guard first: the frame that turns it off with the password still
        // counts as unlocked (the gate may end the unlock right after, on a student screen).
        .add_systems(PostUpdate, (guard_exam_mode, gate).chain());
}

/// A student signing in ends the teacher's unlock.
fn relock_on_sign_in(mut intents: MessageReader<Intent>, mut lock: ResMut<Lock>) {
    if intents.read().any(|i| matches!(i, Intent::SignIn { .. })) {
        lock.relock();
    }
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn apply_intents(
    mut intents: MessageReader<LockIntent>,
    mut lock: ResMut<Lock>,
    paths: Res<AppPaths>,
    time: Res<Time<Real>>,
    settings: Option<ResMut<Settings>>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let place = Place::of(&paths);
    let mut reached = None;
    for intent in intents.read() {
        redraw.write(RequestRedraw);
        match intent {
            LockIntent::Enter(pw) => reached = lock.enter(pw, &place, time.elapsed()).or(reached),
            LockIntent::Set { password, repeat } => reached = lock.set(password, repeat, &place).or(reached),
            LockIntent::Cancel => lock.prompt = None,
            LockIntent::Relock => lock.relock(),
        }
    }
    match reached {
        Some(Goal::Screen(s)) => next.set(s),
        Some(Goal::ExamOff) => {
            if let Some(mut s) = settings {
                s.exam_mode = false;
                if let Err(e) = s.save(&paths.settings_file) {
                    notice.set(Note::about(&paths.settings_file, "设置无法保存", "the settings could not be saved", e));
                }
            }
        }
        None => {}
    }
}

/// After every `Update`: a change to a guarded screen while locked becomes the prompt; settled
/// on a student screen, the unlock ends. (State changes apply at the start of the next frame,
/// so every system that asked for one has run by now.)
fn gate(mut next: ResMut<NextState<Screen>>, state: Res<State<Screen>>, mut lock: ResMut<Lock>, paths: Res<AppPaths>, trial: Option<Res<TrialRun>>, mut redraw: MessageWriter<RequestRedraw>) {
    let pending = match *next {
        NextState::Pending(s) | NextState::PendingIfNeq(s) => Some(s),
        NextState::Unchanged => None,
    };
    if let Some(s) = pending
        && guarded(s)
        && !lock.unlocked
        && s != *state.get()
    {
        *next = NextState::Unchanged;
        lock.ask(Goal::Screen(s), &Place::of(&paths));
        redraw.write(RequestRedraw);
        return;
    }
    // A trial run of authoring mode plays in the student's play screen: still the teacher.
    let trial = trial.is_some_and(|t| t.0);
    if lock.unlocked && pending.is_none() && !guarded(*state.get()) && !trial {
        lock.unlocked = false;
    }
}

/// Exam mode goes off only with the password: a change of the settings that turns it off while
/// locked is undone (and saved again) and the prompt asks; the password then turns it off.
fn guard_exam_mode(settings: Option<ResMut<Settings>>, mut lock: ResMut<Lock>, paths: Res<AppPaths>, mut notice: ResMut<Notice>, mut seen: Local<Option<bool>>) {
    let Some(mut settings) = settings else { return };
    if !settings.is_changed() {
        return;
    }
    if *seen == Some(true) && !settings.exam_mode && !lock.unlocked {
        settings.exam_mode = true;
        if let Err(e) = settings.save(&paths.settings_file) {
            notice.set(Note::about(&paths.settings_file, "设置无法保存", "the settings could not be saved", e));
        }
        lock.ask(Goal::ExamOff, &Place::of(&paths));
    }
    *seen = Some(settings.exam_mode);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(dir: &Path) -> Place {
        Place::Prefs(dir.join("teacher.ron"))
    }

    #[test]
    fn a_hash_is_salted_argon2id_and_verifies() {
        let a = hash("1234").expect("hash");
        let b = hash("1234").expect("hash");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(!a.contains("1234"));
        assert!(verify("1234", &a) && verify("1234", &b));
        assert!(!verify("1235", &a) && !verify("", &a));
        assert!(!verify("1234", "not a hash"));
    }

    #[test]
    fn first_use_sets_then_asks_and_waits_after_three_wrong_tries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let place = place(dir.path());
        let mut lock = Lock::default();
        let goal = Goal::Screen(Screen::Settings);
        lock.ask(goal, &place);
        assert_eq!(lock.prompt.as_ref().map(|p| p.ask.clone()), Some(Ask::Set));
        assert_eq!(lock.set("12", "12", &place), None, "too short");
        assert_eq!(lock.set("1234", "1243", &place), None, "not the same twice");
        assert!(lock.prompt.as_ref().and_then(|p| p.error.as_ref()).is_some_and(|e| e.zh.contains("不一样")));
        assert_eq!(read(&place), Stored::Unset, "nothing written yet");
        assert_eq!(lock.set("1234", "1234", &place), Some(goal));
        assert!(lock.is_unlocked() && lock.prompt.is_none());

        lock.relock();
        lock.ask(goal, &place);
        assert_eq!(lock.prompt.as_ref().map(|p| p.ask.clone()), Some(Ask::Enter));
        assert_eq!(lock.set("9999", "9999", &place), None, "set only while none is set");
        let t = Duration::from_secs(100);
        for n in 1..=3 {
            assert_eq!(lock.enter("0000", &place, t), None);
            assert_eq!(lock.wrong_tries(), n);
        }
        assert_eq!(lock.wait_left(t), Some(WAIT));
        // The right password is not even tried while waiting…
        assert_eq!(lock.enter("1234", &place, t + Duration::from_secs(3)), None);
        assert!(lock.prompt.as_ref().and_then(|p| p.error.as_ref()).is_some_and(|e| e.zh.contains("请等 7 秒")), "{:?}", lock.prompt);
        // …and opens after it.
        assert_eq!(lock.enter("1234", &place, t + WAIT), Some(goal));
        assert_eq!((lock.wrong_tries(), lock.wait_left(t + WAIT)), (0, None));
    }

    #[test]
    fn a_damaged_hash_opens_nothing_and_a_deleted_one_is_set_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let place = place(dir.path());
        std::fs::write(place.path(), "(password: Some(\"1234\"))").expect("write");
        assert!(matches!(read(&place), Stored::Damaged(_)), "a plain password is not a hash");
        let mut lock = Lock::default();
        lock.ask(Goal::ExamOff, &place);
        assert!(matches!(lock.prompt.as_ref().map(|p| &p.ask), Some(Ask::Damaged(_))));
        assert_eq!(lock.set("1234", "1234", &place), None);
        assert_eq!(lock.enter("1234", &place, Duration::ZERO), None);
        assert!(!lock.is_unlocked());
        // The documented reset: the password line removed.
        std::fs::write(place.path(), "(moodle: true)").expect("write");
        assert_eq!(read(&place), Stored::Unset);
        lock.ask(Goal::ExamOff, &place);
        assert_eq!(lock.set("abcd", "abcd", &place), Some(Goal::ExamOff));
        let (prefs, _) = TeacherPrefs::load(place.path());
        assert!(prefs.moodle, "the rest of teacher.ron is kept");
        assert!(prefs.password.as_deref().is_some_and(|h| verify("abcd", h)));
    }

    #[test]
    fn own_file_from_the_environment() {
        let dir = tempfile::tempdir().expect("tempdir");
        let place = Place::Own(dir.path().join("lock.ron"));
        let mut lock = Lock::default();
        lock.ask(Goal::Screen(Screen::Teacher), &place);
        assert_eq!(lock.set("5678", "5678", &place), Some(Goal::Screen(Screen::Teacher)));
        let text = std::fs::read_to_string(place.path()).expect("read");
        assert!(text.contains("$argon2id$") && !text.contains("5678"), "{text}");
        assert!(matches!(read(&place), Stored::Hash(_)));
    }
}
