//! Watching the handbook and rebuilding when it changes.
//!
//! Folders are watched, never single files: editors save by writing a new file and renaming it
//! over the old one, which replaces the inode a file watch would hold. The content folder,
//! `themes/` and `static/` are watched recursively, the handbook's folder itself (for book.toml,
//! and for `themes/` or `static/` appearing later) not. Events are debounced; reading the file
//! (`Access`) is no change; hidden files and editor temporaries (`*~`, `.*.swp`, `4913`, `.#*`)
//! and the output folder are ignored.
//!
//! One thread rebuilds. Events that arrive while it works wait in the channel and make up the
//! next rebuild, so no change is lost, and a burst of saves costs one or two rebuilds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache,
};

use super::{report, Shared};
use crate::content::config::{Config, CONFIG_FILE};
use crate::content::load::is_ignored;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::serve::incremental::Incremental;

/// How long a file must be quiet before its change is handled: long enough to gather an
/// editor's save (truncate and write, or write a temporary and rename: microseconds apart),
/// short enough not to be felt. A save slower than this costs one more rebuild, not a wrong
/// site: the last event always rebuilds from the files as they are.
const DEBOUNCE: Duration = Duration::from_millis(5);
/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The watcher, native (inotify, FSEvents, ...) or polling (`--poll`, for WSL and Docker
/// volumes where native events do not arrive).
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

impl Watcher {
    pub fn new(poll: bool, events: Sender<DebounceEventResult>) -> Result<Watcher> {
        let failed = |e: notify::Error| {
            Error::Io(anyhow::anyhow!(
                "cannot watch files: {e}; try --poll, or raise fs.inotify.max_user_watches"
            ))
        };
        Ok(if poll {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            Watcher::Poll(
                new_debouncer_opt(DEBOUNCE, None, events, RecommendedCache::new(), config)
                    .map_err(failed)?,
            )
        } else {
            Watcher::Native(new_debouncer(DEBOUNCE, None, events).map_err(failed)?)
        })
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.unwatch(path),
            Watcher::Poll(d) => d.unwatch(path),
        }
    }
}

/// Which folder a path names right now: a folder deleted and made again, or renamed away and
/// back (`git checkout`, `git stash`, `mv content c2; cp -r c2 content`), is another folder with
/// the same path, and a watch on the old one sees nothing of it.
fn identity(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        meta.is_dir().then_some((0, 0))
    }
}

/// What is watched, and what of it matters.
pub struct Watched {
    root: PathBuf,
    /// Each watched folder with the identity it had when its watch was set.
    folders: std::collections::BTreeMap<PathBuf, Option<(u64, u64)>>,
}

impl Watched {
    pub fn new(root: &Path) -> Watched {
        Watched {
            root: root.to_path_buf(),
            folders: Default::default(),
        }
    }

    /// Whether a watched folder is gone or is another folder now: its watch is stale.
    pub fn is_stale(&self) -> bool {
        self.folders.iter().any(|(dir, id)| identity(dir) != *id)
    }

    /// Starts watching the folders of `config` not watched yet (they may appear later);
    /// whether it started any.
    pub fn update(&mut self, watcher: &mut Watcher, config: Option<&Config>) -> Result<bool> {
        let mut wanted = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        for dir in [self.root.join("themes"), self.root.join("static")] {
            wanted.push((dir, RecursiveMode::Recursive));
        }
        if let Some(config) = config {
            wanted.push((config.content_dir.clone(), RecursiveMode::Recursive));
        }
        // Folders that were deleted, or replaced by another folder of the same name, lose their
        // stale watch and are watched again below if they exist.
        let stale: Vec<PathBuf> = self
            .folders
            .iter()
            .filter(|(dir, id)| identity(dir) != **id)
            .map(|(dir, _)| dir.clone())
            .collect();
        for dir in stale {
            let _ = watcher.unwatch(&dir);
            self.folders.remove(&dir);
        }
        let mut started = false;
        for (dir, mode) in wanted {
            if self.folders.contains_key(&dir) || !dir.is_dir() {
                continue;
            }
            started = true;
            watcher.watch(&dir, mode).map_err(|e| {
                Error::Io(anyhow::anyhow!(
                    "cannot watch {}: {e}; try --poll",
                    dir.display()
                ))
            })?;
            let id = identity(&dir);
            self.folders.insert(dir, id);
        }
        Ok(started)
    }

    /// Whether a change of `path` can change the site.
    fn matters(&self, path: &Path, config: Option<&Config>) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return config.is_some_and(|c| path.starts_with(&c.content_dir));
        };
        if rel
            .components()
            .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
        {
            return false;
        }
        if let Some(config) = config {
            if path.starts_with(&config.out_dir) {
                return false;
            }
            if path.starts_with(&config.content_dir) {
                return true;
            }
        }
        rel == Path::new(CONFIG_FILE)
            || rel.starts_with("themes")
            || rel.starts_with("static")
            || config.is_none_or(|c| c.content_dir.starts_with(path))
    }
}

/// Rebuilds on every batch of changes until the watcher is dropped.
pub fn rebuild_loop(
    events: Receiver<DebounceEventResult>,
    mut incremental: Incremental,
    mut watcher: Watcher,
    mut watched: Watched,
    shared: Arc<Shared>,
) {
    // Set when a folder came to be watched only after a rebuild read it: what was written in it
    // before its watch was set sent no event, so everything is read again.
    let mut rescan = false;
    loop {
        let mut changed = BTreeSet::new();
        if !rescan {
            let Ok(first) = events.recv() else { break };
            collect(first, &watched, incremental.config(), &mut changed);
        }
        while let Ok(more) = events.try_recv() {
            collect(more, &watched, incremental.config(), &mut changed);
        }
        if std::mem::take(&mut rescan) || watched.is_stale() {
            // A watched folder was replaced: its events may have been lost with its old watch,
            // so everything in it counts as changed, and it is watched again below.
            if let Err(e) = watched.update(&mut watcher, incremental.config()) {
                report(&e);
            }
            changed.extend(incremental.config().map(|c| c.content_dir.clone()));
            changed.insert(watched.root.join(CONFIG_FILE));
        }
        if changed.is_empty() {
            continue;
        }
        let changed: Vec<PathBuf> = changed.into_iter().collect();
        let start = Instant::now();
        let result = incremental.rebuild(&changed);
        match result {
            Ok(site) => {
                crate::diagnostic::print_warnings(&site.warnings);
                let (pages, rendered) = (site.pages, site.rendered);
                let base_url = incremental
                    .config()
                    .map(|c| c.base_url.clone())
                    .unwrap_or_else(|| "/".into());
                shared.publish(site, base_url);
                println!(
                    "Rebuilt in {:.0?}: {rendered} of {pages} pages rendered again ({})",
                    start.elapsed(),
                    describe(&changed)
                );
            }
            Err(e) => {
                report(&e);
                shared.fail(&e);
            }
        }
        match watched.update(&mut watcher, incremental.config()) {
            Ok(started) => rescan = started,
            Err(e) => report(&e),
        }
    }
}

/// Adds the paths of a batch of events that can change the site.
fn collect(
    batch: DebounceEventResult,
    watched: &Watched,
    config: Option<&Config>,
    changed: &mut BTreeSet<PathBuf>,
) {
    match batch {
        Ok(events) => {
            for event in events {
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                if event.need_rescan() {
                    // Events were dropped: everything may have changed.
                    changed.extend(config.map(|c| c.content_dir.clone()));
                    changed.insert(watched.root.join(CONFIG_FILE));
                }
                for path in &event.paths {
                    if watched.matters(path, config) {
                        changed.insert(path.clone());
                    }
                }
            }
        }
        Err(errors) => {
            for e in errors {
                let d = Diagnostic::new(&watched.root, format!("watching files: {e}"));
                eprintln!("{}", d.render(false));
            }
        }
    }
}

/// A short list of changed files for the terminal.
fn describe(changed: &[PathBuf]) -> String {
    let names: Vec<String> = changed
        .iter()
        .take(3)
        .map(|p| {
            p.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        })
        .collect();
    match changed.len() {
        n if n > 3 => format!("{} and {} more", names.join(", "), n - 3),
        _ => names.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_temporaries_and_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
        std::fs::create_dir(root.join("content")).unwrap();
        let config = Config::load(root, &Default::default()).unwrap();
        let watched = Watched::new(root);
        let matters = |p: &str| watched.matters(&root.join(p), Some(&config));
        assert!(matters("content/a.md"));
        assert!(matters("content/new-folder"));
        assert!(matters("book.toml"));
        assert!(matters("themes/default/templates/page.html"));
        assert!(matters("static/CNAME"));
        for ignored in [
            "content/a.md~",
            "content/.a.md.swp",
            "content/4913",
            "content/.#a.md",
            "public/index.html",
            "notes.txt",
            ".git/index",
        ] {
            assert!(!matters(ignored), "{ignored}");
        }
    }
}
