//! PDF through headless Chromium's own command line.
//!
//! Chromium lays the page out with the print CSS of the theme: a page break before each article,
//! code wrapped, and the book title and page numbers in `@page` margin boxes (Chromium draws
//! those since version 131, so `--no-pdf-header-footer` only removes its own date and file-name
//! header). `--generate-pdf-document-outline` turns the headings into PDF bookmarks. Driving the
//! DevTools protocol instead would allow header templates too, but the crates that speak it bring
//! in ~140 dependencies for nothing the CSS cannot do.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::diagnostic::{Diagnostic, Error, Result};

/// The environment variable that names the Chromium to use.
pub const CHROME_ENV: &str = "HANDBOOK_CHROME";

/// Names Chromium goes by on PATH, most likely first.
const CHROME_NAMES: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// How long Chromium may take to print; a browser that hangs must not hang the export.
const TIMEOUT: Duration = Duration::from_secs(300);

/// The Chromium to print with: `explicit` (`--chrome`), else `$HANDBOOK_CHROME`, else the first
/// of [`CHROME_NAMES`] on PATH. Not finding one is a usage error (exit status 2) that says how to
/// install it.
pub fn find_chrome(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return check_given(path, "--chrome");
    }
    if let Some(path) = std::env::var_os(CHROME_ENV).filter(|p| !p.is_empty()) {
        return check_given(Path::new(&path), CHROME_ENV);
    }
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    for name in CHROME_NAMES {
        for dir in std::env::split_paths(&path_var) {
            let candidate = dir.join(name);
            if is_executable(&candidate) {
                return Ok(candidate);
            }
        }
    }
    Err(Error::config(
        Diagnostic::new(
            "PATH",
            format!(
                "no Chromium found to print the PDF (looked for {} on PATH)",
                CHROME_NAMES.join(", ")
            ),
        )
        .help(format!(
            "install it (Debian/Ubuntu: `sudo apt-get install chromium`; Fedora: `sudo dnf install chromium`; macOS: `brew install --cask chromium`), or name one with --chrome PATH or {CHROME_ENV}=PATH"
        )),
    ))
}

fn check_given(path: &Path, origin: &str) -> Result<PathBuf> {
    let found = if path.components().count() == 1 {
        // A bare name, such as `chromium`: look it up on PATH.
        let path_var = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path_var)
            .map(|dir| dir.join(path))
            .find(|p| is_executable(p))
    } else {
        Some(path.to_path_buf()).filter(|p| is_executable(p))
    };
    found.ok_or_else(|| {
        Error::config(
            Diagnostic::new(
                origin,
                format!("{} is not an executable Chromium", path.display()),
            )
            .help("give the path of the chromium or google-chrome program"),
        )
    })
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Prints the HTML `document` (self-contained: it is loaded from a temporary file) to `pdf`
/// with `chrome`; returns the PDF's size. The PDF replaces `pdf` only once it is complete.
pub fn print_to_pdf(chrome: &Path, document: &str, pdf: &Path) -> Result<u64> {
    let work = tempfile::Builder::new()
        .prefix("handbook-pdf-")
        .tempdir()
        .context("cannot create a temporary folder for Chromium")?;
    let page = work.path().join("handbook.html");
    std::fs::write(&page, document).with_context(|| format!("cannot write {}", page.display()))?;
    let printed = work.path().join("handbook.pdf");
    run_chrome(chrome, &page, &printed, &work.path().join("profile"))?;
    let bytes = std::fs::read(&printed).unwrap_or_default();
    if !bytes.starts_with(b"%PDF") {
        return Err(Error::Io(anyhow::anyhow!(
            "{} ran but wrote no PDF",
            chrome.display()
        )));
    }
    crate::write::write_file(pdf, &bytes)?;
    Ok(bytes.len() as u64)
}

fn run_chrome(chrome: &Path, page: &Path, printed: &Path, profile: &Path) -> Result<()> {
    let mut command = Command::new(chrome);
    command
        .arg("--headless")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--disable-extensions")
        .arg("--disable-background-networking")
        .arg("--disable-component-update")
        .arg("--disable-sync")
        .arg("--no-pdf-header-footer")
        .arg("--generate-pdf-document-outline")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", printed.display()));
    if running_as_root() {
        // Chromium refuses to start its sandbox as root (containers, CI); the page is the
        // handbook's own and runs no script.
        command.arg("--no-sandbox");
    }
    command
        .arg(file_url(page))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {}", chrome.display()))?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().context("cannot wait for Chromium")? {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::Io(anyhow::anyhow!(
                "{} did not finish printing within {} s",
                chrome.display(),
                TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = reader.join().unwrap_or_default();
    if !status.success() || !printed.is_file() {
        let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(Error::Io(anyhow::anyhow!(
            "{} failed to print the PDF ({status}):\n{}",
            chrome.display(),
            tail.join("\n")
        )));
    }
    Ok(())
}

fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// `file://` URL of an absolute path, with the characters URLs cannot hold escaped.
fn file_url(path: &Path) -> String {
    let path = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if path.starts_with('/') {
        "file://"
    } else {
        "file:///"
    });
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                url.push(byte as char)
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_what_they_must() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/ü.html")),
            "file:///tmp/a%20b/%C3%BC.html"
        );
    }

    #[test]
    fn a_given_chrome_must_exist() {
        let err = find_chrome(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.diagnostics()[0]
            .message
            .contains("/nonexistent/chromium"));
    }
}
