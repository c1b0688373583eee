//! Observability (可观测性), through a real server on real TCP: every answer carries a request
//! id; an internal error (here a real store failure: the table the page reads is gone) is
//! logged in full with that id while the client gets a generic Chinese message with the id
//! and never the database's text; `/metrics` is for administrators and its counters move.

use luoshi_domain::Role;
use luoshi_web::{LogFormat, WebConfig};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

mod support;

/// Everything the server logged, as JSON lines (one subscriber for this test binary).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        tracing::subscriber::set_global_default(luoshi_web::log_subscriber(
            LogFormat::Json,
            move || writer.clone(),
        ))
        .expect("one subscriber");
        captured
    })
}

fn log_lines() -> Vec<serde_json::Value> {
    let text = String::from_utf8(logs().0.lock().unwrap().clone()).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

const PASSWORD: &str = "long enough";

/// A server as configured over a fresh SQLite file with an administrator and a supervision
/// office account; the log subscriber is installed first.
fn start(name: &str, config: WebConfig) -> support::Server {
    logs();
    let app = support::fresh_app(&format!("observe-{name}"));
    support::add(&app, support::account("admin", PASSWORD, Role::Admin));
    support::add(&app, support::account("staff", PASSWORD, Role::Supervision));
    support::serve(app, config)
}

fn call(r: Result<ureq::Response, ureq::Error>) -> (u16, Option<String>, String) {
    let r = support::answer(r);
    let id = r.header("x-request-id").map(str::to_string);
    (r.status(), id, r.into_string().unwrap())
}

/// Log in through the API: the session cookie to send back (`name=value`).
fn logged_in(base: &str, username: &str) -> String {
    login(base, username).0
}

/// Log in through the API: the session cookie (`name=value`) and the CSRF token writes carry.
fn login(base: &str, username: &str) -> (String, String) {
    support::api_login(base, username, PASSWORD)
}

#[test]
fn an_internal_error_is_logged_in_full_and_answered_with_a_generic_message_and_the_request_id() {
    let server = start("internal", WebConfig::default());
    let (status, id, _) = call(ureq::get(&format!("{}/api/v1/units", server.base)).call());
    assert_eq!(status, 200);
    assert!(
        id.is_some_and(|i| i.len() == 16),
        "every answer carries a request id"
    );

    // A real store failure: the table the unit list reads is no longer there.
    server
        .app
        .store
        .write(|c| c.execute("ALTER TABLE units RENAME TO units_gone", &[]))
        .unwrap();

    let (status, id, body) = call(ureq::get(&format!("{}/api/v1/units", server.base)).call());
    assert_eq!(status, 500, "{body}");
    let id = id.expect("x-request-id");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let message = json["error"]["message"].as_str().unwrap();
    assert_eq!(json["error"]["code"], "E_INTERNAL");
    assert_eq!(json["error"]["request_id"], id.as_str());
    assert!(
        message.contains("服务器内部错误") && message.contains(&id),
        "{message}"
    );
    assert!(
        !body.contains("units") && !body.contains("no such table"),
        "{body}"
    );

    // The page says the same, in the layout.
    let (status, page_id, page) = call(ureq::get(&format!("{}/units", server.base)).call());
    assert_eq!(status, 500);
    let page_id = page_id.unwrap();
    assert!(
        page.contains(&page_id) && page.contains("服务器内部错误"),
        "{page}"
    );
    assert!(!page.contains("no such table"), "{page}");

    // The server's log has the database's own words, under the same request id.
    let lines = log_lines();
    let logged = lines
        .iter()
        .find(|l| l["span"]["request_id"] == id.as_str() && l["level"] == "ERROR")
        .unwrap_or_else(|| panic!("no error line for {id} in {lines:#?}"));
    assert!(
        logged.to_string().contains("no such table"),
        "the full error is logged: {logged}"
    );
    // And the access line of that request: route pattern, status.
    assert!(lines.iter().any(|l| l["span"]["request_id"] == id.as_str()
        && l["span"]["route"] == "/api/v1/units"
        && l["fields"]["status"] == 500));
}

#[test]
fn a_request_id_is_taken_from_the_trusted_proxy_only() {
    let server = start(
        "proxy",
        WebConfig {
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..WebConfig::default()
        },
    );
    let url = format!("{}/api/v1/units", server.base);
    let (_, id, _) = call(ureq::get(&url).set("X-Request-Id", "edge-42.a").call());
    assert_eq!(id.as_deref(), Some("edge-42.a"));
    // Not plain enough to echo and log: replaced by our own.
    let (_, id, _) = call(ureq::get(&url).set("X-Request-Id", "a b\"<script>").call());
    assert!(id.is_some_and(|i| i.len() == 16 && i != "a b\"<script>"));

    let untrusted = start("untrusted", WebConfig::default());
    let (_, id, _) = call(
        ureq::get(&format!("{}/api/v1/units", untrusted.base))
            .set("X-Request-Id", "edge-42.a")
            .call(),
    );
    assert_ne!(id.as_deref(), Some("edge-42.a"));
}

/// The value of one sample line (`name{labels} value`) whose text contains all of `parts`.
fn sample(metrics: &str, parts: &[&str]) -> f64 {
    metrics
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .and_then(|l| l.rsplit(' ').next())
        .map_or(0.0, |v| v.parse().unwrap())
}

#[test]
fn metrics_are_for_administrators_and_their_counters_move() {
    let server = start(
        "metrics",
        WebConfig {
            metrics_token: Some("scrape-secret-1".into()),
            ..WebConfig::default()
        },
    );
    let metrics_url = format!("{}/metrics", server.base);
    // Anonymous, a wrong token, and a non-administrator are refused.
    assert_eq!(call(ureq::get(&metrics_url).call()).0, 401);
    assert_eq!(
        call(
            ureq::get(&metrics_url)
                .set("Authorization", "Bearer wrong")
                .call()
        )
        .0,
        401
    );
    let staff = logged_in(&server.base, "staff");
    assert_eq!(
        call(ureq::get(&metrics_url).set("Cookie", &staff).call()).0,
        403
    );

    let admin = logged_in(&server.base, "admin");
    let scrape = || {
        let (status, _, body) = call(ureq::get(&metrics_url).set("Cookie", &admin).call());
        assert_eq!(status, 200, "{body}");
        body
    };
    let before = scrape();
    for _ in 0..3 {
        call(ureq::get(&format!("{}/api/v1/units", server.base)).call());
    }
    // Two wrong passwords.
    for _ in 0..2 {
        let (status, _, _) = call(
            ureq::post(&format!("{}/api/v1/session", server.base))
                .send_json(serde_json::json!({"username": "staff", "password": "wrong"})),
        );
        assert_eq!(status, 401);
    }
    let after = scrape();
    let units = [
        "luoshi_http_requests_total{",
        "route=\"/api/v1/units\"",
        "status=\"200\"",
    ];
    assert_eq!(
        sample(&after, &units) - sample(&before, &units),
        3.0,
        "{after}"
    );
    let latency = [
        "luoshi_http_request_duration_seconds_count{",
        "route=\"/api/v1/units\"",
    ];
    assert_eq!(sample(&after, &latency) - sample(&before, &latency), 3.0);
    let failures = ["luoshi_login_failures_total{", "outcome=\"rejected\""];
    assert_eq!(
        sample(&after, &failures) - sample(&before, &failures),
        2.0,
        "{after}"
    );
    assert!(
        after.contains("luoshi_outbox_messages{status=\"pending\"} 0"),
        "{after}"
    );

    // The scraper's token works without a session.
    let (status, _, body) = call(
        ureq::get(&metrics_url)
            .set("Authorization", "Bearer scrape-secret-1")
            .call(),
    );
    assert_eq!(status, 200);
    assert!(body.contains("luoshi_http_requests_total"));
}

#[test]
fn an_import_through_the_api_moves_the_imports_counter_by_outcome() {
    let server = start("imports", WebConfig::default());
    let (admin, csrf) = login(&server.base, "admin");
    let metrics = || {
        let (status, _, body) = call(
            ureq::get(&format!("{}/metrics", server.base))
                .set("Cookie", &admin)
                .call(),
        );
        assert_eq!(status, 200, "{body}");
        body
    };
    let import = |name: &str, text: &str| {
        call(
            ureq::post(&format!("{}/api/v1/imports?name={name}", server.base))
                .set("Cookie", &admin)
                .set("X-CSRF-Token", &csrf)
                .set("Content-Type", "text/plain")
                .send_string(text),
        )
    };
    let imported = ["luoshi_imports_total{", "outcome=\"imported\""];
    let refused = ["luoshi_imports_total{", "outcome=\"refused\""];
    let before = metrics();

    let (status, _, body) = import("seed.txt", luoshi_app::demo::SEED_TEXT);
    assert_eq!(status, 200, "{body}");
    let after_seed = metrics();
    assert_eq!(
        sample(&after_seed, &imported) - sample(&before, &imported),
        1.0,
        "{after_seed}"
    );
    assert_eq!(sample(&after_seed, &refused), sample(&before, &refused));

    // A text that is not a gazette is refused, and counted as refused.
    let (status, _, body) = import(
        "notes.txt",
        "会议纪要\n今天大家讨论了午饭吃什么。\n散会。\n",
    );
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("E_NOT_GAZETTE"), "{body}");
    let after_refusal = metrics();
    assert_eq!(
        sample(&after_refusal, &refused) - sample(&after_seed, &refused),
        1.0,
        "{after_refusal}"
    );
    assert_eq!(
        sample(&after_refusal, &imported),
        sample(&after_seed, &imported)
    );
    // Counted per import, not per document: the seed holds many documents.
    assert!(server.app.counts().unwrap().documents > 1);
}
