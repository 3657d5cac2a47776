//! URL decoding, scheme detection and the encode/decode round trip.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = handbook::url::decode(text);
    let _ = handbook::url::scheme(text);
    let _ = handbook::links::forbidden_scheme(text, true);
    assert_eq!(handbook::url::decode(&handbook::url::encode_path(text)), text);
});
