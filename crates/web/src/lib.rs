//! The web shell (网页与接口): server-rendered pages in Chinese that work without JavaScript,
//! the JSON API under `/api/v1`, and its OpenAPI document at `/api/openapi.json`.
//!
//! Handlers are thin: they read the request, ask a service in `luoshi-app` (on a blocking
//! thread, since the store is synchronous), and render. Access is decided by the services.

mod api;
mod auth;
mod error;
mod html;
mod import;
mod input;
mod openapi;
mod pages;
mod security;

use axum::routing::{get, post};
use axum::Router;
use luoshi_app::App;
use std::sync::Arc;

pub use error::WebError;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
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
    let state = AppState { app };
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/issues/{id}", get(pages::issue))
        .route("/documents/{id}", get(pages::document))
        .route("/documents/{id}/source", get(pages::document_source))
        .route("/tasks/{id}", get(pages::task))
        .route("/units", get(pages::units))
        .route("/units/{id}", get(pages::unit))
        .route("/leaders", get(pages::leaders))
        .route("/leaders/{name}", get(pages::leader))
        .route("/search", get(pages::search))
        .route("/admin/users", get(pages::users).post(pages::add_user))
        .route("/admin/audit", get(pages::audit))
        .route(
            "/admin/import",
            get(import::import_form).post(import::import_upload).layer(
                axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES),
            ),
        )
        .route("/static/luoshi.css", get(html::stylesheet))
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", get(openapi::document))
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(axum::middleware::from_fn(error::remember_page))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serve until the process is stopped.
pub async fn serve(app: Arc<App>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(app)).await
}
