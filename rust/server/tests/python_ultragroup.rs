//! RongCloud's Python server SDK (`rc-server-sdk` 3.2.0, unchanged) drives the ultra-group
//! endpoints of a running server: `tests/python/ultragroup_api.py` creates a group, a public
//! and a private channel, adds members (join, then the private channel's list), publishes into
//! both channels, mutes, sets a default level and dismisses the group, in phases. The SDK has
//! no ultra-group module: the script sends these calls through the SDK's own signed request
//! layer (`Module._http_post`). This test checks the answers and what raw protocol members
//! observe: a listed member gets the private channel's message, a member not listed does not.
//!
//! Without the SDK's virtualenv the test is skipped outside CI (see [`python_common`]).

mod common;
mod python_common;

use common::*;
use python_common::{ok, SdkScript};
use rcim_proto::codes;
use rcim_proto::v1::{server_frame, ultra_group_event, UltraGroupEvent};
use serde_json::Value;
use std::time::Duration;

/// The ultra-group events `c` gets within a short while.
async fn events(c: &mut RawClient) -> Vec<UltraGroupEvent> {
    let mut out = Vec::new();
    while let Some(f) = c.try_recv(Duration::from_millis(500)).await {
        if let Some(server_frame::Body::Ultragroup(e)) = f.body {
            out.push(e);
        }
    }
    out
}

/// (channel, sender, text) of the new messages among `events`.
fn texts(events: &[UltraGroupEvent]) -> Vec<(String, String, String)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            Some(ultra_group_event::Body::Message(m)) => {
                let v: Value = serde_json::from_str(&m.content).ok()?;
                Some((
                    m.channel_id.clone(),
                    m.sender_id.clone(),
                    v["content"].as_str()?.to_owned(),
                ))
            }
            _ => None,
        })
        .collect()
}

fn seen(channel: &str, text: &str) -> (String, String, String) {
    (channel.to_owned(), "alice".to_owned(), text.to_owned())
}

#[tokio::test]
async fn python_sdk_creates_channels_lists_members_and_publishes() {
    init_tracing();
    let Some(sdk) = SdkScript::find("ultragroup_api.py") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();

    let steps = sdk.run_phase(&server, "setup").await;
    ok(
        &steps,
        &[
            "create",
            "join_bob",
            "join_carol",
            "channel_general",
            "channel_staff",
            "private_add",
            "private_get",
            "channels",
            "exist_carol",
            "exist_dave",
        ],
    );
    assert_eq!(
        strings(&steps["private_get"]["users"], ""),
        ["alice", "bob"]
    );
    let channels = &steps["channels"]["channelList"];
    assert_eq!(
        strings(channels, "channelId"),
        ["RCDefault", "general", "staff"]
    );
    assert_eq!(strings(channels, "type"), ["PUBLIC", "PUBLIC", "PRIVATE"]);
    assert_eq!(steps["exist_carol"]["status"], true);
    assert_eq!(steps["exist_dave"]["status"], false);

    let mut bob = RawClient::connect(addr, "bob", "b1").await;
    let mut carol = RawClient::connect(addr, "carol", "c1").await;
    let steps = sdk.run_phase(&server, "publish").await;
    ok(&steps, &["publish_staff", "publish_general"]);
    let staff_uid = steps["publish_staff"]["messageUID"].as_str().unwrap();
    let bob_saw = events(&mut bob).await;
    assert_eq!(
        texts(&bob_saw),
        [seen("staff", "staff only"), seen("general", "hello all")]
    );
    assert!(bob_saw.iter().any(|e| matches!(
        &e.body,
        Some(ultra_group_event::Body::Message(m)) if m.uid == staff_uid
    )));
    assert_eq!(
        texts(&events(&mut carol).await),
        [seen("general", "hello all")],
        "carol is not listed in the private channel"
    );

    let steps = sdk.run_phase(&server, "teardown").await;
    ok(
        &steps,
        &["mute_carol", "muted", "level_set", "level_get", "dismiss"],
    );
    assert_eq!(strings(&steps["muted"]["users"], "id"), ["carol"]);
    assert_eq!(steps["level_get"]["unpushLevel"], 1);
    assert_eq!(steps["missing_group"]["code"], codes::ULTRA_GROUP_NOT_EXIST);
    assert_eq!(steps["exist_after"]["code"], codes::ULTRA_GROUP_NOT_EXIST);
    // The dismissal told the members online to read their channels again.
    for c in [&mut bob, &mut carol] {
        assert!(events(c)
            .await
            .iter()
            .any(|e| matches!(e.body, Some(ultra_group_event::Body::Resync(true)))));
    }
    server.shutdown().await;
}
