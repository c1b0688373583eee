//! Units named in an action's input (单位引用): names or ids resolved against the unit registry,
//! and the owner rows they become; likewise the owner rows of a named leader and of a gazette
//! task's owners. Shared by every procedure that assigns units or takes a task's owners.

use crate::Result;
use luoshi_domain::Error;
use luoshi_store::cases::CaseOwnerRow;
use luoshi_store::{units, Conn, OwnerRole, OwnerRow};

/// Unit ids from a field: an array, or names/ids separated by `,`、`，`、`、`.
pub fn unit_list(
    c: &mut dyn Conn,
    v: Option<&serde_json::Value>,
    what: &str,
) -> Result<Vec<(String, String)>> {
    let raw: Vec<String> = match v {
        None | Some(serde_json::Value::Null) => vec![],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(s)) => s
            .split([',', '，', '、', '\n'])
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect(),
        Some(other) => {
            return Err(Error::bad_input(
                "E_INPUT",
                format!("{what}格式不正确: {other}"),
            ))
        }
    };
    let all = units::list_units(c)?;
    raw.iter()
        .map(|name| {
            all.iter()
                .find(|u| u.id == *name || u.name == *name || u.aliases.iter().any(|a| a == name))
                .map(|u| (u.id.clone(), u.name.clone()))
                .ok_or_else(|| {
                    Error::bad_input(
                        "E_UNIT_UNKNOWN",
                        format!("{what}“{name}”不在单位名录中，请从名录中选择"),
                    )
                })
        })
        .collect()
}

/// The owner row of a resolved unit in `role` (牵头单位, 责任单位).
pub fn unit_owner(role: OwnerRole, (id, name): &(String, String)) -> CaseOwnerRow {
    CaseOwnerRow {
        role,
        name: name.clone(),
        unit_id: Some(id.clone()),
        group_id: None,
        via_group: None,
        user_id: None,
        open: false,
        resolved: true,
    }
}

/// The owner row of a responsible leader named in an action's input (trimmed).
pub fn leader_owner(name: &str) -> CaseOwnerRow {
    CaseOwnerRow {
        role: OwnerRole::Leader,
        name: name.trim().into(),
        unit_id: None,
        group_id: None,
        via_group: None,
        user_id: None,
        open: false,
        resolved: true,
    }
}

/// The case owner row of one of a gazette task's owners, in the same role.
pub fn task_owner(o: &OwnerRow) -> CaseOwnerRow {
    CaseOwnerRow {
        role: o.role,
        name: o.name.clone(),
        unit_id: o.unit_id.clone(),
        group_id: o.group_id.clone(),
        via_group: o.via_group.clone(),
        user_id: None,
        open: o.open,
        resolved: o.resolved,
    }
}
