//! After "log in first", logging in returns to the page that asked — and never to another site.

use luoshi_app::accounts::NewUser;
use luoshi_app::App;
use luoshi_domain::Role;

fn start() -> (String, tokio::runtime::Runtime) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(dir).unwrap();
    let db = dir.join(format!("login-return-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    let app = App::new(luoshi_app::connect(db.to_str().unwrap()).unwrap());
    app.add_user(
        "system",
        NewUser {
            username: "admin".into(),
            display_name: "管理员".into(),
            password: "long enough".into(),
            unit_id: None,
            roles: vec![Role::Admin],
            leader_name: None,
        },
    )
    .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(luoshi_web::serve(app, listener));
    (base, rt)
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

fn body_and_status(
    r: Result<ureq::Response, ureq::Error>,
) -> (u16, String, Option<String>, Vec<String>) {
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport: {e}"),
    };
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
    let (base, _rt) = start();
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
