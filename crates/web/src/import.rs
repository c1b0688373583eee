//! Importing a gazette issue (公报导入), the part the page and the API share: the size limit,
//! the UTF-8 check and the service call. The page is in `pages::admin`, the API in `api::admin`.

use crate::{blocking, AppState};
use luoshi_app::import::ImportSummary;
use luoshi_app::Viewer;
use luoshi_domain::Error;

/// The largest gazette file accepted (a year of issues is well below this).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The upload as text: UTF-8, GB18030/GBK, UTF-16, a web page, a Word file or a PDF (see
/// `luoshi-intake`); anything else is refused with its code (`E_UTF8` naming the byte where
/// the text stops being readable).
pub fn utf8(bytes: &[u8], name: &str) -> Result<String, Error> {
    luoshi_intake::decode(bytes, Some(name), None)
        .map(|d| d.text)
        .map_err(|e| Error::bad_input(e.code(), format!("{name}: {e}")))
}

/// Import one issue's text in one transaction, as the viewer.
pub async fn run(
    state: &AppState,
    viewer: Viewer,
    name: String,
    text: String,
) -> Result<ImportSummary, Error> {
    let done = blocking(state, move |app| {
        let summary = app.import_issue(&viewer, &name, &text, &app.registry, &mut |_, _| {});
        drop(text);
        // An import allocates several times the issue's size for a moment: give it back, so
        // the serving footprint returns close to where it was.
        luoshi_app::memory::release_free_memory();
        summary
    })
    .await;
    state.metrics.import_done(&done);
    done
}
