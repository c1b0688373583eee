//! Commendations (通报表扬名单): the commended units and individuals listed under headings such as
//! `一、先进集体（30个）`, `（一）商事制度改革先进集体（20个）`, `二、先进个人（50名）`.
//!
//! Rules of interpretation:
//! - A category heading is a short line (no sentence punctuation) that either ends with a
//!   stated count in brackets (`（30个）`, `(15 个)`, `（140 人）`) and names a commended group
//!   ([`GROUP_WORDS`]), or carries a clause marker, names an honour ([`HONOUR_WORDS`]) and ends
//!   with the honoured ([`HONOUREE_ENDINGS`]); `（五）强化先进制造业主导地位` is not a heading.
//! - Nesting follows the clause markers (`一、` > `（一）` > `1.` > `（1）`): a category under
//!   another is its child ([`Commendation::parent`]); a parent's count is met by its own
//!   entries plus its children's.
//! - Kind: a heading naming 集体/单位/组织/企业/机关 lists units; one naming 个人/同志/人员/党员/者,
//!   or counting in 名/人/位, lists persons; otherwise units.
//! - Unit lists: one unit per line; several units on one line are split on tabs, `、`, runs of
//!   two or more spaces, or single spaces when every part ends like a unit name. When a list has
//!   more lines than its stated count, a line that does not end like a unit name was wrapped by
//!   a page break and is joined with the next (reported in the warnings).
//! - Person lists: names in columns separated by spaces, with padded two-character names
//!   (`帖 琪` = 帖琪, see [`crate::rosters::names`]). Tab-separated rows with at least twice as many
//!   cells as the list's space-separated rows have names (default [`DEFAULT_COLUMNS`]) are two
//!   column blocks printed side by side: the left block is read down first, then the right one.
//!   A bracketed cell or token after a name is that name's note (`李 鹏<TAB>(市接待办)`), and
//!   so is a description written after it (`张三 市教育局科长`).
//! - Entries may be numbered `1.` … `130.`: a numbered line whose number follows the last
//!   entry's is an entry (its number dropped), not a heading.
//! - A list ends at the next heading, at a sentence (`。`), or at a line with a colon
//!   (`抄送：…`). Counts that do not add up are reported in [`Commendation::warnings`].

pub(crate) mod marker;

#[cfg(test)]
pub(crate) mod testing;

use crate::cite::clause_path_at;
use crate::model::{Clause, Commendation, CommendedEntry, Span};
use crate::registry::Registry;
use crate::rosters::names::{looks_like_person_name, split_names, ListedName};
use crate::text::{clean, fold_width, normalize_spacing, remove_spaces};
use marker::leading_marker;

/// Words that show a counted heading lists commended units or people.
pub(crate) const GROUP_WORDS: &[&str] = &[
    "先进", "优秀", "模范", "标兵", "表扬", "表彰", "集体", "单位", "个人", "示范", "突出",
];
/// Words that show an uncounted, numbered heading names an honour …
pub(crate) const HONOUR_WORDS: &[&str] = &["先进", "优秀", "模范", "标兵", "表扬", "表彰", "示范"];
/// … and the words such a heading must end with (`二、先进个人`, not `强化先进制造业主导地位`).
pub(crate) const HONOUREE_ENDINGS: &[&str] = &[
    "集体",
    "单位",
    "个人",
    "工作者",
    "标兵",
    "模范",
    "党员",
    "干部",
    "同志",
    "企业",
    "组织",
    "家庭",
    "人物",
    "班组",
    "名单",
];
const UNIT_KIND_WORDS: &[&str] = &["集体", "单位", "组织", "企业", "机关"];
const PERSON_KIND_WORDS: &[&str] = &["个人", "同志", "人员", "党员", "者"];
const PERSON_COUNT_WORDS: &[char] = &['名', '人', '位'];
/// Column count of a person list when the list has no space-separated rows to learn it from.
pub(crate) const DEFAULT_COLUMNS: usize = 4;
/// Longest heading (in characters, without marker) accepted as a category heading.
const MAX_HEADING_CHARS: usize = 40;
/// Longest raw heading line in bytes (marker, padding spaces and 40 characters).
const MAX_HEADING_BYTES: usize = 200;
/// Endings of unit names, used to split a line of units written with single spaces.
const UNIT_NAME_ENDINGS: &[char] = &[
    '局', '委', '办', '院', '会', '厅', '府', '司', '室', '心', '队', '所', '部', '社', '校', '馆',
    '站', '行', '团', '处', '科',
];

/// Extract every commended category of one document, resolving unit entries through
/// `registry`. `lines` are the document's raw lines (1-based line number, text).
pub(crate) fn extract(
    lines: &[(usize, &str)],
    outline: &[Clause],
    registry: &Registry,
) -> Vec<Commendation> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut open: Option<usize> = None;
    for &(line_no, raw) in lines {
        let trimmed = clean(raw);
        if trimmed.is_empty() {
            continue;
        }
        let in_list = !drafts.is_empty();
        // A cheap test first: most lines of most documents are neither headings nor list lines.
        // A heading ends with its count (`（30个）`) or with the honoured (`先进个人`).
        let ending = trimmed.trim_end_matches([':', '：', ' ']);
        let may_be_heading = trimmed.len() <= MAX_HEADING_BYTES
            && (ending.ends_with([')', '）'])
                || HONOUREE_ENDINGS.iter().any(|w| ending.ends_with(w)));
        if open.is_none() && !may_be_heading {
            continue;
        }
        let text = normalize_spacing(raw);
        if text.is_empty() {
            continue;
        }
        let heading = if may_be_heading {
            Heading::parse(&text, in_list)
        } else {
            None
        };
        if let Some(heading) = heading {
            let parent = drafts
                .iter()
                .rposition(|d| d.heading.level < heading.level && d.open_for_children);
            for d in drafts.iter_mut() {
                if d.heading.level >= heading.level {
                    d.open_for_children = false;
                }
            }
            drafts.push(Draft {
                heading,
                line: line_no,
                parent,
                lines: Vec::new(),
                open_for_children: true,
                numbered: 0,
            });
            open = Some(drafts.len() - 1);
            continue;
        }
        let Some(i) = open else { continue };
        // An entry numbered in sequence (`1.某单位` … `130.某单位`) is an entry, not a heading.
        if let Some(m) = crate::lines::marker(raw) {
            let next = drafts[i].numbered + 1;
            if m.kind == crate::lines::MarkerKind::Arabic
                && m.number == next
                && !m.rest.is_empty()
                && !m.rest.contains('。')
            {
                drafts[i].numbered = next;
                drafts[i].lines.push((line_no, m.rest));
                continue;
            }
        }
        let folded = fold_width(&text);
        if text.contains("。") || folded.contains(':') || leading_marker(&folded).is_some() {
            open = None;
            for d in drafts.iter_mut() {
                d.open_for_children = false;
            }
            continue;
        }
        drafts[i].lines.push((line_no, raw));
    }
    build(drafts, outline, registry)
}

/// A category heading: `一、先进集体（30个）`.
#[derive(Debug, Clone)]
struct Heading {
    /// Heading without its marker, spacing normalized.
    category: String,
    level: u8,
    stated_count: Option<u32>,
    /// `unit` or `person`.
    kind: &'static str,
}

impl Heading {
    /// `in_list`: a category heading was seen before, so a numbered, counted heading is a
    /// sub-category even without a group word (`（二）县区（1个）`).
    fn parse(text: &str, in_list: bool) -> Option<Heading> {
        let folded = fold_width(text);
        let marker = leading_marker(&folded);
        let (level, marker_chars) = match marker {
            Some(m) => (m.level, folded[..m.len].chars().count()),
            None => (u8::MAX, 0),
        };
        let after_marker = text
            .char_indices()
            .nth(marker_chars)
            .map_or(text.len(), |(at, _)| at);
        let category = text[after_marker..]
            .trim()
            .trim_end_matches([':', '：'])
            .trim()
            .to_string();
        let body = fold_width(&category);
        if body.is_empty()
            || body.chars().count() > MAX_HEADING_CHARS
            || body.contains(['。', ',', ';', ':', '，', '；'])
        {
            return None;
        }
        let count = stated_count(&body);
        let named = match count {
            Some(_) => crate::words::has_any(&body, GROUP_WORDS) || (in_list && marker.is_some()),
            None => {
                marker.is_some()
                    && crate::words::has_any(&body, HONOUR_WORDS)
                    && HONOUREE_ENDINGS.iter().any(|w| body.ends_with(w))
            }
        };
        if !named {
            return None;
        }
        let kind = if crate::words::has_any(&body, UNIT_KIND_WORDS) {
            "unit"
        } else if crate::words::has_any(&body, PERSON_KIND_WORDS)
            || count.is_some_and(|(_, word)| PERSON_COUNT_WORDS.contains(&word))
        {
            "person"
        } else {
            "unit"
        };
        Some(Heading {
            category,
            level,
            stated_count: count.map(|(n, _)| n),
            kind,
        })
    }
}

/// `先进集体(30个)` → (30, '个'); the count must close the heading.
fn stated_count(folded: &str) -> Option<(u32, char)> {
    let inner = folded.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let inner = remove_spaces(&inner[open + 1..]);
    let inner = inner.strip_prefix('共').unwrap_or(&inner);
    let digits: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
    let word: Vec<char> = inner.chars().skip(digits.len()).collect();
    // `30个`, `共30个`, `30个单位`: the count word is the first character after the number.
    match (digits.parse::<u32>(), word.first()) {
        (Ok(n), Some(w)) if !w.is_ascii_digit() && !w.is_ascii_punctuation() => Some((n, *w)),
        _ => None,
    }
}

struct Draft<'a> {
    heading: Heading,
    line: usize,
    parent: Option<usize>,
    lines: Vec<(usize, &'a str)>,
    open_for_children: bool,
    /// The number of the last entry numbered in sequence (`1.` … `130.`), 0 before any.
    numbered: u32,
}

fn build(drafts: Vec<Draft>, outline: &[Clause], registry: &Registry) -> Vec<Commendation> {
    let mut out: Vec<Commendation> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut warnings = Vec::new();
            let entries = if d.heading.kind == "person" {
                person_entries(&d.lines, &mut warnings)
            } else {
                let has_children = drafts.iter().any(|x| x.parent == Some(i));
                let expected = d.heading.stated_count.filter(|_| !has_children);
                unit_entries(&d.lines, expected, registry, &mut warnings)
            };
            let last_line = d.lines.last().map_or(d.line, |(n, _)| *n);
            Commendation {
                category: d.heading.category.clone(),
                kind: d.heading.kind.to_string(),
                stated_count: d.heading.stated_count,
                entries,
                clause: clause_path_at(outline, d.line),
                span: Span {
                    first_line: d.line,
                    last_line,
                },
                parent: d.parent,
                warnings,
            }
        })
        .collect();
    // A parent's span covers its children; its count is met by its own and its children's entries.
    for i in (0..out.len()).rev() {
        if let Some(p) = out[i].parent {
            out[p].span.last_line = out[p].span.last_line.max(out[i].span.last_line);
        }
    }
    let totals: Vec<usize> = (0..out.len()).map(|i| total_entries(&out, i)).collect();
    for (c, total) in out.iter_mut().zip(totals) {
        if total == 0 {
            c.warnings.push("标题下未找到名单条目".to_string());
        }
        if let Some(stated) = c.stated_count {
            if total != stated as usize {
                c.warnings.push(format!(
                    "名单实际列出{total}个条目，与标题所述{stated}个不符"
                ));
            }
        }
    }
    out
}

/// Entries of a category plus those of all its descendants.
fn total_entries(all: &[Commendation], index: usize) -> usize {
    all[index].entries.len()
        + (index + 1..all.len())
            .filter(|&j| all[j].parent == Some(index))
            .map(|j| total_entries(all, j))
            .sum::<usize>()
}

/// Read a unit list. When it has more lines than the `expected` count, a line that does not
/// end like a unit name (`开封市城乡建设` / `局`, `郑州高新区管` / `委会`) was wrapped by a page
/// break and is joined with the next, as many times as there are surplus lines.
fn unit_entries(
    lines: &[(usize, &str)],
    expected: Option<u32>,
    registry: &Registry,
    warnings: &mut Vec<String>,
) -> Vec<CommendedEntry> {
    let mut names: Vec<String> = lines.iter().flat_map(|(_, raw)| split_units(raw)).collect();
    let mut surplus = expected.map_or(0, |n| names.len().saturating_sub(n as usize));
    let mut i = 0;
    while surplus > 0 && i + 1 < names.len() {
        if names[i].ends_with(|c| UNIT_NAME_ENDINGS.contains(&c)) {
            i += 1;
            continue;
        }
        let next = names.remove(i + 1);
        warnings.push(format!(
            "「{}」与下一行「{next}」是被分页断开的同一单位名称，已合并",
            names[i]
        ));
        names[i].push_str(&next);
        surplus -= 1;
    }
    names
        .into_iter()
        .map(|name| CommendedEntry {
            unit: registry.resolve(&name).unit,
            name,
            note: None,
        })
        .collect()
}

/// Split one line of a unit list into unit names.
fn split_units(raw: &str) -> Vec<String> {
    let mut units = Vec::new();
    for part in raw.split(['\t', '、', '\u{3000}']) {
        for piece in part.split("  ") {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let words: Vec<&str> = piece.split_whitespace().collect();
            let separate = words.len() > 1
                && words.iter().all(|w| {
                    w.chars().count() >= 4 && w.ends_with(|c| UNIT_NAME_ENDINGS.contains(&c))
                });
            if separate {
                units.extend(
                    words
                        .iter()
                        .map(|w| remove_spaces(&normalize_spacing(w)).into_owned()),
                );
            } else {
                units.push(remove_spaces(&normalize_spacing(piece)).into_owned());
            }
        }
    }
    units.retain(|u| !u.is_empty());
    units
}

fn person_entries(lines: &[(usize, &str)], warnings: &mut Vec<String>) -> Vec<CommendedEntry> {
    // The names of each line without tabs, read once: they give the column count and the
    // entries.
    let mut plain: Vec<Option<Vec<ListedName>>> = lines
        .iter()
        .map(|(_, raw)| (!raw.contains('\t')).then(|| split_names(raw)))
        .collect();
    let columns = plain
        .iter()
        .flatten()
        .map(Vec::len)
        .max()
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_COLUMNS);
    let mut entries: Vec<CommendedEntry> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(names) = plain[i].take() {
            push_names(&mut entries, names);
            i += 1;
            continue;
        }
        let block_end = (i..lines.len())
            .find(|&j| !lines[j].1.contains('\t'))
            .unwrap_or(lines.len());
        read_tab_block(&lines[i..block_end], columns, &mut entries);
        i = block_end;
    }
    for e in &entries {
        if !looks_like_person_name(&e.name) {
            warnings.push(format!("「{}」不像完整的人名，已保留", e.name));
        }
    }
    entries
}

/// Read a block of tab-separated rows: as two side-by-side column blocks (left block first)
/// when the rows are at least twice as wide as the list, else row by row.
fn read_tab_block(rows: &[(usize, &str)], columns: usize, entries: &mut Vec<CommendedEntry>) {
    let cells: Vec<Vec<&str>> = rows
        .iter()
        .map(|(_, raw)| raw.split('\t').collect())
        .collect();
    let widest = cells.iter().map(Vec::len).max().unwrap_or(0);
    let halves: Vec<(usize, usize)> = if columns > 0 && widest >= 2 * columns {
        vec![(0, columns), (columns, usize::MAX)]
    } else {
        vec![(0, usize::MAX)]
    };
    for (from, to) in halves {
        for row in &cells {
            for cell in row.iter().skip(from).take(to.saturating_sub(from)) {
                push_names(entries, split_names(cell));
            }
        }
    }
}

/// Append names; a note without a name belongs to the entry before it.
fn push_names(entries: &mut Vec<CommendedEntry>, names: Vec<ListedName>) {
    for ListedName { name, note } in names {
        if name.is_empty() {
            match entries.last_mut() {
                Some(last) if last.note.is_none() => last.note = note,
                _ => entries.push(CommendedEntry {
                    name: String::new(),
                    note,
                    unit: None,
                }),
            }
        } else {
            entries.push(CommendedEntry {
                name,
                note,
                unit: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commendations::testing::numbered;

    fn names(c: &Commendation) -> Vec<&str> {
        c.entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn nested_unit_categories_and_padded_names_from_another_city() {
        let text = "附件\n\n开封市2021年度文明创建先进集体和先进个人名单\n\
            一、先进集体（3个）\n（一）市直单位（2个）\n开封市教育局\n 开封市财政局\n\
            (二) 县区 (1 个)\n兰考县人民政府\n\
            二、先进个人 (6 名)\n\
            王 五 欧阳明月 李 四 赵六\n张 三 (市教育局)\n钱七";
        let c = extract(&numbered(text), &[], &Registry::default());
        let summary: Vec<_> = c
            .iter()
            .map(|c| {
                (
                    c.category.as_str(),
                    c.kind.as_str(),
                    c.stated_count,
                    c.parent,
                    c.entries.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("先进集体（3个）", "unit", Some(3), None, 0),
                ("市直单位（2个）", "unit", Some(2), Some(0), 2),
                ("县区(1个)", "unit", Some(1), Some(0), 1),
                ("先进个人(6名)", "person", Some(6), None, 6),
            ]
        );
        assert!(c.iter().all(|c| c.warnings.is_empty()), "{c:?}");
        assert_eq!(names(&c[1]), ["开封市教育局", "开封市财政局"]);
        assert_eq!(
            names(&c[3]),
            ["王五", "欧阳明月", "李四", "赵六", "张三", "钱七"]
        );
        assert_eq!(c[3].entries[4].note.as_deref(), Some("市教育局"));
        assert_eq!(
            c[0].span,
            Span {
                first_line: 4,
                last_line: 9
            }
        );
    }

    #[test]
    fn interleaved_tab_blocks_read_left_block_first() {
        let text = "二、先进个人（9人）\n甲 一 乙 二 丙三 丁四\n\
            戊五\t己 六\t\t\t庚七\t辛八\t\t\n\
            壬九\t(市某办)\t\t\t\t\t\t";
        let c = extract(&numbered(text), &[], &Registry::default());
        assert_eq!(
            names(&c[0]),
            [
                "甲一", "乙二", "丙三", "丁四", "戊五", "己六", "壬九", "庚七", "辛八"
            ]
        );
        assert_eq!(c[0].entries[6].note.as_deref(), Some("市某办"));
        assert!(c[0].warnings.is_empty());
    }

    #[test]
    fn names_in_a_run_and_a_heading_with_a_colon() {
        let text = "二、优秀个人（3名）：\n张三、李四，王 五";
        let c = extract(&numbered(text), &[], &Registry::default());
        assert_eq!(c[0].category, "优秀个人（3名）");
        assert_eq!(names(&c[0]), ["张三", "李四", "王五"]);
    }

    #[test]
    fn a_unit_name_wrapped_by_a_page_break_is_joined_when_the_count_says_so() {
        let text = "一、先进单位（3个）\n开封市城乡建设\n\n局\n开封市财政局\n兰考县人民政府";
        let c = extract(&numbered(text), &[], &Registry::default());
        assert_eq!(
            names(&c[0]),
            ["开封市城乡建设局", "开封市财政局", "兰考县人民政府"]
        );
        assert_eq!(c[0].warnings.len(), 1);
        // Without a count saying so, nothing is joined.
        let text = "一、先进单位\n开封市城乡建设\n局";
        let c = extract(&numbered(text), &[], &Registry::default());
        assert_eq!(names(&c[0]), ["开封市城乡建设", "局"]);
    }

    #[test]
    fn a_count_that_does_not_add_up_is_reported() {
        let text = "二、先进个人（4名）\n张三 李四 王五";
        let c = extract(&numbered(text), &[], &Registry::default());
        assert_eq!(c[0].entries.len(), 3);
        assert_eq!(c[0].warnings.len(), 1);
        assert!(c[0].warnings[0].contains("不符"));
    }

    #[test]
    fn prose_with_counts_is_not_a_heading() {
        let text = "决定对市政府办公厅等20个先进单位和宋晓闯等30名先进个人予以通报。\n\
            （三）重点项目（15个）\n项目甲\n一、组成人员\n（五）强化先进制造业主导地位\n\
            （十八）加快黄河流域生态保护和高质量发展核心示范区建设\n某某项目";
        assert!(extract(&numbered(text), &[], &Registry::default()).is_empty());
    }

    #[test]
    fn units_on_one_line_are_split() {
        assert_eq!(split_units("市教育局、市财政局"), ["市教育局", "市财政局"]);
        assert_eq!(split_units("市教育局  市财政局"), ["市教育局", "市财政局"]);
        assert_eq!(
            split_units("开封市教育局 开封市财政局"),
            ["开封市教育局", "开封市财政局"]
        );
        assert_eq!(split_units(" 郑州高新区 管委会"), ["郑州高新区管委会"]);
    }

    #[test]
    fn stated_counts() {
        assert_eq!(stated_count("先进集体(30个)"), Some((30, '个')));
        assert_eq!(stated_count("先进个人(140 人)"), Some((140, '人')));
        assert_eq!(stated_count("先进个人"), None);
        assert_eq!(stated_count("先进集体(共12个单位)"), Some((12, '个')));
        assert_eq!(stated_count("先进个人(2020)"), None);
        assert_eq!(stated_count("(个)"), None);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "一、先进个人（）",
            "一、先进集体（9999999999个）\n\t\t\t",
            "(",
            "一、先进个人（2名）\n（\t）\n)",
        ] {
            let _ = extract(&numbered(text), &[], &Registry::default());
        }
    }
}
