//! Errors as responses: an HTML page in Chinese for pages, JSON with a stable code for the API.
//!
//! Error pages are shown in the layout of the viewer who asked (their name and 退出, not 登录):
//! the [`Auth`](crate::auth::Auth) extractor leaves the viewer in a [`ViewerSlot`] that the
//! [`error_pages`] middleware reads when a handler answered with an error.

use crate::pages::{error_body, layout};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use luoshi_app::Viewer;
use luoshi_domain::{Error, ErrorKind};
use maud::{html, Markup};
use std::sync::{Arc, OnceLock};

/// The stable code of a request body over its limit (HTTP 413).
pub const E_TOO_LARGE: &str = "E_TOO_LARGE";

/// A request body over `limit` bytes: a Chinese message naming the limit.
pub fn too_large(limit: usize) -> Error {
    let limit = if limit >= 1 << 20 {
        format!("{} MB", limit >> 20)
    } else {
        format!("{} KB", limit >> 10)
    };
    Error::bad_input(E_TOO_LARGE, format!("请求内容过大：不能超过 {limit}"))
}

/// The HTTP status of an error: by its kind, except a body over its limit (413).
pub fn status(e: &Error) -> StatusCode {
    if e.code == E_TOO_LARGE {
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    match e.kind {
        ErrorKind::BadInput => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Where the request's viewer is left for the error page (set once by the `Auth` extractor).
#[derive(Clone, Default)]
pub struct ViewerSlot(pub Arc<OnceLock<(Viewer, Option<String>)>>);

/// An error page's content, carried on the response until [`error_pages`] renders it for the
/// viewer.
#[derive(Debug, Clone)]
enum ErrorPage {
    /// "Log in first", linking back to the asking page.
    LoginRequired(String),
    Other {
        title: &'static str,
        message: String,
        code: &'static str,
    },
}

/// The "log in first" body; `next` is the page to return to after logging in.
fn login_required_body(message: &str, next: Option<&str>) -> Markup {
    let href = match next {
        Some(n) => format!("/login?next={}", layout::url(n)),
        None => "/login".to_string(),
    };
    html! {
        h1 { "请先登录" }
        p class="error" { (message) "（E_LOGIN_REQUIRED）" }
        p { a href=(href) { "登录" } }
    }
}

/// Where to go after logging in: a path on this site, never another site (`//host`, `\\`).
pub fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.len() <= 2000
        && !next.chars().any(char::is_control);
    if ok {
        next
    } else {
        "/"
    }
}

/// Middleware: an error page is rendered for the viewer who asked, and a "log in first" page
/// links back to the page that was asked for.
pub async fn error_pages(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let slot = ViewerSlot::default();
    request.extensions_mut().insert(slot.clone());
    let asked = (request.method() == axum::http::Method::GET)
        .then(|| {
            request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
        })
        .flatten();
    let response = next.run(request).await;
    let Some(error) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let status = response.status();
    let (viewer, csrf) = slot
        .0
        .get()
        .map_or((&Viewer::Public, None), |(v, c)| (v, c.as_deref()));
    let page = match &error {
        ErrorPage::LoginRequired(message) => {
            let next = asked.as_deref().map(safe_next);
            layout::page("请先登录", viewer, csrf, login_required_body(message, next))
        }
        ErrorPage::Other {
            title,
            message,
            code,
        } => layout::page(title, viewer, csrf, error_body(title, message, code)),
    };
    (status, page).into_response()
}

/// What the client is told of an error. An internal one is logged here in full (the log line
/// carries the request's id from its span) and answered with a generic message naming that id,
/// so the database's own words never reach the client; the code is kept. Others pass as they are.
pub fn for_client(e: Error) -> Error {
    if e.kind != ErrorKind::Internal {
        return e;
    }
    tracing::error!(code = e.code, error = %e.message, "internal error");
    let message = match crate::observe::current_request_id() {
        Some(id) => format!("服务器内部错误，详情已记入服务器日志。请把请求编号 {id} 告知管理员。"),
        None => "服务器内部错误，详情已记入服务器日志。".to_string(),
    };
    Error::new(ErrorKind::Internal, e.code, message)
}

/// An error rendered as an HTML page.
#[derive(Debug)]
pub struct WebError(pub Error);

impl From<Error> for WebError {
    fn from(e: Error) -> Self {
        WebError(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let e = for_client(self.0);
        let code = status(&e);
        let page = if e.kind == ErrorKind::Unauthenticated && e.code == "E_LOGIN_REQUIRED" {
            ErrorPage::LoginRequired(e.message)
        } else {
            let title = match code {
                StatusCode::NOT_FOUND => "404 页面不存在",
                StatusCode::FORBIDDEN => "403 无权访问",
                StatusCode::PAYLOAD_TOO_LARGE => "413 请求内容过大",
                StatusCode::UNPROCESSABLE_ENTITY => "输入有误",
                StatusCode::INTERNAL_SERVER_ERROR => "500 服务器内部错误",
                _ => "出错了",
            };
            ErrorPage::Other {
                title,
                message: e.message,
                code: e.code,
            }
        };
        // The body is rendered by `error_pages`, which knows the viewer and the request.
        let mut response = code.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// An error rendered as JSON: `{"error": {"code": …, "message": …}}`.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = for_client(self.0);
        let mut detail = serde_json::json!({"code": e.code, "message": e.message});
        if let Some(id) = crate::observe::current_request_id() {
            detail["request_id"] = id.into();
        }
        (
            status(&e),
            axum::Json(serde_json::json!({ "error": detail })),
        )
            .into_response()
    }
}
