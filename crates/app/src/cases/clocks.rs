//! Clocks (时限): due dates that explain themselves, their status on a given day, and the
//! scheduler's scan that queues reminders — three working days before a due date, on the day,
//! and once overdue — each exactly once, however many servers scan.

use crate::cases::outbox::{queue_to_user, recipients, recipients_note};
use crate::cases::Audience;
use crate::{App, Result};
use chrono::{Datelike, Duration, NaiveDate};
use luoshi_calendar::{Calendar, Deadline};
use luoshi_store::cases::{self as db, ClockRow};
use luoshi_store::users::Contact;
use serde::Serialize;

/// How many working days before a due date the first reminder goes out.
pub const REMIND_WORKING_DAYS_BEFORE: u32 = 3;

/// A clock's standing on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Met (the report was filed, the reply sent).
    Met,
    /// Stopped without being met (the case was closed).
    Stopped,
    OnTime,
    /// Within three working days of its due date.
    DueSoon,
    DueToday,
    Overdue,
}

impl ClockStatus {
    pub fn label(self) -> &'static str {
        match self {
            ClockStatus::Met => "已完成",
            ClockStatus::Stopped => "已停止",
            ClockStatus::OnTime => "未到期",
            ClockStatus::DueSoon => "即将到期",
            ClockStatus::DueToday => "今日到期",
            ClockStatus::Overdue => "已逾期",
        }
    }
}

/// Parse a stored civil date.
pub fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// Whether `d` is a working day; outside the calendar's years, Monday to Friday.
pub fn is_working_day(cal: &Calendar, d: NaiveDate) -> bool {
    cal.is_working_day(d)
        .unwrap_or_else(|_| d.weekday().num_days_from_monday() < 5)
}

/// The day `n` working days before `due` (the day the first reminder is due).
pub fn working_days_before(cal: &Calendar, due: NaiveDate, n: u32) -> NaiveDate {
    let mut d = due;
    let mut left = n;
    while left > 0 {
        match d.pred_opt() {
            Some(p) => d = p,
            None => return d,
        }
        if is_working_day(cal, d) {
            left -= 1;
        }
    }
    d
}

/// The standing of a clock on `today`.
pub fn status(cal: &Calendar, k: &ClockRow, today: NaiveDate) -> ClockStatus {
    if k.satisfied_at.is_some() {
        return ClockStatus::Met;
    }
    if k.stopped_at.is_some() {
        return ClockStatus::Stopped;
    }
    let Some(due) = date(&k.due_date) else {
        return ClockStatus::OnTime;
    };
    if today > due {
        ClockStatus::Overdue
    } else if today == due {
        ClockStatus::DueToday
    } else if today >= working_days_before(cal, due, REMIND_WORKING_DAYS_BEFORE) {
        ClockStatus::DueSoon
    } else {
        ClockStatus::OnTime
    }
}

/// A deadline's explanation as stored with a clock: the computation and its Chinese text.
pub fn explanation(d: &Deadline, extra: &[String]) -> serde_json::Value {
    let mut text = d.explain();
    for line in extra {
        text.push('\n');
        text.push_str(line);
    }
    serde_json::json!({ "deadline": d, "text": text })
}

/// The text of a stored explanation.
pub fn explanation_text(v: &serde_json::Value) -> String {
    v.get("text")
        .and_then(|t| t.as_str())
        .unwrap_or_default()
        .to_string()
}

/// What one scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScanSummary {
    pub clocks_seen: usize,
    pub reminders_queued: usize,
    pub statuses_refreshed: usize,
}

/// The reminders due for a clock on `today`: (kind, subject words).
fn reminders_due(cal: &Calendar, k: &ClockRow, today: NaiveDate) -> Vec<(&'static str, String)> {
    let Some(due) = date(&k.due_date) else {
        return vec![];
    };
    let mut out = Vec::new();
    let first = working_days_before(cal, due, REMIND_WORKING_DAYS_BEFORE);
    if today >= first && today < due {
        out.push(("before", format!("将于 {} 到期", k.due_date)));
    }
    if today == due {
        out.push(("due", format!("今日（{}）到期", k.due_date)));
    }
    if today > due {
        out.push(("overdue", format!("已于 {} 逾期", k.due_date)));
    }
    out
}

/// The order of a clock's reminders; a later one makes the earlier ones moot.
fn stage(kind: &str) -> u8 {
    match kind {
        "before" => 1,
        "due" => 2,
        "overdue" => 3,
        _ => 0,
    }
}

/// The reminders of `k` due on `today` that have not been sent for its current due date.
fn pending_reminders(
    cal: &Calendar,
    k: &ClockRow,
    today: NaiveDate,
) -> Vec<(&'static str, String)> {
    let sent = k
        .reminded
        .as_deref()
        .and_then(|r| r.split_once(':'))
        .filter(|(_, due)| *due == k.due_date)
        .map(|(kind, _)| stage(kind))
        .unwrap_or(0);
    reminders_due(cal, k, today)
        .into_iter()
        .filter(|(kind, _)| stage(kind) > sent)
        .collect()
}

/// Most lines one digest lists; the rest are counted.
const DIGEST_LINES: usize = 100;

/// Clocks the scan reads per query. The scan pages through the open clocks by (due date, id)
/// instead of reading them all: after a large import (50,000 items) reading every clock at
/// once held over a gigabyte for the length of the scan.
pub const SCAN_BATCH: usize = 2_000;

/// One reminder digest being gathered for a user: how many lines it counts, the first
/// [`DIGEST_LINES`] of them, and the case of its first line (named in the message when the
/// digest has only that one line). Lines beyond those listed are counted, not kept.
#[derive(Default)]
struct Digest {
    count: usize,
    lines: Vec<String>,
    first_case: Option<i64>,
}

impl Digest {
    fn add(&mut self, line: &str, case_id: i64) {
        if self.lines.len() < DIGEST_LINES {
            self.lines.push(line.to_string());
        }
        self.first_case.get_or_insert(case_id);
        self.count += 1;
    }
}

/// The digests of one scan, by user and reminder kind.
type Digests = std::collections::BTreeMap<(i64, &'static str), Digest>;

fn digest_subject(kind: &str, n: usize) -> String {
    match kind {
        "before" => format!("【提醒】{n} 项时限即将到期"),
        "due" => format!("【提醒】{n} 项时限今日到期"),
        _ => format!("【逾期】{n} 项时限已逾期"),
    }
}

impl App {
    /// The scheduler's work: queue today's reminders and refresh derived statuses.
    ///
    /// Reminders are gathered into one digest per person and kind (将到期 / 今日到期 / 已逾期) per
    /// day, so a unit with a hundred items gets one message, not a hundred. The scan runs in one
    /// write transaction: servers sharing a database take turns, each clock's reminder is
    /// recorded on the clock (`reminded`) and every digest has a unique key, so each reminder
    /// goes out once however many servers scan.
    pub fn scan_clocks(&self) -> Result<ScanSummary> {
        self.scan_clocks_in_batches(SCAN_BATCH)
    }

    /// [`App::scan_clocks`] reading `batch` clocks per query (the tests compare a small batch
    /// with one that holds every clock: the result is the same).
    #[doc(hidden)]
    pub fn scan_clocks_in_batches(&self, batch: usize) -> Result<ScanSummary> {
        let today = self.today();
        // Far enough ahead that "three working days before" reaches across the longest
        // holiday (the Spring Festival and National Day weeks).
        let horizon = (today + Duration::days(21)).to_string();
        let limit = i64::try_from(batch.max(1)).unwrap_or(i64::MAX);
        let mut summary = ScanSummary::default();
        summary.reminders_queued = self.store.write(|c| {
            let at = self.now();
            let mut contacts: Option<Vec<Contact>> = None;
            let mut digests = Digests::new();
            // Keyset pagination: each page starts after the last clock of the one before.
            let mut after = (String::new(), i64::MIN);
            loop {
                let clocks = db::open_clocks_due_by(c, &horizon, (&after.0, after.1), limit)?;
                summary.clocks_seen += clocks.len();
                let Some(last) = clocks.last() else { break };
                after = (last.due_date.clone(), last.id);
                self.gather_reminders(c, &clocks, today, &mut contacts, &mut digests)?;
                if (clocks.len() as i64) < limit {
                    break;
                }
            }
            let Some(contacts) = contacts else {
                return Ok::<_, luoshi_domain::Error>(0);
            };
            let mut queued = 0;
            for ((user, kind), d) in digests {
                let Some(contact) = contacts.iter().find(|x| x.user.id == user) else {
                    continue;
                };
                let n = d.count;
                let mut body = d.lines;
                if n > DIGEST_LINES {
                    body.push(format!("……另有 {} 项，请登录查看。", n - DIGEST_LINES));
                }
                body.push(recipients_note().to_string());
                let single = if n == 1 { d.first_case } else { None };
                queued += queue_to_user(
                    self,
                    c,
                    contact,
                    &format!("digest:{today}:{kind}"),
                    &digest_subject(kind, n),
                    &body.join("\n"),
                    single,
                    &at,
                )?;
            }
            Ok(queued)
        })?;
        summary.statuses_refreshed = self.refresh_supervision_statuses(today)?;
        summary.statuses_refreshed += self.refresh_proposal_statuses(today)?;
        Ok(summary)
    }

    /// Add one page of clocks to the digests and record on each clock the reminder queued.
    /// The users' contacts are read with the first page that has a reminder due.
    fn gather_reminders(
        &self,
        c: &mut dyn luoshi_store::Conn,
        clocks: &[ClockRow],
        today: NaiveDate,
        contacts: &mut Option<Vec<Contact>>,
        digests: &mut Digests,
    ) -> Result<()> {
        let due: Vec<(&ClockRow, Vec<(&'static str, String)>)> = clocks
            .iter()
            .map(|k| (k, pending_reminders(&self.calendar, k, today)))
            .filter(|(_, r)| !r.is_empty())
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        let mut ids: Vec<i64> = due.iter().map(|(k, _)| k.case_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let cases = db::cases_by_id(c, &ids)?;
        let owners = db::owners_of(c, &ids)?;
        if contacts.is_none() {
            *contacts = Some(luoshi_store::users::contacts(c)?);
        }
        let contacts = contacts.as_deref().unwrap_or_default();
        for (k, reminders) in &due {
            let Some(case) = cases.get(&k.case_id) else {
                continue;
            };
            let Some(procedure) = crate::procedures::by_name(&case.procedure) else {
                continue;
            };
            let owned = owners
                .get(&k.case_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (kind, words) in reminders {
                let mut to = recipients(contacts, procedure, owned, Audience::LeadUnits);
                if *kind == "overdue" || to.is_empty() {
                    to.extend(recipients(contacts, procedure, owned, Audience::Office));
                }
                to.sort_unstable();
                to.dedup();
                let line = format!(
                    "· {} {}：{}{}（依据 {}）\n  {}",
                    case.doc_no.as_deref().unwrap_or_default(),
                    case.title_short(),
                    k.label,
                    words,
                    k.cites,
                    crate::procedures::case_path(&case.procedure, case.id),
                );
                for user in to {
                    digests.entry((user, kind)).or_default().add(&line, case.id);
                }
            }
            if let Some((kind, _)) = reminders.last() {
                db::mark_reminded(c, k.id, &format!("{kind}:{}", k.due_date))?;
            }
        }
        Ok(())
    }
}

/// A short form of a case title for message subjects.
trait TitleShort {
    fn title_short(&self) -> String;
}

impl TitleShort for luoshi_store::cases::CaseRow {
    fn title_short(&self) -> String {
        let t: String = self.title.chars().take(30).collect();
        if t.chars().count() < self.title.chars().count() {
            format!("{t}…")
        } else {
            t
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        luoshi_calendar::bundled().unwrap()
    }

    fn clock(due: &str) -> ClockRow {
        ClockRow {
            id: 1,
            case_id: 1,
            key: "plan".into(),
            kind: "duty".into(),
            label: "项目化推进计划".into(),
            due_date: due.into(),
            due_time: None,
            explanation: serde_json::Value::Null,
            source: String::new(),
            cites: String::new(),
            satisfied_at: None,
            satisfied_by: None,
            stopped_at: None,
            reminded: None,
        }
    }

    fn d(s: &str) -> NaiveDate {
        date(s).unwrap()
    }

    #[test]
    fn three_working_days_before_skips_weekends_and_holidays() {
        // 2020-06-08 is a Monday: three working days before is Wednesday 06-03.
        assert_eq!(
            working_days_before(&cal(), d("2020-06-08"), 3),
            d("2020-06-03")
        );
        // 2020-10-10 (a make-up working Saturday) after the National Day week (10-01..10-08):
        // counted back: 10-09 (Fri), then 09-30 (Wed) and 09-29 (Tue).
        assert_eq!(
            working_days_before(&cal(), d("2020-10-10"), 3),
            d("2020-09-29")
        );
    }

    #[test]
    fn status_on_each_side_of_the_due_date() {
        let k = clock("2020-06-08");
        assert_eq!(status(&cal(), &k, d("2020-06-02")), ClockStatus::OnTime);
        assert_eq!(status(&cal(), &k, d("2020-06-03")), ClockStatus::DueSoon);
        assert_eq!(status(&cal(), &k, d("2020-06-08")), ClockStatus::DueToday);
        assert_eq!(status(&cal(), &k, d("2020-06-09")), ClockStatus::Overdue);
        let mut met = k.clone();
        met.satisfied_at = Some("2020-06-01T01:00:00Z".into());
        assert_eq!(status(&cal(), &met, d("2020-06-09")), ClockStatus::Met);
    }

    #[test]
    fn a_reminder_already_sent_for_this_due_date_is_not_sent_again() {
        let mut k = clock("2020-06-08");
        k.reminded = Some("before:2020-06-08".into());
        let kinds = |k: &ClockRow, day: &str| -> Vec<&str> {
            pending_reminders(&cal(), k, d(day))
                .into_iter()
                .map(|r| r.0)
                .collect()
        };
        assert!(kinds(&k, "2020-06-04").is_empty(), "before: sent already");
        assert_eq!(kinds(&k, "2020-06-08"), ["due"]);
        // An extension moves the due date: its reminders start over.
        k.due_date = "2020-06-30".into();
        assert_eq!(kinds(&k, "2020-06-26"), ["before"]);
    }

    #[test]
    fn reminders_are_before_on_the_day_and_overdue() {
        let k = clock("2020-06-08");
        let kinds = |day: &str| -> Vec<&str> {
            reminders_due(&cal(), &k, d(day))
                .into_iter()
                .map(|r| r.0)
                .collect()
        };
        assert!(kinds("2020-06-02").is_empty());
        assert_eq!(kinds("2020-06-03"), ["before"]);
        assert_eq!(kinds("2020-06-08"), ["due"]);
        assert_eq!(kinds("2020-06-20"), ["overdue"]);
    }
}
