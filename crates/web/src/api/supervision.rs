//! Supervision as JSON (督查督办接口): items with filters, one item with its history, reports
//! and clocks, filing reports, the office's actions, the dashboard, the Excel ledger, notices.
//! Writes carry the session's CSRF token in `X-CSRF-Token` and the item version the client saw
//! (a stale version answers 409 and changes nothing).

use super::cases::{post_action, CaseKind};
use super::write::Write;
use super::{id, json, ApiResult};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use base64::Engine;
use luoshi_app::cases::attachments::Upload;
use luoshi_app::cases::{Acted, ActionInput};
use luoshi_app::supervision::views::{Dashboard, Filter, ItemDetail, ItemSummary};
use luoshi_app::supervision::ItemStatus;
use luoshi_app::App;
use luoshi_domain::Error;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(tags((name = "supervision", description = "督查督办：督办事项、报告、审核、时限、台账")))]
struct SupervisionApi;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(SupervisionApi::openapi())
        .routes(routes!(items))
        .routes(routes!(item))
        .routes(routes!(file_report))
        .routes(routes!(take_action))
        .routes(routes!(dashboard))
        .routes(routes!(ledger))
        .routes(routes!(notices))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ItemsQuery {
    /// 文号, e.g. 郑政办〔2020〕29号.
    doc: Option<String>,
    /// A unit's registry id (its own unit for unit staff).
    unit: Option<String>,
    /// A responsible leader's name (their own for leaders).
    leader: Option<String>,
    /// not_started, in_progress, completed, behind, overdue (or the Chinese label).
    status: Option<String>,
    /// A chapter heading as the dashboard lists it.
    chapter: Option<String>,
}

impl ItemsQuery {
    fn filter(self) -> Result<Filter, Error> {
        let some = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let status = match some(self.status) {
            Some(s) => Some(
                ItemStatus::parse(&s)
                    .ok_or_else(|| Error::bad_input("E_INPUT", format!("状态“{s}”无效")))?,
            ),
            None => None,
        };
        Ok(Filter {
            doc: some(self.doc),
            unit: some(self.unit),
            leader: some(self.leader),
            status,
            chapter: some(self.chapter),
        })
    }
}

/// 督办事项列表（按权限：督查室看全部，承办单位看本单位，责任领导看本人分管）
#[utoipa::path(get, path = "/supervision/items", tag = "supervision", params(ItemsQuery),
    responses((status = 200, description = "督办事项", body = Vec<ItemSummary>)))]
async fn items(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ItemsQuery>, QueryRejection>,
) -> ApiResult {
    let filter = input::query(q)?.filter()?;
    let list = blocking(&state, move |app| {
        app.supervision_items(&auth.viewer, &filter)
    })
    .await?;
    Ok(json(list.as_ref()))
}

/// 督办事项详情：时间节点、时限及其计算说明、报告、办理记录、当前可执行的操作
#[utoipa::path(get, path = "/supervision/items/{id}", tag = "supervision",
    params(("id" = i64, Path, description = "事项编号")),
    responses((status = 200, description = "督办事项", body = ItemDetail)))]
async fn item(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = id(raw, "督办事项")?;
    let detail = blocking(&state, move |app| app.supervision_item(&auth.viewer, id)).await?;
    Ok(json(detail))
}

/// A file attached to a report or an action, base64-encoded.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AttachmentIn {
    filename: String,
    /// The file's bytes, standard base64.
    content_base64: String,
}

/// What kind of report.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum ReportKind {
    /// 项目化推进计划 (lead unit).
    Plan,
    /// 月度进展 (lead unit).
    Monthly,
    /// 工作落实台账 (lead unit).
    Ledger,
    /// 配合情况 (a co-unit, to the lead unit).
    Contribution,
}

/// A report to file.
#[derive(Debug, Deserialize, ToSchema)]
struct ReportIn {
    kind: ReportKind,
    /// The item version the client saw.
    version: i64,
    /// `2020-05` for a monthly report (it covers May), the ledger batch for a ledger.
    period: Option<String>,
    progress: Option<String>,
    /// 0–100.
    percent: Option<i64>,
    problems: Option<String>,
    next_steps: Option<String>,
    /// Plan: 工作具体内容.
    content: Option<String>,
    /// Plan: 总体目标.
    goal: Option<String>,
    /// Plan: 阶段目标.
    stages: Option<String>,
    /// Plan: 完成时限.
    deadline: Option<String>,
    /// Plan: 责任领导.
    leader: Option<String>,
    /// Milestones reached (their numbers, 1-based).
    #[serde(default)]
    milestones: Vec<i64>,
    note: Option<String>,
    #[serde(default)]
    attachments: Vec<AttachmentIn>,
}

pub(crate) fn uploads(list: Vec<AttachmentIn>) -> Result<Vec<Upload>, Error> {
    list.into_iter()
        .map(|a| {
            let content = base64::engine::general_purpose::STANDARD
                .decode(a.content_base64.trim())
                .map_err(|e| {
                    Error::bad_input(
                        "E_ATTACHMENT_ENCODING",
                        format!("附件“{}”不是有效的 base64：{e}", a.filename),
                    )
                })?;
            Ok(Upload {
                filename: a.filename,
                content,
            })
        })
        .collect()
}

/// Supervised items, acted on through the supervision procedure.
const ITEM: CaseKind = CaseKind {
    what: "督办事项",
    act: App::supervision_act,
};

fn put(fields: &mut serde_json::Map<String, serde_json::Value>, name: &str, v: Option<String>) {
    if let Some(v) = v {
        fields.insert(name.into(), v.into());
    }
}

/// 报送报告：项目化推进计划、月度进展、工作落实台账（牵头单位）或配合情况（责任单位）
#[utoipa::path(post, path = "/supervision/items/{id}/reports", tag = "supervision",
    params(("id" = i64, Path, description = "事项编号"), ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = ReportIn,
    responses((status = 200, description = "已报送", body = Acted),
              (status = 409, description = "事项已被他人更新（版本过期）或状态不允许")))]
async fn file_report(State(state): State<AppState>, w: Write<ReportIn>) -> ApiResult {
    post_action(&state, w, &ITEM, |r: ReportIn| {
        let action = match r.kind {
            ReportKind::Plan => "submit_plan",
            ReportKind::Monthly => "submit_report",
            ReportKind::Ledger => "submit_ledger",
            ReportKind::Contribution => "contribute",
        };
        let mut fields = serde_json::Map::new();
        put(&mut fields, "period", r.period);
        put(&mut fields, "progress", r.progress);
        put(&mut fields, "problems", r.problems);
        put(&mut fields, "next_steps", r.next_steps);
        put(&mut fields, "content", r.content);
        put(&mut fields, "goal", r.goal);
        put(&mut fields, "stages", r.stages);
        put(&mut fields, "deadline", r.deadline);
        put(&mut fields, "leader", r.leader);
        if let Some(p) = r.percent {
            fields.insert("percent".into(), p.into());
        }
        if !r.milestones.is_empty() {
            fields.insert("milestones".into(), r.milestones.into());
        }
        Ok(ActionInput {
            action: action.into(),
            version: r.version,
            note: r.note,
            fields,
            attachments: uploads(r.attachments)?,
        })
    })
    .await
}

/// The office's action on an item.
#[derive(Debug, Deserialize, ToSchema)]
struct ActionIn {
    /// accept, return, extend, assign, reassign, close (办结), reopen.
    action: String,
    /// The item version the client saw.
    version: i64,
    /// Comment, reason (required to return, extend, reassign, close, reopen).
    note: Option<String>,
    /// accept / return: the report reviewed.
    report_id: Option<i64>,
    /// extend: the clock's key (`plan`, `monthly:2020-05`, `ledger:2020-07`, `milestone:1`).
    clock: Option<String>,
    /// extend: the new due date, `YYYY-MM-DD`.
    due: Option<String>,
    /// assign / reassign: lead units (registry ids or names).
    #[serde(default)]
    lead_units: Vec<String>,
    /// assign / reassign: co-units.
    #[serde(default)]
    units: Vec<String>,
    /// assign / reassign: responsible leaders (unchanged when empty).
    #[serde(default)]
    leaders: Vec<String>,
}

/// 督查室的操作：审核通过、退回修改、延期、确定或调整责任单位、办结、重新办理
#[utoipa::path(post, path = "/supervision/items/{id}/actions", tag = "supervision",
    params(("id" = i64, Path, description = "事项编号"), ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = ActionIn,
    responses((status = 200, description = "已执行", body = Acted),
              (status = 409, description = "事项已被他人更新（版本过期）或状态不允许")))]
async fn take_action(State(state): State<AppState>, w: Write<ActionIn>) -> ApiResult {
    post_action(&state, w, &ITEM, |a: ActionIn| {
        let action = match a.action.as_str() {
            "close" => "complete".to_string(),
            other => other.to_string(),
        };
        let mut fields = serde_json::Map::new();
        if let Some(r) = a.report_id {
            fields.insert("report_id".into(), r.into());
        }
        put(&mut fields, "clock", a.clock);
        put(&mut fields, "due", a.due);
        if !a.lead_units.is_empty() {
            fields.insert("lead_units".into(), a.lead_units.into());
        }
        if !a.units.is_empty() {
            fields.insert("units".into(), a.units.into());
        }
        if !a.leaders.is_empty() {
            fields.insert("leaders".into(), a.leaders.join("、").into());
        }
        Ok(ActionInput {
            action,
            version: a.version,
            note: a.note,
            fields,
            attachments: vec![],
        })
    })
    .await
}

/// 督办总览：按状态、责任领导、牵头单位、篇章统计，需关注事项，待审核报告，月度按时报送
#[utoipa::path(get, path = "/supervision/dashboard", tag = "supervision", params(ItemsQuery),
    responses((status = 200, description = "总览", body = Dashboard)))]
async fn dashboard(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ItemsQuery>, QueryRejection>,
) -> ApiResult {
    let filter = input::query(q)?.filter()?;
    let d = blocking(&state, move |app| {
        app.supervision_dashboard(&auth.viewer, &filter)
    })
    .await?;
    Ok(json(d.as_ref()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LedgerQuery {
    /// Only this document's sheet (文号); all documents the viewer may see otherwise.
    doc: Option<String>,
}

/// 工作落实台账（Excel，每个文件一个工作表：序号、工作任务、责任领导、牵头单位、责任单位、时间节点、进展情况、存在问题、下一步打算、状态）
#[utoipa::path(get, path = "/supervision/ledger.xlsx", tag = "supervision", params(LedgerQuery),
    responses((status = 200, description = "台账文件",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn ledger(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<LedgerQuery>, QueryRejection>,
) -> ApiResult {
    let doc = input::query(q)?.doc.filter(|d| !d.trim().is_empty());
    let bytes = blocking(&state, move |app| {
        app.supervision_ledger(&auth.viewer, doc.as_deref())
    })
    .await?;
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                CONTENT_DISPOSITION,
                crate::pages::supervision::attachment_disposition("工作落实台账.xlsx"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A user's in-app notices.
#[derive(Debug, serde::Serialize, ToSchema)]
struct Notices {
    unread: i64,
    notices: Vec<luoshi_store::outbox::NoticeRow>,
}

/// 本人的站内通知（最近 200 条）
#[utoipa::path(get, path = "/notices", tag = "supervision",
    responses((status = 200, description = "通知", body = Notices)))]
async fn notices(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let (list, unread) = blocking(&state, move |app| app.notices(&auth.viewer, 200)).await?;
    Ok(json(Notices {
        unread,
        notices: list,
    }))
}
