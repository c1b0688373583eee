//! Login sessions in the database. Only a hash of the session token is stored.

use crate::sql::Conn;
use crate::Result;

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: String,
}

pub fn insert(
    c: &mut dyn Conn,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    now: &str,
    expires_at: &str,
) -> Result<()> {
    c.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            token_hash.into(),
            user_id.into(),
            csrf.into(),
            now.into(),
            expires_at.into(),
        ],
    )?;
    Ok(())
}

/// The session for a token hash, if it has not expired at `now` (RFC 3339, compared as text:
/// all timestamps are UTC with the same format).
pub fn get(c: &mut dyn Conn, token_hash: &str, now: &str) -> Result<Option<SessionRow>> {
    c.query_opt_as(
        "SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        &[token_hash.into(), now.into()],
    )
}

pub fn delete(c: &mut dyn Conn, token_hash: &str) -> Result<u64> {
    c.execute(
        "DELETE FROM sessions WHERE token_hash = $1",
        &[token_hash.into()],
    )
}

pub fn delete_for_user(c: &mut dyn Conn, user_id: i64) -> Result<u64> {
    c.execute("DELETE FROM sessions WHERE user_id = $1", &[user_id.into()])
}

pub fn purge_expired(c: &mut dyn Conn, now: &str) -> Result<u64> {
    c.execute("DELETE FROM sessions WHERE expires_at <= $1", &[now.into()])
}

/// Record a failed login (with the client's address when known), and forget failures from
/// before `forget_before`.
pub fn record_failure(
    c: &mut dyn Conn,
    username: &str,
    addr: Option<&str>,
    at: &str,
    forget_before: &str,
) -> Result<()> {
    c.execute(
        "DELETE FROM login_failures WHERE at < $1",
        &[forget_before.into()],
    )?;
    c.execute(
        "INSERT INTO login_failures (username, addr, at) VALUES ($1, $2, $3)",
        &[username.into(), addr.into(), at.into()],
    )?;
    Ok(())
}

/// How many failed logins one user name or one address had since a time, and the latest.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct FailureStats {
    pub failures: i64,
    /// RFC 3339 UTC of the newest failure, if any.
    pub latest: Option<String>,
}

/// Failed logins for a user name at or after `since`.
pub fn failures_for_name(c: &mut dyn Conn, username: &str, since: &str) -> Result<FailureStats> {
    Ok(c.query_opt_as(
        "SELECT COUNT(*) AS failures, MAX(at) AS latest FROM login_failures \
             WHERE username = $1 AND at >= $2",
        &[username.into(), since.into()],
    )?
    .unwrap_or_default())
}

/// Failed logins from a client address at or after `since`.
pub fn failures_for_addr(c: &mut dyn Conn, addr: &str, since: &str) -> Result<FailureStats> {
    Ok(c.query_opt_as(
        "SELECT COUNT(*) AS failures, MAX(at) AS latest FROM login_failures \
             WHERE addr = $1 AND at >= $2",
        &[addr.into(), since.into()],
    )?
    .unwrap_or_default())
}

/// Whether a browser's device token (its hash) logged in as `username` at or after `since`.
pub fn is_known_device(
    c: &mut dyn Conn,
    token_hash: &str,
    username: &str,
    since: &str,
) -> Result<bool> {
    Ok(c.query_opt(
        "SELECT 1 FROM login_devices WHERE token_hash = $1 AND username = $2 \
             AND created_at >= $3",
        &[token_hash.into(), username.into(), since.into()],
    )?
    .is_some())
}

/// Forget a device (its password was wrong: a stolen device token earns one guess only).
pub fn forget_device(c: &mut dyn Conn, token_hash: &str) -> Result<u64> {
    c.execute(
        "DELETE FROM login_devices WHERE token_hash = $1",
        &[token_hash.into()],
    )
}

/// Remember a browser that logged in as `username`, and forget devices from before
/// `forget_before`.
pub fn remember_device(
    c: &mut dyn Conn,
    token_hash: &str,
    username: &str,
    at: &str,
    forget_before: &str,
) -> Result<()> {
    c.execute(
        "DELETE FROM login_devices WHERE created_at < $1 OR token_hash = $2",
        &[forget_before.into(), token_hash.into()],
    )?;
    c.execute(
        "INSERT INTO login_devices (token_hash, username, created_at) VALUES ($1, $2, $3)",
        &[token_hash.into(), username.into(), at.into()],
    )?;
    Ok(())
}

/// Forget a username's failed logins (after a successful one).
pub fn clear_failures(c: &mut dyn Conn, username: &str) -> Result<u64> {
    c.execute(
        "DELETE FROM login_failures WHERE username = $1",
        &[username.into()],
    )
}
