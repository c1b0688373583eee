//! Response hardening (安全响应头): headers every response carries, so pages with forms cannot
//! be framed by another site (clickjacking), content types are not sniffed, and pages that may
//! show a user's work are not kept in shared caches or the browser's back-forward history.

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The policy: everything from this site only, no inline script or style (pages carry none:
/// the stylesheet is `/static/luoshi.css`), no plugins, no framing, no `<base>` rewriting,
/// forms post only to this site.
const CSP: &str = "default-src 'self'; object-src 'none'; frame-ancestors 'none'; \
                   base-uri 'none'; form-action 'self'";

/// Add the security headers; `Cache-Control: no-store` on everything but static assets.
pub async fn headers(request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    apply(response.headers_mut(), is_static);
    response
}

/// The security headers on one answer (for a route served outside the [`headers`] layer).
pub fn apply(h: &mut HeaderMap, is_static: bool) {
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !is_static && !h.contains_key(CACHE_CONTROL) {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
