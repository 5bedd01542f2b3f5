//! The binary: parse arguments, call the library, map the outcome to an
//! exit code. One file per command (`cmd_*.rs`); `setup` builds the
//! scanner from the arguments and the configuration, `output` writes the
//! report and picks the exit code.

mod args;
mod cmd_baseline;
mod cmd_config;
mod cmd_git;
mod cmd_hook;
mod cmd_merge;
mod cmd_rules;
mod cmd_scan;
mod cmd_verify;
mod output;
mod progress;
mod setup;

use cmd_baseline::baseline_cmd;
use cmd_config::config_cmd;
use cmd_git::git;
use cmd_hook::{hook, install_hook, uninstall_hook};
use cmd_merge::merge;
use cmd_rules::rules;
use cmd_scan::scan;
use cmd_verify::verify_cmd;
use output::EXIT_ERROR;

use args::{Cli, Command};
use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

/// A panic is a bug, never a finding: report where it happened and exit 2,
/// but never the panic's message, which may quote what was being scanned
/// (a slicing panic prints the string it sliced).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            io::stderr().lock(),
            "tradesecrets: internal error{at}; this is a bug, please report it \
             (the message is withheld: it may quote scanned content)"
        );
        std::process::exit(EXIT_ERROR.into());
    }));
}

pub fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("tradesecrets: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match &cli.command {
        Command::Scan(a) => output::check(&a.output)?,
        Command::Git(a) => output::check(&a.output)?,
        Command::Hook(a) => output::check(&a.output)?,
        Command::Merge(a) => output::check(&a.output_args())?,
        _ => {}
    }
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Git(args) => git(args),
        Command::Rules { command } => rules(command),
        Command::Config { command } => config_cmd(command),
        Command::Baseline { command } => baseline_cmd(command),
        Command::Hook(args) => hook(args),
        Command::InstallHook(args) => install_hook(args),
        Command::UninstallHook(args) => uninstall_hook(args),
        Command::Verify(args) => verify_cmd(args),
        Command::Merge(args) => merge(args),
    }
}
