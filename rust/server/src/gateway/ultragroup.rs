//! Ultra-group requests of a connection: sends, history pages, typing and read-status
//! syncs with conversation type 5, the stream reads (states, changes, messages, default
//! level) and the state-changing requests (modify, recall, expansion, clear, default level).
//! Reads and typing need no request id and are limited like the other non-send requests;
//! the state-changing ones are executed once per request id.

use super::answers::{answer, code_only, failure, history_body, send_result};
use super::frames::{frame, queue};
use super::requests::Conn;
use crate::model::{NewMessage, RequestKey};
use crate::service::ultragroup::stream::{self, check_access, check_channel, check_group, Origin};
use crate::service::ultragroup::{states, DEFAULT_CHANNEL};
use crate::service::ServiceError;
use crate::store::ultragroup_stream_records::UgWrite;
use crate::util::now_ms;
use rcim_proto::v1::{
    inbox_entry, request, response, server_frame, HistoryRequest, ReadStatusSynced,
    RecallMessageResult, Response, SendMessage, SyncReadStatus, TypingEvent, TypingStatus,
    UltraGroupChangeResult, UltraGroupChanges, UltraGroupDefaultLevel, UltraGroupMessages,
};
use rcim_proto::{codes, conversation_type};

/// Longest object name of a client send (bytes).
const MAX_OBJECT_NAME_LEN: usize = 32;
/// Most uids of one `UltraGroupMessagesRequest`.
const MAX_BATCH_UIDS: usize = 20;
/// The object name of every ultra-group typing event (`RCIMIWUltraGroupTypingStatus.TEXT`).
const TYPING_OBJECT_NAME: &str = "RC:TxtMsg";

impl Conn {
    fn origin(&self, key: RequestKey) -> Origin {
        Origin {
            request: Some(key),
            conn: Some(self.conn_id),
        }
    }

    /// A send with conversation type ULTRA_GROUP: answered like a send (uid, sent time,
    /// conv_seq, change_seq). The request id is the message's client id (a resend gets the
    /// original answer). Stored off the read loop, one send of the connection after the
    /// other (see `UgSendChain`), so its messages keep their order.
    pub(super) async fn on_ultragroup_send(
        &mut self,
        seq: u64,
        request_id: String,
        mut m: SendMessage,
    ) {
        if m.object_name.len() > MAX_OBJECT_NAME_LEN {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        let channel = match check_channel(&m.channel_id) {
            Ok(c) => c,
            Err(e) => return self.respond(seq, failure(&e, "an ultra-group send")),
        };
        let directed = std::mem::take(&mut m.directed_user_ids);
        let mut msg = NewMessage {
            channel_id: channel,
            include_sender: true,
            require_member: true,
            ..NewMessage::from_send(self.user_id.clone(), request_id, m)
        };
        if let Some(response) = self.over_send_rate(&msg).await {
            return self.respond(seq, response);
        }
        self.shared.moderation.screen_message(&mut msg);
        let Some(permit) = self.in_flight_slot().await else {
            return;
        };
        // Off the read loop, one after the other: the connection's other requests go on
        // while a send waits for its commit, and its sends keep their order.
        let (previous, done) = self.ug_sends.next();
        let rate = self.shared.config.ultragroup.channel_rate_per_sec;
        let (shared, conn) = (self.shared.clone(), self.conn_id);
        let (tx, cancel) = (self.tx.clone(), self.cancel.clone());
        self.shared.tracker.spawn(async move {
            if let Some(previous) = previous {
                // An error: the previous send's task ended without signalling (closing).
                let _ = previous.await;
            }
            let sent = tokio::select! {
                _ = cancel.cancelled() => return,
                r = stream::publish_from(&shared, msg, directed, Some(conn), Some(rate)) => r,
            };
            drop(done);
            let response = match sent {
                Ok(p) => send_result(p.outcome, p.change_seq),
                Err(e) => failure(&e, "an ultra-group send"),
            };
            queue(
                &tx,
                &cancel,
                frame(seq, server_frame::Body::Response(response)),
            );
            drop(permit);
        });
    }

    /// A history page of a channel (`HistoryRequest` with conversation type 5); the caller
    /// applied the rate limit and the backlog wait.
    pub(super) async fn on_ultragroup_history(&mut self, seq: u64, r: HistoryRequest) {
        let shared = self.shared.clone();
        let user = self.user_id.clone();
        self.answer_after(seq, "an ultra-group history page", async move {
            let p = states::history(&shared, &user, r).await?;
            Ok(Some(history_body(p)))
        })
        .await
    }

    /// Typing in a channel: checked (24406, 24416 …), then gathered into the group's next
    /// batch (see `Streams::typing`). The caller applied the rate limit.
    pub(super) fn on_ultragroup_typing(&mut self, t: TypingStatus) -> Response {
        let checked = check_group(&t.target_id)
            .and_then(|()| check_channel(&t.channel_id))
            .and_then(|channel| {
                check_access(&self.shared, &t.target_id, &channel, &self.user_id)?;
                Ok(channel)
            });
        let channel = match checked {
            Ok(c) => c,
            Err(e) => return failure(&e, "an ultra-group typing status"),
        };
        let event = TypingEvent {
            conversation_type: conversation_type::ULTRA_GROUP,
            target_id: t.target_id,
            channel_id: channel,
            user_id: self.user_id.clone(),
            object_name: TYPING_OBJECT_NAME.to_owned(),
            sent_time: now_ms(),
        };
        crate::service::ultragroup::typing::typing(&self.shared, event);
        code_only(codes::OK)
    }

    /// A read-status sync of a channel (R231–R233): the read position becomes the channel's
    /// newest message, and the user's own inbox gets `ReadStatusSynced` with the server time.
    pub(super) async fn on_ultragroup_read_status(
        &mut self,
        seq: u64,
        key: RequestKey,
        r: SyncReadStatus,
    ) {
        let shared = self.shared.clone();
        let (user, device) = (self.user_id.clone(), self.device_id.clone());
        self.answer_after(seq, "an ultra-group read status sync", async move {
            check_group(&r.target_id)?;
            let channel = check_channel(&r.channel_id)?;
            check_access(&shared, &r.target_id, &channel, &user)?;
            let time = now_ms();
            let read = UgWrite::Read {
                user_id: user.clone(),
                group_id: r.target_id.clone(),
                channel_id: channel.clone(),
                time,
            };
            shared.store.ug_write(read, None).await?;
            let body = inbox_entry::Body::ReadStatus(ReadStatusSynced {
                conversation_type: conversation_type::ULTRA_GROUP,
                target_id: r.target_id,
                channel_id: channel,
                timestamp: time,
                device_id: device,
            });
            shared
                .store
                .append_event(vec![user], body, Some(key))
                .await?;
            Ok(None)
        })
        .await
    }

    /// The stream reads (24–27); the caller checked the body with [`is_ultragroup_read`].
    pub(super) async fn on_ultragroup_read(&mut self, seq: u64, body: request::Body) {
        if !self.request_limiter.try_acquire() {
            return self.respond(seq, code_only(codes::SEND_MSG_FREQUENCY_OVERRUN));
        }
        if !self.wait_for_room().await {
            tracing::warn!(conn = self.conn_id, user = %self.user_id, "client does not read its ultra-group pages; disconnecting");
            self.cancel.cancel();
            return;
        }
        let shared = self.shared.clone();
        let user = self.user_id.clone();
        match body {
            request::Body::UltragroupSync(r) => {
                self.answer_after(seq, "ultra-group states", async move {
                    let page = states::states(
                        &shared,
                        &user,
                        &r.after_group_id,
                        &r.after_channel_id,
                        &r.only_group_id,
                    )
                    .await?;
                    Ok(Some(response::Body::UltragroupStates(page)))
                })
                .await
            }
            request::Body::UltragroupChanges(r) => {
                self.answer_after(seq, "ultra-group changes", async move {
                    let p = states::changes(
                        &shared,
                        &user,
                        &r.group_id,
                        &r.channel_id,
                        r.after_seq,
                        r.count,
                        r.max_conv_seq,
                    )
                    .await?;
                    Ok(Some(response::Body::UltragroupChanges(UltraGroupChanges {
                        messages: p.messages,
                        head_seq: p.head_seq,
                        more: p.more,
                    })))
                })
                .await
            }
            request::Body::UltragroupMessages(r) => {
                self.answer_after(seq, "ultra-group messages", async move {
                    if r.uids.is_empty() || r.uids.len() > MAX_BATCH_UIDS {
                        return Err(ServiceError::Invalid("1..=20 uids".into()));
                    }
                    check_group(&r.group_id)?;
                    let channel = check_channel(&r.channel_id)?;
                    check_access(&shared, &r.group_id, &channel, &user)?;
                    let messages = shared
                        .store
                        .ug_messages(r.group_id, channel, r.uids, Some(user))
                        .await?;
                    Ok(Some(response::Body::UltragroupMessages(
                        UltraGroupMessages { messages },
                    )))
                })
                .await
            }
            request::Body::UltragroupLevel(r) => {
                let r = self.default_level(&r.group_id, &r.channel_id);
                self.respond(seq, answer(r, "an ultra-group default level"));
            }
            _ => self.respond(seq, code_only(codes::PARAMETER_INVALID)),
        }
    }

    /// The state-changing requests (28–32), once per `key`; the caller applied the rate
    /// limit.
    pub(super) async fn on_ultragroup_write(
        &mut self,
        seq: u64,
        key: RequestKey,
        body: request::Body,
    ) {
        let shared = self.shared.clone();
        let user = self.user_id.clone();
        let origin = self.origin(key.clone());
        match body {
            request::Body::UltragroupModify(r) => {
                self.answer_after(seq, "an ultra-group modify", async move {
                    let changed = stream::modify_from(
                        &shared,
                        &r.group_id,
                        &r.channel_id,
                        &r.uid,
                        &user,
                        Some(r.object_name),
                        r.content,
                        origin,
                    )
                    .await?;
                    Ok(Some(change_result(changed)))
                })
                .await
            }
            request::Body::UltragroupRecall(r) => {
                self.answer_after(seq, "an ultra-group recall", async move {
                    let changed = stream::recall_from(
                        &shared,
                        &r.group_id,
                        &r.channel_id,
                        &r.uid,
                        &user,
                        r.delete_remote,
                        false,
                        origin,
                    )
                    .await?;
                    Ok(Some(response::Body::RecallMessage(RecallMessageResult {
                        recall_time: changed.time,
                        change_seq: changed.change_seq,
                    })))
                })
                .await
            }
            request::Body::UltragroupExpansion(r) => {
                self.answer_after(seq, "an ultra-group expansion update", async move {
                    let changed = stream::update_expansion_from(
                        &shared,
                        &r.group_id,
                        &r.channel_id,
                        &r.uid,
                        &user,
                        (r.set, r.remove),
                        crate::expansion::MAX_KEYS_PER_UPDATE,
                        origin,
                    )
                    .await?;
                    Ok(Some(change_result(changed)))
                })
                .await
            }
            request::Body::UltragroupClear(r) => {
                self.answer_after(seq, "an ultra-group clear", async move {
                    if r.before_time < 0 {
                        return Err(ServiceError::Invalid("negative time".into()));
                    }
                    check_group(&r.group_id)?;
                    let channel = check_channel(&r.channel_id)?;
                    check_access(&shared, &r.group_id, &channel, &user)?;
                    let clear = UgWrite::Clear {
                        user_id: user,
                        group_id: r.group_id,
                        channel_id: channel,
                        before_time: r.before_time,
                    };
                    shared.store.ug_write(clear, Some(key)).await?;
                    Ok(None)
                })
                .await
            }
            request::Body::UltragroupSetLevel(r) => {
                self.answer_after(seq, "an ultra-group default level change", async move {
                    set_default_level(&shared, &user, r.group_id, r.channel_id, r.level).await?;
                    Ok(None)
                })
                .await
            }
            _ => self.respond(seq, code_only(codes::PARAMETER_INVALID)),
        }
    }

    /// The default level of a group ("" channel) or channel for a member (24406 …).
    fn default_level(
        &self,
        group_id: &str,
        channel_id: &str,
    ) -> Result<Option<response::Body>, ServiceError> {
        check_group(group_id)?;
        // The group's level is asked with an empty channel: membership is checked on
        // RCDefault, which every member can read.
        let channel = if channel_id.is_empty() {
            DEFAULT_CHANNEL.to_owned()
        } else {
            check_channel(channel_id)?
        };
        check_access(&self.shared, group_id, &channel, &self.user_id)?;
        let (group_level, channel_level) = self
            .shared
            .ultragroups
            .default_levels(group_id, &channel)
            .ok_or_else(|| stream::refused(codes::ULTRA_GROUP_NOT_EXIST))?;
        let level = if channel_id.is_empty() {
            group_level
        } else {
            channel_level
        };
        Ok(Some(response::Body::UltragroupLevel(
            UltraGroupDefaultLevel { level },
        )))
    }
}

/// The answer to a modify or an expansion update: the change's `change_seq`.
fn change_result(changed: stream::Changed) -> response::Body {
    response::Body::UltragroupChange(UltraGroupChangeResult {
        change_seq: changed.change_seq,
    })
}

/// Changes the default level of a group ("" channel) or channel for all members (R243):
/// members (24406), 24414 an unknown channel, 33003 a level outside 0..=5. Any member may,
/// as the client API allows; the request counts in the connection's request rate (see
/// `service::dnd` for the reasoning).
async fn set_default_level(
    shared: &crate::state::Shared,
    user: &str,
    group_id: String,
    channel_id: String,
    level: u32,
) -> Result<(), ServiceError> {
    if level > 5 {
        return Err(ServiceError::Invalid("level outside 0..=5".into()));
    }
    check_group(&group_id)?;
    let channel = if channel_id.is_empty() {
        DEFAULT_CHANNEL.to_owned()
    } else {
        check_channel(&channel_id)?
    };
    check_access(shared, &group_id, &channel, user)?;
    // "" names the group's own level (not RCDefault's).
    let target = if channel_id.is_empty() { "" } else { &channel };
    shared
        .ultragroups
        .set_default_level(shared.store.as_ref(), &group_id, target, level)
        .await
}
