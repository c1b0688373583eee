//! Clause markers at the start of a line (条款序号): `一、`, `（一）`, `1.`, `（1）`, `第X章`,
//! `第X条`, `附件N`, with their nesting depth. Used by the list extractors to find headings and
//! where a list ends. Works on width-folded text (see `text::fold_width`).

/// A marker found at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker {
    /// Nesting depth: 0 for `第X章`/`附件N`, 1 for `一、`, 2 for `（一）`, 3 for `1.`,
    /// 4 for `（1）`, 5 for `第X条`.
    pub level: u8,
    /// Length of the marker in bytes (in the folded text), including its punctuation.
    pub len: usize,
}

/// Characters looked at for a marker.
const MAX_MARKER_CHARS: usize = 16;

fn is_chinese_numeral(c: char) -> bool {
    // A character test, not a search of the list (`str::contains` set up a searcher per call).
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '零'
            | '〇'
            | '两'
    )
}

/// The marker at the start of `folded` (leading whitespace ignored by the caller), if any.
pub(crate) fn leading_marker(folded: &str) -> Option<Marker> {
    // Every marker starts with a numeral, `(`, a digit, 第 or 附: other lines (most) are
    // decided by their first character.
    let first = folded.chars().next()?;
    if !(is_chinese_numeral(first) || matches!(first, '(' | '第' | '附') || first.is_ascii_digit())
    {
        return None;
    }
    // Markers are short: the first characters suffice (`第一百二十三条` is 7).
    let mut buffer = [(0usize, '\0'); MAX_MARKER_CHARS];
    let mut count = 0;
    for (slot, item) in buffer.iter_mut().zip(folded.char_indices()) {
        *slot = item;
        count += 1;
    }
    let chars = &buffer[..count];
    let byte_after = |i: usize| chars.get(i).map(|(b, _)| *b).unwrap_or(folded.len());
    let first = chars.first()?.1;
    // 一、 …
    if is_chinese_numeral(first) {
        let mut i = 0;
        while i < chars.len() && is_chinese_numeral(chars[i].1) {
            i += 1;
        }
        if matches!(
            chars.get(i).map(|c| c.1),
            Some('、') | Some('.') | Some('．')
        ) {
            return Some(Marker {
                level: 1,
                len: byte_after(i + 1),
            });
        }
        return None;
    }
    // （一） / （1）
    if first == '(' {
        let mut i = 1;
        while i < chars.len() && chars[i].1 == ' ' {
            i += 1;
        }
        let start = i;
        let numeral = chars.get(i).map(|c| c.1)?;
        let level = if is_chinese_numeral(numeral) {
            while i < chars.len() && is_chinese_numeral(chars[i].1) {
                i += 1;
            }
            2
        } else if numeral.is_ascii_digit() {
            while i < chars.len() && chars[i].1.is_ascii_digit() {
                i += 1;
            }
            4
        } else {
            return None;
        };
        while i < chars.len() && chars[i].1 == ' ' {
            i += 1;
        }
        if i > start && chars.get(i).map(|c| c.1) == Some(')') {
            return Some(Marker {
                level,
                len: byte_after(i + 1),
            });
        }
        return None;
    }
    // 1. / 1、 (not a decimal number such as `4.1`)
    if first.is_ascii_digit() {
        let mut i = 0;
        while i < chars.len() && chars[i].1.is_ascii_digit() {
            i += 1;
        }
        let punct = chars.get(i).map(|c| c.1);
        let next = chars.get(i + 1).map(|c| c.1);
        let is_marker = match punct {
            Some('、') => true,
            Some('.') => !next.is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
        return is_marker.then(|| Marker {
            level: 3,
            len: byte_after(i + 1),
        });
    }
    // 第X章 / 第X条
    if first == '第' {
        let mut i = 1;
        while i < chars.len() && (is_chinese_numeral(chars[i].1) || chars[i].1.is_ascii_digit()) {
            i += 1;
        }
        if i > 1 {
            let level = match chars.get(i).map(|c| c.1) {
                Some('章') | Some('编') => 0,
                Some('节') => 1,
                Some('条') => 5,
                _ => return None,
            };
            return Some(Marker {
                level,
                len: byte_after(i + 1),
            });
        }
        return None;
    }
    // 附件N
    if let Some(rest) = folded.strip_prefix("附件") {
        let digits = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let only_marker = rest.trim().chars().all(|c| c.is_ascii_digit());
        if digits > 0 && only_marker {
            return Some(Marker {
                level: 0,
                len: folded.len(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(s: &str) -> Option<u8> {
        leading_marker(s).map(|m| m.level)
    }

    #[test]
    fn recognises_the_usual_markers() {
        assert_eq!(level("一、先进集体(30个)"), Some(1));
        assert_eq!(level("(一)商事制度改革先进集体(20个)"), Some(2));
        assert_eq!(level("( 二 ) 土地"), Some(2));
        assert_eq!(level("3.加强"), Some(3));
        assert_eq!(level("(12)加强"), Some(4));
        assert_eq!(level("第七条 办理"), Some(5));
        assert_eq!(level("第二章 总则"), Some(0));
        assert_eq!(level("附件 3"), Some(0));
    }

    #[test]
    fn ordinary_text_has_no_marker() {
        assert_eq!(level("4.1‰及以下"), None);
        assert_eq!(level("一些内容"), None);
        assert_eq!(level("(市接待办)"), None);
        assert_eq!(level("第三届全国"), None);
        assert_eq!(level("附件:名单"), None);
        assert_eq!(level(""), None);
        let m = leading_marker("一、组成人员").unwrap();
        assert_eq!(&"一、组成人员"[m.len..], "组成人员");
    }
}
