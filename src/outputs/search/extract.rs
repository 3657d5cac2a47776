//! Rendered article HTML -> its sections as plain text.
//!
//! The input is the HTML that Markdown rendered for one article (see `markdown::render`), so the
//! markup is ours and regular: headings are `<hN id="...">text<a class="anchor" ...></a></hN>`,
//! code blocks are `<pre ...><code>...</code></pre>`. A section starts at every `h2` and `h3`
//! with an id, so a search result can link to the heading that matched; what comes before the
//! first one is the article's opening section (no anchor). Deeper headings stay inside their
//! section: they are too small to be worth a result of their own.

use crate::util::html::{decode_entities_into, tokens, Token};

/// One section of an article, as plain text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RawSection {
    /// The heading's id, `None` for the opening section.
    pub anchor: Option<String>,
    /// The heading's text, `None` for the opening section.
    pub heading: Option<String>,
    /// Prose (paragraphs, lists, tables, inline code), whitespace collapsed.
    pub text: String,
    /// The text of the section's code blocks.
    pub code: String,
}

/// Elements whose boundaries do not separate words (`wo<em>r</em>d` is one word).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "code", "del", "em", "i", "kbd", "mark", "q", "s", "small", "span",
    "strong", "sub", "sup", "u",
];

/// Where text currently goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sink {
    Text,
    Heading,
    Code,
    /// `<template>`: never searchable (`<script>` and `<style>` are raw text, never read).
    Skip,
}

/// Splits `html` into sections at its `h2`/`h3` headings that carry an id.
pub fn sections(html: &str) -> Vec<RawSection> {
    let mut out = vec![RawSection::default()];
    let mut sink = Sink::Text;
    let mut heading_level = 0u8;
    for (token, _) in tokens(html) {
        match token {
            Token::Text(text) => push_text(&mut out, sink, text),
            Token::RawText(_) | Token::Other(_) => {}
            Token::Start(tag) => {
                let name = tag.name.to_ascii_lowercase();
                match name.as_str() {
                    "h2" | "h3" if sink == Sink::Text => {
                        if let Some(id) = tag.get("id") {
                            out.push(RawSection {
                                anchor: Some(id.to_string()),
                                heading: Some(String::new()),
                                ..RawSection::default()
                            });
                            sink = Sink::Heading;
                            heading_level = name.as_bytes()[1];
                        }
                    }
                    "pre" if sink == Sink::Text => sink = Sink::Code,
                    "template" => sink = Sink::Skip,
                    _ if !INLINE.contains(&name.as_str()) => push_text(&mut out, sink, " "),
                    _ => {}
                }
            }
            Token::End(name) => {
                let name = name.to_ascii_lowercase();
                match name.as_str() {
                    "h2" | "h3" if sink == Sink::Heading && name.as_bytes()[1] == heading_level => {
                        sink = Sink::Text;
                    }
                    "pre" if sink == Sink::Code => {
                        sink = Sink::Text;
                        push_text(&mut out, sink, " ");
                    }
                    "template" if sink == Sink::Skip => sink = Sink::Text,
                    _ if !INLINE.contains(&name.as_str()) => push_text(&mut out, sink, " "),
                    _ => {}
                }
            }
        }
    }
    for section in &mut out {
        section.text = collapse(&section.text);
        section.code = section.code.trim().to_string();
        if let Some(h) = &mut section.heading {
            *h = collapse(h);
        }
    }
    out.retain(|s| s.anchor.is_some() || !s.text.is_empty() || !s.code.is_empty());
    out
}

fn push_text(out: &mut [RawSection], sink: Sink, raw: &str) {
    let Some(section) = out.last_mut() else {
        return;
    };
    let target = match sink {
        Sink::Text => &mut section.text,
        Sink::Code => &mut section.code,
        Sink::Heading => section.heading.get_or_insert_with(String::new),
        Sink::Skip => return,
    };
    decode_entities_into(raw, target);
}

/// Runs of whitespace become one space; no space at either end.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_h2_and_h3_with_ids_and_keeps_deeper_headings_inside() {
        let html = "<p>Intro <em>te</em>xt.</p>\n\
            <h2 id=\"setup\">Set <code>up</code><a class=\"anchor\" href=\"#setup\" aria-label=\"Link to this section\"></a></h2>\n\
            <p>One</p><h4 id=\"deep\">Deep</h4><p>two</p>\n\
            <h3 id=\"more\">More &amp; more</h3><ul><li>a</li><li>b</li></ul>\n";
        let s = sections(html);
        assert_eq!(s.len(), 3);
        assert_eq!(
            (s[0].anchor.as_deref(), s[0].text.as_str()),
            (None, "Intro text.")
        );
        assert_eq!(s[1].anchor.as_deref(), Some("setup"));
        assert_eq!(s[1].heading.as_deref(), Some("Set up"));
        assert_eq!(s[1].text, "One Deep two");
        assert_eq!(s[2].heading.as_deref(), Some("More & more"));
        assert_eq!(s[2].text, "a b");
    }

    #[test]
    fn code_blocks_are_kept_apart_from_prose() {
        let html = "<p>Use <code>app.get</code>:</p><pre class=\"hl-code\"><code><span class=\"h-1\">app</span>.get(&quot;/&quot;)</code></pre><p>done</p>";
        let s = sections(html);
        assert_eq!(s[0].text, "Use app.get: done");
        assert_eq!(s[0].code, "app.get(\"/\")");
    }

    #[test]
    fn entities_are_decoded_and_scripts_skipped() {
        let html = "<p>&lt;img src=x&gt; &#39;a&#x27; &bogus; a&b</p><script>var x = 1;</script><p>end</p>";
        assert_eq!(sections(html)[0].text, "<img src=x> 'a' &bogus; a&b end");
    }

    #[test]
    fn an_empty_body_has_no_sections() {
        assert!(sections("").is_empty());
        assert!(sections("<p> </p>").is_empty());
    }
}
