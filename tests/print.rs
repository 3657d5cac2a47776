//! `print.html` and `handbook export` on the good fixture, plus one article with links into
//! framework and dimension pages and a code line too wide for any page.

mod common;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use common::*;

/// 200 characters without a space: a cut line loses its tail (`w040,`), a wrapped one keeps it.
fn wide_line() -> String {
    let line: String = (1..=40).map(|i| format!("w{i:03},")).collect();
    assert_eq!(line.len(), 200);
    line
}

const WIDE_ARTICLE: &str = r#"---
title: Wide code
summary: A line too long for any page.
---

See [the routing task](@/dimensions/routing.md#the-task), [Alpha's routing
section](@/frameworks/alpha.md#routing), [Beta's routing](@/dimensions/routing.md#beta),
[Alpha's second heading](@/dimensions/routing.md#alpha--path-parameters-1), [a
footnote](#hb-fn-1) and [the project](https://example.org/docs).[^1]

[^1]: A note.

```text
WIDE
```
"#;

fn fixture_with_wide_article() -> tempfile::TempDir {
    let dir = copy_fixture("good");
    write(
        dir.path(),
        "content/guide/wide.md",
        &WIDE_ARTICLE.replace("WIDE", &wide_line()),
    );
    dir
}

fn build(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = handbook(&all, dir);
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    read(dir, "public/print.html")
}

/// The ids of the `<article>` sections of the print page, in order.
fn article_ids(html: &str) -> Vec<String> {
    html.match_indices("<article class=\"print-article")
        .map(|(at, _)| {
            let rest = &html[at..];
            let id = &rest[rest.find(" id=\"").unwrap() + 5..];
            id[..id.find('"').unwrap()].to_string()
        })
        .collect()
}

fn attribute_values(html: &str, attribute: &str) -> Vec<String> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

const DIMENSION_ORDER: [&str; 10] = [
    "introduction",
    "dimensions-routing",
    "compare-routing-alpha",
    "compare-routing-beta",
    "dimensions-orm",
    "compare-orm-alpha",
    "frameworks-alpha",
    "frameworks-beta",
    "guide",
    "guide-wide",
];

#[test]
fn every_article_once_in_dimension_order() {
    let dir = fixture_with_wide_article();
    let html = build(dir.path(), &[]);
    assert_eq!(article_ids(&html), DIMENSION_ORDER);
    for title in ["Routing in Alpha", "ORM in Alpha", "The guide", "Wide code"] {
        let heading = format!("class=\"print-title\">{title}</h");
        assert_eq!(html.matches(&heading).count(), 1, "{title}");
    }
    // A cell sits one level below its dimension, and its own headings with it.
    assert!(html.contains("<h2 class=\"print-title\">Routing in Alpha</h2>"));
    assert!(html.contains("<h3 id=\"compare-routing-alpha--path-parameters\">"));
    assert!(html.contains("<h1 class=\"print-title\">Routing</h1>"));
    assert!(html.contains("<h2 id=\"dimensions-routing--the-task\">"));
}

#[test]
fn every_article_once_in_framework_order() {
    let dir = fixture_with_wide_article();
    let config = read(dir.path(), "book.toml") + "\n[print]\norder = \"framework\"\n";
    write(dir.path(), "book.toml", &config);
    let html = build(dir.path(), &[]);
    assert_eq!(
        article_ids(&html),
        [
            "introduction",
            "frameworks-alpha",
            "compare-routing-alpha",
            "compare-orm-alpha",
            "frameworks-beta",
            "compare-routing-beta",
            "dimensions-routing",
            "dimensions-orm",
            "guide",
            "guide-wide",
        ]
    );
    let toc = &html[html.find("id=\"hb-toc\"").unwrap()..html.find("</nav>").unwrap()];
    let alpha = toc.find("#frameworks-alpha").unwrap();
    let alpha_routing = toc.find("#compare-routing-alpha").unwrap();
    let beta = toc.find("#frameworks-beta").unwrap();
    assert!(alpha < alpha_routing && alpha_routing < beta, "{toc}");
}

#[test]
fn links_stay_on_the_page_and_ids_are_unique() {
    for base in ["/", "/handbook/"] {
        let dir = fixture_with_wide_article();
        let html = build(dir.path(), &["--base-url", base]);
        let ids: Vec<String> = attribute_values(&html, "id");
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
        for href in attribute_values(&html, "href") {
            if let Some(anchor) = href.strip_prefix('#') {
                assert!(
                    unique.contains(&anchor.to_string()),
                    "#{anchor} resolves to nothing"
                );
            } else if !href.starts_with("https://") {
                // Only the stylesheets and the icon of the head are files of the site.
                let asset = format!("{base}assets/");
                assert!(href.starts_with(&asset), "{href} leaves the page");
            }
        }
        for src in attribute_values(&html, "src") {
            assert_eq!(src, format!("{base}guide/diagram.svg"));
        }
    }
}

#[test]
fn links_into_other_pages_become_in_page_anchors() {
    let dir = fixture_with_wide_article();
    let html = build(dir.path(), &[]);
    let wide = &html[html.find("id=\"guide-wide\"").unwrap()..];
    for anchor in [
        "#dimensions-routing--the-task",
        "#compare-routing-alpha",
        "#compare-routing-beta",
        "#compare-routing-alpha--path-parameters-1",
        "#guide-wide--hb-fn-1",
    ] {
        assert!(wide.contains(&format!("href=\"{anchor}\"")), "{anchor}");
    }
    assert!(wide.contains("href=\"https://example.org/docs\""));
    // The table of contents and the matrix link every article.
    for id in DIMENSION_ORDER {
        assert!(html.contains(&format!("<a href=\"#{id}\">")), "{id}");
    }
}

#[test]
fn print_page_can_be_turned_off() {
    let dir = copy_fixture("good");
    let config = read(dir.path(), "book.toml") + "\n[print]\nenable = false\n";
    write(dir.path(), "book.toml", &config);
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.path().join("public/print.html").exists());
    assert!(!read(dir.path(), "public/index.html").contains("print.html"));

    let dir = copy_fixture("good");
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success());
    assert!(read(dir.path(), "public/index.html").contains("href=\"/print.html\""));
}

#[test]
fn an_unknown_print_order_is_a_configuration_error() {
    let dir = copy_fixture("good");
    let config = read(dir.path(), "book.toml") + "\n[print]\norder = \"alphabetical\"\n";
    write(dir.path(), "book.toml", &config);
    let out = handbook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("alphabetical") && err.contains("framework"),
        "{err}"
    );
}

#[test]
fn export_is_one_self_contained_file() {
    let dir = fixture_with_wide_article();
    let file = dir.path().join("book.html");
    let out = handbook(&["export", "--out", file.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(&file).unwrap();
    assert_eq!(article_ids(&html), DIMENSION_ORDER);
    for url in urls(&html) {
        assert!(
            url.starts_with('#') || url.starts_with("data:") || url.starts_with("https://"),
            "{url} is outside the file"
        );
    }
    let mut rest = html.as_str();
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let value = rest.trim_start_matches(['"', '\'']);
        assert!(
            value.starts_with("data:") || value.starts_with('#'),
            "CSS url({}) is outside the file",
            &value[..value.len().min(40)]
        );
    }
    assert!(!html.contains("<link rel=\"stylesheet\""));
    assert!(!html.contains("<script"));
    assert!(html.contains("<img src=\"data:image/svg+xml;base64,"));
    assert!(html.contains(".print-article"), "print CSS is inlined");
    let used: HashSet<String> = attribute_values(&html, "class")
        .into_iter()
        // Highlight classes: `c` and a base-36 number.
        .filter(|c| {
            c.len() > 1
                && c.starts_with('c')
                && c[1..].chars().all(|ch| ch.is_ascii_alphanumeric())
                && !c.contains('-')
        })
        .collect();
    assert!(
        used.iter()
            .any(|class| html.contains(&format!(".{class} {{"))),
        "the highlight CSS is inlined"
    );
    assert!(
        !html.contains("@page { size:"),
        "no paper size unless asked"
    );
}

#[test]
fn export_without_chromium_says_how_to_install_it() {
    let dir = copy_fixture("good");
    let out = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["export", "--pdf", "x.pdf", "--root"])
        .arg(dir.path())
        .env("PATH", "")
        .env_remove("HANDBOOK_CHROME")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no Chromium found"), "{err}");
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert!(!dir.path().join("x.pdf").exists());

    let out = handbook(
        &[
            "export",
            "--pdf",
            "x.pdf",
            "--chrome",
            "/nonexistent/chrome",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/chrome"));
}

/// Runs a poppler tool on `pdf`; its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("this test needs {tool} from poppler-utils (bash scripts/setup.sh installs it): {e}"));
    assert!(out.status.success(), "{tool} failed: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pdf_has_every_article_on_its_own_pages_with_wrapped_code() {
    let dir = fixture_with_wide_article();
    let pdf = dir.path().join("out/handbook.pdf");
    let out = handbook(
        &["export", "--pdf", pdf.to_str().unwrap(), "--paper", "a4"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // pdfinfo takes no `-` for standard output; give it the file alone.
    let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
    let info = String::from_utf8(info.stdout).unwrap();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("page count")
        .trim()
        .parse()
        .unwrap();
    // A cover, the contents, and ten one-page articles.
    assert!((12..=14).contains(&pages), "{pages} pages");
    assert!(info.contains("A4"), "{info}");

    let text = poppler("pdftotext", &[], &pdf);
    let page_texts: Vec<&str> = text.split('\u{c}').collect();
    // Each article starts on a page of its own, in order, after the cover and the contents.
    let titles = [
        "Introduction",
        "Routing",
        "Routing in Alpha",
        "Routing in Beta",
        "ORM",
        "ORM in Alpha",
        "Alpha",
        "Beta",
        "The guide",
        "Wide code",
    ];
    let mut page = 1;
    for title in titles {
        page += 1 + page_texts[page + 1..]
            .iter()
            .position(|p| p.lines().any(|l| l.trim() == title))
            .unwrap_or_else(|| panic!("no page after {page} has the title {title}"));
        assert!(
            page_texts[page].lines().any(|l| l.trim() == title),
            "{title}"
        );
    }
    // The book title and the page numbers are in the margins of every page but the cover.
    for (n, page_text) in page_texts.iter().enumerate().take(pages).skip(1) {
        assert!(page_text.contains("Fixture Handbook"), "page {}", n + 1);
        assert!(
            page_text.contains(&format!("{} / {pages}", n + 1)),
            "page {}: {page_text}",
            n + 1
        );
    }
    // The 200-character line is wrapped onto several lines, none of it cut off.
    let squeezed: String = text.split_whitespace().collect();
    assert!(squeezed.contains(&wide_line()), "the wide line is cut");
    assert!(!text.contains(&wide_line()), "the wide line is not wrapped");
    // External links are followed by their URL.
    assert!(
        squeezed.contains("theproject(https://example.org/docs)"),
        "{text}"
    );
    // Bookmarks.
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.windows(9).any(|w| w == b"/Outlines"),
        "no PDF outline"
    );
}

#[test]
fn raw_html_keeps_its_entities_and_only_tags_are_rewritten() {
    let dir = copy_fixture("good");
    write(
        dir.path(),
        "content/guide/raw.md",
        "---\ntitle: Raw\n---\n\n## Top\n\n<p><a href=\"#top\" title=\"caf&eacute; &amp; cr&egrave;me\" data-x='1'>up</a></p>\n\n```text\n<h2 id=\"in-code\"><a href=\"#in-code\">x</a></h2>\n```\n",
    );
    let html = build(dir.path(), &[]);
    let raw = &html[html.find("id=\"guide-raw\"").unwrap()..];
    assert!(
        raw.contains(
            "href=\"#guide-raw--top\" title=\"caf&eacute; &amp; cr&egrave;me\" data-x='1'"
        ),
        "the link is re-pointed, its other attributes stay as written: {}",
        &raw[..raw.len().min(1500)]
    );
    assert!(
        !raw.contains("&amp;eacute;"),
        "entities are never escaped twice"
    );
    // Code shows HTML as text: its `id="` and `href="#` are not tags and stay as written.
    assert!(
        raw.contains("&lt;h2 id=&quot;in-code&quot;&gt;&lt;a href=&quot;#in-code&quot;&gt;"),
        "code is text, as written"
    );
    assert!(!raw.contains("--in-code"), "ids in code are not prefixed");
}

/// A build writes print.html in pieces around markers in the rendered template; a theme whose
/// template shows each body twice (or not at all) gets the page rendered whole, the same as it
/// would be in memory.
#[test]
fn a_theme_showing_bodies_twice_or_never_still_gets_a_complete_page() {
    let plain = copy_fixture("good");
    let streamed = build(plain.path(), &[]);
    let ids = article_ids(&streamed);
    assert!(ids.len() > 5);
    assert!(
        !streamed.contains("<!--handbook-print-"),
        "no marker is left on the page"
    );

    let template = include_str!("../themes/default/templates/print.html");
    for (name, body) in [
        (
            "twice",
            "{{ article.content | safe }}{{ article.content | safe }}",
        ),
        ("never", "<p>{{ article.url }}</p>"),
    ] {
        let dir = copy_fixture("good");
        write(
            dir.path(),
            "themes/default/templates/print.html",
            &template.replace("{{ article.content | safe }}", body),
        );
        let html = build(dir.path(), &[]);
        assert_eq!(article_ids(&html), ids, "{name}");
        assert!(!html.contains("<!--handbook-print-"), "{name}");
        let routing = "id=\"dimensions-routing--the-task\"";
        let expected = if name == "twice" { 2 } else { 0 };
        assert_eq!(html.matches(routing).count(), expected, "{name}: {routing}");
    }
}
