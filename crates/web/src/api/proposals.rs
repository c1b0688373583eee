//! Proposal handling as JSON (建议提案接口, 郑政办〔2020〕27号): items with filters, one item
//! with every round and its history, registration one by one or from an `.xlsx` list, the
//! actions of the procedure table, the five standards of 第十六条 with the items behind each
//! figure, reports (第八条 bulletin, 第十二条 summaries), and the public list of disclosed
//! replies (no login). Writes carry the session's CSRF token in `X-CSRF-Token` and the item
//! version the client saw (a stale version answers 409 and changes nothing).

use super::cases::{post_action, CaseKind};
use super::supervision::{uploads, AttachmentIn};
use super::write::{csrf, Write};
use super::{id, json, segment, ApiResult};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use luoshi_app::cases::{Acted, ActionInput};
use luoshi_app::proposals::disclosure::{PublicReply, PublicUnit};
use luoshi_app::proposals::register::{NewProposal, Registered};
use luoshi_app::proposals::reports::{AnnualReport, Bulletin, UnitSummary};
use luoshi_app::proposals::standards::{Side, StandardsView};
use luoshi_app::proposals::views::{Detail, Filter, Inbox, Summary};
use luoshi_app::proposals::xlsx::ImportOutcome;
use luoshi_app::App;
use luoshi_domain::Error;
use luoshi_store::proposals::PublicFilter;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The spreadsheet media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(OpenApi)]
#[openapi(tags((name = "proposals", description = "建议提案办理（郑政办〔2020〕27号）：登记、交办、退转、会签、答复、审核、反馈、重办、公开、五项标准")))]
struct ProposalsApi;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ProposalsApi::openapi())
        .routes(routes!(list, register))
        .routes(routes!(import))
        .routes(routes!(inbox))
        .routes(routes!(standards))
        .routes(routes!(standards_items))
        .routes(routes!(standards_xlsx))
        .routes(routes!(bulletin))
        .routes(routes!(annual))
        .routes(routes!(unit_summary))
        .routes(routes!(item))
        .routes(routes!(take_action))
        .routes(routes!(public_replies))
        .routes(routes!(public_reply))
        .routes(routes!(public_units))
}

/// A number in a query string; a blank field (an empty filter box) is absent.
pub(crate) fn blank_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    match Option::<String>::deserialize(d)? {
        Some(s) if !s.trim().is_empty() => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("“{s}”不是有效的数字: {e}"))),
        _ => Ok(None),
    }
}

fn some(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 年度.
    #[serde(default, deserialize_with = "blank_as_none")]
    pub year: Option<i64>,
    /// A unit's registry id (its own unit for unit staff).
    pub unit: Option<String>,
    /// A case state (registered, assigned, reply_review, replied, closed, …).
    pub status: Option<String>,
    /// 建议, 提案, 建议案 (or suggestion / proposal / motion).
    pub kind: Option<String>,
    /// 来源: 全国, 省, 市人大, 市政协.
    pub source: Option<String>,
    /// session (会议期间) or recess (闭会期间).
    pub session: Option<String>,
    /// Only items whose reply is overdue now (`true`).
    pub overdue: Option<String>,
    /// Only key items (`true`) or only others (`false`).
    pub key_item: Option<String>,
    /// Words in the subject.
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "blank_as_none")]
    pub limit: Option<i64>,
    #[serde(default, deserialize_with = "blank_as_none")]
    pub offset: Option<i64>,
}

fn yes(v: &Option<String>) -> Option<bool> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| matches!(s, "true" | "1" | "是" | "on" | "yes"))
}

impl ListQuery {
    pub fn filter(self) -> Filter {
        Filter {
            year: self.year,
            overdue: yes(&self.overdue).unwrap_or(false),
            key_item: yes(&self.key_item),
            unit: some(self.unit),
            status: some(self.status),
            kind: some(self.kind),
            source: some(self.source),
            session: some(self.session),
            subject: some(self.subject),
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// 建议提案列表（按权限：建议提案处看全部，承办单位看本单位承办的，领导看本人分管的，代表委员看本人的）
#[utoipa::path(get, path = "/proposals", tag = "proposals", params(ListQuery),
    responses((status = 200, description = "建议提案", body = Vec<Summary>)))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult {
    let filter = input::query(q)?.filter();
    let items = blocking(&state, move |app| app.proposal_list(&auth.viewer, &filter)).await?;
    Ok(json(items))
}

/// 登记一件建议提案（建议提案处）；返回编号与可能重复的已登记件
#[utoipa::path(post, path = "/proposals", tag = "proposals",
    params(("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = NewProposal,
    responses((status = 200, description = "已登记", body = Registered)))]
async fn register(State(state): State<AppState>, w: Write<NewProposal>) -> ApiResult {
    let (auth, entry) = w.open_body()?;
    let done = blocking(&state, move |app| {
        app.proposal_register(&auth.viewer, &entry)
    })
    .await?;
    Ok(json(done))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    /// `true`: only check the list and show possible duplicates, register nothing.
    dry_run: Option<String>,
}

/// 批量登记：上传 .xlsx 登记表（请求体为文件本身），全部无误才登记，否则一件不登记并列出各行问题
#[utoipa::path(post, path = "/proposals/import", tag = "proposals", params(ImportQuery,
        ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, description = "登记结果", body = ImportOutcome)))]
async fn import(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: Bytes,
) -> ApiResult {
    csrf(&auth, &headers)?;
    let dry_run = yes(&input::query(q)?.dry_run).unwrap_or(false);
    let out = blocking(&state, move |app| {
        app.proposal_import(&auth.viewer, &body, dry_run)
    })
    .await?;
    Ok(json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct InboxQuery {
    /// The unit (the office may read any unit's inbox; staff read their own).
    unit: Option<String>,
}

/// 承办单位待办：本单位在办件按答复期限排列，每个期限附计算说明
#[utoipa::path(get, path = "/proposals/inbox", tag = "proposals", params(InboxQuery),
    responses((status = 200, description = "待办", body = Inbox)))]
async fn inbox(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<InboxQuery>, QueryRejection>,
) -> ApiResult {
    let unit = some(input::query(q)?.unit);
    let inbox = blocking(&state, move |app| {
        app.proposal_inbox(&auth.viewer, unit.as_deref())
    })
    .await?;
    Ok(json(inbox))
}

/// 一件建议提案：每一轮办理、答复、会签、沟通、说明、反馈、公开与全部办理记录，以及当前可执行的操作
#[utoipa::path(get, path = "/proposals/{id}", tag = "proposals",
    params(("id" = i64, Path, description = "建议提案编号")),
    responses((status = 200, description = "建议提案", body = Detail)))]
async fn item(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = id(raw, "建议提案")?;
    let d = blocking(&state, move |app| app.proposal_detail(&auth.viewer, id)).await?;
    Ok(json(d))
}

/// An action on an item.
#[derive(Debug, Deserialize, ToSchema)]
struct ActionIn {
    /// assign, request-return, approve-return, refuse-return, route-instruction, instruct,
    /// amend, cosign, record-meeting, explain-delay, reply, send-back, approve, feedback,
    /// compile-formal, redo, close, publish, withhold.
    action: String,
    /// The item version the client saw.
    version: i64,
    /// Reason or comment (required to request a return, refuse one, send back, withhold…).
    note: Option<String>,
    /// The action's fields, e.g. assign: `lead_unit`, `co_units`, `leader`, `received_date`;
    /// reply: `class` (A–D), `outcome`, `text`, `summary`, `signer`, `contact_person`,
    /// `contact_phone`, `letter_no`; record-meeting: `met_date`, `form`, `summary`;
    /// explain-delay: `expected_date`, `difficulties`, `measures`; feedback: `rating`
    /// (满意 / 基本满意 / 不满意), `comment`; redo: `due`; publish: `mode` (全文 / 摘要),
    /// `redact`; withhold: `secret`.
    #[serde(default)]
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    fields: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    attachments: Vec<AttachmentIn>,
}

/// 对建议提案执行操作（交办、申请退回、审批退回、会签、见面沟通、延期说明、答复、审核、反馈、重办、公开、不予公开……）
#[utoipa::path(post, path = "/proposals/{id}/actions", tag = "proposals",
    params(("id" = i64, Path, description = "建议提案编号"), ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = ActionIn,
    responses((status = 200, description = "已执行", body = Acted),
              (status = 409, description = "已被他人处理（版本过期）或当前状态不允许")))]
async fn take_action(State(state): State<AppState>, w: Write<ActionIn>) -> ApiResult {
    post_action(&state, w, &PROPOSAL, |a: ActionIn| {
        Ok(ActionInput {
            action: a.action,
            version: a.version,
            note: a.note,
            fields: a.fields,
            attachments: uploads(a.attachments)?,
        })
    })
    .await
}

/// Proposal items, acted on through the proposal procedure.
const PROPOSAL: CaseKind = CaseKind {
    what: "建议提案",
    act: App::proposal_act,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct StandardsQuery {
    /// 年度 (default: the business year).
    year: Option<i64>,
    /// One unit only (unit staff read their own).
    unit: Option<String>,
}

/// 五项标准（第十六条）：按时答复率、见面沟通率、重点件满意率、总体满意率、解决率，按单位与总体，每项附计入的件
#[utoipa::path(get, path = "/proposals/standards", tag = "proposals", params(StandardsQuery),
    responses((status = 200, description = "五项标准", body = StandardsView)))]
async fn standards(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<StandardsQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    let unit = some(q.unit);
    let view = blocking(&state, move |app| {
        app.proposal_standards(&auth.viewer, q.year, unit.as_deref())
    })
    .await?;
    Ok(json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct StandardsItemsQuery {
    year: Option<i64>,
    /// The unit (overall when absent).
    unit: Option<String>,
    /// The figure's item name as the standards list it.
    figure: String,
    /// counted (计入), short (拉低指标) or pending (尚不能判断).
    side: Option<String>,
}

/// 五项标准下钻：某单位某项指标计入、拉低或尚不能判断的件
#[utoipa::path(get, path = "/proposals/standards/items", tag = "proposals", params(StandardsItemsQuery),
    responses((status = 200, description = "指标背后的件", body = Vec<Summary>)))]
async fn standards_items(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<StandardsItemsQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    let side_raw = some(q.side).unwrap_or_else(|| "short".into());
    let side = Side::parse(&side_raw).ok_or_else(|| {
        Error::bad_input(
            "E_INPUT",
            format!("side“{side_raw}”无效，应为 counted、short 或 pending"),
        )
    })?;
    let unit = some(q.unit);
    let list = blocking(&state, move |app| {
        app.proposal_standards_items(&auth.viewer, q.year, unit.as_deref(), &q.figure, side)
    })
    .await?;
    Ok(json(list))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct YearQuery {
    year: Option<i64>,
}

/// A downloadable `.xlsx`.
pub fn xlsx_file(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    (
        [
            (CONTENT_TYPE, XLSX.to_string()),
            (
                CONTENT_DISPOSITION,
                crate::pages::supervision::attachment_disposition(name),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// 五项标准导出（Excel：各单位五项指标，及拉低指标的件）
#[utoipa::path(get, path = "/proposals/standards.xlsx", tag = "proposals", params(YearQuery),
    responses((status = 200, description = "五项标准表", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn standards_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult {
    let year = input::query(q)?.year;
    let bytes = blocking(&state, move |app| {
        app.proposal_standards_xlsx(&auth.viewer, year)
    })
    .await?;
    Ok(xlsx_file("建议提案五项标准.xlsx", bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct BulletinQuery {
    /// 年度 (default: the business year).
    year: Option<i64>,
    /// 1–4 (default: the business date's quarter).
    quarter: Option<u32>,
}

/// The year asked, or the business date's.
pub fn year_or_today(app: &luoshi_app::App, year: Option<i64>) -> i64 {
    year.unwrap_or_else(|| date_part(app, 0..4))
}

/// A numeric part of the business date (`YYYY-MM-DD`).
pub(crate) fn date_part(app: &luoshi_app::App, range: std::ops::Range<usize>) -> i64 {
    app.today().to_string()[range].parse().unwrap_or(1)
}

/// 季度办理进度通报（第八条）：各单位进度、存在问题
#[utoipa::path(get, path = "/proposals/bulletin", tag = "proposals", params(BulletinQuery),
    responses((status = 200, description = "通报", body = Bulletin)))]
async fn bulletin(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<BulletinQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    let b = blocking(&state, move |app| {
        let quarter = q
            .quarter
            .unwrap_or_else(|| ((date_part(app, 5..7) - 1) / 3 + 1) as u32);
        app.proposal_bulletin(&auth.viewer, year_or_today(app, q.year), quarter)
    })
    .await?;
    Ok(json(b))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RequiredYear {
    /// 年度 (default: the business year).
    year: Option<i64>,
}

/// 年度办理情况报告（第十二条）：市政府向市人大常委会、市政协报告的总数、分类、满意度与五项标准
#[utoipa::path(get, path = "/proposals/annual", tag = "proposals", params(RequiredYear),
    responses((status = 200, description = "年度报告", body = AnnualReport)))]
async fn annual(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<RequiredYear>, QueryRejection>,
) -> ApiResult {
    let year = input::query(q)?.year;
    let r = blocking(&state, move |app| {
        app.proposal_annual_report(&auth.viewer, year_or_today(app, year))
    })
    .await?;
    Ok(json(r))
}

/// 承办单位年度办理工作总结（第十二条）
#[utoipa::path(get, path = "/proposals/units/{id}/summary", tag = "proposals",
    params(("id" = String, Path, description = "承办单位编号"), RequiredYear),
    responses((status = 200, description = "单位总结", body = UnitSummary)))]
async fn unit_summary(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    q: Result<Query<RequiredYear>, QueryRejection>,
) -> ApiResult {
    let unit = segment(raw, "承办单位")?;
    let year = input::query(q)?.year;
    let s = blocking(&state, move |app| {
        app.proposal_unit_summary(&auth.viewer, year_or_today(app, year), &unit)
    })
    .await?;
    Ok(json(s))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicQuery {
    #[serde(default, deserialize_with = "blank_as_none")]
    pub year: Option<i64>,
    /// A unit's registry id.
    pub unit: Option<String>,
    /// Words in the subject.
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "blank_as_none")]
    pub limit: Option<i64>,
    #[serde(default, deserialize_with = "blank_as_none")]
    pub offset: Option<i64>,
}

impl PublicQuery {
    pub fn filter(self) -> PublicFilter {
        PublicFilter {
            year: self.year,
            unit_id: some(self.unit),
            subject: some(self.subject),
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// 已公开的建议提案答复（公开，无需登录）：不含代表委员姓名、联系方式和抄送
#[utoipa::path(get, path = "/public/replies", tag = "proposals", params(PublicQuery),
    responses((status = 200, description = "已公开的答复", body = Vec<PublicReply>)))]
async fn public_replies(
    State(state): State<AppState>,
    q: Result<Query<PublicQuery>, QueryRejection>,
) -> ApiResult {
    let filter = input::query(q)?.filter();
    let list = blocking(&state, move |app| app.public_replies(&filter)).await?;
    Ok(json(list))
}

/// 一件已公开的答复（公开）
#[utoipa::path(get, path = "/public/replies/{id}", tag = "proposals",
    params(("id" = i64, Path, description = "建议提案编号")),
    responses((status = 200, description = "已公开的答复", body = PublicReply)))]
async fn public_reply(
    State(state): State<AppState>,
    raw: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = id(raw, "已公开的答复")?;
    let r = blocking(&state, move |app| app.public_reply(id)).await?;
    Ok(json(r))
}

/// 已公开答复的承办单位及件数（公开）
#[utoipa::path(get, path = "/public/reply-units", tag = "proposals", params(YearQuery),
    responses((status = 200, description = "承办单位", body = Vec<PublicUnit>)))]
async fn public_units(
    State(state): State<AppState>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult {
    let year = input::query(q)?.year;
    let list = blocking(&state, move |app| app.public_reply_units(year)).await?;
    Ok(json(list))
}
