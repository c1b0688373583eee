//! The unit registry in the database: units, groups and their members.

use crate::sql::Conn;
use crate::{GroupRow, Result, UnitRow};

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// Insert a unit, or update its name, kind and aliases if it exists. Returns true when
/// anything changed.
pub fn upsert_unit(c: &mut dyn Conn, u: &UnitRow) -> Result<bool> {
    let changed = c.execute(
        "INSERT INTO units (id, name, kind, aliases) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
         aliases = excluded.aliases \
         WHERE units.name <> excluded.name OR units.kind <> excluded.kind \
         OR units.aliases <> excluded.aliases",
        &[
            u.id.as_str().into(),
            u.name.as_str().into(),
            u.kind.as_str().into(),
            to_json(&u.aliases).into(),
        ],
    )?;
    Ok(changed > 0)
}

/// Insert a group with its members, or bring an existing one up to date. Returns true when
/// anything changed.
pub fn upsert_group(c: &mut dyn Conn, g: &GroupRow) -> Result<bool> {
    let aliases = to_json(&g.aliases);
    let mut wanted = g.clone();
    wanted.members.sort();
    wanted.members.dedup();
    let g = &wanted;
    let existing = get_group(c, &g.id)?;
    if existing.as_ref() == Some(g) {
        return Ok(false);
    }
    if existing.is_some() {
        c.execute(
            "UPDATE unit_groups SET name = $2, aliases = $3 WHERE id = $1",
            &[g.id.as_str().into(), g.name.as_str().into(), aliases.into()],
        )?;
        c.execute(
            "DELETE FROM group_members WHERE group_id = $1",
            &[g.id.as_str().into()],
        )?;
    } else {
        c.execute(
            "INSERT INTO unit_groups (id, name, aliases) VALUES ($1, $2, $3)",
            &[g.id.as_str().into(), g.name.as_str().into(), aliases.into()],
        )?;
    }
    for m in &g.members {
        c.execute(
            "INSERT INTO group_members (group_id, unit_id) VALUES ($1, $2)",
            &[g.id.as_str().into(), m.as_str().into()],
        )?;
    }
    Ok(true)
}

pub fn list_units(c: &mut dyn Conn) -> Result<Vec<UnitRow>> {
    c.query_as(
        "SELECT id, name, kind, aliases FROM units ORDER BY kind, id",
        &[],
    )
}

pub fn get_unit(c: &mut dyn Conn, id: &str) -> Result<Option<UnitRow>> {
    c.query_opt_as(
        "SELECT id, name, kind, aliases FROM units WHERE id = $1",
        &[id.into()],
    )
}

pub fn get_group(c: &mut dyn Conn, id: &str) -> Result<Option<GroupRow>> {
    // The members come from `group_members`, not from a column of `unit_groups`.
    let Some(mut group) = c.query_opt_as::<GroupRow>(
        "SELECT id, name, aliases FROM unit_groups WHERE id = $1",
        &[id.into()],
    )?
    else {
        return Ok(None);
    };
    group.members = c
        .query(
            "SELECT unit_id FROM group_members WHERE group_id = $1 ORDER BY unit_id",
            &[id.into()],
        )?
        .iter()
        .map(|m| m.text("unit_id"))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(group))
}

pub fn list_groups(c: &mut dyn Conn) -> Result<Vec<GroupRow>> {
    let ids = c
        .query("SELECT id FROM unit_groups ORDER BY id", &[])?
        .iter()
        .map(|r| r.text("id"))
        .collect::<Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(g) = get_group(c, &id)? {
            out.push(g);
        }
    }
    Ok(out)
}
