//! Conversation settings (top, notification level): the `ChangeConversationSetting` request
//! appends a `ConversationSetting` entry to the requester's own inbox only, pushed to their
//! other online devices and kept for sync.

mod common;

use common::*;
use rcim_proto::v1::{
    client_frame, inbox_entry, request, server_frame, ChangeConversationSetting,
    ConversationSetting, InboxEntry, Platform,
};
use rcim_proto::{codes, conversation_type};
use std::time::Duration;

fn change(ctype: u32, target: &str, top: Option<bool>, level: Option<u32>) -> client_frame::Body {
    request_body(
        &fresh_request_id(),
        request::Body::ConversationSetting(ChangeConversationSetting {
            conversation_type: ctype,
            target_id: target.into(),
            channel_id: String::new(),
            top,
            notification_level: level,
        }),
    )
}

/// Sends a request; returns the ack's code and the entries pushed meanwhile.
async fn request_pushes(c: &mut RawClient, body: client_frame::Body) -> (u32, Vec<InboxEntry>) {
    let seq = c.send(body).await;
    let mut pushes = Vec::new();
    loop {
        let f = c.recv().await.expect("connection open");
        match (f.seq, f.body) {
            (s, Some(server_frame::Body::Response(r))) if s == seq => return (r.code, pushes),
            (_, Some(server_frame::Body::Push(p))) => pushes.extend(p.entry),
            _ => {}
        }
    }
}

async fn request(c: &mut RawClient, body: client_frame::Body) -> u32 {
    request_pushes(c, body).await.0
}

fn as_setting(e: &InboxEntry) -> &ConversationSetting {
    match &e.body {
        Some(inbox_entry::Body::ConversationSetting(s)) => s,
        other => panic!("expected a conversation setting, got {other:?}"),
    }
}

#[tokio::test]
async fn settings_reach_the_users_own_devices_only() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut phone = RawClient::connect(addr, "a", "phone").await;
    let mut login = Login::new("a", "desk");
    login.platform = Platform::Desktop;
    let (mut desk, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, 0);
    let mut b = RawClient::connect(addr, "b", "db").await;

    let (code, mut own) = request_pushes(
        &mut phone,
        change(conversation_type::PRIVATE, "b", Some(true), None),
    )
    .await;
    assert_eq!(code, codes::OK);
    let pushed = desk.next_push().await;
    let s = as_setting(&pushed);
    assert_eq!(
        (
            s.conversation_type,
            s.target_id.as_str(),
            s.top,
            s.notification_level
        ),
        (conversation_type::PRIVATE, "b", Some(true), None)
    );
    assert_eq!(s.device_id, "phone");
    assert!(s.operation_time > 0);
    // The requesting device gets its own entry too, before the ack (it tells it apart by
    // device_id).
    if own.is_empty() {
        own.push(phone.next_push().await);
    }
    assert_eq!(as_setting(&own[0]).device_id, "phone");

    let code = request(
        &mut desk,
        change(conversation_type::GROUP, "g1", None, Some(5)),
    )
    .await;
    assert_eq!(code, codes::OK);
    let s = as_setting(&phone.next_push().await).clone();
    assert_eq!((s.top, s.notification_level), (None, Some(5)));
    assert_eq!(s.device_id, "desk");

    // The peer's inbox gets nothing.
    assert!(b.try_recv(Duration::from_millis(200)).await.is_none());

    // Offline devices converge through sync: both entries are in the inbox, in order.
    let package = phone.sync(0, 0).await;
    let settings: Vec<_> = package.entries.iter().map(as_setting).collect();
    assert_eq!(settings.len(), 2);
    assert_eq!(settings[0].top, Some(true));
    assert_eq!(settings[1].notification_level, Some(5));
    assert_eq!(b.sync(0, 0).await.entries.len(), 0);
}

#[tokio::test]
async fn invalid_settings_are_refused() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    for body in [
        // Nothing to change.
        change(conversation_type::PRIVATE, "b", None, None),
        // Not a level.
        change(conversation_type::PRIVATE, "b", None, Some(6)),
        // Chatrooms have no settings; no target; unknown type.
        change(conversation_type::CHATROOM, "room", Some(true), None),
        change(conversation_type::PRIVATE, "", Some(true), None),
        change(9, "b", Some(true), None),
    ] {
        assert_eq!(request(&mut a, body).await, codes::PARAMETER_INVALID);
    }
    assert_eq!(a.sync(0, 0).await.entries.len(), 0);
}

/// A user's conversations with settings are capped (`max_conversation_settings`): one more
/// is refused with 20605 and changes nothing; changing a stored one, or resetting one (which
/// frees its place), is accepted.
#[tokio::test]
async fn conversations_with_settings_are_capped_per_user() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = rcim_server::start(rcim_server::ServerConfig {
        max_conversation_settings: 2,
        ..config(dir.path())
    })
    .await
    .unwrap();
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let private = conversation_type::PRIVATE;
    assert_eq!(
        request(&mut a, change(private, "b", Some(true), None)).await,
        0
    );
    assert_eq!(
        request(&mut a, change(conversation_type::GROUP, "g", None, Some(5))).await,
        0
    );
    assert_eq!(
        request(&mut a, change(private, "c", Some(true), None)).await,
        20605
    );
    // Not stored, no entry: the two accepted changes only.
    assert_eq!(a.sync(0, 0).await.entries.len(), 2);
    // Another user has a cap of their own.
    let mut b = RawClient::connect(addr, "b", "db").await;
    assert_eq!(
        request(&mut b, change(private, "c", Some(true), None)).await,
        0
    );
    // A stored conversation may change; a reset (not pinned, level NONE) frees a place.
    assert_eq!(
        request(&mut a, change(private, "b", None, Some(1))).await,
        0
    );
    assert_eq!(
        request(&mut a, change(private, "b", Some(false), Some(1))).await,
        0
    );
    assert_eq!(
        request(&mut a, change(private, "c", Some(true), None)).await,
        0
    );
    server.shutdown().await;
}
