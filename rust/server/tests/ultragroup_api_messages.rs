//! Ultra-group messages through the Server API, as connected members observe them: publish
//! (JSON body, channels, private channels, directed, mutes), recall (`conversationType` 10),
//! modify, expansion and `msg/get.json`; and the resync events of directory changes.

mod common;
mod ultragroup_common;

use common::*;
use rcim_proto::codes;
use rcim_proto::v1::{server_frame, ultra_group_event, UltraGroupEvent};
use serde_json::{json, Value};
use std::time::Duration;
use ultragroup_common::make_named_group;

/// Publishes `text` into `channel` of `group` from `from`: the message UID, or the code.
async fn publish(
    api: &Api,
    from: &str,
    group: &str,
    channel: &str,
    text: &str,
) -> Result<String, u64> {
    publish_body(
        api,
        json!({
            "fromUserId": from,
            "toGroupIds": [group],
            "busChannel": channel,
            "objectName": "RC:TxtMsg",
            "content": json!({"content": text}).to_string(),
            "expansion": true,
        }),
    )
    .await
}

async fn publish_body(api: &Api, body: Value) -> Result<String, u64> {
    let (_, r) = call_json(api, "/message/ultragroup/publish.json", &body).await;
    match r["code"].as_u64() {
        Some(200) => Ok(r["messageUID"].as_str().expect("messageUID").to_owned()),
        Some(code) => Err(code),
        None => panic!("no code: {r}"),
    }
}

/// A form call expected to fail: its code.
async fn code_of(api: &Api, path: &str, params: &[(&str, &str)]) -> u64 {
    let (_, body) = api.call_with(path, params, APP_KEY, APP_SECRET, "").await;
    body["code"].as_u64().expect("a code")
}

/// The ultra-group events `c` gets within a short while.
async fn events(c: &mut RawClient) -> Vec<UltraGroupEvent> {
    let mut out = Vec::new();
    while let Some(f) = c.try_recv(Duration::from_millis(400)).await {
        if let Some(server_frame::Body::Ultragroup(e)) = f.body {
            out.push(e);
        }
    }
    out
}

/// (channel, text) of the new messages among `events`.
fn texts(events: &[UltraGroupEvent]) -> Vec<(String, String)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            Some(ultra_group_event::Body::Message(m)) => {
                let v: Value = serde_json::from_str(&m.content).unwrap();
                Some((
                    m.channel_id.clone(),
                    v["content"].as_str().unwrap().to_owned(),
                ))
            }
            _ => None,
        })
        .collect()
}

fn resyncs(events: &[UltraGroupEvent]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e.body, Some(ultra_group_event::Body::Resync(true))))
        .count()
}

/// A modify of `uid` to "edited" by `from`: its code.
async fn modify(api: &Api, from: &str, uid: String) -> u64 {
    let content = json!({"content": "edited"}).to_string();
    let params = [
        ("groupId", "ug"),
        ("fromUserId", from),
        ("msgUID", uid.as_str()),
        ("content", content.as_str()),
    ];
    code_of(api, "/ultragroup/msg/modify.json", &params).await
}

/// A recall (`isDelete` 1) of `uid` by `from`: its code.
async fn recall(api: &Api, from: &str, uid: String, admin: &str) -> u64 {
    let params = [
        ("fromUserId", from),
        ("conversationType", "10"),
        ("targetId", "ug"),
        ("messageUID", uid.as_str()),
        ("isAdmin", admin),
        ("isDelete", "1"),
    ];
    code_of(api, "/message/recall.json", &params).await
}

fn pair(channel: &str, text: &str) -> (String, String) {
    (channel.to_owned(), text.to_owned())
}

/// Group "ug" created by "a" with members "b" and "c", and a private channel "p" listing a
/// and b.
async fn setup(api: &Api) {
    make_named_group(api, "ug", "G", "a", &["b", "c"]).await;
    api.call(
        "/ultragroup/channel/create.json",
        &[("groupId", "ug"), ("busChannel", "p"), ("type", "1")],
    )
    .await;
    api.call(
        "/ultragroup/channel/private/users/add.json",
        &[("groupId", "ug"), ("busChannel", "p"), ("userIds", "a,b")],
    )
    .await;
}

#[tokio::test]
async fn publishes_reach_the_readers_online() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    setup(&api).await;
    let addr = server.gateway_addr();
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;
    let mut outsider = RawClient::connect(addr, "x", "x1").await;
    publish(&api, "a", "ug", "", "hello").await.unwrap();
    publish(&api, "a", "ug", "p", "secret").await.unwrap();
    assert_eq!(
        texts(&events(&mut b).await),
        [pair("RCDefault", "hello"), pair("p", "secret")]
    );
    assert_eq!(
        texts(&events(&mut c).await),
        [pair("RCDefault", "hello")],
        "a member not listed in the private channel gets nothing of it"
    );
    assert!(events(&mut outsider).await.is_empty());
    // Directed: only the listed member (and the sender) see it.
    let directed = json!({
        "fromUserId": "a",
        "toGroupIds": ["ug"],
        "toUserIds": ["c"],
        "objectName": "RC:TxtMsg",
        "content": json!({"content": "just c"}).to_string(),
    });
    publish_body(&api, directed).await.unwrap();
    assert_eq!(texts(&events(&mut c).await), [pair("RCDefault", "just c")]);
    assert!(texts(&events(&mut b).await).is_empty());
    // Who may publish: members who can read and are not muted.
    let code = |c: u32| Err(u64::from(c));
    assert_eq!(
        publish(&api, "x", "ug", "", "no").await,
        code(codes::NOT_IN_ULTRA_GROUP)
    );
    assert_eq!(
        publish(&api, "c", "ug", "p", "no").await,
        code(codes::ULTRA_GROUP_USER_NOT_IN_PRIVATE_CHANNEL)
    );
    assert_eq!(
        publish(&api, "a", "ug", "zz", "no").await,
        code(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)
    );
    assert_eq!(
        publish(&api, "a", "nope", "", "no").await,
        code(codes::ULTRA_GROUP_NOT_EXIST)
    );
    api.call(
        "/ultragroup/userbanned/add.json",
        &[("groupId", "ug"), ("userIds", "c")],
    )
    .await;
    assert_eq!(
        publish(&api, "c", "ug", "", "no").await,
        code(codes::FORBIDDEN_IN_ULTRA_GROUP)
    );
    api.call(
        "/ultragroup/globalbanned/set.json",
        &[("groupId", "ug"), ("status", "true")],
    )
    .await;
    assert_eq!(
        publish(&api, "b", "ug", "", "no").await,
        code(codes::FORBIDDEN_IN_ULTRA_GROUP)
    );
    api.call(
        "/ultragroup/banned/whitelist/add.json",
        &[("groupId", "ug"), ("userIds", "b")],
    )
    .await;
    publish(&api, "b", "ug", "", "allowed").await.unwrap();
    assert_eq!(texts(&events(&mut c).await), [pair("RCDefault", "allowed")]);
    // The sender's connections get its Server API publish too.
    assert_eq!(texts(&events(&mut b).await), [pair("RCDefault", "allowed")]);
    // Parameters.
    for body in [
        json!({"fromUserId": "a", "objectName": "RC:TxtMsg", "content": "{}"}),
        json!({"fromUserId": "a", "toGroupIds": ["ug", "g2", "g3", "g4"], "objectName": "RC:TxtMsg", "content": "{}"}),
        json!({"fromUserId": "a", "toGroupIds": ["ug"], "busChannel": "bad channel", "objectName": "RC:TxtMsg", "content": "{}"}),
        json!({"toGroupIds": ["ug"], "objectName": "RC:TxtMsg", "content": "{}"}),
    ] {
        assert_eq!(publish_body(&api, body.clone()).await, Err(1002), "{body}");
    }
    assert!(events(&mut b)
        .await
        .iter()
        .all(|e| !matches!(e.body, Some(ultra_group_event::Body::Message(_)))));
    server.shutdown().await;
}

#[tokio::test]
async fn recall_modify_and_expansion() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    setup(&api).await;
    let mut b = RawClient::connect(server.gateway_addr(), "b", "b1").await;
    let uid = publish(&api, "a", "ug", "", "first").await.unwrap();
    let other = publish(&api, "a", "ug", "", "second").await.unwrap();
    events(&mut b).await;
    let changes = |events: Vec<UltraGroupEvent>| -> Vec<(u32, String, String)> {
        events
            .into_iter()
            .filter_map(|e| match e.body {
                Some(ultra_group_event::Body::Changed(c)) => {
                    let m = c.message.unwrap();
                    Some((c.kind, m.uid, m.content))
                }
                _ => None,
            })
            .collect()
    };
    // Modify: only the sender.
    assert_eq!(
        modify(&api, "b", uid.clone()).await,
        u64::from(codes::INVALID_MESSAGE_UID)
    );
    assert_eq!(modify(&api, "a", uid.clone()).await, 200);
    let seen = changes(events(&mut b).await);
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].0, seen[0].1.as_str()), (1, uid.as_str()));
    assert!(seen[0].2.contains("edited"));
    // Expansion: any member who can read the channel.
    let set = [
        ("groupId", "ug"),
        ("msgUID", uid.as_str()),
        ("userId", "c"),
        ("extraKeyVal", r#"{"k1":"v1","k2":"v2"}"#),
    ];
    api.call("/ultragroup/message/expansion/set.json", &set)
        .await;
    let del = [
        ("groupId", "ug"),
        ("msgUID", uid.as_str()),
        ("userId", "c"),
        ("extraKey", r#"["k1"]"#),
    ];
    api.call("/ultragroup/message/expansion/delete.json", &del)
        .await;
    let seen = changes(events(&mut b).await);
    assert_eq!(seen.iter().map(|c| c.0).collect::<Vec<_>>(), [3, 3]);
    let q = api
        .call(
            "/ultragroup/message/expansion/query.json",
            &[("groupId", "ug"), ("msgUID", uid.as_str())],
        )
        .await;
    let keys: Vec<&String> = q["extraContent"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["k2"]);
    assert_eq!(q["extraContent"]["k2"]["v"], "v2");
    let outsider = [
        ("groupId", "ug"),
        ("msgUID", uid.as_str()),
        ("userId", "x"),
        ("extraKeyVal", r#"{"k":"v"}"#),
    ];
    assert_eq!(
        code_of(&api, "/ultragroup/message/expansion/set.json", &outsider).await,
        u64::from(codes::NOT_IN_ULTRA_GROUP)
    );
    // msg/get: as they are now, in the order asked; unknown ones left out.
    let msgs =
        json!([{"msgUID": other}, {"msgUID": "nope"}, {"msgUID": uid, "busChannel": "RCDefault"}])
            .to_string();
    let got = api
        .call(
            "/ultragroup/msg/get.json",
            &[("groupId", "ug"), ("msgs", &msgs)],
        )
        .await;
    let data = got["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(
        (data[0]["msgUID"].as_str(), data[0]["fromUserId"].as_str()),
        (Some(other.as_str()), Some("a"))
    );
    assert!(data[1]["content"].as_str().unwrap().contains("edited"));
    assert_eq!(data[1]["busChannel"], "RCDefault");
    // Recall with conversationType 10: the sender, or anyone with isAdmin; isDelete says so.
    assert_eq!(
        recall(&api, "b", uid.clone(), "0").await,
        u64::from(codes::INVALID_MESSAGE_UID)
    );
    assert_eq!(recall(&api, "admin", uid.clone(), "1").await, 200);
    let seen = changes(events(&mut b).await);
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].0, seen[0].1.as_str()), (2, uid.as_str()));
    let content: Value = serde_json::from_str(&seen[0].2).unwrap();
    assert_eq!(content["isDelete"], true, "{content}");
    assert_eq!(recall(&api, "a", other.clone(), "0").await, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn directory_changes_tell_connected_members_to_resync() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    setup(&api).await;
    let addr = server.gateway_addr();
    let mut c = RawClient::connect(addr, "c", "c1").await;
    let mut d = RawClient::connect(addr, "d", "d1").await;
    // Joining: the new member.
    api.call(
        "/ultragroup/join.json",
        &[("userId", "d"), ("groupId", "ug")],
    )
    .await;
    assert_eq!(resyncs(&events(&mut d).await), 1);
    assert_eq!(resyncs(&events(&mut c).await), 0);
    // Listed in a private channel: that member, who then gets its messages.
    api.call(
        "/ultragroup/channel/private/users/add.json",
        &[("groupId", "ug"), ("busChannel", "p"), ("userIds", "c")],
    )
    .await;
    assert_eq!(resyncs(&events(&mut c).await), 1);
    assert_eq!(resyncs(&events(&mut d).await), 0);
    publish(&api, "a", "ug", "p", "now you see it")
        .await
        .unwrap();
    assert_eq!(texts(&events(&mut c).await), [pair("p", "now you see it")]);
    // A public channel: every member online.
    api.call(
        "/ultragroup/channel/create.json",
        &[("groupId", "ug"), ("busChannel", "news")],
    )
    .await;
    assert_eq!(resyncs(&events(&mut c).await), 1);
    assert_eq!(resyncs(&events(&mut d).await), 1);
    // Quitting, then dismissing.
    api.call(
        "/ultragroup/quit.json",
        &[("userId", "d"), ("groupId", "ug")],
    )
    .await;
    assert_eq!(resyncs(&events(&mut d).await), 1);
    publish(&api, "a", "ug", "", "after d left").await.unwrap();
    assert!(texts(&events(&mut d).await).is_empty());
    api.call("/ultragroup/dis.json", &[("groupId", "ug")]).await;
    let last = events(&mut c).await;
    assert_eq!(texts(&last), [pair("RCDefault", "after d left")]);
    assert_eq!(resyncs(&last), 1, "the dismissal");
    server.shutdown().await;
}

#[tokio::test]
async fn history_of_a_channel_in_a_time_window() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    setup(&api).await;
    let before = now_ms() - 1;
    for (from, text) in [("a", "one"), ("b", "two"), ("a", "three")] {
        publish(&api, from, "ug", "", text).await.unwrap();
    }
    publish(&api, "a", "ug", "p", "elsewhere").await.unwrap();
    let after = now_ms() + 1;
    let (start, end) = (before.to_string(), after.to_string());
    let query = |extra: Vec<(&'static str, String)>| {
        let mut params = vec![
            ("groupId", "ug".to_owned()),
            ("startTime", start.clone()),
            ("endTime", end.clone()),
        ];
        params.extend(extra);
        params
    };
    let texts_of = |r: &Value| -> Vec<String> {
        r["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let c: Value = serde_json::from_str(m["content"].as_str().unwrap()).unwrap();
                c["content"].as_str().unwrap().to_owned()
            })
            .collect()
    };
    let call = |params: Vec<(&'static str, String)>| {
        let api = &api;
        async move {
            let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (_, body) = api
                .call_with(
                    "/ultragroup/hismsg/query.json",
                    &params,
                    APP_KEY,
                    APP_SECRET,
                    "",
                )
                .await;
            body
        }
    };
    let all = call(query(vec![])).await;
    assert_eq!(texts_of(&all), ["one", "two", "three"]);
    let first = &all["data"][0];
    assert_eq!(
        (
            first["busChannel"].as_str(),
            first["fromUserId"].as_str(),
            first["conversionType"].as_u64()
        ),
        (Some("RCDefault"), Some("a"), Some(10))
    );
    assert!(first["msgTime"].as_i64().unwrap() > before);
    let by_a = call(query(vec![("fromUserId", "a".into())])).await;
    assert_eq!(texts_of(&by_a), ["one", "three"]);
    let page = call(query(vec![("pageSize", "2".into())])).await;
    assert_eq!(texts_of(&page), ["one", "two"]);
    let private = call(query(vec![("busChannel", "p".into())])).await;
    assert_eq!(texts_of(&private), ["elsewhere"]);
    // Window: startTime excluded, endTime included.
    let t2 = all["data"][1]["msgTime"].as_i64().unwrap().to_string();
    let t1 = all["data"][0]["msgTime"].as_i64().unwrap().to_string();
    let params = vec![
        ("groupId", "ug".to_owned()),
        ("startTime", t1),
        ("endTime", t2),
    ];
    assert_eq!(texts_of(&call(params).await), ["two"]);
    let missing = call(query(vec![("busChannel", "zz".into())])).await;
    assert_eq!(missing["code"], codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST);
    let too_long = vec![
        ("groupId", "ug".to_owned()),
        ("startTime", "0".to_owned()),
        ("endTime", end.clone()),
    ];
    assert_eq!(call(too_long).await["code"], 1002);
    server.shutdown().await;
}
