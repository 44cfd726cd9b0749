//! `KEFU_SCRIPTED=<folder>`: walk through every screen by itself, for `scripts/screenshots.sh`.
//!
//! Each step sends the same intents a student's clicks send (and fills the activity drafts as
//! typing would), waits for the screen to settle, then writes `<folder>/ready` holding the shot's
//! name. The script takes the screenshot and deletes `ready`; then the next step runs. At the
//! end `<folder>/done` is written and the app exits. Needs `scenarios/` with the sample
//! (`sample-every-kind`) in the working folder.
//!
//! `KEFU_SCRIPTED_SET=critical` walks a shorter set instead (issue 9): the hint button's preview,
//! an attempt with a hint and a critical error (the sample with its `hang` option marked
//! `critical`) through its feedback and results, and authoring mode's audit table.

use std::path::PathBuf;
use std::time::Duration;

use bevy::prelude::*;

use super::authoring::{AuthorIntent, Authoring};
use super::bridge::{Attempt, Intent};
use super::perf::Animate;
use super::screens::play::Draft;
use super::screens::start_form_fill;
use crate::scenario::Lang;
use crate::session::{Action, View};

#[derive(Resource)]
struct Script {
    steps: &'static [Step],
    dir: PathBuf,
    step: usize,
    phase: Phase,
}

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
    Step { shot: "02-library-scrolled", settle_ms: 600, apply: |_| {} },
    Step { shot: "03-briefing", settle_ms: 1000, apply: |w| send(w, &[Intent::Pick(SAMPLE.into())]) },
    Step { shot: "04-play-phone-ringing", settle_ms: 1800, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "05-feedback", settle_ms: 800, apply: |w| send(w, &[Intent::Answer(Action::Pickup)]) },
    Step { shot: "", settle_ms: 300, apply: |w| send(w, &[Intent::DismissFeedback]) },
    Step { shot: "06-play-choice-with-hint", settle_ms: 1000, apply: |w| send(w, &[Intent::Hint]) },
    Step {
        shot: "07-play-line",
        settle_ms: 1000,
        apply: |w| send(w, &[Intent::Answer(Action::Choose("company".into())), Intent::DismissFeedback]),
    },
    Step { shot: "08-play-countdown", settle_ms: 6500, apply: |w| send(w, &[Intent::Answer(Action::Continue)]) },
    Step { shot: "09-feedback-choice", settle_ms: 800, apply: |w| send(w, &[Intent::Answer(Action::Choose("skip".into()))]) },
    Step {
        shot: "10-play-form",
        settle_ms: 1000,
        apply: |w| {
            send(w, &[Intent::DismissFeedback]);
        },
    },
    Step {
        shot: "11-play-form-filled",
        settle_ms: 800,
        apply: |w| {
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
        shot: "15-play-order-moved",
        settle_ms: 800,
        apply: |w| {
            if let Some(View::Order { node, .. }) = view(w) {
                let mut d = w.resource_mut::<Draft>();
                d.node = node;
                let want = ["book", "weigh", "waybill", "pay"];
                d.order = want.iter().map(|s| s.to_string()).collect();
                d.order.swap(2, 3);
            }
        },
    },
    Step {
        shot: "16-play-compose",
        settle_ms: 1000,
        apply: |w| {
            let order = w.resource::<Draft>().order.clone();
            send(w, &[Intent::Answer(Action::Order(order)), Intent::DismissFeedback]);
        },
    },
    Step {
        shot: "17-play-compose-chosen",
        settle_ms: 800,
        apply: |w| {
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
    Step { shot: "21-results-scrolled", settle_ms: 1200, apply: |_| {} },
    Step { shot: "22-review", settle_ms: 1200, apply: |w| send(w, &[Intent::ShowReview]) },
    Step { shot: "23-review-en", settle_ms: 1200, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
    Step { shot: "24-results-en", settle_ms: 1200, apply: |w| send(w, &[Intent::ShowResults]) },
    Step { shot: "25-settings", settle_ms: 1200, apply: |w| send(w, &[Intent::SetLang(Lang::Zh), Intent::OpenSettings]) },
    Step { shot: "", settle_ms: 300, apply: |w| send(w, &[Intent::CloseSettings]) },
    Step { shot: "26-library-best-scrolled", settle_ms: 1500, apply: |w| send(w, &[Intent::ToLibrary]) },
    Step { shot: "27-library-en", settle_ms: 1200, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
    Step { shot: "28-start-en", settle_ms: 1200, apply: |w| send(w, &[Intent::SignOut]) },
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
    Step { shot: "authoring-audit", settle_ms: 2500, apply: select_for_audit },
    Step { shot: "authoring-audit-scrolled", settle_ms: 1200, apply: |_| {} },
    // The sample's audit has warnings (naive strategies that score well).
    Step { shot: "authoring-audit-warnings", settle_ms: 2500, apply: |w| select_named(w, "sample.ron") },
];

pub(super) fn plugin(app: &mut App) {
    let Some(dir) = std::env::var_os("KEFU_SCRIPTED").map(PathBuf::from) else { return };
    let steps = match std::env::var("KEFU_SCRIPTED_SET").as_deref() {
        Ok("critical") => CRITICAL_STEPS,
        _ => STEPS,
    };
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::remove_file(dir.join("ready"));
    let _ = std::fs::remove_file(dir.join("done"));
    app.insert_resource(Script { steps, dir, step: 0, phase: Phase::Apply }).add_systems(Update, run_script);
}

fn run_script(world: &mut World) {
    let now = world.resource::<Time<Real>>().elapsed();
    // Keep waking up (reactive mode would otherwise sleep between steps).
    world.resource_mut::<Animate>().0 = true;
    let Some(mut script) = world.remove_resource::<Script>() else { return };
    let ready = script.dir.join("ready");
    match script.phase {
        Phase::Apply => {
            if let Some(step) = script.steps.get(script.step) {
                (step.apply)(world);
                script.phase = Phase::Settle(now);
            } else {
                let _ = std::fs::write(script.dir.join("done"), "done\n");
                world.write_message(AppExit::Success);
            }
        }
        Phase::Settle(t0) => {
            let step = &script.steps[script.step];
            if now.saturating_sub(t0) >= Duration::from_millis(step.settle_ms) {
                if step.shot.is_empty() {
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
