//! Clocks (时限): due dates that explain themselves, their status on a given day, and the
//! scheduler's scan that queues reminders — three working days before a due date, on the day,
//! and once overdue — each exactly once, however many servers scan.

use crate::cases::outbox::{queue_notifications, recipients_note};
use crate::cases::{Audience, Notify};
use crate::{App, Result};
use chrono::{Datelike, Duration, NaiveDate};
use luoshi_calendar::{Calendar, Deadline};
use luoshi_store::cases::{self as db, ClockRow};
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

/// How many clocks a scan reads at a time.
const SCAN_BATCH: i64 = 2_000;

impl App {
    /// The scheduler's work: queue the reminders due today and refresh derived statuses.
    /// Safe to run on several servers at once: every reminder has a unique key.
    pub fn scan_clocks(&self) -> Result<ScanSummary> {
        let today = self.today();
        // Far enough ahead that "three working days before" reaches across the longest
        // holiday (the Spring Festival and National Day weeks).
        let horizon = (today + Duration::days(21)).to_string();
        let mut summary = ScanSummary::default();
        let clocks = self
            .store
            .read(|c| db::open_clocks_due_by(c, &horizon, i64::MAX / 2))?;
        summary.clocks_seen = clocks.len();
        for batch in clocks.chunks(SCAN_BATCH as usize) {
            summary.reminders_queued += self.store.write(|c| {
                let at = self.now();
                let mut queued = 0;
                for k in batch {
                    let due = reminders_due(&self.calendar, k, today);
                    if due.is_empty() {
                        continue;
                    }
                    let Some(case) = db::get_case(c, k.case_id)? else {
                        continue;
                    };
                    let Some(procedure) = crate::procedures::by_name(&case.procedure) else {
                        continue;
                    };
                    let owners = db::owners(c, case.id)?;
                    let last = due.last().map(|(kind, _)| format!("{kind}:{}", k.due_date));
                    for (kind, words) in due {
                        let mut notify = vec![Notify {
                            to: Audience::LeadUnits,
                            subject: format!(
                                "【提醒】{}：{}{}",
                                case.title_short(),
                                k.label,
                                words
                            ),
                            body: format!(
                                "{}\n\n{}{}。\n依据：{}\n{}",
                                case.title,
                                k.label,
                                words,
                                k.cites,
                                recipients_note()
                            ),
                        }];
                        if kind == "overdue" {
                            notify.push(Notify {
                                to: Audience::Office,
                                subject: format!(
                                    "【逾期】{}：{}{}",
                                    case.title_short(),
                                    k.label,
                                    words
                                ),
                                body: format!(
                                    "{}\n\n{}{}。\n依据：{}",
                                    case.title, k.label, words, k.cites
                                ),
                            });
                        }
                        queued += queue_notifications(
                            self,
                            c,
                            procedure,
                            &case,
                            &owners,
                            &notify,
                            &format!("clock:{}:{}:{kind}", k.id, k.due_date),
                            &at,
                        )?;
                    }
                    if let Some(last) = last {
                        db::mark_reminded(c, k.id, &last)?;
                    }
                }
                Ok::<_, luoshi_domain::Error>(queued)
            })?;
        }
        summary.statuses_refreshed = self.refresh_supervision_statuses(today)?;
        Ok(summary)
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
