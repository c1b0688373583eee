//! Administration as JSON: accounts, the audit log with its chain check, importing an issue.

use super::types::{AuditEntry, User, Verification};
use super::write::csrf;
use super::{json, ApiResult};
use crate::auth::Auth;
use crate::import::{self, MAX_UPLOAD_BYTES};
use crate::{blocking, input, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use luoshi_app::import::ImportSummary;
use luoshi_app::Permission;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(tags((name = "admin", description = "账号、审计日志、公报导入")))]
struct AdminApi;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(AdminApi::openapi())
        .routes(routes!(users))
        .routes(routes!(audit))
        // The body is read by the handler, with its own limit, once the caller may import.
        .routes(routes!(import_issue))
}

/// 账号列表（仅管理员）
#[utoipa::path(get, path = "/users", tag = "admin",
    responses((status = 200, description = "账号", body = Vec<User>)))]
async fn users(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let list = blocking(&state, move |app| app.list_users(&auth.viewer)).await?;
    Ok(json(list.into_iter().map(User::from).collect::<Vec<_>>()))
}

/// How many audit entries `GET /api/v1/audit` returns, newest first.
const AUDIT_PAGE: i64 = 200;

/// The newest audit entries and the check of the whole chain.
#[derive(Serialize, ToSchema)]
struct AuditLog {
    verification: Verification,
    /// The newest 200 entries, newest first.
    entries: Vec<AuditEntry>,
}

/// 最近的审计记录及哈希链核验结果（仅管理员）
#[utoipa::path(get, path = "/audit", tag = "admin",
    responses((status = 200, description = "审计记录与核验结果", body = AuditLog)))]
async fn audit(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let (entries, verification) = blocking(&state, move |app| {
        Ok((
            app.audit_log(&auth.viewer, AUDIT_PAGE)?,
            app.verify_audit()?,
        ))
    })
    .await?;
    Ok(json(AuditLog {
        verification: verification.into(),
        entries: entries.into_iter().map(AuditEntry::from).collect(),
    }))
}

/// How much of a refused upload is read (and dropped) before the answer.
const REFUSED_BODY_READ: usize = 1 << 20;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    /// The file name recorded with the issue.
    #[serde(default)]
    name: Option<String>,
}

/// 导入公报：请求体为公报的 UTF-8 文本（不超过 64 MB）；需督查室或管理员登录，并在 X-CSRF-Token 头中提供会话的 CSRF 令牌
#[utoipa::path(post, path = "/imports", tag = "admin",
    params(ImportQuery, ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body(content = String, content_type = "text/plain", description = "公报全文（UTF-8）"),
    responses((status = 200, description = "导入摘要；同一文本再次导入时 already_imported 为 true", body = ImportSummary)))]
async fn import_issue(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: axum::body::Body,
) -> ApiResult {
    let q = input::query(q)?;
    let allowed = csrf(&auth, &headers).and_then(|()| auth.viewer.require(&Permission::Import));
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
    let text = import::utf8(&body, &name)?;
    let summary = import::run(&state, auth.viewer.clone(), name, text).await?;
    Ok(json(summary))
}
