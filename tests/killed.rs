//! A build killed at any moment (kill -9: no destructor, no signal handler runs) leaves the
//! previous output exactly as it was, and the next build cleans up after it.

mod common;
use common::*;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A handbook of a few hundred pages, so that a build lasts long enough to be interrupted at
/// different stages (loading, Markdown, templates, the write, the swap).
fn corpus(root: &Path, frameworks: usize, dimensions: usize) {
    write(root, "book.toml", "[book]\ntitle = \"Killed\"\n");
    write(
        root,
        "content/_index.md",
        "---\ntitle: Home\n---\nThe matrix.\n",
    );
    for f in 0..frameworks {
        write(
            root,
            &format!("content/frameworks/f{f}.md"),
            &format!("---\ntitle: F{f}\nframework: f{f}\nweight: {f}\n---\nFramework {f}.\n"),
        );
    }
    for d in 0..dimensions {
        write(
            root,
            &format!("content/dimensions/d{d}.md"),
            &format!("---\ntitle: D{d}\ndimension: d{d}\nweight: {d}\n---\nDimension {d}.\n"),
        );
        for f in 0..frameworks {
            let code = "def handler(request):\n    return {\"ok\": True}\n".repeat(20);
            write(
                root,
                &format!("content/compare/d{d}/f{f}.md"),
                &format!("---\ntitle: D{d} in F{f}\nframework: f{f}\ndimension: d{d}\nsummary: Cell {d} {f}.\n---\n## Intro\n\nSee [F{f}](../../frameworks/f{f}.md).\n\n```python\n{code}```\n\n## More\n\nText {d} {f}.\n"),
            );
        }
    }
}

fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

fn build(root: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_handbook"));
    c.arg("build")
        .arg("--root")
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[test]
fn killing_a_build_at_any_moment_never_touches_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    corpus(root, 12, 16);
    let start = Instant::now();
    assert!(build(root).status().unwrap().success());
    let duration = start.elapsed();
    let before = snapshot(&root.join("public"));
    assert!(before.len() > 200, "{} files", before.len());

    // Kill at 20+ moments spread over the build, with a little jitter from the clock.
    let kills = 24;
    let jitter = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
            % 1000,
    );
    for i in 0..kills {
        let at = duration.mul_f64((i as f64 + 0.5) / kills as f64)
            + Duration::from_micros(jitter * (i + 1) as u64 % 3000);
        let mut child = build(root).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        if !root.join("public").exists() {
            // Killed between the two renames: the previous site waits aside, whole, for the
            // next build to put it back.
            let aside: Vec<String> = leftovers(root)
                .into_iter()
                .filter(|n| n.starts_with(".public.old-"))
                .collect();
            assert_eq!(
                aside.len(),
                1,
                "kill {i}: the previous output is aside: {:?}",
                leftovers(root)
            );
            assert_eq!(
                snapshot(&root.join(&aside[0])),
                before,
                "kill {i}: the site put aside is whole"
            );
            assert!(build(root).status().unwrap().success());
        }
        assert_eq!(
            snapshot(&root.join("public")),
            before,
            "kill {i} at {at:?} changed the output"
        );
    }
    assert!(
        build(root).status().unwrap().success(),
        "the next build succeeds"
    );
    assert!(
        leftovers(root).is_empty(),
        "the next build cleans up: {:?}",
        leftovers(root)
    );
    assert_eq!(snapshot(&root.join("public")), before);
}
