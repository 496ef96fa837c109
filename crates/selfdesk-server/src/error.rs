//! The one error type of the HTTP edge. Every failure leaves the server as the shared
//! [`ErrorBody`] shape with a fitting status; internal details are logged, never sent.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use selfdesk_shared::error::{ErrorBody, ErrorCode, FieldError, Reason};
use selfdesk_shared::ticket_state::Refusal;

#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    field: Option<String>,
    reason: Option<Reason>,
    retry_after_secs: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            reason: None,
            retry_after_secs: None,
        }
    }

    /// A refused field, shown next to that field in a form: the app says `reason` in
    /// the reader's language, `message` is for API users.
    pub fn validation(field: impl Into<std::borrow::Cow<'static, str>>, reason: Reason) -> Self {
        FieldError::new(field, reason).into()
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    /// Says why `field` was refused, for answers other than `validation` that name a
    /// field (an address already used: 409).
    pub fn with_reason(mut self, reason: Reason) -> Self {
        self.reason = Some(reason);
        self
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} was not found"))
    }

    /// Adds `Retry-After` to any error (a full cap, a busy server).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut err = Self::new(
            ErrorCode::RateLimited,
            format!(
                "Too many attempts. Try again in {} minutes.",
                retry_after_secs.div_ceil(60)
            ),
        );
        err.retry_after_secs = Some(retry_after_secs);
        err
    }

    /// Logs the cause and answers with a generic 500: a stack trace or SQL text in a
    /// response would help an attacker and confuse a user.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(ErrorCode::Internal, "Something went wrong on the server")
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    pub fn reason(&self) -> Option<&Reason> {
        self.reason.as_ref()
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        Self::internal(err)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        Self::internal(format!("{err:#}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = ErrorBody::new(self.code, self.message);
        body.error.field = self.field;
        body.error.reason = self.reason;
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// A rule refused a field: the same rule and reason the app shows.
impl From<FieldError> for ApiError {
    fn from(err: FieldError) -> Self {
        let mut refused = Self::new(ErrorCode::Validation, err.message()).with_field(&err.field);
        refused.reason = Some(err.reason);
        refused
    }
}

/// The API's answer to a refused action: the code and words `Refusal` gives.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal.field() {
            Some((field, reason)) => FieldError::new(field, reason)
                .because(refusal.message())
                .into(),
            None => Self::new(refusal.code(), refusal.message()),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::new(
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with `Content-Type: application/json`",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => {
                Self::new(ErrorCode::PayloadTooLarge, "The request body is too large")
            }
            // serde's text names the field and position without echoing the input.
            _ => Self::new(
                ErrorCode::InvalidJson,
                format!("The request body is not valid: {}", rejection.body_text()),
            ),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::new(ErrorCode::InvalidParameter, rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::new(ErrorCode::InvalidParameter, rejection.body_text())
    }
}

/// A raw upload body (an image, an attachment) of at most `max` bytes. The route's
/// body limit answers 413 before this; the check here holds even without it.
/// `too_large` words the 413 for what is being uploaded.
pub fn upload_body(
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
    max: usize,
    too_large: fn() -> ApiError,
) -> ApiResult<axum::body::Bytes> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(ErrorCode::InvalidParameter, rejection.body_text())
        }
    })?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}

// axum's own extractors, but their rejections speak our error shape: handlers take
// these instead of `Json`, `Query` and `Path`, so no input error can leave as plain text.

/// `axum::Json` with our error shape. Before the body is read into `T`:
/// - numbers with nothing after the decimal point (`2.0`) are read as the integers
///   they are, as JSON Schema and most JSON writers count them (serde would refuse
///   `2.0` for an integer field);
/// - a NUL character in any text becomes U+FFFD: PostgreSQL cannot store NUL in text,
///   and no form has a use for it, so it is marked rather than failing the write.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(value) =
            axum::Json::<serde_json::Value>::from_request(request, state).await?;
        serde_json::from_value(normalised(value))
            .map(ApiJson)
            .map_err(|err| {
                ApiError::new(
                    ErrorCode::InvalidJson,
                    format!("The request body is not valid: {err}"),
                )
            })
    }
}

/// `2.0` becomes `2`, NUL in text becomes U+FFFD; everything else is left as it is.
fn normalised(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let text = |s: String| {
        if s.contains('\0') {
            s.replace('\0', "\u{fffd}")
        } else {
            s
        }
    };
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => Value::Number(n),
        },
        Value::String(s) => Value::String(text(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(normalised).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (text(k), normalised(v)))
                .collect(),
        ),
        other => other,
    }
}

/// `axum::extract::Query` with our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `axum::extract::Path` with our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The request's address with every percent-encoded NUL (`%00`) replaced by U+FFFD,
/// for the same reason as in bodies; `None` when there is none.
pub fn without_nul(uri: &axum::http::Uri) -> Option<axum::http::Uri> {
    let text = uri.to_string();
    if !text.contains("%00") {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text.as_str();
    while let Some(at) = rest.find("%00") {
        out.push_str(&rest[..at]);
        out.push_str("%EF%BF%BD");
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::normalised;
    use serde_json::json;

    #[test]
    fn whole_floats_become_integers_and_nothing_else_changes() {
        let value = normalised(json!({"a": 2.0, "b": [976.0, 1.5], "c": "2.0", "d": 3}));
        assert_eq!(value, json!({"a": 2, "b": [976, 1.5], "c": "2.0", "d": 3}));
        let rating: u8 = serde_json::from_value(normalised(json!(5.0))).unwrap();
        assert_eq!(rating, 5);
    }

    #[test]
    fn nul_in_text_is_marked_for_postgresql() {
        let value = normalised(json!({"a\u{0}": ["x\u{0}y"]}));
        assert_eq!(value, json!({"a\u{fffd}": ["x\u{fffd}y"]}));
    }

    #[test]
    fn nul_in_the_address_is_marked_too() {
        let uri: axum::http::Uri = "/api/v1/kb/articles/a%00b?q=x%00".parse().unwrap();
        let marked = super::without_nul(&uri).unwrap();
        assert_eq!(
            marked.to_string(),
            "/api/v1/kb/articles/a%EF%BF%BDb?q=x%EF%BF%BD"
        );
        let plain: axum::http::Uri = "/api/v1/health".parse().unwrap();
        assert!(super::without_nul(&plain).is_none());
    }
}
