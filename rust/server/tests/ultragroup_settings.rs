//! A user's notification level of an ultra-group channel: the channel id "" names the
//! RCDefault channel, so what the user set is what the push decision finds.

mod common;

use common::*;
use rcim_proto::v1::{inbox_entry, request, ChangeConversationSetting};

/// `ChangeConversationSetting{type 5, channel ""}` is stored and synced as RCDefault's.
#[tokio::test]
async fn an_empty_channel_is_rcdefault() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = rcim_server::start(config(dir.path())).await.unwrap();
    let addr = server.gateway_addr();
    let mut phone = RawClient::connect(addr, "a", "phone").await;
    let mut desk = RawClient::connect_web(addr, "a", "desk").await;
    let body = request::Body::ConversationSetting(ChangeConversationSetting {
        conversation_type: 5,
        target_id: "ug".into(),
        channel_id: String::new(),
        top: None,
        notification_level: Some(5),
    });
    assert_eq!(call(&mut phone, &fresh_request_id(), body).await.code, 0);
    let e = desk.next_push().await;
    let Some(inbox_entry::Body::ConversationSetting(s)) = e.body else {
        panic!("{e:?}")
    };
    assert_eq!(
        (
            s.conversation_type,
            s.target_id.as_str(),
            s.channel_id.as_str(),
            s.notification_level
        ),
        (5, "ug", "RCDefault", Some(5))
    );
    server.shutdown().await;
}
