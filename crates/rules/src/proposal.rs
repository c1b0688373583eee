//! 建议提案办理 (郑政办〔2020〕27号): return within 15 days (第七条), reply within 3 months
//! (第十九条), reply classes A/B/C/D (第十条), and the five standards of 第十六条.

use crate::common::{Date, RuleError, TraceStep};
use crate::counting::{Counting, Document, Reading, Word};
use luoshi_calendar::{Calendar, Convention, Deadline};
use serde::{Deserialize, Serialize};

const CLAUSE_7: &str = "郑政办〔2020〕27号 第七条";
const CLAUSE_10: &str = "郑政办〔2020〕27号 第十条";
const CLAUSE_16: &str = "郑政办〔2020〕27号 第十六条";
const CLAUSE_19: &str = "郑政办〔2020〕27号 第十九条";

/// 第七条: 自接办之日起十五日内.
pub const RETURN_DAYS: u32 = 15;
/// 第十九条: 自接件之日起3个月内.
pub const REPLY_MONTHS: u32 = 3;

/// Input of `proposal-deadlines`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineInput {
    /// 接办（接件）日期.
    pub received_date: Date,
    /// 以公函说明退转理由的日期（如有）.
    pub return_requested_date: Option<Date>,
    /// 办理答复日期（如已答复）.
    pub replied_date: Option<Date>,
    /// 是否已书面向代表委员说明并函告建议提案处（3个月内不能办完时）.
    #[serde(default)]
    pub delay_explained: bool,
    /// 判断日期.
    pub as_of: Date,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineDecision {
    pub return_due_date: Date,
    /// None when no return was requested.
    pub return_in_time: Option<bool>,
    /// 逾期不说明、不退回的，由接办单位负责办理.
    pub must_handle: bool,
    pub reply_due_date: Date,
    pub reply_status: &'static str,
    /// 超过规定时间不说明原因又不行文的，追究责任.
    pub accountability: bool,
    pub citation: &'static str,
    /// Which reading of “十五日内”“3个月内”“超过规定时间” decided.
    pub counting: Counting,
    pub explanation: String,
    pub return_deadline_explanation: String,
    pub reply_deadline_explanation: String,
    pub return_deadline: Deadline,
    pub reply_deadline: Deadline,
    pub trace: Vec<TraceStep>,
}

pub fn deadlines(
    input: &DeadlineInput,
    calendar: &Calendar,
    conv: Convention,
    reading: Reading,
) -> Result<DeadlineDecision, RuleError> {
    let received = input.received_date.0;
    let as_of = input.as_of.0;
    if as_of < received {
        return Err(RuleError::bad_value("as_of", "判断日期早于接办日期"));
    }
    for (field, d) in [
        ("return_requested_date", input.return_requested_date),
        ("replied_date", input.replied_date),
    ] {
        if let Some(Date(d)) = d {
            if d < received {
                return Err(RuleError::bad_value(
                    field,
                    "日期早于接办日期 received_date",
                ));
            }
        }
    }
    let return_due: Deadline = calendar.add_days(received, RETURN_DAYS, conv)?;
    let reply_due: Deadline = calendar.add_months(received, REPLY_MONTHS, conv)?;
    let mut trace = Vec::with_capacity(3);
    // “十五日内”“3个月内”: 以内 includes the last day; “超过规定时间” is the day after.
    let within = |d: chrono::NaiveDate, due: chrono::NaiveDate| reading.holds(d, Word::Within, due);
    let return_in_time = input
        .return_requested_date
        .map(|Date(d)| within(d, return_due.due));
    trace.push(TraceStep::new(
        CLAUSE_7,
        "退转说明日期 ≤ 接办之日起十五日内的届满日",
        input.return_requested_date.map(|d| d.0).unwrap_or(as_of),
        return_due.due,
        return_in_time.unwrap_or(within(as_of, return_due.due)),
    ));
    let must_handle = match return_in_time {
        Some(ok) => !ok,
        None => reading.holds(as_of, Word::Over, return_due.due),
    };
    let (status, late) = match input.replied_date {
        Some(Date(d)) if within(d, reply_due.due) => ("已按期答复", false),
        Some(_) => ("逾期答复", true),
        None if within(as_of, reply_due.due) => ("办理中，未逾期", false),
        None => ("逾期未答复", true),
    };
    trace.push(TraceStep::new(
        CLAUSE_19,
        "答复日期 ≤ 接件之日起3个月的届满日",
        input.replied_date.map(|d| d.0).unwrap_or(as_of),
        reply_due.due,
        !late,
    ));
    let accountability = late && !input.delay_explained;
    trace.push(TraceStep::new(
        CLAUSE_19,
        "逾期且未书面说明原因的追究责任",
        late,
        input.delay_explained,
        !accountability,
    ));
    let mut explanation = format!(
        "接办日{}。退转：不属于本单位职责的，应在{}前以公函说明理由（第七条，十五日内）",
        received, return_due.due
    );
    explanation.push_str(match return_in_time {
        Some(true) => "，已按期说明。",
        Some(false) => "，说明已逾期，由接办单位负责办理。",
        None if must_handle => "，已逾期未说明，由接办单位负责办理。",
        None => "。",
    });
    explanation.push_str(&format!(
        "答复：应在{}前办理和答复完毕（第十九条，3个月内），状态：{}。",
        reply_due.due, status
    ));
    if accountability {
        explanation.push_str(
            "超过规定时间且未书面说明原因，依第十九条追究承办单位分管领导和承办人员责任。",
        );
    } else if late {
        explanation.push_str("已书面向代表委员说明困难和措施并函告建议提案处。");
    }
    Ok(DeadlineDecision {
        return_due_date: Date(return_due.due),
        return_in_time,
        must_handle,
        reply_due_date: Date(reply_due.due),
        reply_status: status,
        accountability,
        citation: "郑政办〔2020〕27号 第七条、第十九条",
        counting: Document::Proposal27.counting(reading),
        explanation,
        return_deadline_explanation: return_due.explain(),
        reply_deadline_explanation: reply_due.explain(),
        return_deadline: return_due,
        reply_deadline: reply_due,
        trace,
    })
}

/// 办理结果 (第十条) and its class letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    #[serde(rename = "已解决")]
    Solved,
    #[serde(rename = "基本解决")]
    BasicallySolved,
    #[serde(rename = "正在解决")]
    BeingSolved,
    #[serde(rename = "列入计划逐步解决")]
    Planned,
    #[serde(rename = "不符合法律法规和政策规定")]
    NotLawful,
    #[serde(rename = "受客观条件限制不能解决")]
    CannotSolve,
    #[serde(rename = "不宜解决留作参考")]
    ForReference,
}

/// 第十条 as a table: outcome → class.
pub const REPLY_CLASSES: [(Outcome, &str, &str); 7] = [
    (Outcome::Solved, "A", "所提问题已解决或已基本解决"),
    (Outcome::BasicallySolved, "A", "所提问题已解决或已基本解决"),
    (
        Outcome::BeingSolved,
        "B",
        "所提问题正在解决或已列入计划逐步解决",
    ),
    (
        Outcome::Planned,
        "B",
        "所提问题正在解决或已列入计划逐步解决",
    ),
    (
        Outcome::NotLawful,
        "C",
        "所提问题不符合法律法规和政策规定，或者受客观条件限制确实不能解决",
    ),
    (
        Outcome::CannotSolve,
        "C",
        "所提问题不符合法律法规和政策规定，或者受客观条件限制确实不能解决",
    ),
    (Outcome::ForReference, "D", "所提问题不宜解决留作参考"),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassInput {
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassDecision {
    pub class: &'static str,
    pub meaning: &'static str,
    /// 计入第十六条（五）“解决和基本解决”.
    pub counts_as_resolved: bool,
    pub citation: &'static str,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

pub fn reply_class(input: &ClassInput) -> Result<ClassDecision, RuleError> {
    let (_, class, meaning) = REPLY_CLASSES
        .iter()
        .find(|(o, _, _)| *o == input.outcome)
        .copied()
        .expect("every outcome is in the table");
    let resolved = class == "A";
    Ok(ClassDecision {
        class,
        meaning,
        counts_as_resolved: resolved,
        citation: CLAUSE_10,
        explanation: format!("{}，答复函首页右上角标明“{}”（第十条）。", meaning, class),
        trace: vec![TraceStep::new(
            CLAUSE_10,
            "办理结果对应类别",
            meaning,
            class,
            true,
        )],
    })
}

/// One of the five standards of 第十六条, with its threshold in per-mille (‰) for exact integer
/// comparison: count × 1000 ≥ threshold × total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standard {
    pub item: &'static str,
    pub clause: &'static str,
    pub words: &'static str,
    pub permille: u64,
    /// Whether reaching the threshold exactly passes.
    pub inclusive: bool,
}

/// 第十六条 (一)–(五). (一)–(三) “达到100%” and (四) “不低于98.5%” include the threshold (plain
/// words, not counting words). (五) “45%以上”: 以上 includes the number under both readings
/// (《民法典》第一千二百五十九条; 26号 八（一） says the same of 以上).
pub fn standards(reading: Reading) -> [Standard; 5] {
    [
        Standard {
            item: "on_time",
            clause: "郑政办〔2020〕27号 第十六条（一）",
            words: "按时办结答复率达到100%",
            permille: 1000,
            inclusive: true,
        },
        Standard {
            item: "met_in_person",
            clause: "郑政办〔2020〕27号 第十六条（二）",
            words: "见面沟通率达到100%",
            permille: 1000,
            inclusive: true,
        },
        Standard {
            item: "key_satisfied",
            clause: "郑政办〔2020〕27号 第十六条（三）",
            words: "重点建议，政协建议案、重点提案满意率达到100%",
            permille: 1000,
            inclusive: true,
        },
        Standard {
            item: "satisfied",
            clause: "郑政办〔2020〕27号 第十六条（四）",
            words: "人大建议、政协提案满意率不低于98.5%",
            permille: 985,
            inclusive: true,
        },
        Standard {
            item: "resolved",
            clause: "郑政办〔2020〕27号 第十六条（五）",
            words: "问题得到解决和基本解决的比例原则上达到45%以上",
            permille: 450,
            inclusive: reading.includes(Word::Above),
        },
    ]
}

/// Whether `count / total` meets a standard, exactly.
pub fn meets(s: &Standard, count: u64, total: u64) -> bool {
    let lhs = u128::from(count) * 1000;
    let rhs = u128::from(s.permille) * u128::from(total);
    if s.inclusive {
        lhs >= rhs
    } else {
        lhs > rhs
    }
}

/// Input of `proposal-standards`: one unit's counts for the year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardsInput {
    /// 承办建议提案总件数.
    pub total: u64,
    /// 按时办结答复件数.
    pub answered_on_time: u64,
    /// 见面沟通件数.
    pub met_in_person: u64,
    /// 重点建议、政协建议案、重点提案件数.
    #[serde(default)]
    pub key_total: u64,
    /// 其中满意件数.
    #[serde(default)]
    pub key_satisfied: u64,
    /// 人大建议、政协提案满意件数（占总件数）.
    pub satisfied: u64,
    /// 问题得到解决和基本解决（A类）件数.
    pub resolved: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardResult {
    pub item: &'static str,
    pub clause: &'static str,
    pub standard: &'static str,
    pub count: u64,
    pub total: u64,
    /// Percentage to two decimals (display only; the test is exact).
    pub rate_percent: Option<String>,
    pub threshold_percent: String,
    /// None when not applicable (no items of that kind).
    pub met: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardsDecision {
    pub all_met: bool,
    pub standards: Vec<StandardResult>,
    pub citation: &'static str,
    /// Which reading of “45%以上” decided.
    pub counting: Counting,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

pub fn check_standards(
    input: &StandardsInput,
    reading: Reading,
) -> Result<StandardsDecision, RuleError> {
    if input.total == 0 {
        return Err(RuleError::bad_value("total", "承办总件数应大于0"));
    }
    for (field, v) in [
        ("answered_on_time", input.answered_on_time),
        ("met_in_person", input.met_in_person),
        ("satisfied", input.satisfied),
        ("resolved", input.resolved),
        ("key_total", input.key_total),
    ] {
        if v > input.total {
            return Err(RuleError::bad_value(
                field,
                format!("件数{v}超过总件数{}", input.total),
            ));
        }
    }
    if input.key_satisfied > input.key_total {
        return Err(RuleError::bad_value(
            "key_satisfied",
            "满意件数超过重点件数 key_total",
        ));
    }
    let counts = [
        (input.answered_on_time, input.total),
        (input.met_in_person, input.total),
        (input.key_satisfied, input.key_total),
        (input.satisfied, input.total),
        (input.resolved, input.total),
    ];
    let mut results = Vec::with_capacity(5);
    let mut trace = Vec::with_capacity(5);
    let mut failed = Vec::new();
    for (s, (count, total)) in standards(reading).iter().zip(counts) {
        let met = (total > 0).then(|| meets(s, count, total));
        let rate = (total > 0).then(|| {
            let r = rust_decimal::Decimal::from(count) * rust_decimal::Decimal::from(100)
                / rust_decimal::Decimal::from(total);
            crate::common::yuan_string(r)
        });
        let threshold = format!("{}.{}", s.permille / 10, s.permille % 10);
        trace.push(TraceStep::new(
            s.clause,
            s.words,
            rate.clone().unwrap_or_else(|| "不适用".into()),
            threshold.clone(),
            met.unwrap_or(true),
        ));
        if met == Some(false) {
            failed.push(s.words);
        }
        results.push(StandardResult {
            item: s.item,
            clause: s.clause,
            standard: s.words,
            count,
            total,
            rate_percent: rate,
            threshold_percent: threshold,
            met,
        });
    }
    let all_met = failed.is_empty();
    let explanation = if all_met {
        "五项承办标准均达到（第十六条）。".to_string()
    } else {
        format!("未达到：{}（第十六条）。", failed.join("；"))
    };
    Ok(StandardsDecision {
        all_met,
        standards: results,
        citation: CLAUSE_16,
        counting: Document::Proposal27.counting(reading),
        explanation,
        trace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    fn cal() -> Calendar {
        luoshi_calendar::bundled().unwrap()
    }

    const READINGS: [Reading; 2] = [Reading::CivilCode, Reading::BelowExclusive];

    /// Generated from 第十六条: for totals 200 and 1000, count at threshold − 1, threshold, + 1,
    /// under both readings — every threshold includes its number in both.
    #[test]
    fn standards_boundaries_generated_from_table() {
        for reading in READINGS {
            for s in standards(reading) {
                assert!(s.inclusive, "{} {reading:?}", s.clause);
                for total in [200u64, 1000] {
                    let at = s.permille * total / 1000; // exact for these totals
                    assert_eq!(at * 1000, s.permille * total);
                    let mut cases = vec![(at, s.inclusive), (at.saturating_sub(1), false)];
                    if at < total {
                        cases.push((at + 1, true));
                    }
                    for (count, met) in cases {
                        assert_eq!(
                            meets(&s, count, total),
                            met,
                            "{} {count}/{total} {reading:?}",
                            s.clause,
                        );
                    }
                }
            }
        }
    }

    /// 45% exactly meets “45%以上” under both readings, and the decision cites the reading.
    #[test]
    fn forty_five_percent_meets_at_or_above() {
        let input = StandardsInput {
            total: 200,
            answered_on_time: 200,
            met_in_person: 200,
            key_total: 0,
            key_satisfied: 0,
            satisfied: 197,
            resolved: 90,
        };
        for reading in READINGS {
            let out = check_standards(&input, reading).unwrap();
            assert!(out.all_met, "第十六条（五）45%以上含45% {reading:?}");
            assert_eq!(out.counting.reading, reading);
            assert_eq!(out.counting.default, reading == Reading::CivilCode);
        }
        let low = StandardsInput {
            satisfied: 196,
            ..input
        };
        let out = check_standards(&low, Reading::CivilCode).unwrap();
        assert!(!out.all_met, "第十六条（四）不低于98.5%");
        assert_eq!(out.standards[3].rate_percent.as_deref(), Some("98.00"));
        assert_eq!(out.standards[2].met, None, "no key items: not applicable");
        let bad = StandardsInput {
            resolved: 201,
            ..input
        };
        assert_eq!(
            check_standards(&bad, Reading::CivilCode)
                .unwrap_err()
                .code(),
            "E_FIELD_VALUE"
        );
    }

    #[test]
    fn reply_classes_table() {
        for (outcome, class, _) in REPLY_CLASSES {
            let out = reply_class(&ClassInput { outcome }).unwrap();
            assert_eq!(out.class, class, "第十条");
            assert_eq!(out.counts_as_resolved, class == "A");
        }
    }

    /// 第七条 十五日内 and 第十九条 3个月内, both sides of each due date, under both readings
    /// (以内 includes the due date in both).
    #[test]
    fn deadline_boundaries() {
        for reading in READINGS {
            deadline_boundaries_under(reading);
        }
    }

    fn deadline_boundaries_under(reading: Reading) {
        let cal = cal();
        let conv = Convention::default();
        // Received 2020-05-22 (the 27号 issue date): 15 days → 2020-06-06 is a Saturday → 06-08.
        for (returned, ok) in [
            ("2020-06-07", true),
            ("2020-06-08", true),
            ("2020-06-09", false),
        ] {
            let out = deadlines(
                &DeadlineInput {
                    received_date: d("2020-05-22"),
                    return_requested_date: Some(d(returned)),
                    replied_date: None,
                    delay_explained: false,
                    as_of: d("2020-06-10"),
                },
                &cal,
                conv,
                reading,
            )
            .unwrap();
            assert_eq!(out.return_due_date, d("2020-06-08"));
            assert_eq!(out.return_in_time, Some(ok), "第七条 returned {returned}");
            assert_eq!(out.must_handle, !ok);
        }
        // 3 months → 2020-08-22 (Saturday) → 2020-08-24.
        for (replied, late) in [
            ("2020-08-23", false),
            ("2020-08-24", false),
            ("2020-08-25", true),
        ] {
            let out = deadlines(
                &DeadlineInput {
                    received_date: d("2020-05-22"),
                    return_requested_date: None,
                    replied_date: Some(d(replied)),
                    delay_explained: false,
                    as_of: d("2020-09-01"),
                },
                &cal,
                conv,
                reading,
            )
            .unwrap();
            assert_eq!(out.reply_due_date, d("2020-08-24"));
            assert_eq!(out.accountability, late, "第十九条 replied {replied}");
        }
        let explained = deadlines(
            &DeadlineInput {
                received_date: d("2020-05-22"),
                return_requested_date: None,
                replied_date: None,
                delay_explained: true,
                as_of: d("2020-09-01"),
            },
            &cal,
            conv,
            reading,
        )
        .unwrap();
        assert_eq!(explained.reply_status, "逾期未答复");
        assert!(!explained.accountability, "第十九条 书面说明后不追责");
        assert!(explained
            .reply_deadline_explanation
            .contains("第二百零三条"));
    }
}
