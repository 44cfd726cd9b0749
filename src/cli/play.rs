//! `kefu play`: play a scenario in the terminal, or a scripted list of answers.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::{CliError, EXIT_OK, EXIT_PROBLEMS};
use crate::records::seal::{ClassKey, load_key};
use crate::records::store::save_record;
use crate::records::{AttemptRecord, Player};
use crate::scenario::{Lang, load_file};
use crate::scoring::{Ratings, Report, Scorer};
use crate::session::group::{GroupPlay, Member};
use crate::session::{Action, Event, Session, View};

/// Where `--record` files the attempt.
pub struct Filing {
    pub dir: PathBuf,
    /// `学号` or `学号,姓名`.
    pub player: String,
    pub key: Option<PathBuf>,
}

impl Filing {
    fn player(&self, lang: Lang) -> Result<Player, CliError> {
        let (id, name) = self.player.split_once([',', '，']).unwrap_or((&self.player, ""));
        let (id, name) = (id.trim(), name.trim());
        if id.is_empty() || id.chars().any(char::is_control) || name.chars().any(char::is_control) {
            return Err(CliError::Msg(lang.pick("--player 要写学号，或“学号,姓名”", "--player needs a student id, or “id,name”").into()));
        }
        Ok(Player { id: id.to_string(), name: name.to_string(), group: None })
    }
}

#[allow(clippy::too_many_arguments, reason = "one per command-line option")]
pub fn run(path: &Path, seed: Option<u64>, answers: Option<&Path>, json: bool, filing: Option<&Filing>, group: Option<&str>, lang: Lang, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<u8, CliError> {
    let loaded = match load_file(path) {
        Ok(l) => l,
        Err(d) => {
            writeln!(out, "{}", d.render(lang))?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    let mut team = match group {
        Some(g) => Some(parse_group(g, lang)?),
        None => None,
    };
    // Everything --record needs is checked before anyone plays. A group files under its first
    // member unless --player names someone.
    let filing = match filing {
        Some(f) => {
            let player = match (&team, f.player.trim().is_empty()) {
                (Some(t), true) => Player { id: t.members[0].id.clone(), name: t.members[0].name.clone(), group: Some(t.name.clone()).filter(|n| !n.is_empty()) },
                (Some(t), false) => {
                    // A group attempt is filed under one of its members.
                    let p = f.player(lang)?;
                    if t.index_of(&p.id).is_none() {
                        return Err(CliError::Msg(lang.pick("--player 必须是 --group 里的一位组员（或者不写 --player：记在第一位组员名下）", "--player must be one of the --group members (or leave --player out: filed under the first member)").into()));
                    }
                    p
                }
                _ => f.player(lang)?,
            };
            Some((f, player, load_key(f.key.as_deref()).map_err(|e| CliError::Msg(e.message(lang)))?))
        }
        None => None,
    };
    let started = SystemTime::now();
    let seed = seed.unwrap_or_else(rand::random);
    let scorer = Scorer::new(Arc::clone(&loaded.scenario));
    let session = match answers {
        Some(file) => {
            let text = crate::fsread::read_text(file, crate::fsread::Kind::Answers)
                .map_err(|e| CliError::Msg(format!("{}: {}", file.display(), crate::fsread::describe(&e, lang))))?;
            // A byte-order mark (Notepad's UTF-8) and CR line ends are accepted, as in scenarios.
            let text = crate::fsread::normalize(&text);
            let events: Vec<Event> = ron::from_str(&text)
                .map_err(|e| CliError::Msg(format!("{}:{}: {}", file.display(), e.span.start, crate::fsread::clip(&e.code.to_string()))))?;
            let mut s = Session::new(Arc::clone(&loaded.scenario), seed).map_err(|e| CliError::Msg(e.to_string()))?;
            for (i, ev) in events.iter().enumerate() {
                let who = team.as_ref().map(|t| t.answerer(&s, &ev.action));
                s.apply(ev).map_err(|e| {
                    CliError::Msg(match lang {
                        Lang::Zh => format!("{}：第 {} 条答案：{}", file.display(), i + 1, e.message(lang)),
                        Lang::En => format!("{}: answer {}: {e}", file.display(), i + 1),
                    })
                })?;
                if let (Some(t), Some(who)) = (team.as_mut(), who) {
                    t.credit(&s, who);
                }
            }
            s
        }
        None => interactive(&loaded.scenario, seed, team.as_mut(), lang, input, out)?,
    };
    let report = scorer.score_session(&session, &Ratings::new());
    if !json {
        print_ending(&session, lang, out)?;
    }

    if let Some((f, player, key)) = filing {
        let saved = file_attempt(&session, &loaded.hash, player, team.clone(), key.as_ref(), &f.dir, started, answers.is_some(), lang)?;
        if !json {
            match lang {
                Lang::Zh => writeln!(out, "已保存作答记录：{}{}", saved.display(), if key.is_some() { "（已签名）" } else { "（没有班级密钥，未签名）" })?,
                Lang::En => writeln!(out, "attempt filed: {}{}", saved.display(), if key.is_some() { " (signed)" } else { " (no class key: not signed)" })?,
            }
        }
        if let Some(note) = to_lrs(&saved, &loaded, &scorer, lang)
            && !json
        {
            writeln!(out, "{note}")?;
        }
    }
    if json {
        match &team {
            // A group attempt: the whole attempt's report, then each member's.
            Some(t) => {
                let members: Vec<serde_json::Value> = t
                    .members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let r = scorer.score_member(&session, t, i, &Ratings::new());
                        serde_json::json!({ "id": m.id, "name": m.name, "passed": t.passes.iter().filter(|p| p.from == m.id).count(), "took_over": t.passes.iter().filter(|p| p.to == m.id).count(), "report": r })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "group": t.name, "report": report, "members": members }))?;
            }
            None => serde_json::to_writer_pretty(&mut *out, &report)?,
        }
        writeln!(out)?;
    } else {
        print_report(&report, lang, out)?;
    }
    if let Some(t) = &team {
        print_members(&scorer, &session, t, json, lang, out)?;
    }
    Ok(EXIT_OK)
}

/// File the attempt as the app does: a new record file, sealed when there is a class key.
/// An attempt played from an answers file is taken to have been played with the file's
/// times, ending now.
#[allow(clippy::too_many_arguments, reason = "what a record holds")]
fn file_attempt(session: &Session, hash: &str, player: Player, group: Option<GroupPlay>, key: Option<&ClassKey>, dir: &Path, started: SystemTime, scripted: bool, lang: Lang) -> Result<PathBuf, CliError> {
    let mut record = AttemptRecord::start(session, hash, player);
    record.group = group;
    record.sync(session);
    let start = if scripted {
        let thought: u64 = session.log().iter().fold(0u64, |a, e| a.saturating_add(e.elapsed_ms));
        SystemTime::now().checked_sub(Duration::from_millis(thought)).ok_or_else(|| CliError::Msg(lang.pick("答案文件里的用时太长，无法记成一次作答", "the answers file's times are too long for an attempt").into()))?
    } else {
        started
    };
    record.started_at = humantime::format_rfc3339_seconds(start).to_string();
    save_record(dir, &record, key).map_err(|e| CliError::Msg(format!("{}: {e}", dir.display())))
}

fn read_line(input: &mut dyn BufRead) -> Result<Option<String>, CliError> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim().to_string()))
}

fn numbers(s: &str, n: usize) -> Option<Vec<usize>> {
    let v: Option<Vec<usize>> = s.split(|c: char| c == ',' || c.is_whitespace()).filter(|x| !x.is_empty()).map(|x| x.parse::<usize>().ok().filter(|&k| k >= 1 && k <= n).map(|k| k - 1)).collect();
    v.filter(|v| !v.is_empty())
}

fn interactive(sc: &Arc<crate::Scenario>, seed: u64, mut team: Option<&mut GroupPlay>, lang: Lang, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<Session, CliError> {
    let mut s = Session::new(Arc::clone(sc), seed).map_err(|e| CliError::Msg(e.to_string()))?;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    writeln!(out, "== {} ==\n{}\n", sc.title.get(lang), s.render(&sc.situation, lang))?;
    writeln!(out, "{}", t("（输入 h 查看提示，q 退出）", "(type h for a hint, q to quit)"))?;
    if let Some(g) = team.as_deref() {
        print_team(sc, g, lang, out)?;
    }
    let mut shown: Option<(String, Instant)> = None;
    // Who gave what the session logs next (credited at the top of each round and at the end).
    let mut who = 0usize;
    // The turn is said once per decision (and again after a pass), not at every re-prompt.
    let mut said: Option<(usize, usize)> = None;
    let result = loop {
        if let Some(g) = team.as_deref_mut() {
            g.credit(&s, who);
            let turn = g.whose_turn(&s);
            who = turn.member;
            if s.node().kind() != "Line" && !s.is_ended() && said != Some((s.log().len(), who)) {
                writeln!(out, "\n{}", turn_line(sc, g, &turn, lang))?;
                said = Some((s.log().len(), who));
            }
        }
        match round(&mut s, &mut shown, team.as_deref_mut(), lang, input, out)? {
            Some(done) => break done,
            None => continue,
        }
    };
    if let Some(g) = team {
        g.credit(&s, who);
    }
    Ok(result)
}

/// `--group 学号[:姓名],学号[:姓名],…` (optionally `组名=` first), members in turn order.
pub(crate) fn parse_group(arg: &str, lang: Lang) -> Result<GroupPlay, CliError> {
    let (name, list) = match arg.split_once('=') {
        Some((n, l)) => (n.trim(), l),
        None => ("", arg),
    };
    let mut members: Vec<Member> = Vec::new();
    for part in list.split([',', '，']).map(str::trim).filter(|p| !p.is_empty()) {
        let (id, nm) = part.split_once([':', '：']).unwrap_or((part, ""));
        let (id, nm) = (id.trim(), nm.trim());
        if id.is_empty() || id.chars().any(char::is_control) || nm.chars().any(char::is_control) || members.iter().any(|m| m.id == id) {
            return Err(CliError::Msg(lang.pick("--group 要写组员的学号，用逗号分开，例如 --group 第一组=2024001:王玥,2024002:李堃（每个学号只写一次）", "--group needs the members' ids separated by commas, e.g. --group G1=2024001:Wang,2024002:Li (each id once)").into()));
        }
        members.push(Member { id: id.to_string(), name: nm.to_string() });
    }
    if members.is_empty() {
        return Err(CliError::Msg(lang.pick("--group 至少要写一个学号", "--group needs at least one student id").into()));
    }
    Ok(GroupPlay::new(name, members))
}

fn member_label(g: &GroupPlay, i: usize) -> String {
    g.members.get(i).map(|m| if m.name.is_empty() { m.id.clone() } else { format!("{} {}", m.id, m.name) }).unwrap_or_default()
}

fn role_name(sc: &crate::Scenario, role: &str, lang: Lang) -> String {
    sc.roles.iter().find(|r| r.id == role).map(|r| r.name.get(lang).to_string()).unwrap_or_else(|| role.to_string())
}

/// Who plays what, before the first line.
fn print_team(sc: &crate::Scenario, g: &GroupPlay, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let by_role = crate::session::group::by_role(sc);
    writeln!(out, "{}", if by_role { lang.pick("小组按角色分工：", "The group shares the decisions by role:") } else { lang.pick("小组轮流作答：", "The group takes the decisions in turns:") })?;
    for i in 0..g.members.len() {
        let role = crate::session::group::member_role(sc, i).map(|r| format!(" — {}", role_name(sc, r, lang))).unwrap_or_default();
        writeln!(out, "  {}. {}{role}", i + 1, member_label(g, i))?;
    }
    writeln!(out, "{}", lang.pick("（轮到你时输入 p 和组员编号，把这一步让给组员，例如 p 2）", "(on your turn, type p and a teammate's number to pass the decision, e.g. p 2)"))
}

fn turn_line(sc: &crate::Scenario, g: &GroupPlay, turn: &crate::session::group::Turn, lang: Lang) -> String {
    let role = turn.role.as_deref().map(|r| format!("（{}）", role_name(sc, r, lang))).unwrap_or_default();
    let from = turn.passed_from.map(|f| match lang {
        Lang::Zh => format!("，{} 让给的", member_label(g, f)),
        Lang::En => format!(", passed on by {}", member_label(g, f)),
    });
    match lang {
        Lang::Zh => format!("【轮到 {}. {}{role}{}】", turn.member + 1, member_label(g, turn.member), from.unwrap_or_default()),
        Lang::En => format!("[{}. {}{role}'s turn{}]", turn.member + 1, member_label(g, turn.member), from.unwrap_or_default()),
    }
}

/// Each member's part of a group attempt: their decisions, passes and points.
fn print_members(scorer: &Scorer, session: &Session, g: &GroupPlay, json: bool, lang: Lang, out: &mut dyn Write) -> Result<(), CliError> {
    if json || g.members.len() < 2 {
        return Ok(());
    }
    writeln!(out, "\n{}", lang.pick("== 组员 ==", "== Members =="))?;
    for (i, m) in g.members.iter().enumerate() {
        let r = scorer.score_member(session, g, i, &Ratings::new());
        let passed = g.passes.iter().filter(|p| p.from == m.id).count();
        let took = g.passes.iter().filter(|p| p.to == m.id).count();
        let crit: Vec<String> = r.criteria.iter().map(|c| format!("{} {}", c.name.get(lang), c.points.map_or("—".to_string(), |p| format!("{p}/{}", c.max)))).collect();
        match lang {
            Lang::Zh => writeln!(out, "  {}：{} 个决定，让出 {passed} 次，接过 {took} 次；{}；总分 {}", member_label(g, i), r.decisions.len(), crit.join("，"), r.projected)?,
            Lang::En => writeln!(out, "  {}: {} decision(s), passed {passed}, took over {took}; {}; total {}", member_label(g, i), r.decisions.len(), crit.join(", "), r.projected)?,
        }
    }
    Ok(())
}

/// One round of the terminal play: show the node, read the answer and give it. `Some(session)`
/// when play is over (the ending, `q`, or the end of input).
fn round(s: &mut Session, shown: &mut Option<(String, Instant)>, team: Option<&mut GroupPlay>, lang: Lang, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<Option<Session>, CliError> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    {
        let view = s.view(lang);
        // The clock of a node runs from when it was first shown: a hint or a line typed wrong
        // does not restart a countdown.
        let shown_at = match &*shown {
            Some((node, at)) if node == s.node_id() => *at,
            _ => {
                let now = Instant::now();
                *shown = Some((s.node_id().to_string(), now));
                now
            }
        };
        let print_list = |out: &mut dyn Write, items: &[crate::session::Shown]| -> std::io::Result<()> {
            for (i, it) in items.iter().enumerate() {
                writeln!(out, "  {}. {}", i + 1, it.text)?;
            }
            Ok(())
        };
        let action = match &view {
            // The ending is said by `run`, before the score.
            View::Ended { .. } => return Ok(Some(s.clone())),
            View::Line { speaker, text, .. } => {
                match speaker {
                    Some(sp) => writeln!(out, "{}：{text}", sp.name)?,
                    // Narration in brackets, unless the author already wrote them.
                    None if text.starts_with(['（', '(']) && text.ends_with(['）', ')']) => writeln!(out, "{text}")?,
                    None => writeln!(out, "（{text}）")?,
                }
                write!(out, "{}", t("[回车继续] ", "[Enter] "))?;
                Action::Continue
            }
            View::Choice { prompt, options, speaker, time_limit_ms, .. } => {
                writeln!(out, "\n{}{prompt}{}", speaker.as_ref().map(|s| format!("{}：", s.name)).unwrap_or_default(), limit_note(*time_limit_ms, lang))?;
                print_list(out, options)?;
                Action::Choose(String::new())
            }
            View::Match { prompt, categories, .. } => {
                writeln!(out, "\n{prompt}")?;
                writeln!(out, "{}", t("类别：", "categories:"))?;
                print_list(out, categories)?;
                Action::Match(Vec::new())
            }
            View::Order { prompt, steps, .. } => {
                writeln!(out, "\n{prompt}")?;
                print_list(out, steps)?;
                writeln!(out, "{}", t("按正确顺序输入编号，用空格分开：", "type the numbers in the right order, separated by spaces:"))?;
                Action::Order(Vec::new())
            }
            View::Form { prompt, .. } => {
                writeln!(out, "\n{prompt}")?;
                Action::Form(Vec::new())
            }
            View::Compose { prompt, phrases, .. } => {
                writeln!(out, "\n{prompt}")?;
                print_list(out, phrases)?;
                writeln!(out, "{}", t("输入要使用的短语编号（按顺序，用空格分开）：", "type the phrase numbers to use, in order, separated by spaces:"))?;
                Action::Compose(Vec::new())
            }
            View::Say { prompt, speaker, max_chars, time_limit_ms, .. } => {
                writeln!(out, "\n{}{prompt}{}", speaker.as_ref().map(|s| format!("（{}）", s.name)).unwrap_or_default(), limit_note(*time_limit_ms, lang))?;
                match lang {
                    Lang::Zh => writeln!(out, "请输入你要说的话（一到三句，最多 {max_chars} 字），回车提交：")?,
                    Lang::En => writeln!(out, "type what you would say (one to three sentences, at most {max_chars} characters), then Enter:")?,
                }
                Action::Say(String::new())
            }
            View::Table { prompt, keys, data, columns, .. } => {
                writeln!(out, "\n{prompt}")?;
                writeln!(out, "  {}", keys.iter().fold(String::new(), |acc, k| acc + "\t" + k))?;
                for d in data {
                    writeln!(out, "  {}\t{}", d.name, d.values.join("\t"))?;
                }
                let fill: Vec<&str> = columns.iter().filter(|c| !c.given).map(|c| c.label.as_str()).collect();
                match lang {
                    Lang::Zh => writeln!(out, "逐行输入：{}（用空格分开，回车换下一行）", fill.join("　"))?,
                    Lang::En => writeln!(out, "type each row: {} (separated by spaces, Enter for the next row)", fill.join(" | "))?,
                }
                Action::Table(Vec::new())
            }
            View::Phone { prompt, .. } => {
                writeln!(out, "\n{prompt}\n{}", t("☎ 电话响了！按回车接听。", "☎ The phone is ringing! Press Enter to answer."))?;
                Action::Pickup
            }
            View::Dial { prompt, speaker, directory, max_digits, tries, max_tries, .. } => {
                writeln!(out, "\n{}{prompt}", speaker.as_ref().map(|s| format!("{}：", s.name)).unwrap_or_default())?;
                if !directory.is_empty() {
                    writeln!(out, "{}", t("号码表：", "Directory:"))?;
                    for l in directory {
                        writeln!(out, "  {}  {}", l.number, l.label)?;
                    }
                }
                match lang {
                    Lang::Zh => writeln!(out, "☎ 输入要拨的号码（最多 {max_digits} 位；已拨 {tries} 次，最多 {max_tries} 次），回车拨出：")?,
                    Lang::En => writeln!(out, "☎ type the number to dial (at most {max_digits} digits; {tries} of {max_tries} tries made), then Enter:")?,
                }
                Action::Dial(String::new())
            }
        };
        // Hints are taken where the answer is one line (h): say what the next one costs.
        if !matches!(view, View::Form { .. } | View::Table { .. })
            && let Some((left, cost)) = s.next_hint()
        {
            match lang {
                Lang::Zh => writeln!(out, "（输入 h 看提示：扣 {cost} 分，还有 {left} 条）")?,
                Lang::En => writeln!(out, "(type h for a hint: costs {cost} point(s), {left} left)")?,
            }
        }
        out.flush()?;
        let action = match (action, &view) {
            (Action::Match(_), View::Match { items, categories, .. }) => {
                let mut pairs = Vec::new();
                for it in items {
                    loop {
                        write!(out, "{} → ", it.text)?;
                        out.flush()?;
                        let Some(line) = read_line(input)? else { return Ok(Some(s.clone())) };
                        if line == "h" {
                            show_hint(s, shown_at, lang, out)?;
                            continue;
                        }
                        if let Some(v) = numbers(&line, categories.len()) {
                            pairs.push((it.id.clone(), categories[v[0]].id.clone()));
                            break;
                        }
                    }
                }
                Action::Match(pairs)
            }
            (Action::Table(_), View::Table { places, columns, .. }) => {
                let mut rows = Vec::new();
                for place in places {
                    write!(out, "{place} → ")?;
                    out.flush()?;
                    let Some(line) = read_line(input)? else { return Ok(Some(s.clone())) };
                    let mut words = line.split_whitespace();
                    rows.push(columns.iter().map(|c| if c.given { String::new() } else { words.next().unwrap_or("").to_string() }).collect());
                }
                Action::Table(rows)
            }
            (Action::Form(_), View::Form { fields, .. }) => {
                let mut vals = Vec::new();
                for f in fields {
                    write!(out, "{}：", f.text)?;
                    out.flush()?;
                    let Some(line) = read_line(input)? else { return Ok(Some(s.clone())) };
                    vals.push((f.id.clone(), line));
                }
                Action::Form(vals)
            }
            (a, _) => {
                let Some(line) = read_line(input)? else { return Ok(Some(s.clone())) };
                if line == "q" {
                    return Ok(Some(s.clone()));
                }
                if line == "h" {
                    show_hint(s, shown_at, lang, out)?;
                    return Ok(None);
                }
                // A group member passes the decision: `p 2`.
                if let Some(g) = team
                    && let Some(n) = line.strip_prefix(['p', 'P']).and_then(|n| n.trim().parse::<usize>().ok())
                {
                    if !(n >= 1 && g.pass(s, n - 1)) {
                        writeln!(out, "{}", t("（p 后面写另一位组员的编号）", "(write another member's number after p)"))?;
                    }
                    return Ok(None);
                }
                match (a, &view) {
                    (Action::Choose(_), View::Choice { options, .. }) => match numbers(&line, options.len()) {
                        Some(v) => Action::Choose(options[v[0]].id.clone()),
                        None => return Ok(None),
                    },
                    (Action::Order(_), View::Order { steps, .. }) => match numbers(&line, steps.len()) {
                        Some(v) => Action::Order(v.into_iter().map(|i| steps[i].id.clone()).collect()),
                        None => return Ok(None),
                    },
                    (Action::Compose(_), View::Compose { phrases, .. }) => match numbers(&line, phrases.len()) {
                        Some(v) => Action::Compose(v.into_iter().map(|i| phrases[i].id.clone()).collect()),
                        None => return Ok(None),
                    },
                    (Action::Say(_), View::Say { .. }) => Action::Say(line),
                    (Action::Dial(_), View::Dial { .. }) => {
                        writeln!(out, "{}", t("嘟……嘟……", "Brr… brr…"))?;
                        Action::Dial(line)
                    }
                    (a, _) => a,
                }
            }
        };
        if let View::Phone { .. } = view {
            let ring = s.ring_at(elapsed(shown_at));
            match lang {
                Lang::Zh => writeln!(out, "（第 {ring} 声铃响时接起）")?,
                Lang::En => writeln!(out, "(answered on ring {ring})")?,
            }
        }
        let limit = s.time_limit_ms().filter(|_| !matches!(view, View::Phone { .. }));
        let took = elapsed(shown_at);
        *shown = None;
        match s.answer(action, took) {
            Ok(step) => {
                // As in the app: an answer after the countdown is the timeout.
                if step.timed_out
                    && let Some(limit) = limit
                {
                    match lang {
                        Lang::Zh => writeln!(out, "  ⏱ 超过了限时（用了 {} 秒，限时 {} 秒）：按超时处理", took / 1000, limit / 1000)?,
                        Lang::En => writeln!(out, "  ⏱ past the time limit ({} s taken, {} s allowed): counted as a timeout", took / 1000, limit / 1000)?,
                    }
                }
                if step.kind == "Say" {
                    for m in &step.marks {
                        let mark = if m.right { "✓" } else { "✗" };
                        writeln!(out, "  {mark} {}：{}", m.label.get(lang), m.given.get(lang))?;
                    }
                }
                let fb: Vec<String> = step.feedback.iter().map(|f| f.get(lang).to_string()).collect();
                let step_render: Vec<String> = fb.iter().map(|f| crate::scenario::text::substitute(f, |k| s.values().get(k).map(|v| v.get(lang).to_string()))).collect();
                for f in step_render {
                    writeln!(out, "  ✎ {f}")?;
                }
            }
            Err(e) => writeln!(out, "  ! {}", e.message(lang))?,
        }
    }
    Ok(None)
}

/// " （限时 20 秒）" after a timed prompt; nothing without a countdown.
fn limit_note(limit_ms: Option<u64>, lang: Lang) -> String {
    match (limit_ms, lang) {
        (Some(ms), Lang::Zh) => format!("（限时 {} 秒）", ms.div_ceil(1000)),
        (Some(ms), Lang::En) => format!(" (time limit: {} s)", ms.div_ceil(1000)),
        (None, _) => String::new(),
    }
}

/// Take the next hint and show it with what it cost.
fn show_hint(s: &mut Session, shown_at: Instant, lang: Lang, out: &mut dyn Write) -> Result<(), CliError> {
    let cost = s.next_hint().map(|(_, c)| c);
    match (s.hint(elapsed(shown_at)), cost) {
        (Ok(h), Some(c)) => match lang {
            Lang::Zh => writeln!(out, "💡 提示（扣 {c} 分）：{}", s.render(&h, lang))?,
            Lang::En => writeln!(out, "💡 Hint (costs {c} point(s)): {}", s.render(&h, lang))?,
        },
        _ => writeln!(out, "{}", lang.pick("这里没有更多提示。", "No more hints here."))?,
    }
    Ok(())
}

/// Which ending the attempt reached, before the score: its id, success or failure, its text.
/// An attempt left before the end says so.
fn print_ending(s: &Session, lang: Lang, out: &mut dyn Write) -> Result<(), CliError> {
    match s.view(lang) {
        View::Ended { node, outcome, success } => match lang {
            Lang::Zh => writeln!(out, "\n【结局】`{node}`（{}）：{outcome}\n", if success { "成功" } else { "失败" })?,
            Lang::En => writeln!(out, "\n[Ending] `{node}` ({}): {outcome}\n", if success { "success" } else { "failure" })?,
        },
        _ => match lang {
            Lang::Zh => writeln!(out, "\n（没有走到结局，停在节点 `{}`）\n", s.node_id())?,
            Lang::En => writeln!(out, "\n(no ending reached: stopped at node `{}`)\n", s.node_id())?,
        },
    }
    Ok(())
}

fn elapsed(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The result as a teacher reads it.
pub fn print_report(r: &Report, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    writeln!(out, "== {} ==", t("结果", "Result"))?;
    for c in &r.critical {
        writeln!(out, "!! {}: {} (5S·{}, {})", t("严重错误", "Critical error"), c.name.get(lang), c.principle.name(lang), c.cap_text.get(lang))?;
    }
    if let (Some(before), Some(limit)) = (r.uncapped_total, r.cap_limit) {
        writeln!(out, "   {}", lang.pick(format!("本来 {before} 分，因严重错误最高 {limit} 分").as_str(), format!("{before} before the cap; critical errors allow at most {limit}").as_str()))?;
    }
    writeln!(
        out,
        "{} {} / {}{}  {} {}{}",
        t("总分", "Total"),
        r.total,
        r.total_max - r.pending_max,
        if r.pending_max > 0 { format!(" (+{} {}, {} {})", r.pending_max, t("分待老师评定", "to be rated"), t("折算", "scaled"), r.projected) } else { String::new() },
        t("等级", "grade"),
        r.grade.get(lang),
        if r.provisional { t("（暂定）", " (provisional)") } else { "" }
    )?;
    writeln!(out, "5S:")?;
    for d in &r.dimensions {
        writeln!(out, "  {:<10} {:>5.1} / {:<5.1} {:>5.1}%", d.name.get(lang), d.points, d.max, d.percent)?;
    }
    writeln!(out, "{}:", t("评分标准", "Rubric"))?;
    for c in &r.criteria {
        writeln!(out, "  {:<12} {} / {}", c.name.get(lang), c.points.map_or(t("待评", "pending").to_string(), |p| p.to_string()), c.max)?;
    }
    writeln!(out, "  {} {}: {} ({}-{})", t("小组档次", "group band"), r.band.band, r.band.points, r.band.min, r.band.max)?;
    for reason in &r.band.reasons {
        writeln!(out, "    - {}", reason.get(lang))?;
    }
    if r.hints_used > 0 {
        writeln!(out, "  {}: {} (-{}; {} {})", t("使用提示", "hints used"), r.hints_used, r.hint_cost, t("共少得", "in all"), r.hint_effect)?;
    }
    writeln!(out, "{}: {}", t("建议", "Advice"), r.advice.text.get(lang))?;
    Ok(())
}

/// Send a filed attempt to the LRS when one is set up (`kefu.toml`, `KEFU_LRS_*`): queued in the
/// outbox first, so an LRS that is down loses nothing. What happened, in a line; `None` when no
/// LRS is set up.
fn to_lrs(saved: &std::path::Path, loaded: &crate::scenario::Loaded, scorer: &Scorer, lang: Lang) -> Option<String> {
    let cfg = match crate::lrs::config::load() {
        Ok(Some(c)) => c,
        Ok(None) => return None,
        Err(e) => return Some(format!("{}{}", lang.pick("没有发送到 LRS：", "not sent to the LRS: "), e.message(lang))),
    };
    if let Err(e) = crate::lrs::queue_saved(&cfg, saved, loaded, scorer) {
        return Some(format!("{}{e}", lang.pick("没有发送到 LRS：", "not sent to the LRS: ")));
    }
    let round = crate::lrs::Outbox::new(&cfg.outbox).send(&crate::lrs::Client::new(&cfg), true);
    Some(match (&round.stopped, lang) {
        (None, Lang::Zh) => format!("已发送到 LRS（{} 条语句）", round.statements),
        (None, Lang::En) => format!("sent to the LRS ({} statements)", round.statements),
        (Some(why), Lang::Zh) => format!("{}；作答在待发送文件夹里等着（kefu lrs status）", why.message(lang)),
        (Some(why), Lang::En) => format!("{}; the attempt waits in the outbox (kefu lrs status)", why.message(lang)),
    })
}
