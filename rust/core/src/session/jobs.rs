//! Runs the session core's [`StoreJob`]s on the store (on the database thread).

use super::operations::{Effect, ExpansionUpdate};
use super::types::{StoreDone, StoreJob};
use crate::codec;
use crate::event::{Event, MessagingEvent};
use rcim_store::{direction, sent_status, Store};

/// Runs `job` and returns what the core needs to continue.
pub(crate) fn run(store: &mut Store, job: StoreJob) -> StoreDone {
    match job {
        StoreJob::Load => StoreDone::Loaded((|| {
            // Chatroom messages belong to a membership, and none outlives its session (R186,
            // R201): an earlier session that did not end cleanly may have left some.
            match store.delete_all_chatroom_messages() {
                Ok(0) => {}
                Ok(deleted) => {
                    tracing::info!(deleted, "chatroom messages of an earlier session deleted")
                }
                Err(e) => tracing::error!(error = %e, "cannot delete earlier chatroom messages"),
            }
            let failed = store.fail_interrupted_uploads()?;
            if failed > 0 {
                tracing::info!(
                    failed,
                    "media uploads cut short by the last stop are FAILED"
                );
            }
            let cursor = store
                .inbox_synced()?
                .then(|| store.inbox_cursor())
                .transpose()?;
            Ok((cursor, store.inbox_epoch()?, store.outbox()?))
        })()),
        StoreJob::PersistSend {
            new,
            resend_id,
            queue,
            message,
            event_id,
        } => StoreDone::SendPersisted {
            result: persist_send(store, &new, resend_id, queue),
            queue,
            message,
            event_id,
        },
        StoreJob::Enqueue {
            request,
            payload,
            event_id,
            arg,
        } => StoreDone::Enqueued {
            result: store.outbox_push(&request.request_id, &payload, super::clock::now_ms()),
            request,
            event_id,
            arg,
        },
        StoreJob::Complete {
            entry,
            code,
            effect,
        } => {
            // The answer's effect and the operation's removal from the queue commit together:
            // a crash between them would run the operation again and report it twice.
            let id = entry.outbox_id;
            let stored = store.atomically(|s| {
                let row = apply_effect(s, *effect)?;
                s.outbox_remove(id)?;
                Ok(row)
            });
            if stored.is_err() {
                // Impossible to apply: the operation still leaves the queue, so its outcome
                // is reported once.
                if let Err(e) = store.outbox_remove(id) {
                    tracing::error!(error = %e, "cannot remove an answered operation");
                }
            }
            StoreDone::Completed {
                entry,
                code,
                stored,
            }
        }
        StoreJob::ApplyInbox(mut batch) => StoreDone::InboxApplied {
            result: apply_inbox(store, &mut batch),
            batch,
        },
        StoreJob::SetCursor { cursor, epoch } => {
            StoreDone::CursorSet(store.set_inbox_position(cursor, epoch))
        }
        StoreJob::SettingsVersion => StoreDone::SettingsVersion(store.settings_version()),
        StoreJob::ApplySettings(snapshot) => StoreDone::SettingsApplied(
            store
                .apply_settings_snapshot(&snapshot)
                .map(|changed| (snapshot.version, changed)),
        ),
        StoreJob::Chatroom(job) => {
            StoreDone::Chatroom(Box::new(super::chatroom_job::run_job(store, *job)))
        }
        StoreJob::Discard(ids) => StoreDone::Discarded(store.atomically(|s| {
            for id in ids {
                s.outbox_remove(id)?;
            }
            Ok(())
        })),
    }
}

/// Stores a send: a new row, or a resent message object (a failed one is queued again; one that
/// is sent or still on its way is not sent twice). Returns the row, whether it goes on the wire
/// and its outbox id.
fn persist_send(
    store: &mut Store,
    new: &rcim_store::NewMessage,
    resend_id: Option<i64>,
    queue: bool,
) -> rcim_store::Result<Option<(rcim_store::MessageRow, bool, Option<i64>)>> {
    if crate::media::limits::is_media(new.message_type) {
        // A media message was stored when its upload started (`engine::media`); now it
        // carries its remote URL and goes to the server, unless it was sent already.
        let Some(id) = resend_id else {
            return Ok(None);
        };
        return match store.message(id)? {
            Some(old) if old.sent_status == sent_status::SENT => Ok(Some((old, false, None))),
            Some(_) => Ok(store
                .queue_outgoing(id, &new.content, queue)?
                .map(|(row, outbox_id)| (row, true, outbox_id))),
            None => Ok(None),
        };
    }
    let previous = match resend_id {
        Some(id) => store
            .message(id)?
            .filter(|old| old.direction == direction::SEND),
        None => None,
    };
    match previous {
        Some(old) if old.sent_status == sent_status::FAILED => {
            if queue {
                Ok(store
                    .requeue_failed(old.id)?
                    .map(|(row, id)| (row, true, Some(id))))
            } else {
                Ok(store
                    .update_sent(old.id, sent_status::SENDING, None, None)?
                    .map(|row| (row, true, None)))
            }
        }
        Some(old) => Ok(Some((old, false, None))),
        None if queue => {
            let (row, id) = store.insert_queued_outgoing(new)?;
            Ok(Some((row, true, Some(id))))
        }
        None => Ok(Some((store.insert_outgoing(new)?, true, None))),
    }
}

/// Stores an inbox batch in one transaction: messages, recalls, read marks and settings, then
/// the deletions and clears made on the user's other devices (messages they remove are not
/// announced).
/// Applies a package of inbox entries in one transaction with its cursor: messages, recalls,
/// read marks and settings first, then expansion changes (the rows they changed are kept in
/// the batch to announce them), then other devices' deletions and clears.
fn apply_inbox(
    store: &mut Store,
    batch: &mut super::types::InboxBatch,
) -> rcim_store::Result<(Vec<rcim_store::MessageRow>, Vec<rcim_store::MessageRow>)> {
    store.atomically(|s| {
        let (mut inserted, recalled) = s.apply_inbox_entries(
            &batch.rows,
            &batch.recalls,
            &batch.marks,
            &batch.settings,
            batch.cursor,
        )?;
        for update in &batch.user_settings {
            s.apply_user_setting(update)?;
        }
        if batch.settings_version > s.settings_version()? {
            s.set_settings_version(batch.settings_version)?;
        }
        // Level changes made elsewhere are announced with the pin state they left.
        for key in &batch.level_synced {
            let top = s.conversation_top(key)?;
            batch
                .after
                .push(crate::event::Event::ConversationTopStatusSynced {
                    key: key.clone(),
                    top,
                });
        }
        for (uid, change) in &batch.messaging.receipts {
            if let Some(row) = s.merge_group_receipt(uid, change)? {
                // An entry carries only the responses it adds: the event announces them all.
                announce_all_responses(&mut batch.after, uid, &row);
                // A message and its receipt request in one batch: announced with it.
                if let Some(same) = inserted.iter_mut().find(|r| r.id == row.id) {
                    *same = row;
                }
            }
        }
        batch.expanded.clear();
        for (i, change) in batch.expansions.iter().enumerate() {
            if let Some(row) = apply_expansion(s, &change.update)? {
                batch.expanded.push((i, row));
            }
        }
        if batch.deletions.is_empty() && batch.clears.is_empty() {
            return Ok((inserted, recalled));
        }
        for (key, uids) in &batch.deletions {
            s.delete_messages_by_uid(key, uids)?;
        }
        for (key, before_time) in &batch.clears {
            s.clear_messages(key, *before_time)?;
        }
        let mut kept = Vec::with_capacity(inserted.len());
        for row in inserted.drain(..) {
            if s.message(row.id)?.is_some() {
                kept.push(row);
            }
        }
        Ok((kept, recalled))
    })
}

/// Replaces the responders announced for message `uid` by every response its stored `row`
/// holds (the server sends each response once; earlier ones are in the store).
fn announce_all_responses(events: &mut [Event], uid: &str, row: &rcim_store::MessageRow) {
    let Some(all) = rcim_store::GroupReceipt::parse(row.group_receipt.as_deref()) else {
        return;
    };
    for event in events.iter_mut() {
        if let Event::Messaging(MessagingEvent::GroupMessageReadReceiptResponseReceived {
            message_uid,
            respond_user_ids,
            ..
        }) = event
        {
            if message_uid == uid {
                respond_user_ids.clone_from(&all.respond_user_ids);
            }
        }
    }
}

fn apply_effect(
    store: &mut Store,
    effect: Effect,
) -> rcim_store::Result<Option<rcim_store::MessageRow>> {
    match effect {
        Effect::None => Ok(None),
        Effect::Sent {
            message_id,
            status,
            uid,
            sent_time,
            conv_seq,
        } => {
            let row = store.update_sent(message_id, status, uid.as_deref(), sent_time)?;
            match row {
                Some(_) if conv_seq > 0 => store.set_conv_seq(message_id, conv_seq),
                row => Ok(row),
            }
        }
        Effect::Recall {
            uid,
            operator_id,
            sent_time,
            recall_time,
        } => {
            let Some(row) = store.message_by_uid(&uid)? else {
                return Ok(None);
            };
            // This device recalled it: the recalled content stays in the notification.
            let update = codec::recall_update(
                &uid,
                &operator_id,
                &row.object_name,
                sent_time,
                recall_time,
                true,
            );
            store.recall_message(&update)
        }
        Effect::Lookup { uid } => store.message_by_uid(&uid),
        Effect::Setting(update) => store.set_conversation_setting(&update).map(|_| None),
        Effect::Expansion(update) => apply_expansion(store, &update),
        Effect::UserSetting(update) => store.apply_user_setting(&update).map(|_| None),
        Effect::GroupReceipt { uids, change } => {
            let mut first = None;
            for uid in &uids {
                let row = match &change {
                    Some(change) => store.merge_group_receipt(uid, change)?,
                    None => store.message_by_uid(uid)?,
                };
                if first.is_none() {
                    first = row;
                }
            }
            Ok(first)
        }
    }
}

/// Applies an expansion change to the stored message (when it is stored and has expansion
/// enabled): `set` pairs added or replaced, `remove` keys dropped. Returns the updated row.
pub(crate) fn apply_expansion(
    store: &mut Store,
    update: &ExpansionUpdate,
) -> rcim_store::Result<Option<rcim_store::MessageRow>> {
    let Some(row) = store.message_by_uid(&update.uid)? else {
        return Ok(None);
    };
    let stored = codec::extras::stored_expansion(row.extra_json.as_deref());
    let mut expansion = match (stored, update.replace) {
        (_, true) => Default::default(),
        (Some(stored), false) => stored,
        (None, false) => return Ok(None),
    };
    for key in &update.remove {
        expansion.remove(key);
    }
    expansion.extend(update.set.iter().map(|(k, v)| (k.clone(), v.clone())));
    let extra = codec::extras::with_expansion(row.extra_json.as_deref(), &expansion);
    store.set_extra_json(row.id, Some(&extra))
}
