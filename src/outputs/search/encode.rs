//! The index files, chunked so that a query downloads a few small files, never the whole index.
//!
//! Everything sits under `search/`; all integers are unsigned LEB128 varints:
//!
//! - `manifest.json`: `{format, version, docs, head, fragment_docs, frameworks, dimensions,
//!   shards}`. `shards` holds the first term of each term shard, in order, so the browser finds
//!   the shards a word (or a prefix) lives in by binary search; `frameworks` and `dimensions`
//!   are `[slug, title]` pairs, the facets. `version` is a hash of every other file; the browser
//!   adds it to their URLs (`?v=`) so it never mixes files of two builds.
//! - `pages.bin`: per page, in document order: its number of sections, then its framework and
//!   dimension as 1-based indexes into the manifest's lists (0: none). Sections (documents) are
//!   numbered in page order, so this maps every document to its page and facets.
//! - `t/<n>.bin`: a term shard, terms sorted. Per term: the length of the prefix it shares with
//!   the previous term, the rest's length and UTF-8 bytes, the number of documents holding it,
//!   its tail file (0: none, else n + 1), the number of postings here, then per posting the
//!   document number (as the difference from the previous one) and the weight (one byte).
//! - `x/<n>.bin`: a tail: the postings of a very common term beyond its `head` heaviest ones
//!   (same posting encoding, preceded by their number). Fetched only when a query has few
//!   results: ranking needs the heaviest postings, and a common word's thousands of light ones
//!   would dominate every download.
//! - `f/<n>.json`: the fragments of documents `n * fragment_docs ..`: `[url, title, heading,
//!   excerpt]` each, `url` relative to the site root with `#anchor`.

use rayon::prelude::*;
use serde::Serialize;

use super::Section;

/// The index's folder in the site.
pub const FOLDER: &str = "search";
/// Bumped when the file format changes; the browser refuses other formats.
const FORMAT: u32 = 1;
/// Term shards are cut after they reach this many bytes.
const SHARD_BYTES: usize = 12 * 1024;
/// Postings kept in a term's shard; the rest go to its tail file.
const HEAD: usize = 600;
/// Documents per fragment file.
const FRAGMENT_DOCS: usize = 12;

/// The values of the two facets, `(slug, title)`, in display order.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub frameworks: Vec<(String, String)>,
    pub dimensions: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    version: String,
    docs: usize,
    head: usize,
    fragment_docs: usize,
    frameworks: &'a [(String, String)],
    dimensions: &'a [(String, String)],
    shards: Vec<String>,
}

/// Every file of the index, `(path, bytes)` sorted by path, for `sections` in document order
/// (each page's sections together).
pub fn index(sections: &[&Section], facets: &Facets) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    files.push(("pages.bin".to_string(), pages(sections, facets)));
    let (shards, first_terms, tails) = terms(sections);
    files.extend(
        shards
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("t/{i}.bin"), b)),
    );
    files.extend(
        tails
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("x/{i}.bin"), b)),
    );
    let chunks: Vec<(String, Vec<u8>)> = sections
        .par_chunks(FRAGMENT_DOCS)
        .enumerate()
        .map(|(i, chunk)| (format!("f/{i}.json"), fragments(chunk)))
        .collect();
    files.extend(chunks);
    let mut hasher = blake3::Hasher::new();
    for (path, bytes) in &files {
        hasher.update(path.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let manifest = Manifest {
        format: FORMAT,
        version: hasher.finalize().to_hex()[..12].to_string(),
        docs: sections.len(),
        head: HEAD,
        fragment_docs: FRAGMENT_DOCS,
        frameworks: &facets.frameworks,
        dimensions: &facets.dimensions,
        shards: first_terms,
    };
    let json = serde_json::to_vec(&manifest).expect("the manifest serializes");
    files.push(("manifest.json".to_string(), json));
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(p, b)| (format!("{FOLDER}/{p}"), b))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// `pages.bin`: each page's section count and facets.
fn pages(sections: &[&Section], facets: &Facets) -> Vec<u8> {
    let position = |list: &[(String, String)], slug: &Option<std::sync::Arc<str>>| {
        slug.as_ref()
            .and_then(|s| list.iter().position(|(x, _)| **x == **s))
            .map_or(0, |p| p as u64 + 1)
    };
    let mut out = Vec::new();
    for page in sections.chunk_by(|a, b| a.path == b.path) {
        varint(&mut out, page.len() as u64);
        varint(&mut out, position(&facets.frameworks, &page[0].framework));
        varint(&mut out, position(&facets.dimensions, &page[0].dimension));
    }
    out
}

/// One term's postings: `(document, weight)` in document order.
type Postings = Vec<(u32, u8)>;

/// The term shards, the first term of each, and the tails.
fn terms(sections: &[&Section]) -> (Vec<Vec<u8>>, Vec<String>, Vec<Vec<u8>>) {
    // Millions of postings into a map keyed by the handbook's own words: the fast hash.
    let mut by_term: rustc_hash::FxHashMap<&str, Postings> = Default::default();
    for (doc, section) in sections.iter().enumerate() {
        for (term, weight) in section.terms.iter() {
            by_term.entry(term).or_default().push((doc as u32, weight));
        }
    }
    let mut by_term: Vec<(&str, Postings)> = by_term.into_iter().collect();
    by_term.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let (mut shards, mut first_terms, mut tails) = (Vec::new(), Vec::new(), Vec::new());
    let mut shard = Vec::new();
    let mut previous = "";
    for (term, postings) in by_term {
        if shard.is_empty() {
            first_terms.push(term.to_string());
            previous = "";
        }
        let df = postings.len();
        let (head, tail) = split_head(postings);
        let tail_id = match tail {
            Some(tail) => {
                tails.push(encode_postings(&tail));
                tails.len() as u64
            }
            None => 0,
        };
        let shared = common_prefix(previous, term);
        varint(&mut shard, shared as u64);
        varint(&mut shard, (term.len() - shared) as u64);
        shard.extend_from_slice(&term.as_bytes()[shared..]);
        varint(&mut shard, df as u64);
        varint(&mut shard, tail_id);
        shard.extend(encode_postings(&head));
        previous = term;
        if shard.len() >= SHARD_BYTES {
            shards.push(std::mem::take(&mut shard));
        }
    }
    if !shard.is_empty() {
        shards.push(shard);
    }
    (shards, first_terms, tails)
}

/// The `HEAD` heaviest postings (ties: earlier documents first) and the rest, each in document
/// order; no tail when everything fits.
fn split_head(mut postings: Postings) -> (Postings, Option<Postings>) {
    if postings.len() <= HEAD {
        return (postings, None);
    }
    postings.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut tail = postings.split_off(HEAD);
    postings.sort_unstable();
    tail.sort_unstable();
    (postings, Some(tail))
}

fn encode_postings(postings: &[(u32, u8)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() * 2 + 4);
    varint(&mut out, postings.len() as u64);
    let mut last = 0;
    for &(doc, weight) in postings {
        varint(&mut out, u64::from(doc - last));
        out.push(weight);
        last = doc;
    }
    out
}

/// The number of bytes two terms share at their start, on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .map(|((i, x), _)| i + x.len_utf8())
        .last()
        .unwrap_or(0)
}

fn fragments(chunk: &[&Section]) -> Vec<u8> {
    let rows: Vec<(String, &str, &str, &str)> = chunk
        .iter()
        .map(|s| {
            let url = match &s.anchor {
                Some(a) => format!("{}#{a}", s.path),
                None => s.path.to_string(),
            };
            (
                url,
                &*s.title,
                s.heading.as_deref().unwrap_or(""),
                &*s.excerpt,
            )
        })
        .collect();
    serde_json::to_vec(&rows).expect("fragments serialize")
}

/// Appends `n` as an unsigned LEB128 varint.
fn varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(path: &str, terms: &[(&str, u8)]) -> Section {
        Section {
            path: path.into(),
            anchor: None,
            title: path.into(),
            heading: None,
            excerpt: "".into(),
            terms: terms.iter().copied().collect(),
            framework: Some("b".into()),
            dimension: None,
        }
    }

    /// Reads a varint at `*at`, moving past it.
    fn read(bytes: &[u8], at: &mut usize) -> u64 {
        let (mut n, mut shift) = (0u64, 0);
        loop {
            let b = bytes[*at];
            *at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    #[test]
    fn varints_round_trip() {
        for n in [0u64, 1, 127, 128, 300, 1 << 40] {
            let mut out = Vec::new();
            varint(&mut out, n);
            assert_eq!(read(&out, &mut 0), n);
        }
    }

    #[test]
    fn shards_front_code_terms_and_delta_code_documents() {
        let sections = [
            section("a/", &[("route", 9), ("router", 4)]),
            section("a/", &[("router", 7)]),
            section("b/", &[("route", 1)]),
        ];
        let sections: Vec<&Section> = sections.iter().collect();
        let (shards, first, tails) = terms(&sections);
        assert_eq!(
            (shards.len(), first, tails.len()),
            (1, vec!["route".to_string()], 0)
        );
        let s = &shards[0];
        let at = &mut 0;
        assert_eq!((read(s, at), read(s, at)), (0, 5));
        assert_eq!(&s[*at..*at + 5], b"route");
        *at += 5;
        assert_eq!(
            (read(s, at), read(s, at), read(s, at)),
            (2, 0, 2),
            "df, no tail, 2 postings"
        );
        assert_eq!((read(s, at), s[*at]), (0, 9));
        *at += 1;
        assert_eq!(
            (read(s, at), s[*at]),
            (2, 1),
            "document 2 is 2 after document 0"
        );
        *at += 1;
        assert_eq!(
            (read(s, at), read(s, at)),
            (5, 1),
            "router shares 5 bytes with route"
        );
    }

    #[test]
    fn common_terms_keep_their_heaviest_postings_and_move_the_rest_to_a_tail() {
        let postings: Postings = (0..HEAD as u32 + 10)
            .map(|d| (d, (d % 200) as u8))
            .collect();
        let (head, tail) = split_head(postings);
        let tail = tail.unwrap();
        assert_eq!((head.len(), tail.len()), (HEAD, 10));
        let lightest_head = head.iter().map(|p| p.1).min().unwrap();
        assert!(tail.iter().all(|p| p.1 <= lightest_head));
        assert!(head.windows(2).all(|w| w[0].0 < w[1].0), "document order");
    }

    #[test]
    fn the_index_is_deterministic_and_lists_pages_with_their_facets() {
        let facets = Facets {
            frameworks: vec![("a".into(), "A".into()), ("b".into(), "B".into())],
            dimensions: vec![],
        };
        let sections = [
            section("x/", &[("one", 3)]),
            section("x/", &[("two", 3)]),
            section("y/", &[("one", 1)]),
        ];
        let sections: Vec<&Section> = sections.iter().collect();
        let files = index(&sections, &facets);
        assert_eq!(files, index(&sections, &facets));
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "search/f/0.json",
                "search/manifest.json",
                "search/pages.bin",
                "search/t/0.bin"
            ]
        );
        assert_eq!(
            files[2].1,
            [2, 2, 0, 1, 2, 0],
            "two pages: 2 and 1 sections, framework b"
        );
        let manifest: serde_json::Value = serde_json::from_slice(&files[1].1).unwrap();
        assert_eq!(manifest["docs"], 3);
        assert_eq!(manifest["shards"][0], "one");
    }
}
