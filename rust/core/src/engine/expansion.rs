//! Message expansion on the client (R065, R066, R123–R128): enabled by setting `expansion`
//! (even `{}`) before sending a private or group message; changed afterwards only by
//! `updateMessageExpansion` / `removeMessageExpansionForKeys`, which go through the server as
//! queued operations (their outcome: `MessageExpansionUpdated` /
//! `MessageExpansionForKeysRemoved`; on success the stored message has the new expansion).
//! Changes made elsewhere arrive as inbox entries (see `session::inbox`).

use super::{check_uid, has_cloud_history, lock, Engine};
use crate::codec::extras::{self, MAX_EXPANSION_ENTRIES, MAX_EXPANSION_UPDATE};
use crate::codes::{Code, EXPANSION_SIZE_LIMIT_EXCEED, MESSAGE_CANT_EXPAND};
use crate::event::EventId;
use crate::model::Message;
use crate::session::{Command, Operation};
use serde_json::{Map, Value};
use std::collections::HashMap;

fn size_limit() -> Code {
    Code::of(EXPANSION_SIZE_LIMIT_EXCEED)
}

impl Engine {
    /// `updateMessageExpansion`: sets 1..=20 pairs of the expansion of the sent message `uid`.
    /// Rejected at once: PARAM_ERROR for an empty uid or map or a value that is not a string,
    /// 34010 for more than 20 pairs, a key that is not 1..=32 characters of
    /// `[A-Za-z0-9+=_-]` or a value over 4096 characters. Then reported by
    /// `MessageExpansionUpdated`: PARAM_ERROR when no message has that uid locally, 34008 when
    /// it was sent without expansion or is not private/group, 34010 when it would have more
    /// than 300 entries, else the server's answer.
    pub fn update_message_expansion(
        &self,
        uid: &str,
        expansion: Map<String, Value>,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_uid(uid)?;
        if expansion.is_empty() {
            return Err(Code::PARAM_ERROR);
        }
        if expansion.len() > MAX_EXPANSION_UPDATE {
            return Err(size_limit());
        }
        let set = extras::checked_expansion(&expansion)?;
        self.change_expansion(uid, set, Vec::new(), event_id)
    }

    /// `removeMessageExpansionForKeys`: removes 1..=20 keys of the expansion of the sent
    /// message `uid` (PARAM_ERROR for an empty uid or list, 34010 for more than 20 keys or an
    /// invalid key); reported by `MessageExpansionForKeysRemoved` (codes as
    /// [`Engine::update_message_expansion`]).
    pub fn remove_message_expansion_for_keys(
        &self,
        uid: &str,
        keys: Vec<String>,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_uid(uid)?;
        if keys.is_empty() {
            return Err(Code::PARAM_ERROR);
        }
        if keys.len() > MAX_EXPANSION_UPDATE || !keys.iter().all(|k| extras::valid_expansion_key(k))
        {
            return Err(size_limit());
        }
        self.change_expansion(uid, HashMap::new(), keys, event_id)
    }

    /// Looks the message up, checks it can take the change, and queues the change (or reports
    /// why not).
    fn change_expansion(
        &self,
        uid: &str,
        set: HashMap<String, String>,
        remove: Vec<String>,
        event_id: EventId,
    ) -> Result<(), Code> {
        let owned = uid.to_string();
        let row = self.query(move |s| s.message_by_uid(&owned))?;
        let (shared, session) = (self.shared.clone(), self.session.clone());
        let uid = uid.to_string();
        self.runtime.spawn(async move {
            let checked = row.await.and_then(|row| {
                let row = row.ok_or(Code::PARAM_ERROR)?;
                let stored = extras::stored_expansion(row.extra_json.as_deref())
                    .filter(|_| has_cloud_history(row.conversation_type))
                    .ok_or(Code::of(MESSAGE_CANT_EXPAND))?;
                let mut after: Vec<&String> =
                    stored.keys().filter(|k| !remove.contains(k)).collect();
                after.extend(set.keys().filter(|k| !stored.contains_key(*k)));
                if after.len() > MAX_EXPANSION_ENTRIES {
                    return Err(size_limit());
                }
                let operation = Operation::expansion(
                    &uid,
                    &row.key(),
                    set.clone(),
                    remove.clone(),
                    event_id.clone(),
                );
                lock(&session)
                    .as_ref()
                    .ok_or(Code::CLIENT_NOT_INIT)?
                    .take(Command::Operation(operation))
            });
            if let Err(code) = checked {
                let update = rcim_proto::v1::UpdateExpansion {
                    uid,
                    set,
                    remove,
                    ..Default::default()
                };
                shared
                    .emit(crate::session::expansion_outcome(
                        update,
                        code.value(),
                        event_id,
                    ))
                    .await;
            }
        });
        Ok(())
    }
}

/// Checks what a message to send carries beside its content: a valid `mentionedInfo`
/// (PARAM_ERROR), and an expansion only on private, group and ultra-group messages
/// (PARAM_ERROR) within the limits (34010).
pub(crate) fn check_message_extras(message: &Message) -> Result<(), Code> {
    if !super::mentions::mention_ok(message) {
        return Err(Code::PARAM_ERROR);
    }
    if let Some(expansion) = &message.expansion {
        let ultra = message.conversation_type == crate::model::conversation_type::ULTRA_GROUP;
        if !has_cloud_history(message.conversation_type) && !ultra {
            return Err(Code::PARAM_ERROR);
        }
        extras::checked_expansion(expansion)?;
    }
    Ok(())
}
