//! Incremental rebuilds (`serve --watch`) must produce exactly what a clean build of the final
//! files produces, whatever the sequence of edits: compared byte for byte, file by file.

mod common;
use common::*;

use std::path::{Path, PathBuf};

use handbook::outputs::files::{FileContent, Output};
use handbook::serve::incremental::Incremental;
use handbook::{build, Config, Overrides};

fn bytes(content: &FileContent) -> Vec<u8> {
    match content {
        FileContent::Bytes(b) => b.to_vec(),
        FileContent::Copy(from) => std::fs::read(from).unwrap(),
        FileContent::Written => panic!("generate keeps every file in memory"),
    }
}

fn assert_same(incremental: &Output, clean: &Output, step: &str) {
    let a: Vec<&String> = incremental.files.keys().collect();
    let b: Vec<&String> = clean.files.keys().collect();
    assert_eq!(a, b, "{step}: the same files");
    for (path, content) in &clean.files {
        let got = bytes(&incremental.files[path]);
        let want = bytes(content);
        assert!(
            got == want,
            "{step}: {path} differs from a clean build:\n--- incremental\n{}\n--- clean\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
    }
}

struct Session {
    root: PathBuf,
    incremental: Incremental,
}

impl Session {
    fn new(root: &Path) -> Session {
        let mut session = Session {
            root: root.to_path_buf(),
            incremental: Incremental::new(root, Overrides::default()),
        };
        session.check(&[], "first build");
        session
    }

    /// Rebuilds after `changed` (paths relative to the root) and compares with a clean build.
    fn check(&mut self, changed: &[&str], step: &str) {
        let changed: Vec<PathBuf> = changed.iter().map(|p| self.root.join(p)).collect();
        let site = self
            .incremental
            .rebuild(&changed)
            .unwrap_or_else(|e| panic!("{step}: incremental rebuild failed: {e}"));
        let config = Config::load(&self.root, &Overrides::default()).unwrap();
        let clean = build::generate(&config).unwrap_or_else(|e| panic!("{step}: {e}"));
        assert_same(&site.complete_output().unwrap(), &clean.output, step);
    }

    /// Rebuilds after `changed`, which must fail like a clean build fails.
    fn check_fails(&mut self, changed: &[&str], step: &str, message: &str) {
        let changed: Vec<PathBuf> = changed.iter().map(|p| self.root.join(p)).collect();
        let err = match self.incremental.rebuild(&changed) {
            Ok(_) => panic!("{step}: the rebuild should fail"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains(message), "{step}: {err}");
        let config = Config::load(&self.root, &Overrides::default()).unwrap();
        let clean = build::generate(&config)
            .err()
            .expect("clean build fails too");
        assert_eq!(
            err,
            clean.to_string(),
            "{step}: the same errors as a clean build"
        );
    }
}

fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let text = read(root, path);
    assert!(text.contains(from), "{path} has `{from}`");
    write(root, path, &text.replacen(from, to, 1));
}

#[test]
fn any_sequence_of_edits_equals_a_clean_build() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let mut s = Session::new(root);

    let routing = "content/compare/routing/alpha.md";
    edit(
        root,
        routing,
        "A second heading",
        "A changed second heading",
    );
    s.check(&[routing], "edit a body");

    let alpha = "content/frameworks/alpha.md";
    edit(root, alpha, "title: Alpha", "title: Alpha Prime");
    s.check(&[alpha], "edit a framework's title");
    edit(
        root,
        routing,
        "summary: Decorators",
        "summary: Decorated functions",
    );
    s.check(&[routing], "edit a cell's summary");

    let new_cell = "content/compare/orm/beta.md";
    write(
        root,
        new_cell,
        "---\ntitle: ORM in Beta\nframework: beta\ndimension: orm\n---\n\nSee [routing](../routing/beta.md).\n\n```rust\nfn main() { let x: u8 = 1; }\n```\n",
    );
    s.check(&[new_cell], "add a cell with a new language (new classes)");

    std::fs::rename(
        root.join(new_cell),
        root.join("content/compare/orm/gamma.md"),
    )
    .unwrap();
    s.check(&[new_cell, "content/compare/orm/gamma.md"], "rename a cell");
    std::fs::remove_file(root.join("content/compare/orm/gamma.md")).unwrap();
    s.check(&["content/compare/orm/gamma.md"], "delete it");

    let guide = "content/guide/index.md";
    std::fs::rename(root.join(guide), root.join("content/guide/start.md")).unwrap();
    s.check_fails(
        &[guide, "content/guide/start.md"],
        "rename an article others link to",
        "broken link `guide/index.md`",
    );
    edit(
        root,
        "content/_index.md",
        "guide/index.md",
        "guide/start.md",
    );
    s.check(
        &["content/_index.md"],
        "fix the link to the renamed article",
    );

    edit(root, routing, "See [Beta](beta.md)", "See [Beta](betta.md)");
    s.check_fails(&[routing], "add a broken link", "broken link `betta.md`");
    edit(root, routing, "See [Beta](betta.md)", "See [Beta](beta.md)");
    s.check(&[routing], "fix the broken link");

    edit(
        root,
        "content/dimensions/routing.md",
        "## The task",
        "## The job",
    );
    s.check_fails(
        &["content/dimensions/routing.md"],
        "rename a heading a link points at",
        "broken anchor `#the-task`",
    );
    edit(
        root,
        "content/dimensions/routing.md",
        "## The job",
        "## The task",
    );
    s.check(&["content/dimensions/routing.md"], "restore the heading");

    std::fs::create_dir_all(root.join("content/more")).unwrap();
    write(
        root,
        "content/more/a.md",
        "# More A\n\nText [home](../_index.md).\n",
    );
    write(root, "content/more/b.md", "# More B\n\nText.\n");
    s.check(&["content/more"], "add a folder");
    // A title taken from the opening heading is in every page's navigation.
    edit(root, "content/more/b.md", "# More B", "# More B, revised");
    s.check(&["content/more/b.md"], "retitle an article by its heading");
    std::fs::rename(root.join("content/more"), root.join("content/extra")).unwrap();
    s.check(&["content/more", "content/extra"], "rename a folder");
    std::fs::remove_dir_all(root.join("content/extra")).unwrap();
    s.check(&["content/extra"], "delete a folder");

    let page_template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .unwrap();
    let override_path = "themes/default/templates/page.html";
    write(
        root,
        override_path,
        &page_template.replace("{% endblock header %}", "<i>one</i>{% endblock header %}"),
    );
    s.check(&[override_path], "add a template override");
    write(
        root,
        override_path,
        &page_template.replace("{% endblock header %}", "<i>two</i>{% endblock header %}"),
    );
    s.check(&[override_path], "change the template override");
    std::fs::remove_dir_all(root.join("themes")).unwrap();
    s.check(&["themes"], "remove the theme folder");

    edit(
        root,
        "book.toml",
        "title = \"Fixture Handbook\"",
        "title = \"Renamed Handbook\"",
    );
    s.check(&["book.toml"], "change book.toml");
    edit(
        root,
        "book.toml",
        "[build]\n",
        "[build]\nbase-url = \"/handbook/\"\n",
    );
    s.check(&["book.toml"], "change base-url");

    write(root, "static/robots.txt", "User-agent: *\n");
    s.check(&["static/robots.txt"], "add a static file");
}

/// The "X vs Y" pages gather two frameworks' cells: every edit they show must reach them.
#[test]
fn pair_pages_follow_every_edit() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let mut s = Session::new(root);
    let pair = "vs/alpha-beta/index.html";
    let has_pair = |s: &mut Session| {
        let out = s
            .incremental
            .rebuild(&[])
            .unwrap()
            .complete_output()
            .unwrap();
        out.files.contains_key(pair)
    };
    assert!(has_pair(&mut s), "the pair page is built");

    let dimension = "content/dimensions/routing.md";
    edit(
        root,
        dimension,
        "\"typed and validated\"]",
        "\"typed and validated\", \"generated\"]",
    );
    s.check(&[dimension], "lengthen a dimension's scale");
    let cell = "content/compare/routing/alpha.md";
    edit(
        root,
        cell,
        "verdict: decorators, typed params",
        "verdict: decorators",
    );
    s.check(&[cell], "change a cell's verdict");
    edit(root, cell, "level: typed", "level: generated");
    s.check(&[cell], "change its level");
    edit(root, cell, "def user(id: int):", "def user(id: str):");
    s.check(&[cell], "change the sample a pair page shows");
    edit(
        root,
        "content/frameworks/beta.md",
        "title: Beta",
        "title: Beta Two",
    );
    s.check(
        &["content/frameworks/beta.md"],
        "rename a framework of the pair",
    );

    let text = read(root, "book.toml");
    write(
        root,
        "book.toml",
        &format!("{text}\n[compare]\npairs = false\n"),
    );
    s.check(&["book.toml"], "turn the pair pages off");
    assert!(!has_pair(&mut s), "no pair page when they are off");
    write(root, "book.toml", &text);
    s.check(&["book.toml"], "turn them on again");
    assert!(has_pair(&mut s));
}

#[test]
fn unchanged_pages_keep_their_bytes() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let mut incremental = Incremental::new(root, Overrides::default());
    let first = incremental.rebuild(&[]).unwrap();
    let routing = "content/compare/routing/beta.md";
    edit(root, routing, "Back to", "Return to");
    let second = incremental.rebuild(&[root.join(routing)]).unwrap();
    let shared = |path: &str| match (&first.output.files[path], &second.output.files[path]) {
        (FileContent::Bytes(a), FileContent::Bytes(b)) => std::sync::Arc::ptr_eq(a, b),
        _ => panic!("{path} is generated"),
    };
    // The cell, its framework and dimension pages, its two neighbours in reading order.
    assert_eq!(
        second.rendered, 5,
        "{} pages rendered again",
        second.rendered
    );
    // Not shown on the guide, nor on the other dimension's pages: reused as they were.
    assert!(shared("guide/index.html"));
    assert!(shared("compare/orm/alpha/index.html"));
    // The cell itself and the pages that embed it are rendered again.
    assert!(!shared("compare/routing/beta/index.html"));
    assert!(!shared("dimensions/routing/index.html"));
    assert!(!shared("frameworks/beta/index.html"));
}

#[test]
fn the_search_index_follows_every_edit() {
    let dir = copy_fixture("search");
    let root = dir.path();
    let mut s = Session::new(root);
    let cell = "content/compare/middleware/django.md";
    edit(root, cell, "around every view", "around every single view");
    s.check(&[cell], "edit a body");
    edit(
        root,
        cell,
        "## Cross-site request forgery",
        "## Request forgery",
    );
    s.check(&[cell], "rename a heading (a section of the index)");
    edit(
        root,
        cell,
        "title: Middleware in Django",
        "title: Django middleware",
    );
    s.check(&[cell], "edit a title");
    let site = s
        .incremental
        .rebuild(&[])
        .unwrap()
        .complete_output()
        .unwrap();
    let manifest = site
        .get("search/manifest.json")
        .expect("the index is part of the output");
    assert!(String::from_utf8_lossy(manifest).contains("\"docs\""));
}
