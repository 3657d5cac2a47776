//! The build never destroys what it did not write and never writes outside its output folder,
//! however the output folder or a URL is spelled.

mod common;
use common::*;

use std::path::Path;
use std::process::{Command, Output};

/// `handbook build ARGS` run from inside the handbook's folder, as a user types it.
fn build_in(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handbook"))
        .arg("build")
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Runs a build that must be refused with exit 2, naming `origin`, and change nothing.
fn refused(root: &Path, args: &[&str], origin: &str) -> String {
    let before = snapshot(root);
    let out = build_in(root, args);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} must be refused: {err}"
    );
    assert!(
        err.contains(origin),
        "{args:?}: the message names {origin}: {err}"
    );
    assert_eq!(
        snapshot(root),
        before,
        "{args:?} changed the handbook's files"
    );
    err
}

#[test]
fn the_root_and_folders_above_it_are_refused_however_spelled() {
    let dir = copy_fixture("good");
    let root = dir.path().canonicalize().unwrap();
    let name = root.file_name().unwrap().to_str().unwrap().to_string();
    let absolute = root.display().to_string();
    let sibling_spelling = format!("../{name}");
    let dotted = format!("{absolute}/content/..");
    for spelling in [
        ".",
        "./",
        "..",
        "../..",
        &absolute,
        &sibling_spelling,
        &dotted,
    ] {
        let err = refused(&root, &["--out", spelling], "--out");
        assert!(err.contains("would replace book.toml"), "{spelling}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_to_the_root_or_the_content_is_refused() {
    let dir = copy_fixture("good");
    let root = dir.path().canonicalize().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&root, elsewhere.path().join("to-root")).unwrap();
    std::os::unix::fs::symlink(root.join("content"), elsewhere.path().join("to-content")).unwrap();
    for link in ["to-root", "to-content"] {
        let target = elsewhere.path().join(link).display().to_string();
        refused(&root, &["--out", &target], "--out");
    }
}

#[test]
fn source_and_version_control_folders_are_refused() {
    let dir = copy_fixture("good");
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git/objects")).unwrap();
    std::fs::create_dir_all(root.join("themes/mine")).unwrap();
    for out in [
        "content",
        "content/site",
        "static/site",
        "themes",
        ".git",
        ".git/site",
    ] {
        refused(root, &["--out", out], "--out");
    }
    let config = read(root, "book.toml");
    write(
        root,
        "book.toml",
        &config.replace("[build]", "[build]\nout-dir = \".git\""),
    );
    let err = refused(root, &[], "[build] out-dir");
    assert!(err.contains("version-control"), "{err}");
}

#[test]
fn a_foreign_folder_is_refused_unless_forced_and_an_earlier_build_is_replaced() {
    let dir = copy_fixture("good");
    let root = dir.path();
    write(root, "notes/todo.txt", "my own work\n");
    let err = refused(root, &["--out", "notes"], "--out");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(read(root, "notes/todo.txt"), "my own work\n");

    let out = build_in(root, &["--out", "notes", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root.join("notes/index.html").is_file());
    assert!(
        !root.join("notes/todo.txt").exists(),
        "--force replaces the folder"
    );

    // The folder is now handbook's own: the next build replaces it without --force.
    let out = build_in(root, &["--out", "notes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root
        .join("notes")
        .join(handbook::content::config::outdir::MARKER)
        .is_file());

    // An empty folder is fine too.
    std::fs::create_dir(root.join("empty")).unwrap();
    let out = build_in(root, &["--out", "empty"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_slug_cannot_leave_the_output_folder() {
    for (slug, problem, suggestion) in [
        ("../../../escaped", "contains a `..` segment", "escaped"),
        ("/etc/cron.d", "starts with `/`", "etc/cron-d"),
        ("a\\\\..\\\\b", "contains a backslash", "a/b"),
        ("a//b", "has an empty segment", "a/b"),
    ] {
        let dir = copy_fixture("good");
        let root = dir.path();
        write(
            root,
            "content/guide/evil.md",
            &format!("---\ntitle: Evil\nslug: \"{slug}\"\n---\ntext\n"),
        );
        let out = build_in(root, &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{slug}: {err}");
        assert!(err.contains("content/guide/evil.md:3:"), "{slug}: {err}");
        assert!(err.contains(problem), "{slug}: {err}");
        assert!(
            err.contains(&format!("did you mean `{suggestion}`")),
            "{slug}: {err}"
        );
        assert!(!root.join("public").exists());
        assert!(!root.parent().unwrap().join("escaped").exists());
    }
}

#[test]
fn an_article_that_clashes_with_a_generated_file_is_named() {
    for file in [
        "content/search.md",
        "content/print.html.md",
        "content/assets/index.md",
    ] {
        let dir = copy_fixture("good");
        let root = dir.path();
        write(root, file, "---\ntitle: Clash\n---\ntext\n");
        let out = build_in(root, &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(
            err.contains(file) && err.contains("which the build generates"),
            "{file}: {err}"
        );
        assert!(
            !err.contains(".tmp-"),
            "no staging folder in the message: {err}"
        );
    }
}

#[test]
fn file_names_with_url_characters_get_working_encoded_urls() {
    let dir = copy_fixture("good");
    let root = dir.path();
    for name in ["hash#tag", "q?mark", "50%", "café"] {
        write(
            root,
            &format!("content/guide/{name}.md"),
            &format!("---\ntitle: Page {name}\n---\ntext\n"),
        );
    }
    write(
        root,
        "content/guide/spaced.md",
        "---\ntitle: Spaced\nslug: with spaces\n---\ntext\n",
    );
    write(
        root,
        "content/guide/links.md",
        "---\ntitle: Links\n---\n[a](hash%23tag.md) [b](q%3Fmark.md) [c](50%25.md) [d](caf%C3%A9.md) [e](spaced.md) [f](%aé.md)\n",
    );
    // The last link is broken (and once made the build panic): an error, not a crash.
    let out = build_in(root, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("broken link `%aé.md`"), "{err}");

    let text = read(root, "content/guide/links.md").replace(" [f](%aé.md)", "");
    write(root, "content/guide/links.md", &text);
    let out = build_in(root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(root, "public/guide/links/index.html");
    for (href, file) in [
        ("/guide/hash%23tag/", "guide/hash#tag/index.html"),
        ("/guide/q%3Fmark/", "guide/q?mark/index.html"),
        ("/guide/50%25/", "guide/50%/index.html"),
        ("/guide/caf%C3%A9/", "guide/café/index.html"),
        ("/guide/with%20spaces/", "guide/with spaces/index.html"),
    ] {
        assert!(
            html.contains(&format!("href=\"{href}\"")),
            "{href} in {html}"
        );
        assert!(root.join("public").join(file).is_file(), "{file}");
    }
}

#[test]
fn links_that_run_code_are_errors_with_their_position() {
    let dir = copy_fixture("good");
    let root = dir.path();
    write(
        root,
        "content/guide/evil.md",
        "---\ntitle: Evil\n---\n[a](javascript:alert(1))\n\n<vbscript:x>\n\n![i](data:text/html,x)\n\n![ok](data:image/png;base64,AAAA)\n",
    );
    write(
        root,
        "content/frameworks/alpha.md",
        &read(root, "content/frameworks/alpha.md").replace(
            "website: https://alpha.example.org/",
            "website: \"javascript:alert(1)\"",
        ),
    );
    // The model is checked before any Markdown: the website first, then the links.
    let out = build_in(root, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/frameworks/alpha.md:6:11")
            && err.contains("is not an https:, http: or mailto: address"),
        "{err}"
    );
    let fixed = read(root, "content/frameworks/alpha.md")
        .replace("\"javascript:alert(1)\"", "https://alpha.example.org/");
    write(root, "content/frameworks/alpha.md", &fixed);
    let out = build_in(root, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/guide/evil.md:4:5")
            && err.contains("`javascript:` links are not allowed"),
        "{err}"
    );
    assert!(
        err.contains("content/guide/evil.md:6:2") && err.contains("`vbscript:` links"),
        "{err}"
    );
    assert!(
        err.contains("content/guide/evil.md:8:6") && err.contains("`data:` links"),
        "{err}"
    );
    assert!(!err.contains("evil.md:10"), "a data: image is fine: {err}");
}

#[cfg(unix)]
#[test]
fn symlinked_articles_are_followed_inside_the_content_folder_and_skipped_outside() {
    let dir = copy_fixture("good");
    let root = dir.path();
    write(
        root,
        "content/shared/inside.md",
        "---\ntitle: Inside\n---\nfrom inside the root\n",
    );
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.md",
        "---\ntitle: Secret\n---\nnot for publishing\n",
    );
    std::os::unix::fs::symlink(
        root.join("content/shared/inside.md"),
        root.join("content/guide/inside.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        root.join("content/guide/secret.md"),
    )
    .unwrap();
    let out = build_in(root, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(root.join("public/guide/inside/index.html").is_file());
    assert!(!root.join("public/guide/secret").exists());
    assert!(
        err.contains("warning: skipping")
            && err.contains("secret.md")
            && err.contains("outside the folder it is in"),
        "{err}"
    );
}

#[test]
fn site_absolute_links_are_checked_and_get_the_base_url() {
    let dir = copy_fixture("good");
    let root = dir.path();
    write(
        root,
        "content/guide/abs.md",
        "---\ntitle: Abs\n---\n[a](/guide/) [b](/print.html) [c](/frameworks/alpha/#top)\n\n[d](/nowhere/)\n",
    );
    let out = build_in(root, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/guide/abs.md:6:5")
            && err.contains("no page or file of the site at /nowhere/"),
        "{err}"
    );
    assert!(err.contains("link to the article's `.md` file"), "{err}");
    assert!(
        !err.contains("/guide/`") && !err.contains("print.html`"),
        "{err}"
    );

    let text = read(root, "content/guide/abs.md").replace("\n[d](/nowhere/)\n", "\n");
    write(root, "content/guide/abs.md", &text);
    let out = build_in(root, &["--base-url", "/book/"]);
    let err = stderr(&out);
    // The anchor on the framework page does not exist: it is checked like any other.
    assert!(err.contains("broken anchor `#top`"), "{err}");
    let text = read(root, "content/guide/abs.md").replace("/#top", "/");
    write(root, "content/guide/abs.md", &text);
    let out = build_in(root, &["--base-url", "/book/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(root, "public/guide/abs/index.html");
    for href in [
        "/book/guide/",
        "/book/print.html",
        "/book/frameworks/alpha/",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}: {html}");
    }
}
