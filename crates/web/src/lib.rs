//! The web shell (网页与接口): server-rendered pages in Chinese that work without JavaScript,
//! the JSON API under `/api/v1`, and its OpenAPI document at `/api/openapi.json`.
//!
//! Handlers are thin: they read the request, ask a service in `luoshi-app` (on a blocking
//! thread, since the store is synchronous), and render. Access is decided by the services.

mod api;
mod auth;
mod deploy;
mod error;
mod import;
mod input;
mod observe;
mod pages;
mod published;
mod security;
mod server;
mod submitted;

use axum::extract::DefaultBodyLimit;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post};
use axum::Router;
use luoshi_app::App;
use std::sync::Arc;

pub use deploy::WebConfig;
pub use error::WebError;
pub use observe::{init_logging, log_subscriber, LogFormat, Metrics};
pub use server::{
    shutdown_signal, Limits, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_CONNECTIONS, GRACE,
};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    /// The rules (规则), with the app's calendar and the default readings: pure, so a decision
    /// is made on the request's own thread.
    pub rules: Arc<luoshi_rules::Engine>,
    /// The server's Prometheus metrics (see `observe`).
    pub metrics: Arc<observe::Metrics>,
    /// The token a metrics scraper presents (`--metrics-token`), if any.
    pub metrics_token: Option<Arc<str>>,
}

/// Run a service call on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&App) -> luoshi_app::Result<T> + Send + 'static,
) -> Result<T, luoshi_domain::Error> {
    let app = state.app.clone();
    tokio::task::spawn_blocking(move || f(&app))
        .await
        .map_err(|e| luoshi_domain::Error::internal(format!("任务中断: {e}")))?
}

/// The whole application: pages, API, static assets.
pub fn router(app: Arc<App>) -> Router {
    router_with(app, WebConfig::default())
}

/// [`router`] deployed as configured (secure cookies, trusted proxies: see `deploy`).
pub fn router_with(app: Arc<App>, config: WebConfig) -> Router {
    let rules = luoshi_rules::Engine::new(app.calendar.clone(), luoshi_rules::Params::default());
    let metrics = Arc::new(observe::Metrics::default());
    let observer = Arc::new(observe::Observer {
        metrics: metrics.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
    });
    let state = AppState {
        app,
        rules: Arc::new(rules),
        metrics,
        metrics_token: config.metrics_token.as_deref().map(Arc::from),
    };
    let (api, doc) = api::routes();
    let spec = doc
        .to_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    Router::new()
        .merge(pages::routes())
        .route("/static/luoshi.css", get(stylesheet))
        .route("/metrics", get(observe::metrics))
        .nest(api::PREFIX, api)
        .route(
            "/api/openapi.json",
            get(move || async move { ([(CONTENT_TYPE, "application/json")], spec) }),
        )
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(DefaultBodyLimit::max(input::MAX_BODY_BYTES))
        // Pages and JSON compressed on the way out with gzip at its fastest setting; cached
        // published pages arrive already compressed (brotli and gzip, done once) and pass through
        // untouched. No brotli here: even at quality 0 it took ~80% of the CPU of a logged-in
        // document page (117 KB) under load, where zlib-rs's gzip costs a fraction of that for a
        // similar size on the wire.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .no_br()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .layer(axum::middleware::from_fn(error::error_pages))
        .layer(axum::middleware::from_fn(security::headers))
        // Added after the page layers, so outside them: one decision per request, public and pure,
        // answered without a session, an error-page slot or the body-limit layer (see
        // `api::rules::eval`; it adds the security headers itself). The deployment edge below
        // still applies (HSTS behind TLS).
        .route(
            api::rules::EVAL_PATH,
            post(api::rules::eval).fallback(api::rules::eval_wrong_method),
        )
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(config),
            deploy::edge,
        ))
        // Outermost, and after routing (so the matched route is known): the request id, the
        // request's span and access line, the request metrics.
        .layer(axum::middleware::from_fn_with_state(
            observer,
            observe::observe,
        ))
        .with_state(state)
}

/// The stylesheet: readable on screen, clean on paper.
async fn stylesheet() -> impl axum::response::IntoResponse {
    (
        [(CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/luoshi.css"),
    )
}

/// Serve until the process is stopped.
pub async fn serve(app: Arc<App>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_with(app, listener, WebConfig::default()).await
}

/// [`serve`] deployed as configured; each request knows its peer's address.
pub async fn serve_with(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    config: WebConfig,
) -> std::io::Result<()> {
    serve_until(app, listener, config, std::future::pending()).await
}

/// [`serve_with`] until `shutdown` completes (e.g. [`shutdown_signal`]), then stop accepting
/// and finish the requests in flight (up to [`GRACE`]). The connection limits are
/// `config.limits` (see `server`).
pub async fn serve_until(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    config: WebConfig,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = config.limits;
    server::run(listener, router_with(app, config), limits, shutdown).await
}
