//! Deadline arithmetic over the bundled calendar: working days, calendar days with postponement,
//! months clamped at month end, hours, and phrases in the gazette's own words.

use chrono::{NaiveDate, NaiveDateTime};
use luoshi_calendar::{
    bundled, parse_chinese_number, parse_phrase, Convention, DeadlineRule, LastDayOnRestDay,
    StartDay,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

#[test]
fn one_working_day_after_national_day_eve() {
    let cal = bundled().unwrap();
    let deadline = cal
        .add_working_days(d("2020-09-30"), 1, Convention::default())
        .unwrap();
    assert_eq!(deadline.due, d("2020-10-09"));
    assert_eq!(deadline.skipped.len(), 8);
    let text = deadline.explain();
    assert!(text.contains("国庆节、中秋节放假"), "{text}");
    assert!(text.contains("期间开始之日不计算在内"), "{text}");
    assert!(text.contains(cal.version()), "{text}");
}

#[test]
fn working_days_table() {
    let cal = bundled().unwrap();
    // (start, n, due) — each crossing a holiday or make-up day of the 2020/2026 notices.
    let table = [
        ("2020-01-17", 1, "2020-01-19"), // 1月19日（星期日）调休上班
        ("2020-01-23", 1, "2020-02-03"), // 春节延长至2月2日
        ("2020-09-25", 1, "2020-09-27"), // 9月27日（星期日）上班
        ("2020-05-15", 3, "2020-05-20"), // 郑政文〔2020〕61号 印发日起3个工作日
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-14", 1, "2026-02-24"),
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-10-08", 2, "2026-10-10"),
    ];
    for (start, n, due) in table {
        let got = cal
            .add_working_days(d(start), n, Convention::default())
            .unwrap();
        assert_eq!(got.due, d(due), "{start} + {n} working days");
    }
    // start day included: the start (a working day) counts as day 1.
    let included = Convention {
        start_day: StartDay::Included,
        ..Convention::default()
    };
    assert_eq!(
        cal.add_working_days(d("2020-10-09"), 1, included)
            .unwrap()
            .due,
        d("2020-10-09")
    );
}

#[test]
fn calendar_days_postpone_over_rest_days() {
    let cal = bundled().unwrap();
    // 郑政办〔2020〕27号 第七条 十五日内: received 2020-09-20 → day 15 is 10-05 (holiday) → 10-09.
    let got = cal
        .add_days(d("2020-09-20"), 15, Convention::default())
        .unwrap();
    assert_eq!(got.postponed_from, Some(d("2020-10-05")));
    assert_eq!(got.due, d("2020-10-09"));
    assert!(got.explain().contains("第二百零三条"));
    let plain = cal
        .add_days(d("2020-09-20"), 15, Convention::arithmetic())
        .unwrap();
    assert_eq!(plain.due, d("2020-10-05"));
    assert_eq!(
        plain.convention.last_day_on_rest_day,
        LastDayOnRestDay::Keep
    );
    assert!(plain.explain().contains("不顺延"));
}

#[test]
fn months_clamp_at_month_end() {
    let cal = bundled().unwrap();
    let arithmetic = Convention::arithmetic();
    assert_eq!(
        cal.add_months(d("2020-01-31"), 1, arithmetic).unwrap().due,
        d("2020-02-29")
    );
    assert_eq!(
        cal.add_months(d("2021-01-31"), 1, arithmetic).unwrap().due,
        d("2021-02-28")
    );
    assert_eq!(
        cal.add_months(d("2020-05-22"), 3, arithmetic).unwrap().due,
        d("2020-08-22")
    );
    // With postponement: 2020-08-22 is a Saturday → 2020-08-24.
    assert_eq!(
        cal.add_months(d("2020-05-22"), 3, Convention::default())
            .unwrap()
            .due,
        d("2020-08-24")
    );
}

#[test]
fn hours_run_through_holidays() {
    let cal = bundled().unwrap();
    let got = cal.add_hours(dt("2020-05-15T10:00"), 4).unwrap();
    assert_eq!(got.due_time, Some(dt("2020-05-15T14:00")));
    let got = cal.add_hours(dt("2020-09-30T20:00"), 12).unwrap();
    assert_eq!(got.due_time, Some(dt("2020-10-01T08:00")));
}

#[test]
fn chinese_numerals() {
    for (text, n) in [
        ("十五", 15),
        ("十", 10),
        ("二十", 20),
        ("三十", 30),
        ("二十一", 21),
        ("一百二十", 120),
        ("一百零五", 105),
        ("两", 2),
        ("45", 45),
    ] {
        assert_eq!(parse_chinese_number(text), Some(n), "{text}");
    }
    assert_eq!(parse_chinese_number("十五五"), None);
    assert_eq!(parse_chinese_number(""), None);
}

#[test]
fn phrases_in_the_gazettes_words() {
    let table = [
        ("自接办之日起十五日内", DeadlineRule::CalendarDays(15)),
        ("压缩至3个工作日", DeadlineRule::WorkingDays(3)),
        ("自接件之日起3个月内", DeadlineRule::Months(3)),
        ("要在4小时内速报", DeadlineRule::Hours(4)),
        ("每年6月底前", DeadlineRule::EndOfMonth(6)),
        ("年底前完成", DeadlineRule::EndOfYear),
        ("每月10日前报送", DeadlineRule::MonthlyBefore(10)),
        ("公告时间压缩至20天", DeadlineRule::CalendarDays(20)),
        ("凭身份证即来即办", DeadlineRule::Immediate),
        ("建成后6个月内", DeadlineRule::Months(6)),
    ];
    for (text, rule) in table {
        assert_eq!(parse_phrase(text).unwrap().rule, rule, "{text}");
    }
    assert_eq!(
        parse_phrase("认真贯彻执行").unwrap_err().code(),
        "E_DEADLINE_PHRASE"
    );
    assert!(parse_phrase("13月底前").is_err());
}

#[test]
fn end_of_month_year_and_recurring() {
    let cal = bundled().unwrap();
    let conv = Convention::default();
    let start = dt("2020-05-29T00:00");
    let june = cal
        .resolve(DeadlineRule::EndOfMonth(6), start, conv, 1)
        .unwrap();
    assert_eq!(june.due, d("2020-06-30"));
    let april = cal
        .resolve(DeadlineRule::EndOfMonth(4), start, conv, 1)
        .unwrap();
    assert_eq!(april.due, d("2021-04-30"));
    let year = cal
        .resolve(DeadlineRule::EndOfYear, start, conv, 1)
        .unwrap();
    assert_eq!(year.due, d("2020-12-31"));
    let monthly = cal
        .resolve(
            DeadlineRule::MonthlyBefore(10),
            dt("2020-05-10T09:00"),
            conv,
            3,
        )
        .unwrap();
    assert_eq!(monthly.due, d("2020-06-10"));
    assert_eq!(monthly.following, vec![d("2020-07-10"), d("2020-08-10")]);
    let monthly31 = cal
        .resolve(
            DeadlineRule::MonthlyBefore(31),
            dt("2021-01-31T09:00"),
            conv,
            2,
        )
        .unwrap();
    assert_eq!(monthly31.due, d("2021-02-28"));
}
