//! The procedures (办理程序), each a table in its own module that cites the clauses it
//! implements. The case engine in [`crate::cases`] runs them all.

pub mod health;
pub mod proposals;
pub mod supervision;

use crate::cases::Procedure;

/// Every procedure Luoshi runs.
pub const ALL: &[&Procedure] = &[
    &supervision::SUPERVISION,
    &proposals::PROPOSALS,
    &health::HEALTH_VALUES,
];

/// The page of a case, for links in messages.
pub fn case_path(procedure: &str, id: i64) -> String {
    match procedure {
        "supervision" => format!("/supervision/items/{id}"),
        _ => "/notices".to_string(),
    }
}

/// A procedure by its stable name.
pub fn by_name(name: &str) -> Option<&'static Procedure> {
    ALL.iter().copied().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_procedure_table_is_consistent() {
        for p in super::ALL {
            p.validate().unwrap();
        }
    }
}
