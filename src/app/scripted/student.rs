//! The walks through a student's screens (the default walk starts here too), the soak, and
//! the helpers that answer as a student would.

use super::*;

pub(super) const SAMPLE: &str = "sample-every-kind";

pub(super) const STEPS: &[Step] = &[
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
        w.write_message(crate::app::teacher::TeacherIntent::Open);
    } },
    Step { shot: "26-teacher", settle_ms: 1500, apply: |w| drag(w, true) },
    Step { shot: "", settle_ms: 600, apply: |w| {
        w.write_message(crate::app::teacher::TeacherIntent::Close);
    } },
    Step { shot: "", settle_ms: 800, apply: |w| {
        w.write_message(AuthorIntent::Enter);
    } },
    Step { shot: "", settle_ms: 600, apply: give_password },
    Step { shot: "27-authoring", settle_ms: 2500, apply: select_for_audit },
];

/// The expert's answer at the current node (the sample's notepad, matching, ordering, compose).
pub(super) fn expert_answer(w: &mut World) {
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
pub(super) fn select_for_audit(w: &mut World) {
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
pub(super) fn select_named(w: &mut World, name: &str) {
    let path = w.resource::<Authoring>().files.iter().find(|f| f.name == name).map(|f| f.path.clone());
    if let Some(p) = path {
        w.write_message(AuthorIntent::Select(p));
    }
}

/// Issue 9: the hint preview, a critical error with a hint in the results, the audit table.
pub(super) const CRITICAL_STEPS: &[Step] = &[
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
pub(super) const FRAME_STEPS: &[Step] = &[
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
pub(super) const COURSE: &str = "p1t1-detour-notice";

pub(super) fn start_form_fill_name(w: &mut World, name: &str) {
    let (id, _) = crate::app::student::start_form(w);
    start_form_fill(w, &id, name);
}

/// Soak: how many attempts so far and the autoplay's memory of options tried.
#[derive(Resource, Default)]
pub(super) struct Soak {
    attempts: usize,
    answers: usize,
    /// Answers given by the current `play_on` step.
    in_step: usize,
    tried: Tried,
}

/// Issue 10: attempts one after another for `KEFU_SOAK_MINUTES` (from step 1 on, repeated).
pub(super) const SOAK_STEPS: &[Step] = &[
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
pub(super) fn soak_pick(w: &mut World) {
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
pub(super) fn soak_library(w: &mut World) {
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
pub(super) fn play_on(w: &mut World, policy: Policy, cap: usize) {
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


/// Press Tab, as the keyboard would (one press per frame: egui moves the focus once a frame).
/// Done in the app: without a window manager, keys sent to the X server may not reach it.
pub(super) fn press_tab(w: &mut World) {
    let mut inputs = w.query_filtered::<&mut bevy_egui::EguiInput, With<bevy_egui::PrimaryEguiContext>>();
    if let Ok(mut input) = inputs.single_mut(w) {
        for pressed in [true, false] {
            input.events.push(bevy_egui::egui::Event::Key { key: bevy_egui::egui::Key::Tab, physical_key: None, pressed, repeat: false, modifiers: Default::default() });
        }
    }
}

/// Keys typed on the keyboard (text, then Enter when `enter`), as egui receives them.
pub(super) fn type_keys(w: &mut World, text: &str, enter: bool) {
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
pub(super) fn marking_notes(w: &mut World, goods: &str, days: &str) {
    let city = value(w, "city");
    let mut d = w.resource_mut::<Draft>();
    d.node = "notes".into();
    d.form = [("dest", city.as_str()), ("goods", goods), ("days", days)].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let values = d.form.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    send(w, &[Intent::Answer(Action::Form(values))]);
}

/// Answer the expert's way until the node `target` is shown (one answer per run).
pub(super) fn expert_until(w: &mut World, target: &str) {
    let Some(session) = w.resource::<Attempt>().0.as_ref().map(|a| a.session.clone()) else { return };
    if session.node_id() == target || session.is_ended() {
        return;
    }
    let Ok(event) = next_event(&session, Policy::Expert, &mut Tried::new()) else { return };
    send(w, &[Intent::Answer(event.action), Intent::DismissFeedback]);
    w.insert_resource(Again);
}

/// What the student typed into the reply box (by `xdotool type` in the screenshot script).
pub(super) fn say_typed(w: &mut World) {
    let typed = w.resource::<Draft>().say.clone();
    let _ = std::fs::write(w.resource::<Script>().dir.join("typed"), &typed);
    send(w, &[Intent::Answer(Action::Say(typed))]);
}

pub(super) const SAY_STEPS: &[Step] = &[
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
pub(super) fn one_slip_table() -> Vec<Vec<String>> {
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
pub(super) fn table_typed(w: &mut World) {
    let rows: Vec<String> = w.resource::<Draft>().table.iter().map(|r| r.join(",")).filter(|r| r.chars().any(|c| c != ',')).collect();
    let _ = std::fs::write(w.resource::<Script>().dir.join("table-typed"), rows.join("|"));
}

pub(super) const TABLE_STEPS: &[Step] = &[
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
pub(super) const DIAL_STEPS: &[Step] = &[
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

// ---- KEFU_SCRIPTED_SET=marking (issue 10): item-level marking and the practice retry ----
//
// The sample at seed 7: Tab twice on the first choice (the focus ring on option 2, pressed in
// the app), notes with one field wrong and one empty (the
// card marks each field), "try again" with the first answer still in the form and the wrong
// rows marked, the retry's card, a match, an order and a compose each marked, then the review.
pub(super) const MARKING_STEPS: &[Step] = &[
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
