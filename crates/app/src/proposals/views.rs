//! What each role reads of proposal handling (建议提案视图): the office sees every item, a unit's
//! staff the items their unit handles (an inbox with due dates and how each was computed), a
//! leader the items they are named on, a deputy or member their own items. Lists, the office's
//! overdue list, and one item with every round, reply, record and history row.

use super::standing::due_status_label;
use super::{kind_label, reply_status_label, satisfaction_label, session_label, source_label};
use crate::access::own_unit;
use crate::cases::clocks::{explanation_text, status as clock_status};
use crate::cases::{self, ActionRef, Relation};
use crate::procedures::proposals::PROPOSALS;
use crate::{App, Result, Viewer};
use luoshi_domain::{Error, Role};
use luoshi_rules::proposal::{self as rule, Copies, ReviewStep, Source};
use luoshi_store::cases::{self as cdb, CaseEventRow, CaseOwnerRow};
use luoshi_store::proposals::{
    self as pdb, DisclosureRow, ItemFilter, ItemRow, ProposerRow, Records, ReplyRow, RoundRow,
};
use luoshi_store::OwnerRole;
use luoshi_store::{units, Conn};
use serde::Serialize;
use std::collections::HashMap;

/// A unit as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRef {
    pub id: String,
    pub name: String,
}

/// An item in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub id: i64,
    pub year: i64,
    pub number: String,
    pub source: String,
    pub source_label: String,
    pub kind: String,
    pub kind_label: String,
    pub session: String,
    pub session_label: String,
    pub session_name: String,
    pub key_item: bool,
    pub subject: String,
    /// Proposers' names, in signing order.
    pub proposers: Vec<String>,
    pub lead_unit: Option<UnitRef>,
    pub co_units: Vec<UnitRef>,
    /// The leader in charge (分管副市长), when named.
    pub leader: Option<String>,
    pub state: String,
    pub state_label: String,
    pub round: i64,
    pub received_date: Option<String>,
    pub return_due: Option<String>,
    pub reply_due: Option<String>,
    pub replied_date: Option<String>,
    pub due_status: String,
    pub due_label: String,
    pub delay_explained: bool,
    /// 第十九条: overdue without a written explanation — the office is told.
    pub unexplained_overdue: bool,
    pub class: Option<String>,
    pub satisfaction: Option<String>,
    pub satisfaction_label: Option<String>,
    pub disclosure: Option<String>,
    pub version: i64,
    /// How the reply limit was computed (inbox only).
    pub reply_explanation: Option<String>,
    /// How the return window was computed (inbox only, while open).
    pub return_explanation: Option<String>,
    /// What the viewer's unit is to do next (inbox only): 待会签, 待答复, …
    pub todo: Vec<String>,
}

/// Filters for item lists (each optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub year: Option<i64>,
    pub unit: Option<String>,
    /// A case state (`assigned`, …).
    pub status: Option<String>,
    pub kind: Option<String>,
    pub source: Option<String>,
    pub session: Option<String>,
    /// Only items whose reply is overdue now.
    pub overdue: bool,
    pub key_item: Option<bool>,
    pub subject: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The store filter a viewer may use: everything (offices), one unit, one leader, or a
/// proposer's own items.
fn scope(viewer: &Viewer, f: &Filter) -> Result<ItemFilter> {
    let user = viewer.user().ok_or_else(Error::unauthenticated)?;
    let mut filter = ItemFilter {
        year: f.year,
        unit_id: f.unit.clone(),
        states: f.status.iter().cloned().collect(),
        kind: f.kind.clone(),
        source: f.source.clone(),
        session: f.session.clone(),
        due_status: f.overdue.then(|| "overdue".to_string()),
        key_item: f.key_item,
        subject: f.subject.clone(),
        limit: f.limit,
        offset: f.offset,
        ..ItemFilter::default()
    };
    if f.overdue {
        filter.not_states = vec!["closed".into()];
    }
    if user.sees_all_units() {
        return Ok(filter);
    }
    if user.has(Role::UnitStaff) {
        filter.unit_id = Some(own_unit(
            user,
            f.unit.as_deref(),
            "只能查看本单位承办的建议提案",
        )?);
        return Ok(filter);
    }
    if user.has(Role::Leader) {
        let name = user
            .leader_name
            .clone()
            .ok_or_else(|| Error::forbidden("您的账号未关联领导姓名"))?;
        filter.leader = Some(name);
        return Ok(filter);
    }
    if user.has(Role::Deputy) {
        filter.proposer_user = Some(user.id);
        return Ok(filter);
    }
    Err(Error::forbidden("您没有权限查看建议提案"))
}

/// Unit names by id.
fn unit_names(c: &mut dyn Conn) -> Result<HashMap<String, String>> {
    Ok(units::list_units(c)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

fn unit_ref(names: &HashMap<String, String>, id: &str) -> UnitRef {
    UnitRef {
        id: id.to_string(),
        name: names.get(id).cloned().unwrap_or_else(|| id.to_string()),
    }
}

fn summarize(
    mut row: ItemRow,
    owners: &[CaseOwnerRow],
    proposers: &[ProposerRow],
    names: &HashMap<String, String>,
) -> Summary {
    let units = |role: OwnerRole| -> Vec<UnitRef> {
        owners
            .iter()
            .filter(|o| o.role == role)
            .filter_map(|o| o.unit_id.as_deref())
            .map(|u| unit_ref(names, u))
            .collect()
    };
    let standing = std::mem::take(&mut row.standing);
    Summary {
        id: row.id,
        year: row.year,
        source_label: source_label(&row.source).to_string(),
        kind_label: kind_label(&row.kind).to_string(),
        session_label: session_label(&row.session).to_string(),
        state_label: PROPOSALS.state_label(&row.state).to_string(),
        due_label: due_status_label(&standing.due_status).to_string(),
        unexplained_overdue: standing.due_status == "overdue" && !standing.delay_explained,
        satisfaction_label: standing
            .satisfaction
            .as_deref()
            .map(|s| satisfaction_label(s).to_string()),
        proposers: proposers.iter().map(|p| p.name.clone()).collect(),
        lead_unit: units(OwnerRole::Lead).into_iter().next().or_else(|| {
            standing
                .lead_unit
                .as_deref()
                .filter(|_| row.state != "returned")
                .map(|u| unit_ref(names, u))
        }),
        co_units: units(OwnerRole::Co),
        leader: owners
            .iter()
            .find(|o| o.role == OwnerRole::Leader)
            .map(|o| o.name.clone()),
        number: row.number,
        source: row.source,
        kind: row.kind,
        session: row.session,
        session_name: row.session_name,
        key_item: row.key_item,
        subject: row.subject,
        state: row.state,
        version: row.version,
        round: standing.round,
        received_date: standing.received_date,
        return_due: standing.return_due,
        reply_due: standing.reply_due,
        replied_date: standing.replied_date,
        due_status: standing.due_status,
        delay_explained: standing.delay_explained,
        class: standing.class,
        satisfaction: standing.satisfaction,
        disclosure: standing.disclosure,
        reply_explanation: None,
        return_explanation: None,
        todo: vec![],
    }
}

fn summaries(c: &mut dyn Conn, filter: &ItemFilter) -> Result<Vec<Summary>> {
    let rows = pdb::items(c, filter)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let owners = cdb::owners_of(c, &ids)?;
    let proposers = pdb::proposers_of(c, &ids)?;
    let names = unit_names(c)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let id = r.id;
            summarize(
                r,
                owners.get(&id).map(Vec::as_slice).unwrap_or_default(),
                proposers.get(&id).map(Vec::as_slice).unwrap_or_default(),
                &names,
            )
        })
        .collect())
}

/// A unit's inbox: its open items by reply due date, each with how its dates were computed and
/// what the unit is to do next.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub unit: UnitRef,
    pub today: String,
    pub items: Vec<Summary>,
}

fn todo(s: &Summary, unit: &str, signed: &[(i64, i64, String)]) -> Vec<String> {
    let lead = s.lead_unit.as_ref().is_some_and(|u| u.id == unit);
    let mut out = Vec::new();
    match s.state.as_str() {
        "assigned" if lead => {
            let waiting: Vec<&str> = s
                .co_units
                .iter()
                .filter(|u| {
                    !signed
                        .iter()
                        .any(|(id, r, x)| *id == s.id && *r == s.round && *x == u.id)
                })
                .map(|u| u.name.as_str())
                .collect();
            if waiting.is_empty() {
                out.push("待答复".to_string());
            } else {
                out.push(format!("待会签：{}", waiting.join("、")));
            }
        }
        "assigned"
            if !signed
                .iter()
                .any(|(id, r, x)| *id == s.id && *r == s.round && x == unit) =>
        {
            out.push("待送会签意见".into());
        }
        "reply_review" if lead => out.push("答复待本单位领导审查".into()),
        "return_requested" if lead => out.push("退回申请待建议提案处审核".into()),
        "dissatisfied" if lead => out.push("代表委员不满意，待建议提案处决定".into()),
        _ => {}
    }
    if s.unexplained_overdue && lead {
        out.push("已逾期，须书面说明（第十九条）".into());
    }
    out
}

/// One round with its clock.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundOut {
    #[serde(flatten)]
    pub round: RoundRow,
    pub reason_label: &'static str,
    pub lead_unit_name: Option<String>,
    pub co_unit_names: Vec<String>,
    pub reply_due_status: String,
    pub reply_due_label: String,
    /// How the reply limit was computed.
    pub reply_explanation: String,
}

/// A reply with its labels.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyOut {
    #[serde(flatten)]
    pub reply: ReplyRow,
    pub status_label: String,
    pub class_meaning: &'static str,
    pub unit_name: String,
}

/// A proposer as an item's page shows them (contacts to those who handle the item).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposerOut {
    pub id: i64,
    pub ord: i64,
    pub name: String,
    pub role: String,
    pub affiliation: String,
    pub contact: String,
    /// Whether the proposer has an account (gives feedback online).
    pub linked: bool,
}

/// One item with everything about it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Detail {
    pub item: Summary,
    pub text: String,
    pub needs_instruction: bool,
    pub registered_at: String,
    pub registered_by: String,
    pub proposers: Vec<ProposerOut>,
    pub rounds: Vec<RoundOut>,
    pub replies: Vec<ReplyOut>,
    pub records: Records,
    pub disclosures: Vec<DisclosureRow>,
    pub events: Vec<CaseEventRow>,
    pub relation: Relation,
    /// Actions the viewer may take now.
    pub actions: Vec<ActionRef>,
    /// 第十条: who gets a copy of the reply.
    pub copies: Copies,
    /// 第九条: the review steps a reply passes.
    pub review_steps: Vec<ReviewStepOut>,
}

/// A review step of a reply (第九条) with its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewStepOut {
    pub step: ReviewStep,
    pub label: &'static str,
}

fn reason_label(reason: &str) -> &'static str {
    match reason {
        "assign" => "交办",
        "reassign" => "退回后重新交办",
        "redo" => "退回重新办理",
        _ => "办理",
    }
}

impl App {
    /// Items the viewer may see, filtered; cached until proposal data changes.
    pub fn proposal_list(&self, viewer: &Viewer, f: &Filter) -> Result<Vec<Summary>> {
        let filter = scope(viewer, f)?;
        let stamp = self.proposals_stamp()?;
        let items = self
            .cache
            .get_or(&format!("proposals.list|{filter:?}"), &stamp, || {
                self.store.read(|c| summaries(c, &filter))
            })?;
        Ok(items.as_ref().clone())
    }

    /// What the viewer may see of proposal handling, for [`App::derived`] (pages rendered
    /// once per scope and reused until proposal data or the business date changes).
    pub fn proposals_scope(&self, viewer: &Viewer) -> Result<crate::cases::ViewScope> {
        let filter = scope(viewer, &Filter::default())?;
        let office = viewer.user().is_some_and(|u| u.sees_all_units());
        Ok(crate::cases::ViewScope {
            generation: super::GENERATION,
            key: format!("{filter:?}|{office}"),
        })
    }

    /// The office's overdue list (第十九条): open items past their reply limit, the longest
    /// overdue first, those without a written explanation marked.
    pub fn proposal_overdue(&self, viewer: &Viewer) -> Result<Vec<Summary>> {
        let user = viewer.user().ok_or_else(Error::unauthenticated)?;
        if !user.sees_all_units() {
            return Err(Error::forbidden("逾期清单供建议提案处查看"));
        }
        let mut items = self.proposal_list(
            viewer,
            &Filter {
                overdue: true,
                ..Filter::default()
            },
        )?;
        items.sort_by(|a, b| a.reply_due.cmp(&b.reply_due).then(a.id.cmp(&b.id)));
        Ok(items)
    }

    /// A unit's inbox (the viewer's unit; the office may name one): open items by due date,
    /// each with the explanation of its dates and what the unit is to do next.
    pub fn proposal_inbox(&self, viewer: &Viewer, unit: Option<&str>) -> Result<Inbox> {
        let user = viewer.user().ok_or_else(Error::unauthenticated)?;
        let unit = match (user.has(Role::UnitStaff), &user.unit_id, unit) {
            (true, Some(mine), None) => mine.clone(),
            (true, Some(mine), Some(u)) if u == mine => mine.clone(),
            (_, _, Some(u)) if user.sees_all_units() => u.to_string(),
            _ => return Err(Error::forbidden("只能查看本单位的待办建议提案")),
        };
        let stamp = self.proposals_stamp()?;
        let today = self.today();
        let inbox = self
            .cache
            .get_or(&format!("proposals.inbox|{unit}"), &stamp, || {
                self.store.read(|c| {
                    let filter = ItemFilter {
                        unit_id: Some(unit.clone()),
                        not_states: vec!["closed".into()],
                        ..ItemFilter::default()
                    };
                    let mut items = summaries(c, &filter)?;
                    let ids: Vec<i64> = items.iter().map(|s| s.id).collect();
                    let clocks = cdb::clocks_of(c, &ids)?;
                    let rounds = pdb::rounds_of(c, &ids)?;
                    let signed = pdb::cosigned(c, &ids)?;
                    for s in &mut items {
                        let key = super::dues::reply_clock_key(s.round);
                        s.reply_explanation = clocks
                            .get(&s.id)
                            .and_then(|ks| ks.iter().find(|k| k.key == key))
                            .map(|k| explanation_text(&k.explanation));
                        s.return_explanation = rounds
                            .get(&s.id)
                            .and_then(|rs| rs.last())
                            .filter(|r| r.outcome.is_none() && r.return_due.is_some())
                            .map(|r| r.return_explanation.clone());
                        s.todo = todo(s, &unit, &signed);
                    }
                    items.sort_by(|a, b| {
                        a.reply_due
                            .is_none()
                            .cmp(&b.reply_due.is_none())
                            .then(a.reply_due.cmp(&b.reply_due))
                            .then(a.id.cmp(&b.id))
                    });
                    let name = unit_names(c)?;
                    Ok::<_, Error>(Inbox {
                        unit: unit_ref(&name, &unit),
                        today: today.to_string(),
                        items,
                    })
                })
            })?;
        Ok(inbox.as_ref().clone())
    }

    /// One item with its rounds, replies, records, disclosures, history and the actions open
    /// to the viewer.
    pub fn proposal_detail(&self, viewer: &Viewer, id: i64) -> Result<Detail> {
        let today = self.today();
        self.store.read(|c| {
            let view = cases::case_view_in(c, viewer, &PROPOSALS, id)?;
            let row = super::item_row(c, id)?;
            let names = unit_names(c)?;
            let proposers = pdb::proposers_of(c, &[id])?.remove(&id).unwrap_or_default();
            let clocks = cdb::clocks(c, id)?;
            let source = Source::parse(&row.source)
                .ok_or_else(|| Error::internal(format!("未知的来源 {}", row.source)))?;
            let several = view.owners.iter().any(|o| o.role == OwnerRole::Co);
            let text = row.text.clone();
            let (needs_instruction, registered_at, registered_by) = (
                row.needs_instruction,
                row.registered_at.clone(),
                row.registered_by.clone(),
            );
            let rounds = pdb::rounds(c, id)?
                .into_iter()
                .map(|r| {
                    let key = super::dues::reply_clock_key(r.round);
                    let clock = clocks.iter().find(|k| k.key == key);
                    let status = super::standing::due_status_name(
                        clock.map(|k| clock_status(&self.calendar, k, today)),
                    );
                    RoundOut {
                        reason_label: reason_label(&r.reason),
                        lead_unit_name: r.lead_unit.as_deref().map(|u| unit_ref(&names, u).name),
                        co_unit_names: r
                            .co_units
                            .iter()
                            .map(|u| unit_ref(&names, u).name)
                            .collect(),
                        reply_due_status: status.to_string(),
                        reply_due_label: due_status_label(status).to_string(),
                        reply_explanation: clock
                            .map(|k| explanation_text(&k.explanation))
                            .unwrap_or_default(),
                        round: r,
                    }
                })
                .collect();
            let replies = pdb::replies(c, id)?
                .into_iter()
                .map(|r| ReplyOut {
                    status_label: reply_status_label(&r.status).to_string(),
                    class_meaning: rule::REPLY_CLASSES
                        .iter()
                        .find(|(_, k, _)| *k == r.class)
                        .map(|(_, _, m)| *m)
                        .unwrap_or(""),
                    unit_name: r
                        .unit_id
                        .as_deref()
                        .map(|u| unit_ref(&names, u).name)
                        .unwrap_or_default(),
                    reply: r,
                })
                .collect();
            let item = summarize(row, &view.owners, &proposers, &names);
            Ok(Detail {
                text,
                needs_instruction,
                registered_at,
                registered_by,
                proposers: proposers
                    .into_iter()
                    .map(|p| ProposerOut {
                        id: p.id,
                        ord: p.ord,
                        linked: p.user_id.is_some(),
                        name: p.name,
                        role: p.role,
                        affiliation: p.affiliation,
                        contact: p.contact,
                    })
                    .collect(),
                rounds,
                replies,
                records: pdb::records(c, id)?,
                disclosures: pdb::disclosures(c, id)?,
                events: cdb::events(c, id)?,
                relation: view.relation,
                actions: view.actions,
                copies: rule::reply_copies(source),
                review_steps: rule::review_steps(source, several)
                    .into_iter()
                    .map(|step| ReviewStepOut {
                        step,
                        label: step.label(),
                    })
                    .collect(),
                item,
            })
        })
    }
}
