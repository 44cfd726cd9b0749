//! `kefu sheet export FILE.ron OUT.xlsx` and `kefu sheet import FILE.xlsx OUT.ron`: a scenario
//! as a workbook a teacher edits in Excel or WPS, and back.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::export::same_file;
use crate::records::store::write_atomic;
use crate::scenario::{Lang, check_file, load_file};

#[derive(Debug, Subcommand)]
pub enum SheetCommand {
    /// Write a scenario as a workbook (XLSX) to edit in Excel, WPS or LibreOffice.
    Export {
        /// The scenario file (.ron).
        scenario: PathBuf,
        /// The workbook to write (.xlsx).
        out: PathBuf,
    },
    /// Read a workbook written by `kefu sheet export` back into a scenario file; every mistake
    /// is named by sheet, row and column.
    Import {
        /// The workbook (.xlsx).
        workbook: PathBuf,
        /// The scenario file to write (.ron).
        out: PathBuf,
    },
}

/// The largest workbook read (a course scenario's is about 50 KB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

pub fn run(cmd: &SheetCommand, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    match cmd {
        SheetCommand::Export { scenario, out: dest } => export(scenario, dest, lang, out),
        SheetCommand::Import { workbook, out: dest } => import(workbook, dest, lang, out),
    }
}

fn export(src: &Path, dest: &Path, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    if !has_ext(dest, "xlsx") {
        writeln!(out, "{}", lang.pick("输出文件要以 .xlsx 结尾", "the output file must end in .xlsx"))?;
        return Ok(EXIT_USAGE);
    }
    if same_file(src, dest) {
        writeln!(out, "{}", lang.pick("输出文件不能是场景文件本身", "the output cannot be the scenario file itself"))?;
        return Ok(EXIT_USAGE);
    }
    let loaded = match load_file(src) {
        Ok(l) => l,
        Err(d) => {
            writeln!(out, "{}", d.render(lang))?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    let bytes = match crate::sheet::export(&loaded.scenario) {
        Ok(b) => b,
        Err(e) => {
            writeln!(out, "{}: {}", src.display(), e.message(lang))?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    write_atomic(dest, &bytes)?;
    match lang {
        Lang::Zh => writeln!(out, "已写出 {}（{} 个节点）", dest.display(), loaded.scenario.nodes.len())?,
        Lang::En => writeln!(out, "wrote {} ({} nodes)", dest.display(), loaded.scenario.nodes.len())?,
    }
    Ok(EXIT_OK)
}

fn import(src: &Path, dest: &Path, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    if !has_ext(dest, "ron") {
        writeln!(out, "{}", lang.pick("输出文件要以 .ron 结尾", "the output file must end in .ron"))?;
        return Ok(EXIT_USAGE);
    }
    if same_file(src, dest) {
        writeln!(out, "{}", lang.pick("输出文件不能是工作簿本身", "the output cannot be the workbook itself"))?;
        return Ok(EXIT_USAGE);
    }
    let bytes = match std::fs::metadata(src) {
        Ok(m) if m.len() > MAX_BYTES => {
            writeln!(out, "{}: {}", src.display(), lang.pick("文件太大，不像是导出的场景工作簿", "the file is too large to be an exported scenario workbook"))?;
            return Ok(EXIT_PROBLEMS);
        }
        _ => match std::fs::read(src) {
            Ok(b) => b,
            Err(e) => {
                writeln!(out, "{}: {}{}", src.display(), lang.pick("无法读取文件：", "cannot read the file: "), crate::fsread::describe(&e, lang))?;
                return Ok(EXIT_PROBLEMS);
            }
        },
    };
    let scenario = match crate::sheet::import(&bytes) {
        Ok(s) => s,
        Err(problems) => {
            for p in &problems {
                writeln!(out, "{}: {}", src.display(), p.render(lang))?;
            }
            match lang {
                Lang::Zh => writeln!(out, "{} 个错误；没有写出 {}", problems.len(), dest.display())?,
                Lang::En => writeln!(out, "{} error(s); {} was not written", problems.len(), dest.display())?,
            }
            return Ok(EXIT_PROBLEMS);
        }
    };
    let name = src.file_name().map_or_else(|| src.display().to_string(), |n| n.to_string_lossy().into_owned());
    let text = format!("// 由 kefu sheet import 从 {name} 生成。Written by kefu sheet import from {name}.\n{}", crate::sheet::write_ron(&scenario));
    write_atomic(dest, text.as_bytes())?;
    // What `kefu check` says about the result, so nothing needs running twice.
    let (_, diags) = check_file(dest);
    for d in &diags {
        writeln!(out, "{}", d.render(lang))?;
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    match lang {
        Lang::Zh => writeln!(out, "已写出 {}（{} 个节点）：{errors} 个错误，{} 个警告", dest.display(), scenario.nodes.len(), diags.len() - errors)?,
        Lang::En => writeln!(out, "wrote {} ({} nodes): {errors} error(s), {} warning(s)", dest.display(), scenario.nodes.len(), diags.len() - errors)?,
    }
    Ok(if errors > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}
