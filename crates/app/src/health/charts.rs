//! Charts (监测图表) drawn from the data, never typed: a series with its baseline, targets and
//! observed values, and sparklines for tables. A chart is a list of [`Shape`]s in points; the
//! same list becomes inline SVG for pages ([`svg`]) and vector drawing in the PDF reports
//! (`super::pdf`), so a page and its printed report show the same picture.

use luoshi_rules::attainment::{Op, Point, Status};
use luoshi_store::health::TargetRow;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt::Write;
use std::str::FromStr;

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const INK: Rgb = Rgb(0x22, 0x22, 0x22);
pub const GRID: Rgb = Rgb(0xdd, 0xdd, 0xdd);
pub const LINE: Rgb = Rgb(0x1f, 0x5f, 0xa8);
pub const BASE: Rgb = Rgb(0x77, 0x77, 0x77);
pub const TARGET: Rgb = Rgb(0xc0, 0x39, 0x2b);

/// The colour of a status.
pub fn status_color(s: Status) -> Rgb {
    match s {
        Status::Achieved => Rgb(0x1e, 0x84, 0x49),
        Status::OnTrack => Rgb(0x2e, 0x86, 0xc1),
        Status::Behind => Rgb(0xd6, 0x8a, 0x10),
        Status::Deteriorating => Rgb(0xc0, 0x39, 0x2b),
        Status::NotAssessable => Rgb(0x88, 0x88, 0x88),
    }
}

/// Where text hangs from its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One thing drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Line {
        from: (f32, f32),
        to: (f32, f32),
        color: Rgb,
        width: f32,
        dashed: bool,
    },
    Path {
        points: Vec<(f32, f32)>,
        color: Rgb,
        width: f32,
    },
    Dot {
        at: (f32, f32),
        r: f32,
        color: Rgb,
    },
    Text {
        at: (f32, f32),
        size: f32,
        anchor: Anchor,
        color: Rgb,
        text: String,
    },
}

/// A drawing: its size in points and its shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
    /// Text for readers that do not see the picture.
    pub title: String,
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Inline SVG of a drawing (every text escaped).
pub fn svg(d: &Drawing) -> String {
    let mut s = String::with_capacity(256 + d.shapes.len() * 80);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}"><title>{t}</title>"#,
        w = d.width,
        h = d.height,
        t = esc(&d.title)
    );
    for shape in &d.shapes {
        match shape {
            Shape::Line {
                from,
                to,
                color,
                width,
                dashed,
            } => {
                let _ = write!(
                    s,
                    r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="{}"{}/>"#,
                    from.0,
                    from.1,
                    to.0,
                    to.1,
                    hex(*color),
                    width,
                    if *dashed {
                        r#" stroke-dasharray="4 3""#
                    } else {
                        ""
                    }
                );
            }
            Shape::Path {
                points,
                color,
                width,
            } => {
                let pts: Vec<String> = points
                    .iter()
                    .map(|(x, y)| format!("{x:.1},{y:.1}"))
                    .collect();
                let _ = write!(
                    s,
                    r#"<polyline fill="none" points="{}" stroke="{}" stroke-width="{}"/>"#,
                    pts.join(" "),
                    hex(*color),
                    width
                );
            }
            Shape::Dot { at, r, color } => {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="{}" fill="{}"/>"#,
                    at.0,
                    at.1,
                    r,
                    hex(*color)
                );
            }
            Shape::Text {
                at,
                size,
                anchor,
                color,
                text,
            } => {
                let a = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}" font-size="{}" text-anchor="{}" fill="{}">{}</text>"#,
                    at.0,
                    at.1,
                    size,
                    a,
                    hex(*color),
                    esc(text)
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

fn f(d: Decimal) -> f32 {
    d.to_f32().unwrap_or(0.0)
}

/// What a series chart shows.
pub struct SeriesChart<'a> {
    pub title: &'a str,
    pub unit: Option<&'a str>,
    pub baseline: Option<Point>,
    pub targets: &'a [TargetRow],
    pub values: &'a [Point],
    pub width: f32,
    pub height: f32,
    /// Small multiples leave out axis labels but the first and last year.
    pub small: bool,
}

/// A series over the years: observed values (line and dots), the baseline (grey dot, dashed
/// level) and each numeric target (red mark at its year, dashed level, operator and value).
pub fn series_chart(c: &SeriesChart) -> Drawing {
    let numeric: Vec<(i32, Decimal, &TargetRow)> = c
        .targets
        .iter()
        .filter_map(|t| {
            let v = Decimal::from_str(t.value.as_deref()?).ok()?;
            Some((i32::try_from(t.year).ok()?, v, t))
        })
        .collect();
    let mut years: Vec<i32> = c.values.iter().map(|p| p.year).collect();
    years.extend(c.baseline.map(|b| b.year));
    years.extend(numeric.iter().map(|t| t.0));
    let mut levels: Vec<Decimal> = c.values.iter().map(|p| p.value).collect();
    levels.extend(c.baseline.map(|b| b.value));
    levels.extend(numeric.iter().map(|t| t.1));
    let title = format!(
        "{}{}：{} 个观测值",
        c.title,
        c.unit.map(|u| format!("（{u}）")).unwrap_or_default(),
        c.values.len()
    );
    let mut shapes = Vec::new();
    let (left, right, top, bottom) = if c.small {
        (28.0, 8.0, 8.0, 16.0)
    } else {
        (44.0, 16.0, 14.0, 24.0)
    };
    let plot_w = c.width - left - right;
    let plot_h = c.height - top - bottom;
    let (Some(&y0), Some(&y1)) = (years.iter().min(), years.iter().max()) else {
        shapes.push(Shape::Text {
            at: (c.width / 2.0, c.height / 2.0),
            size: 10.0,
            anchor: Anchor::Middle,
            color: BASE,
            text: "暂无数据".into(),
        });
        return Drawing {
            width: c.width,
            height: c.height,
            shapes,
            title,
        };
    };
    let (y0, y1) = if y0 == y1 { (y0 - 1, y1 + 1) } else { (y0, y1) };
    let lo = levels.iter().copied().map(f).fold(f32::INFINITY, f32::min);
    let hi = levels
        .iter()
        .copied()
        .map(f)
        .fold(f32::NEG_INFINITY, f32::max);
    let pad = ((hi - lo).abs() * 0.1).max(hi.abs() * 0.02).max(0.5);
    let (lo, hi) = (lo - pad, hi + pad);
    let x = |year: i32| left + plot_w * (year - y0) as f32 / (y1 - y0) as f32;
    let y = |v: f32| top + plot_h * (1.0 - (v - lo) / (hi - lo));
    // Frame and level labels.
    shapes.push(Shape::Line {
        from: (left, top + plot_h),
        to: (left + plot_w, top + plot_h),
        color: GRID,
        width: 1.0,
        dashed: false,
    });
    let label_size = if c.small { 7.0 } else { 9.0 };
    for v in [lo + pad, hi - pad] {
        shapes.push(Shape::Text {
            at: (left - 3.0, y(v) + 3.0),
            size: label_size,
            anchor: Anchor::End,
            color: BASE,
            text: trim_float(v),
        });
        shapes.push(Shape::Line {
            from: (left, y(v)),
            to: (left + plot_w, y(v)),
            color: GRID,
            width: 0.5,
            dashed: false,
        });
    }
    let step = if c.small {
        (y1 - y0).max(1)
    } else {
        ((y1 - y0) / 8).max(1)
    };
    let mut yr = y0;
    while yr <= y1 {
        shapes.push(Shape::Text {
            at: (x(yr), c.height - 4.0),
            size: label_size,
            anchor: Anchor::Middle,
            color: BASE,
            text: yr.to_string(),
        });
        yr += step;
    }
    if let Some(b) = c.baseline {
        shapes.push(Shape::Line {
            from: (x(b.year), y(f(b.value))),
            to: (left + plot_w, y(f(b.value))),
            color: BASE,
            width: 0.8,
            dashed: true,
        });
        shapes.push(Shape::Dot {
            at: (x(b.year), y(f(b.value))),
            r: 3.0,
            color: BASE,
        });
        if !c.small {
            shapes.push(Shape::Text {
                at: (x(b.year) + 4.0, y(f(b.value)) - 4.0),
                size: 8.0,
                anchor: Anchor::Start,
                color: BASE,
                text: format!("基期 {}", b.value.normalize()),
            });
        }
    }
    for (year, v, t) in &numeric {
        let (px, py) = (x(*year), y(f(*v)));
        shapes.push(Shape::Line {
            from: (left, py),
            to: (px, py),
            color: TARGET,
            width: 0.8,
            dashed: true,
        });
        shapes.push(Shape::Line {
            from: (px - 5.0, py),
            to: (px + 5.0, py),
            color: TARGET,
            width: 2.0,
            dashed: false,
        });
        if !c.small {
            let op = Op::parse(&t.op).map(Op::symbol).unwrap_or("");
            shapes.push(Shape::Text {
                at: (px - 6.0, py - 4.0),
                size: 8.0,
                anchor: Anchor::End,
                color: TARGET,
                text: format!("{year}目标 {op}{}", v.normalize()),
            });
        }
    }
    let pts: Vec<(f32, f32)> = c
        .values
        .iter()
        .map(|p| (x(p.year), y(f(p.value))))
        .collect();
    if pts.len() > 1 {
        shapes.push(Shape::Path {
            points: pts.clone(),
            color: LINE,
            width: 1.5,
        });
    }
    for (p, v) in pts.iter().zip(c.values) {
        shapes.push(Shape::Dot {
            at: *p,
            r: 2.5,
            color: LINE,
        });
        if !c.small && c.values.len() <= 12 {
            shapes.push(Shape::Text {
                at: (p.0, p.1 - 5.0),
                size: 7.5,
                anchor: Anchor::Middle,
                color: INK,
                text: v.value.to_string(),
            });
        }
    }
    Drawing {
        width: c.width,
        height: c.height,
        shapes,
        title,
    }
}

fn trim_float(v: f32) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A sparkline: the values as a line, the last one as a dot in the status colour.
pub fn sparkline(values: &[Point], status: Option<Status>, width: f32, height: f32) -> Drawing {
    let title = format!("{} 个年度数值", values.len());
    let mut shapes = Vec::new();
    if let (Some(first), Some(last)) = (values.first(), values.last()) {
        let lo = values
            .iter()
            .map(|p| f(p.value))
            .fold(f32::INFINITY, f32::min);
        let hi = values
            .iter()
            .map(|p| f(p.value))
            .fold(f32::NEG_INFINITY, f32::max);
        let span_y = if hi > lo { hi - lo } else { 1.0 };
        let span_x = (last.year - first.year).max(1) as f32;
        let pt = |p: &Point| {
            (
                2.0 + (width - 4.0) * (p.year - first.year) as f32 / span_x,
                height - 2.0 - (height - 4.0) * (f(p.value) - lo) / span_y,
            )
        };
        let points: Vec<(f32, f32)> = values.iter().map(pt).collect();
        if points.len() > 1 {
            shapes.push(Shape::Path {
                points,
                color: LINE,
                width: 1.0,
            });
        }
        shapes.push(Shape::Dot {
            at: pt(last),
            r: 2.0,
            color: status.map(status_color).unwrap_or(LINE),
        });
    }
    Drawing {
        width,
        height,
        shapes,
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(year: i32, v: &str) -> Point {
        Point {
            year,
            value: Decimal::from_str(v).unwrap(),
        }
    }

    #[test]
    fn a_series_chart_shows_baseline_target_and_values_and_escapes_text() {
        let t = TargetRow {
            year: 2022,
            op: "<=".into(),
            value: Some("4.1".into()),
            ..TargetRow::default()
        };
        let d = series_chart(&SeriesChart {
            title: "婴儿死亡率<script>",
            unit: Some("‰"),
            baseline: Some(p(2018, "2.83")),
            targets: std::slice::from_ref(&t),
            values: &[p(2019, "2.9"), p(2020, "2.7")],
            width: 400.0,
            height: 200.0,
            small: false,
        });
        let s = svg(&d);
        assert!(s.contains("基期 2.83"));
        assert!(s.contains("2022目标 ≤4.1"));
        assert!(s.contains("<polyline"));
        assert!(s.contains("&lt;script&gt;"));
        assert!(!s.contains("<script>"));
        // Every coordinate is inside the drawing.
        for shape in &d.shapes {
            if let Shape::Dot { at, .. } = shape {
                assert!(at.0 >= 0.0 && at.0 <= 400.0 && at.1 >= 0.0 && at.1 <= 200.0);
            }
        }
        let empty = svg(&series_chart(&SeriesChart {
            title: "x",
            unit: None,
            baseline: None,
            targets: &[],
            values: &[],
            width: 100.0,
            height: 50.0,
            small: true,
        }));
        assert!(empty.contains("暂无数据"));
        let spark = svg(&sparkline(
            &[p(2019, "1"), p(2020, "2")],
            Some(Status::Behind),
            80.0,
            20.0,
        ));
        assert!(spark.contains("#d68a10"));
    }
}
