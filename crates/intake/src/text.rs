//! Text encodings (文本编码): UTF-8, UTF-16 with a byte-order mark, and GB18030 (a superset of
//! GBK and GB2312, the encodings Chinese government sites and Windows editors still write),
//! decoded with `encoding_rs` (the WHATWG encoding standard, as browsers decode). Detection: a
//! byte-order mark wins; then valid UTF-8; then GB18030 when it decodes without a single error
//! and what it gives is mostly Chinese text. Nothing is replaced silently: bytes that do not
//! decode are refused, naming the offset.

use crate::IntakeError;
use encoding_rs::{Encoding, GB18030, UTF_8};

/// The encoding a label names (`gbk`, `GB2312`, `utf-16le` …; WHATWG labels).
pub fn encoding_for(label: &str) -> Result<&'static Encoding, IntakeError> {
    Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| IntakeError::UnknownEncoding(label.to_string()))
}

/// Decode plain text: by byte-order mark, as UTF-8, else as GB18030 (or as `forced`).
pub fn decode_text(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<(String, &'static str), IntakeError> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return strict(encoding, &bytes[bom..]);
    }
    if let Some(encoding) = forced {
        return strict(encoding, bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok((t.to_string(), UTF_8.name())),
        Err(e) => {
            let offset = e.valid_up_to();
            // Chinese written in UTF-8 before the bad byte: a damaged UTF-8 file, not GB18030
            // (whose lead bytes seldom form UTF-8 at all).
            if !bytes[..offset].is_ascii() {
                return Err(IntakeError::Undecodable { offset });
            }
            match strict(GB18030, bytes) {
                Ok((t, name)) if mostly_chinese(&t) => Ok((t, name)),
                _ => Err(IntakeError::Undecodable { offset }),
            }
        }
    }
}

/// Decode a web page: a byte-order mark, else the `<meta charset>` the page declares, else as
/// plain text.
pub fn decode_html(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<(String, &'static str), IntakeError> {
    if Encoding::for_bom(bytes).is_none() && forced.is_none() {
        if let Some(declared) = declared_charset(bytes) {
            // A page that says GBK but is UTF-8 is common: trust valid UTF-8 first.
            if let Ok(t) = std::str::from_utf8(bytes) {
                return Ok((t.to_string(), UTF_8.name()));
            }
            return strict(declared, bytes);
        }
    }
    decode_text(bytes, forced)
}

/// `<meta charset="gbk">` or `content="text/html; charset=gb2312"` in the page's first 2 KB.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let head: String = head
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                b.to_ascii_lowercase() as char
            } else {
                ' '
            }
        })
        .collect();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Encoding::for_label(label.as_bytes())
}

fn strict(
    encoding: &'static Encoding,
    bytes: &[u8],
) -> Result<(String, &'static str), IntakeError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let offset = first_error(encoding, bytes);
        return Err(IntakeError::InvalidInEncoding {
            encoding: encoding.name(),
            offset,
        });
    }
    Ok((text.into_owned(), encoding.name()))
}

/// Offset of the first byte that does not decode, fed to the decoder one byte at a time.
fn first_error(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(64);
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + 1).min(bytes.len());
        out.clear();
        out.reserve(16);
        let (result, read) = decoder.decode_to_string_without_replacement(
            &bytes[at..end],
            &mut out,
            end == bytes.len(),
        );
        if let encoding_rs::DecoderResult::Malformed(_, _) = result {
            return at;
        }
        at += read.max(1);
    }
    bytes.len()
}

/// True when most letters of the text are Chinese characters, CJK punctuation or ASCII: a
/// binary file that happens to decode as GB18030 gives rare symbols instead.
fn mostly_chinese(text: &str) -> bool {
    let (mut good, mut all) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        all += 1;
        let ok = c.is_ascii_graphic()
            || ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || ('\u{3000}'..='\u{303F}').contains(&c)
            || ('\u{FF00}'..='\u{FFEF}').contains(&c)
            || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·');
        good += usize::from(ok);
    }
    all > 0 && good * 10 >= all * 9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_gb18030_and_utf16_are_read() {
        let text = "国务院关于促进综合保税区高水平开放高质量发展的若干意见\n国发〔2019〕3号\n";
        let (gb, _, _) = GB18030.encode(text);
        assert_eq!(
            decode_text(&gb, None).unwrap(),
            (text.to_string(), "gb18030")
        );
        assert_eq!(decode_text(text.as_bytes(), None).unwrap().1, "UTF-8");
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(
            decode_text(&le, None).unwrap(),
            (text.to_string(), "UTF-16LE")
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode_text(&be, None).unwrap().0, text);
        let gbk = encoding_for("GBK").unwrap();
        assert_eq!(decode_text(&gb, Some(gbk)).unwrap().0, text);
    }

    #[test]
    fn binary_is_refused_with_the_offset() {
        let bytes = [b'a', b'b', 0xFF, 0xFE, 0x00, 0x81, 0x30, 0x81];
        let err = decode_text(&bytes[..], None).unwrap_err();
        assert_eq!(err.code(), "E_UTF8");
        assert_eq!(err, IntakeError::Undecodable { offset: 2 });
        // UTF-8 Chinese, then a GBK word: damaged UTF-8, refused at the first bad byte.
        let mut mixed = "郑州市人民政府".as_bytes().to_vec();
        mixed.extend([0xB9, 0xAB, 0xB1, 0xA8]);
        assert_eq!(
            decode_text(&mixed, None).unwrap_err(),
            IntakeError::Undecodable { offset: 21 }
        );
        let err = decode_text(&[0x81, 0x20], Some(encoding_for("gbk").unwrap())).unwrap_err();
        assert_eq!(err.code(), "E_ENCODING_INVALID");
        assert_eq!(
            encoding_for("klingon").unwrap_err().code(),
            "E_ENCODING_UNKNOWN"
        );
    }

    #[test]
    fn declared_charset_is_found() {
        let page =
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">";
        assert_eq!(declared_charset(page), Some(encoding_rs::GBK));
        assert_eq!(declared_charset(b"<meta charset='utf-8'>"), Some(UTF_8));
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
    }
}
