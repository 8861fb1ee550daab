//! Read receipts.

use super::{valid_conversation, Engine};
use crate::codes::Code;
use crate::event::EventId;
use crate::session::{Command, Operation};

impl Engine {
    /// `sendPrivateReadReceiptMessage`: tells `target_id` that this user read their private
    /// messages up to `timestamp` (sent time of the last one read). Result:
    /// `PrivateReadReceiptMessageSent`; the peer gets `PrivateReadReceiptReceived` and its
    /// messages become READ. Queued like a recall while offline. `_channel_id` is ignored:
    /// private conversations have no channels (R064).
    pub fn send_private_read_receipt_message(
        &self,
        target_id: &str,
        _channel_id: &str,
        timestamp: i64,
        event_id: EventId,
    ) -> Result<(), Code> {
        if !valid_conversation(crate::model::conversation_type::PRIVATE, target_id) || timestamp < 0
        {
            return Err(Code::PARAM_ERROR);
        }
        self.hand_over(Command::Operation(Operation::private_read_receipt(
            target_id, "", timestamp, event_id,
        )))
    }
}
