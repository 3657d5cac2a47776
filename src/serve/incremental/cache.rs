//! What each stage of the last rebuild produced, and how the incremental engine decides what
//! to reuse: the engine's [`Memo`] for `build::run`. The keys it compares are in `keys`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::build::keys;
use crate::build::Memo;
use crate::content::config::Config;
use crate::content::load::{self, Loaded, Source};
use crate::content::model::Model;
use crate::diagnostic::{content_errors, Diagnostic, Error, Result};
use crate::markdown::highlight::{self, Classes, StylePair};
use crate::markdown::{self, classes, links, Rendered};
use crate::outputs::files::Output;
use crate::outputs::search::{self, Section};
use crate::render::theme::Theme;
use crate::render::{output_path, Renderer};

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

/// What each stage produced at the last rebuild: the engine's [`Memo`].
#[derive(Default)]
pub(super) struct Cache {
    /// Markdown files and other files of the content folder, as last listed.
    listing: Option<(Vec<String>, Vec<String>)>,
    /// Content-relative path -> the article as last read (drafts included).
    sources: HashMap<String, Arc<Source>>,
    bodies: HashMap<String, Body>,
    renamed: HashMap<String, Renamed>,
    /// Output path -> (key, bytes) of every page template output.
    pages: HashMap<String, (blake3::Hash, Arc<[u8]>)>,
    /// How many pages the last rebuild rendered.
    pub(super) rendered: usize,
    /// Every highlight class of the current bodies, with how many bodies use it: the site's
    /// classes without going through every body after each edit.
    classes: BTreeMap<String, (StylePair, usize)>,
    /// Content-relative path -> (own key, search sections) of every page.
    search: HashMap<String, (blake3::Hash, Arc<Vec<Section>>)>,
    /// What every link resolves against (see [`keys::link_table_key`]) at the last rebuild.
    link_table: Option<blake3::Hash>,
    /// Every page's own key ([`Cache::own_key`]) in this rebuild.
    own: Vec<blake3::Hash>,
    /// When each article last changed, read from git once per configuration.
    git: Option<crate::content::git_dates::GitDates>,
    /// The parsed templates with their global context, and the keys they were made under.
    tera: Option<crate::render::Kept>,
    /// The sitemap and matrix.json, under the shape key ([`keys::shape_key`]) they were made for.
    model_files: Option<(blake3::Hash, Vec<crate::build::SiteFile>)>,
}

impl Memo for Cache {
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
                content_errors(vec![Diagnostic::new(
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
        let Some((markdown, assets)) = self.listing.clone() else {
            return Err(content_errors(vec![]));
        };
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
                    self.sources.insert(source.rel.clone(), Arc::new(source));
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(content_errors(errors));
        }
        let sources = markdown
            .iter()
            .filter_map(|rel| self.sources.get(rel))
            .filter(|s| config.drafts || !s.front.draft)
            .cloned()
            .collect();
        // git is asked once per configuration, never on every keystroke.
        let git = self
            .git
            .get_or_insert_with(|| crate::content::git_dates::read(config))
            .clone();
        Ok(Loaded {
            sources,
            assets,
            git,
        })
    }

    /// Every page's body, rendered again only where the text, the reserved ids or a link's
    /// outcome changed.
    fn markdown(&mut self, config: &Config, model: &Model) -> Vec<Arc<Rendered>> {
        let link_table = keys::link_table_key(config, model);
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
        // Every index is either reused or in `fresh`; flatten keeps the types honest.
        bodies.into_iter().flatten().collect()
    }

    fn renderer<'a>(
        &mut self,
        theme: &Theme,
        config: &'a Config,
        model: &'a Model,
        bodies: &'a [&'a Rendered],
        assets: &BTreeMap<String, String>,
        shape: &blake3::Hash,
    ) -> Result<Renderer<'a>> {
        Renderer::reusing(theme, config, model, bodies, assets, shape, &mut self.tera)
    }

    fn model_files(
        &mut self,
        config: &Config,
        model: &Model,
        shape: &blake3::Hash,
    ) -> Vec<crate::build::SiteFile> {
        match &self.model_files {
            Some((key, files)) if key == shape => files.clone(),
            _ => {
                let files = crate::build::model_files(config, model);
                self.model_files = Some((*shape, files.clone()));
                files
            }
        }
    }

    fn classes(&mut self, _bodies: &[Arc<Rendered>]) -> (Classes, HashMap<String, String>) {
        let classes: Classes = self
            .classes
            .iter()
            .map(|(name, (pair, _))| (name.clone(), *pair))
            .collect();
        highlight::short_names(&classes)
    }

    /// The bodies with the site's short class names.
    fn rename(
        &mut self,
        model: &Model,
        bodies: Vec<Arc<Rendered>>,
        classes: &Classes,
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
                        classes::rename_classes(&mut rendered, names);
                        let rendered = Arc::new(rendered);
                        let entry = Renamed {
                            from: body.clone(),
                            names: names_key,
                            rendered: rendered.clone(),
                            hash: keys::body_hash(&rendered),
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

    /// Renders the pages whose key changed; reuses the bytes of the others. The pair pages
    /// (a cell of every dimension for two frameworks: few and cheap) are not keyed; the stage
    /// list renders them again every time.
    fn pages(
        &mut self,
        renderer: &Renderer,
        model: &Model,
        bodies: &[Arc<Rendered>],
        output: &mut Output,
    ) -> Result<()> {
        self.own = (0..model.pages.len())
            .into_par_iter()
            .map(|i| self.own_key(model, i))
            .collect();
        let _ = bodies;
        let own = &self.own;
        let global = renderer.global_key();
        let results: Vec<std::result::Result<PageBytes, Diagnostic>> = (0..model.pages.len())
            .into_par_iter()
            .map(|i| {
                let path = output_path(&model.pages[i].path);
                let key = keys::page_key(model, i, own, &global);
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
        for (path, (_, bytes)) in &self.pages {
            output.add_shared(path.clone(), bytes.clone());
        }
        Ok(())
    }

    /// Every page's search sections, extracted again only for pages whose own key changed (it
    /// covers all [`search::entries`] reads: the body, the title, the summary, the slugs).
    fn search_sections(
        &mut self,
        model: &Model,
        bodies: &[Arc<Rendered>],
    ) -> Vec<Arc<Vec<Section>>> {
        let own = &self.own;
        let sections: Vec<Arc<Vec<Section>>> = (0..model.pages.len())
            .into_par_iter()
            .map(|i| match self.search.get(&model.pages[i].source.rel) {
                Some((key, sections)) if *key == own[i] => sections.clone(),
                _ => Arc::new(search::entries(
                    &search::page_info(model, i),
                    &bodies[i].html,
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
}

impl Cache {
    /// What templates see of page `i` itself ([`keys::own_key`]).
    fn own_key(&self, model: &Model, i: usize) -> blake3::Hash {
        let rel = &model.pages[i].source.rel;
        // Both are filled for every page by the markdown and rename stages before this runs.
        let source = self.bodies.get(rel).map(|b| b.text_hash);
        let body = self.renamed.get(rel).map(|r| r.hash);
        keys::own_key(
            model,
            i,
            source.as_ref().map_or(&[][..], |h| h.as_bytes()),
            &body.unwrap_or_else(|| blake3::hash(b"")),
        )
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
}

/// Adds (`by` = 1) or removes (-1) the classes of a body from the site's counts.
fn count_classes(counts: &mut BTreeMap<String, (StylePair, usize)>, body: &Rendered, by: isize) {
    for (name, pair) in &body.classes {
        let entry = counts.entry(name.clone()).or_insert((*pair, 0));
        // Counts match the bodies; should one ever not, the class stays rather than panic.
        entry.1 = entry.1.saturating_add_signed(by);
        if entry.1 == 0 {
            counts.remove(name);
        }
    }
}

/// The ids reserved on page `i` (see [`markdown::reserved_ids`]).
fn reserved(model: &Model, i: usize) -> Vec<String> {
    markdown::reserved_ids(model, i)
        .map(str::to_string)
        .collect()
}
