//! Health-action monitoring pages (健康行动监测, 郑政文〔2020〕59号 附件2、附件3): the dashboard
//! of every series with its status, one series with its chart, the rule's reasoning, its
//! values per area and their approval, an action's small multiples, the county/district
//! comparison with sparklines, uploads, the assessment and the reports (HTML on A4 and PDF).
//! Charts are inline SVG drawn on the server; nothing needs JavaScript.

mod assessment;

use super::layout::{csrf_field, fields, status, table, Tone};
use super::posted::{csrf_and_file, csrf_forms, Posted};
use super::{path_id, render, PageResult};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use luoshi_app::health::charts::{self, SeriesChart};
use luoshi_app::health::report::{self, Kind};
use luoshi_app::health::views::SeriesSummary;
use luoshi_app::health::{attain, pdf, upload, ValueIn};
use luoshi_domain::Error;
use luoshi_rules::attainment::{show, Point, Status};
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(dashboard))
        .route("/health/series/{id}", get(series))
        .route("/health/series/{id}/compare", get(compare))
        .route("/health/series/{id}/values", post(enter))
        .route("/health/series/{id}/act", post(act))
        .route("/health/series/{id}/decide", post(decide))
        .route("/health/series/{id}/assign", post(assign))
        .route("/health/actions/{no}", get(action))
        .route(
            "/health/upload",
            post(upload_values).layer(DefaultBodyLimit::max(upload::MAX_BYTES + 65_536)),
        )
        .route("/health/reports", get(reports).post(publish))
        .route("/health/report", get(report_file))
        .route("/health/report.css", get(report_css))
        .route("/health/template.xlsx", get(template))
        .merge(assessment::routes())
}

#[derive(Debug, Default, Deserialize)]
struct YearQuery {
    #[serde(default)]
    year: Option<i64>,
}

fn tone(s: Status) -> Tone {
    match s {
        Status::Achieved | Status::OnTrack => Tone::Ok,
        Status::Behind | Status::NotAssessable => Tone::Warn,
        Status::Deteriorating => Tone::Bad,
    }
}

fn status_tag(s: Option<Status>) -> Markup {
    let s = s.unwrap_or(Status::NotAssessable);
    status(s.label(), tone(s))
}

fn svg(d: &charts::Drawing) -> Markup {
    PreEscaped(charts::svg(d))
}

fn unit_of(u: &Option<String>) -> String {
    u.as_deref().map(|u| format!("（{u}）")).unwrap_or_default()
}

fn point(p: Option<&Point>) -> String {
    p.map(|p| format!("{}（{}年）", p.value, p.year))
        .unwrap_or_else(|| "—".into())
}

fn targets_text(s: &SeriesSummary, year: i64) -> String {
    let mut out: Vec<String> = Vec::new();
    for t in s.targets.iter().filter(|t| t.year == year) {
        let text = match t.value.as_deref() {
            Some(v) => format!(
                "{}{v}",
                luoshi_rules::attainment::Op::parse(&t.op)
                    .map(|o| o.symbol())
                    .unwrap_or("")
            ),
            None => t.words.clone(),
        };
        if !out.contains(&text) {
            out.push(text);
        }
    }
    if out.is_empty() {
        "—".into()
    } else {
        out.join("；")
    }
}

fn year_form(action: &str, year: i64) -> Markup {
    html! {
        form method="get" action=(action) class="inline" {
            label { "年度 " input type="number" name="year" value=(year) min="2000" max="2100"; }
            button type="submit" { "查看" }
        }
    }
}

async fn dashboard(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let dash = blocking(&state, move |app| app.health_dashboard(&viewer, q.year)).await?;
    let y = dash.year;
    let rows = html! {
        @for s in &dash.series {
            @let st = s.headline.as_ref().map(|h| h.attainment.status);
            tr {
                td { (s.series.no.map(|n| n.to_string()).unwrap_or_default()) }
                td { a href={ "/health/series/" (s.series.id) "?year=" (y) } { (s.series.name) } (unit_of(&s.series.unit)) }
                td { (s.series.action_name.clone().unwrap_or_else(|| "未指定".into())) }
                td { (s.series.baseline_value.clone().map(|v| format!("{v}（{}年）", s.series.baseline_year.unwrap_or_default())).unwrap_or_else(|| "—".into())) }
                td { (targets_text(s, 2022)) }
                td { (targets_text(s, 2030)) }
                td { (point(s.latest.as_ref())) }
                td { a href={ "/health/series/" (s.series.id) "?year=" (y) "#rule" } { (status_tag(st)) } }
                td { (PreEscaped(&s.sparkline)) }
            }
        }
    };
    let signed_in = auth.viewer.user().is_some();
    let body = html! {
        h1 { "健康郑州行动监测" }
        p { "依据 郑政文〔2020〕59号 附件2（监测评估和考核方案）、附件3（考核指标框架）及各专项行动的目标。"
            @if !signed_in { "公众只能看到已审定的数值。" } }
        (year_form("/health", y))
        p {
            @for st in Status::ALL {
                (status(st.label(), tone(st))) " " (dash.counts.get(st.as_str()).copied().unwrap_or(0)) " 项　"
            }
        }
        p {
            a href="/health/reports" { "监测评估报告" }
            @if dash.office { "　" a href={ "/health/assessment?year=" (y) } { "考核结果" } }
        }
        h2 { "专项行动" }
        p { @for a in &dash.actions { a href={ "/health/actions/" (a.no) "?year=" (y) } { (a.no) ". " (a.name) } "（" (a.series.len()) "）　" } }
        @if !dash.unassigned.is_empty() {
            p class="note" { "未指定专项行动的指标 " (dash.unassigned.len()) " 项（由推进委员会办公室指定）。" }
        }
        h2 { (y) " 年度指标" }
        (table(&["序号", "指标", "专项行动", "基期值", "2022年目标", "2030年目标", "最新值", "状态", "趋势"], rows))
        @if signed_in {
            h2 { "上传数值" }
            p { "上传 .xlsx 或 CSV 文件，第1行为表头：" (upload::COLUMNS.join("、")) "。任何一行有误则整份文件不导入，并列出每个有误的行。"
                a href={ "/health/template.xlsx?year=" (y) } { "下载本单位的填报模板" } }
            form method="post" action="/health/upload" enctype="multipart/form-data" class="stack" {
                (csrf_field(auth.csrf.as_deref()))
                input type="file" name="file" accept=".xlsx,.csv" required;
                button type="submit" { "上传" }
            }
        }
    };
    Ok(render(&auth, "健康行动监测", body))
}

async fn series(
    State(state): State<AppState>,
    auth: Auth,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> PageResult {
    let id = path_id(id, "监测指标")?;
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let (d, cases) = blocking(&state, move |app| {
        let d = app.health_series(&viewer, id, q.year)?;
        let mut cases = Vec::new();
        let mut keys: Vec<(String, i64)> = d
            .observations
            .iter()
            .filter(|o| o.month == 0)
            .map(|o| (o.area.clone(), o.year))
            .collect();
        keys.dedup();
        for (area, year) in keys {
            if let Some(c) = app.health_case(&viewer, id, &area, year)? {
                cases.push((area, year, c));
            }
        }
        Ok((d, cases))
    })
    .await?;
    let s = &d.series;
    let chart = charts::series_chart(&SeriesChart {
        title: &s.name,
        unit: s.unit.as_deref(),
        baseline: attain::baseline(s),
        targets: &d
            .statuses
            .iter()
            .map(|t| t.target.clone())
            .collect::<Vec<_>>(),
        values: &d.values,
        width: 640.0,
        height: 240.0,
        small: false,
    });
    let area_name = |id: &str| {
        d.areas
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let csrf = auth.csrf.as_deref();
    let body = html! {
        h1 { (s.name) (unit_of(&s.unit)) }
        (fields([
            ("出处", html! { (s.clause) "（第 " (s.first_line) "—" (s.last_line) " 行）" }),
            ("专项行动", html! { (s.action_name.clone().unwrap_or_else(|| "未指定".into())) "；" (s.owner_source) }),
            ("方向", html! { (luoshi_rules::attainment::Direction::parse(&s.direction).label()) "（" (s.direction_source) "）" }),
            ("基期值", html! { (s.baseline_text.clone().unwrap_or_else(|| "—".into())) @if let Some(y) = s.baseline_year { "（" (y) "年）" } }),
            ("单位与倍数", html! { (s.unit.clone().unwrap_or_else(|| "—".into())) @if let Some(f) = &s.factor { "，数值 = 分子 ÷ 分母 × " (f) } }),
        ]))
        @if d.office && !d.actions.is_empty() {
            form method="post" action={ "/health/series/" (s.id) "/assign" } class="inline" {
                (csrf_field(csrf))
                label { "指定专项行动 " select name="action" {
                    @for (no, name) in &d.actions { option value=(no) selected[s.action_no == Some(*no)] { (no) ". " (name) } }
                } }
                button type="submit" { "指定" }
            }
        }
        p { a href={ "/health/series/" (s.id) "/compare?year=" (d.year) } { "县（市、区）对比" } }
        figure { (svg(&chart)) }
        h2 id="rule" { (d.year) " 年目标实现情况（全市）" }
        p class="note" { "规则：luoshi_rules::attainment，依据 " (luoshi_rules::attainment::CITATION) "。需年均变化 = (目标 − 起点) ÷ 年数；实际年均变化 = (最新值 − 起点) ÷ 年数（Open SDG 的做法）。" }
        @for t in &d.statuses {
            section {
                h3 { (t.target.year) " 年目标：" (t.target.value.clone().map(|v| format!("{}{v}", luoshi_rules::attainment::Op::parse(&t.target.op).map(|o| o.symbol()).unwrap_or(""))).unwrap_or_else(|| t.target.words.clone())) " " (status_tag(Some(t.attainment.status))) }
                p { (t.attainment.explanation) }
                (fields([
                    ("依据", html! { (t.attainment.citation) }),
                    ("原文用语", html! { (t.target.words) }),
                    ("需年均变化", html! { (t.attainment.required_rate.map(show).unwrap_or_else(|| "—".into())) }),
                    ("实际年均变化", html! { (t.attainment.observed_rate.map(show).unwrap_or_else(|| "—".into())) }),
                    ("按实际速度推算", html! { (t.attainment.projected.map(show).unwrap_or_else(|| "—".into())) }),
                ]))
                @if let Some(c) = &t.attainment.counting { p class="note" { "计数用语：" (c.citation) "：" (c.rule) } }
                @if !t.attainment.trace.is_empty() {
                    ol { @for step in &t.attainment.trace { li { (step.check) " —— " (if step.holds { "成立" } else { "不成立" }) "（" (step.clause) "）" } } }
                }
                @if d.office && t.target.op == "text" {
                    form method="post" action={ "/health/series/" (s.id) "/decide" } class="stack decide" {
                        (csrf_field(csrf))
                        input type="hidden" name="target" value=(t.target.id);
                        label { "地区 " select name="area" { @for a in &d.areas { option value=(a.id) { (a.name) } } } }
                        label { "年度 " input type="number" name="year" value=(d.year) min="2000" max="2100" required; }
                        label { "判定 " select name="met" { option value="true" { "已实现" } option value="false" { "未实现" } } }
                        label { "依据（文件、文号或材料） " input name="evidence" required; }
                        button type="submit" { "记录判定" }
                    }
                }
            }
        }
        h2 { "数值" }
        (table(&["地区", "年度", "月", "数值", "分子/分母", "状态", "录入", "审定", "更正记录"], html! {
            @for o in &d.observations {
                tr {
                    td { (area_name(&o.area)) }
                    td { (o.year) }
                    td { (if o.month == 0 { "全年".to_string() } else { o.month.to_string() }) }
                    td { (o.value) @if o.demo { " " span class="tag" { "演示" } } }
                    td { (o.numerator.clone().unwrap_or_default()) @if o.denominator.is_some() { " / " (o.denominator.clone().unwrap_or_default()) } }
                    td { (match o.status.as_str() { "approved" => "已审定", "submitted" => "待审核", "unlocked" => "已解锁", _ => "录入中" }) }
                    td { (o.entered_by) " " (o.entered_at) }
                    td { (o.approved_by.clone().unwrap_or_default()) " " (o.approved_at.clone().unwrap_or_default()) }
                    td { @if let Some(h) = d.history.get(&o.id) { @for x in h { (x.value) "（" (x.entered_by) "录入" @if let Some(a) = &x.approved_by { "，" (a) "审定" } "；" (x.replaced_at) " " (x.reason) "）" br; } } }
                }
            }
        }))
        @if !cases.is_empty() {
            h2 { "审核" }
            (table(&["地区", "年度", "状态", "操作"], html! {
                @for (area, year, c) in &cases {
                    tr {
                        td { (area_name(area)) }
                        td { (year) }
                        td { (luoshi_app::procedures::health::HEALTH_VALUES.state_label(&c.case.state)) }
                        td {
                            @for a in &c.actions {
                                @let (name, label) = (a.name, a.label);
                                @if name != "enter" {
                                    form method="post" action={ "/health/series/" (s.id) "/act" } class="inline" {
                                        (csrf_field(csrf))
                                        input type="hidden" name="area" value=(area);
                                        input type="hidden" name="year" value=(year);
                                        input type="hidden" name="action" value=(name);
                                        @if matches!(name, "return" | "unlock") { input name="note" placeholder="原因（必填）" required; }
                                        button type="submit" { (label) }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }
        @if d.can_enter {
            h2 { "录入数值" }
            form method="post" action={ "/health/series/" (s.id) "/values" } class="stack" {
                (csrf_field(csrf))
                label { "地区 " select name="area" { @for a in &d.areas { option value=(a.id) { (a.name) } } } }
                label { "年度 " input type="number" name="year" value=(d.year) min="2000" max="2100" required; }
                label { "月份（0 为全年） " input type="number" name="month" value="0" min="0" max="12"; }
                label { "数值 " input name="value" required inputmode="decimal"; }
                label { "分子 " input name="numerator" inputmode="decimal"; }
                label { "分母 " input name="denominator" inputmode="decimal"; }
                label { "说明 " input name="note"; }
                button type="submit" { "录入" }
            }
        }
    };
    Ok(render(&auth, &s.name, body))
}

async fn compare(
    State(state): State<AppState>,
    auth: Auth,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> PageResult {
    let id = path_id(id, "监测指标")?;
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let c = blocking(&state, move |app| {
        app.health_comparison(&viewer, id, q.year)
    })
    .await?;
    let body = html! {
        h1 { (c.series.name) "：县（市、区）对比" }
        (year_form(&format!("/health/series/{id}/compare"), c.year))
        p { a href={ "/health/series/" (id) } { "返回指标" } }
        (table(&["地区", "最新值", "状态", "说明", "历年"], html! {
            @for r in &c.rows {
                @let st = r.headline.as_ref().map(|h| h.attainment.status);
                tr {
                    td { (r.area.name) }
                    td { (point(r.latest.as_ref())) }
                    td { (status_tag(st)) }
                    td { (r.headline.as_ref().map(|h| h.attainment.explanation.clone()).unwrap_or_default()) }
                    td { (PreEscaped(&r.sparkline)) }
                }
            }
        }))
    };
    Ok(render(&auth, "县（市、区）对比", body))
}

async fn action(
    State(state): State<AppState>,
    auth: Auth,
    no: Result<Path<String>, PathRejection>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> PageResult {
    let no = path_id(no, "专项行动")?;
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let dash = blocking(&state, move |app| app.health_dashboard(&viewer, q.year)).await?;
    let list: Vec<&SeriesSummary> = dash
        .series
        .iter()
        .filter(|s| s.series.action_no == Some(no))
        .collect();
    let Some(first) = list.first() else {
        return Err(Error::not_found(format!("第 {no} 项专项行动")).into());
    };
    let name = first.series.action_name.clone().unwrap_or_default();
    let body = html! {
        h1 { (no) ". " (name) }
        p { a href={ "/health/report?kind=action&action=" (no) "&year=" (dash.year) } { "专题报告（网页）" } "　"
            a href={ "/health/report?kind=action&action=" (no) "&year=" (dash.year) "&format=pdf" } { "专题报告（PDF）" } }
        div class="grid" {
            @for s in &list {
                figure {
                    (svg(&charts::series_chart(&SeriesChart {
                        title: &s.series.name, unit: s.series.unit.as_deref(), baseline: attain::baseline(&s.series),
                        targets: &s.targets, values: &s.values, width: 240.0, height: 130.0, small: true,
                    })))
                    figcaption { a href={ "/health/series/" (s.series.id) } { (s.series.name) } " " (status_tag(s.headline.as_ref().map(|h| h.attainment.status))) }
                }
            }
        }
    };
    Ok(render(&auth, &name, body))
}

#[derive(Debug, Deserialize)]
struct EnterForm {
    csrf: String,
    area: String,
    year: i64,
    #[serde(default)]
    month: Option<i64>,
    value: String,
    #[serde(default)]
    numerator: String,
    #[serde(default)]
    denominator: String,
    #[serde(default)]
    note: String,
}

async fn enter(State(state): State<AppState>, p: Posted<EnterForm>) -> PageResult {
    let (auth, id, f) = p.open("监测指标")?;
    let viewer = auth.viewer.clone();
    let values = vec![ValueIn {
        month: f.month.unwrap_or(0),
        value: f.value,
        numerator: Some(f.numerator).filter(|s| !s.trim().is_empty()),
        denominator: Some(f.denominator).filter(|s| !s.trim().is_empty()),
        note: f.note,
    }];
    let year = f.year;
    blocking(&state, move |app| {
        app.health_act(&viewer, id, &f.area, year, "enter", values, None)
    })
    .await?;
    Ok(Redirect::to(&format!("/health/series/{id}?year={year}")).into_response())
}

#[derive(Debug, Deserialize)]
struct ActForm {
    csrf: String,
    area: String,
    year: i64,
    action: String,
    #[serde(default)]
    note: String,
}

async fn act(State(state): State<AppState>, p: Posted<ActForm>) -> PageResult {
    let (auth, id, f) = p.open("监测指标")?;
    let viewer = auth.viewer.clone();
    let year = f.year;
    let note = Some(f.note).filter(|n| !n.trim().is_empty());
    blocking(&state, move |app| {
        app.health_act(&viewer, id, &f.area, year, &f.action, vec![], note)
    })
    .await?;
    Ok(Redirect::to(&format!("/health/series/{id}?year={year}")).into_response())
}

#[derive(Debug, Deserialize)]
struct DecideForm {
    csrf: String,
    target: i64,
    area: String,
    year: i64,
    met: bool,
    evidence: String,
}

/// The office judges a qualitative target (定性目标) with its evidence.
async fn decide(State(state): State<AppState>, p: Posted<DecideForm>) -> PageResult {
    let (auth, id, f) = p.open("监测指标")?;
    let viewer = auth.viewer.clone();
    let year = f.year;
    blocking(&state, move |app| {
        app.health_decide(&viewer, id, f.target, &f.area, year, f.met, &f.evidence)
    })
    .await?;
    Ok(Redirect::to(&format!("/health/series/{id}?year={year}#rule")).into_response())
}

#[derive(Debug, Deserialize)]
struct AssignForm {
    csrf: String,
    action: i64,
}

/// The office assigns a series the document did not place to an action.
async fn assign(State(state): State<AppState>, p: Posted<AssignForm>) -> PageResult {
    let (auth, id, f) = p.open("监测指标")?;
    let viewer = auth.viewer.clone();
    blocking(&state, move |app| app.health_assign(&viewer, id, f.action)).await?;
    Ok(Redirect::to(&format!("/health/series/{id}")).into_response())
}

async fn upload_values(
    State(state): State<AppState>,
    auth: Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    if auth.viewer.user().is_none() {
        return Err(Error::unauthenticated().into());
    }
    let (csrf, file) = csrf_and_file(multipart, upload::MAX_BYTES, "upload.csv").await?;
    auth.check_csrf(&csrf)?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(Error::bad_input("E_UPLOAD", "请选择要上传的文件").into());
    };
    let viewer = auth.viewer.clone();
    let shown = name.clone();
    let out = blocking(&state, move |app| app.health_upload(&viewer, &name, &bytes)).await?;
    let body = html! {
        h1 { "上传完成" }
        p { (shown) "：录入 " (out.rows) " 个数值（" (out.groups) " 组指标、地区和年度），待报送审核。" }
        p { a href="/health" { "返回监测总览" } }
    };
    Ok(render(&auth, "上传完成", body))
}

async fn reports(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let (published, dash) = blocking(&state, move |app| {
        Ok((
            app.health_published(&viewer)?,
            app.health_dashboard(&viewer, None)?,
        ))
    })
    .await?;
    let office = dash.office;
    let signed_in = auth.viewer.user().is_some();
    let years: Vec<i64> = (2019..=dash.year).rev().collect();
    let body = html! {
        h1 { "监测评估报告" }
        p { "依据 郑政文〔2020〕59号 附件2 二（三）：各专项行动工作组每年形成专题报告，推进委员会办公室组织形成总体监测评估报告。报告只采用已审定的数值。" }
        h2 { "已发布" }
        (table(&["年度", "报告", "发布", "下载"], html! {
            @for r in &published {
                tr {
                    td { (r.year) }
                    td { (if r.kind == "overall" { "总体监测评估报告".to_string() } else { format!("第 {} 项专项行动专题报告", r.action_no) }) }
                    td { (r.published_by) " " (r.published_at) }
                    td { a href={ "/health/report?kind=" (r.kind) "&action=" (r.action_no) "&year=" (r.year) } { "网页" } " "
                         a href={ "/health/report?kind=" (r.kind) "&action=" (r.action_no) "&year=" (r.year) "&format=pdf" } { "PDF" } }
                }
            }
        }))
        @if signed_in {
            h2 { "生成报告" }
            (table(&["年度", "总体监测评估报告", "操作"], html! {
                @for y in &years {
                    tr {
                        td { (y) }
                        td { a href={ "/health/report?kind=overall&year=" (y) } { "网页" } " " a href={ "/health/report?kind=overall&year=" (y) "&format=pdf" } { "下载 PDF" } }
                        td { @if office {
                            form method="post" action="/health/reports" class="inline" {
                                (csrf_field(auth.csrf.as_deref()))
                                input type="hidden" name="kind" value="overall";
                                input type="hidden" name="year" value=(y);
                                button type="submit" { "发布" }
                            }
                        } }
                    }
                }
            }))
        }
    };
    Ok(render(&auth, "监测评估报告", body))
}

#[derive(Debug, Deserialize)]
struct PublishForm {
    csrf: String,
    kind: String,
    year: i64,
    #[serde(default)]
    action: i64,
}

csrf_forms!(EnterForm, ActForm, DecideForm, AssignForm, PublishForm);

async fn publish(State(state): State<AppState>, p: Posted<PublishForm>) -> PageResult {
    let (auth, f) = p.open_form()?;
    let viewer = auth.viewer.clone();
    blocking(&state, move |app| {
        app.health_publish(&viewer, &f.kind, f.year, f.action)
    })
    .await?;
    Ok(Redirect::to("/health/reports").into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReportQuery {
    pub kind: String,
    pub year: i64,
    #[serde(default)]
    pub action: i64,
    #[serde(default)]
    pub format: Option<String>,
}

/// A report as HTML (A4) or PDF, for pages and the API alike.
pub(crate) async fn report_response(
    state: &AppState,
    viewer: luoshi_app::Viewer,
    q: ReportQuery,
) -> Result<Response, Error> {
    let kind = Kind::parse(&q.kind, q.action)?;
    let year = q.year;
    let pdf_wanted = q.format.as_deref() == Some("pdf");
    if !matches!(q.format.as_deref(), None | Some("pdf") | Some("html")) {
        return Err(Error::bad_input("E_QUERY", "format 应为 html 或 pdf"));
    }
    let (r, bytes) = blocking(state, move |app| {
        let r = app.health_report(&viewer, kind, year)?;
        let bytes = if pdf_wanted {
            Some(pdf::render(&r, &pdf::find_font()?)?)
        } else {
            None
        };
        Ok((r, bytes))
    })
    .await?;
    let (k, n) = kind.key();
    Ok(match bytes {
        Some(b) => (
            [
                (CONTENT_TYPE, "application/pdf".to_string()),
                (
                    CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"health-{k}{}-{year}.pdf\"",
                        if n > 0 { n.to_string() } else { String::new() }
                    ),
                ),
            ],
            b,
        )
            .into_response(),
        None => (
            [(CONTENT_TYPE, "text/html; charset=utf-8".to_string())],
            report::html(&r),
        )
            .into_response(),
    })
}

async fn report_file(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    Ok(report_response(&state, auth.viewer.clone(), q).await?)
}

async fn report_css() -> Response {
    (
        [(CONTENT_TYPE, "text/css; charset=utf-8")],
        report::PRINT_CSS,
    )
        .into_response()
}

async fn template(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    if auth.viewer.user().is_none() {
        return Err(Error::unauthenticated().into());
    }
    let viewer = auth.viewer.clone();
    let year = q.year.unwrap_or(2024);
    let bytes = blocking(&state, move |app| upload::template(app, &viewer, year)).await?;
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"health-values-{year}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
