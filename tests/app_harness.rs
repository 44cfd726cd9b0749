//! The one harness of the headless app tests (`tests/app*.rs`): a lab folder with the sample
//! scenario, the real [`CorePlugin`] on `MinimalPlugins` with a manual clock, and [`AppExt`]:
//! send a message the way a screen does and update until the app has settled, or update until a
//! condition holds (never more than a cap, so a test that waits for what never comes fails
//! instead of hanging).

use std::path::PathBuf;
use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use bevy_state::prelude::{NextState, State};
use kefu::app::{AppPaths, CorePlugin, Screen, Settings};

use crate::common::repo;

/// Each `app.update()` advances real time by this much (more than authoring mode's poll
/// interval; answers are timed in these steps).
pub const FRAME: Duration = Duration::from_millis(500);

/// How many frames [`AppExt::send`] waits at most for the app to settle.
pub const SETTLE_CAP: usize = 10;

/// A temporary folder laid out as the app expects: `scenarios/` (the sample in it unless made
/// [`Lab::empty`]), `data/records/` once something is filed.
pub struct Lab {
    pub dir: tempfile::TempDir,
    pub scenarios: PathBuf,
}

impl Lab {
    /// `scenarios/sample.ron` (tests/data/sample.ron).
    pub fn new() -> Lab {
        let lab = Lab::empty();
        std::fs::copy(repo("tests/data/sample.ron"), lab.scenarios.join("sample.ron")).expect("copy sample");
        lab
    }

    /// `scenarios/sample.ron` with this text (the sample with a `critical` marker injected…).
    pub fn with_sample(text: &str) -> Lab {
        let lab = Lab::empty();
        std::fs::write(lab.sample(), text).expect("write sample");
        lab
    }

    /// An empty `scenarios/`.
    pub fn empty() -> Lab {
        let dir = tempfile::tempdir().expect("tempdir");
        let scenarios = dir.path().join("scenarios");
        std::fs::create_dir_all(&scenarios).expect("mkdir");
        Lab { dir, scenarios }
    }

    /// A path inside the lab.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn sample(&self) -> PathBuf {
        self.scenarios.join("sample.ron")
    }

    pub fn paths(&self) -> AppPaths {
        AppPaths::in_dir(self.dir.path(), vec![self.scenarios.clone()])
    }

    /// Where finished attempts are filed.
    pub fn records(&self) -> PathBuf {
        self.path("data/records")
    }

    /// The app on this lab: `settings` as if read from the settings file (`None`: read it).
    pub fn app(&self, settings: Option<Settings>) -> App {
        self.app_with(settings, |_| {})
    }

    /// As [`Lab::app`], with `setup` adding resources (a sound sink…) before the plugins.
    pub fn app_with(&self, settings: Option<Settings>, setup: impl FnOnce(&mut App)) -> App {
        headless(self.paths(), settings, setup)
    }
}

/// The headless app: `MinimalPlugins`, a manual clock of [`FRAME`] per update, the real
/// [`CorePlugin`]; one update so its start-up systems have run.
pub fn headless(paths: AppPaths, settings: Option<Settings>, setup: impl FnOnce(&mut App)) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins).insert_resource(TimeUpdateStrategy::ManualDuration(FRAME));
    setup(&mut app);
    app.add_plugins(CorePlugin { paths, settings });
    app.update();
    app
}

/// A signed-in student.
pub fn student() -> Settings {
    Settings { student_id: "2024001".into(), student_name: "王玥".into(), ..Settings::default() }
}

pub trait AppExt {
    /// Send a message as a screen does and update until the app has settled: the message is
    /// applied in the first frame, the state change it asked for happens in the second, and
    /// any state change that one asks for in the frames after (at most [`SETTLE_CAP`]).
    fn send<M: Message>(&mut self, m: M);

    /// Update until `done` holds (checked after each update), at most `cap` updates. Returns
    /// how many updates ran; panics when `done` never held.
    fn update_until(&mut self, cap: usize, done: impl FnMut(&App) -> bool) -> usize;

    /// Exactly `n` updates (time passing: a countdown, a poll interval).
    fn updates(&mut self, n: usize);

    fn screen(&self) -> Screen;
}

impl AppExt for App {
    fn send<M: Message>(&mut self, m: M) {
        self.world_mut().write_message(m);
        self.update();
        self.update_until(SETTLE_CAP, settled);
    }

    fn update_until(&mut self, cap: usize, mut done: impl FnMut(&App) -> bool) -> usize {
        for n in 1..=cap {
            self.update();
            if done(self) {
                return n;
            }
        }
        panic!("the condition did not hold within {cap} updates");
    }

    fn updates(&mut self, n: usize) {
        for _ in 0..n {
            self.update();
        }
    }

    fn screen(&self) -> Screen {
        *self.world().resource::<State<Screen>>().get()
    }
}

/// No state change waits.
pub fn settled(app: &App) -> bool {
    matches!(app.world().get_resource::<NextState<Screen>>(), None | Some(NextState::Unchanged))
}

#[test]
fn send_applies_the_intent_and_the_state_change() {
    let lab = Lab::new();
    let mut app = lab.app(Some(student()));
    assert_eq!(app.screen(), Screen::Start);
    app.send(kefu::app::Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
    assert_eq!(app.screen(), Screen::Library);
    assert!(settled(&app));
    let n = app.update_until(5, |a| a.screen() == Screen::Library);
    assert_eq!(n, 1, "already there: one update");
}

#[test]
#[should_panic(expected = "did not hold within 3 updates")]
fn update_until_gives_up_at_its_cap() {
    let lab = Lab::new();
    let mut app = lab.app(Some(student()));
    app.update_until(3, |a| a.screen() == Screen::Review);
}
