//! Helpers shared by the integration tests: a server on a temp dir, a raw protocol client and
//! a signed Server API caller.
#![allow(dead_code)]

use futures::{SinkExt as _, StreamExt as _};
use rcim_proto::v1::{
    client_frame, request, response, server_frame, ClientFrame, Connect, ConnectAck, InboxEntry,
    Message, Platform, Request, Response, SendMessage, ServerFrame, SyncPackage, SyncRequest,
};
use rcim_proto::FrameCodec;
use rcim_server::{RunningServer, ServerConfig};
use serde_json::Value;
use sha1::{Digest as _, Sha1};
use std::net::SocketAddr;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

pub const APP_KEY: &str = "test-app-key";
pub const APP_SECRET: &str = "test-app-secret";
pub const WAIT: Duration = Duration::from_secs(5);

pub fn config(dir: &Path) -> ServerConfig {
    ServerConfig::new(dir.to_path_buf(), APP_KEY, APP_SECRET)
}

pub async fn start(dir: &Path) -> RunningServer {
    rcim_server::start(config(dir))
        .await
        .expect("server starts")
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A valid, never-expiring token for `user`.
pub fn token(user: &str) -> String {
    rcim_server::issue_token(APP_KEY, APP_SECRET, user, now_ms(), 0)
}

pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_test_writer()
        .try_init();
}

/// A request id never used before in this test process.
pub fn fresh_request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "req-{}-{}",
        NEXT.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    )
}

/// A `Request` frame body.
pub fn request_body(request_id: &str, body: request::Body) -> client_frame::Body {
    client_frame::Body::Request(Request {
        request_id: request_id.into(),
        body: Some(body),
    })
}

/// A message to send and its request id (which is the message's client id).
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    pub client_msg_id: String,
    pub msg: SendMessage,
}

impl Deref for Outgoing {
    type Target = SendMessage;
    fn deref(&self) -> &SendMessage {
        &self.msg
    }
}

impl DerefMut for Outgoing {
    fn deref_mut(&mut self) -> &mut SendMessage {
        &mut self.msg
    }
}

/// The frame body that sends `o`.
pub fn send_body(o: Outgoing) -> client_frame::Body {
    request_body(&o.client_msg_id, request::Body::SendMessage(o.msg))
}

/// The answer to a send, flattened: the code and the result's uid and sent time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendAck {
    pub code: u32,
    pub uid: String,
    pub sent_time: i64,
}

impl SendAck {
    pub fn of(r: Response) -> Self {
        match r.body {
            Some(response::Body::SendMessage(m)) => Self {
                code: r.code,
                uid: m.uid,
                sent_time: m.sent_time,
            },
            None => Self {
                code: r.code,
                ..Default::default()
            },
            other => panic!("expected a send result, got {other:?}"),
        }
    }
}

/// The `Response` carried by `f`, if any.
pub fn response_of(f: ServerFrame) -> Option<Response> {
    match f.body {
        Some(server_frame::Body::Response(r)) => Some(r),
        _ => None,
    }
}

/// A client speaking the raw protocol.
pub struct RawClient {
    pub framed: Framed<TcpStream, FrameCodec<ServerFrame, ClientFrame>>,
    next_seq: u64,
}

/// Options of a Connect frame.
#[derive(Clone)]
pub struct Login {
    pub token: String,
    pub device_id: String,
    pub platform: Platform,
    pub is_reconnect: bool,
    pub kick_reconnect_device: bool,
    pub app_key: String,
    pub protocol_version: u32,
    /// The device's push token, if any.
    pub push: Option<rcim_proto::v1::PushRegistration>,
}

impl Login {
    pub fn new(user: &str, device: &str) -> Self {
        Self {
            token: token(user),
            device_id: device.into(),
            platform: Platform::Mobile,
            is_reconnect: false,
            kick_reconnect_device: false,
            app_key: APP_KEY.into(),
            protocol_version: rcim_proto::PROTOCOL_VERSION,
            push: None,
        }
    }
}

impl RawClient {
    pub async fn open(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).await.expect("tcp connect");
        Self {
            framed: Framed::new(stream, FrameCodec::new()),
            next_seq: 1,
        }
    }

    /// Opens a connection and logs in; returns the client and the ack (any code).
    pub async fn login(addr: SocketAddr, login: Login) -> (Self, ConnectAck) {
        let mut c = Self::open(addr).await;
        let seq = c
            .send(client_frame::Body::Connect(Connect {
                protocol_version: login.protocol_version,
                app_key: login.app_key,
                token: login.token,
                device_id: login.device_id,
                platform: login.platform as i32,
                is_reconnect: login.is_reconnect,
                kick_reconnect_device: login.kick_reconnect_device,
                client_version: "test".into(),
                push: login.push,
            }))
            .await;
        let f = c.recv().await.expect("a ConnectAck");
        assert_eq!(f.seq, seq);
        match f.body {
            Some(server_frame::Body::ConnectAck(a)) => (c, a),
            other => panic!("expected ConnectAck, got {other:?}"),
        }
    }

    /// Logs in and asserts success.
    pub async fn connect(addr: SocketAddr, user: &str, device: &str) -> Self {
        let (c, ack) = Self::login(addr, Login::new(user, device)).await;
        assert_eq!(ack.code, 0, "login of {user} failed");
        assert_eq!(ack.user_id, user);
        c
    }

    pub async fn send(&mut self, body: client_frame::Body) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.framed
            .send(ClientFrame {
                seq,
                body: Some(body),
            })
            .await
            .expect("write frame");
        seq
    }

    /// Next frame, `None` when the server closed the connection (or on a read error).
    pub async fn recv(&mut self) -> Option<ServerFrame> {
        match tokio::time::timeout(WAIT, self.framed.next()).await {
            Ok(Some(Ok(f))) => Some(f),
            Ok(_) => None,
            Err(_) => panic!("no frame within {WAIT:?}"),
        }
    }

    /// Next frame within `d`, if any.
    pub async fn try_recv(&mut self, d: Duration) -> Option<ServerFrame> {
        match tokio::time::timeout(d, self.framed.next()).await {
            Ok(Some(Ok(f))) => Some(f),
            _ => None,
        }
    }

    /// Asserts that the server closes the connection (possibly after some frames).
    pub async fn expect_closed(&mut self) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.framed.next()).await {
                Ok(None) | Ok(Some(Err(_))) => return,
                Ok(Some(Ok(_))) => continue,
                Err(_) => panic!("connection was not closed"),
            }
        }
    }

    pub fn text(client_msg_id: &str, to: &str, text: &str) -> Outgoing {
        let msg = SendMessage {
            conversation_type: rcim_proto::conversation_type::PRIVATE,
            target_id: to.into(),
            channel_id: String::new(),
            object_name: "RC:TxtMsg".into(),
            content: serde_json::json!({ "content": text }).to_string(),
            persisted: true,
            counted: true,
            ..Default::default()
        };
        Outgoing {
            client_msg_id: client_msg_id.into(),
            msg,
        }
    }

    /// A text to group `group`.
    pub fn group_text(client_msg_id: &str, group: &str, text: &str) -> Outgoing {
        let mut m = Self::text(client_msg_id, group, text);
        m.msg.conversation_type = rcim_proto::conversation_type::GROUP;
        m
    }

    /// Logs `user` in on a web device `device` (a second device beside the one mobile device
    /// a user may have online); asserts the login succeeded.
    pub async fn connect_web(addr: SocketAddr, user: &str, device: &str) -> Self {
        let mut l = Login::new(user, device);
        l.platform = rcim_proto::v1::Platform::Web;
        let (c, ack) = Self::login(addr, l).await;
        assert_eq!(ack.code, 0, "login of {user} on {device}");
        c
    }

    /// Sends `o` and waits for its ack.
    pub async fn send_and_ack(&mut self, o: Outgoing) -> SendAck {
        let seq = self.send(send_body(o)).await;
        self.wait_ack(seq).await
    }

    /// Sends a request; returns the frame's seq.
    pub async fn request(&mut self, request_id: &str, body: request::Body) -> u64 {
        self.send(request_body(request_id, body)).await
    }

    /// Waits for the `Response` of frame `seq` (other frames are discarded).
    pub async fn wait_response(&mut self, seq: u64) -> Response {
        loop {
            let f = self.recv().await.expect("connection open");
            if f.seq == seq {
                if let Some(r) = response_of(f) {
                    return r;
                }
            }
        }
    }

    /// Sends a message and waits for its ack (pushes received meanwhile are discarded).
    pub async fn send_text(&mut self, client_msg_id: &str, to: &str, text: &str) -> SendAck {
        let seq = self
            .send(send_body(Self::text(client_msg_id, to, text)))
            .await;
        self.wait_ack(seq).await
    }

    pub async fn wait_ack(&mut self, seq: u64) -> SendAck {
        SendAck::of(self.wait_response(seq).await)
    }

    /// Next pushed inbox entry (skipping other frames).
    pub async fn next_push(&mut self) -> InboxEntry {
        loop {
            let f = self.recv().await.expect("connection open");
            if let Some(server_frame::Body::Push(p)) = f.body {
                return p.entry.expect("entry");
            }
        }
    }

    pub async fn sync(&mut self, after: u64, limit: u32) -> SyncPackage {
        let seq = self
            .request("", request::Body::Sync(SyncRequest { after, limit }))
            .await;
        loop {
            let f = self.recv().await.expect("connection open");
            if f.seq == seq {
                match f.body {
                    Some(server_frame::Body::Response(Response {
                        code: 0,
                        body: Some(response::Body::Sync(p)),
                    })) => return p,
                    other => panic!("expected a sync package, got {other:?}"),
                }
            }
        }
    }
}

pub fn message(e: &InboxEntry) -> &Message {
    match &e.body {
        Some(rcim_proto::v1::inbox_entry::Body::Message(m)) => m,
        other => panic!("entry without message: {other:?}"),
    }
}

/// Signed Server API calls.
pub struct Api {
    pub base: String,
    pub client: reqwest::Client,
}

pub fn sign(secret: &str, nonce: &str, ts: &str) -> String {
    let mut h = Sha1::new();
    h.update(secret.as_bytes());
    h.update(nonce.as_bytes());
    h.update(ts.as_bytes());
    hex::encode(h.finalize())
}

impl Api {
    pub fn new(server: &RunningServer) -> Self {
        Self {
            base: server.navi_url(),
            client: reqwest::Client::new(),
        }
    }

    /// POST with `App-Key` etc. headers, `prefix` = "" or "RC-".
    pub async fn call_with(
        &self,
        path: &str,
        params: &[(&str, &str)],
        app_key: &str,
        secret: &str,
        prefix: &str,
    ) -> (u16, Value) {
        let nonce = rand::random::<u32>().to_string();
        let ts = (now_ms() / 1000).to_string();
        let sig = sign(secret, &nonce, &ts);
        let resp = self
            .client
            .post(format!("{}{}", self.base, path))
            .header(format!("{prefix}App-Key"), app_key)
            .header(format!("{prefix}Nonce"), &nonce)
            .header(format!("{prefix}Timestamp"), &ts)
            .header(format!("{prefix}Signature"), sig)
            .form(params)
            .send()
            .await
            .expect("http request");
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.expect("json body");
        (status, body)
    }

    pub async fn call(&self, path: &str, params: &[(&str, &str)]) -> Value {
        let (status, body) = self.call_with(path, params, APP_KEY, APP_SECRET, "").await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(body["code"], 200, "{path}: {body}");
        body
    }

    /// Creates group `group_id` named `name` with `members` (`/group/create.json`).
    pub async fn create_group(&self, group_id: &str, name: &str, members: &[&str]) {
        let mut params: Vec<(&str, &str)> = members.iter().map(|m| ("userId", *m)).collect();
        params.push(("groupId", group_id));
        params.push(("groupName", name));
        self.call("/group/create.json", &params).await;
    }

    pub async fn get_token(&self, user: &str) -> String {
        let body = self.call("/user/getToken.json", &[("userId", user)]).await;
        body["token"].as_str().expect("token").to_owned()
    }
}

/// Sends one request and waits for its response.
pub async fn call(c: &mut RawClient, request_id: &str, body: request::Body) -> Response {
    let seq = c.request(request_id, body).await;
    c.wait_response(seq).await
}

/// A `HistoryRequest` body.
pub fn history_body(
    ctype: u32,
    target: &str,
    sent_time: i64,
    order: u32,
    count: u32,
) -> request::Body {
    request::Body::History(rcim_proto::v1::HistoryRequest {
        conversation_type: ctype,
        target_id: target.into(),
        channel_id: String::new(),
        sent_time,
        order,
        count,
    })
}

/// Asks for a page of history; the code and the page (empty on refusal).
pub async fn history(
    c: &mut RawClient,
    ctype: u32,
    target: &str,
    sent_time: i64,
    order: u32,
    count: u32,
) -> (u32, rcim_proto::v1::HistoryPage) {
    let r = call(c, "", history_body(ctype, target, sent_time, order, count)).await;
    match r.body {
        Some(response::Body::History(p)) => (r.code, p),
        None => (r.code, Default::default()),
        other => panic!("expected a history page, got {other:?}"),
    }
}

/// The next pushed entry that is not a message.
pub async fn next_event(c: &mut RawClient) -> InboxEntry {
    loop {
        let e = c.next_push().await;
        if !matches!(e.body, Some(rcim_proto::v1::inbox_entry::Body::Message(_))) {
            return e;
        }
    }
}

/// The strings of array `v`: its elements, or each element's `field`.
pub fn strings(v: &Value, field: &str) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .iter()
        .map(|x| {
            let s = if field.is_empty() { x } else { &x[field] };
            s.as_str()
                .unwrap_or_else(|| panic!("{field} of {x}"))
                .to_owned()
        })
        .collect()
}

/// A signed Server API call with a JSON body: (HTTP status, answer).
pub async fn call_json(api: &Api, path: &str, body: &Value) -> (u16, Value) {
    let nonce = rand::random::<u32>().to_string();
    let ts = (now_ms() / 1000).to_string();
    let resp = api
        .client
        .post(format!("{}{}", api.base, path))
        .header("App-Key", APP_KEY)
        .header("Nonce", &nonce)
        .header("Timestamp", &ts)
        .header("Signature", sign(APP_SECRET, &nonce, &ts))
        .json(body)
        .send()
        .await
        .expect("http request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

/// Sensitive words of the screening tests: "bad" blocks a message, "rude" is replaced by
/// "***".
pub async fn add_bad_and_rude(api: &Api) {
    api.call("/sensitiveword/add.json", &[("word", "bad")])
        .await;
    api.call(
        "/sensitiveword/add.json",
        &[("word", "rude"), ("replaceWord", "***")],
    )
    .await;
}
