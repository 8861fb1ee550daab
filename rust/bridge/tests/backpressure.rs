//! Event backpressure at the bridge: a full sink gets every event once and in order, blocks
//! neither replies nor destroy, and caps the local calls in flight.

mod support;

use rcim_bridge::{Offer, Sink};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::*;

/// A sink whose event queue is "full" for its first `full_first` offers and then for every
/// `full_every`-th offer; it records what it took (bench indexes) and counts every offer.
struct Backpressure {
    full_first: usize,
    full_every: usize,
    offers: AtomicUsize,
    full_offers: AtomicUsize,
    taken: Mutex<Vec<u64>>,
    replies: Mutex<Vec<(u64, Value)>>,
    closed: AtomicBool,
    after_close: AtomicUsize,
}

impl Backpressure {
    fn new(full_first: usize, full_every: usize) -> Arc<Backpressure> {
        Arc::new(Backpressure {
            full_first,
            full_every,
            offers: AtomicUsize::new(0),
            full_offers: AtomicUsize::new(0),
            taken: Mutex::new(Vec::new()),
            replies: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
            after_close: AtomicUsize::new(0),
        })
    }

    fn wait_reply(&self, call_id: u64, within: Duration) -> Value {
        wait_for_reply(&self.replies, call_id, within)
    }
}

impl Sink for Backpressure {
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
        let n = self.offers.fetch_add(1, Ordering::SeqCst) + 1;
        if n <= self.full_first || (self.full_every > 0 && n % self.full_every == 0) {
            self.full_offers.fetch_add(1, Ordering::SeqCst);
            return Offer::Full;
        }
        let event: Value = serde_json::from_str(json).unwrap();
        if event["name"] == "onBench" {
            self.taken
                .lock()
                .unwrap()
                .push(event["args"]["i"].as_u64().unwrap());
        }
        Offer::Taken
    }
}

#[test]
fn a_full_sink_gets_every_event_once_and_in_order() {
    // Full for the first 50 offers, then for every 97th: each "full" event is offered again.
    let sink = Backpressure::new(50, 97);
    let (engine, _dir) = engine_with(sink.clone());
    const COUNT: u64 = 3000;
    assert!(engine.call(1, "benchEvents", &format!(r#"{{"count": {COUNT}}}"#)));
    assert_eq!(sink.wait_reply(1, Duration::from_secs(5))["code"], 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    while (sink.taken.lock().unwrap().len() as u64) < COUNT {
        assert!(Instant::now() < deadline, "events did not all arrive");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    let taken = sink.taken.lock().unwrap().clone();
    assert_eq!(
        taken,
        (0..COUNT).collect::<Vec<_>>(),
        "each event once, in order"
    );
    let full = sink.full_offers.load(Ordering::SeqCst);
    assert!(full >= 50 + 30, "{full} full offers");
    assert_eq!(sink.offers.load(Ordering::SeqCst), COUNT as usize + full);
}

#[test]
fn a_sink_that_stays_full_blocks_neither_replies_nor_destroy() {
    let sink = Backpressure::new(usize::MAX, 0);
    let (engine, _dir) = engine_with(sink.clone());
    assert!(engine.call(1, "benchEvents", r#"{"count": 10}"#));
    assert_eq!(sink.wait_reply(1, Duration::from_secs(5))["code"], 0);
    while sink.offers.load(Ordering::SeqCst) < 5 {
        std::thread::sleep(Duration::from_millis(1));
    }
    // The gate is not held while the event waits: calls are answered at once.
    assert!(engine.call(2, "ping", "{}"));
    assert_eq!(sink.wait_reply(2, Duration::from_millis(100))["code"], 0);
    assert!(engine.call(3, "pingAsync", "{}"));
    assert_eq!(sink.wait_reply(3, Duration::from_secs(1))["code"], 0);
    let started = Instant::now();
    engine.destroy();
    assert!(started.elapsed() < Duration::from_secs(1), "destroy waited");
    sink.closed.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        sink.after_close.load(Ordering::SeqCst),
        0,
        "offered after destroy"
    );
    assert!(sink.taken.lock().unwrap().is_empty());
}

/// A sink that answers "full" to every offer while `full` is set; it records what it took.
#[derive(Default)]
struct Valve {
    full: AtomicBool,
    taken: Mutex<Vec<Value>>,
    replies: Mutex<Vec<(u64, Value)>>,
}

impl Sink for Valve {
    fn reply(&self, call_id: u64, json: &str) {
        self.replies
            .lock()
            .unwrap()
            .push((call_id, serde_json::from_str(json).unwrap()));
    }

    fn event(&self, json: &str) -> Offer {
        if self.full.load(Ordering::SeqCst) {
            return Offer::Full;
        }
        self.taken
            .lock()
            .unwrap()
            .push(serde_json::from_str(json).unwrap());
        Offer::Taken
    }
}

impl Valve {
    fn reply(&self, call_id: u64) -> Value {
        wait_for_reply(&self.replies, call_id, Duration::from_secs(5))
    }

    /// The events named `name` taken so far.
    fn named(&self, name: &str) -> Vec<Value> {
        let taken = self.taken.lock().unwrap();
        taken
            .iter()
            .filter(|e| e["name"] == name)
            .cloned()
            .collect()
    }

    fn wait_named(&self, name: &str, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let events = self.named(name);
            if events.len() >= count {
                return events;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} {name}",
                events.len()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

#[test]
fn local_calls_beyond_the_cap_are_refused_while_the_sink_is_full() {
    const CAP: usize = 8;
    const EXCESS: usize = 3;
    let sink = Arc::new(Valve::default());
    let (engine, _dir) = engine_limited(sink.clone(), CAP);
    engine.call(
        1,
        "connect",
        &format!(r#"{{"token":"{ALICE_TOKEN}","timeout":0}}"#),
    );
    assert_eq!(sink.reply(1)["code"], 0);
    sink.wait_named("onDatabaseOpened", 1);

    // A slow JS listener: the sink takes nothing, so no local result can leave the bridge.
    sink.full.store(true, Ordering::SeqCst);
    let draft_call =
        |i: usize| format!(r#"{{"type":1,"targetId":"u{i}","channelId":null,"eventId":"{i}"}}"#);
    for i in 0..CAP + EXCESS {
        assert!(engine.call(100 + i as u64, "getDraftMessage", &draft_call(i)));
    }
    let codes: Vec<i64> = (0..CAP + EXCESS)
        .map(|i| sink.reply(100 + i as u64)["code"].as_i64().unwrap())
        .collect();
    let mut expected = vec![0; CAP];
    expected.extend([20604; EXCESS]);
    assert_eq!(
        codes, expected,
        "the calls beyond the cap are refused at once"
    );
    // A local call whose reply carries the result counts too.
    assert!(engine.call(200, "getMessageById", r#"{"messageId": 1}"#));
    assert_eq!(sink.reply(200), json!({ "code": 20604 }));
    std::thread::sleep(Duration::from_millis(100));
    assert!(sink.named("onDraftMessageLoaded").is_empty());

    // The listener catches up: every accepted call's result, once and in call order; nothing
    // for the refused ones.
    sink.full.store(false, Ordering::SeqCst);
    sink.wait_named("onDraftMessageLoaded", CAP);
    std::thread::sleep(Duration::from_millis(100));
    let loaded = sink.named("onDraftMessageLoaded");
    let ids: Vec<&str> = loaded
        .iter()
        .map(|e| e["eventId"].as_str().unwrap())
        .collect();
    let expected_ids: Vec<String> = (0..CAP).map(|i| i.to_string()).collect();
    assert_eq!(ids, expected_ids);
    for (i, event) in loaded.iter().enumerate() {
        assert_eq!(event["args"]["targetId"], format!("u{i}"));
        assert_eq!(event["args"]["code"], 0);
    }

    // Their places are free again.
    assert!(engine.call(300, "getDraftMessage", &draft_call(300)));
    assert_eq!(sink.reply(300)["code"], 0);
    let loaded = sink.wait_named("onDraftMessageLoaded", CAP + 1);
    assert_eq!(loaded[CAP]["eventId"], "300");
    assert!(engine.call(301, "getMessageById", r#"{"messageId": 1}"#));
    assert_eq!(sink.reply(301), json!({ "code": 34204 }));
    engine.destroy();
}
