//! 指标目标实现程度 (attainment of a monitored indicator's target), for 郑政文〔2020〕59号
//! 附件2 二（二）「监测主要内容包括各专项行动主要指标的年度完成情况和目标实现情况」 and the
//! targets of 附件3 (考核指标框架) and of the actions' prose (`到2022年和2030年…分别…`).
//!
//! One target, one series of yearly values, one year of assessment give one of five statuses:
//! - **achieved** (已实现): the latest value meets the target (a level target), or the change
//!   since the start goes the target's way (a trend target) and the target year has come;
//! - **on track** (进度正常): not yet met, but the observed yearly change, carried on to the
//!   target year, meets it (Open SDG's "projected" test); a good trend before its year;
//! - **behind** (进度滞后): moving the right way too slowly, standing still, or the target year
//!   has passed without the target met;
//! - **deteriorating** (趋于恶化): moving the wrong way;
//! - **not assessable** (无法评估), with the reason: no value, a single value and no baseline,
//!   no direction, or a qualitative target with no recorded decision.
//!
//! Beside the status stand Open SDG's two rates: the **required** yearly change from the start
//! point to the target, and the **observed** yearly change from the start point to the latest
//! value (start point: the baseline when it is earlier than the latest value, else the earliest
//! value). A qualitative target (`提前实现`, `优于全国平均水平`) is judged by a decision the
//! office records with its evidence.
//!
//! Readings, each named in the result:
//! - A plain number in a 目标值 column (`80.2`, `100`) is a level to reach: met when the value is
//!   at it or better in the series' direction (`target.plain_number_reach`).
//! - Comparator words with a bare 以上/以下 (`保持在95%以上`) are read by 民法典 第一千二百五十九条
//!   (included) unless the parameter chooses otherwise; `及以上`, `≥` and the like say it
//!   themselves.
//! - A trend whose words say 持续/逐年/不断 needs every year-on-year step to go its way.

use crate::counting::{Counting, Reading, Word, CIVIL_CODE, CIVIL_CODE_TEXT};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Citation of the rule as a whole.
pub const CITATION: &str = "郑政文〔2020〕59号 附件2 二（二）、附件3";
const MONITOR: &str = "郑政文〔2020〕59号 附件2 二（二）";
const FRAMEWORK: &str = "郑政文〔2020〕59号 附件3";

/// Which way is better for a series (指标方向).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 越高越好 (健康素养水平, 筛查率).
    Up,
    /// 越低越好 (死亡率, 个人卫生支出占比).
    Down,
    /// Not known.
    None,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Up => "越高越好",
            Direction::Down => "越低越好",
            Direction::None => "方向未定",
        }
    }
    pub fn parse(s: &str) -> Direction {
        match s {
            "up" => Direction::Up,
            "down" => Direction::Down,
            _ => Direction::None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::None => "none",
        }
    }
}

/// A target's operator, as the reader writes it (`>=`, `<=`, `>`, `<`, `=`, `trend`, `text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Ge,
    Le,
    Gt,
    Lt,
    /// A plain number: a level to reach (see the module's readings).
    Eq,
    /// A direction (`下降趋势`, `持续减缓`, `逐年提升`).
    Trend,
    /// Qualitative (`提前实现`, `优于全国平均水平`): judged by a recorded decision.
    Text,
}

impl Op {
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            ">=" | "≥" => Op::Ge,
            "<=" | "≤" => Op::Le,
            ">" => Op::Gt,
            "<" => Op::Lt,
            "=" => Op::Eq,
            "trend" => Op::Trend,
            "text" => Op::Text,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Lt => "<",
            Op::Eq => "=",
            Op::Trend => "trend",
            Op::Text => "text",
        }
    }
    /// The sign shown to people.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Lt => "<",
            Op::Eq => "达到",
            Op::Trend => "趋势",
            Op::Text => "定性",
        }
    }
    /// The direction an operator implies on its own.
    pub fn direction(self) -> Direction {
        match self {
            Op::Ge | Op::Gt => Direction::Up,
            Op::Le | Op::Lt => Direction::Down,
            _ => Direction::None,
        }
    }
}

/// Direction words of a trend target: down-words first (`减缓` of a growth rate is down).
pub fn trend_direction(words: &str) -> Direction {
    const DOWN: &[&str] = &["下降", "降低", "减缓", "减少", "遏制", "控制", "减"];
    const UP: &[&str] = &["提高", "提升", "上升", "增加", "改善", "增长", "扩大"];
    if DOWN.iter().any(|w| words.contains(w)) {
        Direction::Down
    } else if UP.iter().any(|w| words.contains(w)) {
        Direction::Up
    } else {
        Direction::None
    }
}

/// A trend must hold every year (`持续`, `逐年`, `不断`).
pub fn trend_is_continuous(words: &str) -> bool {
    ["持续", "逐年", "不断", "稳步"]
        .iter()
        .any(|w| words.contains(w))
}

/// One value of the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub year: i32,
    pub value: Decimal,
}

/// The target assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub year: i32,
    pub op: Op,
    pub value: Option<Decimal>,
    /// The words of the document (`不低于`, `保持在…以上`, `下降趋势`, `提前实现`).
    #[serde(default)]
    pub words: String,
    /// Where the target is written (`郑政文〔2020〕59号 附件3 第2行`).
    #[serde(default)]
    pub cites: String,
}

/// A decision the office recorded for a qualitative target (定性目标判定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub met: bool,
    pub evidence: String,
    pub by: String,
    pub at: String,
}

/// Everything the rule reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub direction: Direction,
    pub baseline: Option<Point>,
    pub target: Target,
    /// The series' yearly values (any order; the latest per year counts).
    pub observations: Vec<Point>,
    /// The year assessed: values after it are not looked at.
    pub as_of: i32,
    #[serde(default)]
    pub decision: Option<Decision>,
    /// How bare 以上/以下 read (民法典 by default).
    #[serde(default = "civil_code")]
    pub reading: Reading,
}

fn civil_code() -> Reading {
    Reading::CivilCode
}

/// The five statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Achieved,
    OnTrack,
    Behind,
    Deteriorating,
    NotAssessable,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Achieved,
        Status::OnTrack,
        Status::Behind,
        Status::Deteriorating,
        Status::NotAssessable,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Status::Achieved => "已实现",
            Status::OnTrack => "进度正常",
            Status::Behind => "进度滞后",
            Status::Deteriorating => "趋于恶化",
            Status::NotAssessable => "无法评估",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::Behind => "behind",
            Status::Deteriorating => "deteriorating",
            Status::NotAssessable => "not_assessable",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One step of the reasoning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub clause: String,
    pub check: String,
    pub holds: bool,
}

/// The rule's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attainment {
    pub status: Status,
    pub label: &'static str,
    /// Why (always set; for `not_assessable` it is the reason).
    pub explanation: String,
    pub latest: Option<Point>,
    pub start: Option<Point>,
    /// Open SDG: yearly change needed from the start point to reach the target.
    pub required_rate: Option<Decimal>,
    /// Open SDG: yearly change observed from the start point to the latest value.
    pub observed_rate: Option<Decimal>,
    /// The latest value carried on at the observed rate to the target year.
    pub projected: Option<Decimal>,
    pub citation: String,
    /// Which reading of 以上/以下 decided, when the target's words hold a bare one.
    pub counting: Option<Counting>,
    pub trace: Vec<Step>,
}

/// Format a decimal without trailing zeros beyond what it carries.
pub fn show(d: Decimal) -> String {
    d.normalize().to_string()
}

fn rate(from: Point, to: Point) -> Option<Decimal> {
    let years = Decimal::from(to.year - from.year);
    if years.is_zero() {
        return None;
    }
    Some(((to.value - from.value) / years).round_dp(4).normalize())
}

/// The bare counting word in a target's words (`保持在…以上`), not `及以上`.
fn bare_word(words: &str) -> Option<Word> {
    let bare = |w: &str| words.contains(w) && !words.contains(&format!("及{w}"));
    if bare("以上") {
        Some(Word::Above)
    } else if bare("以下") {
        Some(Word::Below)
    } else {
        None
    }
}

fn counting(reading: Reading) -> Counting {
    Counting {
        reading,
        citation: CIVIL_CODE,
        rule: CIVIL_CODE_TEXT,
        parameter: "health.counting",
        default: reading == Reading::CivilCode,
        short: "《民法典》第一千二百五十九条",
    }
}

/// Whether `v` meets a level target.
fn meets(input: &Input, v: Decimal, t: Decimal) -> bool {
    let word = bare_word(&input.target.words);
    match (input.target.op, word) {
        (Op::Ge | Op::Gt, Some(w @ Word::Above)) | (Op::Le | Op::Lt, Some(w @ Word::Below)) => {
            input.reading.holds(v, w, t)
        }
        (Op::Ge, _) => v >= t,
        (Op::Gt, _) => v > t,
        (Op::Le, _) => v <= t,
        (Op::Lt, _) => v < t,
        (Op::Eq, _) => match input.direction {
            Direction::Up => v >= t,
            Direction::Down => v <= t,
            Direction::None => v == t,
        },
        _ => false,
    }
}

/// Is `later` better than `earlier` in `dir`? (`Equal` when the same.)
fn compare(dir: Direction, earlier: Decimal, later: Decimal) -> Ordering {
    match dir {
        Direction::Up => later.cmp(&earlier),
        Direction::Down => earlier.cmp(&later),
        Direction::None => Ordering::Equal,
    }
}

/// Assess one target.
pub fn assess(input: &Input) -> Attainment {
    let mut obs: Vec<Point> = input
        .observations
        .iter()
        .copied()
        .filter(|p| p.year <= input.as_of)
        .collect();
    obs.sort_by_key(|p| p.year);
    obs.dedup_by(|later, earlier| {
        // keep the last written value of a year
        if later.year == earlier.year {
            *earlier = *later;
            true
        } else {
            false
        }
    });
    let latest = obs.last().copied();
    let start = match (input.baseline, obs.first()) {
        (Some(b), _) if latest.is_some_and(|l| b.year < l.year) => Some(b),
        (_, Some(first)) if latest.is_some_and(|l| first.year < l.year) => Some(*first),
        _ => None,
    };
    let t = &input.target;
    let citation = if t.cites.is_empty() {
        CITATION.to_string()
    } else {
        format!("{}；{}", t.cites, MONITOR)
    };
    let mut a = Attainment {
        status: Status::NotAssessable,
        label: Status::NotAssessable.label(),
        explanation: String::new(),
        latest,
        start,
        required_rate: None,
        observed_rate: None,
        projected: None,
        citation,
        counting: bare_word(&t.words)
            .filter(|_| matches!(t.op, Op::Ge | Op::Gt | Op::Le | Op::Lt))
            .map(|_| counting(input.reading)),
        trace: Vec::new(),
    };
    match t.op {
        Op::Text => judge_decision(input, &mut a),
        Op::Trend => judge_trend(input, &obs, &mut a),
        _ => judge_level(input, &mut a),
    }
    a.label = a.status.label();
    a
}

fn set(a: &mut Attainment, status: Status, why: String) {
    a.status = status;
    a.explanation = why;
}

fn step(a: &mut Attainment, clause: &str, check: String, holds: bool) {
    a.trace.push(Step {
        clause: clause.to_string(),
        check,
        holds,
    });
}

fn judge_decision(input: &Input, a: &mut Attainment) {
    let t = &input.target;
    match &input.decision {
        None => set(
            a,
            Status::NotAssessable,
            format!(
                "定性目标“{}”需由推进委员会办公室记录判定及依据，尚未记录",
                t.words
            ),
        ),
        Some(d) => {
            step(
                a,
                FRAMEWORK,
                format!(
                    "{} 于 {} 判定：{}（依据：{}）",
                    d.by,
                    d.at,
                    if d.met { "已实现" } else { "未实现" },
                    d.evidence
                ),
                d.met,
            );
            let status = if d.met {
                Status::Achieved
            } else {
                Status::Behind
            };
            set(
                a,
                status,
                format!(
                    "定性目标“{}”：{} 判定{}，依据：{}",
                    t.words,
                    d.by,
                    if d.met { "已实现" } else { "尚未实现" },
                    d.evidence
                ),
            );
        }
    }
}

fn judge_trend(input: &Input, obs: &[Point], a: &mut Attainment) {
    let t = &input.target;
    let dir = match trend_direction(&t.words) {
        Direction::None => input.direction,
        d => d,
    };
    if dir == Direction::None {
        return set(
            a,
            Status::NotAssessable,
            format!("趋势目标“{}”未说明方向", t.words),
        );
    }
    let (Some(start), Some(latest)) = (a.start, a.latest) else {
        return set(
            a,
            Status::NotAssessable,
            "趋势目标需要至少两个年份的数值（含基期值），现有数值不足".into(),
        );
    };
    a.observed_rate = rate(start, latest);
    let overall = compare(dir, start.value, latest.value);
    step(
        a,
        &t.cites,
        format!(
            "{}：{} 年 {} → {} 年 {}（{}）",
            t.words,
            start.year,
            show(start.value),
            latest.year,
            show(latest.value),
            dir.label()
        ),
        overall == Ordering::Greater,
    );
    // Every step, when the words say 持续/逐年.
    let mut points: Vec<Point> = Vec::new();
    if input.baseline.is_some_and(|b| b.year < obs[0].year) {
        points.push(start);
    }
    points.extend_from_slice(obs);
    let bad_step = points
        .windows(2)
        .find(|w| compare(dir, w[0].value, w[1].value) != Ordering::Greater);
    let continuous = trend_is_continuous(&t.words);
    if continuous {
        step(
            a,
            &t.cites,
            format!("“{}”要求逐年向好", t.words),
            bad_step.is_none(),
        );
    }
    let came = input.as_of >= t.year;
    match overall {
        Ordering::Less => set(
            a,
            Status::Deteriorating,
            format!(
                "与目标“{}”方向相反：{} 年 {} → {} 年 {}",
                t.words,
                start.year,
                show(start.value),
                latest.year,
                show(latest.value)
            ),
        ),
        Ordering::Equal => set(
            a,
            Status::Behind,
            format!(
                "{} 年与 {} 年持平，未体现“{}”",
                latest.year, start.year, t.words
            ),
        ),
        Ordering::Greater if continuous && bad_step.is_some() => {
            let w = bad_step.expect("checked");
            set(
                a,
                Status::Behind,
                format!(
                    "总体向好，但 {} 年 {} → {} 年 {} 未延续“{}”",
                    w[0].year,
                    show(w[0].value),
                    w[1].year,
                    show(w[1].value),
                    t.words
                ),
            )
        }
        Ordering::Greater => set(
            a,
            if came {
                Status::Achieved
            } else {
                Status::OnTrack
            },
            format!(
                "{} 年 {} → {} 年 {}，符合“{}”{}",
                start.year,
                show(start.value),
                latest.year,
                show(latest.value),
                t.words,
                if came { "" } else { "（目标年未到）" }
            ),
        ),
    }
}

fn judge_level(input: &Input, a: &mut Attainment) {
    let t = &input.target;
    let Some(goal) = t.value else {
        return set(a, Status::NotAssessable, "目标没有数值".into());
    };
    let Some(latest) = a.latest else {
        return set(
            a,
            Status::NotAssessable,
            format!("{} 年及以前没有数值", input.as_of),
        );
    };
    let dir = match t.op.direction() {
        Direction::None => input.direction,
        d => d,
    };
    if let Some(start) = a.start {
        a.observed_rate = rate(start, latest);
        a.required_rate = rate(
            start,
            Point {
                year: t.year,
                value: goal,
            },
        );
    }
    let met = meets(input, latest.value, goal);
    let mut check = format!(
        "{} 年数值 {} {} 目标 {}",
        latest.year,
        show(latest.value),
        t.op.symbol(),
        show(goal)
    );
    if let Some(c) = a.counting {
        if let Some(w) = bare_word(&t.words) {
            check.push_str(&format!("（{}）", c.note(w)));
        }
    }
    if t.op == Op::Eq {
        check.push_str(&format!("（目标值为应达到的水平，{}）", dir.label()));
    }
    step(a, &t.cites, check, met);
    if met {
        return set(
            a,
            Status::Achieved,
            format!(
                "{} 年数值 {} 已达到目标（{} {}）",
                latest.year,
                show(latest.value),
                t.op.symbol(),
                show(goal)
            ),
        );
    }
    if latest.year >= t.year {
        return set(
            a,
            Status::Behind,
            format!(
                "目标年 {} 已到，{} 年数值 {} 未达到目标（{} {}）",
                t.year,
                latest.year,
                show(latest.value),
                t.op.symbol(),
                show(goal)
            ),
        );
    }
    if dir == Direction::None {
        return set(
            a,
            Status::NotAssessable,
            "指标方向未定，无法判断进度".into(),
        );
    }
    let (Some(start), Some(observed)) = (a.start, a.observed_rate) else {
        return set(
            a,
            Status::NotAssessable,
            "只有一个年份的数值且无更早的基期值，无法计算变化速度".into(),
        );
    };
    if compare(dir, start.value, latest.value) == Ordering::Less {
        return set(
            a,
            Status::Deteriorating,
            format!(
                "{} 年 {} → {} 年 {}，与目标方向（{}）相反",
                start.year,
                show(start.value),
                latest.year,
                show(latest.value),
                dir.label()
            ),
        );
    }
    let projected = latest.value + observed * Decimal::from(t.year - latest.year);
    a.projected = Some(projected.round_dp(4).normalize());
    let on_track = meets(input, projected, goal);
    step(
        a,
        MONITOR,
        format!(
            "按年均变化 {} 推算 {} 年为 {}（需年均变化 {}）",
            show(observed),
            t.year,
            show(projected.round_dp(4)),
            a.required_rate.map(show).unwrap_or_else(|| "—".into())
        ),
        on_track,
    );
    if on_track {
        set(
            a,
            Status::OnTrack,
            format!(
                "尚未达标；按年均变化 {} 推算，{} 年可达 {}",
                show(observed),
                t.year,
                show(projected.round_dp(2))
            ),
        )
    } else {
        set(
            a,
            Status::Behind,
            format!(
                "按年均变化 {} 推算，{} 年仅达 {}，未达目标 {} {}",
                show(observed),
                t.year,
                show(projected.round_dp(2)),
                t.op.symbol(),
                show(goal)
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn p(year: i32, v: &str) -> Point {
        Point { year, value: d(v) }
    }
    fn input(dir: Direction, op: Op, goal: &str, words: &str, obs: &[(i32, &str)]) -> Input {
        Input {
            direction: dir,
            baseline: Some(p(2018, "50")),
            target: Target {
                year: 2022,
                op,
                value: if goal.is_empty() { None } else { Some(d(goal)) },
                words: words.into(),
                cites: "郑政文〔2020〕59号 附件3".into(),
            },
            observations: obs.iter().map(|(y, v)| p(*y, v)).collect(),
            as_of: 2022,
            decision: None,
            reading: Reading::CivilCode,
        }
    }
    fn status(dir: Direction, op: Op, goal: &str, v: &str) -> Status {
        assess(&input(dir, op, goal, "", &[(2022, v)])).status
    }

    /// At, above and below each target, for each operator and direction (target year reached,
    /// so a value that does not meet is behind).
    #[test]
    fn boundaries_of_every_operator() {
        use Direction::*;
        use Status::*;
        let cases: &[(Direction, Op, &str, [Status; 3])] = &[
            // (direction, op, target, [at, above, below])
            (Up, Op::Ge, "92.3", [Achieved, Achieved, Behind]),
            (Up, Op::Gt, "65", [Behind, Achieved, Behind]),
            (Down, Op::Le, "4.1", [Achieved, Behind, Achieved]),
            (Down, Op::Lt, "5", [Behind, Behind, Achieved]),
            (Up, Op::Eq, "80.2", [Achieved, Achieved, Behind]),
            (Down, Op::Eq, "27.5", [Achieved, Behind, Achieved]),
            (None, Op::Eq, "100", [Achieved, Behind, Behind]),
        ];
        for (dir, op, goal, want) in cases {
            let g = d(goal);
            let step = d("0.01");
            let got = [
                status(*dir, *op, goal, &g.to_string()),
                status(*dir, *op, goal, &(g + step).to_string()),
                status(*dir, *op, goal, &(g - step).to_string()),
            ];
            assert_eq!(&got, want, "{dir:?} {op:?} {goal}");
        }
    }

    /// At, above and below each target for every operator under every series direction, in
    /// the target year (met or behind) and two years before it, where the observed yearly
    /// change carried on decides (on track or behind). Baseline 50 in 2018; a value in 2020
    /// at the projection's boundary: 60 projects to 70 (up), 40 projects to 30 (down).
    #[test]
    fn every_operator_and_direction_at_above_and_below_the_target() {
        use Status::*;
        let step = d("0.01");
        // (op, goal, value at which the projection meets the goal exactly, [at, above, below])
        let before: &[(Op, &str, &str, [Status; 3])] = &[
            (Op::Ge, "70", "60", [OnTrack, OnTrack, Behind]),
            (Op::Gt, "70", "60", [Behind, OnTrack, Behind]),
            (Op::Le, "30", "40", [OnTrack, Behind, OnTrack]),
            (Op::Lt, "30", "40", [Behind, Behind, OnTrack]),
        ];
        let in_year: &[(Op, &str, [Status; 3])] = &[
            (Op::Ge, "70", [Achieved, Achieved, Behind]),
            (Op::Gt, "70", [Behind, Achieved, Behind]),
            (Op::Le, "30", [Achieved, Behind, Achieved]),
            (Op::Lt, "30", [Behind, Behind, Achieved]),
        ];
        let three = |dir, op, goal: &str, year: i32, v: &str| -> [Status; 3] {
            let v = d(v);
            [v, v + step, v - step]
                .map(|x| assess(&input(dir, op, goal, "", &[(year, &x.to_string())])).status)
        };
        // An explicit operator carries its own direction: the series' direction changes nothing.
        for dir in [Direction::Up, Direction::Down, Direction::None] {
            for (op, goal, at, want) in before {
                assert_eq!(
                    &three(dir, *op, goal, 2020, at),
                    want,
                    "{dir:?} {op:?} before"
                );
            }
            for (op, goal, want) in in_year {
                assert_eq!(
                    &three(dir, *op, goal, 2022, goal),
                    want,
                    "{dir:?} {op:?} in year"
                );
            }
        }
        // A plain number (应达到的水平) takes the series' direction.
        assert_eq!(
            three(Direction::Up, Op::Eq, "70", 2020, "60"),
            [OnTrack, OnTrack, Behind]
        );
        assert_eq!(
            three(Direction::Down, Op::Eq, "30", 2020, "40"),
            [OnTrack, Behind, OnTrack]
        );
        // Without a direction only the exact level counts, and progress cannot be judged.
        assert_eq!(
            three(Direction::None, Op::Eq, "70", 2020, "60"),
            [NotAssessable; 3]
        );
        // Moving away from the goal, either way round.
        assert_eq!(
            three(Direction::Up, Op::Ge, "70", 2020, "49.98")[0],
            Deteriorating
        );
        assert_eq!(
            three(Direction::Down, Op::Le, "30", 2020, "50.02")[0],
            Deteriorating
        );
        // Bare 以上/以下 at, above and below, under both readings of the counting word: 以上
        // includes the number in both; 以下 does only under the civil code.
        for (op, words, goal, civil, below_exclusive) in [
            (
                Op::Ge,
                "保持在…以上",
                "95",
                [Achieved, Achieved, Behind],
                [Achieved, Achieved, Behind],
            ),
            (
                Op::Le,
                "控制在…以下",
                "4.1",
                [Achieved, Behind, Achieved],
                [Behind, Behind, Achieved],
            ),
        ] {
            for (reading, want) in [
                (Reading::CivilCode, civil),
                (Reading::BelowExclusive, below_exclusive),
            ] {
                let g = d(goal);
                let got = [g, g + step, g - step].map(|x| {
                    let mut i = input(Direction::None, op, goal, words, &[(2022, &x.to_string())]);
                    i.reading = reading;
                    assess(&i).status
                });
                assert_eq!(got, want, "{op:?} {words} {reading:?}");
            }
        }
    }

    #[test]
    fn published_rounding_is_compared_exactly() {
        // 4.10 equals 4.1; 4.100001 does not meet ≤4.1.
        assert_eq!(
            status(Direction::Down, Op::Le, "4.1", "4.10"),
            Status::Achieved
        );
        assert_eq!(
            status(Direction::Down, Op::Le, "4.1", "4.100001"),
            Status::Behind
        );
    }

    #[test]
    fn bare_above_reads_civil_code_and_the_other_reading_is_a_parameter() {
        // 保持在95%以上: 95 itself meets under 民法典 (以上 includes the number).
        let mut i = input(Direction::Up, Op::Ge, "95", "保持在…以上", &[(2022, "95")]);
        let a = assess(&i);
        assert_eq!(a.status, Status::Achieved);
        assert!(a.counting.is_some());
        assert!(a.trace[0].check.contains("含本数"), "{:?}", a.trace);
        // 及以上 is explicit: no counting reading is named.
        i.target.words = "达到…及以上".into();
        assert!(assess(&i).counting.is_none());
        // 以下 under the exclusive reading: 4.1 does not meet 4.1以下.
        let mut j = input(
            Direction::Down,
            Op::Le,
            "4.1",
            "控制在…以下",
            &[(2022, "4.1")],
        );
        assert_eq!(assess(&j).status, Status::Achieved);
        j.reading = Reading::BelowExclusive;
        assert_eq!(assess(&j).status, Status::Behind);
    }

    #[test]
    fn progress_before_the_target_year() {
        // Baseline 50 (2018), target ≥70 in 2022: required 5/year.
        let on = assess(&input(Direction::Up, Op::Ge, "70", "", &[(2020, "60")]));
        assert_eq!(on.status, Status::OnTrack);
        assert_eq!(on.required_rate, Some(d("5")));
        assert_eq!(on.observed_rate, Some(d("5")));
        assert_eq!(on.projected, Some(d("70")));
        let slow = assess(&input(Direction::Up, Op::Ge, "70", "", &[(2020, "59.98")]));
        assert_eq!(slow.status, Status::Behind);
        let worse = assess(&input(Direction::Up, Op::Ge, "70", "", &[(2020, "49")]));
        assert_eq!(worse.status, Status::Deteriorating);
        // Lower is better: baseline 50, ≤30 by 2022, 2020 at 45 → 2.5/year, projected 40.
        let down = assess(&input(Direction::Down, Op::Le, "30", "", &[(2020, "45")]));
        assert_eq!(down.status, Status::Behind);
        assert_eq!(down.required_rate, Some(d("-5")));
        let down_ok = assess(&input(Direction::Down, Op::Le, "30", "", &[(2020, "40")]));
        assert_eq!(down_ok.status, Status::OnTrack);
        let down_bad = assess(&input(Direction::Down, Op::Le, "30", "", &[(2020, "51")]));
        assert_eq!(down_bad.status, Status::Deteriorating);
    }

    #[test]
    fn not_assessable_says_why() {
        let mut i = input(Direction::Up, Op::Ge, "70", "", &[]);
        let a = assess(&i);
        assert_eq!(a.status, Status::NotAssessable);
        assert!(a.explanation.contains("没有数值"));
        i.baseline = None;
        i.observations = vec![p(2020, "60")];
        let b = assess(&i);
        assert_eq!(b.status, Status::NotAssessable);
        assert!(b.explanation.contains("无法计算变化速度"));
        // Values after the year assessed are not looked at.
        i.observations = vec![p(2023, "90")];
        assert_eq!(assess(&i).status, Status::NotAssessable);
    }

    #[test]
    fn trends_at_above_and_below_the_start() {
        let t = |v: &str| {
            assess(&input(
                Direction::None,
                Op::Trend,
                "",
                "下降趋势",
                &[(2022, v)],
            ))
            .status
        };
        assert_eq!(t("50"), Status::Behind); // level with the baseline
        assert_eq!(t("49.99"), Status::Achieved);
        assert_eq!(t("50.01"), Status::Deteriorating);
        // Before its year a good trend is on track.
        let mut i = input(
            Direction::None,
            Op::Trend,
            "",
            "逐年提升",
            &[(2020, "51"), (2021, "52")],
        );
        i.as_of = 2021;
        assert_eq!(assess(&i).status, Status::OnTrack);
        // 持续/逐年: one step back makes it behind although the whole is better.
        i.observations = vec![p(2019, "53"), p(2020, "52"), p(2021, "54")];
        let a = assess(&i);
        assert_eq!(a.status, Status::Behind, "{}", a.explanation);
        // 持续减缓 of a growth rate: the rate going down is good.
        let s = assess(&input(
            Direction::None,
            Op::Trend,
            "",
            "持续减缓",
            &[(2020, "48"), (2022, "47")],
        ));
        assert_eq!(s.status, Status::Achieved);
    }

    #[test]
    fn qualitative_targets_need_a_recorded_decision() {
        let mut i = input(Direction::None, Op::Text, "", "提前实现", &[]);
        let a = assess(&i);
        assert_eq!(a.status, Status::NotAssessable);
        assert!(a.explanation.contains("尚未记录"));
        i.decision = Some(Decision {
            met: true,
            evidence: "科普专家库名单（2021年3月印发）".into(),
            by: "推进委员会办公室".into(),
            at: "2021-03-10".into(),
        });
        let b = assess(&i);
        assert_eq!(b.status, Status::Achieved);
        assert!(b.explanation.contains("科普专家库名单"));
        i.decision.as_mut().unwrap().met = false;
        assert_eq!(assess(&i).status, Status::Behind);
    }

    #[test]
    fn direction_words() {
        assert_eq!(trend_direction("持续减缓"), Direction::Down);
        assert_eq!(trend_direction("下降趋势"), Direction::Down);
        assert_eq!(trend_direction("逐年提升"), Direction::Up);
        assert_eq!(trend_direction("明显改善"), Direction::Up);
        assert!(trend_is_continuous("持续下降"));
        assert!(!trend_is_continuous("明显下降"));
    }
}
