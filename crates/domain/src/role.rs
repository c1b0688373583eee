//! Roles and users (角色与用户): who may see and change what.

use serde::{Deserialize, Serialize};

/// A role a user holds. A user may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员: accounts, imports, everything.
    Admin,
    /// 督查室: imports gazette issues, assigns and follows up work, sees all units.
    Supervision,
    /// 建议提案处: registers and assigns suggestions and proposals.
    Proposals,
    /// 承办单位: a unit's staff; sees and changes only the unit's own work.
    UnitStaff,
    /// 责任领导: reads the portfolio assigned to them.
    Leader,
    /// 代表/委员: follows their own proposals.
    Deputy,
    /// 申请人: applies for the housing subsidy.
    Applicant,
    /// 健康办: the office of the health-action promotion committee (健康郑州行动推进委员会办公室,
    /// 郑政文〔2020〕59号 附件2 一、三（一）); runs monitoring, unlocks approved values, assesses.
    Health,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Supervision,
        Role::Proposals,
        Role::UnitStaff,
        Role::Leader,
        Role::Deputy,
        Role::Applicant,
        Role::Health,
    ];

    /// Stable English name, used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervision => "supervision",
            Role::Proposals => "proposals",
            Role::UnitStaff => "unit_staff",
            Role::Leader => "leader",
            Role::Deputy => "deputy",
            Role::Applicant => "applicant",
            Role::Health => "health",
        }
    }

    /// The Chinese name shown in the interface.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Supervision => "督查室",
            Role::Proposals => "建议提案处",
            Role::UnitStaff => "承办单位",
            Role::Leader => "责任领导",
            Role::Deputy => "代表/委员",
            Role::Applicant => "申请人",
            Role::Health => "健康办",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s || r.label() == s)
    }

    /// Roles that see every unit's work (the city-wide offices).
    pub fn sees_all_units(self) -> bool {
        matches!(self, Role::Admin | Role::Supervision | Role::Proposals)
    }
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// The unit the user belongs to (registry id), if any.
    pub unit_id: Option<String>,
    pub roles: Vec<Role>,
    pub disabled: bool,
    /// For a 责任领导: the leader's name as the gazette writes it (`王新伟`).
    pub leader_name: Option<String>,
}

impl User {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the user sees every unit's work.
    pub fn sees_all_units(&self) -> bool {
        self.roles.iter().any(|r| r.sees_all_units())
    }

    /// Roles as stored: comma-separated stable names.
    pub fn roles_string(roles: &[Role]) -> String {
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn parse_roles(s: &str) -> Vec<Role> {
        s.split(',').filter_map(|r| Role::parse(r.trim())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_storage_form() {
        let s = User::roles_string(&Role::ALL);
        assert_eq!(User::parse_roles(&s), Role::ALL.to_vec());
        assert_eq!(Role::parse("督查室"), Some(Role::Supervision));
        assert_eq!(Role::parse("nobody"), None);
    }
}
