//! Row types: what the store keeps and returns.

use serde::{Deserialize, Serialize};

/// An imported gazette issue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IssueRow {
    pub id: i64,
    pub source_name: String,
    pub sha256: String,
    pub line_count: i64,
    pub imported_at: String,
    pub imported_by: String,
    pub document_count: i64,
}

/// A unit of the registry (单位).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnitRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub aliases: Vec<String>,
}

/// A group of units (`各县（市、区）政府`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub members: Vec<String>,
}

/// A document header.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocumentRow {
    pub id: i64,
    pub issue_id: i64,
    pub doc_no: String,
    pub issuer: String,
    pub date: Option<String>,
    pub title: String,
    pub kind: String,
    pub recipients: Vec<String>,
    pub attachments: Vec<String>,
    pub first_line: i64,
    pub last_line: i64,
}

/// One clause of a document's outline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClauseRow {
    pub id: i64,
    pub document_id: i64,
    pub ord: i64,
    pub parent_ord: Option<i64>,
    pub marker: String,
    pub path: String,
    pub heading: String,
    pub text: String,
    pub first_line: i64,
    pub last_line: i64,
}

/// An owner of a task: a leader, a lead unit or a co-unit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OwnerRow {
    /// `leader` (责任领导), `lead` (牵头单位), `co` (责任单位) or `assist` (协办单位).
    pub role: String,
    /// The mention as the document means it.
    pub name: String,
    pub unit_id: Option<String>,
    pub group_id: Option<String>,
    /// For a member row expanded from a group mention: the group's id.
    pub via_group: Option<String>,
    pub open: bool,
    pub resolved: bool,
}

/// A task (`task`) or a health action (`action`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaskRow {
    pub id: i64,
    pub document_id: i64,
    pub doc_no: String,
    pub kind: String,
    pub no: i64,
    pub name: String,
    pub clause: String,
    pub text: String,
    pub deadlines: Vec<String>,
    pub first_line: i64,
    pub last_line: i64,
    pub owners: Vec<OwnerRow>,
}

/// An indicator with its targets (as JSON of the gazette model).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndicatorRow {
    pub id: i64,
    pub document_id: i64,
    pub no: i64,
    pub name: String,
    pub unit: Option<String>,
    pub basis: Option<String>,
    pub baseline_value: Option<f64>,
    pub baseline_year: Option<i64>,
    pub baseline_text: Option<String>,
    pub targets: serde_json::Value,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

/// A prose target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TargetRow {
    pub id: i64,
    pub document_id: i64,
    pub metric: String,
    pub year: i64,
    pub op: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub comparator: String,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

/// A roster or a commendation list; members/entries kept as JSON of the gazette model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ListRow {
    pub id: i64,
    pub document_id: i64,
    /// Roster body or commendation category.
    pub title: String,
    /// `roster`, `unit` or `person`.
    pub kind: String,
    pub stated_count: Option<i64>,
    pub entries: serde_json::Value,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

/// Something the reader could not classify, kept and reported.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnresolvedRow {
    pub id: i64,
    pub document_id: i64,
    pub kind: String,
    pub text: String,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

/// Counts of what the store holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    pub issues: i64,
    pub documents: i64,
    pub clauses: i64,
    pub tasks: i64,
    pub units: i64,
    pub indicators: i64,
    pub targets: i64,
    pub rosters: i64,
    pub commendations: i64,
    pub unresolved: i64,
    pub users: i64,
    pub audit_entries: i64,
}

/// A full-text search hit: a clause and its document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchHit {
    pub document_id: i64,
    pub doc_no: String,
    pub title: String,
    pub clause_ord: i64,
    pub path: String,
    pub snippet: String,
    pub first_line: i64,
}
