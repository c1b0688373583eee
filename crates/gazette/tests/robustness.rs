//! Robustness (健壮性): the reader never panics, refuses bytes that are not UTF-8 with the right
//! offset, and accounts for every input line — front matter or exactly one document, spans
//! disjoint, in order and covering — on arbitrary text, gazette-like noise and cut-up pieces
//! of the seed.

use luoshi_gazette::{parse, parse_bytes, GazetteError, Issue};
use proptest::prelude::*;

const SEED: &str = include_str!("../../../data/gazette/zhengzhou-2020-gazette.txt");

/// Every line is in the front matter or in exactly one document; documents are in order and
/// disjoint; every clause, task and action lies inside its document.
fn assert_accounted(text: &str, issue: &Issue) {
    let total = text
        .strip_prefix('\u{FEFF}')
        .unwrap_or(text)
        .lines()
        .count();
    let mut next = 1;
    if let Some(front) = issue.front_matter {
        assert_eq!(front.first_line, 1);
        assert!(front.last_line >= 1);
        next = front.last_line + 1;
    }
    for d in &issue.documents {
        assert_eq!(d.span.first_line, next, "documents are contiguous");
        assert!(d.span.last_line >= d.span.first_line);
        next = d.span.last_line + 1;
        let inside = |s: luoshi_gazette::Span| {
            s.first_line >= d.span.first_line
                && s.last_line <= d.span.last_line
                && s.first_line <= s.last_line
        };
        for c in &d.outline {
            assert!(inside(c.span), "clause {} outside {}", c.path, d.doc_no);
            if let Some(p) = c.parent {
                assert!(p < d.outline.len());
            }
        }
        for t in &d.tasks {
            assert!(inside(t.span));
        }
        for a in &d.actions {
            assert!(inside(a.span));
        }
    }
    if total == 0 {
        assert!(issue.front_matter.is_none() && issue.documents.is_empty());
    } else {
        assert_eq!(next, total + 1, "every line accounted for");
    }
}

/// Pieces that make text look like a gazette: headers, 文号 lines, markers, owner lines,
/// brackets, page breaks, tabs, markup debris.
fn gazette_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("郑州市人民政府".to_string()),
        Just("洛阳市人民政府办公厅 关于某事的通知".to_string()),
        Just("关于印发某某方案的通知".to_string()),
        Just("郑政办〔2020〕29号 2020年5月26日".to_string()),
        Just("洛政〔2021〕7号".to_string()),
        Just("各县（市、区）人民政府，市人民政府各部门：".to_string()),
        Just("一、总体要求".to_string()),
        Just("（一）健康促进行动".to_string()),
        Just("(二) 合理膳食行动".to_string()),
        Just("1. 推动防控机制常态化。".to_string()),
        Just("（1）开办食品生产小作坊".to_string()),
        Just("第一章 总 则".to_string()),
        Just("第三条 本办法所称".to_string()),
        Just("附件 1".to_string()),
        Just("附 件".to_string()),
        Just("附件：1. 名单".to_string()),
        Just("责任领导：王新伟".to_string()),
        Just("牵头单位：市发展改革委、市财政局".to_string()),
        Just("责任单位：市政府各部门，各县（市、区）".to_string()),
        Just("政府，开发区管委会".to_string()),
        Just("（市卫健委牵头，市教育局、市体育局按职责分工负责）".to_string()),
        Just("（责任单位：各县〔市、区〕政府，市农委、水利局，协办单位：".to_string()),
        Just("市水利局）".to_string()),
        Just("郑东新区、郑州高新区等开发区管委会".to_string()),
        Just("巩义市人民政府".to_string()),
        Just("考核依据\t序号\t指 标\t基期值\t2022 年目标值".to_string()),
        Just("\t2\t婴儿死亡率(‰)\t2.83\t≤4.1".to_string()),
        Just("**".to_string()),
        Just("（".to_string()),
        Just("）".to_string()),
        Just("等".to_string()),
        Just(String::new()),
        "[\\p{Han}（）()〔〕、，。：:0-9 ]{0,12}".prop_map(|s| s),
    ]
}

fn gazette_like() -> impl Strategy<Value = String> {
    prop::collection::vec(gazette_piece(), 0..60).prop_map(|pieces| pieces.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics_and_is_accounted(text in any::<String>()) {
        let issue = parse(&text);
        assert_accounted(&text, &issue);
    }

    #[test]
    fn gazette_like_noise_is_accounted(text in gazette_like()) {
        let issue = parse(&text);
        assert_accounted(&text, &issue);
    }

    #[test]
    fn any_slice_of_the_seed_is_accounted(start in 0usize..3172, len in 0usize..800) {
        let lines: Vec<&str> = SEED.lines().collect();
        let start = start.min(lines.len());
        let end = (start + len).min(lines.len());
        let text = lines[start..end].join("\n");
        let issue = parse(&text);
        assert_accounted(&text, &issue);
    }

    #[test]
    fn bytes_are_refused_exactly_when_not_utf8(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        match (parse_bytes(&bytes), std::str::from_utf8(&bytes)) {
            (Ok(issue), Ok(text)) => assert_accounted(text, &issue),
            (Err(GazetteError::InvalidUtf8 { offset }), Err(e)) => {
                prop_assert_eq!(offset, e.valid_up_to());
            }
            (got, want) => prop_assert!(false, "parse_bytes {:?} but from_utf8 {:?}", got.is_ok(), want.is_ok()),
        }
    }
}

#[test]
fn empty_and_degenerate_inputs() {
    for text in [
        "",
        "\n",
        "\n\n\n",
        "\u{FEFF}",
        "\r\n",
        "\t",
        "郑政办〔2020〕29号",
        "附件",
    ] {
        let issue = parse(text);
        assert_accounted(text, &issue);
    }
    assert!(parse("").front_matter.is_none());
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let mut bytes = "郑州市人民政府\n".as_bytes().to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(&[0xFF, 0xFE, b'a']);
    let err = parse_bytes(&bytes).unwrap_err();
    assert_eq!(err, GazetteError::InvalidUtf8 { offset });
    assert_eq!(err.code(), "E_UTF8");
    assert!(err.to_string().contains(&format!("第 {offset} 字节")));
}

#[test]
fn a_huge_line_and_binary_noise_are_handled() {
    let huge = "责任单位：市发展改革委、".repeat(50_000);
    let issue = parse(&huge);
    assert_accounted(&huge, &issue);
    let noise: String = (0u32..20_000)
        .map(|i| char::from_u32((i * 7919) % 0x2FFF).unwrap_or('?'))
        .collect();
    let issue = parse(&noise);
    assert_accounted(&noise, &issue);
    let long_owner_list = format!(
        "郑州市人民政府\n关于某事的通知\n郑政文〔2020〕1号 2020年5月15日\n1. 一项任务。\n责任领导：王新伟\n责任单位：{}市财政局",
        "市发展改革委、郑东新区、".repeat(20_000)
    );
    let issue = parse(&long_owner_list);
    assert_accounted(&long_owner_list, &issue);
    assert_eq!(issue.documents[0].tasks[0].units.len(), 40_001);
    let nested = format!(
        "郑州市人民政府\n关于某事的通知\n郑政文〔2020〕1号\n1. 任务。\n责任单位：{}市财政局{}",
        "市甲局（乙局、".repeat(5_000),
        "）".repeat(5_000)
    );
    assert_accounted(&nested, &parse(&nested));
    let parens = "（".repeat(10_000) + &"）".repeat(10_000);
    assert_accounted(&parens, &parse(&parens));
}

#[test]
fn the_seed_twice_gives_twice_the_documents() {
    let text = format!("{SEED}\n{SEED}");
    let issue = parse(&text);
    assert_eq!(issue.documents.len(), 34);
    assert_accounted(&text, &issue);
}
