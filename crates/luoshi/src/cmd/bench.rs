//! Benchmark data commands (`luoshi bench …`): fill a fresh database with realistic volumes
//! for load tests (`scripts/bench-supervision.sh` drives the load generator against it).

use clap::Subcommand;
use luoshi_app::bench::Volume;
use luoshi_app::App;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Ten years of supervision: gazette years imported, accounts, monthly reports.
    SupervisionSeed {
        #[command(flatten)]
        db: super::platform::DbArg,
        /// Gazette years to import (the bundled issue, one per year; 221 items each).
        #[arg(long, default_value_t = 7)]
        years: usize,
        /// Monthly reports to file in all.
        #[arg(long, default_value_t = 150_000)]
        reports: usize,
        /// Accounts to create.
        #[arg(long, default_value_t = 200)]
        users: usize,
        /// Units whose staff get accounts.
        #[arg(long, default_value_t = 40)]
        units: usize,
    },
    /// Health monitoring: the bundled gazette's series (topped up to `--series`), monthly and
    /// yearly values of every county/district for `--years` years, approved.
    HealthSeed {
        #[command(flatten)]
        db: super::platform::DbArg,
        #[arg(long, default_value_t = 60)]
        series: usize,
        #[arg(long, default_value_t = 12)]
        years: i64,
    },
}

pub fn run(cmd: Command) -> ExitCode {
    match cmd {
        Command::HealthSeed { db, series, years } => {
            let started = std::time::Instant::now();
            let made = luoshi_app::connect(&db.db).and_then(|store| {
                App::new(store).seed_health_benchmark(&luoshi_app::health::bench::Volume {
                    series,
                    years,
                    ..Default::default()
                })
            });
            match made {
                Ok(m) => {
                    eprintln!(
                        "压测数据已生成，用时 {:.1} 秒",
                        started.elapsed().as_secs_f64()
                    );
                    println!("{}", serde_json::to_string_pretty(&m).unwrap_or_default());
                    ExitCode::SUCCESS
                }
                Err(e) => super::platform::fail(&e),
            }
        }
        Command::SupervisionSeed {
            db,
            years,
            reports,
            users,
            units,
        } => {
            let started = std::time::Instant::now();
            let made = luoshi_app::connect(&db.db).and_then(|store| {
                App::new(store).seed_benchmark(&Volume {
                    years,
                    reports,
                    users,
                    units,
                })
            });
            match made {
                Ok(m) => {
                    eprintln!(
                        "压测数据已生成，用时 {:.1} 秒",
                        started.elapsed().as_secs_f64()
                    );
                    println!("{}", serde_json::to_string_pretty(&m).unwrap_or_default());
                    ExitCode::SUCCESS
                }
                Err(e) => super::platform::fail(&e),
            }
        }
    }
}
