//! Who is asking (身份): the session cookie becomes a [`Viewer`]; forms carry a CSRF token.

use crate::{blocking, AppState};
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use luoshi_app::Viewer;
use luoshi_domain::Error;

pub const SESSION_COOKIE: &str = "luoshi_session";
/// A browser that logged in before (see `App::login_from`): its user is not held back by
/// failed logins on the same name from elsewhere.
pub const DEVICE_COOKIE: &str = "luoshi_device";
/// Double-submit cookie protecting the login form, which has no session yet.
pub const LOGIN_CSRF_COOKIE: &str = "luoshi_login_csrf";

/// The viewer of a request, with the session's CSRF token when logged in.
pub struct Auth {
    pub viewer: Viewer,
    pub csrf: Option<String>,
    pub token: Option<String>,
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path /.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: i64,
) -> (axum::http::HeaderName, HeaderValue) {
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}");
    (
        SET_COOKIE,
        HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=1")),
    )
}

/// Who is logging in, beyond the name: the client address (see `deploy`) and the device
/// cookie.
pub fn login_client(
    headers: &HeaderMap,
    client: Option<&crate::deploy::ClientAddr>,
) -> luoshi_app::accounts::LoginClient {
    luoshi_app::accounts::LoginClient {
        addr: client.and_then(|c| c.text()),
        device: cookie(headers, DEVICE_COOKIE).filter(|t| !t.is_empty() && t.len() <= 128),
    }
}

/// The cookies a successful login sets: the session and the device.
pub fn login_cookies(
    logged_in: &luoshi_app::accounts::LoggedIn,
) -> [(axum::http::HeaderName, HeaderValue); 2] {
    [
        set_cookie(
            SESSION_COOKIE,
            &logged_in.token,
            luoshi_app::accounts::SESSION_HOURS * 3600,
        ),
        set_cookie(
            DEVICE_COOKIE,
            &logged_in.device,
            luoshi_app::accounts::DEVICE_DAYS * 86_400,
        ),
    ]
}

impl Auth {
    const PUBLIC: Auth = Auth {
        viewer: Viewer::Public,
        csrf: None,
        token: None,
    };

    /// Reject a form whose CSRF token does not match the session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), Error> {
        match &self.csrf {
            Some(expected) if constant_time_eq(expected.as_bytes(), submitted.as_bytes()) => Ok(()),
            Some(_) => Err(Error::forbidden(
                "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试",
            )),
            None => Err(Error::unauthenticated()),
        }
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = Self::lookup(parts, state).await;
        if let Some(slot) = parts.extensions.get::<crate::error::ViewerSlot>() {
            let _ = slot.0.set((auth.viewer.clone(), auth.csrf.clone()));
        }
        Ok(auth)
    }
}

impl Auth {
    /// The session named by the request's cookie, if it is live.
    async fn lookup(parts: &Parts, state: &AppState) -> Auth {
        let Some(token) =
            cookie(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty() && t.len() <= 128)
        else {
            return Auth::PUBLIC;
        };
        let lookup = token.clone();
        let session = blocking(state, move |app| app.session(&lookup))
            .await
            .ok()
            .flatten();
        match session {
            Some(s) => Auth {
                viewer: Viewer::User(s.user),
                csrf: Some(s.csrf_token),
                token: Some(token),
            },
            None => Auth::PUBLIC,
        }
    }
}
