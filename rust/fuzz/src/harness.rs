//! An in-process server with logged-in raw protocol connections, for the targets that fuzz a
//! live server. Each harness has its own runtime, data directory and users.

use crate::targets::{APP_KEY, APP_SECRET};
use futures::{SinkExt as _, StreamExt as _};
use rcim_proto::v1::{
    client_frame, request, server_frame, ClientFrame, Connect, Platform, Request, SendMessage,
    ServerFrame,
};
use rcim_proto::FrameCodec;
use rcim_server::fuzzing::ServerApi;
use rcim_server::{issue_token, RunningServer, ServerConfig};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::runtime::Runtime;
use tokio_util::codec::Framed;

/// A gateway connection as a client sees it.
pub type Conn = Framed<TcpStream, FrameCodec<ServerFrame, ClientFrame>>;

/// Longest wait for the answer to one request before it counts as a hang.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// How a request ended.
#[derive(Debug)]
pub enum Outcome {
    /// The `Response` or `ErrorReply` with the request's `seq`.
    Answered(Box<ServerFrame>),
    /// The server closed the connection (or the frame stream broke) before answering.
    Closed(String),
    /// No answer within [`ANSWER_TIMEOUT`].
    Hung,
}

/// A running server and what the targets need around it.
pub struct Harness {
    /// Runs the server and the connections.
    pub rt: Runtime,
    server: Option<RunningServer>,
    /// The Server API of the server, called in-process.
    pub api: ServerApi,
    /// The user that checks the server still serves others: a name no input can guess.
    pub watcher: String,
    watcher_conn: Conn,
    /// The user the watcher writes to.
    watched: String,
    seq: u64,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// Starts a server in a new data directory (in memory when `/dev/shm` exists: the fuzzers
    /// measure the handlers, not the disk) with rate limits out of the way, and logs the
    /// watcher in.
    pub fn start() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .expect("a data directory");
        let mut config = ServerConfig::new(dir.path(), APP_KEY, APP_SECRET);
        config.send_rate_per_sec = 1_000_000;
        config.request_rate_per_sec = 1_000_000;
        let server = rt
            .block_on(rcim_server::start(config))
            .expect("the server starts");
        let api = ServerApi::of(&server);
        let tag: u64 = rand::random();
        let watcher = format!("watcher-{tag:016x}");
        let watched = format!("watched-{tag:016x}");
        let addr = server.gateway_addr();
        let watcher_conn = rt.block_on(login(addr, &watcher, "watch"));
        Self {
            rt,
            server: Some(server),
            api,
            watcher,
            watcher_conn,
            watched,
            seq: 1,
            _dir: dir,
        }
    }

    /// Address of the gateway.
    pub fn gateway_addr(&self) -> SocketAddr {
        self.server().gateway_addr()
    }

    fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("the server runs until drop")
    }

    /// A fresh frame sequence number.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Panics unless the watcher can still send a message and get its acknowledgement: the
    /// server keeps serving other users whatever the fuzzed inputs did.
    pub fn assert_serving(&mut self) {
        let seq = self.next_seq();
        let body = request::Body::SendMessage(SendMessage {
            conversation_type: rcim_proto::conversation_type::PRIVATE,
            target_id: self.watched.clone(),
            object_name: "RC:TxtMsg".into(),
            content: r#"{"content":"still there?"}"#.into(),
            persisted: true,
            counted: true,
            ..Default::default()
        });
        let request = Request {
            request_id: format!("watch-{seq}"),
            body: Some(body),
        };
        let outcome = self.rt.block_on(ask(&mut self.watcher_conn, seq, request));
        match outcome {
            Outcome::Answered(f) if matches!(&f.body, Some(server_frame::Body::Response(r)) if r.code == 0) =>
                {}
            other => panic!("the server stopped serving another user: {other:?}"),
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.rt.block_on(server.shutdown());
        }
    }
}

/// Logs `user` in on a new connection as the desktop device `device`; panics unless accepted.
pub async fn login(addr: SocketAddr, user: &str, device: &str) -> Conn {
    let stream = TcpStream::connect(addr)
        .await
        .expect("connecting to the gateway");
    stream.set_nodelay(true).expect("TCP_NODELAY");
    let mut conn = Framed::new(stream, FrameCodec::new());
    let token = issue_token(APP_KEY, APP_SECRET, user, 0, 0);
    let connect = Connect {
        protocol_version: rcim_proto::PROTOCOL_VERSION,
        app_key: APP_KEY.into(),
        token,
        device_id: device.into(),
        platform: Platform::Desktop as i32,
        ..Default::default()
    };
    conn.send(ClientFrame {
        seq: 0,
        body: Some(client_frame::Body::Connect(connect)),
    })
    .await
    .expect("sending the login");
    match conn.next().await {
        Some(Ok(ServerFrame {
            body: Some(server_frame::Body::ConnectAck(ack)),
            ..
        })) if ack.code == 0 => conn,
        other => panic!("login of {user} refused: {other:?}"),
    }
}

/// Sends `request` with `seq` and waits for its answer, skipping the pushes and events that
/// arrive meanwhile.
pub async fn ask(conn: &mut Conn, seq: u64, request: Request) -> Outcome {
    let frame = ClientFrame {
        seq,
        body: Some(client_frame::Body::Request(request)),
    };
    if let Err(e) = conn.send(frame).await {
        return Outcome::Closed(format!("sending: {e}"));
    }
    let answer = async {
        loop {
            match conn.next().await {
                None => return Outcome::Closed("end of stream".into()),
                Some(Err(e)) => return Outcome::Closed(format!("reading: {e}")),
                Some(Ok(f)) => {
                    let answers = matches!(
                        f.body,
                        Some(server_frame::Body::Response(_) | server_frame::Body::Error(_))
                    );
                    if answers && f.seq == seq {
                        return Outcome::Answered(Box::new(f));
                    }
                    if let Some(server_frame::Body::Kicked(k)) = &f.body {
                        return Outcome::Closed(format!("kicked: {k:?}"));
                    }
                }
            }
        }
    };
    tokio::time::timeout(ANSWER_TIMEOUT, answer)
        .await
        .unwrap_or(Outcome::Hung)
}
