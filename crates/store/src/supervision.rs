//! Supervision in the database (督查督办存储): items, milestones, reporting duties and reports.

use crate::cases::by_item;
use crate::decode::json;
use crate::sql::{Conn, Value};
use crate::Result;
use serde::{Deserialize, Serialize};

/// A supervised item: its case joined with what supervision keeps about it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub document_id: Option<i64>,
    pub doc_no: Option<String>,
    pub clause: Option<String>,
    pub first_line: Option<i64>,
    pub last_line: Option<i64>,
    pub state: String,
    pub version: i64,
    pub task_id: Option<i64>,
    pub clause_ord: Option<i64>,
    pub no: i64,
    pub chapter: String,
    pub percent: i64,
    pub last_report_at: Option<String>,
    pub status: String,
    pub status_as_of: String,
    pub next_due: Option<String>,
    pub overdue_count: i64,
}

/// Which items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    pub document_id: Option<i64>,
    pub doc_no: Option<String>,
    /// Items this unit owns (directly or through a group).
    pub unit_id: Option<String>,
    /// Items whose responsible leader is this name.
    pub leader: Option<String>,
    pub status: Option<String>,
    pub chapter: Option<String>,
}

const ITEM_COLUMNS: &str = "c.id, c.title, c.body, c.document_id, c.doc_no, c.clause, \
     c.first_line, c.last_line, c.state, c.version, i.task_id, i.clause_ord, i.no, i.chapter, i.percent, \
     i.last_report_at, i.status, i.status_as_of, i.next_due, i.overdue_count";

/// Items matching the filter, in document and item order.
pub fn items(c: &mut dyn Conn, f: &ItemFilter) -> Result<Vec<ItemRow>> {
    let mut sql = format!(
        "SELECT {ITEM_COLUMNS} FROM cases c JOIN sup_items i ON i.case_id = c.id \
         WHERE c.procedure = 'supervision'"
    );
    let mut params: Vec<Value> = Vec::new();
    let mut bind = |sql: &mut String, clause: &str, v: Value| {
        params.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", params.len())));
    };
    if let Some(d) = f.document_id {
        bind(&mut sql, " AND c.document_id = ?", d.into());
    }
    if let Some(d) = &f.doc_no {
        bind(&mut sql, " AND c.doc_no = ?", d.into());
    }
    if let Some(u) = &f.unit_id {
        bind(
            &mut sql,
            " AND c.id IN (SELECT case_id FROM case_owners WHERE unit_id = ?)",
            u.into(),
        );
    }
    if let Some(l) = &f.leader {
        bind(
            &mut sql,
            " AND c.id IN (SELECT case_id FROM case_owners WHERE role = 'leader' AND name = ?)",
            l.into(),
        );
    }
    if let Some(s) = &f.status {
        bind(&mut sql, " AND i.status = ?", s.into());
    }
    if let Some(ch) = &f.chapter {
        bind(&mut sql, " AND i.chapter = ?", ch.into());
    }
    sql.push_str(" ORDER BY c.document_id, i.no, c.id");
    c.query_as(&sql, &params)
}

/// One item.
pub fn item(c: &mut dyn Conn, case_id: i64) -> Result<Option<ItemRow>> {
    c.query_opt_as(
        &format!(
            "SELECT {ITEM_COLUMNS} FROM cases c JOIN sup_items i ON i.case_id = c.id \
             WHERE c.id = $1 AND c.procedure = 'supervision'"
        ),
        &[case_id.into()],
    )
}

/// Record what supervision keeps about a new item.
pub fn insert_item(
    c: &mut dyn Conn,
    case_id: i64,
    task_id: Option<i64>,
    clause_ord: Option<i64>,
    no: i64,
    chapter: &str,
) -> Result<()> {
    c.execute(
        "INSERT INTO sup_items (case_id, task_id, clause_ord, no, chapter) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            case_id.into(),
            task_id.into(),
            clause_ord.into(),
            no.into(),
            chapter.into(),
        ],
    )?;
    Ok(())
}

/// Store an item's computed status.
pub fn set_status(
    c: &mut dyn Conn,
    case_id: i64,
    status: &str,
    as_of: &str,
    next_due: Option<&str>,
    overdue_count: i64,
) -> Result<()> {
    c.execute(
        "UPDATE sup_items SET status = $1, status_as_of = $2, next_due = $3, overdue_count = $4 \
         WHERE case_id = $5",
        &[
            status.into(),
            as_of.into(),
            next_due.into(),
            overdue_count.into(),
            case_id.into(),
        ],
    )?;
    Ok(())
}

/// Ids of items whose status was computed for another day than `as_of` (they need a fresh
/// look; a simulated date may also move backwards).
pub fn stale_items(c: &mut dyn Conn, as_of: &str, limit: i64) -> Result<Vec<i64>> {
    c.query(
        "SELECT case_id FROM sup_items WHERE status_as_of <> $1 ORDER BY case_id LIMIT $2",
        &[as_of.into(), limit.into()],
    )?
    .iter()
    .map(|r| r.i64("case_id"))
    .collect()
}

/// Store an item's progress after an accepted report.
pub fn set_progress(c: &mut dyn Conn, case_id: i64, percent: i64, at: &str) -> Result<()> {
    c.execute(
        "UPDATE sup_items SET percent = $1, last_report_at = $2 WHERE case_id = $3",
        &[percent.into(), at.into(), case_id.into()],
    )?;
    Ok(())
}

/// A milestone read from an item's words.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MilestoneRow {
    pub case_id: i64,
    pub ord: i64,
    /// `None` when the words could not be dated (`flagged`).
    pub due_date: Option<String>,
    /// The milestone as a short text (`6月底前轨道交通三期规划所有线路全部开工`).
    pub text: String,
    /// The deadline words themselves (`6月底前`).
    pub source: String,
    pub flagged: bool,
    /// How the date was read, or why it could not be.
    pub note: String,
}

pub fn insert_milestone(c: &mut dyn Conn, m: &MilestoneRow) -> Result<()> {
    c.execute(
        "INSERT INTO sup_milestones (case_id, ord, due_date, text, source, flagged, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            m.case_id.into(),
            m.ord.into(),
            m.due_date.clone().into(),
            m.text.as_str().into(),
            m.source.as_str().into(),
            m.flagged.into(),
            m.note.as_str().into(),
        ],
    )?;
    Ok(())
}

/// Milestones of many items, by item.
pub fn milestones_of(
    c: &mut dyn Conn,
    case_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<MilestoneRow>>> {
    by_item(
        c,
        "SELECT case_id, ord, due_date, text, source, flagged, note FROM sup_milestones \
         WHERE case_id IN ({ids}) ORDER BY case_id, ord",
        case_ids,
        |r: &MilestoneRow| r.case_id,
    )
}

/// A reporting duty a document sets (项目化推进计划, 月报, 台账).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyRow {
    pub id: i64,
    pub document_id: i64,
    /// Unique within the document (`plan`, `monthly`, `ledger`).
    pub key: String,
    /// `plan`, `monthly`, `ledger` or `other`.
    pub kind: String,
    pub label: String,
    /// Each due date with its time and what it covers: `[{"date":…,"time":…,"period":…}]`.
    #[serde(deserialize_with = "json", default)]
    pub dues: serde_json::Value,
    pub recipient: String,
    /// The sentence the duty was read from.
    pub source: String,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

/// Store a duty unless the document already has one with its key.
pub fn insert_duty(c: &mut dyn Conn, d: &DutyRow) -> Result<bool> {
    if c.query_opt(
        "SELECT id FROM sup_duties WHERE document_id = $1 AND key = $2",
        &[d.document_id.into(), d.key.as_str().into()],
    )?
    .is_some()
    {
        return Ok(false);
    }
    c.execute(
        "INSERT INTO sup_duties (document_id, key, kind, label, dues, recipient, source, clause, \
         first_line, last_line) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            d.document_id.into(),
            d.key.as_str().into(),
            d.kind.as_str().into(),
            d.label.as_str().into(),
            d.dues.to_string().into(),
            d.recipient.as_str().into(),
            d.source.as_str().into(),
            d.clause.as_str().into(),
            d.first_line.into(),
            d.last_line.into(),
        ],
    )?;
    Ok(true)
}

/// The duties of a document.
pub fn duties(c: &mut dyn Conn, document_id: i64) -> Result<Vec<DutyRow>> {
    c.query_as(
        "SELECT id, document_id, key, kind, label, dues, recipient, source, clause, first_line, \
         last_line FROM sup_duties WHERE document_id = $1 ORDER BY id",
        &[document_id.into()],
    )
}

/// A report filed for an item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportRow {
    pub id: i64,
    pub case_id: i64,
    /// `plan`, `monthly`, `ledger` or `contribution`.
    pub kind: String,
    /// What it covers: `2020-05` for a monthly report, `2020-07` for a ledger, `plan`.
    pub period: String,
    pub unit_id: Option<String>,
    pub author: String,
    /// `submitted`, `accepted`, `returned` (kept as history when revised) or `received`
    /// (a co-unit's contribution).
    pub status: String,
    /// 1 for the first filing, then one more for each revision after a return.
    pub round: i64,
    pub progress: String,
    pub percent: Option<i64>,
    pub problems: String,
    pub next_steps: String,
    #[serde(deserialize_with = "json", default)]
    pub plan: serde_json::Value,
    pub submitted_at: String,
    pub event_id: Option<i64>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub review_note: Option<String>,
}

const REPORT_COLUMNS: &str = "id, case_id, kind, period, unit_id, author, status, round, \
     progress, percent, problems, next_steps, plan, submitted_at, event_id, reviewed_by, \
     reviewed_at, review_note";

/// File a report; returns its id.
pub fn insert_report(c: &mut dyn Conn, r: &ReportRow) -> Result<i64> {
    c.insert(
        "INSERT INTO sup_reports (case_id, kind, period, unit_id, author, status, round, \
         progress, percent, problems, next_steps, plan, submitted_at, event_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        &[
            r.case_id.into(),
            r.kind.as_str().into(),
            r.period.as_str().into(),
            r.unit_id.clone().into(),
            r.author.as_str().into(),
            r.status.as_str().into(),
            r.round.into(),
            r.progress.as_str().into(),
            r.percent.into(),
            r.problems.as_str().into(),
            r.next_steps.as_str().into(),
            r.plan.to_string().into(),
            r.submitted_at.as_str().into(),
            r.event_id.into(),
        ],
    )
}

/// Point a report at the history row that filed it.
pub fn set_report_event(c: &mut dyn Conn, id: i64, event_id: i64) -> Result<()> {
    c.execute(
        "UPDATE sup_reports SET event_id = $1 WHERE id = $2",
        &[event_id.into(), id.into()],
    )?;
    Ok(())
}

/// A report by id.
pub fn report(c: &mut dyn Conn, id: i64) -> Result<Option<ReportRow>> {
    c.query_opt_as(
        &format!("SELECT {REPORT_COLUMNS} FROM sup_reports WHERE id = $1"),
        &[id.into()],
    )
}

/// The reports of an item, oldest first.
pub fn reports(c: &mut dyn Conn, case_id: i64) -> Result<Vec<ReportRow>> {
    c.query_as(
        &format!("SELECT {REPORT_COLUMNS} FROM sup_reports WHERE case_id = $1 ORDER BY id"),
        &[case_id.into()],
    )
}

/// The latest report of each kind and period of many items (for the ledger).
pub fn latest_reports_of(
    c: &mut dyn Conn,
    case_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<ReportRow>>> {
    by_item(
        c,
        &format!(
            "SELECT {REPORT_COLUMNS} FROM sup_reports WHERE id IN (SELECT MAX(id) FROM \
             sup_reports WHERE case_id IN ({{ids}}) \
             GROUP BY case_id, kind, period) ORDER BY case_id, id"
        ),
        case_ids,
        |r: &ReportRow| r.case_id,
    )
}

/// Reports awaiting the office's review, oldest first.
pub fn pending_reports(c: &mut dyn Conn, limit: i64) -> Result<Vec<ReportRow>> {
    c.query_as(
        &format!(
            "SELECT {REPORT_COLUMNS} FROM sup_reports WHERE status = 'submitted' \
             ORDER BY id LIMIT $1"
        ),
        &[limit.into()],
    )
}

/// Record the office's review of a report (only a report still awaiting review changes).
pub fn review_report(
    c: &mut dyn Conn,
    id: i64,
    status: &str,
    by: &str,
    at: &str,
    note: Option<&str>,
) -> Result<bool> {
    let n = c.execute(
        "UPDATE sup_reports SET status = $1, reviewed_by = $2, reviewed_at = $3, \
         review_note = $4 WHERE id = $5 AND status = 'submitted'",
        &[status.into(), by.into(), at.into(), note.into(), id.into()],
    )?;
    Ok(n == 1)
}

/// Monthly on-time reporting: for each period, how many monthly reports were filed on time,
/// late, and how many clocks are still open (`(period, on_time, late, missing)`).
pub fn monthly_punctuality(
    c: &mut dyn Conn,
    unit_id: Option<&str>,
) -> Result<Vec<(String, i64, i64, i64)>> {
    let rows = c.query(
        "SELECT k.key, \
           SUM(CASE WHEN k.satisfied_at IS NOT NULL AND substr(k.satisfied_at, 1, 10) <= k.due_date THEN 1 ELSE 0 END) AS on_time, \
           SUM(CASE WHEN k.satisfied_at IS NOT NULL AND substr(k.satisfied_at, 1, 10) > k.due_date THEN 1 ELSE 0 END) AS late, \
           SUM(CASE WHEN k.satisfied_at IS NULL THEN 1 ELSE 0 END) AS missing \
         FROM clocks k JOIN cases c ON c.id = k.case_id \
         WHERE c.procedure = 'supervision' AND k.key LIKE 'monthly:%' \
           AND ($1 IS NULL OR k.case_id IN (SELECT case_id FROM case_owners WHERE unit_id = $1 AND role = 'lead')) \
         GROUP BY k.key ORDER BY k.key",
        &[unit_id.into()],
    )?;
    rows.iter()
        .map(|r| {
            Ok((
                r.text("key")?.trim_start_matches("monthly:").to_string(),
                r.i64("on_time")?,
                r.i64("late")?,
                r.i64("missing")?,
            ))
        })
        .collect()
}
