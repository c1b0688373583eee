//! Benchmark data for proposal handling (建议提案压测数据): sessions of several years, each
//! registered from a spreadsheet and handled step by step through the case engine by the demo's
//! generator ([`crate::demo::proposals`]) — assignment, returns, co-signing, meetings, replies,
//! review, feedback, redo, formal replies, disclosure, closing — so every round and every history
//! row is there as real use leaves them, plus the accounts the load generator logs in with.
//!
//! The years end at the business date's year and go back no further than the working-day
//! calendar does (`data/calendar/cn-holidays.toml`), since every due date is computed on it.

use crate::demo::{system_viewer, SEED_NAME, SEED_TEXT};
use crate::{accounts::NewUser, App, Result};
use chrono::{Datelike, NaiveDate};
use luoshi_domain::{Error, Role};
use serde::Serialize;

/// How much data to make.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    /// Sessions (years) to make, ending with the business date's year.
    pub years: usize,
    /// Items in all, spread evenly over the years.
    pub items: usize,
}

impl Default for Volume {
    fn default() -> Self {
        Volume {
            years: 9,
            items: 6_000,
        }
    }
}

/// What was made.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Made {
    pub years: Vec<i32>,
    pub items: usize,
    /// Engine actions played (each one history row, one audit entry).
    pub actions: usize,
    /// Steps the engine refused (should be none).
    pub refused: usize,
    /// Password of every account made.
    pub password: String,
    /// The office's account (建议提案处).
    pub office_user: String,
    /// A unit's staff account for the inbox benchmark, and its unit.
    pub unit_user: String,
    pub unit: String,
}

impl App {
    /// Fill an empty database with `v`'s volume of proposal handling, as of `today`.
    pub fn seed_proposals_benchmark(&self, v: &Volume, today: NaiveDate) -> Result<Made> {
        if self.counts()?.documents > 0 {
            return Err(Error::bad_input(
                "E_NOT_EMPTY",
                "压测数据只能写入空数据库，请指定一个新的 --db",
            ));
        }
        let years = v.years.max(1);
        let first = today.year() - years as i32 + 1;
        let (covered_from, covered_to) = self.calendar.coverage();
        if first < covered_from || today.year() > covered_to {
            return Err(Error::bad_input(
                "E_CALENDAR_RANGE",
                format!(
                    "工作日历只含 {covered_from}—{covered_to} 年，无法计算 {first}—{} 年的办理期限；\
                     请减少年数或调整业务日期",
                    today.year()
                ),
            ));
        }
        // The unit registry comes with the gazette.
        self.import_issue(
            &system_viewer(),
            SEED_NAME,
            SEED_TEXT,
            &self.registry,
            &mut |_, _| {},
        )?;
        let mut made = Made {
            password: "bench-password-2020".into(),
            office_user: "bench-office".into(),
            unit_user: "bench-unit".into(),
            unit: "dept.jtj".into(),
            ..Made::default()
        };
        for (k, year) in (first..=today.year()).enumerate() {
            let count = v.items / years + usize::from(k < v.items % years);
            let until = NaiveDate::from_ymd_opt(year, 12, 31)
                .unwrap_or(today)
                .min(today);
            let out = self.replay_proposal_year(year, count, until, None)?;
            made.years.push(year);
            made.items += out.registered;
            made.actions += out.actions;
            made.refused += out.refused.len();
        }
        for (username, roles, unit) in [
            (&made.office_user, vec![Role::Proposals], None),
            (
                &made.unit_user,
                vec![Role::UnitStaff],
                Some(made.unit.clone()),
            ),
        ] {
            self.add_user(
                "system",
                NewUser {
                    username: username.clone(),
                    display_name: format!("压测用户 {username}"),
                    password: made.password.clone(),
                    unit_id: unit,
                    roles,
                    leader_name: None,
                },
            )?;
        }
        self.clock.set_today(today);
        self.refresh_proposal_statuses(today)?;
        Ok(made)
    }
}
