//! Proposal handling in the database (建议提案存储): items, proposers, handling rounds, replies,
//! co-signing opinions, meetings, explanations of delay, feedback, return requests and
//! disclosures. The rules for changing them live in `luoshi-app`'s proposal hooks; this module
//! only keeps and returns.

use crate::cases::{by_item, of_items};
use crate::sql::{Conn, Row, Value};
use crate::Result;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// An item: its case joined with what proposal handling keeps about it, and its standing
/// (reached through the item as if its own fields: `row.reply_due`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ItemRow {
    pub id: i64,
    /// 题目 (the case title).
    pub subject: String,
    /// 内容 (the case body).
    pub text: String,
    pub state: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub year: i64,
    pub number: String,
    pub source: String,
    pub kind: String,
    pub session: String,
    pub session_name: String,
    pub key_item: bool,
    pub needs_instruction: bool,
    pub registered_at: String,
    pub registered_by: String,
    /// Decoded from the same row as the rest ([`decode_item`]).
    #[serde(skip)]
    pub standing: Standing,
}

impl std::ops::Deref for ItemRow {
    type Target = Standing;

    fn deref(&self) -> &Standing {
        &self.standing
    }
}

/// An item and its standing from one row of [`ITEM_COLUMNS`].
fn decode_item(row: &Row) -> Result<ItemRow> {
    let mut item: ItemRow = row.decode()?;
    item.standing = row.decode()?;
    Ok(item)
}

const ITEM_COLUMNS: &str = "c.id, c.title AS subject, c.body AS text, c.state, c.version, \
     c.created_at, c.updated_at, i.year, i.number, i.source, i.kind, i.session, i.session_name, \
     i.key_item, i.needs_instruction, i.registered_at, i.registered_by, i.round, i.lead_unit, \
     i.received_date, i.return_due, i.reply_due, i.replied_date, i.due_status, \
     i.delay_explained, i.met_in_person, i.class, i.satisfaction, i.disclosure, i.status_as_of";

/// Which items to list (each filter optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ItemFilter {
    pub year: Option<i64>,
    /// Items this unit handles as lead unit or co-unit.
    pub unit_id: Option<String>,
    /// Items whose current lead unit is this one.
    pub lead_unit: Option<String>,
    /// Case states, any of.
    pub states: Vec<String>,
    /// Leave out items in these states.
    pub not_states: Vec<String>,
    pub kind: Option<String>,
    pub source: Option<String>,
    pub session: Option<String>,
    pub due_status: Option<String>,
    pub key_item: Option<bool>,
    /// Items a linked account proposed.
    pub proposer_user: Option<i64>,
    /// Items a leader is named on (分管副市长).
    pub leader: Option<String>,
    /// Words in the subject.
    pub subject: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A statement being built, with its parameters numbered as they are bound.
struct Query {
    sql: String,
    params: Vec<Value>,
}

impl Query {
    /// Append `clause`, its one `?` replaced by the next parameter.
    fn bind(&mut self, clause: &str, v: Value) {
        self.params.push(v);
        self.sql
            .push_str(&clause.replace('?', &format!("${}", self.params.len())));
    }

    /// Append `AND column op (…)` for a list of values.
    fn list(&mut self, column: &str, op: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let mut marks = Vec::new();
        for v in values {
            self.params.push(v.into());
            marks.push(format!("${}", self.params.len()));
        }
        self.sql
            .push_str(&format!(" AND {column} {op} ({})", marks.join(", ")));
    }
}

/// A `LIKE` pattern for words, wildcards in the words taken literally by dropping them.
fn like(words: &str) -> Value {
    format!("%{}%", words.replace(['%', '_'], "")).into()
}

/// Items matching the filter, newest year first, then by number.
pub fn items(c: &mut dyn Conn, f: &ItemFilter) -> Result<Vec<ItemRow>> {
    let mut q = Query {
        sql: format!(
            "SELECT {ITEM_COLUMNS} FROM cases c JOIN prop_items i ON i.case_id = c.id \
             WHERE c.procedure = 'proposal'"
        ),
        params: Vec::new(),
    };
    if let Some(y) = f.year {
        q.bind(" AND i.year = ?", y.into());
    }
    if let Some(u) = &f.unit_id {
        q.bind(
            " AND c.id IN (SELECT case_id FROM case_owners WHERE unit_id = ? \
             AND role IN ('lead', 'co'))",
            u.into(),
        );
    }
    if let Some(u) = &f.lead_unit {
        q.bind(" AND i.lead_unit = ?", u.into());
    }
    q.list("c.state", "IN", &f.states);
    q.list("c.state", "NOT IN", &f.not_states);
    if let Some(k) = &f.kind {
        q.bind(" AND i.kind = ?", k.into());
    }
    if let Some(s) = &f.source {
        q.bind(" AND i.source = ?", s.into());
    }
    if let Some(s) = &f.session {
        q.bind(" AND i.session = ?", s.into());
    }
    if let Some(s) = &f.due_status {
        q.bind(" AND i.due_status = ?", s.into());
    }
    if let Some(k) = f.key_item {
        q.bind(" AND i.key_item = ?", k.into());
    }
    if let Some(u) = f.proposer_user {
        q.bind(
            " AND c.id IN (SELECT case_id FROM prop_proposers WHERE user_id = ?)",
            u.into(),
        );
    }
    if let Some(l) = &f.leader {
        q.bind(
            " AND c.id IN (SELECT case_id FROM case_owners WHERE role = 'leader' AND name = ?)",
            l.into(),
        );
    }
    if let Some(s) = &f.subject {
        q.bind(" AND c.title LIKE ?", like(s));
    }
    q.sql
        .push_str(" ORDER BY i.year DESC, i.source, i.number, c.id");
    if let Some(l) = f.limit {
        q.bind(" LIMIT ?", l.into());
        if let Some(o) = f.offset {
            q.bind(" OFFSET ?", o.into());
        }
    }
    c.query(&q.sql, &q.params)?
        .iter()
        .map(decode_item)
        .collect()
}

/// One item.
pub fn item(c: &mut dyn Conn, case_id: i64) -> Result<Option<ItemRow>> {
    c.query_opt(
        &format!(
            "SELECT {ITEM_COLUMNS} FROM cases c JOIN prop_items i ON i.case_id = c.id \
             WHERE c.id = $1 AND c.procedure = 'proposal'"
        ),
        &[case_id.into()],
    )?
    .as_ref()
    .map(decode_item)
    .transpose()
}

/// What registration records about a new item.
#[derive(Debug, Clone)]
pub struct NewItem<'a> {
    pub case_id: i64,
    pub year: i64,
    pub number: &'a str,
    pub source: &'a str,
    pub kind: &'a str,
    pub session: &'a str,
    pub session_name: &'a str,
    pub key_item: bool,
    pub needs_instruction: bool,
    pub at: &'a str,
    pub by: &'a str,
}

pub fn insert_item(c: &mut dyn Conn, n: &NewItem) -> Result<()> {
    c.execute(
        "INSERT INTO prop_items (case_id, year, number, source, kind, session, session_name, \
         key_item, needs_instruction, registered_at, registered_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            n.case_id.into(),
            n.year.into(),
            n.number.into(),
            n.source.into(),
            n.kind.into(),
            n.session.into(),
            n.session_name.into(),
            n.key_item.into(),
            n.needs_instruction.into(),
            n.at.into(),
            n.by.into(),
        ],
    )?;
    Ok(())
}

/// Whether an item with this year, source and number exists.
pub fn number_taken(c: &mut dyn Conn, year: i64, source: &str, number: &str) -> Result<bool> {
    Ok(c.query_opt(
        "SELECT case_id FROM prop_items WHERE year = $1 AND source = $2 AND number = $3",
        &[year.into(), source.into(), number.into()],
    )?
    .is_some())
}

/// Correct what registration recorded (the office's amendment).
pub fn amend_item(
    c: &mut dyn Conn,
    case_id: i64,
    subject: &str,
    text: &str,
    key_item: bool,
    needs_instruction: bool,
) -> Result<()> {
    c.execute(
        "UPDATE cases SET title = $1, body = $2 WHERE id = $3",
        &[subject.into(), text.into(), case_id.into()],
    )?;
    c.execute(
        "UPDATE prop_items SET key_item = $1, needs_instruction = $2 WHERE case_id = $3",
        &[key_item.into(), needs_instruction.into(), case_id.into()],
    )?;
    Ok(())
}

/// An item's standing as computed on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub round: i64,
    pub lead_unit: Option<String>,
    pub received_date: Option<String>,
    pub return_due: Option<String>,
    pub reply_due: Option<String>,
    pub replied_date: Option<String>,
    pub due_status: String,
    pub delay_explained: bool,
    pub met_in_person: bool,
    pub class: Option<String>,
    pub satisfaction: Option<String>,
    pub disclosure: Option<String>,
    pub status_as_of: String,
}

pub fn set_standing(c: &mut dyn Conn, case_id: i64, s: &Standing) -> Result<()> {
    c.execute(
        "UPDATE prop_items SET round = $1, lead_unit = $2, received_date = $3, return_due = $4, \
         reply_due = $5, replied_date = $6, due_status = $7, delay_explained = $8, \
         met_in_person = $9, class = $10, satisfaction = $11, disclosure = $12, \
         status_as_of = $13 WHERE case_id = $14",
        &[
            s.round.into(),
            s.lead_unit.clone().into(),
            s.received_date.clone().into(),
            s.return_due.clone().into(),
            s.reply_due.clone().into(),
            s.replied_date.clone().into(),
            s.due_status.as_str().into(),
            s.delay_explained.into(),
            s.met_in_person.into(),
            s.class.clone().into(),
            s.satisfaction.clone().into(),
            s.disclosure.clone().into(),
            s.status_as_of.as_str().into(),
            case_id.into(),
        ],
    )?;
    Ok(())
}

/// Ids of open (not closed) items whose standing was computed before `as_of`.
pub fn stale_open_items(c: &mut dyn Conn, as_of: &str, limit: i64) -> Result<Vec<i64>> {
    c.query(
        "SELECT i.case_id FROM prop_items i JOIN cases c ON c.id = i.case_id \
         WHERE i.status_as_of < $1 AND c.state <> 'closed' ORDER BY i.case_id LIMIT $2",
        &[as_of.into(), limit.into()],
    )?
    .iter()
    .map(|r| r.i64("case_id"))
    .collect()
}

/// The years that have items, newest first.
pub fn years(c: &mut dyn Conn) -> Result<Vec<i64>> {
    c.query(
        "SELECT DISTINCT year FROM prop_items ORDER BY year DESC",
        &[],
    )?
    .iter()
    .map(|r| r.i64("year"))
    .collect()
}

// ---------------------------------------------------------------------------------------------
// Proposers

/// A proposer (提出人) of an item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProposerRow {
    pub id: i64,
    pub case_id: i64,
    pub ord: i64,
    pub name: String,
    pub role: String,
    pub affiliation: String,
    pub contact: String,
    pub user_id: Option<i64>,
}

pub fn insert_proposer(c: &mut dyn Conn, p: &ProposerRow) -> Result<i64> {
    c.insert(
        "INSERT INTO prop_proposers (case_id, ord, name, role, affiliation, contact, user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        &[
            p.case_id.into(),
            p.ord.into(),
            p.name.as_str().into(),
            p.role.as_str().into(),
            p.affiliation.as_str().into(),
            p.contact.as_str().into(),
            p.user_id.into(),
        ],
    )
}

/// The proposers of many items, by item id, in signing order.
pub fn proposers_of(c: &mut dyn Conn, ids: &[i64]) -> Result<HashMap<i64, Vec<ProposerRow>>> {
    by_item(
        c,
        "SELECT id, case_id, ord, name, role, affiliation, contact, user_id \
         FROM prop_proposers WHERE case_id IN ({ids}) ORDER BY case_id, ord",
        ids,
        |r: &ProposerRow| r.case_id,
    )
}

/// Earlier items signed by any of these names (for the duplicate check): (case id, year,
/// number, subject, names).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SignedRow {
    pub case_id: i64,
    pub year: i64,
    pub number: String,
    pub subject: String,
    pub name: String,
}

pub fn items_signed_by(c: &mut dyn Conn, names: &[String]) -> Result<Vec<SignedRow>> {
    let mut out = Vec::new();
    for chunk in names.chunks(200) {
        let mut params: Vec<Value> = Vec::new();
        let marks: Vec<String> = chunk
            .iter()
            .map(|n| {
                params.push(n.into());
                format!("${}", params.len())
            })
            .collect();
        out.extend(c.query_as::<SignedRow>(
            &format!(
                "SELECT p.case_id, i.year, i.number, c.title AS subject, p.name \
                 FROM prop_proposers p JOIN prop_items i ON i.case_id = p.case_id \
                 JOIN cases c ON c.id = p.case_id WHERE p.name IN ({}) ORDER BY p.case_id",
                marks.join(", ")
            ),
            &params,
        )?);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Rounds

/// A handling round (办理轮次).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub reason: String,
    pub note: String,
    pub lead_unit: Option<String>,
    #[serde(deserialize_with = "crate::decode::json", default)]
    pub co_units: Vec<String>,
    pub received_date: String,
    pub return_due: Option<String>,
    pub return_explanation: String,
    pub reply_due: String,
    pub replied_date: Option<String>,
    pub outcome: Option<String>,
    pub closed_at: Option<String>,
    pub event_id: Option<i64>,
}

pub fn insert_round(c: &mut dyn Conn, r: &RoundRow) -> Result<i64> {
    c.insert(
        "INSERT INTO prop_rounds (case_id, round, reason, note, lead_unit, co_units, \
         received_date, return_due, return_explanation, reply_due) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            r.case_id.into(),
            r.round.into(),
            r.reason.as_str().into(),
            r.note.as_str().into(),
            r.lead_unit.clone().into(),
            serde_json::to_string(&r.co_units)
                .unwrap_or_else(|_| "[]".into())
                .into(),
            r.received_date.as_str().into(),
            r.return_due.clone().into(),
            r.return_explanation.as_str().into(),
            r.reply_due.as_str().into(),
        ],
    )
}

const ROUND_COLUMNS: &str = "id, case_id, round, reason, note, lead_unit, co_units, \
     received_date, return_due, return_explanation, reply_due, replied_date, outcome, closed_at, \
     event_id";

pub fn rounds(c: &mut dyn Conn, case_id: i64) -> Result<Vec<RoundRow>> {
    c.query_as(
        &format!("SELECT {ROUND_COLUMNS} FROM prop_rounds WHERE case_id = $1 ORDER BY round"),
        &[case_id.into()],
    )
}

/// The rounds of many items, by item id.
pub fn rounds_of(c: &mut dyn Conn, ids: &[i64]) -> Result<HashMap<i64, Vec<RoundRow>>> {
    by_item(
        c,
        &format!(
            "SELECT {ROUND_COLUMNS} FROM prop_rounds WHERE case_id IN ({{ids}}) \
             ORDER BY case_id, round"
        ),
        ids,
        |r: &RoundRow| r.case_id,
    )
}

pub fn set_round_event(c: &mut dyn Conn, id: i64, event_id: i64) -> Result<()> {
    c.execute(
        "UPDATE prop_rounds SET event_id = $1 WHERE id = $2",
        &[event_id.into(), id.into()],
    )?;
    Ok(())
}

/// Close an open round (returned or replied); a closed round stays as it was.
pub fn close_round(
    c: &mut dyn Conn,
    case_id: i64,
    round: i64,
    outcome: &str,
    at: &str,
) -> Result<bool> {
    let n = c.execute(
        "UPDATE prop_rounds SET outcome = $1, closed_at = $2 \
         WHERE case_id = $3 AND round = $4 AND outcome IS NULL",
        &[outcome.into(), at.into(), case_id.into(), round.into()],
    )?;
    Ok(n == 1)
}

/// Record the day a round's reply went out (the first one counts).
pub fn set_round_replied(c: &mut dyn Conn, case_id: i64, round: i64, date: &str) -> Result<()> {
    c.execute(
        "UPDATE prop_rounds SET replied_date = $1 \
         WHERE case_id = $2 AND round = $3 AND replied_date IS NULL",
        &[date.into(), case_id.into(), round.into()],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Replies

/// A reply (答复函) and its review.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub unit_id: Option<String>,
    pub class: String,
    pub outcome: String,
    pub text: String,
    pub summary: String,
    pub signer: String,
    pub contact_person: String,
    pub contact_phone: String,
    #[serde(deserialize_with = "crate::decode::json", default)]
    pub copies: Vec<String>,
    pub letter_no: String,
    pub status: String,
    pub drafted_by: String,
    pub drafted_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub leader_by: Option<String>,
    pub leader_at: Option<String>,
    pub sent_date: Option<String>,
    pub formal_text: Option<String>,
    pub formal_by: Option<String>,
    pub formal_at: Option<String>,
    pub review_note: Option<String>,
    pub event_id: Option<i64>,
}

pub fn insert_reply(c: &mut dyn Conn, r: &ReplyRow) -> Result<i64> {
    c.insert(
        "INSERT INTO prop_replies (case_id, round, unit_id, class, outcome, text, summary, \
         signer, contact_person, contact_phone, copies, letter_no, status, drafted_by, \
         drafted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         RETURNING id",
        &[
            r.case_id.into(),
            r.round.into(),
            r.unit_id.clone().into(),
            r.class.as_str().into(),
            r.outcome.as_str().into(),
            r.text.as_str().into(),
            r.summary.as_str().into(),
            r.signer.as_str().into(),
            r.contact_person.as_str().into(),
            r.contact_phone.as_str().into(),
            serde_json::to_string(&r.copies)
                .unwrap_or_else(|_| "[]".into())
                .into(),
            r.letter_no.as_str().into(),
            r.status.as_str().into(),
            r.drafted_by.as_str().into(),
            r.drafted_at.as_str().into(),
        ],
    )
}

const REPLY_COLUMNS: &str = "id, case_id, round, unit_id, class, outcome, text, summary, signer, \
     contact_person, contact_phone, copies, letter_no, status, drafted_by, drafted_at, \
     approved_by, approved_at, leader_by, leader_at, sent_date, formal_text, formal_by, \
     formal_at, review_note, event_id";

/// Every reply of an item, oldest first.
pub fn replies(c: &mut dyn Conn, case_id: i64) -> Result<Vec<ReplyRow>> {
    c.query_as(
        &format!("SELECT {REPLY_COLUMNS} FROM prop_replies WHERE case_id = $1 ORDER BY id"),
        &[case_id.into()],
    )
}

/// One reply.
pub fn reply(c: &mut dyn Conn, id: i64) -> Result<Option<ReplyRow>> {
    c.query_opt_as(
        &format!("SELECT {REPLY_COLUMNS} FROM prop_replies WHERE id = $1"),
        &[id.into()],
    )
}

/// A review step taken on a reply: the new status and who took which step.
#[derive(Debug, Clone, Default)]
pub struct ReplyReview<'a> {
    pub status: &'a str,
    /// `approved` (unit leader), `leader` (vice-mayor) or `formal` (formal city reply).
    pub step: Option<&'a str>,
    pub by: &'a str,
    pub at: &'a str,
    pub sent_date: Option<&'a str>,
    pub note: Option<&'a str>,
    pub formal_text: Option<&'a str>,
    pub letter_no: Option<&'a str>,
}

/// Move a reply from status `from` to `r.status`, recording the step taken; false when the
/// reply had moved on (another reviewer got there first).
pub fn review_reply(c: &mut dyn Conn, id: i64, from: &str, r: &ReplyReview) -> Result<bool> {
    let step = match r.step {
        Some("approved") => ", approved_by = $7, approved_at = $8",
        Some("leader") => ", leader_by = $7, leader_at = $8",
        Some("formal") => ", formal_by = $7, formal_at = $8",
        _ => ", drafted_by = COALESCE($7, drafted_by), drafted_at = COALESCE($8, drafted_at)",
    };
    let (by, at): (Value, Value) = if r.step.is_some() {
        (r.by.into(), r.at.into())
    } else {
        (Value::Text(None), Value::Text(None))
    };
    let n = c.execute(
        &format!(
            "UPDATE prop_replies SET status = $1, sent_date = COALESCE($2, sent_date), \
             formal_text = COALESCE($3, formal_text), letter_no = COALESCE($4, letter_no), \
             review_note = COALESCE($5, review_note){step} WHERE id = $6 AND status = $9"
        ),
        &[
            r.status.into(),
            r.sent_date.into(),
            r.formal_text.into(),
            r.letter_no.into(),
            r.note.into(),
            id.into(),
            by,
            at,
            from.into(),
        ],
    )?;
    Ok(n == 1)
}

pub fn set_reply_event(c: &mut dyn Conn, id: i64, event_id: i64) -> Result<()> {
    c.execute(
        "UPDATE prop_replies SET event_id = $1 WHERE id = $2",
        &[event_id.into(), id.into()],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Co-signing, meetings, explanations of delay, feedback, returns

/// A co-unit's opinion (会签意见).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CosignRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub unit_id: Option<String>,
    pub opinion: String,
    pub by_user: String,
    pub at: String,
}

/// A meeting with the proposer (见面沟通).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub unit_id: Option<String>,
    pub met_date: String,
    pub form: String,
    pub summary: String,
    pub by_user: String,
    pub at: String,
}

/// A written explanation of delay (第十九条).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DelayRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub unit_id: Option<String>,
    pub explained_date: String,
    pub difficulties: String,
    pub measures: String,
    pub expected_date: Option<String>,
    pub by_user: String,
    pub at: String,
}

/// Feedback on a reply (征求意见表).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub reply_id: Option<i64>,
    pub proposer_id: Option<i64>,
    pub rating: String,
    pub comment: String,
    pub channel: String,
    pub by_user: String,
    pub at: String,
}

/// A request to return an item (退转申请) and its decision.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub unit_id: Option<String>,
    /// 牵头单位 or 会办单位 (`lead`, `co`).
    pub role: crate::OwnerRole,
    pub requested_date: String,
    pub reason: String,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

pub fn insert_cosign(c: &mut dyn Conn, r: &CosignRow, event_id: Option<i64>) -> Result<i64> {
    c.insert(
        "INSERT INTO prop_cosigns (case_id, round, unit_id, opinion, by_user, at, event_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        &[
            r.case_id.into(),
            r.round.into(),
            r.unit_id.clone().into(),
            r.opinion.as_str().into(),
            r.by_user.as_str().into(),
            r.at.as_str().into(),
            event_id.into(),
        ],
    )
}

pub fn insert_meeting(c: &mut dyn Conn, r: &MeetingRow, event_id: Option<i64>) -> Result<i64> {
    c.insert(
        "INSERT INTO prop_meetings (case_id, round, unit_id, met_date, form, summary, by_user, \
         at, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            r.case_id.into(),
            r.round.into(),
            r.unit_id.clone().into(),
            r.met_date.as_str().into(),
            r.form.as_str().into(),
            r.summary.as_str().into(),
            r.by_user.as_str().into(),
            r.at.as_str().into(),
            event_id.into(),
        ],
    )
}

pub fn insert_delay(c: &mut dyn Conn, r: &DelayRow, event_id: Option<i64>) -> Result<i64> {
    c.insert(
        "INSERT INTO prop_delays (case_id, round, unit_id, explained_date, difficulties, \
         measures, expected_date, by_user, at, event_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            r.case_id.into(),
            r.round.into(),
            r.unit_id.clone().into(),
            r.explained_date.as_str().into(),
            r.difficulties.as_str().into(),
            r.measures.as_str().into(),
            r.expected_date.clone().into(),
            r.by_user.as_str().into(),
            r.at.as_str().into(),
            event_id.into(),
        ],
    )
}

pub fn insert_feedback(c: &mut dyn Conn, r: &FeedbackRow, event_id: Option<i64>) -> Result<i64> {
    c.insert(
        "INSERT INTO prop_feedback (case_id, round, reply_id, proposer_id, rating, comment, \
         channel, by_user, at, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         RETURNING id",
        &[
            r.case_id.into(),
            r.round.into(),
            r.reply_id.into(),
            r.proposer_id.into(),
            r.rating.as_str().into(),
            r.comment.as_str().into(),
            r.channel.as_str().into(),
            r.by_user.as_str().into(),
            r.at.as_str().into(),
            event_id.into(),
        ],
    )
}

pub fn insert_return(c: &mut dyn Conn, r: &ReturnRow, event_id: Option<i64>) -> Result<i64> {
    c.insert(
        "INSERT INTO prop_returns (case_id, round, unit_id, role, requested_date, reason, status, \
         event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        &[
            r.case_id.into(),
            r.round.into(),
            r.unit_id.clone().into(),
            r.role.as_str().into(),
            r.requested_date.as_str().into(),
            r.reason.as_str().into(),
            r.status.as_str().into(),
            event_id.into(),
        ],
    )
}

/// Decide a pending return request; false when it was decided already.
pub fn decide_return(
    c: &mut dyn Conn,
    id: i64,
    status: &str,
    by: &str,
    at: &str,
    note: Option<&str>,
) -> Result<bool> {
    let n = c.execute(
        "UPDATE prop_returns SET status = $1, decided_by = $2, decided_at = $3, \
         decision_note = $4 WHERE id = $5 AND status = 'pending'",
        &[status.into(), by.into(), at.into(), note.into(), id.into()],
    )?;
    Ok(n == 1)
}

/// Point a row of one of the item tables at the history row that made it.
pub fn set_event(c: &mut dyn Conn, table: Table, id: i64, event_id: i64) -> Result<()> {
    c.execute(
        &format!("UPDATE {} SET event_id = $1 WHERE id = $2", table.name()),
        &[event_id.into(), id.into()],
    )?;
    Ok(())
}

/// The item tables whose rows point at a history row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Rounds,
    Replies,
    Cosigns,
    Meetings,
    Delays,
    Feedback,
    Returns,
    Disclosures,
}

impl Table {
    pub const ALL: [Table; 8] = [
        Table::Rounds,
        Table::Replies,
        Table::Cosigns,
        Table::Meetings,
        Table::Delays,
        Table::Feedback,
        Table::Returns,
        Table::Disclosures,
    ];

    pub fn by_name(name: &str) -> Option<Table> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Table::Rounds => "prop_rounds",
            Table::Replies => "prop_replies",
            Table::Cosigns => "prop_cosigns",
            Table::Meetings => "prop_meetings",
            Table::Delays => "prop_delays",
            Table::Feedback => "prop_feedback",
            Table::Returns => "prop_returns",
            Table::Disclosures => "prop_disclosures",
        }
    }
}

/// Everything recorded on one item besides its rounds and replies.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Records {
    pub cosigns: Vec<CosignRow>,
    pub meetings: Vec<MeetingRow>,
    pub delays: Vec<DelayRow>,
    pub feedback: Vec<FeedbackRow>,
    pub returns: Vec<ReturnRow>,
}

pub fn records(c: &mut dyn Conn, case_id: i64) -> Result<Records> {
    let id: Value = case_id.into();
    Ok(Records {
        cosigns: c.query_as(
            "SELECT id, case_id, round, unit_id, opinion, by_user, at FROM prop_cosigns \
             WHERE case_id = $1 ORDER BY id",
            std::slice::from_ref(&id),
        )?,
        meetings: c.query_as(
            "SELECT id, case_id, round, unit_id, met_date, form, summary, by_user, at \
             FROM prop_meetings WHERE case_id = $1 ORDER BY id",
            std::slice::from_ref(&id),
        )?,
        delays: c.query_as(
            "SELECT id, case_id, round, unit_id, explained_date, difficulties, measures, \
             expected_date, by_user, at FROM prop_delays WHERE case_id = $1 ORDER BY id",
            std::slice::from_ref(&id),
        )?,
        feedback: c.query_as(
            "SELECT id, case_id, round, reply_id, proposer_id, rating, comment, channel, \
             by_user, at FROM prop_feedback WHERE case_id = $1 ORDER BY id",
            std::slice::from_ref(&id),
        )?,
        returns: c.query_as(
            "SELECT id, case_id, round, unit_id, role, requested_date, reason, status, \
             decided_by, decided_at, decision_note FROM prop_returns WHERE case_id = $1 \
             ORDER BY id",
            std::slice::from_ref(&id),
        )?,
    })
}

/// Dated facts of many items for the progress bulletin (第八条): (case id, round, date) of
/// each meeting, and of each feedback with its rating.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DatedFact {
    pub case_id: i64,
    pub round: i64,
    pub on_date: String,
    pub rating: Option<String>,
}

pub fn meetings_of(c: &mut dyn Conn, ids: &[i64]) -> Result<Vec<DatedFact>> {
    of_items(
        c,
        "SELECT case_id, round, met_date AS on_date, NULL AS rating FROM prop_meetings \
         WHERE case_id IN ({ids}) ORDER BY id",
        ids,
    )
}

pub fn feedback_of(c: &mut dyn Conn, ids: &[i64]) -> Result<Vec<DatedFact>> {
    of_items(
        c,
        "SELECT case_id, round, substr(at, 1, 10) AS on_date, rating FROM prop_feedback \
         WHERE case_id IN ({ids}) ORDER BY id",
        ids,
    )
}

// ---------------------------------------------------------------------------------------------
// Disclosure

/// A disclosure decision (第二十条) as stored, with only the fields that may be published.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosureRow {
    pub id: i64,
    pub case_id: i64,
    pub reply_id: Option<i64>,
    pub mode: String,
    pub reason: String,
    pub secret: bool,
    pub is_current: bool,
    pub year: i64,
    pub number: String,
    pub kind: String,
    pub source: String,
    pub subject: String,
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub class: String,
    pub reply_date: String,
    pub text: String,
    pub redactions: i64,
    pub by_user: String,
    pub at: String,
}

/// Record a disclosure decision; the item's earlier decisions stop being current.
pub fn insert_disclosure(c: &mut dyn Conn, d: &DisclosureRow) -> Result<i64> {
    c.execute(
        "UPDATE prop_disclosures SET is_current = FALSE WHERE case_id = $1 AND is_current",
        &[d.case_id.into()],
    )?;
    c.insert(
        "INSERT INTO prop_disclosures (case_id, reply_id, mode, reason, secret, is_current, \
         year, number, kind, source, subject, unit_id, unit_name, class, reply_date, text, \
         redactions, by_user, at) VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        &[
            d.case_id.into(),
            d.reply_id.into(),
            d.mode.as_str().into(),
            d.reason.as_str().into(),
            d.secret.into(),
            d.year.into(),
            d.number.as_str().into(),
            d.kind.as_str().into(),
            d.source.as_str().into(),
            d.subject.as_str().into(),
            d.unit_id.clone().into(),
            d.unit_name.as_str().into(),
            d.class.as_str().into(),
            d.reply_date.as_str().into(),
            d.text.as_str().into(),
            d.redactions.into(),
            d.by_user.as_str().into(),
            d.at.as_str().into(),
        ],
    )
}

const DISCLOSURE_COLUMNS: &str = "id, case_id, reply_id, mode, reason, secret, is_current, year, \
     number, kind, source, subject, unit_id, unit_name, class, reply_date, text, redactions, \
     by_user, at";

/// Every disclosure decision of an item, oldest first.
pub fn disclosures(c: &mut dyn Conn, case_id: i64) -> Result<Vec<DisclosureRow>> {
    c.query_as(
        &format!(
            "SELECT {DISCLOSURE_COLUMNS} FROM prop_disclosures WHERE case_id = $1 ORDER BY id"
        ),
        &[case_id.into()],
    )
}

/// Which published replies to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PublicFilter {
    pub unit_id: Option<String>,
    pub year: Option<i64>,
    pub subject: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Published replies (current, full or summary), by unit and subject.
pub fn published(c: &mut dyn Conn, f: &PublicFilter) -> Result<Vec<DisclosureRow>> {
    let mut q = Query {
        sql: format!(
            "SELECT {DISCLOSURE_COLUMNS} FROM prop_disclosures WHERE is_current \
             AND mode IN ('full', 'summary')"
        ),
        params: Vec::new(),
    };
    if let Some(u) = &f.unit_id {
        q.bind(" AND unit_id = ?", u.into());
    }
    if let Some(y) = f.year {
        q.bind(" AND year = ?", y.into());
    }
    if let Some(s) = &f.subject {
        q.bind(" AND subject LIKE ?", like(s));
    }
    q.sql.push_str(" ORDER BY unit_name, subject, id");
    if let Some(l) = f.limit {
        q.bind(" LIMIT ?", l.into());
        if let Some(o) = f.offset {
            q.bind(" OFFSET ?", o.into());
        }
    }
    c.query_as(&q.sql, &q.params)
}

/// One published reply by item id (current, full or summary).
pub fn published_one(c: &mut dyn Conn, case_id: i64) -> Result<Option<DisclosureRow>> {
    c.query_opt_as(
        &format!(
            "SELECT {DISCLOSURE_COLUMNS} FROM prop_disclosures WHERE case_id = $1 AND is_current \
             AND mode IN ('full', 'summary')"
        ),
        &[case_id.into()],
    )
}

/// Which units sent a co-signing opinion in which round, for many items: (case id, round,
/// unit id).
pub fn cosigned(c: &mut dyn Conn, ids: &[i64]) -> Result<Vec<(i64, i64, String)>> {
    #[derive(Deserialize)]
    struct Signed {
        case_id: i64,
        round: i64,
        unit_id: Option<String>,
    }
    let rows: Vec<Signed> = of_items(
        c,
        "SELECT case_id, round, unit_id FROM prop_cosigns WHERE case_id IN ({ids})",
        ids,
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.unit_id.map(|u| (r.case_id, r.round, u)))
        .collect())
}

/// The replies of many items, by item id, oldest first.
pub fn replies_of(c: &mut dyn Conn, ids: &[i64]) -> Result<HashMap<i64, Vec<ReplyRow>>> {
    by_item(
        c,
        &format!("SELECT {REPLY_COLUMNS} FROM prop_replies WHERE case_id IN ({{ids}}) ORDER BY id"),
        ids,
        |r: &ReplyRow| r.case_id,
    )
}

/// How many return requests of many items were approved.
pub fn approved_returns(c: &mut dyn Conn, ids: &[i64]) -> Result<i64> {
    #[derive(Deserialize)]
    struct Count {
        n: i64,
    }
    let counts: Vec<Count> = of_items(
        c,
        "SELECT COUNT(*) AS n FROM prop_returns WHERE status = 'approved' \
         AND case_id IN ({ids})",
        ids,
    )?;
    Ok(counts.iter().map(|x| x.n).sum())
}
