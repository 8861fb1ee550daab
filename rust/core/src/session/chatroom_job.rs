//! The store work of chatrooms: received chatroom messages stored (never counted as unread,
//! no conversation), rooms' local messages deleted (a room left, or every room when a
//! session starts and ends: R186, R201), and what to announce afterwards.

use crate::codec;
use crate::event::Event;
use crate::model::Message;
use rcim_store::{MessageRow, NewMessage, Store, StoreError};
use std::collections::HashMap;

/// A chatroom message to announce: stored first when it is a stored kind.
#[derive(Debug)]
pub(crate) enum Received {
    /// Stored (announced only when new to the store).
    Stored(Box<NewMessage>),
    /// Not stored (commands, status messages): announced as it is.
    Unstored(Box<Message>),
}

/// Store work of chatrooms: the local messages of the `clear` rooms (of every room with
/// `clear_all`) are deleted, then the `received` messages stored; then the messages are
/// announced (`onMessageReceived`, in order, those already stored skipped) and the `after`
/// events follow.
#[derive(Debug, Default)]
pub(crate) struct ChatroomJob {
    pub(crate) clear_all: bool,
    pub(crate) clear: Vec<String>,
    pub(crate) received: Vec<Received>,
    pub(crate) after: Vec<Event>,
}

/// What a [`ChatroomJob`] leaves to announce.
#[derive(Debug)]
pub(crate) struct ChatroomDone {
    /// The messages to announce, in order (none when storing failed).
    pub(crate) messages: Vec<Message>,
    /// The events after them.
    pub(crate) after: Vec<Event>,
    /// Why the store work failed, if it did.
    pub(crate) error: Option<StoreError>,
}

/// Runs a [`ChatroomJob`] on the store.
pub(crate) fn run_job(store: &mut Store, job: ChatroomJob) -> ChatroomDone {
    let rows: Vec<NewMessage> = job
        .received
        .iter()
        .filter_map(|r| match r {
            Received::Stored(new) => Some((**new).clone()),
            Received::Unstored(_) => None,
        })
        .collect();
    let stored = store.atomically(|s| {
        if job.clear_all {
            s.delete_all_chatroom_messages()?;
        }
        for room in &job.clear {
            s.delete_chatroom_messages(room)?;
        }
        if rows.is_empty() {
            Ok(Vec::new())
        } else {
            s.store_chatroom_messages(&rows)
        }
    });
    match stored {
        Ok(inserted) => {
            let mut by_uid: HashMap<String, MessageRow> = inserted
                .into_iter()
                .filter_map(|row| row.uid.clone().map(|uid| (uid, row)))
                .collect();
            let messages = job
                .received
                .into_iter()
                .filter_map(|r| match r {
                    Received::Stored(new) => new
                        .uid
                        .as_ref()
                        .and_then(|uid| by_uid.remove(uid))
                        .map(|row| codec::message_from_row(&row)),
                    Received::Unstored(message) => Some(*message),
                })
                .collect();
            ChatroomDone {
                messages,
                after: job.after,
                error: None,
            }
        }
        Err(error) => ChatroomDone {
            messages: Vec::new(),
            after: job.after,
            error: Some(error),
        },
    }
}

/// A chatroom message from the server as this user's received message: stored kinds become a
/// row (never counted as unread), others are announced as they are.
pub(crate) fn received(m: &rcim_proto::v1::Message, me: &str, now: i64) -> Received {
    if codec::received_is_stored(m) {
        let mut row = codec::row_from_wire(m, me, now);
        row.counted = false;
        Received::Stored(Box::new(row))
    } else {
        let mut message = codec::message_from_wire(m, me, now);
        message.offline = Some(false);
        Received::Unstored(Box::new(message))
    }
}
