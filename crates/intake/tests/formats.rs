//! Every format people have, end to end: a real State Council document (国发〔2019〕3号, from the
//! development corpus) written as a PDF (through Debian's `pdftotext`), a www.gov.cn-shaped web
//! page in GBK, a `.docx`, GB18030 and UTF-16 text; each decoded by `luoshi-intake` and read by
//! the gazette reader to the same 文号, issuer, date and 21 tasks with their lead units.

mod support;

use luoshi_intake::{decode, Format};

const DOC: &str = include_str!("../../gazette/eval/texts/005-guofa-2019-3-baoshuiqu.txt");

fn check_reading(text: &str) {
    let registry = luoshi_gazette::Registry::bundled_named("guowuyuan").unwrap();
    let issue = luoshi_gazette::parse_with(text, &registry);
    assert_eq!(issue.documents.len(), 1, "{text}");
    let d = &issue.documents[0];
    assert_eq!(d.doc_no, "国发〔2019〕3号");
    assert_eq!(d.issuer, "国务院");
    assert_eq!(d.title, "关于促进综合保税区高水平开放高质量发展的若干意见");
    assert_eq!(d.date.as_deref(), Some("2019-01-12"));
    assert_eq!(
        d.tasks.len(),
        21,
        "{:#?}",
        d.tasks.iter().map(|t| &t.text).collect::<Vec<_>>()
    );
    let first = &d.tasks[0];
    assert_eq!(first.lead_units[0].name, "税务总局");
    assert_eq!(first.lead_units[0].unit.as_deref(), Some("dept.sat"));
    assert!(d.tasks.iter().all(|t| !t.lead_units.is_empty()));
}

#[test]
fn a_pdf_is_extracted_with_its_page_furniture_removed() {
    let pdf = support::pdf(&support::wrap(DOC, 34), 38, "中华人民共和国国务院公报");
    let decoded = decode(&pdf, Some("guofa-2019-3.pdf"), None).unwrap();
    assert_eq!(decoded.format, Format::Pdf);
    assert!(!decoded.text.contains("国务院公报"), "running header kept");
    assert!(!decoded.text.contains("- 2 -"), "page number kept");
    check_reading(&decoded.text);
}

#[test]
fn a_gov_page_in_gbk_is_found_and_read() {
    let page = support::gov_page(DOC, "gb2312");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&page);
    assert!(!unmappable);
    let decoded = decode(&bytes, Some("content_5361158.htm"), None).unwrap();
    assert_eq!(decoded.format, Format::Html);
    assert_eq!(decoded.encoding, "GBK");
    assert!(!decoded.text.contains("首页") && !decoded.text.contains("主办单位"));
    check_reading(&decoded.text);
}

#[test]
fn a_docx_is_read() {
    let decoded = decode(&support::docx(DOC), Some("005.docx"), None).unwrap();
    assert_eq!(decoded.format, Format::Docx);
    check_reading(&decoded.text);
}

#[test]
fn gb18030_and_utf16_text_is_detected() {
    let (gb, _, _) = encoding_rs::GB18030.encode(DOC);
    let decoded = decode(&gb, Some("005.txt"), None).unwrap();
    assert_eq!(
        (decoded.format, decoded.encoding),
        (Format::Text, "gb18030")
    );
    check_reading(&decoded.text);
    let mut le = vec![0xFF, 0xFE];
    le.extend(DOC.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(decode(&le, None, None).unwrap().text, DOC);
    assert_eq!(decode(&gb, None, Some("gbk")).unwrap().text, DOC);
}

#[test]
fn undecodable_bytes_are_refused_with_a_code() {
    let bytes: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    let err = decode(&bytes, Some("x.txt"), None).unwrap_err();
    assert_eq!(err.code(), "E_UTF8");
    assert!(err.to_string().contains("无法识别文本编码"));
    assert_eq!(
        decode(b"%PDF-1.4 broken", None, None).unwrap_err().code(),
        "E_PDF"
    );
    assert_eq!(
        decode(DOC.as_bytes(), None, Some("x-klingon"))
            .unwrap_err()
            .code(),
        "E_ENCODING_UNKNOWN"
    );
}

#[test]
fn owned_bytes_give_the_same_text() {
    use luoshi_intake::decode_vec;
    let (gb, _, _) = encoding_rs::GB18030.encode(DOC);
    for (bytes, name) in [
        (DOC.as_bytes().to_vec(), "a.txt"),
        (gb.into_owned(), "b.txt"),
        (support::docx(DOC), "c.docx"),
    ] {
        assert_eq!(
            decode_vec(bytes.clone(), Some(name), None),
            decode(&bytes, Some(name), None),
            "{name}"
        );
    }
    assert_eq!(
        decode_vec(b"  \n".to_vec(), None, None).unwrap_err().code(),
        "E_EMPTY"
    );
}
