//! Shared leaves every stage may use: HTML and URL text, and paths compared by their meaning.
//! Nothing here knows about handbooks; nothing here uses another module of the crate.

pub mod html;
pub mod paths;
pub mod url;
