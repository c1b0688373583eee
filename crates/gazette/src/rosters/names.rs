//! Personal names in lists (名单中的姓名): tokenising name lists the way a typeset gazette
//! writes them, shared by rosters (成员名单) and commendations (表扬名单).
//!
//! Typesetters pad two-character names to the width of three-character names with a space
//! (`张 吉`, `帖 琪`), so a lone Chinese character is never a name of its own: two adjacent
//! single-character tokens form one two-character name. A bracketed note written after a name
//! (`李 鹏 (管城回族区人社局)`, `赵亮（市住房保障局）`) disambiguates it and is kept as the note.

use crate::text::is_han;

/// One name read from a list, with its disambiguating note if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListedName {
    pub name: String,
    pub note: Option<String>,
}

/// Split `s` on whitespace (ASCII, ideographic space, tabs) outside brackets. A bracket
/// group keeps its inner spaces and stays one token.
pub(crate) fn bracket_aware_tokens(s: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None; // where the current token starts
    let mut depth = 0usize;
    let b = s.as_bytes();
    let mut next = 0;
    while next < b.len() {
        let at = next;
        // Ideographs U+4000–U+9FFF (lead bytes `E4`–`E9`) are neither brackets nor spaces:
        // stepped over undecoded, as part of the token they are in.
        if (0xE4..=0xE9).contains(&b[at]) {
            start.get_or_insert(at);
            next += 3;
            continue;
        }
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        next += c.len_utf8();
        if is_open_bracket(c) {
            // A bracket after a space starts its own token; glued to a name it stays glued.
            depth += 1;
        } else if is_close_bracket(c) {
            depth = depth.saturating_sub(1);
        } else if c.is_whitespace() && depth == 0 {
            if let Some(from) = start.take() {
                tokens.push(&s[from..at]);
            }
            continue;
        }
        start.get_or_insert(at);
    }
    if let Some(from) = start {
        tokens.push(&s[from..]);
    }
    tokens
}

pub(crate) fn is_open_bracket(c: char) -> bool {
    matches!(c, '(' | '（' | '〔' | '[' | '【')
}

pub(crate) fn is_close_bracket(c: char) -> bool {
    matches!(c, ')' | '）' | '〕' | ']' | '】')
}

/// True when the token is exactly one Chinese character (half of a padded two-character name).
pub(crate) fn is_single_hanzi(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
}

/// True when `s` looks like a personal name: 2 to 5 Chinese characters, or a transliterated
/// name joined by a middle dot (`阿依古丽·买买提`); not a unit (`市教育局`, `县政府`).
pub(crate) fn looks_like_person_name(s: &str) -> bool {
    let n = s.chars().count();
    let all_name_chars = s.chars().all(|c| is_han(c) || c == '·' || c == '•');
    let unit_like = s.starts_with(NOT_NAME_STARTS) || s.ends_with(NOT_NAME_ENDINGS);
    all_name_chars && !unit_like && ((2..=5).contains(&n) || (s.contains('·') && n <= 12))
}

/// True for a token that describes a person rather than names one: it starts like a unit
/// (`市教育局科长`) or is longer than any name without a middle dot.
fn is_description(token: &str) -> bool {
    token.starts_with(NOT_NAME_STARTS) || (token.chars().count() > 5 && !token.contains('·'))
}

/// First characters no surname has (`市教育局`, `省…`, `县…`).
const NOT_NAME_STARTS: &[char] = &['市', '省', '县'];
/// Last characters of unit names that given names do not end with (`…局`, `…厅`, `…政府`).
const NOT_NAME_ENDINGS: &[char] = &['局', '厅', '府'];

/// Split a token into the part before its first bracket and the bracket's content
/// (`赵亮（市住房保障局）` → (`赵亮`, `市住房保障局`)).
pub(crate) fn split_note(token: &str) -> (String, Option<String>) {
    match token.char_indices().find(|(_, c)| is_open_bracket(*c)) {
        Some((at, _)) => {
            let base = token[..at].to_string();
            let note = strip_brackets(&token[at..]);
            (base, (!note.is_empty()).then_some(note))
        }
        None => (token.to_string(), None),
    }
}

/// The content of a bracket group with the brackets and inner spaces removed
/// (`(市接待办)` → `市接待办`).
pub(crate) fn strip_brackets(s: &str) -> String {
    s.chars()
        .filter(|c| !is_open_bracket(*c) && !is_close_bracket(*c) && !c.is_whitespace())
        .collect()
}

/// Split `s` at any of `separators` outside brackets; parts are trimmed, empty ones dropped.
/// Ideographs U+4000–U+9FFF are stepped over undecoded (separators are punctuation).
pub(crate) fn split_outside_brackets<'a>(s: &'a str, separators: &[char]) -> Vec<&'a str> {
    debug_assert!(!separators
        .iter()
        .any(|c| ('\u{4000}'..='\u{9FFF}').contains(c)));
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let b = s.as_bytes();
    let mut next = 0;
    while next < b.len() {
        let at = next;
        if (0xE4..=0xE9).contains(&b[at]) {
            next += 3;
            continue;
        }
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        next += c.len_utf8();
        if is_open_bracket(c) {
            depth += 1;
        } else if is_close_bracket(c) {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && separators.contains(&c) {
            parts.push(s[start..at].trim());
            start = at + c.len_utf8();
        }
    }
    parts.push(s[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Separators of names written in a run (`张三、李四，王五`).
const NAME_SEPARATORS: &[char] = &['、', '，', ',', '；', ';'];

/// Read the names of one list line (or one table cell): padded two-character names are
/// joined, a bracket token after a name becomes that name's note. Names may also be written
/// in a run separated by `、`/`，`.
pub(crate) fn split_names(s: &str) -> Vec<ListedName> {
    split_outside_brackets(s, NAME_SEPARATORS)
        .into_iter()
        .flat_map(split_spaced_names)
        .collect()
}

fn split_spaced_names(s: &str) -> Vec<ListedName> {
    let tokens = bracket_aware_tokens(s);
    let mut names: Vec<ListedName> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        if token.starts_with(is_open_bracket) {
            let note = strip_brackets(token);
            match names.last_mut() {
                Some(last) if last.note.is_none() && !note.is_empty() => last.note = Some(note),
                _ => names.push(ListedName {
                    name: String::new(),
                    note: Some(note),
                }),
            }
            i += 1;
            continue;
        }
        let (base, note) = split_note(token);
        // `张三 市教育局科长`: a unit or post after a name describes that name.
        if is_description(&base) && note.is_none() {
            if let Some(last) = names
                .last_mut()
                .filter(|l| l.note.is_none() && !l.name.is_empty())
            {
                last.note = Some(base);
                i += 1;
                continue;
            }
        }
        if is_single_hanzi(&base) && note.is_none() {
            if let Some(next) = tokens.get(i + 1) {
                let (next_base, next_note) = split_note(next);
                if is_single_hanzi(&next_base) {
                    names.push(ListedName {
                        name: format!("{base}{next_base}"),
                        note: next_note,
                    });
                    i += 2;
                    continue;
                }
            }
        }
        names.push(ListedName { name: base, note });
        i += 1;
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(names: &[ListedName]) -> Vec<&str> {
        names.iter().map(|n| n.name.as_str()).collect()
    }

    proptest::proptest! {
        /// The byte-stepping tokenisers read as the character-by-character ones they replace.
        #[test]
        fn tokens_and_parts_as_read_character_by_character(
            chars in proptest::collection::vec(proptest::sample::select(&[
                '张', '三', '市', ' ', '\u{3000}', '\t', '（', '）', '(', ')', '【', '】', '、',
                '，', ',', ';', 'a', '·', '\u{20000}', 'é',
            ][..]), 0..30)
        ) {
            let s: String = chars.into_iter().collect();
            let mut tokens = Vec::new();
            let (mut start, mut depth) = (None, 0usize);
            for (at, c) in s.char_indices() {
                if is_open_bracket(c) {
                    depth += 1;
                } else if is_close_bracket(c) {
                    depth = depth.saturating_sub(1);
                } else if c.is_whitespace() && depth == 0 {
                    if let Some(from) = start.take() {
                        tokens.push(&s[from..at]);
                    }
                    continue;
                }
                start.get_or_insert(at);
            }
            if let Some(from) = start {
                tokens.push(&s[from..]);
            }
            proptest::prop_assert_eq!(bracket_aware_tokens(&s), tokens);
            let mut parts = Vec::new();
            let (mut start, mut depth) = (0, 0usize);
            for (at, c) in s.char_indices() {
                if is_open_bracket(c) {
                    depth += 1;
                } else if is_close_bracket(c) {
                    depth = depth.saturating_sub(1);
                } else if depth == 0 && NAME_SEPARATORS.contains(&c) {
                    parts.push(s[start..at].trim());
                    start = at + c.len_utf8();
                }
            }
            parts.push(s[start..].trim());
            parts.retain(|p| !p.is_empty());
            proptest::prop_assert_eq!(split_outside_brackets(&s, NAME_SEPARATORS), parts);
        }
    }

    #[test]
    fn padded_two_character_names_are_joined() {
        let names = split_names("帖 琪 袁 涛 魏柳涛 周 飞");
        assert_eq!(plain(&names), ["帖琪", "袁涛", "魏柳涛", "周飞"]);
    }

    #[test]
    fn unpadded_names_stay_apart() {
        let names = split_names("张梦晗 赵翔 岳兆翼 马彪");
        assert_eq!(plain(&names), ["张梦晗", "赵翔", "岳兆翼", "马彪"]);
    }

    #[test]
    fn notes_attach_to_the_name_before_them() {
        let names = split_names("李 鹏 (管城回族区人社局)");
        assert_eq!(
            names,
            [ListedName {
                name: "李鹏".into(),
                note: Some("管城回族区人社局".into())
            }]
        );
        let names = split_names("安慧 赵亮（市住房保障局）");
        assert_eq!(names[1].name, "赵亮");
        assert_eq!(names[1].note.as_deref(), Some("市住房保障局"));
    }

    #[test]
    fn names_in_a_run() {
        let names = split_names("张三、李 四（市教育局、市体育局），王五");
        assert_eq!(plain(&names), ["张三", "李四", "王五"]);
        assert_eq!(names[1].note.as_deref(), Some("市教育局、市体育局"));
    }

    #[test]
    fn a_description_after_a_name_is_its_note() {
        let names = split_names("张三 市教育局科长 李 四 郑州大学第一附属医院");
        assert_eq!(plain(&names), ["张三", "李四"]);
        assert_eq!(names[0].note.as_deref(), Some("市教育局科长"));
        assert_eq!(names[1].note.as_deref(), Some("郑州大学第一附属医院"));
    }

    #[test]
    fn note_with_spaces_stays_one_token() {
        assert_eq!(
            bracket_aware_tokens("王 伟 （市 教育局） 李四"),
            ["王", "伟", "（市 教育局）", "李四"]
        );
    }

    #[test]
    fn a_lone_bracket_without_a_name_is_kept() {
        let names = split_names("(备注)");
        assert_eq!(names.len(), 1);
        assert_eq!(names[0].note.as_deref(), Some("备注"));
    }

    #[test]
    fn person_name_shapes() {
        assert!(looks_like_person_name("张吉"));
        assert!(looks_like_person_name("欧阳明月"));
        assert!(!looks_like_person_name("市政府常务副秘书长"));
        assert!(!looks_like_person_name("张"));
        assert!(looks_like_person_name("阿依古丽·买买提"));
        assert!(!looks_like_person_name("市教育局"));
        assert!(!looks_like_person_name("县政府"));
        assert!(looks_like_person_name("马百会"));
        assert!(looks_like_person_name("陈科委"));
    }
}
