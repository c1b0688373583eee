//! The office's writes on health-action monitoring over HTTP (健康行动监测接口测试), on the real
//! server over a temporary SQLite file with the bundled gazette: the decision on a qualitative
//! target with its evidence (`POST /api/v1/indicators/{id}/decisions`), assigning a series to an
//! action (`PUT /api/v1/indicators/{id}/action`) and the assessment scheme
//! (`PUT /api/v1/indicators/assessment/scheme`) — success, bad input (a Chinese message and a
//! stable code, nothing changed), permission (only the promotion committee's office, 郑政文
//! 〔2020〕59号 附件2 三（一）) and the audit entry each write leaves.

use luoshi_app::accounts::NewUser;
use luoshi_app::demo::{system_viewer, SEED_NAME, SEED_TEXT};
use luoshi_domain::{AuditEntry, Role};
use luoshi_web::WebConfig;
use serde_json::{json, Value};
use std::sync::OnceLock;

mod support;

type Fixture = support::Server;

const PASSWORD: &str = "long enough password";

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let app = support::fresh_app("health-api");
        let registry = app.registry.clone();
        app.import_issue(
            &system_viewer(),
            SEED_NAME,
            SEED_TEXT,
            &registry,
            &mut |_, _| {},
        )
        .expect("the bundled issue imports");
        for (username, role, unit) in [
            ("jkb", Role::Health, None),
            ("admin", Role::Admin, None),
            // 市卫健委 leads 妇幼健康促进行动 (7); 市体育局 leads none of these series.
            ("wjw", Role::UnitStaff, Some("dept.wjw")),
            ("tyj", Role::UnitStaff, Some("dept.tyj")),
        ] {
            support::add(
                &app,
                NewUser {
                    unit_id: unit.map(str::to_string),
                    ..support::account(username, PASSWORD, role)
                },
            );
        }
        support::serve(app, WebConfig::default())
    })
}

/// A logged-in API client: its session cookie and CSRF token (none for the public).
struct Client {
    cookie: Option<String>,
    csrf: String,
}

fn public() -> Client {
    Client {
        cookie: None,
        csrf: String::new(),
    }
}

fn login(username: &str) -> Client {
    let (cookie, csrf) = support::api_login(&fixture().base, username, PASSWORD);
    Client {
        cookie: Some(cookie),
        csrf,
    }
}

impl Client {
    fn call(&self, method: &str, path: &str, body: Option<&str>, csrf: bool) -> (u16, Value) {
        let f = fixture();
        let mut req = ureq::request(method, &format!("{}/api/v1{path}", f.base));
        if let Some(c) = &self.cookie {
            req = req.set("Cookie", c);
        }
        if csrf {
            req = req.set("X-CSRF-Token", &self.csrf);
        }
        let resp = support::answer(match body {
            Some(b) => req.set("Content-Type", "application/json").send_string(b),
            None => req.call(),
        });
        let status = resp.status();
        let text = resp.into_string().unwrap();
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path} ({status}) not JSON: {e}: {text}"));
        (status, value)
    }
    fn get(&self, path: &str) -> Value {
        let (status, v) = self.call("GET", path, None, false);
        assert_eq!(status, 200, "GET {path}: {v}");
        v
    }
    fn write(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        self.call(method, path, Some(&body.to_string()), true)
    }
}

/// A refusal: the status, the stable code and a message in Chinese.
fn refused(answer: (u16, Value), status: u16, code: &str) -> String {
    let (s, v) = answer;
    assert_eq!(s, status, "{v}");
    assert_eq!(v["error"]["code"], code, "{v}");
    let message = v["error"]["message"].as_str().unwrap().to_string();
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "Chinese message: {message}"
    );
    message
}

fn series_id(key: &str) -> i64 {
    let list = public().get("/indicators");
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == key)
        .unwrap_or_else(|| panic!("series {key}"))["id"]
        .as_i64()
        .unwrap()
}

/// The audit entries of one action, newest first (logins and the other tests write their own).
fn audit(action: &str) -> Vec<AuditEntry> {
    let f = fixture();
    let mut log = f.app.audit_log(&system_viewer(), 100_000).unwrap();
    log.retain(|e| e.draft.action == action);
    log
}

fn decisions() -> usize {
    fixture()
        .app
        .store
        .read(luoshi_store::health::decisions)
        .unwrap()
        .len()
}

/// The target of a series with the operator `op`.
fn target(detail: &Value, op: &str) -> i64 {
    detail["attainment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["target"]["op"] == op)
        .unwrap_or_else(|| panic!("a {op} target: {detail}"))["target"]["id"]
        .as_i64()
        .unwrap()
}

fn status_of(client: &Client, sid: i64, target: i64) -> (String, Value) {
    let d = client.get(&format!("/indicators/{sid}?year=2022"));
    let a = d["attainment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["target"]["id"] == target)
        .unwrap()
        .clone();
    (a["status"].as_str().unwrap().to_string(), a)
}

#[test]
fn the_office_decides_a_qualitative_target_with_evidence_and_nobody_else_does() {
    let office = login("jkb");
    let sid = series_id("T11"); // 健康科普专家库和资源库 … 提前实现 (附件3 第11项)
    let detail = office.get(&format!("/indicators/{sid}?year=2022"));
    let text = target(&detail, "text");
    let level_sid = series_id("T2");
    let level = target(&office.get(&format!("/indicators/{level_sid}")), "<=");
    let path = format!("/indicators/{sid}/decisions");
    let body = |target: i64, evidence: &str| json!({"target_id": target, "area": "city", "year": 2022, "met": true, "evidence": evidence});
    let (before_audit, before_decisions) = (audit("health.decide").len(), decisions());
    assert_eq!(status_of(&office, sid, text).0, "not_assessable");

    // Bad input: each refused with its code and a Chinese message; nothing recorded.
    let m = refused(
        office.write("POST", &path, &body(text, "   ")),
        422,
        "E_HEALTH_EVIDENCE",
    );
    assert!(m.contains("依据"), "{m}");
    let m = refused(
        office.write(
            "POST",
            &format!("/indicators/{level_sid}/decisions"),
            &body(level, "x"),
        ),
        422,
        "E_HEALTH_DECISION",
    );
    assert!(m.contains("定性目标"), "{m}");
    refused(
        office.write("POST", &path, &body(level, "x")),
        404,
        "E_NOT_FOUND",
    );
    refused(
        office.write(
            "POST",
            &path,
            &json!({"target_id": text, "area": "火星区", "year": 2022, "met": true, "evidence": "x"}),
        ),
        422,
        "E_HEALTH_AREA",
    );
    refused(
        office.call("POST", &path, Some("{\"target_id\": "), true),
        422,
        "E_JSON",
    );
    refused(
        office.write("POST", &path, &json!({"target_id": text, "met": "是"})),
        422,
        "E_JSON",
    );
    // No CSRF token: refused before anything is read.
    let m = refused(
        office.call("POST", &path, Some(&body(text, "x").to_string()), false),
        403,
        "E_FORBIDDEN",
    );
    assert!(m.contains("CSRF"), "{m}");

    // Permission: a unit — another action's, or even the one leading 妇幼健康 — and the public.
    for unit in ["tyj", "wjw"] {
        let m = refused(
            login(unit).write("POST", &path, &body(text, "郑卫文〔2021〕1号")),
            403,
            "E_FORBIDDEN",
        );
        assert!(m.contains("推进委员会办公室"), "{m}");
    }
    refused(
        public().write("POST", &path, &body(text, "x")),
        401,
        "E_LOGIN_REQUIRED",
    );
    assert_eq!(decisions(), before_decisions, "nothing recorded");
    assert_eq!(
        audit("health.decide").len(),
        before_audit,
        "nothing audited"
    );
    assert_eq!(status_of(&office, sid, text).0, "not_assessable");

    // Success: recorded, judged, shown with its evidence and who decided, audited.
    let (s, v) = office.write("POST", &path, &body(text, "郑卫文〔2022〕9号 专家库建成"));
    assert_eq!(s, 200, "{v}");
    let id = v["id"].as_i64().unwrap();
    assert!(id > 0);
    assert_eq!(decisions(), before_decisions + 1);
    let (status, a) = status_of(&office, sid, text);
    assert_eq!(status, "achieved", "{a}");
    assert!(a.to_string().contains("郑卫文〔2022〕9号"), "{a}");
    let log = audit("health.decide");
    assert_eq!(log.len(), before_audit + 1);
    let e = &log[0];
    assert_eq!(e.draft.action, "health.decide");
    assert_eq!(e.draft.actor, "jkb");
    assert_eq!(e.draft.entity, "health_target");
    assert_eq!(e.draft.entity_id, text.to_string());
    let after: Value = serde_json::from_str(e.draft.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["evidence"], "郑卫文〔2022〕9号 专家库建成");
    assert_eq!(
        (after["met"].clone(), after["year"].clone()),
        (json!(true), json!(2022))
    );
}

#[test]
fn the_office_assigns_a_series_to_an_action_and_nobody_else_does() {
    let office = login("jkb");
    // 产前筛查率: the document names no action for it.
    let sid = series_id("T13");
    let path = format!("/indicators/{sid}/action");
    let action_of =
        || public().get(&format!("/indicators/{sid}"))["indicator"]["action_no"].clone();
    assert_eq!(action_of(), Value::Null);
    let before_audit = audit("health.assign").len();

    let m = refused(
        office.write("PUT", &path, &json!({"action_no": 99})),
        422,
        "E_HEALTH_ACTION",
    );
    assert!(m.contains("没有第 99 项专项行动"), "{m}");
    refused(
        office.write("PUT", &path, &json!({"action_no": "七"})),
        422,
        "E_JSON",
    );
    refused(office.write("PUT", &path, &json!({})), 422, "E_JSON");
    refused(
        office.write("PUT", "/indicators/999999/action", &json!({"action_no": 7})),
        404,
        "E_NOT_FOUND",
    );
    let m = refused(
        office.call(
            "PUT",
            &path,
            Some(&json!({"action_no": 7}).to_string()),
            false,
        ),
        403,
        "E_FORBIDDEN",
    );
    assert!(m.contains("CSRF"), "{m}");
    for unit in ["tyj", "wjw"] {
        refused(
            login(unit).write("PUT", &path, &json!({"action_no": 7})),
            403,
            "E_FORBIDDEN",
        );
    }
    refused(
        public().write("PUT", &path, &json!({"action_no": 7})),
        401,
        "E_LOGIN_REQUIRED",
    );
    assert_eq!(action_of(), Value::Null, "nothing changed");
    assert_eq!(
        audit("health.assign").len(),
        before_audit,
        "nothing audited"
    );

    let (s, v) = office.write("PUT", &path, &json!({"action_no": 7}));
    assert_eq!(s, 200, "{v}");
    assert_eq!(v, json!({"series_id": sid, "action_no": 7}));
    assert_eq!(action_of(), json!(7));
    let log = audit("health.assign");
    assert_eq!(log.len(), before_audit + 1);
    let e = &log[0];
    assert_eq!(
        (
            e.draft.action.as_str(),
            e.draft.actor.as_str(),
            e.draft.entity_id.as_str()
        ),
        ("health.assign", "jkb", sid.to_string().as_str())
    );
    let before: Value = serde_json::from_str(e.draft.before.as_deref().unwrap()).unwrap();
    assert_eq!(before["action_no"], Value::Null);
    assert_eq!(e.draft.after.as_deref(), Some(r#"{"action_no":7}"#));
    // Now 市卫健委 (lead of action 7) may enter it; 市体育局 still may not.
    let enter = json!({"area": "city", "year": 2020, "values": [{"value": "66.1"}]});
    let (s, v) = login("wjw").write("POST", &format!("/indicators/{sid}/observations"), &enter);
    assert_eq!(s, 200, "{v}");
    refused(
        login("tyj").write("POST", &format!("/indicators/{sid}/observations"), &enter),
        403,
        "E_FORBIDDEN",
    );
}

#[test]
fn the_assessment_scheme_is_read_and_replaced_by_the_office_only() {
    let office = login("jkb");
    let scheme = office.get("/indicators/assessment/scheme");
    assert_eq!(scheme["points"]["achieved"], "100");
    assert_eq!(scheme["commend_min"], "85");
    refused(
        public().call("GET", "/indicators/assessment/scheme", None, false),
        401,
        "E_LOGIN_REQUIRED",
    );
    refused(
        login("tyj").call("GET", "/indicators/assessment/scheme", None, false),
        403,
        "E_FORBIDDEN",
    );
    let before_audit = audit("health.scheme").len();
    let mut bad = scheme.clone();
    bad["points"]["behind"] = json!("四十");
    let m = refused(
        office.write("PUT", "/indicators/assessment/scheme", &bad),
        422,
        "E_HEALTH_SCHEME",
    );
    assert!(m.contains("四十"), "{m}");
    let mut bad = scheme.clone();
    bad["commend_min"] = json!("50");
    let m = refused(
        office.write("PUT", "/indicators/assessment/scheme", &bad),
        422,
        "E_HEALTH_SCHEME",
    );
    assert!(m.contains("表扬分数线"), "{m}");
    let mut bad = scheme.clone();
    bad["tie_breaks"] = json!(["by_luck"]);
    refused(
        office.write("PUT", "/indicators/assessment/scheme", &bad),
        422,
        "E_HEALTH_SCHEME",
    );
    let mut changed = scheme.clone();
    changed["interview_below"] = json!("55");
    changed["weights"] = json!({"T2": "2"});
    refused(
        login("wjw").write("PUT", "/indicators/assessment/scheme", &changed),
        403,
        "E_FORBIDDEN",
    );
    assert_eq!(
        office.get("/indicators/assessment/scheme"),
        scheme,
        "nothing changed"
    );
    assert_eq!(audit("health.scheme").len(), before_audit);
    let (s, v) = office.write("PUT", "/indicators/assessment/scheme", &changed);
    assert_eq!(s, 200, "{v}");
    assert_eq!(office.get("/indicators/assessment/scheme"), changed);
    assert_eq!(audit("health.scheme")[0].draft.action, "health.scheme");
    // The assessment says which scheme and lists with the rule in words.
    let a = office.get("/indicators/assessment?year=2022");
    assert!(a["scheme_rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.as_str().unwrap().contains("得分低于 55")));
    assert_eq!(a["cites"], "郑政文〔2020〕59号 附件2 三（二）、三（三）");
    // Put the default back for the other tests in this process.
    let (s, _) = office.write("PUT", "/indicators/assessment/scheme", &scheme);
    assert_eq!(s, 200);
}
