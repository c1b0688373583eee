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
            let body = html::page(
                "请先登录",
                None,
                &format!(
                    "<h1>请先登录</h1><p class=\"error\">{}（{}）</p><p><a href=\"/login\">登录</a></p>",
                    html::esc(&e.message),
                    e.code
                ),
            );
            return (code, body).into_response();
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
