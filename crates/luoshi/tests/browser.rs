//! Browser test (浏览器测试): the real `luoshi serve --demo` driven in headless Chromium through
//! chromedriver and the W3C WebDriver protocol, with a small hand-written client.
//!
//! Flow: the supervision office logs in through the form, opens the gazette, opens
//! 郑政办〔2020〕29号, follows a task to its clause (the page lands on the `#c-N` anchor), logs
//! out; then 市卫健委's staff logs in and is refused another unit's task with the Chinese 403
//! page. Screenshots of the task page and of the clause it links to are written to
//! `target/tmp/browser/` (`task-page.png`, `document-clause.png`) for a human to look at.
//!
//! Needs Debian's `chromium` and `chromium-driver` (and `fonts-noto-cjk` for readable
//! screenshots). Missing browser tools fail the test, unless `LUOSHI_SKIP_BROWSER=1`.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PLAN_DOC_NO: &str = "郑政办〔2020〕29号";
/// The key W3C WebDriver uses for an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

// ---------------------------------------------------------------------------------------------
// Processes and files that are cleaned up even when the test panics.

/// A child process killed (and reaped) when dropped.
struct Guard {
    child: Child,
    what: &'static str,
}

impl Guard {
    fn spawn(mut command: Command, what: &'static str) -> Guard {
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        Guard { child, what }
    }

    fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited early: {status}", self.what);
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("luoshi-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An executable on the PATH.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// Retry `probe` until it yields a value, for at most `tries` × 100 ms. Waiting for an
/// asynchronous event; nothing is asserted about how long it takes.
fn wait_for<T>(what: &str, tries: u32, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..tries {
        if let Some(v) = probe() {
            return v;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("gave up waiting for {what}");
}

// ---------------------------------------------------------------------------------------------
// The server.

struct Server {
    _process: Guard,
    _dir: TempDir,
    base: String,
    passwords: Vec<(String, String)>,
}

impl Server {
    fn password(&self, username: &str) -> &str {
        self.passwords
            .iter()
            .find(|(u, _)| u == username)
            .map(|(_, p)| p.as_str())
            .unwrap_or_else(|| panic!("no demo account {username}"))
    }
}

/// Start `luoshi serve --demo` and read the demo accounts and the URL from its output.
fn start_server() -> Server {
    let dir = TempDir::new("browser-db");
    let db = dir.0.join("luoshi.db");
    let mut command = Command::new(env!("CARGO_BIN_EXE_luoshi"));
    command
        .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .env_remove("LUOSHI_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut process = Guard::spawn(command, "luoshi serve");
    let stdout = process.child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut passwords = Vec::new();
    let mut in_accounts = false;
    let base = loop {
        let line = match lines.next() {
            Some(Ok(l)) => l,
            other => panic!("luoshi serve stopped before printing its URL: {other:?}"),
        };
        if let Some(url) = line.strip_prefix("落实已启动：") {
            break url.trim().trim_end_matches('/').to_string();
        }
        if line.starts_with("演示账号") {
            in_accounts = true;
            continue;
        }
        if in_accounts {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if let [username, password, _role, ..] = fields.as_slice() {
                passwords.push((username.to_string(), password.to_string()));
            }
        }
    };
    // Keep draining the output so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    assert!(
        passwords.iter().any(|(u, _)| u == "duchashi"),
        "the demo accounts were printed: {passwords:?}"
    );
    Server {
        _process: process,
        _dir: dir,
        base,
        passwords,
    }
}

/// A JSON API session on the server, used to find test subjects (ids) the way a client would.
struct Api {
    agent: ureq::Agent,
    base: String,
    cookie: String,
}

impl Api {
    fn login(server: &Server, username: &str) -> (Api, Value) {
        let agent = ureq::AgentBuilder::new().build();
        let body = json!({"username": username, "password": server.password(username)});
        let resp = agent
            .post(&format!("{}/api/v1/session", server.base))
            .set("Content-Type", "application/json")
            .send_string(&body.to_string())
            .unwrap_or_else(|e| panic!("API login as {username}: {e}"));
        let cookie = resp
            .all("set-cookie")
            .into_iter()
            .find(|c| c.starts_with("luoshi_session="))
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_string();
        let me: Value = serde_json::from_str(&resp.into_string().expect("body")).expect("JSON");
        (
            Api {
                agent,
                base: server.base.clone(),
                cookie,
            },
            me,
        )
    }

    fn get(&self, path: &str) -> Value {
        let resp = self
            .agent
            .get(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie)
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        serde_json::from_str(&resp.into_string().expect("body")).expect("JSON")
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal W3C WebDriver client.

struct Browser {
    agent: ureq::Agent,
    /// `http://127.0.0.1:PORT/session/ID`.
    session: String,
    _profile: TempDir,
    _driver: Guard,
}

#[derive(Clone)]
struct Element(String);

fn webdriver_call(agent: &ureq::Agent, method: &str, url: &str, body: Option<&Value>) -> Value {
    let req = agent.request(method, url);
    let result = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let text = match result {
        Ok(r) => r.into_string().expect("WebDriver body"),
        Err(ureq::Error::Status(code, r)) => {
            panic!(
                "WebDriver {method} {url} → {code}: {}",
                r.into_string().unwrap_or_default()
            )
        }
        Err(e) => panic!("WebDriver {method} {url}: {e}"),
    };
    let v: Value = serde_json::from_str(&text).expect("WebDriver answers JSON");
    v["value"].clone()
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = free_port();
        let mut command = Command::new(chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut driver = Guard::spawn(command, "chromedriver");
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(120))
            .build();
        let root = format!("http://127.0.0.1:{port}");
        wait_for("chromedriver to be ready", 600, || {
            driver.assert_running();
            let status = agent.get(&format!("{root}/status")).call().ok()?;
            let v: Value = serde_json::from_str(&status.into_string().ok()?).ok()?;
            v["value"]["ready"].as_bool().filter(|r| *r)
        });
        let profile = TempDir::new("browser-profile");
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            "--lang=zh-CN".into(),
            format!("--user-data-dir={}", profile.0.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.display().to_string(), "args": args},
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let created = webdriver_call(&agent, "POST", &format!("{root}/session"), Some(&caps));
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {created}"))
            .to_string();
        Browser {
            agent,
            session: format!("{root}/session/{id}"),
            _profile: profile,
            _driver: driver,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        webdriver_call(
            &self.agent,
            method,
            &format!("{}{path}", self.session),
            body.as_ref(),
        )
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn title(&self) -> String {
        self.call("GET", "/title", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn find_all(&self, using: &str, value: &str) -> Vec<Element> {
        self.call(
            "POST",
            "/elements",
            Some(json!({"using": using, "value": value})),
        )
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e[ELEMENT_KEY].as_str().map(|s| Element(s.to_string())))
        .collect()
    }

    /// The first element a CSS selector matches; panics naming the page when none does.
    fn css(&self, selector: &str) -> Element {
        self.find_all("css selector", selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element {selector} on {} ({})", self.url(), self.title()))
    }

    fn xpath(&self, xpath: &str) -> Element {
        self.find_all("xpath", xpath)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element {xpath} on {}", self.url()))
    }

    fn text(&self, e: &Element) -> String {
        self.call("GET", &format!("/element/{}/text", e.0), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .as_str()
            .map(str::to_string)
    }

    fn click(&self, e: &Element) {
        self.call("POST", &format!("/element/{}/click", e.0), Some(json!({})));
    }

    fn type_into(&self, e: &Element, text: &str) {
        self.call(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        );
    }

    fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The visible text of the page body.
    /// The Content-Security-Policy violations Chromium reported on its console since the
    /// last call (the log is read and emptied).
    fn csp_violations(&self) -> Vec<String> {
        let log = self.call("POST", "/se/log", Some(json!({"type": "browser"})));
        log.as_array()
            .expect("chromedriver returns the browser log")
            .iter()
            .filter_map(|e| e["message"].as_str())
            .filter(|m| m.contains("Content Security Policy"))
            .map(str::to_string)
            .collect()
    }

    /// Assert the page just shown broke no part of the Content-Security-Policy.
    fn assert_no_csp_violation(&self, what: &str) {
        let found = self.csp_violations();
        assert!(found.is_empty(), "{what}: CSP violations: {found:#?}");
    }

    fn body_text(&self) -> String {
        let body = self.css("body");
        self.text(&body)
    }

    fn wait_for_url(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        wait_for(what, 600, || {
            let url = self.url();
            let complete = self.script("return document.readyState") == "complete";
            (complete && pred(&url)).then_some(url)
        })
    }

    fn screenshot(&self, path: &Path) {
        let encoded = self.call("GET", "/screenshot", None);
        let png = base64_decode(encoded.as_str().expect("base64 screenshot"));
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("screenshot dir");
        std::fs::write(path, png).expect("write the screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.session).call();
    }
}

/// Standard base64 (RFC 4648), as WebDriver returns screenshots.
fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let digits: Vec<u32> = s.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, d)| acc | d << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The test.

fn log_in(browser: &Browser, server: &Server, username: &str) {
    browser.goto(&format!("{}/login", server.base));
    assert!(browser.title().starts_with("登录"), "the login page");
    browser.type_into(&browser.css("input[name=username]"), username);
    browser.type_into(
        &browser.css("input[name=password]"),
        server.password(username),
    );
    browser.click(&browser.css("form.stack button[type=submit]"));
    let home = format!("{}/", server.base);
    browser.wait_for_url("the home page after login", |u| u == home);
    let account = browser.text(&browser.css(".account .who"));
    assert!(
        !account.is_empty(),
        "{username} is shown as logged in: {}",
        browser.body_text()
    );
}

fn log_out(browser: &Browser, server: &Server) {
    browser.click(&browser.css("form[action='/logout'] button"));
    let home = format!("{}/", server.base);
    browser.wait_for_url("the home page after logout", |u| u == home);
    assert!(
        browser.find_all("css selector", ".account .who").is_empty(),
        "logged out"
    );
    browser.css(".account a[href='/login']");
}

/// The browser tools, or `None` when the test is to be skipped.
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    let chromium = find_program(&["chromium", "chromium-browser"]);
    let chromedriver = find_program(&["chromedriver"]);
    match (chromium, chromedriver) {
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => {
            let missing = [("chromium", c.is_none()), ("chromedriver", d.is_none())]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(" and ");
            if std::env::var("LUOSHI_SKIP_BROWSER").as_deref() == Ok("1") {
                println!("browser test skipped (LUOSHI_SKIP_BROWSER=1): {missing} not found");
                None
            } else {
                panic!(
                    "{missing} not found on PATH. Install Debian's packages: \
                     apt-get install chromium chromium-driver fonts-noto-cjk \
                     (or set LUOSHI_SKIP_BROWSER=1 to skip the browser test)"
                );
            }
        }
    }
}

#[test]
fn a_user_follows_a_task_to_its_clause_in_chromium() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let server = start_server();
    let browser = Browser::start(&chromium, &chromedriver);

    // The policy is enforced: an inline style added to the page is refused and reported, so
    // an empty report below means the pages really carry none.
    browser.goto(&format!("{}/login", server.base));
    browser.assert_no_csp_violation("the login page");
    browser.script(
        "const s = document.createElement('style'); s.textContent = 'body{color:red}'; \
         document.head.appendChild(s); return 1",
    );
    assert!(
        !browser.csp_violations().is_empty(),
        "an inline style is reported as a CSP violation"
    );

    // The supervision office logs in through the form and sees the gazette.
    log_in(&browser, &server, "duchashi");
    assert_eq!(browser.text(&browser.css("main h1")), "政府公报");
    browser.assert_no_csp_violation("the home page");
    let plan_link = browser.xpath(&format!(
        "//main//li[contains(., '{PLAN_DOC_NO}')]/a[starts-with(@href, '/documents/')]"
    ));
    let plan_href = browser.attribute(&plan_link, "href").expect("href");
    browser.click(&plan_link);
    let doc_url = browser.wait_for_url("the document page", |u| u.contains("/documents/"));
    assert!(doc_url.ends_with(&plan_href), "{doc_url} is {plan_href}");
    let doc_path = plan_href.clone();
    assert!(browser.body_text().contains(PLAN_DOC_NO));
    browser.assert_no_csp_violation("the document page");
    assert!(
        browser.title().contains("2020年市政府工作报告重点工作任务"),
        "{}",
        browser.title()
    );

    // A task well down the list, so landing on its clause means scrolling to it.
    let task_links = browser.find_all("css selector", "main tr[id^='task-'] a[href^='/tasks/']");
    assert!(
        task_links.len() >= 100,
        "the supervision office sees every task"
    );
    let task_link = task_links[task_links.len() / 2].clone();
    let task_href = browser.attribute(&task_link, "href").expect("href");
    browser.click(&task_link);
    browser.wait_for_url("the task page", |u| u.ends_with(&task_href));
    assert!(browser.text(&browser.css("main h1")).starts_with("任务"));
    browser.assert_no_csp_violation("the task page");
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser/task-page.png");
    browser.screenshot(&shot);
    println!("screenshot of the task page: {}", shot.display());

    // The clause link lands on the document page at the clause's anchor.
    let clause_link = browser.css("#clause-link");
    let clause_href = browser.attribute(&clause_link, "href").expect("href");
    let anchor = clause_href
        .strip_prefix(&format!("{doc_path}#"))
        .unwrap_or_else(|| panic!("clause link {clause_href} points into {doc_path}"))
        .to_string();
    assert!(anchor.starts_with("c-"), "{clause_href}");
    browser.click(&clause_link);
    let landed = browser.wait_for_url("the clause anchor", |u| u.contains('#'));
    assert_eq!(landed, format!("{}{doc_path}#{anchor}", server.base));
    let clause = browser.css(&format!("section#{anchor}"));
    assert!(
        !browser.text(&clause).is_empty(),
        "the clause {anchor} has text"
    );
    assert_eq!(
        browser.script(
            "return document.querySelector(':target') && document.querySelector(':target').id"
        ),
        json!(anchor),
        "the clause is the page's target"
    );
    browser.screenshot(&shot.with_file_name("document-clause.png"));

    log_out(&browser, &server);

    // 市卫健委's staff: their own task opens, another unit's is refused.
    let (api, _) = Api::login(&server, "duchashi");
    let (_, me) = Api::login(&server, "weijianwei");
    let unit = me["user"]["unit_id"]
        .as_str()
        .expect("weijianwei has a unit")
        .to_string();
    let doc_id = doc_path.trim_start_matches("/documents/");
    let tasks = api.get(&format!("/api/v1/documents/{doc_id}"))["tasks"]
        .as_array()
        .cloned()
        .expect("tasks");
    let owns = |t: &Value| {
        t["owners"]
            .as_array()
            .is_some_and(|os| os.iter().any(|o| o["unit_id"] == unit.as_str()))
    };
    let own = tasks.iter().find(|t| owns(t)).expect("a task of 市卫健委");
    let foreign = tasks
        .iter()
        .find(|t| !owns(t))
        .expect("a task of another unit");

    log_in(&browser, &server, "weijianwei");
    browser.goto(&format!("{}/tasks/{}", server.base, own["id"]));
    assert!(browser.text(&browser.css("main h1")).starts_with("任务"));
    browser.css("#clause-link");
    browser.goto(&format!("{}/tasks/{}", server.base, foreign["id"]));
    assert!(
        browser.title().starts_with("403 无权访问"),
        "{}",
        browser.title()
    );
    let body = browser.body_text();
    assert!(
        body.contains("您没有权限访问此内容") && body.contains("E_FORBIDDEN"),
        "{body}"
    );
    assert!(browser.find_all("css selector", "#clause-link").is_empty());
    // The refusal is shown to the logged-in user, who can log out from it.
    assert!(!browser.text(&browser.css(".account .who")).is_empty());
    assert!(browser
        .find_all("css selector", ".account a[href='/login']")
        .is_empty());
    browser.assert_no_csp_violation("the 403 page");
    browser.goto(&format!("{}/search?q=%E9%98%B2%E6%8E%A7", server.base));
    browser.assert_no_csp_violation("the search page");
    browser.goto(&format!("{}/units", server.base));
    browser.assert_no_csp_violation("the unit directory");
}

#[test]
fn base64_decodes_as_rfc_4648_says() {
    assert_eq!(base64_decode("TWFu"), b"Man");
    assert_eq!(base64_decode("TWE="), b"Ma");
    assert_eq!(base64_decode("TQ=="), b"M");
    assert_eq!(base64_decode("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
}
