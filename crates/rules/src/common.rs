//! 公共部件: citations, trace steps, the error type with stable codes, and strict input parsing
//! (dates, date-times, exact money) with Chinese messages naming the field.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use std::fmt;

/// Errors a rule evaluation can produce. Every variant has a stable code and a Chinese message.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RuleError {
    #[error("JSON 格式错误：{0}")]
    Json(String),
    #[error("缺少必填字段 {0}")]
    MissingField(String),
    #[error("未知字段 {0}（请检查拼写，字段说明见 `luoshi rules list --json`）")]
    UnknownField(String),
    #[error("字段 {field} 类型错误：{detail}")]
    WrongType { field: String, detail: String },
    #[error("字段 {field} 的值无效：{detail}")]
    BadValue { field: String, detail: String },
    #[error("未知规则 {0}（可用规则见 `luoshi rules list`）")]
    UnknownRule(String),
    #[error("期限计算失败：{message}")]
    Deadline { code: &'static str, message: String },
}

impl RuleError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::Json(_) => "E_JSON",
            RuleError::MissingField(_) => "E_FIELD_MISSING",
            RuleError::UnknownField(_) => "E_FIELD_UNKNOWN",
            RuleError::WrongType { .. } => "E_FIELD_TYPE",
            RuleError::BadValue { .. } => "E_FIELD_VALUE",
            RuleError::UnknownRule(_) => "E_RULE_UNKNOWN",
            RuleError::Deadline { code, .. } => code,
        }
    }

    pub fn bad_value(field: &str, detail: impl Into<String>) -> Self {
        RuleError::BadValue {
            field: field.to_string(),
            detail: detail.into(),
        }
    }
}

impl From<luoshi_calendar::DeadlineError> for RuleError {
    fn from(e: luoshi_calendar::DeadlineError) -> Self {
        RuleError::Deadline {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

fn translate_syntax(message: &str) -> String {
    let core = message.split(" at line ").next().unwrap_or(message);
    let zh = match core {
        "key must be a string" => "对象的键必须是带双引号的字符串",
        "expected value" => "此处应为一个 JSON 值",
        "trailing characters" => "JSON 之后有多余字符",
        "expected `,` or `}`" => "缺少逗号或右花括号 }",
        "expected `,` or `]`" => "缺少逗号或右方括号 ]",
        "expected `:`" => "缺少冒号 :",
        "invalid number" => "数字格式无效",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "字符串中有未转义的控制字符"
        }
        _ => return format!("语法错误（{core}）"),
    };
    zh.to_string()
}

fn translate_detail(message: &str) -> String {
    let core = message.split(" at line ").next().unwrap_or(message);
    if let Some(rest) = core.strip_prefix("unknown variant ") {
        let value = backticked(rest).unwrap_or(rest);
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        return format!("取值“{value}”无效，应为 {} 之一", expected.join("、"));
    }
    if core.contains("integer `-") {
        return "不能为负数，应为非负整数".into();
    }
    if core.contains("expected a boolean") {
        return "应为 true 或 false".into();
    }
    if core.contains("expected u64")
        || core.contains("expected u32")
        || core.contains("expected u16")
    {
        return "应为非负整数".into();
    }
    if core.contains("expected a string") {
        return "应为字符串".into();
    }
    core.to_string()
}

/// Parse one JSON document into a rule's input type. The fast path is plain serde_json; on error
/// the input is parsed again with path tracking so the message names the field.
pub fn parse_input<T: DeserializeOwned>(json: &str) -> Result<T, RuleError> {
    match serde_json::from_str::<T>(json) {
        Ok(v) => Ok(v),
        Err(first) => {
            if !first.is_data() {
                return Err(RuleError::Json(format!(
                    "第{}行第{}列：{}",
                    first.line(),
                    first.column(),
                    match first.classify() {
                        serde_json::error::Category::Eof => "内容不完整".to_string(),
                        _ => translate_syntax(&first.to_string()),
                    }
                )));
            }
            let mut de = serde_json::Deserializer::from_str(json);
            let err = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Ok(_) => return Err(RuleError::Json(first.to_string())),
                Err(e) => e,
            };
            let path = err.path().to_string();
            let message = err.inner().to_string();
            let field = if path == "." { String::new() } else { path };
            if message.starts_with("missing field") {
                let name = backticked(&message).unwrap_or("?");
                let full = if field.is_empty() {
                    name.to_string()
                } else {
                    format!("{field}.{name}")
                };
                return Err(RuleError::MissingField(full));
            }
            if message.starts_with("unknown field") {
                let name = backticked(&message).unwrap_or("?");
                return Err(RuleError::UnknownField(name.to_string()));
            }
            if message.starts_with("invalid type") {
                return Err(RuleError::WrongType {
                    field,
                    detail: translate_detail(&message),
                });
            }
            Err(RuleError::BadValue {
                field,
                detail: translate_detail(&message),
            })
        }
    }
}

/// Parse exactly `YYYY-MM-DD` (a real calendar date). Fixed layout, no format-string machinery:
/// this runs five times per applicant in the batch path.
pub fn parse_ymd(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// `YYYY-MM-DD` without chrono's generic formatter (years 0–9999).
#[derive(Clone, Copy)]
pub struct Ymd(pub NaiveDate);

impl Ymd {
    pub fn bytes(self) -> [u8; 10] {
        use chrono::Datelike;
        let (y, m, d) = (
            self.0.year().clamp(0, 9999) as u32,
            self.0.month(),
            self.0.day(),
        );
        let digit = |v: u32| b'0' + (v % 10) as u8;
        [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ]
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.bytes();
        f.write_str(std::str::from_utf8(&b).expect("ASCII digits"))
    }
}

/// A civil date (Asia/Shanghai), written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("日期字符串 YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                parse_ymd(v).map(Date).ok_or_else(|| {
                    E::custom(format!("日期“{v}”无效，应为 YYYY-MM-DD 格式的真实日期"))
                })
            }
        }
        d.deserialize_str(V)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b = Ymd(self.0).bytes();
        s.serialize_str(std::str::from_utf8(&b).expect("ASCII digits"))
    }
}

/// A local date-time, written `YYYY-MM-DDTHH:MM` (seconds optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub NaiveDateTime);

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("时间字符串 YYYY-MM-DDTHH:MM")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                [
                    "%Y-%m-%dT%H:%M",
                    "%Y-%m-%dT%H:%M:%S",
                    "%Y-%m-%d %H:%M",
                    "%Y-%m-%d %H:%M:%S",
                ]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
                .map(DateTime)
                .ok_or_else(|| E::custom(format!("时间“{v}”无效，应为 YYYY-MM-DDTHH:MM")))
            }
        }
        d.deserialize_str(V)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.format("%Y-%m-%dT%H:%M"))
    }
}

/// Exact money in yuan (元): a decimal string like `"1234.56"` or a JSON integer; never negative,
/// at most two decimal places (分). Floating-point JSON numbers are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(pub Decimal);

impl Money {
    pub fn yuan(v: i64) -> Money {
        Money(Decimal::from(v))
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("金额字符串（元），如 \"1234.56\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                let value: Decimal = v.trim().parse().map_err(|_| {
                    E::custom(format!(
                        "金额“{v}”无效，应为十进制数字字符串（元），如 \"1234.56\""
                    ))
                })?;
                if value.is_sign_negative() && !value.is_zero() {
                    return Err(E::custom(format!("金额不能为负数（{v}）")));
                }
                if value.scale() > 2 && value.normalize().scale() > 2 {
                    return Err(E::custom(format!("金额最多两位小数（到分）：{v}")));
                }
                Ok(Money(value.abs()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                Ok(Money(Decimal::from(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                if v < 0 {
                    return Err(E::custom(format!("金额不能为负数（{v}）")));
                }
                Ok(Money(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                Err(E::custom(format!(
                    "金额 {v} 请写成字符串（如 \"{v}\"），以免浮点误差"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// Money formatted with exactly two decimals (元，到分).
pub fn yuan_string(v: Decimal) -> String {
    let mut r = v.round_dp(2);
    r.rescale(2);
    r.to_string()
}

/// Serialize a Decimal as a two-decimal string.
pub fn ser_yuan<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let mut r = v.round_dp(2);
    r.rescale(2);
    s.collect_str(&r)
}

/// A value shown in a trace step.
#[derive(Debug, Clone, PartialEq)]
pub enum TraceValue {
    None,
    Bool(bool),
    Int(i64),
    Text(&'static str),
    Owned(String),
    Date(NaiveDate),
    Money(Decimal),
}

impl Serialize for TraceValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TraceValue::None => s.serialize_none(),
            TraceValue::Bool(b) => s.serialize_bool(*b),
            TraceValue::Int(i) => s.serialize_i64(*i),
            TraceValue::Text(t) => s.serialize_str(t),
            TraceValue::Owned(t) => s.serialize_str(t),
            TraceValue::Date(d) => Date(*d).serialize(s),
            TraceValue::Money(m) => ser_yuan(m, s),
        }
    }
}

impl From<bool> for TraceValue {
    fn from(v: bool) -> Self {
        TraceValue::Bool(v)
    }
}
impl From<u64> for TraceValue {
    fn from(v: u64) -> Self {
        TraceValue::Int(v as i64)
    }
}
impl From<u32> for TraceValue {
    fn from(v: u32) -> Self {
        TraceValue::Int(i64::from(v))
    }
}
impl From<&'static str> for TraceValue {
    fn from(v: &'static str) -> Self {
        TraceValue::Text(v)
    }
}
impl From<String> for TraceValue {
    fn from(v: String) -> Self {
        TraceValue::Owned(v)
    }
}
impl From<NaiveDate> for TraceValue {
    fn from(v: NaiveDate) -> Self {
        TraceValue::Date(v)
    }
}
impl From<Decimal> for TraceValue {
    fn from(v: Decimal) -> Self {
        TraceValue::Money(v)
    }
}

/// One step of a decision's trace: which clause, which test, which value against which threshold.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TraceStep {
    /// 文号 + 条/款, e.g. `郑政办〔2020〕26号 一（五）1`.
    pub clause: &'static str,
    /// The test in words, e.g. `需避险转移人数 ≥ 1000人（以上含本数）`.
    pub check: &'static str,
    pub value: TraceValue,
    pub threshold: TraceValue,
    /// Whether the test held.
    pub holds: bool,
}

impl TraceStep {
    pub fn new(
        clause: &'static str,
        check: &'static str,
        value: impl Into<TraceValue>,
        threshold: impl Into<TraceValue>,
        holds: bool,
    ) -> Self {
        TraceStep {
            clause,
            check,
            value: value.into(),
            threshold: threshold.into(),
            holds,
        }
    }
}

/// OpenAPI schemas of the hand-serialized types (the `openapi` feature).
#[cfg(feature = "openapi")]
mod schemas {
    use utoipa::openapi::schema::{
        KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
    };
    use utoipa::openapi::RefOr;

    fn text(
        format: Option<KnownFormat>,
        pattern: &str,
        description: &str,
        example: &str,
    ) -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(format.map(SchemaFormat::KnownFormat))
            .pattern(Some(pattern))
            .description(Some(description))
            .examples([example])
    }

    impl utoipa::PartialSchema for super::Date {
        fn schema() -> RefOr<Schema> {
            text(
                Some(KnownFormat::Date),
                r"^\d{4}-\d{2}-\d{2}$",
                "日期 YYYY-MM-DD（Asia/Shanghai 民用日期）",
                "2020-06-01",
            )
            .into()
        }
    }
    impl utoipa::ToSchema for super::Date {}

    impl utoipa::PartialSchema for super::DateTime {
        fn schema() -> RefOr<Schema> {
            text(
                None,
                r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$",
                "本地时间 YYYY-MM-DDTHH:MM（秒可省略）",
                "2020-07-01T22:30",
            )
            .into()
        }
    }
    impl utoipa::ToSchema for super::DateTime {}

    impl utoipa::PartialSchema for super::Money {
        fn schema() -> RefOr<Schema> {
            OneOfBuilder::new()
                .item(text(
                    None,
                    r"^\s*\d+(\.\d{1,2})?\s*$",
                    "金额（元），十进制字符串，最多两位小数",
                    "1234.56",
                ))
                .item(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(0))
                        .description(Some("金额（元），非负整数")),
                )
                .description(Some("金额（元）：字符串或非负整数，不接受浮点数"))
                .into()
        }
    }
    impl utoipa::ToSchema for super::Money {}

    impl utoipa::PartialSchema for super::TraceValue {
        fn schema() -> RefOr<Schema> {
            OneOfBuilder::new()
                .item(ObjectBuilder::new().schema_type(Type::Null))
                .item(ObjectBuilder::new().schema_type(Type::Boolean))
                .item(ObjectBuilder::new().schema_type(Type::Integer))
                .item(ObjectBuilder::new().schema_type(Type::String))
                .description(Some(
                    "判断过程中比较的值：空、布尔、整数或文字（日期、金额为字符串）",
                ))
                .into()
        }
    }
    impl utoipa::ToSchema for super::TraceValue {}
}
