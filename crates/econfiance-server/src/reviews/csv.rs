//! The CSV export of the filtered reviews (`GET /v1/reviews/export.csv`): UTF-8 with a BOM,
//! `;`-separated, formulas made inert, so that Excel opens it as it is.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use econfiance_api::reviews::ReviewQuery;

use super::listing::{fetch, parse_filters};
use crate::auth::sessions::AuthSession;
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiQuery;
use crate::AppContext;

/// One CSV cell: quoted, quotes doubled, and text that a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return first) made inert with a `'`.
pub fn csv_cell(text: &str) -> String {
    let inert = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", inert.replace('"', "\"\""))
}

fn paris_date(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .ok()
        .and_then(|t| t.in_tz("Europe/Paris").ok())
        .map(|z| z.strftime("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// A review's moderation status in the export's language (`published` → "publié").
fn status_word(status: &str, lang: Lang) -> String {
    match status {
        "published" => lang.pick("publié", "published"),
        "pending" => lang.pick("en attente de modération", "awaiting moderation"),
        "rejected" => lang.pick("refusé", "rejected"),
        other => other.to_owned(),
    }
}

/// How a review came, in the export's language.
fn source_word(source: &str, lang: Lang) -> String {
    match source {
        "invitation" => lang.pick("invitation", "invitation"),
        "organic" => lang.pick("spontané", "unsolicited"),
        "import" => lang.pick("importé", "imported"),
        other => other.to_owned(),
    }
}

#[utoipa::path(tag = "reviews", get, path = "/v1/reviews/export.csv", params(ReviewQuery), security(("bearer" = [])),
    responses((status = 200, description = "CSV, UTF-8 with BOM, `;`-separated", content_type = "text/csv")))]
/// The filtered reviews as a CSV file that Excel opens as it is.
pub async fn export(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(q): ApiQuery<ReviewQuery>,
) -> Result<Response, ApiError> {
    let lang = auth.lang;
    let filters = parse_filters(&q, lang)?;
    let rows = fetch(&ctx.db, &auth, &filters, None, None)
        .await
        .map_err(db(lang))?;
    let header = match lang {
        Lang::Fr => [
            "Date de soumission",
            "Date de l'expérience",
            "Date de publication",
            "Note",
            "Titre",
            "Avis",
            "Auteur",
            "Statut",
            "Motif du refus",
            "Vérifié",
            "Source",
            "Réponse",
            "Date de la réponse",
            "Réponse par",
        ],
        Lang::En => [
            "Submitted",
            "Experience date",
            "Published",
            "Rating",
            "Title",
            "Review",
            "Author",
            "Status",
            "Rejection reason",
            "Verified",
            "Source",
            "Reply",
            "Replied",
            "Replied by",
        ],
    };
    let mut out = String::from("\u{FEFF}");
    out.push_str(&header.map(csv_cell).join(";"));
    out.push_str("\r\n");
    for r in rows {
        let cells = [
            paris_date(r.submitted_at),
            r.experience_date.clone(),
            r.published_at.map(paris_date).unwrap_or_default(),
            r.rating.to_string(),
            r.title.clone(),
            r.body.clone(),
            r.author_name.clone(),
            status_word(&r.status, lang),
            r.rejection_reason.clone().unwrap_or_default(),
            if r.verified != 0 {
                lang.pick("oui", "yes")
            } else {
                lang.pick("non", "no")
            },
            source_word(&r.source, lang),
            r.reply_body.clone().unwrap_or_default(),
            r.reply_created_at.map(paris_date).unwrap_or_default(),
            r.reply_author.clone().unwrap_or_default(),
        ];
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"avis-e-confiance.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_made_inert() {
        assert_eq!(csv_cell("Très bien"), "\"Très bien\"");
        assert_eq!(csv_cell("Il a dit \"bof\""), "\"Il a dit \"\"bof\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+33 6"), "\"'+33 6\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("-2"), "\"'-2\"");
        assert_eq!(csv_cell("a;b\nc"), "\"a;b\nc\"");
    }
}
