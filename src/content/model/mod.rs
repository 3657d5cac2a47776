//! The handbook as a matrix: frameworks, dimensions, the cells where they meet, and every page's
//! URL.
//!
//! The model is built once from the loaded sources and never changes afterwards; everything
//! downstream (Markdown links, templates, outputs) reads it.

mod checks;

use checks::*;
pub use checks::{is_slug, parse_date, MAX_VERDICT_CHARS, SCALE_LEN};

use std::collections::HashMap;

use crate::content::load::{Loaded, Source};
use crate::diagnostic::{did_you_mean, Diagnostic};

/// What a page is in the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `content/_index.md` (or `index.md`): the home introduction.
    Home,
    /// Declares framework number `n` (an index into [`Model::frameworks`]).
    Framework(usize),
    /// Declares dimension number `n`.
    Dimension(usize),
    /// What a framework does about a dimension.
    Cell { framework: usize, dimension: usize },
    /// Anything else.
    Article,
}

#[derive(Debug)]
pub struct Page {
    /// Shared with `serve`'s incremental engine, which keeps every unchanged article between
    /// rebuilds instead of copying ten thousand of them on every save.
    pub source: std::sync::Arc<Source>,
    /// Site-relative URL path without a leading slash, ending with `/` (empty for home).
    pub path: String,
    pub kind: Kind,
    /// `YYYY-MM-DD` of the last commit that changed the article (see `content::git_dates`).
    pub updated: Option<String>,
}

impl Page {
    pub fn title(&self) -> &str {
        &self.source.title
    }
}

/// A declared framework or dimension: its slug and its declaring page.
#[derive(Debug, Clone)]
pub struct Axis {
    pub slug: String,
    pub page: usize,
}

#[derive(Debug)]
pub struct Model {
    /// Every page, sorted by source path.
    pub pages: Vec<Page>,
    /// Frameworks by weight, then title.
    pub frameworks: Vec<Axis>,
    /// Dimensions by weight, then title.
    pub dimensions: Vec<Axis>,
    /// `cells[f * dimensions.len() + d]`: the page of that cell, if written.
    cells: Vec<Option<usize>>,
    /// Content-relative `.md` path -> page index: the link table.
    by_source: HashMap<String, usize>,
    /// Home first, then each dimension followed by its cells, then frameworks, then the rest.
    pub reading_order: Vec<usize>,
    /// `reading_position[page]`: where the page stands in `reading_order`.
    reading_position: Vec<usize>,
    pub home: Option<usize>,
    /// Non-Markdown files in the content folder, copied to the output.
    pub assets: Vec<String>,
}

impl Model {
    /// Drops every article's text (a build's pages no longer need it once Markdown has
    /// rendered the bodies and every message quoting a line has been made): at 10,000 pages,
    /// tens of megabytes. Front matter, titles and paths stay.
    pub fn release_texts(&mut self) {
        for page in &mut self.pages {
            // A build's model is the only holder: no copy is made.
            let source = std::sync::Arc::make_mut(&mut page.source);
            source.text = std::sync::Arc::from("");
            source.yaml = 0..0;
            source.body = 0..0;
        }
    }

    pub fn build(loaded: Loaded) -> Result<Model, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut sources = loaded.sources;
        sources.sort_by(|a, b| a.rel.cmp(&b.rel));
        let dates = &loaded.git.dates;
        let mut pages: Vec<Page> = sources
            .into_iter()
            .map(|source| Page {
                path: url_path(&source),
                kind: Kind::Article,
                updated: dates.get(&source.rel).cloned(),
                source,
            })
            .collect();
        for page in &pages {
            check_slug(&page.source, &mut errors);
        }
        check_unique_urls(&pages, &mut errors);
        check_reserved_urls(&pages, &mut errors);

        let frameworks = declarations(
            &pages,
            "framework",
            |p| p.source.front.dimension.is_none(),
            &mut errors,
        );
        let dimensions = declarations(
            &pages,
            "dimension",
            |p| p.source.front.framework.is_none(),
            &mut errors,
        );
        for (n, axis) in frameworks.iter().enumerate() {
            pages[axis.page].kind = Kind::Framework(n);
        }
        for (n, axis) in dimensions.iter().enumerate() {
            pages[axis.page].kind = Kind::Dimension(n);
        }
        let mut cells = vec![None; frameworks.len() * dimensions.len()];
        for index in 0..pages.len() {
            let source = &pages[index].source;
            let (Some(fw), Some(dim)) = (&source.front.framework, &source.front.dimension) else {
                continue;
            };
            let f = lookup(source, "framework", fw, &frameworks, &mut errors);
            let d = lookup(source, "dimension", dim, &dimensions, &mut errors);
            let (Some(f), Some(d)) = (f, d) else { continue };
            let slot = &mut cells[f * dimensions.len() + d];
            if let Some(first) = *slot {
                let first: &Page = &pages[first];
                errors.push(
                    source
                        .error_at_key(
                            "framework",
                            format!("a second cell for framework `{fw}` x dimension `{dim}`"),
                        )
                        .help(format!(
                            "{} is that cell already; merge the two articles",
                            first.source.file.display()
                        )),
                );
                continue;
            }
            *slot = Some(index);
            pages[index].kind = Kind::Cell {
                framework: f,
                dimension: d,
            };
        }
        let home = pages
            .iter()
            .position(|p| p.path.is_empty() && p.kind == Kind::Article);
        if let Some(h) = home {
            pages[h].kind = Kind::Home;
        }
        for page in &pages {
            check_front_matter_fits_kind(page, &mut errors);
            check_reviewed(page, &mut errors);
            check_website(page, &mut errors);
        }
        check_verdicts_and_levels(&pages, &dimensions, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let by_source = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.rel.clone(), i))
            .collect();
        let mut model = Model {
            pages,
            frameworks,
            dimensions,
            cells,
            by_source,
            reading_order: Vec::new(),
            reading_position: Vec::new(),
            home,
            assets: {
                let mut assets = loaded.assets;
                assets.sort();
                assets
            },
        };
        model.reading_order = model.compute_reading_order();
        model.reading_position = vec![0; model.pages.len()];
        for (position, &page) in model.reading_order.iter().enumerate() {
            model.reading_position[page] = position;
        }
        Ok(model)
    }

    pub fn cell(&self, framework: usize, dimension: usize) -> Option<usize> {
        self.cells[framework * self.dimensions.len() + dimension]
    }

    /// What page `page` shows of the matrix: a framework page its cell on every dimension, a
    /// dimension page the cell of every framework, in the other axis's order; any other page
    /// nothing. Templates, the print page, the anchor check and the incremental keys all read
    /// it, so a page never shows what its key does not cover.
    pub fn embedded(&self, page: usize) -> Vec<Embedded<'_>> {
        let (framework, dimension) = match self.pages[page].kind {
            Kind::Framework(f) => (Some(f), None),
            Kind::Dimension(d) => (None, Some(d)),
            _ => return Vec::new(),
        };
        let (count, others) = match framework {
            Some(_) => (self.dimensions.len(), &self.dimensions),
            None => (self.frameworks.len(), &self.frameworks),
        };
        (0..count)
            .filter_map(|other| {
                let f = framework.unwrap_or(other);
                let d = dimension.unwrap_or(other);
                Some(Embedded {
                    cell: self.cell(f, d)?,
                    framework: f,
                    dimension: d,
                    axis_page: others[other].page,
                    slug: &others[other].slug,
                })
            })
            .collect()
    }

    /// The page whose source is `rel` (content-relative, `/`-separated).
    pub fn page_by_source(&self, rel: &str) -> Option<usize> {
        self.by_source.get(rel).copied()
    }

    /// Content-relative source paths, for "did you mean" on broken links.
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.pages.iter().map(|p| p.source.rel.as_str())
    }

    fn compute_reading_order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.pages.len());
        order.extend(self.home);
        for (d, dim) in self.dimensions.iter().enumerate() {
            order.push(dim.page);
            order.extend((0..self.frameworks.len()).filter_map(|f| self.cell(f, d)));
        }
        order.extend(self.frameworks.iter().map(|f| f.page));
        let mut rest: Vec<usize> = (0..self.pages.len())
            .filter(|&i| self.pages[i].kind == Kind::Article)
            .collect();
        rest.sort_by(|&a, &b| order_key(&self.pages[a]).cmp(&order_key(&self.pages[b])));
        order.extend(rest);
        order
    }

    /// The pages before and after `page` in reading order.
    pub fn neighbours(&self, page: usize) -> (Option<usize>, Option<usize>) {
        let position = self.reading_position[page];
        let prev = position.checked_sub(1).map(|p| self.reading_order[p]);
        (prev, self.reading_order.get(position + 1).copied())
    }

    /// Whether `rel` (content-relative) is a non-Markdown file of the content folder.
    pub fn has_asset(&self, rel: &str) -> bool {
        self.assets
            .binary_search_by(|a| a.as_str().cmp(rel))
            .is_ok()
    }

    /// The free articles (neither framework nor dimension nor cell), in reading order.
    pub fn articles(&self) -> impl Iterator<Item = usize> + '_ {
        self.reading_order
            .iter()
            .copied()
            .filter(|&i| self.pages[i].kind == Kind::Article)
    }
}

/// A cell as a framework or dimension page shows it (see [`Model::embedded`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Embedded<'a> {
    /// The cell's page.
    pub cell: usize,
    pub framework: usize,
    pub dimension: usize,
    /// The page that declares the other axis.
    pub axis_page: usize,
    /// The other axis's slug: the cell's section id, and the prefix of its ids, on the page.
    pub slug: &'a str,
}

/// Ordering: weight first (pages without one last), then title, then path for stability.
fn order_key(page: &Page) -> (i64, String, &str) {
    (
        page.source.front.weight.unwrap_or(i64::MAX),
        page.source.title.to_lowercase(),
        page.source.rel.as_str(),
    )
}

/// `compare/routing/django.md` -> `compare/routing/django/`; `_index.md` and `index.md` stand
/// for their folder; a `slug` replaces the last segment.
pub fn url_path(source: &Source) -> String {
    let stem = source.rel.trim_end_matches(".md");
    let (dir, name) = match stem.rsplit_once('/') {
        Some((dir, name)) => (dir, name),
        None => ("", stem),
    };
    let is_index = name == "_index" || name == "index";
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    if !is_index {
        segments.push(name);
    }
    if let Some(slug) = source
        .front
        .slug
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match segments.last_mut() {
            Some(last) => *last = slug,
            None => segments.push(slug),
        }
    }
    segments.iter().map(|s| format!("{s}/")).collect()
}

/// The folder of the "Recently updated" page.
pub const UPDATES_FOLDER: &str = "updates";

/// The folder under which the "X vs Y" pages live (see `content::pairs`).
pub const PAIRS_FOLDER: &str = "vs";

/// Top-level names the build writes itself; a page there would clash with a generated file.
pub const RESERVED_TOP_LEVEL: [&str; 12] = [
    "404.html",
    "print.html",
    "sitemap.xml",
    "matrix.json",
    "changes.xml",
    UPDATES_FOLDER,
    ".nojekyll",
    "CNAME",
    "search",
    "assets",
    PAIRS_FOLDER,
    crate::content::config::outdir::MARKER,
];

/// Pages that declare a framework or a dimension, sorted; duplicates are errors.
fn declarations(
    pages: &[Page],
    key: &str,
    declares: impl Fn(&Page) -> bool,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Axis> {
    let mut found: Vec<(usize, &str)> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, page) in pages.iter().enumerate() {
        let front = &page.source.front;
        let slug = if key == "framework" {
            front.framework.as_deref()
        } else {
            front.dimension.as_deref()
        };
        let Some(slug) = slug.filter(|_| declares(page)) else {
            continue;
        };
        if !is_slug(slug) {
            errors.push(
                page.source
                    .error_at_key(key, format!("`{slug}` is not a valid {key} slug"))
                    .help("use lower-case letters, digits and `-`, e.g. `aspnet-core`"),
            );
            continue;
        }
        if let Some(&first) = seen.get(slug) {
            errors.push(
                page.source
                    .error_at_key(key, format!("{key} `{slug}` is declared twice"))
                    .help(format!(
                        "first declared here: {}; a {key} has one declaring page",
                        key_position(&pages[first].source, key)
                    )),
            );
            continue;
        }
        seen.insert(slug, index);
        found.push((index, slug));
    }
    found.sort_by(|a, b| order_key(&pages[a.0]).cmp(&order_key(&pages[b.0])));
    found
        .into_iter()
        .map(|(page, slug)| Axis {
            slug: slug.to_string(),
            page,
        })
        .collect()
}

/// `content/frameworks/go.md:3:12`: where `key` is set in a source, for messages.
fn key_position(source: &Source, key: &str) -> String {
    match crate::content::frontmatter::locate_key(&source.split(), key) {
        Some((line, column, _)) => format!("{}:{line}:{column}", source.file.display()),
        None => source.file.display().to_string(),
    }
}

fn lookup(
    source: &Source,
    key: &str,
    slug: &str,
    axes: &[Axis],
    errors: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let found = axes.iter().position(|a| a.slug == slug);
    if found.is_none() {
        let suggestion = did_you_mean(slug, axes.iter().map(|a| a.slug.as_str()));
        let help = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None if axes.is_empty() => format!("no page declares a {key} yet: add one with only `{key}: {slug}` in its front matter"),
            None => format!(
                "declared {key}s: {}; or add a page that declares `{slug}`",
                axes.iter().map(|a| a.slug.as_str()).collect::<Vec<_>>().join(", ")
            ),
        };
        errors.push(
            source
                .error_at_key(key, format!("unknown {key} `{slug}`"))
                .help(help),
        );
    }
    found
}

#[cfg(test)]
mod tests;
