//! The spare site: the site before the current one, kept in `.handbook-cache/site/` and taken
//! as the next build's staging folder instead of an empty one.
//!
//! A build that changed a few pages of a 10,000-page handbook would otherwise create 10,000
//! folders and 20,000 files (hard links to the cache) and then remove as many of the previous
//! site's: on ext4, over a second of kernel time for a build that rendered almost nothing.
//! Staging into the spare, a file already there that is the very file to be placed (the same
//! inode: a link to the same kept file) stays as it is, and only what changed is written.
//!
//! The spare is stock-taken when the build takes it, and nothing in it is trusted beyond what
//! the walk saw: symbolic links and other special files are removed before anything is
//! written (no write can follow one out of the site), a file where the new site needs a
//! folder is removed and so is a folder where it needs a file, and what the new site did not
//! claim is removed before the swap. The result is the same tree a fresh staging folder
//! would hold.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

/// What the spare held at a path when the build took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// A regular file and its inode.
    File(u64),
    Folder,
}

/// The paths of a spare site that the new site has not claimed yet.
pub(super) struct Inventory {
    /// The file system the spare is on: an inode means something only there.
    device: u64,
    unclaimed: Mutex<HashMap<String, Entry>>,
}

/// What the spare holds where the new site puts a file.
pub(super) struct Claimed {
    /// The inode of the file the spare has at the path.
    pub(super) file: Option<u64>,
    /// Folders of the path that the spare already has.
    pub(super) folders: Vec<String>,
}

impl Inventory {
    /// Whether a spare can be taken stock of here: files are told apart by inode, which only
    /// Unix systems give.
    pub(super) fn possible() -> bool {
        cfg!(unix)
    }

    /// Takes stock of the spare site now at `dir`, removing every entry that is neither a
    /// folder nor a regular file. `None` where inodes cannot be compared.
    pub(super) fn take(dir: &Path) -> Option<Inventory> {
        let device = device_of(dir)?;
        Some(Inventory {
            device,
            unclaimed: Mutex::new(walk(dir, "").into_iter().collect()),
        })
    }

    fn unclaimed(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.unclaimed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Claims the site path `path` (a plain relative path) and its folders for the new site,
    /// clearing the way: a file where one of its folders goes is removed, and so is a folder
    /// (with everything in it) where the file goes.
    pub(super) fn claim(&self, dir: &Path, path: &str) -> Claimed {
        let mut unclaimed = self.unclaimed();
        let mut folders = Vec::new();
        for (at, _) in path.match_indices('/') {
            let folder = &path[..at];
            match unclaimed.remove(folder) {
                Some(Entry::File(_)) => {
                    let _ = std::fs::remove_file(dir.join(folder));
                }
                Some(Entry::Folder) => folders.push(folder.to_string()),
                None => {}
            }
        }
        let file = match unclaimed.remove(path) {
            Some(Entry::File(inode)) => Some(inode),
            Some(Entry::Folder) => {
                let inside = format!("{path}/");
                unclaimed.retain(|p, _| !p.starts_with(&inside));
                super::remove_tree(&dir.join(path));
                None
            }
            None => None,
        };
        Claimed { file, folders }
    }

    /// Whether `from` is the file with inode `inode` on the spare's file system.
    pub(super) fn is_same_file(&self, from: &Path, inode: u64) -> bool {
        file_id(from) == Some((self.device, inode))
    }

    /// Removes everything the new site did not claim: files first, then folders, deepest first.
    pub(super) fn sweep(&self, dir: &Path) {
        let unclaimed = std::mem::take(&mut *self.unclaimed());
        let (files, mut folders): (Vec<_>, Vec<_>) = unclaimed
            .into_iter()
            .partition(|(_, entry)| matches!(entry, Entry::File(_)));
        files.par_iter().for_each(|(path, _)| {
            let _ = std::fs::remove_file(dir.join(path));
        });
        folders.sort_by_key(|(path, _)| std::cmp::Reverse(path.matches('/').count()));
        for (path, _) in folders {
            let _ = std::fs::remove_dir(dir.join(path));
        }
    }
}

/// Every folder and regular file under `dir`, by site path, subfolders on every thread. What
/// no build writes (symbolic links, sockets, names that are not UTF-8) is removed on the way.
fn walk(dir: &Path, prefix: &str) -> Vec<(String, Entry)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    entries
        .par_iter()
        .flat_map_iter(|entry| {
            let name = entry.file_name();
            let (Some(name), Ok(kind)) = (name.to_str(), entry.file_type()) else {
                super::remove_tree(&entry.path());
                return Vec::new();
            };
            let path = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            };
            if kind.is_dir() {
                let mut inside = walk(&entry.path(), &path);
                inside.push((path, Entry::Folder));
                inside
            } else if kind.is_file() {
                vec![(path, Entry::File(inode_of(entry)))]
            } else {
                let _ = std::fs::remove_file(entry.path());
                Vec::new()
            }
        })
        .collect()
}

#[cfg(unix)]
fn inode_of(entry: &std::fs::DirEntry) -> u64 {
    std::os::unix::fs::DirEntryExt::ino(entry)
}

#[cfg(not(unix))]
fn inode_of(_: &std::fs::DirEntry) -> u64 {
    0
}

#[cfg(unix)]
fn device_of(dir: &Path) -> Option<u64> {
    std::fs::symlink_metadata(dir)
        .ok()
        .map(|meta| std::os::unix::fs::MetadataExt::dev(&meta))
}

#[cfg(not(unix))]
fn device_of(_: &Path) -> Option<u64> {
    None
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<(u64, u64)> {
    None
}
