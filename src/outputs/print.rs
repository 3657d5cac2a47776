//! The one-page handbook, `print.html`: every article once, in reading order, on one page to
//! print, to save as PDF, or to export as one file (`handbook export`).
//!
//! It is an output of the pipeline, made from the model and the bodies Markdown rendered for the
//! site. Moving many pages onto one needs two things the site's pages do not:
//!
//! - **Unique ids.** Each article gets an anchor (its URL path as a slug, `compare-routing-go`)
//!   and every id in its body is prefixed with `<anchor>--`, as framework pages already do for
//!   the cells they embed.
//! - **In-page links.** Every link to a page of the site (the bodies hold site URLs under
//!   `base-url` by now), with or without `#anchor`, becomes a link to that article's section or
//!   heading on this page: a printed handbook has no other pages. Links to a framework page's
//!   cell sections (`frameworks/go/#routing`) go to the cell's own article. External links stay
//!   and print CSS writes their URL after them.
//!
//! The order is `[print] order` of book.toml: each dimension followed by its cells (the site's
//! reading order), or each framework followed by its cells. Cells are one level below their
//! group in the table of contents, in the headings and so in the PDF outline.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::config::{Config, PrintOrder};
use crate::content::model::{Kind, Model};
use crate::diagnostic::Result;
use crate::markdown::{Rendered, THEME_ID_PREFIX};
use crate::render::Renderer;
use crate::util::html::{self, slugify, Rewrite, Tag, Token};
use crate::util::url;

/// Where the page is written, at the site root.
pub const PAGE: &str = "print.html";
/// The theme template that lays it out.
pub const TEMPLATE: &str = "print.html";

/// One article's place on the page: the page, and its heading level (1 for the introduction,
/// dimensions, frameworks and free articles; 2 for a cell under its group).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub page: usize,
    pub level: u8,
}

/// Every page of the model exactly once: the introduction, then each group (a dimension, or a
/// framework) followed by its cells, then the other axis's declaring pages, then free articles.
pub fn order(model: &Model, order: PrintOrder) -> Vec<Entry> {
    let top = |page| Entry { page, level: 1 };
    let (groups, others) = match order {
        PrintOrder::Dimension => (&model.dimensions, &model.frameworks),
        PrintOrder::Framework => (&model.frameworks, &model.dimensions),
    };
    let mut entries = Vec::with_capacity(model.pages.len());
    entries.extend(model.home.map(top));
    for (group, axis) in groups.iter().enumerate() {
        entries.push(top(axis.page));
        let cells = (0..others.len()).filter_map(|other| match order {
            PrintOrder::Dimension => model.cell(other, group),
            PrintOrder::Framework => model.cell(group, other),
        });
        entries.extend(cells.map(|page| Entry { page, level: 2 }));
    }
    entries.extend(others.iter().map(|axis| top(axis.page)));
    entries.extend(model.articles().map(top));
    entries
}

#[derive(Serialize)]
struct PrintCtx<'a> {
    order: &'static str,
    articles: Vec<ArticleCtx<'a>>,
    toc: Vec<TocItem<'a>>,
    matrix: MatrixCtx<'a>,
    /// The book title as a CSS string literal, for `@page` margin boxes.
    running_title: String,
}

#[derive(Serialize)]
struct ArticleCtx<'a> {
    anchor: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    kind: &'static str,
    level: u8,
    /// The article's URL on the site.
    url: String,
    /// The body: ids prefixed, links in-page, headings shifted below the article's title.
    content: String,
    /// For frameworks and cells: the framework's article; for dimensions and cells: the
    /// dimension's.
    framework: Option<Ref<'a>>,
    dimension: Option<Ref<'a>>,
    /// The front matter of a framework page: `language`, `website`, `extra`.
    language: Option<&'a str>,
    website: Option<&'a str>,
    extra: &'a BTreeMap<String, serde_json::Value>,
}

/// An article of the print page as a link target.
#[derive(Serialize)]
struct Ref<'a> {
    title: &'a str,
    anchor: &'a str,
}

/// The framework x dimension matrix with in-page links, for the introduction.
#[derive(Serialize)]
struct MatrixCtx<'a> {
    frameworks: Vec<Ref<'a>>,
    rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    dimension: Ref<'a>,
    /// One per framework: the cell's article, or null where the cell is not written.
    cells: Vec<Option<Ref<'a>>>,
}

#[derive(Serialize)]
struct TocItem<'a> {
    title: &'a str,
    anchor: &'a str,
    kind: &'static str,
    children: Vec<TocItem<'a>>,
}

/// Renders `print.html` through the theme's `print.html` template, in memory.
pub fn render(
    renderer: &Renderer,
    config: &Config,
    model: &Model,
    rendered: &[&Rendered],
) -> Result<String> {
    let mut page = Vec::new();
    write(renderer, config, model, rendered, None, &mut page)?;
    Ok(String::from_utf8(page).expect("templates and bodies are UTF-8"))
}

/// Renders `print.html` into `out` piece by piece. At 10,000 articles the page is 150 MB: the
/// template is rendered with a marker where each article's body goes, and the bodies are made a
/// few at a time (in parallel) and written between the pieces, so neither the page nor its
/// bodies ever sit in memory whole. A theme whose template does not show each body exactly
/// once, as written, gets the page rendered whole instead, with the same result.
///
/// With `kept`, each article's print version is taken from (and kept in) a pack, so that a
/// build after one article changed rewrites that one, not ten thousand.
pub fn write(
    renderer: &Renderer,
    config: &Config,
    model: &Model,
    rendered: &[&Rendered],
    kept: Option<Kept>,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let linker = Linker::new(config, model, rendered);
    let article = |entry: &Entry| match &kept {
        Some(kept) => kept.article(&linker, entry),
        None => linker.article(entry.page, entry.level - 1),
    };
    let entries = order(model, config.print_order);
    let marker = Marker::new();
    let skeleton = render_page(renderer, config, model, &linker, &entries, |k, _| {
        marker.of(k)
    })?;
    let Some(slots) = marker.find_all(&skeleton, entries.len()) else {
        let whole = render_page(renderer, config, model, &linker, &entries, |_, entry| {
            linker.article(entry.page, entry.level - 1)
        })?;
        return out.write_all(whole.as_bytes()).map_err(write_error);
    };
    // Enough articles per batch to keep every thread busy, few enough to stay small.
    let batch = rayon::current_num_threads() * 16;
    let mut at = 0;
    for (batch_slots, batch_entries) in slots.chunks(batch).zip(entries.chunks(batch)) {
        let bodies: Vec<String> = batch_entries.par_iter().map(article).collect();
        for (slot, body) in batch_slots.iter().zip(bodies) {
            out.write_all(&skeleton.as_bytes()[at..slot.start])
                .and_then(|()| out.write_all(body.as_bytes()))
                .map_err(write_error)?;
            at = slot.end;
        }
    }
    out.write_all(&skeleton.as_bytes()[at..])
        .and_then(|()| out.flush())
        .map_err(write_error)
}

/// Where a build keeps the articles' print versions, and what each page's body was made from.
pub struct Kept<'a> {
    pub pack: &'a crate::util::pack::Pack,
    /// Per page, a hash of everything its body and place in the site come from (the build's
    /// own keys).
    pub pages: &'a [blake3::Hash],
    /// A hash of what an article's links are rewritten against: every page's anchor, kind and
    /// ids. Made by [`Kept::links_key`].
    pub links: blake3::Hash,
}

impl Kept<'_> {
    /// The hash of what [`Linker`] rewrites links against, for [`Kept::links`].
    pub fn links_key(config: &Config, model: &Model, rendered: &[&Rendered]) -> blake3::Hash {
        let mut key = blake3::Hasher::new();
        key.update(config.base_url.as_bytes()).update(&[0]);
        for ((page, anchor), body) in model.pages.iter().zip(anchors(model)).zip(rendered) {
            key.update(page.path.as_bytes())
                .update(&[0])
                .update(anchor.as_bytes())
                .update(&[0])
                .update(kind_name(page.kind).as_bytes());
            let mut ids: Vec<&String> = body.ids.iter().collect();
            ids.sort_unstable();
            for id in ids {
                key.update(id.as_bytes()).update(&[0]);
            }
            key.update(&[1]);
        }
        for (i, _) in model.pages.iter().enumerate() {
            for e in model.embedded(i) {
                key.update(e.slug.as_bytes())
                    .update(&(e.cell as u64).to_le_bytes());
            }
        }
        key.finalize()
    }

    fn article(&self, linker: &Linker, entry: &Entry) -> String {
        let shift = entry.level - 1;
        let mut key = blake3::Hasher::new();
        key.update(self.links.as_bytes())
            .update(self.pages[entry.page].as_bytes())
            .update(&[shift]);
        let key = *key.finalize().as_bytes();
        if let Some(text) = self.pack.get(&key).and_then(|b| String::from_utf8(b).ok()) {
            return text;
        }
        let text = linker.article(entry.page, shift);
        self.pack.put(&key, text.as_bytes());
        text
    }
}

fn write_error(e: std::io::Error) -> crate::diagnostic::Error {
    crate::diagnostic::Error::Io(anyhow::anyhow!("cannot write {PAGE}: {e}"))
}

/// The placeholder of each article's body in the rendered template: an HTML comment no escaped
/// template value can produce, with a per-run nonce so that no article text can either.
struct Marker {
    prefix: String,
}

impl Marker {
    fn new() -> Marker {
        let nonce = blake3::hash(
            format!("{}{:?}", std::process::id(), std::time::SystemTime::now()).as_bytes(),
        );
        Marker {
            prefix: format!("<!--handbook-print-{}-", &nonce.to_hex()[..16]),
        }
    }

    fn of(&self, k: usize) -> String {
        format!("{}{k}-->", self.prefix)
    }

    /// Where each of the `count` markers is, if each appears exactly once and in order.
    fn find_all(&self, skeleton: &str, count: usize) -> Option<Vec<std::ops::Range<usize>>> {
        if skeleton.matches(&self.prefix).count() != count {
            return None;
        }
        let mut slots = Vec::with_capacity(count);
        let mut from = 0;
        for k in 0..count {
            let marker = self.of(k);
            let start = from + skeleton[from..].find(&marker)?;
            from = start + marker.len();
            slots.push(start..from);
        }
        Some(slots)
    }
}

/// The template rendered with `content(k, entry)` as the body of the `k`th article.
fn render_page(
    renderer: &Renderer,
    config: &Config,
    model: &Model,
    linker: &Linker,
    entries: &[Entry],
    content: impl Fn(usize, &Entry) -> String + Sync,
) -> Result<String> {
    let articles: Vec<ArticleCtx> = entries
        .par_iter()
        .enumerate()
        .map(|(k, entry)| {
            let page = &model.pages[entry.page];
            let front = &page.source.front;
            let (framework, dimension) = match page.kind {
                Kind::Framework(f) => (Some(f), None),
                Kind::Dimension(d) => (None, Some(d)),
                Kind::Cell {
                    framework,
                    dimension,
                } => (Some(framework), Some(dimension)),
                _ => (None, None),
            };
            ArticleCtx {
                anchor: &linker.anchors[entry.page],
                title: title(model, entry.page),
                summary: front.summary.as_deref(),
                kind: kind_name(page.kind),
                level: entry.level,
                url: config.url(&page.path),
                content: content(k, entry),
                framework: framework.map(|f| linker.reference(model.frameworks[f].page)),
                dimension: dimension.map(|d| linker.reference(model.dimensions[d].page)),
                language: front.language.as_deref(),
                website: front.website.as_deref(),
                extra: &front.extra,
            }
        })
        .collect();
    let mut toc: Vec<TocItem> = Vec::new();
    for (entry, article) in entries.iter().zip(&articles) {
        let item = TocItem {
            title: article.title,
            anchor: article.anchor,
            kind: article.kind,
            children: Vec::new(),
        };
        match toc.last_mut() {
            Some(parent) if entry.level > 1 => parent.children.push(item),
            _ => toc.push(item),
        }
    }
    let mut context = Context::new();
    context.insert(
        "print",
        &PrintCtx {
            order: match config.print_order {
                PrintOrder::Dimension => "dimension",
                PrintOrder::Framework => "framework",
            },
            articles,
            toc,
            matrix: matrix(model, linker),
            running_title: css_string(&config.book.title),
        },
    );
    renderer.render_template(TEMPLATE, &context)
}

fn matrix<'a>(model: &'a Model, linker: &'a Linker) -> MatrixCtx<'a> {
    MatrixCtx {
        frameworks: model
            .frameworks
            .iter()
            .map(|f| linker.reference(f.page))
            .collect(),
        rows: model
            .dimensions
            .iter()
            .enumerate()
            .map(|(d, dimension)| MatrixRow {
                dimension: linker.reference(dimension.page),
                cells: (0..model.frameworks.len())
                    .map(|f| model.cell(f, d).map(|cell| linker.reference(cell)))
                    .collect(),
            })
            .collect(),
    }
}

/// The home page is the handbook's introduction, whatever its own title.
fn title(model: &Model, page: usize) -> &str {
    match model.pages[page].kind {
        Kind::Home => "Introduction",
        _ => model.pages[page].title(),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Home => "home",
        Kind::Framework(_) => "framework",
        Kind::Dimension(_) => "dimension",
        Kind::Cell { .. } => "cell",
        Kind::Article => "article",
    }
}

/// Where a URL found in an article points once the article is on the print page.
#[derive(Debug, PartialEq)]
enum Target {
    /// An article or a heading of this page: the id to link to.
    InPage(String),
    /// A file of the site that is not a page (an image, a download): its site-relative path,
    /// with any query and fragment.
    SiteFile(String),
    /// External, or outside the site's base-url: left as written.
    Keep,
}

/// Knows every article's anchor and turns site URLs into in-page anchors.
struct Linker<'a> {
    config: &'a Config,
    model: &'a Model,
    rendered: &'a [&'a Rendered],
    /// `anchors[page]`: the id of the page's article on the print page.
    anchors: Vec<String>,
    by_path: HashMap<&'a str, usize>,
}

impl<'a> Linker<'a> {
    fn new(config: &'a Config, model: &'a Model, rendered: &'a [&'a Rendered]) -> Self {
        Linker {
            config,
            model,
            rendered,
            anchors: anchors(model),
            by_path: model
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.path.as_str(), i))
                .collect(),
        }
    }

    fn reference(&self, page: usize) -> Ref<'_> {
        Ref {
            title: title(self.model, page),
            anchor: &self.anchors[page],
        }
    }

    /// The id on the print page of `fragment` (decoded, maybe empty) of page `page`.
    fn anchor(&self, page: usize, fragment: &str) -> String {
        let base = &self.anchors[page];
        if fragment.is_empty() {
            return base.clone();
        }
        if self.rendered[page].ids.contains(fragment) {
            return format!("{base}--{fragment}");
        }
        // The sections a framework or dimension page gives the cells it embeds.
        for crate::content::model::Embedded { slug, cell, .. } in self.model.embedded(page) {
            if fragment == slug {
                return self.anchors[cell].clone();
            }
            if let Some(inner) = fragment
                .strip_prefix(slug)
                .and_then(|rest| rest.strip_prefix("--"))
            {
                return self.anchor(cell, inner);
            }
        }
        // Ids of the page's template (`#hb-compare`): the article is the closest place.
        base.clone()
    }

    /// Classifies `url`, found in the body of page `from`.
    fn target(&self, from: usize, url: &str) -> Target {
        // Relative URLs, as in a writer's raw HTML, are relative to the article's own URL.
        let located = match url::locate(url, &self.config.base_url, &self.model.pages[from].path) {
            url::Location::Fragment(fragment) => {
                return Target::InPage(self.anchor(from, &url::decode(fragment)))
            }
            url::Location::Elsewhere => return Target::Keep,
            url::Location::Site(located) if located.outside_base => return Target::Keep,
            url::Location::Site(located) => located,
        };
        let (site_path, suffix, decoded) = (located.encoded, located.suffix, located.decoded);

        let page_path = decoded.strip_suffix("index.html").unwrap_or(&decoded);
        let page = self.by_path.get(page_path).copied().or_else(|| {
            (!page_path.is_empty() && !page_path.ends_with('/'))
                .then(|| self.by_path.get(format!("{page_path}/").as_str()).copied())
                .flatten()
        });
        match page {
            Some(page) => {
                let fragment = suffix.split_once('#').map_or("", |(_, f)| f);
                Target::InPage(self.anchor(page, &url::decode(fragment)))
            }
            None => Target::SiteFile(format!("{site_path}{suffix}")),
        }
    }

    /// The body of page `page` ready for the print page, its headings `shift` levels lower.
    fn article(&self, page: usize, shift: u8) -> String {
        let base = &self.anchors[page];
        let body = html::rewrite_tags(&self.rendered[page].html, |tag| {
            let renamed = shift > 0 && shift_heading(tag, shift);
            let mut changed = renamed;
            for attribute in &mut tag.attributes {
                let Some(value) = attribute.value() else {
                    continue;
                };
                if let Some(new) = self.attribute(page, base, attribute.name(), value) {
                    if new != value {
                        attribute.set_value(Some(new));
                        changed = true;
                    }
                }
            }
            if changed {
                Rewrite::Update
            } else {
                Rewrite::Keep
            }
        });
        let body = mark_bare_urls(&body);
        if shift == 0 {
            return body;
        }
        (1..=5u8).rev().fold(body, |body, level| {
            let to = (level + shift).min(6);
            body.replace(&format!("</h{level}>"), &format!("</h{to}>"))
        })
    }

    /// The new value of attribute `name` of a tag in page `page`'s body, if it changes.
    fn attribute(&self, page: usize, base: &str, name: &str, value: &str) -> Option<String> {
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "id" => Some(format!("{base}--{value}")),
            // Attributes that hold id references.
            "for" | "headers" | "list" | "form" | "aria-labelledby" | "aria-describedby"
            | "aria-controls" | "aria-owns" | "aria-details" | "aria-flowto" => Some(
                value
                    .split_whitespace()
                    .map(|id| format!("{base}--{id}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "href" | "xlink:href" => match self.target(page, value) {
                Target::InPage(anchor) => Some(format!("#{anchor}")),
                Target::SiteFile(path) => Some(self.config.url(&path)),
                Target::Keep => None,
            },
            "src" | "poster" | "data" => match self.target(page, value) {
                Target::SiteFile(path) => Some(self.config.url(&path)),
                _ => None,
            },
            "srcset" => Some(
                value
                    .split(',')
                    .map(|candidate| {
                        let candidate = candidate.trim();
                        let (url, descriptor) =
                            candidate.split_once(' ').unwrap_or((candidate, ""));
                        match self.target(page, url) {
                            Target::SiteFile(path) => {
                                format!("{} {descriptor}", self.config.url(&path))
                                    .trim_end()
                                    .to_string()
                            }
                            _ => candidate.to_string(),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            // SVG paint servers, clip paths and markers: `fill="url(#gradient)"`.
            _ if value.contains("url(#") => Some(value.replace("url(#", &format!("url(#{base}--"))),
            _ => None,
        }
    }
}

/// Gives `class="url"` to external links whose text is their URL (autolinks), so print CSS
/// does not write the URL a second time after them.
fn mark_bare_urls(html: &str) -> String {
    let tokens: Vec<_> = html::tokens(html).collect();
    let mut bare = std::collections::HashSet::new();
    for window in tokens.windows(3) {
        if let [(Token::Start(a), _), (Token::Text(text), _), (Token::End(end), _)] = window {
            let href = a.get("href").unwrap_or_default();
            if a.is("a")
                && end.eq_ignore_ascii_case("a")
                && href.starts_with("http")
                && html::decode_entities(text) == href
            {
                bare.insert(a.span.start);
            }
        }
    }
    if bare.is_empty() {
        return html.to_string();
    }
    html::rewrite_tags(html, |tag| {
        if bare.contains(&tag.span.start) && tag.get("class").is_none() {
            tag.set("class", "url");
            Rewrite::Update
        } else {
            Rewrite::Keep
        }
    })
}

/// Renames `<h2>` to `<h3>` (with `shift` 1), never past `<h6>`; whether it was a heading.
fn shift_heading(tag: &mut Tag, shift: u8) -> bool {
    let level = match tag.name.as_bytes() {
        [b'h' | b'H', digit @ b'1'..=b'6'] => digit - b'0',
        _ => return false,
    };
    tag.name = format!("h{}", (level + shift).min(6)).into();
    true
}

/// Each page's anchor: its URL path as a slug (`compare-routing-go`), the home page
/// `introduction`; unique, and never a theme id (`hb-`). Slugs never hold `--`, so an anchor
/// never equals a prefixed id.
fn anchors(model: &Model) -> Vec<String> {
    let mut used = HashSet::new();
    model
        .pages
        .iter()
        .map(|page| {
            let mut base = match page.kind {
                Kind::Home => "introduction".to_string(),
                _ => slugify(&page.path),
            };
            if base.is_empty() || base.starts_with(THEME_ID_PREFIX) {
                base = format!("article-{base}").trim_end_matches('-').to_string();
            }
            let mut anchor = base.clone();
            let mut n = 2;
            while !used.insert(anchor.clone()) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            anchor
        })
        .collect()
}

/// `text` as a CSS string literal that is also safe inside a `<style>` element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_are_escaped() {
        assert_eq!(
            css_string("A \"B\" </style>"),
            "\"A \\\"B\\\" \\3c /style\\3e \""
        );
    }

    #[test]
    fn bare_urls_are_marked() {
        assert_eq!(
            mark_bare_urls(
                r#"<a href="https://a.org/">https://a.org/</a> <a href="https://b.org/">B</a>"#
            ),
            r#"<a href="https://a.org/" class="url">https://a.org/</a> <a href="https://b.org/">B</a>"#
        );
    }

    #[test]
    fn headings_shift_but_stop_at_h6() {
        let mut tag = match crate::util::html::tokens("<H2>").next() {
            Some((crate::util::html::Token::Start(tag), _)) => tag,
            _ => panic!("a start tag"),
        };
        assert!(shift_heading(&mut tag, 1));
        assert_eq!(tag.name, "h3");
        tag.name = "h6".into();
        shift_heading(&mut tag, 1);
        assert_eq!(tag.name, "h6");
        tag.name = "header".into();
        assert!(!shift_heading(&mut tag, 1));
    }

    #[test]
    fn markers_are_found_only_when_each_is_there_once_in_order() {
        let marker = Marker::new();
        let page = format!("a{}b{}c", marker.of(0), marker.of(1));
        let slots = marker.find_all(&page, 2).unwrap();
        assert_eq!(&page[..slots[0].start], "a");
        assert_eq!(&page[slots[0].end..slots[1].start], "b");
        assert_eq!(&page[slots[1].end..], "c");
        let twice = format!("{}{}{}", marker.of(0), marker.of(0), marker.of(1));
        assert!(marker.find_all(&twice, 2).is_none());
        let swapped = format!("{}{}", marker.of(1), marker.of(0));
        assert!(marker.find_all(&swapped, 2).is_none());
        assert!(marker.find_all("nothing", 2).is_none());
        assert_ne!(
            Marker::new().prefix,
            Marker::new().prefix,
            "a nonce per run"
        );
    }
}
