//! Shared leaves every stage may use: HTML and URL text, paths compared by their meaning, and
//! the pack file caches are kept in.
//! Nothing here knows about handbooks; nothing here uses another module of the crate.

pub mod html;
pub mod pack;
pub mod paths;
pub mod url;
