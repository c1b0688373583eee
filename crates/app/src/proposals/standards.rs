//! The five standards (承办标准, 郑政办〔2020〕27号 第十六条), per unit and overall, live: each
//! figure computed by the rule in `luoshi_rules::proposal` from the items behind it, each item
//! on one side of the figure (counted, short, not yet countable), so the office drills from a
//! unit's figure to the items pulling it below its threshold. Exported to `.xlsx`.

use super::views::{Filter, Summary, UnitRef};
use crate::access::own_unit;
use crate::{App, Result, Viewer};
use chrono::NaiveDate;
use luoshi_domain::{Error, Role};
use luoshi_rules::common::Date;
use luoshi_rules::counting::Document;
use luoshi_rules::proposal::{
    self as rule, ItemFacts, Kind, RoundFacts, Satisfaction, SatisfactionReading,
};
use luoshi_store::proposals::{self as pdb, ItemFilter, ItemRow, RoundRow};

use super::sheets::{met_words, save, sheet};
/// One figure of the five standards with the items behind it (the rules crate's type).
pub use luoshi_rules::proposal::Figure;
use luoshi_store::{units, Conn};
use rust_xlsxwriter::Workbook;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One unit's (or the overall) standing against the five standards.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitStandards {
    /// `None` for the overall figures.
    pub unit: Option<UnitRef>,
    /// Items the unit leads this year.
    pub items: usize,
    pub all_met: bool,
    pub figures: Vec<Figure>,
    /// 第十二条: 2件以上 — the unit reviews, summarizes and reports in writing.
    pub summary_required: bool,
    pub explanation: String,
}

/// An item behind a figure, as the drill-down lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemRef {
    pub id: i64,
    pub number: String,
    pub subject: String,
}

impl ItemRef {
    /// How the drill-down names an item: its number with the source (建议/提案) and its subject.
    pub(crate) fn of(row: &ItemRow) -> ItemRef {
        ItemRef {
            id: row.id,
            number: format!("{}{}", super::source_label(&row.source), row.number),
            subject: row.subject.clone(),
        }
    }
}

/// The five standards for a year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardsView {
    pub year: i64,
    pub as_of: String,
    pub citation: &'static str,
    /// Which reading of the counting words decided (45%以上, 3个月内).
    pub counting: String,
    /// How 满意率 counts the ratings.
    pub satisfaction: &'static str,
    pub overall: UnitStandards,
    pub units: Vec<UnitStandards>,
    /// Every item behind a figure, by id (for the drill-down).
    pub refs: BTreeMap<i64, ItemRef>,
}

fn round_facts(rounds: &[RoundRow]) -> Vec<RoundFacts> {
    rounds
        .iter()
        .filter(|r| r.outcome.as_deref() != Some("returned"))
        .filter_map(|r| {
            Some(RoundFacts {
                due: Date(crate::cases::clocks::date(&r.reply_due)?),
                replied: r
                    .replied_date
                    .as_deref()
                    .and_then(crate::cases::clocks::date)
                    .map(Date),
            })
        })
        .collect()
}

/// The facts the rule reads of one item; `None` when no unit handles it yet.
pub fn facts(row: &ItemRow, rounds: &[RoundRow]) -> Option<ItemFacts> {
    let rounds = round_facts(rounds);
    if rounds.is_empty() || row.lead_unit.is_none() {
        return None;
    }
    Some(ItemFacts {
        id: row.id,
        kind: Kind::parse(&row.kind)?,
        key_item: row.key_item,
        rounds,
        met_in_person: row.met_in_person,
        satisfaction: row.satisfaction.as_deref().and_then(Satisfaction::parse),
        class: row.class.as_deref().and_then(|c| c.chars().next()),
    })
}

/// The five standards (第十六条) met or not by `facts`, one unit's items or all of them, on
/// `as_of`, with whether the unit owes a written summary.
pub(crate) fn judge(
    unit: Option<UnitRef>,
    facts: &[ItemFacts],
    as_of: NaiveDate,
) -> Result<UnitStandards> {
    let reading = Document::Proposal27.default_reading();
    let d = rule::standards_of_items(facts, Date(as_of), reading, SatisfactionReading::default())
        .map_err(|e| Error::internal(format!("计算承办标准失败: {e}")))?;
    Ok(UnitStandards {
        unit,
        items: facts.len(),
        all_met: d.all_met,
        summary_required: rule::summary_required(facts.len() as u64, reading),
        explanation: d.explanation,
        figures: d.figures,
    })
}

/// Compute the standards of `year` on `as_of`, for every unit (or one).
pub fn compute(
    c: &mut dyn Conn,
    year: i64,
    as_of: NaiveDate,
    only: Option<&str>,
) -> Result<StandardsView> {
    let rows = pdb::items(
        c,
        &ItemFilter {
            year: Some(year),
            lead_unit: only.map(str::to_string),
            ..ItemFilter::default()
        },
    )?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let rounds = pdb::rounds_of(c, &ids)?;
    let names: HashMap<String, String> = units::list_units(c)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut all = Vec::new();
    let mut by_unit: BTreeMap<String, Vec<ItemFacts>> = BTreeMap::new();
    let mut refs = BTreeMap::new();
    for row in &rows {
        let Some(f) = facts(
            row,
            rounds.get(&row.id).map(Vec::as_slice).unwrap_or_default(),
        ) else {
            continue;
        };
        refs.insert(row.id, ItemRef::of(row));
        if let Some(u) = &row.lead_unit {
            by_unit.entry(u.clone()).or_default().push(f.clone());
        }
        all.push(f);
    }
    let mut units = Vec::with_capacity(by_unit.len());
    for (id, list) in &by_unit {
        let unit = UnitRef {
            id: id.clone(),
            name: names.get(id).cloned().unwrap_or_else(|| id.clone()),
        };
        units.push(judge(Some(unit), list, as_of)?);
    }
    // Units below a standard first, then by the number of items.
    units.sort_by(|a, b| {
        a.all_met.cmp(&b.all_met).then(b.items.cmp(&a.items)).then(
            a.unit
                .as_ref()
                .map(|u| &u.name)
                .cmp(&b.unit.as_ref().map(|u| &u.name)),
        )
    });
    let reading = Document::Proposal27.default_reading();
    Ok(StandardsView {
        year,
        as_of: as_of.to_string(),
        citation: "郑政办〔2020〕27号 第十六条",
        counting: {
            let k = Document::Proposal27.counting(reading);
            format!("{}：{}", k.citation, k.rule)
        },
        satisfaction: SatisfactionReading::default().describe(),
        overall: judge(None, &all, as_of)?,
        units,
        refs,
    })
}

/// Which units a viewer may see the standards of: all, or their own.
fn standards_scope(viewer: &Viewer, unit: Option<&str>) -> Result<Option<String>> {
    let user = viewer.user().ok_or_else(Error::unauthenticated)?;
    if user.sees_all_units() || user.has(Role::Leader) {
        return Ok(unit.map(str::to_string));
    }
    if user.has(Role::UnitStaff) {
        return Ok(Some(own_unit(user, unit, "只能查看本单位的承办标准")?));
    }
    Err(Error::forbidden("您没有权限查看承办标准"))
}

/// Which side of a figure to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Counted,
    Short,
    Pending,
}

impl Side {
    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "counted" => Some(Side::Counted),
            "short" => Some(Side::Short),
            "pending" => Some(Side::Pending),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Side::Counted => "计入",
            Side::Short => "拉低指标",
            Side::Pending => "尚不能判断",
        }
    }
}

impl App {
    /// The five standards of `year` (default: this year), per unit and overall; cached until
    /// proposal data changes.
    pub fn proposal_standards(
        &self,
        viewer: &Viewer,
        year: Option<i64>,
        unit: Option<&str>,
    ) -> Result<StandardsView> {
        let only = standards_scope(viewer, unit)?;
        let today = self.today();
        let year = year.unwrap_or_else(|| chrono::Datelike::year(&today) as i64);
        let stamp = self.proposals_stamp()?;
        let view = self.cache.get_or(
            &format!("proposals.standards|{year}|{only:?}"),
            &stamp,
            || {
                self.store
                    .read(|c| compute(c, year, today, only.as_deref()))
            },
        )?;
        Ok(view.as_ref().clone())
    }

    /// The items behind one figure of one unit (or overall): counted, short or pending.
    pub fn proposal_standards_items(
        &self,
        viewer: &Viewer,
        year: Option<i64>,
        unit: Option<&str>,
        figure: &str,
        side: Side,
    ) -> Result<Vec<Summary>> {
        let view = self.proposal_standards(viewer, year, unit)?;
        let scope = match unit {
            Some(u) => view
                .units
                .iter()
                .find(|s| s.unit.as_ref().is_some_and(|x| x.id == u))
                .ok_or_else(|| Error::not_found(format!("承办单位 {u} 的承办标准")))?,
            None => &view.overall,
        };
        let f = scope
            .figures
            .iter()
            .find(|f| f.result.item == figure)
            .ok_or_else(|| Error::not_found(format!("承办标准“{figure}”")))?;
        let ids = match side {
            Side::Counted => &f.counted,
            Side::Short => &f.short,
            Side::Pending => &f.pending,
        };
        let all = self.proposal_list(
            viewer,
            &Filter {
                year: Some(view.year),
                ..Filter::default()
            },
        )?;
        let by_id: HashMap<i64, &Summary> = all.iter().map(|s| (s.id, s)).collect();
        Ok(ids
            .iter()
            .filter_map(|id| by_id.get(id).map(|s| (*s).clone()))
            .collect())
    }

    /// The standards as an Excel workbook: the figures per unit, and the items pulling each
    /// unit below a threshold.
    pub fn proposal_standards_xlsx(&self, viewer: &Viewer, year: Option<i64>) -> Result<Vec<u8>> {
        let view = self.proposal_standards(viewer, year, None)?;
        standards_workbook(&view)
    }
}

/// The workbook of [`App::proposal_standards_xlsx`]: every unit's figures (the overall first),
/// and the items pulling each unit below a standard.
pub fn standards_workbook(view: &StandardsView) -> Result<Vec<u8>> {
    let mut header = vec!["承办单位".to_string(), "承办件数".to_string()];
    for f in &view.overall.figures {
        header.push(format!("{}（件数/应计）", f.result.standard));
        header.push("比率%".into());
        header.push("是否达到".into());
    }
    header.push("第十二条书面总结".into());
    let rows: Vec<Vec<String>> = std::iter::once(&view.overall)
        .chain(&view.units)
        .map(|u| {
            let mut row = vec![
                u.unit
                    .as_ref()
                    .map(|x| x.name.clone())
                    .unwrap_or_else(|| "全部承办单位".into()),
                u.items.to_string(),
            ];
            for f in &u.figures {
                row.push(format!("{}/{}", f.result.count, f.result.total));
                row.push(f.result.rate_percent.clone().unwrap_or_else(|| "—".into()));
                row.push(met_words(f).into());
            }
            row.push(
                if u.summary_required {
                    "须报送"
                } else {
                    "—"
                }
                .into(),
            );
            row
        })
        .collect();
    let mut pulling = Vec::new();
    for u in &view.units {
        let name = u.unit.as_ref().map(|x| x.name.as_str()).unwrap_or_default();
        for f in u.figures.iter().filter(|f| f.result.met == Some(false)) {
            for id in &f.short {
                let r = view.refs.get(id);
                pulling.push(vec![
                    name.to_string(),
                    f.result.standard.to_string(),
                    f.result.clause.to_string(),
                    r.map(|r| r.number.clone()).unwrap_or_default(),
                    r.map(|r| r.subject.clone()).unwrap_or_default(),
                    f.counts.to_string(),
                ]);
            }
        }
    }
    let mut book = Workbook::new();
    sheet(&mut book, "五项标准", &header, &rows, 28.0)?;
    let head: Vec<String> = ["承办单位", "标准", "依据", "编号", "题目", "说明"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    sheet(&mut book, "拉低指标的件", &head, &pulling, 24.0)?;
    save(book)
}
