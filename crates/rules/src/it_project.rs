//! 政务信息化项目 (郑政文〔2020〕70号): approval path by total investment (第九条), change
//! control (第十九条), trial run, acceptance deadline and funding stop (第二十条—第二十二条).

use crate::band::{classify, shared_bound, Band};
use crate::common::{Date, Money, RuleError, TraceStep};
use crate::counting::{Counting, Document, Reading, Word};
use luoshi_calendar::{Calendar, Convention};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

const CLAUSE_9: &str = "郑政文〔2020〕70号 第九条";
const CLAUSE_19: &str = "郑政文〔2020〕70号 第十九条";
const CLAUSE_20: &str = "郑政文〔2020〕70号 第二十条";
const CLAUSE_21: &str = "郑政文〔2020〕70号 第二十一条";
const CLAUSE_22: &str = "郑政文〔2020〕70号 第二十二条";

/// 审批档次 (第九条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApprovalTier {
    /// 总投资1000万元以下
    #[serde(rename = "1000万元以下")]
    Small,
    /// 1000万元及以上5000万元以下
    #[serde(rename = "1000万元及以上5000万元以下")]
    Medium,
    /// 5000万元及以上
    #[serde(rename = "5000万元及以上")]
    Large,
}

const WAN: i64 = 10_000;

/// 第九条 tiers in yuan. The clause says “及以上” explicitly, so 1000万 and 5000万 open the upper
/// tier under both readings (民法典 also puts them in the lower tier's “以下”; the explicit “及以上”
/// of the upper tier decides).
pub fn approval_table() -> [Band<Decimal, ApprovalTier>; 3] {
    [
        Band {
            lower: Decimal::ZERO,
            upper: Some(Decimal::from(1000 * WAN)),
            grade: ApprovalTier::Small,
            words: "总投资1000万元以下",
        },
        Band {
            lower: Decimal::from(1000 * WAN),
            upper: Some(Decimal::from(5000 * WAN)),
            grade: ApprovalTier::Medium,
            words: "总投资1000万元及以上5000万元以下",
        },
        Band {
            lower: Decimal::from(5000 * WAN),
            upper: None,
            grade: ApprovalTier::Large,
            words: "总投资5000万元及以上",
        },
    ]
}

/// Input of `it-project-approval`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalInput {
    /// 总投资（元）.
    pub total_investment_yuan: Money,
    /// 建设内容单一、技术方案简单 (only matters for the middle tier). Default false.
    #[serde(default)]
    pub simple_scope: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalDecision {
    pub tier: ApprovalTier,
    /// 须审批的文件（按原则路径）.
    pub required_documents: Vec<&'static str>,
    /// 是否可合并为实施方案审批.
    pub may_merge_into_implementation_plan: bool,
    /// 合并后审批的文件.
    pub merged_documents: Vec<&'static str>,
    pub citation: &'static str,
    /// Which reading of 以下 decided (the bound itself is settled by “及以上”).
    pub counting: Counting,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

pub fn approval(input: &ApprovalInput, reading: Reading) -> Result<ApprovalDecision, RuleError> {
    let v = input.total_investment_yuan.0;
    let table = approval_table();
    let band = classify(&table, v).expect("table starts at 0");
    let trace: Vec<TraceStep> = table
        .iter()
        .skip(1)
        .map(|b| TraceStep::new(CLAUSE_9, b.words, v, b.lower, v >= b.lower))
        .collect();
    let (required, merge, merged, text): (Vec<&'static str>, bool, Vec<&'static str>, String) =
        match band.grade {
            ApprovalTier::Small => (
                vec!["项目建议书", "可行性研究报告", "初步设计"],
                true,
                vec!["实施方案"],
                "总投资1000万元以下，项目建议书、可行性研究报告与初步设计可以合并为实施方案审批"
                    .into(),
            ),
            ApprovalTier::Medium => (
                vec!["可行性研究报告", "初步设计"],
                input.simple_scope,
                if input.simple_scope {
                    vec!["实施方案"]
                } else {
                    Vec::new()
                },
                if input.simple_scope {
                    "总投资1000万元及以上5000万元以下，审批可行性研究报告和初步设计；建设内容单一、技术方案简单，可行性研究报告与初步设计可合并为实施方案审批".into()
                } else {
                    "总投资1000万元及以上5000万元以下，审批可行性研究报告和初步设计（建设内容单一、技术方案简单的项目方可合并为实施方案）".into()
                },
            ),
            ApprovalTier::Large => (
                vec!["项目建议书", "可行性研究报告", "初步设计"],
                false,
                Vec::new(),
                "总投资5000万元及以上，应当审批项目建议书、可行性研究报告和初步设计，不得合并"
                    .into(),
            ),
        };
    let counting = Document::ItProject70.counting(reading);
    let placed = match shared_bound(&table, v, reading) {
        Some(lower) => format!(
            "总投资{}元恰在界值上：按“以下”含本数（{}）亦属“{}”，但第九条写明“及以上”，归“{}”",
            crate::common::yuan_string(v),
            counting.short,
            lower.words,
            band.words
        ),
        None => format!(
            "总投资{}元属“{}”",
            crate::common::yuan_string(v),
            band.words
        ),
    };
    Ok(ApprovalDecision {
        tier: band.grade,
        required_documents: required,
        may_merge_into_implementation_plan: merge,
        merged_documents: merged,
        citation: CLAUSE_9,
        counting,
        explanation: format!("{placed}。{text}。"),
        trace,
    })
}

/// 第十九条 listed reasons for a change the unit may make itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChangeReason {
    /// （一）根据上级和市委、市政府新部署，确需改变建设内容
    #[serde(rename = "新部署")]
    NewDeployment,
    /// （二）根据信息技术发展新变化，确需完善优化技术方案
    #[serde(rename = "技术发展")]
    TechnologyChange,
    /// （三）根据业务发展需要，在已批复框架下适当调整建设进度
    #[serde(rename = "调整进度")]
    ScheduleAdjustment,
    /// 其他原因
    #[serde(rename = "其他")]
    Other,
}

/// 第十九条: the adjustment may be at most 15% of the approved estimate (“不超过” = ≤).
pub const CHANGE_LIMIT_PERCENT: u32 = 15;

/// Input of `it-project-change`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeInput {
    /// 概算批复总投资（元）.
    pub approved_estimate_yuan: Money,
    /// 调整后项目投资规模（元）.
    pub adjusted_total_yuan: Money,
    /// 资金调整数额（元）.
    pub adjustment_yuan: Money,
    /// 建设目标不变.
    pub goal_unchanged: bool,
    /// 新部署 / 技术发展 / 调整进度 / 其他.
    pub reason: ChangeReason,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeDecision {
    /// 可以由项目单位调整，同时向项目审批部门备案.
    pub unit_may_adjust_with_filing: bool,
    pub procedure: &'static str,
    pub adjustment_limit_yuan: String,
    pub failed_conditions: Vec<&'static str>,
    pub citation: &'static str,
    /// Which reading of “不超过”/“未超出” decided (超过 excludes the number).
    pub counting: Counting,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

pub fn change(input: &ChangeInput, reading: Reading) -> Result<ChangeDecision, RuleError> {
    let estimate = input.approved_estimate_yuan.0;
    if estimate.is_zero() {
        return Err(RuleError::bad_value(
            "approved_estimate_yuan",
            "概算总投资应大于0",
        ));
    }
    let limit = estimate * Decimal::from(CHANGE_LIMIT_PERCENT) / Decimal::from(100);
    // “未超出概算”“不超过15%”: the negation of 超过, which never includes the number.
    let within_estimate = !reading.holds(input.adjusted_total_yuan.0, Word::Over, estimate);
    let within_limit = !reading.holds(input.adjustment_yuan.0, Word::Over, limit);
    let listed_reason = input.reason != ChangeReason::Other;
    let checks = [
        (within_estimate, "项目投资规模未超出概算批复"),
        (input.goal_unchanged, "建设目标不变"),
        (within_limit, "资金调整数额不超过概算总投资15%"),
        (listed_reason, "符合第十九条所列三种情形之一"),
    ];
    let trace = vec![
        TraceStep::new(
            CLAUSE_19,
            "调整后投资 ≤ 概算批复",
            input.adjusted_total_yuan.0,
            estimate,
            within_estimate,
        ),
        TraceStep::new(
            CLAUSE_19,
            "建设目标不变",
            input.goal_unchanged,
            true,
            input.goal_unchanged,
        ),
        TraceStep::new(
            CLAUSE_19,
            "资金调整数额 ≤ 概算总投资×15%（不超过含本数）",
            input.adjustment_yuan.0,
            limit,
            within_limit,
        ),
        TraceStep::new(
            CLAUSE_19,
            "调整原因属（一）新部署（二）技术发展（三）调整进度之一",
            match input.reason {
                ChangeReason::NewDeployment => "新部署",
                ChangeReason::TechnologyChange => "技术发展",
                ChangeReason::ScheduleAdjustment => "调整进度",
                ChangeReason::Other => "其他",
            },
            "新部署/技术发展/调整进度",
            listed_reason,
        ),
    ];
    let failed: Vec<&'static str> = checks
        .iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, w)| *w)
        .collect();
    let allowed = failed.is_empty();
    let procedure = if allowed {
        "由项目单位调整，同时向项目审批部门备案"
    } else {
        "不得擅自变更，应当按照有关规定履行相应手续（报项目审批部门审批）"
    };
    let explanation = if allowed {
        format!(
            "四项条件均满足（调整额{}元未超过限额{}元），{}。",
            crate::common::yuan_string(input.adjustment_yuan.0),
            crate::common::yuan_string(limit),
            procedure
        )
    } else {
        format!("不满足：{}；{}。", failed.join("；"), procedure)
    };
    Ok(ChangeDecision {
        unit_may_adjust_with_filing: allowed,
        procedure,
        adjustment_limit_yuan: crate::common::yuan_string(limit),
        failed_conditions: failed,
        citation: CLAUSE_19,
        counting: Document::ItProject70.counting(reading),
        explanation,
        trace,
    })
}

/// 第二十条: 试运行期应不少于3个月.
pub const TRIAL_RUN_MONTHS: u32 = 3;
/// 第二十一条: 建成后6个月内申请验收.
pub const ACCEPTANCE_MONTHS: u32 = 6;

/// Input of `it-project-acceptance`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptanceInput {
    /// 建成日期.
    pub completed_date: Date,
    pub trial_run_start_date: Option<Date>,
    pub trial_run_end_date: Option<Date>,
    /// 申请验收日期（尚未申请则不填）.
    pub acceptance_applied_date: Option<Date>,
    /// 已完成竣工验收.
    #[serde(default)]
    pub accepted: bool,
    /// 判断日期.
    pub as_of: Date,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptanceDecision {
    pub trial_run_min_end_date: Option<Date>,
    pub trial_run_sufficient: Option<bool>,
    pub acceptance_apply_due_date: Date,
    pub acceptance_status: &'static str,
    pub overdue: bool,
    pub further_funding_allowed: bool,
    pub citation: &'static str,
    /// Which reading of “6个月内” decided (以内 includes the due date).
    pub counting: Counting,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

pub fn acceptance(
    input: &AcceptanceInput,
    calendar: &Calendar,
    conv: Convention,
    reading: Reading,
) -> Result<AcceptanceDecision, RuleError> {
    let mut trace = Vec::with_capacity(4);
    let mut text = String::new();
    let (mut min_end, mut sufficient) = (None, None);
    if let Some(Date(start)) = input.trial_run_start_date {
        if start < input.completed_date.0 {
            return Err(RuleError::bad_value(
                "trial_run_start_date",
                "试运行应在建成（初步验收）之后开始",
            ));
        }
        let due = calendar.add_months(start, TRIAL_RUN_MONTHS, Convention::arithmetic())?;
        min_end = Some(Date(due.due));
        if let Some(Date(end)) = input.trial_run_end_date {
            if end < start {
                return Err(RuleError::bad_value(
                    "trial_run_end_date",
                    "试运行结束日期早于开始日期",
                ));
            }
            let ok = end >= due.due;
            sufficient = Some(ok);
            trace.push(TraceStep::new(
                CLAUSE_20,
                "试运行结束日 ≥ 开始日起满3个月的对应日（不少于3个月）",
                end,
                due.due,
                ok,
            ));
            text.push_str(&format!(
                "试运行{}至{}，{}3个月（满3个月之日为{}）。",
                start,
                end,
                if ok { "不少于" } else { "不足" },
                due.due
            ));
        } else {
            text.push_str(&format!(
                "试运行自{}开始，最早{}可结束（不少于3个月）。",
                start, due.due
            ));
        }
    } else if input.trial_run_end_date.is_some() {
        return Err(RuleError::MissingField(
            "trial_run_start_date（给出 trial_run_end_date 时必填）".into(),
        ));
    }
    let due = calendar.add_months(input.completed_date.0, ACCEPTANCE_MONTHS, conv)?;
    let due_date = due.due;
    let as_of = input.as_of.0;
    let (status, overdue) = match (input.accepted, input.acceptance_applied_date) {
        (true, _) => ("已完成验收", false),
        (false, Some(Date(applied))) if reading.holds(applied, Word::Within, due_date) => {
            ("已按期申请验收", false)
        }
        (false, Some(_)) => ("逾期申请验收", true),
        (false, None) if reading.holds(as_of, Word::Within, due_date) => {
            ("尚未申请，未逾期", false)
        }
        (false, None) => ("逾期未申请验收", true),
    };
    trace.push(TraceStep::new(
        CLAUSE_21,
        "建成后6个月内申请验收（到期日）",
        input.acceptance_applied_date.map(|d| d.0).unwrap_or(as_of),
        due_date,
        !overdue,
    ));
    trace.push(TraceStep::new(
        CLAUSE_22,
        "逾期未验收的项目不得拨付后续建设资金和运行维护经费",
        overdue,
        false,
        !overdue,
    ));
    text.push_str(&format!(
        "建成日{}，应在{}前（含当日）申请验收（6个月内；{}）。状态：{}。",
        input.completed_date.0,
        due_date,
        if due.postponed_from.is_some() {
            "到期日遇休息日已顺延"
        } else {
            "到期月对应日"
        },
        status
    ));
    text.push_str(if overdue {
        "逾期未验收，市财政局不得拨付后续建设资金和运行维护经费。"
    } else {
        "可按计划拨付后续资金。"
    });
    Ok(AcceptanceDecision {
        trial_run_min_end_date: min_end,
        trial_run_sufficient: sufficient,
        acceptance_apply_due_date: Date(due_date),
        acceptance_status: status,
        overdue,
        further_funding_allowed: !overdue,
        citation: "郑政文〔2020〕70号 第二十条、第二十一条、第二十二条",
        counting: Document::ItProject70.counting(reading),
        explanation: text,
        trace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::band::check_table;

    const READINGS: [Reading; 2] = [Reading::CivilCode, Reading::BelowExclusive];

    fn money(v: Decimal) -> Money {
        Money(v)
    }

    #[test]
    fn approval_table_has_no_gaps_or_overlaps() {
        check_table(&approval_table(), Decimal::ZERO).unwrap();
    }

    /// Generated: lower − 0.01 / lower / lower + 0.01 at each 第九条 bound, under both readings.
    /// The bound opens the upper tier in both (“及以上”); under 民法典 the explanation says the
    /// bound is also “以下” of the lower tier and that “及以上” decides.
    #[test]
    fn approval_boundaries_generated_from_table() {
        let table = approval_table();
        let fen = Decimal::new(1, 2);
        for reading in READINGS {
            for (i, band) in table.iter().enumerate().skip(1) {
                for (v, expected) in [
                    (band.lower - fen, table[i - 1].grade),
                    (band.lower, band.grade),
                    (band.lower + fen, band.grade),
                ] {
                    let d = approval(
                        &ApprovalInput {
                            total_investment_yuan: money(v),
                            simple_scope: false,
                        },
                        reading,
                    )
                    .unwrap();
                    assert_eq!(d.tier, expected, "第九条 {v} {reading:?}");
                    assert_eq!(d.counting.reading, reading);
                    assert_eq!(
                        d.explanation.contains("“及以上”，归"),
                        v == band.lower && reading == Reading::CivilCode,
                        "{}",
                        d.explanation
                    );
                }
            }
        }
    }

    /// (investment 万元, simple, may merge, first required document) — 第九条 paragraphs 2–4.
    const CASES: &[(i64, bool, bool, &str)] = &[
        (999, false, true, "项目建议书"),
        (1000, false, false, "可行性研究报告"),
        (1000, true, true, "可行性研究报告"),
        (5000, true, false, "项目建议书"),
    ];

    #[test]
    fn approval_case_table() {
        for (wan, simple, merge, first) in CASES {
            let d = approval(
                &ApprovalInput {
                    total_investment_yuan: Money::yuan(wan * 10_000),
                    simple_scope: *simple,
                },
                Reading::CivilCode,
            )
            .unwrap();
            assert_eq!(
                d.may_merge_into_implementation_plan, *merge,
                "第九条 {wan}万 simple={simple}"
            );
            assert_eq!(d.required_documents[0], *first);
        }
    }

    /// 第十九条 “不超过15%” and “未超出概算批复”: limit − 0.01 / limit / limit + 0.01 under both
    /// readings (超过 excludes the number, so 不超过 includes it).
    #[test]
    fn change_limit_boundary() {
        let estimate = Decimal::from(3_333_333);
        let limit = estimate * Decimal::from(CHANGE_LIMIT_PERCENT) / Decimal::from(100);
        let fen = Decimal::new(1, 2);
        for reading in READINGS {
            for (adj, allowed) in [(limit - fen, true), (limit, true), (limit + fen, false)] {
                let d = change(
                    &ChangeInput {
                        approved_estimate_yuan: money(estimate),
                        adjusted_total_yuan: money(estimate),
                        adjustment_yuan: money(adj),
                        goal_unchanged: true,
                        reason: ChangeReason::TechnologyChange,
                    },
                    reading,
                )
                .unwrap();
                assert_eq!(
                    d.unit_may_adjust_with_filing, allowed,
                    "第十九条 adjustment {adj} vs {limit} {reading:?}"
                );
            }
            for (total, allowed) in [
                (estimate - fen, true),
                (estimate, true),
                (estimate + fen, false),
            ] {
                let d = change(
                    &ChangeInput {
                        approved_estimate_yuan: money(estimate),
                        adjusted_total_yuan: money(total),
                        adjustment_yuan: money(fen),
                        goal_unchanged: true,
                        reason: ChangeReason::TechnologyChange,
                    },
                    reading,
                )
                .unwrap();
                assert_eq!(
                    d.unit_may_adjust_with_filing, allowed,
                    "第十九条 total {total} vs {estimate} {reading:?}"
                );
            }
        }
    }

    #[test]
    fn change_each_condition_fails_alone() {
        let base = ChangeInput {
            approved_estimate_yuan: Money::yuan(1_000_000),
            adjusted_total_yuan: Money::yuan(1_000_000),
            adjustment_yuan: Money::yuan(100_000),
            goal_unchanged: true,
            reason: ChangeReason::NewDeployment,
        };
        assert!(
            change(&base, Reading::CivilCode)
                .unwrap()
                .unit_may_adjust_with_filing
        );
        let over_estimate = ChangeInput {
            adjusted_total_yuan: Money::yuan(1_000_001),
            ..base.clone()
        };
        let goal = ChangeInput {
            goal_unchanged: false,
            ..base.clone()
        };
        let other = ChangeInput {
            reason: ChangeReason::Other,
            ..base.clone()
        };
        for (input, words) in [
            (over_estimate, "项目投资规模未超出概算批复"),
            (goal, "建设目标不变"),
            (other, "符合第十九条所列三种情形之一"),
        ] {
            let d = change(&input, Reading::CivilCode).unwrap();
            assert!(!d.unit_may_adjust_with_filing);
            assert_eq!(d.failed_conditions, vec![words]);
        }
        for reason in [
            ChangeReason::NewDeployment,
            ChangeReason::TechnologyChange,
            ChangeReason::ScheduleAdjustment,
        ] {
            assert!(
                change(
                    &ChangeInput {
                        reason,
                        ..base.clone()
                    },
                    Reading::CivilCode
                )
                .unwrap()
                .unit_may_adjust_with_filing
            );
        }
    }

    fn d(s: &str) -> Date {
        Date(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn trial_run_and_acceptance_boundaries() {
        let cal = luoshi_calendar::bundled().unwrap();
        let conv = Convention::default();
        // 第二十条: trial from 2020-01-10 → three months reached on 2020-04-10.
        for (end, ok) in [
            ("2020-04-09", false),
            ("2020-04-10", true),
            ("2020-04-11", true),
        ] {
            let input = AcceptanceInput {
                completed_date: d("2020-01-08"),
                trial_run_start_date: Some(d("2020-01-10")),
                trial_run_end_date: Some(d(end)),
                acceptance_applied_date: None,
                accepted: false,
                as_of: d("2020-05-01"),
            };
            assert_eq!(
                acceptance(&input, &cal, conv, Reading::CivilCode)
                    .unwrap()
                    .trial_run_sufficient,
                Some(ok),
                "第二十条 end {end}"
            );
        }
        // 第二十一条 “6个月内”: completed 2020-03-10 → due 2020-09-10 (Thursday, a working day);
        // 以内 includes the due date under both readings.
        for (applied, overdue, reading) in [
            ("2020-09-09", false),
            ("2020-09-10", false),
            ("2020-09-11", true),
        ]
        .into_iter()
        .flat_map(|(a, o)| READINGS.map(|r| (a, o, r)))
        {
            let input = AcceptanceInput {
                completed_date: d("2020-03-10"),
                trial_run_start_date: None,
                trial_run_end_date: None,
                acceptance_applied_date: Some(d(applied)),
                accepted: false,
                as_of: d("2020-12-01"),
            };
            let out = acceptance(&input, &cal, conv, reading).unwrap();
            assert_eq!(out.acceptance_apply_due_date, d("2020-09-10"));
            assert_eq!(out.overdue, overdue, "第二十一条 applied {applied}");
            assert_eq!(out.further_funding_allowed, !overdue, "第二十二条");
        }
        // Not applied, as_of past due → 第二十二条 stops funding.
        let input = AcceptanceInput {
            completed_date: d("2020-03-10"),
            trial_run_start_date: None,
            trial_run_end_date: None,
            acceptance_applied_date: None,
            accepted: false,
            as_of: d("2020-09-11"),
        };
        assert!(
            !acceptance(&input, &cal, conv, Reading::CivilCode)
                .unwrap()
                .further_funding_allowed
        );
        // Due date on a rest day is postponed: completed 2020-04-03 → 2020-10-03 (国庆) → 2020-10-09.
        let input = AcceptanceInput {
            completed_date: d("2020-04-03"),
            as_of: d("2020-04-04"),
            ..input
        };
        assert_eq!(
            acceptance(&input, &cal, conv, Reading::CivilCode)
                .unwrap()
                .acceptance_apply_due_date,
            d("2020-10-09")
        );
    }
}
