//! Incremental rebuilds, for `handbook serve --watch`.
//!
//! [`Incremental`] runs the same stages as [`site::generate`](crate::site::generate) and keeps
//! what each produced, so the next rebuild redoes only what a change can affect:
//!
//! - **Sources**: a file is read again only when the watcher named it (or it is new).
//! - **Markdown** (the expensive stage: parsing and highlighting): a body is reused when its
//!   text, the ids reserved on its page and the outcome of every one of its links are unchanged.
//!   Links are resolved again (cheap) because adding, renaming or deleting another article can
//!   turn a working link into a broken one, or the reverse.
//! - **Short class names** are site-wide (a class's rank among all the site's classes); a body
//!   is renamed again only when it changed or the set of classes did.
//! - **Templates**: every page has a key hashing what its template sees (its own source and
//!   body, its neighbours in reading order, the cells it embeds and their axes, and the global
//!   key of [`Renderer`]: templates, configuration, navigation, matrix, assets). A page is
//!   rendered again only when its key changed.
//! - **Search**: a page's sections ([`search::entries`]) are extracted again only when its own
//!   key changed; the index files, a whole-site step, are encoded when first asked for.
//! - **print.html**, the whole handbook on one page, is rendered when first asked for
//!   ([`Site::print`]), not on every keystroke: at 100 x 100 it is 150 MB and takes seconds.
//!
//! Whatever the sequence of changes, the output equals a clean build of the final files
//! (`tests/incremental.rs` checks it byte for byte).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::config::{Config, Overrides, CONFIG_FILE};
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::links;
use crate::load::{self, Loaded, Source};
use crate::markdown::{self, Rendered};
use crate::model::{Kind, Model};
use crate::render::{output_path, Renderer};
use crate::search::{self, Section};
use crate::site::{self, StageTimer};
use crate::theme::Theme;
use crate::write::{FileContent, Output};

/// A page's output path, key and bytes, and whether it was rendered again.
type PageBytes = (String, blake3::Hash, Arc<[u8]>, bool);

/// A body as Markdown rendered it, with what it was rendered from.
struct Body {
    text: Arc<str>,
    body: std::ops::Range<usize>,
    reserved: Vec<String>,
    text_hash: blake3::Hash,
    rendered: Arc<Rendered>,
}

/// A body with the site's short class names, and a hash of what templates see of it.
struct Renamed {
    from: Arc<Rendered>,
    names: blake3::Hash,
    rendered: Arc<Rendered>,
    hash: blake3::Hash,
}

/// The state kept between rebuilds of one handbook.
pub struct Incremental {
    root: PathBuf,
    overrides: Overrides,
    config: Option<Config>,
    /// Markdown files and other files of the content folder, as last listed.
    listing: Option<(Vec<String>, Vec<String>)>,
    /// Content-relative path -> the article as last read (drafts included).
    sources: HashMap<String, Source>,
    bodies: HashMap<String, Body>,
    renamed: HashMap<String, Renamed>,
    /// Output path -> (key, bytes) of every page template output.
    pages: HashMap<String, (blake3::Hash, Arc<[u8]>)>,
    /// How many pages the last rebuild rendered.
    rendered: usize,
    /// Every highlight class of the current bodies, with how many bodies use it: the site's
    /// classes without going through every body after each edit.
    classes: BTreeMap<String, (crate::highlight::StylePair, usize)>,
    /// Content-relative path -> (own key, search sections) of every page.
    search: HashMap<String, (blake3::Hash, Arc<Vec<Section>>)>,
    /// What every link resolves against (see [`link_table_key`]) at the last rebuild.
    link_table: Option<blake3::Hash>,
}

/// One rebuilt site: every file but print.html, which is made on demand.
pub struct Site {
    pub output: Output,
    pub pages: usize,
    /// How many pages the rebuild rendered again (the others kept their bytes).
    pub rendered: usize,
    print: Option<Arc<PrintJob>>,
    search: Option<Arc<SearchJob>>,
}

/// What the search index is made from, and its files once made.
struct SearchJob {
    sections: Vec<Arc<Vec<Section>>>,
    facets: search::Facets,
    files: OnceLock<BTreeMap<String, Arc<[u8]>>>,
}

impl SearchJob {
    fn files(&self) -> &BTreeMap<String, Arc<[u8]>> {
        self.files.get_or_init(|| {
            let sections: Vec<Section> = self
                .sections
                .iter()
                .flat_map(|page| page.iter().cloned())
                .collect();
            search::index(&sections, &self.facets)
                .into_iter()
                .map(|(path, bytes)| (path, Arc::from(bytes)))
                .collect()
        })
    }
}

/// What print.html is made from, and the page once made.
struct PrintJob {
    config: Config,
    theme: Theme,
    model: Model,
    bodies: Vec<Arc<Rendered>>,
    assets: BTreeMap<String, String>,
    page: OnceLock<std::result::Result<Arc<[u8]>, String>>,
}

impl Site {
    /// The bytes of `print.html` (rendered on the first call), or `None` when the handbook has
    /// no print page.
    pub fn print(&self) -> Option<std::result::Result<Arc<[u8]>, String>> {
        let job = self.print.as_ref()?;
        Some(job.page.get_or_init(|| job.render()).clone())
    }

    /// Every file, print.html included: what `handbook build` would write.
    pub fn complete_output(&self) -> std::result::Result<Output, String> {
        let mut output = self.output.clone();
        if let Some(page) = self.print() {
            output.add_shared(crate::print::PAGE, page?);
        }
        if let Some(job) = &self.search {
            for (path, bytes) in job.files() {
                output.add_shared(path.clone(), bytes.clone());
            }
        }
        Ok(output)
    }

    /// The bytes of the file at `path` of the site (print.html included).
    pub fn file(&self, path: &str) -> Option<FileBytes> {
        if path == crate::print::PAGE {
            return self.print().map(|r| match r {
                Ok(bytes) => FileBytes::Memory(bytes),
                Err(message) => FileBytes::Failed(message),
            });
        }
        if let Some(job) = &self.search {
            if path.starts_with(&format!("{}/", search::FOLDER)) {
                return job.files().get(path).cloned().map(FileBytes::Memory);
            }
        }
        match self.output.files.get(path)? {
            FileContent::Bytes(bytes) => Some(FileBytes::Memory(bytes.clone())),
            FileContent::Copy(from) => Some(FileBytes::Disk(from.clone())),
        }
    }
}

/// Where the bytes of a served file are.
pub enum FileBytes {
    Memory(Arc<[u8]>),
    /// A file the site copies from the handbook (content assets, `static/`).
    Disk(PathBuf),
    /// print.html could not be rendered.
    Failed(String),
}

impl PrintJob {
    fn render(&self) -> std::result::Result<Arc<[u8]>, String> {
        let refs: Vec<&Rendered> = self.bodies.iter().map(|b| &**b).collect();
        let renderer = Renderer::new(&self.theme, &self.config, &self.model, &refs, &self.assets)
            .map_err(|e| error_text(&e))?;
        crate::print::render(&renderer, &self.config, &self.model, &refs)
            .map(|html| Arc::from(html.into_bytes()))
            .map_err(|e| error_text(&e))
    }
}

fn error_text(e: &Error) -> String {
    let diagnostics = e.diagnostics();
    if diagnostics.is_empty() {
        return e.to_string();
    }
    diagnostics
        .iter()
        .map(|d| d.render(false))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Incremental {
    pub fn new(root: &Path, overrides: Overrides) -> Incremental {
        Incremental {
            root: root.to_path_buf(),
            overrides,
            config: None,
            listing: None,
            sources: HashMap::new(),
            bodies: HashMap::new(),
            renamed: HashMap::new(),
            pages: HashMap::new(),
            rendered: 0,
            link_table: None,
            search: HashMap::new(),
            classes: BTreeMap::new(),
        }
    }

    /// The configuration of the last rebuild that got as far as reading it.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Rebuilds the site after the files `changed` (absolute paths; files or folders, created,
    /// modified or removed) changed. The first call builds everything.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Site> {
        let mut timer = StageTimer::new();
        let config_changed = changed.iter().any(|p| {
            p.file_name().is_some_and(|n| n == CONFIG_FILE) && p.parent() == Some(&*self.root)
        });
        if self.config.is_none() || config_changed {
            self.forget();
            self.config = None;
            self.config = Some(Config::load(&self.root, &self.overrides)?);
        }
        let config = self.config.clone().expect("loaded above");
        let theme = Theme::load(&config)?;
        timer.stage("theme");
        let loaded = self.load(&config, changed)?;
        timer.stage("load");
        let model = Model::build(loaded).map_err(site::content_errors)?;
        timer.stage("model");
        let bodies = self.markdown(&config, &model);
        timer.stage("markdown");
        let refs: Vec<&Rendered> = bodies.iter().map(|b| &**b).collect();
        site::check_bodies(&model, &refs)?;
        timer.stage("anchors");
        let (classes, names) = self.site_classes();
        timer.stage("classes");
        let renamed = self.rename(&model, &bodies, &classes, &names);
        timer.stage("rename");
        let mut output = Output::default();
        let assets = site::add_theme_assets(&config, &theme, &classes, &mut output);
        timer.stage("assets");
        let own: Vec<blake3::Hash> = (0..model.pages.len())
            .into_par_iter()
            .map(|i| self.own_key(&model, i))
            .collect();
        let pages = self.render_pages(&theme, &config, &model, &renamed, &assets, &own)?;
        for (path, bytes) in pages {
            output.add_shared(path, bytes);
        }
        timer.stage("templates");
        let search = config.search.then(|| {
            Arc::new(SearchJob {
                sections: {
                    let mut sections = self.search_sections(&model, &renamed, &own);
                    sections.push(Arc::new(crate::pairs::sections(&config, &model)));
                    sections
                },
                facets: search::facets(&model),
                files: OnceLock::new(),
            })
        });
        timer.stage("search");
        site::add_site_files(&config, &model, &mut output)?;
        let pages = model.pages.len();
        let rendered = self.rendered;
        let print = config.print.then(|| {
            Arc::new(PrintJob {
                config: config.clone(),
                theme,
                model,
                bodies: renamed.to_vec(),
                assets,
                page: OnceLock::new(),
            })
        });
        Ok(Site {
            output,
            pages,
            rendered,
            print,
            search,
        })
    }

    /// The site's classes and their short names, as [`site::site_classes`] finds them.
    fn site_classes(&self) -> (crate::highlight::Classes, HashMap<String, String>) {
        let classes: crate::highlight::Classes = self
            .classes
            .iter()
            .map(|(name, (pair, _))| (name.clone(), *pair))
            .collect();
        crate::highlight::short_names(&classes)
    }

    /// Drops everything kept: after book.toml changed, nothing may be reused.
    fn forget(&mut self) {
        self.listing = None;
        self.sources.clear();
        self.bodies.clear();
        self.renamed.clear();
        self.pages.clear();
        self.link_table = None;
        self.classes.clear();
        self.search.clear();
    }

    /// Lists the content folder again if anything in it changed, and reads the articles that
    /// changed or are new; every other article is the one read before.
    fn load(&mut self, config: &Config, changed: &[PathBuf]) -> Result<Loaded> {
        let touched: Vec<String> = changed
            .iter()
            .filter_map(|p| p.strip_prefix(&config.content_dir).ok())
            .map(|rel| rel.to_string_lossy().replace('\\', "/"))
            .collect();
        // Saving an article that is already listed changes no listing: skip the walk.
        let listed_files = |rel: &String| {
            self.listing.as_ref().is_some_and(|(markdown, assets)| {
                (markdown.contains(rel) || assets.contains(rel))
                    && config.content_dir.join(rel).is_file()
            })
        };
        if self.listing.is_none() || !touched.iter().all(listed_files) {
            let listing = load::walk(&config.content_dir).map_err(|e| {
                site::content_errors(vec![Diagnostic::new(
                    &config.content_dir,
                    format!("cannot read the content folder: {e}"),
                )])
            })?;
            self.listing = Some(listing);
        }
        for rel in &touched {
            let folder = format!("{rel}/");
            self.sources
                .retain(|known, _| known != rel && !(rel.is_empty() || known.starts_with(&folder)));
        }
        let (markdown, assets) = self.listing.clone().expect("listed above");
        let listed: HashSet<&str> = markdown.iter().map(String::as_str).collect();
        self.sources.retain(|rel, _| listed.contains(rel.as_str()));
        let missing: Vec<&String> = markdown
            .iter()
            .filter(|rel| !self.sources.contains_key(*rel))
            .collect();
        let read: Vec<std::result::Result<Source, Diagnostic>> = missing
            .par_iter()
            .map(|rel| load::read_source(config, rel))
            .collect();
        let mut errors = Vec::new();
        for result in read {
            match result {
                Ok(source) => {
                    self.sources.insert(source.rel.clone(), source);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(site::content_errors(errors));
        }
        let sources = markdown
            .iter()
            .filter_map(|rel| self.sources.get(rel))
            .filter(|s| config.drafts || !s.front.draft)
            .cloned()
            .collect();
        Ok(Loaded { sources, assets })
    }

    /// Every page's body, rendered again only where the text, the reserved ids or a link's
    /// outcome changed.
    fn markdown(&mut self, config: &Config, model: &Model) -> Vec<Arc<Rendered>> {
        let link_table = link_table_key(config, model);
        let links_may_differ = self.link_table != Some(link_table);
        let reused: Vec<Option<Arc<Rendered>>> = (0..model.pages.len())
            .into_par_iter()
            .map(|i| self.reusable_body(config, model, i, links_may_differ))
            .collect();
        self.link_table = Some(link_table);
        let fresh: Vec<(usize, Rendered)> = reused
            .par_iter()
            .enumerate()
            .filter(|(_, r)| r.is_none())
            .map(|(i, _)| (i, markdown::render(model, config, i)))
            .collect();
        let mut bodies: Vec<Option<Arc<Rendered>>> = reused;
        for (i, rendered) in fresh {
            let source = &model.pages[i].source;
            let rendered = Arc::new(rendered);
            count_classes(&mut self.classes, &rendered, 1);
            let old = self.bodies.insert(
                source.rel.clone(),
                Body {
                    text: source.text.clone(),
                    body: source.body.clone(),
                    reserved: reserved(model, i),
                    text_hash: blake3::hash(source.text.as_bytes()),
                    rendered: rendered.clone(),
                },
            );
            if let Some(old) = old {
                count_classes(&mut self.classes, &old.rendered, -1);
            }
            bodies[i] = Some(rendered);
        }
        let present: HashSet<&str> = model.pages.iter().map(|p| p.source.rel.as_str()).collect();
        let classes = &mut self.classes;
        self.bodies.retain(|rel, body| {
            let keep = present.contains(rel.as_str());
            if !keep {
                count_classes(classes, &body.rendered, -1);
            }
            keep
        });
        bodies
            .into_iter()
            .map(|b| b.expect("every body rendered or reused"))
            .collect()
    }

    fn reusable_body(
        &self,
        config: &Config,
        model: &Model,
        i: usize,
        links_may_differ: bool,
    ) -> Option<Arc<Rendered>> {
        let page = &model.pages[i];
        let source = &page.source;
        let cached = self.bodies.get(&source.rel)?;
        let same_text = Arc::ptr_eq(&cached.text, &source.text) || *cached.text == *source.text;
        if !same_text || cached.body != source.body || cached.reserved != reserved(model, i) {
            return None;
        }
        let links_unchanged = !links_may_differ
            || cached.rendered.links.iter().all(|(dest, outcome)| {
                let now = links::resolve(model, config, &source.rel, i, dest);
                links::outcome_key(model, &now) == *outcome
            });
        if !links_unchanged {
            return None;
        }
        // Page numbers move when articles come and go; anchors are re-pointed by source path.
        let moved = cached
            .rendered
            .anchors
            .iter()
            .any(|a| model.page_by_source(&a.target_rel) != Some(a.target));
        if !moved {
            return Some(cached.rendered.clone());
        }
        let mut rendered = (*cached.rendered).clone();
        for anchor in &mut rendered.anchors {
            anchor.target = model.page_by_source(&anchor.target_rel)?;
        }
        Some(Arc::new(rendered))
    }

    /// The bodies with the site's short class names.
    fn rename(
        &mut self,
        model: &Model,
        bodies: &[Arc<Rendered>],
        classes: &crate::highlight::Classes,
        names: &HashMap<String, String>,
    ) -> Vec<Arc<Rendered>> {
        let mut key = blake3::Hasher::new();
        for name in classes.keys() {
            key.update(name.as_bytes()).update(&[0]);
        }
        let names_key = key.finalize();
        let results: Vec<(Arc<Rendered>, Option<Renamed>)> = bodies
            .par_iter()
            .enumerate()
            .map(|(i, body)| {
                let rel = &model.pages[i].source.rel;
                match self.renamed.get(rel) {
                    Some(r) if r.names == names_key && Arc::ptr_eq(&r.from, body) => {
                        (r.rendered.clone(), None)
                    }
                    _ => {
                        let mut rendered = (**body).clone();
                        site::rename_classes(&mut rendered, names);
                        let rendered = Arc::new(rendered);
                        let entry = Renamed {
                            from: body.clone(),
                            names: names_key,
                            rendered: rendered.clone(),
                            hash: body_hash(&rendered),
                        };
                        (rendered, Some(entry))
                    }
                }
            })
            .collect();
        let mut renamed = Vec::with_capacity(results.len());
        for (i, (rendered, entry)) in results.into_iter().enumerate() {
            if let Some(entry) = entry {
                self.renamed
                    .insert(model.pages[i].source.rel.clone(), entry);
            }
            renamed.push(rendered);
        }
        let present: HashSet<&str> = model.pages.iter().map(|p| p.source.rel.as_str()).collect();
        self.renamed.retain(|rel, _| present.contains(rel.as_str()));
        renamed
    }

    /// Renders the pages whose key changed; reuses the bytes of the others. Returns every page
    /// (and 404.html) with its output path.
    fn render_pages(
        &mut self,
        theme: &Theme,
        config: &Config,
        model: &Model,
        renamed: &[Arc<Rendered>],
        assets: &BTreeMap<String, String>,
        own: &[blake3::Hash],
    ) -> Result<Vec<(String, Arc<[u8]>)>> {
        let refs: Vec<&Rendered> = renamed.iter().map(|b| &**b).collect();
        let mut timer = StageTimer::new();
        let renderer = Renderer::new(theme, config, model, &refs, assets)?;
        timer.stage("renderer");
        let global = renderer.global_key();
        let results: Vec<std::result::Result<PageBytes, Diagnostic>> = (0..model.pages.len())
            .into_par_iter()
            .map(|i| {
                let path = output_path(&model.pages[i].path);
                let key = page_key(model, i, own, &global);
                if let Some((old, bytes)) = self.pages.get(&path) {
                    if *old == key {
                        return Ok((path, key, bytes.clone(), false));
                    }
                }
                let html = renderer.render_page(i)?;
                Ok((path, key, Arc::from(html.into_bytes()), true))
            })
            .collect();
        let mut errors = Vec::new();
        let mut pages = HashMap::with_capacity(results.len() + 1);
        let mut rendered = 0;
        for result in results {
            match result {
                Ok((path, key, bytes, fresh)) => {
                    rendered += usize::from(fresh);
                    pages.insert(path, (key, bytes));
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Content(errors));
        }
        let not_found = "404.html".to_string();
        let bytes = match self.pages.get(&not_found) {
            Some((old, bytes)) if *old == global => bytes.clone(),
            _ => Arc::from(renderer.render_404()?.into_bytes()),
        };
        pages.insert(not_found, (global, bytes));
        self.pages = pages;
        self.rendered = rendered;
        // The pair pages gather a cell of every dimension for two frameworks: few and cheap,
        // they are made again on every rebuild rather than keyed.
        let pairs = crate::pairs::render(&renderer, config, model)?;
        Ok(self
            .pages
            .iter()
            .map(|(path, (_, bytes))| (path.clone(), bytes.clone()))
            .chain(
                pairs
                    .into_iter()
                    .map(|(path, html)| (path, Arc::from(html.into_bytes()))),
            )
            .collect())
    }

    /// Every page's search sections, extracted again only for pages whose own key changed (it
    /// covers all [`search::entries`] reads: the body, the title, the summary, the slugs).
    fn search_sections(
        &mut self,
        model: &Model,
        renamed: &[Arc<Rendered>],
        own: &[blake3::Hash],
    ) -> Vec<Arc<Vec<Section>>> {
        let sections: Vec<Arc<Vec<Section>>> = (0..model.pages.len())
            .into_par_iter()
            .map(|i| match self.search.get(&model.pages[i].source.rel) {
                Some((key, sections)) if *key == own[i] => sections.clone(),
                _ => Arc::new(search::entries(
                    &search::page_info(model, i),
                    &renamed[i].html,
                )),
            })
            .collect();
        let mut kept = HashMap::with_capacity(sections.len());
        let mut all = Vec::with_capacity(sections.len());
        for (i, page) in sections.into_iter().enumerate() {
            kept.insert(model.pages[i].source.rel.clone(), (own[i], page.clone()));
            all.push(page);
        }
        self.search = kept;
        all
    }

    /// What templates see of page `i` itself: its source, URL, kind and renamed body.
    fn own_key(&self, model: &Model, i: usize) -> blake3::Hash {
        let page = &model.pages[i];
        let mut key = blake3::Hasher::new();
        let body = &self.bodies[&page.source.rel];
        let renamed = &self.renamed[&page.source.rel];
        key.update(body.text_hash.as_bytes())
            .update(renamed.hash.as_bytes())
            .update(page.source.rel.as_bytes())
            .update(&[0])
            .update(page.path.as_bytes())
            .update(&kind_bytes(page.kind));
        key.finalize()
    }
}

/// Adds (`by` = 1) or removes (-1) the classes of a body from the site's counts.
fn count_classes(
    counts: &mut BTreeMap<String, (crate::highlight::StylePair, usize)>,
    body: &Rendered,
    by: isize,
) {
    for (name, pair) in &body.classes {
        let entry = counts.entry(name.clone()).or_insert((*pair, 0));
        entry.1 = entry
            .1
            .checked_add_signed(by)
            .expect("counts match the bodies");
        if entry.1 == 0 {
            counts.remove(name);
        }
    }
}

/// A hash of everything a link resolves against: the configuration, every article's source path
/// and URL, and the content folder's other files. While it is unchanged, an unchanged text's
/// links resolve as before and need not be resolved again.
fn link_table_key(config: &Config, model: &Model) -> blake3::Hash {
    let mut key = blake3::Hasher::new();
    key.update(format!("{config:?}").as_bytes());
    for page in &model.pages {
        key.update(page.source.rel.as_bytes())
            .update(&[0])
            .update(page.path.as_bytes())
            .update(&[0]);
    }
    key.update(&[1]);
    for asset in &model.assets {
        key.update(asset.as_bytes()).update(&[0]);
    }
    key.finalize()
}

/// A page's kind as bytes, for keys.
fn kind_bytes(kind: Kind) -> [u8; 17] {
    let (tag, a, b) = match kind {
        Kind::Home => (0, 0, 0),
        Kind::Framework(f) => (1, f, 0),
        Kind::Dimension(d) => (2, d, 0),
        Kind::Cell {
            framework,
            dimension,
        } => (3, framework, dimension),
        Kind::Article => (4, 0, 0),
    };
    let mut bytes = [0; 17];
    bytes[0] = tag;
    bytes[1..9].copy_from_slice(&(a as u64).to_le_bytes());
    bytes[9..].copy_from_slice(&(b as u64).to_le_bytes());
    bytes
}

/// The ids reserved on page `i` (see [`markdown::reserved_ids`]).
fn reserved(model: &Model, i: usize) -> Vec<String> {
    markdown::reserved_ids(model, i)
        .map(str::to_string)
        .collect()
}

/// A hash of everything templates may show of a body.
fn body_hash(r: &Rendered) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(r.html.as_bytes());
    for t in &r.toc {
        h.update(&[t.level])
            .update(t.id.as_bytes())
            .update(&[0])
            .update(t.title.as_bytes())
            .update(&[0]);
    }
    for s in &r.samples {
        h.update(s.lang.as_bytes())
            .update(&[0])
            .update(s.attrs.join(" ").as_bytes())
            .update(&[0])
            .update(s.html.as_bytes())
            .update(&[0]);
    }
    h.finalize()
}

/// The key of page `i`'s output: the global key, its own key, its neighbours' (their titles
/// and URLs are its prev/next links), and for cells the framework and dimension pages they
/// show, for framework and dimension pages every cell they embed with its axes.
fn page_key(model: &Model, i: usize, own: &[blake3::Hash], global: &blake3::Hash) -> blake3::Hash {
    let mut key = blake3::Hasher::new();
    key.update(global.as_bytes()).update(own[i].as_bytes());
    let (prev, next) = model.neighbours(i);
    for n in [prev, next] {
        match n {
            Some(n) => key.update(own[n].as_bytes()),
            None => key.update(b"-"),
        };
    }
    let mut related = Vec::new();
    match model.pages[i].kind {
        Kind::Cell {
            framework,
            dimension,
        } => related.extend([
            model.frameworks[framework].page,
            model.dimensions[dimension].page,
        ]),
        Kind::Framework(f) => {
            for d in 0..model.dimensions.len() {
                if let Some(c) = model.cell(f, d) {
                    related.extend([c, model.dimensions[d].page]);
                }
            }
        }
        Kind::Dimension(d) => {
            for f in 0..model.frameworks.len() {
                if let Some(c) = model.cell(f, d) {
                    related.extend([c, model.frameworks[f].page]);
                }
            }
        }
        Kind::Home | Kind::Article => {}
    }
    for r in related {
        key.update(own[r].as_bytes());
    }
    key.finalize()
}
