//! Random secrets, their keyed digests, PKCE and password hashing.
//!
//! - Every token, code and id comes from the OS CSPRNG.
//! - Secrets are stored only as HMAC-SHA256 digests under the server key (kept in the data
//!   folder, readable by the owner only), so a copy of the database alone reveals nothing
//!   usable — not even the 40-bit login codes, which would be easy to brute-force offline
//!   from a plain hash.
//! - Digests are compared in constant time.
//! - Refresh-token successors are derived (HMAC of the predecessor), which lets the server
//!   hand out the *same* successor again during the 60-second grace without storing it.

use std::path::Path;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use econfiance_api::Secret;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Crockford's base32: codes people can read and type.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Fills a buffer from the OS CSPRNG. Failure here means the OS cannot give randomness:
/// nothing secure can continue, so it panics.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    #[allow(clippy::expect_used)] // no randomness, no security: stop.
    getrandom::fill(&mut buf).expect("the OS random number generator failed");
    buf
}

/// A random URL-safe token of `N` bytes of entropy.
pub fn random_token<const N: usize>() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<N>())
}

/// A request or session id: `rq_`/`se_` prefix and 128 random bits.
pub fn random_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_token::<16>())
}

/// A login code: 8 symbols of Crockford base32 (40 bits), written `XXXX-XXXX`.
pub fn random_login_code() -> String {
    let bytes = random_bytes::<5>();
    let mut bits: u64 = 0;
    for b in bytes {
        bits = (bits << 8) | u64::from(b);
    }
    let mut code = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            code.push('-');
        }
        let index = ((bits >> (35 - 5 * i)) & 0x1f) as usize;
        code.push(char::from(CODE_ALPHABET[index]));
    }
    code
}

/// The server key that digests secrets.
#[derive(Clone)]
pub struct ServerKey(Secret<Vec<u8>>);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(<redacted>)")
    }
}

impl ServerKey {
    /// Reads the key file, creating it (32 random bytes, mode 0600) on first run. Instances
    /// starting together on one new key file all end up with the same key: each writes its
    /// own candidate aside, links it into place only if no key is there yet (an atomic
    /// create-if-absent with the whole content), then reads back whichever won.
    pub fn load_or_create(path: &Path) -> std::io::Result<Self> {
        match std::fs::read(path) {
            Ok(bytes) => return Self::checked(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let key = random_bytes::<32>();
        let candidate = path.with_extension(format!("key-{}", random_token::<8>()));
        crate::tls::write_private(&candidate, &key)?;
        // On disk before it is used: the database records its fingerprint.
        std::fs::File::open(&candidate)?.sync_all()?;
        let linked = std::fs::hard_link(&candidate, path);
        let _ = std::fs::remove_file(&candidate);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            // A file system without hard links: created in place, if nobody did meanwhile.
            Err(_) => Self::create_in_place(path, &key)?,
        }
        Self::checked(std::fs::read(path)?)
    }

    fn create_in_place(path: &Path, key: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(path) {
            Ok(mut file) => {
                file.write_all(key)?;
                file.sync_all()
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn checked(bytes: Vec<u8>) -> std::io::Result<Self> {
        if bytes.len() >= 32 {
            Ok(Self(Secret::new(bytes)))
        } else {
            Err(std::io::Error::other("the server key file is too short"))
        }
    }

    /// A key for tests.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Secret::new(bytes.to_vec()))
    }

    /// HMAC-SHA256 of `parts` (length-prefixed, so that parts cannot run into each other).
    pub fn digest(&self, purpose: &str, parts: &[&str]) -> Vec<u8> {
        #[allow(clippy::expect_used)] // HMAC takes keys of any length.
        let mut mac = Hmac::<Sha256>::new_from_slice(self.0.expose()).expect("any key length");
        mac.update(purpose.as_bytes());
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac.finalize().into_bytes().to_vec()
    }

    /// The refresh token that follows `previous` (deterministic; see the module docs).
    pub fn successor_token(&self, previous: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.digest("refresh-successor", &[previous]))
    }
}

/// Constant-time equality of two digests.
pub fn digests_equal(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Checks a PKCE S256 pair: BASE64URL(SHA256(verifier)) == challenge, in constant time.
/// Verifiers are 43–128 characters of the RFC 7636 alphabet.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !well_formed {
        return false;
    }
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    computed.as_bytes().ct_eq(challenge.as_bytes()).into()
}

/// Whether a challenge has the form of an S256 challenge (43 base64url characters).
pub fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Hashes a password with argon2id (the crate's defaults: OWASP's minimums or better).
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::encode_b64(&random_bytes::<16>())?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// How many password verifications ran argon2 (only with the `test-counters` feature,
/// which the integration tests enable: the enumeration tests count the work done).
#[cfg(feature = "test-counters")]
pub fn argon2_verifications() -> u64 {
    ARGON2_VERIFICATIONS.load(std::sync::atomic::Ordering::SeqCst)
}

#[cfg(feature = "test-counters")]
static ARGON2_VERIFICATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Verifies a password against a stored hash; any malformed hash is a mismatch.
pub fn verify_password(password: &str, hash: &str) -> bool {
    #[cfg(feature = "test-counters")]
    ARGON2_VERIFICATIONS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_creating_one_key_file_together_all_get_the_same_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("server.key");
        let keys: Vec<Vec<u8>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| ServerKey::load_or_create(&path).expect("key")))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread").digest("t", &[]))
                .collect()
        });
        assert!(
            keys.windows(2).all(|w| w[0] == w[1]),
            "the instances disagree"
        );
        assert_eq!(
            ServerKey::load_or_create(&path)
                .expect("read")
                .digest("t", &[]),
            keys[0]
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(left.len(), 1, "candidates left behind: {left:?}");
    }

    #[test]
    fn login_codes_have_the_documented_form_and_vary() {
        let a = random_login_code();
        let b = random_login_code();
        assert!(econfiance_api::link::LoginCode::parse(&a).is_ok(), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(is_s256_challenge(challenge));
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX",
            challenge
        ));
        assert!(!pkce_matches("short", challenge));
    }

    #[test]
    fn digests_depend_on_key_purpose_and_parts() {
        let k1 = ServerKey::from_bytes([1; 32]);
        let k2 = ServerKey::from_bytes([2; 32]);
        assert_ne!(
            k1.digest("code", &["a", "b"]),
            k2.digest("code", &["a", "b"])
        );
        assert_ne!(
            k1.digest("code", &["a", "b"]),
            k1.digest("token", &["a", "b"])
        );
        assert_ne!(
            k1.digest("code", &["ab", ""]),
            k1.digest("code", &["a", "b"])
        );
        assert_eq!(k1.successor_token("t"), k1.successor_token("t"));
        assert!(digests_equal(&k1.digest("x", &[]), &k1.digest("x", &[])));
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery staple").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }
}
