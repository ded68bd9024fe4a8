//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through each target's body:
//! every input a fuzzer ever kept, and every crash it found once fixed, stays a test.

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    // The checkout being tested (cargo sets it when running tests); the compile-time value
    // can name another checkout whose build the shared target folder reused.
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../../fuzz/corpus")
        .join(target);
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no corpus at {}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a corpus entry").path();
            let bytes = std::fs::read(&path).expect("a corpus file");
            (path, bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

fn replay(target: &str) {
    let run = econfiance_fuzz::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .expect("a known target");
    let inputs = corpus(target);
    assert!(
        inputs.len() >= 20,
        "the {target} corpus has only {} inputs",
        inputs.len()
    );
    for (path, bytes) in inputs {
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
    }
}

#[test]
fn the_deep_link_corpus_replays_cleanly() {
    replay("deep_link");
}

#[test]
fn the_server_request_corpus_replays_cleanly() {
    replay("server_request");
}

#[test]
fn the_client_response_corpus_replays_cleanly() {
    replay("client_response");
}
