//! Which folders the build may replace.
//!
//! A build replaces its output folder wholesale, so a wrong `--out` or `out-dir` must never be
//! able to replace the handbook's own sources, a folder above them, a repository, or a folder of
//! someone else's files. Paths are compared after canonicalization (symlinks of every existing
//! ancestor resolved), because `.`, `../book`, an absolute spelling and a symlink can all name
//! the root.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::util::paths::canonicalize_lenient;

/// The file every build writes at the top of its output, so that the next build knows the
/// folder is its own to replace. An existing folder without it is someone else's.
pub const MARKER: &str = ".handbook-output";

/// What the marker says to a person who opens it.
pub const MARKER_TEXT: &str =
    "This folder was written by `handbook build`; the next build replaces it entirely.\n";

/// Folders of version-control systems: an output inside one would replace its history.
const VCS_FOLDERS: [&str; 7] = [".git", ".hg", ".svn", ".jj", ".bzr", "_darcs", "CVS"];

/// Where the output folder was named, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    ConfigKey,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::Flag => "--out",
            Origin::ConfigKey => "[build] out-dir",
        }
    }
}

/// The folders an output must stay clear of.
pub struct Protected<'a> {
    pub root: &'a Path,
    pub content: &'a Path,
    pub themes: &'a Path,
    pub static_dir: &'a Path,
}

/// Refuses an output folder that is, contains or lies inside one of the protected folders, or
/// lies inside a version-control folder. Exit status 2: it is a configuration mistake.
pub fn check_location(out: &Path, origin: Origin, protected: &Protected<'_>) -> Result<()> {
    let out_real = canonicalize_lenient(out);
    let root_real = canonicalize_lenient(protected.root);
    let refuse = |why: String, help: &str| {
        Err(Error::config(
            Diagnostic::new(
                crate::content::config::CONFIG_FILE,
                format!("{} {} {why}", origin.name(), out.display()),
            )
            .help(help.to_string()),
        ))
    };
    if root_real.starts_with(&out_real) {
        let what = if root_real == out_real {
            "is the handbook's own folder".to_string()
        } else {
            format!("is above the handbook's folder {}", root_real.display())
        };
        return refuse(
            format!("{what}: building there would replace book.toml and the content"),
            "choose a folder of its own inside the handbook, such as `public`",
        );
    }
    for (name, dir) in [
        ("content", protected.content),
        ("themes", protected.themes),
        ("static", protected.static_dir),
    ] {
        let dir_real = canonicalize_lenient(dir);
        if out_real.starts_with(&dir_real) || dir_real.starts_with(&out_real) {
            return refuse(
                format!(
                    "overlaps the {name} folder {}: building there would replace sources",
                    dir_real.display()
                ),
                "choose a folder of its own, such as `public`",
            );
        }
    }
    if let Some(vcs) = out_real
        .components()
        .find_map(|c| VCS_FOLDERS.iter().find(|v| c.as_os_str() == **v))
    {
        return refuse(
            format!(
                "lies inside a version-control folder ({vcs}) at {}",
                out_real.display()
            ),
            "choose a folder outside the repository's own data, such as `public`",
        );
    }
    Ok(())
}

/// Refuses an existing, non-empty output folder that no build wrote (it has no [`MARKER`]),
/// unless `force`.
pub fn check_ownership(out: &Path, origin: Origin, force: bool) -> Result<()> {
    let diagnostic = |message: String, help: &str| {
        Error::config(
            Diagnostic::new(crate::content::config::CONFIG_FILE, message).help(help.to_string()),
        )
    };
    let Ok(meta) = std::fs::metadata(out) else {
        return Ok(()); // does not exist yet
    };
    if !meta.is_dir() {
        return Err(diagnostic(
            format!(
                "{} {} is a file, not a folder",
                origin.name(),
                out.display()
            ),
            "name a folder for the site",
        ));
    }
    if force || out.join(MARKER).is_file() {
        return Ok(());
    }
    let empty = std::fs::read_dir(out)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false);
    if empty {
        return Ok(());
    }
    Err(diagnostic(
        format!(
            "{} {} already holds files that handbook did not write; a build would replace them all",
            origin.name(),
            out.display()
        ),
        "choose another folder, empty this one, or pass --force to replace it anyway",
    ))
}
