//! Health-action monitoring (健康郑州行动监测评估和考核, 郑政文〔2020〕59号 附件2 and 附件3): the
//! series made from the document, values per year and area entered by the departments,
//! approved (and so locked) by the action groups, unlocked by the office with a reason; the
//! attainment of every target by the rule in `luoshi_rules::attainment`; charts, reports and
//! the assessment of counties/districts and departments.
//!
//! The approval procedure's table is [`crate::procedures::health`]; this module is its
//! behaviour ([`Hooks`]) and the services every page and API call uses.

pub mod assess;
pub mod attain;
pub mod bench;
pub mod charts;
pub mod pdf;
pub mod report;
pub mod series;
pub mod upload;
pub mod views;

use crate::cases::units::task_owner;
use crate::cases::{self, Acted, ActionInput, Audience, Context, Effects, Hooks, Notify};
use crate::procedures::health::HEALTH_VALUES;
use crate::{App, Result, Viewer};
use luoshi_domain::AuditDraft;
use luoshi_domain::{Error, ErrorKind, Role};
use luoshi_store::audit;
use luoshi_store::cases::{self as cdb, CaseOwnerRow, NewCase};
use luoshi_store::health::{self as hdb, NewObservation, SeriesRow};
use luoshi_store::OwnerRole;
use luoshi_store::TaskKind;
use luoshi_store::{gazette as gdb, units, Conn};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The procedure's name, as stored with each case.
pub const PROCEDURE: &str = "health_values";
/// Setting bumped by every write to health data (cached views check it).
pub const GENERATION: &str = "generation.health";
/// The area code of the whole city.
pub const CITY: &str = "city";
/// Years a value may be entered for.
pub const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

/// Approval's behaviour on the case engine.
pub struct HealthValues;

/// The one instance the engine runs.
pub static HOOKS: HealthValues = HealthValues;

/// A county, district or development zone values are reported for, or the city.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Area {
    pub id: String,
    pub name: String,
}

/// One value to enter: the year's value (`month` 0) or a month's.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ValueBody))]
pub struct ValueIn {
    #[serde(default)]
    pub month: i64,
    pub value: String,
    #[serde(default)]
    pub numerator: Option<String>,
    #[serde(default)]
    pub denominator: Option<String>,
    #[serde(default)]
    pub note: String,
}

fn value_error(message: impl Into<String>) -> Error {
    Error::bad_input("E_HEALTH_VALUE", message)
}

/// An exact decimal as written (`4.10` stays `4.10`).
pub fn decimal(what: &str, text: &str) -> Result<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.len() > 30 {
        return Err(value_error(format!("{what}“{t}”不是有效的数值")));
    }
    Decimal::from_str(t).map_err(|_| value_error(format!("{what}“{t}”不是有效的数值")))
}

/// Check one value: decimals, month, and a value that agrees with its numerator and
/// denominator at the value's own rounding (`12.35` = 247/2000 × 100).
pub fn check_value(v: &ValueIn, factor: Option<&str>) -> Result<()> {
    if !(0..=12).contains(&v.month) {
        return Err(value_error(format!(
            "月份 {} 应在 0（全年）到 12 之间",
            v.month
        )));
    }
    let value = decimal("数值", &v.value)?;
    let num = v.numerator.as_deref().filter(|s| !s.trim().is_empty());
    let den = v.denominator.as_deref().filter(|s| !s.trim().is_empty());
    match (num, den) {
        (Some(n), Some(d)) => {
            let n = decimal("分子", n)?;
            let d = decimal("分母", d)?;
            if d.is_zero() {
                return Err(value_error("分母不能为 0"));
            }
            let f = factor
                .map(|f| decimal("倍数", f))
                .transpose()?
                .unwrap_or(Decimal::ONE);
            let computed = (n / d * f).round_dp(value.scale());
            if computed != value {
                return Err(Error::bad_input(
                    "E_HEALTH_RATIO",
                    format!(
                        "数值 {value} 与分子/分母不符：{n} ÷ {d} × {f} = {computed}（按数值的小数位数修约）"
                    ),
                ));
            }
        }
        (None, None) => {}
        _ => return Err(value_error("分子和分母须同时填写或同时不填")),
    }
    Ok(())
}

/// The groups whose members report values (各县（市、区）政府, 开发区管委会).
pub const AREA_GROUPS: &[&str] = &["group.counties", "group.zones"];

/// A unit's name as an area (`金水区人民政府` → `金水区`, `郑州市郑东新区管理委员会` → `郑东新区`).
pub fn area_name(unit_name: &str) -> String {
    let n = unit_name.strip_prefix("郑州市").unwrap_or(unit_name);
    let n = n
        .strip_suffix("人民政府")
        .or_else(|| n.strip_suffix("管理委员会"))
        .unwrap_or(n);
    n.to_string()
}

/// The city and every county, district and development zone, in registry order.
pub fn areas(c: &mut dyn Conn) -> Result<Vec<Area>> {
    let mut out = vec![Area {
        id: CITY.into(),
        name: "全市".into(),
    }];
    let all = units::list_units(c)?;
    for g in AREA_GROUPS {
        let Some(group) = units::get_group(c, g)? else {
            continue;
        };
        for m in &group.members {
            if let Some(u) = all.iter().find(|u| &u.id == m) {
                out.push(Area {
                    id: u.id.clone(),
                    name: area_name(&u.name),
                });
            }
        }
    }
    Ok(out)
}

/// The area with this id or name.
pub fn area(c: &mut dyn Conn, text: &str) -> Result<Area> {
    let t = text.trim();
    areas(c)?
        .into_iter()
        .find(|a| {
            a.id == t || a.name == t || a.name == area_name(t) || (t == "郑州市" && a.id == CITY)
        })
        .ok_or_else(|| {
            Error::bad_input(
                "E_HEALTH_AREA",
                format!("“{t}”不是本市或所辖县（市、区）、开发区"),
            )
        })
}

fn case_key(series_id: i64, area: &str, year: i64) -> String {
    format!("S{series_id}:{area}:{year}")
}

/// Mark health's cached views stale (inside the writing transaction).
pub fn bump_generation(c: &mut dyn Conn, at: &str) -> Result<()> {
    cases::bump_generation(c, GENERATION, at)
}

/// The case of a series, area and year, made when first needed: owned by the action's lead
/// department (the action group approves) and co-departments, and for a county's values
/// also by that county's government (it enters them).
pub fn ensure_case(
    c: &mut dyn Conn,
    series: &SeriesRow,
    area: &Area,
    year: i64,
    at: &str,
) -> Result<i64> {
    let key = case_key(series.id, &area.id, year);
    if let Some(row) = c.query_opt(
        "SELECT id FROM cases WHERE procedure = $1 AND ref_key = $2",
        &[PROCEDURE.into(), key.as_str().into()],
    )? {
        return Ok(row.i64("id")?);
    }
    let data = serde_json::json!({"series_id": series.id, "area": area.id, "year": year});
    let title = format!("{} · {} · {} 年", series.name, area.name, year);
    let id = cdb::insert_case(
        c,
        &NewCase {
            procedure: PROCEDURE,
            ref_key: &key,
            title: &title,
            body: &series.owner_source,
            document_id: Some(series.document_id),
            doc_no: Some(&series.doc_no),
            clause: Some(&series.clause),
            lines: Some((series.first_line, series.last_line)),
            state: HEALTH_VALUES.initial,
            data: &data,
            at,
        },
    )?
    .ok_or_else(|| Error::conflict("E_STALE", "该年度数据事项正在创建，请重试"))?;
    let mut owners: Vec<CaseOwnerRow> = Vec::new();
    if let Some(task) = series
        .action_task_id
        .map(|t| gdb::get_task(c, t))
        .transpose()?
        .flatten()
    {
        for o in task
            .owners
            .iter()
            .filter(|o| o.role == OwnerRole::Lead || o.role == OwnerRole::Co)
        {
            owners.push(task_owner(o));
        }
    }
    if area.id != CITY {
        owners.push(CaseOwnerRow {
            role: OwnerRole::Co,
            name: area.name.clone(),
            unit_id: Some(area.id.clone()),
            group_id: None,
            via_group: None,
            user_id: None,
            open: false,
            resolved: true,
        });
    }
    cdb::set_owners(c, id, &owners)?;
    Ok(id)
}

/// What a case's data says it is about.
fn case_subject(cx: &Context) -> Result<(i64, String, i64)> {
    let d = &cx.case.data;
    match (
        d["series_id"].as_i64(),
        d["area"].as_str(),
        d["year"].as_i64(),
    ) {
        (Some(s), Some(a), Some(y)) => Ok((s, a.to_string(), y)),
        _ => Err(Error::internal("年度监测数据事项缺少指标、地区或年份")),
    }
}

/// The values of an `enter` action's input.
pub fn values_of(input: &ActionInput) -> Result<Vec<ValueIn>> {
    let raw = input
        .fields
        .get("values")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    let list: Vec<ValueIn> =
        serde_json::from_value(raw).map_err(|e| value_error(format!("数值格式不正确：{e}")))?;
    if list.is_empty() {
        return Err(value_error("没有要录入的数值"));
    }
    Ok(list)
}

impl Hooks for HealthValues {
    fn procedure(&self) -> &'static cases::Procedure {
        &HEALTH_VALUES
    }

    fn apply(&self, _app: &App, c: &mut dyn Conn, cx: &Context) -> Result<Effects> {
        let (series_id, area, year) = case_subject(cx)?;
        let series = hdb::get_series(c, series_id)?
            .ok_or_else(|| Error::not_found(format!("监测指标（编号 {series_id}）")))?;
        let actor = cx.viewer.actor();
        let mut fx = Effects::default();
        let what = format!("{}（{}，{} 年）", series.name, area, year);
        match cx.action.name {
            "enter" => {
                let values = values_of(cx.input)?;
                let unlocked = cx.case.data["unlock_reason"].as_str().map(str::to_string);
                for v in &values {
                    check_value(v, series.factor.as_deref())?;
                    let old = hdb::observation(c, series_id, &area, year, v.month)?;
                    let reason = match (&old, &unlocked) {
                        (Some(o), Some(r)) if o.approved_by.is_some() => {
                            format!("解锁后更正：{r}")
                        }
                        _ => cx
                            .input
                            .note
                            .clone()
                            .filter(|n| !n.trim().is_empty())
                            .unwrap_or_else(|| "审定前更正".into()),
                    };
                    hdb::put_observation(
                        c,
                        &NewObservation {
                            series_id,
                            area: &area,
                            year,
                            month: v.month,
                            value: v.value.trim(),
                            numerator: v.numerator.as_deref().map(str::trim),
                            denominator: v.denominator.as_deref().map(str::trim),
                            note: v.note.trim(),
                            case_id: Some(cx.case.id),
                            status: "entered",
                            entered_by: &actor,
                            entered_unit: cx.relation.unit.as_deref(),
                            at: cx.at,
                            demo: false,
                        },
                        &reason,
                    )?;
                }
                fx.data.insert(
                    "values".into(),
                    serde_json::to_value(&values).unwrap_or_default(),
                );
            }
            "submit" => {
                let n = hdb::observations(
                    c,
                    &hdb::ObsFilter {
                        case_id: Some(cx.case.id),
                        ..Default::default()
                    },
                )?
                .len();
                if n == 0 {
                    return Err(Error::bad_input(
                        "E_HEALTH_EMPTY",
                        format!("{what}尚无数值，不能报送"),
                    ));
                }
                hdb::set_case_status(c, cx.case.id, "submitted")?;
                fx.notify.push(Notify {
                    to: Audience::LeadUnits,
                    subject: format!("监测数据待审核：{what}"),
                    body: format!(
                        "{actor} 报送了{what}的监测数据（{n} 个数值），请专项行动组审核。"
                    ),
                });
            }
            "approve" => {
                hdb::approve_case(c, cx.case.id, &actor, cx.at)?;
                let mut data = cx.case.data.clone();
                if let Some(m) = data.as_object_mut() {
                    m.remove("unlock_reason");
                }
                fx.case_data = Some(data);
                fx.notify.push(Notify {
                    to: Audience::CoUnits,
                    subject: format!("监测数据已审定：{what}"),
                    body: format!("{actor} 审定了{what}的监测数据，数值已锁定。"),
                });
            }
            "return" => {
                hdb::set_case_status(c, cx.case.id, "entered")?;
                fx.notify.push(Notify {
                    to: Audience::CoUnits,
                    subject: format!("监测数据被退回：{what}"),
                    body: format!(
                        "{actor} 退回了{what}的监测数据：{}",
                        cx.input.note.as_deref().unwrap_or("")
                    ),
                });
            }
            "unlock" => {
                let reason = cx.input.note.clone().unwrap_or_default();
                hdb::set_case_status(c, cx.case.id, "unlocked")?;
                let mut data = cx.case.data.clone();
                data["unlock_reason"] = serde_json::Value::String(reason.trim().to_string());
                fx.case_data = Some(data);
                fx.notify.push(Notify {
                    to: Audience::LeadUnits,
                    subject: format!("监测数据已解锁：{what}"),
                    body: format!("推进委员会办公室解锁了{what}的监测数据，原因：{reason}"),
                });
            }
            other => return Err(Error::internal(format!("未处理的操作 {other}"))),
        }
        bump_generation(c, cx.at)?;
        Ok(fx)
    }
}

/// Refuse anyone but the office (健康办) and administrators.
fn require_office(viewer: &Viewer) -> Result<()> {
    if is_office(viewer) {
        Ok(())
    } else if viewer.user().is_none() {
        Err(Error::unauthenticated())
    } else {
        Err(Error::forbidden(
            "只有推进委员会办公室可以执行此操作（依据 郑政文〔2020〕59号 附件2 三（一））",
        ))
    }
}

/// The office: 健康办 or an administrator.
pub fn is_office(viewer: &Viewer) -> bool {
    viewer
        .user()
        .is_some_and(|u| u.has(Role::Health) || u.has(Role::Admin))
}

impl App {
    /// Take an action on the values of a series, area and year (the case is made on the first
    /// entry). `enter` takes `values`; `return` and `unlock` need a note.
    #[allow(clippy::too_many_arguments)]
    pub fn health_act(
        &self,
        viewer: &Viewer,
        series_id: i64,
        area: &str,
        year: i64,
        action: &str,
        values: Vec<ValueIn>,
        note: Option<String>,
    ) -> Result<Acted> {
        let today = self.today();
        self.store.write(|c| {
            self.health_act_in(
                c, viewer, series_id, area, year, action, values, note, today,
            )
        })
    }

    /// [`App::health_act`] inside the caller's transaction (an upload applies all or nothing).
    #[allow(clippy::too_many_arguments)]
    pub fn health_act_in(
        &self,
        c: &mut dyn Conn,
        viewer: &Viewer,
        series_id: i64,
        area: &str,
        year: i64,
        action: &str,
        values: Vec<ValueIn>,
        note: Option<String>,
        today: chrono::NaiveDate,
    ) -> Result<Acted> {
        if viewer.user().is_none() {
            return Err(Error::unauthenticated());
        }
        if !YEARS.contains(&year) {
            return Err(value_error(format!("年份 {year} 不在 2000—2100 之间")));
        }
        let series = hdb::get_series(c, series_id)?
            .ok_or_else(|| Error::not_found(format!("监测指标（编号 {series_id}）")))?;
        let area = self::area(c, area)?;
        let at = self.now();
        let case_id = ensure_case(c, &series, &area, year, &at)?;
        let case =
            cdb::get_case(c, case_id)?.ok_or_else(|| Error::internal("年度监测数据事项不存在"))?;
        let mut fields = serde_json::Map::new();
        if !values.is_empty() {
            fields.insert(
                "values".into(),
                serde_json::to_value(&values).unwrap_or_default(),
            );
        }
        self.act_in(
            c,
            viewer,
            &HOOKS,
            case_id,
            &ActionInput {
                action: action.to_string(),
                version: case.version,
                note,
                fields,
                attachments: Vec::new(),
            },
            today,
        )
    }

    /// The approval case of a series, area and year as the viewer sees it (`None` before
    /// anything was entered, or when it is not the viewer's to see).
    pub fn health_case(
        &self,
        viewer: &Viewer,
        series_id: i64,
        area: &str,
        year: i64,
    ) -> Result<Option<cases::CaseView>> {
        self.store.read(|c| {
            let key = case_key(series_id, area, year);
            let Some(row) = c.query_opt(
                "SELECT id FROM cases WHERE procedure = $1 AND ref_key = $2",
                &[PROCEDURE.into(), key.as_str().into()],
            )?
            else {
                return Ok(None);
            };
            match cases::case_view_in(c, viewer, &HEALTH_VALUES, row.i64("id")?) {
                Ok(v) => Ok(Some(v)),
                // Not the viewer's to see: as if nothing had been entered.
                Err(e) if matches!(e.kind, ErrorKind::Forbidden | ErrorKind::Unauthenticated) => {
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        })
    }

    /// Record the office's decision on a qualitative target of a series (定性目标判定), with
    /// its evidence; a later decision for the same target, area and year supersedes it.
    #[allow(clippy::too_many_arguments)]
    pub fn health_decide(
        &self,
        viewer: &Viewer,
        series_id: i64,
        target_id: i64,
        area: &str,
        year: i64,
        met: bool,
        evidence: &str,
    ) -> Result<i64> {
        require_office(viewer)?;
        if evidence.trim().is_empty() {
            return Err(Error::bad_input(
                "E_HEALTH_EVIDENCE",
                "定性目标的判定须写明依据",
            ));
        }
        let at = self.now();
        self.store.write(|c| {
            let area = self::area(c, area)?;
            let exists = hdb::targets(c)?
                .into_iter()
                .find(|t| t.id == target_id && t.series_id == series_id)
                .ok_or_else(|| {
                    Error::not_found(format!("监测指标 {series_id} 的目标（编号 {target_id}）"))
                })?;
            if exists.op != "text" {
                return Err(Error::bad_input(
                    "E_HEALTH_DECISION",
                    format!(
                        "目标“{}”可按数值评估，无须判定；只有定性目标（如“提前实现”）由办公室判定",
                        exists.words
                    ),
                ));
            }
            let id = hdb::insert_decision(
                c,
                &hdb::DecisionRow {
                    id: 0,
                    target_id,
                    area: area.id.clone(),
                    year,
                    met,
                    evidence: evidence.trim().to_string(),
                    decided_by: viewer.actor(),
                    decided_at: at.clone(),
                },
            )?;
            audit::append(
                c,
                &AuditDraft {
                    actor: viewer.actor(),
                    action: "health.decide".into(),
                    entity: "health_target".into(),
                    entity_id: target_id.to_string(),
                    before: None,
                    after: Some(
                        serde_json::json!({"area": area.id, "year": year, "met": met,
                            "evidence": evidence.trim(), "words": exists.words})
                        .to_string(),
                    ),
                },
                &at,
            )?;
            bump_generation(c, &at)?;
            Ok(id)
        })
    }

    /// Assign a series to an action (an indicator the document did not place).
    pub fn health_assign(&self, viewer: &Viewer, series_id: i64, action_no: i64) -> Result<()> {
        require_office(viewer)?;
        let at = self.now();
        self.store.write(|c| {
            let series = hdb::get_series(c, series_id)?
                .ok_or_else(|| Error::not_found(format!("监测指标（编号 {series_id}）")))?;
            let task = gdb::list_tasks(c, series.document_id)?
                .into_iter()
                .find(|t| t.kind == TaskKind::Action && t.no == action_no)
                .ok_or_else(|| {
                    Error::bad_input(
                        "E_HEALTH_ACTION",
                        format!("{} 没有第 {action_no} 项专项行动", series.doc_no),
                    )
                })?;
            let source = format!("{} 指定为 {}（{}）", viewer.actor(), task.clause, task.name);
            hdb::set_action(c, series_id, task.id, task.no, &source)?;
            audit::append(
                c,
                &AuditDraft {
                    actor: viewer.actor(),
                    action: "health.assign".into(),
                    entity: "health_series".into(),
                    entity_id: series_id.to_string(),
                    before: Some(
                        serde_json::json!({"action_no": series.action_no,
                            "owner_source": series.owner_source})
                        .to_string(),
                    ),
                    after: Some(serde_json::json!({"action_no": task.no}).to_string()),
                },
                &at,
            )?;
            bump_generation(c, &at)
        })
    }

    /// Publish a report (the overall monitoring report, `action_no` 0, or an action's special
    /// report) so the public may read it.
    pub fn health_publish(
        &self,
        viewer: &Viewer,
        kind: &str,
        year: i64,
        action_no: i64,
    ) -> Result<bool> {
        require_office(viewer)?;
        if !matches!(kind, "overall" | "action") {
            return Err(Error::bad_input(
                "E_HEALTH_REPORT",
                format!("报告类型“{kind}”应为 overall（总体监测评估报告）或 action（专题报告）"),
            ));
        }
        let at = self.now();
        self.store.write(|c| {
            let fresh = hdb::publish_report(
                c,
                &hdb::ReportRow {
                    id: 0,
                    kind: kind.into(),
                    year,
                    action_no,
                    published_by: viewer.actor(),
                    published_at: at.clone(),
                    note: String::new(),
                },
            )?;
            if fresh {
                audit::append(
                    c,
                    &AuditDraft {
                        actor: viewer.actor(),
                        action: "health.publish".into(),
                        entity: "health_report".into(),
                        entity_id: format!("{kind}:{year}:{action_no}"),
                        before: None,
                        after: None,
                    },
                    &at,
                )?;
                bump_generation(c, &at)?;
            }
            Ok(fresh)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(value: &str, n: Option<&str>, d: Option<&str>) -> ValueIn {
        ValueIn {
            value: value.into(),
            numerator: n.map(str::to_string),
            denominator: d.map(str::to_string),
            ..ValueIn::default()
        }
    }

    #[test]
    fn values_agree_with_numerator_and_denominator_at_their_rounding() {
        assert!(check_value(&v("12.35", Some("247"), Some("2000")), Some("100")).is_ok());
        // 247/2000 = 12.35%; 12.4 at one decimal is right too, 12.3 is not.
        assert!(check_value(&v("12.4", Some("247"), Some("2000")), Some("100")).is_ok());
        let e = check_value(&v("12.3", Some("247"), Some("2000")), Some("100")).unwrap_err();
        assert_eq!(e.code, "E_HEALTH_RATIO");
        // 1/10万: 3 deaths per 31,000 births = 9.68 per 100,000.
        assert!(check_value(&v("9.68", Some("3"), Some("31000")), Some("100000")).is_ok());
        assert_eq!(
            check_value(&v("1", Some("1"), None), None)
                .unwrap_err()
                .code,
            "E_HEALTH_VALUE"
        );
        assert!(check_value(&v("1", Some("1"), Some("0")), None).is_err());
        assert!(check_value(&v("abc", None, None), None).is_err());
        let mut m = v("1", None, None);
        m.month = 13;
        assert!(check_value(&m, None).is_err());
    }
}
