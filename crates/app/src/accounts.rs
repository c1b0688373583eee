//! Accounts and sessions (账号与会话): Argon2 password hashes, database-backed sessions with
//! a CSRF token each, and login throttling.

use crate::{now, App, Result, Viewer};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use luoshi_domain::{AuditDraft, Error, ErrorKind, Role, User};
use luoshi_store::{audit, sessions, units, users};
use sha2::{Digest, Sha256};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Failed logins per user name within [`THROTTLE_MINUTES`] before each further attempt must
/// wait (a growing delay, see [`throttle_delay`]). Failures are kept in the database, so the
/// limit holds across every server process sharing it.
pub const MAX_FAILURES: i64 = 5;
/// Failed logins per client address before it must wait: higher than per name, since an
/// office's staff may share one address.
pub const MAX_ADDR_FAILURES: i64 = 30;
/// How long failures count.
pub const THROTTLE_MINUTES: i64 = 60;
/// The first delay once the free failures are spent; it doubles with each further failure.
pub const FIRST_DELAY_SECS: i64 = 15;
/// The longest delay.
pub const MAX_DELAY_SECS: i64 = 15 * 60;
/// How long a browser that logged in stays a known device (its user is not held back by
/// failures on the same name from elsewhere).
pub const DEVICE_DAYS: i64 = 90;

/// The wait before the next attempt after `failures` recent failures, when `free` are allowed
/// without a wait: none, then 15 s, 30 s, 60 s … up to 15 minutes. A growing delay rather
/// than a wall: guessing slows to a crawl, while nobody is locked out for long.
pub fn throttle_delay(failures: i64, free: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let doublings = (failures - free).min(20) as u32;
    (FIRST_DELAY_SECS << doublings).min(MAX_DELAY_SECS)
}

/// Who is trying to log in, beyond the name: the client's address (behind a trusted proxy,
/// the forwarded one) and the browser's device token from an earlier login, if any.
#[derive(Debug, Clone, Default)]
pub struct LoginClient {
    pub addr: Option<String>,
    pub device: Option<String>,
}

/// A successful login: the session token (for the cookie), the session, and the device token
/// the browser keeps for later logins.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub token: String,
    pub session: Session,
    pub device: String,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub unit_id: Option<String>,
    pub roles: Vec<Role>,
    pub leader_name: Option<String>,
}

/// A logged-in session as the web layer sees it.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// A time as stored: RFC 3339 UTC with seconds, so text order is time order.
fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Hash a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| Error::internal(format!("随机数: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::internal(format!("盐: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(format!("密码哈希: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Seconds still to wait, given the failures so far and how many are free.
fn remaining(stats: &sessions::FailureStats, free: i64, now: chrono::DateTime<chrono::Utc>) -> i64 {
    let delay = throttle_delay(stats.failures, free);
    let Some(latest) = stats
        .latest
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    else {
        return 0;
    };
    let since_latest = (now - latest.with_timezone(&chrono::Utc)).num_seconds();
    (delay - since_latest).max(0)
}

/// A random token, hex-encoded.
pub fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| Error::internal(format!("随机数: {e}")))?;
    Ok(hex::encode(bytes))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn validate_password(password: &str) -> Result<()> {
    if password.chars().count() < 8 {
        return Err(Error::bad_input("E_PASSWORD_WEAK", "密码至少8个字符"));
    }
    Ok(())
}

/// Usernames are 2 to 32 ASCII letters, digits, `_`, `-` or `.`.
fn username_ok(name: &str) -> bool {
    (2..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn validate(u: &NewUser) -> Result<()> {
    if !username_ok(&u.username) {
        return Err(Error::bad_input(
            "E_USERNAME",
            "用户名须为2至32位字母、数字、下划线、点或连字符",
        ));
    }
    if u.display_name.trim().is_empty() {
        return Err(Error::bad_input("E_DISPLAY_NAME", "姓名不能为空"));
    }
    validate_password(&u.password)?;
    if u.roles.is_empty() {
        return Err(Error::bad_input("E_ROLES", "至少指定一个角色"));
    }
    if u.roles.contains(&Role::UnitStaff) && u.unit_id.is_none() {
        return Err(Error::bad_input(
            "E_UNIT_REQUIRED",
            "承办单位账号必须指定所属单位",
        ));
    }
    if u.roles.contains(&Role::Leader)
        && u.leader_name.as_deref().is_none_or(|s| s.trim().is_empty())
    {
        return Err(Error::bad_input(
            "E_LEADER_NAME",
            "责任领导账号必须填写领导姓名",
        ));
    }
    Ok(())
}

fn user_json(u: &User) -> String {
    serde_json::to_string(u).unwrap_or_default()
}

impl App {
    /// Create an account. The actor is recorded in the audit log.
    pub fn add_user(&self, actor: &str, new: NewUser) -> Result<User> {
        validate(&new)?;
        let hash = hash_password(&new.password)?;
        self.store.write(|c| {
            if let Some(unit) = &new.unit_id {
                if units::get_unit(c, unit)?.is_none() {
                    return Err(Error::bad_input(
                        "E_UNIT_UNKNOWN",
                        format!("单位不存在: {unit}"),
                    ));
                }
            }
            if users::by_username(c, &new.username)?.is_some() {
                return Err(Error::conflict(
                    "E_USER_EXISTS",
                    format!("用户名已存在: {}", new.username),
                ));
            }
            let mut user = User {
                id: 0,
                username: new.username.clone(),
                display_name: new.display_name.trim().to_string(),
                unit_id: new.unit_id.clone(),
                roles: new.roles.clone(),
                disabled: false,
                leader_name: new.leader_name.clone(),
            };
            user.id = users::insert_user(c, &user, &hash, &now())?;
            audit::append(
                c,
                &AuditDraft {
                    actor: actor.to_string(),
                    action: "user.add".into(),
                    entity: "user".into(),
                    entity_id: user.id.to_string(),
                    before: None,
                    after: Some(user_json(&user)),
                },
                &now(),
            )?;
            Ok(user)
        })
    }

    fn change_user(
        &self,
        actor: &str,
        username: &str,
        action: &str,
        change: impl FnOnce(&mut dyn luoshi_store::Conn, &User) -> Result<User>,
    ) -> Result<User> {
        self.store.write(|c| {
            let Some(before) = users::by_username(c, username)? else {
                return Err(Error::not_found(format!("用户 {username}")));
            };
            let after = change(c, &before.user)?;
            sessions::delete_for_user(c, before.user.id)?;
            audit::append(
                c,
                &AuditDraft {
                    actor: actor.to_string(),
                    action: action.into(),
                    entity: "user".into(),
                    entity_id: before.user.id.to_string(),
                    before: Some(user_json(&before.user)),
                    after: Some(user_json(&after)),
                },
                &now(),
            )?;
            Ok(after)
        })
    }

    /// Set a new password; the user's sessions end.
    pub fn set_password(&self, actor: &str, username: &str, password: &str) -> Result<User> {
        validate_password(password)?;
        let hash = hash_password(password)?;
        self.change_user(actor, username, "user.passwd", |c, u| {
            users::set_password_hash(c, u.id, &hash)?;
            Ok(u.clone())
        })
    }

    /// Disable an account; its sessions end and it can no longer log in.
    pub fn disable_user(&self, actor: &str, username: &str) -> Result<User> {
        self.change_user(actor, username, "user.disable", |c, u| {
            users::set_disabled(c, u.id, true)?;
            Ok(User {
                disabled: true,
                ..u.clone()
            })
        })
    }

    /// Set (or clear) the e-mail address notifications go to. Administrators only; audited
    /// without the address itself (personal data stays out of the log).
    pub fn set_email(&self, viewer: &Viewer, user_id: i64, email: Option<&str>) -> Result<()> {
        viewer.require(&crate::Permission::ManageUsers)?;
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(e) = email {
            let ok = e.len() <= 254
                && e.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
                })
                && !e.contains(char::is_whitespace);
            if !ok {
                return Err(Error::bad_input(
                    "E_EMAIL",
                    format!("电子邮件地址格式不正确：{e}"),
                ));
            }
        }
        self.store.write(|c| {
            if users::set_email(c, user_id, email)? == 0 {
                return Err(Error::not_found(format!("用户（编号 {user_id}）")));
            }
            audit::append(
                c,
                &AuditDraft {
                    actor: viewer.actor(),
                    action: "user.email".into(),
                    entity: "user".into(),
                    entity_id: user_id.to_string(),
                    before: None,
                    after: Some(serde_json::json!({ "email_set": email.is_some() }).to_string()),
                },
                &now(),
            )?;
            Ok(())
        })
    }

    pub fn list_users(&self, viewer: &Viewer) -> Result<Vec<User>> {
        viewer.require(&crate::Permission::ManageUsers)?;
        Ok(self.store.read(|c| users::list(c))?)
    }

    /// Check a password and open a session. Returns the session token (for the cookie) and
    /// the session. Wrong username and wrong password give the same answer.
    pub fn login(&self, username: &str, password: &str) -> Result<(String, Session)> {
        self.login_from(username, password, &LoginClient::default())
            .map(|l| (l.token, l.session))
    }

    /// [`App::login`] from a known client: failures are counted per user name and per
    /// address, each with a growing delay; a browser that logged in as this user before is not
    /// held back by failures on the name (someone else's guessing), only by its address's.
    /// Every failure is recorded in the audit log (name, address, time; never the password).
    pub fn login_from(
        &self,
        username: &str,
        password: &str,
        client: &LoginClient,
    ) -> Result<LoggedIn> {
        let now_t = chrono::Utc::now();
        let since = timestamp(now_t - chrono::Duration::minutes(THROTTLE_MINUTES));
        let device_since = timestamp(now_t - chrono::Duration::days(DEVICE_DAYS));
        let addr = client.addr.as_deref();
        let device_hash = client.device.as_deref().map(token_hash);
        let (known, wait) = self.store.read(|c| {
            let known = match &device_hash {
                Some(h) => sessions::is_known_device(c, h, username, &device_since)?,
                None => false,
            };
            if known {
                // Only a correct password earns a device token: whatever the failures on
                // this name or address, they were not this browser's.
                return Ok::<_, luoshi_store::StoreError>((true, 0));
            }
            let by_name = sessions::failures_for_name(c, username, &since)?;
            let mut wait = remaining(&by_name, MAX_FAILURES, now_t);
            if let Some(addr) = addr {
                let by_addr = sessions::failures_for_addr(c, addr, &since)?;
                wait = wait.max(remaining(&by_addr, MAX_ADDR_FAILURES, now_t));
            }
            Ok((false, wait))
        })?;
        if wait > 0 {
            return Err(Error::new(
                ErrorKind::RateLimited,
                "E_RATE_LIMITED",
                format!("登录失败次数过多，请 {wait} 秒后再试"),
            ));
        }
        let found = if username_ok(username) {
            self.store.read(|c| users::by_username(c, username))?
        } else {
            // No such account can exist: answer as for a wrong password, without a lookup.
            None
        };
        let ok = match &found {
            Some(u) => verify_password(password, &u.password_hash) && !u.user.disabled,
            None => {
                // Spend the same time as a real check, so timing does not reveal names.
                let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$8mFq3P6dqHhZ2GZk0GmKkpJm0bQ9tqzX3VHfXwq0o3Q");
                false
            }
        };
        let Some(found) = found.filter(|_| ok) else {
            let forget = device_hash.as_deref().filter(|_| known);
            self.record_login_failure(username, addr, forget, &since)?;
            return Err(Error::new(
                ErrorKind::Unauthenticated,
                "E_LOGIN_FAILED",
                "用户名或密码错误",
            ));
        };
        let token = random_token()?;
        let csrf = random_token()?;
        let device = match &client.device {
            Some(d) if known => d.clone(),
            _ => random_token()?,
        };
        let now_s = now();
        let expires = timestamp(now_t + chrono::Duration::hours(SESSION_HOURS));
        let user = found.user;
        self.store.write(|c| {
            sessions::purge_expired(c, &now_s)?;
            sessions::insert(c, &token_hash(&token), user.id, &csrf, &now_s, &expires)?;
            if !known {
                // A login that passed the throttle ends the name's count; one from a known
                // device does not: the failures were someone else's, and they still count.
                sessions::clear_failures(c, &user.username)?;
            }
            sessions::remember_device(
                c,
                &token_hash(&device),
                &user.username,
                &now_s,
                &device_since,
            )?;
            audit::append(
                c,
                &AuditDraft {
                    actor: user.username.clone(),
                    action: "session.login".into(),
                    entity: "user".into(),
                    entity_id: user.id.to_string(),
                    before: None,
                    after: None,
                },
                &now_s,
            )?;
            Ok::<_, Error>(())
        })?;
        Ok(LoggedIn {
            token,
            session: Session {
                user,
                csrf_token: csrf,
            },
            device,
        })
    }

    /// Count a failed login and record it in the audit log: the name as typed (cut to 64
    /// characters), the address, the time. Never the password. A known device that gave a
    /// wrong password is forgotten.
    fn record_login_failure(
        &self,
        username: &str,
        addr: Option<&str>,
        forget_device: Option<&str>,
        since: &str,
    ) -> Result<()> {
        let name: String = username.chars().take(64).collect();
        let at = now();
        let after = serde_json::json!({ "username": name, "addr": addr }).to_string();
        self.store.write(|c| {
            sessions::record_failure(c, &name, addr, &at, since)?;
            if let Some(device) = forget_device {
                sessions::forget_device(c, device)?;
            }
            audit::append(
                c,
                &AuditDraft {
                    actor: "anonymous".into(),
                    action: "session.login_failed".into(),
                    entity: "login".into(),
                    entity_id: name.clone(),
                    before: None,
                    after: Some(after),
                },
                &at,
            )?;
            Ok::<_, Error>(())
        })
    }

    /// The live session for a cookie token, if any.
    pub fn session(&self, token: &str) -> Result<Option<Session>> {
        let hash = token_hash(token);
        Ok(self.store.read(|c| {
            let Some(s) = sessions::get(c, &hash, &now())? else {
                return Ok(None);
            };
            Ok::<_, luoshi_store::StoreError>(
                users::by_id(c, s.user_id)?
                    .filter(|u| !u.disabled)
                    .map(|user| Session {
                        user,
                        csrf_token: s.csrf_token,
                    }),
            )
        })?)
    }

    /// End a session.
    pub fn logout(&self, token: &str, user: &User) -> Result<()> {
        let hash = token_hash(token);
        self.store.write(|c| {
            if sessions::delete(c, &hash)? > 0 {
                audit::append(
                    c,
                    &AuditDraft {
                        actor: user.username.clone(),
                        action: "session.logout".into(),
                        entity: "user".into(),
                        entity_id: user.id.to_string(),
                        before: None,
                        after: None,
                    },
                    &now(),
                )?;
            }
            Ok::<_, Error>(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use luoshi_store::Store;
    use luoshi_store_sqlite::SqliteBackend;

    fn app() -> std::sync::Arc<App> {
        let store = Store::new(Box::new(SqliteBackend::in_memory().unwrap()));
        store.migrate().unwrap();
        App::new(store)
    }

    #[test]
    fn a_username_no_account_can_have_fails_like_a_wrong_password() {
        let app = app();
        for name in ["a\0b", "", "x", "名字", &"a".repeat(33)] {
            let e = app.login(name, "whatever long").unwrap_err();
            assert_eq!(e.code, "E_LOGIN_FAILED", "{name:?}");
        }
    }

    #[test]
    fn five_failures_lock_the_name_for_the_window() {
        let app = app();
        for _ in 0..MAX_FAILURES {
            assert_eq!(
                app.login("nobody", "wrong pass").unwrap_err().code,
                "E_LOGIN_FAILED"
            );
        }
        assert_eq!(
            app.login("nobody", "wrong pass").unwrap_err().code,
            "E_RATE_LIMITED"
        );
        assert_eq!(
            app.login("somebody", "wrong pass").unwrap_err().code,
            "E_LOGIN_FAILED"
        );
    }

    #[test]
    fn a_successful_login_forgets_earlier_failures() {
        let app = app();
        add_zhang(&app);
        for _ in 0..MAX_FAILURES - 1 {
            assert_eq!(
                app.login("zhang", "wrong pass").unwrap_err().code,
                "E_LOGIN_FAILED"
            );
        }
        app.login("zhang", "correct horse").unwrap();
        for _ in 0..MAX_FAILURES - 1 {
            assert_eq!(
                app.login("zhang", "wrong pass").unwrap_err().code,
                "E_LOGIN_FAILED"
            );
        }
        app.login("zhang", "correct horse")
            .expect("four failures do not lock");
    }

    #[test]
    fn failures_older_than_the_window_neither_count_nor_stay() {
        let app = app();
        let long_ago =
            timestamp(chrono::Utc::now() - chrono::Duration::minutes(THROTTLE_MINUTES + 1));
        app.store
            .write(|c| {
                for _ in 0..MAX_FAILURES {
                    sessions::record_failure(c, "li", None, &long_ago, "0000")?;
                }
                Ok::<_, luoshi_store::StoreError>(())
            })
            .unwrap();
        assert_eq!(
            app.login("li", "wrong pass").unwrap_err().code,
            "E_LOGIN_FAILED"
        );
        let kept = app
            .store
            .read(|c| sessions::failures_for_name(c, "li", "0000"))
            .unwrap();
        assert_eq!(
            kept.failures, 1,
            "expired failures are pruned when a new one is recorded"
        );
    }

    fn add_zhang(app: &App) {
        app.add_user(
            "test",
            NewUser {
                username: "zhang".into(),
                display_name: "张".into(),
                password: "correct horse".into(),
                unit_id: None,
                roles: vec![Role::Supervision],
                leader_name: None,
            },
        )
        .unwrap();
    }

    fn from(addr: &str, device: Option<&str>) -> LoginClient {
        LoginClient {
            addr: Some(addr.into()),
            device: device.map(str::to_string),
        }
    }

    /// Pretend the newest failures of a name happened `secs` earlier.
    fn age_failures(app: &App, secs: i64) {
        let rows = app
            .store
            .read(|c| c.query("SELECT id, at FROM login_failures", &[]))
            .unwrap();
        app.store
            .write(|c| {
                for r in &rows {
                    let at = chrono::DateTime::parse_from_rfc3339(&r.text("at")?).unwrap()
                        - chrono::Duration::seconds(secs);
                    c.execute(
                        "UPDATE login_failures SET at = $1 WHERE id = $2",
                        &[timestamp(at.into()).into(), r.i64("id")?.into()],
                    )?;
                }
                Ok::<_, luoshi_store::StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn the_delay_grows_with_each_failure_up_to_a_cap() {
        assert_eq!(throttle_delay(MAX_FAILURES - 1, MAX_FAILURES), 0);
        assert_eq!(throttle_delay(MAX_FAILURES, MAX_FAILURES), FIRST_DELAY_SECS);
        assert_eq!(
            throttle_delay(MAX_FAILURES + 1, MAX_FAILURES),
            2 * FIRST_DELAY_SECS
        );
        assert_eq!(throttle_delay(1_000, MAX_FAILURES), MAX_DELAY_SECS);
    }

    #[test]
    fn a_locked_name_opens_again_once_its_delay_has_passed() {
        let app = app();
        add_zhang(&app);
        for _ in 0..MAX_FAILURES {
            app.login("zhang", "wrong pass").unwrap_err();
        }
        let e = app.login("zhang", "correct horse").unwrap_err();
        assert_eq!(e.code, "E_RATE_LIMITED");
        assert!(e.message.contains("秒后再试"), "{}", e.message);
        age_failures(&app, FIRST_DELAY_SECS + 1);
        app.login("zhang", "correct horse")
            .expect("a delay, not a wall");
    }

    #[test]
    fn one_address_cannot_try_name_after_name() {
        let app = app();
        for i in 0..MAX_ADDR_FAILURES {
            let e = app
                .login_from(
                    &format!("user{i}"),
                    "wrong pass",
                    &from("203.0.113.9", None),
                )
                .unwrap_err();
            assert_eq!(e.code, "E_LOGIN_FAILED", "attempt {i}");
        }
        assert_eq!(
            app.login_from("fresh", "wrong pass", &from("203.0.113.9", None))
                .unwrap_err()
                .code,
            "E_RATE_LIMITED"
        );
        assert_eq!(
            app.login_from("fresh", "wrong pass", &from("198.51.100.1", None))
                .unwrap_err()
                .code,
            "E_LOGIN_FAILED",
            "another address is not held back"
        );
    }

    #[test]
    fn the_real_user_on_a_known_device_gets_in_while_the_name_is_under_attack() {
        let app = app();
        add_zhang(&app);
        let mine = app
            .login_from("zhang", "correct horse", &from("10.0.0.5", None))
            .unwrap();
        for _ in 0..MAX_FAILURES + 3 {
            app.login_from("zhang", "wrong pass", &from("203.0.113.9", None))
                .unwrap_err();
        }
        // A new browser must wait …
        assert_eq!(
            app.login_from("zhang", "correct horse", &from("10.0.0.5", None))
                .unwrap_err()
                .code,
            "E_RATE_LIMITED"
        );
        // The browser that logged in before gets in.
        let again = app
            .login_from(
                "zhang",
                "correct horse",
                &from("10.0.0.5", Some(&mine.device)),
            )
            .expect("the known device is not locked out");
        assert_eq!(again.device, mine.device, "the device keeps its token");
        // A stolen device token earns one guess, then counts like any other browser.
        assert_eq!(
            app.login_from(
                "zhang",
                "wrong pass",
                &from("203.0.113.9", Some(&mine.device))
            )
            .unwrap_err()
            .code,
            "E_LOGIN_FAILED"
        );
        assert_eq!(
            app.login_from(
                "zhang",
                "correct horse",
                &from("10.0.0.5", Some(&mine.device))
            )
            .unwrap_err()
            .code,
            "E_RATE_LIMITED"
        );
    }

    #[test]
    fn failed_logins_are_audited_without_the_password() {
        let app = app();
        app.login_from("zhang", "secret guess 1", &from("203.0.113.9", None))
            .unwrap_err();
        let entries = app
            .store
            .read(|c| luoshi_store::audit::latest(c, 10))
            .unwrap();
        let e = entries
            .iter()
            .find(|e| e.draft.action == "session.login_failed")
            .expect("the failure is audited");
        let after = e.draft.after.clone().unwrap();
        assert!(
            after.contains("\"zhang\"") && after.contains("203.0.113.9"),
            "{after}"
        );
        assert!(!e.at.is_empty());
        let all = serde_json::to_string(&entries).unwrap();
        assert!(!all.contains("secret guess"), "{all}");
    }

    #[test]
    fn the_limit_holds_across_servers_sharing_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.db");
        let path = path.to_str().unwrap();
        let first = App::new(crate::connect(path).unwrap());
        let second = App::new(crate::connect(path).unwrap());
        for i in 0..MAX_FAILURES {
            let server = if i % 2 == 0 { &first } else { &second };
            assert_eq!(
                server.login("wang", "wrong pass").unwrap_err().code,
                "E_LOGIN_FAILED"
            );
        }
        assert_eq!(
            first.login("wang", "wrong pass").unwrap_err().code,
            "E_RATE_LIMITED"
        );
        assert_eq!(
            second.login("wang", "wrong pass").unwrap_err().code,
            "E_RATE_LIMITED"
        );
    }
}
