//! The personal-data check before publishing (个人信息检查, 郑政办〔2020〕27号 第二十条): a reply
//! is published “除人大代表和政协委员姓名、联系方式和抄送范围等外”. Names, contacts and the copy
//! list are fields, never part of what is published; this check is the second line, run on the
//! text itself: 18-digit ID numbers (GB 11643-1999, with a valid check digit and birth date),
//! mainland mobile and landline numbers, e-mail addresses, the item's own proposers' names and
//! contacts, and 抄送/抄报 lines. Full-width digits and separators inside numbers are read as
//! people write them (`138 0371 2345`, `（0371）6718-0738`, `１３８…`).

use luoshi_domain::mask;
use serde::Serialize;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    IdNumber,
    Mobile,
    Landline,
    Email,
    ProposerName,
    ProposerContact,
    CopyList,
}

impl FindingKind {
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::IdNumber => "身份证号",
            FindingKind::Mobile => "手机号",
            FindingKind::Landline => "固定电话",
            FindingKind::Email => "电子邮箱",
            FindingKind::ProposerName => "代表委员姓名",
            FindingKind::ProposerContact => "代表委员联系方式",
            FindingKind::CopyList => "抄送范围",
        }
    }
}

/// One piece of personal data found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub label: &'static str,
    /// Byte range in the checked text.
    pub start: usize,
    pub end: usize,
    /// 1-based line number.
    pub line: usize,
    /// The value masked, safe to show in a message.
    pub masked: String,
}

/// A character of the text, normalized, with its byte range in the original.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    start: usize,
    end: usize,
}

fn normalize(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '＠' => '@',
        '－' | '—' | '–' => '-',
        '（' => '(',
        '）' => ')',
        'Ｘ' => 'X',
        'ｘ' => 'x',
        '．' => '.',
        '\u{3000}' => ' ',
        other => other,
    }
}

fn chars(text: &str) -> Vec<Ch> {
    text.char_indices()
        .map(|(i, c)| Ch {
            c: normalize(c),
            start: i,
            end: i + c.len_utf8(),
        })
        .collect()
}

/// GB 11643-1999 check character of the first 17 digits.
pub fn id_check_char(first17: &[u8]) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// An 18-character citizen ID number: region, a real birth date, sequence, valid check digit.
pub fn is_id_number(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !(b'1'..=b'8').contains(&b[0]) {
        return false;
    }
    let Some(check) = id_check_char(&b[..17]) else {
        return false;
    };
    let birth = std::str::from_utf8(&b[6..14]).unwrap_or("");
    let born = chrono::NaiveDate::parse_from_str(birth, "%Y%m%d")
        .is_ok_and(|d| (1900..=2100).contains(&chrono::Datelike::year(&d)));
    born && b[17].to_ascii_uppercase() as char == check
}

fn all_digits(d: &str) -> bool {
    d.bytes().all(|b| b.is_ascii_digit())
}

fn is_mobile(d: &str) -> bool {
    if !all_digits(d) {
        return false;
    }
    let d = d.strip_prefix("86").filter(|r| r.len() == 11).unwrap_or(d);
    d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9')
}

/// A landline with its area code: 010/02X and 8 digits, or 0XXX and 7–8 digits.
fn is_landline(d: &str) -> bool {
    if !d.starts_with('0') || d.len() < 10 || !all_digits(d) {
        return false;
    }
    if d.starts_with("01") || d.starts_with("02") {
        d.len() == 11
    } else {
        matches!(d.len(), 11 | 12) && d.as_bytes()[1] != b'0'
    }
}

/// Words that say a number that follows is a phone number.
const PHONE_WORDS: [&str; 10] = [
    "电话",
    "手机",
    "座机",
    "传真",
    "热线",
    "联系方式",
    "Tel",
    "TEL",
    "tel",
    "Phone",
];

/// Whether the text just before byte `at` names a phone number.
fn after_phone_word(text: &str, at: usize) -> bool {
    let before: String = text[..at]
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    PHONE_WORDS.iter().any(|w| before.contains(w))
}

/// Digit groups: maximal runs of digits (an ID's trailing X included), with their char index
/// range, and whether the next group follows after exactly one separator.
fn groups(cs: &[Ch]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if cs[i].c.is_ascii_digit() {
            let s = i;
            while i < cs.len() && cs[i].c.is_ascii_digit() {
                i += 1;
            }
            // An ID number's check character X ends a run when nothing alphanumeric follows.
            if i < cs.len()
                && matches!(cs[i].c, 'X' | 'x')
                && cs.get(i + 1).is_none_or(|n| !n.c.is_ascii_alphanumeric())
            {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

const SEPARATORS: [char; 4] = [' ', '-', ')', '('];

/// Find ID numbers and phone numbers.
fn numbers(text: &str, cs: &[Ch], out: &mut Vec<Finding>) {
    let gs = groups(cs);
    let mut g = 0;
    while g < gs.len() {
        let mut best: Option<(usize, FindingKind, String)> = None;
        let mut digits = String::new();
        for j in g..gs.len().min(g + 5) {
            if j > g {
                let gap = gs[j].0 - gs[j - 1].1;
                if gap != 1 || !SEPARATORS.contains(&cs[gs[j - 1].1].c) {
                    break;
                }
            }
            digits.extend(cs[gs[j].0..gs[j].1].iter().map(|c| c.c));
            let kind = if is_id_number(&digits) {
                Some(FindingKind::IdNumber)
            } else if is_mobile(&digits) {
                Some(FindingKind::Mobile)
            } else if is_landline(&digits)
                || (matches!(digits.len(), 7 | 8)
                    && !digits.starts_with('0')
                    && all_digits(&digits)
                    && after_phone_word(text, cs[gs[g].0].start))
            {
                Some(FindingKind::Landline)
            } else {
                None
            };
            if let Some(k) = kind {
                best = Some((j, k, digits.clone()));
            }
        }
        match best {
            Some((j, kind, digits)) => {
                let (start, end) = (cs[gs[g].0].start, cs[gs[j].1 - 1].end);
                // A phone written with an opening parenthesis around its area code.
                let start = if start > 0 && matches!(text[..start].chars().last(), Some('(' | '（'))
                {
                    start - text[..start].chars().last().map_or(0, char::len_utf8)
                } else {
                    start
                };
                out.push(finding(
                    text,
                    kind,
                    start,
                    end,
                    match kind {
                        FindingKind::IdNumber => mask::id_number(&digits),
                        _ => mask::phone(&digits),
                    },
                ));
                g = j + 1;
            }
            None => g += 1,
        }
    }
}

fn is_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// Find e-mail addresses.
fn emails(text: &str, cs: &[Ch], out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < cs.len() {
        if cs[i].c != '@' {
            i += 1;
            continue;
        }
        let mut s = i;
        while s > 0 && is_local(cs[s - 1].c) {
            s -= 1;
        }
        let mut e = i + 1;
        while e < cs.len() && is_domain(cs[e].c) {
            e += 1;
        }
        while e > i + 1 && cs[e - 1].c == '.' {
            e -= 1;
        }
        let domain: String = cs[i + 1..e].iter().map(|c| c.c).collect();
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        });
        if s < i && tld_ok {
            let local: String = cs[s..i].iter().map(|c| c.c).collect();
            let masked = format!(
                "{}***@{domain}",
                local.chars().next().map(String::from).unwrap_or_default()
            );
            out.push(finding(
                text,
                FindingKind::Email,
                cs[s].start,
                cs[e - 1].end,
                masked,
            ));
            i = e;
        } else {
            i += 1;
        }
    }
}

fn finding(text: &str, kind: FindingKind, start: usize, end: usize, masked: String) -> Finding {
    Finding {
        kind,
        label: kind.label(),
        start,
        end,
        line: text[..start].matches('\n').count() + 1,
        masked,
    }
}

/// Values of the item's own proposers to look for: names and contacts, as registered.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub names: Vec<String>,
    pub contacts: Vec<String>,
}

/// Pieces of a contact worth looking for on their own (a phone, an address part).
fn contact_parts(contact: &str) -> Vec<String> {
    let mut parts: Vec<String> = contact
        .split([',', '，', ';', '；', '、', '/', '\n'])
        .map(|p| {
            p.trim()
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .to_string()
        })
        .filter(|p| p.chars().count() >= 4)
        .collect();
    let whole = contact.trim().to_string();
    if whole.chars().count() >= 4 && !parts.contains(&whole) {
        parts.push(whole);
    }
    parts
}

fn known_values(text: &str, known: &Known, out: &mut Vec<Finding>) {
    let mut look = |value: &str, kind: FindingKind| {
        for (at, m) in text.match_indices(value) {
            out.push(finding(
                text,
                kind,
                at,
                at + m.len(),
                match kind {
                    FindingKind::ProposerName => mask::person_name(value),
                    _ => mask::phone(value),
                },
            ));
        }
    };
    for name in &known.names {
        if name.trim().chars().count() >= 2 {
            look(name.trim(), FindingKind::ProposerName);
        }
    }
    for contact in &known.contacts {
        for part in contact_parts(contact) {
            look(&part, FindingKind::ProposerContact);
        }
    }
}

/// 抄送/抄报 lines: the copy list is not published.
fn copy_lines(text: &str, out: &mut Vec<Finding>) {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("抄送") || t.starts_with("抄报") {
            let start = at + (line.len() - t.len());
            let end = at + line.trim_end().len();
            out.push(finding(
                text,
                FindingKind::CopyList,
                start,
                end,
                "抄送……".into(),
            ));
        }
        at += line.len();
    }
}

/// Every piece of personal data in `text`, in order, overlaps merged into the first found.
pub fn scan(text: &str, known: &Known) -> Vec<Finding> {
    let cs = chars(text);
    let mut out = Vec::new();
    copy_lines(text, &mut out);
    numbers(text, &cs, &mut out);
    emails(text, &cs, &mut out);
    known_values(text, known, &mut out);
    out.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut merged: Vec<Finding> = Vec::with_capacity(out.len());
    for f in out {
        match merged.last_mut() {
            Some(last) if f.start < last.end => last.end = last.end.max(f.end),
            _ => merged.push(f),
        }
    }
    merged
}

/// `text` with every finding replaced by a marker naming what was taken out.
pub fn redact(text: &str, findings: &[Finding]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in findings {
        if f.start < at {
            continue;
        }
        out.push_str(&text[at..f.start]);
        out.push_str(&format!("［{}已隐去］", f.label));
        at = f.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The findings as one line each, for a message (values masked).
pub fn describe(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("第{}行 {} {}", f.line, f.label, f.masked))
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid ID number for a birth date and sequence (check digit computed).
    pub fn id(first17: &str) -> String {
        let c = id_check_char(first17.as_bytes()).unwrap();
        format!("{first17}{c}")
    }

    fn kinds(text: &str) -> Vec<FindingKind> {
        scan(text, &Known::default())
            .iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn id_numbers_need_a_valid_check_digit_and_birth_date() {
        let good = id("41010519900307123");
        assert!(is_id_number(&good));
        // The published example of GB 11643-1999.
        assert!(is_id_number("11010519491231002X"));
        assert!(is_id_number("11010519491231002x"));
        let mut wrong = good.clone().into_bytes();
        wrong[17] = if wrong[17] == b'1' { b'2' } else { b'1' };
        assert!(!is_id_number(std::str::from_utf8(&wrong).unwrap()));
        assert!(!is_id_number(&id("41010519901307123")), "month 13");
        assert_eq!(
            kinds(&format!("身份证号：{good}。")),
            [FindingKind::IdNumber]
        );
        let wrong = String::from_utf8(wrong).unwrap();
        assert!(
            kinds(&format!("编号{wrong}")).is_empty(),
            "check digit fails"
        );
        let spaced = format!("{} {} {}", &good[..6], &good[6..14], &good[14..]);
        assert_eq!(kinds(&spaced), [FindingKind::IdNumber]);
        assert_eq!(kinds("110105 19491231 002x。"), [FindingKind::IdNumber]);
        let wide: String = good
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect();
        assert_eq!(kinds(&wide), [FindingKind::IdNumber], "full-width digits");
    }

    #[test]
    fn phones_in_the_ways_people_write_them() {
        for t in [
            "13803712345",
            "138 0371 2345",
            "138-0371-2345",
            "+86 138 0371 2345",
            "8613803712345",
            "手机：１３８０３７１２３４５",
        ] {
            assert_eq!(kinds(t), [FindingKind::Mobile], "{t}");
        }
        for t in [
            "0371-67180738",
            "(0371)67180738",
            "（0371）6718073",
            "010-12345678",
            "联系电话：67180738",
            "电话 6718073",
        ] {
            assert_eq!(kinds(t), [FindingKind::Landline], "{t}");
        }
        // Dates, amounts, hotlines and document numbers are not phone numbers.
        for t in [
            "2020年5月22日",
            "20200522",
            "投资2.11万亿元",
            "拨打12345热线",
            "郑政办〔2020〕27号",
            "共67180738元",
            "12800000000",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", kinds(t));
        }
        let two = format!("{} 13803712345", id("41010519900307123"));
        assert_eq!(kinds(&two), [FindingKind::IdNumber, FindingKind::Mobile]);
    }

    #[test]
    fn emails_and_copy_lines() {
        assert_eq!(
            kinds("请发至 zfgzdc@126.com。"),
            [FindingKind::Email],
            "the gazette's own example"
        );
        assert_eq!(kinds("邮箱：li.ming＠zz.gov.cn"), [FindingKind::Email]);
        assert!(kinds("@某某 你好").is_empty());
        assert!(kinds("a@b").is_empty());
        let t = "答复如下。\n抄送：市人大选任联工委，市政府办公厅建议提案处\n";
        let f = scan(t, &Known::default());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, FindingKind::CopyList);
        assert_eq!(f[0].line, 2);
        assert_eq!(redact(t, &f), "答复如下。\n［抄送范围已隐去］\n");
    }

    #[test]
    fn the_items_own_proposers_are_found_and_redacted() {
        let known = Known {
            names: vec!["欧阳明远".into(), "王".into()],
            contacts: vec!["金水区文化路98号；13803712345".into()],
        };
        let t =
            "欧阳明远代表：您提出的建议收悉。王主任已阅。地址金水区文化路98号，电话13803712345。";
        let f = scan(t, &known);
        let k: Vec<FindingKind> = f.iter().map(|f| f.kind).collect();
        assert_eq!(
            k,
            [
                FindingKind::ProposerName,
                FindingKind::ProposerContact,
                FindingKind::Mobile
            ],
            "one-character names are not searched"
        );
        let out = redact(t, &f);
        assert!(
            !out.contains("欧阳明远") && !out.contains("13803712345"),
            "{out}"
        );
        assert!(out.starts_with("［代表委员姓名已隐去］代表："));
        assert!(describe(&f).contains("欧阳**"));
        assert!(!describe(&f).contains("13803712345"));
    }
}
