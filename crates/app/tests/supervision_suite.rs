//! Supervision on the case foundation (督办测试), on SQLite always and on PostgreSQL when
//! `TEST_DATABASE_URL` is set: items made from the gazette, the report–review cycle, stale
//! versions, access, clocks and reminders (once each, even with two servers), the outbox over
//! a real SMTP server, attachments, and the Excel ledger both ways.

mod common;

use chrono::NaiveDate;
use common::*;
use luoshi_app::cases::attachments::Upload;
use luoshi_app::cases::outbox::{DeliveryConfig, SmtpConfig};
use luoshi_app::cases::ActionInput;
use luoshi_app::demo::{system_viewer, SEED_TEXT};
use luoshi_app::supervision::views::{ClockOut, Filter, ItemDetail, ItemSummary};
use luoshi_app::supervision::ItemStatus;
use luoshi_app::{App, Options, Viewer};
use luoshi_domain::{ErrorKind, Role};
use luoshi_testkit::Smtp;
use std::sync::Arc;

const DOC_29: &str = "郑政办〔2020〕29号";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn open_on(db: &TestDb, today: &str, delivery: DeliveryConfig) -> Arc<App> {
    App::configure(
        luoshi_app::connect(&db.url).expect("connect"),
        Options {
            today: Some(day(today)),
            delivery,
            ..Options::default()
        },
    )
}

fn office(app: &App) -> Viewer {
    user(app, "duchashi", vec![Role::Supervision], None)
}

/// The clock of an item with this key (`plan`, `ledger:2021-01`, …).
fn clock<'a>(detail: &'a ItemDetail, key: &str) -> &'a ClockOut {
    detail
        .clocks
        .iter()
        .find(|k| k.key == key)
        .unwrap_or_else(|| panic!("no clock {key}"))
}

fn item(app: &App, viewer: &Viewer, doc: &str, no: i64) -> ItemSummary {
    app.supervision_items(
        viewer,
        &Filter {
            doc: Some(doc.into()),
            ..Filter::default()
        },
    )
    .unwrap()
    .iter()
    .find(|i| i.no == no)
    .cloned()
    .unwrap_or_else(|| panic!("{doc} item {no}"))
}

fn input(action: &str, version: i64, fields: &[(&str, &str)]) -> ActionInput {
    ActionInput {
        action: action.into(),
        version,
        note: None,
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect(),
        attachments: vec![],
    }
}

fn plan_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("content", "储备5G、工业互联网等新型基础设施项目"),
        ("goal", "全年谋划储备重大项目100个"),
        ("stages", "6月底前形成项目清单；9月底前完成前期工作"),
        ("deadline", "2020年12月31日"),
        ("leader", "吴福民"),
    ]
}

/// What the parser reads for the seed: the items supervision should make.
fn expected_items() -> usize {
    let issue = luoshi_gazette::parse(SEED_TEXT);
    let mut n = 0;
    for d in &issue.documents {
        if d.title.contains("预案") {
            continue;
        }
        let tasks = d
            .tasks
            .iter()
            .filter(|t| !t.leaders.is_empty() || !t.lead_units.is_empty() || !t.units.is_empty());
        let with_owners = tasks.count() + d.actions.len();
        if with_owners > 0 {
            n += with_owners;
            continue;
        }
        // Numbered measures: the highest number under a 措施 heading or in a 措施 title.
        let measure = |k: &luoshi_gazette::Clause| {
            k.marker.trim_end_matches(['.', '．']).parse::<usize>().ok()
        };
        let under_measures = d.outline.iter().filter(|k| {
            measure(k).is_some()
                && (d.title.contains("措施")
                    || d.outline.iter().any(|a| {
                        k.path.starts_with(&a.path)
                            && a.path != k.path
                            && (a.heading.contains("措施") || a.heading.contains("任务"))
                    }))
        });
        n += under_measures.count();
    }
    n
}

#[test]
fn importing_makes_every_owned_task_and_numbered_measure_an_item_once() {
    on_each_backend(|db| {
        let app = open_on(db, "2020-06-01", DeliveryConfig::default());
        let first = import_seed(&app);
        assert_eq!(first.supervision_items, expected_items());
        let again = import(&app, "copy.txt", &format!("{SEED_TEXT}\n")).unwrap();
        assert_eq!(again.supervision_items, 0, "re-importing changes nothing");
        let office = office(&app);
        let all = app.supervision_items(&office, &Filter::default()).unwrap();
        assert_eq!(all.len(), first.supervision_items);
        let by_doc = |doc: &str| all.iter().filter(|i| i.doc_no == doc).count();
        assert_eq!(by_doc(DOC_29), 146);
        assert_eq!(by_doc("郑政文〔2020〕59号"), 18);
        assert_eq!(by_doc("郑政办〔2020〕30号"), 4);
        // Measures whose text names no owner wait for the office.
        let measures_61 = all
            .iter()
            .filter(|i| i.doc_no == "郑政文〔2020〕61号")
            .count();
        assert_eq!(measures_61, 30, "61号 numbers its measures 1 to 30");
        assert!(all
            .iter()
            .filter(|i| i.doc_no == "郑政文〔2020〕61号")
            .all(|i| i.unassigned));
        assert_eq!(by_doc("郑政办〔2020〕23号"), 23);
        assert_eq!(
            by_doc("郑政办〔2020〕26号"),
            0,
            "a contingency plan is not supervised"
        );
        // Group mentions expand to member units, so a county sees county work.
        let item1 = item(&app, &office, DOC_29, 1);
        assert_eq!(item1.leaders, ["王新伟"]);
        assert_eq!(item1.lead_units[0].name, "市疫情防控办");
        assert!(item1.units.iter().any(|u| u.group), "{:?}", item1.units);
    });
}

#[test]
fn milestones_and_duties_are_dated_from_the_words() {
    on_each_backend(|db| {
        let app = open_on(db, "2020-06-01", DeliveryConfig::default());
        import_seed(&app);
        let office = office(&app);
        let rail = item(&app, &office, DOC_29, 62);
        let m = &rail.milestones[0];
        assert_eq!(m.due.as_deref(), Some("2020-06-30"));
        assert_eq!(m.source, "6月底前");
        assert!(m.text.contains("轨道交通三期"), "{}", m.text);
        let detail = app.supervision_item(&office, rail.id).unwrap();
        let keys: Vec<&str> = detail.clocks.iter().map(|k| k.key.as_str()).collect();
        assert!(keys.contains(&"plan"), "{keys:?}");
        assert!(keys.contains(&"monthly:2020-05"), "{keys:?}");
        assert!(keys.contains(&"ledger:2021-01"), "{keys:?}");
        let plan = clock(&detail, "plan");
        assert_eq!(plan.due_date, "2020-06-08");
        assert_eq!(plan.due_time.as_deref(), Some("17:00"));
        assert!(
            plan.explanation.contains("6月8日17时前"),
            "{}",
            plan.explanation
        );
        // 2021-01-10 is a Sunday: the office's default keeps the date and says so.
        let last = clock(&detail, "ledger:2021-01");
        assert_eq!(last.due_date, "2021-01-10");
        assert!(last.explanation.contains("不顺延"), "{}", last.explanation);
        let duties: Vec<&str> = detail.duties.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(duties, ["plan", "monthly", "ledger"]);
        // 30号's own dated words: 2022年6月底前 and 2023年2月底前.
        let transfer = item(&app, &office, "郑政办〔2020〕30号", 3);
        let dues: Vec<Option<&str>> = transfer
            .milestones
            .iter()
            .map(|m| m.due.as_deref())
            .collect();
        assert!(dues.contains(&Some("2022-06-30")), "{dues:?}");
        assert!(dues.contains(&Some("2023-02-28")), "{dues:?}");
    });
}

#[test]
fn a_unit_files_the_office_returns_the_unit_revises_the_office_accepts() {
    on_each_backend(|db| {
        let app = open_on(db, "2020-06-05", DeliveryConfig::default());
        import_seed(&app);
        let office = office(&app);
        let lead = user(&app, "fgw", vec![Role::UnitStaff], Some("dept.fgw"));
        let co = user(&app, "dsj", vec![Role::UnitStaff], Some("dept.dsj"));
        let other = user(&app, "jyj", vec![Role::UnitStaff], Some("dept.jyj"));
        let it = item(&app, &office, DOC_29, 5);
        assert_eq!(it.status, ItemStatus::NotStarted);

        // The co-unit cannot file the plan; another unit cannot even see the item.
        let e = app
            .supervision_act(
                &co,
                it.id,
                &input("submit_plan", it.version, &plan_fields()),
            )
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Forbidden);
        let e = app.supervision_item(&other, it.id).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Forbidden);
        assert!(!e.message.contains("5G"), "no content leaks: {}", e.message);
        assert!(app
            .supervision_items(&other, &Filter::default())
            .unwrap()
            .iter()
            .all(|i| i.id != it.id));

        // A missing field is refused and changes nothing.
        let e = app
            .supervision_act(
                &lead,
                it.id,
                &input("submit_plan", it.version, &[("content", "x")]),
            )
            .unwrap_err();
        assert_eq!(e.code, "E_INPUT");
        assert!(e.message.contains("总体目标"), "{}", e.message);
        assert_eq!(item(&app, &office, DOC_29, 5).version, it.version);

        // File, with an attachment.
        let mut plan = input("submit_plan", it.version, &plan_fields());
        plan.attachments.push(Upload {
            filename: "推进计划.pdf".into(),
            content: b"%PDF-1.4 plan".to_vec(),
        });
        let filed = app.supervision_act(&lead, it.id, &plan).unwrap();
        assert_eq!(filed.to_state, "in_progress");
        let detail = app.supervision_item(&office, it.id).unwrap();
        let report = detail.reports.last().unwrap();
        assert_eq!(report.report.status, "submitted");
        assert_eq!(
            detail.events.last().unwrap().attachments[0].filename,
            "推进计划.pdf"
        );
        assert!(detail
            .clocks
            .iter()
            .any(|k| k.key == "plan" && k.satisfied_at.is_some()));

        // A second tab still holding the old version is refused with 409; nothing lost.
        let e = app
            .supervision_act(
                &lead,
                it.id,
                &input("submit_plan", it.version, &plan_fields()),
            )
            .unwrap_err();
        assert_eq!((e.kind, e.code), (ErrorKind::Conflict, "E_STALE"));

        // The office returns it with a comment; the plan clock is open again.
        let mut ret = input(
            "return",
            filed.version,
            &[("report_id", &report.report.id.to_string())],
        );
        ret.note = Some("阶段目标需量化到季度".into());
        let returned = app.supervision_act(&office, it.id, &ret).unwrap();
        let detail = app.supervision_item(&lead, it.id).unwrap();
        assert_eq!(detail.reports.last().unwrap().report.status, "returned");
        assert!(detail
            .clocks
            .iter()
            .any(|k| k.key == "plan" && k.satisfied_at.is_none()));
        // The unit is told.
        app.deliver_outbox("test", 100).unwrap();
        let (notices, unread) = app.notices(&lead, 10).unwrap();
        assert!(unread >= 1);
        assert!(
            notices.iter().any(|n| n.subject.contains("退回修改")),
            "{notices:?}"
        );

        // The unit revises; the office accepts the second round.
        let revised = app
            .supervision_act(
                &lead,
                it.id,
                &input("submit_plan", returned.version, &plan_fields()),
            )
            .unwrap();
        let detail = app.supervision_item(&office, it.id).unwrap();
        let second = detail.reports.last().unwrap();
        assert_eq!(second.report.round, 2);
        let accepted = app
            .supervision_act(
                &office,
                it.id,
                &input(
                    "accept",
                    revised.version,
                    &[("report_id", &second.report.id.to_string())],
                ),
            )
            .unwrap();
        let detail = app.supervision_item(&office, it.id).unwrap();
        assert_eq!(detail.reports.last().unwrap().report.status, "accepted");
        assert_eq!(detail.item.version, accepted.version);
        let actions: Vec<&str> = detail.events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["submit_plan", "return", "submit_plan", "accept"]);
        // Every action is in the audit log, chained.
        let audit = app.audit_log(&system_viewer(), 50).unwrap();
        assert_eq!(
            audit
                .iter()
                .filter(|e| e.draft.action.starts_with("case.supervision."))
                .count(),
            4
        );
        assert!(app.verify_audit().unwrap().broken.is_none());
        // A co-unit contributes; the lead unit is told.
        app.supervision_act(
            &co,
            it.id,
            &input(
                "contribute",
                accepted.version,
                &[("progress", "已梳理大数据类项目12个")],
            ),
        )
        .unwrap();
    });
}

#[test]
fn a_failing_action_leaves_nothing_behind() {
    on_each_backend(|db| {
        let app = open_on(db, "2020-06-05", DeliveryConfig::default());
        import_seed(&app);
        let office = office(&app);
        let lead = user(&app, "fgw", vec![Role::UnitStaff], Some("dept.fgw"));
        let it = item(&app, &office, DOC_29, 5);
        let count = |sql: &str| raw_count(&app, sql);
        let before = (
            count("SELECT COUNT(*) FROM case_events"),
            count("SELECT COUNT(*) FROM sup_reports"),
            count("SELECT COUNT(*) FROM audit_log"),
            count("SELECT COUNT(*) FROM outbox"),
            count("SELECT COUNT(*) FROM attachments"),
        );
        // The report itself is valid up to the percentage, and the attachment is fine: the
        // hook refuses after the engine's checks, inside the transaction.
        let mut bad = input(
            "submit_report",
            it.version,
            &[
                ("period", "2020-05"),
                ("progress", "推进中"),
                ("percent", "150"),
            ],
        );
        bad.attachments.push(Upload {
            filename: "a.txt".into(),
            content: b"ok".to_vec(),
        });
        let e = app.supervision_act(&lead, it.id, &bad).unwrap_err();
        assert!(e.message.contains("0 至 100"), "{}", e.message);
        let after = (
            count("SELECT COUNT(*) FROM case_events"),
            count("SELECT COUNT(*) FROM sup_reports"),
            count("SELECT COUNT(*) FROM audit_log"),
            count("SELECT COUNT(*) FROM outbox"),
            count("SELECT COUNT(*) FROM attachments"),
        );
        assert_eq!(before, after);
        assert_eq!(item(&app, &office, DOC_29, 5).version, it.version);
        // An attachment that is not what its name says is refused before anything happens.
        let mut fake = input("submit_plan", it.version, &plan_fields());
        fake.attachments.push(Upload {
            filename: "x.pdf".into(),
            content: b"MZ".to_vec(),
        });
        assert_eq!(
            app.supervision_act(&lead, it.id, &fake).unwrap_err().code,
            "E_ATTACHMENT_TYPE"
        );
        // No reply before the state allows it: nothing to accept on a fresh item.
        let e = app
            .supervision_act(
                &office,
                it.id,
                &input("accept", it.version, &[("report_id", "1")]),
            )
            .unwrap_err();
        assert_eq!(e.code, "E_STATE");
    });
}

#[test]
fn the_clock_scan_read_in_batches_queues_what_one_read_of_every_clock_queues() {
    on_each_backend(|db| {
        // The same data in two databases; one scanned 25 clocks per query, the other with
        // every clock in one read. Two days: mid-year (reminders of every kind) and late in
        // the year (the office's overdue digest longer than the lines a digest lists).
        const BATCH: usize = 25;
        let other = db.another();
        let run = |db: &TestDb, batch: usize| {
            let app = open_on(db, "2020-06-20", DeliveryConfig::default());
            import_seed(&app);
            office(&app);
            user(&app, "fgw", vec![Role::UnitStaff], Some("dept.fgw"));
            user(&app, "wjw", vec![Role::UnitStaff], Some("dept.wjw"));
            let mut summaries = vec![app.scan_clocks_in_batches(batch).unwrap()];
            let later = open_on(db, "2020-11-30", DeliveryConfig::default());
            summaries.push(later.scan_clocks_in_batches(batch).unwrap());
            let outbox = TestDb::rows(
                &app,
                "SELECT dedupe_key, channel, recipient, user_id, subject, body, case_id, status \
                 FROM outbox ORDER BY dedupe_key",
            );
            let clocks = TestDb::rows(&app, "SELECT id, reminded FROM clocks ORDER BY id");
            (summaries, outbox, clocks)
        };
        let (batched, batched_outbox, batched_clocks) = run(db, BATCH);
        let (whole, whole_outbox, whole_clocks) = run(&other, usize::MAX);
        assert!(
            batched[0].clocks_seen > 3 * BATCH && batched[1].clocks_seen > 3 * BATCH,
            "the data set spans several batches: {batched:?}"
        );
        assert!(batched[0].reminders_queued > 0 && batched[1].reminders_queued > 0);
        assert!(
            batched_outbox.iter().any(|r| r
                .iter()
                .any(|v| matches!(v, luoshi_store::Value::Text(Some(t)) if t.contains("……另有")))),
            "a digest longer than its listed lines"
        );
        assert_eq!(batched, whole);
        assert_eq!(batched_outbox.len(), whole_outbox.len());
        for (b, w) in batched_outbox.iter().zip(&whole_outbox) {
            assert_eq!(b, w);
        }
        assert_eq!(batched_clocks, whole_clocks);
    });
}

#[test]
fn an_unfiled_report_turns_the_item_overdue_and_reminders_go_out_once() {
    on_each_backend(|db| {
        // Two servers on one database, both scanning on 2020-06-20.
        let a = open_on(db, "2020-06-20", DeliveryConfig::default());
        import_seed(&a);
        let b = open_on(db, "2020-06-20", DeliveryConfig::default());
        let office = office(&a);
        let lead = user(&a, "fgw", vec![Role::UnitStaff], Some("dept.fgw"));
        let (sa, sb) = std::thread::scope(|s| {
            let ha = s.spawn(|| a.scan_clocks().unwrap());
            let hb = s.spawn(|| b.scan_clocks().unwrap());
            (ha.join().unwrap(), hb.join().unwrap())
        });
        assert!(sa.reminders_queued + sb.reminders_queued > 0);
        let queued = raw_count(&a, "SELECT COUNT(*) FROM outbox");
        let again = a.scan_clocks().unwrap();
        assert_eq!(again.reminders_queued, 0);
        assert_eq!(raw_count(&a, "SELECT COUNT(*) FROM outbox"), queued);
        // Each key once: one overdue reminder per clock and recipient.
        assert_eq!(
            raw_count(&a, "SELECT COUNT(DISTINCT dedupe_key) FROM outbox"),
            queued
        );
        let it = item(&a, &office, DOC_29, 5);
        assert_eq!(it.status, ItemStatus::Overdue, "plan was due 2020-06-08");
        assert_eq!(it.status_label, "逾期未报");
        // Delivered by two workers at once: every notice once.
        std::thread::scope(|s| {
            s.spawn(|| while a.deliver_outbox("worker-a", 50).unwrap().claimed > 0 {});
            s.spawn(|| while b.deliver_outbox("worker-b", 50).unwrap().claimed > 0 {});
        });
        assert_eq!(
            raw_count(&a, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'"),
            queued
        );
        assert_eq!(
            raw_count(&a, "SELECT COUNT(*) FROM notices"),
            raw_count(&a, "SELECT COUNT(*) FROM outbox WHERE channel = 'notice'")
        );
        let (notices, _) = a.notices(&lead, 500).unwrap();
        assert!(
            notices.iter().any(|n| n.subject.contains("逾期")),
            "{:?}",
            &notices[..3.min(notices.len())]
        );
        // Filing both overdue reports puts the item back on track.
        let v = a
            .supervision_act(
                &lead,
                it.id,
                &input("submit_plan", it.version, &plan_fields()),
            )
            .unwrap()
            .version;
        let after_plan = item(&a, &office, DOC_29, 5);
        assert_eq!(
            after_plan.status,
            ItemStatus::Overdue,
            "the May report is still missing"
        );
        a.supervision_act(
            &lead,
            it.id,
            &input(
                "submit_report",
                v,
                &[
                    ("period", "2020-05"),
                    ("progress", "已启动"),
                    ("percent", "10"),
                ],
            ),
        )
        .unwrap();
        assert_eq!(item(&a, &office, DOC_29, 5).status, ItemStatus::InProgress);
    });
}

#[test]
fn the_office_extends_assigns_and_completes() {
    on_each_backend(|db| {
        let app = open_on(db, "2020-06-20", DeliveryConfig::default());
        import_seed(&app);
        let office = office(&app);
        let lead = user(&app, "scjgj", vec![Role::UnitStaff], Some("dept.scjg"));
        let measure = item(&app, &office, "郑政文〔2020〕61号", 1);
        assert!(measure.unassigned);
        // The office assigns an owner the text does not name; an unknown unit is refused.
        let e = app
            .supervision_act(
                &office,
                measure.id,
                &input("assign", measure.version, &[("lead_units", "不存在局")]),
            )
            .unwrap_err();
        assert_eq!(e.code, "E_UNIT_UNKNOWN");
        let assigned = app
            .supervision_act(
                &office,
                measure.id,
                &input("assign", measure.version, &[("lead_units", "市市场监管局")]),
            )
            .unwrap();
        let now_owned = item(&app, &lead, "郑政文〔2020〕61号", 1);
        assert_eq!(
            now_owned.lead_units[0].unit_id.as_deref(),
            Some("dept.scjg")
        );
        // Extend a due date with a reason: the explanation says who and why.
        let rail = item(&app, &office, DOC_29, 62);
        let mut ext = input(
            "extend",
            rail.version,
            &[("clock", "plan"), ("due", "2020-06-30")],
        );
        ext.note = Some("疫情影响，经分管领导同意".into());
        app.supervision_act(&office, rail.id, &ext).unwrap();
        let detail = app.supervision_item(&office, rail.id).unwrap();
        let plan = clock(&detail, "plan");
        assert_eq!(plan.due_date, "2020-06-30");
        assert!(
            plan.explanation.contains("疫情影响"),
            "{}",
            plan.explanation
        );
        // An earlier date is not an extension.
        let mut back = input(
            "extend",
            detail.item.version,
            &[("clock", "plan"), ("due", "2020-06-01")],
        );
        back.note = Some("x".into());
        assert_eq!(
            app.supervision_act(&office, rail.id, &back)
                .unwrap_err()
                .code,
            "E_INPUT"
        );
        // Complete: clocks stop, the item is 已完成, a unit cannot act any more.
        let v = app
            .supervision_act(
                &lead,
                measure.id,
                &input("submit_plan", assigned.version, &plan_fields()),
            )
            .unwrap()
            .version;
        let mut done = input("complete", v, &[]);
        done.note = Some("已全面落实".into());
        app.supervision_act(&office, measure.id, &done).unwrap();
        let finished = item(&app, &office, "郑政文〔2020〕61号", 1);
        assert_eq!(finished.status, ItemStatus::Completed);
        let e = app
            .supervision_act(
                &lead,
                measure.id,
                &input(
                    "submit_report",
                    finished.version,
                    &[("period", "2020-06"), ("progress", "x"), ("percent", "100")],
                ),
            )
            .unwrap_err();
        assert_eq!(e.code, "E_STATE");
    });
}

#[test]
fn the_ledger_downloads_as_xlsx_and_uploads_back_all_or_nothing() {
    use calamine::Reader;
    on_each_backend(|db| {
        let app = open_on(db, "2020-07-05", DeliveryConfig::default());
        import_seed(&app);
        let lead = user(&app, "fgw", vec![Role::UnitStaff], Some("dept.fgw"));
        let bytes = app.supervision_ledger(&lead, Some(DOC_29)).unwrap();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(book.sheet_names(), [DOC_29]);
        let range = book.worksheet_range(DOC_29).unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            header[..10],
            [
                "序号",
                "工作任务",
                "责任领导",
                "牵头单位",
                "责任单位",
                "时间节点",
                "进展情况",
                "存在问题",
                "下一步打算",
                "状态"
            ]
        );
        let mine = app
            .supervision_items(
                &lead,
                &Filter {
                    doc: Some(DOC_29.into()),
                    ..Filter::default()
                },
            )
            .unwrap();
        assert_eq!(range.rows().count() - 1, mine.len());

        // Fill two rows the unit leads, write the workbook back.
        let led: Vec<&ItemSummary> = mine
            .iter()
            .filter(|i| {
                i.lead_units
                    .iter()
                    .any(|u| u.unit_id.as_deref() == Some("dept.fgw"))
            })
            .take(2)
            .collect();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let write = |rows: &[Vec<String>]| {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            ws.set_name(DOC_29).unwrap();
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    ws.write_string(r as u32, c as u16, v).unwrap();
                }
            }
            wb.save_to_buffer().unwrap()
        };
        let mut filled = rows.clone();
        for r in filled.iter_mut().skip(1) {
            if led.iter().any(|i| r[10] == i.id.to_string()) {
                r[6] = "已完成项目清单编制".into();
                r[7] = "资金缺口较大".into();
                r[8] = "争取专项债券".into();
            }
        }
        // One bad row: a unit may not report for an item it does not lead.
        let mut bad = filled.clone();
        let foreign = bad
            .iter_mut()
            .skip(1)
            .find(|r| !led.iter().any(|i| r[10] == i.id.to_string()))
            .unwrap();
        foreign[6] = "越权填报".into();
        let e = app
            .supervision_upload_ledger(&lead, "2020-07", &write(&bad))
            .unwrap_err();
        assert_eq!(e.code, "E_LEDGER_ROWS");
        assert!(e.message.contains("第"), "{}", e.message);
        assert_eq!(
            raw_count(&app, "SELECT COUNT(*) FROM sup_reports"),
            0,
            "nothing applied"
        );
        // Not a spreadsheet at all.
        assert_eq!(
            app.supervision_upload_ledger(&lead, "2020-07", b"not xlsx")
                .unwrap_err()
                .code,
            "E_XLSX"
        );

        let done = app
            .supervision_upload_ledger(&lead, "2020-07", &write(&filled))
            .unwrap();
        assert_eq!(done.applied, 2);
        let detail = app.supervision_item(&lead, led[0].id).unwrap();
        assert_eq!(
            detail.reports.last().unwrap().report.progress,
            "已完成项目清单编制"
        );
        assert!(detail
            .clocks
            .iter()
            .any(|k| k.key == "ledger:2020-07" && k.satisfied_at.is_some()));
        // The download now carries the progress.
        let again = app.supervision_ledger(&lead, Some(DOC_29)).unwrap();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(again)).unwrap();
        let range = book.worksheet_range(DOC_29).unwrap();
        assert!(range.rows().any(|r| r[6] == "已完成项目清单编制"));
    });
}

/// On 2020-06-09, delivering as configured: the seed imported, the staff `yqfk` of
/// 市疫情防控办 given an e-mail address, and the clocks scanned so that its overdue
/// reminders wait in the outbox.
fn reminders_queued(db: &TestDb, delivery: DeliveryConfig) -> Arc<App> {
    let app = open_on(db, "2020-06-09", delivery);
    import_seed(&app);
    let lead = user(&app, "yqfk", vec![Role::UnitStaff], Some("body.yqfk"));
    let Viewer::User(u) = &lead else {
        unreachable!()
    };
    app.set_email(&system_viewer(), u.id, Some("yqfk@example.gov.cn"))
        .unwrap();
    app.scan_clocks().unwrap();
    app
}

#[test]
fn an_overdue_reminder_reaches_a_real_smtp_server_once() {
    let smtp = Smtp::start();
    let delivery = DeliveryConfig {
        smtp: Some(SmtpConfig {
            url: smtp.url(),
            from: "落实 <luoshi@example.gov.cn>".into(),
        }),
        webhook: None,
    };
    on_each_backend(|db| {
        let app = reminders_queued(db, delivery.clone());
        let before = smtp.received().len();
        while app.deliver_outbox("w", 200).unwrap().claimed > 0 {}
        // Delivering again sends nothing more.
        assert_eq!(app.deliver_outbox("w", 200).unwrap().claimed, 0);
        let mails = smtp.received();
        let new: Vec<&String> = mails[before..].iter().collect();
        let sent = raw_count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'sent'",
        );
        assert!(sent > 0);
        assert_eq!(
            new.len() as i64,
            sent,
            "each e-mail row arrives exactly once"
        );
        assert!(new.iter().all(|m| m.contains("yqfk@example.gov.cn")));
        assert!(
            new.iter().any(|m| m.contains("Subject: =?utf-8?")),
            "Chinese subjects are encoded"
        );
        assert!(raw_count(&app, "SELECT COUNT(*) FROM outbox_attempts WHERE ok = TRUE") >= sent);
    });
}

#[test]
fn an_unreachable_smtp_server_is_retried_with_backoff_and_every_try_recorded() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let delivery = DeliveryConfig {
        smtp: Some(SmtpConfig {
            url: format!("smtp://127.0.0.1:{port}"),
            from: "luoshi@example.gov.cn".into(),
        }),
        webhook: None,
    };
    on_each_backend(|db| {
        let app = reminders_queued(db, delivery.clone());
        let round = app.deliver_outbox("w", 500).unwrap();
        assert!(round.retried > 0);
        let pending: i64 = raw_count(&app, "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'pending' AND attempts = 1");
        assert_eq!(pending as usize, round.retried);
        assert!(
            raw_count(
                &app,
                "SELECT COUNT(*) FROM outbox_attempts WHERE ok = FALSE"
            ) >= pending
        );
        // Not due again yet: the back-off holds them.
        assert_eq!(app.deliver_outbox("w", 500).unwrap().claimed, 0);
    });
}

#[test]
fn the_office_setting_moves_a_due_date_on_a_rest_day_and_the_explanation_says_so() {
    on_each_backend(|db| {
        let app = open_on(db, "2020-06-01", DeliveryConfig::default());
        import_seed(&app);
        let office = office(&app);
        let lead = user(&app, "fgw", vec![Role::UnitStaff], Some("dept.fgw"));
        assert!(!app.supervision_postpones().unwrap());
        // Units may not change the office's setting.
        assert_eq!(
            app.set_supervision_rest_day_policy(&lead, true)
                .unwrap_err()
                .kind,
            ErrorKind::Forbidden
        );
        let moved = app.set_supervision_rest_day_policy(&office, true).unwrap();
        assert!(moved > 0);
        let rail = item(&app, &office, DOC_29, 62);
        let detail = app.supervision_item(&office, rail.id).unwrap();
        // 2021-01-10 is a Sunday: moved to Monday 2021-01-11.
        let last = clock(&detail, "ledger:2021-01");
        assert_eq!(last.due_date, "2021-01-11");
        assert!(
            last.explanation.contains("顺延至下一工作日"),
            "{}",
            last.explanation
        );
        // A working day is untouched: 2020-10-10 was a make-up working Saturday.
        let oct = clock(&detail, "ledger:2020-10");
        assert_eq!(oct.due_date, "2020-10-10");
        // And back.
        app.set_supervision_rest_day_policy(&office, false).unwrap();
        let detail = app.supervision_item(&office, rail.id).unwrap();
        let last = clock(&detail, "ledger:2021-01");
        assert_eq!(last.due_date, "2021-01-10");
    });
}

#[test]
fn a_derived_page_is_reused_until_an_action_changes_supervision_and_kept_apart_per_scope() {
    on_each_backend(|db| {
        let app = open_on(db, "2020-06-05", DeliveryConfig::default());
        import_seed(&app);
        let office = office(&app);
        let lead = user(&app, "fgw", vec![Role::UnitStaff], Some("dept.fgw"));
        let builds = std::cell::Cell::new(0);
        let derive = |viewer: &Viewer| {
            app.supervision_derived(viewer, "test.count", || {
                builds.set(builds.get() + 1);
                Ok(app.supervision_items(viewer, &Filter::default())?.len())
            })
            .unwrap()
        };
        let all = *derive(&office);
        let mine = *derive(&lead);
        assert!(
            mine < all,
            "a unit's page is built from its own items: {mine} of {all}"
        );
        assert_eq!(builds.get(), 2);
        assert_eq!(*derive(&office), all);
        assert_eq!(*derive(&lead), mine);
        assert_eq!(builds.get(), 2, "nothing changed: both reused");

        let it = item(&app, &office, DOC_29, 5);
        app.supervision_act(
            &lead,
            it.id,
            &input("submit_plan", it.version, &plan_fields()),
        )
        .unwrap();
        derive(&office);
        assert_eq!(builds.get(), 3, "the action made the office's page stale");
    });
}
