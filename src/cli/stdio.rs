//! `kefu play --stdio`: a scenario played over standard input and output, one JSON object per
//! line, for bots and other programs. Every input line gets exactly one output line: the view
//! after the answer, a hint, or an error (after which the session goes on). When the attempt
//! ends, the last view (`"ended": true`) is followed by one `report` line. The protocol is
//! documented in the README.

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde_json::json;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS};
use crate::scenario::{Lang, load_file, validate};
use crate::scoring::{Ratings, Scorer};
use crate::session::group::GroupPlay;
use crate::session::{Event, Session, Step, View};

/// The protocol's version, in the first line.
pub const PROTOCOL: u32 = 1;

#[derive(Serialize)]
struct ViewLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    view: &'a View,
    /// Feedback on the last answer, rendered.
    feedback: Vec<String>,
    /// Critical errors the last answer made.
    critical: Vec<String>,
    /// The last answer's rows, marked (an activity's items; a typed reply's checklist: each
    /// element with the student's words, each forbidden phrase found).
    marks: Vec<serde_json::Value>,
    ended: bool,
    /// Hints left at this node and what the next one would do to the best reachable total.
    hints_left: usize,
    hint: Option<String>,
    /// Group play (`--group`): whose turn it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    turn: Option<serde_json::Value>,
}

/// Group play: whose turn it is, as a view line carries it.
fn turn_json(s: &Session, g: &GroupPlay, lang: Lang) -> serde_json::Value {
    let t = g.whose_turn(s);
    let m = &g.members[t.member.min(g.members.len().saturating_sub(1))];
    let role = t.role.as_deref().and_then(|r| s.scenario().roles.iter().find(|x| x.id == r)).map(|r| s.render(&r.name, lang));
    json!({"member": t.member + 1, "id": m.id, "name": m.name, "role": role, "passed_from": t.passed_from.map(|f| f + 1)})
}

fn view_line(s: &Session, scorer: &Scorer, last: Option<&Step>, group: Option<&GroupPlay>, lang: Lang) -> serde_json::Result<String> {
    let view = s.view(lang);
    let preview = scorer.hint_preview(s);
    let line = ViewLine {
        kind: "view",
        view: &view,
        feedback: last.map(|st| st.feedback.iter().map(|t| s.render(t, lang)).collect()).unwrap_or_default(),
        critical: last.map(|st| st.critical.iter().map(|c| c.name.get(lang).to_string()).collect()).unwrap_or_default(),
        marks: last
            .map(|st| {
                st.marks
                    .iter()
                    .map(|m| json!({"id": m.id, "label": s.render(&m.label, lang), "given": s.render(&m.given, lang), "right": m.right, "expected": s.render(&m.expected, lang)}))
                    .collect()
            })
            .unwrap_or_default(),
        ended: s.is_ended(),
        hints_left: s.next_hint().map_or(0, |(n, _)| n),
        hint: preview.map(|p| p.text().get(lang).to_string()),
        turn: group.filter(|_| !s.is_ended()).map(|g| turn_json(s, g, lang)),
    };
    serde_json::to_string(&line)
}

fn error_line(code: &str, line: usize, message: String) -> String {
    json!({"type": "error", "code": code, "line": line, "message": message}).to_string()
}

pub fn run(path: &Path, seed: Option<u64>, group: Option<&str>, lang: Lang, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut team = match group {
        Some(g) => Some(super::play::parse_group(g, lang)?),
        None => None,
    };
    let loaded = match load_file(path) {
        Ok(l) => l,
        Err(d) => {
            writeln!(out, "{}", json!({"type": "error", "code": "scenario", "line": 0, "message": d.render(lang)}))?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    if let Some(d) = validate(&loaded).into_iter().find(|d| d.is_error()) {
        writeln!(out, "{}", json!({"type": "error", "code": "scenario", "line": 0, "message": d.render(lang)}))?;
        return Ok(EXIT_PROBLEMS);
    }
    let seed = seed.unwrap_or_else(rand::random);
    let sc = Arc::clone(&loaded.scenario);
    let scorer = Scorer::new(Arc::clone(&sc));
    let mut s = Session::new(Arc::clone(&sc), seed).map_err(|e| CliError::Msg(e.message(lang)))?;
    let mut start = json!({"type": "start", "protocol": PROTOCOL, "scenario": sc.id, "title": sc.title.get(lang), "seed": seed});
    if let Some(g) = &team {
        start["group"] = json!({"name": g.name, "members": g.members, "by_role": crate::session::group::by_role(&sc)});
    }
    writeln!(out, "{start}")?;
    writeln!(out, "{}", view_line(&s, &scorer, None, team.as_ref(), lang)?)?;
    out.flush()?;
    let mut n = 0usize;
    let mut buf = String::new();
    while !s.is_ended() {
        buf.clear();
        if input.read_line(&mut buf)? == 0 {
            break;
        }
        n += 1;
        let text = buf.trim();
        if text.is_empty() {
            continue;
        }
        // Group play: `{"pass": N}` hands the decision to member N (1-based).
        if let Some(g) = team.as_mut()
            && let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(text)
            && let Some(to) = o.get("pass")
        {
            let ok = to.as_u64().and_then(|t| usize::try_from(t).ok()).filter(|t| *t >= 1).is_some_and(|t| g.pass(&s, t - 1));
            let reply = if ok { view_line(&s, &scorer, None, Some(g), lang)? } else { error_line("refused", n, lang.pick("\"pass\" 要写另一位组员的编号（从 1 开始）", "\"pass\" needs another member's number (from 1)").to_string()) };
            writeln!(out, "{reply}")?;
            out.flush()?;
            continue;
        }
        let who = |ev: &Event, s: &Session| team.as_ref().map(|g| g.answerer(s, &ev.action));
        let reply = match serde_json::from_str::<Event>(text) {
            Err(e) => error_line("malformed", n, lang.pick(format!("这一行不是有效的答案：{e}").as_str(), format!("not a valid answer: {e}").as_str()).to_string()),
            Ok(ev) if ev.action == crate::session::Action::Hint => {
                let w = who(&ev, &s);
                match s.hint(ev.elapsed_ms) {
                    Ok(t) => {
                        if let (Some(g), Some(w)) = (team.as_mut(), w) {
                            g.credit(&s, w);
                        }
                        json!({"type": "hint", "text": s.render(&t, lang)}).to_string()
                    }
                    Err(e) => error_line("refused", n, e.message(lang)),
                }
            }
            Ok(ev) => {
                let w = who(&ev, &s);
                match s.apply(&ev) {
                    Ok(()) => {
                        if let (Some(g), Some(w)) = (team.as_mut(), w) {
                            g.credit(&s, w);
                        }
                        view_line(&s, &scorer, s.steps().last(), team.as_ref(), lang)?
                    }
                    Err(e) => error_line("refused", n, e.message(lang)),
                }
            }
        };
        writeln!(out, "{reply}")?;
        out.flush()?;
    }
    let report = scorer.score_session(&s, &Ratings::new());
    let mut line = json!({"type": "report", "report": report, "answers": s.log()});
    if let Some(g) = &team {
        let members: Vec<serde_json::Value> = g.members.iter().enumerate().map(|(i, m)| json!({"id": m.id, "name": m.name, "report": scorer.score_member(&s, g, i, &Ratings::new())})).collect();
        line["group"] = json!({"name": g.name, "by": g.by, "passes": g.passes, "members": members});
    }
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(EXIT_OK)
}
