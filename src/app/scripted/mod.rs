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

mod student;
mod teacher;

use student::*;
use teacher::*;

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
