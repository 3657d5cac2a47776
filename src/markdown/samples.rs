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
    let cache = config.cache_dir().join("samples");
    let (cached, to_run): (Vec<&Job>, Vec<&Job>) =
        jobs.iter().partition(|j| cache.join(&j.key).exists());
    report.cached = cached.len();
    report.checked = to_run.len();
    if to_run.is_empty() {
        return Ok(report);
    }
    // A checker that cannot run at all is one problem, not one per sample: say so and stop.
    let broken: Vec<Diagnostic> = checkers_of(&to_run)
        .into_iter()
        .filter_map(|(lang, checker)| cannot_run(config, lang, checker))
        .collect();
    if !broken.is_empty() {
        return Err(Error::Config(broken));
    }
    std::fs::create_dir_all(&cache)
        .map_err(|e| Error::Io(anyhow::anyhow!("cannot create {}: {e}", cache.display())))?;
    let scratch = tempfile::tempdir().map_err(|e| Error::Io(e.into()))?;
    let outcomes: Vec<(&Job, std::result::Result<(), String>)> = to_run
        .par_iter()
        .map(|job| (*job, run(config, scratch.path(), job)))
        .collect();
    let broken = broken_by_their_output(config, &outcomes);
    if !broken.is_empty() {
        return Err(Error::Config(broken));
    }
    let failures: Vec<Diagnostic> = outcomes
        .into_iter()
        .filter_map(|(job, outcome)| match outcome {
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

/// Every checker the jobs use, once, by language, in order.
fn checkers_of<'a>(jobs: &[&'a Job<'a>]) -> Vec<(&'a str, &'a Checker)> {
    let mut seen: Vec<(&str, &Checker)> = Vec::new();
    for job in jobs {
        if !seen.iter().any(|(lang, _)| *lang == job.lang) {
            seen.push((job.lang, job.checker));
        }
    }
    seen
}

/// Why the checker of `lang` cannot run before it is tried: its program is not installed, or
/// a script it runs sits in a Node.js package whose dependencies were never installed.
fn cannot_run(config: &Config, lang: &str, checker: &Checker) -> Option<Diagnostic> {
    let command = checker.command();
    let mut words = command.split_whitespace();
    let program = words.next()?;
    let broken = |why: String, help: String| {
        Some(
            at_checker(
                config,
                lang,
                format!("the {lang} sample checker `{command}` cannot run: {why}"),
            )
            .help(help),
        )
    };
    let is_path = program.contains('/');
    let found = if is_path {
        config.root.join(program).is_file()
    } else {
        on_path(program)
    };
    if !found && !program.contains('{') && !is_shell_word(program) {
        return broken(
            format!("`{program}` is not installed (not found on PATH)"),
            format!("install `{program}`, or change `{lang}` under [samples] in book.toml; no sample was checked"),
        );
    }
    for word in words.filter(|w| w.contains('/') && !w.contains('{')) {
        let script = config.root.join(word);
        if !script.is_file() {
            continue;
        }
        let package = script
            .ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(&config.root))
            .find(|dir| dir.join("package.json").is_file());
        if let Some(package) = package {
            if !package.join("node_modules").is_dir() {
                let folder = package.strip_prefix(&config.root).unwrap_or(package);
                return broken(
                    format!("{} has no node_modules", folder.display()),
                    format!(
                        "install its packages: `npm ci --prefix {}`; no sample was checked",
                        folder.display()
                    ),
                );
            }
        }
    }
    None
}

/// A diagnostic at the line of book.toml that sets the checker of `lang`.
fn at_checker(config: &Config, lang: &str, message: String) -> Diagnostic {
    let path = config.root.join(crate::content::config::CONFIG_FILE);
    let diagnostic = Diagnostic::new(&path, message);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return diagnostic;
    };
    let line = text.lines().position(|l| {
        l.trim_start()
            .strip_prefix(lang)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    match line {
        Some(n) => diagnostic
            .at(n + 1, 1)
            .len(lang.len())
            .source(&std::sync::Arc::from(text)),
        None => diagnostic,
    }
}

/// Shell keywords and builtins a checker command may start with (`test -s {file} && ...`).
fn is_shell_word(word: &str) -> bool {
    matches!(
        word,
        "test" | "[" | "true" | "false" | "exit" | "cd" | "if" | "case" | "!"
    )
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Checkers that ran but cannot work: the shell could not start them (status 126 or 127), or
/// every sample of theirs failed with the very same output, which then says nothing about
/// the samples (`Cannot find module 'typescript'`).
fn broken_by_their_output(
    config: &Config,
    outcomes: &[(&Job, std::result::Result<(), String>)],
) -> Vec<Diagnostic> {
    let mut broken = Vec::new();
    let jobs: Vec<&Job> = outcomes.iter().map(|(job, _)| *job).collect();
    for (lang, checker) in checkers_of(&jobs) {
        let results: Vec<&std::result::Result<(), String>> = outcomes
            .iter()
            .filter(|(job, _)| job.lang == lang)
            .map(|(_, outcome)| outcome)
            .collect();
        let errors: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        let not_started = errors.iter().find(|e| e.starts_with(NOT_STARTED));
        // An error about a sample names it; one about the checker itself does not.
        let all_the_same = results.len() >= 2
            && errors.len() == results.len()
            && errors.windows(2).all(|w| w[0] == w[1])
            && !errors[0].contains("<sample>");
        let Some(output) = not_started.or(all_the_same.then(|| &errors[0])) else {
            continue;
        };
        broken.push(
            at_checker(
                config,
                lang,
                format!(
                    "the {lang} sample checker `{}` does not work: {} {lang} samples, one error",
                    checker.command(),
                    results.len()
                ),
            )
            .help(format!(
                "the checker said:\n{}\nfix the checker (install what it needs) or its command under [samples] in book.toml",
                output.trim_start_matches(NOT_STARTED).trim_end()
            )),
        );
    }
    broken
}

/// How [`run`] marks the output of a command the shell could not start.
const NOT_STARTED: &str = "[not started] ";

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
    } else if matches!(output.status.code(), Some(126 | 127)) {
        Err(format!(
            "{NOT_STARTED}{}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        ))
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
