//! 市场监管办理时限 (郑政文〔2020〕61号 第4条、第5条、第7条): the compressed permit and
//! registration time limits, with due dates computed on the working-day calendar.

use crate::common::{Date, RuleError, TraceStep};
use luoshi_calendar::{Calendar, Convention, Deadline};
use serde::{Deserialize, Serialize};

/// How a time limit is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LimitUnit {
    /// 即来即办 / 秒批: same day.
    #[serde(rename = "即办")]
    Immediate,
    #[serde(rename = "工作日")]
    WorkingDays,
    #[serde(rename = "日")]
    CalendarDays,
}

/// One service's limit, as 61号 sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceLimit {
    pub code: &'static str,
    pub name: &'static str,
    pub clause: &'static str,
    pub unit: LimitUnit,
    pub limit: u32,
    pub previous: &'static str,
    /// 不含问题整改时间.
    pub excludes_rectification: bool,
    pub note: &'static str,
}

/// The table of 61号's time limits.
pub const SERVICES: [ServiceLimit; 9] = [
    ServiceLimit {
        code: "small-food-startup",
        name: "开办食品生产小作坊、小食品经营店、小餐饮店",
        clause: "郑政文〔2020〕61号 第4条第（1）项",
        unit: LimitUnit::Immediate,
        limit: 0,
        previous: "",
        excludes_rectification: false,
        note: "凭身份证即来即办",
    },
    ServiceLimit {
        code: "food-business-license",
        name: "食品经营许可（食品流通领域）",
        clause: "郑政文〔2020〕61号 第4条第（2）项",
        unit: LimitUnit::WorkingDays,
        limit: 1,
        previous: "20个工作日",
        excludes_rectification: false,
        note: "取消现场核查，实行承诺制",
    },
    ServiceLimit {
        code: "large-catering-license",
        name: "大中型餐饮企业食品经营许可",
        clause: "郑政文〔2020〕61号 第4条第（3）项",
        unit: LimitUnit::WorkingDays,
        limit: 3,
        previous: "20个工作日",
        excludes_rectification: true,
        note: "不含问题整改时间",
    },
    ServiceLimit {
        code: "food-production-license",
        name: "食品生产许可",
        clause: "郑政文〔2020〕61号 第4条第（4）项",
        unit: LimitUnit::WorkingDays,
        limit: 3,
        previous: "20个工作日",
        excludes_rectification: true,
        note: "不含问题整改时间",
    },
    ServiceLimit {
        code: "special-equipment-production-license",
        name: "特种设备生产和充装单位许可",
        clause: "郑政文〔2020〕61号 第4条第（5）项",
        unit: LimitUnit::WorkingDays,
        limit: 3,
        previous: "7个工作日",
        excludes_rectification: true,
        note: "不含问题整改时间",
    },
    ServiceLimit {
        code: "special-equipment-use-registration",
        name: "特种设备使用初次登记、变更、补证、注销",
        clause: "郑政文〔2020〕61号 第4条第（6）项",
        unit: LimitUnit::WorkingDays,
        limit: 1,
        previous: "7个工作日",
        excludes_rectification: false,
        note: "",
    },
    ServiceLimit {
        code: "ftz-instant-registration",
        name: "一般性经营企业开办注册登记智能化“秒批”（自贸区郑州片区试点）",
        clause: "郑政文〔2020〕61号 第4条第（7）项",
        unit: LimitUnit::Immediate,
        limit: 0,
        previous: "",
        excludes_rectification: false,
        note: "材料齐全即可立即办完审批手续",
    },
    ServiceLimit {
        code: "simple-deregistration-notice",
        name: "企业简易注销公告（自贸区郑州片区）",
        clause: "郑政文〔2020〕61号 第5条",
        unit: LimitUnit::CalendarDays,
        limit: 20,
        previous: "45天",
        excludes_rectification: false,
        note: "公告期按自然日计算",
    },
    ServiceLimit {
        code: "design-patent-grant",
        name: "外观专利授权（知识产权快速维权中心）",
        clause: "郑政文〔2020〕61号 第7条",
        unit: LimitUnit::CalendarDays,
        limit: 10,
        previous: "3个月",
        excludes_rectification: false,
        note: "按自然日计算",
    },
];

/// Look a service up by code or Chinese name.
pub fn find_service(key: &str) -> Option<&'static ServiceLimit> {
    SERVICES.iter().find(|s| s.code == key || s.name == key)
}

/// Input of `service-time-limit`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LimitInput {
    /// Service code (e.g. `food-business-license`) or its Chinese name.
    pub service: String,
    /// 受理日期.
    pub accepted_date: Date,
    /// 问题整改占用的工作日数（不计入时限，仅对“不含问题整改时间”的事项有效）.
    #[serde(default)]
    pub rectification_working_days: u32,
    /// 办结日期（如已办结）.
    pub completed_date: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LimitDecision {
    pub service: &'static str,
    pub service_name: &'static str,
    pub limit: String,
    pub previous_limit: &'static str,
    pub due_date: Date,
    pub on_time: Option<bool>,
    pub citation: &'static str,
    pub explanation: String,
    pub deadline_explanation: String,
    /// The computed deadline: rule, start, due, skipped days with reasons, calendar version.
    pub deadline: Deadline,
    pub trace: Vec<TraceStep>,
}

pub fn time_limit(
    input: &LimitInput,
    calendar: &Calendar,
    conv: Convention,
) -> Result<LimitDecision, RuleError> {
    let service = find_service(input.service.trim()).ok_or_else(|| {
        let codes: Vec<&str> = SERVICES.iter().map(|s| s.code).collect();
        RuleError::bad_value(
            "service",
            format!(
                "未知事项“{}”，应为 {} 之一",
                input.service,
                codes.join("、")
            ),
        )
    })?;
    if input.rectification_working_days > 0 && !service.excludes_rectification {
        return Err(RuleError::bad_value(
            "rectification_working_days",
            format!(
                "“{}”的时限未规定“不含问题整改时间”，不能扣除整改时间",
                service.name
            ),
        ));
    }
    let start = input.accepted_date.0;
    let deadline: Deadline = match service.unit {
        LimitUnit::Immediate => calendar.add_working_days(start, 0, conv)?,
        LimitUnit::WorkingDays => calendar.add_working_days(
            start,
            service.limit + input.rectification_working_days,
            conv,
        )?,
        LimitUnit::CalendarDays => calendar.add_days(start, service.limit, conv)?,
    };
    let limit = match service.unit {
        LimitUnit::Immediate => "即来即办（当日）".to_string(),
        LimitUnit::WorkingDays => format!("{}个工作日", service.limit),
        LimitUnit::CalendarDays => format!("{}日", service.limit),
    };
    let on_time = input.completed_date.map(|Date(d)| d <= deadline.due);
    if let Some(Date(d)) = input.completed_date {
        if d < start {
            return Err(RuleError::bad_value(
                "completed_date",
                "办结日期早于受理日期",
            ));
        }
    }
    let mut trace = vec![TraceStep::new(
        service.clause,
        "办理时限",
        limit.clone(),
        service.previous,
        true,
    )];
    if input.rectification_working_days > 0 {
        trace.push(TraceStep::new(
            service.clause,
            "不含问题整改时间：顺延整改占用的工作日",
            input.rectification_working_days,
            service.limit,
            true,
        ));
    }
    if let Some(Date(d)) = input.completed_date {
        trace.push(TraceStep::new(
            service.clause,
            "办结日期 ≤ 到期日",
            d,
            deadline.due,
            on_time.unwrap_or(false),
        ));
    }
    let mut explanation = format!(
        "{}：办理时限{}{}（{}），受理日{}，应于{}前办结。",
        service.name,
        if service.previous.is_empty() {
            String::new()
        } else {
            format!("由{}压缩至", service.previous)
        },
        limit,
        if service.note.is_empty() {
            service.clause
        } else {
            service.note
        },
        start,
        deadline.due
    );
    if input.rectification_working_days > 0 {
        explanation.push_str(&format!(
            "已扣除问题整改占用的{}个工作日。",
            input.rectification_working_days
        ));
    }
    match on_time {
        Some(true) => explanation.push_str("已按时办结。"),
        Some(false) => explanation.push_str("超过时限办结。"),
        None => {}
    }
    Ok(LimitDecision {
        service: service.code,
        service_name: service.name,
        limit,
        previous_limit: service.previous,
        due_date: Date(deadline.due),
        on_time,
        citation: service.clause,
        explanation,
        deadline_explanation: deadline.explain(),
        deadline,
        trace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    /// (service, accepted, due, clause) — limits of 61号 across the 2020 National Day holiday.
    const CASES: &[(&str, &str, &str, &str)] = &[
        (
            "food-business-license",
            "2020-09-30",
            "2020-10-09",
            "第4条第（2）项 1个工作日",
        ),
        (
            "large-catering-license",
            "2020-09-30",
            "2020-10-12",
            "第4条第（3）项 3个工作日（10月10日调休上班计入）",
        ),
        (
            "food-production-license",
            "2020-05-15",
            "2020-05-20",
            "第4条第（4）项 3个工作日",
        ),
        (
            "special-equipment-production-license",
            "2020-06-24",
            "2020-06-30",
            "第4条第（5）项 端午假期及6月28日调休上班",
        ),
        (
            "special-equipment-use-registration",
            "2020-01-23",
            "2020-02-03",
            "第4条第（6）项 春节延长",
        ),
        (
            "small-food-startup",
            "2020-05-15",
            "2020-05-15",
            "第4条第（1）项 即来即办",
        ),
        (
            "ftz-instant-registration",
            "2020-05-15",
            "2020-05-15",
            "第4条第（7）项 秒批",
        ),
        (
            "simple-deregistration-notice",
            "2020-05-15",
            "2020-06-04",
            "第5条 20天",
        ),
        (
            "design-patent-grant",
            "2020-09-25",
            "2020-10-09",
            "第7条 10天，届满日10月5日为假日顺延",
        ),
    ];

    #[test]
    fn case_table_covers_every_service() {
        let cal = luoshi_calendar::bundled().unwrap();
        for s in SERVICES {
            assert!(
                CASES.iter().any(|c| c.0 == s.code),
                "no case for {}",
                s.code
            );
        }
        for (service, accepted, due, clause) in CASES {
            let input = LimitInput {
                service: (*service).into(),
                accepted_date: d(accepted),
                rectification_working_days: 0,
                completed_date: None,
            };
            let out = time_limit(&input, &cal, Convention::default()).unwrap();
            assert_eq!(out.due_date, d(due), "{clause}");
        }
    }

    /// Generated from the table: completing on the due date is on time, the day after is late.
    #[test]
    fn on_time_boundary_generated() {
        let cal = luoshi_calendar::bundled().unwrap();
        for s in SERVICES {
            let base = LimitInput {
                service: s.name.into(),
                accepted_date: d("2020-09-30"),
                rectification_working_days: 0,
                completed_date: None,
            };
            let due = time_limit(&base, &cal, Convention::default())
                .unwrap()
                .due_date;
            for (offset, ok) in [(0, true), (1, false)] {
                let input = LimitInput {
                    completed_date: Some(Date(due.0 + chrono::Duration::days(offset))),
                    ..base.clone()
                };
                assert_eq!(
                    time_limit(&input, &cal, Convention::default())
                        .unwrap()
                        .on_time,
                    Some(ok),
                    "{} {}",
                    s.clause,
                    s.name
                );
            }
        }
    }

    #[test]
    fn rectification_only_where_excluded() {
        let cal = luoshi_calendar::bundled().unwrap();
        let input = LimitInput {
            service: "food-production-license".into(),
            accepted_date: d("2020-05-15"),
            rectification_working_days: 2,
            completed_date: None,
        };
        assert_eq!(
            time_limit(&input, &cal, Convention::default())
                .unwrap()
                .due_date,
            d("2020-05-22")
        );
        let input = LimitInput {
            service: "food-business-license".into(),
            ..input
        };
        assert_eq!(
            time_limit(&input, &cal, Convention::default())
                .unwrap_err()
                .code(),
            "E_FIELD_VALUE"
        );
        let input = LimitInput {
            service: "no-such".into(),
            ..input
        };
        assert!(time_limit(&input, &cal, Convention::default())
            .unwrap_err()
            .to_string()
            .contains("food-business-license"));
    }
}
