//! The `econfiance://` deep links: a typed enum, a strict parser and a builder.
//!
//! Two links exist, both built by the platform and opened by the OS:
//!
//! - `econfiance://auth/callback?request=<id>&code=<XXXX-XXXX>` completes a magic-link login;
//! - `econfiance://auth/reset?request=<id>&token=<token>` opens the new-password form.
//!
//! Any web page can open a custom-scheme URL, so the parser accepts nothing else: the host
//! and path come from an allow-list, only the known parameters are accepted and each exactly
//! once, values use small alphabets with length limits, and user info, ports, fragments,
//! percent-encoding, non-ASCII and anything the URL standard would normalise are refused.
//!
//! ```
//! use econfiance_api::link::{DeepLink, LoginCode, RequestId};
//!
//! let request = RequestId::parse("rq_0123456789abcdef").unwrap();
//! let code = LoginCode::parse("K7M4-QX2P").unwrap();
//! let url = DeepLink::LoginCallback { request, code }.to_url();
//! assert_eq!(url, "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P");
//! assert!(matches!(DeepLink::parse(&url), Ok(DeepLink::LoginCallback { .. })));
//! ```

use std::fmt;

use thiserror::Error;
use url::Url;

use crate::Secret;

/// The URL scheme the desktop app registers with the OS.
pub const SCHEME: &str = "econfiance";
/// The only host a link may name.
pub const HOST: &str = "auth";
/// The longest link accepted, in bytes. Real links are under 200.
pub const MAX_URL_LEN: usize = 512;

/// Crockford's base32 alphabet (no I, L, O, U): codes people type by hand.
const CODE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const REQUEST_ID_LEN: std::ops::RangeInclusive<usize> = 16..=64;
const RESET_TOKEN_LEN: std::ops::RangeInclusive<usize> = 32..=128;
/// Longest parameter name or value quoted back in an error.
const QUOTE_MAX: usize = 24;

/// A deep link the app understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeepLink {
    /// `econfiance://auth/callback?request=…&code=…`: finish a magic-link login.
    LoginCallback {
        /// The login request the link answers.
        request: RequestId,
        /// The one-time code from the e-mail.
        code: LoginCode,
    },
    /// `econfiance://auth/reset?request=…&token=…`: set a new password.
    PasswordReset {
        /// The reset request the link answers.
        request: RequestId,
        /// The one-time reset token from the e-mail.
        token: ResetToken,
    },
}

/// Why a deep link was refused. Every variant is a refusal; none is ever "best effort".
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkError {
    /// The bytes are not UTF-8.
    #[error("the link is not valid UTF-8")]
    InvalidUtf8,
    /// Longer than [`MAX_URL_LEN`].
    #[error("the link is {len} bytes long; at most {max} are accepted")]
    TooLong {
        /// Length of the input, in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Empty input.
    #[error("the link is empty")]
    Empty,
    /// A character outside printable ASCII (spaces, control characters, non-ASCII).
    #[error("the link contains a character that is not allowed")]
    ForbiddenCharacter,
    /// A `%` escape: no legitimate link needs one.
    #[error("the link contains percent-encoded characters")]
    PercentEncoded,
    /// Not a URL at all.
    #[error("the link is not a valid URL")]
    Malformed,
    /// A URL that the URL standard would rewrite (dot segments, backslashes, upper-case scheme…).
    #[error("the link is not in canonical form")]
    NotCanonical,
    /// Another scheme than `econfiance`.
    #[error("the link does not use the econfiance scheme")]
    WrongScheme,
    /// `user:password@` before the host.
    #[error("the link carries user information")]
    UserInfo,
    /// A port after the host.
    #[error("the link carries a port")]
    Port,
    /// A `#fragment`.
    #[error("the link carries a fragment")]
    Fragment,
    /// Another host than `auth`.
    #[error("the link names an unknown destination")]
    UnknownHost,
    /// Another path than `/callback` or `/reset`.
    #[error("the link names an unknown action")]
    UnknownPath,
    /// A required parameter is absent.
    #[error("the link lacks its `{0}` parameter")]
    MissingParameter(&'static str),
    /// A parameter that this link does not take.
    #[error("the link carries an unknown parameter `{0}`")]
    UnknownParameter(String),
    /// The same parameter twice.
    #[error("the link repeats its `{0}` parameter")]
    RepeatedParameter(&'static str),
    /// A parameter whose value has the wrong form.
    #[error("the link's `{0}` parameter is not valid")]
    InvalidParameter(&'static str),
}

impl DeepLink {
    /// Parses raw bytes, as some OS hand them over; invalid UTF-8 is refused.
    pub fn parse_bytes(input: &[u8]) -> Result<Self, LinkError> {
        let text = std::str::from_utf8(input).map_err(|_| LinkError::InvalidUtf8)?;
        Self::parse(text)
    }

    /// Parses a link strictly. See the module documentation for what is accepted.
    pub fn parse(input: &str) -> Result<Self, LinkError> {
        if input.is_empty() {
            return Err(LinkError::Empty);
        }
        if input.len() > MAX_URL_LEN {
            return Err(LinkError::TooLong {
                len: input.len(),
                max: MAX_URL_LEN,
            });
        }
        if !input.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            return Err(LinkError::ForbiddenCharacter);
        }
        if input.contains('%') {
            return Err(LinkError::PercentEncoded);
        }
        let url = Url::parse(input).map_err(|_| LinkError::Malformed)?;
        if url.scheme() != SCHEME {
            return Err(LinkError::WrongScheme);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(LinkError::UserInfo);
        }
        if url.port().is_some() {
            return Err(LinkError::Port);
        }
        if url.fragment().is_some() {
            return Err(LinkError::Fragment);
        }
        if url.host_str() != Some(HOST) {
            return Err(LinkError::UnknownHost);
        }
        // The URL standard rewrites some inputs (`/x/../callback`, `\`, `ECONFIANCE:`);
        // accepting only inputs it leaves untouched means what we check is what was sent.
        if url.as_str() != input {
            return Err(LinkError::NotCanonical);
        }
        match url.path() {
            "/callback" => {
                let [request, code] = query_params(url.query(), ["request", "code"])?;
                Ok(DeepLink::LoginCallback {
                    request: RequestId::parse(request)
                        .map_err(|_| LinkError::InvalidParameter("request"))?,
                    code: LoginCode::parse(code)
                        .map_err(|_| LinkError::InvalidParameter("code"))?,
                })
            }
            "/reset" => {
                let [request, token] = query_params(url.query(), ["request", "token"])?;
                Ok(DeepLink::PasswordReset {
                    request: RequestId::parse(request)
                        .map_err(|_| LinkError::InvalidParameter("request"))?,
                    token: ResetToken::parse(token)
                        .map_err(|_| LinkError::InvalidParameter("token"))?,
                })
            }
            _ => Err(LinkError::UnknownPath),
        }
    }

    /// The request this link answers.
    pub fn request(&self) -> &RequestId {
        match self {
            DeepLink::LoginCallback { request, .. } | DeepLink::PasswordReset { request, .. } => {
                request
            }
        }
    }

    /// The link as a URL string. It contains the secret: hand it to a landing page or the
    /// OS, never to a log.
    pub fn to_url(&self) -> String {
        match self {
            DeepLink::LoginCallback { request, code } => format!(
                "{SCHEME}://{HOST}/callback?request={}&code={}",
                request.as_str(),
                code.expose()
            ),
            DeepLink::PasswordReset { request, token } => format!(
                "{SCHEME}://{HOST}/reset?request={}&token={}",
                request.as_str(),
                token.expose()
            ),
        }
    }

    /// A short description for logs: the kind and the request id, never the secret.
    pub fn describe(&self) -> String {
        match self {
            DeepLink::LoginCallback { request, .. } => format!("login callback for {request}"),
            DeepLink::PasswordReset { request, .. } => format!("password reset for {request}"),
        }
    }
}

/// Splits `query` into exactly the parameters `names`, each present once, nothing else.
fn query_params<'q, const N: usize>(
    query: Option<&'q str>,
    names: [&'static str; N],
) -> Result<[&'q str; N], LinkError> {
    let mut values: [Option<&'q str>; N] = [None; N];
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(index) = names.iter().position(|n| *n == name) else {
            return Err(LinkError::UnknownParameter(quote(name)));
        };
        if values[index].replace(value).is_some() {
            return Err(LinkError::RepeatedParameter(names[index]));
        }
    }
    let mut out = [""; N];
    for (i, value) in values.into_iter().enumerate() {
        out[i] = value.ok_or(LinkError::MissingParameter(names[i]))?;
    }
    Ok(out)
}

fn quote(text: &str) -> String {
    text.chars().take(QUOTE_MAX).collect()
}

fn is_base64url(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A value that does not have the form its type requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("invalid value")]
pub struct InvalidValue;

/// The id of a login or reset request: 16–64 characters of `[A-Za-z0-9_-]`. Not a secret
/// on its own (the code and the app's PKCE verifier are), so it may appear in logs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(String);

impl RequestId {
    /// Checks the form of a request id.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        if REQUEST_ID_LEN.contains(&text.len()) && is_base64url(text) {
            Ok(Self(text.to_owned()))
        } else {
            Err(InvalidValue)
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The one-time login code: 8 symbols of Crockford's base32 (40 bits), written `K7M4-QX2P`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginCode(Secret<String>);

impl LoginCode {
    /// Strict form, as links carry it: `XXXX-XXXX`, upper case, Crockford alphabet.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == 9
            && bytes[4] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || CODE_ALPHABET.contains(b));
        if well_formed {
            Ok(Self(Secret::new(text.to_owned())))
        } else {
            Err(InvalidValue)
        }
    }

    /// Lenient form, as people type it: any case, spaces and dashes anywhere, and the
    /// look-alikes Crockford allows (`O`→`0`, `I`/`L`→`1`).
    pub fn parse_typed(text: &str) -> Result<Self, InvalidValue> {
        let mut symbols = String::with_capacity(9);
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\u{a0}' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) || symbols.len() >= 9 {
                return Err(InvalidValue);
            }
            if symbols.len() == 4 {
                symbols.push('-');
            }
            symbols.push(c);
        }
        Self::parse(&symbols)
    }

    /// The code, for the request that exchanges it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

/// The one-time password-reset token: 32–128 characters of `[A-Za-z0-9_-]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetToken(Secret<String>);

impl ResetToken {
    /// Checks the form of a reset token.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        if RESET_TOKEN_LEN.contains(&text.len()) && is_base64url(text) {
            Ok(Self(Secret::new(text.to_owned())))
        } else {
            Err(InvalidValue)
        }
    }

    /// The token, for the request that uses it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQ: &str = "rq_0123456789abcdef";
    const TOKEN: &str = "tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

    fn callback(query: &str) -> String {
        format!("econfiance://auth/callback?{query}")
    }

    fn err(input: &str) -> LinkError {
        DeepLink::parse(input).expect_err("the link must be refused")
    }

    // ---- accepted shapes ----

    #[test]
    fn accepts_login_callback() {
        let link = DeepLink::parse(&callback(&format!("request={REQ}&code=K7M4-QX2P")))
            .expect("valid callback");
        let DeepLink::LoginCallback { request, code } = link else {
            panic!("expected a login callback")
        };
        assert_eq!(request.as_str(), REQ);
        assert_eq!(code.expose(), "K7M4-QX2P");
    }

    #[test]
    fn accepts_login_callback_with_parameters_in_any_order() {
        let link = DeepLink::parse(&callback(&format!("code=K7M4-QX2P&request={REQ}")))
            .expect("order does not matter");
        assert_eq!(link.request().as_str(), REQ);
    }

    #[test]
    fn accepts_password_reset() {
        let url = format!("econfiance://auth/reset?request={REQ}&token={TOKEN}");
        let DeepLink::PasswordReset { request, token } = DeepLink::parse(&url).expect("valid")
        else {
            panic!("expected a password reset")
        };
        assert_eq!(request.as_str(), REQ);
        assert_eq!(token.expose(), TOKEN);
    }

    #[test]
    fn accepts_raw_bytes_in_utf8() {
        let url = callback(&format!("request={REQ}&code=K7M4-QX2P"));
        assert!(DeepLink::parse_bytes(url.as_bytes()).is_ok());
    }

    #[test]
    fn builder_output_parses_back_to_the_same_link() {
        let links = [
            DeepLink::LoginCallback {
                request: RequestId::parse(REQ).expect("id"),
                code: LoginCode::parse("0123-ABCZ").expect("code"),
            },
            DeepLink::PasswordReset {
                request: RequestId::parse(REQ).expect("id"),
                token: ResetToken::parse(TOKEN).expect("token"),
            },
        ];
        for link in links {
            assert_eq!(DeepLink::parse(&link.to_url()), Ok(link.clone()));
        }
    }

    #[test]
    fn debug_and_describe_never_show_the_code_or_token() {
        let link =
            DeepLink::parse(&callback(&format!("request={REQ}&code=K7M4-QX2P"))).expect("valid");
        for text in [format!("{link:?}"), link.describe()] {
            assert!(!text.contains("K7M4"), "{text}");
            assert!(text.contains(REQ), "{text}");
        }
        let reset = DeepLink::parse(&format!(
            "econfiance://auth/reset?request={REQ}&token={TOKEN}"
        ))
        .expect("valid");
        assert!(!format!("{reset:?}").contains(TOKEN));
    }

    // ---- rejected shapes ----

    #[test]
    fn rejects_empty_input() {
        assert_eq!(err(""), LinkError::Empty);
    }

    #[test]
    fn rejects_wrong_scheme() {
        for url in [
            format!("https://auth/callback?request={REQ}&code=K7M4-QX2P"),
            format!("econfiance2://auth/callback?request={REQ}&code=K7M4-QX2P"),
            format!("javascript://auth/callback?request={REQ}&code=K7M4-QX2P"),
        ] {
            assert_eq!(err(&url), LinkError::WrongScheme, "{url}");
        }
    }

    #[test]
    fn rejects_upper_case_scheme_as_not_canonical() {
        let url = format!("ECONFIANCE://auth/callback?request={REQ}&code=K7M4-QX2P");
        assert_eq!(err(&url), LinkError::NotCanonical);
    }

    #[test]
    fn rejects_unknown_host() {
        for host in ["evil", "AUTH", "auth.evil.fr", ""] {
            let url = format!("econfiance://{host}/callback?request={REQ}&code=K7M4-QX2P");
            assert_eq!(err(&url), LinkError::UnknownHost, "{url}");
        }
    }

    #[test]
    fn rejects_missing_authority() {
        let url = format!("econfiance:auth/callback?request={REQ}&code=K7M4-QX2P");
        assert_eq!(err(&url), LinkError::UnknownHost);
    }

    #[test]
    fn rejects_unknown_path() {
        for path in ["/login", "/callback/", "/callback/x", "/", "", "/Callback"] {
            let url = format!("econfiance://auth{path}?request={REQ}&code=K7M4-QX2P");
            assert_eq!(err(&url), LinkError::UnknownPath, "{url}");
        }
    }

    #[test]
    fn rejects_dot_segments_and_backslashes() {
        for path in ["/x/../callback", "/./callback"] {
            let url = format!("econfiance://auth{path}?request={REQ}&code=K7M4-QX2P");
            assert_eq!(err(&url), LinkError::NotCanonical, "{url}");
        }
    }

    #[test]
    fn rejects_user_info() {
        for auth in ["user@auth", "user:pw@auth", ":pw@auth"] {
            let url = format!("econfiance://{auth}/callback?request={REQ}&code=K7M4-QX2P");
            assert_eq!(err(&url), LinkError::UserInfo, "{url}");
        }
    }

    #[test]
    fn rejects_port() {
        let url = format!("econfiance://auth:8443/callback?request={REQ}&code=K7M4-QX2P");
        assert_eq!(err(&url), LinkError::Port);
    }

    #[test]
    fn rejects_fragment_even_empty() {
        for frag in ["#x", "#"] {
            let url = callback(&format!("request={REQ}&code=K7M4-QX2P{frag}"));
            assert_eq!(err(&url), LinkError::Fragment, "{url}");
        }
    }

    #[test]
    fn rejects_missing_parameters() {
        assert_eq!(
            err(&callback(&format!("request={REQ}"))),
            LinkError::MissingParameter("code")
        );
        assert_eq!(
            err(&callback("code=K7M4-QX2P")),
            LinkError::MissingParameter("request")
        );
        assert_eq!(
            err("econfiance://auth/callback"),
            LinkError::MissingParameter("request")
        );
        assert_eq!(
            err(&format!("econfiance://auth/reset?request={REQ}")),
            LinkError::MissingParameter("token")
        );
    }

    #[test]
    fn rejects_extra_parameters() {
        assert_eq!(
            err(&callback(&format!(
                "request={REQ}&code=K7M4-QX2P&next=https://evil"
            ))),
            LinkError::UnknownParameter("next".into())
        );
        // A reset token in a login callback is just as unknown.
        assert_eq!(
            err(&callback(&format!(
                "request={REQ}&code=K7M4-QX2P&token={TOKEN}"
            ))),
            LinkError::UnknownParameter("token".into())
        );
    }

    #[test]
    fn rejects_repeated_parameters() {
        assert_eq!(
            err(&callback(&format!(
                "request={REQ}&code=K7M4-QX2P&code=AAAA-BBBB"
            ))),
            LinkError::RepeatedParameter("code")
        );
        assert_eq!(
            err(&callback(&format!(
                "request={REQ}&request={REQ}&code=K7M4-QX2P"
            ))),
            LinkError::RepeatedParameter("request")
        );
    }

    #[test]
    fn rejects_invalid_values() {
        for code in [
            "K7M4QX2P",
            "k7m4-qx2p",
            "K7M4-QX2",
            "K7M4-QX2PP",
            "K7M4-QX2U",
            "",
            "K7M4_QX2P",
        ] {
            let url = callback(&format!("request={REQ}&code={code}"));
            assert_eq!(err(&url), LinkError::InvalidParameter("code"), "{url}");
        }
        for request in ["short", "", "has.dot.in.it.0123456", &"a".repeat(65)] {
            let url = callback(&format!("request={request}&code=K7M4-QX2P"));
            assert_eq!(err(&url), LinkError::InvalidParameter("request"), "{url}");
        }
        let url = format!("econfiance://auth/reset?request={REQ}&token=tooshort");
        assert_eq!(err(&url), LinkError::InvalidParameter("token"));
    }

    #[test]
    fn rejects_a_10_kb_url() {
        let url = callback(&format!(
            "request={REQ}&code=K7M4-QX2P&pad={}",
            "A".repeat(10_240)
        ));
        assert!(matches!(
            err(&url),
            LinkError::TooLong {
                max: MAX_URL_LEN,
                ..
            }
        ));
    }

    #[test]
    fn rejects_percent_encoding_tricks() {
        for url in [
            callback(&format!("request={REQ}&code=K7M4%2DQX2P")),
            callback(&format!("request={REQ}&c%6fde=K7M4-QX2P")),
            format!("econfiance://auth/%63allback?request={REQ}&code=K7M4-QX2P"),
            format!("econfiance://%61uth/callback?request={REQ}&code=K7M4-QX2P"),
            callback(&format!("request={REQ}%26code%3DAAAA-BBBB&code=K7M4-QX2P")),
            callback(&format!("request={REQ}&code=K7M4-QX2P%00")),
            callback(&format!("request={REQ}&code=K7M4-QX2P%FF")),
        ] {
            assert_eq!(err(&url), LinkError::PercentEncoded, "{url}");
        }
    }

    #[test]
    fn rejects_spaces_control_and_non_ascii_characters() {
        for url in [
            callback(&format!("request={REQ}&code=K7M4-QX2P ")),
            format!(" econfiance://auth/callback?request={REQ}&code=K7M4-QX2P"),
            callback(&format!("request={REQ}&code=K7M4-QX2P\n")),
            callback(&format!("request={REQ}\t&code=K7M4-QX2P")),
            callback(&format!("request={REQ}&code=K7M4-QX2Ṕ")),
            format!("econfiance://аuth/callback?request={REQ}&code=K7M4-QX2P"), // Cyrillic а
            callback(&format!("request={REQ}&code=K7M4-QX2P\u{202e}")),
        ] {
            assert_eq!(err(&url), LinkError::ForbiddenCharacter, "{url:?}");
        }
    }

    #[test]
    fn rejects_invalid_utf8() {
        let mut bytes = callback(&format!("request={REQ}&code=K7M4-QX2P")).into_bytes();
        bytes.push(0xff);
        assert_eq!(DeepLink::parse_bytes(&bytes), Err(LinkError::InvalidUtf8));
        assert_eq!(
            DeepLink::parse_bytes(&[0xc3, 0x28]),
            Err(LinkError::InvalidUtf8)
        );
    }

    #[test]
    fn rejects_text_that_is_not_a_url() {
        assert_eq!(err("not-a-url"), LinkError::Malformed);
        assert_eq!(err("econfiance"), LinkError::Malformed);
    }

    #[test]
    fn unknown_parameter_names_are_quoted_short() {
        let url = callback(&format!(
            "request={REQ}&code=K7M4-QX2P&{}=1",
            "x".repeat(200)
        ));
        let LinkError::UnknownParameter(name) = err(&url) else {
            panic!("expected an unknown parameter")
        };
        assert_eq!(name.len(), QUOTE_MAX);
    }

    // ---- typed codes ----

    #[test]
    fn typed_codes_are_normalised() {
        for typed in ["k7m4qx2p", "K7M4 QX2P", " k7m4-qx2p ", "K7M4--QX2P"] {
            assert_eq!(
                LoginCode::parse_typed(typed).expect("lenient").expose(),
                "K7M4-QX2P",
                "{typed}"
            );
        }
        assert_eq!(
            LoginCode::parse_typed("o1il-0000")
                .expect("look-alikes")
                .expose(),
            "0111-0000"
        );
    }

    #[test]
    fn typed_codes_of_wrong_length_or_alphabet_are_refused() {
        for typed in [
            "",
            "K7M4",
            "K7M4-QX2P-1",
            "K7M4-QX2U",
            "K7M4-QX2*",
            "K7M4-QX2É",
        ] {
            assert_eq!(LoginCode::parse_typed(typed), Err(InvalidValue), "{typed}");
        }
    }
}
