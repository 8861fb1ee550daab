//! Message expansion (R065–R066, R123–R128): the form the store keeps, and the limits every
//! change obeys (defined once in [`rcim_proto::expansion`], which the client engine applies
//! too, plus the Server API's own per-call count). Nothing here does I/O.
//!
//! Stored form: a JSON object `{key: {"v": value, "ts": ms}}` (the time each key was last
//! set, which the Server API's `/message/expansion/query.json` answers); on the wire the
//! message carries the plain `key → value` map.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};

// The rules clients and the server share (keys, values, per update, per message, bytes).
pub(crate) use rcim_proto::expansion::{
    byte_size, check_change, check_initial, LimitExceeded, MAX_BYTES, MAX_KEYS_PER_MESSAGE,
    MAX_KEYS_PER_UPDATE,
};

/// Most keys one Server API call sets or removes (RongCloud's server SDKs: 100). Server-only:
/// clients are held to [`MAX_KEYS_PER_UPDATE`].
pub(crate) const MAX_KEYS_PER_API_CALL: usize = 100;

/// A message's expansion as stored: key → (value, time it was set).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Stored(BTreeMap<String, (String, i64)>);

impl Stored {
    /// The expansion a message is sent with, every key set at `time`.
    pub(crate) fn initial(expansion: &HashMap<String, String>, time: i64) -> Self {
        Self(
            expansion
                .iter()
                .map(|(k, v)| (k.clone(), (v.clone(), time)))
                .collect(),
        )
    }

    /// Parses the stored JSON leniently: empty or malformed text is an empty expansion,
    /// entries that are not `{v, ts}` objects are skipped.
    pub(crate) fn parse(json: &str) -> Self {
        if json.is_empty() {
            return Self::default();
        }
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) else {
            tracing::warn!("unreadable stored expansion; treating it as empty");
            return Self::default();
        };
        Self(
            map.into_iter()
                .filter_map(|(k, e)| {
                    let v = e.get("v")?.as_str()?.to_owned();
                    let ts = e.get("ts").and_then(Value::as_i64).unwrap_or(0);
                    Some((k, (v, ts)))
                })
                .collect(),
        )
    }

    /// The stored JSON (empty text for an empty expansion).
    pub(crate) fn to_json(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let map: Map<String, Value> = self
            .0
            .iter()
            .map(|(k, (v, ts))| (k.clone(), json!({"v": v, "ts": ts})))
            .collect();
        Value::Object(map).to_string()
    }

    /// The wire form: key → value.
    pub(crate) fn to_wire(&self) -> HashMap<String, String> {
        self.0
            .iter()
            .map(|(k, (v, _))| (k.clone(), v.clone()))
            .collect()
    }

    /// Sets `set` (at `time`) and removes `remove`; checks the per-message caps afterwards
    /// (nothing changed when they are exceeded).
    pub(crate) fn apply(
        &mut self,
        set: &HashMap<String, String>,
        remove: &[String],
        time: i64,
    ) -> Result<(), LimitExceeded> {
        let mut next = self.0.clone();
        for k in remove {
            next.remove(k);
        }
        for (k, v) in set {
            next.insert(k.clone(), (v.clone(), time));
        }
        if next.len() > MAX_KEYS_PER_MESSAGE {
            return Err(LimitExceeded(format!(
                "more than {MAX_KEYS_PER_MESSAGE} keys on the message"
            )));
        }
        if byte_size(next.iter().map(|(k, (v, _))| (k, v))) > MAX_BYTES {
            return Err(LimitExceeded(format!(
                "the expansion would be larger than {MAX_BYTES} bytes"
            )));
        }
        self.0 = next;
        Ok(())
    }

    /// Entries in key order with their times (`/message/expansion/query.json`).
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&String, &String, i64)> {
        self.0.iter().map(|(k, (v, ts))| (k, v, *ts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn keys_values_and_counts_are_checked() {
        assert!(check_change(&map(&[("k", "v")]), &["r".into()], 20).is_ok());
        assert!(check_change(&map(&[("k k", "v")]), &[], 20).is_err());
        assert!(check_change(&map(&[]), &["bad key".into()], 20).is_err());
        let long = "值".repeat(4096);
        assert!(check_change(&map(&[("k", &long)]), &[], 20).is_ok());
        let many: HashMap<String, String> =
            (0..21).map(|i| (format!("k{i}"), "v".into())).collect();
        assert!(check_change(&many, &[], MAX_KEYS_PER_UPDATE).is_err());
        assert!(check_change(&many, &[], MAX_KEYS_PER_API_CALL).is_ok());
        // 20 values of 4096 four-byte characters exceed the byte cap.
        let big: HashMap<String, String> = (0..20)
            .map(|i| (format!("k{i}"), "😀".repeat(4096)))
            .collect();
        assert!(check_initial(&big).is_err());
    }

    /// A message is sent with as many keys as it may hold (300), not only one update's 20.
    #[test]
    fn a_message_is_sent_with_up_to_300_keys() {
        for n in [21, 100, MAX_KEYS_PER_MESSAGE] {
            let keys: HashMap<String, String> =
                (0..n).map(|i| (format!("k{i}"), "v".repeat(64))).collect();
            assert_eq!(check_initial(&keys), Ok(()), "{n} keys");
        }
        let over: HashMap<String, String> = (0..=MAX_KEYS_PER_MESSAGE)
            .map(|i| (format!("k{i}"), "v".into()))
            .collect();
        assert!(check_initial(&over).is_err());
    }

    /// Updates within R066 (20 values of 4096 ASCII characters) count, up to the byte cap.
    #[test]
    fn updates_within_r066_are_stored() {
        let mut s = Stored::default();
        let full = |round: usize| -> HashMap<String, String> {
            (0..MAX_KEYS_PER_UPDATE)
                .map(|i| (format!("r{round}k{i}"), "v".repeat(4096)))
                .collect()
        };
        assert_eq!(s.apply(&full(0), &[], 1), Ok(()));
        assert_eq!(s.to_wire().len(), MAX_KEYS_PER_UPDATE);
        // A second full update would pass the frame-derived byte cap: refused, nothing changed.
        let before = s.clone();
        assert!(s.apply(&full(1), &[], 2).is_err());
        assert_eq!(s, before);
    }

    #[test]
    fn stored_form_round_trips_and_caps_the_total() {
        let mut s = Stored::initial(&map(&[("a", "1"), ("b", "2")]), 5);
        assert_eq!(Stored::parse(&s.to_json()), s);
        s.apply(&map(&[("a", "x")]), &["b".into(), "zz".into()], 9)
            .unwrap();
        assert_eq!(s.to_wire(), map(&[("a", "x")]));
        assert_eq!(
            s.entries().collect::<Vec<_>>(),
            vec![(&"a".into(), &"x".into(), 9)]
        );
        for round in 0..15 {
            let n = if round == 14 { 19 } else { 20 };
            let set: HashMap<String, String> = (0..n)
                .map(|i| (format!("r{round}k{i}"), "v".into()))
                .collect();
            s.apply(&set, &[], 10).unwrap();
        }
        assert_eq!(s.to_wire().len(), MAX_KEYS_PER_MESSAGE);
        let before = s.clone();
        assert!(s.apply(&map(&[("one-more", "v")]), &[], 11).is_err());
        assert_eq!(s, before, "nothing changed");
        assert_eq!(Stored::parse(""), Stored::default());
        assert_eq!(Stored::parse("not json"), Stored::default());
        assert_eq!(Stored::default().to_json(), "");
    }
}
