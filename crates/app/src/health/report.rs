//! Reports (监测评估报告), 郑政文〔2020〕59号 附件2 二（三）: each action group's yearly special
//! report (各专项行动实施进展专题报告) and the office's overall monitoring report (总体监测评估
//! 报告, with the assessment results of 三（三）). A report is a list of [`Block`]s built from
//! approved values only — every figure, table and chart computed, never typed — and rendered
//! as print-ready HTML on A4 ([`html`], with `maud`) or as PDF (`super::pdf`).

use super::assess::{self, Assessment};
use super::attain::{self, TargetStatus};
use super::charts::{self, Drawing, SeriesChart};
use super::views::{approved_yearly, base, Base};
use super::{areas, CITY};
use crate::{App, Result, Viewer};
use luoshi_domain::Error;
use luoshi_rules::attainment::{show, Point, Status};
use luoshi_store::health::{self as hdb, SeriesRow};
use luoshi_store::OwnerRole;
use luoshi_store::{gazette as gdb, Conn};
use maud::{html as m, Markup, PreEscaped, DOCTYPE};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One part of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Para(String),
    /// A small grey note.
    Note(String),
    Table {
        columns: Vec<(String, f32)>,
        rows: Vec<Vec<String>>,
    },
    Chart(Drawing),
    /// Small multiples, three to a row.
    Charts(Vec<(String, Drawing)>),
}

/// A report ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub issuer: String,
    pub year: i64,
    pub cites: String,
    pub blocks: Vec<Block>,
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// 总体监测评估报告.
    Overall,
    /// 专项行动实施进展专题报告 of action no.
    Action(i64),
}

impl Kind {
    pub fn parse(kind: &str, action: i64) -> Result<Kind> {
        match kind {
            "overall" => Ok(Kind::Overall),
            "action" if action > 0 => Ok(Kind::Action(action)),
            _ => Err(Error::bad_input(
                "E_HEALTH_REPORT",
                "报告类型应为 overall（总体监测评估报告）或 action（专项行动专题报告，须指明行动序号）",
            )),
        }
    }
    pub fn key(self) -> (&'static str, i64) {
        match self {
            Kind::Overall => ("overall", 0),
            Kind::Action(n) => ("action", n),
        }
    }
}

fn cn(no: i64) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match no {
        1..=9 => D[no as usize].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[(no - 10) as usize]),
        20..=99 => format!(
            "{}十{}",
            D[(no / 10) as usize],
            if no % 10 == 0 {
                ""
            } else {
                D[(no % 10) as usize]
            }
        ),
        _ => no.to_string(),
    }
}

fn target_text(list: &[TargetStatus], year: i64) -> String {
    list.iter()
        .filter(|t| t.target.year == year)
        .map(|t| match t.target.value.as_deref() {
            Some(v) => format!(
                "{}{v}",
                luoshi_rules::attainment::Op::parse(&t.target.op)
                    .map(|o| o.symbol())
                    .unwrap_or("")
            ),
            None => t.target.words.clone(),
        })
        .fold(Vec::<String>::new(), |mut v, t| {
            if !v.contains(&t) {
                v.push(t);
            }
            v
        })
        .join("；")
}

fn rate(d: Option<rust_decimal::Decimal>) -> String {
    d.map(show).unwrap_or_else(|| "—".into())
}

fn latest(values: &[Point]) -> String {
    values
        .last()
        .map(|p| format!("{}（{}年）", p.value, p.year))
        .unwrap_or_else(|| "—".into())
}

/// Everything a report is built from.
struct Data {
    base: Base,
    /// Approved yearly values by area and series.
    values: HashMap<(String, i64), Vec<Point>>,
    demo: bool,
}

fn data(c: &mut dyn Conn, year: i64) -> Result<Data> {
    let base = base(c)?;
    let obs = approved_yearly(c)?;
    let demo = obs.iter().any(|o| o.demo);
    let mut values: HashMap<(String, i64), Vec<Point>> = HashMap::new();
    for o in obs.iter().filter(|o| o.year <= year) {
        values
            .entry((o.area.clone(), o.series_id))
            .or_default()
            .extend(attain::points(std::slice::from_ref(o)));
    }
    Ok(Data { base, values, demo })
}

impl Data {
    fn city(&self, id: i64) -> &[Point] {
        self.values
            .get(&(CITY.to_string(), id))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    fn statuses(&self, s: &SeriesRow, year: i64) -> Vec<TargetStatus> {
        attain::statuses(
            s,
            self.base.targets_of(s.id),
            self.city(s.id),
            year,
            &self.base.decisions,
            CITY,
        )
    }
    fn chart(&self, s: &SeriesRow, width: f32, height: f32, small: bool) -> Drawing {
        charts::series_chart(&SeriesChart {
            title: &s.name,
            unit: s.unit.as_deref(),
            baseline: attain::baseline(s),
            targets: self.base.targets_of(s.id),
            values: self.city(s.id),
            width,
            height,
            small,
        })
    }
}

fn headline_status(list: &[TargetStatus], year: i64) -> (Status, String) {
    attain::headline(list, year)
        .map(|h| (h.attainment.status, h.attainment.explanation.clone()))
        .unwrap_or((Status::NotAssessable, "没有目标".into()))
}

fn indicator_table(d: &Data, series: &[&SeriesRow], year: i64) -> Block {
    let rows = series
        .iter()
        .map(|s| {
            let st = d.statuses(s, year);
            let head = attain::headline(&st, year);
            let (status, _) = headline_status(&st, year);
            vec![
                s.no.map(|n| n.to_string()).unwrap_or_else(|| "—".into()),
                format!(
                    "{}{}",
                    s.name,
                    s.unit
                        .as_deref()
                        .map(|u| format!("（{u}）"))
                        .unwrap_or_default()
                ),
                match (&s.baseline_value, s.baseline_year) {
                    (Some(v), Some(y)) => format!("{v}（{y}年）"),
                    _ => "—".into(),
                },
                target_text(&st, 2022),
                latest(d.city(s.id)),
                status.label().to_string(),
                format!(
                    "{} / {}",
                    rate(head.and_then(|h| h.attainment.required_rate)),
                    rate(head.and_then(|h| h.attainment.observed_rate))
                ),
            ]
        })
        .collect();
    Block::Table {
        columns: vec![
            ("序号".into(), 0.06),
            ("指标".into(), 0.34),
            ("基期值".into(), 0.12),
            ("2022年目标".into(), 0.12),
            ("最新值".into(), 0.13),
            ("状态".into(), 0.09),
            ("需/实际年均变化".into(), 0.14),
        ],
        rows,
    }
}

fn status_counts(d: &Data, series: &[&SeriesRow], year: i64) -> BTreeMap<Status, usize> {
    let mut counts = BTreeMap::new();
    for s in series {
        let (st, _) = headline_status(&d.statuses(s, year), year);
        *counts.entry(st).or_insert(0) += 1;
    }
    counts
}

fn counts_sentence(counts: &BTreeMap<Status, usize>) -> String {
    Status::ALL
        .iter()
        .map(|s| format!("{} {} 项", s.label(), counts.get(s).copied().unwrap_or(0)))
        .collect::<Vec<_>>()
        .join("，")
}

fn assessment_blocks(a: &Assessment, out: &mut Vec<Block>) {
    let table = |list: &[assess::Assessed]| Block::Table {
        columns: vec![
            ("名次".into(), 0.07),
            ("单位".into(), 0.25),
            ("得分".into(), 0.1),
            ("已实现".into(), 0.1),
            ("进度正常".into(), 0.1),
            ("滞后".into(), 0.09),
            ("恶化".into(), 0.09),
            ("无法评估".into(), 0.1),
            ("结果".into(), 0.1),
        ],
        rows: list
            .iter()
            .map(|x| {
                let n = |s: Status| x.counts.get(s.as_str()).copied().unwrap_or(0).to_string();
                vec![
                    x.rank.to_string(),
                    x.name.clone(),
                    x.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
                    n(Status::Achieved),
                    n(Status::OnTrack),
                    n(Status::Behind),
                    n(Status::Deteriorating),
                    n(Status::NotAssessable),
                    match (x.commend, x.interview) {
                        (true, _) => "通报表扬".into(),
                        (_, true) => "约谈".into(),
                        _ => String::new(),
                    },
                ]
            })
            .collect(),
    };
    out.push(Block::Note(format!(
        "计分办法：{}。{}。",
        a.scheme.name,
        a.scheme.describe().join("；")
    )));
    out.push(Block::Heading(3, "（一）县（市、区）".into()));
    out.push(table(&a.areas));
    out.push(Block::Heading(3, "（二）牵头部门".into()));
    out.push(table(&a.departments));
    out.push(Block::Heading(3, "（三）结果运用".into()));
    let list = |flag: fn(&assess::Assessed) -> bool| -> Vec<String> {
        a.areas
            .iter()
            .chain(&a.departments)
            .filter(|x| flag(x))
            .map(|x| format!("{}：{}", x.name, x.reasons.join("；")))
            .collect()
    };
    let commend = list(|x| x.commend);
    let interview = list(|x| x.interview);
    out.push(Block::Para(format!(
        "予以通报表扬（考评结果好的）：{}",
        if commend.is_empty() {
            "无".into()
        } else {
            commend.join("；")
        }
    )));
    out.push(Block::Para(format!(
        "约谈并督促整改（进度滞后、工作不力的）：{}",
        if interview.is_empty() {
            "无".into()
        } else {
            interview.join("；")
        }
    )));
}

/// Build a report of `year` (uncached; approved values only).
pub fn build(c: &mut dyn Conn, kind: Kind, year: i64) -> Result<Report> {
    let d = data(c, year)?;
    let doc_no = d
        .base
        .series
        .first()
        .map(|s| s.doc_no.clone())
        .unwrap_or_else(|| "郑政文〔2020〕59号".into());
    let mut blocks = Vec::new();
    let demo_note = |blocks: &mut Vec<Block>| {
        if d.demo {
            blocks.push(Block::Note(
                "注意：本报告包含演示数据（由 serve --demo 生成），不是真实监测结果。".into(),
            ));
        }
    };
    match kind {
        Kind::Overall => {
            let table_series: Vec<&SeriesRow> = d
                .base
                .series
                .iter()
                .filter(|s| s.source == "table")
                .collect();
            let all: Vec<&SeriesRow> = d.base.series.iter().collect();
            demo_note(&mut blocks);
            blocks.push(Block::Para(format!(
                "依据{doc_no}附件2“二、加强监测评估”和“三、做好考核工作”，推进委员会办公室对{year}年度各专项行动主要指标的完成情况和目标实现情况进行了监测评估。本报告只采用经各专项行动组审定的数值；状态按目标年份最近的目标判定，需/实际年均变化为自基期（或最早数值）起的年均变化。"
            )));
            blocks.push(Block::Heading(2, "一、总体情况".into()));
            blocks.push(Block::Para(format!(
                "纳入监测的指标共 {} 项，其中考核指标框架（附件3）{} 项。考核指标：{}。全部监测指标：{}。",
                all.len(),
                table_series.len(),
                counts_sentence(&status_counts(&d, &table_series, year)),
                counts_sentence(&status_counts(&d, &all, year))
            )));
            blocks.push(Block::Heading(2, "二、考核指标完成情况（附件3）".into()));
            blocks.push(indicator_table(&d, &table_series, year));
            blocks.push(Block::Heading(2, "三、各专项行动进展".into()));
            let mut actions: BTreeMap<i64, (String, Vec<&SeriesRow>)> = BTreeMap::new();
            for s in &d.base.series {
                if let Some(no) = s.action_no {
                    actions
                        .entry(no)
                        .or_insert_with(|| (s.action_name.clone().unwrap_or_default(), Vec::new()))
                        .1
                        .push(s);
                }
            }
            for (no, (name, list)) in &actions {
                blocks.push(Block::Heading(3, format!("（{}）{name}", cn(*no))));
                blocks.push(Block::Para(format!(
                    "监测指标 {} 项：{}。",
                    list.len(),
                    counts_sentence(&status_counts(&d, list, year))
                )));
                let with_data: Vec<(String, Drawing)> = list
                    .iter()
                    .filter(|s| !d.city(s.id).is_empty())
                    .map(|s| {
                        let (st, _) = headline_status(&d.statuses(s, year), year);
                        (
                            format!("{}：{}", s.name, st.label()),
                            d.chart(s, 160.0, 90.0, true),
                        )
                    })
                    .collect();
                if !with_data.is_empty() {
                    blocks.push(Block::Charts(with_data));
                }
            }
            let unplaced: Vec<&SeriesRow> = d
                .base
                .series
                .iter()
                .filter(|s| s.action_no.is_none())
                .collect();
            if !unplaced.is_empty() {
                blocks.push(Block::Heading(3, "未指定专项行动的指标".into()));
                blocks.push(Block::Para(
                    unplaced
                        .iter()
                        .map(|s| format!("{}（{}）", s.name, s.owner_source))
                        .collect::<Vec<_>>()
                        .join("；"),
                ));
            }
            blocks.push(Block::Heading(2, "四、考核结果（附件2 三）".into()));
            let scheme = assess::scheme(c)?;
            let a = assess::build(c, &scheme, year)?;
            assessment_blocks(&a, &mut blocks);
            blocks.push(Block::Heading(2, "五、无法评估的指标及原因".into()));
            let rows: Vec<Vec<String>> = all
                .iter()
                .filter_map(|s| {
                    let (st, why) = headline_status(&d.statuses(s, year), year);
                    (st == Status::NotAssessable).then(|| vec![s.name.clone(), why])
                })
                .collect();
            blocks.push(Block::Table {
                columns: vec![("指标".into(), 0.4), ("原因".into(), 0.6)],
                rows,
            });
            Ok(Report {
                title: format!("健康郑州行动{year}年度总体监测评估报告"),
                issuer: "健康郑州行动推进委员会办公室".into(),
                year,
                cites: format!("{doc_no} 附件2 二（三）、三（三）"),
                blocks,
            })
        }
        Kind::Action(no) => {
            let list: Vec<&SeriesRow> = d
                .base
                .series
                .iter()
                .filter(|s| s.action_no == Some(no))
                .collect();
            let Some(first) = list.first() else {
                return Err(Error::not_found(format!("第 {no} 项专项行动的监测指标")));
            };
            let name = first.action_name.clone().unwrap_or_default();
            let owners = match first.action_task_id {
                Some(t) => gdb::get_task(c, t)?.map(|t| t.owners).unwrap_or_default(),
                None => Vec::new(),
            };
            let names = |role: OwnerRole| {
                owners
                    .iter()
                    .filter(|o| o.role == role && o.via_group.is_none())
                    .map(|o| o.name.clone())
                    .collect::<Vec<_>>()
                    .join("、")
            };
            demo_note(&mut blocks);
            blocks.push(Block::Para(format!(
                "依据{doc_no}三、（{}）和附件2“二、加强监测评估”，{name}工作组对{year}年度本行动主要指标的完成情况和目标实现情况进行了监测。牵头部门：{}；配合部门：{}。本报告只采用已审定的数值。",
                cn(no),
                names(OwnerRole::Lead),
                names(OwnerRole::Co)
            )));
            blocks.push(Block::Heading(2, "一、主要指标完成情况".into()));
            blocks.push(Block::Para(
                counts_sentence(&status_counts(&d, &list, year)) + "。",
            ));
            blocks.push(indicator_table(&d, &list, year));
            blocks.push(Block::Heading(2, "二、各指标详情".into()));
            let area_list = areas(c)?;
            for (i, s) in list.iter().enumerate() {
                let st = d.statuses(s, year);
                blocks.push(Block::Heading(3, format!("{}. {}", i + 1, s.name)));
                blocks.push(Block::Note(format!(
                    "出处：{}；归属：{}",
                    s.clause, s.owner_source
                )));
                blocks.push(Block::Chart(d.chart(s, 480.0, 170.0, false)));
                for t in &st {
                    blocks.push(Block::Para(format!(
                        "{}年目标（{}，{}）：{}。{}",
                        t.target.year,
                        t.target
                            .value
                            .as_deref()
                            .map(|v| format!(
                                "{}{v}",
                                luoshi_rules::attainment::Op::parse(&t.target.op)
                                    .map(|o| o.symbol())
                                    .unwrap_or("")
                            ))
                            .unwrap_or_else(|| t.target.words.clone()),
                        t.target.clause,
                        t.attainment.label,
                        t.attainment.explanation
                    )));
                }
                let rows: Vec<Vec<String>> = area_list
                    .iter()
                    .filter(|a| a.id != CITY)
                    .filter_map(|a| {
                        let vals = d.values.get(&(a.id.clone(), s.id))?;
                        let st = attain::statuses(
                            s,
                            d.base.targets_of(s.id),
                            vals,
                            year,
                            &d.base.decisions,
                            &a.id,
                        );
                        let (status, _) = headline_status(&st, year);
                        Some(vec![
                            a.name.clone(),
                            latest(vals),
                            status.label().to_string(),
                        ])
                    })
                    .collect();
                if !rows.is_empty() {
                    blocks.push(Block::Table {
                        columns: vec![
                            ("县（市、区）".into(), 0.4),
                            ("最新值".into(), 0.3),
                            ("状态".into(), 0.3),
                        ],
                        rows,
                    });
                }
            }
            Ok(Report {
                title: format!("{name}{year}年度实施进展专题报告"),
                issuer: format!("健康郑州行动{name}工作组"),
                year,
                cites: format!("{doc_no} 三、（{}）；附件2 二（三）", cn(no)),
                blocks,
            })
        }
    }
}

/// The report's print stylesheet (served at `/health/report.css`: pages carry no inline style).
pub const PRINT_CSS: &str = "@page{size:A4;margin:20mm 18mm}body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;font-size:10.5pt;line-height:1.6;color:#222;max-width:180mm;margin:0 auto}h1{font-size:18pt;text-align:center;margin:0 0 4pt}h2{font-size:13pt;margin:14pt 0 6pt}h3{font-size:11pt;margin:10pt 0 4pt}.issuer,.cites{text-align:center;color:#555;margin:0}.note{color:#666;font-size:9pt}table{border-collapse:collapse;width:100%;margin:6pt 0;font-size:9pt;page-break-inside:auto}th,td{border:1px solid #999;padding:2pt 4pt;vertical-align:top}th{background:#eee}tr{page-break-inside:avoid}.grid{display:flex;flex-wrap:wrap;gap:6pt}.grid figure{margin:0;width:32%;page-break-inside:avoid}.grid figcaption{font-size:8pt}svg{max-width:100%;height:auto}";

/// The report as a print-ready HTML page (A4).
pub fn html(r: &Report) -> String {
    let body: Markup = m! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { (r.title) }
                link rel="stylesheet" href="/health/report.css";
            }
            body {
                h1 { (r.title) }
                p.issuer { (r.issuer) }
                p.cites { "依据：" (r.cites) }
                @for b in &r.blocks {
                    @match b {
                        Block::Heading(2, t) => h2 { (t) },
                        Block::Heading(_, t) => h3 { (t) },
                        Block::Para(t) => p { (t) },
                        Block::Note(t) => p.note { (t) },
                        Block::Table { columns, rows } => table {
                            colgroup { @for (_, w) in columns { col width=(format!("{:.0}%", w * 100.0)); } }
                            thead { tr { @for (c, _) in columns { th { (c) } } } }
                            tbody { @for row in rows { tr { @for cell in row { td { (cell) } } } } }
                        },
                        Block::Chart(d) => figure { (PreEscaped(charts::svg(d))) },
                        Block::Charts(list) => div.grid {
                            @for (cap, d) in list { figure { (PreEscaped(charts::svg(d))) figcaption { (cap) } } }
                        },
                    }
                }
            }
        }
    };
    body.into_string()
}

impl App {
    /// The published reports (anyone may list them).
    pub fn health_published(&self, _viewer: &Viewer) -> Result<Vec<hdb::ReportRow>> {
        Ok(self.store.read(hdb::reports)?)
    }

    /// A report of `year`. The public may read a report only once the office published it;
    /// signed-in staff may read any (approved values only either way).
    pub fn health_report(&self, viewer: &Viewer, kind: Kind, year: i64) -> Result<Report> {
        let (k, no) = kind.key();
        self.store.read(|c| {
            if viewer.user().is_none() {
                let published = hdb::reports(c)?
                    .iter()
                    .any(|r| r.kind == k && r.year == year && r.action_no == no);
                if !published {
                    return Err(Error::not_found(format!("已发布的{year}年度报告")));
                }
            }
            build(c, kind, year)
        })
    }
}
