//! An item's status (事项状态): 未启动 / 推进中 / 已完成 / 滞后 / 逾期未报, derived from its state
//! and clocks on a given day, and stored with the item so lists read it without scanning
//! clocks. Every action recomputes it; the scheduler recomputes it when the date changes.

use crate::cases::clocks::{status as clock_status, ClockStatus};
use crate::App;
use chrono::NaiveDate;
use luoshi_calendar::Calendar;
use luoshi_domain::Result;
use luoshi_store::cases::{self as cdb, ClockRow};
use luoshi_store::supervision as sdb;
use luoshi_store::Conn;
use serde::{Deserialize, Serialize};

/// The status of a supervised item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// 逾期未报: a report the document requires is past its due date and not filed.
    Overdue,
    /// 滞后: a milestone of the item's own words has passed without the work being done.
    Behind,
    /// 未启动: nothing filed yet, nothing overdue.
    NotStarted,
    /// 推进中.
    InProgress,
    /// 已完成: closed by the office.
    Completed,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 5] = [
        ItemStatus::NotStarted,
        ItemStatus::InProgress,
        ItemStatus::Completed,
        ItemStatus::Behind,
        ItemStatus::Overdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Overdue => "overdue",
            ItemStatus::Behind => "behind",
            ItemStatus::NotStarted => "not_started",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Completed => "completed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Overdue => "逾期未报",
            ItemStatus::Behind => "滞后",
            ItemStatus::NotStarted => "未启动",
            ItemStatus::InProgress => "推进中",
            ItemStatus::Completed => "已完成",
        }
    }

    pub fn parse(s: &str) -> Option<ItemStatus> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s || x.label() == s)
    }
}

/// What the status was derived from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derived {
    pub status: ItemStatus,
    /// The earliest open due date.
    pub next_due: Option<String>,
    /// How many report clocks are overdue.
    pub overdue: i64,
    /// How many milestones have passed unmet.
    pub behind: i64,
}

/// Derive an item's status from its state and clocks on `today`.
pub fn derive(cal: &Calendar, state: &str, clocks: &[ClockRow], today: NaiveDate) -> Derived {
    let open: Vec<(&ClockRow, ClockStatus)> = clocks
        .iter()
        .map(|k| (k, clock_status(cal, k, today)))
        .filter(|(_, s)| !matches!(s, ClockStatus::Met | ClockStatus::Stopped))
        .collect();
    let overdue = open
        .iter()
        .filter(|(k, s)| *s == ClockStatus::Overdue && k.kind == "duty")
        .count() as i64;
    let behind = open
        .iter()
        .filter(|(k, s)| *s == ClockStatus::Overdue && k.kind == "milestone")
        .count() as i64;
    let next_due = open.iter().map(|(k, _)| k.due_date.clone()).min();
    let status = if state == "completed" {
        ItemStatus::Completed
    } else if overdue > 0 {
        ItemStatus::Overdue
    } else if behind > 0 {
        ItemStatus::Behind
    } else if state == "not_started" {
        ItemStatus::NotStarted
    } else {
        ItemStatus::InProgress
    };
    Derived {
        status,
        next_due,
        overdue,
        behind,
    }
}

/// Recompute and store one item's status.
pub fn refresh_item(
    app: &App,
    c: &mut dyn Conn,
    case_id: i64,
    today: NaiveDate,
) -> Result<Derived> {
    let Some(case) = cdb::get_case(c, case_id)? else {
        return Err(luoshi_domain::Error::not_found(format!(
            "督办事项（编号 {case_id}）"
        )));
    };
    let clocks = cdb::clocks(c, case_id)?;
    let d = derive(&app.calendar, &case.state, &clocks, today);
    sdb::set_status(
        c,
        case_id,
        d.status.as_str(),
        &today.to_string(),
        d.next_due.as_deref(),
        d.overdue,
    )?;
    Ok(d)
}

/// Items refreshed per transaction.
const BATCH: i64 = 500;

impl App {
    /// Recompute the status of every item last computed before `today`; returns how many.
    pub fn refresh_supervision_statuses(&self, today: NaiveDate) -> Result<usize> {
        let as_of = today.to_string();
        let mut done = 0;
        loop {
            let n = self.store.write(|c| {
                let ids = sdb::stale_items(c, &as_of, BATCH)?;
                for id in &ids {
                    refresh_item(self, c, *id, today)?;
                }
                if !ids.is_empty() {
                    super::bump_generation(c, &self.now())?;
                }
                Ok::<_, luoshi_domain::Error>(ids.len())
            })?;
            done += n;
            if (n as i64) < BATCH {
                return Ok(done);
            }
        }
    }
}
