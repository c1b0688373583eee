//! NUMERIC columns (定点数) read exactly: `SUM` of a BIGINT column is a NUMERIC in PostgreSQL.
//! The wire format is decoded by `rust_decimal` (its `db-postgres` codec); whole numbers that
//! fit become [`Value::I64`], any other number its exact decimal text, never a float.

use luoshi_store::sql::Value;
use rust_decimal::Decimal;

/// The store value of a NUMERIC: an integer when whole and in range, the decimal text
/// otherwise (`12.50` keeps its scale).
pub(crate) fn numeric_value(n: Decimal) -> Value {
    if n.fract().is_zero() {
        if let Ok(i) = i64::try_from(n.trunc()) {
            return Value::I64(Some(i));
        }
    }
    Value::Text(Some(n.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn value(text: &str) -> Value {
        numeric_value(Decimal::from_str(text).expect("a decimal"))
    }

    #[test]
    fn whole_numbers_become_integers() {
        assert_eq!(value("0"), Value::I64(Some(0)));
        assert_eq!(value("-9223372036854775808"), Value::I64(Some(i64::MIN)));
        assert_eq!(value("146.00"), Value::I64(Some(146)));
    }

    #[test]
    fn fractions_and_large_sums_keep_their_exact_decimal_text() {
        assert_eq!(value("-12.50"), Value::Text(Some("-12.50".into())));
        assert_eq!(value("0.001"), Value::Text(Some("0.001".into())));
        assert_eq!(
            value("92233720368547758070"),
            Value::Text(Some("92233720368547758070".into()))
        );
    }
}
