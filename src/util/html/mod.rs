//! The one HTML layer: escaping, entity decoding, and a tokenizer over rendered HTML that every
//! edit and every reading of it goes through.
//!
//! Rendered pages are mostly ours but may hold a writer's raw HTML, so the tokenizer reads tags
//! the way browsers do: attribute values quoted with `"` or `'`, unquoted, or absent; names in
//! any case; comments and the raw text of `<script>` and `<style>` skipped over, `<textarea>`
//! and `<title>` read as text. Entities are decoded with the full HTML5 table (the `htmlize`
//! crate). An edit ([`rewrite_tags`]) writes anew only the tags the caller changed, and in those
//! only the attributes it changed: everything else is copied byte for byte, so
//! `title="caf&eacute;"` stays as written.

use std::borrow::Cow;
use std::ops::Range;

/// One attribute of a start tag. `value` is decoded (`&amp;` is `&`); `None` for `<input
/// disabled>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    name: Cow<'a, str>,
    value: Option<Cow<'a, str>>,
    /// Where the attribute was written in the source, while it is unchanged.
    raw: Option<Range<usize>>,
}

impl Attribute<'_> {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// Changes the value; the attribute is then written anew, double-quoted.
    pub fn set_value(&mut self, value: Option<String>) {
        self.value = value.map(Cow::Owned);
        self.raw = None;
    }
}

/// A start tag, as the caller may change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// The element name as written.
    pub name: Cow<'a, str>,
    pub attributes: Vec<Attribute<'a>>,
    /// Written as `<br />`.
    pub self_closing: bool,
    /// Where the whole tag is in the source, `<` to `>`.
    pub span: Range<usize>,
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

impl Tag<'_> {
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
        let value = Some(Cow::Owned(value.into()));
        match self
            .attributes
            .iter_mut()
            .find(|a| a.name.eq_ignore_ascii_case(name))
        {
            Some(a) => {
                a.value = value;
                a.raw = None;
            }
            None => self.attributes.push(Attribute {
                name: Cow::Owned(name.to_string()),
                value,
                raw: None,
            }),
        }
    }

    /// Removes attribute `name`.
    pub fn remove(&mut self, name: &str) {
        self.attributes
            .retain(|a| !a.name.eq_ignore_ascii_case(name));
    }

    /// The tag as HTML: attributes the caller did not change as they were written in
    /// `source`, changed ones double-quoted and escaped.
    fn write(&self, source: &str, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for a in &self.attributes {
            out.push(' ');
            match &a.raw {
                Some(raw) => out.push_str(&source[raw.clone()]),
                None => {
                    out.push_str(&a.name);
                    if let Some(v) = &a.value {
                        out.push_str("=\"");
                        out.push_str(&escape_attribute(v));
                        out.push('"');
                    }
                }
            }
        }
        out.push_str(if self.self_closing { " />" } else { ">" });
    }
}

/// One piece of an HTML text.
#[derive(Debug)]
pub enum Token<'a> {
    /// Text between tags, entities not yet decoded (see [`decode_entities`]).
    Text(&'a str),
    /// The content of a `<script>` or `<style>` element: never text to read.
    RawText(&'a str),
    Start(Tag<'a>),
    /// An end tag's element name, as written.
    End(&'a str),
    /// A comment, doctype or other markup that is neither text nor an element.
    Other(&'a str),
}

/// The tokens of `html` with where each is, in order; the spans cover the whole text.
pub fn tokens(html: &str) -> Tokens<'_> {
    Tokens {
        html,
        at: 0,
        raw_until: None,
    }
}

/// The iterator [`tokens`] returns.
pub struct Tokens<'a> {
    html: &'a str,
    at: usize,
    /// After `<script>`/`<style>`: their content is one raw token up to the closing tag.
    raw_until: Option<&'static str>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (Token<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (html, start) = (self.html, self.at);
        if start >= html.len() {
            return None;
        }
        if let Some(name) = self.raw_until.take() {
            let end = find_closing(html, start, name);
            self.at = end;
            if end > start {
                let raw = &html[start..end];
                return Some((
                    if name == "textarea" || name == "title" {
                        Token::Text(raw)
                    } else {
                        Token::RawText(raw)
                    },
                    start..end,
                ));
            }
            return self.next();
        }
        let text_end = next_markup(html, start);
        if text_end > start {
            self.at = text_end;
            return Some((Token::Text(&html[start..text_end]), start..text_end));
        }
        let rest = &html[start..];
        let bytes = html.as_bytes();
        let (token, end) = if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment
                .find("-->")
                .map_or(html.len(), |e| start + 4 + e + 3);
            (Token::Other(&html[start..end]), end)
        } else if rest.starts_with("</") {
            let name_end = scan(bytes, start + 2, |b| {
                !b.is_ascii_whitespace() && b != b'/' && b != b'>'
            });
            let end = rest.find('>').map_or(html.len(), |e| start + e + 1);
            (Token::End(&html[start + 2..name_end]), end)
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').map_or(html.len(), |e| start + e + 1);
            (Token::Other(&html[start..end]), end)
        } else {
            match parse_tag(html, start) {
                Some((tag, end)) => {
                    self.raw_until = ["script", "style", "textarea", "title"]
                        .into_iter()
                        .find(|name| tag.is(name));
                    (Token::Start(tag), end)
                }
                // The text ends inside a tag: what is left is text, as a browser would show it.
                None => (Token::Text(rest), html.len()),
            }
        };
        self.at = end;
        Some((token, start..end))
    }
}

/// Where the next tag, end tag, comment or declaration starts at or after `from` (a `<`
/// followed by a letter, `/` and a letter, or `!`/`?`), or the end of the text.
fn next_markup(html: &str, from: usize) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + offset;
        let next = bytes.get(lt + 1).copied().unwrap_or(b' ');
        let after = bytes.get(lt + 2).copied().unwrap_or(b' ');
        if next.is_ascii_alphabetic()
            || (next == b'/' && after.is_ascii_alphabetic())
            || next == b'!'
            || next == b'?'
        {
            return lt;
        }
        i = lt + 1;
    }
    html.len()
}

/// Calls `edit` on every start tag of `html` and returns the text with the edits applied.
pub fn rewrite_tags(html: &str, mut edit: impl FnMut(&mut Tag<'_>) -> Rewrite) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0;
    for (token, span) in tokens(html) {
        let Token::Start(mut tag) = token else {
            continue;
        };
        match edit(&mut tag) {
            Rewrite::Keep => {}
            Rewrite::Update => {
                out.push_str(&html[copied..span.start]);
                tag.write(html, &mut out);
                copied = span.end;
            }
            Rewrite::Replace(text) => {
                out.push_str(&html[copied..span.start]);
                out.push_str(&text);
                copied = span.end;
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Calls `edit` on the text of every `name` element whose content is raw text (`style`,
/// `script`) and puts back what it returns.
pub fn rewrite_raw_text(html: &str, name: &str, mut edit: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut inside = false;
    for (token, span) in tokens(html) {
        match token {
            Token::Start(tag) => inside = tag.is(name),
            Token::RawText(raw) if inside => {
                out.push_str(&html[copied..span.start]);
                out.push_str(&edit(raw));
                copied = span.end;
            }
            _ => inside = false,
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Prefixes every id and in-page link (`href="#..."`) of a rendered body, so that several
/// bodies can share one page (a framework page shows all its cells) without two elements
/// sharing an id. Text and code are never touched, whatever they say.
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    rewrite_tags(html, |tag| {
        let id = tag.get("id").map(|id| format!("{prefix}{id}"));
        let href = tag
            .get("href")
            .and_then(|h| h.strip_prefix('#'))
            .map(|h| format!("#{prefix}{h}"));
        if id.is_none() && href.is_none() {
            return Rewrite::Keep;
        }
        if let Some(id) = id {
            tag.set("id", id);
        }
        if let Some(href) = href {
            tag.set("href", href);
        }
        Rewrite::Update
    })
}

/// The text of `html` without its markup, entities decoded, scripts and styles left out.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for (token, _) in tokens(html) {
        if let Token::Text(text) = token {
            decode_entities_into(text, &mut out);
        }
    }
    out
}

/// Parses the start tag at `start` (which holds `<` and a letter); returns it and the offset
/// just after its `>`, or `None` if the text ends inside the tag.
fn parse_tag(html: &str, start: usize) -> Option<(Tag<'_>, usize)> {
    let bytes = html.as_bytes();
    let name_end = scan(bytes, start + 1, |b| {
        !b.is_ascii_whitespace() && b != b'/' && b != b'>'
    });
    let mut tag = Tag {
        name: Cow::Borrowed(&html[start + 1..name_end]),
        attributes: Vec::new(),
        self_closing: false,
        span: start..start,
    };
    let mut k = name_end;
    loop {
        k = scan(bytes, k, |b| b.is_ascii_whitespace());
        match bytes.get(k)? {
            b'>' => {
                tag.span.end = k + 1;
                return Some((tag, k + 1));
            }
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
        let name = Cow::Borrowed(&html[name_start..k]);
        let after_name = scan(bytes, k, |b| b.is_ascii_whitespace());
        if bytes.get(after_name) != Some(&b'=') {
            tag.attributes.push(Attribute {
                name,
                value: None,
                raw: Some(name_start..k),
            });
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
            value: Some(htmlize::unescape_attribute(value)),
            raw: Some(name_start..k),
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
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + offset;
        let closes = bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(lt + 2..lt + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if closes {
            return lt;
        }
        i = lt + 1;
    }
    html.len()
}

/// Decodes every character reference of a text (`&amp;`, `&eacute;`, `&#39;`, `&times` without
/// its semicolon where HTML allows it), as a browser would.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    htmlize::unescape(text)
}

/// [`decode_entities`], appending to `out`: for callers that gather text from many pieces.
pub fn decode_entities_into(text: &str, out: &mut String) {
    if text.contains('&') {
        out.push_str(&htmlize::unescape(text));
    } else {
        out.push_str(text);
    }
}

/// Escapes text for anywhere in HTML: element content and attribute values alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Escapes text for element content, where quotes need no escaping (code is full of them).
pub fn escape_text_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
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

/// Heading text to id: lower-case, runs of anything but letters and digits become one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests;
