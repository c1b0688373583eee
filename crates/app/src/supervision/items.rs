//! Making supervised items at import (督办事项生成): every task or measure that names owners
//! becomes an item with its owners, milestones and the document's reporting duties as clocks.
//! Numbered measures under a 措施/任务 heading whose text names no owner become items too; the
//! office assigns their owners. Contingency plans (预案) are not supervised: their tasks are
//! activated by an emergency, not assigned to be carried out. Re-importing changes nothing.

use super::milestones;
use super::status::refresh_item;
use crate::cases::units::task_owner;
use crate::App;
use chrono::{Datelike, NaiveDate};
use luoshi_calendar::Calendar;
use luoshi_domain::Result;
use luoshi_store::cases::{self as cdb, CaseOwnerRow, NewCase, NewClock};
use luoshi_store::gazette as gdb;
use luoshi_store::supervision::{self as sdb, DutyRow, MilestoneRow};
use luoshi_store::{ClauseRow, Conn, DocumentRow, TaskRow};

/// The procedure's name, as stored with each case.
pub const PROCEDURE: &str = "supervision";

/// Office setting: what a duty's due date on a rest day does (`keep` or `postpone`).
pub const REST_DAY_SETTING: &str = "supervision.due_on_rest_day";

/// What a document yielded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Made {
    pub items: usize,
    pub duties: usize,
    pub unassigned: usize,
}

/// A title for an item: an action's name, or the first phrase of a task.
fn title_of(t: &TaskRow) -> String {
    if !t.name.is_empty() {
        return t.name.clone();
    }
    short_title(&t.text)
}

/// The first phrase of a text, at most 40 characters.
pub fn short_title(text: &str) -> String {
    let first = text.split(['。', '；']).next().unwrap_or(text).trim();
    let mut s: String = first.chars().take(40).collect();
    if s.chars().count() < first.chars().count() {
        s.push('…');
    }
    s
}

/// The document's date (`2020年5月26日` or `2020-05-26`), or 1 January of the year in its 文号.
pub fn document_date(d: &DocumentRow) -> Option<NaiveDate> {
    if let Some(date) = &d.date {
        let digits: Vec<u32> = date
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect();
        if let [y, m, dd, ..] = digits[..] {
            if let Some(x) = NaiveDate::from_ymd_opt(y as i32, m, dd) {
                return Some(x);
            }
        }
    }
    let at = d.doc_no.find('〔')?;
    let year: i32 = d.doc_no[at + '〔'.len_utf8()..].get(..4)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, 1, 1)
}

/// The top-level heading a clause sits under (`一、统筹推进疫情防控与经济平稳健康发展`).
fn chapter_of(clauses: &[ClauseRow], path: &str) -> String {
    let top = path
        .find('、')
        .map(|i| &path[..i + '、'.len_utf8()])
        .unwrap_or(path);
    clauses
        .iter()
        .find(|k| k.parent_ord.is_none() && k.path == top)
        .map(|k| format!("{}{}", k.marker, k.heading))
        .unwrap_or_else(|| top.to_string())
}

/// Numbered measures (`1.` … `30.`) under a heading naming 措施 or 任务, or in a document whose
/// title names 措施: the supervisable clauses of documents without tasks.
fn measures<'a>(d: &DocumentRow, clauses: &'a [ClauseRow]) -> Vec<&'a ClauseRow> {
    let title_says = d.title.contains("措施");
    clauses
        .iter()
        .filter(|k| {
            let numbered = k
                .marker
                .trim_end_matches(['.', '．', '、'])
                .chars()
                .all(|c| c.is_ascii_digit())
                && k.marker.starts_with(|c: char| c.is_ascii_digit());
            if !numbered {
                return false;
            }
            title_says
                || ancestors(clauses, k)
                    .any(|a| a.heading.contains("措施") || a.heading.contains("任务"))
        })
        .collect()
}

fn ancestors<'a>(clauses: &'a [ClauseRow], k: &ClauseRow) -> impl Iterator<Item = &'a ClauseRow> {
    let mut parent = k.parent_ord;
    std::iter::from_fn(move || {
        let p = clauses.iter().find(|c| Some(c.ord) == parent)?;
        parent = p.parent_ord;
        Some(p)
    })
}

/// The explanation of a date a document names (a duty's due date, a milestone): the words,
/// what a rest day does under the office's setting, and the calendar it was checked with.
pub fn fixed_date(
    cal: &Calendar,
    date: NaiveDate,
    words: &str,
    cites: &str,
    postpone: bool,
) -> (NaiveDate, serde_json::Value) {
    let mut lines = vec![format!("规则：文件规定的日期（{cites}：“{words}”）")];
    let mut due = date;
    let rest = cal.status(date).ok().filter(|s| !s.is_working());
    if let Some(status) = &rest {
        if postpone {
            let mut next = date;
            while let Some(n) = next.succ_opt() {
                next = n;
                if crate::cases::clocks::is_working_day(cal, next) {
                    break;
                }
            }
            due = next;
            lines.push(format!(
                "该日 {date} 为{}；按督查室设置“顺延至下一工作日”，到期日为 {due}",
                status.reason()
            ));
        } else {
            lines.push(format!(
                "该日 {date} 为{}；按督查室设置“不顺延”，仍以该日为到期日",
                status.reason()
            ));
        }
    }
    lines.push(format!("到期：{due} 当日结束前"));
    lines.push(format!("日历版本：{}", cal.version()));
    (
        due,
        serde_json::json!({
            "rule": "文件规定的日期",
            "words": words,
            "date": date.to_string(),
            "due": due.to_string(),
            "rest_day": rest.map(|s| s.reason()),
            "postpone": postpone,
            "calendar_version": cal.version(),
            "text": lines.join("\n"),
        }),
    )
}

/// Read and store a document's reporting duties; returns them.
fn store_duties(
    c: &mut dyn Conn,
    d: &DocumentRow,
    text: &str,
    upto_line: Option<i64>,
) -> Result<Vec<DutyRow>> {
    let Some(date) = document_date(d) else {
        return Ok(vec![]);
    };
    let preamble: String = match upto_line {
        Some(first_task) => text
            .lines()
            .take((first_task - d.first_line).max(0) as usize)
            .collect::<Vec<_>>()
            .join("\n"),
        None => text.to_string(),
    };
    let read = luoshi_gazette::duties::read(&preamble, date.year());
    let clauses = gdb::list_clauses(c, d.id)?;
    let mut kinds_seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for duty in &read.duties {
        let kind = duty.kind.as_str();
        let key = if kinds_seen.contains(&kind) {
            format!(
                "{kind}{}",
                kinds_seen.iter().filter(|k| **k == kind).count() + 1
            )
        } else {
            kind.to_string()
        };
        kinds_seen.push(kind);
        let line = d.first_line + duty.line as i64 - 1;
        let clause = crate::views::clause_path_at(&clauses, line);
        let row = DutyRow {
            id: 0,
            document_id: d.id,
            key,
            kind: kind.to_string(),
            label: duty.label.clone(),
            dues: serde_json::to_value(&duty.dues).unwrap_or_default(),
            recipient: duty.recipient.clone(),
            source: duty.source.clone(),
            clause: clause.clone(),
            first_line: line,
            last_line: line,
        };
        sdb::insert_duty(c, &row)?;
        out.push(row);
    }
    Ok(out)
}

/// The clocks a duty starts on an item: one per due date.
fn duty_clocks(
    app: &App,
    c: &mut dyn Conn,
    case_id: i64,
    d: &DocumentRow,
    duty: &DutyRow,
    postpone: bool,
) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Due {
        date: String,
        time: Option<String>,
        period: String,
    }
    let dues: Vec<Due> = serde_json::from_value(duty.dues.clone()).unwrap_or_default();
    let cites = format!("{} {}", d.doc_no, duty.clause);
    for due in dues {
        let Ok(date) = NaiveDate::parse_from_str(&due.date, "%Y-%m-%d") else {
            continue;
        };
        let (due_date, mut expl) = fixed_date(&app.calendar, date, &duty.source, &cites, postpone);
        let key = match duty.kind.as_str() {
            "plan" => duty.key.clone(),
            _ => format!("{}:{}", duty.key, due.period),
        };
        let label = match duty.kind.as_str() {
            "monthly" => format!("{}（{}）", duty.label, due.period),
            "ledger" => format!("{}（{}报送）", duty.label, due.date),
            _ => duty.label.clone(),
        };
        if let Some(obj) = expl.as_object_mut() {
            obj.insert("period".into(), due.period.clone().into());
        }
        cdb::insert_clock(
            c,
            &NewClock {
                case_id,
                key: &key,
                kind: "duty",
                label: &label,
                due_date: &due_date.to_string(),
                due_time: due.time.as_deref(),
                explanation: &expl,
                source: &duty.source,
                cites: &cites,
            },
        )?;
    }
    Ok(())
}

/// Store an item's milestones and start a clock for each dated one.
fn store_milestones(
    app: &App,
    c: &mut dyn Conn,
    case_id: i64,
    text: &str,
    words: &[String],
    doc_date: NaiveDate,
    cites: &str,
) -> Result<()> {
    for (ord, m) in milestones::read(text, words, doc_date)
        .into_iter()
        .enumerate()
    {
        let ord = ord as i64 + 1;
        sdb::insert_milestone(
            c,
            &MilestoneRow {
                case_id,
                ord,
                due_date: m.due.map(|d| d.to_string()),
                text: m.text.clone(),
                source: m.source.clone(),
                flagged: m.due.is_none(),
                note: m.note.clone(),
            },
        )?;
        if let Some(due) = m.due {
            let (_, mut expl) = fixed_date(&app.calendar, due, &m.source, cites, false);
            if let Some(obj) = expl.as_object_mut() {
                let text = format!(
                    "{}\n说明：{}",
                    obj["text"].as_str().unwrap_or_default(),
                    m.note
                );
                obj.insert("text".into(), text.into());
            }
            cdb::insert_clock(
                c,
                &NewClock {
                    case_id,
                    key: &format!("milestone:{ord}"),
                    kind: "milestone",
                    label: &format!("时间节点：{}", m.text),
                    due_date: &due.to_string(),
                    due_time: None,
                    explanation: &expl,
                    source: &m.source,
                    cites,
                },
            )?;
        }
    }
    Ok(())
}

/// Whether the office's setting moves a duty due on a rest day to the next working day.
pub fn postpones(c: &mut dyn Conn) -> Result<bool> {
    Ok(cdb::setting(c, REST_DAY_SETTING)?.as_deref() == Some("postpone"))
}

impl App {
    /// Whether duties due on a rest day move to the next working day (the office's setting).
    pub fn supervision_postpones(&self) -> Result<bool> {
        self.store.read(|c| postpones(c))
    }

    /// Change what a duty due on a rest day does, and re-date every open duty clock by the
    /// new setting, each explanation saying so. Office only; audited.
    pub fn set_supervision_rest_day_policy(
        &self,
        viewer: &crate::Viewer,
        postpone: bool,
    ) -> Result<usize> {
        let office = viewer.user().is_some_and(|u| {
            u.has(luoshi_domain::Role::Admin) || u.has(luoshi_domain::Role::Supervision)
        });
        if !office {
            return Err(crate::cases::no_access(viewer));
        }
        let at = self.now();
        self.store.write(|c| {
            let before = postpones(c)?;
            cdb::set_setting(
                c,
                REST_DAY_SETTING,
                if postpone { "postpone" } else { "keep" },
                &at,
                &viewer.actor(),
            )?;
            let open: Vec<(i64, String, serde_json::Value, String, String)> =
                cdb::open_clocks_of_kind(c, "duty")?
                    .into_iter()
                    .map(|k| (k.case_id, k.key, k.explanation, k.source, k.cites))
                    .collect();
            let mut moved = 0;
            for (case_id, key, expl, source, cites) in open {
                let Some(date) = expl
                    .get("date")
                    .and_then(|d| d.as_str())
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                else {
                    continue;
                };
                if expl.get("extended_from").is_some() {
                    continue; // an extension the office granted stays as granted
                }
                let (due, mut new) = fixed_date(&self.calendar, date, &source, &cites, postpone);
                if let (Some(obj), Some(period)) = (new.as_object_mut(), expl.get("period")) {
                    obj.insert("period".into(), period.clone());
                }
                if cdb::move_clock(c, case_id, &key, &due.to_string(), &new)? {
                    moved += 1;
                }
            }
            let ids: Vec<i64> = sdb::items(c, &Default::default())?
                .iter()
                .map(|i| i.id)
                .collect();
            for id in ids {
                refresh_item(self, c, id, self.today())?;
            }
            super::bump_generation(c, &at)?;
            luoshi_store::audit::append(
                c,
                &luoshi_domain::AuditDraft {
                    actor: viewer.actor(),
                    action: "setting.supervision.due_on_rest_day".into(),
                    entity: "setting".into(),
                    entity_id: REST_DAY_SETTING.into(),
                    before: Some(serde_json::json!({ "postpone": before }).to_string()),
                    after: Some(
                        serde_json::json!({ "postpone": postpone, "clocks_redated": moved })
                            .to_string(),
                    ),
                },
                &at,
            )?;
            Ok(moved)
        })
    }
}

/// Make the supervised items of one stored document (inside the import's transaction).
pub fn make_for_document(app: &App, c: &mut dyn Conn, doc_id: i64, at: &str) -> Result<Made> {
    let mut made = Made::default();
    let Some(d) = gdb::get_document(c, doc_id)? else {
        return Ok(made);
    };
    if d.title.contains("预案") {
        return Ok(made);
    }
    let Some(doc_date) = document_date(&d) else {
        return Ok(made);
    };
    let text = gdb::document_text(c, doc_id)?.unwrap_or_default();
    let tasks: Vec<TaskRow> = gdb::list_tasks(c, doc_id)?
        .into_iter()
        .filter(|t| !t.owners.is_empty())
        .collect();
    let clauses = gdb::list_clauses(c, doc_id)?;
    let measures: Vec<&ClauseRow> = if tasks.is_empty() {
        measures(&d, &clauses)
    } else {
        vec![]
    };
    if tasks.is_empty() && measures.is_empty() {
        return Ok(made);
    }
    let first_task_line = tasks
        .iter()
        .map(|t| t.first_line)
        .chain(measures.iter().map(|k| k.first_line))
        .min();
    let duties = store_duties(c, &d, &text, first_task_line)?;
    made.duties = duties.len();
    let postpone = postpones(c)?;
    let today = app.today();
    let empty = serde_json::json!({});
    for t in &tasks {
        let ref_key = format!("task:{}", t.id);
        let title = title_of(t);
        let Some(case_id) = cdb::insert_case(
            c,
            &NewCase {
                procedure: PROCEDURE,
                ref_key: &ref_key,
                title: &title,
                body: &t.text,
                document_id: Some(doc_id),
                doc_no: Some(&d.doc_no),
                clause: Some(&t.clause),
                lines: Some((t.first_line, t.last_line)),
                state: "not_started",
                data: &empty,
                at,
            },
        )?
        else {
            continue;
        };
        let owners: Vec<CaseOwnerRow> = t.owners.iter().map(task_owner).collect();
        cdb::set_owners(c, case_id, &owners)?;
        sdb::insert_item(
            c,
            case_id,
            Some(t.id),
            None,
            t.no,
            &chapter_of(&clauses, &t.clause),
        )?;
        let cites = format!("{} {}", d.doc_no, t.clause);
        store_milestones(app, c, case_id, &t.text, &t.deadlines, doc_date, &cites)?;
        for duty in &duties {
            duty_clocks(app, c, case_id, &d, duty, postpone)?;
        }
        refresh_item(app, c, case_id, today)?;
        made.items += 1;
    }
    for k in measures {
        let ref_key = format!("clause:{}:{}", doc_id, k.ord);
        let no: i64 = k
            .marker
            .trim_end_matches(['.', '．', '、'])
            .parse()
            .unwrap_or(k.ord);
        let title = short_title(&k.text);
        let Some(case_id) = cdb::insert_case(
            c,
            &NewCase {
                procedure: PROCEDURE,
                ref_key: &ref_key,
                title: &title,
                body: &k.text,
                document_id: Some(doc_id),
                doc_no: Some(&d.doc_no),
                clause: Some(&k.path),
                lines: Some((k.first_line, k.last_line)),
                state: "not_started",
                data: &empty,
                at,
            },
        )?
        else {
            continue;
        };
        sdb::insert_item(
            c,
            case_id,
            None,
            Some(k.ord),
            no,
            &chapter_of(&clauses, &k.path),
        )?;
        let cites = format!("{} {}", d.doc_no, k.path);
        let words = luoshi_gazette::deadline_words(&k.text);
        store_milestones(app, c, case_id, &k.text, &words, doc_date, &cites)?;
        for duty in &duties {
            duty_clocks(app, c, case_id, &d, duty, postpone)?;
        }
        refresh_item(app, c, case_id, today)?;
        made.items += 1;
        made.unassigned += 1;
    }
    if made.items > 0 {
        super::bump_generation(c, at)?;
    }
    Ok(made)
}
