//! Gazette content in the database: issues, documents, clauses, tasks and their owners,
//! indicators, targets, rosters, commendations and what the reader left unresolved.

use crate::search;
use crate::sql::{Conn, Dialect, Value};
use crate::{
    ClauseRow, Counts, DocumentRow, IndicatorRow, IssueRow, ListKind, ListRow, OwnerRow, Result,
    TargetRow, TaskRow, UnresolvedRow,
};

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Serialize concurrent imports: the second waits for the first and then sees its documents.
pub fn lock_for_import(c: &mut dyn Conn) -> Result<()> {
    if c.dialect() == Dialect::Postgres {
        c.execute("LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE", &[])?;
    }
    // SQLite: the backend opens write transactions with BEGIN IMMEDIATE, which already
    // serializes writers.
    Ok(())
}

/// A new issue to insert.
pub struct NewIssue<'a> {
    pub source_name: &'a str,
    pub sha256: &'a str,
    pub line_count: i64,
    pub text: &'a str,
    pub imported_at: &'a str,
    pub imported_by: &'a str,
}

/// The issue with this content hash, if already imported.
pub fn issue_by_hash(c: &mut dyn Conn, sha256: &str) -> Result<Option<i64>> {
    c.query_opt("SELECT id FROM issues WHERE sha256 = $1", &[sha256.into()])?
        .map(|r| r.i64("id"))
        .transpose()
}

pub fn insert_issue(c: &mut dyn Conn, i: &NewIssue) -> Result<i64> {
    c.insert(
        "INSERT INTO issues (source_name, sha256, line_count, text, imported_at, imported_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[
            i.source_name.into(),
            i.sha256.into(),
            i.line_count.into(),
            i.text.into(),
            i.imported_at.into(),
            i.imported_by.into(),
        ],
    )
}

pub fn list_issues(c: &mut dyn Conn) -> Result<Vec<IssueRow>> {
    c.query_as(
        "SELECT i.id, i.source_name, i.sha256, i.line_count, i.imported_at, i.imported_by, \
         (SELECT COUNT(*) FROM documents d WHERE d.issue_id = i.id) AS document_count \
         FROM issues i ORDER BY i.id",
        &[],
    )
}

/// The source text of an issue, for showing a document's lines.
pub fn issue_text(c: &mut dyn Conn, issue_id: i64) -> Result<Option<String>> {
    c.query_opt("SELECT text FROM issues WHERE id = $1", &[issue_id.into()])?
        .map(|r| r.text("text"))
        .transpose()
}

pub fn document_id_by_no(c: &mut dyn Conn, doc_no: &str) -> Result<Option<i64>> {
    c.query_opt(
        "SELECT id FROM documents WHERE doc_no = $1",
        &[doc_no.into()],
    )?
    .map(|r| r.i64("id"))
    .transpose()
}

/// Insert a document header and its text; `row.id` is ignored.
pub fn insert_document(c: &mut dyn Conn, d: &DocumentRow, text: &str) -> Result<i64> {
    c.insert(
        "INSERT INTO documents (issue_id, doc_no, issuer, date, title, kind, recipients, \
         attachments, first_line, last_line, text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        &[
            d.issue_id.into(),
            d.doc_no.as_str().into(),
            d.issuer.as_str().into(),
            d.date.clone().into(),
            d.title.as_str().into(),
            d.kind.as_str().into(),
            json(&d.recipients).into(),
            json(&d.attachments).into(),
            d.first_line.into(),
            d.last_line.into(),
            text.into(),
        ],
    )
}

const DOCUMENT_COLUMNS: &str = "id, issue_id, doc_no, issuer, date, title, kind, recipients, \
                                attachments, first_line, last_line";

pub fn list_documents(c: &mut dyn Conn, issue_id: Option<i64>) -> Result<Vec<DocumentRow>> {
    match issue_id {
        Some(i) => c.query_as(
            &format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE issue_id = $1 ORDER BY first_line"
            ),
            &[i.into()],
        ),
        None => c.query_as(
            &format!("SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY issue_id, first_line"),
            &[],
        ),
    }
}

pub fn get_document(c: &mut dyn Conn, id: i64) -> Result<Option<DocumentRow>> {
    c.query_opt_as(
        &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1"),
        &[id.into()],
    )
}

pub fn document_text(c: &mut dyn Conn, id: i64) -> Result<Option<String>> {
    c.query_opt("SELECT text FROM documents WHERE id = $1", &[id.into()])?
        .map(|r| r.text("text"))
        .transpose()
}

/// Insert a clause and index its text for full-text search.
pub fn insert_clause(c: &mut dyn Conn, k: &ClauseRow) -> Result<i64> {
    let id = c.insert(
        "INSERT INTO clauses (document_id, ord, parent_ord, marker, path, heading, text, \
         first_line, last_line) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            k.document_id.into(),
            k.ord.into(),
            k.parent_ord.into(),
            k.marker.as_str().into(),
            k.path.as_str().into(),
            k.heading.as_str().into(),
            k.text.as_str().into(),
            k.first_line.into(),
            k.last_line.into(),
        ],
    )?;
    search::index_clause(c, id, &format!("{} {}", k.heading, k.text))?;
    Ok(id)
}

pub fn list_clauses(c: &mut dyn Conn, document_id: i64) -> Result<Vec<ClauseRow>> {
    c.query_as(
        "SELECT id, document_id, ord, parent_ord, marker, path, heading, text, first_line, \
         last_line FROM clauses WHERE document_id = $1 ORDER BY ord",
        &[document_id.into()],
    )
}

/// Insert a task or action with its owners; `row.id`, `row.doc_no` are ignored.
pub fn insert_task(c: &mut dyn Conn, t: &TaskRow) -> Result<i64> {
    let id = c.insert(
        "INSERT INTO tasks (document_id, kind, no, name, clause, text, deadlines, first_line, \
         last_line) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            t.document_id.into(),
            t.kind.as_str().into(),
            t.no.into(),
            t.name.as_str().into(),
            t.clause.as_str().into(),
            t.text.as_str().into(),
            json(&t.deadlines).into(),
            t.first_line.into(),
            t.last_line.into(),
        ],
    )?;
    for o in &t.owners {
        c.execute(
            "INSERT INTO task_owners (task_id, role, name, unit_id, group_id, via_group, open, \
             resolved) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                id.into(),
                o.role.as_str().into(),
                o.name.as_str().into(),
                o.unit_id.clone().into(),
                o.group_id.clone().into(),
                o.via_group.clone().into(),
                o.open.into(),
                o.resolved.into(),
            ],
        )?;
    }
    Ok(id)
}

const TASK_COLUMNS: &str = "t.id, t.document_id, d.doc_no, t.kind, t.no, t.name, t.clause, \
                            t.text, t.deadlines, t.first_line, t.last_line";

/// Tasks selected with [`TASK_COLUMNS`], each with its owners.
fn tasks_with_owners(c: &mut dyn Conn, sql: &str, params: &[Value]) -> Result<Vec<TaskRow>> {
    let mut out: Vec<TaskRow> = c.query_as(sql, params)?;
    // One query for the owners of every task on the page, in chunks that stay well under
    // both engines' limits on bound parameters.
    let index: std::collections::HashMap<i64, usize> =
        out.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    for chunk in out.iter().map(|t| t.id).collect::<Vec<_>>().chunks(500) {
        let placeholders = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let params: Vec<Value> = chunk.iter().map(|id| Value::from(*id)).collect();
        for o in c.query(
            &format!(
                "SELECT task_id, role, name, unit_id, group_id, via_group, open, resolved \
                 FROM task_owners WHERE task_id IN ({placeholders}) ORDER BY id"
            ),
            &params,
        )? {
            if let Some(&i) = index.get(&o.i64("task_id")?) {
                out[i].owners.push(o.decode::<OwnerRow>()?);
            }
        }
    }
    Ok(out)
}

pub fn list_tasks(c: &mut dyn Conn, document_id: i64) -> Result<Vec<TaskRow>> {
    tasks_with_owners(
        c,
        &format!(
            "SELECT {TASK_COLUMNS} FROM tasks t JOIN documents d ON d.id = t.document_id \
             WHERE t.document_id = $1 ORDER BY t.kind DESC, t.no, t.id"
        ),
        &[document_id.into()],
    )
}

pub fn get_task(c: &mut dyn Conn, id: i64) -> Result<Option<TaskRow>> {
    tasks_with_owners(
        c,
        &format!(
            "SELECT {TASK_COLUMNS} FROM tasks t JOIN documents d ON d.id = t.document_id \
             WHERE t.id = $1"
        ),
        &[id.into()],
    )
    .map(|tasks| tasks.into_iter().next())
}

/// Tasks in which a unit is an owner, directly or through a group.
pub fn tasks_for_unit(c: &mut dyn Conn, unit_id: &str) -> Result<Vec<TaskRow>> {
    tasks_with_owners(
        c,
        &format!(
            "SELECT {TASK_COLUMNS} FROM tasks t JOIN documents d ON d.id = t.document_id \
             WHERE t.id IN (SELECT task_id FROM task_owners WHERE unit_id = $1) \
             ORDER BY d.first_line, t.no, t.id"
        ),
        &[unit_id.into()],
    )
}

/// Tasks whose 责任领导 is this person.
pub fn tasks_for_leader(c: &mut dyn Conn, leader: &str) -> Result<Vec<TaskRow>> {
    tasks_with_owners(
        c,
        &format!(
            "SELECT {TASK_COLUMNS} FROM tasks t JOIN documents d ON d.id = t.document_id \
             WHERE t.id IN (SELECT task_id FROM task_owners WHERE role = $2 AND name = $1) \
             ORDER BY d.first_line, t.no, t.id"
        ),
        &[leader.into(), crate::OwnerRole::Leader.as_str().into()],
    )
}

/// Whether a unit is an owner of a task (directly or through a group).
pub fn task_has_unit(c: &mut dyn Conn, task_id: i64, unit_id: &str) -> Result<bool> {
    Ok(c.query_opt(
        "SELECT 1 FROM task_owners WHERE task_id = $1 AND unit_id = $2",
        &[task_id.into(), unit_id.into()],
    )?
    .is_some())
}

pub fn insert_indicator(c: &mut dyn Conn, i: &IndicatorRow) -> Result<i64> {
    c.insert(
        "INSERT INTO indicators (document_id, no, name, unit, basis, baseline_value, \
         baseline_year, baseline_text, targets, clause, first_line, last_line) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        &[
            i.document_id.into(),
            i.no.into(),
            i.name.as_str().into(),
            i.unit.clone().into(),
            i.basis.clone().into(),
            i.baseline_value.into(),
            i.baseline_year.into(),
            i.baseline_text.clone().into(),
            json(&i.targets).into(),
            i.clause.as_str().into(),
            i.first_line.into(),
            i.last_line.into(),
        ],
    )
}

pub fn list_indicators(c: &mut dyn Conn, document_id: i64) -> Result<Vec<IndicatorRow>> {
    c.query_as(
        "SELECT id, document_id, no, name, unit, basis, baseline_value, baseline_year, \
         baseline_text, targets, clause, first_line, last_line FROM indicators \
         WHERE document_id = $1 ORDER BY no, id",
        &[document_id.into()],
    )
}

pub fn insert_target(c: &mut dyn Conn, t: &TargetRow) -> Result<i64> {
    c.insert(
        "INSERT INTO targets (document_id, metric, year, op, value, unit, comparator, clause, \
         first_line, last_line) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            t.document_id.into(),
            t.metric.as_str().into(),
            t.year.into(),
            t.op.as_str().into(),
            t.value.into(),
            t.unit.clone().into(),
            t.comparator.as_str().into(),
            t.clause.as_str().into(),
            t.first_line.into(),
            t.last_line.into(),
        ],
    )
}

pub fn list_targets(c: &mut dyn Conn, document_id: i64) -> Result<Vec<TargetRow>> {
    c.query_as(
        "SELECT id, document_id, metric, year, op, value, unit, comparator, clause, first_line, \
         last_line FROM targets WHERE document_id = $1 ORDER BY first_line, year, id",
        &[document_id.into()],
    )
}

/// Insert a roster or a commendation category (of units or of people).
pub fn insert_list(c: &mut dyn Conn, l: &ListRow) -> Result<i64> {
    if l.kind == ListKind::Roster {
        c.insert(
            "INSERT INTO rosters (document_id, body, members, clause, first_line, last_line) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                l.document_id.into(),
                l.title.as_str().into(),
                json(&l.entries).into(),
                l.clause.as_str().into(),
                l.first_line.into(),
                l.last_line.into(),
            ],
        )
    } else {
        c.insert(
            "INSERT INTO commendations (document_id, category, kind, stated_count, entries, \
             clause, first_line, last_line) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                l.document_id.into(),
                l.title.as_str().into(),
                l.kind.as_str().into(),
                l.stated_count.into(),
                json(&l.entries).into(),
                l.clause.as_str().into(),
                l.first_line.into(),
                l.last_line.into(),
            ],
        )
    }
}

/// Rosters and commendation categories of a document, in reading order.
pub fn list_lists(c: &mut dyn Conn, document_id: i64) -> Result<Vec<ListRow>> {
    // The first SELECT of a UNION names the columns.
    c.query_as(
        "SELECT id, document_id, body AS title, 'roster' AS kind, \
         CAST(NULL AS BIGINT) AS stated_count, members AS entries, clause, first_line, last_line \
         FROM rosters WHERE document_id = $1 \
         UNION ALL SELECT id, document_id, category, kind, stated_count, entries, clause, \
         first_line, last_line FROM commendations WHERE document_id = $1 \
         ORDER BY first_line, id",
        &[document_id.into()],
    )
}

pub fn insert_unresolved(c: &mut dyn Conn, u: &UnresolvedRow) -> Result<i64> {
    c.insert(
        "INSERT INTO unresolved (document_id, kind, text, clause, first_line, last_line) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[
            u.document_id.into(),
            u.kind.as_str().into(),
            u.text.as_str().into(),
            u.clause.as_str().into(),
            u.first_line.into(),
            u.last_line.into(),
        ],
    )
}

pub fn list_unresolved(c: &mut dyn Conn, document_id: Option<i64>) -> Result<Vec<UnresolvedRow>> {
    let (sql, params): (&str, Vec<Value>) = match document_id {
        Some(d) => (
            "SELECT id, document_id, kind, text, clause, first_line, last_line FROM unresolved \
             WHERE document_id = $1 ORDER BY first_line, id",
            vec![d.into()],
        ),
        None => (
            "SELECT id, document_id, kind, text, clause, first_line, last_line FROM unresolved \
             ORDER BY document_id, first_line, id",
            vec![],
        ),
    };
    c.query_as(sql, &params)
}

/// Distinct 责任领导 names with their task counts.
pub fn leaders(c: &mut dyn Conn) -> Result<Vec<(String, i64)>> {
    c.query(
        "SELECT name, COUNT(DISTINCT task_id) AS n FROM task_owners WHERE role = $1 \
         GROUP BY name ORDER BY n DESC, name",
        &[crate::OwnerRole::Leader.as_str().into()],
    )?
    .iter()
    .map(|r| Ok((r.text("name")?, r.i64("n")?)))
    .collect()
}

/// Task counts per unit (directly or through a group).
pub fn unit_task_counts(c: &mut dyn Conn) -> Result<Vec<(String, i64)>> {
    c.query(
        "SELECT unit_id, COUNT(DISTINCT task_id) AS n FROM task_owners \
         WHERE unit_id IS NOT NULL GROUP BY unit_id",
        &[],
    )?
    .iter()
    .map(|r| Ok((r.text("unit_id")?, r.i64("n")?)))
    .collect()
}

pub fn counts(c: &mut dyn Conn) -> Result<Counts> {
    let mut n = |table: &str| -> Result<i64> {
        c.count(&format!("SELECT COUNT(*) AS n FROM {table}"), &[])
    };
    Ok(Counts {
        issues: n("issues")?,
        documents: n("documents")?,
        clauses: n("clauses")?,
        tasks: n("tasks")?,
        units: n("units")?,
        indicators: n("indicators")?,
        targets: n("targets")?,
        rosters: n("rosters")?,
        commendations: n("commendations")?,
        unresolved: n("unresolved")?,
        users: n("users")?,
        audit_entries: n("audit_log")?,
    })
}
