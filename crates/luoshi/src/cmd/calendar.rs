//! `luoshi calendar …`: working-day arithmetic that explains itself.

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// List the available entries.
    List,
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::List => super::bad_input("E_UNAVAILABLE", "尚未实现"),
    }
}
