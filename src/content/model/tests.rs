use super::*;
use crate::content::frontmatter::FrontMatter;
use std::sync::Arc;

fn source(rel: &str, yaml: &str) -> Source {
    let text = format!("---\n{yaml}\n---\nbody\n");
    let split = crate::content::frontmatter::split(&text).unwrap();
    let front: FrontMatter = crate::content::frontmatter::parse(&split).unwrap();
    let yaml_range = 4..4 + yaml.len() + 1;
    Source {
        rel: rel.into(),
        file: format!("content/{rel}").into(),
        title: front.title.clone().unwrap_or_else(|| rel.into()),
        front,
        yaml: yaml_range,
        yaml_line: 2,
        body: text.len() - 5..text.len(),
        text: Arc::from(text),
    }
}

fn model(sources: Vec<Source>) -> Result<Model, Vec<Diagnostic>> {
    Model::build(Loaded {
        sources: sources.into_iter().map(std::sync::Arc::new).collect(),
        ..Loaded::default()
    })
}

#[test]
fn urls_mirror_paths() {
    assert_eq!(
        url_path(&source("compare/routing/django.md", "title: x")),
        "compare/routing/django/"
    );
    assert_eq!(url_path(&source("_index.md", "title: x")), "");
    assert_eq!(url_path(&source("guide/index.md", "title: x")), "guide/");
    assert_eq!(url_path(&source("a/b.md", "title: x\nslug: c")), "a/c/");
}

#[test]
fn builds_the_matrix_in_weight_order() {
    let m = model(vec![
        source("f/a.md", "title: A\nframework: a\nweight: 2"),
        source("f/b.md", "title: B\nframework: b\nweight: 1"),
        source("d/x.md", "title: X\ndimension: x"),
        source("c/x/a.md", "title: AX\nframework: a\ndimension: x"),
        source("_index.md", "title: Home"),
    ])
    .unwrap();
    assert_eq!(
        m.frameworks
            .iter()
            .map(|f| f.slug.as_str())
            .collect::<Vec<_>>(),
        ["b", "a"]
    );
    let cell = m.cell(1, 0).unwrap();
    assert_eq!(
        m.pages[cell].kind,
        Kind::Cell {
            framework: 1,
            dimension: 0
        }
    );
    assert_eq!(m.cell(0, 0), None);
    assert_eq!(m.pages[m.home.unwrap()].kind, Kind::Home);
    // home, dimension x, its cell, frameworks b and a
    assert_eq!(m.reading_order.len(), 5);
}

#[test]
fn unknown_slug_suggests() {
    let errors = model(vec![
        source("f/django.md", "title: D\nframework: django"),
        source("d/r.md", "title: R\ndimension: routing"),
        source("c/r/d.md", "title: C\nframework: djang\ndimension: routing"),
    ])
    .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "unknown framework `djang`");
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `django`?"));
    assert_eq!(errors[0].line, 3);
}

#[test]
fn duplicates_are_errors() {
    let errors = model(vec![
        source("f/a.md", "title: A\nframework: a"),
        source("f/a2.md", "title: A2\nframework: a"),
        source("d/x.md", "title: X\ndimension: x"),
        source("c/1.md", "title: 1\nframework: a\ndimension: x"),
        source("c/2.md", "title: 2\nframework: a\ndimension: x"),
    ])
    .unwrap_err();
    let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages.contains(&"framework `a` is declared twice"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"a second cell for framework `a` x dimension `x`"),
        "{messages:?}"
    );
}

fn matrix_with(dim_yaml: &str, cell_yaml: &str) -> Result<Model, Vec<Diagnostic>> {
    model(vec![
        source("f/django.md", "title: D\nframework: django"),
        source(
            "d/auth.md",
            &format!("title: Auth\ndimension: auth\n{dim_yaml}"),
        ),
        source(
            "c/auth/django.md",
            &format!("title: C\nframework: django\ndimension: auth\n{cell_yaml}"),
        ),
    ])
}

#[test]
fn verdicts_and_levels_are_optional_and_checked() {
    let scale = "scale: [\"package\", \"built in\"]";
    assert!(matrix_with("", "").is_ok());
    assert!(matrix_with(scale, "verdict: sessions + permissions\nlevel: built in").is_ok());
    let e = matrix_with(scale, "level: builtin").unwrap_err();
    assert_eq!(e[0].message, "unknown level `builtin`");
    assert_eq!(e[0].help.as_deref(), Some("did you mean `built in`?"));
    assert_eq!(e[0].line, 5);
    let e = matrix_with("", "level: built in").unwrap_err();
    assert!(e[0].message.contains("has no `scale`"), "{}", e[0].message);
    let long = "x".repeat(MAX_VERDICT_CHARS + 1);
    let e = matrix_with(scale, &format!("verdict: {long}")).unwrap_err();
    assert!(
        e[0].message.contains("1 to 40 characters"),
        "{}",
        e[0].message
    );
}

#[test]
fn scales_have_two_to_five_distinct_levels() {
    let e = matrix_with("scale: [\"only\"]", "").unwrap_err();
    assert!(e[0].message.contains("2 to 5 levels"), "{}", e[0].message);
    let e = matrix_with("scale: [a, b, a]", "").unwrap_err();
    assert_eq!(e[0].message, "the level `a` is listed twice");
    let e = matrix_with("", "scale: [a, b]").unwrap_err();
    assert!(e[0]
        .message
        .contains("only applies to a page that declares a dimension"));
}

#[test]
fn cell_keys_stay_on_cells() {
    let e = model(vec![source(
        "f/a.md",
        "title: A\nframework: a\nverdict: fast",
    )])
    .unwrap_err();
    assert!(e[0].message.starts_with("`verdict` only applies to a cell"));
}

#[test]
fn reviewed_is_a_calendar_date() {
    assert_eq!(parse_date("2026-02-28"), Some((2026, 2, 28)));
    assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
    for bad in [
        "2026-02-29",
        "2026-13-01",
        "2026-1-01",
        "26-01-01",
        "2026-01-0x",
        "2026/01/01",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
    let e = model(vec![source("a.md", "title: A\nreviewed: 2026-02-30")]).unwrap_err();
    assert_eq!(e[0].message, "`2026-02-30` is not a date");
}
