//! Full-text search over clauses that works for Chinese (全文检索).
//!
//! Chinese has no spaces between words, so instead of a word segmenter the store indexes
//! character unigrams and bigrams of every run of CJK characters (and lower-cased ASCII words).
//! A query matches a clause when every bigram of the query occurs in it. SQLite keeps the
//! grams in an FTS5 table; PostgreSQL in a `tsvector` built with `array_to_tsvector`, so no
//! locale-dependent parser touches them. Both rank by their engine's relevance.

use crate::sql::{Conn, Dialect};
use crate::{Result, SearchHit};
use std::collections::BTreeSet;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Runs of CJK characters and ASCII alphanumeric words.
fn runs(text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let class = if is_cjk(c) {
            Some(true)
        } else if c.is_ascii_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (class, out.last_mut()) {
            (Some(k), Some((last, s))) if *last == k && !s.is_empty() => {
                s.push(c.to_ascii_lowercase())
            }
            (Some(k), _) => out.push((k, c.to_ascii_lowercase().to_string())),
            (None, Some((_, s))) if !s.is_empty() => out.push((false, String::new())),
            (None, _) => {}
        }
    }
    out.retain(|(_, s)| !s.is_empty());
    out
}

/// The grams indexed for a text: unigrams and bigrams of CJK runs, ASCII words.
pub fn index_grams(text: &str) -> BTreeSet<String> {
    let mut grams = BTreeSet::new();
    for (cjk, run) in runs(text) {
        if !cjk {
            grams.insert(run);
            continue;
        }
        let chars: Vec<char> = run.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            grams.insert(c.to_string());
            if let Some(d) = chars.get(i + 1) {
                grams.insert(format!("{c}{d}"));
            }
        }
    }
    grams
}

/// The grams a query must all match: bigrams of CJK runs (a unigram for a one-character run),
/// ASCII words.
pub fn query_grams(query: &str) -> BTreeSet<String> {
    let mut grams = BTreeSet::new();
    for (cjk, run) in runs(query) {
        let chars: Vec<char> = run.chars().collect();
        if !cjk || chars.len() == 1 {
            grams.insert(run);
        } else {
            for w in chars.windows(2) {
                grams.insert(w.iter().collect());
            }
        }
    }
    grams
}

fn joined(grams: &BTreeSet<String>) -> String {
    grams
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Index a clause's text.
pub fn index_clause(c: &mut dyn Conn, clause_id: i64, text: &str) -> Result<()> {
    let grams = joined(&index_grams(text));
    if grams.is_empty() {
        return Ok(());
    }
    match c.dialect() {
        Dialect::Sqlite => c.execute(
            "INSERT INTO clause_fts (rowid, grams) VALUES ($1, $2)",
            &[clause_id.into(), grams.into()],
        )?,
        Dialect::Postgres => c.execute(
            "UPDATE clauses SET search = array_to_tsvector(string_to_array($2, ' ')) WHERE id = $1",
            &[clause_id.into(), grams.into()],
        )?,
    };
    Ok(())
}

/// How far a snippet's window may widen to keep a number or an address whole.
const MAX_WIDEN: usize = 40;

/// A snippet of `text` around the first occurrence of the query's first gram.
fn snippet(text: &str, query: &str) -> String {
    let first = query_grams(query).into_iter().next().unwrap_or_default();
    let chars: Vec<char> = text.chars().collect();
    let pos = text
        .find(&first)
        .map(|b| text[..b].chars().count())
        .unwrap_or(0);
    // The window never cuts a number or an address in two, so that masking downstream sees
    // each whole (a cut ID number would read as a shorter, harmless number).
    let joined = |c: char| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_' | '+');
    let mut start = pos.saturating_sub(30);
    let floor = start.saturating_sub(MAX_WIDEN);
    while start > floor && joined(chars[start - 1]) && joined(chars[start]) {
        start -= 1;
    }
    let mut end = (pos + 60).min(chars.len());
    let ceiling = (end + MAX_WIDEN).min(chars.len());
    while end < ceiling && end > 0 && joined(chars[end - 1]) && joined(chars[end]) {
        end += 1;
    }
    let mut s: String = chars[start..end].iter().collect();
    if start > 0 {
        s.insert(0, '…');
    }
    if end < chars.len() {
        s.push('…');
    }
    s
}

/// Search clauses; at most `limit` hits, best first. An empty query finds nothing.
pub fn search(c: &mut dyn Conn, query: &str, limit: i64) -> Result<Vec<SearchHit>> {
    let grams = query_grams(query);
    if grams.is_empty() {
        return Ok(Vec::new());
    }
    let rows = match c.dialect() {
        Dialect::Sqlite => {
            let fts_query = grams
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect::<Vec<_>>()
                .join(" AND ");
            c.query(
                "SELECT k.document_id, d.doc_no, d.title, k.ord, k.path, k.heading, k.text, \
                 k.first_line FROM clause_fts f JOIN clauses k ON k.id = f.rowid \
                 JOIN documents d ON d.id = k.document_id \
                 WHERE clause_fts MATCH $1 ORDER BY f.rank LIMIT $2",
                &[fts_query.into(), limit.into()],
            )?
        }
        Dialect::Postgres => {
            let ts_query = grams
                .iter()
                .map(|g| format!("'{}'", g.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(" & ");
            c.query(
                "SELECT k.document_id, d.doc_no, d.title, k.ord, k.path, k.heading, k.text, \
                 k.first_line FROM clauses k JOIN documents d ON d.id = k.document_id \
                 WHERE k.search @@ $1::tsquery \
                 ORDER BY ts_rank(k.search, $1::tsquery) DESC, k.id LIMIT $2",
                &[ts_query.into(), limit.into()],
            )?
        }
    };
    rows.iter()
        .map(|r| {
            let (heading, body) = (r.text("heading")?, r.text("text")?);
            let text = if body.starts_with(&heading) {
                body
            } else {
                format!("{heading} {body}")
            };
            Ok(SearchHit {
                document_id: r.i64("document_id")?,
                doc_no: r.text("doc_no")?,
                title: r.text("title")?,
                clause_ord: r.i64("ord")?,
                path: r.text("path")?,
                snippet: snippet(&text, query),
                first_line: r.i64("first_line")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_keeps_numbers_and_addresses_whole() {
        let text = format!(
            "{}手机13812345678，{}{}邮箱wangmou@zz.gov.cn。",
            "一".repeat(18),
            "三".repeat(22),
            "二".repeat(50)
        );
        let s = snippet(&text, "二二");
        // The window would start inside the phone number and end inside the address.
        assert!(s.starts_with("…13812345678，"), "{s}");
        assert!(s.ends_with("wangmou@zz.gov.cn…"), "{s}");
    }

    #[test]
    fn grams_cover_unigrams_and_bigrams_of_cjk_runs() {
        let g = index_grams("疫情防控，5G基站");
        for want in ["疫", "疫情", "情防", "防控", "5g", "基站"] {
            assert!(g.contains(want), "{want} missing from {g:?}");
        }
        assert!(
            !g.contains("控5"),
            "grams must not cross a punctuation or script boundary"
        );
    }

    #[test]
    fn query_grams_are_bigrams_or_a_single_character() {
        assert_eq!(
            query_grams("疫情防控").into_iter().collect::<Vec<_>>(),
            vec!["情防", "疫情", "防控"]
        );
        assert_eq!(
            query_grams("郑").into_iter().collect::<Vec<_>>(),
            vec!["郑"]
        );
        assert!(query_grams("，。 ").is_empty());
    }
}
