//! The ledger (工作落实台账) as Excel: one sheet per document with the columns the office keeps
//! — 序号, 工作任务, 责任领导, 牵头单位, 责任单位, 时间节点, 进展情况, 存在问题, 下一步打算, 状态 —
//! and the same layout uploaded back by a unit. An upload is validated row by row first; each
//! bad row is reported by sheet and number, and nothing is applied unless every row is good.
//! Written with `rust_xlsxwriter`, read with `calamine`.

use super::views::{Filter, ItemSummary, OwnerRef};
use super::HOOKS;
use crate::cases::ActionInput;
use crate::uploads::{cell_text, check_size, open_xlsx, problem_lines};
use crate::{App, Result, Viewer};
use calamine::{Data, Reader};
use luoshi_domain::{Error, Role};
use luoshi_store::supervision as sdb;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use serde::Serialize;
use std::collections::BTreeMap;

/// The ledger's columns, in order; an upload must carry the same header row.
pub const COLUMNS: [&str; 11] = [
    "序号",
    "工作任务",
    "责任领导",
    "牵头单位",
    "责任单位",
    "时间节点",
    "进展情况",
    "存在问题",
    "下一步打算",
    "状态",
    "事项编号",
];

/// Largest ledger upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

fn names(owners: &[OwnerRef]) -> String {
    owners
        .iter()
        .map(|o| o.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn milestones(i: &ItemSummary) -> String {
    i.milestones
        .iter()
        .map(|m| match &m.due {
            Some(d) => format!("{d}（{}）", m.source),
            None => format!("{}（未能确定日期）", m.source),
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal(format!("生成台账文件失败: {e}"))
}

/// A valid sheet name from a 文号 (Excel: at most 31 characters, none of `[]:*?/\`).
fn sheet_name(doc_no: &str) -> String {
    let clean: String = doc_no
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let name: String = clean.chars().take(31).collect();
    if name.is_empty() {
        "未编号".into()
    } else {
        name
    }
}

/// The progress, problems and next steps a ledger row shows: the item's latest monthly or
/// ledger report.
fn shown(
    reports: &[luoshi_store::supervision::ReportRow],
) -> Option<&luoshi_store::supervision::ReportRow> {
    reports
        .iter()
        .filter(|r| matches!(r.kind.as_str(), "monthly" | "ledger"))
        .max_by(|a, b| a.submitted_at.cmp(&b.submitted_at).then(a.id.cmp(&b.id)))
}

impl App {
    /// The ledger as `.xlsx` bytes: the items the viewer may see, one sheet per document.
    pub fn supervision_ledger(&self, viewer: &Viewer, doc: Option<&str>) -> Result<Vec<u8>> {
        let items = self.supervision_items(
            viewer,
            &Filter {
                doc: doc.map(str::to_string),
                ..Filter::default()
            },
        )?;
        if let (Some(d), true) = (doc, items.is_empty()) {
            return Err(Error::not_found(format!("文号为 {d} 的督办事项")));
        }
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let latest = self
            .store
            .read(|c| Ok::<_, Error>(sdb::latest_reports_of(c, &ids)?))?;
        let mut by_doc: BTreeMap<(Option<i64>, String), Vec<&ItemSummary>> = BTreeMap::new();
        for i in items.iter() {
            by_doc
                .entry((i.document_id, i.doc_no.clone()))
                .or_default()
                .push(i);
        }
        let mut book = Workbook::new();
        let head = Format::new()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_background_color("D9E1F2");
        let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
        for ((_, doc_no), list) in by_doc {
            let sheet = book.add_worksheet();
            sheet.set_name(sheet_name(&doc_no)).map_err(xlsx_error)?;
            for (col, (title, width)) in COLUMNS
                .iter()
                .zip([
                    6.0, 50.0, 10.0, 18.0, 24.0, 24.0, 40.0, 24.0, 24.0, 10.0, 8.0,
                ])
                .enumerate()
            {
                sheet
                    .write_with_format(0, col as u16, *title, &head)
                    .map_err(xlsx_error)?;
                sheet
                    .set_column_width(col as u16, width)
                    .map_err(xlsx_error)?;
            }
            for (n, i) in list.iter().enumerate() {
                let row = n as u32 + 1;
                let reports = latest.get(&i.id).map(Vec::as_slice).unwrap_or_default();
                let last = shown(reports);
                let values: [String; 10] = [
                    i.no.to_string(),
                    i.text.clone(),
                    i.leaders.join("、"),
                    names(&i.lead_units),
                    names(&i.units),
                    milestones(i),
                    last.map(|r| r.progress.clone()).unwrap_or_default(),
                    last.map(|r| r.problems.clone()).unwrap_or_default(),
                    last.map(|r| r.next_steps.clone()).unwrap_or_default(),
                    i.status_label.to_string(),
                ];
                for (col, v) in values.iter().enumerate() {
                    sheet
                        .write_with_format(row, col as u16, v.as_str(), &cell)
                        .map_err(xlsx_error)?;
                }
                sheet
                    .write_with_format(row, 10, i.id as f64, &cell)
                    .map_err(xlsx_error)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        }
        if items.is_empty() {
            let sheet = book.add_worksheet();
            sheet.set_name("台账").map_err(xlsx_error)?;
            for (col, title) in COLUMNS.iter().enumerate() {
                sheet
                    .write_with_format(0, col as u16, *title, &head)
                    .map_err(xlsx_error)?;
            }
        }
        book.save_to_buffer().map_err(xlsx_error)
    }
}

/// One problem with an uploaded row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub sheet: String,
    /// The spreadsheet row number as Excel shows it (the header is row 1).
    pub row: u32,
    pub message: String,
}

/// What an upload did (or would have done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadOutcome {
    pub applied: usize,
    /// Rows left blank or as downloaded: unchanged.
    pub skipped: usize,
    pub period: String,
}

/// A row that passed validation.
struct Good {
    item: i64,
    version: i64,
    progress: String,
    problems: String,
    next_steps: String,
}

fn upload_error(problems: Vec<RowProblem>) -> Error {
    let lines = problem_lines(&problems, |p| {
        format!("{} 第{}行：{}", p.sheet, p.row, p.message)
    });
    Error::bad_input(
        "E_LEDGER_ROWS",
        format!(
            "台账有 {} 处问题，未导入任何一行，请修改后重新上传：\n{}",
            problems.len(),
            lines
        ),
    )
}

impl App {
    /// Apply a unit's ledger upload as ledger reports for `period` (`2020-07`): every row is
    /// checked first; any problem refuses the whole file and lists every bad row.
    pub fn supervision_upload_ledger(
        &self,
        viewer: &Viewer,
        period: &str,
        bytes: &[u8],
    ) -> Result<UploadOutcome> {
        let user = viewer.user().ok_or_else(Error::unauthenticated)?;
        if !user.has(Role::UnitStaff) || user.unit_id.is_none() {
            return Err(Error::forbidden("只有承办单位可以上传本单位的工作落实台账"));
        }
        check_size(bytes, MAX_UPLOAD_BYTES, "台账文件")?;
        let mut book = open_xlsx(bytes, "台账文件")?;
        let mine = self.supervision_items(viewer, &Filter::default())?;
        let ids: Vec<i64> = mine.iter().map(|i| i.id).collect();
        let latest = self
            .store
            .read(|c| Ok::<_, Error>(sdb::latest_reports_of(c, &ids)?))?;
        let unit = user.unit_id.clone().unwrap_or_default();
        let mut problems = Vec::new();
        let mut good = Vec::new();
        let mut skipped = 0;
        for name in book.sheet_names().to_vec() {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| Error::bad_input("E_XLSX", format!("无法读取工作表“{name}”：{e}")))?;
            let mut rows = range.rows();
            let Some(header) = rows.next() else { continue };
            let header: Vec<String> = header.iter().map(|d| cell_text(Some(d))).collect();
            if header
                .iter()
                .take(10)
                .map(String::as_str)
                .ne(COLUMNS.iter().take(10).copied())
            {
                problems.push(RowProblem {
                    sheet: name.clone(),
                    row: 1,
                    message: format!("表头应为：{}", COLUMNS[..10].join("、")),
                });
                continue;
            }
            for (n, row) in rows.enumerate() {
                let line = n as u32 + 2;
                let cell = |i: usize| cell_text(row.get(i));
                let (no, progress) = (cell(0), cell(6));
                if no.is_empty() && row.iter().all(|d| matches!(d, Data::Empty)) {
                    continue;
                }
                let id: Option<i64> = cell(10).parse().ok();
                let found = mine.iter().find(|i| match id {
                    Some(id) => i.id == id,
                    None => sheet_name(&i.doc_no) == name && i.no.to_string() == no,
                });
                let problem = |m: String| RowProblem {
                    sheet: name.clone(),
                    row: line,
                    message: m,
                };
                let Some(item) = found else {
                    problems.push(problem(format!("序号“{no}”不是本单位在此文件中的督办事项")));
                    continue;
                };
                // A row as downloaded (the latest report's words) is unchanged, whoever leads it.
                let current = shown(latest.get(&item.id).map(Vec::as_slice).unwrap_or_default());
                let unchanged = current.is_some_and(|r| {
                    r.progress == progress && r.problems == cell(7) && r.next_steps == cell(8)
                });
                if unchanged {
                    skipped += 1;
                    continue;
                }
                if progress.is_empty() {
                    if !cell(7).is_empty() || !cell(8).is_empty() {
                        problems.push(problem(format!(
                            "序号 {no}：填写了问题或打算，但“进展情况”为空"
                        )));
                    } else {
                        skipped += 1;
                    }
                    continue;
                }
                if !item
                    .lead_units
                    .iter()
                    .any(|o| o.unit_id.as_deref() == Some(unit.as_str()))
                {
                    problems.push(problem(format!(
                        "序号 {no}：本单位不是牵头单位，台账由牵头单位报送"
                    )));
                    continue;
                }
                if progress.chars().count() > 5_000 {
                    problems.push(problem(format!("序号 {no}：“进展情况”超过 5000 字")));
                    continue;
                }
                let filed = latest.get(&item.id).is_some_and(|rs| {
                    rs.iter().any(|r| {
                        r.kind == "ledger"
                            && r.period == period
                            && matches!(r.status.as_str(), "submitted" | "accepted")
                    })
                });
                if filed {
                    problems.push(problem(format!(
                        "序号 {no}：{period} 批次的台账已报送（待审核或已通过），如需修改请待督查室退回"
                    )));
                    continue;
                }
                if item.state == "completed" {
                    problems.push(problem(format!("序号 {no}：事项已办结，不再报送台账")));
                    continue;
                }
                good.push(Good {
                    item: item.id,
                    version: item.version,
                    progress,
                    problems: cell(7),
                    next_steps: cell(8),
                });
            }
        }
        if !problems.is_empty() {
            return Err(upload_error(problems));
        }
        let today = self.today();
        let applied = self.store.write(|c| {
            for g in &good {
                let mut fields = serde_json::Map::new();
                fields.insert("period".into(), period.into());
                fields.insert("progress".into(), g.progress.clone().into());
                fields.insert("problems".into(), g.problems.clone().into());
                fields.insert("next_steps".into(), g.next_steps.clone().into());
                let input = ActionInput {
                    action: "submit_ledger".into(),
                    version: g.version,
                    note: Some("通过台账文件上传".into()),
                    fields,
                    attachments: vec![],
                };
                self.act_in(c, viewer, &HOOKS, g.item, &input, today)
                    .map_err(|e| {
                        Error::bad_input(e.code, format!("事项 {}：{}", g.item, e.message))
                    })?;
            }
            Ok::<_, Error>(good.len())
        })?;
        Ok(UploadOutcome {
            applied,
            skipped,
            period: period.to_string(),
        })
    }
}
