//! Proposal handling pages (建议提案办理, 郑政办〔2020〕27号): the office's list, registration one
//! by one or from an `.xlsx` list, the assignment sheet of the 交办会, a unit's inbox with due
//! dates and how each was computed, one item with every round and the forms of the actions the
//! viewer may take, the printable reply letter with its class mark and the 征求意见表, the five
//! standards drillable to their items, the annual report, and the public list of disclosed
//! replies (no login, no personal data).
//!
//! Action forms post to `/proposals/{id}/act` with the version the viewer saw; a refused action
//! re-renders the page with the error and every value typed (a stale version answers 409).

use super::item_action::{self, read_action, Draft};
use super::layout::{csrf_field, fields, status, table, tag, url, Pager, Tone};
use super::posted::{csrf_forms, MultipartKind, Posted};
use super::supervision::{area_field, text_field};
use super::{cached_body, path_id, render, PageResult};
use crate::api::proposals::{date_part, xlsx_file, year_or_today, ListQuery, PublicQuery};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::{Form, Router};
use luoshi_app::procedures::proposals::PROPOSALS;
use luoshi_app::proposals::batch::BatchLine;
use luoshi_app::proposals::disclosure::PublicReply;
use luoshi_app::proposals::register::{NewProposal, NewProposer};
use luoshi_app::proposals::reports::{Bulletin, UnitSummary};
use luoshi_app::proposals::standards::{Figure, Side, StandardsView};
use luoshi_app::proposals::views::{Detail, Filter, Inbox, Summary};
use luoshi_app::proposals::xlsx::MAX_UPLOAD_BYTES;
use luoshi_app::{App, Viewer};
use luoshi_domain::{Error, ErrorKind, Role};
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use std::collections::HashMap;

const PER_PAGE: usize = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/proposals", get(list))
        .route("/proposals/new", get(new_form).post(new_submit))
        .route(
            "/proposals/import",
            get(import_form)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + (1 << 16))),
        )
        .route("/proposals/template.xlsx", get(template))
        .route("/proposals/assign", get(assign_sheet).post(assign_submit))
        .route("/proposals/standards", get(standards))
        .route("/proposals/standards.xlsx", get(standards_xlsx))
        .route("/proposals/standards/items", get(standards_items))
        .route("/proposals/annual", get(annual))
        .route("/proposals/annual.xlsx", get(annual_xlsx))
        .route("/proposals/bulletin", get(bulletin))
        .route("/proposals/bulletin.xlsx", get(bulletin_xlsx))
        .route("/proposals/summary", get(unit_summary))
        .route("/proposals/summary.xlsx", get(unit_summary_xlsx))
        .route("/proposals/{id}", get(item))
        .route("/proposals/{id}/act", item_action::route(act))
        .route("/proposals/{id}/letter/{reply}", get(letter))
        .route("/public/replies", get(public_list))
        .route("/public/replies/{id}", get(public_one))
}

fn is_office(auth: &Auth) -> bool {
    auth.viewer.user().is_some_and(|u| u.sees_all_units())
}

fn state_tag(s: &Summary) -> Markup {
    let tone = match s.state.as_str() {
        "closed" | "evaluated" | "formal_replied" | "replied" => Tone::Ok,
        "dissatisfied" | "returned" => Tone::Bad,
        _ => Tone::Warn,
    };
    status(&s.state_label, tone)
}

fn due_tag(s: &Summary) -> Markup {
    let tone = match s.due_status.as_str() {
        "overdue" => Tone::Bad,
        "due_soon" | "due_today" => Tone::Warn,
        _ => Tone::Ok,
    };
    html! {
        @if s.reply_due.is_some() { (status(&s.due_label, tone)) }
        @if s.unexplained_overdue { " " (tag("逾期未说明")) }
        @if s.delay_explained { " " (tag("已书面说明")) }
    }
}

fn summary_rows(items: &[Summary]) -> Markup {
    html! {
        @for s in items {
            tr id={ "p-" (s.id) } {
                td { (s.year) " " (s.source_label) (s.kind_label) " " (s.number)
                    @if s.key_item { " " (tag("重点")) } }
                td { a href={ "/proposals/" (s.id) } { (s.subject) } }
                td { (s.proposers.join("、")) }
                td { @if let Some(u) = &s.lead_unit { (u.name) }
                    @for u in &s.co_units { br; span class="muted" { "会办：" (u.name) } } }
                td { (state_tag(s)) @if s.round > 1 { " " (tag(&format!("第{}轮", s.round))) } }
                td { (s.received_date.as_deref().unwrap_or("—")) }
                td { (s.reply_due.as_deref().unwrap_or("—")) " " (due_tag(s)) }
                td { (s.class.as_deref().unwrap_or("")) " " (s.satisfaction_label.as_deref().unwrap_or("")) }
            }
        }
    }
}

const SUMMARY_HEAD: [&str; 8] = [
    "编号",
    "案由",
    "提出人",
    "承办单位",
    "状态",
    "接办",
    "答复期限",
    "类别/满意度",
];

fn list_query_string(q: &HashMap<String, String>) -> String {
    let mut parts: Vec<String> = q
        .iter()
        .filter(|(k, v)| k.as_str() != "page" && !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url(v)))
        .collect();
    parts.sort();
    parts.join("&")
}

async fn list(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Query<HashMap<String, String>>, QueryRejection>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> PageResult {
    let raw = input::query(raw)?;
    let q = input::query(q)?;
    let page = page_of(&raw);
    let unit_staff = auth
        .viewer
        .user()
        .is_some_and(|u| u.has(Role::UnitStaff) && !u.sees_all_units());
    if unit_staff && raw.keys().all(|k| k == "page") {
        return inbox(state, auth, page).await;
    }
    let filter: Filter = q.filter();
    let viewer = auth.viewer.clone();
    let office = is_office(&auth);
    let base = list_query_string(&raw);
    let part = format!("page.list|{base}|{page}");
    let body = blocking(&state, move |app| {
        cached_body(app, &app.proposals_scope(&viewer)?, &part, || {
            let items = app.proposal_list(&viewer, &filter)?;
            Ok(list_body(&raw, &items, page, office))
        })
    })
    .await?;
    Ok(render(&auth, "建议提案办理", body))
}

fn list_body(
    raw: &HashMap<String, String>,
    items: &[Summary],
    page: usize,
    office: bool,
) -> Markup {
    let pager = Pager::new(page, PER_PAGE, items.len());
    let base = list_query_string(raw);
    let v = |k: &str| raw.get(k).cloned().unwrap_or_default();
    html! {
        h1 { "建议提案办理" }
        p class="muted" { "依据 郑政办〔2020〕27号《郑州市人民政府办理人大代表建议和政协委员提案工作规定》。" }
        @if office {
            p class="noprint" {
                a href="/proposals/new" { "登记" } " · "
                a href="/proposals/import" { "批量登记（Excel）" } " · "
                a href="/proposals/assign" { "交办会批量交办" } " · "
                a href="/proposals?overdue=true" { "逾期未答复" } " · "
                a href="/proposals/standards" { "五项标准" } " · "
                a href="/proposals/bulletin" { "季度通报" } " · "
                a href="/proposals/summary" { "单位总结" } " · "
                a href="/proposals/annual" { "年度报告" }
            }
        }
        form method="get" action="/proposals" class="inline noprint" id="filter" {
            input name="year" value=(v("year")) placeholder="年度" aria-label="年度" size="5";
            input name="subject" value=(v("subject")) placeholder="案由关键词" aria-label="案由关键词";
            select name="kind" aria-label="类别" {
                option value="" { "全部类别" }
                @for k in ["建议", "提案", "建议案"] { option value=(k) selected[v("kind") == k] { (k) } }
            }
            select name="status" aria-label="状态" {
                option value="" { "全部状态" }
                @for s in PROPOSALS.states { option value=(s.name) selected[v("status") == s.name] { (s.label) } }
            }
            select name="session" aria-label="会期" {
                option value="" { "会议与闭会期间" }
                option value="session" selected[v("session") == "session"] { "会议期间" }
                option value="recess" selected[v("session") == "recess"] { "闭会期间" }
            }
            @if office { input name="unit" value=(v("unit")) placeholder="承办单位编号" aria-label="承办单位"; }
            label { input type="checkbox" name="overdue" value="true" checked[v("overdue") == "true"]; "仅逾期" }
            button type="submit" { "筛选" }
        }
        p { "共 " (items.len()) " 件。" }
        (table(&SUMMARY_HEAD, summary_rows(&items[pager.range()])))
        (pager.links(|n| format!("/proposals?{base}&page={n}")))
    }
}

/// A unit's inbox, the most urgent first, a page of [`PER_PAGE`] items at a time (a unit with
/// hundreds of open items would otherwise get every deadline's explanation at once).
async fn inbox(state: AppState, auth: Auth, page: usize) -> PageResult {
    let viewer = auth.viewer.clone();
    let body = blocking(&state, move |app| {
        let part = format!("page.inbox|{page}");
        cached_body(app, &app.proposals_scope(&viewer)?, &part, || {
            Ok(inbox_body(&app.proposal_inbox(&viewer, None)?, page))
        })
    })
    .await?;
    Ok(render(&auth, "建议提案待办", body))
}

fn inbox_body(b: &Inbox, page: usize) -> Markup {
    let pager = Pager::new(page, PER_PAGE, b.items.len());
    html! {
        h1 { (b.unit.name) " 建议提案待办" }
        p class="muted" { "今天 " (b.today) "。按答复期限排列；每个期限下可展开其计算依据（郑政办〔2020〕27号 第七条、第十九条与法定节假日、调休）。" }
        p class="noprint" { a href={ "/proposals?unit=" (url(&b.unit.id)) } { "本单位全部建议提案" } " · "
            a href={ "/proposals/standards?unit=" (url(&b.unit.id)) } { "本单位五项标准" } " · "
            a href="/proposals/bulletin" { "季度通报" } " · "
            a href="/proposals/summary" { "本单位年度总结" } }
        p { "待办 " (b.items.len()) " 件。" }
        (table(&["编号", "案由", "待办", "退回期限", "答复期限", "状态"], html! {
            @for s in &b.items[pager.range()] {
                tr id={ "p-" (s.id) } {
                    td { (s.source_label) (s.kind_label) " " (s.number) @if s.key_item { " " (tag("重点")) } }
                    td { a href={ "/proposals/" (s.id) } { (s.subject) } }
                    td { @for t in &s.todo { div { (t) } } }
                    td { (s.return_due.as_deref().unwrap_or("—"))
                        @if let Some(e) = &s.return_explanation { details { summary { "计算" } pre class="explain" { (e) } } } }
                    td { (s.reply_due.as_deref().unwrap_or("—")) " " (due_tag(s))
                        @if let Some(e) = &s.reply_explanation { details { summary { "计算" } pre class="explain" { (e) } } } }
                    td { (state_tag(s)) }
                }
            }
        }))
        (pager.links(|n| format!("/proposals?page={n}")))
    }
}

// ---------------------------------------------------------------------------------------------
// Registration.

#[derive(Debug, Default, Clone, Deserialize)]
struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    session: String,
    #[serde(default)]
    session_name: String,
    #[serde(default)]
    key_item: Option<String>,
    #[serde(default)]
    needs_instruction: Option<String>,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    text: String,
    /// One proposer a line: 姓名，单位，联系方式，账号 (the last three optional).
    #[serde(default)]
    proposers: String,
}

csrf_forms!(RegisterForm);

fn proposer_lines(s: &str) -> Vec<NewProposer> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.split([',', '，', '\t']).map(str::trim);
            let mut next = || parts.next().unwrap_or("").to_string();
            let name = next();
            let affiliation = next();
            let contact = next();
            let username = Some(next()).filter(|u| !u.is_empty());
            NewProposer {
                name,
                affiliation,
                contact,
                username,
                ..NewProposer::default()
            }
        })
        .collect()
}

impl RegisterForm {
    fn entry(&self) -> Result<NewProposal, Error> {
        let year =
            self.year.trim().parse::<i64>().map_err(|_| {
                Error::bad_input("E_INPUT", format!("年度“{}”应为四位数字", self.year))
            })?;
        Ok(NewProposal {
            year,
            number: self.number.trim().into(),
            source: self.source.trim().into(),
            kind: self.kind.trim().into(),
            session: self.session.trim().into(),
            session_name: self.session_name.trim().into(),
            key_item: self.key_item.is_some(),
            needs_instruction: self.needs_instruction.is_some(),
            subject: self.subject.trim().into(),
            text: self.text.trim().into(),
            proposers: proposer_lines(&self.proposers),
        })
    }
}

fn register_body(auth: &Auth, f: &RegisterForm, error: Option<&Error>) -> Markup {
    let sources = [
        "市人大",
        "市政协",
        "省人大",
        "省政协",
        "全国人大",
        "全国政协",
    ];
    html! {
        p class="muted noprint" { a href="/proposals" { "建议提案办理" } " › 登记" }
        h1 { "登记建议提案" }
        @if let Some(e) = error {
            div class="error" role="alert" id="action-error" { p { (e.message) } p class="muted" { "错误代码：" code { (e.code) } } }
        }
        form method="post" action="/proposals/new" class="stack" id="form-register" {
            (csrf_field(auth.csrf.as_deref()))
            label { "年度" input name="year" value=(f.year) required; }
            label { "编号" input name="number" value=(f.number) required; }
            label { "来源" select name="source" {
                @for s in sources { option value=(s) selected[f.source == s] { (s) } } } }
            label { "类别" select name="kind" {
                @for k in ["建议", "提案", "建议案"] { option value=(k) selected[f.kind == k] { (k) } } } }
            label { "提出时间" select name="session" {
                option value="会议期间" selected[f.session != "闭会期间"] { "会议期间" }
                option value="闭会期间" selected[f.session == "闭会期间"] { "闭会期间" } } }
            (text_field("session_name", "会议名称（如 市十五届人大四次会议）", &f.session_name, false))
            label { input type="checkbox" name="key_item" value="1" checked[f.key_item.is_some()]; "重点建议/重点提案" }
            label { input type="checkbox" name="needs_instruction" value="1" checked[f.needs_instruction.is_some()];
                "涉及改革、开放和经济发展全局或群众生活重大事项，须提请分管领导阅批后交办（第六条）" }
            (text_field("subject", "案由", &f.subject, true))
            label { "内容" textarea name="text" rows="8" required { (f.text) } }
            label { "提出人（每行一人：姓名，所在代表团/界别，联系方式，系统账号；联名的依次列出）"
                textarea name="proposers" rows="4" required { (f.proposers) } }
            button type="submit" { "登记" }
        }
    }
}

async fn new_form(auth: Auth) -> PageResult {
    let f = RegisterForm {
        year: "2020".into(),
        ..RegisterForm::default()
    };
    Ok(render(
        &auth,
        "登记建议提案",
        register_body(&auth, &f, None),
    ))
}

async fn new_submit(State(state): State<AppState>, p: Posted<RegisterForm>) -> PageResult {
    let (auth, f) = p.open_form()?;
    let viewer = auth.viewer.clone();
    let outcome = match f.entry() {
        Ok(e) => blocking(&state, move |app| app.proposal_register(&viewer, &e)).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(r) => {
            let dup = if r.duplicates.is_empty() {
                String::new()
            } else {
                format!("&duplicates={}", r.duplicates.len())
            };
            Ok(Redirect::to(&format!("/proposals/{}?done=register{dup}", r.id)).into_response())
        }
        Err(e) if e.kind == ErrorKind::BadInput => Ok((
            crate::error::status(&e),
            render(&auth, "登记建议提案", register_body(&auth, &f, Some(&e))),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

fn import_body(auth: &Auth, message: Option<Markup>) -> Markup {
    html! {
        p class="muted noprint" { a href="/proposals" { "建议提案办理" } " › 批量登记" }
        h1 { "批量登记（Excel 登记表）" }
        (message.unwrap_or_default())
        p { "会后由建议提案处按登记表一次登记。全部各行无误才登记，否则一件不登记，并逐行列出问题。"
            a href="/proposals/template.xlsx" { "下载登记表模板" } }
        form method="post" action="/proposals/import" enctype="multipart/form-data" class="stack" id="form-import" {
            (csrf_field(auth.csrf.as_deref()))
            label { "登记表（.xlsx）" input type="file" name="file" accept=".xlsx" required; }
            label { input type="checkbox" name="dry_run" value="1"; "仅检查，并列出可能重复的已登记件" }
            button type="submit" { "上传" }
        }
    }
}

async fn import_form(auth: Auth) -> PageResult {
    if !is_office(&auth) {
        return Err(Error::forbidden("只有建议提案处可以批量登记").into());
    }
    Ok(render(&auth, "批量登记", import_body(&auth, None)))
}

async fn template(auth: Auth) -> PageResult {
    if auth.viewer.user().is_none() {
        return Err(Error::unauthenticated().into());
    }
    let bytes = luoshi_app::proposals::xlsx::template()?;
    Ok(xlsx_file("建议提案登记表模板.xlsx", bytes))
}

async fn import_upload(
    State(state): State<AppState>,
    auth: Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let mut multipart = MultipartKind::Form.open(multipart)?;
    let mut csrf = String::new();
    let mut bytes = Vec::new();
    let mut dry_run = false;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| Error::bad_input("E_INPUT", format!("表单无法读取: {}", e.body_text())))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let data = field
            .bytes()
            .await
            .map_err(|e| Error::bad_input("E_INPUT", format!("表单无法读取: {}", e.body_text())))?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&data).into_owned(),
            "file" => bytes = data.to_vec(),
            "dry_run" => dry_run = true,
            _ => {}
        }
    }
    auth.check_csrf(&csrf)?;
    let viewer = auth.viewer.clone();
    let outcome = blocking(&state, move |app| {
        app.proposal_import(&viewer, &bytes, dry_run)
    })
    .await;
    let message = match outcome {
        Ok(o) => html! {
            div class="notice" id="action-done" {
                @if o.dry_run { p { "登记表共 " (o.rows) " 行，检查无误（未登记）。" } }
                @else { p { "已登记 " (o.registered.len()) " 件（共 " (o.rows) " 行）。" a href="/proposals/assign" { "前往交办" } } }
                @if !o.duplicates.is_empty() {
                    p { "以下各行可能与已登记件重复，请核对：" }
                    ul { @for d in &o.duplicates {
                        li { "第" (d.row) "行《" (d.subject) "》：" @for x in &d.duplicates {
                            a href={ "/proposals/" (x.id) } { (x.year) "年" (x.number) "《" (x.subject) "》" } " (相似度 " (x.similarity) "%) " } }
                    } }
                }
            }
        },
        Err(e) if e.kind == ErrorKind::BadInput => html! {
            div class="error" role="alert" id="action-error" {
                pre { (e.message) }
                p class="muted" { "错误代码：" code { (e.code) } }
            }
        },
        Err(e) => return Err(e.into()),
    };
    Ok(render(&auth, "批量登记", import_body(&auth, Some(message))))
}

// ---------------------------------------------------------------------------------------------
// The 交办会 sheet.

async fn assign_sheet(State(state): State<AppState>, auth: Auth) -> PageResult {
    if !is_office(&auth) {
        return Err(Error::forbidden("只有建议提案处可以交办").into());
    }
    let viewer = auth.viewer.clone();
    let items = blocking(&state, move |app| {
        app.proposal_list(
            &viewer,
            &Filter {
                status: Some("registered".into()),
                ..Filter::default()
            },
        )
    })
    .await?;
    Ok(render(
        &auth,
        "交办会批量交办",
        assign_body(&auth, &items, None),
    ))
}

fn assign_body(auth: &Auth, items: &[Summary], message: Option<Markup>) -> Markup {
    html! {
        p class="muted noprint" { a href="/proposals" { "建议提案办理" } " › 交办会批量交办" }
        h1 { "交办会批量交办" }
        p class="muted" { "第六条：单一性问题交主管部门办理；涉及多部门的，确定一个主办单位牵头，其余为会办单位。\
            填写主办单位的件才交办，留空的不动。须先经领导阅批的件，阅批后才能交办。" }
        (message.unwrap_or_default())
        @if items.is_empty() { p { "没有待交办的件。" } }
        @else {
            form method="post" action="/proposals/assign" id="form-assign-batch" {
                (csrf_field(auth.csrf.as_deref()))
                (table(&["编号", "案由", "主办单位", "会办单位（以、分隔）", "分管副市长"], html! {
                    @for s in items {
                        tr {
                            td { (s.number) input type="hidden" name={ "version_" (s.id) } value=(s.version); }
                            td { a href={ "/proposals/" (s.id) } { (s.subject) } }
                            td { input name={ "lead_" (s.id) } aria-label={ "主办单位 " (s.number) }; }
                            td { input name={ "co_" (s.id) } aria-label={ "会办单位 " (s.number) }; }
                            td { input name={ "leader_" (s.id) } size="6" aria-label={ "分管副市长 " (s.number) }; }
                        }
                    }
                }))
                label { "接办日期（留空为今天）" input name="received_date" placeholder="2020-02-20"; }
                button type="submit" { "交办" }
            }
        }
    }
}

async fn assign_submit(
    State(state): State<AppState>,
    auth: Auth,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> PageResult {
    let f = input::form(form)?;
    auth.check_csrf(f.get("csrf").map(String::as_str).unwrap_or(""))?;
    let received = f.get("received_date").cloned().unwrap_or_default();
    let mut lines: Vec<BatchLine> = Vec::new();
    for (k, v) in &f {
        let Some(id) = k.strip_prefix("lead_").and_then(|x| x.parse::<i64>().ok()) else {
            continue;
        };
        if v.trim().is_empty() {
            continue;
        }
        let get = |p: &str| f.get(&format!("{p}{id}")).cloned().unwrap_or_default();
        lines.push(BatchLine {
            id,
            version: get("version_").trim().parse().unwrap_or(0),
            lead_unit: v.trim().into(),
            co_units: get("co_"),
            leader: get("leader_"),
            received_date: received.clone(),
        });
    }
    lines.sort_by_key(|l| l.id);
    let viewer = auth.viewer.clone();
    let (results, items) = blocking(&state, move |app| {
        let r = app.proposal_assign_batch(&viewer, &lines)?;
        let left = app.proposal_list(
            &viewer,
            &Filter {
                status: Some("registered".into()),
                ..Filter::default()
            },
        )?;
        Ok((r, left))
    })
    .await?;
    let done = results.iter().filter(|r| r.assigned).count();
    let message = html! {
        div class="notice" id="action-done" {
            p { "已交办 " (done) " 件。" }
            @let refused: Vec<_> = results.iter().filter(|r| !r.assigned).collect();
            @if !refused.is_empty() {
                p { "以下 " (refused.len()) " 件未交办：" }
                ul { @for r in refused {
                    li { a href={ "/proposals/" (r.id) } { "编号 " (r.id) } "：" (r.message.as_deref().unwrap_or(""))
                        " (" code { (r.code.as_deref().unwrap_or("")) } ")" }
                } }
            }
        }
    };
    Ok(render(
        &auth,
        "交办会批量交办",
        assign_body(&auth, &items, Some(message)),
    ))
}

// ---------------------------------------------------------------------------------------------
// One item.

#[derive(Debug, Deserialize)]
struct DoneQuery {
    done: Option<String>,
    duplicates: Option<usize>,
}

async fn item(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    q: Result<Query<DoneQuery>, QueryRejection>,
) -> PageResult {
    let id = path_id(raw, "建议提案")?;
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let d = blocking(&state, move |app| app.proposal_detail(&viewer, id)).await?;
    let mut notice = q.done.as_deref().map(|a| action_label(a).to_string());
    if let (Some(n), Some(k)) = (notice.as_mut(), q.duplicates) {
        n.push_str(&format!("。注意：有 {k} 件已登记件可能与此件重复，见下方"));
    }
    Ok(render(
        &auth,
        &d.item.subject,
        item_page(&auth, &d, notice.as_deref(), None, &Draft::default()),
    ))
}

fn action_label(a: &str) -> &str {
    match a {
        "register" => "登记",
        other => PROPOSALS.action(other).map(|x| x.label).unwrap_or(other),
    }
}

/// A field of an action form: (name, label, kind).
enum Input {
    Text(&'static str, &'static str),
    Area(&'static str, &'static str),
    Date(&'static str, &'static str),
    Choice(&'static str, &'static str, &'static [&'static str]),
    Check(&'static str, &'static str),
}

/// The fields each action asks for, beyond the note.
fn inputs(action: &str) -> (&'static [Input], Option<&'static str>) {
    use Input::*;
    match action {
        "route-instruction" => (&[Text("leader", "分管领导")], Some("说明")),
        "instruct" => (&[], Some("阅批意见")),
        "assign" => (
            &[
                Text("lead_unit", "主办单位"),
                Text("co_units", "会办单位（以、分隔）"),
                Text("leader", "分管副市长"),
                Date("received_date", "接办日期（留空为今天）"),
            ],
            Some("交办说明"),
        ),
        "request-return" => (&[], Some("退转理由（第七条，须说明）")),
        "approve-return" | "refuse-return" => (&[], Some("审核意见")),
        "amend" => (
            &[
                Area("text", "内容"),
                Check("key_item", "重点建议/重点提案"),
                Check("needs_instruction", "须领导阅批"),
            ],
            Some("更正原因"),
        ),
        "cosign" => (&[Area("opinion", "会签意见")], None),
        "record-meeting" => (
            &[
                Date("met_date", "沟通日期"),
                Choice(
                    "form",
                    "方式（第十四条：面对面地沟通）",
                    &["当面沟通", "座谈会", "实地察看", "登门走访"],
                ),
                Area("summary", "沟通情况"),
            ],
            None,
        ),
        "explain-delay" => (
            &[
                Area("difficulties", "遇到的困难"),
                Area("measures", "采取的措施"),
                Date("expected_date", "预计办结日期"),
            ],
            None,
        ),
        "reply" => (
            &[
                Choice(
                    "class",
                    "类别（第十条，首页右上角标明）",
                    &["A", "B", "C", "D"],
                ),
                Area("text", "答复正文"),
                Area("summary", "答复摘要（摘要公开时使用）"),
                Text("signer", "签发人"),
                Text("contact_person", "联系人"),
                Text("contact_phone", "联系电话"),
                Text("letter_no", "函号"),
            ],
            None,
        ),
        "send-back" => (&[], Some("退回意见")),
        "approve" => (&[], Some("审核意见")),
        "feedback" => (
            &[
                Choice("rating", "满意程度", &["满意", "基本满意", "不满意"]),
                Area("comment", "意见"),
                Text("proposer_id", "提出人编号（代填纸质征求意见表时）"),
            ],
            None,
        ),
        "compile-formal" => (
            &[
                Area("formal_text", "正式答复文本"),
                Text("letter_no", "文号"),
                Text("leader", "签发副市长"),
            ],
            None,
        ),
        "redo" => (
            &[Date("due", "重新答复期限")],
            Some("退回重新办理的理由（第十条、第十八条）"),
        ),
        "publish" => (
            &[
                Choice("mode", "公开方式（第二十条）", &["全文", "摘要"]),
                Check("redact", "个人信息检查有发现时，遮盖后公开"),
            ],
            None,
        ),
        "withhold" => (
            &[Check("secret", "涉及国家秘密")],
            Some("不予公开的理由（须说明）"),
        ),
        "close" => (&[], Some("办结说明")),
        _ => (&[], Some("说明")),
    }
}

fn action_form(auth: &Auth, d: &Detail, action: &str, label: &str, draft: &Draft) -> Markup {
    let (list, note) = inputs(action);
    html! {
        details class="act" open[draft.action == action] {
            summary { (label) }
            form method="post" action={ "/proposals/" (d.item.id) "/act" } enctype="multipart/form-data"
                class="stack" id={ "form-" (action) } {
                (csrf_field(auth.csrf.as_deref()))
                input type="hidden" name="action" value=(action);
                input type="hidden" name="version" value=(d.item.version);
                @for i in list {
                    @match i {
                        Input::Text(n, l) => { (text_field(n, l, draft.get(action, n), false)) }
                        Input::Area(n, l) => { (area_field(n, l, draft.get(action, n), false)) }
                        Input::Date(n, l) => { label { (l) input type="date" name=(n) value=(draft.get(action, n)); } }
                        Input::Choice(n, l, options) => {
                            label { (l) select name=(n) {
                                @for o in *options { option value=(o) selected[draft.get(action, n) == *o] { (o) } } } }
                        }
                        Input::Check(n, l) => { label { input type="checkbox" name=(n) value="1" checked[!draft.get(action, n).is_empty()]; (l) } }
                    }
                }
                @if let Some(n) = note { (area_field("note", n, draft.note(action), false)) }
                button type="submit" { (label) }
            }
        }
    }
}

fn item_page(
    auth: &Auth,
    d: &Detail,
    done: Option<&str>,
    error: Option<&Error>,
    draft: &Draft,
) -> Markup {
    let i = &d.item;
    html! {
        p class="muted noprint" { a href="/proposals" { "建议提案办理" } " › " (i.year) "年" (i.source_label) (i.kind_label) }
        h1 { (i.source_label) (i.kind_label) "第" (i.number) "号：" (i.subject) }
        @if let Some(e) = error {
            div class="error" role="alert" id="action-error" {
                p { (e.message) }
                p class="muted" { "错误代码：" code { (e.code) }
                    @if e.kind == ErrorKind::Conflict { "。您填写的内容保留在下方表单中。" } }
            }
        }
        @if let Some(a) = done { p class="notice" id="action-done" { "已完成操作：" (a) } }
        (fields([
            ("状态", html! { (state_tag(i)) " 第" (i.round) "轮" }),
            ("来源", html! { (i.source_label) " · " (i.session_label) " " (i.session_name) @if i.key_item { " " (tag("重点")) } }),
            ("提出人", html! { @for (n, p) in d.proposers.iter().enumerate() {
                @if n > 0 { "；" } (p.name) " " span class="muted" { (p.affiliation) " " (p.contact) } @if p.linked { " " (tag("有账号")) } } }),
            ("主办单位", html! { @if let Some(u) = &i.lead_unit { (u.name) } @else { "—" } }),
            ("会办单位", html! { @for (n, u) in i.co_units.iter().enumerate() { @if n > 0 { "、" } (u.name) } }),
            ("分管副市长", html! { (i.leader.as_deref().unwrap_or("—")) }),
            ("答复期限", html! { (i.reply_due.as_deref().unwrap_or("—")) " " (due_tag(i)) }),
            ("类别与满意度", html! { (i.class.as_deref().unwrap_or("—")) " " (i.satisfaction_label.as_deref().unwrap_or("")) }),
            ("版本", html! { (i.version) }),
        ]))
        details { summary { "内容" } pre class="explain" { (d.text) } }
        @if !d.actions.is_empty() {
            section class="noprint" id="actions" {
                h2 { "办理" }
                @for a in &d.actions { (action_form(auth, d, a.name, a.label, draft)) }
            }
        }
        h2 { "办理轮次与时限" }
        (table(&["轮次", "缘由", "主办/会办", "接办", "退转期限", "答复期限与计算", "答复日期"], html! {
            @for r in &d.rounds {
                tr {
                    td { "第" (r.round.round) "轮" }
                    td { (r.reason_label) " " span class="muted" { (r.round.note) } }
                    td { (r.lead_unit_name.as_deref().unwrap_or("—")) @for c in &r.co_unit_names { br; span class="muted" { "会办：" (c) } } }
                    td { (r.round.received_date) }
                    td { (r.round.return_due.as_deref().unwrap_or("—"))
                        @if !r.round.return_explanation.is_empty() { details { summary { "计算" } pre class="explain" { (r.round.return_explanation) } } } }
                    td { (r.round.reply_due) " " (r.reply_due_label)
                        details { summary { "计算" } pre class="explain" { (r.reply_explanation) } } }
                    td { (r.round.replied_date.as_deref().unwrap_or("—")) }
                }
            }
        }))
        h2 { "答复" }
        @if d.replies.is_empty() { p class="muted" { "尚未答复。" } }
        @for r in d.replies.iter().rev() {
            article class="report" id={ "reply-" (r.reply.id) } {
                h3 { "第" (r.reply.round) "轮答复 " (tag(&r.reply.class)) " " (tag(&r.status_label)) }
                p class="muted" { (r.unit_name) " · " (r.reply.drafted_by) " 拟稿于 " (r.reply.drafted_at)
                    @if let Some(a) = &r.reply.approved_by { "；" (a) " 审查" }
                    @if let Some(a) = &r.reply.leader_by { "；" (a) " 审核" }
                    @if let Some(s) = &r.reply.sent_date { "；函复于 " (s) } }
                p { (r.class_meaning) }
                @if let Some(n) = &r.reply.review_note { p class="review-note" { "审核意见：" (n) } }
                pre class="explain" { (r.reply.text) }
                p class="noprint" { a href={ "/proposals/" (i.id) "/letter/" (r.reply.id) } { "打印答复函（附征求意见表）" } }
            }
        }
        @if !d.records.cosigns.is_empty() || !d.records.meetings.is_empty() || !d.records.delays.is_empty()
            || !d.records.feedback.is_empty() || !d.records.returns.is_empty() {
            h2 { "会签、沟通、说明、反馈与退转" }
            ul {
                @for c in &d.records.cosigns { li { "第" (c.round) "轮会签（" (c.unit_id.as_deref().unwrap_or("")) "）：" (c.opinion) } }
                @for m in &d.records.meetings { li { "第" (m.round) "轮见面沟通 " (m.met_date) "（" (m.form) "）：" (m.summary) } }
                @for x in &d.records.delays { li { "第" (x.round) "轮延期说明 " (x.explained_date) "：" (x.difficulties) "；措施：" (x.measures) } }
                @for f in &d.records.feedback { li { "第" (f.round) "轮反馈：" (f.rating) " " (f.comment) " (" (f.channel) ")" } }
                @for r in &d.records.returns { li { "第" (r.round) "轮申请退回 " (r.requested_date) "：" (r.reason) " → " (r.status) " " (r.decision_note.as_deref().unwrap_or("")) } }
            }
        }
        @if !d.disclosures.is_empty() {
            h2 { "公开" }
            ul { @for x in &d.disclosures {
                li { (x.mode) @if x.is_current { " " (tag("当前")) } " " (x.reason)
                    @if x.is_current && matches!(x.mode.as_str(), "full" | "summary") { " " a href={ "/public/replies/" (i.id) } { "公开页面" } } }
            } }
        }
        h2 { "抄报（第十条）" }
        p { (d.copies.recipients.join("、")) }
        h2 { "办理记录" }
        (table(&["时间", "操作人", "操作", "状态变化", "说明"], html! {
            @for e in d.events.iter().rev() {
                tr {
                    td { (e.at) }
                    td { (e.actor) }
                    td { (action_label(&e.action)) }
                    td { (PROPOSALS.state_label(&e.from_state)) " → " (PROPOSALS.state_label(&e.to_state)) }
                    td { (e.note.as_deref().unwrap_or("")) }
                }
            }
        }))
    }
}

async fn act(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let id = path_id(raw, "建议提案")?;
    let (mut input, draft) = read_action(&auth, multipart).await?;
    input
        .fields
        .retain(|_, v| v.as_str().is_none_or(|s| !s.trim().is_empty()));
    let viewer = auth.viewer.clone();
    let done = format!("/proposals/{id}?done={}", url(&input.action));
    let outcome = blocking(&state, move |app| app.proposal_act(&viewer, id, &input)).await;
    let detail = move |app: &App, viewer: &Viewer| app.proposal_detail(viewer, id);
    item_action::answer(&state, &auth, outcome, &done, detail, |d, e| {
        let page = item_page(&auth, d, None, Some(e), &draft);
        (d.item.subject.clone(), page)
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// The printable reply letter (第十条) with the feedback form (第十一条).

async fn letter(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<(String, String)>, PathRejection>,
) -> PageResult {
    let (a, b) = raw
        .map(|Path(p)| p)
        .map_err(|_| Error::not_found("答复函"))?;
    let parse = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0);
    let (Some(id), Some(reply)) = (parse(&a), parse(&b)) else {
        return Err(Error::not_found("答复函").into());
    };
    let viewer = auth.viewer.clone();
    let d = blocking(&state, move |app| app.proposal_detail(&viewer, id)).await?;
    let r = d
        .replies
        .iter()
        .find(|r| r.reply.id == reply)
        .ok_or_else(|| Error::not_found(format!("答复函（编号 {reply}）")))?;
    let i = &d.item;
    let names: Vec<&str> = d.proposers.iter().map(|p| p.name.as_str()).collect();
    let body = html! {
        article class="letter" {
            p class="class-mark" id="class-mark" { (r.reply.class) }
            p class="center" { (r.unit_name) }
            @if !r.reply.letter_no.is_empty() { p class="center" { (r.reply.letter_no) } }
            h1 class="center" { "关于" (i.session_name) "第" (i.number) "号" (i.kind_label) "的答复" }
            p { (names.join("、")) (if i.kind == "提案" { "委员" } else { "代表" }) "：" }
            p { "您提出的《" (i.subject) "》收悉。现答复如下：" }
            @for para in r.reply.text.split('\n').filter(|p| !p.trim().is_empty()) { p { (para.trim()) } }
            p { "衷心感谢您对我们工作的关心和支持。" }
            p class="right" { (r.unit_name) br; (r.reply.sent_date.as_deref().unwrap_or(&r.reply.drafted_at[..10.min(r.reply.drafted_at.len())])) }
            p { "签发人：" (r.reply.signer) " 联系人：" (r.reply.contact_person) " 联系电话：" (r.reply.contact_phone) }
            p { "抄报：" (d.copies.recipients.join("、")) }
        }
        div class="page-break" {}
        article class="letter" id="feedback-form" {
            h1 class="center" { "征求意见表" }
            p class="muted" { "郑政办〔2020〕27号 第十一条：函复时附《征求意见表》，了解代表委员对办理和答复工作的意见。" }
            (fields([
                ("建议/提案", html! { (i.source_label) (i.kind_label) "第" (i.number) "号《" (i.subject) "》" }),
                ("提出人", html! { (names.join("、")) }),
                ("承办单位", html! { (r.unit_name) }),
                ("是否见面沟通", html! { "□ 是　□ 否" }),
                ("对办理结果", html! { "□ 满意　□ 基本满意　□ 不满意" }),
                ("意见和建议", html! { (PreEscaped("<br><br><br><br>")) }),
                ("签名与日期", html! { (PreEscaped("<br><br>")) }),
            ]))
            p class="muted" { "请填写后寄回市政府办公厅建议提案处；有账号的代表委员也可登录系统在线反馈。" }
        }
        p class="noprint" { a href={ "/proposals/" (i.id) } { "返回" } " · 打印：使用浏览器的打印功能。" }
    };
    Ok(render(&auth, "答复函", body))
}

// ---------------------------------------------------------------------------------------------
// The five standards, the annual report.

#[derive(Debug, Deserialize)]
struct StandardsQuery {
    year: Option<i64>,
    unit: Option<String>,
}

fn pct(f: &Figure) -> Markup {
    let r = &f.result;
    let tone = match r.met {
        Some(true) => Tone::Ok,
        Some(false) if r.in_principle => Tone::Warn,
        Some(false) => Tone::Bad,
        None => Tone::Ok,
    };
    html! {
        @match &r.rate_percent {
            Some(p) => { (status(&format!("{p}%"), tone)) }
            None => { span class="muted" { "不适用" } }
        }
        " " span class="muted" { (r.count) "/" (r.total) }
    }
}

/// The five standards (第十六条) as a table: each figure, its result and its threshold.
fn figures_table(figures: &[Figure]) -> Markup {
    table(
        &["指标", "结果", "标准"],
        html! {
            @for f in figures { tr { td { (f.result.standard) } td { (pct(f)) } td { (f.result.threshold_percent) "%" } } }
        },
    )
}

fn standards_body(v: &StandardsView) -> Markup {
    let figures = &v.overall.figures;
    let drill = |unit: Option<&str>, figure: &str, side: &str, n: usize| -> Markup {
        html! {
            @if n > 0 {
                a href={ "/proposals/standards/items?year=" (v.year) "&figure=" (url(figure)) "&side=" (side)
                    @if let Some(u) = unit { "&unit=" (url(u)) } } { (n) }
            } @else { "0" }
        }
    };
    html! {
        h1 { (v.year) "年建议提案承办标准（第十六条）" }
        p class="muted" { "截至 " (v.as_of) "。" (v.citation) "。" (v.counting) " " (v.satisfaction) }
        p class="noprint" { a href={ "/proposals/standards.xlsx?year=" (v.year) } { "导出 Excel" } }
        table {
            thead { tr {
                th { "承办单位" } th { "件数" }
                @for f in figures { th { (f.result.standard) br; span class="muted" { "标准 " (f.result.threshold_percent) "%" } } }
                th { "拉低指标的件" }
            } }
            tbody {
                @for u in std::iter::once(&v.overall).chain(v.units.iter()) {
                    @let uid = u.unit.as_ref().map(|x| x.id.as_str());
                    tr {
                        td { @match &u.unit { Some(x) => { a href={ "/proposals/standards?year=" (v.year) "&unit=" (url(&x.id)) } { (x.name) } } None => { strong { "全市" } } }
                            @if !u.all_met { " " (tag("未达标")) } }
                        td { (u.items) }
                        @for f in &u.figures { td { (pct(f)) } }
                        td { @for f in &u.figures { @if !f.short.is_empty() {
                            div { (f.result.item) "：" (drill(uid, f.result.item, "short", f.short.len())) } } } }
                    }
                }
            }
        }
    }
}

async fn standards(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<StandardsQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let unit = q.unit.filter(|u| !u.trim().is_empty());
    let part = format!("page.standards|{:?}|{unit:?}", q.year);
    let body = blocking(&state, move |app| {
        cached_body(app, &app.proposals_scope(&viewer)?, &part, || {
            Ok(standards_body(&app.proposal_standards(
                &viewer,
                q.year,
                unit.as_deref(),
            )?))
        })
    })
    .await?;
    Ok(render(&auth, "五项标准", body))
}

async fn standards_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<StandardsQuery>, QueryRejection>,
) -> PageResult {
    let year = input::query(q)?.year;
    let viewer = auth.viewer.clone();
    let bytes = blocking(&state, move |app| {
        app.proposal_standards_xlsx(&viewer, year)
    })
    .await?;
    Ok(xlsx_file("建议提案五项标准.xlsx", bytes))
}

#[derive(Debug, Deserialize)]
struct ItemsQuery {
    year: Option<i64>,
    unit: Option<String>,
    figure: String,
    side: Option<String>,
}

async fn standards_items(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ItemsQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let side = Side::parse(q.side.as_deref().unwrap_or("short"))
        .ok_or_else(|| Error::bad_input("E_INPUT", "side 应为 counted、short 或 pending"))?;
    let viewer = auth.viewer.clone();
    let unit = q.unit.filter(|u| !u.trim().is_empty());
    let figure = q.figure.clone();
    let items = blocking(&state, move |app| {
        app.proposal_standards_items(&viewer, q.year, unit.as_deref(), &figure, side)
    })
    .await?;
    let body = html! {
        p class="muted noprint" { a href="/proposals/standards" { "五项标准" } }
        h1 { (q.figure) "：" (side.label()) "的件（" (items.len()) "件）" }
        (table(&SUMMARY_HEAD, summary_rows(&items)))
    };
    Ok(render(&auth, "五项标准下钻", body))
}

#[derive(Debug, Deserialize)]
struct YearQuery {
    year: Option<i64>,
}

async fn annual(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> PageResult {
    let viewer = auth.viewer.clone();
    let asked = input::query(q)?.year;
    let r = blocking(&state, move |app| {
        app.proposal_annual_report(&viewer, year_or_today(app, asked))
    })
    .await?;
    let t = &r.totals;
    let map = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}件"))
            .collect::<Vec<_>>()
            .join("，")
    };
    let body = html! {
        h1 { (r.year) "年办理人大代表建议和政协委员提案工作总结" }
        p class="muted" { (r.citation) "。截至 " (r.as_of) "。经政府主要领导审核后，向市人大常委会书面报告、向市政协书面通报。" }
        (report_links(&format!("/proposals/annual.xlsx?year={}", r.year)))
        p { "全年共承办 " (t.items) " 件（" (map(&t.by_source)) "；" (map(&t.by_kind)) "），其中会议期间 " (t.session) " 件、闭会期间 " (t.recess)
            " 件，重点件 " (t.key_items) " 件。已交办 " (t.assigned) " 件，已答复 " (t.replied) " 件；答复类别：" (map(&t.by_class))
            "。代表委员反馈：" (map(&t.by_satisfaction)) "。重新办理 " (t.redo_rounds) " 轮，同意退回 " (t.returns_approved)
            " 件；见面沟通 " (t.met_in_person) " 件；公开答复 " (t.published) " 件，不予公开 " (t.withheld) " 件。" }
        h2 { "五项标准" }
        (figures_table(&r.overall.figures))
        h2 { "各承办单位" }
        (table(&["承办单位", "件数", "达标", "须书面总结（第十二条）"], html! {
            @for u in &r.units { tr {
                td { @if let Some(x) = &u.unit { (x.name) } }
                td { (u.items) }
                td { @if u.all_met { "是" } @else { (tag("未达标")) } }
                td { @if u.summary_required { "是" } @else { "否" } }
            } }
        }))
    };
    Ok(render(&auth, "年度报告", body))
}

fn report_links(xlsx: &str) -> Markup {
    html! {
        p class="noprint" { a href=(xlsx) { "导出 Excel" } " · 打印：使用浏览器的打印功能（A4）。" }
    }
}

async fn annual_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> PageResult {
    let asked = input::query(q)?.year;
    year_xlsx(
        &state,
        &auth,
        asked,
        "建议提案办理工作总结",
        |app, viewer, year| app.proposal_annual_xlsx(viewer, year),
    )
    .await
}

/// An Excel export of a year (the one asked for, else the business date's) named
/// `<year>年<name>.xlsx`.
async fn year_xlsx(
    state: &AppState,
    auth: &Auth,
    asked: Option<i64>,
    name: &str,
    make: impl FnOnce(&App, &Viewer, i64) -> luoshi_app::Result<Vec<u8>> + Send + 'static,
) -> PageResult {
    let viewer = auth.viewer.clone();
    let (year, bytes) = blocking(state, move |app| {
        let year = year_or_today(app, asked);
        Ok((year, make(app, &viewer, year)?))
    })
    .await?;
    Ok(xlsx_file(&format!("{year}年{name}.xlsx"), bytes))
}

#[derive(Debug, Deserialize)]
struct BulletinQuery {
    #[serde(default, deserialize_with = "crate::api::proposals::blank_as_none")]
    year: Option<i64>,
    #[serde(default, deserialize_with = "crate::api::proposals::blank_as_none")]
    quarter: Option<u32>,
}

/// The year and quarter asked for, or the business date's.
fn period(app: &luoshi_app::App, q: &BulletinQuery) -> (i64, u32) {
    let year = year_or_today(app, q.year);
    let quarter = q.quarter.unwrap_or_else(|| {
        if date_part(app, 0..4) == year {
            ((date_part(app, 5..7) - 1) / 3 + 1) as u32
        } else {
            4
        }
    });
    (year, quarter)
}

fn bulletin_body(b: &Bulletin, office: bool) -> Markup {
    let heads: Vec<String> = b
        .overall
        .figures
        .iter()
        .map(|f| {
            format!(
                "{}（标准 {}%）",
                f.result.standard, f.result.threshold_percent
            )
        })
        .collect();
    let mut head: Vec<&str> = vec!["承办单位", "件数", "已答复"];
    head.extend(heads.iter().map(String::as_str));
    head.push("存在问题（逾期未答复）");
    html! {
        form method="get" action="/proposals/bulletin" class="inline noprint" {
            input name="year" value=(b.year) aria-label="年度" size="5";
            select name="quarter" aria-label="季度" {
                @for q in 1..=4u32 { option value=(q) selected[q == b.quarter] { "第" (q) "季度" } }
            }
            button type="submit" { "查看" }
        }
        article class="report" id="bulletin" {
            h1 class="center" { (b.year) "年第" (b.quarter) "季度建议提案办理工作进度通报" }
            p class="muted" { (b.citation) "：每季度将各承办单位办理进度、成绩和存在问题等情况通报一次。"
                "报送：" (b.recipients) "。统计截至 " (b.as_of) "（本季度止于 " (b.period_end) "）。" }
            @if office {
                p { "全市承办 " (b.overall.items) " 件；" (if b.overall.all_met { "五项标准全部达到。" } else { "部分标准尚未达到。" }) }
            }
            (table(&head, html! {
                @if office {
                    tr { td { strong { "全市" } } td { (b.overall.items) } td { "" }
                        @for f in &b.overall.figures { td { (pct(f)) } } td { "" } }
                }
                @for l in &b.lines {
                    tr {
                        td { @if let Some(u) = &l.standards.unit { (u.name) } }
                        td { (l.standards.items) }
                        td { (l.replied) }
                        @for f in &l.standards.figures { td { (pct(f)) } }
                        td { @if l.problems.is_empty() { "无" } @else {
                            (l.problems.len()) " 件："
                            @for (k, p) in l.problems.iter().enumerate() {
                                @if k > 0 { "；" } a href={ "/proposals/" (p.id) } { (p.number) " " (p.subject) }
                            } } }
                    }
                }
            }))
        }
        (report_links(&format!("/proposals/bulletin.xlsx?year={}&quarter={}", b.year, b.quarter)))
    }
}

async fn bulletin(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<BulletinQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let office = auth
        .viewer
        .user()
        .is_some_and(|u| !u.has(Role::UnitStaff) || u.sees_all_units());
    let b = blocking(&state, move |app| {
        let (year, quarter) = period(app, &q);
        app.proposal_bulletin(&viewer, year, quarter)
    })
    .await?;
    Ok(render(&auth, "季度通报", bulletin_body(&b, office)))
}

async fn bulletin_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<BulletinQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let ((year, quarter), bytes) = blocking(&state, move |app| {
        let (year, quarter) = period(app, &q);
        Ok((
            (year, quarter),
            app.proposal_bulletin_xlsx(&viewer, year, quarter)?,
        ))
    })
    .await?;
    Ok(xlsx_file(
        &format!("{year}年第{quarter}季度建议提案办理进度通报.xlsx"),
        bytes,
    ))
}

#[derive(Debug, Deserialize)]
struct SummaryQuery {
    #[serde(default, deserialize_with = "crate::api::proposals::blank_as_none")]
    year: Option<i64>,
    #[serde(default, deserialize_with = "crate::api::proposals::blank_as_none")]
    unit: Option<String>,
}

/// The unit whose summary is asked for: the one named, else the viewer's own.
fn summary_unit(auth: &Auth, q: &SummaryQuery) -> Option<String> {
    q.unit
        .clone()
        .or_else(|| auth.viewer.user().and_then(|u| u.unit_id.clone()))
}

fn summary_body(s: &UnitSummary) -> Markup {
    let t = &s.totals;
    html! {
        article class="report" id="unit-summary" {
            h1 class="center" { (s.unit.name) " " (s.year) "年办理人大代表建议和政协委员提案工作总结" }
            p class="muted" { (s.citation) "：当年承办2件以上的机关，办理工作结束后进行一次复查和总结，及时向市政府办公厅建议提案处写出书面报告。"
                "截至 " (s.as_of) "。"
                @if s.required { (tag("须报送书面总结")) } @else { "本年承办不足2件，无须报送。" } }
            p { "本年承办 " (t.items) " 件（主办），已答复 " (t.replied) " 件，见面沟通 " (t.met_in_person) " 件，"
                "重新办理 " (t.redo_rounds) " 轮，同意退回 " (t.returns_approved) " 件；公开答复 " (t.published) " 件，不予公开 " (t.withheld) " 件。" }
            h2 { "五项标准（第十六条）" }
            (figures_table(&s.standards.figures))
            h2 { "办理件（" (s.items.len()) "）" }
            (table(&["编号", "案由", "答复类别", "满意度", "答复日期", "办理轮次"], html! {
                @for i in &s.items { tr {
                    td { (i.number) } td { a href={ "/proposals/" (i.id) } { (i.subject) } }
                    td { (i.class.as_deref().unwrap_or("—")) } td { (i.satisfaction.as_deref().unwrap_or("—")) }
                    td { (i.replied_date.as_deref().unwrap_or("—")) } td { (i.rounds) }
                } }
            }))
        }
        (report_links(&format!("/proposals/summary.xlsx?year={}&unit={}", s.year, url(&s.unit.id))))
    }
}

async fn unit_summary(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<SummaryQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    match summary_unit(&auth, &q) {
        Some(unit) => {
            let s = blocking(&state, move |app| {
                app.proposal_unit_summary(&viewer, year_or_today(app, q.year), &unit)
            })
            .await?;
            Ok(render(&auth, "单位总结", summary_body(&s)))
        }
        // The office: every unit of the year, those owing a written summary first.
        None => {
            let r = blocking(&state, move |app| {
                app.proposal_annual_report(&viewer, year_or_today(app, q.year))
            })
            .await?;
            let mut units: Vec<_> = r.units.iter().filter(|u| u.unit.is_some()).collect();
            units.sort_by_key(|u| (!u.summary_required, std::cmp::Reverse(u.items)));
            let body = html! {
                h1 { (r.year) "年承办单位办理工作总结（第十二条）" }
                p class="muted" { "当年承办2件以上的机关须在办理工作结束后复查、总结并书面报告。" }
                (table(&["承办单位", "件数", "五项标准", "须书面总结"], html! {
                    @for u in units { @if let Some(x) = &u.unit { tr {
                        td { a href={ "/proposals/summary?year=" (r.year) "&unit=" (url(&x.id)) } { (x.name) } }
                        td { (u.items) }
                        td { @if u.all_met { "全部达到" } @else { (tag("未达标")) } }
                        td { @if u.summary_required { "是" } @else { "否" } }
                    } } }
                }))
            };
            Ok(render(&auth, "单位总结", body))
        }
    }
}

async fn unit_summary_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<SummaryQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let unit = summary_unit(&auth, &q)
        .ok_or_else(|| Error::bad_input("E_INPUT", "请指定承办单位（unit）"))?;
    let name = "建议提案办理工作总结（单位）";
    year_xlsx(&state, &auth, q.year, name, move |app, viewer, year| {
        app.proposal_unit_summary_xlsx(viewer, year, &unit)
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Public pages (第二十条): structured fields only, no login.

fn public_rows(list: &[PublicReply]) -> Markup {
    html! {
        @for r in list { tr {
            td { (r.year) " " (r.source_label) (r.kind_label) " " (r.number) }
            td { a href={ "/public/replies/" (r.id) } { (r.subject) } }
            td { (r.unit_name) }
            td { (r.class) }
            td { (r.reply_date) }
            td { (r.mode_label) }
        } }
    }
}

/// The `page` of a list's query string (1 when absent or not a number).
fn page_of(raw: &HashMap<String, String>) -> usize {
    raw.get("page")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(1)
}

async fn public_list(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Query<HashMap<String, String>>, QueryRejection>,
    q: Result<Query<PublicQuery>, QueryRejection>,
) -> PageResult {
    let raw = input::query(raw)?;
    let q = input::query(q)?;
    let page = page_of(&raw);
    let year = q.year;
    let filter = q.filter();
    let (list, units) = blocking(&state, move |app| {
        Ok((app.public_replies(&filter)?, app.public_reply_units(year)?))
    })
    .await?;
    let pager = Pager::new(page, PER_PAGE, list.len());
    let base = list_query_string(&raw);
    let body = html! {
        h1 { "建议提案办理复文公开" }
        p class="muted" { "按照“谁办理、谁答复、谁公开”的原则（郑政办〔2020〕27号 第二十条），公开办理复文全文或摘要；不公开代表委员姓名、联系方式和抄送范围。" }
        form method="get" action="/public/replies" class="inline" {
            input name="subject" value=(raw.get("subject").cloned().unwrap_or_default()) placeholder="案由关键词" aria-label="案由关键词";
            select name="unit" aria-label="承办单位" {
                option value="" { "全部承办单位" }
                @for u in &units { @if let Some(id) = &u.unit_id {
                    option value=(id) selected[raw.get("unit") == Some(id)] { (u.unit_name) "（" (u.replies) "）" } } }
            }
            button type="submit" { "查询" }
        }
        (table(&["编号", "案由", "承办单位", "类别", "答复日期", "公开方式"], public_rows(&list[pager.range()])))
        (pager.links(|n| format!("/public/replies?{base}&page={n}")))
    };
    Ok(render(&auth, "建议提案办理复文公开", body))
}

async fn public_one(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = path_id(raw, "已公开的答复")?;
    let r = blocking(&state, move |app| app.public_reply(id)).await?;
    let body = html! {
        p class="muted" { a href="/public/replies" { "建议提案办理复文公开" } }
        article class="letter" id="public-reply" {
            p class="class-mark" { (r.class) }
            h1 { (r.year) "年" (r.source_label) (r.kind_label) "第" (r.number) "号《" (r.subject) "》的答复" }
            p class="muted" { (r.unit_name) " · " (r.reply_date) " · " (r.mode_label) " · " (r.class_meaning) }
            @for para in r.text.split('\n').filter(|p| !p.trim().is_empty()) { p { (para.trim()) } }
        }
    };
    Ok(render(&auth, &r.subject, body))
}
