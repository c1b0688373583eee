//! Deployment behind TLS (部署与反向代理): the cookie policy and the trusted reverse proxy,
//! applied at the edge of every request so handlers never need to know.
//!
//! - With secure cookies (`--secure-cookies`, for a site served over HTTPS), every cookie the
//!   handlers set is renamed with the `__Host-` prefix and marked `Secure`: browsers then only
//!   accept it from HTTPS, for this exact host, on path `/`, so neither a plain-HTTP page nor a
//!   sibling subdomain can plant or overwrite a session. Requests are read the other way round:
//!   only the prefixed cookies count, unprefixed ones (which anyone on the path could set) are
//!   dropped. `Strict-Transport-Security` is sent as well.
//! - Behind a trusted proxy (`--trusted-proxy ADDR`), a request that comes from that address
//!   takes its client address from the last `X-Forwarded-For` entry (the one the proxy itself
//!   appended) and its scheme from `X-Forwarded-Proto`. From any other peer these headers are
//!   ignored: a client cannot choose its own address for login throttling.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE, STRICT_TRANSPORT_SECURITY};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The prefix browsers enforce: Secure, no Domain, Path=/.
pub const HOST_PREFIX: &str = "__Host-";

/// How the server is deployed.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Cookies carry `Secure` and the `__Host-` prefix (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Header-read timeout and connection cap (see `server`).
    pub limits: crate::server::Limits,
    /// The bearer token that lets a scraper read `/metrics` (see `observe`).
    pub metrics_token: Option<String>,
}

/// Where a request comes from, as far as the server can trust it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientAddr {
    /// The client's IP address (the forwarded one behind a trusted proxy), when known.
    pub ip: Option<IpAddr>,
    /// Whether the client spoke HTTPS (to us, or to the trusted proxy).
    pub https: bool,
}

impl ClientAddr {
    /// The address as text, for throttling and the audit log.
    pub fn text(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }
}

/// The client address of a request: the peer, or behind a trusted proxy what it forwarded.
pub fn client_addr(config: &WebConfig, peer: Option<IpAddr>, headers: &HeaderMap) -> ClientAddr {
    let trusted = peer.is_some_and(|p| config.trusted_proxies.contains(&p));
    if !trusted {
        return ClientAddr {
            ip: peer,
            https: config.secure_cookies,
        };
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .next_back();
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().eq_ignore_ascii_case("https"));
    ClientAddr {
        ip: forwarded.or(peer),
        https: proto.unwrap_or(config.secure_cookies),
    }
}

/// Keep only `__Host-` cookies, without their prefix, so handlers read the names they set.
fn strip_prefixed_cookies(headers: &mut HeaderMap) {
    let kept: Vec<String> = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().strip_prefix(HOST_PREFIX).map(str::to_string))
        .collect();
    headers.remove(COOKIE);
    if let Ok(v) = HeaderValue::from_str(&kept.join("; ")) {
        if !kept.is_empty() {
            headers.insert(COOKIE, v);
        }
    }
}

/// Rename every cookie a response sets with the `__Host-` prefix and mark it `Secure`.
fn secure_set_cookies(headers: &mut HeaderMap) {
    let set: Vec<HeaderValue> = headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| HeaderValue::from_str(&format!("{HOST_PREFIX}{v}; Secure")).ok())
        .collect();
    headers.remove(SET_COOKIE);
    for v in set {
        headers.append(SET_COOKIE, v);
    }
}

/// The edge middleware: client address into the request's extensions, cookie policy both ways.
pub async fn edge(
    State(config): State<Arc<WebConfig>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = client_addr(&config, peer, request.headers());
    request.extensions_mut().insert(client);
    if config.secure_cookies {
        strip_prefixed_cookies(request.headers_mut());
    }
    let mut response = next.run(request).await;
    if config.secure_cookies {
        secure_set_cookies(response.headers_mut());
        response.headers_mut().insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let config = WebConfig {
            secure_cookies: false,
            trusted_proxies: vec![proxy],
            ..WebConfig::default()
        };
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6, 203.0.113.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let via_proxy = client_addr(&config, Some(proxy), &h);
        assert_eq!(via_proxy.text().as_deref(), Some("203.0.113.9"));
        assert!(via_proxy.https);
        let direct = client_addr(&config, Some("198.51.100.1".parse().unwrap()), &h);
        assert_eq!(direct.text().as_deref(), Some("198.51.100.1"));
        assert!(!direct.https);
    }

    #[test]
    fn only_prefixed_cookies_are_read_when_secure() {
        let mut h = headers(&[(
            "cookie",
            "luoshi_session=planted; __Host-luoshi_session=real",
        )]);
        strip_prefixed_cookies(&mut h);
        assert_eq!(h.get(COOKIE).unwrap(), "luoshi_session=real");
        let mut h = headers(&[("cookie", "luoshi_session=planted")]);
        strip_prefixed_cookies(&mut h);
        assert!(h.get(COOKIE).is_none());
    }
}
