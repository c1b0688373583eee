//! Proposal handling in a real browser (建议提案浏览器测试, 郑政办〔2020〕27号): `luoshi serve
//! --demo` driven in headless Chromium, one suggestion from registration to public disclosure.
//!
//! The office registers a deputy's suggestion through the form and assigns it on the 交办会
//! sheet; the unit sees it in its inbox with the due date and how it was computed, records the
//! face-to-face meeting and replies (class A, with a phone number planted in the text); the
//! unit's leader approves; the deputy, logged in, rates it 满意; the office's publish is refused
//! by the personal-data check until it is redacted; the public page shows the reply without
//! the deputy's name, contact or the planted number. The printable letter carries the class mark
//! and the 征求意见表. The demo's year is there too: 600 items in every state.

mod support;

use support::*;

const SUBJECT: &str = "关于在郑东新区增设公共自行车站点的建议";
const PLANTED: &str = "13903711234";
const CONTACT: &str = "13803710001";

fn act(browser: &Browser, form: &str) -> String {
    submit_and_wait(
        browser,
        &format!("#{form} button[type=submit]"),
        "#action-done, #action-error",
    )
}

fn open_form(browser: &Browser, form: &str) {
    browser.script(&format!(
        "document.getElementById('{form}').closest('details').open = true; return 1"
    ));
}

fn fill(browser: &Browser, form: &str, name: &str, text: &str) {
    browser.type_into(&browser.css(&format!("#{form} [name={name}]")), text);
}

#[test]
fn a_suggestion_goes_from_registration_to_public_disclosure_in_the_browser() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let server = start_server_with("browser-proposals", &[]);
    let browser = Browser::start(&chromium, &chromedriver);

    // The demo's year: 600 items and more, in many states, and published replies.
    let (office_api, _) = Api::login(&server, "jianyi");
    let all = office_api.get("/api/v1/proposals?year=2020");
    let all = all.as_array().expect("items");
    assert!(all.len() >= 600, "the demo registers a year: {}", all.len());
    let states: std::collections::BTreeSet<&str> =
        all.iter().filter_map(|i| i["state"].as_str()).collect();
    for s in ["registered", "assigned", "replied", "evaluated", "closed"] {
        assert!(states.contains(s), "the demo has items {s}: {states:?}");
    }
    let overdue = office_api.get("/api/v1/proposals?overdue=true");
    assert!(
        !overdue.as_array().expect("list").is_empty(),
        "the office's overdue list"
    );

    // The office registers the suggestion.
    log_in(&browser, &server, "jianyi");
    browser.goto(&format!("{}/proposals/new", server.base));
    browser.assert_no_csp_violation("the registration form");
    fill(&browser, "form-register", "number", "9001");
    set_value(&browser, "#form-register [name=source]", "市人大");
    set_value(&browser, "#form-register [name=kind]", "建议");
    fill(&browser, "form-register", "subject", SUBJECT);
    fill(
        &browser,
        "form-register",
        "text",
        "郑东新区龙湖一带居民出行不便，建议增设公共自行车站点。",
    );
    fill(
        &browser,
        "form-register",
        "proposers",
        &format!("赵代表，郑东新区代表团，{CONTACT}，daibiao"),
    );
    let done = act(&browser, "form-register");
    assert!(done.contains("登记"), "{done}");
    let url = browser.url();
    let id: i64 = url
        .split("/proposals/")
        .nth(1)
        .and_then(|r| r.split(['?', '#']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("an item page: {url}"));
    assert!(browser.body_text().contains("已登记待交办"));

    // The 交办会 sheet: one lead unit, assigned with the others in one submit.
    browser.goto(&format!("{}/proposals/assign", server.base));
    browser.assert_no_csp_violation("the assignment sheet");
    browser.type_into(&browser.css(&format!("[name=lead_{id}]")), "市发展改革委");
    let done = submit_and_wait(
        &browser,
        "#form-assign-batch button[type=submit]",
        "#action-done",
    );
    assert!(done.contains("已交办 1 件"), "{done}");
    log_out(&browser, &server);

    // The unit's inbox shows the due date and how it was computed; the unit meets and replies.
    log_in(&browser, &server, "fagaiwei");
    browser.goto(&format!("{}/proposals", server.base));
    browser.assert_no_csp_violation("the unit's inbox");
    let row = browser.text(&browser.css(&format!("#p-{id}")));
    assert!(
        row.contains("2020-10-") && row.contains("待答复"),
        "due three months after receipt (第十九条): {row}"
    );
    let explain = browser.script(&format!(
        "return document.querySelector('#p-{id} pre.explain').textContent"
    ));
    assert!(
        explain.as_str().is_some_and(|e| e.contains("3个月")),
        "{explain}"
    );
    browser.goto(&format!("{}/proposals/{id}", server.base));
    open_form(&browser, "form-record-meeting");
    set_value(
        &browser,
        "#form-record-meeting [name=met_date]",
        "2020-07-15",
    );
    fill(
        &browser,
        "form-record-meeting",
        "summary",
        "局长与赵代表当面沟通，现场查看站点选址。",
    );
    let done = act(&browser, "form-record-meeting");
    assert!(done.contains("记录见面沟通"), "{done}");
    open_form(&browser, "form-reply");
    set_value(&browser, "#form-reply [name=class]", "A");
    fill(
        &browser,
        "form-reply",
        "text",
        &format!("经研究，已在龙湖片区新增站点6处，已基本解决。经办人电话{PLANTED}。"),
    );
    fill(&browser, "form-reply", "signer", "王局长");
    let done = act(&browser, "form-reply");
    assert!(done.contains("提交答复"), "{done}");
    // The drafter cannot approve their own reply (第九条).
    open_form(&browser, "form-approve");
    let refused = act(&browser, "form-approve");
    assert!(refused.contains("E_SAME_PERSON"), "{refused}");
    log_out(&browser, &server);

    log_in(&browser, &server, "fgw-fenguan");
    browser.goto(&format!("{}/proposals/{id}", server.base));
    open_form(&browser, "form-approve");
    let done = act(&browser, "form-approve");
    assert!(done.contains("审核签发"), "{done}");
    assert!(browser.body_text().contains("已答复待反馈"));
    log_out(&browser, &server);

    // The deputy, logged in, rates the reply.
    log_in(&browser, &server, "daibiao");
    browser.goto(&format!("{}/proposals", server.base));
    assert!(
        browser.body_text().contains(SUBJECT),
        "the deputy's own items"
    );
    browser.goto(&format!("{}/proposals/{id}", server.base));
    open_form(&browser, "form-feedback");
    set_value(&browser, "#form-feedback [name=rating]", "满意");
    let done = act(&browser, "form-feedback");
    assert!(done.contains("反馈意见"), "{done}");
    log_out(&browser, &server);

    // The office prints the letter and publishes: refused until the planted number is masked.
    log_in(&browser, &server, "jianyi");
    let detail = office_api.get(&format!("/api/v1/proposals/{id}"));
    let reply = detail["replies"][0]["id"].as_i64().expect("a reply");
    browser.goto(&format!("{}/proposals/{id}/letter/{reply}", server.base));
    browser.assert_no_csp_violation("the reply letter");
    assert_eq!(browser.text(&browser.css("#class-mark")), "A");
    assert!(browser
        .text(&browser.css("#feedback-form"))
        .contains("征求意见表"));
    browser.goto(&format!("{}/proposals/{id}", server.base));
    open_form(&browser, "form-publish");
    set_value(&browser, "#form-publish [name=mode]", "全文");
    let refused = act(&browser, "form-publish");
    assert!(refused.contains("E_PERSONAL_DATA"), "{refused}");
    open_form(&browser, "form-publish");
    browser.click(&browser.css("#form-publish [name=redact]"));
    let done = act(&browser, "form-publish");
    assert!(done.contains("公开答复"), "{done}");
    log_out(&browser, &server);

    // The public reads it without the deputy's name, contact or the planted number.
    browser.goto(&format!(
        "{}/public/replies?subject={}",
        server.base, "公共自行车"
    ));
    browser.assert_no_csp_violation("the public list");
    let link = browser.css(&format!("a[href='/public/replies/{id}']"));
    browser.click(&link);
    browser.wait_for_url("the public reply", |u| {
        u.ends_with(&format!("/public/replies/{id}"))
    });
    let page = browser.body_text();
    assert!(
        page.contains("增设公共自行车站点") && page.contains("新增站点6处"),
        "{page}"
    );
    for secret in ["赵代表", PLANTED, CONTACT, "daibiao"] {
        assert!(
            !page.contains(secret),
            "the public page shows {secret}: {page}"
        );
    }

    reports_are_printable_pages_and_workbooks(&server, &browser, &office_api);
}

/// The cells of a workbook's sheet, as text.
fn sheet_text(bytes: Vec<u8>, sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an .xlsx workbook");
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// 第八条 and 第十二条 as pages: the office's quarterly bulletin with a line per unit, a unit's
/// bulletin with its own line only, a unit's summary (its own; another unit's is refused), the
/// annual report — each printable (its controls hidden by the print style sheet) and exported
/// as `.xlsx` with the same figures.
fn reports_are_printable_pages_and_workbooks(server: &Server, browser: &Browser, office: &Api) {
    log_in(browser, server, "jianyi");
    browser.goto(&format!(
        "{}/proposals/bulletin?year=2020&quarter=2",
        server.base
    ));
    browser.assert_no_csp_violation("the quarterly bulletin");
    let bulletin = browser.text(&browser.css("#bulletin"));
    assert!(
        bulletin.contains("2020年第2季度建议提案办理工作进度通报")
            && bulletin.contains("市人大、市政府、市政协领导")
            && bulletin.contains("交通运输局")
            && bulletin.contains("发展和改革委员会"),
        "{bulletin}"
    );
    let lines = browser.find_all("css selector", "#bulletin tbody tr").len();
    assert!(lines > 10, "a line per unit and the city's: {lines}");
    let hidden = browser.script(
        "for (const s of document.styleSheets) for (const r of s.cssRules) \
         if (r.media && r.media.mediaText === 'print') return r.cssText; return ''",
    );
    assert!(
        hidden.as_str().is_some_and(|t| t.contains("form")),
        "a print style sheet hides the controls: {hidden}"
    );
    let rows = sheet_text(
        office.get_bytes("/proposals/bulletin.xlsx?year=2020&quarter=2"),
        "2020年第2季度",
    );
    assert_eq!(
        rows.len(),
        lines + 1,
        "the same lines as the page: {rows:?}"
    );
    assert!(rows[0][0] == "承办单位" && rows[0].last().is_some_and(|h| h.contains("存在问题")));

    browser.goto(&format!("{}/proposals/annual?year=2020", server.base));
    let annual = browser.body_text();
    assert!(
        annual.contains("向市人大常委会书面报告、向市政协书面通报")
            && annual.contains("各承办单位"),
        "{annual}"
    );
    let units = sheet_text(
        office.get_bytes("/proposals/annual.xlsx?year=2020"),
        "各承办单位",
    );
    assert!(units.len() > 10, "{units:?}");
    browser.goto(&format!("{}/proposals/summary?year=2020", server.base));
    let index = browser.body_text();
    assert!(
        index.contains("须书面总结") && index.contains("交通运输局"),
        "{index}"
    );
    log_out(browser, server);

    // A unit reads its own line of the bulletin and its own summary, not another unit's.
    log_in(browser, server, "fagaiwei");
    browser.goto(&format!(
        "{}/proposals/bulletin?year=2020&quarter=2",
        server.base
    ));
    let own = browser.text(&browser.css("#bulletin"));
    assert!(
        own.contains("发展和改革委员会") && !own.contains("交通运输局"),
        "{own}"
    );
    browser.goto(&format!("{}/proposals/summary?year=2020", server.base));
    let summary = browser.text(&browser.css("#unit-summary"));
    assert!(
        summary.contains("发展和改革委员会 2020年办理人大代表建议和政协委员提案工作总结")
            && summary.contains("第十二条"),
        "{summary}"
    );
    browser.goto(&format!(
        "{}/proposals/summary?year=2020&unit=dept.jtj",
        server.base
    ));
    assert!(
        browser.body_text().contains("E_FORBIDDEN"),
        "another unit's summary is refused: {}",
        browser.body_text()
    );
    let (unit_api, _) = Api::login(server, "fagaiwei");
    let items = sheet_text(
        unit_api.get_bytes("/proposals/summary.xlsx?year=2020"),
        "办理件",
    );
    assert!(items.len() > 20, "the unit's items: {}", items.len());
    log_out(browser, server);
}
