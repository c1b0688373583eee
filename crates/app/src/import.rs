//! Importing a gazette issue (公报导入): parse, then load everything in one transaction.
//!
//! Idempotent: the same text again changes nothing, and a document already stored (known by
//! its 文号) is skipped. All-or-nothing: any failure rolls the whole import back.

use crate::{now, App, Permission, Result, Viewer};
use luoshi_domain::{AuditDraft, Error};
use luoshi_gazette::registry::Registry;
use luoshi_gazette::{Document, Issue, Mention};
use luoshi_store::gazette as db;
use luoshi_store::{
    audit, units, ClauseRow, Conn, DocumentRow, GroupRow, IndicatorRow, ListKind, ListRow,
    OwnerRole, OwnerRow, TargetRow, TaskKind, TaskRow, UnitRow, UnresolvedRow,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What an import did (导入摘要): also the API's answer to an import.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    pub issue_id: Option<i64>,
    /// The same text was imported before: nothing changed.
    pub already_imported: bool,
    pub documents: usize,
    /// 文号 of documents skipped because they were already stored.
    pub skipped: Vec<String>,
    pub clauses: usize,
    pub tasks: usize,
    pub actions: usize,
    pub units_changed: usize,
    pub indicators: usize,
    pub targets: usize,
    pub rosters: usize,
    pub commendations: usize,
    pub unresolved: usize,
    /// Supervised items made from the documents' tasks and measures.
    pub supervision_items: usize,
    /// Monitored series made (健康行动监测指标).
    pub health_series: usize,
}

/// Progress callback: (documents done, documents total).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// The owner rows of one mention: the mention itself and, for a closed group, each member.
fn owner_rows(role: OwnerRole, m: &Mention, registry: &Registry) -> Vec<OwnerRow> {
    let mut rows = vec![OwnerRow {
        role,
        name: m.name.clone(),
        unit_id: m.unit.clone(),
        group_id: m.group.clone(),
        via_group: None,
        open: m.open,
        resolved: m.unit.is_some() || m.group.is_some(),
    }];
    // A closed group mention (`各县（市、区）政府`) assigns the work to every member.
    if let (Some(gid), false) = (&m.group, m.open) {
        if let Some(g) = registry.group(gid) {
            rows.extend(g.members.iter().map(|u| OwnerRow {
                role,
                name: m.name.clone(),
                unit_id: Some(u.clone()),
                group_id: None,
                via_group: Some(gid.clone()),
                open: false,
                resolved: true,
            }));
        }
    }
    rows
}

/// Bring the registry's units and groups into the database; returns how many changed.
fn sync_registry(c: &mut dyn Conn, registry: &Registry) -> Result<usize> {
    let mut changed = 0;
    for u in registry.units() {
        let row = UnitRow {
            id: u.id.clone(),
            name: u.name.clone(),
            kind: u.kind.as_str().to_string(),
            aliases: u.aliases.clone(),
        };
        changed += usize::from(units::upsert_unit(c, &row)?);
    }
    for g in registry.groups() {
        let row = GroupRow {
            id: g.id.clone(),
            name: g.name.clone(),
            aliases: g.aliases.clone(),
            members: g.members.clone(),
        };
        changed += usize::from(units::upsert_group(c, &row)?);
    }
    Ok(changed)
}

/// Lines `first..=last` (1-based) of the source, joined.
fn line_slice(lines: &[&str], first: usize, last: usize) -> String {
    let first = first.max(1);
    let last = last.min(lines.len());
    if first > last {
        return String::new();
    }
    lines[first - 1..last].join("\n")
}

/// Store one document and everything read from it; adds its counts to `sum`.
fn store_document(
    c: &mut dyn Conn,
    issue_id: i64,
    d: &Document,
    lines: &[&str],
    registry: &Registry,
    sum: &mut ImportSummary,
) -> Result<i64> {
    let doc_id = db::insert_document(
        c,
        &DocumentRow {
            id: 0,
            issue_id,
            doc_no: d.doc_no.clone(),
            issuer: d.issuer.clone(),
            date: d.date.clone(),
            title: d.title.clone(),
            kind: d.kind.clone(),
            recipients: d.recipients.clone(),
            attachments: d.attachments.clone(),
            first_line: d.span.first_line as i64,
            last_line: d.span.last_line as i64,
        },
        &line_slice(lines, d.span.first_line, d.span.last_line),
    )?;
    store_outline(c, doc_id, d)?;
    sum.clauses += d.outline.len();
    store_work(c, doc_id, d, registry)?;
    sum.tasks += d.tasks.len();
    sum.actions += d.actions.len();
    store_measures(c, doc_id, d)?;
    sum.indicators += d.indicators.len();
    sum.targets += d.targets.len();
    store_lists(c, doc_id, d)?;
    sum.rosters += d.rosters.len();
    sum.commendations += d.commendations.len();
    store_unresolved(c, doc_id, d)?;
    sum.unresolved += d.unresolved.len();
    Ok(doc_id)
}

/// The document's clauses, each indexed for full-text search.
fn store_outline(c: &mut dyn Conn, doc_id: i64, d: &Document) -> Result<()> {
    for (ord, k) in d.outline.iter().enumerate() {
        db::insert_clause(
            c,
            &ClauseRow {
                id: 0,
                document_id: doc_id,
                ord: ord as i64,
                parent_ord: k.parent.map(|p| p as i64),
                marker: k.marker.clone(),
                path: k.path.clone(),
                heading: k.heading.clone(),
                text: k.text.clone(),
                first_line: k.span.first_line as i64,
                last_line: k.span.last_line as i64,
            },
        )?;
    }
    Ok(())
}

/// Tasks and actions with their owners (leaders, lead units, units, assisting units).
fn store_work(c: &mut dyn Conn, doc_id: i64, d: &Document, registry: &Registry) -> Result<()> {
    for t in &d.tasks {
        let mut owners: Vec<OwnerRow> = t
            .leaders
            .iter()
            .map(|l| OwnerRow {
                role: OwnerRole::Leader,
                name: l.clone(),
                unit_id: None,
                group_id: None,
                via_group: None,
                open: false,
                resolved: true,
            })
            .collect();
        owners.extend(
            t.lead_units
                .iter()
                .flat_map(|m| owner_rows(OwnerRole::Lead, m, registry)),
        );
        owners.extend(
            t.units
                .iter()
                .flat_map(|m| owner_rows(OwnerRole::Co, m, registry)),
        );
        owners.extend(
            t.assisting_units
                .iter()
                .flat_map(|m| owner_rows(OwnerRole::Assist, m, registry)),
        );
        db::insert_task(
            c,
            &TaskRow {
                id: 0,
                document_id: doc_id,
                doc_no: d.doc_no.clone(),
                kind: TaskKind::Task,
                no: t.no as i64,
                name: String::new(),
                clause: t.clause.clone(),
                text: t.text.clone(),
                deadlines: t.deadlines.clone(),
                first_line: t.span.first_line as i64,
                last_line: t.span.last_line as i64,
                owners,
            },
        )?;
    }
    for a in &d.actions {
        let mut owners: Vec<OwnerRow> = a
            .lead_units
            .iter()
            .flat_map(|m| owner_rows(OwnerRole::Lead, m, registry))
            .collect();
        owners.extend(
            a.units
                .iter()
                .flat_map(|m| owner_rows(OwnerRole::Co, m, registry)),
        );
        db::insert_task(
            c,
            &TaskRow {
                id: 0,
                document_id: doc_id,
                doc_no: d.doc_no.clone(),
                kind: TaskKind::Action,
                no: a.no as i64,
                name: a.name.clone(),
                clause: a.clause.clone(),
                text: a.name.clone(),
                deadlines: vec![],
                first_line: a.span.first_line as i64,
                last_line: a.span.last_line as i64,
                owners,
            },
        )?;
    }
    Ok(())
}

/// Indicator rows and prose targets.
fn store_measures(c: &mut dyn Conn, doc_id: i64, d: &Document) -> Result<()> {
    for i in &d.indicators {
        db::insert_indicator(
            c,
            &IndicatorRow {
                id: 0,
                document_id: doc_id,
                no: i.no as i64,
                name: i.name.clone(),
                unit: i.unit.clone(),
                basis: i.basis.clone(),
                baseline_value: i.baseline.as_ref().and_then(|b| b.value),
                baseline_year: i.baseline.as_ref().and_then(|b| b.year).map(i64::from),
                baseline_text: i.baseline.as_ref().map(|b| b.text.clone()),
                targets: serde_json::to_value(&i.targets).unwrap_or_default(),
                clause: i.clause.clone(),
                first_line: i.span.first_line as i64,
                last_line: i.span.last_line as i64,
            },
        )?;
    }
    for t in &d.targets {
        db::insert_target(
            c,
            &TargetRow {
                id: 0,
                document_id: doc_id,
                metric: t.metric.clone(),
                year: t.year as i64,
                op: t.op.clone(),
                value: t.value,
                unit: t.unit.clone(),
                comparator: t.comparator.clone(),
                clause: t.clause.clone(),
                first_line: t.span.first_line as i64,
                last_line: t.span.last_line as i64,
            },
        )?;
    }
    Ok(())
}

/// Rosters (each member with the post and role the document gives) and commendation lists.
fn store_lists(c: &mut dyn Conn, doc_id: i64, d: &Document) -> Result<()> {
    for r in &d.rosters {
        db::insert_list(
            c,
            &ListRow {
                id: 0,
                document_id: doc_id,
                title: r.body.clone(),
                kind: ListKind::Roster,
                stated_count: None,
                entries: serde_json::to_value(&r.members).unwrap_or_default(),
                clause: r.clause.clone(),
                first_line: r.span.first_line as i64,
                last_line: r.span.last_line as i64,
            },
        )?;
    }
    for k in &d.commendations {
        db::insert_list(
            c,
            &ListRow {
                id: 0,
                document_id: doc_id,
                title: k.category.clone(),
                kind: k.kind.parse()?,
                stated_count: k.stated_count.map(i64::from),
                entries: serde_json::to_value(&k.entries).unwrap_or_default(),
                clause: k.clause.clone(),
                first_line: k.span.first_line as i64,
                last_line: k.span.last_line as i64,
            },
        )?;
    }
    Ok(())
}

/// What the reader kept but could not classify.
fn store_unresolved(c: &mut dyn Conn, doc_id: i64, d: &Document) -> Result<()> {
    for u in &d.unresolved {
        db::insert_unresolved(
            c,
            &UnresolvedRow {
                id: 0,
                document_id: doc_id,
                kind: u.kind.clone(),
                text: u.text.clone(),
                clause: u.clause.clone(),
                first_line: u.span.first_line as i64,
                last_line: u.span.last_line as i64,
            },
        )?;
    }
    Ok(())
}

/// The import's checks before anything is written: a text with no documents is not a
/// gazette issue, and a text cut short is not a whole one.
fn check_issue(issue: &Issue, text: &str, source_name: &str) -> Result<()> {
    if issue.documents.is_empty() {
        return Err(Error::bad_input(
            "E_NOT_GAZETTE",
            format!(
                "{source_name} 中未识别出任何公文（文号、发文机关、标题），不是政府公报，未导入"
            ),
        ));
    }
    if let Some(why) = crate::completeness::truncation(issue, text) {
        return Err(Error::bad_input(
            "E_TRUNCATED",
            format!("{source_name} 似乎不完整（{why}），未导入；请取得完整的公报文本后再导入"),
        ));
    }
    Ok(())
}

impl App {
    /// Import a gazette issue's text. `viewer` must hold [`Permission::Import`] (the command
    /// line acts as the system administrator).
    pub fn import_issue(
        &self,
        viewer: &Viewer,
        source_name: &str,
        text: &str,
        registry: &Registry,
        progress: Progress,
    ) -> Result<ImportSummary> {
        viewer.require(&Permission::Import)?;
        let sha = hex::encode(Sha256::digest(text.as_bytes()));
        let issue = luoshi_gazette::parse_with(text, registry);
        check_issue(&issue, text, source_name)?;
        let lines: Vec<&str> = text.lines().collect();
        let actor = viewer.actor();
        let total = issue.documents.len();
        self.store.write(|c| {
            db::lock_for_import(c)?;
            let mut sum = ImportSummary::default();
            if let Some(id) = db::issue_by_hash(c, &sha)? {
                sum.issue_id = Some(id);
                sum.already_imported = true;
                return Ok(sum);
            }
            let at = now();
            sum.units_changed = sync_registry(c, registry)?;
            if sum.units_changed > 0 {
                audit::append(
                    c,
                    &AuditDraft {
                        actor: actor.clone(),
                        action: "registry.sync".into(),
                        entity: "registry".into(),
                        entity_id: registry.city().to_string(),
                        before: None,
                        after: Some(format!(
                            "{{\"units_and_groups_changed\":{}}}",
                            sum.units_changed
                        )),
                    },
                    &at,
                )?;
            }
            let fresh: Vec<&Document> = {
                let mut fresh = Vec::new();
                for d in &issue.documents {
                    if db::document_id_by_no(c, &d.doc_no)?.is_some() {
                        sum.skipped.push(d.doc_no.clone());
                    } else {
                        fresh.push(d);
                    }
                }
                fresh
            };
            if fresh.is_empty() {
                return Ok(sum);
            }
            let issue_id = db::insert_issue(
                c,
                &db::NewIssue {
                    source_name,
                    sha256: &sha,
                    line_count: lines.len() as i64,
                    text,
                    imported_at: &at,
                    imported_by: &actor,
                },
            )?;
            sum.issue_id = Some(issue_id);
            for (n, d) in fresh.iter().enumerate() {
                let before = sum.clone();
                let doc_id = store_document(c, issue_id, d, &lines, registry, &mut sum)?;
                let made = crate::supervision::items::make_for_document(self, c, doc_id, &at)?;
                sum.supervision_items += made.items;
                sum.health_series += crate::health::series::make_for_document(self, c, doc_id)?;
                audit::append(
                    c,
                    &AuditDraft {
                        actor: actor.clone(),
                        action: "import.document".into(),
                        entity: "document".into(),
                        entity_id: doc_id.to_string(),
                        before: None,
                        after: Some(
                            serde_json::json!({
                                "doc_no": d.doc_no, "title": d.title, "issue_id": issue_id,
                                "clauses": sum.clauses - before.clauses,
                                "tasks": sum.tasks - before.tasks,
                                "indicators": sum.indicators - before.indicators,
                                "supervision_items": made.items,
                            })
                            .to_string(),
                        ),
                    },
                    &at,
                )?;
                sum.documents += 1;
                progress(n + 1 + sum.skipped.len(), total);
            }
            Ok(sum)
        })
    }
}
