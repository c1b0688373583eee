//! Personal data at the public boundary (公开边界的个人信息): an issue is imported with ID,
//! mobile, landline, e-mail and bank card numbers planted in a roster, a task and a contact
//! line; every route that shows published content is asked as the public and as roles without
//! a need (a leader), and must show them masked — while the offices still see the original.

use luoshi_app::accounts::NewUser;
use luoshi_app::demo::system_viewer;
use luoshi_domain::Role;
use luoshi_web::WebConfig;
use std::sync::OnceLock;

mod support;

const GAZETTE: &str = include_str!("../../../data/gazette/zhengzhou-2020-gazette.txt");

/// (the gazette's line, the line with personal data planted in it)
const PLANTS: [(&str, &str); 3] = [
    (
        "副组长: 陈宏伟 市政府副市长",
        "副组长: 某某 市政府副市长 身份证410102199001011234",
    ),
    (
        "1. 推动防控机制常态化，",
        "1. 推动防控机制常态化（联系人手机13812345678），",
    ),
    (
        "联系电话：67180738。",
        "联系电话：67180738。联系人：王某，电话0371-67181234，邮箱wangmou@zz.gov.cn，退款账户6222021234567890128。",
    ),
];

/// Every planted value as written, and how it must read when masked.
const VALUES: [(&str, &str); 8] = [
    ("410102199001011234", "410102********1234"),
    ("13812345678", "138****5678"),
    ("0371-67181234", "0371-****1234"),
    ("wangmou@zz.gov.cn", "w******@zz.gov.cn"),
    // Published by the gazette itself in 郑政办〔2020〕29号 四、严格督查.
    ("zfgzdc@126.com", "z*****@126.com"),
    ("67180738", "****0738"),
    ("6222021234567890128", "6222***********0128"),
    ("身份证410102", "身份证410102"),
];

const LEADER: &str = "王新伟";
const PASSWORD: &str = "long enough password";

struct Fixture {
    server: support::Server,
    roster_doc: i64,
    plan_doc: i64,
    task: i64,
    /// The supervision item made from the planted task.
    item: i64,
}

fn planted_text() -> String {
    let mut text = GAZETTE.to_string();
    for (line, planted) in PLANTS {
        assert_eq!(
            text.matches(line).count(),
            1,
            "the gazette has `{line}` once"
        );
        text = text.replace(line, planted);
    }
    text
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let app = support::fresh_app("privacy");
        let registry = app.registry.clone();
        app.import_issue(
            &system_viewer(),
            "planted.txt",
            &planted_text(),
            &registry,
            &mut |_, _| {},
        )
        .expect("the planted issue imports");
        for (username, role, leader) in [
            ("office", Role::Supervision, None),
            ("leader", Role::Leader, Some(LEADER)),
        ] {
            support::add(
                &app,
                NewUser {
                    leader_name: leader.map(str::to_string),
                    ..support::account(username, PASSWORD, role)
                },
            );
        }
        let docs = app.documents(&system_viewer(), None).unwrap();
        let doc = |no: &str| docs.iter().find(|d| d.doc_no == no).unwrap().id;
        let plan_doc = doc("郑政办〔2020〕29号");
        let task = app
            .document(&system_viewer(), plan_doc)
            .unwrap()
            .tasks
            .into_iter()
            .find(|t| t.text.contains("13812345678"))
            .expect("the planted task")
            .id;
        let item = app
            .supervision_items(&system_viewer(), &Default::default())
            .unwrap()
            .iter()
            .find(|i| i.task_id == Some(task))
            .expect("the planted task is a supervision item")
            .id;
        Fixture {
            server: support::serve(app, WebConfig::default()),
            roster_doc: doc("郑政办文〔2020〕9号"),
            plan_doc,
            task,
            item,
        }
    })
}

/// The bytes of `GET path` (status 200 required) with the session of `user`, if any.
fn get_bytes(user: Option<&str>, path: &str) -> Vec<u8> {
    let f = fixture();
    let mut req = ureq::get(&format!("{}{path}", f.server.base));
    if let Some(u) = user {
        let (token, _) = f.server.app.login(u, PASSWORD).unwrap();
        req = req.set("Cookie", &format!("luoshi_session={token}"));
    }
    match req.call() {
        Ok(r) => {
            let mut body = Vec::new();
            std::io::Read::read_to_end(&mut r.into_reader(), &mut body).unwrap();
            body
        }
        Err(e) => panic!("GET {path} as {user:?}: {e}"),
    }
}

/// The text of `GET path`: the body, or every cell of an `.xlsx` export.
fn get(user: Option<&str>, path: &str) -> String {
    let body = get_bytes(user, path);
    if !path.contains(".xlsx") {
        return String::from_utf8(body).unwrap();
    }
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(body)).expect("an xlsx file");
    let mut cells = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for c in range.used_cells() {
            cells.push_str(&c.2.to_string());
            cells.push('\n');
        }
    }
    cells
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Every route that shows the planted content to `user`.
fn routes(user: Option<&str>) -> Vec<String> {
    let f = fixture();
    let mut r = vec![
        format!("/documents/{}", f.roster_doc),
        format!("/documents/{}", f.plan_doc),
        format!("/documents/{}/source", f.roster_doc),
        format!("/documents/{}/source", f.plan_doc),
        format!("/api/v1/documents/{}", f.roster_doc),
        format!("/api/v1/documents/{}", f.plan_doc),
        format!("/search?q={}", enc("督查室邮箱")),
        format!("/api/v1/search?q={}", enc("督查室邮箱")),
        format!("/search?q={}", enc("轨道交通建设工作领导小组")),
        format!("/api/v1/search?q={}", enc("防控机制常态化")),
    ];
    if user.is_some() {
        r.extend([
            format!("/tasks/{}", f.task),
            format!("/api/v1/tasks/{}", f.task),
            format!("/leaders/{}", enc(LEADER)),
            format!("/api/v1/leaders/{}/tasks", enc(LEADER)),
            // Supervision and its exports carry the gazette's text too.
            "/supervision/items".to_string(),
            "/api/v1/supervision/items".to_string(),
            format!("/supervision/items/{}", f.item),
            format!("/api/v1/supervision/items/{}", f.item),
            "/supervision/items.csv".to_string(),
            "/supervision/ledger.xlsx".to_string(),
            "/api/v1/supervision/ledger.xlsx".to_string(),
        ]);
    }
    r
}

#[test]
fn the_public_and_roles_without_a_need_see_personal_data_masked_on_every_route() {
    for user in [None, Some("leader")] {
        let mut seen = String::new();
        for path in routes(user) {
            let body = get(user, &path);
            for (raw, _) in &VALUES[..7] {
                assert!(
                    !body.contains(raw),
                    "{path} as {user:?} shows `{raw}` unmasked"
                );
            }
            seen.push_str(&body);
        }
        // Masked, not dropped: each value is still there in its masked form.
        for (_, masked) in VALUES {
            assert!(seen.contains(masked), "as {user:?}, `{masked}` is shown");
        }
        // Names the government published stay.
        assert!(seen.contains("吴福民"), "roster names stay");
    }
}

#[test]
fn searching_for_a_personal_number_finds_nothing_for_the_public() {
    let f = fixture();
    for q in ["13812345678", "wangmou@zz.gov.cn"] {
        let hits = get(None, &format!("/api/v1/search?q={}", enc(q)));
        assert_eq!(hits.trim(), "[]", "public search for {q}");
        let office = get(Some("office"), &format!("/api/v1/search?q={}", enc(q)));
        assert!(office.contains(q), "the office finds {q}: {office}");
    }
    let _ = f;
}

#[test]
fn the_offices_see_the_original() {
    let mut seen = String::new();
    for path in routes(Some("office")) {
        seen.push_str(&get(Some("office"), &path));
    }
    for (raw, _) in VALUES {
        assert!(seen.contains(raw), "the office sees `{raw}`");
    }
}
