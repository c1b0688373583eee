//! What each role reads of supervision (督办视图): the office sees every item, a unit's staff
//! its own unit's items, a leader their portfolio. Lists, one item with its history, and the
//! dashboards by leader, unit and chapter.

use super::status::ItemStatus;
use super::{report_kind_label, report_status_label};
use crate::access::own_unit;
use crate::cases::clocks::{explanation_text, status as clock_status, ClockStatus};
use crate::cases::{self, Relation};
use crate::procedures::supervision::SUPERVISION;
use crate::{App, Result, Viewer};
use luoshi_domain::{Error, Role};
use luoshi_store::cases::{self as cdb, CaseEventRow, CaseOwnerRow};
use luoshi_store::supervision::{
    self as sdb, DutyRow, ItemFilter, ItemRow, MilestoneRow, ReportRow,
};
use luoshi_store::Conn;
use luoshi_store::OwnerRole;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// An owner as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerRef {
    pub name: String,
    pub unit_id: Option<String>,
    /// Resolved against the unit registry.
    pub resolved: bool,
    /// An open mention (`相关县（市、区）政府`): the office decides who it means.
    pub open: bool,
    /// A closed group mention (`各县（市、区）政府`), expanded to its members.
    pub group: bool,
}

/// A milestone as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MilestoneOut {
    pub due: Option<String>,
    pub text: String,
    /// The words it was read from.
    pub source: String,
    pub flagged: bool,
    pub note: String,
}

/// A supervised item in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemSummary {
    pub id: i64,
    pub document_id: Option<i64>,
    /// The task it was made from (its page links to the clause), if any.
    pub task_id: Option<i64>,
    /// The clause it was made from (a numbered measure), if any.
    pub clause_ord: Option<i64>,
    pub doc_no: String,
    pub clause: String,
    pub no: i64,
    pub title: String,
    pub text: String,
    pub chapter: String,
    pub leaders: Vec<String>,
    pub lead_units: Vec<OwnerRef>,
    pub units: Vec<OwnerRef>,
    pub milestones: Vec<MilestoneOut>,
    pub status: ItemStatus,
    pub status_label: &'static str,
    pub state: String,
    pub version: i64,
    pub percent: i64,
    pub next_due: Option<String>,
    pub overdue_count: i64,
    pub first_line: Option<i64>,
    pub last_line: Option<i64>,
    /// No lead unit yet (a measure the office must assign).
    pub unassigned: bool,
    /// Owner mentions the office still has to resolve.
    pub open_mentions: usize,
}

/// Filters for the item list (each optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// 文号.
    pub doc: Option<String>,
    pub unit: Option<String>,
    pub leader: Option<String>,
    pub status: Option<ItemStatus>,
    pub chapter: Option<String>,
}

fn owner_refs(owners: &[CaseOwnerRow], roles: &[OwnerRole]) -> Vec<OwnerRef> {
    owners
        .iter()
        .filter(|o| roles.contains(&o.role) && o.via_group.is_none())
        .map(|o| OwnerRef {
            name: o.name.clone(),
            unit_id: o.unit_id.clone(),
            resolved: o.resolved,
            open: o.open,
            group: o.group_id.is_some(),
        })
        .collect()
}

fn summarize(row: ItemRow, owners: &[CaseOwnerRow], milestones: &[MilestoneRow]) -> ItemSummary {
    let status = ItemStatus::parse(&row.status).unwrap_or(ItemStatus::NotStarted);
    let lead_units = owner_refs(owners, &[OwnerRole::Lead]);
    let units = owner_refs(owners, &[OwnerRole::Co, OwnerRole::Assist]);
    ItemSummary {
        id: row.id,
        document_id: row.document_id,
        task_id: row.task_id,
        clause_ord: row.clause_ord,
        doc_no: row.doc_no.unwrap_or_default(),
        clause: row.clause.unwrap_or_default(),
        no: row.no,
        title: row.title,
        text: row.body,
        chapter: row.chapter,
        leaders: owners
            .iter()
            .filter(|o| o.role == OwnerRole::Leader)
            .map(|o| o.name.clone())
            .collect(),
        unassigned: lead_units.is_empty() && units.is_empty(),
        open_mentions: owners
            .iter()
            .filter(|o| o.via_group.is_none() && (o.open || !o.resolved))
            .count(),
        lead_units,
        units,
        milestones: milestones
            .iter()
            .map(|m| MilestoneOut {
                due: m.due_date.clone(),
                text: m.text.clone(),
                source: m.source.clone(),
                flagged: m.flagged,
                note: m.note.clone(),
            })
            .collect(),
        status,
        status_label: status.label(),
        state: row.state,
        version: row.version,
        percent: row.percent,
        next_due: row.next_due,
        overdue_count: row.overdue_count,
        first_line: row.first_line,
        last_line: row.last_line,
    }
}

/// The scope a viewer reads: everything, one unit, or one leader's portfolio.
fn scope(viewer: &Viewer, f: &Filter) -> Result<ItemFilter> {
    let user = viewer.user().ok_or_else(Error::unauthenticated)?;
    let mut filter = ItemFilter {
        doc_no: f.doc.clone(),
        unit_id: f.unit.clone(),
        leader: f.leader.clone(),
        status: f.status.map(|s| s.as_str().to_string()),
        chapter: f.chapter.clone(),
        ..ItemFilter::default()
    };
    if user.sees_all_units() {
        return Ok(filter);
    }
    if user.has(Role::UnitStaff) {
        filter.unit_id = Some(own_unit(
            user,
            f.unit.as_deref(),
            "只能查看本单位的督办事项",
        )?);
        return Ok(filter);
    }
    if user.has(Role::Leader) {
        let name = user
            .leader_name
            .clone()
            .ok_or_else(|| Error::forbidden("您的账号未关联责任领导"))?;
        if f.leader.as_ref().is_some_and(|l| *l != name) {
            return Err(Error::forbidden("只能查看本人分管的督办事项"));
        }
        filter.leader = Some(name);
        return Ok(filter);
    }
    Err(Error::forbidden("您没有权限查看督办事项"))
}

fn summaries(c: &mut dyn Conn, filter: &ItemFilter) -> Result<Vec<ItemSummary>> {
    let rows = sdb::items(c, filter)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let owners = cdb::owners_of(c, &ids)?;
    let milestones = sdb::milestones_of(c, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let id = r.id;
            summarize(
                r,
                owners.get(&id).map(Vec::as_slice).unwrap_or_default(),
                milestones.get(&id).map(Vec::as_slice).unwrap_or_default(),
            )
        })
        .collect())
}

/// A clock as an item's page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockOut {
    pub key: String,
    pub kind: String,
    pub label: String,
    pub due_date: String,
    pub due_time: Option<String>,
    pub status: ClockStatus,
    pub status_label: &'static str,
    /// How the date was computed, in Chinese.
    pub explanation: String,
    pub source: String,
    pub cites: String,
    pub satisfied_at: Option<String>,
}

/// A report with its labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportOut {
    #[serde(flatten)]
    pub report: ReportRow,
    pub kind_label: String,
    pub status_label: String,
}

/// One item with everything about it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDetail {
    pub item: ItemSummary,
    pub relation: Relation,
    /// Actions the viewer may take now.
    pub actions: Vec<crate::cases::ActionRef>,
    pub events: Vec<CaseEventRow>,
    pub reports: Vec<ReportOut>,
    pub clocks: Vec<ClockOut>,
    /// The reporting duties of the item's document.
    pub duties: Vec<DutyRow>,
}

/// Counts of items by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub total: usize,
    pub by_status: BTreeMap<ItemStatus, usize>,
}

impl Counts {
    fn add(&mut self, s: ItemStatus) {
        self.total += 1;
        *self.by_status.entry(s).or_default() += 1;
    }
    pub fn get(&self, s: ItemStatus) -> usize {
        self.by_status.get(&s).copied().unwrap_or(0)
    }
}

/// One line of a dashboard: a leader, a unit or a chapter with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub key: String,
    pub label: String,
    pub counts: Counts,
}

/// The office's overview.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub today: String,
    pub simulated: bool,
    pub counts: Counts,
    pub by_leader: Vec<Line>,
    pub by_unit: Vec<Line>,
    pub by_chapter: Vec<Line>,
    /// Items with an overdue report, then behind, most overdue first (at most 50).
    pub attention: Vec<ItemSummary>,
    /// Reports awaiting the office's review.
    pub to_review: Vec<ToReview>,
    pub unassigned: usize,
    pub open_mentions: usize,
    /// Monthly reports by period.
    pub punctuality: Vec<Punctuality>,
}

/// A report awaiting the office's review, with the item it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToReview {
    pub item_id: i64,
    pub item_title: String,
    pub report: ReportOut,
}

/// Monthly reporting of one period: filed on time, filed late, not filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Punctuality {
    /// What the reports cover (`2020-05`).
    pub period: String,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
}

fn report_out(r: ReportRow) -> ReportOut {
    ReportOut {
        kind_label: report_kind_label(&r.kind).to_string(),
        status_label: report_status_label(&r.status).to_string(),
        report: r,
    }
}

fn lines(map: BTreeMap<String, (String, Counts)>) -> Vec<Line> {
    let mut v: Vec<Line> = map
        .into_iter()
        .map(|(key, (label, counts))| Line { key, label, counts })
        .collect();
    v.sort_by(|a, b| b.counts.total.cmp(&a.counts.total).then(a.key.cmp(&b.key)));
    v
}

/// The dashboard's groupings of a list of items.
pub fn dashboard_of(items: &[ItemSummary], today: &str, simulated: bool) -> Dashboard {
    let mut counts = Counts::default();
    let mut by_leader: BTreeMap<String, (String, Counts)> = BTreeMap::new();
    let mut by_unit: BTreeMap<String, (String, Counts)> = BTreeMap::new();
    let mut by_chapter: BTreeMap<String, (String, Counts)> = BTreeMap::new();
    for i in items {
        counts.add(i.status);
        for l in &i.leaders {
            by_leader
                .entry(l.clone())
                .or_insert_with(|| (l.clone(), Counts::default()))
                .1
                .add(i.status);
        }
        for u in &i.lead_units {
            let key = u.unit_id.clone().unwrap_or_else(|| u.name.clone());
            by_unit
                .entry(key)
                .or_insert_with(|| (u.name.clone(), Counts::default()))
                .1
                .add(i.status);
        }
        let chapter_key = format!("{}|{}", i.doc_no, i.chapter);
        by_chapter
            .entry(chapter_key)
            .or_insert_with(|| (format!("{} {}", i.doc_no, i.chapter), Counts::default()))
            .1
            .add(i.status);
    }
    let mut attention: Vec<ItemSummary> = items
        .iter()
        .filter(|i| matches!(i.status, ItemStatus::Overdue | ItemStatus::Behind))
        .cloned()
        .collect();
    attention.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.overdue_count.cmp(&a.overdue_count))
            .then(a.next_due.cmp(&b.next_due))
            .then(a.id.cmp(&b.id))
    });
    attention.truncate(50);
    Dashboard {
        today: today.to_string(),
        simulated,
        unassigned: items.iter().filter(|i| i.unassigned).count(),
        open_mentions: items.iter().filter(|i| i.open_mentions > 0).count(),
        counts,
        by_leader: lines(by_leader),
        by_unit: lines(by_unit),
        by_chapter: lines(by_chapter),
        attention,
        to_review: vec![],
        punctuality: vec![],
    }
}

impl App {
    /// The stamp of supervision's cached views: its generation and the business date.
    fn supervision_stamp(&self) -> Result<String> {
        self.generation_stamp(super::GENERATION)
    }

    /// Supervised items the viewer may see, filtered (cached until supervision data changes;
    /// shared, not copied, between the requests that read it). Their gazette text is masked
    /// for viewers without the need to see personal data ([`crate::privacy`]), and kept apart
    /// in the cache from the originals.
    pub fn supervision_items(&self, viewer: &Viewer, f: &Filter) -> Result<Arc<Vec<ItemSummary>>> {
        let filter = scope(viewer, f)?;
        let stamp = self.supervision_stamp()?;
        let masked = !crate::privacy::sees_personal_data(viewer);
        self.cache.get_or(
            &format!("supervision.items|{filter:?}|masked={masked}"),
            &stamp,
            || {
                let items = self.store.read(|c| summaries(c, &filter))?;
                Ok(crate::privacy::for_viewer(viewer, items))
            },
        )
    }

    /// Anything derived from the supervision data the viewer may see — a rendered page, an
    /// export — built once and reused until that data or the business date changes. `part`
    /// names what is built and everything else it depends on (the query, the page number).
    pub fn supervision_derived<T: Send + Sync + 'static>(
        &self,
        viewer: &Viewer,
        part: &str,
        build: impl FnOnce() -> Result<T>,
    ) -> Result<Arc<T>> {
        self.derived(&self.supervision_scope(viewer)?, part, build)
    }

    /// What the viewer may see of supervision, for [`App::derived`].
    pub fn supervision_scope(&self, viewer: &Viewer) -> Result<crate::cases::ViewScope> {
        let filter = scope(viewer, &Filter::default())?;
        let office = viewer.user().is_some_and(|u| u.sees_all_units());
        Ok(crate::cases::ViewScope {
            generation: super::GENERATION,
            key: format!("{filter:?}|{office}"),
        })
    }

    /// One item with its history, reports, clocks and the actions open to the viewer.
    pub fn supervision_item(&self, viewer: &Viewer, id: i64) -> Result<ItemDetail> {
        let today = self.today();
        self.store
            .read(|c| {
                let view = cases::case_view_in(c, viewer, &SUPERVISION, id)?;
                let row = sdb::item(c, id)?
                    .ok_or_else(|| Error::not_found(format!("督办事项（编号 {id}）")))?;
                let milestones = sdb::milestones_of(c, &[id])?
                    .remove(&id)
                    .unwrap_or_default();
                let item = summarize(row, &view.owners, &milestones);
                let clocks = cdb::clocks(c, id)?
                    .into_iter()
                    .map(|k| {
                        let status = clock_status(&self.calendar, &k, today);
                        ClockOut {
                            status,
                            status_label: status.label(),
                            explanation: explanation_text(&k.explanation),
                            key: k.key,
                            kind: k.kind,
                            label: k.label,
                            due_date: k.due_date,
                            due_time: k.due_time,
                            source: k.source,
                            cites: k.cites,
                            satisfied_at: k.satisfied_at,
                        }
                    })
                    .collect();
                let duties = match item.document_id {
                    Some(d) => sdb::duties(c, d)?,
                    None => vec![],
                };
                Ok(ItemDetail {
                    item,
                    relation: view.relation,
                    actions: view.actions,
                    events: cdb::events(c, id)?,
                    reports: sdb::reports(c, id)?.into_iter().map(report_out).collect(),
                    clocks,
                    duties,
                })
            })
            .map(|d| crate::privacy::for_viewer(viewer, d))
    }

    /// The dashboard over the items the viewer may see (cached until supervision data changes).
    pub fn supervision_dashboard(&self, viewer: &Viewer, f: &Filter) -> Result<Arc<Dashboard>> {
        let filter = scope(viewer, f)?;
        let office = viewer.user().is_some_and(|u| u.sees_all_units());
        let stamp = self.supervision_stamp()?;
        let key = format!("supervision.dashboard|{filter:?}|{office}");
        self.cache.get_or(&key, &stamp, || {
            self.build_dashboard(&filter, office)
                .map(|d| crate::privacy::for_viewer(viewer, d))
        })
    }

    fn build_dashboard(&self, filter: &ItemFilter, office: bool) -> Result<Dashboard> {
        let today = self.today();
        self.store.read(|c| {
            let items = summaries(c, filter)?;
            let mut d = dashboard_of(&items, &today.to_string(), self.clock.is_simulated());
            let visible: HashMap<i64, &ItemSummary> = items.iter().map(|i| (i.id, i)).collect();
            if office {
                d.to_review = sdb::pending_reports(c, 200)?
                    .into_iter()
                    .filter_map(|r| {
                        visible.get(&r.case_id).map(|i| ToReview {
                            item_id: i.id,
                            item_title: i.title.clone(),
                            report: report_out(r),
                        })
                    })
                    .collect();
            }
            d.punctuality = sdb::monthly_punctuality(c, filter.unit_id.as_deref())?
                .into_iter()
                .map(|(period, on_time, late, missing)| Punctuality {
                    period,
                    on_time,
                    late,
                    missing,
                })
                .collect();
            Ok(d)
        })
    }
}
