//! Request input (请求输入): axum's extractor rejections turned into Chinese errors with stable
//! codes, so malformed input is answered like every other bad input (4xx, a message, a code).

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Form, Json, Path, Query};
use axum::http::StatusCode;
use luoshi_domain::Error;

/// The longest path parameter worth looking up; no id or name comes near it.
const MAX_SEGMENT_CHARS: usize = 200;

/// A path parameter; one that cannot be decoded (bad percent-encoding), holds control
/// characters (`%00`, which PostgreSQL refuses in text) or is absurdly long names nothing, so
/// it is "not found".
pub fn segment(raw: Result<Path<String>, PathRejection>, what: &str) -> Result<String, Error> {
    raw.ok()
        .map(|Path(s)| s)
        .filter(|s| s.chars().count() <= MAX_SEGMENT_CHARS && !s.chars().any(char::is_control))
        .ok_or_else(|| Error::not_found(format!("{what}（路径无法解析）")))
}

/// A query string that does not fit the expected parameters.
pub fn query<T>(raw: Result<Query<T>, QueryRejection>) -> Result<T, Error> {
    raw.map(|Query(q)| q)
        .map_err(|e| Error::bad_input("E_QUERY", format!("查询参数有误: {}", e.body_text())))
}

/// The largest form or JSON body accepted (uploads have their own limit).
pub const MAX_BODY_BYTES: usize = 2 << 20;

/// A form body that is not `application/x-www-form-urlencoded`, does not parse, or is over
/// [`MAX_BODY_BYTES`] (413).
pub fn form<T>(raw: Result<Form<T>, FormRejection>) -> Result<T, Error> {
    raw.map(|Form(f)| f).map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => crate::error::too_large(MAX_BODY_BYTES),
        _ => Error::bad_input("E_FORM", format!("表单内容有误: {}", e.body_text())),
    })
}

/// A JSON body that does not parse or is over [`MAX_BODY_BYTES`] (413).
pub fn json<T>(raw: Result<Json<T>, JsonRejection>) -> Result<T, Error> {
    raw.map(|Json(v)| v).map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => crate::error::too_large(MAX_BODY_BYTES),
        _ => Error::bad_input("E_JSON", format!("请求体不是有效的 JSON: {e}")),
    })
}
