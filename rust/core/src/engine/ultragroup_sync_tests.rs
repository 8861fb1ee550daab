//! The ultra-group task with a fake server: live messages are applied at once, the cursor
//! moves through the sequences this device knows (its own changes, `skipped_seq` ticks), and
//! only a gap left open is fetched — once, without losing the live message when the fetch
//! fails.

use super::super::ultragroup_gaps::GAP_WAIT;
use super::*;
use crate::db::Db;
use crate::shared::Shared;
use rcim_proto::v1::Message as WireMessage;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn live(uid: &str, seq: u64) -> UltragroupSignal {
    UltragroupSignal::Event(Box::new(UltraGroupEvent {
        group_id: "g".into(),
        channel_id: "news".into(),
        body: Some(ultra_group_event::Body::Message(wire(uid, seq))),
    }))
}

/// Message `uid` of channel g/news, inserted as history sequence and change `seq`.
fn wire(uid: &str, seq: u64) -> WireMessage {
    WireMessage {
        uid: uid.into(),
        conversation_type: 5,
        to_id: "g".into(),
        channel_id: "news".into(),
        sender_id: "bob".into(),
        object_name: "RC:TxtMsg".into(),
        content: r#"{"content":"hi"}"#.into(),
        sent_time: seq as i64,
        persisted: true,
        counted: true,
        conv_seq: seq,
        change_seq: seq,
        ..Default::default()
    }
}

fn skipped(seq: u64) -> UltragroupSignal {
    UltragroupSignal::Event(Box::new(UltraGroupEvent {
        group_id: "g".into(),
        channel_id: "news".into(),
        body: Some(ultra_group_event::Body::SkippedSeq(seq)),
    }))
}

fn own(seq: u64) -> UltragroupSignal {
    UltragroupSignal::Known {
        group_id: "g".into(),
        channel_id: "news".into(),
        change_seq: seq,
    }
}

struct Fixture {
    signals: mpsc::Sender<UltragroupSignal>,
    events: crate::EventStream,
    /// The `after_seq` of every changes request the fake server got.
    fetches: Arc<Mutex<Vec<u64>>>,
    /// The `only_group_id` of every states request it got.
    syncs: Arc<Mutex<Vec<String>>>,
    db: Db,
    _dir: tempfile::TempDir,
}

/// How the fake server answers a read.
type Answer = Box<dyn Fn(&request::Body) -> Result<Option<response::Body>, u32> + Send>;

/// A task whose server refuses every read.
async fn fixture() -> Fixture {
    fixture_answering(Box::new(|_| Err(rcim_proto::codes::SERVER_UNKNOWN_ERROR))).await
}

async fn fixture_answering(answer: Answer) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::config::EngineConfig::new(
        "key",
        &crate::config::EngineOptions::default(),
        dir.path().to_path_buf(),
    );
    let (events_tx, events) = crate::event_queue::channel(100, 1 << 20);
    let shared = Arc::new(Shared {
        config,
        http: reqwest::Client::new(),
        media_http: reqwest::Client::new(),
        tls: std::sync::Arc::new(crate::tls::refusing_config("unused".into())),
        device_id: "d".into(),
        events: events_tx,
    });
    let db = Db::open(dir.path().join("db.sqlite")).await.unwrap();
    let (commands, mut server) = mpsc::channel(16);
    let fetches = Arc::new(Mutex::new(Vec::new()));
    let syncs = Arc::new(Mutex::new(Vec::new()));
    let (seen, seen_syncs) = (fetches.clone(), syncs.clone());
    tokio::spawn(async move {
        while let Some(command) = server.recv().await {
            if let crate::session::Command::Read(read) = command {
                match &read.body {
                    request::Body::UltragroupChanges(c) => seen.lock().unwrap().push(c.after_seq),
                    request::Body::UltragroupSync(r) => {
                        seen_syncs.lock().unwrap().push(r.only_group_id.clone())
                    }
                    _ => {}
                }
                (read.reply)(answer(&read.body));
            }
        }
    });
    let (signals, rx) = mpsc::channel(16);
    let link = UgLink {
        commands,
        db: db.clone(),
        me: "me".into(),
        shared,
        signals: signals.downgrade(),
    };
    tokio::spawn(run(link, rx));
    Fixture {
        signals,
        events,
        fetches,
        syncs,
        db,
        _dir: dir,
    }
}

impl Fixture {
    async fn received(&mut self) -> String {
        loop {
            let event = tokio::time::timeout(Duration::from_secs(5), self.events.recv())
                .await
                .expect("an event")
                .expect("events open");
            if let Event::MessageReceived { message, .. } = event {
                return message.message_uid.unwrap_or_default();
            }
        }
    }

    async fn cursor(&self) -> u64 {
        self.db
            .call(|s| s.ultragroup_cursor(&channel_key("g", "news")))
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn own_changes_and_ticks_move_the_cursor_without_a_fetch() {
    let mut f = fixture().await;
    f.signals.send(live("m1", 1)).await.unwrap();
    assert_eq!(f.received().await, "m1");
    // This device's own send (answered with its sequence), then a directed message for
    // someone else (a tick), then the next message: all contiguous.
    f.signals.send(own(2)).await.unwrap();
    f.signals.send(skipped(3)).await.unwrap();
    f.signals.send(live("m4", 4)).await.unwrap();
    assert_eq!(f.received().await, "m4");
    assert_eq!(f.cursor().await, 4);
    tokio::time::sleep(GAP_WAIT + Duration::from_millis(300)).await;
    assert!(f.fetches.lock().unwrap().is_empty(), "no fetch");
}

#[tokio::test]
async fn a_gap_left_open_is_fetched_once_and_the_live_message_stays() {
    let mut f = fixture().await;
    f.signals.send(live("m1", 1)).await.unwrap();
    // 2 never comes: 3 is applied at once all the same.
    f.signals.send(live("m3", 3)).await.unwrap();
    assert_eq!(f.received().await, "m1");
    assert_eq!(f.received().await, "m3");
    assert!(f.fetches.lock().unwrap().is_empty(), "the gap waits first");
    tokio::time::sleep(GAP_WAIT + Duration::from_millis(500)).await;
    assert_eq!(
        *f.fetches.lock().unwrap(),
        [1],
        "one fetch after the cursor"
    );
    // The fetch failed: the live message is kept, the cursor stays before the gap.
    let stored =
        f.db.call(|s| s.message_by_uid("m3"))
            .await
            .unwrap()
            .is_some();
    assert!(stored);
    assert_eq!(f.cursor().await, 1);
    tokio::time::sleep(GAP_WAIT).await;
    assert_eq!(
        f.fetches.lock().unwrap().len(),
        1,
        "not asked again by itself"
    );
}

#[tokio::test]
async fn a_state_counts_messages_once_and_reads_by_sequence_and_resync_reads_one_group() {
    use rcim_proto::v1::{UltraGroupChanges, UltraGroupStates};
    let answer: Answer = Box::new(|body| match body {
        request::Body::UltragroupSync(_) => {
            Ok(Some(response::Body::UltragroupStates(UltraGroupStates {
                channels: vec![UltraGroupChannelState {
                    group_id: "g".into(),
                    channel_id: "news".into(),
                    head_seq: 2,
                    last_message: Some(wire("m2", 2)),
                    unread_count: 1,
                    read_seq: 1,
                    ..Default::default()
                }],
                more: false,
            })))
        }
        // Read after the state: m2 was modified since (a new change sequence), m3 is new.
        request::Body::UltragroupChanges(_) => {
            let mut modified = wire("m2", 2);
            modified.change_seq = 4;
            modified.content = r#"{"content":"edited"}"#.into();
            Ok(Some(response::Body::UltragroupChanges(UltraGroupChanges {
                messages: vec![wire("m1", 1), wire("m3", 3), modified],
                head_seq: 4,
                more: false,
            })))
        }
        _ => Err(rcim_proto::codes::SERVER_UNKNOWN_ERROR),
    });
    let mut f = fixture_answering(answer).await;
    f.signals.send(UltragroupSignal::Connected).await.unwrap();
    for uid in ["m1", "m3", "m2"] {
        assert_eq!(f.received().await, uid);
    }
    let key = channel_key("g", "news");
    let (unread, m1) =
        f.db.call(move |s| Ok((s.unread_count(&key)?, s.message_by_uid("m1")?)))
            .await
            .unwrap();
    // The state's one unread (m2) plus m3, which arrived after it; m2 is not counted again
    // for its later change.
    assert_eq!(unread, 2);
    assert_eq!(
        m1.unwrap().received_status,
        rcim_store::received_status::READ,
        "m1 is at the read position (sequence 1)"
    );
    assert_eq!(f.cursor().await, 4);
    assert_eq!(
        *f.syncs.lock().unwrap(),
        [""],
        "a connection reads every group"
    );

    let resync = UltraGroupEvent {
        group_id: "g".into(),
        channel_id: String::new(),
        body: Some(ultra_group_event::Body::Resync(true)),
    };
    f.signals
        .send(UltragroupSignal::Event(Box::new(resync)))
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), async {
        while f.syncs.lock().unwrap().len() < 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("a resync");
    assert_eq!(
        f.syncs.lock().unwrap()[1],
        "g",
        "a resync reads its group only"
    );
}
