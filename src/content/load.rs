//! Reading the content folder: every `.md` file becomes a [`Source`], every other file an asset.
//!
//! Files are read and their front matter parsed in parallel. Problems are collected per file, so
//! one run reports every broken article at once.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::config::Config;
use crate::content::frontmatter::{self, FrontMatter, Split};
use crate::diagnostic::{Diagnostic, LineIndex};

/// One article as read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the content folder, with `/` separators: `compare/routing/django.md`.
    pub rel: String,
    /// Path for messages, relative to the handbook root: `content/compare/routing/django.md`.
    pub file: PathBuf,
    /// The file's text without a byte-order mark.
    pub text: Arc<str>,
    pub front: FrontMatter,
    /// Where the YAML sits in `text`, and its first line.
    pub yaml: Range<usize>,
    pub yaml_line: usize,
    /// Where the Markdown body sits in `text` (after a leading `# Title` taken as the title).
    pub body: Range<usize>,
    /// The title from front matter or the body's opening heading.
    pub title: String,
}

impl Source {
    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// The split view of the file, for locating a front-matter key.
    pub fn split(&self) -> Split<'_> {
        Split {
            yaml: &self.text[self.yaml.clone()],
            yaml_line: self.yaml_line,
            body: self.body(),
            body_line: 0,
        }
    }

    /// A diagnostic pointing at the value of a front-matter key (or the file when it is absent).
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::new(&self.file, message).source(&self.text);
        match frontmatter::locate_key(&self.split(), key) {
            Some((line, column, len)) => d.at(line, column).len(len),
            None => d.at(1, 1),
        }
    }
}

/// Everything found in the content folder.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Arc<Source>>,
    /// Non-Markdown files (images, downloads), relative to the content folder; copied as is.
    pub assets: Vec<String>,
    /// When each article last changed, from git.
    pub git: crate::content::git_dates::GitDates,
}

/// Reads every article under the content folder, in parallel; returns all problems found.
pub fn load(config: &Config) -> Result<Loaded, Vec<Diagnostic>> {
    let (markdown, assets) = walk(&config.content_dir).map_err(|e| {
        vec![Diagnostic::new(
            &config.content_dir,
            format!("cannot read the content folder: {e}"),
        )]
    })?;
    if markdown.is_empty() {
        return Err(vec![Diagnostic::new(
            &config.content_dir,
            "the content folder has no articles (no `.md` file)",
        )
        .help(
            "add Markdown articles there, or start from a working example with `handbook init DIR`",
        )]);
    }
    let results: Vec<Result<Source, Diagnostic>> = markdown
        .par_iter()
        .map(|rel| read_source(config, rel))
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(source) if source.front.draft && !config.drafts => {}
            Ok(source) => sources.push(Arc::new(source)),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(Loaded {
            sources,
            assets,
            git: crate::content::git_dates::read(config),
        })
    } else {
        Err(errors)
    }
}

/// Lists `.md` files and other files under `dir`, sorted, skipping hidden and editor temp files.
pub fn walk(dir: &Path) -> std::io::Result<(Vec<String>, Vec<String>)> {
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    for (rel, _) in files_under(dir)? {
        if rel.ends_with(".md") {
            markdown.push(rel);
        } else {
            assets.push(rel);
        }
    }
    Ok((markdown, assets))
}

/// Every file under `dir`, sorted, as (`/`-separated path relative to `dir`, full path); hidden
/// files and folders and editor temporaries are skipped. Content, themes and `static/` all use it.
///
/// A symlinked file is followed when its target lies inside `dir` itself, and skipped with a
/// warning otherwise, so that a contribution cannot publish a file from elsewhere on the machine
/// that builds it (`book.toml`, a key in the home folder). Symlinked folders are not followed
/// (they could loop), with a warning.
pub fn files_under(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let boundary = dir.canonicalize().ok();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_str().unwrap_or("")));
    let mut files = Vec::new();
    for entry in walker {
        let entry = entry.map_err(std::io::Error::other)?;
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_symlink() {
            match symlink_target(entry.path(), boundary.as_deref()) {
                Ok(()) => {}
                Err(why) => {
                    eprintln!("warning: skipping {}: {why}", entry.path().display());
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        files.push((rel, entry.path().to_path_buf()));
    }
    Ok(files)
}

/// Whether the symlink at `path` may be read: a file inside `boundary`, the walked folder.
fn symlink_target(path: &Path, boundary: Option<&Path>) -> Result<(), String> {
    let target = path
        .canonicalize()
        .map_err(|e| format!("it is a symlink that cannot be followed ({e})"))?;
    if target.is_dir() {
        return Err("it is a symlink to a folder, and symlinked folders are not followed".into());
    }
    match boundary {
        Some(b) if target.starts_with(b) => Ok(()),
        _ => Err(format!(
            "it is a symlink to {}, outside the folder it is in",
            target.display()
        )),
    }
}

/// Hidden files and the temporary files editors leave beside the one being saved.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

/// Reads and parses one article (`rel` relative to the content folder).
pub fn read_source(config: &Config, rel: &str) -> Result<Source, Diagnostic> {
    let path = config.content_dir.join(rel);
    let file = path
        .strip_prefix(&config.root)
        .unwrap_or(&path)
        .to_path_buf();
    let bytes =
        std::fs::read(&path).map_err(|e| Diagnostic::new(&file, format!("cannot read: {e}")))?;
    let text = decode(&file, bytes)?;
    let text: Arc<str> = Arc::from(text);
    let fail = |line: usize, column: usize, message: String, help: Option<String>| {
        Diagnostic::new(&file, message)
            .at(line, column)
            .maybe_help(help)
            .source(&text)
    };
    let split = frontmatter::split(&text).map_err(|e| fail(e.line, e.column, e.message, e.help))?;
    let front =
        frontmatter::parse(&split).map_err(|e| fail(e.line, e.column, e.message, e.help))?;
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml = yaml_start..yaml_start + split.yaml.len();
    let mut body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    let title = match front.title.clone().filter(|t| !t.trim().is_empty()) {
        Some(title) => title,
        None => match opening_heading(split.body) {
            Some((title, consumed)) => {
                body_start += consumed;
                title
            }
            None => {
                let what = if text.trim().is_empty() {
                    "empty article"
                } else {
                    "article has no title"
                };
                return Err(Diagnostic::new(&file, what)
                    .at(1, 1)
                    .help("add `title: ...` to the front matter, or open the body with a heading (`# Title`)")
                    .source(&text));
            }
        },
    };
    Ok(Source {
        rel: rel.to_string(),
        file,
        body: body_start..text.len(),
        text: text.clone(),
        front,
        yaml,
        yaml_line: split.yaml_line,
        title,
    })
}

/// Decodes UTF-8, dropping a byte-order mark; invalid bytes are an error at their line.
fn decode(file: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = LineIndex::new(&prefix).locate(&prefix, valid);
        Diagnostic::new(file, "file is not valid UTF-8")
            .at(line, column)
            .help("save the file as UTF-8")
    })
}

/// A body that opens with a heading (after blank lines): the title and the bytes it takes.
/// Any level counts: a docs tree written for mdBook opens a section's page with `## Title`
/// (mdBook takes titles from SUMMARY.md), and that heading is the page's title here.
fn opening_heading(body: &str) -> Option<(String, usize)> {
    let mut consumed = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            consumed += line.len();
            continue;
        }
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        if !(1..=6).contains(&hashes) {
            return None;
        }
        let title = trimmed[hashes..]
            .strip_prefix([' ', '\t'])?
            .trim()
            .trim_end_matches('#')
            .trim();
        return (!title.is_empty()).then(|| (title.to_string(), consumed + line.len()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_from_heading() {
        assert_eq!(
            opening_heading("\n# Hello #\nrest"),
            Some(("Hello".into(), 11))
        );
        assert_eq!(
            opening_heading("## Section\n"),
            Some(("Section".into(), 11))
        );
        assert_eq!(opening_heading("####### Seven\n"), None);
        assert_eq!(opening_heading("#hashtag\n"), None);
        assert_eq!(opening_heading("text\n# Late\n"), None);
    }

    #[test]
    fn decode_reports_line() {
        let e = decode(Path::new("a.md"), b"ok\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!((e.line, e.column), (2, 5));
        assert_eq!(
            decode(Path::new("a.md"), b"\xEF\xBB\xBFhi".to_vec()).unwrap(),
            "hi"
        );
    }

    #[test]
    fn ignores_editor_files() {
        assert!(is_ignored(".a.md.swp") && is_ignored("a.md~") && is_ignored("4913"));
        assert!(!is_ignored("a.md"));
    }
}
