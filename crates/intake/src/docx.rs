//! Word files (`.docx`): the main part `word/document.xml` of the zip package read with
//! `quick-xml`. Each paragraph (`w:p`) is a line with a blank line after it, `w:br` breaks a
//! line, `w:tab` is a tab, a table row (`w:tr`) is one line with its cells joined by a tab.
//! Automatic list numbering (`w:numPr`) is not text in the file and is not rendered.

use crate::IntakeError;
use quick_xml::events::Event;
use std::io::Read;

/// The text of a `.docx` package.
pub fn to_text(bytes: &[u8]) -> Result<String, IntakeError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| IntakeError::Docx(format!("不是有效的 zip 包：{e}")))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| IntakeError::Docx("包内没有 word/document.xml".into()))?
        .take(256 << 20)
        .read_to_string(&mut xml)
        .map_err(|e| IntakeError::Docx(format!("word/document.xml 无法读取：{e}")))?;
    document_text(&xml)
}

/// The text of `word/document.xml`.
pub fn document_text(xml: &str) -> Result<String, IntakeError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    // Cells of the table rows being read (tables nest).
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell_depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| IntakeError::Docx(format!("XML 错误：{e}")))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"tr" => rows.push(Vec::new()),
                b"tc" => {
                    cell_depth += 1;
                    if let Some(row) = rows.last_mut() {
                        row.push(String::new());
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => current.push('\t'),
                b"br" | b"cr" => current.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let t = t
                    .unescape()
                    .map_err(|e| IntakeError::Docx(format!("XML 错误：{e}")))?;
                current.push_str(&t);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let para = std::mem::take(&mut current);
                    match rows.last_mut().and_then(|r| r.last_mut()) {
                        Some(cell) if cell_depth > 0 => {
                            if !cell.is_empty() && !para.is_empty() {
                                cell.push(' ');
                            }
                            cell.push_str(para.trim());
                        }
                        _ => lines.push(para),
                    }
                }
                b"tc" => cell_depth = cell_depth.saturating_sub(1),
                b"tr" => {
                    if let Some(row) = rows.pop() {
                        let line = row.join("\t");
                        match rows.last_mut().and_then(|r| r.last_mut()) {
                            Some(cell) => cell.push_str(&line.replace('\t', " ")),
                            None => lines.push(line),
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let mut text = String::new();
    for line in lines {
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        text.push_str(line);
        text.push_str("\n\n");
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_breaks_tabs_and_tables() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>国务院关于</w:t></w:r><w:r><w:t xml:space="preserve">某事的意见</w:t></w:r></w:p>
<w:p><w:r><w:t>国发〔2019〕3号</w:t></w:r></w:p>
<w:p><w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t><w:tab/><w:t>丙 &amp; 丁</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>婴儿死亡率</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p/></w:body></w:document>"#;
        assert_eq!(
            document_text(xml).unwrap(),
            "国务院关于某事的意见\n\n国发〔2019〕3号\n\n甲\n乙\t丙 & 丁\n\n序号\t指标\n\n1\t婴儿死亡率\n\n"
        );
    }

    #[test]
    fn a_broken_package_is_refused() {
        assert_eq!(
            to_text(b"PK\x03\x04 not a zip").unwrap_err().code(),
            "E_DOCX"
        );
    }
}
