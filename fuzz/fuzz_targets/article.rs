//! A whole build (load, model, Markdown, links, highlighting, templates, search) of a handbook
//! with one arbitrary article: it builds, or fails with diagnostics; it never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Fuzz\"\n").unwrap();
    std::fs::create_dir(root.join("content")).unwrap();
    std::fs::write(root.join("content/_index.md"), "---\ntitle: Home\n---\n[a](a.md)\n").unwrap();
    std::fs::write(root.join("content/a.md"), text).unwrap();
    let config = handbook::Config::load(root, &handbook::Overrides::default()).unwrap();
    let _ = handbook::build::check(&config);
});
