//! The published gazette (政府公报): issues, documents with their clauses, the source text,
//! tasks and full-text search. The task table and owner links are shared with `units`.

use super::layout::{fields, table, tag, url, Pager};
use super::{path_id, render, PageResult};
use crate::auth::Auth;
use crate::{blocking, input, published, AppState};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::Router;
use luoshi_app::views::DocumentView;
use luoshi_app::Viewer;
use luoshi_domain::Error;
use luoshi_store::{ClauseRow, IndicatorRow, ListRow, OwnerRole, OwnerRow, TaskKind, TaskRow};
use maud::{html, Markup};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/issues/{id}", get(issue))
        .route("/documents/{id}", get(document))
        .route("/documents/{id}/source", get(document_source))
        .route("/tasks/{id}", get(task))
        .route("/search", get(search))
}

/// The clause a line belongs to: the deepest clause whose span contains it.
pub fn clause_at(clauses: &[ClauseRow], line: i64) -> Option<&ClauseRow> {
    clauses
        .iter()
        .filter(|c| c.first_line <= line && line <= c.last_line)
        .max_by_key(|c| (c.first_line, std::cmp::Reverse(c.last_line)))
}

/// The owners of a task in one role (`leader` 责任领导, `lead` 牵头单位, `co` 责任单位, `assist`
/// 协办单位), each linked to its unit or leader page; unresolved names are marked.
pub fn owners(owners: &[OwnerRow], role: OwnerRole) -> Markup {
    let shown = owners
        .iter()
        .filter(|o| o.role == role && o.via_group.is_none());
    html! {
        @for (i, o) in shown.enumerate() {
            @if i > 0 { "、" }
            @match (&o.unit_id, &o.group_id) {
                (Some(u), _) => { a href={ "/units/" (url(u)) } { (o.name) } }
                (None, Some(_)) => { (o.name) (tag("单位组")) }
                _ if role == OwnerRole::Leader => { a href={ "/leaders/" (url(&o.name)) } { (o.name) } }
                _ => { span class="owner-unresolved" title="未在单位名录中找到" { (o.name) "？" } }
            }
            @if o.open { (tag("开放")) }
        }
    }
}

/// Tasks as a table, each row `task-{id}` linking to the task; `with_doc` adds the 文号.
pub fn task_table(tasks: &[TaskRow], with_doc: bool) -> Markup {
    if tasks.is_empty() {
        return html! { p class="muted" { "没有可显示的任务。" } };
    }
    let head: &[&str] = if with_doc {
        &["序号", "文号", "任务", "责任领导", "牵头单位", "责任单位"]
    } else {
        &["序号", "任务", "责任领导", "牵头单位", "责任单位"]
    };
    let rows = html! {
        @for t in tasks {
            tr id={ "task-" (t.id) } {
                td { (t.no) }
                @if with_doc {
                    td { a href={ "/documents/" (t.document_id) } { (t.doc_no) } }
                }
                td { a href={ "/tasks/" (t.id) } { (task_summary(t)) } }
                td { (owners(&t.owners, OwnerRole::Leader)) }
                td { (owners(&t.owners, OwnerRole::Lead)) }
                td { (owners(&t.owners, OwnerRole::Co)) }
            }
        }
    };
    table(head, rows)
}

/// How a task reads in a list: an action by its name, a task by its first 60 characters.
fn task_summary(t: &TaskRow) -> String {
    if t.kind == TaskKind::Action {
        return t.name.clone();
    }
    match t.text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &t.text[..cut]),
        None => t.text.clone(),
    }
}

async fn home(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let (issues, docs) = blocking(&state, move |app| {
        Ok((app.issues(&viewer)?, app.documents(&viewer, None)?))
    })
    .await?;
    let body = html! {
        h1 { "政府公报" }
        @if issues.is_empty() { p class="muted" { "尚未导入任何公报。" } }
        @for i in &issues {
            h2 { a href={ "/issues/" (i.id) } { (i.source_name) } }
            p class="muted" {
                (i.document_count) " 篇公文，" (i.line_count) " 行，导入于 " (i.imported_at)
            }
            ul {
                @for d in docs.iter().filter(|d| d.issue_id == i.id) {
                    li {
                        a href={ "/documents/" (d.id) } { (d.title) }
                        " "
                        span class="muted" { (d.doc_no) " " (d.date.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    Ok(render(&auth, "政府公报", body))
}

async fn issue(
    State(state): State<AppState>,
    auth: Auth,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = path_id(id, "公报")?;
    let viewer = auth.viewer.clone();
    let (issues, docs) = blocking(&state, move |app| {
        Ok((app.issues(&viewer)?, app.documents(&viewer, Some(id))?))
    })
    .await?;
    let Some(issue) = issues.into_iter().find(|i| i.id == id) else {
        return Err(Error::not_found(format!("公报（编号 {id}）")).into());
    };
    let rows = html! {
        @for d in &docs {
            tr {
                td { (d.doc_no) }
                td { a href={ "/documents/" (d.id) } { (d.title) } }
                td { (d.issuer) }
                td { (d.date.as_deref().unwrap_or("")) }
                td { (d.kind) }
            }
        }
    };
    let body = html! {
        h1 { (issue.source_name) }
        (table(&["文号", "标题", "发文机关", "日期", "文种"], rows))
    };
    Ok(render(&auth, &issue.source_name, body))
}

/// An indicator's targets in one line: `2020年 ≥16.2；2022年 …`.
fn indicator_targets(i: &IndicatorRow) -> String {
    i.targets
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| format!("{}年 {}", t["year"], t["text"].as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join("；")
        })
        .unwrap_or_default()
}

/// A roster or commendation list's entries in one line: `主任：某某 市长；…`.
fn list_entries(l: &ListRow) -> (usize, String) {
    let entries = l.entries.as_array().map(Vec::as_slice).unwrap_or_default();
    let names = entries
        .iter()
        .map(|e| {
            let name = e["name"].as_str().unwrap_or("");
            let extra = e["post"].as_str().or(e["note"].as_str()).unwrap_or("");
            let role = e["role"].as_str().unwrap_or("");
            match (role.is_empty(), extra.is_empty()) {
                (false, _) => format!("{role}：{name} {extra}"),
                (true, false) => format!("{name}（{extra}）"),
                _ => name.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("；");
    (entries.len(), names)
}

async fn document(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = path_id(id, "公文")?;
    let key = format!("document|{id}");
    Ok(
        published::page(&state, &auth, &headers, key, move |app, viewer| {
            let v = app.document(viewer, id)?;
            Ok((v.document.title.clone(), document_body(&v, viewer)))
        })
        .await,
    )
}

/// A document's page body for a viewer: header, tasks, indicators, targets, lists, clauses.
fn document_body(v: &DocumentView, viewer: &Viewer) -> Markup {
    let d = &v.document;
    let anchor = |line: i64| clause_at(&v.clauses, line).map_or(0, |c| c.ord);
    let hidden = v.tasks_total - v.tasks.len();
    // Parents come before their children, so one pass gives every clause its depth.
    let mut depths = std::collections::HashMap::with_capacity(v.clauses.len());
    let body = html! {
        h1 { (d.title) }
        p class="cite" {
            (d.issuer) " · " (d.doc_no) " · " (d.date.as_deref().unwrap_or(""))
            " · 第 " (d.first_line) "–" (d.last_line) " 行 · "
            a href={ "/documents/" (d.id) "/source" } { "原文" }
        }
        @if !d.recipients.is_empty() { p { "主送：" (d.recipients.join("，")) } }
        @if !d.attachments.is_empty() { p { "附件：" (d.attachments.join("；")) } }
        @if v.tasks_total > 0 {
            h2 { "任务（" (v.tasks.len()) "/" (v.tasks_total) "）" }
            @if hidden > 0 {
                p class="muted" {
                    "另有 " (hidden) " 项任务您无权查看"
                    @if *viewer == Viewer::Public { "，请" a href="/login" { "登录" } }
                    "。"
                }
            }
            @if !v.tasks.is_empty() { (task_table(&v.tasks, false)) }
        }
        @if !v.indicators.is_empty() {
            h2 { "考核指标" }
            (table(&["序号", "指标", "单位", "基期值", "目标值", "出处"], html! {
                @for i in &v.indicators {
                    tr {
                        td { (i.no) }
                        td { (i.name) }
                        td { (i.unit.as_deref().unwrap_or("")) }
                        td {
                            (i.baseline_text.as_deref().unwrap_or(""))
                            @if let Some(y) = i.baseline_year { "（" (y) "年）" }
                        }
                        td { (indicator_targets(i)) }
                        td class="nowrap" {
                            a href={ "#c-" (anchor(i.first_line)) } { "第" (i.first_line) "行" }
                        }
                    }
                }
            }))
        }
        @if !v.targets.is_empty() {
            h2 { "目标" }
            (table(&["指标", "年份", "目标", "原文表述", "出处"], html! {
                @for t in &v.targets {
                    tr {
                        td { (t.metric) }
                        td { (t.year) }
                        td {
                            (t.op) " "
                            @if let Some(x) = t.value { (x) }
                            (t.unit.as_deref().unwrap_or(""))
                        }
                        td { (t.comparator) }
                        td { a href={ "#c-" (anchor(t.first_line)) } { (t.clause) } }
                    }
                }
            }))
        }
        @for l in &v.lists {
            @let (count, names) = list_entries(l);
            h2 { (l.title) }
            p class="muted" {
                (count) " 条"
                @if let Some(n) = l.stated_count { "（文中载明 " (n) "）" }
            }
            p { (names) }
        }
        @if !v.unresolved.is_empty() {
            h2 { "未能识别的内容" }
            ul {
                @for u in &v.unresolved {
                    li {
                        (tag(&u.kind)) " " (u.text) " "
                        span class="cite" { (u.clause) " 第" (u.first_line) "行" }
                    }
                }
            }
        }
        h2 { "条款" }
        @for c in &v.clauses {
            @let depth = c.parent_ord.and_then(|p| depths.get(&p)).map_or(0, |d| d + 1);
            @let _ = depths.insert(c.ord, depth);
            section class={ "clause d" (depth.min(8)) } id={ "c-" (c.ord) } {
                strong { (c.marker) } " " (c.heading) " "
                span class="cite" {
                    (d.doc_no) " " (c.path) " · 第" (c.first_line) "–" (c.last_line) "行"
                }
                div { (clause_rest(c)) }
            }
        }
    };
    body
}

/// A clause's text without its heading (the heading is its first sentence, shown in bold).
fn clause_rest(c: &ClauseRow) -> &str {
    c.text
        .strip_prefix(c.heading.as_str())
        .map(|r| r.trim_start_matches(['。', '，', '：', ' ']))
        .unwrap_or(&c.text)
}

async fn document_source(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = path_id(id, "公文")?;
    let key = format!("document.source|{id}");
    Ok(
        published::page(&state, &auth, &headers, key, move |app, viewer| {
            let lines = app.document_lines(viewer, id)?;
            let body = html! {
                h1 { "原文" }
                p { a href={ "/documents/" (id) } { "返回公文" } }
                pre class="source" {
                    @for (n, l) in &lines {
                        span id={ "L" (n) } { (format!("{n:>5}")) "  " (l) } "\n"
                    }
                }
            };
            Ok(("原文".to_string(), body))
        })
        .await,
    )
}

async fn task(
    State(state): State<AppState>,
    auth: Auth,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = path_id(id, "任务")?;
    let viewer = auth.viewer.clone();
    let (t, doc) = blocking(&state, move |app| {
        let t = app.task(&viewer, id)?;
        let doc = app.document(&viewer, t.document_id)?;
        Ok((t, doc))
    })
    .await?;
    let title = if t.kind == TaskKind::Action {
        t.name.clone()
    } else {
        format!("任务 {}", t.no)
    };
    let clause_link = match clause_at(&doc.clauses, t.first_line) {
        Some(c) => html! {
            a id="clause-link" href={ "/documents/" (t.document_id) "#c-" (c.ord) } {
                (t.doc_no) " " (if t.clause.is_empty() { &c.path } else { &t.clause })
            }
        },
        None => html! { a href={ "/documents/" (t.document_id) } { (t.doc_no) } },
    };
    let roles = [
        (OwnerRole::Leader, "责任领导"),
        (OwnerRole::Lead, "牵头单位"),
        (OwnerRole::Co, "责任单位"),
        (OwnerRole::Assist, "协办单位"),
    ];
    let mut rows: Vec<(&str, Markup)> = roles
        .into_iter()
        .filter(|(role, _)| *role != OwnerRole::Assist || t.owners.iter().any(|o| o.role == *role))
        .map(|(role, label)| (label, owners(&t.owners, role)))
        .collect();
    if !t.deadlines.is_empty() {
        rows.push(("时限", html! { (t.deadlines.join("；")) }));
    }
    let expanded: Vec<&OwnerRow> = t.owners.iter().filter(|o| o.via_group.is_some()).collect();
    let body = html! {
        h1 { (title) }
        p class="cite" {
            "出处：" (clause_link) " · 第" (t.first_line) "–" (t.last_line) "行（"
            a href={ "/documents/" (t.document_id) "/source#L" (t.first_line) } { "原文" }
            "）"
        }
        p { (t.text) }
        (fields(rows))
        @if !expanded.is_empty() {
            h2 { "单位组展开" }
            ul {
                @for o in expanded {
                    @let unit = o.unit_id.as_deref().unwrap_or("");
                    li { (o.name) "：" a href={ "/units/" (url(unit)) } { (unit) } }
                }
            }
        }
    };
    Ok(render(&auth, &title, body))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<usize>,
}

/// Search hits shown on one page.
const HITS_PER_PAGE: usize = 20;

async fn search(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let query = q.q.trim().to_string();
    let run = query.clone();
    let hits = blocking(&state, move |app| app.search(&viewer, &run)).await?;
    let pager = Pager::new(q.page.unwrap_or(1), HITS_PER_PAGE, hits.len());
    let body = html! {
        h1 { "全文检索" }
        form method="get" action="/search" {
            input name="q" value=(query);
            button type="submit" { "检索" }
        }
        @if !query.is_empty() {
            p class="muted" { "“" (query) "” 共 " (hits.len()) " 条结果" }
            ol start=(pager.range().start + 1) {
                @for h in &hits[pager.range()] {
                    li {
                        a href={ "/documents/" (h.document_id) "#c-" (h.clause_ord) } {
                            (h.doc_no) " " (h.path)
                        }
                        " "
                        span class="cite" { (h.title) " 第" (h.first_line) "行" }
                        div { (h.snippet) }
                    }
                }
            }
            (pager.links(|n| format!("/search?q={}&page={n}", url(&query))))
        }
    };
    Ok(render(&auth, "全文检索", body))
}
