//! Assignment and returns (交办与退转, 郑政办〔2020〕27号 第六条、第七条): the leader's
//! instruction first where the clause asks for it, assignment to one unit or a lead unit with
//! co-units (the first round's clocks start on the day of receipt), a unit's request to return
//! an item outside its remit within 15 days, and the office's decision. A unit never hands an
//! item on itself: the table gives no unit an action that names another unit.

use super::{current_round, date_field, dues, flag, input_error, item_ref, made, unit_name};
use crate::cases::units::{leader_owner, unit_list, unit_owner};
use crate::cases::{Audience, Context, Effects, Notify};
use crate::{App, Result};
use chrono::NaiveDate;
use luoshi_calendar::Convention;
use luoshi_domain::Error;
use luoshi_rules::common::Date;
use luoshi_rules::counting::Document;
use luoshi_rules::proposal::{self as rule, DeadlineInput};
use luoshi_store::cases::{self as cdb, CaseOwnerRow};
use luoshi_store::proposals::{self as pdb, ItemRow, ReturnRow, RoundRow, Table};
use luoshi_store::Conn;
use luoshi_store::OwnerRole;

/// Owners that stay when units change: the proposers and the leader in charge.
fn people(owners: &[CaseOwnerRow]) -> Vec<CaseOwnerRow> {
    owners
        .iter()
        .filter(|o| matches!(o.role, OwnerRole::Proposer | OwnerRole::Leader))
        .cloned()
        .collect()
}

/// Replace the leader in charge among `owners`.
pub(crate) fn with_leader(owners: &[CaseOwnerRow], leader: &str) -> Vec<CaseOwnerRow> {
    let mut out: Vec<CaseOwnerRow> = owners
        .iter()
        .filter(|o| o.role != OwnerRole::Leader)
        .cloned()
        .collect();
    out.push(leader_owner(leader));
    out
}

fn date_of(s: &str) -> Option<NaiveDate> {
    crate::cases::clocks::date(s)
}

/// 第六条: route an item to the leader in charge for instruction before assignment.
pub fn route_instruction(
    c: &mut dyn Conn,
    cx: &Context,
    item: &ItemRow,
    fx: &mut Effects,
) -> Result<()> {
    let leader = cx.input.text("leader").unwrap_or_default();
    cdb::set_owners(c, item.id, &with_leader(cx.owners, &leader))?;
    fx.data.insert("leader".into(), leader.clone().into());
    fx.notify.push(Notify {
        to: Audience::Leaders,
        subject: format!("【请阅批】{}", item_ref(item)),
        body: format!(
            "建议提案处提请您阅批后交办（郑政办〔2020〕27号 第六条：涉及改革、开放和经济发展全局\
             以及群众生活重大事项的问题，要提请政府分管领导阅批后交办）。\n{}\n\n{}",
            item_ref(item),
            item.text
        ),
    });
    Ok(())
}

/// 第六条: the leader's instruction.
pub fn instruct(cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let note = cx.input.note.clone().unwrap_or_default();
    fx.data.insert("instruction".into(), note.clone().into());
    fx.notify.push(Notify {
        to: Audience::Office,
        subject: format!("【领导已阅批】{}", item_ref(item)),
        body: format!("批示：{note}\n可按批示交办（第六条）。"),
    });
    Ok(())
}

/// 第六条: assign to one unit, or a lead unit with co-units; the round's clocks start on the
/// day of receipt (the 交办会).
pub fn assign(
    app: &App,
    c: &mut dyn Conn,
    cx: &Context,
    item: &ItemRow,
    fx: &mut Effects,
) -> Result<()> {
    if item.needs_instruction
        && !cdb::events(c, item.id)?
            .iter()
            .any(|e| e.action == "instruct")
    {
        return Err(Error::conflict(
            "E_INSTRUCTION_MISSING",
            "此件涉及改革、开放和经济发展全局或群众生活重大事项，须先提请政府分管领导阅批后交办\
             （郑政办〔2020〕27号 第六条）",
        ));
    }
    let leads = unit_list(c, cx.input.fields.get("lead_unit"), "主办单位")?;
    let [lead] = leads.as_slice() else {
        return Err(input_error(
            "主办单位应为一个；涉及多个部门的，由一个主要部门牵头，其余列为会办单位（第六条）",
        ));
    };
    let mut cos = unit_list(c, cx.input.fields.get("co_units"), "会办单位")?;
    cos.retain(|u| u.0 != lead.0);
    cos.dedup_by(|a, b| a.0 == b.0);
    let received = date_field(cx.input, "received_date", "接办日期")?.unwrap_or(cx.today);
    if received > cx.today {
        return Err(input_error(format!(
            "接办日期 {received} 晚于今天（{}）",
            cx.today
        )));
    }
    if date_of(&item.registered_at).is_some_and(|r| received < r) {
        return Err(input_error(format!(
            "接办日期 {received} 早于登记日期 {}",
            &item.registered_at[..10]
        )));
    }
    let d = dues::first_round(app, received)?;
    let previous = pdb::rounds(c, item.id)?;
    let n = previous.len() as i64 + 1;
    let co_ids: Vec<String> = cos.iter().map(|u| u.0.clone()).collect();
    let round_id = pdb::insert_round(
        c,
        &RoundRow {
            id: 0,
            case_id: item.id,
            round: n,
            reason: if previous.is_empty() {
                "assign".into()
            } else {
                "reassign".into()
            },
            note: cx.input.note.clone().unwrap_or_default(),
            lead_unit: Some(lead.0.clone()),
            co_units: co_ids.clone(),
            received_date: received.to_string(),
            return_due: Some(d.return_due.to_string()),
            return_explanation: d.return_text.clone(),
            reply_due: d.reply_due.to_string(),
            replied_date: None,
            outcome: None,
            closed_at: None,
            event_id: None,
        },
    )?;
    let mut owners = match cx.input.text("leader") {
        Some(l) => with_leader(&people(cx.owners), &l),
        None => people(cx.owners),
    };
    owners.push(unit_owner(OwnerRole::Lead, lead));
    owners.extend(cos.iter().map(|u| unit_owner(OwnerRole::Co, u)));
    cdb::set_owners(c, item.id, &owners)?;
    dues::start_reply_clock(c, item.id, n, d.reply_due, &d.reply_explanation, false)?;
    made(fx, Table::Rounds, round_id);
    fx.data.insert("round".into(), n.into());
    fx.data.insert("lead_unit".into(), lead.1.clone().into());
    fx.data.insert(
        "co_units".into(),
        cos.iter().map(|u| u.1.clone()).collect::<Vec<_>>().into(),
    );
    fx.data
        .insert("received_date".into(), received.to_string().into());
    fx.data
        .insert("return_due".into(), d.return_due.to_string().into());
    fx.data
        .insert("reply_due".into(), d.reply_due.to_string().into());
    let co_names: Vec<String> = cos.iter().map(|u| u.1.clone()).collect();
    let mut to = vec![lead.0.clone()];
    to.extend(co_ids);
    fx.notify.push(Notify {
        to: Audience::Units(to),
        subject: format!("【交办】{}", item_ref(item)),
        body: format!(
            "建议提案处将此件交由 {}{} 办理（郑政办〔2020〕27号 第六条）。\n接办日期：{received}\n\
             答复期限：{}（第十九条：原则上自接件之日起3个月内办理和答复完毕）\n\
             退转：不属于本单位职责的，请于 {} 前以公函向建议提案处说明理由（第七条）；逾期不说明、\
             不退回的，由本单位负责办理，不得自行交送其他单位承办。{}",
            lead.1,
            if co_names.is_empty() {
                String::new()
            } else {
                format!(" 主办，{} 会办", co_names.join("、"))
            },
            d.reply_due,
            d.return_due,
            if co_names.is_empty() {
                String::new()
            } else {
                "\n会办单位请在主办单位答复前送去会签意见。".into()
            }
        ),
    });
    fx.notify.push(Notify {
        to: Audience::Proposer,
        subject: format!("【已交办】{}", item_ref(item)),
        body: format!(
            "您提出的此件已交由 {} 办理，答复期限为 {}。",
            lead.1, d.reply_due
        ),
    });
    Ok(())
}

/// 第七条: a unit asks, within 15 days of receipt, to return an item outside its remit.
pub fn request_return(
    app: &App,
    c: &mut dyn Conn,
    cx: &Context,
    item: &ItemRow,
    fx: &mut Effects,
) -> Result<()> {
    let round = current_round(c, item.id)?
        .filter(|r| r.outcome.is_none())
        .ok_or_else(|| Error::conflict("E_STATE", "此件当前没有在办的轮次"))?;
    let unit = cx.relation.unit.clone().unwrap_or_default();
    let role = if cx.relation.lead {
        OwnerRole::Lead
    } else {
        OwnerRole::Co
    };
    let Some(return_due) = round.return_due.as_deref() else {
        return Err(Error::conflict(
            "E_RETURN_CLOSED",
            "重新办理的件由原承办单位继续办理，不能申请退回（郑政办〔2020〕27号 第七条、第十条）",
        ));
    };
    let received = date_of(&round.received_date)
        .ok_or_else(|| Error::internal(format!("轮次接办日期无效: {}", round.received_date)))?;
    let decision = rule::deadlines(
        &DeadlineInput {
            received_date: Date(received),
            return_requested_date: Some(Date(cx.today)),
            replied_date: None,
            delay_explained: false,
            as_of: Date(cx.today),
        },
        &app.calendar,
        Convention::default(),
        Document::Proposal27.default_reading(),
    )
    .map_err(|e| input_error(e.to_string()))?;
    if decision.return_in_time != Some(true) {
        return Err(Error::conflict(
            "E_RETURN_LATE",
            format!(
                "自接办之日（{received}）起十五日内（至 {return_due}）可以公函说明退转理由，现已逾期；\
                 此件由本单位负责办理，不得自行交送其他单位承办（郑政办〔2020〕27号 第七条）"
            ),
        ));
    }
    let mine: Vec<ReturnRow> = pdb::records(c, item.id)?
        .returns
        .into_iter()
        .filter(|r| r.round == round.round && r.unit_id.as_deref() == Some(unit.as_str()))
        .collect();
    if mine.iter().any(|r| r.status == "pending") {
        return Err(Error::conflict(
            "E_RETURN_PENDING",
            "本单位的退回申请正在等待建议提案处审核",
        ));
    }
    if let Some(r) = mine.iter().find(|r| r.status == "refused") {
        return Err(Error::conflict(
            "E_RETURN_REFUSED",
            format!(
                "建议提案处已不同意退回（{}），此件由本单位负责办理（第七条）",
                r.decision_note.clone().unwrap_or_default()
            ),
        ));
    }
    let reason = cx.input.note.clone().unwrap_or_default();
    let id = pdb::insert_return(
        c,
        &ReturnRow {
            id: 0,
            case_id: item.id,
            round: round.round,
            unit_id: Some(unit.clone()),
            role,
            requested_date: cx.today.to_string(),
            reason: reason.clone(),
            status: "pending".into(),
            decided_by: None,
            decided_at: None,
            decision_note: None,
        },
        None,
    )?;
    made(fx, Table::Returns, id);
    fx.data.insert("return_id".into(), id.into());
    fx.data.insert("role".into(), role.as_str().into());
    fx.data.insert("return_due".into(), return_due.into());
    if role == OwnerRole::Lead {
        fx.to_state = Some("return_requested");
    }
    let name = unit_name(c, &unit)?;
    fx.notify.push(Notify {
        to: Audience::Office,
        subject: format!("【申请退回】{name}：{}", item_ref(item)),
        body: format!(
            "{name}（{}）申请退回此件。理由：{reason}\n接办日期 {received}，十五日内说明的期限至 \
             {return_due}，本申请于 {} 提出，在期限内（第七条）。请审核。",
            if role == OwnerRole::Lead {
                "主办单位"
            } else {
                "会办单位"
            },
            cx.today
        ),
    });
    Ok(())
}

/// 第七条: the office approves (the item comes back to it, or the co-unit leaves) or refuses
/// (the unit keeps the item).
pub fn decide_return(
    c: &mut dyn Conn,
    cx: &Context,
    item: &ItemRow,
    approve: bool,
    fx: &mut Effects,
) -> Result<()> {
    let pending: Vec<ReturnRow> = pdb::records(c, item.id)?
        .returns
        .into_iter()
        .filter(|r| r.status == "pending")
        .collect();
    let chosen = match cx.input.int("return_id")? {
        Some(id) => pending.into_iter().find(|r| r.id == id),
        None if pending.len() == 1 => pending.into_iter().next(),
        None if pending.is_empty() => None,
        None => {
            return Err(input_error(
                "有多个待审的退回申请，请选择要审核的一个（return_id）",
            ))
        }
    };
    let r = chosen.ok_or_else(|| Error::conflict("E_STATE", "此件没有待审的退回申请"))?;
    let note = cx.input.note.clone();
    if !pdb::decide_return(
        c,
        r.id,
        if approve { "approved" } else { "refused" },
        &cx.viewer.actor(),
        cx.at,
        note.as_deref(),
    )? {
        return Err(super::taken("该退回申请"));
    }
    let unit = r.unit_id.clone().unwrap_or_default();
    let name = unit_name(c, &unit)?;
    if approve {
        if r.role == OwnerRole::Lead {
            pdb::close_round(c, item.id, r.round, "returned", cx.at)?;
            cdb::stop_clocks(c, item.id, cx.at)?;
            cdb::set_owners(c, item.id, &people(cx.owners))?;
            fx.to_state = Some("returned");
        } else {
            let owners: Vec<CaseOwnerRow> = cx
                .owners
                .iter()
                .filter(|o| {
                    !(o.role == OwnerRole::Co && o.unit_id.as_deref() == Some(unit.as_str()))
                })
                .cloned()
                .collect();
            cdb::set_owners(c, item.id, &owners)?;
        }
    } else if r.role == OwnerRole::Lead {
        fx.to_state = Some("assigned");
    }
    fx.data.insert("return_id".into(), r.id.into());
    fx.data.insert("unit".into(), name.clone().into());
    fx.data.insert(
        "decision".into(),
        if approve { "approved" } else { "refused" }.into(),
    );
    fx.notify.push(Notify {
        to: Audience::Units(vec![unit]),
        subject: format!(
            "【{}】{}",
            if approve {
                "同意退回"
            } else {
                "不同意退回"
            },
            item_ref(item)
        ),
        body: if approve {
            format!(
                "建议提案处同意 {name} 退回此件{}。{}",
                if r.role == OwnerRole::Lead {
                    "，将重新交办"
                } else {
                    "，贵单位不再会办"
                },
                note.unwrap_or_default()
            )
        } else {
            format!(
                "建议提案处不同意退回，此件由 {name} 负责办理（第七条）。意见：{}",
                note.unwrap_or_default()
            )
        },
    });
    Ok(())
}

/// Correct what registration recorded; the history row keeps both versions.
pub fn amend(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let subject = cx
        .input
        .text("subject")
        .unwrap_or_else(|| item.subject.clone());
    let text = cx.input.text("text").unwrap_or_else(|| item.text.clone());
    let key = if cx.input.fields.contains_key("key_item") {
        flag(cx.input, "key_item")
    } else {
        item.key_item
    };
    let instruction = if cx.input.fields.contains_key("needs_instruction") {
        flag(cx.input, "needs_instruction")
    } else {
        item.needs_instruction
    };
    if subject.chars().count() > super::register::MAX_SUBJECT {
        return Err(input_error(format!(
            "题目不超过 {} 个字",
            super::register::MAX_SUBJECT
        )));
    }
    let before = serde_json::json!({
        "subject": item.subject, "text": item.text, "key_item": item.key_item,
        "needs_instruction": item.needs_instruction,
    });
    let after = serde_json::json!({
        "subject": subject, "text": text, "key_item": key, "needs_instruction": instruction,
    });
    if before == after {
        return Err(input_error("没有需要更正的内容"));
    }
    pdb::amend_item(c, item.id, &subject, &text, key, instruction)?;
    fx.data.insert("before".into(), before);
    fx.data.insert("after".into(), after);
    Ok(())
}
