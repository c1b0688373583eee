//! Due dates of a handling round (办理时限), each explaining itself: the return window of
//! 第七条 (自接办之日起十五日内) and the reply limit of 第十九条 (原则上自接件之日起3个月内), computed
//! by the rules crate on the working-day calendar; and a redo's limit set by the office
//! (第十条、第十八条), checked against the calendar.

use crate::{App, Result};
use chrono::NaiveDate;
use luoshi_calendar::Convention;
use luoshi_domain::Error;
use luoshi_rules::common::Date;
use luoshi_rules::counting::Document;
use luoshi_rules::proposal::{self as rule, DeadlineInput};
use luoshi_store::cases::{self as cdb, NewClock};
use luoshi_store::Conn;

/// The clause of the reply limit.
pub const REPLY_CLAUSE: &str = "郑政办〔2020〕27号 第十九条";
/// The clause of the return window.
pub const RETURN_CLAUSE: &str = "郑政办〔2020〕27号 第七条";
/// The clauses a redo's limit rests on.
pub const REDO_CLAUSE: &str = "郑政办〔2020〕27号 第十条、第十八条";

/// The two due dates of a first handling round, with their explanations.
#[derive(Debug, Clone)]
pub struct RoundDues {
    pub return_due: NaiveDate,
    pub return_text: String,
    pub reply_due: NaiveDate,
    /// The clock's stored explanation (the deadline as JSON and its text).
    pub reply_explanation: serde_json::Value,
}

fn rule_error(e: luoshi_rules::RuleError) -> Error {
    Error::bad_input(
        match e.code() {
            "E_FIELD_VALUE" => "E_INPUT",
            other => other,
        },
        format!("无法计算办理时限：{e}"),
    )
}

/// The return window and reply limit of a round received on `received`.
pub fn first_round(app: &App, received: NaiveDate) -> Result<RoundDues> {
    let reading = Document::Proposal27.default_reading();
    let d = rule::deadlines(
        &DeadlineInput {
            received_date: Date(received),
            return_requested_date: None,
            replied_date: None,
            delay_explained: false,
            as_of: Date(received),
        },
        &app.calendar,
        Convention::default(),
        reading,
    )
    .map_err(rule_error)?;
    let counting = format!(
        "计数用语：“十五日内”“3个月内”含届满之日（{}）",
        d.counting.citation
    );
    let return_text = format!(
        "依据 {RETURN_CLAUSE}：不属于本单位职责的，应自接办之日起十五日内以公函说明退转理由；\
         逾期不说明、不退回的，由接办单位负责办理，不得自行交送其他单位。\n{}\n{counting}",
        d.return_deadline_explanation
    );
    let reply_explanation = crate::cases::clocks::explanation(
        &d.reply_deadline,
        &[
            format!(
                "依据 {REPLY_CLAUSE}：原则上应在自接件之日起3个月内办理和答复完毕；确实不能办完的，\
                 应书面向代表委员说明并函告建议提案处。"
            ),
            counting,
        ],
    );
    Ok(RoundDues {
        return_due: d.return_due_date.0,
        return_text,
        reply_due: d.reply_due_date.0,
        reply_explanation,
    })
}

/// The explanation of a redo limit the office set, with a warning when it falls on a rest day.
pub fn redo_explanation(
    app: &App,
    due: NaiveDate,
    today: NaiveDate,
    basis: &str,
) -> serde_json::Value {
    let rest = app
        .calendar
        .status(due)
        .ok()
        .filter(|s| !s.is_working())
        .map(|s| format!("\n注意：{due} 为{}。", s.reason()))
        .unwrap_or_default();
    serde_json::json!({
        "set_by": "office",
        "start": today.to_string(),
        "due": due.to_string(),
        "text": format!(
            "规则：建议提案处确定的重新办理期限（依据 {REDO_CLAUSE}：{basis}，承办单位要认真研究，\
             重新办理后再次作出函复）\n起算：{today}（退回重新办理之日）\n到期：{due} 当日结束前{rest}"
        ),
    })
}

/// The key of a round's reply clock.
pub fn reply_clock_key(round: i64) -> String {
    format!("reply:{round}")
}

/// Start a round's reply clock.
pub fn start_reply_clock(
    c: &mut dyn Conn,
    case_id: i64,
    round: i64,
    due: NaiveDate,
    explanation: &serde_json::Value,
    redo: bool,
) -> Result<()> {
    let key = reply_clock_key(round);
    cdb::insert_clock(
        c,
        &NewClock {
            case_id,
            key: &key,
            kind: "reply",
            label: &if redo {
                format!("重新办理答复（第{round}轮）")
            } else {
                format!("办理答复（第{round}轮）")
            },
            due_date: &due.to_string(),
            due_time: None,
            explanation,
            source: if redo {
                "重新办理后再次作出函复"
            } else {
                "原则上应在自接件之日起3个月内办理和答复完毕"
            },
            cites: if redo { REDO_CLAUSE } else { REPLY_CLAUSE },
        },
    )?;
    Ok(())
}
