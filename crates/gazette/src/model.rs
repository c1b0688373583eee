//! The values the gazette reader produces: the output contract of `luoshi gazette parse`.
//!
//! Every extracted item carries its citation: the document number (文号), the clause path
//! inside the document, and the line span (1-based, inclusive) in the source text.

use serde::{Deserialize, Serialize};

/// A line span in the source text, 1-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Span {
    pub first_line: usize,
    pub last_line: usize,
}

/// One gazette issue (公报一期): its documents and the front matter before the first one.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Issue {
    /// Lines before the first document (cover, table of contents), if any.
    pub front_matter: Option<Span>,
    pub documents: Vec<Document>,
}

/// One document (公文) of the issue.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Document {
    /// 文号, e.g. `郑政办〔2020〕29号`.
    pub doc_no: String,
    /// 发文机关, e.g. `郑州市人民政府办公厅`.
    pub issuer: String,
    /// 成文日期, ISO `2020-05-26`.
    pub date: Option<String>,
    /// 标题, joined across lines with spacing normalized.
    pub title: String,
    /// 文种: 通知/意见/通报/办法/预案/规定/方案/决定 …
    pub kind: String,
    /// 主送机关.
    pub recipients: Vec<String>,
    /// 附件 list, in order.
    pub attachments: Vec<String>,
    pub span: Span,
    /// Every clause, in document order; `parent` indexes into this list.
    pub outline: Vec<Clause>,
    /// Numbered work items with owners (任务分解 and similar).
    pub tasks: Vec<Task>,
    /// Named actions with inline owners (健康郑州 18 项行动).
    pub actions: Vec<Action>,
    /// Rows of an assessment indicator table (考核指标框架).
    pub indicators: Vec<Indicator>,
    /// Targets written in prose (到2022年…不低于25%).
    pub targets: Vec<Target>,
    /// Committee and leading-group members (成员名单).
    pub rosters: Vec<Roster>,
    /// Commended units and people (通报表扬名单).
    pub commendations: Vec<Commendation>,
    /// Mentions and text the reader could not classify: kept and reported, never dropped.
    pub unresolved: Vec<Unresolved>,
}

/// One clause of a document's outline.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Clause {
    /// Index of the parent clause in `Document::outline`, `None` for top level.
    pub parent: Option<usize>,
    /// The marker as written: `一、`, `（一）`, `1.`, `（1）`, `第三章`, `第七条`, `附件1`.
    pub marker: String,
    /// Full path from the top, e.g. `三、（一）` or `第二章 第七条`.
    pub path: String,
    /// The clause heading (the text right after the marker up to the first full stop, or the
    /// heading line).
    pub heading: String,
    /// The clause's own text with page breaks repaired.
    pub text: String,
    pub span: Span,
}

/// A unit mention as the document means it, resolved against the unit registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Mention {
    /// The mention with page breaks repaired, shared prefix/suffix distributed, spaces removed.
    pub name: String,
    /// Registry id of the unit, if resolved to one unit.
    pub unit: Option<String>,
    /// Registry id of the group, if the mention names a group (`各县（市、区）政府`).
    pub group: Option<String>,
    /// An open reference (`…等有关部门`, `相关县（市、区）政府`).
    pub open: bool,
}

/// A numbered work item with its owners.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Task {
    pub no: u32,
    /// Clause path of the item, e.g. `一、（一）1.`.
    pub clause: String,
    pub text: String,
    pub span: Span,
    /// 责任领导.
    pub leaders: Vec<String>,
    /// 牵头单位.
    pub lead_units: Vec<Mention>,
    /// 责任单位 (and 成员单位 of a working group).
    pub units: Vec<Mention>,
    /// 协办单位 / 配合单位, when the text names assisting units apart from 责任单位.
    #[serde(default)]
    pub assisting_units: Vec<Mention>,
    /// Dates or deadlines the item names in its own words (`2020年6月底前`).
    #[serde(default)]
    pub deadlines: Vec<String>,
}

/// A named action whose owners are written inline: `（市卫健委牵头，A、B按职责分工负责）`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Action {
    pub no: u32,
    pub name: String,
    pub clause: String,
    pub span: Span,
    pub lead_units: Vec<Mention>,
    pub units: Vec<Mention>,
}

/// A value with its year, as a baseline (基期值).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Baseline {
    pub value: Option<f64>,
    pub year: Option<i32>,
    /// The cell as written (`79.49*`, `≥16.2`, `40.5 (2019 年)`, `—`).
    pub text: String,
}

/// A target: `op` is one of `<=`, `>=`, `<`, `>`, `=`, `trend`, `text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct IndicatorTarget {
    pub year: i32,
    pub op: String,
    pub value: Option<f64>,
    pub text: String,
}

/// One row (or sub-row) of an indicator table.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Indicator {
    pub no: u32,
    pub name: String,
    /// `%`, `‰`, `1/10万`, `岁`, `人`, `小时`, or `None`.
    pub unit: Option<String>,
    /// 考核依据.
    pub basis: Option<String>,
    pub baseline: Option<Baseline>,
    pub targets: Vec<IndicatorTarget>,
    pub clause: String,
    pub span: Span,
}

/// A target written in prose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Target {
    pub metric: String,
    pub year: i32,
    pub op: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    /// The words the document used (`不低于`).
    pub comparator: String,
    pub clause: String,
    pub span: Span,
}

/// Members of a committee or leading group.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Roster {
    /// The body, e.g. `健康郑州行动推进委员会`.
    pub body: String,
    pub members: Vec<RosterMember>,
    pub clause: String,
    pub span: Span,
    /// Roster lines that name a category of members, not a person
    /// (`相关开发区、县(市、区)分管负责同志`): kept, never dropped. (Added by G2.)
    #[serde(default)]
    pub categories: Vec<RosterCategory>,
}

/// A category of members written in a roster instead of a person (added by G2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RosterCategory {
    /// The role the line falls under (`委员`, `成员`).
    pub role: String,
    /// The line as written, spacing normalized.
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct RosterMember {
    pub name: String,
    /// 职务 as written (`市政府副市长`).
    pub post: String,
    /// 主任 / 副主任 / 组长 / 成员 / 委员 / 秘书长 …
    pub role: String,
}

/// One commended category: units or individuals.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Commendation {
    /// The heading as written, e.g. `先进个人（50名）`.
    pub category: String,
    /// `unit` or `person`.
    pub kind: String,
    /// The count the text states, if any.
    pub stated_count: Option<u32>,
    pub entries: Vec<CommendedEntry>,
    pub clause: String,
    pub span: Span,
    /// Index (in the document's `commendations`) of the enclosing category: `（一）…（20个）`
    /// under `一、先进集体（30个）`. A parent's entries are those of its children. (Added by G2.)
    #[serde(default)]
    pub parent: Option<usize>,
    /// Problems found while reading the list, in Chinese (e.g. the names found do not add up
    /// to the stated count). (Added by G2.)
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct CommendedEntry {
    pub name: String,
    /// A disambiguating note written after the name (`市接待办`).
    pub note: Option<String>,
    /// Registry id, when a unit entry resolves.
    pub unit: Option<String>,
}

/// Something the reader kept but could not classify or resolve.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Unresolved {
    /// `unit` (a mention not in the registry) or `text` (lines not classified).
    pub kind: String,
    pub text: String,
    pub clause: String,
    pub span: Span,
}
