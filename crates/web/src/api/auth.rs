//! The API session (会话): log in with JSON, ask who is logged in.

use super::types::User;
use super::{json, ApiResult};
use crate::auth::{login_client, login_cookies, Auth};
use crate::deploy::ClientAddr;
use crate::{blocking, input, AppState};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::{Extension, Json};
use luoshi_domain::Error;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(tags((name = "session", description = "登录与当前用户")))]
struct SessionApi;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(SessionApi::openapi()).routes(routes!(login, whoami))
}

#[derive(Deserialize, ToSchema)]
struct Credentials {
    username: String,
    #[schema(format = Password)]
    password: String,
}

/// A new session: the user, and the CSRF token to send in `X-CSRF-Token` with writes.
#[derive(Serialize, ToSchema)]
struct NewSession {
    user: User,
    csrf_token: String,
}

/// The logged-in user.
#[derive(Serialize, ToSchema)]
struct Me {
    user: User,
}

/// 登录：成功后设置会话 Cookie，并返回 CSRF 令牌
#[utoipa::path(post, path = "/session", tag = "session", request_body = Credentials,
    responses((status = 200, description = "登录成功；Set-Cookie 带会话", body = NewSession)))]
async fn login(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    body: Result<Json<Credentials>, JsonRejection>,
) -> ApiResult {
    let c = input::json(body)?;
    let who = login_client(&headers, client.as_ref().map(|c| &c.0));
    let logged_in = blocking(&state, move |app| {
        app.login_from(c.username.trim(), &c.password, &who)
    })
    .await
    .inspect_err(|e| state.metrics.login_failed(e))?;
    let cookies = login_cookies(&logged_in);
    let mut resp = json(NewSession {
        user: logged_in.session.user.into(),
        csrf_token: logged_in.session.csrf_token,
    });
    for (k, v) in cookies {
        resp.headers_mut().append(k, v);
    }
    Ok(resp)
}

/// 当前登录用户
#[utoipa::path(get, path = "/session", tag = "session",
    responses((status = 200, description = "当前用户", body = Me)))]
async fn whoami(auth: Auth) -> ApiResult {
    match auth.viewer.user() {
        Some(u) => Ok(json(Me {
            user: u.clone().into(),
        })),
        None => Err(Error::unauthenticated().into()),
    }
}
