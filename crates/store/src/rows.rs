//! Row types: what the store keeps and returns.

use crate::decode::json;
use serde::{Deserialize, Serialize};

/// A closed set of names kept as text in the database (kinds and roles, 种类与角色): one Rust
/// enum per set, written and read by the same names, so a mistyped name does not compile and an
/// unknown name in a row is an error naming it rather than a silent misreading.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident, $what:literal {
        $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)?
    }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $s)] $v),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$v => $s),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::StoreError;

            /// Parse a stored name; anything else is an error naming the value and the set.
            fn from_str(s: &str) -> crate::Result<Self> {
                match s {
                    $($s => Ok($name::$v),)+
                    other => Err(crate::StoreError::Decode(format!(
                        "未知的{}「{other}」（应为 {}）",
                        $what,
                        [$($s),+].join("、")
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// The role of an owner of a task or a case (责任分工中的角色).
    OwnerRole, "责任角色" {
        /// 责任领导.
        Leader = "leader",
        /// 牵头单位.
        Lead = "lead",
        /// 责任单位.
        Co = "co",
        /// 协办单位.
        Assist = "assist",
        /// 提出人 (a deputy or member who made a proposal).
        Proposer = "proposer",
    }
}

text_enum! {
    /// What a row of `tasks` is.
    TaskKind, "任务种类" {
        /// A task of a work-division table (重点任务分工).
        Task = "task",
        /// A health action (专项行动).
        Action = "action",
    }
}

text_enum! {
    /// What a list of a document is.
    ListKind, "名单种类" {
        /// The members of a body (组成人员名单).
        Roster = "roster",
        /// Commended units (先进集体).
        Unit = "unit",
        /// Commended people (先进个人).
        Person = "person",
    }
}

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
    #[serde(deserialize_with = "json")]
    pub aliases: Vec<String>,
}

/// A group of units (`各县（市、区）政府`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "json")]
    pub aliases: Vec<String>,
    /// Filled from `group_members`, not a column of `unit_groups`.
    #[serde(default)]
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
    #[serde(deserialize_with = "json")]
    pub recipients: Vec<String>,
    #[serde(deserialize_with = "json")]
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
    /// 责任领导, 牵头单位, 责任单位 or 协办单位.
    pub role: OwnerRole,
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
    pub kind: TaskKind,
    pub no: i64,
    pub name: String,
    pub clause: String,
    pub text: String,
    #[serde(deserialize_with = "json")]
    pub deadlines: Vec<String>,
    pub first_line: i64,
    pub last_line: i64,
    /// Filled from `task_owners`, not a column of `tasks`.
    #[serde(default)]
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
    #[serde(deserialize_with = "json")]
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
    pub kind: ListKind,
    pub stated_count: Option<i64>,
    #[serde(deserialize_with = "json")]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{Row, Value};
    use std::sync::Arc;

    #[test]
    fn kinds_and_roles_read_their_stored_names_and_refuse_others() {
        for role in OwnerRole::ALL {
            assert_eq!(role.as_str().parse::<OwnerRole>().unwrap(), *role);
        }
        let e = "boss".parse::<OwnerRole>().unwrap_err().to_string();
        assert!(e.contains("boss") && e.contains("leader"), "{e}");
        assert!("Leader".parse::<OwnerRole>().is_err(), "names are exact");
        assert_eq!("action".parse::<TaskKind>().unwrap(), TaskKind::Action);
        assert!("roster ".parse::<ListKind>().is_err());
    }

    #[test]
    fn a_row_is_read_by_column_name_never_by_position() {
        let columns: Arc<[String]> = ["name", "role", "unit_id", "open", "resolved"]
            .iter()
            .map(|c| c.to_string())
            .collect();
        let row = Row::new(
            columns,
            vec![
                Value::Text(Some("市卫健委".into())),
                Value::Text(Some("lead".into())),
                Value::Text(Some("wjw".into())),
                Value::I64(Some(0)),
                Value::I64(Some(1)),
            ],
        );
        assert_eq!(row.text("unit_id").unwrap(), "wjw");
        let e = row.text("group_id").unwrap_err().to_string();
        assert!(e.contains("group_id") && e.contains("unit_id"), "{e}");
        let owner: OwnerRow = row.decode().unwrap();
        assert_eq!(owner.role, OwnerRole::Lead);
        assert_eq!(
            (owner.name.as_str(), owner.unit_id.as_deref()),
            ("市卫健委", Some("wjw"))
        );
        assert!(!owner.open && owner.resolved && owner.group_id.is_none());
    }
}
