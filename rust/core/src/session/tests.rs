//! The session core without network: inputs in, actions out. Store jobs run on an in-memory
//! store as the driver would run them, so what the core asks the store to do is checked by
//! what the store then holds.

use super::command::{Command, StopReason};
use super::core::{SessionCore, SessionParams};
use super::jobs;
use super::operations::{Operation, SettingChange};
use super::types::{Action, Input, StoreJob};
use crate::codec;
use crate::event::Event;
use crate::model::connection_status as status;
use prost::Message as _;
use rcim_proto::v1::{
    client_frame, inbox_entry, request, response, server_frame, ClientFrame, ConnectAck,
    InboxEntry, InboxPush, Message as WireMessage, Pong, RecallMessageResult, Request, Response,
    SendMessageResult, ServerFrame, SyncPackage,
};
use rcim_store::{ConversationKey, Store};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

const HEARTBEAT: Duration = Duration::from_secs(1);

fn params() -> SessionParams {
    SessionParams {
        user_id: "alice".into(),
        token: "t".into(),
        app_key: "app".into(),
        device_id: "phone".into(),
        kick_reconnect_device: false,
        push: None,
        heartbeat: Some(HEARTBEAT),
        send_timeout: Duration::from_secs(30),
    }
}

/// A core plus the store its jobs run on, and a clock.
struct Harness {
    core: SessionCore,
    store: Store,
    now: Instant,
}

impl Harness {
    /// A loaded session, not connected yet.
    fn new() -> Harness {
        Self::with_store(Store::open_in_memory().unwrap())
    }

    fn with_store(store: Store) -> Harness {
        let mut h = Harness {
            core: SessionCore::new(params(), Some("c".into()), None),
            store,
            now: Instant::now(),
        };
        let start = h.core.start();
        let out = h.run(start);
        assert!(
            out.iter().any(|a| matches!(a, Action::Open { .. })),
            "{out:?}"
        );
        h
    }

    /// Connected, with the initial sync answered (empty inbox).
    fn online() -> Harness {
        let mut h = Self::new();
        let (seq, _) = h.open(0);
        let out = h.respond(
            seq,
            0,
            Some(response::Body::Sync(SyncPackage {
                entries: vec![],
                has_more: false,
                inbox_head: 0,
            })),
        );
        assert!(sync_seqs(&out).is_empty());
        h
    }

    /// The app sends a private text now.
    fn send_text(&mut self, to: &str, body: &str) -> Vec<Action> {
        let now = self.now;
        self.feed(Input::Command(text(to, body, now)))
    }

    /// Answers the connection attempt; returns the sync request's seq.
    fn open(&mut self, head: u64) -> (u64, Vec<Action>) {
        let out = self.feed(Input::Opened(ConnectAck {
            code: 0,
            user_id: "alice".into(),
            server_time: 0,
            inbox_head: head,
            heartbeat_secs: 1,
            compensation_after: 0,
            settings_version: 0,
            inbox_epoch: 0,
        }));
        let seq = sync_seqs(&out)[0];
        (seq, out)
    }

    /// Feeds an input; store jobs run at once (their results first, as the driver does) and
    /// the other actions come back in order.
    fn feed(&mut self, input: Input) -> Vec<Action> {
        let actions = self.core.handle(self.now, input);
        self.run(actions)
    }

    fn run(&mut self, actions: Vec<Action>) -> Vec<Action> {
        let mut queue: VecDeque<Action> = actions.into();
        let mut out = Vec::new();
        while let Some(action) = queue.pop_front() {
            match action {
                Action::Store(job) => {
                    let done = jobs::run(&mut self.store, job);
                    let caused = self.core.handle(self.now, Input::Stored(Box::new(done)));
                    for a in caused.into_iter().rev() {
                        queue.push_front(a);
                    }
                }
                other => out.push(other),
            }
        }
        out
    }

    fn advance(&mut self, by: Duration) -> Vec<Action> {
        self.now += by;
        self.feed(Input::Tick)
    }

    fn frame(&mut self, seq: u64, body: server_frame::Body) -> Vec<Action> {
        self.feed(Input::Frame(Box::new(ServerFrame {
            seq,
            body: Some(body),
        })))
    }

    fn respond(&mut self, seq: u64, code: u32, body: Option<response::Body>) -> Vec<Action> {
        self.frame(seq, server_frame::Body::Response(Response { code, body }))
    }
}

fn requests(actions: &[Action]) -> Vec<(u64, Request)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send(ClientFrame {
                seq,
                body: Some(client_frame::Body::Request(r)),
            }) => Some((*seq, r.clone())),
            _ => None,
        })
        .collect()
}

fn sync_seqs(actions: &[Action]) -> Vec<u64> {
    requests(actions)
        .into_iter()
        .filter(|(_, r)| matches!(r.body, Some(request::Body::Sync(_))))
        .map(|(seq, r)| {
            assert!(r.request_id.is_empty(), "a read has no request id");
            seq
        })
        .collect()
}

fn ops(actions: &[Action]) -> Vec<(u64, Request)> {
    requests(actions)
        .into_iter()
        .filter(|(_, r)| !matches!(r.body, Some(request::Body::Sync(_))))
        .collect()
}

fn events(actions: &[Action]) -> Vec<Event> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Emit(e) => Some((**e).clone()),
            _ => None,
        })
        .collect()
}

fn statuses(actions: &[Action]) -> Vec<u32> {
    events(actions)
        .into_iter()
        .filter_map(|e| match e {
            Event::ConnectionStatusChanged { status } => Some(status),
            _ => None,
        })
        .collect()
}

fn pings(actions: &[Action]) -> usize {
    actions
        .iter()
        .filter(|a| {
            matches!(
                a,
                Action::Send(ClientFrame {
                    body: Some(client_frame::Body::Ping(_)),
                    ..
                })
            )
        })
        .count()
}

fn text(to: &str, body: &str, requested: Instant) -> Command {
    Command::Send {
        message: Box::new(codec::new_text_message(1, to, None, body)),
        event_id: Some(format!("send-{body}")),
        requested,
    }
}

fn pin(target: &str, event_id: &str) -> Command {
    Command::Operation(Operation::conversation_setting(SettingChange {
        key: ConversationKey::new(1, target, ""),
        top: Some(true),
        level: None,
        event_id: Some(event_id.into()),
    }))
}

fn wire_message(seq: u64, uid: &str, text: &str) -> InboxEntry {
    InboxEntry {
        seq,
        body: Some(inbox_entry::Body::Message(WireMessage {
            uid: uid.into(),
            conversation_type: 1,
            to_id: "alice".into(),
            sender_id: "bob".into(),
            object_name: "RC:TxtMsg".into(),
            content: format!(r#"{{"content":"{text}"}}"#),
            sent_time: 1000 + seq as i64,
            persisted: true,
            counted: true,
            ..Default::default()
        })),
    }
}

fn received_texts(actions: &[Action]) -> Vec<String> {
    events(actions)
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReceived { message, .. } => message.text().map(str::to_string),
            _ => None,
        })
        .collect()
}

#[test]
fn connecting_reports_status_and_result_then_syncs_the_inbox() {
    let mut h = Harness::new();
    let (seq, out) = h.open(0);
    assert!(seq > 0);
    assert_eq!(statuses(&out), vec![status::CONNECTED]);
    assert!(events(&out).contains(&Event::Connected {
        code: 0,
        user_id: "alice".into(),
        event_id: Some("c".into()),
    }));
}

#[test]
fn a_request_is_answered_by_the_response_with_its_seq_and_reported_once() {
    let mut h = Harness::online();
    let out = h.feed(Input::Command(pin("bob", "p1")));
    let sent = ops(&out);
    assert_eq!(sent.len(), 1);
    let (seq, req) = &sent[0];
    assert!(
        !req.request_id.is_empty(),
        "a state change carries a request id"
    );
    assert_eq!(
        h.store.outbox().unwrap().len(),
        1,
        "stored before it is sent"
    );

    // An answer to another seq changes nothing.
    let out = h.respond(seq + 100, 0, None);
    assert!(events(&out).is_empty());

    let out = h.respond(*seq, 0, None);
    assert_eq!(
        events(&out),
        vec![Event::ConversationTopStatusChanged {
            code: 0,
            key: ConversationKey::new(1, "bob", ""),
            top: true,
            event_id: Some("p1".into()),
        }]
    );
    assert!(h.store.outbox().unwrap().is_empty());
    assert!(h
        .store
        .conversation_top(&ConversationKey::new(1, "bob", ""))
        .unwrap());
    // A repeated answer is not reported again.
    assert!(events(&h.respond(*seq, 0, None)).is_empty());
}

#[test]
fn an_operation_made_offline_waits_and_a_lost_one_is_resent_with_the_same_request_id() {
    let mut h = Harness::new();
    let out = h.feed(Input::Command(pin("bob", "p1")));
    assert!(ops(&out).is_empty(), "not connected: nothing on the wire");
    assert!(events(&out).is_empty(), "no failure either");

    let (_, out) = h.open(0);
    let first = ops(&out);
    assert_eq!(first.len(), 1);

    // Connection lost before the answer: it goes again on the next connection.
    let out = h.feed(Input::Closed);
    assert_eq!(statuses(&out), vec![status::SUSPEND, status::CONNECTING]);
    let (_, out) = h.open(0);
    let second = ops(&out);
    assert_eq!(second.len(), 1);
    assert_ne!(second[0].0, first[0].0, "a new seq");
    assert_eq!(second[0].1, first[0].1, "the same request and request id");
    let out = h.respond(second[0].0, 0, None);
    assert_eq!(events(&out).len(), 1);
}

#[test]
fn operations_loaded_from_disk_report_to_the_listener_only() {
    let mut store = Store::open_in_memory().unwrap();
    let request = Request {
        request_id: "r-1".into(),
        body: Some(request::Body::RecallMessage(
            rcim_proto::v1::RecallMessage {
                uid: "u-1".into(),
                conversation_type: 1,
                target_id: "bob".into(),
                channel_id: String::new(),
                sent_time: 5,
            },
        )),
    };
    store
        .outbox_push("r-1", &request.encode_to_vec(), 1)
        .unwrap();
    let mut h = Harness::with_store(store);
    let (_, out) = h.open(0);
    let sent = ops(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1, request);
    let out = h.respond(
        sent[0].0,
        0,
        Some(response::Body::RecallMessage(RecallMessageResult {
            recall_time: 9,
            change_seq: 0,
        })),
    );
    let events = events(&out);
    assert_eq!(events.len(), 1);
    assert!(
        matches!(&events[0], Event::MessageRecalled { code: 0, event_id: None, message }
            if message.message_uid.as_deref() == Some("u-1")),
        "{events:?}"
    );
    assert!(h.store.outbox().unwrap().is_empty());
}

#[test]
fn sends_are_stored_announced_paced_and_acknowledged() {
    let mut h = Harness::online();
    let mut out = Vec::new();
    // To six conversations (one send per conversation is on the wire at a time).
    for i in 0..6 {
        out.extend(h.send_text(&format!("bob{i}"), &i.to_string()));
    }
    let attached = events(&out)
        .iter()
        .filter(|e| matches!(e, Event::MessageAttached { .. }))
        .count();
    assert_eq!(attached, 6);
    // Five per second on the app's side: the sixth is stored and fails with 20604.
    let failed: Vec<i32> = events(&out)
        .iter()
        .filter_map(|e| match e {
            Event::MessageSent { code, .. } => Some(*code),
            _ => None,
        })
        .collect();
    assert_eq!(failed, vec![20604]);
    let sent = ops(&out);
    assert_eq!(sent.len(), 5);
    for (_, req) in &sent {
        assert!(matches!(req.body, Some(request::Body::SendMessage(_))));
        assert!(!req.request_id.is_empty());
    }
    let (seq, req) = &sent[0];
    let out = h.respond(
        *seq,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            conv_seq: 0,
            uid: "uid-0".into(),
            sent_time: 77,
            change_seq: 0,
        })),
    );
    let events = events(&out);
    let Event::MessageSent {
        code: 0,
        message,
        event_id,
    } = &events[0]
    else {
        panic!("{events:?}")
    };
    assert_eq!(event_id.as_deref(), Some("send-0"));
    assert_eq!(message.message_uid.as_deref(), Some("uid-0"));
    assert_eq!(message.sent_time, Some(77));
    let stored = h
        .store
        .message(message.message_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.client_msg_id.as_deref(),
        Some(req.request_id.as_str())
    );
    assert_eq!(h.store.outbox().unwrap().len(), 4);
}

#[test]
fn the_wire_window_holds_back_the_sixth_send_of_a_second() {
    let mut h = Harness::online();
    let mut out = Vec::new();
    for i in 0..5 {
        out.extend(h.send_text(&format!("bob{i}"), &i.to_string()));
    }
    assert_eq!(ops(&out).len(), 5);
    h.now += Duration::from_millis(1001); // the app's window has passed, not the wire's
    let out = h.send_text("bob5", "5");
    assert!(ops(&out).is_empty());
    let wake = h.core.wake_at(h.now).expect("a send slot");
    h.now = wake;
    let out = h.feed(Input::Tick);
    assert_eq!(ops(&out).len(), 1);
}

#[test]
fn heartbeats_go_out_and_silence_loses_the_connection() {
    let mut h = Harness::online();
    let out = h.advance(HEARTBEAT);
    assert_eq!(pings(&out), 1);
    h.frame(0, server_frame::Body::Pong(Pong { server_time: 1 }));
    let out = h.advance(HEARTBEAT * 2);
    assert_eq!(pings(&out), 1);
    assert!(statuses(&out).is_empty());
    let out = h.advance(HEARTBEAT * 2);
    assert_eq!(
        statuses(&out),
        vec![status::SUSPEND, status::CONNECTING],
        "silent for more than 3 heartbeats"
    );
}

#[test]
fn packages_are_stored_then_announced_and_the_next_one_is_asked_for() {
    let mut h = Harness::new();
    let (seq, _) = h.open(3);
    let out = h.respond(
        seq,
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![wire_message(1, "u1", "a"), wire_message(2, "u2", "b")],
            has_more: true,
            inbox_head: 3,
        })),
    );
    assert_eq!(received_texts(&out), vec!["a", "b"]);
    assert_eq!(h.store.inbox_cursor().unwrap(), 2);
    let next = sync_seqs(&out);
    assert_eq!(next.len(), 1);
    let out = h.respond(
        next[0],
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![wire_message(3, "u3", "c")],
            has_more: false,
            inbox_head: 3,
        })),
    );
    assert_eq!(received_texts(&out), vec!["c"]);
    assert!(sync_seqs(&out).is_empty());
    // A live push right after the cursor is applied at once.
    let out = h.frame(
        0,
        server_frame::Body::Push(InboxPush {
            entry: Some(wire_message(4, "u4", "d")),
        }),
    );
    assert_eq!(received_texts(&out), vec!["d"]);
    assert_eq!(h.store.inbox_cursor().unwrap(), 4);
}

#[test]
fn while_the_embedder_is_behind_no_entries_are_taken_but_heartbeats_continue() {
    let mut h = Harness::online();
    h.feed(Input::Backpressure(true));
    let out = h.frame(
        0,
        server_frame::Body::Push(InboxPush {
            entry: Some(wire_message(1, "u1", "a")),
        }),
    );
    assert!(received_texts(&out).is_empty());
    assert!(sync_seqs(&out).is_empty());
    assert_eq!(h.store.inbox_cursor().unwrap(), 0, "left on the server");
    for _ in 0..5 {
        let out = h.advance(HEARTBEAT);
        assert_eq!(pings(&out), 1);
        h.frame(0, server_frame::Body::Pong(Pong { server_time: 1 }));
    }
    let out = h.feed(Input::Backpressure(false));
    let seqs = sync_seqs(&out);
    assert_eq!(seqs.len(), 1, "fetches what it left");
    let out = h.respond(
        seqs[0],
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![wire_message(1, "u1", "a")],
            has_more: false,
            inbox_head: 1,
        })),
    );
    assert_eq!(received_texts(&out), vec!["a"]);
}

#[test]
fn shutdown_keeps_queued_operations_on_disk_and_sign_out_says_goodbye() {
    let mut h = Harness::new();
    h.feed(Input::Command(pin("bob", "p1")));
    let out = h.feed(Input::Stop(StopReason::Shutdown));
    assert!(matches!(out.last(), Some(Action::Finish)));
    assert_eq!(h.store.outbox().unwrap().len(), 1);

    let mut h = Harness::online();
    let out = h.feed(Input::Stop(StopReason::SignOut { receive_push: true }));
    assert!(out.iter().any(|a| matches!(
        a,
        Action::Send(ClientFrame {
            body: Some(client_frame::Body::Disconnect(_)),
            ..
        })
    )));
    assert_eq!(statuses(&out), vec![status::SIGN_OUT]);
    assert!(h.core.is_ended());
}

#[test]
fn a_kick_ends_the_session_and_fails_queued_sends() {
    let mut h = Harness::new();
    h.send_text("bob", "x");
    h.open(0);
    let out = h.frame(
        0,
        server_frame::Body::Kicked(rcim_proto::v1::Kicked {
            code: 31010,
            reason: String::new(),
        }),
    );
    assert_eq!(statuses(&out), vec![status::KICKED_OFFLINE_BY_OTHER_CLIENT]);
    assert!(
        events(&out)
            .iter()
            .any(|e| matches!(e, Event::MessageSent { code, .. } if *code != 0)),
        "{out:?}"
    );
    assert!(h.store.outbox().unwrap().is_empty());
    assert!(matches!(out.last(), Some(Action::Finish)));
}

#[test]
fn the_store_job_of_a_send_is_one_persist_action() {
    let mut h = Harness::online();
    let actions = h
        .core
        .handle(h.now, Input::Command(text("bob", "x", h.now)));
    assert!(matches!(
        actions.as_slice(),
        [Action::Store(StoreJob::PersistSend { queue: true, .. })]
    ));
}

#[test]
fn a_send_that_waits_offline_longer_than_the_send_timeout_fails_with_30002_but_a_pin_waits() {
    let mut h = Harness::new();
    h.send_text("bob", "late");
    h.feed(Input::Command(pin("bob", "p1")));
    let out = h.advance(Duration::from_secs(31));
    let codes: Vec<i32> = events(&out)
        .iter()
        .filter_map(|e| match e {
            Event::MessageSent { code, .. } => Some(*code),
            _ => None,
        })
        .collect();
    assert_eq!(codes, vec![30002]);
    let queued = h.store.outbox().unwrap();
    assert_eq!(queued.len(), 1, "the pin is still queued");
    assert!(queued[0].1.is_none());
}

#[test]
fn sign_out_waits_for_the_answer_of_a_send_on_the_wire() {
    let mut h = Harness::online();
    let out = h.send_text("bob", "x");
    let (seq, _) = ops(&out)[0].clone();
    let out = h.feed(Input::Stop(StopReason::SignOut {
        receive_push: false,
    }));
    assert!(statuses(&out).is_empty(), "still settling: {out:?}");
    let again = h.feed(Input::Stop(StopReason::SignOut {
        receive_push: false,
    }));
    assert!(
        statuses(&again).is_empty(),
        "a repeated sign-out changes nothing"
    );
    let out = h.respond(
        seq,
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
    assert_eq!(statuses(&out), vec![status::SIGN_OUT]);
    assert!(h.core.is_ended());
}

mod chatroom;
mod chatroom_flow;
mod extras;
mod history;
mod media;
mod moderation;
mod platform;
mod push;
mod queueing;
mod receipts;
mod rules;
mod settings;
mod typing;
mod ultragroup;
