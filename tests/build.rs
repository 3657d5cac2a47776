//! `handbook build` on the good fixture: what a reader of the built site sees.

mod common;
use common::*;

fn built() -> tempfile::TempDir {
    let dir = copy_fixture("good");
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    dir
}

#[test]
fn writes_every_page_at_its_url() {
    let dir = built();
    let public = dir.path().join("public");
    for page in [
        "index.html",
        "frameworks/alpha/index.html",
        "frameworks/beta/index.html",
        "dimensions/routing/index.html",
        "dimensions/orm/index.html",
        "compare/routing/alpha/index.html",
        "compare/routing/beta/index.html",
        "compare/orm/alpha/index.html",
        "guide/index.html",
        "guide/diagram.svg",
        "404.html",
        ".nojekyll",
        "sitemap.xml",
        "CNAME",
    ] {
        assert!(public.join(page).exists(), "{page} missing");
    }
    let assets: Vec<String> = std::fs::read_dir(public.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        assets.iter().any(|a| a.starts_with("style.")
            && a.ends_with(".css")
            && a.len() > "style.css".len() + 5),
        "{assets:?}"
    );
    assert!(
        assets.iter().any(|a| a.starts_with("highlight-dark.")),
        "{assets:?}"
    );
}

#[test]
fn home_has_the_matrix() {
    let dir = built();
    let home = read(dir.path(), "public/index.html");
    // A cell shows its verdict and its level (a bar and a tint, two thirds up the scale); the
    // level and the summary follow in the link, shown on hover and focus.
    assert!(
        home.contains(r#"<td data-fw="Alpha" style=--lv:.67><a href="/compare/routing/alpha/">decorators, typed params<small> (typed): Decorators bind paths to functions.</small></a>"#),
        "{home}"
    );
    // Without a verdict, the summary's opening stands in for it, cut at a word.
    assert!(
        home.contains(r#"<a href="/compare/routing/beta/">The standard library mux matches…<small>: The standard library mux matches methods and wildcards.</small>"#),
        "{home}"
    );
    // The dimension's scale is the row's legend, lowest first.
    assert!(
        home.contains(r#"<ol class="legend"><li style=--lv:.33>strings, by hand<li style=--lv:.67>typed<li style=--lv:1>typed and validated</ol>"#),
        "{home}"
    );
    assert!(home.contains(r#"href="/compare/routing/beta/""#));
    assert!(home.contains(r#"href="/compare/orm/alpha/""#));
    assert!(
        home.contains(r#"class="empty""#),
        "beta x orm is not written and shows as empty"
    );
    assert!(home.contains(r#"<a href="/frameworks/beta/">Beta</a>"#));
    assert!(
        home.contains(r#"<a href="/dimensions/orm/">ORM</a>"#),
        "title from the BOM + CRLF file"
    );
}

#[test]
fn framework_page_shows_its_cells_in_dimension_order() {
    // (Cells are embedded as prose; their code stays on the cell page, linked.)
    let dir = built();
    let html = read(dir.path(), "public/frameworks/alpha/index.html");
    let routing = html
        .find(r#"<h2 id="routing"><a href="/compare/routing/alpha/">Routing</a>"#)
        .expect("routing section");
    let orm = html
        .find(r#"<h2 id="orm"><a href="/compare/orm/alpha/">ORM</a>"#)
        .expect("orm section");
    assert!(routing < orm);
    // The page's own "Routing" heading may not take the section's id.
    assert!(html.contains(r#"<h2 id="routing-1">Routing"#), "{html}");
    // Embedded cells get prefixed ids, so the page has no duplicates.
    assert!(html.contains(r#"id="routing--path-parameters""#));
    assert_unique_ids(&html);
}

#[test]
fn dimension_page_has_tabs_of_every_framework() {
    let dir = built();
    let html = read(dir.path(), "public/dimensions/routing/index.html");
    assert!(html.contains(r#"role="tab" id="hb-tab-alpha""#));
    assert!(html.contains(r#"role="tab" id="hb-tab-beta""#));
    assert!(html.contains(r#"data-lang="go""#) && html.contains(r#"data-lang="python""#));
    assert_eq!(
        html.matches(r#"data-lang="python""#).count(),
        1,
        "the tab sample is not repeated in the cell below"
    );
    assert_unique_ids(&html);
}

#[test]
fn markdown_features() {
    let dir = built();
    let cell = read(dir.path(), "public/compare/routing/alpha/index.html");
    // Heading ids, de-duplicated, with anchor links, and a table of contents.
    assert!(cell.contains(
        r##"<h2 id="path-parameters">Path parameters<a class="anchor" href="#path-parameters""##
    ));
    assert!(cell.contains(r#"<h2 id="path-parameters-1">"#));
    assert!(cell.contains(
        r##"<li class="toc-level-2"><a href="#path-parameters-1">Path parameters</a></li>"##
    ));
    // Highlighted into classes.
    let pre = &cell[cell
        .find(r#"<pre class="hl-code" data-lang="python"><code class="language-python">"#)
        .expect("python block")..];
    assert!(
        pre[..pre.find("</pre>").unwrap()].contains(r#"<span class="c"#),
        "tokens get highlight classes"
    );
    // Links rewritten to URLs, with anchors.
    assert!(cell.contains(r#"href="/compare/routing/beta/""#));
    assert!(
        cell.contains(r#"href="/compare/orm/alpha/" title="Alpha&#39;s ORM""#)
            || cell.contains(r#"href="/compare/orm/alpha/" title="Alpha's ORM""#),
        "{cell}"
    );
    assert!(cell.contains(r##"href="/dimensions/routing/#the-task""##));
    // Content is never run through the template engine.
    assert!(cell.contains("{{ literal }}") && cell.contains("{% if x %}"));
    assert!(
        text_of(&cell).contains(r#""template": "{{ id }}""#),
        "code keeps template syntax"
    );

    let orm = read(dir.path(), "public/compare/orm/alpha/index.html");
    assert!(orm.contains("<table>") && orm.contains("<del>Deprecated</del>"));
    assert!(orm.contains(r#"type="checkbox""#));
    assert!(orm.contains(r##"<a href="#hb-fn-n">1</a>"##) && orm.contains(r#"<li id="hb-fn-n">"#));
    assert!(
        orm.contains("graph TD; A--&gt;B;"),
        "unknown languages are escaped plain text"
    );

    let guide = read(dir.path(), "public/guide/index.html");
    assert!(guide.contains("<h1 class=\"page-title\">The guide</h1>"));
    assert!(guide.contains(r#"src="/guide/diagram.svg""#));
}

#[test]
fn sitemap_and_canonical_use_site_url() {
    let dir = built();
    let sitemap = read(dir.path(), "public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/fixture/compare/routing/alpha/</loc>"),
        "{sitemap}"
    );
    let page = read(dir.path(), "public/frameworks/beta/index.html");
    assert!(page
        .contains(r#"<link rel="canonical" href="https://example.org/fixture/frameworks/beta/">"#));
}

#[test]
fn site_url_flag_overrides_the_config() {
    let dir = copy_fixture("good");
    let out = handbook(
        &[
            "build",
            "--site-url",
            "https://user.github.io/repo/",
            "--base-url",
            "/repo/",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sitemap = read(dir.path(), "public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://user.github.io/repo/compare/routing/alpha/</loc>"),
        "{sitemap}"
    );
    let bad = handbook(&["build", "--site-url", "user.github.io/repo"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("not an absolute URL"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn base_url_prefixes_every_internal_url() {
    let dir = copy_fixture("good");
    let out = handbook(&["build", "--base-url", "/handbook/"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let public = dir.path().join("public");
    for file in html_files(&public) {
        let html = std::fs::read_to_string(&file).unwrap();
        for url in urls(&html) {
            let ok = url.starts_with("/handbook/")
                || url.starts_with('#')
                || url.starts_with("https://")
                || url.starts_with("http://");
            assert!(ok, "{}: {url}", file.display());
        }
    }
}

#[test]
fn script_in_a_title_is_escaped_everywhere() {
    let dir = copy_fixture("good");
    let evil = "<script>alert(1)</script>";
    let path = dir.path().join("content/frameworks/beta.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("title: Beta", &format!("title: \"Beta {evil}\""));
    std::fs::write(&path, text).unwrap();
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let public = dir.path().join("public");
    let mut seen = 0;
    for file in html_files(&public) {
        let html = std::fs::read_to_string(&file).unwrap();
        assert!(
            !html.contains(evil),
            "{} contains the raw script",
            file.display()
        );
        seen += html
            .matches("Beta &lt;script&gt;alert(1)&lt;/script&gt;")
            .count();
    }
    assert!(
        seen > 5,
        "the escaped title appears across the site ({seen})"
    );
}

#[test]
fn check_writes_nothing() {
    let dir = copy_fixture("good");
    let out = handbook(&["check"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.path().join("public").exists());
}

#[test]
fn check_warns_about_pages_not_reviewed_for_too_long() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let cell = "content/compare/routing/alpha.md";
    let text = read(root, cell);
    write(
        root,
        cell,
        &text.replacen("---\n", "---\nreviewed: 2001-01-01\n", 1),
    );
    let fresh = "content/compare/routing/beta.md";
    let text = read(root, fresh);
    write(
        root,
        fresh,
        &text.replacen("---\n", "---\nreviewed: 2999-01-01\n", 1),
    );
    let out = handbook(&["check"], root);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("warning"),
        "no limit set, no warning"
    );

    let config = read(root, "book.toml");
    write(
        root,
        "book.toml",
        &config.replacen("[book]\n", "[book]\nreview-max-age-days = 180\n", 1),
    );
    let out = handbook(&["check"], root);
    assert!(
        out.status.success(),
        "a warning is not an error: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("warning:") && err.contains("alpha.md: reviewed 2001-01-01"),
        "{err}"
    );
    assert!(!err.contains("beta.md"), "{err}");

    let out = handbook(&["build"], root);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(root, "public/compare/routing/alpha/index.html");
    assert!(
        page.contains(r#"Reviewed <time datetime="2001-01-01">1 January 2001</time>"#),
        "{page}"
    );
}

#[test]
fn builds_are_deterministic() {
    let dir = built();
    let first = snapshot(&dir.path().join("public"));
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success());
    let second = snapshot(&dir.path().join("public"));
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&first), names(&second));
    for (a, b) in first.iter().zip(&second) {
        assert!(a.1 == b.1, "{} differs between two builds", a.0);
    }
}

#[test]
fn out_flag_and_drafts() {
    let dir = copy_fixture("good");
    write(
        dir.path(),
        "content/guide/wip.md",
        "---\ntitle: Work in progress\ndraft: true\n---\ntext\n",
    );
    let target = dir.path().join("elsewhere");
    let out = handbook(&["build", "--out", target.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(target.join("index.html").exists() && !target.join("guide/wip/index.html").exists());
    let out = handbook(&["build", "--drafts"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("public/guide/wip/index.html").exists());
}

#[test]
fn init_scaffolds_a_handbook_that_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("new");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["init"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(handbook(&["check"], &root).status.success());
    let out = handbook(&["build"], &root);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root.join("public/dimensions/routing/index.html").exists());
    let ignored = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    for entry in ["public/", ".public.*", ".handbook-cache/"] {
        assert!(ignored.lines().any(|l| l == entry), "{entry} in .gitignore");
    }
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["init"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "init refuses to overwrite");
}

fn assert_unique_ids(html: &str) {
    let mut seen = std::collections::HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let end = rest.find('"').unwrap();
        let id = &rest[..end];
        assert!(seen.insert(id.to_string()), "duplicate id {id}");
        rest = &rest[end..];
    }
}

/// The text of an HTML fragment with its tags removed (entities kept).
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn pair_pages_compare_two_frameworks_and_can_be_turned_off() {
    let dir = copy_fixture("good");
    let root = dir.path();
    let cell = "content/compare/routing/beta.md";
    let text = read(root, cell);
    write(
        root,
        cell,
        &text.replacen(
            "---\n",
            "---\nverdict: a route table\nlevel: strings, by hand\n",
            1,
        ),
    );
    let out = handbook(&["build"], root);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(root, "public/vs/alpha-beta/index.html");
    assert!(
        page.contains("<title>Alpha vs Beta · Fixture Handbook</title>"),
        "{page}"
    );
    assert!(
        page.contains("They differ most on Routing (typed vs strings, by hand)."),
        "the description names the level gap: {page}"
    );
    assert!(page.contains(r#"<a href="/compare/routing/alpha/">decorators, typed params</a>"#));
    assert!(page.contains(r#"<a href="/compare/routing/beta/">a route table</a>"#));
    assert!(page.contains("Not written yet."), "beta has no orm cell");
    let framework = read(root, "public/frameworks/alpha/index.html");
    assert!(framework.contains(r#"Compare Alpha with <a href="/vs/alpha-beta/">Beta</a>"#));
    let sitemap = read(root, "public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/fixture/vs/alpha-beta/</loc>"));
    assert!(!read(root, "public/print.html").contains("vs/alpha-beta"));

    let config = read(root, "book.toml");
    write(
        root,
        "book.toml",
        &format!("{config}\n[compare]\npairs = false\n"),
    );
    let out = handbook(&["build"], root);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!root.join("public/vs").exists());
    let framework = read(root, "public/frameworks/alpha/index.html");
    assert!(!framework.contains("/vs/"));
    assert!(!read(root, "public/sitemap.xml").contains("/vs/"));
}

#[test]
fn a_content_folder_named_vs_is_refused() {
    let dir = copy_fixture("good");
    let root = dir.path();
    write(root, "content/vs/index.md", "# Versus\n\nText.\n");
    let out = handbook(&["build"], root);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("vs"), "{}", stderr(&out));
}

#[test]
fn matrix_json_describes_the_comparison() {
    let dir = built();
    let json: serde_json::Value =
        serde_json::from_str(&read(dir.path(), "public/matrix.json")).expect("valid JSON");
    assert_eq!(json["version"], 1);
    let slugs = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["slug"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(slugs("frameworks"), ["alpha", "beta"]);
    let dimensions = slugs("dimensions");
    assert!(dimensions.contains(&"routing".to_string()));
    let cells = json["cells"].as_array().unwrap();
    assert!(!cells.is_empty());
    for cell in cells {
        let framework = cell["framework"].as_str().unwrap();
        let dimension = cell["dimension"].as_str().unwrap();
        assert!(slugs("frameworks").iter().any(|s| s == framework));
        let d = json["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["slug"] == dimension)
            .expect("the cell's dimension is declared");
        if let Some(level) = cell["level"].as_str() {
            assert!(
                d["scale"].as_array().unwrap().iter().any(|l| l == level),
                "{level} is on {dimension}'s scale"
            );
        }
        // With site-url set, every URL is absolute and names a page of the built site.
        let url = cell["url"].as_str().unwrap();
        let path = url
            .strip_prefix("https://example.org/fixture/")
            .unwrap_or_else(|| panic!("{url} is absolute"));
        assert!(
            dir.path()
                .join("public")
                .join(path)
                .join("index.html")
                .is_file(),
            "{url}"
        );
    }
    let alpha_routing = cells
        .iter()
        .find(|c| c["framework"] == "alpha" && c["dimension"] == "routing")
        .unwrap();
    assert!(alpha_routing["title"].is_string() && alpha_routing.get("verdict").is_some());
}

/// A sample is a span of its body's HTML, not a copy: it must be exactly the highlighted block,
/// in order, after the short class names were given.
#[test]
fn samples_are_spans_of_their_body() {
    let dir = copy_fixture("good");
    let config = handbook::Config::load(dir.path(), &handbook::Overrides::default()).unwrap();
    let generated = handbook::build::generate(&config).unwrap();
    let mut seen = 0;
    for body in &generated.rendered {
        let mut end = 0;
        for sample in &body.samples {
            let html = body.sample_html(sample);
            assert!(html.starts_with("<pre class=\"hl-code\""), "{html}");
            assert!(html.ends_with("</pre>\n"), "{html}");
            assert!(sample.span.start >= end, "in order");
            assert!(!html.contains("class=\"h-"), "renamed: {html}");
            end = sample.span.end;
            seen += 1;
        }
    }
    assert!(seen >= 3, "the fixture has samples: {seen}");
}

/// A page that shows highlighted code links the highlight stylesheets, in a writing build too
/// (which drops each body's list of classes once the site's are counted); one without code
/// does not.
#[test]
fn pages_with_highlighted_code_link_the_highlight_stylesheets() {
    let dir = copy_fixture("good");
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (mut with, mut without) = (0, 0);
    for (path, bytes) in snapshot(&dir.path().join("public")) {
        if !path.ends_with("index.html") || path.starts_with("vs/") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let highlighted = html.split("<pre class=\"hl-code\"").skip(1).any(|block| {
            block
                .split("</pre>")
                .next()
                .unwrap()
                .contains("<span class=\"")
        });
        let linked = html.contains("data-hl=\"light\"");
        // A dimension page links them for its cells' samples even where excerpts cut them.
        if path.starts_with("dimensions/") {
            assert!(linked || !highlighted, "{path}");
        } else {
            assert_eq!(linked, highlighted, "{path}");
        }
        if highlighted {
            with += 1;
        } else {
            without += 1;
        }
    }
    assert!(
        with >= 2 && without >= 2,
        "{with} pages with code, {without} without"
    );
}
