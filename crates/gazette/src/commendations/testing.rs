//! Test support for G2's extractors (numbered lines from a text) and property tests of the four
//! extractors called directly on arbitrary lines: they never panic, spans stay inside the input,
//! and every operator is one of the contract's.

use proptest::prelude::*;

use crate::registry::Registry;

/// The lines of `text` numbered from 1, as the extractors receive a document.
pub(crate) fn numbered(text: &str) -> Vec<(usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect()
}

/// Line fragments the extractors react to, mixed with arbitrary text.
const LINE_FRAGMENTS: &[&str] = &[
    "一、先进集体（3个）",
    "（一）县区（2个）",
    "二、先进个人 (4 名)",
    "张 三 李四 王 五",
    "赵六\t(市某局)\t\t\t钱七\t孙 八\t\t",
    "\t\t\t\t\t\t\t",
    "市教育局、市财政局",
    "主任：王新伟 副省长",
    "组长\t王某\t市长",
    "成 员: 张 吉 市政府",
    "副调",
    "调研员",
    "相关开发区分管负责同志",
    "考核依据\t序号\t指 标\t基期值\t2022 年目标值\t2030年目标值",
    "《纲要》\t1\t婴儿死亡率(‰)\t2.83*\t≤4.1",
    "\t25\tA（%），B（%）\t100, 71\t100, 下降趋势",
    "\t\t（续）\t\t",
    "注：基期水平值为 2018 年数值（带 * 号为 2017 年数值）",
    "到2022年和2030年，全市居民健康素养水平分别不低于25%和36%，",
    "孕产妇死亡率分别下降到 10/10 万及以下和 9/",
    "乡镇卫生院(社区卫生服务中心)达到100%。",
    "明显下降。",
    "“以上”含本数，“以下”不含本数。",
    "（",
    "）",
    "",
    "９９．５％",
];

fn lines() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(LINE_FRAGMENTS).prop_map(str::to_string),
            1 => "[^\n]{0,30}",
            1 => prop::collection::vec(
                prop::sample::select(&['张', '一', '、', '（', '）', '\t', ' ', '2', '年', '%', '：', '.', '*'][..]),
                0..20
            ).prop_map(|cs| cs.into_iter().collect::<String>()),
        ],
        0..30,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn extractors_never_panic_and_stay_in_bounds(texts in lines()) {
        let numbered: Vec<(usize, &str)> =
            texts.iter().enumerate().map(|(i, t)| (i + 10, t.as_str())).collect();
        let in_bounds = |first: usize, last: usize| {
            first <= last && first >= 10 && last < 10 + texts.len().max(1)
        };
        const OPS: [&str; 7] = ["<=", ">=", "<", ">", "=", "trend", "text"];
        for i in crate::indicators::extract(&numbered, &[]) {
            prop_assert!(in_bounds(i.span.first_line, i.span.last_line));
            for t in &i.targets {
                prop_assert!(OPS.contains(&t.op.as_str()));
            }
        }
        for t in crate::targets::extract(&numbered, &[]) {
            prop_assert!(in_bounds(t.span.first_line, t.span.last_line));
            prop_assert!(OPS.contains(&t.op.as_str()));
            prop_assert_eq!(t.value.is_some(), !matches!(t.op.as_str(), "trend" | "text"));
        }
        for r in crate::rosters::extract(&numbered, &[]) {
            prop_assert!(in_bounds(r.span.first_line, r.span.last_line));
            prop_assert!(!r.members.is_empty());
        }
        let all = super::extract(&numbered, &[], &Registry::default());
        for (i, c) in all.iter().enumerate() {
            prop_assert!(in_bounds(c.span.first_line, c.span.last_line));
            prop_assert!(c.parent.is_none_or(|p| p < i));
            if let Some(stated) = c.stated_count {
                let total = super::total_entries(&all, i);
                let reported = c.warnings.iter().any(|w| w.contains("不符"));
                prop_assert_eq!(reported, total != stated as usize);
            }
        }
    }
}
