//! Subcommand families of the `luoshi` binary, one module each.

pub mod bench;
pub mod calendar;
pub mod gazette;
pub mod platform;
pub mod rules;

use std::process::ExitCode;

/// Exit code for bad input (unreadable file, invalid UTF-8, malformed JSON, unknown name).
pub const EXIT_BAD_INPUT: u8 = 2;

/// Print a user-facing error (Chinese message with a stable code) and return exit code 2.
pub fn bad_input(code: &str, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误 [{code}]: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}
