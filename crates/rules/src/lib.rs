//! 规则 (rules as code): every decision the gazette's documents define — grades, tiers,
//! eligibility, amounts, deadlines — as typed functions that cite their clause (文号 + 条/款),
//! explain themselves in Chinese and return a trace of every comparison made.
//!
//! Pure: JSON text in, JSON text out; no I/O. The [`Engine`] holds the working-day calendar and
//! the named interpretation [`Params`], and evaluates a rule by name.

pub mod assessment;
pub mod attainment;
pub mod band;
pub mod batch;
pub mod common;
pub mod counting;
pub mod disaster;
pub mod it_project;
pub mod land;
pub mod proposal;
pub mod registry;
pub mod rule;
pub mod service;
pub mod talent;
pub mod talent_columns;
pub mod talent_gen;
pub mod talent_json;

pub use common::RuleError;
pub use registry::{find, RuleInfo, RULES};

use luoshi_calendar::{Calendar, Convention, LastDayOnRestDay, StartDay};
use serde::{Deserialize, Serialize};

/// Named interpretation parameters (where the text is open). Defaults are the documented choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Params {
    pub talent: talent::TalentParams,
    /// 郑政办〔2020〕26号: its own definition of 以上/以下 (八（一）) by default.
    pub disaster: DisasterParams,
    /// 郑政文〔2020〕70号: 民法典 第一千二百五十九条 by default.
    pub it_project: CountingParams,
    /// 郑政办〔2020〕27号: 民法典 第一千二百五十九条 by default.
    pub proposal: CountingParams,
    /// false (default): 期间开始之日不计算在内.
    pub start_day_included: bool,
    /// true (default): a day/month period ending on a rest day is postponed (《民法典》第二百零三条).
    pub postpone_rest_day_end: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            talent: talent::TalentParams::default(),
            disaster: DisasterParams::default(),
            it_project: CountingParams::default(),
            proposal: CountingParams::default(),
            start_day_included: false,
            postpone_rest_day_end: true,
        }
    }
}

/// The reading of the counting words for a document that does not define them (民法典 default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountingParams {
    pub counting: counting::Reading,
}

impl Default for CountingParams {
    fn default() -> Self {
        CountingParams {
            counting: counting::Reading::CivilCode,
        }
    }
}

/// 郑政办〔2020〕26号 parameters: the reading of its counting words (its own 八（一） by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisasterParams {
    pub counting: counting::Reading,
}

impl Default for DisasterParams {
    fn default() -> Self {
        DisasterParams {
            counting: counting::Document::Disaster26.default_reading(),
        }
    }
}

impl Params {
    /// The deadline convention these parameters select.
    pub fn convention(&self) -> Convention {
        Convention {
            start_day: if self.start_day_included {
                StartDay::Included
            } else {
                StartDay::Excluded
            },
            last_day_on_rest_day: if self.postpone_rest_day_end {
                LastDayOnRestDay::Postpone
            } else {
                LastDayOnRestDay::Keep
            },
            before_day_inclusive: true,
        }
    }
}

/// Evaluates rules by name on JSON input.
pub struct Engine {
    pub calendar: Calendar,
    pub params: Params,
}

/// How a decision is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The whole decision — fields, citation, counting, explanation, trace — indented (one
    /// decision on the command line).
    Pretty,
    /// The whole decision on one line (`--batch --explain`).
    Full,
    /// One short line for volume (`--batch`): the decision's own fields without the explanation,
    /// the trace and the reading note (see [`batch`]); for `talent-subsidy` eligibility, amount
    /// and the failed conditions with their clauses.
    Compact,
}

/// Keys left out of a compact line: the words that explain a decision rather than state it.
/// (`counting` is the same for a whole batch and is reported once.)
const VERBOSE_KEYS: [&str; 5] = [
    "explanation",
    "trace",
    "counting",
    "deadline",
    "return_deadline",
];

fn is_verbose(key: &str) -> bool {
    VERBOSE_KEYS.contains(&key) || key.ends_with("_explanation") || key == "reply_deadline"
}

pub(crate) fn emit<T: Serialize>(
    value: &T,
    out: &mut Vec<u8>,
    style: Style,
) -> Result<(), RuleError> {
    let failed = |e: serde_json::Error| RuleError::Json(format!("输出序列化失败：{e}"));
    match style {
        Style::Pretty => serde_json::to_writer_pretty(&mut *out, value).map_err(failed),
        Style::Full => serde_json::to_writer(&mut *out, value).map_err(failed),
        Style::Compact => {
            let mut v = serde_json::to_value(value).map_err(failed)?;
            if let serde_json::Value::Object(map) = &mut v {
                map.retain(|k, _| !is_verbose(k));
            }
            serde_json::to_writer(&mut *out, &v).map_err(failed)
        }
    }
}

impl Engine {
    pub fn new(calendar: Calendar, params: Params) -> Self {
        Engine { calendar, params }
    }

    /// Evaluate rule `name` on one JSON document, appending the decision JSON to `out` (the
    /// whole decision, indented when `pretty`). On error nothing is appended.
    pub fn evaluate(
        &self,
        name: &str,
        json: &str,
        out: &mut Vec<u8>,
        pretty: bool,
    ) -> Result<(), RuleError> {
        let style = if pretty { Style::Pretty } else { Style::Full };
        self.evaluate_styled(name, json, out, style)
    }

    /// Evaluate rule `name` on one JSON document, appending the decision in `style` to `out`.
    /// On error nothing is appended.
    pub fn evaluate_styled(
        &self,
        name: &str,
        json: &str,
        out: &mut Vec<u8>,
        style: Style,
    ) -> Result<(), RuleError> {
        use rule::*;
        let e = self;
        match name {
            DisasterGrade::NAME => evaluate::<DisasterGrade>(e, json, out, style),
            WarningLevel::NAME => evaluate::<WarningLevel>(e, json, out, style),
            ItProjectApproval::NAME => evaluate::<ItProjectApproval>(e, json, out, style),
            ItProjectChange::NAME => evaluate::<ItProjectChange>(e, json, out, style),
            ItProjectAcceptance::NAME => evaluate::<ItProjectAcceptance>(e, json, out, style),
            TalentSubsidy::NAME => evaluate::<TalentSubsidy>(e, json, out, style),
            TalentPurchaseQualification::NAME => {
                evaluate::<TalentPurchaseQualification>(e, json, out, style)
            }
            LandPremium::NAME => evaluate::<LandPremium>(e, json, out, style),
            ProposalDeadlines::NAME => evaluate::<ProposalDeadlines>(e, json, out, style),
            ProposalReplyClass::NAME => evaluate::<ProposalReplyClass>(e, json, out, style),
            ProposalStandards::NAME => evaluate::<ProposalStandards>(e, json, out, style),
            ProposalStandardsItems::NAME => evaluate::<ProposalStandardsItems>(e, json, out, style),
            ServiceTimeLimit::NAME => evaluate::<ServiceTimeLimit>(e, json, out, style),
            other => Err(RuleError::UnknownRule(other.to_string())),
        }
    }

    /// Evaluate and return a `serde_json::Value` (convenient for tests and callers).
    pub fn evaluate_value(&self, name: &str, json: &str) -> Result<serde_json::Value, RuleError> {
        let mut out = Vec::new();
        self.evaluate(name, json, &mut out, false)?;
        serde_json::from_slice(&out).map_err(|e| RuleError::Json(e.to_string()))
    }
}
