//! Trial runs ("play from this node") in the normal play screen, and carrying a running trial
//! over to the file as it is after an edit.

use super::*;

/// A trial session on `sc` with `seed`, started at `from` (the scenario's start when `None`).
fn trial_session(sc: &Arc<Scenario>, seed: u64, from: Option<&str>) -> Result<Session, SessionError> {
    let mut s = Session::new(Arc::clone(sc), seed)?;
    if let Some(node) = from {
        s.jump_to(node)?;
    }
    Ok(s)
}

fn trial_active(loaded: &Loaded, session: Session, shown_at: Duration) -> Active {
    let player = Player { id: "authoring".into(), name: "编写模式 Authoring".into(), group: None };
    let mut record = AttemptRecord::start(&session, &loaded.hash, player);
    record.sync(&session);
    let mut active = Active {
        scorer: Scorer::new(Arc::clone(&loaded.scenario)),
        loaded: loaded.clone(),
        session,
        record,
        shown_at,
        feedback: None,
        hints: Vec::new(),
        exam_mode: false,
        autosave_error: None,
        trial: true,
        hint_preview: None,
        key: None,
    };
    active.refresh_hint_preview();
    active
}

/// Start a trial of the selected file; the attempt and results already there are kept aside.
pub(super) fn start_trial(authoring: &mut Authoring, from: Option<String>, now: Duration, attempt: &mut Attempt, outcome: &mut Outcome) -> Option<Active> {
    let loaded = authoring.selected_file()?.playable()?.clone();
    let seed = rand::random();
    let session = match trial_session(&loaded.scenario, seed, from.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            bevy::log::warn!("trial of {}: {e}", loaded.path.display());
            return None;
        }
    };
    // A trial started from another trial replaces it; the stash stays the original one.
    let stash = match authoring.trial.take() {
        Some(t) => t.stash,
        None => Box::new((attempt.0.take(), outcome.0.take())),
    };
    outcome.0 = None;
    authoring.trial = Some(Trial { path: loaded.path.clone(), from, seed, note: None, reloads: 0, stash });
    Some(trial_active(&loaded, session, now))
}

/// Drop the trial run and put back what was there before it.
pub(super) fn end_trial(authoring: &mut Authoring, attempt: &mut Attempt, outcome: &mut Outcome) {
    if let Some(t) = authoring.trial.take() {
        let (a, o) = *t.stash;
        attempt.0 = a;
        outcome.0 = o;
    }
}

/// "Pause: library" or "Back to the library" during a trial leads back to authoring mode.
pub(super) fn trial_left_to_library(mut authoring: ResMut<Authoring>, mut attempt: ResMut<Attempt>, mut outcome: ResMut<Outcome>, mut next: ResMut<NextState<Screen>>) {
    if authoring.trial.is_some() {
        end_trial(&mut authoring, &mut attempt, &mut outcome);
        next.set(Screen::Authoring);
    }
}

/// Carry a trial run over to the file as it is now; says what happened, in both languages.
pub(super) fn carry_over(trial: &Trial, active: &mut Active, file: Option<&FileState>, now: Duration) -> Note {
    let Some(file) = file else {
        return Note::warn("文件已被删除或改名：继续使用上次的版本。", "The file was deleted or renamed: still playing the last version.");
    };
    let Some(loaded) = file.playable() else {
        let first = file.diagnostics.iter().find(|d| d.is_error());
        let (zh, en) = match first {
            Some(d) => (format!("第 {} 行第 {} 列：{}", d.line, d.col, d.message.get(Lang::Zh)), format!("line {}, col {}: {}", d.line, d.col, d.message.get(Lang::En))),
            None => (String::new(), String::new()),
        };
        return Note::warn(format!("文件有错误，继续使用上次的版本。{zh}"), format!("The file has errors; still playing the last good version. {en}"));
    };
    let sc = &loaded.scenario;
    let old = &active.session;
    let at = old.node_id().to_string();
    let replayed = match trial.from.as_deref() {
        None => old.rebase(Arc::clone(sc)),
        Some(from) => trial_session(sc, trial.seed, Some(from)).map_err(|e| (0, e)).and_then(|mut s| {
            for (i, e) in old.log().iter().enumerate() {
                s.apply(e).map_err(|err| (i, err))?;
            }
            Ok(s)
        }),
    };
    let had_feedback = active.feedback.is_some();
    let kept = replayed.is_ok();
    let (session, note) = match replayed {
        Ok(s) => {
            let note = if s.node_id() == at {
                Note::ok(format!("已重新加载，仍在节点 {at}。"), format!("Reloaded; still at node {at}."))
            } else {
                Note::warn(
                    format!("已重新加载：同样的回答现在走到节点 {}（之前在 {at}）。", s.node_id()),
                    format!("Reloaded: the same answers now lead to node {} (was {at}).", s.node_id()),
                )
            };
            (s, note)
        }
        Err((i, err)) => {
            let fresh = trial_session(sc, trial.seed, trial.from.as_deref().filter(|f| sc.node_index(f).is_some()));
            let Ok(mut fresh) = fresh else {
                return Note::warn("重新加载后无法开始试玩：继续使用上次的版本。", "The reloaded file cannot be played: still playing the last version.");
            };
            let why_zh = format!("第 {} 个回答无法重放（{}）", i + 1, err.message(Lang::Zh));
            let why_en = format!("answer {} no longer replays ({err})", i + 1);
            if sc.node_index(&at).is_some() && fresh.jump_to(&at).is_ok() {
                (fresh, Note::warn(format!("已重新加载：{why_zh}，之前的回答已清空，从节点 {at} 继续。"), format!("Reloaded: {why_en}; the answers so far were dropped, continuing at node {at}.")))
            } else {
                let start = fresh.node_id().to_string();
                (fresh, Note::warn(format!("节点 {at} 已不存在：从节点 {start} 重新开始。"), format!("Node {at} no longer exists: play restarted at node {start}.")))
            }
        }
    };
    if session.node_id() != at || !kept {
        // A new place, or a fresh attempt (no hints taken, no answer to give feedback on).
        if session.node_id() != at {
            active.shown_at = now;
        }
        active.hints.clear();
        active.feedback = None;
    } else if had_feedback {
        // The card being read shows the feedback as the file now has it.
        active.feedback = session.steps().last().cloned().map(|step| Feedback { step, ended: session.is_ended() });
    }
    let mut fresh = trial_active(loaded, session, active.shown_at);
    fresh.feedback = active.feedback.take();
    fresh.hints = std::mem::take(&mut active.hints);
    *active = fresh;
    note
}
