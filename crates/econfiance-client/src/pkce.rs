//! PKCE (RFC 7636, S256): a random verifier the app keeps, and the challenge it sends.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use econfiance_api::Secret;
use sha2::{Digest, Sha256};

use crate::ClientError;

/// A verifier and its S256 challenge.
#[derive(Debug, Clone)]
pub struct PkcePair {
    /// 64 characters of base64url (384 random bits); stays in the app.
    pub verifier: Secret<String>,
    /// BASE64URL(SHA-256(verifier)); sent with the request.
    pub challenge: String,
}

impl PkcePair {
    /// A fresh pair from the OS CSPRNG.
    pub fn generate() -> Result<Self, ClientError> {
        let mut bytes = [0u8; 48];
        getrandom::fill(&mut bytes)
            .map_err(|e| ClientError::KeyringUnavailable(format!("no randomness: {e}")))?;
        let verifier = URL_SAFE_NO_PAD.encode(bytes);
        let challenge = challenge_of(&verifier);
        Ok(Self {
            verifier: Secret::new(verifier),
            challenge,
        })
    }
}

/// The S256 challenge of a verifier.
pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_matches_rfc_7636_appendix_b() {
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_pairs_are_well_formed_and_differ() {
        let a = PkcePair::generate().expect("pair");
        let b = PkcePair::generate().expect("pair");
        assert_eq!(a.verifier.expose().len(), 64);
        assert_eq!(a.challenge.len(), 43);
        assert_eq!(challenge_of(a.verifier.expose()), a.challenge);
        assert_ne!(a.verifier, b.verifier);
    }
}
