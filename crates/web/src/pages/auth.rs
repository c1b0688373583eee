//! Logging in and out (登录与退出). The login form has no session yet, so it is protected by a
//! double-submit token (a cookie and a hidden field); logout needs the session's CSRF token.

use super::layout::{csrf_field, page};
use super::posted::{csrf_forms, Posted};
use super::PageResult;
use crate::auth::{
    constant_time_eq, cookie, login_client, login_cookies, set_cookie, LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
};
use crate::deploy::ClientAddr;
use crate::error::safe_next;
use crate::{blocking, input, AppState};
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Extension;
use axum::{Form, Router};
use luoshi_app::Viewer;
use luoshi_domain::Error;
use maud::{html, Markup};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

fn login_page(csrf: &str, next: &str, error: Option<&str>) -> Markup {
    let body = html! {
        h1 { "登录" }
        @if let Some(e) = error { p class="error" { (e) } }
        form method="post" action="/login" class="stack" {
            (csrf_field(Some(csrf)))
            input type="hidden" name="next" value=(safe_next(next));
            label { "用户名 " input name="username" autocomplete="username" required; }
            label {
                "密码 "
                input name="password" type="password" autocomplete="current-password" required;
            }
            button type="submit" { "登录" }
        }
    };
    page("登录", &Viewer::Public, None, body)
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

async fn login_form(q: Result<Query<NextQuery>, QueryRejection>) -> PageResult {
    let next = q.map(|Query(q)| q.next).unwrap_or_default();
    let csrf = luoshi_app::accounts::random_token()?;
    let mut resp = login_page(&csrf, &next, None).into_response();
    let (k, v) = set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600);
    resp.headers_mut().append(k, v);
    Ok(resp)
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn login(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> PageResult {
    let form = input::form(form)?;
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        return Err(Error::forbidden(
            "登录表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试",
        )
        .into());
    }
    let (username, password) = (form.username.trim().to_string(), form.password);
    let who = login_client(&headers, client.as_ref().map(|c| &c.0));
    match blocking(&state, move |app| {
        app.login_from(&username, &password, &who)
    })
    .await
    {
        Ok(logged_in) => {
            let mut resp = Redirect::to(safe_next(&form.next)).into_response();
            for (k, v) in login_cookies(&logged_in) {
                resp.headers_mut().append(k, v);
            }
            let (k, v) = set_cookie(LOGIN_CSRF_COOKIE, "", 0);
            resp.headers_mut().append(k, v);
            Ok(resp)
        }
        Err(e) => {
            state.metrics.login_failed(&e);
            let e = crate::error::for_client(e);
            let message = format!("{}（{}）", e.message, e.code);
            let page = login_page(&expected, &form.next, Some(&message));
            Ok((crate::error::status(&e), page).into_response())
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

csrf_forms!(CsrfForm);

async fn logout(State(state): State<AppState>, p: Posted<CsrfForm>) -> PageResult {
    let (auth, _) = p.open_form()?;
    if let (Some(token), Viewer::User(user)) = (auth.token.clone(), auth.viewer.clone()) {
        blocking(&state, move |app| app.logout(&token, &user)).await?;
    }
    let mut resp = Redirect::to("/").into_response();
    let (k, v) = set_cookie(SESSION_COOKIE, "", 0);
    resp.headers_mut().append(k, v);
    Ok(resp)
}
