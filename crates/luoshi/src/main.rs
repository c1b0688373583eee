//! The `luoshi` binary: the command line that wires the rooms together.
//!
//! Each subcommand family lives in its own module under `cmd/`; this file only dispatches.

mod cmd;

/// mimalloc for every allocation of the process (see docs/ARCHITECTURE.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// 落实 Luoshi: 把政府公报变成可追踪、可问责的工作。
#[derive(Parser)]
#[command(name = "luoshi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 公报解析: read a gazette issue.
    #[command(subcommand)]
    Gazette(cmd::gazette::Command),
    /// 规则: list and evaluate the decisions the gazette defines.
    #[command(subcommand)]
    Rules(cmd::rules::Command),
    /// 工作日历: working days, holidays and deadline arithmetic.
    #[command(subcommand)]
    Calendar(cmd::calendar::Command),
    /// 启动网站: serve the web interface and API.
    Serve(cmd::platform::ServeArgs),
    /// 导入公报: parse a gazette issue and load it (idempotent, all-or-nothing).
    Import(cmd::platform::ImportArgs),
    /// 账号管理: add, passwd, disable, list.
    #[command(subcommand)]
    User(cmd::platform::UserCommand),
    /// 审计: verify the audit log's hash chain.
    #[command(subcommand)]
    Audit(cmd::platform::AuditCommand),
    /// 备份: write an online, consistent copy of the database.
    Backup(cmd::platform::BackupArgs),
    /// 压测数据: fill a database with benchmark volumes.
    #[command(subcommand)]
    Bench(cmd::bench::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Gazette(c) => cmd::gazette::run(c),
        Command::Rules(c) => cmd::rules::run(c),
        Command::Calendar(c) => cmd::calendar::run(c),
        Command::Serve(a) => cmd::platform::serve(a),
        Command::Import(a) => cmd::platform::import(a),
        Command::User(c) => cmd::platform::user(c),
        Command::Audit(c) => cmd::platform::audit(c),
        Command::Backup(a) => cmd::platform::backup(a),
        Command::Bench(c) => cmd::bench::run(c),
    }
}
