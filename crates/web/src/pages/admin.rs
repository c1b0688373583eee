//! Administration (管理): accounts, the audit log with its chain check, and importing a gazette
//! issue from the browser (a file upload that works without JavaScript).

use super::layout::{csrf_field, fields, status, table, Tone};
use super::posted::{csrf_and_file, csrf_forms, Posted};
use super::{render, PageResult};
use crate::auth::Auth;
use crate::import::{self, MAX_UPLOAD_BYTES};
use crate::{blocking, AppState};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use luoshi_app::accounts::NewUser;
use luoshi_app::import::ImportSummary;
use luoshi_app::Permission;
use luoshi_domain::{Error, Role};
use maud::{html, Markup};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users).post(add_user))
        .route("/admin/audit", get(audit))
        .route(
            "/admin/import",
            get(import_form)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
}

async fn users(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let list = blocking(&state, move |app| app.list_users(&viewer)).await?;
    let rows = html! {
        @for u in &list {
            tr {
                td { (u.username) }
                td { (u.display_name) }
                td { (u.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")) }
                td { (u.unit_id.as_deref().unwrap_or("")) }
                td {
                    @if u.disabled { (status("已停用", Tone::Bad)) } @else { (status("正常", Tone::Ok)) }
                }
            }
        }
    };
    let body = html! {
        h1 { "账号管理" }
        (table(&["用户名", "姓名", "角色", "单位", "状态"], rows))
        h2 { "新建账号" }
        form method="post" action="/admin/users" class="stack" {
            (csrf_field(auth.csrf.as_deref()))
            label { "用户名 " input name="username" required; }
            label { "姓名 " input name="display_name" required; }
            label { "密码 " input name="password" type="password" required; }
            label {
                "角色 "
                select name="role" { @for r in Role::ALL { option value=(r.as_str()) { (r.label()) } } }
            }
            label { "单位编号 " input name="unit_id"; }
            label { "领导姓名 " input name="leader_name"; }
            button type="submit" { "创建" }
        }
    };
    Ok(render(&auth, "账号管理", body))
}

#[derive(Deserialize)]
struct AddUserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    leader_name: String,
}

csrf_forms!(AddUserForm);

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

async fn add_user(State(state): State<AppState>, p: Posted<AddUserForm>) -> PageResult {
    let (auth, f) = p.open_form()?;
    auth.viewer.require(&Permission::ManageUsers)?;
    let role = Role::parse(&f.role)
        .ok_or_else(|| Error::bad_input("E_ROLE_UNKNOWN", format!("未知角色: {}", f.role)))?;
    let actor = auth.viewer.actor();
    let new = NewUser {
        username: f.username.trim().to_string(),
        display_name: f.display_name,
        password: f.password,
        unit_id: non_empty(f.unit_id),
        roles: vec![role],
        leader_name: non_empty(f.leader_name),
    };
    blocking(&state, move |app| app.add_user(&actor, new)).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn audit(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let (entries, check) = blocking(&state, move |app| {
        Ok((app.audit_log(&viewer, 200)?, app.verify_audit()?))
    })
    .await?;
    let rows = html! {
        @for e in &entries {
            tr {
                td { (e.seq) }
                td { (e.at) }
                td { (e.draft.actor) }
                td { (e.draft.action) }
                td { (e.draft.entity) " " (e.draft.entity_id) }
            }
        }
    };
    let body = html! {
        h1 { "审计日志" }
        p {
            @match &check.broken {
                None => { (status("完整", Tone::Ok)) " 哈希链完整，共 " (check.entries) " 条记录。" }
                Some(b) => {
                    (status("断开", Tone::Bad)) " "
                    span class="error" { "哈希链在第 " (b.seq) " 条断开：" (b.reason) }
                }
            }
        }
        (table(&["序号", "时间", "操作人", "操作", "对象"], rows))
    };
    Ok(render(&auth, "审计日志", body))
}

fn import_form_body(csrf: Option<&str>) -> Markup {
    html! {
        h1 { "导入公报" }
        p {
            "上传政府公报的文本文件（UTF-8，不超过 " (MAX_UPLOAD_BYTES >> 20) " MB）。"
            "同一期公报重复导入不会产生任何变化；已导入的公文按文号跳过；导入失败时数据库保持原样。"
        }
        form method="post" action="/admin/import" enctype="multipart/form-data" class="stack" {
            (csrf_field(csrf))
            label { "公报文件 " input type="file" name="file" accept=".txt,text/plain" required; }
            button type="submit" { "导入" }
        }
    }
}

async fn import_form(auth: Auth) -> PageResult {
    auth.viewer.require(&Permission::Import)?;
    Ok(render(
        &auth,
        "导入公报",
        import_form_body(auth.csrf.as_deref()),
    ))
}

fn summary_body(name: &str, s: &ImportSummary) -> Markup {
    html! {
        h1 { "导入完成：" (name) }
        @if s.already_imported {
            p { "此公报已导入过，未做任何更改。" }
        } @else {
            (fields([
                ("公文", html! { (s.documents) }),
                ("条款", html! { (s.clauses) }),
                ("任务", html! { (s.tasks) }),
                ("行动", html! { (s.actions) }),
                ("指标", html! { (s.indicators) }),
                ("目标", html! { (s.targets) }),
                ("名单", html! { (s.rosters) }),
                ("表彰", html! { (s.commendations) }),
                ("未识别", match s.unresolved {
                    0 => html! { "0" },
                    n => status(&format!("{n} 处，见各公文页"), Tone::Warn),
                }),
            ]))
            @if !s.skipped.is_empty() { p { "已存在而跳过的公文：" (s.skipped.join("、")) } }
            @if let Some(id) = s.issue_id { p { a href={ "/issues/" (id) } { "查看导入的公报" } } }
        }
    }
}

async fn import_upload(
    State(state): State<AppState>,
    auth: Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    // Who is asking is known before the body is read: refuse the public and other roles
    // without reading (up to 64 MB of) their upload.
    auth.viewer.require(&Permission::Import)?;
    let (csrf, file) = csrf_and_file(multipart, MAX_UPLOAD_BYTES, "upload.txt").await?;
    auth.check_csrf(&csrf)?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(Error::bad_input("E_UPLOAD", "请选择要导入的公报文件").into());
    };
    let text = import::utf8(&bytes, &name)?;
    let summary = import::run(&state, auth.viewer.clone(), name.clone(), text).await?;
    Ok(render(&auth, "导入完成", summary_body(&name, &summary)))
}
