//! Attachments (附件): checked before anything is stored, then kept by content hash.
//!
//! The type is decided from the bytes, not from the name a browser sends: a file must look
//! like what its extension says (a `.pdf` starts with `%PDF-`, an `.xlsx` is a zip, a `.txt`
//! is UTF-8 text), or it is refused. Sizes and counts are limited.

use crate::{App, Viewer};
use luoshi_domain::Error;
use luoshi_store::cases::{self as db, StoredAttachment};
use sha2::{Digest, Sha256};

/// Largest attachment accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// Most attachments on one action.
pub const MAX_FILES: usize = 10;

/// A file as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub filename: String,
    pub content: Vec<u8>,
}

/// What checking found: the hash the content is stored under and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub sha256: String,
    pub mime: &'static str,
}

/// The accepted kinds: extensions, MIME type, and how the bytes must begin.
const KINDS: &[(&[&str], &str, Signature)] = &[
    (&["pdf"], "application/pdf", Signature::Prefix(b"%PDF-")),
    (
        &["png"],
        "image/png",
        Signature::Prefix(b"\x89PNG\r\n\x1a\n"),
    ),
    (
        &["jpg", "jpeg"],
        "image/jpeg",
        Signature::Prefix(b"\xff\xd8\xff"),
    ),
    (
        &["docx"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Signature::Prefix(b"PK\x03\x04"),
    ),
    (
        &["xlsx"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Signature::Prefix(b"PK\x03\x04"),
    ),
    (
        &["doc", "xls"],
        "application/x-ole-storage",
        Signature::Prefix(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ),
    (
        &["ofd"],
        "application/ofd",
        Signature::Prefix(b"PK\x03\x04"),
    ),
    (
        &["txt", "csv"],
        "text/plain; charset=utf-8",
        Signature::Utf8Text,
    ),
];

#[derive(Debug, Clone, Copy)]
enum Signature {
    Prefix(&'static [u8]),
    Utf8Text,
}

impl Signature {
    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            Signature::Prefix(p) => bytes.starts_with(p),
            Signature::Utf8Text => std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0),
        }
    }
}

fn extension(filename: &str) -> Option<String> {
    let (_, ext) = filename.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Check one upload: name, size, and that the bytes are what the extension says.
pub fn check(u: &Upload) -> Result<Checked, Error> {
    let name = u.filename.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\', '\0']) {
        return Err(Error::bad_input(
            "E_ATTACHMENT_NAME",
            format!(
                "附件文件名无效：“{}”",
                name.chars().take(60).collect::<String>()
            ),
        ));
    }
    if u.content.is_empty() {
        return Err(Error::bad_input(
            "E_ATTACHMENT_EMPTY",
            format!("附件“{name}”是空文件"),
        ));
    }
    if u.content.len() > MAX_BYTES {
        return Err(Error::bad_input(
            "E_ATTACHMENT_SIZE",
            format!(
                "附件“{name}”大小为 {:.1} MB，超过上限 {} MB",
                u.content.len() as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
        ));
    }
    let ext = extension(name).unwrap_or_default();
    let accepted = || {
        KINDS
            .iter()
            .flat_map(|(exts, _, _)| exts.iter().copied())
            .collect::<Vec<_>>()
            .join("、")
    };
    let Some((_, mime, signature)) = KINDS
        .iter()
        .find(|(exts, _, _)| exts.contains(&ext.as_str()))
    else {
        return Err(Error::bad_input(
            "E_ATTACHMENT_TYPE",
            format!("附件“{name}”的类型不受支持；可上传：{}", accepted()),
        ));
    };
    if !signature.matches(&u.content) {
        return Err(Error::bad_input(
            "E_ATTACHMENT_TYPE",
            format!("附件“{name}”的内容与扩展名 .{ext} 不符，未上传"),
        ));
    }
    Ok(Checked {
        sha256: hex::encode(Sha256::digest(&u.content)),
        mime,
    })
}

/// Check every upload of one action (all must pass).
pub fn check_all(uploads: &[Upload]) -> Result<Vec<Checked>, Error> {
    if uploads.len() > MAX_FILES {
        return Err(Error::bad_input(
            "E_ATTACHMENT_COUNT",
            format!("一次最多上传 {MAX_FILES} 个附件，本次 {} 个", uploads.len()),
        ));
    }
    uploads.iter().map(check).collect()
}

impl App {
    /// An attachment's content, for a viewer who may read a case whose history lists it.
    pub fn attachment(&self, viewer: &Viewer, sha256: &str) -> Result<StoredAttachment, Error> {
        let valid = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            return Err(Error::not_found("附件"));
        }
        self.store.read(|c| {
            let Some(found) = db::attachment(c, sha256)? else {
                return Err(Error::not_found("附件"));
            };
            for case_id in &found.cases {
                let Some(case) = db::get_case(c, *case_id)? else {
                    continue;
                };
                let Some(procedure) = crate::procedures::by_name(&case.procedure) else {
                    continue;
                };
                if super::case_view_in(c, viewer, procedure, *case_id).is_ok() {
                    return Ok(found);
                }
            }
            Err(super::no_access(viewer))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(name: &str, content: &[u8]) -> Upload {
        Upload {
            filename: name.into(),
            content: content.to_vec(),
        }
    }

    #[test]
    fn the_bytes_must_match_the_extension() {
        assert_eq!(
            check(&up("进展.pdf", b"%PDF-1.7 ...")).unwrap().mime,
            "application/pdf"
        );
        assert_eq!(
            check(&up("x.pdf", b"MZ\x90\x00")).unwrap_err().code,
            "E_ATTACHMENT_TYPE"
        );
        assert_eq!(
            check(&up("x.exe", b"MZ")).unwrap_err().code,
            "E_ATTACHMENT_TYPE"
        );
        assert_eq!(
            check(&up("x.txt", b"a\0b")).unwrap_err().code,
            "E_ATTACHMENT_TYPE"
        );
        assert_eq!(
            check(&up("说明.txt", "进展顺利".as_bytes()))
                .unwrap()
                .sha256
                .len(),
            64
        );
    }

    #[test]
    fn empty_oversized_badly_named_and_too_many_are_refused() {
        assert_eq!(
            check(&up("a.pdf", b"")).unwrap_err().code,
            "E_ATTACHMENT_EMPTY"
        );
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_BYTES + 1, b'x');
        let e = check(&up("a.pdf", &big)).unwrap_err();
        assert_eq!(e.code, "E_ATTACHMENT_SIZE");
        assert!(e.message.contains("20 MB"), "{}", e.message);
        assert_eq!(
            check(&up("../a.pdf", b"%PDF-")).unwrap_err().code,
            "E_ATTACHMENT_NAME"
        );
        let many = vec![up("a.txt", b"x"); MAX_FILES + 1];
        assert_eq!(check_all(&many).unwrap_err().code, "E_ATTACHMENT_COUNT");
    }

    #[test]
    fn the_same_bytes_hash_the_same() {
        let a = check(&up("a.txt", b"same")).unwrap();
        let b = check(&up("b.txt", b"same")).unwrap();
        assert_eq!(a.sha256, b.sha256);
    }
}
