//! `kefu lrs status | push DIR | send`: attempts to the school's learning record store.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::records::load_scenarios;
use super::{CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::lrs::{Client, LrsConfig, Outbox, Round, config};
use crate::records::seal::load_key;
use crate::records::store::read_folder;
use crate::scenario::{Lang, Loaded};
use crate::scoring::Scorer;

#[derive(Debug, Subcommand)]
pub enum LrsCommand {
    /// What waits to be sent, what the LRS refused and why, and the settings in force.
    Status,
    /// Send a records folder's attempts to the LRS (again is harmless: statement ids are fixed
    /// by the attempt, so the LRS keeps each once). Edited or forged records are not sent.
    Push {
        /// The records folder.
        dir: PathBuf,
        /// Scenario files to score the records with.
        #[arg(long, value_name = "DIR", default_value = "scenarios")]
        scenarios: PathBuf,
        /// The class key file (default: $KEFU_CLASS_KEY, then class.key in the config folder).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
    },
    /// Send what waits in the outbox now.
    Send,
}

fn settings(lang: Lang) -> Result<LrsConfig, CliError> {
    match config::load() {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(CliError::Msg(
            lang.pick(
                "没有设置学习记录存储（LRS）：在 kefu.toml 的 [lrs] 里写 endpoint、key、secret 和 home_page（或设置 KEFU_LRS_ENDPOINT 等环境变量），见 README 的“LRS”一节",
                "no learning record store (LRS) is set up: write endpoint, key, secret and home_page under [lrs] in kefu.toml (or set KEFU_LRS_ENDPOINT and the others); see the README, \"LRS\"",
            )
            .to_string(),
        )),
        Err(e) => Err(CliError::Msg(e.message(lang).to_string())),
    }
}

pub fn run(cmd: &LrsCommand, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    let cfg = settings(lang)?;
    match cmd {
        LrsCommand::Status => status(&cfg, lang, out),
        LrsCommand::Send => {
            let round = Outbox::new(&cfg.outbox).send(&Client::new(&cfg), true);
            report(&round, lang, out)
        }
        LrsCommand::Push { dir, scenarios, key } => push(&cfg, dir, scenarios, key.as_deref(), lang, out),
    }
}

fn status(cfg: &LrsConfig, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    let ob = Outbox::new(&cfg.outbox);
    let (waiting, unreadable) = ob.waiting();
    let rejected = ob.rejected();
    match lang {
        Lang::Zh => {
            writeln!(out, "LRS：{}（账号 {}，学校主页 {}；设置来自 {}）", cfg.endpoint, cfg.key, cfg.home_page, cfg.source)?;
            writeln!(out, "待发送文件夹：{}", cfg.outbox.display())?;
            writeln!(out, "等待发送：{} 次作答（{} 条语句）", waiting.len(), waiting.iter().map(|(_, i)| i.statements.len()).sum::<usize>())?;
        }
        Lang::En => {
            writeln!(out, "LRS: {} (key {}, home page {}; settings from {})", cfg.endpoint, cfg.key, cfg.home_page, cfg.source)?;
            writeln!(out, "outbox: {}", cfg.outbox.display())?;
            writeln!(out, "waiting: {} attempt(s) ({} statements)", waiting.len(), waiting.iter().map(|(_, i)| i.statements.len()).sum::<usize>())?;
        }
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    for (_, item) in &waiting {
        let when = if item.next_try > now { format!("{} s", item.next_try - now) } else { lang.pick("随时", "any time").to_string() };
        match (&item.last_error, lang) {
            (Some(e), Lang::Zh) => writeln!(out, "  {}：已试 {} 次，{} 后再试；上次：{}", item.label, item.tries, when, e.message(lang))?,
            (Some(e), Lang::En) => writeln!(out, "  {}: tried {} time(s), next in {}; last: {}", item.label, item.tries, when, e.message(lang))?,
            (None, _) => writeln!(out, "  {}", item.label)?,
        }
    }
    if !rejected.is_empty() {
        match lang {
            Lang::Zh => writeln!(out, "LRS 拒收：{} 次作答（留在 {}，不会再自动发送）：", rejected.len(), ob.dir().join("rejected").display())?,
            Lang::En => writeln!(out, "refused by the LRS: {} attempt(s) (kept in {}, not sent again by itself):", rejected.len(), ob.dir().join("rejected").display())?,
        }
        for (_, item) in &rejected {
            writeln!(out, "  {}: {}", item.label, item.rejected.as_deref().unwrap_or("?"))?;
        }
    }
    for u in &unreadable {
        writeln!(out, "{}{u}", lang.pick("无法读取：", "unreadable: "))?;
    }
    Ok(if waiting.is_empty() && rejected.is_empty() && unreadable.is_empty() { EXIT_OK } else { EXIT_PROBLEMS })
}

fn push(cfg: &LrsConfig, dir: &Path, scenario_dir: &Path, key: Option<&Path>, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    if !dir.is_dir() {
        return Err(CliError::Msg(format!("{}{}", lang.pick("找不到记录文件夹：", "no such records folder: "), dir.display())));
    }
    if !scenario_dir.exists() {
        writeln!(out, "kefu: {}", super::missing_scenarios(scenario_dir, lang, "场景文件夹：kefu lrs push 记录文件夹 --scenarios 我的场景文件夹"))?;
        return Ok(EXIT_USAGE);
    }
    let key = load_key(key).map_err(|e| CliError::Msg(e.message(lang)))?;
    let folder = read_folder(dir, key.as_ref()).map_err(|e| CliError::Msg(format!("{}: {e}", dir.display())))?;
    let (scenarios, _) = load_scenarios(scenario_dir, lang)?;
    let mut scorers: HashMap<&str, (&Loaded, Scorer)> = HashMap::new();
    let ob = Outbox::new(&cfg.outbox);
    let mut queued = 0;
    let mut not_sent: Vec<String> = Vec::new();
    for (path, rec) in &folder.records {
        if !rec.trust.counts() {
            let why = rec.trust.problems().iter().map(|t| t.get(lang).to_string()).collect::<Vec<_>>().join("; ");
            not_sent.push(format!("{}: {why}", path.display()));
            continue;
        }
        let Some(loaded) = scenarios.get(&rec.scenario_id) else {
            not_sent.push(format!("{}: {}{}", path.display(), lang.pick("找不到场景文件：", "no scenario file for "), rec.scenario_id));
            continue;
        };
        let (loaded, scorer) = scorers.entry(rec.scenario_id.as_str()).or_insert_with(|| (loaded, Scorer::new(loaded.scenario.clone())));
        let item = crate::fsread::read_text(path, crate::fsread::Kind::Record)
            .map_err(|e| e.to_string())
            .and_then(|text| crate::lrs::item_for(rec, &text, loaded, scorer, cfg).map_err(|e| e.message(lang)));
        match item {
            Ok(item) => match ob.put(&item) {
                Ok(()) => queued += 1,
                Err(e) => return Err(CliError::Msg(format!("{}: {e}", ob.dir().display()))),
            },
            Err(e) => not_sent.push(format!("{}: {e}", path.display())),
        }
    }
    match lang {
        Lang::Zh => writeln!(out, "{}：{} 次作答排队发送到 {}", dir.display(), queued, cfg.endpoint)?,
        Lang::En => writeln!(out, "{}: {} attempt(s) queued for {}", dir.display(), queued, cfg.endpoint)?,
    }
    let unsent = !not_sent.is_empty() || !folder.set_aside.is_empty();
    if !not_sent.is_empty() {
        writeln!(out, "{}", lang.pick("没有发送（老师请查看）：", "not sent (for the teacher to look at):"))?;
        for n in &not_sent {
            writeln!(out, "  {n}")?;
        }
    }
    for (_, e) in &folder.set_aside {
        writeln!(out, "{}{e}", lang.pick("无法读取，没有发送：", "unreadable, not sent: "))?;
    }
    let round = ob.send(&Client::new(cfg), true);
    let code = report(&round, lang, out)?;
    Ok(if unsent { EXIT_PROBLEMS } else { code })
}

fn report(round: &Round, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    match lang {
        Lang::Zh => writeln!(out, "已发送 {} 次作答（{} 条语句）；LRS 里已有 {} 次", round.sent, round.statements, round.already)?,
        Lang::En => writeln!(out, "sent {} attempt(s) ({} statements); {} already in the LRS", round.sent, round.statements, round.already)?,
    }
    for d in &round.differs {
        match lang {
            Lang::Zh => writeln!(out, "  {d}：LRS 里已有这次作答，但内容不同（之后改了场景文件，或 LRS 设置里的学校主页、班级不同）；保留 LRS 里的原样")?,
            Lang::En => writeln!(out, "  {d}: the LRS has this attempt with other contents (the scenario file changed since, or the home page or class in the LRS settings differ); left as it is there")?,
        }
    }
    for (label, why) in &round.rejected {
        match lang {
            Lang::Zh => writeln!(out, "  LRS 拒收 {label}：{why}")?,
            Lang::En => writeln!(out, "  refused by the LRS: {label}: {why}")?,
        }
    }
    if let Some(why) = &round.stopped {
        match (why.is_settings(), lang) {
            (false, Lang::Zh) => writeln!(out, "{}；{} 次作答留在待发送文件夹里，稍后会再发（kefu lrs send 立即重试）", why.message(lang), round.waiting)?,
            (false, Lang::En) => writeln!(out, "{}; {} attempt(s) wait in the outbox and will be sent later (kefu lrs send to retry now)", why.message(lang), round.waiting)?,
            (true, Lang::Zh) => writeln!(out, "没有发送：{}。{} 次作答留在待发送文件夹里，改好设置后 kefu lrs send", why.message(lang), round.waiting)?,
            (true, Lang::En) => writeln!(out, "not sent: {}. {} attempt(s) wait in the outbox: fix the settings, then kefu lrs send", why.message(lang), round.waiting)?,
        }
    }
    for u in &round.unreadable {
        writeln!(out, "{}{u}", lang.pick("无法读取：", "unreadable: "))?;
    }
    Ok(if round.waiting == 0 && round.rejected.is_empty() && round.unreadable.is_empty() { EXIT_OK } else { EXIT_PROBLEMS })
}
