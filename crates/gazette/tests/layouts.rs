//! One test per layout the reader must handle beyond the bundled Zhengzhou issue (issue 10):
//! realistic examples written in the forms other governments publish (names invented; the
//! State Council forms are in the scored evaluation, `eval/`).

use luoshi_gazette::{parse_with, Document, Mention, Registry};

fn none() -> Registry {
    Registry::bundled_named("none").unwrap()
}

fn names(m: &[Mention]) -> Vec<&str> {
    m.iter().map(|m| m.name.as_str()).collect()
}

fn one(text: &str) -> Document {
    let issue = parse_with(text, &none());
    assert_eq!(
        issue.documents.len(),
        1,
        "{:#?}",
        issue
            .documents
            .iter()
            .map(|d| &d.doc_no)
            .collect::<Vec<_>>()
    );
    issue.documents.into_iter().next().unwrap()
}

/// A county's task decomposition as `pdftotext` gives it: page headers and numbers inside the
/// text, a sentence broken over a page, spaced keys and digits, `1 .` numbering, colons of both
/// widths, a county prefix written once, leader keys `牵头县领导`.
const COUNTY_PDF: &str = "\
清河县人民政府办公室

关于印发清河县2021年政府工作报告重点

任务分解方案的通知

清政办〔2021〕5号

各乡镇人民政府，县政府各部门：

现将《清河县2021年政府工作报告重点任务分解方案》印发给你们，请认真贯彻落实。

2021年3月2日

一、加快产业转型升级

1 . 推进工业园区建设，到 20 21 年底新增规模以上工业企业不少于10家。

牵头县领导：王建国

牵 头 单 位:县发展改革委

配合单位：县财政局、自然资源局、住建局

2．实施农业产业化工程，培育市级以上龙头企业，全

清河县人民政府公报

— 7 —

年农业产值增长 6%左右。

牵头县领导：李红

牵头单位：县农业农村局

责任单位：各乡镇人民政府

二、保障和改善民生

(1)新建城区学校 3所。

牵头单位：县教育局

配合单位：县 财政局、住建局

清河县人民政府公报

— 8 —
";

#[test]
fn a_county_notice_extracted_from_pdf() {
    let d = one(COUNTY_PDF);
    assert_eq!(d.doc_no, "清政办〔2021〕5号");
    assert_eq!(d.issuer, "清河县人民政府办公室");
    assert_eq!(
        d.title,
        "关于印发清河县2021年政府工作报告重点任务分解方案的通知"
    );
    assert_eq!(d.date.as_deref(), Some("2021-03-02"));
    assert_eq!(d.tasks.len(), 3, "{:#?}", d.tasks);
    let t1 = &d.tasks[0];
    assert_eq!(t1.clause, "一、1.");
    assert_eq!(t1.leaders, vec!["王建国"]);
    assert_eq!(names(&t1.lead_units), vec!["县发展改革委"]);
    assert_eq!(
        names(&t1.assisting_units),
        vec!["县财政局", "县自然资源局", "县住建局"]
    );
    let t2 = &d.tasks[1];
    assert!(
        t2.text.contains("全年农业产值增长6%左右") || t2.text.contains("全年农业产值增长 6%左右"),
        "{}",
        t2.text
    );
    assert!(
        !t2.text.contains("公报") && !t2.text.contains("7"),
        "{}",
        t2.text
    );
    assert_eq!(names(&t2.units), vec!["各乡镇人民政府"]);
    let t3 = &d.tasks[2];
    assert_eq!(names(&t3.assisting_units), vec!["县财政局", "县住建局"]);
    // The year spaced out by the PDF still anchors the target.
    let t = d
        .targets
        .iter()
        .find(|t| t.metric.contains("规模以上工业企业"))
        .expect("target");
    assert_eq!((t.year, t.op.as_str(), t.value), (2021, ">=", Some(10.0)));
    // Unit names of another county are kept and reported, never dropped.
    assert!(d
        .unresolved
        .iter()
        .any(|u| u.kind == "unit" && u.text == "县发展改革委"));
}

#[test]
fn owner_notes_in_all_their_forms() {
    let text = "\
某省人民政府办公厅关于促进消费的若干措施

某政办发〔2022〕8号

各市人民政府，省政府各部门：

一、扩大消费

（一）发放消费券。（省商务厅负责）

（二）减免税费。对小微企业减免房租。（财政厅、税务局负责）

（三）改造老旧小区。（住房城乡建设厅会同有关部门负责）

（四）发展夜间经济。（各市人民政府负责，省直有关部门配合）

（五）培育新型消费。推广线上课程。（教育厅牵头，科技厅参与）加强平台监管。（市场监管局指导）

二、强化保障

（六）落实资金。

（七）加强督导。

（省财政厅、审计厅按职责分工负责）

某省人民政府办公厅

2022年4月1日
";
    let d = one(text);
    assert_eq!(d.issuer, "某省人民政府办公厅");
    assert_eq!(d.date.as_deref(), Some("2022-04-01"));
    let by_text = |k: &str| {
        d.tasks
            .iter()
            .find(|t| t.text.contains(k))
            .unwrap_or_else(|| panic!("{k}: {:#?}", d.tasks))
    };
    assert_eq!(names(&by_text("消费券").units), vec!["省商务厅"]);
    assert_eq!(names(&by_text("减免房租").units), vec!["财政厅", "税务局"]);
    let t = by_text("老旧小区");
    assert_eq!(names(&t.lead_units), vec!["住房城乡建设厅"]);
    assert!(t.units[0].open);
    let t = by_text("夜间经济");
    assert_eq!(names(&t.units), vec!["各市人民政府"]);
    assert_eq!(t.assisting_units.len(), 1);
    let t = by_text("线上课程");
    assert_eq!(names(&t.lead_units), vec!["教育厅"]);
    assert_eq!(names(&t.assisting_units), vec!["科技厅"]);
    assert_eq!(names(&by_text("平台监管").units), vec!["市场监管局"]);
    // A note after the whole chapter speaks for the chapter.
    let t = by_text("强化保障");
    assert_eq!(names(&t.units), vec!["省财政厅", "省审计厅"]);
    assert_eq!(t.clause, "二、");
}

#[test]
fn the_first_unit_leads_where_the_document_says_so_and_the_rule_is_no_unit() {
    let text = "\
某市人民政府关于优化营商环境的意见

某政〔2022〕3号

各区人民政府：

1．压减审批时间。（市政务服务局、市发展改革委负责，列第一位者为牵头单位，下同）

2．降低物流成本。（市交通局、市商务局负责）

某市人民政府

2022年5月6日
";
    let d = one(text);
    assert_eq!(d.tasks.len(), 2);
    assert_eq!(names(&d.tasks[0].lead_units), vec!["市政务服务局"]);
    assert_eq!(names(&d.tasks[0].units), vec!["市发展改革委"]);
    assert_eq!(names(&d.tasks[1].lead_units), vec!["市交通局"]);
    assert!(d
        .tasks
        .iter()
        .flat_map(|t| t.lead_units.iter().chain(&t.units))
        .all(|m| !m.name.contains("第一位") && !m.name.contains("下同")));
}

#[test]
fn numbering_forms() {
    let text = "\
某县人民政府关于做好防汛工作的通知

某政〔2022〕9号

各乡镇人民政府：

一、加强监测

①开展隐患排查。

②完善预警发布。

二、落实责任

一是压实属地责任。

二是强化部门联动。

某县人民政府

2022年6月1日
";
    let d = one(text);
    let paths: Vec<&str> = d.outline.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["一、", "一、①", "一、②", "二、", "二、一是", "二、二是"]
    );
}

#[test]
fn documents_one_after_another_each_with_its_own_date() {
    let text = "\
目  录

国务院关于甲事项的通知（国发〔2019〕1号）

国务院办公厅关于乙事项的意见（国办发〔2019〕2号）

国务院关于甲事项的

通知

国发〔2019〕1号

各省、自治区、直辖市人民政府：

一、做好甲事项。

国务院

2019年1月3日

（此件公开发布）

国务院办公厅关于乙事项的意见

国办发〔2019〕2号

各省、自治区、直辖市人民政府：

为做好乙事项，提出以下意见。

附件：乙事项工作方案

国务院办公厅

2019年1月9日

附件

乙事项工作方案

一、目标

2019年1月20日前完成。
";
    let issue = parse_with(text, &none());
    let docs: Vec<(&str, &str, Option<&str>, &str)> = issue
        .documents
        .iter()
        .map(|d| {
            (
                d.doc_no.as_str(),
                d.issuer.as_str(),
                d.date.as_deref(),
                d.title.as_str(),
            )
        })
        .collect();
    assert_eq!(
        docs,
        vec![
            (
                "国发〔2019〕1号",
                "国务院",
                Some("2019-01-03"),
                "关于甲事项的通知"
            ),
            (
                "国办发〔2019〕2号",
                "国务院办公厅",
                Some("2019-01-09"),
                "关于乙事项的意见"
            ),
        ]
    );
    assert!(issue.front_matter.is_some());
}

#[test]
fn prose_targets_with_a_governing_year_and_spread_values() {
    let text = "\
某市人民政府关于印发某市十四五健康规划的通知

某政〔2021〕12号

各区人民政府：

一、主要目标

到2025年，人均预期寿命达到79.5岁。婴儿死亡率控制在5‰以内。居民健康素养水平、经常参加体育锻炼人数比例分别达到30%和40%。城市空气优良天数比例超过85%。体育场地面积不少于2.6平方米。居民医疗负担下降到28%左右。健康服务体系更加完善，推出50项具有地方特色的健康服务精品课程，打造20个健康小镇。

某市人民政府

2021年10月8日
";
    let d = one(text);
    let got: Vec<(String, i32, String, Option<f64>)> = d
        .targets
        .iter()
        .map(|t| (t.metric.clone(), t.year, t.op.clone(), t.value))
        .collect();
    let want = |m: &str, op: &str, v: Option<f64>| (m.to_string(), 2025, op.to_string(), v);
    for w in [
        want("人均预期寿命", ">=", Some(79.5)),
        want("婴儿死亡率", "<=", Some(5.0)),
        want("居民健康素养水平", ">=", Some(30.0)),
        want("经常参加体育锻炼人数比例", ">=", Some(40.0)),
        want("城市空气优良天数比例", ">", Some(85.0)),
        want("体育场地面积", ">=", Some(2.6)),
        want("居民医疗负担", "=", Some(28.0)),
        want("具有地方特色的健康服务精品课程", ">=", Some(50.0)),
        want("健康小镇", ">=", Some(20.0)),
    ] {
        assert!(got.contains(&w), "{w:?} not in {got:#?}");
    }
    let q = d
        .targets
        .iter()
        .find(|t| t.metric.contains("健康服务体系"))
        .expect("qualitative");
    assert!(q.op == "text" || q.op == "trend", "{q:?}");
}

#[test]
fn a_roster_with_sub_group_headings() {
    let text = "\
某市人民政府办公室关于成立某市营商环境建设领导小组的通知

某政办〔2022〕15号

各区人民政府，市政府各部门：

为加强对营商环境建设工作的领导，市政府决定成立某市营商环境建设领导小组。现将组成人员名单通知如下：

组  长：张  伟  市长

副组长：李  强  副市长

（一）部门成员

王小明  市发展改革委主任

赵  红  市财政局局长

（二）区政府成员

刘  洋  东城区区长

领导小组办公室设在市发展改革委。

某市人民政府办公室

2022年7月1日
";
    let d = one(text);
    assert_eq!(d.rosters.len(), 1, "{:#?}", d.rosters);
    let r = &d.rosters[0];
    assert_eq!(r.body, "某市营商环境建设领导小组");
    let got: Vec<(&str, &str, &str)> = r
        .members
        .iter()
        .map(|m| (m.role.as_str(), m.name.as_str(), m.post.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("组长", "张伟", "市长"),
            ("副组长", "李强", "副市长"),
            ("成员", "王小明", "市发展改革委主任"),
            ("成员", "赵红", "市财政局局长"),
            ("成员", "刘洋", "东城区区长"),
        ]
    );
}

#[test]
fn a_commendation_list_numbered_one_to_n() {
    let mut text = String::from(
        "某省人民政府关于表彰2021年度科技创新先进单位的决定\n\n某政〔2022〕4号\n\n各市人民政府：\n\n经研究，决定对以下12项科技创新成果的完成单位予以表彰。\n\n附件：2021年度科技创新先进单位名单\n\n某省人民政府\n\n2022年2月8日\n\n附件\n\n2021年度科技创新先进单位名单（12个）\n\n",
    );
    let units = [
        "省农业科学院",
        "某大学",
        "省机械研究设计院",
        "某钢铁集团有限公司",
        "省水利勘测设计院",
        "某化工股份有限公司",
        "省气象科学研究所",
        "某市第一人民医院",
        "省交通规划设计院",
        "某电力公司",
        "省林业科学研究院",
        "某汽车制造有限公司",
    ];
    for (i, u) in units.iter().enumerate() {
        text.push_str(&format!("{}.{u}\n\n", i + 1));
    }
    let d = one(&text);
    assert_eq!(d.date.as_deref(), Some("2022-02-08"));
    let c = d
        .commendations
        .iter()
        .find(|c| c.stated_count == Some(12))
        .unwrap_or_else(|| panic!("{:#?}", d.commendations));
    let got: Vec<&str> = c.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(got, units);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}
