//! Observability (可观测性): a request id (请求编号) and a log span for every request, the
//! Prometheus metrics at `/metrics`, and the process's log output.
//!
//! - Request id: taken from `X-Request-Id` only when the request comes from a trusted proxy
//!   and the value is short and plain (letters, digits, `-_.:`), otherwise made here; it is
//!   echoed in the response's `X-Request-Id`, carried by every log line of the request (the
//!   `request` span) and shown to the user with an internal error (see `error`).
//! - Span and access line: method, route (the matched pattern, e.g. `/documents/{id}`, so
//!   labels stay few), status and latency, logged once per request at `info`.
//! - Metrics (`prometheus-client`): requests by route, method and status; latency by route;
//!   imports by outcome; failed logins by reason; outbox messages by status (read from the
//!   database when scraped, so every server sharing it reports the same queue).
//! - Who may read `/metrics`: an administrator's session, or a scraper presenting
//!   `Authorization: Bearer TOKEN` when `--metrics-token` is set. Nobody else: the route
//!   counts and queue sizes describe the deployment, and behind a proxy "local" requests
//!   cannot be told from public ones.

use crate::auth::{constant_time_eq, Auth};
use crate::error::ApiError;
use crate::{blocking, AppState};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use luoshi_app::Permission;
use luoshi_domain::ErrorKind;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument;

/// The request id header, in and out.
pub const REQUEST_ID: &str = "x-request-id";

tokio::task_local! {
    /// The id of the request being answered, for the error responses.
    static CURRENT: String;
}

/// The id of the request this task is answering, if any.
pub fn current_request_id() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

/// Outbox states always reported (0 when empty), so a queue that drains shows 0, not a gap.
const OUTBOX_STATES: [&str; 4] = ["pending", "sending", "sent", "failed"];

/// The metrics of one server.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    imports: Family<OutcomeLabels, Counter>,
    login_failures: Family<OutcomeLabels, Counter>,
    outbox: Family<StatusLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("luoshi");
        let requests = Family::<RequestLabels, Counter>::default();
        // 1 ms to about 16 s.
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.0, 15))
        });
        let imports = Family::<OutcomeLabels, Counter>::default();
        let login_failures = Family::<OutcomeLabels, Counter>::default();
        let outbox = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route pattern",
            latency.clone(),
        );
        registry.register(
            "imports",
            "Gazette imports through the web, by outcome (imported, refused)",
            imports.clone(),
        );
        registry.register(
            "login_failures",
            "Failed logins, by reason (wrong credentials, throttled)",
            login_failures.clone(),
        );
        registry.register(
            "outbox_messages",
            "Notification messages in the outbox, by status (read from the database)",
            outbox.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            imports,
            login_failures,
            outbox,
        }
    }
}

impl Metrics {
    /// Count an import through the web.
    pub fn import_done<T>(&self, result: &Result<T, luoshi_domain::Error>) {
        let outcome = if result.is_ok() {
            "imported"
        } else {
            "refused"
        };
        self.imports.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    /// Count a login that failed (and not for an internal reason).
    pub fn login_failed(&self, e: &luoshi_domain::Error) {
        let outcome = match e.kind {
            ErrorKind::RateLimited => "throttled",
            ErrorKind::Internal => return,
            _ => "rejected",
        };
        self.login_failures
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let route = route.to_string();
        self.requests
            .get_or_create(&RequestLabels {
                route: route.clone(),
                method: method.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route })
            .observe(seconds);
    }

    /// The text exposition, with the outbox read fresh from the database.
    fn render(&self, outbox: &[(String, i64)]) -> String {
        for state in OUTBOX_STATES {
            let n = outbox
                .iter()
                .find(|(s, _)| s == state)
                .map_or(0, |(_, n)| *n);
            self.outbox
                .get_or_create(&StatusLabels {
                    status: state.to_string(),
                })
                .set(n);
        }
        for (state, n) in outbox
            .iter()
            .filter(|(s, _)| !OUTBOX_STATES.contains(&s.as_str()))
        {
            self.outbox
                .get_or_create(&StatusLabels {
                    status: state.clone(),
                })
                .set(*n);
        }
        let mut text = String::new();
        // Writing to a String does not fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// What the observing middleware needs: the metrics and the proxies whose ids are believed.
pub struct Observer {
    pub metrics: Arc<Metrics>,
    pub trusted_proxies: Vec<IpAddr>,
}

/// A request id sent by a trusted proxy, if it is plain enough to log and echo.
fn forwarded_id(observer: &Observer, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<String> {
    if !peer.is_some_and(|p| observer.trusted_proxies.contains(&p)) {
        return None;
    }
    let id = headers.get(REQUEST_ID)?.to_str().ok()?.trim();
    let plain = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    plain.then(|| id.to_string())
}

/// A new request id: 16 hex digits, random.
fn new_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::getrandom(&mut bytes).is_err() {
        // No randomness: time still tells requests apart well enough for logs.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes = (nanos as u64).to_be_bytes();
    }
    hex::encode(bytes)
}

/// Middleware (applied after routing, so the matched route is known): the request id, the
/// span, the access line and the request metrics.
pub async fn observe(
    State(observer): State<Arc<Observer>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let id = forwarded_id(&observer, peer, request.headers()).unwrap_or_else(new_id);
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let span = tracing::info_span!("request", request_id = %id, %method, %route);
    let mut response = CURRENT
        .scope(id.clone(), next.run(request).instrument(span.clone()))
        .await;
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    tracing::info!(parent: &span, status, latency_ms = seconds * 1000.0, "answered");
    observer.metrics.observe(&route, &method, status, seconds);
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// `GET /metrics`: the Prometheus exposition, for an administrator or the configured token.
pub async fn metrics(State(state): State<AppState>, auth: Auth, headers: HeaderMap) -> Response {
    let by_token = state.metrics_token.as_deref().is_some_and(|token| {
        headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.trim().as_bytes(), token.as_bytes()))
    });
    if !by_token {
        if let Err(e) = auth.viewer.require(&Permission::ReadAudit) {
            return ApiError(e).into_response();
        }
    }
    let outbox = blocking(&state, |app| {
        Ok(app.store.read(luoshi_store::outbox::counts)?)
    })
    .await;
    let outbox = match outbox {
        Ok(o) => o,
        Err(e) => return ApiError(e).into_response(),
    };
    (
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(&outbox),
    )
        .into_response()
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line, with the request's span (id, method, route).
    Json,
}

/// A subscriber writing to `writer` in `format`, filtered by `LUOSHI_LOG` (then `RUST_LOG`;
/// `info` when neither is set), e.g. `LUOSHI_LOG=warn` to drop the access lines. Plain text, no
/// terminal colours.
pub fn log_subscriber<W>(format: LogFormat, writer: W) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    subscriber(format, writer, false)
}

/// [`log_subscriber`], with terminal colours when `ansi`.
fn subscriber<W>(
    format: LogFormat,
    writer: W,
    ansi: bool,
) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("LUOSHI_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(writer);
    match format {
        LogFormat::Text => Box::new(builder.finish()),
        LogFormat::Json => Box::new(
            builder
                .json()
                .with_current_span(true)
                .with_span_list(false)
                .finish(),
        ),
    }
}

/// Send this process's logs to standard error in `format`, coloured only when standard error is
/// a terminal (a log file or the journal gets plain lines, not escape codes). Does nothing if a
/// subscriber is already installed.
pub fn init_logging(format: LogFormat) {
    use std::io::IsTerminal;
    let ansi = format == LogFormat::Text && std::io::stderr().is_terminal();
    let _ = tracing::subscriber::set_global_default(subscriber(format, std::io::stderr, ansi));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Log lines written to a file or a pipe are plain: no terminal colour codes between a
    /// field's name and its value (they broke `grep status=500` on a log file).
    #[test]
    fn text_logs_for_a_writer_carry_no_colour_codes() {
        let written = Arc::new(Mutex::new(Vec::new()));
        let sink = written.clone();
        let make = move || Captured(sink.clone());
        tracing::subscriber::with_default(log_subscriber(LogFormat::Text, make), || {
            tracing::info!(status = 500, "answered");
        });
        let text = String::from_utf8(written.lock().unwrap().clone()).unwrap();
        assert!(text.contains("status=500"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }

    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
