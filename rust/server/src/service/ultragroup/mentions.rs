//! Who a message mentions: the `mentionedInfo` of its JSON content (RongCloud's shape:
//! `{"type": 1}` for "@all", `{"type": 2, "userIdList": [...]}` for chosen users), read by
//! the server for the unread-mention counts of the channel states.

use serde_json::Value;

/// Most mentioned users kept per message (a longer list is cut: the count is what matters).
const MAX_MENTIONED: usize = 1000;

/// The mentions of a message's content: ("@all", the mentioned users). Content that is not
/// JSON, or has no valid `mentionedInfo`, mentions nobody.
pub(crate) fn mentions(content: &str) -> (bool, Vec<String>) {
    let Ok(Value::Object(root)) = serde_json::from_str::<Value>(content) else {
        return (false, Vec::new());
    };
    let Some(info) = root.get("mentionedInfo") else {
        return (false, Vec::new());
    };
    match info.get("type").and_then(Value::as_i64) {
        Some(1) => (true, Vec::new()),
        Some(2) => {
            let mut users: Vec<String> = info
                .get("userIdList")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .take(MAX_MENTIONED)
                        .collect()
                })
                .unwrap_or_default();
            users.sort();
            users.dedup();
            (false, users)
        }
        _ => (false, Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn reads_all_and_user_mentions() {
        assert_eq!(
            mentions(r#"{"content":"hi","mentionedInfo":{"type":1}}"#),
            (true, vec![])
        );
        assert_eq!(
            mentions(r#"{"mentionedInfo":{"type":2,"userIdList":["b","a","b",""]}}"#),
            (false, vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(mentions("not json"), (false, vec![]));
        assert_eq!(mentions(r#"{"content":"x"}"#), (false, vec![]));
    }
}
