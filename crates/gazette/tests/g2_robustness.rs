//! Robustness of G2's extractors (indicators, targets, rosters, commendations) through
//! `luoshi_gazette::parse`: no panic on odd input made of the pieces these extractors react to,
//! and counts that do not add up are always reported.

use proptest::prelude::*;

/// Fragments the list, table and target readers react to, plus noise.
const FRAGMENTS: &[&str] = &[
    "郑州市人民政府\n",
    "关于表扬的通报\n",
    "郑政文〔2020〕99号 2020年5月15日\n",
    "一、先进集体（3个）\n",
    "（一）县区（2个）\n",
    "二、先进个人 (4 名)\n",
    "张 三 李四 王 五\n",
    "赵六\t(市某局)\t\t\t钱七\t孙 八\t\t\n",
    "\t\t\t\t\t\t\t\n",
    "市教育局\n",
    "主任：王新伟 副省长\n",
    "成 员: 张 吉 市政府\n",
    "副调\n调研员\n",
    "相关开发区分管负责同志\n",
    "考核依据\t序号\t指 标\t基期值\t2022 年目标值\n",
    "《纲要》\t1\t婴儿死亡率(‰)\t2.83*\t≤4.1\n",
    "\t25\tA（%），B（%）\t100, 71\t100, 下降趋势\n",
    "注：基期水平值为 2018 年数值（带 * 号为 2017 年数值）\n",
    "到2022年和2030年，全市居民健康素养水平分别不低于25%和36%，\n",
    "\n",
    "孕产妇死亡率分别下降到 10/10 万及以下和 9/\n",
    "明显下降。\n",
    "（\n",
    "）\n",
    "。\n",
    "、\n",
    "**\n",
    "９９．５％",
    "\u{3000}",
    "\r\n",
];

fn gazette_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn odd_input_never_panics_and_mismatches_are_reported(text in gazette_like()) {
        let issue = luoshi_gazette::parse(&text);
        for d in &issue.documents {
            for (i, c) in d.commendations.iter().enumerate() {
                let mut total = c.entries.len();
                let mut stack: Vec<usize> = vec![i];
                while let Some(p) = stack.pop() {
                    for (j, child) in d.commendations.iter().enumerate() {
                        if child.parent == Some(p) {
                            total += child.entries.len();
                            stack.push(j);
                        }
                    }
                }
                if let Some(stated) = c.stated_count {
                    let reported = c.warnings.iter().any(|w| w.contains("不符"));
                    prop_assert_eq!(reported, total != stated as usize);
                }
            }
            for t in &d.targets {
                prop_assert!(["<=", ">=", "<", ">", "=", "trend", "text"].contains(&t.op.as_str()));
                prop_assert!(t.span.first_line <= t.span.last_line);
            }
            for r in &d.rosters {
                prop_assert!(!r.members.is_empty());
                prop_assert!(r.span.first_line <= r.span.last_line);
            }
        }
    }
}

#[test]
fn a_list_shorter_than_its_heading_is_reported_not_padded() {
    let text = "郑州市人民政府\n\n关于表扬的通报\n\n郑政文〔2020〕99号 2020年5月15日\n\n\
        各有关单位：\n\n附件\n\n先进个人名单\n\n一、先进个人（5名）\n\n张 三 李四 王 五\n";
    let issue = luoshi_gazette::parse(text);
    let c = &issue.documents[0].commendations[0];
    assert_eq!(c.stated_count, Some(5));
    assert_eq!(c.entries.len(), 3);
    assert_eq!(c.warnings, ["名单实际列出3个条目，与标题所述5个不符"]);
}
