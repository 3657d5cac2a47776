//! The build cache in `.handbook-cache/`: rendered bodies, search sections and articles' print
//! versions in packs, and output files kept (hard-linked) under `files/`. A warm build writes
//! exactly what a cold one does, sees every change, and never trusts an entry that is corrupt,
//! not its own, or a kept file that was edited through the site.

mod common;
use std::path::{Path, PathBuf};

use common::*;

const PACKS: &[&str] = &["bodies.pack", "search.pack", "print.pack", "files.manifest"];

fn cache(root: &Path) -> PathBuf {
    root.join(".handbook-cache")
}

fn kept_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cache(root).join("files"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

fn build(root: &Path, extra: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = handbook(&args, root);
    assert!(out.status.success(), "{}", stderr(&out));
    snapshot(&root.join("public"))
}

#[cfg(unix)]
fn links(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(&std::fs::metadata(path).unwrap())
}

#[test]
fn a_warm_build_writes_what_a_cold_one_does() {
    let dir = copy_fixture("good");
    let cold = build(dir.path(), &["--no-cache"]);
    assert!(!cache(dir.path()).exists(), "--no-cache writes no cache");
    let first = build(dir.path(), &[]);
    for pack in PACKS {
        assert!(cache(dir.path()).join(pack).is_file(), "{pack} is written");
    }
    let kept = kept_files(dir.path()).len();
    assert!(kept > 10, "output files are kept: {kept}");
    let warm = build(dir.path(), &[]);
    assert_eq!(first, cold);
    assert_eq!(
        warm, cold,
        "a build from the cache is byte for byte a cold build"
    );
    #[cfg(unix)]
    // The site's file, its kept twin and (from the second build on) the spare site's.
    assert!(
        links(&dir.path().join("public/compare/routing/alpha/index.html")) >= 2,
        "a page kept is linked into the site, not copied"
    );
    assert_eq!(kept_files(dir.path()).len(), kept);
}

#[test]
fn a_changed_article_is_made_again_and_old_entries_go() {
    let dir = copy_fixture("good");
    build(dir.path(), &[]);
    let before = kept_files(dir.path());
    let cell = read(dir.path(), "content/compare/routing/alpha.md");
    write(
        dir.path(),
        "content/compare/routing/alpha.md",
        &format!("{cell}\nA sentence added after the first build.\n"),
    );
    let warm = build(dir.path(), &[]);
    let text = |path: &str| {
        let page = warm.iter().find(|(p, _)| p == path).unwrap();
        String::from_utf8_lossy(&page.1).into_owned()
    };
    let added = "A sentence added after the first build.";
    assert!(text("compare/routing/alpha/index.html").contains(added));
    assert!(text("print.html").contains(added), "the print page too");
    let after = kept_files(dir.path());
    assert_eq!(after.len(), before.len(), "the old kept files are pruned");
    assert_ne!(after, before);
    assert_eq!(warm, build(dir.path(), &["--no-cache"]));
}

#[test]
fn corrupt_and_foreign_entries_are_never_trusted() {
    let dir = copy_fixture("good");
    let cold = build(dir.path(), &["--no-cache"]);
    for round in 0..3 {
        build(dir.path(), &[]);
        for pack in PACKS {
            let path = cache(dir.path()).join(pack);
            let mut bytes = std::fs::read(&path).unwrap();
            match round {
                0 => bytes.truncate(bytes.len() / 2),
                // One flipped byte in the last payload: its hash no longer matches.
                1 => {
                    let last = bytes.len() - 1;
                    bytes[last] ^= 0x55;
                }
                // Someone else's file under the name.
                _ => bytes = b"<html>not a pack</html>".to_vec(),
            }
            std::fs::write(&path, bytes).unwrap();
        }
        assert_eq!(build(dir.path(), &[]), cold, "round {round}");
    }
    assert_eq!(build(dir.path(), &[]), cold, "and the cache was repaired");
}

#[test]
fn a_site_file_edited_in_place_is_made_again() {
    let dir = copy_fixture("good");
    let cold = build(dir.path(), &["--no-cache"]);
    build(dir.path(), &[]);
    // Appending edits the file's inode: the kept twin it is linked to changes with it.
    for page in [
        "public/compare/routing/alpha/index.html",
        "public/print.html",
    ] {
        let path = dir.path().join(page);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"<!-- edited by hand -->"))
            .unwrap();
    }
    for kept in kept_files(dir.path()).iter().take(3) {
        std::fs::write(kept, "replaced").unwrap();
    }
    assert_eq!(build(dir.path(), &[]), cold);
    assert_eq!(build(dir.path(), &[]), cold);
}

#[test]
fn a_failed_build_leaves_the_site_and_its_kept_files_as_they_were() {
    let dir = copy_fixture("good");
    let good = build(dir.path(), &[]);
    let kept = kept_files(dir.path());
    write(
        dir.path(),
        "content/compare/routing/alpha.md",
        "---\ntitle: [unclosed\n---\nBroken.\n",
    );
    let out = handbook(&["build"], dir.path());
    assert!(!out.status.success());
    assert_eq!(snapshot(&dir.path().join("public")), good);
    assert_eq!(kept_files(dir.path()), kept);
}

/// The home page draws a chart of every framework's facts: a fact changed on a framework page
/// shows on the home page of a warm build too.
#[test]
fn a_framework_fact_changed_shows_on_every_chart() {
    let dir = copy_fixture("good");
    build(dir.path(), &[]);
    // Beta is not the home page's neighbour in reading order: only its facts tie the two.
    let page = read(dir.path(), "content/frameworks/beta.md");
    write(
        dir.path(),
        "content/frameworks/beta.md",
        &page.replace("summary:", "facts:\n  structure: 5\nsummary:"),
    );
    let warm = build(dir.path(), &[]);
    assert_eq!(warm, build(dir.path(), &["--no-cache"]));
}

/// Every folder and file under `dir`, files with their bytes: a leftover empty folder counts.
fn tree(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut all: Vec<_> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect();
    all.sort();
    all
}

/// From the third build on, the staging folder is the site before the previous one
/// (`.handbook-cache/site/`): what is left of it must be exactly a cold build's tree, with
/// pages that went away gone, folders and all.
#[test]
fn a_recycled_site_is_exactly_a_cold_build() {
    let dir = copy_fixture("good");
    let cold = |root: &Path| {
        let out = root.join("cold");
        let run = handbook(
            &["build", "--no-cache", "--out", out.to_str().unwrap()],
            root,
        );
        assert!(run.status.success(), "{}", stderr(&run));
        let tree = tree(&out);
        std::fs::remove_dir_all(out).unwrap();
        tree
    };
    build(dir.path(), &[]);
    build(dir.path(), &[]);
    let spare = cache(dir.path()).join("site");
    assert!(
        spare.is_dir(),
        "the second build keeps the first one's site"
    );
    // A page removed, one added, one edited.
    std::fs::remove_file(dir.path().join("content/guide/index.md")).unwrap();
    let home = read(dir.path(), "content/_index.md");
    write(
        dir.path(),
        "content/_index.md",
        &home.replace(", or the [guide](guide/index.md)", ""),
    );
    write(
        dir.path(),
        "content/notes/index.md",
        "---\ntitle: Notes\n---\n# Notes\n\nWritten after the first builds.\n",
    );
    let cell = read(dir.path(), "content/compare/routing/alpha.md");
    write(
        dir.path(),
        "content/compare/routing/alpha.md",
        &format!("{cell}\nEdited between builds.\n"),
    );
    for round in 0..3 {
        build(dir.path(), &[]);
        assert_eq!(
            tree(&dir.path().join("public")),
            cold(dir.path()),
            "round {round}"
        );
    }
    assert!(!dir.path().join("public/guide/index.html").exists());
    assert!(dir.path().join("public/notes/index.html").is_file());
}
