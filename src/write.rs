//! Writing the output folder all-or-nothing.
//!
//! The site is written into a fresh folder beside `out-dir` and swapped in by two renames only
//! when every file is written. A failed build therefore leaves the previous output exactly as it
//! was; a build killed half-way leaves only a hidden temporary folder, removed by the next build.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use anyhow::Context as _;
use rayon::prelude::*;

use crate::diagnostic::{Error, Result};
use crate::outputs::files::{FileContent, Output, Sink};

/// Writes `output` to `out_dir`, replacing what was there only if everything succeeded.
pub fn write_atomic(out_dir: &Path, output: &Output) -> anyhow::Result<()> {
    let staging = Staging::open(out_dir)?;
    staging.write_output(output)?;
    staging.commit()
}

/// A fresh folder beside `out-dir` that a build writes into, file by file as they are made (it
/// is the [`Sink`] of a streaming [`Output`]), and that replaces `out-dir` on [`Staging::commit`].
/// Dropped without a commit (an error anywhere in the build), it is removed: the previous site
/// stays exactly as it was.
pub struct Staging {
    dir: PathBuf,
    out_dir: PathBuf,
    old: PathBuf,
    /// The first write that failed; the commit reports it instead of swapping in.
    failed: Mutex<Option<anyhow::Error>>,
    committed: AtomicBool,
    /// Folders [`Sink::prepare`] created: files written into them skip creating them.
    made: Mutex<std::collections::HashSet<String>>,
}

impl Staging {
    /// Creates the staging folder (after removing what killed builds left) with the marker
    /// that tells a later build this folder is its own.
    pub fn open(out_dir: &Path) -> anyhow::Result<Staging> {
        let parent = out_dir
            .parent()
            .context("the output folder has no parent folder")?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = out_dir
            .file_name()
            .context("the output folder has no name")?
            .to_string_lossy()
            .into_owned();
        clean_leftovers(parent, &name);
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.tmp-{pid}"));
        let _ = std::fs::remove_dir_all(&dir);
        let staging = Staging {
            old: parent.join(format!(".{name}.old-{pid}")),
            out_dir: out_dir.to_path_buf(),
            failed: Mutex::new(None),
            committed: AtomicBool::new(false),
            made: Mutex::new(Default::default()),
            dir,
        };
        std::fs::create_dir_all(&staging.dir)
            .with_context(|| format!("cannot create the output folder {}", out_dir.display()))?;
        std::fs::write(
            staging.dir.join(crate::content::config::outdir::MARKER),
            crate::content::config::outdir::MARKER_TEXT,
        )
        .with_context(|| format!("cannot write {}", crate::content::config::outdir::MARKER))?;
        Ok(staging)
    }

    /// Writes one file. The model refuses URLs that leave the site; this is the second line of
    /// defence, so that no path, however it was made, writes outside the staging folder.
    /// Messages name the place the user knows (the output folder), never the staging folder.
    fn write_file(
        &self,
        path: &str,
        content: Option<&[u8]>,
        copy: Option<&Path>,
    ) -> anyhow::Result<()> {
        if !crate::util::paths::is_contained(path) {
            anyhow::bail!(
                "refusing to write `{path}`: it is not a plain path inside the output folder"
            );
        }
        let target = self.dir.join(path);
        let shown = self.out_dir.join(path);
        self.folder_of(path).with_context(|| {
            format!(
                "cannot create {}",
                shown.parent().unwrap_or(&shown).display()
            )
        })?;
        match (content, copy) {
            (Some(bytes), _) => new_file(&target).and_then(|mut f| f.write_all(bytes)),
            (None, Some(from)) => new_file(&target)
                .and_then(|mut to| std::io::copy(&mut std::fs::File::open(from)?, &mut to))
                .map(|_| ()),
            (None, None) => Ok(()),
        }
        .with_context(|| format!("cannot write {}", shown.display()))
    }

    /// Writes every file of `output` not yet written through the sink, in parallel.
    pub fn write_output(&self, output: &Output) -> anyhow::Result<()> {
        output
            .files
            .par_iter()
            .try_for_each(|(path, content)| match content {
                FileContent::Bytes(bytes) => self.write_file(path, Some(bytes), None),
                FileContent::Copy(from) => self.write_file(path, None, Some(from)),
                FileContent::Written => Ok(()),
            })
    }

    /// Swaps the staging folder in for `out-dir`, unless a write failed.
    pub fn commit(&self) -> anyhow::Result<()> {
        let failed = self
            .failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(error) = failed {
            return Err(error);
        }
        swap_in(&self.dir, &self.out_dir, &self.old)?;
        self.committed.store(true, Ordering::SeqCst);
        Ok(())
    }
}

impl Staging {
    /// Creates the folder of the contained site path `path` unless [`Sink::prepare`] did.
    fn folder_of(&self, path: &str) -> std::io::Result<()> {
        let Some((folder, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        if self
            .made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder)
        {
            return Ok(());
        }
        std::fs::create_dir_all(self.dir.join(folder))
    }

    fn remember(&self, e: anyhow::Error) {
        let mut failed = self
            .failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failed.get_or_insert(e);
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) {
        if let Err(e) = self.write_file(path, Some(bytes), None) {
            self.remember(e);
        }
    }

    fn place(&self, path: &str, from: &Path) -> bool {
        let Some(target) = self.location(path) else {
            return false;
        };
        if self.folder_of(path).is_err() {
            return false;
        }
        std::fs::hard_link(from, &target).is_ok()
            || new_file(&target)
                .and_then(|mut to| std::io::copy(&mut std::fs::File::open(from)?, &mut to))
                .is_ok()
    }

    fn prepare(&self, paths: &[String]) {
        let mut folders: Vec<&str> = paths
            .iter()
            .filter(|p| crate::util::paths::is_contained(p))
            .filter_map(|p| p.rsplit_once('/').map(|(folder, _)| folder))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        for folder in folders {
            if !made.contains(folder) && std::fs::create_dir_all(self.dir.join(folder)).is_ok() {
                made.insert(folder.to_string());
            }
        }
    }

    fn location(&self, path: &str) -> Option<PathBuf> {
        crate::util::paths::is_contained(path).then(|| self.dir.join(path))
    }

    fn create(&self, path: &str) -> Option<Box<dyn std::io::Write + Send + '_>> {
        // Checked and created like any other file, then opened for writing.
        if let Err(e) = self.write_file(path, Some(b""), None) {
            self.remember(e);
            return None;
        }
        match new_file(&self.dir.join(path)) {
            Ok(file) => Some(Box::new(std::io::BufWriter::with_capacity(1 << 20, file))),
            Err(e) => {
                let shown = self.out_dir.join(path);
                self.remember(
                    anyhow::Error::new(e).context(format!("cannot write {}", shown.display())),
                );
                None
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed.load(Ordering::SeqCst) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A new, empty file at `path`. A file already there is removed first, never truncated: it
/// may be a hard link to a kept file of the cache and so to the previous site's copy, which
/// must stay exactly as it was.
fn new_file(path: &Path) -> std::io::Result<std::fs::File> {
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            create()
        }
        result => result,
    }
}

fn swap_in(staging: &Path, out_dir: &Path, old: &Path) -> anyhow::Result<()> {
    let had_previous = out_dir.exists();
    if had_previous {
        if !out_dir.is_dir() {
            let _ = std::fs::remove_dir_all(staging);
            anyhow::bail!("{} exists and is not a folder", out_dir.display());
        }
        let _ = std::fs::remove_dir_all(old);
        std::fs::rename(out_dir, old)
            .with_context(|| format!("cannot move the previous {} aside", out_dir.display()))?;
    }
    if let Err(e) = std::fs::rename(staging, out_dir) {
        if had_previous {
            let _ = std::fs::rename(old, out_dir);
        }
        let _ = std::fs::remove_dir_all(staging);
        return Err(e)
            .with_context(|| format!("cannot move the new site into {}", out_dir.display()));
    }
    if had_previous {
        remove_tree(old);
    }
    Ok(())
}

/// Removes the folder `dir` and everything in it, subfolders on every thread: the previous
/// site of a 10,000-page handbook is 20,000 files, a second of unlinking on one core.
/// Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        let _ = std::fs::remove_file(dir);
        return;
    };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    entries.par_iter().for_each(|entry| {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            remove_tree(&entry.path());
        } else {
            let _ = std::fs::remove_file(entry.path());
        }
    });
    let _ = std::fs::remove_dir(dir);
}

/// Removes temporary folders that a killed build left, unless their build is still running. A
/// build killed between its two renames left the previous site aside as `.<out>.old-<pid>` and
/// no output folder: that site is put back first.
fn clean_leftovers(parent: &Path, name: &str) {
    let out_dir = parent.join(name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        if is_running(pid) {
            continue;
        }
        let moved_aside = file_name.starts_with(&prefixes[1]);
        if moved_aside && !out_dir.exists() && std::fs::rename(entry.path(), &out_dir).is_ok() {
            continue;
        }
        let _ = std::fs::remove_dir_all(entry.path());
    }
}

fn is_running(pid: &str) -> bool {
    let proc_dir = Path::new("/proc");
    pid != std::process::id().to_string() && proc_dir.is_dir() && proc_dir.join(pid).exists()
}

/// Writes `bytes` to `path` through a temporary file beside it, so a failed export never
/// leaves a half-written file where the previous one was.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let staging = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::write(&staging, bytes).and_then(|()| std::fs::rename(&staging, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&staging);
        return Err(Error::Io(
            anyhow::Error::new(e).context(format!("cannot write {}", path.display())),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut output = Output::default();
        output.add("a/index.html", "one");
        write_atomic(&out, &output).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );
        let mut output = Output::default();
        output.add("b.html", "two");
        write_atomic(&out, &output).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary folders left: {names:?}");
    }

    #[test]
    fn cleans_leftovers_of_dead_builds() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".public.tmp-999999999");
        std::fs::create_dir(&stale).unwrap();
        write_atomic(&dir.path().join("public"), &Output::default()).unwrap();
        assert!(!stale.exists());
    }

    #[test]
    fn files_are_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/book.html");
        write_file(&path, b"one").unwrap();
        write_file(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["book.html"]);
    }
}
