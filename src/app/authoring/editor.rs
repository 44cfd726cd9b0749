//! "Open in editor": the teacher's editor started at a diagnostic's line.

use super::*;

/// The command that opens `file` at `line`: `KEFU_EDITOR` when set (a command line where
/// `{file}` and `{line}` are replaced; without `{file}` the file is added at the end), else the
/// first editor found on the PATH that can jump to a line, else the system's opener (the
/// editor then opens at the top). Returns the program, its arguments, and whether it goes to
/// the line.
fn editor_command(file: &Path, line: usize, kefu_editor: Option<&str>, on_path: impl Fn(&str) -> bool) -> (String, Vec<String>, bool) {
    let f = file.display().to_string();
    if let Some(tpl) = kefu_editor.map(str::trim).filter(|t| !t.is_empty()) {
        let mut words: Vec<String> = tpl.split_whitespace().map(|w| w.replace("{file}", &f).replace("{line}", &line.to_string())).collect();
        if !tpl.contains("{file}") {
            words.push(f);
        }
        let prog = words.remove(0);
        return (prog, words, tpl.contains("{line}"));
    }
    // (program, arguments with {file}/{line}) in order of preference.
    let known: &[(&str, &[&str])] = &[
        ("code", &["-g", "{file}:{line}"]),
        ("notepad++", &["-n{line}", "{file}"]),
        ("gnome-text-editor", &["+{line}", "{file}"]),
        ("gedit", &["+{line}", "{file}"]),
        ("kate", &["--line", "{line}", "{file}"]),
        ("pluma", &["+{line}", "{file}"]),
        ("xed", &["+{line}", "{file}"]),
        ("mousepad", &["--line", "{line}", "{file}"]),
    ];
    for (prog, args) in known {
        if on_path(prog) {
            let args = args.iter().map(|a| a.replace("{file}", &f).replace("{line}", &line.to_string())).collect();
            return (prog.to_string(), args, true);
        }
    }
    if cfg!(windows) {
        ("notepad".to_string(), vec![f], false)
    } else if cfg!(target_os = "macos") {
        ("open".to_string(), vec!["-t".to_string(), f], false)
    } else {
        ("xdg-open".to_string(), vec![f], false)
    }
}

fn on_path(prog: &str) -> bool {
    let Some(paths) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&paths).any(|dir| {
        let p = dir.join(prog);
        p.is_file() || (cfg!(windows) && (p.with_extension("exe").is_file() || p.with_extension("cmd").is_file()))
    })
}

/// Start the editor (never waits for it); what happened, for the screen.
pub(super) fn open_in_editor(file: &Path, line: usize) -> Note {
    let env = std::env::var("KEFU_EDITOR").ok();
    let (prog, args, at_line) = editor_command(file, line, env.as_deref(), on_path);
    match std::process::Command::new(&prog).args(&args).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn() {
        Ok(_) if at_line => Note::ok(format!("已用 {prog} 打开，第 {line} 行。"), format!("Opened in {prog} at line {line}.")),
        Ok(_) => Note::ok(
            format!("已用 {prog} 打开；请跳到第 {line} 行。想直接跳到这一行：设置环境变量 KEFU_EDITOR，例如 \"code -g {{file}}:{{line}}\"。"),
            format!("Opened with {prog}; go to line {line}. To land on the line, set KEFU_EDITOR, e.g. \"code -g {{file}}:{{line}}\"."),
        ),
        Err(e) => Note::warn(
            format!("打不开编辑器 {prog}：{e}。请自己打开 {}，第 {line} 行；或设置环境变量 KEFU_EDITOR。", file.display()),
            format!("Could not start the editor {prog}: {e}. Open {} yourself at line {line}, or set KEFU_EDITOR.", file.display()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::editor_command;
    use std::path::Path;

    #[test]
    fn the_editor_is_kefu_editor_then_one_that_jumps_to_a_line_then_the_system_opener() {
        let f = Path::new("/s/p1.ron");
        let (p, a, at) = editor_command(f, 42, Some("code -g {file}:{line}"), |_| false);
        assert_eq!((p.as_str(), a, at), ("code", vec!["-g".to_string(), "/s/p1.ron:42".to_string()], true));
        // Without {file} the file goes last; without {line} it does not jump.
        let (p, a, at) = editor_command(f, 7, Some("mousepad"), |_| true);
        assert_eq!((p.as_str(), a, at), ("mousepad", vec!["/s/p1.ron".to_string()], false));
        // The first known editor found on the PATH.
        let (p, a, at) = editor_command(f, 9, None, |prog| prog == "gedit" || prog == "kate");
        assert_eq!((p.as_str(), a, at), ("gedit", vec!["+9".to_string(), "/s/p1.ron".to_string()], true));
        let (p, a, _) = editor_command(f, 9, Some("  "), |prog| prog == "notepad++");
        assert_eq!((p.as_str(), a), ("notepad++", vec!["-n9".to_string(), "/s/p1.ron".to_string()]));
        // None: the system's opener, which cannot jump.
        let (_, a, at) = editor_command(f, 9, None, |_| false);
        assert_eq!((a.last().map(String::as_str), at), (Some("/s/p1.ron"), false));
    }
}
