//! What the spreadsheet uploads share (上传的表格: the proposal register, the supervision ledger,
//! the monitoring values): the size check, opening an `.xlsx` workbook, a cell read as the text a
//! person sees, and the lines of the one error that refuses a file with bad rows (the first 50
//! problems, then how many more).

use crate::Result;
use calamine::{Data, Reader, Xlsx};
use luoshi_domain::Error;
use std::io::Cursor;

/// How many problems an upload's error lists before it only counts the rest.
const LISTED: usize = 50;

/// Refuse an upload over `limit` bytes, naming what it is (`登记表`, `台账文件`, `文件`).
pub(crate) fn check_size(bytes: &[u8], limit: usize, what: &str) -> Result<()> {
    if bytes.len() > limit {
        return Err(Error::bad_input(
            "E_UPLOAD_TOO_LARGE",
            format!("{what}超过 {} MB", limit / 1_048_576),
        ));
    }
    Ok(())
}

/// The `.xlsx` workbook in `bytes`; anything else is a clear error naming `what` it should be.
pub(crate) fn open_xlsx<'a>(bytes: &'a [u8], what: &str) -> Result<Xlsx<Cursor<&'a [u8]>>> {
    Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Error::bad_input("E_XLSX", format!("无法读取{what}（应为 .xlsx）：{e}")))
}

/// A cell as text: trimmed, empty when absent, a whole number without a decimal point.
pub(crate) fn cell_text(d: Option<&Data>) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(other) => other.to_string().trim().to_string(),
    }
}

/// The first problems, one a line as `line` writes it, and how many more there are.
pub(crate) fn problem_lines<P>(problems: &[P], line: impl Fn(&P) -> String) -> String {
    let mut lines: Vec<String> = problems.iter().take(LISTED).map(line).collect();
    if problems.len() > LISTED {
        lines.push(format!("……另有 {} 处问题", problems.len() - LISTED));
    }
    lines.join("\n")
}
