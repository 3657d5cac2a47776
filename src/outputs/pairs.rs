//! The "X vs Y" pages as output: rendered with the pair template, and their search entries.
//! Which pairs exist and what they are called is the model's business (`content::pairs`).

use rayon::prelude::*;

use crate::content::config::Config;
use crate::content::model::Model;
use crate::content::pairs::{description, list, path, title};
use crate::diagnostic::Result;
use crate::outputs::files::Output;
use crate::outputs::search::{self, PageInfo, Section};
use crate::render::{output_path, Renderer};

/// Renders every pair page: (output path, HTML), in pair order.
pub fn render(
    renderer: &Renderer,
    config: &Config,
    model: &Model,
) -> Result<Vec<(String, String)>> {
    list(config, model)
        .into_par_iter()
        .map(|(a, b)| render_one(renderer, model, a, b))
        .collect()
}

/// Adds every pair page to `output`.
pub fn add(renderer: &Renderer, config: &Config, model: &Model, output: &mut Output) -> Result<()> {
    for (path, html) in render(renderer, config, model)? {
        output.add(path, html);
    }
    Ok(())
}

/// The pairs of frameworks that get a page, and each page's output path.
pub fn outputs(config: &Config, model: &Model) -> Vec<(usize, usize, String)> {
    list(config, model)
        .into_iter()
        .map(|(a, b)| (a, b, output_path(&path(model, a, b))))
        .collect()
}

/// The page of frameworks `a` and `b`: (output path, HTML).
pub fn render_one(
    renderer: &Renderer,
    model: &Model,
    a: usize,
    b: usize,
) -> Result<(String, String)> {
    let html = renderer.render_pair(a, b, &title(model, a, b), &description(model, a, b))?;
    Ok((output_path(&path(model, a, b)), html))
}

/// The pair pages' search entries: each page's opening, its title and what the two differ on.
pub fn sections(config: &Config, model: &Model) -> Vec<Section> {
    list(config, model)
        .into_iter()
        .flat_map(|(a, b)| {
            let path = path(model, a, b);
            let title = title(model, a, b);
            let description = description(model, a, b);
            let html = format!("<p>{}</p>", crate::util::html::escape(&description));
            search::entries(
                &PageInfo {
                    path: &path,
                    title: &title,
                    summary: None,
                    framework: None,
                    dimension: None,
                },
                &html,
            )
        })
        .collect()
}
