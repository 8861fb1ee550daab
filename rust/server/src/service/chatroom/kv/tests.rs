//! Unit tests of the KV limits and answers (no server needed).

use super::*;

fn set_op(entries: &[(&str, &str)], owner: &str, overwrite: bool) -> SetEntries {
    SetEntries {
        room_id: "r".into(),
        entries: entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        owner: owner.into(),
        auto_delete: false,
        overwrite,
    }
}

fn apply(kv: &mut RoomKv, planned: &Planned) {
    for e in &planned.entries {
        kv.entries.insert(e.key.clone(), e.clone());
    }
}

#[test]
fn keys_and_values() {
    assert!(valid_key("a+b=c_d-E9"));
    assert!(valid_key(&"k".repeat(128)));
    assert!(!valid_key(&"k".repeat(129)));
    assert!(!valid_key(""));
    assert!(!valid_key("a b"));
    assert!(!valid_key("键"));
    assert!(valid_value(&"值".repeat(4096)), "characters, not bytes");
    assert!(!valid_value(&"v".repeat(4097)));
    assert!(valid_value(""));
}

#[test]
fn overwrite_and_the_key_limit() {
    let mut kv = RoomKv::default();
    let rates = KeyedRates::default();
    let now = Instant::now();
    let p = kv.plan_set(
        &set_op(&[("a", "1")], "u", false),
        &OpRate::new(&rates, "r", now),
        1,
    );
    assert!(p.errors.is_empty());
    apply(&mut kv, &p);
    let p = kv.plan_set(
        &set_op(&[("a", "2"), ("b", "2")], "v", false),
        &OpRate::new(&rates, "r", now),
        2,
    );
    assert_eq!(p.errors, BTreeMap::from([("a".into(), 23424)]));
    assert_eq!(p.entries.len(), 1);
    let p = kv.plan_set(
        &set_op(&[("a", "3")], "v", true),
        &OpRate::new(&rates, "r", now),
        3,
    );
    assert_eq!((p.entries[0].owner.as_str(), p.errors.len()), ("v", 0));
    // 100 keys at most: counting the keys the same request adds.
    let mut kv = RoomKv::default();
    let rates = KeyedRates::default();
    for i in 0..98 {
        let k = format!("k{i}");
        kv.entries.insert(
            k.clone(),
            ChatroomEntry {
                key: k,
                value: String::new(),
                owner: "u".into(),
                auto_delete: false,
                set_time: 0,
            },
        );
    }
    let p = kv.plan_set(
        &set_op(&[("x1", ""), ("x2", ""), ("x3", ""), ("k0", "")], "u", true),
        &OpRate::new(&rates, "r", now),
        4,
    );
    assert_eq!(p.errors, BTreeMap::from([("x3".into(), 23423)]));
    assert_eq!(p.entries.len(), 3, "k0 replaced, x1 and x2 added");
}

#[test]
fn removal_rules() {
    let mut kv = RoomKv::default();
    let rates = KeyedRates::default();
    let now = Instant::now();
    let p = kv.plan_set(
        &set_op(&[("a", "1"), ("b", "1")], "u", false),
        &OpRate::new(&rates, "r", now),
        1,
    );
    apply(&mut kv, &p);
    let keys = ["a".to_string(), "b".into(), "c".into()];
    let p = kv.plan_remove(&keys, "v", false, &OpRate::new(&rates, "r", now));
    assert_eq!(
        p.errors,
        BTreeMap::from([
            ("a".into(), 23424),
            ("b".into(), 23424),
            ("c".into(), 23427)
        ])
    );
    let p = kv.plan_remove(&keys[..1], "v", true, &OpRate::new(&rates, "r", now));
    assert_eq!((p.entries.len(), p.errors.len()), (1, 0));
    let p = kv.plan_remove(&keys[1..2], "u", false, &OpRate::new(&rates, "r", now));
    assert_eq!((p.entries[0].value.as_str(), p.errors.len()), ("1", 0));
}

/// 100 operations per second, every key counting; the next second starts afresh.
#[test]
fn operations_per_second() {
    let mut kv = RoomKv::default();
    let rates = KeyedRates::default();
    let start = Instant::now();
    let keys: Vec<(String, String)> = (0..10).map(|i| (format!("k{i}"), "v".into())).collect();
    let op = SetEntries {
        entries: keys.iter().cloned().collect(),
        ..set_op(&[], "u", true)
    };
    for _ in 0..9 {
        assert!(kv
            .plan_set(&op, &OpRate::new(&rates, "r", start), 1)
            .errors
            .is_empty());
    }
    let p = kv.plan_set(
        &set_op(&[("a", "")], "u", true),
        &OpRate::new(&rates, "r", start),
        1,
    );
    assert!(p.errors.is_empty(), "the 91st");
    let p = kv.plan_set(
        &op,
        &OpRate::new(&rates, "r", start + Duration::from_millis(999)),
        1,
    );
    assert_eq!(p.entries.len(), 9);
    assert_eq!(p.errors.values().copied().collect::<Vec<_>>(), [23425]);
    let p = kv.plan_set(
        &op,
        &OpRate::new(&rates, "r", start + Duration::from_secs(1)),
        1,
    );
    assert!(p.errors.is_empty());
}

fn entry(key: &str, value: &str) -> ChatroomEntry {
    ChatroomEntry {
        key: key.into(),
        value: value.into(),
        owner: "u".into(),
        auto_delete: true,
        set_time: 1,
    }
}

/// A full room (100 values of 4096 characters, three bytes each) goes out in parts that
/// each fit in half a frame, every entry exactly once.
#[test]
fn a_full_room_is_cut_into_parts_that_fit() {
    let value = "值".repeat(MAX_VALUE_CHARS);
    let entries: Vec<ChatroomEntry> = (0..MAX_KEYS)
        .map(|i| entry(&format!("k{i:03}"), &value))
        .collect();
    let parts = chunks(&entries);
    assert!(parts.len() > 1);
    let mut seen = 0;
    for part in &parts {
        let changed = ChatRoomEntriesChanged {
            removed: true,
            entries: part.clone(),
            operator_id: "u".into(),
        };
        assert!(prost::Message::encoded_len(&changed) <= PAGE_BYTES);
        seen += part.len();
    }
    assert_eq!(seen, MAX_KEYS);
    // Pages: the first ones say more follow, the last one does not.
    let (first, more) = fit_page(entries.iter().map(|e| (e.key.as_str(), e.value.as_str())));
    assert!(more && first.len() < MAX_KEYS);
    let (small, more) = fit_page([("a", "1"), ("b", "2")]);
    assert_eq!((small.len(), more), (2, false));
    assert_eq!(chunks(&[]).len(), 0);
}
