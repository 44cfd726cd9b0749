//! `kefu`: the command-line front-end. Parsing and exit codes here; the work is in `kefu::cli`.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: large scenarios are millions of small allocations
/// (see the note on the dependency in Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The language is needed before parsing: `--help` is written in it.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = kefu::cli::help::peek_lang(&args, std::env::var("KEFU_LANG").ok().as_deref());
    let cli = match kefu::cli::help::parse(args, lang) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { kefu::cli::EXIT_USAGE } else { kefu::cli::EXIT_OK });
        }
    };
    #[cfg(feature = "gui")]
    if cli.command.is_none() {
        return kefu::app::run(cli.lang);
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    ExitCode::from(kefu::cli::run(cli, &mut input, &mut out, &mut err))
}
