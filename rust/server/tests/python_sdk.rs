//! RongCloud's Python server SDK (`rc-server-sdk` 3.2.0, unchanged) drives the moderation and
//! blacklist endpoints of a running server: `tests/python/server_api.py` makes the calls in
//! phases and prints the SDK's answers; this test checks them and what clients observe.
//!
//! Without the SDK's virtualenv the test is skipped outside CI (see [`python_common`]).

mod common;
mod python_common;

use common::*;
use python_common::SdkScript;
use rcim_proto::v1::{inbox_entry, server_frame};
use rcim_proto::{codes, conversation_type};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

/// Asserts that every step answered `{"code": 200, ...}`.
fn all_ok(phase: &str, steps: &HashMap<String, Value>) {
    for (name, result) in steps {
        assert_eq!(result["code"], 200, "{phase}/{name}: {result}");
    }
}

fn words(v: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = v["words"]
        .as_array()
        .expect("words")
        .iter()
        .map(|w| {
            (
                w["type"].as_str().unwrap().to_owned(),
                w["word"].as_str().unwrap().to_owned(),
                w["replaceWord"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn user_ids(v: &Value) -> Vec<String> {
    v["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["userId"].as_str().unwrap().to_owned())
        .collect()
}

fn w(t: &str, word: &str, r: &str) -> (String, String, String) {
    (t.into(), word.into(), r.into())
}

fn text_of(m: &rcim_proto::v1::Message) -> String {
    let v: Value = serde_json::from_str(&m.content).unwrap();
    v["content"].as_str().unwrap().to_owned()
}

/// Pushed messages within a short while.
async fn pushed_texts(c: &mut RawClient) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(f) = c.try_recv(Duration::from_millis(400)).await {
        if let Some(server_frame::Body::Push(p)) = f.body {
            if let Some(inbox_entry::Body::Message(m)) = p.entry.and_then(|e| e.body) {
                out.push(text_of(&m));
            }
        }
    }
    out
}

#[tokio::test]
async fn python_sdk_drives_sensitive_words_bans_gags_and_directed_publish() {
    init_tracing();
    let Some(sdk) = SdkScript::find("server_api.py") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let api = Api::new(&server);
    api.create_group("g", "G", &["alice", "bob", "carol", "muted", "quiet"])
        .await;
    let mut alice = RawClient::connect(addr, "alice", "a1").await;
    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    let mut carol = RawClient::connect(addr, "carol", "c1").await;
    let mut banned = RawClient::connect(addr, "banned", "x1").await;
    let mut muted = RawClient::connect(addr, "muted", "m1").await;

    let steps = sdk.run_phase(&server, "apply").await;
    all_ok("apply", &steps);
    assert_eq!(
        words(&steps["words_all"]),
        [
            w("0", "darn", "d**n"),
            w("0", "坏蛋", "**"),
            w("1", "forbidden", ""),
            w("1", "tmp1", ""),
            w("1", "tmp2", ""),
        ]
    );
    assert_eq!(words(&steps["words_replace"]).len(), 2);
    assert_eq!(words(&steps["words_block"]).len(), 3);
    assert_eq!(user_ids(&steps["block_query"]), ["banned"]);
    assert_eq!(
        steps["block_query"]["users"][0]["blockEndTime"]
            .as_str()
            .unwrap()
            .len(),
        19
    );
    assert_eq!(user_ids(&steps["gag_list"]), ["muted", "quiet"]);
    assert_eq!(steps["gag_list"]["users"][1]["time"], "9999-12-31 23:59:59");
    assert!(steps["directed"]["messageUID"].is_string());

    // The directed publish reached bob only; the group one everyone.
    assert_eq!(pushed_texts(&mut bob).await, ["for bob", "for all"]);
    assert_eq!(pushed_texts(&mut carol).await, ["for all"]);
    // The banned user was kicked and cannot come back; the gagged member cannot send.
    let kicked = loop {
        match banned.recv().await.map(|f| f.body) {
            Some(Some(server_frame::Body::Kicked(k))) => break k,
            Some(_) => continue,
            None => panic!("closed without Kicked"),
        }
    };
    assert_eq!(kicked.code, codes::CONN_USER_BLOCKED);
    let (_, ack) = RawClient::login(addr, Login::new("banned", "x1")).await;
    assert_eq!(ack.code, codes::CONN_USER_BLOCKED);
    let mut gagged = RawClient::text("m1", "g", "let me talk");
    gagged.conversation_type = conversation_type::GROUP;
    let seq = muted.send(send_body(gagged)).await;
    assert_eq!(muted.wait_ack(seq).await.code, 22408);
    // The words apply to client text: replaced, or blocked (reaches nobody).
    let ack = alice.send_text("t1", "bob", "darn, 坏蛋").await;
    assert_eq!(ack.code, 0);
    let ack = alice.send_text("t2", "bob", "FORBIDDEN").await;
    assert_eq!(ack.code, 0);
    assert_eq!(pushed_texts(&mut bob).await, ["d**n, **"]);

    let steps = sdk.run_phase(&server, "lift").await;
    all_ok("lift", &steps);
    assert_eq!(
        words(&steps["words_all"]),
        [w("0", "坏蛋", "**"), w("1", "forbidden", "")]
    );
    assert!(user_ids(&steps["block_query"]).is_empty());
    assert!(user_ids(&steps["gag_list"]).is_empty());
    RawClient::connect(addr, "banned", "x1").await;
    let mut talk = RawClient::text("m2", "g", "darn, back");
    talk.conversation_type = conversation_type::GROUP;
    let seq = muted.send(send_body(talk)).await;
    assert_eq!(muted.wait_ack(seq).await.code, 0);
    assert_eq!(pushed_texts(&mut carol).await, ["darn, back"]);
    server.shutdown().await;
}

/// The blacklist endpoints (`/user/blacklist/add|remove|query.json`) belong to the user
/// settings store; this test drives them with the same SDK.
#[tokio::test]
async fn python_sdk_drives_the_blacklist() {
    init_tracing();
    let Some(sdk) = SdkScript::find("server_api.py") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let steps = sdk.run_phase(&server, "blacklist").await;
    all_ok("blacklist", &steps);
    let listed = |v: &Value| {
        let mut ids: Vec<String> = v["users"]
            .as_array()
            .expect("users")
            .iter()
            .map(|u| u.as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(listed(&steps["blacklist_query"]), ["bob", "carol"]);
    assert_eq!(listed(&steps["blacklist_query_after"]), ["bob"]);
    // Enforced: bob is still on alice's blacklist (405), carol no longer is.
    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    assert_eq!(
        bob.send_text("x1", "alice", "hi").await.code,
        codes::REJECTED_BY_BLACKLIST
    );
    let mut carol = RawClient::connect(addr, "carol", "c1").await;
    assert_eq!(carol.send_text("x2", "alice", "hi").await.code, 0);
    server.shutdown().await;
}
