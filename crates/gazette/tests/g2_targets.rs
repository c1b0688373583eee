//! Golden test: the prose targets of 郑政文〔2020〕59号 (the 18 health actions and the overall
//! goals), read through `luoshi_gazette::parse`.

mod g2_common;

use g2_common::{doc, seed};
use luoshi_gazette::Target;

/// Every numeric target of the 18 actions, in document order:
/// (metric, year, op, value, unit).
const NUMERIC: &[(&str, i32, &str, f64, &str)] = &[
    ("居民健康素养水平", 2022, ">=", 25.0, "%"),
    ("居民健康素养水平", 2030, ">=", 36.0, "%"),
    ("居民电子健康档案建档率", 2022, ">=", 85.0, "%"),
    ("居民电子健康档案建档率", 2030, ">=", 90.0, "%"),
    ("健康城市和健康促进县(市、区)覆盖率", 2022, ">=", 30.0, "%"),
    ("健康城市和健康促进县(市、区)覆盖率", 2030, ">=", 100.0, "%"),
    ("5岁以下儿童生长迟缓率", 2022, "<", 5.0, "%"),
    ("5岁以下儿童生长迟缓率", 2030, "<", 4.5, "%"),
    (
        "城乡居民达到《国民体质测定标准》合格以上的人数比例",
        2022,
        ">=",
        92.3,
        "%",
    ),
    (
        "城乡居民达到《国民体质测定标准》合格以上的人数比例",
        2030,
        ">=",
        92.5,
        "%",
    ),
    ("经常参加体育锻炼人数比例", 2022, ">=", 42.0, "%"),
    ("经常参加体育锻炼人数比例", 2030, ">=", 45.0, "%"),
    ("每千人拥有社会体育指导员", 2022, ">=", 3.2, "名"),
    ("每千人拥有社会体育指导员", 2030, ">=", 3.5, "名"),
    ("全面无烟法规保护的人口比例", 2022, ">=", 45.0, "%"),
    ("全面无烟法规保护的人口比例", 2030, ">=", 100.0, "%"),
    ("居民心理健康素养水平", 2022, ">=", 22.0, "%"),
    ("居民心理健康素养水平", 2030, ">=", 35.0, "%"),
    ("婴儿死亡率", 2022, "<=", 4.1, "‰"),
    ("婴儿死亡率", 2030, "<=", 4.0, "‰"),
    ("孕产妇死亡率", 2022, "<=", 10.0, "1/10万"),
    ("孕产妇死亡率", 2030, "<=", 9.0, "1/10万"),
    ("学生体质健康标准达标优良率", 2022, ">=", 50.0, "%"),
    ("学生体质健康标准达标优良率", 2030, ">=", 60.0, "%"),
    ("心脑血管疾病死亡率", 2022, "<=", 209.0, "1/10万"),
    ("心脑血管疾病死亡率", 2030, "<=", 187.0, "1/10万"),
    ("总体癌症5年生存率", 2022, ">=", 43.5, "%"),
    ("总体癌症5年生存率", 2030, ">=", 48.0, "%"),
    (
        "70岁及以下人群慢性呼吸系统疾病死亡率",
        2022,
        "<=",
        8.9,
        "1/10万",
    ),
    (
        "70岁及以下人群慢性呼吸系统疾病死亡率",
        2030,
        "<=",
        7.8,
        "1/10万",
    ),
    ("糖尿病患者规范管理率", 2022, ">=", 65.0, "%"),
    ("糖尿病患者规范管理率", 2030, ">=", 75.0, "%"),
    ("适龄儿童免疫规划疫苗接种率", 2022, ">=", 95.0, "%"),
    ("村卫生室提供中医非药物疗法的比例", 2022, ">=", 75.0, "%"),
    (
        "乡镇卫生院(社区卫生服务中心)提供中医非药物疗法的比例",
        2022,
        ">=",
        100.0,
        "%",
    ),
    ("村卫生室提供中医非药物疗法的比例", 2030, ">=", 80.0, "%"),
];

fn health_plan_targets() -> Vec<Target> {
    let issue = seed();
    doc(&issue, "郑政文〔2020〕59号").targets.clone()
}

#[test]
fn numeric_targets_of_the_18_actions() {
    let targets = health_plan_targets();
    let numeric: Vec<(String, i32, String, f64, String)> = targets
        .iter()
        .filter(|t| t.value.is_some())
        .map(|t| {
            let unit = t.unit.clone().unwrap_or_default();
            (
                t.metric.clone(),
                t.year,
                t.op.clone(),
                t.value.unwrap(),
                unit,
            )
        })
        .collect();
    let golden: Vec<(String, i32, String, f64, String)> = NUMERIC
        .iter()
        .map(|&(m, y, op, v, u)| (m.to_string(), y, op.to_string(), v, u.to_string()))
        .collect();
    assert_eq!(numeric, golden);
}

#[test]
fn the_examples_of_the_issue() {
    let targets = health_plan_targets();
    let find = |metric: &str, year: i32| {
        targets
            .iter()
            .find(|t| t.metric == metric && t.year == year && t.value.is_some())
            .unwrap_or_else(|| panic!("{metric} {year} missing"))
    };
    let t = find("居民健康素养水平", 2030);
    assert_eq!(
        (t.op.as_str(), t.value, t.unit.as_deref()),
        (">=", Some(36.0), Some("%"))
    );
    assert_eq!(t.comparator, "不低于");
    assert!(t.clause.contains("（一）"), "{}", t.clause);
    assert_eq!(t.span.first_line, 33);

    let t = find("婴儿死亡率", 2022);
    assert_eq!(
        (t.op.as_str(), t.value, t.unit.as_deref()),
        ("<=", Some(4.1), Some("‰"))
    );
    assert_eq!(t.comparator, "控制在…及以下");

    // Split from the line before by a page break (blank line 64): joined, cited on its own line.
    let t = find("孕产妇死亡率", 2030);
    assert_eq!(
        (t.op.as_str(), t.value, t.unit.as_deref()),
        ("<=", Some(9.0), Some("1/10万"))
    );
    assert_eq!(t.span.first_line, 65);
    assert!(t.clause.contains("（七）"), "{}", t.clause);

    let t = find("心脑血管疾病死亡率", 2022);
    assert_eq!((t.op.as_str(), t.value), ("<=", Some(209.0)));

    // Bare 以上 under the civil-code reading (以上含本数).
    let t = find("适龄儿童免疫规划疫苗接种率", 2022);
    assert_eq!(
        (t.op.as_str(), t.comparator.as_str()),
        (">=", "保持在…以上")
    );
}

#[test]
fn qualitative_statements_are_trends_or_text() {
    let targets = health_plan_targets();
    let has = |metric: &str, year: i32, op: &str| {
        targets
            .iter()
            .any(|t| t.metric == metric && t.year == year && t.op == op && t.value.is_none())
    };
    assert!(has("新发近视率", 2022, "trend"));
    assert!(has("新发近视率", 2030, "trend"));
    assert!(has("糖尿病患者管理率、治疗率和控制率", 2030, "trend"));
    assert!(has("65~74岁老年人失能发生率", 2022, "trend"));
    assert!(has("65岁及以上人群老年期痴呆患病率增速", 2022, "trend"));
    assert!(has(
        "接尘工龄不足5年的劳动者新发尘肺病报告例数占年度报告总例数的比例",
        2022,
        "trend"
    ));
    assert!(has("成人肥胖增长率", 2030, "trend"));
    assert!(has("全民健康素养水平", 2022, "trend"));
    assert!(has("全民健康素养水平", 2030, "trend"));
    assert!(has("人均预期寿命等居民主要健康指标", 2022, "text"));
    assert!(has("市民对健康信息化服务的感受度", 2030, "trend"));
    let count = |op: &str| targets.iter().filter(|t| t.op == op).count();
    // 36 numeric targets (above), 27 directions and 9 benchmark comparisons (`优于全国平均水平`).
    assert_eq!((count("trend"), count("text"), targets.len()), (27, 9, 72));
    for t in &targets {
        assert!(matches!(
            t.op.as_str(),
            "<=" | ">=" | "<" | ">" | "=" | "trend" | "text"
        ));
        assert_eq!(
            t.value.is_some(),
            !matches!(t.op.as_str(), "trend" | "text"),
            "{t:?}"
        );
        assert!([2022, 2030].contains(&t.year), "{t:?}");
        assert!(!t.metric.is_empty() && !t.comparator.is_empty(), "{t:?}");
        assert!(!t.clause.is_empty(), "{t:?} cites a clause");
    }
}

#[test]
fn other_documents_state_no_prose_targets() {
    // The seed's other documents set deadlines, not anchored numeric targets.
    let issue = seed();
    for d in &issue.documents {
        if d.doc_no != "郑政文〔2020〕59号" {
            assert!(d.targets.is_empty(), "{}: {:?}", d.doc_no, d.targets);
        }
    }
}
