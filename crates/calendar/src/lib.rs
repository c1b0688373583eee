//! 工作日历 (working-day calendar): China's statutory holidays and 调休 make-up working days as
//! versioned data, and deadline arithmetic that explains itself.
//!
//! Pure: no I/O. The bundled data file (`data/calendar/cn-holidays.toml`) is compiled in with
//! `include_str!`; an administrator can load an updated file through [`Calendar::from_toml_str`].
//!
//! Conventions (see [`Convention`]):
//! - 期间开始之日不计算在内 (《中华人民共和国民法典》第二百零一条): the day of receipt is not counted.
//! - 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日 (第二百零三条): a
//!   calendar-day or month deadline that ends on a rest day is postponed to the next working day.
//! - 按照月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日
//!   (第二百零二条): months are clamped at month end.

mod data;
mod day;
mod deadline;
mod phrase;

pub use data::{Calendar, CalendarError, HolidayPeriod, YearNotice};
pub use day::{DayKind, DayStatus};
pub use deadline::{
    Convention, Deadline, DeadlineError, DeadlineRule, LastDayOnRestDay, SkippedDay, StartDay,
};
pub use phrase::{parse_chinese_number, parse_phrase, Phrase, PhraseError};

/// The bundled holiday data (2018–2027), as shipped with this build.
pub const BUNDLED_TOML: &str = include_str!("../../../data/calendar/cn-holidays.toml");

/// The bundled calendar, parsed and validated. The bundled file is checked by the test suite,
/// so a failure here is a build defect; callers still get a `Result` and decide.
pub fn bundled() -> Result<Calendar, CalendarError> {
    Calendar::from_toml_str(BUNDLED_TOML)
}
