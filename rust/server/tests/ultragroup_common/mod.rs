//! Helpers of the ultra-group stream tests: groups and channels through the Server API,
//! channel sends and stream requests over the raw client protocol.

#![allow(dead_code)]

use super::common::*;
use rcim_proto::conversation_type::ULTRA_GROUP;
use rcim_proto::v1::{
    request, response, server_frame, ultra_group_event, Message, Response, SendMessage,
    TypingStatus, UltraGroupChanges, UltraGroupChangesRequest, UltraGroupChannelState,
    UltraGroupEvent, UltraGroupStates, UltraGroupSyncRequest,
};
use rcim_server::{RunningServer, ServerConfig};
use std::path::Path;
use std::time::Duration;

/// A server with `tweak` applied to the test config; unlimited client send rates so tests
/// can send quickly.
pub async fn start_ug(dir: &Path, tweak: impl FnOnce(&mut ServerConfig)) -> RunningServer {
    let mut c = config(dir);
    c.send_rate_per_sec = 0;
    c.request_rate_per_sec = 0;
    tweak(&mut c);
    rcim_server::start(c).await.expect("server starts")
}

/// The start of most tests: tracing, a server in a new temporary folder ([`start_ug`] with
/// `tweak`) and its Server API. Keep the folder while the server runs.
pub async fn ug_server(
    tweak: impl FnOnce(&mut ServerConfig),
) -> (tempfile::TempDir, RunningServer, Api) {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_ug(dir.path(), tweak).await;
    let api = Api::new(&server);
    (dir, server, api)
}

/// Creates ultra group `group` (named `group`) by `creator` and joins `members`.
pub async fn make_group(api: &Api, group: &str, creator: &str, members: &[&str]) {
    make_named_group(api, group, group, creator, members).await;
}

/// Creates ultra group `group` named `name` by `creator` and joins `members`.
pub async fn make_named_group(api: &Api, group: &str, name: &str, creator: &str, members: &[&str]) {
    api.call(
        "/ultragroup/create.json",
        &[("userId", creator), ("groupId", group), ("groupName", name)],
    )
    .await;
    if !members.is_empty() {
        let ids = members.join(",");
        api.call(
            "/ultragroup/join.json",
            &[("userId", &ids), ("groupId", group)],
        )
        .await;
    }
}

/// Creates a channel, private ones listing `listed`.
pub async fn make_channel(api: &Api, group: &str, channel: &str, listed: Option<&[&str]>) {
    let kind = if listed.is_some() { "1" } else { "0" };
    api.call(
        "/ultragroup/channel/create.json",
        &[("groupId", group), ("busChannel", channel), ("type", kind)],
    )
    .await;
    if let Some(users) = listed {
        let ids = users.join(",");
        api.call(
            "/ultragroup/channel/private/users/add.json",
            &[
                ("groupId", group),
                ("busChannel", channel),
                ("userIds", &ids),
            ],
        )
        .await;
    }
}

/// A typing request in a channel of group "ug".
pub fn ug_typing(channel: &str) -> request::Body {
    request::Body::Typing(TypingStatus {
        conversation_type: ULTRA_GROUP,
        target_id: "ug".into(),
        channel_id: channel.into(),
        object_name: "RC:TxtMsg".into(),
    })
}

/// A text message into a channel.
pub fn ug_text(group: &str, channel: &str, text: &str) -> SendMessage {
    SendMessage {
        conversation_type: ULTRA_GROUP,
        target_id: group.into(),
        channel_id: channel.into(),
        object_name: "RC:TxtMsg".into(),
        content: serde_json::json!({ "content": text }).to_string(),
        persisted: true,
        counted: true,
        ..Default::default()
    }
}

/// Sends `m`; the code and (on success) the result (uid, sent time, conv_seq).
pub async fn send_ug(c: &mut RawClient, m: SendMessage) -> (u32, String, i64, u64) {
    let r = call(c, &fresh_request_id(), request::Body::SendMessage(m)).await;
    match r.body {
        Some(response::Body::SendMessage(s)) => (r.code, s.uid, s.sent_time, s.conv_seq),
        _ => (r.code, String::new(), 0, 0),
    }
}

/// Sends a text and asserts success; returns the uid.
pub async fn say(c: &mut RawClient, group: &str, channel: &str, text: &str) -> String {
    let (code, uid, _, _) = send_ug(c, ug_text(group, channel, text)).await;
    assert_eq!(code, 0, "send of {text:?}");
    uid
}

/// The next ultra-group event (other frames skipped).
pub async fn next_ug(c: &mut RawClient) -> UltraGroupEvent {
    loop {
        let f = c.recv().await.expect("connection open");
        if let Some(server_frame::Body::Ultragroup(e)) = f.body {
            return e;
        }
    }
}

/// The next ultra-group event within `d`, if any.
pub async fn try_next_ug(c: &mut RawClient, d: Duration) -> Option<UltraGroupEvent> {
    let deadline = tokio::time::Instant::now() + d;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let f = c.try_recv(left).await?;
        if let Some(server_frame::Body::Ultragroup(e)) = f.body {
            return Some(e);
        }
    }
}

/// The next new message event.
pub async fn next_ug_message(c: &mut RawClient) -> Message {
    loop {
        if let Some(ultra_group_event::Body::Message(m)) = next_ug(c).await.body {
            return m;
        }
    }
}

/// The text of a message sent by [`ug_text`].
pub fn text_of(m: &Message) -> String {
    let v: serde_json::Value = serde_json::from_str(&m.content).unwrap_or_default();
    v["content"].as_str().unwrap_or_default().to_owned()
}

/// Every channel state of the connected user (all pages).
pub async fn states(c: &mut RawClient) -> Vec<UltraGroupChannelState> {
    let mut out: Vec<UltraGroupChannelState> = Vec::new();
    loop {
        let (g, ch) = out
            .last()
            .map(|s| (s.group_id.clone(), s.channel_id.clone()))
            .unwrap_or_default();
        let body = request::Body::UltragroupSync(UltraGroupSyncRequest {
            after_group_id: g,
            after_channel_id: ch,
            only_group_id: String::new(),
        });
        let r = call(c, "", body).await;
        assert_eq!(r.code, 0);
        let Some(response::Body::UltragroupStates(UltraGroupStates { channels, more })) = r.body
        else {
            panic!("{r:?}")
        };
        out.extend(channels);
        if !more {
            return out;
        }
    }
}

/// The state of one channel.
pub async fn state_of(c: &mut RawClient, group: &str, channel: &str) -> UltraGroupChannelState {
    states(c)
        .await
        .into_iter()
        .find(|s| s.group_id == group && s.channel_id == channel)
        .unwrap_or_else(|| panic!("no state of {group}/{channel}"))
}

/// Changes of a channel after `after`: the code and the page.
pub async fn changes(
    c: &mut RawClient,
    group: &str,
    channel: &str,
    after: u64,
    count: u32,
) -> (u32, UltraGroupChanges) {
    let body = request::Body::UltragroupChanges(UltraGroupChangesRequest {
        group_id: group.into(),
        channel_id: channel.into(),
        after_seq: after,
        count,
        max_conv_seq: 0,
    });
    let r = call(c, "", body).await;
    match r.body {
        Some(response::Body::UltragroupChanges(p)) => (r.code, p),
        _ => (r.code, Default::default()),
    }
}

/// A state-changing request with a fresh request id.
pub async fn change(c: &mut RawClient, body: request::Body) -> Response {
    call(c, &fresh_request_id(), body).await
}
