//! Read-side views (查询视图) with access applied: what each page and API answer shows.
//!
//! Filtering happens here, once: a view never returns a tracked task the viewer may not see.

use crate::privacy::{for_viewer, Redact};
use crate::{App, Permission, Result, Viewer};
use luoshi_domain::Error;
use luoshi_store::gazette as db;
use luoshi_store::OwnerRole;
use luoshi_store::{
    search, units, ClauseRow, Counts, DocumentRow, GroupRow, IndicatorRow, IssueRow, ListRow,
    SearchHit, TargetRow, TaskRow, UnitRow, UnresolvedRow,
};
use serde::Serialize;

/// Everything shown on a document's page.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub document: DocumentRow,
    pub clauses: Vec<ClauseRow>,
    /// Only the tasks and actions the viewer may see.
    pub tasks: Vec<TaskRow>,
    /// How many tasks exist in all (so the page can say some are hidden).
    pub tasks_total: usize,
    pub indicators: Vec<IndicatorRow>,
    pub targets: Vec<TargetRow>,
    pub lists: Vec<ListRow>,
    /// Shown to the city-wide offices only.
    pub unresolved: Vec<UnresolvedRow>,
}

impl Redact for DocumentView {
    fn redact(&mut self) {
        self.document.redact();
        self.clauses.redact();
        self.tasks.redact();
        self.indicators.redact();
        self.targets.redact();
        self.lists.redact();
        self.unresolved.redact();
    }
}

/// A unit's page.
#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    pub unit: UnitRow,
    pub groups: Vec<GroupRow>,
    /// `None` when the viewer may not see the unit's work.
    pub tasks: Option<Vec<TaskRow>>,
}

/// A unit in the directory with its task count.
#[derive(Debug, Clone, Serialize)]
pub struct UnitEntry {
    pub unit: UnitRow,
    pub tasks: i64,
}

fn task_permission(t: &TaskRow) -> Permission {
    Permission::ReadTask {
        owner_units: t.owners.iter().filter_map(|o| o.unit_id.clone()).collect(),
        leaders: t
            .owners
            .iter()
            .filter(|o| o.role == OwnerRole::Leader)
            .map(|o| o.name.clone())
            .collect(),
    }
}

impl App {
    pub fn issues(&self, viewer: &Viewer) -> Result<Vec<IssueRow>> {
        viewer.require(&Permission::ReadGazette)?;
        Ok(self.store.read(db::list_issues)?)
    }

    pub fn documents(&self, viewer: &Viewer, issue_id: Option<i64>) -> Result<Vec<DocumentRow>> {
        viewer.require(&Permission::ReadGazette)?;
        let list = self.store.read(|c| db::list_documents(c, issue_id))?;
        Ok(for_viewer(viewer, list))
    }

    pub fn document(&self, viewer: &Viewer, id: i64) -> Result<DocumentView> {
        viewer.require(&Permission::ReadGazette)?;
        let sees_unresolved = viewer.can(&Permission::ReadAllWork);
        let view = self.store.read(|c| {
            let Some(document) = db::get_document(c, id)? else {
                return Ok(None);
            };
            let all_tasks = db::list_tasks(c, id)?;
            Ok::<_, luoshi_store::StoreError>(Some(DocumentView {
                clauses: db::list_clauses(c, id)?,
                tasks_total: all_tasks.len(),
                tasks: all_tasks
                    .into_iter()
                    .filter(|t| viewer.can(&task_permission(t)))
                    .collect(),
                indicators: db::list_indicators(c, id)?,
                targets: db::list_targets(c, id)?,
                lists: db::list_lists(c, id)?,
                unresolved: if sees_unresolved {
                    db::list_unresolved(c, Some(id))?
                } else {
                    vec![]
                },
                document,
            }))
        })?;
        let view = view.ok_or_else(|| Error::not_found(format!("公文（编号 {id}）")))?;
        Ok(for_viewer(viewer, view))
    }

    /// The lines of a document's source text, numbered as in the issue.
    pub fn document_lines(&self, viewer: &Viewer, id: i64) -> Result<Vec<(i64, String)>> {
        viewer.require(&Permission::ReadGazette)?;
        let (doc, text) = self.store.read(|c| {
            Ok::<_, luoshi_store::StoreError>((db::get_document(c, id)?, db::document_text(c, id)?))
        })?;
        let (Some(doc), Some(text)) = (doc, text) else {
            return Err(Error::not_found(format!("公文（编号 {id}）")));
        };
        let lines: Vec<(i64, String)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (doc.first_line + i as i64, l.to_string()))
            .collect();
        Ok(for_viewer(viewer, lines))
    }

    pub fn task(&self, viewer: &Viewer, id: i64) -> Result<TaskRow> {
        let task = self
            .store
            .read(|c| db::get_task(c, id))?
            .ok_or_else(|| Error::not_found(format!("任务（编号 {id}）")))?;
        viewer.require(&task_permission(&task))?;
        Ok(for_viewer(viewer, task))
    }

    pub fn units(&self, viewer: &Viewer) -> Result<Vec<UnitEntry>> {
        viewer.require(&Permission::ReadUnits)?;
        let (list, counts) = self.store.read(|c| {
            Ok::<_, luoshi_store::StoreError>((units::list_units(c)?, db::unit_task_counts(c)?))
        })?;
        let counts: std::collections::HashMap<String, i64> = counts.into_iter().collect();
        Ok(list
            .into_iter()
            .map(|unit| UnitEntry {
                tasks: counts.get(&unit.id).copied().unwrap_or(0),
                unit,
            })
            .collect())
    }

    pub fn unit(&self, viewer: &Viewer, id: &str) -> Result<UnitView> {
        viewer.require(&Permission::ReadUnits)?;
        let may_see_work = viewer.can(&Permission::ReadUnitWork {
            unit_id: id.to_string(),
        });
        let view = self.store.read(|c| {
            let Some(unit) = units::get_unit(c, id)? else {
                return Ok(None);
            };
            let groups = units::list_groups(c)?
                .into_iter()
                .filter(|g| g.members.iter().any(|m| m == id))
                .collect();
            let tasks = if may_see_work {
                Some(for_viewer(viewer, db::tasks_for_unit(c, id)?))
            } else {
                None
            };
            Ok::<_, luoshi_store::StoreError>(Some(UnitView {
                unit,
                groups,
                tasks,
            }))
        })?;
        view.ok_or_else(|| Error::not_found(format!("单位 {id}")))
    }

    pub fn groups(&self, viewer: &Viewer) -> Result<Vec<GroupRow>> {
        viewer.require(&Permission::ReadUnits)?;
        Ok(self.store.read(units::list_groups)?)
    }

    /// 责任领导 names with their task counts.
    pub fn leaders(&self, viewer: &Viewer) -> Result<Vec<(String, i64)>> {
        viewer.require(&Permission::ReadAllWork)?;
        Ok(self.store.read(db::leaders)?)
    }

    pub fn leader_portfolio(&self, viewer: &Viewer, leader: &str) -> Result<Vec<TaskRow>> {
        viewer.require(&Permission::ReadLeaderPortfolio {
            leader: leader.to_string(),
        })?;
        let tasks = self.store.read(|c| db::tasks_for_leader(c, leader))?;
        Ok(for_viewer(viewer, tasks))
    }

    /// Full-text search of the published gazette.
    pub fn search(&self, viewer: &Viewer, query: &str) -> Result<Vec<SearchHit>> {
        viewer.require(&Permission::ReadGazette)?;
        if query.chars().count() > 200 {
            return Err(Error::bad_input(
                "E_QUERY_TOO_LONG",
                "检索词不能超过200个字符",
            ));
        }
        // Searching for a phone or ID number would tell whether the gazette holds it, even
        // with the hit masked: without the need to see personal data, such a query finds nothing.
        if !crate::privacy::sees_personal_data(viewer)
            && luoshi_domain::mask::has_personal_data(query)
        {
            return Ok(vec![]);
        }
        let hits = self.store.read(|c| search::search(c, query, 50))?;
        Ok(for_viewer(viewer, hits))
    }

    pub fn counts(&self) -> Result<Counts> {
        Ok(self.store.read(db::counts)?)
    }
}

/// The path of the deepest clause whose lines contain `line` (empty when none does).
pub fn clause_path_at(clauses: &[ClauseRow], line: i64) -> String {
    clauses
        .iter()
        .filter(|c| c.first_line <= line && line <= c.last_line)
        .max_by_key(|c| (c.first_line, std::cmp::Reverse(c.last_line)))
        .map(|c| c.path.clone())
        .unwrap_or_default()
}
