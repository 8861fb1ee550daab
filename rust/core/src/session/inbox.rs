//! Inbox sync state: the cursor (last inbox seq stored), the running sync, live pushes, and the
//! pause while the embedder is behind on events (entries then stay on the server).

use super::operations::ExpansionUpdate;
use super::settings;
use super::types::{ExpansionChangeEntry, InboxBatch};
use crate::codec;
use crate::event::Event;
use crate::model::Message;
use rcim_proto::v1::{client_frame, inbox_entry, request, ClientFrame, InboxEntry, SyncRequest};
use rcim_proto::MAX_SYNC_PACKAGE;
use rcim_store::{ConversationKey, MessageRow, ReadMark};
use std::collections::VecDeque;

/// What to do with a live push.
#[derive(Debug)]
pub(crate) enum PushOutcome {
    /// Nothing now (a running or later sync brings it, or it is old).
    Skip,
    /// Store it.
    Apply(Box<InboxBatch>),
    /// Entries are missing before it: sync.
    Sync,
    /// An entry outside the inbox (sequence 0: a status message, online only): announce it
    /// now, store nothing, leave the cursor.
    Announce(Box<Event>),
}

/// Whether a session's inbox is behind the server (connected, and a sync is running, due or
/// being stored): published by the session's task after every input, read by the history
/// pages. While it is, the highest history range the store holds may miss messages the server
/// already has (they are on their way), so a page that needs "up to now" asks the server.
#[derive(Debug, Clone, Default)]
pub(crate) struct InboxBehind(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl InboxBehind {
    /// Publishes the state.
    pub(crate) fn set(&self, behind: bool) {
        self.0.store(behind, std::sync::atomic::Ordering::Release);
    }

    /// The last published state.
    pub(crate) fn get(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// The inbox side of a session.
#[derive(Debug, Default)]
pub(crate) struct Inbox {
    /// Highest inbox seq stored locally.
    pub(crate) cursor: u64,
    /// The server's inbox epoch the cursor counts in (0: not known yet).
    epoch: u64,
    /// A cursor was stored before (false for a new installation: it starts at the server's
    /// offline compensation point, R053/R144).
    synced: bool,
    /// Highest inbox seq the server announced.
    max_seen: u64,
    /// The seq of the running sync request, kept until its last package is stored.
    syncing: Option<u64>,
    /// A batch is being stored.
    applying: bool,
    /// A sync is due once nothing else runs and the embedder keeps up.
    want_sync: bool,
    /// The embedder is behind on events: take no more entries.
    paused: bool,
    /// The inbox head when the session was accepted: entries up to it were stored while this
    /// device was offline (the `offline` flag of received messages).
    offline_head: u64,
    /// Client ids of the latest sends of this device that are not stored: the server's copy
    /// in this user's inbox is not announced as received (a stored one is deduplicated by the
    /// store instead).
    sent_here: VecDeque<String>,
    /// The settings version the store applied (see `settings`): entries at or below it are
    /// skipped.
    pub(crate) settings_version: u64,
    /// Take no entries while the settings are read at login (they would be overwritten by an
    /// older snapshot).
    pub(crate) hold: bool,
}

/// How many recent unstored sends [`Inbox::sent_here`] remembers.
const SENT_HERE_LEN: usize = 256;

impl Inbox {
    /// Whether entries the server has are not stored yet: a sync runs, is due, or its batch is
    /// being stored, or the server announced a higher sequence.
    pub(crate) fn behind(&self) -> bool {
        self.syncing.is_some() || self.applying || self.want_sync || self.max_seen > self.cursor
    }

    /// Starts from the stored cursor (`None`: this store never synced) of the stored inbox
    /// epoch (0: not known).
    pub(crate) fn new(cursor: Option<u64>, epoch: u64) -> Self {
        let synced = cursor.is_some();
        let cursor = cursor.unwrap_or(0);
        Self {
            cursor,
            epoch,
            max_seen: cursor,
            synced,
            ..Self::default()
        }
    }

    /// A session was accepted with the server's inbox at `head`, offline compensation
    /// starting after `compensation_after`, and the server's inbox epoch `epoch`. Returns the
    /// cursor to store with the epoch to record (0: keep the stored one):
    /// * for a store that never synced, the compensation point (it receives the last days
    ///   only, R053/R144);
    /// * when the epoch changed (the server's database went back in time, so sequences may be
    ///   reused), 0: everything the server's inbox still holds is synced again (messages
    ///   already stored are dropped by uid), so none sent after the rollback is skipped;
    /// * when the server's inbox was reset (reinstalled, user recreated), the head: following
    ///   it, or every new entry would look like one already stored;
    /// * a first epoch of a synced store: the cursor as is, with the epoch.
    pub(crate) fn opened(
        &mut self,
        head: u64,
        compensation_after: u64,
        epoch: u64,
    ) -> Option<(u64, u64)> {
        self.offline_head = head;
        self.syncing = None;
        self.applying = false;
        self.want_sync = true;
        let known = self.epoch;
        let record = if epoch != 0 && epoch != known {
            self.epoch = epoch;
            epoch
        } else {
            0
        };
        if !self.synced {
            self.synced = true;
            let start = compensation_after.min(head);
            tracing::debug!(
                start,
                head,
                "first sync of this store: offline compensation"
            );
            self.cursor = start;
            self.max_seen = self.max_seen.max(start);
            return Some((start, record));
        }
        if record != 0 && known != 0 {
            tracing::warn!(
                cursor = self.cursor,
                head,
                "the server's inbox went back in time (new epoch): syncing it again"
            );
            self.cursor = 0;
            self.max_seen = 0;
            return Some((0, record));
        }
        if head < self.cursor {
            tracing::warn!(cursor = self.cursor, head, "server inbox reset");
            self.cursor = head;
            self.max_seen = head;
            return Some((head, record));
        }
        (record != 0).then_some((self.cursor, record))
    }

    /// Remembers the client id of a send of this device that is not stored.
    pub(crate) fn sent_here(&mut self, client_id: &str) {
        if self.sent_here.len() >= SENT_HERE_LEN {
            self.sent_here.pop_front();
        }
        self.sent_here.push_back(client_id.to_string());
    }

    /// Whether `m` is this device's own unstored send coming back.
    fn is_echo(&self, m: &rcim_proto::v1::Message, me: &str) -> bool {
        m.sender_id == me && self.sent_here.contains(&m.client_msg_id)
    }

    /// The session ended: whatever ran is abandoned (the cursor did not move for it).
    pub(crate) fn closed(&mut self) {
        self.syncing = None;
        self.applying = false;
        self.want_sync = false;
    }

    /// A sync request numbered `seq` if one is due and may run now.
    pub(crate) fn sync_frame(&mut self, seq: impl FnOnce() -> u64) -> Option<ClientFrame> {
        if !self.want_sync || self.paused || self.hold || self.applying || self.syncing.is_some() {
            return None;
        }
        self.want_sync = false;
        let seq = seq();
        self.syncing = Some(seq);
        Some(ClientFrame {
            seq,
            body: Some(client_frame::Body::Request(rcim_proto::v1::Request {
                request_id: String::new(),
                body: Some(request::Body::Sync(SyncRequest {
                    after: self.cursor,
                    limit: MAX_SYNC_PACKAGE,
                })),
            })),
        })
    }

    /// Whether `seq` is the running sync request.
    pub(crate) fn is_sync(&self, seq: u64) -> bool {
        self.syncing == Some(seq)
    }

    /// Pauses or resumes taking entries.
    pub(crate) fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
    }

    /// A package answering the running sync: the batch to store.
    pub(crate) fn package(
        &mut self,
        entries: Vec<InboxEntry>,
        has_more: bool,
        me: &str,
        device_id: &str,
        now: i64,
    ) -> Box<InboxBatch> {
        self.applying = true;
        for e in &entries {
            self.max_seen = self.max_seen.max(e.seq);
        }
        Box::new(self.batch(entries, has_more, true, me, device_id, now))
    }

    /// A live push.
    pub(crate) fn push(
        &mut self,
        entry: InboxEntry,
        me: &str,
        device_id: &str,
        now: i64,
    ) -> PushOutcome {
        if entry.seq == 0 {
            return match entry.body {
                Some(inbox_entry::Body::Message(m)) if !self.is_echo(&m, me) => {
                    let mut message = codec::message_from_wire(&m, me, now);
                    message.offline = Some(false);
                    PushOutcome::Announce(Box::new(Event::MessageReceived {
                        message,
                        left: 0,
                        offline: false,
                        has_package: false,
                    }))
                }
                _ => PushOutcome::Skip,
            };
        }
        self.max_seen = self.max_seen.max(entry.seq);
        if self.syncing.is_some() || self.applying || self.paused || self.hold {
            // The running sync (or the one after it) delivers this entry.
            self.want_sync |= entry.seq > self.cursor;
            return PushOutcome::Skip;
        }
        if entry.seq == self.cursor + 1 {
            self.applying = true;
            return PushOutcome::Apply(Box::new(self.batch(
                vec![entry],
                false,
                false,
                me,
                device_id,
                now,
            )));
        }
        if entry.seq > self.cursor + 1 {
            tracing::debug!(cursor = self.cursor, seq = entry.seq, "inbox gap, syncing");
            self.want_sync = true;
            return PushOutcome::Sync;
        }
        PushOutcome::Skip
    }

    /// A batch was stored: the events announcing it, in order. Whether more must be fetched
    /// is then asked through [`Inbox::sync_frame`].
    pub(crate) fn applied(
        &mut self,
        batch: &InboxBatch,
        inserted: Vec<MessageRow>,
        recalled: Vec<MessageRow>,
    ) -> Vec<Event> {
        self.applying = false;
        self.cursor = self.cursor.max(batch.cursor);
        self.settings_version = self.settings_version.max(batch.settings_version);
        if batch.from_sync {
            self.syncing = None;
        }
        if batch.has_more || self.max_seen > self.cursor {
            self.want_sync = true;
        }
        let mut events = Vec::with_capacity(inserted.len() + batch.after.len());
        // Stored and unstored messages, in inbox order.
        let seq_of = |m: &Message| {
            m.message_uid
                .as_ref()
                .and_then(|uid| batch.seq_of_uid.get(uid))
                .copied()
        };
        let mut received: Vec<Message> = inserted
            .iter()
            .map(codec::message_from_row)
            .chain(batch.unstored.iter().cloned())
            .collect();
        received.sort_by_key(|m| seq_of(m).unwrap_or(0));
        let total = received.len();
        for (i, mut message) in received.into_iter().enumerate() {
            let offline = seq_of(&message).is_some_and(|seq| seq <= self.offline_head);
            message.offline = Some(offline);
            events.push(Event::MessageReceived {
                message,
                left: (total - 1 - i) as u32,
                offline,
                has_package: batch.has_more,
            });
        }
        for row in recalled {
            if row
                .uid
                .as_ref()
                .is_some_and(|uid| batch.remote_recalls.contains(uid))
            {
                events.push(Event::RemoteMessageRecalled {
                    message: codec::message_from_row(&row),
                });
            }
        }
        for (i, row) in &batch.expanded {
            let change = &batch.expansions[*i];
            if !change.remote {
                continue;
            }
            let message = codec::message_from_row(row);
            if !change.set.is_empty() {
                events.push(Event::RemoteMessageExpansionUpdated {
                    expansion: codec::extras::to_object(&change.set),
                    message: message.clone(),
                });
            }
            if !change.remove.is_empty() {
                events.push(Event::RemoteMessageExpansionForKeyRemoved {
                    message,
                    keys: change.remove.clone(),
                });
            }
        }
        events.extend(batch.after.iter().cloned());
        events
    }

    /// Storing a batch failed: nothing moved; the session restarts and the entries come again.
    pub(crate) fn apply_failed(&mut self) {
        self.applying = false;
    }

    fn batch(
        &self,
        entries: Vec<InboxEntry>,
        has_more: bool,
        from_sync: bool,
        me: &str,
        device_id: &str,
        now: i64,
    ) -> InboxBatch {
        let mut batch = InboxBatch {
            cursor: entries
                .last()
                .map_or(self.cursor, |e| e.seq)
                .max(self.cursor),
            has_more,
            from_sync,
            ..InboxBatch::default()
        };
        let mut receipts = Vec::new();
        let mut synced = Vec::new();
        let mut chain = settings::VersionChain {
            applied: self.settings_version,
        };
        for e in entries {
            match e.body {
                Some(inbox_entry::Body::Message(m)) => {
                    batch.seq_of_uid.insert(m.uid.clone(), e.seq);
                    if codec::received_is_stored(&m) {
                        batch.rows.push(codec::row_from_wire(&m, me, now));
                    } else if !self.is_echo(&m, me) {
                        // Not stored (COMMAND, custom COMMAND/STATUS): announced only.
                        batch.unstored.push(codec::message_from_wire(&m, me, now));
                    }
                }
                Some(inbox_entry::Body::ReadReceipt(r)) => {
                    let by_peer = r.reader_id != me;
                    // The conversation from this user's side: the reader (peer) or the target.
                    let other = if by_peer { &r.reader_id } else { &r.target_id };
                    batch.marks.push(ReadMark {
                        // Private conversations have no channels (R064).
                        key: ConversationKey::new(
                            rcim_proto::conversation_type::PRIVATE,
                            other,
                            "",
                        ),
                        timestamp: r.timestamp,
                        by_peer,
                    });
                    if by_peer {
                        receipts.push(Event::PrivateReadReceiptReceived {
                            target_id: r.reader_id.clone(),
                            channel_id: r.channel_id.clone(),
                            timestamp: r.timestamp,
                        });
                    }
                }
                Some(inbox_entry::Body::ConversationSetting(c)) => {
                    if !chain.take(c.settings_version) {
                        continue;
                    }
                    let channel = codec::channel_for(c.conversation_type, &c.channel_id);
                    let key = ConversationKey::new(c.conversation_type, &c.target_id, &channel);
                    // Changes made on this device were stored when answered; only the other
                    // devices' changes are announced.
                    let (update, event, level_synced) =
                        settings::conversation_entry(&c, key, device_id);
                    synced.extend(event);
                    batch.level_synced.extend(level_synced);
                    batch.settings.push(update);
                }
                Some(inbox_entry::Body::UserSetting(u)) => {
                    if let (Some(change), true) = (u.change, chain.take(u.settings_version)) {
                        batch.user_settings.extend(settings::entry_update(change));
                    }
                }
                Some(inbox_entry::Body::Recall(r)) => {
                    if r.operator_id != me {
                        batch.remote_recalls.insert(r.uid.clone());
                    }
                    batch.recalls.push(codec::recall_update(
                        &r.uid,
                        &r.operator_id,
                        &r.object_name,
                        r.sent_time,
                        r.recall_time,
                        r.operator_id == me,
                    ));
                }
                // This device applied its own deletions and clears at the call.
                Some(inbox_entry::Body::MessagesDeleted(d)) if d.device_id != device_id => {
                    let channel = codec::channel_for(d.conversation_type, &d.channel_id);
                    let key = ConversationKey::new(d.conversation_type, &d.target_id, &channel);
                    batch.deletions.push((key, d.uids));
                }
                Some(inbox_entry::Body::HistoryCleared(c)) if c.device_id != device_id => {
                    let channel = codec::channel_for(c.conversation_type, &c.channel_id);
                    let key = ConversationKey::new(c.conversation_type, &c.target_id, &channel);
                    // 0 never comes from the server (it sends its time); clear nothing then.
                    if c.before_time > 0 {
                        batch.clears.push((key, c.before_time));
                    }
                }
                Some(inbox_entry::Body::ExpansionChange(x)) => {
                    batch.expansions.push(ExpansionChangeEntry {
                        update: ExpansionUpdate {
                            uid: x.uid,
                            set: x.expansion,
                            remove: Vec::new(),
                            replace: true,
                        },
                        // This device applied its own changes when they were answered.
                        remote: x.operator_id != me || x.operator_device_id != device_id,
                        set: x.set,
                        remove: x.remove,
                    });
                }
                // Applied above when another device made them.
                Some(inbox_entry::Body::MessagesDeleted(_))
                | Some(inbox_entry::Body::HistoryCleared(_))
                | None => {}
                Some(
                    body @ (inbox_entry::Body::ReadStatus(_)
                    | inbox_entry::Body::ReceiptRequested(_)
                    | inbox_entry::Body::ReceiptResponded(_)
                    | inbox_entry::Body::MessageBlocked(_)),
                ) => {
                    let (out, marks) = (&mut batch.messaging, &mut batch.marks);
                    super::messaging::entry(out, marks, &body, me, device_id);
                }
            }
        }
        batch.settings_version = chain.applied;
        batch.after = receipts;
        batch.after.extend(synced);
        batch
            .after
            .extend(std::mem::take(&mut batch.messaging.events));
        batch
    }
}
