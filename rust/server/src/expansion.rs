//! Message expansion (R065–R066, R123–R128): the limits every change obeys and the form the
//! store keeps. Nothing here does I/O.
//!
//! Stored form: a JSON object `{key: {"v": value, "ts": ms}}` (the time each key was last
//! set, which the Server API's `/message/expansion/query.json` answers); on the wire the
//! message carries the plain `key → value` map.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Longest key, in characters.
pub(crate) const MAX_KEY_CHARS: usize = 32;
/// Longest value, in characters.
pub(crate) const MAX_VALUE_CHARS: usize = 4096;
/// Most keys one client update (or a send) sets and removes together.
pub(crate) const MAX_KEYS_PER_UPDATE: usize = 20;
/// Most keys one Server API call sets or removes (RongCloud's server SDKs: 100).
pub(crate) const MAX_KEYS_PER_API_CALL: usize = 100;
/// Most keys on one message.
pub(crate) const MAX_KEYS_PER_MESSAGE: usize = 300;
/// Most bytes of keys and values on one message (each pair counts its key and value plus
/// [`PAIR_OVERHEAD`]): keeps a message with its expansion, and an `ExpansionChange`, within
/// one frame. 300 values of 4096 characters would not fit, so this cap also answers 34010.
pub(crate) const MAX_BYTES: usize = 64 * 1024;
/// Bytes a pair adds beyond its key and value (map entry tags and lengths, rounded up).
const PAIR_OVERHEAD: usize = 8;

/// Why an expansion change is refused (the client answers 34010).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LimitExceeded(pub String);

/// Whether `key` is 1..=32 characters of `[A-Za-z0-9+=_-]`.
pub(crate) fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'_' | b'-'))
}

/// Bytes `map` counts against [`MAX_BYTES`].
pub(crate) fn byte_size<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> usize {
    pairs
        .into_iter()
        .map(|(k, v)| k.len() + v.len() + PAIR_OVERHEAD)
        .sum()
}

/// Checks the keys and values of one change: valid keys, values within
/// [`MAX_VALUE_CHARS`], at most `max_keys` keys set and removed together.
pub(crate) fn check_change(
    set: &HashMap<String, String>,
    remove: &[String],
    max_keys: usize,
) -> Result<(), LimitExceeded> {
    if set.len() + remove.len() > max_keys {
        return Err(LimitExceeded(format!(
            "more than {max_keys} keys in one change"
        )));
    }
    if let Some(k) = set.keys().chain(remove.iter()).find(|k| !valid_key(k)) {
        let shown: String = k.chars().take(40).collect();
        return Err(LimitExceeded(format!("invalid key {shown:?}")));
    }
    if set.values().any(|v| v.chars().count() > MAX_VALUE_CHARS) {
        return Err(LimitExceeded(format!(
            "a value is longer than {MAX_VALUE_CHARS} characters"
        )));
    }
    Ok(())
}

/// Checks the expansion a message is sent with: as one change, and within the per-message
/// caps.
pub(crate) fn check_initial(expansion: &HashMap<String, String>) -> Result<(), LimitExceeded> {
    check_change(expansion, &[], MAX_KEYS_PER_UPDATE)?;
    if byte_size(expansion) > MAX_BYTES {
        return Err(LimitExceeded(format!(
            "the expansion is larger than {MAX_BYTES} bytes"
        )));
    }
    Ok(())
}

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
        assert!(valid_key("a-Z_0+="));
        assert!(!valid_key(""));
        assert!(!valid_key("a b"));
        assert!(!valid_key("é"));
        assert!(!valid_key(&"k".repeat(33)));
        assert!(check_change(&map(&[("k", "v")]), &["r".into()], 20).is_ok());
        assert!(check_change(&map(&[("k k", "v")]), &[], 20).is_err());
        assert!(check_change(&map(&[]), &["bad key".into()], 20).is_err());
        let long = "值".repeat(MAX_VALUE_CHARS);
        assert!(check_change(&map(&[("k", &long)]), &[], 20).is_ok());
        let longer = "v".repeat(MAX_VALUE_CHARS + 1);
        assert!(check_change(&map(&[("k", &longer)]), &[], 20).is_err());
        let many: HashMap<String, String> =
            (0..21).map(|i| (format!("k{i}"), "v".into())).collect();
        assert!(check_change(&many, &[], 20).is_err());
        assert!(check_change(&many, &[], 100).is_ok());
        // 20 values of 4096 four-byte characters exceed the byte cap.
        let big: HashMap<String, String> = (0..20)
            .map(|i| (format!("k{i}"), "😀".repeat(MAX_VALUE_CHARS)))
            .collect();
        assert!(check_initial(&big).is_err());
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
