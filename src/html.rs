//! Rewriting the start tags of an HTML text, leaving everything else byte for byte.
//!
//! The one-page handbook moves every article onto one page (ids prefixed, links turned into
//! in-page anchors) and the export makes that page self-contained (stylesheets inlined, images
//! turned into `data:` URIs). Both change attributes of tags in HTML that is mostly ours, but may
//! hold a writer's raw HTML too, so attributes are read the way browsers read them: quoted with
//! `"` or `'`, unquoted, or without a value, names in any case. Comments and the raw text of
//! `<script>`, `<style>`, `<textarea>` and `<title>` are copied untouched. Only the tags the
//! caller changes are written anew; the rest of the text is copied as it was.

/// One attribute of a start tag. `value` is decoded (`&amp;` is `&`); `None` for `<input
/// disabled>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub value: Option<String>,
}

/// A start tag, as the caller may change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The element name as written.
    pub name: String,
    pub attributes: Vec<Attribute>,
    /// Written as `<br />`.
    pub self_closing: bool,
}

/// What to do with a tag after the caller has seen it.
pub enum Rewrite {
    /// Copy the tag as it was written.
    Keep,
    /// Write the tag anew from its (changed) name and attributes.
    Update,
    /// Write this instead of the tag.
    Replace(String),
}

impl Tag {
    /// Whether this is a `name` element (case-insensitive).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The value of attribute `name` (case-insensitive), if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .and_then(|a| a.value.as_deref())
    }

    /// Sets attribute `name`, adding it if absent.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = Some(value.into());
        match self
            .attributes
            .iter_mut()
            .find(|a| a.name.eq_ignore_ascii_case(name))
        {
            Some(a) => a.value = value,
            None => self.attributes.push(Attribute {
                name: name.to_string(),
                value,
            }),
        }
    }

    /// Removes attribute `name`.
    pub fn remove(&mut self, name: &str) {
        self.attributes
            .retain(|a| !a.name.eq_ignore_ascii_case(name));
    }

    /// The tag as HTML, values double-quoted and escaped.
    pub fn to_html(&self) -> String {
        let mut out = format!("<{}", self.name);
        for a in &self.attributes {
            out.push(' ');
            out.push_str(&a.name);
            if let Some(v) = &a.value {
                out.push_str("=\"");
                out.push_str(&escape_attribute(v));
                out.push('"');
            }
        }
        out.push_str(if self.self_closing { " />" } else { ">" });
        out
    }
}

/// Calls `edit` on every start tag of `html` and returns the text with the edits applied.
pub fn rewrite_tags(html: &str, mut edit: impl FnMut(&mut Tag) -> Rewrite) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0;
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment
                .find("-->")
                .map_or(html.len(), |end| start + 4 + end + 3);
            continue;
        }
        if !bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let Some((mut tag, end)) = parse_tag(html, start) else {
            break;
        };
        let raw_text = ["script", "style", "textarea", "title"]
            .into_iter()
            .find(|name| tag.is(name));
        match edit(&mut tag) {
            Rewrite::Keep => {}
            Rewrite::Update => {
                out.push_str(&html[copied..start]);
                out.push_str(&tag.to_html());
                copied = end;
            }
            Rewrite::Replace(text) => {
                out.push_str(&html[copied..start]);
                out.push_str(&text);
                copied = end;
            }
        }
        i = match raw_text {
            Some(name) => find_closing(html, end, name),
            None => end,
        };
    }
    out.push_str(&html[copied..]);
    out
}

/// Calls `edit` on the text of every `name` element whose content is raw text (`style`,
/// `script`) and puts back what it returns.
pub fn rewrite_raw_text(html: &str, name: &str, mut edit: impl FnMut(&str) -> String) -> String {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` hold in `html`.
    let lower = html.to_ascii_lowercase();
    let opening = format!("<{}", name.to_ascii_lowercase());
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while let Some(offset) = lower[i..].find(&opening) {
        let start = i + offset;
        let after_name = lower.as_bytes().get(start + opening.len());
        if !after_name.is_some_and(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/') {
            out.push_str(&html[i..start + 1]);
            i = start + 1;
            continue;
        }
        let Some((_, end)) = parse_tag(html, start) else {
            break;
        };
        let close = find_closing(html, end, name);
        out.push_str(&html[i..end]);
        out.push_str(&edit(&html[end..close]));
        i = close;
    }
    out.push_str(&html[i..]);
    out
}

/// Parses the start tag at `start` (which holds `<` and a letter); returns it and the offset
/// just after its `>`, or `None` if the text ends inside the tag.
fn parse_tag(html: &str, start: usize) -> Option<(Tag, usize)> {
    let bytes = html.as_bytes();
    let name_end = scan(bytes, start + 1, |b| {
        !b.is_ascii_whitespace() && b != b'/' && b != b'>'
    });
    let mut tag = Tag {
        name: html[start + 1..name_end].to_string(),
        attributes: Vec::new(),
        self_closing: false,
    };
    let mut k = name_end;
    loop {
        k = scan(bytes, k, |b| b.is_ascii_whitespace());
        match bytes.get(k)? {
            b'>' => return Some((tag, k + 1)),
            b'/' => {
                tag.self_closing = bytes.get(k + 1) == Some(&b'>');
                k += 1;
                continue;
            }
            _ => {}
        }
        tag.self_closing = false;
        let name_start = k;
        k = scan(bytes, k + 1, |b| {
            !b.is_ascii_whitespace() && b != b'=' && b != b'>' && b != b'/'
        });
        let name = html[name_start..k].to_string();
        let after_name = scan(bytes, k, |b| b.is_ascii_whitespace());
        if bytes.get(after_name) != Some(&b'=') {
            tag.attributes.push(Attribute { name, value: None });
            continue;
        }
        k = scan(bytes, after_name + 1, |b| b.is_ascii_whitespace());
        let value = match *bytes.get(k)? {
            quote @ (b'"' | b'\'') => {
                let close = k + 1 + html[k + 1..].find(quote as char)?;
                let value = &html[k + 1..close];
                k = close + 1;
                value
            }
            _ => {
                let end = scan(bytes, k, |b| !b.is_ascii_whitespace() && b != b'>');
                let value = &html[k..end];
                k = end;
                value
            }
        };
        tag.attributes.push(Attribute {
            name,
            value: Some(decode_entities(value)),
        });
    }
}

/// The first offset from `from` whose byte fails `keep` (or the end).
fn scan(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut k = from;
    while k < bytes.len() && keep(bytes[k]) {
        k += 1;
    }
    k
}

/// The offset of `</name` (case-insensitive) from `from`, where raw text ends.
fn find_closing(html: &str, from: usize, name: &str) -> usize {
    let closing = format!("</{name}");
    html[from..]
        .char_indices()
        .filter(|&(_, c)| c == '<')
        .map(|(o, _)| from + o)
        .find(|&o| {
            html.get(o..o + closing.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(&closing))
        })
        .unwrap_or(html.len())
}

/// Decodes the character references that occur in attribute values: the named ones HTML
/// escaping produces, and numeric ones. Anything else is kept as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    decode_entities_into(text, &mut out);
    out
}

/// [`decode_entities`], appending to `out`: for callers that gather text from many pieces.
pub fn decode_entities_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| Some((entity(&rest[1..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The character a reference names (`amp`, `#39`, `#x27`), if it is one we decode.
fn entity(name: &str) -> Option<char> {
    let numeric = |digits: &str, radix| {
        u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
    };
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => match name.strip_prefix('#')? {
            hex if hex.starts_with(['x', 'X']) => numeric(&hex[1..], 16),
            dec => numeric(dec, 10),
        },
    }
}

/// Escapes a value for a double-quoted attribute.
pub fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(html: &str) -> Vec<(String, String, Option<String>)> {
        let mut seen = Vec::new();
        rewrite_tags(html, |tag| {
            for a in &tag.attributes {
                seen.push((tag.name.clone(), a.name.clone(), a.value.clone()));
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
            decode_entities("a&amp;b&#39;c&#x41;&nbsp;&"),
            "a&b'cA&nbsp;&"
        );
    }
}
