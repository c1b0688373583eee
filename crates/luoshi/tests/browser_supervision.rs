//! Supervision in a real browser (督办浏览器测试): `luoshi serve --demo` with a real local SMTP
//! server, driven in headless Chromium.
//!
//! A lead unit (市发展改革委) files the project plan and a monthly report with an attachment; the
//! office returns the report with a comment; the unit revises; the office accepts. The demo's
//! unfiled reports have turned items 逾期未报, and the reminder e-mails reach the SMTP server.
//! The ledger downloads as a valid `.xlsx` and, filled in, uploads back through the page.

mod support;

use calamine::Reader;
use luoshi_testkit::Smtp;
use serde_json::Value;
use std::path::Path;
use support::*;

fn item_page(server: &Server, id: i64) -> String {
    format!("{}/supervision/items/{id}", server.base)
}

/// Click a submit button of the item page and wait for the page that answers: the notice of
/// the action done, or the error. Returns that notice's text. The page clicked on is marked
/// first, so a notice still showing from the previous action is not taken for the answer.
fn click_and_wait(browser: &Browser, button: &str) -> String {
    browser.script("window.luoshiPageBeforeAction = true; return 1");
    browser.click(&browser.css(button));
    wait_for("the item page after the action", 100, || {
        browser
            .try_script(
                "if (window.luoshiPageBeforeAction) return null; \
                 const e = document.querySelector('#action-done, #action-error'); \
                 return e ? e.innerText : null",
            )
            .and_then(|v| v.as_str().map(str::to_string))
    })
}

/// Submit the action form `form-NAME` on the current item page; returns the notice shown.
fn submit(browser: &Browser, form: &str) -> String {
    click_and_wait(browser, &format!("#{form} button[type=submit]"))
}

/// Open the `<details>` holding a form so its fields can be typed into.
fn open_form(browser: &Browser, form: &str) {
    browser.script(&format!(
        "const f = document.getElementById('{form}'); if (f && f.closest('details')) f.closest('details').open = true; return 1"
    ));
}

/// Open the monthly report form with June 2020 chosen as its period.
fn open_june_report(browser: &Browser) {
    open_form(browser, "form-submit_report");
    browser.script(
        "const s = document.querySelector('#form-submit_report select[name=period]'); \
         s.value = '2020-06'; return s.value",
    );
}

fn fill(browser: &Browser, form: &str, name: &str, text: &str) {
    let e = browser.css(&format!("#{form} [name={name}]"));
    browser.type_into(&e, text);
}

#[test]
fn a_unit_files_the_office_returns_and_accepts_and_reminders_reach_smtp() {
    let Some((chromium, chromedriver)) = browser_tools() else {
        return;
    };
    let smtp = Smtp::start();
    let url = smtp.url();
    let server = start_server_with(
        "browser-supervision",
        &[
            "--smtp-url",
            &url,
            "--smtp-from",
            "落实 <luoshi@luoshi-demo.invalid>",
            "--scan-interval",
            "2",
        ],
    );
    assert!(
        server.banner.iter().any(|l| l.contains("2020-07-15")),
        "the demo runs on its simulated date: {:?}",
        server.banner
    );

    // The demo's unfiled reports have made items 逾期未报 and reminders went out by e-mail.
    let mails = smtp.wait_for(1, 60);
    assert!(
        !mails.is_empty(),
        "reminder e-mails reach the local SMTP server"
    );
    assert!(
        mails
            .iter()
            .any(|m| m.contains("luoshi-demo.invalid") && m.contains("Subject:")),
        "{}",
        &mails[0][..mails[0].len().min(500)]
    );

    // Pick an item 市发展改革委 leads whose plan is not filed yet (the demo leaves some).
    let (unit_api, _) = Api::login(&server, "fagaiwei");
    let items = unit_api.get("/api/v1/supervision/items");
    let items = items.as_array().expect("items");
    let leads = |i: &Value| {
        i["lead_units"]
            .as_array()
            .is_some_and(|l| l.iter().any(|u| u["unit_id"] == "dept.fgw"))
    };
    // Its own items: named directly, or through a group it belongs to (市政府各部门).
    let named_or_grouped = |i: &Value| {
        ["lead_units", "units"].iter().any(|k| {
            i[*k].as_array().is_some_and(|l| {
                l.iter()
                    .any(|u| u["unit_id"] == "dept.fgw" || u["group"] == true)
            })
        })
    };
    assert!(
        items.iter().all(named_or_grouped),
        "a unit sees only its own items"
    );
    let overdue = items
        .iter()
        .find(|i| leads(i) && i["status"] == "overdue")
        .expect("an overdue item the unit leads");
    assert_eq!(overdue["status_label"], "逾期未报");
    let target = items
        .iter()
        .filter(|i| leads(i))
        .find(|i| {
            let d = unit_api.get(&format!("/api/v1/supervision/items/{}", i["id"]));
            d["clocks"].as_array().is_some_and(|ks| {
                ks.iter()
                    .any(|k| k["key"] == "plan" && k["satisfied_at"].is_null())
            }) && d["clocks"].as_array().is_some_and(|ks| {
                ks.iter()
                    .any(|k| k["key"] == "monthly:2020-06" && k["satisfied_at"].is_null())
            })
        })
        .expect("an item with its plan and June report unfiled");
    let id = target["id"].as_i64().expect("id");

    let browser = Browser::start(&chromium, &chromedriver);
    log_in(&browser, &server, "fagaiwei");
    browser.goto(&format!("{}/supervision", server.base));
    assert_eq!(browser.text(&browser.css("main h1")), "督查督办");
    browser.assert_no_csp_violation("the unit's dashboard");

    // The plan.
    browser.goto(&item_page(&server, id));
    browser.assert_no_csp_violation("the item page");
    open_form(&browser, "form-submit_plan");
    fill(&browser, "form-submit_plan", "content", "细化为三个子项目");
    fill(&browser, "form-submit_plan", "goal", "年底前全面完成");
    fill(
        &browser,
        "form-submit_plan",
        "stages",
        "9月底前完成主体工作",
    );
    fill(&browser, "form-submit_plan", "deadline", "2020年12月31日");
    fill(&browser, "form-submit_plan", "leader", "吴福民");
    let done = submit(&browser, "form-submit_plan");
    assert!(done.contains("已完成操作：报送项目化推进计划"), "{done}");

    // The June report, with an attachment chosen in the file input.
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("六月进展.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n% progress evidence\n").expect("write the attachment");
    open_june_report(&browser);
    fill(
        &browser,
        "form-submit_report",
        "progress",
        "完成项目清单编制",
    );
    fill(&browser, "form-submit_report", "percent", "40");
    fill(
        &browser,
        "form-submit_report",
        "attachments",
        pdf.to_str().expect("utf-8 path"),
    );
    let done = submit(&browser, "form-submit_report");
    assert!(done.contains("已完成操作：报送月度进展"), "{done}");
    let body = browser.body_text();
    assert!(
        body.contains("六月进展.pdf"),
        "the attachment is listed in the history"
    );
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser/supervision-item.png");
    browser.screenshot(&shot);
    log_out(&browser, &server);

    // The office returns the report with a comment.
    log_in(&browser, &server, "duchashi");
    browser.goto(&item_page(&server, id));
    browser.assert_no_csp_violation("the office's item page");
    let blocks = browser.find_all("css selector", "div.review");
    let june = blocks
        .iter()
        .find(|b| browser.text(b).contains("2020-06"))
        .expect("the June report awaits review")
        .clone();
    let note = browser.find_all(
        "css selector",
        &format!(
            "#{} textarea[name=note]",
            browser.attribute(&june, "id").expect("id")
        ),
    );
    browser.type_into(&note[0], "请补充子项目完成情况");
    let june_id = browser.attribute(&june, "id").expect("id");
    let done = click_and_wait(
        &browser,
        &format!("#{june_id} form.stack button[type=submit]"),
    );
    assert!(done.contains("退回修改"), "{done}");
    log_out(&browser, &server);

    // The unit sees the comment and revises.
    log_in(&browser, &server, "fagaiwei");
    browser.goto(&item_page(&server, id));
    assert!(
        browser.body_text().contains("请补充子项目完成情况"),
        "the comment is shown"
    );
    open_june_report(&browser);
    fill(
        &browser,
        "form-submit_report",
        "progress",
        "三个子项目均已开工",
    );
    fill(&browser, "form-submit_report", "percent", "45");
    let done = submit(&browser, "form-submit_report");
    assert!(done.contains("报送月度进展"), "{done}");
    log_out(&browser, &server);

    // The office accepts the second round.
    log_in(&browser, &server, "duchashi");
    browser.goto(&item_page(&server, id));
    let blocks = browser.find_all("css selector", "div.review");
    let june = blocks
        .iter()
        .find(|b| browser.text(b).contains("2020-06") && browser.text(b).contains("第2稿"))
        .expect("the revision awaits review")
        .clone();
    let june_id = browser.attribute(&june, "id").expect("id");
    let done = click_and_wait(
        &browser,
        &format!("#{june_id} form.inline button[type=submit]"),
    );
    assert!(done.contains("审核通过"), "{done}");
    let (office_api, _) = Api::login(&server, "duchashi");
    let detail = office_api.get(&format!("/api/v1/supervision/items/{id}"));
    let reports: Vec<(String, String, i64)> = detail["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .filter(|r| r["period"] == "2020-06")
        .map(|r| {
            (
                r["status"].as_str().unwrap_or("").to_string(),
                r["kind"].as_str().unwrap_or("").to_string(),
                r["round"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        reports,
        [
            ("returned".to_string(), "monthly".to_string(), 1),
            ("accepted".to_string(), "monthly".to_string(), 2)
        ]
    );

    // The ledger downloads as a valid workbook; the unit fills one row and uploads it back.
    let bytes = unit_api.get_bytes(
        "/supervision/ledger.xlsx?doc=%E9%83%91%E6%94%BF%E5%8A%9E%E3%80%942020%E3%80%9529%E5%8F%B7",
    );
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("a valid .xlsx");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("the sheet");
    let mut rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "序号");
    for r in rows.iter_mut().skip(1) {
        if r[10] == id.to_string() {
            r[6] = "台账：三个子项目均已开工".into();
        }
    }
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&sheet).expect("sheet name");
    for (y, row) in rows.iter().enumerate() {
        for (x, v) in row.iter().enumerate() {
            ws.write_string(y as u32, x as u16, v).expect("cell");
        }
    }
    let upload = dir.path().join("台账.xlsx");
    std::fs::write(&upload, wb.save_to_buffer().expect("xlsx")).expect("write");
    log_out(&browser, &server);
    log_in(&browser, &server, "fagaiwei");
    browser.goto(&format!("{}/supervision/ledger", server.base));
    browser.assert_no_csp_violation("the ledger upload page");
    // The October batch: open for every item in July.
    browser.type_into(&browser.css("input[name=period]"), "2020-10");
    browser.type_into(
        &browser.css("input[name=file]"),
        upload.to_str().expect("path"),
    );
    browser.click(&browser.css("main form button[type=submit]"));
    let done = wait_for("the upload result", 100, || {
        browser
            .find_all("css selector", "#upload-done, #upload-error")
            .first()
            .map(|e| browser.text(e))
    });
    assert!(done.contains("已导入 1 行"), "{done}");
    let detail = unit_api.get(&format!("/api/v1/supervision/items/{id}"));
    assert!(detail["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .any(|r| r["kind"] == "ledger" && r["progress"] == "台账：三个子项目均已开工"));
}
