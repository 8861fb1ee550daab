//! Test helpers for running engines against a real server: a `rcim-server` on loopback
//! ([`TestServer`]), engines with their own data directories and an event recorder
//! ([`TestClient`]), the Server API with a correct signature ([`server_api`]), a TCP proxy
//! that can cut connections ([`proxy`]), and raw protocol clients for the benchmarks
//! ([`raw`]).
//!
//! The engine-against-server tests live in this crate's `tests/`, the messaging benchmark in
//! `benches/`; `rcim-core` itself does not depend on the server.

pub mod certs;
pub mod proxy;
pub mod push_standin;
pub mod raw;
pub mod services;

use rcim_core::model::{connection_status, message_type};
use rcim_core::{
    codec, Code, Engine, EngineConfig, EngineOptions, Event, EventStream, Message, Query,
};
use rcim_server::{RunningServer, ServerConfig};
use sha1::{Digest, Sha1};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub const APP_KEY: &str = "e2e-app";
pub const APP_SECRET: &str = "e2e-secret";

/// Logs to the test output when RUST_LOG is set.
pub fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// A server and its data directory.
pub struct TestServer {
    pub server: Option<RunningServer>,
    pub dir: TempDir,
    pub config: ServerConfig,
}

/// Settings of a [`TestServer`] beyond the defaults, by name:
/// `TestServer::builder().recall_only_sender(true).start().await`.
#[derive(Default)]
pub struct TestServerBuilder {
    tweaks: Vec<ConfigTweak>,
}

/// One change a [`TestServerBuilder`] makes to the server's configuration.
type ConfigTweak = Box<dyn FnOnce(&mut ServerConfig) + Send>;

impl TestServerBuilder {
    /// Days the cloud history is kept (`--history-retention-days`; 0 = forever).
    pub fn history_retention_days(self, days: u32) -> Self {
        self.config(move |c| c.history_retention_days = days)
    }

    /// Days of inbox entries a new device receives (`--offline-compensation-days`, 0..=7;
    /// the server refuses to start with more).
    pub fn offline_compensation_days(self, days: u32) -> Self {
        self.config(move |c| c.offline_compensation_days = days)
    }

    /// Only a message's sender may recall it (`--recall-only-sender`; others get 25107).
    pub fn recall_only_sender(self, on: bool) -> Self {
        self.config(move |c| c.recall_only_sender = on)
    }

    /// Days offline inbox entries are kept (`--offline-retention-days`; 0 = forever).
    pub fn offline_retention_days(self, days: u32) -> Self {
        self.config(move |c| c.offline_retention_days = days)
    }

    /// Non-send requests per connection and second (history pages, expansion updates, ...;
    /// 0 = unlimited).
    pub fn request_rate_per_sec(self, n: u32) -> Self {
        self.config(move |c| c.request_rate_per_sec = n)
    }

    /// Any other change to the server's configuration.
    pub fn config(mut self, tweak: impl FnOnce(&mut ServerConfig) + Send + 'static) -> Self {
        self.tweaks.push(Box::new(tweak));
        self
    }

    /// Starts the server.
    pub async fn start(self) -> TestServer {
        TestServer::start_with(move |c| {
            for tweak in self.tweaks {
                tweak(c);
            }
        })
        .await
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// A server with settings by name (see [`TestServerBuilder`]).
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder::default()
    }

    pub async fn start_with(tweak: impl FnOnce(&mut ServerConfig)) -> TestServer {
        init_logging();
        let dir = tempfile::tempdir().unwrap();
        let mut config = ServerConfig::new(dir.path().join("server"), APP_KEY, APP_SECRET);
        tweak(&mut config);
        let server = rcim_server::start(config.clone()).await.unwrap();
        // Restarts reuse the same ports.
        config.listen = server.gateway_addr();
        config.http = server.http_addr();
        TestServer {
            server: Some(server),
            dir,
            config,
        }
    }

    pub fn running(&self) -> &RunningServer {
        self.server.as_ref().expect("server running")
    }

    pub fn navi_url(&self) -> String {
        let scheme = if self.config.tls.enabled() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.config.http)
    }

    pub fn gateway(&self) -> SocketAddr {
        self.config.listen
    }

    /// Simulates a crash: everything dropped at once.
    pub fn kill(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }

    /// Starts again on the same data directory and ports.
    pub async fn restart(&mut self) {
        assert!(self.server.is_none());
        let mut tries = 0;
        loop {
            match rcim_server::start(self.config.clone()).await {
                Ok(server) => {
                    self.server = Some(server);
                    return;
                }
                Err(e) if tries < 50 => {
                    tries += 1;
                    tracing::info!(error = %e, "restart failed, retrying");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot restart the server: {e}"),
            }
        }
    }

    /// Registers `user` through the Server API and returns its token.
    pub async fn token(&self, user: &str) -> String {
        let reply = server_api(&self.navi_url(), "/user/getToken.json", &[("userId", user)]).await;
        assert_eq!(reply["code"], 200, "getToken: {reply}");
        reply["token"].as_str().unwrap().to_string()
    }

    /// Registers `user`, then returns an engine of theirs connected to this server.
    pub async fn online(&self, user: &str) -> TestClient {
        let token = self.token(user).await;
        let mut client = TestClient::new(&self.navi_url(), user);
        client.connect(&token).await;
        client
    }
}

/// Calls the Server API with a form body and a correct signature.
pub async fn server_api(base: &str, path: &str, form: &[(&str, &str)]) -> serde_json::Value {
    server_api_via(&reqwest::Client::new(), base, path, form).await
}

/// [`server_api`] through `client` (e.g. one that trusts a test CA).
pub async fn server_api_via(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    form: &[(&str, &str)],
) -> serde_json::Value {
    answer_json(signed_post_via(client, base, path).form(form)).await
}

/// Calls the Server API with a JSON body and a correct signature.
pub async fn server_api_json(
    base: &str,
    path: &str,
    body: &serde_json::Value,
) -> serde_json::Value {
    answer_json(signed_post(base, path).json(body)).await
}

/// A POST to `base` + `path` with the Server API signature headers.
fn signed_post(base: &str, path: &str) -> reqwest::RequestBuilder {
    signed_post_via(&reqwest::Client::new(), base, path)
}

fn signed_post_via(client: &reqwest::Client, base: &str, path: &str) -> reqwest::RequestBuilder {
    let nonce = rand_nonce();
    let timestamp = (rcim_core::now_ms() / 1000).to_string();
    let signature = hex::encode(Sha1::digest(
        format!("{APP_SECRET}{nonce}{timestamp}").as_bytes(),
    ));
    client
        .post(format!("{base}{path}"))
        .header("App-Key", APP_KEY)
        .header("Nonce", nonce)
        .header("Timestamp", timestamp)
        .header("Signature", signature)
}

async fn answer_json(request: reqwest::RequestBuilder) -> serde_json::Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// A nonce never sent before by this process: the server accepts each (nonce, timestamp)
/// once, and two calls may fall in the same millisecond.
fn rand_nonce() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}{n:06}", rcim_core::now_ms() % 1_000_000_007)
}

/// One engine with its own data directory (one device) and its recorded events.
pub struct TestClient {
    pub engine: Engine,
    pub events: EventStream,
    pub seen: Vec<Event>,
    pub dir: TempDir,
    pub user: String,
}

impl TestClient {
    pub fn new(navi: &str, user: &str) -> TestClient {
        Self::with_options(navi, user, EngineOptions::default())
    }

    pub fn with_options(navi: &str, user: &str, options: EngineOptions) -> TestClient {
        Self::with_config(navi, user, options, |_| {})
    }

    /// A client whose engine configuration is adjusted by `tweak`.
    pub fn with_config(
        navi: &str,
        user: &str,
        mut options: EngineOptions,
        tweak: impl FnOnce(&mut EngineConfig),
    ) -> TestClient {
        let dir = tempfile::tempdir().unwrap();
        options.navi_server = Some(navi.to_string());
        let mut config = EngineConfig::new(APP_KEY, &options, dir.path().to_path_buf());
        tweak(&mut config);
        let (engine, events) = Engine::new(config);
        TestClient {
            engine,
            events,
            seen: Vec::new(),
            dir,
            user: user.to_string(),
        }
    }

    /// Destroys the engine and creates a new one on the same data directory (an app
    /// restart). Events not read yet are dropped with the old engine.
    pub async fn restart_engine(&mut self) {
        let config = self.engine.config().clone();
        self.engine.shutdown();
        // Let the old session store what it was handed and end.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (engine, events) = Engine::new(config);
        self.engine = engine;
        self.events = events;
        self.seen.clear();
    }

    /// Connects with `token` and waits for a successful `Connected`.
    pub async fn connect(&mut self, token: &str) {
        assert_eq!(self.engine.connect(token, 10, Some("c".into())), Ok(()));
        let event = self
            .wait_for("Connected", |e| matches!(e, Event::Connected { .. }))
            .await;
        assert!(
            matches!(&event, Event::Connected { code: 0, user_id, .. } if *user_id == self.user),
            "connect failed: {event:?}"
        );
    }

    /// Next event (recorded), or None after `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Option<Event> {
        let event = tokio::time::timeout(timeout, self.events.recv())
            .await
            .ok()??;
        self.seen.push(event.clone());
        Some(event)
    }

    /// Waits (10 s at most) for the first event matching `pred`, recording all events.
    pub async fn wait_for(&mut self, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left).await {
                Some(event) if pred(&event) => return event,
                Some(_) => {}
                None => panic!(
                    "{}: timed out waiting for {what}; saw {:#?}",
                    self.user, self.seen
                ),
            }
        }
    }

    /// Events received within `window`.
    pub async fn drain(&mut self, window: Duration) -> Vec<Event> {
        let deadline = Instant::now() + window;
        let mut out = Vec::new();
        while let Some(event) = self
            .next(deadline.saturating_duration_since(Instant::now()))
            .await
        {
            out.push(event);
        }
        out
    }

    /// Sends a text message to `to` (private); returns the immediate status.
    pub fn send_text(&self, to: &str, text: &str) -> Result<(), Code> {
        let message = codec::new_text_message(1, to, None, text);
        self.engine.send_message(message, None)
    }

    /// Waits for the next `MessageSent`, asserts it succeeded and returns its message.
    pub async fn sent(&mut self) -> Message {
        let Event::MessageSent { code, message, .. } = self
            .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
            .await
        else {
            unreachable!()
        };
        assert_eq!(code, 0, "send failed");
        message
    }

    /// Sends a private text and returns the acknowledged message.
    pub async fn send_and_wait(&mut self, to: &str, text: &str) -> Message {
        assert_eq!(self.send_text(to, text), Ok(()));
        self.sent().await
    }

    /// Waits for the next `MessageReceived` and returns its message.
    pub async fn received(&mut self) -> Message {
        let Event::MessageReceived { message, .. } = self
            .wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
            .await
        else {
            unreachable!()
        };
        message
    }

    /// Statuses seen so far.
    pub fn statuses(&self) -> Vec<u32> {
        self.seen
            .iter()
            .filter_map(|e| match e {
                Event::ConnectionStatusChanged { status } => Some(*status),
                _ => None,
            })
            .collect()
    }
}

/// The result of a local call the engine must accept and complete (panics otherwise).
pub async fn answer<T: Send + 'static>(call: Result<Query<T>, Code>) -> T {
    match call {
        Ok(query) => query.await.expect("local call failed"),
        Err(code) => panic!("local call rejected: {code}"),
    }
}

/// Writes `len` pseudo-random bytes (incompressible, reproducible) to `path`.
pub fn random_file(path: &std::path::Path, len: u64) {
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ len;
    let bytes: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(path, bytes).unwrap();
}

pub fn text_of(message: &Message) -> String {
    assert_eq!(message.message_type, message_type::TEXT);
    message.text().unwrap_or_default().to_string()
}

pub const CONNECTED: u32 = connection_status::CONNECTED;
