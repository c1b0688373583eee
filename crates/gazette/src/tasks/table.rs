//! Task tables (任务分工表, 推广清单): tasks written as the rows of a tab-separated table whose
//! header names a task column and owner columns — `序号<TAB>改革举措<TAB>主要内容<TAB>指导部门<TAB>推广范围`,
//! `序号<TAB>重点任务<TAB>牵头单位<TAB>配合单位<TAB>完成时限`.
//!
//! Rules of interpretation:
//! - A header row has a task column (a cell naming 举措, 任务, 措施, 事项, 项目 or 工作) and at least
//!   one owner column, every cell short and none a number. Owner columns: `…领导` → leaders;
//!   `牵头…` → lead units; `配合…`, `协办…`, `参与…`, `协同…`, `协助…` → assisting units; any other
//!   cell naming `单位` or `部门` (责任单位, 指导部门, 实施单位) → units. A `内容` column adds to
//!   the task's text; a `时限`/`时间`/`期限` column is the task's deadline, as written.
//! - Each row with a number in the 序号 column (each row with a task, in a table without one) is
//!   one task, numbered as written. A row with an empty 序号 cell continues the task above (a
//!   wrapped row): its text and owners are added to it.
//! - An empty owner cell, or one a shorter row lacks (merged cells are left out of the row; the
//!   row is read from the left), takes the value of the row above: a merged owner cell covers the
//!   rows below it.
//! - Heading lines between rows (`一、知识产权保护方面（共5项）`) keep the table; any other line
//!   without a tab ends it. Where the document says the unit listed first leads, a row without a
//!   lead column gives the lead to its first unit.

use super::{deadlines, Owners};
use crate::cite::clause_path_at;
use crate::lines::{marker, OwnerKey};
use crate::model::{Clause, Span, Task};
use crate::registry::Registry;
use crate::text::{clean, fold_width, normalize_spacing, remove_spaces};
use crate::words::{has_any, has_word};

/// Words that make a header cell the task column.
const TASK_WORDS: &[&str] = &["举措", "任务", "措施", "事项", "项目", "工作"];

/// Words that make a header cell the deadline column.
const DEADLINE_WORDS: &[&str] = &["时限", "时间", "期限"];

/// Words of an assisting-units column.
const ASSISTING_WORDS: &[&str] = &["配合", "协办", "参与", "协同", "协助"];

/// Header cells longer than this are not a header's.
const MAX_HEADER_CELL_CHARS: usize = 12;

/// Column positions of a task table, read from its header row.
#[derive(Debug, Clone)]
struct Layout {
    no: Option<usize>,
    task: usize,
    content: Option<usize>,
    deadline: Option<usize>,
    owners: Vec<(usize, OwnerKey)>,
}

impl Layout {
    fn from_header(cells: &[&str]) -> Option<Layout> {
        let norm: Vec<String> = cells
            .iter()
            .map(|c| fold_width(&remove_spaces(c.trim())).into_owned())
            .collect();
        if norm.iter().any(|c| {
            c.chars().count() > MAX_HEADER_CELL_CHARS || c.chars().any(|ch| ch.is_ascii_digit())
        }) {
            return None;
        }
        let owners: Vec<(usize, OwnerKey)> = norm
            .iter()
            .enumerate()
            .filter_map(|(i, c)| owner_column(c).map(|k| (i, k)))
            .collect();
        if owners.is_empty() {
            return None;
        }
        let is_other = |i: usize| owners.iter().any(|&(o, _)| o == i);
        let deadline = norm.iter().position(|c| has_any(c, DEADLINE_WORDS));
        let task = norm
            .iter()
            .enumerate()
            .position(|(i, c)| !is_other(i) && Some(i) != deadline && has_any(c, TASK_WORDS))?;
        let content = norm
            .iter()
            .enumerate()
            .position(|(i, c)| i != task && !is_other(i) && has_word(c, "内容"));
        Some(Layout {
            no: norm.iter().position(|c| c == "序号"),
            task,
            content,
            deadline,
            owners,
        })
    }
}

/// The owners a header cell names, if it names any.
fn owner_column(cell: &str) -> Option<OwnerKey> {
    if has_word(cell, "领导") {
        return Some(OwnerKey::Leader);
    }
    if !has_any(cell, &["单位", "部门"]) {
        return None;
    }
    Some(if has_word(cell, "牵头") {
        OwnerKey::Lead
    } else if has_any(cell, ASSISTING_WORDS) {
        OwnerKey::Assisting
    } else {
        OwnerKey::Responsible
    })
}

/// A line between rows that keeps the table open: a short heading with a list marker and no
/// sentence (`一、知识产权保护方面（共5项）`).
fn is_heading(t: &str) -> bool {
    !t.contains('。') && t.chars().count() <= 40 && marker(t).is_some()
}

/// Every task row of one document's task tables (`lines` are the document's numbered lines).
pub(super) fn extract(
    lines: &[(usize, &str)],
    outline: &[Clause],
    registry: &Registry,
    first_leads: bool,
) -> Vec<Task> {
    let mut out: Vec<Task> = Vec::new();
    let mut layout: Option<Layout> = None;
    // The owner cells of the row above, by column (merged cells cover the rows below).
    let mut above: Vec<(usize, String)> = Vec::new();
    for &(line_no, raw) in lines {
        if memchr::memchr(b'\t', raw.as_bytes()).is_none() {
            if layout.is_some() {
                let t = clean(raw);
                if !t.is_empty() && !is_heading(t) {
                    layout = None;
                }
            }
            continue;
        }
        if clean(raw).is_empty() {
            continue;
        }
        // Outside a table only a header matters, and a header names an owner column: any other
        // row (an indicator table's) is passed over before it is split.
        let may_be_header = has_any(raw, &["单位", "部门", "领导"]);
        if layout.is_none() && !may_be_header {
            continue;
        }
        let cells: Vec<&str> = raw.split('\t').map(str::trim).collect();
        // A header's cells are short: a row with a long cell is ruled out before its cells are
        // normalised (a character is at most 3 bytes, and spaced-out keys double the length).
        let short = cells.iter().all(|c| c.len() <= MAX_HEADER_CELL_CHARS * 6);
        if let Some(header) = (may_be_header && short)
            .then(|| Layout::from_header(&cells))
            .flatten()
        {
            layout = Some(header);
            above.clear();
            continue;
        }
        let Some(table) = &layout else { continue };
        let cell = |column: Option<usize>| column.and_then(|c| cells.get(c)).copied().unwrap_or("");
        let task_text = normalize_spacing(cell(Some(table.task))).into_owned();
        let number = table
            .no
            .map(|c| fold_width(&remove_spaces(cell(Some(c)))).into_owned());
        let continues = number.as_deref() == Some("");
        if task_text.is_empty() && !continues {
            continue;
        }
        let mut owners = Owners::default();
        for &(column, key) in &table.owners {
            let written = cell(Some(column));
            let value = if written.is_empty() {
                above
                    .iter()
                    .find(|(c, _)| *c == column)
                    .map_or("", |(_, v)| v.as_str())
                    .to_string()
            } else {
                above.retain(|(c, _)| *c != column);
                above.push((column, written.to_string()));
                written.to_string()
            };
            // A wrapped row adds only the owners it writes itself.
            if value.is_empty() || (continues && written.is_empty()) {
                continue;
            }
            owners.add(key, &value, registry);
        }
        let mut text = task_text;
        let content = normalize_spacing(cell(table.content));
        if !content.is_empty() {
            text.push('\n');
            text.push_str(&content);
        }
        let deadline = cell(table.deadline);
        match out.last_mut() {
            Some(previous) if continues => {
                previous.text.push_str(&text);
                previous.span.last_line = line_no;
                previous.leaders.extend(owners.leaders);
                previous.lead_units.extend(owners.lead);
                previous.units.extend(owners.responsible);
                previous.assisting_units.extend(owners.assisting);
                if !deadline.is_empty() {
                    previous.deadlines.push(deadline.to_string());
                }
            }
            _ => {
                let no = number
                    .and_then(|n| n.parse::<u32>().ok())
                    .unwrap_or(out.len() as u32 + 1);
                if first_leads
                    && owners.lead.is_empty()
                    && owners.responsible.first().is_some_and(|m| !m.open)
                {
                    owners.lead.push(owners.responsible.remove(0));
                }
                let mut due = deadlines(&text);
                if !deadline.is_empty() && !due.iter().any(|d| d == deadline) {
                    due.push(deadline.to_string());
                }
                out.push(Task {
                    no,
                    clause: clause_path_at(outline, line_no),
                    text,
                    span: Span {
                        first_line: line_no,
                        last_line: line_no,
                    },
                    leaders: owners.leaders,
                    lead_units: owners.lead,
                    units: owners.responsible,
                    assisting_units: owners.assisting,
                    deadlines: due,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Task> {
        let lines: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        extract(
            &lines,
            &[],
            &Registry::bundled_named("none").expect("bundled"),
            false,
        )
    }

    fn names(mentions: &[crate::model::Mention]) -> Vec<&str> {
        mentions.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn a_reform_list_with_a_guiding_department_column() {
        let text = "序号\t改革举措\t主 要 内 容\t指导部门\t推广范围\n\n一、知识产权保护方面（共2项）\n\n1\t知识产权案件“三合一”审判\t整合分散的审判资源。\t最高人民法院\t全国\n\n2\t专利保险机制\t开发保险产品。\t国家知识产权局、中国银保监会\t全国\n\n附：说明文字。\n\n3\t不是任务\t不读\t某部门\t全国";
        let tasks = read(text);
        assert_eq!(tasks.len(), 2, "{tasks:#?}");
        assert_eq!(tasks[0].no, 1);
        assert_eq!(
            tasks[0].text,
            "知识产权案件“三合一”审判\n整合分散的审判资源。"
        );
        assert_eq!(names(&tasks[0].units), ["最高人民法院"]);
        assert_eq!(names(&tasks[1].units), ["国家知识产权局", "中国银保监会"]);
        assert!(tasks[1].lead_units.is_empty());
        assert_eq!(tasks[1].span.first_line, 7);
    }

    #[test]
    fn lead_and_assisting_columns_merged_cells_and_wrapped_rows() {
        let text = "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n1\t建设数据平台\t市大数据局\t市财政局\t2021年6月底前\n2\t开放公共数据\t\t市各部门\t2021年底前\n\t（含接口）\t\t\t\n3\t推广应用\t市工信局";
        let tasks = read(text);
        assert_eq!(tasks.len(), 3, "{tasks:#?}");
        assert_eq!(names(&tasks[0].lead_units), ["市大数据局"]);
        assert_eq!(names(&tasks[0].assisting_units), ["市财政局"]);
        assert_eq!(tasks[0].deadlines, ["2021年6月底前"]);
        // The merged lead cell covers row 2; the wrapped line continues it.
        assert_eq!(names(&tasks[1].lead_units), ["市大数据局"]);
        assert_eq!(tasks[1].text, "开放公共数据（含接口）");
        assert_eq!(tasks[1].span.last_line, 4);
        // A shorter row lacks its last cells: the assisting units carry from the row above.
        assert_eq!(names(&tasks[2].lead_units), ["市工信局"]);
        assert_eq!(names(&tasks[2].assisting_units), ["市各部门"]);
    }

    #[test]
    fn tables_that_are_not_task_tables() {
        // An indicator table, and a data row mentioning 单位.
        let text = "考核依据\t序号\t指 标\t基期值\t2022 年目标值\n\t26\t以乡（镇、街道）为单位适龄儿童免疫规划疫苗接种率（%）\t90\t>95";
        assert!(read(text).is_empty());
        // Owners but no task column.
        assert!(read("序号\t地区\t责任单位\n1\t东区\t区政府").is_empty());
    }
}
