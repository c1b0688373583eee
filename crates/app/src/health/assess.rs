//! Assessment (考核) of counties/districts and departments, 郑政文〔2020〕59号 附件2 三（二）、
//! 三（三）: a scoring scheme kept as data (the office may change it; the default is below),
//! a results table with every figure behind each score, and the lists of those to commend
//! (通报表扬: 考评结果好的) and to interview (约谈: 进度滞后、工作不力的).
//!
//! The default scheme ([`Scheme::default`]): the indicators of 附件3 (the assessment
//! framework), weight 1 each; a series scores by its headline status in the year — achieved
//! 100, on track 80, behind 40, deteriorating 0; not assessable is left out of the weighted
//! mean (and counted). Commend: score ≥ 85, at most 3, in rank order. Interview: score < 60, or
//! 2 or more indicators deteriorating. Ties: more achieved, then fewer deteriorating, then
//! more assessed, then name.

use super::attain::{self};
use super::views::{base, Base};
use super::{areas, CITY};
use crate::{App, Result, Viewer};
use luoshi_domain::Error;
use luoshi_rules::attainment::{Point, Status};
use luoshi_store::health::{self as hdb, ObsFilter, SeriesRow};
use luoshi_store::{cases as cdb, gazette as gdb, Conn};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Setting holding the office's scheme (JSON); absent: [`Scheme::default`].
pub const SCHEME_SETTING: &str = "health.scheme";
const CITES: &str = "郑政文〔2020〕59号 附件2 三（二）、三（三）";

/// A tie-break, applied in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    MoreAchieved,
    FewerDeteriorating,
    MoreAssessed,
    Name,
}

/// The scoring scheme (考核计分办法).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub name: String,
    /// `table` (附件3 only) or `all` (prose targets too).
    pub include: String,
    /// Weight of a series by key (`T2`); others take `default_weight`.
    pub weights: BTreeMap<String, Decimal>,
    pub default_weight: Decimal,
    /// Points per status (`achieved`, `on_track`, `behind`, `deteriorating`).
    pub points: BTreeMap<String, Decimal>,
    pub commend_min: Decimal,
    pub commend_max: usize,
    pub interview_below: Decimal,
    pub interview_deteriorating: usize,
    pub tie_breaks: Vec<TieBreak>,
}

impl Default for Scheme {
    fn default() -> Self {
        let points = [
            ("achieved", 100),
            ("on_track", 80),
            ("behind", 40),
            ("deteriorating", 0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Decimal::from(v)))
        .collect();
        Scheme {
            name: "附件3 考核指标等权计分（默认）".into(),
            include: "table".into(),
            weights: BTreeMap::new(),
            default_weight: Decimal::ONE,
            points,
            commend_min: Decimal::from(85),
            commend_max: 3,
            interview_below: Decimal::from(60),
            interview_deteriorating: 2,
            tie_breaks: vec![
                TieBreak::MoreAchieved,
                TieBreak::FewerDeteriorating,
                TieBreak::MoreAssessed,
                TieBreak::Name,
            ],
        }
    }
}

impl Scheme {
    fn weight(&self, s: &SeriesRow) -> Decimal {
        self.weights
            .get(&s.key)
            .copied()
            .unwrap_or(self.default_weight)
    }
    fn includes(&self, s: &SeriesRow) -> bool {
        (self.include == "all" || s.source == "table") && !self.weight(s).is_zero()
    }
    /// Check the scheme; a bad one is refused with the reason.
    pub fn check(&self) -> Result<()> {
        for k in self.points.keys() {
            if Status::parse(k).is_none() || k == "not_assessable" {
                return Err(Error::bad_input(
                    "E_HEALTH_SCHEME",
                    format!("计分办法中“{k}”不是可计分的状态"),
                ));
            }
        }
        if !matches!(self.include.as_str(), "table" | "all") {
            return Err(Error::bad_input(
                "E_HEALTH_SCHEME",
                "include 应为 table 或 all",
            ));
        }
        if self.weights.values().any(|w| w.is_sign_negative())
            || self.default_weight.is_sign_negative()
        {
            return Err(Error::bad_input("E_HEALTH_SCHEME", "权重不能为负数"));
        }
        Ok(())
    }
}

/// One indicator's part of a score.
#[derive(Debug, Clone, Serialize)]
pub struct ItemScore {
    pub series_id: i64,
    pub key: String,
    pub name: String,
    pub status: Status,
    pub weight: Decimal,
    pub points: Option<Decimal>,
    pub latest: Option<Point>,
    pub explanation: String,
}

/// A county/district or department assessed.
#[derive(Debug, Clone, Serialize)]
pub struct Assessed {
    pub id: String,
    pub name: String,
    pub score: Option<Decimal>,
    pub rank: usize,
    pub counts: BTreeMap<String, usize>,
    pub assessed: usize,
    pub items: Vec<ItemScore>,
    pub commend: bool,
    pub interview: bool,
    /// Why commended or interviewed, with the figures.
    pub reasons: Vec<String>,
}

impl Assessed {
    fn count(&self, s: Status) -> usize {
        self.counts.get(s.as_str()).copied().unwrap_or(0)
    }
}

/// The assessment of a year.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub year: i64,
    pub scheme: Scheme,
    pub cites: &'static str,
    pub areas: Vec<Assessed>,
    pub departments: Vec<Assessed>,
}

fn score_one(
    scheme: &Scheme,
    base: &Base,
    series: &[&SeriesRow],
    values: &HashMap<i64, Vec<Point>>,
    year: i64,
    area: &str,
    (id, name): (String, String),
) -> Assessed {
    let mut items = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let (mut sum, mut weights) = (Decimal::ZERO, Decimal::ZERO);
    for s in series {
        let vals = values.get(&s.id).cloned().unwrap_or_default();
        let statuses =
            attain::statuses(s, base.targets_of(s.id), &vals, year, &base.decisions, area);
        let head = attain::headline(&statuses, year);
        let status = head
            .map(|h| h.attainment.status)
            .unwrap_or(Status::NotAssessable);
        *counts.entry(status.as_str().into()).or_default() += 1;
        let weight = scheme.weight(s);
        let points = scheme.points.get(status.as_str()).copied();
        if let Some(p) = points {
            sum += p * weight;
            weights += weight;
        }
        items.push(ItemScore {
            series_id: s.id,
            key: s.key.clone(),
            name: s.name.clone(),
            status,
            weight,
            points,
            latest: vals.last().copied(),
            explanation: head
                .map(|h| h.attainment.explanation.clone())
                .unwrap_or_else(|| "没有目标".into()),
        });
    }
    let assessed = items.iter().filter(|i| i.points.is_some()).count();
    Assessed {
        id,
        name,
        score: (!weights.is_zero()).then(|| (sum / weights).round_dp(2)),
        rank: 0,
        counts,
        assessed,
        items,
        commend: false,
        interview: false,
        reasons: Vec::new(),
    }
}

/// Rank by score and the tie-breaks, then mark whom to commend and to interview.
pub fn rank(scheme: &Scheme, list: &mut [Assessed]) {
    list.sort_by(|a, b| {
        let mut o = b.score.cmp(&a.score);
        for t in &scheme.tie_breaks {
            if o != std::cmp::Ordering::Equal {
                break;
            }
            o = match t {
                TieBreak::MoreAchieved => b.count(Status::Achieved).cmp(&a.count(Status::Achieved)),
                TieBreak::FewerDeteriorating => a
                    .count(Status::Deteriorating)
                    .cmp(&b.count(Status::Deteriorating)),
                TieBreak::MoreAssessed => b.assessed.cmp(&a.assessed),
                TieBreak::Name => a.name.cmp(&b.name),
            };
        }
        o
    });
    let mut commended = 0;
    for (i, a) in list.iter_mut().enumerate() {
        a.rank = i + 1;
        let Some(score) = a.score else {
            a.reasons.push("没有可计分的指标，不参加排名".into());
            continue;
        };
        if score >= scheme.commend_min && commended < scheme.commend_max {
            commended += 1;
            a.commend = true;
            a.reasons.push(format!(
                "得分 {score}（≥{}），排名第 {}；已实现 {} 项，进度正常 {} 项",
                scheme.commend_min,
                a.rank,
                a.count(Status::Achieved),
                a.count(Status::OnTrack)
            ));
        }
        let worse = a.count(Status::Deteriorating);
        if score < scheme.interview_below {
            a.interview = true;
            a.reasons.push(format!(
                "得分 {score}（<{}）：进度滞后 {} 项，趋于恶化 {worse} 项",
                scheme.interview_below,
                a.count(Status::Behind)
            ));
        } else if worse >= scheme.interview_deteriorating {
            a.interview = true;
            let names: Vec<&str> = a
                .items
                .iter()
                .filter(|i| i.status == Status::Deteriorating)
                .map(|i| i.name.as_str())
                .collect();
            a.reasons.push(format!(
                "{worse} 项指标趋于恶化（≥{}）：{}",
                scheme.interview_deteriorating,
                names.join("、")
            ));
        }
    }
}

/// Assess counties/districts and departments in `year` (uncached).
pub fn build(c: &mut dyn Conn, scheme: &Scheme, year: i64) -> Result<Assessment> {
    let base = base(c)?;
    let series: Vec<&SeriesRow> = base.series.iter().filter(|s| scheme.includes(s)).collect();
    let obs = hdb::observations(
        c,
        &ObsFilter {
            yearly: true,
            approved_only: true,
            ..ObsFilter::default()
        },
    )?;
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
    let mut area_list = Vec::new();
    for a in areas(c)?.into_iter().filter(|a| a.id != CITY) {
        let vals = by_area.get(&a.id).unwrap_or(&empty);
        area_list.push(score_one(
            scheme,
            &base,
            &series,
            vals,
            year,
            &a.id,
            (a.id.clone(), a.name.clone()),
        ));
    }
    rank(scheme, &mut area_list);
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
        for o in task.owners.iter().filter(|o| o.role == "lead") {
            let id = o.unit_id.clone().unwrap_or_else(|| o.name.clone());
            depts
                .entry(id)
                .or_insert_with(|| (o.name.clone(), Vec::new()))
                .1
                .push(s);
        }
    }
    let city = by_area.get(CITY).unwrap_or(&empty);
    let mut dept_list: Vec<Assessed> = depts
        .into_iter()
        .map(|(id, (name, list))| score_one(scheme, &base, &list, city, year, CITY, (id, name)))
        .collect();
    rank(scheme, &mut dept_list);
    Ok(Assessment {
        year,
        scheme: scheme.clone(),
        cites: CITES,
        areas: area_list,
        departments: dept_list,
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

impl App {
    /// The assessment of `year` (approved values only), for the office and the city-wide
    /// offices; the results are published through the reports.
    pub fn health_assessment(&self, viewer: &Viewer, year: i64) -> Result<Assessment> {
        if !super::views::scope_sees_all(self, viewer)? {
            return Err(if viewer.user().is_none() {
                Error::unauthenticated()
            } else {
                Error::forbidden(
                    "考核结果由推进委员会办公室审定后通报（郑政文〔2020〕59号 附件2 三（三））",
                )
            });
        }
        self.store.read(|c| {
            let s = scheme(c)?;
            build(c, &s, year)
        })
    }

    /// Replace the scoring scheme (the office only), checked first.
    pub fn health_set_scheme(&self, viewer: &Viewer, scheme: &Scheme) -> Result<()> {
        if !super::is_office(viewer) {
            return Err(Error::forbidden("只有推进委员会办公室可以修改考核计分办法"));
        }
        scheme.check()?;
        let at = self.now();
        let text = serde_json::to_string(scheme).map_err(|e| Error::internal(e.to_string()))?;
        self.store.write(|c| {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn a(name: &str, score: Option<i64>, achieved: usize, worse: usize) -> Assessed {
        let mut counts = BTreeMap::new();
        counts.insert("achieved".into(), achieved);
        counts.insert("deteriorating".into(), worse);
        Assessed {
            id: name.into(),
            name: name.into(),
            score: score.map(Decimal::from),
            rank: 0,
            counts,
            assessed: achieved + worse,
            items: Vec::new(),
            commend: false,
            interview: false,
            reasons: Vec::new(),
        }
    }

    #[test]
    fn ranking_ties_and_lists() {
        let s = Scheme::default();
        let mut list = vec![
            a("乙", Some(90), 3, 0),
            a("甲", Some(90), 4, 0),
            a("丙", Some(85), 2, 0),
            a("丁", Some(85), 2, 0),
            a("戊", Some(59), 0, 1),
            a("己", Some(70), 1, 2),
            a("庚", None, 0, 0),
        ];
        rank(&s, &mut list);
        let names: Vec<&str> = list.iter().map(|x| x.name.as_str()).collect();
        // 甲 before 乙 (more achieved); 丙 and 丁 tie to the name (Unicode order).
        assert_eq!(&names[..2], ["甲", "乙"]);
        let commended: Vec<&str> = list
            .iter()
            .filter(|x| x.commend)
            .map(|x| x.name.as_str())
            .collect();
        assert_eq!(commended.len(), 3, "at most three, 85 included");
        let interviewed: Vec<&str> = list
            .iter()
            .filter(|x| x.interview)
            .map(|x| x.name.as_str())
            .collect();
        assert_eq!(interviewed, ["己", "戊"]);
        assert!(list.iter().find(|x| x.name == "戊").unwrap().reasons[0].contains("59"));
        assert!(list.last().unwrap().reasons[0].contains("不参加排名"));
        let mut bad = Scheme::default();
        bad.points.insert("excellent".into(), Decimal::ONE);
        assert_eq!(bad.check().unwrap_err().code, "E_HEALTH_SCHEME");
    }
}
