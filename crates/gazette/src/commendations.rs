//! Placeholder until G2 lands the commendations extractor.

use crate::model::{Clause, Commendation};
use crate::registry::Registry;

pub(crate) fn extract(
    _lines: &[(usize, &str)],
    _outline: &[Clause],
    _registry: &Registry,
) -> Vec<Commendation> {
    Vec::new()
}
