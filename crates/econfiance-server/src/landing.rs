//! The https pages people reach from their mail: the login landing page (opens the app,
//! shows the code), the reset landing page (opens the app, or sets the password in the
//! browser), the download page (the installer for the visitor's system first, see
//! [`crate::downloads`]), the legal pages (`/legal/cgu`, `/legal/confidentialite`,
//! `/legal/mentions-legales`), and in sandbox mode the outbox at `/dev/mailbox`.
//!
//! A GET stores and consumes nothing (corporate link scanners open every link first). Every
//! page is sent with a strict CSP, `Referrer-Policy: no-referrer` (the URL holds the code),
//! `X-Frame-Options: DENY` and `Cache-Control: no-store`. Every value shown is escaped by
//! maud.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::passwords::apply_reset;
use crate::auth::requests::{self, login_deep_link, reset_deep_link, Kind, StoredRequest};
use crate::clock::{paris_day, paris_display};
use crate::downloads::{self, human_size, Available, Offer, Os};
use crate::error::Lang;
use crate::extract::RequestLang;
use crate::{updates, AppContext};

/// The Content-Security-Policy of every page.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Routes of the pages.
pub fn router(sandbox: bool) -> Router<AppContext> {
    let mut router = Router::new()
        .route("/auth/link", get(login_page))
        .route("/auth/reset", get(reset_page).post(reset_form))
        .route("/download", get(download_page))
        .route("/legal/{page}", get(legal_page))
        .route("/assets/landing.css", get(css))
        .route("/assets/landing.js", get(js));
    if sandbox {
        router = router.route("/dev/mailbox", get(mailbox));
    }
    with_page_headers(router)
}

/// `router`'s answers with the pages' security headers (CSP, no referrer, no framing, no
/// sniffing, no caching).
pub(crate) fn with_page_headers(router: Router<AppContext>) -> Router<AppContext> {
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../assets/landing.css"),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../assets/landing.js"),
    )
        .into_response()
}

/// A page in the pages' layout (the brand, the stylesheet, the script).
pub(crate) fn page(lang: Lang, title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang=(lang.as_locale()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="referrer" content="no-referrer";
                    title { (title) " — e-confiance" }
                    link rel="stylesheet" href="/assets/landing.css";
                    script src="/assets/landing.js" defer {}
                }
                body { main { p.brand { "e-confiance" } (body) } }
            }
        }
        .into_string(),
    )
}

fn problem(lang: Lang, fr: &str, en: &str) -> Html<String> {
    let title = lang.pick("Lien inutilisable", "Link cannot be used");
    page(
        lang,
        &title,
        html! {
            h1 { (title) }
            p.error { (lang.pick(fr, en)) }
            p.muted { (lang.pick(
                "Ouvrez l'application e-confiance et demandez un nouveau lien de connexion.",
                "Open the e-confiance app and ask for a new login link.")) }
        },
    )
}

/// The state of a request, as a page tells it, or None when it can be used.
fn unusable(request: &StoredRequest, now: i64, lang: Lang) -> Option<Html<String>> {
    if request.consumed_at.is_some() {
        return Some(problem(
            lang,
            "Ce lien a déjà été utilisé.",
            "This link was already used.",
        ));
    }
    if request.failed_attempts >= econfiance_api::auth::MAX_CODE_ATTEMPTS {
        return Some(problem(
            lang,
            "Ce lien a été désactivé après trop de codes erronés.",
            "This link was disabled after too many wrong codes.",
        ));
    }
    if now >= request.expires_at {
        return Some(problem(
            lang,
            "Ce lien a expiré : il n'est valable que 15 minutes.",
            "This link has expired: it is valid for 15 minutes only.",
        ));
    }
    None
}

fn device_box(request: &StoredRequest, lang: Lang) -> Markup {
    html! {
        div.device {
            p { strong { (lang.pick("Demande faite depuis :", "Requested from:")) } }
            p { (request.device_name) " — " (request.device_os) }
            p.muted { "e-confiance " (request.app_version) ", " (paris_display(request.created_at, lang == Lang::En)) }
        }
    }
}

/// A link from a mail, checked: the request it names, usable now.
struct OpenedLink {
    request: StoredRequest,
    id: String,
    secret: String,
    deep_link: String,
    lang: Lang,
}

/// Checks the parts of a mail's link and reads its request without changing anything;
/// `Err` is the page that explains why the link cannot be used.
async fn open_request(
    ctx: &AppContext,
    kind: Kind,
    id: Option<String>,
    secret: Option<String>,
    header_lang: Lang,
) -> Result<OpenedLink, Html<String>> {
    let (Some(id), Some(secret)) = (id, secret) else {
        return Err(problem(
            header_lang,
            "Ce lien est incomplet.",
            "This link is incomplete.",
        ));
    };
    let deep_link_of = match kind {
        Kind::Login => login_deep_link,
        Kind::Reset => reset_deep_link,
    };
    let Some(deep_link) = deep_link_of(&id, &secret) else {
        return Err(problem(
            header_lang,
            "Ce lien est abîmé : copiez-le en entier depuis l'e-mail.",
            "This link is damaged: copy it whole from the e-mail.",
        ));
    };
    let request = match requests::find(ctx, kind, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            return Err(problem(
                header_lang,
                "Ce lien n'est pas valide.",
                "This link is not valid.",
            ))
        }
        Err(e) => {
            tracing::error!(error = %e, "landing page lookup failed");
            return Err(problem(
                header_lang,
                "La plateforme rencontre un problème. Réessayez dans quelques minutes.",
                "The platform has a problem. Try again in a few minutes.",
            ));
        }
    };
    let lang = Lang::from_locale(&request.locale);
    if let Some(page) = unusable(&request, ctx.clock.now(), lang) {
        return Err(page);
    }
    Ok(OpenedLink {
        request,
        id,
        secret,
        deep_link,
        lang,
    })
}

#[derive(Debug, Deserialize)]
struct LinkQuery {
    request: Option<String>,
    code: Option<String>,
}

async fn login_page(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    Query(q): Query<LinkQuery>,
) -> Result<Html<String>, Html<String>> {
    let link = open_request(&ctx, Kind::Login, q.request, q.code, header_lang).await?;
    let lang = link.lang;
    let title = lang.pick("Connexion à e-confiance", "Log in to e-confiance");
    Ok(page(
        lang,
        &title,
        html! {
            h1 { (title) }
            (device_box(&link.request, lang))
            p { a #open-app .button href=(link.deep_link) data-auto="1" { (lang.pick("Ouvrir e-confiance", "Open e-confiance")) } }
            p { (lang.pick("L'application ne s'ouvre pas ? Saisissez ce code dans l'application :", "The app does not open? Type this code in the app:")) }
            p.code { (link.secret) }
            p.muted { (lang.pick(
                "Le code est valable 15 minutes et ne sert qu'une fois. Il ne fonctionne que dans l'application qui a demandé ce lien.",
                "The code is valid for 15 minutes and works once. It only works in the app that asked for this link.")) }
            p.muted {
                (lang.pick("L'application n'est pas installée sur cet ordinateur ? ", "The app is not installed on this computer? "))
                a href="/download" { (lang.pick("Télécharger e-confiance", "Download e-confiance")) }
            }
            p.muted { (lang.pick(
                "Si vous n'avez rien demandé, fermez cette page : personne ne peut se connecter sans l'application qui a fait la demande.",
                "If you did not ask for this, close this page: nobody can log in without the app that made the request.")) }
        },
    ))
}

#[derive(Debug, Deserialize)]
struct ResetQuery {
    request: Option<String>,
    token: Option<String>,
}

async fn reset_page(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    Query(q): Query<ResetQuery>,
) -> Result<Html<String>, Html<String>> {
    let link = open_request(&ctx, Kind::Reset, q.request, q.token, header_lang).await?;
    Ok(reset_form_page(
        link.lang,
        &link.request,
        &link.id,
        &link.secret,
        &link.deep_link,
        None,
    ))
}

fn reset_form_page(
    lang: Lang,
    request: &StoredRequest,
    id: &str,
    token: &str,
    deep_link: &str,
    error: Option<&str>,
) -> Html<String> {
    let title = lang.pick("Nouveau mot de passe", "New password");
    page(
        lang,
        &title,
        html! {
            h1 { (title) }
            (device_box(request, lang))
            p { a #open-app .button href=(deep_link) { (lang.pick("Choisir mon mot de passe dans e-confiance", "Choose my password in e-confiance")) } }
            p.muted { (lang.pick("Ou choisissez-le ici :", "Or choose it here:")) }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action="/auth/reset" {
                input type="hidden" name="request" value=(id);
                input type="hidden" name="token" value=(token);
                label for="password" { (lang.pick("Nouveau mot de passe (10 caractères au moins)", "New password (at least 10 characters)")) }
                input #password type="password" name="password" autocomplete="new-password" required minlength="10";
                label for="confirm" { (lang.pick("Confirmez le mot de passe", "Confirm the password")) }
                input #confirm type="password" name="confirm" autocomplete="new-password" required minlength="10";
                p { button.button type="submit" { (lang.pick("Enregistrer le mot de passe", "Save the password")) } }
            }
        },
    )
}

#[derive(Deserialize)]
struct ResetForm {
    request: String,
    token: String,
    password: String,
    confirm: String,
}

async fn reset_form(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    Form(form): Form<ResetForm>,
) -> Html<String> {
    let request = match requests::find(&ctx, Kind::Reset, &form.request).await {
        Ok(Some(r)) => r,
        _ => {
            return problem(
                header_lang,
                "Ce lien n'est pas valide.",
                "This link is not valid.",
            )
        }
    };
    let lang = Lang::from_locale(&request.locale);
    let Some(deep_link) = reset_deep_link(&form.request, &form.token) else {
        return problem(
            lang,
            "Ce lien est abîmé : copiez-le en entier depuis l'e-mail.",
            "This link is damaged: copy it whole from the e-mail.",
        );
    };
    if form.password != form.confirm {
        let msg = lang.pick(
            "Les deux mots de passe ne sont pas identiques.",
            "The two passwords differ.",
        );
        return reset_form_page(
            lang,
            &request,
            &form.request,
            &form.token,
            &deep_link,
            Some(&msg),
        );
    }
    match apply_reset(&ctx, &form.request, &form.token, None, &form.password, lang).await {
        Ok(()) => {
            let title = lang.pick("Mot de passe enregistré", "Password saved");
            page(
                lang,
                &title,
                html! {
                    h1 { (title) }
                    p.ok { (lang.pick(
                        "Votre nouveau mot de passe est enregistré. Par sécurité, toutes vos sessions ont été fermées.",
                        "Your new password is saved. For your safety, all your sessions were ended.")) }
                    p { (lang.pick("Ouvrez l'application e-confiance et connectez-vous.", "Open the e-confiance app and log in.")) }
                },
            )
        }
        Err(e) if e.code() == econfiance_api::ErrorCode::WeakPassword => {
            let msg = lang.pick(
                "Ce mot de passe est trop facile à deviner. Choisissez au moins 10 caractères, par exemple quelques mots sans rapport entre eux.",
                "This password is too easy to guess. Choose at least 10 characters, for example a few unrelated words.",
            );
            reset_form_page(
                lang,
                &request,
                &form.request,
                &form.token,
                &deep_link,
                Some(&msg),
            )
        }
        Err(_) => problem(
            lang,
            "Ce lien n'est plus utilisable.",
            "This link can no longer be used.",
        ),
    }
}

/// The installers for the visitor's system (from its User-Agent) first, then the others,
/// each with its size and the release's version and date; when nothing can be downloaded,
/// what to do instead. A link is shown only for a file the release lists and the disk has.
async fn download_page(
    State(ctx): State<AppContext>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
) -> Html<String> {
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let visitor = downloads::os_from_user_agent(user_agent);
    let title = lang.pick("Télécharger e-confiance", "Download e-confiance");
    let body = match downloads::available(&updates::folder(&ctx.config)) {
        Ok(Some(release)) if !release.offers.is_empty() => offers(&release, visitor, lang),
        Ok(_) => html! {
            p { (lang.pick(
                "L'application e-confiance existe pour Windows, macOS et Linux, mais aucune version n'est publiée sur cette plateforme pour le moment.",
                "The e-confiance app exists for Windows, macOS and Linux, but no version is published on this platform yet.")) }
            (what_to_do(lang))
        },
        Err(e) => {
            tracing::error!(error = %e, "download page: the release cannot be read");
            html! {
                p.error { (lang.pick(
                    "Le téléchargement est momentanément indisponible. Réessayez dans quelques minutes.",
                    "Downloading is unavailable for the moment. Try again in a few minutes.")) }
                (what_to_do(lang))
            }
        }
    };
    page(
        lang,
        &title,
        html! {
            h1 { (title) }
            (body)
        },
    )
}

fn what_to_do(lang: Lang) -> Markup {
    html! {
        p { (lang.pick(
            "Contactez votre conseiller e-confiance ou le support e-confiance : ils vous indiqueront comment installer l'application sur votre ordinateur.",
            "Contact your e-confiance adviser or e-confiance support: they will tell you how to install the app on your computer.")) }
    }
}

fn offers(release: &Available, visitor: Option<Os>, lang: Lang) -> Markup {
    let version = match release.published_at {
        Some(at) => lang.pick(
            &format!(
                "version {}, publiée le {}",
                release.version,
                paris_day(at, false)
            ),
            &format!(
                "version {}, published {}",
                release.version,
                paris_day(at, true)
            ),
        ),
        None => format!("version {}", release.version),
    };
    let next_steps = html! {
        p { (lang.pick(
            "Ouvrez le fichier téléchargé pour installer e-confiance, puis rouvrez le lien reçu par e-mail, ou saisissez le code qu'il contient.",
            "Open the downloaded file to install e-confiance, then open the link from the e-mail again, or type the code it contains.")) }
    };
    let details = |o: &Offer| {
        let mut parts = Vec::new();
        if let Some(arch) = o.arch {
            parts.push(arch.label(o.os, lang));
        }
        parts.push(human_size(o.size, lang));
        parts.push(version.clone());
        parts.join(" · ")
    };
    let entry = |o: &Offer| {
        html! {
            li {
                a href=(o.href()) { (o.os.name()) " — " (o.kind.label(lang)) }
                br;
                span.muted { (details(o)) }
            }
        }
    };
    let Some(os) = visitor else {
        return html! {
            p { (lang.pick(
                "Choisissez le programme d'installation qui correspond à votre ordinateur :",
                "Choose the installer for your computer:")) }
            ul.downloads { @for o in &release.offers { (entry(o)) } }
            (next_steps)
        };
    };
    let mine: Vec<&Offer> = release.for_os(os).collect();
    let others: Vec<&Offer> = release.offers.iter().filter(|o| o.os != os).collect();
    html! {
        @if let Some(first) = mine.first() {
            @let (main, more): (Vec<&Offer>, Vec<&Offer>) = mine.iter().partition(|o| o.kind == first.kind);
            p { (lang.pick(&format!("Pour votre ordinateur ({}) :", os.name()), &format!("For your computer ({}):", os.name()))) }
            @for o in &main {
                div.offer {
                    p {
                        a.button href=(o.href()) {
                            (lang.pick(&format!("Télécharger pour {}", os.name()), &format!("Download for {}", os.name())))
                            @if let (Some(arch), true) = (o.arch, main.len() > 1) { " (" (arch.label(os, lang)) ")" }
                        }
                    }
                    p.muted { (o.kind.label(lang)) " · " (details(o)) }
                }
            }
            @if !more.is_empty() {
                ul.downloads { @for o in &more { (entry(o)) } }
            }
            (next_steps)
        } @else {
            p { (lang.pick(
                &format!("Aucun programme d'installation pour {} n'est publié pour le moment.", os.name()),
                &format!("No installer for {} is published yet.", os.name()))) }
            (what_to_do(lang))
        }
        @if !others.is_empty() {
            h2 { (lang.pick("Pour un autre système", "For another system")) }
            ul.downloads { @for o in &others { (entry(o)) } }
        }
    }
}

/// The legal pages the app's About box links to: terms of use (CGU), privacy policy and
/// legal notice. The reference server's texts say what each page holds; the platform
/// serves its own at the same paths.
async fn legal_page(
    RequestLang(lang): RequestLang,
    axum::extract::Path(which): axum::extract::Path<String>,
) -> Response {
    let (title, text) = match which.as_str() {
        "cgu" => (
            lang.pick("Conditions générales d'utilisation", "Terms of use"),
            lang.pick(
                "Les conditions auxquelles les entreprises utilisent la plateforme e-confiance et son application de bureau : compte, engagement, avis et réponses, obligations de chacun.",
                "The terms under which companies use the e-confiance platform and its desktop app: account, commitment, reviews and replies, each party's obligations.",
            ),
        ),
        "confidentialite" => (
            lang.pick("Politique de confidentialité", "Privacy policy"),
            lang.pick(
                "Quelles données personnelles e-confiance traite, pourquoi, combien de temps, et comment exercer vos droits (accès, rectification, effacement, portabilité) auprès du support.",
                "Which personal data e-confiance processes, why, for how long, and how to exercise your rights (access, rectification, erasure, portability) through support.",
            ),
        ),
        "mentions-legales" => (
            lang.pick("Mentions légales", "Legal notice"),
            lang.pick(
                "L'éditeur de la plateforme et de l'application, son hébergeur et le directeur de la publication.",
                "The publisher of the platform and the app, its host and the publication director.",
            ),
        ),
        _ => {
            return (
                axum::http::StatusCode::NOT_FOUND,
                problem(
                    lang,
                    "Cette page n'existe pas.",
                    "This page does not exist.",
                ),
            )
                .into_response()
        }
    };
    page(
        lang,
        &title,
        html! {
            h1 { (title) }
            p { (text) }
            p.muted { (lang.pick(
                "Serveur de référence (bac à sable) : la plateforme publie le texte en vigueur à cette adresse.",
                "Reference (sandbox) server: the platform publishes the text in force at this address.")) }
        },
    )
    .into_response()
}

async fn mailbox(State(ctx): State<AppContext>) -> Html<String> {
    let mails: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, recipient, subject, text_body, created_at FROM outbox ORDER BY id DESC LIMIT 50",
    )
    .fetch_all(&ctx.db)
    .await
    .unwrap_or_default();
    page(
        Lang::Fr,
        "Boîte d'envoi du bac à sable",
        html! {
            h1 { "Boîte d'envoi du bac à sable" }
            p.muted { "Les e-mails que la plateforme aurait envoyés (mode sandbox uniquement). Les plus récents d'abord." }
            @if mails.is_empty() { p { "Aucun e-mail pour le moment." } }
            @for (id, to, subject, text, at) in &mails {
                article data-mail-id=(id) {
                    p { strong { (subject) } }
                    p.muted { "À : " (to) " — " (paris_display(*at, false)) }
                    pre {
                        @for line in text.lines() {
                            @if line.starts_with(ctx.public_url.as_str()) { a href=(line) { (line) } "\n" }
                            @else { (line) "\n" }
                        }
                    }
                }
            }
        },
    )
}
