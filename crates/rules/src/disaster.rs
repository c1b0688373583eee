//! 突发地质灾害 (郑政办〔2020〕26号): grading of 险情/灾情 (一（五）), response level and who
//! leads it (四), speed-report time limits (三（二）1), and warning levels (三（一）).
//! Numbers follow 八（一）: “以上”含本数，“以下”不含本数 — 26号's own definition, which applies
//! within 26号 only (parameter `disaster.counting`; `civil_code` reads 以下 as 民法典
//! 第一千二百五十九条 does, so a value on a bound is in both bands and the higher grade is taken).

use crate::band::{classify, shared_bound, Band};
use crate::common::{DateTime, Money, RuleError, TraceStep};
use crate::counting::{Counting, Document, Reading, Word};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub const DOC: &str = "郑政办〔2020〕26号";
const CLAUSE_GRADE_1: &str = "郑政办〔2020〕26号 一（五）1";
const CLAUSE_GRADE: [&str; 4] = [
    CLAUSE_GRADE_1,
    "郑政办〔2020〕26号 一（五）2",
    "郑政办〔2020〕26号 一（五）3",
    "郑政办〔2020〕26号 一（五）4",
];
const CLAUSE_REPORT: &str = "郑政办〔2020〕26号 三（二）1";
const CLAUSE_WORK_GROUPS: &str = "郑政办〔2020〕26号 二（三）";

/// 灾害分级: 特大型(Ⅰ) … 小型(Ⅳ). Ordered from most to least severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Grade {
    #[serde(rename = "特大型")]
    Huge,
    #[serde(rename = "大型")]
    Large,
    #[serde(rename = "中型")]
    Medium,
    #[serde(rename = "小型")]
    Small,
}

impl Grade {
    pub fn name(self) -> &'static str {
        ["特大型", "大型", "中型", "小型"][self as usize]
    }
    pub fn level(self) -> &'static str {
        ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"][self as usize]
    }
    /// 速报时限 (三（二）1): 4 hours for 特大型/大型, 12 hours for 中型/小型 (county level).
    pub fn report_within_hours(self) -> u32 {
        match self {
            Grade::Huge | Grade::Large => 4,
            Grade::Medium | Grade::Small => 12,
        }
    }
    fn clause(self) -> &'static str {
        CLAUSE_GRADE[self as usize]
    }
    /// Severity for “…以上” comparisons: 小型 1 … 特大型 4.
    pub fn severity(self) -> u8 {
        4 - self as u8
    }
}

/// 险情 (threat, graded by people at risk and potential loss) or 灾情 (disaster, graded by deaths
/// and direct loss).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    #[serde(rename = "险情")]
    Threat,
    #[serde(rename = "灾情")]
    Disaster,
}

pub type CountTable = [Band<u64, Grade>; 4];
pub type MoneyTable = [Band<Decimal, Grade>; 4];

const fn wan(n: i64) -> Decimal {
    Decimal::from_parts(
        (n * 10_000) as u32,
        ((n * 10_000) >> 32) as u32,
        0,
        false,
        0,
    )
}

/// 险情：需避险转移人数 (一（五）).
pub const THREAT_PEOPLE: CountTable = [
    Band {
        lower: 0,
        upper: Some(100),
        grade: Grade::Small,
        words: "需避险转移人数在100人以下",
    },
    Band {
        lower: 100,
        upper: Some(500),
        grade: Grade::Medium,
        words: "100人以上500人以下",
    },
    Band {
        lower: 500,
        upper: Some(1000),
        grade: Grade::Large,
        words: "500人以上1000人以下",
    },
    Band {
        lower: 1000,
        upper: None,
        grade: Grade::Huge,
        words: "1000人以上",
    },
];
/// 险情：潜在经济损失 (元).
pub const THREAT_LOSS: MoneyTable = [
    Band {
        lower: Decimal::ZERO,
        upper: Some(wan(500)),
        grade: Grade::Small,
        words: "潜在经济损失500万元以下",
    },
    Band {
        lower: wan(500),
        upper: Some(wan(5000)),
        grade: Grade::Medium,
        words: "500万元以上5000万元以下",
    },
    Band {
        lower: wan(5000),
        upper: Some(wan(10000)),
        grade: Grade::Large,
        words: "5000万元以上1亿元以下",
    },
    Band {
        lower: wan(10000),
        upper: None,
        grade: Grade::Huge,
        words: "1亿元以上",
    },
];
/// 灾情：因灾死亡人数.
pub const DISASTER_DEATHS: CountTable = [
    Band {
        lower: 0,
        upper: Some(3),
        grade: Grade::Small,
        words: "因灾死亡3人以下",
    },
    Band {
        lower: 3,
        upper: Some(10),
        grade: Grade::Medium,
        words: "3人以上10人以下",
    },
    Band {
        lower: 10,
        upper: Some(30),
        grade: Grade::Large,
        words: "10人以上30人以下",
    },
    Band {
        lower: 30,
        upper: None,
        grade: Grade::Huge,
        words: "30人以上",
    },
];
/// 灾情：直接经济损失 (元).
pub const DISASTER_LOSS: MoneyTable = [
    Band {
        lower: Decimal::ZERO,
        upper: Some(wan(100)),
        grade: Grade::Small,
        words: "直接经济损失100万元以下",
    },
    Band {
        lower: wan(100),
        upper: Some(wan(500)),
        grade: Grade::Medium,
        words: "100万元以上500万元以下",
    },
    Band {
        lower: wan(500),
        upper: Some(wan(1000)),
        grade: Grade::Large,
        words: "500万元以上1000万元以下",
    },
    Band {
        lower: wan(1000),
        upper: None,
        grade: Grade::Huge,
        words: "1000万元以上",
    },
];

/// Input of `disaster-grade`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeInput {
    pub kind: Kind,
    pub people_at_risk: Option<u64>,
    pub potential_loss_yuan: Option<Money>,
    pub deaths: Option<u64>,
    pub direct_loss_yuan: Option<Money>,
    /// 接报时间 (optional): when given, the speed-report deadline is computed.
    pub received_at: Option<DateTime>,
}

/// Decision of `disaster-grade`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeDecision {
    pub kind: Kind,
    pub grade: Grade,
    pub level: &'static str,
    /// 县级资源规划、应急部门速报本级政府和上级部门的时限（小时）.
    pub report_within_hours: u32,
    pub report_due_at: Option<DateTime>,
    /// 市资源规划局、应急局接报后的要求.
    pub city_report: &'static str,
    pub response_level: &'static str,
    pub response_led_by: &'static str,
    pub response_clause: &'static str,
    /// 是否设立应急工作组（二（三）：发生中型以上灾情后）.
    pub work_groups: bool,
    pub citation: String,
    /// Which reading of 以上/以下 decided (26号 八（一） by default).
    pub counting: Counting,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

fn response(grade: Grade) -> (&'static str, &'static str, &'static str) {
    match grade {
        Grade::Huge => (
            "Ⅰ级",
            "省指挥部启动Ⅰ级响应并统一指挥；市、县（市、区）应急指挥机构立即启动预案，在当地政府领导下成立现场指挥部先期处置，配合执行省指挥部的应急措施",
            "郑政办〔2020〕26号 四（一）",
        ),
        Grade::Large => (
            "Ⅱ级",
            "省指挥部启动Ⅱ级响应并统一指挥；市、县（市、区）应急指挥机构立即启动预案，在当地政府领导下成立现场指挥部先期处置，配合执行省指挥部的应急措施",
            "郑政办〔2020〕26号 四（二）",
        ),
        Grade::Medium => (
            "Ⅲ级",
            "市指挥部立即启动Ⅲ级响应，在市政府领导下具体指挥、协调；灾害发生地县（市、区）应急指挥机构启动预案并成立现场指挥部",
            "郑政办〔2020〕26号 四（三）",
        ),
        Grade::Small => (
            "Ⅳ级",
            "灾害发生地县（市、区）应急指挥部立即启动Ⅳ级响应，在县（市、区）政府领导下具体指挥；市指挥部办公室根据需要派出工作组协助指导",
            "郑政办〔2020〕26号 四（四）",
        ),
    }
}

/// The grade of one measure, its trace (one step per band's “以上” lower bound), and the words
/// saying which band `v` is in — both bands when the reading puts `v` in two.
fn grade_measure<T>(
    table: &[Band<T, Grade>; 4],
    v: T,
    what: std::fmt::Arguments<'_>,
    check: &'static str,
    reading: Reading,
    trace: &mut Vec<TraceStep>,
) -> (Grade, String)
where
    T: PartialOrd + Copy + Into<crate::common::TraceValue>,
{
    let band = classify(table, v).expect("table starts at 0");
    for b in table.iter().skip(1) {
        trace.push(TraceStep::new(
            b.grade.clause(),
            check,
            v,
            b.lower,
            v >= b.lower,
        ));
    }
    let words = match shared_bound(table, v, reading) {
        Some(lower) => format!(
            "{what}恰在界值上：按“以下”含本数，同属“{}”与“{}”，取较高的{}",
            lower.words,
            band.words,
            band.grade.name()
        ),
        None => format!("{what}属“{}”", band.words),
    };
    (band.grade, words)
}

/// Grade a 险情 or 灾情: the highest grade any measure reaches wins ("或").
pub fn grade(
    input: &GradeInput,
    calendar: &luoshi_calendar::Calendar,
    reading: Reading,
) -> Result<GradeDecision, RuleError> {
    let mut trace = Vec::with_capacity(8);
    let mut grades = Vec::with_capacity(2);
    let mut reached = Vec::with_capacity(2);
    match input.kind {
        Kind::Threat => {
            for (field, present) in [
                ("deaths", input.deaths.is_some()),
                ("direct_loss_yuan", input.direct_loss_yuan.is_some()),
            ] {
                if present {
                    return Err(RuleError::bad_value(
                        field,
                        "险情按需避险转移人数和潜在经济损失分级，不接受灾情字段（一（五））",
                    ));
                }
            }
            if input.people_at_risk.is_none() && input.potential_loss_yuan.is_none() {
                return Err(RuleError::MissingField(
                    "people_at_risk 或 potential_loss_yuan（险情至少填一项）".into(),
                ));
            }
            if let Some(p) = input.people_at_risk {
                let (g, words) = grade_measure(
                    &THREAT_PEOPLE,
                    p,
                    format_args!("需避险转移{p}人"),
                    "需避险转移人数 ≥ 下限（以上含本数）",
                    reading,
                    &mut trace,
                );
                grades.push(g);
                reached.push(words);
            }
            if let Some(Money(l)) = input.potential_loss_yuan {
                let (g, words) = grade_measure(
                    &THREAT_LOSS,
                    l,
                    format_args!("潜在经济损失{l}元"),
                    "潜在经济损失（元）≥ 下限（以上含本数）",
                    reading,
                    &mut trace,
                );
                grades.push(g);
                reached.push(words);
            }
        }
        Kind::Disaster => {
            for (field, present) in [
                ("people_at_risk", input.people_at_risk.is_some()),
                ("potential_loss_yuan", input.potential_loss_yuan.is_some()),
            ] {
                if present {
                    return Err(RuleError::bad_value(
                        field,
                        "灾情按因灾死亡人数和直接经济损失分级，不接受险情字段（一（五））",
                    ));
                }
            }
            if input.deaths.is_none() && input.direct_loss_yuan.is_none() {
                return Err(RuleError::MissingField(
                    "deaths 或 direct_loss_yuan（灾情至少填一项）".into(),
                ));
            }
            if let Some(d) = input.deaths {
                let (g, words) = grade_measure(
                    &DISASTER_DEATHS,
                    d,
                    format_args!("因灾死亡{d}人"),
                    "因灾死亡人数 ≥ 下限（以上含本数）",
                    reading,
                    &mut trace,
                );
                grades.push(g);
                reached.push(words);
            }
            if let Some(Money(l)) = input.direct_loss_yuan {
                let (g, words) = grade_measure(
                    &DISASTER_LOSS,
                    l,
                    format_args!("直接经济损失{l}元"),
                    "直接经济损失（元）≥ 下限（以上含本数）",
                    reading,
                    &mut trace,
                );
                grades.push(g);
                reached.push(words);
            }
        }
    }
    let grade = grades
        .into_iter()
        .min()
        .expect("at least one measure checked");
    let (response_level, response_led_by, response_clause) = response(grade);
    let hours = grade.report_within_hours();
    trace.push(TraceStep::new(
        CLAUSE_REPORT,
        "速报时限（小时）：特大型、大型4小时，中型、小型12小时",
        grade.name(),
        hours,
        true,
    ));
    let report_due_at = match input.received_at {
        Some(DateTime(t)) => {
            let d = calendar.add_hours(t, hours)?;
            d.due_time.map(DateTime)
        }
        None => None,
    };
    // 二（三）“中型以上”: 以上 includes 中型 under every reading.
    let work_groups = input.kind == Kind::Disaster
        && reading.holds(grade.severity(), Word::Above, Grade::Medium.severity());
    trace.push(TraceStep::new(
        CLAUSE_WORK_GROUPS,
        "发生中型以上灾情后设立应急工作组",
        grade.name(),
        "中型",
        work_groups,
    ));
    let kind_name = if input.kind == Kind::Threat {
        "险情"
    } else {
        "灾情"
    };
    let counting = Document::Disaster26.counting(reading);
    let mut explanation = format!(
        "{}；按“以上含本数，以下{}本数”（{}），取各项中最高等级，定为{}地质灾害{}（{}级）。县级资源规划、应急部门应在{}小时内速报本级政府和上一级部门，市资源规划局、应急局接报后立即报告市政府和省自然资源厅、应急厅。应急响应：{}，{}。",
        reached.join("，"),
        if reading.includes(Word::Below) { "含" } else { "不含" },
        counting.short,
        grade.name(), kind_name, grade.level(), hours, response_level, response_led_by
    );
    if let Some(t) = report_due_at {
        explanation.push_str(&format!("速报截止：{}。", t.0.format("%Y-%m-%d %H:%M")));
    }
    if work_groups {
        explanation
            .push_str("中型以上灾情，市指挥部根据需要设立综合协调等7个应急工作组（二（三））。");
    }
    Ok(GradeDecision {
        kind: input.kind,
        grade,
        level: grade.level(),
        report_within_hours: hours,
        report_due_at,
        city_report: "市资源规划局、应急局接报后立即报告市政府和省自然资源厅、应急厅",
        response_level,
        response_led_by,
        response_clause,
        work_groups,
        citation: format!("{}；{}；{}", grade.clause(), CLAUSE_REPORT, response_clause),
        counting,
        explanation,
        trace,
    })
}

// ---------------------------------------------------------------- warning levels (三（一）)

const CLAUSE_WARN_LEVELS: &str = "郑政办〔2020〕26号 三（一）2";
const CLAUSE_WARN_RELEASE: &str = "郑政办〔2020〕26号 三（一）3";
const CLAUSE_WARN_RESPONSE: &str = "郑政办〔2020〕26号 三（一）4";
const CLAUSE_WARN_EXPIRY: &str = "郑政办〔2020〕26号 三（一）5";

/// 预警级别, from low (四级蓝色) to high (一级红色).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningLevel {
    Blue = 4,
    Yellow = 3,
    Orange = 2,
    Red = 1,
}

/// All levels, low to high.
pub const WARNING_LEVELS: [WarningLevel; 4] = [
    WarningLevel::Blue,
    WarningLevel::Yellow,
    WarningLevel::Orange,
    WarningLevel::Red,
];

impl WarningLevel {
    pub fn number(self) -> u8 {
        self as u8
    }
    /// Severity for “…以上” comparisons: 四级 1 … 一级 4.
    pub fn severity(self) -> u8 {
        5 - self as u8
    }
    pub fn name(self) -> &'static str {
        ["", "一级", "二级", "三级", "四级"][self as usize]
    }
    pub fn color(self) -> &'static str {
        ["", "红色", "橙色", "黄色", "蓝色"][self as usize]
    }
    pub fn risk(self) -> &'static str {
        ["", "风险很高", "风险高", "风险较高", "有一定风险"][self as usize]
    }
    /// The actions this level adds to the one below (三（一）4).
    fn own_actions(self) -> &'static [&'static str] {
        match self {
            WarningLevel::Blue => &[
                "做好应急值守工作",
                "保持通信畅通",
                "密切关注雨情、水情等变化趋势",
            ],
            WarningLevel::Yellow => &[
                "加大雨情、水情等监测力度",
                "做好地质灾害隐患点巡查和监测工作",
                "应急调查队伍与抢险救援队伍做好出发准备",
            ],
            WarningLevel::Orange => &[
                "对预警区域内地质灾害隐患点开展巡查和监测，发现异常及时采取避让措施",
                "应急调查队伍与抢险救援队伍进入待命状态",
            ],
            WarningLevel::Red => &[
                "对地质灾害隐患点实行24小时不间断巡查和监测",
                "当地政府及相关部门对预警措施落实情况督促检查",
                "及时组织受威胁人员转移避让，做好抢险准备",
            ],
        }
    }
    fn parse(field: &str, text: &str) -> Result<WarningLevel, RuleError> {
        let level = match text {
            "四级" | "4" | "蓝色" | "蓝" | "Ⅳ" => WarningLevel::Blue,
            "三级" | "3" | "黄色" | "黄" | "Ⅲ" => WarningLevel::Yellow,
            "二级" | "2" | "橙色" | "橙" | "Ⅱ" => WarningLevel::Orange,
            "一级" | "1" | "红色" | "红" | "Ⅰ" => WarningLevel::Red,
            _ => {
                return Err(RuleError::bad_value(
                    field,
                    format!("取值“{text}”无效，应为 四级/三级/二级/一级 或 蓝色/黄色/橙色/红色"),
                ))
            }
        };
        Ok(level)
    }
}

/// Public release threshold: "预警级别达到三级以上" — 三级 included (八（一）“以上”含本数).
pub const PUBLIC_RELEASE_FROM: WarningLevel = WarningLevel::Yellow;
/// "超出24小时预警期": a warning lapses once more than 24 hours have passed since issue.
pub const WARNING_PERIOD_HOURS: i64 = 24;

/// Input of `warning-level`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarningInput {
    /// 四级/三级/二级/一级 or 蓝色/黄色/橙色/红色.
    pub level: String,
    pub issued_at: Option<DateTime>,
    /// 判断时刻: with `issued_at`, whether the warning has lapsed.
    pub as_of: Option<DateTime>,
}

/// Decision of `warning-level`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarningDecision {
    pub level: &'static str,
    pub color: &'static str,
    pub risk: &'static str,
    pub public_release_required: bool,
    pub release_channels: Vec<&'static str>,
    pub actions: Vec<&'static str>,
    pub expires_at: Option<DateTime>,
    pub expired: Option<bool>,
    pub citation: &'static str,
    /// Which reading of 以上/超过 decided.
    pub counting: Counting,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

pub fn warning(input: &WarningInput, reading: Reading) -> Result<WarningDecision, RuleError> {
    let level = WarningLevel::parse("level", input.level.trim())?;
    let mut trace = Vec::with_capacity(4);
    trace.push(TraceStep::new(
        CLAUSE_WARN_LEVELS,
        "预警级别与颜色",
        level.name(),
        level.color(),
        true,
    ));
    // “三级以上”: 以上 includes 三级 under every reading.
    let public = reading.holds(
        level.severity(),
        Word::Above,
        PUBLIC_RELEASE_FROM.severity(),
    );
    trace.push(TraceStep::new(
        CLAUSE_WARN_RELEASE,
        "预警级别达到三级以上（含三级）须向公众发布",
        level.name(),
        "三级",
        public,
    ));
    let actions: Vec<&'static str> = WARNING_LEVELS
        .iter()
        .filter(|l| **l >= level)
        .flat_map(|l| l.own_actions().iter().copied())
        .collect();
    trace.push(TraceStep::new(
        CLAUSE_WARN_RESPONSE,
        "预警响应措施逐级累加",
        level.name(),
        actions.len() as u64,
        true,
    ));
    let expires_at = match input.issued_at {
        Some(DateTime(t)) => Some(DateTime(
            t.checked_add_signed(chrono::Duration::hours(WARNING_PERIOD_HOURS))
                .ok_or_else(|| RuleError::bad_value("issued_at", "时间超出可计算范围"))?,
        )),
        None => None,
    };
    let expired = match (input.issued_at, input.as_of) {
        (Some(DateTime(issued)), Some(DateTime(now))) => {
            if now < issued {
                return Err(RuleError::bad_value("as_of", "判断时刻早于发布时刻"));
            }
            let elapsed = now - issued;
            // “超出24小时预警期”: 超过 never includes the number (民法典 第一千二百五十九条).
            let lapsed = reading.holds(
                elapsed,
                Word::Over,
                chrono::Duration::hours(WARNING_PERIOD_HOURS),
            );
            trace.push(TraceStep::new(
                CLAUSE_WARN_EXPIRY,
                "距发布超过24小时预警期且未再发布新预警则解除",
                format!("{}分钟", elapsed.num_minutes()),
                "1440分钟",
                lapsed,
            ));
            Some(lapsed)
        }
        (None, Some(_)) => {
            return Err(RuleError::MissingField(
                "issued_at（给出 as_of 时必填）".into(),
            ))
        }
        _ => None,
    };
    let release_channels = if public {
        vec!["网络平台", "广播", "电视", "通信网络发送群测群防员"]
    } else {
        Vec::new()
    };
    let mut explanation = format!(
        "{}（{}）预警：预计突发地质灾害发生{}。{}。响应措施{}项（含较低级别措施）。",
        level.name(),
        level.color(),
        level.risk(),
        if public {
            "达到三级以上，应在网络平台及广播、电视媒体上向公众发布，并通过通信网络向群测群防员发送"
        } else {
            "未达到三级，不要求向公众发布"
        },
        actions.len()
    );
    if let Some(e) = expires_at {
        explanation.push_str(&format!(
            "预警期至{}，期满未再发布新预警即解除。",
            e.0.format("%Y-%m-%d %H:%M")
        ));
    }
    if let Some(true) = expired {
        explanation.push_str("判断时刻已超出24小时预警期，预警已解除（除非已续发）。");
    }
    Ok(WarningDecision {
        level: level.name(),
        color: level.color(),
        risk: level.risk(),
        public_release_required: public,
        release_channels,
        actions,
        expires_at,
        expired,
        citation: "郑政办〔2020〕26号 三（一）2—5",
        counting: Document::Disaster26.counting(reading),
        explanation,
        trace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::band::check_table;
    use crate::common::parse_input;

    fn cal() -> luoshi_calendar::Calendar {
        luoshi_calendar::bundled().unwrap()
    }

    const READINGS: [Reading; 2] = [Reading::BelowExclusive, Reading::CivilCode];

    fn grade_of(json: &str, reading: Reading) -> GradeDecision {
        grade(&parse_input(json).unwrap(), &cal(), reading).unwrap()
    }

    /// Every table of 一（五） covers [0, ∞) without gaps or overlaps.
    #[test]
    fn tables_have_no_gaps_or_overlaps() {
        check_table(&THREAT_PEOPLE, 0).unwrap();
        check_table(&DISASTER_DEATHS, 0).unwrap();
        check_table(&THREAT_LOSS, Decimal::ZERO).unwrap();
        check_table(&DISASTER_LOSS, Decimal::ZERO).unwrap();
    }

    /// Generated from the tables: value − 1, value, value + 1 at every bound, under both readings.
    /// 八（一） (default): the bound is in the upper band only. 民法典 (parameter): the bound is in
    /// both bands (“以下”含本数), the higher grade is taken, and the explanation says so.
    #[test]
    fn count_boundaries_generated_from_tables() {
        for reading in READINGS {
            for (kind, field, table) in [
                ("险情", "people_at_risk", &THREAT_PEOPLE),
                ("灾情", "deaths", &DISASTER_DEATHS),
            ] {
                for (i, band) in table.iter().enumerate().skip(1) {
                    let below = table[i - 1].grade;
                    for (v, expected) in [
                        (band.lower - 1, below),
                        (band.lower, band.grade),
                        (band.lower + 1, band.grade),
                    ] {
                        let json = format!(r#"{{"kind":"{kind}","{field}":{v}}}"#);
                        let d = grade_of(&json, reading);
                        assert_eq!(
                            d.grade,
                            expected,
                            "{} {field}={v} ({}) {reading:?}",
                            band.grade.clause(),
                            band.words
                        );
                        assert_shared_bound_explained(&d, v == band.lower, reading);
                    }
                }
            }
        }
    }

    fn assert_shared_bound_explained(d: &GradeDecision, on_bound: bool, reading: Reading) {
        assert_eq!(d.counting.reading, reading);
        assert_eq!(d.counting.default, reading == Reading::BelowExclusive);
        let shared = d.explanation.contains("恰在界值上");
        assert_eq!(
            shared,
            on_bound && reading == Reading::CivilCode,
            "{}",
            d.explanation
        );
        let cites = if reading == Reading::CivilCode {
            "《民法典》第一千二百五十九条"
        } else {
            "郑政办〔2020〕26号 八（一）"
        };
        assert!(d.explanation.contains(cites), "{}", d.explanation);
    }

    #[test]
    fn money_boundaries_generated_from_tables() {
        let fen = Decimal::new(1, 2);
        for reading in READINGS {
            for (kind, field, table) in [
                ("险情", "potential_loss_yuan", &THREAT_LOSS),
                ("灾情", "direct_loss_yuan", &DISASTER_LOSS),
            ] {
                for (i, band) in table.iter().enumerate().skip(1) {
                    let below = table[i - 1].grade;
                    for (v, expected) in [
                        (band.lower - fen, below),
                        (band.lower, band.grade),
                        (band.lower + fen, band.grade),
                    ] {
                        let json = format!(r#"{{"kind":"{kind}","{field}":"{v}"}}"#);
                        let d = grade_of(&json, reading);
                        assert_eq!(
                            d.grade,
                            expected,
                            "{} {field}={v} {reading:?}",
                            band.grade.clause()
                        );
                        assert_shared_bound_explained(&d, v == band.lower, reading);
                    }
                }
            }
        }
    }

    /// (input, grade, report hours, clause exercised)
    const CASES: &[(&str, &str, u32, &str)] = &[
        (
            r#"{"kind":"险情","people_at_risk":50,"potential_loss_yuan":"100000000"}"#,
            "特大型",
            4,
            "一（五）1 “或”：最高等级",
        ),
        (
            r#"{"kind":"险情","people_at_risk":999}"#,
            "大型",
            4,
            "一（五）2",
        ),
        (
            r#"{"kind":"灾情","deaths":2,"direct_loss_yuan":"4999999.99"}"#,
            "中型",
            12,
            "一（五）3",
        ),
        (
            r#"{"kind":"灾情","deaths":0}"#,
            "小型",
            12,
            "一（五）4 因灾死亡3人以下含0",
        ),
        (
            r#"{"kind":"灾情","deaths":30}"#,
            "特大型",
            4,
            "一（五）1 30人以上含本数",
        ),
    ];

    #[test]
    fn case_table() {
        for reading in READINGS {
            for (json, expected, hours, clause) in CASES {
                let d = grade_of(json, reading);
                assert_eq!(d.grade.name(), *expected, "{clause}");
                assert_eq!(d.report_within_hours, *hours, "三（二）1 {clause}");
            }
        }
    }

    #[test]
    fn response_and_work_groups() {
        let d = grade(
            &parse_input(r#"{"kind":"灾情","deaths":3,"received_at":"2020-07-01T22:30"}"#).unwrap(),
            &cal(),
            Reading::BelowExclusive,
        )
        .unwrap();
        assert_eq!(d.response_level, "Ⅲ级");
        assert!(d.response_led_by.starts_with("市指挥部"));
        assert!(d.work_groups, "二（三） 中型以上灾情设工作组");
        assert_eq!(
            d.report_due_at.unwrap().0.to_string(),
            "2020-07-02 10:30:00"
        );
        let small_threat = grade(
            &parse_input(r#"{"kind":"险情","people_at_risk":150}"#).unwrap(),
            &cal(),
            Reading::BelowExclusive,
        )
        .unwrap();
        assert!(!small_threat.work_groups, "工作组只针对灾情");
        let huge = grade(
            &parse_input(r#"{"kind":"险情","people_at_risk":1000}"#).unwrap(),
            &cal(),
            Reading::BelowExclusive,
        )
        .unwrap();
        assert!(huge.response_led_by.starts_with("省指挥部"));
    }

    /// 二（三）“中型以上灾情” at 2, 3 and 4 deaths (小型, 中型, 中型), under both readings.
    #[test]
    fn work_groups_from_medium_up_both_readings() {
        for reading in READINGS {
            for (deaths, groups) in [(2, false), (3, true), (4, true), (10, true)] {
                let d = grade_of(&format!(r#"{{"kind":"灾情","deaths":{deaths}}}"#), reading);
                assert_eq!(d.work_groups, groups, "二（三） {deaths} {reading:?}");
            }
        }
    }

    #[test]
    fn wrong_measures_are_errors() {
        let e = grade(
            &parse_input(r#"{"kind":"险情","deaths":3}"#).unwrap(),
            &cal(),
            Reading::BelowExclusive,
        )
        .unwrap_err();
        assert_eq!(e.code(), "E_FIELD_VALUE");
        let e = grade(
            &parse_input(r#"{"kind":"灾情"}"#).unwrap(),
            &cal(),
            Reading::BelowExclusive,
        )
        .unwrap_err();
        assert_eq!(e.code(), "E_FIELD_MISSING");
    }

    /// “三级以上” at 四级, 三级, 二级 (and 一级), under both readings: 以上 includes 三级 in both.
    #[test]
    fn warning_release_threshold_generated_from_levels() {
        for (level, reading) in WARNING_LEVELS
            .into_iter()
            .flat_map(|l| READINGS.map(|r| (l, r)))
        {
            let d = warning(
                &WarningInput {
                    level: level.name().into(),
                    issued_at: None,
                    as_of: None,
                },
                reading,
            )
            .unwrap();
            assert_eq!(d.counting.reading, reading);
            assert_eq!(
                d.public_release_required,
                level <= PUBLIC_RELEASE_FROM,
                "三（一）3 {}",
                level.name()
            );
            let by_color = warning(
                &WarningInput {
                    level: level.color().into(),
                    issued_at: None,
                    as_of: None,
                },
                reading,
            )
            .unwrap();
            assert_eq!(by_color.level, level.name());
        }
        let blue = warning(
            &WarningInput {
                level: "四级".into(),
                issued_at: None,
                as_of: None,
            },
            Reading::BelowExclusive,
        )
        .unwrap();
        let red = warning(
            &WarningInput {
                level: "红色".into(),
                issued_at: None,
                as_of: None,
            },
            Reading::BelowExclusive,
        )
        .unwrap();
        assert!(red.actions.len() > blue.actions.len(), "三（一）4 逐级累加");
        assert!(red.actions.contains(&"做好应急值守工作"));
    }

    /// “超出24小时预警期”: 超过 excludes the number under both readings.
    #[test]
    fn warning_expiry_boundary() {
        let issued =
            chrono::NaiveDateTime::parse_from_str("2020-07-01T08:00", "%Y-%m-%dT%H:%M").unwrap();
        for (minutes, expired, reading) in
            [(24 * 60 - 1, false), (24 * 60, false), (24 * 60 + 1, true)]
                .into_iter()
                .flat_map(|(m, e)| READINGS.map(|r| (m, e, r)))
        {
            let d = warning(
                &WarningInput {
                    level: "三级".into(),
                    issued_at: Some(DateTime(issued)),
                    as_of: Some(DateTime(issued + chrono::Duration::minutes(minutes))),
                },
                reading,
            )
            .unwrap();
            assert_eq!(
                d.expired,
                Some(expired),
                "三（一）5 超出24小时 at {minutes} min"
            );
        }
        assert!(warning(
            &WarningInput {
                level: "五级".into(),
                issued_at: None,
                as_of: None
            },
            Reading::BelowExclusive
        )
        .is_err());
    }
}
