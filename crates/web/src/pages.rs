//! Pages (页面): thin handlers that ask a service and render HTML.

use crate::auth::{cookie, set_cookie, Auth, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::html::{esc, page, unit_kind_label, url};
use crate::input;
use crate::{blocking, AppState, WebError};
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use luoshi_app::accounts::NewUser;
use luoshi_app::Viewer;
use luoshi_domain::{Error, Role};
use luoshi_store::{ClauseRow, OwnerRow, TaskRow};
use serde::Deserialize;

type PageResult = Result<Response, WebError>;

fn render(auth: &Auth, title: &str, body: &str) -> Response {
    page(title, Some((&auth.viewer, auth.csrf.as_deref())), body).into_response()
}

/// The positive numeric id in a path segment; anything else is "not found".
fn path_id(segment: Result<Path<String>, PathRejection>, what: &str) -> Result<i64, Error> {
    let raw = input::segment(segment, what)?;
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::not_found(format!("{what}（编号 {raw}）")))
}

/// The clause a line belongs to: the deepest clause whose span contains it.
pub fn clause_at(clauses: &[ClauseRow], line: i64) -> Option<&ClauseRow> {
    clauses
        .iter()
        .filter(|c| c.first_line <= line && line <= c.last_line)
        .max_by_key(|c| (c.first_line, std::cmp::Reverse(c.last_line)))
}

fn owners_html(owners: &[OwnerRow], role: &str) -> String {
    owners
        .iter()
        .filter(|o| o.role == role && o.via_group.is_none())
        .map(|o| {
            let label = esc(&o.name);
            let mut s = match (&o.unit_id, &o.group_id) {
                (Some(u), _) => format!("<a href=\"/units/{}\">{label}</a>", url(u)),
                (None, Some(_)) => format!("{label}<span class=\"tag\">单位组</span>"),
                _ if role == "leader" => format!("<a href=\"/leaders/{}\">{label}</a>", url(&o.name)),
                _ => format!("<span class=\"owner-unresolved\" title=\"未在单位名录中找到\">{label}？</span>"),
            };
            if o.open {
                s.push_str("<span class=\"tag\">开放</span>");
            }
            s
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn task_table(tasks: &[TaskRow], with_doc: bool) -> String {
    if tasks.is_empty() {
        return "<p class=\"muted\">没有可显示的任务。</p>".into();
    }
    let mut s = String::from("<table><thead><tr><th>序号</th>");
    if with_doc {
        s.push_str("<th>文号</th>");
    }
    s.push_str(
        "<th>任务</th><th>责任领导</th><th>牵头单位</th><th>责任单位</th></tr></thead><tbody>",
    );
    for t in tasks {
        let summary: String = if t.kind == "action" {
            t.name.clone()
        } else {
            t.text.chars().take(60).collect()
        };
        s.push_str(&format!("<tr id=\"task-{}\"><td>{}</td>", t.id, t.no));
        if with_doc {
            s.push_str(&format!(
                "<td><a href=\"/documents/{}\">{}</a></td>",
                t.document_id,
                esc(&t.doc_no)
            ));
        }
        s.push_str(&format!(
            "<td><a href=\"/tasks/{}\">{}{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.id,
            esc(&summary),
            if summary.chars().count() < t.text.chars().count() && t.kind != "action" {
                "…"
            } else {
                ""
            },
            owners_html(&t.owners, "leader"),
            owners_html(&t.owners, "lead"),
            owners_html(&t.owners, "co"),
        ));
    }
    s.push_str("</tbody></table>");
    s
}

pub async fn home(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let (issues, docs) = blocking(&state, move |app| {
        Ok((app.issues(&viewer)?, app.documents(&viewer, None)?))
    })
    .await?;
    let mut body = String::from("<h1>政府公报</h1>");
    if issues.is_empty() {
        body.push_str("<p class=\"muted\">尚未导入任何公报。</p>");
    }
    for i in &issues {
        body.push_str(&format!(
            "<h2><a href=\"/issues/{}\">{}</a></h2><p class=\"muted\">{} 篇公文，{} 行，导入于 {}</p><ul>",
            i.id,
            esc(&i.source_name),
            i.document_count,
            i.line_count,
            esc(&i.imported_at)
        ));
        for d in docs.iter().filter(|d| d.issue_id == i.id) {
            body.push_str(&format!(
                "<li><a href=\"/documents/{}\">{}</a> <span class=\"muted\">{} {}</span></li>",
                d.id,
                esc(&d.title),
                esc(&d.doc_no),
                esc(d.date.as_deref().unwrap_or(""))
            ));
        }
        body.push_str("</ul>");
    }
    Ok(render(&auth, "政府公报", &body))
}

pub async fn issue(
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
    let mut body = format!("<h1>{}</h1><table><thead><tr><th>文号</th><th>标题</th><th>发文机关</th><th>日期</th><th>文种</th></tr></thead><tbody>", esc(&issue.source_name));
    for d in &docs {
        body.push_str(&format!(
            "<tr><td>{}</td><td><a href=\"/documents/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&d.doc_no),
            d.id,
            esc(&d.title),
            esc(&d.issuer),
            esc(d.date.as_deref().unwrap_or("")),
            esc(&d.kind)
        ));
    }
    body.push_str("</tbody></table>");
    Ok(render(&auth, &issue.source_name, &body))
}

pub async fn document(
    State(state): State<AppState>,
    auth: Auth,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = path_id(id, "公文")?;
    let viewer = auth.viewer.clone();
    let v = blocking(&state, move |app| app.document(&viewer, id)).await?;
    let d = &v.document;
    let mut body = format!(
        "<h1>{}</h1><p class=\"cite\">{} · {} · {} · 第 {}–{} 行 · <a href=\"/documents/{}/source\">原文</a></p>",
        esc(&d.title),
        esc(&d.issuer),
        esc(&d.doc_no),
        esc(d.date.as_deref().unwrap_or("")),
        d.first_line,
        d.last_line,
        d.id
    );
    if !d.recipients.is_empty() {
        body.push_str(&format!("<p>主送：{}</p>", esc(&d.recipients.join("，"))));
    }
    if !d.attachments.is_empty() {
        body.push_str(&format!("<p>附件：{}</p>", esc(&d.attachments.join("；"))));
    }
    if v.tasks_total > 0 {
        body.push_str(&format!(
            "<h2>任务（{}/{}）</h2>",
            v.tasks.len(),
            v.tasks_total
        ));
        if v.tasks.len() < v.tasks_total {
            body.push_str(&format!(
                "<p class=\"muted\">另有 {} 项任务您无权查看{}。</p>",
                v.tasks_total - v.tasks.len(),
                if auth.viewer == Viewer::Public {
                    "，请<a href=\"/login\">登录</a>"
                } else {
                    ""
                }
            ));
        }
        if !v.tasks.is_empty() {
            body.push_str(&task_table(&v.tasks, false));
        }
    }
    if !v.indicators.is_empty() {
        body.push_str("<h2>考核指标</h2><table><thead><tr><th>序号</th><th>指标</th><th>单位</th><th>基期值</th><th>目标值</th><th>出处</th></tr></thead><tbody>");
        for i in &v.indicators {
            let targets = i
                .targets
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|t| format!("{}年 {}", t["year"], t["text"].as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join("；")
                })
                .unwrap_or_default();
            let anchor = clause_at(&v.clauses, i.first_line)
                .map(|c| c.ord)
                .unwrap_or(0);
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td class=\"nowrap\"><a href=\"#c-{anchor}\">第{}行</a></td></tr>",
                i.no,
                esc(&i.name),
                esc(i.unit.as_deref().unwrap_or("")),
                esc(i.baseline_text.as_deref().unwrap_or("")),
                i.baseline_year.map(|y| format!("（{y}年）")).unwrap_or_default(),
                esc(&targets),
                i.first_line
            ));
        }
        body.push_str("</tbody></table>");
    }
    if !v.targets.is_empty() {
        body.push_str("<h2>目标</h2><table><thead><tr><th>指标</th><th>年份</th><th>目标</th><th>原文表述</th><th>出处</th></tr></thead><tbody>");
        for t in &v.targets {
            let anchor = clause_at(&v.clauses, t.first_line)
                .map(|c| c.ord)
                .unwrap_or(0);
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{} {}{}</td><td>{}</td><td><a href=\"#c-{anchor}\">{}</a></td></tr>",
                esc(&t.metric),
                t.year,
                esc(&t.op),
                t.value.map(|x| x.to_string()).unwrap_or_default(),
                esc(t.unit.as_deref().unwrap_or("")),
                esc(&t.comparator),
                esc(&t.clause)
            ));
        }
        body.push_str("</tbody></table>");
    }
    for l in &v.lists {
        let entries = l.entries.as_array().cloned().unwrap_or_default();
        let names: Vec<String> = entries
            .iter()
            .map(|e| {
                let name = e["name"].as_str().unwrap_or("");
                let extra = e["post"].as_str().or(e["note"].as_str()).unwrap_or("");
                let role = e["role"].as_str().unwrap_or("");
                match (role.is_empty(), extra.is_empty()) {
                    (false, _) => format!("{}：{} {}", esc(role), esc(name), esc(extra)),
                    (true, false) => format!("{}（{}）", esc(name), esc(extra)),
                    _ => esc(name),
                }
            })
            .collect();
        body.push_str(&format!(
            "<h2>{}</h2><p class=\"muted\">{} 条{}</p><p>{}</p>",
            esc(&l.title),
            entries.len(),
            l.stated_count
                .map(|n| format!("（文中载明 {n}）"))
                .unwrap_or_default(),
            names.join("；")
        ));
    }
    if !v.unresolved.is_empty() {
        body.push_str("<h2>未能识别的内容</h2><ul>");
        for u in &v.unresolved {
            body.push_str(&format!(
                "<li><span class=\"tag\">{}</span> {} <span class=\"cite\">{} 第{}行</span></li>",
                esc(&u.kind),
                esc(&u.text),
                esc(&u.clause),
                u.first_line
            ));
        }
        body.push_str("</ul>");
    }
    body.push_str("<h2>条款</h2>");
    // Parents come before their children, so one pass gives every clause its depth.
    let mut depths: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for c in &v.clauses {
        let depth = c
            .parent_ord
            .and_then(|p| depths.get(&p))
            .map_or(0, |d| d + 1);
        depths.insert(c.ord, depth);
        // The heading is the clause's first sentence: do not print it twice.
        let rest = c
            .text
            .strip_prefix(c.heading.as_str())
            .map(|r| r.trim_start_matches(['。', '，', '：', ' ']))
            .unwrap_or(&c.text);
        body.push_str(&format!(
            "<section class=\"clause\" id=\"c-{}\" style=\"margin-left:{}em\"><strong>{}</strong> {} <span class=\"cite\">{} {} · 第{}–{}行</span><div>{}</div></section>",
            c.ord,
            depth.min(8) as f32 * 1.5,
            esc(&c.marker),
            esc(&c.heading),
            esc(&d.doc_no),
            esc(&c.path),
            c.first_line,
            c.last_line,
            esc(rest)
        ));
    }
    Ok(render(&auth, &d.title, &body))
}

pub async fn document_source(
    State(state): State<AppState>,
    auth: Auth,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = path_id(id, "公文")?;
    let viewer = auth.viewer.clone();
    let lines = blocking(&state, move |app| app.document_lines(&viewer, id)).await?;
    let mut body = format!(
        "<h1>原文</h1><p><a href=\"/documents/{id}\">返回公文</a></p><pre class=\"source\">"
    );
    for (n, l) in &lines {
        body.push_str(&format!("<span id=\"L{n}\">{n:>5}  {}</span>\n", esc(l)));
    }
    body.push_str("</pre>");
    Ok(render(&auth, "原文", &body))
}

pub async fn task(
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
    let clause = clause_at(&doc.clauses, t.first_line);
    let clause_link = match clause {
        Some(c) => format!(
            "<a id=\"clause-link\" href=\"/documents/{}#c-{}\">{} {}</a>",
            t.document_id,
            c.ord,
            esc(&t.doc_no),
            esc(if t.clause.is_empty() {
                &c.path
            } else {
                &t.clause
            })
        ),
        None => format!(
            "<a href=\"/documents/{}\">{}</a>",
            t.document_id,
            esc(&t.doc_no)
        ),
    };
    let title = if t.kind == "action" {
        t.name.clone()
    } else {
        format!("任务 {}", t.no)
    };
    let mut body = format!(
        "<h1>{}</h1><p class=\"cite\">出处：{} · 第{}–{}行（<a href=\"/documents/{}/source#L{}\">原文</a>）</p><p>{}</p>",
        esc(&title),
        clause_link,
        t.first_line,
        t.last_line,
        t.document_id,
        t.first_line,
        esc(&t.text)
    );
    body.push_str("<table><tbody>");
    for (role, label) in [
        ("leader", "责任领导"),
        ("lead", "牵头单位"),
        ("co", "责任单位"),
        ("assist", "协办单位"),
    ] {
        if role == "assist" && !t.owners.iter().any(|o| o.role == role) {
            continue;
        }
        body.push_str(&format!(
            "<tr><th>{label}</th><td>{}</td></tr>",
            owners_html(&t.owners, role)
        ));
    }
    if !t.deadlines.is_empty() {
        body.push_str(&format!(
            "<tr><th>时限</th><td>{}</td></tr>",
            esc(&t.deadlines.join("；"))
        ));
    }
    body.push_str("</tbody></table>");
    let expanded: Vec<&OwnerRow> = t.owners.iter().filter(|o| o.via_group.is_some()).collect();
    if !expanded.is_empty() {
        body.push_str("<h2>单位组展开</h2><ul>");
        for o in expanded {
            body.push_str(&format!(
                "<li>{}：<a href=\"/units/{}\">{}</a></li>",
                esc(&o.name),
                url(o.unit_id.as_deref().unwrap_or("")),
                esc(o.unit_id.as_deref().unwrap_or(""))
            ));
        }
        body.push_str("</ul>");
    }
    Ok(render(&auth, &title, &body))
}

pub async fn units(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let (list, groups) = blocking(&state, move |app| {
        Ok((app.units(&viewer)?, app.groups(&viewer)?))
    })
    .await?;
    let mut body = format!("<h1>单位名录</h1><p class=\"muted\">共 {} 个单位</p><table><thead><tr><th>单位</th><th>类别</th><th>别名</th><th>任务数</th></tr></thead><tbody>", list.len());
    for e in &list {
        body.push_str(&format!(
            "<tr><td><a href=\"/units/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            url(&e.unit.id),
            esc(&e.unit.name),
            esc(unit_kind_label(&e.unit.kind)),
            esc(&e.unit.aliases.join("、")),
            e.tasks
        ));
    }
    body.push_str("</tbody></table><h2>单位组</h2><ul>");
    for g in &groups {
        body.push_str(&format!(
            "<li>{}（{} 个成员）</li>",
            esc(&g.name),
            g.members.len()
        ));
    }
    body.push_str("</ul>");
    Ok(render(&auth, "单位名录", &body))
}

pub async fn unit(
    State(state): State<AppState>,
    auth: Auth,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = input::segment(id, "单位")?;
    let viewer = auth.viewer.clone();
    let v = blocking(&state, move |app| app.unit(&viewer, &id)).await?;
    let mut body = format!(
        "<h1>{}</h1><p class=\"muted\">{} · 别名：{}</p>",
        esc(&v.unit.name),
        esc(unit_kind_label(&v.unit.kind)),
        esc(&v.unit.aliases.join("、"))
    );
    if !v.groups.is_empty() {
        body.push_str(&format!(
            "<p>所属单位组：{}</p>",
            esc(&v
                .groups
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join("、"))
        ));
    }
    match &v.tasks {
        Some(tasks) => {
            body.push_str(&format!("<h2>承担的任务（{}）</h2>", tasks.len()));
            body.push_str(&task_table(tasks, true));
        }
        None => body.push_str("<p class=\"muted\">本单位的任务仅对本单位人员及督查室可见。</p>"),
    }
    Ok(render(&auth, &v.unit.name, &body))
}

pub async fn leaders(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    if let Viewer::User(u) = &viewer {
        if !u.sees_all_units() {
            if let Some(name) = &u.leader_name {
                return Ok(Redirect::to(&format!("/leaders/{}", url(name))).into_response());
            }
        }
    }
    let list = blocking(&state, move |app| app.leaders(&viewer)).await?;
    let mut body = String::from(
        "<h1>责任领导</h1><table><thead><tr><th>责任领导</th><th>任务数</th></tr></thead><tbody>",
    );
    for (name, n) in &list {
        body.push_str(&format!(
            "<tr><td><a href=\"/leaders/{}\">{}</a></td><td>{n}</td></tr>",
            url(name),
            esc(name)
        ));
    }
    body.push_str("</tbody></table>");
    Ok(render(&auth, "责任领导", &body))
}

pub async fn leader(
    State(state): State<AppState>,
    auth: Auth,
    name: Result<Path<String>, PathRejection>,
) -> PageResult {
    let name = input::segment(name, "责任领导")?;
    let viewer = auth.viewer.clone();
    let who = name.clone();
    let tasks = blocking(&state, move |app| app.leader_portfolio(&viewer, &who)).await?;
    let body = format!(
        "<h1>{} 的任务（{}）</h1>{}",
        esc(&name),
        tasks.len(),
        task_table(&tasks, true)
    );
    Ok(render(&auth, &name, &body))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let query = q.q.trim().to_string();
    let run = query.clone();
    let hits = blocking(&state, move |app| app.search(&viewer, &run)).await?;
    let mut body = format!(
        "<h1>全文检索</h1><form method=\"get\" action=\"/search\"><input name=\"q\" value=\"{}\"><button type=\"submit\">检索</button></form>",
        esc(&query)
    );
    if !query.is_empty() {
        body.push_str(&format!(
            "<p class=\"muted\">“{}” 共 {} 条结果</p><ol>",
            esc(&query),
            hits.len()
        ));
        for h in &hits {
            body.push_str(&format!(
                "<li><a href=\"/documents/{}#c-{}\">{} {}</a> <span class=\"cite\">{} 第{}行</span><div>{}</div></li>",
                h.document_id,
                h.clause_ord,
                esc(&h.doc_no),
                esc(&h.path),
                esc(&h.title),
                h.first_line,
                esc(&h.snippet)
            ));
        }
        body.push_str("</ol>");
    }
    Ok(render(&auth, "全文检索", &body))
}

fn login_page(csrf: &str, next: &str, error: Option<&str>) -> String {
    format!(
        "<h1>登录</h1>{}<form method=\"post\" action=\"/login\" class=\"stack\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <input type=\"hidden\" name=\"next\" value=\"{}\">\
         <label>用户名 <input name=\"username\" autocomplete=\"username\" required></label>\
         <label>密码 <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
         <button type=\"submit\">登录</button></form>",
        error.map(|e| format!("<p class=\"error\">{}</p>", esc(e))).unwrap_or_default(),
        esc(csrf),
        esc(crate::error::safe_next(next))
    )
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn login_form(q: Result<Query<NextQuery>, QueryRejection>) -> PageResult {
    let next = q.map(|Query(q)| q.next).unwrap_or_default();
    let csrf = luoshi_app::accounts::random_token()?;
    let mut resp = page("登录", None, &login_page(&csrf, &next, None)).into_response();
    let (k, v) = set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600);
    resp.headers_mut().append(k, v);
    Ok(resp)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> PageResult {
    let form = input::form(form)?;
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty()
        || !crate::auth::constant_time_eq(expected.as_bytes(), form.csrf.as_bytes())
    {
        return Err(Error::forbidden(
            "登录表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试",
        )
        .into());
    }
    let (username, password) = (form.username.trim().to_string(), form.password);
    match blocking(&state, move |app| app.login(&username, &password)).await {
        Ok((token, _)) => {
            let mut resp = Redirect::to(crate::error::safe_next(&form.next)).into_response();
            let (k, v) = set_cookie(
                SESSION_COOKIE,
                &token,
                luoshi_app::accounts::SESSION_HOURS * 3600,
            );
            resp.headers_mut().append(k, v);
            let (k, v) = set_cookie(LOGIN_CSRF_COOKIE, "", 0);
            resp.headers_mut().append(k, v);
            Ok(resp)
        }
        Err(e) => {
            let status = crate::error::status(e.kind);
            Ok((
                status,
                page(
                    "登录",
                    None,
                    &login_page(
                        &expected,
                        &form.next,
                        Some(&format!("{}（{}）", e.message, e.code)),
                    ),
                ),
            )
                .into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> PageResult {
    let form = input::form(form)?;
    auth.check_csrf(&form.csrf)?;
    if let (Some(token), Viewer::User(user)) = (auth.token.clone(), auth.viewer.clone()) {
        blocking(&state, move |app| app.logout(&token, &user)).await?;
    }
    let mut resp = Redirect::to("/").into_response();
    let (k, v) = set_cookie(SESSION_COOKIE, "", 0);
    resp.headers_mut().append(k, v);
    Ok(resp)
}

pub async fn users(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let list = blocking(&state, move |app| app.list_users(&viewer)).await?;
    let mut body = String::from("<h1>账号管理</h1><table><thead><tr><th>用户名</th><th>姓名</th><th>角色</th><th>单位</th><th>状态</th></tr></thead><tbody>");
    for u in &list {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&u.username),
            esc(&u.display_name),
            u.roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join("、"),
            esc(u.unit_id.as_deref().unwrap_or("")),
            if u.disabled { "已停用" } else { "正常" }
        ));
    }
    body.push_str("</tbody></table><h2>新建账号</h2><form method=\"post\" action=\"/admin/users\" class=\"stack\">");
    body.push_str(&format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(auth.csrf.as_deref().unwrap_or(""))
    ));
    body.push_str("<label>用户名 <input name=\"username\" required></label><label>姓名 <input name=\"display_name\" required></label>\
        <label>密码 <input name=\"password\" type=\"password\" required></label><label>角色 <select name=\"role\">");
    for r in Role::ALL {
        body.push_str(&format!(
            "<option value=\"{}\">{}</option>",
            r.as_str(),
            r.label()
        ));
    }
    body.push_str("</select></label><label>单位编号 <input name=\"unit_id\"></label><label>领导姓名 <input name=\"leader_name\"></label><button type=\"submit\">创建</button></form>");
    Ok(render(&auth, "账号管理", &body))
}

#[derive(Deserialize)]
pub struct AddUserForm {
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

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub async fn add_user(
    State(state): State<AppState>,
    auth: Auth,
    f: Result<Form<AddUserForm>, FormRejection>,
) -> PageResult {
    let f = input::form(f)?;
    auth.check_csrf(&f.csrf)?;
    auth.viewer.require(&luoshi_app::Permission::ManageUsers)?;
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

pub async fn audit(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let (entries, check) = blocking(&state, move |app| {
        Ok((app.audit_log(&viewer, 200)?, app.verify_audit()?))
    })
    .await?;
    let mut body = format!(
        "<h1>审计日志</h1><p>{}</p><table><thead><tr><th>序号</th><th>时间</th><th>操作人</th><th>操作</th><th>对象</th></tr></thead><tbody>",
        match &check.broken {
            None => format!("哈希链完整，共 {} 条记录。", check.entries),
            Some(b) => format!("<span class=\"error\">哈希链在第 {} 条断开：{}</span>", b.seq, esc(&b.reason)),
        }
    );
    for e in &entries {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td></tr>",
            e.seq,
            esc(&e.at),
            esc(&e.draft.actor),
            esc(&e.draft.action),
            esc(&e.draft.entity),
            esc(&e.draft.entity_id)
        ));
    }
    body.push_str("</tbody></table>");
    Ok(render(&auth, "审计日志", &body))
}

pub async fn not_found(auth: Auth) -> Response {
    let body = "<h1>404 页面不存在</h1><p class=\"error\">您访问的页面不存在。</p><p>错误代码：<code>E_NOT_FOUND</code></p><p><a href=\"/\">返回首页</a></p>";
    (StatusCode::NOT_FOUND, render(&auth, "404 页面不存在", body)).into_response()
}

/// A known path asked with a method it does not answer (e.g. `GET /logout`).
pub async fn method_not_allowed(auth: Auth) -> Response {
    let body = "<h1>405 不支持的请求方式</h1><p class=\"error\">此地址不支持该请求方式。</p><p>错误代码：<code>E_METHOD_NOT_ALLOWED</code></p><p><a href=\"/\">返回首页</a></p>";
    (
        StatusCode::METHOD_NOT_ALLOWED,
        render(&auth, "405 不支持的请求方式", body),
    )
        .into_response()
}
