//! URL decoding, scheme detection and the encode/decode round trip.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = handbook::util::url::decode(text);
    let _ = handbook::util::url::scheme(text);
    let _ = handbook::markdown::links::forbidden_scheme(text, true);
    assert_eq!(handbook::util::url::decode(&handbook::util::url::encode_path(text)), text);
});
