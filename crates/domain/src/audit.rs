//! The audit log (审计日志): every write records who, when, what, before and after.
//!
//! Entries are append-only and hash-chained: each entry's hash covers its content and the
//! previous entry's hash, so editing any stored entry breaks the chain from there on.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a service asks to record; the store adds the sequence number and the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditDraft {
    /// Who: a username, or `system` for command-line imports.
    pub actor: String,
    /// What: a stable verb such as `import.document`, `user.add`.
    pub action: String,
    /// The kind of thing changed (`document`, `user`, …).
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// JSON before the change (None for a creation).
    pub before: Option<String>,
    /// JSON after the change (None for a deletion).
    pub after: Option<String>,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339 timestamp in UTC.
    pub at: String,
    #[serde(flatten)]
    pub draft: AuditDraft,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over its fields, length-prefixed so no two field
/// layouts can collide, and over the previous entry's hash.
pub fn entry_hash(seq: i64, at: &str, draft: &AuditDraft, prev_hash: &str) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(&seq.to_string());
    field(at);
    field(&draft.actor);
    field(&draft.action);
    field(&draft.entity);
    field(&draft.entity_id);
    field(draft.before.as_deref().unwrap_or("\u{0}null"));
    field(draft.after.as_deref().unwrap_or("\u{0}null"));
    field(prev_hash);
    hex::encode(h.finalize())
}

/// The first broken link of a chain, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// Verify a chain of entries in sequence order: returns the first broken link.
pub fn verify_chain<'a>(entries: impl IntoIterator<Item = &'a AuditEntry>) -> Option<BrokenLink> {
    let mut prev = GENESIS_HASH.to_string();
    for e in entries {
        if e.prev_hash != prev {
            return Some(BrokenLink {
                seq: e.seq,
                reason: "前序哈希不匹配：此前的记录被删除或改动".into(),
            });
        }
        let expect = entry_hash(e.seq, &e.at, &e.draft, &e.prev_hash);
        if expect != e.hash {
            return Some(BrokenLink {
                seq: e.seq,
                reason: "内容哈希不匹配：此条记录被改动".into(),
            });
        }
        prev = e.hash.clone();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let draft = AuditDraft {
                    actor: "admin".into(),
                    action: "user.add".into(),
                    entity: "user".into(),
                    entity_id: seq.to_string(),
                    before: None,
                    after: Some(format!("{{\"n\":{seq}}}")),
                };
                let at = format!("2020-05-26T00:00:{seq:02}Z");
                let hash = entry_hash(seq, &at, &draft, &prev);
                let e = AuditEntry {
                    seq,
                    at,
                    draft,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify_chain(&chain(5)), None);
    }

    #[test]
    fn an_edited_entry_is_the_first_broken_link() {
        let mut c = chain(5);
        c[2].draft.after = Some("{\"n\":99}".into());
        assert_eq!(verify_chain(&c).map(|b| b.seq), Some(3));
    }

    #[test]
    fn a_deleted_entry_breaks_the_next_link() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify_chain(&c).map(|b| b.seq), Some(3));
    }
}
