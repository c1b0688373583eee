//! 期限用语: parse deadline phrases in the gazette's own words (十五日内, 3个工作日, 3个月内,
//! 4小时内, 6月底前, 年底前, 每月10日前, 即来即办) into a [`DeadlineRule`], and resolve them.

use crate::data::Calendar;
use crate::deadline::{Convention, Deadline, DeadlineError, DeadlineRule};
use chrono::NaiveDateTime;

/// A parsed phrase: the rule and the exact text it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub rule: DeadlineRule,
    pub matched: String,
}

/// The text contains no deadline phrase we know.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("无法识别期限用语“{0}”：支持 X日内、X个工作日、X个月内、X小时内、X月底前、年底前、每月X日前、即来即办")]
pub struct PhraseError(pub String);

impl PhraseError {
    pub fn code(&self) -> &'static str {
        "E_DEADLINE_PHRASE"
    }
}

fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || digit_value(c).is_some() || matches!(c, '十' | '百')
}

/// Parse an Arabic or Chinese numeral up to 999: `15`, `十五`, `二十`, `一百二十`, `两`.
pub fn parse_chinese_number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    for c in text.chars() {
        match c {
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            _ => {
                let d = digit_value(c)?;
                if d == 0 {
                    continue;
                }
                if current.is_some() {
                    return None;
                }
                current = Some(d);
            }
        }
    }
    Some(total + current.unwrap_or(0))
}

/// Find the number immediately before byte offset `end` in `text`.
fn number_before(text: &str, end: usize) -> Option<(usize, u32)> {
    let head = &text[..end];
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_number_char(*c))
        .last()
        .map(|(i, _)| i)?;
    parse_chinese_number(&head[start..]).map(|n| (start, n))
}

/// Find the first deadline phrase in `text`.
pub fn parse_phrase(text: &str) -> Result<Phrase, PhraseError> {
    let text_trimmed = text.trim();
    type Maker = fn(u32) -> DeadlineRule;
    // (marker that follows the number, constructor); the order matters: longer markers first.
    let numbered: [(&str, Maker); 8] = [
        ("个工作日", DeadlineRule::WorkingDays),
        ("个小时", DeadlineRule::Hours),
        ("小时", DeadlineRule::Hours),
        ("个月", DeadlineRule::Months),
        ("月底", DeadlineRule::EndOfMonth),
        ("日内", DeadlineRule::CalendarDays),
        ("天内", DeadlineRule::CalendarDays),
        ("天", DeadlineRule::CalendarDays),
    ];
    let mut best: Option<(usize, Phrase)> = None;
    let mut consider = |start: usize, phrase: Phrase| {
        if best.as_ref().is_none_or(|(s, _)| start < *s) {
            best = Some((start, phrase));
        }
    };
    // 每月X日前 (recurring) — checked before plain X日.
    for (pos, _) in text_trimmed.match_indices("每月") {
        let rest = &text_trimmed[pos + "每月".len()..];
        let digits: String = rest.chars().take_while(|c| is_number_char(*c)).collect();
        let after = &rest[digits.len()..];
        if let Some(n) = parse_chinese_number(&digits) {
            if after.starts_with("日前") || after.starts_with("号前") {
                let len = "每月".len() + digits.len() + "日前".len();
                consider(
                    pos,
                    Phrase {
                        rule: DeadlineRule::MonthlyBefore(n),
                        matched: text_trimmed[pos..pos + len].to_string(),
                    },
                );
            }
        }
    }
    for (marker, make) in numbered {
        for (pos, _) in text_trimmed.match_indices(marker) {
            if let Some((start, n)) = number_before(text_trimmed, pos) {
                if start >= "每月".len() && text_trimmed[..start].ends_with("每月") {
                    continue;
                }
                consider(
                    start,
                    Phrase {
                        rule: make(n),
                        matched: text_trimmed[start..pos + marker.len()].to_string(),
                    },
                );
            }
        }
    }
    for (pos, _) in text_trimmed.match_indices("年底前") {
        if number_before(text_trimmed, pos).is_none() {
            consider(
                pos,
                Phrase {
                    rule: DeadlineRule::EndOfYear,
                    matched: "年底前".into(),
                },
            );
        }
    }
    for word in ["即来即办", "立即"] {
        if let Some(pos) = text_trimmed.find(word) {
            consider(
                pos,
                Phrase {
                    rule: DeadlineRule::Immediate,
                    matched: word.into(),
                },
            );
        }
    }
    match best {
        Some((_, phrase)) => {
            if let DeadlineRule::EndOfMonth(m) = phrase.rule {
                if !(1..=12).contains(&m) {
                    return Err(PhraseError(text.to_string()));
                }
            }
            Ok(phrase)
        }
        None => Err(PhraseError(text.to_string())),
    }
}

impl Calendar {
    /// Compute the deadline a rule sets from `start` (a date-time; only hours use the time).
    /// Recurring rules return the next `occurrences` due dates.
    pub fn resolve(
        &self,
        rule: DeadlineRule,
        start: NaiveDateTime,
        conv: Convention,
        occurrences: usize,
    ) -> Result<Deadline, DeadlineError> {
        let date = start.date();
        match rule {
            DeadlineRule::CalendarDays(n) => self.add_days(date, n, conv),
            DeadlineRule::WorkingDays(n) => self.add_working_days(date, n, conv),
            DeadlineRule::Months(n) => self.add_months(date, n, conv),
            DeadlineRule::Hours(n) => self.add_hours(start, n),
            DeadlineRule::EndOfMonth(m) => self.end_of_month(date, m),
            DeadlineRule::EndOfYear => self.end_of_year(date),
            DeadlineRule::MonthlyBefore(d) => self.monthly_before(date, d, occurrences, conv),
            DeadlineRule::Immediate => self.add_working_days(date, 0, conv),
        }
    }
}
