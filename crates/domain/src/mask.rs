//! Masking of personal data (个人信息脱敏): ID numbers, phone numbers, e-mail addresses and bank
//! card numbers are masked wherever content reaches someone without a need to see them.
//!
//! [`personal_data`] finds them in free text (a document's lines, a roster entry, a task) and
//! masks each in place, keeping its shape and the digits that identify nobody (area code, the
//! first and last few digits):
//!
//! - GB 11643 citizen ID numbers (身份证号): 17 digits and a check character that is valid;
//! - mainland mobile numbers (手机号): 11 digits `1[3-9]…`, also as `+86`, `138-1234-5678`;
//! - landline numbers (固定电话): an area code `0xx`/`0xxx` with 7–8 digits
//!   (`0371-67181234`, `（0371）67181234`), or 7–8 digits right after 电话/传真;
//! - e-mail addresses (电子邮箱): the local part is masked, the domain kept;
//! - bank card numbers (银行卡号): 16–19 digits, also in groups of four, with a valid Luhn digit.
//!
//! Numbers that fail their check (a 文号, an amount, a year range) are left alone.

use std::borrow::Cow;

/// Mask a mainland ID number (身份证号): keep the first 6 and last 4 characters.
pub fn id_number(s: &str) -> String {
    keep_ends(s, 6, 4)
}

/// Mask a phone number: keep the first 3 and last 4 digits.
pub fn phone(s: &str) -> String {
    keep_ends(s, 3, 4)
}

/// Mask a person's name for public pages: keep the surname only (`张*`, `欧阳**`).
pub fn person_name(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_string(),
        n => {
            let keep = if n >= 4 { 2 } else { 1 };
            chars[..keep].iter().collect::<String>() + &"*".repeat(n - keep)
        }
    }
}

fn keep_ends(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// Whether `s` holds personal data that [`personal_data`] would mask.
pub fn has_personal_data(s: &str) -> bool {
    matches!(personal_data(s), Cow::Owned(_))
}

/// `text` with every ID number, phone number, e-mail address and bank card number masked;
/// borrowed unchanged when it holds none (the common case costs one scan and no allocation).
pub fn personal_data(text: &str) -> Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let mut masked = chars.clone();
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let token = number_token(&chars, i);
            if let Some((keep_head, keep_tail)) = classify(&chars, &token) {
                mask_digits(&mut masked, &token.positions, keep_head, keep_tail);
                changed = true;
            }
            i = token.end;
        } else if chars[i] == '@' {
            if let Some((start, end)) = email_local_part(&chars, i) {
                for c in &mut masked[start + 1..end] {
                    *c = '*';
                }
                changed = true;
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    if changed {
        Cow::Owned(masked.into_iter().collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// A run of digits, possibly in groups joined by one separator (`-`, `－`, a space, or `)` /
/// `）` after an area code), as positions in the text.
struct NumberToken {
    /// Position of every digit (and a final `X` of an ID number).
    positions: Vec<usize>,
    /// Digits per group, in order.
    groups: Vec<usize>,
    /// Position just after the token.
    end: usize,
}

impl NumberToken {
    fn digits<'a>(&'a self, chars: &'a [char]) -> impl Iterator<Item = char> + 'a {
        self.positions.iter().map(|&p| chars[p])
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '－' | ' ' | ')' | '）')
}

fn number_token(chars: &[char], start: usize) -> NumberToken {
    let mut positions = Vec::new();
    let mut groups = Vec::new();
    let mut i = start;
    loop {
        let group_start = positions.len();
        while i < chars.len() && chars[i].is_ascii_digit() {
            positions.push(i);
            i += 1;
        }
        groups.push(positions.len() - group_start);
        // An ID number may end in X.
        if positions.len() == 17
            && groups.len() == 1
            && i < chars.len()
            && matches!(chars[i], 'X' | 'x')
        {
            positions.push(i);
            *groups.last_mut().expect("a group was pushed") += 1;
            i += 1;
            break;
        }
        let closing_paren = i < chars.len() && matches!(chars[i], ')' | '）');
        let joins = i + 1 < chars.len()
            && is_separator(chars[i])
            && chars[i + 1].is_ascii_digit()
            && (!closing_paren || groups.len() == 1);
        if !joins {
            break;
        }
        i += 1;
    }
    // A letter right after the digits makes it a code, not a number (`A1234…B`).
    let end = i;
    NumberToken {
        positions,
        groups,
        end,
    }
}

/// How many leading and trailing digits to keep, when the token is personal data.
fn classify(chars: &[char], t: &NumberToken) -> Option<(usize, usize)> {
    if t.end < chars.len() && chars[t.end].is_ascii_alphanumeric() {
        return None;
    }
    let digits: String = t.digits(chars).collect();
    let n = digits.len();
    let b = digits.as_bytes();
    let single = t.groups.len() == 1;
    if n == 18 && single && id_check_ok(&digits) {
        return Some((6, 4));
    }
    let mobile = |d: &[u8]| d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1]);
    let mobile_groups = single || t.groups == [3, 4, 4];
    if mobile(b) && mobile_groups {
        return Some((3, 4));
    }
    if n == 13 && b.starts_with(b"86") && mobile(&b[2..]) && (single || t.groups[0] == 2) {
        return Some((5, 4));
    }
    if (16..=19).contains(&n)
        && (single || t.groups.iter().take(t.groups.len() - 1).all(|g| *g == 4))
        && digits.chars().all(|c| c.is_ascii_digit())
        && luhn_ok(&digits)
    {
        return Some((4, 4));
    }
    let area = if b.starts_with(b"01") || b.starts_with(b"02") {
        3
    } else {
        4
    };
    if b.first() == Some(&b'0') && b.get(1) != Some(&b'0') {
        let local = n.saturating_sub(area);
        let grouped_ok = t.groups.len() == 2 && t.groups[0] == area;
        if (7..=8).contains(&local) && (single || grouped_ok) {
            return Some((area, 4.min(local)));
        }
    }
    if (7..=8).contains(&n) && single && after_phone_word(chars, t.positions[0]) {
        return Some((0, 4));
    }
    None
}

/// Whether the digits at `start` follow 电话/传真 (with a colon or space between).
fn after_phone_word(chars: &[char], start: usize) -> bool {
    let mut i = start;
    while i > 0 && matches!(chars[i - 1], '：' | ':' | ' ' | '(' | '（') {
        i -= 1;
    }
    i >= 2
        && matches!(
            (chars[i - 2], chars[i - 1]),
            ('电', '话') | ('传', '真') | ('座', '机')
        )
}

/// GB 11643-1999: the check character of a citizen ID number.
fn id_check_ok(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CODES: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CODES[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

/// The Luhn check of a card number.
fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn mask_digits(out: &mut [char], positions: &[usize], head: usize, tail: usize) {
    let n = positions.len();
    for (k, &p) in positions.iter().enumerate() {
        if k >= head && k + tail < n {
            out[p] = '*';
        }
    }
}

/// The local part of the e-mail address whose `@` is at `at`: `(start, end)` when it is one.
fn email_local_part(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let mut start = at;
    while start > 0 && local(chars[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < chars.len()
        && (chars[end].is_ascii_alphanumeric() || matches!(chars[end], '.' | '-'))
    {
        end += 1;
    }
    let domain: String = chars[at + 1..end].iter().collect();
    let domain = domain.trim_end_matches('.');
    let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
        !host.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
    });
    (start < at && tld_ok).then_some((start, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(id_number("410102199001011234"), "410102********1234");
        assert_eq!(phone("13812345678"), "138****5678");
        assert_eq!(phone("123"), "***");
        assert_eq!(person_name("张三"), "张*");
        assert_eq!(person_name("欧阳娜娜"), "欧阳**");
    }

    #[test]
    fn id_numbers_are_masked_only_with_a_valid_check_character() {
        assert_eq!(
            personal_data("副组长：某某 市政府副市长 身份证410102199001011234"),
            "副组长：某某 市政府副市长 身份证410102********1234"
        );
        // Same digits, wrong check character: not an ID number, left alone.
        assert_eq!(
            personal_data("编号410102199001011235。"),
            "编号410102199001011235。"
        );
        assert_eq!(personal_data("11010519491231002X"), "110105********002X");
    }

    #[test]
    fn phones_mobile_and_landline() {
        assert_eq!(personal_data("手机13812345678"), "手机138****5678");
        assert_eq!(
            personal_data("手机 138-1234-5678。"),
            "手机 138-****-5678。"
        );
        assert_eq!(personal_data("+8613812345678"), "+86138****5678");
        assert_eq!(personal_data("电话：0371-67181234"), "电话：0371-****1234");
        assert_eq!(personal_data("（0371）67181234"), "（0371）****1234");
        assert_eq!(personal_data("010-12345678"), "010-****5678");
        assert_eq!(
            personal_data("联系电话：67180738。"),
            "联系电话：****0738。"
        );
        // Not phones: a year range, an amount, a bare number without a phone word.
        for keep in [
            "2020-2022年",
            "投资12345678元",
            "第67180738号",
            "12345678901",
        ] {
            assert_eq!(personal_data(keep), keep);
        }
    }

    #[test]
    fn email_and_bank_cards() {
        assert_eq!(
            personal_data("邮箱：zfgzdc@126.com，"),
            "邮箱：z*****@126.com，"
        );
        assert_eq!(personal_data("a@b"), "a@b");
        assert_eq!(
            personal_data("卡号6222021234567890128"),
            "卡号6222***********0128"
        );
        assert_eq!(
            personal_data("卡号 4111 1111 1111 1111"),
            "卡号 4111 **** **** 1111"
        );
        // A number of card length that fails Luhn stays.
        assert_eq!(personal_data("6222021234567890127"), "6222021234567890127");
    }

    #[test]
    fn text_without_personal_data_is_borrowed() {
        let t = "郑政办〔2020〕29号 第三条 2020年6月30日前完成";
        assert!(matches!(personal_data(t), Cow::Borrowed(_)));
        assert!(!has_personal_data(t));
    }
}
