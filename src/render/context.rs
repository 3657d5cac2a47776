//! What templates see: the values a page's context holds, built by [`Renderer`](super::Renderer)
//! from the model and the rendered bodies. Their field names are the theme's contract
//! (THEMES.md documents them).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::frontmatter::Fact;
use crate::content::model::{Model, Page};
use crate::markdown::TocEntry;

/// A link with its text, the unit of navigation in templates.
#[derive(Debug, Clone, Serialize)]
pub struct LinkRef {
    pub title: String,
    pub url: String,
}

/// A framework or dimension as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct AxisRef<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub summary: Option<&'a str>,
    pub language: Option<&'a str>,
    pub website: Option<&'a str>,
    pub facts: &'a BTreeMap<String, Fact>,
    /// Dimensions: the level labels of its cells, lowest first (empty when it has none).
    pub scale: &'a [String],
}

#[derive(Serialize)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub authors: &'a [String],
    pub language: &'a str,
    pub base_url: &'a str,
    pub site_url: &'a str,
    pub generator_version: &'static str,
    pub search: bool,
    pub print: bool,
    /// Whether the "X vs Y" pages are built (`[compare] pairs`).
    pub pairs: bool,
}

#[derive(Serialize)]
pub struct NavCtx {
    pub home: LinkRef,
    pub frameworks: Vec<LinkRef>,
    pub dimensions: Vec<LinkRef>,
    pub articles: Vec<LinkRef>,
}

#[derive(Serialize)]
pub struct MatrixCell<'a> {
    pub title: &'a str,
    pub url: String,
    pub summary: &'a str,
    /// The summary cut at a word to at most [`PREVIEW_CHARS`] characters: what the matrix
    /// shows on hover and focus (every cell of the home page carries it, so it is kept short;
    /// the whole summary is on the cell's page, one click away).
    pub preview: String,
    /// Short text for the table cell: the framework's title.
    pub label: &'a str,
    #[serde(flatten)]
    pub verdict: VerdictView<'a>,
}

/// The longest summary preview the matrix carries per cell.
pub const PREVIEW_CHARS: usize = 160;

/// A cell's answer as the matrix and the dimension page's verdict row show it.
#[derive(Serialize)]
pub struct VerdictView<'a> {
    pub verdict: Option<&'a str>,
    pub level: Option<&'a str>,
    /// The level's position in its dimension's scale, 0 for the lowest.
    pub level_index: Option<usize>,
    /// What the cell shows: the verdict, else a short form of the summary.
    pub short: String,
    /// The level as filled and empty dots (`●●○`), the cue that does not rely on colour.
    pub dots: Option<String>,
    /// The level as the share of its scale up to it (`.33`, `.67`, `1`), for the bar and tint.
    pub tint: Option<String>,
}

impl<'a> VerdictView<'a> {
    pub fn of(model: &'a Model, cell: &'a Page, dimension: usize) -> VerdictView<'a> {
        let front = &cell.source.front;
        let scale_len = model.pages[model.dimensions[dimension].page]
            .source
            .front
            .scale
            .len();
        let level_index = level_index(model, cell, dimension);
        VerdictView {
            verdict: front.verdict.as_deref(),
            level: front.level.as_deref(),
            level_index,
            short: short_verdict(front.verdict.as_deref(), front.summary.as_deref()),
            dots: level_index.map(|i| dots(i, scale_len)),
            tint: level_index.map(|i| tint(i, scale_len)),
        }
    }
}

/// One level of a dimension's scale, for the legend.
#[derive(Serialize)]
pub struct LegendEntry<'a> {
    pub dots: String,
    pub tint: String,
    pub label: &'a str,
}

#[derive(Serialize)]
pub struct MatrixRow<'a> {
    pub dimension: AxisRef<'a>,
    pub cells: Vec<Option<MatrixCell<'a>>>,
    /// The dimension's scale, lowest first, each level with its dots.
    pub legend: Vec<LegendEntry<'a>>,
}

#[derive(Serialize)]
pub struct MatrixCtx<'a> {
    pub frameworks: Vec<AxisRef<'a>>,
    pub rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize)]
pub struct PageCtx<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: String,
    pub permalink: Option<String>,
    /// Source path relative to the content folder.
    pub source: &'a str,
    pub content: &'a str,
    pub toc: Vec<TocEntry>,
    pub tags: &'a [String],
    pub weight: Option<i64>,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    /// Cells: the answer in a phrase, and its level on the dimension's scale.
    pub verdict: Option<&'a str>,
    pub level: Option<&'a str>,
    /// When the page's facts were last checked, `YYYY-MM-DD`.
    pub reviewed: Option<&'a str>,
    /// The same date for readers: `5 December 2026`.
    pub reviewed_text: Option<String>,
    /// When the article last changed, from git (`YYYY-MM-DD`), and for readers.
    pub updated: Option<&'a str>,
    pub updated_text: Option<String>,
    /// "Edit this page": `[book] edit-url-template` with the article's path.
    pub edit_url: Option<String>,
    /// Whether the page shows highlighted code (its own, or a dimension page's tabs): pages
    /// without any skip the highlighting stylesheets.
    pub has_code: bool,
    pub framework: Option<AxisRef<'a>>,
    pub dimension: Option<AxisRef<'a>>,
    pub breadcrumbs: Vec<LinkRef>,
    pub prev: Option<LinkRef>,
    pub next: Option<LinkRef>,
}

/// `●●○`: level `index` (0 = lowest) of a scale of `len` levels.
pub fn dots(index: usize, len: usize) -> String {
    (0..len)
        .map(|i| if i <= index { '●' } else { '○' })
        .collect()
}

/// How far up the scale level `index` is, as the share of the scale up to and including it,
/// with at most two decimals and no leading zero (`.33`, `.5`, `1`): the lowest level still
/// shows a bar.
pub fn tint(index: usize, len: usize) -> String {
    let fraction = (index + 1) as f64 / len.max(1) as f64;
    let text = format!("{fraction:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.strip_prefix('0').unwrap_or(text).to_string()
}

pub fn legend(scale: &[String]) -> Vec<LegendEntry<'_>> {
    scale
        .iter()
        .enumerate()
        .map(|(i, label)| LegendEntry {
            dots: dots(i, scale.len()),
            tint: tint(i, scale.len()),
            label,
        })
        .collect()
}

/// The verdict, or the summary's opening (up to its first colon, semicolon or full stop, at most
/// about forty characters, cut at a word) when a cell has none.
pub fn short_verdict(verdict: Option<&str>, summary: Option<&str>) -> String {
    if let Some(v) = verdict {
        return v.trim().to_string();
    }
    let summary = summary.unwrap_or("").trim();
    // A clause ends at a colon, semicolon or full stop followed by a space (not `1.22`).
    let end = [": ", "; ", ". "]
        .iter()
        .filter_map(|p| summary.find(p))
        .min()
        .unwrap_or(summary.len());
    let clause = summary[..end].trim_end_matches('.').trim();
    cut_at_word(clause, crate::content::model::MAX_VERDICT_CHARS)
}

/// `text` if it has at most `max` characters, else its opening words up to `max - 1`
/// characters and `…`.
pub fn cut_at_word(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short = String::new();
    for word in text.split_whitespace() {
        if short.chars().count() + word.chars().count() + 1 > max - 1 {
            break;
        }
        if !short.is_empty() {
            short.push(' ');
        }
        short.push_str(word);
    }
    short.push('…');
    short
}

/// Where a cell's `level` stands on its dimension's scale (the model has checked it is there).
pub fn level_index(model: &Model, cell: &Page, dimension: usize) -> Option<usize> {
    let level = cell.source.front.level.as_deref()?;
    let scale = &model.pages[model.dimensions[dimension].page]
        .source
        .front
        .scale;
    scale.iter().position(|l| l == level)
}

/// A cell shown inside a framework or dimension page.
#[derive(Serialize)]
pub struct EmbeddedCell<'a> {
    pub title: &'a str,
    pub url: String,
    pub summary: Option<&'a str>,
    /// The id of the section that holds the cell on this page.
    pub anchor: String,
    /// The cell's prose: its body without code blocks, ids prefixed by `anchor--`.
    pub content: String,
    /// How many code blocks were left out of `content` (they are on the cell's own page; a
    /// dimension page shows the first in its tab group).
    pub samples: usize,
    /// Whether `content` is only the cell's opening (up to its first heading).
    pub excerpt: bool,
    pub framework: AxisRef<'a>,
    pub dimension: AxisRef<'a>,
    #[serde(flatten)]
    pub verdict: VerdictView<'a>,
}

/// One side of a row of an "X vs Y" page: the cell's answer, summary and first code sample.
#[derive(Serialize)]
pub struct PairSide<'a> {
    pub title: &'a str,
    pub url: String,
    pub summary: &'a str,
    #[serde(flatten)]
    pub verdict: VerdictView<'a>,
    pub sample: Option<&'a str>,
    /// How many code samples the cell's own page has beyond the one shown here.
    pub more_samples: usize,
}

/// One dimension of an "X vs Y" page; a side is null where the cell is not written.
#[derive(Serialize)]
pub struct PairRow<'a> {
    pub dimension: AxisRef<'a>,
    pub legend: Vec<LegendEntry<'a>>,
    pub a: Option<PairSide<'a>>,
    pub b: Option<PairSide<'a>>,
}

/// The `pair` value of `pair.html`.
#[derive(Serialize)]
pub struct PairCtx<'a> {
    pub a: AxisRef<'a>,
    pub b: AxisRef<'a>,
    pub rows: Vec<PairRow<'a>>,
}

/// How many bytes of highlighted code an "X vs Y" page shows at most: pairs of samples in
/// dimension order while they fit, so that the page stays within the theme's 100 KB budget;
/// the others are one link away, on the cells' pages.
pub const PAIR_SAMPLE_BYTES: usize = 34_000;

/// One tab of a dimension page's code comparison.
#[derive(Serialize)]
pub struct TabSample<'a> {
    pub framework: AxisRef<'a>,
    pub url: String,
    pub html: &'a str,
    pub lang: &'a str,
}
