//! The queue under pressure: wire pacing of operations, the server's 20604 answer, commands
//! handed over while the state loads, settling at sign-out, unreadable outbox rows.

use super::*;
use crate::session::core::SessionCore;

fn receipt(i: i64) -> Command {
    Command::Operation(Operation::private_read_receipt(
        "bob",
        "",
        i,
        Some(format!("r{i}")),
    ))
}

/// The timestamps of the read receipts among `sent`.
fn receipt_times(sent: &[(u64, Request)]) -> Vec<i64> {
    sent.iter()
        .filter_map(|(_, r)| match &r.body {
            Some(request::Body::PrivateReadReceipt(p)) => Some(p.timestamp),
            _ => None,
        })
        .collect()
}

fn receipt_reports(actions: &[Action]) -> Vec<(i32, i64)> {
    events(actions)
        .into_iter()
        .filter_map(|e| match e {
            Event::PrivateReadReceiptMessageSent {
                code, timestamp, ..
            } => Some((code, timestamp)),
            _ => None,
        })
        .collect()
}

#[test]
fn operations_queued_offline_go_out_paced_and_a_20604_answer_keeps_them_queued() {
    let mut h = Harness::new();
    for i in 0..60 {
        h.feed(Input::Command(receipt(i)));
    }
    assert_eq!(h.store.outbox().unwrap().len(), 60);

    // On connect: at most 20 in the first second, even once the sync is answered.
    let (sync, out) = h.open(0);
    let first = ops(&out);
    assert_eq!(receipt_times(&first), (0..20).collect::<Vec<_>>());
    let out = h.respond(
        sync,
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![],
            has_more: false,
            inbox_head: 0,
        })),
    );
    assert!(ops(&out).is_empty(), "the window is full: {out:?}");
    assert!(ops(&h.advance(Duration::from_millis(500))).is_empty());

    // 15 go through; the server refuses the last 5 as too fast.
    let mut reported = Vec::new();
    for (seq, _) in &first[..15] {
        reported.extend(receipt_reports(&h.respond(*seq, 0, None)));
    }
    for (seq, _) in &first[15..] {
        let out = h.respond(*seq, 20604, None);
        assert!(events(&out).is_empty(), "not failed: {out:?}");
        assert!(ops(&out).is_empty(), "not resent at once: {out:?}");
    }
    assert_eq!(reported, (0..15).map(|t| (0, t)).collect::<Vec<_>>());
    assert_eq!(
        h.store.outbox().unwrap().len(),
        45,
        "the refused stay queued"
    );

    // The first window is over, but the refusal holds operations back for a window of its own.
    assert!(ops(&h.advance(Duration::from_millis(600))).is_empty());
    // After it: the refused ones first (same request ids), then the next ones, at most 20.
    let out = h.advance(Duration::from_millis(500));
    let second = ops(&out);
    assert_eq!(receipt_times(&second), (15..35).collect::<Vec<_>>());
    for ((_, again), (_, before)) in second[..5].iter().zip(&first[15..]) {
        assert_eq!(again, before, "the same request and request id");
    }
    for (seq, _) in &second {
        reported.extend(receipt_reports(&h.respond(*seq, 0, None)));
    }
    let mut last = 35;
    while last < 60 {
        let sent = ops(&h.advance(Duration::from_millis(1100)));
        assert!(sent.len() <= 20, "{} in a second", sent.len());
        assert!(!sent.is_empty());
        last += sent.len();
        for (seq, _) in &sent {
            reported.extend(receipt_reports(&h.respond(*seq, 0, None)));
        }
    }
    // Each reported once, with success.
    assert_eq!(reported, (0..60).map(|t| (0, t)).collect::<Vec<_>>());
    assert!(h.store.outbox().unwrap().is_empty());
}

#[test]
fn a_send_the_server_refuses_as_too_fast_is_resent_not_failed() {
    let mut h = Harness::online();
    let out = h.send_text("bob", "x");
    let first = ops(&out);
    assert_eq!(first.len(), 1);
    let out = h.respond(first[0].0, 20604, None);
    assert!(
        !events(&out)
            .iter()
            .any(|e| matches!(e, Event::MessageSent { .. })),
        "{out:?}"
    );
    assert_eq!(h.store.outbox().unwrap().len(), 1);
    assert!(ops(&h.advance(Duration::from_millis(500))).is_empty());
    let second = ops(&h.advance(Duration::from_millis(600)));
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].1, first[0].1);
    let out = h.respond(
        second[0].0,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            conv_seq: 0,
            uid: "u".into(),
            sent_time: 1,
            change_seq: 0,
        })),
    );
    assert!(events(&out)
        .iter()
        .any(|e| matches!(e, Event::MessageSent { code: 0, .. })));
    assert!(h.store.outbox().unwrap().is_empty());
}

/// A core whose `Load` job has not finished yet.
fn loading() -> Harness {
    let mut h = Harness {
        core: SessionCore::new(params(), Some("c".into()), None),
        store: Store::open_in_memory().unwrap(),
        now: Instant::now(),
    };
    let start = h.core.start();
    assert!(matches!(start.as_slice(), [Action::Store(StoreJob::Load)]));
    h
}

#[test]
fn commands_handed_over_while_loading_are_stored_when_the_session_stops() {
    for reason in [
        StopReason::Shutdown,
        StopReason::SignOut {
            receive_push: false,
        },
    ] {
        let mut h = loading();
        let now = h.now;
        assert!(h.feed(Input::Command(text("bob", "early", now))).is_empty());
        assert!(h.feed(Input::Command(pin("bob", "p1"))).is_empty());
        let out = h.feed(Input::Stop(reason));
        assert!(matches!(out.last(), Some(Action::Finish)), "{out:?}");
        assert!(h.core.is_ended());
        assert!(
            events(&out)
                .iter()
                .any(|e| matches!(e, Event::MessageAttached { .. })),
            "{out:?}"
        );
        let queued = h.store.outbox().unwrap();
        assert_eq!(queued.len(), 2, "{reason:?}: both wait on disk");
        assert!(queued[0].1.is_some(), "the send");
        assert!(queued[1].1.is_none(), "the pin");

        // The load finishing late starts nothing.
        let done = jobs::run(&mut h.store, StoreJob::Load);
        let out = h.feed(Input::Stored(Box::new(done)));
        assert!(out.is_empty(), "{out:?}");
    }
}

#[test]
fn sign_out_settles_every_operation_on_the_wire_within_its_bound() {
    let mut h = Harness::online();
    let pin_seq = ops(&h.feed(Input::Command(pin("bob", "p1")))).remove(0).0;
    let receipt_sent = ops(&h.feed(Input::Command(receipt(7))));
    assert_eq!(receipt_sent.len(), 1);

    let out = h.feed(Input::Stop(StopReason::SignOut {
        receive_push: false,
    }));
    assert!(statuses(&out).is_empty(), "still settling: {out:?}");

    // The pin's answer reaches its call.
    let out = h.respond(pin_seq, 0, None);
    assert_eq!(
        events(&out),
        vec![Event::ConversationTopStatusChanged {
            code: 0,
            key: ConversationKey::new(1, "bob", ""),
            top: true,
            event_id: Some("p1".into()),
        }]
    );
    assert!(!h.core.is_ended(), "the receipt is not answered yet");

    // The receipt's answer does not come within the bound: it stays queued for next time.
    let out = h.advance(Duration::from_millis(2100));
    assert_eq!(statuses(&out), vec![status::SIGN_OUT]);
    assert!(h.core.is_ended());
    assert!(receipt_reports(&out).is_empty());
    let queued = h.store.outbox().unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(
        Request::decode(queued[0].0.request.as_slice()).unwrap(),
        receipt_sent[0].1
    );
}

#[test]
fn a_shutdown_ends_a_sign_out_that_is_still_settling() {
    let mut h = Harness::online();
    h.feed(Input::Command(pin("bob", "p1")));
    h.feed(Input::Stop(StopReason::SignOut {
        receive_push: false,
    }));
    assert!(!h.core.is_ended());
    let out = h.feed(Input::Stop(StopReason::Shutdown));
    assert!(matches!(out.last(), Some(Action::Finish)), "{out:?}");
    assert!(h.core.is_ended());
    assert_eq!(
        h.store.outbox().unwrap().len(),
        1,
        "kept for the next connect"
    );
    assert!(h.feed(Input::Stop(StopReason::Shutdown)).is_empty());
}

#[test]
fn unreadable_queued_operations_are_deleted_when_loaded() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .outbox_push("garbled", &[0xff, 0xff, 0xff], 1)
        .unwrap();
    let pin_request = match pin("bob", "p1") {
        Command::Operation(op) => op.request,
        _ => unreachable!(),
    };
    store
        .outbox_push(&pin_request.request_id, &pin_request.encode_to_vec(), 2)
        .unwrap();
    let h = Harness::with_store(store);
    let queued = h.store.outbox().unwrap();
    assert_eq!(queued.len(), 1, "only the readable one is left");
    assert_eq!(queued[0].0.request_id, pin_request.request_id);
}
