//! The attempt being played and the one just finished: shared by the student's play, results
//! and review screens and by authoring mode's trial runs (which play in the same screen). Only
//! data and the small rules around it; the systems that change it are in `student::apply`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use bevy::prelude::*;

use crate::records::AttemptRecord;
use crate::scenario::{Loaded, Text};
use crate::scoring::{HintPreview, Report, Scorer};
use crate::session::{Session, Step, View};

/// Feedback waiting to be read after an answer.
#[derive(Clone, Debug)]
pub struct Feedback {
    pub step: Step,
    /// The attempt ended with this answer.
    pub ended: bool,
}

/// The attempt being played: the core Session plus what the app needs around it.
#[derive(Clone, Debug)]
pub struct Active {
    pub loaded: Loaded,
    pub session: Session,
    pub record: AttemptRecord,
    pub scorer: Scorer,
    /// `Time<Real>` elapsed when the current node was shown (answers measure from here).
    pub shown_at: Duration,
    /// Shown after an answer unless in exam mode; the clock of the next node waits for it.
    pub feedback: Option<Feedback>,
    /// Hints taken at the current node.
    pub hints: Vec<Text>,
    pub exam_mode: bool,
    /// Whether the autosave could be written (shown as a warning when not).
    pub autosave_error: Option<String>,
    /// An authoring-mode trial run: never autosaved, filed or offered for resuming, so a
    /// teacher's test plays stay out of the records and the student's autosave.
    pub trial: bool,
    /// What the next hint at this node would do to the best reachable total (the core's
    /// [`Scorer::hint_preview`]); `None` when no hint is left. Kept current by
    /// [`Active::refresh_hint_preview`] whenever the session changes, so the play screen only
    /// reads it.
    pub hint_preview: Option<HintPreview>,
    /// The class key the autosave and the filed record are signed with, read once when the
    /// attempt starts (a broken key file: unsigned, the message shown when the app started).
    pub key: Option<crate::records::seal::ClassKey>,
}

impl Active {
    /// Group play: whose turn it is at the current node (the core's rule); `None` alone.
    pub fn turn(&self) -> Option<crate::session::group::Turn> {
        self.record.group.as_ref().map(|g| g.whose_turn(&self.session))
    }

    /// Group play: credit what the session logged since to member `who` (the answerer asked
    /// before the answer was given).
    pub fn credit(&mut self, who: Option<usize>) {
        if let (Some(g), Some(who)) = (self.record.group.as_mut(), who) {
            g.credit(&self.session, who);
        }
    }

    /// Ask the core again what the next hint would cost (after an answer, a hint, a resume…).
    pub fn refresh_hint_preview(&mut self) {
        self.hint_preview = self.scorer.hint_preview(&self.session);
    }

    /// Milliseconds since the current node was shown.
    pub fn elapsed_ms(&self, now: Duration) -> u64 {
        u64::try_from(now.saturating_sub(self.shown_at).as_millis()).unwrap_or(u64::MAX)
    }
}

/// The attempt in progress, if any.
#[derive(Resource, Default)]
pub struct Attempt(pub Option<Active>);

/// A practice retry under way: the play screen shows the activity again instead of the feedback
/// card. The card's feedback stays pending meanwhile, so the next node's clock, countdown and
/// sounds wait as they do while a card is read.
#[derive(Resource, Default, Clone, Debug)]
pub struct Retrying(pub Option<Retry>);

#[derive(Clone, Debug, PartialEq)]
pub struct Retry {
    /// The activity tried again.
    pub node: String,
    /// The session's step count when the retry began (a retry of an older state is stale).
    pub steps: usize,
    /// `Time<Real>` elapsed when the retry began (its answer measures from here).
    pub started: Duration,
}

impl Retrying {
    /// The retry under way for this attempt, if it still applies (the core still offers it).
    pub fn current(&self, active: &Active) -> Option<&Retry> {
        self.0.as_ref().filter(|r| active.feedback.is_some() && r.steps == active.session.steps().len() && active.session.retry_target() == Some(r.node.as_str()))
    }
}

impl Active {
    /// Whether the feedback card may offer "try again": practice mode and the core has an
    /// activity to retry.
    pub fn can_retry(&self) -> bool {
        !self.exam_mode && self.feedback.is_some() && self.session.retry_target().is_some()
    }
}

/// The last finished attempt: what the Results and Review screens show.
#[derive(Clone, Debug)]
pub struct Finished {
    pub loaded: Loaded,
    pub session: Session,
    pub report: Report,
    /// The expert path with the same seed, scored.
    pub expert: Option<Report>,
    /// Where the record was filed, or why it could not be.
    pub saved: Result<PathBuf, String>,
    pub exam_mode: bool,
    /// Group play: each member's part, as the core scores it (empty alone).
    pub members: Vec<MemberResult>,
}

/// One member's part of a group attempt, for the results screen.
#[derive(Clone, Debug)]
pub struct MemberResult {
    pub member: crate::session::group::Member,
    /// The student role played (by-role sharing).
    pub role: Option<Text>,
    pub report: Report,
    /// Decisions handed to a teammate, and taken over from one.
    pub passed: usize,
    pub took: usize,
}

#[derive(Resource, Default)]
pub struct Outcome(pub Option<Finished>);

/// Authoring mode has a trial run under way (kept by the authoring feature; the teacher lock
/// reads it: a trial run plays in the student's play screen and is still the teacher).
#[derive(Resource, Default)]
pub struct TrialRun(pub bool);

/// What the student has put together at the current activity but not yet submitted.
#[derive(Resource, Default, Debug)]
pub struct Draft {
    pub node: String,
    /// Matching: item id → category id.
    pub placed: BTreeMap<String, String>,
    /// Ordering: step ids in the student's current order.
    pub order: Vec<String>,
    /// Form: field id → text.
    pub form: BTreeMap<String, String>,
    /// Compose: phrase ids in order.
    pub compose: Vec<String>,
    /// Say: what the student typed.
    pub say: String,
    /// Say: the text box has had the focus once (it takes it when the node appears).
    pub say_focused: bool,
    /// Table: the cells, row by row.
    pub table: Vec<Vec<String>>,
    /// Table: the first cell has had the focus once (it takes it when the table appears).
    pub table_focused: bool,
    /// Dial: the digits keyed in so far.
    pub dial: String,
    /// Dial: the number is ringing out since this many ms after the node was shown; the answer
    /// goes to the core when the ring-out is over.
    pub ringing_since: Option<u64>,
}

impl Draft {
    /// Start afresh when the node changes.
    pub fn sync(&mut self, view: &View) {
        if self.node == view.node() {
            return;
        }
        *self = Draft { node: view.node().to_string(), ..Default::default() };
        if let View::Order { steps, .. } = view {
            self.order = steps.iter().map(|s| s.id.clone()).collect();
        }
    }
}

