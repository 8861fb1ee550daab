//! What the ultra-group calls and the ultra-group task share: [`UgLink`] (asking the server
//! through the session's read path, running store work, emitting events) and
//! [`apply_page`], which applies messages of a channel's stream (a page of changes, or one
//! live event) to the store and says what to announce.
//!
//! A message of the stream is compared with the stored row of its uid: unknown = a new
//! message (stored, `onMessageReceived`); a recall notification replacing a stored message
//! = recalled (deleted when the recall says `isDelete`, R228); another content or object name
//! = modified (R225); another expansion = expansion changed (R229); the same = nothing.

use crate::codec::{self, extras};
use crate::codes::Code;
use crate::db::Db;
use crate::event::Event;
use crate::model::Message;
use crate::session::{Command, ReadRequest, UltragroupSignal};
use crate::shared::Shared;
use rcim_proto::v1::{request, response, Message as WireMessage};
use rcim_store::{received_status, ConversationKey, NewMessage, Store, StoreError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How often a request refused for the request rate is asked again, and after how long.
const RATE_RETRIES: u32 = 5;
const RATE_WINDOW: Duration = Duration::from_millis(1100);

/// `UltraGroupMessageChanged.kind` values.
pub(crate) mod change_kind {
    /// The sender modified the content.
    pub(crate) const MODIFIED: u32 = 1;
    /// Recalled.
    pub(crate) const RECALLED: u32 = 2;
    /// The expansion changed.
    pub(crate) const EXPANSION: u32 = 3;
}

/// The session, the database and the event outlet of one connected user.
#[derive(Clone)]
pub(crate) struct UgLink {
    pub(crate) commands: mpsc::Sender<Command>,
    pub(crate) db: Db,
    pub(crate) me: String,
    pub(crate) shared: Arc<Shared>,
    /// The session's ultra-group task (see [`UgLink::known`]).
    pub(crate) signals: mpsc::WeakSender<UltragroupSignal>,
}

impl UgLink {
    /// Asks the server `body` (a read when `request_id` is empty, else a state-changing
    /// request executed at most once: the same id on every attempt). A refusal for the
    /// request rate (20604) is asked again after the server's one-second window, a few times.
    pub(crate) async fn ask(
        &self,
        body: request::Body,
        request_id: &str,
    ) -> Result<Option<response::Body>, Code> {
        let mut attempt = 0;
        loop {
            match self.ask_once(body.clone(), request_id).await {
                Err(code) if code == Code::SEND_MSG_FREQUENCY_OVERRUN && attempt < RATE_RETRIES => {
                    attempt += 1;
                    tokio::time::sleep(RATE_WINDOW).await;
                }
                result => return result,
            }
        }
    }

    async fn ask_once(
        &self,
        body: request::Body,
        request_id: &str,
    ) -> Result<Option<response::Body>, Code> {
        let (mut read, answer) = ReadRequest::channel(body, Instant::now());
        read.request_id = request_id.to_string();
        self.commands
            .try_send(Command::Read(Box::new(read)))
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => Code::SEND_MSG_FREQUENCY_OVERRUN,
                mpsc::error::TrySendError::Closed(_) => Code::CLIENT_NOT_INIT,
            })?;
        match answer.await {
            Ok(Ok(body)) => Ok(body),
            Ok(Err(code)) => Err(Code::of(code)),
            Err(_) => Err(Code::CLIENT_NOT_INIT),
        }
    }

    /// Tells the ultra-group task that this device made change `change_seq` of a channel
    /// (an answer's `change_seq`; 0 = none): its cursor moves past it without a fetch.
    pub(crate) fn known(&self, group: &str, channel: &str, change_seq: u64) {
        if change_seq == 0 {
            return;
        }
        let signal = UltragroupSignal::Known {
            group_id: group.to_string(),
            channel_id: channel.to_string(),
            change_seq,
        };
        if let Some(signals) = self.signals.upgrade() {
            crate::session::forward_ultragroup(&Some(signals), signal);
        }
    }

    /// Runs `f` on the database.
    pub(crate) async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, Code> {
        self.db.call(f).await.map_err(|e| {
            tracing::error!(error = %e, "ultra-group store work failed");
            Code::DATABASE_ERROR
        })
    }

    /// Hands `event` to the embedder.
    pub(crate) async fn emit(&self, event: Event) {
        self.shared.emit(event).await;
    }

    /// Announces what [`apply_page`] did: new messages first (ascending), then the changes.
    pub(crate) async fn announce(&self, outcome: PageOutcome, offline: bool, has_more: bool) {
        use crate::event::UltragroupEvent as Ug;
        let total = outcome.received.len();
        for (i, mut message) in outcome.received.into_iter().enumerate() {
            message.offline = Some(offline);
            self.emit(Event::MessageReceived {
                message,
                left: (total - 1 - i) as u32,
                offline,
                has_package: has_more,
            })
            .await;
        }
        if !outcome.modified.is_empty() {
            let messages = outcome.modified;
            self.emit(Event::Ultragroup(Ug::RemoteMessagesModified { messages }))
                .await;
        }
        if !outcome.recalled.is_empty() {
            let messages = outcome.recalled;
            self.emit(Event::Ultragroup(Ug::RemoteMessagesRecalled { messages }))
                .await;
        }
        if !outcome.expansion.is_empty() {
            let messages = outcome.expansion;
            self.emit(Event::Ultragroup(Ug::RemoteExpansionUpdated { messages }))
                .await;
        }
    }
}

/// What applying stream messages changed, to announce.
#[derive(Debug, Default)]
pub(crate) struct PageOutcome {
    /// New messages, stored, ascending.
    pub(crate) received: Vec<Message>,
    /// New messages that count as unread: their history sequences (`conv_seq`) and whether
    /// they mention this user.
    pub(crate) counted_seqs: Vec<(u64, bool)>,
    pub(crate) modified: Vec<Message>,
    pub(crate) recalled: Vec<Message>,
    pub(crate) expansion: Vec<Message>,
}

/// Whether `m` is the notification of a recall with `deleteRemote` (the message is gone).
pub(crate) fn is_deleted_recall(m: &WireMessage) -> bool {
    m.object_name == codec::recall::RECALL_OBJECT_NAME && is_delete(&m.content)
}

/// Whether a recall notification's content says the message was deleted (`isDelete`).
fn is_delete(content: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(content)
        .ok()
        .and_then(|v| v.get("isDelete").and_then(serde_json::Value::as_bool))
        .unwrap_or(false)
}

/// The stored row of a stream message for user `me`: unread unless at or before the user's
/// read position `read_seq` (a `conv_seq`: compared by sequence, as sent times may run ahead
/// of the clock); mentions counted from the server's `mentions_all` too.
pub(crate) fn stream_row(m: &WireMessage, me: &str, read_seq: u64) -> NewMessage {
    let now = crate::session::now_ms();
    let mut row = codec::row_from_wire(m, me, now);
    if row.direction == rcim_store::direction::RECEIVE {
        row.mentioned = row.mentioned || m.mentions_all;
        if m.conv_seq > 0 && m.conv_seq <= read_seq {
            row.received_status = received_status::READ;
        }
    }
    row
}

/// What [`apply_page`] does with a message this device does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// A new message: stored and announced as received (pages of changes, live messages).
    Store,
    /// A live `changed` event of this kind: announced as that change, not stored.
    Announce(u32),
    /// Changes to the messages held here (after a long absence): nothing to do.
    Skip,
}

/// Applies stream messages of one channel (ascending by change sequence); `unknown` says
/// what becomes of messages not held here, `read_seq` is the user's read position.
pub(crate) fn apply_page(
    store: &mut Store,
    messages: &[WireMessage],
    me: &str,
    read_seq: u64,
    unknown: Unknown,
) -> Result<PageOutcome, StoreError> {
    let mut out = PageOutcome::default();
    let mut new_rows = Vec::new();
    let mut seqs = std::collections::HashMap::new();
    for m in messages.iter().filter(|m| !m.uid.is_empty()) {
        let recall = m.object_name == codec::recall::RECALL_OBJECT_NAME;
        let Some(local) = store.message_by_uid(&m.uid)? else {
            match unknown {
                Unknown::Announce(change_kind::RECALLED) => {
                    out.recalled.push(codec::message_from_wire(m, me, 0));
                }
                Unknown::Announce(change_kind::MODIFIED) => {
                    out.modified.push(codec::message_from_wire(m, me, 0));
                }
                Unknown::Announce(change_kind::EXPANSION) => {
                    out.expansion.push(codec::message_from_wire(m, me, 0));
                }
                // A kind this engine does not know: nothing it can show.
                Unknown::Announce(_) | Unknown::Skip => {}
                // A recall of a message this device never had: nothing to show.
                Unknown::Store if recall => {}
                Unknown::Store => {
                    let row = stream_row(m, me, read_seq);
                    seqs.insert(m.uid.clone(), m.conv_seq);
                    new_rows.push(row);
                }
            }
            continue;
        };
        if recall && local.object_name != codec::recall::RECALL_OBJECT_NAME {
            if is_delete(&m.content) {
                store.delete_messages(&[local.id])?;
                out.recalled.push(codec::message_from_row(&local));
            } else {
                let update = rcim_store::RecallUpdate {
                    uid: m.uid.clone(),
                    message_type: crate::model::message_type::RECALL,
                    object_name: m.object_name.clone(),
                    content: m.content.clone(),
                    keep_original: local.sender_id == me,
                };
                if let Some(row) = store.recall_message(&update)? {
                    out.recalled.push(codec::message_from_row(&row));
                }
            }
        } else if !recall && (local.content != m.content || local.object_name != m.object_name) {
            if let Some(row) = store.modify_message_content(&m.uid, &m.object_name, &m.content)? {
                out.modified.push(codec::message_from_row(&row));
            }
        } else {
            let stored = extras::stored_expansion(local.extra_json.as_deref()).unwrap_or_default();
            if m.can_expand && stored != m.expansion {
                let extra = extras::with_expansion(local.extra_json.as_deref(), &m.expansion);
                if let Some(row) = store.set_extra_json(local.id, Some(&extra))? {
                    out.expansion.push(codec::message_from_row(&row));
                }
            }
        }
    }
    for row in store.store_ultragroup_messages(&new_rows)? {
        let seq = row
            .uid
            .as_ref()
            .and_then(|u| seqs.get(u))
            .copied()
            .unwrap_or(0);
        if row.direction == rcim_store::direction::RECEIVE
            && row.counted
            && row.received_status == received_status::UNREAD
        {
            out.counted_seqs.push((seq, row.mentioned));
        }
        out.received.push(codec::message_from_row(&row));
    }
    Ok(out)
}

/// The conversation key of a channel as the engine keeps it ("" = "RCDefault").
pub(crate) fn channel_key(group: &str, channel: &str) -> ConversationKey {
    let ug = crate::model::conversation_type::ULTRA_GROUP;
    ConversationKey::new(ug, group, &codec::channel_for(ug, channel))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(uid: &str, seq: u64, content: &str) -> WireMessage {
        WireMessage {
            uid: uid.into(),
            conversation_type: 5,
            to_id: "g".into(),
            channel_id: "RCDefault".into(),
            sender_id: "bob".into(),
            object_name: "RC:TxtMsg".into(),
            content: content.into(),
            sent_time: seq as i64 * 10,
            persisted: true,
            counted: true,
            conv_seq: seq,
            change_seq: seq,
            can_expand: true,
            ..Default::default()
        }
    }

    #[test]
    fn stream_messages_are_new_then_modified_expanded_and_recalled() {
        let mut s = Store::open_in_memory().unwrap();
        let key = channel_key("g", "");
        assert_eq!(key.channel_id, "RCDefault");
        let first = apply_page(
            &mut s,
            &[wire("a", 1, r#"{"content":"1"}"#)],
            "me",
            0,
            Unknown::Store,
        )
        .unwrap();
        assert_eq!(first.received.len(), 1);
        assert_eq!(first.counted_seqs, [(1, false)]);
        assert_eq!(s.unread_count(&key).unwrap(), 1);
        // The same message again: nothing.
        let again = apply_page(
            &mut s,
            &[wire("a", 1, r#"{"content":"1"}"#)],
            "me",
            0,
            Unknown::Store,
        )
        .unwrap();
        assert!(again.received.is_empty() && again.modified.is_empty());

        let modified = apply_page(
            &mut s,
            &[wire("a", 2, r#"{"content":"2"}"#)],
            "me",
            0,
            Unknown::Store,
        )
        .unwrap();
        assert_eq!(modified.modified.len(), 1);
        assert!(s
            .message_by_uid("a")
            .unwrap()
            .unwrap()
            .content
            .contains('2'));

        let mut expanded = wire("a", 3, r#"{"content":"2"}"#);
        expanded.expansion.insert("k".into(), "v".into());
        let out = apply_page(&mut s, &[expanded], "me", 0, Unknown::Store).unwrap();
        assert_eq!(out.expansion.len(), 1);

        let mut recall = wire("a", 4, r#"{"operatorId":"bob","isDelete":true}"#);
        recall.object_name = "RC:RcNtf".into();
        let out = apply_page(&mut s, &[recall], "me", 0, Unknown::Store).unwrap();
        assert_eq!(out.recalled.len(), 1);
        assert!(s.message_by_uid("a").unwrap().is_none());
    }

    #[test]
    fn messages_up_to_the_read_position_do_not_count() {
        let mut s = Store::open_in_memory().unwrap();
        let mut messages = [wire("a", 1, "{}"), wire("b", 2, "{}")];
        // Sent times ahead of the clock (a burst) do not matter: the sequence does.
        messages[0].sent_time = 1_000;
        let out = apply_page(&mut s, &messages, "me", 1, Unknown::Store).unwrap();
        assert_eq!(out.received.len(), 2);
        assert_eq!(out.counted_seqs, [(2, false)]);
        // A change event of a message this device never had is announced, not stored.
        let out = apply_page(
            &mut s,
            &[wire("x", 3, "{}")],
            "me",
            0,
            Unknown::Announce(change_kind::MODIFIED),
        )
        .unwrap();
        assert_eq!(out.modified.len(), 1);
        assert!(s.message_by_uid("x").unwrap().is_none());
    }

    #[test]
    fn changes_to_held_messages_apply_without_storing_others() {
        let mut s = Store::open_in_memory().unwrap();
        apply_page(&mut s, &[wire("a", 1, "{}")], "me", 0, Unknown::Store).unwrap();
        let mut recall = wire("a", 150, r#"{"operatorId":"bob","isDelete":false}"#);
        recall.object_name = "RC:RcNtf".into();
        let other = wire("z", 151, r#"{"content":"not held"}"#);
        let out = apply_page(&mut s, &[recall, other], "me", 0, Unknown::Skip).unwrap();
        assert_eq!(out.recalled.len(), 1);
        assert!(out.received.is_empty() && out.counted_seqs.is_empty());
        assert_eq!(
            s.message_by_uid("a").unwrap().unwrap().object_name,
            "RC:RcNtf"
        );
        assert!(s.message_by_uid("z").unwrap().is_none(), "not stored");
    }
}
