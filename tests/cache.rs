//! The body cache in `.handbook-cache/bodies/`: a warm build writes exactly what a cold one
//! does, sees every change, and never trusts an entry that is corrupt or not its own.

mod common;
use std::path::Path;

use common::*;

fn entries(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let dir = root.join(".handbook-cache/bodies");
    for folder in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        for entry in std::fs::read_dir(folder.path()).unwrap().flatten() {
            files.push(entry.path());
        }
    }
    files
}

fn build(root: &Path, extra: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = handbook(&args, root);
    assert!(out.status.success(), "{}", stderr(&out));
    snapshot(&root.join("public"))
}

#[test]
fn a_warm_build_writes_what_a_cold_one_does() {
    let dir = copy_fixture("good");
    let cold = build(dir.path(), &["--no-cache"]);
    assert!(entries(dir.path()).is_empty(), "--no-cache writes no cache");
    let first = build(dir.path(), &[]);
    let stored = entries(dir.path()).len();
    assert!(stored > 5, "bodies are stored: {stored}");
    let warm = build(dir.path(), &[]);
    assert_eq!(first, cold);
    assert_eq!(
        warm, cold,
        "a build from the cache is byte for byte a cold build"
    );
}

#[test]
fn a_changed_article_is_rendered_again_and_old_entries_go() {
    let dir = copy_fixture("good");
    build(dir.path(), &[]);
    let before = entries(dir.path()).len();
    let cell = read(dir.path(), "content/compare/routing/alpha.md");
    write(
        dir.path(),
        "content/compare/routing/alpha.md",
        &format!("{cell}\nA sentence added after the first build.\n"),
    );
    let warm = build(dir.path(), &[]);
    let page = warm
        .iter()
        .find(|(p, _)| p == "compare/routing/alpha/index.html")
        .unwrap();
    assert!(String::from_utf8_lossy(&page.1).contains("A sentence added after the first build."));
    assert_eq!(
        entries(dir.path()).len(),
        before,
        "the old entry of the edited page is pruned"
    );
    assert_eq!(warm, build(dir.path(), &["--no-cache"]));
}

#[test]
fn corrupt_and_foreign_entries_are_never_trusted() {
    let dir = copy_fixture("good");
    let cold = build(dir.path(), &["--no-cache"]);
    build(dir.path(), &[]);
    for (n, entry) in entries(dir.path()).iter().enumerate() {
        let mut bytes = std::fs::read(entry).unwrap();
        match n % 3 {
            // Truncated.
            0 => bytes.truncate(bytes.len() / 2),
            // One flipped byte in the payload: the hash no longer matches.
            1 => {
                let last = bytes.len() - 1;
                bytes[last] ^= 0x55;
            }
            // Someone else's file under the name.
            _ => bytes = b"<html>not a cached body</html>".to_vec(),
        }
        std::fs::write(entry, bytes).unwrap();
    }
    assert_eq!(build(dir.path(), &[]), cold);
    assert_eq!(
        build(dir.path(), &[]),
        cold,
        "and the entries were repaired"
    );
}
