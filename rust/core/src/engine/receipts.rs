//! Read receipts, and the read state shared by this user's devices (R177).

use super::{check_conversation, normalised, valid_conversation, Engine};
use crate::codes::Code;
use crate::event::EventId;
use crate::model::conversation_type::{GROUP, PRIVATE, SYSTEM};
use crate::session::{Command, Operation};
use rcim_store::ConversationKey;

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

    /// `syncConversationReadStatus`: tells this user's other devices that `key` is read up
    /// to `timestamp` (sent time of the last message read, R177); they clear their unread
    /// messages up to then and get `onConversationReadStatusSyncMessageReceived`. The unread
    /// messages up to then are cleared here too, at once. Queued in the outbox while offline;
    /// the result comes as `onConversationReadStatusSynced`. PARAM_ERROR for a conversation
    /// that is not private, group or system, or a negative timestamp.
    pub fn sync_conversation_read_status(
        &self,
        key: ConversationKey,
        timestamp: i64,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_conversation(&key)?;
        if ![PRIVATE, GROUP, SYSTEM].contains(&key.conversation_type) || timestamp < 0 {
            return Err(Code::PARAM_ERROR);
        }
        let key = normalised(key);
        // The local part first, in call order with the other local calls.
        let local = (timestamp > 0)
            .then(|| {
                let key = key.clone();
                self.query(move |s| s.clear_unread(&key, timestamp))
            })
            .transpose()?;
        self.hand_over(Command::Operation(Operation::sync_read_status(
            &key, timestamp, event_id,
        )))?;
        if let Some(local) = local {
            self.runtime.spawn(async move {
                if let Err(code) = local.await {
                    tracing::warn!(
                        code = code.0,
                        "clearing unread for a read-status sync failed"
                    );
                }
            });
        }
        Ok(())
    }
}
