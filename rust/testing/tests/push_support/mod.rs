//! Helpers of the push tests: a protocol-level device (connect with a push token, send,
//! change settings, disconnect with or without `receive_push`) and Server API calls with
//! JSON bodies.
#![allow(dead_code)] // Each test file uses its own part.

use futures::{SinkExt, StreamExt};
use rcim_proto::v1::{
    client_frame, request, response, server_frame, ChangeConversationSetting, ChangeUserSetting,
    ClientFrame, Connect, Disconnect, Platform, PushProvider, PushRegistration, Request, Response,
    SendMessage, SendMessageResult, ServerFrame,
};
use rcim_proto::FrameCodec;
use rcim_server::push::PushConfig;
use rcim_server::ServerConfig;
use rcim_testing::push_standin::PushStandIns;
use rcim_testing::{TestServer, APP_KEY};
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

type Framing = Framed<TcpStream, FrameCodec<ServerFrame, ClientFrame>>;

/// One device of a user, speaking the protocol directly.
pub struct Device {
    framed: Framing,
    seq: u64,
    pub user: String,
}

/// A device's push registration.
#[derive(Clone, Copy)]
pub enum Token<'a> {
    Apns(&'a str),
    Fcm(&'a str),
    None,
}

impl Device {
    /// Connects `user` from `device_id` on `platform` with `token`; panics unless admitted.
    pub async fn connect(
        server: &TestServer,
        user: &str,
        device_id: &str,
        platform: Platform,
        token: Token<'_>,
    ) -> Device {
        let stream = TcpStream::connect(server.gateway()).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let mut framed = Framed::new(stream, FrameCodec::new());
        let push = match token {
            Token::Apns(t) => Some(PushRegistration {
                provider: PushProvider::Apns as i32,
                token: t.into(),
            }),
            Token::Fcm(t) => Some(PushRegistration {
                provider: PushProvider::Fcm as i32,
                token: t.into(),
            }),
            Token::None => None,
        };
        framed
            .send(ClientFrame {
                seq: 0,
                body: Some(client_frame::Body::Connect(Connect {
                    protocol_version: rcim_proto::PROTOCOL_VERSION,
                    app_key: APP_KEY.into(),
                    token: server.token(user).await,
                    device_id: device_id.into(),
                    platform: platform as i32,
                    push,
                    ..Default::default()
                })),
            })
            .await
            .unwrap();
        loop {
            match framed.next().await {
                Some(Ok(ServerFrame {
                    body: Some(server_frame::Body::ConnectAck(ack)),
                    ..
                })) => {
                    assert_eq!(ack.code, 0, "connect of {user}/{device_id}");
                    break;
                }
                Some(Ok(_)) => {}
                other => panic!("connect of {user}/{device_id}: {other:?}"),
            }
        }
        Device {
            framed,
            seq: 0,
            user: user.into(),
        }
    }

    /// Connects with a token and goes away at once (the device stays registered and
    /// enabled, like an app that was closed).
    pub async fn register(
        server: &TestServer,
        user: &str,
        device_id: &str,
        platform: Platform,
        token: Token<'_>,
    ) {
        Device::connect(server, user, device_id, platform, token)
            .await
            .close()
            .await;
    }

    /// Sends a request and waits for its response (pushes in between are skipped).
    pub async fn request(&mut self, body: request::Body) -> Response {
        self.seq += 1;
        let seq = self.seq;
        self.framed
            .send(ClientFrame {
                seq,
                body: Some(client_frame::Body::Request(Request {
                    request_id: uuid::Uuid::new_v4().simple().to_string(),
                    body: Some(body),
                })),
            })
            .await
            .unwrap();
        let wait = async {
            loop {
                match self.framed.next().await {
                    Some(Ok(ServerFrame {
                        seq: s,
                        body: Some(server_frame::Body::Response(r)),
                    })) if s == seq => return r,
                    Some(Ok(_)) => {}
                    other => panic!("waiting for response {seq}: {other:?}"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), wait)
            .await
            .expect("response in time")
    }

    /// Sends `m` (a message) and returns its result; panics on a refusal.
    pub async fn send(&mut self, m: SendMessage) -> SendMessageResult {
        let r = self.request(request::Body::SendMessage(m)).await;
        assert_eq!(r.code, 0, "send refused");
        match r.body {
            Some(response::Body::SendMessage(s)) => s,
            other => panic!("send answered {other:?}"),
        }
    }

    /// Changes a user setting; panics on a refusal.
    pub async fn user_setting(&mut self, change: ChangeUserSetting) {
        let r = self.request(request::Body::UserSetting(change)).await;
        assert_eq!(r.code, 0, "user setting refused");
    }

    /// Sets a conversation's notification level; panics on a refusal.
    pub async fn conversation_level(&mut self, conversation_type: u32, target: &str, level: u32) {
        let r = self
            .request(request::Body::ConversationSetting(
                ChangeConversationSetting {
                    conversation_type,
                    target_id: target.into(),
                    notification_level: Some(level),
                    ..Default::default()
                },
            ))
            .await;
        assert_eq!(r.code, 0, "conversation setting refused");
    }

    /// Logs out with `Disconnect{receive_push}` and waits for the server to close.
    pub async fn disconnect(mut self, receive_push: bool) {
        self.framed
            .send(ClientFrame {
                seq: 0,
                body: Some(client_frame::Body::Disconnect(Disconnect { receive_push })),
            })
            .await
            .unwrap();
        let _ = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(Ok(_)) = self.framed.next().await {}
        })
        .await;
    }

    /// Closes the connection without a goodbye and waits until the server saw it.
    pub async fn close(self) {
        drop(self.framed);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A private text message to `to`.
pub fn text(to: &str, text: &str) -> SendMessage {
    SendMessage {
        conversation_type: 1,
        target_id: to.into(),
        object_name: "RC:TxtMsg".into(),
        content: serde_json::json!({ "content": text }).to_string(),
        persisted: true,
        counted: true,
        ..Default::default()
    }
}

/// A group text message to `group`.
pub fn group_text(group: &str, text: &str) -> SendMessage {
    SendMessage {
        conversation_type: 2,
        ..self::text(group, text)
    }
}

/// Calls the Server API with a JSON body and a correct signature.
pub async fn api_json(
    server: &TestServer,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    rcim_testing::server_api_json(&server.navi_url(), path, &body).await
}

/// A server whose push providers are the stand-ins; its folder lives as long as it.
pub struct Env {
    pub push: PushStandIns,
    pub server: TestServer,
    _dir: TempDir,
}

impl Env {
    /// Starts one, with `adjust` applied to its push configuration and `tweak` to the rest
    /// of its configuration.
    pub async fn start_tweaked(
        adjust: impl FnOnce(&mut PushConfig),
        tweak: impl FnOnce(&mut ServerConfig) + Send + 'static,
    ) -> Env {
        let push = PushStandIns::start().await;
        let dir = tempfile::tempdir().unwrap();
        let mut config = push.config(dir.path());
        adjust(&mut config);
        let server = TestServer::builder()
            .config(move |c| c.push = config)
            .config(tweak)
            .start()
            .await;
        Env {
            push,
            server,
            _dir: dir,
        }
    }
}
