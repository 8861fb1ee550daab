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
        body: Some(ultra_group_event::Body::Message(WireMessage {
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
        })),
    }))
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
    events: mpsc::Receiver<Event>,
    /// The `after_seq` of every changes request the fake server got (it refuses them all).
    fetches: Arc<Mutex<Vec<u64>>>,
    db: Db,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::config::EngineConfig::new(
        "key",
        &crate::config::EngineOptions::default(),
        dir.path().to_path_buf(),
    );
    let (events_tx, events) = mpsc::channel(100);
    let shared = Arc::new(Shared {
        config,
        http: reqwest::Client::new(),
        media_http: reqwest::Client::new(),
        device_id: "d".into(),
        events: events_tx,
    });
    let db = Db::open(dir.path().join("db.sqlite")).await.unwrap();
    let (commands, mut server) = mpsc::channel(16);
    let fetches = Arc::new(Mutex::new(Vec::new()));
    let seen = fetches.clone();
    tokio::spawn(async move {
        while let Some(command) = server.recv().await {
            if let crate::session::Command::Read(read) = command {
                if let request::Body::UltragroupChanges(c) = &read.body {
                    seen.lock().unwrap().push(c.after_seq);
                }
                (read.reply)(Err(rcim_proto::codes::SERVER_UNKNOWN_ERROR));
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
