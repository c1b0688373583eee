//! Units and leaders (单位与责任领导): the unit directory, a unit's page with its work, the
//! list of 责任领导 and each leader's portfolio.

use super::gazette::task_table;
use super::layout::{table, url};
use super::{render, PageResult};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use luoshi_app::Viewer;
use luoshi_domain::Error;
use luoshi_store::TaskRow;
use maud::html;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/units", get(units))
        .route("/units/{id}", get(unit))
        .route("/leaders", get(leaders))
        .route("/leaders/{name}", get(leader))
}

/// The Chinese name of a unit kind as the registry stores it.
pub fn unit_kind_label(kind: &str) -> &str {
    match kind {
        "department" => "市政府部门",
        "county" => "县（市、区）政府",
        "zone" => "开发区管委会",
        "enterprise" => "企业",
        "organisation" => "群团组织",
        "institution" => "事业单位",
        "central" => "驻郑单位",
        "military" => "军队、武警、消防",
        "body" => "议事协调机构",
        "subunit" => "内设或下属机构",
        other => other,
    }
}

async fn units(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let (list, groups) = blocking(&state, move |app| {
        Ok((app.units(&viewer)?, app.groups(&viewer)?))
    })
    .await?;
    let rows = html! {
        @for e in &list {
            tr {
                td { a href={ "/units/" (url(&e.unit.id)) } { (e.unit.name) } }
                td { (unit_kind_label(&e.unit.kind)) }
                td { (e.unit.aliases.join("、")) }
                td { (e.tasks) }
            }
        }
    };
    let body = html! {
        h1 { "单位名录" }
        p class="muted" { "共 " (list.len()) " 个单位" }
        (table(&["单位", "类别", "别名", "任务数"], rows))
        h2 { "单位组" }
        ul { @for g in &groups { li { (g.name) "（" (g.members.len()) " 个成员）" } } }
    };
    Ok(render(&auth, "单位名录", body))
}

async fn unit(
    State(state): State<AppState>,
    auth: Auth,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = input::segment(id, "单位")?;
    let viewer = auth.viewer.clone();
    let v = blocking(&state, move |app| app.unit(&viewer, &id)).await?;
    let group_names: Vec<&str> = v.groups.iter().map(|g| g.name.as_str()).collect();
    let body = html! {
        h1 { (v.unit.name) }
        p class="muted" {
            (unit_kind_label(&v.unit.kind)) " · 别名：" (v.unit.aliases.join("、"))
        }
        @if !group_names.is_empty() { p { "所属单位组：" (group_names.join("、")) } }
        @match &v.tasks {
            Some(tasks) => {
                h2 { "承担的任务（" (tasks.len()) "）" }
                (task_table(tasks, true))
            }
            None => { p class="muted" { "本单位的任务仅对本单位人员及督查室可见。" } }
        }
    };
    Ok(render(&auth, &v.unit.name, body))
}

async fn leaders(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    if let Viewer::User(u) = &viewer {
        if !u.sees_all_units() {
            if let Some(name) = &u.leader_name {
                return Ok(Redirect::to(&format!("/leaders/{}", url(name))).into_response());
            }
        }
    }
    let list = blocking(&state, move |app| app.leaders(&viewer)).await?;
    let rows = html! {
        @for (name, n) in &list {
            tr { td { a href={ "/leaders/" (url(name)) } { (name) } } td { (n) } }
        }
    };
    let body = html! {
        h1 { "责任领导" }
        (table(&["责任领导", "任务数"], rows))
    };
    Ok(render(&auth, "责任领导", body))
}

async fn leader(
    State(state): State<AppState>,
    auth: Auth,
    name: Result<Path<String>, PathRejection>,
) -> PageResult {
    let name = input::segment(name, "责任领导")?;
    let tasks = portfolio(&state, auth.viewer.clone(), name.clone()).await?;
    let body = html! {
        h1 { (name) " 的任务（" (tasks.len()) "）" }
        (task_table(&tasks, true))
    };
    Ok(render(&auth, &name, body))
}

/// A 责任领导's tasks. Leaders are known by the tasks that name them, so a name with no task is
/// no leader: "not found" (`E_NOT_FOUND`), except a leader's own portfolio, which may be empty.
pub async fn portfolio(
    state: &AppState,
    viewer: Viewer,
    name: String,
) -> Result<Vec<TaskRow>, Error> {
    let own = viewer
        .user()
        .is_some_and(|u| u.leader_name.as_deref() == Some(name.as_str()));
    let who = name.clone();
    let tasks = blocking(state, move |app| app.leader_portfolio(&viewer, &who)).await?;
    if tasks.is_empty() && !own {
        return Err(Error::not_found(format!("责任领导（{name}）")));
    }
    Ok(tasks)
}
