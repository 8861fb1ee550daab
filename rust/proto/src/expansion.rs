//! Message expansion limits (R065, R066, R123–R128), one definition for the client engine and
//! the server, so that whatever one side accepts the other accepts too.
//!
//! * A key is 1..=[`MAX_KEY_CHARS`] characters of `[A-Za-z0-9+=_-]` ([`valid_key`]).
//! * A value is at most [`MAX_VALUE_CHARS`] characters (characters, not bytes).
//! * One update (`updateMessageExpansion` / `removeMessageExpansionForKeys`, the wire's
//!   `UpdateExpansion`) sets or removes at most [`MAX_KEYS_PER_UPDATE`] keys.
//! * A message holds at most [`MAX_KEYS_PER_MESSAGE`] keys, also the expansion it is sent with
//!   (R065/R125 only say that one is set before sending; its size is the message's).
//! * Our deviation (code 34010 like the others): a message's expansion is at most
//!   [`MAX_BYTES`] bytes as counted by [`byte_size`], so a message with its whole expansion
//!   always travels in one frame (push, sync package, history page). The seed's limits
//!   multiply to more than a frame (300 × (32 + 4096 characters of up to 4 bytes) ≈ 4.9 MB);
//!   one update within R066 always fits (20 × 4096 ASCII characters ≈ 82 KB).

use std::collections::HashMap;

/// Longest key, in characters (R066).
pub const MAX_KEY_CHARS: usize = 32;
/// Longest value, in characters (R066).
pub const MAX_VALUE_CHARS: usize = 4096;
/// Most keys one update sets or removes (R066, R127).
pub const MAX_KEYS_PER_UPDATE: usize = 20;
/// Most keys on one message (R066, R127), the expansion it is sent with included.
pub const MAX_KEYS_PER_MESSAGE: usize = 300;

/// Room a frame keeps for everything of a message but its content and expansion: push
/// content, push data and push options (4 KiB each on the server), ids, names, numbers, field
/// tags and the frame's envelope (the server asserts at compile time that this is enough).
const OTHER_FIELDS_RESERVE: usize = 16 * 1024;

/// Most bytes of one message's expansion, as [`byte_size`] counts them (112 KiB): the frame
/// cap less the largest content and [`OTHER_FIELDS_RESERVE`], the largest that lets any
/// message with its whole expansion travel in one frame. Exceeding it answers 34010.
pub const MAX_BYTES: usize = crate::MAX_FRAME_LEN - crate::MAX_CONTENT_LEN - OTHER_FIELDS_RESERVE;

/// Bytes a pair adds to an encoded map beyond its key and value: the entry's tag (2 for
/// field numbers from 16, like `Message.expansion` = 18) and length (up to 3), the key's tag
/// and length (2), the value's tag (1) and length (up to 3).
pub const PAIR_OVERHEAD: usize = 11;

// One update within R066 fits, whatever its keys; a whole message's worth might not.
const _: () =
    assert!(MAX_KEYS_PER_UPDATE * (MAX_KEY_CHARS + MAX_VALUE_CHARS + PAIR_OVERHEAD) <= MAX_BYTES);

/// Why an expansion is refused (the code is always 34010, `EXPANSION_SIZE_LIMIT_EXCEED`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitExceeded(pub String);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitExceeded {}

/// Whether `key` is 1..=32 characters of `[A-Za-z0-9+=_-]` (all ASCII, so bytes are
/// characters).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'_' | b'-'))
}

/// Whether `value` is within [`MAX_VALUE_CHARS`] characters.
pub fn valid_value(value: &str) -> bool {
    // Cheap first: a value of at most 4096 bytes has at most 4096 characters.
    value.len() <= MAX_VALUE_CHARS || value.chars().count() <= MAX_VALUE_CHARS
}

/// Bytes `pairs` count against [`MAX_BYTES`]: each key and value in UTF-8 plus
/// [`PAIR_OVERHEAD`] (an upper bound of their protobuf map encoding).
pub fn byte_size<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> usize {
    pairs
        .into_iter()
        .map(|(k, v)| k.len() + v.len() + PAIR_OVERHEAD)
        .sum()
}

/// Checks one change: at most `max_keys` keys set and removed together, valid keys, values
/// within [`MAX_VALUE_CHARS`], and the pairs set within [`MAX_BYTES`] (what a message holds
/// afterwards is the caller's to check: only it knows the rest of the expansion).
pub fn check_change(
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
    if !set.values().all(|v| valid_value(v)) {
        return Err(LimitExceeded(format!(
            "a value is longer than {MAX_VALUE_CHARS} characters"
        )));
    }
    if byte_size(set) > MAX_BYTES {
        return Err(LimitExceeded(format!(
            "the expansion is larger than {MAX_BYTES} bytes"
        )));
    }
    Ok(())
}

/// Checks the expansion a message is sent with: the rules of one change with the
/// per-message key count ([`MAX_KEYS_PER_MESSAGE`]) and [`MAX_BYTES`].
pub fn check_initial(expansion: &HashMap<String, String>) -> Result<(), LimitExceeded> {
    check_change(expansion, &[], MAX_KEYS_PER_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(n: usize, value: &str) -> HashMap<String, String> {
        (0..n)
            .map(|i| (format!("k{i}"), value.to_string()))
            .collect()
    }

    #[test]
    fn keys() {
        assert!(valid_key("a-Z_0+="));
        assert!(valid_key(&"k".repeat(32)));
        assert!(!valid_key(&"k".repeat(33)));
        assert!(!valid_key(""));
        assert!(!valid_key("a b"));
        assert!(!valid_key("é"));
        assert!(!valid_key("a.b"));
    }

    #[test]
    fn values_count_characters() {
        assert!(valid_value(&"字".repeat(MAX_VALUE_CHARS)));
        assert!(!valid_value(&"v".repeat(MAX_VALUE_CHARS + 1)));
        let remove = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert!(check_change(&pairs(1, "v"), &remove(&["r"]), 20).is_ok());
        assert!(check_change(&pairs(0, ""), &remove(&["bad key"]), 20).is_err());
        let long = HashMap::from([("k".to_string(), "v".repeat(MAX_VALUE_CHARS + 1))]);
        assert!(check_change(&long, &[], 20).is_err());
    }

    /// R066 within one update always counts; 21 keys do not.
    #[test]
    fn an_update_within_r066_fits() {
        let full = pairs(MAX_KEYS_PER_UPDATE, &"v".repeat(MAX_VALUE_CHARS));
        assert!(check_change(&full, &[], MAX_KEYS_PER_UPDATE).is_ok());
        let keys_at_limit: HashMap<String, String> = (0..MAX_KEYS_PER_UPDATE)
            .map(|i| (format!("{i:0>32}"), "v".repeat(MAX_VALUE_CHARS)))
            .collect();
        assert!(check_change(&keys_at_limit, &[], MAX_KEYS_PER_UPDATE).is_ok());
        assert!(check_change(&pairs(21, "v"), &[], MAX_KEYS_PER_UPDATE).is_err());
    }

    /// A message is sent with up to 300 keys within the byte cap.
    #[test]
    fn a_send_takes_up_to_300_keys_within_the_byte_cap() {
        assert!(check_initial(&pairs(21, "v")).is_ok());
        assert!(check_initial(&pairs(MAX_KEYS_PER_MESSAGE, "v")).is_ok());
        assert!(check_initial(&pairs(MAX_KEYS_PER_MESSAGE + 1, "v")).is_err());
        // 300 values of 300 bytes: 300 × (4 + 300 + 11) ≈ 95 KB, within the cap.
        assert!(check_initial(&pairs(MAX_KEYS_PER_MESSAGE, &"v".repeat(300))).is_ok());
        // 30 values of 4096 ASCII characters: 30 × ~4110 ≈ 123 KB, beyond it.
        let err = check_initial(&pairs(30, &"v".repeat(MAX_VALUE_CHARS))).unwrap_err();
        assert!(err.0.contains("bytes"), "{err}");
        // 20 values of 4096 four-byte characters (≈ 328 KB) could never travel in a frame.
        assert!(check_initial(&pairs(20, &"😀".repeat(MAX_VALUE_CHARS))).is_err());
    }

    /// [`byte_size`] bounds the encoded map (so [`PAIR_OVERHEAD`] is enough), and a message
    /// with the largest content, push fields and an expansion filling the cap fits in a frame
    /// with room for its envelope.
    #[test]
    fn a_full_message_fits_in_a_frame() {
        use crate::v1::Message;
        use prost::Message as _;
        // Worst case per pair: 32-character keys, values of 4096 four-byte characters.
        let mut expansion: HashMap<String, String> = HashMap::new();
        let room = |e: &HashMap<String, String>| MAX_BYTES - byte_size(e);
        for i in 0.. {
            let key = format!("{i:0>32}");
            let left = room(&expansion).saturating_sub(32 + PAIR_OVERHEAD);
            if left == 0 {
                break;
            }
            let value = if left >= 4 * MAX_VALUE_CHARS {
                "😀".repeat(MAX_VALUE_CHARS)
            } else {
                "v".repeat(left.min(MAX_VALUE_CHARS))
            };
            expansion.insert(key, value);
        }
        assert!(room(&expansion) < 32 + PAIR_OVERHEAD + 1, "filled");
        assert!(byte_size(&expansion) <= MAX_BYTES);
        assert!(check_initial(&expansion).is_ok());
        let bare = Message::default().encoded_len();
        let with = Message {
            expansion: expansion.clone(),
            ..Default::default()
        };
        assert!(with.encoded_len() - bare <= byte_size(&expansion));
        let full = Message {
            content: "c".repeat(crate::MAX_CONTENT_LEN),
            push_content: "p".repeat(4096),
            push_data: "d".repeat(4096),
            push_options: "o".repeat(4096),
            uid: "U".repeat(19),
            sender_id: "s".repeat(64),
            to_id: "t".repeat(64),
            sent_time: i64::MAX,
            conv_seq: u64::MAX,
            ..with
        };
        assert!(full.encoded_len() + 1024 <= crate::MAX_FRAME_LEN);
    }
}
