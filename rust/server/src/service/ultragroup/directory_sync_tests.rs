//! Two directories on one store, as two nodes: one follows the other's notices, or reads
//! the store again after missing them, and both end as a fresh load would.

use super::*;
use crate::service::ultragroup::DirectoryLimits;
use crate::store::conformance::Harness;
use crate::store::{SqlStore, UgListKind};
use std::sync::{Arc, Mutex};

fn users(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

async fn load(store: &dyn ServerStore) -> Directory {
    Directory::load(
        store.ug_directory().await.unwrap(),
        DirectoryLimits::default(),
    )
}

/// Changes through `d`: a group "g" of "a", "b", "c" with a public channel "pub" and a
/// private channel "priv" listing "b", "c" muted; then "c" quits.
async fn changes(d: &Directory, s: &dyn ServerStore) {
    d.create_group(s, "g", "G", "a", 10).await.unwrap();
    d.join(s, "g", &users(&["b", "c"]), 11).await.unwrap();
    d.create_channel(s, "g", "pub", false, 12).await.unwrap();
    d.create_channel(s, "g", "priv", true, 13).await.unwrap();
    d.change_list(s, "g", "priv", UgListKind::Private, &users(&["b"]), true)
        .await
        .unwrap();
    d.change_list(s, "g", "", UgListKind::Muted, &users(&["c"]), true)
        .await
        .unwrap();
    d.rename(s, "g", "G2").await.unwrap();
    d.create_group(s, "h", "H", "c", 14).await.unwrap();
    d.quit(s, "g", &users(&["c"])).await.unwrap();
}

/// What a node answers about the sample.
fn view(d: &Directory) -> Vec<String> {
    let mut out = Vec::new();
    for u in ["a", "b", "c"] {
        out.push(format!("{u}: {:?}", d.channels_of(u)));
    }
    for g in ["g", "h"] {
        out.push(format!(
            "{g}: {:?} {:?} {:?} {:?}",
            d.name_of(g),
            d.members_of(g),
            d.channels(g),
            d.list(g, "", UgListKind::Muted)
        ));
    }
    out.push(format!("{:?}", d.list("g", "priv", UgListKind::Private)));
    out
}

#[tokio::test]
async fn a_node_following_the_notices_matches_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::start(|sink| SqlStore::open(dir.path(), sink).unwrap());
    let s = h.store.as_ref();
    let (here, there) = (load(s).await, load(s).await);
    there.set_online("b", true);
    let sent: Arc<Mutex<Vec<UgDirectoryWrite>>> = Arc::default();
    let relay = sent.clone();
    here.set_relay(Box::new(move |op| relay.lock().unwrap().push(op.clone())));
    changes(&here, s).await;
    let ops = std::mem::take(&mut *sent.lock().unwrap());
    assert_eq!(ops.len(), 9, "one notice per stored change: {ops:?}");
    let mut told = Vec::new();
    for op in &ops {
        let affected = there.apply_remote(op);
        if !affected.is_empty() {
            told.push((
                super::super::directory_apply::group_of(op).to_owned(),
                affected,
            ));
        }
    }
    // "b", online over there, gained the group (join) and the public channel; being listed
    // in a private channel changes what "b" reads.
    assert_eq!(
        told,
        [
            ("g".to_string(), users(&["b"])),
            ("g".to_string(), users(&["b"])),
            ("g".to_string(), users(&["b"])),
        ]
    );
    let fresh = load(s).await;
    assert_eq!(view(&there), view(&fresh));
    assert_eq!(view(&here), view(&fresh));
    // A notice applied twice (a reload replaying it) changes nothing more.
    for op in &ops {
        there.apply_remote(op);
    }
    assert_eq!(view(&there), view(&fresh));
}

#[tokio::test]
async fn a_node_that_missed_notices_reads_the_store_again() {
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::start(|sink| SqlStore::open(dir.path(), sink).unwrap());
    let s = h.store.as_ref();
    let (here, there) = (load(s).await, load(s).await);
    there.set_online("b", true);
    changes(&here, s).await;
    assert_eq!(there.channels_of("b"), []);
    let changed = there.reload(s).await.unwrap();
    assert_eq!(view(&there), view(&load(s).await));
    // The online user who gained channels is told, and is still online for delivery.
    assert_eq!(changed.get("g"), Some(&users(&["b"])));
    assert_eq!(changed.len(), 1);
    assert_eq!(there.online_readers("g", "priv"), users(&["b"]));
    // Nothing missed: nothing to tell.
    assert!(there.reload(s).await.unwrap().is_empty());
}
