//! The HTML tag rewriter keeps what it does not change; entity decoding never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let kept = handbook::util::html::rewrite_tags(text, |_| handbook::util::html::Rewrite::Keep);
    assert_eq!(kept, text);
    let _ = handbook::util::html::rewrite_tags(text, |_| handbook::util::html::Rewrite::Update);
    let _ = handbook::util::html::decode_entities(text);
});
