//! History and deletion in the session: server reads (a history page asked, correlated by seq,
//! asked again after a reconnect, failed with the server's code or when the session ends),
//! offline compensation for a store that never synced, remote deletions and clears as outbox
//! operations, other devices' deletions and clears from the inbox, and send results that
//! record the message's history sequence.

use super::*;
use crate::codes;
use crate::session::reads::{ReadRequest, ReadResult};
use rcim_proto::v1::{HistoryCleared, HistoryPage, HistoryRequest, MessagesDeleted};
use tokio::sync::oneshot;

fn history_read(h: &Harness) -> (Command, oneshot::Receiver<ReadResult>) {
    let body = request::Body::History(HistoryRequest {
        conversation_type: 1,
        target_id: "bob".into(),
        channel_id: String::new(),
        sent_time: 0,
        order: 0,
        count: 20,
    });
    let (read, answer) = ReadRequest::channel(body, h.now);
    (Command::Read(Box::new(read)), answer)
}

fn history_seqs(actions: &[Action]) -> Vec<u64> {
    requests(actions)
        .into_iter()
        .filter(|(_, r)| matches!(r.body, Some(request::Body::History(_))))
        .map(|(seq, r)| {
            assert!(r.request_id.is_empty(), "a history page is a read");
            seq
        })
        .collect()
}

fn page(from: u64, to: u64) -> Option<response::Body> {
    Some(response::Body::History(HistoryPage {
        messages: vec![],
        from_seq: from,
        to_seq: to,
        has_more: true,
    }))
}

#[test]
fn a_history_read_is_answered_by_its_response_and_asked_again_after_a_reconnect() {
    let mut h = Harness::online();
    let (command, mut answer) = history_read(&h);
    let first = history_seqs(&h.feed(Input::Command(command)));
    assert_eq!(first.len(), 1);
    // Lost before the answer: asked again on the next connection, with a new seq.
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    let second = history_seqs(&out);
    assert_eq!(second.len(), 1);
    assert_ne!(second[0], first[0]);
    // The old seq answers nothing; the new one does.
    h.respond(first[0], 0, page(1, 1));
    assert!(answer.try_recv().is_err());
    h.respond(second[0], 0, page(3, 9));
    match answer.try_recv().unwrap() {
        Ok(Some(response::Body::History(p))) => assert_eq!((p.from_seq, p.to_seq), (3, 9)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_history_read_fails_with_the_servers_code_the_timeouts_or_the_session_end() {
    let mut h = Harness::online();
    let (command, mut refused) = history_read(&h);
    let seq = history_seqs(&h.feed(Input::Command(command)))[0];
    h.respond(seq, 33003, None);
    assert_eq!(refused.try_recv().unwrap().unwrap_err(), 33003);

    // Unanswered: 30003 after the ack timeout.
    let (command, mut unanswered) = history_read(&h);
    assert_eq!(history_seqs(&h.feed(Input::Command(command))).len(), 1);
    for _ in 0..=crate::session::queue::ACK_TIMEOUT.as_secs() {
        h.advance(Duration::from_secs(1));
        // Keep the connection alive meanwhile.
        h.frame(0, server_frame::Body::Pong(Pong { server_time: 0 }));
    }
    assert_eq!(
        unanswered.try_recv().unwrap().unwrap_err(),
        codes::MSG_RESPONSE_TIMEOUT
    );

    // Waiting for a connection when the session ends: the session's code.
    let mut h = Harness::new();
    let (command, mut ended) = history_read(&h);
    h.feed(Input::Command(command));
    h.feed(Input::Stop(StopReason::Shutdown));
    assert!(ended.try_recv().unwrap().is_err());
}

#[test]
fn a_store_that_never_synced_starts_at_the_compensation_point() {
    let mut h = Harness::new();
    let out = h.feed(Input::Opened(ConnectAck {
        code: 0,
        user_id: "alice".into(),
        server_time: 0,
        inbox_head: 50,
        heartbeat_secs: 1,
        compensation_after: 40,
        settings_version: 0,
        inbox_epoch: 0,
    }));
    let sync = requests(&out).into_iter().find_map(|(_, r)| match r.body {
        Some(request::Body::Sync(s)) => Some(s.after),
        _ => None,
    });
    assert_eq!(sync, Some(40));
    assert_eq!(h.store.inbox_cursor().unwrap(), 40);
    assert!(h.store.inbox_synced().unwrap());

    // A store that synced before keeps its cursor, however old.
    let mut store = Store::open_in_memory().unwrap();
    store.set_inbox_cursor(5).unwrap();
    let mut h = Harness::with_store(store);
    let out = h.feed(Input::Opened(ConnectAck {
        code: 0,
        user_id: "alice".into(),
        server_time: 0,
        inbox_head: 50,
        heartbeat_secs: 1,
        compensation_after: 40,
        settings_version: 0,
        inbox_epoch: 0,
    }));
    let sync = requests(&out).into_iter().find_map(|(_, r)| match r.body {
        Some(request::Body::Sync(s)) => Some(s.after),
        _ => None,
    });
    assert_eq!(sync, Some(5));
}

fn opened_with_epoch(h: &mut Harness, head: u64, epoch: u64) -> Option<u64> {
    let out = h.feed(Input::Opened(ConnectAck {
        code: 0,
        user_id: "alice".into(),
        server_time: 0,
        inbox_head: head,
        heartbeat_secs: 1,
        compensation_after: head,
        settings_version: 0,
        inbox_epoch: epoch,
    }));
    requests(&out).into_iter().find_map(|(_, r)| match r.body {
        Some(request::Body::Sync(s)) => Some(s.after),
        _ => None,
    })
}

/// A server whose database went back in time announces another inbox epoch: the device
/// syncs its whole inbox again instead of waiting past its old cursor (entries with reused
/// sequences would be skipped); the same epoch again, or a first one, keeps the cursor.
#[test]
fn a_new_inbox_epoch_resyncs_from_the_start() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_inbox_cursor(30).unwrap();
    let mut h = Harness::with_store(store);
    // A first epoch for a store that synced against a server without epochs: kept as is.
    assert_eq!(opened_with_epoch(&mut h, 30, 7), Some(30));
    assert_eq!(h.store.inbox_cursor().unwrap(), 30);
    assert_eq!(h.store.inbox_epoch().unwrap(), 7);
    // The server restored an older copy: head 12 < 30, new epoch 9.
    h.feed(Input::Closed);
    assert_eq!(opened_with_epoch(&mut h, 12, 9), Some(0));
    assert_eq!(h.store.inbox_cursor().unwrap(), 0);
    assert_eq!(h.store.inbox_epoch().unwrap(), 9);
    // The same epoch after a restart of the engine: the stored cursor goes on.
    let mut store = Store::open_in_memory().unwrap();
    store.set_inbox_position(12, 9).unwrap();
    let mut h = Harness::with_store(store);
    assert_eq!(opened_with_epoch(&mut h, 15, 9), Some(12));
    assert_eq!(h.store.inbox_cursor().unwrap(), 12);
    // A server without epochs (0) changes nothing.
    h.feed(Input::Closed);
    assert_eq!(opened_with_epoch(&mut h, 15, 0), Some(12));
    assert_eq!(h.store.inbox_epoch().unwrap(), 9);
}

fn bob() -> ConversationKey {
    ConversationKey::new(1, "bob", "")
}

#[test]
fn a_remote_deletion_goes_through_the_outbox_and_reports_the_calls_messages() {
    let mut h = Harness::new();
    let mut message = codec::new_text_message(1, "bob", None, "x");
    message.message_uid = Some("U1".into());
    let op =
        Operation::delete_messages(&bob(), vec!["U1".into()], vec![message], Some("d1".into()));
    let out = h.feed(Input::Command(Command::Operation(op)));
    assert!(ops(&out).is_empty(), "offline: it waits");
    assert_eq!(h.store.outbox().unwrap().len(), 1, "persisted");
    let (_, out) = h.open(0);
    let sent = ops(&out);
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].1.request_id.is_empty());
    assert!(matches!(&sent[0].1.body, Some(request::Body::DeleteMessages(d)) if d.uids == ["U1"]));
    let out = h.respond(sent[0].0, 0, None);
    match events(&out).as_slice() {
        [Event::MessagesDeleted {
            code: 0,
            key,
            messages,
            event_id,
        }] => {
            assert_eq!(key, &bob());
            assert_eq!(messages[0].text(), Some("x"), "the call's messages");
            assert_eq!(event_id.as_deref(), Some("d1"));
        }
        other => panic!("{other:?}"),
    }
    assert!(h.store.outbox().unwrap().is_empty());
}

#[test]
fn a_clear_loaded_after_a_restart_reports_to_the_listener() {
    let mut store = Store::open_in_memory().unwrap();
    let op = Operation::clear_history(&bob(), 77, Some("c1".into()));
    store
        .outbox_push(&op.request.request_id, &op.request.encode_to_vec(), 1)
        .unwrap();
    let mut h = Harness::with_store(store);
    let (_, out) = h.open(0);
    let sent = ops(&out);
    assert!(matches!(&sent[0].1.body, Some(request::Body::ClearHistory(c)) if c.before_time == 77));
    let out = h.respond(sent[0].0, 22406, None);
    assert_eq!(
        events(&out),
        vec![Event::MessagesCleared {
            code: 22406,
            key: bob(),
            timestamp: 77,
            event_id: None,
        }]
    );
}

fn entry(seq: u64, body: inbox_entry::Body) -> InboxEntry {
    InboxEntry {
        seq,
        body: Some(body),
    }
}

#[test]
fn deletions_and_clears_of_other_devices_apply_and_this_devices_own_are_skipped() {
    let mut h = Harness::new();
    let (seq, _) = h.open(6);
    let deleted = |uid: &str, device: &str| {
        inbox_entry::Body::MessagesDeleted(MessagesDeleted {
            conversation_type: 1,
            target_id: "bob".into(),
            channel_id: String::new(),
            uids: vec![uid.into()],
            device_id: device.into(),
        })
    };
    let out = h.respond(
        seq,
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![
                wire_message(1, "u1", "a"),
                wire_message(2, "u2", "b"),
                wire_message(3, "u3", "c"),
                // Deleted on the tablet: gone here too, and never announced.
                entry(4, deleted("u3", "tablet")),
                // Deleted here already: the echo changes nothing.
                entry(5, deleted("u2", "phone")),
                entry(
                    6,
                    inbox_entry::Body::HistoryCleared(HistoryCleared {
                        conversation_type: 1,
                        target_id: "bob".into(),
                        channel_id: String::new(),
                        before_time: 1001,
                        device_id: "tablet".into(),
                    }),
                ),
            ],
            has_more: false,
            inbox_head: 6,
        })),
    );
    assert_eq!(received_texts(&out), vec!["b"]);
    let left: Vec<_> = h
        .store
        .messages(&bob(), 0, rcim_store::TimeOrder::After, 20)
        .unwrap()
        .into_iter()
        .map(|r| r.uid.unwrap())
        .collect();
    assert_eq!(left, vec!["u2"]);
    let conv = h.store.conversation(&bob()).unwrap().unwrap();
    assert_eq!(conv.unread_count, 1);
    assert_eq!(conv.last_message.unwrap().uid.as_deref(), Some("u2"));
}

#[test]
fn a_send_result_records_the_history_sequence() {
    let mut h = Harness::online();
    let out = h.send_text("bob", "hello");
    let seq = ops(&out)[0].0;
    h.respond(
        seq,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            uid: "S1".into(),
            sent_time: 500,
            conv_seq: 12,
            change_seq: 0,
        })),
    );
    let row = h.store.message_by_uid("S1").unwrap().unwrap();
    assert_eq!(row.conv_seq, 12);
    let ranges = h.store.history_ranges(&bob()).unwrap();
    assert_eq!(
        (ranges[0].lo_seq, ranges[0].hi_seq, ranges[0].hi_time),
        (12, 12, 500)
    );
}

#[test]
fn a_message_a_history_page_stored_first_is_received_from_the_inbox() {
    // A page read from the newest reached the server's head (u2) before the inbox did.
    let mut store = Store::open_in_memory().unwrap();
    let wire = |entry: InboxEntry| match entry.body {
        Some(inbox_entry::Body::Message(mut m)) => {
            m.conv_seq = entry.seq;
            m
        }
        _ => unreachable!(),
    };
    let page: Vec<_> = [wire_message(1, "u1", "a"), wire_message(2, "u2", "b")]
        .into_iter()
        .map(|e| codec::row_from_wire(&wire(e), "alice", 0))
        .collect();
    store
        .store_history_page(
            &bob(),
            &rcim_store::HistoryPageRows {
                messages: page,
                from_seq: 1,
                to_seq: 2,
                ..Default::default()
            },
        )
        .unwrap();
    store.set_inbox_cursor(1).unwrap();
    let mut h = Harness::with_store(store);
    let (seq, _) = h.open(2);
    let mut entry = wire_message(2, "u2", "b");
    if let Some(inbox_entry::Body::Message(m)) = &mut entry.body {
        m.conv_seq = 2;
    }
    let out = h.respond(
        seq,
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![entry],
            has_more: false,
            inbox_head: 2,
        })),
    );
    assert_eq!(received_texts(&out), vec!["b"], "announced");
    assert_eq!(h.store.unread_count(&bob()).unwrap(), 1, "and unread");
    assert_eq!(h.store.message_count(&bob()).unwrap(), 2, "one row each");
}
