//! Pages to HTML through the theme's Tera templates.
//!
//! Site-wide values (the book, the navigation, the matrix, asset URLs) go into Tera's global
//! context once; each page's own context holds only that page, so rendering N pages costs O(N),
//! never a copy of every page per page. The contexts are documented in THEMES.md.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::frontmatter::Fact;
use crate::markdown::{self, Rendered, Sample, TocEntry};
use crate::model::{Kind, Model, Page};
use crate::theme::Theme;

/// A link with its text, the unit of navigation in templates.
#[derive(Debug, Clone, Serialize)]
pub struct LinkRef {
    pub title: String,
    pub url: String,
}

/// A framework or dimension as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct AxisRef<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub summary: Option<&'a str>,
    pub language: Option<&'a str>,
    pub website: Option<&'a str>,
    pub facts: &'a BTreeMap<String, Fact>,
    /// Dimensions: the level labels of its cells, lowest first (empty when it has none).
    pub scale: &'a [String],
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    authors: &'a [String],
    language: &'a str,
    base_url: &'a str,
    site_url: &'a str,
    generator_version: &'static str,
    search: bool,
    print: bool,
    /// Whether the "X vs Y" pages are built (`[compare] pairs`).
    pairs: bool,
}

#[derive(Serialize)]
struct NavCtx {
    home: LinkRef,
    frameworks: Vec<LinkRef>,
    dimensions: Vec<LinkRef>,
    articles: Vec<LinkRef>,
}

#[derive(Serialize)]
struct MatrixCell<'a> {
    title: &'a str,
    url: String,
    summary: &'a str,
    /// The summary cut at a word to at most [`PREVIEW_CHARS`] characters: what the matrix
    /// shows on hover and focus (every cell of the home page carries it, so it is kept short;
    /// the whole summary is on the cell's page, one click away).
    preview: String,
    /// Short text for the table cell: the framework's title.
    label: &'a str,
    #[serde(flatten)]
    verdict: VerdictView<'a>,
}

/// The longest summary preview the matrix carries per cell.
const PREVIEW_CHARS: usize = 160;

/// A cell's answer as the matrix and the dimension page's verdict row show it.
#[derive(Serialize)]
struct VerdictView<'a> {
    verdict: Option<&'a str>,
    level: Option<&'a str>,
    /// The level's position in its dimension's scale, 0 for the lowest.
    level_index: Option<usize>,
    /// What the cell shows: the verdict, else a short form of the summary.
    short: String,
    /// The level as filled and empty dots (`●●○`), the cue that does not rely on colour.
    dots: Option<String>,
    /// The level as the share of its scale up to it (`.33`, `.67`, `1`), for the bar and tint.
    tint: Option<String>,
}

impl<'a> VerdictView<'a> {
    fn of(model: &'a Model, cell: &'a Page, dimension: usize) -> VerdictView<'a> {
        let front = &cell.source.front;
        let scale_len = model.pages[model.dimensions[dimension].page]
            .source
            .front
            .scale
            .len();
        let level_index = level_index(model, cell, dimension);
        VerdictView {
            verdict: front.verdict.as_deref(),
            level: front.level.as_deref(),
            level_index,
            short: short_verdict(front.verdict.as_deref(), front.summary.as_deref()),
            dots: level_index.map(|i| dots(i, scale_len)),
            tint: level_index.map(|i| tint(i, scale_len)),
        }
    }
}

/// One level of a dimension's scale, for the legend.
#[derive(Serialize)]
struct LegendEntry<'a> {
    dots: String,
    tint: String,
    label: &'a str,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    dimension: AxisRef<'a>,
    cells: Vec<Option<MatrixCell<'a>>>,
    /// The dimension's scale, lowest first, each level with its dots.
    legend: Vec<LegendEntry<'a>>,
}

#[derive(Serialize)]
struct MatrixCtx<'a> {
    frameworks: Vec<AxisRef<'a>>,
    rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    kind: &'static str,
    title: &'a str,
    summary: Option<&'a str>,
    url: String,
    permalink: Option<String>,
    /// Source path relative to the content folder.
    source: &'a str,
    content: &'a str,
    toc: Vec<TocEntry>,
    tags: &'a [String],
    weight: Option<i64>,
    extra: &'a BTreeMap<String, serde_json::Value>,
    /// Cells: the answer in a phrase, and its level on the dimension's scale.
    verdict: Option<&'a str>,
    level: Option<&'a str>,
    /// When the page's facts were last checked, `YYYY-MM-DD`.
    reviewed: Option<&'a str>,
    /// The same date for readers: `5 December 2026`.
    reviewed_text: Option<String>,
    /// Whether the page shows highlighted code (its own, or a dimension page's tabs): pages
    /// without any skip the highlighting stylesheets.
    has_code: bool,
    framework: Option<AxisRef<'a>>,
    dimension: Option<AxisRef<'a>>,
    breadcrumbs: Vec<LinkRef>,
    prev: Option<LinkRef>,
    next: Option<LinkRef>,
}

/// `●●○`: level `index` (0 = lowest) of a scale of `len` levels.
fn dots(index: usize, len: usize) -> String {
    (0..len)
        .map(|i| if i <= index { '●' } else { '○' })
        .collect()
}

/// How far up the scale level `index` is, as the share of the scale up to and including it,
/// with at most two decimals and no leading zero (`.33`, `.5`, `1`): the lowest level still
/// shows a bar.
fn tint(index: usize, len: usize) -> String {
    let fraction = (index + 1) as f64 / len.max(1) as f64;
    let text = format!("{fraction:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.strip_prefix('0').unwrap_or(text).to_string()
}

fn legend(scale: &[String]) -> Vec<LegendEntry<'_>> {
    scale
        .iter()
        .enumerate()
        .map(|(i, label)| LegendEntry {
            dots: dots(i, scale.len()),
            tint: tint(i, scale.len()),
            label,
        })
        .collect()
}

/// The verdict, or the summary's opening (up to its first colon, semicolon or full stop, at most
/// about forty characters, cut at a word) when a cell has none.
fn short_verdict(verdict: Option<&str>, summary: Option<&str>) -> String {
    if let Some(v) = verdict {
        return v.trim().to_string();
    }
    let summary = summary.unwrap_or("").trim();
    // A clause ends at a colon, semicolon or full stop followed by a space (not `1.22`).
    let end = [": ", "; ", ". "]
        .iter()
        .filter_map(|p| summary.find(p))
        .min()
        .unwrap_or(summary.len());
    let clause = summary[..end].trim_end_matches('.').trim();
    cut_at_word(clause, crate::model::MAX_VERDICT_CHARS)
}

/// `text` if it has at most `max` characters, else its opening words up to `max - 1`
/// characters and `…`.
fn cut_at_word(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short = String::new();
    for word in text.split_whitespace() {
        if short.chars().count() + word.chars().count() + 1 > max - 1 {
            break;
        }
        if !short.is_empty() {
            short.push(' ');
        }
        short.push_str(word);
    }
    short.push('…');
    short
}

/// Where a cell's `level` stands on its dimension's scale (the model has checked it is there).
fn level_index(model: &Model, cell: &Page, dimension: usize) -> Option<usize> {
    let level = cell.source.front.level.as_deref()?;
    let scale = &model.pages[model.dimensions[dimension].page]
        .source
        .front
        .scale;
    scale.iter().position(|l| l == level)
}

/// A cell shown inside a framework or dimension page.
#[derive(Serialize)]
struct EmbeddedCell<'a> {
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    /// The id of the section that holds the cell on this page.
    anchor: String,
    /// The cell's prose: its body without code blocks, ids prefixed by `anchor--`.
    content: String,
    /// How many code blocks were left out of `content` (they are on the cell's own page; a
    /// dimension page shows the first in its tab group).
    samples: usize,
    /// Whether `content` is only the cell's opening (up to its first heading).
    excerpt: bool,
    framework: AxisRef<'a>,
    dimension: AxisRef<'a>,
    #[serde(flatten)]
    verdict: VerdictView<'a>,
}

/// One side of a row of an "X vs Y" page: the cell's answer, summary and first code sample.
#[derive(Serialize)]
struct PairSide<'a> {
    title: &'a str,
    url: String,
    summary: &'a str,
    #[serde(flatten)]
    verdict: VerdictView<'a>,
    sample: Option<&'a str>,
    /// How many code samples the cell's own page has beyond the one shown here.
    more_samples: usize,
}

/// One dimension of an "X vs Y" page; a side is null where the cell is not written.
#[derive(Serialize)]
struct PairRow<'a> {
    dimension: AxisRef<'a>,
    legend: Vec<LegendEntry<'a>>,
    a: Option<PairSide<'a>>,
    b: Option<PairSide<'a>>,
}

/// The `pair` value of `pair.html`.
#[derive(Serialize)]
struct PairCtx<'a> {
    a: AxisRef<'a>,
    b: AxisRef<'a>,
    rows: Vec<PairRow<'a>>,
}

/// How many bytes of highlighted code an "X vs Y" page shows at most: pairs of samples in
/// dimension order while they fit, so that the page stays within the theme's 100 KB budget;
/// the others are one link away, on the cells' pages.
const PAIR_SAMPLE_BYTES: usize = 34_000;

/// One tab of a dimension page's code comparison.
#[derive(Serialize)]
struct TabSample<'a> {
    framework: AxisRef<'a>,
    url: String,
    html: &'a str,
    lang: &'a str,
}

pub struct Renderer<'a> {
    tera: Tera,
    /// A hash of everything every page's output shares: templates, configuration, navigation,
    /// matrix and asset URLs. An incremental rebuild re-renders every page when it changes.
    global_key: blake3::Hash,
    config: &'a Config,
    model: &'a Model,
    rendered: &'a [&'a Rendered],
}

impl<'a> Renderer<'a> {
    pub fn new(
        theme: &Theme,
        config: &'a Config,
        model: &'a Model,
        rendered: &'a [&'a Rendered],
        assets: &BTreeMap<String, String>,
    ) -> Result<Self> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // Functions first: templates are checked against them when added.
        tera.register_function(
            "chart",
            crate::charts::ChartFunction {
                data: Arc::new(chart_data(config, model)),
            },
        );
        // Added together: a template may extend one that sorts after it.
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| {
            Error::config(template_error(
                &format!("themes/{}/templates", config.theme),
                &e,
            ))
        })?;
        for required in [
            "base.html",
            "index.html",
            "page.html",
            "framework.html",
            "dimension.html",
            "404.html",
        ] {
            if !tera.contains_template(required) {
                return Err(Error::config(Diagnostic::new(
                    format!("themes/{}/templates/{required}", config.theme),
                    "the theme has no such template",
                )));
            }
        }
        let mut renderer = Renderer {
            tera,
            global_key: blake3::hash(b""),
            config,
            model,
            rendered,
        };
        let nav = renderer.nav();
        let matrix = renderer.matrix();
        let mut key = blake3::Hasher::new();
        for (name, (_, text)) in &theme.templates {
            key.update(name.as_bytes())
                .update(&[0])
                .update(text.as_bytes());
        }
        key.update(format!("{config:?}").as_bytes());
        for json in [
            serde_json::to_vec(&nav),
            serde_json::to_vec(&matrix),
            serde_json::to_vec(assets),
        ] {
            key.update(&json.expect("template values serialize"));
        }
        renderer.global_key = key.finalize();
        let globals = renderer.tera.global_context();
        globals.insert(
            "site",
            &SiteCtx {
                title: &config.book.title,
                description: &config.book.description,
                authors: &config.book.authors,
                language: &config.book.language,
                base_url: &config.base_url,
                site_url: &config.site_url,
                generator_version: env!("CARGO_PKG_VERSION"),
                search: config.search,
                print: config.print,
                pairs: config.pairs_for(model.frameworks.len()),
            },
        );
        globals.insert("nav", &nav);
        globals.insert("matrix", &matrix);
        globals.insert("assets", assets);
        Ok(renderer)
    }

    fn link(&self, page: usize) -> LinkRef {
        let p = &self.model.pages[page];
        LinkRef {
            title: p.title().to_string(),
            url: self.config.url(&p.path),
        }
    }

    fn axis(&self, page: usize) -> AxisRef<'a> {
        let p: &'a Page = &self.model.pages[page];
        let front = &p.source.front;
        AxisRef {
            slug: front
                .framework
                .as_deref()
                .filter(|_| matches!(p.kind, Kind::Framework(_)))
                .or(front.dimension.as_deref())
                .unwrap_or(""),
            title: p.title(),
            url: self.config.url(&p.path),
            summary: front.summary.as_deref(),
            language: front.language.as_deref(),
            website: front.website.as_deref(),
            facts: &front.facts,
            scale: &front.scale,
        }
    }

    fn nav(&self) -> NavCtx {
        let model = self.model;
        NavCtx {
            home: match model.home {
                Some(h) => LinkRef {
                    title: "Introduction".into(),
                    url: self.config.url(&model.pages[h].path),
                },
                None => LinkRef {
                    title: "Introduction".into(),
                    url: self.config.base_url.clone(),
                },
            },
            frameworks: model.frameworks.iter().map(|f| self.link(f.page)).collect(),
            dimensions: model.dimensions.iter().map(|d| self.link(d.page)).collect(),
            articles: model.articles().map(|a| self.link(a)).collect(),
        }
    }

    fn matrix(&self) -> MatrixCtx<'a> {
        let model = self.model;
        MatrixCtx {
            frameworks: model.frameworks.iter().map(|f| self.axis(f.page)).collect(),
            rows: model
                .dimensions
                .iter()
                .enumerate()
                .map(|(d, dim)| MatrixRow {
                    dimension: self.axis(dim.page),
                    legend: legend(&model.pages[dim.page].source.front.scale),
                    cells: (0..model.frameworks.len())
                        .map(|f| {
                            model.cell(f, d).map(|c| {
                                let page = &model.pages[c];
                                MatrixCell {
                                    title: page.title(),
                                    url: self.config.url(&page.path),
                                    summary: page.source.front.summary.as_deref().unwrap_or(""),
                                    preview: cut_at_word(
                                        page.source.front.summary.as_deref().unwrap_or(""),
                                        PREVIEW_CHARS,
                                    ),
                                    label: model.pages[model.frameworks[f].page].title(),
                                    verdict: VerdictView::of(model, page, d),
                                }
                            })
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// Renders every page in parallel; returns (output path, HTML) sorted by path.
    pub fn render_all(&self) -> Result<Vec<(String, String)>> {
        let results: Vec<std::result::Result<(String, String), Diagnostic>> =
            (0..self.model.pages.len())
                .into_par_iter()
                .map(|i| {
                    let html = self.render_page(i)?;
                    Ok((output_path(&self.model.pages[i].path), html))
                })
                .collect();
        let mut pages = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(p) => pages.push(p),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Content(errors));
        }
        pages.push(("404.html".into(), self.render_404()?));
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(pages)
    }

    /// See the field `global_key`.
    pub fn global_key(&self) -> blake3::Hash {
        self.global_key
    }

    /// Renders page `index` of the model with its template.
    pub fn render_page(&self, index: usize) -> std::result::Result<String, Diagnostic> {
        let model = self.model;
        let page = &model.pages[index];
        let rendered = &self.rendered[index];
        let mut context = Context::new();
        let (template, kind) = match page.kind {
            Kind::Home => ("index.html", "home"),
            Kind::Framework(f) => {
                let cells: Vec<EmbeddedCell> = (0..model.dimensions.len())
                    .filter_map(|d| model.cell(f, d))
                    .map(|c| {
                        self.embedded_cell(
                            c,
                            &model.dimensions[cell_dimension(model, c)].slug,
                            true,
                        )
                    })
                    .collect();
                context.insert("cells", &cells);
                context.insert("pairs", &self.pairs_of(f));
                ("framework.html", "framework")
            }
            Kind::Dimension(d) => {
                let cell_pages: Vec<usize> = (0..model.frameworks.len())
                    .filter_map(|f| model.cell(f, d))
                    .collect();
                let samples: Vec<TabSample> = cell_pages
                    .iter()
                    .filter_map(|&c| {
                        let sample: &Sample = self.rendered[c].samples.first()?;
                        Some(TabSample {
                            framework: self.axis(model.frameworks[cell_framework(model, c)].page),
                            url: self.config.url(&model.pages[c].path),
                            html: &sample.html,
                            lang: &sample.lang,
                        })
                    })
                    .collect();
                let cells: Vec<EmbeddedCell> = cell_pages
                    .iter()
                    .map(|&c| {
                        self.embedded_cell(
                            c,
                            &model.frameworks[cell_framework(model, c)].slug,
                            true,
                        )
                    })
                    .collect();
                context.insert("samples", &samples);
                context.insert("cells", &cells);
                ("dimension.html", "dimension")
            }
            Kind::Cell { .. } => ("page.html", "cell"),
            Kind::Article => ("page.html", "article"),
        };
        context.insert("page", &self.page_context(index, kind, &rendered.html));
        self.tera.render(template, &context).map_err(|e| {
            template_error(
                &format!("template {template} for {}", page.source.file.display()),
                &e,
            )
        })
    }

    /// Links to the "X vs Y" pages of framework `f` with each other framework (none when pairs
    /// are off), for "Compare Django with ...".
    fn pairs_of(&self, f: usize) -> Vec<LinkRef> {
        let model = self.model;
        if !self.config.pairs_for(model.frameworks.len()) {
            return vec![];
        }
        (0..model.frameworks.len())
            .filter(|&g| g != f)
            .map(|g| {
                let (a, b) = (f.min(g), f.max(g));
                LinkRef {
                    title: model.pages[model.frameworks[g].page].title().to_string(),
                    url: self.config.url(&crate::pairs::path(model, a, b)),
                }
            })
            .collect()
    }

    /// Renders the "X vs Y" page of frameworks `a` and `b` with `pair.html`.
    pub fn render_pair(
        &self,
        a: usize,
        b: usize,
        title: &str,
        description: &str,
    ) -> Result<String> {
        let model = self.model;
        let mut budget = PAIR_SAMPLE_BYTES;
        let rows = model
            .dimensions
            .iter()
            .enumerate()
            .map(|(d, dim)| {
                let first = |f: usize| {
                    model
                        .cell(f, d)
                        .and_then(|c| self.rendered[c].samples.first())
                };
                // Samples come in twos or not at all: side by side is the point.
                let shown = match (first(a), first(b)) {
                    (Some(x), Some(y)) if x.html.len() + y.html.len() <= budget => {
                        budget -= x.html.len() + y.html.len();
                        true
                    }
                    _ => false,
                };
                let side = |f: usize| {
                    let c = model.cell(f, d)?;
                    let page: &'a Page = &model.pages[c];
                    let samples = &self.rendered[c].samples;
                    let sample = samples.first().filter(|_| shown);
                    Some(PairSide {
                        title: page.title(),
                        url: self.config.url(&page.path),
                        summary: page.source.front.summary.as_deref().unwrap_or(""),
                        verdict: VerdictView::of(model, page, d),
                        sample: sample.map(|s| s.html.as_str()),
                        more_samples: samples.len() - usize::from(sample.is_some()),
                    })
                };
                PairRow {
                    dimension: self.axis(dim.page),
                    legend: legend(&model.pages[dim.page].source.front.scale),
                    a: side(a),
                    b: side(b),
                }
            })
            .collect();
        let pair = PairCtx {
            a: self.axis(model.frameworks[a].page),
            b: self.axis(model.frameworks[b].page),
            rows,
        };
        let path = crate::pairs::path(model, a, b);
        let empty = BTreeMap::new();
        let toc = model
            .dimensions
            .iter()
            .map(|d| TocEntry {
                level: 2,
                id: d.slug.clone(),
                title: model.pages[d.page].title().to_string(),
            })
            .collect();
        let page = PageCtx {
            kind: "pair",
            title,
            summary: Some(description),
            url: self.config.url(&path),
            permalink: self.config.permalink(&path),
            source: "",
            content: "",
            toc,
            tags: &[],
            weight: None,
            extra: &empty,
            verdict: None,
            level: None,
            reviewed: None,
            reviewed_text: None,
            has_code: true,
            framework: None,
            dimension: None,
            breadcrumbs: vec![LinkRef {
                title: "Home".into(),
                url: self.config.base_url.clone(),
            }],
            prev: None,
            next: None,
        };
        let mut context = Context::new();
        context.insert("page", &page);
        context.insert("pair", &pair);
        self.render_template("pair.html", &context)
    }

    /// Renders another of the theme's templates (such as `print.html`) with `context` on top of
    /// the global context.
    pub fn render_template(&self, template: &str, context: &Context) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|e| Error::Content(vec![template_error(&format!("template {template}"), &e)]))
    }

    pub fn render_404(&self) -> Result<String> {
        let empty = BTreeMap::new();
        let page = PageCtx {
            kind: "404",
            title: "Page not found",
            summary: None,
            url: self.config.url("404.html"),
            permalink: None,
            source: "",
            content: "",
            toc: vec![],
            tags: &[],
            weight: None,
            extra: &empty,
            verdict: None,
            level: None,
            reviewed: None,
            reviewed_text: None,
            has_code: false,
            framework: None,
            dimension: None,
            breadcrumbs: vec![],
            prev: None,
            next: None,
        };
        let mut context = Context::new();
        context.insert("page", &page);
        self.tera
            .render("404.html", &context)
            .map_err(|e| Error::Content(vec![template_error("template 404.html", &e)]))
    }

    /// A cell as shown inside a framework or dimension page: its prose only. Code blocks stay
    /// on the cell's own page (and in the dimension page's tabs), which keeps the pages that
    /// gather twenty or nine cells light enough to load fast on a phone.
    /// With `excerpt`, only the cell's opening is kept (see [`excerpt_end`]): an aggregate page
    /// compares nine or twenty cells, and their openings say what each framework does; the
    /// whole article is one link away. This keeps those pages light on a phone.
    fn embedded_cell(&self, cell: usize, anchor: &str, excerpt: bool) -> EmbeddedCell<'a> {
        let model = self.model;
        let page: &'a Page = &model.pages[cell];
        let rendered = &self.rendered[cell];
        let Kind::Cell {
            framework,
            dimension,
        } = page.kind
        else {
            unreachable!("embedded pages are cells")
        };
        let mut html = rendered.html.clone();
        for sample in &rendered.samples {
            html = html.replacen(&sample.html, "", 1);
        }
        let cut = if excerpt { excerpt_end(&html) } else { None };
        if let Some(at) = cut {
            html.truncate(at);
        }
        EmbeddedCell {
            title: page.title(),
            url: self.config.url(&page.path),
            summary: page.source.front.summary.as_deref(),
            anchor: anchor.to_string(),
            content: markdown::prefix_ids(&html, &format!("{anchor}--")),
            samples: rendered.samples.len(),
            excerpt: cut.is_some(),
            framework: self.axis(model.frameworks[framework].page),
            dimension: self.axis(model.dimensions[dimension].page),
            verdict: VerdictView::of(model, page, dimension),
        }
    }

    fn page_context(&self, index: usize, kind: &'static str, content: &'a str) -> PageCtx<'a> {
        let model = self.model;
        let page: &'a Page = &model.pages[index];
        let front = &page.source.front;
        let (framework, dimension) = match page.kind {
            Kind::Framework(f) => (Some(self.axis(model.frameworks[f].page)), None),
            Kind::Dimension(d) => (None, Some(self.axis(model.dimensions[d].page))),
            Kind::Cell {
                framework,
                dimension,
            } => (
                Some(self.axis(model.frameworks[framework].page)),
                Some(self.axis(model.dimensions[dimension].page)),
            ),
            _ => (None, None),
        };
        let (prev, next) = model.neighbours(index);
        let prev = prev.map(|p| self.link(p));
        let next = next.map(|p| self.link(p));
        PageCtx {
            kind,
            title: page.title(),
            summary: front.summary.as_deref(),
            url: self.config.url(&page.path),
            permalink: self.config.permalink(&page.path),
            source: &page.source.rel,
            content,
            toc: self.toc(index),
            tags: &front.tags,
            weight: front.weight,
            extra: &front.extra,
            verdict: front.verdict.as_deref(),
            level: front.level.as_deref(),
            reviewed: front.reviewed.as_deref(),
            reviewed_text: front.reviewed.as_deref().and_then(crate::review::long_form),
            has_code: self.has_code(index),
            breadcrumbs: self.breadcrumbs(page, dimension.as_ref()),
            framework,
            dimension,
            prev,
            next,
        }
    }

    fn has_code(&self, index: usize) -> bool {
        let model = self.model;
        !self.rendered[index].classes.is_empty()
            || match model.pages[index].kind {
                Kind::Dimension(d) => (0..model.frameworks.len())
                    .filter_map(|f| model.cell(f, d))
                    .any(|c| !self.rendered[c].samples.is_empty()),
                _ => false,
            }
    }

    /// The page's own headings, then (framework and dimension pages) one entry per embedded
    /// cell, so "on this page" covers the whole page.
    fn toc(&self, index: usize) -> Vec<TocEntry> {
        let model = self.model;
        let mut toc = self.rendered[index].toc.clone();
        let sections: Vec<(usize, usize)> = match model.pages[index].kind {
            Kind::Framework(f) => (0..model.dimensions.len())
                .filter_map(|d| model.cell(f, d).map(|_| (model.dimensions[d].page, d)))
                .collect(),
            Kind::Dimension(d) => (0..model.frameworks.len())
                .filter_map(|f| model.cell(f, d).map(|_| (model.frameworks[f].page, f)))
                .collect(),
            _ => return toc,
        };
        for (page, _) in sections {
            let p = &model.pages[page];
            let slug = p
                .source
                .front
                .framework
                .as_deref()
                .filter(|_| matches!(p.kind, Kind::Framework(_)))
                .or(p.source.front.dimension.as_deref())
                .unwrap_or("");
            toc.push(TocEntry {
                level: 2,
                id: slug.to_string(),
                title: p.title().to_string(),
            });
        }
        toc
    }

    fn breadcrumbs(&self, page: &Page, dimension: Option<&AxisRef>) -> Vec<LinkRef> {
        if page.kind == Kind::Home {
            return vec![];
        }
        let mut crumbs = vec![LinkRef {
            title: "Home".into(),
            url: self.config.base_url.clone(),
        }];
        if let (Kind::Cell { .. }, Some(d)) = (page.kind, dimension) {
            crumbs.push(LinkRef {
                title: d.title.to_string(),
                url: d.url.clone(),
            });
        }
        crumbs
    }
}

/// Every framework's facts, for the `chart` template function.
fn chart_data(config: &Config, model: &Model) -> crate::charts::ChartData {
    crate::charts::ChartData {
        frameworks: model
            .frameworks
            .iter()
            .map(|f| {
                let page = &model.pages[f.page];
                (
                    page.title().to_string(),
                    config.url(&page.path),
                    page.source.front.facts.clone(),
                )
            })
            .collect(),
    }
}

/// Where an excerpt of rendered HTML ends: after its second paragraph, or before the first
/// heading that follows a paragraph, whichever comes first; `None` when nothing would be cut.
fn excerpt_end(html: &str) -> Option<usize> {
    // A heading before the first paragraph opens the text; the excerpt keeps it.
    let first_paragraph = html.find("</p>")?;
    let heading = ["<h2", "<h3"]
        .iter()
        .filter_map(|h| html[first_paragraph..].find(h).map(|i| i + first_paragraph))
        .min();
    let second_paragraph = html
        .match_indices("</p>\n")
        .nth(1)
        .map(|(i, m)| i + m.len());
    let end = match (heading, second_paragraph) {
        (Some(h), Some(p)) => h.min(p),
        (h, p) => h.or(p)?,
    };
    (end < html.trim_end().len()).then_some(end)
}

fn cell_framework(model: &Model, page: usize) -> usize {
    match model.pages[page].kind {
        Kind::Cell { framework, .. } => framework,
        _ => unreachable!("only cells have a framework and a dimension"),
    }
}

fn cell_dimension(model: &Model, page: usize) -> usize {
    match model.pages[page].kind {
        Kind::Cell { dimension, .. } => dimension,
        _ => unreachable!("only cells have a framework and a dimension"),
    }
}

/// `compare/routing/django/` -> `compare/routing/django/index.html`.
pub fn output_path(url_path: &str) -> String {
    format!("{url_path}index.html")
}

fn template_error(origin: &str, e: &tera::Error) -> Diagnostic {
    use std::error::Error as _;
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Diagnostic::new(origin, message)
}

#[cfg(test)]
mod tests {
    use super::excerpt_end;

    #[test]
    fn excerpts_stop_at_the_second_paragraph_or_the_first_heading() {
        let html = "<p>a</p>\n<p>b</p>\n<p>c</p>\n";
        assert_eq!(&html[..excerpt_end(html).unwrap()], "<p>a</p>\n<p>b</p>\n");
        let html = "<p>a</p>\n<h2 id=\"x\">X</h2>\n<p>b</p>\n";
        assert_eq!(&html[..excerpt_end(html).unwrap()], "<p>a</p>\n");
        assert_eq!(excerpt_end("<p>a</p>\n<p>b</p>\n"), None, "nothing to cut");
        let html = "<h2 id=\"x\">X</h2>\n<p>a</p>\n<h2 id=\"y\">Y</h2>\n";
        assert_eq!(
            &html[..excerpt_end(html).unwrap()],
            "<h2 id=\"x\">X</h2>\n<p>a</p>\n"
        );
    }
}
