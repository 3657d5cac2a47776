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
}
