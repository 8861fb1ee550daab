//! Media messages: an outgoing media message is stored (SENDING, with its local path) before
//! its file is uploaded, updated with the file's remote URL once uploaded and only then queued
//! for the server; a downloaded file's local path is kept with the message. The local path
//! lives in the row's `extra_json` under `localFields.local` (it is not part of the wire
//! content; the engine's codec reads it back).

use crate::error::Result;
use crate::outbox::queue_send;
use crate::rows::{self, MessageRow, NewMessage};
use crate::store::Store;
use crate::values::{direction, sent_status};
use rcim_proto::media_type;
use rusqlite::params;

impl Store {
    /// The row of outgoing message `id` when it is the message `new` describes: same type,
    /// conversation and channel, and the same `uid` when `uid` is given. A `messageId` carried
    /// by a stale message object (from another user's database, or reused by another message)
    /// finds `None`: that object is a new message, never a rewrite of an unrelated row.
    pub fn own_outgoing(
        &self,
        id: i64,
        new: &NewMessage,
        uid: Option<&str>,
    ) -> Result<Option<MessageRow>> {
        Ok(rows::message_by_id(&self.conn, id)?.filter(|row| is_same_outgoing(row, new, uid)))
    }

    /// Starts sending an outgoing message already stored (a resent media message): its content
    /// and extra fields are replaced by `new`'s and it is SENDING again (not queued: its upload
    /// comes first). `None` when there is no such outgoing message or it is not the message
    /// `new` describes (see [`Store::own_outgoing`]); nothing is changed then.
    pub fn restart_outgoing(
        &mut self,
        id: i64,
        new: &NewMessage,
        uid: Option<&str>,
    ) -> Result<Option<MessageRow>> {
        let tx = self.conn.savepoint()?;
        let Some(row) = rows::message_by_id(&tx, id)?.filter(|row| is_same_outgoing(row, new, uid))
        else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE messages SET content = ?2, extra_json = ?3, sent_status = ?4, object_name = ?5
             WHERE id = ?1",
            params![
                row.id,
                new.content,
                new.extra_json,
                sent_status::SENDING,
                new.object_name
            ],
        )?;
        let row = rows::message_by_id(&tx, id)?;
        tx.commit()?;
        Ok(row)
    }

    /// Sets the content of outgoing message `id` (now carrying its remote URL), makes it
    /// SENDING and, when `queue`, puts it in the outbox in the same transaction. Returns the
    /// row and its outbox id; `None` when there is no such outgoing message.
    pub fn queue_outgoing(
        &mut self,
        id: i64,
        content: &str,
        queue: bool,
    ) -> Result<Option<(MessageRow, Option<i64>)>> {
        let tx = self.conn.savepoint()?;
        let changed = tx.execute(
            "UPDATE messages SET content = ?2, sent_status = ?3 WHERE id = ?1 AND direction = ?4",
            params![id, content, sent_status::SENDING, direction::SEND],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        // Updated just above in this transaction: missing now would be a broken database.
        let row = rows::message_by_id(&tx, id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        let queued = if queue {
            Some(queue_send(&tx, &row)?)
        } else {
            None
        };
        tx.commit()?;
        Ok(Some((row, queued)))
    }

    /// Keeps `local` (a downloaded file) as the local path of message `id`. Returns the row.
    pub fn set_local_path(&mut self, id: i64, local: &str) -> Result<Option<MessageRow>> {
        self.conn.execute(
            "UPDATE messages SET extra_json = json_set(COALESCE(extra_json, '{}'), '$.localFields',
                 json_set(COALESCE(json_extract(extra_json, '$.localFields'), '{}'), '$.local', ?2))
             WHERE id = ?1",
            params![id, local],
        )?;
        rows::message_by_id(&self.conn, id)
    }

    /// Media messages left SENDING without being queued: their upload was cut short (the app
    /// stopped). They become FAILED, to be resent by the app; returns how many.
    pub fn fail_interrupted_uploads(&mut self) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE messages SET sent_status = ?1
             WHERE sent_status = ?2 AND direction = ?3 AND message_type BETWEEN ?4 AND ?5
               AND id NOT IN (SELECT message_id FROM outbox WHERE message_id IS NOT NULL)",
            params![
                sent_status::FAILED,
                sent_status::SENDING,
                direction::SEND,
                media_type::RANGE.start(),
                media_type::RANGE.end()
            ],
        )?)
    }
}

/// Whether stored `row` is the outgoing message `new` describes (see [`Store::own_outgoing`]).
fn is_same_outgoing(row: &MessageRow, new: &NewMessage, uid: Option<&str>) -> bool {
    row.direction == direction::SEND
        && row.message_type == new.message_type
        && row.conversation_type == new.conversation_type
        && row.target_id == new.target_id
        && row.channel_id == new.channel_id
        && uid.is_none_or(|uid| row.uid.as_deref() == Some(uid))
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;

    fn image(time: i64) -> NewMessage {
        let mut m = msg("bob", None, direction::SEND, time);
        m.message_type = rcim_proto::media_type::IMAGE;
        m.object_name = "RC:ImgMsg".into();
        m.content = r#"{"content":"thumb"}"#.into();
        m.client_msg_id = Some(format!("c{time}"));
        m.extra_json = Some(r#"{"localFields":{"local":"/a.png"}}"#.into());
        m
    }

    #[test]
    fn a_media_message_is_stored_then_queued_once_uploaded() {
        let mut s = Store::open_in_memory().unwrap();
        let row = s.insert_outgoing(&image(10)).unwrap();
        assert!(s.outbox().unwrap().is_empty());
        let (queued, outbox_id) = s
            .queue_outgoing(row.id, r#"{"imageUri":"http://f/x"}"#, true)
            .unwrap()
            .unwrap();
        assert!(outbox_id.is_some());
        assert_eq!(queued.content, r#"{"imageUri":"http://f/x"}"#);
        assert_eq!(
            queued.extra_json.as_deref(),
            Some(r#"{"localFields":{"local":"/a.png"}}"#)
        );
        assert_eq!(s.outbox().unwrap().len(), 1);
        assert!(s.queue_outgoing(999, "{}", true).unwrap().is_none());
    }

    #[test]
    fn resends_restart_and_interrupted_uploads_fail() {
        let mut s = Store::open_in_memory().unwrap();
        let row = s.insert_outgoing(&image(10)).unwrap();
        s.update_sent(row.id, sent_status::FAILED, None, None)
            .unwrap();
        let mut again = image(10);
        again.content = r#"{"content":"t2"}"#.into();
        again.extra_json = Some(r#"{"local":"/b.png"}"#.into());
        let restarted = s.restart_outgoing(row.id, &again, None).unwrap().unwrap();
        assert_eq!(restarted.sent_status, sent_status::SENDING);
        assert_eq!(restarted.content, r#"{"content":"t2"}"#);
        // A restart finds it SENDING and not queued: its upload was cut short.
        let queued = s.insert_outgoing(&image(20)).unwrap();
        s.queue_outgoing(queued.id, "{}", true).unwrap();
        assert_eq!(s.fail_interrupted_uploads().unwrap(), 1);
        assert_eq!(
            s.message(row.id).unwrap().unwrap().sent_status,
            sent_status::FAILED
        );
        assert_eq!(
            s.message(queued.id).unwrap().unwrap().sent_status,
            sent_status::SENDING
        );
    }

    #[test]
    fn a_stale_message_id_never_rewrites_another_message() {
        let mut s = Store::open_in_memory().unwrap();
        let mut text = msg("bob", None, direction::SEND, 10);
        text.content = r#"{"content":"hello"}"#.into();
        let text = s.insert_outgoing(&text).unwrap();
        s.update_sent(text.id, sent_status::FAILED, None, None)
            .unwrap();
        let received = msg("bob", Some("U1"), direction::RECEIVE, 11);
        s.apply_inbox(&[received], 1).unwrap();
        let received = s.message_by_uid("U1").unwrap().unwrap();
        let image_row = s.insert_outgoing(&image(12)).unwrap();
        s.update_sent(image_row.id, sent_status::SENT, Some("U2"), None)
            .unwrap();
        let mut elsewhere = image(20);
        elsewhere.target_id = "carol".into();
        let mut in_channel = image(20);
        in_channel.channel_id = "c1".into();
        let mut grouped = image(20);
        grouped.conversation_type = 3;
        let cases = [
            (text.id, image(20), None),
            (received.id, image(20), None),
            (image_row.id, elsewhere, None),
            (image_row.id, in_channel, None),
            (image_row.id, grouped, None),
            (image_row.id, image(20), Some("U9")),
        ];
        for (id, new, uid) in cases {
            let before = s.message(id).unwrap().unwrap();
            assert!(s.own_outgoing(id, &new, uid).unwrap().is_none(), "{id}");
            assert!(s.restart_outgoing(id, &new, uid).unwrap().is_none(), "{id}");
            let after = s.message(id).unwrap().unwrap();
            assert_eq!(
                (after.content, after.object_name, after.sent_status),
                (before.content, before.object_name, before.sent_status),
                "row {id} untouched"
            );
        }
        // The same message (its uid given or not) is its own row.
        for uid in [None, Some("U2")] {
            assert!(s
                .own_outgoing(image_row.id, &image(20), uid)
                .unwrap()
                .is_some());
        }
    }

    #[test]
    fn downloaded_paths_are_kept() {
        let mut s = Store::open_in_memory().unwrap();
        let mut received = msg("bob", Some("U1"), direction::RECEIVE, 10);
        received.extra_json = Some(r#"{"pushOptions":{"a":1}}"#.into());
        s.apply_inbox(&[received], 1).unwrap();
        let id = s.message_by_uid("U1").unwrap().unwrap().id;
        let row = s.set_local_path(id, "/d/x.png").unwrap().unwrap();
        let extra: serde_json::Value =
            serde_json::from_str(row.extra_json.as_deref().unwrap()).unwrap();
        assert_eq!(extra["localFields"]["local"], "/d/x.png");
        assert_eq!(extra["pushOptions"]["a"], 1);
        // Again (a new download): replaced, other local fields kept.
        s.conn
            .execute(
                "UPDATE messages SET extra_json = json_set(extra_json, '$.localFields.thumbnailPath', 't')",
                [],
            )
            .unwrap();
        let row = s.set_local_path(id, "/d/y.png").unwrap().unwrap();
        let extra: serde_json::Value =
            serde_json::from_str(row.extra_json.as_deref().unwrap()).unwrap();
        assert_eq!(extra["localFields"]["local"], "/d/y.png");
        assert_eq!(extra["localFields"]["thumbnailPath"], "t");
    }
}
