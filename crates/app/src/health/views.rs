//! What each viewer reads (监测视图): the dashboard of every series, one series in detail, an
//! action's series side by side and the comparison of counties/districts, each filtered by
//! access and cached until health data changes.
//!
//! Access: the office (健康办) and administrators, and the city-wide offices, see every
//! value; a department sees every value of the actions it leads or shares and the approved
//! values of the rest; a county/district government sees its own area's values and the
//! approved rest; the public sees approved values only. Series definitions come from the
//! published gazette and are public.

use super::attain::{self, Decisions, TargetStatus};
use super::charts;
use super::{areas, is_office, Area, CITY, GENERATION};
use crate::{App, Result, Viewer};
use chrono::Datelike;
use luoshi_domain::{Error, Role};
use luoshi_rules::attainment::{Point, Status};
use luoshi_store::cases as cdb;
use luoshi_store::health::{
    self as hdb, HistoryRow, ObsFilter, ObservationRow, SeriesRow, TargetRow,
};
use luoshi_store::Conn;
use luoshi_store::TaskKind;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Who is looking, reduced to what decides access.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub all: bool,
    pub office: bool,
    pub unit: Option<String>,
    /// Action task ids the unit owns.
    pub actions: Vec<i64>,
    pub signed_in: bool,
}

impl Scope {
    /// The cache key of this scope.
    pub fn key(&self) -> String {
        if self.all {
            "all".into()
        } else if let Some(u) = &self.unit {
            format!("unit:{u}")
        } else {
            "public".into()
        }
    }

    /// May this scope see this value?
    pub fn sees(&self, s: &SeriesRow, o: &ObservationRow) -> bool {
        self.all || o.status == "approved" || self.enters(s, &o.area)
    }

    /// May this scope enter values of this series for this area?
    pub fn enters(&self, s: &SeriesRow, area: &str) -> bool {
        self.unit.as_deref().is_some_and(|u| u == area)
            || s.action_task_id.is_some_and(|t| self.actions.contains(&t))
    }
}

/// The scope of a viewer.
pub fn scope(c: &mut dyn Conn, viewer: &Viewer) -> Result<Scope> {
    let Some(u) = viewer.user() else {
        return Ok(Scope::default());
    };
    let office = is_office(viewer);
    let unit = u.unit_id.clone().filter(|_| u.has(Role::UnitStaff));
    let actions = match &unit {
        Some(unit) => hdb::actions_of_unit(c, unit)?,
        None => Vec::new(),
    };
    Ok(Scope {
        all: office || u.sees_all_units(),
        office,
        unit,
        actions,
        signed_in: true,
    })
}

/// Whether the viewer sees every value (the office and the city-wide offices).
pub fn scope_sees_all(app: &App, viewer: &Viewer) -> Result<bool> {
    Ok(app.health_scope(viewer)?.all)
}

/// A series on the dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesSummary {
    pub series: SeriesRow,
    pub targets: Vec<TargetRow>,
    pub latest: Option<Point>,
    pub headline: Option<TargetStatus>,
    /// City yearly values (visible to the viewer), oldest first.
    pub values: Vec<Point>,
    pub can_enter: bool,
    /// The sparkline as SVG, drawn once with the cached view rather than on every request.
    #[serde(skip)]
    pub sparkline: String,
}

/// An action (专项行动) and its series.
#[derive(Debug, Clone, Serialize)]
pub struct ActionGroup {
    pub no: i64,
    pub name: String,
    pub series: Vec<i64>,
}

/// The dashboard (监测总览).
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub year: i64,
    pub series: Vec<SeriesSummary>,
    pub counts: BTreeMap<String, usize>,
    pub actions: Vec<ActionGroup>,
    pub unassigned: Vec<i64>,
    pub office: bool,
}

/// Everything about one series.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesDetail {
    pub series: SeriesRow,
    pub year: i64,
    /// City attainment of every target.
    pub statuses: Vec<TargetStatus>,
    pub values: Vec<Point>,
    pub observations: Vec<ObservationRow>,
    pub history: BTreeMap<i64, Vec<HistoryRow>>,
    pub areas: Vec<Area>,
    pub can_enter: bool,
    pub office: bool,
    /// The document's 专项行动 (number, name), for the office to assign the series to one;
    /// empty for everyone else.
    pub actions: Vec<(i64, String)>,
}

/// One area in a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct AreaRow {
    pub area: Area,
    pub values: Vec<Point>,
    pub latest: Option<Point>,
    pub headline: Option<TargetStatus>,
    /// The sparkline as SVG (drawn once with the cached view).
    #[serde(skip)]
    pub sparkline: String,
}

/// Counties/districts compared on one series (区县对比).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub series: SeriesRow,
    pub year: i64,
    pub rows: Vec<AreaRow>,
}

/// The data every view is built from.
pub struct Base {
    pub series: Vec<SeriesRow>,
    pub targets: HashMap<i64, Vec<TargetRow>>,
    pub decisions: Decisions,
}

/// Read the series, their targets and the decisions.
pub fn base(c: &mut dyn Conn) -> Result<Base> {
    let mut targets: HashMap<i64, Vec<TargetRow>> = HashMap::new();
    for t in hdb::targets(c)? {
        targets.entry(t.series_id).or_default().push(t);
    }
    Ok(Base {
        series: hdb::series(c, None)?,
        targets,
        decisions: attain::index_decisions(hdb::decisions(c)?),
    })
}

/// Every approved yearly value (审定的年度数值), the only values the assessment and the reports
/// use.
pub fn approved_yearly(c: &mut dyn Conn) -> Result<Vec<ObservationRow>> {
    Ok(hdb::observations(
        c,
        &ObsFilter {
            yearly: true,
            approved_only: true,
            ..ObsFilter::default()
        },
    )?)
}

impl Base {
    pub fn targets_of(&self, id: i64) -> &[TargetRow] {
        self.targets.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The year to show: the asked one, else the latest year with a visible city value, else
/// last year.
fn pick_year(asked: Option<i64>, values: &[(i64, i64)], today: chrono::NaiveDate) -> i64 {
    asked
        .or_else(|| values.iter().map(|v| v.1).max())
        .unwrap_or(i64::from(today.year()) - 1)
}

fn summary(
    base: &Base,
    s: &SeriesRow,
    obs: &[ObservationRow],
    year: i64,
    scope: &Scope,
) -> SeriesSummary {
    let mut values = attain::points(obs);
    values.retain(|p| i64::from(p.year) <= year);
    let targets = base.targets_of(s.id);
    let statuses = attain::statuses(s, targets, &values, year, &base.decisions, CITY);
    let headline = attain::headline(&statuses, year).cloned();
    let status = headline.as_ref().map(|h| h.attainment.status);
    SeriesSummary {
        series: s.clone(),
        targets: targets.to_vec(),
        latest: values.last().copied(),
        sparkline: charts::svg(&charts::sparkline(&values, status, 90.0, 22.0)),
        headline,
        values,
        can_enter: scope.enters(s, CITY),
    }
}

impl App {
    /// The viewer's scope and the cache stamp, in one read (a cached view's whole cost).
    fn health_scope_stamp(&self, viewer: &Viewer) -> Result<(Scope, String)> {
        let (scope, generation) = self
            .store
            .read(|c| Ok::<_, Error>((scope(c, viewer)?, cdb::setting(c, GENERATION)?)))?;
        Ok((
            scope,
            format!("{}|{}", generation.unwrap_or_default(), self.today()),
        ))
    }

    /// The viewer's scope.
    pub fn health_scope(&self, viewer: &Viewer) -> Result<Scope> {
        self.store.read(|c| scope(c, viewer))
    }

    /// The dashboard for `year` (default: the latest year with values), cached per scope.
    pub fn health_dashboard(&self, viewer: &Viewer, year: Option<i64>) -> Result<Arc<Dashboard>> {
        let (scope, stamp) = self.health_scope_stamp(viewer)?;
        let key = format!("health.dashboard|{}|{:?}", scope.key(), year);
        let today = self.today();
        self.cache.get_or(&key, &stamp, || {
            self.store.read(|c| build_dashboard(c, &scope, year, today))
        })
    }

    /// One series with its values, history and the city's attainment.
    pub fn health_series(
        &self,
        viewer: &Viewer,
        id: i64,
        year: Option<i64>,
    ) -> Result<SeriesDetail> {
        let today = self.today();
        self.store.read(|c| {
            let scope = scope(c, viewer)?;
            let base = base(c)?;
            let s = base
                .series
                .iter()
                .find(|s| s.id == id)
                .cloned()
                .ok_or_else(|| Error::not_found(format!("监测指标（编号 {id}）")))?;
            let mut observations = hdb::observations(
                c,
                &ObsFilter {
                    series_id: Some(id),
                    ..ObsFilter::default()
                },
            )?;
            observations.retain(|o| scope.sees(&s, o));
            let city: Vec<ObservationRow> = observations
                .iter()
                .filter(|o| o.area == CITY)
                .cloned()
                .collect();
            let years: Vec<(i64, i64)> = city.iter().map(|o| (o.series_id, o.year)).collect();
            let year = pick_year(year, &years, today);
            let mut values = attain::points(&city);
            values.retain(|p| i64::from(p.year) <= year);
            let statuses = attain::statuses(
                &s,
                base.targets_of(id),
                &values,
                year,
                &base.decisions,
                CITY,
            );
            // One query for the whole series; only the observations this viewer sees.
            let seen: std::collections::HashSet<i64> = observations.iter().map(|o| o.id).collect();
            let mut history: BTreeMap<i64, Vec<HistoryRow>> = BTreeMap::new();
            for h in hdb::series_history(c, id)? {
                if seen.contains(&h.observation_id) {
                    history.entry(h.observation_id).or_default().push(h);
                }
            }
            let can_enter = scope.enters(&s, CITY)
                || scope.unit.as_deref().is_some_and(|u| scope.enters(&s, u));
            let actions = if scope.office {
                luoshi_store::gazette::list_tasks(c, s.document_id)?
                    .into_iter()
                    .filter(|t| t.kind == TaskKind::Action)
                    .map(|t| (t.no, t.name))
                    .collect()
            } else {
                Vec::new()
            };
            Ok(SeriesDetail {
                actions,
                can_enter,
                office: scope.office,
                series: s,
                year,
                statuses,
                values,
                observations,
                history,
                areas: areas(c)?,
            })
        })
    }

    /// Counties/districts compared on one series, cached per scope.
    pub fn health_comparison(
        &self,
        viewer: &Viewer,
        id: i64,
        year: Option<i64>,
    ) -> Result<Arc<Comparison>> {
        let (scope, stamp) = self.health_scope_stamp(viewer)?;
        let key = format!("health.compare|{}|{id}|{:?}", scope.key(), year);
        let today = self.today();
        self.cache.get_or(&key, &stamp, || {
            self.store
                .read(|c| build_comparison(c, &scope, id, year, today))
        })
    }
}

/// Build the dashboard (uncached).
pub fn build_dashboard(
    c: &mut dyn Conn,
    scope: &Scope,
    year: Option<i64>,
    today: chrono::NaiveDate,
) -> Result<Dashboard> {
    let base = base(c)?;
    let mut city = hdb::observations(
        c,
        &ObsFilter {
            area: Some(CITY.into()),
            yearly: true,
            ..ObsFilter::default()
        },
    )?;
    let by_id: HashMap<i64, &SeriesRow> = base.series.iter().map(|s| (s.id, s)).collect();
    city.retain(|o| by_id.get(&o.series_id).is_some_and(|s| scope.sees(s, o)));
    let years: Vec<(i64, i64)> = city.iter().map(|o| (o.series_id, o.year)).collect();
    let year = pick_year(year, &years, today);
    let mut per_series: HashMap<i64, Vec<ObservationRow>> = HashMap::new();
    for o in city {
        per_series.entry(o.series_id).or_default().push(o);
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut actions: BTreeMap<i64, ActionGroup> = BTreeMap::new();
    let mut unassigned = Vec::new();
    let mut series = Vec::new();
    for s in &base.series {
        let obs = per_series.remove(&s.id).unwrap_or_default();
        let sum = summary(&base, s, &obs, year, scope);
        let status = sum
            .headline
            .as_ref()
            .map(|h| h.attainment.status)
            .unwrap_or(Status::NotAssessable);
        *counts.entry(status.as_str().to_string()).or_default() += 1;
        match s.action_no {
            Some(no) => actions
                .entry(no)
                .or_insert_with(|| ActionGroup {
                    no,
                    name: s.action_name.clone().unwrap_or_default(),
                    series: Vec::new(),
                })
                .series
                .push(s.id),
            None => unassigned.push(s.id),
        }
        series.push(sum);
    }
    Ok(Dashboard {
        year,
        series,
        counts,
        actions: actions.into_values().collect(),
        unassigned,
        office: scope.office,
    })
}

/// Build a comparison (uncached).
pub fn build_comparison(
    c: &mut dyn Conn,
    scope: &Scope,
    id: i64,
    year: Option<i64>,
    today: chrono::NaiveDate,
) -> Result<Comparison> {
    let s = hdb::get_series(c, id)?
        .ok_or_else(|| Error::not_found(format!("监测指标（编号 {id}）")))?;
    let targets: Vec<TargetRow> = hdb::targets(c)?
        .into_iter()
        .filter(|t| t.series_id == id)
        .collect();
    let decisions = attain::index_decisions(hdb::decisions(c)?);
    let mut obs = hdb::observations(
        c,
        &ObsFilter {
            series_id: Some(id),
            yearly: true,
            ..ObsFilter::default()
        },
    )?;
    obs.retain(|o| scope.sees(&s, o));
    let years: Vec<(i64, i64)> = obs.iter().map(|o| (o.series_id, o.year)).collect();
    let year = pick_year(year, &years, today);
    let mut per_area: HashMap<String, Vec<ObservationRow>> = HashMap::new();
    for o in obs {
        per_area.entry(o.area.clone()).or_default().push(o);
    }
    let mut rows = Vec::new();
    for area in areas(c)? {
        let mut values = attain::points(per_area.get(&area.id).map(Vec::as_slice).unwrap_or(&[]));
        values.retain(|p| i64::from(p.year) <= year);
        let statuses = attain::statuses(&s, &targets, &values, year, &decisions, &area.id);
        let headline = attain::headline(&statuses, year).cloned();
        let status = headline.as_ref().map(|h| h.attainment.status);
        rows.push(AreaRow {
            sparkline: charts::svg(&charts::sparkline(&values, status, 110.0, 24.0)),
            headline,
            latest: values.last().copied(),
            values,
            area,
        });
    }
    Ok(Comparison {
        series: s,
        year,
        rows,
    })
}
