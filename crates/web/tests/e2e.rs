//! End-to-end tests of the web shell (网页外壳端到端测试): the real server on `127.0.0.1:0`
//! over a temporary SQLite file seeded with the bundled gazette issue, spoken to over HTTP.
//!
//! Covers the login form and its CSRF protection, session cookie attributes, logout, an
//! authorization matrix of role × route (pages and `/api/v1`), clause links, 404 pages, bad
//! input (never 500), login rate limiting, the OpenAPI document, Chinese full-text search and
//! the audit page.

use luoshi_app::accounts::NewUser;
use luoshi_app::demo::{self, system_viewer};
use luoshi_app::App;
use luoshi_domain::Role;
use luoshi_store::TaskRow;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

mod support;

// ---------------------------------------------------------------------------------------------
// A small blocking HTTP client with a cookie jar.

/// A response, whatever its status.
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The `Set-Cookie` header for a cookie name, if the response sets it.
    fn set_cookie(&self, name: &str) -> Option<&str> {
        self.set_cookies()
            .into_iter()
            .find(|c| c.split_once('=').is_some_and(|(k, _)| k.trim() == name))
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "response (status {}) is not JSON: {e}\n{}",
                self.status,
                excerpt(&self.body)
            )
        })
    }
}

fn excerpt(s: &str) -> String {
    s.chars().take(600).collect()
}

/// Percent-encode a path segment or a query value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

struct Client {
    agent: ureq::Agent,
    base: String,
    jar: RefCell<BTreeMap<String, String>>,
}

impl Client {
    fn new(base: &str) -> Client {
        Client {
            // No connection reuse: a server may close a connection whose request body it
            // refused unread, and a reused connection would then fail the next request.
            agent: ureq::AgentBuilder::new()
                .redirects(0)
                .max_idle_connections(0)
                .build(),
            base: base.to_string(),
            jar: RefCell::new(BTreeMap::new()),
        }
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.jar.borrow().get(name).cloned()
    }

    fn set_jar_cookie(&self, name: &str, value: &str) {
        self.jar
            .borrow_mut()
            .insert(name.to_string(), value.to_string());
    }

    fn forget_cookie(&self, name: &str) {
        self.jar.borrow_mut().remove(name);
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        let mut req = self.agent.request(method, &format!("{}{path}", self.base));
        let jar = self.jar.borrow();
        if !jar.is_empty() {
            let header = jar
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req = req.set("Cookie", &header);
        }
        req
    }

    fn finish(&self, result: Result<ureq::Response, ureq::Error>, what: &str) -> Resp {
        let resp = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{what}: transport error: {e}"),
        };
        let status = resp.status();
        let headers: Vec<(String, String)> = resp
            .headers_names()
            .into_iter()
            .flat_map(|name| {
                resp.all(&name)
                    .into_iter()
                    .map(|v| (name.clone(), v.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let body = resp
            .into_string()
            .unwrap_or_else(|e| panic!("{what}: body: {e}"));
        let r = Resp {
            status,
            headers,
            body,
        };
        for c in r.set_cookies() {
            let first = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = first.split_once('=') {
                let expired = c
                    .split(';')
                    .any(|a| a.trim().eq_ignore_ascii_case("max-age=0"));
                if v.is_empty() || expired {
                    self.forget_cookie(k.trim());
                } else {
                    self.set_jar_cookie(k.trim(), v.trim());
                }
            }
        }
        r
    }

    fn get(&self, path: &str) -> Resp {
        self.finish(self.request("GET", path).call(), &format!("GET {path}"))
    }

    fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.finish(
            self.request("POST", path).send_form(fields),
            &format!("POST {path}"),
        )
    }

    fn post_bytes(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        content_type: &str,
        body: &[u8],
    ) -> Resp {
        let mut req = self.request("POST", path).set("Content-Type", content_type);
        for (k, v) in headers {
            req = req.set(k, v);
        }
        self.finish(req.send_bytes(body), &format!("POST {path}"))
    }

    fn request_method(&self, method: &str, path: &str) -> Resp {
        self.finish(
            self.request(method, path).call(),
            &format!("{method} {path}"),
        )
    }

    fn post_raw(&self, path: &str, content_type: &str, body: &str) -> Resp {
        self.finish(
            self.request("POST", path)
                .set("Content-Type", content_type)
                .send_string(body),
            &format!("POST {path}"),
        )
    }
}

/// The value of the first hidden `csrf` field in a page.
fn hidden_csrf(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

// ---------------------------------------------------------------------------------------------
// The server, started once per test binary.

/// Who is asking: the columns of the authorization matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Public,
    Admin,
    Supervision,
    Proposals,
    /// 承办单位 staff of 市卫健委.
    StaffHealth,
    /// 承办单位 staff of another unit (市教育局).
    StaffOther,
    /// 责任领导 孙晓红.
    Leader,
    Deputy,
    Applicant,
}

const EVERYONE: [Who; 9] = [
    Who::Public,
    Who::Admin,
    Who::Supervision,
    Who::Proposals,
    Who::StaffHealth,
    Who::StaffOther,
    Who::Leader,
    Who::Deputy,
    Who::Applicant,
];

impl Who {
    fn username(self) -> Option<&'static str> {
        Some(match self {
            Who::Public => return None,
            Who::Admin => "admin",
            Who::Supervision => "duchashi",
            Who::Proposals => "jianyi",
            Who::StaffHealth => "weijianwei",
            Who::StaffOther => "jiaoyuju",
            Who::Leader => "sunxiaohong",
            Who::Deputy => "daibiao",
            Who::Applicant => "shenqingren",
        })
    }
}

const LEADER: &str = "孙晓红";
const OTHER_LEADER: &str = "吴福民";
const PLAN_DOC_NO: &str = "郑政办〔2020〕29号";
const PROBE_PASSWORD: &str = "probe-password-2020";

struct Fixture {
    server: support::Server,
    passwords: HashMap<String, String>,
    /// The imported issue and its document 郑政办〔2020〕29号.
    issue: i64,
    plan_doc: i64,
    /// Registry ids of 市卫健委 and of the other unit (市教育局).
    health_unit: String,
    other_unit: String,
    /// A task of 市卫健委 whose leader is 孙晓红 and which 市教育局 does not own.
    health_task: i64,
    /// A task 市卫健委 does not own, owned by 市教育局, whose leader is not 孙晓红.
    other_task: i64,
    /// Every task of the plan document, as the city-wide offices see it.
    plan_tasks: Vec<TaskRow>,
    /// A demo proposal whose reply is published (郑政办〔2020〕27号).
    proposal: i64,
}

fn unit_id_named(app: &App, name: &str) -> String {
    app.units(&system_viewer())
        .expect("units")
        .into_iter()
        .find(|e| e.unit.name == name || e.unit.aliases.iter().any(|a| a == name))
        .unwrap_or_else(|| panic!("unit {name} not in the registry"))
        .unit
        .id
}

fn owner_units(t: &TaskRow) -> BTreeSet<&str> {
    t.owners
        .iter()
        .filter_map(|o| o.unit_id.as_deref())
        .collect()
}

fn leaders_of(t: &TaskRow) -> BTreeSet<&str> {
    t.owners
        .iter()
        .filter(|o| o.role == luoshi_store::OwnerRole::Leader)
        .map(|o| o.name.as_str())
        .collect()
}

/// The test database outlives the test process (the fixture is never dropped), so each run
/// removes those of earlier runs whose process is gone.
fn remove_stale_databases(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("web-e2e-")
            .and_then(|rest| rest.split('.').next())
        else {
            continue;
        };
        let alive = std::path::Path::new("/proc").join(pid).exists();
        if !alive || pid == std::process::id().to_string() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn start() -> Fixture {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(dir).expect("target tmp dir");
    remove_stale_databases(dir);
    let db = dir.join(format!("web-e2e-{}.db", std::process::id()));
    let store = luoshi_app::connect(&db.display().to_string()).expect("open the test database");
    let app = App::new(store);
    let (_, accounts) = demo::seed(&app)
        .expect("seed the demo")
        .expect("a fresh database gets demo accounts");
    let mut passwords: HashMap<String, String> = accounts
        .into_iter()
        .map(|a| (a.user.username, a.password))
        .collect();

    let health_unit = unit_id_named(&app, "市卫健委");
    let other_unit = unit_id_named(&app, "市教育局");
    let extra = [
        ("jiaoyuju", Role::UnitStaff, Some(other_unit.clone())),
        ("probe-form", Role::Applicant, None),
        ("probe-api", Role::Applicant, None),
    ];
    for (username, role, unit_id) in extra {
        app.add_user(
            "system",
            NewUser {
                username: username.into(),
                display_name: format!("测试 {username}"),
                password: PROBE_PASSWORD.into(),
                unit_id,
                roles: vec![role],
                leader_name: None,
            },
        )
        .expect("add a test user");
        passwords.insert(username.into(), PROBE_PASSWORD.into());
    }

    let docs = app.documents(&system_viewer(), None).expect("documents");
    let issue = app.issues(&system_viewer()).expect("issues")[0].id;
    let plan_doc = docs
        .iter()
        .find(|d| d.doc_no == PLAN_DOC_NO)
        .unwrap_or_else(|| panic!("{PLAN_DOC_NO} was not imported"))
        .id;
    let plan_tasks = app
        .document(&system_viewer(), plan_doc)
        .expect("plan document")
        .tasks;
    let health_task = plan_tasks
        .iter()
        .find(|t| {
            let units = owner_units(t);
            units.contains(health_unit.as_str())
                && !units.contains(other_unit.as_str())
                && leaders_of(t) == BTreeSet::from([LEADER])
        })
        .expect("a task of 市卫健委 led by 孙晓红")
        .id;
    let other_task = plan_tasks
        .iter()
        .find(|t| {
            let units = owner_units(t);
            !units.contains(health_unit.as_str())
                && units.contains(other_unit.as_str())
                && !leaders_of(t).contains(LEADER)
        })
        .expect("a task of 市教育局 that 市卫健委 does not own")
        .id;

    let proposal = app
        .public_replies(&Default::default())
        .expect("public replies")
        .first()
        .expect("the demo publishes replies")
        .id;

    Fixture {
        server: support::serve(app, luoshi_web::WebConfig::default()),
        passwords,
        issue,
        plan_doc,
        health_unit,
        other_unit,
        health_task,
        other_task,
        plan_tasks,
        proposal,
    }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(start)
}

fn public() -> Client {
    Client::new(&fixture().server.base)
}

/// Log in through the form, as a browser does; panics unless it succeeds.
fn login_as(username: &str) -> Client {
    let f = fixture();
    let client = public();
    let form = client.get("/login");
    assert_eq!(form.status, 200, "GET /login");
    let csrf = hidden_csrf(&form.body).expect("the login form carries a csrf field");
    let password = f.passwords[username].clone();
    let resp = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("username", username),
            ("password", &password),
        ],
    );
    assert_eq!(
        resp.status,
        303,
        "login as {username}: {}",
        excerpt(&resp.body)
    );
    assert!(
        client.cookie("luoshi_session").is_some(),
        "login as {username} sets a session"
    );
    client
}

fn client_for(who: Who) -> Client {
    match who.username() {
        None => public(),
        Some(u) => login_as(u),
    }
}

// ---------------------------------------------------------------------------------------------
// Login, CSRF, session cookie, logout.

#[test]
fn login_form_sets_a_csrf_cookie_and_a_matching_hidden_field() {
    let client = public();
    let form = client.get("/login");
    assert_eq!(form.status, 200);
    let cookie = form
        .set_cookie("luoshi_login_csrf")
        .expect("GET /login sets luoshi_login_csrf");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite="));
    let field = hidden_csrf(&form.body).expect("hidden csrf field");
    assert!(
        field.len() >= 32,
        "the token is long enough to be unguessable"
    );
    assert_eq!(client.cookie("luoshi_login_csrf").as_deref(), Some(&*field));
    assert!(form.body.contains("<html lang=\"zh-CN\">") && form.body.contains("用户名"));
}

#[test]
fn login_without_or_with_a_wrong_csrf_token_is_refused_and_opens_no_session() {
    let f = fixture();
    let password = f.passwords["duchashi"].clone();
    let attempts: [(&str, bool, Option<&str>); 4] = [
        ("no csrf field", true, None),
        (
            "a wrong csrf field",
            true,
            Some("0123456789abcdef0123456789abcdef"),
        ),
        ("an empty csrf field", true, Some("")),
        ("the field but no cookie", false, Some("FROM-PAGE")),
    ];
    for (what, keep_cookie, field) in attempts {
        let client = public();
        let form = client.get("/login");
        let real = hidden_csrf(&form.body).expect("csrf field");
        if !keep_cookie {
            client.forget_cookie("luoshi_login_csrf");
        }
        let mut fields = vec![("username", "duchashi"), ("password", password.as_str())];
        let value = field.map(|v| {
            if v == "FROM-PAGE" {
                real.clone()
            } else {
                v.to_string()
            }
        });
        if let Some(v) = &value {
            fields.push(("csrf", v));
        }
        let resp = client.post_form("/login", &fields);
        assert_eq!(resp.status, 403, "{what}: {}", excerpt(&resp.body));
        assert!(resp.body.contains("CSRF"), "{what}: the page says why");
        assert!(
            resp.set_cookie("luoshi_session").is_none(),
            "{what}: no session cookie"
        );
        assert_eq!(client.get("/api/v1/session").status, 401, "{what}");
    }
}

#[test]
fn a_wrong_password_is_refused_in_chinese_with_a_fresh_form() {
    let client = public();
    let form = client.get("/login");
    let csrf = hidden_csrf(&form.body).expect("csrf field");
    let resp = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("username", "daibiao"),
            ("password", "not-the-password"),
        ],
    );
    assert_eq!(resp.status, 401);
    assert!(resp.body.contains("用户名或密码错误") && resp.body.contains("E_LOGIN_FAILED"));
    assert!(resp.set_cookie("luoshi_session").is_none());
    assert_eq!(hidden_csrf(&resp.body).as_deref(), Some(csrf.as_str()));
}

#[test]
fn the_session_cookie_is_http_only_and_same_site() {
    let f = fixture();
    let client = public();
    let form = client.get("/login");
    let csrf = hidden_csrf(&form.body).expect("csrf field");
    let password = f.passwords["jianyi"].clone();
    let resp = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("username", "jianyi"),
            ("password", &password),
        ],
    );
    assert_eq!(resp.status, 303);
    assert_eq!(resp.header("location"), Some("/"));
    let cookie = resp.set_cookie("luoshi_session").expect("session cookie");
    let attrs: Vec<String> = cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    assert!(attrs.iter().any(|a| a == "httponly"), "{cookie}");
    assert!(
        attrs
            .iter()
            .any(|a| a == "samesite=lax" || a == "samesite=strict"),
        "{cookie}"
    );
    assert!(attrs.iter().any(|a| a == "path=/"), "{cookie}");
    let token = cookie
        .split(';')
        .next()
        .unwrap_or("")
        .split_once('=')
        .unwrap_or(("", ""))
        .1;
    assert!(token.len() >= 32, "the session token is long: {cookie}");
    // The login CSRF cookie is spent.
    assert!(client.cookie("luoshi_login_csrf").is_none());
    let me = client.get("/api/v1/session");
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["user"]["username"], "jianyi");
}

#[test]
fn logout_requires_the_session_csrf_token_and_ends_the_session_server_side() {
    let client = login_as("shenqingren");
    let token = client.cookie("luoshi_session").expect("session");
    let home = client.get("/");
    assert!(home.body.contains("action=\"/logout\""));
    let csrf = hidden_csrf(&home.body).expect("the logout form carries the session csrf");

    for (what, fields) in [
        ("no token", vec![]),
        ("a wrong token", vec![("csrf", "feedface")]),
    ] {
        let resp = client.post_form("/logout", &fields);
        assert_eq!(resp.status, 403, "logout with {what}");
        assert_eq!(
            client.get("/api/v1/session").status,
            200,
            "after a refused logout ({what}) the session still works"
        );
    }
    let resp = client.post_form("/logout", &[("csrf", &csrf)]);
    assert_eq!(resp.status, 303);
    assert!(client.cookie("luoshi_session").is_none(), "cookie cleared");
    // Replaying the old cookie does not work: the session is gone from the database.
    let replay = public();
    replay.set_jar_cookie("luoshi_session", &token);
    assert_eq!(replay.get("/api/v1/session").status, 401);
    assert_eq!(
        replay
            .get(&format!("/tasks/{}", fixture().health_task))
            .status,
        401
    );
}

#[test]
fn the_public_cannot_log_out_anyone() {
    let resp = public().post_form("/logout", &[("csrf", "x")]);
    assert_eq!(resp.status, 401);
}

// ---------------------------------------------------------------------------------------------
// The authorization matrix.

/// One row of the matrix: a route and the exact status each column expects, in the order of
/// [`EVERYONE`]: public, admin, supervision, proposals, 市卫健委 staff, other unit's staff,
/// leader 孙晓红, deputy, applicant.
struct Row {
    path: String,
    expect: [u16; 9],
}

#[rustfmt::skip]
fn matrix() -> Vec<Row> {
    let f = fixture();
    let (issue, doc, ht, ot) = (f.issue, f.plan_doc, f.health_task, f.other_task);
    let (hu, ou) = (enc(&f.health_unit), enc(&f.other_unit));
    let (l, ol) = (enc(LEADER), enc(OTHER_LEADER));
    let q = enc("疫情防控");
    let row = |path: String, expect: [u16; 9]| Row { path, expect };
    vec![
        //                                                 pub  adm  sup  prp  wjw  oth  ldr  dep  app
        row("/".into(),                                   [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/issues/{issue}"),                   [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/documents/{doc}"),                  [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/documents/{doc}/source"),           [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/tasks/{ht}"),                       [401, 200, 200, 200, 200, 403, 200, 403, 403]),
        row(format!("/tasks/{ot}"),                       [401, 200, 200, 200, 403, 200, 403, 403, 403]),
        row("/units".into(),                              [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/units/{hu}"),                       [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/units/{ou}"),                       [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        // A leader asking for the list of leaders is sent to their own portfolio (303).
        row("/leaders".into(),                            [401, 200, 200, 200, 403, 403, 303, 403, 403]),
        row(format!("/leaders/{l}"),                      [401, 200, 200, 200, 403, 403, 200, 403, 403]),
        row(format!("/leaders/{ol}"),                     [401, 200, 200, 200, 403, 403, 403, 403, 403]),
        row(format!("/search?q={q}"),                     [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row("/admin/users".into(),                        [401, 200, 403, 403, 403, 403, 403, 403, 403]),
        row("/admin/import".into(),                       [401, 200, 200, 403, 403, 403, 403, 403, 403]),
        row("/admin/audit".into(),                        [401, 200, 403, 403, 403, 403, 403, 403, 403]),
        row("/api/openapi.json".into(),                   [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row("/static/luoshi.css".into(),                  [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row("/api/v1/issues".into(),                      [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row("/api/v1/documents".into(),                   [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/api/v1/documents/{doc}"),           [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/api/v1/tasks/{ht}"),                [401, 200, 200, 200, 200, 403, 200, 403, 403]),
        row(format!("/api/v1/tasks/{ot}"),                [401, 200, 200, 200, 403, 200, 403, 403, 403]),
        row("/api/v1/units".into(),                       [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/api/v1/units/{hu}"),                [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row(format!("/api/v1/units/{ou}"),                [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row("/api/v1/leaders".into(),                     [401, 200, 200, 200, 403, 403, 403, 403, 403]),
        row(format!("/api/v1/leaders/{l}/tasks"),         [401, 200, 200, 200, 403, 403, 200, 403, 403]),
        row(format!("/api/v1/leaders/{ol}/tasks"),        [401, 200, 200, 200, 403, 403, 403, 403, 403]),
        row(format!("/api/v1/search?q={q}"),              [200, 200, 200, 200, 200, 200, 200, 200, 200]),
        row("/api/v1/session".into(),                     [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        row("/api/v1/users".into(),                       [401, 200, 403, 403, 403, 403, 403, 403, 403]),
        row("/api/v1/audit".into(),                       [401, 200, 403, 403, 403, 403, 403, 403, 403]),
    ]
}

/// Whether a unit's page (HTML or JSON) shows the unit's task list.
fn shows_unit_tasks(path: &str, resp: &Resp) -> bool {
    if path.starts_with("/api/") {
        let v = resp.json();
        assert!(v.get("unit").is_some(), "{path}: a unit view");
        !v["tasks"].is_null()
    } else {
        let shown = resp.body.contains("承担的任务");
        let hidden = resp.body.contains("仅对本单位人员及督查室可见");
        assert!(shown != hidden, "{path}: exactly one of list / notice");
        shown
    }
}

#[test]
fn authorization_matrix_of_role_by_route() {
    let f = fixture();
    let rows = matrix();
    let unit_pages = [
        (format!("/units/{}", enc(&f.health_unit)), Who::StaffHealth),
        (format!("/units/{}", enc(&f.other_unit)), Who::StaffOther),
        (
            format!("/api/v1/units/{}", enc(&f.health_unit)),
            Who::StaffHealth,
        ),
        (
            format!("/api/v1/units/{}", enc(&f.other_unit)),
            Who::StaffOther,
        ),
    ];
    let mut failures = Vec::new();
    let mut cells = 0;
    for who in EVERYONE {
        let column = EVERYONE.iter().position(|w| *w == who).unwrap_or(0);
        let client = client_for(who);
        for row in &rows {
            let resp = client.get(&row.path);
            cells += 1;
            let want = row.expect[column];
            if resp.status != want {
                failures.push(format!(
                    "{who:?} GET {} → {} (want {want})",
                    row.path, resp.status
                ));
                continue;
            }
            match resp.status {
                401 | 403 if row.path.starts_with("/api/") => {
                    let code = resp.json()["error"]["code"]
                        .as_str()
                        .unwrap_or("")
                        .to_string();
                    let want = if resp.status == 401 {
                        "E_LOGIN_REQUIRED"
                    } else {
                        "E_FORBIDDEN"
                    };
                    if code != want {
                        failures.push(format!(
                            "{who:?} GET {}: code {code} (want {want})",
                            row.path
                        ));
                    }
                }
                401 if !resp.body.contains("请先登录") => {
                    failures.push(format!("{who:?} GET {}: 401 page not in Chinese", row.path))
                }
                403 if !(resp.body.contains("403 无权访问")
                    && resp.body.contains("E_FORBIDDEN")) =>
                {
                    failures.push(format!("{who:?} GET {}: 403 page not in Chinese", row.path))
                }
                303 => {
                    let want = format!("/leaders/{}", enc(LEADER));
                    if resp.header("location") != Some(want.as_str()) {
                        failures.push(format!(
                            "{who:?} GET {}: redirected to {:?} (want {want})",
                            row.path,
                            resp.header("location")
                        ));
                    }
                }
                _ => {}
            }
            if let Some((_, owner)) = unit_pages.iter().find(|(p, _)| *p == row.path) {
                let may =
                    matches!(who, Who::Admin | Who::Supervision | Who::Proposals) || who == *owner;
                if shows_unit_tasks(&row.path, &resp) != may {
                    failures.push(format!(
                        "{who:?} GET {}: task list {} (want {})",
                        row.path,
                        if may { "hidden" } else { "shown" },
                        if may { "shown" } else { "hidden" }
                    ));
                }
            }
        }
    }
    assert_eq!(cells, rows.len() * EVERYONE.len());
    assert!(
        failures.is_empty(),
        "{} of {cells} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Task ids listed on a document page (`<tr id="task-N">`).
fn task_rows(html: &str) -> BTreeSet<i64> {
    html.match_indices("<tr id=\"task-")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

#[test]
fn the_document_page_shows_only_the_tasks_the_viewer_may_see() {
    let f = fixture();
    let all: BTreeSet<i64> = f.plan_tasks.iter().map(|t| t.id).collect();
    assert!(all.len() >= 100, "郑政办〔2020〕29号 has its task list");
    let of_unit = |unit: &str| -> BTreeSet<i64> {
        f.plan_tasks
            .iter()
            .filter(|t| owner_units(t).contains(unit))
            .map(|t| t.id)
            .collect()
    };
    let of_leader: BTreeSet<i64> = f
        .plan_tasks
        .iter()
        .filter(|t| leaders_of(t).contains(LEADER))
        .map(|t| t.id)
        .collect();
    let expected: [(Who, BTreeSet<i64>); 9] = [
        (Who::Public, BTreeSet::new()),
        (Who::Admin, all.clone()),
        (Who::Supervision, all.clone()),
        (Who::Proposals, all.clone()),
        (Who::StaffHealth, of_unit(&f.health_unit)),
        (Who::StaffOther, of_unit(&f.other_unit)),
        (Who::Leader, of_leader),
        (Who::Deputy, BTreeSet::new()),
        (Who::Applicant, BTreeSet::new()),
    ];
    for (who, want) in expected {
        assert!(
            who != Who::StaffHealth || (!want.is_empty() && want.len() < all.len()),
            "the fixture must make the filter visible"
        );
        let client = client_for(who);
        let page = client.get(&format!("/documents/{}", f.plan_doc));
        assert_eq!(page.status, 200);
        assert_eq!(task_rows(&page.body), want, "{who:?}: tasks on the page");
        let hidden = all.len() - want.len();
        if hidden > 0 {
            assert!(
                page.body
                    .contains(&format!("另有 {hidden} 项任务您无权查看")),
                "{who:?}: the page says {hidden} tasks are hidden"
            );
        }
        let api = client
            .get(&format!("/api/v1/documents/{}", f.plan_doc))
            .json();
        let api_ids: BTreeSet<i64> = api["tasks"]
            .as_array()
            .expect("tasks array")
            .iter()
            .filter_map(|t| t["id"].as_i64())
            .collect();
        assert_eq!(api_ids, want, "{who:?}: tasks in the API");
        assert_eq!(api["tasks_total"].as_u64(), Some(all.len() as u64));
    }
}

/// The line span a document page prints for clause `c-{ord}`: `… · 第A–B行`.
fn clause_span(doc_page: &str, ord: &str) -> Option<(i64, i64)> {
    let at = doc_page.find(&format!("id=\"c-{ord}\""))?;
    let section = &doc_page[at..at + doc_page[at..].find("</section>")?];
    let cite = &section[section.find("· 第")? + "· 第".len()..];
    let (first, rest) = cite.split_once('–')?;
    let last = &rest[..rest.find('行')?];
    Some((first.parse().ok()?, last.parse().ok()?))
}

#[test]
fn every_task_links_to_its_clause_and_the_anchor_exists() {
    let f = fixture();
    let client = login_as("duchashi");
    let docs = f
        .server
        .app
        .documents(&system_viewer(), None)
        .expect("documents");
    let mut checked = 0;
    for doc in &docs {
        let tasks = f
            .server
            .app
            .document(&system_viewer(), doc.id)
            .expect("document")
            .tasks;
        if tasks.is_empty() {
            continue;
        }
        let doc_page = client.get(&format!("/documents/{}", doc.id));
        assert_eq!(doc_page.status, 200);
        for t in &tasks {
            let page = client.get(&format!("/tasks/{}", t.id));
            assert_eq!(page.status, 200, "task {}", t.id);
            let marker = "id=\"clause-link\" href=\"";
            let start = page
                .body
                .find(marker)
                .unwrap_or_else(|| panic!("task {} ({}) has no clause link", t.id, doc.doc_no))
                + marker.len();
            let href = &page.body[start..start + page.body[start..].find('"').unwrap_or(0)];
            let prefix = format!("/documents/{}#c-", doc.id);
            let ord = href
                .strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("task {}: clause link {href} not into {prefix}", t.id));
            let (first, last) = clause_span(&doc_page.body, ord).unwrap_or_else(|| {
                panic!("task {}: anchor c-{ord} missing on {}", t.id, doc.doc_no)
            });
            assert!(
                first <= t.first_line && t.first_line <= last,
                "task {} (line {}) links to clause c-{ord} of lines {first}–{last}",
                t.id,
                t.first_line
            );
            checked += 1;
        }
    }
    assert!(
        checked > f.plan_tasks.len(),
        "tasks of several documents checked ({checked})"
    );
}

// ---------------------------------------------------------------------------------------------
// Not found, bad input.

#[test]
fn unknown_pages_are_a_chinese_404_with_a_stable_code() {
    let client = public();
    for path in [
        "/no/such/page",
        "/documents/999999",
        "/tasks/999999",
        "/units/nobody.here",
    ] {
        let resp = client.get(path);
        assert_eq!(resp.status, 404, "{path}");
        assert!(resp.body.contains("<html lang=\"zh-CN\">"), "{path}");
        assert!(resp.body.contains("404 页面不存在"), "{path}");
        assert!(resp.body.contains("E_NOT_FOUND"), "{path}");
    }
    let resp = client.get("/api/v1/no/such/route");
    assert_eq!(resp.status, 404);
    assert_eq!(resp.json()["error"]["code"], "E_NOT_FOUND");
}

/// Form fields, in order.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// A response to bad input: a 4xx, never a 5xx, with a message.
fn assert_refused(what: &str, resp: &Resp, want: u16, code: &str) {
    assert_eq!(resp.status, want, "{what}: {}", excerpt(&resp.body));
    if resp
        .header("content-type")
        .is_some_and(|c| c.contains("json"))
    {
        let v = resp.json();
        assert_eq!(v["error"]["code"], code, "{what}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}: a message"
        );
    } else {
        assert!(resp.body.contains(code), "{what}: code {code} in the page");
        assert!(
            resp.body.contains("<html lang=\"zh-CN\">"),
            "{what}: a Chinese page"
        );
    }
}

#[test]
fn hostile_path_segments_and_queries_never_give_500_nor_reflect_markup() {
    let f = fixture();
    let long = "长".repeat(5000);
    let hostile = [
        "%00",
        "a%00b",
        "%0d%0aSet-Cookie:%20x=1",
        "..%2F..%2Fetc%2Fpasswd",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
        "'%20OR%20'1'='1",
        "%F0%9F%98%80",
        "%E2%80%AE",
        "%20",
        "9223372036854775807",
        "-9223372036854775808",
        "1e9",
        "0x10",
        &enc(&long),
    ];
    let routes = [
        "/documents/{}",
        "/documents/{}/source",
        "/issues/{}",
        "/tasks/{}",
        "/units/{}",
        "/leaders/{}",
        "/search?q={}",
        "/api/v1/documents/{}",
        "/api/v1/tasks/{}",
        "/api/v1/units/{}",
        "/api/v1/leaders/{}/tasks",
        "/api/v1/search?q={}",
        "/api/v1/documents?issue={}",
    ];
    let admin = login_as("admin");
    let public = public();
    let mut failures = Vec::new();
    for route in routes {
        for h in &hostile {
            let path = route.replace("{}", h);
            for (who, client) in [("admin", &admin), ("public", &public)] {
                let resp = client.get(&path);
                let shown: String = path.chars().take(60).collect();
                if resp.status >= 500 {
                    failures.push(format!("{who} GET {shown} → {}", resp.status));
                }
                // JSON is served as application/json with nosniff: never rendered as a page.
                let html = resp
                    .header("content-type")
                    .is_some_and(|c| c.starts_with("text/html"));
                if html && (resp.body.contains("<script>") || resp.body.contains("<img src=x")) {
                    failures.push(format!("{who} GET {shown} reflects markup"));
                }
                if resp.set_cookie("x").is_some() {
                    failures.push(format!("{who} GET {shown} let a header through"));
                }
            }
        }
    }
    assert!(f.plan_doc > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_input_is_refused_with_4xx_never_500() {
    let f = fixture();
    let client = public();
    let long = "疫".repeat(201);
    let gets: Vec<(String, u16, &str)> = vec![
        ("/documents/abc".into(), 404, "E_NOT_FOUND"),
        ("/documents/-1".into(), 404, "E_NOT_FOUND"),
        ("/documents/0".into(), 404, "E_NOT_FOUND"),
        (
            "/documents/99999999999999999999999".into(),
            404,
            "E_NOT_FOUND",
        ),
        ("/documents/1.5".into(), 404, "E_NOT_FOUND"),
        ("/documents/abc/source".into(), 404, "E_NOT_FOUND"),
        ("/issues/x".into(), 404, "E_NOT_FOUND"),
        ("/tasks/0".into(), 404, "E_NOT_FOUND"),
        ("/tasks/abc".into(), 404, "E_NOT_FOUND"),
        ("/units/%FF".into(), 404, "E_NOT_FOUND"),
        (format!("/search?q={}", enc(&long)), 422, "E_QUERY_TOO_LONG"),
        ("/search?q=a&q=b".into(), 422, "E_QUERY"),
        ("/api/v1/documents/abc".into(), 404, "E_NOT_FOUND"),
        ("/api/v1/documents/-1".into(), 404, "E_NOT_FOUND"),
        ("/api/v1/tasks/0".into(), 404, "E_NOT_FOUND"),
        ("/api/v1/documents?issue=abc".into(), 422, "E_QUERY"),
        (
            format!("/api/v1/search?q={}", enc(&long)),
            422,
            "E_QUERY_TOO_LONG",
        ),
        ("/api/v1/search?q=a&q=b".into(), 422, "E_QUERY"),
    ];
    for (path, want, code) in &gets {
        assert_refused(&format!("GET {path}"), &client.get(path), *want, code);
    }
    // Search queries with FTS syntax are text, not syntax.
    for q in [
        "\u{FFFD}",
        "\"",
        "AND OR NOT",
        "*",
        "疫情\" OR \"",
        "NEAR(a b)",
        "'; DROP TABLE clauses;--",
    ] {
        let resp = client.get(&format!("/api/v1/search?q={}", enc(q)));
        assert_eq!(resp.status, 200, "search {q:?}: {}", excerpt(&resp.body));
    }

    let json_bodies = [
        ("application/json", "{not json"),
        ("application/json", ""),
        ("application/json", "{\"username\": \"admin\"}"),
        ("application/json", "{\"username\": 1, \"password\": []}"),
        ("application/json", "[]"),
        (
            "text/plain",
            "{\"username\": \"admin\", \"password\": \"x\"}",
        ),
    ];
    for (content_type, body) in json_bodies {
        let resp = client.post_raw("/api/v1/session", content_type, body);
        assert_refused(
            &format!("POST /api/v1/session {body:?}"),
            &resp,
            422,
            "E_JSON",
        );
    }

    // A login form with missing fields: refused by the CSRF check before anything else.
    let resp = client.post_form("/login", &[]);
    assert_refused("POST /login with no fields", &resp, 403, "E_FORBIDDEN");
    let form = client.get("/login");
    let csrf = hidden_csrf(&form.body).expect("csrf");
    let resp = client.post_form("/login", &[("csrf", &csrf)]);
    assert_eq!(
        resp.status, 401,
        "missing username and password is a failed login"
    );
    assert!(resp.body.contains("E_LOGIN_FAILED"));
    let resp = client.post_raw("/login", "application/json", "{}");
    assert_refused("POST /login as JSON", &resp, 422, "E_FORM");

    // The admin's user form with missing or wrong fields.
    let admin = login_as("admin");
    let page = admin.get("/admin/users");
    let csrf = hidden_csrf(&page.body[page.body.find("<main>").unwrap_or(0)..]).expect("csrf");
    let users_before = f
        .server
        .app
        .list_users(&system_viewer())
        .expect("users")
        .len();
    let cases: Vec<(Fields, u16, &str)> = vec![
        (vec![], 403, "E_FORBIDDEN"),
        (vec![("csrf", &csrf)], 422, "E_ROLE_UNKNOWN"),
        (vec![("csrf", &csrf), ("role", "deputy")], 422, "E_USERNAME"),
        (
            vec![
                ("csrf", &csrf),
                ("role", "deputy"),
                ("username", "x1"),
                ("display_name", "某"),
            ],
            422,
            "E_PASSWORD_WEAK",
        ),
        (
            vec![
                ("csrf", &csrf),
                ("role", "unit_staff"),
                ("username", "nounit"),
                ("display_name", "某"),
                ("password", "long-enough-password"),
            ],
            422,
            "E_UNIT_REQUIRED",
        ),
        (
            vec![
                ("csrf", &csrf),
                ("role", "unit_staff"),
                ("username", "badunit"),
                ("display_name", "某"),
                ("password", "long-enough-password"),
                ("unit_id", "no.such.unit"),
            ],
            422,
            "E_UNIT_UNKNOWN",
        ),
        (
            vec![
                ("csrf", &csrf),
                ("role", "deputy"),
                ("username", "admin"),
                ("display_name", "重名"),
                ("password", "long-enough-password"),
            ],
            409,
            "E_USER_EXISTS",
        ),
    ];
    for (fields, want, code) in &cases {
        let resp = admin.post_form("/admin/users", fields);
        assert_refused(&format!("POST /admin/users {fields:?}"), &resp, *want, code);
    }
    let resp = admin.post_raw("/admin/users", "text/plain", "csrf=x");
    assert_refused("POST /admin/users as text/plain", &resp, 422, "E_FORM");
    assert_eq!(
        f.server
            .app
            .list_users(&system_viewer())
            .expect("users")
            .len(),
        users_before,
        "refused forms change nothing"
    );
    // A good form creates the account and redirects.
    let resp = admin.post_form(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("role", "deputy"),
            ("username", "new-deputy"),
            ("display_name", "新代表"),
            ("password", "long-enough-password"),
        ],
    );
    assert_eq!(resp.status, 303, "{}", excerpt(&resp.body));
    assert!(admin.get("/admin/users").body.contains("新代表"));
}

// ---------------------------------------------------------------------------------------------
// Rate limiting.

#[test]
fn the_sixth_wrong_password_is_rate_limited() {
    let client = public();
    let form = client.get("/login");
    let csrf = hidden_csrf(&form.body).expect("csrf");
    for attempt in 1..=5 {
        let resp = client.post_form(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", "probe-form"),
                ("password", "wrong-password"),
            ],
        );
        assert_eq!(resp.status, 401, "wrong password #{attempt}");
    }
    let sixth = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("username", "probe-form"),
            ("password", "wrong-password"),
        ],
    );
    assert_eq!(sixth.status, 429);
    assert!(sixth.body.contains("E_RATE_LIMITED") && sixth.body.contains("登录失败次数过多"));
    // Now even the right password waits.
    let right = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("username", "probe-form"),
            ("password", PROBE_PASSWORD),
        ],
    );
    assert_eq!(right.status, 429);
    assert!(right.set_cookie("luoshi_session").is_none());

    // The JSON login counts the same way.
    let body = |p: &str| format!("{{\"username\": \"probe-api\", \"password\": \"{p}\"}}");
    for attempt in 1..=5 {
        let resp = client.post_raw("/api/v1/session", "application/json", &body("nope"));
        assert_eq!(resp.status, 401, "API wrong password #{attempt}");
        assert_eq!(resp.json()["error"]["code"], "E_LOGIN_FAILED");
    }
    let resp = client.post_raw("/api/v1/session", "application/json", &body("nope"));
    assert_eq!(resp.status, 429);
    assert_eq!(resp.json()["error"]["code"], "E_RATE_LIMITED");
}

// ---------------------------------------------------------------------------------------------
// OpenAPI, search, audit.

/// The text between `open` (just past it) and its matching closing parenthesis.
fn parenthesized(rest: &str) -> &str {
    let mut depth = 1;
    let end = rest
        .char_indices()
        .find(|(_, c)| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth == 0
        })
        .map(|(j, _)| j)
        .expect("a closed parenthesis");
    &rest[..end]
}

/// The `/api/v1` routes as the source of `src/api/` declares them: (path, methods). A handler
/// is routed either by its `#[utoipa::path(method, path = "…")]` (registered with `routes!`)
/// or by a plain `.route("…", get(…))` call; both are read, however they are formatted.
fn declared_api_routes() -> Vec<(String, Vec<String>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut routes: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |path: &str, method: String| {
        let path = format!("/api/v1{path}");
        match routes.iter_mut().find(|(p, _)| *p == path) {
            Some((_, methods)) => methods.push(method),
            None => routes.push((path, vec![method])),
        }
    };
    for entry in std::fs::read_dir(&dir).expect("src/api") {
        let source = std::fs::read_to_string(entry.expect("entry").path()).expect("source");
        for (i, m) in source.match_indices("#[utoipa::path(") {
            let call = parenthesized(&source[i + m.len()..]);
            let method = call.split(',').next().expect("a method").trim();
            let path = call
                .split("path = \"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .unwrap_or_else(|| panic!("no path in #[utoipa::path({call})]"));
            add(path, method.to_string());
        }
        for (i, m) in source.match_indices(".route(") {
            let call = parenthesized(&source[i + m.len()..]);
            let path = call
                .split('"')
                .nth(1)
                .expect("a route call starts with its path");
            let methods = ["get", "post", "put", "patch", "delete"]
                .into_iter()
                .filter(|m| {
                    call.match_indices(&format!("{m}(")).any(|(k, _)| {
                        !call[..k]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_')
                    })
                })
                .collect::<Vec<_>>();
            assert!(
                !methods.is_empty(),
                "route {path}: no method found in {call}"
            );
            for m in methods {
                add(path, m.to_string());
            }
        }
    }
    routes
}

/// Every schema in the document that is an object names its properties: no placeholder
/// `{"type": "object"}` standing for "something".
fn placeholder_objects(v: &Value, at: &str, found: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            let is_object = o.get("type").is_some_and(|t| {
                t == "object" || t.as_array().is_some_and(|a| a.contains(&json!("object")))
            });
            if is_object && !o.contains_key("properties") && !o.contains_key("additionalProperties")
            {
                found.push(at.to_string());
            }
            for (k, child) in o {
                placeholder_objects(child, &format!("{at}/{k}"), found);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                placeholder_objects(child, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn the_openapi_document_is_openapi_3_and_lists_every_api_route() {
    let f = fixture();
    let resp = public().get("/api/openapi.json");
    assert_eq!(resp.status, 200);
    assert!(resp
        .header("content-type")
        .is_some_and(|c| c.contains("application/json")));
    let spec = resp.json();
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.")),
        "openapi version: {}",
        spec["openapi"]
    );
    assert!(spec["info"]["title"].is_string());
    let paths = spec["paths"].as_object().expect("paths");
    let declared = declared_api_routes();
    assert!(
        declared.len() >= 10,
        "found the router's routes: {declared:?}"
    );
    for (path, methods) in &declared {
        let item = paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} is served but not in the OpenAPI document"));
        for m in methods {
            assert!(
                item.get(m).is_some(),
                "{} {path} missing from the document",
                m.to_uppercase()
            );
        }
    }
    // Real schemas: every success answers with a described body, and no object is a
    // placeholder.
    let mut placeholders = Vec::new();
    placeholder_objects(&spec, "#", &mut placeholders);
    assert!(
        placeholders.is_empty(),
        "placeholder objects: {placeholders:?}"
    );
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            let ok = &op["responses"]["200"];
            // JSON for data; a file (the Excel ledger) under its own media type.
            let described = ok["content"]
                .as_object()
                .is_some_and(|media| media.values().any(|m| m["schema"].is_object()));
            assert!(described, "{method} {path}: the 200 answer has a schema");
            assert!(
                op["responses"]["4XX"].is_object(),
                "{method} {path}: errors documented"
            );
        }
    }
    // And every documented path is served: with real ids, as the administrator.
    let client = login_as("admin");
    let indicator = client.get("/api/v1/indicators").json()[0]["id"].clone();
    for (path, item) in paths {
        let served = declared
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("{path} is documented but not served"));
        for method in item.as_object().expect("path item").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                assert!(
                    served.1.contains(method),
                    "{} {path} is documented but not served",
                    method.to_uppercase()
                );
            }
        }
        if item.get("get").is_none() {
            continue;
        }
        let concrete = path
            .replace(
                "{id}",
                &if path.contains("/proposals/units/") {
                    enc("dept.fgw")
                } else if path.contains("/proposals/") || path.contains("/public/replies/") {
                    f.proposal.to_string()
                } else if path.contains("/tasks/") {
                    f.health_task.to_string()
                } else if path.contains("/indicators/") {
                    indicator.to_string()
                } else if path.contains("/units/") {
                    enc(&f.health_unit)
                } else {
                    f.plan_doc.to_string()
                },
            )
            .replace("{name}", &enc(LEADER));
        let concrete = if concrete.ends_with("/search") {
            format!("{concrete}?q={}", enc("防控"))
        } else if concrete.ends_with("/proposals/inbox") {
            format!("{concrete}?unit=dept.fgw")
        } else if concrete.ends_with("/proposals/standards/items") {
            format!("{concrete}?year=2020&figure=on_time")
        } else {
            concrete
        };
        let resp = client.get(&concrete);
        assert_eq!(resp.status, 200, "GET {concrete}: {}", excerpt(&resp.body));
        let documented = item["get"]["responses"]["200"]["content"]
            .as_object()
            .and_then(|media| media.keys().next().cloned())
            .unwrap_or_default();
        if documented == "application/json" {
            resp.json();
        } else {
            assert!(
                resp.header("content-type")
                    .is_some_and(|c| c.starts_with(&documented)),
                "GET {concrete} answers with its documented type {documented}"
            );
        }
    }
}

fn search_hits(client: &Client, q: &str) -> Vec<Value> {
    let resp = client.get(&format!("/api/v1/search?q={}", enc(q)));
    assert_eq!(resp.status, 200, "search {q}");
    resp.json().as_array().cloned().expect("hits array")
}

#[test]
fn full_text_search_finds_chinese_words_and_two_character_queries() {
    let client = public();
    let hits = search_hits(&client, "疫情防控");
    assert!(!hits.is_empty(), "疫情防控 is in the gazette");
    let plan = hits
        .iter()
        .find(|h| h["doc_no"] == PLAN_DOC_NO)
        .expect("郑政办〔2020〕29号 speaks of 疫情防控");
    assert!(plan["snippet"]
        .as_str()
        .is_some_and(|s| s.contains("疫情防控")));
    for q in ["补贴", "卫健"] {
        let hits = search_hits(&client, q);
        assert!(!hits.is_empty(), "two-character query {q}");
        assert!(
            hits.iter()
                .all(|h| h["snippet"].as_str().is_some_and(|s| s.contains(q))),
            "every hit for {q} shows it"
        );
    }
    assert!(search_hits(&client, "量子引力").is_empty(), "no false hits");
    assert!(search_hits(&client, "").is_empty());

    let page = client.get(&format!("/search?q={}", enc("疫情防控")));
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!(
        "“疫情防控” 共 {} 条结果",
        hits_len(&client, "疫情防控")
    )));
    let link = format!("href=\"/documents/{}#c-", fixture().plan_doc);
    assert!(page.body.contains(&link), "hits link to their clause");
}

fn hits_len(client: &Client, q: &str) -> usize {
    search_hits(client, q).len()
}

#[test]
fn the_audit_page_shows_an_intact_chain() {
    let admin = login_as("admin");
    let page = admin.get("/admin/audit");
    assert_eq!(page.status, 200);
    let marker = "哈希链完整，共 ";
    let at = page
        .body
        .find(marker)
        .expect("the chain is reported intact")
        + marker.len();
    let count: i64 = page.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .expect("an entry count");
    assert!(
        count >= 8,
        "import and account creation are audited ({count})"
    );
    assert!(page.body.contains("session.login") && page.body.contains("user.add"));
    let api = admin.get("/api/v1/audit").json();
    assert!(api["verification"]["broken"].is_null());
    assert!(api["verification"]["entries"]
        .as_i64()
        .is_some_and(|n| n >= count));
}

// ---------------------------------------------------------------------------------------------
// Importing through the web, method errors, response headers.

/// A part of a multipart form: (name, file name, bytes).
type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

/// A `multipart/form-data` body: (content type, bytes).
fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let boundary = "luoshi-e2e-boundary-7d3f";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                     Content-Type: text/plain\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// What an import could change: issues, documents, clauses, tasks, units, indicators, targets,
/// rosters, commendations, unresolved items, and the audit entries of imports. (Other tests
/// log in meanwhile, so the audit log as a whole grows.)
fn footprint() -> Vec<i64> {
    let app = &fixture().server.app;
    let c = app.counts().expect("counts");
    let import_entries = app
        .audit_log(&system_viewer(), 100_000)
        .expect("audit log")
        .iter()
        .filter(|e| e.draft.action.starts_with("import") || e.draft.action.starts_with("registry"))
        .count() as i64;
    vec![
        c.issues,
        c.documents,
        c.clauses,
        c.tasks,
        c.units,
        c.indicators,
        c.targets,
        c.rosters,
        c.commendations,
        c.unresolved,
        import_entries,
    ]
}

#[test]
fn importing_through_the_web_is_guarded_and_changes_nothing_on_bad_or_repeated_input() {
    let seed = demo::SEED_TEXT.as_bytes();
    let junk = "这不是政府公报。\n只是一段普通的文字。\n".as_bytes();

    // The public and other roles are refused before their upload is looked at.
    let (ct, body) = multipart(&[("csrf", None, b"x"), ("file", Some("a.txt"), junk)]);
    let resp = public().post_bytes("/admin/import", &[], &ct, &body);
    assert_refused("public upload", &resp, 401, "E_LOGIN_REQUIRED");
    let applicant = login_as("shenqingren");
    let resp = applicant.post_bytes("/admin/import", &[], &ct, &body);
    assert_refused("applicant upload", &resp, 403, "E_FORBIDDEN");

    let office = login_as("duchashi");
    let form = office.get("/admin/import");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    let main = &form.body[form.body.find("<main>").unwrap_or(0)..];
    let csrf = hidden_csrf(main).expect("the import form carries the session csrf");
    let before = footprint();
    assert!(
        before[1] > 0 && before[10] > 0,
        "the seed import shows in the counts: {before:?}"
    );

    let cases: Vec<(&str, Vec<Part>, u16, &str)> = vec![
        (
            "no csrf",
            vec![("file", Some("seed.txt"), seed)],
            403,
            "E_FORBIDDEN",
        ),
        (
            "wrong csrf",
            vec![("csrf", None, b"nope"), ("file", Some("seed.txt"), seed)],
            403,
            "E_FORBIDDEN",
        ),
        (
            "no file",
            vec![("csrf", None, csrf.as_bytes())],
            422,
            "E_UPLOAD",
        ),
        (
            "an empty file",
            vec![
                ("csrf", None, csrf.as_bytes()),
                ("file", Some("empty.txt"), b""),
            ],
            422,
            "E_UPLOAD",
        ),
        (
            "not UTF-8",
            vec![
                ("csrf", None, csrf.as_bytes()),
                ("file", Some("gbk.txt"), b"\xd6\xa3\xd6\xdd\xff\xfe"),
            ],
            422,
            "E_UTF8",
        ),
        (
            "not a gazette",
            vec![
                ("csrf", None, csrf.as_bytes()),
                ("file", Some("junk.txt"), junk),
            ],
            422,
            "E_NOT_GAZETTE",
        ),
    ];
    for (what, parts, want, code) in cases {
        let (ct, body) = multipart(&parts);
        let resp = office.post_bytes("/admin/import", &[], &ct, &body);
        assert_refused(&format!("upload with {what}"), &resp, want, code);
        assert_eq!(footprint(), before, "upload with {what} changed nothing");
    }
    let resp = office.post_raw("/admin/import", "text/plain", "csrf=x");
    assert_refused("a text/plain upload", &resp, 422, "E_UPLOAD");

    // The seed again: recognized, nothing changes.
    let (ct, body) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("file", Some("zhengzhou-2020-gazette.txt"), seed),
    ]);
    let resp = office.post_bytes("/admin/import", &[], &ct, &body);
    assert_eq!(resp.status, 200, "{}", excerpt(&resp.body));
    assert!(
        resp.body.contains("此公报已导入过"),
        "{}",
        excerpt(&resp.body)
    );
    assert_eq!(footprint(), before, "a repeated import changes nothing");

    // The API: the session's CSRF token in a header.
    let login = public().post_raw(
        "/api/v1/session",
        "application/json",
        &format!(
            "{{\"username\": \"duchashi\", \"password\": \"{}\"}}",
            fixture().passwords["duchashi"]
        ),
    );
    assert_eq!(login.status, 200);
    let token = login.json()["csrf_token"]
        .as_str()
        .expect("csrf_token")
        .to_string();
    let api = public();
    let session = login.set_cookie("luoshi_session").expect("session cookie");
    let value = session
        .split(';')
        .next()
        .unwrap_or("")
        .split_once('=')
        .unwrap_or(("", ""))
        .1;
    api.set_jar_cookie("luoshi_session", value);
    let resp = api.post_bytes("/api/v1/imports?name=seed.txt", &[], "text/plain", seed);
    assert_refused(
        "API import without the CSRF header",
        &resp,
        403,
        "E_FORBIDDEN",
    );
    let resp = api.post_bytes(
        "/api/v1/imports?name=junk.txt",
        &[("X-CSRF-Token", &token)],
        "text/plain",
        junk,
    );
    assert_refused("API import of a non-gazette", &resp, 422, "E_NOT_GAZETTE");
    let resp = api.post_bytes(
        "/api/v1/imports?name=seed.txt",
        &[("X-CSRF-Token", &token)],
        "text/plain",
        seed,
    );
    assert_eq!(resp.status, 200, "{}", excerpt(&resp.body));
    assert_eq!(resp.json()["already_imported"], true);
    let resp = public().post_bytes("/api/v1/imports", &[], "text/plain", junk);
    assert_refused("API import by the public", &resp, 401, "E_LOGIN_REQUIRED");
    assert_eq!(footprint(), before);
}

#[test]
fn a_known_path_with_the_wrong_method_is_a_chinese_405() {
    let client = public();
    let resp = client.get("/logout");
    assert_refused("GET /logout", &resp, 405, "E_METHOD_NOT_ALLOWED");
    assert!(resp.body.contains("不支持"));
    let resp = client.request_method("DELETE", "/api/v1/session");
    assert_refused("DELETE /api/v1/session", &resp, 405, "E_METHOD_NOT_ALLOWED");
    let resp = client.post_raw("/api/v1/documents", "application/json", "{}");
    assert_refused("POST /api/v1/documents", &resp, 405, "E_METHOD_NOT_ALLOWED");
}

#[test]
fn responses_carry_security_headers_and_pages_are_not_cached() {
    let client = login_as("daibiao");
    for path in [
        "/",
        "/login",
        "/api/v1/session",
        "/no/such/page",
        "/admin/users",
    ] {
        let resp = client.get(path);
        assert_eq!(resp.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(
            resp.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        let csp = resp.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("default-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(resp.header("cache-control"), Some("no-store"), "{path}");
    }
    let css = client.get("/static/luoshi.css");
    assert_eq!(css.status, 200);
    assert!(css
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/css")));
    assert_ne!(css.header("cache-control"), Some("no-store"));
}

#[test]
fn pages_carry_no_inline_script_or_style_so_the_policy_holds() {
    let f = fixture();
    let office = login_as("duchashi");
    let pages = [
        "/".to_string(),
        format!("/issues/{}", f.issue),
        format!("/documents/{}", f.plan_doc),
        format!("/documents/{}/source", f.plan_doc),
        format!("/tasks/{}", f.health_task),
        "/units".into(),
        format!("/units/{}", enc(&f.health_unit)),
        "/leaders".into(),
        format!("/leaders/{}", enc(LEADER)),
        format!("/search?q={}", enc("防控")),
        "/admin/import".into(),
        "/login".into(),
        "/no/such/page".into(),
    ];
    for path in &pages {
        let page = office.get(path);
        for inline in [
            "<script",
            "<style",
            " style=",
            " onclick=",
            " onload=",
            "javascript:",
        ] {
            assert!(
                !page.body.contains(inline),
                "{path}: {inline} at {}",
                excerpt(&page.body[page.body.find(inline).unwrap_or(0)..])
            );
        }
    }
}

#[test]
fn oversized_bodies_answer_413_naming_the_limit() {
    let big = "x".repeat((2 << 20) + 1024);
    let resp = public().post_raw(
        "/login",
        "application/x-www-form-urlencoded",
        &format!("username={big}"),
    );
    assert_refused("a login form over 2 MB", &resp, 413, "E_TOO_LARGE");
    assert!(resp.body.contains("2 MB"), "{}", excerpt(&resp.body));
    let resp = public().post_raw(
        "/api/v1/session",
        "application/json",
        &format!("{{\"username\": \"{big}\", \"password\": \"x\"}}"),
    );
    assert_refused("a JSON login over 2 MB", &resp, 413, "E_TOO_LARGE");
    assert!(resp.json()["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("2 MB")));

    // Uploads: 64 MB, on the page and through the API, and nothing changes.
    let office = login_as("duchashi");
    let form = office.get("/admin/import");
    assert!(form.body.contains("64 MB"), "the form says the limit");
    let main = &form.body[form.body.find("<main>").unwrap_or(0)..];
    let csrf = hidden_csrf(main).expect("the import form carries the session csrf");
    let before = footprint();
    let huge = vec![b'a'; (64 << 20) + 1];
    let (ct, body) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("file", Some("huge.txt"), &huge),
    ]);
    let resp = office.post_bytes("/admin/import", &[], &ct, &body);
    assert_refused("an upload over 64 MB", &resp, 413, "E_TOO_LARGE");
    assert!(resp.body.contains("64 MB"), "{}", excerpt(&resp.body));
    let resp = office.post_bytes(
        "/api/v1/imports?name=huge.txt",
        &[("X-CSRF-Token", &csrf)],
        "text/plain",
        &huge,
    );
    assert_refused("an API import over 64 MB", &resp, 413, "E_TOO_LARGE");
    assert_eq!(footprint(), before, "nothing changed");
}

#[test]
fn a_refused_page_shows_the_logged_in_user_and_logout() {
    let f = fixture();
    let staff = login_as("weijianwei");
    let me = staff.get("/api/v1/session").json();
    let name = me["user"]["display_name"].as_str().expect("display name");
    for (path, status, code) in [
        (format!("/tasks/{}", f.other_task), 403, "E_FORBIDDEN"),
        ("/admin/users".to_string(), 403, "E_FORBIDDEN"),
        (format!("/tasks/{}", i64::MAX), 404, "E_NOT_FOUND"),
    ] {
        let resp = staff.get(&path);
        assert_refused(&path, &resp, status, code);
        let header = &resp.body[..resp.body.find("<main>").expect("a main element")];
        assert!(
            header.contains(name)
                && header.contains("action=\"/logout\"")
                && header.contains("退出"),
            "{path}: the header shows {name} and 退出: {}",
            excerpt(header)
        );
        assert!(!header.contains("href=\"/login\""), "{path}: no 登录 link");
        assert!(
            hidden_csrf(header).is_some_and(|c| !c.is_empty()),
            "{path}: the logout form carries the session's token"
        );
    }
    // The public still gets the login link.
    let resp = public().get(&format!("/tasks/{}", f.other_task));
    assert_eq!(resp.status, 401);
    assert!(resp.body.contains("href=\"/login"));
}

#[test]
fn an_unknown_leader_is_not_found() {
    let admin = login_as("admin");
    let nobody = enc("查无此人");
    assert_refused(
        "the page of an unknown leader",
        &admin.get(&format!("/leaders/{nobody}")),
        404,
        "E_NOT_FOUND",
    );
    assert_refused(
        "the tasks of an unknown leader",
        &admin.get(&format!("/api/v1/leaders/{nobody}/tasks")),
        404,
        "E_NOT_FOUND",
    );
    let known = admin.get(&format!("/api/v1/leaders/{}/tasks", enc(LEADER)));
    assert_eq!(known.status, 200);
    assert!(known.json().as_array().is_some_and(|t| !t.is_empty()));
}

/// An API session (cookie set in the client's jar) and its CSRF token.
fn api_session(username: &str) -> (Client, String) {
    let client = public();
    let login = client.post_raw(
        "/api/v1/session",
        "application/json",
        &json!({"username": username, "password": fixture().passwords[username]}).to_string(),
    );
    assert_eq!(login.status, 200, "API login as {username}");
    let token = login.json()["csrf_token"]
        .as_str()
        .expect("csrf_token")
        .to_string();
    let session = login.set_cookie("luoshi_session").expect("session cookie");
    let value = session
        .split(';')
        .next()
        .and_then(|c| c.split_once('='))
        .map_or("", |(_, v)| v);
    client.set_jar_cookie("luoshi_session", value);
    (client, token)
}

/// Two staff of one unit post an action to the same proposal at the same moment through the
/// API (the case-action path proposals share with supervision, 郑政办〔2020〕27号): one wins,
/// the other is told with 409 E_STALE, and what the winner recorded is there exactly once;
/// without the CSRF header nothing is done.
#[test]
fn two_api_clients_acting_on_one_proposal_at_once_one_wins_the_other_is_told() {
    let (a, token_a) = api_session("fagaiwei");
    let (b, token_b) = api_session("fgw-fenguan");
    let list = a.get("/api/v1/proposals?status=assigned&year=2020").json();
    let item = list
        .as_array()
        .expect("a list")
        .iter()
        .find(|i| i["lead_unit"]["id"] == "dept.fgw")
        .expect("the unit leads an item in handling")
        .clone();
    let id = item["id"].as_i64().expect("id");
    let version = item["version"].as_i64().expect("version");
    let path = format!("/api/v1/proposals/{id}/actions");
    let meetings = |c: &Client| {
        c.get(&format!("/api/v1/proposals/{id}")).json()["records"]["meetings"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let before = meetings(&a);
    let body = |who: &str| {
        json!({"action": "record-meeting", "version": version,
               "fields": {"met_date": "2020-07-14", "form": "当面沟通",
                          "summary": format!("{who}与代表面对面沟通办理思路。")}})
        .to_string()
    };
    let resp = a.post_bytes(&path, &[], "application/json", body("无令牌").as_bytes());
    assert_refused(
        "an action without the CSRF header",
        &resp,
        403,
        "E_FORBIDDEN",
    );
    // Each client moves into its thread (a client keeps its cookies in a RefCell).
    let post = |c: Client, token: String, body: String| {
        let resp = c.post_bytes(
            &path,
            &[("X-CSRF-Token", &token)],
            "application/json",
            body.as_bytes(),
        );
        (c, resp)
    };
    let ((a, ra), (_, rb)) = std::thread::scope(|s| {
        let ha = s.spawn(|| post(a, token_a, body("承办人")));
        let hb = s.spawn(|| post(b, token_b, body("分管领导")));
        (ha.join().expect("a"), hb.join().expect("b"))
    });
    let (won, lost) = match (ra.status, rb.status) {
        (200, 409) => (ra, rb),
        (409, 200) => (rb, ra),
        other => panic!(
            "exactly one wins: {other:?} {} / {}",
            excerpt(&ra.body),
            excerpt(&rb.body)
        ),
    };
    assert_eq!(won.json()["version"], version + 1);
    assert_refused("the second of two at once", &lost, 409, "E_STALE");
    assert!(lost.body.contains("未丢失"), "{}", excerpt(&lost.body));
    assert_eq!(meetings(&a), before + 1, "the winner's meeting, once");
}

/// A published page asked with gzip by logged-in viewers (an office, a unit): one gzip member —
/// their layout deflated around the body deflated once and kept — that inflates to exactly the
/// page the same viewer gets without compression, CRC and length checked by the decoder.
#[test]
fn a_logged_in_published_page_in_gzip_inflates_to_the_same_page_as_plain() {
    let f = fixture();
    for who in ["duchashi", "weijianwei"] {
        let client = login_as(who);
        let path = format!("/documents/{}", f.plan_doc);
        let plain = client.get(&path);
        assert_eq!(plain.status, 200);
        assert!(plain.body.contains("退出"), "{who} sees their own layout");
        for _ in 0..2 {
            // Twice: the first builds and keeps the body, the second splices the kept one.
            let resp = client
                .request("GET", &path)
                .set("Accept-Encoding", "gzip")
                .call()
                .expect("GET with gzip");
            assert_eq!(resp.header("Content-Encoding"), Some("gzip"), "{who}");
            let mut gzip = Vec::new();
            std::io::Read::read_to_end(&mut resp.into_reader(), &mut gzip).unwrap();
            let mut inflated = String::new();
            std::io::Read::read_to_string(
                &mut flate2::read::GzDecoder::new(&gzip[..]),
                &mut inflated,
            )
            .expect("one valid gzip member");
            assert!(inflated == plain.body, "{who}: the same page as plain");
            assert!(gzip.len() * 4 < plain.body.len(), "{who}: compressed");
        }
    }
}
