//! Test fixtures made from real text: a small PDF writer (pages of text in a CID font with a
//! ToUnicode map, so `pdftotext` extracts exactly the characters written; the glyphs are not
//! embedded, so viewers render boxes), a `.docx` writer (the minimal Word package: content
//! types, relationships, `word/document.xml`) and an HTML page in the shape of www.gov.cn's.

#![allow(dead_code)]

use std::io::Write;

/// A PDF of `lines`, `per_page` lines a page, each page opening with `header` and closing with
/// its page number written `- N -`, as gazettes print them.
pub fn pdf(lines: &[String], per_page: usize, header: &str) -> Vec<u8> {
    let pages: Vec<&[String]> = lines.chunks(per_page.max(1)).collect();
    let mut objects: Vec<String> = Vec::new();
    let n_pages = pages.len();
    // 1 catalog, 2 pages, 3 font, 4 cid font, 5 descriptor, 6 tounicode, then page/content pairs.
    let kids: Vec<String> = (0..n_pages).map(|i| format!("{} 0 R", 7 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n_pages} >>",
        kids.join(" ")
    ));
    objects.push("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>".into());
    objects.push("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 /CIDToGIDMap /Identity >>".into());
    objects.push("<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>".into());
    let mut used: Vec<u16> = lines
        .iter()
        .map(String::as_str)
        .chain([header, "- 0123456789"])
        .flat_map(|l| l.encode_utf16())
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut cmap = String::from("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
    for chunk in used.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for u in chunk {
            cmap.push_str(&format!("<{u:04X}> <{u:04X}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end");
    objects.push(format!(
        "<< /Length {} >>\nstream\n{cmap}\nendstream",
        cmap.len() + 1
    ));
    let hex = |s: &str| -> String { s.encode_utf16().map(|u| format!("{u:04X}")).collect() };
    for (i, page) in pages.iter().enumerate() {
        let mut content = String::new();
        let mut line = |text: &str, x: f32, y: f32, size: f32| {
            content.push_str(&format!(
                "BT /F1 {size} Tf {x} {y} Td <{}> Tj ET\n",
                hex(text)
            ));
        };
        line(header, 200.0, 800.0, 10.0);
        for (k, text) in page.iter().enumerate() {
            line(text, 72.0, 760.0 - 18.0 * k as f32, 12.0);
        }
        line(&format!("- {} -", i + 1), 280.0, 40.0, 10.0);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            8 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Printed lines of a text: every paragraph wrapped at `width` characters (a page's line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let chars: Vec<char> = para.chars().collect();
        for chunk in chars.chunks(width) {
            out.push(chunk.iter().collect());
        }
    }
    out
}

/// A minimal `.docx` package with one paragraph per non-blank line of `text`; a line with tabs
/// is a table row (`w:tr`), one cell per tab-separated field, as Word writes a table.
pub fn docx(text: &str) -> Vec<u8> {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let para = |s: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(s)
        )
    };
    let mut body = String::new();
    let mut in_table = false;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row = line.contains('\t');
        if row != in_table {
            body.push_str(if row { "<w:tbl>" } else { "</w:tbl>" });
            in_table = row;
        }
        if row {
            let cells: String = line
                .split('\t')
                .map(|c| format!("<w:tc>{}</w:tc>", para(c)))
                .collect();
            body.push_str(&format!("<w:tr>{cells}</w:tr>"));
        } else {
            body.push_str(&para(line));
        }
    }
    if in_table {
        body.push_str("</w:tbl>");
    }
    let document = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>");
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("word/document.xml", document.as_str()),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A page in the shape of www.gov.cn's document pages: navigation, a metadata table, the
/// document in `td#UCAP-CONTENT` (one `<p>` per line; a line with tabs is a table row, one `<td>`
/// per field), a footer; declared and written in `charset`.
pub fn gov_page(text: &str, charset: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut paras = String::new();
    let mut in_table = false;
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let row = l.contains('\t');
        if row != in_table {
            paras.push_str(if row {
                "<table border=\"1\">\n"
            } else {
                "</table>\n"
            });
            in_table = row;
        }
        if row {
            let cells: String = l
                .split('\t')
                .map(|c| format!("<td>{}</td>", esc(c)))
                .collect();
            paras.push_str(&format!("<tr>{cells}</tr>\n"));
        } else {
            paras.push_str(&format!("<p style=\"text-indent: 2em;\">{}</p>\n", esc(l)));
        }
    }
    if in_table {
        paras.push_str("</table>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\"><title>政策文件</title><script>var nav = '首页';</script></head>\n<body><div class=\"header\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/zhengce/\">政策</a></li></ul></div>\n<table class=\"bd1\"><tr><td>索引号：</td><td>000014349/2019-00001</td></tr><tr><td>发文机关：</td><td>国务院</td></tr></table>\n<table><tr><td id=\"UCAP-CONTENT\">\n{paras}</td></tr></table>\n<div class=\"footer\">主办单位：国务院办公厅　运行维护单位：中国政府网运行中心</div></body></html>\n"
    )
}
