//! The stage list: configuration -> content -> model -> Markdown -> templates -> output files.
//!
//! [`run`] is the one place the stages are listed, in order. A clean build runs it with
//! [`Fresh`], which computes everything; `serve` runs it with its incremental engine, which
//! implements [`Memo`] to reuse what a change cannot have affected. Either way the result is a
//! [`Site`] in memory; [`build`] writes it atomically, [`check`] stops there. Each stage
//! collects every error it finds before the run stops, so a writer sees all of a handbook's
//! problems at once.

mod fresh;
pub(crate) mod keys;
mod reuse;
mod site;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use fresh::Fresh;
pub use site::{FileBytes, Site};

use crate::content::config::outdir;
use crate::content::config::Config;
use crate::content::load::Loaded;
use crate::content::model::Model;
use crate::diagnostic::{content_errors, Diagnostic, Result};
use crate::markdown::highlight::Classes;
use crate::markdown::{anchors, Rendered};
use crate::outputs::files::Output;
use crate::outputs::search::{self, Section};
use crate::outputs::{assets, changes, matrix, pairs, site_files};
use crate::render::theme::Theme;
use crate::render::Renderer;
use crate::write;

/// What a successful build produced.
#[derive(Debug)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Problems that did not stop the build (broken links under `link-check = "warn"`).
    pub warnings: Vec<Diagnostic>,
}

/// The whole site in memory, print.html and the search index included, and what it came from.
pub struct Generated {
    pub output: Output,
    pub model: Arc<Model>,
    /// Every page's body, with the site's short class names.
    pub rendered: Vec<Arc<Rendered>>,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site and writes it to `config.out_dir`, all or nothing.
pub fn build(config: &Config) -> Result<Report> {
    let start = Instant::now();
    outdir::check_ownership(&config.out_dir, config.out_origin, config.force)?;
    // Every file goes into the staging folder as soon as it is made; the folder replaces
    // out-dir only once all of them are written, and is removed if anything fails. With the
    // cache, the site before the previous one is kept there and recycled as the staging
    // folder: only what changed since is written again.
    let spare = config.cache.then(|| config.cache_dir().join("site"));
    let staging = Arc::new(write::Staging::open(&config.out_dir, spare.as_deref())?);
    let mut fresh = Fresh::writing(config);
    let generated = generate_with(config, &mut fresh, Output::streaming(staging.clone()))?;
    let mut timer = StageTimer::new();
    staging.write_output(&generated.output)?;
    staging.commit()?;
    timer.stage("swap");
    // The kept files are recorded only once the site that links them is in place.
    if let Some(reuse) = fresh.reuse.take().and_then(|r| Arc::try_unwrap(r).ok()) {
        reuse.commit();
    }
    timer.stage("write");
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
        warnings: generated.warnings.clone(),
    }
}

/// Builds the whole site in memory with nothing to reuse.
pub fn generate(config: &Config) -> Result<Generated> {
    generate_with(config, &mut Fresh::default(), Output::default())
}

/// [`generate`] with `fresh`'s stages into `output`, which may stream its files to disk as
/// they are made. A lean run leaves `rendered` empty.
fn generate_with(config: &Config, fresh: &mut Fresh, output: Output) -> Result<Generated> {
    let mut site = run_into(config, fresh, &[], output)?;
    site.reuse = fresh.reuse.clone().zip(fresh.site_keys());
    let model = site.model.clone();
    let rendered = if fresh.lean {
        Vec::new()
    } else {
        site.bodies.clone()
    };
    let warnings = site.warnings.clone();
    let mut timer = StageTimer::new();
    let output = site.into_output()?;
    timer.stage("index, print");
    Ok(Generated {
        output,
        model,
        rendered,
        warnings,
    })
}

/// What a run of the stages may take from an earlier run instead of computing it. Each
/// method's contract is its clean computation (see [`Fresh`]): a memo must return exactly what
/// that would, and `tests/incremental.rs` holds the incremental engine to it byte for byte.
pub trait Memo {
    /// Whether nothing after this run needs the articles' text or what Markdown found besides
    /// the HTML (see [`Fresh::lean`]): then the run drops them as soon as they are used.
    fn lean(&self) -> bool {
        false
    }
    /// The articles of the handbook. `changed` are the files changed since the last run.
    fn load(&mut self, config: &Config, changed: &[PathBuf]) -> Result<Loaded>;
    /// Every page's body, rendered from Markdown, in page order.
    fn markdown(&mut self, config: &Config, model: &Model) -> Vec<Arc<Rendered>>;
    /// Every highlight class of the bodies, and their short names.
    fn classes(&mut self, bodies: &[Arc<Rendered>]) -> (Classes, HashMap<String, String>);
    /// The bodies with their short class names.
    fn rename(
        &mut self,
        model: &Model,
        bodies: Vec<Arc<Rendered>>,
        classes: &Classes,
        names: &HashMap<String, String>,
    ) -> Vec<Arc<Rendered>>;
    /// Every page rendered with its template, and 404.html, added to `output`.
    fn pages(
        &mut self,
        renderer: &Renderer,
        model: &Model,
        bodies: &[Arc<Rendered>],
        output: &mut Output,
    ) -> Result<()>;
    /// The renderer: templates and their global context (see [`Renderer::reusing`]). `shape`
    /// is [`keys::shape_key`].
    fn renderer<'a>(
        &mut self,
        theme: &Theme,
        config: &'a Config,
        model: &'a Model,
        bodies: &'a [&'a Rendered],
        assets: &BTreeMap<String, String>,
        _shape: &blake3::Hash,
    ) -> Result<Renderer<'a>> {
        Renderer::new(theme, config, model, bodies, assets)
    }
    /// The files made from the model alone: the sitemap and `matrix.json` (see
    /// [`model_files`]); the same while `shape` ([`keys::shape_key`]) is.
    fn model_files(
        &mut self,
        config: &Config,
        model: &Model,
        _shape: &blake3::Hash,
    ) -> Vec<SiteFile> {
        model_files(config, model)
    }
    /// The "X vs Y" pages, added to `output` (few and cheap: made again every time unless the
    /// memo keeps them).
    fn pair_pages(
        &mut self,
        renderer: &Renderer,
        config: &Config,
        model: &Model,
        output: &mut Output,
    ) -> Result<()> {
        pairs::add(renderer, config, model, output)
    }
    /// Every page's search sections, in page order.
    fn search_sections(
        &mut self,
        model: &Model,
        bodies: &[Arc<Rendered>],
    ) -> Vec<Arc<Vec<Section>>>;
}

/// Runs every stage, in order, taking from `memo` what it can reuse. The result holds every
/// file but print.html and the search index, which are made when first asked for (see
/// [`Site`]): a rebuild on every keystroke need not pay for them.
pub fn run(config: &Config, memo: &mut impl Memo, changed: &[PathBuf]) -> Result<Site> {
    run_into(config, memo, changed, Output::default())
}

/// [`run`], adding the files to `output` (a streaming one writes them as they are made).
fn run_into(
    config: &Config,
    memo: &mut impl Memo,
    changed: &[PathBuf],
    mut output: Output,
) -> Result<Site> {
    let mut timer = StageTimer::new();
    let theme = Theme::load(config)?;
    timer.stage("theme");
    let loaded = memo.load(config, changed)?;
    let git_warning = loaded.git.warning.clone();
    timer.stage("load");
    let mut model = Model::build(loaded).map_err(content_errors)?;
    // Before the articles' text may be released: the front matter is part of it.
    let shape = keys::shape_key(config, &model);
    timer.stage("model");
    let bodies = memo.markdown(config, &model);
    timer.stage("markdown");
    let warnings = {
        let refs: Vec<&Rendered> = bodies.iter().map(|b| &**b).collect();
        anchors::check_bodies(&model, &refs, config.link_check)?
    };
    if memo.lean() {
        // Every message that quotes an article's text has been given by now.
        model.release_texts();
    }
    let (classes, names) = memo.classes(&bodies);
    let bodies = memo.rename(&model, bodies, &classes, &names);
    timer.stage("classes");
    let asset_urls = assets::add_theme_assets(config, &theme, &classes, &mut output);
    timer.stage("assets");
    let refs: Vec<&Rendered> = bodies.iter().map(|b| &**b).collect();
    let renderer = memo.renderer(&theme, config, &model, &refs, &asset_urls, &shape)?;
    timer.stage("renderer");
    memo.pages(&renderer, &model, &bodies, &mut output)?;
    timer.stage("pages");
    memo.pair_pages(&renderer, config, &model, &mut output)?;
    changes::add(&renderer, config, &model, &mut output)?;
    drop(renderer);
    timer.stage("pairs, updates");
    let search = config.search.then(|| {
        let mut sections = memo.search_sections(&model, &bodies);
        sections.push(Arc::new(pairs::sections(config, &model)));
        site::SearchJob::new(sections, search::facets(&model))
    });
    timer.stage("search");
    site_files::add_site_files(config, &model, &mut output)?;
    for (path, bytes) in memo.model_files(config, &model, &shape) {
        output.add_shared(path, bytes);
    }
    timer.stage("site files");
    let pages = model.pages.len();
    let mut site = Site::new(
        output,
        pages,
        Arc::new(model),
        bodies,
        search,
        config
            .print
            .then(|| site::PrintJob::new(config.clone(), theme, asset_urls)),
    );
    site.warnings = git_warning.into_iter().chain(warnings).collect();
    Ok(site)
}

/// A file of the site made in memory: its path and bytes.
pub(crate) type SiteFile = (&'static str, Arc<[u8]>);

/// The sitemap (when the handbook has a `site-url`) and `matrix.json`: the site's files made from
/// the model alone.
pub(crate) fn model_files(config: &Config, model: &Model) -> Vec<SiteFile> {
    let sitemap = site_files::sitemap(config, model)
        .map(|xml| (site_files::SITEMAP, xml.into_bytes().into()));
    sitemap
        .into_iter()
        .chain([(matrix::FILE, matrix::render(config, model).into())])
        .collect()
}

/// What is told of every stage as it ends: its name and how long it took.
type StageObserver = Box<dyn Fn(&str, Duration) + Send + Sync>;

static OBSERVER: std::sync::OnceLock<StageObserver> = std::sync::OnceLock::new();

/// Calls `observer` at the end of every stage of every run with the stage's name and duration:
/// how the command line shows progress and `--verbose` timings. Set once per process.
pub fn observe_stages(observer: impl Fn(&str, Duration) + Send + Sync + 'static) {
    let _ = OBSERVER.set(Box::new(observer));
}

/// Prints how long each stage took when `HANDBOOK_TIMINGS` is set: for finding where a slow
/// build spends its time without a profiler (with memory, where the system tells). Also tells
/// the observer of [`observe_stages`].
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
        if let Some(observer) = OBSERVER.get() {
            observer(name, self.last.elapsed());
        }
        if self.enabled {
            eprintln!(
                "{name:>12}: {:>9.1?}  {}",
                self.last.elapsed(),
                memory().unwrap_or_default()
            );
        }
        self.last = Instant::now();
    }
}

/// The process's resident memory now and at its peak, where the system tells (Linux).
fn memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    Some(format!(
        "rss {} MB, peak {} MB",
        field("VmRSS:")?,
        field("VmHWM:")?
    ))
}
