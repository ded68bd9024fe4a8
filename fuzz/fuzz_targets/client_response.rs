//! Fuzz target `client_response`: see `econfiance_fuzz::client_response` for the input and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| econfiance_fuzz::client_response(data));
