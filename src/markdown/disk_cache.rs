//! Rendered bodies kept between builds in `.handbook-cache/bodies.pack`, so that a second build of
//! an unchanged handbook skips Markdown and highlighting, most of a cold build's work.
//!
//! A body is reused only under the key it was rendered under: this program (its version and the
//! executable itself, so a rebuilt binary never trusts an older one's output), the settings
//! rendering reads, every article's path and URL and the content folder's other files (what
//! links resolve against), and the article's own text and reserved ids. Any change to one of
//! them is a different key. The bodies sit in one [`Pack`] (LZ4-compressed: highlighted HTML is
//! very repetitive), whose entries carry a hash of their payload: one that is truncated,
//! corrupt or from elsewhere fails the check and is rendered again, never trusted. Bodies with
//! errors or warnings are never stored. Each build keeps exactly the entries it used, so the
//! pack holds one build's worth. `--no-cache` bypasses it.

use crate::content::config::Config;
use crate::content::model::Model;
use crate::markdown::{self, Rendered};
use crate::util::pack::{Key, Pack};

/// What the pack starts with; the version changes with the entry's layout.
const MAGIC: &[u8; 16] = b"handbook-body-v5";

/// The body cache of one build.
pub struct DiskCache {
    pack: Pack,
    salt: blake3::Hash,
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
        let folder = config.cache_dir();
        // Entries were one file each before bodies were packed.
        let _ = std::fs::remove_dir_all(folder.join("bodies"));
        Some(DiskCache {
            pack: Pack::open(&folder.join("bodies.pack"), MAGIC),
            salt: salt.finalize(),
        })
    }

    /// The key of page `i`'s body: everything it is rendered from.
    pub fn key(&self, model: &Model, i: usize) -> Key {
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
        *key.finalize().as_bytes()
    }

    /// The body stored under `key`, if there is one that passes every check.
    pub fn get(&self, key: &Key) -> Option<Rendered> {
        postcard::from_bytes(&self.pack.get(key)?).ok()
    }

    /// Stores `rendered` under `key`, unless it reported problems. A failed write only costs
    /// a render next time.
    pub fn put(&self, key: &Key, rendered: &Rendered) {
        if !rendered.errors.is_empty() {
            return;
        }
        if let Ok(payload) = postcard::to_stdvec(rendered) {
            self.pack.put(key, &payload);
        }
    }

    /// Keeps the bodies this build used, and only those, for the next build.
    pub fn commit(self) {
        self.pack.commit();
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
