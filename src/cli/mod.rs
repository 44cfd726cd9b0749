//! The `kefu` command-line tool: argument parsing here, each command in its own file.
//! Commands write to any `impl Write` so tests can read what they print.

mod analyze;
mod audit;
mod check;
mod export;
pub mod help;
mod key;
mod lrs;
mod new;
mod play;
mod stdio;
mod records;
mod sheet;

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::scenario::Lang;

/// Exit codes: 0 fine, 1 problems found (or a failed command), 2 usage error.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Frees a large value on another thread: a 100,000-node scenario is millions of small
/// allocations (half a second to free) and the answer is already written. When the process ends
/// first, the operating system takes the memory back. Dropped here if no thread can be started.
pub(crate) fn drop_later<T: Send + 'static>(x: T) {
    let _ = std::thread::Builder::new().name("drop".into()).spawn(move || drop(x));
}

#[derive(Debug, Parser)]
#[command(name = "kefu", version, about = "客服实训 Kefu — 《物流客户服务》 role-play trainer: check, analyse and play scenario files")]
pub struct Cli {
    /// Language of messages: zh (default) or en. Also read from KEFU_LANG.
    #[arg(long, global = true, env = "KEFU_LANG", value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Without a command, the student app starts (when built with the `gui` feature).
    #[command(subcommand)]
    pub command: Option<Command>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language `{s}`: use zh or en"))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files (default: scenarios/) and print every problem with file:line:col.
    Check {
        /// Scenario files or folders to check.
        paths: Vec<PathBuf>,
        /// Print diagnostics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Analyse a scenario: reachable score ranges, endings, expert and worst paths.
    Analyze {
        /// The scenario file.
        path: PathBuf,
        #[arg(long)]
        json: bool,
        /// Print the scenario's map as a Graphviz graph (`dot -Tsvg`), also for a file with errors.
        #[arg(long, conflicts_with = "json")]
        dot: bool,
    },
    /// Can the grade be gamed? Strategy bots (longest, shortest, first option, random) over
    /// many seeds, and the expert path with each single critical error.
    Audit {
        /// A scenario file, or a folder of them.
        path: PathBuf,
        /// Seeds 0..N per strategy.
        #[arg(long, default_value_t = 50)]
        seeds: u64,
        #[arg(long)]
        json: bool,
    },
    /// Play a scenario in the terminal, or a scripted list of answers with --answers.
    Play {
        /// The scenario file.
        path: PathBuf,
        /// Seed for the variants and option order (default: random).
        #[arg(long)]
        seed: Option<u64>,
        /// A RON file with a list of answers: [(action: Choose("a")), (action: Continue, elapsed_ms: 2000), …].
        #[arg(long)]
        answers: Option<PathBuf>,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
        /// A machine protocol: one JSON object per line in and out (see the README).
        #[arg(long, conflicts_with_all = ["answers", "json"])]
        stdio: bool,
        /// File the attempt in this records folder, as the app does (signed with the class key
        /// when there is one, written atomically). Needs --player.
        #[arg(long, value_name = "DIR", conflicts_with = "stdio")]
        record: Option<PathBuf>,
        /// Who plays, for --record: 学号 or 学号,姓名.
        #[arg(long, value_name = "学号[,姓名]", requires = "record")]
        player: Option<String>,
        /// A group plays together, members in turn order: 学号[:姓名],学号[:姓名],… (optionally
        /// 组名= first). Decisions are shared by role (scenarios with several student roles) or in
        /// turns; `p N` passes a decision to member N. With --record, filed as a group attempt.
        #[arg(long, value_name = "[组名=]学号[:姓名],…")]
        group: Option<String>,
        /// The class key file for --record (default: $KEFU_CLASS_KEY, then class.key in the config folder).
        #[arg(long, value_name = "FILE", requires = "record")]
        key: Option<PathBuf>,
    },
    /// Write a commented starter scenario `ID.ron` (into scenarios/ unless --dir) that passes `kefu check`.
    New {
        /// The scenario id: latin letters, digits, `-` and `_`, e.g. p2t1-customer-survey.
        id: String,
        /// Folder to write into.
        #[arg(long, default_value = "scenarios")]
        dir: PathBuf,
        /// The scenario's title. Asked for on a terminal when not given; otherwise a placeholder
        /// that `kefu check` warns about.
        #[arg(long)]
        title: Option<String>,
        /// The course project (1–5), with --task.
        #[arg(long)]
        project: Option<u32>,
        /// The task within the project, with --project.
        #[arg(long)]
        task: Option<u32>,
    },
    /// Write a class's grade sheet (XLSX, CSV or Moodle CSV) from its attempt records.
    Export(export::ExportArgs),
    /// Look after a records folder: `kefu records verify [DIR]`.
    Records {
        #[command(subcommand)]
        command: records::RecordsCommand,
    },
    /// A scenario as a workbook for Excel/WPS and back: `kefu sheet export FILE.ron OUT.xlsx`,
    /// `kefu sheet import FILE.xlsx OUT.ron`.
    Sheet {
        #[command(subcommand)]
        command: sheet::SheetCommand,
    },
    /// The class key that signs attempt records: `kefu key new`, `kefu key show`.
    Key {
        #[command(subcommand)]
        command: key::KeyCommand,
    },
    /// Attempts to the school's learning record store (xAPI): `kefu lrs status`,
    /// `kefu lrs push DIR`, `kefu lrs send`. Set up in kefu.toml [lrs] or KEFU_LRS_*.
    Lrs {
        #[command(subcommand)]
        command: lrs::LrsCommand,
    },
}

/// Run a parsed command. `input` feeds interactive play.
pub fn run(cli: Cli, input: &mut dyn BufRead, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let lang = cli.lang.unwrap_or_default();
    let Some(command) = cli.command else {
        let _ = writeln!(err, "{}", lang.pick("请指定命令，例如 kefu check；kefu --help 列出全部命令", "give a command, e.g. kefu check; kefu --help lists them all"));
        return EXIT_USAGE;
    };
    let result = match command {
        Command::Check { paths, json } => check::run(&paths, json, lang, out),
        Command::Analyze { path, dot: true, .. } => analyze::dot(&path, lang, out),
        Command::Analyze { path, json, .. } => analyze::run(&path, json, lang, out),
        Command::Audit { path, seeds, json } => audit::run(&path, seeds, json, lang, out),
        Command::Play { path, seed, stdio: true, group, .. } => stdio::run(&path, seed, group.as_deref(), lang, input, out),
        Command::Play { path, seed, answers, json, record, player, key, group, .. } => {
            if record.is_some() && player.is_none() && group.is_none() {
                let _ = writeln!(err, "kefu: {}", lang.pick("--record 需要 --player（或 --group）：谁在作答", "--record needs --player (or --group): who is playing"));
                return EXIT_USAGE;
            }
            let filing = record.map(|dir| play::Filing { dir, player: player.unwrap_or_default(), key });
            play::run(&path, seed, answers.as_deref(), json, filing.as_ref(), group.as_deref(), lang, input, out)
        }
        Command::New { id, dir, title, project, task } => {
            use std::io::IsTerminal;
            let details = new::Details { title, project, task };
            new::run(&id, &dir, &details, std::io::stdin().is_terminal(), lang, input, out)
        }
        Command::Export(args) => export::run(&args, lang, out, err),
        Command::Records { command } => records::run(&command, lang, out),
        Command::Key { command } => key::run(&command, lang, out),
        Command::Sheet { command } => sheet::run(&command, lang, out),
        Command::Lrs { command } => lrs::run(&command, lang, out),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`kefu check | head`): nothing more to say, as ripgrep does.
        Err(CliError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "kefu: {e}");
            EXIT_PROBLEMS
        }
    }
}

/// What to say when a command's scenario folder is not there: plain words when it is the
/// default `scenarios` (the command was run from another folder), with how to name the files.
pub(crate) fn missing_scenarios(dir: &std::path::Path, lang: Lang, example: &str) -> String {
    if dir == std::path::Path::new("scenarios") {
        match lang {
            Lang::Zh => format!("这里没有 scenarios 文件夹：请在场景文件所在的文件夹运行，或写出{example}"),
            Lang::En => format!("there is no scenarios folder here: run this in the folder that holds the scenario files, or name them: {}", example_en(example)),
        }
    } else {
        match lang {
            Lang::Zh => format!("找不到场景文件夹：{}（请检查路径）", dir.display()),
            Lang::En => format!("no such scenario folder: {} (check the path)", dir.display()),
        }
    }
}

fn example_en(zh: &str) -> String {
    zh.replace("文件名：", "").replace("场景文件夹：", "").replace("我的场景文件夹", "my-scenarios").replace("我的场景.ron", "my-scenario.ron")
}

/// An error at the edge of the program, with a message for the user.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Msg(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
}
