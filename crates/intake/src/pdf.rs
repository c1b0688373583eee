//! PDF files: text extracted by Debian's `pdftotext` (poppler-utils; the program named by
//! `LUOSHI_PDFTOTEXT`, else `pdftotext` on `PATH`), then the page furniture removed and the
//! pages laid out as the reader expects text extracted from a PDF:
//!
//! - pages arrive separated by form feeds; a line that opens (or closes) at least two pages
//!   and at least half of them is a running header (footer) and is dropped;
//! - page numbers on a line of their own (`12`, `- 12 -`, `— 12 —`, `第 12 页`, `12/40`) are
//!   dropped;
//! - every printed line is followed by a blank line: the reader's page-break repair
//!   (`luoshi-gazette`, room `repair`) joins the pieces of a sentence again and keeps
//!   headings, owner lines and list entries apart.

use crate::IntakeError;
use std::process::{Command, Stdio};

/// Extract the text of a PDF and remove its page furniture.
pub fn to_text(bytes: &[u8]) -> Result<String, IntakeError> {
    Ok(repair(&extract(bytes)?))
}

/// Run `pdftotext` on the bytes (through a temporary file) and return its UTF-8 output.
pub fn extract(bytes: &[u8]) -> Result<String, IntakeError> {
    let program = std::env::var("LUOSHI_PDFTOTEXT").unwrap_or_else(|_| "pdftotext".into());
    let path = temp_path();
    std::fs::write(&path, bytes)
        .map_err(|e| IntakeError::Pdf(format!("无法写入临时文件 {}：{e}", path.display())))?;
    let output = Command::new(&program)
        .args(["-enc", "UTF-8", "-eol", "unix"])
        .arg(&path)
        .arg("-")
        .stdin(Stdio::null())
        .output();
    let _ = std::fs::remove_file(&path);
    let output = output.map_err(|e| IntakeError::PdfToolMissing(format!("{program}：{e}")))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        let message = message.lines().last().unwrap_or("").trim().to_string();
        return Err(IntakeError::Pdf(format!(
            "pdftotext 退出码 {}：{message}",
            output.status.code().unwrap_or(-1)
        )));
    }
    String::from_utf8(output.stdout)
        .map_err(|e| IntakeError::Pdf(format!("pdftotext 输出不是 UTF-8：{e}")))
}

fn temp_path() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "luoshi-intake-{}-{nanos}-{}.pdf",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// True for a line that is only a page number (`12`, `- 12 -`, `— 12 —`, `第 12 页`, `12/40`).
pub fn is_page_number(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '－' | '·' | '•'));
    let t = t
        .strip_prefix('第')
        .and_then(|r| r.strip_suffix('页'))
        .unwrap_or(t);
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    match t.split_once('/') {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(t),
    }
}

/// Remove running headers, footers and page numbers; one printed line per paragraph line,
/// a blank line after each.
pub fn repair(raw: &str) -> String {
    let pages: Vec<Vec<&str>> = raw
        .split('\u{c}')
        .map(|p| {
            p.lines()
                .map(|l| l.trim_end())
                .filter(|l| !l.trim().is_empty() && !is_page_number(l))
                .collect()
        })
        .filter(|p: &Vec<&str>| !p.is_empty())
        .collect();
    let key = |l: &str| -> String { l.chars().filter(|c| !c.is_whitespace()).collect() };
    let running = |first: bool| -> Option<String> {
        if pages.len() < 2 {
            return None;
        }
        let mut counts: std::collections::HashMap<String, usize> = Default::default();
        for p in &pages {
            if let Some(l) = if first { p.first() } else { p.last() } {
                *counts.entry(key(l)).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .filter(|(_, n)| *n >= 2 && n * 2 >= pages.len())
            .max_by_key(|(_, n)| *n)
            .map(|(k, _)| k)
    };
    let header = running(true);
    let footer = running(false);
    let mut out = String::new();
    for page in &pages {
        let mut lines: &[&str] = page;
        if let (Some(h), Some(first)) = (&header, lines.first()) {
            if key(first) == *h {
                lines = &lines[1..];
            }
        }
        if let (Some(f), Some(last)) = (&footer, lines.last()) {
            if key(last) == *f {
                lines = &lines[..lines.len() - 1];
            }
        }
        for line in lines {
            out.push_str(line);
            out.push_str("\n\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for l in ["12", "- 12 -", "— 3 —", "第 5 页", "12/40", " －7－ "] {
            assert!(is_page_number(l), "{l}");
        }
        for l in ["2020年", "12345", "一、总则", "1.", ""] {
            assert!(!is_page_number(l), "{l}");
        }
    }

    #[test]
    fn running_headers_and_page_numbers_are_removed() {
        let raw = "某市人民政府公报\n一、总则\n第一段文字，跨\n- 1 -\n\u{c}某市人民政府公报\n页继续。\n二、组织\n- 2 -\n\u{c}";
        assert_eq!(
            repair(raw),
            "一、总则\n\n第一段文字，跨\n\n页继续。\n\n二、组织\n\n"
        );
    }
}
