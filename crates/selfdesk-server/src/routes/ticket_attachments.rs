//! Ticket attachments: upload first (the raw file as the body), then list the returned
//! id in the new ticket or reply, which claims it. Downloads need the ticket's access
//! token or a download grant (requesters) or a staff session, and always come as a
//! download of the type found at upload, with `nosniff` and a CSP that forbids
//! everything.
//!
//! Anyone may upload before filing, so uploads are bounded three ways: per address
//! and hour (count and bytes, `protect::rate_limits`), per address among the files
//! waiting to be claimed (a quarter of `SELFDESK_UPLOADS_WAITING_MIB`), and by the
//! storage quota for all files, whose exhaustion is a clear 507 and a warning for
//! admins.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use selfdesk_shared::attachments::{
    Attachment, AttachmentType, MAX_ATTACHMENT_BYTES, clean_name, refused_reason,
};
use selfdesk_shared::error::{ErrorBody, ErrorCode};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::TicketInPath;
use super::tickets::{GrantParam, authorize_with_grant};
use crate::auth::extract::Staff;
use crate::auth::session::new_token;
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult, upload_body};
use crate::protect::client_addr::ClientAddr;
use crate::protect::rate_limits::{self, Action};
use crate::protect::storage_quota;
use crate::state::AppState;
use crate::store::ticket_grants::Purpose;
use crate::store::tickets;

pub fn router() -> OpenApiRouter<AppState> {
    let upload = OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES));
    OpenApiRouter::new()
        .merge(upload)
        .routes(routes!(download))
        .routes(routes!(staff_download))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name as the user chose it (shown and offered when downloading).
    #[serde(default)]
    pub name: Option<String>,
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "A file may be at most {} MiB",
            MAX_ATTACHMENT_BYTES / (1024 * 1024)
        ),
    )
}

/// Uploads one file (the raw bytes as the body; its content decides its type:
/// images, PDF, plain text). The answer's `id` goes in the ticket's or reply's
/// `attachments`; an upload no message claims within a day is deleted.
#[utoipa::path(
    post, path = "/api/v1/tickets/uploads", tag = "tickets", params(UploadParams),
    request_body(description = "The file's bytes, at most 10 MiB", content(("application/octet-stream"))),
    responses(
        (status = 201, description = "Stored, waiting to be attached", body = Attachment),
        (status = 413, description = "Over 10 MiB", body = ErrorBody),
        (status = 415, description = "Not an image, PDF or plain text by content (e.g. a program renamed .png)", body = ErrorBody),
        (status = 429, description = "Too many uploads from this address (this hour, or waiting to be attached); see `Retry-After`", body = ErrorBody),
        (status = 503, description = "Too many uploads waiting to be attached (`SELFDESK_UPLOADS_WAITING_MIB`, 512 MiB by default)", body = ErrorBody),
        (status = 507, description = "The help desk's storage for files is full", body = ErrorBody),
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiQuery(params): ApiQuery<UploadParams>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    let bytes = upload_body(body, MAX_ATTACHMENT_BYTES, too_large)?;
    let Some(kind) = AttachmentType::sniff(&bytes) else {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            refused_reason(&bytes),
        ));
    };
    let size = bytes.len() as i64;
    // The cheap refusal first: a flood is stopped before any sum is computed.
    rate_limits::take(
        &state.db,
        &state.protect.rate_limits,
        Action::Upload,
        &client,
        1,
        size as u64,
    )
    .await?;
    storage_quota::refuse_when_full(&state.db, state.protect.storage_quota_bytes, size).await?;
    let uploader = client.key();
    // What one address may have waiting: four scripts together could fill the
    // allowance, one cannot.
    let waiting = state.protect.uploads_waiting_bytes;
    if tickets::unclaimed_bytes_of(&state.db, &uploader).await? + size > waiting / 4 {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "Too many files from your address are waiting to be attached; send the ticket first, or try again later",
        )
        .with_retry_after(60 * 60));
    }
    // What is waiting to be claimed is capped: a flood of uploads fills this cap (and
    // is swept after a day), not the disk.
    if tickets::unclaimed_bytes(&state.db).await? + size > waiting {
        return Err(ApiError::new(
            ErrorCode::Unavailable,
            "Too many files are waiting to be attached right now; try again later, or send the ticket without them",
        ));
    }
    // 128 random bits are plenty for an id that only claims, never reads.
    let id: String = new_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(22)
        .collect();
    let name = clean_name(params.name.as_deref().unwrap_or(""));
    tickets::insert_upload(&state.db, &id, &name, kind.media_type(), &bytes, &uploader).await?;
    Ok((
        StatusCode::CREATED,
        Json(Attachment {
            id,
            name,
            media_type: kind.media_type().to_owned(),
            size: bytes.len() as i64,
        }),
    ))
}

fn file_response(name: &str, media_type: &str, data: Vec<u8>) -> Response {
    // RFC 6266/5987: an ASCII fallback and the exact UTF-8 name.
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = data.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// A file of the ticket, for its requester (internal notes' files are not theirs).
#[utoipa::path(
    get, path = "/api/v1/tickets/{number}/attachments/{id}", tag = "tickets",
    params(("number" = String, Path), ("id" = String, Path), GrantParam),
    security(("ticket_token" = [])),
    responses(
        (status = 200, description = "The file, as a download"),
        (status = 401, description = "No access token or grant, or the grant expired", body = ErrorBody),
        (status = 404, description = "No such file on a ticket this token opens", body = ErrorBody),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    ApiPath((number, id)): ApiPath<(TicketInPath, String)>,
    ApiQuery(q): ApiQuery<GrantParam>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (ticket_id, _) = authorize_with_grant(
        &state,
        &number,
        &headers,
        q.grant.as_deref(),
        Purpose::Download,
    )
    .await?;
    let (name, media_type, data) = tickets::attachment(&state.db, ticket_id, &id, false)
        .await?
        .ok_or_else(|| ApiError::not_found("Attachment"))?;
    Ok(file_response(&name, &media_type, data))
}

/// A file of the ticket, for staff.
#[utoipa::path(
    get, path = "/api/v1/staff/tickets/{number}/attachments/{id}", tag = "staff-tickets",
    params(("number" = String, Path), ("id" = String, Path)), security(("session" = [])),
    responses(
        (status = 200, description = "The file, as a download"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such file", body = ErrorBody),
    )
)]
pub async fn staff_download(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath((number, id)): ApiPath<(TicketInPath, String)>,
) -> ApiResult<Response> {
    let ticket_id = tickets::id_for_number(&state.db, number.number()?)
        .await?
        .ok_or_else(|| ApiError::not_found("Ticket"))?;
    let (name, media_type, data) = tickets::attachment(&state.db, ticket_id, &id, true)
        .await?
        .ok_or_else(|| ApiError::not_found("Attachment"))?;
    Ok(file_response(&name, &media_type, data))
}
