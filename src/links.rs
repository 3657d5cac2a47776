//! Resolving the links writers put in Markdown to URLs of the built site.
//!
//! Writers link to files (`../routing/django.md`, `@/frameworks/go.md#chi`), so the content
//! reads well on GitHub too; the build turns each into the target's URL under `base-url` and
//! fails on a link to nothing. Anchors are checked later, once every page's headings are known.

use crate::config::{normalize, Config};
use crate::diagnostic::did_you_mean;
use crate::model::Model;

/// Where a link goes.
#[derive(Debug, PartialEq)]
pub enum Resolved {
    /// Leaves the site, or is not ours to check (`https:`, `mailto:`, `//host`): kept as written.
    External,
    /// An article of the handbook, maybe with an anchor to check on it.
    Page {
        page: usize,
        anchor: Option<String>,
        url: String,
    },
    /// A non-Markdown file of the content folder, or a path of the site.
    Asset { url: String },
}

/// Why a link does not resolve, and what might have been meant.
#[derive(Debug, PartialEq)]
pub struct Broken {
    pub message: String,
    pub help: Option<String>,
}

/// Resolves `dest`, written in the article at content-relative path `from`.
pub fn resolve(
    model: &Model,
    config: &Config,
    from: &str,
    from_page: usize,
    dest: &str,
) -> Result<Resolved, Broken> {
    if dest.is_empty() || is_external(dest) {
        return Ok(Resolved::External);
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let anchor = fragment.filter(|f| !f.is_empty()).map(percent_decode);
    if path.is_empty() {
        return Ok(Resolved::Page {
            page: from_page,
            anchor: anchor.clone(),
            url: format!("#{}", fragment.unwrap_or("")),
        });
    }
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let path = percent_decode(path);
    let rel = if let Some(root_relative) = path.strip_prefix("@/") {
        root_relative.to_string()
    } else if let Some(site_path) = path.strip_prefix('/') {
        if !site_path.ends_with(".md") {
            // A path of the site itself: only the base-url is ours to add.
            return Ok(Resolved::Asset {
                url: with_suffix(config.url(site_path), query, fragment),
            });
        }
        site_path.to_string()
    } else {
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = if dir.is_empty() {
            path.clone()
        } else {
            format!("{dir}/{path}")
        };
        if escapes_root(&joined) {
            return Err(Broken {
                message: format!("link `{dest}` leaves the content folder"),
                help: Some("link to an article or a file inside the content folder".into()),
            });
        }
        normalize(std::path::Path::new(&joined))
            .to_string_lossy()
            .replace('\\', "/")
    };
    let folder_index = |dir: &str| {
        let dir = dir.trim_end_matches('/');
        ["_index.md", "index.md"].iter().find_map(|name| {
            model.page_by_source(&if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            })
        })
    };
    let page = if rel.ends_with(".md") {
        model.page_by_source(&rel)
    } else if rel.is_empty()
        || path.ends_with('/')
        || !rel.rsplit('/').next().unwrap_or("").contains('.')
    {
        folder_index(&rel)
    } else {
        None
    };
    if let Some(page) = page {
        let url = config.url(&model.pages[page].path);
        return Ok(Resolved::Page {
            page,
            anchor,
            url: with_suffix(url, query, fragment),
        });
    }
    if !rel.ends_with(".md") && model.has_asset(&rel) {
        return Ok(Resolved::Asset {
            url: with_suffix(config.url(&rel), query, fragment),
        });
    }
    let suggestion = if rel.ends_with(".md") {
        did_you_mean(&rel, model.sources())
            .map(|s| format!("did you mean `{}`?", relative_to(from, s)))
    } else {
        None
    };
    Err(Broken {
        message: format!("broken link `{dest}`: nothing at content/{rel}"),
        help: suggestion.or_else(|| Some("link to an existing `.md` file, relative to this one or as `@/path/from/content.md`".into())),
    })
}

/// What a link resolved to, as a string that names pages by source path rather than by number:
/// equal keys mean the link renders (and fails) exactly the same, even if pages were added or
/// removed elsewhere.
pub fn outcome_key(model: &Model, result: &Result<Resolved, Broken>) -> String {
    match result {
        Ok(Resolved::External) => "external".into(),
        Ok(Resolved::Asset { url }) => format!("asset {url}"),
        Ok(Resolved::Page { page, anchor, url }) => format!(
            "page {} {url} #{}",
            model.pages[*page].source.rel,
            anchor.as_deref().unwrap_or("")
        ),
        Err(broken) => format!(
            "broken {}\n{}",
            broken.message,
            broken.help.as_deref().unwrap_or("")
        ),
    }
}

fn with_suffix(mut url: String, query: Option<&str>, fragment: Option<&str>) -> String {
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// `https:`, `mailto:`, `tel:`, `//cdn...`: anything with a scheme or a host.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !scheme.contains('/')
        }
        None => false,
    }
}

fn escapes_root(path: &str) -> bool {
    let mut depth: i32 = 0;
    for segment in path.split('/') {
        match segment {
            ".." => depth -= 1,
            "." | "" => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// `target` written relative to the folder of `from`, as a writer would type it.
fn relative_to(from: &str, target: &str) -> String {
    let from_dir: Vec<&str> = from
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map_or(vec![], |(_, d)| d.to_vec());
    let target_parts: Vec<&str> = target.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&target_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&target_parts[common..]);
    parts.join("/")
}

/// Decodes `%20`-style escapes (writers escape spaces in link paths).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn externals() {
        for d in ["https://x.io", "mailto:a@b", "//cdn.x/y.js", "tel:+1"] {
            assert!(is_external(d), "{d}");
        }
        for d in ["a.md", "../a.md", "@/a.md", "a.md#x:y", "/a/b"] {
            assert!(!is_external(d), "{d}");
        }
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_to("compare/routing/django.md", "compare/routing/flask.md"),
            "flask.md"
        );
        assert_eq!(
            relative_to("compare/routing/django.md", "frameworks/django.md"),
            "../../frameworks/django.md"
        );
        assert!(escapes_root("a/../../b"));
        assert!(!escapes_root("a/../b"));
    }

    #[test]
    fn decodes() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
