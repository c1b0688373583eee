//! The JSON API (`/api/v1`): the same services as the pages, as JSON. Sessions are the same
//! cookie; `POST /api/v1/session` logs in with JSON.

use crate::auth::{set_cookie, Auth, SESSION_COOKIE};
use crate::error::ApiError;
use crate::import::MAX_UPLOAD_BYTES;
use crate::{blocking, input, AppState};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use luoshi_domain::Error;
use serde::Deserialize;

type ApiResult = Result<Response, ApiError>;

fn json<T: serde::Serialize>(v: T) -> Response {
    Json(v).into_response()
}

fn id(raw: Result<Path<String>, PathRejection>, what: &str) -> Result<i64, ApiError> {
    let raw = input::segment(raw, what)?;
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::not_found(format!("{what}（编号 {raw}）")).into())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).get(whoami))
        .route("/issues", get(issues))
        .route("/documents", get(documents))
        .route("/documents/{id}", get(document))
        .route("/tasks/{id}", get(task))
        .route("/units", get(units))
        .route("/units/{id}", get(unit))
        .route("/leaders", get(leaders))
        .route("/leaders/{name}/tasks", get(leader_tasks))
        .route("/search", get(search))
        .route("/users", get(users))
        .route("/audit", get(audit))
        .route(
            "/imports",
            post(import).layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found() -> ApiResult {
    Err(Error::not_found("接口").into())
}

async fn method_not_allowed() -> Response {
    let body = serde_json::json!({"error": {
        "code": "E_METHOD_NOT_ALLOWED",
        "message": "此接口不支持该请求方式",
    }});
    (axum::http::StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    body: Result<Json<Credentials>, JsonRejection>,
) -> ApiResult {
    let c = input::json(body)?;
    let (token, session) =
        blocking(&state, move |app| app.login(c.username.trim(), &c.password)).await?;
    let mut resp =
        json(serde_json::json!({"user": session.user, "csrf_token": session.csrf_token}));
    let (k, v) = set_cookie(
        SESSION_COOKIE,
        &token,
        luoshi_app::accounts::SESSION_HOURS * 3600,
    );
    resp.headers_mut().append(k, v);
    Ok(resp)
}

async fn whoami(auth: Auth) -> ApiResult {
    match auth.viewer.user() {
        Some(u) => Ok(json(serde_json::json!({"user": u}))),
        None => Err(Error::unauthenticated().into()),
    }
}

async fn issues(State(state): State<AppState>, auth: Auth) -> ApiResult {
    Ok(json(
        blocking(&state, move |app| app.issues(&auth.viewer)).await?,
    ))
}

#[derive(Deserialize)]
struct DocumentsQuery {
    issue: Option<i64>,
}

async fn documents(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<DocumentsQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    Ok(json(
        blocking(&state, move |app| app.documents(&auth.viewer, q.issue)).await?,
    ))
}

async fn document(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = id(raw, "公文")?;
    Ok(json(
        blocking(&state, move |app| app.document(&auth.viewer, id)).await?,
    ))
}

async fn task(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = id(raw, "任务")?;
    Ok(json(
        blocking(&state, move |app| app.task(&auth.viewer, id)).await?,
    ))
}

async fn units(State(state): State<AppState>, auth: Auth) -> ApiResult {
    Ok(json(
        blocking(&state, move |app| app.units(&auth.viewer)).await?,
    ))
}

async fn unit(
    State(state): State<AppState>,
    auth: Auth,
    uid: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let uid = input::segment(uid, "单位")?;
    Ok(json(
        blocking(&state, move |app| app.unit(&auth.viewer, &uid)).await?,
    ))
}

async fn leader_tasks(
    State(state): State<AppState>,
    auth: Auth,
    name: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let name = input::segment(name, "责任领导")?;
    Ok(json(
        blocking(&state, move |app| app.leader_portfolio(&auth.viewer, &name)).await?,
    ))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn search(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    Ok(json(
        blocking(&state, move |app| app.search(&auth.viewer, q.q.trim())).await?,
    ))
}

async fn leaders(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let list = blocking(&state, move |app| app.leaders(&auth.viewer)).await?;
    Ok(json(
        list.into_iter()
            .map(|(name, tasks)| serde_json::json!({"name": name, "tasks": tasks}))
            .collect::<Vec<_>>(),
    ))
}

async fn users(State(state): State<AppState>, auth: Auth) -> ApiResult {
    Ok(json(
        blocking(&state, move |app| app.list_users(&auth.viewer)).await?,
    ))
}

/// How many audit entries `GET /api/v1/audit` returns, newest first.
const AUDIT_PAGE: i64 = 200;

async fn audit(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let (entries, verification) = blocking(&state, move |app| {
        Ok((
            app.audit_log(&auth.viewer, AUDIT_PAGE)?,
            app.verify_audit()?,
        ))
    })
    .await?;
    Ok(json(
        serde_json::json!({"verification": verification, "entries": entries}),
    ))
}

/// How much of a refused upload is read (and dropped) before the answer.
const REFUSED_BODY_READ: usize = 1 << 20;

#[derive(Deserialize)]
struct ImportQuery {
    #[serde(default)]
    name: Option<String>,
}

/// `POST /api/v1/imports?name=FILE`: the issue's UTF-8 text as the body; the session's CSRF
/// token in the `X-CSRF-Token` header.
async fn import(
    State(state): State<AppState>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: axum::body::Body,
) -> ApiResult {
    let q = input::query(q)?;
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let allowed = auth
        .check_csrf(token)
        .and_then(|()| auth.viewer.require(&luoshi_app::Permission::Import));
    if let Err(e) = allowed {
        // Read no more than a small body before refusing, so a client that sends before it
        // reads sees the answer instead of a reset connection; a large one is cut off.
        let _ = axum::body::to_bytes(body, REFUSED_BODY_READ).await;
        return Err(e.into());
    }
    // Read the body only once the caller may import.
    let body = axum::body::to_bytes(body, MAX_UPLOAD_BYTES)
        .await
        .map_err(|_| crate::error::too_large(MAX_UPLOAD_BYTES))?;
    let name = q
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "api-upload.txt".into());
    let text = crate::import::utf8(&body, &name)?;
    let summary = crate::import::run(&state, auth.viewer.clone(), name, text).await?;
    Ok(json(summary))
}
