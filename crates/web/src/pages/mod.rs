//! Pages (页面): server-rendered HTML, one module per area. Each area exposes
//! `routes()`, and [`routes`] merges them, so a new area is one `mod` line and one `.merge`.
//!
//! Handlers are thin: read the request, ask a service in `luoshi-app`, render with the shared
//! [`layout`].

pub mod admin;
pub mod auth;
pub mod gazette;
pub mod health;
pub(crate) mod item_action;
pub mod layout;
pub(crate) mod posted;
pub mod proposals;
pub mod rules;
pub mod supervision;
pub mod units;

use crate::auth::Auth;
use crate::{input, AppState, WebError};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use luoshi_domain::Error;
use maud::{html, Markup};

/// What a page handler answers.
pub type PageResult = Result<Response, WebError>;

/// Every page route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(gazette::routes())
        .merge(units::routes())
        .merge(admin::routes())
        .merge(auth::routes())
        .merge(supervision::routes())
        .merge(rules::routes())
        .merge(proposals::routes())
        .merge(health::routes())
}

/// A page in the shared layout, for the viewer of the request.
pub fn render(auth: &Auth, title: &str, body: Markup) -> Response {
    layout::page(title, &auth.viewer, auth.csrf.as_deref(), body).into_response()
}

/// A page body rendered once per viewer scope and reused until the area's data or the
/// business date changes (rendering thousands of rows is most of a list page's cost): the
/// supervision and proposal pages share it, each naming its scope
/// (`App::supervision_scope`, `App::proposals_scope`).
pub(crate) fn cached_body(
    app: &luoshi_app::App,
    scope: &luoshi_app::cases::ViewScope,
    part: &str,
    build: impl FnOnce() -> luoshi_app::Result<Markup>,
) -> luoshi_app::Result<Markup> {
    let body = app.derived(scope, part, || build().map(Markup::into_string))?;
    Ok(maud::PreEscaped(body.as_ref().clone()))
}

/// The positive numeric id in a path segment; anything else is "not found".
pub fn path_id(segment: Result<Path<String>, PathRejection>, what: &str) -> Result<i64, Error> {
    let raw = input::segment(segment, what)?;
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::not_found(format!("{what}（编号 {raw}）")))
}

/// The body of an error page: title, message, stable code, a way home.
pub fn error_body(title: &str, message: &str, code: &str) -> Markup {
    html! {
        h1 { (title) }
        p class="error" { (message) }
        p { "错误代码：" code { (code) } }
        p { a href="/" { "返回首页" } }
    }
}

/// No page at this address.
pub async fn not_found(auth: Auth) -> Response {
    let title = "404 页面不存在";
    let body = error_body(title, "您访问的页面不存在。", "E_NOT_FOUND");
    (StatusCode::NOT_FOUND, render(&auth, title, body)).into_response()
}

/// A known path asked with a method it does not answer (e.g. `GET /logout`).
pub async fn method_not_allowed(auth: Auth) -> Response {
    let title = "405 不支持的请求方式";
    let body = error_body(title, "此地址不支持该请求方式。", "E_METHOD_NOT_ALLOWED");
    (StatusCode::METHOD_NOT_ALLOWED, render(&auth, title, body)).into_response()
}
