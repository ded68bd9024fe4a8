//! Fuzz target `server_request`: see `econfiance_fuzz::server_request` for the input and the properties.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| econfiance_fuzz::server_request(data));
