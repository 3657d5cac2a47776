//! `book.toml`: what a handbook is called and how it is built.
//!
//! Every table denies unknown keys: a typo such as `base_url` for `base-url` must be an error
//! that names the key and its line, never a setting silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Error, LineIndex, Result};
use crate::util::paths::normalize;

pub mod outdir;

pub const CONFIG_FILE: &str = "book.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    book: BookConfig,
    #[serde(default)]
    build: BuildConfig,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    print: PrintConfig,
    #[serde(default)]
    samples: BTreeMap<String, Checker>,
    #[serde(default)]
    compare: CompareConfig,
    #[serde(default)]
    markdown: MarkdownConfig,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BookConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default = "default_language")]
    pub language: String,
    /// `handbook check` warns about pages whose `reviewed` date is older than this many days.
    #[serde(default, rename = "review-max-age-days")]
    pub review_max_age_days: Option<u32>,
    /// mdBook's key: every article links "Edit this page" to this URL, `{path}` replaced by
    /// the source file's path from the handbook's root.
    #[serde(default, rename = "edit-url-template")]
    pub edit_url_template: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BuildConfig {
    pub content_dir: PathBuf,
    pub out_dir: PathBuf,
    pub theme: String,
    pub base_url: String,
    pub site_url: String,
    /// What a broken link or anchor is: an error that stops the build (the default), or a
    /// warning, so that a docs tree brought in from elsewhere can be fixed gradually.
    pub link_check: LinkCheck,
    /// Last-updated dates from `git log` when the handbook is in a repository.
    pub git_dates: bool,
}

/// `[build] link-check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkCheck {
    #[default]
    Error,
    Warn,
}

/// `[markdown]`: the Markdown extensions beyond CommonMark that a handbook may switch.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct MarkdownConfig {
    /// `Term` then `: definition` lines become `<dl>` (as in mdBook, Zola and Hugo).
    pub definition_lists: bool,
    /// `"quotes"` become curly, `--` an en dash, `---` an em dash, `...` an ellipsis.
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            definition_lists: true,
            smart_punctuation: false,
        }
    }
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            content_dir: "content".into(),
            out_dir: "public".into(),
            theme: "default".into(),
            base_url: "/".into(),
            site_url: String::new(),
            link_check: LinkCheck::Error,
            git_dates: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    pub enable: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enable: true }
    }
}

/// `[compare]`: the pages that set two frameworks side by side.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompareConfig {
    /// One "X vs Y" page per pair of frameworks, under `vs/`: `true`, `false`, or absent for
    /// "when there are at most [`AUTO_PAIRS_MAX_FRAMEWORKS`] frameworks".
    pub pairs: Option<bool>,
}

/// Pair pages grow with the square of the frameworks (12 make 66 pages, 100 would make 4,950):
/// without an explicit `[compare] pairs`, they are built up to this many frameworks.
pub const AUTO_PAIRS_MAX_FRAMEWORKS: usize = 12;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrintConfig {
    pub enable: bool,
    pub order: PrintOrder,
}

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig {
            enable: true,
            order: PrintOrder::Dimension,
        }
    }
}

/// A `[samples]` entry: `python = "python3 -m py_compile {file}"`, or a table when the
/// sample file needs a particular extension: `javascript = { command = "node --check {file}",
/// extension = "mjs" }`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Checker {
    Command(String),
    #[serde(rename_all = "kebab-case")]
    Table {
        command: String,
        #[serde(default)]
        extension: Option<String>,
    },
}

impl Checker {
    pub fn command(&self) -> &str {
        match self {
            Checker::Command(c) | Checker::Table { command: c, .. } => c,
        }
    }

    pub fn extension(&self) -> Option<&str> {
        match self {
            Checker::Command(_) => None,
            Checker::Table { extension, .. } => extension.as_deref(),
        }
    }
}

/// How the one-page handbook (`print.html`, `handbook export`) groups the cells of the matrix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrintOrder {
    /// Each dimension followed by its cells in framework order, then the frameworks: the site's
    /// reading order.
    #[default]
    Dimension,
    /// Each framework followed by its cells in dimension order, then the dimensions.
    Framework,
}

fn default_language() -> String {
    "en".into()
}

/// The resolved configuration of one handbook: paths are absolute, `base_url` is normalised.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub book: BookConfig,
    pub content_dir: PathBuf,
    pub out_dir: PathBuf,
    /// Whether `out_dir` came from `--out` or from book.toml, for messages.
    pub out_origin: crate::content::config::outdir::Origin,
    /// Replace an existing output folder even if no build wrote it (`--force`).
    pub force: bool,
    pub theme: String,
    /// Always starts and ends with `/`.
    pub base_url: String,
    /// Absolute URL of the site root without a trailing slash, or empty.
    pub site_url: String,
    pub search: bool,
    pub print: bool,
    /// `[compare] pairs`: build the "X vs Y" pages (`None`: decide by the number of frameworks,
    /// see [`Config::pairs_for`]).
    pub pairs: Option<bool>,
    /// Code language -> how `check --samples` checks blocks of that language.
    pub samples: BTreeMap<String, Checker>,
    /// How print.html groups the cells.
    pub print_order: PrintOrder,
    pub drafts: bool,
    /// `[build] link-check`.
    pub link_check: LinkCheck,
    /// `[build] git-dates`.
    pub git_dates: bool,
    /// Whether rendered bodies are kept in `.handbook-cache/` between builds (`--no-cache`: no).
    pub cache: bool,
    /// `[markdown]`.
    pub markdown: MarkdownConfig,
}

/// What the command line may override.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub out_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    /// `--site-url`: the site's absolute URL, instead of `[build] site-url`.
    pub site_url: Option<String>,
    pub drafts: bool,
    pub force: bool,
    /// `--no-cache`: render every body, read and write nothing in `.handbook-cache/`.
    pub no_cache: bool,
}

impl Config {
    /// The folder where builds keep what they may reuse: `.handbook-cache/` in the handbook's
    /// root, whatever `--no-cache` says (callers check [`Config::cache`]).
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join(".handbook-cache")
    }

    /// Reads `book.toml` in `root`. Every problem is a configuration error (exit status 2).
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let diagnostic = if e.kind() == std::io::ErrorKind::NotFound {
                Diagnostic::new(&path, format!("no {CONFIG_FILE} in {}", root.display())).help(
                    "run the command in a handbook's folder, pass --root DIR, or start a new one with `handbook init DIR`",
                )
            } else {
                Diagnostic::new(&path, format!("cannot read {CONFIG_FILE}: {e}"))
            };
            Error::config(diagnostic)
        })?;
        Config::parse(root, &path, &text, overrides)
    }

    pub fn parse(root: &Path, path: &Path, text: &str, overrides: &Overrides) -> Result<Config> {
        let source: Arc<str> = Arc::from(text);
        let display = Path::new(CONFIG_FILE);
        let _ = path;
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::new(display, toml_message(&e)).source(&source);
            if let Some(span) = e.span() {
                let (line, column) = LineIndex::new(text).locate(text, span.start);
                let len = text[span.clone()]
                    .lines()
                    .next()
                    .map_or(1, |l| l.chars().count());
                d = d.at(line, column).len(len);
            }
            Error::config(d)
        })?;
        let base_url =
            normalize_base_url(overrides.base_url.as_deref().unwrap_or(&raw.build.base_url))
                .map_err(|msg| Error::config(Diagnostic::new(display, msg)))?;
        let site_url = overrides
            .site_url
            .as_deref()
            .unwrap_or(&raw.build.site_url)
            .trim_end_matches('/')
            .to_string();
        if !site_url.is_empty()
            && !site_url.starts_with("http://")
            && !site_url.starts_with("https://")
        {
            return Err(Error::config(
                Diagnostic::new(
                    display,
                    format!("site-url `{site_url}` is not an absolute URL"),
                )
                .help("write it with its scheme, e.g. \"https://user.github.io/handbook/\""),
            ));
        }
        if let Some(template) = &raw.book.edit_url_template {
            let valid = (template.starts_with("https://") || template.starts_with("http://"))
                && template.contains("{path}");
            if !valid {
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with("edit-url-template"))
                    .map_or(0, |n| n + 1);
                return Err(Error::config(
                    Diagnostic::new(display, format!("edit-url-template `{template}` is not an http(s) URL with `{{path}}` in it"))
                        .at(line, 1)
                        .len("edit-url-template".len())
                        .source(&source)
                        .help("e.g. \"https://github.com/owner/repo/edit/main/{path}\": `{path}` becomes the article's path from the handbook's root"),
                ));
            }
        }
        let (out_dir, out_origin) = match &overrides.out_dir {
            Some(dir) => (
                absolute(&std::env::current_dir()?, dir),
                crate::content::config::outdir::Origin::Flag,
            ),
            None => (
                absolute(root, &raw.build.out_dir),
                crate::content::config::outdir::Origin::ConfigKey,
            ),
        };
        let content_dir = absolute(root, &raw.build.content_dir);
        let config = Config {
            root: root.to_path_buf(),
            book: raw.book,
            content_dir,
            out_dir,
            out_origin,
            force: overrides.force,
            theme: raw.build.theme,
            base_url,
            site_url,
            search: raw.search.enable,
            print: raw.print.enable,
            pairs: raw.compare.pairs,
            print_order: raw.print.order,
            samples: raw.samples,
            drafts: overrides.drafts,
            link_check: raw.build.link_check,
            git_dates: raw.build.git_dates,
            cache: !overrides.no_cache,
            markdown: raw.markdown,
        };
        config.check_paths()?;
        Ok(config)
    }

    fn check_paths(&self) -> Result<()> {
        if !self.content_dir.is_dir() {
            return Err(Error::config(
                Diagnostic::new(
                    CONFIG_FILE,
                    format!(
                        "content folder {} does not exist",
                        self.content_dir.display()
                    ),
                )
                .help("create it, or set `content-dir` under [build]"),
            ));
        }
        // The build replaces out-dir wholesale, so it must never be a folder holding sources.
        let themes = self.root.join("themes");
        let static_dir = self.root.join("static");
        crate::content::config::outdir::check_location(
            &self.out_dir,
            self.out_origin,
            &crate::content::config::outdir::Protected {
                root: &self.root,
                content: &self.content_dir,
                themes: &themes,
                static_dir: &static_dir,
            },
        )?;
        Ok(())
    }

    /// Whether a handbook of `frameworks` frameworks gets its "X vs Y" pages.
    pub fn pairs_for(&self, frameworks: usize) -> bool {
        self.pairs
            .unwrap_or(frameworks <= AUTO_PAIRS_MAX_FRAMEWORKS)
    }

    /// `base_url` joined with a site-relative path (no leading slash).
    /// The path is percent-encoded segment by segment (`hash#tag/` -> `hash%23tag/`).
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}{}",
            self.base_url,
            crate::util::url::encode_path(path.trim_start_matches('/'))
        )
    }

    /// "Edit this page" for the article at `rel` (content-relative), when `[book]
    /// edit-url-template` is set: `{path}` becomes the file's path from the handbook's root,
    /// each segment percent-encoded.
    pub fn edit_url(&self, rel: &str) -> Option<String> {
        let template = self.book.edit_url_template.as_deref()?;
        let folder = self
            .content_dir
            .strip_prefix(&self.root)
            .unwrap_or(&self.content_dir)
            .to_string_lossy()
            .replace('\\', "/");
        let path = if folder.is_empty() {
            rel.to_string()
        } else {
            format!("{folder}/{rel}")
        };
        Some(template.replace("{path}", &crate::util::url::encode_path(&path)))
    }

    /// The absolute URL of a site-relative path, when `site-url` is set.
    pub fn permalink(&self, path: &str) -> Option<String> {
        (!self.site_url.is_empty()).then(|| {
            let path = crate::util::url::encode_path(path.trim_start_matches('/'));
            format!("{}/{path}", self.site_url)
        })
    }
}

/// toml's messages carry their own snippet; keep only the first line, the location is ours.
fn toml_message(e: &toml::de::Error) -> String {
    let message = e.message().trim().to_string();
    match message.split_once('\n') {
        Some((first, _)) => first.to_string(),
        None => message,
    }
}

fn normalize_base_url(raw: &str) -> std::result::Result<String, String> {
    let trimmed = raw.trim();
    if trimmed.contains("://") {
        return Err(format!(
            "base-url `{trimmed}` must be a path such as \"/handbook/\"; put the full address in site-url"
        ));
    }
    if trimmed.contains(['?', '#', ' ', '\\']) {
        return Err(format!(
            "base-url `{trimmed}` must be a plain path such as \"/handbook/\""
        ));
    }
    let inner = trimmed.trim_matches('/');
    Ok(if inner.is_empty() {
        "/".into()
    } else {
        format!("/{inner}/")
    })
}

fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    normalize(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        Config::parse(
            dir.path(),
            &dir.path().join(CONFIG_FILE),
            text,
            &Overrides::default(),
        )
    }

    #[test]
    fn defaults() {
        let c = parse("[book]\ntitle = \"T\"\n").unwrap();
        assert_eq!(c.base_url, "/");
        assert!(c.out_dir.ends_with("public"));
        assert!(c.search && c.print);
        assert_eq!(c.book.language, "en");
    }

    #[test]
    fn normalizes_base_url() {
        assert_eq!(normalize_base_url("handbook").unwrap(), "/handbook/");
        assert_eq!(normalize_base_url("/a/b").unwrap(), "/a/b/");
        assert_eq!(normalize_base_url("").unwrap(), "/");
        assert!(normalize_base_url("https://x.io/").is_err());
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse("[book]\ntitle = \"T\"\n\n[build]\nbase_url = \"/x/\"\n").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let d = &err.diagnostics()[0];
        assert_eq!(d.line, 5);
        assert!(d.message.contains("base_url"), "{}", d.message);
    }

    #[test]
    fn wrong_type_is_an_error() {
        let err = parse("[book]\ntitle = 3\n").unwrap_err();
        assert_eq!(err.diagnostics()[0].line, 2);
    }

    #[test]
    fn sample_checkers_take_both_forms() {
        let c = parse("[book]\ntitle = \"T\"\n[samples]\npython = \"python3 -m py_compile {file}\"\njavascript = { command = \"node --check {file}\", extension = \"mjs\" }\n").unwrap();
        assert_eq!(
            c.samples["python"].command(),
            "python3 -m py_compile {file}"
        );
        assert_eq!(c.samples["javascript"].extension(), Some("mjs"));
    }

    #[test]
    fn print_order() {
        let c = parse("[book]\ntitle = \"T\"\n").unwrap();
        assert_eq!(c.print_order, PrintOrder::Dimension);
        let c = parse("[book]\ntitle = \"T\"\n[print]\norder = \"framework\"\n").unwrap();
        assert_eq!(c.print_order, PrintOrder::Framework);
        let err = parse("[book]\ntitle = \"T\"\n[print]\norder = \"alphabet\"\n").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let d = &err.diagnostics()[0];
        assert_eq!(d.line, 4);
        assert!(d.message.contains("framework"), "{}", d.message);
    }

    #[test]
    fn pair_pages_default_to_small_matrices() {
        let auto = parse("[book]\ntitle = \"T\"\n").unwrap();
        assert!(auto.pairs_for(AUTO_PAIRS_MAX_FRAMEWORKS));
        assert!(!auto.pairs_for(AUTO_PAIRS_MAX_FRAMEWORKS + 1));
        let forced = parse("[book]\ntitle = \"T\"\n[compare]\npairs = true\n").unwrap();
        assert!(forced.pairs_for(100));
        let off = parse("[book]\ntitle = \"T\"\n[compare]\npairs = false\n").unwrap();
        assert!(!off.pairs_for(2));
    }

    #[test]
    fn out_dir_may_not_be_root() {
        assert!(parse("[book]\ntitle = \"T\"\n[build]\nout-dir = \".\"\n").is_err());
    }
}
