//! How the people the student serves feel now, for their portraits: a line's own `mood` wins;
//! otherwise the student's last decision decides (a critical error or a wrong answer annoys,
//! the expert's answer pleases), and an ending shows how it ended.

use super::Session;
use crate::scenario::{Mood, Node};

impl Session {
    /// The customer's (or colleague's) mood at the current node.
    pub fn mood(&self) -> Mood {
        match self.node() {
            Node::Line(l) if let Some(m) = l.mood => return m,
            Node::Ending(e) => return if e.success { Mood::Pleased } else { Mood::Annoyed },
            _ => {}
        }
        let Some(last) = self.steps().iter().rev().find(|s| s.is_decision()) else { return Mood::Neutral };
        let lost: f64 = last.lost.values().sum();
        if !last.critical.is_empty() || (last.credit.is_some_and(|c| c <= 0.0) && lost > 0.0) {
            Mood::Annoyed
        } else if last.expert {
            Mood::Pleased
        } else {
            Mood::Neutral
        }
    }
}
