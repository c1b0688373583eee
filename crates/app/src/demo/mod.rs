//! The demo (演示): the bundled gazette issue, an account for every role, and a season of
//! supervision work replayed on a simulated date ([`supervision::demo_today`]).

pub mod health;
pub mod proposals;
pub mod supervision;

use crate::accounts::{random_token, NewUser};
use crate::import::ImportSummary;
use crate::{App, Result, Viewer};
use luoshi_domain::{Role, User};
use luoshi_store::units;

/// The bundled seed: one real issue of the Zhengzhou municipal government gazette (2020).
pub const SEED_NAME: &str = "zhengzhou-2020-gazette.txt";
pub const SEED_TEXT: &str = include_str!("../../../../data/gazette/zhengzhou-2020-gazette.txt");

/// A demo account and its password (printed once at start-up).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub user: User,
    pub password: String,
}

/// The system actor for command-line and demo work.
pub fn system_viewer() -> Viewer {
    Viewer::User(User {
        id: 0,
        username: "system".into(),
        display_name: "系统".into(),
        unit_id: None,
        roles: vec![Role::Admin],
        disabled: false,
        leader_name: None,
    })
}

/// Find a unit id by a name or alias as the gazette writes it.
fn unit_named(app: &App, name: &str) -> Result<Option<String>> {
    let all = app.store.read(units::list_units)?;
    Ok(all
        .into_iter()
        .find(|u| u.name == name || u.aliases.iter().any(|a| a == name))
        .map(|u| u.id))
}

/// What the demo made.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub summary: ImportSummary,
    pub accounts: Vec<DemoAccount>,
    /// The year of proposal handling, with any step the engine refused.
    pub proposals: proposals::DemoOutcome,
}

/// On an empty database: import the seed and create one account per role. On a database
/// that already has users, does nothing and returns `None`.
pub fn seed(app: &App) -> Result<Option<(ImportSummary, Vec<DemoAccount>)>> {
    Ok(seed_demo(app)?.map(|s| (s.summary, s.accounts)))
}

/// [`seed`], saying everything it made.
pub fn seed_demo(app: &App) -> Result<Option<Seeded>> {
    if app.counts()?.users > 0 {
        return Ok(None);
    }
    let registry = luoshi_gazette::registry::Registry::bundled();
    let summary = app.import_issue(
        &system_viewer(),
        SEED_NAME,
        SEED_TEXT,
        &registry,
        &mut |_, _| {},
    )?;
    let health = unit_named(app, "市卫健委")?;
    let development = unit_named(app, "市发展改革委")?;
    let data = unit_named(app, "市大数据局")?;
    // (username, display name, role, unit, leader name as the gazette writes it)
    type Plan<'a> = (&'a str, &'a str, Role, Option<String>, Option<&'a str>);
    let plan: [Plan; 11] = [
        ("admin", "系统管理员", Role::Admin, None, None),
        ("duchashi", "督查室 李督查", Role::Supervision, None, None),
        ("jianyi", "建议提案处 王提案", Role::Proposals, None, None),
        (
            "weijianwei",
            "市卫健委 张承办",
            Role::UnitStaff,
            health,
            None,
        ),
        (
            "fagaiwei",
            "市发展改革委 刘承办（牵头单位）",
            Role::UnitStaff,
            development.clone(),
            None,
        ),
        (
            "dashuju",
            "市大数据局 陈承办（责任单位）",
            Role::UnitStaff,
            data,
            None,
        ),
        (
            "sunxiaohong",
            "孙晓红（副市长）",
            Role::Leader,
            None,
            Some("孙晓红"),
        ),
        (
            "fgw-fenguan",
            "市发展改革委 周分管（分管领导，审查答复）",
            Role::UnitStaff,
            development.clone(),
            None,
        ),
        ("daibiao", "人大代表 赵代表", Role::Deputy, None, None),
        ("shenqingren", "申请人 钱申请", Role::Applicant, None, None),
        ("jiankangban", "健康办 周监测", Role::Health, None, None),
    ];
    let mut accounts = Vec::new();
    for (username, display, role, unit, leader) in plan {
        let password = random_token()?[..12].to_string();
        let user = app.add_user(
            "system",
            NewUser {
                username: username.into(),
                display_name: display.into(),
                password: password.clone(),
                unit_id: unit,
                roles: vec![role],
                leader_name: leader.map(str::to_string),
            },
        )?;
        // A demo address, delivered only when an SMTP server is configured (`.invalid`
        // never resolves, so a real relay rejects it).
        app.set_email(
            &system_viewer(),
            user.id,
            Some(&format!("{username}@luoshi-demo.invalid")),
        )?;
        accounts.push(DemoAccount { user, password });
    }
    let today = app.today();
    app.seed_supervision_demo()?;
    app.seed_health_demo()?;
    // Each demo replays on the business clock; the proposals' year runs up to the demo's date,
    // not to wherever the supervision replay left the clock.
    app.clock.set_today(today);
    let year = app.seed_proposals_demo(Some("daibiao"))?;
    for refused in &year.refused {
        eprintln!("演示数据（建议提案）未执行：{refused}");
    }
    app.clock.set_today(today);
    app.scan_clocks()?;
    Ok(Some(Seeded {
        summary,
        accounts,
        proposals: year,
    }))
}
