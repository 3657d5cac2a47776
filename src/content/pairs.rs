//! The "X vs Y" pages as the model knows them: one page per pair of frameworks, `vs/<a>-<b>/` with `a`
//! before `b` in the frameworks' order, setting their cells side by side on every dimension.
//!
//! "Django vs FastAPI" is how most readers ask for a comparison, so each page carries that
//! title, a description that names what the two differ on, a place in the sitemap and an entry
//! in the search index. `[compare] pairs = false` turns them off; print.html never has them.

use crate::content::config::Config;
use crate::content::model::Model;

/// The folder under which the pair pages live.
pub use crate::content::model::PAIRS_FOLDER as FOLDER;

/// How many differences the description names before it stops.
const NAMED_DIFFERENCES: usize = 3;

/// Every pair of frameworks `(a, b)` with `a < b`, in order; none when pairs are off.
pub fn list(config: &Config, model: &Model) -> Vec<(usize, usize)> {
    let n = model.frameworks.len();
    if !config.pairs_for(n) {
        return vec![];
    }
    (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .collect()
}

/// The site-relative URL path of the pair's page: `vs/django-fastapi/`.
pub fn path(model: &Model, a: usize, b: usize) -> String {
    format!(
        "{FOLDER}/{}-{}/",
        model.frameworks[a].slug, model.frameworks[b].slug
    )
}

/// "Django vs FastAPI".
pub fn title(model: &Model, a: usize, b: usize) -> String {
    format!(
        "{} vs {}",
        model.pages[model.frameworks[a].page].title(),
        model.pages[model.frameworks[b].page].title()
    )
}

/// What the two differ on, for the page's meta description and its search entry: the
/// dimensions where their levels are furthest apart, with both levels, or else those where
/// their verdicts differ.
pub fn description(model: &Model, a: usize, b: usize) -> String {
    let name = |f: usize| model.pages[model.frameworks[f].page].title();
    let front = |f: usize, d: usize| model.cell(f, d).map(|c| &model.pages[c].source.front);
    let mut differences: Vec<(usize, String)> = Vec::new();
    for (d, dim) in model.dimensions.iter().enumerate() {
        let (Some(x), Some(y)) = (front(a, d), front(b, d)) else {
            continue;
        };
        let scale = &model.pages[dim.page].source.front.scale;
        let rank =
            |l: &Option<String>| l.as_deref().and_then(|l| scale.iter().position(|s| s == l));
        let dim_title = model.pages[dim.page].title().to_string();
        let gap = match (rank(&x.level), rank(&y.level)) {
            (Some(i), Some(j)) if i != j => i.abs_diff(j) + 1,
            _ if x.verdict.is_some() && y.verdict.is_some() && x.verdict != y.verdict => 1,
            _ => continue,
        };
        let detail = match (&x.level, &y.level) {
            (Some(l), Some(m)) if l != m => format!("{dim_title} ({l} vs {m})"),
            _ => dim_title,
        };
        differences.push((gap, detail));
    }
    // The widest gaps first; the model's dimension order among equals.
    differences.sort_by_key(|(gap, _)| std::cmp::Reverse(*gap));
    let count = model.dimensions.len();
    let opening = format!(
        "{} and {} compared on {count} dimension{}, side by side with code",
        name(a),
        name(b),
        if count == 1 { "" } else { "s" }
    );
    if differences.is_empty() {
        return format!("{opening}.");
    }
    let named: Vec<&str> = differences
        .iter()
        .take(NAMED_DIFFERENCES)
        .map(|(_, d)| d.as_str())
        .collect();
    format!("{opening}. They differ most on {}.", named.join(", "))
}
