//! `handbook`: a static-site generator for comparison handbooks.
//!
//! A handbook compares a set of things (frameworks) along a set of dimensions. Its Markdown
//! articles declare frameworks and dimensions and fill the cells of the matrix between them; this
//! crate turns them into a cross-linked, highlighted static site. See ARCHITECTURE.md for the map
//! of modules; they follow the path a page travels, in this order.

pub mod charts;
pub mod config;
pub mod diagnostic;
pub mod export;
pub mod frontmatter;
pub mod highlight;
pub mod html;
pub mod init;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod outdir;
pub mod pairs;
pub mod pdf;
pub mod print;
pub mod rebuild;
pub mod render;
pub mod review;
pub mod samples;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod url;
pub mod write;

pub use config::{Config, Overrides};
pub use diagnostic::{Diagnostic, Error, Result};
