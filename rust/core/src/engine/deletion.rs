//! Deleting messages (R104–R111): `deleteLocalMessages` (this device only), `deleteMessages`
//! (this device and the user's cloud history, through the outbox), `clearMessages` (up to a
//! time, locally and/or in the cloud history). The local part runs at the call, in call order
//! with the other local calls; the remote part is an outbox operation like a recall: made
//! offline it goes when the connection is back (even after a restart), and its outcome is
//! reported once answered. The user's other devices apply the deletion from their inbox.
//!
//! Decisions:
//! * Chatroom messages cannot be deleted through `deleteMessages` / `clearMessages` (R108):
//!   PARAM_ERROR. SYSTEM and ULTRA_GROUP conversations have no cloud history here: their
//!   deletions and clears are local and reported at once.
//! * `clearMessages` REMOTE clears the cloud history only (the local messages stay); its
//!   timestamp is not checked against the local store, which may not hold the conversation's
//!   newest message (a new device). LOCAL and LOCAL_REMOTE check R111 against the local store.

use super::history::policy;
use super::{check_conversation, has_cloud_history, lock, normalised, Engine, Session};
use crate::codes::Code;
use crate::event::{Event, EventId};
use crate::model::Message;
use crate::query::Query;
use crate::session::{Command, Operation};
use rcim_proto::conversation_type::CHATROOM;
use rcim_store::ConversationKey;
use std::sync::{Arc, Mutex};

/// Most messages one deletion call takes (the server's limit for one `DeleteMessages`).
pub const MAX_DELETE_MESSAGES: usize = 100;

impl Engine {
    /// `deleteLocalMessages`: deletes the messages (by `messageId`, any conversation types)
    /// from the local store only (R104, R109); the conversations' unread counts and last
    /// messages follow. PARAM_ERROR for an empty list, more than 100 messages or a message
    /// without `messageId`. Messages already gone are skipped.
    pub fn delete_local_messages(&self, messages: Vec<Message>) -> Result<Query<()>, Code> {
        if messages.is_empty() || messages.len() > MAX_DELETE_MESSAGES {
            return Err(Code::PARAM_ERROR);
        }
        let ids = messages
            .iter()
            .map(|m| m.message_id.filter(|id| *id > 0).ok_or(Code::PARAM_ERROR))
            .collect::<Result<Vec<i64>, Code>>()?;
        self.query(move |s| s.delete_messages(&ids).map(|_| ()))
    }

    /// `deleteMessages`: deletes messages of one conversation locally (at once) and from this
    /// user's cloud history (R110); the outcome comes as `MessagesDeleted` (the server's
    /// answer; at once for conversations without cloud history or messages without uid).
    /// PARAM_ERROR for a bad conversation or a chatroom, an empty list, more than 100
    /// messages, or a message of another conversation.
    pub fn delete_messages(
        &self,
        key: ConversationKey,
        messages: Vec<Message>,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_conversation(&key)?;
        let key = normalised(key);
        if key.conversation_type == CHATROOM
            || messages.is_empty()
            || messages.len() > MAX_DELETE_MESSAGES
            || !messages.iter().all(|m| in_conversation(m, &key))
        {
            return Err(Code::PARAM_ERROR);
        }
        let ids: Vec<i64> = messages.iter().filter_map(|m| m.message_id).collect();
        let uids: Vec<String> = messages
            .iter()
            .filter_map(|m| m.message_uid.clone())
            .filter(|uid| !uid.is_empty())
            .collect();
        let local = {
            let (key, uids) = (key.clone(), uids.clone());
            self.query(move |s| {
                s.atomically(|s| {
                    // A stale or foreign messageId never deletes another conversation's row.
                    let mut own = Vec::with_capacity(ids.len());
                    for id in ids {
                        if s.message(id)?.is_some_and(|r| r.key() == key) {
                            own.push(id);
                        }
                    }
                    s.delete_messages(&own)?;
                    s.delete_messages_by_uid(&key, &uids)
                })
            })?
        };
        if has_cloud_history(key.conversation_type) && !uids.is_empty() {
            self.hand_over(Command::Operation(Operation::delete_messages(
                &key, uids, messages, event_id,
            )))?;
            self.runtime.spawn(async move {
                if let Err(code) = local.await {
                    tracing::warn!(code = code.0, "local part of deleteMessages failed");
                }
            });
            return Ok(());
        }
        let shared = self.shared.clone();
        self.runtime.spawn(async move {
            let code = match local.await {
                Ok(_) => 0,
                Err(code) => code.0,
            };
            shared
                .emit(Event::MessagesDeleted {
                    code,
                    key,
                    messages,
                    event_id,
                })
                .await;
        });
        Ok(())
    }

    /// `clearMessages`: deletes `key`'s messages sent at or before `timestamp` (0: all of
    /// them) by `policy`: LOCAL (this device), REMOTE (the cloud history only) or LOCAL_REMOTE
    /// (both; the remote part through the outbox). The outcome comes as `MessagesCleared`:
    /// code 1 when `timestamp` is after the conversation's newest stored message (R111, LOCAL
    /// and LOCAL_REMOTE), otherwise the local result (LOCAL) or the server's answer. The cloud
    /// history is cleared up to `timestamp`, or for 0 up to the newest message cleared here
    /// (LOCAL_REMOTE) or the call's time (REMOTE); the server's answer reports that time.
    /// PARAM_ERROR at once for a bad conversation or a chatroom, a negative timestamp, a bad
    /// policy, or REMOTE for a conversation without cloud history.
    pub fn clear_messages(
        &self,
        key: ConversationKey,
        timestamp: i64,
        clear_policy: u32,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_conversation(&key)?;
        let key = normalised(key);
        let remote = has_cloud_history(key.conversation_type);
        if key.conversation_type == CHATROOM
            || timestamp < 0
            || clear_policy > policy::LOCAL_REMOTE
            || (clear_policy == policy::REMOTE && !remote)
        {
            return Err(Code::PARAM_ERROR);
        }
        // Timestamp 0 ("everything") never goes on the wire: the server would read it as its
        // own now when the operation goes out, maybe hours later (queued offline), and hide
        // what the user's other devices received meanwhile. The call's time stands for it
        // (the local clock: the session keeps no server clock offset).
        let call_time = crate::session::now_ms();
        if clear_policy == policy::REMOTE {
            let before_time = if timestamp > 0 { timestamp } else { call_time };
            return self.hand_over(Command::Operation(Operation::clear_history(
                &key,
                before_time,
                event_id,
            )));
        }
        // The local part answers the time the remote part clears up to (`None`: R111 refused):
        // for timestamp 0, the newest message cleared here, so the cloud history loses exactly
        // what this device did.
        let local = {
            let key = key.clone();
            self.query(move |s| {
                s.atomically(|s| {
                    let latest = s.latest_sent_time(&key)?;
                    if timestamp > 0 && latest.is_none_or(|latest| timestamp > latest) {
                        return Ok(None);
                    }
                    s.clear_messages(&key, timestamp)?;
                    Ok(Some(if timestamp > 0 {
                        timestamp
                    } else {
                        latest.unwrap_or(call_time)
                    }))
                })
            })?
        };
        let (shared, session) = (self.shared.clone(), self.session.clone());
        let then_remote = clear_policy == policy::LOCAL_REMOTE && remote;
        self.runtime.spawn(async move {
            let code = match local.await {
                Ok(Some(before_time)) if then_remote => {
                    let op = Operation::clear_history(&key, before_time, event_id.clone());
                    match hand_over_to(&session, Command::Operation(op)) {
                        // The server's answer reports it.
                        Ok(()) => return,
                        Err(code) => code.0,
                    }
                }
                Ok(Some(_)) => 0,
                Ok(None) => Code::PARAM_ERROR.0,
                Err(code) => code.0,
            };
            shared
                .emit(Event::MessagesCleared {
                    code,
                    key,
                    timestamp,
                    event_id,
                })
                .await;
        });
        Ok(())
    }
}

/// Whether `m` belongs to conversation `key` (already normalised).
fn in_conversation(m: &Message, key: &ConversationKey) -> bool {
    let channel = m.channel_id.as_deref().unwrap_or("");
    normalised(ConversationKey::new(
        m.conversation_type,
        &m.target_id,
        channel,
    )) == *key
}

/// Hands `command` to the running session from a task (see [`Engine::hand_over`]).
fn hand_over_to(session: &Arc<Mutex<Option<Session>>>, command: Command) -> Result<(), Code> {
    let guard = lock(session);
    guard.as_ref().ok_or(Code::CLIENT_NOT_INIT)?.take(command)
}
