//! Tasks and owners (任务与责任): numbered items with the owners the document assigns them.
//!
//! Three genres:
//! - an item followed by owner lines `责任领导：` / `牵头单位：` / `责任单位：` (任务分解; also the
//!   `牵头单位：` / `成员单位：` of an emergency plan's working groups) → [`Task`];
//! - an item whose text ends with an owner note `（责任单位：…，协办单位：…）` → [`Task`];
//! - a named action whose text ends with `（市卫健委牵头，A、B…按职责分工负责）` → [`Action`]
//!   (an unnamed item with such a note becomes a [`Task`] with lead and co-units).
//!
//! Each task also records the deadlines its own words name (`2020年6月底前`, `年底前`, `年内`).

mod table;

use crate::lines::{owner_key, MarkerKind, OwnerKey};
use crate::mentions::{leaders, mentions_into};
use crate::model::{Action, Clause, Mention, Task, Unresolved};
use crate::notes::{self, key_hits, keyed_segments, Note};
use crate::outline::ClauseInfo;
use crate::registry::Registry;
use crate::text::{has_sentence_punct, is_terminal, trim};

/// Tasks, actions and the mentions that did not resolve, for one document.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub tasks: Vec<Task>,
    pub actions: Vec<Action>,
    pub unresolved: Vec<Unresolved>,
}

/// Owners read from owner lines or an owner note.
#[derive(Debug, Default)]
struct Owners {
    leaders: Vec<String>,
    lead: Vec<Mention>,
    responsible: Vec<Mention>,
    assisting: Vec<Mention>,
}

impl Owners {
    fn add(&mut self, key: OwnerKey, value: &str, registry: &Registry) {
        match key {
            OwnerKey::Leader => self.leaders.extend(leaders(value)),
            OwnerKey::Lead => mentions_into(value, registry, &mut self.lead),
            OwnerKey::Responsible => mentions_into(value, registry, &mut self.responsible),
            OwnerKey::Assisting => mentions_into(value, registry, &mut self.assisting),
        }
    }

    /// The owners a note names. Where the document says the unit listed first leads, a note
    /// without an explicit lead gives the lead to its first named unit.
    fn from_note(note: &Note<'_>, registry: &Registry, first_leads: bool) -> Owners {
        let mut owners = Owners::default();
        for list in &note.lead {
            mentions_into(list, registry, &mut owners.lead);
        }
        for list in &note.responsible {
            mentions_into(list, registry, &mut owners.responsible);
        }
        for list in &note.assisting {
            mentions_into(list, registry, &mut owners.assisting);
        }
        if (first_leads || note.declares_first_leads)
            && owners.lead.is_empty()
            && owners.responsible.first().is_some_and(|m| !m.open)
        {
            owners.lead.push(owners.responsible.remove(0));
        }
        owners
    }

    /// The task for `clause` with these owners; deadlines are read from `text`.
    fn into_task(self, clause: &Clause, info: &ClauseInfo, text: String) -> Task {
        Task {
            no: info.number,
            clause: clause.path.clone(),
            deadlines: deadlines(&text),
            text,
            span: clause.span,
            leaders: self.leaders,
            lead_units: self.lead,
            units: self.responsible,
            assisting_units: self.assisting,
        }
    }

    fn names_owner(&self) -> bool {
        !(self.leaders.is_empty() && self.lead.is_empty() && self.responsible.is_empty())
    }
}

/// Read tasks and actions from a document's outline, and the rows of its task tables from
/// `table_lines` (the document's numbered lines; empty when it has no tab-separated line).
pub(crate) fn extract(
    clauses: &[Clause],
    infos: &[ClauseInfo],
    registry: &Registry,
    table_lines: &[(usize, &str)],
) -> Extracted {
    let mut out = Extracted::default();
    // The document's own rule `列第一位者为牵头单位` holds for every note in it.
    let first_leads = clauses.iter().any(|c| notes::declares_first_leads(&c.text));
    let mut paras: Vec<&str> = Vec::new(); // the clause's paragraphs, reused across clauses
    for (clause, info) in clauses.iter().zip(infos) {
        if info.kind == MarkerKind::Part || info.kind == MarkerKind::Attachment {
            continue;
        }
        paras.clear();
        paras.extend(
            info.paragraphs
                .iter()
                .map(|p| &clause.text[p.range.clone()]),
        );
        if let Some(task) = task_with_owner_lines(clause, info, &paras, registry) {
            out.tasks.push(task);
        } else if let Some(items) =
            items_with_owner_notes(clause, info, &paras, registry, first_leads, clauses, infos)
        {
            for item in items {
                match item {
                    Item::Task(t) => out.tasks.push(t),
                    Item::Action(a) => out.actions.push(a),
                }
            }
        } else if let Some(task) = task_with_trailing_owners(clause, info, &paras, registry) {
            out.tasks.push(task);
        }
    }
    if !table_lines.is_empty() {
        out.tasks
            .extend(table::extract(table_lines, clauses, registry, first_leads));
    }
    for t in &out.tasks {
        let all = t
            .lead_units
            .iter()
            .chain(&t.units)
            .chain(&t.assisting_units);
        report_unresolved(all, &t.clause, t.span, &mut out.unresolved);
    }
    for a in &out.actions {
        report_unresolved(
            a.lead_units.iter().chain(&a.units),
            &a.clause,
            a.span,
            &mut out.unresolved,
        );
    }
    out
}

fn report_unresolved<'a>(
    mentions: impl Iterator<Item = &'a Mention>,
    clause: &str,
    span: crate::model::Span,
    out: &mut Vec<Unresolved>,
) {
    for m in mentions {
        if m.unit.is_none() && m.group.is_none() && !m.open {
            out.push(Unresolved {
                kind: "unit".into(),
                text: m.name.clone(),
                clause: clause.to_string(),
                span,
            });
        }
    }
}

/// An item followed by owner lines.
fn task_with_owner_lines(
    clause: &Clause,
    info: &ClauseInfo,
    paras: &[&str],
    registry: &Registry,
) -> Option<Task> {
    let first_key = paras.iter().position(|p| owner_key(p).is_some())?;
    let mut owners = Owners::default();
    let mut text_parts: Vec<&str> = paras[..first_key].to_vec();
    let mut in_owner_block = true;
    for p in &paras[first_key..] {
        match owner_key(p) {
            // One line may hold several keys: `牵头单位：A；配合单位：B`.
            Some((key, value)) if in_owner_block => {
                let segments = keyed_segments(p);
                if segments.is_empty() {
                    // A key spaced out by PDF extraction (`牵 头 单 位：`).
                    owners.add(key, value, registry);
                }
                for (key, value) in segments {
                    owners.add(key, value, registry);
                }
            }
            _ => {
                in_owner_block = false;
                text_parts.push(p);
            }
        }
    }
    if !owners.names_owner() {
        return None;
    }
    let text = text_parts.join("\n");
    Some(owners.into_task(clause, info, text))
}

/// An item whose last paragraph ends with owners written after the sentence, without
/// brackets: `…完成改造任务。牵头单位：市城建局；责任单位：各区政府`.
fn task_with_trailing_owners(
    clause: &Clause,
    info: &ClauseInfo,
    paras: &[&str],
    registry: &Registry,
) -> Option<Task> {
    let (text, before_last) = paras.split_last()?;
    let text = *text;
    let start = key_hits(text)
        .into_iter()
        .filter(|h| h.2.is_some())
        .map(|h| h.0)
        .find(|&pos| {
            pos > 0 && matches!(text[..pos].chars().last(), Some('。' | '；' | ';' | ' '))
        })?;
    let mut owners = Owners::default();
    for (key, value) in keyed_segments(&text[start..]) {
        owners.add(key, value, registry);
    }
    if !owners.names_owner() {
        return None;
    }
    let mut body: Vec<&str> = before_last.to_vec();
    body.push(text[..start].trim_end());
    let text = body.join("\n");
    Some(owners.into_task(clause, info, text))
}

enum Item {
    Task(Task),
    Action(Action),
}

/// Items whose text carries owner notes in brackets: one item per note, its text running from
/// the previous note (or the clause's start) to the note. A clause that is a short name with a
/// single `X牵头` note at its end is a named action. A note standing alone in its paragraph,
/// after the text of the clause, speaks for the whole clause.
fn items_with_owner_notes(
    clause: &Clause,
    info: &ClauseInfo,
    paras: &[&str],
    registry: &Registry,
    first_leads: bool,
    clauses: &[Clause],
    infos: &[ClauseInfo],
) -> Option<Vec<Item>> {
    let mut items = Vec::new();
    let mut pending: Vec<&str> = Vec::new(); // text since the last note
    let mut count = 0;
    for (k, para) in paras.iter().enumerate() {
        let found = notes::find(para);
        let mut cursor = 0;
        for (start, end, note) in found {
            count += 1;
            let before = trim(&para[cursor..start]);
            if !before.is_empty() {
                pending.push(before);
            }
            cursor = end;
            let owners = Owners::from_note(&note, registry, first_leads);
            if !owners.names_owner() {
                continue;
            }
            let at_end = k + 1 == paras.len()
                && para[end..]
                    .trim_matches(|c: char| c.is_whitespace() || c == '。' || c == '.')
                    .is_empty();
            let named = at_end
                && count == 1
                && paras.len() >= 2
                && !has_sentence_punct(paras[0])
                && !note.keyed
                && !owners.lead.is_empty();
            if named {
                items.push(Item::Action(Action {
                    no: info.number,
                    name: clause.heading.clone(),
                    clause: clause.path.clone(),
                    span: clause.span,
                    lead_units: owners.lead,
                    units: owners.responsible,
                }));
                pending.clear();
                continue;
            }
            // A note in a paragraph of its own after the clause's text, in the clause that
            // closes a chapter, was written after the whole chapter: it is the chapter's.
            let parent = clause.parent.filter(|&p| {
                start == 0
                    && k > 0
                    && !note.keyed
                    && !clauses[p + 1..]
                        .iter()
                        .skip_while(|c| !std::ptr::eq(*c, clause))
                        .skip(1)
                        .any(|c| c.parent == Some(p))
            });
            let (owner_clause, owner_info) = match parent {
                Some(p) => (&clauses[p], &infos[p]),
                None => (clause, info),
            };
            if parent.is_some() {
                pending.clear();
            }
            if pending.is_empty() {
                pending.push(&owner_clause.heading);
            }
            let text = pending.join("\n");
            pending.clear();
            items.push(Item::Task(owners.into_task(owner_clause, owner_info, text)));
        }
        let rest = trim(&para[cursor..]);
        if !rest.is_empty() {
            pending.push(rest);
        }
    }
    (!items.is_empty()).then_some(items)
}

/// Deadlines named in the text: `2020年6月底前`, `6月底前`, `10月底前`, `2020年年底`, `年底前`,
/// `年内`. Spaces are ignored (`6 月底前`).
/// The deadline words of a text (`2020年6月底前`, `年底前`, `年内`), in order.
pub fn deadlines(text: &str) -> Vec<String> {
    // Every deadline holds 月, or 年 with 底, 末 or 内 (`年底`, `年内`): byte searches skip
    // most texts without decoding them (内 alone is common: 国内, 区内).
    use crate::words::{has_any, has_char};
    if !(has_char(text, '月') || (has_char(text, '年') && has_any(text, &["底", "末", "内"])))
    {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut found: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !found.contains(&s) {
            found.push(s);
        }
    };
    let digits_before = |end: usize, max: usize| -> usize {
        let mut start = end;
        while start > 0 && end - start < max && chars[start - 1].is_ascii_digit() {
            start -= 1;
        }
        start
    };
    // Extend a start back over a `YYYY年` right before it.
    let with_year = |start: usize| -> usize {
        if start >= 5 && chars[start - 1] == '年' {
            let y = digits_before(start - 1, 4);
            if start - 1 - y == 4 {
                return y;
            }
        }
        start
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '月' {
            let m_start = digits_before(i, 2);
            if m_start < i {
                let start = with_year(m_start);
                let mut end = i + 1;
                let mut closed = false;
                for word in ["底", "末", "上旬", "中旬", "下旬"] {
                    let w: Vec<char> = word.chars().collect();
                    if chars[end..].starts_with(&w) {
                        end += w.len();
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    let d_end = (end..chars.len().min(end + 2))
                        .take_while(|&j| chars[j].is_ascii_digit())
                        .last();
                    if let Some(d) = d_end {
                        if chars.get(d + 1) == Some(&'日') {
                            end = d + 2;
                        }
                    }
                }
                let before = chars.get(end) == Some(&'前');
                if before {
                    end += 1;
                }
                if before || closed {
                    push(chars[start..end].iter().collect());
                    i = end;
                    continue;
                }
            }
        } else if c == '年' && matches!(chars.get(i + 1), Some('底') | Some('末')) {
            let mut start = i;
            let y = digits_before(i, 4);
            if i - y == 4 {
                start = y;
            } else if i >= 1 && chars[i - 1] == '年' {
                start = with_year(i);
            }
            let mut end = i + 2;
            if chars.get(end) == Some(&'前') {
                end += 1;
            }
            push(chars[start..end].iter().collect());
            i = end;
            continue;
        } else if c == '年' && chars.get(i + 1) == Some(&'内') && !chars[..i].ends_with(&['每'])
        {
            let y = digits_before(i, 4);
            if y == i {
                push("年内".into());
            }
        }
        i += 1;
    }
    found.retain(|s| !s.is_empty() && !s.chars().all(is_terminal));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_in_words() {
        assert_eq!(deadlines("2020年6月底前建立台账"), vec!["2020年6月底前"]);
        assert_eq!(deadlines("年底前“一环十横十纵”"), vec!["年底前"]);
        assert_eq!(
            deadlines("轨道交通 3 号线, 6 月底前全部开工"),
            vec!["6月底前"]
        );
        assert_eq!(
            deadlines("在2020年年底由各县移交；在2022年6月底前完成；2023年2月底前全部完成"),
            vec!["2020年年底", "2022年6月底前", "2023年2月底前"]
        );
        assert_eq!(deadlines("郑合杭高铁年内开通"), vec!["年内"]);
        assert_eq!(deadlines("从2020年3月起"), Vec::<String>::new());
        assert_eq!(deadlines("于2021年1月10日前报送"), vec!["2021年1月10日前"]);
    }

    #[test]
    fn every_owner_key_is_found_before_a_colon() {
        for (word, _) in crate::lines::OWNER_KEYS {
            assert_eq!(key_hits(&format!("{word}：甲")).len(), 1, "{word}");
        }
    }

    #[test]
    fn owner_notes() {
        let segs = keyed_segments("责任单位：甲，协办单位：乙");
        assert_eq!(
            segs,
            vec![(OwnerKey::Responsible, "甲"), (OwnerKey::Assisting, "乙")]
        );
    }
}
