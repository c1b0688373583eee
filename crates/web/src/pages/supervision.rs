//! Supervision pages (督查督办): the office's dashboard, item lists by leader, unit and chapter,
//! one item with its clocks, reports and history and the forms of the actions the viewer may
//! take, the Excel ledger both ways, the office's settings, notices and attachments.
//!
//! Every form posts to one address per item (`/supervision/items/{id}/act`) with the version the
//! viewer saw; a refused action re-renders the page with the error and every value typed, so
//! nothing is lost (a stale version answers 409).

use super::item_action::{self, read_action, Draft};
use super::layout::{csrf_field, fields, status, table, tag, url, Pager, Tone};
use super::posted::{csrf_forms, MultipartKind, Posted};
use super::{cached_body, path_id, render, PageResult};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use luoshi_app::cases::attachments::MAX_BYTES;
use luoshi_app::cases::clocks::ClockStatus;
use luoshi_app::supervision::views::{
    Dashboard, Filter, ItemDetail, ItemSummary, Line, OwnerRef, Punctuality,
};
use luoshi_app::supervision::ItemStatus;
use luoshi_app::{App, Viewer};
use luoshi_domain::{Error, ErrorKind};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervision", get(dashboard))
        .route("/supervision/items", get(items))
        .route("/supervision/items.csv", get(items_csv))
        .route("/supervision/items/{id}", get(item))
        .route("/supervision/items/{id}/act", item_action::route(act))
        .route("/supervision/ledger.xlsx", get(ledger_xlsx))
        .route(
            "/supervision/ledger",
            get(ledger_form)
                .post(ledger_upload)
                .layer(DefaultBodyLimit::max(
                    luoshi_app::supervision::ledger::MAX_UPLOAD_BYTES + (1 << 16),
                )),
        )
        .route("/supervision/settings", get(settings).post(save_settings))
        .route("/attachments/{sha}", get(attachment))
        .route("/notices", get(notices).post(read_notices))
}

/// The tone of an item status tag.
pub fn status_tag(s: ItemStatus) -> Markup {
    let tone = match s {
        ItemStatus::Completed => Tone::Ok,
        ItemStatus::InProgress | ItemStatus::NotStarted => Tone::Warn,
        ItemStatus::Behind | ItemStatus::Overdue => Tone::Bad,
    };
    status(s.label(), tone)
}

fn clock_tag(s: ClockStatus) -> Markup {
    let tone = match s {
        ClockStatus::Met | ClockStatus::OnTime | ClockStatus::Stopped => Tone::Ok,
        ClockStatus::DueSoon | ClockStatus::DueToday => Tone::Warn,
        ClockStatus::Overdue => Tone::Bad,
    };
    status(s.label(), tone)
}

fn owners(list: &[OwnerRef]) -> Markup {
    html! {
        @for (i, o) in list.iter().enumerate() {
            @if i > 0 { "、" }
            @match &o.unit_id {
                Some(id) => { a href={ "/units/" (url(id)) } { (o.name) } }
                None => { (o.name) }
            }
            @if o.group { (tag("单位组")) }
            @if o.open { (tag("待明确")) }
            @if !o.resolved && !o.group { (tag("未在名录")) }
        }
    }
}

/// The query string of a filter (without `page`).
fn filter_query(f: &ListQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("doc", &f.doc),
        ("unit", &f.unit),
        ("leader", &f.leader),
        ("status", &f.status),
        ("chapter", &f.chapter),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", url(v)));
        }
    }
    parts.join("&")
}

fn item_rows(items: &[ItemSummary]) -> Markup {
    html! {
        @for i in items {
            tr {
                td { (i.doc_no) " " (i.no) }
                td {
                    a href={ "/supervision/items/" (i.id) } { (i.title) }
                    @if i.unassigned { " " (tag("待交办")) }
                }
                td { (i.leaders.join("、")) }
                td { (owners(&i.lead_units)) }
                td { (owners(&i.units)) }
                td {
                    @for m in &i.milestones {
                        div {
                            @match &m.due { Some(d) => { (d) } None => { (tag("未能确定日期")) } }
                            " " span class="muted" { (m.source) }
                        }
                    }
                }
                td { (status_tag(i.status)) }
                td { (i.percent) "%" }
                td { (i.next_due.as_deref().unwrap_or("—")) }
            }
        }
    }
}

const ITEM_HEAD: [&str; 9] = [
    "序号",
    "工作任务",
    "责任领导",
    "牵头单位",
    "责任单位",
    "时间节点",
    "状态",
    "进度",
    "最近到期",
];

fn counts_table(lines: &[Line], param: &str, extra: &str) -> Markup {
    let rows = html! {
        @for l in lines {
            tr {
                td { a href={ "/supervision/items?" (param) "=" (url(&l.key)) (extra) } { (l.label) } }
                td { (l.counts.total) }
                @for s in ItemStatus::ALL {
                    td {
                        @let n = l.counts.get(s);
                        @if n > 0 {
                            a href={ "/supervision/items?" (param) "=" (url(&l.key)) "&status=" (s.as_str()) (extra) } { (n) }
                        } @else { "0" }
                    }
                }
            }
        }
    };
    let head: Vec<&str> = ["名称", "合计"]
        .into_iter()
        .chain(ItemStatus::ALL.iter().map(|s| s.label()))
        .collect();
    table(&head, rows)
}

/// One bar segment of a chart.
struct Segment {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    class: &'static str,
    title: String,
}

/// The series of the punctuality chart: label and CSS class (colours live in the stylesheet,
/// so the page needs no inline style under the Content-Security-Policy).
const PUNCTUALITY: [(&str, &str); 3] = [
    ("按时", "seg-ok"),
    ("逾期报送", "seg-late"),
    ("未报", "seg-missing"),
];

/// On-time monthly reporting as a stacked bar chart (SVG, no script).
pub fn punctuality_chart(data: &[Punctuality]) -> Markup {
    if data.is_empty() {
        return html! { p class="muted" { "尚无月度报送时限。" } };
    }
    let (w, h, left, bottom, top) = (720.0_f64, 260.0_f64, 40.0, 40.0, 20.0);
    let max = data
        .iter()
        .map(|p| p.on_time + p.late + p.missing)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let slot = (w - left - 10.0) / data.len() as f64;
    let bar = (slot * 0.7).max(2.0);
    let scale = (h - bottom - top) / max;
    let mut segments = Vec::new();
    let mut labels = Vec::new();
    for (n, p) in data.iter().enumerate() {
        let period = &p.period;
        let x = left + n as f64 * slot + (slot - bar) / 2.0;
        let mut y = h - bottom;
        for ((label, class), v) in PUNCTUALITY.iter().zip([p.on_time, p.late, p.missing]) {
            let height = v as f64 * scale;
            y -= height;
            segments.push(Segment {
                x,
                y,
                width: bar,
                height,
                class,
                title: format!("{period} {label}：{v}"),
            });
        }
        labels.push((x + bar / 2.0, period.clone()));
    }
    html! {
        figure class="chart" {
            svg xmlns="http://www.w3.org/2000/svg" width=(w) height=(h)
                viewBox={ "0 0 " (w) " " (h) } role="img" aria-label="月度报送按时情况" {
                line x1=(left) y1=(h - bottom) x2=(w - 5.0) y2=(h - bottom) class="axis" {}
                text x="4" y=(top + 4.0) class="tick" { (max as i64) }
                text x="4" y=(h - bottom) class="tick" { "0" }
                @for s in &segments {
                    rect x=(s.x) y=(s.y) width=(s.width) height=(s.height) class=(s.class) {
                        title { (s.title) }
                    }
                }
                @for (x, label) in &labels {
                    text x=(x) y=(h - bottom + 14.0) class="tick" text-anchor="middle" { (label) }
                }
            }
            figcaption {
                @for (label, class) in PUNCTUALITY {
                    span class="legend" { svg width="12" height="12" { rect width="12" height="12" class=(class) {} } " " (label) }
                }
                span class="muted" { "（按报告期统计，截止日以文件规定为准）" }
            }
        }
    }
}

async fn dashboard(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let body = blocking(&state, move |app| {
        cached_body(
            app,
            &app.supervision_scope(&viewer)?,
            "page.dashboard",
            || {
                let d = app.supervision_dashboard(&viewer, &Filter::default())?;
                let office = viewer.user().is_some_and(|u| u.sees_all_units());
                Ok(dashboard_body(&d, office))
            },
        )
    })
    .await?;
    Ok(render(&auth, "督查督办", body))
}

fn dashboard_body(d: &Dashboard, office: bool) -> Markup {
    html! {
        h1 { "督查督办" }
        p class="muted" {
            "业务日期：" (d.today)
            @if d.simulated { " " (tag("模拟日期")) }
            " · 共 " (d.counts.total) " 项"
        }
        div class="cards" {
            @for s in ItemStatus::ALL {
                a class="card" href={ "/supervision/items?status=" (s.as_str()) } {
                    div class="big" { (d.counts.get(s)) }
                    div { (status_tag(s)) }
                }
            }
        }
        p class="actions noprint" {
            a href="/supervision/items" { "全部事项" } " · "
            a href="/supervision/ledger.xlsx" { "下载工作落实台账（Excel）" } " · "
            a href="/supervision/items.csv" { "导出 CSV" }
            @if !office { " · " a href="/supervision/ledger" { "上传台账" } }
            @if office { " · " a href="/supervision/settings" { "督查室设置" } }
        }
        @if office && (d.unassigned > 0 || d.open_mentions > 0) {
            p class="notice" {
                "待交办事项 " (d.unassigned) " 项（文件未写明责任单位），"
                "责任单位待明确的事项 " (d.open_mentions) " 项。"
            }
        }
        @if !d.to_review.is_empty() {
            h2 { "待审核报告（" (d.to_review.len()) "）" }
            (table(&["事项", "报告", "报送单位", "报送时间"], html! {
                @for t in &d.to_review {
                    @let r = &t.report;
                    tr {
                        td { a href={ "/supervision/items/" (t.item_id) "#review-" (r.report.id) } { (t.item_title) } }
                        td { (r.kind_label) " " (r.report.period) " 第" (r.report.round) "稿" }
                        td { (r.report.unit_id.as_deref().unwrap_or("")) }
                        td { (r.report.submitted_at) }
                    }
                }
            }))
        }
        h2 { "需关注：逾期未报与滞后" }
        @if d.attention.is_empty() { p class="muted" { "没有逾期或滞后的事项。" } }
        @else { (table(&ITEM_HEAD, item_rows(&d.attention))) }
        h2 { "月度报送按时情况" }
        (punctuality_chart(&d.punctuality))
        h2 { "按责任领导" }
        (counts_table(&d.by_leader, "leader", ""))
        h2 { "按牵头单位" }
        (counts_table(&d.by_unit, "unit", ""))
        h2 { "按篇章" }
        (chapter_table(&d.by_chapter))
    }
}

fn chapter_table(lines: &[Line]) -> Markup {
    let rows = html! {
        @for l in lines {
            @let (doc, chapter) = l.key.split_once('|').unwrap_or(("", l.key.as_str()));
            tr {
                td { a href={ "/supervision/items?doc=" (url(doc)) "&chapter=" (url(chapter)) } { (l.label) } }
                td { (l.counts.total) }
                @for s in ItemStatus::ALL { td { (l.counts.get(s)) } }
            }
        }
    };
    let head: Vec<&str> = ["篇章", "合计"]
        .into_iter()
        .chain(ItemStatus::ALL.iter().map(|s| s.label()))
        .collect();
    table(&head, rows)
}

/// Filters of the item list, as the query string carries them.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    doc: Option<String>,
    unit: Option<String>,
    leader: Option<String>,
    status: Option<String>,
    chapter: Option<String>,
    page: Option<usize>,
}

impl ListQuery {
    fn filter(&self) -> Result<Filter, Error> {
        let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let status = match nonempty(&self.status) {
            Some(s) => Some(
                ItemStatus::parse(&s)
                    .ok_or_else(|| Error::bad_input("E_INPUT", format!("状态“{s}”无效")))?,
            ),
            None => None,
        };
        Ok(Filter {
            doc: nonempty(&self.doc),
            unit: nonempty(&self.unit),
            leader: nonempty(&self.leader),
            status,
            chapter: nonempty(&self.chapter),
        })
    }
}

/// Items per page of the list.
const PER_PAGE: usize = 50;

async fn items(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let filter = q.filter()?;
    let viewer = auth.viewer.clone();
    let part = format!("page.items|{}|{:?}", filter_query(&q), q.page);
    let body = blocking(&state, move |app| {
        cached_body(app, &app.supervision_scope(&viewer)?, &part, || {
            let list = app.supervision_items(&viewer, &filter)?;
            Ok(items_body(&q, &list))
        })
    })
    .await?;
    Ok(render(&auth, "督办事项", body))
}

fn items_body(q: &ListQuery, list: &[ItemSummary]) -> Markup {
    let pager = Pager::new(q.page.unwrap_or(1), PER_PAGE, list.len());
    let query = filter_query(q);
    let statuses: BTreeMap<&str, &str> = ItemStatus::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect();
    html! {
        h1 { "督办事项" }
        form method="get" action="/supervision/items" class="filters noprint" {
            label { "文号 " input name="doc" value=(q.doc.as_deref().unwrap_or("")); }
            label { "责任领导 " input name="leader" value=(q.leader.as_deref().unwrap_or("")); }
            label { "单位编号 " input name="unit" value=(q.unit.as_deref().unwrap_or("")); }
            label { "状态 "
                select name="status" {
                    option value="" { "全部" }
                    @for (k, label) in &statuses {
                        option value=(k) selected[q.status.as_deref() == Some(*k)] { (label) }
                    }
                }
            }
            @if let Some(ch) = &q.chapter { input type="hidden" name="chapter" value=(ch); }
            button type="submit" { "筛选" }
            " "
            a href={ "/supervision/items.csv?" (query) } { "导出 CSV" }
            " · "
            a href={ "/supervision/ledger.xlsx" @if let Some(d) = &q.doc { "?doc=" (url(d)) } } { "下载台账" }
        }
        p class="muted" { "共 " (list.len()) " 项" @if let Some(ch) = &q.chapter { "，篇章：" (ch) } }
        (table(&ITEM_HEAD, item_rows(&list[pager.range()])))
        (pager.links(|n| format!("/supervision/items?{query}&page={n}")))
    }
}

async fn items_csv(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, crate::WebError> {
    let q = input::query(q)?;
    let filter = q.filter()?;
    let viewer = auth.viewer.clone();
    let list = blocking(&state, move |app| app.supervision_items(&viewer, &filter)).await?;
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let join = |l: &[OwnerRef]| {
        l.iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let fail = |e: csv::Error| Error::internal(format!("生成 CSV 失败: {e}"));
    // The list's columns, with where each item comes from and its number.
    let head = ["文号", "序号", "条款"]
        .into_iter()
        .chain(ITEM_HEAD[1..].iter().copied())
        .chain(["事项编号"]);
    w.write_record(head).map_err(fail)?;
    for i in list.iter() {
        let milestones = i
            .milestones
            .iter()
            .map(|m| {
                format!(
                    "{}（{}）",
                    m.due.as_deref().unwrap_or("未能确定日期"),
                    m.source
                )
            })
            .collect::<Vec<_>>()
            .join("；");
        w.write_record([
            i.doc_no.clone(),
            i.no.to_string(),
            i.clause.clone(),
            i.text.clone(),
            i.leaders.join("、"),
            join(&i.lead_units),
            join(&i.units),
            milestones,
            i.status_label.to_string(),
            format!("{}%", i.percent),
            i.next_due.clone().unwrap_or_default(),
            i.id.to_string(),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::internal(format!("生成 CSV 失败: {e}")))?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (CONTENT_DISPOSITION, attachment_disposition("督办事项.csv")),
        ],
        bytes,
    )
        .into_response())
}

/// `Content-Disposition: attachment` with the name encoded for every browser (RFC 6266/5987).
pub fn attachment_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        url(name)
    )
}

async fn item(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    q: Result<Query<DoneQuery>, QueryRejection>,
) -> PageResult {
    let id = path_id(raw, "督办事项")?;
    let done = input::query(q)?.done;
    let viewer = auth.viewer.clone();
    let d = blocking(&state, move |app| app.supervision_item(&viewer, id)).await?;
    Ok(render(
        &auth,
        &d.item.title,
        item_page(&auth, &d, done.as_deref(), None, &Draft::default()),
    ))
}

#[derive(Debug, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

pub(crate) fn text_field(name: &str, label: &str, value: &str, required: bool) -> Markup {
    html! { label { (label) input name=(name) value=(value) required[required]; } }
}

pub(crate) fn area_field(name: &str, label: &str, value: &str, required: bool) -> Markup {
    html! { label { (label) textarea name=(name) rows="3" required[required] { (value) } } }
}

fn files_field() -> Markup {
    html! {
        label { "附件（PDF、Word、Excel、图片、文本，单个不超过 " (MAX_BYTES / 1_048_576) " MB）"
            input type="file" name="attachments" multiple; }
    }
}

/// The start of every action form: where it posts and what it carries.
fn form_head(auth: &Auth, d: &ItemDetail, action: &str) -> Markup {
    html! {
        (csrf_field(auth.csrf.as_deref()))
        input type="hidden" name="action" value=(action);
        input type="hidden" name="version" value=(d.item.version);
    }
}

/// What the fold-out action forms of an item share: who asks, the item, where the forms post,
/// and the draft a refused action is shown again with.
struct ActionForms<'a> {
    auth: &'a Auth,
    d: &'a ItemDetail,
    post: &'a str,
    draft: &'a Draft,
}

impl ActionForms<'_> {
    /// One action's fold-out form, open when the draft is that action's: `summary` shown while
    /// folded, the form's head, `fields`, and the submit `button`.
    fn fold(&self, action: &str, summary: &str, button: &str, fields: Markup) -> Markup {
        html! {
            details class="act" open[self.draft.action == action] {
                summary { (summary) }
                form method="post" action=(self.post) enctype="multipart/form-data" class="stack" id={ "form-" (action) } {
                    (form_head(self.auth, self.d, action))
                    (fields)
                    button type="submit" { (button) }
                }
            }
        }
    }
}

fn action_forms(auth: &Auth, d: &ItemDetail, draft: &Draft) -> Markup {
    let can = |a: &str| d.actions.iter().any(|x| x.name == a);
    let post = format!("/supervision/items/{}/act", d.item.id);
    let forms = ActionForms {
        auth,
        d,
        post: &post,
        draft,
    };
    let open_monthly: Vec<&luoshi_app::supervision::views::ClockOut> = d
        .clocks
        .iter()
        .filter(|k| k.key.starts_with("monthly:") && k.satisfied_at.is_none())
        .collect();
    let open_ledger: Vec<&luoshi_app::supervision::views::ClockOut> = d
        .clocks
        .iter()
        .filter(|k| k.key.starts_with("ledger:") && k.satisfied_at.is_none())
        .collect();
    let pending: Vec<_> = d
        .reports
        .iter()
        .filter(|r| r.report.status == "submitted")
        .collect();
    html! {
        @if can("submit_plan") {
            (forms.fold("submit_plan", "报送项目化推进计划", "报送计划", html! {
                (area_field("content", "工作具体内容", draft.get("submit_plan", "content"), true))
                (area_field("goal", "总体目标", draft.get("submit_plan", "goal"), true))
                (area_field("stages", "阶段目标", draft.get("submit_plan", "stages"), true))
                (text_field("deadline", "完成时限", draft.get("submit_plan", "deadline"), true))
                (text_field("leader", "责任领导", draft.get("submit_plan", "leader"), true))
                (files_field())
            }))
        }
        @if can("submit_report") {
            (forms.fold("submit_report", "报送月度进展", "报送月报", html! {
                label { "报告期（截至该月月底）"
                    select name="period" required {
                        @for k in &open_monthly {
                            @let p = k.key.trim_start_matches("monthly:");
                            option value=(p) selected[draft.get("submit_report", "period") == p] {
                                (p) "（" (k.due_date) " 前报送）"
                            }
                        }
                    }
                }
                (area_field("progress", "进展情况", draft.get("submit_report", "progress"), true))
                label { "完成进度（%）" input type="number" name="percent" min="0" max="100" required value=(draft.get("submit_report", "percent")); }
                (area_field("problems", "存在问题", draft.get("submit_report", "problems"), false))
                (area_field("next_steps", "下一步打算", draft.get("submit_report", "next_steps"), false))
                @let dated: Vec<_> = d.item.milestones.iter().enumerate().filter(|(_, m)| m.due.is_some()).collect();
                @if !dated.is_empty() {
                    fieldset {
                        legend { "本期已完成的时间节点" }
                        @for (n, m) in dated {
                            label class="inline" { input type="checkbox" name="milestones" value=(n + 1); " " (m.due.as_deref().unwrap_or("")) " " (m.text) }
                        }
                    }
                }
                (files_field())
            }))
        }
        @if can("submit_ledger") && !open_ledger.is_empty() {
            (forms.fold("submit_ledger", "报送工作落实台账", "报送台账", html! {
                label { "报送批次"
                    select name="period" required {
                        @for k in &open_ledger {
                            @let p = k.key.trim_start_matches("ledger:");
                            option value=(p) { (k.label) }
                        }
                    }
                }
                (area_field("progress", "进展情况", draft.get("submit_ledger", "progress"), true))
                (area_field("problems", "存在问题", draft.get("submit_ledger", "problems"), false))
                (area_field("next_steps", "下一步打算", draft.get("submit_ledger", "next_steps"), false))
                (files_field())
            }))
        }
        @if can("contribute") {
            (forms.fold("contribute", "报送配合情况（责任单位）", "报送牵头单位", html! {
                (area_field("progress", "配合工作进展", draft.get("contribute", "progress"), true))
                (area_field("problems", "存在问题", draft.get("contribute", "problems"), false))
                (files_field())
            }))
        }
        @if can("accept") || can("return") {
            @for r in &pending {
                div class="act review" id={ "review-" (r.report.id) } {
                    h3 { "审核：" (r.kind_label) " " (r.report.period) " 第" (r.report.round) "稿" }
                    form method="post" action=(post) enctype="multipart/form-data" class="inline" {
                        (form_head(auth, d, "accept"))
                        input type="hidden" name="report_id" value=(r.report.id);
                        button type="submit" { "审核通过" }
                    }
                    form method="post" action=(post) enctype="multipart/form-data" class="stack" {
                        (form_head(auth, d, "return"))
                        input type="hidden" name="report_id" value=(r.report.id);
                        label { "退回意见" textarea name="note" rows="2" required { (draft.note("return")) } }
                        button type="submit" { "退回修改" }
                    }
                }
            }
        }
        @if can("extend") && d.clocks.iter().any(|k| k.satisfied_at.is_none()) {
            (forms.fold("extend", "延期", "延期", html! {
                label { "时限"
                    select name="clock" required {
                        @for k in d.clocks.iter().filter(|k| k.satisfied_at.is_none()) {
                            option value=(k.key) selected[draft.get("extend", "clock") == k.key] { (k.label) "（" (k.due_date) "）" }
                        }
                    }
                }
                label { "新的到期日" input type="date" name="due" required value=(draft.get("extend", "due")); }
                label { "延期理由" textarea name="note" rows="2" required { (draft.note("extend")) } }
            }))
        }
        @for action in ["assign", "reassign"] {
            @if can(action) && (action == "assign") == d.item.lead_units.is_empty() {
                details class="act" open[draft.action == action || action == "assign"] {
                    summary { @if action == "assign" { "确定责任单位" } @else { "调整责任单位" } }
                    form method="post" action=(post) enctype="multipart/form-data" class="stack" id={ "form-" (action) } {
                        (form_head(auth, d, action))
                        (text_field("lead_units", "牵头单位（名称或编号，多个用顿号分隔）", draft.get(action, "lead_units"), true))
                        (text_field("units", "责任单位（可空）", draft.get(action, "units"), false))
                        (text_field("leaders", "责任领导（可空，不填则不变）", draft.get(action, "leaders"), false))
                        @if action == "reassign" {
                            label { "调整理由" textarea name="note" rows="2" required { (draft.note(action)) } }
                        }
                        button type="submit" { "保存" }
                    }
                }
            }
        }
        @for (action, label) in [("complete", "办结"), ("reopen", "重新办理")] {
            @if can(action) {
                (forms.fold(action, label, label, html! {
                    label { "说明" textarea name="note" rows="2" required { (draft.note(action)) } }
                }))
            }
        }
    }
}

fn item_page(
    auth: &Auth,
    d: &ItemDetail,
    done: Option<&str>,
    error: Option<&Error>,
    draft: &Draft,
) -> Markup {
    let i = &d.item;
    let source = match (i.task_id, i.document_id, i.clause_ord) {
        (Some(t), _, _) => format!("/tasks/{t}"),
        (None, Some(doc), Some(ord)) => format!("/documents/{doc}#c-{ord}"),
        (None, Some(doc), None) => format!("/documents/{doc}"),
        _ => "/".to_string(),
    };
    html! {
        p class="muted noprint" { a href="/supervision" { "督查督办" } " › " a href={ "/supervision/items?doc=" (url(&i.doc_no)) } { (i.doc_no) } }
        h1 { (i.doc_no) " " (i.no) "．" (i.title) }
        @if let Some(e) = error {
            div class="error" role="alert" id="action-error" {
                p { (e.message) }
                p class="muted" { "错误代码：" code { (e.code) }
                    @if e.kind == ErrorKind::Conflict { "。您填写的内容保留在下方表单中。" } }
            }
        }
        @if let Some(a) = done { p class="notice" id="action-done" { "已完成操作：" (action_label(a)) } }
        (fields([
            ("状态", html! { (status_tag(i.status)) " 进度 " (i.percent) "%" }),
            ("依据", html! { a href=(source) { (i.doc_no) " " (i.clause) } " 第" (i.first_line.unwrap_or(0)) "行" }),
            ("工作任务", html! { (i.text) }),
            ("责任领导", html! { (i.leaders.join("、")) }),
            ("牵头单位", owners(&i.lead_units)),
            ("责任单位", owners(&i.units)),
            ("版本", html! { (i.version) }),
        ]))
        h2 { "时间节点" }
        @if i.milestones.is_empty() { p class="muted" { "任务原文未写明时间节点。" } }
        @else {
            (table(&["日期", "节点", "原文用语", "说明"], html! {
                @for m in &i.milestones {
                    tr {
                        td { @match &m.due { Some(x) => { (x) } None => { (tag("未能确定日期")) } } }
                        td { (m.text) }
                        td { (m.source) }
                        td class="muted" { (m.note) }
                    }
                }
            }))
        }
        h2 { "时限" }
        (table(&["时限", "到期", "状态", "依据与计算"], html! {
            @for k in &d.clocks {
                tr {
                    td { (k.label) }
                    td { (k.due_date) @if let Some(t) = &k.due_time { " " (t) } }
                    td { (clock_tag(k.status)) }
                    td { details { summary { (k.cites) } pre class="explain" { (k.explanation) } } }
                }
            }
        }))
        @if !d.actions.is_empty() {
            section class="noprint" id="actions" {
                h2 { "办理" }
                (action_forms(auth, d, draft))
            }
        }
        h2 { "报告" }
        @if d.reports.is_empty() { p class="muted" { "尚未报送。" } }
        @for r in d.reports.iter().rev() {
            article class="report" id={ "report-" (r.report.id) } {
                h3 { (r.kind_label) " " @if r.report.period != "plan" { (r.report.period) " " } "第" (r.report.round) "稿 " (tag(&r.status_label)) }
                p class="muted" { (r.report.author) " 报送于 " (r.report.submitted_at)
                    @if let Some(by) = &r.report.reviewed_by { "；" (by) " 审核于 " (r.report.reviewed_at.as_deref().unwrap_or("")) } }
                @if let Some(note) = &r.report.review_note { p class="review-note" { "审核意见：" (note) } }
                @if r.report.kind == "plan" {
                    (fields([
                        ("工作具体内容", html! { (r.report.plan["content"].as_str().unwrap_or("")) }),
                        ("总体目标", html! { (r.report.plan["goal"].as_str().unwrap_or("")) }),
                        ("阶段目标", html! { (r.report.plan["stages"].as_str().unwrap_or("")) }),
                        ("完成时限", html! { (r.report.plan["deadline"].as_str().unwrap_or("")) }),
                        ("责任领导", html! { (r.report.plan["leader"].as_str().unwrap_or("")) }),
                    ]))
                } @else {
                    (fields([
                        ("进展情况", html! { (r.report.progress) }),
                        ("完成进度", html! { @if let Some(p) = r.report.percent { (p) "%" } }),
                        ("存在问题", html! { (r.report.problems) }),
                        ("下一步打算", html! { (r.report.next_steps) }),
                    ]))
                }
            }
        }
        h2 { "办理记录" }
        (table(&["时间", "操作人", "操作", "状态变化", "说明", "附件"], html! {
            @for e in d.events.iter().rev() {
                tr {
                    td { (e.at) }
                    td { (e.actor) }
                    td { (action_label(&e.action)) }
                    td { (state_label(&e.from_state)) " → " (state_label(&e.to_state)) }
                    td { (e.note.as_deref().unwrap_or("")) }
                    td {
                        @for a in &e.attachments {
                            div { a href={ "/attachments/" (a.sha256) } { (a.filename) } " " span class="muted" { "(" (a.size / 1024 + 1) " KB)" } }
                        }
                    }
                }
            }
        }))
        @if !d.duties.is_empty() {
            h2 { "本文件的报送要求" }
            ul {
                @for duty in &d.duties {
                    li { (duty.label) "：报" (duty.recipient) "（" (duty.clause) "：“" (duty.source) "”）" }
                }
            }
        }
        p class="noprint muted" { "打印：使用浏览器的打印功能（A4 版式已适配）。" }
    }
}

fn state_label(s: &str) -> &str {
    luoshi_app::procedures::supervision::SUPERVISION.state_label(s)
}

fn action_label(a: &str) -> &str {
    luoshi_app::procedures::supervision::SUPERVISION
        .action(a)
        .map(|x| x.label)
        .unwrap_or(a)
}

async fn act(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let id = path_id(raw, "督办事项")?;
    let (input, draft) = read_action(&auth, multipart).await?;
    let viewer = auth.viewer.clone();
    let done = format!("/supervision/items/{id}?done={}", url(&input.action));
    let outcome = blocking(&state, move |app| app.supervision_act(&viewer, id, &input)).await;
    let detail = move |app: &App, viewer: &Viewer| app.supervision_item(viewer, id);
    item_action::answer(&state, &auth, outcome, &done, detail, |d, e| {
        let page = item_page(&auth, d, None, Some(e), &draft);
        (d.item.title.clone(), page)
    })
    .await
}

#[derive(Debug, Deserialize)]
struct DocQuery {
    doc: Option<String>,
}

async fn ledger_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<DocQuery>, QueryRejection>,
) -> Result<Response, crate::WebError> {
    let doc = input::query(q)?.doc.filter(|d| !d.trim().is_empty());
    let name = format!(
        "工作落实台账{}.xlsx",
        doc.as_deref().map(|d| format!("-{d}")).unwrap_or_default()
    );
    let viewer = auth.viewer.clone();
    let bytes = blocking(&state, move |app| {
        app.supervision_ledger(&viewer, doc.as_deref())
    })
    .await?;
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (CONTENT_DISPOSITION, attachment_disposition(&name)),
        ],
        bytes,
    )
        .into_response())
}

fn ledger_form_body(auth: &Auth, message: Option<Markup>) -> Markup {
    html! {
        h1 { "上传工作落实台账" }
        (message.unwrap_or_default())
        p { "先" a href="/supervision/ledger.xlsx" { "下载本单位的台账" } "，在“进展情况”“存在问题”“下一步打算”三列填写本单位牵头事项的进展（其余列不要改动），再上传。所有行先逐一校验，任何一行有问题则整份不导入，并列出每一处问题。" }
        form method="post" action="/supervision/ledger" enctype="multipart/form-data" class="stack" {
            (csrf_field(auth.csrf.as_deref()))
            label { "报送批次（年-月）" input name="period" placeholder="2020-07" required pattern="[0-9]{4}-[0-9]{2}"; }
            label { "台账文件（.xlsx）" input type="file" name="file" accept=".xlsx" required; }
            button type="submit" { "上传" }
        }
    }
}

async fn ledger_form(auth: Auth) -> PageResult {
    if auth.viewer.user().is_none() {
        return Err(Error::unauthenticated().into());
    }
    Ok(render(&auth, "上传台账", ledger_form_body(&auth, None)))
}

async fn ledger_upload(
    State(state): State<AppState>,
    auth: Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let mut multipart = MultipartKind::Form.open(multipart)?;
    let bad =
        |e| MultipartKind::Form.unreadable(luoshi_app::supervision::ledger::MAX_UPLOAD_BYTES, e);
    let (mut csrf, mut period, mut file) = (String::new(), String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(bad)?,
            "period" => period = field.text().await.map_err(bad)?,
            "file" => file = field.bytes().await.map_err(bad)?.to_vec(),
            _ => {}
        }
    }
    auth.check_csrf(&csrf)?;
    let viewer = auth.viewer.clone();
    let p = period.trim().to_string();
    let outcome = blocking(&state, move |app| {
        app.supervision_upload_ledger(&viewer, &p, &file)
    })
    .await;
    let (code, message) = match outcome {
        Ok(o) => (
            StatusCode::OK,
            html! { p class="notice" id="upload-done" { "已导入 " (o.applied) " 行（批次 " (o.period) "），未填写的 " (o.skipped) " 行未改动。" } },
        ),
        Err(e) if e.kind == ErrorKind::BadInput => (
            StatusCode::UNPROCESSABLE_ENTITY,
            html! { div class="error" id="upload-error" { @for line in e.message.lines() { p { (line) } } p class="muted" { "错误代码：" code { (e.code) } } } },
        ),
        Err(e) => return Err(e.into()),
    };
    Ok((
        code,
        render(&auth, "上传台账", ledger_form_body(&auth, Some(message))),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct SettingsForm {
    csrf: String,
    rest_day: String,
}

csrf_forms!(SettingsForm);

async fn settings(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    if !viewer.user().is_some_and(|u| u.sees_all_units()) {
        return Err(luoshi_app::cases::no_access(&viewer).into());
    }
    let postpone = blocking(&state, |app| app.supervision_postpones()).await?;
    Ok(render(
        &auth,
        "督查室设置",
        settings_body(&auth, postpone, None),
    ))
}

fn settings_body(auth: &Auth, postpone: bool, saved: Option<usize>) -> Markup {
    html! {
        h1 { "督查室设置" }
        @if let Some(n) = saved { p class="notice" { "已保存，重新计算了 " (n) " 个未完成的报送时限。" } }
        form method="post" action="/supervision/settings" class="stack" {
            (csrf_field(auth.csrf.as_deref()))
            fieldset {
                legend { "文件规定的报送日为休息日时" }
                label class="inline" { input type="radio" name="rest_day" value="keep" checked[!postpone]; " 不顺延，仍以该日为到期日" }
                label class="inline" { input type="radio" name="rest_day" value="postpone" checked[postpone]; " 顺延至下一工作日" }
            }
            button type="submit" { "保存" }
        }
        p class="muted" { "更改后，所有尚未完成的报送时限按新设置重新计算，每个时限的计算说明会写明所用设置；督查室批准的延期不受影响。" }
    }
}

async fn save_settings(State(state): State<AppState>, p: Posted<SettingsForm>) -> PageResult {
    let (auth, f) = p.open_form()?;
    let postpone = match f.rest_day.as_str() {
        "postpone" => true,
        "keep" => false,
        other => return Err(Error::bad_input("E_INPUT", format!("设置值“{other}”无效")).into()),
    };
    let viewer = auth.viewer.clone();
    let n = blocking(&state, move |app| {
        app.set_supervision_rest_day_policy(&viewer, postpone)
    })
    .await?;
    Ok(render(
        &auth,
        "督查室设置",
        settings_body(&auth, postpone, Some(n)),
    ))
}

async fn attachment(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> Result<Response, crate::WebError> {
    let sha = input::segment(raw, "附件")?;
    let viewer = auth.viewer.clone();
    let a = blocking(&state, move |app| app.attachment(&viewer, &sha)).await?;
    Ok((
        [
            (CONTENT_TYPE, a.meta.mime.clone()),
            (
                CONTENT_DISPOSITION,
                attachment_disposition(&a.meta.filename),
            ),
        ],
        a.content,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct ReadForm {
    csrf: String,
    id: Option<i64>,
}

csrf_forms!(ReadForm);

async fn notices(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let (list, unread) = blocking(&state, move |app| app.notices(&viewer, 200)).await?;
    let body = html! {
        h1 { "通知" }
        p class="muted" { "未读 " (unread) " 条" }
        @if unread > 0 {
            form method="post" action="/notices" class="noprint" {
                (csrf_field(auth.csrf.as_deref()))
                button type="submit" { "全部标为已读" }
            }
        }
        @if list.is_empty() { p class="muted" { "暂无通知。" } }
        @for n in &list {
            article class={ "notice-item" @if n.read_at.is_none() { " unread" } } {
                h3 {
                    @match n.case_id {
                        Some(c) => { a href={ "/supervision/items/" (c) } { (n.subject) } }
                        None => { (n.subject) }
                    }
                }
                p class="muted" { (n.created_at) }
                pre class="notice-body" { (n.body) }
            }
        }
    };
    Ok(render(&auth, "通知", body))
}

async fn read_notices(State(state): State<AppState>, p: Posted<ReadForm>) -> PageResult {
    let (auth, f) = p.open_form()?;
    let viewer = auth.viewer.clone();
    blocking(&state, move |app| app.mark_notices_read(&viewer, f.id)).await?;
    Ok(Redirect::to("/notices").into_response())
}
