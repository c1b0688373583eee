//! The outline (条款树): every clause of a document as a tree, from markers at line starts
//! (`附件N` › `第X章` › `第X条` › `一、` › `（一）` › `1.` › `（1）`).
//!
//! Nesting is decided by the order in which marker kinds appear, not by a fixed table: the
//! first kind met is the top level, a kind not yet open nests under the current clause, and a
//! kind already open closes everything below it (a sibling). `附件N` closes everything. When
//! numbering restarts at one at the top level (a notice with its own `一、…四、` followed by
//! the attached work plan with its own `一、`), the second run becomes a part (`《title》`)
//! named after the title line above it, so every clause path stays unique.

use crate::lines::{marker, marker_ignoring_tabs, MarkerKind};
use crate::model::{Clause, Span};
use crate::repair::{paragraphs_into, Paragraph};
use crate::text::{clean, is_terminal, normalize_spacing};

/// A clause with the extra facts the extractors need.
#[derive(Debug, Clone)]
pub(crate) struct ClauseInfo {
    pub kind: MarkerKind,
    pub number: u32,
    /// The clause's own paragraphs (up to its first child), page breaks repaired, as ranges of
    /// `Clause::text`; the first paragraph starts after the marker.
    pub paragraphs: Vec<Paragraph>,
}

/// Build the outline of a document body. `lines` are the body's `(line number, text)`;
/// `not_markers` are line numbers that must not open clauses (the attachment list); `tabs` is
/// false when the document holds no tab at all, so its lines need not be searched for one.
pub(crate) fn build(
    lines: &[(usize, &str)],
    not_markers: &[usize],
    tabs: bool,
) -> (Vec<Clause>, Vec<ClauseInfo>) {
    struct Open {
        clause: usize,
        kind: MarkerKind,
        number: u32,
    }
    struct Start<'a> {
        at: usize, // index into `lines` where the clause starts
        parent: Option<usize>,
        kind: MarkerKind,
        number: u32,
        written: String,
        path: String,
        heading: Option<String>,
        rest: &'a str,
        depth: usize,
    }
    // Each line's marker, read once: the outline and the page-break repair both need it.
    let markers: Vec<_> = lines
        .iter()
        .map(|&(_, raw)| marker_ignoring_tabs(raw))
        .collect();
    let mut starts: Vec<Start> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut parts = 1u32;
    for (k, &(no, raw)) in lines.iter().enumerate() {
        if not_markers.contains(&no) {
            continue;
        }
        // Lines with tabs (table rows) never carry markers.
        let Some(m) = markers[k]
            .clone()
            .filter(|_| !(tabs && crate::words::has_char(raw, '\t')))
        else {
            continue;
        };
        if m.kind == MarkerKind::Attachment {
            stack.clear();
        } else if let Some(pos) = stack.iter().rposition(|o| o.kind == m.kind) {
            let containers_below = stack[..pos]
                .iter()
                .all(|o| matches!(o.kind, MarkerKind::Attachment | MarkerKind::Part));
            let restart = m.number == 1 && stack[pos].number >= 1 && containers_below;
            stack.truncate(pos);
            if restart {
                parts += 1;
                let parent = stack.last().map(|o| o.clause);
                let floor = starts.last().map(|s| s.at + 1).unwrap_or(0);
                let title_at = (floor..k)
                    .rev()
                    .find(|&j| !clean(lines[j].1).is_empty())
                    .filter(|&j| {
                        let t = clean(lines[j].1);
                        t.chars().count() <= 40
                            && !t.chars().last().is_some_and(is_terminal)
                            && marker(t).is_none()
                    });
                let (at, heading) = match title_at {
                    Some(j) => (j, normalize_spacing(clean(lines[j].1)).into_owned()),
                    None => (k, String::new()),
                };
                let written = if heading.is_empty() {
                    format!("第{parts}部分")
                } else {
                    format!("《{heading}》")
                };
                let depth = parent.map(|p| starts[p].depth + 1).unwrap_or(0);
                let path = join_path(
                    parent
                        .map(|p| &starts[p])
                        .map(|s| (s.path.as_str(), s.kind)),
                    &written,
                    MarkerKind::Part,
                );
                starts.push(Start {
                    at,
                    parent,
                    kind: MarkerKind::Part,
                    number: parts,
                    written: String::new(),
                    path,
                    heading: Some(if heading.is_empty() {
                        written.clone()
                    } else {
                        heading
                    }),
                    rest: "",
                    depth,
                });
                stack.push(Open {
                    clause: starts.len() - 1,
                    kind: MarkerKind::Part,
                    number: parts,
                });
            }
        }
        let parent = stack.last().map(|o| o.clause);
        let depth = parent.map(|p| starts[p].depth + 1).unwrap_or(0);
        let path = join_path(
            parent.map(|p| (starts[p].path.as_str(), starts[p].kind)),
            &m.normalized(),
            m.kind,
        );
        let heading = (m.kind == MarkerKind::Attachment)
            .then(|| attachment_title(lines, k + 1))
            .flatten();
        starts.push(Start {
            at: k,
            parent,
            kind: m.kind,
            number: m.number,
            written: m.written(),
            path,
            heading,
            rest: m.rest,
            depth,
        });
        stack.push(Open {
            clause: starts.len() - 1,
            kind: m.kind,
            number: m.number,
        });
    }

    // Where each clause ends: before the next clause that is not its descendant.
    let ends: Vec<usize> = (0..starts.len())
        .map(|i| {
            starts[i + 1..]
                .iter()
                .find(|n| n.depth <= starts[i].depth)
                .map(|n| n.at)
                .unwrap_or(lines.len())
        })
        .collect();
    let own_ends: Vec<usize> = (0..starts.len())
        .map(|i| starts.get(i + 1).map(|n| n.at).unwrap_or(lines.len()))
        .collect();
    let mut clauses = Vec::with_capacity(starts.len());
    let mut infos = Vec::with_capacity(starts.len());
    for ((s, end), own_end) in starts.into_iter().zip(ends).zip(own_ends) {
        let last = (s.at..end)
            .rev()
            .find(|&j| !clean(lines[j].1).is_empty())
            .unwrap_or(s.at);
        // A part's title line is its heading, not its text. Otherwise the first line is the
        // marker line: repair sees it whole (so headings are treated right), the text keeps
        // what follows the marker.
        let (from, first_text) = if s.kind == MarkerKind::Part {
            ((s.at + 1).min(own_end), None)
        } else {
            (s.at, Some(s.rest))
        };
        let own = &lines[from..own_end];
        let mut text = String::with_capacity(own.iter().map(|(_, l)| l.len() + 1).sum());
        let paras = paragraphs_into(own, &markers[from..own_end], first_text, &mut text, tabs);
        let heading = s
            .heading
            .unwrap_or_else(|| heading_of(&text, &paras, s.rest));
        clauses.push(Clause {
            parent: s.parent,
            marker: s.written,
            path: s.path,
            heading,
            text,
            span: Span {
                first_line: lines[s.at].0,
                last_line: lines[last].0,
            },
        });
        infos.push(ClauseInfo {
            kind: s.kind,
            number: s.number,
            paragraphs: paras,
        });
    }
    (clauses, infos)
}

/// The citation path of a child: components joined directly (`三、（一）1.`), with a space
/// around chapters, articles, attachments and parts (`第二章 第七条`, `附件1 一、`).
fn join_path(parent: Option<(&str, MarkerKind)>, own: &str, kind: MarkerKind) -> String {
    let spaced = |k: MarkerKind| {
        matches!(
            k,
            MarkerKind::Attachment | MarkerKind::Chapter | MarkerKind::Article | MarkerKind::Part
        )
    };
    let Some((p, pk)) = parent else {
        return own.to_string();
    };
    let mut path = String::with_capacity(p.len() + 1 + own.len());
    path.push_str(p);
    if spaced(pk) || spaced(kind) {
        path.push(' ');
    }
    path.push_str(own);
    path
}

/// The heading: the clause's first sentence (up to the first `。`) or its first line.
fn heading_of(text: &str, paras: &[Paragraph], rest: &str) -> String {
    let first = paras
        .first()
        .map(|p| &text[p.range.clone()])
        .filter(|_| !rest.is_empty())
        .unwrap_or(rest);
    let head = match first.find('。') {
        Some(i) => &first[..i],
        None => first,
    };
    normalize_spacing(head).into_owned()
}

/// The title of an attachment: the first non-blank line after `附件N`, if it reads as one.
fn attachment_title(lines: &[(usize, &str)], from: usize) -> Option<String> {
    let t = lines[from.min(lines.len())..]
        .iter()
        .map(|(_, l)| clean(l))
        .find(|l| !l.is_empty())?;
    let short = t.chars().count() <= 60 && !t.contains('\t') && !t.ends_with('。');
    (short && marker(t).is_none()).then(|| normalize_spacing(t).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(src: &str) -> Vec<Clause> {
        let lines: Vec<(usize, &str)> = src.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        build(&lines, &[], true).0
    }

    #[test]
    fn nests_by_order_of_appearance() {
        let src = "一、总则\n\n（一）目的\n\n正文。\n\n1. 第一项。\n\n2. 第二项。\n\n(二) 依据\n\n二、组织\n\n第三段。";
        let c = outline(src);
        let paths: Vec<&str> = c.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "一、",
                "一、（一）",
                "一、（一）1.",
                "一、（一）2.",
                "一、（二）",
                "二、"
            ]
        );
        assert_eq!(c[1].parent, Some(0));
        assert_eq!(
            c[0].span,
            Span {
                first_line: 1,
                last_line: 11
            }
        );
        assert_eq!(c[1].heading, "目的");
        assert_eq!(c[2].heading, "第一项");
        assert_eq!(c[5].text, "组织\n第三段。");
    }

    #[test]
    fn chapters_articles_and_attachments() {
        let src = "第一章 总 则\n第一条 为了规范。\n第二条 适用范围。\n（一）甲。\n第二章 管理\n第三条 乙。\n附件1\n某某名单\n一、组成人员";
        let c = outline(src);
        let paths: Vec<&str> = c.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "第一章",
                "第一章 第一条",
                "第一章 第二条",
                "第一章 第二条 （一）",
                "第二章",
                "第二章 第三条",
                "附件1",
                "附件1 一、"
            ]
        );
        assert_eq!(c[6].heading, "某某名单");
    }

    #[test]
    fn a_restart_of_numbering_opens_a_part() {
        let src = "一、甲\n\n二、乙\n\n工作任务分解\n\n一、丙\n\n（一）丁\n\n1. 戊。";
        let c = outline(src);
        let paths: Vec<&str> = c.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "一、",
                "二、",
                "《工作任务分解》",
                "《工作任务分解》 一、",
                "《工作任务分解》 一、（一）",
                "《工作任务分解》 一、（一）1."
            ]
        );
        assert_eq!(c[1].span.last_line, 3);
        assert_eq!(c[2].span.first_line, 5);
    }
}
