//! Images in articles: technicians upload them; anyone may fetch them.
//!
//! The type is decided by the bytes, never by the declared `Content-Type` or a name:
//! only PNG, JPEG, GIF and WebP signatures pass. SVG is refused — it is a document
//! that can run scripts — and so is HTML dressed up as `image/png`. Images are served
//! with the type found at upload and `nosniff`, so a browser never reads one as
//! anything else.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use selfdesk_shared::API_PREFIX;
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use selfdesk_shared::kb_authoring::{
    ImageType, ImageUploaded, MAX_IMAGE_BYTES, refused_image_reason,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::Staff;
use crate::error::{ApiError, ApiPath, ApiResult, upload_body};
use crate::state::AppState;
use crate::store::kb_images::{self, NewImage};

pub fn router() -> OpenApiRouter<AppState> {
    // The body is the image itself, so the route's limit is the image limit.
    let upload = OpenApiRouter::new()
        .routes(routes!(upload_image))
        .layer(DefaultBodyLimit::max(MAX_IMAGE_BYTES));
    OpenApiRouter::new().merge(upload).routes(routes!(image))
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "Images must be at most {} MiB",
            MAX_IMAGE_BYTES / (1024 * 1024)
        ),
    )
}

/// Uploads an image for an article: the raw bytes as the body (any `Content-Type`;
/// the content decides). Answers with its permanent URL and a Markdown snippet.
#[utoipa::path(
    post, path = "/api/v1/staff/kb/images", tag = "kb-authoring",
    security(("session" = [])),
    request_body(
        description = "The image file's bytes: PNG, JPEG, GIF or WebP, at most 2 MiB",
        content(("image/png"), ("image/jpeg"), ("image/gif"), ("image/webp"), ("application/octet-stream")),
    ),
    responses(
        (status = 201, description = "Stored (or already stored)", body = ImageUploaded),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 413, description = "Over 2 MiB", body = ErrorBody),
        (status = 415, description = "Not PNG, JPEG, GIF or WebP by content (SVG is refused)", body = ErrorBody),
        (status = 507, description = "The help desk's storage for files is full", body = ErrorBody),
    )
)]
pub async fn upload_image(
    State(state): State<AppState>,
    staff: Staff,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<ImageUploaded>)> {
    let bytes = upload_body(body, MAX_IMAGE_BYTES, too_large)?;
    let Some(kind) = ImageType::sniff(&bytes) else {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            refused_image_reason(&bytes),
        ));
    };
    crate::protect::storage_quota::refuse_when_full(
        &state.db,
        state.protect.storage_quota_bytes,
        bytes.len() as i64,
    )
    .await?;
    let hash = crate::sha256_hex(&bytes);
    kb_images::insert(
        &state.db,
        &NewImage {
            hash: &hash,
            media_type: kind.media_type(),
            data: &bytes,
            uploaded_by: staff.member.id,
        },
    )
    .await?;
    let url = format!("{API_PREFIX}/kb/images/{hash}.{}", kind.extension());
    let markdown = format!("![]({url})");
    Ok((StatusCode::CREATED, Json(ImageUploaded { url, markdown })))
}

/// An article image, by the name its upload returned (`<sha256>.<ext>`). The name is
/// its content's hash, so the answer may be cached forever.
#[utoipa::path(
    get, path = "/api/v1/kb/images/{file}", tag = "kb",
    params(("file" = String, Path, description = "`<sha256 hex>.<png|jpg|gif|webp>`")),
    responses(
        (status = 200, description = "The image",
         content(("image/png"), ("image/jpeg"), ("image/gif"), ("image/webp"))),
        (status = 404, description = "No such image", body = ErrorBody),
    )
)]
pub async fn image(
    State(state): State<AppState>,
    ApiPath(file): ApiPath<String>,
) -> ApiResult<Response> {
    let not_found = || ApiError::not_found("Image");
    let (hash, ext) = file.split_once('.').ok_or_else(not_found)?;
    let wanted = ImageType::from_extension(ext).ok_or_else(not_found)?;
    if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(not_found());
    }
    let (media_type, data) = kb_images::get(&state.db, hash)
        .await?
        .ok_or_else(not_found)?;
    // One name per image: the extension must be the one its upload was given.
    if ImageType::from_media_type(&media_type) != Some(wanted) {
        return Err(not_found());
    }
    Ok((
        [
            (header::CONTENT_TYPE, media_type.as_str()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            // Opened on its own, an image still gets no scripts, styles or frames.
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
        ],
        data,
    )
        .into_response())
}
