//! The files beside the pages: `.nojekyll` (GitHub Pages would otherwise drop `_`-folders),
//! the sitemap, the content folder's images and files, and the handbook's `static/` folder.

use std::path::Path;

use crate::content::config::Config;
use crate::content::load;
use crate::content::model::Model;
use crate::diagnostic::Result;
use crate::outputs::files::Output;
use crate::util::html::escape;

/// The files beside the pages: `.nojekyll`, the content folder's assets and the handbook's
/// `static/` folder (the sitemap is made from the model alone: [`sitemap`]).
pub fn add_site_files(config: &Config, model: &Model, output: &mut Output) -> Result<()> {
    output.add(".nojekyll", "");
    for asset in &model.assets {
        output.copy(asset.clone(), config.content_dir.join(asset));
    }
    add_static_folder(&config.root.join("static"), output)
}

/// Copies the handbook's own `static/` folder (CNAME, favicon, images) to the site root.
fn add_static_folder(dir: &Path, output: &mut Output) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for (rel, path) in load::files_under(dir)? {
        output.copy(rel, path);
    }
    Ok(())
}

/// Where the sitemap is.
pub const SITEMAP: &str = "sitemap.xml";

/// The sitemap: every page in reading order and every pair page, or `None` without a
/// `site-url` (a sitemap needs absolute URLs).
pub fn sitemap(config: &Config, model: &Model) -> Option<String> {
    config.permalink("")?;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for &page in &model.reading_order {
        let page = &model.pages[page];
        let url = config.permalink(&page.path)?;
        // The last change from git, else the last review: what a crawler should revisit for.
        let lastmod = page
            .updated
            .as_deref()
            .or(page.source.front.reviewed.as_deref())
            .map_or(String::new(), |date| format!("<lastmod>{date}</lastmod>"));
        xml.push_str(&format!(
            "  <url><loc>{}</loc>{lastmod}</url>\n",
            escape(&url)
        ));
    }
    for (a, b) in crate::content::pairs::list(config, model) {
        let url = config.permalink(&crate::content::pairs::path(model, a, b))?;
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&url)));
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}
