//! Disclosure of replies (办理结果公开, 郑政办〔2020〕27号 第二十条): “谁办理、谁答复、谁公开” —
//! the lead unit (or the office) publishes the reply in full or as a summary, from structured
//! fields only: subject, unit, class, date and the reply text, never the proposers' names,
//! contacts or the copy list. The text passes the personal-data check first ([`privacy`]):
//! anything found refuses publication with a message naming each finding (masked), unless the
//! publisher asks for it to be redacted. Items touching state secrets are withheld with the
//! reason recorded, and can then not be published. The public reads [`PublicReply`] only.

use super::privacy::{self, Known};
use super::{flag, input_error, item_ref, kind_label, made, source_label, unit_name};
use crate::cases::{Audience, Context, Effects, Notify};
use crate::{App, Result};
use luoshi_domain::Error;
use luoshi_rules::proposal::REPLY_CLASSES;
use luoshi_store::proposals::{self as pdb, DisclosureRow, ItemRow, PublicFilter, ReplyRow, Table};
use luoshi_store::Conn;
use serde::Serialize;

/// 全文公开 / 摘要公开 / 不予公开.
pub fn mode_label(mode: &str) -> &str {
    match mode {
        "full" => "全文公开",
        "summary" => "摘要公开",
        "withheld" => "不予公开",
        other => other,
    }
}

fn parse_mode(s: &str) -> Option<&'static str> {
    match s.trim() {
        "full" | "全文" | "全文公开" => Some("full"),
        "summary" | "摘要" | "摘要公开" => Some("summary"),
        _ => None,
    }
}

/// The reply that is published: the latest one sent (its formal city version when there is one).
fn published_reply(c: &mut dyn Conn, item: &ItemRow) -> Result<ReplyRow> {
    pdb::replies(c, item.id)?
        .into_iter()
        .rev()
        .find(|r| matches!(r.status.as_str(), "sent" | "formal_review" | "formal_sent"))
        .ok_or_else(|| Error::conflict("E_STATE", "此件还没有已发出的答复"))
}

fn current(c: &mut dyn Conn, item: &ItemRow) -> Result<Option<DisclosureRow>> {
    Ok(pdb::disclosures(c, item.id)?
        .into_iter()
        .rev()
        .find(|d| d.is_current))
}

fn class_meaning(class: &str) -> &'static str {
    REPLY_CLASSES
        .iter()
        .find(|(_, c, _)| *c == class)
        .map(|(_, _, m)| *m)
        .unwrap_or("")
}

/// What the personal-data check looks for besides patterns: the item's own proposers.
pub(crate) fn known(c: &mut dyn Conn, item: &ItemRow) -> Result<Known> {
    let proposers = pdb::proposers_of(c, &[item.id])?
        .remove(&item.id)
        .unwrap_or_default();
    Ok(Known {
        names: proposers.iter().map(|p| p.name.clone()).collect(),
        contacts: proposers.iter().map(|p| p.contact.clone()).collect(),
    })
}

fn row(item: &ItemRow, reply: Option<&ReplyRow>, unit_name: String, cx: &Context) -> DisclosureRow {
    DisclosureRow {
        id: 0,
        case_id: item.id,
        reply_id: reply.map(|r| r.id),
        mode: String::new(),
        reason: String::new(),
        secret: false,
        is_current: true,
        year: item.year,
        number: item.number.clone(),
        kind: item.kind.clone(),
        source: item.source.clone(),
        subject: item.subject.clone(),
        unit_id: reply.and_then(|r| r.unit_id.clone()),
        unit_name,
        class: reply.map(|r| r.class.clone()).unwrap_or_default(),
        reply_date: reply.and_then(|r| r.sent_date.clone()).unwrap_or_default(),
        text: String::new(),
        redactions: 0,
        by_user: cx.viewer.actor(),
        at: cx.at.to_string(),
    }
}

/// 第二十条: publish the reply in full or as a summary, after the personal-data check.
pub fn publish(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    if let Some(d) = current(c, item)? {
        if d.mode == "withheld" && d.secret {
            return Err(Error::conflict(
                "E_SECRET",
                format!(
                    "此件涉及国家秘密，依法不予公开（第二十条）。理由：{}",
                    d.reason
                ),
            ));
        }
    }
    let words = cx.input.text("mode").unwrap_or_default();
    let mode = parse_mode(&words)
        .ok_or_else(|| input_error(format!("公开方式“{words}”应为 全文 或 摘要")))?;
    let reply = published_reply(c, item)?;
    let text = match mode {
        "full" => reply
            .formal_text
            .clone()
            .filter(|_| reply.status == "formal_sent")
            .unwrap_or_else(|| reply.text.clone()),
        _ => cx
            .input
            .text("summary")
            .or_else(|| Some(reply.summary.clone()).filter(|s| !s.trim().is_empty()))
            .ok_or_else(|| input_error("摘要公开须填写答复摘要（第二十条）"))?,
    };
    let known = known(c, item)?;
    let in_text = privacy::scan(&text, &known);
    let in_subject = privacy::scan(&item.subject, &known);
    let clean = in_text.is_empty() && in_subject.is_empty();
    if !clean && !flag(cx.input, "redact") {
        let mut parts = Vec::new();
        if !in_subject.is_empty() {
            parts.push(format!("题目：{}", privacy::describe(&in_subject)));
        }
        if !in_text.is_empty() {
            parts.push(format!("答复：{}", privacy::describe(&in_text)));
        }
        return Err(Error::bad_input(
            "E_PERSONAL_DATA",
            format!(
                "未公开：{}中含有个人信息——{}。请修改后重新公开，或选择“自动隐去”后公开\
                 （第二十条：除代表委员姓名、联系方式和抄送范围等外，原则上全文公开）",
                if in_subject.is_empty() {
                    "答复"
                } else {
                    "题目或答复"
                },
                parts.join("；")
            ),
        ));
    }
    let published = privacy::redact(&text, &in_text);
    let subject = privacy::redact(&item.subject, &in_subject);
    if !privacy::scan(&published, &known).is_empty() || !privacy::scan(&subject, &known).is_empty()
    {
        return Err(Error::internal("隐去个人信息后仍检出个人信息，未公开"));
    }
    let name = unit_name(c, reply.unit_id.as_deref().unwrap_or_default())?;
    let redactions = (in_text.len() + in_subject.len()) as i64;
    let id = pdb::insert_disclosure(
        c,
        &DisclosureRow {
            mode: mode.into(),
            subject,
            text: published,
            redactions,
            ..row(item, Some(&reply), name, cx)
        },
    )?;
    made(fx, Table::Disclosures, id);
    fx.data.insert("mode".into(), mode.into());
    fx.data.insert("redactions".into(), redactions.into());
    fx.notify.push(Notify {
        to: Audience::Proposer,
        subject: format!("【答复已公开】{}", item_ref(item)),
        body: format!(
            "此件的答复已{}（不含您的姓名、联系方式和抄送范围，第二十条）。",
            mode_label(mode)
        ),
    });
    Ok(())
}

/// 第二十条: withhold, with the reason recorded (state secrets: 依法不予公开，并说明理由).
pub fn withhold(c: &mut dyn Conn, cx: &Context, item: &ItemRow, fx: &mut Effects) -> Result<()> {
    let reply = published_reply(c, item).ok();
    let name = match reply.as_ref().and_then(|r| r.unit_id.clone()) {
        Some(u) => unit_name(c, &u)?,
        None => String::new(),
    };
    let secret = flag(cx.input, "secret");
    let reason = cx.input.note.clone().unwrap_or_default();
    let id = pdb::insert_disclosure(
        c,
        &DisclosureRow {
            mode: "withheld".into(),
            reason: reason.clone(),
            secret,
            ..row(item, reply.as_ref(), name, cx)
        },
    )?;
    made(fx, Table::Disclosures, id);
    fx.data.insert("mode".into(), "withheld".into());
    fx.data.insert("secret".into(), secret.into());
    fx.notify.push(Notify {
        to: Audience::Office,
        subject: format!("【不予公开】{}", item_ref(item)),
        body: format!(
            "此件答复不予公开{}。理由：{reason}（第二十条）",
            if secret {
                "（涉及国家秘密）"
            } else {
                ""
            }
        ),
    });
    Ok(())
}

/// A published reply as the public reads it: structured fields only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicReply {
    /// The item's id (stable link).
    pub id: i64,
    pub year: i64,
    pub number: String,
    pub kind: String,
    pub kind_label: String,
    pub source_label: String,
    pub subject: String,
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub class: String,
    pub class_meaning: String,
    pub reply_date: String,
    pub mode: String,
    pub mode_label: String,
    pub text: String,
    pub published_at: String,
}

fn public(d: DisclosureRow) -> PublicReply {
    PublicReply {
        id: d.case_id,
        year: d.year,
        kind_label: kind_label(&d.kind).to_string(),
        source_label: source_label(&d.source).to_string(),
        class_meaning: class_meaning(&d.class).to_string(),
        mode_label: mode_label(&d.mode).to_string(),
        number: d.number,
        kind: d.kind,
        subject: d.subject,
        unit_id: d.unit_id,
        unit_name: d.unit_name,
        class: d.class,
        reply_date: d.reply_date,
        mode: d.mode,
        text: d.text,
        published_at: d.at,
    }
}

/// Published replies grouped by unit, for the public index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicUnit {
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub replies: usize,
}

impl App {
    /// Published replies (public), by unit and subject; cached until proposal data changes.
    pub fn public_replies(&self, f: &PublicFilter) -> Result<Vec<PublicReply>> {
        let stamp = self.proposals_stamp()?;
        let list = self
            .cache
            .get_or(&format!("proposals.public|{f:?}"), &stamp, || {
                self.store
                    .read(|c| pdb::published(c, f))
                    .map(|rows| rows.into_iter().map(public).collect::<Vec<_>>())
            })?;
        Ok(list.as_ref().clone())
    }

    /// One published reply (public); 404 when it is not published.
    pub fn public_reply(&self, id: i64) -> Result<PublicReply> {
        self.store
            .read(|c| pdb::published_one(c, id))?
            .map(public)
            .ok_or_else(|| Error::not_found(format!("已公开的建议提案答复（编号 {id}）")))
    }

    /// The units with published replies, with their counts.
    pub fn public_reply_units(&self, year: Option<i64>) -> Result<Vec<PublicUnit>> {
        let all = self.public_replies(&PublicFilter {
            year,
            ..PublicFilter::default()
        })?;
        let mut units: Vec<PublicUnit> = Vec::new();
        for r in all {
            match units.iter_mut().find(|u| u.unit_id == r.unit_id) {
                Some(u) => u.replies += 1,
                None => units.push(PublicUnit {
                    unit_id: r.unit_id,
                    unit_name: r.unit_name,
                    replies: 1,
                }),
            }
        }
        Ok(units)
    }
}
