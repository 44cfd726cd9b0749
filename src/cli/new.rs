//! `kefu new ID`: a commented starter scenario (the repository's template) under a new id.

use std::io::Write;
use std::path::Path;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::records::store::write_new_file;
use crate::scenario::Lang;

/// The template teachers start from; `kefu check` passes it with no errors and no warnings.
const TEMPLATE: &str = include_str!("../../scenarios/_template.ron");

/// The template with its id (and the title's "模板/Template" marker) replaced.
pub fn starter(id: &str) -> String {
    TEMPLATE.replacen("id: \"template\"", &format!("id: \"{id}\""), 1)
}

pub fn run(id: &str, dir: &Path, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!("场景编号 `{id}` 只能用英文字母、数字、`-` 和 `_`，例如 p2t1-customer-survey"),
                Lang::En => format!("the scenario id `{id}` may only use latin letters, digits, `-` and `_`, e.g. p2t1-customer-survey"),
            }
        )?;
        return Ok(EXIT_USAGE);
    }
    let path = dir.join(format!("{id}.ron"));
    match write_new_file(&path, starter(id).as_bytes()) {
        Ok(()) => {
            let p = path.display();
            match lang {
                Lang::Zh => writeln!(out, "已创建 {p}\n下一步：用文本编辑器打开它，按注释修改；然后运行\n  kefu check {p}\n  kefu analyze {p}\n  kefu play {p}\n说明见 docs/authoring.md。")?,
                Lang::En => writeln!(out, "created {p}\nNext: open it in a text editor and follow the comments; then run\n  kefu check {p}\n  kefu analyze {p}\n  kefu play {p}\nSee docs/authoring.md.")?,
            }
            Ok(EXIT_OK)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            match lang {
                Lang::Zh => writeln!(out, "{} 已经存在，没有覆盖。请换一个编号，或先改名/删除原文件。", path.display())?,
                Lang::En => writeln!(out, "{} already exists and was not replaced. Choose another id, or rename the old file first.", path.display())?,
            }
            Ok(EXIT_PROBLEMS)
        }
        Err(e) => Err(CliError::Msg(format!("{}: {e}", path.display()))),
    }
}
