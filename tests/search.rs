//! The search index on the search fixture: what is indexed, where results point, that the index
//! is deterministic, that it never carries HTML into the page, and that `[search] enable =
//! false` removes every trace of it. The file format is read back here the way search.js reads
//! it (see src/search/encode.rs).

mod common;
use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// Builds the search fixture into `<dir>/public` with extra arguments.
fn build(dir: &Path, extra: &[&str]) {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = handbook(&args, dir);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn bytes(root: &Path, path: &str) -> Vec<u8> {
    std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json(root: &Path, path: &str) -> serde_json::Value {
    serde_json::from_slice(&bytes(root, path)).unwrap()
}

/// Reads varints and bytes from an index file.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn next(&mut self) -> u64 {
        let (mut n, mut shift) = (0u64, 0);
        loop {
            let b = self.bytes[self.at];
            self.at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    fn take(&mut self, n: usize) -> &[u8] {
        self.at += n;
        &self.bytes[self.at - n..self.at]
    }
}

/// Every term of the index with its postings `(document, weight)`.
fn terms(site: &Path) -> BTreeMap<String, Vec<(u64, u8)>> {
    let manifest = json(site, "search/manifest.json");
    let mut out = BTreeMap::new();
    for n in 0..manifest["shards"].as_array().unwrap().len() {
        let shard = bytes(site, &format!("search/t/{n}.bin"));
        let mut r = Reader {
            bytes: &shard,
            at: 0,
        };
        let mut previous: Vec<u8> = Vec::new();
        while r.at < shard.len() {
            let shared = r.next() as usize;
            let len = r.next() as usize;
            let mut term = previous[..shared].to_vec();
            term.extend_from_slice(r.take(len));
            let (df, tail, count) = (r.next(), r.next(), r.next());
            assert_eq!((df, tail), (count, 0), "a small index has no tails");
            let mut doc = 0;
            let postings = (0..count)
                .map(|_| {
                    doc += r.next();
                    (doc, r.take(1)[0])
                })
                .collect();
            out.insert(String::from_utf8(term.clone()).unwrap(), postings);
            previous = term;
        }
    }
    out
}

/// Every document's fragment: `[url, title, heading, excerpt]`.
fn fragments(site: &Path) -> Vec<Vec<String>> {
    let manifest = json(site, "search/manifest.json");
    let per_file = manifest["fragment_docs"].as_u64().unwrap() as usize;
    let docs = manifest["docs"].as_u64().unwrap() as usize;
    let rows: Vec<Vec<String>> = (0..docs.div_ceil(per_file))
        .flat_map(|n| {
            let rows: Vec<Vec<String>> =
                serde_json::from_value(json(site, &format!("search/f/{n}.json"))).unwrap();
            rows
        })
        .collect();
    assert_eq!(rows.len(), docs);
    rows
}

#[test]
fn a_word_finds_the_section_under_the_heading_that_holds_it() {
    let dir = copy_fixture("search");
    build(dir.path(), &[]);
    let site = dir.path().join("public");
    let terms = terms(&site);
    let fragments = fragments(&site);
    let csrf: Vec<&str> = terms["csrf"]
        .iter()
        .map(|&(d, _)| fragments[d as usize][0].as_str())
        .collect();
    assert_eq!(
        csrf,
        ["compare/middleware/django/#cross-site-request-forgery"]
    );
    let (doc, _) = terms["csrfviewmiddleware"][0];
    assert_eq!(fragments[doc as usize][2], "Cross-site request forgery");
    let weight_in = |url: &str| {
        let doc = fragments.iter().position(|f| f[0] == url).unwrap() as u64;
        terms["middleware"].iter().find(|p| p.0 == doc).unwrap().1
    };
    assert!(
        weight_in("dimensions/middleware/")
            > weight_in("compare/middleware/django/#writing-your-own"),
        "a title outweighs prose"
    );
    assert!(terms.contains_key("urlpatterns"), "inline code is prose");
    assert!(!terms.contains_key("the"), "stop words are not indexed");
}

#[test]
fn every_result_points_at_a_page_and_a_heading_that_exist() {
    let dir = copy_fixture("search");
    build(dir.path(), &["--base-url", "/handbook/"]);
    let site = dir.path().join("public");
    let urls: Vec<String> = fragments(&site).into_iter().map(|f| f[0].clone()).collect();
    assert!(
        urls.iter().all(|u| !u.starts_with('/')),
        "relative to base-url: {urls:?}"
    );
    for url in &urls {
        let (path, anchor) = url.split_once('#').unwrap_or((url, ""));
        let html = read(&site, &format!("{path}index.html"));
        if !anchor.is_empty() {
            assert!(html.contains(&format!("id=\"{anchor}\"")), "{url}");
        }
    }
    for skipped in ["print.html", "404.html"] {
        assert!(
            !urls.iter().any(|u| u.contains(skipped)),
            "{skipped} is not indexed"
        );
    }
    let home = read(&site, "index.html");
    assert!(home.contains("data-base=\"/handbook/\""));
    let manifest = json(&site, "search/manifest.json");
    assert_eq!(
        manifest["frameworks"][0],
        serde_json::json!(["django", "Django"])
    );
    assert_eq!(
        manifest["dimensions"][1],
        serde_json::json!(["routing", "Routing"])
    );
}

#[test]
fn every_page_has_the_box_and_the_client_is_fingerprinted() {
    let dir = copy_fixture("search");
    build(dir.path(), &[]);
    let site = dir.path().join("public");
    for page in [
        "index.html",
        "frameworks/django/index.html",
        "guide/hostile/index.html",
        "404.html",
    ] {
        let html = read(&site, page);
        assert!(html.contains("role=\"combobox\""), "{page}");
        for asset in ["data-js=\"/assets/search.", "data-css=\"/assets/search."] {
            let at = html
                .find(asset)
                .unwrap_or_else(|| panic!("{asset} in {page}"));
            let url = html[at..].split('"').nth(1).unwrap();
            assert!(site.join(&url[1..]).is_file(), "{url}");
            assert_ne!(url, "/assets/search.js", "fingerprinted");
        }
    }
}

#[test]
fn titles_that_look_like_markup_are_text_everywhere() {
    let dir = copy_fixture("search");
    build(dir.path(), &[]);
    let site = dir.path().join("public");
    let hostile = fragments(&site)
        .into_iter()
        .find(|f| f[0] == "guide/hostile/")
        .unwrap();
    assert_eq!(
        hostile[1], "<img src=x onerror=alert(1)>",
        "stored as the text it is"
    );
    let page = read(&site, "guide/hostile/index.html");
    assert!(!page.contains("<img src=x"), "escaped in the page");
    assert!(terms(&site).contains_key("quirkafloon"));
}

#[test]
fn the_index_is_byte_identical_across_builds() {
    let dir = copy_fixture("search");
    build(dir.path(), &[]);
    let first = snapshot(&dir.path().join("public/search"));
    build(dir.path(), &[]);
    assert_eq!(first, snapshot(&dir.path().join("public/search")));
    assert!(first.len() >= 4, "{:?}", first.keys());
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn search_disabled_leaves_no_trace() {
    let dir = copy_fixture("search");
    let toml = read(dir.path(), "book.toml");
    write(
        dir.path(),
        "book.toml",
        &format!("{toml}\n[search]\nenable = false\n"),
    );
    build(dir.path(), &[]);
    let site = dir.path().join("public");
    assert!(!site.join("search").exists());
    let assets: Vec<String> = std::fs::read_dir(site.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !assets.iter().any(|a| a.starts_with("search.")),
        "{assets:?}"
    );
    assert!(
        assets.iter().any(|a| a.starts_with("handbook.")),
        "{assets:?}"
    );
    for page in [
        "index.html",
        "compare/middleware/django/index.html",
        "404.html",
    ] {
        assert!(!read(&site, page).contains("hb-search"), "{page}");
    }
}
