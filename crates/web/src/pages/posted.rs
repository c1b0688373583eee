//! How a page's form post (表单提交) is taken apart: the `{id}` path segment where the route has
//! one, then the form, then the session's CSRF token in its `csrf` field; how faults in a
//! `multipart/form-data` body are answered; and a file upload's `csrf` and `file` fields.

use super::path_id;
use crate::auth::Auth;
use crate::input;
use crate::submitted::Submitted;
use axum::body::Bytes;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Multipart};
use axum::http::StatusCode;
use luoshi_domain::Error;
use serde::de::DeserializeOwned;

/// A form that carries the session's CSRF token (the hidden `csrf` field of `csrf_field`).
pub(crate) trait CarriesCsrf: DeserializeOwned {
    /// The token as submitted.
    fn csrf(&self) -> &str;
}

/// Implement [`CarriesCsrf`] for forms whose token is their `csrf` field.
macro_rules! csrf_forms {
    ($($form:ty),+ $(,)?) => {
        $(impl $crate::pages::posted::CarriesCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(crate) use csrf_forms;

/// A form post as it came, nothing checked yet.
pub(crate) type Posted<F> = Submitted<Form<F>>;

impl<F: CarriesCsrf> Posted<F> {
    /// The caller, the positive id in the path (`what` names it in "not found") and the form,
    /// once its CSRF token matched the session's.
    pub(crate) fn open(self, what: &str) -> Result<(Auth, i64, F), Error> {
        let id = path_id(self.raw, what)?;
        let form = checked(&self.auth, self.body)?;
        Ok((self.auth, id, form))
    }

    /// The caller and the form of a route without an id, once its CSRF token matched.
    pub(crate) fn open_form(self) -> Result<(Auth, F), Error> {
        let form = checked(&self.auth, self.body)?;
        Ok((self.auth, form))
    }
}

/// The form, once its CSRF token matched the session's.
fn checked<F: CarriesCsrf>(auth: &Auth, form: Result<Form<F>, FormRejection>) -> Result<F, Error> {
    let form = input::form(form)?;
    auth.check_csrf(form.csrf())?;
    Ok(form)
}

/// How faults in a `multipart/form-data` body are worded: a file upload's (`E_UPLOAD`) or an
/// action form's (`E_INPUT`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum MultipartKind {
    Upload,
    Form,
}

impl MultipartKind {
    /// The body, or why it is not `multipart/form-data`.
    pub(crate) fn open(
        self,
        multipart: Result<Multipart, MultipartRejection>,
    ) -> Result<Multipart, Error> {
        multipart.map_err(|e| match self {
            MultipartKind::Upload => Error::bad_input(
                "E_UPLOAD",
                format!("上传须为 multipart/form-data 表单: {}", e.body_text()),
            ),
            MultipartKind::Form => Error::bad_input(
                "E_INPUT",
                format!("表单须为 multipart/form-data: {}", e.body_text()),
            ),
        })
    }

    /// A part that cannot be read: the body is over `limit` bytes (413) or malformed.
    pub(crate) fn unreadable(self, limit: usize, e: MultipartError) -> Error {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return crate::error::too_large(limit);
        }
        match self {
            MultipartKind::Upload => Error::bad_input("E_UPLOAD", format!("上传内容有误: {e}")),
            MultipartKind::Form => {
                Error::bad_input("E_INPUT", format!("表单无法读取: {}", e.body_text()))
            }
        }
    }
}

/// The `csrf` field and the `file` field (its name, `default_name` when the browser sent none,
/// and its bytes) of an upload form; a body over `limit` bytes answers 413.
pub(crate) async fn csrf_and_file(
    multipart: Result<Multipart, MultipartRejection>,
    limit: usize,
    default_name: &str,
) -> Result<(String, Option<(String, Bytes)>), Error> {
    let mut multipart = MultipartKind::Upload.open(multipart)?;
    let bad = |e| MultipartKind::Upload.unreadable(limit, e);
    let (mut csrf, mut file) = (String::new(), None::<(String, Bytes)>);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = field.file_name().unwrap_or(default_name).to_string();
                file = Some((name, field.bytes().await.map_err(bad)?));
            }
            _ => {}
        }
    }
    Ok((csrf, file))
}
