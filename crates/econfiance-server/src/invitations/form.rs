//! The public review form, as a customer opens it from an invitation mail or from the
//! company's shared link (a QR code at the counter), and the page that stops a company's
//! invitations. Plain HTML forms (no script needed), usable on a phone, in the
//! invitation's language (a shared link: the browser's).
//!
//! - An invitation's link is personal: opening it marks it opened and spends nothing (mail
//!   scanners open links first); sending the form spends it, once, within 30 days. Its
//!   review is marked verified.
//! - A shared link's reviews are not verified; at most [`LINK_REVIEWS_PER_DAY`] a day per
//!   company.
//! - Sending a form counts against the client address's allowance
//!   (`Limits::review_forms_per_address` an hour). A form refused keeps everything typed.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;

use crate::calendar::paris_today;
use crate::crypto;
use crate::error::Lang;
use crate::extract::{ClientAddress, RequestLang};
use crate::landing::page;
use crate::ratelimit::{Rule, Verdict};
use crate::AppContext;

/// Reviews one company may receive through its shared link in 24 hours.
pub const LINK_REVIEWS_PER_DAY: i64 = 200;
/// The longest title, text and display name, in characters.
const TITLE_MAX: usize = 120;
const BODY_MIN: usize = 10;
const BODY_MAX: usize = 2000;
const AUTHOR_MAX: usize = 60;

/// Routes of the pages (in the public group: limited per client address).
pub fn router() -> Router<AppContext> {
    Router::new()
        .route(
            "/avis/invitation/{token}",
            get(invitation_page).post(invitation_sent),
        )
        .route(
            "/avis/invitation/{token}/desabonnement",
            get(unsubscribe_page).post(unsubscribe_sent),
        )
        .route("/avis/entreprise/{token}", get(link_page).post(link_sent))
}

/// The keyed digest an invitation's token is stored as.
pub fn token_digest(ctx: &AppContext, token: &str) -> Vec<u8> {
    ctx.key.digest("invitation-form", &[token])
}

/// The review form's address for an invitation's token.
pub fn form_url(ctx: &AppContext, token: &str) -> String {
    format!("{}/avis/invitation/{token}", ctx.public_url)
}

/// The address that stops the company's invitations, for an invitation's token.
pub fn unsubscribe_url(ctx: &AppContext, token: &str) -> String {
    format!("{}/avis/invitation/{token}/desabonnement", ctx.public_url)
}

/// What the form sends (every field optional here: a missing one is an error shown on
/// the form, not a bare 422).
#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    experience_date: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    consent: Option<String>,
}

/// A review checked: ready to store.
struct Checked {
    rating: i64,
    title: String,
    body: String,
    experience_date: String,
    author: String,
}

/// Each field's error, in the page's language.
#[derive(Default)]
struct Errors(Vec<(&'static str, String)>);

impl Errors {
    fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn has_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// Checks the form; every error at once.
fn check(form: &ReviewForm, today: jiff::civil::Date, lang: Lang) -> Result<Checked, Errors> {
    let mut errors = Errors::default();
    let rating = form
        .rating
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|r| (1..=5).contains(r));
    if rating.is_none() {
        errors.0.push((
            "rating",
            lang.pick(
                "Choisissez une note de 1 à 5 étoiles.",
                "Choose a rating from 1 to 5 stars.",
            ),
        ));
    }
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > TITLE_MAX || has_controls(title) {
        errors.0.push((
            "title",
            lang.pick(
                "Donnez un titre à votre avis (120 caractères au plus).",
                "Give your review a title (120 characters at most).",
            ),
        ));
    }
    // Browsers send a line break as CR LF and count it as one character: so does this.
    let body = form.body.replace("\r\n", "\n");
    let body = body.trim();
    let body_chars = body.chars().count();
    if !(BODY_MIN..=BODY_MAX).contains(&body_chars) || has_controls(body) {
        errors.0.push((
            "body",
            lang.pick(
                "Racontez votre expérience en 10 à 2 000 caractères.",
                "Tell your experience in 10 to 2,000 characters.",
            ),
        ));
    }
    let date = crate::invitations::parse_date(&form.experience_date).filter(|d| *d <= today);
    if date.is_none() {
        errors.0.push((
            "experience_date",
            lang.pick(
                "Indiquez la date de votre expérience (aujourd'hui ou avant).",
                "Give the date of your experience (today or before).",
            ),
        ));
    }
    let author = form.author.trim();
    if author.is_empty() || author.chars().count() > AUTHOR_MAX || has_controls(author) {
        errors.0.push((
            "author",
            lang.pick(
                "Indiquez le nom sous lequel publier votre avis (60 caractères au plus), par exemple « Camille D. ».",
                "Give the name to publish your review under (60 characters at most), for example \"Camille D.\".",
            ),
        ));
    }
    if form.consent.is_none() {
        errors.0.push((
            "consent",
            lang.pick(
                "Cochez la case pour accepter la publication de votre avis.",
                "Tick the box to accept that your review is published.",
            ),
        ));
    }
    match (rating, date) {
        (Some(rating), Some(date)) if errors.0.is_empty() => Ok(Checked {
            rating,
            title: title.to_owned(),
            body: body.to_owned(),
            experience_date: date.to_string(),
            author: author.to_owned(),
        }),
        _ => Err(errors),
    }
}

/// The form, with what was typed and each field's error.
fn form_page(
    lang: Lang,
    company: &str,
    intro: &str,
    values: &ReviewForm,
    errors: &Errors,
    today: jiff::civil::Date,
) -> Markup {
    let title = match lang {
        Lang::Fr => format!("Votre avis sur {company}"),
        Lang::En => format!("Your review of {company}"),
    };
    let field_error = |field: &str| -> Markup {
        match errors.of(field) {
            Some(message) => {
                html! { p.error id=(format!("{field}-error")) role="alert" { (message) } }
            }
            None => html! {},
        }
    };
    let described = |field: &str| errors.of(field).map(|_| format!("{field}-error"));
    let invalid = |field: &str| errors.of(field).map(|_| "true");
    let stars = [
        (
            "1",
            lang.pick("1 étoile — très mauvais", "1 star — very poor"),
        ),
        ("2", lang.pick("2 étoiles — mauvais", "2 stars — poor")),
        ("3", lang.pick("3 étoiles — correct", "3 stars — average")),
        ("4", lang.pick("4 étoiles — bien", "4 stars — good")),
        (
            "5",
            lang.pick("5 étoiles — excellent", "5 stars — excellent"),
        ),
    ];
    html! {
        h1 { (title) }
        p { (intro) }
        @if !errors.0.is_empty() {
            p.error role="alert" { (lang.pick("Votre avis n'est pas encore envoyé : corrigez les champs signalés ci-dessous. Ce que vous avez écrit est conservé.", "Your review is not sent yet: correct the fields marked below. What you wrote is kept.")) }
        }
        form method="post" novalidate {
            fieldset.stars aria-describedby=[described("rating")] {
                legend { (lang.pick("Votre note", "Your rating")) }
                @for (value, label) in &stars {
                    label.star {
                        input type="radio" name="rating" value=(value) required checked[values.rating == *value] aria-invalid=[invalid("rating")];
                        " " span aria-hidden="true" { @for _ in 0..value.parse::<usize>().unwrap_or(0) { "★" } } " " (label)
                    }
                }
                (field_error("rating"))
            }
            label for="title" { (lang.pick("Titre", "Title")) }
            input #title name="title" maxlength=(TITLE_MAX) required value=(values.title) aria-describedby=[described("title")] aria-invalid=[invalid("title")];
            (field_error("title"))
            label for="body" { (lang.pick("Votre expérience", "Your experience")) }
            textarea #body name="body" rows="6" maxlength=(BODY_MAX) required aria-describedby=[described("body")] aria-invalid=[invalid("body")] { (values.body) }
            (field_error("body"))
            label for="experience_date" { (lang.pick("Date de l'expérience", "Date of the experience")) }
            input #experience_date type="date" name="experience_date" max=(today.to_string()) required value=(values.experience_date) aria-describedby=[described("experience_date")] aria-invalid=[invalid("experience_date")];
            (field_error("experience_date"))
            label for="author" { (lang.pick("Nom affiché avec votre avis", "Name shown with your review")) }
            input #author name="author" maxlength=(AUTHOR_MAX) required autocomplete="name" value=(values.author) aria-describedby=[described("author")] aria-invalid=[invalid("author")];
            (field_error("author"))
            label.consent {
                input type="checkbox" name="consent" value="yes" required checked[values.consent.is_some()] aria-describedby=[described("consent")] aria-invalid=[invalid("consent")];
                " " (lang.pick("J'accepte que mon avis soit publié sur e-confiance, avec le nom ci-dessus et la date de mon expérience, et que l'entreprise puisse y répondre publiquement.", "I agree that my review is published on e-confiance, with the name above and the date of my experience, and that the business may answer it publicly."))
            }
            (field_error("consent"))
            p { button.button type="submit" { (lang.pick("Publier mon avis", "Publish my review")) } }
        }
    }
}

fn notice(lang: Lang, status: StatusCode, title: &str, message: &str) -> Response {
    (
        status,
        page(lang, title, html! { h1 { (title) } p { (message) } }),
    )
        .into_response()
}

fn not_found(lang: Lang) -> Response {
    notice(
        lang,
        StatusCode::NOT_FOUND,
        &lang.pick("Lien inconnu", "Unknown link"),
        &lang.pick(
            "Ce lien ne mène à aucun formulaire d'avis. Vérifiez qu'il est complet, tel qu'il figure dans l'e-mail ou sous le QR code.",
            "This link leads to no review form. Check that it is complete, as in the e-mail or under the QR code.",
        ),
    )
}

/// What a form sent while the database fails says, above what was typed.
fn unavailable_message(lang: Lang, e: &sqlx::Error) -> String {
    tracing::error!(error = %e, "review form: the database failed");
    lang.pick(
        "Votre avis n'a pas pu être enregistré pour le moment. Réessayez dans quelques minutes : ce que vous avez écrit est conservé ci-dessous.",
        "Your review could not be saved right now. Try again in a few minutes: what you wrote is kept below.",
    )
}

fn unavailable(lang: Lang, e: &sqlx::Error) -> Response {
    tracing::error!(error = %e, "review form: the database failed");
    notice(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        &lang.pick("Service indisponible", "Service unavailable"),
        &lang.pick(
            "Le formulaire ne répond pas pour le moment. Réessayez dans quelques minutes : votre lien reste valable.",
            "The form is not answering right now. Try again in a few minutes: your link stays valid.",
        ),
    )
}

/// A form refused by the address's allowance: the page says when to come back; what was
/// typed is shown again so that nothing is lost.
async fn over_allowance(
    ctx: &AppContext,
    client: std::net::IpAddr,
    lang: Lang,
) -> Result<Option<String>, sqlx::Error> {
    let per_hour = ctx.config.limits.review_forms_per_address.max(1);
    let rule = Rule {
        burst: per_hour,
        period: Duration::from_secs(3600 / u64::from(per_hour)).max(Duration::from_secs(1)),
    };
    Ok(
        match ctx
            .limiter
            .check(&format!("review-form:{client}"), rule)
            .await?
        {
            Verdict::Allowed => None,
            Verdict::RetryAfter(secs) => {
                let minutes = secs.div_ceil(60);
                Some(match lang {
                    Lang::Fr => format!("Trop d'avis ont été envoyés depuis cette connexion. Réessayez dans {minutes} min : ce que vous avez écrit est conservé ci-dessous."),
                    Lang::En => format!("Too many reviews were sent from this connection. Try again in {minutes} min: what you wrote is kept below."),
                })
            }
        },
    )
}

/// An invitation, as its pages need it.
#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: String,
    company_id: String,
    establishment_id: Option<String>,
    company_name: String,
    email: String,
    customer_name: String,
    experience_date: Option<String>,
    locale: String,
    expires_at: i64,
    reviewed_at: Option<i64>,
}

async fn find_invitation(
    ctx: &AppContext,
    token: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    if token.len() > 64 {
        return Ok(None);
    }
    sqlx::query_as(
        "SELECT i.id, i.company_id, i.establishment_id,
                CASE WHEN e.id IS NULL OR e.id = 'et_' || c.id THEN c.name ELSE e.name END AS company_name,
                i.email, i.customer_name, i.experience_date, i.locale, i.expires_at, i.reviewed_at
         FROM invitations i JOIN companies c ON c.id = i.company_id
         LEFT JOIN establishments e ON e.id = i.establishment_id
         WHERE i.token_digest = $1",
    )
    .bind(token_digest(ctx, token))
    .fetch_optional(&ctx.db)
    .await
}

/// The display name an invitation suggests: the first name and the last name's initial.
fn suggested_author(customer: &str) -> String {
    let mut words = customer.split_whitespace();
    match (words.next(), words.last()) {
        (Some(first), Some(last)) => {
            let initial: String = last.chars().take(1).collect();
            format!("{first} {initial}.")
        }
        (Some(first), None) => first.to_owned(),
        _ => String::new(),
    }
}

/// Why an invitation's form cannot be used, as a page; None when it can.
fn invitation_closed(row: &InvitationRow, now: i64, lang: Lang) -> Option<Response> {
    if row.reviewed_at.is_some() {
        return Some(notice(
            lang,
            StatusCode::GONE,
            &lang.pick("Avis déjà envoyé", "Review already sent"),
            &lang.pick(
                "Votre avis a bien été envoyé avec ce lien : merci ! Un lien ne sert qu'une fois.",
                "Your review was sent with this link: thank you! A link works once only.",
            ),
        ));
    }
    if now >= row.expires_at {
        return Some(notice(
            lang,
            StatusCode::GONE,
            &lang.pick("Lien expiré", "Link expired"),
            &lang.pick(
                "Ce lien d'invitation a expiré (il est valable 30 jours). Si vous souhaitez encore donner votre avis, demandez un nouveau lien à l'entreprise.",
                "This invitation link has expired (it works for 30 days). If you still want to write a review, ask the business for a new link.",
            ),
        ));
    }
    None
}

fn invitation_intro(row: &InvitationRow, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!(
            "Bonjour {}, {} vous invite à partager votre expérience. Votre avis sera marqué « avis vérifié ».",
            row.customer_name, row.company_name
        ),
        Lang::En => format!(
            "Hello {}, {} invites you to share your experience. Your review will be marked \"verified review\".",
            row.customer_name, row.company_name
        ),
    }
}

async fn invitation_page(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    Path(token): Path<String>,
) -> Response {
    let row = match find_invitation(&ctx, &token).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(header_lang),
        Err(e) => return unavailable(header_lang, &e),
    };
    let lang = Lang::from_locale(&row.locale);
    let now = ctx.clock.now();
    if let Some(closed) = invitation_closed(&row, now, lang) {
        return closed;
    }
    mark_opened(&ctx, &row.id, now).await;
    let values = ReviewForm {
        experience_date: row.experience_date.clone().unwrap_or_default(),
        author: suggested_author(&row.customer_name),
        ..ReviewForm::default()
    };
    let title = lang.pick("Votre avis", "Your review");
    page(
        lang,
        &title,
        form_page(
            lang,
            &row.company_name,
            &invitation_intro(&row, lang),
            &values,
            &Errors::default(),
            paris_today(now),
        ),
    )
    .into_response()
}

/// The form of invitation `id` was seen (its page, or a form sent from it): tracked, nothing
/// spent.
async fn mark_opened(ctx: &AppContext, id: &str, now: i64) {
    if let Err(e) =
        sqlx::query("UPDATE invitations SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&ctx.db)
            .await
    {
        tracing::warn!(error = %e, "an invitation's opening was not recorded");
    }
}

fn thanks(lang: Lang, company: &str) -> Response {
    let title = lang.pick("Merci pour votre avis", "Thank you for your review");
    let text = match lang {
        Lang::Fr => format!(
            "Votre avis sur {company} est publié. L'entreprise pourra y répondre publiquement."
        ),
        Lang::En => {
            format!("Your review of {company} is published. The business may answer it publicly.")
        }
    };
    (
        StatusCode::CREATED,
        page(lang, &title, html! { h1 { (title) } p.ok { (text) } }),
    )
        .into_response()
}

/// The form again, with what was typed, a general message and each field's error.
fn refused_form(
    lang: Lang,
    status: StatusCode,
    company: &str,
    intro: &str,
    form: &ReviewForm,
    errors: &Errors,
    now: i64,
) -> Response {
    // The tab's title says first that the form was not sent (screen readers read it).
    let title = lang.pick(
        "Avis non envoyé — à corriger",
        "Review not sent — to correct",
    );
    (
        status,
        page(
            lang,
            &title,
            form_page(lang, company, intro, form, errors, paris_today(now)),
        ),
    )
        .into_response()
}

/// A review as the form gives it, stored with its event (the app's notification) in `tx`.
#[allow(clippy::too_many_arguments)]
async fn store_review(
    tx: &mut crate::db::Tx<'_>,
    company: &str,
    establishment: Option<&str>,
    review: &Checked,
    language: &str,
    verified: bool,
    source: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = crypto::random_id("rv");
    sqlx::query(
        "INSERT INTO reviews (id, company_id, rating, title, body, language, author_name,
            experience_date, submitted_at, published_at, status, verified, source, establishment_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 'published', $10, $11, $12)",
    )
    .bind(&id)
    .bind(company)
    .bind(review.rating)
    .bind(&review.title)
    .bind(&review.body)
    .bind(language)
    .bind(&review.author)
    .bind(&review.experience_date)
    .bind(now)
    .bind(i64::from(verified))
    .bind(source)
    .bind(establishment)
    .execute(&mut **tx)
    .await?;
    crate::reviews::feed::record(tx, company, "review_created", &id, now).await?;
    crate::alerts::queue_review_alert(tx, company, &id, review.rating, now).await?;
    Ok(id)
}

async fn invitation_sent(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    ClientAddress(client): ClientAddress,
    Path(token): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Response {
    let row = match find_invitation(&ctx, &token).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(header_lang),
        Err(e) => return unavailable(header_lang, &e),
    };
    let lang = Lang::from_locale(&row.locale);
    let now = ctx.clock.now();
    if let Some(closed) = invitation_closed(&row, now, lang) {
        return closed;
    }
    mark_opened(&ctx, &row.id, now).await;
    let intro = invitation_intro(&row, lang);
    let checked = match check(&form, paris_today(now), lang) {
        Ok(checked) => checked,
        Err(errors) => {
            return refused_form(
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                &row.company_name,
                &intro,
                &form,
                &errors,
                now,
            )
        }
    };
    match over_allowance(&ctx, client, lang).await {
        Ok(None) => {}
        Ok(Some(message)) => {
            return refused_form(
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                &row.company_name,
                &message,
                &form,
                &Errors::default(),
                now,
            )
        }
        Err(e) => {
            return refused_form(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                &row.company_name,
                &unavailable_message(lang, &e),
                &form,
                &Errors::default(),
                now,
            )
        }
    }
    let stored: Result<bool, sqlx::Error> = async {
        let mut tx = crate::db::begin(&ctx.db).await?;
        // Spent by the first form only (two sent at once: one review).
        let spent = sqlx::query(
            "UPDATE invitations SET reviewed_at = $1, opened_at = COALESCE(opened_at, $1)
             WHERE id = $2 AND reviewed_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(&row.id)
        .execute(&mut *tx)
        .await?;
        if spent.rows_affected() != 1 {
            return Ok(false);
        }
        let review = store_review(
            &mut tx,
            &row.company_id,
            row.establishment_id.as_deref(),
            &checked,
            lang.as_locale(),
            true,
            "invitation",
            now,
        )
        .await?;
        sqlx::query("UPDATE invitations SET review_id = $1 WHERE id = $2")
            .bind(&review)
            .bind(&row.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(invitation = %row.id, review = %review, "review written through an invitation");
        Ok(true)
    }
    .await;
    match stored {
        Ok(true) => thanks(lang, &row.company_name),
        Ok(false) => notice(
            lang,
            StatusCode::GONE,
            &lang.pick("Avis déjà envoyé", "Review already sent"),
            &lang.pick(
                "Un avis a déjà été envoyé avec ce lien : un lien ne sert qu'une fois.",
                "A review was already sent with this link: a link works once only.",
            ),
        ),
        Err(e) => refused_form(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            &row.company_name,
            &unavailable_message(lang, &e),
            &form,
            &Errors::default(),
            now,
        ),
    }
}

/// A company by a shared link's token: (id, the name customers know, the establishment).
/// The company's own link is its main establishment's; each link works while its
/// establishment is open.
async fn find_company(
    ctx: &AppContext,
    token: &str,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.name, NULL AS establishment FROM review_links l JOIN companies c ON c.id = l.company_id
         JOIN establishments m ON m.id = 'et_' || c.id
         WHERE l.token = $1 AND m.closed_at IS NULL
         UNION ALL
         SELECT e.company_id, e.name, e.id FROM establishments e
         WHERE e.review_token = $2 AND e.closed_at IS NULL",
    )
    .bind(token)
    .bind(token)
    .fetch_optional(&ctx.db)
    .await
}

/// The public side of an establishment's link page, above the form: where it is, its
/// published reviews' count and average, and the three latest.
async fn public_summary(
    ctx: &AppContext,
    establishment: &str,
    lang: Lang,
) -> Result<Markup, sqlx::Error> {
    let (address, postal_code, city): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT address, postal_code, city FROM establishments WHERE id = $1")
            .bind(establishment)
            .fetch_one(&ctx.db)
            .await?;
    let (count, average): (i64, Option<f64>) = sqlx::query_as(
        "SELECT COUNT(*), CAST(AVG(rating) AS DOUBLE PRECISION) FROM reviews
         WHERE establishment_id = $1 AND status = 'published'",
    )
    .bind(establishment)
    .fetch_one(&ctx.db)
    .await?;
    let latest: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT rating, title, author_name, experience_date FROM reviews
         WHERE establishment_id = $1 AND status = 'published'
         ORDER BY published_at DESC, seq DESC LIMIT 3",
    )
    .bind(establishment)
    .fetch_all(&ctx.db)
    .await?;
    let town = [postal_code, city]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let place = [address.unwrap_or_default(), town]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let score = average.map(|a| lang.rating(a));
    let published = match (lang, count) {
        (Lang::Fr, 1) => "1 avis publié".to_owned(),
        (Lang::Fr, n) => format!("{n} avis publiés"),
        (Lang::En, 1) => "1 published review".to_owned(),
        (Lang::En, n) => format!("{n} published reviews"),
    };
    Ok(html! {
        section.public-summary {
            @if !place.is_empty() { p.place { (place) } }
            @match score {
                Some(score) => p.score { "★ " (score) " · " (published) },
                None => p.score { (lang.pick("Aucun avis publié pour l'instant : le vôtre sera le premier.", "No review published yet: yours will be the first.")) },
            }
            @if !latest.is_empty() {
                h2 { (lang.pick("Derniers avis", "Latest reviews")) }
                ul.latest {
                    @for (rating, title, author, day) in &latest {
                        li {
                            span aria-hidden="true" { @for _ in 0..*rating { "★" } } " "
                            strong { (title) }
                            " — " (author) ", " (display_day(day, lang))
                        }
                    }
                }
            }
        }
    })
}

/// `YYYY-MM-DD` as people read it: `20/11/2026` in French, as is in English.
fn display_day(day: &str, lang: Lang) -> String {
    match (lang, crate::calendar::iso_date(day)) {
        (Lang::Fr, Some(d)) => d.strftime("%d/%m/%Y").to_string(),
        _ => day.to_owned(),
    }
}

fn link_intro(company: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{company} vous invite à partager votre expérience en quelques mots."),
        Lang::En => format!("{company} invites you to share your experience in a few words."),
    }
}

async fn link_page(
    State(ctx): State<AppContext>,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
) -> Response {
    let (company_id, company, establishment) = match find_company(&ctx, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(lang),
        Err(e) => return unavailable(lang, &e),
    };
    let establishment =
        establishment.unwrap_or_else(|| crate::establishments::main_of(&company_id));
    let summary = match public_summary(&ctx, &establishment, lang).await {
        Ok(summary) => summary,
        Err(e) => return unavailable(lang, &e),
    };
    let now = ctx.clock.now();
    let title = lang.pick("Votre avis", "Your review");
    let form = form_page(
        lang,
        &company,
        &link_intro(&company, lang),
        &ReviewForm::default(),
        &Errors::default(),
        paris_today(now),
    );
    page(lang, &title, html! { (form) (summary) }).into_response()
}

async fn link_sent(
    State(ctx): State<AppContext>,
    RequestLang(lang): RequestLang,
    ClientAddress(client): ClientAddress,
    Path(token): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Response {
    let (company_id, company, establishment) = match find_company(&ctx, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(lang),
        Err(e) => return unavailable(lang, &e),
    };
    let now = ctx.clock.now();
    let intro = link_intro(&company, lang);
    let checked = match check(&form, paris_today(now), lang) {
        Ok(checked) => checked,
        Err(errors) => {
            return refused_form(
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                &company,
                &intro,
                &form,
                &errors,
                now,
            )
        }
    };
    match over_allowance(&ctx, client, lang).await {
        Ok(None) => {}
        Ok(Some(message)) => {
            return refused_form(
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                &company,
                &message,
                &form,
                &Errors::default(),
                now,
            )
        }
        Err(e) => {
            return refused_form(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                &company,
                &unavailable_message(lang, &e),
                &form,
                &Errors::default(),
                now,
            )
        }
    }
    let stored: Result<bool, sqlx::Error> = async {
        let mut tx = crate::db::begin(&ctx.db).await?;
        crate::db::serialize_on(&mut tx, &format!("link-reviews:{company_id}")).await?;
        let today: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reviews WHERE company_id = $1 AND source = 'organic' AND submitted_at > $2",
        )
        .bind(&company_id)
        .bind(now - 86_400)
        .fetch_one(&mut *tx)
        .await?;
        if today >= LINK_REVIEWS_PER_DAY {
            return Ok(false);
        }
        store_review(
            &mut tx,
            &company_id,
            establishment.as_deref(),
            &checked,
            lang.as_locale(),
            false,
            "organic",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match stored {
        Ok(true) => thanks(lang, &company),
        Ok(false) => refused_form(
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            &company,
            &lang.pick(
                "Cette entreprise a reçu beaucoup d'avis aujourd'hui : réessayez demain. Ce que vous avez écrit est conservé ci-dessous.",
                "This business received many reviews today: try again tomorrow. What you wrote is kept below.",
            ),
            &form,
            &Errors::default(),
            now,
        ),
        Err(e) => refused_form(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            &company,
            &unavailable_message(lang, &e),
            &form,
            &Errors::default(),
            now,
        ),
    }
}

async fn unsubscribe_page(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    Path(token): Path<String>,
) -> Response {
    let row = match find_invitation(&ctx, &token).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(header_lang),
        Err(e) => return unavailable(header_lang, &e),
    };
    let lang = Lang::from_locale(&row.locale);
    let title = lang.pick("Ne plus recevoir d'invitation", "Stop invitations");
    let text = match lang {
        Lang::Fr => format!(
            "{} ne vous enverra plus d'invitation à donner votre avis sur e-confiance. Confirmez :",
            row.company_name
        ),
        Lang::En => format!(
            "{} will no longer send you invitations to review them on e-confiance. Confirm:",
            row.company_name
        ),
    };
    // A GET changes nothing (mail scanners open links): the button does.
    page(
        lang,
        &title,
        html! {
            h1 { (title) }
            p { (text) }
            form method="post" { button.button type="submit" { (lang.pick("Ne plus recevoir d'invitation", "Stop invitations")) } }
        },
    )
    .into_response()
}

async fn unsubscribe_sent(
    State(ctx): State<AppContext>,
    RequestLang(header_lang): RequestLang,
    Path(token): Path<String>,
) -> Response {
    let row = match find_invitation(&ctx, &token).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(header_lang),
        Err(e) => return unavailable(header_lang, &e),
    };
    let lang = Lang::from_locale(&row.locale);
    let now = ctx.clock.now();
    let stored: Result<(), sqlx::Error> = async {
        let mut tx = crate::db::begin(&ctx.db).await?;
        sqlx::query(
            "INSERT INTO invitation_unsubscribes (company_id, email, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (company_id, email) DO NOTHING",
        )
        .bind(&row.company_id)
        .bind(&row.email)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE invitations SET unsubscribed_at = $1 WHERE id = $2 AND unsubscribed_at IS NULL",
        )
        .bind(now)
        .bind(&row.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }
    .await;
    if let Err(e) = stored {
        return unavailable(lang, &e);
    }
    tracing::info!(invitation = %row.id, "a customer stopped a company's invitations");
    let title = lang.pick("C'est noté", "Done");
    let text = match lang {
        Lang::Fr => format!("{} ne vous enverra plus d'invitation.", row.company_name),
        Lang::En => format!("{} will send you no more invitations.", row.company_name),
    };
    notice(lang, StatusCode::OK, &title, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> ReviewForm {
        ReviewForm {
            rating: "4".into(),
            title: "Très bon accueil".into(),
            body: "Pain excellent et service rapide.".into(),
            experience_date: "2026-11-28".into(),
            author: "Camille D.".into(),
            consent: Some("yes".into()),
        }
    }

    #[test]
    fn a_filled_form_passes_and_each_gap_is_named() {
        let today = jiff::civil::date(2026, 12, 1);
        let ok = check(&filled(), today, Lang::Fr).ok().expect("valid");
        assert_eq!((ok.rating, ok.experience_date.as_str()), (4, "2026-11-28"));
        let empty = check(&ReviewForm::default(), today, Lang::Fr)
            .err()
            .expect("errors");
        let fields: Vec<&str> = empty.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "rating",
                "title",
                "body",
                "experience_date",
                "author",
                "consent"
            ]
        );
        let mut future = filled();
        future.experience_date = "2026-12-02".into();
        assert!(check(&future, today, Lang::Fr).is_err());
        let mut six = filled();
        six.rating = "6".into();
        assert!(check(&six, today, Lang::Fr).is_err());
        // 2,000 characters with line breaks, as a browser sends them (CR LF).
        let mut long = filled();
        long.body = format!("{}\r\n{}", "a".repeat(999), "b".repeat(1000));
        let ok = check(&long, today, Lang::Fr)
            .ok()
            .expect("2,000 characters");
        assert_eq!(ok.body.chars().count(), 2000);
    }

    #[test]
    fn the_suggested_name_is_the_first_name_and_an_initial() {
        assert_eq!(suggested_author("Hélène Dupré"), "Hélène D.");
        assert_eq!(suggested_author("Jo"), "Jo");
        assert_eq!(suggested_author("  "), "");
    }
}
