//! The health-monitoring demo (健康行动监测演示数据): realistic, generated values for 2018–2024,
//! marked as demo, so a first visit shows working charts, statuses and a report.
//!
//! What it replays, through the same services a person would use: the office assigns the
//! indicators the document does not place (and corrects one the reader placed by its words);
//! each action's lead department enters the city's yearly values, submits and approves them
//! (2024 stays submitted, waiting for approval); each county/district enters its own values of
//! the assessment indicators; the office records decisions on the two 提前实现 targets. Values
//! move from the baseline toward the 2022 target — most on track, some behind, a few getting
//! worse — at the published rounding of the baseline and target. Every value is flagged `demo`
//! and the reports say so.

use crate::health::{ValueIn, CITY};
use crate::{App, Result, Viewer};
use chrono::NaiveDate;
use luoshi_domain::{Role, User};
use luoshi_store::health::{self as hdb, SeriesRow, TargetRow};
use luoshi_store::OwnerRole;
use luoshi_store::{gazette as gdb, Conn};
use rust_decimal::Decimal;
use std::str::FromStr;

/// Stand-in staff names start with this (the values they enter are marked demo).
const ACTOR: &str = "演示-";

fn actor(unit: Option<&str>, roles: Vec<Role>) -> Viewer {
    Viewer::User(User {
        id: 0,
        username: format!("{ACTOR}{}", unit.unwrap_or("健康办")),
        display_name: "演示数据".into(),
        unit_id: unit.map(str::to_string),
        roles,
        disabled: false,
        leader_name: None,
    })
}

/// A stable pseudo-random number 0..1000 for a text and a number.
fn roll(key: &str, salt: i64) -> i64 {
    let mut x: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        x = (x ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    x = x.wrapping_add((salt as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    ((x ^ (x >> 29)) % 1000) as i64
}

/// The office's placements of indicators the document does not tie to an action.
const ASSIGN: &[(&str, i64)] = &[
    ("T1", 1),
    ("T3", 7),
    ("T8", 11),
    ("T9", 16),
    ("T10", 16),
    ("T13", 7),
    ("T19", 8),
    ("T20", 8),
];

/// Years of values the demo fills.
pub const YEARS: std::ops::RangeInclusive<i64> = 2018..=2024;

fn dec(s: Option<&str>) -> Option<Decimal> {
    Decimal::from_str(s?).ok()
}

/// The generated yearly path of a series for an area: (year, value text).
fn path(s: &SeriesRow, targets: &[TargetRow], area: &str) -> Vec<(i64, String)> {
    let numeric = targets
        .iter()
        .filter(|t| t.value.is_some())
        .min_by_key(|t| t.year);
    let trend = targets.iter().find(|t| t.op == "trend");
    let scale = [
        s.baseline_value.as_deref(),
        numeric.and_then(|t| t.value.as_deref()),
    ]
    .iter()
    .flatten()
    .filter_map(|v| dec(Some(v)))
    .map(|d| d.scale())
    .max()
    .unwrap_or(1)
    .max(1);
    let up = s.direction != "down";
    let kind = roll(&s.key, 1) % 10;
    let (start_year, start, goal) = match (dec(s.baseline_value.as_deref()), numeric) {
        (Some(b), Some(t)) => (
            s.baseline_year.unwrap_or(2018),
            b,
            dec(t.value.as_deref()).unwrap_or(b),
        ),
        (None, Some(t)) => {
            let g = dec(t.value.as_deref()).unwrap_or(Decimal::ONE);
            let gap = (g * Decimal::new(15, 2)).max(Decimal::ONE);
            (2018, if up { g - gap } else { g + gap }, g)
        }
        (Some(b), None) => (s.baseline_year.unwrap_or(2018), b, b),
        (None, None) if trend.is_some() => {
            let b = Decimal::from(10 + roll(&s.key, 2) % 30);
            (
                2018,
                b,
                if up {
                    b * Decimal::new(12, 1)
                } else {
                    b * Decimal::new(8, 1)
                },
            )
        }
        (None, None) => return Vec::new(),
    };
    // Already at the target (100% coverage): stay there, wobbling below now and then.
    let gap = goal - start;
    let span = Decimal::from((2022 - start_year).max(1));
    let per_year = match kind {
        0..=5 => gap / span * Decimal::new(11, 1),
        6 | 7 => gap / span * Decimal::new(6, 1),
        8 => -(gap / span * Decimal::new(3, 1)),
        _ => gap / span * Decimal::new(15, 1),
    };
    let offset = if area == CITY {
        Decimal::ZERO
    } else {
        (start.abs() * Decimal::from(roll(area, s.id) - 500) / Decimal::from(10_000))
            .round_dp(scale)
    };
    let cap = if s.unit.as_deref() == Some("%") {
        Some(Decimal::from(100))
    } else {
        None
    };
    YEARS
        .filter(|y| *y > start_year || (s.baseline_value.is_none() && *y >= start_year))
        .map(|y| {
            let noise = Decimal::from(roll(&format!("{}{area}", s.key), y) - 500)
                * gap.abs().max(Decimal::ONE)
                / Decimal::from(40_000);
            let mut v = start + per_year * Decimal::from(y - start_year) + noise + offset;
            if let Some(c) = cap {
                v = v.min(c);
            }
            v = v.max(Decimal::ZERO).round_dp(scale);
            let mut text = v.to_string();
            if v.scale() < scale {
                let mut r = v;
                r.rescale(scale);
                text = r.to_string();
            }
            (y, text)
        })
        .collect()
}

fn lead_unit(c: &mut dyn Conn, s: &SeriesRow) -> Result<Option<String>> {
    let Some(t) = s.action_task_id else {
        return Ok(None);
    };
    Ok(gdb::get_task(c, t)?.and_then(|t| {
        t.owners
            .into_iter()
            .find(|o| o.role == OwnerRole::Lead && o.unit_id.is_some())
            .and_then(|o| o.unit_id)
    }))
}

impl App {
    /// Fill the demo's health values (once: does nothing when values exist).
    pub fn seed_health_demo(&self) -> Result<usize> {
        let office = actor(None, vec![Role::Health]);
        if self
            .store
            .read(|c| c.count("SELECT COUNT(*) AS n FROM health_observations", &[]))?
            > 0
        {
            return Ok(0);
        }
        let all = self.store.read(|c| hdb::series(c, None))?;
        for (key, no) in ASSIGN {
            if let Some(s) = all.iter().find(|s| s.key == *key) {
                if s.action_no != Some(*no) {
                    self.health_assign(&office, s.id, *no)?;
                }
            }
        }
        let all = self.store.read(|c| hdb::series(c, None))?;
        let targets = self.store.read(hdb::targets)?;
        let areas = self.store.read(crate::health::areas)?;
        let saved = self.today();
        let mut n = 0;
        for year in YEARS {
            self.clock
                .set_today(NaiveDate::from_ymd_opt(year as i32 + 1, 3, 20).unwrap_or(saved));
            let today = self.today();
            n += self.store.write(|c| -> Result<usize> {
                let mut n = 0;
                for s in &all {
                    let Some(lead) = lead_unit(c, s)? else {
                        continue;
                    };
                    let lead_actor = actor(Some(&lead), vec![Role::UnitStaff]);
                    let own: Vec<TargetRow> = targets
                        .iter()
                        .filter(|t| t.series_id == s.id)
                        .cloned()
                        .collect();
                    let mut places = vec![CITY.to_string()];
                    if s.source == "table" && own.iter().any(|t| t.value.is_some()) {
                        places.extend(areas.iter().filter(|a| a.id != CITY).map(|a| a.id.clone()));
                    }
                    for area in places {
                        let Some((_, value)) =
                            path(s, &own, &area).into_iter().find(|(y, _)| *y == year)
                        else {
                            continue;
                        };
                        let enterer = if area == CITY {
                            lead_actor.clone()
                        } else {
                            actor(Some(&area), vec![Role::UnitStaff])
                        };
                        let v = vec![ValueIn {
                            value,
                            note: "演示数据".into(),
                            ..ValueIn::default()
                        }];
                        self.health_act_in(
                            c, &enterer, s.id, &area, year, "enter", v, None, today,
                        )?;
                        self.health_act_in(
                            c,
                            &enterer,
                            s.id,
                            &area,
                            year,
                            "submit",
                            vec![],
                            None,
                            today,
                        )?;
                        if year < *YEARS.end() {
                            self.health_act_in(
                                c,
                                &lead_actor,
                                s.id,
                                &area,
                                year,
                                "approve",
                                vec![],
                                None,
                                today,
                            )?;
                        }
                        n += 1;
                    }
                }
                hdb::mark_demo(c, ACTOR)?;
                Ok(n)
            })?;
        }
        self.clock.set_today(saved);
        for t in targets
            .iter()
            .filter(|t| t.op == "text" && t.source == "table")
        {
            self.health_decide(
                &office,
                t.series_id,
                t.id,
                CITY,
                2021,
                true,
                "演示：已印发专家库和资源库名单、绩效考核办法（文件编号为演示）",
            )?;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_keep_the_published_rounding_and_stay_in_range() {
        let s = SeriesRow {
            id: 1,
            document_id: 1,
            doc_no: "郑政文〔2020〕59号".into(),
            key: "T13".into(),
            no: Some(13),
            part: 0,
            name: "产前筛查率".into(),
            unit: Some("%".into()),
            factor: Some("100".into()),
            direction: "up".into(),
            direction_source: String::new(),
            baseline_value: Some("60.2".into()),
            baseline_year: Some(2018),
            baseline_text: None,
            basis: None,
            action_task_id: None,
            action_no: None,
            action_name: None,
            owner_source: String::new(),
            source: "table".into(),
            clause: String::new(),
            first_line: 0,
            last_line: 0,
            demo: false,
        };
        let t = TargetRow {
            year: 2022,
            op: ">=".into(),
            value: Some("70.2".into()),
            ..TargetRow::default()
        };
        let p = path(&s, std::slice::from_ref(&t), CITY);
        assert_eq!(p.first().map(|x| x.0), Some(2019));
        assert_eq!(p.last().map(|x| x.0), Some(2024));
        for (_, v) in &p {
            let d = Decimal::from_str(v).unwrap();
            assert_eq!(d.scale(), 1, "{v}");
            assert!(d >= Decimal::ZERO && d <= Decimal::from(100));
        }
        assert_ne!(path(&s, std::slice::from_ref(&t), "county.jinshui"), p);
    }
}
