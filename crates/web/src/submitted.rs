//! A request that writes (提交), taken as it came: the caller's session, the headers, the `{id}`
//! path segment where the route has one, and the body as the extractor `E` reads it (JSON for
//! the API, a form for the pages). Taking it never fails; the API's `api::write` and the pages'
//! `pages::posted` open it in one fixed order each, so every write answers the same error for
//! the same fault.

use crate::auth::Auth;
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::HeaderMap;

/// A write request, nothing checked yet.
pub(crate) struct Submitted<E: FromRequest<AppState>> {
    pub auth: Auth,
    pub headers: HeaderMap,
    pub raw: Result<Path<String>, PathRejection>,
    pub body: Result<E, E::Rejection>,
}

impl<E: FromRequest<AppState>> FromRequest<AppState> for Submitted<E> {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let auth = Auth::from_request_parts(&mut parts, state).await?;
        let raw = Path::<String>::from_request_parts(&mut parts, state).await;
        let headers = parts.headers.clone();
        let body = E::from_request(Request::from_parts(parts, body), state).await;
        Ok(Submitted {
            auth,
            headers,
            raw,
            body,
        })
    }
}
