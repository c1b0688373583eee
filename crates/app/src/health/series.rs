//! Making monitored series at import (监测指标生成): every indicator of a document's assessment
//! table (考核指标框架, 郑政文〔2020〕59号 附件3) and every prose target's metric (`到2022年和
//! 2030年…分别…`) becomes a series with its unit and factor, direction, baseline, targets and
//! owning action, each citing where it is written. Re-importing changes nothing.
//!
//! How the reader's output is joined:
//! - A prose target joins a table indicator when their names are the same once punctuation and
//!   `的` are dropped, or one ends with the other and the shorter has at least six characters
//!   (`国家学生体质健康标准达标优良率` ⊃ `学生体质健康标准达标优良率`); the series then carries
//!   both targets, each citing its own text (a table `>65` and a prose `65%及以上` both stay).
//!   Other prose targets with the same clause and metric form one series.
//! - The owning action (专项行动, its lead and co-departments) of a prose target is the action
//!   whose clause holds it. A table indicator takes the action of the prose target it joined;
//!   else the action whose text shares the longest run of at least five characters with the
//!   indicator's name (the words are recorded); else none — kept, listed as unassigned, and the
//!   office assigns it.
//! - Direction: from the target operators (`≥`/`>` up, `≤`/`<` down), else from trend words
//!   (`下降`, `减缓` down; `提高`, `提升`, `改善` up), else a plain target against the baseline
//!   (`27.5` below `32.07`: down; `80.2` above `79.49` or equal: up).
//! - Decimals are kept as written: a cell `79.49*` is `79.49`, a prose `92.3%` is `92.3`.

use crate::{App, Result};
use luoshi_rules::attainment::{trend_direction, Direction, Op};
use luoshi_store::gazette as gdb;
use luoshi_store::health::{self as hdb, NewSeries, TargetRow};
use luoshi_store::TaskKind;
use luoshi_store::{ClauseRow, Conn, IndicatorRow, TaskRow};
use std::collections::BTreeMap;

/// `%` → 100 and so on: how many of the unit make one whole.
pub fn factor(unit: Option<&str>) -> Option<&'static str> {
    Some(match unit? {
        "%" => "100",
        "‰" => "1000",
        "1/10万" => "100000",
        "岁" | "人" | "小时" | "名" => "1",
        _ => return None,
    })
}

/// The first decimal number written in `text` (`≥16.2` → `16.2`, `40.5 (2019 年)` → `40.5`).
pub fn number_in(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let n = rest[..end].trim_end_matches('.');
    (!n.is_empty()).then(|| n.to_string())
}

/// A float from the reader as its shortest exact decimal text (`92.3`, `25`).
fn float_text(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// A name for matching: no punctuation, brackets or `的`.
fn match_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric() && *c != '的')
        .collect()
}

fn same_metric(a: &str, b: &str) -> bool {
    let (a, b) = (match_key(a), match_key(b));
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.chars().count() >= 6 && long.ends_with(short.as_str())
}

/// Longest run of characters `a` and `b` share.
fn longest_common(a: &str, b: &str) -> String {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut best = (0, 0);
    let mut prev = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        let mut cur = vec![0usize; b.len() + 1];
        for j in 1..=b.len() {
            if a[i - 1] == b[j - 1] {
                cur[j] = prev[j - 1] + 1;
                if cur[j] > best.0 {
                    best = (cur[j], i);
                }
            }
        }
        prev = cur;
    }
    a[best.1 - best.0..best.1].iter().collect()
}

/// Measure words that end an indicator's name; what stands before them is its subject.
const MEASURES: &[&str] = &[
    "规范管理率",
    "达标优良率",
    "死亡率",
    "筛查率",
    "覆盖率",
    "接种率",
    "发生率",
    "患病率",
    "开课率",
    "比例",
    "比重",
    "水平",
    "时间",
    "率",
    "数",
];

/// The subject of an indicator's name (`高血压患者规范管理率` → `高血压患者`).
fn subject(name: &str) -> String {
    MEASURES
        .iter()
        .find_map(|m| name.strip_suffix(m))
        .unwrap_or(name)
        .to_string()
}

/// The texts sharing the longest run (at least `min` characters) with `key`: their indexes
/// and the shared words; several when they tie.
fn best_match(key: &str, texts: &[String], min: usize) -> Vec<(usize, String)> {
    let mut best: Vec<(usize, String)> = Vec::new();
    let mut len = min;
    for (k, t) in texts.iter().enumerate() {
        let common = longest_common(key, t);
        let n = common.chars().count();
        if n > len || (n == len && best.is_empty()) {
            len = n;
            best = vec![(k, common)];
        } else if n == len {
            best.push((k, common));
        }
    }
    best
}

/// A series being assembled.
struct Draft {
    series: NewSeries,
    targets: Vec<TargetRow>,
}

fn action_of_clause<'a>(actions: &'a [TaskRow], clause: &str) -> Option<&'a TaskRow> {
    actions.iter().find(|a| a.clause == clause)
}

fn direction_of(d: &Draft) -> (Direction, String) {
    for t in &d.targets {
        let op = Op::parse(&t.op);
        if let Some(dir) = op.map(Op::direction).filter(|d| *d != Direction::None) {
            return (dir, format!("目标“{}”的比较方向", t.words));
        }
    }
    for t in d.targets.iter().filter(|t| t.op == "trend") {
        let dir = trend_direction(&t.words);
        if dir != Direction::None {
            return (dir, format!("趋势目标“{}”", t.words));
        }
    }
    let base = d
        .series
        .baseline_value
        .as_deref()
        .and_then(|v| v.parse::<f64>().ok());
    for t in d.targets.iter().filter(|t| t.op == "=") {
        if let (Some(b), Some(v)) = (base, t.value.as_deref().and_then(|v| v.parse::<f64>().ok())) {
            let dir = if v < b {
                Direction::Down
            } else {
                Direction::Up
            };
            return (
                dir,
                format!(
                    "目标值 {} 与基期值 {} 相比",
                    t.value.as_deref().unwrap_or(""),
                    b
                ),
            );
        }
    }
    (Direction::None, "文件未说明方向".into())
}

fn table_draft(doc_id: i64, i: &IndicatorRow, part: i64, doc_no: &str) -> Draft {
    let key = if part == 0 {
        format!("T{}", i.no)
    } else {
        format!("T{}.{}", i.no, part)
    };
    let baseline_value = i
        .baseline_text
        .as_deref()
        .and_then(number_in)
        .or_else(|| i.baseline_value.map(float_text));
    let cites = format!("{doc_no} {} 第{}项", i.clause, i.no);
    let targets = i
        .targets
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or(&[])
        .iter()
        .map(|t| {
            let text = t["text"].as_str().unwrap_or("").to_string();
            let op = t["op"].as_str().unwrap_or("text").to_string();
            TargetRow {
                year: t["year"].as_i64().unwrap_or(0),
                value: if matches!(op.as_str(), "trend" | "text") {
                    None
                } else {
                    number_in(&text).or_else(|| t["value"].as_f64().map(float_text))
                },
                op,
                words: text,
                source: "table".into(),
                clause: cites.clone(),
                first_line: i.first_line,
                last_line: i.last_line,
                ..TargetRow::default()
            }
        })
        .collect();
    Draft {
        series: NewSeries {
            document_id: doc_id,
            key,
            no: Some(i.no),
            part,
            name: i.name.clone(),
            unit: i.unit.clone(),
            factor: factor(i.unit.as_deref()).map(str::to_string),
            baseline_value,
            baseline_year: i.baseline_year,
            baseline_text: i.baseline_text.clone(),
            basis: i.basis.clone(),
            source: "table".into(),
            clause: cites,
            first_line: i.first_line,
            last_line: i.last_line,
            ..NewSeries::default()
        },
        targets,
    }
}

/// Make the series of one document (only documents with an assessment table have them).
/// Returns how many were made.
pub fn make_for_document(_app: &App, c: &mut dyn Conn, doc_id: i64) -> Result<usize> {
    let indicators = gdb::list_indicators(c, doc_id)?;
    if indicators.is_empty() {
        return Ok(0);
    }
    let Some(doc) = gdb::get_document(c, doc_id)? else {
        return Ok(0);
    };
    let prose = gdb::list_targets(c, doc_id)?;
    let actions: Vec<TaskRow> = gdb::list_tasks(c, doc_id)?
        .into_iter()
        .filter(|t| t.kind == TaskKind::Action)
        .collect();
    let clauses: Vec<ClauseRow> = gdb::list_clauses(c, doc_id)?;
    let clause_text = |path: &str| -> String {
        clauses
            .iter()
            .filter(|k| k.path == path)
            .map(|k| k.text.clone())
            .collect::<Vec<_>>()
            .join("")
    };
    let mut drafts: Vec<Draft> = Vec::new();
    let mut parts: BTreeMap<i64, i64> = BTreeMap::new();
    for i in &indicators {
        let part = parts.entry(i.no).or_insert(0);
        drafts.push(table_draft(doc_id, i, *part, &doc.doc_no));
        *part += 1;
    }
    let table_count = drafts.len();
    // Prose targets: join a table indicator, else a series of their own (clause + metric).
    let mut prose_series: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in &prose {
        let cites = format!("{} {}", doc.doc_no, t.clause);
        let target = TargetRow {
            year: t.year,
            op: t.op.clone(),
            value: t.value.map(float_text),
            words: t.comparator.clone(),
            source: "prose".into(),
            clause: cites.clone(),
            first_line: t.first_line,
            last_line: t.last_line,
            ..TargetRow::default()
        };
        let action = action_of_clause(&actions, &t.clause);
        let joined = drafts[..table_count]
            .iter()
            .position(|d| same_metric(&d.series.name, &t.metric));
        let at = match joined {
            Some(k) => k,
            None => *prose_series
                .entry((t.clause.clone(), t.metric.clone()))
                .or_insert_with(|| {
                    drafts.push(Draft {
                        series: NewSeries {
                            document_id: doc_id,
                            key: format!("P:{}:{}", t.clause, t.metric),
                            name: t.metric.clone(),
                            unit: t.unit.clone(),
                            factor: factor(t.unit.as_deref()).map(str::to_string),
                            source: "prose".into(),
                            clause: cites.clone(),
                            first_line: t.first_line,
                            last_line: t.last_line,
                            ..NewSeries::default()
                        },
                        targets: Vec::new(),
                    });
                    drafts.len() - 1
                }),
        };
        let d = &mut drafts[at];
        if d.series.unit.is_none() {
            d.series.unit = t.unit.clone();
            d.series.factor = factor(t.unit.as_deref()).map(str::to_string);
        }
        if d.series.action_task_id.is_none() {
            if let Some(a) = action {
                d.series.action_task_id = Some(a.id);
                d.series.action_no = Some(a.no);
                d.series.owner_source =
                    format!("目标写在 {} {}（{}）", doc.doc_no, a.clause, a.name);
            }
        }
        d.targets.push(target);
    }
    // Table indicators no prose target placed: the action whose text shares the most words,
    // the indicator's subject first (`高血压患者` of `高血压患者规范管理率`), then its whole name.
    for d in drafts[..table_count].iter_mut() {
        if d.series.action_task_id.is_some() {
            continue;
        }
        let name = match_key(&d.series.name);
        let texts: Vec<String> = actions
            .iter()
            .map(|a| match_key(&clause_text(&a.clause)))
            .collect();
        let mut best = best_match(&subject(&name), &texts, 3);
        if best.is_empty() {
            best = best_match(&name, &texts, 5);
        }
        match best.as_slice() {
            [(k, words)] => {
                let a = &actions[*k];
                d.series.action_task_id = Some(a.id);
                d.series.action_no = Some(a.no);
                d.series.owner_source = format!(
                    "指标名称与 {} {}（{}）的文字“{}”相同",
                    doc.doc_no, a.clause, a.name, words
                );
            }
            [] => d.series.owner_source = "文件未写明所属专项行动，待推进委员会办公室指定".into(),
            many => {
                let names: Vec<&str> = many
                    .iter()
                    .map(|(k, _)| actions[*k].name.as_str())
                    .collect();
                d.series.owner_source = format!(
                    "指标名称与多个专项行动（{}）的文字同样接近，待推进委员会办公室指定",
                    names.join("、")
                );
            }
        }
    }
    for d in &mut drafts {
        if d.series.owner_source.is_empty() {
            d.series.owner_source = "总体目标（二、），由推进委员会办公室统筹".into();
        }
        let (dir, why) = direction_of(d);
        d.series.direction = dir.as_str().into();
        d.series.direction_source = why;
    }
    let mut made = 0;
    for d in drafts {
        if let Some(id) = hdb::insert_series(c, &d.series)? {
            made += 1;
            for mut t in d.targets {
                t.series_id = id;
                hdb::insert_target(c, &t)?;
            }
        }
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_written() {
        assert_eq!(number_in("79.49*").as_deref(), Some("79.49"));
        assert_eq!(number_in("≥16.2").as_deref(), Some("16.2"));
        assert_eq!(number_in("40.5 (2019 年)").as_deref(), Some("40.5"));
        assert_eq!(number_in("—"), None);
        assert_eq!(float_text(25.0), "25");
        assert_eq!(float_text(92.3), "92.3");
    }

    #[test]
    fn metrics_join_by_name() {
        assert!(same_metric(
            "国家学生体质健康标准达标优良率",
            "学生体质健康标准达标优良率"
        ));
        assert!(same_metric(
            "以乡（镇、街道）为单位适龄儿童免疫规划疫苗接种率",
            "适龄儿童免疫规划疫苗接种率"
        ));
        assert!(same_metric(
            "乡镇卫生院、社区卫生服务中心提供中医非药物疗法的比例",
            "乡镇卫生院(社区卫生服务中心)提供中医非药物疗法的比例"
        ));
        assert!(!same_metric("婴儿死亡率", "孕产妇死亡率"));
        assert!(!same_metric("居民健康素养水平", "居民心理健康素养水平"));
        assert_eq!(longest_common("产前筛查率", "开展产前筛查工作"), "产前筛查");
    }
}
