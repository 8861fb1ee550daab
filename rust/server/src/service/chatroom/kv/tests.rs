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
    assert!(valid_room_id("room-1"));
    assert!(!valid_room_id(&"r".repeat(65)));
    assert!(!valid_room_id("r/1"));
}

#[test]
fn overwrite_and_the_key_limit() {
    let mut kv = RoomKv::default();
    let now = Instant::now();
    let p = kv.plan_set(&set_op(&[("a", "1")], "u", false), now, 1);
    assert!(p.errors.is_empty());
    apply(&mut kv, &p);
    let p = kv.plan_set(&set_op(&[("a", "2"), ("b", "2")], "v", false), now, 2);
    assert_eq!(p.errors, BTreeMap::from([("a".into(), 23424)]));
    assert_eq!(p.entries.len(), 1);
    let p = kv.plan_set(&set_op(&[("a", "3")], "v", true), now, 3);
    assert_eq!((p.entries[0].owner.as_str(), p.errors.len()), ("v", 0));
    // 100 keys at most: counting the keys the same request adds.
    let mut kv = RoomKv::default();
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
        now,
        4,
    );
    assert_eq!(p.errors, BTreeMap::from([("x3".into(), 23423)]));
    assert_eq!(p.entries.len(), 3, "k0 replaced, x1 and x2 added");
}

#[test]
fn removal_rules() {
    let mut kv = RoomKv::default();
    let now = Instant::now();
    let p = kv.plan_set(&set_op(&[("a", "1"), ("b", "1")], "u", false), now, 1);
    apply(&mut kv, &p);
    let keys = ["a".to_string(), "b".into(), "c".into()];
    let p = kv.plan_remove(&keys, "v", false, now);
    assert_eq!(
        p.errors,
        BTreeMap::from([
            ("a".into(), 23424),
            ("b".into(), 23424),
            ("c".into(), 23427)
        ])
    );
    let p = kv.plan_remove(&keys[..1], "v", true, now);
    assert_eq!((p.entries.len(), p.errors.len()), (1, 0));
    let p = kv.plan_remove(&keys[1..2], "u", false, now);
    assert_eq!((p.entries[0].value.as_str(), p.errors.len()), ("1", 0));
}

/// 100 operations per second, every key counting; the next second starts afresh.
#[test]
fn operations_per_second() {
    let mut kv = RoomKv::default();
    let start = Instant::now();
    let keys: Vec<(String, String)> = (0..10).map(|i| (format!("k{i}"), "v".into())).collect();
    let op = SetEntries {
        entries: keys.iter().cloned().collect(),
        ..set_op(&[], "u", true)
    };
    for _ in 0..9 {
        assert!(kv.plan_set(&op, start, 1).errors.is_empty());
    }
    let p = kv.plan_set(&set_op(&[("a", "")], "u", true), start, 1);
    assert!(p.errors.is_empty(), "the 91st");
    let p = kv.plan_set(&op, start + Duration::from_millis(999), 1);
    assert_eq!(p.entries.len(), 9);
    assert_eq!(p.errors.values().copied().collect::<Vec<_>>(), [23425]);
    let p = kv.plan_set(&op, start + Duration::from_secs(1), 1);
    assert!(p.errors.is_empty());
}

#[test]
fn answers() {
    assert!(write_answer(KeyErrors::new(), true).is_ok());
    let one = KeyErrors::from([("a".into(), 23424)]);
    assert_eq!(write_answer(one.clone(), true).unwrap_err().0, 23424);
    let (code, result) = write_answer(one, false).unwrap_err();
    assert_eq!((code, result.errors["a"]), (23428, 23424));
}
