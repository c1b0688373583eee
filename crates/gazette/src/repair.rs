//! Page-break repair (断页修复): the PDF extraction ends each page with a blank line, so a
//! sentence that runs over a page break arrives as two lines with a blank between them
//! (`构建全媒体` / `健康科普知识…`, `巩` / `义市`, `开发区管` / `委会`). This room joins such
//! pieces back into paragraphs and keeps the original line numbers of each paragraph.
//!
//! Two non-blank lines `a` and `b` are one sentence when all of these hold:
//! - `b` is not structural: no clause marker, owner key, 文号 line, attachment list or table row;
//! - `a` does not end a sentence (`。！？；：`) and is not a table row;
//! - `a` is not a heading: a marker line whose text has no sentence punctuation is a heading,
//!   except `第X条`, whose text is a sentence;
//! - `a` is not a list entry: a line without any sentence punctuation (a unit in a list, a
//!   title) continues only if it fills the printed line (the page ended mid-sentence) and
//!   does not end like a title or a unit name; a short line with a space between two Chinese
//!   characters (a roster `王中立 市教育局局长`, a name list) never continues.

use crate::lines::{doc_no_line, owner_key, Marker, MarkerKind};
use crate::text::{
    clean, display_width, has_han_space_han, has_sentence_punct, is_han, is_terminal,
    join_fragments,
};

/// A paragraph with page breaks repaired: a byte range of the text it was written into, and
/// the source lines it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paragraph {
    pub range: std::ops::Range<usize>,
    pub first_line: usize,
    pub last_line: usize,
}

/// Words a title or a unit name ends with: such a line is complete even when it is long.
const COMPLETE_ENDINGS: &[&str] = &[
    "通知",
    "意见",
    "通报",
    "办法",
    "预案",
    "规定",
    "方案",
    "措施",
    "名单",
    "框架",
    "细则",
    "规划",
    "决定",
    "委员会",
    "管委会",
    "政府",
    "办公厅",
    "办公室",
    "局",
    "委",
    "中心",
    "公司",
    "集团",
    "学院",
    "医院",
    "支队",
];

/// Printed line width of the gazette in half-width cells, and the paragraph indent.
const PAGE_LINE_WIDTH: usize = 40;
const INDENT: usize = 4;

/// True when the line is structural: it starts something and never continues a sentence.
/// `opens` says whether it starts with a clause marker (its tabs aside:
/// [`marker_ignoring_tabs`](crate::lines::marker_ignoring_tabs)); `tabs` is false when the document holds no tab at all (no line is
/// searched for one).
pub(crate) fn is_structural(line: &str, opens: bool, tabs: bool) -> bool {
    let t = clean(line);
    opens
        || owner_key(t).is_some()
        || starts_with_label(t)
        || is_attachment_list(t)
        || (tabs && crate::words::has_char(line, '\t'))
        || (crate::words::has_char(t, '号') && doc_no_line(t).is_some())
}

/// A short label and a colon open the line (`秘书长：柴丹`, `市应急局：负责…`): a new entry.
fn starts_with_label(t: &str) -> bool {
    // The colon is among the first eleven characters (44 bytes at most): without `:` or the
    // last byte of `：` (`EF BC 9A`) there, the line is decided undecoded.
    let head = t.as_bytes().get(..44).unwrap_or(t.as_bytes());
    if memchr::memchr2(b':', 0x9A, head).is_none() {
        return false;
    }
    for (count, (i, c)) in t.char_indices().enumerate() {
        if c == '：' || c == ':' {
            return count >= 2 && t[..i].chars().all(|c| is_han(c) || c == ' ');
        }
        if count >= 10 {
            break;
        }
    }
    false
}

fn is_attachment_list(t: &str) -> bool {
    // The line starts with 附 (`E9 99 84`), one of the marks before it (`-`, `•` `E2 80 A2`,
    // `·` `C2 B7`) or whitespace (ASCII, or led by `C2`, `E1`–`E3`): other first bytes rule it
    // out undecoded.
    let may_start = |b: u8| matches!(b, b'-' | b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3 | 0xE9);
    if !t.as_bytes().first().is_some_and(|&b| may_start(b)) {
        return false;
    }
    let t = t.trim_start_matches(['-', '•', '·', ' ']);
    // `附件：` with spaces allowed inside the first four characters (`附 件：`).
    let mut compact = t.chars().take(4).filter(|c| !c.is_whitespace());
    compact.next() == Some('附')
        && compact.next() == Some('件')
        && matches!(compact.next(), Some('：' | ':'))
}

/// Does line `b` continue the sentence of line `a`? `a_marker` and `b_opens` are what
/// [`marker_ignoring_tabs`](crate::lines::marker_ignoring_tabs) finds in each (the outline has read them already); `tabs` is
/// false when the document holds no tab at all.
pub(crate) fn continues(
    a: &str,
    a_marker: Option<&Marker<'_>>,
    b: &str,
    b_opens: bool,
    tabs: bool,
) -> bool {
    let a = clean(a);
    let Some(last) = a.chars().last() else {
        return false;
    };
    // Most lines end a sentence: decide those before any other scan.
    if matches!(last, '。' | '！' | '？' | '!' | '?') || (tabs && crate::words::has_char(a, '\t'))
    {
        return false;
    }
    // An owner note left open at the page end (`（责任单位：…，` / `协办单位：…）`) continues
    // even into a line that starts with an owner key.
    if unclosed_bracket(a) {
        let b = clean(b);
        return !b.is_empty()
            && (!tabs || !crate::words::has_char(b, '\t'))
            && !b_opens
            && doc_no_line(b).is_none();
    }
    if is_terminal(last) || is_structural(b, b_opens, tabs) {
        return false;
    }
    // `a` holds no tab here: its marker is the one found ignoring tabs.
    let body = a_marker.map(|m| m.rest).unwrap_or(a);
    let has_punct = has_sentence_punct(body);
    if let Some(m) = a_marker {
        if !has_punct {
            return m.kind == MarkerKind::Article && !m.rest.is_empty();
        }
    }
    let width = display_width(a);
    if width <= 64 && has_han_space_han(body) {
        return false;
    }
    if !has_punct {
        let filled = (width + INDENT) % PAGE_LINE_WIDTH;
        let full = width + INDENT >= PAGE_LINE_WIDTH - 4 && !(4..36).contains(&filled);
        return full && !COMPLETE_ENDINGS.iter().any(|e| a.ends_with(e));
    }
    true
}

/// True when the text opens more round brackets than it closes.
fn unclosed_bracket(s: &str) -> bool {
    // Most lines hold no opening bracket at all.
    if !(crate::words::has_char(s, '(') || crate::words::has_char(s, '（')) {
        return false;
    }
    // A byte search: `（` is `EF BC 88`, `）` is `EF BC 89`.
    let b = s.as_bytes();
    let mut depth = 0i32;
    for i in memchr::memchr3_iter(b'(', b')', 0xEF, b) {
        match b[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            0xEF if b.get(i + 1) == Some(&0xBC) => match b.get(i + 2) {
                Some(0x88) => depth += 1,
                Some(0x89) => depth -= 1,
                _ => {}
            },
            _ => {}
        }
    }
    depth > 0
}

/// Group source lines into paragraphs, joining the pieces of sentences split by page breaks,
/// and append them to `out` separated by `\n`. `lines` are `(line number, text)`; blank lines
/// separate paragraphs. `first_text` replaces the text of the first line (the clause text after
/// its marker) while the repair still sees the whole line. Empty paragraphs are dropped.
/// `markers` are the lines' markers as [`marker_ignoring_tabs`](crate::lines::marker_ignoring_tabs) finds them, one per line;
/// `tabs` is false when the document holds no tab at all (a tab marks a table row).
pub(crate) fn paragraphs_into(
    lines: &[(usize, &str)],
    markers: &[Option<Marker<'_>>],
    first_text: Option<&str>,
    out: &mut String,
    tabs: bool,
) -> Vec<Paragraph> {
    let base = out.len();
    // At most one paragraph per line: room made once rather than grown as they are found.
    let mut paras: Vec<Paragraph> = Vec::with_capacity(lines.len());
    let mut last_raw: Option<(&str, Option<&Marker<'_>>)> = None;
    for (k, &(no, raw)) in lines.iter().enumerate() {
        let whole = clean(raw);
        if whole.is_empty() {
            continue;
        }
        let t = match first_text {
            Some(first) if k == 0 => first,
            _ => whole,
        };
        let opens = markers[k].as_ref();
        match (paras.last_mut(), last_raw) {
            (Some(p), Some((prev, prev_marker)))
                if continues(prev, prev_marker, raw, opens.is_some(), tabs) =>
            {
                join_fragments(out, t);
                p.range.end = out.len();
                p.last_line = no;
            }
            _ => {
                if out.len() > base && !out.ends_with('\n') {
                    out.push('\n');
                }
                let start = out.len();
                out.push_str(t);
                paras.push(Paragraph {
                    range: start..out.len(),
                    first_line: no,
                    last_line: no,
                });
            }
        }
        last_raw = Some((raw, opens));
    }
    paras.retain(|p| !p.range.is_empty());
    paras
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_lists_and_labels_after_the_byte_prefilters() {
        for t in [
            "附件：名单",
            "\t附件：",
            "\u{3000}附件:",
            "- 附件：",
            "·附件：",
            "•附件：1",
        ] {
            assert!(is_attachment_list(t), "{t:?}");
        }
        for t in ["附加：", "件附：", "一、附件：", ""] {
            assert!(!is_attachment_list(t), "{t:?}");
        }
        assert!(starts_with_label("秘书长：柴丹"));
        assert!(starts_with_label("市应急局:负责"));
        assert!(!starts_with_label("市应急局负责全市应急管理工作：统筹"));
        assert!(!starts_with_label("在全市范围内开展专项行动，加强"));
    }

    fn para_texts(src: &str) -> Vec<String> {
        let lines: Vec<(usize, &str)> = src.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        let mut text = String::new();
        let markers: Vec<_> = lines
            .iter()
            .map(|(_, l)| crate::lines::marker_ignoring_tabs(l))
            .collect();
        let paras = paragraphs_into(&lines, &markers, None, &mut text, true);
        paras
            .into_iter()
            .map(|p| text[p.range].to_string())
            .collect()
    }

    #[test]
    fn joins_words_split_by_a_page_break() {
        let src = "责任单位：市水利局，郑东新区管委会，巩\n\n义市、中牟县政府\n\n144. 下一项";
        assert_eq!(
            para_texts(src),
            vec![
                "责任单位：市水利局，郑东新区管委会，巩义市、中牟县政府",
                "144. 下一项"
            ]
        );
        let src = "责任单位：市政府各部门，各县（市、区）\n\n政府，开发区管委会";
        assert_eq!(
            para_texts(src),
            vec!["责任单位：市政府各部门，各县（市、区）政府，开发区管委会"]
        );
    }

    #[test]
    fn keeps_headings_lists_and_rosters_apart() {
        let src = "（一）健康促进行动\n\n建立并完善市级健康科普专家库。\n\n市发展改革委\n\n市财政局\n\n王中立 市教育局局长\n\n王微 市体育局局长";
        assert_eq!(
            para_texts(src),
            vec![
                "（一）健康促进行动",
                "建立并完善市级健康科普专家库。",
                "市发展改革委",
                "市财政局",
                "王中立 市教育局局长",
                "王微 市体育局局长"
            ]
        );
    }

    #[test]
    fn a_labelled_line_starts_a_new_entry() {
        let src = "相关领域专家若干名（具体人员由推进委员会按程序确定）\n\n秘书长：柴丹（兼）";
        assert_eq!(para_texts(src).len(), 2);
    }

    #[test]
    fn an_article_runs_over_the_page() {
        let src = "第一条 为进一步加强和规范政府投资政\n\n务信息化项目的统筹规划。";
        assert_eq!(
            para_texts(src),
            vec!["第一条 为进一步加强和规范政府投资政务信息化项目的统筹规划。"]
        );
    }
}
