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
    let paths = if paths.is_empty() { vec![PathBuf::from("scenarios")] } else { paths.to_vec() };
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
        match lang {
            Lang::Zh => writeln!(out, "检查了 {} 个文件：{errors} 个错误，{warnings} 个警告", files.len())?,
            Lang::En => writeln!(out, "checked {} file(s): {errors} error(s), {warnings} warning(s)", files.len())?,
        }
    }
    Ok(if errors > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}
