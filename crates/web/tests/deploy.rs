//! Deployment behind TLS (部署测试): the real server with secure cookies and a trusted reverse
//! proxy, spoken to over HTTP as the proxy would; login throttling per forwarded address.

use luoshi_app::accounts::{NewUser, MAX_ADDR_FAILURES};
use luoshi_domain::Role;
use luoshi_web::WebConfig;

mod support;

const PASSWORD: &str = "correct horse";

/// A server over a fresh SQLite file with one account, `zhang`.
fn start(name: &str, config: WebConfig) -> support::Server {
    let app = support::fresh_app(&format!("deploy-{name}"));
    support::add(
        &app,
        NewUser {
            display_name: "张".into(),
            ..support::account("zhang", PASSWORD, Role::Supervision)
        },
    );
    support::serve(app, config)
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

/// POST /api/v1/session; the status and the `Set-Cookie` headers.
fn login(base: &str, user: &str, password: &str, headers: &[(&str, &str)]) -> (u16, Vec<String>) {
    let mut req = agent().post(&format!("{base}/api/v1/session"));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let body = serde_json::json!({ "username": user, "password": password });
    let resp = support::answer(
        req.set("Content-Type", "application/json")
            .send_string(&body.to_string()),
    );
    let cookies = resp
        .all("set-cookie")
        .into_iter()
        .map(String::from)
        .collect();
    (resp.status(), cookies)
}

fn status_of(result: Result<ureq::Response, ureq::Error>) -> u16 {
    match result {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(s, _)) => s,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn secure_cookies_carry_the_host_prefix_and_only_prefixed_cookies_are_read() {
    let server = start(
        "secure",
        WebConfig {
            secure_cookies: true,
            trusted_proxies: vec![],
            ..WebConfig::default()
        },
    );
    let base = &server.base;
    let (status, cookies) = login(base, "zhang", PASSWORD, &[]);
    assert_eq!(status, 200);
    let session = cookies
        .iter()
        .find(|c| c.starts_with("__Host-luoshi_session="))
        .unwrap_or_else(|| panic!("{cookies:?}"));
    for c in &cookies {
        assert!(
            c.starts_with("__Host-") && c.contains("; Secure") && c.contains("Path=/"),
            "{c}"
        );
        assert!(!c.contains("Domain="), "{c}");
    }
    let token = session
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1;
    let whoami = |cookie: String| {
        status_of(
            agent()
                .get(&format!("{base}/api/v1/session"))
                .set("Cookie", &cookie)
                .call(),
        )
    };
    assert_eq!(whoami(format!("__Host-luoshi_session={token}")), 200);
    // The same token without the prefix may have been planted over plain HTTP: ignored.
    assert_eq!(whoami(format!("luoshi_session={token}")), 401);
    let front = agent().get(&format!("{base}/")).call().unwrap();
    assert!(front
        .header("strict-transport-security")
        .is_some_and(|h| h.contains("max-age=")));
}

#[test]
fn plain_cookies_by_default() {
    let server = start("plain", WebConfig::default());
    let base = &server.base;
    let (status, cookies) = login(base, "zhang", PASSWORD, &[]);
    assert_eq!(status, 200);
    assert!(cookies
        .iter()
        .any(|c| c.starts_with("luoshi_session=") && !c.contains("Secure")));
}

/// Fail `MAX_ADDR_FAILURES` logins, each for another name, with the given forwarded address.
fn spend_address_failures(base: &str, forwarded: &str) {
    for i in 0..MAX_ADDR_FAILURES {
        let (status, _) = login(
            base,
            &format!("guess{i}"),
            "wrong pass",
            &[("X-Forwarded-For", forwarded)],
        );
        assert_eq!(status, 401, "attempt {i}");
    }
}

#[test]
fn behind_a_trusted_proxy_the_forwarded_address_is_throttled_and_audited() {
    let server = start(
        "proxy",
        WebConfig {
            secure_cookies: false,
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..WebConfig::default()
        },
    );
    let base = &server.base;
    spend_address_failures(base, "10.9.9.9, 203.0.113.9");
    let xff = |a: &'static str| [("X-Forwarded-For", a)];
    assert_eq!(
        login(base, "someone", "wrong pass", &xff("203.0.113.9")).0,
        429
    );
    assert_eq!(
        login(base, "zhang", PASSWORD, &xff("203.0.113.9")).0,
        429,
        "the address waits, whatever the name"
    );
    assert_eq!(
        login(base, "zhang", PASSWORD, &xff("198.51.100.7")).0,
        200,
        "another client behind the same proxy is not held back"
    );
    let audited = server
        .app
        .store
        .read(|c| luoshi_store::audit::latest(c, 100))
        .unwrap();
    let failed: Vec<_> = audited
        .iter()
        .filter(|e| e.draft.action == "session.login_failed")
        .collect();
    assert_eq!(failed.len() as i64, MAX_ADDR_FAILURES);
    assert!(failed.iter().all(|e| e
        .draft
        .after
        .as_deref()
        .is_some_and(|a| a.contains("203.0.113.9") && !a.contains("wrong pass"))));
}

#[test]
fn without_a_trusted_proxy_forwarded_headers_are_ignored() {
    let server = start("direct", WebConfig::default());
    let base = &server.base;
    spend_address_failures(base, "203.0.113.9");
    // A client cannot escape its address's throttle by claiming another.
    assert_eq!(
        login(
            base,
            "zhang",
            PASSWORD,
            &[("X-Forwarded-For", "198.51.100.7")]
        )
        .0,
        429
    );
}
