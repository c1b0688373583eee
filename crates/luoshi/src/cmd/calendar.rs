//! `luoshi calendar …`: working-day arithmetic that explains itself.

use chrono::{NaiveDate, NaiveDateTime};
use clap::{ArgGroup, Subcommand};
use luoshi_calendar::{Calendar, Convention, Deadline, LastDayOnRestDay};
use std::path::PathBuf;
use std::process::ExitCode;

/// `println!` that never panics: a closed pipe (`luoshi … | head`) just ends the output.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
pub(crate) use outln;

#[derive(Subcommand)]
pub enum Command {
    /// 日期加减：从 --from 起加 N 个自然日、工作日、月或小时（起算日不计入）。
    #[command(group(ArgGroup::new("amount").required(true).args(["days", "working_days", "months", "hours"])))]
    Add {
        /// 起算日期 YYYY-MM-DD（--hours 时用 YYYY-MM-DDTHH:MM）。
        #[arg(long)]
        from: String,
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        working_days: Option<u32>,
        #[arg(long)]
        months: Option<u32>,
        #[arg(long)]
        hours: Option<u32>,
        /// 期间最后一日为休息日时顺延到下一个工作日（《民法典》第二百零三条）；默认只做算术。
        #[arg(long)]
        postpone: bool,
        /// 输出计算说明。
        #[arg(long)]
        explain: bool,
        /// 以 JSON 输出结构化期限（规则、起算、到期、跳过的日期及原因、日历版本）。
        #[arg(long)]
        json: bool,
        #[arg(long)]
        calendar: Option<PathBuf>,
    },
    /// 判断某日是否工作日，输出 yes/no 和原因。
    IsWorkingDay {
        date: String,
        #[arg(long)]
        calendar: Option<PathBuf>,
    },
    /// 按公文用语计算期限，如 “十五日内”“3个工作日”“3个月内”“4小时内”“6月底前”“年底前”“每月10日前”。
    Deadline {
        phrase: String,
        #[arg(long)]
        from: String,
        /// 周期性期限（每月X日前）输出的期数。
        #[arg(long, default_value_t = 3)]
        count: usize,
        #[arg(long)]
        explain: bool,
        /// 以 JSON 输出结构化期限。
        #[arg(long)]
        json: bool,
        #[arg(long)]
        calendar: Option<PathBuf>,
    },
    /// 列出某年的节假日安排及依据。
    Holidays {
        year: i32,
        #[arg(long)]
        calendar: Option<PathBuf>,
    },
}

/// Load the bundled calendar or an administrator's file; errors are printed (exit 2).
pub fn load_calendar(path: Option<&PathBuf>) -> Result<Calendar, ExitCode> {
    let result = match path {
        None => luoshi_calendar::bundled(),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| {
                super::bad_input("E_READ", format!("无法读取日历文件 {}: {e}", p.display()))
            })?;
            Calendar::from_toml_str(&text)
        }
    };
    result.map_err(|e| super::bad_input(e.code(), e))
}

fn parse_start(text: &str) -> Result<NaiveDateTime, ExitCode> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists"));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .ok_or_else(|| {
            super::bad_input(
                "E_DATE",
                format!("日期“{text}”无效，应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM"),
            )
        })
}

fn print_deadline(d: &Deadline, explain: bool, json: bool) {
    if json {
        let mut value = serde_json::to_value(d).expect("a deadline serializes");
        if explain {
            value["explanation"] = serde_json::Value::String(d.explain());
        }
        outln!(
            "{}",
            serde_json::to_string_pretty(&value).expect("a JSON value serializes")
        );
        return;
    }
    match d.due_time {
        Some(t) => outln!("{}", t.format("%Y-%m-%dT%H:%M")),
        None => outln!("{}", d.due),
    }
    if !d.following.is_empty() {
        for f in &d.following {
            outln!("{f}");
        }
    }
    if explain {
        outln!("{}", d.explain());
    }
}

pub fn run(command: Command) -> ExitCode {
    match run_inner(command) {
        Ok(code) | Err(code) => code,
    }
}

fn run_inner(command: Command) -> Result<ExitCode, ExitCode> {
    match command {
        Command::Add {
            from,
            days,
            working_days,
            months,
            hours,
            postpone,
            explain,
            json,
            calendar,
        } => {
            let cal = load_calendar(calendar.as_ref())?;
            let start = parse_start(&from)?;
            let conv = Convention {
                last_day_on_rest_day: if postpone {
                    LastDayOnRestDay::Postpone
                } else {
                    LastDayOnRestDay::Keep
                },
                ..Convention::default()
            };
            let result = if let Some(n) = days {
                cal.add_days(start.date(), n, conv)
            } else if let Some(n) = working_days {
                cal.add_working_days(start.date(), n, conv)
            } else if let Some(n) = months {
                cal.add_months(start.date(), n, conv)
            } else {
                cal.add_hours(start, hours.unwrap_or(0))
            };
            let d = result.map_err(|e| super::bad_input(e.code(), e))?;
            print_deadline(&d, explain, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::IsWorkingDay { date, calendar } => {
            let cal = load_calendar(calendar.as_ref())?;
            let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
                super::bad_input("E_DATE", format!("日期“{date}”无效，应为 YYYY-MM-DD"))
            })?;
            let status = cal
                .status(date)
                .map_err(|e| super::bad_input(e.code(), e))?;
            outln!("{}", if status.is_working() { "yes" } else { "no" });
            outln!("{}", status.explain());
            outln!("日历版本：{}", cal.version());
            Ok(ExitCode::SUCCESS)
        }
        Command::Deadline {
            phrase,
            from,
            count,
            explain,
            json,
            calendar,
        } => {
            let cal = load_calendar(calendar.as_ref())?;
            let start = parse_start(&from)?;
            let parsed = luoshi_calendar::parse_phrase(&phrase)
                .map_err(|e| super::bad_input(e.code(), e))?;
            let d = cal
                .resolve(parsed.rule, start, Convention::default(), count)
                .map_err(|e| super::bad_input(e.code(), e))?;
            print_deadline(&d, explain, json);
            if explain && !json {
                outln!("识别的用语：{}", parsed.matched);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Holidays { year, calendar } => {
            let cal = load_calendar(calendar.as_ref())?;
            let notice = cal.year_notice(year).ok_or_else(|| {
                let (a, b) = cal.coverage();
                super::bad_input(
                    "E_CALENDAR_RANGE",
                    format!("{year}年不在日历覆盖范围（{a}—{b}年）"),
                )
            })?;
            outln!("{}年：{}", year, notice.notice);
            for a in &notice.amendments {
                outln!("  调整：{a}");
            }
            for p in cal.periods().iter().filter(|p| p.year == year) {
                let makeup: Vec<String> = p.makeup_workdays.iter().map(|d| d.to_string()).collect();
                outln!(
                    "  {}：{} 至 {} 放假{}",
                    p.name,
                    p.from,
                    p.to,
                    if makeup.is_empty() {
                        String::new()
                    } else {
                        format!("；{} 上班", makeup.join("、"))
                    }
                );
            }
            outln!("日历版本：{}", cal.version());
            Ok(ExitCode::SUCCESS)
        }
    }
}
