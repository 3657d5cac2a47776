//! Built-in search: an index made at build time from the rendered articles, split into small
//! files under `search/` so a browser downloads only what a query needs.
//!
//! Two steps, so that an incremental build can cache the first per page:
//!
//! 1. [`entries`]: one article's rendered body -> its [`Section`]s (the opening, then one per
//!    `h2`/`h3`), each with its terms already weighed. Pure, per page, run in parallel.
//! 2. [`index`]: every section of the site -> the files of the index (see [`encode`] for the
//!    format, which `themes/default/static/search.js` reads).
//!
//! Why our own index rather than a library: the `pagefind` crate (the same design: chunked
//! index, fragments, a client that loads only what a query needs) measured ~1.9 GB peak memory
//! and ~16 s for 10,000 pages on a two-core machine, where this index costs a few seconds; and
//! a whole-index client such as elasticlunr must download the entire index (tens of MB for
//! 10,000 pages) before answering anything. The format here is small enough to read in a few
//! hundred lines of JavaScript, and it knows our facets.
//!
//! [`add`] wires both into the pipeline ([`page_info`] and [`facets`] are what it takes from the
//! model). Only articles are indexed: `print.html` repeats them
//! and `404.html` has nothing to find. Framework and dimension pages are indexed with their own
//! body only: the cells they embed are found on the cells' own pages.

mod encode;
mod extract;
mod tokens;

use std::sync::Arc;

use crate::content::model::{Kind, Model};

pub use encode::{index, Facets, FOLDER};

/// The theme's static files that only search uses: not written when search is off.
pub const THEME_ASSETS: &[&str] = &["search.js", "search.css"];

/// How much of a section's prose the index keeps to show as its excerpt.
const EXCERPT_CHARS: usize = 320;

/// What the index needs to know about an article besides its body.
#[derive(Debug, Clone, Copy)]
pub struct PageInfo<'a> {
    /// Site-relative URL path (`compare/routing/django/`), without `base-url`: the browser adds
    /// it, so the index does not depend on where the site is served.
    pub path: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// The slugs of the article's framework and dimension (cells have both).
    pub framework: Option<&'a str>,
    pub dimension: Option<&'a str>,
}

/// One searchable section: a search result links to it.
///
/// A 10,000-page site has about a hundred thousand sections and millions of terms, all held
/// until the index is encoded: what a page's sections share is shared, not copied, and the terms
/// are packed (see [`Terms`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub path: Arc<str>,
    /// The heading's id; `None` for the article's opening.
    pub anchor: Option<Box<str>>,
    pub title: Arc<str>,
    pub heading: Option<Box<str>>,
    /// The start of the section's prose, cut at a word boundary.
    pub excerpt: Box<str>,
    /// Every term with its weight (see [`tokens::weight`]), sorted by term.
    pub terms: Terms,
    pub framework: Option<Arc<str>>,
    pub dimension: Option<Arc<str>>,
}

/// A section's terms with their weights, packed into three allocations instead of one per term
/// (a `String` per term costs its 24 bytes and a heap block besides the characters).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Terms {
    /// Every term, one after the other.
    text: Box<str>,
    /// Where each term ends in `text`.
    ends: Box<[u32]>,
    weights: Box<[u8]>,
}

impl Terms {
    pub fn iter(&self) -> impl Iterator<Item = (&str, u8)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        self.ends
            .iter()
            .zip(starts)
            .zip(self.weights.iter())
            .map(|((&end, start), &weight)| {
                let term = self
                    .text
                    .get(start as usize..end as usize)
                    .unwrap_or_default();
                (term, weight)
            })
    }

    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

impl<S: AsRef<str>> FromIterator<(S, u8)> for Terms {
    fn from_iter<I: IntoIterator<Item = (S, u8)>>(terms: I) -> Self {
        let (mut text, mut ends, mut weights) = (String::new(), Vec::new(), Vec::new());
        for (term, weight) in terms {
            text.push_str(term.as_ref());
            ends.push(u32::try_from(text.len()).expect("a section's terms fit in 4 GB"));
            weights.push(weight);
        }
        Terms {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            weights: weights.into_boxed_slice(),
        }
    }
}

/// The sections of one article, from the HTML Markdown rendered for its body.
pub fn entries(page: &PageInfo, html: &str) -> Vec<Section> {
    let mut raw = extract::sections(html);
    if raw.first().is_none_or(|s| s.anchor.is_some()) {
        raw.insert(0, extract::RawSection::default());
    }
    if let Some(summary) = page.summary {
        let opening = &mut raw[0].text;
        *opening = format!("{summary} {opening}").trim().to_string();
    }
    let path: Arc<str> = crate::util::url::encode_path(page.path).into();
    let title: Arc<str> = page.title.into();
    let framework: Option<Arc<str>> = page.framework.map(Arc::from);
    let dimension: Option<Arc<str>> = page.dimension.map(Arc::from);
    raw.into_iter()
        .enumerate()
        .map(|(i, s)| {
            let heading = s.heading.as_deref().unwrap_or("");
            let terms = tokens::weigh(page.title, heading, &s.text, &s.code, i == 0);
            Section {
                path: path.clone(),
                anchor: s.anchor.map(String::into_boxed_str),
                title: title.clone(),
                heading: s.heading.map(String::into_boxed_str),
                excerpt: cut(&s.text, EXCERPT_CHARS).into_boxed_str(),
                terms: terms.into_iter().collect(),
                framework: framework.clone(),
                dimension: dimension.clone(),
            }
        })
        .collect()
}

/// `text` up to `max` characters, ending at a word boundary.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let end = text[..end].rfind(' ').unwrap_or(end);
            text[..end].to_string()
        }
    }
}

/// What the index needs of page `index` besides its body.
pub fn page_info(model: &Model, index: usize) -> PageInfo<'_> {
    let page = &model.pages[index];
    fn slug(axes: &[crate::content::model::Axis], n: usize) -> &str {
        &axes[n].slug
    }
    let (framework, dimension) = match page.kind {
        Kind::Framework(f) => (Some(slug(&model.frameworks, f)), None),
        Kind::Dimension(d) => (None, Some(slug(&model.dimensions, d))),
        Kind::Cell {
            framework,
            dimension,
        } => (
            Some(slug(&model.frameworks, framework)),
            Some(slug(&model.dimensions, dimension)),
        ),
        Kind::Home | Kind::Article => (None, None),
    };
    PageInfo {
        path: &page.path,
        title: page.title(),
        summary: page.source.front.summary.as_deref(),
        framework,
        dimension,
    }
}

/// The facets in the model's order, with the titles of their declaring pages.
pub fn facets(model: &Model) -> Facets {
    let list = |axes: &[crate::content::model::Axis]| {
        axes.iter()
            .map(|a| (a.slug.clone(), model.pages[a.page].title().to_string()))
            .collect()
    };
    Facets {
        frameworks: list(&model.frameworks),
        dimensions: list(&model.dimensions),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<'a>() -> PageInfo<'a> {
        PageInfo {
            path: "compare/routing/django/",
            title: "Routing in Django",
            summary: Some("URLconfs."),
            framework: Some("django"),
            dimension: Some("routing"),
        }
    }

    #[test]
    fn an_article_becomes_its_opening_and_one_section_per_heading() {
        let html = "<p>Intro.</p><h2 id=\"paths\">Paths<a class=\"anchor\" href=\"#paths\"></a></h2><p>Use <code>path()</code>.</p><pre><code>urlpatterns = [path(\"a/\", view)]</code></pre>";
        let s = entries(&page(), html);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].anchor.as_deref(), &*s[0].excerpt),
            (None, "URLconfs. Intro.")
        );
        assert_eq!(s[1].anchor.as_deref(), Some("paths"));
        assert_eq!(s[1].heading.as_deref(), Some("Paths"));
        assert_eq!(s[1].framework.as_deref(), Some("django"));
        let weight = |s: &Section, t: &str| s.terms.iter().find(|(x, _)| *x == t).map(|x| x.1);
        assert!(
            weight(&s[0], "routing") > weight(&s[1], "routing"),
            "the title weighs most in the opening"
        );
        assert!(
            weight(&s[1], "urlpatterns").is_some(),
            "code identifiers are indexed"
        );
        assert!(weight(&s[1], "paths") > weight(&s[1], "urlpatterns"));
    }

    #[test]
    fn a_page_without_body_still_has_its_title() {
        let s = entries(
            &PageInfo {
                summary: None,
                ..page()
            },
            "",
        );
        assert_eq!(s.len(), 1);
        assert!(s[0].terms.iter().any(|(t, _)| t == "django"));
        let packed: Terms = [("a", 1), ("bc", 2)].into_iter().collect();
        assert_eq!(packed.iter().collect::<Vec<_>>(), [("a", 1), ("bc", 2)]);
    }

    #[test]
    fn excerpts_end_at_a_word() {
        assert_eq!(cut("one two three", 9), "one two");
        assert_eq!(cut("one two", 50), "one two");
    }
}
