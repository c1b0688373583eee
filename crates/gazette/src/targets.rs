//! Placeholder until G2 lands the targets extractor.

use crate::model::{Clause, Target};

pub(crate) fn extract(_lines: &[(usize, &str)], _outline: &[Clause]) -> Vec<Target> {
    Vec::new()
}
