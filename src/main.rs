//! The `handbook` command line: a thin layer over the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use handbook::content::scaffold::New;
use handbook::{build, export, Config, Error, Overrides};

/// The version, with the commit when built from a git checkout (see build.rs).
const VERSION: &str = env!("HANDBOOK_VERSION");

#[derive(Parser)]
#[command(
    name = "handbook",
    version = VERSION,
    about = "Build comparison handbooks: Markdown articles in, a cross-linked static site out"
)]
struct Cli {
    /// Print only errors and warnings
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print how long each stage of the build took
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

/// What `handbook new` creates.
#[derive(Subcommand)]
enum NewKind {
    /// A framework page (frameworks/SLUG.md)
    Framework { slug: String },
    /// A dimension page (dimensions/SLUG.md)
    Dimension { slug: String },
    /// The cell where a declared framework meets a declared dimension
    Cell {
        framework: String,
        dimension: String,
    },
    /// A free article at PATH in the content folder (e.g. guide/getting-started)
    Page { path: String },
}

#[derive(Subcommand)]
enum Command {
    /// Build the handbook into its output folder (all or nothing)
    Build {
        /// The handbook's folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: build.out-dir of book.toml)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Path prefix of every URL, e.g. /handbook/ for a GitHub Pages project site
        #[arg(long)]
        base_url: Option<String>,
        /// The site's absolute URL (instead of build.site-url), for the sitemap and canonical
        /// links, e.g. https://user.github.io/handbook/
        #[arg(long)]
        site_url: Option<String>,
        /// Include articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Replace the output folder even if it holds files that no build wrote
        #[arg(long)]
        force: bool,
        /// Render every article again; read and write nothing in .handbook-cache/
        #[arg(long)]
        no_cache: bool,
    },
    /// Build the handbook in memory and serve it; with --watch, rebuild on every change and
    /// reload the open pages
    Serve {
        /// The handbook's folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on (127.0.0.1 keeps the site to this machine)
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port to listen on; 0 lets the system pick a free one
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Path prefix of every URL, e.g. /handbook/ to preview a GitHub Pages project site
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Rebuild when content, themes, static/ or book.toml change, and reload open pages
        #[arg(long)]
        watch: bool,
        /// Watch by polling (for WSL, Docker volumes and network drives, where file events do not arrive)
        #[arg(long, requires = "watch")]
        poll: bool,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Validate config, content, links and templates; write nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also run every code sample through its checker from book.toml's [samples]
        #[arg(long)]
        samples: bool,
        /// Include articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Render every article again; read and write nothing in .handbook-cache/
        #[arg(long)]
        no_cache: bool,
    },
    /// Export the whole handbook as one self-contained HTML file and/or a PDF
    Export {
        /// The handbook's folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The self-contained HTML file [default: handbook.html, unless only --pdf is given]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the handbook to this PDF file with headless Chromium
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// Paper size [default: a4 for the PDF; the printer's for the HTML file]
        #[arg(long, value_parser = ["a4", "letter"])]
        paper: Option<String>,
        /// The Chromium program [default: $HANDBOOK_CHROME, else chromium or google-chrome on PATH]
        #[arg(long)]
        chrome: Option<PathBuf>,
        /// Include articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Create a framework, dimension, cell or page with the front matter it needs
    New {
        /// The handbook's folder, holding book.toml
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
        #[command(subcommand)]
        kind: NewKind,
    },
    /// Print a shell completion script, e.g. `handbook completions bash`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Create a small handbook to start from
    Init {
        /// Folder to create it in
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let terminal = Terminal::new(cli.quiet, cli.verbose);
    let result = run(cli.command, &terminal);
    terminal.done();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_error(&e);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// What the command line prints besides errors and warnings: results (unless `--quiet`), stage
/// timings (`--verbose`), and a progress spinner for builds that take more than a second on a
/// terminal (never when stderr is not one, or under CI).
struct Terminal {
    quiet: bool,
    progress: Option<indicatif::ProgressBar>,
}

impl Terminal {
    fn new(quiet: bool, verbose: bool) -> Terminal {
        let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let progress = (interactive && !quiet).then(spinner);
        let bar = progress.clone();
        if verbose || bar.is_some() {
            build::observe_stages(move |stage, took| {
                let line = format!("{stage:>12}: {took:.1?}");
                match &bar {
                    Some(bar) => {
                        if verbose {
                            bar.println(&line);
                        }
                        bar.set_message(format!("{stage} done"));
                    }
                    None => eprintln!("{line}"),
                }
            });
        }
        Terminal { quiet, progress }
    }

    /// Prints a result line, unless `--quiet`.
    fn say(&self, line: impl std::fmt::Display) {
        if !self.quiet {
            match &self.progress {
                Some(bar) if !bar.is_hidden() => bar.suspend(|| println!("{line}")),
                _ => println!("{line}"),
            }
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
    }
}

/// A spinner that stays hidden for the first second: a quick build shows nothing.
fn spinner() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_message("building");
    let shown = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(1));
        if !shown.is_finished() {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown.enable_steady_tick(std::time::Duration::from_millis(100));
        }
    });
    bar
}

fn run(command: Command, terminal: &Terminal) -> Result<(), Error> {
    match command {
        Command::Build {
            root,
            out,
            base_url,
            site_url,
            drafts,
            force,
            no_cache,
        } => {
            let config = Config::load(
                &root,
                &Overrides {
                    out_dir: out,
                    base_url,
                    site_url,
                    drafts,
                    force,
                    no_cache,
                },
            )?;
            let report = build::build(&config)?;
            handbook::diagnostic::print_warnings(&report.warnings);
            terminal.say(format_args!(
                "Built {} pages ({} files) in {:.2?} into {}",
                report.pages,
                report.files,
                report.elapsed,
                config.out_dir.display()
            ));
        }
        Command::Serve {
            root,
            host,
            port,
            base_url,
            drafts,
            watch,
            poll,
            open,
        } => {
            let overrides = Overrides {
                base_url,
                drafts,
                ..Overrides::default()
            };
            let options = handbook::serve::Options {
                host,
                port,
                open,
                watch,
                poll,
            };
            handbook::serve::serve(&root, overrides, &options)?;
        }
        Command::Check {
            root,
            samples,
            drafts,
            no_cache,
        } => {
            let config = Config::load(
                &root,
                &Overrides {
                    drafts,
                    no_cache,
                    ..Overrides::default()
                },
            )?;
            let start = std::time::Instant::now();
            let generated = build::generate(&config)?;
            handbook::diagnostic::print_warnings(&generated.warnings);
            if samples {
                let r = handbook::markdown::samples::check(
                    &config,
                    &generated.model,
                    &generated.rendered,
                )?;
                terminal.say(format!(
                    "Samples: {} checked, {} unchanged since they last passed, {} skipped, {} in languages without a checker",
                    r.checked, r.cached, r.skipped, r.unchecked
                ));
            }
            if let Some(max_age) = config.book.review_max_age_days {
                let today = handbook::content::review::today();
                for warning in handbook::content::review::stale(&generated.model, max_age, today) {
                    eprintln!("{warning}");
                }
            }
            terminal.say(format!(
                "Checked {} pages in {:.2?}: {}",
                generated.model.pages.len(),
                start.elapsed(),
                match generated.warnings.len() {
                    0 => "no problems found".to_string(),
                    n => format!("{n} warning{}", if n == 1 { "" } else { "s" }),
                }
            ));
        }
        Command::Export {
            root,
            out,
            pdf,
            paper,
            chrome,
            drafts,
        } => {
            let config = Config::load(
                &root,
                &Overrides {
                    drafts,
                    ..Overrides::default()
                },
            )?;
            let html = out.or_else(|| pdf.is_none().then(|| "handbook.html".into()));
            let options = export::Options {
                html,
                pdf,
                paper: paper.map(|p| p.parse().expect("clap checked the value")),
                chrome,
            };
            let report = export::export(&config, &options)?;
            let files: Vec<String> = report
                .files
                .iter()
                .map(|(path, size)| format!("{} ({} KB)", path.display(), size.div_ceil(1024)))
                .collect();
            terminal.say(format!(
                "Exported {} articles in {:.2?} to {}",
                report.articles,
                report.elapsed,
                files.join(" and ")
            ));
        }
        Command::New { root, kind } => {
            let config = Config::load(&root, &Overrides::default())?;
            let what = match kind {
                NewKind::Framework { slug } => New::Framework(slug),
                NewKind::Dimension { slug } => New::Dimension(slug),
                NewKind::Cell {
                    framework,
                    dimension,
                } => New::Cell {
                    framework,
                    dimension,
                },
                NewKind::Page { path } => New::Page(path),
            };
            let path = handbook::content::scaffold::new(&config, &what)?;
            terminal.say(format_args!(
                "Created {}; write it, then `handbook check`",
                path.strip_prefix(&root).unwrap_or(&path).display()
            ));
        }
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            use std::io::Write as _;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "handbook", &mut script);
            // `handbook completions bash | head` closes the pipe early: not an error.
            let _ = std::io::stdout().write_all(&script);
        }
        Command::Init { dir } => {
            handbook::content::init::init(&dir)?;
            terminal.say(format!(
                "Created a handbook in {}; build it with `handbook build --root {}`",
                dir.display(),
                dir.display()
            ));
        }
    }
    Ok(())
}

fn report_error(e: &Error) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let diagnostics = e.diagnostics();
    if diagnostics.is_empty() {
        eprintln!("error: {e}");
        return;
    }
    for d in diagnostics {
        eprintln!("{}", d.render(color));
    }
    let n = diagnostics.len();
    eprintln!(
        "error: {n} problem{} found; nothing was written",
        if n == 1 { "" } else { "s" }
    );
}
