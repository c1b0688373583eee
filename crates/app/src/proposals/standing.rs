//! An item's standing (办理状况): its current round, units, due dates, the reply clock's status
//! on a day, whether a delay was explained, the latest class and rating, and its disclosure —
//! derived from its rounds, replies, records and clocks and stored with the item, so inboxes,
//! the overdue list and the standards read one row per item. Every action recomputes it; the
//! scheduler recomputes open items when the date changes.

use super::dues::reply_clock_key;
use crate::cases::clocks::{status as clock_status, ClockStatus};
use crate::App;
use chrono::NaiveDate;
use luoshi_domain::{Error, Result};
use luoshi_store::cases as cdb;
use luoshi_store::proposals::{self as pdb, Standing};
use luoshi_store::Conn;

/// The stored name of a reply clock's status.
pub fn due_status_name(s: Option<ClockStatus>) -> &'static str {
    match s {
        None | Some(ClockStatus::Stopped) => "none",
        Some(ClockStatus::Met) => "met",
        Some(ClockStatus::OnTime) => "on_time",
        Some(ClockStatus::DueSoon) => "due_soon",
        Some(ClockStatus::DueToday) => "due_today",
        Some(ClockStatus::Overdue) => "overdue",
    }
}

/// The Chinese label of a stored due status.
pub fn due_status_label(s: &str) -> &str {
    match s {
        "none" => "—",
        "met" => "已按时答复",
        "late" => "逾期答复",
        "on_time" => "未到期",
        "due_soon" => "即将到期",
        "due_today" => "今日到期",
        "overdue" => "已逾期",
        other => other,
    }
}

/// Recompute and store one item's standing on `today`.
pub fn refresh_item(
    app: &App,
    c: &mut dyn Conn,
    case_id: i64,
    today: NaiveDate,
) -> Result<Standing> {
    let item = pdb::item(c, case_id)?
        .ok_or_else(|| Error::not_found(format!("建议提案（编号 {case_id}）")))?;
    let rounds = pdb::rounds(c, case_id)?;
    let replies = pdb::replies(c, case_id)?;
    let records = pdb::records(c, case_id)?;
    let clocks = cdb::clocks(c, case_id)?;
    let current = rounds.last();
    let open = current.filter(|r| r.outcome.is_none());
    let reply_clock = current.and_then(|r| {
        let key = reply_clock_key(r.round);
        clocks.iter().find(|k| k.key == key)
    });
    let mut due = due_status_name(reply_clock.map(|k| clock_status(&app.calendar, k, today)));
    // A reply sent after its limit met the clock, but late.
    if due == "met" {
        if let (Some(r), Some(k)) = (current, reply_clock) {
            if r.replied_date
                .as_deref()
                .is_some_and(|d| d > k.due_date.as_str())
            {
                due = "late";
            }
        }
    }
    if item.state == "returned" || (item.state == "closed" && !matches!(due, "met" | "late")) {
        due = "none";
    }
    let sent = replies
        .iter()
        .rev()
        .find(|r| matches!(r.status.as_str(), "sent" | "formal_review" | "formal_sent"));
    let standing = Standing {
        round: current.map(|r| r.round).unwrap_or(0),
        lead_unit: open
            .or(current.filter(|r| r.outcome.as_deref() != Some("returned")))
            .and_then(|r| r.lead_unit.clone()),
        received_date: current.map(|r| r.received_date.clone()),
        return_due: open.and_then(|r| r.return_due.clone()),
        reply_due: current.map(|r| r.reply_due.clone()),
        replied_date: sent.and_then(|r| r.sent_date.clone()),
        due_status: due.to_string(),
        delay_explained: current.is_some_and(|r| records.delays.iter().any(|d| d.round == r.round)),
        met_in_person: !records.meetings.is_empty(),
        class: sent.map(|r| r.class.clone()),
        satisfaction: records.feedback.last().map(|f| f.rating.clone()),
        disclosure: pdb::disclosures(c, case_id)?
            .into_iter()
            .rev()
            .find(|d| d.is_current)
            .map(|d| d.mode),
        status_as_of: today.to_string(),
    };
    pdb::set_standing(c, case_id, &standing)?;
    Ok(standing)
}

/// Items refreshed per transaction.
const BATCH: i64 = 500;

impl App {
    /// Recompute the standing of every open item last computed before `today`; returns how
    /// many. Closed items keep theirs (nothing about them changes with the date).
    pub fn refresh_proposal_statuses(&self, today: NaiveDate) -> Result<usize> {
        let as_of = today.to_string();
        let mut done = 0;
        loop {
            let n = self.store.write(|c| {
                let ids = pdb::stale_open_items(c, &as_of, BATCH)?;
                for id in &ids {
                    refresh_item(self, c, *id, today)?;
                }
                if !ids.is_empty() {
                    super::bump_generation(c, &self.now())?;
                }
                Ok::<_, Error>(ids.len())
            })?;
            done += n;
            if (n as i64) < BATCH {
                return Ok(done);
            }
        }
    }
}
