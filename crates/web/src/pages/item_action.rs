//! The action form of a case's item page (对事项执行操作), shared by the supervision and proposal
//! item pages: its route with the body limit its attachments need, the `multipart/form-data`
//! form read into the procedure's input (text fields, repeated checkboxes, files) and kept as a
//! draft once its CSRF token matched, and the answer once the procedure acted — the item page
//! saying what was done, or, refused for bad input or a conflict, the item page again with the
//! error and the form as filled in, under the error's status.

use super::posted::MultipartKind;
use super::{render, PageResult};
use crate::auth::Auth;
use crate::{blocking, AppState};
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart};
use axum::handler::Handler;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{post, MethodRouter};
use luoshi_app::cases::attachments::{Upload, MAX_BYTES, MAX_FILES};
use luoshi_app::cases::ActionInput;
use luoshi_app::{App, Viewer};
use luoshi_domain::{Error, ErrorKind};
use maud::Markup;
use std::collections::BTreeMap;

/// Largest action form: the attachments at their limit, plus the text fields.
const ACT_BODY_LIMIT: usize = MAX_FILES * MAX_BYTES + (1 << 20);

/// The route of an item's action form, with the body limit its attachments need.
pub(crate) fn route<H: Handler<T, AppState>, T: 'static>(act: H) -> MethodRouter<AppState> {
    post(act).layer(DefaultBodyLimit::max(ACT_BODY_LIMIT))
}

/// The values a refused form had, to render them again.
#[derive(Debug, Default, Clone)]
pub(crate) struct Draft {
    pub(crate) action: String,
    fields: BTreeMap<String, String>,
    note: String,
}

impl Draft {
    pub(crate) fn get(&self, action: &str, name: &str) -> &str {
        if self.action == action {
            self.fields.get(name).map(String::as_str).unwrap_or("")
        } else {
            ""
        }
    }
    pub(crate) fn note(&self, action: &str) -> &str {
        if self.action == action {
            &self.note
        } else {
            ""
        }
    }
}

/// Read the action form (`multipart/form-data`): text fields, repeated checkboxes, files; then
/// check its CSRF token. The draft is the form as filled in, to show again if it is refused.
pub(crate) async fn read_action(
    auth: &Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(ActionInput, Draft), Error> {
    let mut multipart = MultipartKind::Form.open(multipart)?;
    let bad = |e| MultipartKind::Form.unreadable(ACT_BODY_LIMIT, e);
    let mut csrf = String::new();
    let mut input = ActionInput::default();
    let mut draft = Draft::default();
    let mut milestones = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "attachments" {
            let filename = field.file_name().unwrap_or_default().to_string();
            let content: Bytes = field.bytes().await.map_err(bad)?;
            if !filename.is_empty() || !content.is_empty() {
                input.attachments.push(Upload {
                    filename,
                    content: content.to_vec(),
                });
            }
            continue;
        }
        let value = field.text().await.map_err(bad)?;
        match name.as_str() {
            "csrf" => csrf = value,
            "action" => input.action = value,
            "version" => {
                input.version = value
                    .trim()
                    .parse()
                    .map_err(|_| Error::bad_input("E_INPUT", "版本号无效"))?
            }
            "note" => {
                draft.note = value.clone();
                input.note = Some(value).filter(|v| !v.trim().is_empty());
            }
            "milestones" => milestones.push(serde_json::Value::from(
                value.trim().parse::<i64>().unwrap_or(0),
            )),
            _ => {
                draft.fields.insert(name.clone(), value.clone());
                input.fields.insert(name, value.into());
            }
        }
    }
    if !milestones.is_empty() {
        input.fields.insert("milestones".into(), milestones.into());
    }
    draft.action = input.action.clone();
    auth.check_csrf(&csrf)?;
    Ok((input, draft))
}

/// What an action form's post answers once the procedure ran: on success, a redirect to
/// `done`; refused for bad input or a conflict, the item page again (read afresh by `detail`,
/// drawn by `page` with the error and the form as filled in) under the error's status; any
/// other fault, the error page.
pub(crate) async fn answer<A, D: Send + 'static>(
    state: &AppState,
    auth: &Auth,
    outcome: Result<A, Error>,
    done: &str,
    detail: impl FnOnce(&App, &Viewer) -> luoshi_app::Result<D> + Send + 'static,
    page: impl FnOnce(&D, &Error) -> (String, Markup),
) -> PageResult {
    match outcome {
        Ok(_) => Ok(Redirect::to(done).into_response()),
        Err(e) if matches!(e.kind, ErrorKind::BadInput | ErrorKind::Conflict) => {
            let viewer = auth.viewer.clone();
            let d = blocking(state, move |app| detail(app, &viewer)).await?;
            let (title, body) = page(&d, &e);
            Ok((crate::error::status(&e), render(auth, &title, body)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
