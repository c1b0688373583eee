//! The API's types (接口数据类型): what `/api/v1` returns and accepts, each with its OpenAPI
//! schema. They are the web crate's contract, converted from the store's rows and the
//! services' views, so a column added to a row does not silently change the API, and columns
//! kept as JSON in the store (indicator targets, list entries) have a real schema here.

use luoshi_app::views::{DocumentView, UnitEntry as UnitEntryView, UnitView};
use luoshi_domain::Error;
use luoshi_store::{
    ClauseRow, DocumentRow, GroupRow, IndicatorRow, IssueRow, ListKind, ListRow, OwnerRole,
    OwnerRow, SearchHit as SearchHitRow, TargetRow, TaskKind, TaskRow, UnitRow, UnresolvedRow,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Convert every element of a list.
fn all<A, B: From<A>>(v: Vec<A>) -> Vec<B> {
    v.into_iter().map(B::from).collect()
}

/// An error: a stable code (`E_…`) and a Chinese message.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    #[schema(example = "E_NOT_FOUND")]
    pub code: String,
    pub message: String,
    /// The request's id (also in the `X-Request-Id` header), to quote to the administrator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// An imported gazette issue (公报).
#[derive(Debug, Serialize, ToSchema)]
pub struct Issue {
    pub id: i64,
    /// The file name it was imported from.
    pub source_name: String,
    /// SHA-256 of the text: the same text is never imported twice.
    pub sha256: String,
    pub line_count: i64,
    pub imported_at: String,
    pub imported_by: String,
    pub document_count: i64,
}

impl From<IssueRow> for Issue {
    fn from(r: IssueRow) -> Self {
        Issue {
            id: r.id,
            source_name: r.source_name,
            sha256: r.sha256,
            line_count: r.line_count,
            imported_at: r.imported_at,
            imported_by: r.imported_by,
            document_count: r.document_count,
        }
    }
}

/// A document's header (公文).
#[derive(Debug, Serialize, ToSchema)]
pub struct Document {
    pub id: i64,
    pub issue_id: i64,
    /// 文号, e.g. `郑政办〔2020〕29号`.
    pub doc_no: String,
    /// 发文机关.
    pub issuer: String,
    /// 成文日期 (`2020-05-26`), when the text gives one.
    pub date: Option<String>,
    pub title: String,
    /// 文种 (通知, 意见, 决定 …).
    pub kind: String,
    /// 主送.
    pub recipients: Vec<String>,
    /// 附件.
    pub attachments: Vec<String>,
    /// The document's lines in the issue's text.
    pub first_line: i64,
    pub last_line: i64,
}

impl From<DocumentRow> for Document {
    fn from(r: DocumentRow) -> Self {
        Document {
            id: r.id,
            issue_id: r.issue_id,
            doc_no: r.doc_no,
            issuer: r.issuer,
            date: r.date,
            title: r.title,
            kind: r.kind,
            recipients: r.recipients,
            attachments: r.attachments,
            first_line: r.first_line,
            last_line: r.last_line,
        }
    }
}

/// A clause of a document's outline (条款).
#[derive(Debug, Serialize, ToSchema)]
pub struct Clause {
    pub id: i64,
    pub document_id: i64,
    /// Order in the document; the page anchor is `#c-{ord}`.
    pub ord: i64,
    pub parent_ord: Option<i64>,
    /// The numbering as written (`（六）`, `28.`).
    pub marker: String,
    /// The citation path (`二、（六）28.`).
    pub path: String,
    pub heading: String,
    pub text: String,
    pub first_line: i64,
    pub last_line: i64,
}

impl From<ClauseRow> for Clause {
    fn from(r: ClauseRow) -> Self {
        Clause {
            id: r.id,
            document_id: r.document_id,
            ord: r.ord,
            parent_ord: r.parent_ord,
            marker: r.marker,
            path: r.path,
            heading: r.heading,
            text: r.text,
            first_line: r.first_line,
            last_line: r.last_line,
        }
    }
}

/// An owner of a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct Owner {
    /// `leader` (责任领导), `lead` (牵头单位), `co` (责任单位) or `assist` (协办单位).
    pub role: OwnerRole,
    /// The mention as the document writes it.
    pub name: String,
    /// The registry unit it resolved to.
    pub unit_id: Option<String>,
    /// The unit group it resolved to (`各县（市、区）政府`).
    pub group_id: Option<String>,
    /// For a member expanded from a group mention: the group's id.
    pub via_group: Option<String>,
    /// An open mention (`等`, `相关单位`): the office completes it.
    pub open: bool,
    pub resolved: bool,
}

impl From<OwnerRow> for Owner {
    fn from(r: OwnerRow) -> Self {
        Owner {
            role: r.role,
            name: r.name,
            unit_id: r.unit_id,
            group_id: r.group_id,
            via_group: r.via_group,
            open: r.open,
            resolved: r.resolved,
        }
    }
}

/// A task (任务) or a health action (行动).
#[derive(Debug, Serialize, ToSchema)]
pub struct Task {
    pub id: i64,
    pub document_id: i64,
    pub doc_no: String,
    /// `task` or `action`.
    pub kind: TaskKind,
    /// 序号 in the document.
    pub no: i64,
    /// An action's name (empty for a task).
    pub name: String,
    /// The clause cited (文号之外的条款路径).
    pub clause: String,
    pub text: String,
    /// Time limits as written (`6月底前`).
    pub deadlines: Vec<String>,
    pub first_line: i64,
    pub last_line: i64,
    pub owners: Vec<Owner>,
}

impl From<TaskRow> for Task {
    fn from(r: TaskRow) -> Self {
        Task {
            id: r.id,
            document_id: r.document_id,
            doc_no: r.doc_no,
            kind: r.kind,
            no: r.no,
            name: r.name,
            clause: r.clause,
            text: r.text,
            deadlines: r.deadlines,
            first_line: r.first_line,
            last_line: r.last_line,
            owners: all(r.owners),
        }
    }
}

/// One year's target of an indicator.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IndicatorTarget {
    pub year: i32,
    /// `<=`, `>=`, `<`, `>`, `=`, `trend` or `text`.
    pub op: String,
    pub value: Option<f64>,
    /// The cell as written (`≥16.2`).
    pub text: String,
}

/// An indicator of a table (考核指标).
#[derive(Debug, Serialize, ToSchema)]
pub struct Indicator {
    pub id: i64,
    pub document_id: i64,
    pub no: i64,
    pub name: String,
    /// `%`, `‰`, `1/10万`, `岁` …
    pub unit: Option<String>,
    /// 考核依据.
    pub basis: Option<String>,
    pub baseline_value: Option<f64>,
    pub baseline_year: Option<i64>,
    pub baseline_text: Option<String>,
    pub targets: Vec<IndicatorTarget>,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

/// Stored JSON read into its API type; a stored value of another shape is an internal error.
fn from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value, what: &str) -> Result<T, Error> {
    serde_json::from_value(v)
        .map_err(|e| Error::internal(format!("{what} 的存储格式无法读取: {e}")))
}

impl TryFrom<IndicatorRow> for Indicator {
    type Error = Error;

    fn try_from(r: IndicatorRow) -> Result<Self, Error> {
        Ok(Indicator {
            targets: from_json(r.targets, "指标目标值")?,
            id: r.id,
            document_id: r.document_id,
            no: r.no,
            name: r.name,
            unit: r.unit,
            basis: r.basis,
            baseline_value: r.baseline_value,
            baseline_year: r.baseline_year,
            baseline_text: r.baseline_text,
            clause: r.clause,
            first_line: r.first_line,
            last_line: r.last_line,
        })
    }
}

/// A target written in prose (目标).
#[derive(Debug, Serialize, ToSchema)]
pub struct Target {
    pub id: i64,
    pub document_id: i64,
    pub metric: String,
    pub year: i64,
    /// `<=`, `>=`, `<`, `>`, `=`, `trend` or `text`.
    pub op: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    /// The words the document used (`不低于`).
    pub comparator: String,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

impl From<TargetRow> for Target {
    fn from(r: TargetRow) -> Self {
        Target {
            id: r.id,
            document_id: r.document_id,
            metric: r.metric,
            year: r.year,
            op: r.op,
            value: r.value,
            unit: r.unit,
            comparator: r.comparator,
            clause: r.clause,
            first_line: r.first_line,
            last_line: r.last_line,
        }
    }
}

/// An entry of a list: a roster member, or a commended unit or person.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ListEntry {
    /// A member of a committee or leading group (`kind` `roster`).
    Member {
        name: String,
        /// 职务 as written (`市政府副市长`).
        post: String,
        /// 主任 / 副主任 / 组长 / 成员 …
        role: String,
    },
    /// A commended unit or person (`kind` `unit` or `person`).
    Commended {
        name: String,
        /// A disambiguating note written after the name (`市接待办`).
        note: Option<String>,
        /// Registry id, when a unit resolves.
        unit: Option<String>,
    },
}

/// A roster (名单) or a commendation list (表彰).
#[derive(Debug, Serialize, ToSchema)]
pub struct List {
    pub id: i64,
    pub document_id: i64,
    /// The roster's body or the commendation's category.
    pub title: String,
    /// `roster`, `unit` or `person`.
    pub kind: ListKind,
    /// The count the text states, if any.
    pub stated_count: Option<i64>,
    pub entries: Vec<ListEntry>,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

impl TryFrom<ListRow> for List {
    type Error = Error;

    fn try_from(r: ListRow) -> Result<Self, Error> {
        Ok(List {
            entries: from_json(r.entries, "名单条目")?,
            id: r.id,
            document_id: r.document_id,
            title: r.title,
            kind: r.kind,
            stated_count: r.stated_count,
            clause: r.clause,
            first_line: r.first_line,
            last_line: r.last_line,
        })
    }
}

/// Something the reader could not classify, kept and reported (未能识别的内容).
#[derive(Debug, Serialize, ToSchema)]
pub struct Unresolved {
    pub id: i64,
    pub document_id: i64,
    /// `unit` (a mention not in the registry) or `text`.
    pub kind: String,
    pub text: String,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

impl From<UnresolvedRow> for Unresolved {
    fn from(r: UnresolvedRow) -> Self {
        Unresolved {
            id: r.id,
            document_id: r.document_id,
            kind: r.kind,
            text: r.text,
            clause: r.clause,
            first_line: r.first_line,
            last_line: r.last_line,
        }
    }
}

/// Everything about a document the viewer may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDetail {
    pub document: Document,
    pub clauses: Vec<Clause>,
    /// Only the tasks and actions the viewer may see.
    pub tasks: Vec<Task>,
    /// How many tasks the document has in all.
    pub tasks_total: usize,
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Target>,
    pub lists: Vec<List>,
    /// Shown to the city-wide offices only.
    pub unresolved: Vec<Unresolved>,
}

impl TryFrom<DocumentView> for DocumentDetail {
    type Error = Error;

    fn try_from(v: DocumentView) -> Result<Self, Error> {
        Ok(DocumentDetail {
            document: v.document.into(),
            clauses: all(v.clauses),
            tasks: all(v.tasks),
            tasks_total: v.tasks_total,
            indicators: v
                .indicators
                .into_iter()
                .map(Indicator::try_from)
                .collect::<Result<_, _>>()?,
            targets: all(v.targets),
            lists: v
                .lists
                .into_iter()
                .map(List::try_from)
                .collect::<Result<_, _>>()?,
            unresolved: all(v.unresolved),
        })
    }
}

/// A full-text search hit: a clause and its document.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub document_id: i64,
    pub doc_no: String,
    pub title: String,
    /// The clause's anchor on the document page (`#c-{clause_ord}`).
    pub clause_ord: i64,
    pub path: String,
    pub snippet: String,
    pub first_line: i64,
}

impl From<SearchHitRow> for SearchHit {
    fn from(r: SearchHitRow) -> Self {
        SearchHit {
            document_id: r.document_id,
            doc_no: r.doc_no,
            title: r.title,
            clause_ord: r.clause_ord,
            path: r.path,
            snippet: r.snippet,
            first_line: r.first_line,
        }
    }
}

/// A unit of the registry (单位).
#[derive(Debug, Serialize, ToSchema)]
pub struct Unit {
    pub id: String,
    pub name: String,
    /// `department`, `county`, `zone`, `enterprise`, `organisation`, `institution`,
    /// `central`, `military`, `body` or `subunit`.
    pub kind: String,
    pub aliases: Vec<String>,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Self {
        Unit {
            id: r.id,
            name: r.name,
            kind: r.kind,
            aliases: r.aliases,
        }
    }
}

/// A group of units (单位组, e.g. `各县（市、区）政府`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Member unit ids.
    pub members: Vec<String>,
}

impl From<GroupRow> for Group {
    fn from(r: GroupRow) -> Self {
        Group {
            id: r.id,
            name: r.name,
            aliases: r.aliases,
            members: r.members,
        }
    }
}

/// A unit in the directory with its task count.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitEntry {
    pub unit: Unit,
    pub tasks: i64,
}

impl From<UnitEntryView> for UnitEntry {
    fn from(e: UnitEntryView) -> Self {
        UnitEntry {
            unit: e.unit.into(),
            tasks: e.tasks,
        }
    }
}

/// A unit with its groups and, for those who may see it, its work.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitDetail {
    pub unit: Unit,
    pub groups: Vec<Group>,
    /// `null` when the viewer may not see the unit's work.
    pub tasks: Option<Vec<Task>>,
}

impl From<UnitView> for UnitDetail {
    fn from(v: UnitView) -> Self {
        UnitDetail {
            unit: v.unit.into(),
            groups: all(v.groups),
            tasks: v.tasks.map(all),
        }
    }
}

/// A 责任领导 with the number of tasks in their portfolio.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeaderCount {
    pub name: String,
    pub tasks: i64,
}

/// A role a user holds (角色).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员
    Admin,
    /// 督查室
    Supervision,
    /// 建议提案处
    Proposals,
    /// 承办单位
    UnitStaff,
    /// 责任领导
    Leader,
    /// 代表/委员
    Deputy,
    /// 申请人
    Applicant,
    /// 健康办（健康郑州行动推进委员会办公室）
    Health,
}

impl From<luoshi_domain::Role> for Role {
    fn from(r: luoshi_domain::Role) -> Self {
        use luoshi_domain::Role as R;
        match r {
            R::Admin => Role::Admin,
            R::Supervision => Role::Supervision,
            R::Proposals => Role::Proposals,
            R::UnitStaff => Role::UnitStaff,
            R::Leader => Role::Leader,
            R::Deputy => Role::Deputy,
            R::Applicant => Role::Applicant,
            R::Health => Role::Health,
        }
    }
}

/// A user account (账号).
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// The unit the user belongs to (registry id).
    pub unit_id: Option<String>,
    pub roles: Vec<Role>,
    pub disabled: bool,
    /// For a 责任领导: the leader's name as the gazette writes it.
    pub leader_name: Option<String>,
}

impl From<luoshi_domain::User> for User {
    fn from(u: luoshi_domain::User) -> Self {
        User {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            unit_id: u.unit_id,
            roles: all(u.roles),
            disabled: u.disabled,
            leader_name: u.leader_name,
        }
    }
}

/// A stored audit entry (审计记录), hash-chained to the one before.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339 time in UTC.
    pub at: String,
    /// A username, or `system`.
    pub actor: String,
    /// A stable verb (`import.document`, `user.add`).
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// JSON before the change (`null` for a creation).
    pub before: Option<String>,
    /// JSON after the change (`null` for a deletion).
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl From<luoshi_domain::AuditEntry> for AuditEntry {
    fn from(e: luoshi_domain::AuditEntry) -> Self {
        AuditEntry {
            seq: e.seq,
            at: e.at,
            actor: e.draft.actor,
            action: e.draft.action,
            entity: e.draft.entity,
            entity_id: e.draft.entity_id,
            before: e.draft.before,
            after: e.draft.after,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// The first broken link of the audit chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// The outcome of walking the whole audit chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    pub entries: i64,
    /// `null` when the chain is whole.
    pub broken: Option<BrokenLink>,
}

impl From<luoshi_app::audit::Verification> for Verification {
    fn from(v: luoshi_app::audit::Verification) -> Self {
        Verification {
            entries: v.entries,
            broken: v.broken.map(|b| BrokenLink {
                seq: b.seq,
                reason: b.reason,
            }),
        }
    }
}
