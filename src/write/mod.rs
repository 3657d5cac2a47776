//! Writing the output folder all-or-nothing.
//!
//! The site is written into a staging folder beside `out-dir` and swapped in by two renames only
//! when every file is written. A failed build therefore leaves the previous output exactly as it
//! was; a build killed half-way leaves only a hidden temporary folder, removed by the next build.
//! The staging folder starts empty, or as the spare site of a build that keeps one ([`spare`]).

mod spare;

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
    let staging = Staging::open(out_dir, None)?;
    staging.write_output(output)?;
    staging.commit()
}

/// A folder beside `out-dir` that a build writes into, file by file as they are made (it is the
/// [`Sink`] of a streaming [`Output`]), and that replaces `out-dir` on [`Staging::commit`].
/// Dropped without a commit (an error anywhere in the build), it is removed, or kept as the
/// spare: the previous site stays exactly as it was.
pub struct Staging {
    dir: PathBuf,
    out_dir: PathBuf,
    old: PathBuf,
    /// Where the spare site is kept: taken as this folder when there, and where the replaced
    /// site goes after the swap.
    spare: Option<PathBuf>,
    /// What the spare site held that the new site has not claimed yet (a staging folder that
    /// started as the spare).
    inventory: Option<spare::Inventory>,
    /// The first write that failed; the commit reports it instead of swapping in.
    failed: Mutex<Option<anyhow::Error>>,
    committed: AtomicBool,
    /// Folders known to exist: files written into them skip creating them.
    made: Mutex<std::collections::HashSet<String>>,
}

impl Staging {
    /// Creates the staging folder (after removing what killed builds left) with the marker
    /// that tells a later build this folder is its own. With `spare`, the spare site kept
    /// there (if any) becomes the staging folder, and the site this build replaces is kept
    /// there; it must be a folder only this program writes (in `.handbook-cache/`).
    pub fn open(out_dir: &Path, spare: Option<&Path>) -> anyhow::Result<Staging> {
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
        let inventory = spare
            .filter(|spare| spare::Inventory::possible() && std::fs::rename(spare, &dir).is_ok())
            .and_then(|_| {
                let inventory = spare::Inventory::take(&dir);
                if inventory.is_none() {
                    // Not known, not trusted: start from an empty folder after all.
                    let _ = std::fs::remove_dir_all(&dir);
                }
                inventory
            });
        let staging = Staging {
            old: parent.join(format!(".{name}.old-{pid}")),
            out_dir: out_dir.to_path_buf(),
            spare: spare.map(Path::to_path_buf),
            inventory,
            failed: Mutex::new(None),
            committed: AtomicBool::new(false),
            made: Mutex::new(Default::default()),
            dir,
        };
        std::fs::create_dir_all(&staging.dir)
            .with_context(|| format!("cannot create the output folder {}", out_dir.display()))?;
        let marker = crate::content::config::outdir::MARKER;
        staging
            .write_file(
                marker,
                Some(crate::content::config::outdir::MARKER_TEXT.as_bytes()),
                None,
            )
            .with_context(|| format!("cannot write {marker}"))?;
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
        self.claim(path);
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
        if let Some(inventory) = &self.inventory {
            inventory.sweep(&self.dir);
        }
        swap_in(&self.dir, &self.out_dir, &self.old, self.spare.as_deref())?;
        self.committed.store(true, Ordering::SeqCst);
        Ok(())
    }
}

impl Staging {
    fn made(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<String>> {
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates the folder of the contained site path `path` unless it is known to exist.
    fn folder_of(&self, path: &str) -> std::io::Result<()> {
        let Some((folder, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        if self.made().contains(folder) {
            return Ok(());
        }
        std::fs::create_dir_all(self.dir.join(folder))?;
        self.made().insert(folder.to_string());
        Ok(())
    }

    /// Claims `path` for the new site in a staging folder that started as the spare: the
    /// way to it is cleared, and the inode of the file the spare has there is returned.
    fn claim(&self, path: &str) -> Option<u64> {
        let claimed = self.inventory.as_ref()?.claim(&self.dir, path);
        if !claimed.folders.is_empty() {
            self.made().extend(claimed.folders);
        }
        claimed.file
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
        if let Some(inode) = self.claim(path) {
            // The spare's file is this very file: nothing to do.
            if self
                .inventory
                .as_ref()
                .is_some_and(|i| i.is_same_file(from, inode))
            {
                return true;
            }
            let _ = std::fs::remove_file(&target);
        }
        if self.folder_of(path).is_err() {
            return false;
        }
        std::fs::hard_link(from, &target).is_ok()
            || new_file(&target)
                .and_then(|mut to| std::io::copy(&mut std::fs::File::open(from)?, &mut to))
                .is_ok()
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
        if self.committed.load(Ordering::SeqCst) {
            return;
        }
        // Whatever it holds, the next build takes stock of it before using it.
        let kept = self
            .spare
            .as_ref()
            .is_some_and(|spare| std::fs::rename(&self.dir, spare).is_ok());
        if !kept {
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

fn swap_in(staging: &Path, out_dir: &Path, old: &Path, spare: Option<&Path>) -> anyhow::Result<()> {
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
    // A spare already there (another build's) stays; rename does not replace a full folder.
    let kept = had_previous && spare.is_some_and(|spare| std::fs::rename(old, spare).is_ok());
    if had_previous && !kept {
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
        // A folder named after this very process is a dead one's that had the same number.
        if pid != std::process::id().to_string() && crate::util::paths::is_running(pid) {
            continue;
        }
        let moved_aside = file_name.starts_with(&prefixes[1]);
        if moved_aside && !out_dir.exists() && std::fs::rename(entry.path(), &out_dir).is_ok() {
            continue;
        }
        let _ = std::fs::remove_dir_all(entry.path());
    }
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

    /// Every file under `dir` with its bytes, and every folder.
    fn tree(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
        let mut all = Vec::new();
        for entry in walkdir(dir) {
            let rel = entry
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let meta = std::fs::symlink_metadata(&entry).unwrap();
            all.push((rel, meta.is_file().then(|| std::fs::read(&entry).unwrap())));
        }
        all.sort();
        all
    }

    fn walkdir(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if std::fs::symlink_metadata(&path).unwrap().is_dir() {
                found.extend(walkdir(&path));
            }
            found.push(path);
        }
        found
    }

    /// Writes `files` (path, bytes) through a staging folder that recycles `spare`, placing
    /// those whose bytes are `kept` from that cache file instead.
    fn stage(out: &Path, spare: &Path, files: &[(&str, &str)], kept: &Path) {
        let staging = Staging::open(out, Some(spare)).unwrap();
        for (path, bytes) in files {
            if *bytes == "kept" {
                assert!(staging.place(path, kept));
            } else {
                staging.write(path, bytes.as_bytes());
            }
        }
        staging.commit().unwrap();
    }

    #[test]
    fn a_recycled_spare_ends_as_the_same_tree_as_a_fresh_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join("cache/site");
        std::fs::create_dir_all(spare.parent().unwrap()).unwrap();
        let kept = dir.path().join("cache/kept");
        std::fs::write(&kept, "kept").unwrap();
        let builds: [&[(&str, &str)]; 4] = [
            &[
                ("a/index.html", "a1"),
                ("b/c/index.html", "bc1"),
                ("k.css", "kept"),
            ],
            &[
                ("a/index.html", "a2"),
                ("d/index.html", "d2"),
                ("k.css", "kept"),
            ],
            // A file where a folder was, and a folder where a file was.
            &[
                ("a", "a-file"),
                ("b/c/index.html", "bc3"),
                ("k.css/x", "deep"),
                ("n/k", "kept"),
            ],
            &[("a/index.html", "a4"), ("k.css", "kept"), ("n/k", "kept")],
        ];
        for (n, files) in builds.iter().enumerate() {
            stage(&out, &spare, files, &kept);
            let fresh = dir.path().join(format!("fresh{n}"));
            stage(&fresh, &dir.path().join("no-spare"), files, &kept);
            assert_eq!(tree(&out), tree(&fresh), "build {n}");
            assert!(
                spare.is_dir() || n == 0,
                "build {n} kept the site it replaced"
            );
        }
        // The last build recycled the second one's site, where k.css was the kept file too.
        use std::os::unix::fs::MetadataExt;
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(inode(&out.join("k.css")), inode(&kept));
        assert_eq!(
            std::fs::read(&kept).unwrap(),
            b"kept",
            "never written through"
        );
    }

    #[test]
    fn nothing_in_a_spare_leads_a_write_out_of_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join("site");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::create_dir_all(spare.join("b")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, spare.join("a")).unwrap();
        std::fs::write(elsewhere.join("index.html"), "theirs").unwrap();
        std::os::unix::fs::symlink(elsewhere.join("index.html"), spare.join("b/index.html"))
            .unwrap();
        let kept = dir.path().join("kept");
        std::fs::write(&kept, "kept").unwrap();
        stage(
            &out,
            &spare,
            &[("a/index.html", "mine"), ("b/index.html", "kept")],
            &kept,
        );
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("index.html")).unwrap(),
            "theirs"
        );
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
        assert!(!std::fs::symlink_metadata(out.join("a"))
            .unwrap()
            .is_symlink());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "kept"
        );
    }

    #[test]
    fn a_failed_build_keeps_the_spare_and_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join("site");
        let kept = dir.path().join("kept");
        for n in 0..2 {
            stage(&out, &spare, &[("index.html", &format!("v{n}"))], &kept);
        }
        {
            let staging = Staging::open(&out, Some(&spare)).unwrap();
            staging.write("index.html", b"v2");
            staging.write("../escape", b"x");
            assert!(staging.commit().is_err());
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v1"
        );
        assert!(spare.is_dir(), "the spare is kept for the next build");
        stage(&out, &spare, &[("other.html", "v3")], &kept);
        let names: Vec<_> = tree(&out).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            names,
            [crate::content::config::outdir::MARKER, "other.html"]
        );
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
