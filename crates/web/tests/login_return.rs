//! After "log in first", logging in returns to the page that asked — and never to another site.

use luoshi_domain::Role;
use luoshi_web::WebConfig;

mod support;

/// A server over a fresh SQLite file with one administrator.
fn start() -> support::Server {
    let app = support::fresh_app("login-return");
    support::add(&app, support::account("admin", "long enough", Role::Admin));
    support::serve(app, WebConfig::default())
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

fn body_and_status(
    r: Result<ureq::Response, ureq::Error>,
) -> (u16, String, Option<String>, Vec<String>) {
    let r = support::answer(r);
    let cookies = r
        .all("set-cookie")
        .into_iter()
        .map(str::to_string)
        .collect();
    let location = r.header("location").map(str::to_string);
    (r.status(), r.into_string().unwrap(), location, cookies)
}

/// Log in through the form with `next`; returns where the server sends the browser.
fn login_with_next(base: &str, next: &str) -> String {
    let a = agent();
    let (_, page, _, cookies) =
        body_and_status(a.get(&format!("{base}/login")).query("next", next).call());
    let csrf_cookie = cookies
        .iter()
        .find_map(|c| c.strip_prefix("luoshi_login_csrf="))
        .and_then(|c| c.split(';').next())
        .expect("login csrf cookie")
        .to_string();
    assert!(page.contains(&format!("name=\"csrf\" value=\"{csrf_cookie}\"")));
    let (status, _, location, _) = body_and_status(
        a.post(&format!("{base}/login"))
            .set("Cookie", &format!("luoshi_login_csrf={csrf_cookie}"))
            .send_form(&[
                ("csrf", &csrf_cookie),
                ("next", next),
                ("username", "admin"),
                ("password", "long enough"),
            ]),
    );
    assert_eq!(status, 303);
    location.expect("a redirect")
}

#[test]
fn logging_in_returns_to_the_asking_page_and_only_to_this_site() {
    let server = start();
    let base = server.base.clone();
    let (status, page, _, _) =
        body_and_status(agent().get(&format!("{base}/admin/audit?x=1")).call());
    assert_eq!(status, 401);
    assert!(page.contains("E_LOGIN_REQUIRED"), "{page}");
    assert!(
        page.contains("/login?next=%2Fadmin%2Faudit%3Fx%3D1"),
        "{page}"
    );

    assert_eq!(
        login_with_next(&base, "/admin/audit?x=1"),
        "/admin/audit?x=1"
    );
    for hostile in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "",
        "admin",
    ] {
        assert_eq!(login_with_next(&base, hostile), "/", "{hostile:?}");
    }
}
