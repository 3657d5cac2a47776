use super::*;

fn attrs(html: &str) -> Vec<(String, String, Option<String>)> {
    let mut seen = Vec::new();
    rewrite_tags(html, |tag| {
        for a in &tag.attributes {
            seen.push((
                tag.name.to_string(),
                a.name().to_string(),
                a.value().map(str::to_string),
            ));
        }
        Rewrite::Keep
    });
    seen
}

#[test]
fn reads_attributes_as_browsers_do() {
    let found =
        attrs("<a href=\"/x/?a=1&amp;b=2\" class='c d' data-n=3 hidden>t</a><IMG SRC=i.png/>");
    let expected = [
        ("a", "href", Some("/x/?a=1&b=2")),
        ("a", "class", Some("c d")),
        ("a", "data-n", Some("3")),
        ("a", "hidden", None),
        ("IMG", "SRC", Some("i.png/")),
    ];
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for (f, e) in found.iter().zip(expected) {
        assert_eq!((f.0.as_str(), f.1.as_str(), f.2.as_deref()), e);
    }
}

#[test]
fn skips_comments_text_and_raw_text() {
    let html = "<!-- <a href=\"c\"> --><p>1 &lt; 2 <b>x</b></p><script>if (a <b) {}</script><style>a[href=\"s\"]{}</style><i id=\"z\">";
    let names: Vec<String> = attrs(html).into_iter().map(|(t, _, _)| t).collect();
    assert_eq!(names, ["i"]);
}

#[test]
fn rewrites_only_changed_tags() {
    let html = "<p class=x>keep  <a  href='/a/' title=\"T\">a</a><br/></p>";
    let out = rewrite_tags(html, |tag| {
        if tag.is("a") {
            tag.set("href", "#a\"b");
            tag.remove("title");
            Rewrite::Update
        } else if tag.is("br") {
            Rewrite::Replace("<br>".into())
        } else {
            Rewrite::Keep
        }
    });
    assert_eq!(out, "<p class=x>keep  <a href=\"#a&quot;b\">a</a><br></p>");
}

#[test]
fn keeps_unchanged_attributes_as_written() {
    let html = "<img title=\"caf&eacute;\" alt='x' src=a.png>";
    let out = rewrite_tags(html, |tag| {
        assert_eq!(tag.get("title"), Some("café"));
        tag.set("src", "data:");
        Rewrite::Update
    });
    assert_eq!(out, "<img title=\"caf&eacute;\" alt='x' src=\"data:\">");
}

#[test]
fn survives_broken_html() {
    for html in ["<a href=\"x", "<a", "a < b", "<!-- open", "<p>x</p><"] {
        assert_eq!(rewrite_tags(html, |_| Rewrite::Update), html);
    }
}

#[test]
fn rewrites_raw_text() {
    let html = "<style>a{}</style><styles><STYLE media=print>b{}</STYLE>";
    let out = rewrite_raw_text(html, "style", |css| css.to_uppercase());
    assert_eq!(
        out,
        "<style>A{}</style><styles><STYLE media=print>B{}</STYLE>"
    );
}

#[test]
fn decodes_entities() {
    assert_eq!(
        decode_entities("a&amp;b&#39;c&#x41;&nbsp;&eacute;&"),
        "a&b'cA\u{a0}é&"
    );
}

#[test]
fn prefixes_ids_in_tags_only() {
    let html = r##"<h2 id="a"><a href="#a"></a></h2><a href="/x/">y</a><pre><code>x id="q" href="#z"</code></pre>"##;
    assert_eq!(
        prefix_ids(html, "p--"),
        r##"<h2 id="p--a"><a href="#p--a"></a></h2><a href="/x/">y</a><pre><code>x id="q" href="#z"</code></pre>"##
    );
}

#[test]
fn tokens_cover_the_text() {
    for html in [
        "<p>a &amp; b</p><!-- c --><script>if (a<b) {}</script></x>",
        "a < b <",
        "<a href='x",
        "</",
    ] {
        let joined: String = tokens(html).map(|(_, span)| &html[span]).collect();
        assert_eq!(joined, html);
    }
    assert_eq!(text_of("<p>a &lt; b<script>x</script></p>"), "a < b");
}

#[test]
fn slugs() {
    assert_eq!(slugify("Hello, World!"), "hello-world");
    assert_eq!(slugify("  N+1 & eager loading "), "n-1-eager-loading");
    assert_eq!(slugify("Über Café"), "über-café");
    assert_eq!(slugify("!!!"), "");
}
