//! Health-action monitoring as JSON (`/indicators`, 郑政文〔2020〕59号 附件2、附件3): the monitored
//! series with their status, one series with the rule's reasoning and its values, entering and
//! approving values, the county/district comparison, the assessment and the reports.
//! Decimals are strings exactly as entered or published (`"4.10"`).

use super::write::Write;
use super::{id, json, ApiError, ApiResult};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use luoshi_app::health::assess::{Assessed, SchemeText};
use luoshi_app::health::attain::TargetStatus;
use luoshi_app::health::views::SeriesSummary;
use luoshi_app::health::ValueIn;
use luoshi_app::{App, Viewer};
use luoshi_domain::Error;
use luoshi_rules::attainment::Point;
use luoshi_store::health::{ObservationRow, SeriesRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(tags((name = "indicators", description = "健康行动监测：指标、数值、目标实现情况、考核与报告（郑政文〔2020〕59号 附件2、附件3）")))]
struct HealthApi;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(HealthApi::openapi())
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(observations, enter))
        .routes(routes!(act))
        .routes(routes!(decide))
        .routes(routes!(assign))
        .routes(routes!(comparison))
        .routes(routes!(assessment))
        .routes(routes!(scheme, set_scheme))
        .routes(routes!(reports))
        .routes(routes!(report))
}

/// A target of a series.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetOut {
    pub id: i64,
    pub year: i64,
    /// `>=`, `<=`, `>`, `<`, `=`（应达到的水平）, `trend`, `text`.
    pub op: String,
    pub value: Option<String>,
    /// 原文用语.
    pub words: String,
    /// 出处（文号 + 条款）.
    pub clause: String,
}

/// One step of the rule's reasoning.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepOut {
    pub clause: String,
    pub check: String,
    pub holds: bool,
}

/// A target's attainment (rule `luoshi_rules::attainment`).
#[derive(Debug, Serialize, ToSchema)]
pub struct AttainmentOut {
    pub target: TargetOut,
    /// `achieved`, `on_track`, `behind`, `deteriorating`, `not_assessable`.
    pub status: String,
    pub label: String,
    pub explanation: String,
    /// Open SDG：从起点到目标所需的年均变化.
    pub required_rate: Option<String>,
    /// Open SDG：从起点到最新值的实际年均变化.
    pub observed_rate: Option<String>,
    pub projected: Option<String>,
    pub citation: String,
    pub trace: Vec<StepOut>,
}

/// A monitored series with its headline status.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorOut {
    pub id: i64,
    /// `T2`（附件3 第2项）, `T25.1`, `P:三、（一）:…`（文字目标）.
    pub key: String,
    pub no: Option<i64>,
    pub name: String,
    pub unit: Option<String>,
    pub factor: Option<String>,
    /// `up`, `down`, `none`.
    pub direction: String,
    pub baseline_value: Option<String>,
    pub baseline_year: Option<i64>,
    pub action_no: Option<i64>,
    pub action_name: Option<String>,
    pub owner_source: String,
    pub clause: String,
    pub latest_year: Option<i32>,
    pub latest_value: Option<String>,
    pub status: Option<String>,
    pub targets: Vec<TargetOut>,
}

/// A value.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObservationOut {
    pub id: i64,
    pub area: String,
    pub year: i64,
    /// 0 = 全年.
    pub month: i64,
    pub value: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    /// `entered`, `submitted`, `approved`, `unlocked`.
    pub status: String,
    pub entered_by: String,
    pub entered_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub demo: bool,
}

/// A series with its city attainment and the values the viewer may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorDetail {
    pub indicator: IndicatorOut,
    pub year: i64,
    pub attainment: Vec<AttainmentOut>,
    pub observations: Vec<ObservationOut>,
}

/// Values of one area and year.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EnterBody {
    /// `city`（全市）、单位编号（`county.jinshui`）或名称（`金水区`）.
    pub area: String,
    pub year: i64,
    pub values: Vec<ValueIn>,
}

/// An approval step on an area's values of a year.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActBody {
    pub area: String,
    pub year: i64,
    /// `submit`（报送）, `approve`（审定锁定）, `return`（退回，须说明）, `unlock`（解锁，须说明）.
    pub action: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// The office's decision on a qualitative target (定性目标判定).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionBody {
    /// 目标编号（见指标详情的 targets）.
    pub target_id: i64,
    /// `city` 或县（市、区）的单位编号.
    pub area: String,
    pub year: i64,
    /// 是否已实现.
    pub met: bool,
    /// 依据（文件、文号或材料），必填.
    pub evidence: String,
}

/// A recorded decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecidedOut {
    pub id: i64,
}

/// Which action a series belongs to.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// 专项行动序号（1—18）.
    pub action_no: i64,
}

/// A series' action after assignment.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignedOut {
    pub series_id: i64,
    pub action_no: i64,
}

/// What an action did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActedOut {
    pub case_id: i64,
    pub from_state: String,
    pub to_state: String,
    pub version: i64,
}

impl From<luoshi_app::cases::Acted> for ActedOut {
    fn from(a: luoshi_app::cases::Acted) -> Self {
        ActedOut {
            case_id: a.case_id,
            from_state: a.from_state,
            to_state: a.to_state,
            version: a.version,
        }
    }
}

/// An area in a comparison.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaOut {
    pub area: String,
    pub name: String,
    pub latest_year: Option<i32>,
    pub latest_value: Option<String>,
    pub status: Option<String>,
    pub explanation: Option<String>,
}

/// One indicator's part of a score (the figures behind it).
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemScoreOut {
    pub series_id: i64,
    pub key: String,
    pub name: String,
    /// 该年度的目标实现状态.
    pub status: String,
    pub weight: String,
    /// 分值；无法评估的为空（不计入）.
    pub points: Option<String>,
    pub latest_year: Option<i32>,
    pub latest_value: Option<String>,
    pub explanation: String,
}

/// A county/district or department assessed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessedOut {
    /// 名次（从 1 起）；没有得分的为 0.
    pub rank: usize,
    pub id: String,
    pub name: String,
    /// 得分（两位小数）.
    pub score: Option<String>,
    pub counts: BTreeMap<String, usize>,
    /// 计分的指标数.
    pub assessed: usize,
    pub commend: bool,
    pub interview: bool,
    /// 列入名单的理由及依据的数字.
    pub reasons: Vec<String>,
    pub items: Vec<ItemScoreOut>,
}

/// Who is on a list (通报表扬 or 约谈), with the reasons.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedOut {
    /// `area`（县（市、区））或 `department`（部门）.
    pub kind: String,
    pub id: String,
    pub name: String,
    pub score: Option<String>,
    pub reasons: Vec<String>,
}

/// The assessment of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentOut {
    pub year: i64,
    /// 出处（文号 + 条款）.
    pub cites: String,
    pub scheme: String,
    /// 计分办法逐条说明.
    pub scheme_rules: Vec<String>,
    pub areas: Vec<AssessedOut>,
    pub departments: Vec<AssessedOut>,
    /// 通报表扬名单（考评结果好的，附件2 三（三））.
    pub commend: Vec<ListedOut>,
    /// 约谈名单（进度滞后、工作不力的，附件2 三（三））.
    pub interview: Vec<ListedOut>,
}

/// A published report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    pub kind: String,
    pub year: i64,
    pub action_no: i64,
    pub published_by: String,
    pub published_at: String,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
struct YearQuery {
    /// 年度（默认：有数值的最近年度）.
    #[serde(default)]
    year: Option<i64>,
}

fn point(p: Option<&Point>) -> (Option<i32>, Option<String>) {
    (p.map(|p| p.year), p.map(|p| p.value.to_string()))
}

fn target_out(t: &luoshi_store::health::TargetRow) -> TargetOut {
    TargetOut {
        id: t.id,
        year: t.year,
        op: t.op.clone(),
        value: t.value.clone(),
        words: t.words.clone(),
        clause: t.clause.clone(),
    }
}

fn attainment_out(t: &TargetStatus) -> AttainmentOut {
    let a = &t.attainment;
    AttainmentOut {
        target: target_out(&t.target),
        status: a.status.as_str().into(),
        label: a.label.into(),
        explanation: a.explanation.clone(),
        required_rate: a.required_rate.map(|d| d.to_string()),
        observed_rate: a.observed_rate.map(|d| d.to_string()),
        projected: a.projected.map(|d| d.to_string()),
        citation: a.citation.clone(),
        trace: a
            .trace
            .iter()
            .map(|s| StepOut {
                clause: s.clause.clone(),
                check: s.check.clone(),
                holds: s.holds,
            })
            .collect(),
    }
}

fn indicator_out(
    s: &SeriesRow,
    latest: Option<&Point>,
    status: Option<&TargetStatus>,
    targets: &[luoshi_store::health::TargetRow],
) -> IndicatorOut {
    let (latest_year, latest_value) = point(latest);
    IndicatorOut {
        id: s.id,
        key: s.key.clone(),
        no: s.no,
        name: s.name.clone(),
        unit: s.unit.clone(),
        factor: s.factor.clone(),
        direction: s.direction.clone(),
        baseline_value: s.baseline_value.clone(),
        baseline_year: s.baseline_year,
        action_no: s.action_no,
        action_name: s.action_name.clone(),
        owner_source: s.owner_source.clone(),
        clause: s.clause.clone(),
        latest_year,
        latest_value,
        status: status.map(|h| h.attainment.status.as_str().to_string()),
        targets: targets.iter().map(target_out).collect(),
    }
}

fn summary_out(s: &SeriesSummary) -> IndicatorOut {
    indicator_out(
        &s.series,
        s.latest.as_ref(),
        s.headline.as_ref(),
        &s.targets,
    )
}

fn observation_out(o: ObservationRow) -> ObservationOut {
    ObservationOut {
        id: o.id,
        area: o.area,
        year: o.year,
        month: o.month,
        value: o.value,
        numerator: o.numerator,
        denominator: o.denominator,
        status: o.status,
        entered_by: o.entered_by,
        entered_at: o.entered_at,
        approved_by: o.approved_by,
        approved_at: o.approved_at,
        demo: o.demo,
    }
}

/// 监测指标及其状态（公众只看到已审定的数值）
#[utoipa::path(get, path = "/indicators", tag = "indicators", params(YearQuery),
    responses((status = 200, description = "指标", body = Vec<IndicatorOut>)))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    let dash = blocking(&state, move |app| {
        app.health_dashboard(&auth.viewer, q.year)
    })
    .await?;
    Ok(json(
        dash.series.iter().map(summary_out).collect::<Vec<_>>(),
    ))
}

/// A view of the series named in the path for the year asked (`?year=`, default: the latest
/// with values), as the viewer may see it.
async fn series_of_year<T: Send + 'static>(
    state: &AppState,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    q: Result<Query<YearQuery>, QueryRejection>,
    view: fn(&App, &Viewer, i64, Option<i64>) -> luoshi_app::Result<T>,
) -> Result<T, ApiError> {
    let sid = id(raw, "监测指标")?;
    let year = input::query(q)?.year;
    Ok(blocking(state, move |app| view(app, &auth.viewer, sid, year)).await?)
}

/// 一个指标：全市各目标的实现情况（含判断过程、需/实际年均变化）及可见的数值
#[utoipa::path(get, path = "/indicators/{id}", tag = "indicators",
    params(("id" = i64, Path, description = "指标编号"), YearQuery),
    responses((status = 200, description = "指标详情", body = IndicatorDetail)))]
async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult {
    let d = series_of_year(&state, auth, raw, q, App::health_series).await?;
    let targets: Vec<_> = d.statuses.iter().map(|t| t.target.clone()).collect();
    let head = luoshi_app::health::attain::headline(&d.statuses, d.year);
    Ok(json(IndicatorDetail {
        indicator: indicator_out(&d.series, d.values.last(), head, &targets),
        year: d.year,
        attainment: d.statuses.iter().map(attainment_out).collect(),
        observations: d.observations.into_iter().map(observation_out).collect(),
    }))
}

/// 指标的数值（按权限过滤：公众只看到已审定的数值）
#[utoipa::path(get, path = "/indicators/{id}/observations", tag = "indicators",
    params(("id" = i64, Path, description = "指标编号")),
    responses((status = 200, description = "数值", body = Vec<ObservationOut>)))]
async fn observations(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let sid = id(raw, "监测指标")?;
    let d = blocking(&state, move |app| {
        app.health_series(&auth.viewer, sid, None)
    })
    .await?;
    Ok(json(
        d.observations
            .into_iter()
            .map(observation_out)
            .collect::<Vec<_>>(),
    ))
}

/// 录入一个地区一个年度的数值（负责该指标的部门或该县区）；须在 X-CSRF-Token 头中提供会话的 CSRF 令牌
#[utoipa::path(post, path = "/indicators/{id}/observations", tag = "indicators",
    params(("id" = i64, Path, description = "指标编号"), ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = EnterBody,
    responses((status = 200, description = "已录入（待报送审核）", body = ActedOut)))]
async fn enter(State(state): State<AppState>, w: Write<EnterBody>) -> ApiResult {
    let (auth, sid, b) = w.open("监测指标")?;
    let acted = blocking(&state, move |app| {
        app.health_act(&auth.viewer, sid, &b.area, b.year, "enter", b.values, None)
    })
    .await?;
    Ok(json(ActedOut::from(acted)))
}

/// 报送、审定（锁定）、退回或解锁一个地区一个年度的数值；须在 X-CSRF-Token 头中提供会话的 CSRF 令牌
#[utoipa::path(post, path = "/indicators/{id}/actions", tag = "indicators",
    params(("id" = i64, Path, description = "指标编号"), ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = ActBody,
    responses((status = 200, description = "已执行", body = ActedOut)))]
async fn act(State(state): State<AppState>, w: Write<ActBody>) -> ApiResult {
    let (auth, sid, b) = w.open("监测指标")?;
    if b.action == "enter" {
        return Err(
            Error::bad_input("E_INPUT", "录入数值请用 POST /indicators/{id}/observations").into(),
        );
    }
    let acted = blocking(&state, move |app| {
        app.health_act(
            &auth.viewer,
            sid,
            &b.area,
            b.year,
            &b.action,
            vec![],
            b.note,
        )
    })
    .await?;
    Ok(json(ActedOut::from(acted)))
}

/// 判定定性目标（如“提前实现”）是否实现，须写明依据；仅推进委员会办公室；须在 X-CSRF-Token 头中提供会话的 CSRF 令牌
#[utoipa::path(post, path = "/indicators/{id}/decisions", tag = "indicators",
    params(("id" = i64, Path, description = "指标编号"), ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = DecisionBody,
    responses((status = 200, description = "已记录", body = DecidedOut)))]
async fn decide(State(state): State<AppState>, w: Write<DecisionBody>) -> ApiResult {
    let (auth, sid, b) = w.open("监测指标")?;
    let id = blocking(&state, move |app| {
        app.health_decide(
            &auth.viewer,
            sid,
            b.target_id,
            &b.area,
            b.year,
            b.met,
            &b.evidence,
        )
    })
    .await?;
    Ok(json(DecidedOut { id }))
}

/// 指定指标所属的专项行动（文件未写明时）；仅推进委员会办公室；须在 X-CSRF-Token 头中提供会话的 CSRF 令牌
#[utoipa::path(put, path = "/indicators/{id}/action", tag = "indicators",
    params(("id" = i64, Path, description = "指标编号"), ("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = AssignBody,
    responses((status = 200, description = "已指定", body = AssignedOut)))]
async fn assign(State(state): State<AppState>, w: Write<AssignBody>) -> ApiResult {
    let (auth, sid, b) = w.open("监测指标")?;
    let no = b.action_no;
    blocking(&state, move |app| app.health_assign(&auth.viewer, sid, no)).await?;
    Ok(json(AssignedOut {
        series_id: sid,
        action_no: no,
    }))
}

/// 县（市、区）对比：各地区的最新值与目标实现情况
#[utoipa::path(get, path = "/indicators/{id}/comparison", tag = "indicators",
    params(("id" = i64, Path, description = "指标编号"), YearQuery),
    responses((status = 200, description = "各地区", body = Vec<AreaOut>)))]
async fn comparison(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult {
    let c = series_of_year(&state, auth, raw, q, App::health_comparison).await?;
    Ok(json(
        c.rows
            .iter()
            .map(|r| {
                let (latest_year, latest_value) = point(r.latest.as_ref());
                AreaOut {
                    area: r.area.id.clone(),
                    name: r.area.name.clone(),
                    latest_year,
                    latest_value,
                    status: r
                        .headline
                        .as_ref()
                        .map(|h| h.attainment.status.as_str().into()),
                    explanation: r
                        .headline
                        .as_ref()
                        .map(|h| h.attainment.explanation.clone()),
                }
            })
            .collect::<Vec<_>>(),
    ))
}

/// 考核结果：县（市、区）和牵头部门的得分、名次、通报表扬与约谈名单及依据（仅推进委员会办公室和全市性机构）
#[utoipa::path(get, path = "/indicators/assessment", tag = "indicators", params(YearQuery),
    responses((status = 200, description = "考核结果", body = AssessmentOut)))]
async fn assessment(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> ApiResult {
    let q = input::query(q)?;
    let year = q.year.unwrap_or(2023);
    let a = blocking(&state, move |app| app.health_assessment(&auth.viewer, year)).await?;
    let out = |list: &[Assessed]| list.iter().map(assessed_out).collect::<Vec<_>>();
    let listed = |pick: fn(&Assessed) -> bool| {
        let kind = |k: &str, list: &[Assessed]| {
            list.iter()
                .filter(|x| pick(x))
                .map(|x| ListedOut {
                    kind: k.into(),
                    id: x.id.clone(),
                    name: x.name.clone(),
                    score: x.score.map(|s| s.to_string()),
                    reasons: x.reasons.clone(),
                })
                .collect::<Vec<_>>()
        };
        let mut v = kind("area", &a.areas);
        v.extend(kind("department", &a.departments));
        v
    };
    Ok(json(AssessmentOut {
        year: a.year,
        cites: a.cites.into(),
        scheme: a.scheme.name.clone(),
        scheme_rules: a.scheme.describe(),
        commend: listed(|x| x.commend),
        interview: listed(|x| x.interview),
        areas: out(&a.areas),
        departments: out(&a.departments),
    }))
}

fn assessed_out(x: &Assessed) -> AssessedOut {
    AssessedOut {
        rank: x.rank,
        id: x.id.clone(),
        name: x.name.clone(),
        score: x.score.map(|s| s.to_string()),
        counts: x.counts.clone(),
        assessed: x.assessed,
        commend: x.commend,
        interview: x.interview,
        reasons: x.reasons.clone(),
        items: x
            .items
            .iter()
            .map(|i| ItemScoreOut {
                series_id: i.item.id,
                key: i.item.key.clone(),
                name: i.item.name.clone(),
                status: i.item.status.as_str().into(),
                weight: i.weight.to_string(),
                points: i.points.map(|p| p.to_string()),
                latest_year: i.item.latest.map(|p| p.year),
                latest_value: i.item.latest.map(|p| p.value.to_string()),
                explanation: i.item.explanation.clone(),
            })
            .collect(),
    }
}

/// 考核计分办法（权重、分值、分数线、并列规则）；推进委员会办公室和全市性机构可读
#[utoipa::path(get, path = "/indicators/assessment/scheme", tag = "indicators",
    responses((status = 200, description = "计分办法", body = SchemeText)))]
async fn scheme(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let s = blocking(&state, move |app| app.health_scheme(&auth.viewer)).await?;
    Ok(json(SchemeText::from(&s)))
}

/// 修改考核计分办法（整体替换，先校验，有误则不作任何修改）；仅推进委员会办公室；须在 X-CSRF-Token 头中提供会话的 CSRF 令牌
#[utoipa::path(put, path = "/indicators/assessment/scheme", tag = "indicators",
    params(("X-CSRF-Token" = String, Header, description = "会话的 CSRF 令牌")),
    request_body = SchemeText,
    responses((status = 200, description = "已保存", body = SchemeText)))]
async fn set_scheme(State(state): State<AppState>, w: Write<SchemeText>) -> ApiResult {
    let (auth, text) = w.open_body()?;
    let s = blocking(&state, move |app| {
        app.health_set_scheme_text(&auth.viewer, &text)
    })
    .await?;
    Ok(json(SchemeText::from(&s)))
}

/// 已发布的监测评估报告
#[utoipa::path(get, path = "/indicators/reports", tag = "indicators",
    responses((status = 200, description = "报告", body = Vec<ReportOut>)))]
async fn reports(State(state): State<AppState>, auth: Auth) -> ApiResult {
    let list = blocking(&state, move |app| app.health_published(&auth.viewer)).await?;
    Ok(json(
        list.into_iter()
            .map(|r| ReportOut {
                kind: r.kind,
                year: r.year,
                action_no: r.action_no,
                published_by: r.published_by,
                published_at: r.published_at,
            })
            .collect::<Vec<_>>(),
    ))
}

/// One part of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockOut {
    /// `heading`, `para`, `note`, `table`, `chart`, `charts`.
    pub kind: String,
    pub level: Option<u8>,
    pub text: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Charts as SVG (with their captions in `columns` for `charts`).
    pub svg: Vec<String>,
}

/// A report built from approved values, with the addresses of its HTML and PDF renderings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportBody {
    pub title: String,
    pub issuer: String,
    pub year: i64,
    pub cites: String,
    pub html_url: String,
    pub pdf_url: String,
    pub blocks: Vec<BlockOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
struct ReportQuery {
    /// `overall`（总体监测评估报告，默认）或 `action`（专项行动专题报告）.
    #[serde(default)]
    kind: Option<String>,
    /// 年度（默认：有数值的最近年度）.
    #[serde(default)]
    year: Option<i64>,
    /// 专项行动序号（专题报告）.
    #[serde(default)]
    action: i64,
}

/// 一份报告（JSON；网页版和 PDF 版的地址见 html_url、pdf_url）：公众只能读取已发布的报告
#[utoipa::path(get, path = "/indicators/report", tag = "indicators", params(ReportQuery),
    responses((status = 200, description = "报告", body = ReportBody)))]
async fn report(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> ApiResult {
    use luoshi_app::health::charts::svg;
    use luoshi_app::health::report::{Block, Kind};
    let q = input::query(q)?;
    let kind_name = q.kind.unwrap_or_else(|| "overall".into());
    let kind = Kind::parse(&kind_name, q.action)?;
    let r = blocking(&state, move |app| {
        let year = match q.year {
            Some(y) => y,
            None => app.health_dashboard(&auth.viewer, None)?.year,
        };
        app.health_report(&auth.viewer, kind, year)
    })
    .await?;
    let link = format!(
        "/health/report?kind={kind_name}&action={}&year={}",
        q.action, r.year
    );
    let block = |kind: &str| BlockOut {
        kind: kind.into(),
        level: None,
        text: None,
        columns: Vec::new(),
        rows: Vec::new(),
        svg: Vec::new(),
    };
    let blocks = r
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading(level, t) => BlockOut {
                level: Some(*level),
                text: Some(t.clone()),
                ..block("heading")
            },
            Block::Para(t) => BlockOut {
                text: Some(t.clone()),
                ..block("para")
            },
            Block::Note(t) => BlockOut {
                text: Some(t.clone()),
                ..block("note")
            },
            Block::Table { columns, rows } => BlockOut {
                columns: columns.iter().map(|c| c.0.clone()).collect(),
                rows: rows.clone(),
                ..block("table")
            },
            Block::Chart(d) => BlockOut {
                svg: vec![svg(d)],
                ..block("chart")
            },
            Block::Charts(list) => BlockOut {
                columns: list.iter().map(|c| c.0.clone()).collect(),
                svg: list.iter().map(|c| svg(&c.1)).collect(),
                ..block("charts")
            },
        })
        .collect();
    Ok(json(ReportBody {
        title: r.title,
        issuer: r.issuer,
        year: r.year,
        cites: r.cites,
        pdf_url: format!("{link}&format=pdf"),
        html_url: link,
        blocks,
    }))
}
