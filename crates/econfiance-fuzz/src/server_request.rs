//! Fuzz target `server_request`: any request to the sandbox server's whole router.

use std::net::SocketAddr;
use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use econfiance_api::auth::DeviceInfo;
use econfiance_api::ErrorBody;
use econfiance_server::config::Limits;
use econfiance_server::error::Lang;
use econfiance_server::{auth::tokens::start_session, ServerConfig};
use tower::ServiceExt;

/// The routes a request starts from (byte 1 picks one; the fuzzer can leave them through the
/// path suffix it adds).
const ROUTES: [&str; 45] = [
    "/v1/status",
    "/v1/auth/login-requests",
    "/v1/auth/password-resets",
    "/v1/auth/password-resets/confirm",
    "/v1/auth/token",
    "/v1/auth/logout",
    "/v1/auth/sessions",
    "/v1/auth/sessions/",
    "/v1/me",
    "/v1/me/password",
    "/v1/me/onboarding",
    "/v1/me/export",
    "/v1/company/contract",
    "/v1/company/deletion-requests",
    "/v1/company/trust-index",
    "/v1/dashboard/summary",
    "/v1/demo/requests",
    "/v1/demo/slots",
    "/v1/reviews",
    "/v1/reviews/events",
    "/v1/reviews/",
    "/v1/support/tickets",
    "/auth/link",
    "/auth/reset",
    "/legal/",
    "/updates/",
    "/download",
    "/v1/invitations",
    "/v1/invitations/csv",
    "/v1/invitations/summary",
    "/v1/review-link",
    "/v1/reply-templates",
    "/v1/me/alerts",
    "/v1/support/tickets/EC-X/messages",
    "/v1/reply-templates/tpl_x",
    "/v1/review-link/qr.png",
    "/avis/invitation/",
    "/avis/entreprise/",
    "/v1/team",
    "/v1/team/invitations/ti_x/resend",
    "/v1/team/members/us_x",
    "/v1/team/leave",
    "/v1/auth/session/company",
    "/v1/establishments",
    "/v1/establishments/et_x",
];

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

struct World {
    runtime: tokio::runtime::Runtime,
    router: Router,
    /// An access token of a signed-in, onboarded owner (for the inputs that send one).
    access: String,
    _dir: tempfile::TempDir,
}

/// The input: byte 0 picks the method (low bits), whether the owner's access token is sent
/// (0x80), whether the body is declared JSON (0x40) and the language (0x20); byte 1 picks a
/// route; up to the first newline is appended to the path (query included); the rest is the
/// body.
///
/// Properties: the server never panics and never answers 500; every error answer of the API
/// (`/v1/…`) is a `{code, message}` body.
pub fn server_request(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let world = world();
    let method = METHODS[usize::from(data[0] & 0x07) % METHODS.len()];
    let rest = &data[2..];
    let (suffix, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], rest[i + 1..].to_vec()),
        None => (rest, Vec::new()),
    };
    let Ok(suffix) = std::str::from_utf8(suffix) else {
        return;
    };
    let path = format!("{}{suffix}", ROUTES[usize::from(data[1]) % ROUTES.len()]);
    let mut request = http::Request::builder()
        .method(method)
        .uri(path.as_str())
        .header(
            "accept-language",
            if data[0] & 0x20 != 0 {
                "en-GB"
            } else {
                "fr-FR"
            },
        );
    if data[0] & 0x80 != 0 {
        request = request.header("authorization", format!("Bearer {}", world.access));
    }
    if data[0] & 0x40 != 0 {
        request = request.header("content-type", "application/json");
    }
    let Ok(mut request) = request.body(Body::from(body)) else {
        // Not an HTTP request at all (a path no client could send).
        return;
    };
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    world.runtime.block_on(async {
        let answer = world
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router always answers");
        let status = answer.status();
        assert_ne!(status, 500, "{method} {path}: internal error");
        let bytes = axum::body::to_bytes(answer.into_body(), 1 << 24)
            .await
            .expect("a readable body");
        if path.starts_with("/v1/") && (status.is_client_error() || status.is_server_error()) {
            let error: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!("{method} {path}: {status} without an error body ({e})")
            });
            assert!(error.code != econfiance_api::ErrorCode::Unknown && !error.message.is_empty());
        }
    });
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut config = ServerConfig::sandbox(dir.path());
        // Limits that a fuzzer's flood would otherwise reach at once (they are tested
        // elsewhere): the point here is what each request's decoding does.
        config.limits = Limits {
            per_email_burst: u32::MAX,
            per_email_every_secs: 1,
            resend_cooldown_secs: 0,
            per_ip_burst: u32::MAX,
            per_ip_every_ms: 1,
            ..Limits::default()
        };
        let (router, access) = runtime.block_on(async {
            let server = econfiance_server::bind_with_clock(config, Default::default())
                .await
                .expect("the sandbox starts");
            let ctx = server.ctx.clone();
            let now = ctx.clock.now();
            let user = econfiance_server::admin::create_user(
                &ctx.db,
                "fuzz@boulangerie-exemple.fr",
                Some("trois tortues lisent Proust"),
                "fr",
                now,
            )
            .await
            .expect("an owner");
            econfiance_server::admin::fill_onboarding(&ctx.db, &user, now)
                .await
                .expect("onboarded");
            let company = econfiance_server::team::companies_of(&ctx.db, &user)
                .await
                .expect("the owner's companies")
                .remove(0)
                .company_id;
            econfiance_server::fixtures::seed_reviews(&ctx.db, &company, 20, now, 7)
                .await
                .expect("reviews");
            let device = DeviceInfo {
                name: "PC-Fuzz".into(),
                os: "Linux".into(),
                app_version: "0.1.0".into(),
            };
            let tokens = start_session(&ctx, &user, &device, Lang::Fr)
                .await
                .expect("a session");
            (
                econfiance_server::router(ctx),
                tokens.access_token.expose().to_owned(),
            )
        });
        World {
            runtime,
            router,
            access,
            _dir: dir,
        }
    })
}
