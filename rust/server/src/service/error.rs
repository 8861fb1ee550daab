//! Why a service operation failed, in terms each front end maps to its own codes.

use crate::model::{LimitError, Rejected};
use rcim_proto::codes;

/// A failed service operation.
#[derive(Debug)]
pub(crate) enum ServiceError {
    /// A field beyond its cap.
    TooLong(LimitError),
    /// A parameter is missing or invalid.
    Invalid(String),
    /// Refused for a business reason, with the code to answer (e.g. 22406, 25107).
    Rejected(Rejected),
    /// The storage failed.
    Internal(anyhow::Error),
}

impl ServiceError {
    /// A refusal with `code`.
    pub(crate) fn rejected(code: u32, message: impl Into<String>) -> Self {
        Self::Rejected(Rejected {
            code,
            message: message.into(),
        })
    }

    /// The code a client connection answers: 30016 for the size-type fields (content, push
    /// content, push data), 33003 for other caps and invalid parameters, the refusal's own
    /// code, 25104 for internal failures.
    pub(crate) fn client_code(&self) -> u32 {
        match self {
            Self::TooLong(e) if e.size => codes::MSG_SIZE_OUT_OF_LIMIT,
            Self::TooLong(_) | Self::Invalid(_) => codes::PARAMETER_INVALID,
            Self::Rejected(r) => r.code,
            Self::Internal(_) => codes::SERVER_UNKNOWN_ERROR,
        }
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLong(e) => write!(f, "{} is longer than {}", e.field, e.max),
            Self::Invalid(m) => write!(f, "invalid parameter: {m}"),
            Self::Rejected(r) => r.fmt(f),
            Self::Internal(e) => write!(f, "internal error: {e:#}"),
        }
    }
}

impl From<anyhow::Error> for ServiceError {
    /// Store errors: a [`Rejected`] keeps its code, anything else is internal.
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<Rejected>() {
            Ok(r) => Self::Rejected(r),
            Err(e) => Self::Internal(e),
        }
    }
}
