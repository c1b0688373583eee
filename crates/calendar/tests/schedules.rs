//! The bundled holiday data gives the right working days for the 2020 and 2026 schedules, and the
//! validator rejects broken files with clear errors.

use chrono::NaiveDate;
use luoshi_calendar::{bundled, Calendar, CalendarError, DayKind};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> Calendar {
    bundled().expect("bundled calendar must load")
}

/// (date, working?, expected kind) — each row cites the notice it checks.
const CASES_2020: &[(&str, bool, DayKind)] = &[
    // 国办发明电〔2019〕16号 一、元旦
    ("2020-01-01", false, DayKind::Holiday),
    ("2020-01-02", true, DayKind::Weekday),
    // 二、春节 1月19日（星期日）上班
    ("2020-01-19", true, DayKind::MakeupWorkday),
    ("2020-01-23", true, DayKind::Weekday),
    ("2020-01-24", false, DayKind::Holiday),
    ("2020-01-30", false, DayKind::Holiday),
    // 国办发明电〔2020〕1号 延长至2月2日；2月1日（星期六）不再上班
    ("2020-01-31", false, DayKind::Holiday),
    ("2020-02-01", false, DayKind::Holiday),
    ("2020-02-02", false, DayKind::Holiday),
    ("2020-02-03", true, DayKind::Weekday),
    // 三、清明节 4月4日至6日
    ("2020-04-06", false, DayKind::Holiday),
    // 四、劳动节 5月1日至5日；4月26日（星期日）、5月9日（星期六）上班
    ("2020-04-26", true, DayKind::MakeupWorkday),
    ("2020-05-05", false, DayKind::Holiday),
    ("2020-05-09", true, DayKind::MakeupWorkday),
    // 五、端午节 6月25日至27日；6月28日（星期日）上班
    ("2020-06-25", false, DayKind::Holiday),
    ("2020-06-28", true, DayKind::MakeupWorkday),
    // 六、国庆节、中秋节 10月1日至8日；9月27日（星期日）、10月10日（星期六）上班
    ("2020-09-27", true, DayKind::MakeupWorkday),
    ("2020-10-01", false, DayKind::Holiday),
    ("2020-10-08", false, DayKind::Holiday),
    ("2020-10-09", true, DayKind::Weekday),
    ("2020-10-10", true, DayKind::MakeupWorkday),
    ("2020-10-11", false, DayKind::Weekend),
];

/// 国办发明电〔2025〕7号 (2026).
const CASES_2026: &[(&str, bool, DayKind)] = &[
    ("2026-01-01", false, DayKind::Holiday),
    ("2026-01-03", false, DayKind::Holiday),
    ("2026-01-04", true, DayKind::MakeupWorkday),
    ("2026-02-14", true, DayKind::MakeupWorkday),
    ("2026-02-15", false, DayKind::Holiday),
    ("2026-02-23", false, DayKind::Holiday),
    ("2026-02-24", true, DayKind::Weekday),
    ("2026-02-28", true, DayKind::MakeupWorkday),
    ("2026-04-06", false, DayKind::Holiday),
    ("2026-05-05", false, DayKind::Holiday),
    ("2026-05-09", true, DayKind::MakeupWorkday),
    ("2026-06-19", false, DayKind::Holiday),
    ("2026-09-20", true, DayKind::MakeupWorkday),
    ("2026-09-25", false, DayKind::Holiday),
    ("2026-10-07", false, DayKind::Holiday),
    ("2026-10-08", true, DayKind::Weekday),
    ("2026-10-10", true, DayKind::MakeupWorkday),
    ("2026-11-29", false, DayKind::Weekend),
];

#[test]
fn schedule_2020_and_2026() {
    let cal = cal();
    for (date, working, kind) in CASES_2020.iter().chain(CASES_2026) {
        let status = cal.status(d(date)).unwrap();
        assert_eq!(
            status.is_working(),
            *working,
            "{date}: {}",
            status.explain()
        );
        assert_eq!(status.kind, *kind, "{date}");
    }
}

#[test]
fn yearly_counts_of_working_days() {
    // Hand counts from the notices (not from the data file):
    // 2020: 262 weekdays − 19 weekday holidays (元旦1, 春节6 incl. the extension to 2月2日,
    //       清明1, 劳动3, 端午2, 国庆中秋6) + 6 make-up days (1/19, 4/26, 5/9, 6/28, 9/27, 10/10) = 249.
    // 2026: 261 weekdays − 19 weekday holidays (元旦2, 春节6, 清明1, 劳动3, 端午1, 中秋1, 国庆5)
    //       + 6 make-up days (1/4, 2/14, 2/28, 5/9, 9/20, 10/10) = 248.
    let cal = cal();
    let count = |year: i32| {
        d(&format!("{year}-01-01"))
            .iter_days()
            .take_while(|x| x.format("%Y").to_string() == year.to_string())
            .filter(|x| cal.is_working_day(*x).unwrap())
            .count()
    };
    assert_eq!(count(2020), 249);
    assert_eq!(count(2026), 248);
}

#[test]
fn holiday_explanations_cite_the_notice() {
    let cal = cal();
    let text = cal.status(d("2020-02-01")).unwrap().explain();
    assert!(text.contains("休息日"), "{text}");
    assert!(text.contains("国办发明电〔2019〕16号"), "{text}");
    assert!(text.contains("国办发明电〔2020〕1号"), "{text}");
    let text = cal.status(d("2026-09-20")).unwrap().explain();
    assert!(text.contains("国庆节调休上班"), "{text}");
}

#[test]
fn out_of_coverage_is_an_error_not_a_guess() {
    let err = cal().status(d("2028-03-01")).unwrap_err();
    assert_eq!(err.code(), "E_CALENDAR_RANGE");
    assert!(cal().status(d("2017-12-29")).is_err());
}

#[test]
fn provisional_year_is_flagged() {
    let text = cal().status(d("2027-02-05")).unwrap().explain();
    assert!(text.contains("暂定"), "{text}");
}

const HEADER: &str = "version = \"t1\"\n";

fn one_year(body: &str) -> String {
    format!("{HEADER}[[years]]\nyear = 2020\nnotice = \"测试通知\"\n{body}")
}

fn holiday(name: &str, from: &str, to: &str, makeup: &str) -> String {
    format!("[[years.holidays]]\nname = \"{name}\"\nfrom = \"{from}\"\nto = \"{to}\"\nmakeup_workdays = [{makeup}]\n")
}

#[test]
fn validation_rejects_broken_files() {
    let overlap = one_year(
        &(holiday("甲", "2020-10-01", "2020-10-03", "")
            + &holiday("乙", "2020-10-03", "2020-10-04", "")),
    );
    assert!(matches!(
        Calendar::from_toml_str(&overlap),
        Err(CalendarError::OverlappingHolidays { .. })
    ));
    let both = one_year(&holiday("甲", "2020-10-01", "2020-10-04", "\"2020-10-03\""));
    assert!(matches!(
        Calendar::from_toml_str(&both),
        Err(CalendarError::HolidayAndMakeup { .. })
    ));
    let weekday_makeup = one_year(&holiday("甲", "2020-10-01", "2020-10-02", "\"2020-10-09\""));
    let err = Calendar::from_toml_str(&weekday_makeup).unwrap_err();
    assert!(err.to_string().contains("星期五"), "{err}");
    let reversed = one_year(&holiday("甲", "2020-10-05", "2020-10-01", ""));
    assert!(matches!(
        Calendar::from_toml_str(&reversed),
        Err(CalendarError::ReversedRange { .. })
    ));
    let bad_date = one_year(&holiday("甲", "2020-13-01", "2020-10-01", ""));
    let err = Calendar::from_toml_str(&bad_date).unwrap_err();
    assert!(err.to_string().contains("2020-13-01"), "{err}");
    let gap = format!(
        "{HEADER}[[years]]\nyear = 2020\nnotice = \"a\"\nholidays = []\n[[years]]\nyear = 2022\nnotice = \"b\"\nholidays = []\n"
    );
    assert_eq!(
        Calendar::from_toml_str(&gap).unwrap_err(),
        CalendarError::MissingYear(2021)
    );
    assert!(matches!(
        Calendar::from_toml_str("version = "),
        Err(CalendarError::Syntax(_))
    ));
    let ok = one_year(&holiday("甲", "2020-10-01", "2020-10-02", "\"2020-10-10\""));
    let cal = Calendar::from_toml_str(&ok).unwrap();
    assert_eq!(cal.version(), "t1");
    assert!(cal.is_working_day(d("2020-10-10")).unwrap());
}

/// Weekend days worked per notice year (make-up days named by each year's notice, after the 2020
/// extension removed 2月1日), counted from the notices: 2018 6, 2019 7, 2020 6, 2021 7, 2022 7, 2023 7,
/// 2024 8, 2025 5, 2026 6. 2027 is provisional and has none yet.
#[test]
fn makeup_day_counts_per_notice_year() {
    let cal = cal();
    for (year, expected) in [
        (2018, 6),
        (2019, 7),
        (2020, 6),
        (2021, 7),
        (2022, 7),
        (2023, 7),
        (2024, 8),
        (2025, 5),
        (2026, 6),
        (2027, 0),
    ] {
        let count: usize = cal
            .periods()
            .iter()
            .filter(|p| p.year == year)
            .map(|p| p.makeup_workdays.len())
            .sum();
        assert_eq!(count, expected, "{year}");
    }
    assert_eq!(cal.coverage(), (2018, 2027));
    assert!(cal.year_notice(2027).unwrap().provisional);
    assert!(!cal.year_notice(2026).unwrap().provisional);
}
