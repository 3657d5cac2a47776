//! Answering requests: the site under its base-url, from memory.
//!
//! The site is served from the rebuild's [`Site`](crate::build::Site) in memory rather than
//! from a written folder: a rebuild swaps one pointer, so a request sees the old site or the new
//! one, never half of each, and nothing is written on every keystroke. Files the site copies
//! (images, `static/`) are read from the handbook when asked for.
//!
//! A request names a file of the site or nothing: the path is looked up in the site's table of
//! files, never joined to a folder on disk, and anything that tries to step out (`..`, `%2e%2e`,
//! encoded slashes or backslashes, an absolute path) is refused before the lookup.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::{reload, Shared};
use crate::build::FileBytes;
use crate::util::url::decode as percent_decode;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__handbook/ws", get(reload::websocket))
        .route("/__handbook/errors", get(reload::errors))
        .route(reload::SCRIPT_URL, get(reload::script))
        .fallback(file)
        .with_state(shared)
}

/// Why a request path is refused.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// Not under the site's base-url: 404.
    Outside,
    /// Tries to leave the site or hide a separator: 400.
    Unsafe,
}

/// The site file a raw (still percent-encoded) request path names: `base-url` removed,
/// decoded, checked; folders name their `index.html`.
pub fn site_path(raw: &str, base_url: &str) -> Result<String, Refused> {
    let rest = raw.strip_prefix(base_url).ok_or(Refused::Outside)?;
    let lower = rest.to_ascii_lowercase();
    if lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || rest.contains('\\')
    {
        return Err(Refused::Unsafe);
    }
    let decoded = percent_decode(rest);
    if decoded.starts_with('/') || decoded.contains('\\') || decoded.contains('\0') {
        return Err(Refused::Unsafe);
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == ".." || *segment == "." || (segment.is_empty() && i != last) {
            return Err(Refused::Unsafe);
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        Ok(format!("{decoded}index.html"))
    } else {
        Ok(decoded)
    }
}

async fn file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let current = shared.current();
    let base = current.base_url.as_str();
    let raw = uri.path();
    let path = match site_path(raw, base) {
        Ok(path) => path,
        Err(Refused::Outside) if raw == "/" || format!("{raw}/") == base => {
            return redirect(base);
        }
        Err(Refused::Outside) => return not_found(&shared, &current),
        Err(Refused::Unsafe) => return (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
    };
    let Some(site) = current.site.as_ref() else {
        return not_found(&shared, &current);
    };
    // print.html and the search index are made on their first request after a rebuild
    // (seconds on a big handbook): off the async workers.
    let deferred = path == crate::outputs::print::PAGE
        || path.starts_with(&format!("{}/", crate::outputs::search::FOLDER));
    let found = if deferred {
        let current = current.clone();
        let path = path.clone();
        tokio::task::spawn_blocking(move || current.site.as_ref().and_then(|s| s.file(&path)))
            .await
            .unwrap_or(None)
    } else {
        site.file(&path)
    };
    match found {
        Some(bytes) => respond(&shared, StatusCode::OK, &path, bytes, &headers).await,
        None if !raw.ends_with('/')
            && site
                .output
                .files
                .contains_key(&format!("{path}/index.html")) =>
        {
            redirect(&format!("{raw}/"))
        }
        None => not_found(&shared, &current),
    }
}

fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The site's own 404.html with status 404; a bare page while no build has succeeded yet (it
/// still loads the live script, so the overlay shows the errors).
fn not_found(shared: &Shared, current: &super::Current) -> Response {
    let page = current
        .site
        .as_ref()
        .and_then(|site| site.output.get("404.html").map(<[u8]>::to_vec))
        .unwrap_or_else(|| {
            b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>".to_vec()
        });
    let page = if shared.live {
        reload::inject(&page)
    } else {
        page
    };
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        page,
    )
        .into_response()
}

/// One byte range of a `Range` header (`bytes=0-99`, `bytes=100-`, `bytes=-100`) as inclusive
/// offsets into a body of `total` bytes: `Some(Err(()))` when it cannot be satisfied, `None`
/// when the header is not one range of bytes (several ranges, another unit, malformed), which
/// RFC 9110 lets a server answer with the whole body.
fn byte_range(header: &str, total: usize) -> Option<Result<(usize, usize), ()>> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    let range = if first.is_empty() {
        let suffix: usize = last.parse().ok()?;
        if suffix == 0 || total == 0 {
            return Some(Err(()));
        }
        (total.saturating_sub(suffix), total - 1)
    } else {
        let start: usize = first.parse().ok()?;
        let end = if last.is_empty() {
            total.checked_sub(1)
        } else {
            let end: usize = last.parse().ok()?;
            if end < start {
                return None;
            }
            Some(end.min(total.saturating_sub(1)))
        };
        match end {
            Some(end) if start < total => (start, end),
            _ => return Some(Err(())),
        }
    };
    Some(Ok(range))
}

async fn respond(
    shared: &Shared,
    status: StatusCode,
    path: &str,
    bytes: FileBytes,
    headers: &HeaderMap,
) -> Response {
    let bytes: Vec<u8> = match bytes {
        FileBytes::Memory(b) => b.to_vec(),
        FileBytes::Disk(from) => match tokio::fs::read(&from).await {
            Ok(b) => b,
            Err(e) => {
                return (StatusCode::NOT_FOUND, format!("cannot read {path}: {e}\n"))
                    .into_response()
            }
        },
        FileBytes::Failed(message) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, message).into_response();
        }
    };
    let content_type = content_type(path);
    let body = if shared.live && content_type.starts_with("text/html") {
        reload::inject(&bytes)
    } else {
        bytes
    };
    let etag = format!("\"{}\"", &blake3::hash(&body).to_hex()[..20]);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| status == StatusCode::OK && !fresh);
    let total = body.len();
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else if let Some(range) = range {
        match byte_range(range, total) {
            Some(Ok((start, end))) => {
                let mut r = (
                    StatusCode::PARTIAL_CONTENT,
                    Body::from(body[start..=end].to_vec()),
                )
                    .into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{total}")) {
                    r.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                r
            }
            Some(Err(())) => {
                let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{total}")) {
                    r.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return r;
            }
            None => (status, Body::from(body)).into_response(),
        }
    } else {
        (status, Body::from(body)).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Revalidate every time: the ETag makes that cheap, and a reload is never stale.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    response
}

/// The content type of a site file, by its extension: text says it is UTF-8.
pub fn content_type(path: &str) -> &'static str {
    match crate::outputs::files::media_type(path) {
        "text/html" => "text/html; charset=utf-8",
        "text/css" => "text/css; charset=utf-8",
        "text/javascript" => "text/javascript; charset=utf-8",
        "text/plain" => "text/plain; charset=utf-8",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-9", 100), Some(Ok((0, 9))));
        assert_eq!(byte_range("bytes=90-", 100), Some(Ok((90, 99))));
        assert_eq!(byte_range("bytes=-10", 100), Some(Ok((90, 99))));
        assert_eq!(byte_range("bytes=95-200", 100), Some(Ok((95, 99))));
        assert_eq!(byte_range("bytes=100-", 100), Some(Err(())));
        assert_eq!(byte_range("bytes=-0", 100), Some(Err(())));
        assert_eq!(byte_range("bytes=0-1,5-6", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
        assert_eq!(byte_range("bytes=9-3", 100), None);
        assert_eq!(byte_range("bytes=x-", 100), None);
    }

    #[test]
    fn paths_under_the_base_url() {
        assert_eq!(site_path("/h/", "/h/").unwrap(), "index.html");
        assert_eq!(site_path("/h/a/b/", "/h/").unwrap(), "a/b/index.html");
        assert_eq!(site_path("/h/a%20b.png", "/h/").unwrap(), "a b.png");
        assert_eq!(site_path("/x/", "/h/"), Err(Refused::Outside));
    }

    #[test]
    fn refuses_leaving_the_site() {
        for raw in [
            "/h/../etc/passwd",
            "/h/%2e%2e/etc/passwd",
            "/h/a/%2E%2E/%2e%2e/x",
            "/h/..%2fetc",
            "/h/a%2Fb",
            "/h/a%5cb",
            "/h/a\\..\\b",
            "/h//etc/passwd",
            "/h/%2fetc/passwd",
            "/h/a/./b",
            "/h/a%00.html",
        ] {
            assert_eq!(site_path(raw, "/h/"), Err(Refused::Unsafe), "{raw}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/style.0123.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }
}
