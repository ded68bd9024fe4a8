//! The update feed and the download of an update package.

use std::time::Duration;

use super::{answers, ApiClient};
use crate::ClientError;

/// An update package may take minutes on a slow line.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// The largest update package accepted (a release package is a few MiB; a debug build's
/// about 100).
pub const MAX_PACKAGE_BYTES: usize = 512 * 1024 * 1024;

impl ApiClient {
    /// `GET /updates/{target}/{arch}/{current}`: the release newer than `current`, in the
    /// updater plugin's manifest format, or `None` when the app is up to date (204).
    pub async fn update_feed(
        &self,
        target: &str,
        arch: &str,
        current: &str,
    ) -> Result<Option<serde_json::Value>, ClientError> {
        let path = format!("/updates/{target}/{arch}/{current}");
        let response = self
            .checked(self.http.get(self.config.endpoint(&path)))
            .await?;
        if response.status() == reqwest::StatusCode::NO_CONTENT {
            return Ok(None);
        }
        super::call::read_json::<serde_json::Value>(response)
            .await
            .map(Some)
    }

    /// Downloads an update package named by the feed, at most [`MAX_PACKAGE_BYTES`], with
    /// the time a large download needs (over https only, like every request of this client).
    /// Its signature is checked by the caller.
    pub async fn download_package(&self, url: &url::Url) -> Result<Vec<u8>, ClientError> {
        let mut response = self
            .checked(self.http.get(url.clone()).timeout(DOWNLOAD_TIMEOUT))
            .await?;
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(answers::classify)? {
            if bytes.len() + chunk.len() > MAX_PACKAGE_BYTES {
                return Err(ClientError::UnexpectedResponse(
                    "update package larger than the limit".into(),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}
