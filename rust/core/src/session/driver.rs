//! The thin I/O task that drives a [`SessionCore`]: navigation and TCP (or TLS), frame codec, tokio
//! timers, the store thread, and the event outlet towards the embedder. It feeds the core what
//! happens and carries out the actions it returns; all decisions are the core's.
//!
//! Events never block the session: they wait in the outlet (a local queue) until the engine's
//! event channel has room, while frames, heartbeats and commands keep being served. When the
//! outlet holds [`PAUSE_AT`] events or [`PAUSE_AT_BYTES`] bytes of them (weighed as their JSON)
//! the core stops taking inbox entries (they stay on the server) until it drains to
//! [`RESUME_AT`] events and [`RESUME_AT_BYTES`] bytes, so memory stays bounded.

use super::command::{Command, StopReason};
use super::core::{SessionCore, SessionParams};
use super::inbox::InboxBehind;
use super::jobs;
use super::platform::PlatformState;
use super::transport::{self, GatewayStream};
use super::types::{Action, Input};
use crate::config::EngineConfig;
use crate::db::Db;
use crate::event::{Event, EventId};
use crate::navi::{self, NaviError};
use futures::{SinkExt, StreamExt};
use rcim_proto::v1::{server_frame, ClientFrame, ConnectAck, ServerFrame};
use rcim_proto::{FrameCodec, FrameError};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use tokio_util::codec::Framed;

type Transport = Framed<GatewayStream, FrameCodec<ServerFrame, ClientFrame>>;

/// The outlet size at which the session stops taking inbox entries.
pub(crate) const PAUSE_AT: usize = 256;

/// The outlet size at which it takes them again.
pub(crate) const RESUME_AT: usize = 64;

/// The outlet weight (bytes of JSON) at which the session stops taking inbox entries.
pub(crate) const PAUSE_AT_BYTES: usize = 4 << 20;

/// The outlet weight at which it takes them again.
pub(crate) const RESUME_AT_BYTES: usize = 1 << 20;

/// Events waiting for the embedder's queue, with their weights.
#[derive(Default)]
struct Outlet {
    events: VecDeque<(Event, usize)>,
    bytes: usize,
}

impl Outlet {
    fn push(&mut self, event: Event) {
        let weight = crate::event_queue::weight(&event);
        self.bytes += weight;
        self.events.push_back((event, weight));
    }

    fn pop(&mut self) -> Option<Event> {
        let (event, weight) = self.events.pop_front()?;
        self.bytes -= weight;
        Some(event)
    }

    fn front_weight(&self) -> usize {
        self.events.front().map_or(0, |(_, weight)| *weight)
    }

    fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    fn len(&self) -> usize {
        self.events.len()
    }

    fn full(&self) -> bool {
        self.len() >= PAUSE_AT || self.bytes >= PAUSE_AT_BYTES
    }

    fn drained(&self) -> bool {
        self.len() <= RESUME_AT && self.bytes <= RESUME_AT_BYTES
    }

    fn clear(&mut self) {
        self.events.clear();
        self.bytes = 0;
    }
}

/// How often the core gets a tick (heartbeats, timeouts, the reconnect schedule).
const TICK: Duration = Duration::from_millis(250);

/// What the session needs from its engine.
pub(crate) struct SessionContext {
    pub(crate) config: EngineConfig,
    pub(crate) http: reqwest::Client,
    /// TLS of the gateway connection (the same trust as `http`).
    pub(crate) tls: Arc<rustls::ClientConfig>,
    pub(crate) device_id: String,
    pub(crate) events: crate::event_queue::EventSender,
    /// Published after every input: whether the inbox is behind the server.
    pub(crate) inbox_behind: InboxBehind,
    /// What the platform says (network, app state).
    pub(crate) platform: watch::Receiver<PlatformState>,
    /// The device's push address when `connect()` was called (`setDeviceToken`).
    pub(crate) push: Option<rcim_proto::v1::PushRegistration>,
    /// The engine's ultra-group task (`None` in tests without one).
    pub(crate) ultragroup: Option<mpsc::Sender<super::ultragroup::UltragroupSignal>>,
}

/// The session task of one `connect()` call: ends on disconnect, kick, fatal refusal, timeout
/// or engine shutdown.
pub(crate) struct ConnectionTask {
    ctx: SessionContext,
    db: Db,
    core: SessionCore,
    commands: mpsc::Receiver<Command>,
    stop: watch::Receiver<StopReason>,
}

enum OpenOutcome {
    Opened(Box<Transport>, ConnectAck),
    Failed(String),
    NaviRefused,
}

type Opening = Pin<Box<dyn Future<Output = (OpenOutcome, Vec<String>)> + Send>>;

impl ConnectionTask {
    /// A task for `user_id`; call [`ConnectionTask::run`] to start it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        ctx: SessionContext,
        db: Db,
        user_id: String,
        token: String,
        connect_event_id: EventId,
        deadline: Option<Instant>,
        commands: mpsc::Receiver<Command>,
        stop: watch::Receiver<StopReason>,
    ) -> Self {
        let params = SessionParams {
            user_id,
            token,
            app_key: ctx.config.app_key.clone(),
            device_id: ctx.device_id.clone(),
            kick_reconnect_device: ctx.config.kick_reconnect_device,
            push: ctx.push.clone(),
            heartbeat: ctx.config.heartbeat,
            send_timeout: ctx.config.send_timeout,
        };
        Self {
            core: SessionCore::new(params, connect_event_id, deadline),
            ctx,
            db,
            commands,
            stop,
        }
    }

    /// Feeds `input` to the core and publishes whether the inbox is behind.
    fn handle(&mut self, input: Input) -> Vec<Action> {
        let actions = self.core.handle(Instant::now(), input);
        self.ctx.inbox_behind.set(self.core.inbox_behind());
        actions
    }

    /// Runs until the session ends.
    pub(crate) async fn run(mut self) {
        let mut actions: VecDeque<Action> = self.core.start().into();
        let mut transport: Option<Transport> = None;
        let mut opening: Option<Opening> = None;
        let mut gateways: Vec<String> = Vec::new();
        let mut outlet = Outlet::default();
        let mut paused = false;
        let mut finishing = false;
        let mut commands_drained = false;
        // The stop signal stays set once given: take each new reason once (a sign-out may take
        // a moment, and a shutdown during it ends it at once).
        let mut last_stop = StopReason::Run;
        let mut ticker = tokio::time::interval(TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // A session begins with the network state as it is (no network: paused at once).
        let mut platform_seen = *self.ctx.platform.borrow_and_update();
        let mut platform_open = true;
        let mut platform_events = platform_seen.events_since(&platform_seen.initial());
        loop {
            for event in platform_events.drain(..) {
                actions.extend(self.handle(Input::Command(Command::Platform(event))));
            }
            while let Some(action) = actions.pop_front() {
                let input = match action {
                    Action::Send(frame) => match transport.as_mut() {
                        Some(t) => match t.send(frame).await {
                            Ok(()) => None,
                            Err(e) => {
                                tracing::debug!(error = %e, "send failed");
                                transport = None;
                                Some(Input::Closed)
                            }
                        },
                        None => None,
                    },
                    Action::Store(job) => {
                        match self.db.call(move |s| Ok(jobs::run(s, job))).await {
                            Ok(done) => Some(Input::Stored(Box::new(done))),
                            Err(e) => {
                                // The database thread is gone: the engine is going away.
                                tracing::error!(error = %e, "store unavailable; ending the session");
                                return;
                            }
                        }
                    }
                    Action::Emit(event) => {
                        outlet.push(*event);
                        None
                    }
                    Action::Open {
                        after,
                        connect,
                        deadline,
                    } => {
                        opening = Some(Box::pin(open(
                            self.ctx.config.clone(),
                            self.ctx.http.clone(),
                            self.ctx.tls.clone(),
                            std::mem::take(&mut gateways),
                            after,
                            connect,
                            deadline,
                        )));
                        None
                    }
                    Action::Close { fresh_navi } => {
                        transport = None;
                        // An attempt still running is abandoned too (the core no longer
                        // waits for it, e.g. the network went away).
                        opening = None;
                        if fresh_navi {
                            gateways.clear();
                        }
                        None
                    }
                    Action::Ultragroup(signal) => {
                        super::ultragroup::forward(&self.ctx.ultragroup, signal);
                        None
                    }
                    Action::Finish => {
                        finishing = true;
                        opening = None;
                        None
                    }
                };
                if let Some(input) = input {
                    // What the input causes runs before the rest, in order.
                    let caused = self.handle(input);
                    for action in caused.into_iter().rev() {
                        actions.push_front(action);
                    }
                }
            }
            if finishing {
                if !commands_drained {
                    // Calls handed over before the end are stored (and failed visibly, or left
                    // queued on disk), so none is silently dropped.
                    commands_drained = true;
                    self.commands.close();
                    while let Ok(command) = self.commands.try_recv() {
                        actions.extend(self.handle(Input::Command(command)));
                    }
                    continue;
                }
                while let Some(event) = outlet.pop() {
                    if self.ctx.events.send(event).await.is_err() {
                        break;
                    }
                }
                return;
            }
            if !paused && outlet.full() {
                paused = true;
                actions.extend(self.handle(Input::Backpressure(true)));
                continue;
            }
            if paused && outlet.drained() {
                paused = false;
                actions.extend(self.handle(Input::Backpressure(false)));
                continue;
            }
            let wake = self.core.wake_at(Instant::now());
            let input = tokio::select! {
                permit = self.ctx.events.reserve(outlet.front_weight()), if !outlet.is_empty() => {
                    match permit {
                        Ok(permit) => {
                            if let Some(event) = outlet.pop() {
                                permit.send(event);
                            }
                            while !outlet.is_empty() {
                                let Some(permit) = self.ctx.events.try_reserve(outlet.front_weight())
                                else {
                                    break;
                                };
                                if let Some(event) = outlet.pop() {
                                    permit.send(event);
                                }
                            }
                        }
                        Err(_) => {
                            tracing::debug!(dropped = outlet.len(), "events dropped: nobody listens");
                            outlet.clear();
                        }
                    }
                    None
                }
                frame = next_frame(&mut transport) => match frame {
                    Some(Ok(frame)) => Some(Input::Frame(Box::new(frame))),
                    Some(Err(e)) => {
                        tracing::warn!(error = %e, "bad frame from server");
                        transport = None;
                        Some(Input::Closed)
                    }
                    None => {
                        transport = None;
                        Some(Input::Closed)
                    }
                },
                (outcome, cached) = poll_opening(&mut opening) => {
                    opening = None;
                    gateways = cached;
                    Some(match outcome {
                        OpenOutcome::Opened(t, ack) => {
                            transport = Some(*t);
                            Input::Opened(ack)
                        }
                        OpenOutcome::Failed(why) => Input::OpenFailed(why),
                        OpenOutcome::NaviRefused => Input::NaviRefused,
                    })
                }
                command = self.commands.recv() => Some(match command {
                    Some(command) => Input::Command(command),
                    None => Input::Stop(StopReason::Shutdown),
                }),
                state = platform_change(&mut self.ctx.platform), if platform_open => {
                    match state {
                        Some(state) => {
                            platform_events = state.events_since(&platform_seen);
                            platform_seen = state;
                        }
                        // The engine is going away.
                        None => platform_open = false,
                    }
                    None
                }
                reason = stop_signal(&mut self.stop, last_stop), if last_stop != StopReason::Shutdown => {
                    last_stop = reason;
                    Some(Input::Stop(reason))
                }
                _ = ticker.tick() => Some(Input::Tick),
                _ = sleep_until_opt(wake) => Some(Input::Tick),
            };
            if let Some(input) = input {
                actions.extend(self.handle(input));
            }
        }
    }
}

/// The next frame of the open transport; never resolves without one.
async fn next_frame(transport: &mut Option<Transport>) -> Option<Result<ServerFrame, FrameError>> {
    match transport {
        Some(t) => t.next().await,
        None => std::future::pending().await,
    }
}

async fn poll_opening(opening: &mut Option<Opening>) -> (OpenOutcome, Vec<String>) {
    match opening {
        Some(future) => future.await,
        None => std::future::pending().await,
    }
}

/// Opens a connection: navigation (unless gateways are cached), TCP to each gateway in turn,
/// `Connect`, then the server's `ConnectAck`. Returns the outcome and the gateways to cache.
async fn open(
    config: EngineConfig,
    http: reqwest::Client,
    tls: Arc<rustls::ClientConfig>,
    gateways: Vec<String>,
    after: Duration,
    connect: ClientFrame,
    deadline: Option<Instant>,
) -> (OpenOutcome, Vec<String>) {
    tokio::time::sleep(after).await;
    let attempt = attempt(&config, &http, &tls, gateways, connect);
    match deadline {
        Some(deadline) => match tokio::time::timeout_at(deadline.into(), attempt).await {
            Ok(result) => result,
            Err(_) => (OpenOutcome::Failed("connect timed out".into()), Vec::new()),
        },
        None => attempt.await,
    }
}

async fn attempt(
    config: &EngineConfig,
    http: &reqwest::Client,
    tls: &Arc<rustls::ClientConfig>,
    mut gateways: Vec<String>,
    connect: ClientFrame,
) -> (OpenOutcome, Vec<String>) {
    if gateways.is_empty() {
        gateways = match navi::fetch_gateways(http, &config.navi_server, &config.app_key).await {
            Ok(gateways) => gateways,
            Err(NaviError::Refused(_)) => return (OpenOutcome::NaviRefused, Vec::new()),
            Err(NaviError::Transient(why)) => return (OpenOutcome::Failed(why), Vec::new()),
        };
    }
    let step = config.connect_step_timeout;
    let mut last_error = String::from("no gateway");
    for gateway in &gateways {
        let stream = match tokio::time::timeout(step, transport::connect(gateway, tls)).await {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => {
                last_error = format!("{gateway}: {e}");
                continue;
            }
            Err(_) => {
                last_error = format!("{gateway}: connect timed out");
                continue;
            }
        };
        let mut transport = Framed::new(stream, FrameCodec::new());
        if let Err(e) = transport.send(connect.clone()).await {
            last_error = e.to_string();
            continue;
        }
        match tokio::time::timeout(step, transport.next()).await {
            Ok(Some(Ok(ServerFrame {
                body: Some(server_frame::Body::ConnectAck(ack)),
                ..
            }))) => return (OpenOutcome::Opened(Box::new(transport), ack), gateways),
            Ok(other) => last_error = format!("unexpected reply to connect: {other:?}"),
            Err(_) => last_error = "connect ack timed out".into(),
        }
    }
    (OpenOutcome::Failed(last_error), gateways)
}

/// The platform state once it changed; `None` when the engine is gone.
async fn platform_change(platform: &mut watch::Receiver<PlatformState>) -> Option<PlatformState> {
    platform.changed().await.ok()?;
    Some(*platform.borrow_and_update())
}

/// Resolves when the engine asks to stop for another reason than `last` (the one already
/// taken); a dropped sender means shutdown.
async fn stop_signal(stop: &mut watch::Receiver<StopReason>, last: StopReason) -> StopReason {
    loop {
        let reason = *stop.borrow_and_update();
        if reason != StopReason::Run && reason != last {
            return reason;
        }
        if stop.changed().await.is_err() {
            return StopReason::Shutdown;
        }
    }
}

async fn sleep_until_opt(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_of(len: usize) -> Event {
        Event::MessageReceived {
            message: crate::codec::new_text_message(1, "bob", None, &"x".repeat(len)),
            left: 0,
            offline: false,
            has_package: false,
        }
    }

    #[test]
    fn the_outlet_pauses_on_bytes_as_well_as_events() {
        let mut outlet = Outlet::default();
        // Four 1 MB messages: far under the event count, at the byte bound.
        for _ in 0..4 {
            assert!(!outlet.full());
            outlet.push(message_of(1 << 20));
        }
        assert!(outlet.full());
        assert_eq!(outlet.len(), 4);
        // Resumes only once down to the lower byte bound.
        for _ in 0..3 {
            outlet.pop().unwrap();
            assert!(!outlet.drained());
        }
        outlet.pop().unwrap();
        assert!(outlet.drained() && outlet.is_empty());
        assert_eq!(outlet.bytes, 0);
        // Small events: the count bounds still apply.
        for _ in 0..PAUSE_AT {
            outlet.push(message_of(1));
        }
        assert!(outlet.full());
    }
}
