//! Indicators (考核指标): the rows of an assessment-indicator table (考核指标框架), written as
//! tab-separated lines under a header such as `考核依据<TAB>序号<TAB>指 标<TAB>基期值<TAB>2022 年目标值`.
//!
//! Rules of interpretation:
//! - A header row has cells 序号, 指标 and one or more …目标值 columns, each naming its year
//!   (`2022 年目标值`, `2030 年目标值`); optionally 考核依据, 基期值 (whose header may name the
//!   baseline year) and a unit column (单位). The header may repeat (a new page or block); rows
//!   continue across blocks and blank lines.
//! - The 考核依据 cell is merged into the first row of its block and carries to the following
//!   rows until a new one is written.
//! - Unit: the unit column when there is one, else the content of the bracket closing the
//!   indicator name (`婴儿死亡率(‰)` → `‰`,
//!   `每千常住人口执业(助理)医师数(人)` → `人`); the name is given without it.
//! - Baseline year: read from the table's footnote (else from the baseline header) (`基期水平值为 2018 年数值（带 * 号为 2017 年
//!   数值）`): unmarked values take the first year, values marked `*` the year after `*`; a
//!   cell's own year (`40.5 (2019 年)`) wins. `—` means no baseline value. A comparator in the
//!   cell (`≥16.2`) is kept in the text; the value is the number.
//! - Target operator: `≤`→`<=`, `≥`→`>=`, `<`, `>`, a plain number → `=`; qualitative cells
//!   become `trend` when they speak of a direction ([`TREND_WORDS`], `下降趋势`) and `text`
//!   otherwise (`提前实现`).
//! - A row whose name holds several indicators separated by a comma (`…的比例（%），村卫生室…
//!   的比例（%）`) with as many comma-separated values (`100, 71`) yields one indicator per part,
//!   all with the row's number.
//! - A row without a number continues the previous row's name (a wrapped cell).

use crate::cite::clause_path_at;
use crate::model::{Baseline, Clause, Indicator, IndicatorTarget, Span};
use crate::text::{fold_char, fold_width, normalize_spacing, remove_spaces};

/// Words that make a qualitative target a direction (`trend`) rather than free text.
pub(crate) const TREND_WORDS: &[&str] = &[
    "下降", "上升", "提高", "降低", "减少", "增加", "趋势", "提升",
];

/// Extract every indicator row of one document's tables.
pub(crate) fn extract(lines: &[(usize, &str)], outline: &[Clause]) -> Vec<Indicator> {
    // Tables are tab-separated with a 序号 column: a document without such a line has none.
    if !lines
        .iter()
        .any(|(_, raw)| raw.contains('\t') && raw.contains("序"))
    {
        return Vec::new();
    }
    let years = BaselineYears::from_lines(lines);
    let mut out: Vec<Indicator> = Vec::new();
    let mut layout: Option<Layout> = None;
    let mut basis: Option<String> = None;
    // Number of indicators the last row produced (a continuation row extends them all).
    let mut last_row_len = 0;
    for &(line_no, raw) in lines {
        if raw.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = raw.split('\t').collect();
        if raw.contains("序") {
            if let Some(header) = Layout::from_header(&cells) {
                layout = Some(header);
                continue;
            }
        }
        let Some(table) = &layout else { continue };
        if cells.len() < 2 {
            // A line outside the table (its footnote, the next clause) ends it.
            layout = None;
            basis = None;
            continue;
        }
        let cell = |column: Option<usize>| table.cell(&cells, column);
        let basis_cell = normalize_spacing(cell(table.basis));
        if !basis_cell.is_empty() {
            basis = Some(basis_cell.into_owned());
        }
        let name = normalize_spacing(cell(Some(table.name))).into_owned();
        let no = remove_spaces(cell(Some(table.no)));
        let no = fold_width(&no);
        let no = match no.parse::<u32>() {
            Ok(no) => no,
            Err(_) if no.is_empty() => {
                if !name.is_empty() && last_row_len > 0 {
                    continue_previous(&mut out, last_row_len, &name, line_no);
                }
                continue;
            }
            // `25a`, `二`: a row with a number we cannot read is kept, numbered by its leading
            // digits or 0, never dropped.
            Err(_) => leading_digits(&no),
        };
        let row = Row {
            no,
            name,
            unit: remove_spaces(cell(table.unit)).into_owned(),
            baseline: cell(table.baseline).trim().to_string(),
            targets: table
                .targets
                .iter()
                .map(|&(column, year)| (cell(Some(column)).trim().to_string(), year))
                .collect(),
            basis: basis.clone(),
            clause: clause_path_at(outline, line_no),
            line: line_no,
        };
        let produced = row.indicators(&years.with_header_year(table.baseline_year));
        last_row_len = produced.len();
        out.extend(produced);
    }
    out
}

/// Column positions of a table, read from its header row.
#[derive(Debug, Clone)]
struct Layout {
    width: usize,
    basis: Option<usize>,
    no: usize,
    name: usize,
    /// A separate unit column (`单位`), when the table has one.
    unit: Option<usize>,
    baseline: Option<usize>,
    /// The year a baseline header names (`2020年基期值`), if any.
    baseline_year: Option<i32>,
    /// Target columns with their years (`2022 年目标值`, `2030 年目标值`).
    targets: Vec<(usize, i32)>,
}

impl Layout {
    fn from_header(cells: &[&str]) -> Option<Layout> {
        let norm: Vec<String> = cells
            .iter()
            .map(|c| fold_width(&remove_spaces(c)).into_owned())
            .collect();
        let find = |pred: &dyn Fn(&str) -> bool| norm.iter().position(|c| pred(c));
        let no = find(&|c| c == "序号")?;
        let name = find(&|c| c.contains("指标") && !c.contains("值") && !c.contains("单位"))?;
        let targets: Vec<(usize, i32)> = norm
            .iter()
            .enumerate()
            .filter(|(_, c)| c.contains("目标"))
            .filter_map(|(i, c)| first_year(c).map(|y| (i, y)))
            .collect();
        if targets.is_empty() {
            return None;
        }
        let baseline = find(&|c| c.contains("基期") || c.contains("基线") || c.contains("现状"));
        Some(Layout {
            width: cells.len(),
            basis: find(&|c| c.contains("依据")),
            no,
            name,
            unit: find(&|c| matches!(c, "单位" | "计量单位" | "指标单位")),
            baseline,
            baseline_year: baseline.and_then(|b| first_year(&norm[b])),
            targets,
        })
    }

    /// The cell of `column`; a row with fewer cells than the header is aligned to the right
    /// (its leading merged cells were left out).
    fn cell<'a>(&self, cells: &[&'a str], column: Option<usize>) -> &'a str {
        let shift = self.width.saturating_sub(cells.len());
        column
            .and_then(|c| c.checked_sub(shift))
            .and_then(|c| cells.get(c))
            .copied()
            .unwrap_or("")
    }
}

/// The years the footnote assigns to unmarked and marked (`*`) baseline values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BaselineYears {
    unmarked: Option<i32>,
    starred: Option<i32>,
    /// The mark the footnote names (`带 * 号` → `*`); `*` when it names none.
    mark: char,
}

impl Default for BaselineYears {
    fn default() -> Self {
        BaselineYears {
            unmarked: None,
            starred: None,
            mark: '*',
        }
    }
}

impl BaselineYears {
    fn from_lines(lines: &[(usize, &str)]) -> BaselineYears {
        let notes: Vec<String> = lines
            .iter()
            .filter(|(_, raw)| {
                use crate::words::has_char;
                has_char(raw, '基') && has_char(raw, '期') && !raw.contains('\t')
            })
            .map(|(_, raw)| fold_width(&without_spaces(raw)).into_owned())
            .filter(|l| l.contains("基期") && !years_with_positions(l).is_empty())
            .collect();
        // A footnote (`注：…`) wins over other prose that mentions the base period.
        notes
            .iter()
            .find(|l| l.starts_with('注'))
            .or(notes.first())
            .map(|l| BaselineYears::from_footnote(l))
            .unwrap_or_default()
    }

    /// A year in the baseline column's header (`2020年基期值`) stands for unmarked values when
    /// no footnote names one.
    fn with_header_year(self, header_year: Option<i32>) -> BaselineYears {
        BaselineYears {
            unmarked: self.unmarked.or(header_year),
            ..self
        }
    }

    fn from_footnote(folded: &str) -> BaselineYears {
        let mark = footnote_mark(folded).unwrap_or('*');
        let star = folded.find(mark);
        let years = years_with_positions(folded);
        let unmarked = years
            .iter()
            .find(|(at, _)| star.is_none_or(|s| *at < s))
            .map(|(_, y)| *y);
        let starred = star.and_then(|s| years.iter().find(|(at, _)| *at > s).map(|(_, y)| *y));
        BaselineYears {
            unmarked,
            starred,
            mark,
        }
    }
}

/// The mark a footnote names: `带*号为2017年数值` → `*`.
fn footnote_mark(folded: &str) -> Option<char> {
    let chars: Vec<char> = folded.chars().collect();
    chars.windows(3).find_map(|w| match w {
        ['带', mark, '号'] if !mark.is_alphanumeric() => Some(*mark),
        _ => None,
    })
}

/// Every `NNNN年` in `folded`, with its byte position.
fn years_with_positions(folded: &str) -> Vec<(usize, i32)> {
    let mut years = Vec::new();
    for (at, _) in folded.match_indices('年') {
        let before = &folded[..at];
        let digits: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if digits.len() == 4 {
            let year: String = digits.chars().rev().collect();
            if let Ok(y) = year.parse() {
                years.push((at - 4, y));
            }
        }
    }
    years
}

fn first_year(folded: &str) -> Option<i32> {
    years_with_positions(folded).first().map(|(_, y)| *y)
}

/// One table row as read.
struct Row {
    no: u32,
    name: String,
    /// The unit column's cell (empty when the table has none: the unit is in the name).
    unit: String,
    baseline: String,
    /// Each target cell with its column's year.
    targets: Vec<(String, i32)>,
    basis: Option<String>,
    clause: String,
    line: usize,
}

impl Row {
    fn indicators(&self, years: &BaselineYears) -> Vec<Indicator> {
        let names = split_top_level_commas(&self.name);
        let baselines = split_values(&self.baseline);
        let targets: Vec<Vec<String>> = self.targets.iter().map(|(t, _)| split_values(t)).collect();
        // Split only when a value cell splits the same way (`100, 71`): a comma inside a
        // qualitative name (`建立…专家库和资源库，构建…机制`) does not make two indicators.
        let fits = |n: usize| n == names.len() || n == 1;
        let echoed =
            baselines.len() == names.len() || targets.iter().any(|t| t.len() == names.len());
        let all_fit = fits(baselines.len()) && targets.iter().all(|t| fits(t.len()));
        let parts = if names.len() > 1 && echoed && all_fit {
            names
        } else {
            vec![self.name.clone()]
        };
        let pick = |values: &[String], i: usize, whole: &str| -> String {
            if parts.len() > 1 && values.len() == parts.len() {
                values[i].clone()
            } else {
                whole.to_string()
            }
        };
        parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let (name, unit_in_name) = name_and_unit(part);
                let unit = if self.unit.is_empty() {
                    unit_in_name
                } else {
                    Some(fold_width(&self.unit).into_owned())
                };
                let baseline_text = pick(&baselines, i, &self.baseline);
                let row_targets = self
                    .targets
                    .iter()
                    .zip(&targets)
                    .map(|((whole, year), split)| (pick(split, i, whole), *year))
                    .filter(|(text, _)| !text.is_empty())
                    .map(|(text, year)| parse_target(&text, year))
                    .collect();
                Indicator {
                    no: self.no,
                    name,
                    unit,
                    basis: self.basis.clone(),
                    baseline: (!baseline_text.is_empty())
                        .then(|| parse_baseline(&baseline_text, years)),
                    targets: row_targets,
                    clause: self.clause.clone(),
                    span: Span {
                        first_line: self.line,
                        last_line: self.line,
                    },
                }
            })
            .collect()
    }
}

/// `25a` → 25; no leading digits → 0.
fn leading_digits(s: &str) -> u32 {
    let digits: String = s.chars().take_while(char::is_ascii_digit).take(9).collect();
    digits.parse().unwrap_or(0)
}

/// A wrapped name cell: append to the indicators of the previous row.
fn continue_previous(out: &mut [Indicator], count: usize, text: &str, line_no: usize) {
    let start = out.len().saturating_sub(count);
    for indicator in &mut out[start..] {
        let written = match &indicator.unit {
            Some(unit) => format!("{}({unit}){text}", indicator.name),
            None => format!("{}{text}", indicator.name),
        };
        let (name, unit) = name_and_unit(&written);
        indicator.name = name;
        indicator.unit = unit;
        indicator.span.last_line = line_no;
    }
}

/// Split on commas outside brackets: `A（%），B（%）` → [`A（%）`, `B（%）`], `100, 71` →
/// [`100`, `71`]; a thousands separator (`1,000`) is not a split.
fn split_top_level_commas(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().map(fold_char).collect();
    let is_thousands = |i: usize| {
        i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit)
    };
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for (i, c) in s.chars().enumerate() {
        match chars[i] {
            '(' | '[' | '《' => depth += 1,
            ')' | ']' | '》' => depth = depth.saturating_sub(1),
            ',' if depth == 0 && !is_thousands(i) => {
                parts.push(std::mem::take(&mut current).trim().to_string());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current.trim().to_string());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Split a value cell on commas (`100, 71`); the parts are used only when a row's name splits
/// into as many indicators.
fn split_values(s: &str) -> Vec<String> {
    split_top_level_commas(s)
}

/// Measure words accepted as an indicator's unit (besides `%`, `‰` and rates such as `1/10万`).
pub(crate) const UNIT_WORDS: &[&str] = &[
    "岁",
    "人",
    "小时",
    "分钟",
    "天",
    "年",
    "元",
    "万元",
    "亿元",
    "个",
    "名",
    "张",
    "次",
    "例",
    "所",
    "家",
    "床",
    "辆",
    "件",
    "项",
    "户",
    "万人",
    "人次",
    "千克",
    "公斤",
    "克",
    "米",
    "平方米",
    "公里",
    "升",
    "吨",
    "座",
    "处",
    "台",
];

fn is_unit(unit: &str) -> bool {
    unit.contains(['%', '‰', '‱', '/']) || UNIT_WORDS.contains(&unit)
}

/// `婴儿死亡率(‰)` → (`婴儿死亡率`, `‰`); a name without a closing unit bracket has no unit.
fn name_and_unit(name: &str) -> (String, Option<String>) {
    let folded = fold_width(name);
    if !folded.ends_with(')') {
        return (name.to_string(), None);
    }
    let Some(open) = folded.rfind('(') else {
        return (name.to_string(), None);
    };
    let unit = remove_spaces(&folded[open + 1..folded.len() - 1]).into_owned();
    if !is_unit(&unit) {
        return (name.to_string(), None);
    }
    // `open` is a byte position in the folded text; find the same character in `name`.
    let open_chars = folded[..open].chars().count();
    let bare: String = name.chars().take(open_chars).collect();
    (bare.trim().to_string(), Some(unit))
}

/// The first number of `folded` after any leading comparator: `≥16.2` → 16.2.
fn leading_number(folded: &str) -> Option<f64> {
    let rest = folded.trim_start_matches(|c: char| !c.is_ascii_digit() && c != '.');
    let rest = rest.trim_start_matches('.');
    let number: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let number = number.trim_end_matches('.');
    if number.is_empty() {
        return None;
    }
    // Only accept a number at the start, possibly after a comparator sign.
    let prefix = &folded[..folded.len() - rest.len()];
    if !prefix.chars().all(|c| "≤≥<>=≦≧⩽⩾ ".contains(c)) {
        return None;
    }
    number.parse().ok()
}

/// Remove whitespace only (the shared helpers also drop `*`, which is a baseline mark here).
/// A text without whitespace or `*` (most) is kept as it is, without a copy.
fn without_spaces(s: &str) -> std::borrow::Cow<'_, str> {
    if !crate::text::has_space_or_markup(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
}

fn parse_baseline(text: &str, years: &BaselineYears) -> Baseline {
    let bare = without_spaces(text);
    let folded = fold_width(&bare);
    let value = leading_number(&folded);
    if value.is_none() {
        return Baseline {
            value: None,
            year: None,
            text: text.to_string(),
        };
    }
    let own_year = folded
        .find('(')
        .and_then(|open| first_year(&folded[open..]));
    let year = own_year.or(if folded.contains(years.mark) {
        years.starred
    } else {
        years.unmarked
    });
    Baseline {
        value,
        year,
        text: text.to_string(),
    }
}

fn parse_target(text: &str, year: i32) -> IndicatorTarget {
    let bare = without_spaces(text);
    let folded = fold_width(&bare);
    let value = leading_number(&folded);
    let op = match (folded.chars().next(), value) {
        (Some('≤' | '≦' | '⩽'), Some(_)) => "<=",
        (Some('≥' | '≧' | '⩾'), Some(_)) => ">=",
        (Some('<'), Some(_)) if folded.starts_with("<=") => "<=",
        (Some('>'), Some(_)) if folded.starts_with(">=") => ">=",
        (Some('<'), Some(_)) => "<",
        (Some('>'), Some(_)) => ">",
        (_, Some(_)) => "=",
        (_, None) if crate::words::has_any(&folded, TREND_WORDS) => "trend",
        (_, None) => "text",
    };
    IndicatorTarget {
        year,
        op: op.to_string(),
        value,
        text: text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commendations::testing::numbered;

    const INVENTED: &str = "附件2\n\n洛阳市全民健康考核指标\n\n\
        依据\t序号\t指 标\t基线值\t2025 年目标值\n\
        《健康洛阳2030》\t1\t人均预期寿命(岁)\t78.1#\t79\n\
        \t2\t孕产妇死亡率(1/10万)\t12.5\t<10\n\
        \n\
        依据\t序号\t指 标\t基线值\t2025 年目标值\n\
        其他规划\t3\t每万人口全科医生数(人)\t2.1 (2020 年)\t≥3.5\n\
        \t4\t吸烟率（%），二手烟暴露率（%）\t24, 50\t20, 下降趋势\n\
        \t5\t建立健康科普专家库\t—\t按期完成\n\
        \t\t（含县级）\t\t\n\
        注：基期水平值为2021年数值（带#号为2019年数值）。";

    #[test]
    fn invented_table_from_another_city() {
        let ind = extract(&numbered(INVENTED), &[]);
        let rows: Vec<_> = ind
            .iter()
            .map(|i| (i.no, i.name.as_str(), i.unit.as_deref(), i.basis.as_deref()))
            .collect();
        assert_eq!(
            rows,
            [
                (1, "人均预期寿命", Some("岁"), Some("《健康洛阳2030》")),
                (2, "孕产妇死亡率", Some("1/10万"), Some("《健康洛阳2030》")),
                (3, "每万人口全科医生数", Some("人"), Some("其他规划")),
                (4, "吸烟率", Some("%"), Some("其他规划")),
                (4, "二手烟暴露率", Some("%"), Some("其他规划")),
                (5, "建立健康科普专家库（含县级）", None, Some("其他规划")),
            ]
        );
        // The footnote names its own mark (`#`), read from the footnote, not hard-coded.
        let b = ind[0].baseline.as_ref().unwrap();
        assert_eq!((b.value, b.year), (Some(78.1), Some(2019)));
        let b = ind[1].baseline.as_ref().unwrap();
        assert_eq!((b.value, b.year), (Some(12.5), Some(2021)));
        let b = ind[2].baseline.as_ref().unwrap();
        assert_eq!((b.value, b.year), (Some(2.1), Some(2020)));
        let t = &ind[1].targets[0];
        assert_eq!((t.year, t.op.as_str(), t.value), (2025, "<", Some(10.0)));
        assert_eq!(ind[3].targets[0].value, Some(20.0));
        assert_eq!(ind[4].targets[0].op, "trend");
        assert_eq!(ind[4].baseline.as_ref().unwrap().value, Some(50.0));
        let t = &ind[5].targets[0];
        assert_eq!((t.op.as_str(), t.value), ("text", None));
        let b = ind[5].baseline.as_ref().unwrap();
        assert_eq!((b.value, b.year, b.text.as_str()), (None, None, "—"));
        assert_eq!(
            ind[5].span,
            Span {
                first_line: 12,
                last_line: 13
            }
        );
    }

    #[test]
    fn unit_column_baseline_header_year_and_two_target_years() {
        let text = "序号\t指标名称\t单位\t2020年基线值\t2025年目标值\t2035年目标值\n\
            1\t城镇化率\t%\t74.6\t≥80\t85左右\n\
            2\t人均公园绿地面积\t平方米\t14.3\t15\t提高";
        let ind = extract(&numbered(text), &[]);
        assert_eq!(ind.len(), 2);
        assert_eq!(ind[0].unit.as_deref(), Some("%"));
        assert_eq!(ind[1].unit.as_deref(), Some("平方米"));
        assert_eq!(ind[0].baseline.as_ref().unwrap().year, Some(2020));
        let t: Vec<_> = ind[0]
            .targets
            .iter()
            .map(|t| (t.year, t.op.as_str(), t.value))
            .collect();
        assert_eq!(t, [(2025, ">=", Some(80.0)), (2035, "=", Some(85.0))]);
        assert_eq!(ind[1].targets[1].op, "trend");
    }

    #[test]
    fn a_comma_in_a_qualitative_name_does_not_split_the_row() {
        let text = "序号\t指标\t2022年目标值\n11\t建立专家库和资源库，构建传播机制\t提前实现";
        let ind = extract(&numbered(text), &[]);
        assert_eq!(ind.len(), 1);
        assert_eq!(ind[0].name, "建立专家库和资源库，构建传播机制");
        assert_eq!(ind[0].baseline, None);
    }

    #[test]
    fn the_footnote_wins_over_a_header_that_names_the_base_period() {
        let text = "序号\t指标\t基期值\t2022年目标值\n1\t甲(%)\t5*\t6\n注：基期为 2018 年（带 * 号为 2017 年数值）";
        let ind = extract(&numbered(text), &[]);
        assert_eq!(ind[0].baseline.as_ref().unwrap().year, Some(2017));
    }

    #[test]
    fn rows_with_odd_numbers_are_kept() {
        let text = "序号\t指标\t2022年目标值\n25a\t甲率(%)\t≥5\n二\t乙率(%)\t≥6";
        let ind = extract(&numbered(text), &[]);
        let rows: Vec<(u32, &str)> = ind.iter().map(|i| (i.no, i.name.as_str())).collect();
        assert_eq!(rows, [(25, "甲率"), (0, "乙率")]);
    }

    #[test]
    fn footnote_years() {
        let y =
            BaselineYears::from_footnote("注:郑州市基期水平值为2018年数值(带*号为2017年数值)。");
        assert_eq!(
            (y.unmarked, y.starred, y.mark),
            (Some(2018), Some(2017), '*')
        );
        let y = BaselineYears::from_footnote("注:基期为2015年。");
        assert_eq!((y.unmarked, y.starred), (Some(2015), None));
    }

    #[test]
    fn target_operators() {
        let op = |s: &str| parse_target(s, 2022).op;
        assert_eq!(op("≤4.1"), "<=");
        assert_eq!(op("≥ 92.3"), ">=");
        assert_eq!(op(">65"), ">");
        assert_eq!(op("<5"), "<");
        assert_eq!(op("80.2"), "=");
        assert_eq!(op("提前实现"), "text");
        assert_eq!(op("下降趋势"), "trend");
        assert_eq!(parse_target("≥ 92.3", 2022).value, Some(92.3));
    }

    const ZHENGZHOU_YEARS: BaselineYears = BaselineYears {
        unmarked: Some(2018),
        starred: Some(2017),
        mark: '*',
    };

    #[test]
    fn baseline_with_comparator_keeps_its_text() {
        let b = parse_baseline("≥16.2", &ZHENGZHOU_YEARS);
        assert_eq!(
            (b.value, b.year, b.text.as_str()),
            (Some(16.2), Some(2018), "≥16.2")
        );
        let b = parse_baseline("79.49*", &ZHENGZHOU_YEARS);
        assert_eq!((b.value, b.year), (Some(79.49), Some(2017)));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "序号\t指标\t目标值",
            "序号\t指标\t2022年目标值\n\t\t\n1\t\t\n\t(\t)",
            "序号\t指标\t2022年目标值\n１\tＸ（％）\t．\n2\t)\t≥",
            "\t\t\t\t",
        ] {
            let _ = extract(&numbered(text), &[]);
        }
    }
}
