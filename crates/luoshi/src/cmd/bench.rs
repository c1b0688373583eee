//! Benchmark data commands (`luoshi bench …`): fill a fresh database with realistic volumes
//! for load tests (`scripts/bench-supervision.sh`, `scripts/bench-proposals.sh`, … drive the
//! load generator against it).

use clap::Subcommand;
use luoshi_app::bench::Volume;
use luoshi_app::App;
use std::process::ExitCode;

/// Each subcommand fills a database for one area's load test (`luoshi bench <area>-seed`).
#[derive(Subcommand)]
#[allow(clippy::enum_variant_names)]
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
    /// Proposal handling: sessions of `--years` years up to `--today` (`--items` in all), each
    /// registered and handled step by step through the engine, and two accounts.
    ProposalsSeed {
        #[command(flatten)]
        db: super::platform::DbArg,
        #[arg(long, default_value_t = 10)]
        years: usize,
        #[arg(long, default_value_t = 6_000)]
        items: usize,
        /// The business date the data is made up to (YYYY-MM-DD).
        #[arg(long, default_value = "2027-07-15")]
        today: chrono::NaiveDate,
    },
}

/// Print what a seed made, or fail.
fn report<T: serde::Serialize>(
    started: std::time::Instant,
    made: luoshi_app::Result<T>,
) -> ExitCode {
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

pub fn run(cmd: Command) -> ExitCode {
    match cmd {
        Command::ProposalsSeed {
            db,
            years,
            items,
            today,
        } => {
            let started = std::time::Instant::now();
            let made = luoshi_app::connect(&db.db).and_then(|store| {
                let app = App::configure(
                    store,
                    luoshi_app::Options {
                        today: Some(today),
                        ..Default::default()
                    },
                );
                app.seed_proposals_benchmark(
                    &luoshi_app::proposals::bench::Volume { years, items },
                    today,
                )
            });
            report(started, made)
        }
        Command::HealthSeed { db, series, years } => {
            let started = std::time::Instant::now();
            let made = luoshi_app::connect(&db.db).and_then(|store| {
                App::new(store).seed_health_benchmark(&luoshi_app::health::bench::Volume {
                    series,
                    years,
                    ..Default::default()
                })
            });
            report(started, made)
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
            report(started, made)
        }
    }
}
