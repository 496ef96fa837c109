//! Slow clients: no connection may hold the server's resources indefinitely.
//!
//! - [`HEADER_READ`]: the request line and headers must arrive within this time
//!   (the accept loop in `startup`; axum's own `serve` sets no such limit, so a
//!   client sending one header byte a minute would keep its connection forever).
//! - [`BODY_READ_IDLE`]: a request body that stops arriving for this long fails the
//!   request (tower-http's body timeout, reset by every chunk, so a slow but steady
//!   upload on a poor connection still finishes).
//! - [`REQUEST`]: a handler's whole answer, body reading included, must be ready in
//!   this time. Event streams are ready at once and then stream, so they are not cut.

use std::time::Duration;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use selfdesk_shared::error::ErrorCode;

use crate::error::ApiError;

/// Also how long an idle keep-alive connection stays open (hyper times the wait for
/// the next request's headers from the end of the last answer), so not too short: a
/// client reusing a connection the server just closed sees an error.
pub const HEADER_READ: Duration = Duration::from_secs(30);
pub const BODY_READ_IDLE: Duration = Duration::from_secs(20);
/// Long enough for a 10 MiB attachment over a slow mobile link.
pub const REQUEST: Duration = Duration::from_secs(180);

pub async fn limit_request_time(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("a request took longer than {REQUEST:?} and was cut off");
            ApiError::new(
                ErrorCode::Unavailable,
                "The request took too long and was stopped; try again",
            )
            .with_retry_after(5)
            .into_response()
        }
    }
}
