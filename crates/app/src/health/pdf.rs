//! Reports as PDF (报告 PDF), drawn in-process with `krilla` (fonts subset and embedded; text
//! shaped with rustybuzz) on A4: headings, wrapped paragraphs, tables whose header repeats on
//! each page, charts drawn as vectors from the same shapes the pages show as SVG, and a footer
//! with the title and page number.
//!
//! Chinese text needs a CJK font, found at run time: the `LUOSHI_CJK_FONT` environment
//! variable (`path` or `path#index` for a collection) or the `--cjk-font` flag that sets it,
//! else Debian's `fonts-noto-cjk` (Noto Sans CJK SC, index 2 of the collection), else what
//! `fc-match` names for `Noto Sans CJK SC`. No font is a clear error (`E_FONT`).

use super::charts::{Anchor, Drawing, Rgb, Shape};
use super::report::{Block, Report};
use crate::Result;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use luoshi_domain::Error;
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Environment variable naming the CJK font (`path` or `path#index`).
pub const FONT_ENV: &str = "LUOSHI_CJK_FONT";

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 51.0;
const MARGIN_TOP: f32 = 57.0;
const MARGIN_BOTTOM: f32 = 62.0;
const BODY: f32 = 10.0;

/// Where the font is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FontSpec {
    pub path: String,
    pub index: u32,
}

fn parse_spec(s: &str) -> FontSpec {
    match s.rsplit_once('#') {
        Some((p, i)) if i.parse::<u32>().is_ok() => FontSpec {
            path: p.to_string(),
            index: i.parse().unwrap_or(0),
        },
        _ => FontSpec {
            path: s.to_string(),
            index: 0,
        },
    }
}

/// Find the CJK font (see the module doc for the order).
pub fn find_font() -> Result<FontSpec> {
    if let Ok(s) = std::env::var(FONT_ENV) {
        if !s.trim().is_empty() {
            return Ok(parse_spec(s.trim()));
        }
    }
    for (p, i) in [
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
        ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
        ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ] {
        if std::path::Path::new(p).exists() {
            return Ok(FontSpec {
                path: p.into(),
                index: i,
            });
        }
    }
    if let Ok(out) = std::process::Command::new("fc-match")
        .args(["-f", "%{file}#%{index}", "Noto Sans CJK SC:lang=zh-cn"])
        .output()
    {
        let s = String::from_utf8_lossy(&out.stdout).to_string();
        if out.status.success() && !s.trim().is_empty() {
            return Ok(parse_spec(s.trim()));
        }
    }
    Err(Error::bad_input(
        "E_FONT",
        format!("找不到中文字体：请安装 fonts-noto-cjk，或用环境变量 {FONT_ENV}（或 --cjk-font）指定字体文件"),
    ))
}

/// A loaded font: for drawing (krilla) and for measuring (skrifa).
pub struct LoadedFont {
    font: Font,
    data: Arc<Vec<u8>>,
    index: u32,
}

fn fonts() -> &'static Mutex<HashMap<FontSpec, Arc<LoadedFont>>> {
    static FONTS: OnceLock<Mutex<HashMap<FontSpec, Arc<LoadedFont>>>> = OnceLock::new();
    FONTS.get_or_init(Default::default)
}

/// Load (once per process) the font a spec names.
pub fn load(spec: &FontSpec) -> Result<Arc<LoadedFont>> {
    if let Some(f) = fonts().lock().ok().and_then(|m| m.get(spec).cloned()) {
        return Ok(f);
    }
    let bytes = std::fs::read(&spec.path)
        .map_err(|e| Error::bad_input("E_FONT", format!("无法读取字体文件 {}：{e}", spec.path)))?;
    let data = Arc::new(bytes);
    let font = Font::new(krilla::Data::from(data.clone()), spec.index).ok_or_else(|| {
        Error::bad_input(
            "E_FONT",
            format!("{} 第 {} 个字体无法使用", spec.path, spec.index),
        )
    })?;
    let loaded = Arc::new(LoadedFont {
        font,
        data,
        index: spec.index,
    });
    if let Ok(mut m) = fonts().lock() {
        m.insert(spec.clone(), loaded.clone());
    }
    Ok(loaded)
}

/// Text widths from the font's advances (cached per character).
struct Measure<'a> {
    font: skrifa::FontRef<'a>,
    upem: f32,
    cache: HashMap<char, f32>,
}

impl<'a> Measure<'a> {
    fn new(f: &'a LoadedFont) -> Result<Measure<'a>> {
        let font = skrifa::FontRef::from_index(&f.data, f.index)
            .map_err(|e| Error::bad_input("E_FONT", format!("字体无法解析：{e}")))?;
        let upem = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Ok(Measure {
            font,
            upem,
            cache: HashMap::new(),
        })
    }
    fn char_em(&mut self, c: char) -> f32 {
        if let Some(w) = self.cache.get(&c) {
            return *w;
        }
        let gm = self
            .font
            .glyph_metrics(Size::unscaled(), LocationRef::default());
        let w = self
            .font
            .charmap()
            .map(c)
            .and_then(|g| gm.advance_width(g))
            .map(|a| a / self.upem)
            .unwrap_or(1.0);
        self.cache.insert(c, w);
        w
    }
    fn width(&mut self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_em(c)).sum::<f32>() * size
    }
    /// Break `text` into lines no wider than `max` (CJK text breaks anywhere; a Latin word
    /// or number is kept whole when it fits on a line).
    fn wrap(&mut self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            let mut w = 0.0;
            let chars: Vec<char> = para.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                // A run of ASCII letters/digits moves as one piece.
                let mut j = i + 1;
                if chars[i].is_ascii_alphanumeric() {
                    while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.') {
                        j += 1;
                    }
                }
                let piece: String = chars[i..j].iter().collect();
                let pw = self.width(&piece, size);
                if w + pw > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    w = 0.0;
                }
                if pw > max {
                    for c in piece.chars() {
                        let cw = self.char_em(c) * size;
                        if w + cw > max && !line.is_empty() {
                            lines.push(std::mem::take(&mut line));
                            w = 0.0;
                        }
                        line.push(c);
                        w += cw;
                    }
                } else {
                    line.push_str(&piece);
                    w += pw;
                }
                i = j;
            }
            lines.push(line);
        }
        lines
    }
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(c: Rgb, width: f32, dashed: bool) -> Stroke {
    Stroke {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        width,
        dash: dashed.then(|| StrokeDash {
            array: vec![4.0, 3.0],
            offset: 0.0,
        }),
        ..Stroke::default()
    }
}

/// The page being filled and the cursor on it.
struct Writer<'a> {
    doc: krilla::Document,
    pages: Vec<Vec<Op>>,
    y: f32,
    m: Measure<'a>,
    title: String,
}

/// A drawing operation, recorded per page and replayed when the document is written: one of
/// the chart shapes placed on the page (a text's anchor already resolved to `Start`, as only
/// the writer can measure text), or a filled rectangle.
enum Op {
    Shape(Shape),
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
}

/// Text placed with its left end at `(x, y)`.
fn text_op(x: f32, y: f32, size: f32, color: Rgb, text: String) -> Op {
    Op::Shape(Shape::Text {
        at: (x, y),
        size,
        anchor: Anchor::Start,
        color,
        text,
    })
}

impl<'a> Writer<'a> {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        self.pages.last_mut().expect("a page")
    }
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }
    fn room(&mut self, h: f32) {
        if self.y + h > PAGE_H - MARGIN_BOTTOM {
            self.new_page();
        }
    }
    fn text(&mut self, x: f32, y: f32, size: f32, color: Rgb, text: &str) {
        self.ops()
            .push(text_op(x, y, size, color, text.to_string()));
    }
    fn para(&mut self, text: &str, size: f32, color: Rgb, indent: bool) {
        let width = PAGE_W - 2.0 * MARGIN_X;
        let first = if indent {
            format!("\u{3000}\u{3000}{text}")
        } else {
            text.to_string()
        };
        let lh = size * 1.6;
        for line in self.m.wrap(&first, size, width) {
            self.room(lh);
            self.y += lh;
            self.text(MARGIN_X, self.y - lh * 0.3, size, color, &line);
        }
        self.y += size * 0.4;
    }
    fn table(&mut self, columns: &[(String, f32)], rows: &[Vec<String>]) {
        let width = PAGE_W - 2.0 * MARGIN_X;
        let size = 8.0;
        let lh = size * 1.45;
        let widths: Vec<f32> = {
            let total: f32 = columns.iter().map(|c| c.1).sum::<f32>().max(0.01);
            columns.iter().map(|c| c.1 / total * width).collect()
        };
        let header: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
        let draw_row = |w: &mut Writer, cells: &[String], head: bool| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(c, cw)| w.m.wrap(c, size, cw - 6.0))
                .collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = n as f32 * lh + 4.0;
            let top = w.y;
            if head {
                w.ops().push(Op::Rect {
                    x: MARGIN_X,
                    y: top,
                    w: width,
                    h,
                    color: Rgb(0xee, 0xee, 0xee),
                });
            }
            let mut x = MARGIN_X;
            for (lines, cw) in wrapped.iter().zip(&widths) {
                for (k, line) in lines.iter().enumerate() {
                    w.text(
                        x + 3.0,
                        top + 2.0 + (k as f32 + 1.0) * lh - lh * 0.28,
                        size,
                        Rgb(0x22, 0x22, 0x22),
                        line,
                    );
                }
                w.ops().push(Op::Shape(Shape::Line {
                    from: (x, top),
                    to: (x, top + h),
                    color: Rgb(0x99, 0x99, 0x99),
                    width: 0.5,
                    dashed: false,
                }));
                x += cw;
            }
            for (from, to) in [
                ((MARGIN_X + width, top), (MARGIN_X + width, top + h)),
                ((MARGIN_X, top), (MARGIN_X + width, top)),
                ((MARGIN_X, top + h), (MARGIN_X + width, top + h)),
            ] {
                w.ops().push(Op::Shape(Shape::Line {
                    from,
                    to,
                    color: Rgb(0x99, 0x99, 0x99),
                    width: 0.5,
                    dashed: false,
                }));
            }
            w.y += h;
            h
        };
        self.room(lh * 3.0);
        draw_row(self, &header, true);
        for row in rows {
            let n = row
                .iter()
                .zip(&widths)
                .map(|(c, cw)| self.m.wrap(c, size, cw - 6.0).len())
                .max()
                .unwrap_or(1);
            if self.y + n as f32 * lh + 4.0 > PAGE_H - MARGIN_BOTTOM {
                self.new_page();
                draw_row(self, &header, true);
            }
            draw_row(self, row, false);
        }
        self.y += 6.0;
    }
    fn drawing(&mut self, d: &Drawing, x0: f32, y0: f32, scale: f32) {
        let p = |(x, y): (f32, f32)| (x0 + x * scale, y0 + y * scale);
        for s in &d.shapes {
            let op = match s {
                Shape::Line {
                    from,
                    to,
                    color,
                    width,
                    dashed,
                } => Op::Shape(Shape::Line {
                    from: p(*from),
                    to: p(*to),
                    color: *color,
                    width: width * scale,
                    dashed: *dashed,
                }),
                Shape::Path {
                    points,
                    color,
                    width,
                } => Op::Shape(Shape::Path {
                    points: points.iter().map(|q| p(*q)).collect(),
                    color: *color,
                    width: width * scale,
                }),
                Shape::Dot { at, r, color } => Op::Shape(Shape::Dot {
                    at: p(*at),
                    r: r * scale,
                    color: *color,
                }),
                Shape::Text {
                    at,
                    size,
                    anchor,
                    color,
                    text,
                } => {
                    let size = size * scale;
                    let w = self.m.width(text, size);
                    let (x, y) = p(*at);
                    let x = match anchor {
                        Anchor::Start => x,
                        Anchor::Middle => x - w / 2.0,
                        Anchor::End => x - w,
                    };
                    text_op(x, y, size, *color, text.clone())
                }
            };
            self.ops().push(op);
        }
    }
}

fn circle(cx: f32, cy: f32, r: f32) -> Option<krilla::geom::Path> {
    let k = 0.552_284_8 * r;
    let mut pb = PathBuilder::new();
    pb.move_to(cx + r, cy);
    pb.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    pb.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    pb.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    pb.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    pb.close();
    pb.finish()
}

fn replay(surface: &mut Surface, font: &Font, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Shape(Shape::Text {
                at: (x, y),
                size,
                color,
                text,
                ..
            }) => {
                if text.trim().is_empty() {
                    continue;
                }
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color)));
                surface.draw_text(
                    Point::from_xy(*x, *y),
                    font.clone(),
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            Op::Shape(Shape::Line {
                from,
                to,
                color,
                width,
                dashed,
            }) => {
                let mut pb = PathBuilder::new();
                pb.move_to(from.0, from.1);
                pb.line_to(to.0, to.1);
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(*color, *width, *dashed)));
                    surface.draw_path(&path);
                }
            }
            Op::Shape(Shape::Path {
                points,
                color,
                width,
            }) => {
                let mut pb = PathBuilder::new();
                for (i, (x, y)) in points.iter().enumerate() {
                    if i == 0 {
                        pb.move_to(*x, *y);
                    } else {
                        pb.line_to(*x, *y);
                    }
                }
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(*color, *width, false)));
                    surface.draw_path(&path);
                }
            }
            Op::Shape(Shape::Dot { at, r, color }) => {
                if let Some(path) = circle(at.0, at.1, *r) {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    surface.draw_path(&path);
                }
            }
            Op::Rect { x, y, w, h, color } => {
                let mut pb = PathBuilder::new();
                pb.move_to(*x, *y);
                pb.line_to(x + w, *y);
                pb.line_to(x + w, y + h);
                pb.line_to(*x, y + h);
                pb.close();
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    surface.draw_path(&path);
                }
            }
        }
    }
}

/// The report as a PDF document (A4), with the font `spec` names.
pub fn render(r: &Report, spec: &FontSpec) -> Result<Vec<u8>> {
    let loaded = load(spec)?;
    let mut w = Writer {
        doc: krilla::Document::new(),
        pages: Vec::new(),
        y: MARGIN_TOP,
        m: Measure::new(&loaded)?,
        title: r.title.clone(),
    };
    let ink = Rgb(0x22, 0x22, 0x22);
    let grey = Rgb(0x66, 0x66, 0x66);
    // Title block.
    let tw = w.m.width(&r.title, 17.0);
    w.y += 24.0;
    let y = w.y;
    w.text((PAGE_W - tw) / 2.0, y, 17.0, ink, &r.title);
    for (t, size) in [
        (r.issuer.clone(), 10.5),
        (format!("依据：{}", r.cites), 9.0),
    ] {
        let tw = w.m.width(&t, size);
        w.y += size * 1.9;
        let y = w.y;
        w.text((PAGE_W - tw) / 2.0, y, size, grey, &t);
    }
    w.y += 12.0;
    let content_w = PAGE_W - 2.0 * MARGIN_X;
    for b in &r.blocks {
        match b {
            Block::Heading(level, t) => {
                let size = if *level <= 2 { 13.0 } else { 11.0 };
                w.room(size * 4.0);
                w.y += size * 1.2;
                w.para(t, size, ink, false);
            }
            Block::Para(t) => w.para(t, BODY, ink, true),
            Block::Note(t) => w.para(t, 8.5, grey, false),
            Block::Table { columns, rows } => w.table(columns, rows),
            Block::Chart(d) => {
                let scale = (content_w / d.width).min(1.0);
                let h = d.height * scale;
                w.room(h + 6.0);
                let y0 = w.y;
                w.drawing(d, MARGIN_X, y0, scale);
                w.y += h + 6.0;
            }
            Block::Charts(list) => {
                let cell = content_w / 3.0;
                for chunk in list.chunks(3) {
                    let scale = chunk
                        .iter()
                        .map(|(_, d)| ((cell - 6.0) / d.width).min(1.0))
                        .fold(1.0_f32, f32::min);
                    let h = chunk.iter().map(|(_, d)| d.height).fold(0.0, f32::max) * scale;
                    w.room(h + 22.0);
                    let y0 = w.y;
                    for (k, (cap, d)) in chunk.iter().enumerate() {
                        let x0 = MARGIN_X + k as f32 * cell;
                        w.drawing(d, x0, y0, scale);
                        let lines = w.m.wrap(cap, 7.0, cell - 6.0);
                        for (i, line) in lines.iter().take(2).enumerate() {
                            w.text(x0, y0 + h + 9.0 + i as f32 * 8.5, 7.0, ink, line);
                        }
                    }
                    w.y += h + 26.0;
                }
            }
        }
    }
    // Write every page with its footer.
    let total = w.pages.len().max(1);
    let pages = std::mem::take(&mut w.pages);
    let title = w.title.clone();
    for (n, ops) in pages.iter().enumerate() {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| Error::internal("页面尺寸无效"))?;
        let mut page = w.doc.start_page_with(settings);
        let mut surface = page.surface();
        replay(&mut surface, &loaded.font, ops);
        let foot = format!("{title}　第 {} 页，共 {total} 页", n + 1);
        let fw = w.m.width(&foot, 8.0);
        replay(
            &mut surface,
            &loaded.font,
            &[text_op(
                (PAGE_W - fw) / 2.0,
                PAGE_H - MARGIN_BOTTOM / 2.0,
                8.0,
                grey,
                foot,
            )],
        );
        surface.finish();
        page.finish();
    }
    w.doc.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title)
            .language("zh-CN".into()),
    );
    w.doc
        .finish()
        .map_err(|e| Error::internal(format!("PDF 生成失败：{e:?}")))
}
