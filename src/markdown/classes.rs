//! Short class names for highlighted code. Each body names its classes after their styles
//! (`h-` and eight hex digits); once every body is rendered, the site's classes get short names
//! (`c0`, `c1`, ...) by their rank among all of them, and every body is renamed.

use std::collections::{BTreeMap, HashMap};

use crate::markdown::highlight;
use crate::markdown::Rendered;

/// The classes the whole site uses and their short names: site-wide, since a short name is a
/// class's rank among all of them.
pub fn site_classes(rendered: &[&Rendered]) -> (highlight::Classes, HashMap<String, String>) {
    let mut all: BTreeMap<&str, highlight::StylePair> = BTreeMap::new();
    for r in rendered {
        for (name, pair) in &r.classes {
            all.entry(name.as_str()).or_insert(*pair);
        }
    }
    let classes: highlight::Classes = all.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    highlight::short_names(&classes)
}

/// Gives a body's highlighted code its short class names.
pub fn rename_classes(r: &mut Rendered, names: &HashMap<String, String>) {
    if r.classes.is_empty() {
        return; // no highlighted code, nothing to rename
    }
    // Renamed piece by piece (each sample is whole elements) so that samples' spans follow.
    let mut html = String::with_capacity(r.html.len());
    let mut at = 0;
    for sample in &mut r.samples {
        let span = sample.span.clone();
        html.push_str(&highlight::rename(&r.html[at..span.start], names));
        let start = html.len();
        html.push_str(&highlight::rename(&r.html[span.clone()], names));
        sample.span = start..html.len();
        at = span.end;
    }
    html.push_str(&highlight::rename(&r.html[at..], names));
    // Short names leave slack behind; bodies live until the end of a build.
    html.shrink_to_fit();
    r.html = html;
}
