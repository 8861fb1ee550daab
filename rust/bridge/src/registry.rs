//! [`BridgeEngine`]: an engine plus the gate through which its replies and events leave Rust.

use crate::call::{Context, Outcome, PendingEvent};
use crate::gate::{Gate, Sink};
use crate::{events, logging, methods};
use futures::stream::{FuturesOrdered, StreamExt};
use rcim_core::{Engine, EngineConfig, EngineOptions, EventStream};
use serde::Deserialize;
use serde_json::{json, Value};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, Weak};
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, Semaphore};

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

/// Every engine created and not dropped yet: platform events reach them all.
static LIVE: LazyLock<Mutex<Vec<Weak<Engine>>>> = LazyLock::new(Mutex::default);

/// Hands a platform event (`rcim_platform_event`: kind 1 = network, value 0 none,
/// 1 available, 2 changed; kind 2 = app state, value 1 foreground, 0 background) to every live
/// engine. Engines that are gone are forgotten here.
pub fn platform_event(kind: u32, value: i32) {
    let engines: Vec<Arc<Engine>> = {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|engine| engine.strong_count() > 0);
        live.iter().filter_map(Weak::upgrade).collect()
    };
    let _entered = runtime().enter();
    for engine in engines {
        engine.platform_event(kind, value);
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

/// How many local calls (`Local` and `Reply` rows of the method table) may be in flight per
/// engine: accepted, with their result not yet handed to the sink. Beyond it a call is refused
/// with SEND_MSG_FREQUENCY_OVERRUN (20604). No app that awaits its results comes near it; it
/// bounds what waits in the bridge while a slow JS listener keeps the sink full (the same order
/// as the engine's event queue).
pub const MAX_LOCAL_CALLS_IN_FLIGHT: usize = 10_000;

/// One engine behind the bridge.
pub struct BridgeEngine {
    engine: Arc<Engine>,
    gate: Arc<Gate>,
    results: mpsc::UnboundedSender<PendingEvent>,
    in_flight: Arc<Semaphore>,
}

impl BridgeEngine {
    /// Creates an engine from `{"appKey", "options", "dataDir"}`.
    pub fn create(config_json: &str, sink: Arc<dyn Sink>) -> Result<BridgeEngine, String> {
        Self::create_with_local_call_limit(config_json, sink, MAX_LOCAL_CALLS_IN_FLIGHT)
    }

    /// [`BridgeEngine::create`] with another cap than [`MAX_LOCAL_CALLS_IN_FLIGHT`] on the local
    /// calls in flight (tests use a small one).
    pub fn create_with_local_call_limit(
        config_json: &str,
        sink: Arc<dyn Sink>,
        max_local_calls: usize,
    ) -> Result<BridgeEngine, String> {
        logging::init();
        let config: CreateConfig =
            serde_json::from_str(config_json).map_err(|e| format!("invalid config: {e}"))?;
        if config.app_key.trim().is_empty() {
            return Err("appKey is empty".into());
        }
        let options = config.options.unwrap_or_default();
        let engine_config = EngineConfig::new(&config.app_key, &options, config.data_dir);
        let _entered = runtime().enter();
        let (engine, stream) = Engine::new(engine_config);
        let gate = Arc::new(Gate::new(sink));
        let (results, pending_results) = mpsc::unbounded_channel();
        runtime().spawn(forward(stream, pending_results, gate.clone()));
        let engine = Arc::new(engine);
        LIVE.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::downgrade(&engine));
        Ok(BridgeEngine {
            engine,
            gate,
            results,
            in_flight: Arc::new(Semaphore::new(max_local_calls.min(Semaphore::MAX_PERMITS))),
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
        let context = Context {
            engine: &self.engine,
            gate: &self.gate,
            results: &self.results,
            in_flight: &self.in_flight,
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
        logging::change_level(level)
    }
}

impl Drop for BridgeEngine {
    fn drop(&mut self) {
        self.destroy();
    }
}

/// Delivers one engine's events to its gate, one at a time: the engine's own events as they
/// come, and the results of local calls in the order the calls were made. `calls` has no bound
/// of its own: each result in it holds a place among the local calls in flight, freed here once
/// the sink took the result.
async fn forward(
    mut stream: EventStream,
    mut calls: mpsc::UnboundedReceiver<PendingEvent>,
    gate: Arc<Gate>,
) {
    let mut results = FuturesOrdered::new();
    loop {
        let (json, in_flight) = tokio::select! {
            event = stream.recv() => match event {
                Some(event) => (events::to_json(&event), None),
                None => break,
            },
            Some(call) = calls.recv() => {
                results.push_back(call);
                continue;
            }
            Some((json, in_flight)) = results.next(), if !results.is_empty() => {
                (json, Some(in_flight))
            }
        };
        if !gate.deliver_event(&json).await {
            break;
        }
        // Only now, with the result in the sink, may another local call take its place.
        drop(in_flight);
    }
}
