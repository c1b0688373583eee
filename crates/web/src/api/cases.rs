//! Posting an action to a case (对事项执行操作), the one path every procedure's action endpoint
//! takes: the session's CSRF token checked, the case id read from the path, the procedure's
//! input built from the JSON body, the procedure's service run off the async threads, and what
//! it did answered as JSON. A stale version answers 409 and changes nothing (the engine's
//! optimistic concurrency), bad input a 400 with its code.

use super::write::Write;
use super::{json, ApiResult};
use crate::{blocking, AppState};
use luoshi_app::cases::{Acted, ActionInput};
use luoshi_app::{App, Viewer};
use luoshi_domain::Error;
use serde::de::DeserializeOwned;

/// A kind of case and the procedure's action service that acts on it.
pub(crate) struct CaseKind {
    /// How messages name one case (督办事项, 建议提案).
    pub what: &'static str,
    /// `App::supervision_act`, `App::proposal_act`, ….
    pub act: fn(&App, &Viewer, i64, &ActionInput) -> luoshi_domain::Result<Acted>,
}

/// Post the action that `build` makes of the body to the case of `kind` named in the path.
pub(crate) async fn post_action<B: DeserializeOwned>(
    state: &AppState,
    write: Write<B>,
    kind: &CaseKind,
    build: impl FnOnce(B) -> Result<ActionInput, Error>,
) -> ApiResult {
    let (auth, id, body) = write.open(kind.what)?;
    let input = build(body)?;
    let act = kind.act;
    let acted = blocking(state, move |app| act(app, &auth.viewer, id, &input)).await?;
    Ok(json(acted))
}
