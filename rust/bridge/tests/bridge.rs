//! The bridge's contract, without C++: replies, argument errors, destroy, event backpressure.

use rcim_bridge::{BridgeEngine, Offer, Sink, MAX_LOCAL_CALLS_IN_FLIGHT};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Recorder {
    replies: Mutex<Vec<(u64, Value)>>,
    events: Mutex<Vec<Value>>,
    event_count: AtomicUsize,
    closed: AtomicBool,
    after_close: AtomicUsize,
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
fn wait_for_reply(replies: &Mutex<Vec<(u64, Value)>>, call_id: u64, within: Duration) -> Value {
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
    fn reply(&self, call_id: u64) -> Value {
        wait_for_reply(&self.replies, call_id, Duration::from_secs(5))
    }
}

fn engine() -> (BridgeEngine, Arc<Recorder>, tempfile::TempDir) {
    let recorder = Arc::new(Recorder::default());
    let (engine, dir) = engine_with(recorder.clone());
    (engine, recorder, dir)
}

fn engine_with(sink: Arc<dyn Sink>) -> (BridgeEngine, tempfile::TempDir) {
    engine_limited(sink, MAX_LOCAL_CALLS_IN_FLIGHT)
}

fn engine_limited(
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
fn invalid_configs_are_refused() {
    let sink = Arc::new(Recorder::default());
    assert!(BridgeEngine::create("{", sink.clone()).is_err());
    assert!(BridgeEngine::create(r#"{"appKey":"","dataDir":"/tmp"}"#, sink.clone()).is_err());
    assert!(BridgeEngine::create(r#"{"appKey":5,"dataDir":"/tmp"}"#, sink).is_err());
}

#[test]
fn argument_errors_answer_param_error_and_fire_nothing() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "ping", "{}");
    assert_eq!(rec.reply(1)["code"], 0);
    engine.call(2, "sendMessage", r#"{"message": 42}"#);
    assert_eq!(rec.reply(2)["code"], 1);
    engine.call(
        3,
        "getMessages",
        r#"{"type":1,"targetId":"b","sentTime":0,"order":0,"policy":0,"count":"20"}"#,
    );
    assert_eq!(rec.reply(3)["code"], 1);
    engine.call(
        4,
        "getMessages",
        r#"{"type":1,"targetId":"b","sentTime":0,"order":0,"policy":0,"count":21}"#,
    );
    assert_eq!(rec.reply(4)["code"], 1);
    engine.call(5, "noSuchMethod", "{}");
    assert_eq!(rec.reply(5)["code"], 1);
    engine.call(6, "connect", "not json");
    assert_eq!(rec.reply(6)["code"], 1);
    engine.call(7, "connect", r#"{"token": 1, "timeout": 0}"#);
    assert_eq!(rec.reply(7)["code"], 1);
    engine.call(8, "changeLogLevel", r#"{"level": 9}"#);
    assert_eq!(rec.reply(8)["code"], 1);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        rec.events.lock().unwrap().is_empty(),
        "no events after rejected calls"
    );
}

#[test]
fn create_text_message_resolves_the_object() {
    let (engine, rec, _dir) = engine();
    engine.call(
        1,
        "createTextMessage",
        r#"{"type":1,"targetId":"bob","channelId":null,"text":"hi"}"#,
    );
    let reply = rec.reply(1);
    assert_eq!(reply["code"], 0);
    assert_eq!(reply["value"]["text"], "hi");
    assert_eq!(reply["value"]["messageType"], 2);
    assert_eq!(reply["value"]["conversationType"], 1);
    assert_eq!(reply["value"]["targetId"], "bob");
}

#[test]
fn every_create_method_resolves_its_type_or_answers_param_error() {
    let (engine, rec, _dir) = engine();
    let to = r#""type":1,"targetId":"bob","channelId":null"#;
    let quoted =
        r#"{"conversationType":1,"messageType":2,"targetId":"bob","messageUId":"U1","text":"q"}"#;
    let cases = [
        ("createImageMessage", r#""path":"/a.jpg""#.to_string(), 4),
        ("createFileMessage", r#""path":"/a.pdf""#.into(), 5),
        ("createGIFMessage", r#""path":"/a.gif""#.into(), 7),
        (
            "createVoiceMessage",
            r#""path":"/a.aac","duration":3"#.into(),
            3,
        ),
        (
            "createSightMessage",
            r#""path":"/a.mp4","duration":3"#.into(),
            6,
        ),
        (
            "createReferenceMessage",
            format!(r#""referenceMessage":{quoted},"text":"r""#),
            9,
        ),
        (
            "createCustomMessage",
            r#""policy":1,"messageIdentifier":"App:Card","fields":{"a":"b"}"#.into(),
            1,
        ),
        (
            "createLocationMessage",
            r#""longitude":116.3,"latitude":39.9,"poiName":"P","thumbnailPath":"/t.jpg""#.into(),
            12,
        ),
    ];
    for (i, (method, args, message_type)) in cases.iter().enumerate() {
        let id = i as u64 + 1;
        engine.call(id, method, &format!("{{{to},{args}}}"));
        let reply = rec.reply(id);
        assert_eq!(reply["code"], 0, "{method}: {reply}");
        assert_eq!(reply["value"]["messageType"], *message_type, "{method}");
        assert_eq!(reply["value"]["channelId"], "", "{method}");
    }
    assert_eq!(rec.reply(7)["value"]["fields"]["a"], "b");
    let bad = [
        (
            "createTextMessage",
            r#""type":1,"targetId":"bob","channelId":"123456789012345678901","text":"x""#,
        ),
        (
            "createCustomMessage",
            r#""type":1,"targetId":"bob","policy":1,"messageIdentifier":"RC:X","fields":{}"#,
        ),
        (
            "createCustomMessage",
            r#""type":1,"targetId":"bob","policy":5,"messageIdentifier":"A","fields":{}"#,
        ),
        (
            "createLocationMessage",
            r#""type":1,"targetId":"bob","longitude":200,"latitude":0,"poiName":"","thumbnailPath":"""#,
        ),
        (
            "createTextMessage",
            r#""type":0,"targetId":"bob","text":"x""#,
        ),
    ];
    for (i, (method, args)) in bad.iter().enumerate() {
        let id = 100 + i as u64;
        engine.call(id, method, &format!("{{{args}}}"));
        assert_eq!(rec.reply(id)["code"], 1, "{method} {args}");
    }
}

#[test]
fn calls_needing_the_database_before_connect_answer_33001() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "getMessageById", r#"{"messageId": 1}"#);
    assert_eq!(rec.reply(1)["code"], 33001);
    engine.call(
        2,
        "getConversations",
        r#"{"conversationTypes":[1],"channelId":null,"startTime":0,"count":10}"#,
    );
    assert_eq!(rec.reply(2)["code"], 33001);
}

#[test]
fn a_bad_token_surfaces_31004_with_the_event_id() {
    let (engine, rec, _dir) = engine();
    engine.call(
        1,
        "connect",
        r#"{"token":"garbage","timeout":5,"eventId":"e1"}"#,
    );
    assert_eq!(rec.reply(1)["code"], 0);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let events = rec.events.lock().unwrap().clone();
        if let Some(e) = events.iter().find(|e| e["name"] == "onConnected") {
            assert_eq!(e["args"]["code"], 31004);
            assert_eq!(e["args"]["userId"], "");
            assert_eq!(e["eventId"], "e1");
            assert!(events
                .iter()
                .any(|e| e["name"] == "onConnectionStatusChanged" && e["args"]["status"] == 5));
            break;
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn no_callback_runs_after_destroy_returns() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "benchEvents", r#"{"count": 200000}"#);
    assert_eq!(rec.reply(1)["code"], 0);
    while rec.event_count.load(Ordering::SeqCst) < 10 {
        std::thread::yield_now();
    }
    engine.destroy();
    rec.closed.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(rec.after_close.load(Ordering::SeqCst), 0);
    // Calls after destroy are refused (no reply will come); destroy is idempotent.
    assert!(!engine.call(9, "ping", "{}"));
    engine.destroy();
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

#[test]
fn local_store_methods_check_their_arguments() {
    let (engine, rec, _dir) = engine();
    let refused = [
        // Wrong types.
        ("saveDraftMessage", r#"{"type":1,"targetId":"b","draft":5}"#),
        ("getDraftMessage", r#"{"type":"1","targetId":"b"}"#),
        ("clearDraftMessage", r#"{"type":1}"#),
        ("loadMessageCount", r#"{"type":1,"targetId":7}"#),
        ("getFirstUnreadMessage", r#"{"type":1,"targetId":null}"#),
        (
            "getUnreadCountByConversationTypes",
            r#"{"conversationTypes":[1],"channelId":null,"contain":"yes"}"#,
        ),
        (
            "searchMessages",
            r#"{"type":1,"targetId":"b","keyword":"x","startTime":"0","count":10}"#,
        ),
        // Out of range.
        (
            "loadUnreadCountByConversationTypes",
            r#"{"conversationTypes":[],"channelId":null,"contain":true}"#,
        ),
        (
            "getUnreadCountByConversationTypes",
            r#"{"conversationTypes":[1,6],"channelId":null,"contain":true}"#,
        ),
        (
            "searchMessages",
            r#"{"type":1,"targetId":"b","keyword":"x","startTime":0,"count":0}"#,
        ),
        (
            "searchMessages",
            r#"{"type":1,"targetId":"b","keyword":"x","startTime":0,"count":51}"#,
        ),
        (
            "searchMessages",
            r#"{"type":1,"targetId":"b","keyword":"","startTime":0,"count":10}"#,
        ),
        (
            "searchMessages",
            r#"{"type":3,"targetId":"room","keyword":"x","startTime":0,"count":10}"#,
        ),
        ("getMessageCount", r#"{"type":0,"targetId":"b"}"#),
        ("loadDraftMessage", r#"{"type":1,"targetId":""}"#),
        // searchMessagesByUserId: a wrong type, count out of 1..=50, no user, no conversation.
        (
            "searchMessagesByUserId",
            r#"{"userId":7,"type":2,"targetId":"g","startTime":0,"count":10}"#,
        ),
        (
            "searchMessagesByUserId",
            r#"{"userId":"u","type":2,"targetId":"g","startTime":0,"count":0}"#,
        ),
        (
            "searchMessagesByUserId",
            r#"{"userId":"u","type":2,"targetId":"g","startTime":0,"count":51}"#,
        ),
        (
            "searchMessagesByUserId",
            r#"{"userId":"","type":2,"targetId":"g","startTime":0,"count":10}"#,
        ),
        (
            "searchMessagesByUserId",
            r#"{"userId":"u","type":2,"targetId":"","startTime":0,"count":10}"#,
        ),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        engine.call(i as u64 + 1, method, args);
        assert_eq!(rec.reply(i as u64 + 1)["code"], 1, "{method} {args}");
    }
    // Valid arguments before connect: the database is not open yet.
    engine.call(
        100,
        "searchMessages",
        r#"{"type":1,"targetId":"b","channelId":null,"keyword":"x","startTime":0,"count":50}"#,
    );
    assert_eq!(rec.reply(100)["code"], 33001);
    engine.call(
        101,
        "saveDraftMessage",
        r#"{"type":1,"targetId":"b","channelId":null,"draft":"d","eventId":"1"}"#,
    );
    assert_eq!(rec.reply(101)["code"], 33001);
    engine.call(
        102,
        "searchMessagesByUserId",
        r#"{"userId":"u","type":2,"targetId":"g","channelId":null,"startTime":0,"count":50}"#,
    );
    assert_eq!(rec.reply(102)["code"], 33001);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        rec.events.lock().unwrap().is_empty(),
        "no events after rejected calls"
    );
}

impl Recorder {
    /// Waits for the `n`-th recorded event named `name` (0-based).
    fn event_named(&self, name: &str, n: usize) -> Value {
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

    fn names(&self) -> Vec<String> {
        let events = self.events.lock().unwrap();
        events
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    }
}

/// A token the engine accepts for app "k", user "alice" (only the server checks signatures).
const ALICE_TOKEN: &str = "eyJhIjoiayIsInUiOiJhbGljZSJ9.sig";

#[test]
fn local_results_reach_their_listener_with_the_call_arguments_in_call_order() {
    let (engine, rec, _dir) = engine();
    engine.call(
        1,
        "connect",
        &format!(r#"{{"token":"{ALICE_TOKEN}","timeout":0,"eventId":"c"}}"#),
    );
    assert_eq!(rec.reply(1)["code"], 0);
    // The session's own events: serde on the engine's Event, eventId at the top.
    assert_eq!(
        rec.event_named("onDatabaseOpened", 0),
        json!({ "name": "onDatabaseOpened", "eventId": "c", "args": { "code": 0 } })
    );

    let calls = [
        (
            "saveDraftMessage",
            r#"{"type":1,"targetId":"bob","channelId":null,"draft":"草稿","eventId":"d"}"#,
        ),
        (
            "getDraftMessage",
            r#"{"type":1,"targetId":"bob","channelId":null}"#,
        ),
        (
            "loadMessages",
            r#"{"type":1,"targetId":"bob","channelId":"","sentTime":0,"order":0,"policy":0,"count":20,"eventId":"m"}"#,
        ),
        (
            "getConversations",
            r#"{"conversationTypes":[1,2],"channelId":null,"startTime":0,"count":10}"#,
        ),
        (
            "getUnreadCountByConversationTypes",
            r#"{"conversationTypes":[1],"contain":true}"#,
        ),
        ("getConversation", r#"{"type":1,"targetId":"nobody"}"#),
    ];
    for (i, (method, args)) in calls.iter().enumerate() {
        engine.call(10 + i as u64, method, args);
        assert_eq!(rec.reply(10 + i as u64)["code"], 0, "{method}");
    }
    assert_eq!(
        rec.event_named("onDraftMessageSaved", 0),
        json!({ "name": "onDraftMessageSaved", "eventId": "d", "args": {
            "code": 0, "type": 1, "targetId": "bob", "channelId": "", "draft": "草稿" } })
    );
    assert_eq!(
        rec.event_named("onDraftMessageLoaded", 0),
        json!({ "name": "onDraftMessageLoaded", "args": {
            "code": 0, "type": 1, "targetId": "bob", "channelId": "", "draft": "草稿" } })
    );
    assert_eq!(
        rec.event_named("onMessagesLoaded", 0),
        json!({ "name": "onMessagesLoaded", "eventId": "m", "args": {
            "code": 0, "type": 1, "targetId": "bob", "channelId": "", "sentTime": 0, "order": 0,
            "messages": [] } })
    );
    let conversations = rec.event_named("onConversationsLoaded", 0);
    let args = conversations["args"].as_object().unwrap();
    let mut keys: Vec<_> = args.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "channelId",
            "code",
            "conversationTypes",
            "conversations",
            "count",
            "startTime"
        ]
    );
    assert_eq!(args["conversations"][0]["targetId"], "bob");
    assert_eq!(args["conversations"][0]["draft"], "草稿");
    assert_eq!(
        rec.event_named("onUnreadCountByConversationTypesLoaded", 0),
        json!({ "name": "onUnreadCountByConversationTypesLoaded", "args": {
            "code": 0, "conversationTypes": [1], "channelId": "", "contain": true, "count": 0 } })
    );
    assert_eq!(
        rec.event_named("onConversationLoaded", 0),
        json!({ "name": "onConversationLoaded", "args": {
            "code": 0, "type": 1, "targetId": "nobody", "channelId": "", "conversation": null } })
    );
    // Results come in the order of the calls.
    let order: Vec<String> = rec
        .names()
        .into_iter()
        .filter(|n| n.ends_with("Loaded") || n.ends_with("Saved"))
        .filter(|n| n != "onDatabaseOpened")
        .collect();
    assert_eq!(
        order,
        [
            "onDraftMessageSaved",
            "onDraftMessageLoaded",
            "onMessagesLoaded",
            "onConversationsLoaded",
            "onUnreadCountByConversationTypesLoaded",
            "onConversationLoaded",
        ]
    );
    engine.destroy();
}

#[test]
fn media_calls_check_their_message_and_file_at_once() {
    let (engine, rec, dir) = engine();
    let image = |local: &str| {
        json!({ "message": { "conversationType": 1, "targetId": "bob", "messageType": 4,
            "local": local } })
        .to_string()
    };
    let text = r#"{"message":{"conversationType":1,"targetId":"bob","messageType":2,"text":"x"}}"#;
    engine.call(1, "sendMediaMessage", text);
    assert_eq!(rec.reply(1)["code"], 34223);
    let missing = dir.path().join("missing.png");
    engine.call(2, "sendMediaMessage", &image(missing.to_str().unwrap()));
    assert_eq!(rec.reply(2)["code"], 34234);
    engine.call(3, "sendMediaMessage", &image(dir.path().to_str().unwrap()));
    assert_eq!(rec.reply(3)["code"], 34234);
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    engine.call(4, "sendMediaMessage", &image(empty.to_str().unwrap()));
    assert_eq!(rec.reply(4)["code"], 34018);
    engine.call(5, "downloadMediaMessage", &image(""));
    assert_eq!(rec.reply(5)["code"], 34235);
    engine.call(6, "cancelSendingMediaMessage", &image(""));
    assert_eq!(rec.reply(6)["code"], 34204);
    engine.call(7, "cancelDownloadingMediaMessage", &image(""));
    assert_eq!(rec.reply(7)["code"], 34204);
    // A media message given to sendMessage (R081).
    engine.call(8, "sendMessage", &image(empty.to_str().unwrap()));
    assert_eq!(rec.reply(8)["code"], 1);
    engine.destroy();
}

#[test]
fn the_method_table_lists_its_names() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "__methods", "{}");
    let reply = rec.reply(1);
    assert_eq!(reply["code"], 0);
    let names: Vec<&str> = reply["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for name in [
        "__methods",
        "connect",
        "sendMessage",
        "getMessages",
        "loadMessages",
        "getMessageById",
        "changeConversationTopStatus",
        "searchMessages",
        "searchMessagesByUserId",
        "sendMediaMessage",
        "cancelSendingMediaMessage",
        "downloadMediaMessage",
        "cancelDownloadingMediaMessage",
        "deleteLocalMessages",
        "deleteMessages",
        "clearMessages",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "a name appears twice");
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

#[test]
fn history_and_deletion_rows_check_their_arguments() {
    let (engine, rec, _dir) = engine();
    let msg = |id: i64| {
        json!({ "conversationType": 1, "targetId": "bob", "messageType": 1,
        "messageId": id, "messageUId": format!("U{id}") })
    };
    let too_many: Vec<Value> = (1..=101).map(msg).collect();
    let refused = [
        // getMessages: bad policy, REMOTE on a chatroom.
        (
            "getMessages",
            json!({"type":1,"targetId":"b","sentTime":0,"order":0,"policy":3,"count":20}),
        ),
        (
            "loadMessages",
            json!({"type":3,"targetId":"room","sentTime":0,"order":0,"policy":1,"count":20}),
        ),
        // deleteLocalMessages: none, too many, no messageId, not a list.
        ("deleteLocalMessages", json!({ "messages": [] })),
        ("deleteLocalMessages", json!({ "messages": too_many })),
        (
            "deleteLocalMessages",
            json!({ "messages": [{ "conversationType": 1, "targetId": "bob", "messageType": 1 }] }),
        ),
        ("deleteLocalMessages", json!({ "messages": 5 })),
        // deleteMessages: a message of another conversation, a chatroom, none.
        (
            "deleteMessages",
            json!({ "type": 1, "targetId": "eve", "channelId": null, "messages": [msg(1)] }),
        ),
        (
            "deleteMessages",
            json!({ "type": 3, "targetId": "room", "channelId": null, "messages": [] }),
        ),
        (
            "deleteMessages",
            json!({ "type": 1, "targetId": "bob", "channelId": null, "messages": [] }),
        ),
        // clearMessages: negative time, bad policy, chatroom, missing policy, REMOTE on SYSTEM.
        (
            "clearMessages",
            json!({ "type": 1, "targetId": "bob", "timestamp": -1, "policy": 0 }),
        ),
        (
            "clearMessages",
            json!({ "type": 1, "targetId": "bob", "timestamp": 0, "policy": 3 }),
        ),
        (
            "clearMessages",
            json!({ "type": 3, "targetId": "room", "timestamp": 0, "policy": 0 }),
        ),
        (
            "clearMessages",
            json!({ "type": 1, "targetId": "bob", "timestamp": 0 }),
        ),
        (
            "clearMessages",
            json!({ "type": 4, "targetId": "sys", "timestamp": 0, "policy": 1 }),
        ),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        engine.call(i as u64 + 1, method, &args.to_string());
        assert_eq!(rec.reply(i as u64 + 1)["code"], 1, "{method} {args}");
    }
    // Valid before connect: no session, no database.
    engine.call(
        50,
        "deleteMessages",
        &json!({ "type": 1, "targetId": "bob", "messages": [msg(1)] }).to_string(),
    );
    assert_eq!(rec.reply(50)["code"], 33001);
    engine.call(
        51,
        "getMessages",
        r#"{"type":1,"targetId":"b","sentTime":0,"order":0,"policy":2,"count":20}"#,
    );
    assert_eq!(rec.reply(51)["code"], 33001);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        rec.events.lock().unwrap().is_empty(),
        "no events after rejected calls"
    );

    // Connected (no server needed for the local parts).
    engine.call(
        60,
        "connect",
        &format!(r#"{{"token":"{ALICE_TOKEN}","timeout":0,"eventId":"c"}}"#),
    );
    assert_eq!(rec.reply(60)["code"], 0);
    rec.event_named("onDatabaseOpened", 0);
    engine.call(
        61,
        "deleteLocalMessages",
        &json!({ "messages": [msg(404)], "eventId": "dl" }).to_string(),
    );
    assert_eq!(rec.reply(61)["code"], 0);
    let deleted = rec.event_named("onLocalMessagesDeleted", 0);
    assert_eq!(deleted["eventId"], "dl");
    assert_eq!(deleted["args"]["code"], 0);
    assert_eq!(deleted["args"]["messages"][0]["messageId"], 404);
    // R111: a timestamp after the newest message (none here) is refused in the result.
    engine.call(
        62,
        "clearMessages",
        r#"{"type":1,"targetId":"bob","channelId":null,"timestamp":5,"policy":0,"eventId":"c1"}"#,
    );
    assert_eq!(rec.reply(62)["code"], 0);
    assert_eq!(
        rec.event_named("onMessagesCleared", 0),
        json!({ "name": "onMessagesCleared", "eventId": "c1", "args": {
            "code": 1, "type": 1, "targetId": "bob", "channelId": "", "timestamp": 5 } })
    );
    engine.call(
        63,
        "clearMessages",
        r#"{"type":1,"targetId":"bob","channelId":null,"timestamp":0,"policy":0,"eventId":"c2"}"#,
    );
    assert_eq!(rec.reply(63)["code"], 0);
    assert_eq!(rec.event_named("onMessagesCleared", 1)["args"]["code"], 0);
    // A SYSTEM conversation has no cloud history: deleted locally, reported at once.
    engine.call(
        64,
        "deleteMessages",
        &json!({ "type": 4, "targetId": "sys", "channelId": null, "eventId": "d4",
            "messages": [{ "conversationType": 4, "targetId": "sys", "messageType": 1,
                "messageId": 9 }] })
        .to_string(),
    );
    assert_eq!(rec.reply(64)["code"], 0);
    let deleted = rec.event_named("onMessagesDeleted", 0);
    assert_eq!(deleted["eventId"], "d4");
    assert_eq!(deleted["args"]["code"], 0);
    assert_eq!(deleted["args"]["type"], 4);
    assert_eq!(deleted["args"]["targetId"], "sys");
    assert_eq!(deleted["args"]["messages"][0]["messageId"], 9);
    engine.destroy();
}
