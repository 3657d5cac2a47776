//! `handbook new`: a new framework, dimension, cell or page, written with the front matter it
//! needs so that `handbook check` passes at once, where the handbook keeps its kind of page.
//!
//! The handbook is loaded first, so a cell gets its title from the declarations (`Routing in
//! Django`), the dimension's stated task as a comment to write against, and a did-you-mean for
//! a slug that is not declared. Nothing is ever overwritten, and nothing is written outside the
//! content folder.

use std::path::{Path, PathBuf};

use crate::content::config::Config;
use crate::content::load;
use crate::content::model::{is_slug, Kind, Model, RESERVED_TOP_LEVEL};
use crate::content::review;
use crate::diagnostic::{content_errors, did_you_mean, Diagnostic, Error, Result};
use crate::util::paths::is_contained;

/// Where an error in an argument of `handbook new` is, for its message.
const COMMAND_LINE: &str = "<command line>";

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum New {
    Framework(String),
    Dimension(String),
    Cell {
        framework: String,
        dimension: String,
    },
    /// A free article at this content-relative path (`guide/intro` or `guide/intro.md`).
    Page(String),
}

/// Writes the new article and returns its path.
pub fn new(config: &Config, what: &New) -> Result<PathBuf> {
    let loaded = load::load(config).map_err(content_errors)?;
    let model = Model::build(loaded).map_err(content_errors)?;
    let today = review::date_of(review::today());
    let (rel, text) = match what {
        New::Framework(slug) => framework(&model, slug, &today)?,
        New::Dimension(slug) => dimension(&model, slug, &today)?,
        New::Cell {
            framework,
            dimension,
        } => cell(&model, framework, dimension, &today)?,
        New::Page(path) => page(path, &today)?,
    };
    let target = config.content_dir.join(&rel);
    if target.exists() {
        return Err(usage(
            &target,
            "the file already exists; `handbook new` never overwrites".into(),
            "edit it, or choose another name".into(),
        ));
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::Io(anyhow::anyhow!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(&target, text)
        .map_err(|e| Error::Io(anyhow::anyhow!("cannot write {}: {e}", target.display())))?;
    Ok(target)
}

fn framework(model: &Model, slug: &str, today: &str) -> Result<(String, String)> {
    check_slug("framework", slug)?;
    if let Some(f) = model.frameworks.iter().find(|f| f.slug == slug) {
        return Err(already(model, "framework", slug, f.page));
    }
    let folder = folder_of(model, |k| matches!(k, Kind::Framework(_)), "frameworks");
    let weight = next_weight(model, model.frameworks.iter().map(|f| f.page));
    let text = format!(
        "---\ntitle: {title:?}\nframework: {slug}\nweight: {weight}\nreviewed: {today}\n\
         # summary: \"One line: what it is and what it is for.\"\n\
         # language: python          # the language of its code samples\n\
         # website: \"https://...\"\n---\n\n\
         <!-- What {title} is, who makes it, and what a team gets by choosing it. -->\n",
        title = title_case(slug)
    );
    Ok((format!("{folder}{slug}.md"), text))
}

fn dimension(model: &Model, slug: &str, today: &str) -> Result<(String, String)> {
    check_slug("dimension", slug)?;
    if let Some(d) = model.dimensions.iter().find(|d| d.slug == slug) {
        return Err(already(model, "dimension", slug, d.page));
    }
    let folder = folder_of(model, |k| matches!(k, Kind::Dimension(_)), "dimensions");
    let weight = next_weight(model, model.dimensions.iter().map(|d| d.page));
    let text = format!(
        "---\ntitle: {title:?}\ndimension: {slug}\nweight: {weight}\nreviewed: {today}\n\
         # summary: \"One line: the question this dimension answers.\"\n\
         # scale: [\"lowest\", \"middle\", \"highest\"]   # levels for the matrix, lowest first\n---\n\n\
         ## The task\n\n\
         <!-- The one task every framework's sample on this dimension implements, stated so that\n\
         the nine answers can be compared line by line. -->\n",
        title = title_case(slug)
    );
    Ok((format!("{folder}{slug}.md"), text))
}

fn cell(model: &Model, framework: &str, dimension: &str, today: &str) -> Result<(String, String)> {
    let f = find_axis(model, "framework", framework, &model.frameworks)?;
    let d = find_axis(model, "dimension", dimension, &model.dimensions)?;
    if let Some(existing) = model.cell(f, d) {
        let file = &model.pages[existing].source.file;
        return Err(usage(
            file,
            format!("the cell {framework} x {dimension} already exists"),
            "edit it instead".into(),
        ));
    }
    let framework_page = &model.pages[model.frameworks[f].page];
    let dimension_page = &model.pages[model.dimensions[d].page];
    let folder = cell_folder(model, d, dimension);
    let scale = &dimension_page.source.front.scale;
    let level_hint = if scale.is_empty() {
        String::new()
    } else {
        format!("# level: {:?}   # one of {scale:?}\n", scale[0])
    };
    let task = stated_task(dimension_page.source.body()).map_or(
        format!(
            "<!-- The task is stated on the dimension's page, {}. -->\n\n",
            dimension_page.source.rel
        ),
        |task| {
            format!(
                "<!-- The task, from {}:\n\n{}\n-->\n\n",
                dimension_page.source.rel,
                task.replace("--", "- -")
            )
        },
    );
    let text = format!(
        "---\ntitle: {title:?}\nframework: {framework}\ndimension: {dimension}\nreviewed: {today}\n\
         # summary: \"One line: how {fw} answers it.\"\n\
         # verdict: \"at most 40 characters\"\n{level_hint}---\n\n{task}\
         <!-- How {fw} does it, with a sample that implements the task. -->\n",
        title = format!("{} in {}", dimension_page.title(), framework_page.title()),
        fw = framework_page.title(),
    );
    Ok((format!("{folder}{framework}.md"), text))
}

fn page(path: &str, today: &str) -> Result<(String, String)> {
    let rel = if path.ends_with(".md") {
        path.to_string()
    } else {
        format!("{path}.md")
    };
    let first = rel.split('/').next().unwrap_or("");
    if !is_contained(&rel) || RESERVED_TOP_LEVEL.contains(&first.trim_end_matches(".md")) {
        return Err(usage(
            Path::new(COMMAND_LINE),
            format!("`{path}` is not a path inside the content folder that a page may take"),
            "give a relative path of plain names, e.g. `guide/getting-started`".into(),
        ));
    }
    let stem = rel
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or("page");
    let text = format!(
        "---\ntitle: {:?}\nreviewed: {today}\n# summary: \"One line: what this page is for.\"\n---\n\n\
         <!-- Write the page here. -->\n",
        title_case(stem)
    );
    Ok((rel, text))
}

/// A dimension page's `## The task` section, if it states one.
fn stated_task(body: &str) -> Option<String> {
    let start = body.find("## The task")?;
    let rest = &body[start..];
    let after_heading = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let end = rest[after_heading..]
        .find("\n## ")
        .map_or(rest.len(), |i| after_heading + i);
    let task = rest[after_heading..end].trim();
    (!task.is_empty()).then(|| task.to_string())
}

fn find_axis(
    model: &Model,
    what: &str,
    slug: &str,
    axes: &[crate::content::model::Axis],
) -> Result<usize> {
    axes.iter().position(|a| a.slug == slug).ok_or_else(|| {
        let help = did_you_mean(slug, axes.iter().map(|a| a.slug.as_str()))
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| {
                format!(
                    "declared {what}s: {}; create one with `handbook new {what} {slug}`",
                    axes.iter()
                        .map(|a| a.slug.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
        let _ = model;
        usage(
            Path::new(COMMAND_LINE),
            format!("no {what} `{slug}` is declared"),
            help,
        )
    })
}

fn check_slug(what: &str, slug: &str) -> Result<()> {
    if is_slug(slug) && !slug.starts_with('-') && !slug.ends_with('-') {
        return Ok(());
    }
    Err(usage(
        Path::new(COMMAND_LINE),
        format!("`{slug}` is not a {what} slug"),
        format!(
            "a slug is lower-case letters, digits and `-`, e.g. `{}`",
            crate::util::html::slugify(slug)
        ),
    ))
}

fn already(model: &Model, what: &str, slug: &str, page: usize) -> Error {
    usage(
        &model.pages[page].source.file,
        format!("the {what} `{slug}` is already declared here"),
        "choose another slug, or edit this page".into(),
    )
}

fn usage(file: &Path, message: String, help: String) -> Error {
    Error::config(Diagnostic::new(file, message).help(help))
}

/// The folder (content-relative, ending with `/`, or empty) of the first page of a kind, else
/// the conventional one.
fn folder_of(model: &Model, kind: impl Fn(Kind) -> bool, default: &str) -> String {
    model
        .pages
        .iter()
        .find(|p| kind(p.kind))
        .map(|p| parent_of(&p.source.rel))
        .unwrap_or_else(|| format!("{default}/"))
}

/// Where the cells of dimension `d` live: beside its other cells; else beside any cell, in a
/// sibling folder named after the dimension; else `compare/<dimension>/`.
fn cell_folder(model: &Model, d: usize, dimension: &str) -> String {
    let cells = || {
        model
            .pages
            .iter()
            .filter(|p| matches!(p.kind, Kind::Cell { .. }))
    };
    if let Some(p) =
        cells().find(|p| matches!(p.kind, Kind::Cell { dimension, .. } if dimension == d))
    {
        return parent_of(&p.source.rel);
    }
    match cells().next() {
        Some(p) => {
            let folder = parent_of(&p.source.rel);
            let grandparent = parent_of(folder.trim_end_matches('/'));
            format!("{grandparent}{dimension}/")
        }
        None => format!("compare/{dimension}/"),
    }
}

fn parent_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(dir, _)| format!("{dir}/"))
}

fn next_weight(model: &Model, pages: impl Iterator<Item = usize>) -> i64 {
    pages
        .filter_map(|p| model.pages[p].source.front.weight)
        .max()
        .map_or(1, |w| w + 1)
}

/// `aspnet-core` -> `Aspnet Core`: a first title for the writer to correct.
fn title_case(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_tasks() {
        assert_eq!(title_case("aspnet-core"), "Aspnet Core");
        assert_eq!(
            stated_task("Intro.\n\n## The task\n\nDo X.\n\n## More\n\nY"),
            Some("Do X.".into())
        );
        assert_eq!(stated_task("## Other\n"), None);
        assert_eq!(parent_of("compare/routing/go.md"), "compare/routing/");
        assert_eq!(parent_of("go.md"), "");
    }
}
