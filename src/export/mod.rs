//! `handbook export`: the one-page handbook as one self-contained HTML file, and as PDF.
//!
//! The site is generated in memory as for a build (with `print.html` whatever book.toml says),
//! then `print.html` is made to stand alone: stylesheets become `<style>` elements, and every
//! image, icon and font they or the page use becomes a `data:` URI, so the file opens from disk,
//! mails as one attachment and needs no script. Links to other files of the site (downloads)
//! point at the published site when `site-url` is set, or lose their `href` otherwise. The PDF
//! is that file printed by headless Chromium ([`crate::export::pdf`]).

pub mod pdf;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use base64::Engine as _;

use crate::build;
use crate::content::config::Config;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::outputs::files::{media_type, FileContent, Output};
use crate::outputs::print;
use crate::util::html::{self, Rewrite, Tag};
use crate::util::url;
use crate::write::write_file;

/// The paper the PDF is laid out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    fn css_size(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

impl FromStr for Paper {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" => Ok(Paper::Letter),
            _ => Err(format!("unknown paper `{s}`; use `a4` or `letter`")),
        }
    }
}

/// What `handbook export` was asked to write.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The self-contained HTML file.
    pub html: Option<PathBuf>,
    /// The PDF file.
    pub pdf: Option<PathBuf>,
    /// Paper size: set in the page's CSS; A4 for a PDF unless given.
    pub paper: Option<Paper>,
    /// Chromium, when not found by [`pdf::find_chrome`]'s own search.
    pub chrome: Option<PathBuf>,
}

/// What an export wrote.
#[derive(Debug)]
pub struct Report {
    pub articles: usize,
    /// Files written, with their sizes in bytes.
    pub files: Vec<(PathBuf, u64)>,
    pub elapsed: Duration,
}

/// Generates the handbook and writes the files `options` asks for.
pub fn export(config: &Config, options: &Options) -> Result<Report> {
    let start = Instant::now();
    // Find Chromium first: a missing browser should not cost a whole generation to learn.
    let chrome = match &options.pdf {
        Some(_) => Some(pdf::find_chrome(options.chrome.as_deref())?),
        None => None,
    };
    let mut config = config.clone();
    config.print = true;
    // The exported page stands alone, with no site around it to search: the index would be
    // work for nothing, and the box could not answer.
    config.search = false;
    // The exported page is print.html alone: the "X vs Y" pages would be made for nothing.
    config.pairs = Some(false);
    let generated = build::generate(&config)?;
    let page = generated
        .output
        .get(print::PAGE)
        .context("the site has no print page")?;
    let page = String::from_utf8_lossy(page);
    let paper = options.paper.or(options.pdf.as_ref().map(|_| Paper::A4));
    let document = self_contained(&config, &generated.output, &page, paper)?;

    let mut files = Vec::new();
    if let Some(path) = &options.html {
        write_file(path, document.as_bytes())?;
        files.push((path.clone(), document.len() as u64));
    }
    if let (Some(path), Some(chrome)) = (&options.pdf, chrome) {
        let size = pdf::print_to_pdf(&chrome, &document, path)?;
        files.push((path.clone(), size));
    }
    Ok(Report {
        articles: generated.model.pages.len(),
        files,
        elapsed: start.elapsed(),
    })
}

/// `page` (the site's `print.html`) with every file of the site it uses inside it.
pub fn self_contained(
    config: &Config,
    output: &Output,
    page: &str,
    paper: Option<Paper>,
) -> Result<String> {
    let inliner = Inliner { config, output };
    let mut missing = BTreeSet::new();
    let document = html::rewrite_tags(page, |tag| {
        inliner.tag(tag).unwrap_or_else(|url| {
            missing.insert(url);
            Rewrite::Keep
        })
    });
    // `<style>` elements of the page itself (a writer's raw HTML, the theme's print.html).
    let mut document = html::rewrite_raw_text(&document, "style", |css| {
        inliner.css(css, "").unwrap_or_else(|url| {
            missing.insert(url);
            css.to_string()
        })
    });
    if !missing.is_empty() {
        return Err(Error::Content(
            missing
                .into_iter()
                .map(|url| {
                    Diagnostic::new(
                        print::PAGE,
                        format!("`{url}` is not a file of the built site, so it cannot be embedded in the export"),
                    )
                    .help("check the raw HTML that refers to it in the articles, or the theme's print.html")
                })
                .collect(),
        ));
    }
    if let Some(paper) = paper {
        let style = format!("<style>@page {{ size: {}; }}</style>\n", paper.css_size());
        let head_end = html::tokens(&document).find_map(|(token, span)| match token {
            html::Token::End(name) if name.eq_ignore_ascii_case("head") => Some(span.start),
            _ => None,
        });
        document.insert_str(head_end.unwrap_or(0), &style);
    }
    Ok(document)
}

/// Turns references to files of the built site into the files' contents.
struct Inliner<'a> {
    config: &'a Config,
    output: &'a Output,
}

impl Inliner<'_> {
    /// What to do with one tag of the page; `Err(url)` names a file the site does not have.
    fn tag(&self, tag: &mut Tag) -> std::result::Result<Rewrite, String> {
        if tag.is("link") {
            return self.link(tag);
        }
        let mut changed = false;
        let mut dropped = Vec::new();
        for index in 0..tag.attributes.len() {
            let attribute = &tag.attributes[index];
            let Some(value) = attribute.value() else {
                continue;
            };
            let name = attribute.name().to_ascii_lowercase();
            let new = match name.as_str() {
                "href" | "xlink:href" if tag.is("a") || tag.is("area") => self
                    .site_path(value, "")
                    .map(|_| self.config.permalink(value_path(self.config, value))),
                "href" | "xlink:href" | "src" | "poster" | "data" => {
                    match self.site_path(value, "") {
                        Some(path) => Some(Some(self.data_uri(&path, value)?)),
                        None => None,
                    }
                }
                "srcset" => Some(Some(self.srcset(value)?)),
                "style" if value.contains("url(") => Some(Some(self.css(value, "")?)),
                _ => None,
            };
            match new {
                Some(Some(new)) if new != value => {
                    tag.attributes[index].set_value(Some(new));
                    changed = true;
                }
                Some(None) => {
                    // A link to a site file that has no public address: keep the text only.
                    dropped.push(index);
                    changed = true;
                }
                _ => {}
            }
        }
        for index in dropped.into_iter().rev() {
            tag.attributes.remove(index);
        }
        Ok(if changed {
            Rewrite::Update
        } else {
            Rewrite::Keep
        })
    }

    /// `<link rel=stylesheet>` becomes `<style>`; icons become `data:` URIs; anything else that
    /// would load a file of the site (preloads, alternates) is dropped.
    fn link(&self, tag: &mut Tag) -> std::result::Result<Rewrite, String> {
        let Some(href) = tag.get("href").map(str::to_string) else {
            return Ok(Rewrite::Keep);
        };
        let Some(path) = self.site_path(&href, "") else {
            return Ok(Rewrite::Keep);
        };
        let rel = tag.get("rel").unwrap_or("").to_ascii_lowercase();
        let rels: Vec<&str> = rel.split_whitespace().collect();
        if rels.contains(&"stylesheet") {
            let text = String::from_utf8_lossy(&self.bytes(&path, &href)?).into_owned();
            let css = self.css(&text, &path)?.replace("</style", "<\\/style");
            let media = tag
                .get("media")
                .map(|m| format!(" media=\"{}\"", html::escape_attribute(m)))
                .unwrap_or_default();
            return Ok(Rewrite::Replace(format!("<style{media}>\n{css}</style>")));
        }
        if rels.iter().any(|r| r.contains("icon")) {
            tag.set("href", self.data_uri(&path, &href)?);
            return Ok(Rewrite::Update);
        }
        Ok(Rewrite::Replace(String::new()))
    }

    /// Every `url(...)` of a stylesheet (at site path `css_path`, or "" for the page) that names
    /// a file of the site, as a `data:` URI.
    fn css(&self, css: &str, css_path: &str) -> std::result::Result<String, String> {
        let mut out = String::with_capacity(css.len());
        let mut rest = css;
        while let Some(at) = rest.find("url(") {
            out.push_str(&rest[..at + 4]);
            rest = &rest[at + 4..];
            let inner = rest.trim_start();
            let (quote, body) = match inner.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &inner[1..]),
                _ => (None, inner),
            };
            let end = match quote {
                Some(q) => body.find(q),
                None => body.find(')'),
            };
            let Some(end) = end else { break };
            let url = body[..end].trim();
            let after = &body[end + quote.map_or(0, char::len_utf8)..];
            match self.site_path(url, css_path) {
                Some(path) => {
                    out.push('"');
                    out.push_str(&self.data_uri(&path, url)?);
                    out.push('"');
                }
                None => {
                    out.push_str(&inner[..inner.len() - after.len()]);
                }
            }
            rest = after;
        }
        out.push_str(rest);
        Ok(out)
    }

    fn srcset(&self, value: &str) -> std::result::Result<String, String> {
        let mut candidates = Vec::new();
        for candidate in value.split(',') {
            let candidate = candidate.trim();
            let (url, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
            candidates.push(match self.site_path(url, "") {
                Some(path) => format!("{} {descriptor}", self.data_uri(&path, url)?)
                    .trim_end()
                    .to_string(),
                None => candidate.to_string(),
            });
        }
        Ok(candidates.join(", "))
    }

    /// The output path of the site file `url` refers to, relative to the file at site path
    /// `from` ("" for the page at the site root); `None` for in-page, external and `data:` URLs.
    fn site_path(&self, url: &str, from: &str) -> Option<String> {
        let dir = from
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        match url::locate(url, &self.config.base_url, &dir) {
            url::Location::Site(located) => Some(url::file_of(&located.decoded)),
            url::Location::Fragment(_) | url::Location::Elsewhere => None,
        }
    }

    fn bytes(&self, path: &str, url: &str) -> std::result::Result<Vec<u8>, String> {
        match self.output.files.get(path) {
            Some(FileContent::Bytes(bytes)) => Ok(bytes.to_vec()),
            Some(FileContent::Copy(from)) => std::fs::read(from).map_err(|_| url.to_string()),
            None | Some(FileContent::Written) => Err(url.to_string()),
        }
    }

    fn data_uri(&self, path: &str, url: &str) -> std::result::Result<String, String> {
        let bytes = self.bytes(path, url)?;
        let bytes = if path.ends_with(".css") {
            let css = self.css(&String::from_utf8_lossy(&bytes), path)?;
            css.into_bytes()
        } else {
            bytes
        };
        let fragment = url
            .split_once('#')
            .map_or(String::new(), |(_, f)| format!("#{f}"));
        Ok(format!(
            "data:{};base64,{}{fragment}",
            media_type(path),
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }
}

/// The public address of a site URL: `site-url` joined with the URL's path under `base-url`.
fn value_path<'a>(config: &Config, url: &'a str) -> &'a str {
    url.strip_prefix(config.base_url.as_str())
        .unwrap_or(url.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str, site_url: &str) -> Config {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let text = format!(
            "[book]\ntitle = \"T\"\n[build]\nbase-url = \"{base}\"\nsite-url = \"{site_url}\"\n"
        );
        Config::parse(
            dir.path(),
            &dir.path().join("book.toml"),
            &text,
            &crate::Overrides::default(),
        )
        .unwrap()
    }

    fn output() -> Output {
        let mut output = Output::default();
        output.add(
            "assets/style.css",
            "body{background:url(img/bg.png)} @font-face{src:url('../fonts/f.woff2') format('woff2')} a{background:url(#x)}",
        );
        output.add("assets/img/bg.png", vec![1u8, 2, 3]);
        output.add("fonts/f.woff2", b"wOF2".to_vec());
        output.add("guide/d.svg", "<svg/>");
        output.add("files/a.zip", "zip");
        output
    }

    #[test]
    fn inlines_styles_images_and_fonts() {
        let config = config("/hb/", "https://x.org/hb");
        let page = "<html><head><link rel=\"stylesheet\" href=\"/hb/assets/style.css\" media=\"print\"></head><body><style>i{background:url(/hb/assets/img/bg.png)}</style><img src=\"/hb/guide/d.svg\" srcset=\"/hb/guide/d.svg 2x\"><a href=\"/hb/files/a.zip\">zip</a><a href=\"#in\">in</a><a href=\"https://e.org/\">e</a></body></html>";
        let out = self_contained(&config, &output(), page, Some(Paper::Letter)).unwrap();
        assert!(out.contains("<style media=\"print\">"), "{out}");
        assert!(out.contains("url(\"data:image/png;base64,AQID\")"), "{out}");
        assert!(
            out.contains("url(\"data:font/woff2;base64,d09GMg==\") format('woff2')"),
            "{out}"
        );
        assert!(out.contains("url(#x)"), "{out}");
        assert!(
            out.contains("<style>i{background:url(\"data:image/png;base64,AQID\")}</style>"),
            "{out}"
        );
        assert!(
            out.contains("<img src=\"data:image/svg+xml;base64,"),
            "{out}"
        );
        assert!(
            out.contains("srcset=\"data:image/svg+xml;base64,PHN2Zy8+ 2x\""),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"https://x.org/hb/files/a.zip\">"),
            "{out}"
        );
        assert!(out.contains("<a href=\"#in\">") && out.contains("<a href=\"https://e.org/\">"));
        assert!(
            out.contains("@page { size: letter; }</style>\n</head>"),
            "{out}"
        );
    }

    #[test]
    fn links_to_files_without_a_public_address_keep_their_text() {
        let config = config("/", "");
        let out = self_contained(
            &config,
            &output(),
            "<a href=\"/files/a.zip\" class=c>zip</a>",
            None,
        )
        .unwrap();
        assert_eq!(
            out, "<a class=c>zip</a>",
            "an unchanged attribute stays as written"
        );
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let config = config("/", "");
        let err = self_contained(&config, &output(), "<img src=\"/nope.png\">", None).unwrap_err();
        assert_eq!(err.exit_code(), 1);
        assert!(err.diagnostics()[0].message.contains("/nope.png"));
    }

    #[test]
    fn papers() {
        assert_eq!("A4".parse::<Paper>(), Ok(Paper::A4));
        assert_eq!("letter".parse::<Paper>(), Ok(Paper::Letter));
        assert!("legal".parse::<Paper>().is_err());
    }
}
