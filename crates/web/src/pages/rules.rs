//! Rule pages (规则计算): a Chinese form per rule for the people who use it — the
//! land-premium calculator (22号), the talent-subsidy pre-check (24号), disaster grading
//! (26号), the proposal deadlines (27号), the service-deadline calculator (61号), the IT-project
//! approval path and change check (70号), and the others. The form posts to the page, which
//! renders the decision (no JavaScript): the conclusion, each result, the reasons clause by
//! clause, the calendar's explanation of a deadline, which reading of the counting words
//! decided, the trace, and links to the clauses in the gazette.
//!
//! Public (the rules are published text and decide only on what the form carries). Nothing
//! the form carries is stored or logged: the decision is made in memory by the same engine the
//! API and `luoshi rules eval` use, and the only reads are the gazette's clauses for the links.

use super::layout::{fields, status, table, Tone};
use super::{render, PageResult};
use crate::auth::Auth;
use crate::{blocking, input, AppState};
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use luoshi_app::{App, Viewer};
use luoshi_domain::Error;
use luoshi_rules::registry::{Field, RuleInfo};
use luoshi_rules::RULES;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rules", get(index))
        .route("/rules/{name}", get(form_page).post(decide))
}

/// Each rule's title for the people who use it, and who that is.
fn title(name: &str) -> (&'static str, &'static str) {
    match name {
        "land-premium" => ("划拨安置房补缴土地价款计算", "区政府、土地储备和财政部门"),
        "service-time-limit" => (
            "市场监管许可登记办理时限计算",
            "办事群众和企业、窗口工作人员",
        ),
        "talent-subsidy" => ("青年人才首次购房补贴预审", "来郑就业创业的青年人才"),
        "talent-purchase-qualification" => ("非郑户籍人才购房资格预审", "来郑就业创业的人才"),
        "disaster-grade" => ("地质灾害险情灾情分级", "应急、自然资源部门"),
        "warning-level" => ("地质灾害预警级别", "应急、自然资源部门和公众"),
        "it-project-approval" => ("政务信息化项目审批路径", "项目单位、大数据管理部门"),
        "it-project-change" => ("政务信息化项目变更核查", "项目单位、大数据管理部门"),
        "it-project-acceptance" => ("政务信息化项目试运行与验收期限", "项目单位、大数据管理部门"),
        "proposal-deadlines" => ("建议提案办理期限", "建议提案承办单位"),
        "proposal-reply-class" => ("建议提案答复函类别", "建议提案承办单位"),
        "proposal-standards" => ("建议提案承办单位五项标准", "建议提案承办单位、督查部门"),
        "proposal-standards-items" => (
            "建议提案承办单位五项标准（逐件核查）",
            "建议提案承办单位、督查部门",
        ),
        _ => ("规则计算", ""),
    }
}

/// The rule a path names, or "not found".
fn rule(raw: Result<Path<String>, PathRejection>) -> Result<&'static RuleInfo, Error> {
    let name = input::segment(raw, "规则")?;
    luoshi_rules::find(&name).ok_or_else(|| Error::not_found(format!("规则 {name}")))
}

/// The document number of a citation (`郑政办〔2020〕24号 第二条（三）1` → `郑政办〔2020〕24号`).
fn doc_no(citation: &str) -> &str {
    citation.split(' ').next().unwrap_or(citation)
}

async fn index(auth: Auth) -> PageResult {
    let mut docs: Vec<&str> = RULES.iter().map(|r| doc_no(r.citation)).collect();
    docs.dedup();
    let body = html! {
        h1 { "规则计算" }
        p {
            "按公报规定的条件、金额和期限计算，逐条给出依据条款、中文说明和判断过程。"
            "无需登录，填写的内容不保存。接口见 "
            a href="/api/openapi.json" { "/api/openapi.json" } "（GET /api/v1/rules）。"
        }
        @for doc in docs {
            h2 { (doc) }
            ul {
                @for r in RULES.iter().filter(|r| doc_no(r.citation) == doc) {
                    li {
                        a href={ "/rules/" (r.name) } { (title(r.name).0) }
                        " " span class="cite" { (r.citation) }
                        br;
                        span class="muted" { (r.summary) }
                    }
                }
            }
        }
    };
    Ok(render(&auth, "规则计算", body))
}

#[derive(Debug, Deserialize)]
struct FormQuery {
    /// `1`: fill the form with the rule's example.
    example: Option<String>,
}

/// The form, empty or filled with the rule's example (`?example=1`).
async fn form_page(
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    q: Result<Query<FormQuery>, QueryRejection>,
) -> PageResult {
    let info = rule(raw)?;
    let q = input::query(q)?;
    let values = if q.example.is_some_and(|e| e == "1") {
        example_values(info)
    } else {
        BTreeMap::new()
    };
    Ok(render(&auth, title(info.name).0, page(info, &values, None)))
}

/// The submitted form: decide and show the decision under the form (422 with the form and
/// the message when the input is refused).
async fn decide(
    State(state): State<AppState>,
    auth: Auth,
    raw: Result<Path<String>, PathRejection>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> PageResult {
    let info = rule(raw)?;
    let values: BTreeMap<String, String> = input::form(form)?
        .into_iter()
        .filter(|(k, _)| info.input.iter().any(|f| f.name == k))
        .map(|(k, v)| (k, v.trim().to_string()))
        .collect();
    let json = luoshi_rules::batch::object_from_cells(
        info.input
            .iter()
            .map(|f| (f, values.get(f.name).map_or("", String::as_str))),
    );
    let mut out = Vec::with_capacity(4096);
    let outcome = state
        .rules
        .evaluate(info.name, &json, &mut out, true)
        .map_err(|e| (e.code(), e.to_string()))
        .and_then(|()| {
            let decision: Value = serde_json::from_slice(&out)
                .map_err(|e| ("E_INTERNAL", format!("结果无法读取：{e}")))?;
            Ok((decision, String::from_utf8_lossy(&out).into_owned()))
        });
    let (code, result) = match outcome {
        Ok((decision, pretty)) => {
            let mut cited = BTreeSet::new();
            clauses_in(&decision, &mut cited);
            let docs: BTreeSet<String> = cited.iter().map(|c| doc_no(c).to_string()).collect();
            let viewer = auth.viewer.clone();
            let links = blocking(&state, move |app| clause_links(app, &viewer, &docs)).await?;
            let result = Outcome::Decided {
                decision,
                pretty,
                input: json,
                links,
            };
            (StatusCode::OK, result)
        }
        Err((code, message)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::Refused { code, message },
        ),
    };
    let body = page(info, &values, Some(&result));
    Ok((code, render(&auth, title(info.name).0, body)).into_response())
}

/// What a submitted form came to.
enum Outcome {
    Decided {
        decision: Value,
        /// The decision as `luoshi rules eval` prints it.
        pretty: String,
        /// The input as JSON, for the API.
        input: String,
        links: ClauseLinks,
    },
    Refused {
        code: &'static str,
        message: String,
    },
}

/// The rule's example input as form values.
fn example_values(info: &RuleInfo) -> BTreeMap<String, String> {
    let example: BTreeMap<String, Value> = serde_json::from_str(info.example).unwrap_or_default();
    example
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

/// The page: what the rule decides, the form, and the outcome of a submitted form.
fn page(info: &RuleInfo, values: &BTreeMap<String, String>, outcome: Option<&Outcome>) -> Markup {
    let (heading, audience) = title(info.name);
    html! {
        p class="cite" { a href="/rules" { "规则计算" } " › " (info.citation) }
        h1 { (heading) }
        p { (info.summary) }
        p class="muted" {
            "适用：" (audience) "。依据：" (info.citation)
            "。本页不保存您填写的内容，计算结果仅供参考，以主管部门审核为准。"
        }
        form method="post" action={ "/rules/" (info.name) } class="stack" {
            @for f in info.input { (field(info, f, values.get(f.name).map(String::as_str))) }
            p {
                button type="submit" { "计算" } " "
                a href={ "/rules/" (info.name) "?example=1" } { "填入示例" } " "
                a href={ "/rules/" (info.name) } { "清空" }
            }
        }
        @match outcome {
            None => {}
            Some(Outcome::Refused { code, message }) => {
                div class="error" role="alert" {
                    p { strong { "输入有误：" } (message) }
                    p { "错误代码：" code { (code) } }
                }
            }
            Some(Outcome::Decided { decision, pretty, input, links }) => {
                (decision_view(info, decision, links))
                details {
                    summary { "JSON 结果（与接口和命令行相同）" }
                    p {
                        "接口：" code { "POST /api/v1/rules/" (info.name) "/eval" }
                        "，请求体："
                    }
                    pre class="source input-json" { (input) }
                    p { "命令行：" code { "luoshi rules eval " (info.name) } "，结果：" }
                    pre class="source decision-json" { (pretty) }
                }
            }
        }
    }
}

/// The choices of an enumerated field: written in the catalogue as `"本科"|"硕士"|"博士"`, or
/// (for the service and the warning level) listed by the rule.
fn choices(info: &RuleInfo, f: &Field) -> Option<Vec<(String, String)>> {
    if info.name == "service-time-limit" && f.name == "service" {
        return Some(
            luoshi_rules::service::SERVICES
                .iter()
                .map(|s| (s.code.to_string(), format!("{}（{}）", s.name, s.clause)))
                .collect(),
        );
    }
    if info.name == "warning-level" && f.name == "level" {
        let levels = [
            ("四级", "蓝色"),
            ("三级", "黄色"),
            ("二级", "橙色"),
            ("一级", "红色"),
        ];
        return Some(
            levels
                .iter()
                .map(|(l, c)| (l.to_string(), format!("{l}（{c}）")))
                .collect(),
        );
    }
    let ty = f.ty.trim();
    if !ty.starts_with('"') {
        return None;
    }
    Some(
        ty.split('|')
            .map(|c| c.trim().trim_matches('"').to_string())
            .map(|c| (c.clone(), c))
            .collect(),
    )
}

/// One labelled form control, by the field's documented type.
fn field(info: &RuleInfo, f: &Field, value: Option<&str>) -> Markup {
    let value = value.unwrap_or("");
    let label = html! {
        (f.doc)
        @if f.required { " " span class="error" title="必填" { "*" } }
        " " span class="cite" { (f.name) }
    };
    let select = |options: Vec<(String, String)>, empty: &str| {
        html! {
            select name=(f.name) id={ "f-" (f.name) } {
                option value="" selected[value.is_empty()] { (empty) }
                @for (v, text) in &options {
                    option value=(v) selected[value == v] { (text) }
                }
            }
        }
    };
    let empty = if f.required {
        "请选择"
    } else {
        "（不填，按默认）"
    };
    let control = if f.ty == "bool" {
        select(
            vec![("true".into(), "是".into()), ("false".into(), "否".into())],
            empty,
        )
    } else if let Some(options) = choices(info, f) {
        select(options, empty)
    } else if matches!(f.ty, "array" | "object") {
        html! {
            textarea name=(f.name) id={ "f-" (f.name) } rows="8" class="json"
                required[f.required] { (value) }
        }
    } else {
        let (kind, mode) = match f.ty {
            "YYYY-MM-DD" => ("date", "text"),
            "YYYY-MM-DDTHH:MM" => ("datetime-local", "text"),
            t if t.contains("整数") => ("text", "numeric"),
            t if t.contains("金额") => ("text", "decimal"),
            _ => ("text", "text"),
        };
        html! {
            input type=(kind) inputmode=(mode) name=(f.name) id={ "f-" (f.name) } value=(value)
                required[f.required];
        }
    };
    html! { label for={ "f-" (f.name) } { (label) br; (control) } }
}

/// The decision for a person: the conclusion, each result, the calendar's explanation of a
/// deadline, the reading of the counting words, the trace, the clause.
fn decision_view(info: &RuleInfo, d: &Value, links: &ClauseLinks) -> Markup {
    let own: Vec<&Field> = info
        .output
        .iter()
        .filter(|f| f.ty != "object" && !f.name.ends_with("_explanation"))
        .collect();
    let explanations: Vec<&Field> = info
        .output
        .iter()
        .filter(|f| f.name.ends_with("_explanation"))
        .collect();
    html! {
        section class="decision" {
            h2 { "结论" }
            pre class="explain conclusion" { (text(&d["explanation"])) }
            p { "依据：" (links.cite(&text(&d["citation"]))) }
            h2 { "结果" }
            (fields(own.iter().map(|f| (f.doc, value(&d[f.name], links)))))
            @for f in explanations {
                h2 { (f.doc) }
                pre class="explain" { (text(&d[f.name])) }
            }
            @for f in info.output.iter().filter(|f| f.ty == "object") {
                @if let Some(skipped) = d[f.name]["skipped"].as_array().filter(|s| !s.is_empty()) {
                    h3 { (f.doc) "：跳过的日期（日历版本 " (text(&d[f.name]["calendar_version"])) "）" }
                    (table(&["日期", "原因"], html! {
                        @for s in skipped { tr { td { (text(&s["date"])) } td { (text(&s["reason"])) } } }
                    }))
                }
            }
            @if let Some(c) = d.get("counting").filter(|c| c.is_object()) {
                h2 { "计数用语" }
                p {
                    (text(&c["rule"])) "（" (text(&c["citation"])) "）。"
                    span class="muted" {
                        "参数 " code { (text(&c["parameter"])) } " = " (text(&c["reading"]))
                        @if c["default"] == Value::Bool(true) { "（默认）" } @else { "（参数选定）" }
                    }
                }
            }
            h2 { "判断过程" }
            (table(&["条款", "检验", "实际值", "阈值", "是否成立"], html! {
                @for step in d["trace"].as_array().into_iter().flatten() {
                    tr {
                        td { (links.cite(&text(&step["clause"]))) }
                        td { (text(&step["check"])) }
                        td { (text(&step["value"])) }
                        td { (text(&step["threshold"])) }
                        td {
                            @if step["holds"] == Value::Bool(true) { (status("成立", Tone::Ok)) }
                            @else { (status("不成立", Tone::Bad)) }
                        }
                    }
                }
            }))
        }
    }
}

/// A JSON value as words: strings as they are, 是/否, — for nothing.
fn text(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Column headings of the lists inside a decision (reasons, standards).
fn heading(key: &str) -> &str {
    match key {
        "condition" => "条件",
        "clause" => "条款",
        "reason" => "理由",
        "item" => "项目",
        "standard" => "标准",
        "count" => "件数",
        "total" => "总数",
        "rate_percent" => "比率（%）",
        "threshold_percent" => "标准（%）",
        "met" => "是否达到",
        other => other,
    }
}

/// One result: a value, a list, or a table of records (each clause linked).
fn value(v: &Value, links: &ClauseLinks) -> Markup {
    match v {
        Value::Array(items) if items.is_empty() => html! { "无" },
        Value::Array(items) if items.iter().all(Value::is_object) => {
            let keys: Vec<&String> = items[0]
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_default();
            let head: Vec<&str> = keys.iter().map(|k| heading(k)).collect();
            table(
                &head,
                html! {
                    @for item in items {
                        tr {
                            @for k in &keys {
                                td {
                                    @if k.as_str() == "clause" { (links.cite(&text(&item[k.as_str()]))) }
                                    @else { (text(&item[k.as_str()])) }
                                }
                            }
                        }
                    }
                },
            )
        }
        Value::Array(items) => html! { ul { @for i in items { li { (text(i)) } } } },
        Value::Bool(b) => status(&text(v), if *b { Tone::Ok } else { Tone::Warn }),
        other => html! { (text(other)) },
    }
}

/// Every clause a decision cites (its citation, its trace, its reasons).
fn clauses_in(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                match (k.as_str(), child) {
                    ("clause" | "citation", Value::String(s)) => {
                        out.insert(s.clone());
                    }
                    _ => clauses_in(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| clauses_in(i, out)),
        _ => {}
    }
}

/// A marker of a clause path: its kind and number — `第二条` (条, 2), `（三）` (paren, 3),
/// `1.` (item, 1), `一、` (section, 1); `第4条` with arabic digits is an item (61号 numbers its
/// items `4.` and cites them `第4条`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Chapter(u32),
    Article(u32),
    Section(u32),
    Paren(u32),
    Item(u32),
}

/// Chinese numerals up to 九十九 (and digits).
fn number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// The markers of a clause reference, up to the first range or list (`—`, `、` between
/// markers), chapters and words left out.
fn markers(s: &str) -> Vec<Marker> {
    let numeral = |c: char| c.is_ascii_digit() || "零一二三四五六七八九十".contains(c);
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = |from: usize| {
            let mut j = from;
            while j < chars.len() && numeral(chars[j]) {
                j += 1;
            }
            (chars[from..j].iter().collect::<String>(), j)
        };
        if c == '第' && chars.get(i + 1).is_some_and(|&n| numeral(n)) {
            let (digits, j) = run(i + 1);
            let Some(n) = number(&digits) else { break };
            match chars.get(j) {
                Some('章') => out.push(Marker::Chapter(n)),
                Some('条') if digits.chars().all(|d| d.is_ascii_digit()) => {
                    out.push(Marker::Item(n))
                }
                Some('条') => out.push(Marker::Article(n)),
                _ => break,
            }
            i = j + 1;
        } else if c == '（' {
            let (digits, j) = run(i + 1);
            match (number(&digits), chars.get(j)) {
                (Some(n), Some('）')) => out.push(Marker::Paren(n)),
                _ => break,
            }
            i = j + 1;
        } else if numeral(c) {
            let (digits, j) = run(i);
            let Some(n) = number(&digits) else { break };
            if digits.chars().all(|d| d.is_ascii_digit()) {
                out.push(Marker::Item(n));
                i = j + usize::from(chars.get(j) == Some(&'.'));
            } else {
                out.push(Marker::Section(n));
                i = j + usize::from(chars.get(j) == Some(&'、'));
            }
        } else if c == ' ' || c == '第' || c == '项' || c == '款' {
            i += 1;
        } else {
            break;
        }
    }
    out.retain(|m| !matches!(m, Marker::Chapter(_)));
    out
}

/// A clause of a document: its markers and its anchor (`c-{ord}`) on the document page.
type ClauseAnchor = (Vec<Marker>, i64);

/// Where each cited clause is in the gazette: per document number, the document's id and its
/// clauses' markers and anchors.
#[derive(Default)]
struct ClauseLinks {
    docs: HashMap<String, (i64, Vec<ClauseAnchor>)>,
}

impl ClauseLinks {
    /// The clause's anchor on its document page: the clause whose markers are the reference's
    /// (or end with them), the longest match first (a range links to its first clause).
    fn href(&self, citation: &str) -> Option<String> {
        let (doc, rest) = citation.split_once(' ')?;
        let (id, clauses) = self.docs.get(doc)?;
        let wanted = markers(rest);
        for k in (1..=wanted.len()).rev() {
            let want = &wanted[..k];
            let found = clauses
                .iter()
                .find(|(m, _)| m.as_slice() == want)
                .or_else(|| clauses.iter().find(|(m, _)| m.ends_with(want)));
            if let Some((_, ord)) = found {
                return Some(format!("/documents/{id}#c-{ord}"));
            }
        }
        Some(format!("/documents/{id}"))
    }

    /// A citation, linked to its clause when the document is in the gazette.
    fn cite(&self, citation: &str) -> Markup {
        match self.href(citation) {
            Some(href) => html! { a class="clause-link" href=(href) { (citation) } },
            None => html! { (citation) },
        }
    }
}

/// The clauses of the cited documents that are in the gazette (a document not imported gets
/// no link).
fn clause_links(
    app: &App,
    viewer: &Viewer,
    docs: &BTreeSet<String>,
) -> luoshi_app::Result<ClauseLinks> {
    let mut links = ClauseLinks::default();
    let listed = app.documents(viewer, None)?;
    for d in listed.iter().filter(|d| docs.contains(&d.doc_no)) {
        let view = app.document(viewer, d.id)?;
        let clauses = view
            .clauses
            .iter()
            .map(|c| (markers(&c.path), c.ord))
            .collect();
        links.docs.insert(d.doc_no.clone(), (d.id, clauses));
    }
    Ok(links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_references_read_as_markers() {
        use Marker::*;
        assert_eq!(markers("第二条（三）1"), [Article(2), Paren(3), Item(1)]);
        assert_eq!(markers("第二条 （三）1."), [Article(2), Paren(3), Item(1)]);
        assert_eq!(markers("第三章 第十六条 （五）"), [Article(16), Paren(5)]);
        assert_eq!(markers("一（五）1"), [Section(1), Paren(5), Item(1)]);
        assert_eq!(markers("一、（五）1."), [Section(1), Paren(5), Item(1)]);
        assert_eq!(markers("三（一）2—5"), [Section(3), Paren(1), Item(2)]);
        assert_eq!(markers("四、2—3"), [Section(4), Item(2)]);
        assert_eq!(markers("第4条第（1）项"), [Item(4), Paren(1)]);
        assert_eq!(markers("第二十条—第二十二条"), [Article(20)]);
        assert_eq!(markers("第七条、第十九条"), [Article(7)]);
        assert_eq!(markers("第二条（一）、（四）2"), [Article(2), Paren(1)]);
        assert_eq!(markers("八（一）"), [Section(8), Paren(1)]);
    }

    #[test]
    fn citations_link_to_the_longest_matching_clause() {
        use Marker::*;
        let mut links = ClauseLinks::default();
        let clauses = vec![
            (vec![Section(1)], 1),
            (vec![Section(1), Item(4)], 5),
            (vec![Article(2)], 7),
            (vec![Article(2), Paren(3)], 9),
            (vec![Article(2), Paren(3), Item(1)], 10),
        ];
        links.docs.insert("甲〔2020〕1号".into(), (42, clauses));
        let href = |c: &str| links.href(c);
        assert_eq!(
            href("甲〔2020〕1号 第二条（三）1").as_deref(),
            Some("/documents/42#c-10")
        );
        assert_eq!(
            href("甲〔2020〕1号 第二条（三）9").as_deref(),
            Some("/documents/42#c-9")
        );
        assert_eq!(
            href("甲〔2020〕1号 第4条第（3）项").as_deref(),
            Some("/documents/42#c-5")
        );
        assert_eq!(href("甲〔2020〕1号 附则").as_deref(), Some("/documents/42"));
        assert_eq!(href("《中华人民共和国民法典》第一千二百五十九条"), None);
        assert_eq!(href("乙〔2020〕2号 第一条"), None);
    }
}
