//! Line classification (行识别): what one source line is — a clause marker (`一、`, `（一）`,
//! `1.`, `（1）`, `第X章`, `第X条`, `附件N`), a document-number line (`郑政办〔2020〕29号
//! 2020年5月26日`), an issuer line, an owner line (`责任单位：…`). Hand-written scanners, no
//! regex, so one pass over the text stays fast.

use crate::text::{clean, fold_char, is_han, is_space, trim};

/// The kinds of clause marker, in the order documents usually nest them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    /// `附件1`, `附 件` on a line of its own.
    Attachment,
    /// `第一章`.
    Chapter,
    /// `第一条`.
    Article,
    /// `一、`.
    Top,
    /// `（一）` or `(一)`.
    Paren,
    /// `1.` `1．` `1、`.
    Arabic,
    /// `（1）` or `(1)`.
    ParenArabic,
    /// `①` … `⑳`.
    Circled,
    /// `一是`, `二是` opening a line (a paragraph of enumerated measures).
    Ordinal,
    /// A restart of numbering (an attached document inside the body); synthetic.
    Part,
}

/// A clause marker found at the start of a line; borrows the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker<'a> {
    pub kind: MarkerKind,
    pub number: u32,
    /// The marker as it stands in the line, inner spaces included (`( 二 )`, `1.`).
    pub raw: &'a str,
    /// The text after the marker, trimmed.
    pub rest: &'a str,
}

impl Marker<'_> {
    /// The marker as written, spaces removed (`(二)`, `1.`, `附件1`).
    pub fn written(&self) -> String {
        let mut out = String::with_capacity(self.raw.len());
        out.extend(self.raw.chars().filter(|&c| !is_space(c)));
        out
    }

    /// The marker in citation form (`（二）`, `1.`, `第七条`, `附件1`, `附件`).
    pub fn normalized(&self) -> String {
        let bracketed = || -> String {
            let mut out = String::with_capacity(self.raw.len() + 6);
            out.push('（');
            out.extend(
                self.raw
                    .chars()
                    .filter(|c| !c.is_whitespace() && !matches!(c, '(' | '（' | ')' | '）'))
                    .map(fold_char),
            );
            out.push('）');
            out
        };
        match self.kind {
            MarkerKind::Attachment if self.raw.chars().any(|c| fold_char(c).is_ascii_digit()) => {
                let mut out = String::with_capacity(16);
                out.push_str("附件");
                push_decimal(&mut out, self.number);
                out
            }
            MarkerKind::Attachment => "附件".to_string(),
            MarkerKind::Paren | MarkerKind::ParenArabic => bracketed(),
            MarkerKind::Arabic => {
                let mut out = String::with_capacity(11);
                push_decimal(&mut out, self.number);
                out.push('.');
                out
            }
            _ => self.written(),
        }
    }
}

/// Append `n` in decimal digits (what `format!("{n}")` writes, without the formatter).
fn push_decimal(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// Value of a Chinese numeral (`一` … `九十九`, `一百零五`, with `〇`/`零`/`两`).
pub(crate) fn cn_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let mut total = 0u32;
    let mut current = 0u32;
    let mut seen = false;
    for c in s.chars() {
        let digit = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = digit {
            current = d;
            seen = true;
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        let n = if current == 0 && !seen {
            1
        } else {
            current.max(1)
        };
        total += n * unit;
        current = 0;
        seen = false;
    }
    Some(total + current)
}

/// A Chinese numeral character (`一`…`十`, `两`, `百`, `千`, `零`, `〇`).
pub(crate) fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
    )
}

/// Parse the clause marker at the start of a line, if any. Lines with tabs (table rows) never
/// carry markers.
pub(crate) fn marker(line: &str) -> Option<Marker<'_>> {
    // Parsing fails fast for most candidates; only a marker found is checked for a tab.
    marker_ignoring_tabs(line).filter(|_| !crate::words::has_char(line, '\t'))
}

/// The clause marker the line would carry if it held no tab: [`marker`] without its tab test,
/// for readers that know already whether the line holds a tab (or that it holds none).
pub(crate) fn marker_ignoring_tabs(line: &str) -> Option<Marker<'_>> {
    let t = clean(line);
    // Dispatch on the first character: most lines start with none of these, and only the
    // markers found are scanned for a tab.
    let parse: fn(&str) -> Option<Marker<'_>> = match t.chars().next()? {
        '附' => attachment_marker,
        '第' => article_marker,
        '（' | '(' => paren_marker,
        c if fold_char(c).is_ascii_digit() => arabic_marker,
        '\u{2460}'..='\u{2473}' => circled_marker,
        c if is_cn_digit(c) => |t| top_marker(t).or_else(|| ordinal_marker(t)),
        _ => return None,
    };
    parse(t)
}

/// `附件1`, `附件 2`, `附 件` alone on a line.
fn attachment_marker(t: &str) -> Option<Marker<'_>> {
    let mut chars = t.chars().filter(|c| !c.is_whitespace());
    if chars.next() != Some('附') || chars.next() != Some('件') {
        return None;
    }
    let mut number = 0u32;
    let mut digits = 0;
    for c in chars {
        let d = fold_char(c).to_digit(10)?;
        digits += 1;
        if digits > 3 {
            return None;
        }
        number = number * 10 + d;
    }
    Some(Marker {
        kind: MarkerKind::Attachment,
        number: if digits == 0 { 1 } else { number },
        raw: t,
        rest: "",
    })
}

/// `第一章 总则`, `第七条 …`.
fn article_marker(t: &str) -> Option<Marker<'_>> {
    let rest = t.strip_prefix('第')?;
    let end = rest.find(|c: char| !is_cn_digit(c))?;
    if end == 0 {
        return None;
    }
    let after = &rest[end..];
    let kind = match after.chars().next()? {
        '章' => MarkerKind::Chapter,
        '条' => MarkerKind::Article,
        _ => return None,
    };
    let number = cn_number(&rest[..end])?;
    let raw_len = '第'.len_utf8() + end + '章'.len_utf8();
    Some(Marker {
        kind,
        number,
        raw: &t[..raw_len],
        rest: clean(&t[raw_len..]),
    })
}

/// `一、指导思想`.
fn top_marker(t: &str) -> Option<Marker<'_>> {
    let end = t.find(|c: char| !is_cn_digit(c))?;
    if end == 0 || end > 9 {
        return None;
    }
    let tail = t[end..].strip_prefix('、')?;
    let number = cn_number(&t[..end])?;
    Some(Marker {
        kind: MarkerKind::Top,
        number,
        raw: &t[..end + '、'.len_utf8()],
        rest: clean(tail),
    })
}

/// `①` … `⑳` (U+2460–U+2473).
fn circled_marker(t: &str) -> Option<Marker<'_>> {
    let c = t.chars().next()?;
    let number = c as u32 - 0x2460 + 1;
    let len = c.len_utf8();
    Some(Marker {
        kind: MarkerKind::Circled,
        number,
        raw: &t[..len],
        rest: clean(&t[len..]),
    })
}

/// `一是…`, `二是…` at the start of a line (up to `十九是`).
fn ordinal_marker(t: &str) -> Option<Marker<'_>> {
    let end = t.find(|c: char| !is_cn_digit(c))?;
    if end == 0 || end > 9 {
        return None;
    }
    let tail = t[end..].strip_prefix('是')?;
    let number = cn_number(&t[..end]).filter(|n| (1..20).contains(n))?;
    if tail.trim().is_empty() {
        return None;
    }
    Some(Marker {
        kind: MarkerKind::Ordinal,
        number,
        raw: &t[..end + '是'.len_utf8()],
        rest: clean(tail),
    })
}

/// `（一）`, `(一)`, `（1）`, `(1)`, with optional spaces inside.
fn paren_marker(t: &str) -> Option<Marker<'_>> {
    let open_len = t.chars().next()?.len_utf8();
    let inner = &t[open_len..];
    let close = inner.find(['）', ')'])?;
    let numeral = inner[..close].trim();
    let count = numeral.chars().count();
    if count == 0 || count > 4 || numeral.contains(char::is_whitespace) {
        return None;
    }
    let (kind, number) = if numeral.chars().all(is_cn_digit) {
        (MarkerKind::Paren, cn_number(numeral)?)
    } else if numeral.chars().all(|c| fold_char(c).is_ascii_digit()) {
        let digits: String = numeral.chars().map(fold_char).collect();
        (MarkerKind::ParenArabic, digits.parse().ok()?)
    } else {
        return None;
    };
    let raw_len = open_len + close + inner[close..].chars().next()?.len_utf8();
    Some(Marker {
        kind,
        number,
        raw: &t[..raw_len],
        rest: clean(&t[raw_len..]),
    })
}

/// `1.`, `1．`, `1、`, or with a space before the stop as PDF extraction writes it (`1 .`), not
/// followed by another digit (`2.11万亿元` is not a marker).
fn arabic_marker(t: &str) -> Option<Marker<'_>> {
    let digits = t.find(|c: char| !fold_char(c).is_ascii_digit())?;
    if digits == 0 || digits > 9 {
        return None;
    }
    let after = &t[digits..];
    let spaced = after.len() - after.trim_start_matches(' ').len();
    let after = match &after[spaced..] {
        rest if spaced > 0 && rest.starts_with(['.', '．', '、']) => rest,
        _ => after,
    };
    let end = t.len() - after.len();
    let sep = after.chars().next()?;
    if !matches!(sep, '.' | '．' | '、') {
        return None;
    }
    let tail = &after[sep.len_utf8()..];
    if tail
        .chars()
        .next()
        .is_some_and(|c| fold_char(c).is_ascii_digit())
    {
        return None;
    }
    let number = t[..digits].chars().try_fold(0u32, |n, c| {
        Some(n.checked_mul(10)? + fold_char(c).to_digit(10)?)
    })?;
    Some(Marker {
        kind: MarkerKind::Arabic,
        number,
        raw: &t[..end + sep.len_utf8()],
        rest: clean(tail),
    })
}

/// Owner keys on their own line (`责任领导：`, `牵头单位：` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OwnerKey {
    /// 责任领导.
    Leader,
    /// 牵头单位.
    Lead,
    /// 责任单位 / 成员单位.
    Responsible,
    /// 配合单位 / 协办单位.
    Assisting,
}

pub(crate) const OWNER_KEYS: &[(&str, OwnerKey)] = &[
    ("责任领导", OwnerKey::Leader),
    ("牵头领导", OwnerKey::Leader),
    ("分管领导", OwnerKey::Leader),
    ("牵头市领导", OwnerKey::Leader),
    ("责任市领导", OwnerKey::Leader),
    ("牵头县领导", OwnerKey::Leader),
    ("责任县领导", OwnerKey::Leader),
    ("牵头区领导", OwnerKey::Leader),
    ("责任区领导", OwnerKey::Leader),
    ("牵头省领导", OwnerKey::Leader),
    ("责任省领导", OwnerKey::Leader),
    ("牵头单位", OwnerKey::Lead),
    ("责任单位", OwnerKey::Responsible),
    ("成员单位", OwnerKey::Responsible),
    ("配合单位", OwnerKey::Assisting),
    ("协办单位", OwnerKey::Assisting),
];

/// First characters of the owner keys (a cheap test before the table is searched).
fn may_start_owner_key(c: char) -> bool {
    matches!(c, '责' | '牵' | '成' | '配' | '协' | '分')
}

/// Every character of the owner keys: a line that reaches another before its colon names no
/// key, and is left at that character rather than read to its sixth.
fn in_owner_key(c: char) -> bool {
    matches!(
        c,
        '责' | '任'
            | '领'
            | '导'
            | '牵'
            | '头'
            | '分'
            | '管'
            | '市'
            | '县'
            | '区'
            | '省'
            | '单'
            | '位'
            | '成'
            | '员'
            | '配'
            | '合'
            | '协'
            | '办'
    )
}

/// If the text starts with an owner key and a colon, the key and the text after the colon.
/// Spaces inside the key (`牵 头 单 位：`, PDF extraction) are ignored; the colon may be `：`,
/// `:` or `∶`.
pub(crate) fn owner_key(text: &str) -> Option<(OwnerKey, &str)> {
    let t = clean(text);
    if !t.chars().next().is_some_and(may_start_owner_key) {
        return None;
    }
    // The key: up to six characters (spaces skipped) before a colon, gathered on the stack.
    let mut key = [0u8; 24];
    let (mut len, mut count) = (0, 0);
    for (i, c) in t.char_indices() {
        if matches!(c, '：' | ':' | '∶') {
            let key = &key[..len];
            let (_, owner) = OWNER_KEYS.iter().find(|(w, _)| w.as_bytes() == key)?;
            return Some((*owner, trim(&t[i + c.len_utf8()..])));
        }
        if is_space(c) {
            continue;
        }
        if count >= 6 || !in_owner_key(c) {
            return None;
        }
        len += c.encode_utf8(&mut key[len..]).len();
        count += 1;
    }
    None
}

/// A document-number line: `郑政办〔2020〕29号 2020年5月26日` (the date is optional). Returns
/// the 文号 and the ISO date, if present. The line must hold nothing else.
pub(crate) fn doc_no_line(line: &str) -> Option<(String, Option<String>)> {
    let t = clean(line);
    let (doc_no, rest) = doc_no_prefix(t)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Some((doc_no, None));
    }
    let date = cn_date(rest)?;
    if date.1.trim().is_empty() {
        Some((doc_no, Some(date.0)))
    } else {
        None
    }
}

/// A 文号 at the start of `t`: 1–12 Chinese characters, an opening bracket (`〔[［(（【`), a
/// four-digit year, the closing bracket, a number and `号`. Returns it normalised to `〔〕`.
pub(crate) fn doc_no_prefix(t: &str) -> Option<(String, &str)> {
    // The bracket closes an agency of at most 12 characters: only the first 13 are looked at,
    // so a long line of prose is not decoded to its end.
    let (open, _) = t
        .char_indices()
        .take(13)
        .find(|(_, c)| matches!(c, '〔' | '[' | '［' | '(' | '（' | '【'))?;
    let agency = &t[..open];
    let agency_chars = agency.chars().count();
    if agency_chars == 0 || agency_chars > 12 || !agency.chars().all(is_han) {
        return None;
    }
    let after_open = &t[open..];
    let open_len = after_open.chars().next()?.len_utf8();
    let after_open = &after_open[open_len..];
    let year: String = after_open.chars().take(4).map(fold_char).collect();
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year_bytes: usize = after_open.chars().take(4).map(char::len_utf8).sum();
    let after_year = &after_open[year_bytes..];
    let close = after_year.chars().next()?;
    if !matches!(close, '〕' | ']' | '］' | ')' | '）' | '】') {
        return None;
    }
    let after_close = &after_year[close.len_utf8()..];
    let num_end = after_close
        .find(|c: char| !fold_char(c).is_ascii_digit())
        .unwrap_or(after_close.len());
    if num_end == 0 || num_end > 12 {
        return None;
    }
    let number: String = after_close[..num_end].chars().map(fold_char).collect();
    let rest = after_close[num_end..].strip_prefix('号')?;
    Some((format!("{agency}〔{year}〕{number}号"), rest))
}

/// A date at the start of `s`: `2020年5月15日`, `2020 年 5 月 15 日` or `二〇二〇年五月十五日`.
/// Returns the ISO date and the rest of the text.
pub(crate) fn cn_date(s: &str) -> Option<(String, &str)> {
    let mut parts = [0u32; 3];
    let mut rest = s.trim_start();
    for (i, unit) in ['年', '月', '日'].iter().enumerate() {
        let end = rest.find(*unit)?;
        let raw: String = rest[..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(fold_char)
            .collect();
        if raw.is_empty() || raw.chars().count() > 4 {
            return None;
        }
        let value = if raw.chars().all(|c| c.is_ascii_digit()) {
            raw.parse().ok()?
        } else if i == 0 && raw.chars().all(is_cn_digit) {
            // 二〇二〇: digit by digit.
            raw.chars().try_fold(0u32, |acc, c| {
                cn_number(&c.to_string()).map(|d| acc * 10 + d)
            })?
        } else if raw.chars().all(is_cn_digit) {
            cn_number(&raw)?
        } else {
            return None;
        };
        parts[i] = value;
        rest = rest[end + unit.len_utf8()..].trim_start();
    }
    let [y, m, d] = parts;
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some((format!("{y:04}-{m:02}-{d:02}"), rest))
}

/// National issuers whose names are too short or too unlike a city's to be found by their
/// ending (`国务院关于…`, `国务院、中央军委关于…`).
const NATIONAL_ISSUERS: &[&str] = &[
    "国务院办公厅",
    "国务院",
    "中共中央办公厅",
    "中共中央",
    "中央军委办公厅",
    "中央军委",
    "全国人大常委会",
];

/// One issuer or several written together (`国务院办公厅、中央军委办公厅`, `国务院　中央军委`),
/// followed by a title that starts with one of [`TITLE_STARTS`] or by nothing. Each part is a national
/// issuer or reads as an issuer by itself. Returns the issuers joined with `、` and the title.
fn joint_issuer_prefix(t: &str) -> Option<(String, String)> {
    // Every national issuer holds 国 or 中: a line without either names none.
    if !t.contains(['国', '中']) {
        return None;
    }
    // Without a title on the line, the whole line must name the issuers (the title follows).
    let at = TITLE_STARTS
        .iter()
        .filter_map(|w| t.find(w))
        .min()
        .unwrap_or(t.len());
    issuers_before(t, at).or_else(|| {
        // A reply's title: `国务院办公厅对…提案的答复` (the 对 of a name such as 对外贸易… is
        // part of an issuer only, so it is tried last and never at the line's start).
        let at = t.find(REPLY_START).filter(|&at| at > 0)?;
        issuers_before(t, at)
    })
}

/// The issuers written in `t[..at]`, if they are all issuers and one of them national, with the
/// title from `at` on.
fn issuers_before(t: &str, at: usize) -> Option<(String, String)> {
    if at == 0 {
        return None;
    }
    let head = &t[..at];
    let parts: Vec<&str> = head
        .split(|c: char| c == '、' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let national = |p: &str| NATIONAL_ISSUERS.contains(&p);
    if !parts.iter().any(|p| national(p)) {
        return None;
    }
    let known = |p: &str| {
        national(p)
            || matches!(issuer_prefix(p), Some((body, rest)) if body == p && rest.is_empty())
    };
    parts
        .iter()
        .all(|p| known(p))
        .then(|| (parts.join("、"), t[at..].trim().to_string()))
}

/// Endings of an issuing body's name other than a government (`郑州市教育局`,
/// `郑州市发展和改革委员会`), tried when no `人民政府` issuer is found.
const BODY_ENDINGS: &[&str] = &["委员会", "办公厅", "办公室", "管委会", "局", "厅", "委"];

/// Words a title starts with when it shares the issuer's line.
const TITLE_STARTS: &[&str] = &["关于", "印发", "转发", "批转"];

/// How the title of a reply to a proposal or suggestion starts after its issuer
/// (`国务院办公厅对全国政协十届四次会议第4626号提案的答复`).
const REPLY_START: &str = "对";

/// An issuer at the start of a header line: `郑州市人民政府`, `洛阳市人民政府办公室`,
/// `开封市人民政府文件`, or a department (`郑州市教育局`). Returns the issuer and the rest of the
/// line (the title's start). A line that goes on with more than a title (`…督查局` in a list)
/// is not an issuer line.
pub(crate) fn issuer_prefix(line: &str) -> Option<(String, String)> {
    let t = clean(line);
    // `*` (markup debris) dropped; most lines hold none and are not copied.
    let t: std::borrow::Cow<'_, str> = if t.contains('*') {
        t.replace('*', "").into()
    } else {
        t.into()
    };
    if let Some(found) = joint_issuer_prefix(&t) {
        return Some(found);
    }
    let (end, max_place) = match t.find("人民政府") {
        Some(pos) => {
            let mut end = pos + "人民政府".len();
            for office in ["办公厅", "办公室"] {
                if t[end..].starts_with(office) {
                    end += office.len();
                }
            }
            (end, 12)
        }
        None => {
            // A department: the shortest all-Han prefix ending like a body, followed by
            // nothing or a title.
            let end = t
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .take(20)
                .find(|&e| {
                    BODY_ENDINGS.iter().any(|b| t[..e].ends_with(b)) && {
                        let rest = t[e..].trim_start();
                        rest.is_empty()
                            || rest.starts_with(REPLY_START)
                            || TITLE_STARTS.iter().any(|w| rest.starts_with(w))
                    }
                })?;
            (end, 20)
        }
    };
    let body = &t[..end];
    let place_chars = body.chars().count();
    if place_chars <= 4
        || place_chars > max_place + 7
        || !body.chars().all(is_han)
        || TITLE_STARTS.iter().any(|w| body.starts_with(w))
    {
        return None;
    }
    let mut rest = t[end..].trim().to_string();
    // Red-header style: `开封市人民政府文件`.
    if let Some(r) = rest.strip_prefix("文件") {
        rest = r.trim().to_string();
    }
    if !(rest.is_empty()
        || rest.starts_with(REPLY_START)
        || TITLE_STARTS.iter().any(|w| rest.starts_with(w)))
    {
        return None;
    }
    Some((body.to_string(), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_national_issuer_holds_the_characters_the_joint_line_test_looks_for() {
        for issuer in NATIONAL_ISSUERS {
            assert!(issuer.contains(['国', '中']), "{issuer}");
        }
    }

    #[test]
    fn every_owner_key_passes_the_prefilter_of_owner_key() {
        for (word, key) in OWNER_KEYS {
            assert!(
                word.chars().next().is_some_and(may_start_owner_key),
                "{word}"
            );
            assert!(word.chars().all(in_owner_key), "{word}");
            assert_eq!(
                owner_key(&format!("{word}：甲")),
                Some((*key, "甲")),
                "{word}"
            );
        }
    }

    #[test]
    fn decimals_as_the_formatter_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 4_294_967_295, 12_345] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(cn_number("一"), Some(1));
        assert_eq!(cn_number("十"), Some(10));
        assert_eq!(cn_number("十一"), Some(11));
        assert_eq!(cn_number("二十一"), Some(21));
        assert_eq!(cn_number("三十六"), Some(36));
        assert_eq!(cn_number("一百零五"), Some(105));
        assert_eq!(cn_number("甲"), None);
    }

    #[test]
    fn markers() {
        let m = marker("（一）健康促进行动").unwrap();
        assert_eq!(
            (m.kind, m.number, m.rest),
            (MarkerKind::Paren, 1, "健康促进行动")
        );
        let m = marker("(十二) 癌症防治行动").unwrap();
        assert_eq!(
            (m.kind, m.number, m.normalized().as_str()),
            (MarkerKind::Paren, 12, "（十二）")
        );
        let m = marker("146. 建设廉洁政府。").unwrap();
        assert_eq!((m.kind, m.number), (MarkerKind::Arabic, 146));
        assert_eq!(marker("2.11万亿元"), None);
        assert_eq!(marker("2019 年"), None);
        let m = marker("第二十一条 政务信息化项目建成后").unwrap();
        assert_eq!((m.kind, m.number), (MarkerKind::Article, 21));
        assert_eq!(marker("第一时间开展").map(|m| m.kind), None);
        let m = marker("附 件").unwrap();
        assert_eq!((m.kind, m.number), (MarkerKind::Attachment, 1));
        let m = marker("附件 3").unwrap();
        assert_eq!(m.normalized(), "附件3");
        assert_eq!(marker("附 件").unwrap().normalized(), "附件");
        assert_eq!(marker("( 二 ) 甲").unwrap().written(), "(二)");
        assert_eq!(marker("附件：下放行政审批事项目录（略）"), None);
        assert_eq!(marker("十、全面提升").unwrap().number, 10);
        assert_eq!(marker("\t2\t婴儿死亡率"), None);
        let m = marker("1 . 推进工业园区建设").unwrap();
        assert_eq!(
            (m.kind, m.number, m.rest),
            (MarkerKind::Arabic, 1, "推进工业园区建设")
        );
        assert_eq!(m.normalized(), "1.");
        let m = marker("2．完善机制").unwrap();
        assert_eq!((m.kind, m.number), (MarkerKind::Arabic, 2));
        let m = marker("③加强监管。").unwrap();
        assert_eq!(
            (m.kind, m.number, m.rest),
            (MarkerKind::Circled, 3, "加强监管。")
        );
        let m = marker("二是强化保障，落实资金。").unwrap();
        assert_eq!(
            (m.kind, m.number, m.written().as_str()),
            (MarkerKind::Ordinal, 2, "二是")
        );
        assert_eq!(marker("二是"), None);
        assert_eq!(marker("2019 年"), None);
        assert_eq!(
            marker("（1）开办食品").unwrap().kind,
            MarkerKind::ParenArabic
        );
    }

    #[test]
    fn doc_numbers_and_dates() {
        assert_eq!(
            doc_no_line("郑政办文〔2020〕9号 2020年4月27日"),
            Some(("郑政办文〔2020〕9号".into(), Some("2020-04-27".into())))
        );
        assert_eq!(
            doc_no_line("洛政〔2021〕105号"),
            Some(("洛政〔2021〕105号".into(), None))
        );
        assert_eq!(
            doc_no_line("汴政办[2019]3号　二〇一九年十二月三日"),
            Some(("汴政办〔2019〕3号".into(), Some("2019-12-03".into())))
        );
        assert_eq!(doc_no_line("（郑政办〔2014〕18号）文件"), None);
        assert_eq!(doc_no_line("郑政文〔2020〕59号 同时废止"), None);
        assert_eq!(cn_date("2020 年 5 月 15 日").unwrap().0, "2020-05-15");
    }

    #[test]
    fn issuers() {
        assert_eq!(
            issuer_prefix("郑州市人民政府**关于第二届").unwrap(),
            ("郑州市人民政府".into(), "关于第二届".into())
        );
        assert_eq!(
            issuer_prefix("开封市人民政府办公厅").unwrap().0,
            "开封市人民政府办公厅"
        );
        assert_eq!(issuer_prefix("巩义市人民政府").unwrap().0, "巩义市人民政府");
        assert_eq!(issuer_prefix("中共新郑市委新郑市人民政府督查局"), None);
        assert_eq!(issuer_prefix("金水区人民政府督查室"), None);
        assert_eq!(
            issuer_prefix("郑州市教育局 关于做好招生工作的通知").unwrap(),
            ("郑州市教育局".into(), "关于做好招生工作的通知".into())
        );
        assert_eq!(
            issuer_prefix("洛阳市发展和改革委员会").unwrap().0,
            "洛阳市发展和改革委员会"
        );
        assert_eq!(issuer_prefix("市财政局"), None);
        assert_eq!(
            issuer_prefix("国务院关于促进综合保税区").unwrap(),
            ("国务院".into(), "关于促进综合保税区".into())
        );
        assert_eq!(
            issuer_prefix("国务院办公厅、中央军委办公厅").unwrap(),
            ("国务院办公厅、中央军委办公厅".into(), String::new())
        );
        assert_eq!(
            issuer_prefix("国务院　中央军委").unwrap().0,
            "国务院、中央军委"
        );
        assert_eq!(
            issuer_prefix("国务院、中央军委关于同意武警总部").unwrap().0,
            "国务院、中央军委"
        );
        assert_eq!(
            issuer_prefix("国务院办公厅转发国家地震局").unwrap(),
            ("国务院办公厅".into(), "转发国家地震局".into())
        );
        assert_eq!(issuer_prefix("关于国务院的通知"), None);
        assert_eq!(issuer_prefix("关于转发市财政局关于预算的通知"), None);
        assert_eq!(
            issuer_prefix("各县（市、区）人民政府，市人民政府各部门："),
            None
        );
    }

    #[test]
    fn owner_keys() {
        assert_eq!(
            owner_key("责任单位: 市体育局"),
            Some((OwnerKey::Responsible, "市体育局"))
        );
        assert_eq!(owner_key("牵头单位应统筹推进任务落实"), None);
        assert_eq!(
            owner_key("牵 头 单 位:县发展改革委"),
            Some((OwnerKey::Lead, "县发展改革委"))
        );
        assert_eq!(
            owner_key("牵头县领导∶张三"),
            Some((OwnerKey::Leader, "张三"))
        );
        assert_eq!(
            owner_key("责任市领导： 李四"),
            Some((OwnerKey::Leader, "李四"))
        );
        assert_eq!(owner_key("成员单位很多：甲"), None);
    }
}
