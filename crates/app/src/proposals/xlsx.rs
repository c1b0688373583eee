//! Bulk registration from a spreadsheet (批量登记): after a session the office receives the list
//! of items as `.xlsx`; every row is checked first ([`super::register::check`]), each bad row
//! is reported by its number, and nothing is registered unless every row is good. Possible
//! duplicates of earlier items are reported with the rows. The template is written with
//! `rust_xlsxwriter`, uploads read with `calamine`.

use super::register::{self, Duplicate, NewProposal, NewProposer};
use crate::uploads::{cell_text, check_size, open_xlsx, problem_lines};
use crate::{App, Result, Viewer};
use calamine::{Data, Reader};
use luoshi_domain::Error;
use rust_xlsxwriter::{Format, FormatBorder, Workbook};
use serde::Serialize;
use std::collections::BTreeSet;

/// The columns of the registration sheet, in order.
pub const COLUMNS: [&str; 14] = [
    "年度",
    "编号",
    "来源",
    "类别",
    "会期",
    "会议名称",
    "重点",
    "需领导阅批",
    "题目",
    "内容",
    "提出人",
    "代表团/界别",
    "联系方式",
    "提出人账号",
];

/// Largest upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Most rows in one upload.
pub const MAX_ROWS: usize = 5_000;

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal(format!("生成登记表失败: {e}"))
}

/// A registration template with the header and one example row.
pub fn template() -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let sheet = book.add_worksheet();
    sheet.set_name("建议提案登记").map_err(xlsx_error)?;
    for (col, h) in COLUMNS.iter().enumerate() {
        sheet
            .write_with_format(0, col as u16, *h, &head)
            .map_err(xlsx_error)?;
    }
    let example = [
        "2020",
        "0001",
        "市人大",
        "建议",
        "会议期间",
        "市十五届人大四次会议",
        "否",
        "否",
        "关于……的建议",
        "建议内容……",
        "张三、李四",
        "金水区代表团",
        "联系方式一；联系方式二",
        "",
    ];
    for (col, v) in example.iter().enumerate() {
        sheet.write(1, col as u16, *v).map_err(xlsx_error)?;
    }
    sheet.set_column_width(8, 40).map_err(xlsx_error)?;
    sheet.set_column_width(9, 60).map_err(xlsx_error)?;
    book.save_to_buffer().map_err(xlsx_error)
}

/// A problem with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The row number as Excel shows it (the header is row 1).
    pub row: u32,
    pub message: String,
}

/// A row's possible duplicates of earlier items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowDuplicates {
    pub row: u32,
    pub subject: String,
    pub duplicates: Vec<Duplicate>,
}

/// What an upload did (or, dry, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportOutcome {
    pub rows: usize,
    pub registered: Vec<i64>,
    pub dry_run: bool,
    pub duplicates: Vec<RowDuplicates>,
}

/// A cell as text, a boolean as 是/否.
fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::Bool(b)) => if *b { "是" } else { "否" }.to_string(),
        other => cell_text(other),
    }
}

fn yes(s: &str) -> Option<bool> {
    match s.trim() {
        "" | "否" | "不是" | "no" | "false" | "0" => Some(false),
        "是" | "重点" | "yes" | "true" | "1" => Some(true),
        _ => None,
    }
}

fn split(s: &str, seps: &[char]) -> Vec<String> {
    s.split(seps)
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// One sheet row as an entry, or its problems.
fn entry(cells: &[String]) -> std::result::Result<NewProposal, Vec<String>> {
    let get = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
    let mut problems = Vec::new();
    let year = get(0).parse::<i64>().unwrap_or_else(|_| {
        problems.push(format!("年度“{}”应为四位数字", get(0)));
        0
    });
    let key = yes(get(6)).unwrap_or_else(|| {
        problems.push(format!("重点“{}”应为 是 或 否", get(6)));
        false
    });
    let instruction = yes(get(7)).unwrap_or_else(|| {
        problems.push(format!("需领导阅批“{}”应为 是 或 否", get(7)));
        false
    });
    let names = split(get(10), &['、', ',', '，', ';', '；']);
    let affiliations = split(get(11), &['；', ';']);
    let contacts: Vec<String> = get(12)
        .split(['；', ';'])
        .map(|s| s.trim().to_string())
        .collect();
    let accounts: Vec<String> = get(13)
        .split(['；', ';'])
        .map(|s| s.trim().to_string())
        .collect();
    if affiliations.len() > 1 && affiliations.len() != names.len() {
        problems.push(format!(
            "代表团/界别有 {} 项，提出人有 {} 位：应一一对应，或只填一项",
            affiliations.len(),
            names.len()
        ));
    }
    for (what, list) in [("联系方式", &contacts), ("提出人账号", &accounts)] {
        let filled = list.iter().filter(|x| !x.is_empty()).count();
        if filled > 0 && list.len() != names.len() {
            problems.push(format!(
                "{what}有 {} 项，提出人有 {} 位：应按提出人顺序以“；”分隔",
                list.len(),
                names.len()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let proposers = names
        .iter()
        .enumerate()
        .map(|(i, name)| NewProposer {
            name: name.clone(),
            role: String::new(),
            affiliation: affiliations
                .get(if affiliations.len() == 1 { 0 } else { i })
                .cloned()
                .unwrap_or_default(),
            contact: contacts.get(i).cloned().unwrap_or_default(),
            username: accounts.get(i).cloned().filter(|a| !a.is_empty()),
        })
        .collect();
    Ok(NewProposal {
        year,
        number: get(1).to_string(),
        source: get(2).to_string(),
        kind: get(3).to_string(),
        session: get(4).to_string(),
        session_name: get(5).to_string(),
        key_item: key,
        needs_instruction: instruction,
        subject: get(8).to_string(),
        text: get(9).to_string(),
        proposers,
    })
}

fn rows_error(problems: &[RowProblem]) -> Error {
    let lines = problem_lines(problems, |p| format!("第{}行：{}", p.row, p.message));
    let rows: BTreeSet<u32> = problems.iter().map(|p| p.row).collect();
    Error::bad_input(
        "E_IMPORT_ROWS",
        format!(
            "登记表有 {} 行有误，未登记任何一件，请修改后重新上传：\n{}",
            rows.len(),
            lines
        ),
    )
}

impl App {
    /// Register every row of an uploaded `.xlsx` (the office), all or nothing; with `dry_run`
    /// only check and report possible duplicates.
    pub fn proposal_import(
        &self,
        viewer: &Viewer,
        bytes: &[u8],
        dry_run: bool,
    ) -> Result<ImportOutcome> {
        register::require_office(viewer)?;
        check_size(bytes, MAX_UPLOAD_BYTES, "登记表")?;
        let mut book = open_xlsx(bytes, "登记表")?;
        let name = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| Error::bad_input("E_XLSX", "登记表没有工作表"))?;
        let range = book
            .worksheet_range(&name)
            .map_err(|e| Error::bad_input("E_XLSX", format!("无法读取工作表“{name}”：{e}")))?;
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .map(|h| h.iter().map(|d| text(Some(d))).collect())
            .unwrap_or_default();
        if header
            .iter()
            .map(String::as_str)
            .take(COLUMNS.len())
            .ne(COLUMNS)
        {
            return Err(Error::bad_input(
                "E_XLSX_HEADER",
                format!(
                    "登记表第1行应为表头：{}（可下载模板填写）",
                    COLUMNS.join("、")
                ),
            ));
        }
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (i, r) in rows.enumerate() {
            let row = i as u32 + 2;
            let cells: Vec<String> = r.iter().map(|d| text(Some(d))).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            match entry(&cells) {
                Ok(e) => entries.push((row, e)),
                Err(list) => {
                    problems.extend(list.into_iter().map(|message| RowProblem { row, message }))
                }
            }
        }
        if entries.len() + problems.len() > MAX_ROWS {
            return Err(Error::bad_input(
                "E_IMPORT_ROWS",
                format!("一次最多登记 {MAX_ROWS} 件，请分批上传"),
            ));
        }
        if entries.is_empty() && problems.is_empty() {
            return Err(Error::bad_input("E_IMPORT_EMPTY", "登记表中没有数据行"));
        }
        let at = self.now();
        let today = self.today();
        self.store.write(|c| {
            let mut checked = Vec::new();
            let mut seen = BTreeSet::new();
            for (row, e) in &entries {
                match register::check(c, e)? {
                    Ok(k) => {
                        let key = (k.entry.year, k.source.as_str(), k.entry.number.clone());
                        if !seen.insert(key) {
                            problems.push(RowProblem {
                                row: *row,
                                message: format!(
                                    "{}年{}第{}号在本表中重复",
                                    k.entry.year,
                                    k.source.label(),
                                    k.entry.number
                                ),
                            });
                        } else {
                            checked.push((*row, k));
                        }
                    }
                    Err(list) => problems.extend(
                        list.into_iter()
                            .map(|message| RowProblem { row: *row, message }),
                    ),
                }
            }
            if !problems.is_empty() {
                problems.sort_by_key(|p| p.row);
                return Err(rows_error(&problems));
            }
            let mut outcome = ImportOutcome {
                rows: checked.len(),
                registered: Vec::new(),
                dry_run,
                duplicates: Vec::new(),
            };
            for (row, k) in &checked {
                let duplicates = register::possible_duplicates(c, &k.entry, 0)?;
                if !duplicates.is_empty() {
                    outcome.duplicates.push(RowDuplicates {
                        row: *row,
                        subject: k.entry.subject.clone(),
                        duplicates,
                    });
                }
                if !dry_run {
                    let id = register::insert(c, viewer, k, &at)?;
                    super::standing::refresh_item(self, c, id, today)?;
                    outcome.registered.push(id);
                }
            }
            if !dry_run {
                super::bump_generation(c, &at)?;
            }
            Ok(outcome)
        })
    }
}

/// A spreadsheet of entries in the registration layout (tests, the demo, the benchmark).
pub fn workbook(entries: &[NewProposal]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in COLUMNS.iter().enumerate() {
        sheet.write(0, col as u16, *h).map_err(xlsx_error)?;
    }
    let yn = |b: bool| if b { "是" } else { "否" };
    for (i, e) in entries.iter().enumerate() {
        let row = i as u32 + 1;
        let join = |f: &dyn Fn(&NewProposer) -> String, sep: &str| {
            e.proposers.iter().map(f).collect::<Vec<_>>().join(sep)
        };
        let values = [
            e.year.to_string(),
            e.number.clone(),
            e.source.clone(),
            e.kind.clone(),
            e.session.clone(),
            e.session_name.clone(),
            yn(e.key_item).to_string(),
            yn(e.needs_instruction).to_string(),
            e.subject.clone(),
            e.text.clone(),
            join(&|p| p.name.clone(), "、"),
            join(&|p| p.affiliation.clone(), "；"),
            join(&|p| p.contact.clone(), "；"),
            join(&|p| p.username.clone().unwrap_or_default(), "；"),
        ];
        for (col, v) in values.iter().enumerate() {
            sheet
                .write(row, col as u16, v.as_str())
                .map_err(xlsx_error)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}
