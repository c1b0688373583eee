//! Workbooks of the reports (报表导出): the quarterly progress bulletin (郑政办〔2020〕27号 第八条),
//! a unit's summary and the government's annual report (第十二条) as `.xlsx`, each the same
//! figures as its printable page. Every sheet is written by [`sheet`], the one place that knows
//! how a Luoshi table looks in Excel (bold bordered header, bordered cells, column widths), so the
//! five standards' workbook ([`super::standards`]) shares it too.

use super::reports::{AnnualReport, Bulletin, Totals, UnitSummary};
use super::standards::UnitStandards;
use crate::{App, Result, Viewer};
use luoshi_domain::Error;
use luoshi_rules::proposal::Figure;
use rust_xlsxwriter::{Format, FormatBorder, Workbook};

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal(format!("生成 Excel 报表失败: {e}"))
}

/// Add a sheet named `name`: the header row in bold, then `rows`, every cell bordered; the
/// first column `first_width` characters wide (unit names, labels).
pub(crate) fn sheet(
    book: &mut Workbook,
    name: &str,
    header: &[String],
    rows: &[Vec<String>],
    first_width: f64,
) -> Result<()> {
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let s = book.add_worksheet();
    s.set_name(name).map_err(xlsx_error)?;
    for (col, h) in (0u16..).zip(header) {
        s.write_with_format(0, col, h.as_str(), &head)
            .map_err(xlsx_error)?;
    }
    for (row, values) in (1u32..).zip(rows) {
        for (col, v) in (0u16..).zip(values) {
            // Whole numbers go in as numbers, so Excel can sum them.
            match v.parse::<u32>() {
                Ok(n) if !v.starts_with('0') || v == "0" => {
                    s.write_with_format(row, col, f64::from(n), &cell)
                }
                _ => s.write_with_format(row, col, v.as_str(), &cell),
            }
            .map_err(xlsx_error)?;
        }
    }
    s.set_column_width(0, first_width).map_err(xlsx_error)?;
    Ok(())
}

pub(crate) fn save(mut book: Workbook) -> Result<Vec<u8>> {
    book.save_to_buffer().map_err(xlsx_error)
}

/// Whether a figure meets its standard, in words.
pub(crate) fn met_words(f: &Figure) -> &'static str {
    match f.result.met {
        None => "不适用",
        Some(true) => "达到",
        Some(false) if f.result.in_principle => "未达到（原则上）",
        Some(false) => "未达到",
    }
}

/// The five figures' column heads: for each, its count over its base and its rate.
fn figure_heads(figures: &[Figure]) -> Vec<String> {
    figures
        .iter()
        .flat_map(|f| {
            [
                format!("{}（件数/应计）", f.result.standard),
                format!("比率%（标准 {}%）", f.result.threshold_percent),
            ]
        })
        .collect()
}

fn figure_cells(u: &UnitStandards) -> Vec<String> {
    u.figures
        .iter()
        .flat_map(|f| {
            [
                format!("{}/{}", f.result.count, f.result.total),
                f.result.rate_percent.clone().unwrap_or_else(|| "—".into()),
            ]
        })
        .collect()
}

fn unit_name(u: &UnitStandards) -> String {
    u.unit
        .as_ref()
        .map(|x| x.name.clone())
        .unwrap_or_else(|| "全部承办单位".into())
}

fn heads(first: &[&str], u: &UnitStandards, last: &[&str]) -> Vec<String> {
    let mut h: Vec<String> = first.iter().map(|s| s.to_string()).collect();
    h.extend(figure_heads(&u.figures));
    h.extend(last.iter().map(|s| s.to_string()));
    h
}

/// The bulletin's workbook: one line per unit (the overall first), its problems named.
pub fn bulletin_workbook(b: &Bulletin) -> Result<Vec<u8>> {
    let header = heads(
        &["承办单位", "承办件数", "已答复"],
        &b.overall,
        &["存在问题（逾期未答复）"],
    );
    let mut rows = vec![{
        let mut r = vec![
            unit_name(&b.overall),
            b.overall.items.to_string(),
            String::new(),
        ];
        r.extend(figure_cells(&b.overall));
        r.push(String::new());
        r
    }];
    for l in &b.lines {
        let mut r = vec![
            unit_name(&l.standards),
            l.standards.items.to_string(),
            l.replied.to_string(),
        ];
        r.extend(figure_cells(&l.standards));
        r.push(
            l.problems
                .iter()
                .map(|p| format!("{} {}", p.number, p.subject))
                .collect::<Vec<_>>()
                .join("；"),
        );
        rows.push(r);
    }
    let mut book = Workbook::new();
    let name = format!("{}年第{}季度", b.year, b.quarter);
    sheet(&mut book, &name, &header, &rows, 28.0)?;
    save(book)
}

/// Totals as label–value rows (the annual report's and a unit summary's first sheet).
fn totals_rows(t: &Totals) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = vec![vec!["承办总件数".into(), t.items.to_string()]];
    for (k, v) in t.by_source.iter().chain(&t.by_kind) {
        rows.push(vec![k.clone(), v.to_string()]);
    }
    for (label, v) in [
        ("会议期间", t.session),
        ("闭会期间", t.recess),
        ("重点件", t.key_items),
        ("已交办", t.assigned),
        ("已答复", t.replied),
        ("重新办理轮次", t.redo_rounds),
        ("见面沟通", t.met_in_person),
        ("公开答复", t.published),
        ("不予公开", t.withheld),
    ] {
        rows.push(vec![label.into(), v.to_string()]);
    }
    rows.push(vec!["同意退回".into(), t.returns_approved.to_string()]);
    for (k, v) in &t.by_class {
        rows.push(vec![format!("{k}类答复"), v.to_string()]);
    }
    for (k, v) in &t.by_satisfaction {
        rows.push(vec![format!("反馈{k}"), v.to_string()]);
    }
    rows
}

fn standards_rows(u: &UnitStandards) -> Vec<Vec<String>> {
    u.figures
        .iter()
        .map(|f| {
            vec![
                f.result.standard.to_string(),
                format!("{}/{}", f.result.count, f.result.total),
                f.result.rate_percent.clone().unwrap_or_else(|| "—".into()),
                format!("{}%", f.result.threshold_percent),
                met_words(f).to_string(),
            ]
        })
        .collect()
}

fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|x| x.to_string()).collect()
}

/// A workbook opening with the totals and the five standards (a unit's or the overall).
fn overview(t: &Totals, u: &UnitStandards) -> Result<Workbook> {
    let mut book = Workbook::new();
    sheet(
        &mut book,
        "总体情况",
        &strings(&["项目", "件数"]),
        &totals_rows(t),
        20.0,
    )?;
    sheet(
        &mut book,
        "五项标准",
        &strings(&["标准", "件数/应计", "比率%", "标准值", "是否达到"]),
        &standards_rows(u),
        30.0,
    )?;
    Ok(book)
}

/// A unit's summary: totals, the five standards, and every item it handled.
pub fn unit_summary_workbook(s: &UnitSummary) -> Result<Vec<u8>> {
    let mut book = overview(&s.totals, &s.standards)?;
    let items: Vec<Vec<String>> = s
        .items
        .iter()
        .map(|i| {
            vec![
                i.number.clone(),
                i.subject.clone(),
                i.class.clone().unwrap_or_default(),
                i.satisfaction.clone().unwrap_or_default(),
                i.replied_date.clone().unwrap_or_default(),
                i.rounds.to_string(),
            ]
        })
        .collect();
    sheet(
        &mut book,
        "办理件",
        &strings(&["编号", "案由", "答复类别", "满意度", "答复日期", "办理轮次"]),
        &items,
        16.0,
    )?;
    save(book)
}

/// The annual report: totals, the overall five standards, and every unit's line.
pub fn annual_workbook(r: &AnnualReport) -> Result<Vec<u8>> {
    let mut book = overview(&r.totals, &r.overall)?;
    let header = heads(
        &["承办单位", "承办件数"],
        &r.overall,
        &["是否全部达标", "须书面总结（第十二条）"],
    );
    let rows: Vec<Vec<String>> = r
        .units
        .iter()
        .map(|u| {
            let mut row = vec![unit_name(u), u.items.to_string()];
            row.extend(figure_cells(u));
            row.push(if u.all_met { "是" } else { "否" }.into());
            row.push(if u.summary_required { "是" } else { "否" }.into());
            row
        })
        .collect();
    sheet(&mut book, "各承办单位", &header, &rows, 28.0)?;
    save(book)
}

impl App {
    /// [`App::proposal_bulletin`] as `.xlsx`.
    pub fn proposal_bulletin_xlsx(
        &self,
        viewer: &Viewer,
        year: i64,
        quarter: u32,
    ) -> Result<Vec<u8>> {
        bulletin_workbook(&self.proposal_bulletin(viewer, year, quarter)?)
    }

    /// [`App::proposal_unit_summary`] as `.xlsx`.
    pub fn proposal_unit_summary_xlsx(
        &self,
        viewer: &Viewer,
        year: i64,
        unit: &str,
    ) -> Result<Vec<u8>> {
        unit_summary_workbook(&self.proposal_unit_summary(viewer, year, unit)?)
    }

    /// [`App::proposal_annual_report`] as `.xlsx`.
    pub fn proposal_annual_xlsx(&self, viewer: &Viewer, year: i64) -> Result<Vec<u8>> {
        annual_workbook(&self.proposal_annual_report(viewer, year)?)
    }
}
