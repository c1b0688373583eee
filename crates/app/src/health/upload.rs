//! Uploading values (监测数据上传) from `.xlsx` (read with `calamine`) or CSV (read with `csv`):
//! every row is checked first — the series, the area, the year and month, the value and its
//! numerator/denominator, the uploader's right to enter it and that its year is not submitted
//! or locked — and one bad row refuses the whole file, listing every bad row by number. A good
//! file is applied in one transaction as one `enter` action per series, area and year.
//!
//! Columns (the header row names them): 指标编号, 地区, 年份, 月份 (blank or 0: the year's
//! value), 数值, 分子, 分母, 说明. 指标编号 is the series key (`T2`, `T25.1`) or the series'
//! name. A numeric Excel cell is read as its shortest decimal (`4.1`); to keep a trailing zero
//! (`4.10`) write the cell as text.

use super::views::scope;
use super::{area, check_value, ValueIn};
use crate::uploads::{check_size, problem_lines};
use crate::{App, Result, Viewer};
use calamine::{Data, Reader};
use luoshi_domain::Error;
use luoshi_store::health as hdb;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Largest file accepted.
pub const MAX_BYTES: usize = 5 * 1_048_576;

/// The header, in order.
pub const COLUMNS: [&str; 8] = [
    "指标编号",
    "地区",
    "年份",
    "月份",
    "数值",
    "分子",
    "分母",
    "说明",
];

/// What an upload did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UploadOutcome {
    pub rows: usize,
    /// Series, area and year groups written (one `enter` action each).
    pub groups: usize,
}

/// A bad row and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub message: String,
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => other.to_string().trim().to_string(),
    }
}

/// Rows of text cells (header first) from `.xlsx` or CSV bytes; `name` decides which.
pub fn read_rows(name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    check_size(bytes, MAX_BYTES, "文件")?;
    if name.to_lowercase().ends_with(".xlsx") {
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
            .map_err(|e| Error::bad_input("E_XLSX", format!("无法读取 .xlsx 文件：{e}")))?;
        let Some(first) = book.sheet_names().first().cloned() else {
            return Ok(Vec::new());
        };
        let range = book
            .worksheet_range(&first)
            .map_err(|e| Error::bad_input("E_XLSX", format!("无法读取工作表“{first}”：{e}")))?;
        return Ok(range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect());
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| Error::bad_input("E_CSV", "CSV 文件应为 UTF-8 编码"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (n, r) in reader.records().enumerate() {
        let r =
            r.map_err(|e| Error::bad_input("E_CSV", format!("CSV 第{}行无法读取：{e}", n + 1)))?;
        rows.push(r.iter().map(|s| s.trim().to_string()).collect());
    }
    Ok(rows)
}

fn rows_error(problems: &[RowProblem]) -> Error {
    let lines = problem_lines(problems, |p| format!("第{}行：{}", p.row, p.message));
    Error::bad_input(
        "E_HEALTH_ROWS",
        format!(
            "文件有 {} 处问题，未导入任何一行，请修改后重新上传：\n{}",
            problems.len(),
            lines
        ),
    )
}

/// An `.xlsx` workbook of text cells (the upload template and its tests use it; cells are
/// text so `4.10` keeps its trailing zero).
pub fn xlsx(rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| Error::internal(format!("生成 .xlsx 失败：{e}"));
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (
                u32::try_from(r).map_err(|_| Error::internal("行数过多"))?,
                u16::try_from(c).map_err(|_| Error::internal("列数过多"))?,
            );
            sheet.write_string(r, c, v.as_str()).map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}

/// The upload template: the header and one row per series the viewer enters for the city.
pub fn template(app: &App, viewer: &Viewer, year: i64) -> Result<Vec<u8>> {
    let dash = app.health_dashboard(viewer, Some(year))?;
    let mut rows = vec![COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
    for s in dash.series.iter().filter(|s| s.can_enter) {
        rows.push(vec![
            s.series.key.clone(),
            "全市".into(),
            year.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            s.series.name.clone(),
        ]);
    }
    xlsx(&rows)
}

type Group = (i64, String, i64);

impl App {
    /// Check every row of an upload and, when all are good, enter them in one transaction.
    pub fn health_upload(
        &self,
        viewer: &Viewer,
        name: &str,
        bytes: &[u8],
    ) -> Result<UploadOutcome> {
        if viewer.user().is_none() {
            return Err(Error::unauthenticated());
        }
        let rows = read_rows(name, bytes)?;
        let Some((header, body)) = rows.split_first() else {
            return Err(Error::bad_input("E_HEALTH_ROWS", "文件是空的"));
        };
        let header: Vec<&str> = header.iter().map(|s| s.trim()).collect();
        if header.len() < 5 || header[..5] != COLUMNS[..5] {
            return Err(Error::bad_input(
                "E_HEALTH_HEADER",
                format!("第1行应为表头：{}", COLUMNS.join("、")),
            ));
        }
        let today = self.today();
        self.store.write(|c| {
            let scope = scope(c, viewer)?;
            let all = hdb::series(c, None)?;
            let mut problems = Vec::new();
            let mut groups: BTreeMap<Group, Vec<ValueIn>> = BTreeMap::new();
            let mut seen: HashSet<(i64, String, i64, i64)> = HashSet::new();
            let mut count = 0;
            for (n, row) in body.iter().enumerate() {
                let line = n + 2;
                let cell = |i: usize| row.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
                if row.iter().all(|s| s.trim().is_empty()) {
                    continue;
                }
                let mut bad = |m: String| {
                    problems.push(RowProblem {
                        row: line,
                        message: m,
                    })
                };
                let key = cell(0);
                let Some(s) = all
                    .iter()
                    .find(|s| s.key == key || s.name == key || s.id.to_string() == key)
                else {
                    bad(format!("指标编号“{key}”不是已知的监测指标"));
                    continue;
                };
                let a = match area(c, &cell(1)) {
                    Ok(a) => a,
                    Err(e) => {
                        bad(e.message);
                        continue;
                    }
                };
                let Ok(year) = cell(2).parse::<i64>() else {
                    bad(format!("年份“{}”应为四位数字", cell(2)));
                    continue;
                };
                if !super::YEARS.contains(&year) {
                    bad(format!("年份 {year} 不在 2000—2100 之间"));
                    continue;
                }
                let month = match cell(3).as_str() {
                    "" | "全年" => 0,
                    m => match m.trim_end_matches('月').parse::<i64>() {
                        Ok(m) => m,
                        Err(_) => {
                            bad(format!("月份“{m}”应为 1—12 或留空（全年）"));
                            continue;
                        }
                    },
                };
                let v = ValueIn {
                    month,
                    value: cell(4),
                    numerator: Some(cell(5)).filter(|s| !s.is_empty()),
                    denominator: Some(cell(6)).filter(|s| !s.is_empty()),
                    note: cell(7),
                };
                if let Err(e) = check_value(&v, s.factor.as_deref()) {
                    bad(e.message);
                    continue;
                }
                if !scope.enters(s, &a.id) {
                    bad(format!(
                        "您的单位不负责填报“{}”（{}）的数值",
                        s.name, a.name
                    ));
                    continue;
                }
                if !seen.insert((s.id, a.id.clone(), year, month)) {
                    bad(format!(
                        "与前面的行重复：{} {} {} 年{}",
                        s.name,
                        a.name,
                        year,
                        if month == 0 {
                            String::new()
                        } else {
                            format!(" {month} 月")
                        }
                    ));
                    continue;
                }
                if let Some(state) = c
                    .query_opt(
                        "SELECT state FROM cases WHERE procedure = $1 AND ref_key = $2",
                        &[
                            super::PROCEDURE.into(),
                            format!("S{}:{}:{}", s.id, a.id, year).into(),
                        ],
                    )?
                    .map(|r| r.text("state"))
                    .transpose()?
                {
                    if state == "submitted" || state == "approved" {
                        bad(format!(
                            "{} {} {} 年的数值已{}，不能再录入（需先退回或由推进委员会办公室解锁）",
                            s.name,
                            a.name,
                            year,
                            if state == "approved" {
                                "审定锁定"
                            } else {
                                "报送审核"
                            }
                        ));
                        continue;
                    }
                }
                count += 1;
                groups
                    .entry((s.id, a.id.clone(), year))
                    .or_default()
                    .push(v);
            }
            if !problems.is_empty() {
                return Err(rows_error(&problems));
            }
            if count == 0 {
                return Err(Error::bad_input("E_HEALTH_ROWS", "文件中没有数值行"));
            }
            let n = groups.len();
            for ((series_id, area_id, year), values) in groups {
                self.health_act_in(
                    c,
                    viewer,
                    series_id,
                    &area_id,
                    year,
                    "enter",
                    values,
                    Some(format!("上传文件 {name}")),
                    today,
                )?;
            }
            Ok(UploadOutcome {
                rows: count,
                groups: n,
            })
        })
    }
}
