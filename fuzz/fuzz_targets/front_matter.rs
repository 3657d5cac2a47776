//! Front-matter splitting and YAML parsing of arbitrary files.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = handbook::content::frontmatter::split(text) {
        assert!(text.ends_with(split.body));
        let _ = handbook::content::frontmatter::parse(&split);
    }
});
