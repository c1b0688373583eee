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

mod support;

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use support::*;

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

/// 健康行动监测 in the browser: 市卫健委 uploads a year's value of 婴儿死亡率 from an `.xlsx`
/// file, submits and approves it (its action group), and the office downloads the overall
/// monitoring report as PDF, whose text poppler's `pdftotext` reads back.
#[test]
fn a_department_uploads_values_the_group_approves_and_the_office_downloads_the_report() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let server = start_server();
    let browser = Browser::start(&chromium, &chromedriver);
    let (api, _) = Api::login(&server, "weijianwei");
    let indicators = api.get("/api/v1/indicators");
    let infant = indicators
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["key"] == "T2")
        .expect("婴儿死亡率 (附件3 第2项)");
    let id = infant["id"].as_i64().expect("id");

    // The department uploads 2025's value from an .xlsx file.
    let dir = TempDir::new("health-upload");
    let file = dir.0.join("values.xlsx");
    let rows: Vec<Vec<String>> = [
        // The header of the template the department downloads.
        luoshi_app::health::upload::COLUMNS,
        ["T2", "全市", "2025", "", "2.70", "", "", "浏览器测试"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    std::fs::write(
        &file,
        luoshi_app::health::upload::xlsx(&rows).expect("xlsx"),
    )
    .unwrap();
    log_in(&browser, &server, "weijianwei");
    browser.goto(&format!("{}/health", server.base));
    assert_eq!(browser.text(&browser.css("main h1")), "健康郑州行动监测");
    browser.assert_no_csp_violation("the health dashboard");
    browser.type_into(
        &browser.css("input[type=file][name=file]"),
        file.to_str().unwrap(),
    );
    browser.click(&browser.css("form[action='/health/upload'] button"));
    browser.wait_for_url("the upload result", |u| u.ends_with("/health/upload"));
    assert!(
        browser.body_text().contains("录入 1 个数值"),
        "{}",
        browser.body_text()
    );

    // Submit, then approve (市卫健委 leads 妇幼健康促进行动's group): the value is locked.
    let series = format!("{}/health/series/{id}?year=2025", server.base);
    for label in ["报送审核", "审定并锁定"] {
        browser.goto(&series);
        let button = browser.xpath(&format!(
            "//form[.//input[@name='year' and @value='2025'] and .//input[@name='area' and @value='city']]//button[.='{label}']"
        ));
        // The form redirects back to the series page itself: wait for the new document.
        browser.click_for_new_page(&button, "back on the series");
        assert!(browser.url().contains(&format!("/health/series/{id}")));
    }
    let body = browser.body_text();
    assert!(body.contains("2.70"), "the value as entered: {body}");
    assert!(body.contains("已审定（锁定）"), "{body}");
    browser.assert_no_csp_violation("the series page");
    log_out(&browser, &server);

    // The office's dashboard: the 26 indicators of 附件3 (row 25 in two parts), each with
    // its 2022 target, its baseline where the table gives one and its observations, and a
    // status that leads to the rule.
    log_in(&browser, &server, "jiankangban");
    browser.goto(&format!("{}/health?year=2023", server.base));
    let rows = browser.script(
        "return [...document.querySelectorAll('main table tbody tr')] \
         .map(r => [...r.cells].map(c => c.textContent.trim())) \
         .filter(c => c.length >= 9 && c[0] !== '');",
    );
    let rows: Vec<Vec<String>> = serde_json::from_value(rows).expect("rows of cells");
    let numbers: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(rows.len(), 27, "附件3's rows, 25 in two parts: {rows:?}");
    assert_eq!(numbers.len(), 26, "{numbers:?}");
    assert!(
        rows.iter().all(|r| !r[4].is_empty() && r[4] != "—"),
        "2022 targets: {rows:?}"
    );
    // 附件3 gives no baseline (—) in rows 11, 12 and 17–21.
    assert_eq!(rows.iter().filter(|r| r[3] != "—").count(), 20, "{rows:?}");
    // Every row but the two 提前实现 (judged by decision, not by values) has observations.
    let without: Vec<&str> = rows
        .iter()
        .filter(|r| r[6] == "—")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(without, ["11", "12"], "rows without observations");
    let infant = browser.xpath("//main//table//tr[td[1]='2']/td[8]/a");
    browser.click(&infant);
    browser.wait_for_url("the rule behind the status", |u| {
        u.contains(&format!("/health/series/{id}")) && u.ends_with("#rule")
    });
    let body = browser.body_text();
    assert!(body.contains("luoshi_rules::attainment"), "{body}");
    assert!(body.contains("附件2 二（二）"), "{body}");
    assert!(body.contains("需年均变化"), "{body}");

    // The office downloads the overall monitoring report as PDF.
    browser.goto(&format!("{}/health/reports", server.base));
    let link = browser
        .xpath("//a[contains(@href, 'kind=overall&year=2025') and contains(@href, 'format=pdf')]");
    let href = browser.attribute(&link, "href").expect("href");
    let b64 = browser.script(&format!(
        "return fetch({href:?}).then(r => r.arrayBuffer()).then(a => {{ \
         const b = new Uint8Array(a); let s = ''; \
         for (const x of b) s += String.fromCharCode(x); return btoa(s); }});"
    ));
    let pdf = base64_decode(b64.as_str().expect("base64 text"));
    assert!(pdf.starts_with(b"%PDF"), "a PDF: {} bytes", pdf.len());
    let path = dir.0.join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text: String = String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        text.contains("健康郑州行动2025年度总体监测评估报告"),
        "{}",
        text.chars().take(200).collect::<String>()
    );
    assert!(text.contains("婴儿死亡率"));
}
