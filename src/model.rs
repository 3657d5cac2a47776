//! The handbook as a matrix: frameworks, dimensions, the cells where they meet, and every page's
//! URL.
//!
//! The model is built once from the loaded sources and never changes afterwards; everything
//! downstream (Markdown links, templates, outputs) reads it.

use std::collections::HashMap;

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::{Loaded, Source};

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
    pub source: Source,
    /// Site-relative URL path without a leading slash, ending with `/` (empty for home).
    pub path: String,
    pub kind: Kind,
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
    pub fn build(loaded: Loaded) -> Result<Model, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut sources = loaded.sources;
        sources.sort_by(|a, b| a.rel.cmp(&b.rel));
        let mut pages: Vec<Page> = sources
            .into_iter()
            .map(|source| Page {
                path: url_path(&source),
                kind: Kind::Article,
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

/// Top-level names the build writes itself; a page there would clash with a generated file.
pub const RESERVED_TOP_LEVEL: [&str; 9] = [
    "404.html",
    "print.html",
    "sitemap.xml",
    ".nojekyll",
    "CNAME",
    "search",
    "assets",
    crate::pairs::FOLDER,
    crate::outdir::MARKER,
];

/// A `slug` is one or more plain URL segments: it must never lead out of the output folder.
fn check_slug(source: &Source, errors: &mut Vec<Diagnostic>) {
    let Some(slug) = source.front.slug.as_deref() else {
        return;
    };
    let trimmed = slug.trim();
    let problem = if trimmed.starts_with('/') {
        Some("starts with `/`")
    } else if trimmed.contains('\\') {
        Some("contains a backslash")
    } else if trimmed.chars().any(char::is_control) {
        Some("contains a control character")
    } else if trimmed.split('/').any(|s| s == "..") {
        Some("contains a `..` segment")
    } else if trimmed.split('/').any(|s| s == ".") {
        Some("contains a `.` segment")
    } else if !trimmed.is_empty() && trimmed.split('/').any(str::is_empty) {
        Some("has an empty segment (`//` or a trailing `/`)")
    } else {
        None
    };
    if let Some(problem) = problem {
        let suggestion: Vec<String> = trimmed
            .split(['/', '\\'])
            .map(plain_segment)
            .filter(|s| !s.is_empty())
            .collect();
        let help = if suggestion.is_empty() {
            "a slug is the page's last URL segment, e.g. `slug: routing-in-depth`".to_string()
        } else {
            format!(
                "a slug is made of plain URL segments; did you mean `{}`?",
                suggestion.join("/")
            )
        };
        errors.push(
            source
                .error_at_key("slug", format!("slug `{slug}` {problem}"))
                .help(help),
        );
    }
}

/// `Routing In Depth!` -> `routing-in-depth`: a suggestion for a slug segment.
fn plain_segment(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A page whose URL would be a file or folder the build generates (`search/`, `print.html`...).
fn check_reserved_urls(pages: &[Page], errors: &mut Vec<Diagnostic>) {
    for page in pages {
        let first = page.path.split('/').next().unwrap_or("");
        if let Some(name) = RESERVED_TOP_LEVEL.iter().find(|r| **r == first) {
            errors.push(
                page.source
                    .error_at_key(
                        "slug",
                        format!("the URL `/{}` of this article clashes with `{name}`, which the build generates", page.path),
                    )
                    .help("rename the file or folder, or give the article another `slug`"),
            );
        }
    }
}

fn check_unique_urls(pages: &[Page], errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for page in pages {
        if let Some(first) = seen.insert(&page.path, page) {
            errors.push(
                crate::diagnostic::Diagnostic::new(
                    &page.source.file,
                    format!(
                        "URL `/{}` is already taken by {}",
                        page.path,
                        first.source.file.display()
                    ),
                )
                .at(1, 1)
                .help("rename one of the files, or give one a different `slug`"),
            );
        }
    }
}

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
    match crate::frontmatter::locate_key(&source.split(), key) {
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

/// Keys that belong to one kind of page are almost always a mistake on another.
fn check_front_matter_fits_kind(page: &Page, errors: &mut Vec<Diagnostic>) {
    let front = &page.source.front;
    if !matches!(page.kind, Kind::Framework(_)) {
        for (key, set) in [
            ("language", front.language.is_some()),
            ("website", front.website.is_some()),
            ("facts", !front.facts.is_empty()),
        ] {
            if set {
                errors.push(
                    page.source
                        .error_at_key(key, format!("`{key}` only applies to a page that declares a framework"))
                        .help("declare a framework with `framework:` and no `dimension:`, or move the value under `extra:`"),
                );
            }
        }
    }
    if !matches!(page.kind, Kind::Dimension(_)) && !front.scale.is_empty() {
        errors.push(
            page.source
                .error_at_key("scale", "`scale` only applies to a page that declares a dimension")
                .help("declare the scale once, on the dimension's page (only `dimension:` in its front matter)"),
        );
    }
    if !matches!(page.kind, Kind::Cell { .. }) {
        for (key, set) in [
            ("verdict", front.verdict.is_some()),
            ("level", front.level.is_some()),
        ] {
            if set {
                errors.push(
                    page.source
                        .error_at_key(key, format!("`{key}` only applies to a cell (a page with both `framework:` and `dimension:`)"))
                        .help("give the framework and the dimension this page compares, or remove the key"),
                );
            }
        }
    }
}

/// The longest verdict the matrix shows in a cell without wrapping it into a paragraph.
pub const MAX_VERDICT_CHARS: usize = 40;
/// Level scales are short ordered lists: fewer than two levels says nothing, more than five
/// cannot be told apart at a glance.
pub const SCALE_LEN: std::ops::RangeInclusive<usize> = 2..=5;

/// Scales on dimension pages, then each cell's verdict length and level label.
fn check_verdicts_and_levels(pages: &[Page], dimensions: &[Axis], errors: &mut Vec<Diagnostic>) {
    for dim in dimensions {
        let source = &pages[dim.page].source;
        let scale = &source.front.scale;
        if scale.is_empty() {
            continue;
        }
        if !SCALE_LEN.contains(&scale.len()) {
            errors.push(
                source
                    .error_at_key("scale", format!("a scale has 2 to 5 levels; this one has {}", scale.len()))
                    .help("list the levels lowest first, e.g. `scale: [\"do it yourself\", \"package\", \"built in\"]`"),
            );
        }
        for (i, label) in scale.iter().enumerate() {
            if label.trim().is_empty() {
                errors.push(
                    source
                        .error_at_key("scale", "a scale level has an empty label")
                        .help("give every level a short label"),
                );
            } else if scale[..i].contains(label) {
                errors.push(
                    source
                        .error_at_key("scale", format!("the level `{label}` is listed twice"))
                        .help("every level of a scale needs its own label"),
                );
            }
        }
    }
    for page in pages {
        let Kind::Cell { dimension, .. } = page.kind else {
            continue;
        };
        let front = &page.source.front;
        if let Some(verdict) = &front.verdict {
            let chars = verdict.trim().chars().count();
            if chars == 0 || chars > MAX_VERDICT_CHARS {
                errors.push(
                    page.source
                        .error_at_key("verdict", format!("a verdict is 1 to {MAX_VERDICT_CHARS} characters; this one has {chars}"))
                        .help("say the answer in a phrase (\"decorators + Pipes\") and leave the reasons to the article"),
                );
            }
        }
        let Some(level) = &front.level else { continue };
        let dim = &pages[dimensions[dimension].page];
        let scale = &dim.source.front.scale;
        if scale.is_empty() {
            errors.push(
                page.source
                    .error_at_key(
                        "level",
                        format!(
                            "dimension `{}` has no `scale`, so its cells have no level",
                            dimensions[dimension].slug
                        ),
                    )
                    .help(format!(
                        "add `scale:` to {} or remove `level:`",
                        dim.source.file.display()
                    )),
            );
        } else if !scale.contains(level) {
            let help = match did_you_mean(level, scale.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the levels of `{}` are: {}",
                    dimensions[dimension].slug,
                    scale.join(", ")
                ),
            };
            errors.push(
                page.source
                    .error_at_key("level", format!("unknown level `{level}`"))
                    .help(help),
            );
        }
    }
}

/// A framework's `website` becomes a link on its page: only web and mail addresses.
fn check_website(page: &Page, errors: &mut Vec<Diagnostic>) {
    let Some(website) = &page.source.front.website else {
        return;
    };
    let scheme = crate::url::scheme(website);
    if !matches!(scheme.as_deref(), Some("https" | "http" | "mailto")) {
        errors.push(
            page.source
                .error_at_key(
                    "website",
                    format!("`{website}` is not an https:, http: or mailto: address"),
                )
                .help("write the full address, e.g. `website: https://www.djangoproject.com/`"),
        );
    }
}

/// `reviewed` is a calendar date, `YYYY-MM-DD`, so that it sorts and compares as text.
fn check_reviewed(page: &Page, errors: &mut Vec<Diagnostic>) {
    let Some(date) = &page.source.front.reviewed else {
        return;
    };
    if parse_date(date).is_none() {
        errors.push(
            page.source
                .error_at_key("reviewed", format!("`{date}` is not a date"))
                .help("write the day the page was last checked as YYYY-MM-DD, e.g. `reviewed: 2026-12-05`"),
        );
    }
}

/// `YYYY-MM-DD` -> (year, month, day), for real calendar days only.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &text[r];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then_some((year as i32, month, day))
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::FrontMatter;
    use std::sync::Arc;

    fn source(rel: &str, yaml: &str) -> Source {
        let text = format!("---\n{yaml}\n---\nbody\n");
        let split = crate::frontmatter::split(&text).unwrap();
        let front: FrontMatter = crate::frontmatter::parse(&split).unwrap();
        let yaml_range = 4..4 + yaml.len() + 1;
        Source {
            rel: rel.into(),
            file: format!("content/{rel}").into(),
            title: front.title.clone().unwrap_or_else(|| rel.into()),
            front,
            yaml: yaml_range,
            yaml_line: 2,
            body: text.len() - 5..text.len(),
            text: Arc::from(text),
        }
    }

    fn model(sources: Vec<Source>) -> Result<Model, Vec<Diagnostic>> {
        Model::build(Loaded {
            sources,
            assets: vec![],
        })
    }

    #[test]
    fn urls_mirror_paths() {
        assert_eq!(
            url_path(&source("compare/routing/django.md", "title: x")),
            "compare/routing/django/"
        );
        assert_eq!(url_path(&source("_index.md", "title: x")), "");
        assert_eq!(url_path(&source("guide/index.md", "title: x")), "guide/");
        assert_eq!(url_path(&source("a/b.md", "title: x\nslug: c")), "a/c/");
    }

    #[test]
    fn builds_the_matrix_in_weight_order() {
        let m = model(vec![
            source("f/a.md", "title: A\nframework: a\nweight: 2"),
            source("f/b.md", "title: B\nframework: b\nweight: 1"),
            source("d/x.md", "title: X\ndimension: x"),
            source("c/x/a.md", "title: AX\nframework: a\ndimension: x"),
            source("_index.md", "title: Home"),
        ])
        .unwrap();
        assert_eq!(
            m.frameworks
                .iter()
                .map(|f| f.slug.as_str())
                .collect::<Vec<_>>(),
            ["b", "a"]
        );
        let cell = m.cell(1, 0).unwrap();
        assert_eq!(
            m.pages[cell].kind,
            Kind::Cell {
                framework: 1,
                dimension: 0
            }
        );
        assert_eq!(m.cell(0, 0), None);
        assert_eq!(m.pages[m.home.unwrap()].kind, Kind::Home);
        // home, dimension x, its cell, frameworks b and a
        assert_eq!(m.reading_order.len(), 5);
    }

    #[test]
    fn unknown_slug_suggests() {
        let errors = model(vec![
            source("f/django.md", "title: D\nframework: django"),
            source("d/r.md", "title: R\ndimension: routing"),
            source("c/r/d.md", "title: C\nframework: djang\ndimension: routing"),
        ])
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "unknown framework `djang`");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `django`?"));
        assert_eq!(errors[0].line, 3);
    }

    #[test]
    fn duplicates_are_errors() {
        let errors = model(vec![
            source("f/a.md", "title: A\nframework: a"),
            source("f/a2.md", "title: A2\nframework: a"),
            source("d/x.md", "title: X\ndimension: x"),
            source("c/1.md", "title: 1\nframework: a\ndimension: x"),
            source("c/2.md", "title: 2\nframework: a\ndimension: x"),
        ])
        .unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages.contains(&"framework `a` is declared twice"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"a second cell for framework `a` x dimension `x`"),
            "{messages:?}"
        );
    }

    fn matrix_with(dim_yaml: &str, cell_yaml: &str) -> Result<Model, Vec<Diagnostic>> {
        model(vec![
            source("f/django.md", "title: D\nframework: django"),
            source(
                "d/auth.md",
                &format!("title: Auth\ndimension: auth\n{dim_yaml}"),
            ),
            source(
                "c/auth/django.md",
                &format!("title: C\nframework: django\ndimension: auth\n{cell_yaml}"),
            ),
        ])
    }

    #[test]
    fn verdicts_and_levels_are_optional_and_checked() {
        let scale = "scale: [\"package\", \"built in\"]";
        assert!(matrix_with("", "").is_ok());
        assert!(matrix_with(scale, "verdict: sessions + permissions\nlevel: built in").is_ok());
        let e = matrix_with(scale, "level: builtin").unwrap_err();
        assert_eq!(e[0].message, "unknown level `builtin`");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `built in`?"));
        assert_eq!(e[0].line, 5);
        let e = matrix_with("", "level: built in").unwrap_err();
        assert!(e[0].message.contains("has no `scale`"), "{}", e[0].message);
        let long = "x".repeat(MAX_VERDICT_CHARS + 1);
        let e = matrix_with(scale, &format!("verdict: {long}")).unwrap_err();
        assert!(
            e[0].message.contains("1 to 40 characters"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn scales_have_two_to_five_distinct_levels() {
        let e = matrix_with("scale: [\"only\"]", "").unwrap_err();
        assert!(e[0].message.contains("2 to 5 levels"), "{}", e[0].message);
        let e = matrix_with("scale: [a, b, a]", "").unwrap_err();
        assert_eq!(e[0].message, "the level `a` is listed twice");
        let e = matrix_with("", "scale: [a, b]").unwrap_err();
        assert!(e[0]
            .message
            .contains("only applies to a page that declares a dimension"));
    }

    #[test]
    fn cell_keys_stay_on_cells() {
        let e = model(vec![source(
            "f/a.md",
            "title: A\nframework: a\nverdict: fast",
        )])
        .unwrap_err();
        assert!(e[0].message.starts_with("`verdict` only applies to a cell"));
    }

    #[test]
    fn reviewed_is_a_calendar_date() {
        assert_eq!(parse_date("2026-02-28"), Some((2026, 2, 28)));
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-0x",
            "2026/01/01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        let e = model(vec![source("a.md", "title: A\nreviewed: 2026-02-30")]).unwrap_err();
        assert_eq!(e[0].message, "`2026-02-30` is not a date");
    }
}
