//! The rules three ways (规则：网页、接口、命令行): the real `luoshi serve --demo` and the
//! built `luoshi rules eval`, on the same inputs for every rule — each catalogue example and
//! the boundary cases of its thresholds — give the same decision (or the same error code) on the
//! page, through the API and on the command line. Also: the batch route answers byte for byte
//! as `luoshi rules eval --batch` (JSON Lines and CSV, compact and `--explain`); the catalogue
//! route lists each rule with its citation and input schema; a pre-check stores nothing of the
//! applicant's input; and the rule pages carry no CSP violation in Chromium.

mod support;

use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};
use support::*;

/// Every rule's inputs: its catalogue example (added by the test) and the boundary cases of
/// its thresholds, with a few that must be refused.
fn cases() -> Vec<(&'static str, Value)> {
    let talent = |birth: &str, degree: &str| {
        json!({"degree": degree, "full_time": true, "birth_date": birth,
            "graduation_date": "2018-07-01", "settled_date": "2019-03-01",
            "contract_signed_date": "2019-10-08", "contract_filed": true, "deed_tax_paid": true,
            "first_home": true, "application_date": "2020-06-01"})
    };
    let mut bachelor = talent("1985-06-01", "本科");
    bachelor["double_first_class"] = json!(true);
    let mut no_school = talent("1985-06-01", "本科");
    no_school["double_first_class"] = json!(false);
    let mut late = talent("1990-01-01", "硕士");
    late["settled_date"] = json!("2021-07-02");
    vec![
        // 24号 第二条（三）1 “35岁以下”: 35周岁 passes (民法典 第一千二百五十九条), 36 fails.
        ("talent-subsidy", talent("1985-06-01", "硕士")),
        ("talent-subsidy", talent("1985-06-02", "硕士")),
        ("talent-subsidy", talent("1984-06-01", "硕士")),
        ("talent-subsidy", talent("1970-01-01", "博士")),
        ("talent-subsidy", bachelor),
        ("talent-subsidy", no_school),
        ("talent-subsidy", late),
        ("talent-subsidy", talent("1985-02-30", "硕士")),
        ("talent-subsidy", talent("1985-06-01", "专科")),
        (
            "talent-purchase-qualification",
            json!({"zhengzhou_hukou": false,
            "full_time_bachelor_or_above": true, "senior_title": false, "employment": "劳动合同",
            "contract_months": 12, "first_home": true, "purchaser_is_applicant": true}),
        ),
        (
            "talent-purchase-qualification",
            json!({"zhengzhou_hukou": false,
            "full_time_bachelor_or_above": true, "senior_title": false, "employment": "劳动合同",
            "contract_months": 11, "first_home": true, "purchaser_is_applicant": true}),
        ),
        // 22号 四、2: a negative result needs review; fen rounding.
        (
            "land-premium",
            json!({"transfer_price_yuan": "1000000", "allocation_price_yuan": "350000.01"}),
        ),
        (
            "land-premium",
            json!({"transfer_price_yuan": "0.03", "allocation_price_yuan": "0",
            "city_reserve_direct": true}),
        ),
        (
            "land-premium",
            json!({"transfer_price_yuan": "-1", "allocation_price_yuan": "0"}),
        ),
        // 61号: the National Day and Spring Festival holidays are skipped.
        (
            "service-time-limit",
            json!({"service": "food-business-license", "accepted_date": "2020-01-23"}),
        ),
        (
            "service-time-limit",
            json!({"service": "simple-deregistration-notice",
            "accepted_date": "2020-04-30", "completed_date": "2020-05-25"}),
        ),
        (
            "service-time-limit",
            json!({"service": "no-such-service", "accepted_date": "2020-04-30"}),
        ),
        // 26号 一（五）: the bounds open the upper band (its own 八（一）).
        (
            "disaster-grade",
            json!({"kind": "险情", "people_at_risk": 100}),
        ),
        (
            "disaster-grade",
            json!({"kind": "险情", "people_at_risk": 99, "potential_loss_yuan": "5000000"}),
        ),
        (
            "disaster-grade",
            json!({"kind": "灾情", "deaths": 30, "received_at": "2020-07-01T23:59"}),
        ),
        ("disaster-grade", json!({"kind": "灾情", "deaths": -1})),
        ("warning-level", json!({"level": "四级"})),
        (
            "warning-level",
            json!({"level": "红色", "issued_at": "2020-07-01T08:00", "as_of": "2020-07-02T08:00"}),
        ),
        // 70号 第九条: 1000万 and 5000万 open the upper tier (“及以上”).
        (
            "it-project-approval",
            json!({"total_investment_yuan": "10000000"}),
        ),
        (
            "it-project-approval",
            json!({"total_investment_yuan": "9999999.99", "simple_scope": true}),
        ),
        (
            "it-project-approval",
            json!({"total_investment_yuan": "50000000"}),
        ),
        // 70号 第十九条: 不超过15% includes 15%.
        (
            "it-project-change",
            json!({"approved_estimate_yuan": "20000000", "adjusted_total_yuan": "20000000",
            "adjustment_yuan": "3000000", "goal_unchanged": true, "reason": "新部署"}),
        ),
        (
            "it-project-change",
            json!({"approved_estimate_yuan": "20000000", "adjusted_total_yuan": "20000000",
            "adjustment_yuan": "3000000.01", "goal_unchanged": true, "reason": "新部署"}),
        ),
        (
            "it-project-acceptance",
            json!({"completed_date": "2020-03-10", "trial_run_start_date": "2020-03-15",
            "trial_run_end_date": "2020-06-15", "as_of": "2020-09-10"}),
        ),
        // 27号 第七条、第十九条: the day a deadline falls due is in time.
        (
            "proposal-deadlines",
            json!({"received_date": "2020-05-22", "replied_date": "2020-08-24",
            "as_of": "2020-09-01"}),
        ),
        (
            "proposal-deadlines",
            json!({"received_date": "2020-05-22", "as_of": "2020-05-21"}),
        ),
        (
            "proposal-reply-class",
            json!({"outcome": "列入计划逐步解决"}),
        ),
        ("proposal-reply-class", json!({"outcome": "办不了"})),
        // 27号 第十六条: 98.5% and 45% are met.
        (
            "proposal-standards",
            json!({"total": 200, "answered_on_time": 200, "met_in_person": 200,
            "satisfied": 197, "resolved": 90}),
        ),
        (
            "proposal-standards",
            json!({"total": 200, "answered_on_time": 199, "met_in_person": 200,
            "key_total": 2, "key_satisfied": 1, "satisfied": 196, "resolved": 89}),
        ),
    ]
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

/// An answer: status and body, whatever the status.
fn answer(result: Result<ureq::Response, ureq::Error>, what: &str) -> (u16, String, String) {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{what}: {e}"),
    };
    let status = response.status();
    let content_type = response.content_type().to_string();
    let body = response.into_string().expect("a text body");
    (status, content_type, body)
}

/// What a way in answered: the decision, or the error code.
#[derive(Debug, PartialEq)]
enum Answer {
    Decision(Value),
    Refused(String),
}

fn cli(name: &str, input: &str) -> Answer {
    let mut child = Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(["rules", "eval", name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("luoshi runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write the input");
    let out = child.wait_with_output().expect("luoshi ends");
    if out.status.success() {
        Answer::Decision(serde_json::from_slice(&out.stdout).expect("a JSON decision"))
    } else {
        assert_eq!(out.status.code(), Some(2), "bad input exits with 2");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = stderr
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .find(|w| w.starts_with("E_"))
            .unwrap_or_else(|| panic!("no error code in {stderr}"));
        Answer::Refused(code.to_string())
    }
}

fn api(base: &str, name: &str, input: &str) -> Answer {
    let url = format!("{base}/api/v1/rules/{name}/eval");
    let (status, content_type, body) = answer(
        agent()
            .post(&url)
            .set("Content-Type", "application/json")
            .send_string(input),
        &url,
    );
    assert_eq!(content_type, "application/json", "{url}");
    let v: Value = serde_json::from_str(&body).expect("a JSON answer");
    match status {
        200 => Answer::Decision(v),
        422 => {
            let message = v["error"]["message"].as_str().expect("a message");
            assert!(
                message
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "a Chinese message: {message}"
            );
            Answer::Refused(v["error"]["code"].as_str().expect("a code").to_string())
        }
        other => panic!("{url}: {other} {body}"),
    }
}

/// HTML text back to text (maud escapes `& < > "`).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The text of the first `<pre class="{class}">` of a page.
fn pre(page: &str, class: &str) -> Option<String> {
    let start = page.find(&format!("<pre class=\"{class}\">"))?;
    let rest = &page[start..];
    let open = rest.find('>')? + 1;
    let close = rest.find("</pre>")?;
    Some(unescape(&rest[open..close]))
}

/// Fill the rule's form with the input (each field as the person would type or choose it)
/// and submit it.
fn page(base: &str, name: &str, input: &Value) -> (Answer, String) {
    let fields: Vec<(String, String)> = input
        .as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let url = format!("{base}/rules/{name}");
    let (status, content_type, body) = answer(agent().post(&url).send_form(&pairs), &url);
    assert!(
        content_type.starts_with("text/html"),
        "{url}: {content_type}"
    );
    let answer = match status {
        200 => {
            let json = pre(&body, "source decision-json").expect("the decision's JSON");
            Answer::Decision(serde_json::from_str(&json).expect("JSON on the page"))
        }
        422 => {
            let start =
                body.find("错误代码：<code>").expect("an error code") + "错误代码：<code>".len();
            let code = &body[start..start + body[start..].find('<').expect("code ends")];
            Answer::Refused(code.to_string())
        }
        other => panic!("{url}: {other}"),
    };
    (answer, body)
}

/// What a person sees on the page matches the decision: the explanation, every trace step,
/// and a link to the rule's clause in the gazette.
fn assert_page_shows(name: &str, page: &str, d: &Value) {
    let explanation = d["explanation"].as_str().expect("an explanation");
    assert!(
        page.contains(&escape(explanation)),
        "{name}: the explanation is on the page"
    );
    for step in d["trace"].as_array().expect("a trace") {
        let check = step["check"].as_str().expect("a check");
        assert!(page.contains(&escape(check)), "{name}: trace step {check}");
    }
    let citation = d["citation"].as_str().expect("a citation");
    let linked = page
        .split("class=\"clause-link\" href=\"")
        .skip(1)
        .any(|rest| {
            rest.starts_with("/documents/") && rest.contains(&format!(">{}</a>", escape(citation)))
        });
    assert!(linked, "{name}: {citation} links to its clause");
}

#[test]
fn every_rule_answers_alike_on_the_page_the_api_and_the_command_line() {
    let server = start_server_with("rules-web", &[]);
    let base = &server.base;
    let mut inputs: Vec<(String, Value)> = Vec::new();
    let catalogue = cli_list();
    for rule in catalogue.as_array().expect("rules") {
        let name = rule["name"].as_str().expect("a name").to_string();
        inputs.push((name, rule["example"].clone()));
    }
    for (name, input) in cases() {
        inputs.push((name.to_string(), input));
    }
    let mut refused = 0;
    for (name, input) in &inputs {
        let text = input.to_string();
        let by_cli = cli(name, &text);
        let by_api = api(base, name, &text);
        let (by_page, html) = page(base, name, input);
        assert_eq!(by_api, by_cli, "{name} {text}: API and command line");
        assert_eq!(by_page, by_cli, "{name} {text}: page and command line");
        match &by_cli {
            Answer::Decision(d) => assert_page_shows(name, &html, d),
            Answer::Refused(_) => refused += 1,
        }
    }
    assert!(
        refused >= 6,
        "the refused inputs were refused alike ({refused})"
    );
    assert!(inputs.len() >= 12 + 30);

    // The applicant aged exactly 35 passes the age condition, citing 民法典 第一千二百五十九条,
    // on every way in.
    let (_, exactly_35) = &cases()[0];
    let Answer::Decision(d) = api(base, "talent-subsidy", &exactly_35.to_string()) else {
        panic!("decided")
    };
    assert_eq!(d["age"], 35);
    assert_eq!(d["eligible"], true, "{d}");
    assert_eq!(
        d["counting"]["citation"],
        "《中华人民共和国民法典》第一千二百五十九条"
    );
    let age = d["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["clause"] == "郑政办〔2020〕24号 第二条（三）1")
        .expect("the age step");
    assert_eq!(
        (age["value"].clone(), age["holds"].clone()),
        (json!(35), json!(true))
    );
    let (_, html) = page(base, "talent-subsidy", exactly_35);
    assert!(html.contains("《中华人民共和国民法典》第一千二百五十九条"));
    let Answer::Decision(d36) = api(base, "talent-subsidy", &cases()[2].1.to_string()) else {
        panic!("decided")
    };
    assert_eq!(d36["eligible"], false);
    assert_eq!(d36["reasons"][0]["condition"], "age", "{d36}");
}

fn cli_list() -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(["rules", "list", "--json"])
        .output()
        .expect("luoshi runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["rules"].clone()
}

#[test]
fn the_catalogue_lists_every_rule_with_its_citation_and_input_schema() {
    let server = start_server_with("rules-web-list", &[]);
    let url = format!("{}/api/v1/rules", server.base);
    let (status, _, body) = answer(agent().get(&url).call(), &url);
    assert_eq!(status, 200);
    let listed: Value = serde_json::from_str(&body).expect("JSON");
    let listed = listed.as_array().expect("an array");
    let catalogue = cli_list();
    assert_eq!(listed.len(), catalogue.as_array().unwrap().len());
    for (api, cli) in listed.iter().zip(catalogue.as_array().unwrap()) {
        assert_eq!(api["name"], cli["name"]);
        assert_eq!(api["citation"], cli["citation"]);
        assert_eq!(api["example"], cli["example"]);
        let documented: Vec<&str> = cli["input"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let mut properties: Vec<&str> = api["input_schema"]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: input schema {}", api["name"], api["input_schema"]))
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = documented.clone();
        sorted.sort_unstable();
        properties.sort_unstable();
        assert_eq!(properties, sorted, "{}", api["name"]);
        // The document has the schema the entry names, and the rule's operation uses it.
        let eval = api["eval"].as_str().unwrap();
        assert_eq!(
            eval,
            format!("/api/v1/rules/{}/eval", api["name"].as_str().unwrap())
        );
    }
    let url = format!("{}/api/openapi.json", server.base);
    let (_, _, body) = answer(agent().get(&url).call(), &url);
    let doc: Value = serde_json::from_str(&body).expect("JSON");
    for entry in listed {
        let name = entry["name"].as_str().unwrap();
        let op = &doc["paths"][format!("/api/v1/rules/{name}/eval")]["post"];
        let body = &op["requestBody"]["content"]["application/json"];
        let input_type = entry["input_type"].as_str().unwrap();
        assert_eq!(
            body["schema"]["$ref"],
            format!("#/components/schemas/{input_type}"),
            "{name}"
        );
        assert_eq!(body["example"], entry["example"], "{name}: the example");
        let ok = &op["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            ok["schema"]["$ref"],
            format!(
                "#/components/schemas/{}",
                entry["output_type"].as_str().unwrap()
            )
        );
        assert!(
            ok["example"]["citation"].is_string(),
            "{name}: a decision example"
        );
        assert!(doc["components"]["schemas"][input_type]["properties"].is_object());
        for ty in [input_type, entry["output_type"].as_str().unwrap()] {
            let mut seen = Vec::new();
            assert_schema_is_typed(&doc, &format!("#/components/schemas/{ty}"), &mut seen);
        }
    }
    // The batch operation names its input and output lines.
    let batch = &doc["paths"]["/api/v1/rules/{name}/batch"]["post"];
    let line = &batch["responses"]["200"]["content"]["application/x-ndjson"]["schema"];
    let mut seen = Vec::new();
    assert_schema_is_typed(&doc, line["$ref"].as_str().unwrap_or("#/none"), &mut seen);
    assert!(
        seen.iter().any(|s| s.ends_with("/TalentCompactLine")),
        "{seen:?}"
    );
}

/// A schema of the OpenAPI document and every schema it refers to are written out: each
/// object lists its properties (no bare `type: object` placeholder), each `$ref` resolves.
fn assert_schema_is_typed(doc: &Value, reference: &str, seen: &mut Vec<String>) {
    if seen.iter().any(|s| s == reference) {
        return;
    }
    seen.push(reference.to_string());
    let name = reference
        .strip_prefix("#/components/schemas/")
        .unwrap_or_else(|| panic!("a component reference: {reference}"));
    let schema = &doc["components"]["schemas"][name];
    assert!(schema.is_object(), "{reference} resolves");
    walk_schema(doc, reference, schema, seen);
}

fn walk_schema(doc: &Value, at: &str, schema: &Value, seen: &mut Vec<String>) {
    match schema {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref") {
                assert_schema_is_typed(doc, r, seen);
                return;
            }
            let is_object = o.get("type").is_some_and(|t| {
                t == "object" || t.as_array().is_some_and(|a| a.contains(&json!("object")))
            });
            if is_object {
                let described = o
                    .get("properties")
                    .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
                    || o.get("additionalProperties").is_some_and(Value::is_object);
                assert!(
                    described,
                    "{at}: an object schema without properties: {schema}"
                );
            }
            for child in o.values() {
                walk_schema(doc, at, child, seen);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| walk_schema(doc, at, i, seen)),
        _ => {}
    }
}

/// The batch route and `luoshi rules eval --batch` on the same file: the same bytes.
#[test]
fn the_batch_route_answers_as_the_command_line_batch() {
    let server = start_server_with("rules-web-batch", &[]);
    let dir = TempDir::new("rules-web-batch-files");
    let mut jsonl = String::new();
    for (name, input) in cases() {
        if name == "talent-subsidy" {
            jsonl.push_str(&input.to_string());
            jsonl.push('\n');
        }
    }
    jsonl.push_str("not json\n\n");
    jsonl.push_str(&cases()[0].1.to_string()); // the last line without its line break
    let csv = "degree,full_time,double_first_class,birth_date,graduation_date,settled_date,contract_signed_date,contract_filed,deed_tax_paid,first_home,application_date\n\
               本科,true,true,1985-06-01,2018-07-01,2019-03-01,2019-10-08,true,true,true,2020-06-01\n\
               硕士,true,,1984-06-01,2018-07-01,2019-03-01,2019-10-08,true,true,true,2020-06-01\n\
               硕士,yes,,1984-06-01,2018-07-01,2019-03-01,2019-10-08,true,true,true,2020-06-01\n";
    for (format, body, content_type) in [
        ("jsonl", jsonl.as_str(), "application/x-ndjson"),
        ("csv", csv, "text/csv"),
    ] {
        let file = dir.0.join(format!("in.{format}"));
        std::fs::write(&file, body).expect("write the input");
        for explain in [false, true] {
            let mut args = vec!["rules", "eval", "talent-subsidy", "--batch", "--input"];
            let path = file.display().to_string();
            args.push(&path);
            if explain {
                args.push("--explain");
            }
            let out = Command::new(env!("CARGO_BIN_EXE_luoshi"))
                .args(&args)
                .output()
                .expect("luoshi runs");
            let url = format!(
                "{}/api/v1/rules/talent-subsidy/batch{}",
                server.base,
                if explain { "?explain=1" } else { "" }
            );
            let (status, got_type, answer) = answer(
                agent()
                    .post(&url)
                    .set("Content-Type", content_type)
                    .send_string(body),
                &url,
            );
            assert_eq!(status, 200, "{url}: {answer}");
            assert_eq!(got_type, "application/x-ndjson");
            let cli = String::from_utf8(out.stdout).expect("UTF-8");
            assert!(cli.lines().count() >= 3, "{cli}");
            assert_eq!(answer, cli, "{format} explain={explain}");
        }
    }
    // A bad CSV header, an unknown rule, an unknown content type: 4xx with a code.
    let refusals = [
        (
            "talent-subsidy",
            "text/csv",
            "degree,nonsense\n",
            422,
            "E_FIELD_UNKNOWN",
        ),
        (
            "no-such-rule",
            "application/x-ndjson",
            "{}\n",
            404,
            "E_RULE_UNKNOWN",
        ),
        (
            "talent-subsidy",
            "application/pdf",
            "%PDF",
            422,
            "E_CONTENT_TYPE",
        ),
    ];
    for (name, content_type, body, want, code) in refusals {
        let url = format!("{}/api/v1/rules/{name}/batch", server.base);
        let (status, _, answer) = answer(
            agent()
                .post(&url)
                .set("Content-Type", content_type)
                .send_string(body),
            &url,
        );
        assert_eq!(status, want, "{url} {content_type}: {answer}");
        let v: Value = serde_json::from_str(&answer).expect("a JSON error");
        assert_eq!(v["error"]["code"], code);
    }
}

/// A large batch streams: 40 MB of applicants in, one line out each, and the first answer
/// line arrives while the client is still sending (the server decides as it reads, it does not
/// hold the body). The client writes and reads at once on one connection, as a streaming
/// client must: a client that sends the whole body before reading would stall once the
/// answer filled the socket buffers.
#[test]
fn a_large_batch_streams() {
    use std::io::{BufRead, BufReader, Read};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let server = start_server_with("rules-web-stream", &[]);
    let line = format!("{}\n", cases()[0].1);
    let count = 40_000_000 / line.len();
    let host = server.base.trim_start_matches("http://").to_string();
    let stream = std::net::TcpStream::connect(&host).expect("connect");
    let mut writer = stream.try_clone().expect("a second handle");
    let sent = Arc::new(AtomicBool::new(false));
    let sending = {
        let sent = sent.clone();
        std::thread::spawn(move || {
            let head = format!(
                "POST /api/v1/rules/talent-subsidy/batch HTTP/1.1\r\nHost: {host}\r\n\
                 Content-Type: application/x-ndjson\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n",
                line.len() * count
            );
            writer.write_all(head.as_bytes()).expect("send the head");
            let block = line.repeat(1000);
            for _ in 0..count / 1000 {
                writer.write_all(block.as_bytes()).expect("send lines");
            }
            for _ in 0..count % 1000 {
                writer.write_all(line.as_bytes()).expect("send a line");
            }
            sent.store(true, Ordering::SeqCst);
        })
    };
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut l = String::new();
        reader.read_line(&mut l).expect("read the head");
        if l == "\r\n" || l.is_empty() {
            break;
        }
        head.push_str(&l);
    }
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    // The chunked body, decoded chunk by chunk.
    let mut body = Vec::new();
    let mut first_line_while_sending = None;
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).expect("a chunk size");
        let size = usize::from_str_radix(size.trim(), 16).expect("a hex chunk size");
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk).expect("a chunk");
        body.extend_from_slice(&chunk[..size]);
        if first_line_while_sending.is_none() && body.contains(&b'\n') {
            first_line_while_sending = Some(!sent.load(Ordering::SeqCst));
        }
        if size == 0 {
            break;
        }
    }
    sending.join().expect("the sender ends");
    assert_eq!(
        first_line_while_sending,
        Some(true),
        "the first answer line came before the body was sent"
    );
    let text = String::from_utf8(body).expect("UTF-8");
    assert_eq!(text.lines().count(), count);
    assert!(text
        .lines()
        .all(|l| l == "{\"eligible\":true,\"amount_yuan\":\"50000.00\",\"failed\":{}}"));
}

/// A pre-check leaves nothing of the applicant's input behind: no audit row, and the
/// applicant's dates nowhere in the database files.
#[test]
fn a_pre_check_stores_nothing_of_the_applicant() {
    let server = start_server_with("rules-web-private", &[]);
    let db = server.dir.0.join("luoshi.db");
    let audit_rows = || {
        let c = rusqlite::Connection::open(&db).expect("open the database");
        c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))
            .expect("count the audit rows")
    };
    let before = audit_rows();
    // Dates no gazette text or demo record holds.
    let input = json!({"degree": "硕士", "full_time": true, "birth_date": "1987-11-23",
        "graduation_date": "2018-07-13", "settled_date": "2019-03-17",
        "contract_signed_date": "2019-10-19", "contract_filed": true, "deed_tax_paid": true,
        "first_home": true, "application_date": "2020-06-11"});
    let (answer_page, _) = page(&server.base, "talent-subsidy", &input);
    let answer_api = api(&server.base, "talent-subsidy", &input.to_string());
    assert_eq!(answer_page, answer_api);
    assert_eq!(audit_rows(), before, "no audit row for a pre-check");
    for file in ["luoshi.db", "luoshi.db-wal", "luoshi.db-journal"] {
        let Ok(bytes) = std::fs::read(server.dir.0.join(file)) else {
            continue;
        };
        for date in ["1987-11-23", "2018-07-13", "2019-10-19"] {
            assert!(
                !bytes.windows(date.len()).any(|w| w == date.as_bytes()),
                "{date} is not stored in {file}"
            );
        }
    }
}

/// The rule pages under the Content-Security-Policy in Chromium: the form, a decision, a
/// refusal, the index — no violation; and the form posts without JavaScript.
#[test]
fn rule_pages_work_in_chromium_without_csp_violations() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let server = start_server_with("rules-web-browser", &[]);
    let browser = Browser::start(&chromium, &chromedriver);
    browser.goto(&format!("{}/rules", server.base));
    browser.assert_no_csp_violation("the rules index");
    for r in cli_list().as_array().expect("rules") {
        let name = r["name"].as_str().unwrap();
        browser.goto(&format!("{}/rules/{name}?example=1", server.base));
        browser.assert_no_csp_violation(name);
        browser.click(&browser.css("main form button[type=submit]"));
        browser.wait_for_url("the decision", |u| u.ends_with(&format!("/rules/{name}")));
        let conclusion = browser.text(&browser.css("pre.conclusion"));
        assert!(!conclusion.is_empty(), "{name}: a conclusion");
        browser.assert_no_csp_violation(&format!("{name} decided"));
    }
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser/rule-talent.png");
    browser.goto(&format!("{}/rules/talent-subsidy?example=1", server.base));
    browser.click(&browser.css("main form button[type=submit]"));
    browser.wait_for_url("the decision", |u| u.ends_with("/rules/talent-subsidy"));
    browser.screenshot(&shot);
    println!("screenshot of the talent pre-check: {}", shot.display());
}

/// The decision route, served outside the page middleware, answers like the rest of the API:
/// the security headers on every answer, JSON errors with their codes for an unknown rule, a
/// wrong method and a body over the limit, and no session needed or made.
#[test]
fn the_decision_route_is_public_hardened_and_bounded() {
    let server = start_server_with("rules-web-eval-route", &[]);
    let url = format!("{}/api/v1/rules/talent-subsidy/eval", server.base);
    let headers_of = |r: &ureq::Response, what: &str| {
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{what}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{what}");
        assert!(r.header("content-security-policy").is_some(), "{what}");
        assert!(r.header("set-cookie").is_none(), "{what}: no session");
    };
    let error_of = |result: Result<ureq::Response, ureq::Error>, want: u16, what: &str| {
        let Err(ureq::Error::Status(status, r)) = result else {
            panic!("{what}: an error answer")
        };
        assert_eq!(status, want, "{what}");
        headers_of(&r, what);
        let v: Value = r.into_json().expect("a JSON error");
        v["error"]["code"].as_str().expect("a code").to_string()
    };
    let ok = agent()
        .post(&url)
        .set("Content-Type", "application/json")
        .send_string(&cases()[0].1.to_string())
        .expect("decided");
    headers_of(&ok, "a decision");
    let unknown = format!("{}/api/v1/rules/no-such-rule/eval", server.base);
    let code = error_of(
        agent().post(&unknown).send_string("{}"),
        404,
        "unknown rule",
    );
    assert_eq!(code, "E_RULE_UNKNOWN");
    let code = error_of(agent().get(&url).call(), 405, "GET");
    assert_eq!(code, "E_METHOD_NOT_ALLOWED");
    let big = format!("{{\"degree\":\"{}\"}}", "硕".repeat(700_000));
    let code = error_of(
        agent().post(&url).send_string(&big),
        413,
        "a body over 2 MB",
    );
    assert_eq!(code, "E_TOO_LARGE");
    let code = error_of(
        agent().post(&url).send_string("{\"degree\":"),
        422,
        "cut JSON",
    );
    assert!(code.starts_with("E_"), "{code}");
}
