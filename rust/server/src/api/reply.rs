//! Server API responses: `{"code":200, ...fields}` on success, `{"code":N,"errorMessage":...}`
//! otherwise, always JSON.

use crate::service::ServiceError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

/// The business code of a Server API answer, attached to the response for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ApiCode(pub u32);

/// A Server API failure: business code, HTTP status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u32,
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    /// 1002: a parameter is missing or invalid.
    pub(crate) fn param(message: impl Into<String>) -> Self {
        Self {
            code: 1002,
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 1005: a parameter is too long.
    pub(crate) fn too_long(name: &str, max: usize) -> Self {
        Self {
            code: 1005,
            status: StatusCode::BAD_REQUEST,
            message: format!("{name} is longer than {max} bytes"),
        }
    }

    /// A business code (e.g. 22406) with HTTP 200, so every SDK parses the body.
    pub(crate) fn business(code: u32, message: impl Into<String>) -> Self {
        Self {
            code,
            status: StatusCode::OK,
            message: message.into(),
        }
    }

    /// 1000: internal error (logged).
    pub(crate) fn internal(e: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %e, "Server API internal error");
        Self {
            code: 1000,
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal server error".into(),
        }
    }

    /// 1001 / 1004: the request is not authenticated.
    pub(crate) fn unauthorized(code: u32, message: &str) -> Self {
        Self {
            code,
            status: StatusCode::UNAUTHORIZED,
            message: message.into(),
        }
    }

    /// 404: no such endpoint.
    pub(crate) fn not_found(path: &str) -> Self {
        Self {
            code: 404,
            status: StatusCode::NOT_FOUND,
            message: format!("no such endpoint: {path}"),
        }
    }
}

impl From<ServiceError> for ApiError {
    /// Caps => 1005, invalid parameters => 1002, refusals keep their code (as a parameter
    /// error when it is the Server API's own 1002), storage failures => 1000.
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::TooLong(l) => Self::too_long(l.field, l.max),
            ServiceError::Invalid(m) => Self::param(m),
            ServiceError::Rejected(r) if r.code == 1002 => Self::param(r.message),
            ServiceError::Rejected(r) => Self::business(r.code, r.message),
            ServiceError::Internal(e) => Self::internal(&format!("{e:#}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tracing::debug!(code = self.code, message = %self.message, "Server API error");
        (
            self.status,
            json_headers(),
            axum::Extension(ApiCode(self.code)),
            json!({"code": self.code, "errorMessage": self.message}).to_string(),
        )
            .into_response()
    }
}

/// The `Content-Type` of every answer.
pub(crate) fn json_headers() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "application/json; charset=utf-8")]
}

/// A successful answer's fields besides `code`.
pub(crate) struct Fields(pub Map<String, Value>);

impl IntoResponse for Fields {
    fn into_response(self) -> Response {
        let mut body = Map::new();
        body.insert("code".into(), json!(200));
        let mut fields = self.0;
        body.append(&mut fields);
        (
            StatusCode::OK,
            json_headers(),
            axum::Extension(ApiCode(200)),
            Value::Object(body).to_string(),
        )
            .into_response()
    }
}

/// What a handler returns: the response's fields besides `code`, or an error.
pub(crate) type ApiResult = Result<Map<String, Value>, ApiError>;
