//! Notifications (通知): queued as outbox rows in the transaction that causes them, delivered
//! by a worker — in-app notices, e-mail over SMTP (`lettre`), webhooks — retried with
//! back-off, every try recorded.
//!
//! Delivery is at-least-once in one narrow case: a worker that crashes after the SMTP server
//! accepted a message but before recording it. The row's lease then expires and another try is
//! made; the message carries the same `Message-ID` (built from the outbox row), so mail
//! systems recognise the copy. Every other path delivers each row once.

use crate::cases::{Audience, Notify, Procedure};
use crate::{App, Result};
use chrono::Duration;
use luoshi_domain::{Error, Role};
use luoshi_store::cases::{CaseOwnerRow, CaseRow};
use luoshi_store::outbox::{self as db, MessageRow, NewMessage};
use luoshi_store::users::{self, Contact};
use luoshi_store::Conn;
use luoshi_store::OwnerRole;
use serde::Serialize;

/// Where e-mail goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// `smtp://host:port` (plain, for a relay on a private network), `smtp://…?tls=required`
    /// for STARTTLS, or `smtps://host:port` for TLS; user and password in the URL when the
    /// server needs them (`smtp://user:pass@host:587?tls=required`).
    pub url: String,
    /// The sender, e.g. `落实 <luoshi@zhengzhou.gov.cn>`.
    pub from: String,
}

/// How notifications leave the building. With nothing configured only in-app notices are
/// delivered; e-mail rows are not queued.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryConfig {
    pub smtp: Option<SmtpConfig>,
    /// A URL that receives every message as JSON (`POST`), e.g. a city messaging gateway.
    pub webhook: Option<String>,
}

/// Tries before a message is given up (marked `failed`, shown to the administrator).
pub const MAX_ATTEMPTS: i64 = 8;

/// Back-off before try `attempt + 1`: 1, 2, 4, … minutes, at most 4 hours.
pub fn backoff(attempts: i64) -> Duration {
    Duration::minutes(1i64 << attempts.clamp(0, 8)).min(Duration::hours(4))
}

/// The line every reminder ends with.
pub fn recipients_note() -> &'static str {
    "（本通知由落实系统根据文件规定的时限自动发出）"
}

/// The users an audience names on a case with these owners.
pub fn recipients(
    contacts: &[Contact],
    procedure: &Procedure,
    owners: &[CaseOwnerRow],
    audience: Audience,
) -> Vec<i64> {
    let units: Vec<&str> = match &audience {
        Audience::LeadUnits => unit_ids(owners, &[OwnerRole::Lead]),
        Audience::CoUnits => unit_ids(owners, &[OwnerRole::Co, OwnerRole::Assist]),
        Audience::Units(list) => list.iter().map(String::as_str).collect(),
        _ => vec![],
    };
    contacts
        .iter()
        .map(|contact| &contact.user)
        .filter(|u| match &audience {
            Audience::Office => {
                u.has(Role::Admin) && procedure.office.is_empty()
                    || procedure.office.iter().any(|r| u.has(*r))
            }
            Audience::Leaders => {
                u.has(Role::Leader)
                    && u.leader_name.as_deref().is_some_and(|l| {
                        owners
                            .iter()
                            .any(|o| o.role == OwnerRole::Leader && o.name == l)
                    })
            }
            Audience::Proposer => owners
                .iter()
                .any(|o| o.role == OwnerRole::Proposer && o.user_id == Some(u.id)),
            _ => u.has(Role::UnitStaff) && u.unit_id.as_deref().is_some_and(|x| units.contains(&x)),
        })
        .map(|u| u.id)
        .collect()
}

/// Queue one message for one user: an in-app notice, and an e-mail when they gave an address
/// and an SMTP server is configured. `key` makes the rows unique. Returns the rows queued.
#[allow(clippy::too_many_arguments)]
pub fn queue_to_user(
    app: &App,
    c: &mut dyn Conn,
    contact: &Contact,
    key: &str,
    subject: &str,
    body: &str,
    case_id: Option<i64>,
    at: &str,
) -> Result<usize> {
    let u = &contact.user;
    let notice = NewMessage {
        dedupe_key: format!("{key}:notice:{}", u.id),
        channel: "notice".into(),
        recipient: u.id.to_string(),
        user_id: Some(u.id),
        subject: subject.to_string(),
        body: body.to_string(),
        case_id,
    };
    let mut queued = 0;
    if let (Some(email), Some(_)) = (&contact.email, &app.delivery.smtp) {
        let mail = NewMessage {
            dedupe_key: format!("{key}:email:{}", u.id),
            channel: "email".into(),
            recipient: email.clone(),
            ..notice.clone()
        };
        queued += usize::from(db::queue(c, &mail, at)?);
    }
    queued += usize::from(db::queue(c, &notice, at)?);
    Ok(queued)
}

/// Queue `notify` for the users each audience names; returns how many rows were queued.
/// `key` makes the rows unique (an event id).
#[allow(clippy::too_many_arguments)]
pub fn queue_notifications(
    app: &App,
    c: &mut dyn Conn,
    procedure: &Procedure,
    case: &CaseRow,
    owners: &[CaseOwnerRow],
    notify: &[Notify],
    key: &str,
    at: &str,
) -> Result<usize> {
    if notify.is_empty() {
        return Ok(0);
    }
    let contacts = users::contacts(c)?;
    let mut queued = 0;
    for (n, message) in notify.iter().enumerate() {
        for user in recipients(&contacts, procedure, owners, message.to.clone()) {
            let Some(contact) = contacts.iter().find(|x| x.user.id == user) else {
                continue;
            };
            queued += queue_to_user(
                app,
                c,
                contact,
                &format!("{key}:{n}"),
                &message.subject,
                &message.body,
                Some(case.id),
                at,
            )?;
        }
        if let Some(url) = &app.delivery.webhook {
            let hook = NewMessage {
                dedupe_key: format!("{key}:{n}:webhook"),
                channel: "webhook".into(),
                recipient: url.clone(),
                user_id: None,
                subject: message.subject.clone(),
                body: message.body.clone(),
                case_id: Some(case.id),
            };
            queued += usize::from(db::queue(c, &hook, at)?);
        }
    }
    Ok(queued)
}

fn unit_ids<'a>(owners: &'a [CaseOwnerRow], roles: &[OwnerRole]) -> Vec<&'a str> {
    owners
        .iter()
        .filter(|o| roles.contains(&o.role))
        .filter_map(|o| o.unit_id.as_deref())
        .collect()
}

/// What one delivery round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryRound {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// How long a claim lasts before another worker may take the row over.
const LEASE: i64 = 120;

impl App {
    /// Claim due messages and deliver them; `worker` names this process in the record.
    pub fn deliver_outbox(&self, worker: &str, limit: i64) -> Result<DeliveryRound> {
        let now = self.clock.now_utc();
        let lease_until =
            (now + Duration::seconds(LEASE)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let claimed = self
            .store
            .write(|c| db::claim(c, worker, &self.now(), &lease_until, limit))?;
        let mut round = DeliveryRound {
            claimed: claimed.len(),
            ..DeliveryRound::default()
        };
        for m in &claimed {
            let outcome = self.deliver_one(m);
            let at = self.clock.now_utc();
            let retry_at = (m.attempts + 1 < MAX_ATTEMPTS).then(|| {
                (at + backoff(m.attempts)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            });
            let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let recorded = self.store.write(|c| {
                if let (Ok(_), "notice") = (&outcome, m.channel.as_str()) {
                    if let Some(uid) = m.user_id {
                        db::insert_notice(c, m, uid, &at)?;
                    }
                }
                db::record_attempt(
                    c,
                    m.id,
                    worker,
                    &at,
                    outcome.as_deref().map_err(String::as_str),
                    retry_at.as_deref(),
                )
            })?;
            match (&outcome, recorded, &retry_at) {
                (_, false, _) => {}
                (Ok(_), true, _) => round.sent += 1,
                (Err(_), true, Some(_)) => round.retried += 1,
                (Err(_), true, None) => round.failed += 1,
            }
        }
        Ok(round)
    }

    /// Deliver one message; `Ok(detail)` or `Err(reason)` for the record.
    fn deliver_one(&self, m: &MessageRow) -> std::result::Result<String, String> {
        match m.channel.as_str() {
            "notice" => Ok("站内通知已送达".into()),
            "email" => match &self.delivery.smtp {
                Some(smtp) => send_email(smtp, m),
                None => Err("未配置邮件服务器（--smtp-url）".into()),
            },
            "webhook" => send_webhook(m),
            other => Err(format!("未知的通知渠道 {other}")),
        }
    }

    /// A user's in-app notices, newest first, with the unread count.
    pub fn notices(&self, viewer: &crate::Viewer, limit: i64) -> Result<(Vec<db::NoticeRow>, i64)> {
        let user = viewer.user().ok_or_else(Error::unauthenticated)?;
        self.store.read(|c| {
            Ok((
                db::notices(c, user.id, limit)?,
                db::unread_count(c, user.id)?,
            ))
        })
    }

    /// Mark a user's notices (or one) read.
    pub fn mark_notices_read(&self, viewer: &crate::Viewer, id: Option<i64>) -> Result<u64> {
        let user = viewer.user().ok_or_else(Error::unauthenticated)?;
        let at = self.now();
        self.store
            .write(|c| Ok(db::mark_read(c, user.id, id, &at)?))
    }

    /// The outbox as the administrator reviews it.
    pub fn outbox(
        &self,
        viewer: &crate::Viewer,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(MessageRow, Vec<db::AttemptRow>)>> {
        viewer.require(&crate::Permission::ReadAudit)?;
        self.store.read(|c| {
            let rows = db::list(c, status, limit)?;
            rows.into_iter()
                .map(|m| {
                    let tries = db::attempts(c, m.id)?;
                    Ok((m, tries))
                })
                .collect()
        })
    }
}

fn send_email(smtp: &SmtpConfig, m: &MessageRow) -> std::result::Result<String, String> {
    use lettre::message::header::ContentType;
    use lettre::{Message, SmtpTransport, Transport};
    let message = Message::builder()
        .from(
            smtp.from
                .parse()
                .map_err(|e| format!("发件人地址无效 {}: {e}", smtp.from))?,
        )
        .to(m
            .recipient
            .parse()
            .map_err(|e| format!("收件人地址无效 {}: {e}", m.recipient))?)
        .subject(&m.subject)
        .message_id(Some(format!("<outbox-{}@luoshi.local>", m.id)))
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| format!("邮件无法生成: {e}"))?;
    let transport = SmtpTransport::from_url(&smtp.url)
        .map_err(|e| format!("邮件服务器地址无效: {e}"))?
        .timeout(Some(std::time::Duration::from_secs(20)))
        .build();
    transport
        .send(&message)
        .map(|r| format!("SMTP {}", r.code()))
        .map_err(|e| format!("SMTP 发送失败: {e}"))
}

fn send_webhook(m: &MessageRow) -> std::result::Result<String, String> {
    let body = serde_json::json!({
        "id": m.id, "key": m.dedupe_key, "subject": m.subject, "body": m.body,
        "case_id": m.case_id, "created_at": m.created_at,
    });
    let agent = ureq::AgentBuilder::new()
        .timeout(std::time::Duration::from_secs(20))
        .build();
    match agent
        .post(&m.recipient)
        .set("Idempotency-Key", &m.dedupe_key)
        .send_json(body)
    {
        Ok(r) => Ok(format!("HTTP {}", r.status())),
        Err(ureq::Error::Status(code, _)) => Err(format!("HTTP {code}")),
        Err(e) => Err(format!("无法送达: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), Duration::minutes(1));
        assert_eq!(backoff(3), Duration::minutes(8));
        assert_eq!(backoff(20), Duration::hours(4));
    }
}
