//! The "X vs Y" pages' templates: one row per dimension with both cells' answers and first
//! samples, and the links from a framework page to its pairs.

use std::collections::BTreeMap;

use tera::Context;

use crate::content::model::Page;
use crate::markdown::TocEntry;

use crate::diagnostic::Result;
use crate::render::context::*;
use crate::render::Renderer;

impl<'a> Renderer<'a> {
    /// Links to the "X vs Y" pages of framework `f` with each other framework (none when pairs
    /// are off), for "Compare Django with ...".
    pub(super) fn pairs_of(&self, f: usize) -> Vec<LinkRef> {
        let model = self.model;
        if !self.config.pairs_for(model.frameworks.len()) {
            return vec![];
        }
        (0..model.frameworks.len())
            .filter(|&g| g != f)
            .map(|g| {
                let (a, b) = (f.min(g), f.max(g));
                LinkRef {
                    title: model.pages[model.frameworks[g].page].title().to_string(),
                    url: self.config.url(&crate::content::pairs::path(model, a, b)),
                }
            })
            .collect()
    }

    /// Renders the "X vs Y" page of frameworks `a` and `b` with `pair.html`.
    pub fn render_pair(
        &self,
        a: usize,
        b: usize,
        title: &str,
        description: &str,
    ) -> Result<String> {
        let model = self.model;
        let mut budget = PAIR_SAMPLE_BYTES;
        let rows = model
            .dimensions
            .iter()
            .enumerate()
            .map(|(d, dim)| {
                let first = |f: usize| {
                    let body = self.rendered[model.cell(f, d)?];
                    body.samples.first().map(|s| body.sample_html(s))
                };
                // Samples come in twos or not at all: side by side is the point.
                let shown = match (first(a), first(b)) {
                    (Some(x), Some(y)) if x.len() + y.len() <= budget => {
                        budget -= x.len() + y.len();
                        true
                    }
                    _ => false,
                };
                let side = |f: usize| {
                    let c = model.cell(f, d)?;
                    let page: &'a Page = &model.pages[c];
                    let body = self.rendered[c];
                    let samples = &body.samples;
                    let sample = samples.first().filter(|_| shown);
                    Some(PairSide {
                        title: page.title(),
                        url: self.config.url(&page.path),
                        summary: page.source.front.summary.as_deref().unwrap_or(""),
                        verdict: VerdictView::of(model, page, d),
                        sample: sample.map(|s| body.sample_html(s)),
                        more_samples: samples.len() - usize::from(sample.is_some()),
                    })
                };
                PairRow {
                    dimension: self.axis(dim.page),
                    legend: legend(&model.pages[dim.page].source.front.scale),
                    a: side(a),
                    b: side(b),
                }
            })
            .collect();
        let pair = PairCtx {
            a: self.axis(model.frameworks[a].page),
            b: self.axis(model.frameworks[b].page),
            rows,
        };
        let path = crate::content::pairs::path(model, a, b);
        let empty = BTreeMap::new();
        let toc = model
            .dimensions
            .iter()
            .map(|d| TocEntry {
                level: 2,
                id: d.slug.clone(),
                title: model.pages[d.page].title().to_string(),
            })
            .collect();
        let mut page = self.generated_page("pair", title, Some(description), &path, "", &empty);
        page.toc = toc;
        page.has_code = true;
        let mut context = Context::new();
        context.insert("page", &page);
        context.insert("pair", &pair);
        self.render_template("pair.html", &context)
    }
}
