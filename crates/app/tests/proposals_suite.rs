//! Proposal handling on the case foundation (建议提案测试), on SQLite always and on PostgreSQL
//! when `TEST_DATABASE_URL` is set: a proposal from registration to disclosure, checked
//! transitions, returns within 15 days, two users acting at once, redo keeping every round, the
//! formal city reply of province items, the leader's instruction first, delay explanations, the
//! five standards with their items, bulk registration all or nothing, reminders, and disclosure
//! that never shows personal data (planted values).

mod common;

use chrono::NaiveDate;
use common::*;
use luoshi_app::cases::outbox::DeliveryConfig;
use luoshi_app::cases::{Acted, ActionInput};
use luoshi_app::proposals::register::{NewProposal, NewProposer};
use luoshi_app::proposals::standards::Side;
use luoshi_app::proposals::views::Filter;
use luoshi_app::proposals::xlsx::workbook;
use luoshi_app::{App, Options, Viewer};
use luoshi_domain::{Error, Role};
use luoshi_store::proposals::PublicFilter;
use serde_json::{json, Value};
use std::sync::Arc;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn open_on(db: &TestDb, today: &str) -> Arc<App> {
    App::configure(
        luoshi_app::connect(&db.url).expect("connect"),
        Options {
            today: Some(day(today)),
            delivery: DeliveryConfig::default(),
            ..Options::default()
        },
    )
}

fn leader(app: &App, name: &str, leader_name: &str) -> Viewer {
    let mut u = new_user(name, vec![Role::Leader], None);
    u.leader_name = Some(leader_name.into());
    Viewer::User(app.add_user("system", u).expect("add leader"))
}

/// The people of one test: the office, two staff of the lead unit (drafter and the leader who
/// reviews), a co-unit, another unit, the vice-mayor and a deputy with an account.
struct People {
    office: Viewer,
    drafter: Viewer,
    reviewer: Viewer,
    co: Viewer,
    other: Viewer,
    mayor: Viewer,
    deputy: Viewer,
}

fn people(app: &App) -> People {
    People {
        office: user(app, "jianyi", vec![Role::Proposals], None),
        drafter: user(app, "jtj-a", vec![Role::UnitStaff], Some("dept.jtj")),
        reviewer: user(app, "jtj-b", vec![Role::UnitStaff], Some("dept.jtj")),
        co: user(app, "cjj", vec![Role::UnitStaff], Some("dept.cjj")),
        other: user(app, "wjw", vec![Role::UnitStaff], Some("dept.wjw")),
        mayor: leader(app, "vm", "吴福民"),
        deputy: user(app, "daibiao", vec![Role::Deputy], None),
    }
}

fn entry(number: &str, subject: &str, source: &str, kind: &str) -> NewProposal {
    NewProposal {
        year: 2020,
        number: number.into(),
        source: source.into(),
        kind: kind.into(),
        session: "会议期间".into(),
        session_name: "市十五届人大四次会议".into(),
        key_item: false,
        needs_instruction: false,
        subject: subject.into(),
        text: format!("{subject}。具体建议如下……"),
        proposers: vec![
            NewProposer {
                name: "欧阳明远".into(),
                affiliation: "金水区代表团".into(),
                contact: "13803712345".into(),
                username: Some("daibiao".into()),
                ..NewProposer::default()
            },
            NewProposer {
                name: "李红".into(),
                affiliation: "金水区代表团".into(),
                contact: "lihong@example.com".into(),
                ..NewProposer::default()
            },
        ],
    }
}

fn register(app: &App, p: &People, e: &NewProposal) -> i64 {
    app.proposal_register(&p.office, e).expect("register").id
}

/// Proposals handled on 2020-05-22 (the session's registration day) with the seed imported,
/// and the people of one test.
fn opened(db: &TestDb) -> (Arc<App>, People) {
    let app = open_on(db, "2020-05-22");
    import_seed(&app);
    let p = people(&app);
    (app, p)
}

/// Register a 建议 of 市人大 as the office: its id.
fn suggestion(app: &App, p: &People, number: &str, subject: &str) -> i64 {
    register(app, p, &entry(number, subject, "市人大", "建议"))
}

/// [`opened`], with one 建议 of 市人大 registered by the office: its id.
fn registered(db: &TestDb, number: &str, subject: &str) -> (Arc<App>, People, i64) {
    let (app, p) = opened(db);
    let id = suggestion(&app, &p, number, subject);
    (app, p, id)
}

fn version(app: &App, id: i64) -> i64 {
    app.store
        .read(|c| luoshi_store::cases::get_case(c, id))
        .unwrap()
        .unwrap()
        .version
}

fn state(app: &App, id: i64) -> String {
    app.store
        .read(|c| luoshi_store::cases::get_case(c, id))
        .unwrap()
        .unwrap()
        .state
}

fn input(action: &str, version: i64, fields: Value, note: Option<&str>) -> ActionInput {
    ActionInput {
        action: action.into(),
        version,
        note: note.map(str::to_string),
        fields: fields.as_object().cloned().unwrap_or_default(),
        attachments: vec![],
    }
}

/// Take an action at the item's current version.
fn act(
    app: &App,
    who: &Viewer,
    id: i64,
    action: &str,
    fields: Value,
    note: Option<&str>,
) -> Result<Acted, Error> {
    app.proposal_act(who, id, &input(action, version(app, id), fields, note))
}

/// 第七条: `who` asks to return the item as outside its remit, for `reason`.
fn request_return(app: &App, who: &Viewer, id: i64, reason: &str) -> Result<Acted, Error> {
    act(app, who, id, "request-return", json!({}), Some(reason))
}

fn code(r: Result<Acted, Error>) -> &'static str {
    r.expect_err("should be refused").code
}

fn assign(app: &App, p: &People, id: i64, co: bool) {
    let mut f = json!({"lead_unit": "dept.jtj", "leader": "吴福民"});
    if co {
        f["co_units"] = json!(["dept.cjj"]);
    }
    act(app, &p.office, id, "assign", f, None).expect("assign");
}

fn reply_fields(text: &str) -> Value {
    json!({"class": "A", "outcome": "基本解决", "text": text, "signer": "王局长",
           "summary": "已将相关线路纳入规划。"})
}

/// Reply and have it reviewed until it goes out.
fn reply_and_send(app: &App, p: &People, id: i64, text: &str) {
    act(app, &p.drafter, id, "reply", reply_fields(text), None).expect("reply");
    act(app, &p.reviewer, id, "approve", json!({}), None).expect("unit leader approves");
    if state(app, id) == "leader_review" {
        act(app, &p.mayor, id, "approve", json!({}), None).expect("vice-mayor approves");
    }
    assert_eq!(state(app, id), "replied");
}

fn count(app: &App, sql: &str) -> i64 {
    raw_count(app, sql)
}

#[test]
fn a_proposal_goes_from_registration_to_public_disclosure() {
    on_each_backend(|db| {
        let (app, p) = opened(db);
        let audit_before = count(&app, "SELECT COUNT(*) FROM audit_log");
        let id = suggestion(&app, &p, "0101", "关于加快轨道交通三期建设的建议");
        assert_eq!(state(&app, id), "registered");
        assign(&app, &p, id, true);
        // 第七条 十五日内 from 2020-05-22: 06-06 is a Saturday, so 06-08; 第十九条 3个月: 08-24.
        let inbox = app.proposal_inbox(&p.drafter, None).unwrap();
        let it = inbox
            .items
            .iter()
            .find(|s| s.id == id)
            .expect("in the lead unit's inbox");
        assert_eq!(it.return_due.as_deref(), Some("2020-06-08"));
        assert_eq!(it.reply_due.as_deref(), Some("2020-08-24"));
        let why = it.reply_explanation.as_deref().unwrap();
        assert!(
            why.contains("第十九条") && why.contains("第二百零三条"),
            "{why}"
        );
        assert!(it.return_explanation.as_deref().unwrap().contains("第七条"));
        assert_eq!(it.todo, ["待会签：郑州市城乡建设局"]);
        let co_inbox = app.proposal_inbox(&p.co, None).unwrap();
        assert_eq!(co_inbox.items[0].todo, ["待送会签意见"]);
        assert!(app.proposal_inbox(&p.other, None).unwrap().items.is_empty());
        assert!(
            app.proposal_detail(&p.other, id).is_err(),
            "another unit sees nothing"
        );
        // The reply waits for the co-unit's opinion (会签).
        assert_eq!(
            code(act(
                &app,
                &p.drafter,
                id,
                "reply",
                reply_fields("答复"),
                None
            )),
            "E_COSIGN_MISSING"
        );
        app.clock.set_today(day("2020-06-15"));
        act(
            &app,
            &p.co,
            id,
            "cosign",
            json!({"opinion": "同意主办单位意见"}),
            None,
        )
        .unwrap();
        act(
            &app,
            &p.drafter,
            id,
            "record-meeting",
            json!({"met_date": "2020-06-12", "form": "座谈会", "summary": "与代表当面交流线路规划"}),
            None,
        )
        .unwrap();
        act(
            &app,
            &p.drafter,
            id,
            "reply",
            reply_fields("经研究，已纳入规划。"),
            None,
        )
        .unwrap();
        // 第九条: not the drafter; several departments then the vice-mayor.
        assert_eq!(
            code(act(&app, &p.drafter, id, "approve", json!({}), None)),
            "E_SAME_PERSON"
        );
        act(&app, &p.reviewer, id, "approve", json!({}), None).unwrap();
        assert_eq!(state(&app, id), "leader_review");
        assert_eq!(
            code(act(&app, &p.reviewer, id, "approve", json!({}), None)),
            "E_FORBIDDEN"
        );
        act(&app, &p.mayor, id, "approve", json!({}), None).unwrap();
        assert_eq!(state(&app, id), "replied");
        // The proposer sees their item and rates it online.
        let mine = app.proposal_list(&p.deputy, &Filter::default()).unwrap();
        assert_eq!(mine.iter().map(|s| s.id).collect::<Vec<_>>(), [id]);
        act(
            &app,
            &p.deputy,
            id,
            "feedback",
            json!({"rating": "满意", "comment": "很好"}),
            None,
        )
        .unwrap();
        assert_eq!(state(&app, id), "evaluated");
        act(
            &app,
            &p.drafter,
            id,
            "publish",
            json!({"mode": "full"}),
            None,
        )
        .unwrap();
        act(&app, &p.office, id, "close", json!({}), None).unwrap();
        assert_eq!(state(&app, id), "closed");
        let public = app.public_replies(&PublicFilter::default()).unwrap();
        assert_eq!(public.len(), 1);
        assert_eq!(public[0].unit_name, "郑州市交通运输局");
        assert_eq!(public[0].class, "A");
        assert_eq!(public[0].text, "经研究，已纳入规划。");
        let d = app.proposal_detail(&p.office, id).unwrap();
        assert_eq!(d.item.due_status, "met");
        assert_eq!(d.item.satisfaction.as_deref(), Some("satisfied"));
        assert_eq!(
            d.replies[0].reply.copies,
            [
                "市政府分管副市长",
                "市人大选任联工委",
                "市政府办公厅建议提案处"
            ]
        );
        // Every step is in the history and the audit log.
        let actions: Vec<&str> = d.events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "register",
                "assign",
                "cosign",
                "record-meeting",
                "reply",
                "approve",
                "approve",
                "feedback",
                "publish",
                "close"
            ]
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM audit_log") - audit_before,
            actions.len() as i64
        );
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}' \
                                  AND action LIKE 'case.proposal.%'"
                )
            ),
            actions.len() as i64
        );
        // Reminders went out at assignment, reply and feedback.
        while app.deliver_outbox("w", 200).unwrap().claimed > 0 {}
        let (unit_notices, _) = app.notices(&p.drafter, 100).unwrap();
        assert!(unit_notices
            .iter()
            .any(|n| n.subject.starts_with("【交办】")));
        assert!(unit_notices
            .iter()
            .any(|n| n.subject.starts_with("【反馈：满意】")));
        let (deputy_notices, _) = app.notices(&p.deputy, 100).unwrap();
        assert!(deputy_notices
            .iter()
            .any(|n| n.subject.starts_with("【答复】")));
        let (mayor_notices, _) = app.notices(&p.mayor, 100).unwrap();
        assert!(mayor_notices
            .iter()
            .any(|n| n.subject.starts_with("【答复待审核】")));
        // After close nothing but disclosure is open.
        for (who, action) in [
            (&p.drafter, "reply"),
            (&p.co, "cosign"),
            (&p.deputy, "feedback"),
            (&p.office, "amend"),
            (&p.office, "redo"),
        ] {
            assert_eq!(
                code(act(
                    &app,
                    who,
                    id,
                    action,
                    json!({"opinion": "x", "rating": "满意", "due": "2020-12-01", "class": "A", "text": "x", "signer": "x", "subject": "新题目"}),
                    Some("x")
                )),
                "E_STATE",
                "{action} after close"
            );
        }
    });
}

#[test]
fn transitions_are_checked_and_a_unit_never_forwards() {
    on_each_backend(|db| {
        let (app, p, id) = registered(db, "0102", "关于优化公交线网的建议");
        // No reply before assignment; only the office assigns.
        assert_eq!(
            code(act(&app, &p.drafter, id, "reply", reply_fields("x"), None)),
            "E_FORBIDDEN"
        );
        assert_eq!(
            code(act(&app, &p.office, id, "reply", reply_fields("x"), None)),
            "E_FORBIDDEN",
            "the office does not reply for a unit"
        );
        assign(&app, &p, id, false);
        assert_eq!(
            code(act(
                &app,
                &p.drafter,
                id,
                "assign",
                json!({"lead_unit": "dept.wjw"}),
                None
            )),
            "E_FORBIDDEN",
            "第七条: 接办部门不得自行交送其他单位承办"
        );
        // Day 17: past the window (06-08), the unit keeps it.
        app.clock.set_today(day("2020-06-09"));
        assert_eq!(
            code(request_return(&app, &p.drafter, id, "不属于本局职责")),
            "E_RETURN_LATE"
        );
        // On the last day the request is in time; refused, it cannot be asked again.
        app.clock.set_today(day("2020-06-08"));
        request_return(&app, &p.drafter, id, "不属于本局职责").unwrap();
        assert_eq!(state(&app, id), "return_requested");
        assert_eq!(
            code(act(&app, &p.drafter, id, "reply", reply_fields("x"), None)),
            "E_STATE",
            "no reply while the return is pending"
        );
        act(
            &app,
            &p.office,
            id,
            "refuse-return",
            json!({}),
            Some("属于交通运输局职责"),
        )
        .unwrap();
        assert_eq!(state(&app, id), "assigned");
        assert_eq!(
            code(request_return(&app, &p.drafter, id, "再次申请")),
            "E_RETURN_REFUSED"
        );
        // Bad input changes nothing.
        let v = version(&app, id);
        for (fields, want) in [
            (json!({"class": "E", "text": "x", "signer": "x"}), "E_INPUT"),
            (
                json!({"class": "A", "outcome": "不宜解决留作参考", "text": "x", "signer": "x"}),
                "E_INPUT",
            ),
            (json!({"class": "A", "text": "x"}), "E_INPUT"),
        ] {
            assert_eq!(code(act(&app, &p.drafter, id, "reply", fields, None)), want);
        }
        assert_eq!(
            code(act(
                &app,
                &p.drafter,
                id,
                "record-meeting",
                json!({"met_date": "2020-06-01", "form": "电话", "summary": "x"}),
                None
            )),
            "E_INPUT",
            "a phone call is not 见面沟通"
        );
        assert_eq!(version(&app, id), v);
        assert_eq!(
            code(act(&app, &p.office, id, "no-such", json!({}), None)),
            "E_ACTION_UNKNOWN"
        );
    });
}

#[test]
fn an_approved_return_goes_back_to_the_office_and_a_new_round_starts() {
    on_each_backend(|db| {
        let (app, p, id) = registered(db, "0103", "关于社区医院建设的建议");
        assign(&app, &p, id, true);
        app.clock.set_today(day("2020-05-29"));
        // A co-unit's request leaves the state alone; approved, it leaves the item.
        request_return(&app, &p.co, id, "非本单位职责").unwrap();
        assert_eq!(state(&app, id), "assigned");
        act(&app, &p.office, id, "approve-return", json!({}), None).unwrap();
        assert!(app.proposal_inbox(&p.co, None).unwrap().items.is_empty());
        request_return(&app, &p.drafter, id, "应由卫健委办理").unwrap();
        act(
            &app,
            &p.office,
            id,
            "approve-return",
            json!({}),
            Some("同意"),
        )
        .unwrap();
        assert_eq!(state(&app, id), "returned");
        assert!(app
            .proposal_inbox(&p.drafter, None)
            .unwrap()
            .items
            .is_empty());
        app.clock.set_today(day("2020-06-01"));
        act(
            &app,
            &p.office,
            id,
            "assign",
            json!({"lead_unit": "郑州市卫生健康委员会"}),
            None,
        )
        .unwrap();
        let d = app.proposal_detail(&p.other, id).unwrap();
        assert_eq!(d.rounds.len(), 2);
        assert_eq!(d.rounds[0].round.outcome.as_deref(), Some("returned"));
        assert_eq!(
            d.rounds[0].round.reply_due, "2020-08-24",
            "the first round is kept as it was"
        );
        assert_eq!(d.rounds[1].round.reason, "reassign");
        assert_eq!(d.rounds[1].round.received_date, "2020-06-01");
        assert_eq!(d.item.reply_due.as_deref(), Some("2020-09-01"));
        assert_eq!(d.item.lead_unit.as_ref().unwrap().id, "dept.wjw");
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM clocks WHERE case_id = {id} AND stopped_at IS NOT NULL"
                )
            ),
            1
        );
    });
}

#[test]
fn two_users_acting_at_once_one_wins_the_other_is_told_and_nothing_is_lost() {
    on_each_backend(|db| {
        let (app, p) = opened(db);
        let second = user(&app, "jianyi2", vec![Role::Proposals], None);
        let id = suggestion(&app, &p, "0104", "关于停车场建设的建议");
        assign(&app, &p, id, false);
        request_return(&app, &p.drafter, id, "理由").unwrap();
        let v = version(&app, id);
        let events_before = count(
            &app,
            &format!("SELECT COUNT(*) FROM case_events WHERE case_id = {id}"),
        );
        let (a, b) = std::thread::scope(|s| {
            let ha = s.spawn(|| {
                app.proposal_act(&p.office, id, &input("approve-return", v, json!({}), None))
            });
            let hb = s.spawn(|| {
                app.proposal_act(
                    &second,
                    id,
                    &input("refuse-return", v, json!({}), Some("不同意")),
                )
            });
            (ha.join().unwrap(), hb.join().unwrap())
        });
        let (won, lost) = match (a, b) {
            (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
            other => panic!("exactly one should win: {other:?}"),
        };
        assert_eq!(lost.code, "E_STALE", "{lost:?}");
        assert_eq!(lost.kind, luoshi_domain::ErrorKind::Conflict);
        assert!(lost.message.contains("未丢失"));
        assert_eq!(won.version, v + 1);
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) FROM case_events WHERE case_id = {id}")
            ),
            events_before + 1
        );
        assert_eq!(
            count(
                &app,
                &format!(
            "SELECT COUNT(*) FROM prop_returns WHERE case_id = {id} AND status <> 'pending'")
            ),
            1
        );
        // The loser retries on the fresh version and is told the state moved on.
        let retry = act(
            &app,
            &second,
            id,
            "refuse-return",
            json!({}),
            Some("不同意"),
        );
        assert!(retry.is_err());
    });
}

#[test]
fn dissatisfaction_sends_it_back_for_redo_and_every_round_is_kept() {
    on_each_backend(|db| {
        let (app, p, id) = registered(db, "0105", "关于老旧小区加装电梯的建议");
        assign(&app, &p, id, false);
        app.clock.set_today(day("2020-07-01"));
        reply_and_send(&app, &p, id, "第一次答复：列入计划。");
        assert_eq!(
            code(act(
                &app,
                &p.deputy,
                id,
                "feedback",
                json!({"rating": "不满意"}),
                None
            )),
            "E_INPUT",
            "不满意 needs a comment"
        );
        // The office enters the paper form (征求意见表) for the deputy.
        act(
            &app,
            &p.office,
            id,
            "feedback",
            json!({"rating": "不满意", "comment": "未解决实际问题"}),
            None,
        )
        .unwrap();
        assert_eq!(state(&app, id), "dissatisfied");
        assert_eq!(
            code(act(
                &app,
                &p.office,
                id,
                "redo",
                json!({"due": "2020-06-30"}),
                Some("重新办理")
            )),
            "E_INPUT",
            "a limit in the past"
        );
        act(
            &app,
            &p.office,
            id,
            "redo",
            json!({"due": "2020-08-31"}),
            Some("请与代表再次沟通"),
        )
        .unwrap();
        assert_eq!(state(&app, id), "assigned");
        app.clock.set_today(day("2020-08-10"));
        reply_and_send(&app, &p, id, "第二次答复：已解决。");
        act(
            &app,
            &p.deputy,
            id,
            "feedback",
            json!({"rating": "基本满意"}),
            None,
        )
        .unwrap();
        let d = app.proposal_detail(&p.office, id).unwrap();
        assert_eq!(d.rounds.len(), 2);
        assert_eq!(d.rounds[1].round.reason, "redo");
        assert_eq!(d.rounds[1].round.reply_due, "2020-08-31");
        assert!(d.rounds[1].reply_explanation.contains("第十条"));
        assert_eq!(d.replies.len(), 2);
        assert_eq!(
            d.replies[0].reply.text, "第一次答复：列入计划。",
            "a redo never overwrites"
        );
        assert_eq!(d.replies[0].reply.sent_date.as_deref(), Some("2020-07-01"));
        assert_eq!(d.replies[1].reply.text, "第二次答复：已解决。");
        assert_eq!(d.records.feedback.len(), 2);
        assert_eq!(d.records.feedback[0].channel, "paper");
        assert_eq!(d.records.feedback[1].channel, "online");
        assert_eq!(d.item.satisfaction.as_deref(), Some("basically_satisfied"));
    });
}

#[test]
fn a_province_item_becomes_a_formal_city_reply_signed_by_the_vice_mayor() {
    on_each_backend(|db| {
        let (app, p) = opened(db);
        let mut e = entry("省0201", "关于支持郑州航空港建设的建议", "省人大", "建议");
        e.proposers.truncate(1);
        let id = register(&app, &p, &e);
        assign(&app, &p, id, false);
        reply_and_send(&app, &p, id, "办理意见：已推进。");
        act(
            &app,
            &p.deputy,
            id,
            "feedback",
            json!({"rating": "满意"}),
            None,
        )
        .unwrap();
        assert_eq!(
            code(act(&app, &p.office, id, "close", json!({}), None)),
            "E_FORMAL_MISSING"
        );
        act(&app, &p.office, id, "compile-formal",
            json!({"formal_text": "郑州市人民政府关于省人大代表建议的答复……", "letter_no": "郑政函〔2020〕88号"}),
            None).unwrap();
        assert_eq!(state(&app, id), "formal_review");
        act(&app, &p.mayor, id, "approve", json!({}), None).unwrap();
        assert_eq!(state(&app, id), "formal_replied");
        let d = app.proposal_detail(&p.office, id).unwrap();
        assert_eq!(
            d.copies.recipients,
            ["省人大选任联工委", "省政府办公厅", "省政协提案委"]
        );
        assert_eq!(d.replies[0].reply.formal_by.as_deref(), Some("vm"));
        act(&app, &p.office, id, "close", json!({}), None).unwrap();
        // A city item cannot take the formal route.
        let city = suggestion(&app, &p, "0106", "关于城市绿化的建议");
        assign(&app, &p, city, false);
        reply_and_send(&app, &p, city, "答复");
        act(
            &app,
            &p.deputy,
            city,
            "feedback",
            json!({"rating": "满意"}),
            None,
        )
        .unwrap();
        assert_eq!(
            code(act(
                &app,
                &p.office,
                city,
                "compile-formal",
                json!({"formal_text": "x"}),
                None
            )),
            "E_NOT_PROVINCE"
        );
    });
}

#[test]
fn major_items_are_read_by_the_leader_before_assignment() {
    on_each_backend(|db| {
        let (app, p) = opened(db);
        let mut e = entry(
            "0107",
            "关于郑州国家中心城市建设全局的建议",
            "市人大",
            "建议",
        );
        e.needs_instruction = true;
        let id = register(&app, &p, &e);
        assert_eq!(
            code(act(
                &app,
                &p.office,
                id,
                "assign",
                json!({"lead_unit": "dept.jtj"}),
                None
            )),
            "E_INSTRUCTION_MISSING"
        );
        act(
            &app,
            &p.office,
            id,
            "route-instruction",
            json!({"leader": "吴福民"}),
            None,
        )
        .unwrap();
        assert_eq!(state(&app, id), "awaiting_instruction");
        assert_eq!(
            code(act(
                &app,
                &p.office,
                id,
                "instruct",
                json!({}),
                Some("同意")
            )),
            "E_FORBIDDEN"
        );
        act(
            &app,
            &p.mayor,
            id,
            "instruct",
            json!({}),
            Some("请交通局牵头认真办理"),
        )
        .unwrap();
        assign(&app, &p, id, false);
        assert_eq!(state(&app, id), "assigned");
    });
}

#[test]
fn an_overdue_reply_is_flagged_until_explained_and_reminders_go_out() {
    on_each_backend(|db| {
        let (app, p, id) = registered(db, "0108", "关于地铁站无障碍设施的建议");
        assign(&app, &p, id, false);
        // Three working days before 2020-08-24: Wednesday 08-19.
        app.clock.set_today(day("2020-08-19"));
        app.scan_clocks().unwrap();
        assert!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM outbox WHERE case_id = {id} AND subject LIKE '【提醒】%'"
                )
            ) > 0
        );
        app.clock.set_today(day("2020-08-25"));
        app.scan_clocks().unwrap();
        let overdue = app.proposal_overdue(&p.office).unwrap();
        let it = overdue
            .iter()
            .find(|s| s.id == id)
            .expect("on the overdue list");
        assert!(
            it.unexplained_overdue,
            "第十九条: overdue without explanation"
        );
        assert!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM outbox WHERE case_id = {id} AND subject LIKE '【逾期】%'"
                )
            ) > 0
        );
        assert!(
            app.proposal_overdue(&p.drafter).is_err(),
            "the office's list"
        );
        act(&app, &p.drafter, id, "explain-delay",
            json!({"difficulties": "涉及多部门协调", "measures": "已召开专题会", "expected_date": "2020-09-30"}),
            None).unwrap();
        let it = app
            .proposal_overdue(&p.office)
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap();
        assert!(it.delay_explained && !it.unexplained_overdue);
        assert!(
            count(
                &app,
                &format!(
            "SELECT COUNT(*) FROM outbox WHERE case_id = {id} AND subject LIKE '【延期说明】%'")
            ) >= 2
        );
        reply_and_send(&app, &p, id, "答复");
        let d = app.proposal_detail(&p.office, id).unwrap();
        assert_eq!(d.item.due_status, "late");
    });
}

#[test]
fn the_five_standards_drill_to_the_items_behind_them_and_export() {
    on_each_backend(|db| {
        let (app, p) = opened(db);
        let ids: Vec<i64> = (0..4)
            .map(|n| {
                let mut e = entry(
                    &format!("03{n:02}"),
                    &format!("关于第{n}项民生工程的建议"),
                    "市人大",
                    "建议",
                );
                e.key_item = n == 0;
                register(&app, &p, &e)
            })
            .collect();
        for id in &ids {
            assign(&app, &p, *id, false);
        }
        app.clock.set_today(day("2020-07-01"));
        for (n, id) in ids.iter().enumerate().take(3) {
            if n > 0 {
                act(
                    &app,
                    &p.drafter,
                    *id,
                    "record-meeting",
                    json!({"met_date": "2020-06-20", "form": "当面沟通", "summary": "面商"}),
                    None,
                )
                .unwrap();
            }
            reply_and_send(&app, &p, *id, "答复");
            let rating = if n == 2 { "不满意" } else { "满意" };
            act(
                &app,
                &p.deputy,
                *id,
                "feedback",
                json!({"rating": rating, "comment": "意见"}),
                None,
            )
            .unwrap();
        }
        app.clock.set_today(day("2020-09-01"));
        let s = app.proposal_standards(&p.office, Some(2020), None).unwrap();
        let unit = s
            .units
            .iter()
            .find(|u| u.unit.as_ref().unwrap().id == "dept.jtj")
            .unwrap();
        assert_eq!(unit.items, 4);
        let f = |item: &str| unit.figures.iter().find(|f| f.result.item == item).unwrap();
        assert_eq!(f("on_time").short, [ids[3]], "the unanswered item is late");
        assert_eq!(f("met_in_person").short, [ids[0]]);
        assert_eq!(f("satisfied").short, [ids[2]]);
        assert_eq!(f("key_satisfied").counted, [ids[0]]);
        assert!(!unit.all_met);
        assert!(unit.summary_required, "第十二条 2件以上");
        let drill = app
            .proposal_standards_items(
                &p.office,
                Some(2020),
                Some("dept.jtj"),
                "on_time",
                Side::Short,
            )
            .unwrap();
        assert_eq!(drill.iter().map(|s| s.id).collect::<Vec<_>>(), [ids[3]]);
        // A unit reads its own figures only.
        assert!(app
            .proposal_standards(&p.other, Some(2020), Some("dept.jtj"))
            .is_err());
        let own = app
            .proposal_standards(&p.drafter, Some(2020), None)
            .unwrap();
        assert_eq!(own.units.len(), 1);
        // The workbook lists the items pulling the unit down.
        let bytes = app.proposal_standards_xlsx(&p.office, Some(2020)).unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let pull = book.worksheet_range("拉低指标的件").unwrap();
        let cells: Vec<String> = pull
            .rows()
            .flat_map(|r| r.iter().map(|c| c.to_string()))
            .collect();
        assert!(
            cells.iter().any(|c| c == "关于第3项民生工程的建议"),
            "{cells:?}"
        );
        let first = book.worksheet_range("五项标准").unwrap();
        assert!(first.rows().any(|r| r
            .iter()
            .any(|c| matches!(c, calamine::Data::String(s) if s == "郑州市交通运输局"))));
        // The bulletin, the unit summary and the annual report read the same figures.
        let q3 = app.proposal_bulletin(&p.office, 2020, 3).unwrap();
        assert_eq!(q3.as_of, "2020-09-01");
        let line = q3
            .lines
            .iter()
            .find(|l| l.standards.unit.as_ref().unwrap().id == "dept.jtj")
            .unwrap();
        assert_eq!(line.replied, 3);
        assert_eq!(
            line.problems.iter().map(|r| r.id).collect::<Vec<_>>(),
            [ids[3]]
        );
        let q2 = app.proposal_bulletin(&p.office, 2020, 2).unwrap();
        let line = q2
            .lines
            .iter()
            .find(|l| l.standards.unit.as_ref().unwrap().id == "dept.jtj")
            .unwrap();
        assert_eq!(line.replied, 0, "nothing was replied by 2020-06-30");
        let summary = app
            .proposal_unit_summary(&p.drafter, 2020, "dept.jtj")
            .unwrap();
        assert!(summary.required);
        assert_eq!(summary.totals.by_class.get("A"), Some(&3));
        let annual = app.proposal_annual_report(&p.office, 2020).unwrap();
        assert_eq!(annual.totals.items, 4);
        assert_eq!(annual.totals.replied, 3);
    });
}

#[test]
fn bulk_registration_is_all_or_nothing_and_shows_possible_duplicates() {
    on_each_backend(|db| {
        let (app, p) = opened(db);
        suggestion(&app, &p, "0001", "关于加快推进轨道交通三期工程建设的建议");
        let mut rows: Vec<NewProposal> = (2..=6)
            .map(|n| {
                entry(
                    &format!("{n:04}"),
                    &format!("关于第{n}件事的建议"),
                    "市人大",
                    "建议",
                )
            })
            .collect();
        rows[2].kind = "提案".into(); // row 4: a 提案 from 市人大
        rows[4].subject = String::new(); // row 6: no subject
        let before = count(&app, "SELECT COUNT(*) FROM prop_items");
        let err = app
            .proposal_import(&p.office, &workbook(&rows).unwrap(), false)
            .unwrap_err();
        assert_eq!(err.code, "E_IMPORT_ROWS");
        assert!(
            err.message.contains("第4行") && err.message.contains("第6行"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("第2行"));
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM prop_items"),
            before,
            "nothing applied"
        );
        rows[2].kind = "建议".into();
        rows[4].subject = "关于加快轨道交通三期建设的建议".into();
        rows[1].number = rows[0].number.clone(); // the same number twice in one file
        let err = app
            .proposal_import(&p.office, &workbook(&rows).unwrap(), false)
            .unwrap_err();
        assert!(err.message.contains("本表中重复"), "{}", err.message);
        rows[1].number = "0099".into();
        let dry = app
            .proposal_import(&p.office, &workbook(&rows).unwrap(), true)
            .unwrap();
        assert!(dry.registered.is_empty());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM prop_items"), before);
        let done = app
            .proposal_import(&p.office, &workbook(&rows).unwrap(), false)
            .unwrap();
        assert_eq!(done.registered.len(), 5);
        assert_eq!(done.duplicates.len(), 1);
        assert_eq!(done.duplicates[0].row, 6);
        assert_eq!(done.duplicates[0].duplicates[0].number, "0001");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM prop_items"), before + 5);
        assert_eq!(
            app.proposal_import(&p.office, &workbook(&rows).unwrap(), false)
                .unwrap_err()
                .code,
            "E_IMPORT_ROWS",
            "registered numbers are not registered twice"
        );
        assert_eq!(
            app.proposal_import(&p.drafter, &workbook(&rows).unwrap(), false)
                .unwrap_err()
                .code,
            "E_FORBIDDEN"
        );
        assert_eq!(
            app.proposal_import(&p.office, b"not a spreadsheet", false)
                .unwrap_err()
                .code,
            "E_XLSX"
        );
    });
}

/// A valid ID number (GB 11643-1999 check digit computed here).
fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

#[test]
fn no_disclosed_reply_shows_an_id_number_phone_email_or_proposer_name() {
    on_each_backend(|db| {
        let (app, p) = opened(db);
        let id_no = id_number("41010519800101123");
        let planted = [
            id_no.as_str(),
            "13903719876",
            "0371-67180738",
            "zhang.san@example.org",
            "欧阳明远",
            "李红",
            "13803712345",
        ];
        let text = format!(
            "欧阳明远代表、李红代表：\n您好！经核实，身份证号{id_no}的申请人已办结，\
             如有疑问请致电13903719876或0371-67180738，或发邮件至zhang.san@example.org。\n\
             代表联系电话13803712345。\n抄送：市人大选任联工委"
        );
        let id = suggestion(&app, &p, "0401", "关于优化营商环境的建议");
        assign(&app, &p, id, false);
        act(
            &app,
            &p.drafter,
            id,
            "reply",
            json!({"class": "A", "text": text, "signer": "王局长"}),
            None,
        )
        .unwrap();
        act(&app, &p.reviewer, id, "approve", json!({}), None).unwrap();
        // Refused with every finding named, masked; nothing published.
        let err = act(
            &app,
            &p.drafter,
            id,
            "publish",
            json!({"mode": "full"}),
            None,
        )
        .unwrap_err();
        assert_eq!(err.code, "E_PERSONAL_DATA");
        for label in [
            "身份证号",
            "手机号",
            "固定电话",
            "电子邮箱",
            "代表委员姓名",
            "抄送范围",
        ] {
            assert!(err.message.contains(label), "{label}: {}", err.message);
        }
        for v in planted {
            assert!(!err.message.contains(v), "the message itself shows {v}");
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM prop_disclosures"), 0);
        act(
            &app,
            &p.drafter,
            id,
            "publish",
            json!({"mode": "full", "redact": true}),
            None,
        )
        .unwrap();
        // A second item withheld as a state secret cannot be published afterwards.
        let secret = suggestion(&app, &p, "0402", "关于某涉密工程的建议");
        assign(&app, &p, secret, false);
        act(
            &app,
            &p.drafter,
            secret,
            "reply",
            json!({"class": "D", "text": "答复", "signer": "王局长"}),
            None,
        )
        .unwrap();
        act(&app, &p.reviewer, secret, "approve", json!({}), None).unwrap();
        act(
            &app,
            &p.office,
            secret,
            "withhold",
            json!({"secret": true}),
            Some("涉及国家秘密"),
        )
        .unwrap();
        assert_eq!(
            code(act(
                &app,
                &p.office,
                secret,
                "publish",
                json!({"mode": "full"}),
                None
            )),
            "E_SECRET"
        );
        // Everything the public can read.
        let list = app.public_replies(&PublicFilter::default()).unwrap();
        assert_eq!(list.len(), 1, "the withheld item is not listed");
        let one = app.public_reply(id).unwrap();
        assert!(app.public_reply(secret).is_err());
        let units = app.public_reply_units(None).unwrap();
        let everything = format!(
            "{}{}{}",
            serde_json::to_string(&list).unwrap(),
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&units).unwrap()
        );
        for v in planted {
            assert!(
                !everything.contains(v),
                "public data shows {v}: {everything}"
            );
        }
        assert!(everything.contains("［身份证号已隐去］"));
        assert!(
            !everything.contains("抄送：") && !everything.contains("选任联工委"),
            "the copy list"
        );
        assert!(
            !everything.contains("王局长"),
            "the signer is not published either"
        );
        let d = app.proposal_detail(&p.office, id).unwrap();
        assert_eq!(d.disclosures[0].redactions, 8);
        assert_eq!(
            d.replies[0].reply.text, text,
            "the reply itself is kept as sent"
        );
    });
}

#[test]
fn registration_checks_every_field_and_links_accounts() {
    on_each_backend(|db| {
        let (app, p) = opened(db);
        let mut bad = entry("", "", "县人大", "提案");
        bad.proposers[0].username = Some("jtj-a".into());
        let err = app.proposal_register(&p.office, &bad).unwrap_err();
        assert_eq!(err.code, "E_PROPOSAL_INVALID");
        for words in ["编号", "来源", "题目", "jtj-a"] {
            assert!(err.message.contains(words), "{words}: {}", err.message);
        }
        assert!(app
            .proposal_register(&p.drafter, &entry("1", "x", "市人大", "建议"))
            .is_err());
        let id = suggestion(&app, &p, "0501", "关于加强养老服务的建议");
        assert_eq!(
            app.proposal_register(&p.office, &entry("0501", "x", "市人大", "建议"))
                .unwrap_err()
                .code,
            "E_PROPOSAL_INVALID"
        );
        let dup = app
            .proposal_register(
                &p.office,
                &entry("0502", "关于加强养老服务工作的建议", "市人大", "建议"),
            )
            .unwrap();
        assert_eq!(
            dup.duplicates.iter().map(|d| d.id).collect::<Vec<_>>(),
            [id]
        );
        let d = app.proposal_detail(&p.deputy, id).unwrap();
        assert!(d.proposers[0].linked && !d.proposers[1].linked);
        assert!(d.relation.proposer);
        assert!(app.proposal_detail(&Viewer::Public, id).is_err());
    });
}

/// The demo year (演示数据) plays every step through the engine: none is refused, and the
/// office, a unit, a deputy and the public find items in every state of the procedure.
#[test]
fn the_demo_year_replays_without_a_refused_step_and_fills_every_state() {
    on_each_backend(|db| {
        let today = luoshi_app::demo::supervision::demo_today();
        let app = open_on(db, &today.to_string());
        // As `serve --demo` makes it: the gazette, the accounts, the supervision and health
        // demos first, then the proposals' year.
        let year = luoshi_app::demo::seed_demo(&app)
            .expect("the demo")
            .expect("an empty database is seeded")
            .proposals;
        assert!(year.registered >= 600, "{} registered", year.registered);
        assert!(
            year.refused.is_empty(),
            "{} refused steps:\n{}",
            year.refused.len(),
            year.refused.join("\n")
        );
        let missing: Vec<&str> = luoshi_app::procedures::proposals::PROPOSALS
            .states
            .iter()
            .filter(|s| {
                raw_count(
                    &app,
                    &format!(
                        "SELECT COUNT(*) FROM cases WHERE procedure = 'proposal' AND state = '{}'",
                        s.name
                    ),
                ) == 0
            })
            .map(|s| s.label)
            .collect();
        assert!(
            missing.is_empty(),
            "no demo item in these states: {missing:?}"
        );
    });
}
