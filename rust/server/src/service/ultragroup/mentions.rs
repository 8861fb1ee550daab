//! Who a message mentions, as the unread-mention counts of the channel states store it: the
//! `mentionedInfo` of its JSON content read by the push path's parser
//! ([`Mentions::of_content`]), so a message counted as a mention is exactly one pushed as one.

use crate::service::push::options::Mentions;

/// Most mentioned users kept per message (a longer list is cut: the count is what matters).
const MAX_MENTIONED: usize = 1000;

/// The mentions of a message's content: ("@all", the mentioned users, sorted). Content that
/// is not JSON, or has no valid `mentionedInfo`, mentions nobody.
pub(crate) fn mentions(content: &str) -> (bool, Vec<String>) {
    let m = Mentions::of_content(content);
    if m.everyone {
        return (true, Vec::new());
    }
    let mut users: Vec<String> = m.users.into_iter().filter(|u| !u.is_empty()).collect();
    users.sort();
    users.truncate(MAX_MENTIONED);
    (false, users)
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

    /// The push path accepts a string `type`; the counts read it the same way.
    #[test]
    fn string_types_count_like_the_push_path() {
        assert_eq!(
            mentions(r#"{"mentionedInfo":{"type":"1"}}"#),
            (true, vec![])
        );
        assert_eq!(
            mentions(r#"{"mentionedInfo":{"type":"2","userIdList":["u"]}}"#),
            (false, vec!["u".to_owned()])
        );
    }
}
