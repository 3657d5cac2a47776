//! URLs of the site: encoding page paths for links, decoding what writers and browsers send.
//!
//! A page's path comes from its file name, which may hold characters that mean something in a
//! URL (`hash#tag.md`, `q?mark.md`, `50%.md`, spaces). Files are written at the plain path; every
//! link to them is percent-encoded, and every URL read back (a link in Markdown, a request to
//! `serve`) is decoded before it is compared with a path. Built on the `percent-encoding` crate.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

/// What a path segment may not hold as is: the URL's own delimiters, `%`, spaces and the
/// characters browsers escape. Non-ASCII characters are always encoded as UTF-8.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// `a b/50%/` -> `a%20b/50%25/`: every segment encoded, the slashes kept.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// `%20` -> ` `. Invalid escapes stay as written and invalid UTF-8 becomes U+FFFD: any input
/// decodes, none panics.
pub fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `https:`, `mailto:`, `tel:`, `//cdn...`: anything with a scheme or a host.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    scheme(dest).is_some()
}

/// The scheme of a URL, lower-cased (`JavaScript:x` -> `javascript`), if it has one. Browsers
/// ignore ASCII tabs and newlines anywhere in a URL and leading spaces and controls, so they are
/// ignored here too: `java\tscript:` is `javascript:`.
pub fn scheme(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Where a URL found in a page of the built site points (see [`locate`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Location<'a> {
    /// `#id` alone: a place on the same page (the id still encoded).
    Fragment(&'a str),
    /// A file or folder of the site.
    Site(SitePath<'a>),
    /// Another site, a `data:` URI, or nothing at all.
    Elsewhere,
}

/// A site path a URL names.
#[derive(Debug, PartialEq, Eq)]
pub struct SitePath<'a> {
    /// Relative to the site root, `.` and `..` resolved, still percent-encoded as written; a
    /// folder ends with `/`, and the site root is empty.
    pub encoded: String,
    /// [`Self::encoded`], decoded: the path of the file as the build wrote it.
    pub decoded: String,
    /// `?query#fragment` as written, or empty.
    pub suffix: &'a str,
    /// The URL was site-absolute (`/x`) but outside `base-url`: it names this path only on a
    /// site served at the root.
    pub outside_base: bool,
}

/// Locates `url`, found in a page whose folder is `from_dir` (site-relative: empty or ending
/// with `/`), on a site served under `base_url`. The one place relative, base-relative and
/// site-absolute URLs of the built site are turned into site paths: the print page and the
/// export both read links and sources through it.
pub fn locate<'a>(url: &'a str, base_url: &str, from_dir: &str) -> Location<'a> {
    if let Some(fragment) = url.strip_prefix('#') {
        return Location::Fragment(fragment);
    }
    if url.is_empty() || is_external(url) {
        return Location::Elsewhere;
    }
    let (raw, suffix) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
    let (joined, outside_base) = if let Some(rest) = raw.strip_prefix(base_url) {
        (rest.to_string(), false)
    } else if let Some(rest) = raw.strip_prefix('/') {
        (rest.to_string(), true)
    } else {
        (format!("{from_dir}{raw}"), false)
    };
    let folder = joined.is_empty() || joined.ends_with('/') || joined.ends_with("/.");
    let mut encoded = crate::util::paths::normalize(std::path::Path::new(&joined))
        .to_string_lossy()
        .replace('\\', "/")
        .trim_start_matches('/')
        .to_string();
    if folder && !encoded.is_empty() {
        encoded.push('/');
    }
    Location::Site(SitePath {
        decoded: decode(&encoded),
        encoded,
        suffix,
        outside_base,
    })
}

/// The file a site path names: a folder's `index.html`.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_segments_and_keeps_slashes() {
        assert_eq!(
            encode_path("compare/routing/django/"),
            "compare/routing/django/"
        );
        assert_eq!(encode_path("hash#tag/"), "hash%23tag/");
        assert_eq!(encode_path("q?mark/50%/a b/"), "q%3Fmark/50%25/a%20b/");
        assert_eq!(encode_path("café/"), "caf%C3%A9/");
        assert_eq!(decode(&encode_path("a b/#?%é/")), "a b/#?%é/");
    }

    #[test]
    fn decoding_never_panics() {
        assert_eq!(decode("a%20b"), "a b");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%aé"), "%aé");
        assert_eq!(decode("%ff"), "\u{fffd}");
        assert_eq!(decode("%"), "%");
    }

    #[test]
    fn schemes() {
        for d in ["https://x.io", "mailto:a@b", "//cdn.x/y.js", "tel:+1"] {
            assert!(is_external(d), "{d}");
        }
        for d in ["a.md", "../a.md", "@/a.md", "/a/b", "a/b:c.md"] {
            assert!(!is_external(d), "{d}");
        }
        assert_eq!(scheme("JavaScript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(scheme("java\tscript:x").as_deref(), Some("javascript"));
        assert_eq!(scheme(" \u{1}vbscript:x").as_deref(), Some("vbscript"));
        assert_eq!(scheme("a.md#x:y"), None);
    }

    #[test]
    fn locates_urls_of_the_site() {
        let site = |url, from| match locate(url, "/hb/", from) {
            Location::Site(p) => (p.decoded, p.suffix.to_string(), p.outside_base),
            other => panic!("{url}: {other:?}"),
        };
        assert_eq!(
            site("/hb/a%20b/?q#x", ""),
            ("a b/".into(), "?q#x".into(), false)
        );
        assert_eq!(
            site("../img/c.png", "guide/intro/"),
            ("guide/img/c.png".into(), "".into(), false)
        );
        assert_eq!(site("../../../x", "a/"), ("x".into(), "".into(), false));
        assert_eq!(site("sub/", "a/"), ("a/sub/".into(), "".into(), false));
        assert_eq!(site("?q", "a/"), ("a/".into(), "?q".into(), false));
        assert_eq!(
            site("/files/z.zip", ""),
            ("files/z.zip".into(), "".into(), true)
        );
        assert_eq!(locate("#top", "/", ""), Location::Fragment("top"));
        assert_eq!(locate("", "/", ""), Location::Elsewhere);
        assert_eq!(locate("https://e.org/", "/", ""), Location::Elsewhere);
        assert_eq!(
            locate("data:image/png;base64,AA", "/", ""),
            Location::Elsewhere
        );
        assert_eq!(file_of("a/"), "a/index.html");
        assert_eq!(file_of(""), "index.html");
        assert_eq!(file_of("a.css"), "a.css");
    }
}
