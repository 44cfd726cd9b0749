//! Integration tests: the student app's logic, headless (MinimalPlugins + the app's CorePlugin,
//! no window, no egui). Whole attempts are driven with the same Intent messages the screens send,
//! and what the Results screen would show is compared with the core Scorer's report.

#![cfg(feature = "gui")]

use std::path::Path;
use std::sync::Arc;

use bevy::prelude::*;
use kefu::app::attempt::Retrying;
use kefu::app::student::{ClassList, Resumable, Selected};
use kefu::app::library::Library;
use kefu::app::{Attempt, Intent, Outcome, Screen, Settings};
use kefu::records::store::read_folder;
use kefu::scoring::{Ratings, Scorer, Source};
use kefu::session::{Action, Session};

use crate::app_harness::{AppExt, FRAME, Lab, student};
use crate::common::repo;

const SAMPLE_ID: &str = "sample-every-kind";

fn session(app: &App) -> &Session {
    &app.world().resource::<Attempt>().0.as_ref().expect("an attempt is running").session
}

fn node(app: &App) -> String {
    session(app).node_id().to_string()
}

fn value(app: &App, key: &str) -> String {
    session(app).values().get(key).expect("variant value").zh.clone()
}

/// Answer and read the feedback card (as a student clicking "continue").
fn answer(app: &mut App, action: Action) {
    app.send(Intent::Answer(action));
    let fb = app.world().resource::<Attempt>().0.as_ref().is_some_and(|a| a.feedback.is_some());
    if fb {
        app.send(Intent::DismissFeedback);
    }
}

fn ids(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

fn begin(app: &mut App, seed: u64) {
    app.send(Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
    assert_eq!(app.screen(), Screen::Library);
    assert_eq!(app.world().resource::<Library>().entries.len(), 1, "the sample is in the library");
    app.send(Intent::Pick(SAMPLE_ID.into()));
    assert_eq!(app.screen(), Screen::Briefing);
    assert!(app.world().resource::<Selected>().0.is_some());
    app.send(Intent::Begin { seed: Some(seed) });
    assert_eq!(app.screen(), Screen::Play);
}

/// Phone → greet (with a hint) → caller → ask.
fn play_opening(app: &mut App) {
    assert_eq!(node(app), "ring");
    answer(app, Action::Pickup);
    assert_eq!(node(app), "greet");
    app.send(Intent::Hint);
    assert_eq!(app.world().resource::<Attempt>().0.as_ref().map(|a| a.hints.len()), Some(1), "the hint is shown");
    answer(app, Action::Choose("company".into()));
    assert_eq!(node(app), "caller");
    answer(app, Action::Continue);
    assert_eq!(node(app), "ask");
}

/// ask → notes (one field wrong) → channels (one wrong) → steps (two swapped) → notice → close.
fn play_rest(app: &mut App) {
    answer(app, Action::Choose("when".into()));
    assert_eq!(node(app), "notes");
    let (city, days) = (value(app, "city"), value(app, "days"));
    answer(app, Action::Form(vec![("dest".into(), city), ("goods".into(), "不知道".into()), ("days".into(), days)]));
    assert_eq!(node(app), "channels");
    answer(app, Action::Match(vec![("web".into(), "all".into()), ("mail".into(), "visitors".into()), ("sign".into(), "visitors".into())]));
    assert_eq!(node(app), "steps");
    answer(app, Action::Order(ids(&["weigh", "book", "waybill", "pay"])));
    assert_eq!(node(app), "notice");
    answer(app, Action::Compose(ids(&["sit", "thanks"])));
    assert_eq!(node(app), "close");
    answer(app, Action::Choose("wait".into()));
}

#[test]
fn a_whole_attempt_through_the_intents_gives_the_core_report() {
    let lab = Lab::new();
    let mut app = lab.app(Some(student()));
    assert_eq!(app.screen(), Screen::Start);
    begin(&mut app, 7);
    play_opening(&mut app);
    play_rest(&mut app);
    assert_eq!(app.screen(), Screen::Results);

    let fin = app.world().resource::<Outcome>().0.clone().expect("results");
    let r = &fin.report;
    assert!(r.finished && r.success);
    assert_eq!(r.decisions.len(), 8, "phone, greet, ask, notes, channels, steps, notice, close");
    assert_eq!((r.hints_used, r.hint_cost), (1, 2));
    assert_eq!(r.criteria.iter().find(|c| c.key == "cooperation").map(|c| c.source), Some(Source::Pending));
    assert_eq!(r.total_max - r.pending_max, 90);
    assert!(r.decisions[0].answer[0].zh.contains("第 1 声"), "picked up on ring one: {:?}", r.decisions[0].answer);

    // The same answers given straight to the core, at the times the app measured.
    let sc = Arc::clone(&fin.loaded.scenario);
    let log = fin.session.log().to_vec();
    let actions: Vec<&Action> = log.iter().map(|e| &e.action).collect();
    assert_eq!(actions.len(), 10, "nine answers and one hint: {actions:?}");
    assert!(log.iter().all(|e| e.elapsed_ms % FRAME.as_millis() as u64 == 0 && e.elapsed_ms > 0), "times come from bevy Time: {log:?}");
    let mut core = Session::new(Arc::clone(&sc), 7).expect("session");
    for e in &log {
        if e.action == Action::Hint {
            core.hint(e.elapsed_ms).expect("hint");
        } else {
            core.answer(e.action.clone(), e.elapsed_ms).expect("answer");
        }
    }
    let expected = Scorer::new(Arc::clone(&sc)).score_session(&core, &Ratings::new());
    assert_eq!(*r, expected, "the Results screen shows the core's report, nothing of its own");

    // The expert path (review screen) is the core's autoplay with the same seed.
    let expert = fin.expert.as_ref().expect("expert path");
    let auto = kefu::session::autoplay::play(&sc, 7, kefu::session::autoplay::Policy::Expert).expect("autoplay");
    assert_eq!(*expert, Scorer::new(Arc::clone(&sc)).score_session(&auto, &Ratings::new()));
    assert!(expert.total >= r.total);

    // Filed in the records folder, autosave gone.
    let folder = read_folder(&lab.records(), None).expect("records folder");
    assert_eq!(folder.records.len(), 1);
    let rec = &folder.records[0].1;
    assert!(rec.finished);
    assert_eq!((rec.seed, rec.player.id.as_str(), rec.log.clone()), (7, "2024001", log));
    assert!(!lab.paths().autosave.exists());

    // Back in the library the best result is this attempt's.
    app.send(Intent::ShowReview);
    assert_eq!(app.screen(), Screen::Review);
    app.send(Intent::ToLibrary);
    assert_eq!(app.screen(), Screen::Library);
    let best = app.world().resource::<Library>().entries[0].best.clone().expect("best result");
    assert_eq!((best.total, best.projected, best.attempts), (r.total, r.projected, 1));
}

#[test]
fn a_countdown_that_runs_out_times_the_decision_out() {
    let lab = Lab::new();
    let mut app = lab.app(Some(student()));
    begin(&mut app, 3);
    play_opening(&mut app);
    // 20 s countdown at `ask`; nothing is clicked: the timeout comes within 45 frames of 500 ms.
    app.update_until(45, |app| app.world().resource::<Attempt>().0.as_ref().is_some_and(|a| a.feedback.is_some()));
    let a = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
    let fb = a.feedback.as_ref().expect("timeout feedback");
    assert!(fb.step.timed_out);
    assert_eq!(fb.step.node, "ask");
    let last = a.session.log().last().expect("log");
    assert_eq!(last.action, Action::Timeout);
    assert!(last.elapsed_ms >= 20_000 && last.elapsed_ms < 21_000, "{}", last.elapsed_ms);
    app.send(Intent::DismissFeedback);
    assert_eq!(node(&app), "ask", "the timeout leads back to the question");
}

#[test]
fn an_interrupted_attempt_resumes_where_it_stopped() {
    let lab = Lab::new();
    let before;
    {
        let mut app = lab.app(Some(student()));
        begin(&mut app, 11);
        play_opening(&mut app);
        before = session(&app).log().to_vec();
        // The power goes: the app is dropped without any goodbye.
    }
    assert!(lab.paths().autosave.exists(), "autosaved after every answer");
    let mut app = lab.app(None);
    let waiting = app.world().resource::<Resumable>().0.clone().expect("resume offered");
    assert_eq!((waiting.seed, waiting.log.clone()), (11, before.clone()));
    assert_eq!(app.world().resource::<Settings>().student_id, "2024001", "the student was remembered");
    app.send(Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
    app.send(Intent::Resume);
    assert_eq!(app.screen(), Screen::Play);
    assert_eq!(node(&app), "ask");
    assert_eq!(session(&app).log(), before.as_slice());
    play_rest(&mut app);
    assert_eq!(app.screen(), Screen::Results);
    let fin = app.world().resource::<Outcome>().0.clone().expect("results");
    let again = Scorer::new(Arc::clone(&fin.loaded.scenario)).score(11, fin.session.log(), &Ratings::new()).expect("replay");
    assert_eq!(fin.report, again);
    assert_eq!(read_folder(&lab.records(), None).expect("records").records.len(), 1);
}

#[test]
fn exam_mode_holds_feedback_back_until_the_results() {
    let lab = Lab::new();
    let mut app = lab.app(Some(Settings { exam_mode: true, ..student() }));
    begin(&mut app, 5);
    app.send(Intent::Answer(Action::Pickup));
    let a = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
    assert!(a.feedback.is_none(), "no feedback card in exam mode");
    assert!(a.record.exam_mode);
    assert_eq!(node(&app), "greet");
    answer(&mut app, Action::Choose("hello".into()));
    answer(&mut app, Action::Continue);
    play_rest(&mut app);
    assert_eq!(app.screen(), Screen::Results, "straight to the results");
    let r = &app.world().resource::<Outcome>().0.as_ref().expect("results").report;
    assert!(r.decisions.iter().any(|d| !d.feedback.is_empty()), "the results still carry every feedback");
}

#[test]
fn the_library_shows_broken_files_with_their_error_and_survives_new_files() {
    let lab = Lab::new();
    std::fs::write(lab.scenarios.join("broken.ron"), "Scenario(\n  id: \"broken\",\n  title: \"坏\",\n  nodes: [\n").expect("write");
    let mut app = lab.app(Some(student()));
    app.send(Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
    let lib = app.world().resource::<Library>();
    assert_eq!(lib.entries.len(), 1);
    assert_eq!(lib.broken.len(), 1);
    let msg = lib.broken[0].errors[0].render(kefu::Lang::Zh);
    assert!(msg.contains("broken.ron:"), "{msg}");
    assert!(msg.split(':').nth(1).is_some_and(|l| l.trim().parse::<usize>().is_ok()), "file:line:col: {msg}");
    // A teacher drops another file in while the app runs; Refresh finds it.
    let mut text = std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read");
    text = text.replacen("sample-every-kind", "sample-copy", 1);
    std::fs::write(lab.scenarios.join("copy.ron"), text).expect("write");
    app.send(Intent::Rescan);
    assert_eq!(app.world().resource::<Library>().entries.len(), 2);
    assert!(Path::new(&lab.paths().settings_file).exists(), "the student is remembered");
}

#[test]
fn a_finished_attempt_that_could_not_be_filed_is_filed_at_the_next_start() {
    let lab = Lab::new();
    // The records folder is "away" (here: a file stands where the folder should be).
    let blocker = lab.dir.path().join("share-offline");
    std::fs::write(&blocker, "not a folder").expect("write");
    {
        let mut app = lab.app(Some(Settings { records_dir: Some(blocker.clone()), ..student() }));
        begin(&mut app, 9);
        play_opening(&mut app);
        play_rest(&mut app);
        assert_eq!(app.screen(), Screen::Results);
        let fin = app.world().resource::<Outcome>().0.clone().expect("results");
        assert!(fin.saved.is_err(), "the record could not be filed");
        assert!(lab.paths().autosave.exists(), "so the finished attempt stays in the autosave");
    }
    let app = lab.app(Some(student()));
    assert!(app.world().resource::<Resumable>().0.is_none(), "a finished attempt is not offered for resuming");
    let folder = read_folder(&lab.records(), None).expect("records folder");
    assert_eq!(folder.records.len(), 1, "filed at start-up");
    assert!(folder.records[0].1.finished);
    assert!(!lab.paths().autosave.exists());
}

#[test]
fn the_start_screen_offers_the_teachers_class_and_a_picked_student_carries_the_group() {
    let lab = Lab::new();
    // The teacher view remembered this class (teacher.ron beside settings.ron).
    let prefs = kefu::app::teacher::TeacherPrefs { class_file: Some(repo("tests/data/roster/class.ron")), ..Default::default() };
    prefs.save(&kefu::app::teacher::prefs_file(&lab.paths())).expect("write teacher.ron");
    let mut app = lab.app(None);
    assert_eq!(app.screen(), Screen::Start);
    let class = app.world().resource::<ClassList>().0.clone().expect("the class list is loaded on entering Start");
    assert_eq!(class.name, "物流2401班");
    let (group, picked) = class.find("0024004").expect("赵一 is in the class");
    assert_eq!((group.name.as_str(), picked.name.as_str()), ("第二组", "赵一"));

    // Picked from the list: id, name and group are kept, and the attempt record carries them.
    app.send(Intent::SignIn { id: picked.id.clone(), name: picked.name.clone(), group: Some(group.name.clone()) });
    assert_eq!(app.screen(), Screen::Library);
    let s = app.world().resource::<Settings>().clone();
    assert_eq!((s.student_id.as_str(), s.student_name.as_str(), s.student_group.as_deref()), ("0024004", "赵一", Some("第二组")));
    let saved = Settings::load(&lab.paths().settings_file).0;
    assert_eq!(saved.student_group.as_deref(), Some("第二组"), "remembered between runs");
    app.send(Intent::Pick(SAMPLE_ID.into()));
    app.send(Intent::Begin { seed: Some(1) });
    let player = &app.world().resource::<Attempt>().0.as_ref().expect("an attempt is running").record.player;
    assert_eq!((player.id.as_str(), player.name.as_str(), player.group.as_deref()), ("0024004", "赵一", Some("第二组")));

    // Typed by hand: a 学号 on the list still gets its group; one not on it gets none.
    app.send(Intent::LeavePlay);
    app.send(Intent::SignOut);
    assert_eq!(app.screen(), Screen::Start);
    app.send(Intent::SignIn { id: "0024006".into(), name: "孙三".into(), group: None });
    assert_eq!(app.world().resource::<Settings>().student_group.as_deref(), Some("第三组"));
    app.send(Intent::SignOut);
    app.send(Intent::SignIn { id: "2024999".into(), name: "外班".into(), group: None });
    assert_eq!(app.world().resource::<Settings>().student_group, None);
}

#[test]
fn a_class_file_that_does_not_load_offers_no_list() {
    let lab = Lab::new();
    let prefs = kefu::app::teacher::TeacherPrefs { class_file: Some(repo("tests/data/roster/errors.csv")), ..Default::default() };
    prefs.save(&kefu::app::teacher::prefs_file(&lab.paths())).expect("write teacher.ron");
    let mut app = lab.app(Some(student()));
    assert!(app.world().resource::<ClassList>().0.is_none());
    app.send(Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
    assert_eq!(app.screen(), Screen::Library);
}

/// The sample with hanging up first marked as a critical error (5S 诚恳, default cap 最高及格).
fn sample_with_critical_hang_up() -> String {
    let text = std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read sample");
    let from = r#"effects: (sincerity: -2), next: "done","#;
    assert_eq!(text.matches(from).count(), 1, "the `hang` option of the sample");
    text.replacen(from, r#"effects: (sincerity: -2), critical: (name: (zh: "抢先挂断客户电话", en: "Hung up on the customer"), principle: sincerity), next: "done","#, 1)
}

/// Issue 9: an attempt with a critical error reaches the Results with the core's critical list,
/// cap and hint effect, and the same total as the core Scorer.
#[test]
fn a_critical_error_reaches_the_results_as_the_core_reports_it() {
    let lab = Lab::with_sample(&sample_with_critical_hang_up());
    let mut app = lab.app(Some(student()));
    begin(&mut app, 7);
    play_opening(&mut app);
    // Everything else as the expert would, then hang up first.
    answer(&mut app, Action::Choose("when".into()));
    let (city, goods, days) = (value(&app, "city"), value(&app, "goods"), value(&app, "days"));
    answer(&mut app, Action::Form(vec![("dest".into(), city), ("goods".into(), goods), ("days".into(), days)]));
    answer(&mut app, Action::Match(vec![("web".into(), "all".into()), ("mail".into(), "big".into()), ("sign".into(), "visitors".into())]));
    answer(&mut app, Action::Order(ids(&["book", "weigh", "waybill", "pay"])));
    answer(&mut app, Action::Compose(ids(&["sit", "thanks"])));
    assert_eq!(node(&app), "close");
    answer(&mut app, Action::Choose("hang".into()));
    assert_eq!(app.screen(), Screen::Results);

    let fin = app.world().resource::<Outcome>().0.clone().expect("results");
    let r = &fin.report;
    assert_eq!(r.critical.len(), 1, "{:?}", r.critical);
    let c = &r.critical[0];
    assert_eq!((c.node.as_str(), c.name.zh.as_str(), c.principle), ("close", "抢先挂断客户电话", kefu::scenario::Dim::Sincerity));
    assert_eq!(c.cap_text.zh, "最高及格");
    let close = r.decisions.iter().find(|d| d.node == "close").expect("the closing decision");
    assert_eq!(close.critical, r.critical, "the decision list marks it");
    assert_eq!(r.advice.dim, kefu::scenario::Dim::Sincerity, "the advice is about the broken principle");
    assert!(r.advice.cites.contains(&"close".to_string()) && !r.advice.praise);
    // A good attempt otherwise: the cap (最高及格) holds the total down, which the screen says.
    let limit = r.cap_limit.expect("a cap");
    assert_eq!((r.total, r.projected), (limit, limit));
    let before = r.uncapped_total.expect("the cap lowered the total");
    assert!(before > r.total, "{before} → {}", r.total);
    assert_eq!(r.hint_effect, 0, "held at the cap, the hint cost nothing in the end");

    let sc = Arc::clone(&fin.loaded.scenario);
    let expected = Scorer::new(Arc::clone(&sc)).score(7, fin.session.log(), &Ratings::new()).expect("replay");
    assert_eq!(r.total, expected.total);
    assert_eq!(*r, expected, "the Results screen shows the core's report, nothing of its own");
    // Without the marker the same answers score higher: the cap is the core's doing.
    let plain = Scorer::new(kefu::scenario::load_str(Path::new("plain.ron"), &std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read")).expect("parses").scenario)
        .score(7, fin.session.log(), &Ratings::new())
        .expect("replay");
    assert!(plain.critical.is_empty() && plain.total >= r.total);
}

/// Issue 9: the hint button shows the core's preview (what a hint does to the best reachable
/// total), kept current as the attempt goes on.
#[test]
fn the_hint_preview_the_app_holds_is_the_core_scorers() {
    let lab = Lab::with_sample(&sample_with_critical_hang_up());
    let mut app = lab.app(Some(student()));
    begin(&mut app, 4);
    let check = |app: &App| {
        let a = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
        let core = Scorer::new(Arc::clone(&a.loaded.scenario)).hint_preview(&a.session);
        assert_eq!(a.hint_preview, core, "at node {}", a.session.node_id());
        a.hint_preview.clone()
    };
    assert_eq!(check(&app), None, "no hint at the phone");
    answer(&mut app, Action::Pickup);
    assert_eq!(node(&app), "greet");
    let p = check(&app).expect("a hint at greet");
    assert_eq!((p.cost, p.ceiling_now, p.band_now), (2, 100, 1));
    assert!(p.ceiling_after < p.ceiling_now && p.drop() > p.cost, "a hint also rules out band 1: {p:?}");
    assert!(p.text().zh.starts_with("使用提示：最高可得总分 100 → "), "{}", p.text().zh);
    app.send(Intent::Hint);
    assert_eq!(check(&app), None, "the only hint is taken");
    answer(&mut app, Action::Choose("company".into()));
    check(&app);
    // Resumed attempts get the preview too.
    app.send(Intent::LeavePlay);
    app.send(Intent::Resume);
    assert_eq!(app.screen(), Screen::Play);
    check(&app);
}

// ---------------------------------------------------------------------------------------------
// Issue 10, the page frame and the screens around an attempt: 换人 empties the sign-in form,
// 学号 takes digits only, an unfinished attempt is named by its scenario's title.
// ---------------------------------------------------------------------------------------------

mod frame {
    use super::*;
    use kefu::app::student::{ResumeTitle, digits_only, start_form, start_form_type_id};
    use kefu::scenario::Lang;

    /// Issue 10: after 换人 the next student does not find the last one's 学号 and 姓名.
    #[test]
    fn sign_out_empties_the_start_form() {
        let lab = Lab::new();
        let mut app = lab.app(Some(student()));
        assert_eq!(app.screen(), Screen::Start);
        assert_eq!(start_form(app.world()), ("2024001".into(), "王玥".into()), "remembered between runs");
        app.send(Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
        assert_eq!(app.screen(), Screen::Library);
        app.send(Intent::SignOut);
        assert_eq!(app.screen(), Screen::Start);
        assert_eq!(start_form(app.world()), (String::new(), String::new()));
    }

    /// Issue 10: 学号 takes digits only; a letter is left out and the form says so.
    #[test]
    fn the_student_id_takes_digits_only() {
        let lab = Lab::new();
        let mut app = lab.app(None);
        start_form_type_id(app.world_mut(), "2024abc");
        assert_eq!(start_form(app.world()).0, "2024");
        assert!(app.world().resource::<kefu::app::student::StartForm>().id_refused);
        start_form_type_id(app.world_mut(), "001");
        assert_eq!(start_form(app.world()).0, "2024001");
        assert!(!app.world().resource::<kefu::app::student::StartForm>().id_refused, "the note goes when digits are typed");
        // Full-width digits (a Chinese input method) count; spaces go without a word.
        assert_eq!(digits_only("２０２４ 001"), ("2024001".to_string(), false));
        assert_eq!(digits_only("2024-001"), ("2024001".to_string(), true));
    }

    /// Issue 10: the unfinished attempt is named by its scenario's title, also on the start
    /// screen of the next run, before the library has been scanned.
    #[test]
    fn an_unfinished_attempt_is_named_by_its_title() {
        let lab = Lab::new();
        {
            let mut app = lab.app(Some(student()));
            begin(&mut app, 7);
            answer(&mut app, Action::Pickup);
            app.send(Intent::LeavePlay);
            assert_eq!(app.screen(), Screen::Library);
            let title = app.world().resource::<ResumeTitle>();
            assert_eq!(title.get(SAMPLE_ID, Lang::Zh), "样例：接听咨询电话");
            assert_eq!(title.get(SAMPLE_ID, Lang::En), "Sample: an enquiry call");
        }
        // The next run finds the autosave at start-up.
        let mut app = lab.app(Some(student()));
        app.update();
        assert_eq!(app.screen(), Screen::Start);
        assert!(app.world().resource::<Library>().entries.is_empty(), "not scanned yet");
        assert!(app.world().resource::<Resumable>().0.is_some());
        assert_eq!(app.world().resource::<ResumeTitle>().get(SAMPLE_ID, Lang::Zh), "样例：接听咨询电话");
        // An id no file has any more is shown as it is.
        assert_eq!(app.world().resource::<ResumeTitle>().get("gone", Lang::Zh), "gone");
    }
}

/// Issue 10: practice mode offers "try again" after an activity not fully right. The retry is
/// recorded (autosave, filed record) and marked on its own card; the results are the first
/// try's, exactly as the core scores the log.
#[test]
fn a_practice_retry_is_recorded_and_the_first_try_counts() {
    let lab = Lab::new();
    let mut app = lab.app(Some(student()));
    begin(&mut app, 7);
    play_opening(&mut app);
    answer(&mut app, Action::Choose("when".into()));
    assert_eq!(node(&app), "notes");
    let (city, goods, days) = (value(&app, "city"), value(&app, "goods"), value(&app, "days"));
    // First try: one field wrong. The card marks it and offers a retry.
    app.send(Intent::Answer(Action::Form(vec![("dest".into(), city.clone()), ("goods".into(), "不知道".into()), ("days".into(), days.clone())])));
    let a = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
    let fb = a.feedback.as_ref().expect("a card");
    assert_eq!(fb.step.marked(), (2, 3));
    assert!(fb.step.marks.iter().any(|m| m.id == "goods" && !m.right && m.expected.zh == goods));
    assert!(a.can_retry());
    assert_eq!(node(&app), "channels", "the first try led on");
    // Try again: the form is shown again (the core's retry view) and the next node's clock waits.
    app.send(Intent::TryAgain);
    let a = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
    assert!(app.world().resource::<Retrying>().current(a).is_some());
    assert!(matches!(a.session.retry_view(kefu::Lang::Zh), Some(kefu::session::View::Form { .. })));
    for _ in 0..4 {
        app.update();
    }
    app.send(Intent::Answer(Action::Form(vec![("dest".into(), city), ("goods".into(), goods), ("days".into(), days)])));
    let a = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
    let fb = a.feedback.as_ref().expect("the retry's card");
    assert!(fb.step.retry && fb.step.expert);
    assert!(!a.can_retry(), "all right now");
    assert!(app.world().resource::<Retrying>().0.is_none());
    let last = a.session.log().last().expect("log");
    assert!(matches!(&last.action, Action::Retry(_)) && last.node == "notes");
    assert!(last.elapsed_ms >= 2000, "the retry's own time: {}", last.elapsed_ms);
    // Autosaved with the retry, as record format 2.
    let saved = kefu::records::AttemptRecord::read(&lab.paths().autosave).expect("autosave");
    assert_eq!(saved.schema_version, 2);
    assert_eq!(saved.log, a.session.log());
    app.send(Intent::DismissFeedback);
    assert_eq!(node(&app), "channels");
    play_from_channels(&mut app);
    assert_eq!(app.screen(), Screen::Results);

    let fin = app.world().resource::<Outcome>().0.clone().expect("results");
    let r = &fin.report;
    let notes = r.decisions.iter().find(|d| d.node == "notes").expect("notes");
    assert_eq!((notes.marked(), notes.retries.len()), ((2, 3), 1));
    assert_eq!(notes.retries[0].marked(), (3, 3));
    // The first try counts: the same as the log without its retry.
    let without: Vec<_> = fin.session.log().iter().filter(|e| !matches!(e.action, Action::Retry(_))).cloned().collect();
    let scorer = Scorer::new(Arc::clone(&fin.loaded.scenario));
    let plain = scorer.score(7, &without, &Ratings::new()).expect("replay");
    assert_eq!((r.total, r.projected, r.elapsed_ms), (plain.total, plain.projected, plain.elapsed_ms));
    assert_eq!(*r, scorer.score(7, fin.session.log(), &Ratings::new()).expect("replay"));
    let folder = read_folder(&lab.records(), None).expect("records folder");
    assert_eq!(folder.records[0].1.log, fin.session.log());
}

/// channels → steps → notice → close, all as the expert.
fn play_from_channels(app: &mut App) {
    answer(app, Action::Match(vec![("web".into(), "all".into()), ("mail".into(), "big".into()), ("sign".into(), "visitors".into())]));
    answer(app, Action::Order(ids(&["book", "weigh", "waybill", "pay"])));
    answer(app, Action::Compose(ids(&["sit", "thanks"])));
    answer(app, Action::Choose("wait".into()));
}

/// No retry in exam mode (there is no card), and none once the card was read.
#[test]
fn no_retry_in_exam_mode_or_after_moving_on() {
    let lab = Lab::new();
    let mut app = lab.app(Some(Settings { exam_mode: true, ..student() }));
    begin(&mut app, 7);
    for a in [Action::Pickup, Action::Choose("company".into()), Action::Continue, Action::Choose("when".into())] {
        app.send(Intent::Answer(a));
    }
    app.send(Intent::Answer(Action::Form(vec![("dest".into(), "北京".into())])));
    assert_eq!(node(&app), "channels");
    app.send(Intent::TryAgain);
    let a = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
    assert!(!a.can_retry() && app.world().resource::<Retrying>().current(a).is_none());
    app.send(Intent::Answer(Action::Form(vec![("dest".into(), "威海".into())])));
    assert!(session(&app).log().iter().all(|e| !matches!(e.action, Action::Retry(_))), "a form answer at a match is refused, never a retry");

    let lab = Lab::new();
    let mut app = lab.app(Some(student()));
    begin(&mut app, 7);
    play_opening(&mut app);
    answer(&mut app, Action::Choose("when".into()));
    answer(&mut app, Action::Form(vec![("dest".into(), "北京".into())]));
    app.send(Intent::TryAgain);
    let a = app.world().resource::<Attempt>().0.as_ref().expect("attempt");
    assert!(app.world().resource::<Retrying>().current(a).is_none(), "the card was read: the chance is gone");
}

/// An outgoing call through the app's intents (tests/data/dial.ron): a wrong extension keyed in
/// full-width, the warehouse, the driver engaged then through. The Results screen holds the
/// core's report and the decisions show the numbers dialled.
#[test]
fn dialling_through_the_app_gives_the_core_report() {
    let lab = Lab::with_sample(&std::fs::read_to_string(repo("tests/data/dial.ron")).expect("dial file"));
    let mut app = lab.app(Some(student()));
    app.send(Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
    app.send(Intent::Pick("dial-test".into()));
    app.send(Intent::Begin { seed: Some(3) });
    assert_eq!((app.screen(), node(&app)), (Screen::Play, "call".to_string()));
    answer(&mut app, Action::Dial("８３０２".into()));
    assert_eq!(node(&app), "accounts");
    answer(&mut app, Action::Continue);
    answer(&mut app, Action::Dial("8301".into()));
    answer(&mut app, Action::Continue);
    assert_eq!(node(&app), "driver");
    answer(&mut app, Action::Dial("138 0000 1234".into()));
    assert_eq!(node(&app), "engaged");
    answer(&mut app, Action::Continue);
    answer(&mut app, Action::Dial("13800001234".into()));
    assert_eq!(app.screen(), Screen::Results);
    let fin = app.world().resource::<Outcome>().0.clone().expect("results");
    let r = &fin.report;
    let dialled: Vec<&str> = r.decisions.iter().map(|d| d.answer[0].zh.as_str()).collect();
    assert_eq!(dialled, vec!["拨 8302（财务室）：接通（打错了人）", "拨 8301（仓库 张师傅）：接通", "拨 13800001234：占线", "拨 13800001234：接通"]);
    let core = Session::replay(Arc::clone(&fin.loaded.scenario), 3, fin.session.log()).expect("replays");
    assert_eq!(*r, Scorer::new(Arc::clone(&fin.loaded.scenario)).score_session(&core, &Ratings::new()));
    assert_eq!(r.ending.as_deref(), Some("end"));
}

/// The school's LRS set up in the settings screen (issue 15): written to kefu.toml (a setting
/// with a mistake is refused with why), and a finished attempt is queued in the outbox next to
/// its record while the LRS cannot be reached (nothing listens on port 9), its statements
/// carrying the record file's own text.
#[test]
fn an_attempt_filed_while_the_lrs_is_away_waits_in_the_outbox() {
    use kefu::app::Notice;
    use kefu::lrs::config::LrsSection;
    let lab = Lab::new();
    let mut app = lab.app(Some(student()));
    let outbox = lab.dir.path().join("outbox");
    let section = LrsSection {
        endpoint: "http://127.0.0.1:9/xAPI/".into(),
        key: "kefu-lab".into(),
        secret: "s".into(),
        home_page: String::new(),
        outbox: Some(outbox.clone()),
        timeout_seconds: Some(2),
        ..Default::default()
    };
    app.send(Intent::SaveLrs(section.clone()));
    let said = app.world().resource::<Notice>().text(kefu::Lang::En).unwrap_or_default().to_string();
    assert!(said.contains("home_page"), "{said}");
    assert!(!lab.paths().lrs_file.exists(), "a setting with a mistake is not written");
    let section = LrsSection { home_page: "https://www.school.example".into(), ..section };
    app.send(Intent::SaveLrs(section.clone()));
    let written = kefu::lrs::config::read_file(&lab.paths().lrs_file).expect("kefu.toml reads back");
    assert_eq!(written.lrs, Some(section));

    begin(&mut app, 7);
    play_opening(&mut app);
    play_rest(&mut app);
    assert_eq!(app.screen(), Screen::Results);
    let folder = read_folder(&lab.records(), None).expect("records folder");
    assert_eq!(folder.records.len(), 1, "the records folder stays the source of truth");
    let (waiting, bad) = kefu::lrs::Outbox::new(&outbox).waiting();
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(waiting.len(), 1);
    let item = &waiting[0].1;
    assert_eq!(item.registration, kefu::lrs::statement::registration(&folder.records[0].1).to_string());
    let filed = std::fs::read_to_string(&folder.records[0].0).expect("record");
    let last = item.statements.last().expect("an attempt statement");
    assert_eq!(kefu::lrs::statement::record_text(last), Some(filed.as_str()));
    assert_eq!(item.statements.len(), 9, "eight decisions and the attempt");
}

/// A lab with these course scenario files (repository paths) instead of the sample.
fn course_lab(files: &[&str]) -> Lab {
    let lab = Lab::new();
    std::fs::remove_file(lab.scenarios.join("sample.ron")).expect("no sample");
    for f in files {
        let path = repo(f);
        std::fs::copy(&path, lab.scenarios.join(path.file_name().expect("a name"))).expect("copy scenario");
    }
    lab
}

fn trio() -> Vec<kefu::session::group::Member> {
    [("0024001", "张喆"), ("0024002", "李堃"), ("0024003", "王玥")].iter().map(|(id, name)| kefu::session::group::Member { id: id.to_string(), name: name.to_string() }).collect()
}

/// A three-member group plays `id` the expert's way through the app's intents; at decision
/// `pass_at` (counting from 0) whoever has it passes it to the next member. Returns the filed
/// record and what the results screen holds.
fn play_as_group(lab: &Lab, id: &str, seed: u64, pass_at: Option<usize>) -> (kefu::records::AttemptRecord, kefu::app::attempt::Finished) {
    let mut app = lab.app(None);
    app.send(Intent::SignInGroup { name: "第一组".into(), members: trio() });
    assert_eq!(app.screen(), Screen::Library);
    app.send(Intent::Pick(id.into()));
    app.send(Intent::Begin { seed: Some(seed) });
    assert_eq!(app.screen(), Screen::Play);
    let mut tried = kefu::session::autoplay::Tried::new();
    let mut decisions = 0usize;
    for _ in 0..400 {
        if app.screen() != Screen::Play {
            break;
        }
        let s = session(&app).clone();
        if s.is_ended() {
            app.send(Intent::DismissFeedback);
            continue;
        }
        let decision = s.node().kind() != "Line";
        if decision && Some(decisions) == pass_at {
            let turn = app.world().resource::<Attempt>().0.as_ref().and_then(|a| a.turn()).expect("a turn");
            app.send(Intent::PassTo((turn.member + 1) % 3));
            let after = app.world().resource::<Attempt>().0.as_ref().and_then(|a| a.turn()).expect("a turn");
            assert_eq!((after.member, after.passed_from), ((turn.member + 1) % 3, Some(turn.member)), "the screen says who took it over");
        }
        let ev = kefu::session::autoplay::next_event(&s, kefu::session::autoplay::Policy::Expert, &mut tried).expect("an answer");
        if ev.action == Action::Timeout {
            app.update();
            continue;
        }
        decisions += usize::from(decision);
        answer(&mut app, ev.action);
    }
    assert_eq!(app.screen(), Screen::Results);
    let fin = app.world().resource::<Outcome>().0.clone().expect("results");
    let folder = read_folder(&lab.records(), None).expect("records");
    assert_eq!(folder.records.len(), 1);
    (folder.records[0].1.clone(), fin)
}

/// Each member's part on the results screen is exactly the core's member score of the filed
/// record's log; the band is the group's.
fn members_are_the_cores(rec: &kefu::records::AttemptRecord, fin: &kefu::app::attempt::Finished) -> kefu::session::group::GroupPlay {
    let g = rec.group.clone().expect("a group record");
    assert_eq!(g.by.len(), rec.log.len());
    assert_eq!(rec.log, fin.session.log().to_vec());
    let scorer = Scorer::new(Arc::clone(&fin.loaded.scenario));
    let session = Session::replay(Arc::clone(&fin.loaded.scenario), rec.seed, &rec.log).expect("replays");
    assert_eq!(fin.members.len(), 3);
    for (i, m) in fin.members.iter().enumerate() {
        assert_eq!(m.report, scorer.score_member(&session, &g, i, &Ratings::new()), "member {i}");
        assert_eq!(m.report.band, fin.report.band);
    }
    g
}

#[test]
fn a_group_plays_p1t3_in_turns_with_a_pass() {
    let lab = course_lab(&["scenarios/p1t3-botched-phone-call.ron"]);
    let (rec, fin) = play_as_group(&lab, "p1t3-botched-phone-call", 3, Some(1));
    let g = members_are_the_cores(&rec, &fin);
    assert_eq!(g.passes.len(), 1);
    assert_eq!((g.passes[0].from.as_str(), g.passes[0].to.as_str()), ("0024002", "0024003"), "decision 2 was 李堃's, passed to 王玥");
    assert_eq!((fin.members[1].passed, fin.members[2].took), (1, 1));
    let decided: usize = fin.members.iter().map(|m| m.report.decisions.len()).sum();
    assert_eq!(decided, fin.report.decisions.len());
    assert_eq!(rec.player.id, "0024001", "filed under the first member");
}

#[test]
fn a_group_plays_p1t2_by_role() {
    let lab = course_lab(&["scenarios/p1t2-front-desk-visitor.ron"]);
    let (rec, fin) = play_as_group(&lab, "p1t2-front-desk-visitor", 2, None);
    members_are_the_cores(&rec, &fin);
    let caller: Vec<&str> = fin.members[1].report.decisions.iter().map(|d| d.node.as_str()).collect();
    assert_eq!(caller, vec!["followup", "reply"], "李堃 plays the follow-up caller");
    assert_eq!(fin.members[1].role.as_ref().map(|r| r.zh.as_str()), Some("回访专员"));
    assert_eq!(fin.members[0].role.as_ref().map(|r| r.zh.as_str()), Some("刘铭丽"));
}
