//! 日历数据: the versioned holiday file format, its validation, and the loaded [`Calendar`].

use crate::day::{DayKind, DayStatus};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Errors loading or validating a holiday data file. Messages are in Chinese; `code()` is stable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("日历文件格式错误：{0}")]
    Syntax(String),
    #[error("日历文件字段 {field} 的日期“{value}”无效，应为 YYYY-MM-DD")]
    BadDate { field: String, value: String },
    #[error("日历文件 {field}：结束日期 {to} 早于开始日期 {from}")]
    ReversedRange {
        field: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    #[error("日历文件 {field}：假期过长（{days}天），请检查起止日期")]
    RangeTooLong { field: String, days: i64 },
    #[error("日历文件：{date} 同时属于“{first}”和“{second}”两个假期")]
    OverlappingHolidays {
        date: NaiveDate,
        first: String,
        second: String,
    },
    #[error("日历文件：{date} 既是放假日（{holiday}）又是调休上班日")]
    HolidayAndMakeup { date: NaiveDate, holiday: String },
    #[error("日历文件：调休上班日 {date} 是{weekday}，调休上班日必须是星期六或星期日")]
    MakeupNotWeekend { date: NaiveDate, weekday: String },
    #[error("日历文件：调休上班日 {date} 重复出现")]
    DuplicateMakeup { date: NaiveDate },
    #[error("日历文件：{year}年的日期 {date} 离该年度太远（只允许跨到相邻年份）")]
    DateOutsideYear { year: i32, date: NaiveDate },
    #[error("日历文件：年度 {0} 重复")]
    DuplicateYear(i32),
    #[error("日历文件：年度不连续，缺少 {0} 年")]
    MissingYear(i32),
    #[error("日历文件：{0}")]
    Missing(String),
    #[error("日期 {date} 超出日历覆盖范围（{first}—{last}年），无法判断是否工作日；请管理员更新日历文件")]
    OutOfCoverage {
        date: NaiveDate,
        first: i32,
        last: i32,
    },
}

impl CalendarError {
    /// Stable error code for user-facing output.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::OutOfCoverage { .. } => "E_CALENDAR_RANGE",
            CalendarError::Syntax(_) => "E_CALENDAR_SYNTAX",
            _ => "E_CALENDAR_DATA",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRaw {
    version: String,
    title: Option<String>,
    years: Vec<YearRaw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearRaw {
    year: i32,
    notice: String,
    #[serde(default)]
    amendments: Vec<String>,
    #[serde(default)]
    provisional: bool,
    holidays: Vec<HolidayRaw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayRaw {
    name: String,
    from: String,
    to: String,
    #[serde(default)]
    makeup_workdays: Vec<String>,
    note: Option<String>,
}

/// One year's arrangement and the State Council notice it comes from (年度通知).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearNotice {
    pub year: i32,
    /// The notice title and 文号, e.g. 国办发明电〔2019〕16号.
    pub notice: String,
    /// Later notices that changed the arrangement (e.g. 国办发明电〔2020〕1号).
    pub amendments: Vec<String>,
    /// True when the year's notice is not yet entered (statutory days only, no 调休).
    pub provisional: bool,
}

/// One holiday period (假期): a name, the days off and its make-up working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayPeriod {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub makeup_workdays: Vec<NaiveDate>,
    pub note: Option<String>,
    /// The year whose notice defines this period.
    pub year: i32,
}

/// A loaded, validated working-day calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    version: String,
    title: String,
    years: Vec<YearNotice>,
    periods: Vec<HolidayPeriod>,
    /// date -> (kind, index into `periods`)
    special: BTreeMap<NaiveDate, (DayKind, usize)>,
    first_year: i32,
    last_year: i32,
}

fn parse_date(field: &str, value: &str) -> Result<NaiveDate, CalendarError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| CalendarError::BadDate {
        field: field.to_string(),
        value: value.to_string(),
    })
}

/// Chinese weekday name (星期一…星期日).
pub(crate) fn weekday_zh(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// Parse and validate a holiday data file (TOML, format of `data/calendar/cn-holidays.toml`).
    pub fn from_toml_str(text: &str) -> Result<Calendar, CalendarError> {
        let raw: FileRaw =
            toml::from_str(text).map_err(|e| CalendarError::Syntax(e.to_string()))?;
        if raw.version.trim().is_empty() {
            return Err(CalendarError::Missing("version 不能为空".into()));
        }
        if raw.years.is_empty() {
            return Err(CalendarError::Missing("至少需要一个年度 [[years]]".into()));
        }
        let mut years = Vec::with_capacity(raw.years.len());
        let mut periods = Vec::new();
        let mut special: BTreeMap<NaiveDate, (DayKind, usize)> = BTreeMap::new();
        let mut seen_years = BTreeSet::new();
        for year_raw in raw.years {
            let year = year_raw.year;
            if !seen_years.insert(year) {
                return Err(CalendarError::DuplicateYear(year));
            }
            if year_raw.notice.trim().is_empty() {
                return Err(CalendarError::Missing(format!(
                    "{year}年缺少 notice（通知文号）"
                )));
            }
            for (index, h) in year_raw.holidays.into_iter().enumerate() {
                let field = format!("years[{year}].holidays[{index}]（{}）", h.name);
                let from = parse_date(&format!("{field}.from"), &h.from)?;
                let to = parse_date(&format!("{field}.to"), &h.to)?;
                if to < from {
                    return Err(CalendarError::ReversedRange { field, from, to });
                }
                let days = (to - from).num_days() + 1;
                if days > 15 {
                    return Err(CalendarError::RangeTooLong { field, days });
                }
                let mut makeup = Vec::with_capacity(h.makeup_workdays.len());
                for (i, m) in h.makeup_workdays.iter().enumerate() {
                    makeup.push(parse_date(&format!("{field}.makeup_workdays[{i}]"), m)?);
                }
                for date in from
                    .iter_days()
                    .take(days as usize)
                    .chain(makeup.iter().copied())
                {
                    if (date.year() - year).abs() > 1 {
                        return Err(CalendarError::DateOutsideYear { year, date });
                    }
                }
                let period_index = periods.len();
                for date in from.iter_days().take(days as usize) {
                    if let Some((kind, other)) = special.get(&date) {
                        let other_name: &HolidayPeriod = &periods[*other];
                        return Err(match kind {
                            DayKind::Holiday => CalendarError::OverlappingHolidays {
                                date,
                                first: other_name.name.clone(),
                                second: h.name.clone(),
                            },
                            _ => CalendarError::HolidayAndMakeup {
                                date,
                                holiday: h.name.clone(),
                            },
                        });
                    }
                    special.insert(date, (DayKind::Holiday, period_index));
                }
                for &date in &makeup {
                    if !is_weekend(date) {
                        return Err(CalendarError::MakeupNotWeekend {
                            date,
                            weekday: weekday_zh(date.weekday()).into(),
                        });
                    }
                    match special.get(&date) {
                        Some((DayKind::Holiday, other)) => {
                            return Err(CalendarError::HolidayAndMakeup {
                                date,
                                holiday: periods
                                    .get(*other)
                                    .map(|p: &HolidayPeriod| p.name.clone())
                                    .unwrap_or_else(|| h.name.clone()),
                            })
                        }
                        Some(_) => return Err(CalendarError::DuplicateMakeup { date }),
                        None => {}
                    }
                    special.insert(date, (DayKind::MakeupWorkday, period_index));
                }
                periods.push(HolidayPeriod {
                    name: h.name,
                    from,
                    to,
                    makeup_workdays: makeup,
                    note: h.note,
                    year,
                });
            }
            years.push(YearNotice {
                year,
                notice: year_raw.notice,
                amendments: year_raw.amendments,
                provisional: year_raw.provisional,
            });
        }
        let first_year = *seen_years.first().expect("non-empty checked above");
        let last_year = *seen_years.last().expect("non-empty checked above");
        if let Some(missing) = (first_year..=last_year).find(|y| !seen_years.contains(y)) {
            return Err(CalendarError::MissingYear(missing));
        }
        years.sort_by_key(|y| y.year);
        Ok(Calendar {
            version: raw.version,
            title: raw.title.unwrap_or_default(),
            years,
            periods,
            special,
            first_year,
            last_year,
        })
    }

    /// The data version string (cited in every explanation).
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// First and last covered year (inclusive).
    pub fn coverage(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    pub fn years(&self) -> &[YearNotice] {
        &self.years
    }

    pub fn periods(&self) -> &[HolidayPeriod] {
        &self.periods
    }

    /// The notice for a covered year.
    pub fn year_notice(&self, year: i32) -> Option<&YearNotice> {
        self.years.iter().find(|y| y.year == year)
    }

    /// Whether `date` is a working day (工作日), with the reason.
    pub fn status(&self, date: NaiveDate) -> Result<DayStatus<'_>, CalendarError> {
        if date.year() < self.first_year || date.year() > self.last_year {
            return Err(CalendarError::OutOfCoverage {
                date,
                first: self.first_year,
                last: self.last_year,
            });
        }
        let weekday = date.weekday();
        Ok(match self.special.get(&date) {
            Some((kind, index)) => {
                let period = &self.periods[*index];
                let notice = self
                    .year_notice(period.year)
                    .expect("every period belongs to a loaded year");
                DayStatus {
                    date,
                    weekday,
                    kind: *kind,
                    period: Some(period),
                    notice: Some(notice),
                }
            }
            None => DayStatus {
                date,
                weekday,
                kind: if is_weekend(date) {
                    DayKind::Weekend
                } else {
                    DayKind::Weekday
                },
                period: None,
                notice: self.year_notice(date.year()),
            },
        })
    }

    /// Shorthand: is `date` a working day?
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.status(date)?.is_working())
    }
}
