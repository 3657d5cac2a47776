//! One broken handbook per kind of error: each must exit with the right status, name the file,
//! line and column, say what is wrong, and leave the previous output untouched.

mod common;
use common::*;

/// Applies `edit` to a copy of the good fixture and runs `handbook build`, which must fail.
fn fails_with(edit: impl FnOnce(&std::path::Path), code: i32) -> (tempfile::TempDir, String) {
    let dir = copy_fixture("good");
    edit(dir.path());
    let out = handbook(&["build"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "expected exit {code}: {err}");
    assert!(
        !dir.path().join("public").exists(),
        "a failed build writes nothing"
    );
    (dir, err)
}

fn content_error(edit: impl FnOnce(&std::path::Path)) -> String {
    fails_with(edit, 1).1
}

#[test]
fn unknown_framework_suggests_the_right_one() {
    let err = content_error(|root| {
        write(
            root,
            "content/compare/orm/beta.md",
            "---\ntitle: ORM in Beta\nframework: betta\ndimension: orm\n---\ntext\n",
        );
    });
    assert!(err.contains("content/compare/orm/beta.md:3:12"), "{err}");
    assert!(
        err.contains("unknown framework `betta`") && err.contains("did you mean `beta`?"),
        "{err}"
    );
}

#[test]
fn unknown_dimension() {
    let err = content_error(|root| {
        write(
            root,
            "content/compare/orm/beta.md",
            "---\ntitle: x\nframework: beta\ndimension: testing\n---\ntext\n",
        );
    });
    assert!(
        err.contains("content/compare/orm/beta.md:4:12")
            && err.contains("unknown dimension `testing`"),
        "{err}"
    );
}

#[test]
fn duplicate_declaration() {
    let err = content_error(|root| {
        write(
            root,
            "content/frameworks/alpha2.md",
            "---\ntitle: Alpha again\nframework: alpha\n---\ntext\n",
        );
    });
    assert!(
        err.contains("content/frameworks/alpha2.md:3:12")
            && err.contains("framework `alpha` is declared twice"),
        "{err}"
    );
    assert!(
        err.contains("first declared here: content/frameworks/alpha.md:3:12"),
        "{err}"
    );
}

#[test]
fn duplicate_cell() {
    let err = content_error(|root| {
        write(
            root,
            "content/compare/routing/alpha-again.md",
            "---\ntitle: x\nframework: alpha\ndimension: routing\n---\ntext\n",
        );
    });
    // Files are read in path order: `alpha-again.md` comes first, so `alpha.md` is the second.
    assert!(
        err.contains("content/compare/routing/alpha.md:3:12"),
        "{err}"
    );
    assert!(
        err.contains("content/compare/routing/alpha-again.md is that cell already"),
        "{err}"
    );
    assert!(
        err.contains("a second cell for framework `alpha` x dimension `routing`"),
        "{err}"
    );
}

#[test]
fn broken_link() {
    let err = content_error(|root| {
        write(
            root,
            "content/guide/more.md",
            "---\ntitle: More\n---\n\nSee [routing](../compare/routing/alfa.md).\n",
        );
    });
    assert!(err.contains("content/guide/more.md:5:15"), "{err}");
    assert!(
        err.contains("broken link `../compare/routing/alfa.md`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `../compare/routing/alpha.md`?"),
        "{err}"
    );
}

#[test]
fn broken_anchor() {
    let err = content_error(|root| {
        write(
            root,
            "content/guide/more.md",
            "---\ntitle: More\n---\n\nSee [the task](@/dimensions/routing.md#the-tsk).\n",
        );
    });
    assert!(err.contains("content/guide/more.md:5:16"), "{err}");
    assert!(
        err.contains("broken anchor `#the-tsk`") && err.contains("did you mean `#the-task`?"),
        "{err}"
    );
}

#[test]
fn unclosed_front_matter() {
    let err =
        content_error(|root| write(root, "content/guide/more.md", "---\ntitle: More\n\nBody\n"));
    assert!(
        err.contains("content/guide/more.md:1:1") && err.contains("front matter is never closed"),
        "{err}"
    );
}

#[test]
fn invalid_yaml() {
    let err = content_error(|root| {
        write(
            root,
            "content/guide/more.md",
            "---\ntitle: More\nweight: heavy\n---\nBody\n",
        )
    });
    assert!(
        err.contains("content/guide/more.md:3:9") && err.contains("weight: invalid type"),
        "{err}"
    );
}

#[test]
fn unknown_front_matter_key() {
    let err = content_error(|root| {
        write(
            root,
            "content/guide/more.md",
            "---\ntitle: More\ndimenson: orm\n---\nBody\n",
        )
    });
    assert!(
        err.contains("content/guide/more.md:3:1") && err.contains("unknown field `dimenson`"),
        "{err}"
    );
}

#[test]
fn not_utf8() {
    let err = content_error(|root| {
        std::fs::write(
            root.join("content/guide/more.md"),
            b"---\ntitle: More\n---\ncaf\xe9\n",
        )
        .unwrap();
    });
    assert!(
        err.contains("content/guide/more.md:4:4") && err.contains("not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn empty_file() {
    let err = content_error(|root| write(root, "content/guide/empty.md", ""));
    assert!(
        err.contains("content/guide/empty.md:1:1") && err.contains("empty article"),
        "{err}"
    );
}

#[test]
fn missing_title() {
    let err = content_error(|root| {
        write(
            root,
            "content/guide/more.md",
            "---\nsummary: no title\n---\nJust text.\n",
        )
    });
    assert!(
        err.contains("content/guide/more.md:1:1") && err.contains("article has no title"),
        "{err}"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let err = content_error(|root| {
        write(
            root,
            "content/guide/a.md",
            "---\ntitle: A\n---\n[x](nope.md)\n",
        );
        write(
            root,
            "content/guide/b.md",
            "---\ntitle: B\n---\n[y](nada.md)\n",
        );
    });
    assert!(
        err.contains("content/guide/a.md:4:5") && err.contains("content/guide/b.md:4:5"),
        "{err}"
    );
    assert!(err.contains("2 problems found"), "{err}");
}

#[test]
fn unknown_config_key_is_a_usage_error() {
    let (_, err) = fails_with(
        |root| {
            let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
            std::fs::write(root.join("book.toml"), toml.replace("site-url", "site_url")).unwrap();
        },
        2,
    );
    assert!(
        err.contains("book.toml:7:1") && err.contains("unknown field `site_url`"),
        "{err}"
    );
}

#[test]
fn missing_config_says_how_to_start() {
    let (_, err) = fails_with(
        |root| std::fs::remove_file(root.join("book.toml")).unwrap(),
        2,
    );
    assert!(
        err.contains("no book.toml") && err.contains("handbook init"),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_template() {
    let (_, err) = fails_with(
        |root| {
            write(root, "themes/default/templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ page.nope.deeper }}{% endblock content %}")
        },
        1,
    );
    assert!(err.contains("page.html"), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = copy_fixture("good");
    assert!(handbook(&["build"], dir.path()).status.success());
    let public = dir.path().join("public");
    let before = std::fs::read(public.join("frameworks/alpha/index.html")).unwrap();
    let count = walkdir::WalkDir::new(&public).into_iter().count();
    write(
        dir.path(),
        "content/frameworks/alpha.md",
        "---\ntitle: Alpha\nframework: alpha\n---\n[broken](missing.md)\n",
    );
    let out = handbook(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read(public.join("frameworks/alpha/index.html")).unwrap(),
        before
    );
    assert_eq!(walkdir::WalkDir::new(&public).into_iter().count(), count);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn usage_errors_exit_with_two() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_second_declaration_blames_only_the_second_file() {
    let err = content_error(|root| {
        write(
            root,
            "content/frameworks/alpha2.md",
            "---\ntitle: Alpha again\nframework: alpha\n---\ntext\n",
        );
    });
    // One error, about the second file; the cells of `alpha` are still fine.
    assert_eq!(
        err.matches("error:").count(),
        2,
        "one problem and the summary line: {err}"
    );
    assert!(
        !err.contains("compare/"),
        "no cascade into the cells: {err}"
    );
}

#[test]
fn an_empty_content_folder_suggests_init() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "book.toml", "[book]\ntitle = \"Empty\"\n");
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let out = handbook(&["build"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("no articles") && err.contains("handbook init"),
        "{err}"
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn a_fact_of_the_wrong_shape_says_what_a_fact_is() {
    let err = content_error(|root| {
        let alpha = read(root, "content/frameworks/alpha.md");
        write(
            root,
            "content/frameworks/alpha.md",
            &alpha.replacen("facts:\n", "facts:\n  bad: [1, 2, 3]\n", 1),
        );
    });
    assert!(err.contains("content/frameworks/alpha.md:9:3"), "{err}");
    assert!(err.contains("a fact is a number, a [low, high] pair of numbers, or a word; this is a list of 3 items"), "{err}");
}
