//! The answers of client requests: plain codes, failures (logged) and the bodies several
//! kinds of request share.

use crate::model::{HistorySlice, SendOutcome};
use crate::service::ServiceError;
use rcim_proto::codes;
use rcim_proto::v1::{response, HistoryPage, Response, SendMessageResult};

/// A response without a body.
pub(super) fn code_only(code: u32) -> Response {
    Response { code, body: None }
}

/// The response to a failed request (internal failures are logged).
pub(super) fn failure(e: &ServiceError, what: &str) -> Response {
    match e {
        ServiceError::Internal(_) => tracing::error!(error = %e, "{what} failed"),
        _ => tracing::debug!(reason = %e, "{what} refused"),
    }
    code_only(e.client_code())
}

/// The answer of a request: `body` on success, the failure's code otherwise.
pub(super) fn answer(r: Result<Option<response::Body>, ServiceError>, what: &str) -> Response {
    match r {
        Ok(body) => Response {
            code: codes::OK,
            body,
        },
        Err(e) => failure(&e, what),
    }
}

/// The body of a history page answer.
pub(super) fn history_body(p: HistorySlice) -> response::Body {
    response::Body::History(HistoryPage {
        messages: p.messages,
        from_seq: p.from_seq,
        to_seq: p.to_seq,
        has_more: p.has_more,
    })
}

/// The answer to a send that stored (or found) the message `o`.
pub(super) fn send_result(o: SendOutcome, change_seq: u64) -> Response {
    Response {
        code: codes::OK,
        body: Some(response::Body::SendMessage(SendMessageResult {
            uid: o.uid,
            sent_time: o.sent_time,
            conv_seq: o.conv_seq,
            change_seq,
        })),
    }
}
