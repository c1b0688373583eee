//! Golden test: the 26 rows of 郑政文〔2020〕59号 附件3 (健康郑州行动考核指标框架), read through
//! `luoshi_gazette::parse`. Row 25 holds two sub-indicators: they come out as two indicators,
//! both numbered 25, in the order written.

mod g2_common;

use g2_common::{doc, seed};

type Row = (
    u32,
    &'static str,
    Option<&'static str>,
    Option<f64>,
    Option<i32>,
    &'static str,
    Option<f64>,
);

/// The same, owned, as read.
type Owned = (
    u32,
    String,
    Option<String>,
    Option<f64>,
    Option<i32>,
    String,
    Option<f64>,
);

/// (no, name, unit, baseline value, baseline year, 2022 op, 2022 value)
const GOLDEN: &[Row] = &[
    (1, "人均预期寿命", Some("岁"), Some(79.49), Some(2017), "=", Some(80.2)),
    (2, "婴儿死亡率", Some("‰"), Some(2.83), Some(2018), "<=", Some(4.1)),
    (3, "5岁以下儿童死亡率", Some("‰"), Some(3.75), Some(2018), "<=", Some(5.4)),
    (4, "孕产妇死亡率", Some("1/10万"), Some(15.8), Some(2018), "<=", Some(10.0)),
    (5, "城乡居民达到《国民体质测定标准》合格以上的人数比例", Some("%"), Some(83.9), Some(2017), ">=", Some(92.3)),
    (6, "居民健康素养水平", Some("%"), Some(16.2), Some(2018), ">=", Some(25.0)),
    (7, "经常参加体育锻炼人数比例", Some("%"), Some(34.6), Some(2017), ">=", Some(42.0)),
    (8, "重大慢性病过早死亡率", Some("%"), Some(17.94), Some(2017), "<=", Some(15.5)),
    (9, "每千常住人口执业(助理)医师数", Some("人"), Some(4.14), Some(2018), "=", Some(4.31)),
    (10, "个人卫生支出占卫生总费用的比重", Some("%"), Some(32.07), Some(2018), "=", Some(27.5)),
    (11, "建立并完善健康科普专家库和资源库，构建健康科普知识发布和传播机制", None, None, None, "text", None),
    (12, "建立医疗机构和医务人员开展健康教育和健康促进的绩效考核机制", None, None, None, "text", None),
    (13, "产前筛查率", Some("%"), Some(60.2), Some(2018), ">=", Some(70.2)),
    (14, "新生儿遗传代谢性疾病筛查率", Some("%"), Some(98.0), Some(2018), ">=", Some(98.5)),
    (15, "农村适龄妇女宫颈癌和乳腺癌筛查覆盖率", Some("%"), Some(100.0), Some(2018), "=", Some(100.0)),
    (16, "国家学生体质健康标准达标优良率", Some("%"), Some(23.95), Some(2018), ">=", Some(50.0)),
    (17, "符合要求的中小学体育与健康课程开课率", Some("%"), None, None, "=", Some(100.0)),
    (18, "中小學生每天校内体育活动时间", Some("小时"), None, None, ">=", Some(1.0)),
    (19, "寄宿制中小学校或600名学生以上的非寄宿制中小学校配备专职卫生专业技术人员、600名学生以下的非寄宿制中小学校配备专兼职保健教师或卫生专业技术人员的比例", Some("%"), None, None, ">=", Some(70.0)),
    (20, "配备专兼职心理健康工作人员的中小学校比例", Some("%"), None, None, ">=", Some(80.0)),
    (21, "接尘工龄不足5年的劳动者新发尘肺病报告例数占年度报告总例数比例", Some("%"), None, None, "trend", None),
    (22, "二级以上综合性医院设老年医学科比例", Some("%"), Some(40.5), Some(2019), ">=", Some(52.0)),
    (23, "高血压患者规范管理率", Some("%"), Some(60.0), Some(2018), ">", Some(65.0)),
    (24, "糖尿病患者规范管理率", Some("%"), Some(60.0), Some(2018), ">", Some(65.0)),
    (25, "乡镇卫生院、社区卫生服务中心提供中医非药物疗法的比例", Some("%"), Some(100.0), Some(2018), "=", Some(100.0)),
    (25, "村卫生室提供中医非药物疗法的比例", Some("%"), Some(71.0), Some(2018), "=", Some(75.0)),
    (26, "以乡（镇、街道）为单位适龄儿童免疫规划疫苗接种率", Some("%"), Some(90.0), Some(2018), ">", Some(95.0)),
];

#[test]
fn all_26_rows_with_baseline_and_2022_target() {
    let issue = seed();
    let d = doc(&issue, "郑政文〔2020〕59号");
    let got: Vec<Owned> = d
        .indicators
        .iter()
        .map(|i| {
            let baseline = i.baseline.as_ref().expect("every row has a baseline cell");
            assert_eq!(i.targets.len(), 1, "row {} has one 2022 target", i.no);
            let t = &i.targets[0];
            assert_eq!(t.year, 2022, "target year read from the header");
            (
                i.no,
                i.name.clone(),
                i.unit.clone(),
                baseline.value,
                baseline.year,
                t.op.clone(),
                t.value,
            )
        })
        .collect();
    let golden: Vec<Owned> = GOLDEN
        .iter()
        .map(|&(no, name, unit, value, year, op, target)| {
            let unit = unit.map(str::to_string);
            (
                no,
                name.to_string(),
                unit,
                value,
                year,
                op.to_string(),
                target,
            )
        })
        .collect();
    assert_eq!(got.len(), 27, "26 rows, row 25 twice");
    for (g, e) in got.iter().zip(&golden) {
        assert_eq!(g, e);
    }
    let numbers: Vec<u32> = d.indicators.iter().map(|i| i.no).collect();
    let mut distinct = numbers.clone();
    distinct.dedup();
    assert_eq!(distinct, (1..=26).collect::<Vec<_>>());
}

#[test]
fn cells_keep_their_text_and_the_basis_carries() {
    let issue = seed();
    let d = doc(&issue, "郑政文〔2020〕59号");
    let by_no = |no: u32| d.indicators.iter().find(|i| i.no == no).unwrap();
    assert_eq!(by_no(6).baseline.as_ref().unwrap().text, "≥16.2");
    assert_eq!(by_no(1).baseline.as_ref().unwrap().text, "79.49*");
    assert_eq!(by_no(22).baseline.as_ref().unwrap().text, "40.5 (2019 年)");
    assert_eq!(by_no(17).baseline.as_ref().unwrap().text, "—");
    assert_eq!(by_no(11).targets[0].text, "提前实现");
    assert_eq!(by_no(21).targets[0].text, "下降趋势");
    let basis_1 = "《“健康中国2030”规划纲要》和《“健康中原2030”规划纲要》";
    for no in 1..=10 {
        assert_eq!(by_no(no).basis.as_deref(), Some(basis_1), "row {no}");
    }
    for no in 11..=26 {
        assert_eq!(
            by_no(no).basis.as_deref(),
            Some("《健康中国行动》《健康中原行动》等相关规划文件"),
            "row {no}"
        );
    }
    for i in &d.indicators {
        assert!(
            i.clause.starts_with("附件3"),
            "row {} cites {}",
            i.no,
            i.clause
        );
        assert!(
            (292..=319).contains(&i.span.first_line),
            "row {} span",
            i.no
        );
    }
    assert_eq!(by_no(1).span.first_line, 292);
    assert_eq!(by_no(26).span.first_line, 319);
}

#[test]
fn no_other_document_of_the_seed_has_indicator_rows() {
    let issue = seed();
    for d in &issue.documents {
        if d.doc_no != "郑政文〔2020〕59号" {
            assert!(d.indicators.is_empty(), "{}", d.doc_no);
        }
    }
}
