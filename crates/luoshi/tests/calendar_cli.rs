//! End-to-end: `luoshi calendar …` on the built binary.

use std::process::{Command, Output};

fn luoshi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn add_working_days_over_national_day() {
    let o = luoshi(&[
        "calendar",
        "add",
        "--from",
        "2020-09-30",
        "--working-days",
        "1",
    ]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "2020-10-09\n");
}

#[test]
fn add_days_months_hours() {
    let o = luoshi(&["calendar", "add", "--from", "2020-09-30", "--days", "1"]);
    assert_eq!(stdout(&o), "2020-10-01\n");
    let o = luoshi(&[
        "calendar",
        "add",
        "--from",
        "2020-09-30",
        "--days",
        "1",
        "--postpone",
    ]);
    assert_eq!(stdout(&o), "2020-10-09\n");
    let o = luoshi(&["calendar", "add", "--from", "2020-01-31", "--months", "1"]);
    assert_eq!(stdout(&o), "2020-02-29\n");
    let o = luoshi(&[
        "calendar",
        "add",
        "--from",
        "2020-05-15T10:00",
        "--hours",
        "4",
    ]);
    assert_eq!(stdout(&o), "2020-05-15T14:00\n");
}

#[test]
fn explain_prints_reasoning_in_chinese() {
    let o = luoshi(&[
        "calendar",
        "add",
        "--from",
        "2020-09-30",
        "--working-days",
        "1",
        "--explain",
    ]);
    let text = stdout(&o);
    assert!(text.starts_with("2020-10-09\n"), "{text}");
    for needle in [
        "期间开始之日不计算在内",
        "国庆节、中秋节放假",
        "日历版本",
        "国办发明电〔2019〕16号",
    ] {
        assert!(text.contains(needle), "missing {needle}: {text}");
    }
}

#[test]
fn is_working_day_yes_and_no() {
    for (date, answer, reason) in [
        ("2020-01-19", "yes", "调休上班"),
        ("2020-02-01", "no", "春节放假"),
        ("2020-10-09", "yes", "正常工作日"),
        ("2020-09-27", "yes", "调休上班"),
        ("2026-02-28", "yes", "春节调休上班"),
        ("2026-10-08", "yes", "正常工作日"),
        ("2026-10-07", "no", "国庆节放假"),
    ] {
        let o = luoshi(&["calendar", "is-working-day", date]);
        assert!(o.status.success(), "{date}");
        let text = stdout(&o);
        assert!(text.starts_with(&format!("{answer}\n")), "{date}: {text}");
        assert!(text.contains(reason), "{date}: {text}");
    }
}

#[test]
fn deadline_phrases() {
    let o = luoshi(&["calendar", "deadline", "十五日内", "--from", "2020-09-20"]);
    assert_eq!(stdout(&o), "2020-10-09\n");
    let o = luoshi(&[
        "calendar",
        "deadline",
        "每月10日前",
        "--from",
        "2020-05-10",
        "--count",
        "2",
    ]);
    assert_eq!(stdout(&o), "2020-06-10\n2020-07-10\n");
    let o = luoshi(&["calendar", "deadline", "认真执行", "--from", "2020-05-10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("E_DEADLINE_PHRASE"));
}

#[test]
fn bad_input_and_administrator_file() {
    let o = luoshi(&["calendar", "is-working-day", "2020-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("E_DATE"));
    let o = luoshi(&["calendar", "is-working-day", "2031-01-02"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("E_CALENDAR_RANGE"));

    let dir = std::env::temp_dir().join(format!("luoshi-cal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.toml");
    std::fs::write(&good, "version = \"admin-1\"\n[[years]]\nyear = 2031\nnotice = \"测试\"\n[[years.holidays]]\nname = \"元旦\"\nfrom = \"2031-01-01\"\nto = \"2031-01-02\"\nmakeup_workdays = [\"2031-01-04\"]\n").unwrap();
    let o = luoshi(&[
        "calendar",
        "is-working-day",
        "2031-01-02",
        "--calendar",
        good.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("no\n"));
    assert!(stdout(&o).contains("admin-1"));
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "version = \"x\"\n[[years]]\nyear = 2031\nnotice = \"测试\"\n[[years.holidays]]\nname = \"元旦\"\nfrom = \"2031-01-01\"\nto = \"2031-01-02\"\nmakeup_workdays = [\"2031-01-03\"]\n").unwrap();
    let o = luoshi(&[
        "calendar",
        "is-working-day",
        "2031-01-02",
        "--calendar",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("E_CALENDAR_DATA") && err.contains("星期五"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn json_output_lists_skipped_days_with_reasons() {
    let o = luoshi(&[
        "calendar",
        "add",
        "--from",
        "2020-01-23",
        "--working-days",
        "1",
        "--json",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["due"], "2020-02-03");
    assert_eq!(v["rule"], "1个工作日");
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 10, "1月24日至2月2日");
    assert!(skipped
        .iter()
        .all(|s| s["reason"].as_str().unwrap().contains("春节放假")));
    assert!(v["calendar_version"].as_str().is_some());
}
