//! Proposal handling (建议提案办理, 郑政办〔2020〕27号): deputies' suggestions and members'
//! proposals registered, assigned at the 交办会, handled by units (returns within 15 days,
//! co-signing, meetings, replies classed A–D), reviewed, answered, rated, redone when the
//! proposer is not satisfied or the office finds the reply short, and disclosed — the second
//! procedure on the case foundation.
//!
//! The procedure's table is [`crate::procedures::proposals`]; this module is its behaviour:
//! registration ([`register`]), what each action does beyond moving the state ([`Hooks`], with
//! the steps in [`assignment`], [`handling`] and [`disclosure`]), the item's derived standing
//! ([`standing`]), the personal-data check ([`privacy`]), views ([`views`]), the five standards
//! ([`standards`]), bulletins and reports ([`reports`]) and their workbooks ([`sheets`]),
//! spreadsheets ([`xlsx`]) and the
//! 交办会's batch assignment ([`batch`]).

pub mod assignment;
pub mod batch;
pub mod bench;
pub mod disclosure;
pub mod dues;
pub mod handling;
pub mod privacy;
pub mod register;
pub mod reports;
pub mod sheets;
pub mod standards;
pub mod standing;
pub mod views;
pub mod xlsx;

use crate::cases::{self, Context, Effects, Hooks};
use crate::procedures::proposals::PROPOSALS;
use crate::{App, Result, Viewer};
use chrono::NaiveDate;
use luoshi_domain::Error;
use luoshi_rules::proposal::{Kind, Satisfaction, Source};
use luoshi_store::proposals::{self as pdb, ItemRow, RoundRow, Table};
use luoshi_store::{units, Conn};

/// The document every step cites.
pub const DOC: &str = "郑政办〔2020〕27号";

/// Proposal handling's behaviour on the case engine.
pub struct Proposals;

/// The one instance the engine runs.
pub static HOOKS: Proposals = Proposals;

pub(crate) fn input_error(message: impl Into<String>) -> Error {
    Error::bad_input("E_INPUT", message)
}

/// Another user handled the same thing first: nothing was done, nothing is lost.
pub(crate) fn taken(what: &str) -> Error {
    Error::conflict(
        "E_STALE",
        format!("{what}刚被他人处理过，您的操作未执行、填写的内容未丢失；请刷新后核对再提交"),
    )
}

/// A date field (`YYYY-MM-DD`), `None` when absent or blank.
pub(crate) fn date_field(
    input: &cases::ActionInput,
    name: &str,
    label: &str,
) -> Result<Option<NaiveDate>> {
    match input.text(name) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| input_error(format!("{label}“{s}”应写作 年-月-日，例如 2020-06-08"))),
    }
}

/// A yes/no field: `true`, `1`, `是`, `on` (a checked box) are yes.
pub(crate) fn flag(input: &cases::ActionInput, name: &str) -> bool {
    match input.fields.get(name) {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
        Some(serde_json::Value::String(s)) => {
            matches!(s.trim(), "true" | "1" | "是" | "on" | "yes")
        }
        _ => false,
    }
}

/// An item with its proposal record (404 when the case is not a proposal).
pub(crate) fn item_row(c: &mut dyn Conn, id: i64) -> Result<ItemRow> {
    pdb::item(c, id)?.ok_or_else(|| Error::not_found(format!("建议提案（编号 {id}）")))
}

/// The item's latest round, if it was ever assigned.
pub(crate) fn current_round(c: &mut dyn Conn, id: i64) -> Result<Option<RoundRow>> {
    Ok(pdb::rounds(c, id)?.pop())
}

/// A unit's name (its id when the registry does not know it).
pub(crate) fn unit_name(c: &mut dyn Conn, id: &str) -> Result<String> {
    Ok(units::get_unit(c, id)?
        .map(|u| u.name)
        .unwrap_or_else(|| id.to_string()))
}

/// The source's Chinese label (the code when unknown).
pub fn source_label(s: &str) -> &str {
    Source::parse(s).map(Source::label).unwrap_or(s)
}

/// The kind's Chinese label.
pub fn kind_label(s: &str) -> &str {
    Kind::parse(s).map(Kind::label).unwrap_or(s)
}

/// 会议期间 / 闭会期间.
pub fn session_label(s: &str) -> &str {
    match s {
        "session" => "会议期间",
        "recess" => "闭会期间",
        other => other,
    }
}

/// The rating's Chinese label.
pub fn satisfaction_label(s: &str) -> &str {
    Satisfaction::parse(s).map(Satisfaction::label).unwrap_or(s)
}

/// A reply's status in Chinese.
pub fn reply_status_label(s: &str) -> &str {
    match s {
        "review" => "待单位领导审查",
        "leader_review" => "待分管副市长审核",
        "sent" => "已函复",
        "sent_back" => "已退回修改",
        "formal_review" => "正式答复待签发",
        "formal_sent" => "已正式答复",
        other => other,
    }
}

/// An item's reference in messages: 年度、来源、编号 and subject.
pub(crate) fn item_ref(item: &ItemRow) -> String {
    format!(
        "{}年{}{}第{}号《{}》",
        item.year,
        source_label(&item.source),
        kind_label(&item.kind),
        item.number,
        item.subject
    )
}

/// Record that the action made a row, so [`Hooks::after`] points it at the history row.
pub(crate) fn made(fx: &mut Effects, table: Table, id: i64) {
    fx.data.insert(
        "made".into(),
        serde_json::json!({ "table": table.name(), "id": id }),
    );
}

impl Hooks for Proposals {
    fn procedure(&self) -> &'static crate::cases::Procedure {
        &PROPOSALS
    }

    fn apply(&self, app: &App, c: &mut dyn Conn, cx: &Context) -> Result<Effects> {
        let item = item_row(c, cx.case.id)?;
        let mut fx = Effects::default();
        match cx.action.name {
            "route-instruction" => assignment::route_instruction(c, cx, &item, &mut fx)?,
            "instruct" => assignment::instruct(cx, &item, &mut fx)?,
            "assign" => assignment::assign(app, c, cx, &item, &mut fx)?,
            "request-return" => assignment::request_return(app, c, cx, &item, &mut fx)?,
            "approve-return" => assignment::decide_return(c, cx, &item, true, &mut fx)?,
            "refuse-return" => assignment::decide_return(c, cx, &item, false, &mut fx)?,
            "amend" => assignment::amend(c, cx, &item, &mut fx)?,
            "cosign" => handling::cosign(c, cx, &item, &mut fx)?,
            "record-meeting" => handling::record_meeting(c, cx, &item, &mut fx)?,
            "explain-delay" => handling::explain_delay(c, cx, &item, &mut fx)?,
            "reply" => handling::reply(c, cx, &item, &mut fx)?,
            "send-back" => handling::send_back(c, cx, &item, &mut fx)?,
            "approve" => handling::approve(c, cx, &item, &mut fx)?,
            "feedback" => handling::feedback(c, cx, &item, &mut fx)?,
            "compile-formal" => handling::compile_formal(c, cx, &item, &mut fx)?,
            "redo" => handling::redo(app, c, cx, &item, &mut fx)?,
            "close" => handling::close(c, cx, &item, &mut fx)?,
            "publish" => disclosure::publish(c, cx, &item, &mut fx)?,
            "withhold" => disclosure::withhold(c, cx, &item, &mut fx)?,
            other => {
                return Err(Error::internal(format!("建议提案程序未实现动作 {other}")));
            }
        }
        Ok(fx)
    }

    fn after(
        &self,
        app: &App,
        c: &mut dyn Conn,
        cx: &Context,
        fx: &Effects,
        event_id: i64,
    ) -> Result<()> {
        if let Some(m) = fx.data.get("made") {
            let table = m
                .get("table")
                .and_then(|t| t.as_str())
                .and_then(Table::by_name);
            if let (Some(table), Some(id)) = (table, m.get("id").and_then(|i| i.as_i64())) {
                pdb::set_event(c, table, id, event_id)?;
            }
        }
        standing::refresh_item(app, c, cx.case.id, cx.today)?;
        bump_generation(c, cx.at)?;
        Ok(())
    }
}

/// The setting every proposal write bumps, so cached views know they are stale.
pub const GENERATION: &str = "generation.proposals";

/// Mark proposal handling's cached views stale (inside the writing transaction).
pub fn bump_generation(c: &mut dyn Conn, at: &str) -> Result<()> {
    cases::bump_generation(c, GENERATION, at)
}

impl App {
    /// Take a proposal-handling action on an item.
    pub fn proposal_act(
        &self,
        viewer: &Viewer,
        id: i64,
        input: &cases::ActionInput,
    ) -> Result<cases::Acted> {
        self.act(viewer, &HOOKS, id, input)
    }

    /// The stamp of proposal handling's cached views: its generation and the business date.
    pub(crate) fn proposals_stamp(&self) -> Result<String> {
        self.generation_stamp(GENERATION)
    }
}
