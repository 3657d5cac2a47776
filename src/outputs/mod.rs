//! Stage 4: the files of the site beside (and made of) the rendered pages. `files` is the site
//! in memory; `assets` the theme's files and the highlight stylesheets; `pairs` the comparison
//! pages; `print` the whole handbook on one page; `search` the index; `changes` the Atom feed and the "Recently updated" page; `matrix` the comparison as JSON; `site_files` the sitemap,
//! `.nojekyll` and the copied static files.

pub mod assets;
pub mod changes;
pub mod files;
pub mod matrix;
pub mod pairs;
pub mod print;
pub mod search;
pub mod site_files;
