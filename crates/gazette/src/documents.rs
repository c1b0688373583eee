//! Splitting an issue into documents (公文切分) and reading each document's header: issuer
//! (发文机关), 文号, date (成文日期), title (标题), kind (文种), recipients (主送机关) and the
//! attachment list (附件).
//!
//! A document is anchored on its 文号 line (`郑政办〔2020〕29号 2020年5月26日`, nothing else on the
//! line); its header starts at the issuer line found a few lines above (`郑州市人民政府`,
//! possibly with the title on the same line and markup debris around it). A line that merely
//! looks like an issuer (`巩义市人民政府` in a commendation list) starts nothing, because no 文号
//! line follows it. Every line belongs to the front matter or to exactly one document.

mod decree;

use crate::lines::{doc_no_line, issuer_prefix, marker};
use crate::model::Span;
use crate::text::{
    clean, full_width_brackets, is_han, is_terminal, normalize_spacing, remove_spaces,
};

/// The header of one document and where its body starts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header {
    pub doc_no: String,
    pub issuer: String,
    pub date: Option<String>,
    pub title: String,
    pub kind: String,
    pub recipients: Vec<String>,
    pub attachments: Vec<String>,
    pub span: Span,
    /// Index (0-based, into the issue's lines) of the first line after the 文号 line.
    pub body_start: usize,
    /// Indexes of the lines of the attachment list (`附件：1. …` and its numbered lines).
    pub attachment_lines: Vec<usize>,
}

/// The words a title ends with that name the document's kind (文种), longest first.
const KINDS: &[&str] = &[
    "实施细则",
    "通知",
    "意见",
    "通报",
    "办法",
    "预案",
    "规定",
    "方案",
    "决定",
    "批复",
    "公告",
    "通告",
    "命令",
    "报告",
    "纪要",
    "细则",
    "规划",
    "措施",
    "决议",
    "答复",
    "条例",
    "规则",
    "函",
];

/// How many non-blank lines above a 文号 line the header may start.
const HEADER_LOOKBACK: usize = 6;

/// Split the issue's lines into document headers. Spans are disjoint, in order, and cover
/// every line from the first header to the end.
#[cfg(test)]
pub(crate) fn split(lines: &[&str]) -> Vec<Header> {
    let flags = |word: &str| -> Vec<bool> { lines.iter().map(|l| l.contains(word)).collect() };
    split_with(lines, &flags("号"), &flags("附"))
}

/// [`split`], told which lines hold 号 (`with_hao`) and 附 (`with_fu`), one flag per line:
/// the caller finds them with one search over the whole text instead of one per line.
pub(crate) fn split_with(lines: &[&str], with_hao: &[bool], with_fu: &[bool]) -> Vec<Header> {
    let mut headers: Vec<Header> = Vec::new();
    let mut floor = 0usize; // lines below this index belong to the previous document's header
    for (i, line) in lines.iter().enumerate() {
        // Cheap pre-check: a 文号 line contains 号 and a bracket; most lines don't.
        if !with_hao[i] {
            continue;
        }
        let Some((doc_no, date)) = doc_no_line(line) else {
            if let Some(header) = decree_header(lines, i, floor) {
                floor = header.body_start;
                start_document(&mut headers, header);
            }
            continue;
        };
        let Some((start, issuer, title)) = header_above(lines, i, floor) else {
            continue;
        };
        let mut body_start = i + 1;
        let mut date = date;
        // The date may stand on its own line right below the 文号 (or below the title).
        take_date_line(lines, &mut body_start, &mut date);
        // Red-header style: issuer, 文号, then the title below.
        let title = if title.is_empty() {
            match title_below(lines, body_start) {
                Some((t, end)) => {
                    body_start = end;
                    take_date_line(lines, &mut body_start, &mut date);
                    t
                }
                None => continue,
            }
        } else {
            title
        };
        floor = body_start;
        let mut header = Header {
            kind: kind_of(&title),
            doc_no,
            issuer,
            date,
            title,
            span: Span {
                first_line: start + 1,
                last_line: 0,
            },
            body_start,
            ..Header::default()
        };
        header.recipients = recipients(lines, body_start);
        start_document(&mut headers, header);
    }
    if let Some(last) = headers.last_mut() {
        last.span.last_line = lines.len();
    }
    for header in &mut headers {
        let first = header.body_start;
        let last = header.span.last_line; // 1-based inclusive == 0-based exclusive
        if header.date.is_none() {
            let body = &lines[first.min(last)..last];
            header.date = signed_date(body, &header.issuer).or_else(|| signature_date(body));
        }
        let (attachments, attachment_lines) = attachments(lines, with_fu, first, last);
        header.attachments = attachments;
        header.attachment_lines = attachment_lines;
    }
    headers
}

/// End the previous document on the line before `header`'s first and add `header`.
fn start_document(headers: &mut Vec<Header>, header: Header) {
    if let Some(prev) = headers.last_mut() {
        prev.span.last_line = header.span.first_line - 1;
    }
    headers.push(header);
}

/// The header of a decree whose number stands on line `at` ([`decree`]).
fn decree_header(lines: &[&str], at: usize, floor: usize) -> Option<Header> {
    let found = decree::decree_at(lines, at, floor)?;
    let body_start = at + 1;
    let (title, date) = decree::title_and_date(lines, body_start);
    Some(Header {
        kind: kind_of(&title),
        doc_no: found.doc_no,
        issuer: found.issuer,
        date,
        title,
        span: Span {
            first_line: found.start + 1,
            last_line: 0,
        },
        body_start,
        ..Header::default()
    })
}

/// Find the header start above the 文号 line at `anchor`: the nearest issuer line within
/// [`HEADER_LOOKBACK`] non-blank lines, or else the title lines right above. Returns the start
/// index, the issuer and the title.
fn header_above(lines: &[&str], anchor: usize, floor: usize) -> Option<(usize, String, String)> {
    let mut candidates: Vec<usize> = Vec::new();
    let mut i = anchor;
    while i > floor && candidates.len() < HEADER_LOOKBACK {
        i -= 1;
        let t = clean(lines[i]);
        if t.is_empty() {
            continue;
        }
        if t.ends_with(is_terminal) && !t.ends_with('：') {
            break;
        }
        candidates.push(i);
        if let Some((issuer, rest)) = issuer_prefix(lines[i]) {
            let mut title = rest;
            for &j in candidates.iter().rev().skip(1) {
                title.push(' ');
                title.push_str(clean(lines[j]));
            }
            return Some((i, issuer, normalize_spacing(&title).into_owned()));
        }
    }
    // No issuer line: the header is the title lines right above (at most 3, each short and
    // without a full stop).
    let title_lines: Vec<usize> = candidates
        .iter()
        .copied()
        .take(3)
        .take_while(|&j| {
            let t = clean(lines[j]);
            !t.contains("。") && t.chars().count() <= 60 && marker(t).is_none()
        })
        .collect();
    let start = *title_lines.last()?;
    let mut title = String::new();
    for &j in title_lines.iter().rev() {
        title.push(' ');
        title.push_str(clean(lines[j]));
    }
    let title = normalize_spacing(&title).into_owned();
    let looks_like_title = title.contains("关于") || KINDS.iter().any(|k| title.ends_with(k));
    looks_like_title.then(|| (start, String::new(), title))
}

/// If the next non-blank line is a date alone, take it as the document's date.
fn take_date_line(lines: &[&str], body_start: &mut usize, date: &mut Option<String>) {
    if date.is_some() {
        return;
    }
    let Some(j) = next_non_blank(lines, *body_start) else {
        return;
    };
    if let Some((d, rest)) = crate::lines::cn_date(clean(lines[j])) {
        if rest.trim().is_empty() {
            *date = Some(d);
            *body_start = j + 1;
        }
    }
}

fn next_non_blank(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| !clean(lines[j]).is_empty())
}

/// A title written below the 文号 line (red-header style): up to three short lines without a
/// full stop, before the recipients line. Returns the title and the index after it.
fn title_below(lines: &[&str], from: usize) -> Option<(String, usize)> {
    let mut title = String::new();
    let mut end = from;
    let mut taken = 0;
    let mut j = from;
    while j < lines.len() && taken < 3 {
        let t = clean(lines[j]);
        j += 1;
        if t.is_empty() {
            continue;
        }
        if t.contains("。") || t.ends_with('：') || t.ends_with(':') || marker(t).is_some() {
            break;
        }
        title.push(' ');
        title.push_str(t);
        taken += 1;
        end = j;
        if KINDS.iter().any(|k| t.ends_with(k)) {
            break;
        }
    }
    let title = normalize_spacing(&title).into_owned();
    let looks_like_title = title.contains("关于") || KINDS.iter().any(|k| title.ends_with(k));
    looks_like_title.then_some((title, end))
}

/// The document's kind (文种) from the end of its title.
pub(crate) fn kind_of(title: &str) -> String {
    let t = title.trim_end_matches(|c: char| c.is_whitespace() || is_terminal(c) || c == '*');
    KINDS
        .iter()
        .find(|k| t.ends_with(*k))
        .map(|k| k.to_string())
        .unwrap_or_default()
}

/// 主送机关: the first non-blank line after the 文号 line, if it ends with a colon.
fn recipients(lines: &[&str], from: usize) -> Vec<String> {
    let Some(line) = lines[from..]
        .iter()
        .map(|l| clean(l))
        .find(|l| !l.is_empty())
    else {
        return Vec::new();
    };
    let Some(list) = line.strip_suffix('：').or_else(|| line.strip_suffix(':')) else {
        return Vec::new();
    };
    if list.chars().count() > 120 {
        return Vec::new();
    }
    split_top_level(list, &['，', ',', '、', '；', ';'])
        .into_iter()
        .map(|s| full_width_brackets(&remove_spaces(s)).into_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Split on separators that are not inside brackets.
pub(crate) fn split_top_level<'a>(s: &'a str, separators: &[char]) -> Vec<&'a str> {
    // Room for a usual list at once (the first push would allocate four, then grow).
    let mut parts = Vec::with_capacity(8);
    let mut depth = 0i32;
    let mut start = 0;
    // Ideographs U+4000–U+9FFF (lead bytes `E4`–`E9`) are neither brackets nor, unless the
    // caller says so, separators: they are stepped over without decoding.
    let skip_ideographs = !separators
        .iter()
        .any(|c| ('\u{4000}'..='\u{9FFF}').contains(c));
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if skip_ideographs && (0xE4..=0xE9).contains(&b[i]) {
            i += 3;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let at = i;
        i += c.len_utf8();
        match c {
            '（' | '(' | '〔' | '[' | '【' | '［' | '《' | '“' => depth += 1,
            '）' | ')' | '〕' | ']' | '】' | '］' | '》' | '”' => depth = (depth - 1).max(0),
            c if depth == 0 && separators.contains(&c) => {
                parts.push(&s[start..at]);
                start = i;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// The attachment list of the notice: `附件：名单` or `附件：1. A` followed by `2. B` lines.
/// Returns the titles and the indexes of the lines that hold the list.
/// `with_fu` flags the lines that hold 附.
fn attachments(
    lines: &[&str],
    with_fu: &[bool],
    first: usize,
    last: usize,
) -> (Vec<String>, Vec<usize>) {
    let mut titles = Vec::new();
    let mut used = Vec::new();
    let mut i = first;
    while i < last {
        // A cheap test first: the list opens with 附件.
        if !with_fu[i] {
            i += 1;
            continue;
        }
        let t = clean(lines[i]).trim_start_matches(['-', '•', '·', ' ']);
        let compact = t.trim_start();
        let rest = compact
            .strip_prefix("附件")
            .or_else(|| compact.strip_prefix("附 件"))
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('：').or_else(|| r.strip_prefix(':')));
        let Some(rest) = rest else {
            i += 1;
            continue;
        };
        used.push(i);
        let rest = rest.trim();
        if !rest.is_empty() {
            titles.push(strip_list_number(rest));
        }
        // Numbered continuation lines: `2. 健康郑州行动监测评估和考核方案`.
        let mut j = i + 1;
        while j < last {
            let t = clean(lines[j]);
            if t.is_empty() {
                j += 1;
                continue;
            }
            match marker(t) {
                Some(m)
                    if m.kind == crate::lines::MarkerKind::Arabic
                        && m.number as usize == titles.len() + 1
                        && !m.rest.is_empty() =>
                {
                    titles.push(normalize_spacing(m.rest).into_owned());
                    used.push(j);
                    j += 1;
                }
                _ => break,
            }
        }
        break;
    }
    (titles, used)
}

fn strip_list_number(s: &str) -> String {
    match marker(s) {
        Some(m) if m.kind == crate::lines::MarkerKind::Arabic && !m.rest.is_empty() => {
            normalize_spacing(m.rest).into_owned()
        }
        _ => normalize_spacing(s).into_owned(),
    }
}

/// The date under the document's own signature (落款): the first date standing alone on its line
/// right below a line that names the issuer (`国务院办公厅`, `国务院　中央军委`). A 印发 or 转发
/// notice signs before the attached document, and the attachment's own dates come later.
fn signed_date(lines: &[&str], issuer: &str) -> Option<String> {
    // The issuer's characters only: spaces, `、`, markup and entity debris left by a web page
    // (`国务院办公厅         &sp;`) do not hide a signature.
    let key = |s: &str| -> String { s.chars().filter(|&c| is_han(c)).collect() };
    let issuer = key(issuer);
    if issuer.is_empty() {
        return None;
    }
    let mut previous: Option<&str> = None;
    for line in lines {
        let t = clean(line);
        if t.is_empty() {
            continue;
        }
        if previous.is_some_and(|p| key(p) == issuer) && t.chars().count() <= 20 {
            if let Some((d, rest)) = crate::lines::cn_date(t) {
                if rest.trim().is_empty() {
                    return Some(d);
                }
            }
        }
        previous = Some(t);
    }
    None
}

/// A date line at the end of a document (落款日期), used when the 文号 line has no date.
fn signature_date(lines: &[&str]) -> Option<String> {
    lines.iter().rev().take(40).find_map(|l| {
        let t = clean(l);
        if t.chars().count() > 20 {
            return None;
        }
        crate::lines::cn_date(t)
            .filter(|(_, rest)| rest.trim().is_empty())
            .map(|(d, _)| d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character split `split_top_level` replaced.
    fn split_by_chars<'a>(s: &'a str, separators: &[char]) -> Vec<&'a str> {
        let mut parts = Vec::new();
        let mut depth = 0i32;
        let mut start = 0;
        for (i, c) in s.char_indices() {
            match c {
                '（' | '(' | '〔' | '[' | '【' | '［' | '《' | '“' => depth += 1,
                '）' | ')' | '〕' | ']' | '】' | '］' | '》' | '”' => {
                    depth = (depth - 1).max(0)
                }
                c if depth == 0 && separators.contains(&c) => {
                    parts.push(&s[start..i]);
                    start = i + c.len_utf8();
                }
                _ => {}
            }
        }
        parts.push(&s[start..]);
        parts
    }

    #[test]
    fn top_level_split_steps_over_ideographs_as_the_char_split_does() {
        let seps: &[&[char]] = &[&['、', '，', ',', '；', ';'], &['，', '、'], &['和', '、']];
        let seed = include_str!("../../../data/gazette/zhengzhou-2020-gazette.txt");
        let odd = [
            "",
            "、",
            "（、）、",
            "a,b;c",
            "《甲、乙》、丙",
            "“甲，乙”，丙",
            "甲和乙、丙",
        ];
        for s in seed.lines().chain(odd) {
            for sep in seps {
                assert_eq!(split_top_level(s, sep), split_by_chars(s, sep), "{s}");
            }
        }
    }

    #[test]
    fn red_header_style_with_title_and_date_below_the_number() {
        let text = "开封市人民政府文件\n\n汴政〔2022〕12号\n\n关于加强某项工作的\n意见\n\n2022年3月4日\n\n各区人民政府：\n\n正文。";
        let lines: Vec<&str> = text.lines().collect();
        let headers = split(&lines);
        assert_eq!(headers.len(), 1);
        let h = &headers[0];
        assert_eq!(h.issuer, "开封市人民政府");
        assert_eq!(h.title, "关于加强某项工作的意见");
        assert_eq!(h.kind, "意见");
        assert_eq!(h.date.as_deref(), Some("2022-03-04"));
        assert_eq!(h.recipients, vec!["各区人民政府"]);
        assert_eq!(h.span.first_line, 1);
    }

    #[test]
    fn a_reply_to_a_proposal_names_its_issuer_before_its_title() {
        let text = "国务院办公厅对全国政协十届四次会议\n\n第4626号提案的答复\n\n国办函〔2006〕82号\n\n王超斌委员：\n\n您提出的提案收悉。\n\n国务院办公厅\n\n二〇〇六年十月十八日\n\n（本文有删减）";
        let lines: Vec<&str> = text.lines().collect();
        let headers = split(&lines);
        assert_eq!(headers.len(), 1);
        let h = &headers[0];
        assert_eq!(h.doc_no, "国办函〔2006〕82号");
        assert_eq!(h.issuer, "国务院办公厅");
        assert_eq!(h.title, "对全国政协十届四次会议第4626号提案的答复");
        assert_eq!(h.kind, "答复");
        assert_eq!(h.date.as_deref(), Some("2006-10-18"));
        // Entity debris after the signature (a web page's `&sp;`) does not hide it.
        let text = text.replace("\n\n国务院办公厅\n", "\n\n国务院办公厅         &sp;\n")
            + "\n\n附件\n\n某局关于某事的报告\n\n某局\n\n二〇〇六年五月一日";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(split(&lines)[0].date.as_deref(), Some("2006-10-18"));
        // An issuer whose own name starts with 对 is not cut at it.
        assert_eq!(
            crate::lines::issuer_prefix("对外贸易经济合作部关于加强管理的通知").map(|(i, _)| i),
            None
        );
    }

    #[test]
    fn a_decree_after_a_notice_is_a_document_of_its_own() {
        let text = "郑州市人民政府\n关于某项工作的通知\n郑政〔2020〕1号 2020年1月2日\n\n正文。\n\n郑州市人民政府令\n\n第235号\n\n《郑州市某某管理办法》已经市人民政府常务会议审议通过，现予公布，自2020年3月1日起施行。\n\n市长　　某某\n\n2020年1月20日\n\n郑州市某某管理办法\n\n第一条　为了规范管理，制定本办法。";
        let lines: Vec<&str> = text.lines().collect();
        let headers = split(&lines);
        assert_eq!(headers.len(), 2);
        assert_eq!(headers[0].span.last_line, 6);
        let d = &headers[1];
        assert_eq!(d.doc_no, "郑州市人民政府令第235号");
        assert_eq!(d.issuer, "郑州市人民政府");
        assert_eq!(d.title, "郑州市某某管理办法");
        assert_eq!(d.kind, "办法");
        assert_eq!(d.date.as_deref(), Some("2020-01-20"));
        assert_eq!(d.span.first_line, 7);
        assert_eq!(d.span.last_line, lines.len());
    }

    #[test]
    fn a_number_line_without_a_title_starts_nothing() {
        let text = "巩义市人民政府\n郑政办〔2020〕9号\n正文。";
        let lines: Vec<&str> = text.lines().collect();
        assert!(split(&lines).is_empty());
    }

    #[test]
    fn kinds_from_titles() {
        assert_eq!(kind_of("关于印发健康郑州行动实施方案的通知"), "通知");
        assert_eq!(kind_of("关于进一步加强食品药品安全监管工作的意见"), "意见");
        assert_eq!(kind_of("某某"), "");
    }

    #[test]
    fn top_level_split_keeps_brackets() {
        assert_eq!(
            split_top_level("各县（市、区）人民政府，市人民政府各部门", &['，', '、']),
            vec!["各县（市、区）人民政府", "市人民政府各部门"]
        );
    }

    #[test]
    fn splits_an_invented_issue() {
        let text = "目 录\n\n洛阳市人民政府\n\n关于印发某某办法的\n通知\n\n洛政〔2021〕7号\n\n各县（市、区）人民政府，市人民政府各部门：\n\n正文。\n\n附件：1. 甲名单\n2. 乙方案\n\n偃师区人民政府\n\n洛阳市人民政府办公厅 关于某事的意见\n\n洛政办〔2021〕8号 2021年3月2日\n\n正文。\n";
        let lines: Vec<&str> = text.lines().collect();
        let headers = split(&lines);
        assert_eq!(headers.len(), 2);
        let a = &headers[0];
        assert_eq!(a.doc_no, "洛政〔2021〕7号");
        assert_eq!(a.issuer, "洛阳市人民政府");
        assert_eq!(a.title, "关于印发某某办法的通知");
        assert_eq!(a.kind, "通知");
        assert_eq!(a.span.first_line, 3);
        assert_eq!(
            a.recipients,
            vec!["各县（市、区）人民政府", "市人民政府各部门"]
        );
        assert_eq!(a.attachments, vec!["甲名单", "乙方案"]);
        let b = &headers[1];
        assert_eq!(a.span.last_line + 1, b.span.first_line);
        assert_eq!(b.span.first_line, 19);
        assert_eq!(b.date.as_deref(), Some("2021-03-02"));
        assert_eq!(b.span.last_line, lines.len());
    }
}
