//! Rules as JSON (规则接口): the catalogue with each rule's citation and input schema, one
//! decision per rule (`POST /rules/{name}/eval`, the same input and decision as
//! `luoshi rules eval`), and a streaming batch (`POST /rules/{name}/batch`: JSON Lines or CSV
//! in, JSON Lines out — the compact line by default, the whole decision with `?explain=1`).
//!
//! Public: the rules are the gazette's published text and decide only on what the request
//! carries, so no session is looked up, nothing is stored and nothing of the input is logged.
//! A decision is pure and takes microseconds, so it runs on the request's own thread (no
//! blocking-thread hop, no database); the batch runs on a blocking thread, reading the body and
//! writing the answer in chunks, so its memory stays bounded however large the body is.

use super::ApiResult;
use crate::error::ApiError;
use crate::{input, AppState};
use axum::body::{Body, Bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use luoshi_domain::Error;
use luoshi_rules::batch::{error_record, Batch, InputFormat};
use luoshi_rules::rule::{self as r, Rule};
use luoshi_rules::{disaster, it_project, land, proposal, service, talent};
use luoshi_rules::{Engine, RuleError, Style};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::openapi::{OpenApi as Document, RefOr, Schema};
use utoipa::{IntoParams, OpenApi, PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(tags((name = "rules", description = "规则：公报规定的分级、资格、金额和期限，逐条引用条款，\
    给出中文说明和判断过程。公开接口，不需要登录，不保存输入。")))]
struct RulesApi;

pub fn routes() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::with_openapi(RulesApi::openapi())
        .routes(routes!(list))
        .routes(routes!(batch));
    // One operation per rule in the document (each with its own input and decision schema),
    // served by one route outside the page middleware: see [`eval`].
    router.get_openapi_mut().merge(EvalOperations::openapi());
    document(router.get_openapi_mut());
    router
}

/// Each rule's `POST /rules/{name}/eval` operation, for the document.
#[derive(OpenApi)]
#[openapi(paths(
    disaster_grade,
    warning_level,
    it_project_approval,
    it_project_change,
    it_project_acceptance,
    talent_subsidy,
    talent_purchase_qualification,
    land_premium,
    proposal_deadlines,
    proposal_reply_class,
    proposal_standards,
    proposal_standards_items,
    service_time_limit
))]
struct EvalOperations;

/// The route of one decision, for every rule (mounted by the router after its layers).
pub const EVAL_PATH: &str = "/api/v1/rules/{name}/eval";

/// What an operation does with a request body: decide it with its rule.
type Operation = fn(&Engine, &[u8]) -> Response;

/// Each rule's operation by the rule's name (the documented functions below).
const OPERATIONS: [(&str, Operation); 13] = [
    (r::DisasterGrade::NAME, disaster_grade),
    (r::WarningLevel::NAME, warning_level),
    (r::ItProjectApproval::NAME, it_project_approval),
    (r::ItProjectChange::NAME, it_project_change),
    (r::ItProjectAcceptance::NAME, it_project_acceptance),
    (r::TalentSubsidy::NAME, talent_subsidy),
    (
        r::TalentPurchaseQualification::NAME,
        talent_purchase_qualification,
    ),
    (r::LandPremium::NAME, land_premium),
    (r::ProposalDeadlines::NAME, proposal_deadlines),
    (r::ProposalReplyClass::NAME, proposal_reply_class),
    (r::ProposalStandards::NAME, proposal_standards),
    (r::ProposalStandardsItems::NAME, proposal_standards_items),
    (r::ServiceTimeLimit::NAME, service_time_limit),
];

/// `POST /api/v1/rules/{name}/eval`: one decision. Served outside the router's layers (no
/// session lookup, no error-page slot, no boxed middleware per request): the rule is public
/// and pure, so the answer is the engine's bytes plus the security headers every answer
/// carries. The body is read up to [`input::MAX_BODY_BYTES`] (413 beyond).
pub async fn eval(State(state): State<AppState>, request: Request) -> Response {
    let mut response = eval_request(&state.rules, request).await;
    crate::security::apply(response.headers_mut(), false);
    response
}

/// Another method on the decision route: 405 with the API's error body.
pub async fn eval_wrong_method() -> Response {
    let mut response = super::method_not_allowed().await;
    crate::security::apply(response.headers_mut(), false);
    response
}

async fn eval_request(engine: &Engine, request: Request) -> Response {
    let name = request
        .uri()
        .path()
        .strip_prefix("/api/v1/rules/")
        .and_then(|p| p.strip_suffix("/eval"))
        .unwrap_or_default();
    let Some(operation) = OPERATIONS.iter().find(|(n, _)| *n == name).map(|o| o.1) else {
        return rule_error(&RuleError::UnknownRule(name.to_string()));
    };
    match axum::body::to_bytes(request.into_body(), input::MAX_BODY_BYTES).await {
        Ok(body) => operation(engine, &body),
        Err(e) => {
            let too_large =
                std::iter::successors(Some(&e as &(dyn std::error::Error + 'static)), |e| {
                    e.source()
                })
                .any(|e| e.is::<http_body_util::LengthLimitError>());
            let error = if too_large {
                crate::error::too_large(input::MAX_BODY_BYTES)
            } else {
                Error::bad_input("E_READ", format!("读取请求体失败：{e}"))
            };
            ApiError(error).into_response()
        }
    }
}

/// The content type of a decision and of the catalogue.
const JSON: &str = "application/json";
/// The content type of a batch answer (and of a JSON Lines batch body).
pub const JSON_LINES: &str = "application/x-ndjson";

/// The engine every answer is decided with: the app's calendar and the default readings.
fn engine(state: &AppState) -> &Engine {
    &state.rules
}

/// Decide one JSON document with rule `R`: the whole decision (as `luoshi rules eval`, on one
/// line), or 422 with the rule's error code and Chinese message.
fn decide<R: Rule>(engine: &Engine, body: &[u8]) -> Response {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(_) => return rule_error(&RuleError::Json("请求体不是有效的 UTF-8 文本".into())),
    };
    // A whole decision is 0.5–3 KB; one allocation holds it.
    let mut out = Vec::with_capacity(4096);
    match r::evaluate::<R>(engine, text, &mut out, Style::Full) {
        Ok(()) => (
            [(CONTENT_TYPE, HeaderValue::from_static(JSON))],
            Bytes::from(out),
        )
            .into_response(),
        Err(e) => rule_error(&e),
    }
}

/// A rule's error as the API's error body (422, or 404 for an unknown rule).
fn rule_error(e: &RuleError) -> Response {
    ApiError(as_error(e)).into_response()
}

/// A rule's error as the domain's error: its stable code and Chinese message.
pub fn as_error(e: &RuleError) -> Error {
    match e {
        RuleError::UnknownRule(name) => Error::new(
            luoshi_domain::ErrorKind::NotFound,
            e.code(),
            format!("未知规则 {name}（可用规则见 GET /api/v1/rules）"),
        ),
        _ => Error::bad_input(e.code(), e.to_string()),
    }
}

// One operation per rule, so the document gives each its own input and decision schema; each
// is the same call with the rule's type, reached through [`OPERATIONS`].

/// 地质灾害险情/灾情分级、速报时限、响应级别
#[utoipa::path(post, path = "/rules/disaster-grade/eval", tag = "rules",
    request_body = disaster::GradeInput,
    responses((status = 200, description = "判断结果", body = disaster::GradeDecision)))]
fn disaster_grade(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::DisasterGrade>(engine, body)
}

/// 地质灾害预警级别
#[utoipa::path(post, path = "/rules/warning-level/eval", tag = "rules",
    request_body = disaster::WarningInput,
    responses((status = 200, description = "判断结果", body = disaster::WarningDecision)))]
fn warning_level(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::WarningLevel>(engine, body)
}

/// 政务信息化项目审批文件
#[utoipa::path(post, path = "/rules/it-project-approval/eval", tag = "rules",
    request_body = it_project::ApprovalInput,
    responses((status = 200, description = "判断结果", body = it_project::ApprovalDecision)))]
fn it_project_approval(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::ItProjectApproval>(engine, body)
}

/// 政务信息化项目变更
#[utoipa::path(post, path = "/rules/it-project-change/eval", tag = "rules",
    request_body = it_project::ChangeInput,
    responses((status = 200, description = "判断结果", body = it_project::ChangeDecision)))]
fn it_project_change(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::ItProjectChange>(engine, body)
}

/// 政务信息化项目试运行与验收
#[utoipa::path(post, path = "/rules/it-project-acceptance/eval", tag = "rules",
    request_body = it_project::AcceptanceInput,
    responses((status = 200, description = "判断结果", body = it_project::AcceptanceDecision)))]
fn it_project_acceptance(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::ItProjectAcceptance>(engine, body)
}

/// 青年人才首次购房补贴
#[utoipa::path(post, path = "/rules/talent-subsidy/eval", tag = "rules",
    request_body = talent::SubsidyInput,
    responses((status = 200, description = "判断结果", body = talent::SubsidyDecision)))]
fn talent_subsidy(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::TalentSubsidy>(engine, body)
}

/// 非郑户籍人才购房资格
#[utoipa::path(post, path = "/rules/talent-purchase-qualification/eval", tag = "rules",
    request_body = talent::PurchaseInput,
    responses((status = 200, description = "判断结果", body = talent::PurchaseDecision)))]
fn talent_purchase_qualification(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::TalentPurchaseQualification>(engine, body)
}

/// 划拨安置房补缴土地价款
#[utoipa::path(post, path = "/rules/land-premium/eval", tag = "rules",
    request_body = land::PremiumInput,
    responses((status = 200, description = "判断结果", body = land::PremiumDecision)))]
fn land_premium(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::LandPremium>(engine, body)
}

/// 建议提案退转说明和答复期限
#[utoipa::path(post, path = "/rules/proposal-deadlines/eval", tag = "rules",
    request_body = proposal::DeadlineInput,
    responses((status = 200, description = "判断结果", body = proposal::DeadlineDecision)))]
fn proposal_deadlines(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::ProposalDeadlines>(engine, body)
}

/// 建议提案答复函类别
#[utoipa::path(post, path = "/rules/proposal-reply-class/eval", tag = "rules",
    request_body = proposal::ClassInput,
    responses((status = 200, description = "判断结果", body = proposal::ClassDecision)))]
fn proposal_reply_class(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::ProposalReplyClass>(engine, body)
}

/// 建议提案承办单位五项标准
#[utoipa::path(post, path = "/rules/proposal-standards/eval", tag = "rules",
    request_body = proposal::StandardsInput,
    responses((status = 200, description = "判断结果", body = proposal::StandardsDecision)))]
fn proposal_standards(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::ProposalStandards>(engine, body)
}

/// 建议提案承办单位五项标准（逐件核查，列出每项数字背后的建议提案）
#[utoipa::path(post, path = "/rules/proposal-standards-items/eval", tag = "rules",
    request_body = proposal::ItemStandardsInput,
    responses((status = 200, description = "判断结果", body = proposal::ItemStandardsDecision)))]
fn proposal_standards_items(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::ProposalStandardsItems>(engine, body)
}

/// 市场监管许可登记时限与到期日
#[utoipa::path(post, path = "/rules/service-time-limit/eval", tag = "rules",
    request_body = service::LimitInput,
    responses((status = 200, description = "判断结果", body = service::LimitDecision)))]
fn service_time_limit(engine: &Engine, body: &[u8]) -> Response {
    decide::<r::ServiceTimeLimit>(engine, body)
}

/// The schemas of one rule's input and decision, by the rule's name.
struct RuleTypes {
    name: &'static str,
    input: (Cow<'static, str>, RefOr<Schema>),
    output: Cow<'static, str>,
    /// Every schema the two refer to (for the batch operation's components).
    schemas: Vec<(String, RefOr<Schema>)>,
}

fn types_of<R: Rule>() -> RuleTypes
where
    R::Input: ToSchema,
    R::Output: ToSchema,
{
    let mut schemas = vec![
        (R::Input::name().into_owned(), R::Input::schema()),
        (R::Output::name().into_owned(), R::Output::schema()),
    ];
    R::Input::schemas(&mut schemas);
    R::Output::schemas(&mut schemas);
    RuleTypes {
        name: R::NAME,
        input: (R::Input::name(), R::Input::schema()),
        output: R::Output::name(),
        schemas,
    }
}

/// Every rule's types, in the catalogue's order.
const TYPES: [fn() -> RuleTypes; 13] = [
    types_of::<r::DisasterGrade>,
    types_of::<r::WarningLevel>,
    types_of::<r::ItProjectApproval>,
    types_of::<r::ItProjectChange>,
    types_of::<r::ItProjectAcceptance>,
    types_of::<r::TalentSubsidy>,
    types_of::<r::TalentPurchaseQualification>,
    types_of::<r::LandPremium>,
    types_of::<r::ProposalDeadlines>,
    types_of::<r::ProposalReplyClass>,
    types_of::<r::ProposalStandards>,
    types_of::<r::ProposalStandardsItems>,
    types_of::<r::ServiceTimeLimit>,
];

/// One documented field of a rule's input or decision.
#[derive(Debug, Serialize, ToSchema)]
struct FieldDoc {
    name: &'static str,
    /// The field's type in words (`bool`、`YYYY-MM-DD`、`金额字符串`、`"本科"|"硕士"|"博士"` …).
    #[serde(rename = "type")]
    ty: &'static str,
    required: bool,
    /// 中文说明
    doc: &'static str,
}

impl From<&luoshi_rules::registry::Field> for FieldDoc {
    fn from(f: &luoshi_rules::registry::Field) -> Self {
        FieldDoc {
            name: f.name,
            ty: f.ty,
            required: f.required,
            doc: f.doc,
        }
    }
}

/// A rule in the catalogue: what it decides, its clause, where to reach it, its input.
#[derive(Debug, Serialize, ToSchema)]
struct RuleEntry {
    /// 规则名称（接口路径和命令行中使用）
    name: &'static str,
    /// 依据：文号 + 条/款
    citation: &'static str,
    /// 规则说明
    summary: &'static str,
    /// 单条判断：`POST` 此地址
    eval: String,
    /// 批量判断：`POST` JSON Lines 或 CSV 到此地址
    batch: String,
    /// 网页（表单）
    page: String,
    /// 输入的 JSON Schema（由类型生成；其中的 `$ref` 指向 `/api/openapi.json` 的 components）
    input_schema: BTreeMap<String, serde_json::Value>,
    /// 输入类型在 OpenAPI 文档中的名称
    input_type: String,
    /// 判断结果类型在 OpenAPI 文档中的名称
    output_type: String,
    /// 输入字段说明
    input: Vec<FieldDoc>,
    /// 输出字段说明
    output: Vec<FieldDoc>,
    /// 本规则读取的解释参数
    params: Vec<&'static str>,
    /// 计数用语的默认理解（依赖计数用语的规则）
    counting: Option<luoshi_rules::counting::Counting>,
    /// 有效的输入示例
    example: BTreeMap<String, serde_json::Value>,
}

/// The catalogue, built once (it is static data).
fn catalogue() -> &'static Bytes {
    static DOC: OnceLock<Bytes> = OnceLock::new();
    DOC.get_or_init(|| {
        let params = luoshi_rules::Params::default();
        let entries: Vec<RuleEntry> = TYPES
            .iter()
            .map(|types| {
                let t = types();
                let info = luoshi_rules::find(t.name).expect("every rule type is catalogued");
                let schema = serde_json::to_value(&t.input.1).expect("a schema serializes");
                RuleEntry {
                    name: info.name,
                    citation: info.citation,
                    summary: info.summary,
                    eval: format!("{}/rules/{}/eval", super::PREFIX, info.name),
                    batch: format!("{}/rules/{}/batch", super::PREFIX, info.name),
                    page: format!("/rules/{}", info.name),
                    input_schema: serde_json::from_value(schema).expect("a schema is an object"),
                    input_type: t.input.0.into_owned(),
                    output_type: t.output.into_owned(),
                    input: info.input.iter().map(FieldDoc::from).collect(),
                    output: info.all_output().iter().map(FieldDoc::from).collect(),
                    params: info.params.to_vec(),
                    counting: info.counting(&params),
                    example: serde_json::from_str(info.example).expect("examples are objects"),
                }
            })
            .collect();
        Bytes::from(serde_json::to_vec(&entries).expect("the catalogue serializes"))
    })
}

/// 规则目录：每条规则的依据（文号 + 条款）、说明、接口地址、输入的 JSON Schema 和字段说明、示例
#[utoipa::path(get, path = "/rules", tag = "rules",
    responses((status = 200, description = "全部规则", body = Vec<RuleEntry>)))]
async fn list() -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static(JSON))],
        catalogue().clone(),
    )
        .into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct BatchQuery {
    /// `1`（或 `true`）：每行输出完整结果（说明、计数用语依据、判断过程）；默认输出简要行
    explain: Option<String>,
}

/// Whether `?explain=` asks for the whole decision.
fn explain(q: BatchQuery) -> Result<bool, Error> {
    match q.explain.as_deref().map(str::trim) {
        None | Some("" | "0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(other) => Err(Error::bad_input(
            "E_QUERY",
            format!("查询参数 explain 的值“{other}”无效（应为 1 或 0）"),
        )),
    }
}

/// The batch input format a content type names: CSV for `text/csv`, JSON Lines for JSON Lines,
/// JSON, plain text or none.
fn batch_format(content_type: Option<&HeaderValue>) -> Result<InputFormat, Error> {
    let Some(value) = content_type else {
        return Ok(InputFormat::JsonLines);
    };
    let essence = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/csv" => Ok(InputFormat::Csv),
        "" | "application/x-ndjson" | "application/jsonl" | "application/json-lines"
        | "application/jsonlines" | "application/json" | "text/plain" => {
            Ok(InputFormat::JsonLines)
        }
        other => Err(Error::bad_input(
            "E_CONTENT_TYPE",
            format!(
                "不支持的请求内容类型 {other}：批量输入应为 JSON Lines（application/x-ndjson）或 CSV（text/csv）"
            ),
        )),
    }
}

/// Bytes of whole lines decided at a time: the batch holds about this much input and its
/// output at once, whatever the body's size.
const CHUNK_BYTES: usize = 256 << 10;
/// The longest line a batch takes (as a single decision's body).
const MAX_LINE_BYTES: usize = input::MAX_BODY_BYTES;
/// Output chunks in flight to the client before the batch waits for it.
const OUT_QUEUE: usize = 4;

/// One input line of a batch: the input of the rule the path names (its schema in
/// `GET /rules`). In CSV, the header names the same fields.
struct BatchInputLine;

/// One output line of a batch: by default the compact line (for `talent-subsidy`
/// `TalentCompactLine`; for the other rules the decision without `explanation`, `trace`,
/// `counting` and the structured deadlines), with `?explain=1` the whole decision; a line that
/// could not be decided is a `BatchErrorLine`.
struct BatchOutputLine;

/// The compact line of `talent-subsidy`: eligibility, amount, and each failed condition's code
/// with the clause it fails.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"eligible": false, "amount_yuan": "0.00", "failed": {"age": "郑政办〔2020〕24号 第二条（三）1"}}))]
pub struct TalentCompactLine {
    pub eligible: bool,
    /// 补贴金额（元），不符合为 0.00
    pub amount_yuan: String,
    /// 不符合的条件代码 → 条款
    pub failed: BTreeMap<String, String>,
}

/// A batch line that could not be decided (the batch goes on with the next line).
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchErrorLine {
    /// 输入中的行号（CSV 的表头为第 1 行）
    pub line: u64,
    pub error: crate::api::types::ErrorDetail,
}

impl PartialSchema for BatchInputLine {
    fn schema() -> RefOr<Schema> {
        one_of(TYPES.iter().map(|t| t().input.0.into_owned()))
    }
}

impl ToSchema for BatchInputLine {
    fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
        for t in TYPES {
            out.extend(t().schemas);
        }
    }
}

impl PartialSchema for BatchOutputLine {
    fn schema() -> RefOr<Schema> {
        let names = [
            "TalentCompactLine".to_string(),
            "BatchErrorLine".to_string(),
        ];
        one_of(
            names
                .into_iter()
                .chain(TYPES.iter().map(|t| t().output.into_owned())),
        )
    }
}

impl ToSchema for BatchOutputLine {
    fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
        out.push(("TalentCompactLine".into(), TalentCompactLine::schema()));
        out.push(("BatchErrorLine".into(), BatchErrorLine::schema()));
        BatchErrorLine::schemas(out);
        for t in TYPES {
            out.extend(t().schemas);
        }
    }
}

/// A `oneOf` of the named component schemas.
fn one_of(names: impl Iterator<Item = String>) -> RefOr<Schema> {
    let mut builder = utoipa::openapi::schema::OneOfBuilder::new();
    for name in names {
        builder = builder.item(utoipa::openapi::Ref::from_schema_name(name));
    }
    RefOr::T(Schema::OneOf(builder.build()))
}

/// 批量判断：请求体为 JSON Lines（每行一条输入）或 CSV（`Content-Type: text/csv`，首行为字段名），
/// 每行输出一条 JSON：默认简要行，`?explain=1` 输出完整结果；出错的行输出 `{"line":N,"error":…}`，
/// 其余行照常处理。边读边算边写，请求体大小不限，内存占用有界。
#[utoipa::path(post, path = "/rules/{name}/batch", tag = "rules",
    params(("name" = String, Path, description = "规则名称，如 talent-subsidy（见 GET /api/v1/rules）"), BatchQuery),
    request_body(description = "每行一条输入：JSON Lines，或 CSV（首行为字段名）",
        content((BatchInputLine = "application/x-ndjson"), (String = "text/csv"))),
    responses((status = 200, description = "每行输入对应一行输出", body = BatchOutputLine,
        content_type = "application/x-ndjson")))]
async fn batch(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    q: Result<Query<BatchQuery>, QueryRejection>,
    request: Request,
) -> ApiResult {
    let name = super::segment(name, "规则")?;
    let style = if explain(input::query(q)?)? {
        Style::Full
    } else {
        Style::Compact
    };
    let format = batch_format(request.headers().get(CONTENT_TYPE))?;
    // The rule is known (and, for CSV, the header read) before the answer starts, so those
    // errors are a 4xx; a bad line later is an error line in the answer.
    Batch::new(engine(&state), &name, format, style).map_err(|e| as_error(&e))?;
    let (out_tx, out_rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(OUT_QUEUE);
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<Result<(), Error>>();
    let body = request.into_body();
    let engine = state.rules.clone();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        run_batch(
            &engine, &name, format, style, body, &runtime, started_tx, out_tx,
        )
    });
    match started_rx.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(e.into()),
        Err(_) => return Err(Error::internal("批量任务中断").into()),
    }
    let stream = futures_util::stream::unfold(out_rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    Ok((
        StatusCode::OK,
        [(CONTENT_TYPE, HeaderValue::from_static(JSON_LINES))],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The batch on a blocking thread: read the body a frame at a time, decide whole lines in
/// chunks of [`CHUNK_BYTES`], send each chunk's output. `started` learns whether the first
/// chunk (with a CSV header) was taken. Stops when the client goes away.
#[allow(clippy::too_many_arguments)]
fn run_batch(
    engine: &Engine,
    name: &str,
    format: InputFormat,
    style: Style,
    mut body: Body,
    runtime: &tokio::runtime::Handle,
    started: tokio::sync::oneshot::Sender<Result<(), Error>>,
    out: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    use http_body_util::BodyExt;
    let batch = match Batch::new(engine, name, format, style) {
        Ok(b) => b,
        Err(e) => {
            let _ = started.send(Err(as_error(&e)));
            return;
        }
    };
    let mut run = BatchRun {
        batch,
        started: Some(started),
        outs: Vec::new(),
        out,
    };
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK_BYTES + (64 << 10));
    loop {
        let frame = match runtime.block_on(body.frame()) {
            None => break,
            Some(Ok(frame)) => frame,
            Some(Err(e)) => {
                run.fail(Error::bad_input("E_READ", format!("读取请求体失败：{e}")));
                return;
            }
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        pending.extend_from_slice(&data);
        if pending.len() < CHUNK_BYTES {
            continue;
        }
        let Some(cut) = pending.iter().rposition(|&b| b == b'\n') else {
            if pending.len() > MAX_LINE_BYTES {
                run.line_too_long();
                return;
            }
            continue;
        };
        if !run.decide(&pending[..=cut]) {
            return;
        }
        pending.drain(..=cut);
    }
    run.decide(&pending);
}

/// A batch answering a request: its decisions go to `out`.
struct BatchRun<'e> {
    batch: Batch<'e>,
    /// Told once, when the first chunk is decided or refused.
    started: Option<tokio::sync::oneshot::Sender<Result<(), Error>>>,
    outs: Vec<Vec<u8>>,
    out: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl BatchRun<'_> {
    /// Decide whole lines and send their output; false when the batch must stop (a bad CSV
    /// header, or the client went away).
    fn decide(&mut self, lines: &[u8]) -> bool {
        if let Err(e) = self.batch.feed_into(lines, &mut self.outs) {
            self.fail(as_error(&e));
            return false;
        }
        self.start();
        let mut chunk = Vec::with_capacity(self.outs.iter().map(Vec::len).sum());
        for part in &self.outs {
            chunk.extend_from_slice(part);
        }
        chunk.is_empty() || self.out.blocking_send(Ok(Bytes::from(chunk))).is_ok()
    }

    fn start(&mut self) {
        if let Some(s) = self.started.take() {
            let _ = s.send(Ok(()));
        }
    }

    /// Before the answer started: a 4xx answer; after: the answer is cut off with the error.
    fn fail(&mut self, e: Error) {
        match self.started.take() {
            Some(s) => {
                let _ = s.send(Err(e));
            }
            None => {
                let _ = self
                    .out
                    .blocking_send(Err(std::io::Error::other(e.message)));
            }
        }
    }

    /// One line longer than any input: an error line for it, and the batch stops rather than
    /// hold it.
    fn line_too_long(&mut self) {
        let line = self.batch.counts().lines + 1;
        let e = crate::error::too_large(MAX_LINE_BYTES);
        let mut record = Vec::new();
        error_record(
            &mut record,
            line,
            e.code,
            &format!("第{line}行过长：{}", e.message),
        );
        record.push(b'\n');
        self.start();
        let _ = self.out.blocking_send(Ok(Bytes::from(record)));
    }
}

/// Examples and summaries in the document, from the catalogue: each rule's example input and
/// the decision it gets (computed here, so they cannot drift from the rules).
fn document(doc: &mut Document) {
    let engine = Engine::new(
        luoshi_calendar::bundled().expect("the bundled calendar is validated by its tests"),
        luoshi_rules::Params::default(),
    );
    for info in luoshi_rules::RULES.iter() {
        let Some(op) = doc
            .paths
            .paths
            .get_mut(&format!("/rules/{}/eval", info.name))
            .and_then(|item| item.post.as_mut())
        else {
            continue;
        };
        op.description = Some(format!(
            "{}。依据：{}。输入和输出与 `luoshi rules eval {}` 相同。",
            info.summary, info.citation, info.name
        ));
        let example: serde_json::Value =
            serde_json::from_str(info.example).expect("examples are valid JSON");
        if let Some(body) = op.request_body.as_mut() {
            for content in body.content.values_mut() {
                content.example = Some(example.clone());
            }
        }
        let decision = engine
            .evaluate_value(info.name, info.example)
            .expect("every example decides (tested in the rules crate)");
        if let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") {
            for content in ok.content.values_mut() {
                content.example = Some(decision.clone());
            }
        }
    }
}
