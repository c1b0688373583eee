//! The assessment pages (考核, 郑政文〔2020〕59号 附件2 三): the results of a year per
//! county/district and per lead department with the figures behind every score, the lists to
//! commend (通报表扬) and to interview (约谈), and the scoring scheme (考核计分办法) in words and
//! as data, which the office edits (三（一）: 推进委员会办公室负责具体组织实施).

use super::super::layout::{csrf_field, fields, status, table, Tone};
use super::super::posted::{csrf_forms, Posted};
use super::super::{render, PageResult};
use super::{year_form, YearQuery};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use luoshi_app::health::assess::{Assessed, SchemeText};
use luoshi_app::health::is_office;
use luoshi_rules::assessment::{TieBreak, SCORED};
use luoshi_rules::attainment::Status;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health/assessment", get(assessment))
        .route("/health/assessment/scheme", get(scheme).post(set_scheme))
}

fn score(x: &Assessed) -> String {
    x.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into())
}

/// The results table, then each subject's indicators (the figures behind the score).
fn results(list: &[Assessed]) -> Markup {
    html! {
        (table(&["名次", "单位", "得分", "已实现", "进度正常", "滞后", "恶化", "无法评估", "结果", "依据的数字"], html! {
            @for x in list {
                tr {
                    td { @if x.rank > 0 { (x.rank) } @else { "—" } }
                    td { (x.name) }
                    td { (score(x)) }
                    @for st in Status::ALL { td { (x.count(st)) } }
                    td { @if x.commend { (status("通报表扬", Tone::Ok)) } @if x.interview { (status("约谈", Tone::Bad)) } }
                    td { (x.reasons.join("；")) }
                }
            }
        }))
        @for x in list {
            details {
                summary { (x.name) "：得分 " (score(x)) "，计分指标 " (x.assessed) " 项" }
                (table(&["指标", "状态", "权重", "分值", "最新值", "说明"], html! {
                    @for i in &x.items {
                        tr {
                            td { a href={ "/health/series/" (i.item.id) } { (i.item.key) " " (i.item.name) } }
                            td { (i.item.status.label()) }
                            td { (i.weight) }
                            td { (i.points.map(|p| p.to_string()).unwrap_or_else(|| "不计".into())) }
                            td { (i.item.latest.map(|p| format!("{}（{}年）", p.value, p.year)).unwrap_or_else(|| "—".into())) }
                            td { (i.item.explanation) }
                        }
                    }
                }))
            }
        }
    }
}

/// Who is on a list, from both tables, with the reasons.
fn listed(areas: &[Assessed], depts: &[Assessed], pick: fn(&Assessed) -> bool) -> Markup {
    let rows: Vec<(&str, &Assessed)> = areas
        .iter()
        .map(|x| ("县（市、区）", x))
        .chain(depts.iter().map(|x| ("部门", x)))
        .filter(|(_, x)| pick(x))
        .collect();
    html! {
        @if rows.is_empty() { p { "无" } } @else {
            ul { @for (kind, x) in rows { li { (kind) " " strong { (x.name) } "：" (x.reasons.join("；")) } } }
        }
    }
}

async fn assessment(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> PageResult {
    let q = input::query(q)?;
    let viewer = auth.viewer.clone();
    let year = q.year.unwrap_or(2023);
    let a = blocking(&state, move |app| app.health_assessment(&viewer, year)).await?;
    let body = html! {
        h1 { (a.year) " 年度考核结果" }
        (year_form("/health/assessment", a.year))
        p class="note" { "依据 " (a.cites) "。计分办法：" a href="/health/assessment/scheme" { (a.scheme.name) } "；只采用已审定的数值。" }
        h2 { "通报表扬（考评结果好的）" }
        (listed(&a.areas, &a.departments, |x| x.commend))
        h2 { "约谈并督促整改（进度滞后、工作不力的）" }
        (listed(&a.areas, &a.departments, |x| x.interview))
        h2 { "县（市、区）" }
        (results(&a.areas))
        h2 { "牵头部门" }
        p class="note" { "各专项行动的牵头部门，按全市数值计分。" }
        (results(&a.departments))
    };
    Ok(render(&auth, "考核结果", body))
}

/// The form's text for a scheme's weights: one `T2=2` per line.
fn weights_text(w: &BTreeMap<String, String>) -> String {
    w.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn scheme(State(state): State<AppState>, auth: Auth) -> PageResult {
    let viewer = auth.viewer.clone();
    let s = blocking(&state, move |app| app.health_scheme(&viewer)).await?;
    let text = SchemeText::from(&s);
    let office = is_office(&auth.viewer);
    let body = html! {
        h1 { "考核计分办法" }
        p class="note" { "依据 郑政文〔2020〕59号 附件2 三（二）（考核指标框架见附件3）、三（三）（通报表扬和约谈）。文件未规定分值、权重和分数线，由推进委员会办公室确定（三（一））。" }
        h2 { (s.name) }
        ol { @for line in s.describe() { li { (line) } } }
        @if office {
            h2 { "修改" }
            form method="post" action="/health/assessment/scheme" {
                (csrf_field(auth.csrf.as_deref()))
                (fields([
                    ("名称", html! { input type="text" name="name" value=(text.name) required; }),
                    ("考核指标", html! { select name="include" {
                        option value="table" selected[text.include == "table"] { "仅附件3 考核指标" }
                        option value="all" selected[text.include == "all"] { "附件3 和正文目标" }
                    } }),
                    ("默认权重", html! { input type="text" name="default_weight" value=(text.default_weight) required; }),
                    ("单项权重", html! { textarea name="weights" rows="4" placeholder="每行一项，如 T2=2；权重 0 表示不计入" { (weights_text(&text.weights)) } }),
                    ("分值：已实现", html! { input type="text" name="achieved" value=(text.points.get("achieved").cloned().unwrap_or_default()) required; }),
                    ("分值：进度正常", html! { input type="text" name="on_track" value=(text.points.get("on_track").cloned().unwrap_or_default()) required; }),
                    ("分值：进度滞后", html! { input type="text" name="behind" value=(text.points.get("behind").cloned().unwrap_or_default()) required; }),
                    ("分值：趋于恶化", html! { input type="text" name="deteriorating" value=(text.points.get("deteriorating").cloned().unwrap_or_default()) required; }),
                    ("表扬分数线（不低于）", html! { input type="text" name="commend_min" value=(text.commend_min) required; }),
                    ("表扬至多", html! { input type="number" name="commend_max" min="0" value=(text.commend_max) required; }),
                    ("约谈分数线（低于）", html! { input type="text" name="interview_below" value=(text.interview_below) required; }),
                    ("恶化几项即约谈", html! { input type="number" name="interview_deteriorating" min="1" value=(text.interview_deteriorating) required; }),
                    ("并列时依次比较", html! {
                        @for n in 0..TieBreak::ALL.len() {
                            select name={ "tie" (n + 1) } {
                                option value="" { "（不用）" }
                                @for t in TieBreak::ALL {
                                    option value=(t.as_str()) selected[s.tie_breaks.get(n) == Some(&t)] { (t.label()) }
                                }
                            }
                        }
                    }),
                ]))
                button type="submit" { "保存计分办法" }
            }
        }
        p { a href="/health/assessment" { "考核结果" } }
    };
    Ok(render(&auth, "考核计分办法", body))
}

#[derive(Debug, Deserialize)]
struct SchemeForm {
    csrf: String,
    name: String,
    include: String,
    default_weight: String,
    #[serde(default)]
    weights: String,
    achieved: String,
    on_track: String,
    behind: String,
    deteriorating: String,
    commend_min: String,
    commend_max: usize,
    interview_below: String,
    interview_deteriorating: usize,
    #[serde(default)]
    tie1: String,
    #[serde(default)]
    tie2: String,
    #[serde(default)]
    tie3: String,
    #[serde(default)]
    tie4: String,
}

csrf_forms!(SchemeForm);

impl SchemeForm {
    /// The form as the scheme's text; a weight line without `=` is refused naming it.
    fn text(self) -> Result<SchemeText, luoshi_domain::Error> {
        let mut weights = BTreeMap::new();
        for line in self
            .weights
            .split(['\n', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let (k, v) = line.split_once(['=', '＝']).ok_or_else(|| {
                luoshi_domain::Error::bad_input(
                    "E_HEALTH_SCHEME",
                    format!("考核计分办法有误：单项权重“{line}”应写成 指标编号=权重（如 T2=2）"),
                )
            })?;
            weights.insert(k.trim().to_string(), v.trim().to_string());
        }
        let points = SCORED
            .iter()
            .zip([
                self.achieved,
                self.on_track,
                self.behind,
                self.deteriorating,
            ])
            .map(|(s, v)| (s.as_str().to_string(), v))
            .collect();
        Ok(SchemeText {
            name: self.name,
            include: self.include,
            weights,
            default_weight: self.default_weight,
            points,
            commend_min: self.commend_min,
            commend_max: self.commend_max,
            interview_below: self.interview_below,
            interview_deteriorating: self.interview_deteriorating,
            tie_breaks: [self.tie1, self.tie2, self.tie3, self.tie4]
                .into_iter()
                .filter(|t| !t.trim().is_empty())
                .collect(),
        })
    }
}

async fn set_scheme(State(state): State<AppState>, p: Posted<SchemeForm>) -> PageResult {
    let (auth, f) = p.open_form()?;
    let text = f.text()?;
    let viewer = auth.viewer.clone();
    blocking(&state, move |app| {
        app.health_set_scheme_text(&viewer, &text)
    })
    .await?;
    Ok(Redirect::to("/health/assessment/scheme").into_response())
}
