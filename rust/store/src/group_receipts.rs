//! Group read receipts on stored messages (`RCIMIWMessage.groupReadReceiptInfo`, R121–R122):
//! the sender's devices keep who responded and when; the members' devices keep that a receipt
//! was asked for and whether this user responded. The state only grows (a request is never
//! withdrawn, a response never taken back), so every source — the answer to this device's
//! call, inbox entries, the `receipt` of a message delivered again or in a history page — is
//! merged into what is stored, in any order.

use crate::error::Result;
use crate::rows::{self, MessageRow, NewMessage};
use crate::store::Store;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `RCIMIWGroupReadReceiptInfo`, as stored (JSON in `messages.group_receipt`) and as the API
/// shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupReceipt {
    /// The sender asked for receipts.
    #[serde(default, deserialize_with = "null_as_default")]
    pub read_receipt_message: bool,
    /// This user responded (members' view).
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_respond: bool,
    /// Who responded: user id -> response time (ms) (sender's view).
    #[serde(default, deserialize_with = "null_as_default")]
    pub respond_user_ids: BTreeMap<String, i64>,
}

/// Apps hand messages back with `null` for what they do not know: read as the default.
fn null_as_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl GroupReceipt {
    /// Parses a stored value (`None` for none or an unreadable one).
    pub fn parse(json: Option<&str>) -> Option<GroupReceipt> {
        serde_json::from_str(json?).ok()
    }

    /// Adds what `other` knows: flags are kept once set, a user's first response time wins.
    pub fn merge(&mut self, other: &GroupReceipt) {
        self.read_receipt_message |= other.read_receipt_message;
        self.has_respond |= other.has_respond;
        for (user, time) in &other.respond_user_ids {
            self.respond_user_ids
                .entry(user.clone())
                .and_modify(|t| *t = (*t).min(*time))
                .or_insert(*time);
        }
    }

    /// The stored JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Store {
    /// Merges `change` into the receipt state of the stored message `uid`. Returns the row as
    /// stored afterwards (`None` when no message has that uid).
    pub fn merge_group_receipt(
        &mut self,
        uid: &str,
        change: &GroupReceipt,
    ) -> Result<Option<MessageRow>> {
        merge(&self.conn, uid, change)
    }
}

/// Merges `change` into message `uid`'s receipt state.
pub(crate) fn merge(
    conn: &Connection,
    uid: &str,
    change: &GroupReceipt,
) -> Result<Option<MessageRow>> {
    let Some(row) = rows::query_messages(conn, "SELECT * FROM messages WHERE uid = ?1", [uid])?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let mut state = GroupReceipt::parse(row.group_receipt.as_deref()).unwrap_or_default();
    state.merge(change);
    conn.prepare_cached("UPDATE messages SET group_receipt = ?2 WHERE id = ?1")?
        .execute(params![row.id, state.to_json()])?;
    rows::message_by_id(conn, row.id)
}

/// Merges the receipt state that delivered messages carry into their stored rows (a copy
/// delivered again, or a history page, may know more than the row stored earlier).
pub(crate) fn merge_delivered(conn: &Connection, messages: &[NewMessage]) -> Result<()> {
    for message in messages {
        let (Some(uid), Some(receipt)) = (
            message.uid.as_deref(),
            GroupReceipt::parse(message.group_receipt.as_deref()),
        ) else {
            continue;
        };
        merge(conn, uid, &receipt)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    fn group_msg(uid: &str, receipt: Option<&GroupReceipt>) -> NewMessage {
        let mut m = msg("g1", Some(uid), direction::SEND, 5);
        m.conversation_type = 2;
        m.group_receipt = receipt.map(GroupReceipt::to_json);
        m
    }

    fn receipt_of(s: &Store, uid: &str) -> Option<GroupReceipt> {
        GroupReceipt::parse(
            s.message_by_uid(uid)
                .unwrap()
                .unwrap()
                .group_receipt
                .as_deref(),
        )
    }

    #[test]
    fn changes_merge_into_the_stored_state_and_never_undo_it() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(&[group_msg("U1", None)], 1).unwrap();
        assert_eq!(receipt_of(&s, "U1"), None);

        let requested = GroupReceipt {
            read_receipt_message: true,
            ..Default::default()
        };
        let row = s.merge_group_receipt("U1", &requested).unwrap().unwrap();
        assert_eq!(
            GroupReceipt::parse(row.group_receipt.as_deref()),
            Some(requested.clone())
        );

        let responses = |pairs: &[(&str, i64)]| GroupReceipt {
            respond_user_ids: pairs.iter().map(|(u, t)| (u.to_string(), *t)).collect(),
            ..Default::default()
        };
        s.merge_group_receipt("U1", &responses(&[("bob", 7)]))
            .unwrap();
        s.merge_group_receipt("U1", &responses(&[("bob", 9), ("carol", 8)]))
            .unwrap();
        let state = receipt_of(&s, "U1").unwrap();
        assert!(
            state.read_receipt_message,
            "a later change keeps the request"
        );
        assert_eq!(
            state.respond_user_ids,
            [("bob".to_string(), 7), ("carol".to_string(), 8)].into(),
            "the first response time wins"
        );
        assert!(s.merge_group_receipt("nope", &requested).unwrap().is_none());
    }

    #[test]
    fn nulls_read_as_defaults() {
        let parsed: GroupReceipt = serde_json::from_str(
            r#"{"readReceiptMessage": true, "hasRespond": null, "respondUserIds": null}"#,
        )
        .unwrap();
        assert_eq!(
            parsed,
            GroupReceipt {
                read_receipt_message: true,
                ..Default::default()
            }
        );
    }

    #[test]
    fn delivered_copies_and_history_pages_bring_their_receipt_state() {
        let mut s = Store::open_in_memory().unwrap();
        let requested = GroupReceipt {
            read_receipt_message: true,
            ..Default::default()
        };
        // Inserted with its state.
        s.apply_inbox(&[group_msg("U1", Some(&requested))], 1)
            .unwrap();
        assert_eq!(receipt_of(&s, "U1"), Some(requested.clone()));

        // Delivered again, knowing a response: merged into the row.
        let answered = GroupReceipt {
            read_receipt_message: true,
            has_respond: true,
            respond_user_ids: [("bob".to_string(), 3)].into(),
        };
        s.apply_inbox(&[group_msg("U1", Some(&answered))], 2)
            .unwrap();
        assert_eq!(receipt_of(&s, "U1"), Some(answered.clone()));

        // A history page of a message already stored.
        s.apply_inbox(&[group_msg("U2", None)], 3).unwrap();
        let mut page_copy = group_msg("U2", Some(&requested));
        page_copy.conv_seq = 4;
        s.store_history_page(
            &ConversationKey::new(2, "g1", ""),
            &crate::HistoryPageRows {
                messages: vec![page_copy],
                from_seq: 4,
                to_seq: 4,
                from_time: 0,
                to_time: 0,
                live: false,
            },
        )
        .unwrap();
        assert_eq!(receipt_of(&s, "U2"), Some(requested));
    }
}
