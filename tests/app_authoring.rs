//! Integration tests: authoring mode's logic, headless (MinimalPlugins + CorePlugin), driven with
//! the same AuthorIntent messages the authoring screen sends: the folder's diagnostics, hot
//! reload while a trial run is played, play from a node, and the analysis.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use kefu::app::authoring::{AUDIT_SEEDS, AuthorIntent, Authoring};
use kefu::app::student::Resumable;
use kefu::app::{AppPaths, Attempt, Intent, Screen, Settings};
use kefu::scenario::Severity;
use kefu::scoring::audit::{audit, render};
use kefu::session::{Action, View};
use kefu::Lang;

use crate::app_harness::AppExt;
use crate::common::repo;


struct Lab {
    dir: tempfile::TempDir,
    scenarios: PathBuf,
}

impl Lab {
    /// `scenarios/` with the sample and `broken.ron` (the sample with a comma missing at the end
    /// of line 52, reported right after the value it follows: line 52, column 151).
    fn new() -> Lab {
        let dir = tempfile::tempdir().expect("tempdir");
        let scenarios = dir.path().join("scenarios");
        std::fs::create_dir_all(&scenarios).expect("mkdir");
        let sample = sample_text();
        std::fs::write(scenarios.join("sample.ron"), &sample).expect("write sample");
        let broken = sample.replacen("next: \"ask\"),\n        Choice(", "next: \"ask\")\n        Choice(", 1);
        assert_ne!(broken, sample);
        std::fs::write(scenarios.join("broken.ron"), broken).expect("write broken");
        Lab { dir, scenarios }
    }

    fn sample(&self) -> PathBuf {
        self.scenarios.join("sample.ron")
    }

    fn paths(&self) -> AppPaths {
        AppPaths::in_dir(self.dir.path(), vec![self.scenarios.clone()])
    }

    fn app(&self) -> App {
        let settings = Settings { student_id: "2024001".into(), student_name: "王玥".into(), ..Settings::default() };
        crate::app_harness::headless(self.paths(), Some(settings), |_| {})
    }

    /// Edit a scenario file the way an editor saves it.
    fn edit(&self, path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).expect("read");
        assert!(text.contains(from), "{from}");
        std::fs::write(path, text.replace(from, to)).expect("write");
    }
}

fn sample_text() -> String {
    std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read sample")
}

fn author(app: &mut App, intent: AuthorIntent) {
    app.send(intent);
}

fn authoring(app: &App) -> &Authoring {
    app.world().resource::<Authoring>()
}

fn node(app: &App) -> String {
    app.world().resource::<Attempt>().0.as_ref().expect("an attempt is running").session.node_id().to_string()
}

fn answer(app: &mut App, action: Action) {
    app.send(Intent::Answer(action));
    if app.world().resource::<Attempt>().0.as_ref().is_some_and(|a| a.feedback.is_some()) {
        app.send(Intent::DismissFeedback);
    }
}

fn note(app: &App, lang: Lang) -> String {
    authoring(app).trial.as_ref().and_then(|t| t.note.as_ref()).map(|n| n.text.get(lang).to_string()).unwrap_or_default()
}

fn note_warns(app: &App) -> bool {
    authoring(app).trial.as_ref().and_then(|t| t.note.as_ref()).is_some_and(|n| n.warn)
}

/// Open authoring mode on the lab's folder (the default: the app's scenario folder).
fn enter(lab: &Lab) -> App {
    let mut app = lab.app();
    author(&mut app, AuthorIntent::Enter);
    // The teacher lock asks first (issue 10).
    crate::app_lock::give_password(&mut app);
    assert_eq!(app.screen(), Screen::Authoring);
    assert_eq!(authoring(&app).folder, lab.scenarios);
    author(&mut app, AuthorIntent::Select(lab.sample()));
    app
}

#[test]
fn the_folder_lists_every_file_with_its_diagnostics() {
    let lab = Lab::new();
    let mut app = enter(&lab);
    let a = authoring(&app);
    let names: Vec<&str> = a.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["broken.ron", "sample.ron"]);
    let broken = &a.files[0];
    assert!(broken.loaded.is_none());
    assert_eq!(broken.errors(), 1);
    let d = &broken.diagnostics[0];
    assert_eq!((d.severity, d.code, d.line, d.col), (Severity::Error, "syntax", 52, 151));
    assert!(d.message.get(Lang::Zh).contains("逗号"), "{}", d.message.get(Lang::Zh));
    assert!(d.message.get(Lang::En).contains("comma"), "{}", d.message.get(Lang::En));
    let sample = &a.files[1];
    assert!(sample.diagnostics.is_empty() && sample.playable().is_some(), "the sample is clean: {:?}", sample.diagnostics);

    // Another folder, chosen by hand, is remembered for next time.
    let other = lab.dir.path().join("mine");
    std::fs::create_dir_all(other.join("p1")).expect("mkdir");
    std::fs::write(other.join("p1/one.ron"), sample_text()).expect("write");
    author(&mut app, AuthorIntent::Open(other.clone()));
    let a = authoring(&app);
    assert_eq!(a.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>(), [Path::new("p1").join("one.ron").display().to_string()]);
    assert_eq!(a.selected.as_deref(), Some(other.join("p1/one.ron").as_path()), "the first file is selected");
    let mut again = lab.app();
    author(&mut again, AuthorIntent::Enter);
    crate::app_lock::give_password(&mut again);
    assert_eq!(authoring(&again).folder, other, "remembered");

    // A folder that is not there says so.
    author(&mut app, AuthorIntent::Open(lab.dir.path().join("nowhere")));
    assert!(authoring(&app).folder_problem.as_deref().is_some_and(|p| p.contains("nowhere")));
    assert!(authoring(&app).files.is_empty());
}

#[test]
fn saving_the_played_file_reloads_it_and_keeps_the_node() {
    let lab = Lab::new();
    let mut app = enter(&lab);
    author(&mut app, AuthorIntent::PlayFrom(None));
    assert_eq!(app.screen(), Screen::Play);
    assert_eq!(node(&app), "ring");
    answer(&mut app, Action::Pickup);
    answer(&mut app, Action::Choose("company".into()));
    assert_eq!(node(&app), "caller");
    let hash_before = app.world().resource::<Attempt>().0.as_ref().map(|a| a.loaded.hash.clone());
    let reloads = authoring(&app).reloads;

    // Nothing changed: polling reads nothing.
    app.updates(2);
    assert_eq!(authoring(&app).reloads, reloads);

    // A changed text.
    lab.edit(&lab.sample(), "发到{city}，急！", "发到{city}，非常急！");
    app.updates(2);
    assert_eq!(authoring(&app).reloads, reloads + 1, "the change was noticed");
    let active = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
    assert_ne!(Some(active.loaded.hash.clone()), hash_before, "the new file is played");
    assert!(active.trial);
    assert_eq!(active.session.node_id(), "caller", "the place is kept");
    assert_eq!(active.session.log().len(), 2, "the answers were replayed");
    match active.session.view(Lang::Zh) {
        View::Line { text, .. } => assert!(text.contains("非常急"), "{text}"),
        v => panic!("{v:?}"),
    }
    assert!(note(&app, Lang::En).contains("still at node caller"), "{}", note(&app, Lang::En));
    assert!(!note_warns(&app), "nothing to look at");
    assert_eq!(app.screen(), Screen::Play);

    // An error: the file's diagnostics show it, the trial goes on with the last good version.
    lab.edit(&lab.sample(), "next: \"ask\"),", "next: \"asks\"),");
    app.updates(2);
    let f = authoring(&app).file(&lab.sample()).expect("sample listed");
    let d = f.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!((d.code, d.line), ("unknown-target", 52));
    assert!(authoring(&app).study.is_none(), "no analysis of a broken file");
    assert_eq!(node(&app), "caller");
    assert!(note(&app, Lang::Zh).contains("文件有错误"), "{}", note(&app, Lang::Zh));
    assert!(note(&app, Lang::En).contains("line 52"), "{}", note(&app, Lang::En));
    assert!(note_warns(&app));

    // Fixed again: reloaded, still in place, and the trial can go on.
    lab.edit(&lab.sample(), "next: \"asks\"),", "next: \"ask\"),");
    app.updates(2);
    assert_eq!(node(&app), "caller");
    assert!(authoring(&app).study.is_some());
    answer(&mut app, Action::Continue);
    assert_eq!(node(&app), "ask");

    // Outside authoring mode nothing is polled.
    author(&mut app, AuthorIntent::Leave);
    assert_eq!(app.screen(), Screen::Settings);
    assert!(app.world().resource::<Attempt>().0.is_none(), "the trial is gone");
    let reloads = authoring(&app).reloads;
    lab.edit(&lab.sample(), "非常急", "十分急");
    for _ in 0..4 {
        app.update();
    }
    assert_eq!(authoring(&app).reloads, reloads, "not polled in the settings screen");
    author(&mut app, AuthorIntent::Enter);
    app.update();
    let f = authoring(&app).file(&lab.sample()).expect("sample");
    assert!(f.loaded.as_ref().is_some_and(|l| l.hash == kefu::scenario::content_hash(std::fs::read(lab.sample()).expect("read").as_slice())));
}

#[test]
fn play_from_a_node_starts_there_and_never_touches_the_records() {
    let lab = Lab::new();
    let mut app = enter(&lab);
    author(&mut app, AuthorIntent::PlayFrom(Some("channels".into())));
    assert_eq!(app.screen(), Screen::Play);
    assert_eq!(node(&app), "channels");
    answer(&mut app, Action::Match(vec![("web".into(), "all".into()), ("mail".into(), "all".into()), ("sign".into(), "visitors".into())]));
    assert_eq!(node(&app), "steps");
    assert!(!lab.paths().autosave.exists(), "a trial is not autosaved");

    // The node played from is renamed: the answers cannot be replayed; the current node is
    // still there, so play goes on there with a fresh attempt.
    let text = std::fs::read_to_string(lab.sample()).expect("read");
    std::fs::write(lab.sample(), text.replace("\"channels\"", "\"channels2\"")).expect("write");
    app.updates(2);
    assert!(authoring(&app).file(&lab.sample()).is_some_and(|f| f.playable().is_some()));
    assert_eq!(node(&app), "steps");
    assert!(app.world().resource::<Attempt>().0.as_ref().is_some_and(|a| a.session.log().is_empty()));
    assert!(note(&app, Lang::En).contains("continuing at node steps"), "{}", note(&app, Lang::En));

    // Now the current node goes too: play restarts at the start, and the author is told.
    lab.edit(&lab.sample(), "\"steps\"", "\"steps2\"");
    app.updates(2);
    assert_eq!(node(&app), "ring");
    assert!(note(&app, Lang::En).contains("Node steps no longer exists: play restarted at node ring"), "{}", note(&app, Lang::En));
    assert!(note(&app, Lang::Zh).contains("从节点 ring 重新开始"), "{}", note(&app, Lang::Zh));
    assert!(note_warns(&app));

    // "Pause: library" during a trial leads back to authoring mode, with nothing to resume.
    app.send(Intent::LeavePlay);
    app.update();
    assert_eq!(app.screen(), Screen::Authoring);
    assert!(app.world().resource::<Resumable>().0.is_none());
    assert!(app.world().resource::<Attempt>().0.is_none());

    // Played to the end from `close`: results, but no record filed.
    author(&mut app, AuthorIntent::PlayFrom(Some("close".into())));
    assert_eq!(node(&app), "close");
    answer(&mut app, Action::Choose("wait".into()));
    assert_eq!(app.screen(), Screen::Results);
    assert!(!lab.dir.path().join("data/records").exists(), "no record filed");
    author(&mut app, AuthorIntent::BackToAuthoring);
    assert_eq!(app.screen(), Screen::Authoring);
    assert!(authoring(&app).trial.is_none());
}

#[test]
fn the_analysis_of_the_sample() {
    let lab = Lab::new();
    let app = enter(&lab);
    let study = authoring(&app).study.as_ref().expect("analysis of the selected sample");
    let a = &study.analysis;
    let expert = a.expert.as_ref().expect("expert path");
    assert_eq!(expert.report.projected, 100);
    assert_eq!((expert.report.total, expert.report.band.band), (90, 1));
    assert_eq!(expert.nodes.first().map(String::as_str), Some("ring"));
    let worst = a.worst.as_ref().expect("worst path");
    assert!(worst.report.projected < 100);
    let smile = a.ranges.iter().find(|r| r.key == "smile").expect("smile");
    assert_eq!((smile.min, smile.max), (Some(-1.0), Some(4.0)));
    assert!(a.ranges.iter().any(|r| r.key == "presentation"), "criteria too");
    assert_eq!(study.endings.len(), 2);
    assert!(study.endings.iter().any(|e| e.success) && study.endings.iter().any(|e| !e.success));
    assert!(a.unreached.is_empty());
    assert!(!a.approximate);
    assert_eq!(study.start, "ring");
    assert!(study.nodes.iter().any(|(id, kind)| id == "channels" && *kind == "Match"));
}

/// Issue 9: the authoring screen shows `kefu audit` for the selected file, computed when the
/// file is loaded and again when it is saved.
#[test]
fn the_selected_file_has_its_audit_and_a_save_renews_it() {
    let lab = Lab::new();
    let mut app = enter(&lab);
    let study = authoring(&app).study.as_ref().expect("the sample is analysed");
    let sc = authoring(&app).file(&lab.sample()).and_then(|f| f.playable()).expect("playable").scenario.clone();
    let a = &study.audit;
    assert_eq!((a.id.as_str(), a.seeds), ("sample-every-kind", AUDIT_SEEDS));
    assert_eq!(a.bots.len(), kefu::scoring::audit::Bot::ALL.len(), "every strategy, keyword stuffing too");
    assert_eq!(render(a, Lang::Zh), render(&audit(&sc, AUDIT_SEEDS), Lang::Zh), "the same table as `kefu audit`");
    assert!(a.critical.is_empty(), "the sample marks no critical error");
    assert!(a.warnings.iter().any(|w| w.get(Lang::En).contains("no single deviation")), "{:?}", a.warnings);

    // Saved with a critical error marked: reloaded, audited again.
    lab.edit(&lab.sample(), r#"effects: (sincerity: -2), next: "done","#, r#"effects: (sincerity: -2), critical: (name: (zh: "抢先挂断", en: "Hung up first"), principle: sincerity), next: "done","#);
    app.updates(2);
    let study = authoring(&app).study.as_ref().expect("still analysed");
    let rows = &study.audit.critical;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0].node.as_str(), rows[0].deviation.as_str()), ("close", "option hang"));
    assert!(rows[0].projected.is_some_and(|p| p < 70), "held to 及格: {:?}", rows[0].projected);
    let sc = authoring(&app).file(&lab.sample()).and_then(|f| f.playable()).expect("playable").scenario.clone();
    assert_eq!(render(&study.audit, Lang::En), render(&audit(&sc, AUDIT_SEEDS), Lang::En));
    // A trial run's hint button shows the core's preview too.
    author(&mut app, AuthorIntent::PlayFrom(Some("greet".into())));
    let a = app.world().resource::<Attempt>().0.as_ref().expect("trial");
    assert!(a.trial && a.hint_preview.is_some());
    assert_eq!(a.hint_preview, kefu::scoring::Scorer::new(sc).hint_preview(&a.session));
}

#[test]
fn the_map_view_shows_the_selected_file_and_follows_its_saves() {
    use kefu::app::authoring::View;
    use kefu::analysis::map::Status;
    let lab = Lab::new();
    let mut app = enter(&lab);
    author(&mut app, AuthorIntent::Show(View::Map));
    let a = authoring(&app);
    assert_eq!(a.view, View::Map);
    let study = a.study.as_ref().expect("the sample is analysed");
    let map = a.shown_map().expect("a map");
    // The map is the core's: one box per node, the analysis's expert path, its reachable points.
    assert_eq!(map.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>(), study.nodes.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>());
    let expert = study.analysis.expert.as_ref().expect("expert path");
    for n in &map.nodes {
        assert_eq!(n.expert, expert.nodes.contains(&n.id), "{}", n.id);
        assert!(!n.ranges.is_empty(), "{} has its reachable points", n.id);
    }
    assert!(map.nodes.iter().any(|n| n.status == Status::Failure) && map.nodes.iter().any(|n| n.status == Status::Success));

    // A node is selected by id; an id the map does not have selects nothing.
    author(&mut app, AuthorIntent::MapSelect(Some("caller".into())));
    assert_eq!(authoring(&app).map_node.as_deref(), Some("caller"));
    author(&mut app, AuthorIntent::MapSelect(Some("no-such-node".into())));
    assert_eq!(authoring(&app).map_node, None);
    author(&mut app, AuthorIntent::MapSelect(Some("caller".into())));

    // A save with a jump to a missing node: no analysis any more, but the map stays, with the
    // arrow listed as missing and the error on its node; the selection survives.
    lab.edit(&lab.sample(), r#"Line(id: "caller", speaker: "customer", text: (zh: "我有一批{goods}要发到{city}，急！", en: "I have {goods} to send to {city}, urgently!"), next: "ask")"#, r#"Line(id: "caller", speaker: "customer", text: (zh: "我有一批{goods}要发到{city}，急！", en: "I have {goods} to send to {city}, urgently!"), next: "askk")"#);
    app.updates(2);
    let a = authoring(&app);
    assert!(a.study.is_none(), "a file with errors is not analysed");
    let map = a.shown_map().expect("still a map");
    assert_eq!(map.missing, vec![("caller".to_string(), "askk".to_string())]);
    assert!(map.node("caller").expect("caller").diagnostics.iter().any(|d| d.code == "unknown-target"));
    assert!(map.nodes.iter().all(|n| !n.expert), "no expert path is claimed without an analysis");
    assert_eq!(a.map_node.as_deref(), Some("caller"));

    // Play from the selected node, as the node's panel does.
    lab.edit(&lab.sample(), r#"next: "askk")"#, r#"next: "ask")"#);
    app.updates(2);
    assert!(authoring(&app).study.is_some());
    author(&mut app, AuthorIntent::PlayFrom(Some("caller".into())));
    assert_eq!(app.screen(), Screen::Play);
    assert_eq!(node(&app), "caller");

    // A file that cannot be read has no map.
    author(&mut app, AuthorIntent::BackToAuthoring);
    author(&mut app, AuthorIntent::Select(lab.scenarios.join("broken.ron")));
    assert!(authoring(&app).shown_map().is_none());
    assert_eq!(authoring(&app).map_node, None, "the selection is per file");
}
