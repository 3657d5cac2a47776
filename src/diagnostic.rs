//! Errors that point at a place in a file.
//!
//! Every problem the build finds in a handbook becomes a [`Diagnostic`]: the file, the line and
//! column, what is wrong, and, where we can guess it, what was meant. The build collects them all
//! (a writer fixing a handbook wants every problem at once, not one per run) and the CLI prints
//! them rustc-style through `annotate-snippets`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// One problem at one place.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The file, as the user would type it (relative to the handbook root where possible).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many characters to underline (at least one).
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
    /// The file's text, shared between all diagnostics of one file, for the snippet.
    pub source: Option<Arc<str>>,
    /// A warning is printed but does not fail the build (`[build] link-check = "warn"`).
    pub warning: bool,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            len: 1,
            message: message.into(),
            help: None,
            source: None,
            warning: false,
        }
    }

    /// Makes this a warning: printed, but the build goes on.
    pub fn warning(mut self) -> Self {
        self.warning = true;
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column.max(1);
        self
    }

    pub fn len(mut self, len: usize) -> Self {
        self.len = len.max(1);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn source(mut self, source: &Arc<str>) -> Self {
        self.source = Some(source.clone());
        self
    }

    /// `file:line:column`, the form editors and terminals turn into a link.
    pub fn location(&self) -> String {
        let file = display_path(&self.file);
        if self.line == 0 {
            file
        } else {
            format!("{file}:{}:{}", self.line, self.column)
        }
    }

    /// Renders the diagnostic with a source snippet when the line is known.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let path = display_path(&self.file);
        let level = if self.warning {
            Level::WARNING
        } else {
            Level::ERROR
        };
        let group = level.primary_title(self.message.as_str());
        let snippet_line = self
            .source
            .as_deref()
            .filter(|_| self.line > 0)
            .and_then(|src| src.lines().nth(self.line - 1));
        let mut report: Vec<Group> = Vec::new();
        match snippet_line {
            Some(line_text) => {
                let start = char_to_byte(line_text, self.column - 1);
                let end = char_to_byte(line_text, self.column - 1 + self.len).max(start);
                let annotation = if end > start {
                    AnnotationKind::Primary.span(start..end)
                } else {
                    AnnotationKind::Primary.span(start..start)
                };
                report.push(
                    group.element(
                        Snippet::source(line_text)
                            .line_start(self.line)
                            .path(path.clone())
                            .annotation(annotation),
                    ),
                );
            }
            None => {
                report.push(group.element(annotate_snippets::Origin::path(self.location())));
            }
        }
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        renderer.render(&report).to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(s.len())
}

/// Paths are shown with forward slashes so messages read the same on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Maps byte offsets in a text to 1-based line and column numbers.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// (line, column) of a byte offset; the column counts characters.
    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset.min(text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

/// The closest candidate to a misspelled name, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// What went wrong in a command, grouped by the exit status it maps to.
#[derive(Debug)]
pub enum Error {
    /// book.toml or the command line is wrong: exit status 2.
    Config(Vec<Diagnostic>),
    /// The content has errors: exit status 1.
    Content(Vec<Diagnostic>),
    /// Reading or writing failed for a reason outside the content: exit status 1.
    Io(anyhow::Error),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) => 2,
            Error::Content(_) | Error::Io(_) => 1,
        }
    }

    pub fn config(diagnostic: Diagnostic) -> Self {
        Error::Config(vec![diagnostic])
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Config(d) | Error::Content(d) => d,
            Error::Io(_) => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(d) | Error::Content(d) => {
                for diagnostic in d {
                    writeln!(f, "{diagnostic}")?;
                }
                Ok(())
            }
            Error::Io(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Io(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Sorts diagnostics by file and position so output is stable across parallel runs.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
}

/// Prints warnings to stderr (with colour on a terminal, unless `NO_COLOR` is set), then how
/// many there were.
pub fn print_warnings(warnings: &[Diagnostic]) {
    if warnings.is_empty() {
        return;
    }
    use std::io::IsTerminal as _;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for w in warnings {
        eprintln!("{}", w.render(color));
    }
    let n = warnings.len();
    eprintln!(
        "warning: {n} warning{}; the site was built anyway",
        if n == 1 { "" } else { "s" }
    );
}

/// The error of a stage that found content errors: all of them, in file and line order.
pub fn content_errors(mut errors: Vec<Diagnostic>) -> Error {
    sort(&mut errors);
    Error::Content(errors)
}

/// Every value of `results`, or every error among them (a parallel stage reports them all).
pub fn all_or_errors<T>(results: Vec<std::result::Result<T, Diagnostic>>) -> Result<Vec<T>> {
    let mut values = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(Error::Content(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.locate(text, 0), (1, 1));
        assert_eq!(index.locate(text, 3), (2, 1));
        assert_eq!(index.locate(text, 7), (2, 4));
        assert_eq!(index.locate(text, 8), (3, 1));
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("djang", ["django", "flask"]), Some("django"));
        assert_eq!(did_you_mean("zzz", ["django", "flask"]), None);
    }

    #[test]
    fn renders_location_and_help() {
        let src: Arc<str> = Arc::from("---\nframework: djang\n---\n");
        let d = Diagnostic::new("content/a.md", "unknown framework `djang`")
            .at(2, 12)
            .len(5)
            .help("did you mean `django`?")
            .source(&src);
        let text = d.render(false);
        assert!(text.contains("content/a.md:2:12"), "{text}");
        assert!(text.contains("unknown framework `djang`"));
        assert!(text.contains("did you mean `django`?"));
        assert_eq!(
            d.to_string(),
            "content/a.md:2:12: unknown framework `djang` (did you mean `django`?)"
        );
    }
}
