//! 期限计算: add calendar days, working days, months and hours to a start, and explain the result
//! (the rule, the start, every day skipped and why, the calendar version used).

use crate::data::{weekday_zh, Calendar, CalendarError};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use serde::{Serialize, Serializer};
use std::fmt::Write as _;

/// 起算日规则: whether the start day itself counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StartDay {
    /// 期间开始之日不计算在内 (《民法典》第二百零一条; Chinese administrative practice). Default.
    #[default]
    Excluded,
    /// 开始之日计算在内 (only where a document says so).
    Included,
}

/// 期间届满日为休息日时的处理.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LastDayOnRestDay {
    /// 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日 (《民法典》第二百零三条).
    /// Default for calendar-day and month periods (X日内, X个月内).
    #[default]
    Postpone,
    /// Keep the arithmetic date even when it is a rest day.
    Keep,
}

/// The named counting conventions every computed deadline records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Convention {
    pub start_day: StartDay,
    pub last_day_on_rest_day: LastDayOnRestDay,
    /// Whether `每月10日前` means "on or before the 10th" (true, default) or "by the 9th".
    pub before_day_inclusive: bool,
}

impl Default for Convention {
    fn default() -> Self {
        Convention {
            start_day: StartDay::Excluded,
            last_day_on_rest_day: LastDayOnRestDay::Postpone,
            before_day_inclusive: true,
        }
    }
}

impl Convention {
    /// Pure arithmetic: start excluded, no postponement (used by `calendar add --days`).
    pub fn arithmetic() -> Self {
        Convention {
            last_day_on_rest_day: LastDayOnRestDay::Keep,
            ..Convention::default()
        }
    }
}

/// Most occurrences a recurring rule returns at once (ten years of monthly deadlines).
pub const MAX_OCCURRENCES: usize = 120;

/// The rule a deadline was computed by, in the gazette's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineRule {
    /// X日内 / X天
    CalendarDays(u32),
    /// X个工作日
    WorkingDays(u32),
    /// X个月内
    Months(u32),
    /// X小时内
    Hours(u32),
    /// X月底前
    EndOfMonth(u32),
    /// 年底前
    EndOfYear,
    /// 每月X日前 (recurring)
    MonthlyBefore(u32),
    /// 即来即办 / 立即
    Immediate,
}

impl DeadlineRule {
    /// The rule in Chinese, e.g. `15日内`, `3个工作日`.
    pub fn describe(&self) -> String {
        match self {
            DeadlineRule::CalendarDays(n) => format!("{n}日内"),
            DeadlineRule::WorkingDays(n) => format!("{n}个工作日"),
            DeadlineRule::Months(n) => format!("{n}个月内"),
            DeadlineRule::Hours(n) => format!("{n}小时内"),
            DeadlineRule::EndOfMonth(m) => format!("{m}月底前"),
            DeadlineRule::EndOfYear => "年底前".into(),
            DeadlineRule::MonthlyBefore(d) => format!("每月{d}日前"),
            DeadlineRule::Immediate => "即来即办".into(),
        }
    }
}

/// One day that was not counted (or that pushed the due date on), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedDay {
    pub date: NaiveDate,
    pub reason: String,
}

/// A computed deadline that can explain itself. Serializes with `rule` in Chinese words.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadline {
    #[serde(serialize_with = "rule_words")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rule: DeadlineRule,
    pub start: NaiveDate,
    pub start_time: Option<NaiveDateTime>,
    pub due: NaiveDate,
    pub due_time: Option<NaiveDateTime>,
    /// The arithmetic due date before postponement, when it was postponed.
    pub postponed_from: Option<NaiveDate>,
    pub skipped: Vec<SkippedDay>,
    /// For recurring rules: the following occurrences after `due`.
    pub following: Vec<NaiveDate>,
    pub convention: Convention,
    pub calendar_version: String,
    /// Notices of the years the computation touched (日历依据).
    pub notices: Vec<String>,
    pub notes: Vec<String>,
}

fn rule_words<S: Serializer>(rule: &DeadlineRule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rule.describe())
}

/// Errors computing a deadline.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DeadlineError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("期限计算结果超出可表示的日期范围")]
    Overflow,
    #[error("{0}")]
    Invalid(String),
}

impl DeadlineError {
    pub fn code(&self) -> &'static str {
        match self {
            DeadlineError::Calendar(e) => e.code(),
            DeadlineError::Overflow => "E_DATE_RANGE",
            DeadlineError::Invalid(_) => "E_DEADLINE",
        }
    }
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    date.succ_opt().ok_or(DeadlineError::Overflow)
}

fn last_day_of_month(year: i32, month: u32) -> Result<NaiveDate, DeadlineError> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    first_next
        .and_then(|d| d.pred_opt())
        .ok_or(DeadlineError::Overflow)
}

impl Calendar {
    fn new_deadline(&self, rule: DeadlineRule, start: NaiveDate, conv: Convention) -> Deadline {
        Deadline {
            rule,
            start,
            start_time: None,
            due: start,
            due_time: None,
            postponed_from: None,
            skipped: Vec::new(),
            following: Vec::new(),
            convention: conv,
            calendar_version: self.version().to_string(),
            notices: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn finish(&self, mut deadline: Deadline) -> Deadline {
        let first = deadline.start.year().max(self.coverage().0);
        let last = deadline
            .following
            .last()
            .copied()
            .unwrap_or(deadline.due)
            .year()
            .min(self.coverage().1);
        for year in first..=last {
            if let Some(n) = self.year_notice(year) {
                deadline.notices.push(n.notice.clone());
                deadline.notices.extend(n.amendments.iter().cloned());
                if n.provisional {
                    deadline.notes.push(format!(
                        "{year}年节假日为暂定数据，国务院通知发布后结果可能变化"
                    ));
                }
            }
        }
        deadline
    }

    /// Move a due date past rest days when the convention says so (《民法典》第二百零三条).
    fn apply_postponement(&self, deadline: &mut Deadline) -> Result<(), DeadlineError> {
        if deadline.convention.last_day_on_rest_day == LastDayOnRestDay::Keep {
            if let Ok(status) = self.status(deadline.due) {
                if !status.is_working() {
                    deadline.notes.push(format!(
                        "到期日 {} 为休息日（{}），按本次约定不顺延",
                        deadline.due,
                        status.reason()
                    ));
                }
            }
            return Ok(());
        }
        let original = deadline.due;
        let mut day = original;
        loop {
            let status = self.status(day)?;
            if status.is_working() {
                break;
            }
            deadline.skipped.push(SkippedDay {
                date: day,
                reason: status.reason(),
            });
            day = next_day(day)?;
        }
        if day != original {
            deadline.postponed_from = Some(original);
            deadline.due = day;
        }
        Ok(())
    }

    fn first_counted_day(start: NaiveDate, conv: Convention) -> Result<NaiveDate, DeadlineError> {
        match conv.start_day {
            StartDay::Excluded => next_day(start),
            StartDay::Included => Ok(start),
        }
    }

    /// N calendar days (X日内).
    pub fn add_days(
        &self,
        start: NaiveDate,
        days: u32,
        conv: Convention,
    ) -> Result<Deadline, DeadlineError> {
        let mut deadline = self.new_deadline(DeadlineRule::CalendarDays(days), start, conv);
        if days > 0 {
            let first = Self::first_counted_day(start, conv)?;
            deadline.due = first
                .checked_add_signed(Duration::days(i64::from(days) - 1))
                .ok_or(DeadlineError::Overflow)?;
            self.apply_postponement(&mut deadline)?;
        }
        Ok(self.finish(deadline))
    }

    /// N working days (X个工作日): every non-working day in between is listed with its reason.
    pub fn add_working_days(
        &self,
        start: NaiveDate,
        days: u32,
        conv: Convention,
    ) -> Result<Deadline, DeadlineError> {
        let mut deadline = self.new_deadline(DeadlineRule::WorkingDays(days), start, conv);
        if days == 0 {
            deadline.rule = DeadlineRule::Immediate;
            return Ok(self.finish(deadline));
        }
        let mut day = Self::first_counted_day(start, conv)?;
        let mut counted = 0;
        loop {
            let status = self.status(day)?;
            if status.is_working() {
                counted += 1;
                if counted == days {
                    break;
                }
            } else {
                deadline.skipped.push(SkippedDay {
                    date: day,
                    reason: status.reason(),
                });
            }
            day = next_day(day)?;
        }
        deadline.due = day;
        Ok(self.finish(deadline))
    }

    /// N months (X个月内), clamped at month end (《民法典》第二百零二条).
    pub fn add_months(
        &self,
        start: NaiveDate,
        months: u32,
        conv: Convention,
    ) -> Result<Deadline, DeadlineError> {
        let mut deadline = self.new_deadline(DeadlineRule::Months(months), start, conv);
        let corresponding = start
            .checked_add_months(Months::new(months))
            .ok_or(DeadlineError::Overflow)?;
        if corresponding.day() != start.day() {
            deadline.notes.push(format!(
                "{}年{}月没有{}日，以月末日 {} 为期间最后一日（《民法典》第二百零二条）",
                corresponding.year(),
                corresponding.month(),
                start.day(),
                corresponding
            ));
        }
        deadline.due = match conv.start_day {
            StartDay::Excluded => corresponding,
            StartDay::Included => corresponding.pred_opt().ok_or(DeadlineError::Overflow)?,
        };
        if months > 0 {
            self.apply_postponement(&mut deadline)?;
        }
        Ok(self.finish(deadline))
    }

    /// N hours (X小时内): clock hours, holidays do not stop the clock.
    pub fn add_hours(&self, start: NaiveDateTime, hours: u32) -> Result<Deadline, DeadlineError> {
        let mut deadline = self.new_deadline(
            DeadlineRule::Hours(hours),
            start.date(),
            Convention::default(),
        );
        let due = start
            .checked_add_signed(Duration::hours(i64::from(hours)))
            .ok_or(DeadlineError::Overflow)?;
        deadline.start_time = Some(start);
        deadline.due_time = Some(due);
        deadline.due = due.date();
        deadline
            .notes
            .push("按小时计算的期限自起算时刻连续计算，节假日不停止计时".into());
        Ok(self.finish(deadline))
    }

    /// X月底前: the last day of month `month`, the first such day on or after the start.
    pub fn end_of_month(&self, start: NaiveDate, month: u32) -> Result<Deadline, DeadlineError> {
        if !(1..=12).contains(&month) {
            return Err(DeadlineError::Invalid(format!(
                "月份 {month} 无效，应为1至12"
            )));
        }
        let mut deadline = self.new_deadline(
            DeadlineRule::EndOfMonth(month),
            start,
            Convention::default(),
        );
        let mut due = last_day_of_month(start.year(), month)?;
        if due < start {
            due = last_day_of_month(start.year() + 1, month)?;
            deadline
                .notes
                .push(format!("起算日已过当年{month}月底，取次年{month}月底"));
        }
        deadline.due = due;
        deadline
            .notes
            .push("“月底前”是固定日期，不是期间，届满日为休息日时不顺延".into());
        Ok(self.finish(deadline))
    }

    /// 年底前: 31 December of the start's year.
    pub fn end_of_year(&self, start: NaiveDate) -> Result<Deadline, DeadlineError> {
        let mut deadline = self.new_deadline(DeadlineRule::EndOfYear, start, Convention::default());
        deadline.due = last_day_of_month(start.year(), 12)?;
        deadline
            .notes
            .push("“年底前”指起算当年12月31日，是固定日期，届满日为休息日时不顺延".into());
        Ok(self.finish(deadline))
    }

    /// 每月X日前 (recurring): the next occurrence after the start and the following `count - 1`.
    pub fn monthly_before(
        &self,
        start: NaiveDate,
        day: u32,
        count: usize,
        conv: Convention,
    ) -> Result<Deadline, DeadlineError> {
        if !(1..=31).contains(&day) {
            return Err(DeadlineError::Invalid(format!("日 {day} 无效，应为1至31")));
        }
        if count > MAX_OCCURRENCES {
            return Err(DeadlineError::Invalid(format!(
                "期数 {count} 过多，最多 {MAX_OCCURRENCES} 期"
            )));
        }
        let mut deadline = self.new_deadline(DeadlineRule::MonthlyBefore(day), start, conv);
        let mut occurrences = Vec::with_capacity(count.max(1));
        let (mut year, mut month) = (start.year(), start.month());
        while occurrences.len() < count.max(1) {
            let last = last_day_of_month(year, month)?;
            let mut due = NaiveDate::from_ymd_opt(year, month, day.min(last.day()))
                .ok_or(DeadlineError::Overflow)?;
            if !conv.before_day_inclusive {
                due = due.pred_opt().ok_or(DeadlineError::Overflow)?;
            }
            let after_start = match conv.start_day {
                StartDay::Excluded => due > start,
                StartDay::Included => due >= start,
            };
            if after_start {
                occurrences.push(due);
            }
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        deadline.due = occurrences[0];
        deadline.following = occurrences[1..].to_vec();
        deadline.notes.push(if conv.before_day_inclusive {
            format!("“{day}日前”按含{day}日当天理解（参数 before_day_inclusive = true）")
        } else {
            format!("“{day}日前”按不含{day}日当天理解（参数 before_day_inclusive = false）")
        });
        Ok(self.finish(deadline))
    }
}

impl Deadline {
    /// The reasoning in Chinese, one line per fact.
    pub fn explain(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "规则：{}", self.rule.describe());
        match self.start_time {
            Some(t) => {
                let _ = writeln!(
                    text,
                    "起算：{}（按小时计算，自该时刻起算）",
                    t.format("%Y-%m-%d %H:%M")
                );
            }
            None => {
                let convention = match self.convention.start_day {
                    StartDay::Excluded => {
                        "期间开始之日不计算在内，自次日起算（《民法典》第二百零一条）"
                    }
                    StartDay::Included => "开始之日计算在内（按文件特别规定）",
                };
                let _ = writeln!(
                    text,
                    "起算：{}（{}），{}",
                    self.start,
                    weekday_zh(self.start.weekday()),
                    convention
                );
            }
        }
        if let Some(from) = self.postponed_from {
            let _ = writeln!(
                text,
                "顺延：期间最后一日 {} 为休息日，顺延至其后第一个工作日（《民法典》第二百零三条）",
                from
            );
        }
        if self.skipped.is_empty() {
            if matches!(self.rule, DeadlineRule::WorkingDays(_)) {
                let _ = writeln!(text, "跳过：无（期间内每天都是工作日）");
            }
        } else {
            let _ = writeln!(
                text,
                "跳过（不计入或顺延）的日期共{}天：",
                self.skipped.len()
            );
            for s in &self.skipped {
                let _ = writeln!(text, "  {} {}", s.date, s.reason);
            }
        }
        match self.due_time {
            Some(t) => {
                let _ = writeln!(text, "到期：{}", t.format("%Y-%m-%d %H:%M"));
            }
            None => {
                let _ = writeln!(
                    text,
                    "到期：{}（{}）当日结束前",
                    self.due,
                    weekday_zh(self.due.weekday())
                );
            }
        }
        if !self.following.is_empty() {
            let list: Vec<String> = self.following.iter().map(|d| d.to_string()).collect();
            let _ = writeln!(text, "此后各期：{}", list.join("、"));
        }
        for note in &self.notes {
            let _ = writeln!(text, "说明：{note}");
        }
        let _ = write!(text, "日历版本：{}", self.calendar_version);
        if !self.notices.is_empty() {
            let _ = write!(text, "（依据：{}）", self.notices.join("；"));
        }
        text
    }
}
