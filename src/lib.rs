//! `handbook`: a static-site generator for comparison handbooks.
//!
//! A handbook compares a set of things (frameworks) along a set of dimensions. Its Markdown
//! articles declare frameworks and dimensions and fill the cells of the matrix between them; this
//! crate turns them into a cross-linked, highlighted static site.
//!
//! The modules are the stages a page travels through, declared in that order; a stage uses only
//! the stages above it (`tests/architecture.rs` checks it). See ARCHITECTURE.md for the map.

// Shared leaves: used by every stage, using none.
pub mod diagnostic;
pub mod util;

// The stages, in the order a page travels.
pub mod build;
pub mod content;
pub mod markdown;
pub mod outputs;
pub mod render;
pub mod write;

// Beside the pipeline, built on it.
pub mod export;
pub mod serve;

pub use content::config::{Config, Overrides};
pub use diagnostic::{Diagnostic, Error, Result};
