//! Golden test: the rosters of 郑政文〔2020〕59号 附件1 (健康郑州行动推进委员会) and
//! 郑政办文〔2020〕9号 (郑州市轨道交通建设工作领导小组), read through `luoshi_gazette::parse`.

mod g2_common;

use g2_common::{doc, seed};
use luoshi_gazette::Roster;

fn count(roster: &Roster, role: &str) -> usize {
    roster.members.iter().filter(|m| m.role == role).count()
}

fn post_of<'a>(roster: &'a Roster, name: &str) -> &'a str {
    &roster
        .members
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .post
}

#[test]
fn health_committee_roster() {
    let issue = seed();
    let d = doc(&issue, "郑政文〔2020〕59号");
    assert_eq!(d.rosters.len(), 1);
    let r = &d.rosters[0];
    assert_eq!(r.body, "健康郑州行动推进委员会");
    assert!(r.clause.starts_with("附件1"), "{}", r.clause);
    assert_eq!(r.span.first_line, 151);
    assert_eq!(r.span.last_line, 235);
    let roles: Vec<(&str, usize)> = ["主任", "执行副主任", "副主任", "委员", "秘书长"]
        .iter()
        .map(|role| (*role, count(r, role)))
        .collect();
    assert_eq!(
        roles,
        [
            ("主任", 1),
            ("执行副主任", 1),
            ("副主任", 4),
            ("委员", 33),
            ("秘书长", 2)
        ]
    );
    assert_eq!(r.members.len(), 41);
    let first = &r.members[0];
    assert_eq!(
        (
            first.role.as_str(),
            first.name.as_str(),
            first.post.as_str()
        ),
        ("主任", "王新伟", "副省长、市委副书记、市长")
    );
    // A post wrapped onto the next line, with the repeated character of the PDF dropped.
    assert_eq!(post_of(r, "鲁其灵"), "市生态环境局党组成员、副调研员");
    assert_eq!(post_of(r, "王微"), "市体育局局长");
    let secretaries: Vec<(&str, &str)> = r
        .members
        .iter()
        .filter(|m| m.role == "秘书长")
        .map(|m| (m.name.as_str(), m.post.as_str()))
        .collect();
    assert_eq!(secretaries, [("柴丹", "（兼）"), ("张士东", "（兼）")]);
    // The line of experts and deputies is not a person: kept as a category of 委员.
    assert_eq!(r.categories.len(), 1);
    assert_eq!(r.categories[0].role, "委员");
    assert_eq!(r.categories[0].line, 231);
    assert!(r.categories[0].text.starts_with("相关领域专家、市人大代表"));
}

#[test]
fn rail_transit_leading_group_roster() {
    let issue = seed();
    let d = doc(&issue, "郑政办文〔2020〕9号");
    assert_eq!(d.rosters.len(), 1);
    let r = &d.rosters[0];
    assert_eq!(r.body, "郑州市轨道交通建设工作领导小组");
    assert_eq!((r.span.first_line, r.span.last_line), (3066, 3099));
    assert_eq!(
        (count(r, "组长"), count(r, "副组长"), count(r, "成员")),
        (1, 1, 26)
    );
    assert_eq!(post_of(r, "吴福民"), "市政府副市长");
    // `张 吉`: a padded two-character name.
    assert_eq!(post_of(r, "张吉"), "市政府常务副秘书长");
    assert_eq!(post_of(r, "王珂"), "市消防支队副支队长");
    assert_eq!(post_of(r, "喻强"), "中国铁路郑州局集团有限公司客信部副主任");
    assert_eq!(r.members.last().unwrap().name, "喻强");
    assert_eq!(r.categories.len(), 1);
    assert_eq!(r.categories[0].text, "相关开发区、县(市、区)分管负责同志");
    assert_eq!(r.categories[0].role, "成员");
}

#[test]
fn every_member_name_is_a_name() {
    let issue = seed();
    for d in &issue.documents {
        for r in &d.rosters {
            for m in &r.members {
                let n = m.name.chars().count();
                assert!((2..=4).contains(&n), "{}: {:?}", d.doc_no, m);
                assert!(!m.name.contains(char::is_whitespace), "{:?}", m);
                assert!(!m.post.is_empty(), "{}: {:?}", d.doc_no, m);
            }
        }
    }
    let with_rosters: Vec<&str> = issue
        .documents
        .iter()
        .filter(|d| !d.rosters.is_empty())
        .map(|d| d.doc_no.as_str())
        .collect();
    assert_eq!(with_rosters, ["郑政文〔2020〕59号", "郑政办文〔2020〕9号"]);
}
