//! Group role play: a group (小组) plays one attempt together and every answer is credited to the
//! member who gave it.
//!
//! How decisions are shared out, from the scenario alone:
//! - **by role** when the scenario has two or more roles `played_by: Student`: member `i` plays
//!   student role `i mod R` (members beyond the roles share a role and take its decisions in
//!   turn). A node belongs to the student role named by its `speaker`; a node without one to the
//!   student role that spoke or decided last on the path, else the first student role.
//! - **in turns** otherwise: decision `k` of the attempt goes to member `k mod M`.
//!
//! A member may pass a decision to a teammate (互助与合作, for the teacher to see); the pass is
//! recorded and the teammate answers it. A practice retry belongs to whoever gave the answer it
//! retries; a hint to whoever's turn it is. The record keeps who gave each log entry
//! ([`GroupPlay::by`]); scoring credits each member from that ([`crate::scoring::Scorer::score_member`]).

use serde::{Deserialize, Serialize};

use super::{Action, Session};
use crate::scenario::{Node, PlayedBy, Scenario};

/// A member of a playing group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// 学号.
    pub id: String,
    /// 姓名.
    pub name: String,
}

/// A decision handed to a teammate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pass {
    /// The log entry (0-based) the pass came before: the teammate gave that entry.
    pub entry: usize,
    pub node: String,
    /// 学号 of who passed, and of who took it.
    pub from: String,
    pub to: String,
}

/// The group of a group attempt, as its record keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPlay {
    /// 组别.
    pub name: String,
    /// The members in turn order (their roles follow from it).
    pub members: Vec<Member>,
    /// 学号 of who gave each log entry, one per entry.
    #[serde(default)]
    pub by: Vec<String>,
    #[serde(default)]
    pub passes: Vec<Pass>,
}

/// Whose turn it is, and as which role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// Index into [`GroupPlay::members`].
    pub member: usize,
    /// The student role played (by-role sharing), by id.
    pub role: Option<String>,
    /// The member took it over from a teammate (a pass).
    pub passed_from: Option<usize>,
}

/// The roles played by students, in the scenario's order.
pub fn student_roles(sc: &Scenario) -> Vec<&str> {
    sc.roles.iter().filter(|r| r.played_by == PlayedBy::Student).map(|r| r.id.as_str()).collect()
}

/// Decisions are shared by role (two or more student roles), else in turns.
pub fn by_role(sc: &Scenario) -> bool {
    student_roles(sc).len() >= 2
}

/// The student role a node names as its speaker, if any.
fn speaker_role<'a>(node: &'a Node, roles: &[&str]) -> Option<&'a str> {
    let speaker = match node {
        Node::Line(l) => l.speaker.as_deref(),
        Node::Choice(c) => c.speaker.as_deref(),
        Node::Table(t) => t.speaker.as_deref(),
        Node::Dial(d) => d.speaker.as_deref(),
        Node::Say(s) => s.speaker.as_deref(),
        _ => None,
    };
    speaker.filter(|s| roles.contains(s))
}

/// The role member `i` of `n` plays when decisions are shared by role.
pub fn member_role(sc: &Scenario, i: usize) -> Option<&str> {
    let roles = student_roles(sc);
    (roles.len() >= 2).then(|| roles[i % roles.len()])
}

impl GroupPlay {
    pub fn new(name: impl Into<String>, members: Vec<Member>) -> GroupPlay {
        GroupPlay { name: name.into(), members, by: Vec::new(), passes: Vec::new() }
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.members.iter().position(|m| m.id == id)
    }

    /// Whose turn it is at the session's current node (before its answer).
    pub fn whose_turn(&self, session: &Session) -> Turn {
        let n = self.members.len().max(1);
        let sc = session.scenario();
        let roles = student_roles(sc);
        let role_mode = roles.len() >= 2;
        // Walk the path once: the role in force and how many decisions each role (or, in turns,
        // the attempt) has had so far.
        let mut current_role = roles.first().copied();
        let mut per_role = vec![0usize; roles.len().max(1)];
        let mut decisions = 0usize;
        for step in session.steps().iter().filter(|s| s.counts()) {
            let Some(node) = sc.node(&step.node) else { continue };
            if let Some(r) = speaker_role(node, &roles) {
                current_role = Some(r);
            }
            if step.is_decision() {
                decisions += 1;
                if let Some(ri) = current_role.and_then(|r| roles.iter().position(|x| *x == r)) {
                    per_role[ri] += 1;
                }
            }
        }
        if let Some(r) = speaker_role(session.node(), &roles) {
            current_role = Some(r);
        }
        let (base, role) = if role_mode {
            let ri = current_role.and_then(|r| roles.iter().position(|x| *x == r)).unwrap_or(0);
            let holders: Vec<usize> = (0..n).filter(|i| i % roles.len() == ri).collect();
            let member = if holders.is_empty() { ri % n } else { holders[per_role[ri] % holders.len()] };
            (member, Some(roles[ri].to_string()))
        } else {
            (decisions % n, None)
        };
        // A pass holds for the whole decision it was made at: hints taken at it afterwards do not
        // undo it. The decision began after the last entry that was not a hint.
        let begun = session.log().iter().rposition(|e| !matches!(e.action, Action::Hint)).map_or(0, |i| i + 1);
        match self.passes.iter().rev().find(|p| p.entry >= begun).and_then(|p| Some((self.index_of(&p.to)?, self.index_of(&p.from)))) {
            Some((to, from)) => Turn { member: to, role, passed_from: from },
            None => Turn { member: base, role, passed_from: None },
        }
    }

    /// Member `to` takes the current decision over from whoever has it. Refused (false) when
    /// `to` is not a member or already has it, or the node is a line (nothing to decide).
    pub fn pass(&mut self, session: &Session, to: usize) -> bool {
        // Only a decision can be handed over (a line is read, not answered).
        if session.is_ended() || session.node().kind() == "Line" {
            return false;
        }
        let turn = self.whose_turn(session);
        let (Some(from), Some(target)) = (self.members.get(turn.member), self.members.get(to)) else { return false };
        if to == turn.member {
            return false;
        }
        let pass = Pass { entry: session.log().len(), node: session.node_id().to_string(), from: from.id.clone(), to: target.id.clone() };
        self.passes.push(pass);
        true
    }

    /// Who gives the next entry: the answerer of the entry a practice retry repeats, else the
    /// member whose turn it is.
    pub fn answerer(&self, session: &Session, action: &Action) -> usize {
        if matches!(action, Action::Retry(_)) {
            // The retried answer is the last non-hint entry.
            let last = session.log().iter().rposition(|e| !matches!(e.action, Action::Hint));
            if let Some(id) = last.and_then(|i| self.by.get(i))
                && let Some(i) = self.index_of(id)
            {
                return i;
            }
        }
        self.whose_turn(session).member
    }

    /// Who gave the last answer (not a hint): the member a feedback card is about.
    pub fn last_answerer(&self, session: &Session) -> Option<usize> {
        let last = session.log().iter().rposition(|e| !matches!(e.action, Action::Hint))?;
        self.by.get(last).and_then(|id| self.index_of(id))
    }

    /// Credit the entries the session logged since the last call to member `who`.
    pub fn credit(&mut self, session: &Session, who: usize) {
        let id = self.members.get(who).map(|m| m.id.clone()).unwrap_or_default();
        while self.by.len() < session.log().len() {
            self.by.push(id.clone());
        }
        self.by.truncate(session.log().len());
    }

    /// What in the group part of a record contradicts itself (a record edited by hand).
    pub fn problems(&self, log_len: usize) -> Vec<crate::scenario::Text> {
        use crate::scenario::Text;
        let mut out = Vec::new();
        if self.members.is_empty() {
            out.push(Text::new("小组作答没有组员", "a group attempt with no members"));
        }
        if let Some(twice) = self.members.iter().enumerate().find(|(i, m)| self.members[..*i].iter().any(|o| o.id == m.id)).map(|(_, m)| &m.id) {
            out.push(Text::new(format!("组员 {twice} 出现了两次"), format!("member {twice} is listed twice")));
        }
        if self.by.len() != log_len {
            out.push(Text::new(
                format!("小组作答记了 {} 步由谁作答，而作答过程有 {log_len} 步", self.by.len()),
                format!("a group attempt names who gave {} entries, but its log has {log_len}", self.by.len()),
            ));
        }
        let stranger = self.by.iter().chain(self.passes.iter().flat_map(|p| [&p.from, &p.to])).find(|id| self.index_of(id).is_none());
        if let Some(id) = stranger {
            out.push(Text::new(format!("作答者 {id} 不是这个小组的组员"), format!("{id} answered but is not a member of the group")));
        }
        if self.passes.iter().any(|p| p.entry > log_len) {
            out.push(Text::new("让给组员的记录不在作答过程里", "a pass to a teammate lies outside the log"));
        }
        out
    }
}
