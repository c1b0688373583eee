//! The scored evaluation (`crates/gazette/eval/`) as a test: the reader must keep reading the
//! held-out documents (never tuned on) and the tuning documents at ≥ 95% precision and recall
//! over all fields. The figures themselves are printed by `luoshi gazette eval`.

use luoshi_gazette::eval::{score, Expected, Scores};
use luoshi_gazette::Registry;
use std::path::Path;

fn scores(folder: &str) -> Scores {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("eval")
        .join(folder);
    let registry = Registry::bundled_named("guowuyuan").expect("bundled registry");
    let mut total = Scores::default();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("eval folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for file in files {
        let expected = Expected::from_toml_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let text = std::fs::read_to_string(dir.join(&expected.text)).unwrap();
        let s = score(&expected, &luoshi_gazette::parse_with(&text, &registry));
        total.add(&s);
    }
    total
}

fn check(folder: &str, documents: usize) {
    let s = scores(folder);
    assert!(
        s.documents >= documents,
        "{folder}: {} documents",
        s.documents
    );
    let all = s.total();
    assert!(
        all.precision() >= 0.95 && all.recall() >= 0.95,
        "{folder}:\n{}",
        s.report()
    );
}

#[test]
fn held_out_documents_are_read_at_95_percent() {
    check("heldout", 8);
}

#[test]
fn tuning_documents_are_read_at_95_percent() {
    check("tuning", 8);
}
