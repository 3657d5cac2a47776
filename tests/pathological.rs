//! Article shapes known to make Markdown tools slow, at n = 50,000: each must build in time
//! linear in its size, with bounded memory. Quadratic behaviour at this size takes minutes (50,000
//! identical headings took over a minute when unique ids were found by counting up from 1 for
//! every duplicate); linear takes about a second in a release build. The bounds are generous for
//! a debug build on a busy two-core machine, so the test catches the shape of the cost, not a
//! few percent (the speed itself is measured by `bench/`).

mod common;
use common::*;

use std::process::Command;
use std::time::{Duration, Instant};

const N: usize = 50_000;
const TIME_LIMIT: Duration = Duration::from_secs(90);
const MEMORY_LIMIT_KB: u64 = 1_500_000;

fn shapes() -> Vec<(&'static str, String)> {
    let footnotes: String = (0..N).map(|i| format!("x[^{i}] ")).collect();
    let definitions: String = (0..N).map(|i| format!("[^{i}]: note {i}\n")).collect();
    let refdefs: String = (0..N)
        .map(|i| format!("[r{i}]: https://example.org/x{i}\n"))
        .collect();
    let refuses: String = (0..N).step_by(10).map(|i| format!("[r{i}] ")).collect();
    vec![
        ("identical headings", "## Same\n\ntext\n\n".repeat(N)),
        ("nested quotes", format!("{} deep\n", ">".repeat(N))),
        ("nested lists", format!("- a\n{}deep\n", "* ".repeat(N))),
        (
            "emphasis runs",
            format!(
                "{}\n\n{}\n\n{}\n",
                "*a ".repeat(N),
                "**".repeat(N),
                "_a".repeat(N)
            ),
        ),
        (
            "bracket runs",
            format!(
                "{}{}\n\n{}\n\n{}\n",
                "[".repeat(N),
                "]".repeat(N),
                "[a](".repeat(N),
                "![".repeat(N)
            ),
        ),
        ("footnotes", format!("{footnotes}\n\n{definitions}")),
        ("reference definitions", format!("{refdefs}\n{refuses}\n")),
        (
            "links to one anchor",
            format!("## Target\n\n{}", "[x](#target)\n".repeat(N)),
        ),
        ("one 1 MB line", format!("{}\n", "word ".repeat(200_000))),
        (
            "a 50,000-line code block",
            format!(
                "```python\n{}```\n",
                "x = compute(1, \"two\")  # three\n".repeat(N)
            ),
        ),
    ]
}

#[test]
fn every_pathological_shape_builds_in_linear_time_and_bounded_memory() {
    let gnu_time = std::path::Path::new("/usr/bin/time").is_file();
    for (name, body) in shapes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "book.toml", "[book]\ntitle = \"Pathological\"\n");
        write(
            root,
            "content/_index.md",
            &format!("---\ntitle: {name}\n---\n{body}"),
        );
        let mut command = if gnu_time {
            let mut c = Command::new("/usr/bin/time");
            c.args(["-f", "%M", "-o"])
                .arg(root.join("rss"))
                .arg(env!("CARGO_BIN_EXE_handbook"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_handbook"))
        };
        let start = Instant::now();
        let out = command
            .arg("build")
            .arg("--root")
            .arg(root)
            .output()
            .unwrap();
        let took = start.elapsed();
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            took < TIME_LIMIT,
            "{name} took {took:?}: the build is not linear in the article's size"
        );
        if gnu_time {
            let rss: u64 = read(root, "rss").trim().parse().unwrap();
            assert!(rss < MEMORY_LIMIT_KB, "{name} peaked at {rss} KB");
        } else {
            eprintln!(
                "note: /usr/bin/time (Debian package `time`) is missing: memory not measured"
            );
        }
    }
}
