//! The anchor check: every `page.md#id` link must name an id its target page will carry, its
//! own headings' or those of the cells it embeds. It runs once every body is rendered, since a
//! link's target may be any page.

use crate::content::config::LinkCheck;
use crate::content::model::Model;
use crate::diagnostic::{content_errors, did_you_mean, Diagnostic, Result};
use crate::markdown::{self, Rendered};

/// Every error the bodies reported, and every broken `#anchor`: all of them, or nothing. With
/// `[build] link-check = "warn"` broken links and anchors are warnings instead, returned
/// (sorted) for the caller to print.
pub fn check_bodies(
    model: &Model,
    rendered: &[&Rendered],
    link_check: LinkCheck,
) -> Result<Vec<Diagnostic>> {
    let mut all: Vec<Diagnostic> = rendered
        .iter()
        .flat_map(|r| r.errors.iter().cloned())
        .collect();
    all.extend(
        check_anchors(model, rendered)
            .into_iter()
            .map(|d| match link_check {
                LinkCheck::Error => d,
                LinkCheck::Warn => d.warning(),
            }),
    );
    let (mut warnings, errors): (Vec<Diagnostic>, Vec<Diagnostic>) =
        all.into_iter().partition(|d| d.warning);
    if !errors.is_empty() {
        return Err(content_errors(errors));
    }
    crate::diagnostic::sort(&mut warnings);
    Ok(warnings)
}

/// Checks every `page.md#id` link against the ids the target page will have.
fn check_anchors(model: &Model, rendered: &[&Rendered]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (index, r) in rendered.iter().enumerate() {
        for anchor in &r.anchors {
            if has_id(model, rendered, anchor.target, &anchor.id) {
                continue;
            }
            let source = &model.pages[index].source;
            let target = &model.pages[anchor.target].source;
            let help = did_you_mean(&anchor.id, rendered[anchor.target].ids.iter().map(String::as_str))
                .map(|s| format!("did you mean `#{s}`?"))
                .unwrap_or_else(|| "anchors are heading ids: the heading text lower-cased, with runs of other characters turned into `-`".into());
            let place = if anchor.target == index {
                "this page".to_string()
            } else {
                target.file.display().to_string()
            };
            errors.push(
                Diagnostic::new(
                    &source.file,
                    format!("broken anchor `#{}`: no such id in {place}", anchor.id),
                )
                .at(anchor.line, anchor.column)
                .len(anchor.len)
                .help(help)
                .source(&source.text),
            );
        }
    }
    errors
}

/// Whether page `target` will carry `id`: its own headings, or the sections its template adds.
fn has_id(model: &Model, rendered: &[&Rendered], target: usize, id: &str) -> bool {
    if rendered[target].ids.contains(id) || id.starts_with(markdown::THEME_ID_PREFIX) {
        return true;
    }
    let embedded = model.embedded(target);
    embedded.iter().any(|e| {
        let (slug, cell) = (e.slug, e.cell);
        id == slug
            || id
                .strip_prefix(slug)
                .and_then(|rest| rest.strip_prefix("--"))
                .is_some_and(|inner| rendered[cell].ids.contains(inner))
    })
}
