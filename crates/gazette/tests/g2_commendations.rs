//! Golden test: the commendation lists of 郑政文〔2020〕60/62/63/64/71号 and 郑政办文〔2020〕10号,
//! read through `luoshi_gazette::parse`. Every category's entries (its own plus its children's)
//! add up to the count its heading states.

mod g2_common;

use g2_common::{doc, seed};
use luoshi_gazette::{Commendation, Document};

/// (category, kind, stated count, own entries, parent index), as read.
type Summary = (String, String, Option<u32>, usize, Option<usize>);

/// (category as written, kind, stated count, own entries, parent index)
type Golden = (&'static str, &'static str, u32, usize, Option<usize>);

const LISTS: &[(&str, &[Golden])] = &[
    (
        "郑政文〔2020〕60号",
        &[
            ("先进集体（30个）", "unit", 30, 0, None),
            ("商事制度改革先进集体（20个）", "unit", 20, 20, Some(0)),
            ("土地集约事项先进集体(10个)", "unit", 10, 10, Some(0)),
            ("先进个人(50名)", "person", 50, 50, None),
        ],
    ),
    (
        "郑政文〔2020〕62号",
        &[
            ("先进单位（20个）", "unit", 20, 20, None),
            ("先进个人(30名)", "person", 30, 30, None),
        ],
    ),
    (
        "郑政文〔2020〕63号",
        &[
            ("先进集体（25个）", "unit", 25, 25, None),
            ("先进个人（140人）", "person", 140, 140, None),
        ],
    ),
    (
        "郑政文〔2020〕64号",
        &[
            ("先进单位(12个)", "unit", 12, 12, None),
            ("先进个人(119人)", "person", 119, 119, None),
        ],
    ),
    (
        "郑政文〔2020〕71号",
        &[
            ("先进单位(15个)", "unit", 15, 15, None),
            ("先进个人(45名)", "person", 45, 45, None),
        ],
    ),
    (
        "郑政办文〔2020〕10号",
        &[
            ("先进单位（30个）", "unit", 30, 30, None),
            ("先进个人（40名）", "person", 40, 40, None),
        ],
    ),
];

fn summary(d: &Document) -> Vec<Summary> {
    d.commendations
        .iter()
        .map(|c| {
            let kind = c.kind.clone();
            (
                c.category.clone(),
                kind,
                c.stated_count,
                c.entries.len(),
                c.parent,
            )
        })
        .collect()
}

fn names(c: &Commendation) -> Vec<&str> {
    c.entries.iter().map(|e| e.name.as_str()).collect()
}

#[test]
fn every_category_matches_its_stated_count() {
    let issue = seed();
    for (doc_no, golden) in LISTS {
        let d = doc(&issue, doc_no);
        let expected: Vec<Summary> = golden
            .iter()
            .map(|&(c, k, n, own, p)| (c.to_string(), k.to_string(), Some(n), own, p))
            .collect();
        assert_eq!(summary(d), expected, "{doc_no}");
        for c in &d.commendations {
            assert!(
                c.warnings.is_empty(),
                "{doc_no} {}: {:?}",
                c.category,
                c.warnings
            );
            assert!(c.clause.starts_with("附件"), "{doc_no} cites {}", c.clause);
        }
    }
    let with_lists: Vec<&str> = issue
        .documents
        .iter()
        .filter(|d| !d.commendations.is_empty())
        .map(|d| d.doc_no.as_str())
        .collect();
    let expected: Vec<&str> = LISTS.iter().map(|(n, _)| *n).collect();
    assert_eq!(with_lists, expected);
}

#[test]
fn padded_names_are_joined() {
    let issue = seed();
    let d = doc(&issue, "郑政文〔2020〕60号");
    assert_eq!(
        names(&d.commendations[3])[..4],
        ["帖琪", "袁涛", "魏柳涛", "周飞"]
    );
    assert_eq!(names(&d.commendations[3])[48..], ["张英", "李军"]);
    for doc_no in [
        "郑政文〔2020〕60号",
        "郑政文〔2020〕62号",
        "郑政文〔2020〕63号",
        "郑政文〔2020〕64号",
        "郑政文〔2020〕71号",
        "郑政办文〔2020〕10号",
    ] {
        for c in doc(&issue, doc_no)
            .commendations
            .iter()
            .filter(|c| c.kind == "person")
        {
            for e in &c.entries {
                let n = e.name.chars().count();
                assert!(
                    (2..=4).contains(&n) && !e.name.contains(' '),
                    "{doc_no}: {e:?}"
                );
            }
        }
    }
}

#[test]
fn interleaved_columns_of_63_read_left_block_then_right_block() {
    let issue = seed();
    let people = &doc(&issue, "郑政文〔2020〕63号").commendations[1];
    let n = names(people);
    assert_eq!(n[..2], ["丁进芳", "丁建民"]);
    // The left block (车文婷 … 张丽) follows the 20 space-separated names, then the right block.
    assert_eq!(n[20], "车文婷");
    assert_eq!(n[81], "张丽");
    assert_eq!(n[82], "张林");
    assert_eq!(n[139], "李鹏");
    let notes: Vec<(&str, &str)> = people
        .entries
        .iter()
        .filter_map(|e| e.note.as_deref().map(|note| (e.name.as_str(), note)))
        .collect();
    assert_eq!(notes, [("李鹏", "市接待办"), ("李鹏", "管城回族区人社局")]);
}

#[test]
fn interleaved_columns_of_64() {
    let issue = seed();
    let people = &doc(&issue, "郑政文〔2020〕64号").commendations[1];
    let n = names(people);
    assert_eq!(n[..4], ["宋慧", "韩裕猛", "齐新志", "李彩霞"]);
    assert_eq!(n[16], "詹宏喜");
    assert_eq!(n[118], "张仁义");
}

#[test]
fn notes_in_the_proposals_office_list() {
    let issue = seed();
    let people = &doc(&issue, "郑政办文〔2020〕10号").commendations[1];
    let notes: Vec<(&str, &str)> = people
        .entries
        .iter()
        .filter_map(|e| e.note.as_deref().map(|note| (e.name.as_str(), note)))
        .collect();
    assert_eq!(notes, [("赵亮", "市住房保障局"), ("赵亮", "市大数据局")]);
}

#[test]
fn units_resolve_through_the_registry_and_are_kept_either_way() {
    let issue = seed();
    let mut unresolved = Vec::new();
    for (doc_no, _) in LISTS {
        for c in doc(&issue, doc_no)
            .commendations
            .iter()
            .filter(|c| c.kind == "unit")
        {
            for e in &c.entries {
                assert!(!e.name.is_empty());
                if e.unit.is_none() {
                    unresolved.push(format!("{doc_no} {}", e.name));
                }
            }
        }
    }
    // Every commended unit of the seed is in the bundled registry (data/units/zhengzhou.toml).
    assert!(unresolved.is_empty(), "{unresolved:#?}");
    let d = doc(&issue, "郑政文〔2020〕63号");
    // A unit named like a document issuer is an entry, not a document header.
    assert_eq!(names(&d.commendations[0])[0], "郑州市人民政府办公厅");
}
