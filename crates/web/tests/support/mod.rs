//! What the web crate's HTTP tests share (测试公共部分): the real server on real TCP over a
//! fresh SQLite file, test accounts, answers taken whatever their status, and logging in
//! through the JSON API. Each test file uses it with `mod support;`.
#![allow(dead_code)]

use luoshi_app::accounts::NewUser;
use luoshi_app::App;
use luoshi_domain::Role;
use luoshi_web::WebConfig;
use std::net::SocketAddr;
use std::sync::Arc;

/// An application over a fresh SQLite file `<name>-<pid>.db` in the target's temporary folder
/// (a file left by an earlier run of this process id is removed first).
pub fn fresh_app(name: &str) -> Arc<App> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(dir).expect("target tmp dir");
    let db = dir.join(format!("{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    App::new(luoshi_app::connect(&db.display().to_string()).expect("open the test database"))
}

/// An account of one role, shown under its user name, of no unit and no leader.
pub fn account(username: &str, password: &str, role: Role) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: username.into(),
        password: password.into(),
        unit_id: None,
        roles: vec![role],
        leader_name: None,
    }
}

/// Add an account as the system does at setup; panics if it is refused.
pub fn add(app: &App, user: NewUser) {
    let name = user.username.clone();
    app.add_user("system", user)
        .unwrap_or_else(|e| panic!("add the test user {name}: {e}"));
}

/// A server answering on 127.0.0.1; it stops when its runtime is dropped.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub addr: SocketAddr,
    pub app: Arc<App>,
    pub rt: tokio::runtime::Runtime,
}

/// Serve `app` as configured on a free local port.
pub fn serve(app: Arc<App>, config: WebConfig) -> Server {
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    rt.spawn(luoshi_web::serve_with(app.clone(), listener, config));
    Server {
        base: format!("http://{addr}"),
        addr,
        app,
        rt,
    }
}

/// The response whatever its status (ureq reports 4xx and 5xx as errors); panics on a
/// transport failure.
pub fn answer(result: Result<ureq::Response, ureq::Error>) -> ureq::Response {
    match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport: {e}"),
    }
}

/// Log in through the API (`POST /api/v1/session`), which must succeed: the session cookie to
/// send back (`luoshi_session=…`) and the CSRF token writes carry.
pub fn api_login(base: &str, username: &str, password: &str) -> (String, String) {
    let r = ureq::post(&format!("{base}/api/v1/session"))
        .send_json(serde_json::json!({"username": username, "password": password}))
        .unwrap_or_else(|e| panic!("login {username}: {e}"));
    let cookie = r
        .all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("luoshi_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_string();
    let session: serde_json::Value = r.into_json().expect("session JSON");
    let csrf = session["csrf_token"].as_str().expect("csrf_token");
    (cookie, csrf.to_string())
}
