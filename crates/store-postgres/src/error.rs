//! Error mapping (错误映射): PostgreSQL errors to the store's error kinds, with context.
//!
//! SQLSTATE class 23 (unique, foreign-key, check and other integrity violations) is a
//! [`StoreError::Conflict`]; serialization failures, deadlocks, lock and statement timeouts are
//! [`StoreError::Busy`] (the caller may retry); everything else is [`StoreError::Backend`].

use luoshi_store::StoreError;
use postgres::error::SqlState;

/// Whether an error says "try again later": a lost race or a lock wait that gave up.
fn is_busy(code: &SqlState) -> bool {
    [
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::LOCK_NOT_AVAILABLE,
        SqlState::QUERY_CANCELED,
    ]
    .contains(code)
}

/// The first line of a statement, shortened, to say which statement failed.
fn statement_hint(sql: &str) -> String {
    let one_line: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = one_line.chars();
    let head: String = chars.by_ref().take(80).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// Describe a PostgreSQL error: the server's message with its detail and constraint.
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{} [{}]", db.message(), db.code().code());
            if let Some(detail) = db.detail() {
                s.push_str(&format!("; {detail}"));
            }
            if let Some(c) = db.constraint() {
                s.push_str(&format!("; 约束 {c}"));
            }
            s
        }
        None => e.to_string(),
    }
}

/// Map an error, saying what was being done (`context`, e.g. the statement).
pub fn map_err(e: postgres::Error, context: &str) -> StoreError {
    let message = format!("{}: {}", statement_hint(context), describe(&e));
    match e.code() {
        Some(code) if code.code().starts_with("23") => StoreError::Conflict(message),
        Some(code) if is_busy(code) => StoreError::Busy(message),
        _ => StoreError::Backend(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_statements_are_shortened_to_one_line() {
        let sql = format!("SELECT 1\n   FROM t WHERE {}", "a = 1 AND ".repeat(20));
        let hint = statement_hint(&sql);
        assert!(hint.starts_with("SELECT 1 FROM t WHERE a = 1"));
        assert!(hint.ends_with('…'));
        assert!(!hint.contains('\n'));
        assert_eq!(statement_hint("SELECT 1"), "SELECT 1");
    }
}
