//! A wrapper for secrets (login codes, tokens, PKCE verifiers) that cannot leak by accident.
//!
//! [`Secret`] prints `<redacted>` through `Debug`, has no `Display`, does not implement
//! `Serialize` (so it can never end up in a JSON body or a log field by mistake), and wipes
//! its memory when dropped. Reading the value takes an explicit [`Secret::expose`].
//!
//! ```compile_fail
//! // A secret cannot be serialised: this does not compile.
//! let code = econfiance_api::Secret::new(String::from("K7M4-QX2P"));
//! let _ = serde_json::to_string(&code);
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroize;

/// A value that must never be logged, displayed or serialised.
pub struct Secret<T: Zeroize>(T);

impl<T: Zeroize> Secret<T> {
    /// Wraps a secret value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// Gives access to the value. Call it only where the value is actually used
    /// (an HTTP body, a keyring entry), never to log it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> Drop for Secret<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize + Clone> Clone for Secret<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T: Zeroize + PartialEq> PartialEq for Secret<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<T: Zeroize + Eq> Eq for Secret<T> {}

/// Secrets can be read from a request body (a code typed by the user, a token sent by
/// the app); they can never be written back out.
impl<'de, T: Zeroize + Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret)
    }
}

/// Writes a secret's value, for the one place a protocol requires it (a token in the
/// response that issues it, a code in the request that exchanges it). Opt in per field with
/// `#[serde(serialize_with = "econfiance_api::secret::serialize_exposed")]`, so that
/// serialising a secret is always a visible decision, never an accident.
pub fn serialize_exposed<T, S>(secret: &Secret<T>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Zeroize + Serialize,
    S: Serializer,
{
    secret.expose().serialize(serializer)
}

/// [`serialize_exposed`] for an optional secret.
pub fn serialize_exposed_option<T, S>(
    secret: &Option<Secret<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    T: Zeroize + Serialize,
    S: Serializer,
{
    secret.as_ref().map(Secret::expose).serialize(serializer)
}

impl<T: Zeroize> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_prints_redacted_not_the_value() {
        let secret = Secret::new(String::from("super-secret-refresh-token"));
        let printed = format!("{secret:?} {:?}", Some(&secret));
        assert_eq!(printed, "<redacted> Some(<redacted>)");
        assert!(!printed.contains("super-secret"));
    }

    #[test]
    fn debug_of_a_struct_holding_a_secret_hides_it() {
        #[derive(Debug)]
        #[allow(dead_code)] // only read through Debug
        struct Session {
            user: &'static str,
            token: Secret<String>,
        }
        let s = Session {
            user: "alice@example.fr",
            token: Secret::new("tok_123456".into()),
        };
        let printed = format!("{s:?}");
        assert!(printed.contains("alice@example.fr"));
        assert!(!printed.contains("tok_123456"));
    }

    #[test]
    fn expose_gives_the_value_and_deserialize_reads_it() {
        let secret: Secret<String> = serde_json::from_str("\"abc\"").expect("valid JSON string");
        assert_eq!(secret.expose(), "abc");
    }
}
