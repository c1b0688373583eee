//! Registration (登记, 郑政办〔2020〕27号 第二条、第四条、第十七条): an item's source, kind, session,
//! key-item mark, subject, text and its proposers — several may sign one, each with name and
//! contact as fields, linked to their account when they have one. Every problem with an entry
//! is reported at once; possible duplicates of earlier items (the same proposers and a similar
//! subject) are shown, not refused.

use super::{bump_generation, item_ref};
use crate::{App, Result, Viewer};
use luoshi_domain::{AuditDraft, Error, Role};
use luoshi_rules::proposal::{Kind, Source};
use luoshi_store::cases::{self as cdb, CaseOwnerRow, NewCase, NewEvent};
use luoshi_store::proposals::{self as pdb, NewItem, ProposerRow};
use luoshi_store::OwnerRole;
use luoshi_store::{audit, users, Conn};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Longest subject accepted (characters).
pub const MAX_SUBJECT: usize = 200;
/// Most proposers on one item.
pub const MAX_PROPOSERS: usize = 60;

/// A proposer as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProposer {
    pub name: String,
    /// 代表, 委员, 党派团体, 组织 (default from the source).
    #[serde(default)]
    pub role: String,
    /// 代表团, 界别 or 党派.
    #[serde(default)]
    pub affiliation: String,
    /// Phone, e-mail or address, as given.
    #[serde(default)]
    pub contact: String,
    /// The proposer's account (a deputy or member), when they have one.
    #[serde(default)]
    pub username: Option<String>,
}

/// An item as entered (one registration or one spreadsheet row).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProposal {
    pub year: i64,
    /// 编号 as the congress or CPPCC numbers it.
    pub number: String,
    /// 来源: 市人大, 市政协, 省人大, 省政协, 全国人大, 全国政协 (or their codes).
    pub source: String,
    /// 类别: 建议, 提案, 建议案.
    pub kind: String,
    /// 会期: 会议期间 (session) or 闭会期间 (recess).
    #[serde(default)]
    pub session: String,
    /// 会议名称, e.g. 市十五届人大四次会议.
    #[serde(default)]
    pub session_name: String,
    /// 重点建议、重点提案.
    #[serde(default)]
    pub key_item: bool,
    /// 第六条: to be read and instructed by the leader in charge before assignment.
    #[serde(default)]
    pub needs_instruction: bool,
    pub subject: String,
    pub text: String,
    pub proposers: Vec<NewProposer>,
}

/// An entry that passed every check.
#[derive(Debug, Clone)]
pub struct Checked {
    pub entry: NewProposal,
    pub source: Source,
    pub kind: Kind,
    pub session: &'static str,
    /// Each proposer's linked account id.
    pub users: Vec<Option<i64>>,
}

/// A possible duplicate of an earlier item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Duplicate {
    pub id: i64,
    pub year: i64,
    pub number: String,
    pub subject: String,
    /// Proposers both items carry.
    pub shared: Vec<String>,
    /// Subject similarity (Dice coefficient of character pairs), in percent.
    pub similarity: u32,
}

/// What a registration made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registered {
    pub id: i64,
    pub duplicates: Vec<Duplicate>,
}

/// 会议期间 / 闭会期间 from what people write.
fn parse_session(s: &str) -> Option<&'static str> {
    match s.trim() {
        "" | "session" | "会议期间" | "大会期间" | "大会" | "会期" => Some("session"),
        "recess" | "闭会期间" | "闭会" => Some("recess"),
        _ => None,
    }
}

/// Check an entry: every problem, in Chinese (empty when it is good).
pub fn check(
    c: &mut dyn Conn,
    e: &NewProposal,
) -> Result<std::result::Result<Checked, Vec<String>>> {
    let mut problems = Vec::new();
    if !(2000..=2100).contains(&e.year) {
        problems.push(format!("年度 {} 不在 2000 至 2100 之间", e.year));
    }
    let number = e.number.trim();
    if number.is_empty() || number.chars().count() > 40 {
        problems.push("编号不能为空，且不超过 40 个字符".into());
    }
    let source = Source::parse(&e.source);
    if source.is_none() {
        problems.push(format!(
            "来源“{}”应为 市人大、市政协、省人大、省政协、全国人大、全国政协 之一",
            e.source
        ));
    }
    let kind = Kind::parse(&e.kind);
    match (kind, source) {
        (None, _) => problems.push(format!("类别“{}”应为 建议、提案 或 建议案", e.kind)),
        (Some(k), Some(s)) if !k.fits(s) => problems.push(format!(
            "{}不能来自{}（第二条：人大代表提建议，政协委员提提案，市政协组织提建议案）",
            k.label(),
            s.label()
        )),
        _ => {}
    }
    let session = parse_session(&e.session);
    if session.is_none() {
        problems.push(format!("会期“{}”应为 会议期间 或 闭会期间", e.session));
    }
    let subject = e.subject.trim();
    if subject.is_empty() || subject.chars().count() > MAX_SUBJECT {
        problems.push(format!("题目不能为空，且不超过 {MAX_SUBJECT} 个字"));
    }
    if e.text.trim().is_empty() {
        problems.push("内容不能为空".into());
    }
    if e.proposers.is_empty() {
        problems.push("至少应有一位提出人".into());
    }
    if e.proposers.len() > MAX_PROPOSERS {
        problems.push(format!("提出人不超过 {MAX_PROPOSERS} 位"));
    }
    let mut users = Vec::with_capacity(e.proposers.len());
    let mut seen = BTreeSet::new();
    for (n, p) in e.proposers.iter().enumerate() {
        let name = p.name.trim();
        if name.is_empty() || name.chars().count() > 40 {
            problems.push(format!(
                "第{}位提出人的姓名不能为空，且不超过 40 个字",
                n + 1
            ));
        } else if !seen.insert(name.to_string()) {
            problems.push(format!("提出人“{name}”重复"));
        }
        if p.contact.chars().count() > 200 {
            problems.push(format!("提出人“{name}”的联系方式超过 200 个字"));
        }
        let linked = match p
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            None => None,
            Some(u) => match users::by_username(c, u)? {
                Some(found) if found.user.has(Role::Deputy) && !found.user.disabled => {
                    Some(found.user.id)
                }
                Some(_) => {
                    problems.push(format!("账号“{u}”不是在用的代表委员账号，不能关联为提出人"));
                    None
                }
                None => {
                    problems.push(format!("账号“{u}”不存在"));
                    None
                }
            },
        };
        users.push(linked);
    }
    if let (Some(s), true) = (source, problems.is_empty()) {
        if pdb::number_taken(c, e.year, s.as_str(), number)? {
            problems.push(format!("{}年{}第{number}号已登记", e.year, s.label()));
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let (Some(source), Some(kind), Some(session)) = (source, kind, session) else {
        return Ok(Err(vec!["登记信息不完整".into()]));
    };
    let mut entry = e.clone();
    entry.number = number.to_string();
    entry.subject = subject.to_string();
    entry.text = e.text.trim().to_string();
    for p in &mut entry.proposers {
        p.name = p.name.trim().to_string();
        p.contact = p.contact.trim().to_string();
        p.affiliation = p.affiliation.trim().to_string();
        if p.role.trim().is_empty() {
            p.role = if source.is_npc() { "代表" } else { "委员" }.into();
        }
    }
    Ok(Ok(Checked {
        entry,
        source,
        kind,
        session,
        users,
    }))
}

/// The characters of a subject that carry its meaning (wrapping words and punctuation gone).
fn core(subject: &str) -> Vec<char> {
    let mut s = subject.trim().to_string();
    for w in [
        "关于",
        "的建议案",
        "的建议",
        "的提案",
        "建议案",
        "建议",
        "提案",
    ] {
        s = s.replace(w, "");
    }
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Dice coefficient of two subjects' character pairs, in percent.
pub fn similarity(a: &str, b: &str) -> u32 {
    let pairs =
        |s: &[char]| -> BTreeSet<(char, char)> { s.windows(2).map(|w| (w[0], w[1])).collect() };
    let (a, b) = (pairs(&core(a)), pairs(&core(b)));
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let shared = a.intersection(&b).count();
    (200 * shared / (a.len() + b.len())) as u32
}

/// Similarity (percent) from which two subjects are shown as a possible duplicate.
pub const DUPLICATE_SIMILARITY: u32 = 50;

/// Earlier items signed by the same proposers (one set contains the other) with a similar
/// subject.
pub fn possible_duplicates(
    c: &mut dyn Conn,
    e: &NewProposal,
    except: i64,
) -> Result<Vec<Duplicate>> {
    let names: Vec<String> = e
        .proposers
        .iter()
        .map(|p| p.name.trim().to_string())
        .collect();
    let mine: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let signed = pdb::items_signed_by(c, &names)?;
    let mut candidates: HashMap<i64, (i64, String, String)> = HashMap::new();
    for s in signed.into_iter().filter(|s| s.case_id != except) {
        candidates
            .entry(s.case_id)
            .or_insert((s.year, s.number, s.subject));
    }
    let ids: Vec<i64> = candidates.keys().copied().collect();
    let theirs = pdb::proposers_of(c, &ids)?;
    let mut out: Vec<Duplicate> = Vec::new();
    for (id, (year, number, subject)) in candidates {
        let other: BTreeSet<&str> = theirs
            .get(&id)
            .map(|ps| ps.iter().map(|p| p.name.as_str()).collect())
            .unwrap_or_default();
        if !(other.is_subset(&mine) || mine.is_subset(&other)) {
            continue;
        }
        let sim = similarity(&e.subject, &subject);
        if sim < DUPLICATE_SIMILARITY {
            continue;
        }
        out.push(Duplicate {
            id,
            year,
            number,
            subject,
            shared: mine.intersection(&other).map(|s| s.to_string()).collect(),
            similarity: sim,
        });
    }
    out.sort_by(|a, b| b.similarity.cmp(&a.similarity).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Whether the viewer registers items (the office or an administrator).
pub fn require_office(viewer: &Viewer) -> Result<()> {
    let user = viewer.user().ok_or_else(Error::unauthenticated)?;
    if user.has(Role::Admin) || user.has(Role::Proposals) {
        Ok(())
    } else {
        Err(Error::forbidden("只有建议提案处可以登记建议提案"))
    }
}

/// Insert a checked entry: the case, its proposal record, proposers, owners, the history row
/// and the audit entry. Returns the new id.
pub fn insert(c: &mut dyn Conn, viewer: &Viewer, k: &Checked, at: &str) -> Result<i64> {
    let e = &k.entry;
    let ref_key = format!("{}:{}:{}", e.year, k.source.as_str(), e.number);
    let data = serde_json::json!({});
    let id = cdb::insert_case(
        c,
        &NewCase {
            procedure: "proposal",
            ref_key: &ref_key,
            title: &e.subject,
            body: &e.text,
            document_id: None,
            doc_no: None,
            clause: None,
            lines: None,
            state: "registered",
            data: &data,
            at,
        },
    )?
    .ok_or_else(|| {
        Error::conflict(
            "E_DUPLICATE",
            format!("{}年{}第{}号已登记", e.year, k.source.label(), e.number),
        )
    })?;
    let by = viewer.actor();
    pdb::insert_item(
        c,
        &NewItem {
            case_id: id,
            year: e.year,
            number: &e.number,
            source: k.source.as_str(),
            kind: k.kind.as_str(),
            session: k.session,
            session_name: &e.session_name,
            key_item: e.key_item,
            needs_instruction: e.needs_instruction,
            at,
            by: &by,
        },
    )?;
    let mut owners = Vec::new();
    for (n, (p, user)) in e.proposers.iter().zip(&k.users).enumerate() {
        pdb::insert_proposer(
            c,
            &ProposerRow {
                id: 0,
                case_id: id,
                ord: n as i64 + 1,
                name: p.name.clone(),
                role: p.role.clone(),
                affiliation: p.affiliation.clone(),
                contact: p.contact.clone(),
                user_id: *user,
            },
        )?;
        if user.is_some() {
            owners.push(CaseOwnerRow {
                role: OwnerRole::Proposer,
                name: p.name.clone(),
                unit_id: None,
                group_id: None,
                via_group: None,
                user_id: *user,
                open: false,
                resolved: true,
            });
        }
    }
    cdb::set_owners(c, id, &owners)?;
    let summary = serde_json::json!({
        "year": e.year, "number": e.number, "source": k.source.as_str(),
        "kind": k.kind.as_str(), "session": k.session, "key_item": e.key_item,
        "proposers": e.proposers.len(),
    });
    cdb::insert_event(
        c,
        &NewEvent {
            case_id: id,
            at,
            actor: &by,
            actor_unit: None,
            action: "register",
            from_state: "",
            to_state: "registered",
            note: None,
            data: &summary,
            version: 1,
        },
    )?;
    audit::append(
        c,
        &AuditDraft {
            actor: by.clone(),
            action: "case.proposal.register".into(),
            entity: "case".into(),
            entity_id: id.to_string(),
            before: None,
            after: Some(summary.to_string()),
        },
        at,
    )?;
    Ok(id)
}

impl App {
    /// Register one item (the office); returns its id and possible duplicates of earlier items.
    pub fn proposal_register(&self, viewer: &Viewer, e: &NewProposal) -> Result<Registered> {
        require_office(viewer)?;
        let at = self.now();
        self.store.write(|c| {
            let checked = match check(c, e)? {
                Ok(k) => k,
                Err(problems) => {
                    return Err(Error::bad_input(
                        "E_PROPOSAL_INVALID",
                        format!("登记信息有误，未登记：{}", problems.join("；")),
                    ))
                }
            };
            let id = insert(c, viewer, &checked, &at)?;
            let duplicates = possible_duplicates(c, &checked.entry, id)?;
            super::standing::refresh_item(self, c, id, self.today())?;
            bump_generation(c, &at)?;
            Ok(Registered { id, duplicates })
        })
    }

    /// Possible duplicates of an entry among the items already registered (before registering).
    pub fn proposal_duplicates(&self, viewer: &Viewer, e: &NewProposal) -> Result<Vec<Duplicate>> {
        require_office(viewer)?;
        self.store.read(|c| possible_duplicates(c, e, 0))
    }

    /// A one-line reference to an item for messages and pages.
    pub fn proposal_ref(&self, id: i64) -> Result<String> {
        self.store
            .read(|c| super::item_row(c, id).map(|i| item_ref(&i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_subjects_score_high_and_others_low() {
        let a = "关于加快轨道交通三期建设的建议";
        assert_eq!(similarity(a, a), 100);
        assert!(similarity(a, "关于加快推进轨道交通三期工程建设的提案") >= DUPLICATE_SIMILARITY);
        assert!(similarity(a, "关于加强中小学校园食品安全监管的建议") < DUPLICATE_SIMILARITY);
        assert_eq!(
            similarity("建议", "提案"),
            0,
            "wrapping words alone carry nothing"
        );
    }

    #[test]
    fn sessions_read_as_people_write_them() {
        assert_eq!(parse_session(""), Some("session"));
        assert_eq!(parse_session("闭会期间"), Some("recess"));
        assert_eq!(parse_session("会后"), None);
    }
}
