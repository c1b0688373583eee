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
//! - `scan` — the issue's lines, page furniture blanked, and per-line flags, in chunks on
//!   every core;
//! - `lines` — what one line is (clause marker, 文号 line, issuer, owner key);
//! - `documents` — documents and their headers (issuer, 文号, date, title, kind, 主送, 附件);
//! - `repair` — paragraphs with page breaks repaired;
//! - `outline` — the clause tree and citation paths;
//! - `tasks` and `mentions` — tasks, actions and their owners, resolved by [`registry`];
//! - `indicators`, `targets`, `rosters`, `commendations` — the table, prose-target, roster
//!   and commendation readers; each gets the document's `(line number, text)` lines and its
//!   outline, and cites clauses through `cite::clause_path_at`;
//! - [`json`] — the output contract written as pretty JSON, document by document
//!   ([`parse_to_json`]).

#[allow(dead_code)]
// used by the extractors G2 writes (indicators, targets, rosters, commendations)
pub(crate) mod cite;
mod documents;
pub mod duties;
pub mod eval;
pub mod json;
mod lines;
mod mentions;
pub mod model;
mod notes;
mod outline;
pub mod registry;
mod repair;
mod tasks;
pub(crate) mod text;
mod words;

mod commendations;
mod indicators;
mod rosters;
mod scan;
#[cfg(target_arch = "x86_64")]
mod simd;
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
    let mut read = Prepared::of(text);
    let mut runs = read.take_runs().into_iter();
    let head = runs.next().unwrap_or_default();
    let read = &read;
    let documents = std::thread::scope(|scope| {
        let workers: Vec<_> = runs
            .map(|run| scope.spawn(move || read.documents(run, registry).collect::<Vec<_>>()))
            .collect();
        let mut documents: Vec<Document> = read.documents(head, registry).collect();
        for w in workers {
            documents.extend(w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        documents
    });
    Issue {
        front_matter: read.front_matter,
        documents,
    }
}

/// Read a gazette issue and write it to `out` as pretty JSON: byte for byte what
/// `serde_json::to_writer_pretty(out, &parse_with(text, registry))` writes, but each document
/// is written as soon as it is read, then dropped.
///
/// On a large issue the documents are cut into batches of consecutive documents
/// (about 384 KB of text each); worker threads, one per core, take the next batch in turn
/// and write its documents into a buffer, and this thread writes the buffers to `out` in
/// order and hands them back for reuse: every core reads, the memory in use stays a few
/// batches, and the output starts before the last document is read.
pub fn parse_to_json(
    text: &str,
    registry: &Registry,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{mpsc, Mutex};
    let mut read = Prepared::of(text);
    let mut buf = b"{\n  \"front_matter\": ".to_vec();
    json::write_pretty(&read.front_matter, &mut buf, 1)?;
    let headers = std::mem::take(&mut read.headers);
    if headers.is_empty() {
        buf.extend_from_slice(b",\n  \"documents\": []\n}");
        return out.write_all(&buf);
    }
    buf.extend_from_slice(b",\n  \"documents\": [\n");
    out.write_all(&buf)?;
    let read = &read;
    // A batch's documents as they are nested in the issue, each after `,\n` but the first.
    let write_batch = |batch: Vec<documents::Header>, first: bool, buf: &mut Vec<u8>| {
        for (i, document) in read.documents(batch, registry).enumerate() {
            if i > 0 || !first {
                buf.extend_from_slice(b",\n");
            }
            buf.extend_from_slice(b"    ");
            json::write_pretty(&document, buf, 2)?;
        }
        std::io::Result::Ok(())
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || read.text.len() < PARALLEL_FROM_BYTES {
        for (i, header) in headers.into_iter().enumerate() {
            buf.clear();
            write_batch(vec![header], i == 0, &mut buf)?;
            out.write_all(&buf)?;
        }
        return out.write_all(b"\n  ]\n}");
    }
    let batches: Vec<Mutex<Vec<documents::Header>>> =
        read.batches(headers).into_iter().map(Mutex::new).collect();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (done_tx, done_rx) = mpsc::channel::<(usize, std::io::Result<Vec<u8>>)>();
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    let free_rx = Mutex::new(free_rx);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(batches.len()) {
            let done_tx = done_tx.clone();
            let (batches, next, stop, free_rx) = (&batches, &next, &stop, &free_rx);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= batches.len() || stop.load(Ordering::Relaxed) {
                    return;
                }
                let batch =
                    std::mem::take(&mut *batches[i].lock().unwrap_or_else(|e| e.into_inner()));
                let reused = free_rx.lock().ok().and_then(|rx| rx.try_recv().ok());
                let mut buf = reused.unwrap_or_default();
                buf.clear();
                // A batch's JSON is about four times its text: room for it at once, rather
                // than a copy at each doubling.
                buf.reserve(JSON_PER_BATCH);
                let written = write_batch(batch, i == 0, &mut buf).map(|()| buf);
                if done_tx.send((i, written)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        // Write the batches in order as they come; a failure stops the workers.
        let mut waiting = std::collections::BTreeMap::new();
        let mut expected = 0;
        let result = (|| {
            for (i, written) in &done_rx {
                waiting.insert(i, written);
                while let Some(written) = waiting.remove(&expected) {
                    let buf = written?;
                    out.write_all(&buf)?;
                    let _ = free_tx.send(buf);
                    expected += 1;
                }
            }
            out.write_all(b"\n  ]\n}")
        })();
        stop.store(true, Ordering::Relaxed);
        result
    })
}

/// Text per batch of documents in [`parse_to_json`] (its JSON is about four times as long).
/// A batch's JSON (≈ 1.5 MB) is more than the 1 MiB `BufWriter` that `luoshi gazette parse`
/// writes through, which then hands it to stdout without copying it into its own buffer; at
/// 256 KB of text most batches were copied there (2.3% of the process's instructions).
const BATCH_BYTES: usize = 384 << 10;

/// Room made for a batch's JSON before it is written.
const JSON_PER_BATCH: usize = 5 * BATCH_BYTES;

/// Below this many bytes an issue is read on one thread: starting threads would cost more.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// What one pass over the whole issue finds before its documents are read: the lines, the
/// documents' headers and the per-line flags.
struct Prepared<'t> {
    text: &'t str,
    lines: Vec<&'t str>,
    flags: LineFlags,
    headers: Vec<documents::Header>,
    front_matter: Option<Span>,
}

impl<'t> Prepared<'t> {
    fn of(text: &'t str) -> Prepared<'t> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        // On a large issue the lines and their flags are found on every core.
        let chunks = if text.len() < PARALLEL_FROM_BYTES {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        };
        let scan::Scan {
            lines,
            year,
            colon,
            hao,
            fu,
        } = scan::scan(text, chunks);
        let headers = documents::split_with(&lines, &hao, &fu);
        let flags = LineFlags { year, colon };
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
        Prepared {
            text,
            lines,
            flags,
            headers,
            front_matter,
        }
    }

    /// The headers in runs of consecutive documents, one run per thread: on one thread when the
    /// issue is small, else cut where the lines read so far pass k/threads. Reading the runs one
    /// after another gives the same documents as reading the headers in order.
    fn take_runs(&mut self) -> Vec<Vec<documents::Header>> {
        let headers = std::mem::take(&mut self.headers);
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(headers.len());
        if threads <= 1 || self.text.len() < PARALLEL_FROM_BYTES {
            return vec![headers];
        }
        let share = self.lines.len().div_ceil(threads).max(1);
        let mut runs: Vec<Vec<documents::Header>> = (0..threads).map(|_| Vec::new()).collect();
        for h in headers {
            let run = (h.span.first_line.saturating_sub(1) / share).min(threads - 1);
            runs[run].push(h);
        }
        runs
    }

    /// The documents of a run, each read when the iterator reaches it.
    fn documents<'s>(
        &'s self,
        run: Vec<documents::Header>,
        registry: &'s Registry,
    ) -> impl Iterator<Item = Document> + 's {
        run.into_iter()
            .map(move |h| read_document(self.text, &self.lines, &self.flags, h, registry))
    }

    /// The headers in batches of consecutive documents of about [`BATCH_BYTES`] of text each.
    fn batches(&self, headers: Vec<documents::Header>) -> Vec<Vec<documents::Header>> {
        let mut batches = Vec::new();
        let mut batch = Vec::new();
        let mut bytes = 0;
        for h in headers {
            bytes += source_of(
                self.text,
                &self.lines[h.span.first_line - 1..h.span.last_line],
            )
            .len();
            batch.push(h);
            if bytes >= BATCH_BYTES {
                batches.push(std::mem::take(&mut batch));
                bytes = 0;
            }
        }
        if !batch.is_empty() {
            batches.push(batch);
        }
        batches
    }
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
    // A tab marks a table row: a document without one has its lines read without searching
    // each for a tab, and no indicator table (its header row is tab-separated cells: 序号,
    // 指标, 目标值), so the table reader is skipped there.
    let source = source_of(text, &lines[first..last]).as_bytes();
    let tabs = memchr::memchr(b'\t', source).is_some();
    let (outline, infos) = outline::build(&doc_lines[body_from..], &not_markers, tabs);
    let table_lines: &[(usize, &str)] = if tabs { &doc_lines } else { &[] };
    let extracted = tasks::extract(&outline, &infos, registry, table_lines);
    let indicators = if tabs {
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
