//! Unit mentions (单位提及): split an owner list into the units it names and resolve each
//! against the registry.
//!
//! - Split on `、` `，` `,` `；` `;` outside brackets: `各县（市、区）政府` is one mention.
//! - An `等…` tail (`市供电公司等有关部门`, `郑州经开区等开发区管委会`) is cut off and kept as an
//!   open mention of its own.
//! - A trailing bracket that lists alternatives (`县（市、区）政府（开发区管委会、…）`) yields
//!   its members as mentions too.
//! - A shared suffix written once is distributed over a run of bare place names
//!   (`郑东新区、郑州高新区管委会` → two 管委会; `新密市、登封市政府` → two 政府).
//! - A shared prefix written once is distributed (`市农委、水利局、发展改革委` → `市水利局`,
//!   `市发展改革委`) when the bare name does not resolve by itself.
//! - Names are given with spaces removed and every bracket style made `（）`.

use crate::documents::split_top_level;
use crate::model::Mention;
use crate::registry::Registry;
use crate::text::{full_width_brackets, has_other_brackets, is_terminal, remove_spaces};

/// How deep brackets and conjunctions inside one mention are expanded.
const MAX_NESTING: usize = 8;

/// Separators between mentions.
const SEPARATORS: &[char] = &['、', '，', ',', '；', ';'];

/// Suffixes that a list may write once for several places.
const SHARED_SUFFIXES: &[&str] = &["管理委员会", "管委会", "人民政府", "政府"];

/// Endings of a bare place name (`郑东新区`, `巩义市`, `中牟县`, `自贸区郑州片区`).
const PLACE_ENDINGS: &[char] = &['区', '市', '县', '旗'];

/// Words after `等` that close a list openly (`…等有关部门`, `…等单位`).
const GENERIC_TAILS: &[&str] = &[
    "部门",
    "单位",
    "有关部门",
    "相关部门",
    "有关单位",
    "相关单位",
    "机构",
];

#[derive(Debug, Clone)]
struct Raw {
    name: String,
    open: bool,
}

/// Split an owner list (`市发展改革委、市财政局，各县（市、区）政府`) into resolved mentions.
#[cfg(test)]
pub(crate) fn mentions(list: &str, registry: &Registry) -> Vec<Mention> {
    let mut out = Vec::new();
    mentions_into(list, registry, &mut out);
    out
}

/// [`mentions`] appended to `out` (an owner role's list), without a vector of their own.
pub(crate) fn mentions_into(list: &str, registry: &Registry, out: &mut Vec<Mention>) {
    let list = english_and(list);
    let cleaned = remove_spaces(&list);
    let cleaned = cleaned.trim_end_matches(|c: char| is_terminal(c) || c == '.' || c == '。');
    let pieces = split_top_level(cleaned, SEPARATORS);
    let mut raws: Vec<Raw> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        // No whitespace is left to trim: `remove_spaces` took it all.
        if piece.is_empty() {
            continue;
        }
        expand(piece, registry, &mut raws, 0);
    }
    distribute_prefix(&mut raws, registry);
    distribute_suffix(&mut raws);
    out.extend(raws.into_iter().map(|r| {
        let name = if has_other_brackets(&r.name) {
            full_width_brackets(&r.name).into_owned()
        } else {
            r.name
        };
        let res = registry.resolve(&name);
        Mention {
            open: r.open || res.open,
            unit: res.unit,
            group: res.group,
            name,
        }
    }));
}

/// One piece of the list: expand trailing alternatives, split on `和`, cut an `等…` tail.
fn expand(piece: &str, registry: &Registry, out: &mut Vec<Raw>, depth: usize) {
    // Nesting deeper than any real owner list is kept as one mention (bounded recursion).
    if depth > MAX_NESTING {
        out.push(Raw {
            name: piece.to_string(),
            open: false,
        });
        return;
    }
    // `灾害发生地县（市、区）政府（开发区管委会、黄河文化公园管委会）`: head and alternatives.
    if let Some((head, inner)) = trailing_alternatives(piece) {
        let before = out.len();
        expand(head, registry, out, depth + 1);
        let head_open = out[before..]
            .iter()
            .any(|r| r.open || registry.is_open(&r.name));
        for alt in split_top_level(inner, SEPARATORS) {
            // (Whitespace was removed from the whole list before it was split.)
            if !alt.is_empty() {
                let from = out.len();
                expand(alt, registry, out, depth + 1);
                for r in &mut out[from..] {
                    r.open |= head_open;
                }
            }
        }
        return;
    }
    // `武警郑州支队和灾害发生地县（市、区）政府`: split on 和 when both sides read as units.
    if crate::words::has_char(piece, '和') && !registry.understands(piece) {
        for (pos, _) in piece.match_indices('和') {
            let (left, right) = (&piece[..pos], &piece[pos + '和'.len_utf8()..]);
            if unit_like(left, registry) && unit_like(right, registry) {
                expand(left, registry, out, depth + 1);
                expand(right, registry, out, depth + 1);
                return;
            }
        }
    }
    // `X等有关部门`: X, then the open tail.
    if let Some(pos) = crate::words::last_at(piece, "等") {
        let head = &piece[..pos];
        let tail = &piece[pos + '等'.len_utf8()..];
        let tail_is_generic =
            !tail.is_empty() && (GENERIC_TAILS.contains(&tail) || registry.understands(tail));
        if tail_is_generic && !head.is_empty() {
            expand(head, registry, out, depth + 1);
            out.push(Raw {
                name: tail.to_string(),
                open: true,
            });
            return;
        }
    }
    out.push(Raw {
        name: piece.to_string(),
        open: false,
    });
}

/// Endings of a unit name (or of a list closed by `等部门`).
const UNIT_ENDINGS: &[&str] = &[
    "政府",
    "委员会",
    "管委会",
    "局",
    "委",
    "办",
    "公司",
    "集团",
    "单位",
    "部门",
    "支队",
    "中心",
    "院",
];

fn unit_like(s: &str, registry: &Registry) -> bool {
    !s.is_empty() && (UNIT_ENDINGS.iter().any(|e| s.ends_with(e)) || registry.understands(s))
}

/// If the piece ends with a bracket listing several names after a unit-like head, the head
/// and the bracket's content.
fn trailing_alternatives(piece: &str) -> Option<(&str, &str)> {
    let close = piece.chars().last()?;
    if !matches!(close, '）' | ')' | '〕') {
        return None;
    }
    let body = &piece[..piece.len() - close.len_utf8()];
    // Find the matching opening bracket.
    let mut depth = 0i32;
    let mut open_at = None;
    for (i, c) in body.char_indices().rev() {
        match c {
            '）' | ')' | '〕' => depth += 1,
            '（' | '(' | '〔' => {
                if depth == 0 {
                    open_at = Some(i);
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    let open_at = open_at?;
    let head = &body[..open_at];
    let inner = &body[open_at + body[open_at..].chars().next()?.len_utf8()..];
    let lists = inner.contains(SEPARATORS);
    let unit_like_head = [
        "政府",
        "委员会",
        "管委会",
        "局",
        "委",
        "办",
        "公司",
        "单位",
        "部门",
    ]
    .iter()
    .any(|e| head.ends_with(e));
    (lists && unit_like_head).then_some((head, inner))
}

fn is_bare_place(name: &str) -> bool {
    // The ending first: most names end like a unit (`局`, `委`, `政府`) and stop there.
    name.ends_with(PLACE_ENDINGS)
        && !name.starts_with('各')
        && (2..=10).contains(&name.chars().count())
        && !name.contains(['（', '(', '〔'])
}

/// `郑东新区、郑州高新区管委会` → `郑东新区管委会`, `郑州高新区管委会`.
fn distribute_suffix(raws: &mut [Raw]) {
    let mut i = 0;
    while i < raws.len() {
        if !is_bare_place(&raws[i].name) {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < raws.len() && is_bare_place(&raws[i].name) {
            i += 1;
        }
        let Some(closer) = raws.get(i) else { break };
        let Some(suffix) = SHARED_SUFFIXES.iter().find(|s| closer.name.ends_with(*s)) else {
            continue;
        };
        let suffix = suffix.to_string();
        for r in &mut raws[run_start..i] {
            r.name.push_str(&suffix);
        }
    }
}

/// Level prefixes a list writes once for several units (`市`, `县`, `区`, `省`).
const LEVEL_PREFIXES: &[char] = &['市', '县', '区', '省'];

/// `市农委、水利局、发展改革委` → `市水利局`, `市发展改革委` (and `县发展改革委、住建局` →
/// `县住建局`): a name that does not resolve and lacks the level prefix borrows it from the name
/// before it.
fn distribute_prefix(raws: &mut [Raw], registry: &Registry) {
    for i in 1..raws.len() {
        let (before, rest) = raws.split_at_mut(i);
        let prev = &before[i - 1];
        let cur = &mut rest[0];
        let Some(prefix) = prev
            .name
            .chars()
            .next()
            .filter(|c| LEVEL_PREFIXES.contains(c))
        else {
            continue;
        };
        if cur.open || cur.name.starts_with(LEVEL_PREFIXES) {
            continue;
        }
        if registry.understands(&cur.name) || is_bare_place(&cur.name) {
            continue;
        }
        let candidate = format!("{prefix}{}", cur.name);
        let looks_departmental = cur.name.chars().count() <= 8
            && ["局", "委", "办", "厅"]
                .iter()
                .any(|e| cur.name.ends_with(e));
        if registry.understands(&candidate) || looks_departmental {
            cur.name = candidate;
        }
    }
}

/// The PDF extraction sometimes renders 和 as ` and ` (`武警郑州支队等单位 and 灾害发生地…`).
fn english_and(s: &str) -> std::borrow::Cow<'_, str> {
    // A character search first: most lists hold no ASCII space at all.
    if s.contains(' ') && s.contains(" and ") {
        std::borrow::Cow::Owned(s.replace(" and ", "和"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Split a leaders line (`吴福民 史占勇 陈宏伟`) into names; two single characters in a row
/// are one name padded with a space (`黄 卿`).
pub(crate) fn leaders(list: &str) -> Vec<String> {
    let tokens: Vec<&str> = list
        .split(|c: char| c.is_whitespace() || SEPARATORS.contains(&c))
        .map(|t| t.trim_matches(|c: char| is_terminal(c) || c == '*'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut names = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let single = |t: &str| t.chars().count() == 1;
        if single(tokens[i]) && i + 1 < tokens.len() && single(tokens[i + 1]) {
            names.push(format!("{}{}", tokens[i], tokens[i + 1]));
            i += 2;
        } else {
            names.push(tokens[i].to_string());
            i += 1;
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = r#"
city = "开封市"

[[units]]
id = "dept.nw"
name = "开封市农业农村局"
kind = "department"
aliases = ["市农业农村局", "市农委"]

[[units]]
id = "dept.slj"
name = "开封市水利局"
kind = "department"
aliases = ["市水利局"]

[[units]]
id = "dept.fgw"
name = "开封市发展和改革委员会"
kind = "department"
aliases = ["市发展改革委"]

[[units]]
id = "dept.jwj"
name = "开封市纪委监委"
kind = "department"
aliases = ["市纪委监委"]

[[units]]
id = "ent.power"
name = "国网开封供电公司"
kind = "enterprise"
aliases = ["市供电公司"]

[[units]]
id = "zone.a"
name = "开封城乡一体化示范区管理委员会"
kind = "zone"
aliases = ["城乡一体化示范区管委会"]

[[units]]
id = "zone.b"
name = "开封经济技术开发区管理委员会"
kind = "zone"
aliases = ["开封经开区管委会"]

[[units]]
id = "county.lankao"
name = "兰考县人民政府"
kind = "county"

[[units]]
id = "county.qixian"
name = "杞县人民政府"
kind = "county"

[[units]]
id = "county.gulou"
name = "鼓楼区人民政府"
kind = "county"

[[groups]]
id = "group.counties"
name = "各县（区）政府"
aliases = ["各县（市、区）政府"]
members = ["county.lankao", "county.qixian", "county.gulou"]

[[groups]]
id = "group.departments"
name = "市政府各部门"
aliases = ["各部门"]
member_kinds = ["department"]
"#;

    fn reg() -> Registry {
        Registry::from_toml_str(REGISTRY).unwrap()
    }

    fn names(list: &str) -> Vec<String> {
        mentions(list, &reg()).into_iter().map(|m| m.name).collect()
    }

    #[test]
    fn brackets_are_not_split() {
        let m = mentions("各县（市、区）政府，市农委", &reg());
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].group.as_deref(), Some("group.counties"));
        let m = mentions("各县〔市、区〕政府", &reg());
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].name, "各县（市、区）政府");
        assert_eq!(m[0].group.as_deref(), Some("group.counties"));
    }

    #[test]
    fn shared_suffix_is_distributed() {
        assert_eq!(
            names("城乡一体化示范区、开封经开区管委会"),
            vec!["城乡一体化示范区管委会", "开封经开区管委会"]
        );
        let m = mentions("兰考县、杞县政府", &reg());
        assert_eq!(m[0].name, "兰考县政府");
        assert_eq!(m[0].unit.as_deref(), Some("county.lankao"));
        assert_eq!(m[1].unit.as_deref(), Some("county.qixian"));
    }

    #[test]
    fn shared_prefix_is_distributed() {
        let m = mentions("市农委、水利局、发展改革委，市供电公司", &reg());
        let n: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(n, vec!["市农委", "市水利局", "市发展改革委", "市供电公司"]);
        assert!(m.iter().all(|m| m.unit.is_some()));
    }

    #[test]
    fn a_county_prefix_is_shared_too() {
        let n = names("县发展改革委、住建局，县财政局、自然资源局");
        assert_eq!(
            n,
            vec!["县发展改革委", "县住建局", "县财政局", "县自然资源局"]
        );
        assert_eq!(
            names("省发展改革委、财政厅"),
            vec!["省发展改革委", "省财政厅"]
        );
    }

    #[test]
    fn open_tails_are_kept_and_marked() {
        let m = mentions("市水利局、市供电公司等有关部门", &reg());
        assert_eq!(m.len(), 3);
        assert_eq!(m[1].unit.as_deref(), Some("ent.power"));
        assert_eq!(m[2].name, "有关部门");
        assert!(m[2].open);
        assert_eq!(m[2].group.as_deref(), Some("group.departments"));
        let m = mentions("兰考县、杞县等相关县（市、区）政府", &reg());
        assert_eq!(m[0].name, "兰考县政府");
        assert_eq!(m[1].name, "杞县政府");
        assert!(m[2].open);
        assert_eq!(m[2].group.as_deref(), Some("group.counties"));
        let m = mentions("相关县（市、区）政府", &reg());
        assert!(m[0].open);
    }

    #[test]
    fn unknown_units_are_kept() {
        let m = mentions("市火星开发局、市水利局", &reg());
        assert_eq!(m[0].name, "市火星开发局");
        assert!(m[0].unit.is_none() && m[0].group.is_none() && !m[0].open);
    }

    #[test]
    fn alternatives_and_conjunctions() {
        let m = mentions(
            "市纪委监委 and 灾害发生地县（市、区）政府（城乡一体化示范区管委会、开封经开区管委会）",
            &reg(),
        );
        let n: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            n,
            vec![
                "市纪委监委",
                "灾害发生地县（市、区）政府",
                "城乡一体化示范区管委会",
                "开封经开区管委会"
            ]
        );
        assert!(m[1].open && m[2].open);
        assert_eq!(m[1].group.as_deref(), Some("group.counties"));
    }

    #[test]
    fn leader_names() {
        assert_eq!(
            leaders("吴福民 史占勇 陈宏伟"),
            vec!["吴福民", "史占勇", "陈宏伟"]
        );
        assert_eq!(leaders("黄 卿 孙晓红"), vec!["黄卿", "孙晓红"]);
    }
}
