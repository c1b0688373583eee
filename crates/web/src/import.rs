//! Importing a gazette issue from the browser (`/admin/import`, a file upload that works
//! without JavaScript) and from the API (`POST /api/v1/imports`, the text as the body).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::html::{esc, page};
use crate::{blocking, AppState, WebError};
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use luoshi_app::import::ImportSummary;
use luoshi_app::{Permission, Viewer};
use luoshi_domain::Error;
use serde::Deserialize;

/// The largest gazette file accepted (a year of issues is well below this).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

fn utf8(bytes: &[u8], name: &str) -> Result<String, Error> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        Error::bad_input(
            "E_UTF8",
            format!(
                "{name} 不是有效的 UTF-8 文本（第 {} 字节处出错）",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

async fn run_import(
    state: &AppState,
    viewer: Viewer,
    name: String,
    text: String,
) -> Result<ImportSummary, Error> {
    blocking(state, move |app| {
        app.import_issue(&viewer, &name, &text, &app.registry, &mut |_, _| {})
    })
    .await
}

fn summary_html(s: &ImportSummary) -> String {
    if s.already_imported {
        return "<p>此公报已导入过，未做任何更改。</p>".into();
    }
    let mut out = format!(
        "<table><tbody><tr><th>公文</th><td>{}</td></tr><tr><th>条款</th><td>{}</td></tr>\
         <tr><th>任务</th><td>{}</td></tr><tr><th>行动</th><td>{}</td></tr><tr><th>指标</th><td>{}</td></tr>\
         <tr><th>目标</th><td>{}</td></tr><tr><th>名单</th><td>{}</td></tr><tr><th>表彰</th><td>{}</td></tr>\
         <tr><th>未识别</th><td>{}</td></tr></tbody></table>",
        s.documents, s.clauses, s.tasks, s.actions, s.indicators, s.targets, s.rosters, s.commendations, s.unresolved
    );
    if !s.skipped.is_empty() {
        out.push_str(&format!(
            "<p>已存在而跳过的公文：{}</p>",
            esc(&s.skipped.join("、"))
        ));
    }
    if let Some(id) = s.issue_id {
        out.push_str(&format!(
            "<p><a href=\"/issues/{id}\">查看导入的公报</a></p>"
        ));
    }
    out
}

fn form(csrf: &str) -> String {
    format!(
        "<h1>导入公报</h1><p>上传政府公报的文本文件（UTF-8）。同一期公报重复导入不会产生任何变化；已导入的公文按文号跳过；导入失败时数据库保持原样。</p>\
         <form method=\"post\" action=\"/admin/import\" enctype=\"multipart/form-data\" class=\"stack\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <label>公报文件 <input type=\"file\" name=\"file\" accept=\".txt,text/plain\" required></label>\
         <button type=\"submit\">导入</button></form>",
        esc(csrf)
    )
}

pub async fn import_form(auth: Auth) -> Result<Response, WebError> {
    auth.viewer.require(&Permission::Import)?;
    Ok(page(
        "导入公报",
        Some((&auth.viewer, auth.csrf.as_deref())),
        &form(auth.csrf.as_deref().unwrap_or("")),
    )
    .into_response())
}

pub async fn import_upload(
    State(state): State<AppState>,
    auth: Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    // Who is asking is known before the body is read: refuse the public and other roles
    // without reading (up to 64 MB of) their upload.
    auth.viewer.require(&Permission::Import)?;
    let mut multipart = multipart.map_err(|e| {
        Error::bad_input(
            "E_UPLOAD",
            format!("上传须为 multipart/form-data 表单: {}", e.body_text()),
        )
    })?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        Error::bad_input("E_UPLOAD", format!("上传内容有误: {e}"))
    };
    let (mut csrf, mut file) = (String::new(), None::<(String, Bytes)>);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.txt").to_string();
                file = Some((name, field.bytes().await.map_err(bad)?));
            }
            _ => {}
        }
    }
    auth.check_csrf(&csrf)?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(Error::bad_input("E_UPLOAD", "请选择要导入的公报文件").into());
    };
    let text = utf8(&bytes, &name)?;
    let summary = run_import(&state, auth.viewer.clone(), name.clone(), text).await?;
    let body = format!(
        "<h1>导入完成：{}</h1>{}",
        esc(&name),
        summary_html(&summary)
    );
    Ok(page(
        "导入完成",
        Some((&auth.viewer, auth.csrf.as_deref())),
        &body,
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    name: Option<String>,
}

/// `POST /api/v1/imports?name=FILE`: the issue's UTF-8 text as the body; the session's CSRF
/// token in the `X-CSRF-Token` header.
pub async fn import_api(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let q = crate::input::query(q)?;
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    auth.check_csrf(token)?;
    auth.viewer.require(&Permission::Import)?;
    // Read the body only once the caller may import.
    let body = axum::body::to_bytes(body, MAX_UPLOAD_BYTES)
        .await
        .map_err(|e| {
            Error::bad_input(
                "E_UPLOAD",
                format!("请求体无法读取或超过 {} MB: {e}", MAX_UPLOAD_BYTES >> 20),
            )
        })?;
    let name = q
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "api-upload.txt".into());
    let text = utf8(&body, &name)?;
    let summary = run_import(&state, auth.viewer.clone(), name, text).await?;
    Ok(Json(summary).into_response())
}
