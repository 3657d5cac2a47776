//! A pack: many small cache entries in one file, keyed by a 32-byte hash.
//!
//! Ten thousand entries as ten thousand files cost ten thousand creations, renames and
//! folders on every cold build (seconds at 10,000 pages, most of it in the kernel); as one
//! file they cost one sequential write. A build reads the pack it finds and writes a new one
//! beside it holding exactly the entries it used, old and new, then renames it over the old
//! one: the pack never grows past one build's worth, and a build killed half-way leaves the
//! previous pack as it was.
//!
//! Layout: a magic string, then entries `key (32) | payload length (u32 LE) | blake3 of the
//! payload (32) | payload`, the payload LZ4-compressed. Reading stops at the first entry that
//! does not fit the file; an entry whose hash does not match is ignored. A pack that is
//! truncated, corrupt or of another layout therefore costs work, never a wrong result.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A key: the hash of everything an entry was made from.
pub type Key = [u8; 32];

const HEADER: usize = 32 + 4 + 32;

pub struct Pack {
    path: PathBuf,
    /// The previous pack's bytes and where each entry's header starts.
    old: Vec<u8>,
    index: HashMap<Key, Range<usize>>,
    new: Mutex<Writer>,
}

struct Writer {
    file: Option<BufWriter<File>>,
    temp: PathBuf,
    written: std::collections::HashSet<Key>,
}

impl Pack {
    /// The pack at `path` (an empty one if it is missing or not a pack of this `magic`), and a
    /// new one to fill. Nothing is written when the folder cannot be created: the build goes on
    /// without a cache.
    pub fn open(path: &Path, magic: &'static [u8]) -> Pack {
        remove_leftovers(path);
        let old = read_all(path).unwrap_or_default();
        let index = if old.starts_with(magic) {
            parse(&old, magic.len())
        } else {
            HashMap::new()
        };
        let temp = path.with_extension(format!("tmp-{}", std::process::id()));
        let file = path
            .parent()
            .and_then(|folder| std::fs::create_dir_all(folder).ok())
            .and_then(|()| File::create(&temp).ok())
            .map(|file| BufWriter::with_capacity(1 << 20, file))
            .and_then(|mut file| file.write_all(magic).ok().map(|()| file));
        Pack {
            path: path.to_path_buf(),
            old,
            index,
            new: Mutex::new(Writer {
                file,
                temp,
                written: Default::default(),
            }),
        }
    }

    /// The payload stored under `key`, if the previous pack has one whose hash checks out. It
    /// is carried over into the new pack.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let (entry, payload) = self.read(key)?;
        self.append(key, entry);
        Some(payload)
    }

    /// [`Pack::get`] without carrying the entry over: for an entry the build replaces.
    pub fn peek(&self, key: &Key) -> Option<Vec<u8>> {
        self.read(key).map(|(_, payload)| payload)
    }

    fn read(&self, key: &Key) -> Option<(&[u8], Vec<u8>)> {
        let range = self.index.get(key)?.clone();
        let entry = &self.old[range];
        let (header, compressed) = entry.split_at(HEADER);
        if blake3::hash(compressed).as_bytes() != &header[36..HEADER] {
            return None;
        }
        let payload = lz4_flex::decompress_size_prepended(compressed).ok()?;
        Some((entry, payload))
    }

    /// Stores `payload` under `key` in the new pack.
    pub fn put(&self, key: &Key, payload: &[u8]) {
        let compressed = lz4_flex::compress_prepend_size(payload);
        let Ok(len) = u32::try_from(compressed.len()) else {
            return;
        };
        let mut entry = Vec::with_capacity(HEADER + compressed.len());
        entry.extend_from_slice(key);
        entry.extend_from_slice(&len.to_le_bytes());
        entry.extend_from_slice(blake3::hash(&compressed).as_bytes());
        entry.extend_from_slice(&compressed);
        self.append(key, &entry);
    }

    fn append(&self, key: &Key, entry: &[u8]) {
        let mut new = self.new.lock().unwrap_or_else(|e| e.into_inner());
        if !new.written.insert(*key) {
            return;
        }
        let failed = match &mut new.file {
            Some(file) => file.write_all(entry).is_err(),
            None => false,
        };
        if failed {
            // A cache that cannot be written is no cache; the build itself goes on.
            new.file = None;
        }
    }

    /// Puts the new pack in place of the old one. Without this (an error anywhere in the
    /// build), the old pack stays and the new one is removed.
    pub fn commit(self) {
        let mut new = self.new.lock().unwrap_or_else(|e| e.into_inner());
        let Some(file) = new.file.take() else {
            let _ = std::fs::remove_file(&new.temp);
            return;
        };
        let done = file.into_inner().is_ok() && std::fs::rename(&new.temp, &self.path).is_ok();
        if !done {
            let _ = std::fs::remove_file(&new.temp);
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Removes the temporary packs that builds killed before their commit left beside `path`.
fn remove_leftovers(path: &Path) {
    let (Some(folder), Some(stem)) = (path.parent(), path.file_stem()) else {
        return;
    };
    let prefix = format!("{}.tmp-", stem.to_string_lossy());
    let own = std::process::id().to_string();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        if pid != own && !super::paths::is_running(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn read_all(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path).ok()?.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Where each whole entry is, from `at` on; stops at the first one that does not fit.
fn parse(bytes: &[u8], mut at: usize) -> HashMap<Key, Range<usize>> {
    let mut index = HashMap::new();
    while let Some(header) = bytes.get(at..at + HEADER) {
        let key: Key = header[..32].try_into().expect("32 bytes");
        let len = u32::from_le_bytes(header[32..36].try_into().expect("4 bytes")) as usize;
        let end = at + HEADER + len;
        if end > bytes.len() {
            break;
        }
        index.insert(key, at..end);
        at = end;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8] = b"test-pack-v1";

    fn key(n: u8) -> Key {
        [n; 32]
    }

    #[test]
    fn entries_used_are_kept_and_the_rest_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/p.pack");
        let pack = Pack::open(&path, MAGIC);
        assert_eq!(pack.get(&key(1)), None);
        pack.put(&key(1), b"one");
        pack.put(&key(2), b"two");
        pack.commit();

        let pack = Pack::open(&path, MAGIC);
        assert_eq!(pack.get(&key(2)).as_deref(), Some(&b"two"[..]));
        pack.commit();
        let pack = Pack::open(&path, MAGIC);
        assert_eq!(pack.peek(&key(2)).as_deref(), Some(&b"two"[..]));
        pack.put(&key(2), b"deux");
        pack.commit();
        let pack = Pack::open(&path, MAGIC);
        assert_eq!(
            pack.get(&key(2)).as_deref(),
            Some(&b"deux"[..]),
            "replaced after a peek"
        );
        pack.commit();
        let pack = Pack::open(&path, MAGIC);
        assert_eq!(pack.get(&key(1)), None, "not used by the last build");
        assert_eq!(pack.get(&key(2)).as_deref(), Some(&b"deux"[..]));
        drop(pack);
        assert!(path.exists(), "an uncommitted build leaves the old pack");
        let dead = path.with_extension("tmp-999999999");
        std::fs::write(&dead, "left by a killed build").unwrap();
        drop(Pack::open(&path, MAGIC));
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "and removes its own");
    }

    #[test]
    fn corrupt_truncated_and_foreign_packs_are_never_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.pack");
        let pack = Pack::open(&path, MAGIC);
        pack.put(&key(1), b"one one one one");
        pack.put(&key(2), b"two two two two");
        pack.commit();
        let good = std::fs::read(&path).unwrap();

        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        std::fs::write(&path, &flipped).unwrap();
        let pack = Pack::open(&path, MAGIC);
        assert!(pack.get(&key(1)).is_some());
        assert_eq!(pack.get(&key(2)), None, "a flipped byte fails the hash");

        std::fs::write(&path, &good[..good.len() - 3]).unwrap();
        let pack = Pack::open(&path, MAGIC);
        assert!(pack.get(&key(1)).is_some());
        assert_eq!(pack.get(&key(2)), None, "a cut entry is not read");

        std::fs::write(&path, &good).unwrap();
        assert_eq!(Pack::open(&path, b"other-pack-v1").get(&key(1)), None);
    }
}
