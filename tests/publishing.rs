//! What a published handbook tells the outside: "Edit this page", last-updated dates from git,
//! Open Graph and Twitter card tags, the Atom feed of changes and the "Recently updated" page.

mod common;
use std::path::Path;
use std::process::Command;

use common::*;

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "Writer")
        .env("GIT_AUTHOR_EMAIL", "writer@example.org")
        .env("GIT_COMMITTER_NAME", "Writer")
        .env("GIT_COMMITTER_EMAIL", "writer@example.org")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `good` fixture in a repository: everything committed on 2026-01-10, then one cell
/// changed on 2026-03-02.
fn in_git() -> tempfile::TempDir {
    let dir = copy_fixture("good");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"], "2026-01-10T12:00:00Z");
    git(root, &["add", "."], "2026-01-10T12:00:00Z");
    git(
        root,
        &["commit", "-q", "-m", "first"],
        "2026-01-10T12:00:00Z",
    );
    let cell = read(root, "content/compare/routing/beta.md") + "\nOne more line.\n";
    write(root, "content/compare/routing/beta.md", &cell);
    git(
        root,
        &["commit", "-q", "-am", "second"],
        "2026-03-02T12:00:00Z",
    );
    dir
}

#[test]
fn pages_show_when_git_last_changed_them() {
    let dir = in_git();
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let beta = read(dir.path(), "public/compare/routing/beta/index.html");
    assert!(
        beta.contains("Updated <time datetime=\"2026-03-02\">2 March 2026</time>"),
        "{}",
        &beta[beta.find("class=\"reviewed\"").unwrap_or(0)..]
    );
    let alpha = read(dir.path(), "public/compare/routing/alpha/index.html");
    assert!(alpha.contains("Updated <time datetime=\"2026-01-10\">"));
    let sitemap = read(dir.path(), "public/sitemap.xml");
    assert!(
        sitemap.contains("compare/routing/beta/</loc><lastmod>2026-03-02</lastmod>"),
        "{sitemap}"
    );
    // Newest first in the feed and on the page.
    let feed = read(dir.path(), "public/changes.xml");
    let beta_at = feed.find("compare/routing/beta/").unwrap();
    let alpha_at = feed.find("compare/routing/alpha/").unwrap();
    assert!(beta_at < alpha_at, "newest first: {feed}");
    assert!(feed.contains("<updated>2026-03-02T00:00:00Z</updated>"));
    let updates = read(dir.path(), "public/updates/index.html");
    assert!(
        updates.contains(
            "<time datetime=\"2026-03-02\">2 March 2026</time> <a href=\"/compare/routing/beta/\">"
        ),
        "{updates}"
    );
}

#[test]
fn git_dates_can_be_turned_off() {
    let dir = in_git();
    let config = read(dir.path(), "book.toml").replacen("[build]", "[build]\ngit-dates = false", 1);
    write(dir.path(), "book.toml", &config);
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!read(dir.path(), "public/compare/routing/beta/index.html").contains("Updated <time"));
}

#[test]
fn a_shallow_clone_gets_no_dates_and_one_warning() {
    let origin = in_git();
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(
        clones.path(),
        &["clone", "-q", "--depth", "1", &url, "c"],
        "2026-03-03T00:00:00Z",
    );
    let clone = clones.path().join("c");
    let out = handbook(&["build"], &clone);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("shallow git clone") && err.contains("fetch-depth: 0"),
        "{err}"
    );
    assert!(!read(&clone, "public/compare/routing/alpha/index.html").contains("Updated <time"));
}

#[test]
fn outside_a_repository_there_are_no_dates_and_nothing_is_said() {
    let dir = copy_fixture("good");
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success());
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert!(!read(dir.path(), "public/compare/routing/alpha/index.html").contains("Updated <time"));
}

#[test]
fn edit_links_name_the_source_file() {
    let dir = copy_fixture("good");
    let config = read(dir.path(), "book.toml").replacen(
        "[book]",
        "[book]\nedit-url-template = \"https://github.com/o/r/edit/main/docs/{path}\"",
        1,
    );
    write(dir.path(), "book.toml", &config);
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(dir.path(), "public/compare/routing/alpha/index.html");
    assert!(
        page.contains("href=\"https:&#x2F;&#x2F;github.com&#x2F;o&#x2F;r&#x2F;edit&#x2F;main&#x2F;docs&#x2F;content&#x2F;compare&#x2F;routing&#x2F;alpha.md\"")
            || page.contains("href=\"https://github.com/o/r/edit/main/docs/content/compare/routing/alpha.md\""),
        "{}",
        &page[page.find("class=\"reviewed\"").unwrap_or(0)..]
    );
    assert!(page.contains(">Edit this page</a>"));
}

#[test]
fn a_wrong_edit_url_template_is_a_config_error() {
    let dir = copy_fixture("good");
    let config = read(dir.path(), "book.toml").replacen(
        "[book]",
        "[book]\nedit-url-template = \"github.com/o/r/edit/main\"",
        1,
    );
    write(dir.path(), "book.toml", &config);
    let out = handbook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("book.toml:2:1") && err.contains("{path}"),
        "{err}"
    );
}

#[test]
fn pages_carry_open_graph_and_twitter_tags() {
    let dir = copy_fixture("good");
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success());
    let page = read(dir.path(), "public/compare/routing/alpha/index.html");
    for tag in [
        "<meta property=\"og:url\" content=\"https://example.org/fixture/compare/routing/alpha/\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:site_name\" content=\"Fixture Handbook\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
    ] {
        assert!(page.contains(tag), "{tag}");
    }
    assert!(page.contains("<meta property=\"og:title\""));
    let home = read(dir.path(), "public/index.html");
    assert!(home.contains("<meta property=\"og:type\" content=\"website\">"));
    assert!(home.contains("<meta property=\"og:title\" content=\"Fixture Handbook\">"));
    assert!(
        home.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
        "the home page announces the feed"
    );
    // The footer links the page of changes (which links the feed) and the data.
    for link in ["/updates/", "/matrix.json"] {
        assert!(home.contains(&format!("href=\"{link}\"")), "{link}");
    }
    let feed = read(dir.path(), "public/changes.xml");
    assert!(
        feed.starts_with("<?xml") && feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    assert_eq!(
        feed.matches("<entry>").count(),
        feed.matches("</entry>").count()
    );
}
