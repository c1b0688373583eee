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
        "答复：原则上应在{}前办理和答复完毕（第十九条，自接件之日起3个月内），状态：{}。",
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

/// Where an item comes from (第二条): handed over by the province office (全国/省人大代表建议、
/// 全国/省政协委员提案), or put to the city (市人大代表建议、市政协委员提案和建议案).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Source {
    NationalNpc,
    NationalCppcc,
    ProvincialNpc,
    ProvincialCppcc,
    CityNpc,
    CityCppcc,
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::CityNpc,
        Source::CityCppcc,
        Source::ProvincialNpc,
        Source::ProvincialCppcc,
        Source::NationalNpc,
        Source::NationalCppcc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::NationalNpc => "national_npc",
            Source::NationalCppcc => "national_cppcc",
            Source::ProvincialNpc => "provincial_npc",
            Source::ProvincialCppcc => "provincial_cppcc",
            Source::CityNpc => "city_npc",
            Source::CityCppcc => "city_cppcc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Source::NationalNpc => "全国人大",
            Source::NationalCppcc => "全国政协",
            Source::ProvincialNpc => "省人大",
            Source::ProvincialCppcc => "省政协",
            Source::CityNpc => "市人大",
            Source::CityCppcc => "市政协",
        }
    }

    /// By its code or its Chinese label.
    pub fn parse(s: &str) -> Option<Source> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s || x.label() == s)
    }

    /// A people's congress (人大) rather than the CPPCC (政协).
    pub fn is_npc(self) -> bool {
        matches!(
            self,
            Source::NationalNpc | Source::ProvincialNpc | Source::CityNpc
        )
    }

    /// 第二条（一）（二）: handed over by the province government office (省政府办公厅交办).
    pub fn province_assigned(self) -> bool {
        !matches!(self, Source::CityNpc | Source::CityCppcc)
    }
}

/// The kind of item (第一条、第二条): 建议 of a deputy, 提案 of a member, or 建议案 of the CPPCC
/// itself (第二条（四）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    #[serde(rename = "建议")]
    Suggestion,
    #[serde(rename = "提案")]
    Proposal,
    #[serde(rename = "建议案")]
    Motion,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Suggestion, Kind::Proposal, Kind::Motion];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Suggestion => "suggestion",
            Kind::Proposal => "proposal",
            Kind::Motion => "motion",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Suggestion => "建议",
            Kind::Proposal => "提案",
            Kind::Motion => "建议案",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s || x.label() == s)
    }

    /// Whether this kind can come from `source` (第二条): 建议 from a people's congress,
    /// 提案 from the CPPCC, 建议案 from the city CPPCC (第二条（四）).
    pub fn fits(self, source: Source) -> bool {
        match self {
            Kind::Suggestion => source.is_npc(),
            Kind::Proposal => !source.is_npc(),
            Kind::Motion => source == Source::CityCppcc,
        }
    }
}

/// 第十条: who receives a copy of the reply (抄报), by where the item came from.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Copies {
    pub recipients: Vec<&'static str>,
    /// Whether the reply becomes a formal city-government document (省交办件).
    pub formal_city_reply: bool,
    pub citation: &'static str,
    pub explanation: String,
}

/// 第十条. City items: the unit replies itself and copies 市政府分管副市长、市政府办公厅建议提案处 and
/// 市人大选任联工委 (a deputy's suggestion) or 市政协提案委 (a member's proposal) — the clause's
/// “市人大选任联工委、市政府办公厅建议提案处或市政协提案委” read with the “或” pairing the congress
/// and CPPCC committees. Province items: a formal city reply, copied to 省人大选任联工委、省政府
/// 办公厅和省政协提案委 (all three, as the clause lists them).
pub fn reply_copies(source: Source) -> Copies {
    if source.province_assigned() {
        Copies {
            recipients: vec!["省人大选任联工委", "省政府办公厅", "省政协提案委"],
            formal_city_reply: true,
            citation: CLAUSE_10,
            explanation: "省政府办公厅交办件：代表委员满意后由市政府办公厅建议提案处整理，经分管副市长\
                          审核签发，形成市政府正式文件答复，同时抄报省人大选任联工委、省政府办公厅和\
                          省政协提案委（第十条）。"
                .into(),
        }
    } else {
        let committee = if source.is_npc() {
            "市人大选任联工委"
        } else {
            "市政协提案委"
        };
        Copies {
            recipients: vec!["市政府分管副市长", committee, "市政府办公厅建议提案处"],
            formal_city_reply: false,
            citation: CLAUSE_10,
            explanation: format!(
                "由承办机关直接函复，同时抄报市政府分管副市长、{committee}、市政府办公厅建议提案处（第十条）。"
            ),
        }
    }
}

/// One review step of a reply (第九条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReviewStep {
    /// 承办机关的分管领导审查.
    UnitLeader,
    /// 涉及多个部门职责的，由牵头部门分管副市长审核.
    ViceMayor,
    /// 省交办件：代表委员满意后形成市政府正式文件，报市政府相关副市长审核签发.
    FormalCityReply,
}

impl ReviewStep {
    pub fn label(self) -> &'static str {
        match self {
            ReviewStep::UnitLeader => "承办机关分管领导审查",
            ReviewStep::ViceMayor => "牵头部门分管副市长审核",
            ReviewStep::FormalCityReply => "市政府正式文件，分管副市长审核签发",
        }
    }
}

/// 第九条: the review steps a reply passes, in order. Every reply is reviewed by the unit's
/// responsible leader; a reply that involves several departments' duties (an item with co-units)
/// then goes to the vice-mayor in charge of the lead unit; a province item, once the deputy or
/// member is satisfied, becomes a formal city-government reply signed off by the vice-mayor.
pub fn review_steps(source: Source, several_departments: bool) -> Vec<ReviewStep> {
    let mut steps = vec![ReviewStep::UnitLeader];
    if several_departments {
        steps.push(ReviewStep::ViceMayor);
    }
    if source.province_assigned() {
        steps.push(ReviewStep::FormalCityReply);
    }
    steps
}

/// 第十二条: a unit that handled 2 items or more (2件以上 — 以上 includes the number under both
/// readings) reviews and summarizes its work and reports in writing.
pub fn summary_required(items: u64, reading: Reading) -> bool {
    reading.holds(items, Word::Above, 2)
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
    /// “原则上”: a standard the clause states as a rule of thumb — a miss is reported as such,
    /// not as a breach (第十六条（五）).
    pub in_principle: bool,
}

/// 第十六条 (一)–(五). (一)–(三) “达到100%” and (四) “不低于98.5%” include the threshold (plain
/// words, not counting words). (五) “原则上应达到45%以上”: 以上 includes the number under both
/// readings (《民法典》第一千二百五十九条; 26号 八（一） says the same of 以上), and 原则上 makes it
/// a rule of thumb.
pub fn standards(reading: Reading) -> [Standard; 5] {
    [
        Standard {
            item: "on_time",
            clause: "郑政办〔2020〕27号 第十六条（一）",
            words: "按时办结答复率达到100%",
            permille: 1000,
            inclusive: true,
            in_principle: false,
        },
        Standard {
            item: "met_in_person",
            clause: "郑政办〔2020〕27号 第十六条（二）",
            words: "见面沟通率达到100%",
            permille: 1000,
            inclusive: true,
            in_principle: false,
        },
        Standard {
            item: "key_satisfied",
            clause: "郑政办〔2020〕27号 第十六条（三）",
            words: "重点建议，政协建议案、重点提案满意率达到100%",
            permille: 1000,
            inclusive: true,
            in_principle: false,
        },
        Standard {
            item: "satisfied",
            clause: "郑政办〔2020〕27号 第十六条（四）",
            words: "人大建议、政协提案满意率不低于98.5%",
            permille: 985,
            inclusive: true,
            in_principle: false,
        },
        Standard {
            item: "resolved",
            clause: "郑政办〔2020〕27号 第十六条（五）",
            words: "问题得到解决和基本解决的比例原则上应达到45%以上",
            permille: 450,
            inclusive: reading.includes(Word::Above),
            in_principle: true,
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

/// How many of `total` items may fall short while the standard is still met (e.g. 3 of 200 for
/// “不低于98.5%”; 0 for a 100% standard).
pub fn allowed_short(s: &Standard, total: u64) -> u64 {
    // meets(total − k) is monotone in k: find the largest k that still meets.
    let (mut lo, mut hi) = (0u64, total);
    if !meets(s, total, total) {
        return 0;
    }
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if meets(s, total - mid, total) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
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
    /// 原则上: a miss is a shortfall against a rule of thumb (第十六条（五）).
    pub in_principle: bool,
    /// How many items may still fall short with the standard met.
    pub allowed_short: u64,
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

/// Judge the five figures `(count, total)` in the order of [`standards`].
fn judge(counts: [(u64, u64); 5], reading: Reading) -> StandardsDecision {
    let mut results = Vec::with_capacity(5);
    let mut trace = Vec::with_capacity(5);
    let mut failed = Vec::new();
    let mut soft = Vec::new();
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
            if s.in_principle {
                soft.push(s.words);
            } else {
                failed.push(s.words);
            }
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
            in_principle: s.in_principle,
            allowed_short: allowed_short(s, total),
        });
    }
    let all_met = failed.is_empty() && soft.is_empty();
    let mut explanation = if failed.is_empty() {
        "第十六条（一）至（四）均达到".to_string()
    } else {
        format!("未达到：{}", failed.join("；"))
    };
    if soft.is_empty() {
        explanation.push_str(if failed.is_empty() {
            "，（五）也达到（第十六条）。"
        } else {
            "（第十六条）。"
        });
    } else {
        explanation.push_str(&format!(
            "；{}未达到，此项为“原则上”的要求（第十六条（五））。",
            soft.join("；")
        ));
    }
    StandardsDecision {
        all_met,
        standards: results,
        citation: CLAUSE_16,
        counting: Document::Proposal27.counting(reading),
        explanation,
        trace,
    }
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
    Ok(judge(
        [
            (input.answered_on_time, input.total),
            (input.met_in_person, input.total),
            (input.key_satisfied, input.key_total),
            (input.satisfied, input.total),
            (input.resolved, input.total),
        ],
        reading,
    ))
}

/// The proposer's rating on the 征求意见表 (第十一条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Satisfaction {
    #[serde(rename = "满意")]
    Satisfied,
    #[serde(rename = "基本满意")]
    BasicallySatisfied,
    #[serde(rename = "不满意")]
    Dissatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Dissatisfied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::BasicallySatisfied => "basically_satisfied",
            Satisfaction::Dissatisfied => "dissatisfied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::BasicallySatisfied => "基本满意",
            Satisfaction::Dissatisfied => "不满意",
        }
    }

    pub fn parse(s: &str) -> Option<Satisfaction> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s || x.label() == s)
    }
}

/// How “满意率” (第十六条（三）（四）) counts the three ratings of the 征求意见表. The clause does
/// not say; the default counts 满意 and 基本满意 (the common reading of 满意率 in handling
/// reports, where only 不满意 sends a reply back), the other counts 满意 alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SatisfactionReading {
    #[default]
    SatisfiedOrBasically,
    SatisfiedOnly,
}

impl SatisfactionReading {
    pub fn counts(self, s: Satisfaction) -> bool {
        match self {
            SatisfactionReading::SatisfiedOrBasically => s != Satisfaction::Dissatisfied,
            SatisfactionReading::SatisfiedOnly => s == Satisfaction::Satisfied,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            SatisfactionReading::SatisfiedOrBasically => {
                "满意率按“满意”和“基本满意”计（参数 satisfaction = satisfied_or_basically，默认）"
            }
            SatisfactionReading::SatisfiedOnly => {
                "满意率只按“满意”计（参数 satisfaction = satisfied_only）"
            }
        }
    }
}

/// One handling round of an item: its reply due date and when the reply went out.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundFacts {
    pub due: Date,
    pub replied: Option<Date>,
}

/// What the five standards read of one item.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemFacts {
    pub id: i64,
    pub kind: Kind,
    /// 重点建议、重点提案.
    #[serde(default)]
    pub key_item: bool,
    /// Every handling round, first to last (a redo adds one).
    pub rounds: Vec<RoundFacts>,
    /// 见面沟通 recorded.
    #[serde(default)]
    pub met_in_person: bool,
    /// The latest round's feedback.
    pub satisfaction: Option<Satisfaction>,
    /// The latest reply's class A–D.
    pub class: Option<char>,
}

/// One figure of 第十六条 with the items behind it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figure {
    #[serde(flatten)]
    pub result: StandardResult,
    /// What the figure counts.
    pub counts: &'static str,
    /// Items counted in the numerator.
    pub counted: Vec<i64>,
    /// Items in the denominator that are not counted: the ones pulling the figure down.
    pub short: Vec<i64>,
    /// Items the figure cannot judge yet (not replied, no feedback, not yet due).
    pub pending: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemStandardsDecision {
    pub all_met: bool,
    pub figures: Vec<Figure>,
    pub as_of: Date,
    pub citation: &'static str,
    pub counting: Counting,
    pub satisfaction: SatisfactionReading,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

/// Which side of a figure an item falls on.
#[derive(Clone, Copy)]
enum Side {
    Counted,
    Short,
    Pending,
}

/// The five standards of 第十六条 over items, each figure with the items behind it:
/// (一) items with a round whose reply is due by `as_of` or already sent; on time when every
/// such round was replied within its due date (以内 includes the day; a written explanation of
/// delay under 第十九条 spares accountability but does not make a reply on time).
/// (二) items replied at least once; counted when a meeting was recorded.
/// (三) 重点建议、重点提案 and every 建议案, with feedback; counted when satisfied.
/// (四) 建议 and 提案 (人大建议、政协提案) with feedback; counted when satisfied.
/// (五) items with a reply class; counted when A (第十条: 已解决或已基本解决).
pub fn standards_of_items(
    items: &[ItemFacts],
    as_of: Date,
    reading: Reading,
    satisfaction: SatisfactionReading,
) -> Result<ItemStandardsDecision, RuleError> {
    let mut sides: [Vec<(i64, Side)>; 5] = Default::default();
    for (n, it) in items.iter().enumerate() {
        if it.rounds.is_empty() {
            return Err(RuleError::bad_value(
                &format!("items[{n}].rounds"),
                "至少应有一轮办理",
            ));
        }
        if let Some(c) = it.class {
            if !matches!(c, 'A' | 'B' | 'C' | 'D') {
                return Err(RuleError::bad_value(
                    &format!("items[{n}].class"),
                    format!("类别“{c}”应为 A、B、C、D 之一（第十条）"),
                ));
            }
        }
        let decided: Vec<&RoundFacts> = it
            .rounds
            .iter()
            .filter(|r| r.replied.is_some() || reading.holds(as_of.0, Word::Over, r.due.0))
            .collect();
        let on_time = if decided.is_empty() {
            Side::Pending
        } else if decided.iter().all(|r| {
            r.replied
                .is_some_and(|d| reading.holds(d.0, Word::Within, r.due.0))
        }) {
            Side::Counted
        } else {
            Side::Short
        };
        let replied = it.rounds.iter().any(|r| r.replied.is_some());
        let met = match (replied, it.met_in_person) {
            (_, true) => Side::Counted,
            (true, false) => Side::Short,
            (false, false) => Side::Pending,
        };
        let rated = |applies: bool| match (applies, it.satisfaction) {
            (false, _) => None,
            (true, None) => Some(Side::Pending),
            (true, Some(s)) if satisfaction.counts(s) => Some(Side::Counted),
            (true, Some(_)) => Some(Side::Short),
        };
        let key = it.key_item || it.kind == Kind::Motion;
        let resolved = match it.class {
            None => Side::Pending,
            Some('A') => Side::Counted,
            Some(_) => Side::Short,
        };
        let each = [
            Some(on_time),
            Some(met),
            rated(key),
            rated(it.kind != Kind::Motion),
            Some(resolved),
        ];
        for (k, side) in each.into_iter().enumerate() {
            if let Some(side) = side {
                sides[k].push((it.id, side));
            }
        }
    }
    let pick = |k: usize, want: fn(Side) -> bool| -> Vec<i64> {
        sides[k]
            .iter()
            .filter(|(_, s)| want(*s))
            .map(|(id, _)| *id)
            .collect()
    };
    let mut counts = [(0u64, 0u64); 5];
    let mut lists = Vec::with_capacity(5);
    for (k, count) in counts.iter_mut().enumerate() {
        let counted = pick(k, |s| matches!(s, Side::Counted));
        let short = pick(k, |s| matches!(s, Side::Short));
        let pending = pick(k, |s| matches!(s, Side::Pending));
        *count = (counted.len() as u64, (counted.len() + short.len()) as u64);
        lists.push((counted, short, pending));
    }
    let judged = judge(counts, reading);
    const COUNTS: [&str; 5] = [
        "答复已到期或已答复的件（每轮答复均在期限内为按时）",
        "已答复的件（办理中记录了见面沟通为已沟通）",
        "已反馈的重点建议、重点提案和政协建议案",
        "已反馈的人大建议和政协提案",
        "已答复的件（最近一次答复为A类为解决和基本解决）",
    ];
    let figures = judged
        .standards
        .into_iter()
        .zip(lists)
        .zip(COUNTS)
        .map(|((result, (counted, short, pending)), counts)| Figure {
            result,
            counts,
            counted,
            short,
            pending,
        })
        .collect();
    Ok(ItemStandardsDecision {
        all_met: judged.all_met,
        figures,
        as_of,
        citation: CLAUSE_16,
        counting: judged.counting,
        satisfaction,
        explanation: format!("{}{}。", judged.explanation, satisfaction.describe()),
        trace: judged.trace,
    })
}

/// Input of `proposal-standards-items`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemStandardsInput {
    pub items: Vec<ItemFacts>,
    pub as_of: Date,
    #[serde(default)]
    pub satisfaction: SatisfactionReading,
}

/// `proposal-standards-items`: [`standards_of_items`] from one JSON document.
pub fn check_item_standards(
    input: &ItemStandardsInput,
    reading: Reading,
) -> Result<ItemStandardsDecision, RuleError> {
    standards_of_items(&input.items, input.as_of, reading, input.satisfaction)
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

    fn round(due: &str, replied: Option<&str>) -> RoundFacts {
        RoundFacts {
            due: d(due),
            replied: replied.map(d),
        }
    }

    fn facts(id: i64, kind: Kind, rounds: Vec<RoundFacts>) -> ItemFacts {
        ItemFacts {
            id,
            kind,
            key_item: false,
            rounds,
            met_in_person: true,
            satisfaction: Some(Satisfaction::Satisfied),
            class: Some('A'),
        }
    }

    /// `allowed_short` agrees with counting down one item at a time, for every standard and
    /// every total up to 400.
    #[test]
    fn allowed_short_is_the_largest_shortfall_that_still_meets() {
        for reading in READINGS {
            for s in standards(reading) {
                for total in 0..=400u64 {
                    let brute = (0..=total)
                        .take_while(|k| meets(&s, total - k, total))
                        .last()
                        .unwrap_or(0);
                    assert_eq!(allowed_short(&s, total), brute, "{} {total}", s.clause);
                }
            }
        }
        let s = standards(Reading::CivilCode);
        assert_eq!(allowed_short(&s[3], 200), 3, "不低于98.5%: 197/200 meets");
        assert_eq!(allowed_short(&s[0], 200), 0, "达到100%");
        assert_eq!(allowed_short(&s[4], 200), 110, "45%以上: 90/200 meets");
    }

    /// (一) on each side of the due date: replied on the day is on time, the day after is not;
    /// unreplied is pending through the due date and short the day after.
    #[test]
    fn on_time_figure_on_each_side_of_the_due_date() {
        for reading in READINGS {
            let items = vec![
                facts(
                    1,
                    Kind::Suggestion,
                    vec![round("2020-08-24", Some("2020-08-24"))],
                ),
                facts(
                    2,
                    Kind::Suggestion,
                    vec![round("2020-08-24", Some("2020-08-25"))],
                ),
                facts(3, Kind::Suggestion, vec![round("2020-08-24", None)]),
                // A redo: the first round late, the second on time — still not on time.
                facts(
                    4,
                    Kind::Proposal,
                    vec![
                        round("2020-08-24", Some("2020-08-26")),
                        round("2020-09-30", Some("2020-09-20")),
                    ],
                ),
                // A redo still running, its first round on time.
                facts(
                    5,
                    Kind::Proposal,
                    vec![
                        round("2020-08-24", Some("2020-08-20")),
                        round("2020-09-30", None),
                    ],
                ),
            ];
            let on_day =
                standards_of_items(&items, d("2020-08-24"), reading, Default::default()).unwrap();
            let f = &on_day.figures[0];
            assert_eq!(f.counted, [1, 5], "{reading:?}");
            assert_eq!(f.short, [2, 4]);
            assert_eq!(f.pending, [3], "due today, not yet late");
            let after =
                standards_of_items(&items, d("2020-08-25"), reading, Default::default()).unwrap();
            assert_eq!(after.figures[0].short, [2, 3, 4]);
            assert_eq!(after.figures[0].result.met, Some(false));
            assert!(!after.all_met);
        }
    }

    /// (三) counts 建议案 as key items; (四) leaves 建议案 out; feedback reading is a parameter.
    #[test]
    fn satisfaction_figures_and_their_reading() {
        let mut motion = facts(
            1,
            Kind::Motion,
            vec![round("2020-08-24", Some("2020-08-01"))],
        );
        motion.satisfaction = Some(Satisfaction::BasicallySatisfied);
        let mut key = facts(
            2,
            Kind::Proposal,
            vec![round("2020-08-24", Some("2020-08-01"))],
        );
        key.key_item = true;
        key.satisfaction = None;
        let mut plain = facts(
            3,
            Kind::Suggestion,
            vec![round("2020-08-24", Some("2020-08-01"))],
        );
        plain.satisfaction = Some(Satisfaction::Dissatisfied);
        plain.met_in_person = false;
        plain.class = Some('B');
        let items = [motion, key, plain];
        let out = standards_of_items(
            &items,
            d("2020-09-01"),
            Reading::CivilCode,
            SatisfactionReading::SatisfiedOrBasically,
        )
        .unwrap();
        let [_, met, key_f, all_f, resolved] = &out.figures[..] else {
            panic!("five figures")
        };
        assert_eq!(
            (met.counted.clone(), met.short.clone()),
            (vec![1, 2], vec![3])
        );
        assert_eq!(key_f.counted, [1], "基本满意 counts by default");
        assert_eq!(key_f.pending, [2], "no feedback yet");
        assert_eq!(key_f.result.met, Some(true));
        assert_eq!(all_f.counted, Vec::<i64>::new(), "建议案 is not in (四)");
        assert_eq!(all_f.short, [3]);
        assert_eq!(all_f.pending, [2]);
        assert_eq!(
            (resolved.counted.len(), resolved.short.clone()),
            (2, vec![3])
        );
        let strict = standards_of_items(
            &items,
            d("2020-09-01"),
            Reading::CivilCode,
            SatisfactionReading::SatisfiedOnly,
        )
        .unwrap();
        assert_eq!(
            strict.figures[2].short,
            [1],
            "基本满意 is short when only 满意 counts"
        );
        assert!(strict.explanation.contains("satisfied_only"));
    }

    /// (四) at 98.5% and (五) at 45% over 200 items, one either side, with the items behind the
    /// figure; (五) is a rule of thumb (原则上) and says so.
    #[test]
    fn item_figures_at_the_thresholds() {
        let make = |dissatisfied: usize, not_a: usize| -> Vec<ItemFacts> {
            (0..200)
                .map(|i| {
                    let mut f = facts(
                        i as i64,
                        if i % 2 == 0 {
                            Kind::Suggestion
                        } else {
                            Kind::Proposal
                        },
                        vec![round("2020-08-24", Some("2020-08-01"))],
                    );
                    if i < dissatisfied {
                        f.satisfaction = Some(Satisfaction::Dissatisfied);
                    }
                    if i >= 200 - not_a {
                        f.class = Some('C');
                    }
                    f
                })
                .collect()
        };
        for reading in READINGS {
            let at =
                standards_of_items(&make(3, 110), d("2020-09-01"), reading, Default::default())
                    .unwrap();
            assert!(at.all_met, "197/200 and 90/200 meet {reading:?}");
            let below =
                standards_of_items(&make(4, 111), d("2020-09-01"), reading, Default::default())
                    .unwrap();
            assert_eq!(below.figures[3].result.met, Some(false));
            assert_eq!(below.figures[3].short, [0, 1, 2, 3]);
            assert_eq!(below.figures[4].result.met, Some(false));
            assert!(below.figures[4].result.in_principle);
            assert_eq!(below.figures[4].short.len(), 111);
            assert!(
                below.explanation.contains("原则上"),
                "{}",
                below.explanation
            );
        }
        let bad = facts(9, Kind::Proposal, vec![]);
        assert_eq!(
            standards_of_items(
                &[bad],
                d("2020-09-01"),
                Reading::CivilCode,
                Default::default()
            )
            .unwrap_err()
            .code(),
            "E_FIELD_VALUE"
        );
    }

    #[test]
    fn copies_review_steps_and_summary_duty() {
        for source in Source::ALL {
            let c = reply_copies(source);
            assert_eq!(c.formal_city_reply, source.province_assigned(), "第十条");
            let steps = review_steps(source, true);
            assert_eq!(steps[..2], [ReviewStep::UnitLeader, ReviewStep::ViceMayor]);
            assert_eq!(
                steps.contains(&ReviewStep::FormalCityReply),
                source.province_assigned(),
                "第九条"
            );
            assert_eq!(Source::parse(source.label()), Some(source));
        }
        assert!(reply_copies(Source::CityNpc)
            .recipients
            .contains(&"市人大选任联工委"));
        assert!(reply_copies(Source::CityCppcc)
            .recipients
            .contains(&"市政协提案委"));
        assert_eq!(
            review_steps(Source::CityNpc, false),
            [ReviewStep::UnitLeader]
        );
        for reading in READINGS {
            assert!(!summary_required(1, reading), "第十二条 2件以上");
            assert!(summary_required(2, reading));
        }
        assert!(Kind::Suggestion.fits(Source::ProvincialNpc));
        assert!(!Kind::Suggestion.fits(Source::CityCppcc));
        assert!(Kind::Motion.fits(Source::CityCppcc));
        assert!(!Kind::Motion.fits(Source::NationalCppcc));
    }
}
