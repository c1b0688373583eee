//! The outbox in the database (发件箱): notifications are rows first, queued inside the
//! transaction that causes them; workers claim rows, deliver them and record each try.
//!
//! Queuing is idempotent by `dedupe_key` (`INSERT … ON CONFLICT DO NOTHING`), so several
//! servers scanning the same clocks queue each reminder once. Claiming takes a lease
//! (`claimed_until`): on PostgreSQL with `FOR UPDATE SKIP LOCKED`, on SQLite inside the
//! single writer's transaction, so one row is claimed by one worker at a time.

use crate::sql::{Conn, Dialect};
use crate::Result;
use serde::{Deserialize, Serialize};

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// Unique per message: the same key queued twice is one message.
    pub dedupe_key: String,
    /// `notice` (in-app), `email` or `webhook`.
    pub channel: String,
    /// A user id for notices, an address for e-mail, a URL for webhooks.
    pub recipient: String,
    pub user_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub case_id: Option<i64>,
}

/// A queued message as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageRow {
    pub id: i64,
    pub dedupe_key: String,
    pub channel: String,
    pub recipient: String,
    pub user_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub case_id: Option<i64>,
    pub created_at: String,
    /// `pending`, `sending`, `sent` or `failed` (gave up after the last retry).
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub claimed_by: Option<String>,
    pub sent_at: Option<String>,
    pub last_error: Option<String>,
}

/// One delivery try.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptRow {
    pub outbox_id: i64,
    pub at: String,
    pub worker: String,
    pub ok: bool,
    pub detail: String,
}

/// Queue a message; returns false when a message with its key was queued before.
pub fn queue(c: &mut dyn Conn, m: &NewMessage, at: &str) -> Result<bool> {
    let n = c.execute(
        "INSERT INTO outbox (dedupe_key, channel, recipient, user_id, subject, body, case_id, \
         created_at, status, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $8) \
         ON CONFLICT (dedupe_key) DO NOTHING",
        &[
            m.dedupe_key.as_str().into(),
            m.channel.as_str().into(),
            m.recipient.as_str().into(),
            m.user_id.into(),
            m.subject.as_str().into(),
            m.body.as_str().into(),
            m.case_id.into(),
            at.into(),
        ],
    )?;
    Ok(n == 1)
}

const COLUMNS: &str = "id, dedupe_key, channel, recipient, user_id, subject, body, case_id, \
     created_at, status, attempts, next_attempt_at, claimed_by, sent_at, last_error";

/// Claim up to `limit` messages that are due (pending and past their next try, or sending
/// with an expired lease) for `worker` until `lease_until`.
pub fn claim(
    c: &mut dyn Conn,
    worker: &str,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    let pick = "SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= $1) \
                OR (status = 'sending' AND claimed_until < $1) ORDER BY id LIMIT $2";
    let pick = match c.dialect() {
        Dialect::Postgres => format!("{pick} FOR UPDATE SKIP LOCKED"),
        Dialect::Sqlite => pick.to_string(),
    };
    c.query_as(
        &format!(
            "UPDATE outbox SET status = 'sending', claimed_by = $3, claimed_until = $4 \
             WHERE id IN ({pick}) RETURNING {COLUMNS}"
        ),
        &[now.into(), limit.into(), worker.into(), lease_until.into()],
    )
}

/// Record a try; on success mark the message sent, otherwise schedule the next try at
/// `retry_at`, or give up (`failed`) when `retry_at` is `None`. Only the worker holding the
/// claim may record; returns false when the claim was lost.
pub fn record_attempt(
    c: &mut dyn Conn,
    id: i64,
    worker: &str,
    at: &str,
    outcome: std::result::Result<&str, &str>,
    retry_at: Option<&str>,
) -> Result<bool> {
    let (ok, detail) = match outcome {
        Ok(d) => (true, d),
        Err(d) => (false, d),
    };
    let n = if ok {
        c.execute(
            "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
             claimed_until = NULL, last_error = NULL WHERE id = $2 AND claimed_by = $3 \
             AND status = 'sending'",
            &[at.into(), id.into(), worker.into()],
        )?
    } else {
        let (status, next) = match retry_at {
            Some(t) => ("pending", t),
            None => ("failed", at),
        };
        c.execute(
            "UPDATE outbox SET status = $1, next_attempt_at = $2, attempts = attempts + 1, \
             claimed_until = NULL, last_error = $3 WHERE id = $4 AND claimed_by = $5 \
             AND status = 'sending'",
            &[
                status.into(),
                next.into(),
                detail.into(),
                id.into(),
                worker.into(),
            ],
        )?
    };
    if n == 1 {
        c.execute(
            "INSERT INTO outbox_attempts (outbox_id, at, worker, ok, detail) \
             VALUES ($1, $2, $3, $4, $5)",
            &[
                id.into(),
                at.into(),
                worker.into(),
                ok.into(),
                detail.into(),
            ],
        )?;
    }
    Ok(n == 1)
}

/// Messages, newest first, optionally only those in `status`.
pub fn list(c: &mut dyn Conn, status: Option<&str>, limit: i64) -> Result<Vec<MessageRow>> {
    c.query_as(
        &format!(
            "SELECT {COLUMNS} FROM outbox WHERE ($1 IS NULL OR status = $1) \
             ORDER BY id DESC LIMIT $2"
        ),
        &[status.into(), limit.into()],
    )
}

/// The tries of one message, oldest first.
pub fn attempts(c: &mut dyn Conn, outbox_id: i64) -> Result<Vec<AttemptRow>> {
    c.query_as(
        "SELECT outbox_id, at, worker, ok, detail FROM outbox_attempts WHERE outbox_id = $1 \
         ORDER BY id",
        &[outbox_id.into()],
    )
}

/// Counts of messages by status.
pub fn counts(c: &mut dyn Conn) -> Result<Vec<(String, i64)>> {
    c.query(
        "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status",
        &[],
    )?
    .iter()
    .map(|r| Ok((r.text("status")?, r.i64("n")?)))
    .collect()
}

/// An in-app notice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeRow {
    pub id: i64,
    pub user_id: i64,
    pub case_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// Deliver an in-app notice (once per outbox row).
pub fn insert_notice(c: &mut dyn Conn, m: &MessageRow, user_id: i64, at: &str) -> Result<()> {
    c.execute(
        "INSERT INTO notices (user_id, case_id, subject, body, created_at, outbox_id) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (outbox_id) DO NOTHING",
        &[
            user_id.into(),
            m.case_id.into(),
            m.subject.as_str().into(),
            m.body.as_str().into(),
            at.into(),
            m.id.into(),
        ],
    )?;
    Ok(())
}

/// A user's notices, newest first.
pub fn notices(c: &mut dyn Conn, user_id: i64, limit: i64) -> Result<Vec<NoticeRow>> {
    c.query_as(
        "SELECT id, user_id, case_id, subject, body, created_at, read_at FROM notices \
         WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        &[user_id.into(), limit.into()],
    )
}

/// How many unread notices a user has.
pub fn unread_count(c: &mut dyn Conn, user_id: i64) -> Result<i64> {
    c.count(
        "SELECT COUNT(*) AS n FROM notices WHERE user_id = $1 AND read_at IS NULL",
        &[user_id.into()],
    )
}

/// Mark a user's notices read (all of them, or one).
pub fn mark_read(c: &mut dyn Conn, user_id: i64, id: Option<i64>, at: &str) -> Result<u64> {
    c.execute(
        "UPDATE notices SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL \
         AND ($3 IS NULL OR id = $3)",
        &[at.into(), user_id.into(), id.into()],
    )
}
