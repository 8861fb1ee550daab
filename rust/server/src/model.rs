//! The server's domain types, shared by every layer: what a send, a recall or a membership
//! change carries, the caps every stored field obeys, and the committed inbox entries that
//! live delivery pushes. Nothing here does I/O.

use rcim_proto::v1::{inbox_entry, InboxEntry, Message, SendMessage};
use std::collections::HashMap;
use std::sync::Arc;

/// Byte budget of one sync package's entries (the frame cap minus room for the envelope).
/// An entry counts its encoded length plus [`ENTRY_OVERHEAD`].
pub(crate) const SYNC_BYTES: usize = rcim_proto::MAX_FRAME_LEN - 1024;
/// Bytes an inbox entry adds to a frame beyond its own encoding (field tag and length, at
/// most 1 + 3 bytes for anything below the frame cap, rounded up).
pub(crate) const ENTRY_OVERHEAD: usize = 8;
/// Longest push content / push data (bytes, as RongCloud).
pub(crate) const MAX_PUSH_LEN: usize = 4096;
/// Longest channel id, in characters (RongCloud ultra-group channel ids: 20).
pub(crate) const MAX_CHANNEL_ID_CHARS: usize = 20;
/// Longest client message id (bytes).
pub(crate) const MAX_CLIENT_MSG_ID_LEN: usize = 64;
/// Longest user or target id (bytes, as RongCloud).
pub(crate) const MAX_ID_LEN: usize = 64;
/// Longest object name, in characters.
pub(crate) const MAX_OBJECT_NAME_CHARS: usize = 32;
/// Most members of one group (RongCloud: 3000).
pub(crate) const MAX_GROUP_MEMBERS: usize = 3000;
/// Client/API code: the sender is not a member of the group (NOT_IN_GROUP).
pub(crate) const NOT_IN_GROUP: u32 = rcim_proto::codes::NOT_IN_GROUP;
/// Client code of a group send by a gagged member (FORBIDDEN_IN_GROUP).
pub(crate) const FORBIDDEN_IN_GROUP: u32 = 22408;

/// A send or group operation refused for a business reason (not a storage failure): the
/// caller answers with `code` instead of an internal error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejected {
    pub code: u32,
    pub message: String,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rejected ({}): {}", self.code, self.message)
    }
}

impl std::error::Error for Rejected {}

impl Rejected {
    pub(crate) fn err(code: u32, message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Rejected {
            code,
            message: message.into(),
        })
    }
}

/// A change to group membership, applied by the writer.
#[derive(Debug, Clone)]
pub(crate) enum GroupOp {
    /// Create the group (or rename it) and add `members` (`/group/create.json`,
    /// `/group/join.json`). Refused with 1002 beyond [`MAX_GROUP_MEMBERS`].
    Add {
        group_id: String,
        name: String,
        members: Vec<String>,
    },
    /// Remove `members`; a group left without members is deleted.
    Quit {
        group_id: String,
        members: Vec<String>,
    },
    /// Delete the group and its membership.
    Dismiss { group_id: String },
}

/// Upper bound of the encoded size of any message that passes [`NewMessage::check_limits`]:
/// the capped fields (4 bytes per character where characters are counted), a 19-character
/// UID, and generous room for field tags, lengths and the numeric fields.
const MAX_MESSAGE_LEN: usize = rcim_proto::MAX_CONTENT_LEN
    + 3 * MAX_PUSH_LEN
    + crate::expansion::MAX_BYTES
    + 4 * MAX_CHANNEL_ID_CHARS
    + MAX_CLIENT_MSG_ID_LEN
    + 2 * MAX_ID_LEN
    + 4 * MAX_OBJECT_NAME_CHARS
    + 19
    + 256;
// Any accepted message fits in a push and in a sync package, whatever the field sizes: this
// is what bounds `rcim_proto::expansion::MAX_BYTES` (our deviation from R066's sizes).
const _: () = assert!(MAX_MESSAGE_LEN + 64 + ENTRY_OVERHEAD <= SYNC_BYTES);
// An `ExpansionChange` carries the pairs set (at most the cap) and the whole expansion
// afterwards (at most the cap), beside ids, names and up to 20 removed keys.
const _: () = assert!(2 * crate::expansion::MAX_BYTES + 4096 + ENTRY_OVERHEAD <= SYNC_BYTES);

/// A message to store and route, as produced by a client send or the Server API.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewMessage {
    pub sender_id: String,
    /// Client message id; empty = no dedupe (Server API publishes).
    pub client_msg_id: String,
    pub conversation_type: u32,
    /// Recipient user (private) or group id (group).
    pub to_id: String,
    pub channel_id: String,
    pub object_name: String,
    pub content: String,
    pub persisted: bool,
    pub counted: bool,
    pub push_content: String,
    pub push_data: String,
    /// Append to the sender's own inbox too (always for client sends, so the sender's devices
    /// converge; `isIncludeSender` for the Server API). The entry is pushed to every online
    /// device of the sender, the sending connection included: the client dedupes it by
    /// client message id / UID and just advances its inbox cursor.
    pub include_sender: bool,
    /// Group messages: only these members receive it (directed message); empty = everyone.
    pub directed: Vec<String>,
    /// Group messages: refuse with [`NOT_IN_GROUP`] unless the sender is a member (client
    /// sends; the Server API may publish as anyone).
    pub require_member: bool,
    /// A custom message type (`Message.custom`): stored with the message and forwarded.
    pub custom: bool,
    /// Online only (`Message.status`): pushed to the recipients' devices online now, never
    /// stored (see `service::messages::publish_status`); the store refuses it.
    pub status: bool,
    /// The sender enabled expansion (`Message.can_expand`).
    pub can_expand: bool,
    /// The expansion it is sent with (caps: [`crate::expansion::check_initial`]).
    pub expansion: HashMap<String, String>,
    /// The sender's push options, JSON (`Message.push_options`), at most [`MAX_PUSH_LEN`].
    pub push_options: String,
    /// Private messages: refuse with 405 when the recipient blacklisted the sender (client
    /// sends; the Server API's `verifyBlacklist`).
    pub check_blacklist: bool,
    /// Blocked by the sensitive-word filter: the send is answered like a stored one (uid,
    /// sent time, deduped by client message id) but the message reaches no inbox and no
    /// history; the sender's inbox gets a `MessageBlocked` entry instead.
    pub blocked: bool,
}

impl NewMessage {
    /// What a client send (`m`, request id `client_msg_id`) carries, from `sender_id`; the
    /// rest (directed members, member and blacklist checks, …) is left to the caller.
    pub(crate) fn from_send(sender_id: String, client_msg_id: String, m: SendMessage) -> Self {
        NewMessage {
            sender_id,
            client_msg_id,
            conversation_type: m.conversation_type,
            to_id: m.target_id,
            channel_id: m.channel_id,
            object_name: m.object_name,
            content: m.content,
            persisted: m.persisted,
            counted: m.counted,
            push_content: m.push_content,
            push_data: m.push_data,
            custom: m.custom,
            status: m.status,
            // Sending with an expansion enables it, even without the flag.
            can_expand: m.can_expand || !m.expansion.is_empty(),
            expansion: m.expansion,
            push_options: m.push_options,
            ..Default::default()
        }
    }

    /// The message as it travels, once the server gave it `uid`, `sent_time` and its place
    /// in the conversation's history (`conv_seq`, 0 = none).
    pub(crate) fn into_wire(self, uid: String, sent_time: i64, conv_seq: u64) -> Message {
        Message {
            uid,
            conversation_type: self.conversation_type,
            to_id: self.to_id,
            channel_id: self.channel_id,
            sender_id: self.sender_id,
            object_name: self.object_name,
            content: self.content,
            sent_time,
            client_msg_id: self.client_msg_id,
            persisted: self.persisted,
            counted: self.counted,
            push_content: self.push_content,
            push_data: self.push_data,
            status: self.status,
            custom: self.custom,
            conv_seq,
            can_expand: self.can_expand,
            expansion: self.expansion,
            push_options: self.push_options,
            receipt: None,
            change_seq: 0,
            modified: false,
            mentions_all: false,
        }
    }
}

/// A field of a [`NewMessage`] beyond its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LimitError {
    /// Field name as the Server API spells it.
    pub field: &'static str,
    /// The cap (bytes, or characters for `channelId` / `objectName`).
    pub max: usize,
    /// True for the size-type fields (content, push content, push data): the gateway answers
    /// 30016 for those and 33003 for the others.
    pub size: bool,
}

impl NewMessage {
    /// Checks every caller-supplied field against its cap, so that the stored message always
    /// fits in one frame when it is pushed or synced. Emptiness and character-set rules stay
    /// with the callers (they differ between the gateway and the Server API).
    pub(crate) fn check_limits(&self) -> Result<(), LimitError> {
        let err = |field, max, size| Err(LimitError { field, max, size });
        if self.content.len() > rcim_proto::MAX_CONTENT_LEN {
            return err("content", rcim_proto::MAX_CONTENT_LEN, true);
        }
        if self.push_content.len() > MAX_PUSH_LEN {
            return err("pushContent", MAX_PUSH_LEN, true);
        }
        if self.push_data.len() > MAX_PUSH_LEN {
            return err("pushData", MAX_PUSH_LEN, true);
        }
        if self.push_options.len() > MAX_PUSH_LEN {
            return err("pushOptions", MAX_PUSH_LEN, true);
        }
        if self.channel_id.chars().count() > MAX_CHANNEL_ID_CHARS {
            return err("channelId", MAX_CHANNEL_ID_CHARS, false);
        }
        if self.client_msg_id.len() > MAX_CLIENT_MSG_ID_LEN {
            return err("clientMsgId", MAX_CLIENT_MSG_ID_LEN, false);
        }
        if self.to_id.len() > MAX_ID_LEN {
            return err("toUserId", MAX_ID_LEN, false);
        }
        if self.sender_id.len() > MAX_ID_LEN {
            return err("fromUserId", MAX_ID_LEN, false);
        }
        if self.object_name.chars().count() > MAX_OBJECT_NAME_CHARS {
            return err("objectName", MAX_OBJECT_NAME_CHARS, false);
        }
        Ok(())
    }
}

/// Makes `entry` safe to send: if it cannot fit in a frame (a row stored before the caps of
/// [`NewMessage::check_limits`] existed, or written by hand), its message is dropped and only
/// the sequence number is sent, so the client's cursor moves past it instead of the connection
/// failing on every push and sync. Returns the entry's size as counted against a frame.
pub(crate) fn fit_entry(user_id: &str, entry: &mut InboxEntry) -> usize {
    let size = prost::Message::encoded_len(entry) + ENTRY_OVERHEAD;
    if size <= SYNC_BYTES {
        return size;
    }
    tracing::warn!(user = %user_id, seq = entry.seq, size,
        "inbox entry too large for a frame; sending it without its message");
    entry.body = None;
    prost::Message::encoded_len(entry) + ENTRY_OVERHEAD
}

/// Removes from `m` what only its sender may see: the push options (R069; one user's push
/// configuration is none of the receivers' business). `viewer` is the user it goes to.
pub(crate) fn hide_sender_only(viewer: &str, m: &mut Message) {
    if m.sender_id != viewer {
        m.push_options.clear();
    }
}

/// [`hide_sender_only`] for the message of an inbox entry, if it has one.
pub(crate) fn hide_sender_only_entry(viewer: &str, body: &mut Option<inbox_entry::Body>) {
    if let Some(inbox_entry::Body::Message(m)) = body {
        hide_sender_only(viewer, m);
    }
}

/// The server's answer to a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SendOutcome {
    pub uid: String,
    pub sent_time: i64,
    /// Place in the conversation's cloud history (0 = not in it).
    pub conv_seq: u64,
    /// True when this was a resend of an already stored message (nothing was delivered).
    pub duplicate: bool,
}

/// Identifies a client's state-changing request for idempotency: executed at most once per
/// (user, request id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestKey {
    pub user_id: String,
    pub request_id: String,
}

/// A state-changing request other than a send that the store executed and logged: what a
/// resend of it is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoggedRequest {
    /// A recall, answered with its recall time.
    Recall { recall_time: i64 },
    /// An inbox event (read receipt, conversation setting), answered with success alone.
    Event,
}

/// A recall, from a client or the Server API.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecallRequest {
    /// Who recalls: a participant of the message's conversation (see
    /// [`crate::store::ServerStore::recall`]).
    pub operator_id: String,
    /// Only the sender may recall (`ServerConfig::recall_only_sender`): 25107 for others.
    pub only_sender: bool,
    pub uid: String,
    pub conversation_type: u32,
    /// The conversation as the operator sees it: the other user (private) or the group.
    pub target_id: String,
    pub channel_id: String,
}

/// One page of a user's inbox.
#[derive(Debug, Clone, Default)]
pub(crate) struct SyncPage {
    pub entries: Vec<InboxEntry>,
    pub has_more: bool,
    pub head: u64,
}

/// An entry committed to one user's inbox, to push to their online devices.
#[derive(Debug)]
pub(crate) struct Push {
    pub user_id: String,
    pub seq: u64,
    /// The entry's body (a message, a recall...), shared by every inbox that received it (a
    /// group fan-out makes one entry per member; only online members get a copy built).
    pub body: Arc<inbox_entry::Body>,
}

/// Key of a conversation in the store: private = the sorted pair of users and the channel,
/// group-like = the target and the channel. `from` is the sender (or the requester) and `to`
/// the message's addressee (or the requester's target). Sent times are strictly increasing per
/// key, and the cloud history is numbered per key.
pub(crate) fn conversation_key(
    conversation_type: u32,
    from: &str,
    to: &str,
    channel: &str,
) -> String {
    if conversation_type != rcim_proto::conversation_type::PRIVATE {
        return format!("{conversation_type}\u{1f}{to}\u{1f}{channel}");
    }
    let (a, b) = if from <= to { (from, to) } else { (to, from) };
    format!("{conversation_type}\u{1f}{a}\u{1f}{b}\u{1f}{channel}")
}

/// A change of a message's expansion, from a client or the Server API.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExpansionUpdate {
    /// Who changes it: a participant of the message's conversation.
    pub operator_id: String,
    /// The operator's device (`Connect.device_id`; empty from the Server API).
    pub operator_device_id: String,
    pub uid: String,
    pub conversation_type: u32,
    /// The conversation as the operator sees it.
    pub target_id: String,
    pub channel_id: String,
    pub set: HashMap<String, String>,
    pub remove: Vec<String>,
    /// Append the change to the operator's own inbox too (clients: always; Server API:
    /// `isSyncSender`).
    pub sync_operator: bool,
}

/// A conversation as one user sees it: (type, target, channel).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UserConversation {
    pub user_id: String,
    pub conversation_type: u32,
    /// The other user (private) or the group.
    pub target_id: String,
    pub channel_id: String,
}

impl UserConversation {
    /// The store key of this conversation ([`conversation_key`]).
    pub(crate) fn key(&self) -> String {
        conversation_key(
            self.conversation_type,
            &self.user_id,
            &self.target_id,
            &self.channel_id,
        )
    }
}

/// A page of cloud history to read (see `HistoryRequest`).
#[derive(Debug, Clone, Default)]
pub(crate) struct HistoryQuery {
    pub conversation: UserConversation,
    /// Bound of the page (0 = from the newest for BEFORE).
    pub sent_time: i64,
    /// True: messages after `sent_time` (AFTER); false: before it.
    pub after: bool,
    /// 1..=100.
    pub count: u32,
}

/// A page of cloud history (see `HistoryPage`).
#[derive(Debug, Clone, Default)]
pub(crate) struct HistorySlice {
    /// Ascending sequence order.
    pub messages: Vec<Message>,
    pub from_seq: u64,
    pub to_seq: u64,
    pub has_more: bool,
}

/// What a prune deletes: entries older than each cutoff (`None` = that retention is
/// forever).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PruneCutoffs {
    /// Inbox entries, messages outside the cloud history, dedupe records and logged requests
    /// created before this time (ms).
    pub offline_before: Option<i64>,
    /// Cloud history messages sent before this time, with the deletion and clear records
    /// that only concerned them.
    pub history_before: Option<i64>,
    /// Stored chatroom messages sent before this time.
    pub chatroom_before: Option<i64>,
    /// Ultra-group channel messages sent before this time.
    pub ultragroup_before: Option<i64>,
}

/// A sensitive word of the message filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SensitiveWord {
    pub word: String,
    /// `None`: a message containing the word is blocked; `Some`: the word is replaced by it.
    pub replace_word: Option<String>,
}

/// A change of the moderation state, applied by the store.
#[derive(Debug, Clone)]
pub(crate) enum ModerationOp {
    /// Adds (or changes) a sensitive word; a new word beyond `max_words` words is refused
    /// with the code `over_limit_code`.
    AddWord {
        word: SensitiveWord,
        max_words: usize,
        over_limit_code: u32,
    },
    /// Removes these words (unknown ones are ignored).
    DeleteWords(Vec<String>),
    /// Bans these users from connecting until `until` (ms).
    Ban { user_ids: Vec<String>, until: i64 },
    /// Lifts these users' bans.
    Unban(Vec<String>),
    /// Gags these users in a group until `until` (ms; `i64::MAX` = permanent).
    Gag {
        group_id: String,
        user_ids: Vec<String>,
        until: i64,
    },
    /// Lifts these users' gags in a group.
    Ungag {
        group_id: String,
        user_ids: Vec<String>,
    },
}

/// A ban or a gag in force: its user and its end (ms; `i64::MAX` = permanent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restriction {
    pub user_id: String,
    pub until: i64,
}

/// A chatroom KV entry (R202–R208) as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChatroomEntry {
    pub key: String,
    pub value: String,
    /// The user who set it last: only they remove it without `force`.
    pub owner: String,
    /// Removed when the owner leaves the room (`deleteWhenLeft`, `autoDelete`).
    pub auto_delete: bool,
    /// When it was set (ms).
    pub set_time: i64,
}

/// The per-room moderation lists of chatrooms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RoomRestrictionKind {
    /// Gagged: sends to the room are refused (23408).
    Gag,
    /// Blocked: kicked and refused on join (23409, R196).
    Block,
    /// Protected: never auto-kicked (R195).
    Protected,
}

/// A user on one of a room's moderation lists until `until` (ms; `i64::MAX` = permanent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoomRestriction {
    pub room_id: String,
    pub kind: RoomRestrictionKind,
    pub user_id: String,
    pub until: i64,
}

/// A change of chatroom KV entries or moderation lists, applied by the store.
#[derive(Debug, Clone)]
pub(crate) enum ChatroomKvWrite {
    /// Creates or replaces these entries of a room.
    PutEntries {
        room_id: String,
        entries: Vec<ChatroomEntry>,
    },
    /// Removes these keys of a room (missing ones are ignored).
    RemoveEntries { room_id: String, keys: Vec<String> },
    /// Puts these users on a room's list until `until` (a later call replaces the end).
    Restrict {
        room_id: String,
        kind: RoomRestrictionKind,
        user_ids: Vec<String>,
        until: i64,
    },
    /// Takes these users off a room's list.
    Lift {
        room_id: String,
        kind: RoomRestrictionKind,
        user_ids: Vec<String>,
    },
    /// Forgets a destroyed room's entries and lists.
    ForgetRoom { room_id: String },
}

/// A sender asking the members of a group for read receipts of one of their messages.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReceiptAsk {
    pub requester: String,
    pub device_id: String,
    pub group_id: String,
    pub channel_id: String,
    pub uid: String,
}

/// A member's read receipts of messages of a group.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReceiptAnswer {
    pub reader: String,
    pub device_id: String,
    pub group_id: String,
    pub channel_id: String,
    pub uids: Vec<String>,
}
