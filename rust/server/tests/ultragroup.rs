//! Ultra-group channel streams over the client protocol: sends delivered to the online
//! readers of a channel only (private channels, the sending connection excluded), codes,
//! catching up on changes after being offline, modify / recall / expansion rules, history
//! pages and clears, read positions with unread and mention counts capped at 1000, typing
//! batches, default levels and the retention prune.

mod common;
mod ultragroup_common;

use common::*;
use rcim_proto::codes;
use rcim_proto::v1::{
    inbox_entry, request, response, ultra_group_event, ChangeUltraGroupDefaultLevel,
    ClearUltraGroupHistory, ModifyUltraGroupMessage, RecallUltraGroupMessage, SyncReadStatus,
    UltraGroupDefaultLevelRequest, UltraGroupExpansionUpdate, UltraGroupMessagesRequest,
};
use std::collections::HashMap;
use std::time::Duration;
use ultragroup_common::*;

const QUIET: Duration = Duration::from_millis(300);

/// A message reaches the online readers of its channel (the sender's other connection too,
/// not the sending one); a private channel's only its listed members; "" is RCDefault.
#[tokio::test]
async fn messages_reach_the_online_readers_of_their_channel() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b", "c"]).await;
    make_channel(&api, "ug", "staff", Some(&["a", "b"])).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut a2 = RawClient::connect_web(addr, "a", "a2").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;

    let (code, uid, sent_time, conv_seq) = send_ug(&mut a, ug_text("ug", "", "hello")).await;
    assert_eq!((code, conv_seq), (0, 1));
    for r in [&mut a2, &mut b, &mut c] {
        let e = next_ug(r).await;
        assert_eq!(
            (e.group_id.as_str(), e.channel_id.as_str()),
            ("ug", "RCDefault")
        );
        let Some(ultra_group_event::Body::Message(m)) = e.body else {
            panic!("{e:?}")
        };
        assert_eq!(
            (m.uid.as_str(), m.sent_time, m.change_seq),
            (uid.as_str(), sent_time, 1)
        );
        assert_eq!(
            (m.to_id.as_str(), m.channel_id.as_str()),
            ("ug", "RCDefault")
        );
        assert_eq!((text_of(&m).as_str(), m.conversation_type), ("hello", 5));
    }
    assert!(
        try_next_ug(&mut a, QUIET).await.is_none(),
        "not to the sending connection"
    );

    say(&mut a, "ug", "staff", "staff only").await;
    assert_eq!(text_of(&next_ug_message(&mut b).await), "staff only");
    say(&mut b, "ug", "", "to all").await;
    // c's next message is the public one: the private one never reached it.
    assert_eq!(text_of(&next_ug_message(&mut c).await), "to all");

    // Codes.
    let code = |r: (u32, String, i64, u64)| r.0;
    assert_eq!(
        code(send_ug(&mut c, ug_text("ug", "staff", "x")).await),
        codes::ULTRA_GROUP_USER_NOT_IN_PRIVATE_CHANNEL
    );
    assert_eq!(
        code(send_ug(&mut c, ug_text("ug", "nope", "x")).await),
        codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST
    );
    assert_eq!(
        code(send_ug(&mut c, ug_text("missing", "", "x")).await),
        codes::ULTRA_GROUP_NOT_EXIST
    );
    assert_eq!(
        code(send_ug(&mut c, ug_text("ug", "bad channel!", "x")).await),
        codes::PARAMETER_INVALID
    );
    let mut d = RawClient::connect(addr, "d", "d1").await;
    assert_eq!(
        code(send_ug(&mut d, ug_text("ug", "", "x")).await),
        codes::NOT_IN_ULTRA_GROUP
    );
    api.call(
        "/ultragroup/userbanned/add.json",
        &[("groupId", "ug"), ("userIds", "c")],
    )
    .await;
    assert_eq!(
        code(send_ug(&mut c, ug_text("ug", "", "x")).await),
        codes::FORBIDDEN_IN_ULTRA_GROUP
    );
    // Directed: only to users who can read the channel, and only they get it.
    let mut directed = ug_text("ug", "", "for b");
    directed.directed_user_ids = vec!["b".into()];
    let (code, _, _, conv_seq) = send_ug(&mut a, directed.clone()).await;
    assert_eq!((code, conv_seq), (0, 0));
    assert_eq!(text_of(&next_ug_message(&mut b).await), "for b");
    directed.directed_user_ids = vec!["d".into()];
    assert_eq!(send_ug(&mut a, directed).await.0, codes::PARAMETER_INVALID);
    say(&mut a, "ug", "", "after directed").await;
    assert_eq!(text_of(&next_ug_message(&mut c).await), "after directed");
    // A status message reaches the readers online now and is kept nowhere.
    let mut status = ug_text("ug", "", "online only");
    (status.status, status.persisted, status.counted) = (true, false, false);
    let (code, _, _, conv_seq) = send_ug(&mut b, status).await;
    assert_eq!((code, conv_seq), (0, 0));
    assert_eq!(text_of(&next_ug_message(&mut c).await), "online only");
    let (_, page) = changes(&mut c, "ug", "", 0, 100).await;
    assert!(page.messages.iter().all(|m| text_of(m) != "online only"));
    server.shutdown().await;
}

/// A member who was offline reads the states and catches up on new messages and on the
/// changes of older ones; modify, recall and expansion follow their rules and are
/// announced to the connected members.
#[tokio::test]
async fn changes_catch_up_and_change_rules() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let m1 = say(&mut a, "ug", "", "one").await;
    let m2 = say(&mut a, "ug", "", "two").await;
    let mut expandable = ug_text("ug", "", "three");
    expandable.can_expand = true;
    let (_, m3, _, _) = send_ug(&mut a, expandable).await;

    let mut b = RawClient::connect(addr, "b", "b1").await;
    let s = state_of(&mut b, "ug", "RCDefault").await;
    assert_eq!((s.head_seq, s.unread_count, s.private), (3, 3, false));
    assert_eq!(text_of(s.last_message.as_ref().unwrap()), "three");
    let (code, page) = changes(&mut b, "ug", "", 0, 2).await;
    let texts: Vec<String> = page.messages.iter().map(text_of).collect();
    assert_eq!(
        (code, texts, page.more, page.head_seq),
        (0, vec!["one".into(), "two".into()], true, 3)
    );
    assert_eq!(
        changes(&mut b, "ug", "", 0, 101).await.0,
        codes::PARAMETER_INVALID
    );

    // Modify: only the sender, with the same object name.
    let modify = |uid: &str, object: &str| {
        request::Body::UltragroupModify(ModifyUltraGroupMessage {
            group_id: "ug".into(),
            channel_id: String::new(),
            uid: uid.into(),
            object_name: object.into(),
            content: serde_json::json!({"content": "edited"}).to_string(),
        })
    };
    assert_eq!(
        change(&mut b, modify(&m1, "RC:TxtMsg")).await.code,
        codes::INVALID_MESSAGE_UID
    );
    assert_eq!(
        change(&mut a, modify(&m1, "RC:ImgMsg")).await.code,
        codes::INVALID_MESSAGE_UID
    );
    assert_eq!(change(&mut a, modify(&m1, "RC:TxtMsg")).await.code, 0);
    let e = next_ug(&mut b).await;
    let Some(ultra_group_event::Body::Changed(ch)) = e.body else {
        panic!("{e:?}")
    };
    let m = ch.message.unwrap();
    assert_eq!((ch.kind, ch.operator_id.as_str()), (1, "a"));
    assert_eq!(
        (
            m.uid.as_str(),
            m.modified,
            m.change_seq,
            text_of(&m).as_str()
        ),
        (m1.as_str(), true, 4, "edited")
    );

    // Recall: only the sender; delete_remote shows in the notification.
    let recall = |uid: &str| {
        request::Body::UltragroupRecall(RecallUltraGroupMessage {
            group_id: "ug".into(),
            channel_id: "RCDefault".into(),
            uid: uid.into(),
            delete_remote: true,
        })
    };
    assert_eq!(
        change(&mut b, recall(&m2)).await.code,
        codes::INVALID_MESSAGE_UID
    );
    let r = change(&mut a, recall(&m2)).await;
    let Some(response::Body::RecallMessage(res)) = r.body else {
        panic!("{r:?}")
    };
    assert!(res.recall_time > 0);
    let e = next_ug(&mut b).await;
    let Some(ultra_group_event::Body::Changed(ch)) = e.body else {
        panic!("{e:?}")
    };
    let m = ch.message.unwrap();
    assert_eq!(
        (ch.kind, m.object_name.as_str(), m.change_seq),
        (2, "RC:RcNtf", 5)
    );
    let content: serde_json::Value = serde_json::from_str(&m.content).unwrap();
    assert_eq!(
        (
            content["isDelete"].as_bool(),
            content["originalObjectName"].as_str()
        ),
        (Some(true), Some("RC:TxtMsg"))
    );
    // A modify of the recalled message is refused.
    assert_eq!(
        change(&mut a, modify(&m2, "RC:TxtMsg")).await.code,
        codes::INVALID_MESSAGE_UID
    );

    // Expansion: any reader, only on expandable messages.
    let expand = |uid: &str, set: &[(&str, &str)], remove: &[&str]| {
        request::Body::UltragroupExpansion(UltraGroupExpansionUpdate {
            group_id: "ug".into(),
            channel_id: String::new(),
            uid: uid.into(),
            set: set
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            remove: remove.iter().map(|k| (*k).into()).collect(),
        })
    };
    assert_eq!(
        change(&mut b, expand(&m1, &[("k", "v")], &[])).await.code,
        codes::MESSAGE_CANT_EXPAND
    );
    assert_eq!(
        change(&mut b, expand(&m3, &[("k", "v"), ("x", "1")], &[]))
            .await
            .code,
        0
    );
    let e = next_ug(&mut a).await;
    let Some(ultra_group_event::Body::Changed(ch)) = e.body else {
        panic!("{e:?}")
    };
    assert_eq!(
        (ch.kind, ch.operator_id.as_str(), ch.set.len()),
        (3, "b", 2)
    );
    assert_eq!(change(&mut a, expand(&m3, &[], &["x"])).await.code, 0);
    let e = next_ug(&mut b).await;
    let Some(ultra_group_event::Body::Changed(ch)) = e.body else {
        panic!("{e:?}")
    };
    assert_eq!((ch.kind, ch.remove.clone()), (3, vec!["x".to_owned()]));
    let expected = HashMap::from([("k".to_owned(), "v".to_owned())]);
    assert_eq!(ch.message.unwrap().expansion, expected);

    // A device that was away asks for the changes after its cursor (3): each changed
    // message once, as it is now, ascending by change.
    let (_, page) = changes(&mut b, "ug", "", 3, 100).await;
    let got: Vec<(String, u64)> = page
        .messages
        .iter()
        .map(|m| (m.uid.clone(), m.change_seq))
        .collect();
    assert_eq!(got, [(m1.clone(), 4), (m2.clone(), 5), (m3.clone(), 7)]);
    assert_eq!(page.head_seq, 7);
    // Chosen messages, as they are now.
    let r = call(
        &mut b,
        "",
        request::Body::UltragroupMessages(UltraGroupMessagesRequest {
            group_id: "ug".into(),
            channel_id: String::new(),
            uids: vec![m3.clone(), "unknown".into()],
        }),
    )
    .await;
    let Some(response::Body::UltragroupMessages(found)) = r.body else {
        panic!("{r:?}")
    };
    assert_eq!(found.messages.len(), 1);
    assert_eq!(found.messages[0].expansion, expected);
    server.shutdown().await;
}

/// History pages of a channel by sequence; a clear hides older messages from that user
/// only (history, changes, state).
#[tokio::test]
async fn history_pages_and_clear() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b"]).await;
    make_channel(&api, "ug", "news", None).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut times = Vec::new();
    for n in 1..=5 {
        let (code, _, t, seq) = send_ug(&mut a, ug_text("ug", "news", &format!("n{n}"))).await;
        assert_eq!((code, seq), (0, n));
        times.push(t);
    }
    let page = |sent_time: i64, order: u32, count: u32| {
        request::Body::History(rcim_proto::v1::HistoryRequest {
            conversation_type: 5,
            target_id: "ug".into(),
            channel_id: "news".into(),
            sent_time,
            order,
            count,
        })
    };
    let r = call(&mut b, "", page(0, 0, 2)).await;
    let Some(response::Body::History(p)) = r.body else {
        panic!("{r:?}")
    };
    let seqs: Vec<u64> = p.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!(
        (seqs, p.from_seq, p.to_seq, p.has_more),
        (vec![4, 5], 4, 5, true)
    );
    let r = call(&mut b, "", page(times[0], 1, 10)).await;
    let Some(response::Body::History(p)) = r.body else {
        panic!("{r:?}")
    };
    let seqs: Vec<u64> = p.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!(
        (seqs, p.from_seq, p.to_seq, p.has_more),
        (vec![2, 3, 4, 5], 2, 5, false)
    );
    assert_eq!(
        call(&mut b, "", page(0, 0, 0)).await.code,
        codes::PARAMETER_INVALID
    );
    let mut d = RawClient::connect(addr, "d", "d1").await;
    assert_eq!(
        call(&mut d, "", page(0, 0, 10)).await.code,
        codes::NOT_IN_ULTRA_GROUP
    );

    let clear = request::Body::UltragroupClear(ClearUltraGroupHistory {
        group_id: "ug".into(),
        channel_id: "news".into(),
        before_time: times[2],
    });
    assert_eq!(change(&mut b, clear).await.code, 0);
    let r = call(&mut b, "", page(0, 0, 10)).await;
    let Some(response::Body::History(p)) = r.body else {
        panic!("{r:?}")
    };
    let texts: Vec<String> = p.messages.iter().map(text_of).collect();
    assert_eq!(texts, ["n4", "n5"]);
    let (_, ch) = changes(&mut b, "ug", "news", 0, 100).await;
    assert_eq!(ch.messages.len(), 2);
    let s = state_of(&mut b, "ug", "news").await;
    assert_eq!((s.cleared_before, s.unread_count), (times[2], 2));
    // a still sees everything.
    let (_, ch) = changes(&mut a, "ug", "news", 0, 100).await;
    assert_eq!(ch.messages.len(), 5);
    server.shutdown().await;
}

/// Unread and mention counts stop at 1000; a read-status sync moves the read position to
/// the channel's newest message and tells the user's other devices.
#[tokio::test]
async fn unread_counts_are_capped_and_read_status_syncs() {
    let (_dir, server, api) = ug_server(|c| c.ultragroup.channel_rate_per_sec = 0).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mention = |text: &str| {
        let mut m = ug_text("ug", "", text);
        m.content = serde_json::json!({
            "content": text,
            "mentionedInfo": {"type": 2, "userIdList": ["b"]}
        })
        .to_string();
        m
    };
    for n in 0..3 {
        assert_eq!(send_ug(&mut a, mention(&format!("@b {n}"))).await.0, 0);
    }
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let s = state_of(&mut b, "ug", "RCDefault").await;
    assert_eq!((s.unread_count, s.unread_mention_count), (3, 3));
    // Counts stop at 1000 however many there are.
    for n in 0..1001 {
        let m = if n % 2 == 0 {
            mention("@b")
        } else {
            ug_text("ug", "", "x")
        };
        assert_eq!(send_ug(&mut a, m).await.0, 0);
    }
    let s = state_of(&mut b, "ug", "RCDefault").await;
    assert_eq!(
        (s.unread_count, s.unread_mention_count, s.head_seq),
        (1000, 504, 1004)
    );
    // The sender's own messages are not unread for them.
    assert_eq!(state_of(&mut a, "ug", "RCDefault").await.unread_count, 0);

    let mut b2 = RawClient::connect_web(addr, "b", "b2").await;
    let read = request::Body::ReadStatus(SyncReadStatus {
        conversation_type: 5,
        target_id: "ug".into(),
        channel_id: String::new(),
        timestamp: 0,
    });
    let before = now_ms();
    assert_eq!(change(&mut b, read).await.code, 0);
    let e = next_event(&mut b2).await;
    let Some(inbox_entry::Body::ReadStatus(rs)) = e.body else {
        panic!("{e:?}")
    };
    assert_eq!(
        (
            rs.conversation_type,
            rs.target_id.as_str(),
            rs.channel_id.as_str()
        ),
        (5, "ug", "RCDefault")
    );
    assert!(rs.timestamp >= before);
    let s = state_of(&mut b2, "ug", "RCDefault").await;
    assert_eq!(
        (s.unread_count, s.unread_mention_count, s.read_time),
        (0, 0, rs.timestamp)
    );
    say(&mut a, "ug", "", "new").await;
    assert_eq!(state_of(&mut b2, "ug", "RCDefault").await.unread_count, 1);
    server.shutdown().await;
}

/// Typing is gathered per group and sent as one batch to the channel's online readers;
/// a typer does not get their own event.
#[tokio::test]
async fn typing_comes_in_batches() {
    let (_dir, server, api) = ug_server(|c| {
        c.ultragroup.typing_batch = Duration::from_millis(300);
    })
    .await;
    make_group(&api, "ug", "a", &["b", "c"]).await;
    make_channel(&api, "ug", "staff", Some(&["a"])).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;
    assert_eq!(call(&mut a, "", ug_typing("")).await.code, 0);
    assert_eq!(call(&mut b, "", ug_typing("")).await.code, 0);
    assert_eq!(
        call(&mut b, "", ug_typing("staff")).await.code,
        codes::ULTRA_GROUP_USER_NOT_IN_PRIVATE_CHANNEL
    );
    let e = next_ug(&mut c).await;
    assert_eq!(e.channel_id, "RCDefault");
    let Some(ultra_group_event::Body::Typing(t)) = e.body else {
        panic!("{e:?}")
    };
    let users: Vec<&str> = t.events.iter().map(|e| e.user_id.as_str()).collect();
    assert_eq!(users, ["a", "b"]);
    assert!(t
        .events
        .iter()
        .all(|e| e.conversation_type == 5 && e.object_name == "RC:TxtMsg"));
    // The same frame reaches the typers (a client drops its own event).
    let e = next_ug(&mut a).await;
    let Some(ultra_group_event::Body::Typing(t)) = e.body else {
        panic!("{e:?}")
    };
    let users: Vec<&str> = t.events.iter().map(|e| e.user_id.as_str()).collect();
    assert_eq!(users, ["a", "b"]);
    // One batch: nothing more follows.
    assert!(try_next_ug(&mut c, QUIET).await.is_none());
    server.shutdown().await;
}

/// Default levels of the group and of a channel: set by members, read back, in the states.
#[tokio::test]
async fn default_levels() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b"]).await;
    make_channel(&api, "ug", "news", None).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let set = |channel: &str, level: u32| {
        request::Body::UltragroupSetLevel(ChangeUltraGroupDefaultLevel {
            group_id: "ug".into(),
            channel_id: channel.into(),
            level,
        })
    };
    let get = |channel: &str| {
        request::Body::UltragroupLevel(UltraGroupDefaultLevelRequest {
            group_id: "ug".into(),
            channel_id: channel.into(),
        })
    };
    let level = |r: rcim_proto::v1::Response| match r.body {
        Some(response::Body::UltragroupLevel(l)) => (r.code, l.level),
        _ => (r.code, 99),
    };
    assert_eq!(change(&mut a, set("", 5)).await.code, 0);
    assert_eq!(change(&mut a, set("news", 0)).await.code, 0);
    assert_eq!(
        change(&mut a, set("news", 6)).await.code,
        codes::PARAMETER_INVALID
    );
    assert_eq!(
        change(&mut a, set("gone", 2)).await.code,
        codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST
    );
    assert_eq!(level(call(&mut a, "", get("")).await), (0, 5));
    assert_eq!(level(call(&mut a, "", get("news")).await), (0, 0));
    let mut d = RawClient::connect(addr, "d", "d1").await;
    assert_eq!(
        level(call(&mut d, "", get("")).await).0,
        codes::NOT_IN_ULTRA_GROUP
    );
    assert_eq!(
        change(&mut d, set("", 1)).await.code,
        codes::NOT_IN_ULTRA_GROUP
    );
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let s = state_of(&mut b, "ug", "news").await;
    assert_eq!((s.group_default_level, s.channel_default_level), (5, 0));
    server.shutdown().await;
}

/// Messages older than the retention are pruned; sequences go on after them.
#[tokio::test]
async fn retention_prunes_old_messages() {
    let (_dir, server, api) = ug_server(|c| c.ultragroup.retention_days = 7).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    say(&mut a, "ug", "", "old").await;
    server
        .prune_as_of(now_ms() + 7 * 86_400_000 + 1_000)
        .await
        .unwrap();
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let (_, page) = changes(&mut b, "ug", "", 0, 100).await;
    assert!(page.messages.is_empty());
    assert_eq!(page.head_seq, 1);
    let (_, _, _, seq) = send_ug(&mut a, ug_text("ug", "", "new")).await;
    assert_eq!(seq, 2);
    let s = state_of(&mut b, "ug", "RCDefault").await;
    assert_eq!((s.unread_count, s.head_seq), (1, 2));
    server.shutdown().await;
}

/// A channel accepts `--ultragroup-channel-rate` client messages per second (24415
/// beyond); refused sends of users who may not send there do not use the rate up.
#[tokio::test]
async fn channel_rate_is_per_channel() {
    let (_dir, server, api) = ug_server(|c| c.ultragroup.channel_rate_per_sec = 3).await;
    make_group(&api, "ug", "a", &["b"]).await;
    make_channel(&api, "ug", "news", None).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut d = RawClient::connect(addr, "d", "d1").await;
    for _ in 0..5 {
        let refused = send_ug(&mut d, ug_text("ug", "", "x")).await.0;
        assert_eq!(refused, codes::NOT_IN_ULTRA_GROUP);
    }
    let mut got = Vec::new();
    for n in 0..4 {
        let c = if n % 2 == 0 { &mut a } else { &mut b };
        got.push(send_ug(c, ug_text("ug", "", "m")).await.0);
    }
    let limit = codes::ULTRA_GROUP_CHANNEL_MESSAGE_EXCEED_LIMIT;
    assert_eq!(got, [0, 0, 0, limit]);
    // Another channel has its own rate.
    assert_eq!(send_ug(&mut a, ug_text("ug", "news", "m")).await.0, 0);
    server.shutdown().await;
}
