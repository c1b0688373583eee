//! Errors as responses: an HTML page in Chinese for pages, JSON with a stable code for the API.

use crate::html;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use luoshi_domain::{Error, ErrorKind};

/// Map an error kind to its HTTP status.
pub fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadInput => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Marks a response as "log in first", with the message shown.
#[derive(Debug, Clone)]
pub struct LoginRequired(pub String);

/// The "log in first" page; `next` is the page to return to after logging in.
pub fn login_required_page(message: &str, next: Option<&str>) -> axum::response::Html<String> {
    let href = match next {
        Some(n) => format!("/login?next={}", html::url(n)),
        None => "/login".to_string(),
    };
    html::page(
        "请先登录",
        None,
        &format!(
            "<h1>请先登录</h1><p class=\"error\">{}（E_LOGIN_REQUIRED）</p><p><a href=\"{}\">登录</a></p>",
            html::esc(message),
            html::esc(&href)
        ),
    )
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

/// Middleware: a "log in first" answer to a page request links back to that page.
pub async fn remember_page(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let asked = (request.method() == axum::http::Method::GET)
        .then(|| {
            request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
        })
        .flatten();
    let response = next.run(request).await;
    match (response.extensions().get::<LoginRequired>(), asked) {
        (Some(LoginRequired(message)), Some(path)) => (
            StatusCode::UNAUTHORIZED,
            login_required_page(message, Some(safe_next(&path))),
        )
            .into_response(),
        _ => response,
    }
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
        let e = self.0;
        let code = status(e.kind);
        if e.kind == ErrorKind::Unauthenticated && e.code == "E_LOGIN_REQUIRED" {
            let mut response = (code, login_required_page(&e.message, None)).into_response();
            // The page is rendered again with a way back to the asking page by
            // `remember_page`, which knows the request.
            response.extensions_mut().insert(LoginRequired(e.message));
            return response;
        }
        let title = match code {
            StatusCode::NOT_FOUND => "404 页面不存在",
            StatusCode::FORBIDDEN => "403 无权访问",
            StatusCode::UNPROCESSABLE_ENTITY => "输入有误",
            StatusCode::INTERNAL_SERVER_ERROR => "500 服务器内部错误",
            _ => "出错了",
        };
        let body = html::page(
            title,
            None,
            &format!(
                "<h1>{}</h1><p class=\"error\">{}</p><p>错误代码：<code>{}</code></p><p><a href=\"/\">返回首页</a></p>",
                title,
                html::esc(&e.message),
                e.code
            ),
        );
        (code, body).into_response()
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
        let body = serde_json::json!({"error": {"code": self.0.code, "message": self.0.message}});
        (status(self.0.kind), axum::Json(body)).into_response()
    }
}
