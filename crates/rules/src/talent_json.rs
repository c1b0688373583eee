//! 人才补贴批量输入的快速读取: a strict reader of the plain form of a `talent-subsidy` input line
//! (郑政办〔2020〕24号 第二条), for the `--batch` path that reads a million lines at a time.
//!
//! It accepts only what serde would accept *and* decode to the same value: one JSON object of the
//! known fields, each at most once, with unescaped strings, literal booleans and `null`, JSON
//! whitespace anywhere between tokens. Anything else — escapes, unknown or duplicate fields,
//! missing fields, wrong types, invalid dates, trailing text — is not judged here: the caller
//! falls back to the serde reader ([`parse_subsidy_input`] does), which produces the coded error
//! or the value. So the result, and every error message, is exactly serde's; only the common
//! case is faster. A test compares both readers on generated and mutated lines.

use crate::common::{parse_input, parse_ymd, Date, RuleError};
use crate::talent::{Degree, Purchaser, SubsidyInput};

/// Read one `talent-subsidy` input: the fast reader when it applies, serde otherwise.
pub fn parse_subsidy_input(json: &str) -> Result<SubsidyInput, RuleError> {
    match read_plain(json) {
        Some(input) => Ok(input),
        None => parse_input(json),
    }
}

/// The fields of [`SubsidyInput`], as bits of the "seen" mask.
const DEGREE: u16 = 1 << 0;
const FULL_TIME: u16 = 1 << 1;
const DOUBLE_FIRST_CLASS: u16 = 1 << 2;
const BIRTH_DATE: u16 = 1 << 3;
const GRADUATION_DATE: u16 = 1 << 4;
const SETTLED_DATE: u16 = 1 << 5;
const CONTRACT_SIGNED_DATE: u16 = 1 << 6;
const CONTRACT_FILED: u16 = 1 << 7;
const DEED_TAX_PAID: u16 = 1 << 8;
const FIRST_HOME: u16 = 1 << 9;
const APPLICATION_DATE: u16 = 1 << 10;
const PURCHASER: u16 = 1 << 11;
const ALREADY_RECEIVED: u16 = 1 << 12;
const OTHER_HOUSING_BENEFIT: u16 = 1 << 13;
/// Fields without a serde default (`double_first_class` is an `Option`, the last three default).
const REQUIRED: u16 = DEGREE
    | FULL_TIME
    | BIRTH_DATE
    | GRADUATION_DATE
    | SETTLED_DATE
    | CONTRACT_SIGNED_DATE
    | CONTRACT_FILED
    | DEED_TAX_PAID
    | FIRST_HOME
    | APPLICATION_DATE;

fn field_bit(key: &[u8]) -> Option<u16> {
    Some(match key {
        b"degree" => DEGREE,
        b"full_time" => FULL_TIME,
        b"double_first_class" => DOUBLE_FIRST_CLASS,
        b"birth_date" => BIRTH_DATE,
        b"graduation_date" => GRADUATION_DATE,
        b"settled_date" => SETTLED_DATE,
        b"contract_signed_date" => CONTRACT_SIGNED_DATE,
        b"contract_filed" => CONTRACT_FILED,
        b"deed_tax_paid" => DEED_TAX_PAID,
        b"first_home" => FIRST_HOME,
        b"application_date" => APPLICATION_DATE,
        b"purchaser" => PURCHASER,
        b"already_received" => ALREADY_RECEIVED,
        b"other_housing_benefit" => OTHER_HOUSING_BENEFIT,
        _ => return None,
    })
}

/// Bit 7 of each byte of `word` that is `"`, `\\` or a control byte (< 0x20) — exact for the
/// lowest such byte (the borrow of the subtraction only reaches bytes above a hit), which is
/// the only one used.
fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    quote | backslash | control
}

/// A byte cursor over one line.
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// Skip JSON whitespace (space, tab, line feed, carriage return).
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }
    /// The next non-whitespace byte, consumed.
    fn next_token(&mut self) -> Option<u8> {
        self.skip_ws();
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }
    /// The body of a string whose opening quote was consumed; `None` if it has an escape or a
    /// control character (left to serde). Scans eight bytes per step.
    fn string_body(&mut self) -> Option<&'a str> {
        let start = self.at;
        let mut at = start;
        while let Some(chunk) = self.bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().ok()?);
            let special = special_bytes(word);
            if special != 0 {
                return self.close_string(start, at + (special.trailing_zeros() / 8) as usize);
            }
            at += 8;
        }
        while !matches!(self.bytes.get(at)?, b'"' | b'\\' | 0..=0x1f) {
            at += 1;
        }
        self.close_string(start, at)
    }
    /// `at` holds the first quote, backslash or control byte after `start`.
    fn close_string(&mut self, start: usize, at: usize) -> Option<&'a str> {
        if self.bytes[at] != b'"' {
            return None;
        }
        self.at = at + 1;
        // Both ends are ASCII quotes, hence character boundaries.
        self.text.get(start..at)
    }
    fn string(&mut self) -> Option<&'a str> {
        match self.next_token()? {
            b'"' => self.string_body(),
            _ => None,
        }
    }
    /// `true`, `false`, or (when `nullable`) `null` → `None`.
    fn literal(&mut self, nullable: bool) -> Option<Option<bool>> {
        self.skip_ws();
        let rest = &self.bytes[self.at..];
        let (value, len) = if rest.starts_with(b"true") {
            (Some(true), 4)
        } else if rest.starts_with(b"false") {
            (Some(false), 5)
        } else if nullable && rest.starts_with(b"null") {
            (None, 4)
        } else {
            return None;
        };
        self.at += len;
        Some(value)
    }
    fn boolean(&mut self) -> Option<bool> {
        self.literal(false)?
    }
    /// A `"YYYY-MM-DD"` string: exactly ten bytes, then the closing quote.
    fn date(&mut self) -> Option<Date> {
        if self.next_token()? != b'"' || self.bytes.get(self.at + 10) != Some(&b'"') {
            return None;
        }
        let date = parse_ymd(self.text.get(self.at..self.at + 10)?)?;
        self.at += 11;
        Some(Date(date))
    }
}

/// The plain form of an input line, or `None` when serde must judge it.
pub(crate) fn read_plain(json: &str) -> Option<SubsidyInput> {
    let mut c = Cursor {
        text: json,
        bytes: json.as_bytes(),
        at: 0,
    };
    if c.next_token()? != b'{' {
        return None;
    }
    let zero = Date(chrono::NaiveDate::MIN);
    let mut input = SubsidyInput {
        degree: Degree::Bachelor,
        full_time: false,
        double_first_class: None,
        birth_date: zero,
        graduation_date: zero,
        settled_date: zero,
        contract_signed_date: zero,
        contract_filed: false,
        deed_tax_paid: false,
        first_home: false,
        application_date: zero,
        purchaser: Purchaser::default(),
        already_received: false,
        other_housing_benefit: false,
    };
    let mut seen = 0u16;
    loop {
        let bit = field_bit(c.string()?.as_bytes())?;
        if seen & bit != 0 || c.next_token()? != b':' {
            return None;
        }
        seen |= bit;
        match bit {
            DEGREE => {
                input.degree = match c.string()? {
                    "本科" => Degree::Bachelor,
                    "硕士" => Degree::Master,
                    "博士" => Degree::Doctor,
                    _ => return None,
                }
            }
            PURCHASER => {
                input.purchaser = match c.string()? {
                    "本人" => Purchaser::Applicant,
                    "配偶" => Purchaser::Spouse,
                    "其他" => Purchaser::Other,
                    _ => return None,
                }
            }
            FULL_TIME => input.full_time = c.boolean()?,
            DOUBLE_FIRST_CLASS => input.double_first_class = c.literal(true)?,
            CONTRACT_FILED => input.contract_filed = c.boolean()?,
            DEED_TAX_PAID => input.deed_tax_paid = c.boolean()?,
            FIRST_HOME => input.first_home = c.boolean()?,
            ALREADY_RECEIVED => input.already_received = c.boolean()?,
            OTHER_HOUSING_BENEFIT => input.other_housing_benefit = c.boolean()?,
            BIRTH_DATE => input.birth_date = c.date()?,
            GRADUATION_DATE => input.graduation_date = c.date()?,
            SETTLED_DATE => input.settled_date = c.date()?,
            CONTRACT_SIGNED_DATE => input.contract_signed_date = c.date()?,
            APPLICATION_DATE => input.application_date = c.date()?,
            _ => return None,
        }
        match c.next_token()? {
            b',' => {}
            b'}' => break,
            _ => return None,
        }
    }
    c.skip_ws();
    (c.at == c.bytes.len() && seen & REQUIRED == REQUIRED).then_some(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = r#"{"degree":"硕士","full_time":true,"double_first_class":null,"birth_date":"1990-05-01","graduation_date":"2018-06-30","settled_date":"2018-09-01","contract_signed_date":"2019-03-15","contract_filed":true,"deed_tax_paid":true,"first_home":true,"application_date":"2020-06-01","purchaser":"配偶","already_received":false,"other_housing_benefit":false}"#;

    /// The eight-byte scan finds the same first special byte as a byte-by-byte loop.
    #[test]
    fn special_bytes_finds_the_first_quote_backslash_or_control() {
        let mut seed = 99u64;
        let alphabet = *b"\"\\\x00\x1f\x20!a0-\x7f\x80\xa0\xe5\xff";
        for _ in 0..200_000 {
            let mut word = [0u8; 8];
            for b in &mut word {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *b = alphabet[(seed >> 33) as usize % alphabet.len()];
            }
            let naive = word
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            let mask = special_bytes(u64::from_le_bytes(word));
            let fast = (mask != 0).then(|| (mask.trailing_zeros() / 8) as usize);
            assert_eq!(fast, naive, "{word:?}");
        }
    }

    /// Plain lines (any field order, whitespace, optional fields left out) take the fast reader
    /// and decode exactly as serde does.
    #[test]
    fn plain_lines_take_the_fast_reader() {
        let spaced = PLAIN.replace(',', " ,\t").replace(':', "\r\n: ") + " \n";
        let minimal = r#"{"application_date":"2020-06-01","degree":"本科","double_first_class":false,"full_time":false,"birth_date":"1990-05-01","graduation_date":"2018-06-30","settled_date":"2018-09-01","contract_signed_date":"2019-03-15","contract_filed":false,"deed_tax_paid":false,"first_home":false}"#;
        for line in [PLAIN, spaced.as_str(), minimal] {
            let fast = read_plain(line).unwrap_or_else(|| panic!("fast reader declined {line}"));
            assert_eq!(fast, parse_input::<SubsidyInput>(line).unwrap(), "{line}");
        }
    }

    /// Every single-byte edit of a plain line (delete, duplicate, or insert a JSON-significant
    /// byte at each position), plus field-level edits: whenever the fast reader accepts, serde
    /// accepts the same value; whenever it declines, `parse_subsidy_input` returns serde's result.
    #[test]
    fn fast_reader_agrees_with_serde_on_mutations() {
        let mut lines: Vec<String> = Vec::new();
        let bytes = PLAIN.as_bytes();
        for at in 0..=bytes.len() {
            let mut edits: Vec<Vec<u8>> = Vec::new();
            if at < bytes.len() {
                let mut v = bytes.to_vec();
                v.remove(at);
                edits.push(v);
                let mut v = bytes.to_vec();
                v.insert(at, bytes[at]);
                edits.push(v);
            }
            for b in *b"{}[],:\" \\n0t\x01" {
                let mut v = bytes.to_vec();
                v.insert(at, b);
                edits.push(v);
            }
            lines.extend(edits.into_iter().filter_map(|v| String::from_utf8(v).ok()));
        }
        for (from, to) in [
            ("\"硕士\"", "\"\\u7855\\u58eb\""),
            ("\"硕士\"", "\"大专\""),
            ("\"配偶\"", "\"其他\""),
            ("\"配偶\"", "null"),
            ("null", "true"),
            ("null", "\"true\""),
            ("true", "1"),
            ("false", "null"),
            ("\"2019-03-15\"", "\"2019-02-30\""),
            ("\"2019-03-15\"", "\"2019-03-15 \""),
            ("\"2019-03-15\"", "20190315"),
            ("\"degree\"", "\"degree \""),
            ("\"degree\"", "\"birth_date\""),
            ("\"first_home\":true,", ""),
            ("\"purchaser\":\"配偶\",", ""),
            (
                "\"other_housing_benefit\":false",
                "\"other_housing_benefit\":false,\"x\":1",
            ),
            ("{", "["),
        ] {
            lines.push(PLAIN.replacen(from, to, 1));
        }
        let (mut fast_taken, mut declined) = (0, 0);
        for line in &lines {
            let serde = parse_input::<SubsidyInput>(line);
            match read_plain(line) {
                Some(fast) => {
                    fast_taken += 1;
                    assert_eq!(Ok(fast), serde, "fast reader accepted {line}");
                }
                None => {
                    declined += 1;
                    assert_eq!(parse_subsidy_input(line), serde, "{line}");
                }
            }
        }
        assert!(fast_taken > 0 && declined > 0, "{fast_taken} / {declined}");
    }
}
