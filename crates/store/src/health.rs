//! Health-action monitoring in the database (健康行动监测存储): series, targets, observations
//! with their replaced values, decisions on qualitative targets, published reports.
//! Decimals are TEXT exactly as entered or published; the services compute with rust_decimal.

use crate::sql::{Conn, Value};
use crate::Result;
use serde::{Deserialize, Serialize};

/// A monitored series (监测指标), with its document and action.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SeriesRow {
    pub id: i64,
    pub document_id: i64,
    pub doc_no: String,
    pub key: String,
    pub no: Option<i64>,
    pub part: i64,
    pub name: String,
    pub unit: Option<String>,
    pub factor: Option<String>,
    /// `up`, `down` or `none`.
    pub direction: String,
    pub direction_source: String,
    pub baseline_value: Option<String>,
    pub baseline_year: Option<i64>,
    pub baseline_text: Option<String>,
    pub basis: Option<String>,
    pub action_task_id: Option<i64>,
    pub action_no: Option<i64>,
    pub action_name: Option<String>,
    pub owner_source: String,
    /// `table` (附件3) or `prose`.
    pub source: String,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
    pub demo: bool,
}

/// A series to insert.
#[derive(Debug, Clone, Default)]
pub struct NewSeries {
    pub document_id: i64,
    pub key: String,
    pub no: Option<i64>,
    pub part: i64,
    pub name: String,
    pub unit: Option<String>,
    pub factor: Option<String>,
    pub direction: String,
    pub direction_source: String,
    pub baseline_value: Option<String>,
    pub baseline_year: Option<i64>,
    pub baseline_text: Option<String>,
    pub basis: Option<String>,
    pub action_task_id: Option<i64>,
    pub action_no: Option<i64>,
    pub owner_source: String,
    pub source: String,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
    pub demo: bool,
}

/// A target of a series.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct TargetRow {
    pub id: i64,
    pub series_id: i64,
    pub year: i64,
    pub op: String,
    pub value: Option<String>,
    pub words: String,
    pub source: String,
    pub clause: String,
    pub first_line: i64,
    pub last_line: i64,
}

/// One observed value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ObservationRow {
    pub id: i64,
    pub series_id: i64,
    pub area: String,
    pub year: i64,
    pub month: i64,
    pub value: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub note: String,
    pub case_id: Option<i64>,
    /// `entered`, `submitted` or `approved`.
    pub status: String,
    pub entered_by: String,
    pub entered_unit: Option<String>,
    pub entered_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub demo: bool,
}

/// A value to write.
#[derive(Debug, Clone, Default)]
pub struct NewObservation<'a> {
    pub series_id: i64,
    pub area: &'a str,
    pub year: i64,
    pub month: i64,
    pub value: &'a str,
    pub numerator: Option<&'a str>,
    pub denominator: Option<&'a str>,
    pub note: &'a str,
    pub case_id: Option<i64>,
    pub status: &'a str,
    pub entered_by: &'a str,
    pub entered_unit: Option<&'a str>,
    pub at: &'a str,
    pub demo: bool,
}

/// A value an entry replaced.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HistoryRow {
    pub id: i64,
    pub observation_id: i64,
    pub value: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub status: String,
    pub entered_by: String,
    pub entered_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub replaced_by: String,
    pub replaced_at: String,
    pub reason: String,
}

/// A decision on a qualitative target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DecisionRow {
    pub id: i64,
    pub target_id: i64,
    pub area: String,
    pub year: i64,
    pub met: bool,
    pub evidence: String,
    pub decided_by: String,
    pub decided_at: String,
}

/// A published report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportRow {
    pub id: i64,
    pub kind: String,
    pub year: i64,
    pub action_no: i64,
    pub published_by: String,
    pub published_at: String,
    pub note: String,
}

const SERIES_COLUMNS: &str = "s.id, s.document_id, d.doc_no, s.key, s.no, s.part, s.name, \
     s.unit, s.factor, s.direction, s.direction_source, s.baseline_value, s.baseline_year, \
     s.baseline_text, s.basis, s.action_task_id, s.action_no, t.name AS action_name, \
     s.owner_source, s.source, s.clause, s.first_line, s.last_line, s.demo";
const SERIES_FROM: &str = "health_series s JOIN documents d ON d.id = s.document_id \
     LEFT JOIN tasks t ON t.id = s.action_task_id";
const SERIES_ORDER: &str = "ORDER BY s.document_id, s.source DESC, s.no, s.part, s.id";

/// Insert a series unless its key exists in the document; returns the new id or `None`.
pub fn insert_series(c: &mut dyn Conn, s: &NewSeries) -> Result<Option<i64>> {
    if c.query_opt(
        "SELECT id FROM health_series WHERE document_id = $1 AND key = $2",
        &[s.document_id.into(), (&s.key).into()],
    )?
    .is_some()
    {
        return Ok(None);
    }
    c.insert(
        "INSERT INTO health_series (document_id, key, no, part, name, unit, factor, direction, \
         direction_source, baseline_value, baseline_year, baseline_text, basis, action_task_id, \
         action_no, owner_source, source, clause, first_line, last_line, demo) VALUES ($1, $2, \
         $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) \
         RETURNING id",
        &[
            s.document_id.into(),
            (&s.key).into(),
            s.no.into(),
            s.part.into(),
            (&s.name).into(),
            s.unit.clone().into(),
            s.factor.clone().into(),
            (&s.direction).into(),
            (&s.direction_source).into(),
            s.baseline_value.clone().into(),
            s.baseline_year.into(),
            s.baseline_text.clone().into(),
            s.basis.clone().into(),
            s.action_task_id.into(),
            s.action_no.into(),
            (&s.owner_source).into(),
            (&s.source).into(),
            (&s.clause).into(),
            s.first_line.into(),
            s.last_line.into(),
            s.demo.into(),
        ],
    )
    .map(Some)
}

/// Insert a target of a series.
pub fn insert_target(c: &mut dyn Conn, t: &TargetRow) -> Result<i64> {
    c.insert(
        "INSERT INTO health_targets (series_id, year, op, value, words, source, clause, \
         first_line, last_line) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            t.series_id.into(),
            t.year.into(),
            (&t.op).into(),
            t.value.clone().into(),
            (&t.words).into(),
            (&t.source).into(),
            (&t.clause).into(),
            t.first_line.into(),
            t.last_line.into(),
        ],
    )
}

/// Every series, or those of these actions (task ids).
pub fn series(c: &mut dyn Conn, actions: Option<&[i64]>) -> Result<Vec<SeriesRow>> {
    let filter = match actions {
        None => String::new(),
        Some(ids) => format!("WHERE s.action_task_id IN ({})", crate::cases::id_list(ids)),
    };
    c.query_as(
        &format!("SELECT {SERIES_COLUMNS} FROM {SERIES_FROM} {filter} {SERIES_ORDER}"),
        &[],
    )
}

/// One series.
pub fn get_series(c: &mut dyn Conn, id: i64) -> Result<Option<SeriesRow>> {
    c.query_opt_as(
        &format!("SELECT {SERIES_COLUMNS} FROM {SERIES_FROM} WHERE s.id = $1"),
        &[id.into()],
    )
}

/// Move a series to another action (the office's assignment of an unmatched indicator).
pub fn set_action(
    c: &mut dyn Conn,
    series_id: i64,
    task_id: i64,
    action_no: i64,
    source: &str,
) -> Result<u64> {
    c.execute(
        "UPDATE health_series SET action_task_id = $1, action_no = $2, owner_source = $3 \
         WHERE id = $4",
        &[
            task_id.into(),
            action_no.into(),
            source.into(),
            series_id.into(),
        ],
    )
}

/// Every target (a few hundred at most), by series and year.
pub fn targets(c: &mut dyn Conn) -> Result<Vec<TargetRow>> {
    c.query_as(
        "SELECT id, series_id, year, op, value, words, source, clause, first_line, last_line \
         FROM health_targets ORDER BY series_id, year, id",
        &[],
    )
}

/// Which observations to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObsFilter {
    pub series_id: Option<i64>,
    pub area: Option<String>,
    /// Only the year's values (month 0).
    pub yearly: bool,
    pub approved_only: bool,
    pub year: Option<i64>,
    pub case_id: Option<i64>,
}

const OBS_COLUMNS: &str = "id, series_id, area, year, month, value, numerator, denominator, \
     note, case_id, status, entered_by, entered_unit, entered_at, approved_by, approved_at, demo";

/// Observations matching the filter, by series, area, year and month.
pub fn observations(c: &mut dyn Conn, f: &ObsFilter) -> Result<Vec<ObservationRow>> {
    let mut sql = format!("SELECT {OBS_COLUMNS} FROM health_observations WHERE 1 = 1");
    let mut params: Vec<Value> = Vec::new();
    let mut bind = |sql: &mut String, clause: &str, v: Value| {
        params.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", params.len())));
    };
    if let Some(s) = f.series_id {
        bind(&mut sql, " AND series_id = ?", s.into());
    }
    if let Some(a) = &f.area {
        bind(&mut sql, " AND area = ?", a.into());
    }
    if let Some(y) = f.year {
        bind(&mut sql, " AND year = ?", y.into());
    }
    if let Some(k) = f.case_id {
        bind(&mut sql, " AND case_id = ?", k.into());
    }
    if f.yearly {
        sql.push_str(" AND month = 0");
    }
    if f.approved_only {
        sql.push_str(" AND status = 'approved'");
    }
    sql.push_str(" ORDER BY series_id, area, year, month");
    c.query_as(&sql, &params)
}

/// The value of one series, area, year and month.
pub fn observation(
    c: &mut dyn Conn,
    series_id: i64,
    area: &str,
    year: i64,
    month: i64,
) -> Result<Option<ObservationRow>> {
    c.query_opt_as(
        &format!(
            "SELECT {OBS_COLUMNS} FROM health_observations WHERE series_id = $1 AND area = $2 \
             AND year = $3 AND month = $4"
        ),
        &[series_id.into(), area.into(), year.into(), month.into()],
    )
}

/// Write a value: insert it, or replace the current one after copying it into the history
/// with `reason`. Returns the observation id.
pub fn put_observation(c: &mut dyn Conn, o: &NewObservation, reason: &str) -> Result<i64> {
    if let Some(old) = observation(c, o.series_id, o.area, o.year, o.month)? {
        c.execute(
            "INSERT INTO health_value_history (observation_id, value, numerator, denominator, \
             status, entered_by, entered_at, approved_by, approved_at, replaced_by, replaced_at, \
             reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                old.id.into(),
                old.value.into(),
                old.numerator.into(),
                old.denominator.into(),
                old.status.into(),
                old.entered_by.into(),
                old.entered_at.into(),
                old.approved_by.into(),
                old.approved_at.into(),
                o.entered_by.into(),
                o.at.into(),
                reason.into(),
            ],
        )?;
        c.execute(
            "UPDATE health_observations SET value = $1, numerator = $2, denominator = $3, \
             note = $4, case_id = $5, status = $6, entered_by = $7, entered_unit = $8, \
             entered_at = $9, approved_by = NULL, approved_at = NULL, demo = $10 WHERE id = $11",
            &[
                o.value.into(),
                o.numerator.into(),
                o.denominator.into(),
                o.note.into(),
                o.case_id.into(),
                o.status.into(),
                o.entered_by.into(),
                o.entered_unit.into(),
                o.at.into(),
                o.demo.into(),
                old.id.into(),
            ],
        )?;
        return Ok(old.id);
    }
    c.insert(
        "INSERT INTO health_observations (series_id, area, year, month, value, numerator, \
         denominator, note, case_id, status, entered_by, entered_unit, entered_at, demo) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        &[
            o.series_id.into(),
            o.area.into(),
            o.year.into(),
            o.month.into(),
            o.value.into(),
            o.numerator.into(),
            o.denominator.into(),
            o.note.into(),
            o.case_id.into(),
            o.status.into(),
            o.entered_by.into(),
            o.entered_unit.into(),
            o.at.into(),
            o.demo.into(),
        ],
    )
}

/// Set the status of every value of a case (`submitted`, `entered` after a return,
/// `unlocked`); who approved stays recorded until a value is replaced.
pub fn set_case_status(c: &mut dyn Conn, case_id: i64, status: &str) -> Result<u64> {
    c.execute(
        "UPDATE health_observations SET status = $1 WHERE case_id = $2",
        &[status.into(), case_id.into()],
    )
}

/// Approve every value of a case: locked, with who approved and when.
pub fn approve_case(c: &mut dyn Conn, case_id: i64, by: &str, at: &str) -> Result<u64> {
    c.execute(
        "UPDATE health_observations SET status = 'approved', approved_by = $1, approved_at = $2 \
         WHERE case_id = $3",
        &[by.into(), at.into(), case_id.into()],
    )
}

/// Mark the values entered by `actor` as demo data (the demo's stand-in staff).
pub fn mark_demo(c: &mut dyn Conn, actor_prefix: &str) -> Result<u64> {
    c.execute(
        "UPDATE health_observations SET demo = TRUE WHERE entered_by LIKE $1",
        &[format!("{actor_prefix}%").into()],
    )
}

/// The values an observation replaced, oldest first.
pub fn history(c: &mut dyn Conn, observation_id: i64) -> Result<Vec<HistoryRow>> {
    c.query_as(
        "SELECT id, observation_id, value, numerator, denominator, status, entered_by, \
         entered_at, approved_by, approved_at, replaced_by, replaced_at, reason \
         FROM health_value_history WHERE observation_id = $1 ORDER BY id",
        &[observation_id.into()],
    )
}

/// The values every observation of a series replaced, in one query: by observation, oldest
/// first within each (the same rows and order as [`history`] per observation).
pub fn series_history(c: &mut dyn Conn, series_id: i64) -> Result<Vec<HistoryRow>> {
    c.query_as(
        "SELECT h.id, h.observation_id, h.value, h.numerator, h.denominator, h.status, \
         h.entered_by, h.entered_at, h.approved_by, h.approved_at, h.replaced_by, \
         h.replaced_at, h.reason \
         FROM health_value_history h JOIN health_observations o ON o.id = h.observation_id \
         WHERE o.series_id = $1 ORDER BY h.observation_id, h.id",
        &[series_id.into()],
    )
}

/// Record a decision on a qualitative target.
pub fn insert_decision(c: &mut dyn Conn, d: &DecisionRow) -> Result<i64> {
    c.insert(
        "INSERT INTO health_decisions (target_id, area, year, met, evidence, decided_by, \
         decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        &[
            d.target_id.into(),
            (&d.area).into(),
            d.year.into(),
            d.met.into(),
            (&d.evidence).into(),
            (&d.decided_by).into(),
            (&d.decided_at).into(),
        ],
    )
}

/// Every decision, oldest first (the latest per target, area and year counts).
pub fn decisions(c: &mut dyn Conn) -> Result<Vec<DecisionRow>> {
    c.query_as(
        "SELECT id, target_id, area, year, met, evidence, decided_by, decided_at \
         FROM health_decisions ORDER BY id",
        &[],
    )
}

/// Publish a report (once per kind, year and action); returns false when it already was.
pub fn publish_report(c: &mut dyn Conn, r: &ReportRow) -> Result<bool> {
    if c.query_opt(
        "SELECT id FROM health_reports WHERE kind = $1 AND year = $2 AND action_no = $3",
        &[(&r.kind).into(), r.year.into(), r.action_no.into()],
    )?
    .is_some()
    {
        return Ok(false);
    }
    c.execute(
        "INSERT INTO health_reports (kind, year, action_no, published_by, published_at, note) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            (&r.kind).into(),
            r.year.into(),
            r.action_no.into(),
            (&r.published_by).into(),
            (&r.published_at).into(),
            (&r.note).into(),
        ],
    )?;
    Ok(true)
}

/// Published reports, newest year first.
pub fn reports(c: &mut dyn Conn) -> Result<Vec<ReportRow>> {
    c.query_as(
        "SELECT id, kind, year, action_no, published_by, published_at, note FROM health_reports \
         ORDER BY year DESC, kind, action_no",
        &[],
    )
}

/// Task ids of the actions (kind `action`) a unit owns as lead or co-unit.
pub fn actions_of_unit(c: &mut dyn Conn, unit_id: &str) -> Result<Vec<i64>> {
    c.query(
        "SELECT DISTINCT t.id FROM tasks t JOIN task_owners o ON o.task_id = t.id \
         WHERE t.kind = $2 AND o.unit_id = $1 ORDER BY t.id",
        &[unit_id.into(), crate::TaskKind::Action.as_str().into()],
    )?
    .iter()
    .map(|r| r.i64("id"))
    .collect()
}
