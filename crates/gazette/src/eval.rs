//! Scored evaluation (评测): the reader's output on a real document compared with what a person
//! reading the document wrote down, field by field, as precision and recall.
//!
//! The expected reading of one document is a TOML file (see `crates/gazette/eval/README.md`):
//! its 文号, issuer, title and date; the tasks it assigns (each found by a phrase of its text,
//! `key`, with its lead and other units); its numeric prose targets; roster members; commended
//! entries. [`score`] compares one [`Expected`] with the [`Issue`] the reader made of the text;
//! [`Scores`] add up over documents. Pure: the caller reads the files.
//!
//! How items are matched:
//! - header fields: equal strings (the document whose 文号 is the expected one, else the first);
//! - tasks: a task (or named action) the reader found matches the first unmatched expected task
//!   whose `key` its text contains (spaces ignored); tasks the reader found in excess are false
//!   positives, expected ones not found are misses;
//! - lead and other units: per matched task, the sets of names (spaces and bracket styles
//!   ignored; open references such as `有关部门` are not scored); the units of an unmatched
//!   found task are all false positives, those of an unmatched expected task all misses;
//! - targets: only numeric ones (`trend`/`text` are not scored): same year, operator, value and
//!   unit, and the reader's metric contains the expected metric phrase;
//! - roster members: (role, name) pairs; commendations: entry names.

use crate::model::{Issue, Mention};
use crate::registry::name_key;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a person reading one document expects the reader to find.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Path of the document's text, relative to the expectation file.
    pub text: String,
    /// Layout tags (free text, for the report).
    #[serde(default)]
    pub layouts: Vec<String>,
    pub doc_no: String,
    pub issuer: String,
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub tasks: Vec<ExpectedTask>,
    #[serde(default)]
    pub targets: Vec<ExpectedTarget>,
    #[serde(default)]
    pub roster: Vec<ExpectedMember>,
    #[serde(default)]
    pub commendations: Vec<String>,
}

/// A task: a phrase of its text and the units the document assigns it.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ExpectedTask {
    pub key: String,
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub units: Vec<String>,
}

/// A numeric target written in prose.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ExpectedTarget {
    pub metric: String,
    pub year: i32,
    pub op: String,
    pub value: f64,
    #[serde(default)]
    pub unit: Option<String>,
}

/// A roster member.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ExpectedMember {
    pub role: String,
    pub name: String,
}

impl Expected {
    /// Read an expectation file (TOML). The error message is Chinese.
    pub fn from_toml_str(text: &str) -> Result<Expected, String> {
        toml::from_str(text).map_err(|e| format!("评测预期文件格式错误: {e}"))
    }
}

/// Counts for one field: true positives, false positives, misses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Count {
    /// Share of what the reader produced that is right (1 when it produced nothing).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Share of what was expected that the reader found (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    fn add(&mut self, other: Count) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The fields scored, in report order.
pub const FIELDS: &[&str] = &[
    "doc_no",
    "issuer",
    "title",
    "date",
    "tasks",
    "lead",
    "units",
    "targets",
    "roster",
    "commendations",
];

/// Counts per field, added up over documents.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub fields: BTreeMap<&'static str, Count>,
    pub documents: usize,
}

impl Scores {
    /// Add another document's (or set's) counts.
    pub fn add(&mut self, other: &Scores) {
        for (field, count) in &other.fields {
            self.fields.entry(field).or_default().add(*count);
        }
        self.documents += other.documents;
    }

    /// The counts of one field (zero when never scored).
    pub fn field(&self, name: &str) -> Count {
        self.fields.get(name).copied().unwrap_or_default()
    }

    /// All fields together (micro average).
    pub fn total(&self) -> Count {
        let mut total = Count::default();
        for count in self.fields.values() {
            total.add(*count);
        }
        total
    }

    /// A table of precision and recall per field, then the total.
    pub fn report(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<14} {:>5} {:>5} {:>5} {:>9} {:>7}",
            "field", "tp", "fp", "fn", "precision", "recall"
        );
        let mut line = |name: &str, c: Count| {
            let _ = writeln!(
                s,
                "{:<14} {:>5} {:>5} {:>5} {:>8.1}% {:>6.1}%",
                name,
                c.tp,
                c.fp,
                c.fn_,
                100.0 * c.precision(),
                100.0 * c.recall()
            );
        };
        for name in FIELDS {
            line(name, self.field(name));
        }
        line("all", self.total());
        s
    }

    fn count(&mut self, field: &'static str) -> &mut Count {
        self.fields.entry(field).or_default()
    }
}

/// Score the reader's `issue` against one document's expected reading.
pub fn score(expected: &Expected, issue: &Issue) -> Scores {
    let mut s = Scores {
        documents: 1,
        ..Scores::default()
    };
    let doc = issue
        .documents
        .iter()
        .find(|d| d.doc_no == expected.doc_no)
        .or_else(|| issue.documents.first());
    let header = |d: Option<&crate::model::Document>, f: fn(&crate::model::Document) -> String| {
        d.map(f).unwrap_or_default()
    };
    let pairs: [(&'static str, String, &str); 4] = [
        (
            "doc_no",
            header(doc, |d| d.doc_no.clone()),
            &expected.doc_no,
        ),
        (
            "issuer",
            header(doc, |d| d.issuer.clone()),
            &expected.issuer,
        ),
        ("title", header(doc, |d| d.title.clone()), &expected.title),
        (
            "date",
            header(doc, |d| d.date.clone().unwrap_or_default()),
            &expected.date,
        ),
    ];
    for (field, found, want) in pairs {
        let c = s.count(field);
        if found == want {
            c.tp += 1;
        } else {
            c.fn_ += 1;
            if !found.is_empty() {
                c.fp += 1;
            }
        }
    }
    score_tasks(expected, issue, &mut s);
    score_targets(expected, issue, &mut s);
    let members: Vec<(String, String)> = issue
        .documents
        .iter()
        .flat_map(|d| &d.rosters)
        .flat_map(|r| &r.members)
        .map(|m| (m.role.clone(), name_key(&m.name)))
        .collect();
    let want: Vec<(String, String)> = expected
        .roster
        .iter()
        .map(|m| (m.role.clone(), name_key(&m.name)))
        .collect();
    *s.count("roster") = match_sets(&members, &want);
    let entries: Vec<String> = issue
        .documents
        .iter()
        .flat_map(|d| &d.commendations)
        .filter(|c| c.parent.is_none() || c.entries.is_empty())
        .flat_map(|c| &c.entries)
        .map(|e| name_key(&e.name))
        .collect();
    let want: Vec<String> = expected.commendations.iter().map(|n| name_key(n)).collect();
    *s.count("commendations") = match_sets(&entries, &want);
    s
}

/// A found task or action: its text and its named (not open) units.
struct FoundTask {
    text: String,
    lead: Vec<String>,
    units: Vec<String>,
}

fn named(mentions: &[Mention]) -> impl Iterator<Item = String> + '_ {
    mentions
        .iter()
        .filter(|m| !m.open)
        .map(|m| name_key(&m.name))
}

fn score_tasks(expected: &Expected, issue: &Issue, s: &mut Scores) {
    let mut found: Vec<FoundTask> = Vec::new();
    for d in &issue.documents {
        for t in &d.tasks {
            found.push(FoundTask {
                text: name_key(&t.text),
                lead: named(&t.lead_units).collect(),
                units: named(&t.units).chain(named(&t.assisting_units)).collect(),
            });
        }
        for a in &d.actions {
            found.push(FoundTask {
                text: name_key(&a.name),
                lead: named(&a.lead_units).collect(),
                units: named(&a.units).collect(),
            });
        }
    }
    let mut taken = vec![false; expected.tasks.len()];
    let (mut tasks, mut lead, mut units) = (Count::default(), Count::default(), Count::default());
    for f in &found {
        let hit = expected
            .tasks
            .iter()
            .enumerate()
            .find(|(i, e)| !taken[*i] && f.text.contains(&name_key(&e.key)));
        match hit {
            Some((i, e)) => {
                taken[i] = true;
                tasks.tp += 1;
                let want_lead: Vec<String> = e.lead.iter().map(|n| name_key(n)).collect();
                let want_units: Vec<String> = e.units.iter().map(|n| name_key(n)).collect();
                lead.add(match_sets(&f.lead, &want_lead));
                units.add(match_sets(&f.units, &want_units));
            }
            None => {
                tasks.fp += 1;
                lead.fp += f.lead.len();
                units.fp += f.units.len();
            }
        }
    }
    for (e, _) in expected.tasks.iter().zip(&taken).filter(|(_, t)| !**t) {
        tasks.fn_ += 1;
        lead.fn_ += e.lead.len();
        units.fn_ += e.units.len();
    }
    *s.count("tasks") = tasks;
    *s.count("lead") = lead;
    *s.count("units") = units;
}

fn score_targets(expected: &Expected, issue: &Issue, s: &mut Scores) {
    let found: Vec<&crate::model::Target> = issue
        .documents
        .iter()
        .flat_map(|d| &d.targets)
        .filter(|t| t.op != "trend" && t.op != "text")
        .collect();
    let mut taken = vec![false; expected.targets.len()];
    let mut c = Count::default();
    for t in found {
        let metric = name_key(&t.metric);
        let hit = expected.targets.iter().enumerate().find(|(i, e)| {
            !taken[*i]
                && e.year == t.year
                && e.op == t.op
                && t.value.is_some_and(|v| (v - e.value).abs() < 1e-9)
                && (e.unit.is_none() || e.unit == t.unit)
                && metric.contains(&name_key(&e.metric))
        });
        match hit {
            Some((i, _)) => {
                taken[i] = true;
                c.tp += 1;
            }
            None => c.fp += 1,
        }
    }
    c.fn_ = taken.iter().filter(|t| !**t).count();
    *s.count("targets") = c;
}

/// Multiset match of found against wanted items.
fn match_sets<T: PartialEq>(found: &[T], want: &[T]) -> Count {
    let mut taken = vec![false; want.len()];
    let mut c = Count::default();
    for f in found {
        match want.iter().enumerate().find(|(i, w)| !taken[*i] && *w == f) {
            Some((i, _)) => {
                taken[i] = true;
                c.tp += 1;
            }
            None => c.fp += 1,
        }
    }
    c.fn_ = taken.iter().filter(|t| !**t).count();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ratios() {
        let c = match_sets(&["a", "b", "x"], &["a", "b", "c", "d"]);
        assert_eq!(
            c,
            Count {
                tp: 2,
                fp: 1,
                fn_: 2
            }
        );
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
        assert_eq!(Count::default().precision(), 1.0);
    }

    #[test]
    fn a_wrong_header_is_a_miss_and_a_false_positive() {
        let expected = Expected {
            doc_no: "国发〔2019〕3号".into(),
            issuer: "国务院".into(),
            title: "关于某事的意见".into(),
            date: "2019-01-12".into(),
            tasks: vec![ExpectedTask {
                key: "拓展两个市场".into(),
                lead: vec!["税务总局".into()],
                units: vec!["财政部".into()],
            }],
            ..Expected::default()
        };
        let issue = crate::parse_with(
            "国务院关于某事的意见\n\n国发〔2019〕3号\n\n1.拓展两个市场。推广试点。（税务总局、财政部负责，排在第一位的部门为牵头部门，下同）\n\n国务院\n\n2019年1月11日\n",
            &crate::Registry::default(),
        );
        let s = score(&expected, &issue);
        assert_eq!(s.field("doc_no").tp, 1);
        assert_eq!(
            s.field("date"),
            Count {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(s.field("tasks").tp, 1);
        assert_eq!(s.field("lead").tp, 1);
        assert_eq!(s.field("units").tp, 1);
    }
}
