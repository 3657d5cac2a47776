//! Output files kept between builds in `.handbook-cache/files/`, so that a build whose pages
//! did not change links them into the new site instead of rendering and writing them again.
//!
//! Each kept file is named by the key it was made under ([`super::keys`]: everything its
//! template, or the index or print page, saw) and is a hard link to the file the build wrote
//! into its site: keeping it costs no copy, and neither does putting it in the next site.
//! Where the two folders sit on different file systems nothing is kept.
//!
//! A kept file is trusted only while it is exactly as this cache left it: its size,
//! modification time and inode are recorded in `files.manifest` (a [`Pack`] entry, so a
//! corrupt manifest is no manifest) and checked before every use. A site file edited in place
//! (which would edit its kept twin through the link) therefore fails the check and is made
//! again. Files this build did not use are removed when it ends; `--no-cache` bypasses it all.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::config::Config;
use crate::outputs::files::Sink;
use crate::util::pack::Pack;

const MAGIC: &[u8] = b"handbook-files-v2";
/// The manifest's one entry.
const MANIFEST_KEY: [u8; 32] = [0; 32];

/// How a kept file looked when it was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified: u128,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified,
            inode,
        })
    }
}

#[derive(Default, Serialize, Deserialize)]
struct Manifest {
    /// File name (a key in hex) -> how it looked when kept.
    files: HashMap<String, Stamp>,
    /// Group key in hex -> the site path and kept file name of each of its files (the search
    /// index is many files made together). A group's files are named by their content.
    groups: HashMap<String, Vec<(String, String)>>,
}

/// The kept files of one build.
pub(crate) struct Reuse {
    dir: PathBuf,
    pack: Pack,
    before: Manifest,
    now: Mutex<Manifest>,
    /// Set once a link into the cache fails (another file system): nothing more is kept.
    cannot_keep: AtomicBool,
}

impl Reuse {
    /// The kept files of `config`'s handbook, or `None` with `--no-cache`.
    pub(crate) fn open(config: &Config) -> Option<Reuse> {
        if !config.cache {
            return None;
        }
        let folder = config.cache_dir();
        let pack = Pack::open(&folder.join("files.manifest"), MAGIC);
        let before = pack
            .peek(&MANIFEST_KEY)
            .and_then(|bytes| postcard::from_bytes(&bytes).ok())
            .unwrap_or_default();
        Some(Reuse {
            dir: folder.join("files"),
            pack,
            before,
            now: Mutex::new(Manifest::default()),
            cannot_keep: AtomicBool::new(false),
        })
    }

    fn now(&self) -> std::sync::MutexGuard<'_, Manifest> {
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The kept file of `key` if it is exactly as it was kept.
    fn kept(&self, name: &str) -> Option<(PathBuf, Stamp)> {
        let stamp = *self.before.files.get(name)?;
        let path = self.dir.join(name);
        (Stamp::of(&path)? == stamp).then_some((path, stamp))
    }

    /// Puts the file kept under `key` at `path` of the site; false if there is none that
    /// checks out (the caller makes it, and [`Reuse::keep`]s it).
    pub(crate) fn place(&self, key: &blake3::Hash, path: &str, sink: &dyn Sink) -> bool {
        let name = key.to_hex().to_string();
        let Some((kept, stamp)) = self.kept(&name) else {
            return false;
        };
        if !sink.place(path, &kept) {
            return false;
        }
        self.now().files.insert(name, stamp);
        true
    }

    /// Keeps the file just written at `path` of the site under `key`.
    pub(crate) fn keep(&self, key: &blake3::Hash, path: &str, sink: &dyn Sink) {
        if self.cannot_keep.load(Ordering::Relaxed) {
            return;
        }
        let Some(written) = sink.location(path) else {
            return;
        };
        let name = key.to_hex().to_string();
        let kept = self.dir.join(&name);
        let _ = std::fs::remove_file(&kept);
        // The folder is made on the first failure only: one call per kept file saved.
        let linked = std::fs::hard_link(&written, &kept).is_ok()
            || (std::fs::create_dir_all(&self.dir).is_ok()
                && std::fs::hard_link(&written, &kept).is_ok());
        if !linked {
            self.cannot_keep.store(true, Ordering::Relaxed);
            return;
        }
        if let Some(stamp) = Stamp::of(&kept) {
            self.now().files.insert(name, stamp);
        }
    }

    /// Puts every file of group `key` (made together, such as the search index) in the site;
    /// `None`, with nothing placed that matters, unless all of them check out.
    pub(crate) fn place_group(&self, key: &blake3::Hash, sink: &dyn Sink) -> Option<Vec<String>> {
        let members = self.before.groups.get(&key.to_hex().to_string())?;
        let files: Vec<(PathBuf, Stamp)> = members
            .par_iter()
            .map(|(_, name)| self.kept(name))
            .collect::<Option<_>>()?;
        let placed = files
            .par_iter()
            .zip(members)
            .all(|((kept, _), (path, _))| sink.place(path, kept));
        if !placed {
            return None;
        }
        let mut now = self.now();
        for ((_, stamp), (_, name)) in files.into_iter().zip(members) {
            now.files.insert(name.clone(), stamp);
        }
        now.groups.insert(key.to_hex().to_string(), members.clone());
        Some(members.iter().map(|(path, _)| path.clone()).collect())
    }

    /// Puts the files of group `key`, just made, in the site: each one made before with the
    /// same bytes is linked from the cache, the others are written and kept. After one article
    /// changed, most files of the search index are the same as before.
    pub(crate) fn write_group(
        &self,
        key: &blake3::Hash,
        files: &BTreeMap<String, Arc<[u8]>>,
        sink: &dyn Sink,
    ) {
        let members: Vec<(String, String)> = files
            .par_iter()
            .map(|(path, bytes)| {
                let mut content = blake3::Hasher::new();
                content.update(path.as_bytes()).update(&[0]).update(bytes);
                let content = content.finalize();
                let name = content.to_hex().to_string();
                let placed = self.kept(&name).is_some_and(|(kept, stamp)| {
                    let placed = sink.place(path, &kept);
                    if placed {
                        self.now().files.insert(name.clone(), stamp);
                    }
                    placed
                });
                if !placed {
                    sink.write(path, bytes);
                    self.keep(&content, path, sink);
                }
                (path.clone(), name)
            })
            .collect();
        if !self.cannot_keep.load(Ordering::Relaxed) {
            self.now().groups.insert(key.to_hex().to_string(), members);
        }
    }

    /// Records what this build kept and removes every other kept file. Called once the site
    /// is in place; a build that failed never gets here and leaves the cache as it was.
    pub(crate) fn commit(self) {
        let now = self.now.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if !now.files.contains_key(&*name.to_string_lossy()) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        if let Ok(bytes) = postcard::to_stdvec(&now) {
            self.pack.put(&MANIFEST_KEY, &bytes);
        }
        self.pack.commit();
    }
}
