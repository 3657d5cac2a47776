//! `matrix.json`: the comparison as data, so that others can reuse it (a dashboard, a chart, a
//! diff between two editions) without scraping pages. Its shape is documented, with a JSON
//! Schema, in docs/MATRIX.md; it changes only with a new `version`.

use serde::Serialize;

use crate::content::config::Config;
use crate::content::model::Model;

/// Where the file is written, at the site root.
pub const FILE: &str = "matrix.json";

/// The version of the file's shape (docs/MATRIX.md).
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Matrix<'a> {
    version: u32,
    title: &'a str,
    frameworks: Vec<Framework<'a>>,
    dimensions: Vec<Dimension<'a>>,
    cells: Vec<Cell<'a>>,
}

#[derive(Serialize)]
struct Framework<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    language: Option<&'a str>,
    website: Option<&'a str>,
    reviewed: Option<&'a str>,
}

#[derive(Serialize)]
struct Dimension<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    /// Level labels, lowest first; empty when the dimension has no scale.
    scale: &'a [String],
    reviewed: Option<&'a str>,
}

#[derive(Serialize)]
struct Cell<'a> {
    framework: &'a str,
    dimension: &'a str,
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    verdict: Option<&'a str>,
    level: Option<&'a str>,
    reviewed: Option<&'a str>,
}

/// The bytes of `matrix.json`: frameworks and dimensions in the handbook's order, cells
/// dimension by dimension in the frameworks' order. URLs are absolute when `site-url` is set,
/// else under `base-url`.
pub fn render(config: &Config, model: &Model) -> Vec<u8> {
    let url = |path: &str| config.permalink(path).unwrap_or_else(|| config.url(path));
    let front = |page: usize| &model.pages[page].source.front;
    let matrix = Matrix {
        version: VERSION,
        title: &config.book.title,
        frameworks: model
            .frameworks
            .iter()
            .map(|f| Framework {
                slug: &f.slug,
                title: model.pages[f.page].title(),
                url: url(&model.pages[f.page].path),
                summary: front(f.page).summary.as_deref(),
                language: front(f.page).language.as_deref(),
                website: front(f.page).website.as_deref(),
                reviewed: front(f.page).reviewed.as_deref(),
            })
            .collect(),
        dimensions: model
            .dimensions
            .iter()
            .map(|d| Dimension {
                slug: &d.slug,
                title: model.pages[d.page].title(),
                url: url(&model.pages[d.page].path),
                summary: front(d.page).summary.as_deref(),
                scale: &front(d.page).scale,
                reviewed: front(d.page).reviewed.as_deref(),
            })
            .collect(),
        cells: (0..model.dimensions.len())
            .flat_map(|d| (0..model.frameworks.len()).map(move |f| (f, d)))
            .filter_map(|(f, d)| {
                let page = model.cell(f, d)?;
                Some(Cell {
                    framework: &model.frameworks[f].slug,
                    dimension: &model.dimensions[d].slug,
                    title: model.pages[page].title(),
                    url: url(&model.pages[page].path),
                    summary: front(page).summary.as_deref(),
                    verdict: front(page).verdict.as_deref(),
                    level: front(page).level.as_deref(),
                    reviewed: front(page).reviewed.as_deref(),
                })
            })
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&matrix).unwrap_or_default();
    json.push(b'\n');
    json
}
