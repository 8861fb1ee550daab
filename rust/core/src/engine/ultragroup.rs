//! Ultra groups (R210–R244): the calls of the `UltraGroup` / `ForAllChannel` methods. Each
//! channel of a group is one conversation (type 5, channel "" = "RCDefault"); sending,
//! history pages (`getMessages` fills gaps from the cloud history, R098), unread marks and
//! conversation settings are the ordinary calls. What arrives from the server (the channel
//! streams) is handled by the session's ultra-group task (`ultragroup_sync`).
//!
//! Every call here answers through a [`Query`]; the results of calls that go through the
//! server reach their listeners as events ([`Engine::report_ultragroup_result`]), so they do
//! not hold back the in-order results of local calls. They wait for a connection like
//! history pages (30002 without one within the send timeout); state-changing ones carry a request id, so a repeat after a lost answer is
//! executed once. Bad arguments are refused at once with PARAM_ERROR: a group id of 1..=64
//! bytes, a channel id of at most 20 characters, levels 0..=5, 1..=20 messages of one
//! channel for `getBatchRemoteUltraGroupMessages`.

use super::history::policy;
use super::ultragroup_link::{channel_key, UgLink};
use super::{check_uid, Engine};
use crate::codec::{self, extras};
use crate::codes::Code;
use crate::event::{Event, EventId, UltragroupEvent};
use crate::model::{conversation_type::ULTRA_GROUP, Conversation, Message};
use crate::query::Query;
use crate::session::new_request_id as operations_request_id;
use rcim_proto::v1::{
    request, response, ChangeUltraGroupDefaultLevel, ClearUltraGroupHistory,
    ModifyUltraGroupMessage, RecallUltraGroupMessage, SyncReadStatus, TypingStatus,
    UltraGroupDefaultLevelRequest, UltraGroupExpansionUpdate, UltraGroupMessagesRequest,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Most messages of one `getBatchRemoteUltraGroupMessages` call (R220).
pub const MAX_BATCH_MESSAGES: usize = 20;

/// Object name sent for `RCIMIWUltraGroupTypingStatus.TEXT`.
const TYPING_OBJECT_NAME: &str = "RC:TxtMsg";

fn check_group(group: &str) -> Result<(), Code> {
    if group.is_empty() || group.len() > 64 {
        Err(Code::PARAM_ERROR)
    } else {
        Ok(())
    }
}

fn check_channel(channel: &str) -> Result<(), Code> {
    if codec::channel_id_ok(Some(channel)) {
        Ok(())
    } else {
        Err(Code::PARAM_ERROR)
    }
}

fn check_level(level: u32) -> Result<(), Code> {
    if level <= 5 {
        Ok(())
    } else {
        Err(Code::PARAM_ERROR)
    }
}

/// The wire channel id of a channel the engine keeps.
fn wire_channel(channel: &str) -> String {
    codec::channel_for(ULTRA_GROUP, channel)
}

/// The channel change an answer to `body` says this device made: (group, channel,
/// `change_seq`), for the ultra-group task's cursor (see [`UgLink::known`]).
fn answered_change(body: &request::Body, answer: &Option<response::Body>) -> (String, String, u64) {
    let (group, channel) = match body {
        request::Body::UltragroupRecall(r) => (&r.group_id, &r.channel_id),
        request::Body::UltragroupModify(m) => (&m.group_id, &m.channel_id),
        request::Body::UltragroupExpansion(e) => (&e.group_id, &e.channel_id),
        _ => return Default::default(),
    };
    let seq = match answer {
        Some(response::Body::RecallMessage(r)) => r.change_seq,
        Some(response::Body::UltragroupChange(c)) => c.change_seq,
        _ => 0,
    };
    (group.clone(), channel.clone(), seq)
}

impl Engine {
    /// Reports `query`'s outcome to `listener` as an event once it is known: `args` (the
    /// call's arguments as the listener echoes them) plus the result under `field` (its
    /// default on failure) and `code`. For calls that go through the server, so their wait
    /// does not hold back the in-order results of local calls.
    pub fn report_ultragroup_result<T: serde::Serialize + Default + Send + 'static>(
        &self,
        query: Query<T>,
        listener: &'static str,
        mut args: Map<String, Value>,
        field: Option<&'static str>,
        event_id: EventId,
    ) {
        let shared = self.shared.clone();
        self.runtime.spawn(async move {
            let (code, value) = match query.await {
                Ok(value) => (0, value),
                Err(code) => (code.value(), T::default()),
            };
            if let Some(field) = field {
                args.insert(
                    field.to_string(),
                    serde_json::to_value(value).unwrap_or(Value::Null),
                );
            }
            args.insert("code".into(), Value::from(code));
            shared
                .emit(Event::UltragroupResult(
                    crate::event::UltragroupCallResult {
                        name: listener.to_string(),
                        args,
                        event_id,
                    },
                ))
                .await;
        });
    }

    /// What an ultra-group call needs after it returned: the session, the database, the user.
    pub(crate) fn ultragroup_link(&self) -> Result<UgLink, Code> {
        let guard = self.lock_session();
        let session = guard.as_ref().ok_or(Code::CLIENT_NOT_INIT)?;
        let db = session.db.get().cloned().ok_or(Code::CLIENT_NOT_INIT)?;
        Ok(UgLink {
            commands: session.commands.clone(),
            db,
            me: session.user_id.clone(),
            shared: self.shared.clone(),
            signals: session.ultragroup.clone(),
        })
    }

    /// A call that asks the server `body` (state-changing: with a new request id) and then
    /// runs `after` on the database with the answer.
    fn ultragroup_call<T, F>(
        &self,
        body: request::Body,
        state_changing: bool,
        after: F,
    ) -> Result<Query<T>, Code>
    where
        T: Send + 'static,
        F: FnOnce(
                &mut rcim_store::Store,
                Option<response::Body>,
                &str,
            ) -> Result<T, rcim_store::StoreError>
            + Send
            + 'static,
    {
        let link = self.ultragroup_link()?;
        let request_id = if state_changing {
            operations_request_id()
        } else {
            String::new()
        };
        Ok(Query::new(async move {
            let answer = link.ask(body.clone(), &request_id).await?;
            let (group, channel, seq) = answered_change(&body, &answer);
            link.known(&group, &channel, seq);
            let me = link.me.clone();
            link.db(move |s| after(s, answer, &me)).await
        }))
    }

    /// `getConversationsForAllChannel` / `loadConversationsForAllChannel`: the local channel
    /// conversations of ultra group `group`, newest first (PARAM_ERROR for another type).
    pub fn conversations_for_all_channel(
        &self,
        conversation_type: u32,
        group: &str,
    ) -> Result<Query<Vec<Conversation>>, Code> {
        if conversation_type != ULTRA_GROUP {
            return Err(Code::PARAM_ERROR);
        }
        check_group(group)?;
        let group = group.to_string();
        let rows = self.query(move |s| s.ultragroup_conversations(&group))?;
        Ok(rows.map(|rows| rows.iter().map(codec::conversation_from_row).collect()))
    }

    /// `getUltraGroupUnreadCount` and the other unread calls: the unread (`mentions`: unread
    /// @-mention) count of `group`'s channels, or of every ultra group (`None`), at most 999.
    pub fn ultragroup_unread_count(
        &self,
        group: Option<&str>,
        mentions: bool,
    ) -> Result<Query<u64>, Code> {
        if let Some(group) = group {
            check_group(group)?;
        }
        let group = group.map(str::to_string);
        self.query(move |s| s.ultragroup_unread(group.as_deref(), mentions))
    }

    /// `getBatchRemoteUltraGroupMessages` / `loadBatchRemoteUltraGroupMessages`: 1..=20
    /// ultra-group messages of one channel (by uid), read from the server. Result
    /// `onBatchRemoteUltraGroupMessagesLoaded` with the matched messages (as they are now)
    /// and the not matched ones (the arguments; a message recalled with `deleteRemote` too).
    pub fn batch_remote_ultragroup_messages(
        &self,
        messages: Vec<Message>,
        event_id: EventId,
    ) -> Result<(), Code> {
        let first = messages.first().ok_or(Code::PARAM_ERROR)?;
        let (group, channel) = (
            first.target_id.clone(),
            wire_channel(first.channel_id.as_deref().unwrap_or("")),
        );
        check_group(&group)?;
        let one_channel = messages.iter().all(|m| {
            m.conversation_type == ULTRA_GROUP
                && m.target_id == group
                && wire_channel(m.channel_id.as_deref().unwrap_or("")) == channel
                && m.message_uid
                    .as_deref()
                    .is_some_and(|u| check_uid(u).is_ok())
        });
        if messages.len() > MAX_BATCH_MESSAGES || !one_channel {
            return Err(Code::PARAM_ERROR);
        }
        let link = self.ultragroup_link()?;
        let uids: Vec<String> = messages
            .iter()
            .filter_map(|m| m.message_uid.clone())
            .collect();
        let body = request::Body::UltragroupMessages(UltraGroupMessagesRequest {
            group_id: group,
            channel_id: channel,
            uids,
        });
        self.runtime.spawn(async move {
            let (code, matched, not_matched) = match link.ask(body, "").await {
                Ok(Some(response::Body::UltragroupMessages(found))) => {
                    let me = link.me.clone();
                    let now = crate::session::now_ms();
                    // A message recalled with `deleteRemote` is gone: not matched.
                    let matched: Vec<Message> = found
                        .messages
                        .iter()
                        .filter(|m| !super::ultragroup_link::is_deleted_recall(m))
                        .map(|m| codec::message_from_wire(m, &me, now))
                        .collect();
                    let not_matched = messages
                        .into_iter()
                        .filter(|m| !matched.iter().any(|f| f.message_uid == m.message_uid))
                        .collect();
                    (0, matched, not_matched)
                }
                Ok(_) => (
                    rcim_proto::codes::SERVER_UNKNOWN_ERROR as i32,
                    vec![],
                    vec![],
                ),
                Err(code) => (code.value(), vec![], vec![]),
            };
            link.emit(Event::Ultragroup(
                UltragroupEvent::BatchRemoteMessagesLoaded {
                    code,
                    matched_messages: matched,
                    not_matched_messages: not_matched,
                    event_id,
                },
            ))
            .await;
        });
        Ok(())
    }

    /// `clearUltraGroupMessagesForAllChannel`: deletes the local messages of every channel of
    /// `group` sent at or before `timestamp` (R222).
    pub fn clear_ultragroup_messages_for_all_channel(
        &self,
        group: &str,
        timestamp: i64,
    ) -> Result<Query<()>, Code> {
        check_group(group)?;
        if timestamp < 0 {
            return Err(Code::PARAM_ERROR);
        }
        let group = group.to_string();
        self.query(move |s| s.clear_ultragroup_messages(&group, timestamp).map(|_| ()))
    }

    /// `clearUltraGroupMessages` (and the seed's `clearRemoteUltraGroupMessages`, REMOTE):
    /// deletes the channel's messages sent at or before `timestamp` on this device (LOCAL),
    /// from this user's cloud history (REMOTE, R223), or both.
    pub fn clear_ultragroup_messages(
        &self,
        group: &str,
        channel: &str,
        timestamp: i64,
        clear_policy: u32,
    ) -> Result<Query<()>, Code> {
        check_group(group)?;
        check_channel(channel)?;
        if timestamp < 0 || clear_policy > policy::LOCAL_REMOTE {
            return Err(Code::PARAM_ERROR);
        }
        let key = channel_key(group, channel);
        if clear_policy == policy::LOCAL {
            return self.query(move |s| s.clear_messages(&key, timestamp).map(|_| ()));
        }
        let body = request::Body::UltragroupClear(ClearUltraGroupHistory {
            group_id: group.to_string(),
            channel_id: key.channel_id.clone(),
            before_time: timestamp,
        });
        self.ultragroup_call(body, true, move |s, _, _| {
            if clear_policy == policy::LOCAL_REMOTE {
                s.clear_messages(&key, timestamp)?;
            }
            Ok(())
        })
    }

    /// `modifyUltraGroupMessage`: replaces the content of this user's sent message `uid`
    /// with `message`'s (R225). Refused with PARAM_ERROR when `message` is not an ultra-group
    /// message or the stored message has another type; the server refuses anyone but the sender (34203). On success the stored message
    /// has the new content; the other members get `onRemoteUltraGroupMessageModified`.
    pub fn modify_ultragroup_message(
        &self,
        uid: &str,
        message: &Message,
    ) -> Result<Query<()>, Code> {
        check_uid(uid)?;
        if message.conversation_type != ULTRA_GROUP {
            return Err(Code::PARAM_ERROR);
        }
        let (object_name, content) = codec::encode_content(message).ok_or(Code::PARAM_ERROR)?;
        let link = self.ultragroup_link()?;
        let (uid, request_id) = (uid.to_string(), operations_request_id());
        let fallback = (
            message.target_id.clone(),
            wire_channel(message.channel_id.as_deref().unwrap_or("")),
        );
        Ok(Query::new(async move {
            let stored = link
                .db({
                    let uid = uid.clone();
                    move |s| s.message_by_uid(&uid)
                })
                .await?;
            let (group, channel) = match &stored {
                Some(row) if row.conversation_type != ULTRA_GROUP => return Err(Code::PARAM_ERROR),
                // A recalled message keeps only its notification: the server refuses it.
                Some(row)
                    if row.object_name != object_name
                        && row.object_name != codec::recall::RECALL_OBJECT_NAME =>
                {
                    return Err(Code::PARAM_ERROR)
                }
                Some(row) => (row.target_id.clone(), row.channel_id.clone()),
                None => fallback,
            };
            check_group(&group)?;
            let body = request::Body::UltragroupModify(ModifyUltraGroupMessage {
                group_id: group,
                channel_id: channel,
                uid: uid.clone(),
                object_name: object_name.clone(),
                content: content.clone(),
            });
            let answer = link.ask(body.clone(), &request_id).await?;
            let (group, channel, seq) = answered_change(&body, &answer);
            link.known(&group, &channel, seq);
            link.db(move |s| {
                s.modify_message_content(&uid, &object_name, &content)
                    .map(|_| ())
            })
            .await
        }))
    }

    /// `recallUltraGroupMessage`: recalls this user's sent message (R227–R228). On success the
    /// stored message becomes the recall notification, or is deleted with `delete_remote`
    /// (the other members delete it too); they get `onRemoteUltraGroupMessageRecalled`.
    pub fn recall_ultragroup_message(
        &self,
        message: &Message,
        delete_remote: bool,
    ) -> Result<Query<()>, Code> {
        let uid = message.message_uid.clone().ok_or(Code::PARAM_ERROR)?;
        check_uid(&uid)?;
        if message.conversation_type != ULTRA_GROUP {
            return Err(Code::PARAM_ERROR);
        }
        check_group(&message.target_id)?;
        let key = channel_key(
            &message.target_id,
            message.channel_id.as_deref().unwrap_or(""),
        );
        let body = request::Body::UltragroupRecall(RecallUltraGroupMessage {
            group_id: key.target_id.clone(),
            channel_id: key.channel_id.clone(),
            uid: uid.clone(),
            delete_remote,
        });
        self.ultragroup_call(body, true, move |s, answer, me| {
            let Some(row) = s.message_by_uid(&uid)? else {
                return Ok(());
            };
            if delete_remote {
                s.delete_messages(&[row.id])?;
                return Ok(());
            }
            let recall_time = match answer {
                Some(response::Body::RecallMessage(r)) => r.recall_time,
                _ => crate::session::now_ms(),
            };
            let update = codec::recall::recall_update(
                &uid,
                me,
                &row.object_name,
                row.sent_time,
                recall_time,
                true,
            );
            s.recall_message(&update).map(|_| ())
        })
    }

    /// `updateUltraGroupMessageExpansion` (`set`) / `removeUltraGroupMessageExpansionForKeys`
    /// (`remove`): changes the expansion of the stored ultra-group message `uid` (R229;
    /// PARAM_ERROR when it is not stored here, the key rules of `updateMessageExpansion`).
    /// The other members get `onRemoteUltraGroupMessageExpansionUpdated`.
    pub fn change_ultragroup_expansion(
        &self,
        uid: &str,
        set: Map<String, Value>,
        remove: Vec<String>,
    ) -> Result<Query<()>, Code> {
        check_uid(uid)?;
        if set.is_empty() && remove.is_empty() {
            return Err(Code::PARAM_ERROR);
        }
        let set = if set.is_empty() {
            HashMap::new()
        } else {
            extras::checked_expansion(&set)?
        };
        if !remove.iter().all(|k| extras::valid_expansion_key(k)) {
            return Err(Code::PARAM_ERROR);
        }
        let link = self.ultragroup_link()?;
        let (uid, request_id) = (uid.to_string(), operations_request_id());
        Ok(Query::new(async move {
            let stored = link
                .db({
                    let uid = uid.clone();
                    move |s| s.message_by_uid(&uid)
                })
                .await?;
            let row = stored
                .filter(|r| r.conversation_type == ULTRA_GROUP)
                .ok_or(Code::PARAM_ERROR)?;
            let body = request::Body::UltragroupExpansion(UltraGroupExpansionUpdate {
                group_id: row.target_id.clone(),
                channel_id: row.channel_id.clone(),
                uid,
                set: set.clone(),
                remove: remove.clone(),
            });
            let answer = link.ask(body.clone(), &request_id).await?;
            let (group, channel, seq) = answered_change(&body, &answer);
            link.known(&group, &channel, seq);
            link.db(move |s| {
                let mut expansion =
                    extras::stored_expansion(row.extra_json.as_deref()).unwrap_or_default();
                expansion.extend(set);
                for key in &remove {
                    expansion.remove(key);
                }
                let extra = extras::with_expansion(row.extra_json.as_deref(), &expansion);
                s.set_extra_json(row.id, Some(&extra)).map(|_| ())
            })
            .await
        }))
    }

    /// `syncUltraGroupReadStatus`: marks the whole channel read here and on the server
    /// (`timestamp` is ignored, R231–R233); this user's other devices clear it too and get
    /// `onUltraGroupReadTimeReceived`.
    pub fn sync_ultragroup_read_status(
        &self,
        group: &str,
        channel: &str,
        timestamp: i64,
    ) -> Result<Query<()>, Code> {
        check_group(group)?;
        check_channel(channel)?;
        let key = channel_key(group, channel);
        let local = key.clone();
        // The local part first, in call order with the other local calls.
        let cleared = self.query(move |s| {
            s.clear_unread(&local, 0)?;
            s.set_ultragroup_counts(&local, 0, 0)
        })?;
        let body = request::Body::ReadStatus(SyncReadStatus {
            conversation_type: ULTRA_GROUP,
            target_id: group.to_string(),
            channel_id: key.channel_id.clone(),
            timestamp: timestamp.max(0),
        });
        let remote = self.ultragroup_call(body, true, |_, _, _| Ok(()))?;
        Ok(Query::new(async move {
            cleared.await?;
            remote.await
        }))
    }

    /// `sendUltraGroupTypingStatus`: tells the channel's readers this user types (TEXT 0, the
    /// only status); the server gathers typing per group and sends batches (R234–R235).
    pub fn send_ultragroup_typing_status(
        &self,
        group: &str,
        channel: &str,
        status: u32,
    ) -> Result<Query<()>, Code> {
        check_group(group)?;
        check_channel(channel)?;
        if status != 0 {
            return Err(Code::PARAM_ERROR);
        }
        let body = request::Body::Typing(TypingStatus {
            conversation_type: ULTRA_GROUP,
            target_id: group.to_string(),
            channel_id: wire_channel(channel),
            object_name: TYPING_OBJECT_NAME.to_string(),
        });
        self.ultragroup_call(body, false, |_, _, _| Ok(()))
    }

    /// `changeUltraGroupDefaultNotificationLevel` (`channel` None) /
    /// `changeUltraGroupChannelDefaultNotificationLevel`: the default level of the group or
    /// channel for every member (R243).
    pub fn change_ultragroup_default_level(
        &self,
        group: &str,
        channel: Option<&str>,
        level: u32,
    ) -> Result<Query<()>, Code> {
        check_group(group)?;
        check_level(level)?;
        let channel = match channel {
            Some(c) => {
                check_channel(c)?;
                wire_channel(c)
            }
            None => String::new(),
        };
        let body = request::Body::UltragroupSetLevel(ChangeUltraGroupDefaultLevel {
            group_id: group.to_string(),
            channel_id: channel.clone(),
            level,
        });
        let group = group.to_string();
        self.ultragroup_call(body, true, move |s, _, _| {
            s.set_ultragroup_default_level(&group, &channel, level)
        })
    }

    /// `getUltraGroupDefaultNotificationLevel` (`channel` None) /
    /// `getUltraGroupChannelDefaultNotificationLevel`: the default level as the server has
    /// it (`RCIMIWPushNotificationLevel`; NONE 1 = not set).
    pub fn ultragroup_default_level(
        &self,
        group: &str,
        channel: Option<&str>,
    ) -> Result<Query<u32>, Code> {
        check_group(group)?;
        let channel = match channel {
            Some(c) => {
                check_channel(c)?;
                wire_channel(c)
            }
            None => String::new(),
        };
        let body = request::Body::UltragroupLevel(UltraGroupDefaultLevelRequest {
            group_id: group.to_string(),
            channel_id: channel.clone(),
        });
        let group = group.to_string();
        self.ultragroup_call(body, false, move |s, answer, _| {
            let level = match answer {
                Some(response::Body::UltragroupLevel(l)) => l.level,
                _ => rcim_store::notification_level::NONE,
            };
            s.set_ultragroup_default_level(&group, &channel, level)?;
            Ok(level)
        })
    }
}
