//! Property tests: arbitrary input through every parser of the pipeline. None may panic, and
//! where a property exists beyond "no panic" it is checked. Case counts are modest so that
//! `cargo test` stays quick; `PROPTEST_CASES=20000 cargo test --release --test properties`
//! runs a long campaign (and `fuzz/` has cargo-fuzz targets for nightly toolchains).

mod common;
use common::*;

use handbook::content::frontmatter;
use handbook::util::{html, url};
use handbook::{Config, Overrides};
use proptest::prelude::*;

/// `PROPTEST_CASES` when set (a long campaign), else `default`; whole builds run a tenth of it.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Text that looks like what the parsers meet: Markdown and YAML punctuation, HTML, escapes,
/// multi-byte characters, line ends, controls.
fn markup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "---\n",
        "title: A\n",
        "framework: a\n",
        "facts:\n  x: [1, 2]\n",
        "- ",
        "* ",
        "# ",
        "## ",
        "> ",
        "```\n",
        "```python\n",
        "~~~",
        "[",
        "]",
        "(",
        ")",
        "![",
        "[^1]",
        "[^1]: n\n",
        "*",
        "_",
        "`",
        "<",
        ">",
        "&",
        "&eacute;",
        "&#x41;",
        "&#99999999;",
        "%",
        "%2F",
        "%aé",
        "é",
        "日本",
        "\u{0}",
        "\t",
        "\r\n",
        "\n",
        "\n\n",
        " ",
        "a",
        "b.md",
        "../",
        "@/",
        "#x",
        "http://x",
        "javascript:",
        "<a href=\"x\">",
        "<img src=x>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "{#id}",
        "|",
        "|---|",
        "{{",
        "}}",
        "\u{feff}",
        "\\",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    #[test]
    fn front_matter_splits_back_into_the_same_text(text in markup()) {
        if let Ok(split) = frontmatter::split(&text) {
            // The body is the file's tail, and the YAML lies inside the text.
            prop_assert!(text.ends_with(split.body));
            prop_assert!(text.contains(split.yaml));
            let _ = frontmatter::parse(&split);
        }
    }

    #[test]
    fn urls_decode_anything_and_round_trip(text in ".*", path in "[a-z0-9 #?%é/._-]{0,30}") {
        let _ = url::decode(&text);
        let _ = url::scheme(&text);
        prop_assert_eq!(url::decode(&url::encode_path(&path)), path);
    }

    #[test]
    fn the_tag_rewriter_keeps_what_it_does_not_change(text in markup()) {
        prop_assert_eq!(html::rewrite_tags(&text, |_| html::Rewrite::Keep), text.clone());
        let _ = html::rewrite_tags(&text, |_| html::Rewrite::Update);
        let _ = html::decode_entities(&text);
    }

    #[test]
    fn book_toml_never_panics(text in markup()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let _ = Config::parse(dir.path(), &dir.path().join("book.toml"), &text, &Overrides::default());
    }
}

proptest! {
    // Whole builds are slower: fewer cases, each a handbook with an arbitrary article.
    #![proptest_config(ProptestConfig::with_cases(cases(480) / 10))]

    #[test]
    fn any_article_builds_or_fails_with_a_message(body in markup(), front in markup()) {
        let dir = copy_fixture("good");
        let root = dir.path();
        write(root, "content/guide/fuzz.md", &format!("---\ntitle: Fuzz\n---\n{body}"));
        write(root, "content/guide/raw.md", &front);
        let out = handbook(&["build"], root);
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0) | Some(1)), "exit {:?}: {}", code, stderr(&out));
        if code == Some(1) {
            prop_assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
        } else {
            // Ids on a page are unique.
            let page = read(root, "public/guide/fuzz/index.html");
            let ids: Vec<&str> = page.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            prop_assert_eq!(unique.len(), ids.len(), "duplicate ids in {}", page);
        }
    }
}
