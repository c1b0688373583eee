//! Other cities' gazettes of the same genres (invented text, a registry brought as TOML): the
//! reader must not depend on 郑州. Documents, owner lines in several styles, shared prefixes
//! and suffixes, groups, open references and unresolved mentions.

use luoshi_gazette::{parse_with, Mention, Registry};

const LUOYANG: &str = r#"
city = "洛阳市"
version = "test"

[[units]]
id = "dept.fgw"
name = "洛阳市发展和改革委员会"
kind = "department"
aliases = ["市发展改革委", "市发改委"]

[[units]]
id = "dept.czj"
name = "洛阳市财政局"
kind = "department"
aliases = ["市财政局"]

[[units]]
id = "dept.zrzy"
name = "洛阳市自然资源和规划局"
kind = "department"
aliases = ["市自然资源规划局", "市资源规划局"]

[[units]]
id = "dept.nyncj"
name = "洛阳市农业农村局"
kind = "department"
aliases = ["市农业农村局"]

[[units]]
id = "dept.slj"
name = "洛阳市水利局"
kind = "department"
aliases = ["市水利局"]

[[units]]
id = "ent.power"
name = "国网洛阳供电公司"
kind = "enterprise"
aliases = ["市供电公司"]

[[units]]
id = "zone.gaoxin"
name = "洛阳高新技术产业开发区管理委员会"
kind = "zone"
aliases = ["洛阳高新区管委会", "洛阳高新区"]

[[units]]
id = "zone.yibin"
name = "洛阳市伊滨区管理委员会"
kind = "zone"
aliases = ["伊滨区管委会", "伊滨区"]

[[units]]
id = "county.yanshi"
name = "偃师区人民政府"
kind = "county"
aliases = ["偃师区"]

[[units]]
id = "county.mengjin"
name = "孟津区人民政府"
kind = "county"
aliases = ["孟津区"]

[[units]]
id = "county.yichuan"
name = "伊川县人民政府"
kind = "county"
aliases = ["伊川县"]

[[groups]]
id = "group.counties"
name = "各县（市、区）政府"
aliases = ["各县（市、区）人民政府"]
members = ["county.yanshi", "county.mengjin", "county.yichuan"]

[[groups]]
id = "group.zones"
name = "开发区管委会"
aliases = ["各开发区管委会"]
members = ["zone.gaoxin", "zone.yibin"]

[[groups]]
id = "group.departments"
name = "市政府各部门"
aliases = ["各部门", "政府各部门"]
member_kinds = ["department"]
"#;

const GAZETTE: &str = "洛阳市人民政府公报\n2021年第3期\n\n\
洛阳市人民政府办公室 关于印发2021年重点工作\n任务分解的通知\n\n\
洛政办〔2021〕15号 2021年3月8日\n\n\
各县（市、区）人民政府，市人民政府各部门：\n\n\
现将有关任务分解印发给你们。\n\n\
一、经济发展\n\n\
1. 推进重大项目建设，6月底前完成年度投资50%。\n\n\
责任领导：李 明 王强\n\n\
牵头单位：市发改委、财政局\n\n\
责任单位：偃师区、孟津区政府，洛阳高新区、伊滨区管委会\n\n\
2. 完善农田水利设施。\n\n\
牵头单位：市农业农村局；配合单位：市水利局、市供电公司等有关部门\n\n\
3. 推进国土空间规划编制，年底前报批。牵头单位：市自然资源规划局；责任单位：相关县（市、区）政府，市火星局\n\n\
二、乡村振兴\n\n\
（一）灌溉设施改造。各县（市、区）要加快改造。（责任单位：各县〔市、区〕政府，市农业农村局、水利局，协办单位：市财政局）\n\n\
开封市人民政府文件\n\n\
汴政〔2021〕4号\n\n\
关于加强安全生产工作的\n意见\n\n\
2021年2月1日\n\n\
各区人民政府：\n\n\
一、总体要求\n\n\
安全第一。\n";

fn registry() -> Registry {
    Registry::from_toml_str(LUOYANG).expect("valid registry")
}

fn names(m: &[Mention]) -> Vec<&str> {
    m.iter().map(|m| m.name.as_str()).collect()
}

#[test]
fn documents_of_another_city_are_found() {
    let issue = parse_with(GAZETTE, &registry());
    assert_eq!(issue.documents.len(), 2);
    let front = issue.front_matter.unwrap();
    assert_eq!((front.first_line, front.last_line), (1, 3));
    let d = &issue.documents[0];
    assert_eq!(d.doc_no, "洛政办〔2021〕15号");
    assert_eq!(d.issuer, "洛阳市人民政府办公室");
    assert_eq!(d.title, "关于印发2021年重点工作任务分解的通知");
    assert_eq!(d.date.as_deref(), Some("2021-03-08"));
    assert_eq!(
        d.recipients,
        vec!["各县（市、区）人民政府", "市人民政府各部门"]
    );
    let k = &issue.documents[1];
    assert_eq!(k.doc_no, "汴政〔2021〕4号");
    assert_eq!(k.issuer, "开封市人民政府");
    assert_eq!(k.title, "关于加强安全生产工作的意见");
    assert_eq!(k.kind, "意见");
    assert_eq!(k.date.as_deref(), Some("2021-02-01"));
    assert_eq!(k.outline[0].path, "一、");
}

#[test]
fn owner_lines_in_several_styles() {
    let issue = parse_with(GAZETTE, &registry());
    let d = &issue.documents[0];
    assert_eq!(d.tasks.len(), 4);

    let t1 = &d.tasks[0];
    assert_eq!(t1.clause, "一、1.");
    assert_eq!(t1.leaders, vec!["李明", "王强"]);
    // Shared prefix 市 written once.
    assert_eq!(names(&t1.lead_units), vec!["市发改委", "市财政局"]);
    assert_eq!(t1.lead_units[1].unit.as_deref(), Some("dept.czj"));
    // Shared suffixes 政府 and 管委会 written once.
    assert_eq!(
        names(&t1.units),
        vec![
            "偃师区政府",
            "孟津区政府",
            "洛阳高新区管委会",
            "伊滨区管委会"
        ]
    );
    assert_eq!(t1.units[3].unit.as_deref(), Some("zone.yibin"));
    assert_eq!(t1.deadlines, vec!["6月底前"]);

    // Two keys on one line; an open `等有关部门` tail.
    let t2 = &d.tasks[1];
    assert_eq!(names(&t2.lead_units), vec!["市农业农村局"]);
    assert_eq!(
        names(&t2.assisting_units),
        vec!["市水利局", "市供电公司", "有关部门"]
    );
    assert!(t2.assisting_units[2].open);
    assert_eq!(
        t2.assisting_units[2].group.as_deref(),
        Some("group.departments")
    );

    // Owners written after the sentence; an open group and an unknown unit.
    let t3 = &d.tasks[2];
    assert_eq!(t3.text, "推进国土空间规划编制，年底前报批。");
    assert_eq!(t3.lead_units[0].unit.as_deref(), Some("dept.zrzy"));
    assert_eq!(names(&t3.units), vec!["相关县（市、区）政府", "市火星局"]);
    assert!(t3.units[0].open);
    assert_eq!(t3.units[0].group.as_deref(), Some("group.counties"));
    assert_eq!(t3.deadlines, vec!["年底前"]);

    // An inline owner note with 协办单位.
    let t4 = &d.tasks[3];
    assert_eq!(t4.clause, "二、（一）");
    assert_eq!(
        names(&t4.units),
        vec!["各县（市、区）政府", "市农业农村局", "市水利局"]
    );
    assert_eq!(names(&t4.assisting_units), vec!["市财政局"]);
}

#[test]
fn unresolved_mentions_are_kept_and_reported() {
    let issue = parse_with(GAZETTE, &registry());
    let d = &issue.documents[0];
    assert_eq!(d.unresolved.len(), 1);
    let u = &d.unresolved[0];
    assert_eq!(u.kind, "unit");
    assert_eq!(u.text, "市火星局");
    assert_eq!(u.clause, "一、3.");
    assert!(d.tasks[2].units[1].unit.is_none());
}

#[test]
fn the_zhengzhou_registry_does_not_resolve_another_city() {
    // With the bundled Zhengzhou registry, Luoyang's zones are unknown: kept, flagged.
    let issue = luoshi_gazette::parse(GAZETTE);
    let d = &issue.documents[0];
    assert!(d.unresolved.iter().any(|u| u.text == "伊滨区管委会"));
    assert_eq!(d.tasks.len(), 4);
}

#[test]
fn a_department_can_issue_a_document() {
    let text = "郑州市教育局\n\n关于做好2021年招生工作的通知\n\n郑教〔2021〕3号 2021年4月1日\n\n各县（市、区）教育局：\n\n一、总体要求\n\n正文。\n";
    let issue = luoshi_gazette::parse(text);
    assert_eq!(issue.documents.len(), 1);
    let d = &issue.documents[0];
    assert_eq!(d.issuer, "郑州市教育局");
    assert_eq!(d.title, "关于做好2021年招生工作的通知");
    assert_eq!(d.doc_no, "郑教〔2021〕3号");
    assert_eq!(d.recipients, vec!["各县（市、区）教育局"]);
    assert_eq!(d.span.first_line, 1);
}
