//! 考核计分 (assessment scoring) of counties/districts and departments, 郑政文〔2020〕59号
//! 附件2 三（二）「建立健康郑州行动考核指标框架（见附件3）」 and 三（三）「每年对考评结果好的县
//! （市、区）和部门予以通报表扬；对进度滞后、工作不力的，及时约谈并督促整改」.
//!
//! The text names the framework (附件3) and the two lists, but no points, weights or
//! thresholds: those are the office's scoring scheme ([`Scheme`], 考核计分办法), kept as data
//! (三（一）: 推进委员会办公室负责具体组织实施). The rule, given the scheme and each subject's
//! indicators with their attainment status ([`crate::attainment`]):
//! - **score** (得分) = Σ(points of the status × weight) ÷ Σ weight over the indicators whose
//!   status has points; `not_assessable` has none and is left out (and counted). Rounded to
//!   two decimals half away from zero (四舍五入), as published; ranks use the rounded score.
//!   No scorable indicator: no score, no rank in the lists.
//! - **rank** (名次): higher score first, then the scheme's tie-breaks in order.
//! - **interview** (约谈, 进度滞后、工作不力): score below `interview_below`, or at least
//!   `interview_deteriorating` indicators deteriorating.
//! - **commend** (通报表扬, 考评结果好): score at least `commend_min`, not to be interviewed, at
//!   most `commend_max`, in rank order.
//!
//! Every subject carries the reasons for its place on a list, with the figures behind them.

use crate::attainment::{Point, Status};
use crate::common::RuleError;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Citation of the rule as a whole.
pub const CITATION: &str = "郑政文〔2020〕59号 附件2 三（二）、三（三）";
/// The clause the lists come from.
pub const LISTS: &str = "郑政文〔2020〕59号 附件2 三（三）";

/// The statuses that can carry points (all but `not_assessable`).
pub const SCORED: [Status; 4] = [
    Status::Achieved,
    Status::OnTrack,
    Status::Behind,
    Status::Deteriorating,
];

/// A tie-break, applied in order after the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    MoreAchieved,
    FewerDeteriorating,
    MoreAssessed,
    Name,
}

impl TieBreak {
    pub const ALL: [TieBreak; 4] = [
        TieBreak::MoreAchieved,
        TieBreak::FewerDeteriorating,
        TieBreak::MoreAssessed,
        TieBreak::Name,
    ];
    pub fn label(self) -> &'static str {
        match self {
            TieBreak::MoreAchieved => "已实现指标多者在前",
            TieBreak::FewerDeteriorating => "趋于恶化指标少者在前",
            TieBreak::MoreAssessed => "可评估指标多者在前",
            TieBreak::Name => "按名称",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TieBreak::MoreAchieved => "more_achieved",
            TieBreak::FewerDeteriorating => "fewer_deteriorating",
            TieBreak::MoreAssessed => "more_assessed",
            TieBreak::Name => "name",
        }
    }
    pub fn parse(s: &str) -> Option<TieBreak> {
        TieBreak::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The scoring scheme (考核计分办法).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub name: String,
    /// `table` (附件3, the framework, only) or `all` (the prose targets too).
    pub include: String,
    /// Weight of an indicator by key (`T2`); the others take `default_weight`. Weight 0
    /// leaves an indicator out.
    pub weights: BTreeMap<String, Decimal>,
    pub default_weight: Decimal,
    /// Points per status (`achieved`, `on_track`, `behind`, `deteriorating`).
    pub points: BTreeMap<String, Decimal>,
    pub commend_min: Decimal,
    pub commend_max: usize,
    pub interview_below: Decimal,
    pub interview_deteriorating: usize,
    pub tie_breaks: Vec<TieBreak>,
}

impl Default for Scheme {
    /// 附件3's indicators, weight 1 each; achieved 100, on track 80, behind 40, deteriorating 0;
    /// commend at 85 or more, at most 3; interview below 60 or with 2 deteriorating.
    fn default() -> Self {
        let points = [100, 80, 40, 0]
            .into_iter()
            .zip(SCORED)
            .map(|(v, s)| (s.as_str().to_string(), Decimal::from(v)))
            .collect();
        Scheme {
            name: "附件3 考核指标等权计分（默认）".into(),
            include: "table".into(),
            weights: BTreeMap::new(),
            default_weight: Decimal::ONE,
            points,
            commend_min: Decimal::from(85),
            commend_max: 3,
            interview_below: Decimal::from(60),
            interview_deteriorating: 2,
            tie_breaks: TieBreak::ALL.to_vec(),
        }
    }
}

impl Scheme {
    /// The weight of the indicator `key`.
    pub fn weight(&self, key: &str) -> Decimal {
        self.weights
            .get(key)
            .copied()
            .unwrap_or(self.default_weight)
    }

    /// Whether an indicator from `source` (`table`: 附件3; `prose`) is assessed.
    pub fn includes(&self, key: &str, source: &str) -> bool {
        (self.include == "all" || source == "table") && !self.weight(key).is_zero()
    }

    /// Points of a status (none for `not_assessable`).
    pub fn points_of(&self, s: Status) -> Option<Decimal> {
        self.points.get(s.as_str()).copied()
    }

    /// Check the scheme; a bad one is refused with the field and the reason in Chinese.
    pub fn check(&self) -> Result<(), RuleError> {
        if self.name.trim().is_empty() {
            return Err(RuleError::bad_value("name", "计分办法须有名称"));
        }
        if !matches!(self.include.as_str(), "table" | "all") {
            return Err(RuleError::bad_value(
                "include",
                "应为 table（仅附件3 考核指标）或 all（含正文目标）",
            ));
        }
        for k in self.points.keys() {
            if !SCORED.iter().any(|s| s.as_str() == k) {
                return Err(RuleError::bad_value(
                    "points",
                    format!("“{k}”不是可计分的状态（可计分：achieved、on_track、behind、deteriorating）"),
                ));
            }
        }
        for s in SCORED {
            match self.points_of(s) {
                None => {
                    return Err(RuleError::bad_value(
                        "points",
                        format!("缺少“{}”（{}）的分值", s.label(), s.as_str()),
                    ))
                }
                Some(p) if p.is_sign_negative() && !p.is_zero() => {
                    return Err(RuleError::bad_value(
                        "points",
                        format!("“{}”的分值不能为负数", s.label()),
                    ))
                }
                _ => {}
            }
        }
        let negative = |d: &Decimal| d.is_sign_negative() && !d.is_zero();
        if self.weights.values().any(negative) || negative(&self.default_weight) {
            return Err(RuleError::bad_value("weights", "权重不能为负数"));
        }
        if self.commend_min < self.interview_below {
            return Err(RuleError::bad_value(
                "commend_min",
                format!(
                    "表扬分数线 {} 低于约谈分数线 {}",
                    self.commend_min, self.interview_below
                ),
            ));
        }
        if self.interview_deteriorating == 0 {
            return Err(RuleError::bad_value(
                "interview_deteriorating",
                "趋于恶化的指标数至少为 1",
            ));
        }
        let distinct: BTreeSet<&TieBreak> = self.tie_breaks.iter().collect();
        if distinct.len() != self.tie_breaks.len() {
            return Err(RuleError::bad_value(
                "tie_breaks",
                "同一并列规则只能出现一次",
            ));
        }
        Ok(())
    }

    /// The scheme in words, one line per rule (for the page and the reports).
    pub fn describe(&self) -> Vec<String> {
        let points: Vec<String> = SCORED
            .iter()
            .map(|s| {
                format!(
                    "{} {} 分",
                    s.label(),
                    self.points_of(*s).unwrap_or_default()
                )
            })
            .collect();
        let mut weights = format!("权重：每项 {}", self.default_weight);
        if !self.weights.is_empty() {
            let named: Vec<String> = self
                .weights
                .iter()
                .map(|(k, w)| format!("{k} 为 {w}"))
                .collect();
            weights.push_str(&format!("，其中 {}", named.join("、")));
        }
        vec![
            format!(
                "考核指标：{}（{}）",
                if self.include == "all" {
                    "附件3 考核指标框架和正文目标"
                } else {
                    "附件3 考核指标框架"
                },
                "郑政文〔2020〕59号 附件2 三（二）"
            ),
            weights,
            format!(
                "每项指标按当年目标实现情况计分：{}；无法评估的不计入",
                points.join("、")
            ),
            "得分 = Σ（分值 × 权重）÷ Σ 权重，四舍五入保留两位小数".into(),
            format!(
                "名次：得分高者在前；得分相同时{}",
                self.tie_breaks
                    .iter()
                    .map(|t| t.label())
                    .collect::<Vec<_>>()
                    .join("，再")
            ),
            format!(
                "约谈（进度滞后、工作不力）：得分低于 {}，或趋于恶化的指标达 {} 项（{LISTS}）",
                self.interview_below, self.interview_deteriorating
            ),
            format!(
                "通报表扬（考评结果好）：得分不低于 {} 且不在约谈之列，按名次至多 {} 个（{LISTS}）",
                self.commend_min, self.commend_max
            ),
        ]
    }
}

/// One indicator of a subject, with its status in the year assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The caller's id of the indicator (its monitored series).
    pub id: i64,
    /// Key in the scheme's weights (`T2`).
    pub key: String,
    pub name: String,
    pub status: Status,
    pub latest: Option<Point>,
    /// Why the status (from the attainment rule).
    pub explanation: String,
}

/// A county/district or department to assess, with its indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub id: String,
    pub name: String,
    pub items: Vec<Item>,
}

/// One indicator's part of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    pub item: Item,
    pub weight: Decimal,
    /// None: not counted (not assessable).
    pub points: Option<Decimal>,
}

/// A subject assessed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub id: String,
    pub name: String,
    pub score: Option<Decimal>,
    /// 1-based; 0 when not ranked (no score).
    pub rank: usize,
    /// Indicators per status (`achieved` … `not_assessable`).
    pub counts: BTreeMap<String, usize>,
    pub assessed: usize,
    pub items: Vec<ItemScore>,
    pub commend: bool,
    pub interview: bool,
    /// Why commended or interviewed, with the figures.
    pub reasons: Vec<String>,
    pub citation: &'static str,
}

impl Scored {
    pub fn count(&self, s: Status) -> usize {
        self.counts.get(s.as_str()).copied().unwrap_or(0)
    }
}

/// Score one subject (no rank yet).
pub fn score(scheme: &Scheme, subject: &Subject) -> Scored {
    let mut counts: BTreeMap<String, usize> = Status::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    let (mut sum, mut weights) = (Decimal::ZERO, Decimal::ZERO);
    let items: Vec<ItemScore> = subject
        .items
        .iter()
        .filter(|i| !scheme.weight(&i.key).is_zero())
        .map(|i| {
            *counts.entry(i.status.as_str().into()).or_default() += 1;
            let weight = scheme.weight(&i.key);
            let points = scheme.points_of(i.status);
            if let Some(p) = points {
                sum += p * weight;
                weights += weight;
            }
            ItemScore {
                item: i.clone(),
                weight,
                points,
            }
        })
        .collect();
    let score = (!weights.is_zero()).then(|| {
        let mut s =
            (sum / weights).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        s.rescale(2);
        s
    });
    Scored {
        id: subject.id.clone(),
        name: subject.name.clone(),
        score,
        rank: 0,
        assessed: items.iter().filter(|i| i.points.is_some()).count(),
        counts,
        items,
        commend: false,
        interview: false,
        reasons: Vec::new(),
        citation: CITATION,
    }
}

fn order(scheme: &Scheme, a: &Scored, b: &Scored) -> Ordering {
    // Unscored last.
    let mut o = match (a.score, b.score) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    for t in &scheme.tie_breaks {
        if o != Ordering::Equal {
            break;
        }
        o = match t {
            TieBreak::MoreAchieved => b.count(Status::Achieved).cmp(&a.count(Status::Achieved)),
            TieBreak::FewerDeteriorating => a
                .count(Status::Deteriorating)
                .cmp(&b.count(Status::Deteriorating)),
            TieBreak::MoreAssessed => b.assessed.cmp(&a.assessed),
            TieBreak::Name => a.name.cmp(&b.name),
        };
    }
    o.then_with(|| a.id.cmp(&b.id))
}

/// The indicators of a status, with their latest values: `婴儿死亡率 4.5（2023年）`.
fn named(x: &Scored, s: Status) -> String {
    x.items
        .iter()
        .filter(|i| i.item.status == s)
        .map(|i| match i.item.latest {
            Some(p) => format!("{} {}（{}年）", i.item.name, p.value, p.year),
            None => i.item.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Rank by score and the tie-breaks, then mark whom to interview and whom to commend.
pub fn rank(scheme: &Scheme, list: &mut [Scored]) {
    list.sort_by(|a, b| order(scheme, a, b));
    let mut commended = 0;
    let mut rank = 0;
    for a in list.iter_mut() {
        let Some(score) = a.score else {
            a.reasons
                .push("没有可计分的指标（均无法评估），不参加排名".into());
            continue;
        };
        rank += 1;
        a.rank = rank;
        let worse = a.count(Status::Deteriorating);
        let behind = a.count(Status::Behind);
        if score < scheme.interview_below {
            a.interview = true;
            let mut r = format!(
                "得分 {score}，低于约谈分数线 {}：进度滞后 {behind} 项，趋于恶化 {worse} 项",
                scheme.interview_below
            );
            for s in [Status::Behind, Status::Deteriorating] {
                let n = named(a, s);
                if !n.is_empty() {
                    r.push_str(&format!("；{}：{n}", s.label()));
                }
            }
            a.reasons.push(r);
        }
        if worse >= scheme.interview_deteriorating {
            a.interview = true;
            a.reasons.push(format!(
                "趋于恶化的指标 {worse} 项（达到 {} 项即约谈）：{}",
                scheme.interview_deteriorating,
                named(a, Status::Deteriorating)
            ));
        }
        if !a.interview && score >= scheme.commend_min && commended < scheme.commend_max {
            commended += 1;
            a.commend = true;
            a.reasons.push(format!(
                "得分 {score}（不低于 {}），名次第 {}；已实现 {} 项，进度正常 {} 项，共计分 {} 项",
                scheme.commend_min,
                a.rank,
                a.count(Status::Achieved),
                a.count(Status::OnTrack),
                a.assessed
            ));
        }
    }
}

/// Score and rank subjects under a scheme (附件2 三（三）).
pub fn assess(scheme: &Scheme, subjects: &[Subject]) -> Vec<Scored> {
    let mut list: Vec<Scored> = subjects.iter().map(|s| score(scheme, s)).collect();
    rank(scheme, &mut list);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn subject(name: &str, statuses: &[Status]) -> Subject {
        Subject {
            id: name.into(),
            name: name.into(),
            items: statuses
                .iter()
                .enumerate()
                .map(|(i, s)| Item {
                    id: i as i64,
                    key: format!("T{}", i + 1),
                    name: format!("指标{}", i + 1),
                    status: *s,
                    latest: Some(Point {
                        year: 2023,
                        value: Decimal::from(i as i64 + 1),
                    }),
                    explanation: String::new(),
                })
                .collect(),
        }
    }

    fn find<'a>(list: &'a [Scored], name: &str) -> &'a Scored {
        list.iter().find(|x| x.name == name).unwrap()
    }

    /// Default scheme (100/80/40/0, weight 1), worked by hand:
    /// - 甲: achieved ×3, on track ×1 → (300 + 80) / 4 = 95.00
    /// - 乙: achieved ×2, on track ×2 → (200 + 160) / 4 = 90.00
    /// - 丙: achieved ×1, on track ×2, behind ×1, not assessable ×1 → (100 + 160 + 40) / 4 = 75.00
    /// - 丁: behind ×2, deteriorating ×1, on track ×1 → (80 + 80 + 0) / 4 = 40.00
    /// - 戊: achieved ×3, deteriorating ×2, on track ×1 → (300 + 0 + 80) / 6 = 63.333… → 63.33
    /// - 己: not assessable ×2 → no score
    #[test]
    fn default_scheme_scores_ranks_and_lists_by_hand() {
        let s = Scheme::default();
        s.check().unwrap();
        let list = assess(
            &s,
            &[
                subject("丙", &[Achieved, OnTrack, OnTrack, Behind, NotAssessable]),
                subject("甲", &[Achieved, Achieved, Achieved, OnTrack]),
                subject("丁", &[Behind, Behind, Deteriorating, OnTrack]),
                subject("己", &[NotAssessable, NotAssessable]),
                subject("乙", &[Achieved, Achieved, OnTrack, OnTrack]),
                subject(
                    "戊",
                    &[
                        Achieved,
                        Achieved,
                        Achieved,
                        Deteriorating,
                        Deteriorating,
                        OnTrack,
                    ],
                ),
            ],
        );
        let got: Vec<(&str, Option<String>, usize)> = list
            .iter()
            .map(|x| (x.name.as_str(), x.score.map(|s| s.to_string()), x.rank))
            .collect();
        assert_eq!(
            got,
            [
                ("甲", Some("95.00".into()), 1),
                ("乙", Some("90.00".into()), 2),
                ("丙", Some("75.00".into()), 3),
                ("戊", Some("63.33".into()), 4),
                ("丁", Some("40.00".into()), 5),
                ("己", None, 0),
            ]
        );
        // 丙: four counted of five.
        assert_eq!(find(&list, "丙").assessed, 4);
        assert_eq!(find(&list, "丙").count(NotAssessable), 1);
        // Commend: 甲 and 乙 (≥ 85); 丙 at 75 is not. Interview: 丁 (40 < 60) and 戊 (63.33 is
        // above the line, but two deteriorating).
        let flagged = |f: fn(&Scored) -> bool| -> Vec<&str> {
            list.iter()
                .filter(|x| f(x))
                .map(|x| x.name.as_str())
                .collect()
        };
        assert_eq!(flagged(|x| x.commend), ["甲", "乙"]);
        assert_eq!(flagged(|x| x.interview), ["戊", "丁"]);
        let ding = &find(&list, "丁").reasons;
        assert_eq!(ding.len(), 1, "{ding:?}");
        assert!(ding[0].starts_with("得分 40.00，低于约谈分数线 60：进度滞后 2 项，趋于恶化 1 项"));
        assert!(
            ding[0].contains("指标1 1（2023年）、指标2 2（2023年）"),
            "{}",
            ding[0]
        );
        let wu = &find(&list, "戊").reasons;
        assert_eq!(
            wu,
            &["趋于恶化的指标 2 项（达到 2 项即约谈）：指标4 4（2023年）、指标5 5（2023年）"]
        );
        assert!(find(&list, "甲").reasons[0].starts_with("得分 95.00（不低于 85），名次第 1"));
        assert!(find(&list, "己").reasons[0].contains("不参加排名"));
    }

    /// Weights, custom points, half-up rounding and the commend cap, by hand:
    /// points achieved 100, on track 85, behind 45, deteriorating 0; T1 weight 3, T2 weight 0.
    /// - A: T1 achieved, T2 deteriorating (weight 0: left out), T3 on track
    ///   → (3×100 + 1×85) / 4 = 96.25
    /// - B: T1 on track, then 7 deteriorating (T2 left out: 6 counted at weight 1)
    ///   → (3×85) / 9 = 28.333… → 28.33
    /// - C: T1 deteriorating, T2 achieved (left out), T3 on track, 5 deteriorating
    ///   → 85 / (3 + 1 + 5) = 9.444… → 9.44
    /// - D: T1 behind; T3 achieved → (3×45 + 100) / 4 = 58.75
    /// - E: one on track, seven deteriorating, all weight 1 under the default weight only
    ///   (keys T3…T10) → 85 / 8 = 10.625 → 10.63 (half up; banker's rounding would give 10.62)
    #[test]
    fn weights_points_rounding_and_caps_by_hand() {
        let s = Scheme {
            points: [
                ("achieved", "100"),
                ("on_track", "85"),
                ("behind", "45"),
                ("deteriorating", "0"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), d(v)))
            .collect(),
            weights: [("T1", "3"), ("T2", "0")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), d(v)))
                .collect(),
            commend_min: d("58.75"),
            interview_below: d("20"),
            commend_max: 1,
            ..Scheme::default()
        };
        s.check().unwrap();
        let e = {
            let mut e = subject("E", &[OnTrack]);
            for k in 0..7 {
                let mut i = e.items[0].clone();
                i.key = format!("T{}", k + 4);
                i.status = Deteriorating;
                e.items.push(i);
            }
            e.items[0].key = "T3".into();
            e
        };
        let list = assess(
            &s,
            &[
                subject("A", &[Achieved, Deteriorating, OnTrack]),
                subject(
                    "B",
                    &[
                        OnTrack,
                        Deteriorating,
                        Deteriorating,
                        Deteriorating,
                        Deteriorating,
                        Deteriorating,
                        Deteriorating,
                        Deteriorating,
                    ],
                ),
                subject(
                    "C",
                    &[
                        Deteriorating,
                        Achieved,
                        OnTrack,
                        Deteriorating,
                        Deteriorating,
                        Deteriorating,
                        Deteriorating,
                        Deteriorating,
                    ],
                ),
                subject("D", &[Behind, NotAssessable, Achieved]),
                e,
            ],
        );
        let score = |n: &str| find(&list, n).score.unwrap().to_string();
        assert_eq!(score("A"), "96.25");
        assert_eq!(score("B"), "28.33");
        assert_eq!(score("C"), "9.44");
        assert_eq!(score("D"), "58.75");
        assert_eq!(score("E"), "10.63");
        // A weight of 0 leaves the indicator out: not in the sum, the counts or the list.
        let a = find(&list, "A");
        assert_eq!((a.items.len(), a.assessed), (2, 2));
        assert_eq!(a.count(Deteriorating), 0);
        // Commend at most one: A (96.25), not D (58.75 reaches the line, but the cap is 1).
        let commended: Vec<&str> = list
            .iter()
            .filter(|x| x.commend)
            .map(|x| x.name.as_str())
            .collect();
        assert_eq!(commended, ["A"]);
        assert!(!find(&list, "D").commend && !find(&list, "D").interview);
        // Interview: C and E below 20; B at 28.33 for its six deteriorating.
        for n in ["B", "C", "E"] {
            assert!(find(&list, n).interview, "{n}");
        }
        // A also has a deteriorating indicator, but only one (and its weight is 0).
        assert!(!find(&list, "A").interview);
    }

    /// Equal scores go to the tie-breaks in the scheme's order.
    #[test]
    fn tie_breaks_in_order() {
        let s = Scheme::default();
        // All score 80.00: (100 + 100 + 40) / 3 = 80, (80 × 3) / 3 = 80, (100 + 100 + 40 + n/a) / 3.
        let list = assess(
            &s,
            &[
                subject("乙", &[OnTrack, OnTrack, OnTrack]),
                subject("丙", &[Achieved, Achieved, Behind, NotAssessable]),
                subject("甲", &[Achieved, Achieved, Behind]),
                subject("丁", &[OnTrack, OnTrack, OnTrack]),
            ],
        );
        let names: Vec<&str> = list.iter().map(|x| x.name.as_str()).collect();
        // 丙 and 甲 have more achieved (2); same deteriorating (0) and assessed (3) → by name:
        // 丙 (U+4E19) before 甲 (U+7532). Then 丁 (U+4E01) before 乙 (U+4E59).
        assert_eq!(names, ["丙", "甲", "丁", "乙"]);
        assert!(list.iter().all(|x| x.score == Some(d("80"))));
        // 甲 (100 + 100 + 0) / 3 = 66.67 with one deteriorating; 乙 (80 + 80 + 40) / 3 = 66.67
        // with none. More achieved first: 甲; fewer deteriorating first: 乙.
        let pair = [
            subject("甲", &[Achieved, Achieved, Deteriorating]),
            subject("乙", &[OnTrack, OnTrack, Behind]),
        ];
        let list = assess(&s, &pair);
        assert_eq!(list[0].score, Some(d("66.67")));
        assert_eq!(list[0].score, list[1].score);
        assert_eq!(list[0].name, "甲");
        let s2 = Scheme {
            tie_breaks: vec![TieBreak::FewerDeteriorating, TieBreak::Name],
            ..Scheme::default()
        };
        assert_eq!(assess(&s2, &pair)[0].name, "乙");
        // The score decides before any tie-break: (100 + 100 + 80) / 3 = 93.33 beats 90.
        let list = assess(
            &s2,
            &[
                subject("甲", &[Achieved, Achieved, OnTrack]),
                subject("乙", &[Achieved, OnTrack]),
            ],
        );
        assert_eq!(list[0].score, Some(d("93.33")));
        assert_eq!(list[1].score, Some(d("90")));
    }

    #[test]
    fn a_bad_scheme_is_refused_with_the_field() {
        let bad = |f: fn(&mut Scheme)| {
            let mut s = Scheme::default();
            f(&mut s);
            s.check().unwrap_err()
        };
        let e = bad(|s| {
            s.points.insert("excellent".into(), Decimal::ONE);
        });
        assert_eq!(e.code(), "E_FIELD_VALUE");
        assert!(e.to_string().contains("points"), "{e}");
        assert!(bad(|s| {
            s.points.remove("behind");
        })
        .to_string()
        .contains("进度滞后"));
        assert!(bad(|s| s.include = "some".into())
            .to_string()
            .contains("include"));
        assert!(bad(|s| s.default_weight = d("-1"))
            .to_string()
            .contains("权重"));
        assert!(bad(|s| s.commend_min = d("50"))
            .to_string()
            .contains("commend_min"));
        assert!(bad(|s| s.tie_breaks = vec![TieBreak::Name, TieBreak::Name])
            .to_string()
            .contains("tie_breaks"));
        assert!(bad(|s| s.interview_deteriorating = 0)
            .to_string()
            .contains("至少"));
    }
}
