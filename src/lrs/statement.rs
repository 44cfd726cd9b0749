//! xAPI 1.0.3 statements for one attempt: one `answered` per decision and one for the attempt
//! (`passed` / `failed` when its grade is final, `completed` while teacher ratings are pending,
//! `terminated` when it was left unfinished).
//!
//! Everything in a statement comes from the record and the scenario file, never from the clock:
//! sending the same attempt again makes the same statements with the same ids, which an LRS
//! stores once.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::records::AttemptRecord;
use crate::scenario::{Node, Text};
use crate::scoring::{Ratings, Report, Scorer};
use crate::session::{Action, Session};

pub const VERB_ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
pub const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
pub const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
pub const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
pub const VERB_TERMINATED: &str = "http://adlnet.gov/expapi/verbs/terminated";
/// The verbs of attempt statements (the ones that carry the whole record).
pub const ATTEMPT_VERBS: [&str; 4] = [VERB_PASSED, VERB_FAILED, VERB_COMPLETED, VERB_TERMINATED];

const INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";
const ASSESSMENT: &str = "http://adlnet.gov/expapi/activities/assessment";
const COURSE: &str = "http://adlnet.gov/expapi/activities/course";

/// The last part of the extension key that carries the record (`{home}/kefu/xapi/record`).
pub const RECORD_EXT: &str = "kefu/xapi/record";

/// Who and where, beyond the record.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    /// The school's home page, no trailing `/`.
    pub home_page: &'a str,
    pub class: Option<&'a str>,
}

/// Why an attempt has no statements.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BuildError {
    #[error("the record cannot be replayed with the scenario file (log entry {index}: {message})")]
    Replay { index: usize, message: String },
    #[error("the record is for scenario `{record}`, not `{scenario}`")]
    WrongScenario { record: String, scenario: String },
}

impl BuildError {
    pub fn message(&self, lang: crate::scenario::Lang) -> String {
        use crate::scenario::Lang;
        match (self, lang) {
            (BuildError::Replay { index, message }, Lang::Zh) => format!("这份记录无法按现在的场景文件重放（第 {} 步：{message}）", index + 1),
            (BuildError::WrongScenario { record, scenario }, Lang::Zh) => format!("这份记录属于场景“{record}”，不是“{scenario}”"),
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// The attempt's id (the statements' `registration`): from who played what, when, with which seed.
pub fn registration(rec: &AttemptRecord) -> Uuid {
    let mut h = blake3::Hasher::new_derive_key("kefu xapi registration v1");
    for part in [rec.scenario_id.as_str(), rec.player.id.as_str(), rec.started_at.as_str()] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.update(&rec.seed.to_le_bytes());
    uuid_from(h.finalize().as_bytes())
}

/// The id of answer `index` of an attempt; [`u32::MAX`] is the attempt statement.
pub fn statement_id(registration: &Uuid, index: u32) -> Uuid {
    let mut h = blake3::Hasher::new_derive_key("kefu xapi statement v1");
    h.update(registration.as_bytes());
    h.update(&index.to_le_bytes());
    uuid_from(h.finalize().as_bytes())
}

fn uuid_from(hash: &[u8; 32]) -> Uuid {
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    uuid::Builder::from_custom_bytes(b).into_uuid()
}

/// Letters, digits and `-._~` as they are; everything else percent-encoded (ids in IRIs, query
/// values).
pub(crate) fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn scenario_iri(home: &str, id: &str) -> String {
    format!("{home}/kefu/scenarios/{}", pct(id))
}

fn ext(home: &str, name: &str) -> String {
    format!("{home}/kefu/xapi/{name}")
}

fn lang_map(t: &Text) -> Value {
    let mut m = Map::new();
    m.insert("zh-CN".into(), Value::String(t.zh.clone()));
    if let Some(en) = t.en.as_ref().filter(|e| !e.is_empty()) {
        m.insert("en-US".into(), Value::String(en.clone()));
    }
    Value::Object(m)
}

/// ISO 8601 duration of `ms` milliseconds (`PT12.345S`).
pub fn duration(ms: u64) -> String {
    format!("PT{}.{:03}S", ms / 1000, ms % 1000)
}

/// `started_at` (RFC 3339) moved on by `ms`, as RFC 3339 with milliseconds; `started_at` as it
/// is when it cannot be read.
fn at(started_at: &str, ms: u64) -> String {
    // humantime writes years up to 9999 only (a later time would panic): past that, the start.
    const LAST: u64 = 253_402_300_799;
    match humantime::parse_rfc3339_weak(started_at.trim_end_matches('Z')).ok().and_then(|t| t.checked_add(std::time::Duration::from_millis(ms))) {
        Some(t) if t.duration_since(std::time::UNIX_EPOCH).is_ok_and(|d| d.as_secs() <= LAST) => humantime::format_rfc3339_millis(t).to_string(),
        _ => started_at.to_string(),
    }
}

/// Statements for one attempt: its answers in order, then the attempt. `record_text` is the
/// record file's whole text as filed (seal included), carried so the LRS alone can re-score
/// and re-check it.
pub fn build(rec: &AttemptRecord, record_text: &str, scenario_hash: &str, scorer: &Scorer, ctx: &Context) -> Result<Vec<Value>, BuildError> {
    let scenario = scorer.scenario();
    if scenario.id != rec.scenario_id {
        return Err(BuildError::WrongScenario { record: rec.scenario_id.clone(), scenario: scenario.id.clone() });
    }
    let session = Session::replay(scenario.clone(), rec.seed, &rec.log).map_err(|(index, e)| BuildError::Replay { index, message: e.to_string() })?;
    let report = scorer.score_session(&session, &Ratings::new());
    let reg = registration(rec);
    let home = ctx.home_page;
    let actor = json!({
        "objectType": "Agent",
        "name": if rec.player.name.is_empty() { rec.player.id.clone() } else { rec.player.name.clone() },
        "account": { "homePage": home, "name": rec.player.id },
    });
    let scenario_activity = json!({
        "objectType": "Activity",
        "id": scenario_iri(home, &scenario.id),
        "definition": { "type": ASSESSMENT, "name": lang_map(&scenario.title) },
    });
    let mut grouping = vec![json!({
        "objectType": "Activity",
        "id": format!("{home}/kefu/course"),
        "definition": { "type": COURSE, "name": { "zh-CN": "物流客户服务", "en-US": "Logistics Customer Service" } },
    })];
    if let Some(class) = ctx.class {
        grouping.push(json!({ "objectType": "Activity", "id": format!("{home}/kefu/classes/{}", pct(class)), "definition": { "name": { "zh-CN": class } } }));
    }
    let mut context_ext = Map::new();
    if let Some(class) = ctx.class {
        context_ext.insert(ext(home, "class"), json!(class));
    }
    if let Some(group) = rec.player.group.as_ref().filter(|g| !g.is_empty()) {
        context_ext.insert(ext(home, "group"), json!(group));
    }
    let context = |extra: Option<(String, Value)>| {
        let mut ext_map = context_ext.clone();
        if let Some((k, v)) = extra {
            ext_map.insert(k, v);
        }
        let mut c = json!({
            "registration": reg.to_string(),
            "platform": rec.app,
            "language": "zh-CN",
            "contextActivities": { "parent": [scenario_activity.clone()], "grouping": grouping.clone() },
        });
        if !ext_map.is_empty() {
            c["extensions"] = Value::Object(ext_map);
        }
        c
    };

    // A group attempt: each answer's actor is the member who gave it; the attempt names the
    // whole group as its context's team.
    let member_agent = |id: &str, name: &str| json!({ "objectType": "Agent", "name": if name.is_empty() { id } else { name }, "account": { "homePage": home, "name": id } });
    let team = rec.group.as_ref().map(|g| json!({ "objectType": "Group", "name": g.name, "member": g.members.iter().map(|m| member_agent(&m.id, &m.name)).collect::<Vec<_>>() }));
    let context = |extra: Option<(String, Value)>| {
        let mut c = context(extra);
        if let Some(t) = &team {
            c["team"] = t.clone();
        }
        c
    };
    // The log entry of each step (hints make entries without steps).
    let entries: Vec<usize> = rec.log.iter().enumerate().filter(|(_, e)| !matches!(e.action, Action::Hint)).map(|(i, _)| i).collect();
    let answerer = |step_index: usize| -> Value {
        let by = rec.group.as_ref().and_then(|g| entries.get(step_index).and_then(|e| g.by.get(*e)).and_then(|id| g.members.iter().find(|m| m.id == *id)));
        match by {
            Some(m) => member_agent(&m.id, &m.name),
            None => actor.clone(),
        }
    };
    let mut out = Vec::new();
    let mut clock = 0u64;
    let steps: Vec<(usize, &crate::session::Step)> = session.steps().iter().enumerate().filter(|(_, s)| s.is_decision() && s.counts()).collect();
    for (i, ((step_index, step), decision)) in steps.iter().zip(&report.decisions).enumerate() {
        clock = clock.saturating_add(step.elapsed_ms);
        let index = u32::try_from(i).unwrap_or(u32::MAX - 1);
        let node = scenario.node(&step.node);
        let (itype, definition_extra) = interaction(node, &session);
        let mut definition = json!({ "type": INTERACTION, "name": lang_map(&decision.prompt), "interactionType": itype });
        if let (Value::Object(d), Value::Object(extra)) = (&mut definition, definition_extra) {
            d.extend(extra);
        }
        let mut result = json!({
            "response": response(&step.action),
            "success": step.expert || step.credit.is_some_and(|c| c >= 1.0),
            "duration": duration(step.elapsed_ms),
            "extensions": {
                ext(home, "points"): step.effects,
                ext(home, "timed-out"): step.timed_out,
            },
        });
        if let Some(c) = step.credit {
            result["score"] = json!({ "scaled": (c.clamp(0.0, 1.0) * 1000.0).round() / 1000.0 });
        }
        if !decision.critical.is_empty() {
            result["extensions"][ext(home, "critical")] = json!(decision.critical.iter().map(|c| c.name.zh.clone()).collect::<Vec<_>>());
        }
        out.push(json!({
            "id": statement_id(&reg, index).to_string(),
            "actor": answerer(*step_index),
            "verb": { "id": VERB_ANSWERED, "display": { "zh-CN": "作答", "en-US": "answered" } },
            "object": {
                "objectType": "Activity",
                "id": format!("{}/nodes/{}", scenario_iri(home, &scenario.id), pct(&step.node)),
                "definition": definition,
            },
            "result": result,
            "context": context(None),
            "timestamp": at(&rec.started_at, clock),
        }));
    }

    let (verb, display) = attempt_verb(rec, &report, scorer);
    let record_ext = json!({
        "format": "kefu-attempt-record",
        "schema_version": rec.schema_version,
        "scenario_hash": rec.scenario_hash,
        "seed": rec.seed,
        "log": rec.log,
        "text": record_text,
    });
    let mut result = json!({
        "score": {
            "scaled": if report.total_max == 0 { 0.0 } else { (f64::from(report.total) / f64::from(report.total_max) * 1000.0).round() / 1000.0 },
            "raw": report.total,
            "min": 0,
            "max": report.total_max,
        },
        "completion": report.finished,
        "duration": duration(report.elapsed_ms),
        "extensions": {
            ext(home, "five-s"): five_s(&report),
            ext(home, "rubric"): rubric(&report),
            ext(home, "band"): { "band": report.band.band, "points": report.band.points, "min": report.band.min, "max": report.band.max },
            ext(home, "grade"): lang_map(&report.grade),
            ext(home, "provisional"): report.provisional,
            ext(home, "hints"): { "used": report.hints_used, "cost": report.hint_cost },
            ext(home, "critical"): report.critical.iter().map(|c| json!({ "node": c.node, "name": lang_map(&c.name), "cap": lang_map(&c.cap_text) })).collect::<Vec<_>>(),
            ext(home, "scenario-changed"): rec.scenario_hash != scenario_hash,
            ext(home, "exam-mode"): rec.exam_mode,
        },
    });
    if matches!(verb, VERB_PASSED | VERB_FAILED) {
        result["success"] = json!(verb == VERB_PASSED);
    }
    out.push(json!({
        "id": statement_id(&reg, u32::MAX).to_string(),
        "actor": actor,
        "verb": { "id": verb, "display": display },
        "object": scenario_activity,
        "result": result,
        "context": context(Some((format!("{home}/{RECORD_EXT}"), record_ext))),
        "timestamp": at(&rec.started_at, report.elapsed_ms.max(clock)),
    }));
    Ok(out)
}

/// passed / failed for a final grade (the pass line is the rubric's lowest grade level above 0:
/// 60 of 100 in the course), completed while people still have points to give, terminated for an
/// attempt left unfinished.
fn attempt_verb(rec: &AttemptRecord, report: &Report, scorer: &Scorer) -> (&'static str, Value) {
    if !rec.finished || !report.finished {
        return (VERB_TERMINATED, json!({ "zh-CN": "未完成", "en-US": "terminated" }));
    }
    if report.provisional {
        return (VERB_COMPLETED, json!({ "zh-CN": "完成（待老师评分）", "en-US": "completed" }));
    }
    let pass = scorer.scenario().rubric.grades.iter().map(|g| g.min).filter(|m| *m > 0).min().unwrap_or(60);
    if report.total >= pass {
        (VERB_PASSED, json!({ "zh-CN": "及格", "en-US": "passed" }))
    } else {
        (VERB_FAILED, json!({ "zh-CN": "不及格", "en-US": "failed" }))
    }
}

fn five_s(report: &Report) -> Value {
    let mut m = Map::new();
    for d in &report.dimensions {
        m.insert(d.dim.key().to_string(), json!({ "name": lang_map(&d.name), "percent": d.percent, "points": d.points, "max": d.max }));
    }
    Value::Object(m)
}

fn rubric(report: &Report) -> Value {
    let mut m = Map::new();
    for c in &report.criteria {
        m.insert(c.key.clone(), json!({ "name": lang_map(&c.name), "points": c.points, "max": c.max, "source": c.source }));
    }
    m.insert("band".into(), json!({ "name": { "zh-CN": "小组评价", "en-US": "group band" }, "points": report.band.points, "max": report.band.max }));
    Value::Object(m)
}

/// The xAPI interaction type that fits the node, and what the definition says beside it.
fn interaction(node: Option<&Node>, session: &Session) -> (&'static str, Value) {
    let desc = |id: &str, t: &Text| json!({ "id": id, "description": lang_map(&Text { zh: session.render(t, crate::scenario::Lang::Zh), en: t.en.as_ref().map(|_| session.render(t, crate::scenario::Lang::En)) }) });
    match node {
        Some(Node::Choice(c)) => {
            let experts: Vec<&str> = c.options.iter().filter(|o| o.expert).map(|o| o.id.as_str()).collect();
            let mut v = json!({ "choices": c.options.iter().map(|o| desc(&o.id, &o.text)).collect::<Vec<_>>() });
            if !experts.is_empty() {
                v["correctResponsesPattern"] = json!(experts);
            }
            ("choice", v)
        }
        Some(Node::Order(_)) | Some(Node::Compose(_)) => ("sequencing", json!({})),
        Some(Node::Match(_)) => ("matching", json!({})),
        Some(Node::Form(_)) | Some(Node::Table(_)) | Some(Node::Dial(_)) => ("fill-in", json!({})),
        Some(Node::Say(_)) => ("long-fill-in", json!({})),
        _ => ("other", json!({})),
    }
}

/// The response in xAPI's format for the interaction type (`[,]` between items, `[.]` in pairs).
fn response(action: &Action) -> String {
    match action.inner() {
        Action::Choose(id) => id.clone(),
        Action::Order(ids) | Action::Compose(ids) => ids.join("[,]"),
        Action::Match(pairs) => pairs.iter().map(|(a, b)| format!("{a}[.]{b}")).collect::<Vec<_>>().join("[,]"),
        Action::Form(fields) => fields.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join("[,]"),
        Action::Table(rows) => rows.iter().map(|r| r.join(" ")).collect::<Vec<_>>().join("[,]"),
        Action::Say(text) | Action::Dial(text) => text.clone(),
        Action::Pickup => "pickup".into(),
        Action::Timeout => "timeout".into(),
        Action::Continue => "continue".into(),
        Action::Hint => "hint".into(),
        Action::Retry(_) => String::new(),
    }
}

/// The record file text an attempt statement carries, if it is one of ours.
pub fn record_text(statement: &Value) -> Option<&str> {
    let exts = statement.get("context")?.get("extensions")?.as_object()?;
    exts.iter().find(|(k, _)| k.ends_with(RECORD_EXT)).and_then(|(_, v)| v.get("text")).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_fixed_by_attempt_and_index() {
        let r = Uuid::nil();
        let a = statement_id(&r, 0);
        assert_eq!(a, statement_id(&r, 0));
        assert_ne!(a, statement_id(&r, 1));
        assert_eq!(a.get_version_num(), 8);
        assert_eq!(a.to_string().len(), 36);
    }

    #[test]
    fn times_and_durations() {
        assert_eq!(duration(61_005), "PT61.005S");
        assert_eq!(at("2026-12-03T05:00:00Z", 1500), "2026-12-03T05:00:01.500Z");
        assert_eq!(at("not a time", 1), "not a time");
        assert_eq!(at("9999-12-31T23:59:59Z", u64::MAX), "9999-12-31T23:59:59Z", "no panic past year 9999");
    }

    #[test]
    fn why_an_attempt_has_no_statements_is_said_in_chinese_too() {
        let e = BuildError::WrongScenario { record: "p1t1".into(), scenario: "p1t2".into() };
        assert_eq!(e.message(crate::scenario::Lang::Zh), "这份记录属于场景“p1t1”，不是“p1t2”");
        assert_eq!(e.message(crate::scenario::Lang::En), "the record is for scenario `p1t1`, not `p1t2`");
    }

    #[test]
    fn ids_in_iris_are_encoded() {
        assert_eq!(scenario_iri("https://s.example", "p1t1 客户"), "https://s.example/kefu/scenarios/p1t1%20%E5%AE%A2%E6%88%B7");
    }
}
