//! The JSON API (`/api/v1`) and its OpenAPI document (`/api/openapi.json`), one module per
//! area like the pages. Each area declares its handlers with `#[utoipa::path]` and registers
//! them with `routes!`, so a route and its documentation are one declaration; the areas'
//! `OpenApi` structs are merged here. Sessions are the pages' cookie; writes carry the
//! session's CSRF token in `X-CSRF-Token`.

pub mod admin;
pub mod auth;
pub mod cases;
pub mod gazette;
pub mod health;
pub mod proposals;
pub mod rules;
pub mod supervision;
pub mod types;
pub mod units;
pub(crate) mod write;

use crate::error::ApiError;
use crate::{input, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use luoshi_domain::Error;
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, ResponseBuilder};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// What an API handler answers.
pub type ApiResult = Result<Response, ApiError>;

/// Where the API is mounted.
pub const PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "落实 Luoshi API",
        description = "政府公报工作落实跟踪系统的 JSON 接口。错误以稳定的错误代码和中文说明返回。\
                       会话与网页共用 Cookie；写操作须在 X-CSRF-Token 头中提供会话的 CSRF 令牌。"
    ),
    components(schemas(types::ErrorBody))
)]
struct LuoshiApi;

/// The API's routes (relative to [`PREFIX`]) and its OpenAPI document (with full paths).
pub fn routes() -> (Router<AppState>, Document) {
    let (router, mut doc) = OpenApiRouter::with_openapi(LuoshiApi::openapi())
        .merge(gazette::routes())
        .merge(units::routes())
        .merge(admin::routes())
        .merge(auth::routes())
        .merge(supervision::routes())
        .merge(rules::routes())
        .merge(proposals::routes())
        .merge(health::routes())
        .split_for_parts();
    doc.paths.paths = std::mem::take(&mut doc.paths.paths)
        .into_iter()
        .map(|(path, item)| (format!("{PREFIX}{path}"), item))
        .collect();
    add_error_responses(&mut doc);
    let router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    (router, doc)
}

/// Every operation may answer with an error body: a 4xx for bad input, missing login,
/// refused access, absent things, oversized bodies, throttling; a 500 for faults.
fn add_error_responses(doc: &mut Document) {
    let error = || {
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .build()
    };
    let client = ResponseBuilder::new()
        .description("请求有误：未登录（401）、无权（403）、不存在（404）、请求体过大（413）、输入有误（422）、过于频繁（429）")
        .content("application/json", error())
        .build();
    let server = ResponseBuilder::new()
        .description("服务器内部错误")
        .content("application/json", error())
        .build();
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in operations.into_iter().flatten() {
            let responses = &mut op.responses.responses;
            responses
                .entry("4XX".into())
                .or_insert_with(|| client.clone().into());
            responses
                .entry("5XX".into())
                .or_insert_with(|| server.clone().into());
        }
    }
}

/// A JSON answer.
pub fn json<T: serde::Serialize>(v: T) -> Response {
    Json(v).into_response()
}

/// The positive numeric id in a path segment; anything else is "not found".
pub fn id(raw: Result<Path<String>, PathRejection>, what: &str) -> Result<i64, ApiError> {
    Ok(crate::pages::path_id(raw, what)?)
}

/// A path segment naming something (a unit id, a leader's name).
pub fn segment(raw: Result<Path<String>, PathRejection>, what: &str) -> Result<String, ApiError> {
    Ok(input::segment(raw, what)?)
}

async fn not_found() -> ApiResult {
    Err(Error::not_found("接口").into())
}

pub(crate) async fn method_not_allowed() -> Response {
    let body = serde_json::json!({"error": {
        "code": "E_METHOD_NOT_ALLOWED",
        "message": "此接口不支持该请求方式",
    }});
    (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}
