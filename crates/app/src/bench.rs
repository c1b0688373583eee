//! Benchmark data (压测数据): ten years of supervision in one database, built the way real use
//! builds it — gazette issues imported through the importer (one per year, the bundled issue
//! with its year changed), accounts added through the account service — plus the monthly
//! reports and their history rows written in bulk, since replaying 150,000 filings one by one
//! through the engine would measure the generator, not the server.

use crate::demo::{system_viewer, SEED_TEXT};
use crate::supervision::views::Filter;
use crate::{accounts::NewUser, App, Result};
use luoshi_domain::{Error, Role};
use luoshi_store::cases::{self as cdb, NewEvent};
use luoshi_store::supervision::{self as sdb, ReportRow};
use serde::Serialize;

/// How much data to make.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    /// Gazette years to import (each brings its items: 221 from the bundled issue).
    pub years: usize,
    /// Monthly reports to file in all, spread over the items.
    pub reports: usize,
    /// Accounts to create (office, unit staff of the busiest units, leaders).
    pub users: usize,
    /// Units whose staff get accounts.
    pub units: usize,
}

impl Default for Volume {
    fn default() -> Self {
        Volume {
            years: 7,
            reports: 150_000,
            users: 200,
            units: 40,
        }
    }
}

/// What was made.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Made {
    pub items: usize,
    pub reports: usize,
    pub users: usize,
    pub units_with_staff: usize,
    /// Password of every account made (all the same, for the load generator).
    pub password: String,
    /// A unit-staff username for the inbox benchmark, and its unit.
    pub sample_unit_user: String,
    pub sample_unit: String,
}

/// The bundled issue as if published in `year`.
fn issue_of_year(year: i32) -> String {
    SEED_TEXT
        .replace("〔2020〕", &format!("〔{year}〕"))
        .replace("2020年", &format!("{year}年"))
}

impl App {
    /// Fill an empty database with `v`'s volume of supervision data.
    pub fn seed_benchmark(&self, v: &Volume) -> Result<Made> {
        if self.counts()?.documents > 0 {
            return Err(Error::bad_input(
                "E_NOT_EMPTY",
                "压测数据只能写入空数据库，请指定一个新的 --db",
            ));
        }
        let admin = system_viewer();
        let mut made = Made {
            password: "bench-password-2020".into(),
            ..Made::default()
        };
        for k in 0..v.years {
            let year = 2020 - k as i32;
            self.import_issue(
                &admin,
                &format!("bench-{year}.txt"),
                &issue_of_year(year),
                &self.registry,
                &mut |_, _| {},
            )?;
        }
        let items = self.supervision_items(&admin, &Filter::default())?;
        made.items = items.len();
        // The units that lead the most items get staff accounts.
        let mut load: std::collections::BTreeMap<String, usize> = Default::default();
        for i in items.iter() {
            for u in i
                .lead_units
                .iter()
                .chain(&i.units)
                .filter_map(|u| u.unit_id.clone())
            {
                *load.entry(u).or_default() += 1;
            }
        }
        let mut busiest: Vec<(String, usize)> = load.into_iter().collect();
        busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        busiest.truncate(v.units);
        made.units_with_staff = busiest.len();
        let leaders: Vec<String> = {
            let mut l: Vec<String> = items.iter().flat_map(|i| i.leaders.clone()).collect();
            l.sort();
            l.dedup();
            l
        };
        for n in 0..v.users {
            let (roles, unit, leader) = match n % 10 {
                0 => (vec![Role::Supervision], None, None),
                1 if !leaders.is_empty() => (
                    vec![Role::Leader],
                    None,
                    Some(leaders[n / 10 % leaders.len()].clone()),
                ),
                _ if !busiest.is_empty() => (
                    vec![Role::UnitStaff],
                    Some(busiest[n % busiest.len()].0.clone()),
                    None,
                ),
                _ => (vec![Role::Supervision], None, None),
            };
            let username = format!("bench{n:03}");
            if made.sample_unit_user.is_empty() && unit.is_some() {
                made.sample_unit_user = username.clone();
                made.sample_unit = unit.clone().unwrap_or_default();
            }
            self.add_user(
                "system",
                NewUser {
                    username,
                    display_name: format!("压测用户{n}"),
                    password: made.password.clone(),
                    unit_id: unit,
                    roles,
                    leader_name: leader,
                },
            )?;
            made.users += 1;
        }
        made.reports = self.bulk_reports(&items, v.reports)?;
        Ok(made)
    }

    /// File `total` accepted monthly reports spread evenly over `items`, each with its history
    /// row, in batches of one transaction.
    fn bulk_reports(
        &self,
        items: &[crate::supervision::views::ItemSummary],
        total: usize,
    ) -> Result<usize> {
        // Reports come from lead units: items the office has not assigned yet file none.
        let items: Vec<&crate::supervision::views::ItemSummary> = items
            .iter()
            .filter(|i| i.lead_units.iter().any(|u| u.unit_id.is_some()))
            .collect();
        if items.is_empty() {
            return Ok(0);
        }
        let per_item = total.div_ceil(items.len());
        let mut filed = 0;
        let empty = serde_json::json!({});
        for chunk in items.chunks(50) {
            filed += self.store.write(|c| {
                let mut n = 0;
                for item in chunk {
                    let Some(unit) = item.lead_units.iter().find_map(|u| u.unit_id.clone()) else {
                        continue;
                    };
                    for m in 0..per_item.min(total.saturating_sub(filed + n)) {
                        let (y, mo) = (2010 + (m / 12) as i32, (m % 12) as u32 + 1);
                        let period = format!("{y:04}-{mo:02}");
                        let at = format!("{y:04}-{mo:02}-08T02:00:00Z");
                        let event = cdb::insert_event(
                            c,
                            &NewEvent {
                                case_id: item.id,
                                at: &at,
                                actor: "bench",
                                actor_unit: Some(&unit),
                                action: "submit_report",
                                from_state: "in_progress",
                                to_state: "in_progress",
                                note: None,
                                data: &empty,
                                version: 1,
                            },
                        )?;
                        sdb::insert_report(
                            c,
                            &ReportRow {
                                id: 0,
                                case_id: item.id,
                                kind: "monthly".into(),
                                period,
                                unit_id: Some(unit.clone()),
                                author: "bench".into(),
                                status: "accepted".into(),
                                round: 1,
                                progress: "按计划推进，完成阶段目标。".into(),
                                percent: Some((m % 100) as i64),
                                problems: String::new(),
                                next_steps: "继续推进".into(),
                                plan: empty.clone(),
                                submitted_at: at.clone(),
                                event_id: Some(event),
                                reviewed_by: Some("bench".into()),
                                reviewed_at: Some(at.clone()),
                                review_note: None,
                            },
                        )?;
                        n += 1;
                    }
                }
                crate::supervision::bump_generation(c, &self.now())?;
                Ok::<_, Error>(n)
            })?;
            if filed >= total {
                break;
            }
        }
        Ok(filed)
    }
}
