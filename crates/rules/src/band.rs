//! 分档表: threshold tables as data. A band is `[lower, upper)` — its lower bound is “以上” (or
//! “及以上”), which includes the number under every reading — and a table must cover its whole
//! domain without gaps or overlaps, which [`check_table`] proves and the tests run for every table.
//!
//! Where a band's upper bound is written “以下”, the reading matters: 郑政办〔2020〕26号 八（一）
//! (“以下”不含本数) makes the bands half-open as stored; 《民法典》第一千二百五十九条 (“以下”含本数)
//! makes a value exactly on a bound belong to both neighbouring bands. [`shared_bound`] finds that
//! case; the rules then take the higher band (the next band's “以上”/“及以上” claims the bound too),
//! and say so in the explanation.

use crate::counting::{Reading, Word};

/// One band of a threshold table: values `lower <= v < upper` (no upper = unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band<T, G> {
    pub lower: T,
    pub upper: Option<T>,
    pub grade: G,
    /// The clause's own words for this band, e.g. `500人以上1000人以下`.
    pub words: &'static str,
}

/// Find the band containing `v`. Tables are checked to be complete, so this always finds one
/// for `v >= table[0].lower`; below the domain it returns `None`.
pub fn classify<T: PartialOrd + Copy, G: Copy>(table: &[Band<T, G>], v: T) -> Option<&Band<T, G>> {
    table
        .iter()
        .find(|b| v >= b.lower && b.upper.is_none_or(|u| v < u))
}

/// Under `reading`, the lower neighbouring band that also contains `v` because `v` is exactly its
/// “以下” upper bound — `None` when `v` is in one band only (always under `below_exclusive`).
pub fn shared_bound<T: PartialOrd + Copy, G: Copy>(
    table: &[Band<T, G>],
    v: T,
    reading: Reading,
) -> Option<&Band<T, G>> {
    if !reading.includes(Word::Below) {
        return None;
    }
    table.iter().find(|b| b.upper.is_some_and(|u| u == v))
}

/// Check a table: ascending, starts at `domain_min`, each band starts where the previous ends
/// (no gap, no overlap), non-empty bands, and the last band is unbounded.
pub fn check_table<T: PartialOrd + Copy + std::fmt::Debug, G>(
    table: &[Band<T, G>],
    domain_min: T,
) -> Result<(), String> {
    let first = table.first().ok_or("空表")?;
    if first.lower != domain_min {
        return Err(format!(
            "首档下限 {:?} 不等于定义域下限 {:?}",
            first.lower, domain_min
        ));
    }
    for pair in table.windows(2) {
        let upper = pair[0]
            .upper
            .ok_or_else(|| format!("“{}”无上限却不是最后一档", pair[0].words))?;
        if upper != pair[1].lower {
            return Err(format!(
                "“{}”与“{}”之间有缺口或重叠：{:?} ≠ {:?}",
                pair[0].words, pair[1].words, upper, pair[1].lower
            ));
        }
    }
    for band in table {
        if let Some(u) = band.upper {
            if u <= band.lower {
                return Err(format!("“{}”为空档", band.words));
            }
        }
    }
    if table.last().is_some_and(|b| b.upper.is_some()) {
        return Err("最后一档应无上限".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two bands split at `split`: `[0, upper_of_first]` for 'a', `[split, ∞)` for 'b'.
    fn two_bands(
        upper_of_first: i64,
        split: i64,
        words: [&'static str; 2],
    ) -> [Band<i64, char>; 2] {
        [
            Band {
                lower: 0,
                upper: Some(upper_of_first),
                grade: 'a',
                words: words[0],
            },
            Band {
                lower: split,
                upper: None,
                grade: 'b',
                words: words[1],
            },
        ]
    }

    #[test]
    fn detects_gaps_overlaps_and_bounds() {
        let good = two_bands(10, 10, ["10以下", "10以上"]);
        assert!(check_table(&good, 0).is_ok());
        assert_eq!(classify(&good, 9).unwrap().grade, 'a');
        assert_eq!(classify(&good, 10).unwrap().grade, 'b');
        let gap = two_bands(9, 10, ["a", "b"]);
        assert!(check_table(&gap, 0).unwrap_err().contains("缺口或重叠"));
        let overlap = two_bands(11, 10, ["a", "b"]);
        assert!(check_table(&overlap, 0).is_err());
        let bounded = [Band {
            lower: 0,
            upper: Some(11),
            grade: 'a',
            words: "a",
        }];
        assert!(check_table(&bounded, 0).is_err());
        assert!(check_table(&good, 1).is_err());
    }

    /// “10以下” / “10以上”: at 10 the civil code puts the value in both bands, 26号 八（一） in the
    /// upper one only; 9 and 11 are in one band under both.
    #[test]
    fn shared_bound_only_under_the_civil_code() {
        let table = two_bands(10, 10, ["10以下", "10以上"]);
        for v in [9, 10, 11] {
            let civil = shared_bound(&table, v, Reading::CivilCode).map(|b| b.grade);
            assert_eq!(civil, (v == 10).then_some('a'), "{v}");
            assert_eq!(shared_bound(&table, v, Reading::BelowExclusive), None);
        }
    }
}
