//! Writing the output folder all-or-nothing.
//!
//! The site is written into a fresh folder beside `out-dir` and swapped in by two renames only
//! when every file is written. A failed build therefore leaves the previous output exactly as it
//! was; a build killed half-way leaves only a hidden temporary folder, removed by the next build.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use crate::diagnostic::{Error, Result};
use crate::outputs::files::{FileContent, Output};

/// Writes `output` to `out_dir`, replacing what was there only if everything succeeded.
pub fn write_atomic(out_dir: &Path, output: &Output) -> anyhow::Result<()> {
    let parent = out_dir
        .parent()
        .context("the output folder has no parent folder")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out_dir
        .file_name()
        .context("the output folder has no name")?
        .to_string_lossy()
        .into_owned();
    clean_leftovers(parent, &name);
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.tmp-{pid}"));
    let _ = std::fs::remove_dir_all(&staging);
    if let Err(e) = write_all(&staging, out_dir, output) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(
        &staging,
        out_dir,
        &parent.join(format!(".{name}.old-{pid}")),
    )
}

/// Writes every file into `dir` (the staging folder); messages name the place the user knows,
/// `shown` (the output folder), never the staging folder.
fn write_all(dir: &Path, shown: &Path, output: &Output) -> anyhow::Result<()> {
    let user_path = |p: &Path| shown.join(p.strip_prefix(dir).unwrap_or(p));
    // The model refuses URLs that leave the site; this is the second line of defence, so that
    // no path, however it was made, writes outside the staging folder.
    if let Some(bad) = output
        .files
        .keys()
        .find(|p| !crate::util::paths::is_contained(p))
    {
        anyhow::bail!("refusing to write `{bad}`: it is not a plain path inside the output folder");
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output folder {}", shown.display()))?;
    std::fs::write(
        dir.join(crate::content::config::outdir::MARKER),
        crate::content::config::outdir::MARKER_TEXT,
    )
    .with_context(|| format!("cannot write {}", crate::content::config::outdir::MARKER))?;
    let mut dirs: Vec<PathBuf> = output
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(|d| dir.join(d)))
        .collect();
    dirs.push(dir.to_path_buf());
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d)
            .with_context(|| format!("cannot create {}", user_path(d).display()))?;
    }
    output.files.par_iter().try_for_each(|(path, content)| {
        let target = dir.join(path);
        match content {
            FileContent::Bytes(bytes) => std::fs::write(&target, bytes).map(|_| ()),
            FileContent::Copy(from) => std::fs::copy(from, &target).map(|_| ()),
        }
        .with_context(|| format!("cannot write {}", user_path(&target).display()))
    })
}

fn swap_in(staging: &Path, out_dir: &Path, old: &Path) -> anyhow::Result<()> {
    let had_previous = out_dir.exists();
    if had_previous {
        if !out_dir.is_dir() {
            let _ = std::fs::remove_dir_all(staging);
            anyhow::bail!("{} exists and is not a folder", out_dir.display());
        }
        let _ = std::fs::remove_dir_all(old);
        std::fs::rename(out_dir, old)
            .with_context(|| format!("cannot move the previous {} aside", out_dir.display()))?;
    }
    if let Err(e) = std::fs::rename(staging, out_dir) {
        if had_previous {
            let _ = std::fs::rename(old, out_dir);
        }
        let _ = std::fs::remove_dir_all(staging);
        return Err(e)
            .with_context(|| format!("cannot move the new site into {}", out_dir.display()));
    }
    if had_previous {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}

/// Removes temporary folders that a killed build left, unless their build is still running. A
/// build killed between its two renames left the previous site aside as `.<out>.old-<pid>` and
/// no output folder: that site is put back first.
fn clean_leftovers(parent: &Path, name: &str) {
    let out_dir = parent.join(name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        if is_running(pid) {
            continue;
        }
        let moved_aside = file_name.starts_with(&prefixes[1]);
        if moved_aside && !out_dir.exists() && std::fs::rename(entry.path(), &out_dir).is_ok() {
            continue;
        }
        let _ = std::fs::remove_dir_all(entry.path());
    }
}

fn is_running(pid: &str) -> bool {
    let proc_dir = Path::new("/proc");
    pid != std::process::id().to_string() && proc_dir.is_dir() && proc_dir.join(pid).exists()
}

/// Writes `bytes` to `path` through a temporary file beside it, so a failed export never
/// leaves a half-written file where the previous one was.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let staging = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::write(&staging, bytes).and_then(|()| std::fs::rename(&staging, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&staging);
        return Err(Error::Io(
            anyhow::Error::new(e).context(format!("cannot write {}", path.display())),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut output = Output::default();
        output.add("a/index.html", "one");
        write_atomic(&out, &output).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );
        let mut output = Output::default();
        output.add("b.html", "two");
        write_atomic(&out, &output).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary folders left: {names:?}");
    }

    #[test]
    fn cleans_leftovers_of_dead_builds() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".public.tmp-999999999");
        std::fs::create_dir(&stale).unwrap();
        write_atomic(&dir.path().join("public"), &Output::default()).unwrap();
        assert!(!stale.exists());
    }

    #[test]
    fn files_are_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/book.html");
        write_file(&path, b"one").unwrap();
        write_file(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["book.html"]);
    }
}
