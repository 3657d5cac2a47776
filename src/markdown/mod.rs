//! Markdown to HTML: heading ids and the table of contents, internal links, highlighted code,
//! footnotes.
//!
//! Article bodies are never passed through the template engine: `{{` and `{%` in prose and code
//! come out as written. pulldown-cmark does the parsing; we rewrite its event stream in two
//! passes (links first, since they appear inside headings, then block-level structure).

pub mod anchors;
pub mod classes;
pub mod disk_cache;
pub mod highlight;
pub mod links;
pub mod samples;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag};
use serde::{Deserialize, Serialize};

use crate::content::config::{Config, LinkCheck, MarkdownConfig};
use crate::content::model::{Kind, Model};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::markdown::links::Resolved;
use crate::util::html::{escape, slugify};

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A fenced code block: shown in place, and offered to tab groups and the sample checker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sample {
    pub lang: String,
    /// Words after the language in the info string, e.g. `skip-check`.
    pub attrs: Vec<String>,
    pub code: String,
    /// Where the block is in the body's HTML ([`Rendered::sample_html`]): a span, not a copy,
    /// since samples are a third of a code-heavy handbook's HTML.
    pub span: std::ops::Range<usize>,
    /// Line of the opening fence in the file.
    pub line: usize,
}

/// A link to `#id` on some page, checked once every page's ids are known.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnchorRef {
    pub target: usize,
    /// The target's source path: what `target` is looked up by again when the body is reused
    /// by an incremental rebuild, where page numbers may have moved.
    pub target_rel: String,
    pub id: String,
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

/// A body as Markdown rendered it. Serializable for the body cache (`disk_cache`), which never
/// stores one with errors.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id the body defines (headings and footnotes).
    pub ids: HashSet<String>,
    pub samples: Vec<Sample>,
    pub anchors: Vec<AnchorRef>,
    #[serde(skip)]
    pub errors: Vec<Diagnostic>,
    /// The highlighting classes the body uses.
    pub classes: highlight::Classes,
    /// Every link destination of the body with what it resolved to ([`links::outcome_key`]):
    /// the body renders the same as long as its text and these outcomes are unchanged, which is
    /// what lets an incremental rebuild reuse it.
    pub links: Vec<(String, String)>,
}

impl Rendered {
    /// A sample of this body as HTML, exactly as it appears in the page.
    pub fn sample_html(&self, sample: &Sample) -> &str {
        self.html.get(sample.span.clone()).unwrap_or_default()
    }
}

/// Ids the theme may use: headings never take an id with this prefix.
pub const THEME_ID_PREFIX: &str = "hb-";

/// The extensions every handbook has, and those `[markdown]` switches.
fn options(config: &MarkdownConfig) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.definition_lists {
        options |= Options::ENABLE_DEFINITION_LIST;
    }
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Renders the body of page `index` of `model`.
pub fn render(model: &Model, config: &Config, index: usize) -> Rendered {
    let page = &model.pages[index];
    let source = &page.source;
    let text = &source.text;
    let body_offset = source.body.start;
    let lines = LineIndex::new(text);
    let position = |offset: usize| lines.locate(text, body_offset + offset);
    let mut out = Rendered::default();

    // Pass 1: resolve links, with their positions for errors.
    let body = source.body();
    let mut events: Vec<(Event, usize)> = Vec::new();
    for (event, range) in Parser::new_ext(body, options(&config.markdown)).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let kind = if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    Destination::Autolink
                } else {
                    Destination::Link
                };
                let site = LinkSite {
                    model,
                    config,
                    index,
                    body,
                    position: &position,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: site.destination(&dest_url, kind, range.clone(), &mut out),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let site = LinkSite {
                    model,
                    config,
                    index,
                    body,
                    position: &position,
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: site.destination(
                        &dest_url,
                        Destination::Image,
                        range.clone(),
                        &mut out,
                    ),
                    title,
                    id,
                })
            }
            other => other,
        };
        events.push((event, range.start));
    }

    // Pass 2: headings, code blocks and footnotes.
    let mut writer = Writer::default();
    writer
        .used_ids
        .extend(reserved_ids(model, index).map(str::to_string));
    let mut i = 0;
    while i < events.len() {
        let (event, offset) = &events[i];
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let end = find_end(&events, i);
                writer.heading(
                    *level,
                    id.as_deref(),
                    classes,
                    &events[i + 1..end],
                    &mut out,
                );
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i);
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let code: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| {
                        if let Event::Text(t) = e {
                            Some(t.as_ref())
                        } else {
                            None
                        }
                    })
                    .collect();
                let line = position(*offset).0;
                writer.code_block(&info, code, line, &mut out);
                i = end + 1;
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let end = find_end(&events, i);
                writer.footnote_definition(label, &events[i + 1..end]);
                i = end + 1;
                continue;
            }
            Event::FootnoteReference(label) => writer.footnote_reference(label),
            other => writer.events.push(other.clone()),
        }
        i += 1;
    }
    writer.finish(&mut out);
    out
}

/// Ids the theme gives the sections of a framework page (one per dimension) and of a dimension
/// page (one per framework): a heading of the page's own body must not take them.
pub fn reserved_ids(model: &Model, index: usize) -> Box<dyn Iterator<Item = &str> + '_> {
    match model.pages[index].kind {
        Kind::Framework(_) => Box::new(model.dimensions.iter().map(|d| d.slug.as_str())),
        Kind::Dimension(_) => Box::new(model.frameworks.iter().map(|f| f.slug.as_str())),
        _ => Box::new(std::iter::empty()),
    }
}

/// What kind of destination a link event carries.
#[derive(Clone, Copy, PartialEq)]
enum Destination {
    Link,
    /// `<https://...>` and e-mail autolinks: kept as written, but their scheme is checked.
    Autolink,
    Image,
}

/// Where the links of one body are: enough to resolve them and to point errors at them.
struct LinkSite<'m> {
    model: &'m Model,
    config: &'m Config,
    index: usize,
    body: &'m str,
    position: &'m dyn Fn(usize) -> (usize, usize),
}

impl LinkSite<'_> {
    /// The destination as the page will have it: a forbidden scheme is an error (and `#`),
    /// an autolink stays as written, anything else is resolved by [`links::resolve`].
    fn destination<'a>(
        &self,
        dest: &CowStr<'a>,
        kind: Destination,
        range: std::ops::Range<usize>,
        out: &mut Rendered,
    ) -> CowStr<'a> {
        let (model, config, index) = (self.model, self.config, self.index);
        let from = &model.pages[index].source.rel;
        // Point errors at the destination itself when it is written inline.
        let span = &self.body[range.clone()];
        let dest_offset = span
            .rfind(dest.as_ref())
            .map_or(range.start, |o| range.start + o);
        let (line, column) = (self.position)(dest_offset);
        let len = dest.chars().count();
        let source = &model.pages[index].source;
        if let Some(scheme) = links::forbidden_scheme(dest, kind == Destination::Image) {
            out.errors.push(
                Diagnostic::new(&source.file, format!("`{scheme}:` links are not allowed"))
                    .at(line, column)
                    .len(len)
                    .help("link to a page or a file with `https:`, `http:`, `mailto:` or a relative path; images may use `data:image/...`")
                    .source(&source.text),
            );
            return CowStr::Borrowed("#");
        }
        if kind == Destination::Autolink {
            return dest.clone();
        }
        let resolved = links::resolve(model, config, from, index, dest);
        out.links
            .push((dest.to_string(), links::outcome_key(model, &resolved)));
        match resolved {
            Ok(Resolved::External) => dest.clone(),
            Ok(Resolved::Asset { url }) => url.into(),
            Ok(Resolved::Page { page, anchor, url }) => {
                if let Some(id) = anchor {
                    out.anchors.push(AnchorRef {
                        target: page,
                        target_rel: model.pages[page].source.rel.clone(),
                        id,
                        line,
                        column,
                        len,
                    });
                }
                url.into()
            }
            Err(broken) => {
                let source = &model.pages[index].source;
                let diagnostic = Diagnostic::new(&source.file, broken.message)
                    .at(line, column)
                    .len(len)
                    .maybe_help(broken.help)
                    .source(&source.text);
                out.errors.push(match config.link_check {
                    LinkCheck::Error => diagnostic,
                    LinkCheck::Warn => diagnostic.warning(),
                });
                dest.clone()
            }
        }
    }
}

/// The index of the `End` matching the `Start` at `start`.
fn find_end(events: &[(Event, usize)], start: usize) -> usize {
    let mut depth = 0;
    for (j, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Accumulates the page's events and the pieces rendered out of line.
#[derive(Default)]
struct Writer<'a> {
    events: Vec<Event<'a>>,
    used_ids: HashSet<String>,
    /// Base id -> the next suffix to try, so that n identical headings cost O(n), not O(n²).
    next_suffix: HashMap<String, usize>,
    /// Footnote label -> number, in order of first reference.
    footnote_numbers: HashMap<String, usize>,
    footnote_refs: HashMap<String, usize>,
    footnotes: Vec<(String, String)>,
    /// Each sample's HTML, until `finish` finds where it landed in the body.
    sample_html: Vec<String>,
}

impl<'a> Writer<'a> {
    fn unique_id(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let base = if base.starts_with(THEME_ID_PREFIX) {
            format!("h-{base}")
        } else {
            base.to_string()
        };
        let mut id = base.clone();
        let next = self.next_suffix.entry(base.clone()).or_insert(1);
        while !self.used_ids.insert(id.clone()) {
            id = format!("{base}-{next}");
            *next += 1;
        }
        id
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        explicit_id: Option<&str>,
        classes: &[CowStr<'a>],
        inner: &[(Event<'a>, usize)],
        out: &mut Rendered,
    ) {
        let title: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = self.unique_id(
            &explicit_id
                .map(str::to_string)
                .unwrap_or_else(|| slugify(&title)),
        );
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.iter().map(|(e, _)| e.clone()));
        let n = level as u8;
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape(&classes.join(" ")))
        };
        let html = format!(
            "<h{n} id=\"{id}\"{class}>{inner_html}<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\"></a></h{n}>\n",
            id = escape(&id)
        );
        if (2..=3).contains(&n) {
            out.toc.push(TocEntry {
                level: n,
                id: id.clone(),
                title: title.clone(),
            });
        }
        out.ids.insert(id);
        self.events.push(Event::Html(html.into()));
    }

    fn code_block(&mut self, info: &str, code: String, line: usize, out: &mut Rendered) {
        let mut words = info.split_whitespace();
        let lang = words
            .next()
            .unwrap_or("")
            .trim_matches(|c| c == '{' || c == '}')
            .to_string();
        let attrs: Vec<String> = words.map(str::to_string).collect();
        let highlighted = if lang.is_empty() {
            None
        } else {
            highlight::highlight(&code, &lang, &mut out.classes)
        };
        let body = highlighted.unwrap_or_else(|| escape(&code));
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape(&lang))
        };
        let code_class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape(&lang))
        };
        let html =
            format!("<pre class=\"hl-code\"{lang_attr}><code{code_class}>{body}</code></pre>\n");
        out.samples.push(Sample {
            lang,
            attrs,
            code,
            span: 0..0,
            line,
        });
        self.sample_html.push(html.clone());
        self.events.push(Event::Html(html.into()));
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnote_numbers.len() + 1;
        *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next)
    }

    fn footnote_reference(&mut self, label: &str) {
        let n = self.footnote_number(label);
        let count = self.footnote_refs.entry(label.to_string()).or_insert(0);
        *count += 1;
        let slug = slugify(label);
        let ref_id = if *count == 1 {
            format!("{THEME_ID_PREFIX}fnref-{slug}")
        } else {
            format!("{THEME_ID_PREFIX}fnref-{slug}-{count}")
        };
        let html = format!(
            "<sup class=\"footnote-ref\" id=\"{ref_id}\"><a href=\"#{THEME_ID_PREFIX}fn-{slug}\">{n}</a></sup>"
        );
        self.events.push(Event::Html(html.into()));
    }

    fn footnote_definition(&mut self, label: &str, inner: &[(Event<'a>, usize)]) {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, inner.iter().map(|(e, _)| e.clone()));
        self.footnotes.push((label.to_string(), html));
    }

    fn finish(mut self, out: &mut Rendered) {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, self.events.drain(..));
        if !self.footnotes.is_empty() {
            let mut notes = std::mem::take(&mut self.footnotes);
            for (label, _) in &notes {
                self.footnote_number(label);
            }
            notes.sort_by_key(|(label, _)| self.footnote_numbers[label]);
            html.push_str("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n");
            for (label, body) in notes {
                let slug = slugify(&label);
                let id = format!("{THEME_ID_PREFIX}fn-{slug}");
                let back = if self.footnote_refs.contains_key(&label) {
                    format!(" <a class=\"footnote-back\" href=\"#{THEME_ID_PREFIX}fnref-{slug}\" aria-label=\"Back to the text\">↩</a>")
                } else {
                    String::new()
                };
                html.push_str(&format!("<li id=\"{id}\">{}{back}</li>\n", body.trim_end()));
                out.ids.insert(id);
            }
            html.push_str("</ol>\n</section>\n");
        }
        // Ten thousand bodies live until the end of a build: no growth slack kept.
        html.shrink_to_fit();
        // Samples were written in order as block-level HTML, so each is the first copy of its
        // HTML after the previous one.
        let mut from = 0;
        for (sample, sample_html) in out.samples.iter_mut().zip(&self.sample_html) {
            let start = html[from..]
                .find(sample_html.as_str())
                .map_or(from, |at| from + at);
            let end = (start + sample_html.len()).min(html.len());
            sample.span = start..end;
            from = end;
        }
        for label in self.footnote_refs.keys() {
            out.ids
                .insert(format!("{THEME_ID_PREFIX}fnref-{}", slugify(label)));
        }
        out.html = html;
    }
}
