//! `KEFU_SCRIPTED=<folder>`: walk through every screen by itself, for `scripts/screenshots.sh`.
//!
//! Each step sends the same intents a student's clicks send (and fills the activity drafts as
//! typing would), waits for the screen to settle, then writes `<folder>/ready` holding the shot's
//! name. The script takes the screenshot and deletes `ready`; then the next step runs. At the
//! end `<folder>/done` is written and the app exits. Needs `scenarios/` with the sample
//! (`sample-every-kind`) in the working folder.
//!
//! The default walk shows every screen once: start, library, briefing, each activity and its
//! feedback, the results, the review, the customer's face annoyed (after a greeting without the
//! company's name) and pleased (a second attempt, greeting as the expert does), then the
//! teacher's screens: the lock (a password set on first use), settings, the teacher view with a
//! class dropped on it, authoring mode with its audit.
//!
//! `KEFU_SCRIPTED_SET=critical` walks a shorter set instead (issue 9): the hint button's preview,
//! an attempt with a hint and a critical error (the sample with its `hang` option marked
//! `critical`) through its feedback and results, and authoring mode's audit table.
//!
//! `KEFU_SCRIPTED_SET=frame` (issue 10) shows the shared page frame and the screens around an
//! attempt as a new student meets them: the empty start screen, a refused letter in 学号, the
//! library with a notice floating over it and the sign-out question, the briefing, an
//! unfinished attempt named by its title, the results (top and scrolled), the review opening at
//! its top, English.
//!
//! `KEFU_SCRIPTED_SET=soak` takes no screenshots: it plays attempts one after another (every
//! scenario in turn, the expert's answers and the worst ones by turns, the review after each,
//! the language and the text size switched now and then) for `KEFU_SOAK_MINUTES` (default 30), writing the number
//! of attempts to `<folder>/progress`; `scripts/measure.sh` samples the memory meanwhile.
//!
//! `KEFU_SCRIPTED_SET=lock` (issue 10) shows the teacher lock and the teacher view's paths:
//! setting the password on first use, the teacher view with its "Browse…" buttons and the note
//! when no file dialog can open, a class file dragged over the window and dropped on it, a
//! 互助与合作 rating kept for a student with no attempt, then the password asked again and a
//! wrong one refused. The teacher password of every walk is [`PIN`].
//!
//! `KEFU_SCRIPTED_SET=marking` (issue 10) shows item-level marking and the practice retry: the
//! focus ring on a choice after two Tabs, a used hint, the empty-field question, each activity's
//! card with its rows marked, "try again" and its card, the review's marked rows, P1 T3's replayed
//! narration and lines, and the pause question.
//!
//! `KEFU_SCRIPTED_SET=say` (issue 11) shows a typed reply: P1 T3 played the expert's way up to
//! the opening line, the empty text box, the box after the script typed a reply into it with
//! `xdotool type` (Chinese characters through X11's text input: the shot's name ends in
//! "-type"), the checklist the reply earned, and the caller's reaction.
//!
//! `KEFU_SCRIPTED_SET=dial` shows the outgoing call: P4 T1's internal phone with its extension
//! list, digits keyed on the keyboard, the ring-out, the wrong extension's card, the dial again,
//! the transcript, and a dial with no list (tests/data/dial.ron's driver), in English too.
//!
//! `KEFU_SCRIPTED_SET=tamper` (issue 13) shows the teacher view of a class whose records are
//! signed with a class key, one of them edited, one forged and one copied to a `.bak` file.
//!
//! `KEFU_SCRIPTED_SCALE=1.35` sets the UI scale first (as the settings screen does).

use std::path::PathBuf;
use std::time::Duration;

use bevy::prelude::*;

use bevy_state::prelude::State;

use super::authoring::{AuthorIntent, Authoring};
use super::lock::{Ask, Lock, LockIntent};
use crate::app::attempt::Attempt;
use crate::app::intent::{Intent, Note, Notice};
use super::library::Library;
use super::perf::Animate;
use super::attempt::Draft;
use super::student::play::PlayUi;
use super::student::{SignOutConfirm, start_form_fill, start_form_type_id};
use crate::app::screen::Screen;
use super::settings::Settings;
use crate::scenario::Lang;
use crate::session::autoplay::{Policy, Tried, next_event};
use crate::session::{Action, View};

#[derive(Resource)]
struct Script {
    steps: &'static [Step],
    dir: PathBuf,
    step: usize,
    phase: Phase,
    /// Where the steps start again after the last (soak), and until when.
    repeat: Option<(usize, Duration)>,
    scale: Option<f32>,
}

/// Set by a step that wants to run again after its settle time (one answer per run).
#[derive(Resource)]
struct Again;

#[derive(Clone, Copy)]
enum Phase {
    Apply,
    Settle(Duration),
    Wait,
}

struct Step {
    shot: &'static str,
    settle_ms: u64,
    apply: fn(&mut World),
}

fn send(world: &mut World, intents: &[Intent]) {
    for i in intents {
        world.write_message(i.clone());
    }
}

fn value(world: &World, key: &str) -> String {
    world.resource::<Attempt>().0.as_ref().and_then(|a| a.session.values().get(key).map(|v| v.zh.clone())).unwrap_or_default()
}

fn view(world: &World) -> Option<View> {
    world.resource::<Attempt>().0.as_ref().map(|a| a.session.view(Lang::Zh))
}

const SAMPLE: &str = "sample-every-kind";

const STEPS: &[Step] = &[
    Step { shot: "01-start", settle_ms: 1500, apply: |w| start_form_fill(w, "2024001", "王玥") },
    Step { shot: "02-library", settle_ms: 1200, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "03-briefing", settle_ms: 1000, apply: |w| send(w, &[Intent::Pick(SAMPLE.into())]) },
    Step { shot: "04-play-phone-ringing", settle_ms: 1800, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "05-feedback", settle_ms: 800, apply: |w| send(w, &[Intent::Answer(Action::Pickup)]) },
    Step { shot: "", settle_ms: 300, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "06-play-choice-with-hint", settle_ms: 1000, apply: |w| send(w, &[Intent::Hint]) },
    // A greeting without the company's name: the customer's face is annoyed on the next line.
    Step {
        shot: "07-play-line-annoyed",
        settle_ms: 1000,
        apply: |w| send(w, &[Intent::Answer(Action::Choose("hello".into())), Intent::DismissFeedback]),
    },
    Step { shot: "08-play-countdown", settle_ms: 6500, apply: |w| send(w, &[Intent::Answer(Action::Continue)]) },
    Step { shot: "09-feedback-choice", settle_ms: 800, apply: |w| send(w, &[Intent::Answer(Action::Choose("skip".into()))]) },
    Step {
        shot: "10-play-form",
        settle_ms: 1000,
        apply: |w| {
            send(w, &[Intent::DismissFeedback]);
            let (city, days) = (value(w, "city"), value(w, "days"));
            let node = view(w).map(|v| v.node().to_string()).unwrap_or_default();
            let mut d = w.resource_mut::<Draft>();
            d.node = node;
            d.form.insert("dest".into(), city);
            d.form.insert("goods".into(), "箱子".into());
            d.form.insert("days".into(), format!("{days}天"));
        },
    },
    Step {
        shot: "12-feedback-partial",
        settle_ms: 800,
        apply: |w| {
            let d = w.resource::<Draft>();
            let values = ["dest", "goods", "days"].iter().map(|k| (k.to_string(), d.form.get(*k).cloned().unwrap_or_default())).collect();
            send(w, &[Intent::Answer(Action::Form(values))]);
        },
    },
    Step {
        shot: "13-play-match",
        settle_ms: 1000,
        apply: |w| {
            send(w, &[Intent::DismissFeedback]);
            let mut d = w.resource_mut::<Draft>();
            d.node = "channels".into();
            d.placed.insert("web".into(), "all".into());
            d.placed.insert("mail".into(), "visitors".into());
        },
    },
    Step {
        shot: "14-play-order",
        settle_ms: 1000,
        apply: |w| {
            send(w, &[Intent::Answer(Action::Match(vec![("web".into(), "all".into()), ("mail".into(), "big".into()), ("sign".into(), "visitors".into())])), Intent::DismissFeedback]);
        },
    },
    Step {
        shot: "16-play-compose",
        settle_ms: 1000,
        apply: |w| {
            let want = ["book", "weigh", "pay", "waybill"];
            send(w, &[Intent::Answer(Action::Order(want.iter().map(|s| s.to_string()).collect())), Intent::DismissFeedback]);
            let mut d = w.resource_mut::<Draft>();
            d.node = "notice".into();
            d.compose = vec!["sit".into(), "thanks".into()];
        },
    },
    Step {
        shot: "18-play-last-choice",
        settle_ms: 1000,
        apply: |w| send(w, &[Intent::Answer(Action::Compose(vec!["sit".into(), "thanks".into()])), Intent::DismissFeedback]),
    },
    Step { shot: "19-feedback-end", settle_ms: 1000, apply: |w| send(w, &[Intent::Answer(Action::Choose("wait".into()))]) },
    Step { shot: "20-results", settle_ms: 1500, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "22-review", settle_ms: 1200, apply: |w| send(w, &[Intent::ShowReview]) },
    // A second attempt greeting as the expert does: the customer is pleased (then paused).
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::ToLibrary]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick(SAMPLE.into())]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Pickup), Intent::DismissFeedback]) },
    Step {
        shot: "07-play-line-pleased",
        settle_ms: 1000,
        apply: |w| send(w, &[Intent::Answer(Action::Choose("company".into())), Intent::DismissFeedback]),
    },
    // The teacher's screens: the lock first (a password set on first use), then settings, the
    // teacher view with a class dropped on it, authoring mode with its audit.
    Step { shot: "", settle_ms: 800, apply: |w| {
        lab_class(w);
        send(w, &[Intent::LeavePlay]);
    } },
    Step { shot: "24-lock", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "25-settings", settle_ms: 1200, apply: give_password },
    Step { shot: "", settle_ms: 800, apply: |w| {
        w.write_message(super::teacher::TeacherIntent::Open);
    } },
    Step { shot: "26-teacher", settle_ms: 1500, apply: |w| drag(w, true) },
    Step { shot: "", settle_ms: 600, apply: |w| {
        w.write_message(super::teacher::TeacherIntent::Close);
    } },
    Step { shot: "", settle_ms: 800, apply: |w| {
        w.write_message(AuthorIntent::Enter);
    } },
    Step { shot: "", settle_ms: 600, apply: give_password },
    Step { shot: "27-authoring", settle_ms: 2500, apply: select_for_audit },
];

/// The expert's answer at the current node (the sample's notepad, matching, ordering, compose).
fn expert_answer(w: &mut World) {
    let Some(v) = view(w) else { return };
    let action = match v {
        View::Form { .. } => Action::Form(vec![("dest".into(), value(w, "city")), ("goods".into(), value(w, "goods")), ("days".into(), value(w, "days"))]),
        View::Match { .. } => Action::Match(vec![("web".into(), "all".into()), ("mail".into(), "big".into()), ("sign".into(), "visitors".into())]),
        View::Order { .. } => Action::Order(["book", "weigh", "waybill", "pay"].iter().map(|s| s.to_string()).collect()),
        View::Compose { .. } => Action::Compose(vec!["sit".into(), "thanks".into()]),
        _ => return,
    };
    send(w, &[Intent::Answer(action), Intent::DismissFeedback]);
}

/// The authoring screen's file to show the audit of: the first course scenario that loads
/// cleanly (they mark critical errors), else the sample.
fn select_for_audit(w: &mut World) {
    let a = w.resource::<Authoring>();
    let pick = a
        .files
        .iter()
        .filter(|f| f.playable().is_some())
        .find(|f| f.name.starts_with("p1t1"))
        .or_else(|| a.files.iter().find(|f| f.playable().is_some()))
        .map(|f| f.path.clone());
    if let Some(p) = pick {
        w.write_message(AuthorIntent::Select(p));
    }
}

/// Select the authoring file called `name`.
fn select_named(w: &mut World, name: &str) {
    let path = w.resource::<Authoring>().files.iter().find(|f| f.name == name).map(|f| f.path.clone());
    if let Some(p) = path {
        w.write_message(AuthorIntent::Select(p));
    }
}

/// Issue 9: the hint preview, a critical error with a hint in the results, the audit table.
const CRITICAL_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 800, apply: |w| start_form_fill(w, "2024001", "王玥") },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick(SAMPLE.into())]) },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "play-hint-preview", settle_ms: 1200, apply: |w| send(w, &[Intent::Answer(Action::Pickup), Intent::DismissFeedback]) },
    Step { shot: "play-hint-preview-hover", settle_ms: 1200, apply: |_| {} },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Hint]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Choose("company".into())), Intent::DismissFeedback]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Continue)]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Choose("when".into())), Intent::DismissFeedback]) },
    Step { shot: "", settle_ms: 500, apply: expert_answer },
    Step { shot: "", settle_ms: 500, apply: expert_answer },
    Step { shot: "", settle_ms: 500, apply: expert_answer },
    Step { shot: "", settle_ms: 500, apply: expert_answer },
    Step { shot: "feedback-critical", settle_ms: 1200, apply: |w| send(w, &[Intent::Answer(Action::Choose("hang".into()))]) },
    Step { shot: "results-critical", settle_ms: 1500, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "results-critical-en", settle_ms: 1200, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
    Step { shot: "results-critical-half", settle_ms: 1200, apply: |w| send(w, &[Intent::SetLang(Lang::Zh)]) },
    Step { shot: "results-critical-bottom", settle_ms: 1200, apply: |_| {} },
    Step { shot: "", settle_ms: 1200, apply: |w| {
        w.write_message(AuthorIntent::Enter);
    } },
    Step { shot: "", settle_ms: 1200, apply: give_password },
    Step { shot: "authoring-audit", settle_ms: 2500, apply: select_for_audit },
    Step { shot: "authoring-audit-scrolled", settle_ms: 1200, apply: |_| {} },
    // The sample's audit has warnings (naive strategies that score well).
    Step { shot: "authoring-audit-warnings", settle_ms: 2500, apply: |w| select_named(w, "sample.ron") },
];

/// Issue 10: the page frame and the screens around an attempt (see the module comment).
const FRAME_STEPS: &[Step] = &[
    Step { shot: "frame-start-empty", settle_ms: 1500, apply: |_| {} },
    Step {
        shot: "frame-start-refused",
        settle_ms: 800,
        apply: |w| {
            start_form_type_id(w, "2024abc");
            start_form_fill_name(w, "王玥");
        },
    },
    // Tab four times (学号, 姓名, 中文, English): the focus ring on a button.
    Step { shot: "", settle_ms: 300, apply: press_tab },
    Step { shot: "", settle_ms: 300, apply: press_tab },
    Step { shot: "", settle_ms: 300, apply: press_tab },
    Step { shot: "frame-start-focus-ring", settle_ms: 800, apply: press_tab },
    Step { shot: "frame-library", settle_ms: 1200, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step {
        shot: "frame-library-notice",
        settle_ms: 800,
        apply: |w| {
            w.resource_mut::<Notice>().set(Note::new("记录文件夹 //lab-server/kefu/records 暂时无法写入：记录先保存在这台电脑上，网络恢复后会自动补交。", "The records folder //lab-server/kefu/records cannot be written for now: records are kept on this PC and filed when the network is back."));
        },
    },
    Step {
        shot: "frame-sign-out-confirm",
        settle_ms: 800,
        apply: |w| {
            w.resource_mut::<Notice>().0 = None;
            w.resource_mut::<SignOutConfirm>().0 = true;
        },
    },
    Step {
        shot: "frame-briefing",
        settle_ms: 1200,
        apply: |w| {
            w.resource_mut::<SignOutConfirm>().0 = false;
            send(w, &[Intent::Pick(COURSE.into())]);
        },
    },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "", settle_ms: 400, apply: |w| play_on(w, Policy::Expert, 3) },
    Step { shot: "frame-library-resume", settle_ms: 1200, apply: |w| send(w, &[Intent::LeavePlay]) },
    Step { shot: "frame-start-resume", settle_ms: 1200, apply: |w| send(w, &[Intent::SignOut]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Resume]) },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Worst, usize::MAX) },
    Step { shot: "frame-results", settle_ms: 1500, apply: |_| {} },
    Step { shot: "frame-results-scrolled", settle_ms: 1000, apply: |_| {} },
    Step { shot: "frame-review-top", settle_ms: 1200, apply: |w| send(w, &[Intent::ShowReview]) },
    Step { shot: "frame-results-en", settle_ms: 1200, apply: |w| send(w, &[Intent::SetLang(Lang::En), Intent::ShowResults]) },
    Step { shot: "frame-library-en", settle_ms: 1200, apply: |w| send(w, &[Intent::ToLibrary]) },
    Step { shot: "frame-briefing-en", settle_ms: 1200, apply: |w| send(w, &[Intent::Pick(COURSE.into())]) },
    Step { shot: "frame-start-en", settle_ms: 1200, apply: |w| send(w, &[Intent::SignOut]) },
];

/// The course scenario the frame set plays (its briefing is a real one).
const COURSE: &str = "p1t1-detour-notice";

fn start_form_fill_name(w: &mut World, name: &str) {
    let (id, _) = super::student::start_form(w);
    start_form_fill(w, &id, name);
}

/// Soak: how many attempts so far and the autoplay's memory of options tried.
#[derive(Resource, Default)]
struct Soak {
    attempts: usize,
    answers: usize,
    /// Answers given by the current `play_on` step.
    in_step: usize,
    tried: Tried,
}

/// Issue 10: attempts one after another for `KEFU_SOAK_MINUTES` (from step 1 on, repeated).
const SOAK_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 500, apply: soak_pick },
    Step { shot: "", settle_ms: 500, apply: |w| send(w, &[Intent::Begin { seed: None }]) },
    Step {
        shot: "",
        settle_ms: 250,
        apply: |w| {
            let policy = if w.resource::<Soak>().attempts % 2 == 0 { Policy::Expert } else { Policy::Worst };
            play_on(w, policy, 300);
        },
    },
    Step { shot: "", settle_ms: 1000, apply: |_| {} },
    Step { shot: "", settle_ms: 700, apply: |w| send(w, &[Intent::ShowReview]) },
    Step { shot: "", settle_ms: 500, apply: |w| send(w, &[Intent::ShowResults]) },
    Step { shot: "", settle_ms: 700, apply: soak_library },
];

/// Pick the next scenario of the library in turn.
fn soak_pick(w: &mut World) {
    w.init_resource::<Soak>();
    let n = w.resource::<Soak>().attempts;
    let lib = w.resource::<Library>();
    if lib.entries.is_empty() {
        return;
    }
    let id = lib.entries[n % lib.entries.len()].loaded.scenario.id.clone();
    w.resource_mut::<Soak>().tried.clear();
    send(w, &[Intent::Pick(id)]);
}

/// Back to the library; every fourth attempt in the other language. Counts the attempt.
fn soak_library(w: &mut World) {
    let mut intents = vec![Intent::ToLibrary];
    let mut soak = w.resource_mut::<Soak>();
    soak.attempts += 1;
    let (attempts, answers) = (soak.attempts, soak.answers);
    if attempts % 4 == 0 {
        let lang = if w.resource::<Settings>().lang == Lang::Zh { Lang::En } else { Lang::Zh };
        intents.push(Intent::SetLang(lang));
    }
    // Now and then the other text size (every glyph is drawn anew at the new scale).
    if attempts % 6 == 0
        && let Some(mut settings) = w.get_resource_mut::<Settings>()
    {
        settings.ui_scale = if settings.ui_scale > 1.2 { 1.0 } else { 1.35 };
    }
    send(w, &intents);
    if let Some(script) = w.get_resource::<Script>() {
        let _ = std::fs::write(script.dir.join("progress"), format!("attempts {attempts} answers {answers}\n"));
    }
}

/// Answer the current node as `policy` would (the worst answers without waiting out a timer:
/// a timeout would be refused before its time, so there the expert's answer is given), and read
/// the feedback; again after the settle time while the attempt goes on, up to `cap` answers.
fn play_on(w: &mut World, policy: Policy, cap: usize) {
    w.init_resource::<Soak>();
    let session = w.resource::<Attempt>().0.as_ref().map(|a| a.session.clone());
    let playing = *w.resource::<State<Screen>>().get() == Screen::Play;
    let Some(session) = session.filter(|s| playing && !s.is_ended()) else {
        w.resource_mut::<Soak>().in_step = 0;
        return;
    };
    let mut soak = w.resource_mut::<Soak>();
    let event = match next_event(&session, policy, &mut soak.tried) {
        Ok(e) if policy == Policy::Worst && e.action == Action::Timeout => next_event(&session, Policy::Expert, &mut soak.tried),
        other => other,
    };
    let Ok(event) = event else {
        soak.in_step = 0;
        return;
    };
    soak.answers += 1;
    soak.in_step += 1;
    let again = soak.in_step < cap;
    if !again {
        soak.in_step = 0;
    }
    send(w, &[Intent::Answer(event.action), Intent::DismissFeedback]);
    if again {
        w.insert_resource(Again);
    }
}

pub(super) fn plugin(app: &mut App) {
    let Some(dir) = std::env::var_os("KEFU_SCRIPTED").map(PathBuf::from) else { return };
    let set = std::env::var("KEFU_SCRIPTED_SET").unwrap_or_default();
    let steps = match set.as_str() {
        "critical" => CRITICAL_STEPS,
        "frame" => FRAME_STEPS,
        "lock" => LOCK_STEPS,
        "soak" => SOAK_STEPS,
        "marking" => MARKING_STEPS,
        "say" => SAY_STEPS,
        "table" => TABLE_STEPS,
        "dial" => DIAL_STEPS,
        "tamper" => TAMPER_STEPS,
        "map" => MAP_STEPS,
        "lrs" => LRS_STEPS,
        "group" => GROUP_STEPS,
        _ => STEPS,
    };
    let repeat = (set == "soak").then(|| {
        let minutes = std::env::var("KEFU_SOAK_MINUTES").ok().and_then(|m| m.parse::<f64>().ok()).unwrap_or(30.0);
        (1, Duration::from_secs_f64(minutes.max(0.0) * 60.0))
    });
    let scale = std::env::var("KEFU_SCRIPTED_SCALE").ok().and_then(|s| s.parse::<f32>().ok());
    let _ = std::fs::create_dir_all(&dir);
    for f in ["ready", "done", "progress"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    app.init_resource::<Soak>()
        .insert_resource(Script { steps, dir, step: 0, phase: Phase::Apply, repeat, scale })
        .add_systems(Update, run_script);
}

fn run_script(world: &mut World) {
    let now = world.resource::<Time<Real>>().elapsed();
    // Keep waking up (reactive mode would otherwise sleep between steps).
    world.resource_mut::<Animate>().0 = true;
    let Some(mut script) = world.remove_resource::<Script>() else { return };
    if let Some(scale) = script.scale.take()
        && let Some(mut settings) = world.get_resource_mut::<Settings>()
    {
        settings.ui_scale = scale;
    }
    let ready = script.dir.join("ready");
    match script.phase {
        Phase::Apply => {
            if script.step >= script.steps.len()
                && let Some((from, until)) = script.repeat
                && now < until
            {
                script.step = from;
            }
            if let Some(step) = script.steps.get(script.step) {
                // The script lives outside the world while a step runs: a step that writes
                // progress finds it through `Script` only when put back, so put it back first.
                let apply = step.apply;
                script.phase = Phase::Settle(now);
                world.insert_resource(script);
                apply(world);
                return;
            } else {
                let _ = std::fs::write(script.dir.join("done"), "done\n");
                world.write_message(AppExit::Success);
            }
        }
        Phase::Settle(t0) => {
            let step = &script.steps[script.step];
            if now.saturating_sub(t0) >= Duration::from_millis(step.settle_ms) {
                if world.remove_resource::<Again>().is_some() {
                    script.phase = Phase::Apply;
                } else if step.shot.is_empty() {
                    script.step += 1;
                    script.phase = Phase::Apply;
                } else {
                    let _ = std::fs::write(&ready, step.shot);
                    script.phase = Phase::Wait;
                }
            }
        }
        Phase::Wait => {
            if !ready.exists() {
                script.step += 1;
                script.phase = Phase::Apply;
            }
        }
    }
    world.insert_resource(script);
}

/// The teacher password of the scripted walks.
const PIN: &str = "2468";

/// Answer the teacher lock as a teacher would: set [`PIN`] on first use, else enter it.
fn give_password(w: &mut World) {
    let ask = w.resource::<Lock>().prompt.as_ref().map(|p| p.ask.clone());
    match ask {
        Some(Ask::Set) => {
            w.write_message(LockIntent::Set { password: PIN.into(), repeat: PIN.into() });
        }
        Some(Ask::Enter) => {
            w.write_message(LockIntent::Enter(PIN.into()));
        }
        _ => {}
    }
}

/// The class the lock walk drops on the teacher view (beside the walk's files): 王玥 and 李堃
/// played the sample, 赵一 did not.
fn class_csv(w: &World) -> PathBuf {
    w.resource::<Script>().dir.join("物流2401班.csv")
}

fn drag(w: &mut World, drop: bool) {
    let window = w.query_filtered::<Entity, With<bevy::window::PrimaryWindow>>().iter(w).next().unwrap_or(Entity::PLACEHOLDER);
    let path_buf = class_csv(w);
    let m = if drop { bevy::window::FileDragAndDrop::DroppedFile { window, path_buf } } else { bevy::window::FileDragAndDrop::HoveredFile { window, path_buf } };
    w.write_message(m);
}

/// The class CSV and two finished attempts at the sample in the records folder.
fn lab_class(w: &mut World) {
    use crate::records::{AttemptRecord, Player, store::save_record};
    let csv = class_csv(w);
    let _ = std::fs::write(&csv, "学号,姓名,组别,组长\n2024001,王玥,第一组,是\n2024002,李堃,第一组,\n2024003,赵一,第一组,\n");
    let settings = w.resource::<Settings>().clone();
    let (records, _) = w.resource::<super::settings::AppPaths>().records_dir(&settings);
    let Some(loaded) = w.resource::<Library>().find(SAMPLE).map(|e| e.loaded.clone()) else { return };
    for (seed, id, name, policy) in [(7, "2024001", "王玥", crate::session::autoplay::Policy::Expert), (8, "2024002", "李堃", crate::session::autoplay::Policy::Worst)] {
        let Ok(session) = crate::session::autoplay::play(&loaded.scenario, seed, policy) else { continue };
        let mut r = AttemptRecord::start(&session, &loaded.hash, Player { id: id.into(), name: name.into(), group: None });
        r.sync(&session);
        let _ = save_record(&records, &r, None);
    }
}

/// Issue 13: a class key on this PC, three signed attempts, then one edited (its seed), one
/// forged without a seal, and a copy renamed to `.bak`: what the teacher view shows.
fn tampered_class(w: &mut World) {
    use crate::records::{AttemptRecord, Player, seal::ClassKey, store::save_record};
    let csv = class_csv(w);
    let _ = std::fs::write(&csv, "学号,姓名,组别,组长\n2024001,王玥,第一组,是\n2024002,李堃,第一组,\n2024003,赵一,第一组,\n");
    let settings = w.resource::<Settings>().clone();
    let paths = w.resource::<super::settings::AppPaths>().clone();
    let (records, _) = paths.records_dir(&settings);
    let Some(key_file) = paths.key_file.clone() else { return };
    if let Some(d) = key_file.parent() {
        let _ = std::fs::create_dir_all(d);
    }
    let key = ClassKey::generate();
    let _ = std::fs::write(&key_file, key.to_file_text());
    let Some(loaded) = w.resource::<Library>().find(SAMPLE).map(|e| e.loaded.clone()) else { return };
    let record = |seed, id: &str, name: &str, policy| {
        let session = crate::session::autoplay::play(&loaded.scenario, seed, policy).ok()?;
        let mut r = AttemptRecord::start(&session, &loaded.hash, Player { id: id.into(), name: name.into(), group: None });
        r.sync(&session);
        Some(r)
    };
    use crate::session::autoplay::Policy;
    if let Some(r) = record(7, "2024001", "王玥", Policy::Expert)
        && let Ok(p) = save_record(&records, &r, Some(&key))
    {
        let _ = std::fs::copy(&p, records.join("王玥-备份.ron.bak"));
    }
    if let Some(r) = record(8, "2024002", "李堃", Policy::Worst)
        && let Ok(p) = save_record(&records, &r, Some(&key))
        && let Ok(t) = std::fs::read_to_string(&p)
    {
        let _ = std::fs::write(&p, t.replacen("seed: 8,", "seed: 7,", 1));
    }
    if let Some(r) = record(7, "2024003", "赵一", Policy::Expert) {
        let _ = std::fs::write(records.join("sample-every-kind_2024003_forged.ron"), r.to_ron());
    }
}

/// Issue 13: the teacher view of a class with tampered records (see [`tampered_class`]).
/// Select the authoring file whose name starts with `prefix` and show its map.
fn map_of(w: &mut World, prefix: &str) {
    let path = w.resource::<Authoring>().files.iter().find(|f| f.name.starts_with(prefix)).map(|f| f.path.clone());
    if let Some(p) = path {
        w.write_message(AuthorIntent::Select(p));
        w.write_message(AuthorIntent::Show(super::authoring::View::Map));
    }
}

/// Issue 14: the map of every course scenario in authoring mode, a node's panel, a file with
/// errors (tests/data/map-problems.ron, copied in by the script).
const MAP_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 1200, apply: |w| {
        w.write_message(AuthorIntent::Enter);
    } },
    Step { shot: "", settle_ms: 1200, apply: give_password },
    Step { shot: "map-p1t1", settle_ms: 2500, apply: |w| map_of(w, "p1t1") },
    Step { shot: "map-p1t2", settle_ms: 2500, apply: |w| map_of(w, "p1t2") },
    Step { shot: "map-p1t3", settle_ms: 2500, apply: |w| map_of(w, "p1t3") },
    Step { shot: "map-p1t3-node", settle_ms: 1500, apply: |w| {
        w.write_message(AuthorIntent::MapSelect(Some("focus".into())));
    } },
    Step { shot: "map-p2t1", settle_ms: 2500, apply: |w| map_of(w, "p2t1") },
    Step { shot: "map-p2t2", settle_ms: 2500, apply: |w| map_of(w, "p2t2") },
    Step { shot: "map-p3t1", settle_ms: 2500, apply: |w| map_of(w, "p3t1") },
    Step { shot: "map-p3t2", settle_ms: 2500, apply: |w| map_of(w, "p3t2") },
    Step { shot: "map-p4t1", settle_ms: 2500, apply: |w| map_of(w, "p4t1") },
    Step { shot: "map-p4t2", settle_ms: 2500, apply: |w| map_of(w, "p4t2") },
    Step { shot: "map-s2", settle_ms: 2500, apply: |w| map_of(w, "s2-") },
    Step { shot: "map-s3", settle_ms: 2500, apply: |w| map_of(w, "s3-") },
    Step { shot: "map-s4", settle_ms: 2500, apply: |w| map_of(w, "s4-") },
    Step { shot: "map-problems", settle_ms: 2500, apply: |w| map_of(w, "map-problems") },
    Step { shot: "map-problems-node", settle_ms: 1500, apply: |w| {
        w.write_message(AuthorIntent::MapSelect(Some("greet".into())));
    } },
    Step { shot: "map-problems-en", settle_ms: 1500, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
];

/// Issue 15: an attempt filed while the school's LRS (kefu.toml in the working folder, written by
/// the script, pointing where nothing answers) is away; the settings screen's LRS card says it
/// waits.
const LRS_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick(SAMPLE.into())]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 300) },
    Step { shot: "", settle_ms: 3000, apply: |w| send(w, &[Intent::ToLibrary]) },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "lrs-settings-bottom", settle_ms: 1500, apply: give_password },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::CloseSettings]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "lrs-settings-en-bottom", settle_ms: 1500, apply: give_password },
];

/// Issue 16: a group of three plays P1 T2 together (by role: the front desk and the follow-up
/// caller): the start screen with the members typed, the turn bar, a pass, each member's part
/// on the results.
const GROUP_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 800, apply: |w| {
        let mut f = w.resource_mut::<super::student::StartForm>();
        f.team_name = "第一组".into();
        f.team_text = "2024001 王玥\n2024002 李堃\n2024003 赵一".into();
    } },
    Step { shot: "group-start-bottom", settle_ms: 1200, apply: |_| {} },
    Step { shot: "", settle_ms: 1000, apply: |w| {
        let members = super::student::start::parse_members(&w.resource::<super::student::StartForm>().team_text).unwrap_or_default();
        send(w, &[Intent::SignInGroup { name: "第一组".into(), members }]);
    } },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick("p1t2-front-desk-visitor".into())]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Begin { seed: Some(2) }]) },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 4) },
    Step { shot: "group-play", settle_ms: 1500, apply: |_| {} },
    Step { shot: "group-pass", settle_ms: 1500, apply: |w| {
        let turn = w.resource::<Attempt>().0.as_ref().and_then(|a| a.turn()).map_or(0, |t| t.member);
        send(w, &[Intent::PassTo((turn + 2) % 3)]);
    } },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 300) },
    Step { shot: "group-results", settle_ms: 2000, apply: |_| {} },
    Step { shot: "group-results-en", settle_ms: 1500, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
    // Projector mode: the class watches the group play P1 T3 in turns, then the review one
    // decision at a time.
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SetLang(Lang::Zh), Intent::SetProjector(true), Intent::ToLibrary]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick("p1t3-botched-phone-call".into())]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Begin { seed: Some(3) }]) },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 9) },
    Step { shot: "projector-play", settle_ms: 1500, apply: |_| {} },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 300) },
    Step { shot: "", settle_ms: 1200, apply: |_| {} },
    Step { shot: "projector-review", settle_ms: 1500, apply: |w| send(w, &[Intent::ShowReview]) },
    // The teacher's grade sheet of the class: the group's members credited from the group
    // attempts, with their part in the notes.
    Step { shot: "", settle_ms: 800, apply: |w| {
        lab_class(w);
        send(w, &[Intent::SetProjector(false), Intent::ToLibrary]);
    } },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "", settle_ms: 1200, apply: give_password },
    Step { shot: "", settle_ms: 1200, apply: |w| {
        w.write_message(super::teacher::TeacherIntent::Open);
    } },
    Step { shot: "", settle_ms: 1500, apply: |w| drag(w, true) },
    Step { shot: "group-teacher", settle_ms: 1500, apply: |w| {
        w.write_message(super::teacher::TeacherIntent::PickTask("p1t2-front-desk-visitor".into()));
    } },
];

const TAMPER_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 600, apply: |w| {
        tampered_class(w);
        send(w, &[Intent::SignOut]);
    } },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "", settle_ms: 1200, apply: give_password },
    Step { shot: "", settle_ms: 1200, apply: |w| {
        w.write_message(super::teacher::TeacherIntent::Open);
    } },
    Step { shot: "tamper-teacher", settle_ms: 1500, apply: |w| drag(w, true) },
    Step { shot: "tamper-teacher-en", settle_ms: 1500, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
];

/// Issue 10: the teacher lock and the teacher view's paths (see the module comment).
const LOCK_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 600, apply: |w| {
        lab_class(w);
        send(w, &[Intent::SignOut]);
    } },
    Step { shot: "lock-set", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "lock-settings", settle_ms: 1200, apply: give_password },
    Step { shot: "teacher-open", settle_ms: 1200, apply: |w| {
        w.write_message(super::teacher::TeacherIntent::Open);
    } },
    Step { shot: "teacher-no-dialog", settle_ms: 1200, apply: |w| {
        let start = Some(class_csv(w));
        w.write_message(super::dialog::Browse { field: super::dialog::Field::ClassFile, kind: super::dialog::Kind::Open(Vec::new()), title: "打开班级文件".into(), start });
    } },
    Step { shot: "teacher-drop", settle_ms: 1200, apply: |w| drag(w, false) },
    Step { shot: "teacher-dropped", settle_ms: 1500, apply: |w| drag(w, true) },
    Step { shot: "teacher-no-attempt", settle_ms: 1200, apply: |w| {
        w.write_message(super::teacher::TeacherIntent::Rate { task: SAMPLE.into(), student: "2024003".into(), key: "cooperation".into(), points: Some(7) });
    } },
    Step { shot: "", settle_ms: 600, apply: |w| {
        w.write_message(super::teacher::TeacherIntent::Close);
    } },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::CloseSettings]) },
    Step { shot: "lock-ask", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "lock-wrong", settle_ms: 1200, apply: |w| {
        w.write_message(LockIntent::Enter("1357".into()));
    } },
    Step { shot: "", settle_ms: 400, apply: |w| {
        w.write_message(LockIntent::Enter("0000".into()));
    } },
    // Long enough for the countdown's digits to be drawn.
    Step { shot: "lock-wait", settle_ms: 2600, apply: |w| {
        w.write_message(LockIntent::Enter("9999".into()));
    } },
    Step { shot: "lock-ask-en", settle_ms: 1200, apply: |w| {
        w.write_message(LockIntent::Cancel);
        send(w, &[Intent::SetLang(Lang::En), Intent::OpenSettings]);
    } },
];

// ---- KEFU_SCRIPTED_SET=marking (issue 10): item-level marking and the practice retry ----
//
// The sample at seed 7: Tab twice on the first choice (the focus ring on option 2, pressed in
// the app), notes with one field wrong and one empty (the
// card marks each field), "try again" with the first answer still in the form and the wrong
// rows marked, the retry's card, a match, an order and a compose each marked, then the review.

/// Press Tab, as the keyboard would (one press per frame: egui moves the focus once a frame).
/// Done in the app: without a window manager, keys sent to the X server may not reach it.
fn press_tab(w: &mut World) {
    let mut inputs = w.query_filtered::<&mut bevy_egui::EguiInput, With<bevy_egui::PrimaryEguiContext>>();
    if let Ok(mut input) = inputs.single_mut(w) {
        for pressed in [true, false] {
            input.events.push(bevy_egui::egui::Event::Key { key: bevy_egui::egui::Key::Tab, physical_key: None, pressed, repeat: false, modifiers: Default::default() });
        }
    }
}

/// Keys typed on the keyboard (text, then Enter when `enter`), as egui receives them.
fn type_keys(w: &mut World, text: &str, enter: bool) {
    let mut inputs = w.query_filtered::<&mut bevy_egui::EguiInput, With<bevy_egui::PrimaryEguiContext>>();
    if let Ok(mut input) = inputs.single_mut(w) {
        for c in text.chars() {
            input.events.push(bevy_egui::egui::Event::Text(c.to_string()));
        }
        if enter {
            for pressed in [true, false] {
                input.events.push(bevy_egui::egui::Event::Key { key: bevy_egui::egui::Key::Enter, physical_key: None, pressed, repeat: false, modifiers: Default::default() });
            }
        }
    }
}

/// Type the notes into the form as a student would, then submit them.
fn marking_notes(w: &mut World, goods: &str, days: &str) {
    let city = value(w, "city");
    let mut d = w.resource_mut::<Draft>();
    d.node = "notes".into();
    d.form = [("dest", city.as_str()), ("goods", goods), ("days", days)].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let values = d.form.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    send(w, &[Intent::Answer(Action::Form(values))]);
}

/// Answer the expert's way until the node `target` is shown (one answer per run).
fn expert_until(w: &mut World, target: &str) {
    let Some(session) = w.resource::<Attempt>().0.as_ref().map(|a| a.session.clone()) else { return };
    if session.node_id() == target || session.is_ended() {
        return;
    }
    let Ok(event) = next_event(&session, Policy::Expert, &mut Tried::new()) else { return };
    send(w, &[Intent::Answer(event.action), Intent::DismissFeedback]);
    w.insert_resource(Again);
}

/// What the student typed into the reply box (by `xdotool type` in the screenshot script).
fn say_typed(w: &mut World) {
    let typed = w.resource::<Draft>().say.clone();
    let _ = std::fs::write(w.resource::<Script>().dir.join("typed"), &typed);
    send(w, &[Intent::Answer(Action::Say(typed))]);
}

const SAY_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 800, apply: |w| start_form_fill(w, "2024001", "王玥") },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Pick("p1t3-botched-phone-call".into())]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Begin { seed: Some(5) }]) },
    Step { shot: "", settle_ms: 400, apply: |w| expert_until(w, "open") },
    Step { shot: "play-say", settle_ms: 1500, apply: |_| {} },
    Step { shot: "play-say-type", settle_ms: 800, apply: |_| {} },
    Step { shot: "feedback-say", settle_ms: 1500, apply: say_typed },
    Step { shot: "play-say-reaction", settle_ms: 1200, apply: |w| send(w, &[Intent::DismissFeedback]) },
];

/// The ABC table as a careful student fills it, with one slip (row 1's cumulative revenue)
/// carried on: the rest of the table worked out from it.
fn one_slip_table() -> Vec<Vec<String>> {
    let order = [("4", 740.0), ("1", 590.0), ("2", 140.0), ("5", 120.0), ("3", 100.0), ("6", 68.0), ("7", 50.0), ("8", 50.0), ("10", 40.0), ("12", 40.0), ("9", 20.0), ("14", 20.0), ("11", 12.0), ("13", 10.0)];
    let mut cum = -36.0;
    order
        .iter()
        .map(|(c, r)| {
            cum += r;
            let share = cum / 2000.0 * 100.0;
            let class = if share <= 80.0 { "A" } else if share <= 90.0 { "B" } else { "C" };
            vec![c.to_string(), String::new(), format!("{:.1}", r / 20.0), format!("{cum}"), format!("{share:.1}"), class.to_string()]
        })
        .collect()
}

/// What the keyboard typed into the table (by `xdotool` in the screenshot script): rows joined
/// by `|`, cells by `,`, the empty rows left out.
fn table_typed(w: &mut World) {
    let rows: Vec<String> = w.resource::<Draft>().table.iter().map(|r| r.join(",")).filter(|r| r.chars().any(|c| c != ',')).collect();
    let _ = std::fs::write(w.resource::<Script>().dir.join("table-typed"), rows.join("|"));
}

const TABLE_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 800, apply: |w| start_form_fill(w, "2024001", "王玥") },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Pick("p3t1-abc-classification".into())]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Begin { seed: Some(0) }]) },
    Step { shot: "", settle_ms: 400, apply: |w| expert_until(w, "abc_table") },
    Step { shot: "play-table", settle_ms: 1500, apply: |_| {} },
    Step { shot: "play-table-keys", settle_ms: 800, apply: |_| {} },
    Step {
        shot: "play-table-filled-bottom",
        settle_ms: 1500,
        apply: |w| {
            table_typed(w);
            w.resource_mut::<Draft>().table = one_slip_table();
        },
    },
    Step {
        shot: "feedback-table",
        settle_ms: 1500,
        apply: |w| {
            let cells = w.resource::<Draft>().table.clone();
            send(w, &[Intent::Answer(Action::Table(cells))]);
        },
    },
    Step { shot: "feedback-table-bottom", settle_ms: 800, apply: |_| {} },
    Step { shot: "", settle_ms: 300, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "", settle_ms: 300, apply: |w| play_on(w, Policy::Expert, 40) },
    Step { shot: "results-table", settle_ms: 1500, apply: |w| send(w, &[Intent::ShowResults]) },
    Step { shot: "review-table-half", settle_ms: 1500, apply: |w| send(w, &[Intent::ShowReview]) },
];

/// The outgoing call (`Dial`): P4 T1's internal phone keyed from the keyboard (a wrong
/// extension first, its ring-out and card, the dial again with one try counted, then 8206 and
/// the transcript), then tests/data/dial.ron's driver, whose number no list gives.
const DIAL_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 800, apply: |w| start_form_fill(w, "2024001", "王玥") },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Pick("p4t1-receiving-a-visitor".into())]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Begin { seed: Some(0) }]) },
    Step { shot: "", settle_ms: 400, apply: |w| expert_until(w, "directory") },
    Step { shot: "play-dial", settle_ms: 1500, apply: |_| {} },
    Step { shot: "play-dial-typed", settle_ms: 800, apply: |w| type_keys(w, "82", false) },
    Step { shot: "play-dial-ringing", settle_ms: 600, apply: |w| type_keys(w, "01", true) },
    Step { shot: "feedback-dial", settle_ms: 1800, apply: |_| {} },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Continue)]) },
    Step { shot: "play-dial-again", settle_ms: 800, apply: |w| type_keys(w, "８２０６", false) },
    Step { shot: "", settle_ms: 2000, apply: |w| type_keys(w, "", true) },
    Step { shot: "play-dial-transcript", settle_ms: 1000, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::LeavePlay]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Pick("dial-test".into())]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Begin { seed: Some(0) }]) },
    Step { shot: "", settle_ms: 400, apply: |w| expert_until(w, "driver") },
    Step { shot: "play-dial-no-directory", settle_ms: 1200, apply: |w| type_keys(w, "138", false) },
    Step { shot: "play-dial-en", settle_ms: 1000, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
];

const MARKING_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 800, apply: |w| start_form_fill(w, "2024001", "王玥") },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick(SAMPLE.into())]) },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::Answer(Action::Pickup), Intent::DismissFeedback]) },
    Step { shot: "", settle_ms: 500, apply: press_tab },
    Step { shot: "play-focus", settle_ms: 800, apply: press_tab },
    Step { shot: "play-hint-used", settle_ms: 1000, apply: |w| send(w, &[Intent::Hint]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Choose("company".into())), Intent::DismissFeedback]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Continue)]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Choose("when".into())), Intent::DismissFeedback]) },
    // The form sent with a field empty: the question first (as the submit button asks it).
    Step {
        shot: "play-blank-confirm",
        settle_ms: 1000,
        apply: |w| {
            let city = value(w, "city");
            let values: Vec<(String, String)> = vec![("dest".into(), city), ("goods".into(), "不知道".into()), ("days".into(), String::new())];
            let mut d = w.resource_mut::<Draft>();
            d.node = "notes".into();
            d.form = values.iter().cloned().collect();
            w.resource_mut::<PlayUi>().confirm_blank = Some((vec!["要求几天内到".into()], Action::Form(values)));
        },
    },
    Step { shot: "", settle_ms: 500, apply: |w| w.resource_mut::<PlayUi>().confirm_blank = None },
    Step { shot: "feedback-marked-form", settle_ms: 1200, apply: |w| marking_notes(w, "不知道", "") },
    Step { shot: "play-retry", settle_ms: 1200, apply: |w| send(w, &[Intent::TryAgain]) },
    Step {
        shot: "feedback-retry",
        settle_ms: 1200,
        apply: |w| {
            let goods = value(w, "goods");
            let days = value(w, "days");
            marking_notes(w, &goods, &format!("{days}天"));
        },
    },
    Step { shot: "", settle_ms: 500, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step {
        shot: "feedback-marked",
        settle_ms: 1200,
        apply: |w| send(w, &[Intent::Answer(Action::Match(vec![("web".into(), "all".into()), ("mail".into(), "visitors".into()), ("sign".into(), "big".into())]))]),
    },
    Step { shot: "", settle_ms: 500, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step {
        shot: "feedback-marked-order",
        settle_ms: 1200,
        apply: |w| send(w, &[Intent::Answer(Action::Order(["book", "waybill", "weigh", "pay"].iter().map(|s| s.to_string()).collect()))]),
    },
    Step { shot: "", settle_ms: 500, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "feedback-marked-compose", settle_ms: 1200, apply: |w| send(w, &[Intent::Answer(Action::Compose(vec!["sit".into(), "cant".into()]))]) },
    Step { shot: "", settle_ms: 500, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Answer(Action::Choose("wait".into())), Intent::DismissFeedback]) },
    Step { shot: "review-marked", settle_ms: 1500, apply: |w| send(w, &[Intent::ShowReview]) },
    Step { shot: "review-marked-half", settle_ms: 1200, apply: |_| {} },
    Step { shot: "review-marked-en", settle_ms: 1200, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
    // P1 T3 opens with the failed call replayed: narration, then 刘铭丽's replayed words (not "（你）").
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::SetLang(Lang::Zh), Intent::ToLibrary]) },
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::Pick("p1t3-botched-phone-call".into())]) },
    Step { shot: "play-narration", settle_ms: 1200, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::Answer(Action::Continue)]) },
    Step { shot: "play-replay", settle_ms: 1200, apply: |w| send(w, &[Intent::Answer(Action::Continue)]) },
    Step { shot: "play-pause-confirm", settle_ms: 1000, apply: |w| w.resource_mut::<PlayUi>().confirm_pause = true },
];
