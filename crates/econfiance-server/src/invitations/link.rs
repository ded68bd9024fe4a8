//! Each establishment's shareable review link (made on first ask, then the same for good) and its
//! QR code, as an SVG to print at any size and a PNG for a document or a receipt.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use econfiance_api::invitations::{EstablishmentQuery, ReviewLink};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::auth::sessions::AuthSession;
use crate::crypto;
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiQuery;
use crate::AppContext;

/// Pixels per QR module in the PNG.
const PNG_SCALE: u32 = 10;
/// Modules of white border around the code (the standard's quiet zone).
const QUIET_ZONE: u32 = 4;

/// The link of the establishment asked for (the main one when none is), made on first
/// ask: the main one's is the company's (`review_links`), every other one's is its own.
async fn link_of(
    ctx: &AppContext,
    auth: &AuthSession,
    query: &EstablishmentQuery,
) -> Result<String, ApiError> {
    let lang = auth.lang;
    let company = auth.company_id.clone();
    let main = crate::establishments::main_of(&company);
    let establishment = query.establishment.clone().unwrap_or_else(|| main.clone());
    if establishment.chars().count() > crate::reviews::MAX_ESTABLISHMENT_ID {
        return Err(crate::reviews::bad_establishment(lang));
    }
    if crate::scope::establishment(ctx, auth, &establishment).await? {
        return Err(ApiError::establishment_closed(lang));
    }
    if establishment != main {
        sqlx::query(
            "UPDATE establishments SET review_token = $1 WHERE id = $2 AND review_token IS NULL",
        )
        .bind(crypto::random_token::<12>())
        .bind(&establishment)
        .execute(&ctx.db)
        .await
        .map_err(db(lang))?;
        let token: Option<String> =
            sqlx::query_scalar("SELECT review_token FROM establishments WHERE id = $1")
                .bind(&establishment)
                .fetch_one(&ctx.db)
                .await
                .map_err(db(lang))?;
        let token = token.ok_or_else(|| ApiError::internal(lang, "review token not kept"))?;
        return Ok(format!("{}/avis/entreprise/{token}", ctx.public_url));
    }
    sqlx::query(
        "INSERT INTO review_links (company_id, token, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (company_id) DO NOTHING",
    )
    .bind(&company)
    .bind(crypto::random_token::<12>())
    .bind(ctx.clock.now())
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?;
    let token: String = sqlx::query_scalar("SELECT token FROM review_links WHERE company_id = $1")
        .bind(&company)
        .fetch_one(&ctx.db)
        .await
        .map_err(db(lang))?;
    Ok(format!("{}/avis/entreprise/{token}", ctx.public_url))
}

fn qr(url: &str, lang: Lang) -> Result<QrCode, ApiError> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| ApiError::internal(lang, format!("QR code: {e}")))
}

/// The QR code of `url` as an SVG document.
pub fn svg_of(code: &QrCode) -> String {
    code.render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build()
}

/// The QR code as a greyscale PNG, black on white, [`PNG_SCALE`] pixels per module.
pub fn png_of(code: &QrCode) -> Result<Vec<u8>, png::EncodingError> {
    let modules = u32::try_from(code.width()).unwrap_or(0);
    let side = (modules + 2 * QUIET_ZONE) * PNG_SCALE;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; (side * side) as usize];
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let i = u32::try_from(i).unwrap_or(0);
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * PNG_SCALE..(my + 1) * PNG_SCALE {
            let row = (y * side) as usize;
            pixels[row + (mx * PNG_SCALE) as usize..row + ((mx + 1) * PNG_SCALE) as usize].fill(0);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(out)
}

#[utoipa::path(tag = "invitations", get, path = "/v1/review-link", params(EstablishmentQuery), security(("bearer" = [])),
    responses((status = 200, body = ReviewLink), (status = 400, body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: the establishment is not the company's, or not one the member is given.", body = econfiance_api::ErrorBody),
        (status = 409, description = "`establishment_closed`: the establishment is closed; its link takes no review.", body = econfiance_api::ErrorBody)))]
/// The company's shareable review link (reviews through it are not marked verified), with
/// its QR code as SVG.
pub async fn review_link(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(query): ApiQuery<EstablishmentQuery>,
) -> Result<Json<ReviewLink>, ApiError> {
    let url = link_of(&ctx, &auth, &query).await?;
    let qr_svg = svg_of(&qr(&url, auth.lang)?);
    Ok(Json(ReviewLink { url, qr_svg }))
}

#[utoipa::path(tag = "invitations", get, path = "/v1/review-link/qr.svg", params(EstablishmentQuery), security(("bearer" = [])),
    responses((status = 200, description = "The QR code of the review link, as an SVG file to download.", content_type = "image/svg+xml", body = String), (status = 400, body = econfiance_api::ErrorBody), (status = 404, body = econfiance_api::ErrorBody), (status = 409, body = econfiance_api::ErrorBody)))]
/// The review link's QR code, as an SVG file.
pub async fn qr_svg(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(query): ApiQuery<EstablishmentQuery>,
) -> Result<Response, ApiError> {
    let url = link_of(&ctx, &auth, &query).await?;
    let svg = svg_of(&qr(&url, auth.lang)?);
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"qr-avis-e-confiance.svg\"",
            ),
        ],
        svg,
    )
        .into_response())
}

#[utoipa::path(tag = "invitations", get, path = "/v1/review-link/qr.png", params(EstablishmentQuery), security(("bearer" = [])),
    responses((status = 200, description = "The QR code of the review link, as a PNG file to download.", content_type = "image/png", body = String), (status = 400, body = econfiance_api::ErrorBody), (status = 404, body = econfiance_api::ErrorBody), (status = 409, body = econfiance_api::ErrorBody)))]
/// The review link's QR code, as a PNG file.
pub async fn qr_png(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiQuery(query): ApiQuery<EstablishmentQuery>,
) -> Result<Response, ApiError> {
    let lang = auth.lang;
    let url = link_of(&ctx, &auth, &query).await?;
    let png =
        png_of(&qr(&url, lang)?).map_err(|e| ApiError::internal(lang, format!("PNG: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"qr-avis-e-confiance.png\"",
            ),
        ],
        png,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_decodes_back_to_the_link() {
        let url = "https://127.0.0.1:8443/avis/entreprise/AbCdEf012345";
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).expect("qr");
        let png = png_of(&code).expect("png");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("png header");
        let mut pixels = vec![0; reader.output_buffer_size().expect("png size")];
        let info = reader.next_frame(&mut pixels).expect("png frame");
        let (w, h) = (info.width as usize, info.height as usize);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().expect("decoded");
        assert_eq!(content, url);
        assert!(svg_of(&code).starts_with("<?xml"));
    }
}
