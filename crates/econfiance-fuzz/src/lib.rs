//! The bodies of the fuzz targets, as plain functions of one input: cargo-fuzz calls them
//! with generated inputs (`fuzz/fuzz_targets/`, long runs: `scripts/fuzz.sh`), and
//! `tests/corpus.rs` replays the committed corpus (`fuzz/corpus/<target>/`) through them in
//! the ordinary test command. Each panics when a property breaks; the fuzzer and the
//! replay report that as a failure.
//!
//! - [`deep_link`]: the `econfiance://` parser and what the app does with a refused link;
//! - [`server_request`]: any request to the whole sandbox router (every route's decoding);
//! - [`client_response`]: any answer the client could get, read as each of its answer types.

pub mod client_response;
pub mod deep_link;
pub mod server_request;

pub use client_response::client_response;
pub use deep_link::deep_link;
pub use server_request::server_request;

/// A fuzz target's body: one input, a panic when a property breaks.
pub type Target = fn(&[u8]);

/// The fuzz targets, by the name of their corpus folder.
pub const TARGETS: [(&str, Target); 3] = [
    ("deep_link", deep_link),
    ("server_request", server_request),
    ("client_response", client_response),
];
