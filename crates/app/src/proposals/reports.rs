//! Bulletins and reports (通报与总结): the quarterly progress bulletin per unit (郑政办〔2020〕27号
//! 第八条 — 每季度将各承办单位办理进度、成绩和存在问题等情况通报一次), each unit's summary after
//! the year's handling (第十二条, for units with 2件以上), and the government's annual report to
//! the people's congress and the CPPCC (第十二条). The figures are the five standards of
//! 第十六条 computed as of the period's end from the dated facts (receipt, reply, meeting and
//! feedback dates), so a past quarter reads as it stood then.

use super::standards::{judge, ItemRef, UnitStandards};
use super::views::UnitRef;
use crate::{App, Result, Viewer};
use chrono::NaiveDate;
use luoshi_domain::{Error, Role};
use luoshi_rules::common::Date;
use luoshi_rules::proposal::{ItemFacts, Kind, RoundFacts, Satisfaction, Source};
use luoshi_store::proposals::{self as pdb, DatedFact, ItemFilter, ItemRow, ReplyRow, RoundRow};
use luoshi_store::{units, Conn};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

fn date(s: &str) -> Option<NaiveDate> {
    crate::cases::clocks::date(s)
}

/// Everything dated about the items of a year.
struct Dated {
    rows: Vec<ItemRow>,
    rounds: HashMap<i64, Vec<RoundRow>>,
    replies: HashMap<i64, Vec<ReplyRow>>,
    meetings: HashMap<i64, Vec<DatedFact>>,
    feedback: HashMap<i64, Vec<DatedFact>>,
    names: HashMap<String, String>,
}

fn by_case(list: Vec<DatedFact>) -> HashMap<i64, Vec<DatedFact>> {
    let mut map: HashMap<i64, Vec<DatedFact>> = HashMap::new();
    for f in list {
        map.entry(f.case_id).or_default().push(f);
    }
    map
}

fn load(c: &mut dyn Conn, year: i64, unit: Option<&str>) -> Result<Dated> {
    let rows = pdb::items(
        c,
        &ItemFilter {
            year: Some(year),
            ..ItemFilter::default()
        },
    )?;
    let rows: Vec<ItemRow> = match unit {
        Some(u) => {
            let rounds = pdb::rounds_of(c, &rows.iter().map(|r| r.id).collect::<Vec<_>>())?;
            rows.into_iter()
                .filter(|r| {
                    rounds
                        .get(&r.id)
                        .is_some_and(|rs| rs.iter().any(|x| x.lead_unit.as_deref() == Some(u)))
                })
                .collect()
        }
        None => rows,
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    Ok(Dated {
        rounds: pdb::rounds_of(c, &ids)?,
        replies: pdb::replies_of(c, &ids)?,
        meetings: by_case(pdb::meetings_of(c, &ids)?),
        feedback: by_case(pdb::feedback_of(c, &ids)?),
        names: units::list_units(c)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect(),
        rows,
    })
}

/// An item's facts as they stood at the end of `end`, and the unit leading it then.
fn facts_as_of(d: &Dated, row: &ItemRow, end: NaiveDate) -> Option<(String, ItemFacts)> {
    let on_or_before = |s: &str| date(s).is_some_and(|x| x <= end);
    let rounds: Vec<&RoundRow> = d
        .rounds
        .get(&row.id)?
        .iter()
        .filter(|r| on_or_before(&r.received_date))
        .collect();
    let last = rounds.last()?;
    if last.outcome.as_deref() == Some("returned")
        && last.closed_at.as_deref().is_some_and(on_or_before)
    {
        return None;
    }
    let unit = last.lead_unit.clone()?;
    let facts: Vec<RoundFacts> = rounds
        .iter()
        .filter(|r| {
            !(r.outcome.as_deref() == Some("returned")
                && r.closed_at.as_deref().is_some_and(on_or_before))
        })
        .filter_map(|r| {
            Some(RoundFacts {
                due: Date(date(&r.reply_due)?),
                replied: r
                    .replied_date
                    .as_deref()
                    .and_then(date)
                    .filter(|x| *x <= end)
                    .map(Date),
            })
        })
        .collect();
    let sent = d.replies.get(&row.id).and_then(|rs| {
        rs.iter()
            .rev()
            .find(|r| r.sent_date.as_deref().is_some_and(on_or_before))
    });
    let rating = d.feedback.get(&row.id).and_then(|fs| {
        fs.iter()
            .rev()
            .find(|f| on_or_before(&f.on_date))
            .and_then(|f| f.rating.as_deref())
            .and_then(Satisfaction::parse)
    });
    Some((
        unit,
        ItemFacts {
            id: row.id,
            kind: Kind::parse(&row.kind)?,
            key_item: row.key_item,
            rounds: facts,
            met_in_person: d
                .meetings
                .get(&row.id)
                .is_some_and(|ms| ms.iter().any(|m| on_or_before(&m.on_date))),
            satisfaction: rating,
            class: sent.and_then(|r| r.class.chars().next()),
        },
    ))
}

/// One unit's line in the quarterly bulletin.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulletinLine {
    pub standards: UnitStandards,
    /// Items replied by the period's end.
    pub replied: usize,
    /// 存在问题: items overdue at the period's end.
    pub problems: Vec<ItemRef>,
}

/// The quarterly progress bulletin (第八条).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bulletin {
    pub year: i64,
    pub quarter: u32,
    pub period_end: String,
    /// The bulletin reads the period as it stood on this day (today, within the quarter).
    pub as_of: String,
    pub recipients: &'static str,
    pub citation: &'static str,
    pub overall: UnitStandards,
    pub lines: Vec<BulletinLine>,
}

/// Totals for the annual report and a unit's summary.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub items: usize,
    pub by_source: BTreeMap<String, usize>,
    pub by_kind: BTreeMap<String, usize>,
    pub session: usize,
    pub recess: usize,
    pub key_items: usize,
    pub assigned: usize,
    pub replied: usize,
    /// A, B, C, D.
    pub by_class: BTreeMap<String, usize>,
    pub by_satisfaction: BTreeMap<String, usize>,
    pub redo_rounds: usize,
    pub returns_approved: i64,
    pub published: usize,
    pub withheld: usize,
    pub met_in_person: usize,
}

/// One item in a unit's summary.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryItem {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub class: Option<String>,
    pub satisfaction: Option<String>,
    pub replied_date: Option<String>,
    pub rounds: usize,
}

/// A unit's summary of the year (第十二条).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitSummary {
    pub year: i64,
    pub as_of: String,
    pub unit: UnitRef,
    pub required: bool,
    pub citation: &'static str,
    pub totals: Totals,
    pub standards: UnitStandards,
    pub items: Vec<SummaryItem>,
}

/// The government's annual report on the year's handling (第十二条).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualReport {
    pub year: i64,
    pub as_of: String,
    pub citation: &'static str,
    pub totals: Totals,
    pub overall: UnitStandards,
    pub units: Vec<UnitStandards>,
}

fn totals(d: &Dated, returns_approved: i64) -> Totals {
    let mut t = Totals {
        items: d.rows.len(),
        returns_approved,
        ..Totals::default()
    };
    for r in &d.rows {
        let source = Source::parse(&r.source)
            .map(Source::label)
            .unwrap_or("其他");
        *t.by_source.entry(source.to_string()).or_default() += 1;
        let kind = Kind::parse(&r.kind).map(Kind::label).unwrap_or("其他");
        *t.by_kind.entry(kind.to_string()).or_default() += 1;
        if r.session == "recess" {
            t.recess += 1;
        } else {
            t.session += 1;
        }
        t.key_items += usize::from(r.key_item);
        let rounds = d.rounds.get(&r.id).map(Vec::as_slice).unwrap_or_default();
        t.assigned += usize::from(!rounds.is_empty());
        t.redo_rounds += rounds.iter().filter(|x| x.reason == "redo").count();
        t.replied += usize::from(r.replied_date.is_some());
        t.met_in_person += usize::from(r.met_in_person);
        if let Some(c) = &r.class {
            *t.by_class.entry(c.clone()).or_default() += 1;
        }
        if let Some(s) = r.satisfaction.as_deref().and_then(Satisfaction::parse) {
            *t.by_satisfaction.entry(s.label().to_string()).or_default() += 1;
        }
        match r.disclosure.as_deref() {
            Some("full" | "summary") => t.published += 1,
            Some("withheld") => t.withheld += 1,
            _ => {}
        }
    }
    t
}

fn require_reader(viewer: &Viewer) -> Result<()> {
    let user = viewer.user().ok_or_else(Error::unauthenticated)?;
    if user.sees_all_units() || user.has(Role::Leader) {
        Ok(())
    } else {
        Err(Error::forbidden("通报和年度总结由建议提案处编制"))
    }
}

fn quarter_end(year: i64, quarter: u32) -> Result<NaiveDate> {
    let month = match quarter {
        1..=4 => quarter * 3,
        _ => {
            return Err(Error::bad_input(
                "E_INPUT",
                format!("季度应为 1 至 4，实为 {quarter}"),
            ))
        }
    };
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year as i32 + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year as i32, month + 1, 1)
    };
    first_next
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| Error::bad_input("E_INPUT", format!("年度 {year} 无效")))
}

fn unit_ref(names: &HashMap<String, String>, id: &str) -> UnitRef {
    UnitRef {
        id: id.to_string(),
        name: names.get(id).cloned().unwrap_or_else(|| id.to_string()),
    }
}

impl App {
    /// The quarterly progress bulletin (第八条) of `year`'s items, as the quarter stood at its
    /// end (or today, for the running quarter).
    /// A unit's staff read the bulletin with their own unit's line only.
    pub fn proposal_bulletin(&self, viewer: &Viewer, year: i64, quarter: u32) -> Result<Bulletin> {
        let own_unit = match viewer.user() {
            Some(u) if u.has(Role::UnitStaff) && !u.sees_all_units() => u.unit_id.clone(),
            _ => None,
        };
        if own_unit.is_none() {
            require_reader(viewer)?;
        }
        let end = quarter_end(year, quarter)?;
        let as_of = end.min(self.today());
        self.store.read(|c| {
            let d = load(c, year, None)?;
            let mut per_unit: BTreeMap<String, Vec<ItemFacts>> = BTreeMap::new();
            let mut all = Vec::new();
            let mut refs: HashMap<i64, ItemRef> = HashMap::new();
            for row in &d.rows {
                if let Some((unit, f)) = facts_as_of(&d, row, as_of) {
                    refs.insert(row.id, ItemRef::of(row));
                    per_unit.entry(unit).or_default().push(f.clone());
                    all.push(f);
                }
            }
            let mut lines = Vec::new();
            for (unit, facts) in &per_unit {
                let s = judge(Some(unit_ref(&d.names, unit)), facts, as_of)?;
                let problems = s.figures[0]
                    .short
                    .iter()
                    .filter(|id| {
                        facts
                            .iter()
                            .any(|f| f.id == **id && f.rounds.iter().any(|r| r.replied.is_none()))
                    })
                    .filter_map(|id| refs.get(id).cloned())
                    .collect();
                lines.push(BulletinLine {
                    replied: facts
                        .iter()
                        .filter(|f| f.rounds.iter().any(|r| r.replied.is_some()))
                        .count(),
                    problems,
                    standards: s,
                });
            }
            if let Some(mine) = &own_unit {
                lines.retain(|l| l.standards.unit.as_ref().is_some_and(|u| &u.id == mine));
            }
            lines.sort_by(|a, b| {
                b.problems
                    .len()
                    .cmp(&a.problems.len())
                    .then(b.standards.items.cmp(&a.standards.items))
            });
            Ok(Bulletin {
                year,
                quarter,
                period_end: end.to_string(),
                as_of: as_of.to_string(),
                recipients: "市人大、市政府、市政协领导和有关部门",
                citation: "郑政办〔2020〕27号 第八条",
                overall: judge(None, &all, as_of)?,
                lines,
            })
        })
    }

    /// A unit's summary of `year` (第十二条). Unit staff read their own unit's.
    pub fn proposal_unit_summary(
        &self,
        viewer: &Viewer,
        year: i64,
        unit: &str,
    ) -> Result<UnitSummary> {
        let user = viewer.user().ok_or_else(Error::unauthenticated)?;
        let own = user.has(Role::UnitStaff) && user.unit_id.as_deref() == Some(unit);
        if !own {
            require_reader(viewer)?;
        }
        let as_of = self.today();
        self.store.read(|c| {
            let d = load(c, year, Some(unit))?;
            let ids: Vec<i64> = d.rows.iter().map(|r| r.id).collect();
            let facts: Vec<ItemFacts> = d
                .rows
                .iter()
                .filter_map(|r| facts_as_of(&d, r, as_of))
                .filter(|(u, _)| u == unit)
                .map(|(_, f)| f)
                .collect();
            let standards = judge(Some(unit_ref(&d.names, unit)), &facts, as_of)?;
            let items = d
                .rows
                .iter()
                .map(|r| SummaryItem {
                    id: r.id,
                    number: format!("{}{}", super::source_label(&r.source), r.number),
                    subject: r.subject.clone(),
                    class: r.class.clone(),
                    satisfaction: r
                        .satisfaction
                        .as_deref()
                        .map(|s| super::satisfaction_label(s).to_string()),
                    replied_date: r.replied_date.clone(),
                    rounds: d.rounds.get(&r.id).map_or(0, Vec::len),
                })
                .collect();
            Ok(UnitSummary {
                year,
                as_of: as_of.to_string(),
                unit: unit_ref(&d.names, unit),
                required: standards.summary_required,
                citation: "郑政办〔2020〕27号 第十二条",
                totals: totals(&d, pdb::approved_returns(c, &ids)?),
                standards,
                items,
            })
        })
    }

    /// The government's annual report on `year`'s handling (第十二条).
    pub fn proposal_annual_report(&self, viewer: &Viewer, year: i64) -> Result<AnnualReport> {
        require_reader(viewer)?;
        let view = self.proposal_standards(viewer, Some(year), None)?;
        self.store.read(|c| {
            let d = load(c, year, None)?;
            let ids: Vec<i64> = d.rows.iter().map(|r| r.id).collect();
            Ok(AnnualReport {
                year,
                as_of: view.as_of.clone(),
                citation: "郑政办〔2020〕27号 第十二条",
                totals: totals(&d, pdb::approved_returns(c, &ids)?),
                overall: view.overall.clone(),
                units: view.units.clone(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_end_on_their_last_day() {
        assert_eq!(quarter_end(2020, 1).unwrap().to_string(), "2020-03-31");
        assert_eq!(quarter_end(2020, 4).unwrap().to_string(), "2020-12-31");
        assert_eq!(quarter_end(2020, 5).unwrap_err().code, "E_INPUT");
    }
}
