//! Shared helpers for G2's golden tests: the seed gazette and its documents by 文号.

use luoshi_gazette::{Document, Issue};

/// The seed issue (郑州市人民政府公报 2020), as committed in the repository.
pub const SEED: &str = include_str!("../../../../data/gazette/zhengzhou-2020-gazette.txt");

pub fn seed() -> Issue {
    luoshi_gazette::parse(SEED)
}

/// The document with this 文号; panics with the list of numbers when it is missing.
pub fn doc<'a>(issue: &'a Issue, doc_no: &str) -> &'a Document {
    issue
        .documents
        .iter()
        .find(|d| d.doc_no == doc_no)
        .unwrap_or_else(|| {
            let all: Vec<&str> = issue.documents.iter().map(|d| d.doc_no.as_str()).collect();
            panic!("{doc_no} not found among {all:?}")
        })
}
