//! Cases in the database (事项存储): cases, owners, history, attachments and clocks, shared by
//! every procedure. The rules for changing them live in `luoshi-app`'s case engine; this
//! module only keeps and returns.

use crate::decode::json;
use crate::sql::Conn;
use crate::Result;
use serde::{Deserialize, Serialize};

/// A case (事项) as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRow {
    pub id: i64,
    /// Which procedure (`supervision`, `proposal`, …) runs it.
    pub procedure: String,
    /// What it was made from (`task:12`, `clause:34:5`), unique within its procedure.
    pub ref_key: String,
    pub title: String,
    pub body: String,
    pub document_id: Option<i64>,
    pub doc_no: Option<String>,
    pub clause: Option<String>,
    pub first_line: Option<i64>,
    pub last_line: Option<i64>,
    pub state: String,
    /// Bumped by every action; an action naming an older version is refused.
    pub version: i64,
    #[serde(deserialize_with = "json", default)]
    pub data: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
}

/// An owner of a case.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseOwnerRow {
    pub role: crate::OwnerRole,
    pub name: String,
    pub unit_id: Option<String>,
    pub group_id: Option<String>,
    pub via_group: Option<String>,
    pub user_id: Option<i64>,
    pub open: bool,
    pub resolved: bool,
}

/// One action in a case's history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseEventRow {
    pub id: i64,
    pub case_id: i64,
    pub at: String,
    pub actor: String,
    pub actor_unit: Option<String>,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub note: Option<String>,
    #[serde(deserialize_with = "json", default)]
    pub data: serde_json::Value,
    pub version: i64,
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
}

/// An attachment as listed in a case's history (the content is fetched by hash).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentRef {
    pub sha256: String,
    pub filename: String,
    pub size: i64,
    pub mime: String,
}

/// A clock (时限): a due date that explains itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockRow {
    pub id: i64,
    pub case_id: i64,
    /// Unique within the case (`plan`, `monthly:2020-05`, `milestone:1`).
    pub key: String,
    /// `duty`, `milestone`, `reply`, …
    pub kind: String,
    pub label: String,
    pub due_date: String,
    pub due_time: Option<String>,
    /// How the date was computed (the deadline's explanation as JSON).
    #[serde(deserialize_with = "json", default)]
    pub explanation: serde_json::Value,
    /// The words the clock came from.
    pub source: String,
    pub cites: String,
    pub satisfied_at: Option<String>,
    pub satisfied_by: Option<String>,
    pub stopped_at: Option<String>,
    /// The last reminder queued (`overdue:2020-06-08`).
    #[serde(default)]
    pub reminded: Option<String>,
}

/// A new case to insert.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    pub procedure: &'a str,
    pub ref_key: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub document_id: Option<i64>,
    pub doc_no: Option<&'a str>,
    pub clause: Option<&'a str>,
    pub lines: Option<(i64, i64)>,
    pub state: &'a str,
    pub data: &'a serde_json::Value,
    pub at: &'a str,
}

const CASE_COLUMNS: &str = "id, procedure, ref_key, title, body, document_id, doc_no, clause, \
     first_line, last_line, state, version, data, created_at, updated_at";

/// Insert a case unless one with the same procedure and ref_key exists; returns the new id,
/// or `None` when it already existed (so re-importing changes nothing).
pub fn insert_case(c: &mut dyn Conn, n: &NewCase) -> Result<Option<i64>> {
    if c.query_opt(
        "SELECT id FROM cases WHERE procedure = $1 AND ref_key = $2",
        &[n.procedure.into(), n.ref_key.into()],
    )?
    .is_some()
    {
        return Ok(None);
    }
    let id = c.insert(
        "INSERT INTO cases (procedure, ref_key, title, body, document_id, doc_no, clause, \
         first_line, last_line, state, version, data, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) RETURNING id",
        &[
            n.procedure.into(),
            n.ref_key.into(),
            n.title.into(),
            n.body.into(),
            n.document_id.into(),
            n.doc_no.into(),
            n.clause.into(),
            n.lines.map(|l| l.0).into(),
            n.lines.map(|l| l.1).into(),
            n.state.into(),
            n.data.to_string().into(),
            n.at.into(),
        ],
    )?;
    Ok(Some(id))
}

/// Many cases at once, by id.
pub fn cases_by_id(
    c: &mut dyn Conn,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, CaseRow>> {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let rows: Vec<CaseRow> = of_items(
        c,
        &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id IN ({{ids}})"),
        &unique,
    )?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

/// A case by id.
pub fn get_case(c: &mut dyn Conn, id: i64) -> Result<Option<CaseRow>> {
    c.query_opt_as(
        &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"),
        &[id.into()],
    )
}

/// Move a case to `state` and bump its version, but only if it is still at `version`.
/// Returns false when another action got there first (nothing is changed then).
pub fn advance(
    c: &mut dyn Conn,
    id: i64,
    version: i64,
    state: &str,
    data: &serde_json::Value,
    at: &str,
) -> Result<bool> {
    let n = c.execute(
        "UPDATE cases SET state = $1, version = version + 1, data = $2, updated_at = $3 \
         WHERE id = $4 AND version = $5",
        &[
            state.into(),
            data.to_string().into(),
            at.into(),
            id.into(),
            version.into(),
        ],
    )?;
    Ok(n == 1)
}

/// Replace every owner of a case.
pub fn set_owners(c: &mut dyn Conn, case_id: i64, owners: &[CaseOwnerRow]) -> Result<()> {
    c.execute(
        "DELETE FROM case_owners WHERE case_id = $1",
        &[case_id.into()],
    )?;
    for o in owners {
        c.execute(
            "INSERT INTO case_owners (case_id, role, name, unit_id, group_id, via_group, \
             user_id, open, resolved) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                case_id.into(),
                o.role.as_str().into(),
                o.name.as_str().into(),
                o.unit_id.clone().into(),
                o.group_id.clone().into(),
                o.via_group.clone().into(),
                o.user_id.into(),
                o.open.into(),
                o.resolved.into(),
            ],
        )?;
    }
    Ok(())
}

/// The owners of a case, in the order they were written.
pub fn owners(c: &mut dyn Conn, case_id: i64) -> Result<Vec<CaseOwnerRow>> {
    c.query_as(
        "SELECT role, name, unit_id, group_id, via_group, user_id, open, resolved \
         FROM case_owners WHERE case_id = $1 ORDER BY id",
        &[case_id.into()],
    )
}

/// The owners of many cases at once, by case id.
pub fn owners_of(
    c: &mut dyn Conn,
    case_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<CaseOwnerRow>>> {
    let mut map: std::collections::HashMap<i64, Vec<CaseOwnerRow>> =
        std::collections::HashMap::new();
    for chunk in case_ids.chunks(500) {
        let list = id_list(chunk);
        for r in c.query(
            &format!(
                "SELECT case_id, role, name, unit_id, group_id, via_group, user_id, open, \
                 resolved FROM case_owners WHERE case_id IN ({list}) ORDER BY id"
            ),
            &[],
        )? {
            // The same row read twice by name: the case it belongs to, and the owner.
            map.entry(r.i64("case_id")?)
                .or_default()
                .push(r.decode::<CaseOwnerRow>()?);
        }
    }
    Ok(map)
}

/// A comma-separated list of ids for an `IN (…)` clause (ids are integers, never text).
pub fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Rows of many items, read 500 ids at a time: `{ids}` in `sql` stands for the id list.
pub(crate) fn of_items<T: serde::de::DeserializeOwned>(
    c: &mut dyn Conn,
    sql: &str,
    ids: &[i64],
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(c.query_as::<T>(&sql.replace("{ids}", &id_list(chunk)), &[])?);
    }
    Ok(out)
}

/// [`of_items`] grouped by item, each item's rows in the order the statement gives.
pub(crate) fn by_item<T: serde::de::DeserializeOwned>(
    c: &mut dyn Conn,
    sql: &str,
    ids: &[i64],
    item_of: fn(&T) -> i64,
) -> Result<std::collections::HashMap<i64, Vec<T>>> {
    let mut map: std::collections::HashMap<i64, Vec<T>> = Default::default();
    for r in of_items::<T>(c, sql, ids)? {
        map.entry(item_of(&r)).or_default().push(r);
    }
    Ok(map)
}

/// A new history row.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub case_id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub actor_unit: Option<&'a str>,
    pub action: &'a str,
    pub from_state: &'a str,
    pub to_state: &'a str,
    pub note: Option<&'a str>,
    pub data: &'a serde_json::Value,
    pub version: i64,
}

/// Append a history row; returns its id.
pub fn insert_event(c: &mut dyn Conn, e: &NewEvent) -> Result<i64> {
    c.insert(
        "INSERT INTO case_events (case_id, at, actor, actor_unit, action, from_state, to_state, \
         note, data, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            e.case_id.into(),
            e.at.into(),
            e.actor.into(),
            e.actor_unit.into(),
            e.action.into(),
            e.from_state.into(),
            e.to_state.into(),
            e.note.into(),
            e.data.to_string().into(),
            e.version.into(),
        ],
    )
}

/// A case's history, oldest first, each event with its attachments.
pub fn events(c: &mut dyn Conn, case_id: i64) -> Result<Vec<CaseEventRow>> {
    let mut events: Vec<CaseEventRow> = c.query_as(
        "SELECT id, case_id, at, actor, actor_unit, action, from_state, to_state, note, data, \
         version FROM case_events WHERE case_id = $1 ORDER BY id",
        &[case_id.into()],
    )?;
    #[derive(Deserialize)]
    struct Linked {
        event_id: i64,
        sha256: String,
        filename: String,
        size: i64,
        mime: String,
    }
    let linked: Vec<Linked> = c.query_as(
        "SELECT ea.event_id, ea.sha256, ea.filename, a.size, a.mime FROM event_attachments ea \
         JOIN attachments a ON a.sha256 = ea.sha256 JOIN case_events e ON e.id = ea.event_id \
         WHERE e.case_id = $1 ORDER BY ea.event_id, ea.filename",
        &[case_id.into()],
    )?;
    for l in linked {
        if let Some(e) = events.iter_mut().find(|e| e.id == l.event_id) {
            e.attachments.push(AttachmentRef {
                sha256: l.sha256,
                filename: l.filename,
                size: l.size,
                mime: l.mime,
            });
        }
    }
    Ok(events)
}

/// Store content by its hash (a second copy of the same bytes is not stored again).
pub fn put_attachment(
    c: &mut dyn Conn,
    sha256: &str,
    mime: &str,
    content: &[u8],
    at: &str,
) -> Result<()> {
    if c.query_opt(
        "SELECT 1 AS one FROM attachments WHERE sha256 = $1",
        &[sha256.into()],
    )?
    .is_some()
    {
        return Ok(());
    }
    c.execute(
        "INSERT INTO attachments (sha256, size, mime, content, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            sha256.into(),
            (content.len() as i64).into(),
            mime.into(),
            content.into(),
            at.into(),
        ],
    )?;
    Ok(())
}

/// List an attachment under a history row.
pub fn link_attachment(
    c: &mut dyn Conn,
    event_id: i64,
    sha256: &str,
    filename: &str,
) -> Result<()> {
    c.execute(
        "INSERT INTO event_attachments (event_id, sha256, filename) VALUES ($1, $2, $3)",
        &[event_id.into(), sha256.into(), filename.into()],
    )?;
    Ok(())
}

/// An attachment's content, and the cases whose history lists it (for access checks).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAttachment {
    pub meta: AttachmentRef,
    pub content: Vec<u8>,
    pub cases: Vec<i64>,
}

/// An attachment by its hash.
pub fn attachment(c: &mut dyn Conn, sha256: &str) -> Result<Option<StoredAttachment>> {
    let Some(r) = c.query_opt(
        "SELECT size, mime, content FROM attachments WHERE sha256 = $1",
        &[sha256.into()],
    )?
    else {
        return Ok(None);
    };
    let content = r.bytes("content")?;
    let filename = c
        .query_opt(
            "SELECT filename FROM event_attachments WHERE sha256 = $1 ORDER BY event_id LIMIT 1",
            &[sha256.into()],
        )?
        .map(|r| r.text("filename"))
        .transpose()?
        .unwrap_or_default();
    let cases = c
        .query(
            "SELECT DISTINCT e.case_id FROM event_attachments ea JOIN case_events e \
             ON e.id = ea.event_id WHERE ea.sha256 = $1",
            &[sha256.into()],
        )?
        .iter()
        .map(|r| r.i64("case_id"))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(StoredAttachment {
        meta: AttachmentRef {
            sha256: sha256.to_string(),
            filename,
            size: r.i64("size")?,
            mime: r.text("mime")?,
        },
        content,
        cases,
    }))
}

/// A new clock.
#[derive(Debug, Clone)]
pub struct NewClock<'a> {
    pub case_id: i64,
    pub key: &'a str,
    pub kind: &'a str,
    pub label: &'a str,
    pub due_date: &'a str,
    pub due_time: Option<&'a str>,
    pub explanation: &'a serde_json::Value,
    pub source: &'a str,
    pub cites: &'a str,
}

/// Start a clock unless the case already has one with this key.
pub fn insert_clock(c: &mut dyn Conn, k: &NewClock) -> Result<bool> {
    if c.query_opt(
        "SELECT id FROM clocks WHERE case_id = $1 AND key = $2",
        &[k.case_id.into(), k.key.into()],
    )?
    .is_some()
    {
        return Ok(false);
    }
    c.execute(
        "INSERT INTO clocks (case_id, key, kind, label, due_date, due_time, explanation, source, \
         cites) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            k.case_id.into(),
            k.key.into(),
            k.kind.into(),
            k.label.into(),
            k.due_date.into(),
            k.due_time.into(),
            k.explanation.to_string().into(),
            k.source.into(),
            k.cites.into(),
        ],
    )?;
    Ok(true)
}

const CLOCK_COLUMNS: &str = "id, case_id, key, kind, label, due_date, due_time, explanation, \
     source, cites, satisfied_at, satisfied_by, stopped_at, reminded";

/// The clocks of a case, by due date.
pub fn clocks(c: &mut dyn Conn, case_id: i64) -> Result<Vec<ClockRow>> {
    c.query_as(
        &format!(
            "SELECT {CLOCK_COLUMNS} FROM clocks WHERE case_id = $1 ORDER BY due_date, due_time, id"
        ),
        &[case_id.into()],
    )
}

/// The clocks of many cases, by case id.
pub fn clocks_of(
    c: &mut dyn Conn,
    case_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<ClockRow>>> {
    by_item(
        c,
        &format!(
            "SELECT {CLOCK_COLUMNS} FROM clocks WHERE case_id IN ({{ids}}) \
             ORDER BY due_date, due_time, id"
        ),
        case_ids,
        |r: &ClockRow| r.case_id,
    )
}

/// One page of the open clocks (neither satisfied nor stopped) due on or before `until` whose
/// overdue reminder has not been queued yet, in (due date, id) order: at most `limit` clocks
/// after the position `after` (the due date and id of the previous page's last clock; start
/// from `("", i64::MIN)`). Keyset pagination: each page is found through the index on
/// `due_date`, however far the scan has gone, and clocks updated behind the position (marked
/// reminded) are never read twice.
pub fn open_clocks_due_by(
    c: &mut dyn Conn,
    until: &str,
    after: (&str, i64),
    limit: i64,
) -> Result<Vec<ClockRow>> {
    c.query_as(
        &format!(
            "SELECT {CLOCK_COLUMNS} FROM clocks WHERE satisfied_at IS NULL AND stopped_at IS NULL \
             AND due_date <= $1 AND (reminded IS NULL OR reminded <> 'overdue:' || due_date) \
             AND (due_date > $2 OR (due_date = $2 AND id > $3)) \
             ORDER BY due_date, id LIMIT $4"
        ),
        &[until.into(), after.0.into(), after.1.into(), limit.into()],
    )
}

/// Every open clock (neither satisfied nor stopped) of a kind.
pub fn open_clocks_of_kind(c: &mut dyn Conn, kind: &str) -> Result<Vec<ClockRow>> {
    c.query_as(
        &format!(
            "SELECT {CLOCK_COLUMNS} FROM clocks WHERE kind = $1 AND satisfied_at IS NULL \
             AND stopped_at IS NULL ORDER BY id"
        ),
        &[kind.into()],
    )
}

/// Record the last reminder queued for a clock (`overdue:2020-06-08`).
pub fn mark_reminded(c: &mut dyn Conn, id: i64, reminded: &str) -> Result<()> {
    c.execute(
        "UPDATE clocks SET reminded = $1 WHERE id = $2",
        &[reminded.into(), id.into()],
    )?;
    Ok(())
}

/// Mark a clock met (by what, e.g. `report:12`); an already met clock stays as it was.
pub fn satisfy_clock(
    c: &mut dyn Conn,
    case_id: i64,
    key: &str,
    by: &str,
    at: &str,
) -> Result<bool> {
    let n = c.execute(
        "UPDATE clocks SET satisfied_at = $1, satisfied_by = $2 \
         WHERE case_id = $3 AND key = $4 AND satisfied_at IS NULL",
        &[at.into(), by.into(), case_id.into(), key.into()],
    )?;
    Ok(n == 1)
}

/// Undo a clock's satisfaction (a returned report no longer counts as filed).
pub fn unsatisfy_clock(c: &mut dyn Conn, case_id: i64, key: &str, by: &str) -> Result<bool> {
    let n = c.execute(
        "UPDATE clocks SET satisfied_at = NULL, satisfied_by = NULL \
         WHERE case_id = $1 AND key = $2 AND satisfied_by = $3",
        &[case_id.into(), key.into(), by.into()],
    )?;
    Ok(n == 1)
}

/// Move a clock's due date (an extension), keeping its explanation up to date.
pub fn move_clock(
    c: &mut dyn Conn,
    case_id: i64,
    key: &str,
    due_date: &str,
    explanation: &serde_json::Value,
) -> Result<bool> {
    let n = c.execute(
        "UPDATE clocks SET due_date = $1, explanation = $2 WHERE case_id = $3 AND key = $4",
        &[
            due_date.into(),
            explanation.to_string().into(),
            case_id.into(),
            key.into(),
        ],
    )?;
    Ok(n == 1)
}

/// Stop every open clock of a case (it was closed).
pub fn stop_clocks(c: &mut dyn Conn, case_id: i64, at: &str) -> Result<u64> {
    c.execute(
        "UPDATE clocks SET stopped_at = $1 WHERE case_id = $2 AND satisfied_at IS NULL \
         AND stopped_at IS NULL",
        &[at.into(), case_id.into()],
    )
}

/// Restart the stopped clocks of a case (it was reopened).
pub fn restart_clocks(c: &mut dyn Conn, case_id: i64) -> Result<u64> {
    c.execute(
        "UPDATE clocks SET stopped_at = NULL WHERE case_id = $1",
        &[case_id.into()],
    )
}

/// An office setting's value.
pub fn setting(c: &mut dyn Conn, key: &str) -> Result<Option<String>> {
    c.query_opt("SELECT value FROM settings WHERE key = $1", &[key.into()])?
        .map(|r| r.text("value"))
        .transpose()
}

/// Set an office setting.
pub fn set_setting(c: &mut dyn Conn, key: &str, value: &str, at: &str, by: &str) -> Result<()> {
    let n = c.execute(
        "UPDATE settings SET value = $1, updated_at = $2, updated_by = $3 WHERE key = $4",
        &[value.into(), at.into(), by.into(), key.into()],
    )?;
    if n == 0 {
        c.execute(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
            &[key.into(), value.into(), at.into(), by.into()],
        )?;
    }
    Ok(())
}
