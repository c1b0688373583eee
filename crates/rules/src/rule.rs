//! 规则的类型化入口 (typed entry points): one type per rule, implementing [`Rule`] — its name, its
//! input and decision types, and `decide` from a parsed input to a serializable decision. A web
//! handler deserializes `Rule::Input`, calls `Rule::decide` and serializes the decision; the
//! command line goes through the same functions by name ([`crate::Engine::evaluate_styled`]).
//!
//! With the `openapi` feature every input and decision type also implements
//! `utoipa::ToSchema`, so the API's schemas are generated from these types.

use crate::common::{parse_input, RuleError};
use crate::{disaster, it_project, land, proposal, service, talent, Engine, Style};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// One decision the gazette defines.
pub trait Rule {
    /// The name used on the command line and in the API (`luoshi rules list`).
    const NAME: &'static str;
    type Input: DeserializeOwned;
    type Output: Serialize;

    /// Decide one input under the engine's calendar and parameters.
    fn decide(engine: &Engine, input: &Self::Input) -> Result<Self::Output, RuleError>;

    /// Read one JSON document (coded errors naming the field).
    fn parse(json: &str) -> Result<Self::Input, RuleError> {
        parse_input(json)
    }

    /// Append a decision in `style`.
    fn write(decision: &Self::Output, out: &mut Vec<u8>, style: Style) -> Result<(), RuleError> {
        crate::emit(decision, out, style)
    }
}

/// Parse, decide and write one JSON document with rule `R`; nothing is appended on error.
pub fn evaluate<R: Rule>(
    engine: &Engine,
    json: &str,
    out: &mut Vec<u8>,
    style: Style,
) -> Result<(), RuleError> {
    let start = out.len();
    let result = R::parse(json)
        .and_then(|input| R::decide(engine, &input))
        .and_then(|decision| R::write(&decision, out, style));
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Declare a rule type: `name`, input, output, and the call that decides.
macro_rules! rule {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $input:ty, $output:ty, |$e:ident, $i:ident| $body:expr) => {
        $(#[$doc])*
        pub struct $ty;
        impl Rule for $ty {
            const NAME: &'static str = $name;
            type Input = $input;
            type Output = $output;
            fn decide($e: &Engine, $i: &$input) -> Result<$output, RuleError> {
                $body
            }
        }
    };
}

rule!(
    /// 郑政办〔2020〕26号 一（五）、三（二）1、四、二（三）.
    DisasterGrade, "disaster-grade", disaster::GradeInput, disaster::GradeDecision,
    |e, i| disaster::grade(i, &e.calendar, e.params.disaster.counting)
);
rule!(
    /// 郑政办〔2020〕26号 三（一）2—5.
    WarningLevel, "warning-level", disaster::WarningInput, disaster::WarningDecision,
    |e, i| disaster::warning(i, e.params.disaster.counting)
);
rule!(
    /// 郑政文〔2020〕70号 第九条.
    ItProjectApproval, "it-project-approval", it_project::ApprovalInput, it_project::ApprovalDecision,
    |e, i| it_project::approval(i, e.params.it_project.counting)
);
rule!(
    /// 郑政文〔2020〕70号 第十九条.
    ItProjectChange, "it-project-change", it_project::ChangeInput, it_project::ChangeDecision,
    |e, i| it_project::change(i, e.params.it_project.counting)
);
rule!(
    /// 郑政文〔2020〕70号 第二十条—第二十二条.
    ItProjectAcceptance, "it-project-acceptance", it_project::AcceptanceInput, it_project::AcceptanceDecision,
    |e, i| it_project::acceptance(i, &e.calendar, e.params.convention(), e.params.it_project.counting)
);
rule!(
    /// 郑政办〔2020〕24号 第三条.
    TalentPurchaseQualification, "talent-purchase-qualification", talent::PurchaseInput, talent::PurchaseDecision,
    |e, i| talent::purchase(i, e.params.talent.counting)
);
rule!(
    /// 郑政办〔2020〕22号 四、2—3.
    LandPremium, "land-premium", land::PremiumInput, land::PremiumDecision,
    |_e, i| land::premium(i)
);
rule!(
    /// 郑政办〔2020〕27号 第七条、第十九条.
    ProposalDeadlines, "proposal-deadlines", proposal::DeadlineInput, proposal::DeadlineDecision,
    |e, i| proposal::deadlines(i, &e.calendar, e.params.convention(), e.params.proposal.counting)
);
rule!(
    /// 郑政办〔2020〕27号 第十条.
    ProposalReplyClass, "proposal-reply-class", proposal::ClassInput, proposal::ClassDecision,
    |_e, i| proposal::reply_class(i)
);
rule!(
    /// 郑政办〔2020〕27号 第十六条.
    ProposalStandards, "proposal-standards", proposal::StandardsInput, proposal::StandardsDecision,
    |e, i| proposal::check_standards(i, e.params.proposal.counting)
);
rule!(
    /// 郑政办〔2020〕27号 第十六条, item by item.
    ProposalStandardsItems, "proposal-standards-items", proposal::ItemStandardsInput,
    proposal::ItemStandardsDecision,
    |e, i| proposal::check_item_standards(i, e.params.proposal.counting)
);
rule!(
    /// 郑政文〔2020〕61号 第4条、第5条、第7条.
    ServiceTimeLimit, "service-time-limit", service::LimitInput, service::LimitDecision,
    |e, i| service::time_limit(i, &e.calendar, e.params.convention())
);

/// 郑政办〔2020〕24号 第二条 — the bulk rule: a fast reader for plain input lines, and hand-written
/// writers (tested equal to the serde document) for the whole and the compact decision. The
/// decision allocates nothing.
pub struct TalentSubsidy;

impl Rule for TalentSubsidy {
    const NAME: &'static str = "talent-subsidy";
    type Input = talent::SubsidyInput;
    type Output = talent::SubsidyDecision;

    fn decide(engine: &Engine, input: &Self::Input) -> Result<Self::Output, RuleError> {
        talent::subsidy(input, &engine.params.talent)
    }
    fn parse(json: &str) -> Result<Self::Input, RuleError> {
        crate::talent_json::parse_subsidy_input(json)
    }
    fn write(decision: &Self::Output, out: &mut Vec<u8>, style: Style) -> Result<(), RuleError> {
        match style {
            Style::Pretty => crate::emit(decision, out, style),
            Style::Full => {
                decision.write_json(out);
                Ok(())
            }
            Style::Compact => {
                decision.write_compact(out);
                Ok(())
            }
        }
    }
}

#[cfg(all(test, feature = "openapi"))]
mod openapi_tests {
    use super::*;
    use std::collections::BTreeSet;
    use utoipa::PartialSchema;

    fn properties<T: PartialSchema>() -> BTreeSet<String> {
        let v = serde_json::to_value(T::schema()).unwrap();
        v["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no properties: {v}"))
            .keys()
            .cloned()
            .collect()
    }

    /// The generated schemas describe exactly what goes in and comes out: the input schema's
    /// properties are the documented fields, the decision schema's are the keys of the example's
    /// decision.
    fn check<R: Rule>(engine: &Engine)
    where
        R::Input: PartialSchema,
        R::Output: PartialSchema,
    {
        let info = crate::find(R::NAME).unwrap();
        let documented: BTreeSet<String> = info.input.iter().map(|f| f.name.to_string()).collect();
        assert_eq!(properties::<R::Input>(), documented, "{} input", R::NAME);
        let out = engine.evaluate_value(R::NAME, info.example).unwrap();
        let keys: BTreeSet<String> = out.as_object().unwrap().keys().cloned().collect();
        assert_eq!(properties::<R::Output>(), keys, "{} decision", R::NAME);
        let documented: BTreeSet<String> = info
            .all_output()
            .iter()
            .map(|f| f.name.to_string())
            .collect();
        assert_eq!(keys, documented, "{} catalogue", R::NAME);
    }

    #[test]
    fn schemas_match_inputs_and_decisions() {
        let e = Engine::new(
            luoshi_calendar::bundled().unwrap(),
            crate::Params::default(),
        );
        check::<DisasterGrade>(&e);
        check::<WarningLevel>(&e);
        check::<ItProjectApproval>(&e);
        check::<ItProjectChange>(&e);
        check::<ItProjectAcceptance>(&e);
        check::<TalentSubsidy>(&e);
        check::<TalentPurchaseQualification>(&e);
        check::<LandPremium>(&e);
        check::<ProposalDeadlines>(&e);
        check::<ProposalReplyClass>(&e);
        check::<ProposalStandards>(&e);
        check::<ProposalStandardsItems>(&e);
        check::<ServiceTimeLimit>(&e);
    }
}
