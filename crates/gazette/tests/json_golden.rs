//! The bundled issue's JSON, byte for byte: `tests/golden/zhengzhou-2020-gazette.json` is what
//! `luoshi gazette parse` printed for it before the reader was made faster (main at cbfebbd,
//! serde_json's pretty writer after a whole-issue parse). Both ways of writing it — the
//! streaming [`parse_to_json`] and serde_json over [`parse`] — must still print those bytes.
//! When the reader deliberately reads the issue differently, regenerate the file with
//! `luoshi gazette parse data/gazette/zhengzhou-2020-gazette.txt` and review the diff.

use luoshi_gazette::{parse, parse_to_json, Registry};

const SEED: &str = include_str!("../../../data/gazette/zhengzhou-2020-gazette.txt");
const GOLDEN: &str = include_str!("golden/zhengzhou-2020-gazette.json");

fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(a.lines().count().min(b.lines().count()));
    format!(
        "first difference at line {}: {:?} vs {:?}",
        at + 1,
        a.lines().nth(at),
        b.lines().nth(at)
    )
}

#[test]
fn the_streaming_writer_prints_the_golden_bytes() {
    let mut out = Vec::new();
    parse_to_json(SEED, &Registry::bundled(), &mut out).unwrap();
    out.push(b'\n');
    let out = String::from_utf8(out).unwrap();
    assert!(out == GOLDEN, "{}", first_difference(&out, GOLDEN));
}

#[test]
fn serde_json_over_the_parsed_issue_prints_the_golden_bytes() {
    let out = serde_json::to_string_pretty(&parse(SEED)).unwrap() + "\n";
    assert!(out == GOLDEN, "{}", first_difference(&out, GOLDEN));
}

#[test]
fn many_copies_written_by_every_core_are_what_serde_json_writes() {
    // Above the size where batches of documents are read and written on several threads.
    let mut big = String::new();
    while big.len() < 3 << 20 {
        big.push_str(SEED);
        big.push('\n');
    }
    let mut out = Vec::new();
    parse_to_json(&big, &Registry::bundled(), &mut out).unwrap();
    let expected = serde_json::to_string_pretty(&parse(&big)).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out == expected, "{}", first_difference(&out, &expected));
}

#[test]
fn an_issue_without_documents_is_written_as_serde_json_writes_it() {
    for text in ["", "只有一行。\n", "\u{FEFF}前言\n\n第二行\n"] {
        let mut out = Vec::new();
        parse_to_json(text, &Registry::bundled(), &mut out).unwrap();
        let expected = serde_json::to_string_pretty(&parse(text)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
