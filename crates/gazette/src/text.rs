//! Text normalisation (文本规整): full/half-width folding, whitespace clean-up, display width
//! and punctuation classes shared by all extractors.
//!
//! The helpers that rewrite text return `Cow`: most gazette lines need no rewriting, and a
//! byte scan decides that without decoding characters or allocating.

use std::borrow::Cow;

/// The lines of `text`, as [`str::lines`] gives them (split at `\n`, a `\r` right before a
/// `\n` dropped, no empty line after a final `\n`), found with a SIMD byte search.
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    let strip_cr = |line: &'_ str| -> usize { line.len() - usize::from(line.ends_with('\r')) };
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let line = &text[start..end];
        lines.push(&line[..strip_cr(line)]);
        start = end + 1;
    }
    if start < text.len() {
        // Without a `\n` after it, a `\r` stays (as in `str::lines`).
        lines.push(&text[start..]);
    }
    lines
}

/// For each line of a text, whether it holds one of some words: one search over the whole
/// text per word instead of one per line. `lines` are the text's lines as [`split_lines`]
/// gives them; the words must not contain a line break.
pub(crate) fn lines_containing(text: &str, lines: &[&str], words: &[&str]) -> Vec<bool> {
    let mut found = vec![false; lines.len()];
    let base = text.as_ptr() as usize;
    let ends: Vec<usize> = lines
        .iter()
        .map(|l| l.as_ptr() as usize - base + l.len())
        .collect();
    for word in words {
        let hits: Box<dyn Iterator<Item = usize>> = match word.as_bytes() {
            [byte] => Box::new(memchr::memchr_iter(*byte, text.as_bytes())),
            bytes => Box::new(memchr::memmem::find_iter(text.as_bytes(), bytes)),
        };
        // Hits come in order: the line of each is found by walking forward.
        let mut line = 0;
        for at in hits {
            while line < ends.len() && ends[line] <= at {
                line += 1;
            }
            if let Some(flag) = found.get_mut(line) {
                *flag = true;
            }
        }
    }
    found
}

/// Fold full-width ASCII variants (`０-９`, `Ａ-Ｚ`, `（`, `）`, `，`, `：`, `％` …) to their
/// half-width forms and the ideographic space to an ASCII space.
pub(crate) fn fold_width(s: &str) -> Cow<'_, str> {
    let mut folds = foldable_at(s).peekable();
    if folds.peek().is_none() {
        return Cow::Borrowed(s);
    }
    // The runs between foldable characters are copied whole; each of those is three bytes.
    let mut out = String::with_capacity(s.len());
    let mut start = 0;
    for at in folds {
        out.push_str(&s[start..at]);
        out.push(s[at..].chars().next().map_or(' ', fold_char));
        start = at + 3;
    }
    out.push_str(&s[start..]);
    Cow::Owned(out)
}

/// Where the characters [`fold_char`] changes start in `s` (U+FF01–U+FF5E, `EF BC 81`–`EF BD 9E`,
/// and U+3000, `E3 80 80`), in order: a byte search for `EF` and `E3`, the bytes after each
/// checked, so other text is not decoded.
fn foldable_at(s: &str) -> impl Iterator<Item = usize> + '_ {
    let b = s.as_bytes();
    memchr::memchr2_iter(0xEF, 0xE3, b).filter(move |&i| {
        match (b[i], b.get(i + 1).copied(), b.get(i + 2).copied()) {
            (0xEF, Some(0xBC), Some(z)) => z >= 0x81,
            (0xEF, Some(0xBD), Some(z)) => z <= 0x9E,
            (0xE3, Some(0x80), Some(0x80)) => true,
            _ => false,
        }
    })
}

/// Fold one full-width character to half-width; other characters unchanged.
pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// True for CJK ideographs and CJK punctuation (characters that are not separated by spaces
/// in Chinese text).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{3000}'..='\u{303F}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{2014}' | '\u{2026}' | '\u{201C}' | '\u{201D}'
        | '\u{2018}' | '\u{2019}' | '\u{00B7}')
}

/// `char::is_whitespace` without its table lookup for Chinese text: no whitespace character
/// lies above U+3000 (a test checks every character).
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    c <= '\u{3000}' && c.is_whitespace()
}

/// `str::trim` with [`is_space`]: the same text, without the table lookup at a Chinese end.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// True for CJK ideographs only (汉字).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Remove whitespace that the PDF extraction inserted between CJK characters and between CJK
/// and digits (`2019 年` → `2019年`, `郑 州` → `郑州`), keep single spaces between two Latin
/// words or numbers, and drop markup debris (`**`).
pub(crate) fn normalize_spacing(s: &str) -> Cow<'_, str> {
    if !has_space_or_markup(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    // A space seen since the last character written (spaces before the first are dropped).
    let mut pending_space = false;
    for (start, run, end) in runs_between_spaces(s) {
        if let Some(c) = run.chars().next() {
            if pending_space {
                let p = out
                    .chars()
                    .next_back()
                    .expect("a space is pending after text");
                if !is_cjk(p) && !is_cjk(c) && !split_number_of_a_date(p, &s[start..]) {
                    out.push(' ');
                }
                pending_space = false;
            }
            out.push_str(run);
        }
        if end.is_some_and(|c| c != '*') {
            pending_space = !out.is_empty();
        }
    }
    Cow::Owned(out)
}

/// True when a space between the digit `before` and the text `after` splits one number of a
/// date, as PDF extraction writes `20 21 年`: digits (and spaces) on both sides, then 年, 月 or 日.
fn split_number_of_a_date(before: char, after: &str) -> bool {
    before.is_ascii_digit()
        && after.starts_with(|c: char| c.is_ascii_digit())
        && after
            .chars()
            .find(|c| !c.is_ascii_digit() && *c != ' ')
            .is_some_and(|c| matches!(c, '年' | '月' | '日'))
}

/// Page furniture left in text extracted from a PDF: a page number on its own line (`- 12 -`,
/// `— 3 —`, `第 5 页`, `12/40`). The reader treats such lines as blank.
pub(crate) fn is_page_number(line: &str) -> bool {
    // Every form starts, after any whitespace, with a dash (`-`, `—` `–` `E2 80 xx`, `－`
    // `EF BC 8D`), 第 (`E7 AC AC`) or a digit: a line whose first byte starts none of these nor
    // whitespace (`C2`, `E1`–`E3`) — most lines begin with an ideograph — is passed undecoded.
    let may_start = |b: u8| matches!(b, b'-' | b'0'..=b'9' | b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3 | 0xE7 | 0xEF);
    if !line.as_bytes().first().is_some_and(|&b| may_start(b)) {
        return false;
    }
    let t = line.trim();
    if t.is_empty() || t.len() > 24 {
        return false;
    }
    // Every form starts with a dash, 第 or a digit: other lines are passed without a copy.
    if !t.starts_with(|c: char| matches!(c, '-' | '—' | '–' | '－' | '第') || c.is_ascii_digit())
    {
        return false;
    }
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let dashed = t.starts_with(['-', '—', '–', '－']) && t.ends_with(['-', '—', '–', '－']);
    let inner = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '－'));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    (dashed && digits(inner))
        || inner
            .strip_prefix('第')
            .and_then(|r| r.strip_suffix('页'))
            .is_some_and(digits)
        || inner
            .split_once('/')
            .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// True for a running header of a gazette (`某市人民政府公报`, `国务院公报 2021年第3期`): a short
/// line naming the gazette. Blanked only when it repeats (see [`blank_repeated_headers`]).
fn is_gazette_header(line: &str) -> bool {
    let t = line.trim();
    t.len() <= 60 && t.contains("公报") && !t.contains(['。', '，', '：'])
}

/// The key of a line that may be a gazette's running header (the line without spaces), or
/// `None` for any other line.
pub(crate) fn gazette_header_key(line: &str) -> Option<String> {
    is_gazette_header(line).then(|| remove_spaces(line).into_owned())
}

/// Blank the page numbers among `lines` (as empty slices of themselves, so line numbers and
/// positions in the text stay).
pub(crate) fn blank_page_numbers(lines: &mut [&str]) {
    for line in lines.iter_mut() {
        if line.len() <= 60 && is_page_number(line) {
            *line = &line[..0];
        }
    }
}

/// Blank the gazette running headers that occur more than once. `keys` are the index and
/// [`gazette_header_key`] of every line of `lines` that may be one.
pub(crate) fn blank_repeated_headers(lines: &mut [&str], keys: &[(usize, String)]) {
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (_, key) in keys {
        *count.entry(key.as_str()).or_default() += 1;
    }
    for (i, key) in keys {
        if count[key.as_str()] > 1 && lines[*i].len() <= 60 {
            lines[*i] = &lines[*i][..0];
        }
    }
}

/// The lines with page furniture blanked: page numbers, and gazette running headers that
/// occur more than once (the reader does this per chunk of the text, see `scan`).
#[cfg(test)]
pub(crate) fn blank_page_furniture(lines: &mut [&str]) {
    let keys: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| Some((i, gazette_header_key(line)?)))
        .collect();
    blank_page_numbers(lines);
    blank_repeated_headers(lines, &keys);
}

/// True when the text holds whitespace (any Unicode space) or `*`: a byte scan, so that the
/// common case (clean Chinese text) costs no character decoding.
pub(crate) fn has_space_or_markup(s: &str) -> bool {
    next_space_or_markup(s.as_bytes(), 0).is_some()
}

/// Where the first whitespace character (any Unicode space) or `*` at or after byte `from`
/// of `b` (UTF-8 text, `from` at a character boundary) starts.
fn next_space_or_markup(b: &[u8], from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    return next_space_or_markup_by_blocks(b, from);
    #[cfg(not(target_arch = "x86_64"))]
    return next_space_or_markup_by_words(b, from);
}

/// True when byte `k` of `b` starts whitespace or `*` (bytes past the end read as 0).
#[inline(always)]
fn space_or_markup_at(b: &[u8], k: usize) -> bool {
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    starts_space_or_markup(b[k], at(k + 1), at(k + 2))
}

/// [`next_space_or_markup`] sixteen bytes a step ([`crate::simd::space_candidates`], each
/// candidate tested exactly); the last bytes as a block padded with letters, so a short text
/// costs one step too.
#[cfg(target_arch = "x86_64")]
fn next_space_or_markup_by_blocks(b: &[u8], from: usize) -> Option<usize> {
    use crate::simd::{padded, space_candidates};
    let mut k = from;
    while k < b.len() {
        let mut mask = match b.get(k..k + 18) {
            Some(block) => space_candidates(block.try_into().expect("eighteen bytes")),
            None => space_candidates(&padded(&b[k..])),
        };
        while mask != 0 {
            let found = k + mask.trailing_zeros() as usize;
            if space_or_markup_at(b, found) {
                return Some(found);
            }
            mask &= mask - 1;
        }
        k += 16;
    }
    None
}

/// [`next_space_or_markup`] eight bytes a step with word arithmetic (targets without SSE2).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn next_space_or_markup_by_words(b: &[u8], from: usize) -> Option<usize> {
    let exact = |k: usize| space_or_markup_at(b, k);
    if b.len() < from + 8 {
        return (from..b.len()).find(|&k| exact(k));
    }
    // Eight bytes at a time: the bytes that may start such a character are flagged at once
    // ([`space_candidates`]), and only those are tested exactly — in Chinese text, the
    // lead bytes of the CJK punctuation and of the curved quotes (`、`, `。`, `“`).
    let found_in = |from: usize, mut mask: u64| {
        while mask != 0 {
            let k = from + (mask.trailing_zeros() / 8) as usize;
            if exact(k) {
                return Some(k);
            }
            mask &= mask - 1;
        }
        None
    };
    let word = |k: usize| u64::from_le_bytes(b[k..k + 8].try_into().expect("eight bytes"));
    let mut k = from;
    while k + 8 <= b.len() {
        if let Some(found) = found_in(k, space_candidates(word(k))) {
            return Some(found);
        }
        k += 8;
    }
    // The last one to seven bytes: the text's last eight, those already read masked off.
    let last = b.len() - 8;
    if k < b.len() {
        found_in(
            last,
            space_candidates(word(last)) & (u64::MAX << (8 * (k - last))),
        )
    } else {
        None
    }
}

/// The runs of `s` between its whitespace characters and `*`s, in order, each as its start
/// in `s`, its text and the character that ends it (`None` for the last run): a byte scan
/// ([`next_space_or_markup`]), so the text is copied a run at a time, never decoded
/// character by character.
fn runs_between_spaces(s: &str) -> impl Iterator<Item = (usize, &str, Option<char>)> {
    let b = s.as_bytes();
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        match next_space_or_markup(b, from) {
            Some(at) => {
                let c = s[at..].chars().next()?;
                start = Some(at + c.len_utf8());
                Some((from, &s[from..at], Some(c)))
            }
            None => {
                start = None;
                Some((from, &s[from..], None))
            }
        }
    })
}

/// The bytes of `w` (eight, little-endian) that may start whitespace or `*`, as a mask with
/// the high bit of each such byte set: every byte up to the space, `*`, and the lead bytes
/// `C2` and `E0`–`E3`. A byte above a flagged one may be flagged wrongly (a borrow carries
/// upward); no candidate is ever missed.
#[inline(always)]
fn space_candidates(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    let up_to_space = w.wrapping_sub(ONES * 0x21) & !w;
    let lead = w ^ (ONES * 0xE0);
    let e0_to_e3 = lead.wrapping_sub(ONES * 4) & !lead;
    let star = zero(w ^ (ONES * u64::from(b'*')));
    let c2 = zero(w ^ (ONES * 0xC2));
    (up_to_space | e0_to_e3 | star | c2) & (ONES * 0x80)
}

/// True when the bytes `x y z` start a whitespace character or `*` (`y`, `z` are 0 past the
/// end of the text). Written with `&` and `|` rather than `&&` and `||` so that it compiles
/// to straight-line code.
#[inline]
fn starts_space_or_markup(x: u8, y: u8, z: u8) -> bool {
    // ASCII: space, `\t` `\n` U+000B U+000C `\r`, `*`.
    (x == b' ') | (x.wrapping_sub(0x09) <= 4) | (x == b'*')
        // U+0085, U+00A0
        | ((x == 0xC2) & ((y == 0x85) | (y == 0xA0)))
        // U+1680
        | ((x == 0xE1) & (y == 0x9A) & (z == 0x80))
        // U+2000–U+200A, U+2028, U+2029, U+202F; U+205F
        | ((x == 0xE2)
            & (((y == 0x80)
                & ((z.wrapping_sub(0x80) <= 0x0A) | (z == 0xA8) | (z == 0xA9) | (z == 0xAF)))
                | ((y == 0x81) & (z == 0x9F))))
        // U+3000 ideographic space
        | ((x == 0xE3) & (y == 0x80) & (z == 0x80))
}

/// Remove every whitespace character and markup debris (for unit names and identifiers).
pub(crate) fn remove_spaces(s: &str) -> Cow<'_, str> {
    if !has_space_or_markup(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for (_, run, _) in runs_between_spaces(s) {
        out.push_str(run);
    }
    Cow::Owned(out)
}

/// Make every bracket style full-width round brackets: `(` `〔` `[` `【` → `（`. A text with no
/// other bracket (most) is kept as it is, without a copy.
pub(crate) fn full_width_brackets(s: &str) -> Cow<'_, str> {
    if !has_other_brackets(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '(' | '〔' | '[' | '【' | '［' => '（',
                ')' | '〕' | ']' | '】' | '］' => '）',
                _ => c,
            })
            .collect(),
    )
}

/// True when `name` holds a bracket other than `（）`: `()` `[]`, or `〔〕` `【】` (`E3 80 94`,
/// `E3 80 95`, `E3 80 90`, `E3 80 91`), `［］` (`EF BC BB`, `EF BC BD`). A byte scan.
pub(crate) fn has_other_brackets(name: &str) -> bool {
    let b = name.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'(' | b')' | b'[' | b']' => true,
        0xE3 => {
            b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x90 | 0x91 | 0x94 | 0x95))
        }
        0xEF => b.get(i + 1) == Some(&0xBC) && matches!(b.get(i + 2), Some(0xBB | 0xBD)),
        _ => false,
    })
}

/// Trim whitespace, the ideographic space and markup debris from both ends. Always inlined:
/// it runs on every line several times, and a clean line costs less than the call.
#[inline(always)]
pub(crate) fn clean(s: &str) -> &str {
    // No whitespace character lies above U+3000: CJK text is decided without a table lookup.
    let junk = |c: char| c <= '\u{3000}' && (c.is_whitespace() || c == '*');
    // The first character is judged by its first byte (non-ASCII whitespace starts with
    // `C2`, `E1`, `E2` or `E3`); the last is decoded only when it is not ASCII.
    let first_is_clean = |b: u8| !matches!(b, b'\t'..=b'\r' | b' ' | b'*' | 0xC2 | 0xE1..=0xE3);
    let last_is_clean = || match s.as_bytes().last() {
        Some(&b) if b.is_ascii() => !junk(char::from(b)),
        _ => s.chars().next_back().is_some_and(|c| !junk(c)),
    };
    match s.as_bytes().first() {
        Some(&b) if first_is_clean(b) && last_is_clean() => s,
        _ => s.trim_matches(junk),
    }
}

/// Display width in half-width cells: wide (CJK) characters count 2.
pub(crate) fn display_width(s: &str) -> usize {
    // Every character from U+1100 up is wide, so ASCII and the leading bytes of the common
    // CJK blocks decide alone; other characters are decoded.
    let b = s.as_bytes();
    let mut width = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0x00..=0x7F => {
                width += 1;
                i += 1;
            }
            // U+2000 and above (3-byte `E2`–`EF`, 4-byte `F0`–`F4`): wide.
            0xE2..=0xEF => {
                width += 2;
                i += 3;
            }
            0xF0..=0xF4 => {
                width += 2;
                i += 4;
            }
            _ => {
                let c = s[i..].chars().next().unwrap_or(' ');
                width += if is_cjk(c) || c as u32 >= 0x1100 {
                    2
                } else {
                    1
                };
                i += c.len_utf8();
            }
        }
    }
    width
}

/// Sentence-ending punctuation: a line ending with one of these is a complete paragraph.
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '：' | ':' | '!' | '?' | ';')
}

/// Punctuation inside sentences (commas, enumeration commas, colons, full stops…); brackets
/// are not counted.
pub(crate) fn is_sentence_punct(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '、' | '；' | ';' | '：' | ':' | '。' | '！' | '？' | '!' | '?'
    )
}

/// True when the text holds a character [`is_sentence_punct`] accepts: a byte scan (`，；：！？`
/// are `EF BC 8C/9B/9A/81/9F`, `、。` are `E3 80 81/82`).
pub(crate) fn has_sentence_punct(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b',' | b';' | b':' | b'!' | b'?' => true,
        0xEF => {
            b.get(i + 1) == Some(&0xBC)
                && matches!(b.get(i + 2), Some(0x8C | 0x9B | 0x9A | 0x81 | 0x9F))
        }
        0xE3 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x81 | 0x82)),
        _ => false,
    })
}

/// True when the text contains a space between two Chinese characters (`王中立 市教育局局长`):
/// the mark of name lists and rosters, where each line is its own entry.
pub(crate) fn has_han_space_han(s: &str) -> bool {
    // Most texts hold no space at all: one block search decides them undecoded.
    if !has_space_or_markup(s) {
        return false;
    }
    let mut prev_han = false;
    let mut saw_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if prev_han {
                saw_space = true;
            }
            continue;
        }
        let han = is_han(c);
        if saw_space && han {
            return true;
        }
        saw_space = false;
        prev_han = han;
    }
    false
}

/// Join two pieces of one sentence that a page break split: no separator between CJK text,
/// one space between two Latin letters.
pub(crate) fn join_fragments(out: &mut String, next: &str) {
    let last = out.chars().last();
    let first = next.chars().next();
    if let (Some(a), Some(b)) = (last, first) {
        if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() {
            out.push(' ');
        }
    }
    out.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_punctuation_found_by_bytes() {
        for c in (0u32..0x11000).filter_map(char::from_u32) {
            let s = format!("甲{c}乙");
            assert_eq!(
                has_sentence_punct(&s),
                s.chars().any(is_sentence_punct),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn lines_holding_a_word() {
        let text = "到2022年\r\n无\n\n年年\n末行年";
        let lines = split_lines(text);
        let by_line: Vec<bool> = lines.iter().map(|l| l.contains("年")).collect();
        assert_eq!(lines_containing(text, &lines, &["年"]), by_line);
        let either: Vec<bool> = lines
            .iter()
            .map(|l| l.contains("年") || l.contains("行") || l.contains("无"))
            .collect();
        assert_eq!(lines_containing(text, &lines, &["年", "行", "无"]), either);
        assert_eq!(lines_containing("", &[], &["年"]), Vec::<bool>::new());
    }

    #[test]
    fn lines_split_like_str_lines() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb",
            "a\r\n\r\nb\r",
            "\r",
            "甲\n\n乙\r\n",
            "x\ry\n",
        ] {
            assert_eq!(
                split_lines(text),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn folds_full_width() {
        assert_eq!(fold_width("（１）ＡＢ，"), "(1)AB,");
        assert!(matches!(fold_width("健康郑州行动"), Cow::Borrowed(_)));
        // The byte search finds exactly the characters that fold, at any place in a text.
        for c in (0u32..0x11000).filter_map(char::from_u32) {
            for s in [format!("甲{c}乙"), format!("{c}"), format!("{c}{c}a")] {
                let folded: String = s.chars().map(fold_char).collect();
                assert_eq!(*fold_width(&s), *folded, "U+{:04X}", c as u32);
                assert_eq!(matches!(fold_width(&s), Cow::Borrowed(_)), folded == s);
            }
        }
    }

    #[test]
    fn page_furniture_is_blanked() {
        let text = "某县人民政府公报\n一、总则\n— 3 —\n正文。\n- 12 -\n某县人民政府公报\n第 5 页\n12/40\n2021\n";
        let mut lines = split_lines(text);
        blank_page_furniture(&mut lines);
        assert_eq!(
            lines,
            vec!["", "一、总则", "", "正文。", "", "", "", "", "2021"]
        );
        assert!(!is_page_number("1. 推进"));
    }

    /// [`normalize_spacing`] and [`remove_spaces`] as they are defined, a character at a time:
    /// the oracle for the run-copying versions.
    fn spacing_by_characters(s: &str) -> (String, String) {
        let mut out = String::new();
        let mut pending_space = false;
        let mut prev: Option<char> = None;
        for (i, c) in s.char_indices() {
            if c == '*' {
                continue;
            }
            if is_space(c) {
                pending_space = prev.is_some();
                continue;
            }
            if pending_space {
                if let Some(p) = prev {
                    if !is_cjk(p) && !is_cjk(c) && !split_number_of_a_date(p, &s[i..]) {
                        out.push(' ');
                    }
                }
                pending_space = false;
            }
            out.push(c);
            prev = Some(c);
        }
        let removed = s.chars().filter(|&c| !is_space(c) && c != '*').collect();
        (out, removed)
    }

    proptest::proptest! {
        #[test]
        fn spacing_is_normalized_as_character_by_character(
            chars in proptest::collection::vec(proptest::sample::select(&[
                ' ', '\u{3000}', '\u{A0}', '\u{2003}', '\t', '*', '2', '0', 'a', 'B', '年', '月',
                '郑', '、', '。', '“', '（', '.', '-',
            ][..]), 0..40)
        ) {
            let s: String = chars.into_iter().collect();
            let (normalized, removed) = spacing_by_characters(&s);
            proptest::prop_assert_eq!(normalize_spacing(&s), normalized.as_str());
            proptest::prop_assert_eq!(remove_spaces(&s), removed.as_str());
        }
    }

    #[test]
    fn a_date_split_by_pdf_extraction_is_joined() {
        assert_eq!(normalize_spacing("到 20 21 年底"), "到2021年底");
        assert_eq!(normalize_spacing("20 25 年 6 月"), "2025年6月");
        assert_eq!(normalize_spacing("共 2 3 个"), "共2 3个");
    }

    #[test]
    fn spacing_between_cjk_and_digits_is_removed() {
        assert_eq!(normalize_spacing("  2019 年 **郑 州**  "), "2019年郑州");
        assert_eq!(normalize_spacing("CAP 1.2 标准"), "CAP 1.2标准");
        assert_eq!(
            normalize_spacing("Quacquarelli Symonds 发布"),
            "Quacquarelli Symonds发布"
        );
    }

    #[test]
    fn spaces_of_every_kind_are_found() {
        for s in [
            "a b",
            "甲\u{3000}乙",
            "x\u{00A0}",
            "\u{2003}",
            "\u{205F}",
            "\u{1680}",
            "**",
            "\t",
        ] {
            assert!(has_space_or_markup(s), "{s:?}");
            assert_eq!(
                has_space_or_markup(s),
                s.chars().any(|c| c.is_whitespace() || c == '*')
            );
        }
        // Every Unicode whitespace character lies below U+3001: check them all, alone and
        // between Chinese characters.
        for c in (0u32..0x3100).filter_map(char::from_u32) {
            let s = format!("甲{c}乙");
            assert_eq!(
                has_space_or_markup(&s),
                c.is_whitespace() || c == '*',
                "U+{:04X}",
                c as u32
            );
            // The block and word searches agree wherever the character stands.
            for pad in [0, 5, 15, 16, 17, 30] {
                let s = format!("{}{c}乙{c}", "a".repeat(pad));
                let b = s.as_bytes();
                for from in [0, pad] {
                    assert_eq!(
                        next_space_or_markup(b, from),
                        next_space_or_markup_by_words(b, from),
                        "U+{:04X} after {pad} from {from}",
                        c as u32
                    );
                }
            }
        }
        for s in ["健康郑州行动", "（一）", "2019年", "。、“”", ""] {
            assert!(!has_space_or_markup(s), "{s:?}");
        }
        // Long texts are tested in blocks: a space at any position, and near either end.
        let long = "健康郑州行动，。".repeat(40);
        assert!(!has_space_or_markup(&long));
        for (at, _) in long.char_indices() {
            for space in [" ", "\u{3000}", "\u{00A0}", "*", "\u{2028}"] {
                let mut s = long.clone();
                s.insert_str(at, space);
                assert!(has_space_or_markup(&s), "{space:?} at {at}");
                s.truncate(at + space.len());
                assert!(has_space_or_markup(&s), "{space:?} at the end, {at}");
            }
        }
    }

    #[test]
    fn clean_trims_what_the_character_rule_trims() {
        let junk = |c: char| c.is_whitespace() || c == '*';
        for c in (0u32..0x11000).filter_map(char::from_u32) {
            for s in [
                format!("{c}甲"),
                format!("甲{c}"),
                format!("{c}"),
                format!("{c}甲{c}"),
            ] {
                assert_eq!(clean(&s), s.trim_matches(junk), "U+{:04X}", c as u32);
            }
        }
        assert_eq!(clean(""), "");
    }

    #[test]
    fn no_whitespace_above_the_ideographic_space() {
        for c in (0x3001u32..=0x10FFFF).filter_map(char::from_u32) {
            assert!(!c.is_whitespace(), "U+{:04X}", c as u32);
        }
        assert_eq!(clean("\u{3000} *郑州* \u{2003}"), "郑州");
    }

    #[test]
    fn display_width_matches_the_character_rule() {
        let by_chars = |s: &str| -> usize {
            s.chars()
                .map(|c| {
                    if is_cjk(c) || c as u32 >= 0x1100 {
                        2
                    } else {
                        1
                    }
                })
                .sum()
        };
        for c in (0u32..0x11000).chain([0xB7, 0x10FF, 0x1100, 0x2014, 0x1F600]) {
            let Some(c) = char::from_u32(c) else { continue };
            let s = format!("a{c}甲·");
            assert_eq!(display_width(&s), by_chars(&s), "U+{:04X}", c as u32);
        }
        assert_eq!(display_width("健康郑州 2030"), 13);
    }

    #[test]
    fn name_lists_are_recognised() {
        assert!(has_han_space_han("王中立 市教育局局长"));
        assert!(!has_han_space_han("责任单位: 市体育局, 各县(市、区)政"));
        assert!(!has_han_space_han("改造农村户厕 15 万户"));
    }

    #[test]
    fn other_brackets_are_found_by_bytes() {
        for c in (0u32..0x11000).filter_map(char::from_u32) {
            let s = format!("市{c}局");
            let by_chars = s.contains(['(', ')', '〔', '〕', '[', ']', '【', '】', '［', '］']);
            assert_eq!(has_other_brackets(&s), by_chars, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn brackets_become_full_width() {
        assert_eq!(
            full_width_brackets("各县〔市、区〕(政府)"),
            "各县（市、区）（政府）"
        );
    }
}
