//! Shared harness of the browser tests (浏览器测试公共部分): the real `luoshi serve --demo`,
//! a JSON API session, and a small W3C WebDriver client driving Debian's headless Chromium
//! through chromedriver. Each browser test file uses it with `mod support;`.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const PLAN_DOC_NO: &str = "郑政办〔2020〕29号";
/// The key W3C WebDriver uses for an element reference.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

// ---------------------------------------------------------------------------------------------
// Processes and files that are cleaned up even when the test panics.

/// A child process killed (and reaped) when dropped.
pub struct Guard {
    pub child: Child,
    pub what: &'static str,
}

impl Guard {
    pub fn spawn(mut command: Command, what: &'static str) -> Guard {
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        Guard { child, what }
    }

    pub fn assert_running(&mut self) {
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
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        // Unique per call: tests run in parallel in one process.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("luoshi-{name}-{}-{n}", std::process::id()));
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
pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// Retry `probe` until it yields a value, for at most `tries` × 100 ms. Waiting for an
/// asynchronous event; nothing is asserted about how long it takes.
pub fn wait_for<T>(what: &str, tries: u32, mut probe: impl FnMut() -> Option<T>) -> T {
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

pub struct Server {
    pub process: Guard,
    pub dir: TempDir,
    pub base: String,
    pub passwords: Vec<(String, String)>,
    /// Everything the server printed before its URL.
    pub banner: Vec<String>,
}

impl Server {
    pub fn password(&self, username: &str) -> &str {
        self.passwords
            .iter()
            .find(|(u, _)| u == username)
            .map(|(_, p)| p.as_str())
            .unwrap_or_else(|| panic!("no demo account {username}"))
    }
}

/// Start `luoshi serve --demo` and read the demo accounts and the URL from its output.
pub fn start_server() -> Server {
    start_server_with("browser-db", &[])
}

/// [`start_server`] with more arguments for `serve` (an SMTP server, a scan interval, …),
/// its database in a directory named after `name` (one per test, so tests run in parallel).
pub fn start_server_with(name: &str, extra: &[&str]) -> Server {
    let dir = TempDir::new(name);
    let db = dir.0.join("luoshi.db");
    let mut args: Vec<&std::ffi::OsStr> = ["serve", "--demo", "--addr", "127.0.0.1:0", "--db"]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
    args.push(db.as_os_str());
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let (process, base, banner) = spawn_serve(&args);
    let mut passwords = Vec::new();
    let mut in_accounts = false;
    for line in &banner {
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
    }
    assert!(
        passwords.iter().any(|(u, _)| u == "duchashi"),
        "the demo accounts were printed: {passwords:?}"
    );
    Server {
        process,
        dir,
        base,
        passwords,
        banner,
    }
}

/// Run `luoshi` with `args` (a `serve` command) and read its output up to the line with its
/// URL: the process, the URL without a trailing slash, and every line printed up to it. The
/// rest of the output is drained so the server never blocks on a full pipe.
pub fn spawn_serve(args: &[&std::ffi::OsStr]) -> (Guard, String, Vec<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_luoshi"));
    command
        .args(args)
        .env_remove("LUOSHI_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut process = Guard::spawn(command, "luoshi serve");
    let stdout = process.child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut banner = Vec::new();
    let base = loop {
        let line = match lines.next() {
            Some(Ok(l)) => l,
            other => panic!("luoshi serve stopped before printing its URL: {other:?}"),
        };
        banner.push(line.clone());
        if let Some(url) = line.strip_prefix("落实已启动：") {
            break url.trim().trim_end_matches('/').to_string();
        }
    };
    std::thread::spawn(move || for _ in lines.by_ref() {});
    (process, base, banner)
}

/// A JSON API session on the server, used to find test subjects (ids) the way a client would.
pub struct Api {
    agent: ureq::Agent,
    base: String,
    cookie: String,
}

impl Api {
    pub fn login(server: &Server, username: &str) -> (Api, Value) {
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

    /// The body of a GET as bytes (a download).
    pub fn get_bytes(&self, path: &str) -> Vec<u8> {
        let resp = self
            .agent
            .get(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie)
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut resp.into_reader(), &mut out).expect("body");
        out
    }

    pub fn get(&self, path: &str) -> Value {
        serde_json::from_slice(&self.get_bytes(path))
            .unwrap_or_else(|e| panic!("GET {path}: not JSON: {e}"))
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal W3C WebDriver client.

pub struct Browser {
    agent: ureq::Agent,
    /// `http://127.0.0.1:PORT/session/ID`.
    session: String,
    _profile: TempDir,
    _driver: Guard,
}

#[derive(Clone)]
pub struct Element(pub String);

/// One WebDriver request; a WebDriver error (a stale element, a page navigating away) is
/// returned as its text.
pub fn webdriver_try(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    body: Option<&Value>,
) -> Result<Value, String> {
    let req = agent.request(method, url);
    let result = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let text = match result {
        Ok(r) => r
            .into_string()
            .map_err(|e| format!("WebDriver body: {e}"))?,
        Err(ureq::Error::Status(code, r)) => {
            return Err(format!(
                "WebDriver {method} {url} → {code}: {}",
                r.into_string().unwrap_or_default()
            ))
        }
        Err(e) => return Err(format!("WebDriver {method} {url}: {e}")),
    };
    let v: Value =
        serde_json::from_str(&text).map_err(|e| format!("WebDriver answers JSON: {e}"))?;
    Ok(v["value"].clone())
}

pub fn webdriver_call(agent: &ureq::Agent, method: &str, url: &str, body: Option<&Value>) -> Value {
    webdriver_try(agent, method, url, body).unwrap_or_else(|e| panic!("{e}"))
}

impl Browser {
    pub fn start(chromium: &Path, chromedriver: &Path) -> Browser {
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

    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        webdriver_call(
            &self.agent,
            method,
            &format!("{}{path}", self.session),
            body.as_ref(),
        )
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn title(&self) -> String {
        self.call("GET", "/title", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn find_all(&self, using: &str, value: &str) -> Vec<Element> {
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
    pub fn css(&self, selector: &str) -> Element {
        self.find_all("css selector", selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element {selector} on {} ({})", self.url(), self.title()))
    }

    pub fn xpath(&self, xpath: &str) -> Element {
        self.find_all("xpath", xpath)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element {xpath} on {}", self.url()))
    }

    pub fn text(&self, e: &Element) -> String {
        self.call("GET", &format!("/element/{}/text", e.0), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .as_str()
            .map(str::to_string)
    }

    pub fn click(&self, e: &Element) {
        self.call("POST", &format!("/element/{}/click", e.0), Some(json!({})));
    }

    pub fn type_into(&self, e: &Element, text: &str) {
        self.call(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        );
    }

    /// Run a script, None when the page is between documents (a navigation in progress).
    pub fn try_script(&self, script: &str) -> Option<Value> {
        webdriver_try(
            &self.agent,
            "POST",
            &format!("{}/execute/sync", self.session),
            Some(&json!({"script": script, "args": []})),
        )
        .ok()
    }

    pub fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The visible text of the page body.
    /// The Content-Security-Policy violations Chromium reported on its console since the
    /// last call (the log is read and emptied).
    pub fn csp_violations(&self) -> Vec<String> {
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
    pub fn assert_no_csp_violation(&self, what: &str) {
        let found = self.csp_violations();
        assert!(found.is_empty(), "{what}: CSP violations: {found:#?}");
    }

    pub fn body_text(&self) -> String {
        let body = self.css("body");
        self.text(&body)
    }

    /// Click `e` and wait until a new document has replaced the page and finished loading. The
    /// page is marked before the click, so the old one — even at the same address, as after a
    /// form that redirects back to itself — is not taken for the answer.
    pub fn click_for_new_page(&self, e: &Element, what: &str) {
        self.script("window.luoshiPageBeforeAction = true; return 1");
        self.click(e);
        wait_for(what, 600, || {
            let state = self
                .try_script("return window.luoshiPageBeforeAction ? null : document.readyState")?;
            (state == "complete").then_some(())
        });
    }

    pub fn wait_for_url(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        wait_for(what, 600, || {
            let url = self.url();
            let complete = self.script("return document.readyState") == "complete";
            (complete && pred(&url)).then_some(url)
        })
    }

    pub fn screenshot(&self, path: &Path) {
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
pub fn base64_decode(s: &str) -> Vec<u8> {
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

pub fn log_in(browser: &Browser, server: &Server, username: &str) {
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

pub fn log_out(browser: &Browser, server: &Server) {
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
pub fn browser_tools() -> Option<(PathBuf, PathBuf)> {
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

/// Click a submit button and wait for the page that answers: the first element matching
/// `answer` (a notice or an error) on the new page; returns its text. The page clicked on is
/// marked first, so an answer still showing from the previous action is not taken for it.
pub fn submit_and_wait(browser: &Browser, button: &str, answer: &str) -> String {
    browser.script("window.luoshiPageBeforeAction = true; return 1");
    browser.click(&browser.css(button));
    let probe = format!(
        "if (window.luoshiPageBeforeAction) return null; \
         const e = document.querySelector('{answer}'); \
         return e ? e.innerText : null"
    );
    wait_for("the page after the action", 100, || {
        browser
            .try_script(&probe)
            .and_then(|v| v.as_str().map(str::to_string))
    })
}

/// Set a form control's value by script (date inputs and selects, whose typing depends on the
/// browser's locale).
pub fn set_value(browser: &Browser, selector: &str, value: &str) {
    let v = serde_json::to_string(value).expect("a JSON string");
    let s = serde_json::to_string(selector).expect("a JSON string");
    browser.script(&format!(
        "const e = document.querySelector({s}); \
         if (e.closest('details')) e.closest('details').open = true; \
         e.value = {v}; return 1"
    ));
}
