//! `kefu export`: a class's grade sheet from its records, as XLSX or CSV (or a Moodle CSV),
//! written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::records::load_scenarios;
use super::{CliError, EXIT_OK, EXIT_USAGE};
use crate::export::{Format, SheetOptions, clean_stale_temps, same_file, today_china};
use crate::grades::{Counting, Entries, Selection, compute};
use crate::records::config::records_dir;
use crate::records::seal::load_key;
use crate::records::store::{read_folder, write_atomic};
use crate::roster::load_any;
use crate::scenario::{Lang, Loaded};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The class: a class file (.ron) or a roster CSV (学号, 姓名, 组别, 组长).
    #[arg(long, value_name = "FILE")]
    pub class: PathBuf,
    /// The records folder (default: $KEFU_RECORDS, then the user's data folder).
    #[arg(long, value_name = "DIR", conflicts_with = "lrs")]
    pub records: Option<PathBuf>,
    /// Read the attempts from the learning record store (kefu.toml [lrs]) instead of a records
    /// folder; each is re-scored from the log it carries.
    #[arg(long)]
    pub lrs: bool,
    /// The sheet to write: .xlsx or .csv, by its extension.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Only this task (scenario id); repeat for several. Default: every task with records.
    #[arg(long = "task", value_name = "ID")]
    pub tasks: Vec<String>,
    /// Scenario files to score with.
    #[arg(long, value_name = "DIR", default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// Write the CSV for Moodle's grade import (ID number + a total per task).
    #[arg(long)]
    pub moodle: bool,
    /// The teacher's entries for the class (ratings, overrides, which attempt counts).
    #[arg(long, value_name = "FILE")]
    pub entries: Option<PathBuf>,
    /// Which attempt counts, overriding the entries file: best, latest or first.
    #[arg(long, value_parser = parse_counting)]
    pub counting: Option<Counting>,
    /// The date printed on the sheet (default: today, China time).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// The class key file that checks the records' signatures (default: $KEFU_CLASS_KEY, then
    /// class.key in the config folder). Edited or forged records are then left out and named.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

fn parse_counting(s: &str) -> Result<Counting, String> {
    Counting::parse(s).ok_or_else(|| format!("unknown choice `{s}`: use best, latest or first"))
}

pub fn run(a: &ExportArgs, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, CliError> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let Some(format) = Format::from_path(&a.out) else {
        writeln!(err, "kefu: {}{}", t("输出文件必须以 .xlsx 或 .csv 结尾：", "the output file must end in .xlsx or .csv: "), a.out.display())?;
        return Ok(EXIT_USAGE);
    };
    if a.moodle && format != Format::Csv {
        writeln!(err, "kefu: {}", t("--moodle 只能用于 .csv 输出", "--moodle needs a .csv output file"))?;
        return Ok(EXIT_USAGE);
    }
    // The sheet never goes over one of its own inputs (`--class c.csv --out c.csv` replaced the
    // roster with the grade sheet).
    let inputs = std::iter::once((&a.class, "--class")).chain(a.entries.iter().map(|e| (e, "--entries")));
    if let Some((_, flag)) = inputs.into_iter().find(|(p, _)| same_file(p, &a.out)) {
        match lang {
            Lang::Zh => writeln!(err, "kefu: 成绩表不能写在自己的输入文件上（{flag} {}）：请给 --out 换一个文件名", a.out.display())?,
            Lang::En => writeln!(err, "kefu: the sheet cannot be written over its own input ({flag} {}): give --out another name", a.out.display())?,
        }
        return Ok(EXIT_USAGE);
    }
    if !a.scenarios.exists() {
        writeln!(err, "kefu: {}", super::missing_scenarios(&a.scenarios, lang, "场景文件夹：kefu export --scenarios 我的场景文件夹 …"))?;
        return Ok(EXIT_USAGE);
    }
    clean_stale_temps(&a.out);
    let class = load_any(&a.class).map_err(|e| CliError::Msg(e.render(lang)))?;
    let mut entries = match &a.entries {
        Some(p) => Entries::load(p).map_err(|e| CliError::Msg(e.to_string()))?,
        None => Entries::new(&class.name),
    };
    if let Some(c) = a.counting {
        entries.counting = c;
        for task in entries.tasks.values_mut() {
            task.counting = None;
        }
    }
    let key = load_key(a.key.as_deref()).map_err(|e| CliError::Msg(e.message(lang)))?;
    let folder = if a.lrs {
        from_lrs(&class, key.as_ref(), lang, err)?
    } else {
        let dir = records_dir(a.records.as_deref());
        if !dir.is_dir() {
            return Err(CliError::Msg(format!("{}{}", t("找不到记录文件夹：", "no such records folder: "), dir.display())));
        }
        read_folder(&dir, key.as_ref()).map_err(|e| CliError::Msg(format!("{}: {e}", dir.display())))?
    };
    let (scenarios, bad) = load_scenarios(&a.scenarios, lang)?;
    for b in &bad {
        writeln!(err, "{}{b}", t("场景文件无法读取：", "scenario file unreadable: "))?;
    }
    // Without scenario files nothing can be graded: run from the wrong folder, the export once
    // replaced a good sheet with an empty one saying the class had no records.
    if scenarios.is_empty() {
        return Err(CliError::Msg(match lang {
            Lang::Zh => format!("在 {} 里找不到场景文件，无法计分；没有写成绩表{}。请用 --scenarios 指定场景文件夹", a.scenarios.display(), if a.out.exists() { format!("，原来的 {} 保持不变", a.out.display()) } else { String::new() }),
            Lang::En => format!("no scenario files in {}: nothing can be graded, and no sheet was written{}. Give the scenarios folder with --scenarios", a.scenarios.display(), if a.out.exists() { format!(" ({} is left as it was)", a.out.display()) } else { String::new() }),
        }));
    }
    let unknown: Vec<&str> = a.tasks.iter().filter(|id| !scenarios.contains_key(*id)).map(String::as_str).collect();
    if !unknown.is_empty() {
        return Err(CliError::Msg(format!("{}{} ({})", t("找不到任务的场景文件：", "no scenario file for task: "), unknown.join(", "), a.scenarios.display())));
    }
    let mut loaded: Vec<Loaded> = scenarios.into_values().collect();
    loaded.sort_by(|x, y| x.path.cmp(&y.path));
    let grades = compute(&class, &loaded, &folder.records, &entries, &Selection { tasks: a.tasks.clone() });

    let opts = SheetOptions { date: a.date.clone().unwrap_or_else(today_china), lang };
    let mut bytes = Vec::new();
    crate::export::write(&grades, format, a.moodle, &opts, &mut bytes).map_err(|e| CliError::Msg(e.to_string()))?;
    write_atomic(&a.out, &bytes).map_err(|e| CliError::Msg(format!("{}: {e}", a.out.display())))?;

    report(&grades, &folder.set_aside, &a.out, lang, out, err)?;
    if !folder.strays.is_empty() {
        match lang {
            Lang::Zh => writeln!(err, "注意：{} 个文件像是记录，但改了名或在子文件夹里，未计入（kefu records verify 查看）", folder.strays.len())?,
            Lang::En => writeln!(err, "note: {} file(s) look like records but were renamed or are in a sub-folder, and were not counted (see kefu records verify)", folder.strays.len())?,
        }
    }
    if key.is_none() {
        writeln!(err, "{}", t("注意：没有班级密钥，无法发现被改动的记录（kefu key new）", "note: no class key, so edited records cannot be told apart (kefu key new)"))?;
    }
    Ok(EXIT_OK)
}

/// The attempts in the LRS, as a records folder would give them.
fn from_lrs(class: &crate::roster::Class, key: Option<&crate::records::seal::ClassKey>, lang: Lang, err: &mut dyn Write) -> Result<crate::records::store::Folder, CliError> {
    let cfg = match crate::lrs::config::load() {
        Ok(Some(c)) => c,
        Ok(None) => {
            return Err(CliError::Msg(
                lang.pick("没有设置 LRS：在 kefu.toml 的 [lrs] 里写 endpoint、key、secret 和 home_page", "no LRS is set up: write endpoint, key, secret and home_page under [lrs] in kefu.toml").to_string(),
            ));
        }
        Err(e) => return Err(CliError::Msg(e.message(lang).to_string())),
    };
    let students: Vec<&str> = class.groups.iter().flat_map(|g| g.members.iter().map(|m| m.id.as_str())).collect();
    let statements = crate::lrs::fetch_attempts(&crate::lrs::Client::new(&cfg), &cfg.home_page, &students).map_err(|e| CliError::Msg(format!("{}{}: {e}", lang.pick("无法从 LRS 读取：", "cannot read from the LRS: "), cfg.endpoint)))?;
    let folder = crate::lrs::records_from_statements(&statements, key);
    match lang {
        Lang::Zh => writeln!(err, "从 LRS {} 读到 {} 次作答", cfg.endpoint, folder.records.len() + folder.set_aside.len())?,
        Lang::En => writeln!(err, "{} attempt(s) read from the LRS {}", folder.records.len() + folder.set_aside.len(), cfg.endpoint)?,
    }
    Ok(folder)
}

fn report(grades: &crate::grades::ClassGrades, set_aside: &[(PathBuf, crate::records::RecordError)], path: &Path, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), CliError> {
    let students = grades.roster.student_count();
    match lang {
        Lang::Zh => writeln!(out, "已写入 {}：{}，{} 名学生，{} 个任务", path.display(), grades.class, students, grades.tasks.len())?,
        Lang::En => writeln!(out, "wrote {}: {}, {} student(s), {} task(s)", path.display(), grades.class, students, grades.tasks.len())?,
    }
    for task in &grades.tasks {
        let members: Vec<_> = task.members().map(|(_, m)| m).collect();
        let none = members.iter().filter(|m| m.counted.is_none()).count();
        let pending = members.iter().filter(|m| m.provisional).count();
        let changed = members.iter().filter(|m| m.counted.as_ref().is_some_and(|c| c.scenario_changed)).count();
        let head = format!("  {} {}", task.label(lang), task.title.get(lang));
        match lang {
            Lang::Zh => writeln!(out, "{head}：{} 人有成绩，{none} 人无作答，{pending} 人待评分，{changed} 人的作答早于场景修改", members.len() - none)?,
            Lang::En => writeln!(out, "{head}: {} graded, {none} without an attempt, {pending} awaiting ratings, {changed} played before the scenario changed", members.len() - none)?,
        }
    }
    if grades.tasks.is_empty() {
        writeln!(err, "{}", lang.pick("注意：这个班级没有任何作答记录，表格是空的", "note: this class has no records; the sheet is empty"))?;
    }
    for (id, n) in &grades.missing_scenarios {
        match lang {
            Lang::Zh => writeln!(err, "注意：{n} 份记录属于任务“{id}”，但找不到它的场景文件，未计分")?,
            Lang::En => writeln!(err, "note: {n} record(s) belong to task “{id}”, whose scenario file is missing; not graded")?,
        }
    }
    if !set_aside.is_empty() {
        match lang {
            Lang::Zh => writeln!(err, "注意：{} 个记录文件无法读取，已搁置（kefu records verify 查看详情）", set_aside.len())?,
            Lang::En => writeln!(err, "note: {} record file(s) could not be read and were set aside (see kefu records verify)", set_aside.len())?,
        }
    }
    for w in &grades.warnings {
        writeln!(err, "{}{}", lang.pick("注意：", "note: "), w.get(lang))?;
    }
    Ok(())
}
