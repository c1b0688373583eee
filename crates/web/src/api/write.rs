//! What every JSON write (写操作) is handed and how it is taken apart: the caller's session, the
//! session's CSRF token in `X-CSRF-Token`, the `{id}` path segment where the route has one, and
//! the JSON body. A handler asks for one [`Write`] and opens it in one fixed order — CSRF token,
//! then id, then body — so every write answers the same error for the same fault.

use super::id;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::input;
use crate::submitted::Submitted;
use axum::http::HeaderMap;
use axum::Json;
use luoshi_domain::Error;
use serde::de::DeserializeOwned;

/// Check the session's CSRF token sent in the `X-CSRF-Token` header (missing counts as wrong).
pub(crate) fn csrf(auth: &Auth, headers: &HeaderMap) -> Result<(), Error> {
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    auth.check_csrf(token)
}

/// A JSON write as it came, nothing checked yet.
pub(crate) type Write<B> = Submitted<Json<B>>;

impl<B: DeserializeOwned> Write<B> {
    /// The caller, the positive id in the path (`what` names it in "not found") and the body,
    /// once the CSRF token has passed.
    pub(crate) fn open(self, what: &str) -> Result<(Auth, i64, B), ApiError> {
        csrf(&self.auth, &self.headers)?;
        let id = id(self.raw, what)?;
        let body = input::json(self.body)?;
        Ok((self.auth, id, body))
    }

    /// The caller and the body of a route without an id, once the CSRF token has passed.
    pub(crate) fn open_body(self) -> Result<(Auth, B), ApiError> {
        csrf(&self.auth, &self.headers)?;
        let body = input::json(self.body)?;
        Ok((self.auth, body))
    }
}
