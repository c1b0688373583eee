//! 青年人才首次购房补贴 (郑政办〔2020〕24号 第二条) and 非郑户籍人才购房资格 (第三条).
//!
//! The subsidy decision is the bulk path (a million applicants a batch), so it is built to be
//! allocation-free: the decision keeps a bitmask of failed conditions and a copy of the input,
//! and its reasons, explanation and trace are rendered while writing — through a `Sink` that is
//! either a formatter (the serde document) or the bulk output buffer (`write_json`, no `fmt`).
//! Batch input lines are read by [`crate::talent_json`].

use crate::common::{Date, RuleError, TraceStep, Ymd};
use crate::counting::{Counting, Document, Reading, Word};
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// 学历.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Degree {
    #[serde(rename = "本科")]
    Bachelor,
    #[serde(rename = "硕士")]
    Master,
    #[serde(rename = "博士")]
    Doctor,
}

impl Degree {
    pub fn name(self) -> &'static str {
        match self {
            Degree::Bachelor => "本科",
            Degree::Master => "硕士",
            Degree::Doctor => "博士",
        }
    }
    /// 补贴标准 (第二条（二）): 博士10万元，硕士5万元，本科2万元.
    pub fn amount_yuan(self) -> i64 {
        match self {
            Degree::Doctor => 100_000,
            Degree::Master => 50_000,
            Degree::Bachelor => 20_000,
        }
    }
    fn amount_words(self) -> &'static str {
        match self {
            Degree::Doctor => "博士每人10万元",
            Degree::Master => "硕士每人5万元",
            Degree::Bachelor => "本科毕业生每人2万元",
        }
    }
}

/// 购房人 (第二条（六）2: 必须是申请人本人或申请人配偶).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Purchaser {
    #[default]
    #[serde(rename = "本人")]
    Applicant,
    #[serde(rename = "配偶")]
    Spouse,
    #[serde(rename = "其他")]
    Other,
}

/// When “35岁以下” is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AgeMeasuredAt {
    /// 申请日 (default: the text sets conditions for the application).
    #[default]
    ApplicationDate,
    /// 购房合同签订日.
    ContractSignedDate,
    /// 落户日.
    SettledDate,
}

/// Named interpretations of 第二条 where the text is open. Defaults are documented in
/// `luoshi rules list --json` and in the rules README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TalentParams {
    /// How 24号's counting words are read: “35岁以下”, “3年内”, 第三条 “1年以上”. Default
    /// 《民法典》第一千二百五十九条 (以下、以内、以上 include the number: 35周岁 passes);
    /// `below_exclusive` borrows 26号 八（一）'s “以下不含本数” (35周岁 fails).
    pub counting: Reading,
    /// “35岁以下”: the age limit in full years (周岁).
    pub age_limit: u32,
    pub age_measured_at: AgeMeasuredAt,
    /// true (default): graduating on 2017-01-01 counts as “2017年1月1日之后毕业” (之后 is not a
    /// word of 民法典 第一千二百五十九条; the parameter keeps the other reading).
    pub graduation_cutoff_inclusive: bool,
    /// true (default): an applicant already enjoying another 人才安居补贴 or 住房保障 policy is
    /// refused (reading（六）4 “不得重复享受” in both directions).
    pub other_benefit_blocks: bool,
}

impl Default for TalentParams {
    fn default() -> Self {
        TalentParams {
            counting: Document::Talent24.default_reading(),
            age_limit: 35,
            age_measured_at: AgeMeasuredAt::ApplicationDate,
            graduation_cutoff_inclusive: true,
            other_benefit_blocks: true,
        }
    }
}

/// 2017年1月1日: cut-off of 第二条（三）3 and（三）4.
pub const CUTOFF_2017: NaiveDate = match NaiveDate::from_ymd_opt(2017, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};
/// 毕业3年内落户.
pub const SETTLEMENT_WINDOW_MONTHS: u32 = 36;

/// Input of `talent-subsidy`. The batch path reads it with [`crate::talent_json`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubsidyInput {
    pub degree: Degree,
    pub full_time: bool,
    /// “双一流”建设高校或世界大学排名前500位院校本科（第二条（三）2）; required for 本科.
    pub double_first_class: Option<bool>,
    pub birth_date: Date,
    pub graduation_date: Date,
    /// 户籍落户日期（我市户籍未迁出的，填取得我市户籍的日期）.
    pub settled_date: Date,
    pub contract_signed_date: Date,
    pub contract_filed: bool,
    pub deed_tax_paid: bool,
    pub first_home: bool,
    pub application_date: Date,
    /// 本人 (default) / 配偶 / 其他.
    #[serde(default)]
    pub purchaser: Purchaser,
    /// 已领取过本补贴.
    #[serde(default)]
    pub already_received: bool,
    /// 已享受其他人才安居补贴或住房保障政策.
    #[serde(default)]
    pub other_housing_benefit: bool,
}

/// One condition of 第二条, in check order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Condition {
    FullTime,
    DoubleFirstClass,
    Age,
    GraduationDate,
    SettlementWindow,
    ContractDate,
    ContractFiled,
    DeedTaxPaid,
    FirstHome,
    Purchaser,
    AlreadyReceived,
    OtherBenefit,
}

pub const CONDITIONS: [Condition; 12] = [
    Condition::FullTime,
    Condition::DoubleFirstClass,
    Condition::Age,
    Condition::GraduationDate,
    Condition::SettlementWindow,
    Condition::ContractDate,
    Condition::ContractFiled,
    Condition::DeedTaxPaid,
    Condition::FirstHome,
    Condition::Purchaser,
    Condition::AlreadyReceived,
    Condition::OtherBenefit,
];

impl Condition {
    fn bit(self) -> u16 {
        1 << (self as u8)
    }
    pub fn code(self) -> &'static str {
        match self {
            Condition::FullTime => "full_time",
            Condition::DoubleFirstClass => "double_first_class",
            Condition::Age => "age",
            Condition::GraduationDate => "graduation_date",
            Condition::SettlementWindow => "settled_within_3_years",
            Condition::ContractDate => "contract_signed_date",
            Condition::ContractFiled => "contract_filed",
            Condition::DeedTaxPaid => "deed_tax_paid",
            Condition::FirstHome => "first_home",
            Condition::Purchaser => "purchaser",
            Condition::AlreadyReceived => "already_received",
            Condition::OtherBenefit => "other_housing_benefit",
        }
    }
    pub fn clause(self) -> &'static str {
        match self {
            Condition::FullTime => "郑政办〔2020〕24号 第二条（一）、（四）2",
            Condition::DoubleFirstClass => "郑政办〔2020〕24号 第二条（三）2",
            Condition::Age => "郑政办〔2020〕24号 第二条（三）1",
            Condition::GraduationDate | Condition::SettlementWindow => {
                "郑政办〔2020〕24号 第二条（三）3"
            }
            Condition::ContractDate | Condition::ContractFiled | Condition::DeedTaxPaid => {
                "郑政办〔2020〕24号 第二条（三）4"
            }
            Condition::FirstHome => "郑政办〔2020〕24号 第二条（一）、（三）4",
            Condition::Purchaser => "郑政办〔2020〕24号 第二条（六）2",
            Condition::AlreadyReceived | Condition::OtherBenefit => {
                "郑政办〔2020〕24号 第二条（六）4"
            }
        }
    }
    fn check(self) -> &'static str {
        match self {
            Condition::FullTime => "全日制学历",
            Condition::DoubleFirstClass => "本科为“双一流”建设高校或世界排名前500位院校",
            Condition::Age => "本科、硕士年龄在35岁以下（博士不设年龄限制）",
            Condition::GraduationDate => "2017年1月1日之后毕业",
            Condition::SettlementWindow => "毕业3年内落户我市",
            Condition::ContractDate => "购房合同签订时间为2017年1月1日（含）之后",
            Condition::ContractFiled => "购房合同已完成备案",
            Condition::DeedTaxPaid => "按规定纳税，取得完税凭证",
            Condition::FirstHome => "在我市首次购买住房",
            Condition::Purchaser => "购房人是申请人本人或配偶",
            Condition::AlreadyReceived => "未领取过青年人才首次购房补贴",
            Condition::OtherBenefit => "未享受其他人才安居补贴及住房保障政策",
        }
    }
}

/// Full years (周岁) at `at`. A 29 February birthday is reached on 1 March in common years.
pub fn age_in_full_years(birth: NaiveDate, at: NaiveDate) -> u32 {
    let mut years = at.year() - birth.year();
    if (at.month(), at.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Decision of `talent-subsidy`.
#[derive(Debug, Clone, Copy)]
pub struct SubsidyDecision {
    pub input: SubsidyInput,
    pub params: TalentParams,
    /// Bitmask of conditions that apply to this applicant.
    pub applicable: u16,
    /// Bitmask of failed conditions.
    pub failed: u16,
    pub age: u32,
    pub age_at: NaiveDate,
    pub settle_deadline: NaiveDate,
}

impl SubsidyDecision {
    pub fn eligible(&self) -> bool {
        self.failed == 0
    }
    pub fn amount(&self) -> Decimal {
        if self.eligible() {
            Decimal::from(self.input.degree.amount_yuan())
        } else {
            Decimal::ZERO
        }
    }
    pub fn failed_conditions(&self) -> impl Iterator<Item = Condition> + '_ {
        CONDITIONS
            .into_iter()
            .filter(|c| self.failed & c.bit() != 0)
    }
    /// Which reading of 24号's counting words decided.
    pub fn counting(&self) -> Counting {
        Document::Talent24.counting(self.params.counting)
    }
    fn applies(&self, c: Condition) -> bool {
        self.applicable & c.bit() != 0
    }
    /// The reason a condition failed (or holds), in Chinese with the values compared.
    fn describe<S: Sink>(&self, c: Condition, s: &mut S) {
        let i = &self.input;
        let ok = self.failed & c.bit() == 0;
        let pick = |holds: &'static str, fails: &'static str| if ok { holds } else { fails };
        match c {
            Condition::FullTime => s.text(pick("全日制学历", "非全日制学历，不属于适用对象")),
            Condition::DoubleFirstClass => s.text(pick(
                "本科毕业院校属“双一流”建设高校或世界排名前500位",
                "本科毕业院校不属于“双一流”建设高校或世界排名前500位院校",
            )),
            Condition::Age => {
                s.text(match self.params.age_measured_at {
                    AgeMeasuredAt::ApplicationDate => "申请日（",
                    AgeMeasuredAt::ContractSignedDate => "购房合同签订日（",
                    AgeMeasuredAt::SettledDate => "落户日（",
                });
                s.ymd(self.age_at);
                s.text("）时");
                s.uint(u64::from(self.age));
                s.text(pick("周岁，在", "周岁，不在"));
                s.uint(u64::from(self.params.age_limit));
                let counting = self.counting();
                s.text(if counting.reading.includes(Word::Below) {
                    "岁以下（“以下”含本数，"
                } else {
                    "岁以下（“以下”不含本数，"
                });
                s.text(counting.short);
                s.text("）");
            }
            Condition::GraduationDate => {
                s.text("毕业日期");
                s.date(i.graduation_date.0);
                s.text(pick("，在2017年1月1日之后", "，不在2017年1月1日之后"));
            }
            Condition::SettlementWindow => {
                s.text("落户日期");
                s.date(i.settled_date.0);
                s.text(pick("，在毕业3年内（截至", "，超出毕业3年内（截至"));
                s.date(self.settle_deadline);
                s.text("）");
            }
            Condition::ContractDate => {
                s.text("购房合同签订日期");
                s.ymd(i.contract_signed_date.0);
                s.text(pick("，在2017年1月1日（含）之后", "，早于2017年1月1日"));
            }
            Condition::ContractFiled => s.text(pick("购房合同已备案", "购房合同未完成备案")),
            Condition::DeedTaxPaid => {
                s.text(pick("已缴纳契税并取得完税凭证", "未按规定纳税取得完税凭证"))
            }
            Condition::FirstHome => s.text(pick("在我市首次购买住房", "不是在我市首次购买住房")),
            Condition::Purchaser => s.text(pick(
                "购房人为申请人本人或配偶",
                "购房人不是申请人本人或配偶",
            )),
            Condition::AlreadyReceived => s.text(pick(
                "未领取过本补贴",
                "已领取过青年人才首次购房补贴，不得重复领取",
            )),
            Condition::OtherBenefit => s.text(pick(
                "未享受其他人才安居补贴及住房保障政策",
                "已享受其他人才安居补贴或住房保障政策，不得重复享受",
            )),
        }
    }

    /// The explanation: the amount and its clause, or every failed condition with its reason and
    /// clause.
    fn explain<S: Sink>(&self, s: &mut S) {
        let degree = self.input.degree;
        if self.eligible() {
            s.text("符合郑政办〔2020〕24号第二条（三）规定的全部申请条件，按第二条（二）");
            s.text(degree.amount_words());
            s.text("，补贴");
            s.uint(degree.amount_yuan() as u64);
            s.text("元");
            if self.input.purchaser == Purchaser::Spouse {
                s.text("；购房人为配偶，符合（六）2；夫妻双方均符合条件的，可按各自标准分别申请（（六）4）");
            }
        } else {
            s.text("不符合申请条件：");
            for (n, c) in self.failed_conditions().enumerate() {
                if n > 0 {
                    s.text("；");
                }
                self.describe(c, s);
                s.text(&fragments().clause_note[c as usize]);
            }
        }
        s.text("。");
    }
}

/// Evaluate 第二条 for one applicant. Data errors (impossible date orders, missing 本科 school
/// flag) are errors, not refusals.
pub fn subsidy(input: &SubsidyInput, params: &TalentParams) -> Result<SubsidyDecision, RuleError> {
    let i = input;
    if i.graduation_date <= i.birth_date {
        return Err(RuleError::bad_value(
            "graduation_date",
            "毕业日期应晚于出生日期",
        ));
    }
    for (field, date) in [
        ("graduation_date", i.graduation_date),
        ("settled_date", i.settled_date),
        ("contract_signed_date", i.contract_signed_date),
    ] {
        if date > i.application_date {
            return Err(RuleError::bad_value(
                field,
                "日期晚于申请日期 application_date",
            ));
        }
    }
    if i.degree == Degree::Bachelor && i.double_first_class.is_none() {
        return Err(RuleError::MissingField(
            "double_first_class（本科申请人必填）".into(),
        ));
    }
    let age_at = match params.age_measured_at {
        AgeMeasuredAt::ApplicationDate => i.application_date.0,
        AgeMeasuredAt::ContractSignedDate => i.contract_signed_date.0,
        AgeMeasuredAt::SettledDate => i.settled_date.0,
    };
    let age = age_in_full_years(i.birth_date.0, age_at);
    let settle_deadline = i
        .graduation_date
        .0
        .checked_add_months(Months::new(SETTLEMENT_WINDOW_MONTHS))
        .ok_or_else(|| RuleError::bad_value("graduation_date", "日期超出范围"))?;
    let mut applicable = 0u16;
    let mut failed = 0u16;
    let mut check = |c: Condition, ok: bool| {
        applicable |= c.bit();
        if !ok {
            failed |= c.bit();
        }
    };
    check(Condition::FullTime, i.full_time);
    if i.degree == Degree::Bachelor {
        check(
            Condition::DoubleFirstClass,
            i.double_first_class == Some(true),
        );
    }
    if i.degree != Degree::Doctor {
        check(
            Condition::Age,
            params.counting.holds(age, Word::Below, params.age_limit),
        );
    }
    check(
        Condition::GraduationDate,
        if params.graduation_cutoff_inclusive {
            i.graduation_date.0 >= CUTOFF_2017
        } else {
            i.graduation_date.0 > CUTOFF_2017
        },
    );
    check(
        Condition::SettlementWindow,
        params
            .counting
            .holds(i.settled_date.0, Word::Within, settle_deadline),
    );
    check(
        Condition::ContractDate,
        i.contract_signed_date.0 >= CUTOFF_2017,
    );
    check(Condition::ContractFiled, i.contract_filed);
    check(Condition::DeedTaxPaid, i.deed_tax_paid);
    check(Condition::FirstHome, i.first_home);
    check(Condition::Purchaser, i.purchaser != Purchaser::Other);
    check(Condition::AlreadyReceived, !i.already_received);
    if params.other_benefit_blocks {
        check(Condition::OtherBenefit, !i.other_housing_benefit);
    }
    Ok(SubsidyDecision {
        input: *i,
        params: *params,
        applicable,
        failed,
        age,
        age_at,
        settle_deadline,
    })
}

/// Where reasons and explanations are rendered: a formatter (the serde document,
/// `explanation()`) or the bulk output buffer. One text definition, two destinations.
trait Sink {
    /// Static or escape-free text.
    fn text(&mut self, t: &str);
    fn uint(&mut self, v: u64);
    /// A date as chrono's `Display` writes it (`YYYY-MM-DD` for years 0–9999, `+YYYYY-…` beyond).
    fn date(&mut self, d: NaiveDate);
    /// A date as [`Ymd`] writes it.
    fn ymd(&mut self, d: NaiveDate);
}

/// A [`Sink`] over a formatter; keeps the first error.
struct FmtSink<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    result: fmt::Result,
}
impl Sink for FmtSink<'_, '_> {
    fn text(&mut self, t: &str) {
        if self.result.is_ok() {
            self.result = self.f.write_str(t);
        }
    }
    fn uint(&mut self, v: u64) {
        if self.result.is_ok() {
            self.result = write!(self.f, "{v}");
        }
    }
    fn date(&mut self, d: NaiveDate) {
        if self.result.is_ok() {
            self.result = write!(self.f, "{d}");
        }
    }
    fn ymd(&mut self, d: NaiveDate) {
        if self.result.is_ok() {
            self.result = write!(self.f, "{}", Ymd(d));
        }
    }
}

impl Sink for Vec<u8> {
    fn text(&mut self, t: &str) {
        self.extend_from_slice(t.as_bytes());
    }
    fn uint(&mut self, v: u64) {
        push_uint(self, v);
    }
    fn date(&mut self, d: NaiveDate) {
        if (0..=9999).contains(&d.year()) {
            self.extend_from_slice(&Ymd(d).bytes());
        } else {
            use std::io::Write as _;
            let _ = write!(self, "{d}");
        }
    }
    fn ymd(&mut self, d: NaiveDate) {
        self.extend_from_slice(&Ymd(d).bytes());
    }
}

/// Append an unsigned integer in decimal, as serde_json and `Display` write it.
fn push_uint(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[at..]);
}

/// Render through a [`FmtSink`].
fn render(f: &mut fmt::Formatter<'_>, paint: impl FnOnce(&mut FmtSink<'_, '_>)) -> fmt::Result {
    let mut sink = FmtSink { f, result: Ok(()) };
    paint(&mut sink);
    sink.result
}

struct Describe<'a>(&'a SubsidyDecision, Condition);
impl fmt::Display for Describe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render(f, |s| self.0.describe(self.1, s))
    }
}

struct Explanation<'a>(&'a SubsidyDecision);
impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render(f, |s| self.0.explain(s))
    }
}

struct Reasons<'a>(&'a SubsidyDecision);
impl Serialize for Reasons<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.failed.count_ones() as usize))?;
        for c in self.0.failed_conditions() {
            seq.serialize_element(&ReasonItem(self.0, c))?;
        }
        seq.end()
    }
}
struct ReasonItem<'a>(&'a SubsidyDecision, Condition);
impl Serialize for ReasonItem<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("condition", self.1.code())?;
        m.serialize_entry("clause", self.1.clause())?;
        m.serialize_entry("reason", &Collect(Describe(self.0, self.1)))?;
        m.end()
    }
}
struct Collect<T: fmt::Display>(T);
impl<T: fmt::Display> Serialize for Collect<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

struct Trace<'a>(&'a SubsidyDecision);
impl Serialize for Trace<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut seq = s.serialize_seq(Some(d.applicable.count_ones() as usize + 1))?;
        for c in CONDITIONS.into_iter().filter(|c| d.applies(*c)) {
            seq.serialize_element(&TraceItem(d, c))?;
        }
        seq.serialize_element(&AmountStep(d))?;
        seq.end()
    }
}
/// A trace value of the subsidy decision: the value compared and the threshold.
#[derive(Clone, Copy)]
enum StepValue {
    Int(u32),
    Date(NaiveDate),
    Bool(bool),
    Text(&'static str),
}

impl Serialize for StepValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            StepValue::Int(v) => s.serialize_u32(v),
            StepValue::Date(d) => Date(d).serialize(s),
            StepValue::Bool(b) => s.serialize_bool(b),
            StepValue::Text(t) => s.serialize_str(t),
        }
    }
}

impl StepValue {
    /// Append as JSON. Text values are static and escape-free (checked by a test).
    fn write(self, out: &mut Vec<u8>) {
        match self {
            StepValue::Int(v) => push_uint(out, u64::from(v)),
            StepValue::Date(d) => {
                out.push(b'"');
                out.ymd(d);
                out.push(b'"');
            }
            StepValue::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            StepValue::Text(t) => {
                out.push(b'"');
                out.extend_from_slice(t.as_bytes());
                out.push(b'"');
            }
        }
    }
}

/// (value, threshold) of condition `c` — the one definition both output paths use.
fn step_values(d: &SubsidyDecision, c: Condition) -> (StepValue, StepValue) {
    use StepValue::{Bool, Date as D, Int, Text};
    let i = &d.input;
    match c {
        Condition::Age => (Int(d.age), Int(d.params.age_limit)),
        Condition::GraduationDate => (D(i.graduation_date.0), D(CUTOFF_2017)),
        Condition::SettlementWindow => (D(i.settled_date.0), D(d.settle_deadline)),
        Condition::ContractDate => (D(i.contract_signed_date.0), D(CUTOFF_2017)),
        Condition::FullTime => (Bool(i.full_time), Bool(true)),
        Condition::DoubleFirstClass => (Bool(i.double_first_class == Some(true)), Bool(true)),
        Condition::ContractFiled => (Bool(i.contract_filed), Bool(true)),
        Condition::DeedTaxPaid => (Bool(i.deed_tax_paid), Bool(true)),
        Condition::FirstHome => (Bool(i.first_home), Bool(true)),
        Condition::AlreadyReceived => (Bool(i.already_received), Bool(false)),
        Condition::OtherBenefit => (Bool(i.other_housing_benefit), Bool(false)),
        Condition::Purchaser => (
            Text(match i.purchaser {
                Purchaser::Applicant => "本人",
                Purchaser::Spouse => "配偶",
                Purchaser::Other => "其他",
            }),
            Text("本人或配偶"),
        ),
    }
}

const AMOUNT_CLAUSE: &str = "郑政办〔2020〕24号 第二条（二）";
const AMOUNT_CHECK: &str = "补贴标准：博士10万元，硕士5万元，本科毕业生2万元";
const CITATION: &str = "郑政办〔2020〕24号 第二条";

struct TraceItem<'a>(&'a SubsidyDecision, Condition);
impl Serialize for TraceItem<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (d, c) = (self.0, self.1);
        let (value, threshold) = step_values(d, c);
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("clause", c.clause())?;
        m.serialize_entry("check", c.check())?;
        m.serialize_entry("value", &value)?;
        m.serialize_entry("threshold", &threshold)?;
        m.serialize_entry("holds", &(d.failed & c.bit() == 0))?;
        m.end()
    }
}

struct AmountStep<'a>(&'a SubsidyDecision);
impl Serialize for AmountStep<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("clause", AMOUNT_CLAUSE)?;
        m.serialize_entry("check", AMOUNT_CHECK)?;
        m.serialize_entry("value", d.input.degree.name())?;
        m.serialize_entry("threshold", &d.input.degree.amount_yuan())?;
        m.serialize_entry("holds", &d.eligible())?;
        m.end()
    }
}

impl Serialize for SubsidyDecision {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(9))?;
        m.serialize_entry("eligible", &self.eligible())?;
        m.serialize_entry("amount_yuan", &Collect(AmountText(self.amount())))?;
        m.serialize_entry("degree", self.input.degree.name())?;
        m.serialize_entry("age", &self.age)?;
        m.serialize_entry("reasons", &Reasons(self))?;
        m.serialize_entry("citation", CITATION)?;
        m.serialize_entry("counting", &self.counting())?;
        m.serialize_entry("explanation", &Collect(Explanation(self)))?;
        m.serialize_entry("trace", &Trace(self))?;
        m.end()
    }
}

struct AmountText(Decimal);
impl fmt::Display for AmountText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut v = self.0;
        v.rescale(2);
        write!(f, "{v}")
    }
}

/// The fixed JSON around each condition, rendered once from [`Condition::code`],
/// [`Condition::clause`] and [`Condition::check`], so the bulk writer copies one piece per item
/// instead of five or six.
struct Fragments {
    /// `{"condition":"…","clause":"…","reason":"` per condition.
    reason_head: [String; CONDITIONS.len()],
    /// `（clause）`, after each reason in the explanation.
    clause_note: [String; CONDITIONS.len()],
    /// `{"clause":"…","check":"…","value":` per condition.
    trace_head: [String; CONDITIONS.len()],
    /// `],"citation":"…","counting":{…},"explanation":"` (closes the reasons), per reading.
    citation: [String; 2],
    /// `{"clause":"…","check":"…","value":"` of the amount step.
    amount_head: String,
    /// `"code":"clause"` per condition, for the compact line.
    compact_failed: [String; CONDITIONS.len()],
}

fn fragments() -> &'static Fragments {
    static FRAGMENTS: std::sync::OnceLock<Fragments> = std::sync::OnceLock::new();
    FRAGMENTS.get_or_init(|| Fragments {
        reason_head: CONDITIONS.map(|c| {
            format!(
                "{{\"condition\":\"{}\",\"clause\":\"{}\",\"reason\":\"",
                c.code(),
                c.clause()
            )
        }),
        clause_note: CONDITIONS.map(|c| format!("（{}）", c.clause())),
        trace_head: CONDITIONS.map(|c| {
            format!(
                "{{\"clause\":\"{}\",\"check\":\"{}\",\"value\":",
                c.clause(),
                c.check()
            )
        }),
        citation: [Reading::CivilCode, Reading::BelowExclusive].map(|r| {
            format!(
                "],\"citation\":\"{CITATION}\",\"counting\":{},\"explanation\":\"",
                serde_json::to_string(&Document::Talent24.counting(r)).expect("static strings")
            )
        }),
        amount_head: format!(
            "{{\"clause\":\"{AMOUNT_CLAUSE}\",\"check\":\"{AMOUNT_CHECK}\",\"value\":\""
        ),
        compact_failed: CONDITIONS.map(|c| format!("\"{}\":\"{}\"", c.code(), c.clause())),
    })
}

impl SubsidyDecision {
    /// Append the decision as compact JSON — the same document as the `Serialize` impl (the tests
    /// compare the two), written without serde: every static text and every rendered reason is
    /// free of characters JSON must escape, so it is copied as is. This is the bulk path.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let pieces = fragments();
        let degree = self.input.degree;
        let eligible = self.eligible();
        out.extend_from_slice(if eligible {
            b"{\"eligible\":true,\"amount_yuan\":\""
        } else {
            b"{\"eligible\":false,\"amount_yuan\":\""
        });
        if eligible {
            push_uint(out, degree.amount_yuan() as u64);
            out.extend_from_slice(b".00");
        } else {
            out.extend_from_slice(b"0.00");
        }
        out.extend_from_slice(b"\",\"degree\":\"");
        out.text(degree.name());
        out.extend_from_slice(b"\",\"age\":");
        push_uint(out, u64::from(self.age));
        out.extend_from_slice(b",\"reasons\":[");
        for (n, c) in self.failed_conditions().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.text(&pieces.reason_head[c as usize]);
            self.describe(c, out);
            out.extend_from_slice(b"\"}");
        }
        out.text(&pieces.citation[self.params.counting as usize]);
        self.explain(out);
        out.extend_from_slice(b"\",\"trace\":[");
        for c in CONDITIONS.into_iter().filter(|c| self.applies(*c)) {
            let (value, threshold) = step_values(self, c);
            out.text(&pieces.trace_head[c as usize]);
            value.write(out);
            out.extend_from_slice(b",\"threshold\":");
            threshold.write(out);
            out.extend_from_slice(if self.failed & c.bit() == 0 {
                b",\"holds\":true},"
            } else {
                b",\"holds\":false},"
            });
        }
        out.text(&pieces.amount_head);
        out.text(degree.name());
        out.extend_from_slice(b"\",\"threshold\":");
        push_uint(out, degree.amount_yuan() as u64);
        out.extend_from_slice(if eligible {
            b",\"holds\":true}]}"
        } else {
            b",\"holds\":false}]}"
        });
    }

    /// The explanation as an owned string (for callers outside serialization).
    pub fn explanation(&self) -> String {
        Explanation(self).to_string()
    }

    /// Append the compact batch line (see [`write_compact`]).
    pub fn write_compact(&self, out: &mut Vec<u8>) {
        write_compact(self.input.degree, self.failed, out);
    }
}

/// The compact batch line of a decision — eligibility, amount, and each failed condition's code
/// with its clause: `{"eligible":false,"amount_yuan":"0.00","failed":{"age":"郑政办〔2020〕24号
/// 第二条（三）1"}}`. Both the row-by-row and the columnar path write through this one function,
/// from the degree and the bitmask of failed conditions.
pub fn write_compact(degree: Degree, failed: u16, out: &mut Vec<u8>) {
    if failed == 0 {
        out.extend_from_slice(match degree {
            Degree::Doctor => b"{\"eligible\":true,\"amount_yuan\":\"100000.00\",\"failed\":{}}",
            Degree::Master => b"{\"eligible\":true,\"amount_yuan\":\"50000.00\",\"failed\":{}}",
            Degree::Bachelor => b"{\"eligible\":true,\"amount_yuan\":\"20000.00\",\"failed\":{}}",
        });
        return;
    }
    let pieces = &fragments().compact_failed;
    out.extend_from_slice(b"{\"eligible\":false,\"amount_yuan\":\"0.00\",\"failed\":{");
    let mut rest = failed;
    let mut first = true;
    while rest != 0 {
        let bit = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(pieces[bit].as_bytes());
    }
    out.extend_from_slice(b"}}");
}

/// The OpenAPI schema of [`SubsidyDecision`], whose serialization is written by hand: a
/// documentation-only struct of the same shape (the `openapi` tests compare its properties with
/// the serialized decision's keys).
#[cfg(feature = "openapi")]
mod subsidy_schema {
    use super::{Degree, SubsidyDecision};
    use crate::common::TraceStep;
    use crate::counting::Counting;
    use utoipa::openapi::{schema::Schema, RefOr};
    use utoipa::{PartialSchema, ToSchema};

    /// 不符合的条件.
    #[allow(dead_code)]
    #[derive(ToSchema)]
    struct SubsidyReason {
        /// 条件代码，如 age、first_home.
        condition: String,
        /// 条款，如 郑政办〔2020〕24号 第二条（三）1.
        clause: String,
        /// 理由（中文，含比较的值）.
        reason: String,
    }

    /// 青年人才首次购房补贴的判断（郑政办〔2020〕24号 第二条）.
    #[allow(dead_code)]
    #[derive(ToSchema)]
    struct SubsidyDecisionDoc {
        /// 是否符合申请条件.
        eligible: bool,
        /// 补贴金额（元，两位小数），不符合为 0.00.
        amount_yuan: String,
        degree: Degree,
        /// 计算年龄之日的周岁.
        age: u32,
        /// 每个不符合的条件一项.
        reasons: Vec<SubsidyReason>,
        citation: String,
        counting: Counting,
        explanation: String,
        trace: Vec<TraceStep>,
    }

    impl PartialSchema for SubsidyDecision {
        fn schema() -> RefOr<Schema> {
            SubsidyDecisionDoc::schema()
        }
    }
    impl ToSchema for SubsidyDecision {
        fn name() -> std::borrow::Cow<'static, str> {
            "SubsidyDecision".into()
        }
        fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            SubsidyDecisionDoc::schemas(schemas);
        }
    }
}

// ------------------------------------------------------------ 第三条 非郑户籍人才购房

/// 就业情况 (第三条（三）2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Employment {
    /// 在我市用人单位就业并签订劳动合同
    #[serde(rename = "劳动合同")]
    Contract,
    /// 在郑初始自主创业
    #[serde(rename = "自主创业")]
    Entrepreneur,
    #[serde(rename = "无")]
    None,
}

/// “1年以上劳动合同”: 12 months, “以上”含本数 (《民法典》第一千二百五十九条).
pub const MIN_CONTRACT_MONTHS: u32 = 12;

/// Input of `talent-purchase-qualification`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseInput {
    /// 是否郑州户籍（本条只适用于非郑户籍）.
    pub zhengzhou_hukou: bool,
    /// 全日制本科以上学历.
    pub full_time_bachelor_or_above: bool,
    /// 副高级职称（高级技师）以上.
    pub senior_title: bool,
    pub employment: Employment,
    /// 劳动合同期限（月）: required when employment = 劳动合同.
    pub contract_months: Option<u32>,
    /// 自主创业：依法登记注册并担任法定代表人.
    pub legal_representative: Option<bool>,
    /// 购买首套自住商品住宅.
    pub first_home: bool,
    /// 购房合同所列购房人是人才本人（（六）1）.
    pub purchaser_is_applicant: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseReason {
    pub condition: &'static str,
    pub clause: &'static str,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseDecision {
    pub qualified: bool,
    pub treatment: &'static str,
    pub still_subject_to: &'static str,
    pub reasons: Vec<PurchaseReason>,
    pub citation: &'static str,
    /// Which reading of “1年以上” decided.
    pub counting: Counting,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

/// Evaluate 第三条 for one person; `reading` is how 24号's counting words are read.
pub fn purchase(input: &PurchaseInput, reading: Reading) -> Result<PurchaseDecision, RuleError> {
    const C1: &str = "郑政办〔2020〕24号 第三条（一）";
    const C31: &str = "郑政办〔2020〕24号 第三条（三）1";
    const C32: &str = "郑政办〔2020〕24号 第三条（三）2";
    const C33: &str = "郑政办〔2020〕24号 第三条（三）3";
    const C61: &str = "郑政办〔2020〕24号 第三条（六）1";
    let mut trace = Vec::with_capacity(6);
    let mut reasons = Vec::new();
    let mut check = |clause: &'static str,
                     words: &'static str,
                     value: crate::common::TraceValue,
                     threshold: crate::common::TraceValue,
                     ok: bool,
                     condition: &'static str,
                     reason: &'static str| {
        trace.push(TraceStep {
            clause,
            check: words,
            value,
            threshold,
            holds: ok,
        });
        if !ok {
            reasons.push(PurchaseReason {
                condition,
                clause,
                reason,
            });
        }
    };
    check(
        C1,
        "非郑户籍",
        input.zhengzhou_hukou.into(),
        false.into(),
        !input.zhengzhou_hukou,
        "zhengzhou_hukou",
        "已是郑州户籍，不适用非郑户籍人才购房政策",
    );
    let edu = input.full_time_bachelor_or_above || input.senior_title;
    check(
        C31,
        "全日制本科以上学历或副高级职称（高级技师）以上",
        edu.into(),
        true.into(),
        edu,
        "education",
        "不具有全日制本科以上学历，也不具有副高级职称（高级技师）以上职称",
    );
    match input.employment {
        Employment::Contract => {
            let months = input.contract_months.ok_or_else(|| {
                RuleError::MissingField("contract_months（劳动合同就业时必填）".into())
            })?;
            let ok = reading.holds(months, Word::Above, MIN_CONTRACT_MONTHS);
            check(
                C32,
                "劳动合同期限 ≥ 12个月（1年以上，含本数）",
                months.into(),
                MIN_CONTRACT_MONTHS.into(),
                ok,
                "contract_months",
                "劳动合同期限不足1年",
            );
        }
        Employment::Entrepreneur => {
            let rep = input.legal_representative.ok_or_else(|| {
                RuleError::MissingField("legal_representative（自主创业时必填）".into())
            })?;
            check(
                C32,
                "在郑初始自主创业，依法登记注册并担任法定代表人",
                rep.into(),
                true.into(),
                rep,
                "legal_representative",
                "自主创业但未依法登记注册或未担任法定代表人",
            );
        }
        Employment::None => {
            check(
                C32,
                "在我市就业（签订1年以上劳动合同）或自主创业",
                "无".into(),
                "劳动合同/自主创业".into(),
                false,
                "employment",
                "未在我市就业或自主创业",
            );
        }
    }
    check(
        C33,
        "在我市购买首套自住商品住宅",
        input.first_home.into(),
        true.into(),
        input.first_home,
        "first_home",
        "不是首套自住商品住宅",
    );
    check(
        C61,
        "购房合同所列购房人是人才本人",
        input.purchaser_is_applicant.into(),
        true.into(),
        input.purchaser_is_applicant,
        "purchaser_is_applicant",
        "购房合同所列购房人不是人才本人",
    );
    let qualified = reasons.is_empty();
    let explanation = if qualified {
        "符合第三条（三）办理条件：限购审查时只审查学历、职称和教育、人社部门的认定情况以及就业状况，不再审核社保和个税证明的缴纳期限；仍受其他限购、限售等调控政策约束（（六）2）。".to_string()
    } else {
        let list: Vec<String> = reasons
            .iter()
            .map(|r| format!("{}（{}）", r.reason, r.clause))
            .collect();
        format!("不符合非郑户籍人才购房办理条件：{}。", list.join("；"))
    };
    Ok(PurchaseDecision {
        qualified,
        treatment: if qualified {
            "限购审查时只审查学历、职称和认定情况及就业状况，不再审核社保和个税证明的缴纳期限"
        } else {
            "按一般限购政策审查"
        },
        still_subject_to: "仍受其他限购、限售等调控政策的约束（第三条（六）2）",
        reasons,
        citation: "郑政办〔2020〕24号 第三条",
        counting: Document::Talent24.counting(reading),
        explanation,
        trace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::parse_input;

    fn d(s: &str) -> Date {
        Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    /// An applicant that meets every condition of 第二条（三）.
    fn base(degree: Degree) -> SubsidyInput {
        SubsidyInput {
            degree,
            full_time: true,
            double_first_class: Some(true),
            birth_date: d("1992-03-15"),
            graduation_date: d("2018-07-01"),
            settled_date: d("2019-01-10"),
            contract_signed_date: d("2019-05-20"),
            contract_filed: true,
            deed_tax_paid: true,
            first_home: true,
            application_date: d("2020-06-01"),
            purchaser: Purchaser::Applicant,
            already_received: false,
            other_housing_benefit: false,
        }
    }

    #[test]
    fn amounts_by_degree() {
        for (degree, amount) in [
            (Degree::Doctor, 100_000),
            (Degree::Master, 50_000),
            (Degree::Bachelor, 20_000),
        ] {
            let out = subsidy(&base(degree), &TalentParams::default()).unwrap();
            assert!(out.eligible(), "{}", out.explanation());
            assert_eq!(out.amount(), Decimal::from(amount), "第二条（二）");
        }
    }

    /// Each row breaks exactly one condition; exactly that reason is returned, citing its clause.
    #[test]
    fn each_condition_fails_alone_with_its_clause() {
        type Mutate = fn(&mut SubsidyInput);
        let table: [(Condition, Mutate); 12] = [
            (Condition::FullTime, |i| i.full_time = false),
            (Condition::DoubleFirstClass, |i| {
                i.double_first_class = Some(false)
            }),
            (Condition::Age, |i| i.birth_date = d("1980-01-01")),
            (Condition::GraduationDate, |i| {
                i.graduation_date = d("2016-12-31");
                i.settled_date = d("2017-06-01");
            }),
            (Condition::SettlementWindow, |i| {
                i.settled_date = d("2021-07-02")
            }),
            (Condition::ContractDate, |i| {
                i.contract_signed_date = d("2016-12-31")
            }),
            (Condition::ContractFiled, |i| i.contract_filed = false),
            (Condition::DeedTaxPaid, |i| i.deed_tax_paid = false),
            (Condition::FirstHome, |i| i.first_home = false),
            (Condition::Purchaser, |i| i.purchaser = Purchaser::Other),
            (Condition::AlreadyReceived, |i| i.already_received = true),
            (Condition::OtherBenefit, |i| i.other_housing_benefit = true),
        ];
        for (condition, mutate) in table {
            let mut input = base(Degree::Bachelor);
            input.application_date = d("2021-08-01");
            mutate(&mut input);
            let out = subsidy(&input, &TalentParams::default()).unwrap();
            let failed: Vec<Condition> = out.failed_conditions().collect();
            assert_eq!(failed, vec![condition], "{}", out.explanation());
            assert_eq!(out.amount(), Decimal::ZERO);
            let json = serde_json::to_value(out).unwrap();
            assert_eq!(json["reasons"][0]["clause"], condition.clause());
            assert_eq!(json["reasons"][0]["condition"], condition.code());
        }
    }

    fn birth_for_age(at: &str, age: i32) -> Date {
        let at = d(at).0;
        Date(NaiveDate::from_ymd_opt(at.year() - age, at.month(), at.day()).unwrap())
    }

    /// “35岁以下” at 34, 35 and 36 under both readings: by default (民法典 第一千二百五十九条,
    /// “以下”含本数) 35 passes and 36 fails, and the reason cites the civil code; with
    /// `talent.counting = below_exclusive` (26号 八（一）'s definition, chosen by the parameter) 35
    /// fails. 博士 has no age limit.
    #[test]
    fn age_boundary_both_readings() {
        let limit = TalentParams::default().age_limit as i32;
        assert_eq!(TalentParams::default().counting, Reading::CivilCode);
        for (reading, cases) in [
            (
                Reading::CivilCode,
                [(limit - 1, true), (limit, true), (limit + 1, false)],
            ),
            (
                Reading::BelowExclusive,
                [(limit - 1, true), (limit, false), (limit + 1, false)],
            ),
        ] {
            let params = TalentParams {
                counting: reading,
                ..TalentParams::default()
            };
            for (age, ok) in cases {
                for degree in [Degree::Master, Degree::Bachelor, Degree::Doctor] {
                    let mut input = base(degree);
                    input.birth_date = birth_for_age("2020-06-01", age);
                    let out = subsidy(&input, &params).unwrap();
                    assert_eq!(out.age as i32, age);
                    let expected = ok || degree == Degree::Doctor;
                    assert_eq!(
                        out.eligible(),
                        expected,
                        "第二条（三）1 {} age {age} {reading:?}",
                        degree.name()
                    );
                    let json = serde_json::to_value(out).unwrap();
                    assert_eq!(json["counting"]["reading"], reading.name());
                    assert_eq!(json["counting"]["default"], reading == Reading::CivilCode);
                    if !expected {
                        let reason = json["reasons"][0]["reason"].as_str().unwrap();
                        let note = match reading {
                            Reading::CivilCode => "“以下”含本数，《民法典》第一千二百五十九条",
                            Reading::BelowExclusive => {
                                "“以下”不含本数，参数选用郑政办〔2020〕26号 八（一）的定义"
                            }
                        };
                        assert!(reason.contains(note), "{reason}");
                    }
                }
            }
        }
        // Exactly 35 passes by default, and the decision cites 民法典 第一千二百五十九条.
        let mut input = base(Degree::Master);
        input.birth_date = birth_for_age("2020-06-01", 35);
        let out = subsidy(&input, &TalentParams::default()).unwrap();
        assert!(out.eligible());
        let json = serde_json::to_value(out).unwrap();
        assert_eq!(
            json["counting"]["citation"],
            "《中华人民共和国民法典》第一千二百五十九条"
        );
        let age_step = json["trace"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["clause"] == Condition::Age.clause())
            .unwrap();
        assert_eq!(age_step["value"], 35);
        assert_eq!(age_step["holds"], true);
        // The day before the 35th birthday is still 34.
        let mut input = base(Degree::Master);
        input.birth_date = d("1985-06-02");
        assert!(subsidy(&input, &TalentParams::default())
            .unwrap()
            .eligible());
        // Measured at the contract date instead (parameter).
        let params = TalentParams {
            age_measured_at: AgeMeasuredAt::ContractSignedDate,
            ..TalentParams::default()
        };
        input.birth_date = d("1984-01-01");
        input.contract_signed_date = d("2019-12-31");
        assert!(subsidy(&input, &params).unwrap().eligible());
        assert!(!subsidy(&input, &TalentParams::default())
            .unwrap()
            .eligible());
    }

    /// The fast JSON writer produces exactly the serde document, for generated applicants that
    /// fail every combination of conditions, and its static texts need no JSON escaping.
    #[test]
    fn fast_writer_matches_serde() {
        let mut seed = 7u64;
        let mut next = |bound: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % bound
        };
        for params in [
            TalentParams::default(),
            TalentParams {
                counting: Reading::BelowExclusive,
                age_measured_at: AgeMeasuredAt::SettledDate,
                ..TalentParams::default()
            },
        ] {
            for _ in 0..3000 {
                let mut i =
                    base([Degree::Bachelor, Degree::Master, Degree::Doctor][next(3) as usize]);
                i.full_time = next(4) != 0;
                i.double_first_class = Some(next(3) != 0);
                i.birth_date = Date(d("1975-01-01").0 + chrono::Duration::days(next(9000) as i64));
                i.graduation_date =
                    Date(d("2015-06-01").0 + chrono::Duration::days(next(1500) as i64));
                i.settled_date =
                    Date(i.graduation_date.0 + chrono::Duration::days(next(1600) as i64));
                i.contract_signed_date =
                    Date(d("2016-06-01").0 + chrono::Duration::days(next(1500) as i64));
                i.application_date = Date(
                    i.settled_date.0.max(i.contract_signed_date.0)
                        + chrono::Duration::days(1 + next(200) as i64),
                );
                i.contract_filed = next(4) != 0;
                i.deed_tax_paid = next(4) != 0;
                i.first_home = next(4) != 0;
                i.purchaser =
                    [Purchaser::Applicant, Purchaser::Spouse, Purchaser::Other][next(3) as usize];
                i.already_received = next(6) == 0;
                i.other_housing_benefit = next(6) == 0;
                let Ok(decision) = subsidy(&i, &params) else {
                    continue;
                };
                let mut fast = Vec::new();
                decision.write_json(&mut fast);
                let fast: serde_json::Value =
                    serde_json::from_slice(&fast).expect("fast writer emits valid JSON");
                assert_eq!(fast, serde_json::to_value(decision).unwrap());
            }
        }
        let needs_escape = |t: &str| t.chars().any(|c| c == '"' || c == '\\' || c.is_control());
        for c in CONDITIONS {
            assert!(
                !needs_escape(c.clause()) && !needs_escape(c.check()) && !needs_escape(c.code())
            );
        }
        for t in [
            AMOUNT_CLAUSE,
            AMOUNT_CHECK,
            CITATION,
            "本人",
            "配偶",
            "其他",
            "本人或配偶",
        ] {
            assert!(!needs_escape(t));
        }
    }

    #[test]
    fn leap_day_birthday() {
        assert_eq!(age_in_full_years(d("2000-02-29").0, d("2035-02-28").0), 34);
        assert_eq!(age_in_full_years(d("2000-02-29").0, d("2035-03-01").0), 35);
    }

    /// “2017年1月1日之后毕业”: the day itself counts by default; the other reading is a parameter.
    #[test]
    fn graduation_cutoff_boundary_both_readings() {
        for (inclusive, cases) in [
            (
                true,
                [
                    ("2016-12-31", false),
                    ("2017-01-01", true),
                    ("2017-01-02", true),
                ],
            ),
            (
                false,
                [
                    ("2016-12-31", false),
                    ("2017-01-01", false),
                    ("2017-01-02", true),
                ],
            ),
        ] {
            let params = TalentParams {
                graduation_cutoff_inclusive: inclusive,
                ..TalentParams::default()
            };
            for (grad, ok) in cases {
                let mut input = base(Degree::Master);
                input.graduation_date = d(grad);
                input.settled_date = d("2018-01-01");
                let out = subsidy(&input, &params).unwrap();
                assert_eq!(
                    out.eligible(),
                    ok,
                    "第二条（三）3 graduated {grad} inclusive={inclusive}"
                );
            }
        }
    }

    /// “毕业3年内落户”: “以内” includes the 3-year day under both readings (民法典
    /// 第一千二百五十九条; 26号 八（一） does not define 以内).
    #[test]
    fn settlement_window_boundary_both_readings() {
        for reading in [Reading::CivilCode, Reading::BelowExclusive] {
            let params = TalentParams {
                counting: reading,
                ..TalentParams::default()
            };
            for (settled, ok) in [
                ("2021-06-30", true),
                ("2021-07-01", true),
                ("2021-07-02", false),
            ] {
                let mut input = base(Degree::Master);
                input.settled_date = d(settled);
                input.application_date = d("2021-08-01");
                let out = subsidy(&input, &params).unwrap();
                assert_eq!(
                    out.eligible(),
                    ok,
                    "第二条（三）3 settled {settled} {reading:?}"
                );
            }
        }
    }

    /// “2017年1月1日（含）之后” for the contract.
    #[test]
    fn contract_date_boundary() {
        for (signed, ok) in [
            ("2016-12-31", false),
            ("2017-01-01", true),
            ("2017-01-02", true),
        ] {
            let mut input = base(Degree::Master);
            input.contract_signed_date = d(signed);
            assert_eq!(
                subsidy(&input, &TalentParams::default())
                    .unwrap()
                    .eligible(),
                ok,
                "第二条（三）4 {signed}"
            );
        }
    }

    #[test]
    fn couples_and_spouse_purchaser() {
        let mut input = base(Degree::Doctor);
        input.purchaser = Purchaser::Spouse;
        let out = subsidy(&input, &TalentParams::default()).unwrap();
        assert!(out.eligible());
        assert!(out.explanation().contains("夫妻双方"), "（六）4");
    }

    #[test]
    fn bad_input_is_an_error_naming_the_field() {
        let mut input = base(Degree::Bachelor);
        input.double_first_class = None;
        assert_eq!(
            subsidy(&input, &TalentParams::default())
                .unwrap_err()
                .code(),
            "E_FIELD_MISSING"
        );
        let mut input = base(Degree::Master);
        input.contract_signed_date = d("2020-07-01");
        let e = subsidy(&input, &TalentParams::default()).unwrap_err();
        assert!(e.to_string().contains("contract_signed_date"), "{e}");
        let e = parse_input::<SubsidyInput>(r#"{"degree":"大专"}"#).unwrap_err();
        assert!(e.to_string().contains("本科"), "{e}");
        let e = parse_input::<SubsidyInput>(r#"{"degree":"硕士","full_time":"yes"}"#).unwrap_err();
        assert_eq!(e.code(), "E_FIELD_TYPE");
        assert!(e.to_string().contains("full_time"), "{e}");
        let e = parse_input::<SubsidyInput>(
            r#"{"degree":"硕士","full_time":true,"birth_date":"1990-02-30"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("birth_date"), "{e}");
    }

    /// 第三条（三）2 “1年以上劳动合同”: 11 months fails, 12 and 13 pass, under both readings
    /// (“以上” includes the number in both).
    #[test]
    fn purchase_contract_months_boundary() {
        for reading in [Reading::CivilCode, Reading::BelowExclusive] {
            for (months, ok) in [
                (MIN_CONTRACT_MONTHS - 1, false),
                (MIN_CONTRACT_MONTHS, true),
                (MIN_CONTRACT_MONTHS + 1, true),
            ] {
                let input = PurchaseInput {
                    zhengzhou_hukou: false,
                    full_time_bachelor_or_above: true,
                    senior_title: false,
                    employment: Employment::Contract,
                    contract_months: Some(months),
                    legal_representative: None,
                    first_home: true,
                    purchaser_is_applicant: true,
                };
                let out = purchase(&input, reading).unwrap();
                assert_eq!(
                    out.qualified, ok,
                    "第三条（三）2 {months} months {reading:?}"
                );
                assert_eq!(out.counting.reading, reading);
            }
        }
    }

    /// (case, qualified, clause exercised)
    #[test]
    fn purchase_case_table() {
        let ok = PurchaseInput {
            zhengzhou_hukou: false,
            full_time_bachelor_or_above: false,
            senior_title: true,
            employment: Employment::Entrepreneur,
            contract_months: None,
            legal_representative: Some(true),
            first_home: true,
            purchaser_is_applicant: true,
        };
        let cases: [(PurchaseInput, bool, &str); 5] = [
            (ok.clone(), true, "第三条（三）1 副高级职称可代替学历"),
            (
                PurchaseInput {
                    zhengzhou_hukou: true,
                    ..ok.clone()
                },
                false,
                "第三条（一）非郑户籍",
            ),
            (
                PurchaseInput {
                    senior_title: false,
                    ..ok.clone()
                },
                false,
                "第三条（三）1",
            ),
            (
                PurchaseInput {
                    employment: Employment::None,
                    ..ok.clone()
                },
                false,
                "第三条（三）2",
            ),
            (
                PurchaseInput {
                    purchaser_is_applicant: false,
                    ..ok.clone()
                },
                false,
                "第三条（六）1",
            ),
        ];
        for (input, qualified, clause) in cases {
            let out = purchase(&input, Reading::CivilCode).unwrap();
            assert_eq!(out.qualified, qualified, "{clause}");
            assert_eq!(out.reasons.len(), usize::from(!qualified), "{clause}");
        }
        let missing = PurchaseInput {
            legal_representative: None,
            ..ok
        };
        assert_eq!(
            purchase(&missing, Reading::CivilCode).unwrap_err().code(),
            "E_FIELD_MISSING"
        );
    }
}
