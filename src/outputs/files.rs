//! The site in memory: every output file by its path, as bytes or as a file to copy. Every
//! output stage adds to an [`Output`]; `write` puts it on disk, `serve` answers from it.
//!
//! A build that writes to disk gives the output a [`Sink`] (`write`'s staging folder): each
//! file added is written at once and only its path is kept, so a 10,000-page site never sits in
//! memory whole. `check`, `export` and `serve` keep the bytes.

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
    /// Already written through the output's [`Sink`]; the bytes are not kept.
    Written,
}

/// Where a writing build puts each file as soon as it is made (`write::Staging`). A failed
/// write is remembered by the sink and fails the build when it is committed.
pub trait Sink: Send + Sync {
    fn write(&self, path: &str, bytes: &[u8]);
    /// A new file to write piece by piece, for a file too big to make in memory first
    /// (print.html); `None` when it cannot be created (the sink remembers why).
    fn create(&self, path: &str) -> Option<Box<dyn std::io::Write + Send + '_>>;
    /// Puts the existing file `from` (a cache's copy of this very output) at `path`, as a hard
    /// link where the file system allows, else as a copy; whether it is there.
    fn place(&self, path: &str, from: &std::path::Path) -> bool;
    /// Where the file written at `path` is, for a cache to keep a link to it.
    fn location(&self, path: &str) -> Option<PathBuf>;
}

/// The complete site, path (relative, `/`-separated) -> content.
#[derive(Default, Clone)]
pub struct Output {
    pub files: BTreeMap<String, FileContent>,
    sink: Option<Arc<dyn Sink>>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("files", &self.files)
            .field("streaming", &self.sink.is_some())
            .finish()
    }
}

impl Output {
    /// An output that writes every file through `sink` as it is added.
    pub fn streaming(sink: Arc<dyn Sink>) -> Output {
        Output {
            files: BTreeMap::new(),
            sink: Some(sink),
        }
    }

    /// The sink files go to, for stages that write from several threads at once.
    pub fn sink(&self) -> Option<&Arc<dyn Sink>> {
        self.sink.as_ref()
    }

    /// Records a file that was written through [`Output::sink`] by its caller.
    pub fn written(&mut self, path: impl Into<String>) {
        self.files.insert(path.into(), FileContent::Written);
    }

    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let path = path.into();
        match &self.sink {
            Some(sink) => {
                sink.write(&path, &bytes.into());
                self.files.insert(path, FileContent::Written);
            }
            None => {
                self.files
                    .insert(path, FileContent::Bytes(Arc::from(bytes.into())));
            }
        }
    }

    /// Adds bytes that another output (the previous rebuild's) may share.
    pub fn add_shared(&mut self, path: impl Into<String>, bytes: Arc<[u8]>) {
        let path = path.into();
        match &self.sink {
            Some(sink) => {
                sink.write(&path, &bytes);
                self.files.insert(path, FileContent::Written);
            }
            None => {
                self.files.insert(path, FileContent::Bytes(bytes));
            }
        }
    }

    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf) {
        self.files
            .entry(path.into())
            .or_insert(FileContent::Copy(from));
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            FileContent::Bytes(b) => Some(b),
            FileContent::Copy(_) | FileContent::Written => None,
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
