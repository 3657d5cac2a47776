//! What changed lately: `changes.xml`, an Atom feed, and `updates/`, the "Recently updated"
//! page, both listing the pages whose last commit or last review is newest (see
//! `content::review::recently_changed`). Readers who follow a framework learn when its pages
//! were corrected; the page shows the same list to everyone else.

use crate::content::config::Config;
use crate::content::model::{Model, UPDATES_FOLDER};
use crate::content::review::{long_form, recently_changed};
use crate::diagnostic::Result;
use crate::outputs::files::Output;
use crate::render::Renderer;
use crate::util::html::escape;

/// The feed, at the site root.
pub const FEED: &str = "changes.xml";

/// How many pages the feed and the page list.
const ENTRIES: usize = 50;

/// Adds `changes.xml` and `updates/index.html` to the site.
pub fn add(renderer: &Renderer, config: &Config, model: &Model, output: &mut Output) -> Result<()> {
    let changed = recently_changed(model, ENTRIES);
    output.add(FEED, feed(config, model, &changed));
    let path = format!("{UPDATES_FOLDER}/");
    let html = renderer.render_generated(
        "page.html",
        "article",
        "Recently updated",
        Some("The pages changed or reviewed most recently, newest first."),
        &path,
        &list(config, model, &changed),
    )?;
    output.add(format!("{path}index.html"), html);
    Ok(())
}

fn list(config: &Config, model: &Model, changed: &[(usize, &str)]) -> String {
    if changed.is_empty() {
        return "<p>No page has a review date or a commit yet.</p>\n".into();
    }
    let mut html = String::from("<ul class=\"updates\">\n");
    for &(page, date) in changed {
        let p = &model.pages[page];
        html.push_str(&format!(
            "<li><time datetime=\"{date}\">{}</time> <a href=\"{}\">{}</a></li>\n",
            escape(&long_form(date).unwrap_or_else(|| date.to_string())),
            escape(&config.url(&p.path)),
            escape(p.title())
        ));
    }
    html.push_str("</ul>\n");
    html.push_str(&format!(
        "<p>Follow the changes in a feed reader: <a href=\"{}\">changes.xml</a> (Atom).</p>\n",
        escape(&config.url(FEED))
    ));
    html
}

/// The Atom feed (RFC 4287). Ids are the pages' permalinks when the site's URL is known, else
/// `urn:uuid:`s derived from the handbook's title and the page's path, so they never change
/// between builds.
fn feed(config: &Config, model: &Model, changed: &[(usize, &str)]) -> String {
    let link = |path: &str| config.permalink(path).unwrap_or_else(|| config.url(path));
    let id = |path: &str| {
        config.permalink(path).unwrap_or_else(|| {
            let hash = blake3::hash(format!("{}\0{path}", config.book.title).as_bytes());
            let h = hash.to_hex();
            format!(
                "urn:uuid:{}-{}-5{}-8{}-{}",
                &h[0..8],
                &h[8..12],
                &h[13..16],
                &h[17..20],
                &h[20..32]
            )
        })
    };
    let newest = changed.first().map_or("1970-01-01", |(_, date)| date);
    let author = if config.book.authors.is_empty() {
        config.book.title.clone()
    } else {
        config.book.authors.join(", ")
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}: recently updated</title>\n<id>{}</id>\n\
         <link rel=\"self\" href=\"{}\"/>\n<link href=\"{}\"/>\n\
         <updated>{newest}T00:00:00Z</updated>\n<author><name>{}</name></author>\n",
        escape(&config.book.title),
        escape(&id(FEED)),
        escape(&link(FEED)),
        escape(&link("")),
        escape(&author)
    );
    for &(page, date) in changed {
        let p = &model.pages[page];
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<updated>{date}T00:00:00Z</updated>\n",
            escape(p.title()),
            escape(&id(&p.path)),
            escape(&link(&p.path)),
        ));
        if let Some(summary) = &p.source.front.summary {
            xml.push_str(&format!("<summary>{}</summary>\n", escape(summary)));
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
