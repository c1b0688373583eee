//! The published gazette as JSON: issues, documents with everything read from them, tasks,
//! full-text search.

use super::types::{Document, DocumentDetail, Issue, SearchHit, Task};
use super::{id, json, ApiResult};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(tags((name = "gazette", description = "政府公报：公报、公文、任务、全文检索")))]
struct GazetteApi;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(GazetteApi::openapi())
        .routes(routes!(issues))
        .routes(routes!(documents))
        .routes(routes!(document))
        .routes(routes!(task))
        .routes(routes!(search))
}

/// 已导入的公报
#[utoipa::path(get, path = "/issues", tag = "gazette",
    responses((status = 200, description = "公报列表", body = Vec<Issue>)))]
async fn issues(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let list = blocking(&state, move |app| app.issues(&auth.viewer)).await?;
    Ok(json(list.into_iter().map(Issue::from).collect::<Vec<_>>()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DocumentsQuery {
    /// Only the documents of this issue.
    issue: Option<i64>,
}

/// 公文列表
#[utoipa::path(get, path = "/documents", tag = "gazette", params(DocumentsQuery),
    responses((status = 200, description = "公文列表", body = Vec<Document>)))]
async fn documents(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<DocumentsQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    let list = blocking(&state, move |app| app.documents(&auth.viewer, q.issue)).await?;
    Ok(json(
        list.into_iter().map(Document::from).collect::<Vec<_>>(),
    ))
}

/// 公文详情：条款、任务（按权限过滤）、指标、目标、名单
#[utoipa::path(get, path = "/documents/{id}", tag = "gazette",
    params(("id" = i64, Path, description = "公文编号")),
    responses((status = 200, description = "公文详情", body = DocumentDetail)))]
async fn document(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = id(raw, "公文")?;
    let view = blocking(&state, move |app| app.document(&auth.viewer, id)).await?;
    Ok(json(DocumentDetail::try_from(view)?))
}

/// 任务详情及其责任领导、牵头单位、责任单位
#[utoipa::path(get, path = "/tasks/{id}", tag = "gazette",
    params(("id" = i64, Path, description = "任务编号")),
    responses((status = 200, description = "任务", body = Task)))]
async fn task(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = id(raw, "任务")?;
    let task = blocking(&state, move |app| app.task(&auth.viewer, id)).await?;
    Ok(json(Task::from(task)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// 检索词（不超过 200 字）：中文按字与双字索引，所有双字都须出现。
    #[serde(default)]
    #[param(max_length = 200)]
    q: String,
}

/// 全文检索（中文按字与双字索引）
#[utoipa::path(get, path = "/search", tag = "gazette", params(SearchQuery),
    responses((status = 200, description = "命中的条款，最多 50 条", body = Vec<SearchHit>)))]
async fn search(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    let hits = blocking(&state, move |app| app.search(&auth.viewer, q.q.trim())).await?;
    Ok(json(
        hits.into_iter().map(SearchHit::from).collect::<Vec<_>>(),
    ))
}
