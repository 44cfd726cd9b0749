//! `kefu audit`: the strategy bots' table for each scenario file under a path.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS};
use crate::scenario::{Lang, load_file, scan_scenario_files, validate};
use crate::scoring::audit::{audit, render};

pub fn run(path: &Path, seeds: u64, json: bool, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    let found = scan_scenario_files(&[path.to_path_buf()]);
    for d in &found.problems {
        writeln!(out, "{}", d.render(lang))?;
    }
    let mut files = found.files;
    // In a folder, `_`-prefixed files are templates and drafts (the library hides them too).
    if path.is_dir() {
        files.retain(|f| !f.file_name().is_some_and(|n| n.to_string_lossy().starts_with('_')));
    }
    if files.is_empty() {
        writeln!(out, "{}", lang.pick("没有找到场景文件（*.ron）", "no scenario files (*.ron) found"))?;
        return Ok(EXIT_PROBLEMS);
    }
    let mut code = EXIT_OK;
    let mut audits = Vec::new();
    for file in files {
        let loaded = match load_file(&file) {
            Ok(l) => l,
            Err(d) => {
                writeln!(out, "{}", d.render(lang))?;
                code = EXIT_PROBLEMS;
                continue;
            }
        };
        // Bots through a broken scenario mean nothing: show what to fix first.
        let diags = validate(&loaded);
        if diags.iter().any(|d| d.is_error()) {
            for d in diags.iter().filter(|d| d.is_error()) {
                writeln!(out, "{}", d.render(lang))?;
            }
            writeln!(out, "{}", lang.pick("请先改正上面的错误，再检查成绩。", "fix the errors above first, then audit."))?;
            code = EXIT_PROBLEMS;
            continue;
        }
        let a = audit(&Arc::clone(&loaded.scenario), seeds);
        if json {
            audits.push(a);
        } else {
            write!(out, "{}", render(&a, lang))?;
            writeln!(out)?;
        }
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &audits)?;
        writeln!(out)?;
    }
    Ok(code)
}
