//! The command line around the build: `handbook new`, `--quiet` and `--verbose`, colours and
//! `NO_COLOR`, shell completions and `--version`.

mod common;
use common::*;

fn ok(args: &[&str], dir: &std::path::Path) -> String {
    let out = handbook(args, dir);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn new_writes_pages_that_check_at_once() {
    let dir = copy_fixture("good");
    let root = dir.path();
    assert!(ok(&["new", "framework", "gamma"], root).contains("content/frameworks/gamma.md"));
    ok(&["new", "dimension", "testing"], root);
    ok(&["new", "cell", "gamma", "routing"], root);
    ok(&["new", "cell", "alpha", "testing"], root);
    ok(&["new", "page", "guide/getting-started"], root);
    let framework = read(root, "content/frameworks/gamma.md");
    assert!(framework.contains("framework: gamma") && framework.contains("title: \"Gamma\""));
    assert!(
        framework.contains("weight: 3"),
        "after the others: {framework}"
    );
    let cell = read(root, "content/compare/routing/gamma.md");
    assert!(cell.contains("title: \"Routing in Gamma\""), "{cell}");
    assert!(
        cell.contains("framework: gamma\ndimension: routing"),
        "{cell}"
    );
    assert!(cell.contains("reviewed: 20"), "{cell}");
    assert!(
        cell.contains("<!-- The task, from dimensions/routing.md:"),
        "the dimension's task is quoted for the writer: {cell}"
    );
    // A dimension without cells yet gets a folder beside the others.
    assert!(root.join("content/compare/testing/alpha.md").is_file());
    assert!(read(root, "content/guide/getting-started.md").contains("title: \"Getting Started\""));
    let check = handbook(&["check"], root);
    assert!(check.status.success(), "{}", stderr(&check));
    let build = handbook(&["build"], root);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(root
        .join("public/compare/routing/gamma/index.html")
        .is_file());
}

#[test]
fn new_refuses_to_overwrite_and_suggests_slugs() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let before = read(root, "content/compare/routing/alpha.md");
    let out = handbook(&["new", "cell", "alpha", "routing"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(read(root, "content/compare/routing/alpha.md"), before);

    let out = handbook(&["new", "framework", "alpha"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("already declared"),
        "{}",
        stderr(&out)
    );

    let out = handbook(&["new", "cell", "alpah", "routing"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `alpha`?"),
        "{}",
        stderr(&out)
    );

    let out = handbook(&["new", "framework", "Not A Slug"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`not-a-slug`"), "{}", stderr(&out));
}

#[test]
fn new_never_writes_outside_the_content_folder() {
    let dir = copy_fixture("good");
    let root = dir.path();
    for path in [
        "../escaped",
        "/tmp/abs",
        "guide/../../x",
        "search/x",
        "print.html",
    ] {
        let out = handbook(&["new", "page", path], root);
        assert_eq!(out.status.code(), Some(2), "{path}: {}", stderr(&out));
    }
    assert!(!root.join("escaped.md").exists());
    assert!(!root.join("content/search").exists());
}

#[test]
fn quiet_and_verbose() {
    let dir = copy_fixture("good");
    let quiet = handbook(&["build", "--quiet"], dir.path());
    assert!(quiet.status.success());
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());
    let verbose = handbook(&["-v", "build"], dir.path());
    let err = stderr(&verbose);
    assert!(verbose.status.success(), "{err}");
    for stage in ["load:", "markdown:", "pages:", "write:"] {
        assert!(err.contains(stage), "{stage} in {err}");
    }
    assert!(String::from_utf8_lossy(&verbose.stdout).contains("Built "));
}

/// Runs handbook in a pseudo-terminal (util-linux `script`), as a writer at a terminal would.
fn in_terminal(dir: &std::path::Path, args: &str, no_color: bool) -> String {
    let bin = env!("CARGO_BIN_EXE_handbook");
    let mut command = std::process::Command::new("script");
    command
        .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("NO_COLOR");
    if no_color {
        command.env("NO_COLOR", "1");
    }
    let out = command.output().expect("script (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colours_on_a_terminal_unless_no_color() {
    let dir = copy_fixture("good");
    write(
        dir.path(),
        "content/guide/broken.md",
        "---\ntitle: B\n---\n\n[x](nowhere.md)\n",
    );
    let coloured = in_terminal(dir.path(), "check", false);
    assert!(coloured.contains("nowhere.md"), "{coloured}");
    assert!(
        coloured.contains("\u{1b}["),
        "colours on a terminal: {coloured:?}"
    );
    let plain = in_terminal(dir.path(), "check", true);
    assert!(plain.contains("nowhere.md"), "{plain}");
    assert!(!plain.contains("\u{1b}["), "NO_COLOR: {plain:?}");
}

/// Runs the binary with exactly these arguments (no `--root`).
fn bare(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn completions_for_three_shells() {
    let text = |shell| String::from_utf8_lossy(&bare(&["completions", shell]).stdout).into_owned();
    assert!(text("bash").contains("_handbook"));
    assert!(text("zsh").starts_with("#compdef handbook"));
    assert!(text("fish").contains("complete -c handbook"));
    assert!(
        text("bash").contains("framework"),
        "subcommands of new complete too"
    );
    assert_eq!(bare(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn version_names_the_commit_in_a_checkout() {
    let version = String::from_utf8_lossy(&bare(&["--version"]).stdout).into_owned();
    assert!(version.starts_with(&format!("handbook {}", env!("CARGO_PKG_VERSION"))));
    let in_git = std::process::Command::new("git")
        .args(["rev-parse", "--short=7", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success());
    if let Some(head) = in_git {
        let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
        assert!(version.contains(&format!("(commit {head})")), "{version}");
    }
}
