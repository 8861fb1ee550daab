//! Ultra-group delivery details over the client protocol: the answers carry the
//! `change_seq` of what they did, online readers who may not see a directed message (or a
//! change to one) get a `skipped_seq` tick instead, modified content is screened like a send,
//! typing comes as one frame per channel, and a directory change asks for one group's states.

mod common;
mod ultragroup_common;

use common::*;
use rcim_proto::v1::{
    request, response, ultra_group_event, ModifyUltraGroupMessage, RecallUltraGroupMessage,
    Response, SendMessage, UltraGroupEvent, UltraGroupExpansionUpdate, UltraGroupSyncRequest,
};
use std::collections::HashMap;
use std::time::Duration;
use ultragroup_common::*;

const QUIET: Duration = Duration::from_millis(300);

/// Sends `m`: the code and the answer's `change_seq`.
async fn send_seq(c: &mut RawClient, m: SendMessage) -> (u32, u64, String) {
    let r = call(c, &fresh_request_id(), request::Body::SendMessage(m)).await;
    match r.body {
        Some(response::Body::SendMessage(s)) => (r.code, s.change_seq, s.uid),
        _ => (r.code, 0, String::new()),
    }
}

/// The `change_seq` of a modify / expansion answer.
fn change_seq_of(r: &Response) -> u64 {
    match &r.body {
        Some(response::Body::UltragroupChange(c)) => c.change_seq,
        _ => panic!("no change result in {r:?}"),
    }
}

fn modify(uid: &str, text: &str) -> request::Body {
    request::Body::UltragroupModify(ModifyUltraGroupMessage {
        group_id: "ug".into(),
        channel_id: String::new(),
        uid: uid.into(),
        object_name: "RC:TxtMsg".into(),
        content: serde_json::json!({ "content": text }).to_string(),
    })
}

/// The body of the next event that is not typing.
async fn next_body(c: &mut RawClient) -> ultra_group_event::Body {
    let e: UltraGroupEvent = next_ug(c).await;
    e.body.expect("an event body")
}

/// Every answer says which `change_seq` it took, so the acting device (which gets no event
/// of its own act) can advance its cursor; online readers outside a directed message's
/// audience get a tick with its `change_seq`, for the message and for changes to it.
#[tokio::test]
async fn answers_carry_change_seq_and_others_get_ticks() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "ug", "a", &["b", "c"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;

    let (code, seq, _) = send_seq(&mut a, ug_text("ug", "", "one")).await;
    assert_eq!((code, seq), (0, 1));
    for r in [&mut b, &mut c] {
        assert_eq!(next_ug_message(r).await.change_seq, 1);
    }
    let mut directed = ug_text("ug", "", "for b");
    directed.directed_user_ids = vec!["b".into()];
    directed.can_expand = true;
    let (code, seq, uid) = send_seq(&mut a, directed).await;
    assert_eq!((code, seq), (0, 2));
    let m = next_ug_message(&mut b).await;
    assert_eq!((text_of(&m).as_str(), m.change_seq), ("for b", 2));
    assert_eq!(
        next_body(&mut c).await,
        ultra_group_event::Body::SkippedSeq(2)
    );

    // A change to the directed message: b sees it, c gets the tick.
    let r = change(&mut a, modify(&uid, "for b, edited")).await;
    assert_eq!((r.code, change_seq_of(&r)), (0, 3));
    let ultra_group_event::Body::Changed(ch) = next_body(&mut b).await else {
        panic!("a change")
    };
    assert_eq!(ch.message.unwrap().change_seq, 3);
    assert_eq!(
        next_body(&mut c).await,
        ultra_group_event::Body::SkippedSeq(3)
    );
    let expand = request::Body::UltragroupExpansion(UltraGroupExpansionUpdate {
        group_id: "ug".into(),
        channel_id: String::new(),
        uid: uid.clone(),
        set: HashMap::from([("k".to_owned(), "v".to_owned())]),
        remove: Vec::new(),
    });
    let r = change(&mut b, expand).await;
    assert_eq!((r.code, change_seq_of(&r)), (0, 4));
    assert_eq!(
        next_body(&mut c).await,
        ultra_group_event::Body::SkippedSeq(4)
    );
    let recall = request::Body::UltragroupRecall(RecallUltraGroupMessage {
        group_id: "ug".into(),
        channel_id: String::new(),
        uid,
        delete_remote: false,
    });
    let r = change(&mut a, recall).await;
    let Some(response::Body::RecallMessage(rr)) = &r.body else {
        panic!("{r:?}")
    };
    assert_eq!((r.code, rr.change_seq), (0, 5));
    assert!(rr.recall_time > 0);
    assert_eq!(
        next_body(&mut c).await,
        ultra_group_event::Body::SkippedSeq(5)
    );
    // The acting connection got no event at all.
    assert!(try_next_ug(&mut a, QUIET).await.is_none());
    server.shutdown().await;
}

/// A modify is screened like a send: a replaced word is replaced in what is stored and
/// delivered; a blocked edit is answered like an applied one (`change_seq` 0) and changes
/// nothing.
#[tokio::test]
async fn modified_content_is_screened() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    add_bad_and_rude(&api).await;
    make_group(&api, "ug", "a", &["b"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let uid = say(&mut a, "ug", "", "hello").await;
    next_ug_message(&mut b).await;

    let r = change(&mut a, modify(&uid, "a bad word")).await;
    assert_eq!((r.code, change_seq_of(&r)), (0, 0));
    assert!(
        try_next_ug(&mut b, QUIET).await.is_none(),
        "a blocked edit reaches nobody"
    );
    let (_, page) = changes(&mut b, "ug", "", 0, 100).await;
    assert_eq!(text_of(&page.messages[0]), "hello");
    assert!(!page.messages[0].modified);

    let r = change(&mut a, modify(&uid, "so rude")).await;
    assert_eq!((r.code, change_seq_of(&r)), (0, 2));
    let ultra_group_event::Body::Changed(ch) = next_body(&mut b).await else {
        panic!("a change")
    };
    assert_eq!(text_of(&ch.message.unwrap()), "so ***");
    let (_, page) = changes(&mut b, "ug", "", 0, 100).await;
    assert_eq!(text_of(&page.messages[0]), "so ***");
    server.shutdown().await;
}

/// Typing comes as one frame per channel to every online reader, the typers' own events
/// included (a client drops its own).
#[tokio::test]
async fn typing_is_one_frame_per_channel() {
    let (_dir, server, api) = ug_server(|c| {
        c.ultragroup.typing_batch = Duration::from_millis(300);
    })
    .await;
    make_group(&api, "ug", "a", &["b", "c"]).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    let mut b = RawClient::connect(addr, "b", "b1").await;
    let mut c = RawClient::connect(addr, "c", "c1").await;
    let typing = ug_typing("");
    assert_eq!(call(&mut a, "", typing.clone()).await.code, 0);
    assert_eq!(call(&mut b, "", typing).await.code, 0);
    for r in [&mut a, &mut b, &mut c] {
        let ultra_group_event::Body::Typing(t) = next_body(r).await else {
            panic!("typing")
        };
        let users: Vec<&str> = t.events.iter().map(|e| e.user_id.as_str()).collect();
        assert_eq!(users, ["a", "b"]);
        assert!(try_next_ug(r, QUIET).await.is_none(), "one frame");
    }
    server.shutdown().await;
}

/// A directory change tells the online members which group changed, and the states can be
/// read for that group only.
#[tokio::test]
async fn resync_names_its_group() {
    let (_dir, server, api) = ug_server(|_| {}).await;
    make_group(&api, "g1", "a", &[]).await;
    make_group(&api, "g2", "a", &[]).await;
    make_channel(&api, "g2", "news", None).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "a1").await;
    make_channel(&api, "g1", "talk", None).await;
    let e = next_ug(&mut a).await;
    assert_eq!(
        (e.group_id.as_str(), e.body),
        ("g1", Some(ultra_group_event::Body::Resync(true)))
    );
    let body = request::Body::UltragroupSync(UltraGroupSyncRequest {
        after_group_id: String::new(),
        after_channel_id: String::new(),
        only_group_id: "g1".into(),
    });
    let r = call(&mut a, "", body).await;
    let Some(response::Body::UltragroupStates(page)) = r.body else {
        panic!("{r:?}")
    };
    let got: Vec<(&str, &str)> = page
        .channels
        .iter()
        .map(|s| (s.group_id.as_str(), s.channel_id.as_str()))
        .collect();
    assert_eq!(got, [("g1", "RCDefault"), ("g1", "talk")]);
    assert!(!page.more);
    assert_eq!(
        states(&mut a).await.len(),
        4,
        "all groups without the filter"
    );
    server.shutdown().await;
}
