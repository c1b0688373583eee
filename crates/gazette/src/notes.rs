//! Owner notes (责任标注): the bracketed note written after a measure that names who carries it
//! out, in all the forms documents use:
//!
//! - keyed: `（责任单位：A，B；协办单位：C）`, `（负责部门：A、B；适用范围：…）` — owner keys
//!   ([`NOTE_KEYS`]) open a list that runs to the next key; other keys (`适用范围`, `完成时限`) close
//!   it and are not owners;
//! - verbs: `（A、B负责）`, `（A牵头，B、C参与）`, `（A会同有关部门负责）`, `（A等按职责分工负责）`,
//!   `（各县（市、区）政府负责，市直有关部门配合）`, notes ending in `指导` or `落实`
//!   ([`VERB_ENDINGS`]): the list before the verb gets the verb's role;
//! - a document's own rule, `排在第一位的部门为牵头部门，下同` or `列第一位者为牵头单位`
//!   ([`declares_first_leads`]): never read as unit names; where a document states it, the first
//!   unit of a note without an explicit lead leads (applied by `tasks`).
//!
//! A bracket is an owner note only when every part of it is understood and every unit list
//! reads as unit names ([`looks_like_units`]): `（以下简称自贸试验区）` or `（对本地区工作负责）` are
//! not notes.

use crate::documents::split_top_level;
use crate::lines::{OwnerKey, OWNER_KEYS};
use crate::text::{is_han, is_sentence_punct, is_space, remove_spaces, trim};

/// Owner keys that may open a list inside a note, besides the owner-line keys of
/// [`OWNER_KEYS`].
pub(crate) const NOTE_KEYS: &[(&str, OwnerKey)] = &[
    ("负责部门", OwnerKey::Responsible),
    ("责任部门", OwnerKey::Responsible),
    ("牵头部门", OwnerKey::Lead),
    ("配合部门", OwnerKey::Assisting),
    ("参与部门", OwnerKey::Assisting),
    ("参与单位", OwnerKey::Assisting),
    ("协助单位", OwnerKey::Assisting),
    ("主办单位", OwnerKey::Responsible),
    ("责任主体", OwnerKey::Responsible),
];

/// Verbs that end an owner list, longest first, with the role they give it.
pub(crate) const VERB_ENDINGS: &[(&str, OwnerKey)] = &[
    ("按照职责分工负责", OwnerKey::Responsible),
    ("按职责分工负责", OwnerKey::Responsible),
    ("按职责分工落实", OwnerKey::Responsible),
    ("根据职责分工负责", OwnerKey::Responsible),
    ("按职责负责", OwnerKey::Responsible),
    ("分工负责", OwnerKey::Responsible),
    ("分别负责", OwnerKey::Responsible),
    ("共同负责", OwnerKey::Responsible),
    ("负责落实", OwnerKey::Responsible),
    ("牵头负责", OwnerKey::Lead),
    ("牵头落实", OwnerKey::Lead),
    ("牵头", OwnerKey::Lead),
    ("负责", OwnerKey::Responsible),
    ("落实", OwnerKey::Responsible),
    ("指导", OwnerKey::Responsible),
    ("参与", OwnerKey::Assisting),
    ("配合", OwnerKey::Assisting),
    ("协助", OwnerKey::Assisting),
    ("协同", OwnerKey::Assisting),
];

/// Last characters of a unit name (`…部`, `…委`, `…总局`, `…政府`, `…部门`).
const UNIT_LAST_CHARS: &[char] = &[
    '部', '委', '局', '署', '会', '办', '院', '厅', '府', '行', '司', '室', '心', '队', '组', '社',
    '所', '团', '门', '位', '区', '市', '县', '镇', '处', '科', '站', '馆', '校', '台', '省', '军',
    '联', '协',
];

/// The owners one note names: unit lists (as written) by role.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Note<'a> {
    pub lead: Vec<&'a str>,
    pub responsible: Vec<&'a str>,
    pub assisting: Vec<&'a str>,
    /// The note states the document's rule that the first unit leads.
    pub declares_first_leads: bool,
    /// The note is keyed (`责任单位：…`), not written with verbs.
    pub keyed: bool,
}

impl<'a> Note<'a> {
    fn push(&mut self, role: OwnerKey, list: &'a str) {
        match role {
            OwnerKey::Lead => self.lead.push(list),
            OwnerKey::Responsible | OwnerKey::Leader => self.responsible.push(list),
            OwnerKey::Assisting => self.assisting.push(list),
        }
    }

    fn names_owner(&self) -> bool {
        !(self.lead.is_empty() && self.responsible.is_empty() && self.assisting.is_empty())
    }
}

/// True when the text states that the unit listed first leads (`排在第一位的部门为牵头部门`,
/// `列第一位者为牵头单位`, `排名第一的为牵头单位`).
pub(crate) fn declares_first_leads(text: &str) -> bool {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    // Every clause's text is searched: memchr's vector searchers, built once, rather than a
    // searcher set up per text by `str::contains`.
    static LEADS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("牵头"));
    static FIRST: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("第一"));
    static TOP: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("首位"));
    let b = text.as_bytes();
    // Every wording but `首位` holds `第一`: two searches rule out most texts.
    LEADS.find(b).is_some()
        && (FIRST.find(b).is_some() || TOP.find(b).is_some())
        && ["第一位", "首位", "排名第一", "排第一", "第一个", "列第一"]
            .iter()
            .any(|w| text.contains(w))
}

/// Read the inside of a bracket as an owner note, if it is one.
pub(crate) fn parse(inner: &str) -> Option<Note<'_>> {
    let inner = trim(inner);
    if inner.is_empty() || inner.len() > 900 {
        return None;
    }
    let mut note = if has_key(inner) {
        keyed(inner)?
    } else {
        with_verbs(inner)?
    };
    note.declares_first_leads |= declares_first_leads(inner);
    note.names_owner().then_some(note)
}

/// Owner keys followed by a colon: (key start, value start, role or `None` for another key).
pub(crate) fn key_hits(text: &str) -> Vec<(usize, usize, Option<OwnerKey>)> {
    let mut hits = Vec::new();
    let bytes = text.as_bytes();
    for i in memchr::memchr2_iter(b':', 0xEF, bytes) {
        let colon_len = match bytes[i] {
            b':' => 1,
            _ if bytes.get(i + 1) == Some(&0xBC) && bytes.get(i + 2) == Some(&0x9A) => 3,
            _ => continue,
        };
        let before = text[..i].trim_end();
        let known = OWNER_KEYS
            .iter()
            .chain(NOTE_KEYS)
            .find(|(w, _)| before.ends_with(w));
        if let Some((word, key)) = known {
            hits.push((before.len() - word.len(), i + colon_len, Some(*key)));
            continue;
        }
        // Another key (`适用范围：`): the word since the last separator, a few characters.
        let start = before
            .rfind(|c: char| is_sentence_punct(c) || c == '（' || c == '(')
            .map(|p| p + before[p..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        let word = before[start..].trim();
        let count = word.chars().count();
        if (2..=6).contains(&count) && word.chars().all(is_han) {
            hits.push((start, i + colon_len, None));
        }
    }
    hits
}

fn has_key(text: &str) -> bool {
    key_hits(text).iter().any(|h| h.2.is_some())
}

/// `责任单位：A，B，协办单位：C` → [(Responsible, "A，B"), (Assisting, "C")]; other keys close
/// the list before them and are left out.
pub(crate) fn keyed_segments(note: &str) -> Vec<(OwnerKey, &str)> {
    let hits = key_hits(note);
    let mut out = Vec::with_capacity(hits.len());
    for (i, &(_, value_start, key)) in hits.iter().enumerate() {
        let end = hits.get(i + 1).map(|h| h.0).unwrap_or(note.len());
        let Some(key) = key else { continue };
        let value = trim(&note[value_start..end])
            .trim_end_matches(|c: char| is_sentence_punct(c) || is_space(c));
        out.push((key, value));
    }
    out
}

fn keyed(inner: &str) -> Option<Note<'_>> {
    let mut note = Note {
        keyed: true,
        ..Note::default()
    };
    for (key, value) in keyed_segments(inner) {
        if !value.is_empty() {
            note.push(key, value);
        }
    }
    Some(note)
}

fn with_verbs(inner: &str) -> Option<Note<'_>> {
    // Cheap test: every verb form ends a part with one of these characters.
    if !crate::words::has_any(
        inner,
        &[
            "负责", "牵头", "参与", "配合", "落实", "指导", "协助", "协同",
        ],
    ) {
        return None;
    }
    let mut note = Note::default();
    for part in split_top_level(inner, &['，', ',', '；', ';', '。']) {
        let part = trim(part);
        if part.is_empty() || part == "下同" {
            continue;
        }
        if declares_first_leads(part) {
            note.declares_first_leads = true;
            continue;
        }
        let (list, role) = VERB_ENDINGS
            .iter()
            .find_map(|(verb, role)| part.strip_suffix(verb).map(|l| (l, *role)))?;
        let list = trim(list.strip_prefix('由').unwrap_or(list));
        // `A会同B负责`: A leads, B takes the verb's role.
        if let Some(pos) = list.find("会同") {
            let (lead, rest) = (&list[..pos], &list[pos + "会同".len()..]);
            if !looks_like_units(lead) || !looks_like_units(rest) {
                return None;
            }
            note.push(OwnerKey::Lead, lead);
            note.push(role, rest);
            continue;
        }
        if !looks_like_units(list) {
            return None;
        }
        note.push(role, list);
    }
    Some(note)
}

/// True when every name of a list (split on `、` `，` outside brackets) ends like a unit name,
/// allowing an `等…` tail (`A、B等有关部门`, `A等`).
pub(crate) fn looks_like_units(list: &str) -> bool {
    let spaced = remove_spaces(list);
    let list = crate::text::full_width_brackets(&spaced);
    let list = list.trim_end_matches('等');
    if list.is_empty() || list.chars().count() > 200 {
        return false;
    }
    split_top_level(list, &['、', '，', ','])
        .into_iter()
        .all(|name| {
            let name = trim(name);
            let name = match crate::words::last_at(name, "等") {
                Some(p) if p > 0 => &name[..p],
                _ => name,
            };
            let name = name.trim_end_matches('）');
            let name = match name.rfind('（') {
                Some(p) if p > 0 && !name[..p].ends_with(['县', '市']) => &name[..p],
                _ => name,
            };
            let n = name.chars().count();
            (2..=30).contains(&n)
                && !name.contains(['。', '，', '；'])
                && !names_a_scope(name)
                && name.ends_with(UNIT_LAST_CHARS)
        })
}

/// A name that is a clause of scope, not a unit: `技工院校内由人力资源社会保障行政部门` (of the
/// note `（技工院校内由人力资源社会保障行政部门负责）`): a `由` inside it, except in `自由`
/// (`自由贸易试验区管委会`).
fn names_a_scope(name: &str) -> bool {
    name.char_indices()
        .skip(1)
        .any(|(i, c)| c == '由' && !name[..i].ends_with('自'))
}

/// Every owner note in `text`: (start of the opening bracket, end after the closing bracket,
/// the note), in order. Only brackets at the top level are read.
pub(crate) fn find(text: &str) -> Vec<(usize, usize, Note<'_>)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut inner_at = 0usize;
    let mut open_at = 0usize;
    // Brackets are `(` `)` and `（` `）` (`EF BC 88`, `EF BC 89`): the bytes `(`, `)` and
    // `EF` are found with memchr, so the ideographs between them are never decoded.
    let b = text.as_bytes();
    for i in memchr::memchr3_iter(b'(', b')', 0xEF, b) {
        let (opens, len) = match (b[i], b.get(i + 1), b.get(i + 2)) {
            (b'(', ..) => (true, 1),
            (b')', ..) => (false, 1),
            (_, Some(0xBC), Some(0x88)) => (true, 3),
            (_, Some(0xBC), Some(0x89)) => (false, 3),
            _ => continue,
        };
        if opens {
            if depth == 0 {
                open_at = i;
                inner_at = i + len;
            }
            depth += 1;
        } else if depth > 0 {
            depth -= 1;
            if depth == 0 {
                if let Some(note) = parse(&text[inner_at..i]) {
                    out.push((open_at, i + len, note));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Roles<'a> = (Vec<&'a str>, Vec<&'a str>, Vec<&'a str>, bool);

    fn roles(inner: &str) -> Option<Roles<'_>> {
        parse(inner).map(|n| (n.lead, n.responsible, n.assisting, n.declares_first_leads))
    }

    #[test]
    fn every_form_of_note() {
        assert_eq!(
            roles("省发展改革委负责"),
            Some((vec![], vec!["省发展改革委"], vec![], false))
        );
        assert_eq!(
            roles("财政厅、税务局负责"),
            Some((vec![], vec!["财政厅、税务局"], vec![], false))
        );
        assert_eq!(
            roles("住房城乡建设厅会同有关部门负责"),
            Some((vec!["住房城乡建设厅"], vec!["有关部门"], vec![], false))
        );
        assert_eq!(
            roles("市商务局等按职责分工负责"),
            Some((vec![], vec!["市商务局等"], vec![], false))
        );
        assert_eq!(
            roles("教育局牵头，科技局参与"),
            Some((vec!["教育局"], vec![], vec!["科技局"], false))
        );
        assert_eq!(
            roles("各县（市、区）政府负责，市直有关部门配合"),
            Some((
                vec![],
                vec!["各县（市、区）政府"],
                vec!["市直有关部门"],
                false
            ))
        );
        assert_eq!(
            roles("省教育厅指导"),
            Some((vec![], vec!["省教育厅"], vec![], false))
        );
        assert_eq!(
            roles("各地政府落实"),
            Some((vec![], vec!["各地政府"], vec![], false))
        );
        assert_eq!(
            roles("税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同"),
            Some((vec![], vec!["税务总局、财政部、海关总署"], vec![], true))
        );
        assert_eq!(
            roles("教育部牵头，科技部参与；列第一位者为牵头单位，下同"),
            Some((vec!["教育部"], vec![], vec!["科技部"], true))
        );
        let n = parse("负责部门：人力资源社会保障部、商务部；适用范围：所有自贸试验区，以下除标注外均为所有自贸试验区").unwrap();
        assert_eq!(n.responsible, vec!["人力资源社会保障部、商务部"]);
        assert!(n.keyed);
        let n = parse(
            "市卫健委牵头,市委宣传部〔文明办〕、市农委〔扶贫办〕、团市委、市红十字会按职责分工负责",
        )
        .unwrap();
        assert_eq!(n.lead, vec!["市卫健委"]);
        let n = parse("负责部门：海关总署，适用范围：福建自贸试验区").unwrap();
        assert_eq!(n.responsible, vec!["海关总署"]);
        let n = parse("责任单位：市水利局，郑东新区管委会；协办单位：市财政局").unwrap();
        assert_eq!(n.responsible, vec!["市水利局，郑东新区管委会"]);
        assert_eq!(n.assisting, vec!["市财政局"]);
    }

    #[test]
    fn brackets_that_are_not_notes() {
        for inner in [
            "以下简称自贸试验区",
            "此件公开发布",
            "略",
            "对本地区工作负责",
            "具体办法由财政部负责制定",
            "2018—2035年",
            "含本数",
        ] {
            assert_eq!(parse(inner), None, "{inner}");
        }
    }

    #[test]
    fn a_scope_in_brackets_is_not_an_owner_note() {
        assert!(find("分别负责实施（技工院校内由人力资源社会保障行政部门负责），").is_empty());
        assert!(!names_a_scope("中国（河南）自由贸易试验区郑州片区管委会"));
        assert!(!looks_like_units("技工院校内由人力资源社会保障行政部门"));
    }

    #[test]
    fn notes_inside_a_paragraph() {
        let text =
            "推进商事制度改革。（市场监管总局负责）加强教育服务。（体育总局、教育部负责）其余。";
        let found = find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[..found[0].0], "推进商事制度改革。");
        assert_eq!(found[1].2.responsible, vec!["体育总局、教育部"]);
    }
}
