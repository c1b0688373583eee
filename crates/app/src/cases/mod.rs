//! The case foundation (事项引擎): one engine every procedure stands on.
//!
//! A case (事项) has owners, a state, a version, a history and clocks. A procedure declares
//! its states and actions as a table ([`Procedure`]); [`App::act`] checks each action against
//! that table and runs it in **one transaction**: the procedure's own effect (a report filed,
//! owners changed, a clock moved), the state change (refused when the case moved on since the
//! user loaded it), the history row with its attachments, the audit entry, and the messages it
//! queues in the outbox. Either all of it happens or none of it does.

pub mod attachments;
pub mod clocks;
pub mod outbox;
pub mod procedure;
pub mod units;
pub mod worker;

pub use procedure::{Action, Need, Party, Procedure, State};

use crate::{App, Result, Viewer};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use luoshi_domain::{AuditDraft, Error, Role};
use luoshi_store::cases::{self as db, CaseOwnerRow, CaseRow, NewEvent};
use luoshi_store::OwnerRole;
use luoshi_store::{audit, Conn};
use serde::Serialize;

/// China Standard Time (Asia/Shanghai has no daylight saving time since 1991).
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The business clock: real time, or real time shifted so that today is a chosen date (the
/// demo, training, tests). The shift can be changed while running (the demo replays a
/// season's work day by day).
#[derive(Debug, Default)]
pub struct BusinessClock {
    offset_secs: std::sync::atomic::AtomicI64,
}

impl BusinessClock {
    /// Real time, or shifted so that today (in Shanghai) is `today`.
    pub fn new(today: Option<NaiveDate>) -> Self {
        let clock = BusinessClock::default();
        if let Some(d) = today {
            clock.set_today(d);
        }
        clock
    }

    /// Shift the clock so that today is `today` (the time of day stays real).
    pub fn set_today(&self, today: NaiveDate) {
        let real = Utc::now().with_timezone(&shanghai()).date_naive();
        let offset = today.signed_duration_since(real).num_seconds();
        self.offset_secs
            .store(offset, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the clock runs on a simulated date.
    pub fn is_simulated(&self) -> bool {
        self.offset_secs.load(std::sync::atomic::Ordering::Relaxed) != 0
    }

    pub fn now_utc(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_secs.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// RFC 3339 UTC with seconds, as every stored timestamp.
    pub fn now(&self) -> String {
        self.now_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// Today's civil date in Shanghai.
    pub fn today(&self) -> NaiveDate {
        self.now_utc().with_timezone(&shanghai()).date_naive()
    }
}

/// How a viewer relates to a case; decides which [`Party`] they may act as.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Relation {
    pub office: bool,
    pub lead: bool,
    pub co: bool,
    pub leader: bool,
    pub proposer: bool,
    /// The viewer's unit, when they act for one.
    pub unit: Option<String>,
}

impl Relation {
    /// The viewer's relation to a case of `procedure` owned by `owners`.
    pub fn of(procedure: &Procedure, viewer: &Viewer, owners: &[CaseOwnerRow]) -> Relation {
        let Some(user) = viewer.user() else {
            return Relation::default();
        };
        let office = user.has(Role::Admin) || procedure.office.iter().any(|r| user.has(*r));
        let unit = user.unit_id.clone().filter(|_| user.has(Role::UnitStaff));
        let owns = |role: OwnerRole| {
            unit.as_deref().is_some_and(|u| {
                owners
                    .iter()
                    .any(|o| o.role == role && o.unit_id.as_deref() == Some(u))
            })
        };
        let lead = owns(OwnerRole::Lead);
        let co = owns(OwnerRole::Co) || owns(OwnerRole::Assist);
        let leader = user.has(Role::Leader)
            && user.leader_name.as_deref().is_some_and(|l| {
                owners
                    .iter()
                    .any(|o| o.role == OwnerRole::Leader && o.name == l)
            });
        let proposer = owners
            .iter()
            .any(|o| o.role == OwnerRole::Proposer && o.user_id == Some(user.id));
        Relation {
            office,
            lead,
            co,
            leader,
            proposer,
            unit: if lead || co { unit } else { None },
        }
    }

    pub fn is(&self, p: Party) -> bool {
        match p {
            Party::Office => self.office,
            Party::LeadUnit => self.lead,
            Party::CoUnit => self.co,
            Party::Leader => self.leader,
            Party::Proposer => self.proposer,
        }
    }

    /// Whether the viewer may read the case at all.
    pub fn may_read(&self, viewer: &Viewer) -> bool {
        self.office
            || self.lead
            || self.co
            || self.leader
            || self.proposer
            || viewer.user().is_some_and(|u| u.sees_all_units())
    }
}

/// What a user asks an action to do.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub action: String,
    /// The case version the user saw; an older one is refused (409) and nothing changes.
    pub version: i64,
    pub note: Option<String>,
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub attachments: Vec<attachments::Upload>,
}

impl ActionInput {
    /// A text field, trimmed; `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        match self.fields.get(name)? {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// An integer field (a number or a numeric string).
    pub fn int(&self, name: &str) -> Result<Option<i64>> {
        match self.fields.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| bad_int(name)),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(serde_json::Value::String(s)) => {
                s.trim().parse().map(Some).map_err(|_| bad_int(name))
            }
            Some(_) => Err(bad_int(name)),
        }
    }

    fn has(&self, need: &Need) -> bool {
        match need {
            Need::Note => self.note.as_deref().is_some_and(|n| !n.trim().is_empty()),
            Need::Attachment => !self.attachments.is_empty(),
            Need::Field(name, _) => match self.fields.get(*name) {
                None | Some(serde_json::Value::Null) => false,
                Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
                Some(serde_json::Value::Array(a)) => !a.is_empty(),
                Some(_) => true,
            },
        }
    }
}

fn bad_int(name: &str) -> Error {
    Error::bad_input("E_INPUT", format!("字段 {name} 应为整数"))
}

/// Everything a procedure's hook sees while an action runs.
pub struct Context<'a> {
    pub case: &'a CaseRow,
    pub owners: &'a [CaseOwnerRow],
    pub action: &'static Action,
    pub input: &'a ActionInput,
    pub viewer: &'a Viewer,
    pub relation: &'a Relation,
    /// Business time of the action.
    pub at: &'a str,
    pub today: NaiveDate,
}

/// Who a message goes to, relative to the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// The procedure's office staff.
    Office,
    LeadUnits,
    CoUnits,
    Leaders,
    Proposer,
    /// Staff of these units.
    Units(Vec<String>),
}

/// A message an action sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notify {
    pub to: Audience,
    pub subject: String,
    pub body: String,
}

/// What a procedure's hook did and asks the engine to record.
#[derive(Debug, Default)]
pub struct Effects {
    /// Overrides the table's target state (e.g. a final report that completes the item).
    pub to_state: Option<&'static str>,
    /// Recorded with the history row (the report id, the new due date, …).
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Replaces the case's own data when set.
    pub case_data: Option<serde_json::Value>,
    pub notify: Vec<Notify>,
}

/// A procedure's own behaviour, beyond its table.
pub trait Hooks: Sync {
    fn procedure(&self) -> &'static Procedure;

    /// Do the procedure's part of an action inside the transaction (validate the input, file
    /// a report, move a clock, …). An error rolls everything back.
    fn apply(&self, app: &App, c: &mut dyn Conn, cx: &Context) -> Result<Effects>;

    /// After the history row exists (to point the procedure's rows at it) and the state has
    /// changed (to recompute derived status). Still inside the transaction.
    fn after(
        &self,
        _app: &App,
        _c: &mut dyn Conn,
        _cx: &Context,
        _effects: &Effects,
        _event_id: i64,
    ) -> Result<()> {
        Ok(())
    }
}

/// An action a viewer may take now: its stable name and its Chinese label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionRef {
    pub name: &'static str,
    pub label: &'static str,
}

/// A case with its owners, as a viewer may see it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub case: CaseRow,
    pub owners: Vec<CaseOwnerRow>,
    pub relation: Relation,
    /// The actions this viewer may take now.
    pub actions: Vec<ActionRef>,
}

/// The result of an action.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acted {
    pub case_id: i64,
    pub event_id: i64,
    pub from_state: String,
    pub to_state: String,
    pub version: i64,
}

/// The actions `relation` may take on a case in `state`.
pub fn available(
    procedure: &'static Procedure,
    state: &str,
    relation: &Relation,
) -> Vec<ActionRef> {
    procedure
        .actions
        .iter()
        .filter(|a| a.from.contains(&state) && a.by.iter().any(|p| relation.is(*p)))
        .map(|a| ActionRef {
            name: a.name,
            label: a.label,
        })
        .collect()
}

/// The refusal for a viewer who may not see a case: 401 for the public, 403 for a user; the
/// case's content is never part of the message.
pub fn no_access(viewer: &Viewer) -> Error {
    if viewer.user().is_none() {
        Error::unauthenticated()
    } else {
        Error::forbidden("您没有权限查看此事项")
    }
}

impl App {
    /// Load a case the viewer may read, with its owners and the actions open to them.
    pub fn case_view(
        &self,
        viewer: &Viewer,
        procedure: &'static Procedure,
        case_id: i64,
    ) -> Result<CaseView> {
        self.store
            .read(|c| case_view_in(c, viewer, procedure, case_id))
    }

    /// Take an action on a case, as the procedure's table allows, in one transaction.
    pub fn act(
        &self,
        viewer: &Viewer,
        hooks: &dyn Hooks,
        case_id: i64,
        input: &ActionInput,
    ) -> Result<Acted> {
        let today = self.today();
        self.store
            .write(|c| self.act_in(c, viewer, hooks, case_id, input, today))
    }

    /// [`App::act`] inside a transaction the caller holds (several actions all-or-nothing,
    /// e.g. a ledger upload).
    pub fn act_in(
        &self,
        c: &mut dyn Conn,
        viewer: &Viewer,
        hooks: &dyn Hooks,
        case_id: i64,
        input: &ActionInput,
        today: NaiveDate,
    ) -> Result<Acted> {
        let procedure = hooks.procedure();
        let Some(action) = procedure.action(&input.action) else {
            return Err(Error::bad_input(
                "E_ACTION_UNKNOWN",
                format!("“{}”没有名为“{}”的操作", procedure.label, input.action),
            ));
        };
        let checked = attachments::check_all(&input.attachments)?;
        let at = self.now();
        let view = case_view_in(c, viewer, procedure, case_id)?;
        let case = &view.case;
        if case.version != input.version {
            return Err(stale(case.version, input.version));
        }
        if !action.by.iter().any(|p| view.relation.is(*p)) {
            let who: Vec<&str> = action.by.iter().map(|p| p.label()).collect();
            return Err(Error::forbidden(format!(
                "“{}”只能由{}执行（依据 {}）",
                action.label,
                who.join("或"),
                action.cites
            )));
        }
        if !action.from.contains(&case.state.as_str()) {
            return Err(Error::conflict(
                "E_STATE",
                format!(
                    "此事项当前为“{}”，不能执行“{}”（依据 {}）",
                    procedure.state_label(&case.state),
                    action.label,
                    action.cites
                ),
            ));
        }
        let missing: Vec<&str> = action
            .needs
            .iter()
            .filter(|n| !input.has(n))
            .map(|n| match n {
                Need::Note => "说明",
                Need::Attachment => "附件",
                Need::Field(_, label) => label,
            })
            .collect();
        if !missing.is_empty() {
            return Err(Error::bad_input(
                "E_INPUT",
                format!("“{}”需要填写：{}", action.label, missing.join("、")),
            ));
        }
        let cx = Context {
            case,
            owners: &view.owners,
            action,
            input,
            viewer,
            relation: &view.relation,
            at: &at,
            today,
        };
        let effects = hooks.apply(self, c, &cx)?;
        let to_state = effects.to_state.or(action.to).unwrap_or(&case.state);
        let data = effects
            .case_data
            .clone()
            .unwrap_or_else(|| case.data.clone());
        if !db::advance(c, case.id, case.version, to_state, &data, &at)? {
            return Err(stale(case.version + 1, input.version));
        }
        let event_data = serde_json::Value::Object(effects.data.clone());
        let event_id = db::insert_event(
            c,
            &NewEvent {
                case_id: case.id,
                at: &at,
                actor: &viewer.actor(),
                actor_unit: view.relation.unit.as_deref(),
                action: action.name,
                from_state: &case.state,
                to_state,
                note: input.note.as_deref().map(str::trim),
                data: &event_data,
                version: case.version + 1,
            },
        )?;
        for (upload, sha) in input.attachments.iter().zip(&checked) {
            db::put_attachment(c, &sha.sha256, sha.mime, &upload.content, &at)?;
            db::link_attachment(c, event_id, &sha.sha256, &upload.filename)?;
        }
        audit::append(
            c,
            &AuditDraft {
                actor: viewer.actor(),
                action: format!("case.{}.{}", procedure.name, action.name),
                entity: "case".into(),
                entity_id: case.id.to_string(),
                before: Some(
                    serde_json::json!({"state": case.state, "version": case.version}).to_string(),
                ),
                after: Some(
                    serde_json::json!({
                        "state": to_state, "version": case.version + 1,
                        "note": input.note, "data": event_data,
                        "attachments": checked.iter().map(|a| &a.sha256).collect::<Vec<_>>(),
                    })
                    .to_string(),
                ),
            },
            &at,
        )?;
        hooks.after(self, c, &cx, &effects, event_id)?;
        // Messages go to the owners as the action left them (a new unit, a new leader).
        let owners_now = db::owners(c, case.id)?;
        outbox::queue_notifications(
            self,
            c,
            procedure,
            case,
            &owners_now,
            &effects.notify,
            &format!("event:{event_id}"),
            &at,
        )?;
        Ok(Acted {
            case_id: case.id,
            event_id,
            from_state: case.state.clone(),
            to_state: to_state.to_string(),
            version: case.version + 1,
        })
    }
}

/// Bump an area's generation counter (a setting such as `generation.supervision`) inside the
/// writing transaction, so cached views of the area know they are stale.
pub fn bump_generation(c: &mut dyn Conn, key: &str, at: &str) -> Result<()> {
    let next = db::setting(c, key)?
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0)
        + 1;
    db::set_setting(c, key, &next.to_string(), at, "system")?;
    Ok(())
}

/// What a viewer may see of an area, as the view cache keys it: two viewers with the same
/// scope share every value derived for it (a rendered page, an export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewScope {
    /// The setting the area's writes bump (e.g. `generation.proposals`).
    pub generation: &'static str,
    /// The viewer's reach within the area (its filter), as text.
    pub key: String,
}

impl App {
    /// Anything derived from an area's data for one viewer scope — a rendered page, an
    /// export — built once and reused until that data or the business date changes. `part`
    /// names what is built and everything else it depends on (the query, the page number).
    pub fn derived<T: Send + Sync + 'static>(
        &self,
        scope: &ViewScope,
        part: &str,
        build: impl FnOnce() -> Result<T>,
    ) -> Result<std::sync::Arc<T>> {
        let stamp = self.generation_stamp(scope.generation)?;
        self.cache.get_or(
            &format!("derived|{}|{}|{part}", scope.generation, scope.key),
            &stamp,
            build,
        )
    }

    /// The stamp of an area's cached views: its generation counter and the business date.
    pub fn generation_stamp(&self, key: &str) -> Result<String> {
        let generation = self.store.read(|c| db::setting(c, key))?;
        Ok(format!(
            "{}|{}",
            generation.unwrap_or_default(),
            self.today()
        ))
    }
}

fn stale(current: i64, seen: i64) -> Error {
    Error::conflict(
        "E_STALE",
        format!(
            "此事项已被他人更新（您看到的是第 {seen} 版，当前为第 {current} 版），\
             您的操作未执行、填写的内容未丢失；请刷新后核对再提交"
        ),
    )
}

/// [`App::case_view`] inside a transaction.
pub fn case_view_in(
    c: &mut dyn Conn,
    viewer: &Viewer,
    procedure: &'static Procedure,
    case_id: i64,
) -> Result<CaseView> {
    let case = db::get_case(c, case_id)?
        .filter(|k| k.procedure == procedure.name)
        .ok_or_else(|| Error::not_found(format!("{}（编号 {case_id}）", procedure.label)))?;
    let owners = db::owners(c, case_id)?;
    let relation = Relation::of(procedure, viewer, &owners);
    if !relation.may_read(viewer) {
        return Err(no_access(viewer));
    }
    let actions = available(procedure, &case.state, &relation);
    Ok(CaseView {
        case,
        owners,
        relation,
        actions,
    })
}
