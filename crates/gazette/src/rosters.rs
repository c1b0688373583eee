//! Placeholder until G2 lands the rosters extractor.

use crate::model::{Clause, Roster};

pub(crate) fn extract(_lines: &[(usize, &str)], _outline: &[Clause]) -> Vec<Roster> {
    Vec::new()
}
