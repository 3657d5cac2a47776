//! `handbook serve`: the authoring loop. Builds the site in memory, serves it over HTTP under
//! its base-url, and with `--watch` rebuilds what changed and reloads the open pages.
//!
//! It sits beside the pipeline and uses it ([`incremental`], which runs
//! [`build::run`](crate::build::run)); nothing in the pipeline knows it exists. Three parts:
//!
//! - [`http`]: answering requests from the site in memory.
//! - [`watch`]: the file watcher and the thread that rebuilds.
//! - [`reload`]: the injected script, the WebSocket that reloads pages, the error overlay.
//!
//! A failed rebuild keeps the last good site online; its errors go to the terminal and to every
//! open page. Nothing is written to disk, so stopping (Ctrl-C) leaves nothing behind.

pub mod http;
pub mod incremental;
pub mod reload;
pub mod watch;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::build::Site;
use crate::content::config::Overrides;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::serve::incremental::Incremental;

/// The command line of `handbook serve`.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub open: bool,
    pub watch: bool,
    pub poll: bool,
}

/// The site being served and its base-url.
pub struct Current {
    /// `None` until a build succeeds.
    pub site: Option<Site>,
    pub base_url: String,
}

/// What the server and the rebuild thread share.
pub struct Shared {
    current: RwLock<Arc<Current>>,
    /// The errors of the last rebuild, as a JSON array (`[]` when it succeeded).
    errors: RwLock<Arc<str>>,
    /// Messages for the open pages (JSON text).
    events: broadcast::Sender<Arc<str>>,
    /// Whether pages get the live-reload script (with `--watch`).
    live: bool,
    /// Set when the server stops, to close the WebSockets.
    stop: tokio::sync::watch::Receiver<bool>,
}

impl Shared {
    pub fn current(&self) -> Arc<Current> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn errors(&self) -> Arc<str> {
        self.errors
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Puts a new site in place, then tells the pages to reload: in this order, so that a page
    /// reloading gets the new site.
    pub fn publish(&self, site: Site, base_url: String) {
        let previous = std::mem::replace(
            &mut *self
                .current
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            Arc::new(Current {
                site: Some(site),
                base_url,
            }),
        );
        *self
            .errors
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::from("[]");
        let _ = self.events.send(reload::reload_message());
        // Freeing the previous site (tens of thousands of files at 10,000 pages) waits until
        // the browsers are told.
        drop(previous);
    }

    /// Keeps the last good site and shows `error` in every open page.
    pub fn fail(&self, error: &Error) {
        let json: Arc<str> = Arc::from(reload::errors_json(error));
        *self
            .errors
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = json.clone();
        let _ = self.events.send(reload::errors_message(&json));
    }
}

/// Builds and serves the handbook at `root` until Ctrl-C.
pub fn serve(root: &Path, overrides: Overrides, options: &Options) -> Result<()> {
    let root = root.canonicalize().map_err(|e| {
        Error::config(
            Diagnostic::new(root, format!("cannot open the handbook folder: {e}"))
                .help("pass the folder that holds book.toml with --root DIR"),
        )
    })?;
    crate::markdown::highlight::remember();
    let mut incremental = Incremental::new(&root, overrides);
    let first = incremental.rebuild(&[]);
    let (site, first_error) = match first {
        Ok(site) => {
            crate::diagnostic::print_warnings(&site.warnings);
            (Some(site), None)
        }
        // Without --watch there is nothing to wait for; a broken book.toml stops either way.
        Err(e) if !options.watch || matches!(e, Error::Config(_)) => return Err(e),
        Err(e) => {
            report(&e);
            (None, Some(e))
        }
    };
    let base_url = incremental
        .config()
        .map_or_else(|| "/".to_string(), |c| c.base_url.clone());
    let pages = site.as_ref().map_or(0, |s| s.pages);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        current: RwLock::new(Arc::new(Current {
            site,
            base_url: base_url.clone(),
        })),
        errors: RwLock::new(Arc::from("[]")),
        events: broadcast::channel(64).0,
        live: options.watch,
        stop: stop_rx,
    });
    if let Some(e) = &first_error {
        shared.fail(e);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Io(e.into()))?;
    let listener = runtime.block_on(bind(&options.host, options.port))?;
    let address = listener.local_addr().map_err(|e| Error::Io(e.into()))?;
    let url = format!("http://{}{base_url}", display_address(address));
    println!(
        "Serving {pages} pages on {url}{} (Ctrl-C to stop)",
        if options.watch {
            ", watching for changes"
        } else {
            ""
        }
    );
    let _watcher = if options.watch {
        Some(start_watching(
            &root,
            incremental,
            shared.clone(),
            options.poll,
        )?)
    } else {
        None
    };
    if options.open {
        open_browser(&url);
    }
    let app = http::router(shared.clone());
    runtime
        .block_on(async move {
            let shutdown = async move {
                stopped().await;
                let _ = stop_tx.send(true);
            };
            accept_loop(listener, app, shutdown).await
        })
        .map_err(|e| Error::Io(e.into()))?;
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    println!("Stopped.");
    Ok(())
}

/// How long a client may take to send a request's headers. A connection that opens and then
/// says nothing (a half-open socket, a slow-loris client) is closed after it, so it cannot hold
/// a task and a socket for ever; the live-reload WebSocket, once upgraded, is not affected.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Accepts connections until `shutdown` completes, serving each with HTTP/1.1 (WebSocket
/// upgrades included) and [`HEADER_READ_TIMEOUT`]: axum's own `serve` has no such timeout.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                // Too many open files and the like: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

async fn bind(host: &str, port: u16) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind((host, port))
        .await
        .map_err(|e| {
            let what = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("port {port} on {host} is already in use")
            } else {
                format!("cannot listen on {host}:{port}: {e}")
            };
            Error::config(Diagnostic::new("--port", what).help(
                "stop the other server, choose another port with --port N, or let the system pick one with --port 0",
            ))
        })
}

fn display_address(address: SocketAddr) -> String {
    match address {
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => v4.to_string(),
    }
}

fn start_watching(
    root: &Path,
    incremental: Incremental,
    shared: Arc<Shared>,
    poll: bool,
) -> Result<std::thread::JoinHandle<()>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = watch::Watcher::new(poll, tx)?;
    let mut watched = watch::Watched::new(root);
    watched.update(&mut watcher, incremental.config())?;
    std::thread::Builder::new()
        .name("rebuild".into())
        .spawn(move || watch::rebuild_loop(rx, incremental, watcher, watched, shared))
        .map_err(|e| Error::Io(e.into()))
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
async fn stopped() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("a SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("note: cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}

/// Prints a failed rebuild's errors the way `handbook build` does.
pub fn report(error: &Error) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let diagnostics = error.diagnostics();
    if diagnostics.is_empty() {
        eprintln!("error: {error}");
    }
    for d in diagnostics {
        eprintln!("{}", d.render(color));
    }
    if !diagnostics.is_empty() {
        let n = diagnostics.len();
        eprintln!(
            "error: {n} problem{} found; still serving the last good version",
            if n == 1 { "" } else { "s" }
        );
    }
}
