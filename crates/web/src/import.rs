//! Importing a gazette issue (公报导入), the part the page and the API share: the size limit,
//! the UTF-8 check and the service call. The page is in `pages::admin`, the API in `api::admin`.

use crate::{blocking, AppState};
use luoshi_app::import::ImportSummary;
use luoshi_app::Viewer;
use luoshi_domain::Error;

/// The largest gazette file accepted (a year of issues is well below this).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The upload as text, or a Chinese error naming the byte where it stops being UTF-8.
pub fn utf8(bytes: &[u8], name: &str) -> Result<String, Error> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        Error::bad_input(
            "E_UTF8",
            format!(
                "{name} 不是有效的 UTF-8 文本（第 {} 字节处出错）",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Import one issue's text in one transaction, as the viewer.
pub async fn run(
    state: &AppState,
    viewer: Viewer,
    name: String,
    text: String,
) -> Result<ImportSummary, Error> {
    blocking(state, move |app| {
        app.import_issue(&viewer, &name, &text, &app.registry, &mut |_, _| {})
    })
    .await
}
