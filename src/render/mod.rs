//! Pages to HTML through the theme's Tera templates.
//!
//! Site-wide values (the book, the navigation, the matrix, asset URLs) go into Tera's global
//! context once; each page's own context holds only that page, so rendering N pages costs O(N),
//! never a copy of every page per page. The contexts are documented in THEMES.md.

pub mod charts;
mod context;
mod excerpt;
mod pair;
pub mod theme;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::content::config::Config;
use crate::content::model::{Embedded, Kind, Model, Page};
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::markdown::{Rendered, Sample, TocEntry};
use crate::render::context::*;
use crate::render::excerpt::excerpt_end;
use crate::render::theme::Theme;

pub struct Renderer<'a> {
    /// Shared with the next rebuild of `serve` while the global key is unchanged.
    tera: Arc<Tera>,
    /// A hash of everything every page's output shares: templates, configuration, navigation,
    /// matrix and asset URLs. An incremental rebuild re-renders every page when it changes.
    global_key: blake3::Hash,
    config: &'a Config,
    model: &'a Model,
    rendered: &'a [&'a Rendered],
}

/// The parsed templates with their global context, kept by `serve` from one rebuild to the next
/// with the keys they were made under.
pub struct Kept {
    /// What the global context is made from: the templates, the asset URLs and the model's
    /// shape (`build::keys::shape_key`, which covers the configuration).
    inputs: blake3::Hash,
    global_key: blake3::Hash,
    tera: Arc<Tera>,
}

impl<'a> Renderer<'a> {
    pub fn new(
        theme: &Theme,
        config: &'a Config,
        model: &'a Model,
        rendered: &'a [&'a Rendered],
        assets: &BTreeMap<String, String>,
    ) -> Result<Self> {
        Self::make(theme, config, model, rendered, assets, None)
    }

    /// [`Renderer::new`], taking the parsed templates and their global context from `kept` when
    /// they were made from the same inputs (`shape` is the model's shape key), or under the
    /// same global key, and leaving its own there: `serve` rebuilds on every save, and at
    /// 10,000 pages parsing the templates and filling the global context (the navigation and
    /// the whole matrix: 10,000 URLs made and serialized to be hashed) is most of a rebuild.
    pub fn reusing(
        theme: &Theme,
        config: &'a Config,
        model: &'a Model,
        rendered: &'a [&'a Rendered],
        assets: &BTreeMap<String, String>,
        shape: &blake3::Hash,
        kept: &mut Option<Kept>,
    ) -> Result<Self> {
        let mut inputs = blake3::Hasher::new();
        inputs.update(shape.as_bytes());
        for (name, (_, text)) in &theme.templates {
            inputs
                .update(name.as_bytes())
                .update(&[0])
                .update(text.as_bytes())
                .update(&[0]);
        }
        for (name, url) in assets {
            inputs
                .update(name.as_bytes())
                .update(&[0])
                .update(url.as_bytes())
                .update(&[0]);
        }
        let inputs = inputs.finalize();
        if let Some(kept) = kept.as_ref().filter(|k| k.inputs == inputs) {
            return Ok(Renderer {
                tera: kept.tera.clone(),
                global_key: kept.global_key,
                config,
                model,
                rendered,
            });
        }
        let renderer = Self::make(theme, config, model, rendered, assets, kept.as_ref())?;
        *kept = Some(Kept {
            inputs,
            global_key: renderer.global_key,
            tera: renderer.tera.clone(),
        });
        Ok(renderer)
    }

    /// The renderer, its global context made from the model, or taken from `kept` when made
    /// under the same global key.
    fn make(
        theme: &Theme,
        config: &'a Config,
        model: &'a Model,
        rendered: &'a [&'a Rendered],
        assets: &BTreeMap<String, String>,
        kept: Option<&Kept>,
    ) -> Result<Self> {
        let charts = chart_data(config, model);
        // Pages that draw a chart show every framework's facts: they are part of the global key.
        let charts_key = blake3::hash(format!("{charts:?}").as_bytes());
        let mut renderer = Renderer {
            tera: Arc::new(Tera::new()),
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
        key.update(charts_key.as_bytes());
        for json in [
            serde_json::to_vec(&nav),
            serde_json::to_vec(&matrix),
            serde_json::to_vec(assets),
        ] {
            key.update(&json.expect("template values serialize"));
        }
        renderer.global_key = key.finalize();
        if let Some(kept) = kept.filter(|k| k.global_key == renderer.global_key) {
            renderer.tera = kept.tera.clone();
            return Ok(renderer);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // Functions first: templates are checked against them when added.
        tera.register_function(
            "chart",
            crate::render::charts::ChartFunction {
                data: Arc::new(charts),
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
        let globals = tera.global_context();
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
        renderer.tera = Arc::new(tera);
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

    /// Renders every page (and 404.html) in parallel and hands each to `write` as soon as it is
    /// made, so that no more pages sit in memory than there are threads; returns the paths.
    pub fn render_each(&self, write: impl Fn(&str, &str) + Sync) -> Result<Vec<String>> {
        let results: Vec<std::result::Result<String, Diagnostic>> = (0..self.model.pages.len())
            .into_par_iter()
            .map(|i| {
                let html = self.render_page(i)?;
                let path = output_path(&self.model.pages[i].path);
                write(&path, &html);
                Ok(path)
            })
            .collect();
        let mut paths = crate::diagnostic::all_or_errors(results)?;
        write("404.html", &self.render_404()?);
        paths.push("404.html".into());
        Ok(paths)
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
        let mut pages = crate::diagnostic::all_or_errors(results)?;
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
                let cells: Vec<EmbeddedCell> = model
                    .embedded(index)
                    .iter()
                    .map(|e| self.embedded_cell(e, true))
                    .collect();
                context.insert("cells", &cells);
                context.insert("pairs", &self.pairs_of(f));
                ("framework.html", "framework")
            }
            Kind::Dimension(_) => {
                let embedded = model.embedded(index);
                let samples: Vec<TabSample> = embedded
                    .iter()
                    .filter_map(|e| {
                        let sample: &Sample = self.rendered[e.cell].samples.first()?;
                        Some(TabSample {
                            framework: self.axis(e.axis_page),
                            url: self.config.url(&model.pages[e.cell].path),
                            html: self.rendered[e.cell].sample_html(sample),
                            lang: &sample.lang,
                        })
                    })
                    .collect();
                let cells: Vec<EmbeddedCell> = embedded
                    .iter()
                    .map(|e| self.embedded_cell(e, true))
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

    /// Renders another of the theme's templates (such as `print.html`) with `context` on top of
    /// the global context.
    pub fn render_template(&self, template: &str, context: &Context) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|e| Error::Content(vec![template_error(&format!("template {template}"), &e)]))
    }

    pub fn render_404(&self) -> Result<String> {
        self.render_generated("404.html", "404", "Page not found", None, "404.html", "")
    }

    /// Renders a page the build makes itself (no article behind it) with `template`: the
    /// 404 page, "Recently updated".
    pub fn render_generated(
        &self,
        template: &str,
        kind: &'static str,
        title: &str,
        summary: Option<&str>,
        path: &str,
        content: &str,
    ) -> Result<String> {
        let empty = BTreeMap::new();
        let page = self.generated_page(kind, title, summary, path, content, &empty);
        let mut context = Context::new();
        context.insert("page", &page);
        self.tera
            .render(template, &context)
            .map_err(|e| Error::Content(vec![template_error(&format!("template {template}"), &e)]))
    }

    /// The context of a page with no article behind it (404, "Recently updated", a pair page):
    /// no dates, no axes, no neighbours; a breadcrumb home unless it is the 404 page.
    pub(super) fn generated_page<'b>(
        &self,
        kind: &'static str,
        title: &'b str,
        summary: Option<&'b str>,
        path: &str,
        content: &'b str,
        extra: &'b BTreeMap<String, serde_json::Value>,
    ) -> PageCtx<'b> {
        let is_page = kind != "404";
        PageCtx {
            kind,
            title,
            summary,
            url: self.config.url(path),
            permalink: is_page.then(|| self.config.permalink(path)).flatten(),
            source: "",
            content,
            toc: vec![],
            tags: &[],
            weight: None,
            extra,
            verdict: None,
            level: None,
            reviewed: None,
            reviewed_text: None,
            updated: None,
            updated_text: None,
            edit_url: None,
            has_code: false,
            framework: None,
            dimension: None,
            breadcrumbs: if is_page {
                vec![LinkRef {
                    title: "Home".into(),
                    url: self.config.base_url.clone(),
                }]
            } else {
                vec![]
            },
            prev: None,
            next: None,
        }
    }

    /// A cell as shown inside a framework or dimension page: its prose only. Code blocks stay
    /// on the cell's own page (and in the dimension page's tabs), which keeps the pages that
    /// gather twenty or nine cells light enough to load fast on a phone.
    /// With `excerpt`, only the cell's opening is kept (see [`excerpt_end`]): an aggregate page
    /// compares nine or twenty cells, and their openings say what each framework does; the
    /// whole article is one link away. This keeps those pages light on a phone.
    fn embedded_cell(&self, embedded: &Embedded, excerpt: bool) -> EmbeddedCell<'a> {
        let model = self.model;
        let page: &'a Page = &model.pages[embedded.cell];
        let rendered = &self.rendered[embedded.cell];
        let (framework, dimension, anchor) =
            (embedded.framework, embedded.dimension, embedded.slug);
        let mut html = String::with_capacity(rendered.html.len());
        let mut at = 0;
        for sample in &rendered.samples {
            html.push_str(&rendered.html[at..sample.span.start]);
            at = sample.span.end;
        }
        html.push_str(&rendered.html[at..]);
        let cut = if excerpt { excerpt_end(&html) } else { None };
        if let Some(at) = cut {
            html.truncate(at);
        }
        EmbeddedCell {
            title: page.title(),
            url: self.config.url(&page.path),
            summary: page.source.front.summary.as_deref(),
            anchor: anchor.to_string(),
            content: crate::util::html::prefix_ids(&html, &format!("{anchor}--")),
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
            reviewed_text: front
                .reviewed
                .as_deref()
                .and_then(crate::content::review::long_form),
            updated: page.updated.as_deref(),
            updated_text: page
                .updated
                .as_deref()
                .and_then(crate::content::review::long_form),
            edit_url: self.config.edit_url(&page.source.rel),
            has_code: self.has_code(index),
            breadcrumbs: self.breadcrumbs(page, dimension.as_ref()),
            framework,
            dimension,
            prev,
            next,
        }
    }

    /// Whether the page shows highlighted code (and so needs the highlight stylesheets). Read
    /// from the samples' HTML, not from the body's classes, which a writing build has dropped
    /// by now: a highlighted sample holds the highlighter's spans, and nothing else can write
    /// one there, since code's `<` is escaped.
    fn has_code(&self, index: usize) -> bool {
        let model = self.model;
        let body = self.rendered[index];
        body.samples
            .iter()
            .any(|s| body.sample_html(s).contains("<span class=\""))
            || (matches!(model.pages[index].kind, Kind::Dimension(_))
                && model
                    .embedded(index)
                    .iter()
                    .any(|e| !self.rendered[e.cell].samples.is_empty()))
    }

    /// The page's own headings, then (framework and dimension pages) one entry per embedded
    /// cell, so "on this page" covers the whole page.
    fn toc(&self, index: usize) -> Vec<TocEntry> {
        let model = self.model;
        let mut toc = self.rendered[index].toc.clone();
        for e in model.embedded(index) {
            let p = &model.pages[e.axis_page];
            let slug = e.slug;
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
fn chart_data(config: &Config, model: &Model) -> crate::render::charts::ChartData {
    crate::render::charts::ChartData {
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
