//! NUMERIC columns (定点数) read exactly: `SUM` of a BIGINT column is a NUMERIC in PostgreSQL,
//! and money may be stored as one. Whole numbers that fit become [`Value::I64`]; any other
//! number becomes its exact decimal text, never a float.

use luoshi_store::sql::Value;
use postgres::types::{FromSql, Type};
use std::error::Error;

/// A NUMERIC value as exact decimal text (`-12.50`, `NaN`, `Infinity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Numeric {
    pub(crate) text: String,
    /// No fractional digits.
    pub(crate) whole: bool,
}

impl Numeric {
    /// The store value: an integer when whole and in range, the decimal text otherwise.
    pub(crate) fn into_value(self) -> Value {
        match (self.whole, self.text.parse::<i64>()) {
            (true, Ok(i)) => Value::I64(Some(i)),
            _ => Value::Text(Some(self.text)),
        }
    }
}

fn u16_at(raw: &[u8], at: usize) -> Result<u16, Box<dyn Error + Sync + Send>> {
    raw.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| "NUMERIC 数据被截断".into())
}

/// Decode PostgreSQL's binary NUMERIC: ndigits, weight, sign, dscale, then base-10000 digits,
/// the first of which has the given weight.
pub(crate) fn decode(raw: &[u8]) -> Result<Numeric, Box<dyn Error + Sync + Send>> {
    let ndigits = usize::from(u16_at(raw, 0)?);
    let weight = i64::from(u16_at(raw, 2)? as i16);
    let sign = u16_at(raw, 4)?;
    let dscale = usize::from(u16_at(raw, 6)?);
    let special = match sign {
        0x0000 | 0x4000 => None,
        0xC000 => Some("NaN"),
        0xD000 => Some("Infinity"),
        0xF000 => Some("-Infinity"),
        other => return Err(format!("NUMERIC 符号位无效: {other:#x}").into()),
    };
    if let Some(s) = special {
        return Ok(Numeric {
            text: s.into(),
            whole: false,
        });
    }
    let digits = (0..ndigits)
        .map(|k| u16_at(raw, 8 + 2 * k))
        .collect::<Result<Vec<_>, _>>()?;
    let digit = |j: i64| -> u16 {
        usize::try_from(j)
            .ok()
            .and_then(|j| digits.get(j).copied())
            .unwrap_or(0)
    };
    let mut text = String::new();
    if weight >= 0 {
        for j in 0..=weight {
            if j == 0 {
                text.push_str(&digit(j).to_string());
            } else {
                text.push_str(&format!("{:04}", digit(j)));
            }
        }
    } else {
        text.push('0');
    }
    if dscale > 0 {
        let mut fraction = String::new();
        let mut j = weight + 1;
        while fraction.len() < dscale {
            fraction.push_str(&format!("{:04}", digit(j)));
            j += 1;
        }
        fraction.truncate(dscale);
        text.push('.');
        text.push_str(&fraction);
    }
    let negative = sign == 0x4000 && text.chars().any(|c| matches!(c, '1'..='9'));
    if negative {
        text.insert(0, '-');
    }
    Ok(Numeric {
        text,
        whole: dscale == 0,
    })
}

impl<'a> FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        decode(raw)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(weight: i16, sign: u16, dscale: u16, digits: &[u16]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend((digits.len() as u16).to_be_bytes());
        out.extend(weight.to_be_bytes());
        out.extend(sign.to_be_bytes());
        out.extend(dscale.to_be_bytes());
        for d in digits {
            out.extend(d.to_be_bytes());
        }
        out
    }

    #[test]
    fn whole_numbers_become_integers() {
        // 1234 5678 = 12345678
        let n = decode(&raw(1, 0, 0, &[1234, 5678])).unwrap();
        assert_eq!(n.clone().into_value(), Value::I64(Some(12_345_678)));
        // 10000 0000 = 1 0000 0000 with trailing zero groups omitted
        assert_eq!(decode(&raw(2, 0, 0, &[1])).unwrap().text, "100000000");
        assert_eq!(decode(&raw(0, 0, 0, &[])).unwrap().text, "0");
    }

    #[test]
    fn fractions_keep_their_exact_decimal_text() {
        // -12.50 (dscale 2): digits 12 | 5000
        let n = decode(&raw(0, 0x4000, 2, &[12, 5000])).unwrap();
        assert_eq!(n.text, "-12.50");
        assert_eq!(n.into_value(), Value::Text(Some("-12.50".into())));
        // 0.0001234 (dscale 7): weight -1, digits 1 | 2340
        assert_eq!(
            decode(&raw(-1, 0, 7, &[1, 2340])).unwrap().text,
            "0.0001234"
        );
        // 0.00000001 (dscale 8): weight -2, digit 1
        assert_eq!(decode(&raw(-2, 0, 8, &[1])).unwrap().text, "0.00000001");
    }

    #[test]
    fn specials_and_truncated_input() {
        assert_eq!(decode(&raw(0, 0xC000, 0, &[])).unwrap().text, "NaN");
        assert!(decode(&[0, 1, 0]).is_err());
        assert!(decode(&raw(0, 0x1234, 0, &[])).is_err());
    }
}
