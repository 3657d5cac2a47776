//! Rendered bodies kept between builds in `.handbook-cache/bodies/`, so that a second build of
//! an unchanged handbook skips Markdown and highlighting, most of a cold build's work.
//!
//! A body is reused only under the key it was rendered under: this program (its version and the
//! executable itself, so a rebuilt binary never trusts an older one's output), the settings
//! rendering reads, every article's path and URL and the content folder's other files (what
//! links resolve against), and the article's own text and reserved ids. Any change to one of
//! them is a different key. An entry carries a magic string and a hash of its payload: one that
//! is truncated, corrupt or from elsewhere fails the check and is rendered again, never
//! trusted. Entries are LZ4-compressed (highlighted HTML is very repetitive). Bodies with errors or warnings are never stored. After a build, entries it did not
//! use are removed, so the folder holds one build's worth. `--no-cache` bypasses it.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::content::config::Config;
use crate::content::model::Model;
use crate::markdown::{self, Rendered};

/// What every entry starts with; the version changes with the entry's layout.
const MAGIC: &[u8; 16] = b"handbook-body-v4";

/// The body cache of one build.
pub struct DiskCache {
    dir: PathBuf,
    salt: blake3::Hash,
    used: Mutex<HashSet<String>>,
}

impl DiskCache {
    /// The cache of `config`'s handbook for this `model`, or `None` with `--no-cache`.
    pub fn open(config: &Config, model: &Model) -> Option<DiskCache> {
        if !config.cache {
            return None;
        }
        let mut salt = blake3::Hasher::new();
        salt.update(MAGIC).update(program_identity().as_bytes());
        salt.update(
            format!(
                "{:?}\0{:?}\0{}\0{}\0{:?}\0{:?}\0{}\0{}\0{:?}\0",
                config.root,
                config.content_dir,
                config.base_url,
                config.site_url,
                config.link_check,
                config.markdown,
                config.search,
                config.print,
                config.pairs,
            )
            .as_bytes(),
        );
        salt.update(markdown::links::table_key(model).as_bytes());
        Some(DiskCache {
            dir: config.root.join(".handbook-cache").join("bodies"),
            salt: salt.finalize(),
            used: Mutex::new(HashSet::new()),
        })
    }

    /// The key of page `i`'s body.
    pub fn key(&self, model: &Model, i: usize) -> String {
        let source = &model.pages[i].source;
        let mut key = blake3::Hasher::new();
        key.update(self.salt.as_bytes())
            .update(source.rel.as_bytes())
            .update(&[0])
            .update(&source.body.start.to_le_bytes())
            .update(&source.body.end.to_le_bytes())
            .update(source.text.as_bytes())
            .update(&[0]);
        for id in markdown::reserved_ids(model, i) {
            key.update(id.as_bytes()).update(&[0]);
        }
        key.finalize().to_hex().to_string()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(key)
    }

    /// The body stored under `key`, if there is one that passes every check.
    pub fn get(&self, key: &str) -> Option<Rendered> {
        self.mark_used(key);
        let bytes = std::fs::read(self.path(key)).ok()?;
        let payload = bytes.strip_prefix(MAGIC.as_slice())?;
        let (hash, payload) = payload.split_at_checked(32)?;
        if blake3::hash(payload).as_bytes() != hash {
            return None;
        }
        let payload = lz4_flex::decompress_size_prepended(payload).ok()?;
        let rendered: Rendered = postcard::from_bytes(&payload).ok()?;
        Some(rendered)
    }

    /// Stores `rendered` under `key`, unless it reported problems. A failed write only costs
    /// a render next time.
    pub fn put(&self, key: &str, rendered: &Rendered) {
        self.mark_used(key);
        if !rendered.errors.is_empty() {
            return;
        }
        let Ok(payload) = postcard::to_stdvec(rendered) else {
            return;
        };
        // Highlighted HTML shrinks to a fifth: a fifth of the bytes to write, read and keep.
        let payload = lz4_flex::compress_prepend_size(&payload);
        let mut bytes = Vec::with_capacity(MAGIC.len() + 32 + payload.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
        bytes.extend_from_slice(&payload);
        let path = self.path(key);
        let Some(folder) = path.parent() else { return };
        let _ = std::fs::create_dir_all(folder);
        let partial = folder.join(format!(".{key}.{}", std::process::id()));
        if std::fs::write(&partial, &bytes).is_ok() && std::fs::rename(&partial, &path).is_err() {
            let _ = std::fs::remove_file(&partial);
        }
    }

    fn mark_used(&self, key: &str) {
        self.used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key.to_string());
    }

    /// Removes every entry this build did not use.
    pub fn prune(&self) {
        let used = self
            .used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Ok(folders) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for folder in folders.flatten() {
            let Ok(entries) = std::fs::read_dir(folder.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !used.contains(&name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
}

/// This program: its version and commit, and the executable's size and modification time, so
/// that a rebuilt binary (whose rendering may differ) never reads an older one's bodies.
fn program_identity() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{modified}", m.len())
        })
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
}
