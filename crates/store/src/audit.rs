//! The audit log in the database: append inside the writing transaction, read for review
//! and verification.

use crate::sql::{Conn, Dialect, Row};
use crate::Result;
use luoshi_domain::audit::{entry_hash, GENESIS_HASH};
use luoshi_domain::{AuditDraft, AuditEntry};

/// Append an entry, chained to the last one. Call inside the transaction that makes the
/// change, so the change and its record commit or roll back together.
pub fn append(c: &mut dyn Conn, draft: &AuditDraft, at: &str) -> Result<AuditEntry> {
    if c.dialect() == Dialect::Postgres {
        // Appends must see the latest entry: serialize them.
        c.execute("LOCK TABLE audit_log IN EXCLUSIVE MODE", &[])?;
    }
    #[derive(serde::Deserialize)]
    struct Head {
        seq: i64,
        hash: String,
    }
    let (seq, prev_hash) = match c.query_opt_as::<Head>(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        &[],
    )? {
        Some(h) => (h.seq + 1, h.hash),
        None => (1, GENESIS_HASH.to_string()),
    };
    let hash = entry_hash(seq, at, draft, &prev_hash);
    c.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, \
         prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            seq.into(),
            at.into(),
            draft.actor.as_str().into(),
            draft.action.as_str().into(),
            draft.entity.as_str().into(),
            draft.entity_id.as_str().into(),
            draft.before.clone().into(),
            draft.after.clone().into(),
            prev_hash.as_str().into(),
            hash.as_str().into(),
        ],
    )?;
    Ok(AuditEntry {
        seq,
        at: at.to_string(),
        draft: draft.clone(),
        prev_hash,
        hash,
    })
}

/// An audit row, decoded by column name (a reordered SELECT cannot swap two text fields).
#[derive(serde::Deserialize)]
struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
    prev_hash: String,
    hash: String,
}

fn from_row(r: &Row) -> Result<AuditEntry> {
    let a: AuditRow = r.decode()?;
    Ok(AuditEntry {
        seq: a.seq,
        at: a.at,
        draft: AuditDraft {
            actor: a.actor,
            action: a.action,
            entity: a.entity,
            entity_id: a.entity_id,
            before: a.before,
            after: a.after,
        },
        prev_hash: a.prev_hash,
        hash: a.hash,
    })
}

const COLUMNS: &str = "seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash";

/// Entries with `seq > after`, oldest first, at most `limit`.
pub fn page(c: &mut dyn Conn, after: i64, limit: i64) -> Result<Vec<AuditEntry>> {
    c.query(
        &format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"),
        &[after.into(), limit.into()],
    )?
    .iter()
    .map(from_row)
    .collect()
}

/// The newest entries, newest first.
pub fn latest(c: &mut dyn Conn, limit: i64) -> Result<Vec<AuditEntry>> {
    c.query(
        &format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT $1"),
        &[limit.into()],
    )?
    .iter()
    .map(from_row)
    .collect()
}
