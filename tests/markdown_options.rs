//! `[markdown]` and `[build] link-check`: the switches a docs tree brought in from mdBook, Zola
//! or Hugo needs, on the `good` fixture with one extra article.

mod common;
use common::*;

const ARTICLE: &str = r#"---
title: Terms
---

## Custom id {#my-id}

Router
: Maps a request to a handler.

Middleware
: Runs around a handler.

"Quoted" text -- with dashes --- and dots...
"#;

fn with_article(config_extra: &str) -> tempfile::TempDir {
    let dir = copy_fixture("good");
    write(dir.path(), "content/guide/terms.md", ARTICLE);
    let config = read(dir.path(), "book.toml") + config_extra;
    write(dir.path(), "book.toml", &config);
    dir
}

fn built_terms(dir: &std::path::Path) -> String {
    let out = handbook(&["build"], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    read(dir, "public/guide/terms/index.html")
}

#[test]
fn definition_lists_by_default_and_heading_ids_as_written() {
    let dir = with_article("");
    let html = built_terms(dir.path());
    assert!(
        html.contains("<dl>") && html.contains("<dt>Router</dt>"),
        "a definition list: {html}"
    );
    assert!(html.contains("<dd>Maps a request to a handler.</dd>"));
    assert!(html.contains("<h2 id=\"my-id\">"), "{{#id}} sets the id");
    assert!(
        html.contains("&quot;Quoted&quot; text -- with dashes")
            || html.contains("\"Quoted\" text -- with dashes"),
        "no smart punctuation unless asked for"
    );
}

#[test]
fn both_switches() {
    let dir = with_article("\n[markdown]\ndefinition-lists = false\nsmart-punctuation = true\n");
    let html = built_terms(dir.path());
    assert!(!html.contains("<dl>"), "definition lists off");
    assert!(
        html.contains("“Quoted” text – with dashes — and dots…"),
        "smart punctuation on: {}",
        &html[html.find("Quoted").map_or(0, |i| i.saturating_sub(20))..]
    );
}

#[test]
fn an_unknown_markdown_key_is_a_config_error() {
    let dir = with_article("\n[markdown]\nsmart-quotes = true\n");
    let out = handbook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("book.toml") && err.contains("smart-quotes"),
        "{err}"
    );
}

const BROKEN: &str = "---\ntitle: Broken\n---\n\nSee [nowhere](missing.md) and [a place](../compare/routing/alpha.md#no-such-heading).\n";

#[test]
fn broken_links_are_errors_by_default() {
    let dir = copy_fixture("good");
    write(dir.path(), "content/guide/broken.md", BROKEN);
    let out = handbook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("broken.md:5:"), "{err}");
    assert!(!dir.path().join("public").exists(), "nothing written");
}

#[test]
fn link_check_warn_prints_warnings_and_writes_the_site() {
    let dir = copy_fixture("good");
    write(dir.path(), "content/guide/broken.md", BROKEN);
    let config = read(dir.path(), "book.toml");
    let config = config.replacen("[build]", "[build]\nlink-check = \"warn\"", 1);
    write(dir.path(), "book.toml", &config);
    let out = handbook(&["build"], dir.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning") && err.contains("broken.md:5:"),
        "{err}"
    );
    assert!(
        err.contains("missing.md") && err.contains("no-such-heading"),
        "{err}"
    );
    assert!(
        err.contains("2 warnings; the site was built anyway"),
        "{err}"
    );
    let page = read(dir.path(), "public/guide/broken/index.html");
    assert!(
        page.contains("href=\"missing.md\""),
        "the link is kept as written"
    );
    let check = handbook(&["check"], dir.path());
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("2 warnings"));
}

#[test]
fn a_wrong_link_check_value_is_a_config_error() {
    let dir = copy_fixture("good");
    let config =
        read(dir.path(), "book.toml").replacen("[build]", "[build]\nlink-check = \"maybe\"", 1);
    write(dir.path(), "book.toml", &config);
    let out = handbook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("book.toml") && err.contains("maybe"), "{err}");
}
