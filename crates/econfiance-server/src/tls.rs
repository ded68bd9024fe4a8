//! The sandbox's TLS certificate: generated on first run, kept in the data folder, reused
//! afterwards (so a client configured with `ECONFIANCE_CA_FILE` keeps trusting it).

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Files of the certificate and its private key.
#[derive(Debug, Clone)]
pub struct CertificateFiles {
    /// PEM certificate: what clients trust (`ECONFIANCE_CA_FILE`).
    pub cert: PathBuf,
    /// PEM private key, readable by the owner only.
    pub key: PathBuf,
}

/// A failure to prepare TLS.
#[derive(Debug, Error)]
pub enum TlsError {
    /// Reading or writing the files or the socket failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// The certificate could not be generated.
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
}

/// Returns the certificate files in `data_dir/tls`, generating them when absent.
pub fn ensure_certificate(
    data_dir: &Path,
    hostnames: &[String],
) -> Result<CertificateFiles, TlsError> {
    let dir = data_dir.join("tls");
    let files = CertificateFiles {
        cert: dir.join("sandbox-cert.pem"),
        key: dir.join("sandbox-key.pem"),
    };
    if files.cert.exists() && files.key.exists() {
        return Ok(files);
    }
    std::fs::create_dir_all(&dir)?;
    let certified = rcgen::generate_simple_self_signed(hostnames.to_vec())?;
    write_private(&files.key, certified.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(&files.cert, certified.cert.pem())?;
    tracing::info!(cert = %files.cert.display(), "generated the sandbox TLS certificate");
    Ok(files)
}

pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_is_generated_once_then_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let names = vec!["127.0.0.1".to_owned(), "localhost".to_owned()];
        let first = ensure_certificate(dir.path(), &names).expect("generated");
        let pem = std::fs::read_to_string(&first.cert).expect("cert");
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        let again = ensure_certificate(dir.path(), &names).expect("reused");
        assert_eq!(std::fs::read_to_string(&again.cert).expect("cert"), pem);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&first.key)
                .expect("key")
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o077,
                0,
                "the private key is readable by its owner only"
            );
        }
    }
}
