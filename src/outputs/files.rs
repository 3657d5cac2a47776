//! The site in memory: every output file by its path, as bytes or as a file to copy. Every
//! output stage adds to an [`Output`]; `write` puts it on disk, `serve` answers from it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What goes into one output file.
#[derive(Debug, Clone)]
pub enum FileContent {
    /// Shared, so that an incremental rebuild reuses an unchanged page without copying it.
    Bytes(Arc<[u8]>),
    /// A file copied from the handbook (content assets, `static/`).
    Copy(PathBuf),
}

/// The complete site, path (relative, `/`-separated) -> content.
#[derive(Debug, Default, Clone)]
pub struct Output {
    pub files: BTreeMap<String, FileContent>,
}

impl Output {
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(path.into(), FileContent::Bytes(Arc::from(bytes.into())));
    }

    /// Adds bytes that another output (the previous rebuild's) may share.
    pub fn add_shared(&mut self, path: impl Into<String>, bytes: Arc<[u8]>) {
        self.files.insert(path.into(), FileContent::Bytes(bytes));
    }

    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf) {
        self.files
            .entry(path.into())
            .or_insert(FileContent::Copy(from));
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            FileContent::Bytes(b) => Some(b),
            FileContent::Copy(_) => None,
        }
    }
}

/// The media type of a site file, by its extension: for `data:` URIs in an export and for
/// `Content-Type` when serving (which adds the charset to text).
pub fn media_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "html" | "htm" => "text/html",
        "txt" | "md" => "text/plain",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}
