//! The site a run of the stages produced, in memory, with the two whole-site files that are
//! made only when first asked for: print.html (at 100 x 100, 150 MB and seconds of work) and
//! the search index. `build` asks for both at once; `serve` only when a browser does.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::fresh::SiteKeys;
use super::reuse::Reuse;
use crate::util::pack::Pack;

/// What the pack of articles' print versions starts with.
const PRINT_MAGIC: &[u8] = b"handbook-print-v1";
use crate::content::config::Config;
use crate::content::model::Model;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::markdown::Rendered;
use crate::outputs::files::{FileContent, Output};
use crate::outputs::print;
use crate::outputs::search::{self, Section};
use crate::render::theme::Theme;
use crate::render::Renderer;

/// One built site: every file but print.html and the search index, which are made on demand.
pub struct Site {
    pub output: Output,
    pub pages: usize,
    /// How many pages were rendered with their template (an incremental rebuild reuses the
    /// bytes of the others).
    pub rendered: usize,
    pub model: Arc<Model>,
    /// Every page's body, with the site's short class names.
    pub bodies: Vec<Arc<Rendered>>,
    /// Problems that did not stop the build (broken links under `link-check = "warn"`).
    pub warnings: Vec<Diagnostic>,
    search: Option<SearchJob>,
    print: Option<PrintJob>,
    /// Where a writing build finds and keeps its output files, and the keys of the index and
    /// print.html.
    pub(crate) reuse: Option<(Arc<Reuse>, SiteKeys)>,
}

/// The search index of a writing build: made, or linked from the cache.
enum Index {
    Made(BTreeMap<String, Arc<[u8]>>),
    Placed(Vec<String>),
}

/// What the search index is made from, and its files once made.
pub(crate) struct SearchJob {
    sections: Vec<Arc<Vec<Section>>>,
    facets: search::Facets,
    files: OnceLock<BTreeMap<String, Arc<[u8]>>>,
}

/// What print.html is made from besides the model and the bodies, and the page once made.
pub(crate) struct PrintJob {
    config: Config,
    theme: Theme,
    assets: BTreeMap<String, String>,
    page: OnceLock<std::result::Result<Arc<[u8]>, String>>,
}

/// Where the bytes of a served file are.
pub enum FileBytes {
    Memory(Arc<[u8]>),
    /// A file the site copies from the handbook (content assets, `static/`).
    Disk(PathBuf),
    /// print.html could not be rendered.
    Failed(String),
}

impl SearchJob {
    pub(crate) fn new(sections: Vec<Arc<Vec<Section>>>, facets: search::Facets) -> Self {
        SearchJob {
            sections,
            facets,
            files: OnceLock::new(),
        }
    }

    fn files(&self) -> &BTreeMap<String, Arc<[u8]>> {
        self.files.get_or_init(|| {
            let sections: Vec<&Section> =
                self.sections.iter().flat_map(|page| page.iter()).collect();
            search::index(&sections, &self.facets)
                .into_iter()
                .map(|(path, bytes)| (path, Arc::from(bytes)))
                .collect()
        })
    }
}

impl PrintJob {
    pub(crate) fn new(config: Config, theme: Theme, assets: BTreeMap<String, String>) -> Self {
        PrintJob {
            config,
            theme,
            assets,
            page: OnceLock::new(),
        }
    }

    fn render(&self, model: &Model, bodies: &[Arc<Rendered>]) -> Result<Arc<[u8]>> {
        let mut page = Vec::new();
        self.write(model, bodies, None, &mut page)?;
        Ok(Arc::from(page))
    }

    /// Writes print.html into `out`; with `keys`, each article's print version comes from and
    /// goes to `.handbook-cache/print.pack`.
    fn write(
        &self,
        model: &Model,
        bodies: &[Arc<Rendered>],
        keys: Option<&SiteKeys>,
        out: &mut dyn std::io::Write,
    ) -> Result<()> {
        let refs: Vec<&Rendered> = bodies.iter().map(|b| &**b).collect();
        let renderer = Renderer::new(&self.theme, &self.config, model, &refs, &self.assets)?;
        let Some(keys) = keys else {
            return print::write(&renderer, &self.config, model, &refs, None, out);
        };
        let pack = Pack::open(&keys.cache_dir.join("print.pack"), PRINT_MAGIC);
        let kept = print::Kept {
            pack: &pack,
            pages: &keys.own,
            links: print::Kept::links_key(&self.config, model, &refs),
        };
        print::write(&renderer, &self.config, model, &refs, Some(kept), out)?;
        pack.commit();
        Ok(())
    }
}

impl Site {
    pub(crate) fn new(
        output: Output,
        pages: usize,
        model: Arc<Model>,
        bodies: Vec<Arc<Rendered>>,
        search: Option<SearchJob>,
        print: Option<PrintJob>,
    ) -> Self {
        Site {
            output,
            pages,
            rendered: pages,
            warnings: Vec::new(),
            model,
            bodies,
            search,
            print,
            reuse: None,
        }
    }

    /// The bytes of `print.html` (rendered on the first call), or `None` when the handbook has
    /// no print page.
    pub fn print(&self) -> Option<std::result::Result<Arc<[u8]>, String>> {
        let job = self.print.as_ref()?;
        let page = job.page.get_or_init(|| {
            job.render(&self.model, &self.bodies)
                .map_err(|e| error_text(&e))
        });
        Some(page.clone())
    }

    /// Every file, print.html and the search index included: what `handbook build` writes.
    pub fn complete_output(&self) -> Result<Output> {
        let mut output = self.output.clone();
        if let Some(job) = &self.print {
            let page = match job.page.get() {
                Some(Ok(page)) => page.clone(),
                _ => job.render(&self.model, &self.bodies)?,
            };
            output.add_shared(print::PAGE, page);
        }
        if let Some(job) = &self.search {
            for (path, bytes) in job.files() {
                output.add_shared(path.clone(), bytes.clone());
            }
        }
        Ok(output)
    }

    /// Every file, like [`Site::complete_output`], for a build that needs nothing else of the
    /// site: the index is encoded first and its sections dropped before print.html is made,
    /// so the two never take memory at the same time.
    pub fn into_output(self) -> Result<Output> {
        let Site {
            mut output,
            model,
            mut bodies,
            search,
            print,
            reuse,
            ..
        } = self;
        // The pages are made: print.html reads only each body's HTML and ids.
        for body in &mut bodies {
            if let Some(body) = Arc::get_mut(body) {
                body.samples = Vec::new();
                body.toc = Vec::new();
            }
        }
        // The index and the print page are independent: made at once, they keep both cores
        // busy at the end of a build, where each alone runs mostly on one. A writing build
        // streams print.html into its file: the page never sits in memory. Either is linked
        // from the cache instead when it was made before from the very same pages.
        let sink = output.sink().cloned();
        let kept = reuse.as_ref().zip(sink.as_ref());
        let (index, page) = rayon::join(
            || {
                search.map(|job| {
                    if let Some(((reuse, keys), sink)) = kept {
                        if let Some(paths) = reuse.place_group(&keys.search, &**sink) {
                            return Index::Placed(paths);
                        }
                    }
                    job.files();
                    let SearchJob { files, .. } = job;
                    Index::Made(files.into_inner().unwrap_or_default())
                })
            },
            || {
                print.as_ref().map(|job| match &sink {
                    Some(sink) => {
                        if let Some(((reuse, keys), _)) = kept {
                            if reuse.place(&keys.print, print::PAGE, &**sink) {
                                return Ok(None);
                            }
                        }
                        // Without a file the sink fails the build with the reason when it is
                        // committed.
                        if let Some(mut file) = sink.create(print::PAGE) {
                            job.write(&model, &bodies, kept.map(|((_, keys), _)| keys), &mut file)?;
                            drop(file);
                            if let Some(((reuse, keys), _)) = kept {
                                reuse.keep(&keys.print, print::PAGE, &**sink);
                            }
                        }
                        Ok(None)
                    }
                    None => job.render(&model, &bodies).map(Some),
                })
            },
        );
        match index {
            Some(Index::Placed(paths)) => {
                for path in paths {
                    output.written(path);
                }
            }
            Some(Index::Made(files)) => match kept {
                Some(((reuse, keys), sink)) => {
                    reuse.write_group(&keys.search, &files, &**sink);
                    for path in files.into_keys() {
                        output.written(path);
                    }
                }
                None => {
                    for (path, bytes) in files {
                        output.add_shared(path, bytes);
                    }
                }
            },
            None => {}
        }
        match page.transpose()? {
            Some(Some(page)) => output.add_shared(print::PAGE, page),
            Some(None) => output.written(print::PAGE),
            None => {}
        }
        Ok(output)
    }

    /// The bytes of the file at `path` of the site (print.html and the index included).
    pub fn file(&self, path: &str) -> Option<FileBytes> {
        if path == print::PAGE {
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
            // serve's site is never streamed to disk.
            FileContent::Written => None,
        }
    }
}

/// An error as the terminal shows it, for the error overlay of a page that failed.
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
