//! Golden tests on the seed issue (`data/gazette/zhengzhou-2020-gazette.txt`): the 17
//! documents, the outline, the 146 tasks of 郑政办〔2020〕29号 with their owners, the 18 health
//! actions of 郑政文〔2020〕59号, the irrigation measures of 郑政办〔2020〕30号, the working
//! groups of 郑政办〔2020〕26号, and an empty unresolved list.

use luoshi_gazette::{parse, Document, Issue, Mention, Task};
use std::collections::HashSet;
use std::sync::OnceLock;

const SEED: &str = include_str!("../../../data/gazette/zhengzhou-2020-gazette.txt");

fn issue() -> &'static Issue {
    static ISSUE: OnceLock<Issue> = OnceLock::new();
    ISSUE.get_or_init(|| parse(SEED))
}

fn doc(no: &str) -> &'static Document {
    issue()
        .documents
        .iter()
        .find(|d| d.doc_no == no)
        .unwrap_or_else(|| panic!("document {no} not found"))
}

fn names(mentions: &[Mention]) -> Vec<&str> {
    mentions.iter().map(|m| m.name.as_str()).collect()
}

fn task(no: u32) -> &'static Task {
    doc("郑政办〔2020〕29号")
        .tasks
        .iter()
        .find(|t| t.no == no)
        .unwrap_or_else(|| panic!("task {no} not found"))
}

#[test]
fn seventeen_documents_with_number_date_issuer_title_kind() {
    const GOV: &str = "郑州市人民政府";
    const OFFICE: &str = "郑州市人民政府办公厅";
    let expected: &[(&str, &str, &str, &str, &str)] = &[
        ("郑政文〔2020〕59号", "2020-05-15", GOV, "关于印发健康郑州行动实施方案的通知", "通知"),
        ("郑政文〔2020〕60号", "2020-05-15", GOV, "关于受到国务院督查激励单位先进集体和先进个人的通报", "通报"),
        ("郑政文〔2020〕61号", "2020-05-15", GOV, "关于印发郑州市优化市场监管营商环境若干措施的通知", "通知"),
        ("郑政文〔2020〕62号", "2020-05-18", GOV, "关于2019年度市重点民生实事办理工作先进单位和先进个人的通报", "通报"),
        ("郑政文〔2020〕63号", "2020-05-15", GOV, "关于第二届中国·河南招才引智创新发展大会郑州市筹办工作先进集体和先进个人的通报", "通报"),
        ("郑政文〔2020〕64号", "2020-05-15", GOV, "关于印发2019年中国技能大赛—第三届全国智能制造应用技术技能大赛筹备保障工作先进集体和个人的通报", "通报"),
        ("郑政文〔2020〕70号", "2020-05-29", GOV, "关于印发郑州市政务信息化项目建设管理暂行办法的通知", "通知"),
        ("郑政文〔2020〕71号", "2020-06-02", GOV, "关于“公交都市”创建工作先进单位和先进个人的通报", "通报"),
        ("郑政办〔2020〕22号", "2020-05-07", OFFICE, "关于进一步完善棚户区安置居住用地供应的意见", "意见"),
        ("郑政办〔2020〕23号", "2020-05-07", OFFICE, "关于进一步加强食品药品安全监管工作的意见", "意见"),
        ("郑政办〔2020〕24号", "2020-05-12", OFFICE, "关于印发郑州市青年人才首次购房补贴发放及非郑户籍人才购房实施办法的通知", "通知"),
        ("郑政办〔2020〕26号", "2020-05-15", OFFICE, "关于印发郑州市突发地质灾害应急预案的通知", "通知"),
        ("郑政办〔2020〕27号", "2020-05-22", OFFICE, "印发郑州市人民政府办公厅关于办理人大代表建议政协委员提案工作的若干规定的通知", "通知"),
        ("郑政办〔2020〕29号", "2020-05-26", OFFICE, "关于做好2020年市政府工作报告重点工作任务落实的通知", "通知"),
        ("郑政办〔2020〕30号", "2020-05-27", OFFICE, "关于印发郑州市理顺农业灌溉用电设施建管体制实施方案的通知", "通知"),
        ("郑政办文〔2020〕9号", "2020-04-27", OFFICE, "关于调整郑州市轨道交通建设工作领导小组及成员单位的通知", "通知"),
        ("郑政办文〔2020〕10号", "2020-05-07", OFFICE, "关于2019年度人大代表建议政协委员提案办理工作先进单位先进个人的通报", "通报"),
    ];
    let docs = &issue().documents;
    assert_eq!(docs.len(), 17);
    for (d, (no, date, issuer, title, kind)) in docs.iter().zip(expected) {
        assert_eq!(d.doc_no, *no);
        assert_eq!(d.date.as_deref(), Some(*date), "{no}");
        assert_eq!(d.issuer, *issuer, "{no}");
        assert_eq!(d.title, *title, "{no}");
        assert_eq!(d.kind, *kind, "{no}");
        assert_eq!(
            d.recipients,
            vec!["各县（市、区）人民政府", "市人民政府各部门", "各有关单位"],
            "{no}"
        );
    }
}

#[test]
fn every_line_belongs_to_the_front_matter_or_exactly_one_document() {
    let issue = issue();
    let total = SEED.lines().count();
    let front = issue
        .front_matter
        .expect("two blank lines before the first document");
    assert_eq!((front.first_line, front.last_line), (1, 2));
    let mut next = front.last_line + 1;
    for d in &issue.documents {
        assert_eq!(
            d.span.first_line, next,
            "{} starts right after the previous",
            d.doc_no
        );
        assert!(d.span.last_line >= d.span.first_line);
        next = d.span.last_line + 1;
    }
    assert_eq!(next, total + 1);
    let d29 = doc("郑政办〔2020〕29号");
    assert_eq!((d29.span.first_line, d29.span.last_line), (1690, 3011));
    // The header split over two lines with markup debris.
    assert_eq!(doc("郑政文〔2020〕63号").span.first_line, 564);
    // A commendation list line that looks like an issuer (`巩义市人民政府`) starts nothing.
    assert_eq!(doc("郑政文〔2020〕60号").span.first_line, 323);
}

#[test]
fn attachments_are_listed() {
    assert_eq!(
        doc("郑政文〔2020〕59号").attachments,
        vec![
            "健康郑州行动推进委员会成员名单",
            "健康郑州行动监测评估和考核方案",
            "健康郑州行动考核指标框架"
        ]
    );
    assert_eq!(
        doc("郑政文〔2020〕61号").attachments,
        vec!["下放行政审批事项目录（略）"]
    );
    assert!(doc("郑政办〔2020〕29号").attachments.is_empty());
}

#[test]
fn outline_paths_are_unique_citations_with_nested_spans() {
    for d in &issue().documents {
        let mut seen = HashSet::new();
        for (i, c) in d.outline.iter().enumerate() {
            assert!(
                seen.insert(c.path.as_str()),
                "{} has path {} twice",
                d.doc_no,
                c.path
            );
            assert!(c.span.first_line >= d.span.first_line && c.span.last_line <= d.span.last_line);
            if let Some(p) = c.parent {
                assert!(p < i);
                let parent = &d.outline[p];
                assert!(parent.span.first_line <= c.span.first_line);
                assert!(parent.span.last_line >= c.span.last_line);
                assert!(c.path.starts_with(&parent.path));
            }
        }
    }
    let d70 = doc("郑政文〔2020〕70号");
    let chapters = d70
        .outline
        .iter()
        .filter(|c| c.marker.ends_with('章'))
        .count();
    let articles = d70
        .outline
        .iter()
        .filter(|c| c.marker.ends_with('条'))
        .count();
    assert_eq!((chapters, articles), (8, 43));
    assert!(d70.outline.iter().any(|c| c.path == "第二章 第七条"));
    let d27 = doc("郑政办〔2020〕27号");
    let articles = d27
        .outline
        .iter()
        .filter(|c| c.marker.ends_with('条'))
        .count();
    assert_eq!(articles, 26);
    let d59 = doc("郑政文〔2020〕59号");
    let paths: Vec<&str> = d59.outline.iter().map(|c| c.path.as_str()).collect();
    assert!(paths.contains(&"三、（十八）"));
    assert!(paths.contains(&"附件1 一、"));
    assert!(paths.contains(&"附件3"));
    let action = d59.outline.iter().find(|c| c.path == "三、（二）").unwrap();
    assert_eq!(action.marker, "(二)");
    assert_eq!(action.heading, "合理膳食行动");
}

#[test]
fn page_breaks_are_repaired_in_clause_text() {
    let d59 = doc("郑政文〔2020〕59号");
    let c = d59.outline.iter().find(|c| c.path == "三、（一）").unwrap();
    assert!(c.text.contains("构建全媒体健康科普知识发布和传播机制"));
    assert_eq!((c.span.first_line, c.span.last_line), (29, 33));
    let d70 = doc("郑政文〔2020〕70号");
    let first = d70
        .outline
        .iter()
        .find(|c| c.path == "第一章 第一条")
        .unwrap();
    assert!(first
        .text
        .starts_with("为进一步加强和规范政府投资政务信息化项目的统筹规划"));
    // A heading is not glued to the paragraph after it.
    let d26 = doc("郑政办〔2020〕26号");
    let c = d26.outline.iter().find(|c| c.path == "四、（一）").unwrap();
    assert_eq!(c.heading, "特大型地质灾害险情和灾情应急响应(Ⅰ级)");
}

#[test]
fn work_report_breakdown_has_146_tasks_in_order() {
    let d = doc("郑政办〔2020〕29号");
    assert_eq!(d.tasks.len(), 146);
    for (i, t) in d.tasks.iter().enumerate() {
        assert_eq!(t.no as usize, i + 1);
        assert!(!t.leaders.is_empty(), "task {} has leaders", t.no);
        assert!(!t.units.is_empty(), "task {} has 责任单位", t.no);
        assert!(t.clause.ends_with(&format!("{}.", t.no)), "{}", t.clause);
        assert!(!t.text.is_empty());
    }
    let without_lead: Vec<u32> = d
        .tasks
        .iter()
        .filter(|t| t.lead_units.is_empty())
        .map(|t| t.no)
        .collect();
    assert_eq!(without_lead, vec![95, 114, 141, 143, 144, 145, 146]);
}

#[test]
fn task_owners_as_the_text_means_them() {
    let t1 = task(1);
    assert_eq!(t1.leaders, vec!["王新伟"]);
    assert_eq!(names(&t1.lead_units), vec!["市疫情防控办"]);
    assert_eq!(
        names(&t1.units),
        vec!["市政府各部门", "各县（市、区）政府", "开发区管委会"]
    );
    assert_eq!(t1.units[0].group.as_deref(), Some("group.departments"));
    assert_eq!(t1.units[1].group.as_deref(), Some("group.counties"));
    assert_eq!(t1.units[2].group.as_deref(), Some("group.zones"));
    assert_eq!(
        t1.clause,
        "《2020年市政府工作报告重点工作任务分解》 一、（一）1."
    );
    assert_eq!((t1.span.first_line, t1.span.last_line), (1724, 1730));

    // `各县（市、区）` / blank / `政府` across a page break.
    assert_eq!(
        names(&task(3).units),
        vec!["市政府各部门", "各县（市、区）政府", "开发区管委会"]
    );
    assert_eq!(names(&task(4).lead_units), vec!["市发展改革委", "市财政局"]);
    assert_eq!(task(4).lead_units[0].unit.as_deref(), Some("dept.fgw"));

    let t7 = task(7);
    assert_eq!(t7.leaders, vec!["吴福民", "史占勇", "陈宏伟"]);
    assert_eq!(names(&t7.units), vec!["市交通局", "市工信局"]);

    let t13 = task(13);
    let open: Vec<&Mention> = t13.units.iter().filter(|m| m.open).collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].name, "有关部门");
    assert!(names(&t13.units).contains(&"市供电公司"));

    let t21 = task(21);
    assert_eq!(t21.leaders, vec!["吴福民", "陈宏伟"]);
    assert!(names(&t21.units).ends_with(&["二七区政府", "金水区政府", "管城回族区政府"]));
    assert_eq!(t21.units[4].unit.as_deref(), Some("county.jinshui"));

    assert_eq!(
        names(&task(24).units),
        vec![
            "市科技局",
            "市工信局",
            "郑东新区管委会",
            "郑州高新区管委会",
            "郑州航空港区管委会",
            "金水区政府"
        ]
    );
    let t29 = task(29);
    assert!(t29.units[0].open);
    assert_eq!(t29.units[0].group.as_deref(), Some("group.counties"));

    // `新` / blank / `郑市` across a page break, shared suffix 政府.
    assert_eq!(
        names(&task(36).units),
        vec![
            "新密市政府",
            "登封市政府",
            "荥阳市政府",
            "新郑市政府",
            "巩义市政府",
            "中牟县政府"
        ]
    );
    assert!(task(36).units.iter().all(|m| m.unit.is_some()));

    let t51 = task(51);
    let n51 = names(&t51.units);
    assert!(n51.ends_with(&[
        "郑东新区管委会",
        "郑州航空港区管委会",
        "郑州经开区管委会",
        "开发区管委会"
    ]));
    assert!(t51.units.last().unwrap().open);

    // `巩` / blank / `义市` across a page break.
    let t73 = task(73);
    assert!(names(&t73.units).ends_with(&[
        "巩义市政府",
        "中牟县政府",
        "上街区政府",
        "惠济区政府",
        "金水区政府"
    ]));
    assert_eq!(
        t73.units[t73.units.len() - 5].unit.as_deref(),
        Some("county.gongyi")
    );

    let t77 = task(77);
    assert_eq!(t77.leaders, vec!["黄卿", "孙晓红", "陈宏伟"]);
    assert_eq!(
        names(&t77.lead_units),
        vec!["市文化广电和旅游局", "市文物局"]
    );
    assert!(names(&t77.units).ends_with(&[
        "管城回族区人民政府",
        "新郑市人民政府",
        "登封市人民政府",
        "荥阳市人民政府",
        "巩义市人民政府",
        "相关县（市、区）人民政府"
    ]));

    let t95 = task(95);
    assert_eq!(t95.leaders, vec!["孙晓红"]);
    assert!(t95.lead_units.is_empty());
    assert_eq!(t95.units.len(), 7);

    // `开发区管` / blank / `委会` across a page break.
    assert!(names(&task(103).units).ends_with(&["市文明办", "各县（市、区）政府", "开发区管委会"]));

    let t114 = task(114);
    assert_eq!(t114.leaders, vec!["吴福民"]);
    assert!(t114.lead_units.is_empty());
    assert_eq!(names(&t114.units), vec!["市地铁集团"]);
    assert_eq!(t114.units[0].unit.as_deref(), Some("ent.metro"));

    // `市退役` / blank / `军人局`; 退役军人局 = 退役军人事务局.
    let t116 = task(116);
    assert_eq!(
        names(&t116.units)[..4],
        ["市财政局", "市教育局", "市退役军人局", "市社保中心"]
    );
    assert_eq!(t116.units[2].unit, task(132).units[3].unit);

    // 市发展和改革委员会 = 市发展改革委; 市资源和规划局 = 市资源规划局.
    let t117 = task(117);
    assert_eq!(t117.units[1].unit.as_deref(), Some("dept.fgw"));
    assert_eq!(t117.units[3].unit.as_deref(), Some("dept.zrzy"));

    let t121 = task(121);
    assert_eq!(t121.lead_units.len(), 2);
    assert_eq!(t121.units[0].group.as_deref(), Some("group.sdpq_members"));

    assert_eq!(
        names(&task(141).units),
        vec![
            "市人防办",
            "市退役军人局",
            "各县（市、区）政府",
            "开发区管委会"
        ]
    );
    assert_eq!(task(62).deadlines, vec!["6月底前"]);
    assert_eq!(task(55).deadlines, vec!["年底前"]);
    assert_eq!(task(105).deadlines, vec!["10月底前"]);
}

#[test]
fn eighteen_health_actions_with_lead_and_co_units() {
    let d = doc("郑政文〔2020〕59号");
    let expected: &[(&str, &str, usize)] = &[
        ("健康促进行动", "市卫健委", 16),
        ("合理膳食行动", "市卫健委", 8),
        ("全民健身行动", "市体育局", 10),
        ("控烟行动", "市卫健委", 13),
        ("心理健康促进行动", "市卫健委", 11),
        ("健康环境促进行动", "市卫健委", 18),
        ("妇幼健康促进行动", "市卫健委", 9),
        ("中小学健康促进行动", "市教育局", 9),
        ("职业健康保护行动", "市卫健委", 14),
        ("老年健康促进行动", "市卫健委", 16),
        ("心脑血管疾病防治行动", "市卫健委", 4),
        ("癌症防治行动", "市卫健委", 9),
        ("慢性呼吸系统疾病防治行动", "市卫健委", 4),
        ("糖尿病防治行动", "市卫健委", 3),
        ("传染病及地方病防控行动", "市卫健委", 24),
        ("公共卫生体系提升行动", "市卫健委", 14),
        ("中医药促进行动", "市卫健委", 5),
        ("健康信息化行动", "市卫健委", 2),
    ];
    assert_eq!(d.actions.len(), 18);
    assert!(d.tasks.is_empty());
    for (i, (a, (name, lead, co))) in d.actions.iter().zip(expected).enumerate() {
        assert_eq!(a.no as usize, i + 1);
        assert_eq!(a.name, *name);
        assert_eq!(names(&a.lead_units), vec![*lead], "{name}");
        assert_eq!(a.units.len(), *co, "{name}: {:?}", names(&a.units));
        assert!(
            a.lead_units
                .iter()
                .chain(&a.units)
                .all(|m| m.unit.is_some()),
            "{name}"
        );
        assert!(a.clause.starts_with("三、（"));
    }
    let a1 = &d.actions[0];
    assert_eq!(
        names(&a1.units)[..3],
        ["市委宣传部", "市委网信办", "市委编办"]
    );
    assert_eq!(names(&a1.units).last(), Some(&"市红十字会"));
    // 市委宣传部〔文明办〕 is the 宣传部 (which houses the 文明办).
    let a4 = &d.actions[3];
    assert_eq!(a4.units[0].name, "市委宣传部（文明办）");
    assert_eq!(a4.units[0].unit.as_deref(), Some("dept.xcb"));
    // The owner note of action 7 lies after a page break.
    assert_eq!(d.actions[6].span.last_line, 65);
    let a18 = &d.actions[17];
    assert_eq!(names(&a18.units), vec!["市医保局", "市大数据局"]);
}

#[test]
fn irrigation_measures_with_inline_owners_and_deadlines() {
    let d = doc("郑政办〔2020〕30号");
    assert_eq!(d.tasks.len(), 4);
    let t1 = &d.tasks[0];
    assert_eq!(t1.clause, "二、（一）");
    assert_eq!(
        names(&t1.units),
        vec![
            "各县（市、区）政府",
            "市农委",
            "市水利局",
            "市发展改革委",
            "国网郑州供电公司"
        ]
    );
    assert_eq!(t1.units[0].group.as_deref(), Some("group.counties"));
    assert_eq!(t1.deadlines, vec!["2020年6月底前"]);
    assert!(!t1.text.contains("责任单位"));
    let t2 = &d.tasks[1];
    assert_eq!(names(&t2.assisting_units), vec!["市水利局"]);
    // The note of measure 3 runs over a page break into `协办单位: 市水利局)`.
    let t3 = &d.tasks[2];
    assert_eq!(
        names(&t3.units),
        vec!["各县（市、区）政府", "市农委", "国网郑州供电公司"]
    );
    assert_eq!(names(&t3.assisting_units), vec!["市水利局"]);
    assert_eq!(
        t3.deadlines,
        vec!["2020年年底", "2022年6月底前", "2023年2月底前"]
    );
    assert_eq!((t3.span.first_line, t3.span.last_line), (3038, 3040));
    assert!(d.tasks[3].deadlines.is_empty());
}

#[test]
fn emergency_working_groups_are_tasks_with_lead_and_member_units() {
    let d = doc("郑政办〔2020〕26号");
    assert_eq!(d.tasks.len(), 7);
    let g1 = &d.tasks[0];
    assert_eq!(g1.clause, "二、（三）1.");
    assert_eq!(names(&g1.lead_units), vec!["市应急局"]);
    // `市资源规划局、市发展改革委、公安局等部门和灾害发生地县（市、区）政府（开发区管委会、…）`
    assert_eq!(
        names(&g1.units),
        vec![
            "市资源规划局",
            "市发展改革委",
            "市公安局",
            "部门",
            "灾害发生地县（市、区）政府",
            "开发区管委会",
            "黄河文化公园管委会",
            "嵩山风景名胜区管委会"
        ]
    );
    assert!(g1.units[3..].iter().all(|m| m.open));
    assert_eq!(g1.units[4].group.as_deref(), Some("group.counties"));
    let g2 = &d.tasks[1];
    assert_eq!(
        names(&g2.lead_units),
        vec!["郑州警备区战备建设处", "市消防救援支队"]
    );
    assert_eq!(names(&g2.units)[..2], ["市公安局", "武警郑州支队"]);
}

#[test]
fn nothing_in_the_seed_is_left_unresolved() {
    for d in &issue().documents {
        assert!(d.unresolved.is_empty(), "{}: {:?}", d.doc_no, d.unresolved);
        for t in &d.tasks {
            for m in t
                .lead_units
                .iter()
                .chain(&t.units)
                .chain(&t.assisting_units)
            {
                assert!(
                    m.unit.is_some() || m.group.is_some() || m.open,
                    "{} task {}: {}",
                    d.doc_no,
                    t.no,
                    m.name
                );
            }
        }
    }
}
