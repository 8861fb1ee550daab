//! [`BridgeEngine`]: an engine plus the gate through which its replies and events leave Rust.

use crate::{events, logging, methods};
use rcim_core::{Engine, EngineConfig, EngineOptions};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;
use tokio::runtime::Runtime;

/// What a [`Sink`] did with an offered event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// The sink took the event (queued it, or dropped it for good).
    Taken,
    /// The sink is full and took nothing: the bridge offers the same event again later, and no
    /// later event before it.
    Full,
}

/// Where replies and events go (the C++ host object, or a test).
pub trait Sink: Send + Sync + 'static {
    /// The reply to call `call_id`, exactly once per accepted call. Unconditional: replies are
    /// bounded by the calls in flight.
    fn reply(&self, call_id: u64, json: &str);
    /// Offers one event. Must not block; [`Offer::Full`] makes the bridge wait (asynchronously,
    /// without holding any lock) and offer it again, so the engine's bounded event queue fills
    /// and the engine slows down instead of the host's queue growing.
    fn event(&self, json: &str) -> Offer;
}

/// How long the bridge waits before offering an event again to a full sink.
const FULL_RETRY: Duration = Duration::from_millis(1);

/// The process-wide runtime shared by all engines (two worker threads).
pub(crate) fn runtime() -> &'static Runtime {
    static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("rcim-rt")
            .enable_all()
            .build()
            .expect("cannot start the RCIM runtime")
    });
    &RUNTIME
}

/// A reply that is not known yet.
pub(crate) type Deferred = Pin<Box<dyn Future<Output = Value> + Send>>;

/// What a method handler produced.
pub(crate) enum Outcome {
    /// Reply now.
    Now(Value),
    /// Reply when the future completes.
    Later(Deferred),
}

/// Serialises callbacks of one engine and stops them for good at destroy.
pub(crate) struct Gate {
    state: Mutex<GateState>,
}

struct GateState {
    sink: Option<Arc<dyn Sink>>,
    pending: HashSet<u64>,
}

impl Gate {
    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Offers an event once: `Some(offer)`, or None when the engine was destroyed. The lock is
    /// held only for the offer itself.
    fn offer_event(&self, json: &str) -> Option<Offer> {
        let state = self.lock();
        state.sink.as_ref().map(|sink| sink.event(json))
    }

    /// Delivers an event, waiting (asynchronously, unlocked) while the sink is full; returns
    /// false, with the event not delivered, once the engine was destroyed. Callers deliver their
    /// events one at a time, awaiting each, so their order is kept.
    pub(crate) async fn deliver_event(&self, json: &str) -> bool {
        loop {
            match self.offer_event(json) {
                Some(Offer::Taken) => return true,
                Some(Offer::Full) => tokio::time::sleep(FULL_RETRY).await,
                None => return false,
            }
        }
    }

    /// Replies at once; false when the engine was destroyed (nothing was delivered).
    fn reply_now(&self, call_id: u64, json: &str) -> bool {
        let state = self.lock();
        match &state.sink {
            Some(sink) => {
                sink.reply(call_id, json);
                true
            }
            None => false,
        }
    }

    /// Registers a reply to come; false when the engine was destroyed.
    fn expect_reply(&self, call_id: u64) -> bool {
        let mut state = self.lock();
        state.sink.is_some() && state.pending.insert(call_id)
    }

    fn reply_later(&self, call_id: u64, json: &str) {
        let mut state = self.lock();
        if state.pending.remove(&call_id) {
            if let Some(sink) = &state.sink {
                sink.reply(call_id, json);
            }
        }
    }

    /// Answers pending calls with ENGINE_DESTROYED and closes the gate.
    fn close(&self) {
        let mut state = self.lock();
        if let Some(sink) = state.sink.take() {
            let destroyed = json!({ "code": rcim_core::codes::ENGINE_DESTROYED }).to_string();
            for call_id in state.pending.drain() {
                sink.reply(call_id, &destroyed);
            }
        }
    }
}

/// `createEngine`'s configuration.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateConfig {
    app_key: String,
    #[serde(default)]
    options: Option<EngineOptions>,
    data_dir: PathBuf,
}

/// One engine behind the bridge.
pub struct BridgeEngine {
    engine: Arc<Engine>,
    gate: Arc<Gate>,
}

impl BridgeEngine {
    /// Creates an engine from `{"appKey", "options", "dataDir"}`.
    pub fn create(config_json: &str, sink: Arc<dyn Sink>) -> Result<BridgeEngine, String> {
        logging::init();
        let config: CreateConfig =
            serde_json::from_str(config_json).map_err(|e| format!("invalid config: {e}"))?;
        if config.app_key.trim().is_empty() {
            return Err("appKey is empty".into());
        }
        let options = config.options.unwrap_or_default();
        let engine_config = EngineConfig::new(&config.app_key, &options, config.data_dir);
        let _entered = runtime().enter();
        let (engine, mut stream) = Engine::new(engine_config);
        let gate = Arc::new(Gate {
            state: Mutex::new(GateState {
                sink: Some(sink),
                pending: HashSet::new(),
            }),
        });
        let forward = gate.clone();
        runtime().spawn(async move {
            while let Some(event) = stream.recv().await {
                if !forward.deliver_event(&events::to_json(&event)).await {
                    break;
                }
            }
        });
        Ok(BridgeEngine {
            engine: Arc::new(engine),
            gate,
        })
    }

    /// Runs `method` with JSON `args`; the reply goes to the sink (possibly before this returns).
    /// Returns false, with no reply to come, when the engine was already destroyed.
    pub fn call(&self, call_id: u64, method: &str, args_json: &str) -> bool {
        let args: Value = match serde_json::from_str(args_json) {
            Ok(value @ Value::Object(_)) => value,
            _ => {
                let reply = json!({ "code": rcim_core::codes::PARAM_ERROR, "message": "arguments must be a JSON object" });
                return self.gate.reply_now(call_id, &reply.to_string());
            }
        };
        let context = methods::Context {
            engine: &self.engine,
            gate: &self.gate,
        };
        let _entered = runtime().enter();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            methods::dispatch(&context, method, args)
        }))
        .unwrap_or_else(|_| {
            tracing::error!(method, "method handler panicked");
            Outcome::Now(json!({ "code": rcim_core::codes::RESULT_UNKNOWN }))
        });
        match outcome {
            Outcome::Now(reply) => self.gate.reply_now(call_id, &reply.to_string()),
            Outcome::Later(future) => {
                if !self.gate.expect_reply(call_id) {
                    return false;
                }
                let gate = self.gate.clone();
                runtime().spawn(async move {
                    let reply = future.await;
                    gate.reply_later(call_id, &reply.to_string());
                });
                true
            }
        }
    }

    /// Destroys the engine: pending calls are answered ENGINE_DESTROYED, then no callback runs
    /// again. Idempotent.
    pub fn destroy(&self) {
        self.gate.close();
        self.engine.shutdown();
    }

    /// Applies `changeLogLevel` (exposed for hosts).
    pub fn set_log_level(level: u32) -> bool {
        match logging::level_filter(level) {
            Some(filter) => {
                logging::set_level(filter);
                true
            }
            None => false,
        }
    }
}

impl Drop for BridgeEngine {
    fn drop(&mut self) {
        self.destroy();
    }
}
