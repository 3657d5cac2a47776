//! The keys of outputs: hashes of everything an output depends on. When a key is unchanged,
//! the output made under it is reused, by `serve`'s incremental engine from memory and by a
//! build from `.handbook-cache/` (`reuse`). A key that misses a dependency is a stale page, so
//! what a page embeds comes from one place, [`Model::embedded`].

use crate::content::config::Config;
use crate::content::model::{Kind, Model};
use crate::markdown::Rendered;

/// A hash of everything a link resolves against: the configuration, every article's source path
/// and URL, and the content folder's other files. While it is unchanged, an unchanged text's
/// links resolve as before and need not be resolved again.
pub(crate) fn link_table_key(config: &Config, model: &Model) -> blake3::Hash {
    let mut key = blake3::Hasher::new();
    key.update(format!("{config:?}").as_bytes())
        .update(crate::markdown::links::table_key(model).as_bytes());
    key.finalize()
}

/// A hash of the configuration and of everything in the model but the articles' bodies: each
/// page's source path, URL, kind, title, date and front matter as written. What is made from
/// the model alone (the navigation, the matrix and the charts of the templates' global
/// context, the sitemap, matrix.json) is the same while it is; `serve` then reuses them instead
/// of making 10,000 URLs and serializing them again on every save.
pub(crate) fn shape_key(config: &Config, model: &Model) -> blake3::Hash {
    // One buffer hashed at once: ten small updates per page cost more than the hashing.
    let mut bytes = format!("{config:?}").into_bytes();
    for page in &model.pages {
        let source = &page.source;
        for part in [
            source.rel.as_str(),
            page.path.as_str(),
            source.title.as_str(),
            page.updated.as_deref().unwrap_or(""),
            &source.text[source.yaml.clone()],
        ] {
            bytes.extend_from_slice(part.as_bytes());
            bytes.push(0);
        }
        bytes.extend_from_slice(&kind_bytes(page.kind));
    }
    blake3::hash(&bytes)
}

/// A page's kind as bytes, for keys.
pub(crate) fn kind_bytes(kind: Kind) -> [u8; 17] {
    let (tag, a, b) = match kind {
        Kind::Home => (0, 0, 0),
        Kind::Framework(f) => (1, f, 0),
        Kind::Dimension(d) => (2, d, 0),
        Kind::Cell {
            framework,
            dimension,
        } => (3, framework, dimension),
        Kind::Article => (4, 0, 0),
    };
    let mut bytes = [0; 17];
    bytes[0] = tag;
    bytes[1..9].copy_from_slice(&(a as u64).to_le_bytes());
    bytes[9..].copy_from_slice(&(b as u64).to_le_bytes());
    bytes
}

/// A hash of everything templates may show of a body.
pub(crate) fn body_hash(r: &Rendered) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(r.html.as_bytes());
    for t in &r.toc {
        h.update(&[t.level])
            .update(t.id.as_bytes())
            .update(&[0])
            .update(t.title.as_bytes())
            .update(&[0]);
    }
    for s in &r.samples {
        h.update(s.lang.as_bytes())
            .update(&[0])
            .update(s.attrs.join(" ").as_bytes())
            .update(&[0])
            .update(r.sample_html(s).as_bytes())
            .update(&[0]);
    }
    h.finalize()
}

/// What templates and the search index see of page `i` itself: its source (`source`: a hash of
/// the article's text, which holds its front matter), URL, kind, date and renamed body
/// (`body`: [`body_hash`]).
pub(crate) fn own_key(model: &Model, i: usize, source: &[u8], body: &blake3::Hash) -> blake3::Hash {
    let page = &model.pages[i];
    let mut key = blake3::Hasher::new();
    key.update(source)
        .update(body.as_bytes())
        .update(page.source.rel.as_bytes())
        .update(&[0])
        .update(page.path.as_bytes())
        .update(&[0])
        .update(page.updated.as_deref().unwrap_or("").as_bytes())
        .update(&kind_bytes(page.kind));
    key.finalize()
}

/// A key for something made from every page: `what` (`print`, `search`), the global key and
/// every page's own key.
pub(crate) fn site_key(what: &str, global: &blake3::Hash, own: &[blake3::Hash]) -> blake3::Hash {
    let mut key = blake3::Hasher::new();
    key.update(what.as_bytes())
        .update(&[0])
        .update(global.as_bytes());
    for k in own {
        key.update(k.as_bytes());
    }
    key.finalize()
}

/// The key of the "X vs Y" page of frameworks `a` and `b`: the global key, every framework
/// and dimension page (their titles, scales and links are on it) and the cells of both.
pub(crate) fn pair_key(
    model: &Model,
    a: usize,
    b: usize,
    own: &[blake3::Hash],
    global: &blake3::Hash,
) -> blake3::Hash {
    let mut key = blake3::Hasher::new();
    key.update(b"pair\0").update(global.as_bytes());
    for axis in model.frameworks.iter().chain(&model.dimensions) {
        key.update(own[axis.page].as_bytes());
    }
    for d in 0..model.dimensions.len() {
        for f in [a, b] {
            match model.cell(f, d) {
                Some(cell) => key.update(own[cell].as_bytes()),
                None => key.update(b"-"),
            };
        }
    }
    key.finalize()
}

/// The key of page `i`'s output: the global key, its own key, its neighbours' (their titles
/// and URLs are its prev/next links), and for cells the framework and dimension pages they
/// show, for framework and dimension pages every cell they embed with its axes.
pub(crate) fn page_key(
    model: &Model,
    i: usize,
    own: &[blake3::Hash],
    global: &blake3::Hash,
) -> blake3::Hash {
    let mut key = blake3::Hasher::new();
    key.update(global.as_bytes()).update(own[i].as_bytes());
    let (prev, next) = model.neighbours(i);
    for n in [prev, next] {
        match n {
            Some(n) => key.update(own[n].as_bytes()),
            None => key.update(b"-"),
        };
    }
    let mut related = Vec::new();
    match model.pages[i].kind {
        Kind::Cell {
            framework,
            dimension,
        } => related.extend([
            model.frameworks[framework].page,
            model.dimensions[dimension].page,
        ]),
        Kind::Framework(_) | Kind::Dimension(_) => {
            for e in model.embedded(i) {
                related.extend([e.cell, e.axis_page]);
            }
        }
        Kind::Home | Kind::Article => {}
    }
    for r in related {
        key.update(own[r].as_bytes());
    }
    key.finalize()
}
