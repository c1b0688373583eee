//! Assessment (考核) of counties/districts and departments, 郑政文〔2020〕59号 附件2 三（二）、
//! 三（三）: the office's scoring scheme kept as a setting (the default is
//! [`Scheme::default`]), each subject's indicators with their attainment in the year, scored,
//! ranked and listed (通报表扬 / 约谈) by the rule [`luoshi_rules::assessment`], which cites
//! the clause and gives the figures behind every place on a list.

use super::attain::{self};
use super::views::{approved_yearly, base, Base};
use super::{areas, CITY};
use crate::{App, Result, Viewer};
use luoshi_domain::Error;
use luoshi_rules::assessment::{self as rule, Item, Subject};
pub use luoshi_rules::assessment::{Scheme, Scored as Assessed, TieBreak};
use luoshi_rules::attainment::{Point, Status};
use luoshi_store::health::{self as hdb, SeriesRow};
use luoshi_store::OwnerRole;
use luoshi_store::{cases as cdb, gazette as gdb, Conn};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Setting holding the office's scheme (JSON); absent: [`Scheme::default`].
pub const SCHEME_SETTING: &str = "health.scheme";

/// The assessment of a year.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub year: i64,
    pub scheme: Scheme,
    pub cites: &'static str,
    pub areas: Vec<Assessed>,
    pub departments: Vec<Assessed>,
}

/// The scheme as text (表单和 API): decimals as strings exactly as written, tie-breaks by name
/// (`more_achieved`, `fewer_deteriorating`, `more_assessed`, `name`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchemeText {
    /// 计分办法名称.
    pub name: String,
    /// `table`（仅附件3 考核指标）或 `all`（含正文目标）.
    pub include: String,
    /// 指标编号 → 权重（如 `"T2": "2"`）；其余指标取 default_weight；权重 0 不计入.
    #[serde(default)]
    pub weights: BTreeMap<String, String>,
    pub default_weight: String,
    /// 状态 → 分值：achieved、on_track、behind、deteriorating.
    pub points: BTreeMap<String, String>,
    /// 通报表扬分数线（不低于）.
    pub commend_min: String,
    /// 通报表扬至多几个.
    pub commend_max: usize,
    /// 约谈分数线（低于）.
    pub interview_below: String,
    /// 趋于恶化的指标达几项即约谈.
    pub interview_deteriorating: usize,
    /// 得分相同时依次比较.
    pub tie_breaks: Vec<String>,
}

impl From<&Scheme> for SchemeText {
    fn from(s: &Scheme) -> Self {
        let text = |m: &BTreeMap<String, Decimal>| {
            m.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
        };
        SchemeText {
            name: s.name.clone(),
            include: s.include.clone(),
            weights: text(&s.weights),
            default_weight: s.default_weight.to_string(),
            points: text(&s.points),
            commend_min: s.commend_min.to_string(),
            commend_max: s.commend_max,
            interview_below: s.interview_below.to_string(),
            interview_deteriorating: s.interview_deteriorating,
            tie_breaks: s.tie_breaks.iter().map(|t| t.as_str().into()).collect(),
        }
    }
}

impl SchemeText {
    /// Read the scheme; a number that is not one, or an unknown tie-break, is refused naming it.
    pub fn parse(&self) -> Result<Scheme> {
        let bad = |what: &str, v: &str| {
            Error::bad_input(
                "E_HEALTH_SCHEME",
                format!("考核计分办法有误：{what}“{v}”不是数字"),
            )
        };
        let num = |what: &str, v: &str| v.trim().parse::<Decimal>().map_err(|_| bad(what, v));
        let map = |what: &str, m: &BTreeMap<String, String>| {
            m.iter()
                .map(|(k, v)| Ok((k.trim().to_string(), num(&format!("{what} {k} "), v)?)))
                .collect::<Result<BTreeMap<_, _>>>()
        };
        let tie_breaks = self
            .tie_breaks
            .iter()
            .map(|t| {
                TieBreak::parse(t.trim()).ok_or_else(|| {
                    Error::bad_input(
                        "E_HEALTH_SCHEME",
                        format!(
                            "考核计分办法有误：并列规则“{t}”应为 more_achieved、fewer_deteriorating、more_assessed 或 name"
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Scheme {
            name: self.name.trim().to_string(),
            include: self.include.trim().to_string(),
            weights: map("权重", &self.weights)?,
            default_weight: num("默认权重", &self.default_weight)?,
            points: map("分值", &self.points)?,
            commend_min: num("表扬分数线", &self.commend_min)?,
            commend_max: self.commend_max,
            interview_below: num("约谈分数线", &self.interview_below)?,
            interview_deteriorating: self.interview_deteriorating,
            tie_breaks,
        })
    }
}

/// A subject's indicators with their headline status in `year` on `values` (of `area`).
fn subject(
    base: &Base,
    series: &[&SeriesRow],
    values: &HashMap<i64, Vec<Point>>,
    year: i64,
    area: &str,
    (id, name): (String, String),
) -> Subject {
    let items = series
        .iter()
        .map(|s| {
            let vals = values.get(&s.id).map(Vec::as_slice).unwrap_or_default();
            let statuses =
                attain::statuses(s, base.targets_of(s.id), vals, year, &base.decisions, area);
            let head = attain::headline(&statuses, year);
            Item {
                id: s.id,
                key: s.key.clone(),
                name: s.name.clone(),
                status: head
                    .map(|h| h.attainment.status)
                    .unwrap_or(Status::NotAssessable),
                latest: vals.last().copied(),
                explanation: head
                    .map(|h| h.attainment.explanation.clone())
                    .unwrap_or_else(|| "没有目标".into()),
            }
        })
        .collect();
    Subject { id, name, items }
}

/// Assess counties/districts and departments in `year` (uncached).
pub fn build(c: &mut dyn Conn, scheme: &Scheme, year: i64) -> Result<Assessment> {
    let base = base(c)?;
    let series: Vec<&SeriesRow> = base
        .series
        .iter()
        .filter(|s| scheme.includes(&s.key, &s.source))
        .collect();
    let obs = approved_yearly(c)?;
    let mut by_area: HashMap<String, HashMap<i64, Vec<Point>>> = HashMap::new();
    for o in &obs {
        by_area
            .entry(o.area.clone())
            .or_default()
            .entry(o.series_id)
            .or_default()
            .extend(attain::points(std::slice::from_ref(o)));
    }
    for m in by_area.values_mut() {
        for v in m.values_mut() {
            v.retain(|p| i64::from(p.year) <= year);
        }
    }
    let empty = HashMap::new();
    let mut area_subjects = Vec::new();
    for a in areas(c)?.into_iter().filter(|a| a.id != CITY) {
        let vals = by_area.get(&a.id).unwrap_or(&empty);
        area_subjects.push(subject(
            &base,
            &series,
            vals,
            year,
            &a.id,
            (a.id.clone(), a.name),
        ));
    }
    // Departments: the lead department of each action, judged on the city's values.
    let mut depts: BTreeMap<String, (String, Vec<&SeriesRow>)> = BTreeMap::new();
    for s in &series {
        let Some(task) = s
            .action_task_id
            .map(|t| gdb::get_task(c, t))
            .transpose()?
            .flatten()
        else {
            continue;
        };
        for o in task.owners.iter().filter(|o| o.role == OwnerRole::Lead) {
            let id = o.unit_id.clone().unwrap_or_else(|| o.name.clone());
            depts
                .entry(id)
                .or_insert_with(|| (o.name.clone(), Vec::new()))
                .1
                .push(s);
        }
    }
    let city = by_area.get(CITY).unwrap_or(&empty);
    let dept_subjects: Vec<Subject> = depts
        .into_iter()
        .map(|(id, (name, list))| subject(&base, &list, city, year, CITY, (id, name)))
        .collect();
    Ok(Assessment {
        year,
        scheme: scheme.clone(),
        cites: rule::CITATION,
        areas: rule::assess(scheme, &area_subjects),
        departments: rule::assess(scheme, &dept_subjects),
    })
}

/// The scheme in force.
pub fn scheme(c: &mut dyn Conn) -> Result<Scheme> {
    match cdb::setting(c, SCHEME_SETTING)? {
        None => Ok(Scheme::default()),
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| Error::internal(format!("考核计分办法设置无法读取：{e}"))),
    }
}

fn office_only(viewer: &Viewer) -> Error {
    if viewer.user().is_none() {
        Error::unauthenticated()
    } else {
        Error::forbidden(
            "只有推进委员会办公室可以修改考核计分办法（郑政文〔2020〕59号 附件2 三（一））",
        )
    }
}

impl App {
    /// The assessment of `year` (approved values only), for the office and the city-wide
    /// offices; the results are published through the reports.
    pub fn health_assessment(&self, viewer: &Viewer, year: i64) -> Result<Assessment> {
        self.health_assessment_access(viewer)?;
        self.store.read(|c| {
            let s = scheme(c)?;
            build(c, &s, year)
        })
    }

    /// The scoring scheme in force, for those who see the assessment.
    pub fn health_scheme(&self, viewer: &Viewer) -> Result<Scheme> {
        self.health_assessment_access(viewer)?;
        self.store.read(scheme)
    }

    fn health_assessment_access(&self, viewer: &Viewer) -> Result<()> {
        if super::views::scope_sees_all(self, viewer)? {
            return Ok(());
        }
        Err(if viewer.user().is_none() {
            Error::unauthenticated()
        } else {
            Error::forbidden(
                "考核结果经推进委员会审定后通报，由推进委员会办公室组织实施（郑政文〔2020〕59号 附件2 三（一）、三（三））",
            )
        })
    }

    /// Replace the scoring scheme from its text (the form and the API).
    pub fn health_set_scheme_text(&self, viewer: &Viewer, text: &SchemeText) -> Result<Scheme> {
        if !super::is_office(viewer) {
            return Err(office_only(viewer));
        }
        let scheme = text.parse()?;
        self.health_set_scheme(viewer, &scheme)?;
        Ok(scheme)
    }

    /// Replace the scoring scheme (the office only, 附件2 三（一）), checked first: a bad one
    /// changes nothing.
    pub fn health_set_scheme(&self, viewer: &Viewer, scheme: &Scheme) -> Result<()> {
        if !super::is_office(viewer) {
            return Err(office_only(viewer));
        }
        scheme
            .check()
            .map_err(|e| Error::bad_input("E_HEALTH_SCHEME", format!("考核计分办法有误：{e}")))?;
        let at = self.now();
        let text = serde_json::to_string(scheme).map_err(|e| Error::internal(e.to_string()))?;
        self.store.write(|c| {
            let keys: std::collections::BTreeSet<String> =
                hdb::series(c, None)?.into_iter().map(|s| s.key).collect();
            if let Some(k) = scheme.weights.keys().find(|k| !keys.contains(*k)) {
                return Err(Error::bad_input(
                    "E_HEALTH_SCHEME",
                    format!("考核计分办法有误：权重中的指标编号“{k}”不存在（如 T2、T25.1）"),
                ));
            }
            let before = cdb::setting(c, SCHEME_SETTING)?;
            cdb::set_setting(c, SCHEME_SETTING, &text, &at, &viewer.actor())?;
            luoshi_store::audit::append(
                c,
                &luoshi_domain::AuditDraft {
                    actor: viewer.actor(),
                    action: "health.scheme".into(),
                    entity: "setting".into(),
                    entity_id: SCHEME_SETTING.into(),
                    before,
                    after: Some(text.clone()),
                },
                &at,
            )?;
            super::bump_generation(c, &at)
        })
    }
}
