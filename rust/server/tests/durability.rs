//! Durability: an acknowledged message is committed before it is acknowledged. The cut is
//! simulated by copying the database files (the WAL included, never checkpointed during the
//! run) while a client sends, and starting a server from the copy: every message acknowledged
//! before the copy began is there, and the inbox epoch stays (nothing went back in time).
//!
//! What the copy does not prove: it reads the files through the same page cache the server
//! wrote them to, so it sees every commit whether or not it was fsynced, and it passes with
//! `synchronous=NORMAL` as well. That a commit also reaches the disk before its answer (FULL,
//! the default) is checked where the writer's connection is opened (the unit test
//! `the_writer_syncs_as_configured` in the store's schema module).

mod common;

use common::*;
use futures::StreamExt as _;
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const DB_FILE: &str = "rcim.sqlite3";

/// Copies what a power cut leaves on disk: the high-water file as it was before, then the
/// database and its WAL as they are (the WAL's last frames may be torn mid-copy: SQLite
/// ignores an incomplete commit when it recovers). The `-shm` index is rebuilt from the WAL.
fn copy_like_a_power_cut(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(from.join("rcim.highwater"), to.join("rcim.highwater")).unwrap();
    for name in [DB_FILE.to_string(), format!("{DB_FILE}-wal")] {
        std::fs::copy(from.join(&name), to.join(&name)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_survive_a_power_cut() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("live");
    let mut cfg = config(&data);
    cfg.send_rate_per_sec = 0;
    // No checkpoint during the run: every acknowledged commit is only in the WAL.
    cfg.storage.wal_autocheckpoint_pages = 0;
    let server = rcim_server::start(cfg.clone()).await.unwrap();
    let (_, first_ack) = RawClient::login(server.gateway_addr(), Login::new("bob", "b1")).await;
    assert_ne!(first_ack.inbox_epoch, 0, "the server tracks an epoch");

    // Alice sends as fast as acks come back (16 in flight) until told to stop.
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut alice = RawClient::connect(server.gateway_addr(), "alice", "a1").await;
    let sender = {
        let (acked, stop) = (acked.clone(), stop.clone());
        tokio::spawn(async move {
            let mut in_flight = 0;
            let mut n = 0u64;
            loop {
                while in_flight < 16 && !stop.load(Ordering::Relaxed) {
                    let o = RawClient::text(&fresh_request_id(), "bob", &format!("m{n}"));
                    alice.send(send_body(o)).await;
                    n += 1;
                    in_flight += 1;
                }
                if in_flight == 0 {
                    break;
                }
                let Some(frame) = alice.recv().await else {
                    break;
                };
                if let Some(r) = response_of(frame) {
                    let ack = SendAck::of(r);
                    assert_eq!(ack.code, 0);
                    acked.lock().unwrap().push(ack.uid);
                    in_flight -= 1;
                }
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(600)).await;
    // Everything acknowledged so far must be in the copy.
    let before: Vec<String> = acked.lock().unwrap().clone();
    let copy = dir.path().join("copy");
    copy_like_a_power_cut(&data, &copy);
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    sender.await.unwrap();
    let total = acked.lock().unwrap().len();
    assert!(before.len() > 50, "only {} acknowledged", before.len());
    server.abort();

    let mut cfg = cfg.clone();
    cfg.data_dir = copy;
    let server = rcim_server::start(cfg).await.unwrap();
    let (mut bob, ack) = RawClient::login(server.gateway_addr(), Login::new("bob", "b1")).await;
    assert_eq!(ack.code, 0);
    assert_eq!(
        ack.inbox_epoch, first_ack.inbox_epoch,
        "a database that lost nothing keeps its epoch"
    );
    let mut stored = HashSet::new();
    let mut after = 0;
    loop {
        let page = bob.sync(after, 500).await;
        for e in &page.entries {
            stored.insert(message(e).uid.clone());
            after = e.seq;
        }
        if !page.has_more {
            break;
        }
    }
    let missing: Vec<&String> = before.iter().filter(|u| !stored.contains(*u)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged messages missing after the cut",
        missing.len(),
        before.len()
    );
    assert!(
        stored.len() <= total,
        "{} stored, {total} acknowledged",
        stored.len()
    );
    // Drain so the connection closes cleanly.
    let _ = tokio::time::timeout(Duration::from_millis(50), bob.framed.next()).await;
    server.shutdown().await;
}
