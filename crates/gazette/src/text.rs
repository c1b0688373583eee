//! Text normalisation (文本规整): full/half-width folding and whitespace clean-up shared by
//! all extractors.

/// Fold full-width ASCII variants (`０-９`, `Ａ-Ｚ`, `（`, `）`, `，`, `：`, `％` …) to their
/// half-width forms and the ideographic space to an ASCII space.
pub(crate) fn fold_width(s: &str) -> String {
    s.chars().map(fold_char).collect()
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

/// Remove whitespace that the PDF extraction inserted between CJK characters and between CJK
/// and digits (`2019 年` → `2019年`, `郑 州` → `郑州`), keep single spaces between two Latin
/// words or numbers, and drop markup debris (`**`).
pub(crate) fn normalize_spacing(s: &str) -> String {
    let s = s.replace("**", "");
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let prev = if start > 0 {
                Some(chars[start - 1])
            } else {
                None
            };
            let next = chars.get(i).copied();
            if let (Some(p), Some(n)) = (prev, next) {
                if !is_cjk(p) && !is_cjk(n) {
                    out.push(' ');
                }
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Remove every whitespace character (for unit names and other identifiers).
pub(crate) fn remove_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width() {
        assert_eq!(fold_width("（１）ＡＢ，"), "(1)AB,");
    }

    #[test]
    fn spacing_between_cjk_and_digits_is_removed() {
        assert_eq!(normalize_spacing("  2019 年 **郑 州**  "), "2019年郑州");
        assert_eq!(normalize_spacing("CAP 1.2 标准"), "CAP 1.2标准");
    }
}
