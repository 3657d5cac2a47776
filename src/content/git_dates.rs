//! When each article last changed, from git: one `git log` over the content folder for the
//! whole handbook (never one per file), newest commit first, so each file's first appearance is
//! its last change. Pages show the date and the sitemap gives it as `<lastmod>`.
//!
//! Outside a repository, or without git, there are no dates and nothing is said. In a shallow
//! clone (CI's default of one commit) every file would carry the date of the oldest commit
//! fetched, which is wrong, so there are no dates and one warning says how to fetch the history.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::content::config::Config;
use crate::diagnostic::Diagnostic;

/// Content-relative path -> `YYYY-MM-DD` of the last commit that touched it, and a warning
/// when the dates could not be trusted.
#[derive(Debug, Default, Clone)]
pub struct GitDates {
    pub dates: HashMap<String, String>,
    pub warning: Option<Diagnostic>,
}

/// The dates of every committed file under the content folder (`[build] git-dates = false`:
/// none).
pub fn read(config: &Config) -> GitDates {
    if !config.git_dates {
        return GitDates::default();
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&config.root)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let Some(toplevel) = git(&["rev-parse", "--show-toplevel"]) else {
        return GitDates::default(); // not a repository, or no git: no dates
    };
    if git(&["rev-parse", "--is-shallow-repository"]).is_some_and(|s| s.trim() == "true") {
        return GitDates {
            dates: HashMap::new(),
            warning: Some(
                Diagnostic::new(&config.root, "this is a shallow git clone: pages get no last-updated dates")
                    .help("fetch the whole history (`git fetch --unshallow`; in GitHub Actions, `fetch-depth: 0` on actions/checkout), or set `[build] git-dates = false`")
                    .warning(),
            ),
        };
    }
    let content = config.content_dir.to_string_lossy().into_owned();
    let Some(log) = git(&[
        "-c",
        "core.quotepath=off",
        "log",
        "--format=%x00%cs",
        "--name-only",
        "--no-renames",
        "--",
        &content,
    ]) else {
        return GitDates::default();
    };
    let toplevel = Path::new(toplevel.trim());
    let content_dir = config
        .content_dir
        .canonicalize()
        .unwrap_or_else(|_| config.content_dir.clone());
    let prefix = content_dir
        .strip_prefix(toplevel.canonicalize().unwrap_or(toplevel.to_path_buf()))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    GitDates {
        dates: parse(&log, &prefix),
        warning: None,
    }
}

/// Parses `git log --format=%x00%cs --name-only` output: a `\0date` line, then the paths (from
/// the repository's top) that commit touched. Paths outside `prefix` are left out; the rest
/// become content-relative. The first date seen for a path is its newest.
fn parse(log: &str, prefix: &str) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    let mut date = "";
    for line in log.lines() {
        if let Some(d) = line.strip_prefix('\0') {
            date = d.trim();
            continue;
        }
        let line = line.trim();
        if line.is_empty() || date.is_empty() {
            continue;
        }
        let rel = if prefix.is_empty() {
            Some(line)
        } else {
            line.strip_prefix(prefix).and_then(|r| r.strip_prefix('/'))
        };
        if let Some(rel) = rel {
            dates
                .entry(rel.to_string())
                .or_insert_with(|| date.to_string());
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_date_per_file_under_the_content_folder() {
        let log = "\u{0}2026-12-05\n\ncontent/a.md\nREADME.md\n\n\u{0}2026-11-01\n\ncontent/a.md\ncontent/b/c.md\n";
        let dates = parse(log, "content");
        assert_eq!(dates.len(), 2);
        assert_eq!(dates["a.md"], "2026-12-05");
        assert_eq!(dates["b/c.md"], "2026-11-01");
        assert_eq!(parse(log, "")["README.md"], "2026-12-05");
    }
}
