//! Benchmark data for health monitoring (监测压测数据): the bundled gazette imported through the
//! importer (its series made as in real use), topped up to `series` with synthetic copies of
//! the assessment indicators, then `years` of monthly and yearly values for the city and every
//! county/district, approved, written in bulk — replaying 160,000 values one by one through
//! the engine would measure the generator, not the server. Every value is marked demo.

use super::{areas, bump_generation};
use crate::demo::{system_viewer, SEED_TEXT};
use crate::{accounts::NewUser, App, Result};
use luoshi_domain::Role;
use luoshi_store::health::{self as hdb, NewSeries, TargetRow};
use luoshi_store::sql::Value;
use serde::Serialize;

/// How much to make.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    pub series: usize,
    pub years: i64,
    /// The last year with values.
    pub until: i64,
}

impl Default for Volume {
    fn default() -> Self {
        Volume {
            series: 60,
            years: 12,
            until: 2024,
        }
    }
}

/// What was made.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Made {
    pub series: usize,
    pub areas: usize,
    pub observations: usize,
    /// The office account for load tests (`bench-office`, password `bench-office-password`).
    pub office_user: String,
}

impl App {
    /// Fill an empty database with benchmark volumes of health monitoring.
    pub fn seed_health_benchmark(&self, v: &Volume) -> Result<Made> {
        let registry = luoshi_gazette::registry::Registry::bundled();
        self.import_issue(
            &system_viewer(),
            "bench.txt",
            SEED_TEXT,
            &registry,
            &mut |_, _| {},
        )?;
        self.add_user(
            "system",
            NewUser {
                username: "bench-office".into(),
                display_name: "压测 健康办".into(),
                password: "bench-office-password".into(),
                unit_id: None,
                roles: vec![Role::Health],
                leader_name: None,
            },
        )?;
        let at = self.now();
        self.store.write(|c| {
            let mut all = hdb::series(c, None)?;
            let targets = hdb::targets(c)?;
            let table: Vec<_> = all
                .iter()
                .filter(|s| s.source == "table")
                .cloned()
                .collect();
            let mut k = 0;
            while all.len() < v.series && !table.is_empty() {
                let src = &table[k % table.len()];
                k += 1;
                let id = hdb::insert_series(
                    c,
                    &NewSeries {
                        document_id: src.document_id,
                        key: format!("B{k}"),
                        no: None,
                        part: 0,
                        name: format!("{}（压测副本 {k}）", src.name),
                        unit: src.unit.clone(),
                        factor: src.factor.clone(),
                        direction: src.direction.clone(),
                        direction_source: src.direction_source.clone(),
                        baseline_value: src.baseline_value.clone(),
                        baseline_year: src.baseline_year,
                        baseline_text: src.baseline_text.clone(),
                        basis: src.basis.clone(),
                        action_task_id: src.action_task_id,
                        action_no: src.action_no,
                        owner_source: "压测副本".into(),
                        source: "bench".into(),
                        clause: src.clause.clone(),
                        first_line: src.first_line,
                        last_line: src.last_line,
                        demo: true,
                    },
                )?;
                if let Some(id) = id {
                    for t in targets.iter().filter(|t| t.series_id == src.id) {
                        hdb::insert_target(
                            c,
                            &TargetRow {
                                series_id: id,
                                ..t.clone()
                            },
                        )?;
                    }
                }
                all = hdb::series(c, None)?;
            }
            let places = areas(c)?;
            let mut made = 0;
            let first = v.until - v.years + 1;
            for s in &all {
                let base: f64 = s
                    .baseline_value
                    .as_deref()
                    .and_then(|b| b.parse().ok())
                    .unwrap_or(50.0);
                let mut rows: Vec<Value> = Vec::new();
                let mut n = 0;
                for (ai, a) in places.iter().enumerate() {
                    for year in first..=v.until {
                        for month in 0..=12 {
                            let drift = (year - first) as f64 * 0.01 * base;
                            let wobble = ((s.id * 7 + ai as i64 * 13 + year * 3 + month) % 17)
                                as f64
                                * 0.002
                                * base;
                            let value = format!("{:.2}", (base + drift + wobble).max(0.0));
                            rows.extend([
                                Value::from(s.id),
                                Value::from(a.id.as_str()),
                                Value::from(year),
                                Value::from(month),
                                Value::from(value),
                            ]);
                            n += 1;
                        }
                    }
                    // One statement per series and area keeps the parameter count small.
                    insert_rows(c, &rows, &at)?;
                    made += n;
                    n = 0;
                    rows.clear();
                }
            }
            bump_generation(c, &at)?;
            Ok(Made {
                series: all.len(),
                areas: places.len(),
                observations: made,
                office_user: "bench-office".into(),
            })
        })
    }
}

fn insert_rows(c: &mut dyn luoshi_store::Conn, rows: &[Value], at: &str) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let per = 5;
    let mut sql = String::from(
        "INSERT INTO health_observations (series_id, area, year, month, value, status, \
         entered_by, entered_at, approved_by, approved_at, demo) VALUES ",
    );
    let mut params: Vec<Value> = Vec::with_capacity(rows.len() + 1);
    params.push(Value::from(at));
    for (i, chunk) in rows.chunks(per).enumerate() {
        if i > 0 {
            sql.push(',');
        }
        let b = params.len();
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, 'approved', 'bench', $1, 'bench', $1, TRUE)",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5
        ));
        params.extend_from_slice(chunk);
    }
    c.execute(&sql, &params)?;
    Ok(())
}
