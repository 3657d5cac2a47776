//! Resolving the links writers put in Markdown to URLs of the built site.
//!
//! Writers link to files (`../routing/django.md`, `@/frameworks/go.md#chi`), so the content
//! reads well on GitHub too; the build turns each into the target's URL under `base-url` and
//! fails on a link to nothing. Anchors are checked later, once every page's headings are known.

use crate::content::config::Config;
use crate::content::model::Model;
use crate::diagnostic::did_you_mean;
use crate::util::paths::normalize;
use crate::util::url::{decode as percent_decode, is_external};

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
            return site_absolute(model, config, site_path, query, fragment, anchor, dest);
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
    // `tuples.html`, as mdBook's output names pages: the article is `tuples.md`.
    let as_markdown = rel
        .strip_suffix(".html")
        .map(|stem| format!("{stem}.md"))
        .filter(|md| model.page_by_source(md).is_some());
    let suggestion = if let Some(md) = as_markdown {
        Some(format!(
            "link the article, `{}`: pages here are folders, not .html files",
            relative_to(from, &md)
        ))
    } else if rel.ends_with(".md") {
        did_you_mean(&rel, model.sources())
            .map(|s| format!("did you mean `{}`?", relative_to(from, s)))
    } else {
        None
    };
    let content = config
        .content_dir
        .strip_prefix(&config.root)
        .unwrap_or(&config.content_dir)
        .to_string_lossy()
        .replace('\\', "/");
    Err(Broken {
        message: format!("broken link `{dest}`: nothing at {content}/{rel}"),
        help: suggestion.or_else(|| Some("link to an existing `.md` file, relative to this one or as `@/path/from/content.md`".into())),
    })
}

/// A link to a path of the built site (`/frameworks/go/`, `/print.html`): resolved to the page
/// or content file at that path, or to a file the build generates, under `base-url`; anything
/// else is broken, with the advice to link the article's `.md` file, which survives a change of
/// URL.
fn site_absolute(
    model: &Model,
    config: &Config,
    site_path: &str,
    query: Option<&str>,
    fragment: Option<&str>,
    anchor: Option<String>,
    dest: &str,
) -> Result<Resolved, Broken> {
    let trimmed = site_path.trim_end_matches("index.html");
    let as_folder = if trimmed.is_empty() || trimmed.ends_with('/') {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    };
    if let Some(page) = model.pages.iter().position(|p| p.path == as_folder) {
        return Ok(Resolved::Page {
            page,
            anchor,
            url: with_suffix(config.url(&as_folder), query, fragment),
        });
    }
    let first = site_path.split('/').next().unwrap_or("");
    let generated = crate::content::model::RESERVED_TOP_LEVEL.contains(&first);
    let static_file = config.root.join("static").join(site_path).is_file();
    if model.has_asset(site_path) || generated || static_file {
        return Ok(Resolved::Asset {
            url: with_suffix(config.url(site_path), query, fragment),
        });
    }
    Err(Broken {
        message: format!("broken link `{dest}`: no page or file of the site at /{site_path}"),
        help: Some(
            "link to the article's `.md` file (relative, or `@/path/from/content.md`): the build turns it into the page's URL"
                .into(),
        ),
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

/// The scheme of `dest` if it is one no article may link to: `javascript:` and `vbscript:` run
/// code; `data:` can carry a whole document, so only an image may use it, and only for an
/// image (`data:image/...`).
pub fn forbidden_scheme(dest: &str, is_image: bool) -> Option<String> {
    let scheme = crate::util::url::scheme(dest)?;
    let forbidden = match scheme.as_str() {
        "javascript" | "vbscript" => true,
        "data" => {
            let rest = dest.split_once(':').map_or("", |(_, r)| r).trim_start();
            !(is_image && rest.to_ascii_lowercase().starts_with("image/"))
        }
        _ => false,
    };
    forbidden.then_some(scheme)
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

/// A hash of everything a link resolves against besides the settings: every article's source
/// path and URL, and the content folder's other files. While it (and the settings) are
/// unchanged, an unchanged text's links resolve as before.
pub fn table_key(model: &Model) -> blake3::Hash {
    let mut key = blake3::Hasher::new();
    for page in &model.pages {
        key.update(page.source.rel.as_bytes())
            .update(&[0])
            .update(page.path.as_bytes())
            .update(&[0]);
    }
    key.update(&[1]);
    for asset in &model.assets {
        key.update(asset.as_bytes()).update(&[0]);
    }
    key.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_that_run_code_are_forbidden() {
        for (dest, image) in [
            ("javascript:alert(1)", false),
            ("JAVASCRIPT:alert(1)", false),
            ("java\tscript:alert(1)", false),
            ("vbscript:x", false),
            ("data:text/html,<script>", false),
            ("data:text/html,x", true),
            ("data:image/png;base64,AAAA", false),
        ] {
            assert!(forbidden_scheme(dest, image).is_some(), "{dest:?} {image}");
        }
        for (dest, image) in [
            ("https://x.io", false),
            ("mailto:a@b", false),
            ("data:image/png;base64,AAAA", true),
            ("a.md", false),
        ] {
            assert_eq!(forbidden_scheme(dest, image), None, "{dest:?}");
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
}
