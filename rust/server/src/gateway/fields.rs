//! Size caps on every client request, in one place: each `Request` body has a largest
//! encoded size, so no field of any request (ids, names, lists, maps) can carry more than
//! that into memory, the database or other users' inboxes. The services check their own
//! finer rules (id lengths, list counts, content sizes) after this; this cap is the bound
//! that holds for every field, including ones a service only copies.

use rcim_proto::v1::request;

/// Largest request of the kinds that name a conversation or a few messages (reads,
/// receipts, recalls, settings, typing, joins): ids, times and a handful of small fields.
pub(crate) const SMALL_BODY: usize = 8 * 1024;

/// Largest request of the kinds that carry lists of ids (deletions, group receipt
/// responses, chatroom key removals, ultra-group message batches): the services' own caps
/// (at most 100 uids or 10 keys) fit.
pub(crate) const LIST_BODY: usize = 64 * 1024;

/// The largest encoded size of `body`'s kind; `None` where only the frame's own cap
/// ([`rcim_proto::MAX_FRAME_LEN`]) applies: sends and modifications (the message rules
/// check their content's size), expansion updates (bounded by
/// [`rcim_proto::expansion::MAX_BYTES`]) and chatroom entries (10 values of 4,096
/// characters).
pub(crate) fn max_body_len(body: &request::Body) -> Option<usize> {
    use request::Body as B;
    match body {
        B::SendMessage(_)
        | B::UltragroupModify(_)
        | B::UpdateExpansion(_)
        | B::UltragroupExpansion(_)
        | B::ChatroomSetEntries(_) => None,
        B::DeleteMessages(_)
        | B::ReceiptResponse(_)
        | B::ChatroomRemoveEntries(_)
        | B::UltragroupMessages(_) => Some(LIST_BODY),
        B::Sync(_)
        | B::UltragroupSync(_)
        | B::RecallMessage(_)
        | B::PrivateReadReceipt(_)
        | B::ConversationSetting(_)
        | B::MediaUpload(_)
        | B::History(_)
        | B::ClearHistory(_)
        | B::UserSetting(_)
        | B::Settings(_)
        | B::Typing(_)
        | B::ReadStatus(_)
        | B::ReceiptRequest(_)
        | B::JoinChatroom(_)
        | B::LeaveChatroom(_)
        | B::ChatroomHistory(_)
        | B::ChatroomEntries(_)
        | B::UltragroupChanges(_)
        | B::UltragroupLevel(_)
        | B::UltragroupRecall(_)
        | B::UltragroupClear(_)
        | B::UltragroupSetLevel(_) => Some(SMALL_BODY),
    }
}

/// Whether `body` is within its kind's cap.
pub(crate) fn body_fits(body: &request::Body) -> bool {
    max_body_len(body).is_none_or(|max| body.encoded_len() <= max)
}

/// Longest `Connect.app_key`, bytes.
pub(crate) const MAX_APP_KEY_LEN: usize = 64;
/// Longest `Connect.token`, bytes (a token is a few hundred).
pub(crate) const MAX_TOKEN_LEN: usize = 1024;
/// Longest `Connect.client_version`, bytes.
pub(crate) const MAX_CLIENT_VERSION_LEN: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;
    use rcim_proto::v1::{DeleteMessages, RecallMessage, SendMessage};

    #[test]
    fn each_kind_has_its_cap() {
        let recall = |n| {
            request::Body::RecallMessage(RecallMessage {
                target_id: "t".repeat(n),
                ..Default::default()
            })
        };
        assert!(body_fits(&recall(64)));
        assert!(!body_fits(&recall(SMALL_BODY)));
        let delete = request::Body::DeleteMessages(DeleteMessages {
            uids: vec!["u".repeat(40); 100],
            ..Default::default()
        });
        assert!(body_fits(&delete));
        let send = request::Body::SendMessage(SendMessage {
            content: "x".repeat(100_000),
            ..Default::default()
        });
        assert!(body_fits(&send));
    }
}
