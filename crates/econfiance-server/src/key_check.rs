//! One server key per database. Every stored secret is a digest under the server key and
//! every queued mail is sealed under it, so instances sharing a database must share the
//! key: the first start records the key's fingerprint (an HMAC of a constant, which tells
//! nothing of the key), and a start under another key is refused before it serves
//! anything — rather than turning away every session and leaving the others' mail unread.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::crypto::ServerKey;
use crate::db::Pool;

/// Why the key check refused to start.
#[derive(Debug, thiserror::Error)]
pub enum KeyCheckError {
    /// The database was set up under another key.
    #[error(
        "this database was set up with another server key: give every instance the same \
         key file (--server-key-file / ECONFIANCE_SERVER_KEY_FILE), the one the database \
         was first started with"
    )]
    OtherKey,
    /// The database did not answer.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// The fingerprint stored for `key`.
pub fn fingerprint(key: &ServerKey) -> String {
    URL_SAFE_NO_PAD.encode(key.digest("database-key-check", &[]))
}

/// Records `key`'s fingerprint if the database has none, and refuses if it holds another.
pub async fn ensure_same_key(pool: &Pool, key: &ServerKey) -> Result<(), KeyCheckError> {
    let mine = fingerprint(key);
    sqlx::query("INSERT INTO server_key (id, fingerprint) VALUES (1, $1) ON CONFLICT DO NOTHING")
        .bind(&mine)
        .execute(pool)
        .await?;
    let stored: String = sqlx::query_scalar("SELECT fingerprint FROM server_key WHERE id = 1")
        .fetch_one(pool)
        .await?;
    if crate::crypto::digests_equal(stored.as_bytes(), mine.as_bytes()) {
        Ok(())
    } else {
        Err(KeyCheckError::OtherKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_differ_between_keys_and_hold_for_one() {
        let a = ServerKey::from_bytes([1; 32]);
        assert_eq!(
            fingerprint(&a),
            fingerprint(&ServerKey::from_bytes([1; 32]))
        );
        assert_ne!(
            fingerprint(&a),
            fingerprint(&ServerKey::from_bytes([2; 32]))
        );
    }
}
