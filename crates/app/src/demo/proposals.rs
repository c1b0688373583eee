//! Demo proposal handling (演示数据：建议提案): a year of deputies' suggestions and members'
//! proposals under 郑政办〔2020〕27号, replayed day by day on the business clock up to the demo's
//! date — 600 items registered from a spreadsheet after the session, assigned at the 交办会,
//! some returned within 15 days, co-signed, met in person, replied (some late, some explained),
//! reviewed, rated, some redone, province items made formal city replies, disclosed or
//! withheld, closed — so the office, a unit, a deputy and the public each see a full picture.
//! Every step goes through the case engine; subjects, names and contacts are generated and the
//! session is named 演示 so no one mistakes the data for real work.

use crate::cases::ActionInput;
use crate::proposals::batch::BatchLine;
use crate::proposals::register::{NewProposal, NewProposer};
use crate::proposals::xlsx::workbook;
use crate::{App, Result, Viewer};
use chrono::{Duration, NaiveDate};
use luoshi_domain::{Role, User};
use serde_json::{json, Value};

/// How many items the demo registers after the session (the recess adds a few more).
pub const SESSION_ITEMS: usize = 600;

/// Items of the recess the demo registers one by one ([`App::recess_items`]).
const RECESS_ITEMS: usize = 9;

/// The demo's session year (the bundled gazette's).
const DEMO_YEAR: i32 = 2020;

/// The vice-mayor in charge in the demo (a demo account of that name exists).
const LEADER: &str = "孙晓红";

fn demo_user(username: String, roles: Vec<Role>, unit: Option<&str>, leader: bool) -> Viewer {
    Viewer::User(User {
        id: 0,
        username,
        display_name: "演示数据".into(),
        unit_id: unit.map(str::to_string),
        roles,
        disabled: false,
        leader_name: leader.then(|| LEADER.to_string()),
    })
}

fn office() -> Viewer {
    demo_user("演示-建议提案处".into(), vec![Role::Proposals], None, false)
}

fn drafter(unit: &str) -> Viewer {
    demo_user(
        format!("演示-{unit}"),
        vec![Role::UnitStaff],
        Some(unit),
        false,
    )
}

fn reviewer(unit: &str) -> Viewer {
    demo_user(
        format!("演示-{unit}-分管领导"),
        vec![Role::UnitStaff],
        Some(unit),
        false,
    )
}

fn vice_mayor() -> Viewer {
    demo_user("演示-孙晓红".into(), vec![Role::Leader], None, true)
}

/// A stable pseudo-random number 0..100 for an item and a purpose.
fn roll(i: usize, salt: u64) -> u64 {
    let x = (i as u64 + 1)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let x = (x ^ (x >> 29)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (x ^ (x >> 32)) % 100
}

/// Units and what their items are about.
const TOPICS: [(&str, &[&str]); 12] = [
    (
        "dept.jtj",
        &[
            "优化公交线路",
            "增设公交站点",
            "治理交通拥堵",
            "规范网约车管理",
        ],
    ),
    (
        "dept.jyj",
        &[
            "增加学位供给",
            "减轻学生课业负担",
            "加强校园安全",
            "发展职业教育",
        ],
    ),
    (
        "dept.wjw",
        &[
            "完善社区医疗服务",
            "缓解看病难",
            "加强公共卫生应急",
            "发展智慧医疗",
        ],
    ),
    (
        "dept.fgw",
        &[
            "优化营商环境",
            "推进重大项目建设",
            "稳定物价",
            "发展数字经济",
        ],
    ),
    (
        "dept.cjj",
        &[
            "推进老旧小区改造",
            "完善城市排水",
            "建设口袋公园",
            "加装既有住宅电梯",
        ],
    ),
    (
        "dept.cgj",
        &[
            "规范占道经营",
            "推进垃圾分类",
            "改善市容环境",
            "治理违法建设",
        ],
    ),
    (
        "dept.sthj",
        &[
            "治理大气污染",
            "保护饮用水源",
            "治理噪声扰民",
            "推进生态修复",
        ],
    ),
    (
        "dept.rsj",
        &[
            "促进高校毕业生就业",
            "完善养老保险",
            "保障农民工工资",
            "加强技能培训",
        ],
    ),
    (
        "dept.mzj",
        &[
            "发展社区养老",
            "完善社会救助",
            "规范殡葬管理",
            "支持社会组织发展",
        ],
    ),
    (
        "dept.scjg",
        &[
            "保障食品安全",
            "规范校外培训收费",
            "整治电梯安全",
            "打击虚假广告",
        ],
    ),
    (
        "dept.wglj",
        &[
            "建设城市书房",
            "发展文旅融合",
            "保护历史文化街区",
            "丰富群众文化活动",
        ],
    ),
    (
        "dept.dsj",
        &[
            "推进一网通办",
            "建设城市大脑",
            "打通数据壁垒",
            "保护个人信息",
        ],
    ),
];

const PLACES: [&str; 8] = [
    "金水区",
    "中原区",
    "二七区",
    "管城回族区",
    "惠济区",
    "郑东新区",
    "高新区",
    "经开区",
];
const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: [&str; 16] = [
    "建国", "丽华", "志强", "秀英", "海涛", "晓燕", "明辉", "玉兰", "卫东", "红梅", "国庆", "静",
    "伟", "芳", "磊", "敏",
];
const SECTORS: [&str; 6] = [
    "民盟郑州市委",
    "民建郑州市委",
    "九三学社郑州市委",
    "医药卫生界",
    "教育界",
    "经济界",
];

fn person(i: usize, k: u64) -> String {
    let a = roll(i, 40) as usize;
    let b = roll(i, 50 + k) as usize;
    // Co-signers of one item differ in surname, so no item lists a name twice.
    format!("{}{}", SURNAMES[(a + 5 * k as usize) % 16], GIVEN[b % 16])
}

fn on(year: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, m, d).expect("a valid demo date")
}

/// One demo item as planned.
struct Planned {
    entry: NewProposal,
    lead: &'static str,
    co: Vec<&'static str>,
}

fn plan(i: usize, year: i32, deputy: Option<&str>) -> Planned {
    let (lead, topics) = TOPICS[i % TOPICS.len()];
    let topic = topics[(i / TOPICS.len()) % topics.len()];
    let place = PLACES[roll(i, 1) as usize % PLACES.len()];
    let r = roll(i, 2);
    let (source, kind) = match r {
        0..=54 => ("市人大", "建议"),
        55..=94 => ("市政协", "提案"),
        95..=97 => ("省人大", "建议"),
        _ => ("市政协", "建议案"),
    };
    let npc = source.ends_with("人大");
    let subject = format!("关于{place}{topic}的{kind}");
    let signers = 1 + (roll(i, 3) % 3) as usize;
    let proposers = (0..signers)
        .map(|k| NewProposer {
            name: person(i, k as u64),
            affiliation: if npc {
                format!("{}代表团", PLACES[(roll(i, 4) as usize + k) % PLACES.len()])
            } else {
                SECTORS[(roll(i, 4) as usize + k) % SECTORS.len()].to_string()
            },
            contact: format!("1380371{:04}", (i * 7 + k * 13) % 10_000),
            username: (k == 0).then(|| deputy.map(str::to_string)).flatten(),
            ..NewProposer::default()
        })
        .collect();
    let co: Vec<&'static str> = if roll(i, 5) < 30 {
        vec![TOPICS[(i + 1 + roll(i, 6) as usize % 5) % TOPICS.len()].0]
    } else {
        vec![]
    };
    Planned {
        entry: NewProposal {
            year: i64::from(year),
            number: format!("{:04}", i + 1),
            source: source.into(),
            kind: kind.into(),
            session: "会议期间".into(),
            session_name: if npc {
                "市十五届人大四次会议（演示）".into()
            } else {
                "市政协十四届四次会议（演示）".into()
            },
            key_item: roll(i, 7) < 5 || kind == "建议案",
            needs_instruction: roll(i, 8) < 2,
            subject,
            text: format!(
                "{place}群众反映{topic}方面仍有不少问题。建议：一是摸清底数，制定工作方案；\
                 二是加大投入，明确责任单位和完成时限；三是建立长效机制，定期公开进展。（演示数据）"
            ),
            proposers,
        },
        lead,
        co,
    }
}

/// One planned action.
struct Step {
    day: NaiveDate,
    item: usize,
    who: Viewer,
    action: &'static str,
    fields: Value,
    note: Option<String>,
}

fn step(day: NaiveDate, item: usize, who: Viewer, action: &'static str, fields: Value) -> Step {
    Step {
        day,
        item,
        who,
        action,
        fields,
        note: None,
    }
}

fn noted(mut s: Step, note: &str) -> Step {
    s.note = Some(note.to_string());
    s
}

const CLASSES: [(&str, &str); 4] = [
    ("A", "所提问题已列入今年重点工作，已基本解决。"),
    ("B", "所提问题正在解决，已列入明年工作计划逐步解决。"),
    (
        "C",
        "所提问题受现行政策和客观条件限制，目前确实难以解决，已向您说明情况。",
    ),
    (
        "D",
        "所提意见很有参考价值，我们将在今后工作中认真研究参考。",
    ),
];

/// What happens to item `i` after assignment on `assigned` (lead `lead`, co-units `co`).
fn handling(i: usize, p: &Planned, assigned: NaiveDate, today: NaiveDate, steps: &mut Vec<Step>) {
    let lead = p.lead;
    let multi = !p.co.is_empty();
    let province = p.entry.source.starts_with('省');
    let at = |d: i64| assigned + Duration::days(d);
    for (k, co) in p.co.iter().enumerate() {
        steps.push(step(
            at(15 + 5 * k as i64 + (roll(i, 10) % 10) as i64),
            i,
            drafter(co),
            "cosign",
            json!({"opinion": "同意主办单位的办理意见，我单位将积极配合做好相关工作。"}),
        ));
    }
    if roll(i, 11) < 92 {
        steps.push(step(
            at(25 + (roll(i, 12) % 20) as i64),
            i,
            drafter(lead),
            "record-meeting",
            json!({"met_date": at(25 + (roll(i, 12) % 20) as i64).to_string(), "form": if roll(i, 13) < 70 { "当面沟通" } else { "座谈会" },
                   "summary": "主要领导与代表委员面对面沟通，介绍办理思路，听取意见。"}),
        ));
    }
    let r = roll(i, 14);
    let reply_day = match r {
        0..=84 => at(45 + (roll(i, 15) % 40) as i64),
        85..=89 => at(95 + (roll(i, 15) % 15) as i64),
        90..=96 => {
            if r < 94 {
                steps.push(step(
                    at(80),
                    i,
                    drafter(lead),
                    "explain-delay",
                    json!({"difficulties": "涉及多个部门和资金安排，3个月内难以办结。",
                           "measures": "已制定分步实施方案，正在协调资金。",
                           "expected_date": at(150).to_string()}),
                ));
            }
            return; // not replied yet: overdue
        }
        _ => today - Duration::days(2), // drafted, awaiting the unit leader's review
    };
    if reply_day > today {
        return;
    }
    let (class, text) = CLASSES[match roll(i, 16) {
        0..=54 => 0,
        55..=84 => 1,
        85..=94 => 2,
        _ => 3,
    }];
    let phone_in_text = roll(i, 17) < 3;
    let body = if phone_in_text {
        format!(
            "{text}如有问题，请联系经办人，电话13803719{:03}。",
            i % 1000
        )
    } else {
        text.to_string()
    };
    steps.push(step(
        reply_day,
        i,
        drafter(lead),
        "reply",
        json!({"class": class, "text": format!("您提出的建议（提案）收悉。经认真研究，现答复如下：{body}"),
               "summary": text, "signer": "分管副局长", "contact_person": "经办人",
               "contact_phone": "0371-67180000"}),
    ));
    if r >= 97 {
        return;
    }
    steps.push(step(
        reply_day + Duration::days(1),
        i,
        reviewer(lead),
        "approve",
        json!({}),
    ));
    let mut sent = reply_day + Duration::days(1);
    if multi {
        if roll(i, 18) < 10 {
            return; // awaiting the vice-mayor
        }
        sent = reply_day + Duration::days(3);
        steps.push(step(sent, i, vice_mayor(), "approve", json!({})));
    }
    let fb = sent + Duration::days(10 + (roll(i, 19) % 10) as i64);
    if fb > today || roll(i, 20) >= 85 {
        return;
    }
    let rating = match roll(i, 21) {
        0..=79 => "满意",
        80..=96 => "基本满意",
        _ => "不满意",
    };
    steps.push(step(
        fb,
        i,
        office(),
        "feedback",
        json!({"rating": rating, "comment": if rating == "不满意" { "答复未回应具体问题，希望进一步落实。" } else { "" }}),
    ));
    if rating == "不满意" {
        steps.push(noted(
            step(
                fb + Duration::days(3),
                i,
                office(),
                "redo",
                json!({"due": (fb + Duration::days(60)).to_string()}),
            ),
            "代表委员不满意，退回重新办理（第十条）",
        ));
        // The co-units send their opinions again for the new round (会签 before each reply).
        for (k, co) in p.co.iter().enumerate() {
            steps.push(step(
                fb + Duration::days(10 + k as i64),
                i,
                drafter(co),
                "cosign",
                json!({"opinion": "同意主办单位重新办理的意见，我单位继续配合。"}),
            ));
        }
        let again = fb + Duration::days(20);
        if again <= today {
            steps.push(step(
                again,
                i,
                drafter(lead),
                "reply",
                json!({"class": "B", "text": "经重新研究，现再次答复如下：已列入计划，逐步解决。",
                       "summary": "已列入计划，逐步解决。", "signer": "局长"}),
            ));
            steps.push(step(
                again + Duration::days(1),
                i,
                reviewer(lead),
                "approve",
                json!({}),
            ));
            if multi {
                steps.push(step(
                    again + Duration::days(3),
                    i,
                    vice_mayor(),
                    "approve",
                    json!({}),
                ));
            }
        }
        return;
    }
    let mut answered = fb;
    if province {
        steps.push(step(
            fb + Duration::days(2),
            i,
            office(),
            "compile-formal",
            json!({"formal_text": format!("郑州市人民政府关于省人大代表建议的答复：{text}"),
                   "letter_no": format!("郑政函〔{}〕{}号", assigned.format("%Y"), 100 + i), "leader": LEADER}),
        ));
        answered = fb + Duration::days(5);
        steps.push(step(answered, i, vice_mayor(), "approve", json!({})));
    }
    let publish = answered + Duration::days(3);
    if publish > today {
        return;
    }
    match roll(i, 22) {
        0..=69 => steps.push(step(
            publish,
            i,
            drafter(lead),
            "publish",
            json!({"mode": "全文", "redact": phone_in_text}),
        )),
        70..=84 => steps.push(step(
            publish,
            i,
            drafter(lead),
            "publish",
            json!({"mode": "摘要"}),
        )),
        85..=86 => steps.push(noted(
            step(publish, i, office(), "withhold", json!({"secret": true})),
            "答复涉及国家秘密，依法不予公开（第二十条）",
        )),
        _ => {}
    }
    if roll(i, 23) < 30 && publish + Duration::days(5) <= today {
        steps.push(step(
            publish + Duration::days(5),
            i,
            office(),
            "close",
            json!({}),
        ));
    }
}

/// What the demo did.
#[derive(Debug, Clone, Default)]
pub struct DemoOutcome {
    pub registered: usize,
    pub actions: usize,
    /// Steps the engine refused (the demo's plan and the rules disagree): kept and reported.
    pub refused: Vec<String>,
}

impl App {
    /// Register and handle a year of demo items up to the business date (`today`).
    pub fn seed_proposals_demo(&self, deputy: Option<&str>) -> Result<DemoOutcome> {
        let today = self.today();
        let mut out = self.replay_proposal_year(DEMO_YEAR, SESSION_ITEMS, today, deputy)?;
        self.recess_items(today, &mut out)?;
        self.clock.set_today(today);
        self.refresh_proposal_statuses(today)?;
        Ok(out)
    }

    /// Register `count` items of the session of `year` from one spreadsheet and play every
    /// planned step up to `until` through the engine, each on its day of the business clock
    /// (which is left at the last step's day). One item in 25 is signed by `deputy`'s account.
    pub fn replay_proposal_year(
        &self,
        year: i32,
        count: usize,
        until: NaiveDate,
        deputy: Option<&str>,
    ) -> Result<DemoOutcome> {
        let today = until;
        let day = |m: u32, d: u32| on(year, m, d);
        let mut out = DemoOutcome::default();
        let plans: Vec<Planned> = (0..count)
            .map(|i| plan(i, year, deputy.filter(|_| i % 25 == 3)))
            .collect();
        // After the session: the office registers the list in one upload.
        self.clock.set_today(day(1, 13));
        let entries: Vec<NewProposal> = plans.iter().map(|p| p.entry.clone()).collect();
        let book = workbook(&entries)?;
        let imported = self.proposal_import(&office(), &book, false)?;
        out.registered = imported.registered.len();
        let ids = imported.registered;
        let mut steps = Vec::new();
        let meeting = day(2, 20);
        for (i, p) in plans.iter().enumerate() {
            let mut assign_day = meeting;
            if p.entry.needs_instruction {
                steps.push(step(
                    day(2, 10),
                    i,
                    office(),
                    "route-instruction",
                    json!({"leader": LEADER}),
                ));
                if roll(i, 30) < 50 {
                    continue; // still with the leader
                }
                steps.push(noted(
                    step(day(2, 14), i, vice_mayor(), "instruct", json!({})),
                    "同意交办，请主办单位认真研究办理。",
                ));
                assign_day = day(2, 24);
            }
            if roll(i, 31) < 2 {
                continue; // left for the office to assign in the browser
            }
            let mut fields = json!({"lead_unit": p.lead, "leader": LEADER});
            if !p.co.is_empty() {
                fields["co_units"] = json!(p.co.join("、"));
            }
            steps.push(noted(
                step(assign_day, i, office(), "assign", fields),
                "交办会交办",
            ));
            let r = roll(i, 32);
            if r < 4 {
                let asked = assign_day + Duration::days(7);
                steps.push(noted(
                    step(asked, i, drafter(p.lead), "request-return", json!({})),
                    "所提事项不属于本单位职责，建议交由相关主管部门办理（第七条）。",
                ));
                if r < 3 {
                    steps.push(noted(
                        step(
                            asked + Duration::days(2),
                            i,
                            office(),
                            "approve-return",
                            json!({}),
                        ),
                        "同意退回",
                    ));
                    let other = TOPICS[(i + 5) % TOPICS.len()].0;
                    let again = asked + Duration::days(4);
                    steps.push(noted(
                        step(
                            again,
                            i,
                            office(),
                            "assign",
                            json!({"lead_unit": other, "leader": LEADER}),
                        ),
                        "退回后重新交办",
                    ));
                    let moved = Planned {
                        entry: p.entry.clone(),
                        lead: other,
                        co: vec![],
                    };
                    handling(i, &moved, again, today, &mut steps);
                    continue;
                }
                steps.push(noted(
                    step(
                        asked + Duration::days(2),
                        i,
                        office(),
                        "refuse-return",
                        json!({}),
                    ),
                    "所提事项属于本单位职责范围，请认真办理。",
                ));
            }
            handling(i, p, assign_day, today, &mut steps);
        }
        steps.retain(|s| s.day <= today);
        // The 交办会: what the office assigns on the meeting day goes in one batch (the
        // assignment sheet's service), after what came before it (leaders' instructions).
        let (before, rest): (Vec<Step>, Vec<Step>) =
            steps.into_iter().partition(|s| s.day < meeting);
        let (sheet, after): (Vec<Step>, Vec<Step>) = rest
            .into_iter()
            .partition(|s| s.day == meeting && s.action == "assign");
        self.play(before, &ids, &mut out)?;
        if !sheet.is_empty() {
            self.clock.set_today(meeting);
            let mut lines = Vec::with_capacity(sheet.len());
            for s in &sheet {
                let text = |k: &str| s.fields[k].as_str().unwrap_or_default().to_string();
                lines.push(BatchLine {
                    id: ids[s.item],
                    version: self.version_of(ids[s.item])?,
                    lead_unit: text("lead_unit"),
                    co_units: text("co_units"),
                    leader: text("leader"),
                    received_date: String::new(),
                });
            }
            for r in self.proposal_assign_batch(&office(), &lines)? {
                match (r.assigned, r.code, r.message) {
                    (true, _, _) => out.actions += 1,
                    (false, code, message) => out.refused.push(format!(
                        "{meeting} 第{}件 assign：{}（{}）",
                        r.id,
                        message.unwrap_or_default(),
                        code.unwrap_or_default()
                    )),
                }
            }
        }
        self.play(after, &ids, &mut out)?;
        Ok(out)
    }

    /// The version the engine holds of an item (what a user's page would carry).
    fn version_of(&self, id: i64) -> Result<i64> {
        Ok(self
            .store
            .read(|c| luoshi_store::cases::get_case(c, id))?
            .map_or(0, |c| c.version))
    }

    /// Play planned steps in date order, each on its day of the business clock, on the
    /// version the engine holds; a refused step is kept in `out` with its reason.
    fn play(&self, mut steps: Vec<Step>, ids: &[i64], out: &mut DemoOutcome) -> Result<()> {
        steps.sort_by_key(|s| (s.day, s.item));
        for s in steps {
            self.clock.set_today(s.day);
            let id = ids[s.item];
            let input = ActionInput {
                action: s.action.into(),
                version: self.version_of(id)?,
                note: s.note,
                fields: s.fields.as_object().cloned().unwrap_or_default(),
                attachments: vec![],
            };
            match self.proposal_act(&s.who, id, &input) {
                Ok(_) => out.actions += 1,
                Err(e) => out.refused.push(format!(
                    "{} 第{}件 {}：{}（{}）",
                    s.day, id, s.action, e.message, e.code
                )),
            }
        }
        Ok(())
    }

    /// Items of the recess (闭会期间), registered one by one in the last weeks before
    /// `today` and caught in the states a running year always has: not yet assigned, a return
    /// asked for and not yet decided, returned and awaiting the office, a reply the proposer
    /// is not satisfied with, a province item's formal reply awaiting the vice-mayor.
    fn recess_items(&self, today: NaiveDate, out: &mut DemoOutcome) -> Result<()> {
        let ago = |d: i64| today - Duration::days(d);
        let mut steps = Vec::new();
        let mut ids = Vec::new();
        for k in 0..RECESS_ITEMS {
            let i = SESSION_ITEMS + k;
            let mut p = plan(i, DEMO_YEAR, None);
            p.entry.session = "闭会期间".into();
            p.entry.number = format!("B{:03}", k + 1);
            p.entry.needs_instruction = false;
            if k == 8 {
                p.entry.source = "省人大".into();
                p.entry.kind = "建议".into();
            } else if p.entry.source.starts_with('省') {
                p.entry.source = "市人大".into();
            }
            let registered = match k {
                0..=4 => ago(3),
                5 => ago(14),
                6 => ago(11),
                7 => ago(65),
                _ => ago(70),
            };
            self.clock.set_today(registered);
            ids.push(self.proposal_register(&office(), &p.entry)?.id);
            out.registered += 1;
            let lead = p.lead;
            let assign = |d: i64| {
                noted(
                    step(
                        ago(d),
                        k,
                        office(),
                        "assign",
                        json!({"lead_unit": lead, "leader": LEADER}),
                    ),
                    "闭会期间交办",
                )
            };
            let ask = |d: i64| {
                noted(
                    step(ago(d), k, drafter(lead), "request-return", json!({})),
                    "所提事项不属于本单位职责，建议交由相关主管部门办理（第七条）。",
                )
            };
            let answer = |d: i64, rating: &str| {
                vec![
                    step(
                        ago(d),
                        k,
                        drafter(lead),
                        "record-meeting",
                        json!({"met_date": ago(d).to_string(), "form": "当面沟通",
                               "summary": "与代表委员当面沟通办理思路。"}),
                    ),
                    step(
                        ago(d - 10),
                        k,
                        drafter(lead),
                        "reply",
                        json!({"class": "B", "text": "您提出的建议（提案）收悉。经认真研究，已列入计划逐步解决。",
                               "summary": "已列入计划逐步解决。", "signer": "分管副局长"}),
                    ),
                    step(ago(d - 11), k, reviewer(lead), "approve", json!({})),
                    step(
                        ago(d - 25),
                        k,
                        office(),
                        "feedback",
                        json!({"rating": rating, "comment": if rating == "不满意" { "答复未回应具体问题，希望进一步落实。" } else { "" }}),
                    ),
                ]
            };
            match k {
                5 => {
                    steps.push(assign(12));
                    steps.push(ask(6));
                    steps.push(noted(
                        step(ago(4), k, office(), "approve-return", json!({})),
                        "同意退回，另行交办",
                    ));
                }
                6 => {
                    steps.push(assign(9));
                    steps.push(ask(2));
                }
                7 => {
                    steps.push(assign(60));
                    steps.extend(answer(30, "不满意"));
                }
                8 => {
                    steps.push(assign(65));
                    steps.extend(answer(35, "满意"));
                    steps.push(step(
                        ago(2),
                        k,
                        office(),
                        "compile-formal",
                        json!({"formal_text": "郑州市人民政府关于省人大代表建议的答复：已列入计划逐步解决。",
                               "letter_no": format!("郑政函〔{DEMO_YEAR}〕{}号", 100 + i), "leader": LEADER}),
                    ));
                }
                _ => {}
            }
        }
        self.play(steps, &ids, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_spreads_items_over_units_sources_and_states() {
        let plans: Vec<Planned> = (0..SESSION_ITEMS).map(|i| plan(i, 2020, None)).collect();
        let npc = plans.iter().filter(|p| p.entry.source == "市人大").count();
        let cppcc = plans.iter().filter(|p| p.entry.source == "市政协").count();
        let province = plans.iter().filter(|p| p.entry.source == "省人大").count();
        assert!(
            npc > 250 && cppcc > 180 && province > 5,
            "{npc} {cppcc} {province}"
        );
        assert!(plans.iter().filter(|p| !p.co.is_empty()).count() > 100);
        assert!(plans.iter().any(|p| p.entry.needs_instruction));
        assert!(plans.iter().all(|p| p.co.iter().all(|c| *c != p.lead)));
    }
}
