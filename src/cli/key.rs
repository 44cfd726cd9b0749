//! `kefu key`: the class key that signs attempt records (see `records::seal` and the threat
//! model in docs/architecture.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS};
use crate::records::config::records_dir;
use crate::records::seal::{ClassKey, default_key_path, load_key};
use crate::records::store::write_new_file;
use crate::scenario::Lang;

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make a new class key (default: class.key in the config folder, or $KEFU_CLASS_KEY).
    /// Copy the file to every lab PC once; never into the records folder.
    New {
        /// Where to write it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Say which class key this PC signs records with, and where it is.
    Show {
        /// The key file (default: $KEFU_CLASS_KEY, then class.key in the config folder).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
    },
}

pub fn run(cmd: &KeyCommand, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    match cmd {
        KeyCommand::New { out: path } => new(path.clone().or_else(default_key_path), lang, out),
        KeyCommand::Show { key } => show(key.as_deref(), lang, out),
    }
}

fn new(path: Option<PathBuf>, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    let Some(path) = path else {
        return Err(CliError::Msg(lang.pick("系统没有配置文件夹：请用 --out 指定密钥文件", "this system names no config folder: give the key file with --out").into()));
    };
    // A key where students read and write records would let anyone sign anything.
    let records = records_dir(None);
    let inside = |p: &Path| -> bool {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match (std::fs::canonicalize(dir), std::fs::canonicalize(&records)) {
            (Ok(d), Ok(r)) => d.starts_with(r),
            _ => false,
        }
    };
    if inside(&path) {
        return Err(CliError::Msg(match lang {
            Lang::Zh => format!("{}：不能把班级密钥放在记录文件夹 {} 里（学生都能读到）", path.display(), records.display()),
            Lang::En => format!("{}: the class key cannot go in the records folder {} (every student can read it)", path.display(), records.display()),
        }));
    }
    let key = ClassKey::generate();
    match write_new_file(&path, key.to_file_text().as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CliError::Msg(match lang {
                Lang::Zh => format!("{} 已经有一个班级密钥，没有覆盖（换掉它，之前签名的记录就核对不了）。要换新密钥请先把旧文件移走", path.display()),
                Lang::En => format!("{} already holds a class key and was not replaced (records signed with it could no longer be checked). Move the old file away first to make a new one", path.display()),
            }));
        }
        Err(e) => return Err(CliError::Msg(format!("{}: {e}", path.display()))),
    }
    match lang {
        Lang::Zh => writeln!(
            out,
            "已生成班级密钥 {}：{}\n把这个文件复制到每台机房电脑的同一位置（或用环境变量 KEFU_CLASS_KEY 指向它），之后的记录都会签名。\n不要放进记录文件夹，也不要发给学生。",
            key.id,
            path.display()
        )?,
        Lang::En => writeln!(
            out,
            "made class key {}: {}\nCopy this file to the same place on every lab PC (or point KEFU_CLASS_KEY at it); records are signed from then on.\nKeep it out of the records folder and away from students.",
            key.id,
            path.display()
        )?,
    }
    Ok(EXIT_OK)
}

fn show(flag: Option<&Path>, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    match load_key(flag).map_err(|e| CliError::Msg(e.message(lang)))? {
        Some(k) => {
            let at = flag.map(Path::to_path_buf).or_else(default_key_path).map(|p| p.display().to_string()).unwrap_or_default();
            match lang {
                Lang::Zh => writeln!(out, "班级密钥 {}（{} 生成）：{at}", k.id, k.created)?,
                Lang::En => writeln!(out, "class key {} (made {}): {at}", k.id, k.created)?,
            }
            Ok(EXIT_OK)
        }
        None => {
            let at = default_key_path().map(|p| p.display().to_string()).unwrap_or_default();
            match lang {
                Lang::Zh => writeln!(out, "这台电脑没有班级密钥（{at}）：记录不签名。老师用 kefu key new 生成")?,
                Lang::En => writeln!(out, "no class key on this PC ({at}): records are not signed. The teacher makes one with kefu key new")?,
            }
            Ok(EXIT_PROBLEMS)
        }
    }
}
