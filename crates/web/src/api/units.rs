//! Units and leaders as JSON: the unit directory, a unit with its work, the 责任领导 and each
//! leader's portfolio.

use super::types::{LeaderCount, Task, UnitDetail, UnitEntry};
use super::{json, segment, ApiResult};
use crate::auth::Auth;
use crate::{blocking, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(tags((name = "units", description = "单位名录与责任领导")))]
struct UnitsApi;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(UnitsApi::openapi())
        .routes(routes!(units))
        .routes(routes!(unit))
        .routes(routes!(leaders))
        .routes(routes!(leader_tasks))
}

/// 单位名录
#[utoipa::path(get, path = "/units", tag = "units",
    responses((status = 200, description = "单位及其任务数", body = Vec<UnitEntry>)))]
async fn units(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let list = blocking(&state, move |app| app.units(&auth.viewer)).await?;
    Ok(json(
        list.into_iter().map(UnitEntry::from).collect::<Vec<_>>(),
    ))
}

/// 单位详情及其任务（仅本单位与督查室可见）
#[utoipa::path(get, path = "/units/{id}", tag = "units",
    params(("id" = String, Path, description = "单位编号")),
    responses((status = 200, description = "单位", body = UnitDetail)))]
async fn unit(
    State(state): State<AppState>,
    auth: Auth,
    uid: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let uid = segment(uid, "单位")?;
    let view = blocking(&state, move |app| app.unit(&auth.viewer, &uid)).await?;
    Ok(json(UnitDetail::from(view)))
}

/// 责任领导及其任务数（仅全市性机构可见）
#[utoipa::path(get, path = "/leaders", tag = "units",
    responses((status = 200, description = "责任领导", body = Vec<LeaderCount>)))]
async fn leaders(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let list = blocking(&state, move |app| app.leaders(&auth.viewer)).await?;
    Ok(json(
        list.into_iter()
            .map(|(name, tasks)| LeaderCount { name, tasks })
            .collect::<Vec<_>>(),
    ))
}

/// 责任领导的任务（无此责任领导时 404）
#[utoipa::path(get, path = "/leaders/{name}/tasks", tag = "units",
    params(("name" = String, Path, description = "责任领导姓名，如公文所写")),
    responses((status = 200, description = "任务", body = Vec<Task>)))]
async fn leader_tasks(
    State(state): State<AppState>,
    auth: Auth,
    name: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let name = segment(name, "责任领导")?;
    let tasks = crate::pages::units::portfolio(&state, auth.viewer, name).await?;
    Ok(json(tasks.into_iter().map(Task::from).collect::<Vec<_>>()))
}
