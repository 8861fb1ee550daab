//! A full chatroom KV room (100 values of 4096 characters) against the frame limit: the join
//! answer carries a first page and `more_entries`, the rest is read in pages by key order,
//! and a departing member's 100 `delete_when_left` entries reach the others as several
//! `entries_changed` events, the connection staying up throughout.

mod chatroom_common;
mod common;

use chatroom_common::*;
use common::*;
use rcim_proto::v1::{
    chat_room_event, request, response, ChatRoomEntries, ChatRoomEntriesRequest, SetChatRoomEntries,
};
use std::collections::HashMap;
use std::time::Duration;

const ROOM: &str = "full";
const KEYS: usize = 100;

fn key(i: usize) -> String {
    format!("key{i:03}")
}

/// 4096 characters of three bytes each: the largest value in bytes.
fn value(i: usize) -> String {
    let mut v = "值".repeat(4095);
    v.push(char::from(b'a' + (i % 26) as u8));
    v
}

async fn set_all(c: &mut RawClient) {
    for batch in 0..KEYS / 10 {
        let entries: HashMap<String, String> = (batch * 10..batch * 10 + 10)
            .map(|i| (key(i), value(i)))
            .collect();
        let body = request::Body::ChatroomSetEntries(SetChatRoomEntries {
            room_id: ROOM.into(),
            entries,
            delete_when_left: true,
            overwrite: false,
        });
        // The room allows 100 operations a second: wait out a window that filled up.
        let mut tries = 0;
        loop {
            let r = call(c, "", body.clone()).await;
            if r.code == 0 {
                break;
            }
            tries += 1;
            assert!(tries < 3, "set batch {batch}: {r:?}");
            tokio::time::sleep(Duration::from_millis(1100)).await;
        }
    }
}

async fn page(c: &mut RawClient, after_key: &str) -> ChatRoomEntries {
    let body = request::Body::ChatroomEntries(ChatRoomEntriesRequest {
        room_id: ROOM.into(),
        keys: Vec::new(),
        after_key: after_key.into(),
    });
    let r = call(c, "", body).await;
    assert_eq!(r.code, 0, "page after {after_key:?}");
    match r.body {
        Some(response::Body::ChatroomEntries(e)) => e,
        other => panic!("expected KV entries, got {other:?}"),
    }
}

/// Reads the pages after `first` (with `more`) until the last: every entry.
async fn read_rest(
    c: &mut RawClient,
    mut all: HashMap<String, String>,
    mut more: bool,
    pages: &mut usize,
) -> HashMap<String, String> {
    while more {
        let after = all.keys().max().cloned().unwrap_or_default();
        let p = page(c, &after).await;
        assert!(!p.entries.is_empty(), "a page with more has entries");
        assert!(
            p.entries.keys().all(|k| *k > after),
            "key order after {after}"
        );
        *pages += 1;
        more = p.more;
        all.extend(p.entries);
    }
    all
}

fn expected() -> HashMap<String, String> {
    (0..KEYS).map(|i| (key(i), value(i))).collect()
}

#[tokio::test]
async fn a_full_kv_room_is_read_and_removed_in_parts() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |_| {}).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    join_ok(&mut a, ROOM, 0).await;
    set_all(&mut a).await;

    // The join answer: a first page, and the word that more follow.
    let joined = join_ok(&mut b, ROOM, 0).await;
    assert!(joined.more_entries, "{} entries", joined.entries.len());
    assert!(!joined.entries.is_empty() && joined.entries.len() < KEYS);
    let mut pages = 1;
    let all = read_rest(&mut b, joined.entries.clone(), true, &mut pages).await;
    assert_eq!(all, expected());
    assert!(pages >= 3, "{pages} pages");

    // Get-all from the start: the same first page, then the rest.
    let first = page(&mut a, "").await;
    assert_eq!(first.entries, joined.entries);
    let mut pages = 1;
    let all = read_rest(&mut a, first.entries, first.more, &mut pages).await;
    assert_eq!(all, expected());

    // The setter leaves: its 100 `delete_when_left` entries go, told in several events.
    assert_eq!(leave(&mut a, ROOM).await, 0);
    let mut removed = HashMap::new();
    let mut events = 0;
    while removed.len() < KEYS {
        let e = next_non_member_event(&mut b).await;
        let Some(chat_room_event::Body::EntriesChanged(ch)) = e.body else {
            panic!("expected a KV change, got {e:?}");
        };
        assert!(ch.removed && ch.operator_id == "a", "{:?}", ch.operator_id);
        events += 1;
        removed.extend(ch.entries);
    }
    assert_eq!(removed, expected());
    assert!(events >= 3, "{events} events");
    // Still connected, and the room is empty.
    let after = page(&mut b, "").await;
    assert!(after.entries.is_empty() && !after.more);
    server.shutdown().await;
}
