//! Batch assignment at the 交办会 (批量交办, 郑政办〔2020〕27号 第六条): the office sets each
//! registered item's lead unit (主办), co-units (会办) and leader in charge in one sheet and
//! assigns them together. Each item goes through the case engine on its own (its version, its
//! checks, its clocks, its audit row); an item refused is reported with its reason and code and
//! the others still go — nothing is skipped silently.

use super::register::require_office;
use crate::cases::ActionInput;
use crate::{App, Result, Viewer};
use serde::{Deserialize, Serialize};

/// One line of the assignment sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchLine {
    pub id: i64,
    /// The item version the office saw.
    pub version: i64,
    /// 主办单位 (registry id, name or alias).
    pub lead_unit: String,
    /// 会办单位, separated by 、 or commas.
    #[serde(default)]
    pub co_units: String,
    /// 分管副市长 (optional).
    #[serde(default)]
    pub leader: String,
    /// 接办日期 `YYYY-MM-DD` (default today).
    #[serde(default)]
    pub received_date: String,
}

/// What became of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResult {
    pub id: i64,
    pub assigned: bool,
    /// The error code when refused (`E_STALE`, `E_INPUT`, …).
    pub code: Option<String>,
    pub message: Option<String>,
}

impl App {
    /// Assign several items at once (the office at the 交办会); every line is reported.
    pub fn proposal_assign_batch(
        &self,
        viewer: &Viewer,
        lines: &[BatchLine],
    ) -> Result<Vec<BatchResult>> {
        require_office(viewer)?;
        let mut out = Vec::with_capacity(lines.len());
        for l in lines {
            let mut fields = serde_json::Map::new();
            fields.insert("lead_unit".into(), l.lead_unit.clone().into());
            for (name, v) in [
                ("co_units", &l.co_units),
                ("leader", &l.leader),
                ("received_date", &l.received_date),
            ] {
                if !v.trim().is_empty() {
                    fields.insert(name.into(), v.trim().into());
                }
            }
            let input = ActionInput {
                action: "assign".into(),
                version: l.version,
                note: Some("交办会批量交办".into()),
                fields,
                attachments: vec![],
            };
            out.push(match self.proposal_act(viewer, l.id, &input) {
                Ok(_) => BatchResult {
                    id: l.id,
                    assigned: true,
                    code: None,
                    message: None,
                },
                Err(e) => BatchResult {
                    id: l.id,
                    assigned: false,
                    code: Some(e.code.to_string()),
                    message: Some(e.message),
                },
            });
        }
        Ok(out)
    }
}
