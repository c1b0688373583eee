//! User accounts in the database.

use crate::sql::Conn;
use crate::{Result, StoreError};
use luoshi_domain::{Role, User};
use serde::Deserialize;

/// A user together with the stored password hash (for login only).
#[derive(Debug, Clone)]
pub struct UserWithHash {
    pub user: User,
    pub password_hash: String,
}

const COLUMNS: &str =
    "id, username, display_name, unit_id, roles, disabled, leader_name, password_hash";

/// A row of `users` as stored: roles as their comma-separated names.
#[derive(Deserialize)]
struct Stored {
    id: i64,
    username: String,
    display_name: String,
    unit_id: Option<String>,
    roles: String,
    disabled: bool,
    leader_name: Option<String>,
    password_hash: String,
    /// Only selected by [`contacts`].
    #[serde(default)]
    email: Option<String>,
}

impl Stored {
    fn into_user(self) -> Result<(UserWithHash, Option<String>)> {
        let user = User {
            id: self.id,
            roles: parse_roles(&self.roles)
                .map_err(|e| StoreError::Decode(format!("用户 {}: {e}", self.username)))?,
            username: self.username,
            display_name: self.display_name,
            unit_id: self.unit_id,
            disabled: self.disabled,
            leader_name: self.leader_name,
        };
        let with_hash = UserWithHash {
            user,
            password_hash: self.password_hash,
        };
        Ok((with_hash, self.email))
    }
}

/// The stored roles (`supervision,leader`), each by its stored name. An unknown name is an
/// error: dropping it silently would take a right away, reading it as another would grant one.
pub fn parse_roles(stored: &str) -> Result<Vec<Role>> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| {
            Role::ALL
                .into_iter()
                .find(|role| role.as_str() == r)
                .ok_or_else(|| {
                    let known: Vec<&str> = Role::ALL.iter().map(|x| x.as_str()).collect();
                    StoreError::Decode(format!("未知的角色「{r}」（应为 {}）", known.join("、")))
                })
        })
        .collect()
}

fn users(c: &mut dyn Conn, sql: &str, params: &[crate::Value]) -> Result<Vec<UserWithHash>> {
    c.query_as::<Stored>(sql, params)?
        .into_iter()
        .map(|s| s.into_user().map(|(u, _)| u))
        .collect()
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
    Ok(users(
        c,
        &format!("SELECT {COLUMNS} FROM users WHERE username = $1"),
        &[username.into()],
    )?
    .pop())
}

pub fn by_id(c: &mut dyn Conn, id: i64) -> Result<Option<User>> {
    Ok(users(
        c,
        &format!("SELECT {COLUMNS} FROM users WHERE id = $1"),
        &[id.into()],
    )?
    .pop()
    .map(|u| u.user))
}

pub fn list(c: &mut dyn Conn) -> Result<Vec<User>> {
    Ok(
        users(c, &format!("SELECT {COLUMNS} FROM users ORDER BY id"), &[])?
            .into_iter()
            .map(|u| u.user)
            .collect(),
    )
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
    c.query_as::<Stored>(
        &format!("SELECT {COLUMNS}, email FROM users WHERE disabled = $1 ORDER BY id"),
        &[false.into()],
    )?
    .into_iter()
    .map(|s| {
        let (u, email) = s.into_user()?;
        Ok(Contact {
            user: u.user,
            email,
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
