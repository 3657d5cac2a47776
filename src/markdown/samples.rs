//! `handbook check --samples`: every fenced code block whose language has a checker in
//! `[samples]` is written to a file and checked by that command, in parallel.
//!
//! Code samples rot: an API changes and the handbook keeps teaching the old one. mdBook can only
//! test Rust; here any language with a command-line checker can be checked. A block opts out with
//! `skip-check` after its language (for deliberate fragments). Passing results are cached by the
//! hash of the command and the code, so an unchanged handbook re-checks in milliseconds.

use std::path::{Path, PathBuf};
use std::process::Command;

use rayon::prelude::*;

use crate::content::config::{Checker, Config};
use crate::content::model::Model;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::markdown::Rendered;

/// Info-string word that excludes a block from checking.
pub const SKIP: &str = "skip-check";

/// What one run checked.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// Blocks checked by running their checker.
    pub checked: usize,
    /// Blocks that passed before with the same code and command.
    pub cached: usize,
    /// Blocks marked `skip-check`.
    pub skipped: usize,
    /// Blocks in a language without a checker.
    pub unchecked: usize,
}

struct Job<'a> {
    page: usize,
    line: usize,
    lang: &'a str,
    code: &'a str,
    checker: &'a Checker,
    key: String,
}

/// Checks every sample; all failures are returned together as content errors.
pub fn check(
    config: &Config,
    model: &Model,
    rendered: &[std::sync::Arc<Rendered>],
) -> Result<Report> {
    let mut report = Report::default();
    let mut jobs = Vec::new();
    for (page, r) in rendered.iter().enumerate() {
        for sample in &r.samples {
            let Some(checker) = config.samples.get(&sample.lang) else {
                report.unchecked += 1;
                continue;
            };
            if sample.attrs.iter().any(|a| a == SKIP) {
                report.skipped += 1;
                continue;
            }
            let key = cache_key(checker.command(), &sample.code);
            jobs.push(Job {
                page,
                line: sample.line,
                lang: &sample.lang,
                code: &sample.code,
                checker,
                key,
            });
        }
    }
    let cache = config.root.join(".handbook-cache").join("samples");
    let (cached, to_run): (Vec<&Job>, Vec<&Job>) =
        jobs.iter().partition(|j| cache.join(&j.key).exists());
    report.cached = cached.len();
    report.checked = to_run.len();
    if to_run.is_empty() {
        return Ok(report);
    }
    std::fs::create_dir_all(&cache)
        .map_err(|e| Error::Io(anyhow::anyhow!("cannot create {}: {e}", cache.display())))?;
    let scratch = tempfile::tempdir().map_err(|e| Error::Io(e.into()))?;
    let failures: Vec<Diagnostic> = to_run
        .par_iter()
        .filter_map(|job| match run(config, scratch.path(), job) {
            Ok(()) => {
                // A cache write that fails only costs a re-check next time.
                let _ = std::fs::write(cache.join(&job.key), b"");
                None
            }
            Err(output) => {
                let source = &model.pages[job.page].source;
                Some(
                    Diagnostic::new(&source.file, format!("{} sample fails `{}`", job.lang, job.checker.command()))
                        .at(job.line, 1)
                        .len(3)
                        .help(format!(
                            "the checker said:\n{}\n(if the block is a deliberate fragment, write ```{} {SKIP})",
                            output.trim_end(),
                            job.lang
                        ))
                        .source(&source.text),
                )
            }
        })
        .collect();
    if failures.is_empty() {
        Ok(report)
    } else {
        let mut failures = failures;
        crate::diagnostic::sort(&mut failures);
        Err(Error::Content(failures))
    }
}

/// Writes the sample to its own folder and runs the checker there; `Err` holds its output.
fn run(config: &Config, scratch: &Path, job: &Job) -> std::result::Result<(), String> {
    let dir = scratch.join(&job.key);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let extension = job
        .checker
        .extension()
        .unwrap_or_else(|| default_extension(job.lang));
    let file: PathBuf = dir.join(format!("sample.{extension}"));
    std::fs::write(&file, job.code).map_err(|e| e.to_string())?;
    let command = job
        .checker
        .command()
        .replace("{file}", &shell_quote(&file.to_string_lossy()));
    let output = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .current_dir(&config.root)
        .output()
        .map_err(|e| format!("cannot run `sh -c {command}`: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // Name the block, not the scratch file, in what the checker printed.
        Err(text.replace(&file.to_string_lossy().into_owned(), "<sample>"))
    }
}

fn cache_key(command: &str, code: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(command.as_bytes());
    hasher.update(&[0]);
    hasher.update(code.as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

/// The usual file extension of a code language, for checkers that look at it.
fn default_extension(lang: &str) -> &str {
    match lang {
        "python" | "py" => "py",
        "javascript" | "js" => "js",
        "typescript" | "ts" => "ts",
        "ruby" | "rb" => "rb",
        "go" | "golang" => "go",
        "csharp" | "cs" | "c#" => "cs",
        "rust" => "rs",
        "shell" | "sh" | "bash" => "sh",
        other => other,
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }

    #[test]
    fn keys_depend_on_command_and_code() {
        assert_ne!(cache_key("a", "x"), cache_key("b", "x"));
        assert_ne!(cache_key("a", "x"), cache_key("a", "y"));
        assert_eq!(cache_key("a", "x"), cache_key("a", "x"));
    }
}
