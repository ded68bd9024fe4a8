//! [`Call`]: one request to the platform as data — method, path, query, body, and how its
//! answer is read — so that one sender serves every endpoint, signed in or not, and a
//! refused access token can be renewed and the same call sent again.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::ClientError;

/// How an answer's body becomes the call's result.
type Reader<T> =
    fn(reqwest::Response) -> Pin<Box<dyn Future<Output = Result<T, ClientError>> + Send>>;

/// One request to the platform's API, answered by a `T`.
pub struct Call<T> {
    pub(crate) method: reqwest::Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Option<serde_json::Value>,
    /// A body sent as it is (a file's bytes), instead of JSON.
    pub(crate) bytes: Option<Vec<u8>>,
    pub(crate) read: Reader<T>,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        Self {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            bytes: self.bytes.clone(),
            read: self.read,
            answer: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may hold a password: only the route is shown.
        write!(f, "{} {}", self.method, self.path)
    }
}

impl<T> Call<T> {
    fn new(method: reqwest::Method, path: impl Into<String>, read: Reader<T>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            bytes: None,
            read,
            answer: PhantomData,
        }
    }

    /// The same call with a JSON body.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        // The API's bodies are plain structs: serialising them cannot fail.
        self.body = serde_json::to_value(body).ok();
        self
    }

    /// The same call with a file's bytes as its body (`application/octet-stream`).
    pub fn bytes(mut self, bytes: Vec<u8>) -> Self {
        self.bytes = Some(bytes);
        self
    }

    /// The same call with a query parameter (none when `value` is `None`).
    pub fn param(mut self, name: &str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value {
            self.query.push((name.to_owned(), value.to_string()));
        }
        self
    }

    /// The same call with the fields of `query` as query parameters.
    pub fn params(mut self, query: &impl Serialize) -> Self {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(query) {
            for (name, value) in fields {
                let value = match value {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                self.query.push((name, value));
            }
        }
        self
    }

    /// The method and path, for logs.
    pub fn route(&self) -> String {
        format!("{self:?}")
    }
}

impl<T: DeserializeOwned + Send + 'static> Call<T> {
    /// A call answered by a JSON `T`.
    pub fn to(method: reqwest::Method, path: impl Into<String>) -> Self {
        Self::new(method, path, |response| Box::pin(read_json::<T>(response)))
    }

    /// `GET path`, answered by a JSON `T`.
    pub fn get(path: impl Into<String>) -> Self {
        Self::to(reqwest::Method::GET, path)
    }
}

impl Call<()> {
    /// A call whose answer has nothing to read.
    pub fn empty(method: reqwest::Method, path: impl Into<String>) -> Self {
        Self::new(method, path, |_| Box::pin(async { Ok(()) }))
    }
}

impl Call<Vec<u8>> {
    /// `GET path`, answered by a file (the bytes as sent).
    pub fn file(path: impl Into<String>) -> Self {
        Self::new(reqwest::Method::GET, path, |response| {
            Box::pin(async move {
                response
                    .bytes()
                    .await
                    .map(|b| b.to_vec())
                    .map_err(super::answers::classify)
            })
        })
    }
}

/// Reads a successful answer as `T`; a body that is not one is
/// [`ClientError::UnexpectedResponse`].
pub(crate) async fn read_json<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, ClientError> {
    response
        .json::<T>()
        .await
        .map_err(|e| ClientError::UnexpectedResponse(e.to_string()))
}

/// A path segment made of user data (an id), escaped.
pub(crate) fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Query {
        q: Option<String>,
        page: u32,
        unanswered: bool,
        from: Option<String>,
    }

    #[test]
    fn a_querys_absent_fields_are_left_out_and_the_others_are_text() {
        let call = Call::<()>::empty(reqwest::Method::GET, "/v1/x").params(&Query {
            q: Some("délai".into()),
            page: 2,
            unanswered: true,
            from: None,
        });
        let mut query = call.query;
        query.sort();
        assert_eq!(
            query,
            vec![
                ("page".to_owned(), "2".to_owned()),
                ("q".to_owned(), "délai".to_owned()),
                ("unanswered".to_owned(), "true".to_owned()),
            ]
        );
    }

    #[test]
    fn an_id_cannot_leave_its_path_segment() {
        assert_eq!(segment("rv_01-a"), "rv_01-a");
        assert_eq!(segment("../admin?x=1"), "%2E%2E%2Fadmin%3Fx%3D1");
    }

    #[test]
    fn a_call_shown_in_a_log_has_no_body() {
        let call = Call::<()>::empty(reqwest::Method::POST, "/v1/auth/token")
            .json(&serde_json::json!({"password": "hunter2"}));
        assert_eq!(call.route(), "POST /v1/auth/token");
        assert!(!format!("{call:?}").contains("hunter2"));
    }
}
