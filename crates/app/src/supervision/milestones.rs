//! Milestones (时间节点) from an item's own words: `6月底前`, `年内`, `年底前`, `10月底前`,
//! `2022年6月底前`, `2023年2月底前`, `每季度` — each dated, citing the words it came from.
//! Words that cannot be dated are kept and flagged, never dropped.

use chrono::{Datelike, NaiveDate};

/// A milestone read from the words, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// `None` when the words could not be dated.
    pub due: Option<NaiveDate>,
    /// The fragment of the item's text around the words.
    pub text: String,
    /// The deadline words themselves.
    pub source: String,
    /// How the date was read, or why it could not be.
    pub note: String,
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// Leading ASCII digits.
fn number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 || end > 4 {
        return None;
    }
    Some((s[..end].parse().ok()?, &s[end..]))
}

/// Date deadline words written in a document dated `doc_date`.
pub fn date_words(words: &str, doc_date: NaiveDate) -> Result<(NaiveDate, String), String> {
    let w: String = words.chars().filter(|c| !c.is_whitespace()).collect();
    let year = doc_date.year();
    let (explicit, rest) = match number(&w) {
        Some((y, r)) if r.starts_with('年') && y >= 1990 => (Some(y as i32), &r[3..]),
        _ => (None, w.as_str()),
    };
    let y = explicit.unwrap_or(year);
    let year_note = |y: i32| match explicit {
        Some(_) => format!("{y}年"),
        None => format!("未写年份，按发文年份{y}年"),
    };
    if ["年底前", "年内", "年底", "年末", "年底前完成", "年底"]
        .iter()
        .any(|p| rest.starts_with(p))
    {
        let d = NaiveDate::from_ymd_opt(y, 12, 31).ok_or("日期超出范围")?;
        return Ok((d, format!("“{words}”指{}的12月31日", year_note(y))));
    }
    if rest.starts_with("上半年") {
        let d = NaiveDate::from_ymd_opt(y, 6, 30).ok_or("日期超出范围")?;
        return Ok((d, format!("“{words}”指{}的6月30日", year_note(y))));
    }
    if rest.starts_with("下半年") {
        let d = NaiveDate::from_ymd_opt(y, 12, 31).ok_or("日期超出范围")?;
        return Ok((d, format!("“{words}”指{}的12月31日", year_note(y))));
    }
    let Some((m, after)) = number(rest) else {
        return Err(format!("无法确定“{words}”对应的日期"));
    };
    let Some(after) = after.strip_prefix('月') else {
        return Err(format!("无法确定“{words}”对应的日期"));
    };
    if !(1..=12).contains(&m) {
        return Err(format!("“{words}”中的月份 {m} 无效"));
    }
    // A month before the document's own, without a year, means next year.
    let (y, rolled) = if explicit.is_none() && m < doc_date.month() {
        (year + 1, true)
    } else {
        (y, false)
    };
    let roll_note = if rolled {
        format!("；{m}月早于发文月份，按次年{}年", y)
    } else {
        String::new()
    };
    if after.starts_with('底') || after.starts_with('末') || after.starts_with("前") {
        let d = last_day(y, m).ok_or("日期超出范围")?;
        return Ok((
            d,
            format!(
                "“{words}”指{}{m}月的最后一天{roll_note}",
                if explicit.is_some() {
                    format!("{y}年")
                } else {
                    format!("{y}年（发文年份）")
                }
            ),
        ));
    }
    if let Some((day, tail)) = number(after) {
        if tail.starts_with('日') {
            let d = NaiveDate::from_ymd_opt(y, m, day)
                .ok_or_else(|| format!("“{words}”不是有效日期"))?;
            return Ok((d, format!("“{words}”指{d}{roll_note}")));
        }
    }
    Err(format!("无法确定“{words}”对应的日期"))
}

/// Where `words` occur in `text`, ignoring white space inside the text (text extracted
/// from PDF writes `6 月底前` where the reader reports `6月底前`): the byte offset of the start.
fn find_loose(text: &str, words: &str) -> Option<usize> {
    let wanted: Vec<char> = words.chars().filter(|c| !c.is_whitespace()).collect();
    let first = *wanted.first()?;
    for (start, c) in text.char_indices() {
        if c != first {
            continue;
        }
        let mut rest = text[start..].chars().filter(|c| !c.is_whitespace());
        if wanted.iter().all(|w| rest.next() == Some(*w)) {
            return Some(start);
        }
    }
    None
}

/// The fragment of `text` around `words`: from the previous clause break to the next.
pub fn fragment(text: &str, words: &str) -> String {
    let Some(at) = find_loose(text, words) else {
        return words.to_string();
    };
    let breaks = |c: char| "，,。；;：:！？\n".contains(c);
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| breaks(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let end = text[at..]
        .char_indices()
        .find(|(_, c)| breaks(*c))
        .map(|(i, _)| at + i)
        .unwrap_or(text.len());
    let s: String = text[start..end].trim().chars().take(80).collect();
    if s.is_empty() {
        words.to_string()
    } else {
        s
    }
}

/// Quarter ends after the document's date, within its year (`每季度`).
fn quarter_ends(doc_date: NaiveDate) -> Vec<NaiveDate> {
    [3, 6, 9, 12]
        .iter()
        .filter_map(|m| last_day(doc_date.year(), *m))
        .filter(|d| *d > doc_date)
        .collect()
}

/// Every milestone of an item: its deadline words (as the reader found them) and recurring
/// words in its text.
pub fn read(text: &str, deadline_words: &[String], doc_date: NaiveDate) -> Vec<Milestone> {
    let mut out = Vec::new();
    for words in deadline_words {
        let frag = fragment(text, words);
        match date_words(words, doc_date) {
            Ok((due, note)) => out.push(Milestone {
                due: Some(due),
                text: frag,
                source: words.clone(),
                note,
            }),
            Err(why) => out.push(Milestone {
                due: None,
                text: frag,
                source: words.clone(),
                note: why,
            }),
        }
    }
    for recurring in ["每季度", "每半年"] {
        if !text.contains(recurring) {
            continue;
        }
        let frag = fragment(text, recurring);
        let dates: Vec<NaiveDate> = match recurring {
            "每季度" => quarter_ends(doc_date),
            _ => [6, 12]
                .iter()
                .filter_map(|m| last_day(doc_date.year(), *m))
                .filter(|d| *d > doc_date)
                .collect(),
        };
        for d in dates {
            out.push(Milestone {
                due: Some(d),
                text: frag.clone(),
                source: recurring.to_string(),
                note: format!("“{recurring}”：发文当年剩余各期，本期截至 {d}"),
            });
        }
    }
    // `利用2年时间…`: a span of years without a start or end date.
    if let Some(at) = text.find("利用") {
        let after = &text[at + "利用".len()..];
        if let Some(end) = after.find("年时间").filter(|e| *e <= 6) {
            let words = format!("利用{}年时间", &after[..end]);
            out.push(Milestone {
                due: None,
                text: fragment(text, &words),
                source: words,
                note: "期限以“利用X年时间”表述，起止未写明，请督查室确定".into(),
            });
        }
    }
    out.sort_by_key(|m| m.due.unwrap_or(NaiveDate::MAX));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_gazettes_deadline_words_are_dated() {
        let doc = d("2020-05-26");
        let cases = [
            ("6月底前", "2020-06-30"),
            ("年内", "2020-12-31"),
            ("年底前", "2020-12-31"),
            ("10月底前", "2020-10-31"),
            ("2022年6月底前", "2022-06-30"),
            ("2023年2月底前", "2023-02-28"),
            ("2020年年底", "2020-12-31"),
            ("2021年1月10日前", "2021-01-10"),
            ("2月底前", "2021-02-28"),
        ];
        for (words, want) in cases {
            let (got, note) = date_words(words, doc).unwrap();
            assert_eq!(got, d(want), "{words}: {note}");
            assert!(note.contains(words), "{note}");
        }
    }

    #[test]
    fn words_that_cannot_be_dated_are_kept_and_flagged() {
        let ms = read(
            "利用2年时间彻底改善老旧小区人居环境，适时启动第二期",
            &["适时".to_string()],
            d("2020-05-26"),
        );
        assert_eq!(ms.len(), 2);
        assert!(ms.iter().all(|m| m.due.is_none()), "{ms:?}");
        assert!(ms.iter().any(|m| m.source == "适时"));
        assert!(ms.iter().any(|m| m.source == "利用2年时间"));
    }

    #[test]
    fn every_quarter_gives_the_remaining_quarter_ends() {
        let ms = read("每季度通报一次进展", &[], d("2020-05-26"));
        let dates: Vec<_> = ms.iter().map(|m| m.due.unwrap().to_string()).collect();
        assert_eq!(dates, ["2020-06-30", "2020-09-30", "2020-12-31"]);
        assert_eq!(ms[0].text, "每季度通报一次进展");
    }

    #[test]
    fn the_fragment_is_the_clause_around_the_words() {
        let text = "轨道交通3号线一期、4号线开通运营，6月底前轨道交通三期规划所有线路全部开工。";
        assert_eq!(
            fragment(text, "6月底前"),
            "6月底前轨道交通三期规划所有线路全部开工"
        );
        let spaced =
            "轨道交通 3 号线一期、4 号线开通运营, 6 月底前轨道交通三期规划所有线路全部开工。";
        assert_eq!(
            fragment(spaced, "6月底前"),
            "6 月底前轨道交通三期规划所有线路全部开工"
        );
    }
}
