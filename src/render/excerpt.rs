//! Where an embedded cell's excerpt ends: a framework or dimension page shows the opening of
//! each cell it gathers, cut at a paragraph or heading boundary found by the HTML layer.

use crate::util::html::{tokens, Token};

/// Where an excerpt of rendered HTML ends: after its second paragraph, or before the first
/// heading that follows a paragraph, whichever comes first; `None` when nothing would be cut.
pub fn excerpt_end(html: &str) -> Option<usize> {
    let mut paragraphs = 0;
    let mut end = None;
    for (token, span) in tokens(html) {
        match token {
            Token::End(name) if name.eq_ignore_ascii_case("p") => {
                paragraphs += 1;
                if paragraphs == 2 {
                    // The line break after the paragraph stays with it.
                    let newline = usize::from(html[span.end..].starts_with('\n'));
                    end = Some(span.end + newline);
                    break;
                }
            }
            // A heading before the first paragraph opens the text; the excerpt keeps it.
            Token::Start(tag) if paragraphs > 0 && (tag.is("h2") || tag.is("h3")) => {
                end = Some(span.start);
                break;
            }
            _ => {}
        }
    }
    let end = end?;
    (end < html.trim_end().len()).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::excerpt_end;

    #[test]
    fn excerpts_stop_at_the_second_paragraph_or_the_first_heading() {
        let html = "<p>a</p>\n<p>b</p>\n<p>c</p>\n";
        assert_eq!(&html[..excerpt_end(html).unwrap()], "<p>a</p>\n<p>b</p>\n");
        let html = "<p>a</p>\n<h2 id=\"x\">X</h2>\n<p>b</p>\n";
        assert_eq!(&html[..excerpt_end(html).unwrap()], "<p>a</p>\n");
        assert_eq!(excerpt_end("<p>a</p>\n<p>b</p>\n"), None, "nothing to cut");
        let html = "<h2 id=\"x\">X</h2>\n<p>a</p>\n<h2 id=\"y\">Y</h2>\n";
        assert_eq!(
            &html[..excerpt_end(html).unwrap()],
            "<h2 id=\"x\">X</h2>\n<p>a</p>\n"
        );
    }
}
