//! Local status edits: `changeMessageSentStatus`, `changeMessageReceiveStatus`.

use super::insert::MAX_RECEIVED_STATUS;
use super::Engine;
use crate::codes::Code;
use crate::query::Query;

/// Highest `RCIMIWSentStatus` value (CANCELED).
const MAX_SENT_STATUS: u8 = rcim_store::sent_status::CANCELED;

impl Engine {
    /// `changeMessageSentStatus`: rewrites the local sent status of message `message_id`
    /// (PARAM_ERROR for a status outside `RCIMIWSentStatus`, 34204 when there is no such
    /// message).
    pub fn change_message_sent_status(
        &self,
        message_id: i64,
        status: u8,
    ) -> Result<Query<()>, Code> {
        if status > MAX_SENT_STATUS {
            return Err(Code::PARAM_ERROR);
        }
        found(self.query(move |s| s.set_sent_status(message_id, status))?)
    }

    /// `changeMessageReceiveStatus`: rewrites the local received status of message
    /// `message_id` (PARAM_ERROR for a status outside `RCIMIWReceivedStatus`, 34204 when
    /// there is no such message). The conversation's unread and mentioned counts follow (a
    /// message marked READ no longer counts).
    pub fn change_message_receive_status(
        &self,
        message_id: i64,
        status: u8,
    ) -> Result<Query<()>, Code> {
        if status > MAX_RECEIVED_STATUS {
            return Err(Code::PARAM_ERROR);
        }
        found(self.query(move |s| s.set_received_status(message_id, status))?)
    }
}

/// A query that fails with 34204 when its row was not found.
fn found<T: Send + 'static>(row: Query<Option<T>>) -> Result<Query<()>, Code> {
    Ok(Query::new(async move {
        row.await?.map(|_| ()).ok_or(Code::INVALID_MESSAGE_ID)
    }))
}
