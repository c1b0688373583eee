//! Access policy (权限): who may do what, decided in this one place.
//!
//! Web handlers and commands name the [`Permission`] they need and call [`Viewer::require`];
//! nothing else decides access. The published gazette is public; tracked work is visible to
//! the city-wide offices, to the units that own it, and to its responsible leader.

use luoshi_domain::{Error, Role, User};

/// Who is asking: a logged-in user or the public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Public,
    User(User),
}

/// What is being asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permission {
    /// Read the published gazette: issues, documents, clauses, indicators, targets, search.
    ReadGazette,
    /// Read the unit directory.
    ReadUnits,
    /// Read the work of a unit (its task list).
    ReadUnitWork { unit_id: String },
    /// Read a tracked task; `owner_units` are the units that own it, `leaders` its leaders.
    ReadTask {
        owner_units: Vec<String>,
        leaders: Vec<String>,
    },
    /// Read all tracked work (the supervision overview, the leaders' list).
    ReadAllWork,
    /// Read a leader's portfolio.
    ReadLeaderPortfolio { leader: String },
    /// Import gazette issues.
    Import,
    /// Manage accounts.
    ManageUsers,
    /// Read the audit log.
    ReadAudit,
    /// See personal data (ID, phone and card numbers, e-mail addresses) unmasked: the
    /// city-wide offices, who act on it; everyone else sees it masked (`crate::privacy`).
    ReadPersonalData,
}

/// The unit a unit's staff member (承办单位) reads as: their own; `asked` naming another unit is
/// refused with `refusal`, which says what they may read.
pub fn own_unit(user: &User, asked: Option<&str>, refusal: &str) -> Result<String, Error> {
    let unit = user
        .unit_id
        .clone()
        .ok_or_else(|| Error::forbidden("您的账号未关联承办单位"))?;
    if asked.is_some_and(|u| u != unit) {
        return Err(Error::forbidden(refusal));
    }
    Ok(unit)
}

impl Viewer {
    pub fn user(&self) -> Option<&User> {
        match self {
            Viewer::Public => None,
            Viewer::User(u) => Some(u),
        }
    }

    fn has(&self, role: Role) -> bool {
        self.user().is_some_and(|u| u.has(role))
    }

    fn sees_all(&self) -> bool {
        self.user().is_some_and(|u| u.sees_all_units())
    }

    fn unit(&self) -> Option<&str> {
        self.user()
            .filter(|u| u.has(Role::UnitStaff))
            .and_then(|u| u.unit_id.as_deref())
    }

    fn leader_name(&self) -> Option<&str> {
        self.user()
            .filter(|u| u.has(Role::Leader))
            .and_then(|u| u.leader_name.as_deref())
    }

    /// Whether the viewer holds the permission.
    pub fn can(&self, p: &Permission) -> bool {
        match p {
            Permission::ReadGazette | Permission::ReadUnits => true,
            Permission::ReadUnitWork { unit_id } => self.sees_all() || self.unit() == Some(unit_id),
            Permission::ReadTask {
                owner_units,
                leaders,
            } => {
                self.sees_all()
                    || self
                        .unit()
                        .is_some_and(|u| owner_units.iter().any(|o| o == u))
                    || self
                        .leader_name()
                        .is_some_and(|l| leaders.iter().any(|x| x == l))
            }
            Permission::ReadAllWork | Permission::ReadPersonalData => self.sees_all(),
            Permission::ReadLeaderPortfolio { leader } => {
                self.sees_all() || self.leader_name() == Some(leader)
            }
            Permission::Import => self.has(Role::Admin) || self.has(Role::Supervision),
            Permission::ManageUsers | Permission::ReadAudit => self.has(Role::Admin),
        }
    }

    /// `Ok` when the viewer holds the permission; 401 for the public, 403 for a user.
    pub fn require(&self, p: &Permission) -> Result<(), Error> {
        if self.can(p) {
            Ok(())
        } else if self.user().is_none() {
            Err(Error::unauthenticated())
        } else {
            Err(Error::forbidden("您没有权限访问此内容"))
        }
    }

    /// The viewer's access class: viewers of one class see the same published content (the
    /// same tasks, the same masking), so a page rendered for one serves them all.
    pub fn access_class(&self) -> String {
        if self.sees_all() {
            return "all".into();
        }
        match (self.unit(), self.leader_name()) {
            (None, None) => "public".into(),
            (unit, leader) => format!(
                "unit:{}|leader:{}",
                unit.unwrap_or(""),
                leader.unwrap_or("")
            ),
        }
    }

    /// The actor name recorded in the audit log.
    pub fn actor(&self) -> String {
        self.user()
            .map(|u| u.username.clone())
            .unwrap_or_else(|| "public".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role], unit: Option<&str>, leader: Option<&str>) -> Viewer {
        Viewer::User(User {
            id: 1,
            username: "u".into(),
            display_name: "u".into(),
            unit_id: unit.map(str::to_string),
            roles: roles.to_vec(),
            disabled: false,
            leader_name: leader.map(str::to_string),
        })
    }

    #[test]
    fn unit_staff_see_only_their_units_work() {
        let staff = user(&[Role::UnitStaff], Some("wjw"), None);
        let task = |units: &[&str]| Permission::ReadTask {
            owner_units: units.iter().map(|s| s.to_string()).collect(),
            leaders: vec![],
        };
        assert!(staff.can(&task(&["wjw", "jyj"])));
        assert!(!staff.can(&task(&["jyj"])));
        assert!(staff.can(&Permission::ReadUnitWork {
            unit_id: "wjw".into()
        }));
        assert!(!staff.can(&Permission::ReadUnitWork {
            unit_id: "jyj".into()
        }));
        assert!(!staff.can(&Permission::ReadAllWork));
        assert!(!staff.can(&Permission::Import));
    }

    #[test]
    fn a_unit_staff_without_a_unit_sees_no_unit_work() {
        let staff = user(&[Role::UnitStaff], None, None);
        assert!(!staff.can(&Permission::ReadTask {
            owner_units: vec![],
            leaders: vec![]
        }));
    }

    #[test]
    fn leaders_read_their_own_portfolio_only() {
        let leader = user(&[Role::Leader], None, Some("王新伟"));
        assert!(leader.can(&Permission::ReadLeaderPortfolio {
            leader: "王新伟".into()
        }));
        assert!(!leader.can(&Permission::ReadLeaderPortfolio {
            leader: "吴福民".into()
        }));
        assert!(leader.can(&Permission::ReadTask {
            owner_units: vec![],
            leaders: vec!["王新伟".into()]
        }));
    }

    #[test]
    fn the_public_reads_the_gazette_and_nothing_tracked() {
        assert!(Viewer::Public.can(&Permission::ReadGazette));
        assert!(!Viewer::Public.can(&Permission::ReadAllWork));
        assert_eq!(
            Viewer::Public
                .require(&Permission::Import)
                .unwrap_err()
                .code,
            "E_LOGIN_REQUIRED"
        );
        let deputy = user(&[Role::Deputy], None, None);
        assert_eq!(
            deputy.require(&Permission::Import).unwrap_err().code,
            "E_FORBIDDEN"
        );
    }
}
