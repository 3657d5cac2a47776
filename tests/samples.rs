//! `handbook check --samples`: code blocks checked by the commands in book.toml's [samples].

mod common;
use common::*;

fn with_python_checker() -> tempfile::TempDir {
    let dir = copy_fixture("good");
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    let toml = format!("{toml}\n[samples]\npython = \"python3 -m py_compile {{file}}\"\ngo = {{ command = \"test -s {{file}} && case {{file}} in *.gofile) ;; *) exit 1;; esac\", extension = \"gofile\" }}\n");
    std::fs::write(dir.path().join("book.toml"), toml).unwrap();
    dir
}

#[test]
fn good_samples_pass_and_are_cached() {
    let dir = with_python_checker();
    let out = handbook(&["check", "--samples"], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout.contains("Samples: 2 checked, 0 unchanged"),
        "{stdout}"
    );
    let again = handbook(&["check", "--samples"], dir.path());
    assert!(String::from_utf8_lossy(&again.stdout).contains("Samples: 0 checked, 2 unchanged"));
}

#[test]
fn a_failing_sample_names_the_block_and_the_checker_output() {
    let dir = with_python_checker();
    write(
        dir.path(),
        "content/guide/broken.md",
        "---\ntitle: Broken\n---\n\nText.\n\n```python\ndef f(:\n    pass\n```\n",
    );
    let out = handbook(&["check", "--samples"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/guide/broken.md:7:1"), "{err}");
    assert!(
        err.contains("python sample fails `python3 -m py_compile {file}`"),
        "{err}"
    );
    assert!(
        err.contains("SyntaxError"),
        "the checker's own message is shown: {err}"
    );
}

#[test]
fn skip_check_opts_a_fragment_out() {
    let dir = with_python_checker();
    write(dir.path(), "content/guide/fragment.md", "---\ntitle: Fragment\n---\n\n```python skip-check\n    return x  # a line from a larger function\n```\n");
    let out = handbook(&["check", "--samples"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 skipped"));
}

#[test]
fn plain_check_runs_no_samples() {
    let dir = with_python_checker();
    write(
        dir.path(),
        "content/guide/broken.md",
        "---\ntitle: Broken\n---\n\n```python\ndef f(:\n```\n",
    );
    assert!(handbook(&["check"], dir.path()).status.success());
}

/// The `good` fixture with its Python checker replaced, and a second Python sample.
fn with_checker(python: &str) -> tempfile::TempDir {
    let dir = copy_fixture("good");
    let toml = read(dir.path(), "book.toml");
    write(
        dir.path(),
        "book.toml",
        &format!("{toml}\n[samples]\npython = {python:?}\n"),
    );
    write(
        dir.path(),
        "content/guide/second.md",
        "---\ntitle: Second\n---\n\n```python\nprint('second')\n```\n",
    );
    dir
}

#[test]
fn a_checker_that_is_not_installed_is_named_once() {
    let dir = with_checker("no-such-checker-xyz {file}");
    let out = handbook(&["check", "--samples"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(
        err.matches("error:").count(),
        2,
        "one problem and the summary: {err}"
    );
    assert!(
        err.contains("`no-such-checker-xyz` is not installed"),
        "{err}"
    );
    assert!(err.contains("book.toml"), "{err}");
    assert!(!err.contains("content/"), "no sample is blamed: {err}");
}

#[test]
fn a_node_checker_without_its_packages_says_how_to_install_them() {
    let dir = with_checker("node tools/check/check.mjs {file}");
    write(
        dir.path(),
        "tools/check/package.json",
        "{\"private\": true}\n",
    );
    write(
        dir.path(),
        "tools/check/check.mjs",
        "import 'typescript';\n",
    );
    let out = handbook(&["check", "--samples"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("tools/check has no node_modules"), "{err}");
    assert!(err.contains("npm ci --prefix tools/check"), "{err}");
}

#[test]
fn a_checker_that_fails_the_same_way_on_every_sample_is_broken_not_the_samples() {
    let dir = with_checker(
        "sh -c 'echo \"ModuleNotFoundError: no module named checker\" >&2; exit 1' {file}",
    );
    let out = handbook(&["check", "--samples"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("does not work: 2 python samples, one error"),
        "{err}"
    );
    assert!(err.contains("ModuleNotFoundError"), "{err}");
    assert!(!err.contains("content/"), "no sample is blamed: {err}");
}
