//! What the bridge tests share: a recording sink, engines on a temporary data directory, and
//! waiting for replies and events. (Each test file uses part of it.)
#![allow(dead_code)]

use rcim_bridge::{BridgeEngine, Offer, Sink, MAX_LOCAL_CALLS_IN_FLIGHT};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Recorder {
    pub replies: Mutex<Vec<(u64, Value)>>,
    pub events: Mutex<Vec<Value>>,
    pub event_count: AtomicUsize,
    pub closed: AtomicBool,
    pub after_close: AtomicUsize,
}

impl Sink for Recorder {
    fn reply(&self, call_id: u64, json: &str) {
        self.replies
            .lock()
            .unwrap()
            .push((call_id, serde_json::from_str(json).unwrap()));
    }

    fn event(&self, json: &str) -> Offer {
        if self.closed.load(Ordering::SeqCst) {
            self.after_close.fetch_add(1, Ordering::SeqCst);
        }
        self.event_count.fetch_add(1, Ordering::SeqCst);
        if self.event_count.load(Ordering::SeqCst) < 100 {
            self.events
                .lock()
                .unwrap()
                .push(serde_json::from_str(json).unwrap());
        }
        Offer::Taken
    }
}

/// The reply to `call_id` among `replies`, waiting up to `within` for it.
pub fn wait_for_reply(replies: &Mutex<Vec<(u64, Value)>>, call_id: u64, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        if let Some((_, v)) = replies
            .lock()
            .unwrap()
            .iter()
            .find(|(id, _)| *id == call_id)
        {
            return v.clone();
        }
        assert!(Instant::now() < deadline, "no reply to call {call_id}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

impl Recorder {
    pub fn reply(&self, call_id: u64) -> Value {
        wait_for_reply(&self.replies, call_id, Duration::from_secs(5))
    }
}

pub fn engine() -> (BridgeEngine, Arc<Recorder>, tempfile::TempDir) {
    let recorder = Arc::new(Recorder::default());
    let (engine, dir) = engine_with(recorder.clone());
    (engine, recorder, dir)
}

pub fn engine_with(sink: Arc<dyn Sink>) -> (BridgeEngine, tempfile::TempDir) {
    engine_limited(sink, MAX_LOCAL_CALLS_IN_FLIGHT)
}

pub fn engine_limited(
    sink: Arc<dyn Sink>,
    max_local_calls: usize,
) -> (BridgeEngine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = serde_json::json!({
        "appKey": "k",
        "options": { "naviServer": "http://127.0.0.1:9" },
        "dataDir": dir.path(),
    });
    let engine =
        BridgeEngine::create_with_local_call_limit(&config.to_string(), sink, max_local_calls)
            .unwrap();
    (engine, dir)
}

impl Recorder {
    /// Waits for the `n`-th recorded event named `name` (0-based).
    pub fn event_named(&self, name: &str, n: usize) -> Value {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let found = self
                .events
                .lock()
                .unwrap()
                .iter()
                .filter(|e| e["name"] == name)
                .nth(n)
                .cloned();
            if let Some(event) = found {
                return event;
            }
            assert!(Instant::now() < deadline, "no event {name} #{n}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn names(&self) -> Vec<String> {
        let events = self.events.lock().unwrap();
        events
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    }
}

/// A token the engine accepts for app "k", user "alice" (only the server checks signatures).
pub const ALICE_TOKEN: &str = "eyJhIjoiayIsInUiOiJhbGljZSJ9.sig";

/// An engine with alice's database open (connect with timeout 0; no server needed).
pub fn connected() -> (BridgeEngine, Arc<Recorder>, tempfile::TempDir) {
    let (engine, rec, dir) = engine();
    engine.call(
        1,
        "connect",
        &format!(r#"{{"token":"{ALICE_TOKEN}","timeout":0}}"#),
    );
    assert_eq!(rec.reply(1)["code"], 0);
    rec.event_named("onDatabaseOpened", 0);
    (engine, rec, dir)
}

/// Calls `method` with `args` as call `id` and returns the reply's code.
pub fn call(engine: &BridgeEngine, rec: &Recorder, id: u64, method: &str, args: Value) -> Value {
    engine.call(id, method, &args.to_string());
    rec.reply(id)["code"].clone()
}
