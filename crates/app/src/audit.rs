//! Audit review and verification (审计核验).

use crate::{App, Permission, Result, Viewer};
use luoshi_domain::audit::{entry_hash, BrokenLink, GENESIS_HASH};
use luoshi_domain::AuditEntry;
use luoshi_store::audit;

/// How many entries verification reads at a time.
const PAGE: i64 = 5_000;

/// The outcome of `luoshi audit verify`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verification {
    pub entries: i64,
    pub broken: Option<BrokenLink>,
}

impl App {
    /// Walk the whole chain and report the first broken link.
    pub fn verify_audit(&self) -> Result<Verification> {
        let mut prev = GENESIS_HASH.to_string();
        let mut expected_seq = 1;
        let mut count = 0;
        loop {
            let page = self
                .store
                .read(|c| audit::page(c, expected_seq - 1, PAGE))?;
            if page.is_empty() {
                return Ok(Verification {
                    entries: count,
                    broken: None,
                });
            }
            for e in &page {
                let reason = if e.seq != expected_seq {
                    Some(format!(
                        "序号不连续：应为 {expected_seq}，实为 {}（记录被删除）",
                        e.seq
                    ))
                } else if e.prev_hash != prev {
                    Some("前序哈希不匹配：此前的记录被删除或改动".to_string())
                } else if entry_hash(e.seq, &e.at, &e.draft, &e.prev_hash) != e.hash {
                    Some("内容哈希不匹配：此条记录被改动".to_string())
                } else {
                    None
                };
                if let Some(reason) = reason {
                    return Ok(Verification {
                        entries: count,
                        broken: Some(BrokenLink { seq: e.seq, reason }),
                    });
                }
                prev = e.hash.clone();
                expected_seq = e.seq + 1;
                count += 1;
            }
        }
    }

    /// The newest audit entries.
    pub fn audit_log(&self, viewer: &Viewer, limit: i64) -> Result<Vec<AuditEntry>> {
        viewer.require(&Permission::ReadAudit)?;
        Ok(self.store.read(|c| audit::latest(c, limit))?)
    }
}
