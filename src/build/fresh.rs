//! [`Fresh`]: the clean computation of every stage, what `handbook build` and `check` run.
//! "Clean" is about the result, not the work: a writing build takes from `.handbook-cache/`
//! whatever was made under the same key by an earlier build (bodies, search sections, output
//! files; see `disk_cache` and `reuse`), which is byte for byte what it would make.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::keys;
use super::reuse::Reuse;
use super::Memo;
use crate::content::config::Config;
use crate::content::load::{self, Loaded};
use crate::content::model::Model;
use crate::diagnostic::{content_errors, Diagnostic, Error, Result};
use crate::markdown::disk_cache::DiskCache;
use crate::markdown::highlight::Classes;
use crate::markdown::{self, classes, Rendered};
use crate::outputs::files::Output;
use crate::outputs::pairs;
use crate::outputs::search::{self, Section};
use crate::render::{output_path, Renderer};
use crate::util::pack::Pack;

/// What the search sections' pack starts with.
const SEARCH_MAGIC: &[u8] = b"handbook-search-v1";

/// The clean computation of every stage.
#[derive(Default)]
pub struct Fresh {
    /// Drop what no later stage reads of a body as soon as it has been read (code samples'
    /// source and links at once, anchors and classes once checked and counted, samples and
    /// tables of contents once the pages are made): at 10,000 pages that is hundreds of
    /// megabytes. `check` keeps them, for the sample checker.
    pub lean: bool,
    /// Output files of earlier builds, for a build that writes (`None`: `check`, `export`,
    /// `--no-cache`).
    pub(crate) reuse: Option<Arc<Reuse>>,
    /// `.handbook-cache/`, for a build that writes and caches.
    cache_dir: Option<PathBuf>,
    /// Every page's body cache key: a hash of its text and of everything its body is rendered
    /// under, program and settings included. Empty without a cache.
    sources: Vec<[u8; 32]>,
    /// Every page's own key ([`keys::own_key`]), once the pages are made with `reuse`.
    own: Vec<blake3::Hash>,
    global: Option<blake3::Hash>,
}

/// The keys of what a build makes from every page, for [`Reuse`].
pub(crate) struct SiteKeys {
    pub(crate) print: blake3::Hash,
    pub(crate) search: blake3::Hash,
    /// Every page's own key, for caches of per-page pieces of whole-site files.
    pub(crate) own: Vec<blake3::Hash>,
    pub(crate) cache_dir: PathBuf,
}

impl Fresh {
    /// A writing build's stages, reusing `.handbook-cache/` unless `--no-cache`.
    pub(crate) fn writing(config: &Config) -> Fresh {
        Fresh {
            lean: true,
            reuse: Reuse::open(config).map(Arc::new),
            cache_dir: config.cache.then(|| config.cache_dir()),
            ..Fresh::default()
        }
    }

    /// The keys of print.html and the search index, once the pages are made.
    pub(crate) fn site_keys(&self) -> Option<SiteKeys> {
        let global = self.global?;
        Some(SiteKeys {
            print: keys::site_key("print", &global, &self.own),
            search: keys::site_key("search", &global, &self.own),
            own: self.own.clone(),
            cache_dir: self.cache_dir.clone()?,
        })
    }

    /// Each page's own key, from its source key and renamed body.
    fn own_keys(&self, model: &Model, bodies: &[Arc<Rendered>]) -> Vec<blake3::Hash> {
        (0..model.pages.len())
            .into_par_iter()
            .map(|i| keys::own_key(model, i, &self.sources[i], &keys::body_hash(&bodies[i])))
            .collect()
    }
}

impl Memo for Fresh {
    fn lean(&self) -> bool {
        self.lean
    }

    fn load(&mut self, config: &Config, _changed: &[PathBuf]) -> Result<Loaded> {
        load::load(config).map_err(content_errors)
    }

    fn markdown(&mut self, config: &Config, model: &Model) -> Vec<Arc<Rendered>> {
        let lean = |mut body: Rendered| {
            if self.lean {
                body.links = Vec::new();
                for sample in &mut body.samples {
                    sample.code = String::new();
                }
            }
            Arc::new(body)
        };
        let Some(cache) = DiskCache::open(config, model) else {
            return (0..model.pages.len())
                .into_par_iter()
                .map(|i| lean(markdown::render(model, config, i)))
                .collect();
        };
        let (sources, bodies): (Vec<[u8; 32]>, Vec<Arc<Rendered>>) = (0..model.pages.len())
            .into_par_iter()
            .map(|i| {
                let key = cache.key(model, i);
                let body = cache.get(&key).unwrap_or_else(|| {
                    let body = markdown::render(model, config, i);
                    cache.put(&key, &body);
                    body
                });
                (key, lean(body))
            })
            .unzip();
        cache.commit();
        self.sources = sources;
        bodies
    }

    fn classes(&mut self, bodies: &[Arc<Rendered>]) -> (Classes, HashMap<String, String>) {
        let refs: Vec<&Rendered> = bodies.iter().map(|b| &**b).collect();
        classes::site_classes(&refs)
    }

    fn rename(
        &mut self,
        _model: &Model,
        bodies: Vec<Arc<Rendered>>,
        _classes: &Classes,
        names: &HashMap<String, String>,
    ) -> Vec<Arc<Rendered>> {
        bodies
            .into_par_iter()
            .map(|body| {
                // Nothing else holds a fresh body: renamed in place, never copied.
                let mut renamed = Arc::try_unwrap(body).unwrap_or_else(|shared| (*shared).clone());
                classes::rename_classes(&mut renamed, names);
                if self.lean {
                    // Anchors are checked and classes counted by now.
                    renamed.anchors = Vec::new();
                    renamed.classes = Default::default();
                }
                Arc::new(renamed)
            })
            .collect()
    }

    fn pages(
        &mut self,
        renderer: &Renderer,
        model: &Model,
        bodies: &[Arc<Rendered>],
        output: &mut Output,
    ) -> Result<()> {
        let Some(sink) = output.sink().cloned() else {
            // One page at a time from String to the site's bytes: never all of them twice.
            for (path, html) in renderer.render_all()? {
                output.add(path, html);
            }
            return Ok(());
        };
        let reuse = self
            .reuse
            .clone()
            .filter(|_| self.sources.len() == bodies.len());
        let Some(reuse) = reuse else {
            // Written as they are made, from every thread: pages never pile up in memory.
            let paths = renderer.render_each(|path, html| sink.write(path, html.as_bytes()))?;
            for path in paths {
                output.written(path);
            }
            return Ok(());
        };
        let global = renderer.global_key();
        self.own = self.own_keys(model, bodies);
        self.global = Some(global);
        let own = &self.own;
        let paths: Vec<String> = model.pages.iter().map(|p| output_path(&p.path)).collect();
        let results: Vec<std::result::Result<String, Diagnostic>> = (0..model.pages.len())
            .into_par_iter()
            .map(|i| {
                let path = paths[i].clone();
                let key = keys::page_key(model, i, own, &global);
                if !reuse.place(&key, &path, &*sink) {
                    let html = renderer.render_page(i)?;
                    sink.write(&path, html.as_bytes());
                    reuse.keep(&key, &path, &*sink);
                }
                Ok(path)
            })
            .collect();
        for path in crate::diagnostic::all_or_errors(results)? {
            output.written(path);
        }
        let not_found = keys::site_key("404", &global, &[]);
        if !reuse.place(&not_found, "404.html", &*sink) {
            sink.write("404.html", renderer.render_404()?.as_bytes());
            reuse.keep(&not_found, "404.html", &*sink);
        }
        output.written("404.html");
        Ok(())
    }

    fn pair_pages(
        &mut self,
        renderer: &Renderer,
        config: &Config,
        model: &Model,
        output: &mut Output,
    ) -> Result<()> {
        let sink = output.sink().cloned();
        let (Some(reuse), Some(sink), Some(global)) = (self.reuse.clone(), sink, self.global)
        else {
            return pairs::add(renderer, config, model, output);
        };
        let own = &self.own;
        let pairs = pairs::outputs(config, model);
        pairs.par_iter().try_for_each(|(a, b, path)| {
            let key = keys::pair_key(model, *a, *b, own, &global);
            if !reuse.place(&key, path, &*sink) {
                let (_, html) = pairs::render_one(renderer, model, *a, *b)?;
                sink.write(path, html.as_bytes());
                reuse.keep(&key, path, &*sink);
            }
            Ok::<(), Error>(())
        })?;
        for (_, _, path) in pairs {
            output.written(path);
        }
        Ok(())
    }

    fn search_sections(
        &mut self,
        model: &Model,
        bodies: &[Arc<Rendered>],
    ) -> Vec<Arc<Vec<Section>>> {
        let extract = |i: usize| search::entries(&search::page_info(model, i), &bodies[i].html);
        let cached = match (&self.cache_dir, self.own.len() == bodies.len()) {
            (Some(dir), true) => Some(Pack::open(&dir.join("search.pack"), SEARCH_MAGIC)),
            _ => None,
        };
        let Some(pack) = cached else {
            return (0..model.pages.len())
                .into_par_iter()
                .map(|i| Arc::new(extract(i)))
                .collect();
        };
        let own = &self.own;
        let sections = (0..model.pages.len())
            .into_par_iter()
            .map(|i| {
                let key = own[i].as_bytes();
                let stored = pack
                    .get(key)
                    .and_then(|bytes| postcard::from_bytes::<Vec<Section>>(&bytes).ok());
                Arc::new(stored.unwrap_or_else(|| {
                    let sections = extract(i);
                    if let Ok(bytes) = postcard::to_stdvec(&sections) {
                        pack.put(key, &bytes);
                    }
                    sections
                }))
            })
            .collect();
        pack.commit();
        sections
    }
}
