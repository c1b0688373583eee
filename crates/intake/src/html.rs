//! Web pages (网页): a government site's page of a document turned into the document's text.
//!
//! The content is found, navigation dropped: the first element that a known content container
//! selects ([`CONTENT_SELECTORS`], the ids and classes government sites' publishing systems
//! use), else the element whose paragraphs hold the most text. Inside it, each paragraph
//! (`<p>`, `<div>`, headings, list items) starts a new line with a blank line before it, `<br>`
//! breaks a line, a table row is one line with its cells joined by a tab; scripts, styles,
//! navigation, headers, footers and forms are skipped. Lines are trimmed at their ends.

use scraper::{ElementRef, Html, Node, Selector};

/// Content containers of government sites, tried in order.
pub const CONTENT_SELECTORS: &[&str] = &[
    "#UCAP-CONTENT",
    ".pages_content",
    "#zoom",
    ".TRS_Editor",
    ".article-content",
    "#content",
    ".content",
    "article",
    "main",
];

/// Elements never read (page furniture).
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "form", "noscript", "iframe", "select", "button",
    "head", "template",
];

/// Block elements: each starts a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "blockquote",
    "center",
    "pre",
    "dd",
    "dt",
];

/// True when the bytes begin like an HTML page (after spaces and a byte-order mark).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes
        .iter()
        .take(512)
        .skip_while(|b| b.is_ascii_whitespace() || **b >= 0xEF)
        .take(15)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") || head.starts_with(b"<head")
}

/// The document's text on the page.
pub fn to_text(page: &str) -> String {
    let html = Html::parse_document(page);
    let root = content_root(&html).unwrap_or_else(|| html.root_element());
    let mut out = Writer::default();
    walk(root, &mut out);
    out.finish()
}

fn content_root(html: &Html) -> Option<ElementRef<'_>> {
    for selector in CONTENT_SELECTORS {
        let Ok(sel) = Selector::parse(selector) else {
            continue;
        };
        if let Some(found) = html.select(&sel).find(|e| text_len(*e) >= 20) {
            return Some(found);
        }
    }
    // The element whose direct paragraphs hold the most text.
    let sel = Selector::parse("div, td, section, body").ok()?;
    html.select(&sel).max_by_key(|e| {
        e.children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "p" | "br" | "span" | "font"))
            .map(text_len)
            .sum::<usize>()
    })
}

fn text_len(e: ElementRef<'_>) -> usize {
    e.text().map(|t| t.trim().chars().count()).sum()
}

#[derive(Default)]
struct Writer {
    lines: Vec<String>,
    current: String,
}

impl Writer {
    fn text(&mut self, t: &str) {
        // Source line breaks inside a paragraph, and no-break spaces, are spaces in HTML.
        self.current.extend(t.chars().map(|c| match c {
            '\n' | '\r' | '\u{a0}' => ' ',
            c => c,
        }));
    }

    fn line_break(&mut self) {
        let line = std::mem::take(&mut self.current);
        let line = line.trim_end_matches([' ', '\t']).trim_start_matches(' ');
        if !line.trim().is_empty() {
            self.lines.push(line.to_string());
        }
    }

    fn finish(mut self) -> String {
        self.line_break();
        let mut text = self.lines.join("\n\n");
        if !text.is_empty() {
            text.push('\n');
        }
        text
    }
}

fn walk(element: ElementRef<'_>, out: &mut Writer) {
    let name = element.value().name();
    if SKIPPED.contains(&name) {
        return;
    }
    if name == "tr" {
        out.line_break();
        let cells: Vec<String> = element
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .map(|c| {
                let mut w = Writer::default();
                walk_children(c, &mut w);
                w.finish().split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect();
        out.text(&cells.join("\t"));
        out.line_break();
        return;
    }
    let block = BLOCKS.contains(&name);
    if block {
        out.line_break();
    }
    walk_children(element, out);
    if block {
        out.line_break();
    }
}

fn walk_children(element: ElementRef<'_>, out: &mut Writer) {
    for child in element.children() {
        match child.value() {
            Node::Text(t) => out.text(t),
            Node::Element(e) if e.name() == "br" => out.line_break(),
            Node::Element(_) => {
                if let Some(el) = ElementRef::wrap(child) {
                    walk(el, out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_found_and_navigation_dropped() {
        let page = r#"<!DOCTYPE html><html><head><title>x</title><script>var a=1;</script></head>
<body><nav><a href="/">首页</a> <a href="/zc">政策</a></nav>
<div class="header">网站导航 | 无障碍</div>
<table><tr><td id="UCAP-CONTENT">
<p>国务院关于促进综合保税区</p><p>高水平开放高质量发展的若干意见</p>
<p>国发〔2019〕3号</p>
<p>各省、自治区、直辖市人民政府：</p>
<p>　　一、指导思想<br>以习近平新时代中国特色社会主义思想为指导。</p>
<table><tr><td>序号</td><td>指标</td></tr><tr><td>1</td><td>甲</td></tr></table>
</td></tr></table>
<footer>版权所有</footer></body></html>"#;
        let text = to_text(page);
        assert_eq!(
            text,
            "国务院关于促进综合保税区\n\n高水平开放高质量发展的若干意见\n\n国发〔2019〕3号\n\n各省、自治区、直辖市人民政府：\n\n　　一、指导思想\n\n以习近平新时代中国特色社会主义思想为指导。\n\n序号\t指标\n\n1\t甲\n"
        );
        assert!(looks_like_html(page.as_bytes()));
        assert!(!looks_like_html("国务院".as_bytes()));
    }

    #[test]
    fn without_a_known_container_the_densest_block_is_read() {
        let page = "<html><body><div><a>首页</a><a>新闻</a></div><div><p>第一段正文内容。</p><p>第二段正文内容。</p></div><div>联系我们</div></body></html>";
        assert_eq!(to_text(page), "第一段正文内容。\n\n第二段正文内容。\n");
    }
}
