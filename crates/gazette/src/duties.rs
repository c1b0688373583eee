//! Reporting duties (报送要求): the sentences of a notice that tell the units what to report,
//! to whom, and by when — `各单位6月8日17时前将…项目化推进计划上报市政府督查室`,
//! `从6月份起，于每月10日之前将…落实情况报…`, `分别于7月10日、10月10日和2021年1月10日前报送…`.
//!
//! Read from the document's own words, so next year's notice brings its own dates. Dates
//! without a year take the document's year; a monthly duty runs from the month it names to
//! the end of the document's year, or to the last date another duty names when later. A
//! sentence that asks for a report but names no date it can read is returned as unread, never
//! dropped.

use serde::Serialize;

/// What a duty asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyKind {
    /// 项目化推进计划 (a plan, once).
    Plan,
    /// A report every month.
    Monthly,
    /// 工作落实台账 (the ledger, on listed dates).
    Ledger,
    /// Any other report on listed dates.
    Other,
}

impl DutyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DutyKind::Plan => "plan",
            DutyKind::Monthly => "monthly",
            DutyKind::Ledger => "ledger",
            DutyKind::Other => "other",
        }
    }
}

/// One due date of a duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyDue {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM` when the words name an hour (`17时前`).
    pub time: Option<String>,
    /// What the report covers: `2020-05` (a monthly report due in June covers May), or the
    /// due month for listed dates.
    pub period: String,
}

/// A reporting duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duty {
    pub kind: DutyKind,
    /// What is reported, in the document's words (`项目化推进计划`).
    pub label: String,
    pub dues: Vec<DutyDue>,
    /// To whom (`市政府督查室`).
    pub recipient: String,
    /// The sentence it was read from.
    pub source: String,
    /// 1-based line of the sentence in the text given to [`read`] (offset by `first_line`).
    pub line: usize,
}

/// What [`read`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Duties {
    pub duties: Vec<Duty>,
    /// Sentences that ask for a report but whose date could not be read.
    pub unread: Vec<(usize, String)>,
}

const REPORT_VERBS: &[&str] = &["上报", "报送", "报市", "报省", "报区", "报县", "报本级"];

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

fn ymd(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// A number made of ASCII digits at the start of `s` (spaces allowed around it).
fn leading_number(s: &str) -> Option<(u32, &str)> {
    let t = s.trim_start();
    let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    if end == 0 || end > 4 {
        return None;
    }
    Some((t[..end].parse().ok()?, t[end..].trim_start()))
}

/// A date written `[YYYY年]M月D日[H时]` at the start of `s`.
fn date_at(s: &str, year: i32) -> Option<(i32, u32, u32, Option<u32>, usize)> {
    let (first, rest) = leading_number(s)?;
    let (y, m, rest) = if let Some(r) = rest.strip_prefix('年') {
        let (m, r) = leading_number(r)?;
        (first as i32, m, r.strip_prefix('月')?)
    } else {
        (year, first, rest.strip_prefix('月')?)
    };
    let (d, rest) = leading_number(rest)?;
    let rest = rest.strip_prefix('日')?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let (hour, rest) = match leading_number(rest) {
        Some((h, r)) if h < 24 && (r.starts_with('时') || r.starts_with('点')) => {
            (Some(h), &r[3..])
        }
        _ => (None, rest),
    };
    Some((y, m, d, hour, s.len() - rest.len()))
}

/// Every `[YYYY年]M月D日[H时]` in a sentence.
fn dates_in(sentence: &str, year: i32) -> Vec<(i32, u32, u32, Option<u32>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sentence.len() {
        if !sentence.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let starts_number = sentence[i..].starts_with(|c: char| c.is_ascii_digit())
            && !sentence[..i].ends_with(|c: char| c.is_ascii_digit());
        if starts_number {
            if let Some((y, m, d, h, used)) = date_at(&sentence[i..], year) {
                out.push((y, m, d, h));
                i += used;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// `每月10日` → 10.
fn monthly_day(sentence: &str) -> Option<u32> {
    let at = sentence.find("每月")?;
    let (d, rest) = leading_number(&sentence[at + "每月".len()..])?;
    (rest.starts_with('日') && (1..=31).contains(&d)).then_some(d)
}

/// `从6月份起` / `自6月起` → 6.
fn starting_month(sentence: &str) -> Option<u32> {
    for marker in ["从", "自"] {
        let mut search = sentence;
        while let Some(at) = search.find(marker) {
            let after = &search[at + marker.len()..];
            if let Some((m, rest)) = leading_number(after) {
                let rest = rest
                    .strip_prefix('月')
                    .map(|r| r.strip_prefix('份').unwrap_or(r));
                if let Some(r) = rest {
                    if (1..=12).contains(&m) && (r.starts_with('起') || r.starts_with("开始")) {
                        return Some(m);
                    }
                }
            }
            search = after;
        }
    }
    None
}

/// To whom: the words after the reporting verb, up to the sentence's end.
fn recipient(sentence: &str) -> String {
    let mut best: Option<usize> = None;
    for verb in ["上报", "报送", "报"] {
        if let Some(at) = sentence.rfind(verb) {
            let end = at + verb.len();
            if best.is_none_or(|b| end > b) {
                best = Some(end);
            }
        }
    }
    let Some(start) = best else {
        return String::new();
    };
    sentence[start..]
        .trim_matches(|c: char| c.is_whitespace() || "，。；、：".contains(c))
        .chars()
        .take(40)
        .collect()
}

/// What is reported, in the document's words.
fn what(sentence: &str, kind: DutyKind) -> String {
    let label = |words: &[&str], fallback: &str| {
        words
            .iter()
            .find(|w| sentence.contains(*w))
            .map(|w| w.to_string())
            .unwrap_or_else(|| fallback.to_string())
    };
    match kind {
        DutyKind::Plan => label(
            &["项目化推进计划", "推进计划", "工作计划", "实施方案"],
            "工作计划",
        ),
        DutyKind::Monthly => "月度落实情况".into(),
        DutyKind::Ledger => label(&["工作落实台账", "落实台账", "台账"], "台账"),
        DutyKind::Other => "落实情况".into(),
    }
}

fn kind_of(sentence: &str) -> DutyKind {
    if sentence.contains("每月") {
        DutyKind::Monthly
    } else if sentence.contains("台账") {
        DutyKind::Ledger
    } else if sentence.contains("计划") || sentence.contains("方案") {
        DutyKind::Plan
    } else {
        DutyKind::Other
    }
}

/// Split into sentences (on `。；` and line ends), each with its 1-based line.
fn sentences(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for piece in line.split(['。', '；', ';']) {
            let piece = piece.trim();
            if !piece.is_empty() {
                out.push((n + 1, piece.to_string()));
            }
        }
    }
    out
}

/// Read the reporting duties of a document's text. `year` is the document's year.
pub fn read(text: &str, year: i32) -> Duties {
    let mut found = Duties::default();
    let mut order: Vec<usize> = Vec::new();
    let mut monthly: Vec<(usize, usize, String, u32, u32)> = Vec::new();
    for (ordinal, (line, s)) in sentences(text).into_iter().enumerate() {
        if !REPORT_VERBS.iter().any(|v| s.contains(v)) {
            continue;
        }
        let kind = kind_of(&s);
        if kind == DutyKind::Monthly {
            match (monthly_day(&s), starting_month(&s)) {
                (Some(day), start) => monthly.push((ordinal, line, s, day, start.unwrap_or(1))),
                (None, _) => found.unread.push((line, s)),
            }
            continue;
        }
        let dates = dates_in(&s, year);
        if dates.is_empty() {
            if s.contains("前") || s.contains("报送") || s.contains("上报") {
                found.unread.push((line, s));
            }
            continue;
        }
        let dues = dates
            .iter()
            .map(|(y, m, d, h)| DutyDue {
                date: ymd(*y, *m, *d),
                time: h.map(|h| format!("{h:02}:00")),
                period: if kind == DutyKind::Plan {
                    "plan".into()
                } else {
                    format!("{y:04}-{m:02}")
                },
            })
            .collect();
        order.push(ordinal);
        found.duties.push(Duty {
            kind,
            label: what(&s, kind),
            dues,
            recipient: recipient(&s),
            source: s,
            line,
        });
    }
    // A monthly duty runs to the end of the document's year, or on to the last date any
    // other duty names when that is later (郑政办〔2020〕29号: the last ledger, 2021-01-10).
    let last = found
        .duties
        .iter()
        .flat_map(|d| d.dues.iter().map(|x| x.date.clone()))
        .chain(std::iter::once(ymd(year, 12, 31)))
        .max()
        .unwrap_or_else(|| ymd(year, 12, 31));
    for (ordinal, line, s, day, start) in monthly {
        let mut dues = Vec::new();
        let (mut y, mut m) = (year, start);
        loop {
            let date = ymd(y, m, day.min(days_in_month(y, m)));
            if date > last || dues.len() >= 36 {
                break;
            }
            let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
            dues.push(DutyDue {
                date,
                time: None,
                period: format!("{py:04}-{pm:02}"),
            });
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        order.push(ordinal);
        found.duties.push(Duty {
            kind: DutyKind::Monthly,
            label: what(&s, DutyKind::Monthly),
            dues,
            recipient: recipient(&s),
            source: s,
            line,
        });
    }
    // In the order the sentences come in the text.
    let mut ordered: Vec<(usize, Duty)> = order.into_iter().zip(found.duties).collect();
    ordered.sort_by_key(|(o, _)| *o);
    found.duties = ordered.into_iter().map(|(_, d)| d).collect();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTICE: &str = "一、项目化推进\n\
        各单位要将所属的重点工作进一步细化、量化，制定项目化推进工作计划。各单位6月8日17时前将所属重点工作项目化推进计划上报市政府督查室。\n\
        四、严格督查\n\
        市政府将根据工作进展情况开展专项督查。从6月份起，于每月10日之前将截至上一个月月底的重点工作落实情况报市政府督查室和市政府办公厅对口业务处。各单位要建立工作落实台账，并分别于7月10日、10月10日和2021年1月10日前报送市政府督查室。";

    #[test]
    fn the_three_duties_of_a_task_notice_are_read_with_their_dates() {
        let d = read(NOTICE, 2020);
        assert!(d.unread.is_empty(), "{:?}", d.unread);
        assert_eq!(d.duties.len(), 3);
        let plan = &d.duties[0];
        assert_eq!(plan.kind, DutyKind::Plan);
        assert_eq!(plan.label, "项目化推进计划");
        assert_eq!(plan.recipient, "市政府督查室");
        assert_eq!(plan.dues[0].date, "2020-06-08");
        assert_eq!(plan.dues[0].time.as_deref(), Some("17:00"));
        assert_eq!(plan.line, 2);
        let monthly = d
            .duties
            .iter()
            .find(|x| x.kind == DutyKind::Monthly)
            .unwrap();
        let dates: Vec<&str> = monthly.dues.iter().map(|x| x.date.as_str()).collect();
        assert_eq!(
            dates,
            [
                "2020-06-10",
                "2020-07-10",
                "2020-08-10",
                "2020-09-10",
                "2020-10-10",
                "2020-11-10",
                "2020-12-10",
                "2021-01-10"
            ]
        );
        assert_eq!(monthly.dues[0].period, "2020-05");
        assert_eq!(monthly.recipient, "市政府督查室和市政府办公厅对口业务处");
        let ledger = d
            .duties
            .iter()
            .find(|x| x.kind == DutyKind::Ledger)
            .unwrap();
        let dates: Vec<&str> = ledger.dues.iter().map(|x| x.date.as_str()).collect();
        assert_eq!(dates, ["2020-07-10", "2020-10-10", "2021-01-10"]);
        assert_eq!(ledger.label, "工作落实台账");
    }

    #[test]
    fn another_years_notice_brings_its_own_dates() {
        let text = "各单位于3月15日前将工作方案报送区政府办公室。自4月起，每月5日前报送上月进展。";
        let d = read(text, 2021);
        assert_eq!(d.duties[0].dues[0].date, "2021-03-15");
        assert_eq!(d.duties[0].recipient, "区政府办公室");
        let monthly = &d.duties[1];
        assert_eq!(monthly.dues.first().unwrap().date, "2021-04-05");
        assert_eq!(monthly.dues.last().unwrap().date, "2021-12-05");
    }

    #[test]
    fn a_report_sentence_without_a_readable_date_is_kept_as_unread() {
        let d = read("各单位要及时将工作进展情况报送市政府督查室。", 2020);
        assert!(d.duties.is_empty());
        assert_eq!(d.unread.len(), 1);
    }

    #[test]
    fn impossible_dates_are_not_read() {
        assert!(dates_in("2月30日前报送", 2020).is_empty());
        assert_eq!(dates_in("2月29日前报送", 2020), vec![(2020, 2, 29, None)]);
    }
}
