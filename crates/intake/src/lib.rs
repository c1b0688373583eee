//! Intake (来稿解码): a gazette file as people have it — bytes — turned into the text the reader
//! (`luoshi-gazette`, pure `&str` in) takes. This crate is the one place where bytes become
//! text: the command line (`luoshi gazette parse`, `luoshi import`), the app's import and the web
//! upload all call [`decode`].
//!
//! What it accepts, found by content (and the file name's extension as a hint):
//! - text in UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or
//!   GB18030/GBK (detected when the bytes are not UTF-8, or named with `encoding`) — [`text`];
//! - web pages (`.html`): the document's content found, navigation, scripts and page furniture
//!   dropped, a `<meta charset>` honoured — [`html`];
//! - Word files (`.docx`): paragraphs, line breaks, tabs and table rows — [`docx`];
//! - PDF files: extracted with Debian's `pdftotext` (poppler-utils), running page headers and
//!   page numbers removed, pages joined by a blank line as the reader's page-break repair
//!   expects — [`pdf`]. This is the only part that runs a program.
//!
//! Anything else is refused with a Chinese message and a stable code ([`IntakeError::code`]).

pub mod docx;
pub mod html;
pub mod pdf;
pub mod text;

/// What kind of file the bytes were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Docx,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// Text ready for the reader, with what it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub format: Format,
    /// The character encoding the bytes were read in (`UTF-8`, `GB18030`, `UTF-16LE` …).
    pub encoding: &'static str,
}

/// Why bytes could not be turned into text. Messages are Chinese; [`IntakeError::code`] is
/// stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// Neither UTF-8, nor UTF-16 with a byte-order mark, nor GB18030. Its code stays `E_UTF8`,
    /// the code these bytes had when only UTF-8 was read.
    #[error("无法识别文本编码：既不是 UTF-8，也不是带字节序标记的 UTF-16 或 GB18030/GBK（第 {offset} 字节处出现无效字节）；可用 --encoding 指定编码")]
    Undecodable { offset: usize },
    /// The bytes are not valid in the encoding named by the caller.
    #[error("按 {encoding} 编码无法解码：第 {offset} 字节处出现无效字节")]
    InvalidInEncoding {
        encoding: &'static str,
        offset: usize,
    },
    /// The caller named an encoding that does not exist.
    #[error("未知的编码名称：{0}（可用 utf-8、gb18030、gbk、utf-16le、utf-16be 等）")]
    UnknownEncoding(String),
    /// A `.docx` file that could not be read.
    #[error("无法读取 Word 文件（.docx）：{0}")]
    Docx(String),
    /// A PDF that could not be read.
    #[error("无法读取 PDF 文件：{0}")]
    Pdf(String),
    /// `pdftotext` is not installed.
    #[error("读取 PDF 需要 pdftotext（Debian 软件包 poppler-utils），但未找到该程序：{0}")]
    PdfToolMissing(String),
    /// The file holds no text at all.
    #[error("文件中没有可读的文字")]
    Empty,
}

impl IntakeError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            IntakeError::Undecodable { .. } => "E_UTF8",
            IntakeError::InvalidInEncoding { .. } => "E_ENCODING_INVALID",
            IntakeError::UnknownEncoding(_) => "E_ENCODING_UNKNOWN",
            IntakeError::Docx(_) => "E_DOCX",
            IntakeError::Pdf(_) => "E_PDF",
            IntakeError::PdfToolMissing(_) => "E_PDFTOTEXT_MISSING",
            IntakeError::Empty => "E_EMPTY",
        }
    }
}

/// [`decode`], taking the bytes: plain UTF-8 text (the common case) becomes the text without a
/// copy.
pub fn decode_vec(
    bytes: Vec<u8>,
    name: Option<&str>,
    encoding: Option<&str>,
) -> Result<Decoded, IntakeError> {
    let plain = encoding.is_none()
        && !bytes.starts_with(b"%PDF-")
        && !bytes.starts_with(b"PK\x03\x04")
        && encoding_rs::Encoding::for_bom(&bytes).is_none()
        && !name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.ends_with(".html") || n.ends_with(".htm") || n.ends_with(".pdf")
        })
        && !html::looks_like_html(&bytes);
    if !plain {
        return decode(&bytes, name, encoding);
    }
    // The whole file is checked once, with SIMD, before the reader's threads start.
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return decode(&bytes, name, encoding);
    }
    // SAFETY: `simdutf8::basic::from_utf8` has just accepted these very bytes as UTF-8.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    if text.trim().is_empty() && !text.is_empty() {
        return Err(IntakeError::Empty);
    }
    Ok(Decoded {
        text,
        format: Format::Text,
        encoding: "UTF-8",
    })
}

/// Turn a file's bytes into the reader's text. `name` (the file name, if known) hints at the
/// format by its extension; `encoding` names the text encoding when detection is not wanted
/// (`gbk`, `gb18030`, `utf-8`, any WHATWG label).
pub fn decode(
    bytes: &[u8],
    name: Option<&str>,
    encoding: Option<&str>,
) -> Result<Decoded, IntakeError> {
    let forced = encoding.map(text::encoding_for).transpose()?;
    let ext = name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let decoded = if bytes.starts_with(b"%PDF-") || (ext == "pdf" && bytes.starts_with(b"%PDF")) {
        Decoded {
            text: pdf::to_text(bytes)?,
            format: Format::Pdf,
            encoding: "UTF-8",
        }
    } else if bytes.starts_with(b"PK\x03\x04") {
        Decoded {
            text: docx::to_text(bytes)?,
            format: Format::Docx,
            encoding: "UTF-8",
        }
    } else if ext == "html" || ext == "htm" || html::looks_like_html(bytes) {
        let (page, encoding) = text::decode_html(bytes, forced)?;
        Decoded {
            text: html::to_text(&page),
            format: Format::Html,
            encoding,
        }
    } else {
        let (text, encoding) = text::decode_text(bytes, forced)?;
        Decoded {
            text,
            format: Format::Text,
            encoding,
        }
    };
    if decoded.text.trim().is_empty() && !bytes.is_empty() {
        return Err(IntakeError::Empty);
    }
    Ok(decoded)
}
