//! `kefu records verify`: what a records folder holds and what is wrong with it — counts per
//! scenario, files set aside with why, records whose scenario is missing, records played with
//! another version of the scenario file (still scored), records that cannot be replayed.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Subcommand;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS};
use crate::records::config::records_dir;
use crate::records::seal::{ClassKey, Seal, finished_contradiction, load_key};
use crate::records::store::read_folder;
use crate::scenario::{Lang, Loaded, load_file, scan_scenario_files};
use crate::scoring::{Ratings, Scorer};

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Check a records folder: counts, signatures, damaged, misplaced, contradictory or
    /// unreplayable records, missing or changed scenarios. Exits 1 if a teacher should look.
    Verify {
        /// The records folder (default: --records, then $KEFU_RECORDS, then the user's data folder).
        dir: Option<PathBuf>,
        /// The records folder, as for `kefu export`.
        #[arg(long = "records", value_name = "DIR")]
        records: Option<PathBuf>,
        /// Scenario files to score the records with.
        #[arg(long, default_value = "scenarios")]
        scenarios: PathBuf,
        /// The class key file (default: $KEFU_CLASS_KEY, then class.key in the config folder).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
    },
}

pub fn run(cmd: &RecordsCommand, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    match cmd {
        RecordsCommand::Verify { dir, records, scenarios, key } => {
            let key = load_key(key.as_deref()).map_err(|e| CliError::Msg(e.message(lang)))?;
            verify(&records_dir(dir.as_deref().or(records.as_deref())), scenarios, key.as_ref(), lang, out)
        }
    }
}

/// Every scenario under `dir` that loads, by id (the first file wins for a repeated id).
/// Files that do not load are returned as messages.
pub(crate) fn load_scenarios(dir: &Path, lang: Lang) -> Result<(HashMap<String, Loaded>, Vec<String>), CliError> {
    let mut found = HashMap::new();
    let mut bad = Vec::new();
    if !dir.exists() {
        return Ok((found, bad));
    }
    let scan = scan_scenario_files(&[dir.to_path_buf()]);
    bad.extend(scan.problems.iter().map(|d| d.render(lang)));
    for f in scan.files {
        match load_file(&f) {
            Ok(l) => {
                found.entry(l.scenario.id.clone()).or_insert(l);
            }
            Err(d) => bad.push(d.render(lang)),
        }
    }
    Ok((found, bad))
}

#[derive(Default)]
struct Count {
    total: usize,
    finished: usize,
}

fn verify(dir: &Path, scenario_dir: &Path, key: Option<&ClassKey>, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    if !dir.is_dir() {
        return Err(CliError::Msg(format!("{}{}", t("找不到记录文件夹：", "no such records folder: "), dir.display())));
    }
    let folder = read_folder(dir, key).map_err(|e| CliError::Msg(format!("{}: {e}", dir.display())))?;
    let (scenarios, bad_scenarios) = load_scenarios(scenario_dir, lang)?;
    writeln!(out, "{}{}", t("记录文件夹：", "records folder: "), dir.display())?;
    if !scenario_dir.exists() {
        writeln!(out, "{}", super::missing_scenarios(scenario_dir, lang, "场景文件夹：kefu records verify --scenarios 我的场景文件夹"))?;
    }
    match key {
        Some(k) => match lang {
            Lang::Zh => writeln!(out, "班级密钥：{}（{} 生成），核对每份记录的签名", k.id, k.created)?,
            Lang::En => writeln!(out, "class key: {} (made {}); every record's signature is checked", k.id, k.created)?,
        },
        None => writeln!(out, "{}", t("没有班级密钥：无法发现被改动的记录（kefu key new 生成一个，见 docs/architecture.md）", "no class key: edited records cannot be told apart (make one with kefu key new; see docs/architecture.md)"))?,
    }

    let mut per: BTreeMap<&str, Count> = BTreeMap::new();
    for (_, r) in &folder.records {
        let c = per.entry(r.scenario_id.as_str()).or_default();
        c.total += 1;
        c.finished += usize::from(r.finished);
    }
    let all = folder.records.len();
    let finished = folder.records.iter().filter(|(_, r)| r.finished).count();
    match lang {
        Lang::Zh => writeln!(out, "记录 {all} 份：已完成 {finished}，未完成 {}", all - finished)?,
        Lang::En => writeln!(out, "{all} record(s): {finished} finished, {} unfinished", all - finished)?,
    }
    for (id, c) in &per {
        let title = scenarios.get(*id).map(|l| format!(" {}", l.scenario.title.get(lang))).unwrap_or_default();
        match lang {
            Lang::Zh => writeln!(out, "  {id}{title}：{} 份（已完成 {}，未完成 {}）", c.total, c.finished, c.total - c.finished)?,
            Lang::En => writeln!(out, "  {id}{title}: {} ({} finished, {} unfinished)", c.total, c.finished, c.total - c.finished)?,
        }
    }

    if !folder.set_aside.is_empty() {
        match lang {
            Lang::Zh => writeln!(out, "已搁置 {} 个无法读取的文件（其余记录不受影响）：", folder.set_aside.len())?,
            Lang::En => writeln!(out, "{} file(s) set aside as unreadable (the other records are unaffected):", folder.set_aside.len())?,
        }
        for (_, e) in &folder.set_aside {
            writeln!(out, "  {e}")?;
        }
    }

    let missing: Vec<(&&str, &Count)> = per.iter().filter(|(id, _)| !scenarios.contains_key(**id)).collect();
    if !missing.is_empty() {
        let n: usize = missing.iter().map(|(_, c)| c.total).sum();
        match lang {
            Lang::Zh => writeln!(out, "{n} 份记录找不到场景文件（在 {} 中），无法计分：", scenario_dir.display())?,
            Lang::En => writeln!(out, "{n} record(s) have no scenario file (in {}) and cannot be scored:", scenario_dir.display())?,
        }
        for (id, c) in missing {
            writeln!(out, "  {id}: {}", c.total)?;
        }
    }

    let mut changed: Vec<&Path> = Vec::new();
    let mut unplayable: Vec<(&Path, String)> = Vec::new();
    // Records not to be counted: the seal or the record's own times, then replaying it.
    let mut distrusted: Vec<(&Path, &crate::records::AttemptRecord, Vec<crate::scenario::Text>)> =
        folder.records.iter().filter(|(_, r)| !r.trust.counts()).map(|(p, r)| (p.as_path(), r, r.trust.problems())).collect();
    let unsigned = folder.records.iter().filter(|(_, r)| r.trust.seal == Seal::Unsigned).count();
    let scorers: HashMap<&str, Scorer> = scenarios.iter().map(|(id, l)| (id.as_str(), Scorer::new(Arc::clone(&l.scenario)))).collect();
    for (path, r) in &folder.records {
        let (Some(l), Some(scorer)) = (scenarios.get(&r.scenario_id), scorers.get(r.scenario_id.as_str())) else { continue };
        if r.scenario_hash != l.hash {
            changed.push(path);
        }
        match scorer.score(r.seed, &r.log, &Ratings::new()) {
            Err(e) => unplayable.push((path, e.to_string())),
            Ok(report) => {
                if let Some(p) = finished_contradiction(r.finished, report.finished) {
                    match distrusted.iter_mut().find(|(q, _, _)| *q == path.as_path()) {
                        Some(d) => d.2.push(p),
                        None => distrusted.push((path, r, vec![p])),
                    }
                }
            }
        }
    }
    if !distrusted.is_empty() {
        match lang {
            Lang::Zh => writeln!(out, "{} 份记录被改动、伪造或自相矛盾，导出和老师界面都不计入：", distrusted.len())?,
            Lang::En => writeln!(out, "{} record(s) were edited, forged or contradict themselves, and are not counted in exports or the teacher view:", distrusted.len())?,
        }
        for (p, r, problems) in &distrusted {
            let why: Vec<&str> = problems.iter().map(|t| t.get(lang)).collect();
            match lang {
                Lang::Zh => writeln!(out, "  {}（{}）：{}", p.display(), crate::grades::player_label(&r.player), why.join("；"))?,
                Lang::En => writeln!(out, "  {} ({}): {}", p.display(), crate::grades::player_label(&r.player), why.join("; "))?,
            }
        }
    }
    if unsigned > 0 {
        match lang {
            Lang::Zh => writeln!(out, "{unsigned} 份记录没有签名，早于班级密钥（或由旧版 Kefu 写入）：照常计分，成绩表里有标注")?,
            Lang::En => writeln!(out, "{unsigned} record(s) are unsigned, from before the class key (or an older Kefu): scored as usual, marked on the sheet")?,
        }
    }
    if !folder.strays.is_empty() {
        match lang {
            Lang::Zh => writeln!(out, "{} 个文件像是记录，但改了名或在子文件夹里，不计入（核对后改回 .ron 放到记录文件夹里才计入）：", folder.strays.len())?,
            Lang::En => writeln!(out, "{} file(s) look like records but were renamed or are in a sub-folder, and are not counted (check them; only *.ron at the top of the folder count):", folder.strays.len())?,
        }
        for p in &folder.strays {
            writeln!(out, "  {}", p.display())?;
        }
    }
    for p in &folder.exposed_keys {
        match lang {
            Lang::Zh => writeln!(out, "班级密钥放在记录文件夹里，学生都能读到：{}。请移走并用 kefu key new 换一个新密钥", p.display())?,
            Lang::En => writeln!(out, "a class key is in the records folder where every student can read it: {}. Move it away and make a new one with kefu key new", p.display())?,
        }
    }
    if !changed.is_empty() {
        match lang {
            Lang::Zh => writeln!(out, "{} 份记录作答后场景文件已修改（仍按当前文件计分，请核对）：", changed.len())?,
            Lang::En => writeln!(out, "{} record(s) were played with another version of the scenario file (still scored with the current file; check them):", changed.len())?,
        }
        for p in &changed {
            writeln!(out, "  {}", p.display())?;
        }
    }
    if !unplayable.is_empty() {
        match lang {
            Lang::Zh => writeln!(out, "{} 份记录无法按当前场景文件重放，导出时不计入：", unplayable.len())?,
            Lang::En => writeln!(out, "{} record(s) cannot be replayed with the current scenario file and are left out of exports:", unplayable.len())?,
        }
        for (p, e) in &unplayable {
            writeln!(out, "  {}: {e}", p.display())?;
        }
    }
    for b in &bad_scenarios {
        writeln!(out, "{}{b}", t("场景文件无法读取：", "scenario file unreadable: "))?;
    }
    let look = folder.set_aside.len() + folder.strays.len() + folder.exposed_keys.len() + distrusted.len() + unplayable.len();
    if look == 0 {
        writeln!(out, "{}", t("没有损坏、被改动或放错位置的记录文件。", "no damaged, edited or misplaced record files."))?;
        Ok(EXIT_OK)
    } else {
        match lang {
            Lang::Zh => writeln!(out, "需要老师查看的有 {look} 项（见上）。")?,
            Lang::En => writeln!(out, "{look} thing(s) for the teacher to look at (above).")?,
        }
        Ok(EXIT_PROBLEMS)
    }
}
