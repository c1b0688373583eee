//! Published pages from memory (公开内容缓存): gazette content does not change after import, so
//! a page of it is rendered once per access class and reused.
//!
//! Viewers of one access class ([`Viewer::access_class`]) see the same content — the same tasks,
//! the same masking — so the page body is kept in the app's [`ViewCache`](luoshi_app::cache)
//! under the page's key and the class. For the public the whole page is the same for everyone:
//! it is kept whole, with its gzip and brotli forms and an `ETag`, and answered `304 Not
//! Modified` when the browser already holds it. Logged-in viewers get the cached body inside
//! their own layout (name, logout form with their CSRF token). For them the body is also kept
//! deflated once, as blocks that end in a sync flush: a gzip answer is the viewer's layout head
//! deflated, the kept blocks, the layout's tail deflated, and a CRC combined from the three — one
//! valid gzip member, so only a kilobyte or two is compressed per request instead of the whole
//! page (compressing a 200 KB page per request was most of the server's work under load).

use crate::auth::Auth;
use crate::{blocking, AppState};
use axum::body::Bytes;
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use luoshi_app::{App, Viewer};
use luoshi_domain::Error;
use maud::{Markup, PreEscaped};
use sha2::{Digest, Sha256};
use std::io::Write;

/// The stamp of published content: imported gazette content is never updated (a repeated
/// import changes nothing), so an entry stays valid for the life of the process.
const PUBLISHED: &str = "published";

/// A page body rendered for one access class, with its deflated form for splicing.
pub struct Body {
    pub title: String,
    pub html: String,
    /// `html` as raw deflate blocks ending in a sync flush: byte-aligned, none final, none
    /// referring to bytes before their start — so they can stand between other such blocks.
    deflated: Bytes,
    /// The CRC-32 and length of `html`, to combine into the whole page's.
    crc: flate2::Crc,
}

impl Body {
    /// Keep a rendered body, deflating it once (best compression: a one-time cost).
    pub fn new(title: String, html: String) -> Result<Body, Error> {
        let deflated = deflate(html.as_bytes(), flate2::Compression::best(), false)?;
        let mut crc = flate2::Crc::new();
        crc.update(html.as_bytes());
        Ok(Body {
            title,
            html,
            deflated: Bytes::from(deflated),
            crc,
        })
    }

    /// The whole page as one gzip member: `head`, this body, `tail`.
    fn gzip_between(&self, head: &str, tail: &str) -> Result<Vec<u8>, Error> {
        let fast = flate2::Compression::fast();
        let head_deflated = deflate(head.as_bytes(), fast, false)?;
        let tail_deflated = deflate(tail.as_bytes(), fast, true)?;
        let mut crc = flate2::Crc::new();
        crc.update(head.as_bytes());
        crc.combine(&self.crc);
        let mut tail_crc = flate2::Crc::new();
        tail_crc.update(tail.as_bytes());
        crc.combine(&tail_crc);
        let mut out = Vec::with_capacity(
            18 + head_deflated.len() + self.deflated.len() + tail_deflated.len(),
        );
        // RFC 1952: magic, deflate, no flags, no time, no extra flags, OS unknown.
        out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        out.extend_from_slice(&head_deflated);
        out.extend_from_slice(&self.deflated);
        out.extend_from_slice(&tail_deflated);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&crc.amount().to_le_bytes());
        Ok(out)
    }
}

/// `data` as raw deflate blocks of their own (no reference before the start): ending with the
/// final block when `last`, else with a sync flush (byte-aligned, not final).
fn deflate(data: &[u8], level: flate2::Compression, last: bool) -> Result<Vec<u8>, Error> {
    let fail = |e: std::io::Error| Error::internal(format!("压缩页面失败: {e}"));
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), level);
    encoder.write_all(data).map_err(fail)?;
    if last {
        return encoder.finish().map_err(fail);
    }
    // `flush` ends the blocks with a sync flush; the encoder, dropped, would append a final
    // block to the buffer it no longer holds.
    encoder.flush().map_err(fail)?;
    Ok(std::mem::take(encoder.get_mut()))
}

/// Where the body stands in a rendered layout, to cut it into its head and tail.
const BODY_MARK: &str = "<!--luoshi:published-body-->";

/// A whole page kept ready to send: plain, gzip and brotli, with its entity tag.
pub struct Ready {
    etag: HeaderValue,
    plain: Bytes,
    gzip: Bytes,
    br: Bytes,
}

impl Ready {
    /// Compress once (gzip level 9, brotli quality 9: a one-time cost per page).
    pub fn new(html: String) -> Result<Ready, Error> {
        let fail = |e: std::io::Error| Error::internal(format!("压缩页面失败: {e}"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(html.as_bytes()).map_err(fail)?;
        let gzip = gz.finish().map_err(fail)?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, 9, 22);
            w.write_all(html.as_bytes()).map_err(fail)?;
        }
        let digest = hex::encode(&Sha256::digest(html.as_bytes())[..16]);
        let etag = HeaderValue::from_str(&format!("\"{digest}\""))
            .map_err(|e| Error::internal(format!("ETag: {e}")))?;
        Ok(Ready {
            etag,
            plain: Bytes::from(html.into_bytes()),
            gzip: Bytes::from(gzip),
            br: Bytes::from(br),
        })
    }

    /// The response to a request with these headers: 304 when the browser's copy is current,
    /// else the best encoding the browser accepts.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(ETAG, self.etag.clone());
        // Stored, but checked with the server before each use; the page differs by login.
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(VARY, HeaderValue::from_static("Accept-Encoding, Cookie"));
        if matches_etag(request, &self.etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        let body = match preferred_encoding(request) {
            Encoding::Br => {
                headers.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
                self.br.clone()
            }
            Encoding::Gzip => {
                headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                self.gzip.clone()
            }
            Encoding::Identity => self.plain.clone(),
        };
        (headers, body).into_response()
    }
}

fn matches_etag(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    request
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

#[derive(Debug, PartialEq, Eq)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

/// The encoding to send: brotli, then gzip, when accepted with a non-zero quality.
fn preferred_encoding(request: &HeaderMap) -> Encoding {
    match accepted(request) {
        (true, _) => Encoding::Br,
        (false, true) => Encoding::Gzip,
        (false, false) => Encoding::Identity,
    }
}

/// Whether brotli and gzip are accepted (named with a non-zero quality).
fn accepted(request: &HeaderMap) -> (bool, bool) {
    let mut br = false;
    let mut gzip = false;
    for item in request
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        match name.as_str() {
            "br" => br = !refused,
            "gzip" => gzip = !refused,
            _ => {}
        }
    }
    (br, gzip)
}

/// Answer a page of published content under `key` (e.g. `document|29`): from memory when it
/// was rendered before for the viewer's access class, else built by `build` (on a blocking
/// thread) and kept.
pub async fn page<F>(
    state: &AppState,
    auth: &Auth,
    headers: &HeaderMap,
    key: String,
    build: F,
) -> Response
where
    F: FnOnce(&App, &Viewer) -> luoshi_app::Result<(String, Markup)> + Send + 'static,
{
    let cache = &state.app.cache;
    if auth.viewer == Viewer::Public {
        let key = format!("published.page|{key}");
        if let Some(ready) = cache.get::<Ready>(&key, PUBLISHED) {
            return ready.respond(headers);
        }
        let built = blocking(state, move |app| {
            app.cache.get_or(&key, PUBLISHED, || {
                let (title, body) = build(app, &Viewer::Public)?;
                Ready::new(
                    crate::pages::layout::page(&title, &Viewer::Public, None, body).into_string(),
                )
            })
        })
        .await;
        return match built {
            Ok(ready) => ready.respond(headers),
            Err(e) => crate::WebError(e).into_response(),
        };
    }
    let key = format!("published.body|{key}|{}", auth.viewer.access_class());
    let body = match cache.get::<Body>(&key, PUBLISHED) {
        Some(b) => Ok(b),
        None => {
            let viewer = auth.viewer.clone();
            blocking(state, move |app| {
                app.cache.get_or(&key, PUBLISHED, || {
                    let (title, html) = build(app, &viewer)?;
                    Body::new(title, html.into_string())
                })
            })
            .await
        }
    };
    match body {
        Ok(b) if accepts_gzip(headers) => spliced(auth, &b),
        Ok(b) => crate::pages::render(auth, &b.title, PreEscaped(b.html.clone())),
        Err(e) => crate::WebError(e).into_response(),
    }
}

/// A logged-in viewer's page as gzip: their layout around the kept deflated body.
fn spliced(auth: &Auth, body: &Body) -> Response {
    let layout = crate::pages::layout::page(
        &body.title,
        &auth.viewer,
        auth.csrf.as_deref(),
        PreEscaped(BODY_MARK.to_string()),
    )
    .into_string();
    let Some((head, tail)) = layout.split_once(BODY_MARK) else {
        return crate::pages::render(auth, &body.title, PreEscaped(body.html.clone()));
    };
    match body.gzip_between(head, tail) {
        Ok(gzip) => (
            [
                (
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (CONTENT_ENCODING, HeaderValue::from_static("gzip")),
                (VARY, HeaderValue::from_static("Accept-Encoding, Cookie")),
            ],
            gzip,
        )
            .into_response(),
        Err(e) => crate::WebError(e).into_response(),
    }
}

/// Whether the request accepts gzip (named with a non-zero quality).
fn accepts_gzip(request: &HeaderMap) -> bool {
    accepted(request).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn encodings_follow_accept_encoding_and_its_zero_quality() {
        assert_eq!(
            preferred_encoding(&headers(&[("accept-encoding", "gzip, deflate, br")])),
            Encoding::Br
        );
        assert_eq!(
            preferred_encoding(&headers(&[("accept-encoding", "gzip, br;q=0")])),
            Encoding::Gzip
        );
        assert_eq!(preferred_encoding(&headers(&[])), Encoding::Identity);
    }

    #[test]
    fn a_current_etag_answers_304_and_the_bytes_round_trip() {
        let ready = Ready::new("<p>公报</p>".repeat(100)).unwrap();
        let etag = ready.etag.to_str().unwrap().to_string();
        let mut h = HeaderMap::new();
        h.insert(
            IF_NONE_MATCH,
            HeaderValue::from_str(&format!("W/{etag}")).unwrap(),
        );
        assert_eq!(ready.respond(&h).status(), StatusCode::NOT_MODIFIED);
        let mut plain = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&ready.gzip[..]),
            &mut plain,
        )
        .unwrap();
        assert_eq!(plain.as_bytes(), &ready.plain[..]);
        let mut unbr = Vec::new();
        std::io::Read::read_to_end(
            &mut brotli::Decompressor::new(&ready.br[..], 4096),
            &mut unbr,
        )
        .unwrap();
        assert_eq!(unbr, ready.plain);
    }

    #[test]
    fn a_spliced_gzip_page_inflates_to_head_body_and_tail() {
        let html = "<tr><td>任务</td><td>牵头单位</td></tr>".repeat(3000);
        let body = Body::new("标题".into(), html.clone()).unwrap();
        for (head, tail) in [
            (
                "<html><header>督查室 csrf=abc</header><main>",
                "</main></html>",
            ),
            ("", ""),
            ("<p>", &"尾".repeat(5000)[..]),
        ] {
            let gzip = body.gzip_between(head, tail).unwrap();
            let mut plain = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut plain)
                .unwrap();
            assert!(plain == format!("{head}{html}{tail}"), "round trip");
            assert!(
                gzip.len() < html.len() / 10,
                "the body is really compressed"
            );
        }
    }
}
