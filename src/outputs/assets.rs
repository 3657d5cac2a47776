//! The theme's files under `assets/`: its stylesheets, scripts and images, and the highlight
//! stylesheets made for the classes the site uses.

use std::collections::BTreeMap;

use crate::content::config::Config;
use crate::markdown::highlight;
use crate::outputs::files::Output;
use crate::render::theme::{self, Theme};

/// Writes the theme's static files and the highlight stylesheets under `assets/`, with a content
/// hash in the names of CSS and JS so browsers never mix an old script with a new page. The
/// search client's files are left out when search is off.
pub fn add_theme_assets(
    config: &Config,
    theme: &Theme,
    classes: &highlight::Classes,
    output: &mut Output,
) -> BTreeMap<String, String> {
    let mut urls = BTreeMap::new();
    let (light, dark) = highlight::stylesheets(classes);
    let generated = [
        ("highlight-light.css", light.into_bytes()),
        ("highlight-dark.css", dark.into_bytes()),
    ];
    let statics = theme
        .statics
        .iter()
        .filter(|(n, _)| {
            config.search || !crate::outputs::search::THEME_ASSETS.contains(&n.as_str())
        })
        .map(|(n, b)| (n.as_str(), theme::compact(n, b)));
    for (name, bytes) in generated.into_iter().chain(statics) {
        let fingerprinted = name.ends_with(".css") || name.ends_with(".js");
        let file = if fingerprinted {
            theme::fingerprinted_name(name, &theme::fingerprint(&bytes))
        } else {
            name.to_string()
        };
        let path = format!("assets/{file}");
        urls.insert(name.to_string(), config.url(&path));
        output.add(path, bytes);
    }
    urls
}
