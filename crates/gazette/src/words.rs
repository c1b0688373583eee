//! Word searches in short Chinese texts (短词查找): whether a text holds a given character or
//! word, by one byte search (`memchr`) for the word's last byte, each hit checked against the
//! bytes before it.
//!
//! `str::contains` sets up a searcher for every call whose pattern is not one ASCII byte (a
//! Chinese character is three bytes): on the short texts the readers test — unit names, notes,
//! labels, single lines — that set-up was most of the search. UTF-8 is self-synchronising, so a
//! byte match of a whole word is a match of its characters.

/// True when `hay` holds `word` (an empty word is always held).
#[inline]
pub(crate) fn has_word(hay: &str, word: &str) -> bool {
    let (h, w) = (hay.as_bytes(), word.as_bytes());
    let Some((&last, head)) = w.split_last() else {
        return true;
    };
    memchr::memchr_iter(last, h).any(|i| i >= head.len() && h[i - head.len()..i] == *head)
}

/// True when `hay` holds the character `c`.
#[inline]
pub(crate) fn has_char(hay: &str, c: char) -> bool {
    has_word(hay, c.encode_utf8(&mut [0; 4]))
}

/// Where each `c` in `hay` starts, in order (`str::match_indices` for one character).
pub(crate) fn char_positions(hay: &str, c: char) -> impl Iterator<Item = usize> + '_ {
    let mut buf = [0; 4];
    let n = c.encode_utf8(&mut buf).len();
    let h = hay.as_bytes();
    memchr::memchr_iter(buf[n - 1], h)
        .filter(move |&i| i + 1 >= n && h[i + 1 - n..i] == buf[..n - 1])
        .map(move |i| i + 1 - n)
}

/// Where the last `word` in `hay` starts, as `str::rfind` says (an empty word is found at the
/// end): one byte search backwards for the word's last byte.
#[inline]
pub(crate) fn last_at(hay: &str, word: &str) -> Option<usize> {
    let (h, w) = (hay.as_bytes(), word.as_bytes());
    let Some((&last, head)) = w.split_last() else {
        return Some(h.len());
    };
    memchr::memrchr_iter(last, h)
        .find(|&i| i >= head.len() && h[i - head.len()..i] == *head)
        .map(|i| i - head.len())
}

/// True when `hay` holds any of `words`.
#[inline]
pub(crate) fn has_any(hay: &str, words: &[&str]) -> bool {
    words.iter().any(|w| has_word(hay, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn found_as_str_contains_finds(
            hay in proptest::collection::vec(proptest::sample::select(&[
                '郑', '州', '市', '和', '单', '位', '负', '责', 'a', '(', '（', ' ', '月', '底',
            ][..]), 0..24),
            word in proptest::collection::vec(proptest::sample::select(&[
                '市', '和', '单', '位', '负', '责', 'a', '(', '（', '月',
            ][..]), 0..3),
        ) {
            let hay: String = hay.into_iter().collect();
            let word: String = word.into_iter().collect();
            proptest::prop_assert_eq!(has_word(&hay, &word), hay.contains(word.as_str()));
            proptest::prop_assert_eq!(last_at(&hay, &word), hay.rfind(word.as_str()));
            for c in word.chars() {
                proptest::prop_assert_eq!(has_char(&hay, c), hay.contains(c));
                let found: Vec<usize> = hay.match_indices(c).map(|(i, _)| i).collect();
                proptest::prop_assert_eq!(char_positions(&hay, c).collect::<Vec<_>>(), found);
            }
        }
    }

    #[test]
    fn words_are_found_at_either_end_and_not_across_characters() {
        assert!(has_word("单位", "单位"));
        assert!(has_word("市单位", "单位"));
        assert!(has_word("单位市", "单位"));
        assert!(!has_word("单", "单位"));
        assert!(has_any("按职责负责", &["牵头", "负责"]));
        assert!(!has_any("", &["牵头", "负责"]));
        // `丁` is `E4 B8 81`, U+4E41 `E4 B9 81`: the same last byte is not the same character.
        assert!(!has_char("\u{4E41}", '丁'));
        assert!(has_char("\u{4E41}丁", '丁'));
    }
}
