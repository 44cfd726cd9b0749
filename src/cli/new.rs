//! `kefu new ID`: a commented starter scenario (the repository's template) under a new id, with
//! the teacher's title and course project and task. What the flags do not give is asked for on a
//! terminal; otherwise it is written as a placeholder that `kefu check` warns about — never the
//! template's own values, unsaid.

use std::io::{BufRead, Write};
use std::path::Path;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::records::store::write_new_file;
use crate::scenario::{CourseRef, Lang, TITLE_PLACEHOLDER};

/// The template teachers start from; `kefu check` passes it with no errors and no warnings.
const TEMPLATE: &str = include_str!("../../scenarios/_template.ron");

/// What the new file says about itself; `None`: not given (asked for, or a placeholder).
#[derive(Clone, Debug, Default)]
pub struct Details {
    pub title: Option<String>,
    pub project: Option<u32>,
    pub task: Option<u32>,
}

/// A RON string literal.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The template with its id, title and course replaced (placeholders where `d` has nothing).
pub fn starter(id: &str, d: &Details) -> String {
    let title = d.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).unwrap_or(TITLE_PLACEHOLDER);
    let course = match (d.project, d.task) {
        (Some(p), Some(t)) => format!("course: (project: {p}, task: {t}),"),
        _ => "course: (project: 0, task: 0), // ← 请改成你的项目和任务 (write your project and task)".to_string(),
    };
    TEMPLATE
        .replacen("id: \"template\"", &format!("id: \"{id}\""), 1)
        .replacen("title: (zh: \"模板：前台接待来访客户\", en: \"Template: a visitor at the front desk\"),", &format!("title: {},", quoted(title)), 1)
        .replacen("// 所属的项目和任务 (course project and task): 项目一 任务二", "// 所属的项目和任务 (course project and task)", 1)
        .replacen("course: (project: 1, task: 2),", &course, 1)
}

/// Why a project and task are not the course's, or `None` when they are.
fn course_problem(project: u32, task: u32, lang: Lang) -> Option<String> {
    let c = CourseRef { project, task };
    (!c.in_course()).then(|| match lang {
        Lang::Zh => format!("课程里没有项目{project} 任务{task}：课程有 {}", CourseRef::outline(lang)),
        Lang::En => format!("the course has no project {project} task {task}: it has {}", CourseRef::outline(lang)),
    })
}

/// Ask on the terminal for what the flags did not give. An empty answer or the end of input
/// leaves it to a placeholder.
fn ask(d: &mut Details, lang: Lang, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<(), CliError> {
    let mut line = |prompt: &str, out: &mut dyn Write| -> Result<Option<String>, CliError> {
        write!(out, "{prompt}")?;
        out.flush()?;
        let mut s = String::new();
        if input.read_line(&mut s)? == 0 {
            return Ok(None);
        }
        Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty()))
    };
    if d.title.is_none() {
        d.title = line(lang.pick("场景标题（例如 客户来电查询到货时间）：", "Scenario title (e.g. A customer asks when the goods arrive): "), out)?;
    }
    // Three tries each; then the placeholder.
    for _ in 0..3 {
        if d.project.is_some() {
            break;
        }
        let Some(a) = line(&format!("{}{}）：", lang.pick("课程项目编号（", "Course project number ("), CourseRef::outline(lang)), out)? else { break };
        match a.parse::<u32>() {
            Ok(p) if p == crate::scenario::SUPPLEMENTARY_PROJECT || crate::scenario::COURSE_TASKS.iter().any(|&(q, _)| q == p) => d.project = Some(p),
            _ => writeln!(out, "{}", lang.pick("请输入课程里的项目编号，例如 2", "give a project number of the course, e.g. 2"))?,
        }
    }
    if let Some(p) = d.project {
        for _ in 0..3 {
            if d.task.is_some() {
                break;
            }
            let Some(a) = line(lang.pick("任务编号：", "Task number: "), out)? else { break };
            match a.parse::<u32>() {
                Ok(t) if course_problem(p, t, lang).is_none() => d.task = Some(t),
                Ok(t) => writeln!(out, "{}", course_problem(p, t, lang).unwrap_or_default())?,
                Err(_) => writeln!(out, "{}", lang.pick("请输入一个数字，例如 1", "give a number, e.g. 1"))?,
            }
        }
    }
    Ok(())
}

pub fn run(id: &str, dir: &Path, details: &Details, interactive: bool, lang: Lang, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<u8, CliError> {
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
    let mut d = details.clone();
    match (d.project, d.task) {
        (Some(p), Some(t)) => {
            if let Some(why) = course_problem(p, t, lang) {
                writeln!(out, "{why}")?;
                return Ok(EXIT_USAGE);
            }
        }
        (Some(_), None) | (None, Some(_)) if !interactive => {
            writeln!(out, "{}", lang.pick("--project 和 --task 要一起写，例如 --project 2 --task 1", "give --project and --task together, e.g. --project 2 --task 1"))?;
            return Ok(EXIT_USAGE);
        }
        _ => {}
    }
    let path = dir.join(format!("{id}.ron"));
    if path.exists() {
        return exists(&path, lang, out);
    }
    if interactive && (d.title.is_none() || d.project.is_none() || d.task.is_none()) {
        ask(&mut d, lang, input, out)?;
    }
    match write_new_file(&path, starter(id, &d).as_bytes()) {
        Ok(()) => {
            let p = path.display();
            match lang {
                Lang::Zh => writeln!(out, "已创建 {p}")?,
                Lang::En => writeln!(out, "created {p}")?,
            }
            // What was left to a placeholder, said now and flagged by `kefu check` until changed.
            let title_missing = d.title.as_deref().is_none_or(|t| t.trim().is_empty());
            let course_missing = d.project.is_none() || d.task.is_none();
            if title_missing || course_missing {
                let mut what = Vec::new();
                if title_missing {
                    what.push(lang.pick("标题（title，或用 --title \"…\"）", "the title (title, or --title \"…\")"));
                }
                if course_missing {
                    what.push(lang.pick("课程项目和任务（course，或用 --project N --task N）", "the course project and task (course, or --project N --task N)"));
                }
                match lang {
                    Lang::Zh => writeln!(out, "注意：{}还没有填写，文件里是占位，kefu check 会提醒，请改成你的。", what.join("、"))?,
                    Lang::En => writeln!(out, "note: {} not given yet: the file holds a placeholder, kefu check warns until you write yours.", what.join(" and "))?,
                }
            }
            match lang {
                Lang::Zh => writeln!(out, "角色（roles）和内容还是模板里的（前台的刘铭丽和一位来访客户），请按你的情境修改。\n下一步：用文本编辑器打开它，按注释修改；然后运行\n  kefu check {p}\n  kefu analyze {p}\n  kefu play {p}\n说明见 docs/authoring.md。")?,
                Lang::En => writeln!(out, "The roles and the content are still the template's (Liu Mingli at the front desk and a visitor): change them for your situation.\nNext: open it in a text editor and follow the comments; then run\n  kefu check {p}\n  kefu analyze {p}\n  kefu play {p}\nSee docs/authoring.md.")?,
            }
            Ok(EXIT_OK)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => exists(&path, lang, out),
        Err(e) => Err(CliError::Msg(format!("{}: {e}", path.display()))),
    }
}

fn exists(path: &Path, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    match lang {
        Lang::Zh => writeln!(out, "{} 已经存在，没有覆盖。请换一个编号，或先改名/删除原文件。", path.display())?,
        Lang::En => writeln!(out, "{} already exists and was not replaced. Choose another id, or rename the old file first.", path.display())?,
    }
    Ok(EXIT_PROBLEMS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_on_a_terminal_and_rechecks_the_course() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut input = std::io::Cursor::new("客户来电查件\n9\n2\n5\n1\n".as_bytes());
        let mut out = Vec::new();
        let code = run("p2t1-x", dir.path(), &Details::default(), true, Lang::Zh, &mut input, &mut out).expect("runs");
        let said = String::from_utf8_lossy(&out).to_string();
        assert_eq!(code, EXIT_OK, "{said}");
        assert!(said.contains("场景标题") && said.contains("课程项目编号") && said.contains("任务编号"), "{said}");
        assert!(said.contains("请输入课程里的项目编号") && said.contains("课程里没有项目2 任务5"), "{said}");
        assert!(!said.contains("注意："), "nothing left to a placeholder: {said}");
        let written = std::fs::read_to_string(dir.path().join("p2t1-x.ron")).expect("written");
        assert!(written.contains("title: \"客户来电查件\",") && written.contains("course: (project: 2, task: 1),"), "{written}");
        let l = crate::scenario::load_str(Path::new("p2t1-x.ron"), &written).expect("loads");
        assert!(crate::scenario::validate(&l).is_empty());
    }

    #[test]
    fn a_title_is_written_as_a_ron_string() {
        let d = Details { title: Some("他说\"好\"\\".into()), project: Some(1), task: Some(1) };
        let l = crate::scenario::load_str(Path::new("x.ron"), &starter("x", &d)).expect("loads");
        assert_eq!(l.scenario.title.zh, "他说\"好\"\\");
    }
}
