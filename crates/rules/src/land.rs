//! 棚户区安置用地补缴土地价款 (郑政办〔2020〕22号 四): premium = 出让评估价×35% − 划拨权益价,
//! shared between city and district 7.5 : 2.5, exact to the fen.
//!
//! Rounding (documented parameter, fixed): the premium is rounded to the fen (0.01 元) half away
//! from zero (四舍五入); the city share is the premium × 75% rounded the same way, and the district
//! share is the remainder, so city + district equals the total exactly.

use crate::common::{yuan_string, Money, RuleError, TraceStep};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

const CLAUSE_FORMULA: &str = "郑政办〔2020〕22号 四、2";
const CLAUSE_SPLIT: &str = "郑政办〔2020〕22号 四、3";

/// 35%.
pub fn premium_rate() -> Decimal {
    Decimal::new(35, 2)
}
/// City share 7.5 / (7.5 + 2.5) = 75%.
pub fn city_rate() -> Decimal {
    Decimal::new(75, 2)
}

/// Round to the fen, 四舍五入.
pub fn to_fen(v: Decimal) -> Decimal {
    let mut r = v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Split an amount 7.5 : 2.5 so that the two parts add up exactly.
pub fn split(total: Decimal) -> (Decimal, Decimal) {
    let city = to_fen(total * city_rate());
    (city, total - city)
}

/// Input of `land-premium`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PremiumInput {
    /// 房屋所在宗地出让评估价（元）.
    pub transfer_price_yuan: Money,
    /// 宗地划拨权益价（元）.
    pub allocation_price_yuan: Money,
    /// 由市级土地储备机构直接收储的宗地（据实核算，不按比例分成）. Default false.
    #[serde(default)]
    pub city_reserve_direct: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PremiumDecision {
    /// 补缴土地价款（土地出让金）.
    pub premium_yuan: String,
    pub city_share_yuan: Option<String>,
    pub district_share_yuan: Option<String>,
    /// 划拨权益价的市、区分成.
    pub allocation_city_share_yuan: Option<String>,
    pub allocation_district_share_yuan: Option<String>,
    /// True when the formula gives a negative amount (the document sets no refund) — review it.
    pub needs_review: bool,
    pub citation: &'static str,
    pub explanation: String,
    pub trace: Vec<TraceStep>,
}

pub fn premium(input: &PremiumInput) -> Result<PremiumDecision, RuleError> {
    let transfer = input.transfer_price_yuan.0;
    let allocation = input.allocation_price_yuan.0;
    let raw = transfer * premium_rate() - allocation;
    let premium = to_fen(raw);
    let mut trace = vec![TraceStep::new(
        CLAUSE_FORMULA,
        "补缴土地价款 = 出让评估价 × 35% − 划拨权益价（四舍五入到分）",
        yuan_string(transfer),
        yuan_string(allocation),
        true,
    )];
    trace[0].value = crate::common::TraceValue::Owned(format!(
        "{} × 35% − {} = {}",
        yuan_string(transfer),
        yuan_string(allocation),
        raw.normalize()
    ));
    trace[0].threshold = crate::common::TraceValue::Money(premium);
    let needs_review = premium.is_sign_negative() && !premium.is_zero();
    let mut explanation = format!(
        "补缴土地价款 = {}元 × 35% − {}元 = {}元（四舍五入到分）。",
        yuan_string(transfer),
        yuan_string(allocation),
        yuan_string(premium)
    );
    if needs_review {
        explanation.push_str("计算结果为负：文件未规定退还，请人工复核。");
    }
    let (city, district, acity, adistrict) = if input.city_reserve_direct {
        explanation.push_str("该宗地由市级土地储备机构直接收储，据实核算，不按7.5：2.5分成。");
        trace.push(TraceStep::new(
            CLAUSE_SPLIT,
            "市级土地储备机构直接收储的宗地据实核算",
            true,
            true,
            true,
        ));
        (None, None, None, None)
    } else {
        let (c, d) = split(premium);
        let (ac, ad) = split(to_fen(allocation));
        trace.push(TraceStep::new(
            CLAUSE_SPLIT,
            "市级份额 = 总额 × 75%（四舍五入到分），区级份额 = 总额 − 市级份额",
            c,
            d,
            c + d == premium,
        ));
        explanation.push_str(&format!(
            "市、区（含开发区）按7.5：2.5分成：市级{}元，区级{}元（区级取差额，保证两级之和等于总额）；划拨权益价{}元同样分成：市级{}元，区级{}元。",
            yuan_string(c), yuan_string(d), yuan_string(allocation), yuan_string(ac), yuan_string(ad)
        ));
        (
            Some(yuan_string(c)),
            Some(yuan_string(d)),
            Some(yuan_string(ac)),
            Some(yuan_string(ad)),
        )
    };
    Ok(PremiumDecision {
        premium_yuan: yuan_string(premium),
        city_share_yuan: city,
        district_share_yuan: district,
        allocation_city_share_yuan: acity,
        allocation_district_share_yuan: adistrict,
        needs_review,
        citation: "郑政办〔2020〕22号 四、2—3",
        explanation,
        trace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// (transfer, allocation, premium, city, district) — 四、2 formula and 四、3 split.
    const CASES: &[(&str, &str, &str, &str, &str)] = &[
        (
            "10000000",
            "1000000",
            "2500000.00",
            "1875000.00",
            "625000.00",
        ),
        (
            "12345678.91",
            "1000000.01",
            "3320987.61",
            "2490740.71",
            "830246.90",
        ),
        // 0.35 × 0.01 = 0.0035 → 0.00; 0.35 × 0.03 = 0.0105 → 0.01 (四舍五入到分).
        ("0.01", "0", "0.00", "0.00", "0.00"),
        ("0.03", "0", "0.01", "0.01", "0.00"),
        // Half-fen boundary: 0.35 × 0.13 = 0.0455 → 0.05; × 0.75 = 0.0375 → 0.04, district 0.01.
        ("0.13", "0", "0.05", "0.04", "0.01"),
    ];

    #[test]
    fn case_table() {
        for (t, a, p, c, d) in CASES {
            let out = premium(&PremiumInput {
                transfer_price_yuan: Money(dec(t)),
                allocation_price_yuan: Money(dec(a)),
                city_reserve_direct: false,
            })
            .unwrap();
            assert_eq!(out.premium_yuan, *p, "四、2 {t}");
            assert_eq!(out.city_share_yuan.as_deref(), Some(*c), "四、3 {t}");
            assert_eq!(out.district_share_yuan.as_deref(), Some(*d), "四、3 {t}");
        }
    }

    /// Rounding boundary generated around every half fen: x.xx4999… rounds down, x.xx5 rounds up.
    #[test]
    fn rounding_boundary_half_fen() {
        for fen in [0i64, 1, 7, 99, 12_345] {
            let base = Decimal::new(fen, 2);
            assert_eq!(to_fen(base + Decimal::new(4999, 6)), base);
            assert_eq!(to_fen(base + Decimal::new(5, 3)), base + Decimal::new(1, 2));
            assert_eq!(
                to_fen(base + Decimal::new(5001, 6)),
                base + Decimal::new(1, 2)
            );
        }
    }

    /// City + district always equals the total exactly (property over generated amounts).
    #[test]
    fn split_is_exact() {
        for cents in (0..200_000i64).step_by(7) {
            let total = Decimal::new(cents * 13 + 1, 2);
            let (c, d) = split(total);
            assert_eq!(c + d, total);
            assert_eq!(c.scale(), 2);
            assert!((c - total * city_rate()).abs() <= Decimal::new(5, 3));
        }
    }

    #[test]
    fn negative_result_is_flagged_and_direct_reserve_not_split() {
        let out = premium(&PremiumInput {
            transfer_price_yuan: Money::yuan(100),
            allocation_price_yuan: Money::yuan(50),
            city_reserve_direct: false,
        })
        .unwrap();
        assert_eq!(out.premium_yuan, "-15.00");
        assert!(out.needs_review);
        let out = premium(&PremiumInput {
            transfer_price_yuan: Money::yuan(1000),
            allocation_price_yuan: Money::yuan(50),
            city_reserve_direct: true,
        })
        .unwrap();
        assert_eq!(
            out.city_share_yuan, None,
            "四、3 市级土地储备机构直接收储的宗地据实核算"
        );
    }
}
