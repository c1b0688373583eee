//! 批量求值 (batch evaluation): many inputs of one rule, as JSON Lines or CSV, one output line per
//! input line — the compact line by default, the whole decision with `Style::Full`.
//!
//! The caller (the command line) reads the input in chunks of whole lines and hands each chunk to
//! [`Batch::feed`]; the output for the chunk is appended to a buffer the caller writes. Nothing
//! here does I/O. A line that cannot be decided becomes an error record
//! `{"line":N,"error":{"code":"E_…","message":"…"}}` and the batch goes on.
//!
//! CSV: the first line is the header, naming the rule's input fields (any order, each at most
//! once; the same names as the JSON fields). One record per line (a field may be quoted, but may
//! not contain a line break). A cell is typed by its field's documented type: `bool` fields take
//! `true`/`false`, integer fields digits, every other field is text; an empty cell leaves the
//! field out (its default, or a “missing field” error). Each row then goes through exactly the
//! JSON path, so values and error messages are the same in both formats.
//!
//! `talent-subsidy` in the compact style takes the columnar path ([`crate::talent_columns`]),
//! which decides whole blocks of applicants at a time on every core and writes byte-identical
//! lines (a property test compares it with this row-by-row path).

use crate::registry::{find, Field, RuleInfo};
use crate::{Engine, RuleError, Style};
use std::path::Path;

/// The input format of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line.
    JsonLines,
    /// A header line of field names, then one record per line.
    Csv,
}

impl InputFormat {
    /// `jsonl`/`json`/`ndjson` or `csv` (case-insensitive).
    pub fn parse(name: &str) -> Option<InputFormat> {
        match name.to_ascii_lowercase().as_str() {
            "jsonl" | "json" | "ndjson" | "jsonlines" => Some(InputFormat::JsonLines),
            "csv" => Some(InputFormat::Csv),
            _ => None,
        }
    }

    /// From a file name's extension; JSON Lines when there is none or it is unknown.
    pub fn from_path(path: &Path) -> InputFormat {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(InputFormat::parse)
            .unwrap_or(InputFormat::JsonLines)
    }
}

/// Append an error record for input line `line`.
pub fn error_record(out: &mut Vec<u8>, line: u64, code: &str, message: &str) {
    let record = serde_json::json!({"line": line, "error": {"code": code, "message": message}});
    serde_json::to_writer(&mut *out, &record).expect("json value serializes");
}

/// A line without its line break (`\n` or `\r\n`).
pub fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// How a CSV cell becomes a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellType {
    Bool,
    Integer,
    /// A list or record (`array`, `object`): the cell holds it as JSON text.
    Json,
    Text,
}

impl CellType {
    fn of(field: &Field) -> CellType {
        if field.ty == "bool" {
            CellType::Bool
        } else if field.ty.contains("整数") {
            CellType::Integer
        } else if matches!(field.ty, "array" | "object") {
            CellType::Json
        } else {
            CellType::Text
        }
    }
}

/// The columns of a CSV batch: for each column, the input field it fills.
#[derive(Debug, Clone)]
pub struct CsvHeader {
    pub fields: Vec<&'static Field>,
}

impl CsvHeader {
    /// Read a header line (a UTF-8 byte-order mark is skipped). Unknown, duplicate or empty
    /// column names are errors: a column that fills no field would be silently dropped.
    pub fn parse(rule: &RuleInfo, line: &[u8]) -> Result<CsvHeader, RuleError> {
        let line = trim_line_end(line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line));
        let text = std::str::from_utf8(line)
            .map_err(|_| RuleError::Json("CSV 表头不是有效的 UTF-8 文本".into()))?;
        let mut cells = Vec::new();
        split_csv(text.as_bytes(), &mut cells)
            .ok_or_else(|| RuleError::Json("CSV 表头格式错误".into()))?;
        let mut fields: Vec<&'static Field> = Vec::with_capacity(cells.len());
        for cell in &cells {
            let name = cell.trim();
            let field = rule
                .input
                .iter()
                .find(|f| f.name == name)
                .ok_or_else(|| RuleError::UnknownField(format!("{name}（CSV 表头）")))?;
            if fields.iter().any(|f| f.name == name) {
                return Err(RuleError::bad_value(name, "CSV 表头中重复出现"));
            }
            fields.push(field);
        }
        Ok(CsvHeader { fields })
    }

    /// The JSON object of one CSV record, for the rule's JSON path.
    pub fn row_to_json(&self, line: &[u8], cells: &mut Vec<String>) -> Result<String, RuleError> {
        split_csv(line, cells)
            .ok_or_else(|| RuleError::Json("CSV 该行不是有效的 UTF-8 文本".into()))?;
        if cells.len() != self.fields.len() {
            return Err(RuleError::Json(format!(
                "CSV 该行有{}个字段，表头有{}个",
                cells.len(),
                self.fields.len()
            )));
        }
        Ok(object_from_cells(
            self.fields
                .iter()
                .copied()
                .zip(cells.iter().map(String::as_str)),
        ))
    }
}

/// The JSON object of named text cells (a CSV record, a submitted web form), for the rule's
/// JSON path: each cell typed by its field's documented type ([`CellType`]), an empty cell
/// left out (its default, or a “missing field” error).
pub fn object_from_cells<'a>(cells: impl IntoIterator<Item = (&'a Field, &'a str)>) -> String {
    let mut map = serde_json::Map::new();
    for (field, cell) in cells {
        if cell.is_empty() {
            continue;
        }
        let value = match (CellType::of(field), cell) {
            (CellType::Bool, "true") => serde_json::Value::Bool(true),
            (CellType::Bool, "false") => serde_json::Value::Bool(false),
            (CellType::Integer, digits)
                if digits
                    .strip_prefix('-')
                    .unwrap_or(digits)
                    .bytes()
                    .all(|b| b.is_ascii_digit()) =>
            {
                match serde_json::from_str(digits) {
                    Ok(n) => n,
                    Err(_) => serde_json::Value::String(digits.to_string()),
                }
            }
            // Text that is not JSON stays text: the rule refuses it with E_FIELD_TYPE.
            (CellType::Json, text) => serde_json::from_str(text)
                .unwrap_or_else(|_| serde_json::Value::String(text.to_string())),
            (_, text) => serde_json::Value::String(text.to_string()),
        };
        map.insert(field.name.to_string(), value);
    }
    serde_json::Value::Object(map).to_string()
}

/// Split one CSV record (RFC 4180 quoting, no line breaks inside) into `cells` with `csv_core`;
/// `None` when a cell is not UTF-8.
fn split_csv(line: &[u8], cells: &mut Vec<String>) -> Option<()> {
    thread_local! {
        // Building a reader builds its state machine: once per thread, reset per record.
        static READER: std::cell::RefCell<csv_core::Reader> =
            std::cell::RefCell::new(csv_core::Reader::new());
    }
    READER.with(|r| {
        let mut reader = r.borrow_mut();
        reader.reset();
        split_with(&mut reader, line, cells)
    })
}

fn split_with(reader: &mut csv_core::Reader, line: &[u8], cells: &mut Vec<String>) -> Option<()> {
    use csv_core::ReadRecordResult as R;
    cells.clear();
    let mut output = vec![0u8; line.len() + 1];
    let mut ends = vec![0usize; line.len() + 2];
    let (mut read, mut written, mut fields) = (0, 0, 0);
    loop {
        let (result, r, w, e) =
            reader.read_record(&line[read..], &mut output[written..], &mut ends[fields..]);
        read += r;
        written += w;
        fields += e;
        match result {
            // The next call, with no input left, tells the reader the record is over.
            R::InputEmpty => continue,
            R::Record | R::End => break,
            R::OutputFull | R::OutputEndsFull => return None,
        }
    }
    let mut start = 0;
    for &end in &ends[..fields] {
        cells.push(std::str::from_utf8(&output[start..end]).ok()?.to_string());
        start = end;
    }
    if fields == 0 {
        cells.push(String::new());
    }
    Some(())
}

/// Counts of a batch so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Input lines read (for CSV including the header).
    pub lines: u64,
    /// Lines decided.
    pub ok: u64,
    /// Lines answered with an error record.
    pub bad: u64,
}

/// One batch of one rule.
pub struct Batch<'e> {
    engine: &'e Engine,
    rule: &'static RuleInfo,
    format: InputFormat,
    style: Style,
    header: Option<CsvHeader>,
    columnar: bool,
    counts: Counts,
    /// The output of the last chunk, one buffer per part (reused from chunk to chunk).
    outs: Vec<Vec<u8>>,
    /// The columnar path's working memory, one per thread (reused from chunk to chunk).
    scratch: Vec<crate::talent_columns::Scratch>,
}

impl<'e> Batch<'e> {
    pub fn new(
        engine: &'e Engine,
        name: &str,
        format: InputFormat,
        style: Style,
    ) -> Result<Batch<'e>, RuleError> {
        let rule = find(name).ok_or_else(|| RuleError::UnknownRule(name.to_string()))?;
        Ok(Batch {
            engine,
            rule,
            format,
            style,
            header: None,
            columnar: rule.name == "talent-subsidy" && style == Style::Compact,
            counts: Counts::default(),
            outs: Vec::new(),
            scratch: Vec::new(),
        })
    }

    /// Decide every line one at a time, even where the columnar path applies (for comparison).
    pub fn row_by_row(mut self) -> Self {
        self.columnar = false;
        self
    }

    /// Whether the columnar path is in use.
    pub fn is_columnar(&self) -> bool {
        self.columnar
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Evaluate a chunk of whole lines (each ending in a line break, except perhaps the last line
    /// of the input), appending one output line per input line to `out`; a CSV header line
    /// produces none. A bad CSV header is an error and nothing is appended.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), RuleError> {
        for part in self.feed_parts(chunk)? {
            out.extend_from_slice(part);
        }
        Ok(())
    }

    /// Like [`Batch::feed`], but the output stays in buffers the batch keeps and reuses: write
    /// the returned parts in order. Saves a copy of the output at volume.
    pub fn feed_parts(&mut self, chunk: &[u8]) -> Result<&[Vec<u8>], RuleError> {
        let mut outs = std::mem::take(&mut self.outs);
        let result = self.feed_into(chunk, &mut outs);
        self.outs = outs;
        result.map(|_| self.outs.as_slice())
    }

    /// Like [`Batch::feed_parts`], into the caller's buffers (cleared, one per part, in order) —
    /// so a caller can hand them to a writer thread while the next chunk is decided.
    pub fn feed_into(&mut self, chunk: &[u8], outs: &mut Vec<Vec<u8>>) -> Result<(), RuleError> {
        let mut body = chunk;
        if self.format == InputFormat::Csv && self.header.is_none() && !chunk.is_empty() {
            let end = memchr::memchr(b'\n', chunk).map_or(chunk.len(), |i| i + 1);
            self.header = Some(CsvHeader::parse(self.rule, &chunk[..end])?);
            self.counts.lines += 1;
            body = &chunk[end..];
        }
        let first_line = self.counts.lines + 1;
        let counts = if body.is_empty() {
            outs.clear();
            Counts::default()
        } else if self.columnar {
            let mut scratch = std::mem::take(&mut self.scratch);
            let row =
                |line: &[u8], line_no: u64, out: &mut Vec<u8>| self.eval_line(line, line_no, out);
            let counts = crate::talent_columns::eval_compact(
                &self.engine.params.talent,
                self.format,
                self.header.as_ref(),
                body,
                first_line,
                outs,
                &mut scratch,
                &row,
            );
            self.scratch = scratch;
            counts
        } else {
            outs.resize_with(1, Vec::new);
            outs.truncate(1);
            let out = &mut outs[0];
            out.clear();
            let mut counts = Counts::default();
            for line in body.split_inclusive(|&b| b == b'\n') {
                if self.eval_line(line, first_line + counts.lines, out) {
                    counts.ok += 1;
                } else {
                    counts.bad += 1;
                }
                counts.lines += 1;
            }
            counts
        };
        self.counts.lines += counts.lines;
        self.counts.ok += counts.ok;
        self.counts.bad += counts.bad;
        Ok(())
    }

    /// The row-by-row path for one line (with or without its line break): the decision or an
    /// error record, then a line break. Returns whether the line was decided.
    pub fn eval_line(&self, line: &[u8], line_no: u64, out: &mut Vec<u8>) -> bool {
        let start = out.len();
        let result = match std::str::from_utf8(trim_line_end(line)) {
            Err(_) => Err(("E_UTF8", "该行不是有效的 UTF-8 文本".to_string())),
            Ok(text) if text.trim().is_empty() => {
                Err(("E_EMPTY_LINE", "空行：没有输入".to_string()))
            }
            Ok(text) => match (&self.header, self.format) {
                (Some(header), InputFormat::Csv) => {
                    let mut cells = Vec::new();
                    header
                        .row_to_json(text.as_bytes(), &mut cells)
                        .and_then(|json| {
                            self.engine
                                .evaluate_styled(self.rule.name, &json, out, self.style)
                        })
                }
                _ => self
                    .engine
                    .evaluate_styled(self.rule.name, text, out, self.style),
            }
            .map_err(|e| (e.code(), e.to_string())),
        };
        let ok = result.is_ok();
        if let Err((code, message)) = result {
            out.truncate(start);
            error_record(out, line_no, code, &message);
        }
        out.push(b'\n');
        ok
    }
}
