//! Paths compared by what they name, not how they are spelled: the output folder is checked
//! against the handbook's own folders however a user writes it (`.`, `../book`, a symlink), and
//! every output path is checked to stay inside the folder it is written to.

use std::path::{Component, Path, PathBuf};

/// Lexically removes `.` and `..` so paths compare reliably without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path with every existing ancestor canonicalized (symlinks resolved) and the rest
/// normalized lexically, so that paths which do not exist yet compare like those which do.
pub fn canonicalize_lenient(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest: Vec<Component<'_>> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for component in rest.iter().rev() {
                match component {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return normalize(&absolute),
        }
    }
}

/// Whether `rel`, a site-relative output path, stays inside the folder it is joined to: only
/// plain segments (no `..`, `.`, root or drive), no backslash, no NUL, not empty.
pub fn is_contained(rel: &str) -> bool {
    !rel.contains(['\\', '\0'])
        && rel
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."))
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Whether the process numbered `pid` (read from a temporary file's name) is running, so that
/// what it is still writing is not taken for a leftover. Without `/proc` nothing is known to
/// run, and leftovers are removed.
pub fn is_running(pid: &str) -> bool {
    let proc_dir = Path::new("/proc");
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && proc_dir.is_dir()
        && proc_dir.join(pid).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contained_paths_are_plain_relative_segments() {
        for ok in [
            "index.html",
            "compare/routing/django/index.html",
            ".nojekyll",
        ] {
            assert!(is_contained(ok), "{ok}");
        }
        for bad in [
            "",
            "../escaped/index.html",
            "a/../../b",
            "/etc/passwd",
            "a\\..\\b",
            "./a",
            "a/./b",
            "a\0b",
        ] {
            assert!(!is_contained(bad), "{bad:?}");
        }
    }

    #[test]
    fn lenient_canonicalization_resolves_existing_ancestors() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("book")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(real.join("book"), real.join("link")).unwrap();
        assert_eq!(
            canonicalize_lenient(&real.join("book/missing/../out")),
            real.join("book/out")
        );
        #[cfg(unix)]
        assert_eq!(
            canonicalize_lenient(&real.join("link/new")),
            real.join("book/new")
        );
        assert_eq!(canonicalize_lenient(&real.join("book/..")), real);
    }
}
