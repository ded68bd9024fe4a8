//! Fuzz target `deep_link`: see `econfiance_fuzz::deep_link` for the input and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| econfiance_fuzz::deep_link(data));
