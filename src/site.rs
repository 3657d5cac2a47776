//! The pipeline: configuration -> content -> model -> Markdown -> templates -> output files.
//!
//! [`generate`] builds the whole site in memory and writes nothing; `build` writes it
//! atomically, `check` stops after generating. Each stage collects every error it finds before
//! the pipeline stops, so a writer sees all of a handbook's problems in one run.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{self, did_you_mean, Diagnostic, Error, Result};
use crate::highlight;
use crate::load;
use crate::markdown::{self, Rendered};
use crate::model::{Kind, Model};
use crate::render::Renderer;
use crate::theme::{self, Theme};
use crate::write::{self, Output};

/// What a successful build produced.
#[derive(Debug)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
}

/// The site in memory, and the model it came from.
pub struct Generated {
    pub output: Output,
    pub model: Model,
    pub rendered: Vec<Rendered>,
}

/// Builds the site and writes it to `config.out_dir`, all or nothing.
pub fn build(config: &Config) -> Result<Report> {
    let start = Instant::now();
    crate::outdir::check_ownership(&config.out_dir, config.out_origin, config.force)?;
    let generated = generate(config)?;
    write::write_atomic(&config.out_dir, &generated.output)?;
    Ok(report(&generated, start))
}

/// Builds the site in memory to find every error; writes nothing.
pub fn check(config: &Config) -> Result<Report> {
    let start = Instant::now();
    let generated = generate(config)?;
    Ok(report(&generated, start))
}

fn report(generated: &Generated, start: Instant) -> Report {
    Report {
        pages: generated.model.pages.len(),
        files: generated.output.files.len(),
        elapsed: start.elapsed(),
    }
}

/// Builds the whole site in memory: loading, the model and Markdown, then [`assemble`].
pub fn generate(config: &Config) -> Result<Generated> {
    let mut timer = StageTimer::new();
    let theme = Theme::load(config)?;
    let loaded = load::load(config).map_err(content_errors)?;
    timer.stage("load");
    let model = Model::build(loaded).map_err(content_errors)?;
    timer.stage("model");
    let rendered: Vec<Rendered> = (0..model.pages.len())
        .into_par_iter()
        .map(|i| markdown::render(&model, config, i))
        .collect();
    timer.stage("markdown");
    assemble(config, &theme, model, rendered, &mut timer)
}

/// The whole-site steps after Markdown: errors and anchors, short highlight classes, theme
/// assets, templates, print.html and the files beside the pages.
fn assemble(
    config: &Config,
    theme: &Theme,
    model: Model,
    mut rendered: Vec<Rendered>,
    timer: &mut StageTimer,
) -> Result<Generated> {
    let refs: Vec<&Rendered> = rendered.iter().collect();
    check_bodies(&model, &refs)?;
    let mut output = Output::default();
    let (classes, names) = site_classes(&refs);
    rendered
        .par_iter_mut()
        .for_each(|r| rename_classes(r, &names));
    let assets = add_theme_assets(config, theme, &classes, &mut output);
    timer.stage("assets");
    let refs: Vec<&Rendered> = rendered.iter().collect();
    let renderer = Renderer::new(theme, config, &model, &refs, &assets)?;
    for (path, html) in renderer.render_all()? {
        output.add(path, html);
    }
    crate::pairs::add(&renderer, config, &model, &mut output)?;
    crate::print::add(&renderer, config, &model, &refs, &mut output)?;
    timer.stage("templates");
    let pair_sections = if config.search {
        crate::pairs::sections(config, &model)
    } else {
        vec![]
    };
    crate::search::add(config, &model, &refs, pair_sections, &mut output);
    timer.stage("search");
    add_site_files(config, &model, &mut output)?;
    drop(renderer);
    Ok(Generated {
        output,
        model,
        rendered,
    })
}

/// Every error the bodies reported, and every broken `#anchor`: all of them, or nothing.
pub(crate) fn check_bodies(model: &Model, rendered: &[&Rendered]) -> Result<()> {
    let mut errors: Vec<Diagnostic> = rendered
        .iter()
        .flat_map(|r| r.errors.iter().cloned())
        .collect();
    errors.extend(check_anchors(model, rendered));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(content_errors(errors))
    }
}

/// The classes the whole site uses and their short names: site-wide, since a short name is a
/// class's rank among all of them.
pub(crate) fn site_classes(
    rendered: &[&Rendered],
) -> (
    highlight::Classes,
    std::collections::HashMap<String, String>,
) {
    let mut all: BTreeMap<&str, highlight::StylePair> = BTreeMap::new();
    for r in rendered {
        for (name, pair) in &r.classes {
            all.entry(name.as_str()).or_insert(*pair);
        }
    }
    let classes: highlight::Classes = all.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    highlight::short_names(&classes)
}

/// Gives a body's highlighted code its short class names.
pub(crate) fn rename_classes(r: &mut Rendered, names: &std::collections::HashMap<String, String>) {
    r.html = highlight::rename(&r.html, names);
    for sample in &mut r.samples {
        sample.html = highlight::rename(&sample.html, names);
    }
}

/// The files beside the pages: `.nojekyll`, the sitemap, the content folder's assets and the
/// handbook's `static/` folder.
pub(crate) fn add_site_files(config: &Config, model: &Model, output: &mut Output) -> Result<()> {
    output.add(".nojekyll", "");
    if let Some(sitemap) = sitemap(config, model) {
        output.add("sitemap.xml", sitemap);
    }
    for asset in &model.assets {
        output.copy(asset.clone(), config.content_dir.join(asset));
    }
    add_static_folder(&config.root.join("static"), output)
}

pub(crate) fn content_errors(mut errors: Vec<Diagnostic>) -> Error {
    diagnostic::sort(&mut errors);
    Error::Content(errors)
}

/// Checks every `page.md#id` link against the ids the target page will have.
fn check_anchors(model: &Model, rendered: &[&Rendered]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (index, r) in rendered.iter().enumerate() {
        for anchor in &r.anchors {
            if has_id(model, rendered, anchor.target, &anchor.id) {
                continue;
            }
            let source = &model.pages[index].source;
            let target = &model.pages[anchor.target].source;
            let help = did_you_mean(&anchor.id, rendered[anchor.target].ids.iter().map(String::as_str))
                .map(|s| format!("did you mean `#{s}`?"))
                .unwrap_or_else(|| "anchors are heading ids: the heading text lower-cased, with runs of other characters turned into `-`".into());
            let place = if anchor.target == index {
                "this page".to_string()
            } else {
                target.file.display().to_string()
            };
            errors.push(
                Diagnostic::new(
                    &source.file,
                    format!("broken anchor `#{}`: no such id in {place}", anchor.id),
                )
                .at(anchor.line, anchor.column)
                .len(anchor.len)
                .help(help)
                .source(&source.text),
            );
        }
    }
    errors
}

/// Whether page `target` will carry `id`: its own headings, or the sections its template adds.
fn has_id(model: &Model, rendered: &[&Rendered], target: usize, id: &str) -> bool {
    if rendered[target].ids.contains(id) || id.starts_with(markdown::THEME_ID_PREFIX) {
        return true;
    }
    let embedded: Vec<(&str, usize)> = match model.pages[target].kind {
        Kind::Framework(f) => (0..model.dimensions.len())
            .filter_map(|d| {
                model
                    .cell(f, d)
                    .map(|c| (model.dimensions[d].slug.as_str(), c))
            })
            .collect(),
        Kind::Dimension(d) => (0..model.frameworks.len())
            .filter_map(|f| {
                model
                    .cell(f, d)
                    .map(|c| (model.frameworks[f].slug.as_str(), c))
            })
            .collect(),
        _ => return false,
    };
    embedded.iter().any(|&(slug, cell)| {
        id == slug
            || id
                .strip_prefix(slug)
                .and_then(|rest| rest.strip_prefix("--"))
                .is_some_and(|inner| rendered[cell].ids.contains(inner))
    })
}

/// Writes the theme's static files and the highlight stylesheets under `assets/`, with a content
/// hash in the names of CSS and JS so browsers never mix an old script with a new page. The
/// search client's files are left out when search is off.
pub(crate) fn add_theme_assets(
    config: &Config,
    theme: &Theme,
    classes: &highlight::Classes,
    output: &mut Output,
) -> BTreeMap<String, String> {
    let mut urls = BTreeMap::new();
    let (light, dark) = highlight::stylesheets(classes);
    let generated = [
        ("highlight-light.css", light.into_bytes()),
        ("highlight-dark.css", dark.into_bytes()),
    ];
    let statics = theme
        .statics
        .iter()
        .filter(|(n, _)| config.search || !crate::search::THEME_ASSETS.contains(&n.as_str()))
        .map(|(n, b)| (n.as_str(), theme::compact(n, b)));
    for (name, bytes) in generated.into_iter().chain(statics) {
        let fingerprinted = name.ends_with(".css") || name.ends_with(".js");
        let file = if fingerprinted {
            theme::fingerprinted_name(name, &theme::fingerprint(&bytes))
        } else {
            name.to_string()
        };
        let path = format!("assets/{file}");
        urls.insert(name.to_string(), config.url(&path));
        output.add(path, bytes);
    }
    urls
}

/// Copies the handbook's own `static/` folder (CNAME, favicon, images) to the site root.
fn add_static_folder(dir: &Path, output: &mut Output) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for (rel, path) in load::files_under(dir)? {
        output.copy(rel, path);
    }
    Ok(())
}

fn sitemap(config: &Config, model: &Model) -> Option<String> {
    config.permalink("")?;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for &page in &model.reading_order {
        let url = config.permalink(&model.pages[page].path)?;
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            markdown::escape_html(&url)
        ));
    }
    for (a, b) in crate::pairs::list(config, model) {
        let url = config.permalink(&crate::pairs::path(model, a, b))?;
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            markdown::escape_html(&url)
        ));
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

/// Prints how long each stage took when `HANDBOOK_TIMINGS` is set: for finding where a slow
/// build spends its time without a profiler.
pub(crate) struct StageTimer {
    enabled: bool,
    last: Instant,
}

impl StageTimer {
    pub(crate) fn new() -> Self {
        StageTimer {
            enabled: std::env::var_os("HANDBOOK_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    pub(crate) fn stage(&mut self, name: &str) {
        if self.enabled {
            eprintln!("{name:>10}: {:.1?}", self.last.elapsed());
        }
        self.last = Instant::now();
    }
}
