//! Stage 1: from the handbook folder to the model. `config` reads book.toml, `load` reads the
//! articles, `frontmatter` parses their YAML, `model` turns them into the matrix of frameworks
//! and dimensions with every page's URL; `pairs`, `review` and `init` answer questions about
//! that model (which comparison pages exist, which pages are due for review) or scaffold a new one.

pub mod config;
pub mod frontmatter;
pub mod git_dates;
pub mod init;
pub mod load;
pub mod model;
pub mod pairs;
pub mod review;
pub mod scaffold;
