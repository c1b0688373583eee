//! Supervision of assigned work (督查督办): items made from the gazette, reports units file,
//! the office's review, clocks and reminders — the first procedure on the case foundation.
//!
//! The procedure's table is [`crate::procedures::supervision`]; this module is its behaviour:
//! what each action does beyond moving the state ([`Hooks`]), and the views every role reads.

pub mod items;
pub mod ledger;
pub mod milestones;
pub mod status;
pub mod views;

use crate::cases::units::{leader_owner, unit_list, unit_owner};
use crate::cases::{self, Audience, Context, Effects, Hooks, Notify};
use crate::procedures::supervision::SUPERVISION;
use crate::{App, Result, Viewer};
use chrono::NaiveDate;
use luoshi_domain::Error;
use luoshi_store::cases::{self as cdb, CaseOwnerRow};
use luoshi_store::supervision::{self as sdb, ReportRow};
use luoshi_store::OwnerRole;
use luoshi_store::{units, Conn};

pub use status::ItemStatus;

/// Supervision's behaviour on the case engine.
pub struct Supervision;

/// The one instance the engine runs.
pub static HOOKS: Supervision = Supervision;

fn input_error(message: impl Into<String>) -> Error {
    Error::bad_input("E_INPUT", message)
}

/// `2020-05`: a report period.
fn period(s: &str) -> Result<String> {
    let ok = s.len() == 7
        && s.as_bytes()[4] == b'-'
        && s[..4].chars().all(|c| c.is_ascii_digit())
        && matches!(s[5..].parse::<u32>(), Ok(1..=12));
    if ok {
        Ok(s.to_string())
    } else {
        Err(input_error(format!(
            "报告期“{s}”应写作 年-月，例如 2020-05"
        )))
    }
}

/// A report of this case that still awaits review.
fn pending_report(c: &mut dyn Conn, cx: &Context) -> Result<ReportRow> {
    let id = cx
        .input
        .int("report_id")?
        .ok_or_else(|| input_error("请选择所审报告"))?;
    let r = sdb::report(c, id)?
        .filter(|r| r.case_id == cx.case.id)
        .ok_or_else(|| Error::not_found(format!("此事项的报告（编号 {id}）")))?;
    if r.status != "submitted" || r.kind == "contribution" {
        return Err(Error::conflict(
            "E_STATE",
            format!(
                "该报告当前状态为“{}”，不能再审核",
                report_status_label(&r.status)
            ),
        ));
    }
    Ok(r)
}

/// Chinese label of a report status.
pub fn report_status_label(s: &str) -> &str {
    match s {
        "submitted" => "待审核",
        "accepted" => "已通过",
        "returned" => "已退回",
        "received" => "已收到",
        other => other,
    }
}

/// Chinese label of a report kind.
pub fn report_kind_label(s: &str) -> &str {
    match s {
        "plan" => "项目化推进计划",
        "monthly" => "月度进展",
        "ledger" => "工作落实台账",
        "contribution" => "配合情况",
        other => other,
    }
}

/// The clock a report satisfies.
fn clock_key(kind: &str, period: &str) -> String {
    match kind {
        "plan" => "plan".into(),
        other => format!("{other}:{period}"),
    }
}

impl Supervision {
    /// File a report (plan, monthly, ledger or contribution) and meet its clock.
    fn file(&self, c: &mut dyn Conn, cx: &Context, kind: &str, fx: &mut Effects) -> Result<()> {
        let input = cx.input;
        let (period, status) = match kind {
            "plan" => ("plan".to_string(), "submitted"),
            "contribution" => (
                match input.text("period") {
                    Some(p) => period(&p)?,
                    None => cx.today.format("%Y-%m").to_string(),
                },
                "received",
            ),
            _ => (
                period(&input.text("period").unwrap_or_default())?,
                "submitted",
            ),
        };
        let percent = input.int("percent")?;
        if let Some(p) = percent {
            if !(0..=100).contains(&p) {
                return Err(input_error(format!("完成进度应在 0 至 100 之间，实为 {p}")));
            }
        }
        let plan = if kind == "plan" {
            serde_json::json!({
                "content": input.text("content"), "goal": input.text("goal"),
                "stages": input.text("stages"), "deadline": input.text("deadline"),
                "leader": input.text("leader"),
            })
        } else {
            let reached: Vec<i64> = match input.fields.get("milestones") {
                Some(serde_json::Value::Array(a)) => a.iter().filter_map(|x| x.as_i64()).collect(),
                Some(serde_json::Value::String(s)) => s
                    .split([',', '，'])
                    .filter_map(|x| x.trim().parse().ok())
                    .collect(),
                _ => vec![],
            };
            serde_json::json!({ "milestones": reached })
        };
        let existing = sdb::reports(c, cx.case.id)?;
        if kind != "contribution"
            && existing.iter().any(|r| {
                r.kind == kind
                    && r.period == period
                    && matches!(r.status.as_str(), "submitted" | "accepted")
            })
        {
            return Err(Error::conflict(
                "E_DUPLICATE_REPORT",
                format!(
                    "{}（{}）已报送，正在审核或已通过；如需修改，请待督查室退回后再报",
                    report_kind_label(kind),
                    if period == "plan" { "计划" } else { &period }
                ),
            ));
        }
        let round = existing
            .iter()
            .filter(|r| r.kind == kind && r.period == period)
            .count() as i64
            + 1;
        let id = sdb::insert_report(
            c,
            &ReportRow {
                id: 0,
                case_id: cx.case.id,
                kind: kind.into(),
                period: period.clone(),
                unit_id: cx.relation.unit.clone(),
                author: cx.viewer.actor(),
                status: status.into(),
                round,
                progress: input
                    .text("progress")
                    .or_else(|| input.text("content"))
                    .unwrap_or_default(),
                percent,
                problems: input.text("problems").unwrap_or_default(),
                next_steps: input.text("next_steps").unwrap_or_default(),
                plan,
                submitted_at: cx.at.to_string(),
                event_id: None,
                reviewed_by: None,
                reviewed_at: None,
                review_note: None,
            },
        )?;
        if kind != "contribution" {
            cdb::satisfy_clock(
                c,
                cx.case.id,
                &clock_key(kind, &period),
                &format!("report:{id}"),
                cx.at,
            )?;
        }
        fx.data.insert("report_id".into(), id.into());
        fx.data.insert("kind".into(), kind.into());
        fx.data.insert("period".into(), period.clone().into());
        fx.data.insert("round".into(), round.into());
        let who = cx.relation.unit.clone().unwrap_or_default();
        let unit_name = units::get_unit(c, &who)?.map(|u| u.name).unwrap_or(who);
        let what = report_kind_label(kind);
        fx.notify.push(Notify {
            to: if kind == "contribution" {
                Audience::LeadUnits
            } else {
                Audience::Office
            },
            subject: format!("【{what}】{unit_name}：{}", cx.case.title),
            body: format!(
                "{unit_name}报送了{what}{}（第{round}稿）。\n事项：{} {}\n{}",
                if period == "plan" {
                    String::new()
                } else {
                    format!("（{period}）")
                },
                cx.case.doc_no.as_deref().unwrap_or_default(),
                cx.case.clause.as_deref().unwrap_or_default(),
                cx.case.title
            ),
        });
        Ok(())
    }

    fn review(&self, c: &mut dyn Conn, cx: &Context, accept: bool, fx: &mut Effects) -> Result<()> {
        let r = pending_report(c, cx)?;
        let status = if accept { "accepted" } else { "returned" };
        if !sdb::review_report(
            c,
            r.id,
            status,
            &cx.viewer.actor(),
            cx.at,
            cx.input.note.as_deref(),
        )? {
            return Err(Error::conflict("E_STALE", "该报告刚被审核过，请刷新"));
        }
        let key = clock_key(&r.kind, &r.period);
        if accept {
            if let Some(p) = r.percent {
                sdb::set_progress(c, cx.case.id, p, cx.at)?;
            }
            if let Some(ms) = r.plan.get("milestones").and_then(|m| m.as_array()) {
                for ord in ms.iter().filter_map(|x| x.as_i64()) {
                    cdb::satisfy_clock(
                        c,
                        cx.case.id,
                        &format!("milestone:{ord}"),
                        &format!("report:{}", r.id),
                        cx.at,
                    )?;
                }
            }
        } else {
            cdb::unsatisfy_clock(c, cx.case.id, &key, &format!("report:{}", r.id))?;
        }
        fx.data.insert("report_id".into(), r.id.into());
        fx.data.insert("verdict".into(), status.into());
        let what = report_kind_label(&r.kind);
        fx.notify.push(Notify {
            to: Audience::LeadUnits,
            subject: format!(
                "【{}】{what}：{}",
                if accept { "已通过" } else { "退回修改" },
                cx.case.title
            ),
            body: format!(
                "督查室{}了您单位报送的{what}{}。{}\n事项：{} {}",
                if accept { "审核通过" } else { "退回" },
                if r.period == "plan" {
                    String::new()
                } else {
                    format!("（{}）", r.period)
                },
                cx.input
                    .note
                    .as_deref()
                    .map(|n| format!("意见：{n}"))
                    .unwrap_or_default(),
                cx.case.doc_no.as_deref().unwrap_or_default(),
                cx.case.title
            ),
        });
        Ok(())
    }

    fn extend(&self, app: &App, c: &mut dyn Conn, cx: &Context, fx: &mut Effects) -> Result<()> {
        let key = cx.input.text("clock").unwrap_or_default();
        let clock = cdb::clocks(c, cx.case.id)?
            .into_iter()
            .find(|k| k.key == key)
            .ok_or_else(|| Error::not_found(format!("此事项的时限“{key}”")))?;
        if clock.satisfied_at.is_some() {
            return Err(Error::conflict(
                "E_STATE",
                format!("时限“{}”已完成，无需延期", clock.label),
            ));
        }
        let due_text = cx.input.text("due").unwrap_or_default();
        let due = NaiveDate::parse_from_str(&due_text, "%Y-%m-%d")
            .map_err(|_| input_error(format!("新的到期日“{due_text}”应写作 年-月-日")))?;
        if due.to_string() <= clock.due_date {
            return Err(input_error(format!(
                "新的到期日 {due} 应晚于原到期日 {}",
                clock.due_date
            )));
        }
        let reason = cx.input.note.clone().unwrap_or_default();
        let mut expl = clock.explanation.clone();
        let previous = crate::cases::clocks::explanation_text(&expl);
        let rest = app
            .calendar
            .status(due)
            .ok()
            .filter(|s| !s.is_working())
            .map(|s| format!("（注意：{due} 为{}）", s.reason()))
            .unwrap_or_default();
        let text = format!(
            "{previous}\n督查室延期：原到期日 {}，延至 {due}{rest}；理由：{reason}（{}，{}）",
            clock.due_date,
            cx.viewer.actor(),
            &cx.at[..10]
        );
        if let Some(obj) = expl.as_object_mut() {
            obj.insert("text".into(), text.into());
            obj.insert("extended_from".into(), clock.due_date.clone().into());
        }
        cdb::move_clock(c, cx.case.id, &key, &due.to_string(), &expl)?;
        fx.data.insert("clock".into(), key.into());
        fx.data.insert("from".into(), clock.due_date.clone().into());
        fx.data.insert("to".into(), due.to_string().into());
        fx.notify.push(Notify {
            to: Audience::LeadUnits,
            subject: format!("【延期】{}：{}", clock.label, cx.case.title),
            body: format!(
                "督查室将“{}”的时限由 {} 延至 {due}。理由：{reason}",
                clock.label, clock.due_date
            ),
        });
        Ok(())
    }

    fn assign(&self, c: &mut dyn Conn, cx: &Context, fx: &mut Effects) -> Result<()> {
        let has_lead = cx.owners.iter().any(|o| o.role == OwnerRole::Lead);
        if cx.action.name == "assign" && has_lead {
            return Err(Error::conflict(
                "E_STATE",
                "此事项已有牵头单位，请使用“调整责任单位”并说明理由",
            ));
        }
        let leads = unit_list(c, cx.input.fields.get("lead_units"), "牵头单位")?;
        if leads.is_empty() {
            return Err(input_error("请至少选择一个牵头单位"));
        }
        let cos = unit_list(c, cx.input.fields.get("units"), "责任单位")?;
        let mut owners: Vec<CaseOwnerRow> = match cx.input.text("leaders") {
            Some(l) => l
                .split([',', '，', '、', ' '])
                .filter(|x| !x.trim().is_empty())
                .map(leader_owner)
                .collect(),
            None => cx
                .owners
                .iter()
                .filter(|o| o.role == OwnerRole::Leader)
                .cloned()
                .collect(),
        };
        owners.extend(leads.iter().map(|u| unit_owner(OwnerRole::Lead, u)));
        owners.extend(cos.iter().map(|u| unit_owner(OwnerRole::Co, u)));
        cdb::set_owners(c, cx.case.id, &owners)?;
        let names = |l: &[(String, String)]| l.iter().map(|u| u.1.clone()).collect::<Vec<_>>();
        fx.data.insert("lead_units".into(), names(&leads).into());
        fx.data.insert("units".into(), names(&cos).into());
        fx.data.insert(
            "previous".into(),
            serde_json::to_value(cx.owners).unwrap_or_default(),
        );
        let mut to: Vec<String> = leads.iter().map(|u| u.0.clone()).collect();
        to.extend(cos.iter().map(|u| u.0.clone()));
        fx.notify.push(Notify {
            to: Audience::Units(to),
            subject: format!("【交办】{}", cx.case.title),
            body: format!(
                "督查室将此事项交由 {}{} 办理。\n事项：{} {}\n{}",
                names(&leads).join("、"),
                if cos.is_empty() {
                    String::new()
                } else {
                    format!("牵头，{} 配合", names(&cos).join("、"))
                },
                cx.case.doc_no.as_deref().unwrap_or_default(),
                cx.case.clause.as_deref().unwrap_or_default(),
                cx.case.body
            ),
        });
        Ok(())
    }
}

impl Hooks for Supervision {
    fn procedure(&self) -> &'static crate::cases::Procedure {
        &SUPERVISION
    }

    fn apply(&self, app: &App, c: &mut dyn Conn, cx: &Context) -> Result<Effects> {
        let mut fx = Effects::default();
        match cx.action.name {
            "submit_plan" => self.file(c, cx, "plan", &mut fx)?,
            "contribute" => self.file(c, cx, "contribution", &mut fx)?,
            "submit_report" => self.file(c, cx, "monthly", &mut fx)?,
            "submit_ledger" => self.file(c, cx, "ledger", &mut fx)?,
            "accept" => self.review(c, cx, true, &mut fx)?,
            "return" => self.review(c, cx, false, &mut fx)?,
            "extend" => self.extend(app, c, cx, &mut fx)?,
            "assign" | "reassign" => self.assign(c, cx, &mut fx)?,
            "complete" => {
                cdb::stop_clocks(c, cx.case.id, cx.at)?;
                fx.notify.push(Notify {
                    to: Audience::LeadUnits,
                    subject: format!("【办结】{}", cx.case.title),
                    body: format!(
                        "督查室已将此事项办结。{}",
                        cx.input.note.clone().unwrap_or_default()
                    ),
                });
            }
            "reopen" => {
                cdb::restart_clocks(c, cx.case.id)?;
                fx.notify.push(Notify {
                    to: Audience::LeadUnits,
                    subject: format!("【重新办理】{}", cx.case.title),
                    body: format!(
                        "督查室要求重新办理此事项。理由：{}",
                        cx.input.note.clone().unwrap_or_default()
                    ),
                });
            }
            other => {
                return Err(Error::internal(format!("督办程序未实现动作 {other}")));
            }
        }
        Ok(fx)
    }

    fn after(
        &self,
        app: &App,
        c: &mut dyn Conn,
        cx: &Context,
        fx: &Effects,
        event_id: i64,
    ) -> Result<()> {
        if let Some(id) = fx.data.get("report_id").and_then(|v| v.as_i64()) {
            if matches!(
                cx.action.name,
                "submit_plan" | "contribute" | "submit_report" | "submit_ledger"
            ) {
                sdb::set_report_event(c, id, event_id)?;
            }
        }
        status::refresh_item(app, c, cx.case.id, cx.today)?;
        bump_generation(c, cx.at)?;
        Ok(())
    }
}

/// The setting every supervision write bumps, so cached views know they are stale.
pub const GENERATION: &str = "generation.supervision";

/// Mark supervision's cached views stale (inside the writing transaction).
pub fn bump_generation(c: &mut dyn Conn, at: &str) -> Result<()> {
    cases::bump_generation(c, GENERATION, at)
}

impl App {
    /// Take a supervision action on an item.
    pub fn supervision_act(
        &self,
        viewer: &Viewer,
        item_id: i64,
        input: &cases::ActionInput,
    ) -> Result<cases::Acted> {
        self.act(viewer, &HOOKS, item_id, input)
    }
}
