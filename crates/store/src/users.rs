//! User accounts in the database.

use crate::sql::{Conn, Row};
use crate::Result;
use luoshi_domain::User;

/// A user together with the stored password hash (for login only).
#[derive(Debug, Clone)]
pub struct UserWithHash {
    pub user: User,
    pub password_hash: String,
}

const COLUMNS: &str =
    "id, username, display_name, unit_id, roles, disabled, leader_name, password_hash";

fn from_row(r: &Row) -> Result<UserWithHash> {
    Ok(UserWithHash {
        user: User {
            id: r.i64(0)?,
            username: r.text(1)?,
            display_name: r.text(2)?,
            unit_id: r.opt_text(3)?,
            roles: User::parse_roles(&r.text(4)?),
            disabled: r.bool(5)?,
            leader_name: r.opt_text(6)?,
        },
        password_hash: r.text(7)?,
    })
}

/// Insert a user; `user.id` is ignored. A duplicate username is a `Conflict`.
pub fn insert_user(c: &mut dyn Conn, user: &User, password_hash: &str, now: &str) -> Result<i64> {
    c.insert(
        "INSERT INTO users (username, display_name, password_hash, unit_id, roles, leader_name, \
         disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        &[
            user.username.as_str().into(),
            user.display_name.as_str().into(),
            password_hash.into(),
            user.unit_id.clone().into(),
            User::roles_string(&user.roles).into(),
            user.leader_name.clone().into(),
            user.disabled.into(),
            now.into(),
        ],
    )
}

pub fn by_username(c: &mut dyn Conn, username: &str) -> Result<Option<UserWithHash>> {
    c.query_opt(
        &format!("SELECT {COLUMNS} FROM users WHERE username = $1"),
        &[username.into()],
    )?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub fn by_id(c: &mut dyn Conn, id: i64) -> Result<Option<User>> {
    Ok(c.query_opt(
        &format!("SELECT {COLUMNS} FROM users WHERE id = $1"),
        &[id.into()],
    )?
    .as_ref()
    .map(from_row)
    .transpose()?
    .map(|u| u.user))
}

pub fn list(c: &mut dyn Conn) -> Result<Vec<User>> {
    c.query(&format!("SELECT {COLUMNS} FROM users ORDER BY id"), &[])?
        .iter()
        .map(|r| from_row(r).map(|u| u.user))
        .collect()
}

pub fn set_password_hash(c: &mut dyn Conn, id: i64, hash: &str) -> Result<u64> {
    c.execute(
        "UPDATE users SET password_hash = $2 WHERE id = $1",
        &[id.into(), hash.into()],
    )
}

pub fn set_disabled(c: &mut dyn Conn, id: i64, disabled: bool) -> Result<u64> {
    c.execute(
        "UPDATE users SET disabled = $2 WHERE id = $1",
        &[id.into(), disabled.into()],
    )
}

/// Who can be notified: an enabled user and the e-mail address they gave, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub user: User,
    pub email: Option<String>,
}

/// Every enabled user with their e-mail address.
pub fn contacts(c: &mut dyn Conn) -> Result<Vec<Contact>> {
    c.query(
        &format!("SELECT {COLUMNS}, email FROM users WHERE disabled = $1 ORDER BY id"),
        &[false.into()],
    )?
    .iter()
    .map(|r| {
        Ok(Contact {
            user: from_row(r)?.user,
            email: r.opt_text(8)?,
        })
    })
    .collect()
}

/// Set (or clear) a user's e-mail address.
pub fn set_email(c: &mut dyn Conn, id: i64, email: Option<&str>) -> Result<u64> {
    c.execute(
        "UPDATE users SET email = $2 WHERE id = $1",
        &[id.into(), email.into()],
    )
}
