//! Incremental rebuilds, for `handbook serve --watch`.
//!
//! [`Incremental`] runs the stage list of a clean build ([`build::run`]) with its own
//! [`Memo`]: what each stage produced last time, reused where a change cannot have affected it.
//!
//! - **Sources**: a file is read again only when the watcher named it (or it is new).
//! - **Markdown** (the expensive stage: parsing and highlighting): a body is reused when its
//!   text, the ids reserved on its page and the outcome of every one of its links are unchanged.
//!   Links are resolved again (cheap) because adding, renaming or deleting another article can
//!   turn a working link into a broken one, or the reverse.
//! - **Short class names** are site-wide (a class's rank among all the site's classes); a body
//!   is renamed again only when it changed or the set of classes did.
//! - **Templates**: every page has a key (`keys::page_key`) hashing what its template sees. A
//!   page is rendered again only when its key changed.
//! - **Search**: a page's sections are extracted again only when its own key changed.
//!
//! Whatever the sequence of changes, the output equals a clean build of the final files
//! (`tests/incremental.rs` checks it byte for byte).

mod cache;

use std::path::{Path, PathBuf};

use crate::build::{self, Site};
use crate::content::config::{Config, Overrides, CONFIG_FILE};
use crate::diagnostic::Result;
use cache::Cache;

/// The incremental engine of one handbook: its configuration and what the last rebuild made.
pub struct Incremental {
    root: PathBuf,
    overrides: Overrides,
    config: Option<Config>,
    cache: Cache,
}

impl Incremental {
    pub fn new(root: &Path, overrides: Overrides) -> Incremental {
        Incremental {
            root: root.to_path_buf(),
            overrides,
            config: None,
            cache: Cache::default(),
        }
    }

    /// The configuration of the last rebuild that got as far as reading it.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Rebuilds the site after the files `changed` (absolute paths; files or folders, created,
    /// modified or removed) changed. The first call builds everything.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Site> {
        let config_changed = changed.iter().any(|p| {
            p.file_name().is_some_and(|n| n == CONFIG_FILE) && p.parent() == Some(&*self.root)
        });
        let config = match self.config.take() {
            Some(config) if !config_changed => config,
            _ => {
                // After book.toml changed, nothing may be reused.
                self.cache = Cache::default();
                Config::load(&self.root, &self.overrides)?
            }
        };
        let result = build::run(&config, &mut self.cache, changed);
        self.config = Some(config);
        let mut site = result?;
        site.rendered = self.cache.rendered;
        Ok(site)
    }
}
