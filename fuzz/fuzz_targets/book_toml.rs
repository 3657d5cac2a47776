//! book.toml parsing of arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let path = dir.path().join("book.toml");
    let _ = handbook::Config::parse(dir.path(), &path, text, &handbook::Overrides::default());
});
