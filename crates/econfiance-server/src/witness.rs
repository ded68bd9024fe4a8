//! The sandbox's secret witness, for the end-to-end tests' secret scan: every secret the
//! server issues or receives — login codes, reset tokens, access and refresh tokens, PKCE
//! verifiers, passwords — appended to a file the tests read, so that they can look for
//! each of them in the app's folders. Only a sandbox server started with
//! `--sandbox-secrets-witness FILE` has one; otherwise every call does nothing.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Where the server tells the secrets it sees (nowhere, unless configured).
#[derive(Debug, Clone, Default)]
pub struct Witness(Option<Arc<Mutex<std::fs::File>>>);

impl Witness {
    /// A witness writing to `path` (appended to), or none.
    pub fn open(path: Option<&Path>) -> std::io::Result<Self> {
        let Some(path) = path else {
            return Ok(Self(None));
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(Self(Some(Arc::new(Mutex::new(file)))))
    }

    /// Records one secret of `kind` ("code", "access_token", "password"…), as a JSON line.
    pub fn saw(&self, kind: &str, value: &str) {
        if let Some(file) = &self.0 {
            // One write per line: a server killed mid-way leaves whole lines only.
            let line = format!("{}\n", serde_json::json!({ "kind": kind, "value": value }));
            if let Ok(mut file) = file.lock() {
                let _ = file.write_all(line.as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_witness_writes_one_json_line_per_secret_and_none_writes_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("witness.jsonl");
        let witness = Witness::open(Some(&path)).expect("open");
        witness.saw("code", "ABCD-EFGH");
        witness.saw("password", "tab\there");
        let text = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["value"], "tab\there");
    }
}
