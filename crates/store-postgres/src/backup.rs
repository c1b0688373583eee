//! Online backup (在线备份) with `pg_dump`.
//!
//! `pg_dump` reads the whole database in one snapshot while it stays in use, so the copy is
//! consistent. It writes PostgreSQL's custom archive format; restore it into an empty database
//! with `pg_restore --no-owner --dbname=URL FILE`. The program is `pg_dump` from `PATH`, or the
//! one `LUOSHI_PG_DUMP` names; its major version must be at least the server's. The archive is
//! written to a temporary file next to the target and only then linked into place, so a failed
//! backup leaves nothing behind and an existing file is never overwritten.

use crate::url::without_password;
use luoshi_store::{Result, StoreError};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `pg_dump` program to run unless the backend was given another: `LUOSHI_PG_DUMP`, or
/// `pg_dump` from `PATH`.
pub fn default_program() -> OsString {
    std::env::var_os("LUOSHI_PG_DUMP").unwrap_or_else(|| "pg_dump".into())
}

fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Put the finished archive at `path`, refusing to replace an existing file.
fn publish(partial: &Path, path: &Path) -> Result<()> {
    let linked = match std::fs::hard_link(partial, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(StoreError::Conflict(
            format!("备份目标已存在: {}", path.display()),
        )),
        // A file system without hard links: fall back to a rename.
        Err(_) if !path.exists() => std::fs::rename(partial, path)
            .map_err(|e| StoreError::Backend(format!("无法写入备份 {}: {e}", path.display()))),
        Err(e) => Err(StoreError::Backend(format!(
            "无法写入备份 {}: {e}",
            path.display()
        ))),
    };
    let _ = std::fs::remove_file(partial);
    linked
}

/// Dump the database `url` names into `path` with the `pg_dump` at `program`.
pub fn dump(program: &OsStr, url: &str, path: &Path) -> Result<()> {
    if path.exists() {
        return Err(StoreError::Conflict(format!(
            "备份目标已存在: {}",
            path.display()
        )));
    }
    let partial = partial_path(path);
    let (bare_url, password) = without_password(url);
    let mut command = Command::new(program);
    command
        .arg("--format=custom")
        .arg("--no-password")
        .arg(format!("--file={}", partial.display()))
        .arg(format!("--dbname={bare_url}"));
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let output = match command.output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::Backend(format!(
                "未找到 pg_dump（{}）：PostgreSQL 数据库的在线备份需要 PostgreSQL 客户端工具 pg_dump，\
                 其主版本不低于服务器版本。请安装（如 apt-get install postgresql-client）后重试，\
                 或用环境变量 LUOSHI_PG_DUMP 指定其路径",
                program.to_string_lossy()
            )))
        }
        Err(e) => {
            return Err(StoreError::Backend(format!(
                "无法运行 pg_dump（{}）: {e}",
                program.to_string_lossy()
            )))
        }
    };
    if !output.status.success() {
        let _ = std::fs::remove_file(&partial);
        return Err(StoreError::Backend(format!(
            "pg_dump 备份失败（{}）: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    publish(&partial, path)
}
