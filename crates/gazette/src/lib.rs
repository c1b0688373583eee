//! The gazette reader (公报解析): gazette text in, documents, outline and extracted items out.
//!
//! Pure: `&str` in, values out; no I/O. See [`model`] for the output contract and
//! [`registry`] for the unit registry the reader resolves owner names against.
//!
//! ```
//! let issue = luoshi_gazette::parse("郑州市人民政府\n\n关于某事的通知\n\n郑政文〔2020〕1号 2020年5月15日\n\n正文。\n");
//! assert_eq!(issue.documents.len(), 1);
//! assert_eq!(issue.documents[0].doc_no, "郑政文〔2020〕1号");
//! assert_eq!(issue.documents[0].date.as_deref(), Some("2020-05-15"));
//! ```
//!
//! The reader runs in one pass over the lines: documents are anchored on their 文号 lines,
//! then each document's body is outlined once and every extractor reads that outline.
//!
//! Rooms, in the order the text flows through them:
//! - `lines` — what one line is (clause marker, 文号 line, issuer, owner key);
//! - `documents` — documents and their headers (issuer, 文号, date, title, kind, 主送, 附件);
//! - `repair` — paragraphs with page breaks repaired;
//! - `outline` — the clause tree and citation paths;
//! - `tasks` and `mentions` — tasks, actions and their owners, resolved by [`registry`];
//! - `indicators`, `targets`, `rosters`, `commendations` — the table, prose-target, roster
//!   and commendation readers; each gets the document's `(line number, text)` lines and its
//!   outline, and cites clauses through `cite::clause_path_at`.

#[allow(dead_code)]
// used by the extractors G2 writes (indicators, targets, rosters, commendations)
pub(crate) mod cite;
mod documents;
pub mod duties;
pub mod eval;
mod lines;
mod mentions;
pub mod model;
mod notes;
mod outline;
pub mod registry;
mod repair;
mod tasks;
pub(crate) mod text;

mod commendations;
mod indicators;
mod rosters;
mod targets;

pub use model::*;
pub use registry::{Registry, RegistryError, Resolution};
pub use tasks::deadlines as deadline_words;

/// Errors reading a gazette. Messages are Chinese; [`GazetteError::code`] is stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GazetteError {
    /// The bytes are not UTF-8 text; `offset` is the first invalid byte (0-based).
    #[error("输入不是有效的 UTF-8 文本：第 {offset} 字节处（从 0 起算）出现无效字节")]
    InvalidUtf8 { offset: usize },
}

impl GazetteError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            GazetteError::InvalidUtf8 { .. } => "E_UTF8",
        }
    }
}

/// Read a gazette issue from bytes: refuses bytes that are not UTF-8, naming the offset of the
/// first invalid byte. A leading byte-order mark is ignored.
pub fn parse_bytes(bytes: &[u8]) -> Result<Issue, GazetteError> {
    let text = std::str::from_utf8(bytes).map_err(|e| GazetteError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })?;
    Ok(parse(text))
}

/// Read a gazette issue with the bundled (Zhengzhou) unit registry.
pub fn parse(text: &str) -> Issue {
    parse_with(text, Registry::bundled_ref())
}

/// Read a gazette issue, resolving unit names against `registry`.
pub fn parse_with(text: &str, registry: &Registry) -> Issue {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text::split_lines(text);
    // Page numbers and running headers left by PDF extraction read as blank lines.
    text::blank_page_furniture(&mut lines);
    let headers = documents::split_with(
        &lines,
        &text::lines_containing(text, &lines, &["号"]),
        &text::lines_containing(text, &lines, &["附"]),
    );
    let front_matter = match headers.first() {
        Some(h) if h.span.first_line > 1 => Some(Span {
            first_line: 1,
            last_line: h.span.first_line - 1,
        }),
        Some(_) => None,
        None if lines.is_empty() => None,
        None => Some(Span {
            first_line: 1,
            last_line: lines.len(),
        }),
    };
    let flags = LineFlags {
        year: text::lines_containing(text, &lines, &["年"]),
        colon: text::lines_containing(text, &lines, &[":", "：", "\t"]),
    };
    let documents = read_documents(text, &lines, &flags, headers, registry);
    Issue {
        front_matter,
        documents,
    }
}

/// Below this many bytes an issue is read on one thread: starting threads would cost more.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Read every document, on as many threads as the machine has when the issue is large: each
/// thread takes a run of consecutive documents of about equal size, and the runs are joined
/// in order, so the result is the same as reading them one after another.
fn read_documents(
    text: &str,
    lines: &[&str],
    flags: &LineFlags,
    headers: Vec<documents::Header>,
    registry: &Registry,
) -> Vec<Document> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(headers.len());
    if threads <= 1 || text.len() < PARALLEL_FROM_BYTES {
        return headers
            .into_iter()
            .map(|h| read_document(text, lines, flags, h, registry))
            .collect();
    }
    // Runs of consecutive documents, cut where the text read so far passes k/threads.
    let share = lines.len().div_ceil(threads);
    let mut runs: Vec<Vec<documents::Header>> = (0..threads).map(|_| Vec::new()).collect();
    for h in headers {
        let run = ((h.span.first_line.saturating_sub(1)) / share.max(1)).min(threads - 1);
        runs[run].push(h);
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = runs
            .into_iter()
            .map(|run| {
                scope.spawn(move || {
                    run.into_iter()
                        .map(|h| read_document(text, lines, flags, h, registry))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Facts about each line of the issue found by whole-text searches (one flag per line), so
/// the readers need not search every line themselves.
struct LineFlags {
    /// The line holds 年 (a time anchor may stand there; see `targets`).
    year: Vec<bool>,
    /// The line holds `:`, `：` or a tab (a roster label may stand there; see `rosters`).
    colon: Vec<bool>,
}

/// The stretch of `text` that `lines` (consecutive lines of `text`) cover, line breaks
/// included: one scan over it replaces one scan per line.
fn source_of<'a>(text: &'a str, lines: &[&str]) -> &'a str {
    let offset = |line: &str| line.as_ptr() as usize - text.as_ptr() as usize;
    match (lines.first(), lines.last()) {
        (Some(first), Some(last)) => &text[offset(first)..offset(last) + last.len()],
        _ => "",
    }
}

/// Read one document: outline its body, then run every extractor on it. `lines` are the
/// lines of `text`.
fn read_document(
    text: &str,
    lines: &[&str],
    flags: &LineFlags,
    header: documents::Header,
    registry: &Registry,
) -> Document {
    let first = header.span.first_line - 1;
    let last = header.span.last_line; // exclusive, 0-based
    let doc_lines: Vec<(usize, &str)> = (first..last).map(|i| (i + 1, lines[i])).collect();
    let body_from = header.body_start - first;
    let not_markers: Vec<usize> = header.attachment_lines.iter().map(|i| i + 1).collect();
    let (outline, infos) = outline::build(&doc_lines[body_from..], &not_markers);
    let extracted = tasks::extract(&outline, &infos, registry);
    // An indicator table needs a header row of tab-separated cells (序号, 指标, 目标值): a
    // document without a tab cannot hold one, so the table reader is skipped there.
    let indicators = if source_of(text, &lines[first..last]).contains('\t') {
        indicators::extract(&doc_lines, &outline)
    } else {
        Vec::new()
    };
    let with_year = &flags.year[first..last];
    let targets = targets::extract_with(&doc_lines, with_year, &outline);
    let with_colon = &flags.colon[first..last];
    let rosters = rosters::extract_with(&doc_lines, with_colon, &outline);
    let commendations = commendations::extract(&doc_lines, &outline, registry);
    let mut unresolved = extracted.unresolved;
    if header.kind.is_empty() {
        unresolved.push(Unresolved {
            kind: "text".into(),
            text: format!("{}：未识别文种（标题：{}）", header.doc_no, header.title),
            clause: String::new(),
            span: header.span,
        });
    }
    if header.date.is_none() {
        unresolved.push(Unresolved {
            kind: "text".into(),
            text: format!("{}：未找到成文日期", header.doc_no),
            clause: String::new(),
            span: header.span,
        });
    }
    Document {
        doc_no: header.doc_no,
        issuer: header.issuer,
        date: header.date,
        title: header.title,
        kind: header.kind,
        recipients: header.recipients,
        attachments: header.attachments,
        span: header.span,
        outline,
        tasks: extracted.tasks,
        actions: extracted.actions,
        indicators,
        targets,
        rosters,
        commendations,
        unresolved,
    }
}
