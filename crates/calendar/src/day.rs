//! 日期性质: whether one day is a working day, and why (weekday, weekend, holiday, 调休上班).

use crate::data::{weekday_zh, HolidayPeriod, YearNotice};
use chrono::{NaiveDate, Weekday};

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// 工作日: Monday to Friday, not a holiday.
    Weekday,
    /// 周末休息日.
    Weekend,
    /// 法定节假日（含调休放假）.
    Holiday,
    /// 调休上班日: a weekend day that is a working day.
    MakeupWorkday,
}

/// One date's status with the reason, citing the year's notice when it is special.
#[derive(Debug, Clone, Copy)]
pub struct DayStatus<'a> {
    pub date: NaiveDate,
    pub weekday: Weekday,
    pub kind: DayKind,
    pub period: Option<&'a HolidayPeriod>,
    pub notice: Option<&'a YearNotice>,
}

impl DayStatus<'_> {
    pub fn is_working(&self) -> bool {
        matches!(self.kind, DayKind::Weekday | DayKind::MakeupWorkday)
    }

    /// Short Chinese reason, e.g. `国庆节、中秋节放假`, `星期六（周末）`, `春节调休上班`.
    pub fn reason(&self) -> String {
        let weekday = weekday_zh(self.weekday);
        match (self.kind, self.period) {
            (DayKind::Holiday, Some(p)) => format!("{weekday}，{}放假", p.name),
            (DayKind::MakeupWorkday, Some(p)) => format!("{weekday}，{}调休上班", p.name),
            (DayKind::Weekend, _) => format!("{weekday}，周末休息"),
            _ => format!("{weekday}，正常工作日"),
        }
    }

    /// Full Chinese sentence including the notice that decides a special day.
    pub fn explain(&self) -> String {
        let verdict = if self.is_working() {
            "工作日"
        } else {
            "休息日"
        };
        let mut text = format!("{} 是{verdict}：{}", self.date, self.reason());
        if let (Some(notice), Some(period)) = (self.notice, self.period) {
            text.push_str(&format!("（依据：{}", notice.notice));
            for amendment in &notice.amendments {
                text.push_str(&format!("；{amendment}"));
            }
            if let Some(note) = &period.note {
                text.push_str(&format!("；{note}"));
            }
            text.push('）');
        }
        if let Some(notice) = self.notice {
            if notice.provisional {
                text.push_str(&format!(
                    "。注意：{}年安排为暂定数据，国务院通知尚未录入",
                    notice.year
                ));
            }
        }
        text
    }
}
