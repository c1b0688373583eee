//! Attainment of the stored targets (目标实现情况): builds the rule's input from a series, one of
//! its targets, an area's yearly values and the office's latest decision, and picks the target
//! a series is judged by in a year (its headline).
//!
//! Yearly values (month 0) are what targets speak of; monthly values are shown, not judged.

use luoshi_rules::attainment::{self, Attainment, Decision, Direction, Op, Point, Status};
use luoshi_store::health::{DecisionRow, ObservationRow, SeriesRow, TargetRow};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use std::str::FromStr;

/// A target with its attainment.
#[derive(Debug, Clone, Serialize)]
pub struct TargetStatus {
    pub target: TargetRow,
    pub attainment: Attainment,
}

/// The series' baseline as a point.
pub fn baseline(s: &SeriesRow) -> Option<Point> {
    Some(Point {
        year: i32::try_from(s.baseline_year?).ok()?,
        value: Decimal::from_str(s.baseline_value.as_deref()?).ok()?,
    })
}

/// Yearly values as points (values that do not parse are left out: they were checked on entry).
pub fn points(obs: &[ObservationRow]) -> Vec<Point> {
    obs.iter()
        .filter(|o| o.month == 0)
        .filter_map(|o| {
            Some(Point {
                year: i32::try_from(o.year).ok()?,
                value: Decimal::from_str(&o.value).ok()?,
            })
        })
        .collect()
}

/// Latest decision per target, area and year.
pub type Decisions = HashMap<(i64, String, i64), DecisionRow>;

/// Index decisions (later rows win).
pub fn index_decisions(rows: Vec<DecisionRow>) -> Decisions {
    rows.into_iter()
        .map(|d| ((d.target_id, d.area.clone(), d.year), d))
        .collect()
}

/// The decision in force for a target and area in `as_of`: the latest made for a year up to it.
fn decision_for(decisions: &Decisions, t: &TargetRow, area: &str, as_of: i64) -> Option<Decision> {
    (t.year.min(as_of) - 10..=as_of)
        .rev()
        .find_map(|y| decisions.get(&(t.id, area.to_string(), y)))
        .map(|d| Decision {
            met: d.met,
            evidence: d.evidence.clone(),
            by: d.decided_by.clone(),
            at: d.decided_at.clone(),
        })
}

/// Assess one target of a series for an area's values.
pub fn assess(
    s: &SeriesRow,
    t: &TargetRow,
    values: &[Point],
    as_of: i64,
    decisions: &Decisions,
    area: &str,
) -> Attainment {
    let op = Op::parse(&t.op).unwrap_or(Op::Text);
    let input = attainment::Input {
        direction: Direction::parse(&s.direction),
        baseline: if area == super::CITY {
            baseline(s)
        } else {
            None
        },
        target: attainment::Target {
            year: i32::try_from(t.year).unwrap_or(0),
            op,
            value: t.value.as_deref().and_then(|v| Decimal::from_str(v).ok()),
            words: t.words.clone(),
            cites: t.clause.clone(),
        },
        observations: values.to_vec(),
        as_of: i32::try_from(as_of).unwrap_or(0),
        decision: decision_for(decisions, t, area, as_of),
        reading: luoshi_rules::counting::Reading::CivilCode,
    };
    attainment::assess(&input)
}

/// Every target of a series, assessed.
pub fn statuses(
    s: &SeriesRow,
    targets: &[TargetRow],
    values: &[Point],
    as_of: i64,
    decisions: &Decisions,
    area: &str,
) -> Vec<TargetStatus> {
    targets
        .iter()
        .map(|t| TargetStatus {
            target: t.clone(),
            attainment: assess(s, t, values, as_of, decisions, area),
        })
        .collect()
}

/// How bad a status is, for picking a headline (worst first).
fn severity(s: Status) -> u8 {
    match s {
        Status::Deteriorating => 0,
        Status::Behind => 1,
        Status::NotAssessable => 2,
        Status::OnTrack => 3,
        Status::Achieved => 4,
    }
}

/// The target a series is judged by in `as_of`: the nearest target year not yet past (else
/// the last), and among its targets the worst status. Numeric targets go before qualitative
/// ones of the same year.
pub fn headline(list: &[TargetStatus], as_of: i64) -> Option<&TargetStatus> {
    let year = list
        .iter()
        .map(|t| t.target.year)
        .filter(|y| *y >= as_of)
        .min()
        .or_else(|| list.iter().map(|t| t.target.year).max())?;
    let of_year: Vec<&TargetStatus> = list.iter().filter(|t| t.target.year == year).collect();
    let numeric: Vec<&TargetStatus> = of_year
        .iter()
        .copied()
        .filter(|t| t.target.op != "text")
        .collect();
    let pool = if numeric.is_empty() { of_year } else { numeric };
    pool.into_iter()
        .min_by_key(|t| severity(t.attainment.status))
}
