//! Ultra-group streams over the life of groups and channels, through the Server API and the
//! client protocol: a channel deleted and created again (private, then public) or a group
//! dismissed and created again shows nothing of the old one; a remote clear with time 0
//! clears everything; the states start at a member's join and carry the read position by
//! sequence; changes to held messages after a long absence (`max_conv_seq`); states of one
//! group only (`only_group_id`).

mod common;
mod ultragroup_common;

use common::*;
use rcim_proto::v1::{
    request, response, ClearUltraGroupHistory, RecallUltraGroupMessage, UltraGroupChangesRequest,
    UltraGroupStates, UltraGroupSyncRequest,
};
use ultragroup_common::*;

/// A history page of a channel, newest first: the texts.
async fn history_texts(c: &mut RawClient, group: &str, channel: &str) -> Vec<String> {
    let body = request::Body::History(rcim_proto::v1::HistoryRequest {
        conversation_type: 5,
        target_id: group.into(),
        channel_id: channel.into(),
        sent_time: 0,
        order: 0,
        count: 100,
    });
    let r = call(c, "", body).await;
    let Some(response::Body::History(p)) = r.body else {
        panic!("{r:?}")
    };
    p.messages.iter().map(text_of).collect()
}

/// M1: a private channel deleted and created again as public shows a member who was not
/// listed nothing of the old messages (history, changes, state), and its sequences continue
/// (cursors of devices that followed the old channel stay valid); likewise for a group
/// dismissed and created again.
#[tokio::test]
async fn a_recreated_channel_or_group_shows_nothing_of_the_old_one() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b", "c"]).await;
    make_channel(&api, "ug", "staff", Some(&["a", "b"])).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    say(&mut a, "ug", "staff", "secret 1").await;
    say(&mut a, "ug", "staff", "secret 2").await;
    say(&mut a, "ug", "RCDefault", "hello").await;
    api.call(
        "/ultragroup/channel/del.json",
        &[("groupId", "ug"), ("busChannel", "staff")],
    )
    .await;
    make_channel(&api, "ug", "staff", None).await;
    let mut c = RawClient::connect(addr, "c", "c1").await;
    assert!(history_texts(&mut c, "ug", "staff").await.is_empty());
    let (code, page) = changes(&mut c, "ug", "staff", 0, 100).await;
    assert_eq!((code, page.messages.len(), page.head_seq), (0, 0, 2));
    let s = state_of(&mut c, "ug", "staff").await;
    assert_eq!((s.unread_count, s.head_seq), (0, 2));
    assert!(s.last_message.is_none());
    let (code, _, _, seq) = send_ug(&mut a, ug_text("ug", "staff", "public now")).await;
    assert_eq!((code, seq), (0, 3));
    assert_eq!(history_texts(&mut c, "ug", "staff").await, ["public now"]);
    // The other channel is untouched.
    assert_eq!(history_texts(&mut c, "ug", "RCDefault").await, ["hello"]);

    // A dismissed group created again with other members starts empty.
    api.call("/ultragroup/dis.json", &[("groupId", "ug")]).await;
    make_group(&api, "ug", "d", &["c"]).await;
    assert!(history_texts(&mut c, "ug", "RCDefault").await.is_empty());
    let s = state_of(&mut c, "ug", "RCDefault").await;
    assert_eq!((s.unread_count, s.last_message), (0, None));
    server.shutdown().await;
}

/// M8: `ClearUltraGroupHistory` with time 0 clears everything the channel holds for that
/// user (as the device's local clear of 0 does), and a later message shows again.
#[tokio::test]
async fn a_remote_clear_of_zero_clears_everything() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    for n in 1..=3 {
        say(&mut a, "ug", "RCDefault", &format!("n{n}")).await;
    }
    let clear = request::Body::UltragroupClear(ClearUltraGroupHistory {
        group_id: "ug".into(),
        channel_id: "".into(),
        before_time: 0,
    });
    assert_eq!(change(&mut b, clear).await.code, 0);
    assert!(history_texts(&mut b, "ug", "").await.is_empty());
    let (_, page) = changes(&mut b, "ug", "RCDefault", 0, 100).await;
    assert!(page.messages.is_empty());
    let s = state_of(&mut b, "ug", "RCDefault").await;
    assert_eq!(s.unread_count, 0);
    assert!(s.last_message.is_none() && s.cleared_before > 0);
    say(&mut a, "ug", "RCDefault", "later").await;
    assert_eq!(history_texts(&mut b, "ug", "").await, ["later"]);
    // a's history is untouched.
    assert_eq!(history_texts(&mut a, "ug", "").await.len(), 4);
    server.shutdown().await;
}

/// Messages from before a member joined are not unread for them, and their read position
/// (`read_seq`) starts at the newest of them; a member from the start counts them all.
#[tokio::test]
async fn states_start_at_the_join() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    for n in 1..=3 {
        say(&mut a, "ug", "RCDefault", &format!("n{n}")).await;
    }
    api.call(
        "/ultragroup/join.json",
        &[("userId", "d"), ("groupId", "ug")],
    )
    .await;
    let mut d = RawClient::connect(addr, "d", "d1").await;
    let s = state_of(&mut d, "ug", "RCDefault").await;
    assert_eq!((s.unread_count, s.read_seq), (0, 3));
    say(&mut a, "ug", "RCDefault", "n4").await;
    let s = state_of(&mut d, "ug", "RCDefault").await;
    assert_eq!((s.unread_count, s.read_seq), (1, 3));
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let s = state_of(&mut b, "ug", "RCDefault").await;
    assert_eq!((s.unread_count, s.read_seq), (4, 0));
    server.shutdown().await;
}

/// M9: after a long absence a device asks for the changes to the messages it holds
/// (`max_conv_seq`): it gets the recall of an old message however many messages followed.
#[tokio::test]
async fn changes_to_held_messages_after_a_long_absence() {
    let (_dir, server, api) = ug_server(|c| c.ultragroup.channel_rate_per_sec = 0).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let held = say(&mut a, "ug", "RCDefault", "held").await;
    for n in 0..120 {
        say(&mut a, "ug", "RCDefault", &format!("n{n}")).await;
    }
    let recall = request::Body::UltragroupRecall(RecallUltraGroupMessage {
        group_id: "ug".into(),
        channel_id: "RCDefault".into(),
        uid: held.clone(),
        delete_remote: true,
    });
    assert_eq!(change(&mut a, recall).await.code, 0);
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let body = request::Body::UltragroupChanges(UltraGroupChangesRequest {
        group_id: "ug".into(),
        channel_id: "RCDefault".into(),
        after_seq: 1,
        count: 10,
        max_conv_seq: 1,
    });
    let r = call(&mut b, "", body).await;
    let Some(response::Body::UltragroupChanges(page)) = r.body else {
        panic!("{r:?}")
    };
    let got: Vec<(&str, &str)> = page
        .messages
        .iter()
        .map(|m| (m.uid.as_str(), m.object_name.as_str()))
        .collect();
    assert_eq!(got, [(held.as_str(), "RC:RcNtf")]);
    assert!(!page.more);
    assert_eq!(page.head_seq, 122);
    server.shutdown().await;
}

/// S6: `only_group_id` answers the states of that group's channels only.
#[tokio::test]
async fn states_of_one_group() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug1", "a", &[]).await;
    make_group(&api, "ug2", "a", &[]).await;
    make_channel(&api, "ug2", "news", None).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    assert_eq!(states(&mut a).await.len(), 3);
    let body = request::Body::UltragroupSync(UltraGroupSyncRequest {
        after_group_id: String::new(),
        after_channel_id: String::new(),
        only_group_id: "ug2".into(),
    });
    let r = call(&mut a, "", body).await;
    let Some(response::Body::UltragroupStates(UltraGroupStates { channels, more })) = r.body else {
        panic!("{r:?}")
    };
    let got: Vec<(&str, &str)> = channels
        .iter()
        .map(|s| (s.group_id.as_str(), s.channel_id.as_str()))
        .collect();
    assert_eq!(got, [("ug2", "RCDefault"), ("ug2", "news")]);
    assert!(!more);
    server.shutdown().await;
}
