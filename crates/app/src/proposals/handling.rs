//! Handling and answering (办理与答复, 郑政办〔2020〕27号 第九条至第十九条): co-units' opinions
//! (会签), meetings with the proposer (见面沟通), written explanations of delay (第十九条), the
//! reply classed A–D with the feedback form (第十条、第十一条), its review by the unit's leader
//! and, for several departments, the vice-mayor (第九条), feedback, the formal city reply for
//! province items, redo with a new limit (第十条、第十八条) and closing. Every reply and every
//! round is kept: a redo adds, it never overwrites.

use super::{current_round, date_field, dues, input_error, item_ref, made, unit_name};
use crate::cases::{Audience, Context, Effects, Notify, Party};
use crate::{App, Result};
use luoshi_domain::Error;
use luoshi_rules::proposal::{self as rule, ClassInput, Outcome, Satisfaction, Source};
use luoshi_store::cases::{self as cdb};
use luoshi_store::proposals::{
    self as pdb, CosignRow, DelayRow, FeedbackRow, ItemRow, MeetingRow, ReplyReview, ReplyRow,
    RoundRow, Table,
};
use luoshi_store::Conn;
use luoshi_store::OwnerRole;

/// The forms of meeting that count as 见面沟通 (face to face).
pub const MEETING_FORMS: [&str; 4] = ["当面沟通", "座谈会", "实地察看", "登门走访"];

fn open_round(c: &mut dyn Conn, item: &ItemRow) -> Result<RoundRow> {
    current_round(c, item.id)?
        .filter(|r| r.outcome.is_none())
        .ok_or_else(|| Error::conflict("E_STATE", "此件当前没有在办的轮次"))
}

fn latest_round(c: &mut dyn Conn, item: &ItemRow) -> Result<RoundRow> {
    current_round(c, item.id)?.ok_or_else(|| Error::conflict("E_STATE", "此件尚未交办（第六条）"))
}

fn source(item: &ItemRow) -> Result<Source> {
    Source::parse(&item.source)
        .ok_or_else(|| Error::internal(format!("未知的来源 {}", item.source)))
}

/// The latest reply of the item in one of `statuses`.
fn latest_reply(c: &mut dyn Conn, item: &ItemRow, statuses: &[&str]) -> Result<ReplyRow> {
    pdb::replies(c, item.id)?
        .into_iter()
        .rev()
        .find(|r| statuses.contains(&r.status.as_str()))
        .ok_or_else(|| Error::conflict("E_STATE", "此件没有处于该环节的答复"))
}

/// 会签: a co-unit sends its opinion to the lead unit.
pub fn cosign(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let round = open_round(c, item)?;
    let unit = cx.relation.unit.clone();
    let opinion = cx.input.text("opinion").unwrap_or_default();
    let id = pdb::insert_cosign(
        c,
        &CosignRow {
            id: 0,
            case_id: item.id,
            round: round.round,
            unit_id: unit.clone(),
            opinion: opinion.clone(),
            by_user: cx.viewer.actor(),
            at: cx.at.to_string(),
        },
        None,
    )?;
    made(fx, Table::Cosigns, id);
    fx.data.insert("round".into(), round.round.into());
    let name = unit_name(c, unit.as_deref().unwrap_or_default())?;
    fx.notify.push(Notify {
        to: Audience::LeadUnits,
        subject: format!("【会签意见】{name}：{}", item_ref(item)),
        body: format!("{name}送来会签意见：\n{opinion}"),
    });
    Ok(())
}

/// 见面沟通 (第十四条、第十五条、第十六条（二）).
pub fn record_meeting(
    c: &mut dyn Conn,
    cx: &Context,
    item: &ItemRow,
    fx: &mut Effects,
) -> Result<()> {
    let round = latest_round(c, item)?;
    let met = date_field(cx.input, "met_date", "沟通日期")?
        .ok_or_else(|| input_error("请填写沟通日期"))?;
    if met > cx.today {
        return Err(input_error(format!("沟通日期 {met} 晚于今天")));
    }
    let first = pdb::rounds(c, item.id)?
        .first()
        .map(|r| r.received_date.clone())
        .unwrap_or_default();
    if met.to_string() < first {
        return Err(input_error(format!("沟通日期 {met} 早于接办日期 {first}")));
    }
    let form = cx.input.text("form").unwrap_or_default();
    if !MEETING_FORMS.contains(&form.as_str()) {
        return Err(input_error(format!(
            "沟通方式“{form}”不是见面沟通，应为 {} 之一（第十四条：面对面地沟通）",
            MEETING_FORMS.join("、")
        )));
    }
    let id = pdb::insert_meeting(
        c,
        &MeetingRow {
            id: 0,
            case_id: item.id,
            round: round.round,
            unit_id: cx.relation.unit.clone(),
            met_date: met.to_string(),
            form,
            summary: cx.input.text("summary").unwrap_or_default(),
            by_user: cx.viewer.actor(),
            at: cx.at.to_string(),
        },
        None,
    )?;
    made(fx, Table::Meetings, id);
    fx.data.insert("met_date".into(), met.to_string().into());
    Ok(())
}

/// 第十九条: a written explanation of delay, to the proposer and to the office.
pub fn explain_delay(
    c: &mut dyn Conn,
    cx: &Context,
    item: &ItemRow,
    fx: &mut Effects,
) -> Result<()> {
    let round = open_round(c, item)?;
    let expected = date_field(cx.input, "expected_date", "预计办结日期")?;
    if let Some(e) = expected {
        if e <= cx.today {
            return Err(input_error(format!("预计办结日期 {e} 应晚于今天")));
        }
    }
    let difficulties = cx.input.text("difficulties").unwrap_or_default();
    let measures = cx.input.text("measures").unwrap_or_default();
    let id = pdb::insert_delay(
        c,
        &DelayRow {
            id: 0,
            case_id: item.id,
            round: round.round,
            unit_id: cx.relation.unit.clone(),
            explained_date: cx.today.to_string(),
            difficulties: difficulties.clone(),
            measures: measures.clone(),
            expected_date: expected.map(|d| d.to_string()),
            by_user: cx.viewer.actor(),
            at: cx.at.to_string(),
        },
        None,
    )?;
    made(fx, Table::Delays, id);
    let name = unit_name(c, round.lead_unit.as_deref().unwrap_or_default())?;
    let body = format!(
        "{name}就此件书面说明：在规定时间（{}）内确实不能办完。\n遇到的困难：{difficulties}\n\
         采取的措施：{measures}{}\n（郑政办〔2020〕27号 第十九条）",
        round.reply_due,
        expected
            .map(|e| format!("\n预计办结：{e}"))
            .unwrap_or_default()
    );
    for to in [Audience::Proposer, Audience::Office] {
        fx.notify.push(Notify {
            to,
            subject: format!("【延期说明】{}", item_ref(item)),
            body: body.clone(),
        });
    }
    Ok(())
}

/// 第十条、第十一条: the lead unit submits its reply, classed A–D, for review.
pub fn reply(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let round = open_round(c, item)?;
    // 会签: every co-unit still on the item has sent its opinion in this round.
    let signed: Vec<String> = pdb::records(c, item.id)?
        .cosigns
        .into_iter()
        .filter(|s| s.round == round.round)
        .filter_map(|s| s.unit_id)
        .collect();
    let missing: Vec<String> = cx
        .owners
        .iter()
        .filter(|o| o.role == OwnerRole::Co)
        .filter(|o| o.unit_id.as_ref().is_some_and(|u| !signed.contains(u)))
        .map(|o| o.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(Error::conflict(
            "E_COSIGN_MISSING",
            format!(
                "会办单位尚未送来会签意见：{}（第六条：会同有关部门办理，会办单位积极配合）",
                missing.join("、")
            ),
        ));
    }
    let class = cx.input.text("class").unwrap_or_default().to_uppercase();
    if !matches!(class.as_str(), "A" | "B" | "C" | "D") {
        return Err(input_error(format!(
            "答复类别“{class}”应为 A、B、C、D 之一（第十条）"
        )));
    }
    let meaning = match cx.input.text("outcome") {
        Some(words) => {
            let outcome: Outcome =
                serde_json::from_value(serde_json::Value::from(words.clone()))
                    .map_err(|_| input_error(format!("办理结果“{words}”不在第十条所列之中")))?;
            let decided = rule::reply_class(&ClassInput { outcome })
                .map_err(|e| input_error(e.to_string()))?;
            if decided.class != class {
                return Err(input_error(format!(
                    "办理结果“{words}”应标明“{}”类，而不是“{class}”类（第十条）",
                    decided.class
                )));
            }
            words
        }
        None => rule::REPLY_CLASSES
            .iter()
            .find(|(_, c, _)| *c == class)
            .map(|(_, _, m)| m.to_string())
            .unwrap_or_default(),
    };
    let copies = rule::reply_copies(source(item)?);
    let id = pdb::insert_reply(
        c,
        &ReplyRow {
            id: 0,
            case_id: item.id,
            round: round.round,
            unit_id: round.lead_unit.clone(),
            class: class.clone(),
            outcome: meaning,
            text: cx.input.text("text").unwrap_or_default(),
            summary: cx.input.text("summary").unwrap_or_default(),
            signer: cx.input.text("signer").unwrap_or_default(),
            contact_person: cx.input.text("contact_person").unwrap_or_default(),
            contact_phone: cx.input.text("contact_phone").unwrap_or_default(),
            copies: copies.recipients.iter().map(|s| s.to_string()).collect(),
            letter_no: cx.input.text("letter_no").unwrap_or_default(),
            status: "review".into(),
            drafted_by: cx.viewer.actor(),
            drafted_at: cx.at.to_string(),
            approved_by: None,
            approved_at: None,
            leader_by: None,
            leader_at: None,
            sent_date: None,
            formal_text: None,
            formal_by: None,
            formal_at: None,
            review_note: None,
            event_id: None,
        },
    )?;
    made(fx, Table::Replies, id);
    fx.data.insert("reply_id".into(), id.into());
    fx.data.insert("class".into(), class.clone().into());
    fx.data.insert("round".into(), round.round.into());
    fx.notify.push(Notify {
        to: Audience::LeadUnits,
        subject: format!("【答复待审查】{}", item_ref(item)),
        body: format!("答复（{class}类）已起草，请本单位分管领导审查（第九条）。"),
    });
    Ok(())
}

/// The reviewer sends a draft back: the unit revises (or, for a formal reply, the office).
pub fn send_back(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let state = cx.case.state.as_str();
    check_reviewer(cx, state)?;
    let r = latest_reply(c, item, &["review", "leader_review", "formal_review"])?;
    let (status, to) = if state == "formal_review" {
        ("sent", "evaluated")
    } else {
        ("sent_back", "assigned")
    };
    let note = cx.input.note.clone().unwrap_or_default();
    if !pdb::review_reply(
        c,
        r.id,
        &r.status,
        &ReplyReview {
            status,
            note: Some(&note),
            ..ReplyReview::default()
        },
    )? {
        return Err(super::taken("该答复"));
    }
    fx.to_state = Some(to);
    fx.data.insert("reply_id".into(), r.id.into());
    fx.notify.push(Notify {
        to: if state == "formal_review" {
            Audience::Office
        } else {
            Audience::LeadUnits
        },
        subject: format!("【退回修改】{}", item_ref(item)),
        body: format!("答复被退回修改。意见：{note}"),
    });
    Ok(())
}

/// Who reviews in each state (第九条): the unit's leader first, the vice-mayor after.
fn check_reviewer(cx: &Context, state: &str) -> Result<()> {
    let (party, who) = match state {
        "reply_review" => (Party::LeadUnit, "主办单位分管领导"),
        _ => (Party::Leader, "分管副市长"),
    };
    if cx.relation.is(party) {
        Ok(())
    } else {
        Err(Error::forbidden(format!(
            "此环节由{who}审核（郑政办〔2020〕27号 第九条）"
        )))
    }
}

/// 第九条、第十条: review and sign off. The unit's leader reviews every reply (not the person
/// who drafted it); a reply with co-units then goes to the vice-mayor in charge; a formal
/// city reply to a province item is signed off by the vice-mayor.
pub fn approve(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let state = cx.case.state.as_str();
    check_reviewer(cx, state)?;
    let actor = cx.viewer.actor();
    let has_leader = cx.owners.iter().any(|o| o.role == OwnerRole::Leader);
    let today = cx.today.to_string();
    let (r, review, to) = match state {
        "reply_review" => {
            let r = latest_reply(c, item, &["review"])?;
            if r.drafted_by == actor {
                return Err(Error::conflict(
                    "E_SAME_PERSON",
                    "答复须经本单位分管领导审查，起草人不能审查自己起草的答复（郑政办〔2020〕27号 第九条）",
                ));
            }
            let several = cx.owners.iter().any(|o| o.role == OwnerRole::Co);
            if several {
                if !has_leader {
                    return Err(Error::conflict(
                        "E_NO_LEADER",
                        "此件涉及多个部门，答复须由牵头部门分管副市长审核；请建议提案处先指定分管副市长\
                         （第九条）",
                    ));
                }
                (
                    r,
                    ReplyReview {
                        status: "leader_review",
                        step: Some("approved"),
                        ..ReplyReview::default()
                    },
                    "leader_review",
                )
            } else {
                (
                    r,
                    ReplyReview {
                        status: "sent",
                        step: Some("approved"),
                        sent_date: Some(&today),
                        ..ReplyReview::default()
                    },
                    "replied",
                )
            }
        }
        "leader_review" => (
            latest_reply(c, item, &["leader_review"])?,
            ReplyReview {
                status: "sent",
                step: Some("leader"),
                sent_date: Some(&today),
                ..ReplyReview::default()
            },
            "replied",
        ),
        _ => (
            latest_reply(c, item, &["formal_review"])?,
            ReplyReview {
                status: "formal_sent",
                step: Some("formal"),
                ..ReplyReview::default()
            },
            "formal_replied",
        ),
    };
    let review = ReplyReview {
        by: &actor,
        at: cx.at,
        note: cx.input.note.as_deref(),
        ..review
    };
    if !pdb::review_reply(c, r.id, &r.status, &review)? {
        return Err(super::taken("该答复"));
    }
    fx.to_state = Some(to);
    fx.data.insert("reply_id".into(), r.id.into());
    fx.data
        .insert("step".into(), review.step.unwrap_or_default().into());
    match to {
        "leader_review" => fx.notify.push(Notify {
            to: Audience::Leaders,
            subject: format!("【答复待审核】{}", item_ref(item)),
            body: format!(
                "此件涉及多个部门，牵头部门已提出答复意见（{}类），请审核（郑政办〔2020〕27号 第九条）。",
                r.class
            ),
        }),
        "replied" => {
            pdb::set_round_replied(c, item.id, r.round, &today)?;
            pdb::close_round(c, item.id, r.round, "replied", cx.at)?;
            cdb::satisfy_clock(
                c,
                item.id,
                &dues::reply_clock_key(r.round),
                &format!("reply:{}", r.id),
                cx.at,
            )?;
            fx.notify.push(Notify {
                to: Audience::Proposer,
                subject: format!("【答复】{}", item_ref(item)),
                body: format!(
                    "承办单位已函复此件（{}类：{}）。请在“我的建议提案”中查看答复，并填写征求意见表\
                     （第十一条）。",
                    r.class, r.outcome
                ),
            });
            fx.notify.push(Notify {
                to: Audience::Office,
                subject: format!("【已答复】{}", item_ref(item)),
                body: format!(
                    "{}类，抄报：{}（第十条）",
                    r.class,
                    r.copies.join("、")
                ),
            });
        }
        _ => fx.notify.push(Notify {
            to: Audience::Proposer,
            subject: format!("【市政府正式答复】{}", item_ref(item)),
            body: "此件已形成市政府正式文件答复，经分管副市长审核签发（第九条、第十条）。".into(),
        }),
    }
    Ok(())
}

/// 第十一条: the proposer's rating (or the office entering the paper form).
pub fn feedback(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let r = latest_reply(c, item, &["sent"])?;
    let words = cx.input.text("rating").unwrap_or_default();
    let rating = Satisfaction::parse(&words)
        .ok_or_else(|| input_error(format!("满意程度“{words}”应为 满意、基本满意 或 不满意")))?;
    let comment = cx.input.text("comment").unwrap_or_default();
    if rating == Satisfaction::Dissatisfied && comment.is_empty() {
        return Err(input_error("请写明不满意的意见，以便承办单位重新办理"));
    }
    let proposers = pdb::proposers_of(c, &[item.id])?
        .remove(&item.id)
        .unwrap_or_default();
    let user_id = cx.viewer.user().map(|u| u.id);
    let (channel, proposer_id) = if cx.relation.proposer {
        (
            "online",
            proposers
                .iter()
                .find(|p| p.user_id.is_some() && p.user_id == user_id)
                .map(|p| p.id),
        )
    } else {
        let chosen = cx.input.int("proposer_id")?;
        if let Some(id) = chosen {
            if !proposers.iter().any(|p| p.id == id) {
                return Err(input_error("所选提出人不是此件的提出人"));
            }
        }
        ("paper", chosen.or_else(|| proposers.first().map(|p| p.id)))
    };
    let id = pdb::insert_feedback(
        c,
        &FeedbackRow {
            id: 0,
            case_id: item.id,
            round: r.round,
            reply_id: Some(r.id),
            proposer_id,
            rating: rating.as_str().into(),
            comment: comment.clone(),
            channel: channel.into(),
            by_user: cx.viewer.actor(),
            at: cx.at.to_string(),
        },
        None,
    )?;
    made(fx, Table::Feedback, id);
    fx.data.insert("rating".into(), rating.as_str().into());
    fx.data.insert("channel".into(), channel.into());
    fx.to_state = Some(if rating == Satisfaction::Dissatisfied {
        "dissatisfied"
    } else {
        "evaluated"
    });
    let body = format!(
        "反馈：{}{}{}",
        rating.label(),
        if comment.is_empty() {
            String::new()
        } else {
            format!("。意见：{comment}")
        },
        if channel == "paper" {
            "（建议提案处据纸质征求意见表录入）"
        } else {
            ""
        }
    );
    for to in [Audience::LeadUnits, Audience::Office] {
        fx.notify.push(Notify {
            to,
            subject: format!("【反馈：{}】{}", rating.label(), item_ref(item)),
            body: body.clone(),
        });
    }
    if rating != Satisfaction::Dissatisfied {
        // 第九条: 办结且代表委员满意的建议提案材料，均要上报分管的副市长阅示.
        fx.notify.push(Notify {
            to: Audience::Leaders,
            subject: format!("【请阅示】{}", item_ref(item)),
            body: format!("此件已办结，代表委员{}（第九条）。", rating.label()),
        });
    }
    Ok(())
}

/// 第九条、第十条: for a province item, once the proposer is satisfied, the office compiles the
/// formal city-government reply for the vice-mayor to sign off.
pub fn compile_formal(
    c: &mut dyn Conn,
    cx: &Context,
    item: &ItemRow,
    fx: &mut Effects,
) -> Result<()> {
    if !source(item)?.province_assigned() {
        return Err(Error::conflict(
            "E_NOT_PROVINCE",
            "只有省政府办公厅交办的建议提案才形成市政府正式文件答复（第九条、第十条）",
        ));
    }
    if item.satisfaction.as_deref() == Some("dissatisfied") {
        return Err(Error::conflict(
            "E_STATE",
            "代表委员满意后才能形成正式答复（第九条）",
        ));
    }
    if let Some(l) = cx.input.text("leader") {
        cdb::set_owners(c, item.id, &super::assignment::with_leader(cx.owners, &l))?;
    } else if !cx.owners.iter().any(|o| o.role == OwnerRole::Leader) {
        return Err(Error::conflict(
            "E_NO_LEADER",
            "正式答复须经分管副市长审核签发，请填写分管副市长（第九条）",
        ));
    }
    let r = latest_reply(c, item, &["sent"])?;
    let text = cx.input.text("formal_text").unwrap_or_default();
    let letter = cx.input.text("letter_no");
    if !pdb::review_reply(
        c,
        r.id,
        "sent",
        &ReplyReview {
            status: "formal_review",
            formal_text: Some(&text),
            letter_no: letter.as_deref(),
            ..ReplyReview::default()
        },
    )? {
        return Err(super::taken("该答复"));
    }
    fx.data.insert("reply_id".into(), r.id.into());
    fx.notify.push(Notify {
        to: Audience::Leaders,
        subject: format!("【正式答复待签发】{}", item_ref(item)),
        body: format!(
            "建议提案处已整理形成市政府正式文件答复，请审核签发（第九条）。抄报：{}（第十条）",
            rule::reply_copies(source(item)?).recipients.join("、")
        ),
    });
    Ok(())
}

/// 第十条、第十八条: back for redo with a new limit, in a new round; the earlier reply stays.
pub fn redo(
    app: &App,
    c: &mut dyn Conn,
    cx: &Context,
    item: &ItemRow,
    fx: &mut Effects,
) -> Result<()> {
    let due = date_field(cx.input, "due", "重新答复期限")?
        .ok_or_else(|| input_error("请填写重新答复期限"))?;
    if due <= cx.today {
        return Err(input_error(format!(
            "重新答复期限 {due} 应晚于今天（{}）",
            cx.today
        )));
    }
    let last = latest_round(c, item)?;
    let basis = if cx.case.state == "dissatisfied" {
        "人大代表、政协委员还有意见而被退回的建议、提案（第十条）"
    } else {
        "建议提案处逐件检查，不符合办理承办质量要求的，退回承办机关重新办理和答复（第十八条）"
    };
    let n = last.round + 1;
    let co_units: Vec<String> = cx
        .owners
        .iter()
        .filter(|o| o.role == OwnerRole::Co)
        .filter_map(|o| o.unit_id.clone())
        .collect();
    let round_id = pdb::insert_round(
        c,
        &RoundRow {
            id: 0,
            case_id: item.id,
            round: n,
            reason: "redo".into(),
            note: cx.input.note.clone().unwrap_or_default(),
            lead_unit: last.lead_unit.clone(),
            co_units,
            received_date: cx.today.to_string(),
            return_due: None,
            return_explanation: String::new(),
            reply_due: due.to_string(),
            replied_date: None,
            outcome: None,
            closed_at: None,
            event_id: None,
        },
    )?;
    let explanation = dues::redo_explanation(app, due, cx.today, basis);
    dues::start_reply_clock(c, item.id, n, due, &explanation, true)?;
    made(fx, Table::Rounds, round_id);
    fx.data.insert("round".into(), n.into());
    fx.data.insert("due".into(), due.to_string().into());
    fx.data.insert("basis".into(), basis.into());
    let body = format!(
        "此件退回重新办理（第{n}轮），请于 {due} 前重新办理后再次作出函复。\n依据：{basis}\n意见：{}",
        cx.input.note.clone().unwrap_or_default()
    );
    for to in [Audience::LeadUnits, Audience::CoUnits, Audience::Proposer] {
        fx.notify.push(Notify {
            to,
            subject: format!("【重新办理】{}", item_ref(item)),
            body: body.clone(),
        });
    }
    Ok(())
}

/// Close the item (办结). A province item needs its formal reply first; closing without
/// satisfactory feedback needs the office's reason.
pub fn close(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let state = cx.case.state.as_str();
    if source(item)?.province_assigned() && state != "formal_replied" {
        return Err(Error::conflict(
            "E_FORMAL_MISSING",
            "省政府办公厅交办件须先形成市政府正式文件答复，经分管副市长签发后办结（第九条、第十条）",
        ));
    }
    if matches!(state, "replied" | "dissatisfied") && cx.input.note.is_none() {
        return Err(input_error("此件尚无满意或基本满意的反馈，办结须写明理由"));
    }
    cdb::stop_clocks(c, item.id, cx.at)?;
    fx.notify.push(Notify {
        to: Audience::Proposer,
        subject: format!("【办结】{}", item_ref(item)),
        body: format!("此件已办结。{}", cx.input.note.clone().unwrap_or_default()),
    });
    Ok(())
}
