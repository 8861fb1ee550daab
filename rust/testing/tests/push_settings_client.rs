//! End to end, from a real engine to the reference server: the push settings a phone changes
//! (`changePushLanguage`, `changePushContentShowStatus`, `changePushReceiveStatus`) are answered
//! by the server, reach the user's desktop as `UserSettingChanged` entries from the phone's
//! device and are in the settings a later login reads (`UserSettings.push`); one made while
//! the server is down waits in the outbox across an app restart and reaches the server once it
//! is back.

use futures::{SinkExt, StreamExt};
use rcim_core::config::PushOptions;
use rcim_core::{EngineOptions, Event};
use rcim_proto::v1::{
    client_frame, inbox_entry, request, server_frame, user_setting_changed, ClientFrame, Connect,
    Platform, PushSettings, Request, ServerFrame, SettingsRequest, UserSettingChanged,
    UserSettings,
};
use rcim_proto::FrameCodec;
use rcim_testing::*;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

type Raw = Framed<TcpStream, FrameCodec<ServerFrame, ClientFrame>>;

const SUSPEND: u32 = rcim_core::model::connection_status::SUSPEND;

/// A raw protocol device of the token's user, logged in.
async fn raw_login(gateway: SocketAddr, token: &str, device: &str, platform: Platform) -> Raw {
    let stream = TcpStream::connect(gateway).await.unwrap();
    let mut raw = Framed::new(stream, FrameCodec::new());
    raw.send(ClientFrame {
        seq: 1,
        body: Some(client_frame::Body::Connect(Connect {
            protocol_version: rcim_proto::PROTOCOL_VERSION,
            app_key: APP_KEY.into(),
            token: token.into(),
            device_id: device.into(),
            platform: platform as i32,
            client_version: "test".into(),
            ..Connect::default()
        })),
    })
    .await
    .unwrap();
    match next_frame(&mut raw).await.body {
        Some(server_frame::Body::ConnectAck(ack)) => assert_eq!(ack.code, 0, "{device} login"),
        other => panic!("expected a ConnectAck, got {other:?}"),
    }
    raw
}

async fn next_frame(raw: &mut Raw) -> ServerFrame {
    tokio::time::timeout(Duration::from_secs(10), raw.next())
        .await
        .expect("a frame within 10 s")
        .expect("the connection is open")
        .expect("a well-formed frame")
}

/// The next `UserSettingChanged` pushed to `raw` (other frames skipped).
async fn next_user_setting(raw: &mut Raw) -> UserSettingChanged {
    loop {
        if let Some(server_frame::Body::Push(push)) = next_frame(raw).await.body {
            if let Some(inbox_entry::Body::UserSetting(u)) = push.entry.and_then(|e| e.body) {
                return u;
            }
        }
    }
}

/// The first page of the user's settings, read as a device does at login.
async fn settings(raw: &mut Raw) -> UserSettings {
    raw.send(ClientFrame {
        seq: 2,
        body: Some(client_frame::Body::Request(Request {
            request_id: String::new(),
            body: Some(request::Body::Settings(SettingsRequest::default())),
        })),
    })
    .await
    .unwrap();
    loop {
        let frame = next_frame(raw).await;
        if let (2, Some(server_frame::Body::Response(r))) = (frame.seq, frame.body) {
            assert_eq!(r.code, 0, "settings read");
            match r.body {
                Some(rcim_proto::v1::response::Body::Settings(page)) => return page,
                other => panic!("expected a settings page, got {other:?}"),
            }
        }
    }
}

fn phone(server: &TestServer) -> TestClient {
    let options = EngineOptions {
        push_options: Some(PushOptions {
            enable_fcm: Some(true),
            ..PushOptions::default()
        }),
        ..EngineOptions::default()
    };
    TestClient::with_options(&server.navi_url(), "alice", options)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_settings_reach_the_server_and_the_users_desktop() {
    init_logging();
    let server = TestServer::start().await;
    let token = server.token("alice").await;
    let mut desk = raw_login(server.gateway(), &token, "desk", Platform::Desktop).await;
    let mut phone = phone(&server);
    assert_eq!(phone.engine.set_device_token("fcm-token-1"), Ok(()));
    phone.connect(&token).await;
    let device = phone.engine.device_id().to_string();

    // Each change: its result event (code 0, the argument, the call's event id), then the
    // desktop hears the change from the phone.
    assert_eq!(
        phone.engine.change_push_language("en_US", Some("l".into())),
        Ok(())
    );
    let event = phone
        .wait_for("PushLanguageChanged", |e| {
            matches!(e, Event::PushLanguageChanged { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::PushLanguageChanged {
            code: 0,
            language: "en_US".into(),
            event_id: Some("l".into()),
        }
    );
    let heard = next_user_setting(&mut desk).await;
    assert_eq!(heard.device_id, device);
    assert_eq!(
        heard.change,
        Some(user_setting_changed::Change::PushLanguage("en_US".into()))
    );

    assert_eq!(
        phone
            .engine
            .change_push_content_show_status(false, Some("s".into())),
        Ok(())
    );
    let event = phone
        .wait_for("PushContentShowStatusChanged", |e| {
            matches!(e, Event::PushContentShowStatusChanged { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::PushContentShowStatusChanged {
            code: 0,
            show_content: false,
            event_id: Some("s".into()),
        }
    );
    assert_eq!(
        next_user_setting(&mut desk).await.change,
        Some(user_setting_changed::Change::PushContentShow(false))
    );

    assert_eq!(
        phone
            .engine
            .change_push_receive_status(true, Some("r".into())),
        Ok(())
    );
    let event = phone
        .wait_for("PushReceiveStatusChanged", |e| {
            matches!(e, Event::PushReceiveStatusChanged { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::PushReceiveStatusChanged {
            code: 0,
            receive: true,
            event_id: Some("r".into()),
        }
    );
    assert_eq!(
        next_user_setting(&mut desk).await.change,
        Some(user_setting_changed::Change::PushReceive(true))
    );

    // A later login of the user reads them back.
    let mut web = raw_login(server.gateway(), &token, "web", Platform::Web).await;
    assert_eq!(
        settings(&mut web).await.push,
        Some(PushSettings {
            language: "en_US".into(),
            hide_content: true,
            receive_while_desktop_online: true,
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_setting_made_while_the_server_is_down_survives_an_app_restart() {
    init_logging();
    let mut server = TestServer::start().await;
    let token = server.token("alice").await;
    let mut phone = phone(&server);
    phone.connect(&token).await;

    server.kill();
    phone
        .wait_for("suspended", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: SUSPEND })
        })
        .await;
    assert_eq!(
        phone.engine.change_push_language("ar_SA", Some("l".into())),
        Ok(())
    );
    let meanwhile = phone.drain(Duration::from_millis(500)).await;
    assert!(
        !meanwhile
            .iter()
            .any(|e| matches!(e, Event::PushLanguageChanged { .. })),
        "nothing is reported while the server is down: {meanwhile:?}"
    );

    // The app is killed and started again on the same data; then the server comes back.
    phone.restart_engine().await;
    server.restart().await;
    phone.connect(&token).await;
    let event = phone
        .wait_for("PushLanguageChanged", |e| {
            matches!(e, Event::PushLanguageChanged { .. })
        })
        .await;
    // After the restart the call's callback is gone: the listener gets it.
    assert_eq!(
        event,
        Event::PushLanguageChanged {
            code: 0,
            language: "ar_SA".into(),
            event_id: None,
        }
    );
    let mut web = raw_login(server.gateway(), &token, "web", Platform::Web).await;
    let push = settings(&mut web).await.push.unwrap_or_default();
    assert_eq!(push.language, "ar_SA");
}
