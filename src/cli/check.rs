//! `kefu check`: load and validate every scenario file under the given paths.

use std::io::Write;
use std::path::PathBuf;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::scenario::{Diagnostic, Lang, check_file, scan_scenario_files};

pub fn run(paths: &[PathBuf], json: bool, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    // Buffered: a large report is megabytes of pretty JSON, and stdout writes line by line.
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, out);
    let code = run_buffered(paths, json, lang, &mut buf)?;
    buf.flush()?;
    Ok(code)
}

fn run_buffered(paths: &[PathBuf], json: bool, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    let default = PathBuf::from("scenarios");
    let paths = if !paths.is_empty() {
        paths.to_vec()
    } else if default.exists() {
        vec![default]
    } else {
        // Run outside the project: the .ron files here, if there are some; otherwise say how.
        let here: Vec<PathBuf> = std::fs::read_dir(".")
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron")).collect())
            .unwrap_or_default();
        if here.is_empty() {
            writeln!(out, "{}", super::missing_scenarios(&default, lang, "文件名：kefu check 我的场景.ron"))?;
            return Ok(EXIT_USAGE);
        }
        match lang {
            Lang::Zh => writeln!(out, "这里没有 scenarios 文件夹：检查当前文件夹里的 {} 个 .ron 文件。", here.len())?,
            Lang::En => writeln!(out, "no scenarios folder here: checking the {} .ron file(s) in this folder.", here.len())?,
        }
        here
    };
    let mut missing = Vec::new();
    for p in &paths {
        if !p.exists() {
            missing.push(p.display().to_string());
        }
    }
    if !missing.is_empty() {
        let m = missing.join(", ");
        match lang {
            Lang::Zh => writeln!(out, "找不到：{m}（请检查路径）")?,
            Lang::En => writeln!(out, "not found: {m} (check the path)")?,
        }
        return Ok(EXIT_USAGE);
    }
    let found = scan_scenario_files(&paths);
    let files = found.files;
    // Unreadable folders first (named, as warnings); the rest is checked all the same.
    let mut all: Vec<Diagnostic> = found.problems;
    for f in &files {
        let (loaded, diags) = check_file(f);
        super::drop_later(loaded);
        all.extend(diags);
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all.len() - errors;
    if json {
        serde_json::to_writer_pretty(&mut *out, &all)?;
        writeln!(out)?;
    } else {
        for d in &all {
            writeln!(out, "{}", d.render(lang))?;
        }
        // A broken `next` stops the checks that follow the paths (loops, endless points,
        // unreachable nodes): fixing it may bring new findings, or make others go away.
        if all.iter().any(|d| d.code == "unknown-target") {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "先改上面的 unknown-target（跳转到不存在的节点）：改好以后才会检查循环、无限加分和走不到的节点，别的问题也可能随之消失。",
                    "fix the unknown-target errors above first (a jump to a node that does not exist): loops, endless points and unreachable nodes are checked only after that, and other findings may go away with it."
                )
            )?;
        }
        match lang {
            Lang::Zh => writeln!(out, "检查了 {} 个文件：{errors} 个错误，{warnings} 个警告", files.len())?,
            Lang::En => writeln!(out, "checked {} file(s): {errors} error(s), {warnings} warning(s)", files.len())?,
        }
    }
    Ok(if errors > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}
