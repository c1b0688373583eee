//! Demo supervision activity (演示数据：督办): a season of work replayed day by day on the
//! business clock — plans filed (some late, some returned and revised), monthly reports and
//! the first ledger — so the office, a unit and a leader each see a full picture on first
//! login. Every action goes through the case engine as the unit or the office would take it;
//! the actors are named `演示-…` so no one mistakes the data for real work.

use crate::cases::ActionInput;
use crate::supervision::views::{Filter, ItemSummary};
use crate::supervision::HOOKS;
use crate::{App, Result, Viewer};
use chrono::{Duration, NaiveDate};
use luoshi_domain::{Role, User};

/// The simulated date the demo runs on: mid-July 2020, after the plan (6月8日), two monthly
/// reports (6月10日, 7月10日) and the first ledger (7月10日) of 郑政办〔2020〕29号 fell due.
pub fn demo_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 7, 15).expect("a valid date")
}

/// A stand-in for a unit's staff (not an account: nobody can log in as it).
fn unit_actor(unit_id: &str) -> Viewer {
    Viewer::User(User {
        id: 0,
        username: format!("演示-{unit_id}"),
        display_name: "演示数据".into(),
        unit_id: Some(unit_id.to_string()),
        roles: vec![Role::UnitStaff],
        disabled: false,
        leader_name: None,
    })
}

fn office_actor() -> Viewer {
    Viewer::User(User {
        id: 0,
        username: "演示-督查室".into(),
        display_name: "演示数据".into(),
        unit_id: None,
        roles: vec![Role::Supervision],
        disabled: false,
        leader_name: None,
    })
}

/// A stable pseudo-random number 0..100 for an item and a purpose.
fn roll(id: i64, salt: i64) -> i64 {
    let x = (id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((salt as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    ((x ^ (x >> 31)) % 100) as i64
}

/// One planned demo action.
struct Step {
    day: NaiveDate,
    item: i64,
    kind: StepKind,
}

enum StepKind {
    Plan,
    Monthly(&'static str, i64),
    Ledger,
    /// Review the latest submitted report: accept, or return with a comment.
    Review(bool),
    Complete,
}

fn fields(pairs: &[(&str, String)]) -> serde_json::Map<String, serde_json::Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(v.clone())))
        .collect()
}

fn plan_steps(i: &ItemSummary, start: NaiveDate, steps: &mut Vec<Step>) {
    let r = roll(i.id, 1);
    if r >= 85 {
        return; // never filed: overdue
    }
    // Most file before 6月8日; a few a little late.
    let filed = start + Duration::days(r % 11);
    steps.push(Step {
        day: filed,
        item: i.id,
        kind: StepKind::Plan,
    });
    let review = filed + Duration::days(1 + r % 3);
    if roll(i.id, 2) < 15 {
        steps.push(Step {
            day: review,
            item: i.id,
            kind: StepKind::Review(false),
        });
        let again = review + Duration::days(2 + r % 4);
        steps.push(Step {
            day: again,
            item: i.id,
            kind: StepKind::Plan,
        });
        steps.push(Step {
            day: again + Duration::days(1),
            item: i.id,
            kind: StepKind::Review(true),
        });
    } else {
        steps.push(Step {
            day: review,
            item: i.id,
            kind: StepKind::Review(true),
        });
    }
}

fn report_steps(i: &ItemSummary, steps: &mut Vec<Step>) {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2020, m, day).expect("valid");
    let r = roll(i.id, 3);
    if r < 80 {
        let filed = d(6, 4) + Duration::days(r % 9);
        steps.push(Step {
            day: filed,
            item: i.id,
            kind: StepKind::Monthly("2020-05", 10 + r % 15),
        });
        steps.push(Step {
            day: filed + Duration::days(2),
            item: i.id,
            kind: StepKind::Review(true),
        });
    }
    let r = roll(i.id, 4);
    if r < 80 {
        let filed = d(7, 3) + Duration::days(r % 9);
        steps.push(Step {
            day: filed,
            item: i.id,
            kind: StepKind::Monthly("2020-06", 25 + r % 40),
        });
        if r < 60 {
            steps.push(Step {
                day: filed + Duration::days(1),
                item: i.id,
                kind: StepKind::Review(true),
            });
        }
    }
    let r = roll(i.id, 5);
    if r < 75 {
        steps.push(Step {
            day: d(7, 6) + Duration::days(r % 5),
            item: i.id,
            kind: StepKind::Ledger,
        });
    }
    if roll(i.id, 6) < 4 {
        steps.push(Step {
            day: d(7, 14),
            item: i.id,
            kind: StepKind::Complete,
        });
    }
}

const PROGRESS: [&str; 4] = [
    "已制定工作方案，明确责任分工和时间节点，正在按计划推进。",
    "召开专题推进会，完成阶段目标，相关项目已进入实施阶段。",
    "完成前期调研和清单梳理，已与配合单位建立会商机制。",
    "主体工作已基本完成，正在开展总结评估。",
];
const PROBLEMS: [&str; 3] = ["资金保障压力较大", "个别项目要素保障滞后", ""];
const NEXT: [&str; 3] = [
    "加强与配合单位沟通对接",
    "按月调度，确保按期完成",
    "做好收尾和验收准备",
];

impl App {
    /// Replay a season of supervision work on the demo's items (once, on an empty demo).
    pub fn seed_supervision_demo(&self) -> Result<usize> {
        let office = office_actor();
        let items = self.supervision_items(
            &office,
            &Filter {
                doc: Some("郑政办〔2020〕29号".into()),
                ..Filter::default()
            },
        )?;
        let start = NaiveDate::from_ymd_opt(2020, 5, 29).expect("valid");
        let mut steps = Vec::new();
        for i in items.iter() {
            if i.lead_units.iter().all(|u| u.unit_id.is_none()) {
                continue;
            }
            plan_steps(i, start, &mut steps);
            report_steps(i, &mut steps);
        }
        steps.sort_by_key(|s| (s.day, s.item));
        let mut done = 0;
        for step in &steps {
            self.clock.set_today(step.day);
            let Ok(detail) = self.supervision_item(&office, step.item) else {
                continue;
            };
            let Some(lead) = detail
                .item
                .lead_units
                .iter()
                .find_map(|u| u.unit_id.clone())
            else {
                continue;
            };
            let unit = unit_actor(&lead);
            let n = (step.item as usize) % PROGRESS.len();
            let (viewer, action, f, note): (&Viewer, &str, _, Option<String>) = match step.kind {
                StepKind::Plan => (
                    &unit,
                    "submit_plan",
                    fields(&[
                        (
                            "content",
                            format!("围绕“{}”细化为若干子项目，逐项明确措施", detail.item.title),
                        ),
                        ("goal", "按市政府工作报告要求全面完成年度目标".into()),
                        (
                            "stages",
                            "6月底前完成方案细化；9月底前完成主体工作；12月底前全面完成".into(),
                        ),
                        ("deadline", "2020年12月31日".into()),
                        (
                            "leader",
                            detail.item.leaders.first().cloned().unwrap_or_default(),
                        ),
                    ]),
                    None,
                ),
                StepKind::Monthly(period, percent) => (
                    &unit,
                    "submit_report",
                    fields(&[
                        ("period", period.into()),
                        ("progress", PROGRESS[n].into()),
                        ("percent", percent.to_string()),
                        ("problems", PROBLEMS[n % 3].into()),
                        ("next_steps", NEXT[n % 3].into()),
                    ]),
                    None,
                ),
                StepKind::Ledger => (
                    &unit,
                    "submit_ledger",
                    fields(&[
                        ("period", "2020-07".into()),
                        ("progress", PROGRESS[(n + 1) % PROGRESS.len()].into()),
                        ("problems", PROBLEMS[(n + 1) % 3].into()),
                        ("next_steps", NEXT[(n + 1) % 3].into()),
                    ]),
                    None,
                ),
                StepKind::Review(accept) => {
                    let Some(r) = detail
                        .reports
                        .iter()
                        .rev()
                        .find(|r| r.report.status == "submitted")
                    else {
                        continue;
                    };
                    (
                        &office,
                        if accept { "accept" } else { "return" },
                        fields(&[("report_id", r.report.id.to_string())]),
                        (!accept).then(|| "阶段目标需细化到季度，并明确量化指标".to_string()),
                    )
                }
                StepKind::Complete => (
                    &office,
                    "complete",
                    fields(&[]),
                    Some("任务已全面完成，予以办结".into()),
                ),
            };
            let input = ActionInput {
                action: action.into(),
                version: detail.item.version,
                note,
                fields: f,
                attachments: vec![],
            };
            if self.act(viewer, &HOOKS, step.item, &input).is_ok() {
                done += 1;
            }
        }
        Ok(done)
    }
}
